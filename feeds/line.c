/*
 * line.c: the feed line protocol: line splitting and JSON line parsing.
 *
 * Owns the only JSON parsing of feed data. A price is read exactly from
 * its text, a string's or a JSON number's own digits (never a double). A
 * line is malformed when it holds a duplicate key, a raw control byte or
 * \u0000 in a string, or anything after its JSON value. Nothing here
 * applies a price: it only says what a line holds.
 */
#include "feeds/line.h"

#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/decimal.h"
#include "core/liq.h"

const char *
line_reject_name(enum line_reject r)
{
    switch (r) {
    case LINE_MALFORMED:
        return "malformed";
    case LINE_TOO_LONG:
        return "too_long";
    case LINE_UNKNOWN_SYMBOL:
        return "unknown_symbol";
    case LINE_BAD_PRICE:
        return "bad_price";
    case LINE_NON_POSITIVE:
        return "non_positive";
    case LINE_REJECT_COUNT:
        break;
    }
    return "unknown";
}

static void
line_reject_add(struct line_result *out, enum line_reject r)
{
    if (out->nrejects < sizeof(out->rejects) / sizeof(out->rejects[0]))
        out->rejects[out->nrejects++] = r;
}

/* A number token of the line, as written. */
struct line_num {
    const char *s;
    size_t n;
};

#define LINE_NUMS_MAX (LINE_BATCH_MAX + 16)

/*
 * What cJSON does not check: a string holding a raw control byte or a
 * \u0000 escape (cJSON would cut it there) is malformed; and the text of
 * every number, in document order, so that a number is read from its own
 * digits and never through a double. 0, or -1 for a malformed line.
 */
static int
line_scan(const char *p, size_t len, struct line_num *nums, size_t *nnums)
{
    size_t i = 0;

    *nnums = 0;
    while (i < len) {
        unsigned char c = (unsigned char)p[i];

        if (c == '"') {
            for (i++; i < len && p[i] != '"'; i++) {
                if ((unsigned char)p[i] < 0x20)
                    return -1;
                if (p[i] == '\\') {
                    if (i + 1 >= len)
                        return -1;
                    if (p[i + 1] == 'u' && i + 5 < len &&
                        memcmp(p + i + 2, "0000", 4) == 0)
                        return -1;
                    i++;
                }
            }
            if (i >= len)
                return -1;
            i++;
            continue;
        }
        if (c == '-' || (c >= '0' && c <= '9')) {
            size_t st = i;

            while (i < len && p[i] != '\0' &&
                   strchr("+-.eE0123456789", p[i]) != NULL)
                i++;
            if (*nnums >= LINE_NUMS_MAX)
                return -1;
            nums[*nnums].s = p + st;
            nums[(*nnums)++].n = i - st;
            continue;
        }
        i++;
    }
    return 0;
}

/* The number nodes under n, in document order (pre-order). */
static void
line_collect(const cJSON *n, const cJSON **out, size_t *k)
{
    for (; n != NULL; n = n->next) {
        if (cJSON_IsNumber(n)) {
            if (*k < LINE_NUMS_MAX)
                out[*k] = n;
            (*k)++;
        }
        if (n->child != NULL)
            line_collect(n->child, out, k);
    }
}

/* Whether two members of obj share a name, or it has more than max
 * members (so that the comparison stays cheap for any line). */
static bool
line_has_dup(const cJSON *obj, int max)
{
    int n = 0;

    for (const cJSON *a = obj->child; a != NULL; a = a->next) {
        if (++n > max)
            return true;
    }
    for (const cJSON *a = obj->child; a != NULL; a = a->next) {
        for (const cJSON *b = a->next; b != NULL; b = b->next) {
            if (strcmp(a->string, b->string) == 0)
                return true;
        }
    }
    return false;
}

/* Numbers matched to their text: the nodes and the tokens, same order. */
struct line_numbers {
    const cJSON *node[LINE_NUMS_MAX];
    struct line_num tok[LINE_NUMS_MAX];
    size_t n;
};

static const struct line_num *
line_num_text(const struct line_numbers *ns, const cJSON *v)
{
    for (size_t i = 0; i < ns->n; i++) {
        if (ns->node[i] == v)
            return &ns->tok[i];
    }
    return NULL;
}

/* A price value (string or number) to PRICE_DECIMALS; a reject or 0. A
 * number is read exactly from its own text ("123456789012345678901",
 * "1e-400" is positive but below the last place: non_positive). */
static int
line_price(const cJSON *v, const struct line_numbers *ns, struct u256 *out,
           enum line_reject *why)
{
    const char *text;
    size_t n;
    int rc;

