/*
 * prop_book.c: after every tick of a random replay (prices, what-if shocks,
 * positions arriving; Morpho markets of either orientation, two or three
 * assets, positions with a side empty, positions emptied by a chain's
 * re-read and given legs again), the incremental book holds exactly what
 * a full recomputation gives: every account equal to a fresh
 * model_account(), the ranking equal to a full sort (positions holding
 * nothing after all, by id), the counts equal to a recount that leaves
 * those out.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/book.h"
#include "core/health.h"
#include "core/liq.h"
#include "core/model_morpho.h"
#include "tests/common/testutil.h"
#include "tests/common/world.h"

#define NTICKS 3000

struct expect {
    unsigned cls; /* 0 debt, 1 no debt, 2 no account, 3 holds nothing */
    struct u256 hf;
    const char *id;
    uint32_t idx;
};

static int
expect_cmp(const void *pa, const void *pb)
{
    const struct expect *a = pa, *b = pb;

    if (a->cls != b->cls)
        return a->cls < b->cls ? -1 : 1;
    if (a->cls == 0) {
        int c = u256_cmp(a->hf, b->hf);
        if (c != 0)
            return c;
    }
    return strcmp(a->id, b->id);
}

static bool
fresh_account(struct book *b, uint32_t idx, struct account *out)
{
    struct position p;
    struct u256 px[MARKET_ASSETS_MAX];
    uint32_t missing;

    book_position_get(b, idx, &p);
    book_prices_base(b, p.market, px, &missing);
    for (unsigned i = 0; i < p.ncoll; i++)
        if (missing & (1u << p.coll[i].asset))
            return false;
    for (unsigned i = 0; i < p.ndebt; i++)
        if (missing & (1u << p.debt[i].asset))
            return false;
    return model_account(book_market(b, p.market), &p, px, out) == 0;
}

static void
verify(struct world *r, unsigned tick)
{
    uint32_t n = book_position_count(r->b);
    struct expect *e = malloc((n + 1) * sizeof *e);
    struct book_counts want, got;

    ck_assert_ptr_nonnull(e);
    uint32_t nempty = 0;

    memset(&want, 0, sizeof want);
    for (uint32_t i = 0; i < n; i++) {
        struct account fa, ba;
        struct position p;
        bool fok = fresh_account(r->b, i, &fa);
        bool bok = book_read_account(r->b, i, &ba);
        struct book_health bh;

        ck_assert(book_read_health(r->b, i, &bh) == bok);
        book_position_get(r->b, i, &p);
        ck_assert_msg(fok == bok, "tick %u: %s priced %d, book says %d", tick,
                      p.id, fok, bok);
        e[i].idx = i;
        e[i].id = p.id;
        e[i].hf = u256_zero();
        e[i].cls = 2;
        if (position_holds_nothing(&p)) {
            e[i].cls = 3; /* valued as any, ranked last, not counted */
            nempty++;
        } else {
            want.total++;
        }
        if (!fok) {
            if (e[i].cls == 3)
                continue;
            want.unpriced++;
            continue;
        }
        ck_assert_msg(
            u256_eq(fa.hf, ba.hf) && u256_eq(fa.coll_value, ba.coll_value) &&
                u256_eq(fa.debt_value, ba.debt_value) &&
                fa.has_debt == ba.has_debt &&
                fa.liquidatable == ba.liquidatable &&
                fa.bad_debt == ba.bad_debt,
            "tick %u: %s: account %s/%s/%s differs from fresh "
            "%s/%s/%s",
            tick, p.id, test_u256_str(ba.hf), test_u256_str(ba.coll_value),
            test_u256_str(ba.debt_value), test_u256_str(fa.hf),
            test_u256_str(fa.coll_value), test_u256_str(fa.debt_value));
        {
            /* The verdict alone: the same figures (hf with debt only). */
            struct book_health h;

            ck_assert(book_read_health(r->b, i, &h));
            ck_assert_msg(h.has_debt == fa.has_debt &&
                              h.liquidatable == fa.liquidatable &&
                              h.bad_debt == fa.bad_debt &&
                              (!fa.has_debt || u256_eq(h.hf, fa.hf)),
                          "tick %u: %s: book_read_health %s differs from "
                          "fresh %s",
                          tick, p.id, test_u256_str(h.hf),
                          test_u256_str(fa.hf));
        }
        if (e[i].cls == 3)
            continue;
        e[i].cls = fa.has_debt ? 0 : 1;
        e[i].hf = fa.hf;
        enum tier t = health_tier(fa.hf, fa.has_debt);
        if (fa.liquidatable)
            want.liquidatable++;
        else if (health_tier_at_risk(t))
            want.at_risk++;
        if (t == TIER_NO_DEBT)
            want.no_debt++;
        if (fa.bad_debt)
            want.bad_debt++;
    }
    qsort(e, n, sizeof *e, expect_cmp);
    ck_assert_uint_eq(book_rank_count(r->b), n - nempty);
    for (uint32_t k = 0; k < n; k++) {
        uint32_t got_idx = book_rank_at(r->b, k);
        ck_assert_msg(got_idx == e[k].idx, "tick %u: rank %u is %s, want %s",
                      tick, k, got_idx < n ? e[got_idx].id : "?", e[k].id);
        ck_assert_uint_eq(book_rank_of(r->b, e[k].idx), k);
    }
    /* Ranks out of order too: each found afresh, not stepped to. */
    for (unsigned j = 0; j < 16 && n > 0; j++) {
        uint32_t k = (uint32_t)test_rand_range(&r->rng, 0, n - 1);
        ck_assert_msg(book_rank_at(r->b, k) == e[k].idx,
                      "tick %u: rank %u read alone is %u, want %s", tick, k,
                      book_rank_at(r->b, k), e[k].id);
    }
    book_counts(r->b, &got);
    ck_assert_uint_eq(got.total, want.total);
    ck_assert_uint_eq(got.liquidatable, want.liquidatable);
    ck_assert_uint_eq(got.at_risk, want.at_risk);
    ck_assert_uint_eq(got.no_debt, want.no_debt);
    ck_assert_uint_eq(got.bad_debt, want.bad_debt);
    ck_assert_uint_eq(got.unpriced, want.unpriced);
    free(e);
}

