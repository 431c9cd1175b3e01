/*
 * prop_call128.c: the models' largest call on 128-bit figures (model.h
 * max_call128: Aave v3 of every version, spark, Compound v2) gives the same
 * repay, seized, bonus, bad debt and revert as model_liquidate's largest call
 * wherever it answers, over random markets, positions, legs and prices of
 * every width up to 128 bits, edges at 2^64 and 2^128 among them, and
 * many positions near or past liquidation, where the close factor, the
 * collateral cap and the dust rule decide (seed printed; LIQ_SEED=N
 * repeats a run). It declines every figure past 128 bits, and answers for
 * the figures real books hold, or stress's fast path would silently be
 * the slow one. Cases built on the boundaries random figures miss (Aave
 * 3.3+'s 2000-base-unit close-factor threshold, Compound v2's seize of all
 * the collateral and repay of all the debt), and a table of them with
 * their figures derived, hold the comparisons there and one raw unit
 * beside them.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "core/liq.h"
#include "core/model.h"
#include "tests/common/testutil.h"

static const uint16_t versions[] = {300, 301, 302, 303, 304, 305, 306, 307};

static u128 rand_figure(uint64_t *st, u128 real);

static void
market_make(struct market *m, uint64_t *st)
{
    static const uint8_t decs[] = {0, 2, 6, 8, 18, 18, 24, 30};
    uint64_t r = test_rand(st) % 10;
    enum model_kind k = r < 2   ? MODEL_SPARK
                        : r < 6 ? MODEL_COMPOUND_V2
                                : MODEL_AAVE_V3;
    uint64_t unit = market_ratio_unit(k);

    memset(m, 0, sizeof(*m));
    snprintf(m->id, sizeof(m->id), "m");
    m->model = k;
    m->base_decimals =
        (uint8_t)(test_rand(st) % 3 == 0 ? test_rand_range(st, 0, 18) : 8);
    if (k == MODEL_AAVE_V3)
        m->version = versions[test_rand(st) % 8];
    market_params_default(&m->params, k);
    if (k == MODEL_COMPOUND_V2) {
        m->params.close_factor = test_rand_range(st, WAD / 20, WAD);
        m->params.liquidation_incentive = test_rand_range(st, WAD, 2 * WAD);
    }
    m->nassets = 4;
    for (int i = 0; i < 4; i++) {
        struct asset *a = &m->assets[i];

        a->sym = (uint32_t)i;
        a->decimals = decs[test_rand(st) % 8];
        a->lt = test_rand(st) % 6 == 0 ? 0 : test_rand_range(st, 1, unit);
        a->ltv = a->lt / 2;
        a->bonus = test_rand(st) % 8 == 0 ? test_rand_range(st, 0, 20000)
                                          : test_rand_range(st, 0, 1500);
        a->fee = test_rand_range(st, 0, BPS);
        if (k != MODEL_COMPOUND_V2)
            continue;
        /* cTokens at a rate near a real one (0.02 underlying each, in
         * 1e18 mantissa scaled by the decimals), or of any width; some
         * borrows deprecated */
        m->ctoken[i].has_rate = test_rand(st) % 3 != 0;
        m->ctoken[i].deprecated = test_rand(st) % 8 == 0;
        m->ctoken[i].exchange_rate =
            test_rand(st) % 4 == 0
                ? u256_from_u128(rand_figure(st, (u128)1 << 90))
                : u256_from_u128((u128)test_rand_range(st, 1, 1000) *
                                 u256_pow10_128(a->decimals + 13));
    }
    if (k != MODEL_COMPOUND_V2 && test_rand(st) % 8 == 0)
        m->view.coll_off = (uint32_t)(1u << (test_rand(st) % 4));
}

/* A random figure: of any width to 128 bits, or an edge (0, 1, 2^64 and
 * 2^128 and their neighbours), or of a real book's size. */