    if (cJSON_IsString(v)) {
        text = v->valuestring;
        n = strlen(text);
    } else if (cJSON_IsNumber(v)) {
        const struct line_num *t = line_num_text(ns, v);

        if (t == NULL) {
            *why = LINE_MALFORMED;
            return -1;
        }
        text = t->s;
        n = t->n;
    } else {
        *why = LINE_BAD_PRICE;
        return -1;
    }
    rc = decimal_parse(out, text, n, PRICE_DECIMALS, DECIMAL_TRUNCATE);
    if (rc == LIQ_ERANGE) {
        *why = LINE_NON_POSITIVE;
        return -1;
    }
    if (rc != 0) {
        *why = LINE_BAD_PRICE;
        return -1;
    }
    if (u256_is_zero(*out)) {
        *why = LINE_NON_POSITIVE;
        return -1;
    }
    return 0;
}

/* ts: whole milliseconds, digits only, at most 9e15. */
static int
line_ts(const struct line_num *t, int64_t *out)
{
    int64_t v = 0;

    if (t == NULL || t->n == 0 || t->n > 16)
        return -1;
    for (size_t i = 0; i < t->n; i++) {
        if (t->s[i] < '0' || t->s[i] > '9')
            return -1;
        v = v * 10 + (t->s[i] - '0');
    }
    if (v > 9000000000000000LL)
        return -1;
    *out = v;
    return 0;
}

static void
line_add(struct line_result *out, const char *sym, const cJSON *price,
         const struct line_numbers *ns, bool has_ts, int64_t ts)
{
    struct price_update *u;
    enum line_reject why = LINE_MALFORMED;
    size_t n = strlen(sym);

    if (n == 0 || n >= SYMBOL_MAX) {
        line_reject_add(out, LINE_UNKNOWN_SYMBOL);
        return;
    }
    if (out->n >= LINE_BATCH_MAX) {
        line_reject_add(out, LINE_MALFORMED);
        return;
    }
    u = &out->up[out->n];
    if (line_price(price, ns, &u->price_e18, &why) != 0) {
        line_reject_add(out, why);
        return;
    }
    memcpy(u->symbol, sym, n + 1);
    u->has_ts = has_ts;
    u->ts_ms = ts;
    out->n++;
}

/* Everything after the JSON value is blank. */
static bool
line_rest_blank(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r')
            return false;
    }
    return true;
}

/* One market's raw oracle price: a string of digits, nonzero. */
static void
line_add_oracle(struct line_result *out, const cJSON *it)
{
    struct oracle_update *o;
    size_t n = it->string != NULL ? strlen(it->string) : 0;
    const char *v = cJSON_IsString(it) ? it->valuestring : NULL;

    if (n == 0 || n >= MARKET_ID_MAX) {
        line_reject_add(out, LINE_UNKNOWN_SYMBOL);
        return;
    }
    if (out->noracle >= LINE_ORACLE_MAX || v == NULL) {
        line_reject_add(out, v == NULL ? LINE_BAD_PRICE : LINE_MALFORMED);
        return;
    }
    o = &out->oracle[out->noracle];
    if (strspn(v, "0123456789") != strlen(v) ||
        decimal_parse(&o->raw, v, strlen(v), 0, DECIMAL_EXACT) != 0) {
        line_reject_add(out, LINE_BAD_PRICE);
        return;
    }
    if (u256_is_zero(o->raw)) {
        line_reject_add(out, LINE_NON_POSITIVE);
        return;
    }
    memcpy(o->market, it->string, n + 1);
    out->noracle++;
}