/* Position i takes the legs of a random other position j of its market,
 * each amount halved, kept or doubled; or, one time in six, it is emptied
 * (no leg, or every leg zero: repaid and withdrawn) (book_position_set). */
static void
change_position(struct world *r, uint64_t *rng)
{
    uint32_t n = book_position_count(r->b);
    uint32_t i = (uint32_t)test_rand_range(rng, 0, n - 1);
    struct position pi, pj;

    book_position_get(r->b, i, &pi);
    for (unsigned tries = 0; tries < 8; tries++) {
        uint32_t j = (uint32_t)test_rand_range(rng, 0, n - 1);

        book_position_get(r->b, j, &pj);
        if (strcmp(book_market(r->b, pj.market)->id,
                   book_market(r->b, pi.market)->id) != 0)
            continue;
        pj.id = pi.id;
        pj.label = pi.label;
        for (unsigned k = 0; k < pj.ncoll + pj.ndebt; k++) {
            struct leg *l = k < pj.ncoll ? &pj.coll[k] : &pj.debt[k - pj.ncoll];
            uint64_t f = test_rand_range(rng, 0, 2);

            if (f != 1)
                ck_assert_int_eq(u256_muldiv(&l->amount, l->amount,
                                             u256_from_u64(f == 0 ? 1 : 4),
                                             u256_from_u64(2),
                                             U256_FLOOR) == 0 ||
                                     f == 2,
                                 1);
        }
        uint64_t empty = test_rand_range(rng, 0, 11);
        if (empty == 0)
            pj.ncoll = pj.ndebt = 0;
        for (unsigned k = 0; empty == 1 && k < pj.ncoll + pj.ndebt; k++)
            (k < pj.ncoll ? &pj.coll[k] : &pj.debt[k - pj.ncoll])->amount =
                u256_zero();
        ck_assert_int_eq(book_position_set(r->b, i, &pj), 0);
        return;
    }
}

/* A market's as_of a minute on, Morpho's totals accrued to it
 * (book_market_set). */
static void
change_market(struct world *r, uint64_t *rng)
{
    uint32_t mi =
        (uint32_t)test_rand_range(rng, 0, book_market_count(r->b) - 1);
    struct market m = *book_market(r->b, mi);

    m.as_of += 60;
    if (m.morpho.has_state) {
        m.morpho.accrued = false;
        if (model_morpho_accrue(&m) != 0)
            return;
    }
    ck_assert_int_eq(book_market_set(r->b, mi, &m), 0);
}

