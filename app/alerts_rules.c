/*
 * alerts_rules.c: reading --alerts RULES.json into struct alerts: rules
 * (name, when, clear, positions, filter, cooldown), actions (exec,
 * redis, file) and the file's cooldown, with one message naming the JSON
 * path at fault. Owns the text forms of conditions and durations; cJSON
 * stays here and is freed before returning.
 */
#include "app/alerts_int.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "app/jsonsyntax.h"
#include "app/stress_spec.h"
#include "app/textout.h"
#include "core/decimal.h"
#include "core/liq.h"

/* ---- reading the rules ---- */

static int
rules_fail(char *err, size_t errlen, const char *file, const char *path,
           const char *what)
{
    snprintf(err, errlen, "%s: %s: %s", file, path, what);
    return LIQ_EINVAL;
}

/* "60s", "500ms", "5m", "1h", "1d" or a plain number of seconds. */
static int
rules_duration(const char *s, int64_t *ms)
{
    char *end;
    unsigned long long v;

    if (s == NULL || *s < '0' || *s > '9')
        return -1;
    v = strtoull(s, &end, 10);
    if (v > 1000000000ULL)
        return -1;
    if (strcmp(end, "ms") == 0)
        *ms = (int64_t)v;
    else if (*end == '\0' || strcmp(end, "s") == 0)
        *ms = (int64_t)v * 1000;
    else if (strcmp(end, "m") == 0)
        *ms = (int64_t)v * 60000;
    else if (strcmp(end, "h") == 0)
        *ms = (int64_t)v * 3600000;
    else if (strcmp(end, "d") == 0)
        *ms = (int64_t)v * 86400000;
    else
        return -1;
    return 0;
}

/* One condition: "[not] FLAG" or "FIELD OP VALUE". */
static int
rules_cond(const char *text, struct alert_cond *c, char *why, size_t whylen)
{
    static const char *const flags[] = {"liquidatable", "bad_debt", "gate",
                                        "gate_open"};
    static const enum alert_field flagf[] = {ALERT_LIQUIDATABLE, ALERT_BAD_DEBT,
                                             ALERT_GATE, ALERT_GATE_OPEN};
    const char *p = text, *f;
    size_t n;

    memset(c, 0, sizeof *c);
    while (*p == ' ')
        p++;
    if (strncmp(p, "not ", 4) == 0) {
        c->negate = true;
        p += 4;
        while (*p == ' ')
            p++;
    }
    f = p;
    while ((*p >= 'a' && *p <= 'z') || *p == '_')
        p++;
    n = (size_t)(p - f);
    while (*p == ' ')
        p++;
    for (size_t i = 0; i < 4; i++)
        if (n == strlen(flags[i]) && strncmp(f, flags[i], n) == 0) {
            if (*p != '\0')
                break;
            c->field = flagf[i];
            c->op = ALERT_FLAG;
            return 0;
        }
    if (c->negate) {
        snprintf(why, whylen,
                 "\"not\" takes a flag: liquidatable, bad_debt, gate or "
                 "gate_open");
        return -1;
    }
    if (n == 13 && strncmp(f, "health_factor", n) == 0)
        c->field = ALERT_HEALTH_FACTOR;
    else if (n == 8 && strncmp(f, "distance", n) == 0)
        c->field = ALERT_DISTANCE;
    else if (n == 19 && strncmp(f, "time_to_liquidation", n) == 0)
        c->field = ALERT_TTL;
    else {
        snprintf(why, whylen,
                 "unknown condition \"%.60s\" (expected health_factor, "
                 "distance or time_to_liquidation with <, <=, > or >=, or "
                 "[not] liquidatable, bad_debt, gate, gate_open)",
                 text);
        return -1;
    }
    if (p[0] == '<' && p[1] == '=')
        c->op = ALERT_LE, p += 2;
    else if (p[0] == '>' && p[1] == '=')
        c->op = ALERT_GE, p += 2;
    else if (p[0] == '<')
        c->op = ALERT_LT, p++;
    else if (p[0] == '>')
        c->op = ALERT_GT, p++;
    else {
        snprintf(why, whylen,
                 "unknown condition \"%.60s\": expected <, <=, > "
                 "or >= after the field",
                 text);
        return -1;
    }
    while (*p == ' ')
        p++;
    n = strlen(p);
    while (n > 0 && p[n - 1] == ' ')
        n--;
    if (c->field == ALERT_HEALTH_FACTOR) {
        if (decimal_parse(&c->wad, p, n, 18, DECIMAL_EXACT) == 0)
            return 0;
        snprintf(why, whylen, "\"%.60s\": expected a health factor such as 1.1",
                 text);
    } else if (c->field == ALERT_DISTANCE) {
        int32_t ppm;

        if (stress_spec_parse_pct(p, n, &ppm) == 0) {
            c->value = ppm;
            return 0;
        }
        snprintf(why, whylen, "\"%.60s\": expected a percentage such as 5%%",
                 text);
    } else {
        int64_t ms;
        char buf[32];

        snprintf(buf, sizeof buf, "%.*s", (int)(n < 31 ? n : 31), p);
        if (n < 31 && rules_duration(buf, &ms) == 0) {
            c->value = ms / 1000;
            return 0;
        }
        snprintf(why, whylen,
                 "\"%.60s\": expected a duration such as 3600, 90m or 2h",
                 text);
    }
    return -1;
}