void
line_parse(const char *line, size_t len, struct line_result *out)
{
    struct line_numbers ns;
    struct line_num toks[LINE_NUMS_MAX];
    size_t ntoks = 0;
    cJSON *root;
    const cJSON *sym, *price, *prices, *oracle, *ts, *it;
    const char *end = NULL;
    bool has_ts = false, blank = true;
    int64_t tsv = 0;

    out->n = 0;
    out->noracle = 0;
    out->nrejects = 0;
    for (size_t i = 0; i < len && blank; i++)
        blank = line[i] == ' ' || line[i] == '\t' || line[i] == '\r';
    if (blank)
        return;
    if (len > LINE_MAX_BYTES) {
        line_reject_add(out, LINE_TOO_LONG);
        return;
    }
    if (memchr(line, '\0', len) != NULL ||
        line_scan(line, len, toks, &ntoks) != 0) {
        line_reject_add(out, LINE_MALFORMED);
        return;
    }
    root = cJSON_ParseWithLengthOpts(line, len, &end, false);
    if (root == NULL || !cJSON_IsObject(root) || end == NULL || end < line ||
        !line_rest_blank(end, len - (size_t)(end - line)) ||
        line_has_dup(root, 64)) {
        cJSON_Delete(root);
        line_reject_add(out, LINE_MALFORMED);
        return;
    }
    ns.n = 0;
    line_collect(root->child, ns.node, &ns.n);
    if (ns.n != ntoks) {
        cJSON_Delete(root);
        line_reject_add(out, LINE_MALFORMED);
        return;
    }
    memcpy(ns.tok, toks, ntoks * sizeof(toks[0]));
    ts = cJSON_GetObjectItemCaseSensitive(root, "ts");
    if (ts != NULL) {
        if (!cJSON_IsNumber(ts) || line_ts(line_num_text(&ns, ts), &tsv) != 0) {
            cJSON_Delete(root);
            line_reject_add(out, LINE_MALFORMED);
            return;
        }
        has_ts = true;
    }
    sym = cJSON_GetObjectItemCaseSensitive(root, "symbol");
    price = cJSON_GetObjectItemCaseSensitive(root, "price");
    prices = cJSON_GetObjectItemCaseSensitive(root, "prices");
    oracle = cJSON_GetObjectItemCaseSensitive(root, "oracle");
    if (oracle != NULL) {
        if (cJSON_IsObject(oracle) && sym == NULL && price == NULL &&
            prices == NULL && !line_has_dup(oracle, 2 * LINE_ORACLE_MAX)) {
            cJSON_ArrayForEach(it, oracle)
            {
                line_add_oracle(out, it);
            }
        }
        if (out->noracle == 0 && out->nrejects == 0)
            line_reject_add(out, LINE_MALFORMED);
    } else if (cJSON_IsString(sym) && price != NULL && prices == NULL) {
        line_add(out, sym->valuestring, price, &ns, has_ts, tsv);
    } else if (cJSON_IsObject(prices) && sym == NULL && price == NULL) {
        if (line_has_dup(prices, 2 * LINE_BATCH_MAX)) {
            line_reject_add(out, LINE_MALFORMED); /* which would win? */
        } else {
            cJSON_ArrayForEach(it, prices)
            {
                line_add(out, it->string, it, &ns, has_ts, tsv);
            }
            if (out->n == 0 && out->nrejects == 0)
                line_reject_add(out, LINE_MALFORMED);
        }
    } else {
        line_reject_add(out, LINE_MALFORMED);
    }
    cJSON_Delete(root);
}

void
linebuf_init(struct linebuf *lb)
{
    memset(lb, 0, sizeof(*lb));
}

void
linebuf_done(struct linebuf *lb)
{
    free(lb->buf);
    memset(lb, 0, sizeof(*lb));
}

/* Keep bytes of the current line, unless it is already too long. */
static void
linebuf_keep(struct linebuf *lb, const char *data, size_t n)
{
    if (lb->overlong)
        return;
    if (lb->len + n > LINE_MAX_BYTES) {
        lb->overlong = true;
        lb->len = 0;
        return;
    }
    if (lb->len + n > lb->cap) {
        size_t cap = lb->cap ? lb->cap : 256;
        char *nb;

        while (cap < lb->len + n)
            cap *= 2;
        nb = realloc(lb->buf, cap);
        if (nb == NULL)
            liq_nomem();
        lb->buf = nb;
        lb->cap = cap;
    }
    memcpy(lb->buf + lb->len, data, n);
    lb->len += n;
}

static void
linebuf_emit(struct linebuf *lb, linebuf_cb cb, void *arg)
{
    size_t n = lb->len;

    if (lb->overlong) {
        cb(arg, "", 0, true);
    } else {
        if (n > 0 && lb->buf[n - 1] == '\r')
            n--;
        cb(arg, lb->buf != NULL ? lb->buf : "", n, false);
    }
    lb->len = 0;
    lb->overlong = false;
}

void
linebuf_feed(struct linebuf *lb, const char *data, size_t len, linebuf_cb cb,
             void *arg)
{
    while (len > 0) {
        const char *nl = memchr(data, '\n', len);
        size_t n = nl != NULL ? (size_t)(nl - data) : len;

        /* A whole line in this read with nothing pending: no copy. */
        if (nl != NULL && lb->len == 0 && !lb->overlong) {
            size_t m = n;

            if (m > LINE_MAX_BYTES) {
                cb(arg, "", 0, true);
            } else {
                if (m > 0 && data[m - 1] == '\r')
                    m--;
                cb(arg, data, m, false);
            }
        } else {
            linebuf_keep(lb, data, n);
            if (nl != NULL)
                linebuf_emit(lb, cb, arg);
        }
        if (nl == NULL)
            break;
        data += n + 1;
        len -= n + 1;
    }
}

void
linebuf_flush(struct linebuf *lb, linebuf_cb cb, void *arg)
{
    if (lb->len > 0 || lb->overlong)
        linebuf_emit(lb, cb, arg);
}

size_t
line_format(char *buf, size_t cap, const struct price_update *up)
{
    char price[DECIMAL_BUF];
    int n;

    decimal_format(price, sizeof(price), up->price_e18, PRICE_DECIMALS);
    if (up->has_ts)
        n = snprintf(buf, cap,
                     "{\"symbol\": \"%s\", \"price\": \"%s\", "
                     "\"ts\": %lld}",
                     up->symbol, price, (long long)up->ts_ms);
    else
        n = snprintf(buf, cap, "{\"symbol\": \"%s\", \"price\": \"%s\"}",
                     up->symbol, price);
    return n < 0 ? 0 : (size_t)n;
}
