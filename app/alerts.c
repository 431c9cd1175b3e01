/*
 * alerts.c: --alerts RULES.json: loading the rules (read by
 * app/alerts_rules.c), evaluating them on the positions a tick recomputed
 * with each rule's hysteresis (core/alert), formatting each event as one
 * JSON line and handing it to every action (app/alert_act).
 *
 * Owns struct alerts. State is kept only for the (rule, position) pairs
 * that ever met a rule, in one hash table, with a bit a position that
 * has any (so a position outside every condition costs no look-up); a
 * tick costs the moved symbols' holders, and the pairs cooling down. Never
 * draws, never blocks.
 */
#include "app/alerts_int.h"

#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include "app/alert_act.h"
#include "app/textout.h"
#include "core/alert.h"
#include "core/decimal.h"
#include "core/liq.h"
#include "core/liqprice.h"
#include "core/model.h"
#include "core/preview.h"

int
alerts_load(struct alerts **out, uv_loop_t *loop, struct book *b,
            const char *path, char *err, size_t errlen)
{
    struct alerts *al = calloc(1, sizeof *al);
    FILE *f = fopen(path, "rb");
    char *text = NULL;
    size_t len = 0, cap = 0, n;
    int rc;

    if (al == NULL)
        abort();
    al->loop = loop;
    al->book = b;
    if (f == NULL) {
        snprintf(err, errlen, "%s: cannot read the alert rules", path);
        free(al);
        return LIQ_EIO;
    }
    do {
        if (len + 4096 > cap) {
            cap = cap ? cap * 2 : 8192;
            text = realloc(text, cap);
            if (text == NULL)
                abort();
        }
        n = fread(text + len, 1, cap - len, f);
        len += n;
    } while (n > 0 && len < (1u << 24));
    fclose(f);
    rc = alerts_rules_read(al, path, text, len, err, errlen);
    free(text);
    if (rc != 0) {
        alerts_free(al);
        return rc;
    }
    al->npos = book_position_count(b);
    al->stamp = calloc((size_t)book_position_count(b) + 1, sizeof *al->stamp);
    al->tracked =
        calloc((size_t)book_position_count(b) / 64 + 1, sizeof *al->tracked);
    al->due = calloc((size_t)book_position_count(b) + 1, sizeof *al->due);
    al->start_s = alerts_ttl_clock_ms() / 1000;
    if (al->stamp == NULL || al->tracked == NULL || al->due == NULL)
        abort();
    *out = al;
    return 0;
}

int
alerts_start(struct alerts *al)
{
    for (size_t i = 0; i < al->nacts; i++) {
        int rc = alert_act_start(al->acts[i]);

        if (rc != 0)
            return rc;
    }
    return 0;
}

int
alerts_add_listener(struct alerts *al, alerts_listener_fn fn, void *ctx)
{
    if (al->nlisteners == ALERTS_LISTENERS)
        return LIQ_ELIMIT;
    al->listener[al->nlisteners] = fn;
    al->listener_ctx[al->nlisteners++] = ctx;
    return 0;
}

static struct alert_track *alerts_track(struct alerts *al, uint64_t key,
                                        bool make);