static u128
rand_figure(uint64_t *st, u128 real)
{
    static const u128 edges[] = {0,
                                 1,
                                 2,
                                 (u128)UINT64_MAX,
                                 (u128)UINT64_MAX + 1,
                                 ~(u128)0,
                                 ~(u128)0 - 1,
                                 (u128)1 << 127,
                                 ((u128)1 << 127) - 1,
                                 (u128)1 << 100};
    unsigned r = (unsigned)(test_rand(st) % 8);

    if (r == 0)
        return edges[test_rand(st) % (sizeof edges / sizeof edges[0])];
    if (r <= 2) {
        unsigned bits = (unsigned)test_rand_range(st, 1, 128);
        u128 v = ((u128)test_rand(st) << 64) | test_rand(st);

        return bits < 128 ? v & (((u128)1 << bits) - 1) : v;
    }
    return real / 2 + (u128)test_rand_range(st, 0, UINT64_MAX) % (real + 1);
}

/* 10^n as a figure of a real book's size: n places of a token. */
static u128
real_of(unsigned places, uint64_t whole)
{
    return (u128)whole * u256_pow10_128(places);
}

static void
position_make(const struct market *m, struct position *p, uint64_t *st)
{
    memset(p, 0, sizeof(*p));
    p->id = "p";
    p->label = "";
    p->ncoll = (uint8_t)test_rand_range(st, 1, 3);
    p->ndebt = (uint8_t)test_rand_range(st, 1, 3);
    for (int side = 0; side < 2; side++) {
        struct leg *legs = side ? p->debt : p->coll;
        int n = side ? p->ndebt : p->ncoll;
        uint8_t first = (uint8_t)(test_rand(st) % 4);

        for (int i = 0; i < n; i++) {
            uint8_t a = (uint8_t)((first + i) % 4);
            u128 real =
                real_of(m->assets[a].decimals, test_rand_range(st, 1, 100000));

            legs[i] = (struct leg){a, u256_from_u128(rand_figure(st, real))};
        }
    }
}

/* Scale the debt so that health lands near 1 (0.3 to 1.2): the close
 * factor's two sides, the cap and the dust rule then all come up. */
static void
position_near(const struct market *m, struct position *p,
              const struct u256 *price, uint64_t *st)
{
    struct account a;
    struct u256 want =
        u256_from_u64(test_rand_range(st, 300, 1200) * (WAD / 1000));

    if (model_account(m, p, price, &a) != 0 || !a.has_debt ||
        u256_is_zero(a.hf) || u256_is_max(a.hf))
        return;
    for (int i = 0; i < p->ndebt; i++) {
        struct u256 amt;

        if (u256_muldiv(&amt, p->debt[i].amount, a.hf, want, U256_FLOOR) == 0 &&
            !u256_is_zero(amt))
            p->debt[i].amount = amt;
    }
}

/* max_call128 against model_liquidate's largest call on legs (debt,
 * coll); true when the twin answered. */
static bool
check_call(const struct market *m, const struct position *p,
           const struct u256 *price, uint8_t debt, uint8_t coll, int n)
{
    const struct model_ops *ops = model_get(m->model);
    struct model_call128 c;
    struct liq_call call;
    struct liq_result r;
    int rc;

    if (!ops->max_call128(m, p, price, debt, coll, &c))
        return false;
    memset(&call, 0, sizeof call);
    call.debt = debt;
    call.coll = coll;
    call.max = true;
    rc = model_liquidate(m, p, price, &call, &r);
    /* compared first, asserted on a difference only (a passing check
     * assertion costs a system call) */
    if (rc == 0 && u256_eq(u256_from_u128(c.repay), r.repay) &&
        u256_eq(u256_from_u128(c.seized), r.seized) &&
        u256_eq(u256_from_u128(c.bonus), r.bonus) &&
        c.bad_debt_after == r.bad_debt_after && c.revert == r.revert)
        return true;
    ck_assert_msg(rc == 0, "case %d: max_call128 answered, liquidate failed %d",
                  n, rc);
    ck_assert_msg(c.revert == r.revert,
                  "case %d (v%u): revert %d, liquidate %d", n, m->version,
                  c.revert, r.revert);
    TEST_U256_EQ(u256_from_u128(c.repay), r.repay);
    TEST_U256_EQ(u256_from_u128(c.seized), r.seized);
    TEST_U256_EQ(u256_from_u128(c.bonus), r.bonus);
    ck_assert_int_eq(c.bad_debt_after, r.bad_debt_after);
    return true;
}