START_TEST(prop_incremental_equals_full)
{
    struct world r;
    struct u256 px[WORLD_NSYM];

    world_init(&r, 200, px);
    uint64_t rng2 = r.rng ^ 0x9e3779b97f4a7c15u;
    book_update(r.b);
    verify(&r, 0);

    for (unsigned t = 1; t <= NTICKS; t++) {
        uint64_t op = test_rand_range(&r.rng, 0, 99);
        /* 98 and 99 add positions in the same update: new and moved
         * positions ranked in one repair. */
        unsigned nset = op < 85 ? 1 : op < 90 ? 3 : op >= 98 ? 1 : 0;
        for (unsigned k = 0; k < nset; k++) {
            unsigned s = (unsigned)test_rand_range(&r.rng, 0, WORLD_NSYM - 1);
            if (s == WORLD_LATE && t < NTICKS / 3)
                continue;
            uint64_t f = test_rand_range(&r.rng, 9000, 11000);
            if (test_rand_range(&r.rng, 0, 9) == 0)
                f = 10000; /* the same price again */
            struct u256 np;
            ck_assert_int_eq(u256_muldiv(&np, px[s], u256_from_u64(f),
                                         u256_from_u64(10000), U256_FLOOR),
                             0);
            if (u256_is_zero(np))
                np = u256_from_u64(1);
            px[s] = np;
            ck_assert_int_eq(book_price_set(r.b, r.sym[s], np, (int64_t)t), 0);
        }
        if (op >= 90 && op < 95) {
            unsigned s = (unsigned)test_rand_range(&r.rng, 0, WORLD_NSYM - 1);
            int32_t bps = (int32_t)test_rand_range(&r.rng, 0, 6000) - 3000;
            ck_assert_int_eq(book_whatif_set(r.b, r.sym[s], bps), 0);
        } else if (op >= 95 && op < 97) {
            book_whatif_clear(r.b);
        } else if (op >= 97) {
            unsigned k = (unsigned)test_rand_range(&r.rng, 1, 5);
            while (k-- > 0)
                world_add_position(&r);
        }
        /* what a chain source reads (on an rng of its own, so the ticks
         * above replay as before): a position given the legs of another
         * of its market, amounts moved, more or fewer legs; a market
         * given a later as_of (Morpho's totals accrued to it) */
        if (test_rand_range(&rng2, 0, 9) == 0 && book_position_count(r.b) > 1)
            change_position(&r, &rng2);
        if (test_rand_range(&rng2, 0, 19) == 0)
            change_market(&r, &rng2);
        book_update(r.b);
        verify(&r, t);
    }
    book_free(r.b);
}
END_TEST

/* A book past the size where the ranking's sort splits by the top digit
 * first (most of it ranked, or moved, in one repair): after the load and
 * after lines of every symbol, the ranking equal to a full sort. */
#define BIG_BOOK 70000
#define BIG_LINES 3
#define BIG_COPIES 20000

START_TEST(prop_big_book_sorted)
{
    struct world r;
    struct u256 px[WORLD_NSYM];

    world_init(&r, BIG_BOOK, px);
    book_update(r.b);
    verify(&r, 0);
    /* Copies of one position with debt, its debt scaled by up to 10 %
     * either way: many healths near one another, one big bucket of the
     * top digit sorted by its own wider passes. */
    uint32_t from = 0, out;
    struct account a;
    while (!book_read_account(r.b, from, &a) || !a.has_debt)
        from++;
    for (unsigned k = 0; k < BIG_COPIES; k++) {
        struct position p;
        char id[32];
        book_position_get(r.b, from, &p);
        snprintf(id, sizeof id, "copy%05u", k);
        p.id = id;
        for (unsigned i = 0; i < p.ndebt; i++)
            ck_assert_int_eq(
                u256_muldiv(&p.debt[i].amount, p.debt[i].amount,
                            u256_from_u64(test_rand_range(&r.rng, 9000, 11000)),
                            u256_from_u64(10000), U256_FLOOR),
                0);
        ck_assert_int_eq(book_position_add(r.b, &p, &out), 0);
    }
    for (unsigned t = 1; t <= BIG_LINES; t++) {
        for (unsigned s = 0; s < WORLD_NSYM; s++) {
            uint64_t f = test_rand_range(&r.rng, 8000, 12000);
            struct u256 np;
            ck_assert_int_eq(u256_muldiv(&np, px[s], u256_from_u64(f),
                                         u256_from_u64(10000), U256_FLOOR),
                             0);
            if (u256_is_zero(np))
                np = u256_from_u64(1);
            px[s] = np;
            ck_assert_int_eq(book_price_set(r.b, r.sym[s], np, (int64_t)t), 0);
        }
        book_update(r.b);
        verify(&r, t);
    }
    book_free(r.b);
}
END_TEST

static Suite *
book_prop_suite(void)
{
    Suite *s = suite_create("book-prop");
    TCase *tc = tcase_create("replay");

    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, prop_incremental_equals_full);
    tcase_add_test(tc, prop_big_book_sorted);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    return test_run(book_prop_suite());
}