int
alerts_reload(struct alerts *al, const char *path, char *err, size_t errlen)
{
    struct alerts *n;
    uint64_t *okey = al->tkey;
    struct alert_track *oval = al->tval;
    size_t ocap = al->tcap;
    int rc = alerts_load(&n, al->loop, al->book, path, err, errlen);

    if (rc != 0)
        return rc;
    rc = alerts_start(n);
    if (rc != 0) {
        snprintf(err, errlen, "%s: cannot start its actions", path);
        for (size_t i = 0; i < n->nacts; i++)
            alert_act_abandon(n->acts[i]);
        /* their handles close on the loop; keep them until the end */
        al->retired = realloc(al->retired, (al->nretired + n->nacts + 1) *
                                               sizeof *al->retired);
        if (al->retired == NULL)
            abort();
        for (size_t i = 0; i < n->nacts; i++)
            al->retired[al->nretired++] = n->acts[i];
        n->nacts = 0;
        alerts_free(n);
        return LIQ_EIO;
    }
    /* The old actions deliver what they hold, then close. */
    al->retired = realloc(al->retired,
                          (al->nretired + al->nacts + 1) * sizeof *al->retired);
    if (al->retired == NULL)
        abort();
    for (size_t i = 0; i < al->nacts; i++) {
        alert_act_stop(al->acts[i]);
        al->retired[al->nretired++] = al->acts[i];
    }
    free(al->acts);
    al->acts = n->acts;
    al->nacts = n->nacts;
    n->acts = NULL;
    n->nacts = 0;
    /* Rules: those of an old name keep their state per position. */
    al->tkey = NULL;
    al->tval = NULL;
    al->tcap = al->tn = 0;
    for (size_t k = 0; k < ocap; k++) {
        size_t r = okey[k] == 0 ? 0 : (size_t)((okey[k] - 1) >> 32);

        if (okey[k] == 0 || r >= al->nrules)
            continue;
        for (size_t j = 0; j < n->nrules; j++)
            if (strcmp(al->rules[r].name, n->rules[j].name) == 0) {
                uint64_t key =
                    (uint64_t)j << 32 | ((okey[k] - 1) & 0xffffffffu);

                struct alert_track *t = alerts_track(al, key, true);

                *t = oval[k];
                t->queued = false; /* the full pass queues it again */
            }
    }
    free(okey);
    free(oval);
    for (size_t i = 0; i < al->nrules; i++) {
        free(al->rules[i].only);
        free(al->rules[i].filter);
    }
    free(al->rules);
    al->rules = n->rules;
    al->nrules = n->nrules;
    n->rules = NULL;
    n->nrules = 0;
    al->need_distance = n->need_distance;
    al->need_gate = n->need_gate;
    al->need_ttl = n->need_ttl;
    al->ncooling = 0; /* the full pass below finds them again */
    al->first_done = false;
    alerts_free(n);
    return 0;
}

/* ---- evaluation ---- */

static struct alert_track *
alerts_track(struct alerts *al, uint64_t key, bool make)
{
    size_t i;

    if (al->tcap == 0 || (make && (al->tn + 1) * 2 > al->tcap)) {
        size_t ncap = al->tcap ? al->tcap * 2 : 1024;
        uint64_t *nk = calloc(ncap, sizeof *nk);
        struct alert_track *nv = calloc(ncap, sizeof *nv);

        if (nk == NULL || nv == NULL)
            abort();
        for (size_t k = 0; k < al->tcap; k++) {
            if (al->tkey[k] == 0)
                continue;
            for (i = (al->tkey[k] * 0x9e3779b97f4a7c15ULL) >> 20;
                 nk[i & (ncap - 1)]; i++)
                ;
            nk[i & (ncap - 1)] = al->tkey[k];
            nv[i & (ncap - 1)] = al->tval[k];
        }
        free(al->tkey);
        free(al->tval);
        al->tkey = nk;
        al->tval = nv;
        al->tcap = ncap;
    }
    for (i = ((key + 1) * 0x9e3779b97f4a7c15ULL) >> 20;; i++) {
        size_t s = i & (al->tcap - 1); /* tcap: a power of 2 */

        if (al->tkey[s] == key + 1)
            return &al->tval[s];
        if (al->tkey[s] == 0) {
            if (!make)
                return NULL;
            al->tkey[s] = key + 1;
            al->tracked[(key & 0xffffffffu) / 64] |= 1ULL << (key % 64);
            memset(&al->tval[s], 0, sizeof al->tval[s]);
            al->tn++;
            return &al->tval[s];
        }
    }
}

/* The figures the rules look at, for position idx now; *got tells
 * whether *p was filled (only distance and gate need the legs). A ttl is
 * what is left at the clock (al->clock_ms) of the figure counted from the
 * later of as_of and the watch's start: the second *liq_at_s. */
static void
alerts_figures(struct alerts *al, uint32_t idx, struct position *p, bool *got,
               struct alert_figures *f, int64_t *liq_at_s)
{
    const struct market *m;
    struct u256 price[MARKET_ASSETS_MAX];
    struct book_health a;

