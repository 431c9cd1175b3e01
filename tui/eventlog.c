/*
 * eventlog.c: what changed, in words, from what each book update
 * recomputed: tiers entered and left, bad debt, price moves of
 * EVENTLOG_MOVE_BPS or more since the last one logged, story chapters.
 *
 * Owns the ring and the last-seen tier of every position. Must not scan
 * the book per update: it walks the holders of the symbols whose
 * generation moved, as the dashboard's orders do.
 */
#include "tui/eventlog.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/decimal.h"
#include "core/health.h"
#include "tui/fmt.h"

static const char *
eventlog_tier_name(unsigned t)
{
    switch (t) {
    case TIER_LIQUIDATABLE:
        return "LIQ!!";
    case TIER_PRE:
        return "PRE";
    case TIER_DANGER:
        return "DANGER";
    case TIER_WARN:
        return "warn";
    case TIER_OK:
        return "ok";
    case TIER_NO_DEBT:
        return "no debt";
    default:
        break;
    }
    return "no price";
}

static enum role
eventlog_tier_role(unsigned t)
{
    switch (t) {
    case TIER_LIQUIDATABLE:
        return ROLE_TIER_LIQUIDATABLE;
    case TIER_PRE:
        return ROLE_TIER_PRE;
    case TIER_DANGER:
        return ROLE_TIER_DANGER;
    case TIER_WARN:
        return ROLE_TIER_WARN;
    case TIER_OK:
        return ROLE_TIER_OK;
    default:
        break;
    }
    return ROLE_TEXT;
}

/* The tier now, TIER_COUNT without a price; *bad the bad-debt flag. */
static uint8_t
eventlog_tier_now(struct book *b, uint32_t idx, bool *bad, struct u256 *hf)
{
    struct account a;

    *bad = false;
    if (!book_read_account(b, idx, &a))
        return TIER_COUNT;
    *bad = a.bad_debt;
    *hf = a.hf;
    return (uint8_t)book_read_tier(b, idx);
}

/* Every position's tier and every symbol's generation, silently: the
 * state the next updates are compared with. */
static void
eventlog_seed(struct eventlog *e)
{
    struct book *b = e->book;
    uint32_t np = book_position_count(b), ns = book_symbol_count(b);

    free(e->tier);
    free(e->bad);
    free(e->last);
    e->npos = np;
    e->tier = malloc(np ? np : 1);
    e->bad = malloc(np ? np : 1);
    e->last = calloc(np ? np : 1, sizeof(*e->last));
    if (e->tier == NULL || e->bad == NULL || e->last == NULL)
        abort();
    for (uint32_t i = 0; i < np; i++) {
        bool bad;
        struct u256 hf;

        e->tier[i] = eventlog_tier_now(b, i, &bad, &hf);
        e->bad[i] = bad;
    }
    if (ns != e->nsym) {
        uint32_t old = e->nsym;

        e->gen = realloc(e->gen, (ns ? ns : 1) * sizeof(*e->gen));
        e->first = realloc(e->first, (ns ? ns : 1) * sizeof(*e->first));
        e->ref = realloc(e->ref, (ns ? ns : 1) * sizeof(*e->ref));
        e->have = realloc(e->have, (ns ? ns : 1) * sizeof(*e->have));
        if (e->gen == NULL || e->first == NULL || e->ref == NULL ||
            e->have == NULL)
            abort();
        for (uint32_t s = old; s < ns; s++)
            e->have[s] = false;
        e->nsym = ns;
    }
    for (uint32_t s = 0; s < ns; s++) {
        struct u256 p;

        e->gen[s] = book_symbol_generation(b, s);
        if (!e->have[s] && book_price_get(b, s, &p, NULL)) {
            e->first[s] = e->ref[s] = p;
            e->have[s] = true;
        }
    }
}

void
eventlog_init(struct eventlog *e, struct book *b)
{
    memset(e, 0, sizeof(*e));
    e->book = b;
    e->ring = calloc(EVENTLOG_CAP, sizeof(*e->ring));
    if (e->ring == NULL)
        abort();
    eventlog_seed(e);
}

void
eventlog_done(struct eventlog *e)
{
    free(e->ring);
    free(e->tier);
    free(e->bad);
    free(e->last);
    free(e->gen);
    free(e->first);
    free(e->ref);
    free(e->have);
    memset(e, 0, sizeof(*e));
}

