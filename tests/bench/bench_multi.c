/*
 * bench_multi.c: `make bench`'s lines that move several symbols at once
 * (an oracle update per block): a tick of LINK, one of WETH, a line of
 * five symbols and one of all of them, each the book's update (wall and
 * CPU time, median of many lines), beside the best straightforward way in
 * the same run: every position valued whole by the models' own exact
 * valuation (the 128-bit twins where they serve, the model's account
 * otherwise), read from the book's own storage, then one radix sort of
 * the whole book. After each line measured both ways the book's ranking
 * and counts are checked equal to that one.
 *
 *   bench_multi DIR [LINES]   DIR/book.json and positions.jsonl
 *
 * Benchmark-only: never run by make check. It calls the book's public
 * interface alone, so the same file builds against an earlier tree.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/memadvise.h"
#include "app/portfolio.h"
#include "core/book.h"
#include "core/health.h"
#include "core/liq.h"
#include "core/model.h"

#define NAIVE_LINES 5

struct clk {
    double wall, cpu;
};

static struct clk
clk_now(void)
{
    struct timespec w, c;
    struct clk r;

    clock_gettime(CLOCK_MONOTONIC, &w);
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c);
    r.wall = (double)w.tv_sec + (double)w.tv_nsec * 1e-9;
    r.cpu = (double)c.tv_sec + (double)c.tv_nsec * 1e-9;
    return r;
}

static struct clk
clk_since(struct clk a)
{
    struct clk b = clk_now();

    b.wall -= a.wall;
    b.cpu -= a.cpu;
    return b;
}

static int
dbl_cmp(const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;
    return (a > b) - (a < b);
}

static double
median(double *v, size_t n)
{
    qsort(v, n, sizeof *v, dbl_cmp);
    return n == 0 ? 0 : v[n / 2];
}

/* One position as the straightforward way sees it. */
struct naive_row {
    uint64_t key; /* class, then a monotone image of the health or id */
    uint32_t idx;
    uint8_t cls; /* 0 priced with debt, 1 priced without, 2 unpriced */
    bool liq, bad;
    u128 hf;
    struct u256 hfw; /* past 128 bits */
    bool wide;
    const char *id;
};

struct naive {
    struct naive_row *row, *tmp;
    uint32_t n;
    u128 (*price)[MARKET_ASSETS_MAX];
    struct u256 (*wprice)[MARKET_ASSETS_MAX];
    uint32_t *missing;
    bool *fits; /* every price of the market within 128 bits */
    struct book_counts c;
};

/* 62 bits, monotone in the health: its bit length, then the 54 bits
 * after the leading one. */
static uint64_t
naive_hf_image(struct u256 hf)
{
    int w = 3;

    while (w > 0 && hf.w[w] == 0)
        w--;
    if (hf.w[w] == 0)
        return 0;
    unsigned z = (unsigned)__builtin_clzll(hf.w[w]);
    unsigned len = (unsigned)w * 64 + 64 - z;
    uint64_t x = hf.w[w] << z;
    if (z != 0 && w > 0)
        x |= hf.w[w - 1] >> (64 - z);
    return ((uint64_t)len << 54) | ((x << 1) >> 10);
}

static uint64_t
naive_id_image(const char *id)
{
    uint64_t x = 0;
    size_t k = 0;

    for (; k < 7 && id[k] != '\0'; k++)
        x = x << 8 | (uint8_t)id[k];
    return x << (8 * (7 - k));
}

/* Value position idx whole: the model's 128-bit twins where every figure
 * fits, its account otherwise (what the book's full valuation does). */
static void
naive_value(const struct book *b, struct naive *nv, uint32_t idx,
            struct naive_row *r)
{
    struct position p;
    struct account a;
    const struct market *m;
    const struct model_ops *ops;
    uint8_t asset[2 * POSITION_SIDE_MAX];
    u128 amount[2 * POSITION_SIDE_MAX];
    unsigned n = 0;
    bool fits, legdebt = false;