START_TEST(prop_max_call128_equals_liquidate)
{
    uint64_t st = test_seed();
    unsigned answered = 0, through = 0;

    for (int n = 0; n < 60000; n++) {
        struct market m;
        struct position p;
        struct u256 price[MARKET_ASSETS_MAX];

        market_make(&m, &st);
        memset(price, 0, sizeof price);
        for (int a = 0; a < 4; a++)
            price[a] = u256_from_u128(
                rand_figure(&st, real_of(m.base_decimals,
                                         test_rand_range(&st, 1, 100000))));
        position_make(&m, &p, &st);
        if (test_rand(&st) % 2 == 0)
            position_near(&m, &p, price, &st);
        struct model_call128 c;
        uint8_t debt = (uint8_t)(test_rand(&st) % (uint64_t)p.ndebt);
        uint8_t coll = (uint8_t)(test_rand(&st) % (uint64_t)p.ncoll);

        if (check_call(&m, &p, price, debt, coll, n)) {
            answered++;
            (void)model_get(m.model)->max_call128(&m, &p, price, debt, coll,
                                                  &c);
            through += c.revert == REVERT_NONE;
        }
    }
    /* reported, not asserted: how many the random figures reach */
    printf("max_call128: %u of 60000 answered, %u of them a call made\n",
           answered, through);
}
END_TEST

/* Past 128 bits, in an amount or a price of the call's legs, the twin
 * leaves the call to liquidate. */
START_TEST(prop_max_call128_declines_wide)
{
    uint64_t st = test_seed();

    for (int n = 0; n < 2000; n++) {
        struct market m;
        struct position p;
        struct u256 price[MARKET_ASSETS_MAX];
        struct model_call128 c;
        struct u256 *wide;

        market_make(&m, &st);
        memset(price, 0, sizeof price);
        for (int a = 0; a < 4; a++)
            price[a] = u256_from_u128(real_of(m.base_decimals, 2000));
        position_make(&m, &p, &st);
        switch (test_rand(&st) % 4) {
        case 0:
            wide = &p.debt[0].amount;
            break;
        case 1:
            wide = &p.coll[0].amount;
            break;
        case 2:
            wide = &price[p.debt[0].asset];
            break;
        default:
            wide = &price[p.coll[0].asset];
            break;
        }
        wide->w[2 + test_rand(&st) % 2] = test_rand_range(&st, 1, UINT64_MAX);
        ck_assert_msg(!model_get(m.model)->max_call128(&m, &p, price, 0, 0, &c),
                      "case %d: max_call128 answered on a figure past 128 bits",
                      n);
    }
}
END_TEST

/* Real books' figures (up to 10^6 tokens of 6 or 18 places, prices from
 * 0.01 to 10^4 at 8 places, health from 0.3 to 1.2): the twin answers
 * every one, and agrees. */