void
eventlog_add(struct eventlog *e, int64_t ts_ms, enum role role,
             const char *text)
{
    struct eventlog_entry *x = &e->ring[e->head];

    memset(x, 0, sizeof(*x));
    x->ts_ms = ts_ms;
    x->role = role;
    snprintf(x->text, sizeof(x->text), "%s", text);
    e->head = (e->head + 1) % EVENTLOG_CAP;
    if (e->n < EVENTLOG_CAP)
        e->n++;
    e->total++;
    /* A reader scrolled back keeps looking at the same entries. */
    if (e->scroll > 0 && e->scroll + 1 < e->n)
        e->scroll++;
}

const struct eventlog_entry *
eventlog_at(const struct eventlog *e, uint32_t i)
{
    if (i >= e->n)
        return NULL;
    return &e->ring[(e->head + EVENTLOG_CAP - 1 - i) % EVENTLOG_CAP];
}

/* (to - from) / from in bps, truncated toward zero. */
static int64_t
eventlog_bps(struct u256 from, struct u256 to)
{
    struct u256 d, q = u256_zero();
    bool down = u256_lt(to, from);

    if (u256_is_zero(from))
        return 0;
    (void)u256_sub(&d, down ? from : to, down ? to : from);
    if (u256_muldiv(&q, d, u256_from_u64(10000), from, U256_FLOOR) != 0 ||
        !u256_fits_u64(q) || u256_to_u64(q) > 1000000000)
        return down ? -1000000000 : 1000000000;
    return down ? -(int64_t)u256_to_u64(q) : (int64_t)u256_to_u64(q);
}

bool
eventlog_change_bps(const struct eventlog *e, uint32_t sym, int64_t *bps)
{
    struct u256 p;

    if (sym >= e->nsym || !e->have[sym] ||
        !book_price_get(e->book, sym, &p, NULL))
        return false;
    *bps = eventlog_bps(e->first[sym], p);
    return true;
}

static void
eventlog_price(struct eventlog *e, int64_t ts_ms, uint32_t s)
{
    struct u256 p;
    int64_t bps;
    char num[64], line[EVENTLOG_TEXT];

    if (!book_price_get(e->book, s, &p, NULL))
        return;
    if (!e->have[s]) {
        e->first[s] = e->ref[s] = p;
        e->have[s] = true;
        return;
    }
    bps = eventlog_bps(e->ref[s], p);
    if (bps > -EVENTLOG_MOVE_BPS && bps < EVENTLOG_MOVE_BPS)
        return;
    {
        /* As the price strip: two places from 1,000 up, four below. */
        struct u256 k = u256_zero();

        (void)u256_mul(&k, u256_from_u64(1000),
                       u256_from_u64(1000000000000000000ULL));
        fmt_amount(num, sizeof(num), p, PRICE_DECIMALS, u256_lt(p, k) ? 4 : 2);
    }
    snprintf(line, sizeof(line), "%s %s %lld.%02lld %% to %s",
             book_symbol_name(e->book, s), bps < 0 ? "down" : "up",
             (long long)((bps < 0 ? -bps : bps) / 100),
             (long long)((bps < 0 ? -bps : bps) % 100), num);
    eventlog_add(e, ts_ms, bps < 0 ? ROLE_WARNING : ROLE_GOOD, line);
    e->ref[s] = p;
}

/*
 * Position idx changed to tier t: when its newest tier entry is still in
 * the ring, went between the same two tiers and changed less than
 * EVENTLOG_WOBBLE_MS ago, rewrite that entry (its time stays the first
 * change's; the id is cut to 30 bytes to fit) and say true; the log then holds
 * one line for a price wobbling at a tier's line, not one a tick.
 */
static bool
eventlog_wobble(struct eventlog *e, uint32_t idx, const struct position *p,
                uint8_t t, const char *h, int64_t ts_ms)
{
    struct eventlog_entry *x;
    uint64_t k = e->last[idx];

    if (k == 0 || e->total - (k - 1) > e->n)
        return false; /* none, or no longer in the ring */
    x = &e->ring[(k - 1) % EVENTLOG_CAP];
    if (x->pos != idx + 1 || ts_ms < x->last_ms ||
        ts_ms - x->last_ms >= EVENTLOG_WOBBLE_MS ||
        !((x->from == t && x->to == e->tier[idx]) ||
          (x->to == t && x->from == e->tier[idx])))
        return false;
    x->changes++;
    x->last_ms = ts_ms;
    x->role = eventlog_tier_role(t);
    snprintf(x->text, sizeof(x->text),
             "%.30s wobbles %s/%s, %u changes, now %s (health %.8s)", p->id,
             eventlog_tier_name(x->from), eventlog_tier_name(x->to), x->changes,
             eventlog_tier_name(t), h);
    return true;
}