    memset(f, 0, sizeof *f);
    *got = false;
    if (!book_read_health(al->book, idx, &a))
        return;
    f->priced = true;
    f->has_debt = a.has_debt;
    f->liquidatable = a.liquidatable;
    f->bad_debt = a.bad_debt;
    f->hf = a.hf;
    if (!(al->need_distance || al->need_gate || al->need_ttl) || !a.has_debt)
        return;
    book_position_get(al->book, idx, p);
    *got = true;
    m = book_market(al->book, p->market);
    book_prices_base(al->book, p->market, price, NULL);
    if (al->need_ttl) {
        int64_t t;

        /* as snapshot's time_to_liquidation: none (never within the
         * horizon, or no rates) meets no comparison */
        int64_t from = m->as_of > al->start_s ? m->as_of : al->start_s;

        if (model_time_to_liquidation(m, p, price, &t) == 0 && t >= 0 &&
            !__builtin_add_overflow(from, t, liq_at_s)) {
            f->has_ttl = true;
            f->ttl_s = alerts_ttl_left(*liq_at_s, from, al->clock_ms);
        }
    }
    if (p->ncoll == 0 || !(al->need_distance || al->need_gate))
        return;
    int coll = model_largest_leg(m, p, false, price);
    if (al->need_distance) {
        uint8_t asset = p->coll[coll].asset;
        bool exists = false;

        if (liqprice_compute(m, p, price, asset, &exists, &f->liq_price) == 0 &&
            exists) {
            f->has_distance = true;
            f->price = price[asset];
        }
    }
    if (al->need_gate) {
        struct liq_call call = {.max = true};
        struct liq_result res;

        call.debt = (uint8_t)model_largest_leg(m, p, true, price);
        call.coll = (uint8_t)coll;
        if (model_liquidate(m, p, price, &call, &res) == 0)
            f->gated = res.revert == REVERT_PAUSED ||
                       res.revert == REVERT_GRACE_PERIOD ||
                       res.revert == REVERT_SENTINEL ||
                       res.revert == REVERT_COOL_OFF;
    }
}

/* One event told: the counts, every action, every listener. */
static void
alerts_tell(struct alerts *al, const char *rule, const char *position,
            const char *line, bool fired)
{
    struct alerts_event e;

    if (fired)
        al->fired++;
    else
        al->cleared++;
    for (size_t i = 0; i < al->nacts; i++)
        alert_act_push(al->acts[i], line);
    e.line = line;
    e.rule = rule;
    e.position = position;
    e.fired = fired;
    for (size_t i = 0; i < al->nlisteners; i++)
        al->listener[i](al->listener_ctx[i], &e);
}

/* One event kept for alerts_flush (alerts_defer). */
static void
alerts_hold(struct alerts *al, const char *rule, const char *position,
            const char *line, bool fired)
{
    size_t nr = strlen(rule) + 1, np = strlen(position) + 1,
           nl = strlen(line) + 1, need = 1 + nr + np + nl;

    if (al->capheld - al->nheld < need) {
        size_t cap = al->capheld ? al->capheld : 65536;

        while (cap - al->nheld < need)
            cap *= 2;
        al->held = realloc(al->held, cap);
        if (al->held == NULL)
            abort();
        al->capheld = cap;
    }
    al->held[al->nheld++] = fired ? 1 : 0;
    memcpy(al->held + al->nheld, rule, nr);
    memcpy(al->held + al->nheld + nr, position, np);
    memcpy(al->held + al->nheld + nr + np, line, nl);
    al->nheld += nr + np + nl;
}

void
alerts_defer(struct alerts *al, bool on)
{
    al->defer = on;
}

void
alerts_flush(struct alerts *al)
{
    size_t o = 0;

    while (o < al->nheld) {
        bool fired = al->held[o++] != 0;
        const char *rule = al->held + o;
        const char *position = rule + strlen(rule) + 1;
        const char *line = position + strlen(position) + 1;

        o = (size_t)(line + strlen(line) + 1 - al->held);
        alerts_tell(al, rule, position, line, fired);
    }
    al->nheld = 0;
    if (al->capheld > ((size_t)1 << 20)) { /* a burst: not kept */
        free(al->held);
        al->held = NULL;
        al->capheld = 0;
    }
}

