/*
 * bench_dash.c: the dashboard on the benchmark's book: each key goes
 * through ui_key() and the frame's ui_refresh() as in liqtop, timed in CPU
 * and wall time, beside the rescan way (every position tested and the matches
 * sorted again, what a key and a frame cost before the orders were
 * repaired) measured in the same run. Benchmark-only.
 */
#include "tests/bench/bench_dash.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/book_order.h"
#include "core/liqprice.h"
#include "core/model.h"
#include "tui/filter.h"
#include "tests/bench/bench_time.h"
#include "tui/ui.h"

typedef struct bench_time tpair;

static tpair
tadd(tpair a, tpair b)
{
    a.wall += b.wall;
    a.cpu += b.cpu;
    return a;
}

static tpair
tdiv(tpair a, double k)
{
    a.wall /= k;
    a.cpu /= k;
    return a;
}

static const tpair tzero = {0, 0};

static bool
rs_has(const char *hay, const char *needle)
{
    size_t n = strlen(needle);

    for (const char *p = hay; *p != '\0'; p++) {
        size_t i = 0;
        while (i < n && p[i] != '\0' && (p[i] | 0x20) == (needle[i] | 0x20))
            i++;
        if (i == n)
            return true;
    }
    return n == 0;
}

/* The rescan way's test of a plain-text filter: the position materialized
 * and its id, label, market and symbols searched. */
static bool
rs_match(struct book *b, uint32_t idx, const char *text)
{
    struct position p;
    const struct market *m;

    book_position_get(b, idx, &p);
    m = book_market(b, p.market);
    if (rs_has(p.id, text) || rs_has(p.label, text) || rs_has(m->id, text))
        return true;
    for (int i = 0; i < p.ncoll + p.ndebt; i++) {
        const struct leg *l = i < p.ncoll ? &p.coll[i] : &p.debt[i - p.ncoll];
        if (rs_has(book_symbol_name(b, m->assets[l->asset].sym), text))
            return true;
    }
    return false;
}

struct rs_key {
    struct u256 v, p; /* distance: |p - lp| and p */
    int cls;          /* distance: 0 at every price, 1 below 0, 2 above */
    const char *id;
    uint32_t idx;
};

static int
rs_cmp(const void *pa, const void *pb)
{
    const struct rs_key *x = pa, *y = pb;
    int c = u256_cmp(y->v, x->v);

    return c != 0 ? c : strcmp(x->id, y->id);
}

/* Distance as the table shows it, nearest first (classes 3 and 4: no
 * fall liquidates, no debt or price). */
static int
rs_dist_cmp(const void *pa, const void *pb)
{
    const struct rs_key *x = pa, *y = pb;
    struct u256 l, r;
    int c = 0;

    if (x->cls != y->cls)
        return x->cls < y->cls ? -1 : 1;
    if (x->cls == 1 || x->cls == 2) {
        (void)u256_mul(&l, x->v, y->p);
        (void)u256_mul(&r, y->v, x->p);
        c = x->cls == 1 ? u256_cmp(r, l) : u256_cmp(l, r);
    }
    return c != 0 ? c : strcmp(x->id, y->id);
}

static void
rs_dist(struct book *b, uint32_t idx, struct rs_key *k)
{
    struct position p;
    struct account a;
    struct u256 price[MARKET_ASSETS_MAX], lp;
    bool exists = false;

    k->cls = 4;
    if (!book_read_account(b, idx, &a) || !a.has_debt)
        return;
    k->cls = 0;
    if (u256_is_zero(a.hf))
        return;
    book_position_get(b, idx, &p);
    k->cls = 3;
    if (p.ncoll == 0)
        return;
    const struct market *m = book_market(b, p.market);
    book_prices_base(b, p.market, price, NULL);
    uint8_t as = p.coll[model_largest_leg(m, &p, false, price)].asset;
    if (liqprice_compute(m, &p, price, as, &exists, &lp) != 0)
        exists = false;
    if (!exists) {
        k->cls = a.liquidatable ? 0 : 3;
        return;
    }
    if (u256_is_zero(price[as]))
        return;
    k->p = price[as];
    k->cls = u256_lt(k->p, lp) ? 1 : 2;
    (void)u256_sub(&k->v, k->cls == 1 ? lp : k->p, k->cls == 1 ? k->p : lp);
}

/* The rescan way: every position tested in rank order, then sorted. */
static uint32_t
rs_rows(struct book *b, const char *text, int sort, uint32_t *out)
{
    uint32_t n = book_position_count(b), k = 0;

    for (uint32_t r = 0; r < n; r++) {
        uint32_t idx = book_rank_at(b, r);
        if (text[0] == '\0' || rs_match(b, idx, text))
            out[k++] = idx;
    }
    if (sort != SORT_HEALTH) {
        struct rs_key *key = malloc(((size_t)k + 1) * sizeof *key);
        if (key == NULL)
            abort();
        for (uint32_t i = 0; i < k; i++) {
            struct position p;
            struct account a;
            book_position_get(b, out[i], &p);
            key[i].id = p.id;
            key[i].idx = out[i];
            key[i].v = u256_zero();
            if (sort == SORT_DIST)
                rs_dist(b, out[i], &key[i]);
            else if (book_read_account(b, out[i], &a))
                key[i].v = sort == SORT_COLL ? a.coll_value : a.debt_value;
        }
        qsort(key, k, sizeof *key, sort == SORT_DIST ? rs_dist_cmp : rs_cmp);
        for (uint32_t i = 0; i < k; i++)
            out[i] = key[i].idx;
        free(key);
    }
    return k;
}

