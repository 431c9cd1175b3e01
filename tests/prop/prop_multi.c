/*
 * prop_multi.c: after every line of a random replay of lines that move
 * several symbols at once (one, some or all of them, now and then a
 * what-if shock among them, a symbol priced only later), the book kept
 * current by book_update() holds exactly what a book built afresh from
 * the same markets, positions and prices gives on its first update: every
 * account, the figures kept for it (an additive model's sums), its health,
 * tier, the ranking and the counts. Over the random world of the other
 * property tests (Aave v3, v4, Compound v2, Morpho, amounts past 128 bits)
 * and over each model's fixture (spark's eMode views and their price
 * source, Aave's scaled legs, cTokens, Comet, Liquity, Euler, morpho-pre),
 * each grown with copies of its positions scaled up and down, some past
 * 128 bits, and with many more holding one symbol alone (so that lines
 * of the others move few of the book). Lines are drawn until each source
 * has met enough positions with several legs moved at once, with some
 * legs moved and some not, with amounts past 128 bits, lines of all its
 * symbols and lines of symbols held by under a quarter of the book.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/portfolio.h"
#include "core/book.h"
#include "core/health.h"
#include "core/liq.h"
#include "tests/common/testutil.h"
#include "tests/common/world.h"

#define LATE_LINE 20
#define MAX_LINES 4000

/* What a source's lines have met (positions counted once a line). */
struct cover {
    unsigned lines, all, some;
    unsigned multi;   /* positions with two or more legs moved */
    unsigned partial; /* positions with some legs moved, some not */
    unsigned big;     /* moved positions with an amount past 128 bits */
    unsigned narrow;  /* lines of symbols held by under a quarter */
};

static bool
big_amount(struct u256 a)
{
    return (a.w[2] | a.w[3]) != 0;
}

/* Symbols, markets and positions of src into an empty dst, in order, so
 * that every index is the same. */
static void
copy_book(struct book *dst, const struct book *src)
{
    uint32_t out;

    for (uint32_t s = 0; s < book_symbol_count(src); s++) {
        const char *name = book_symbol_name(src, s);
        ck_assert_int_eq(book_symbol_intern(dst, name, strlen(name), &out), 0);
        ck_assert_uint_eq(out, s);
    }
    for (uint32_t mi = 0; mi < book_market_count(src); mi++) {
        ck_assert_int_eq(book_market_add(dst, book_market(src, mi), &out), 0);
        ck_assert_uint_eq(out, mi);
    }
    for (uint32_t i = 0; i < book_position_count(src); i++) {
        struct position p;
        book_position_get(src, i, &p);
        ck_assert_int_eq(book_position_add(dst, &p, &out), 0);
    }
}

/* Prices and shocks of src into dst (the same symbols). */
static void
copy_prices(struct book *dst, const struct book *src)
{
    for (uint32_t s = 0; s < book_symbol_count(src); s++) {
        struct u256 px;
        int64_t ts;
        if (book_price_get(src, s, &px, &ts))
            ck_assert_int_eq(book_price_set(dst, s, px, ts), 0);
        if (book_whatif_get(src, s) != 0)
            ck_assert_int_eq(book_whatif_set(dst, s, book_whatif_get(src, s)),
                             0);
    }
}

