/*
 * prop_book.c: after every tick of a random replay (prices, what-if shocks,
 * positions arriving; Morpho markets of either orientation, two or three
 * assets, positions with a side empty), the incremental book holds exactly
 * what a full recomputation gives: every account equal to a fresh
 * model_account(), the ranking equal to a full sort, the counts equal to a
 * recount.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/book.h"
#include "core/health.h"
#include "core/liq.h"
#include "tests/common/testutil.h"

#define NSYM 7 /* the last is held by few: small repairs */
#define LATE 5 /* priced only after a third of the ticks */
#define NTICKS 3000

struct rig {
    struct book *b;
    uint64_t rng;
    uint32_t sym[NSYM];
    uint32_t nmkt;
    uint32_t mkt[8];
    uint32_t nextid;
};

struct expect {
    unsigned cls; /* 0 debt, 1 no debt, 2 no account */
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

static struct u256
pow10u(unsigned n)
{
    return u256_exp10(n);
}

/* A random amount for an asset with `dec` decimals: mostly ordinary, some
 * tiny, a few past 128 bits. */
static struct u256
rand_amount(struct rig *r, unsigned dec)
{
    uint64_t k = test_rand_range(&r->rng, 0, 99);
    struct u256 v;

    if (k < 8)
        return u256_from_u64(test_rand_range(&r->rng, 1, 1000));
    if (k < 10) {
        ck_assert_int_eq(
            u256_mul(&v, u256_from_u64(test_rand(&r->rng) | 1), pow10u(40)), 0);
        return v;
    }
    uint64_t whole = test_rand_range(&r->rng, 1, 1000000);
    ck_assert_int_eq(u256_mul(&v, u256_from_u64(whole), pow10u(dec)), 0);
    if (dec > 0) {
        struct u256 frac = u256_from_u64(test_rand(&r->rng) % 1000000007ULL);
        ck_assert_int_eq(u256_add(&v, v, frac), 0);
    }
    return v;
}

/* Symbols of the Morpho markets' assets: the usual pair, the pair the
 * other way round (an oracle price past 128 bits), one with a symbol
 * priced late, and one of three assets (not prepared on a tick). */
static const unsigned morpho_syms[4][4] = {{2, 1}, {1, 0}, {5, 3}, {4, 0, 1}};
static const unsigned morpho_nsyms[4] = {2, 2, 2, 3};

static void
add_market(struct rig *r, enum model_kind kind, uint16_t version,
           const char *id)
{
    static const uint8_t decs[NSYM] = {18, 6, 8, 18, 0, 2, 18};
    struct market m;
    uint32_t idx;
    bool wad = kind == MODEL_COMPOUND_V2 || kind == MODEL_MORPHO_BLUE;

    memset(&m, 0, sizeof m);
    snprintf(m.id, sizeof m.id, "%s", id);
    m.model = kind;
    m.version = kind == MODEL_MORPHO_BLUE ? 0 : version;
    m.base_decimals = 8;
    market_params_default(&m.params, kind);
    /* Morpho has no versions: a Morpho market's is its morpho_syms row. */
    m.nassets = kind == MODEL_MORPHO_BLUE ? morpho_nsyms[version] : NSYM;
    for (unsigned i = 0; i < m.nassets; i++) {
        unsigned s = kind == MODEL_MORPHO_BLUE ? morpho_syms[version][i] : i;
        struct asset *a = &m.assets[i];
        a->sym = r->sym[s];
        a->decimals = decs[s];
        uint64_t lt = 6000 + 500 * (uint64_t)i; /* bps */
        if (kind == MODEL_MORPHO_BLUE)
            lt = 8600;
        a->lt = wad ? lt * 100000000000000ULL : lt;
        a->ltv = a->lt;
        a->bonus = wad ? 0 : 500;
        a->fee = wad ? 0 : 1000;
    }
    if (book_market_add(r->b, &m, &idx) != 0)
        ck_abort_msg("market %s rejected", id);
    /* Only models that answer take part. */
    struct position p;
    struct account acc;
    struct u256 px[MARKET_ASSETS_MAX];
    memset(&p, 0, sizeof p);
    memset(px, 0, sizeof px);
    p.id = "probe";
    p.label = "";
    p.ncoll = 1;
    p.coll[0].asset = 0;
    p.coll[0].amount = pow10u(20);
    p.ndebt = 1;
    p.debt[0].asset = 1;
    p.debt[0].amount = pow10u(4);
    px[0] = pow10u(11);
    px[1] = pow10u(8);
    if (model_account(&m, &p, px, &acc) == LIQ_EINVAL)
        printf("model %s: not answering yet, left out\n",
               market_model_name(kind));
    else
        r->mkt[r->nmkt++] = idx;
}

static void
add_position(struct rig *r)
{
    struct position p;
    uint32_t idx;
    char id[32];

    memset(&p, 0, sizeof p);
    snprintf(id, sizeof id, "p%05u-%llx", r->nextid++,
             (unsigned long long)(test_rand(&r->rng) % 4096));
    p.id = id;
    p.label = "";
    uint32_t np = book_position_count(r->b);
    if (np > 0 && test_rand_range(&r->rng, 0, 9) == 0) {
        /* A copy of an earlier position: ties broken by id. */
        struct position q;
        book_position_get(r->b, (uint32_t)test_rand_range(&r->rng, 0, np - 1),
                          &q);
        q.id = id;
        ck_assert_int_eq(book_position_add(r->b, &q, &idx), 0);
        return;
    }
    p.market = r->mkt[test_rand_range(&r->rng, 0, r->nmkt - 1)];
    const struct market *m = book_market(r->b, p.market);
    if (m->model == MODEL_MORPHO_BLUE) {
        /* either asset as collateral, now and then a side empty */
        uint64_t shape = test_rand_range(&r->rng, 0, 19);
        unsigned c = (unsigned)test_rand_range(&r->rng, 0, m->nassets - 1);
        p.ncoll = shape != 0;
        p.ndebt = shape != 1;
        p.coll[0].asset = (uint8_t)c;
        p.debt[0].asset = (uint8_t)((c + 1) % m->nassets);
    } else {
        p.ncoll = (uint8_t)test_rand_range(&r->rng, 1, 3);
        p.ndebt = (uint8_t)test_rand_range(&r->rng, 0, 2);
        uint64_t used = 0;
        for (unsigned i = 0; i < p.ncoll; i++) {
            unsigned a;
            do
                a = (unsigned)test_rand_range(&r->rng, 0, m->nassets - 2);
            while (used & (1u << a));
            used |= 1u << a;
            p.coll[i].asset = (uint8_t)a;
        }
        for (unsigned i = 0; i < p.ndebt; i++) {
            unsigned a;
            do
                a = (unsigned)test_rand_range(&r->rng, 0, m->nassets - 2);
            while (used & (1u << a));
            used |= 1u << a;
            p.debt[i].asset = (uint8_t)a;
        }
    }
    if (m->model != MODEL_MORPHO_BLUE && test_rand_range(&r->rng, 0, 99) == 0)
        p.coll[0].asset = (uint8_t)(m->nassets - 1);
    /* Sometimes an asset supplied and borrowed at once (Aave allows it):
     * a tick then moves two legs of one position. */
    if (p.ndebt > 0 && test_rand_range(&r->rng, 0, 9) == 0)
        p.debt[0].asset = p.coll[0].asset;
    for (unsigned i = 0; i < p.ncoll; i++)
        p.coll[i].amount = rand_amount(r, m->assets[p.coll[i].asset].decimals);
    for (unsigned i = 0; i < p.ndebt; i++)
        p.debt[i].amount = rand_amount(r, m->assets[p.debt[i].asset].decimals);
    if (m->model == MODEL_MORPHO_BLUE && test_rand_range(&r->rng, 0, 19) == 0)
        p.debt[0].amount = u256_zero(); /* a leg left empty */
    ck_assert_int_eq(book_position_add(r->b, &p, &idx), 0);
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
verify(struct rig *r, unsigned tick)
{
    uint32_t n = book_position_count(r->b);
    struct expect *e = malloc((n + 1) * sizeof *e);
    struct book_counts want, got;

    ck_assert_ptr_nonnull(e);
    memset(&want, 0, sizeof want);
    want.total = n;
    for (uint32_t i = 0; i < n; i++) {
        struct account fa, ba;
        struct position p;
        bool fok = fresh_account(r->b, i, &fa);
        bool bok = book_calc_account(r->b, i, &ba);
        struct book_health bh;

        ck_assert(book_calc_health(r->b, i, &bh) == bok);
        book_position_get(r->b, i, &p);
        ck_assert_msg(fok == bok, "tick %u: %s priced %d, book says %d", tick,
                      p.id, fok, bok);
        e[i].idx = i;
        e[i].id = p.id;
        e[i].hf = u256_zero();
        e[i].cls = 2;
        if (!fok) {
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

            ck_assert(book_calc_health(r->b, i, &h));
            ck_assert_msg(h.has_debt == fa.has_debt &&
                              h.liquidatable == fa.liquidatable &&
                              h.bad_debt == fa.bad_debt &&
                              (!fa.has_debt || u256_eq(h.hf, fa.hf)),
                          "tick %u: %s: book_calc_health %s differs from "
                          "fresh %s",
                          tick, p.id, test_u256_str(h.hf),
                          test_u256_str(fa.hf));
        }
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

START_TEST(prop_incremental_equals_full)
{
    struct rig r;
    static const char *const names[NSYM] = {"WETH", "USDC", "WBTC", "DAI",
                                            "ZERO", "TWO",  "RARE"};
    struct u256 px[NSYM];

    memset(&r, 0, sizeof r);
    r.rng = test_seed();
    r.b = book_new();
    for (unsigned i = 0; i < NSYM; i++)
        ck_assert_int_eq(
            book_symbol_intern(r.b, names[i], strlen(names[i]), &r.sym[i]), 0);
    add_market(&r, MODEL_AAVE_V3, 307, "aave-37");
    add_market(&r, MODEL_AAVE_V3, 300, "aave-30");
    add_market(&r, MODEL_AAVE_V4, 0, "aave-v4");
    add_market(&r, MODEL_COMPOUND_V2, 0, "compound");
    add_market(&r, MODEL_MORPHO_BLUE, 0, "morpho");
    add_market(&r, MODEL_MORPHO_BLUE, 1, "morpho-rev");
    add_market(&r, MODEL_MORPHO_BLUE, 2, "morpho-late");
    add_market(&r, MODEL_MORPHO_BLUE, 3, "morpho-three");
    if (r.nmkt == 0) /* nothing answers: every position has no account */
        r.mkt[r.nmkt++] = 0;
    for (unsigned i = 0; i < 200; i++)
        add_position(&r);
    /* Every symbol but the last starts with a price. */
    for (unsigned i = 0; i < NSYM; i++) {
        uint64_t whole = test_rand_range(&r.rng, 1, 60000);
        ck_assert_int_eq(u256_mul(&px[i], u256_from_u64(whole), pow10u(18)), 0);
        if (i != LATE)
            ck_assert_int_eq(book_price_set(r.b, r.sym[i], px[i], 1), 0);
    }
    book_update(r.b);
    verify(&r, 0);

    for (unsigned t = 1; t <= NTICKS; t++) {
        uint64_t op = test_rand_range(&r.rng, 0, 99);
        /* 98 and 99 add positions in the same update: new and moved
         * positions ranked in one repair. */
        unsigned nset = op < 85 ? 1 : op < 90 ? 3 : op >= 98 ? 1 : 0;
        for (unsigned k = 0; k < nset; k++) {
            unsigned s = (unsigned)test_rand_range(&r.rng, 0, NSYM - 1);
            if (s == LATE && t < NTICKS / 3)
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
            unsigned s = (unsigned)test_rand_range(&r.rng, 0, NSYM - 1);
            int32_t bps = (int32_t)test_rand_range(&r.rng, 0, 6000) - 3000;
            ck_assert_int_eq(book_whatif_set(r.b, r.sym[s], bps), 0);
        } else if (op >= 95 && op < 97) {
            book_whatif_clear(r.b);
        } else if (op >= 97) {
            unsigned k = (unsigned)test_rand_range(&r.rng, 1, 5);
            while (k-- > 0)
                add_position(&r);
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
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    return test_run(book_prop_suite());
}