START_TEST(prop_max_call128_answers_real_figures)
{
    uint64_t st = test_seed();

    for (int n = 0; n < 20000; n++) {
        struct market m;
        struct position p;
        struct u256 price[MARKET_ASSETS_MAX];

        market_make(&m, &st);
        m.base_decimals = 8;
        memset(&m.view, 0, sizeof m.view);
        memset(price, 0, sizeof price);
        for (int a = 0; a < 4; a++) {
            m.assets[a].decimals = (uint8_t)(test_rand(&st) % 2 ? 18 : 6);
            m.assets[a].bonus = test_rand_range(&st, 0, 1500);
            /* a cToken's rate: some 0.02 underlying at 8 places */
            m.ctoken[a].exchange_rate =
                u256_from_u128((u128)test_rand_range(&st, 100, 300) *
                               u256_pow10_128(m.assets[a].decimals + 6));
            price[a] =
                u256_from_u64(test_rand_range(&st, 1000000, 1000000000000ULL));
        }
        position_make(&m, &p, &st);
        for (int i = 0; i < p.ncoll + p.ndebt; i++) {
            struct leg *l = i < p.ncoll ? &p.coll[i] : &p.debt[i - p.ncoll];

            l->amount = u256_from_u128(real_of(m.assets[l->asset].decimals, 1) *
                                       test_rand_range(&st, 1, 1000000));
        }
        position_near(&m, &p, price, &st);
        uint8_t debt = model_largest_leg(&m, &p, true, price);
        uint8_t coll = model_largest_leg(&m, &p, false, price);
        ck_assert_msg(check_call(&m, &p, price, debt, coll, n),
                      "case %d: max_call128 declined a real book's figures", n);
    }
}
END_TEST

/* An Aave v3.3+ (or spark) market of two assets, coll 0 and debt 1, at
 * base_decimals 8: the close factor's threshold of 2000 base units is
 * 2000e8. */
static void
edge_aave_market(struct market *m, uint64_t *st, uint8_t cdec, uint8_t ddec)
{
    memset(m, 0, sizeof(*m));
    snprintf(m->id, sizeof(m->id), "m");
    m->model = test_rand(st) % 4 == 0 ? MODEL_SPARK : MODEL_AAVE_V3;
    m->version = versions[3 + test_rand(st) % 5]; /* 3.3 .. 3.7 */
    m->base_decimals = 8;
    market_params_default(&m->params, m->model);
    m->nassets = 2;
    for (int i = 0; i < 2; i++) {
        m->assets[i].sym = (uint32_t)i;
        m->assets[i].decimals = i == 0 ? cdec : ddec;
        m->assets[i].bonus = test_rand_range(st, 0, 1000);
    }
}

/* The amount of a token of `dec` places at `price` (base units of 8
 * places a whole token, price = j 10^8) worth `whole` base currency, plus
 * `off` raw units: whole 10^dec / j, exact for j dividing whole. */
static u128
edge_amount(uint8_t dec, uint64_t j, uint64_t whole, int off)
{
    return (u128)whole * u256_pow10_128(dec) / j + (u128)(int64_t)off;
}

/* Aave 3.3+: the whole debt may be repaid unless both the collateral and
 * the debt are worth at least 2000 base units (min <= coll_base && min <=
 * debt_base) and health is above 0.95. One leg sits at 2000 exactly, or
 * one or two raw units below or above; the other leg is worth 2% to 4%
 * more, and the liquidation threshold puts health between 0.95 and 1, so
 * that the half close factor and the whole debt give different calls
 * (the half is below the debt in value: one debt leg). Figures such as
 * coll 2000e18 wei at 1.00000000 (coll_base 2000e8 exactly), debt 2050e6
 * at 1.00000000 (debt_base 2050e8), lt 0.99: health 1980/2050 = 0.9659,
 * liquidatable and above 0.95; the half is 1025e6, the whole 2050e6 capped
 * by the collateral. One raw unit less of collateral: coll_base 1999.99..
 * floors below 2000e8, the whole debt. */