    book_position_get(b, idx, &p);
    m = book_market(b, p.market);
    ops = model_get(m->model);
    fits = nv->fits[p.market];
    for (unsigned i = 0; i < p.ncoll; i++, n++) {
        asset[n] = p.coll[i].asset;
        fits = fits && u256_to_u128(p.coll[i].amount, &amount[n]);
        if (nv->missing[p.market] & (1u << asset[n]))
            goto unpriced;
    }
    for (unsigned i = 0; i < p.ndebt; i++, n++) {
        asset[n] = p.debt[i].asset;
        fits = fits && u256_to_u128(p.debt[i].amount, &amount[n]);
        legdebt = legdebt || !u256_is_zero(p.debt[i].amount);
        if (nv->missing[p.market] & (1u << asset[n]))
            goto unpriced;
    }
    r->idx = idx;
    r->id = p.id;
    r->wide = false;
    if (fits && ops->account128 != NULL) {
        struct model_account128 a128;
        if (ops->account128(m, asset, amount, p.ncoll, p.ndebt,
                            nv->price[p.market], &a128)) {
            r->cls = a128.has_debt ? 0 : 1;
            r->hf = a128.hf;
            r->liq = a128.liquidatable;
            r->bad = a128.bad_debt;
            goto keyed;
        }
    } else if (fits && ops->term128 != NULL && ops->finish128 != NULL) {
        struct model_sums128 s = {{0, 0, 0, 0}}, t;
        struct model_health128 h;
        bool ok = true;
        for (unsigned i = 0; i < n && ok; i++) {
            ok = ops->term128(m, asset[i], i >= p.ncoll, amount[i],
                              nv->price[p.market][asset[i]], &t);
            for (int k = 0; k < MODEL_SUMS && ok; k++)
                ok = !__builtin_add_overflow(s.s[k], t.s[k], &s.s[k]);
        }
        if (ok && ops->finish128(m, &s, legdebt, &h)) {
            r->cls = h.has_debt ? 0 : 1;
            r->hf = h.hf;
            r->liq = h.liquidatable;
            r->bad = h.bad_debt;
            goto keyed;
        }
    }
    if (model_account(m, &p, nv->wprice[p.market], &a) != 0)
        goto unpriced;
    r->cls = a.has_debt ? 0 : 1;
    r->liq = a.liquidatable;
    r->bad = a.bad_debt;
    r->wide = !u256_to_u128(a.hf, &r->hf);
    r->hfw = a.hf;
keyed:
    if (r->cls == 0)
        r->key = naive_hf_image(r->wide ? r->hfw : u256_from_u128(r->hf));
    else
        r->key = (uint64_t)1 << 62 | naive_id_image(r->id);
    return;
unpriced:
    memset(r, 0, sizeof *r);
    r->idx = idx;
    r->id = p.id;
    r->cls = 2;
    r->key = (uint64_t)2 << 62 | naive_id_image(p.id);
}

static int
naive_cmp(const void *pa, const void *pb)
{
    const struct naive_row *x = pa, *y = pb;

    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    if (x->cls == 0) {
        struct u256 hx = x->wide ? x->hfw : u256_from_u128(x->hf);
        struct u256 hy = y->wide ? y->hfw : u256_from_u128(y->hf);
        int c = u256_cmp(hx, hy);
        if (c != 0)
            return c;
    }
    return strcmp(x->id, y->id);
}

/* Every position valued whole, then one LSD radix sort by key (16 bits a
 * pass, passes every row shares skipped), runs of equal keys put in order
 * by the full comparison; and the counts. */