/* text occurs in s, ASCII case ignored. */
static bool
rules_has(const char *s, const char *text)
{
    size_t n = strlen(text);

    for (; *s != '\0'; s++)
        if (strncasecmp(s, text, n) == 0)
            return true;
    return false;
}

bool
alerts_rules_matches(struct book *b, uint32_t idx, const char *text)
{
    struct position p;
    const struct market *m;

    book_position_get(b, idx, &p);
    m = book_market(b, p.market);
    if (rules_has(p.id, text) || rules_has(p.label, text) ||
        rules_has(m->id, text))
        return true;
    for (int i = 0; i < p.ncoll + p.ndebt; i++) {
        uint8_t a = i < p.ncoll ? p.coll[i].asset : p.debt[i - p.ncoll].asset;

        if (rules_has(book_symbol_name(b, m->assets[a].sym), text))
            return true;
    }
    return false;
}

static int
rules_rule(struct alerts *al, const cJSON *o, size_t k, const char *file,
           char *err, size_t errlen)
{
    struct alerts_rule *r = &al->rules[k];
    char path[96], why[256];
    const cJSON *it;
    uint32_t n = book_position_count(al->book);
    bool has_when = false;

    snprintf(path, sizeof path, "rules[%zu]", k);
    if (!cJSON_IsObject(o))
        return rules_fail(err, errlen, file, path, "expected an object");
    r->cooldown_ms = -1;
    cJSON_ArrayForEach(it, o)
    {
        const char *key = it->string;

        snprintf(path, sizeof path, "rules[%zu].%.40s", k, key);
        if (key[0] == '_')
            continue;
        if (strcmp(key, "name") == 0) {
            if (!cJSON_IsString(it) || it->valuestring[0] == '\0' ||
                strlen(it->valuestring) >= sizeof r->name)
                return rules_fail(err, errlen, file, path,
                                  "expected a name of 1 to 63 bytes");
            snprintf(r->name, sizeof r->name, "%s", it->valuestring);
        } else if (strcmp(key, "when") == 0 || strcmp(key, "clear") == 0) {
            bool w = key[0] == 'w';

            if (!cJSON_IsString(it))
                return rules_fail(err, errlen, file, path,
                                  "expected a condition such as "
                                  "\"health_factor < 1.1\"");
            if (rules_cond(it->valuestring, w ? &r->when : &r->clear, why,
                           sizeof why) != 0)
                return rules_fail(err, errlen, file, path, why);
            if (w)
                has_when = true;
            else
                r->has_clear = true;
        } else if (strcmp(key, "cooldown") == 0) {
            if (!cJSON_IsString(it) ||
                rules_duration(it->valuestring, &r->cooldown_ms) != 0)
                return rules_fail(err, errlen, file, path,
                                  "expected a duration such as 60s or 5m");
        } else if (strcmp(key, "positions") == 0 ||
                   strcmp(key, "filter") == 0) {
            if (r->only == NULL) {
                r->only = calloc((size_t)n / 64 + 1, sizeof *r->only);
                if (r->only == NULL)
                    abort();
                r->only_n = n;
            }
            if (key[0] == 'f') {
                if (!cJSON_IsString(it) || it->valuestring[0] == '\0')
                    return rules_fail(err, errlen, file, path,
                                      "expected a text to match");
                if (r->filter != NULL)
                    return rules_fail(err, errlen, file, path,
                                      "a second filter in one rule");
                if ((r->filter = strdup(it->valuestring)) == NULL)
                    abort();
                for (uint32_t i = 0; i < n; i++)
                    if (alerts_rules_matches(al->book, i, it->valuestring))
                        r->only[i / 64] |= 1ULL << (i % 64);
                continue;
            }
            if (!cJSON_IsArray(it))
                return rules_fail(err, errlen, file, path,
                                  "expected a list of position ids");
            size_t j = 0;
            for (const cJSON *e = it->child; e != NULL; e = e->next, j++) {
                uint32_t idx;
                char safe[96];

                snprintf(path, sizeof path, "rules[%zu].positions[%zu]", k, j);
                if (!cJSON_IsString(e))
                    return rules_fail(err, errlen, file, path,
                                      "expected a position id");
                if (book_position_find(al->book, e->valuestring,
                                       strlen(e->valuestring), &idx) != 0) {
                    textout_safe(safe, sizeof safe, e->valuestring,
                                 strlen(e->valuestring), 60);
                    snprintf(why, sizeof why, "no position \"%s\" in the book",
                             safe);
                    return rules_fail(err, errlen, file, path, why);
                }
                r->only[idx / 64] |= 1ULL << (idx % 64);
            }
        } else {
            return rules_fail(err, errlen, file, path, "unknown field");
        }
    }
    snprintf(path, sizeof path, "rules[%zu]", k);
    if (r->name[0] == '\0')
        return rules_fail(err, errlen, file, path, "a rule needs a \"name\"");
    if (!has_when)
        return rules_fail(err, errlen, file, path, "a rule needs \"when\"");
    for (size_t i = 0; i < k; i++)
        if (strcmp(al->rules[i].name, r->name) == 0)
            return rules_fail(err, errlen, file, path,
                              "a second rule of this name");
    if (!r->has_clear) {
        r->clear = r->when;
        r->clear.negate = !r->when.negate;
        /* "not (hf < x)" is "hf >= x": the opposite comparison */
        if (r->when.op != ALERT_FLAG)
            r->clear.op = r->when.op == ALERT_LT   ? ALERT_GE
                          : r->when.op == ALERT_LE ? ALERT_GT
                          : r->when.op == ALERT_GT ? ALERT_LE
                                                   : ALERT_LT;
    }
    for (int c = 0; c < 2; c++) {
        enum alert_field f = c ? r->clear.field : r->when.field;

        al->need_distance = al->need_distance || f == ALERT_DISTANCE;
        al->need_gate =
            al->need_gate || f == ALERT_GATE || f == ALERT_GATE_OPEN;
        al->need_ttl = al->need_ttl || f == ALERT_TTL;
    }
    return 0;
}