/* b against a book built afresh from it: everything equal, exactly. */
static void
verify(struct book *b, const char *what, unsigned line)
{
    struct book *f = book_new();
    uint32_t n = book_position_count(b);
    struct book_counts cb, cf;

    copy_book(f, b);
    copy_prices(f, b);
    book_update(f);
    for (uint32_t i = 0; i < n; i++) {
        struct account ab, af;
        struct model_sums sb, sf;
        struct book_health hb, hf;
        struct position p;
        bool bigb = false, bigf = false;
        bool okb = book_read_account(b, i, &ab),
             okf = book_read_account(f, i, &af);

        book_position_get(b, i, &p);
        ck_assert_msg(okb == okf, "%s line %u: %s priced %d, afresh %d", what,
                      line, p.id, okb, okf);
        ck_assert_int_eq(book_read_tier(b, i), book_read_tier(f, i));
        if (!okb)
            continue;
        ck_assert_msg(
            u256_eq(ab.hf, af.hf) && u256_eq(ab.coll_value, af.coll_value) &&
                u256_eq(ab.debt_value, af.debt_value) &&
                ab.has_debt == af.has_debt &&
                ab.liquidatable == af.liquidatable &&
                ab.bad_debt == af.bad_debt,
            "%s line %u: %s: account %s/%s/%s, afresh %s/%s/%s", what, line,
            p.id, test_u256_str(ab.hf), test_u256_str(ab.coll_value),
            test_u256_str(ab.debt_value), test_u256_str(af.hf),
            test_u256_str(af.coll_value), test_u256_str(af.debt_value));
        ck_assert(book_read_sums(b, i, &sb, &bigb));
        ck_assert(book_read_sums(f, i, &sf, &bigf));
        ck_assert_msg(bigb == bigf, "%s line %u: %s: kept whole %d, afresh %d",
                      what, line, p.id, bigb, bigf);
        for (int k = 0; k < MODEL_SUMS; k++)
            ck_assert_msg(u256_eq(sb.s[k], sf.s[k]),
                          "%s line %u: %s: sum %d is %s, afresh %s", what, line,
                          p.id, k, test_u256_str(sb.s[k]),
                          test_u256_str(sf.s[k]));
        ck_assert(book_read_health(b, i, &hb) && book_read_health(f, i, &hf));
        ck_assert(u256_eq(hb.hf, hf.hf) && hb.has_debt == hf.has_debt &&
                  hb.liquidatable == hf.liquidatable &&
                  hb.bad_debt == hf.bad_debt);
    }
    for (uint32_t r = 0; r < n; r++)
        ck_assert_msg(book_rank_at(b, r) == book_rank_at(f, r),
                      "%s line %u: rank %u is %u, afresh %u", what, line, r,
                      book_rank_at(b, r), book_rank_at(f, r));
    book_counts(b, &cb);
    book_counts(f, &cf);
    ck_assert_msg(memcmp(&cb, &cf, sizeof cb) == 0,
                  "%s line %u: counts differ (liquidatable %u, afresh %u)",
                  what, line, cb.liquidatable, cf.liquidatable);
    book_free(f);
}

/* Copies of t's positions, each leg halved, kept, tripled, times 1,000 or,
 * now and then, past 128 bits. */
static void
grow(struct book *b, const struct book *t, uint64_t *rng, unsigned extra)
{
    uint32_t nt = book_position_count(t), out;
    char id[32];

    for (unsigned k = 0; k < extra && nt > 0; k++) {
        struct position p;
        book_position_get(t, (uint32_t)test_rand_range(rng, 0, nt - 1), &p);
        snprintf(id, sizeof id, "x%05u", k);
        p.id = id;
        for (unsigned i = 0; i < (unsigned)p.ncoll + p.ndebt; i++) {
            struct leg *l = i < p.ncoll ? &p.coll[i] : &p.debt[i - p.ncoll];
            uint64_t f = test_rand_range(rng, 0, 19);
            struct u256 x = l->amount;
            if (f < 4)
                (void)u256_div(&x, x, u256_from_u64(2), U256_FLOOR);
            else if (f < 8)
                (void)u256_mul(&x, x, u256_from_u64(3));
            else if (f < 11)
                (void)u256_mul(&x, x, u256_from_u64(1000));
            else if (f == 11 && u256_mul(&x, x, world_pow10(40)) != 0)
                x = l->amount;
            l->amount = x;
        }
        ck_assert_int_eq(book_position_add(b, &p, &out), 0);
    }
}

/* n positions holding symbol f alone: copies of position `from` of t
 * with its legs of f only, so that the other symbols are held by few of
 * the book and a line of them is walked by its holders. */
static void
fill(struct book *b, const struct book *t, uint32_t from, uint32_t f,
     unsigned n)
{
    struct position p, q;
    uint32_t out;
    char id[32];

    book_position_get(t, from, &p);
    const struct market *m = book_market(t, p.market);
    q = p;
    q.ncoll = q.ndebt = 0;
    for (unsigned i = 0; i < p.ncoll; i++)
        if (market_asset_price_sym(&m->assets[p.coll[i].asset]) == f)
            q.coll[q.ncoll++] = p.coll[i];
    for (unsigned i = 0; i < p.ndebt; i++)
        if (market_asset_price_sym(&m->assets[p.debt[i].asset]) == f)
            q.debt[q.ndebt++] = p.debt[i];
    for (unsigned k = 0; k < n; k++) {
        snprintf(id, sizeof id, "f%05u", k);
        q.id = id;
        ck_assert_int_eq(book_position_add(b, &q, &out), 0);
    }
}

/* Whether a leg of p in market m is priced by a symbol moved[]. */
static bool
leg_moved(const struct market *m, const struct leg *l, const bool *moved)
{
    return moved[market_asset_price_sym(&m->assets[l->asset])];
}