static void
naive_all(const struct book *b, struct naive *nv)
{
    static uint32_t cnt[4][65536];
    uint32_t n = nv->n;

    for (uint32_t mi = 0; mi < book_market_count(b); mi++) {
        book_prices_base(b, mi, nv->wprice[mi], &nv->missing[mi]);
        nv->fits[mi] = true;
        for (unsigned k = 0; k < book_market(b, mi)->nassets; k++)
            if (!(nv->missing[mi] & (1u << k)))
                nv->fits[mi] = nv->fits[mi] && u256_to_u128(nv->wprice[mi][k],
                                                            &nv->price[mi][k]);
    }
    memset(&nv->c, 0, sizeof nv->c);
    for (uint32_t i = 0; i < n; i++) {
        struct naive_row *r = &nv->row[i];
        naive_value(b, nv, i, r);
        nv->c.total++;
        nv->c.unpriced += r->cls == 2;
        nv->c.no_debt += r->cls == 1;
        nv->c.liquidatable += r->cls != 2 && r->liq;
        nv->c.bad_debt += r->cls != 2 && r->bad;
    }
    memset(cnt, 0, sizeof cnt);
    for (uint32_t i = 0; i < n; i++)
        for (int d = 0; d < 4; d++)
            cnt[d][(nv->row[i].key >> (16 * d)) & 0xffff]++;
    struct naive_row *src = nv->row, *dst = nv->tmp;
    for (int d = 0; d < 4; d++) {
        uint32_t sum = 0;
        if (n > 0 && cnt[d][(src[0].key >> (16 * d)) & 0xffff] == n)
            continue;
        for (uint32_t v = 0; v < 65536; v++) {
            uint32_t c = cnt[d][v];
            cnt[d][v] = sum;
            sum += c;
        }
        for (uint32_t i = 0; i < n; i++)
            dst[cnt[d][(src[i].key >> (16 * d)) & 0xffff]++] = src[i];
        struct naive_row *t = src;
        src = dst;
        dst = t;
    }
    for (uint32_t i = 0; i < n;) {
        uint32_t j = i + 1;
        while (j < n && src[j].key == src[i].key)
            j++;
        if (j - i > 1)
            qsort(&src[i], j - i, sizeof *src, naive_cmp);
        i = j;
    }
    if (src != nv->row) {
        nv->tmp = nv->row;
        nv->row = src;
    }
}

/* The book's ranking and counts against the straightforward way's. */
static int
naive_check(struct book *b, const struct naive *nv, const char *what)
{
    struct book_counts c;
    uint32_t diff = 0;

    book_counts(b, &c);
    for (uint32_t r = 0; r < nv->n; r++)
        diff += book_rank_at(b, r) != nv->row[r].idx;
    if (diff != 0 || c.total != nv->c.total ||
        c.liquidatable != nv->c.liquidatable || c.no_debt != nv->c.no_debt ||
        c.bad_debt != nv->c.bad_debt || c.unpriced != nv->c.unpriced) {
        fprintf(stderr,
                "bench_multi: %s: the book and the straightforward way "
                "differ (%u ranks; liquidatable %u and %u)\n",
                what, diff, c.liquidatable, nv->c.liquidatable);
        return 1;
    }
    return 0;
}

static uint64_t rng = 88172645463325252ULL;

static uint64_t
rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

/* Move each symbol of the line by -1 % to +1 %, deterministic. */
static void
move_line(struct book *b, const uint32_t *sym, unsigned k, int64_t ts)
{
    for (unsigned i = 0; i < k; i++) {
        struct u256 px;
        if (!book_price_get(b, sym[i], &px, NULL) ||
            u256_muldiv(&px, px, u256_from_u64(9900 + rnd() % 201),
                        u256_from_u64(10000), U256_FLOOR) != 0 ||
            book_price_set(b, sym[i], px, ts) != 0) {
            fprintf(stderr, "bench_multi: %s has no price\n",
                    book_symbol_name(b, sym[i]));
            exit(2);
        }
    }
}

struct line {
    const char *name;
    uint32_t sym[32];
    unsigned k;
};

static int
run_line(struct book *b, struct naive *nv, const struct line *ln,
         unsigned lines)
{
    double *w = malloc(lines * sizeof *w), *c = malloc(lines * sizeof *c);
    double nw[NAIVE_LINES], ncpu[NAIVE_LINES];
    size_t moved = 0;
    static int64_t ts = 1;

    if (w == NULL || c == NULL)
        return 2;
    for (unsigned t = 0; t < lines; t++) {
        move_line(b, ln->sym, ln->k, ts++);
        struct clk s = clk_now();
        moved += book_update(b);
        struct clk d = clk_since(s);
        w[t] = d.wall;
        c[t] = d.cpu;
        if (t < NAIVE_LINES) {
            s = clk_now();
            naive_all(b, nv);
            d = clk_since(s);
            nw[t] = d.wall;
            ncpu[t] = d.cpu;
            if (naive_check(b, nv, ln->name) != 0)
                return 1;
        }
    }
    double mw = median(w, lines), mc = median(c, lines);
    double nmw = median(nw, NAIVE_LINES), nmc = median(ncpu, NAIVE_LINES);
    printf("%-22s %8.0f %8.1f %8.1f %10.1f %10.1f %6.1fx\n", ln->name,
           (double)moved / lines, mc * 1e3, mw * 1e3, nmc * 1e3, nmw * 1e3,
           nmc / mc);
    free(w);
    free(c);
    return 0;
}