static void
alerts_emit(struct alerts *al, const struct alerts_rule *r,
            const struct position *p, const struct alert_figures *f, bool fired,
            int64_t now_ms)
{
    const struct market *m = book_market(al->book, p->market);
    char line[ALERTS_LINE], num[DECIMAL_BUF];
    uint32_t seen[2 * POSITION_SIDE_MAX];
    size_t o = 0, nseen = 0;

    /* ids and labels are at most 128 bytes: escaped, well within */
    o += (size_t)snprintf(line + o, sizeof line - o,
                          "{\"ts\": %lld, \"rule\": ", (long long)now_ms);
    o += textout_json_quote(line + o, r->name);
    memcpy(line + o, ", \"position\": ", 14);
    o += 14;
    o += textout_json_quote(line + o, p->id);
    memcpy(line + o, ", \"market\": ", 12);
    o += 12;
    o += textout_json_quote(line + o, m->id);
    if (f->priced && f->has_debt) {
        decimal_format(num, sizeof num, f->hf, 18);
        o += (size_t)snprintf(line + o, sizeof line - o,
                              ", \"health_factor\": \"%s\"", num);
    } else {
        o += (size_t)snprintf(line + o, sizeof line - o,
                              ", \"health_factor\": null");
    }
    o += (size_t)snprintf(line + o, sizeof line - o,
                          ", \"liquidatable\": %s, \"event\": \"%s\", "
                          "\"prices\": {",
                          f->liquidatable ? "true" : "false",
                          fired ? "fired" : "cleared");
    for (int i = 0; i < p->ncoll + p->ndebt && o + 200 < sizeof line; i++) {
        uint8_t a =
            i < p->ncoll ? p->coll[i].asset : p->debt[i - p->ncoll].asset;
        uint32_t sym = m->assets[a].sym;
        struct u256 px;
        size_t k = 0;

        while (k < nseen && seen[k] != sym)
            k++;
        if (k < nseen || !book_price_effective(al->book, sym, &px))
            continue;
        seen[nseen++] = sym;
        if (nseen > 1) {
            memcpy(line + o, ", ", 2);
            o += 2;
        }
        o += textout_json_quote(line + o, book_symbol_name(al->book, sym));
        decimal_format(num, sizeof num, px, PRICE_DECIMALS);
        o += (size_t)snprintf(line + o, sizeof line - o, ": \"%s\"", num);
    }
    snprintf(line + o, sizeof line - o, "}}");
    if (al->defer)
        alerts_hold(al, r->name, p->id, line, fired);
    else
        alerts_tell(al, r->name, p->id, line, fired);
}

/* The pair key (its track t) looked at again at the next ticks while it
 * cools down: once in the list, however often it is evaluated. */
static void
alerts_queue(struct alerts *al, uint64_t key, struct alert_track *t)
{
    if (t->queued)
        return;
    if (al->ncooling == al->capcooling) {
        al->capcooling = al->capcooling ? al->capcooling * 2 : 64;
        al->cooling =
            realloc(al->cooling, al->capcooling * sizeof *al->cooling);
        if (al->cooling == NULL)
            abort();
    }
    al->cooling[al->ncooling++] = key;
    t->queued = true;
}

/* Every rule covering idx, once this tick. */
static void
alerts_eval(struct alerts *al, uint32_t idx, int64_t now_ms)
{
    struct alert_figures f;
    struct position p;
    bool have = false, got = false;
    int64_t liq_at_s = 0;

    if (al->stamp[idx] == al->epoch)
        return;
    al->stamp[idx] = al->epoch;
    for (size_t k = 0; k < al->nrules; k++) {
        const struct alerts_rule *r = &al->rules[k];
        uint64_t key = (uint64_t)k << 32 | idx;
        struct alert_track *t;
        enum alert_event ev;
        bool when, clear;

        if (r->only != NULL && !((r->only[idx / 64] >> (idx % 64)) & 1))
            continue;
        if (!have) {
            alerts_figures(al, idx, &p, &got, &f, &liq_at_s);
            have = true;
        }
        when = alert_cond_holds(&r->when, &f);
        if (!when && !((al->tracked[idx / 64] >> (idx % 64)) & 1))
            continue; /* armed and quiet, and never tracked */
        t = alerts_track(al, key, false);
        if (t == NULL) {
            if (!when)
                continue; /* armed and quiet: no state to keep */
            t = alerts_track(al, key, true);
        }
        clear = alert_cond_holds(&r->clear, &f);
        ev = alert_step(t, when, clear, now_ms, r->cooldown_ms);
        if (t->state == ALERT_COOLING)
            alerts_queue(al, key, t);
        if (ev == ALERT_NONE)
            continue;
        if (!got) {
            book_position_get(al->book, idx, &p);
            got = true;
        }
        alerts_emit(al, r, &p, &f, ev == ALERT_FIRE, now_ms);
    }
    if (have && al->need_ttl)
        alerts_ttl_note(al, idx, f.has_ttl, liq_at_s, al->clock_ms);
}