static int
rules_action(struct alerts *al, const cJSON *o, size_t k, const char *file,
             char *err, size_t errlen)
{
    static const char *const kinds[] = {"file", "exec", "redis"};
    const cJSON *it, *arg = NULL;
    enum alert_act_kind kind = ALERT_ACT_FILE;
    int64_t timeout = 0;
    char path[96], why[320];

    snprintf(path, sizeof path, "actions[%zu]", k);
    if (!cJSON_IsObject(o))
        return rules_fail(err, errlen, file, path, "expected an object");
    cJSON_ArrayForEach(it, o)
    {
        bool known = false;

        snprintf(path, sizeof path, "actions[%zu].%.40s", k, it->string);
        if (it->string[0] == '_')
            continue;
        if (strcmp(it->string, "timeout") == 0) {
            if (!cJSON_IsString(it) ||
                rules_duration(it->valuestring, &timeout) != 0 || timeout <= 0)
                return rules_fail(err, errlen, file, path,
                                  "expected a duration such as 5s");
            continue;
        }
        for (int i = 0; i < 3; i++)
            if (strcmp(it->string, kinds[i]) == 0) {
                if (arg != NULL)
                    return rules_fail(err, errlen, file, path,
                                      "one action an object");
                if (!cJSON_IsString(it) || it->valuestring[0] == '\0')
                    return rules_fail(err, errlen, file, path,
                                      "expected a text");
                arg = it;
                kind = (enum alert_act_kind)i;
                known = true;
            }
        if (!known)
            return rules_fail(err, errlen, file, path,
                              "unknown action (expected exec, redis or file)");
    }
    snprintf(path, sizeof path, "actions[%zu]", k);
    if (arg == NULL)
        return rules_fail(err, errlen, file, path,
                          "an action needs exec, redis or file");
    if (timeout != 0 && kind != ALERT_ACT_EXEC)
        return rules_fail(err, errlen, file, path,
                          "timeout is for exec actions");
    snprintf(path, sizeof path, "actions[%zu].%s", k, kinds[kind]);
    if (alert_act_new(&al->acts[k], al->loop, kind, arg->valuestring,
                      (uint64_t)timeout, why, sizeof why) != 0)
        return rules_fail(err, errlen, file, path, why);
    al->nacts = k + 1;
    return 0;
}