static void
count_cover(const struct book *b, const bool *moved, unsigned k,
            struct cover *c)
{
    for (uint32_t i = 0; i < book_position_count(b); i++) {
        struct position p;
        book_position_get(b, i, &p);
        const struct market *m = book_market(b, p.market);
        unsigned nl = (unsigned)p.ncoll + p.ndebt, nm = 0;
        bool big = false;
        for (unsigned j = 0; j < nl; j++) {
            const struct leg *l =
                j < p.ncoll ? &p.coll[j] : &p.debt[j - p.ncoll];
            nm += leg_moved(m, l, moved);
            big = big || big_amount(l->amount);
        }
        c->multi += k >= 2 && nm >= 2;
        c->partial += k >= 2 && nm >= 1 && nm < nl;
        c->big += nm >= 1 && big;
    }
}

/* Lines of some symbols, and positions with some legs moved on them,
 * are asked of sources of three symbols or more. */
static bool
covered(const struct cover *c, uint32_t npriced)
{
    bool three = npriced >= 3;
    return c->lines >= 60 && c->all >= 10 && (!three || c->some >= 20) &&
           c->multi >= 200 && (!three || c->partial >= 40) && c->big >= 20 &&
           (!three || c->narrow >= 20);
}

/* One source: t (valued or not) grown into a book of its own, then lines
 * until covered. */
static void
replay(const struct book *t, const char *what, uint64_t *rng)
{
    struct book *b = book_new();
    uint32_t nsym = book_symbol_count(t), late = UINT32_MAX;
    bool *moved = calloc(nsym + 1, sizeof *moved);
    uint32_t *pick = calloc(nsym + 1, sizeof *pick);
    struct cover c = {0};

    ck_assert(moved != NULL && pick != NULL);
    copy_book(b, t);
    grow(b, t, rng, 80);
    /* the symbol of position 0's first leg held by most of the book */
    uint32_t fsym = UINT32_MAX;
    if (book_position_count(t) > 0) {
        struct position p0;
        book_position_get(t, 0, &p0);
        const struct leg *l = p0.ncoll > 0 ? &p0.coll[0] : &p0.debt[0];
        fsym = market_asset_price_sym(
            &book_market(t, p0.market)->assets[l->asset]);
        /* eight for each of the n positions: any two other symbols,
         * held by at most 2n positions, are then held by under a quarter
         * of the 9n, so that lines of them (narrow) are there to draw
         * whatever the seed */
        fill(b, t, 0, fsym, 8 * book_position_count(b));
    }
    /* A symbol with a price in t left without one until LATE_LINE. */
    for (unsigned tries = 0; tries < 8 && late == UINT32_MAX; tries++) {
        uint32_t s = (uint32_t)test_rand_range(rng, 0, nsym - 1);
        if (book_price_get(t, s, NULL, NULL))
            late = s;
    }
    for (uint32_t s = 0; s < nsym; s++) {
        struct u256 px;
        if (s != late && book_price_get(t, s, &px, NULL))
            ck_assert_int_eq(book_price_set(b, s, px, 1), 0);
    }
    uint32_t npriced = 0;
    for (uint32_t s = 0; s < nsym; s++)
        npriced += book_price_get(t, s, NULL, NULL);
    book_update(b);
    verify(b, what, 0);
    for (unsigned line = 1; !covered(&c, npriced); line++) {
        ck_assert_msg(line <= MAX_LINES,
                      "%s: not covered in %u lines: %u all, %u some, %u "
                      "narrow, %u multi, %u partial, %u big",
                      what, MAX_LINES, c.all, c.some, c.narrow, c.multi,
                      c.partial, c.big);
        uint32_t np = 0, k;
        for (uint32_t s = 0; s < nsym; s++) {
            moved[s] = false;
            if (book_price_get(b, s, NULL, NULL))
                pick[np++] = s;
        }
        if (line == LATE_LINE && late != UINT32_MAX) {
            struct u256 px;
            ck_assert(book_price_get(t, late, &px, NULL));
            ck_assert_int_eq(book_price_set(b, late, px, line), 0);
            moved[late] = true;
        }
        uint64_t shape = test_rand_range(rng, 0, 9);
        if (shape == 9 && np >= 3) {
            /* a line without the symbol most of the book holds */
            for (uint32_t j = 0; j < np; j++)
                if (pick[j] == fsym)
                    pick[j] = pick[--np];
        }
        k = np == 0     ? 0
            : shape < 2 ? 1
            : shape < 4 ? np
                        : (uint32_t)test_rand_range(rng, 1, np);
        c.all += k == np && np >= 2;
        c.some += k >= 2 && k < np;
        /* k symbols of those priced, each moved by -10 % to +10 %, now
         * and then not at all or ten times */
        for (uint32_t j = 0; j < k; j++) {
            uint32_t at = (uint32_t)test_rand_range(rng, j, np - 1),
                     s = pick[at];
            struct u256 px;
            pick[at] = pick[j];
            pick[j] = s;
            ck_assert(book_price_get(b, s, &px, NULL));
            uint64_t f = test_rand_range(rng, 9000, 11000), r = 10000;
            uint64_t odd = test_rand_range(rng, 0, 29);
            if (odd == 0)
                f = 10000;
            else if (odd == 1)
                f = 100000;
            else if (odd == 2)
                r = 100000;
            ck_assert_int_eq(u256_muldiv(&px, px, u256_from_u64(f),
                                         u256_from_u64(r), U256_FLOOR),
                             0);
            if (u256_is_zero(px))
                px = u256_from_u64(1);
            ck_assert_int_eq(book_price_set(b, s, px, line), 0);
            moved[s] = true;
        }
        uint64_t w = test_rand_range(rng, 0, 19);
        if (w == 0 && nsym > 0) {
            uint32_t s = (uint32_t)test_rand_range(rng, 0, nsym - 1);
            int32_t bps = (int32_t)test_rand_range(rng, 0, 4000) - 2000;
            ck_assert_int_eq(book_whatif_set(b, s, bps), 0);
            moved[s] = true;
        } else if (w == 1) {
            for (uint32_t s = 0; s < nsym; s++)
                moved[s] = moved[s] || book_whatif_get(b, s) != 0;
            book_whatif_clear(b);
        }
        uint32_t nmoved = 0, held = 0, nh;
        for (uint32_t s = 0; s < nsym; s++)
            if (moved[s]) {
                nmoved++;
                (void)book_holders(b, s, &nh);
                held += nh;
            }
        c.narrow += nmoved >= 2 && held < book_position_count(b) / 4;
        count_cover(b, moved, nmoved, &c);
        c.lines++;
        book_update(b);
        verify(b, what, line);
    }
    fprintf(stderr,
            "%s: %u lines (%u of all symbols, %u of some, %u of symbols "
            "held by few), positions with several legs moved %u, some legs "
            "moved %u, past 128 bits %u\n",
            what, c.lines, c.all, c.some, c.narrow, c.multi, c.partial, c.big);
    free(moved);
    free(pick);
    book_free(b);
}