/* Grow a bitset of `had` positions' words to n positions', zeroed. */
static uint64_t *
alerts_bits_grow(uint64_t *bits, uint32_t had, uint32_t n)
{
    size_t ow = (size_t)had / 64 + 1, nw = (size_t)n / 64 + 1;

    bits = realloc(bits, nw * sizeof *bits);
    if (bits == NULL)
        abort();
    memset(bits + ow, 0, (nw - ow) * sizeof *bits);
    return bits;
}

/* Positions the book gained since (a chain source's new borrower): the
 * per-position arrays and every rule's set grown to cover them, a rule's
 * filter tried on each. *from gets the first new one. */
static void
alerts_grow(struct alerts *al, uint32_t n, uint32_t *from)
{
    *from = n;
    for (size_t k = 0; k < al->nrules; k++) {
        struct alerts_rule *r = &al->rules[k];

        if (r->only == NULL || r->only_n >= n)
            continue;
        r->only = alerts_bits_grow(r->only, r->only_n, n);
        for (uint32_t i = r->only_n; i < n && r->filter != NULL; i++)
            if (alerts_rules_matches(al->book, i, r->filter))
                r->only[i / 64] |= 1ULL << (i % 64);
        r->only_n = n;
    }
    if (al->npos >= n)
        return;
    al->stamp = realloc(al->stamp, ((size_t)n + 1) * sizeof *al->stamp);
    if (al->stamp == NULL)
        abort();
    memset(al->stamp + al->npos + 1, 0,
           ((size_t)n - al->npos) * sizeof *al->stamp);
    al->tracked = alerts_bits_grow(al->tracked, al->npos, n);
    alerts_ttl_grow(al, al->npos, n);
    *from = al->npos;
    al->npos = n;
}

void
alerts_tick(struct alerts *al, const uint32_t *syms, uint32_t nsyms,
            int64_t now_ms)
{
    alerts_judge(al, syms, nsyms, NULL, 0, now_ms);
}

void
alerts_judge(struct alerts *al, const uint32_t *syms, uint32_t nsyms,
             const uint32_t *idx, size_t nidx, int64_t now_ms)
{
    uint32_t n = book_position_count(al->book), added;
    size_t nc = al->ncooling;

    alerts_grow(al, n, &added);
    al->clock_ms = alerts_ttl_clock_ms();

    if (++al->epoch == 0) {
        memset(al->stamp, 0, ((size_t)n + 1) * sizeof *al->stamp);
        al->epoch = 1;
    }
    if (!al->first_done) {
        /* Once: every position, so that those already in a rule's
         * condition fire at the start. */
        al->first_done = true;
        for (uint32_t i = 0; i < n; i++)
            alerts_eval(al, i, now_ms);
        return;
    }
    for (uint32_t i = added; i < n; i++)
        alerts_eval(al, i, now_ms);
    for (uint32_t s = 0; s < nsyms; s++) {
        uint32_t nh;
        const uint32_t *h = book_holders(al->book, syms[s], &nh);

        for (uint32_t k = 0; k < nh; k++)
            alerts_eval(al, h[k], now_ms);
    }
    for (size_t k = 0; k < nidx; k++)
        if (idx[k] < n)
            alerts_eval(al, idx[k], now_ms);
    /* Pairs cooling down fire when the cooldown has passed, moved or not;
     * those re-queued above or here are appended after nc. */
    for (size_t i = 0; i < nc; i++) {
        uint64_t key = al->cooling[i];
        struct alert_track *t = alerts_track(al, key, false);

        if (t != NULL)
            t->queued = false;
        alerts_eval(al, (uint32_t)key, now_ms);
        /* evaluated already this tick (a holder of a moved symbol), it was
         * not queued again there: queue it here while it still cools */
        t = alerts_track(al, key, false);
        if (t != NULL && t->state == ALERT_COOLING)
            alerts_queue(al, key, t);
    }
    if (nc > 0) {
        memmove(al->cooling, al->cooling + nc,
                (al->ncooling - nc) * sizeof *al->cooling);
        al->ncooling -= nc;
    }
}