int
main(int argc, char **argv)
{
    char bookp[4096], posp[4096], err[512];
    struct book *b = book_new();
    unsigned lines = argc >= 3 ? (unsigned)atoi(argv[2]) : 21;

    if (argc < 2 || lines < NAIVE_LINES) {
        fputs("usage: bench_multi DIR [LINES]\n", stderr);
        return 2;
    }
    memadvise_install();
    snprintf(bookp, sizeof bookp, "%s/book.json", argv[1]);
    snprintf(posp, sizeof posp, "%s/positions.jsonl", argv[1]);
    if (portfolio_load(b, bookp, posp, err, sizeof err) != 0) {
        fprintf(stderr, "bench_multi: %s\n", err);
        return 2;
    }
    struct clk s = clk_now();
    book_update(b);
    struct clk first = clk_since(s);

    struct naive nv = {0};
    uint32_t nm = book_market_count(b);
    nv.n = book_position_count(b);
    nv.row = malloc((size_t)nv.n * sizeof *nv.row);
    nv.tmp = malloc((size_t)nv.n * sizeof *nv.tmp);
    nv.price = malloc(nm * sizeof *nv.price);
    nv.wprice = malloc(nm * sizeof *nv.wprice);
    nv.missing = malloc(nm * sizeof *nv.missing);
    nv.fits = malloc(nm * sizeof *nv.fits);
    if (nv.row == NULL || nv.tmp == NULL || nv.price == NULL ||
        nv.wprice == NULL || nv.missing == NULL || nv.fits == NULL) {
        fputs("bench_multi: out of memory\n", stderr);
        return 2;
    }

    /* LINK, WETH, the first five symbols, every symbol with a price. */
    struct line ln[4] = {{"tick LINK", {0}, 0},
                         {"tick WETH", {0}, 0},
                         {"line of 5 symbols", {0}, 0},
                         {"line of all symbols", {0}, 0}};
    uint32_t nsym = book_symbol_count(b);
    if (book_symbol_find(b, "LINK", 4, &ln[0].sym[0]) != 0 ||
        book_symbol_find(b, "WETH", 4, &ln[1].sym[0]) != 0) {
        fputs("bench_multi: the book lacks LINK or WETH\n", stderr);
        return 2;
    }
    ln[0].k = ln[1].k = 1;
    for (uint32_t y = 0; y < nsym && ln[3].k < 32; y++) {
        if (!book_price_get(b, y, NULL, NULL))
            continue;
        if (ln[2].k < 5)
            ln[2].sym[ln[2].k++] = y;
        ln[3].sym[ln[3].k++] = y;
    }
    printf("\nbench_multi: %u positions, %u markets; lines of several "
           "symbols (median of %u lines; the straightforward way: %d lines)"
           "\n",
           nv.n, nm, lines, NAIVE_LINES);
    printf("  5 symbols:");
    for (unsigned i = 0; i < ln[2].k; i++)
        printf(" %s", book_symbol_name(b, ln[2].sym[i]));
    printf("; all: %u\n", ln[3].k);
    printf("  straightforward: every position valued whole by its model's "
           "exact valuation, one radix sort\n");
    printf("  first update after the load (every position, then the sort): "
           "%.0f ms CPU, %.0f ms wall\n",
           first.cpu * 1e3, first.wall * 1e3);
    printf("%-22s %8s %8s %8s %10s %10s %7s\n", "line", "moved", "CPU ms",
           "wall ms", "str. CPU", "str. wall", "ratio");
    for (int i = 0; i < 4; i++)
        if (run_line(b, &nv, &ln[i], lines) != 0)
            return 1;
    printf("  book checked equal to the straightforward way after %d lines "
           "of each\n",
           NAIVE_LINES);
    free(nv.row);
    free(nv.tmp);
    free(nv.price);
    free(nv.wprice);
    free(nv.missing);
    free(nv.fits);
    book_free(b);
    return 0;
}