void
eventlog_update(struct eventlog *e, int64_t ts_ms)
{
    struct book *b = e->book;
    uint32_t logged = 0, more = 0;

    if (book_position_count(b) != e->npos || book_symbol_count(b) != e->nsym) {
        eventlog_seed(e);
        return;
    }
    for (uint32_t s = 0; s < e->nsym; s++) {
        const uint32_t *pos = NULL;
        uint32_t n, g = book_symbol_generation(b, s);

        if (g == e->gen[s])
            continue;
        e->gen[s] = g;
        eventlog_price(e, ts_ms, s);
        n = book_symbol_holders(b, s, &pos);
        if (n == UINT32_MAX) {
            eventlog_seed(e);
            return;
        }
        for (uint32_t k = 0; k < n; k++) {
            uint32_t idx = pos[k];
            bool bad;
            struct u256 hf = u256_zero();
            uint8_t t = eventlog_tier_now(b, idx, &bad, &hf);
            struct position p;
            char line[EVENTLOG_TEXT], h[32];

            if (t == e->tier[idx] && bad == (bool)e->bad[idx])
                continue;
            if (logged >= EVENTLOG_PER_UPDATE) {
                more++;
                e->tier[idx] = t;
                e->bad[idx] = bad;
                continue;
            }
            book_position_get(b, idx, &p);
            if (t != e->tier[idx]) {
                fmt_hf(h, sizeof(h), hf, t != TIER_NO_DEBT);
                if (eventlog_wobble(e, idx, &p, t, h, ts_ms))
                    goto seen;
                /* Worse is a lower tier number after TIER_LIQUIDATABLE. */
                snprintf(line, sizeof(line), "%.40s %s %s (health %s, was %s)",
                         p.id, t < e->tier[idx] ? "enters" : "climbs to",
                         eventlog_tier_name(t), h,
                         eventlog_tier_name(e->tier[idx]));
                e->last[idx] = e->total + 1;
                eventlog_add(e, ts_ms, eventlog_tier_role(t), line);
                {
                    struct eventlog_entry *x =
                        &e->ring[(e->head + EVENTLOG_CAP - 1) % EVENTLOG_CAP];

                    x->pos = idx + 1;
                    x->from = e->tier[idx];
                    x->to = t;
                    x->changes = 1;
                    x->last_ms = ts_ms;
                }
                logged++;
            }
            if (bad && !e->bad[idx]) {
                snprintf(line, sizeof(line),
                         "%.40s has bad debt: collateral worth less than debt",
                         p.id);
                eventlog_add(e, ts_ms, ROLE_TIER_LIQUIDATABLE, line);
                logged++;
            } else if (!bad && e->bad[idx]) {
                snprintf(line, sizeof(line), "%.40s is out of bad debt", p.id);
                eventlog_add(e, ts_ms, ROLE_GOOD, line);
                logged++;
            }
        seen:
            e->tier[idx] = t;
            e->bad[idx] = bad;
        }
    }
    if (more > 0) {
        char line[EVENTLOG_TEXT], cnt[32];

        fmt_count(cnt, sizeof(cnt), more);
        snprintf(line, sizeof(line), "and %s more positions changed tier", cnt);
        eventlog_add(e, ts_ms, ROLE_DIM, line);
    }
}

void
eventlog_story(struct eventlog *e, int64_t ts_ms, const char *chapter)
{
    char line[EVENTLOG_TEXT];

    if (chapter == NULL) {
        e->story[0] = '\0';
        return;
    }
    if (strcmp(chapter, e->story) == 0)
        return;
    snprintf(e->story, sizeof(e->story), "%s", chapter);
    snprintf(line, sizeof(line), "story: %s", chapter);
    eventlog_add(e, ts_ms, ROLE_TITLE, line);
}