/* ---- the end ---- */

static void
alerts_drain_closed_cb(uv_handle_t *h)
{
    (void)h;
}

static void
alerts_drain_cb(uv_timer_t *t)
{
    struct alerts *al = t->data;
    bool idle = true;

    if (uv_now(al->loop) >= al->drain_started + ALERTS_DRAIN_MS) {
        for (size_t i = 0; i < al->nacts; i++)
            if (!alert_act_idle(al->acts[i]))
                alert_act_abandon(al->acts[i]);
        for (size_t i = 0; i < al->nretired; i++)
            if (!alert_act_idle(al->retired[i]))
                alert_act_abandon(al->retired[i]);
    }
    for (size_t i = 0; i < al->nacts; i++)
        idle = idle && alert_act_idle(al->acts[i]);
    for (size_t i = 0; i < al->nretired; i++)
        idle = idle && alert_act_idle(al->retired[i]);
    if (idle && al->drain_open) {
        al->drain_open = false;
        uv_close((uv_handle_t *)&al->drain, alerts_drain_closed_cb);
    }
}

void
alerts_stop(struct alerts *al)
{
    if (al->draining)
        return;
    al->draining = true;
    alerts_ttl_stop(al);
    for (size_t i = 0; i < al->nacts; i++)
        alert_act_stop(al->acts[i]);
    if (uv_timer_init(al->loop, &al->drain) != 0)
        return;
    al->drain.data = al;
    al->drain_open = true;
    al->drain_started = uv_now(al->loop);
    uv_timer_start(&al->drain, alerts_drain_cb, 0, 20);
}

uint64_t
alerts_fired(const struct alerts *al)
{
    return al->fired;
}

uint64_t
alerts_actions_failed(const struct alerts *al)
{
    uint64_t n = 0;

    for (size_t i = 0; i < al->nacts; i++)
        n += al->acts[i]->failed + al->acts[i]->dropped;
    for (size_t i = 0; i < al->nretired; i++)
        n += al->retired[i]->failed + al->retired[i]->dropped;
    return n;
}

const char *
alerts_last_error(const struct alerts *al)
{
    for (size_t i = 0; i < al->nacts; i++)
        if (al->acts[i]->error[0] != '\0')
            return al->acts[i]->error;
    return "";
}

void
alerts_report_json(const struct alerts *al, FILE *out)
{
    fprintf(out,
            "\"alerts_fired\": %llu, \"alerts_cleared\": %llu, "
            "\"actions_failed\": %llu, \"actions\": [",
            (unsigned long long)al->fired, (unsigned long long)al->cleared,
            (unsigned long long)alerts_actions_failed(al));
    for (size_t i = 0; i < al->nacts; i++) {
        const struct alert_act *a = al->acts[i];

        fputs(i ? ", {\"action\": " : "{\"action\": ", out);
        textout_json_str(out, a->spec);
        fprintf(out, ", \"sent\": %llu, \"failed\": %llu, \"dropped\": %llu",
                (unsigned long long)a->sent, (unsigned long long)a->failed,
                (unsigned long long)a->dropped);
        fputs(", \"error\": ", out);
        if (a->error[0] == '\0')
            fputs("null", out);
        else
            textout_json_str(out, a->error);
        fputc('}', out);
    }
    fputs("], ", out);
}

void
alerts_free(struct alerts *al)
{
    if (al == NULL)
        return;
    for (size_t i = 0; i < al->nrules; i++) {
        free(al->rules[i].only);
        free(al->rules[i].filter);
    }
    for (size_t i = 0; i < al->nacts; i++)
        alert_act_free(al->acts[i]);
    for (size_t i = 0; i < al->nretired; i++)
        alert_act_free(al->retired[i]);
    free(al->retired);
    free(al->rules);
    free(al->acts);
    free(al->tkey);
    free(al->tval);
    free(al->cooling);
    free(al->stamp);
    free(al->tracked);
    free(al->due);
    free(al->heap);
    free(al->held);
    free(al);
}

void
alerts_set_busy(struct alerts *al, bool (*busy)(void *ctx), void *ctx)
{
    al->busy = busy;
    al->busy_ctx = ctx;
}