static const char *const fixtures[] = {
    "tests/fixtures/spark.json",
    "tests/fixtures/aave3_state.json",
    "tests/fixtures/aave37.json",
    "tests/fixtures/aave4_state.json",
    "tests/fixtures/compound_ctokens.json",
    "tests/fixtures/comet.json",
    "tests/fixtures/liquity.json",
    "tests/fixtures/euler.json",
    "tests/fixtures/morpho_pre.json",
    "tests/fixtures/morpho_state.json",
    "tests/fixtures/preview_edges.json",
};

START_TEST(prop_multi_world)
{
    struct world r;
    struct u256 px[WORLD_NSYM];

    world_init(&r, 150, px);
    /* the late symbol priced in the world too, so lines may move it */
    ck_assert_int_eq(book_price_set(r.b, r.sym[WORLD_LATE], px[WORLD_LATE], 1),
                     0);
    replay(r.b, "world", &r.rng);
    book_free(r.b);
}
END_TEST

START_TEST(prop_multi_fixture)
{
    const char *path = fixtures[_i];
    struct book *t = book_new();
    char err[512];
    uint64_t rng = test_seed() ^ (0x9e3779b97f4a7c15u * (uint64_t)(_i + 1));

    ck_assert_msg(portfolio_load(t, path, NULL, err, sizeof err) == 0, "%s: %s",
                  path, err);
    replay(t, path, &rng);
    book_free(t);
}
END_TEST

static Suite *
multi_prop_suite(void)
{
    Suite *s = suite_create("multi-prop");
    TCase *tc = tcase_create("lines");

    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, prop_multi_world);
    tcase_add_loop_test(tc, prop_multi_fixture, 0,
                        (int)(sizeof fixtures / sizeof fixtures[0]));
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    return test_run(multi_prop_suite());
}