int
alerts_rules_read(struct alerts *al, const char *file, const char *text,
                  size_t len, char *err, size_t errlen)
{
    cJSON *root = cJSON_ParseWithLength(text, len), *it;
    int64_t cooldown = 0;
    int rc = 0;

    if (root == NULL) {
        unsigned long line, col;
        char why[160];

        jsonsyntax_locate(text, len, cJSON_GetErrorPtr(), &line, &col, why,
                          sizeof why);
        snprintf(err, errlen, "%s:%lu:%lu: syntax error: %s", file, line, col,
                 why);
        return LIQ_EPARSE;
    }
    if (!cJSON_IsObject(root)) {
        rc = rules_fail(err, errlen, file, "(top)", "expected an object");
        goto out;
    }
    cJSON_ArrayForEach(it, root)
    {
        if (it->string[0] == '_')
            continue;
        if (strcmp(it->string, "rules") == 0) {
            if (!cJSON_IsArray(it) || cJSON_GetArraySize(it) == 0) {
                rc = rules_fail(err, errlen, file, "rules",
                                "expected a list of rules");
                goto out;
            }
        } else if (strcmp(it->string, "actions") == 0) {
            if (!cJSON_IsArray(it)) {
                rc = rules_fail(err, errlen, file, "actions",
                                "expected a list of actions");
                goto out;
            }
        } else if (strcmp(it->string, "cooldown") == 0) {
            if (!cJSON_IsString(it) ||
                rules_duration(it->valuestring, &cooldown) != 0) {
                rc = rules_fail(err, errlen, file, "cooldown",
                                "expected a duration such as 60s or 5m");
                goto out;
            }
        } else {
            char path[64];

            snprintf(path, sizeof path, "%.40s", it->string);
            rc = rules_fail(err, errlen, file, path, "unknown field");
            goto out;
        }
    }
    it = cJSON_GetObjectItemCaseSensitive(root, "rules");
    if (it == NULL) {
        rc = rules_fail(err, errlen, file, "rules", "missing: no rule");
        goto out;
    }
    al->nrules = (size_t)cJSON_GetArraySize(it);
    al->rules = calloc(al->nrules, sizeof *al->rules);
    if (al->rules == NULL)
        abort();
    for (size_t k = 0; k < al->nrules && rc == 0; k++) {
        rc = rules_rule(al, cJSON_GetArrayItem(it, (int)k), k, file, err,
                        errlen);
        if (al->rules[k].cooldown_ms < 0)
            al->rules[k].cooldown_ms = cooldown;
    }
    it = cJSON_GetObjectItemCaseSensitive(root, "actions");
    if (rc == 0 && it != NULL) {
        size_t n = (size_t)cJSON_GetArraySize(it);

        al->acts = calloc(n ? n : 1, sizeof *al->acts);
        if (al->acts == NULL)
            abort();
        for (size_t k = 0; k < n && rc == 0; k++)
            rc = rules_action(al, cJSON_GetArrayItem(it, (int)k), k, file, err,
                              errlen);
    }
out:
    cJSON_Delete(root);
    return rc;
}