static void
edge_aave_close(int n, uint64_t *st)
{
    static const uint8_t decs[] = {6, 8, 18, 18, 24};
    static const uint64_t js[] = {1, 1, 2, 4, 5, 8, 10};
    struct market m;
    struct position p;
    struct u256 price[MARKET_ASSETS_MAX];
    uint8_t cdec = decs[test_rand(st) % 5], ddec = decs[test_rand(st) % 5];
    uint64_t cj = js[test_rand(st) % 7], dj = js[test_rand(st) % 7];
    int off = (int)test_rand_range(st, 0, 4) - 2;
    bool coll_edge = test_rand(st) % 2 == 0;
    uint64_t other = test_rand_range(st, 2040, 2080);

    edge_aave_market(&m, st, cdec, ddec);
    memset(price, 0, sizeof price);
    price[0] = u256_from_u64(cj * 100000000ULL);
    price[1] = u256_from_u64(dj * 100000000ULL);
    memset(&p, 0, sizeof p);
    p.id = "p";
    p.label = "";
    p.ncoll = p.ndebt = 1;
    if (coll_edge) {
        /* coll at 2000, debt 2040 .. 2080: lt 0.99 gives 0.952 .. 0.970 */
        p.coll[0] =
            (struct leg){0, u256_from_u128(edge_amount(cdec, cj, 2000, off))};
        p.debt[0] =
            (struct leg){1, u256_from_u128(edge_amount(ddec, dj, other, 0))};
        m.assets[0].lt = 9900;
    } else {
        /* debt at 2000, coll 2040 .. 2080: lt 0.96 gives 0.979 .. 0.998 */
        p.coll[0] =
            (struct leg){0, u256_from_u128(edge_amount(cdec, cj, other, 0))};
        p.debt[0] =
            (struct leg){1, u256_from_u128(edge_amount(ddec, dj, 2000, off))};
        m.assets[0].lt = 9600;
    }
    m.assets[0].ltv = m.assets[0].lt / 2;
    m.assets[1].lt = 9000;
    m.assets[1].ltv = 4500;
    ck_assert_msg(check_call(&m, &p, price, 0, 0, n),
                  "edge %d: max_call128 declined the close factor's edge", n);
}

/* Compound v2 with no exchange rate and equal oracle prices (same
 * decimals, same price): the seize's ratio is the incentive itself. At an
 * incentive of 1 (ratio 1e18) a repay of r seizes r cTokens, and the
 * collateral allows held: with close factor 1 (or a deprecated borrow) a
 * debt of held repays held and seizes every cToken (no debt left: no bad
 * debt); held + 1 leaves one raw unit of debt and no collateral (bad
 * debt); held - 1 repays it all and leaves one cToken. At an incentive
 * above 1 the collateral caps the repay at floor(((held + 1) 1e18 - 1) /
 * ratio), whose seize is held or just below: the insufficient-collateral
 * comparison at equality. */
static void
edge_compound(int n, uint64_t *st)
{
    struct market m;
    struct position p;
    struct u256 price[MARKET_ASSETS_MAX];
    uint8_t dec = (uint8_t)(test_rand(st) % 2 ? 18 : 8);
    u128 held = (u128)test_rand_range(st, 1, 1000000) * u256_pow10_128(dec) +
                test_rand_range(st, 0, 1000);
    int off = (int)test_rand_range(st, 0, 4) - 2;
    bool unit = test_rand(st) % 2 == 0;

    memset(&m, 0, sizeof m);
    snprintf(m.id, sizeof(m.id), "m");
    m.model = MODEL_COMPOUND_V2;
    m.base_decimals = 8;
    market_params_default(&m.params, m.model);
    m.params.close_factor = test_rand(st) % 4 == 0 ? WAD / 2 : WAD;
    m.params.liquidation_incentive =
        unit ? WAD : test_rand_range(st, WAD + 1, WAD + WAD / 5);
    m.nassets = 2;
    for (int i = 0; i < 2; i++) {
        m.assets[i].sym = (uint32_t)i;
        m.assets[i].decimals = dec;
        m.assets[i].lt = WAD / 10 * 9;
        m.assets[i].ltv = WAD / 2;
    }
    m.ctoken[1].deprecated = test_rand(st) % 4 == 0;
    memset(price, 0, sizeof price);
    price[0] = price[1] =
        u256_from_u64(test_rand_range(st, 1, 1000) * 100000000ULL);
    memset(&p, 0, sizeof p);
    p.id = "p";
    p.label = "";
    p.ncoll = p.ndebt = 1;
    p.coll[0] = (struct leg){0, u256_from_u128(held)};
    /* the debt at the collateral's repay, or 10% above, or their
     * neighbours */
    p.debt[0] = (struct leg){1, u256_from_u128((unit ? held : held + held / 5) +
                                               (u128)(int64_t)off)};
    ck_assert_msg(check_call(&m, &p, price, 0, 0, n),
                  "edge %d: max_call128 declined Compound's edge", n);
}