/* A row: liqtop's CPU and wall time, the rescan's, the ratio in CPU. */
static void
line(const char *what, tpair mine, tpair naive)
{
    char a[32], w[32], c[32], d[32];

    snprintf(a, sizeof a, "%.3f ms", mine.cpu * 1e3);
    snprintf(w, sizeof w, "%.3f ms", mine.wall * 1e3);
    if (naive.cpu > 0) {
        snprintf(c, sizeof c, "%.0f ms", naive.cpu * 1e3);
        snprintf(d, sizeof d, "%.0f ms", naive.wall * 1e3);
        printf("%-34s %12s %12s %11s %11s %8.0fx\n", what, a, w, c, d,
               naive.cpu / mine.cpu);
    } else {
        printf("%-34s %12s %12s %11s %11s %9s\n", what, a, w, "", "", "-");
    }
}

/* One key through the dashboard, then the frame's refresh. */
static tpair
key(struct ui *u, const struct keymap *km, int k, uint64_t *now)
{
    tpair s = bench_time_now();

    (void)ui_key(u, km, k, *now);
    (void)ui_refresh(u, *now, false);
    *now += 10;
    return bench_time_since(s);
}

void
bench_dash(struct book *b, uint32_t sym)
{
    static const char *const typed = "0xab";
    static const char *const sorts[] = {"health", "id", "collateral", "debt",
                                        "distance"};
    uint32_t n = book_position_count(b);
    uint32_t *rows = malloc(((size_t)n + 1) * sizeof *rows);
    struct ui u;
    struct keymap km;
    uint64_t now = 1000000;
    char what[64], text[16] = "";
    tpair t, rs;

    if (rows == NULL)
        abort();
    input_defaults(&km);
    ui_init(&u, b);
    u.page = 36;
    /* As liqtop starts: the index and every sort's keys built once. */
    tpair p0 = bench_time_now();
    ui_prepare(&u);
    tpair t_prep = bench_time_since(p0);
    (void)ui_refresh(&u, now, true);
    printf("\ndashboard on %u positions: CPU and wall time of a key or frame "
           "through ui_key and\nui_refresh, beside the rescan way (every "
           "position tested, the matches sorted) in the\nsame run; the ratio "
           "in CPU time\n\n",
           n);
    printf("%-34s %12s %12s %11s %11s %9s\n", "figure", "CPU", "wall",
           "rescan CPU", "wall", "ratio");
    line("start: index and keys (once)", t_prep, tzero);

    /* Typing a filter: each key narrows the last but the first. */
    t = key(&u, &km, '/', &now);
    for (size_t i = 0; typed[i] != '\0'; i++) {
        text[i] = typed[i];
        text[i + 1] = '\0';
        t = key(&u, &km, typed[i], &now);
        tpair s = bench_time_now();
        uint32_t k = rs_rows(b, text, SORT_HEALTH, rows);
        rs = bench_time_since(s);
        if (k != u.norder) {
            fprintf(stderr, "bench: filter %s: %u rows, a rescan %u\n", text,
                    u.norder, k);
            exit(1);
        }
        snprintf(what, sizeof what, "filter key '%s' (%u rows)", text, k);
        line(what, t, rs);
    }
    (void)key(&u, &km, KEY_ENTER_, &now);

    /* Navigation under the filter, ranks held. */
    t = tzero;
    for (int i = 0; i < 20; i++)
        t = tadd(t, key(&u, &km, 'j', &now));
    line("  j under the filter (mean of 20)", tdiv(t, 20), tzero);
    t = key(&u, &km, KEY_PGDN_, &now);
    line("  PgDn under the filter", t, tzero);
    now += 2 * UI_HOLD_MS;

    /* A tick of the symbol under the filter, then idle frames. */
    struct u256 px;
    if (book_price_get(b, sym, &px, NULL) &&
        u256_muldiv(&px, px, u256_from_u64(9950), u256_from_u64(10000),
                    U256_FLOOR) == 0) {
        book_price_set(b, sym, px, 5);
        book_update(b);
        tpair s = bench_time_now();
        (void)ui_refresh(&u, now, false);
        t = bench_time_since(s);
        s = bench_time_now();
        (void)rs_rows(b, text, SORT_HEALTH, rows);
        rs = bench_time_since(s);
        line("  frame after a tick (filter set)", t, rs);
    }
    tpair s0 = bench_time_now();
    bool moved = false;
    for (int i = 0; i < 1000; i++)
        moved = ui_refresh(&u, now + (uint64_t)i, false) || moved;
    line(moved ? "  idle frame: rows MOVED" : "  idle frame (mean of 1000)",
         tdiv(bench_time_since(s0), 1000), rs);

    /* Esc clears; then each sort, either way. */
    (void)key(&u, &km, '/', &now);
    (void)key(&u, &km, KEY_ESC_, &now);
    /* The live ranking: the first move holds the rows (a copy of the
     * ranking), the next ones step within it; reversed the same. */
    now += 2 * UI_HOLD_MS;
    t = key(&u, &km, 'j', &now);
    line("j in the live ranking (holds it)", t, tzero);
    t = key(&u, &km, 'j', &now);
    line("  the next j", t, tzero);
    now += 2 * UI_HOLD_MS;
    (void)key(&u, &km, 'I', &now);
    t = key(&u, &km, 'j', &now);
    line("  j in it reversed (holds it)", t, tzero);
    (void)key(&u, &km, 'I', &now);
    now += 2 * UI_HOLD_MS;
    (void)ui_refresh(&u, now, false);
    for (int so = 1; so <= SORT_COUNT; so++) {
        t = key(&u, &km, 's', &now);
        snprintf(what, sizeof what, "sort key -> %s", sorts[so % SORT_COUNT]);
        tpair s = bench_time_now();
        if (so % SORT_COUNT != SORT_HEALTH) {
            (void)rs_rows(
                b, "", so % SORT_COUNT == SORT_ID ? SORT_COLL : so % SORT_COUNT,
                rows);
            rs = bench_time_since(s);
        } else {
            rs = tzero;
        }
        line(what, t, rs);
        if (so % SORT_COUNT != SORT_HEALTH) {
            tpair tj = tzero;
            for (int i = 0; i < 20; i++)
                tj = tadd(tj, key(&u, &km, 'j', &now));
            tj = tadd(tj, key(&u, &km, KEY_PGDN_, &now));
            line("  j, PgDn under it (mean of 21)", tdiv(tj, 21), tzero);
            t = key(&u, &km, 'I', &now);
            line("  reversed", t, tzero);
            (void)key(&u, &km, 'I', &now);
            now += 2 * UI_HOLD_MS;
        }
    }
    /* Sorts again after a tick: keys of the moved positions only. */
    if (book_price_get(b, sym, &px, NULL) &&
        u256_muldiv(&px, px, u256_from_u64(10050), u256_from_u64(10000),
                    U256_FLOOR) == 0) {
        book_price_set(b, sym, px, 6);
        book_update(b);
        printf("  (the first sort after this tick)\n");
        for (int so = 1; so <= SORT_COUNT; so++) {
            int sv = so % SORT_COUNT;
            t = key(&u, &km, 's', &now);
            snprintf(what, sizeof what, "after a tick, sort -> %s", sorts[sv]);
            rs = tzero;
            if (sv != SORT_HEALTH) {
                tpair s = bench_time_now();
                (void)rs_rows(b, "", sv == SORT_ID ? SORT_COLL : sv, rows);
                rs = bench_time_since(s);
            }
            line(what, t, rs);
        }
    }
    /* Another tick, then the loop's quiet moments bring the other sorts'
     * keys up to date (ui_idle from the 1 s timer, 100,000 keys a turn
     * at most), and the sorts cost their sort alone. */
    if (book_price_get(b, sym, &px, NULL) &&
        u256_muldiv(&px, px, u256_from_u64(9960), u256_from_u64(10000),
                    U256_FLOOR) == 0) {
        book_price_set(b, sym, px, 7);
        book_update(b);
        (void)ui_refresh(&u, now, false);
        tpair s = bench_time_now();
        int turns = 0;
        while (ui_idle(&u))
            turns++;
        snprintf(what, sizeof what, "  %d quiet turns catch keys up", turns);
        line(what, bench_time_since(s), tzero);
        for (int so = 1; so <= SORT_COUNT; so++) {
            t = key(&u, &km, 's', &now);
            snprintf(what, sizeof what, "then sort -> %s",
                     sorts[so % SORT_COUNT]);
            line(what, t, tzero);
        }
    }
    /* The distance sort live through ticks: each frame's sync places the
     * moved positions again, the liquidation prices it finds kept for
     * the next tick. */
    while (u.sort != SORT_DIST)
        (void)key(&u, &km, 's', &now);
    now += 2 * UI_HOLD_MS;
    (void)ui_refresh(&u, now, false);
    static const uint64_t moves[] = {9950, 10050, 9960};
    for (int i = 0; i < 3; i++) {
        if (!book_price_get(b, sym, &px, NULL) ||
            u256_muldiv(&px, px, u256_from_u64(moves[i]), u256_from_u64(10000),
                        U256_FLOOR) != 0)
            break;
        book_price_set(b, sym, px, 8 + i);
        book_update(b);
        now += 10;
        tpair s = bench_time_now();
        (void)ui_refresh(&u, now, false);
        t = bench_time_since(s);
        s = bench_time_now();
        (void)rs_rows(b, "", SORT_DIST, rows);
        rs = bench_time_since(s);
        snprintf(what, sizeof what, "sorted by distance, tick %d's frame",
                 i + 1);
        line(what, t, rs);
    }
    ui_done(&u);
    free(rows);
}