/* The boundaries random figures almost never reach, each case built to
 * sit on one, or one or two raw units beside it. */
START_TEST(prop_max_call128_edges)
{
    uint64_t st = test_seed();

    for (int n = 0; n < 20000; n++) {
        if (n % 2 == 0)
            edge_aave_close(n, &st);
        else
            edge_compound(n, &st);
    }
}
END_TEST

/* One call on a two-asset market (coll 0, debt 1, prices 1.00000000),
 * the twin's figures asserted, and liquidate's equal to them. */
static void
edge_table_one(struct market *m, u128 coll, u128 debt, u128 repay, u128 seized,
               u128 bonus, bool bad, enum liq_revert rv)
{
    struct position p;
    struct u256 price[MARKET_ASSETS_MAX];
    struct model_call128 c;

    memset(price, 0, sizeof price);
    price[0] = price[1] = u256_from_u64(100000000);
    memset(&p, 0, sizeof p);
    p.id = "p";
    p.label = "";
    p.ncoll = p.ndebt = 1;
    p.coll[0] = (struct leg){0, u256_from_u128(coll)};
    p.debt[0] = (struct leg){1, u256_from_u128(debt)};
    ck_assert(model_get(m->model)->max_call128(m, &p, price, 0, 0, &c));
    TEST_U256_EQ(u256_from_u128(c.repay), u256_from_u128(repay));
    TEST_U256_EQ(u256_from_u128(c.seized), u256_from_u128(seized));
    TEST_U256_EQ(u256_from_u128(c.bonus), u256_from_u128(bonus));
    ck_assert_int_eq(c.bad_debt_after, bad);
    ck_assert_int_eq(c.revert, rv);
    ck_assert(check_call(m, &p, price, 0, 0, 0));
}

START_TEST(unit_max_call128_edge_table)
{
    struct market m;
    uint64_t st = 1;
    u128 e18 = u256_pow10_128(18), e6 = 1000000;

    /* Aave 3.3, coll 18 places, debt 6, base 8, bonus 0, lt 0.96.
     * coll 2000e18 and debt 2000e6: both exactly 2000e8 base units,
     * health 0.96 > 0.95, so the half: cap 1000e8 < 2000e8, max
     * liquidatable 1000e6; seized 1000e18 (no bonus), leaving 1000e8 of
     * each, not below the leftover minimum of 1000e8: no dust. */
    edge_aave_market(&m, &st, 18, 6);
    m.model = MODEL_AAVE_V3;
    m.version = 303;
    m.assets[0].bonus = 0;
    m.assets[0].lt = 9600;
    m.assets[0].ltv = 4800;
    edge_table_one(&m, 2000 * e18, 2000 * e6, 1000 * e6, 1000 * e18, 0, false,
                   REVERT_NONE);
    /* one wei less collateral: coll_base floors to 1999.99999999e8 < 2000e8,
     * the whole debt; 2000e6 seizes 2000e18 > held, so capped at all of it,
     * 1999999999999999999999 wei, worth floor(1999.999999999..e6) =
     * 1999999999 raw debt: one raw unit of debt left and no collateral, bad
     * debt */
    edge_table_one(&m, 2000 * e18 - 1, 2000 * e6, 2000 * e6 - 1, 2000 * e18 - 1,
                   0, true, REVERT_NONE);
    /* one raw unit less debt: debt_base 1999.999999e8 < 2000e8, the whole
     * debt 1999999999, seizing 1999999999e12 wei, leaving 1e12 wei */
    edge_table_one(&m, 2000 * e18, 2000 * e6 - 1, 2000 * e6 - 1,
                   (2000 * e6 - 1) * 1000000000000ULL, 0, false, REVERT_NONE);
    /* bonus 5%, debt 2000e6 at 2000e8, coll 2080e18, lt 0.96: health
     * 0.9984, the half 1000e6 seizes 1050e18 (bonus 1050e18 - 1050e18 /
     * 1.05 = 50e18) and leaves 1030e8 and 1000e8: no dust */
    m.assets[0].bonus = 500;
    edge_table_one(&m, 2080 * e18, 2000 * e6, 1000 * e6, 1050 * e18, 50 * e18,
                   false, REVERT_NONE);
    /* one raw unit less debt: the whole 1999999999, whose seize
     * 2099.99999895e18 is past 2080e18: capped, all 2080e18 seized for
     * 2080e6 / 1.05 = 1980952380.95, half up 1980952381; the bonus is
     * 2080e18 - 1980952380952380952380.95 half up: 99047619047619047619;
     * 19047618 raw debt left and no collateral: bad debt */
    edge_table_one(&m, 2080 * e18, 2000 * e6 - 1, 1980952381, 2080 * e18,
                   (u128)99047619047ULL * 1000000000ULL + 619047619ULL, true,
                   REVERT_NONE);

    /* Compound v2, 18 places, prices 1 (oracle 1e18), no exchange rate,
     * incentive 1 and close factor 1: the ratio is 1e18, the collateral
     * allows ceil((held + 1) 1e18 / 1e18) - 1 = held. */
    memset(&m, 0, sizeof m);
    m.model = MODEL_COMPOUND_V2;
    m.base_decimals = 8;
    market_params_default(&m.params, m.model);
    m.params.close_factor = WAD;
    m.params.liquidation_incentive = WAD;
    m.nassets = 2;
    for (int i = 0; i < 2; i++) {
        m.assets[i].sym = (uint32_t)i;
        m.assets[i].decimals = 18;
        m.assets[i].lt = WAD / 10 * 9;
        m.assets[i].ltv = WAD / 2;
    }
    /* debt = held = 1000e18: all repaid, every cToken seized, no debt left:
     * no bad debt, and no insufficient collateral (seize = held) */
    edge_table_one(&m, 1000 * e18, 1000 * e18, 1000 * e18, 1000 * e18, 0, false,
                   REVERT_NONE);
    /* one raw unit more debt: repay capped at held, one raw unit of debt
     * left and no collateral: bad debt */
    edge_table_one(&m, 1000 * e18, 1000 * e18 + 1, 1000 * e18, 1000 * e18, 0,
                   true, REVERT_NONE);
    /* one raw unit less debt: all repaid, one cToken left */
    edge_table_one(&m, 1000 * e18, 1000 * e18 - 1, 1000 * e18 - 1,
                   1000 * e18 - 1, 0, false, REVERT_NONE);
}
END_TEST

static Suite *
call128_suite(void)
{
    Suite *s = suite_create("largest call on 128-bit figures");
    TCase *tc = tcase_create("prop");

    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, prop_max_call128_equals_liquidate);
    tcase_add_test(tc, prop_max_call128_declines_wide);
    tcase_add_test(tc, prop_max_call128_answers_real_figures);
    tcase_add_test(tc, prop_max_call128_edges);
    tcase_add_test(tc, unit_max_call128_edge_table);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    return test_run(call128_suite());
}
