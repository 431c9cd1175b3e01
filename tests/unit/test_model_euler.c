/*
 * test_model_euler.c: the euler-v2 model (Euler Vault Kit). Vectors from
 * liquidation-mechanics.md 8.4 and from EVK's own tests
 * (euler-xyz/euler-vault-kit test/unit/evault/modules/Liquidation/
 * basic.t.sol and full.t.sol, each test named), their setups transcribed
 * as figures; where a test asserts only approximately, the exact figure
 * is derived here from Liquidation.calculateMaxLiquidation step by step
 * (each step in the comments) and checked against the test's tolerance.
 *
 * Units: base_decimals 18, so an oracle price of 1e18 is one unit of
 * account a token, as EVK's test oracle quotes; 18-decimal assets.
 * maxLiquidationDiscount 0.2e4 as EVaultTestBase sets it.
 */
#include <check.h>
#include <string.h>

#include "core/liq.h"
#include "core/model.h"
#include "core/preview.h"
#include "tests/common/testutil.h"

#define T0 1764680000
#define E18 1000000000000000000ULL
#define E17 100000000000000000ULL

/* Asset 0 the controller vault's (the debt), asset 1 a collateral vault
 * with liquidation LTV lt (bps). */
static void
evk(struct market *m, uint64_t lt)
{
    memset(m, 0, sizeof(*m));
    strcpy(m->id, "evk");
    m->model = MODEL_EULER_V2;
    m->base_decimals = 18;
    m->as_of = T0;
    m->nassets = 2;
    m->assets[0] = (struct asset){.sym = 0, .decimals = 18};
    m->assets[1] =
        (struct asset){.sym = 1, .decimals = 18, .lt = lt, .ltv = lt};
    m->euler.collateral = 1u << 1;
    m->euler.max_discount = 2000;
}

static void
pos(struct position *p, const char *shares, const char *debt)
{
    memset(p, 0, sizeof(*p));
    p->id = "borrower";
    p->label = "";
    p->ncoll = 1;
    p->coll[0] = (struct leg){1, test_u256(shares)};
    p->ndebt = 1;
    p->debt[0] = (struct leg){0, test_u256(debt)};
}

static void
prices(struct u256 *price, uint64_t debt, uint64_t coll)
{
    price[0] = u256_from_u64(debt);
    price[1] = u256_from_u64(coll);
}

static struct liq_result
liq(const struct market *m, const struct position *p, const struct u256 *price,
    bool max, const char *repay)
{
    struct liq_call c = {.debt = 0, .coll = 0, .max = max};
    struct liq_result r;

    if (!max)
        c.repay = test_u256(repay);
    ck_assert_int_eq(model_liquidate(m, p, price, &c, &r), 0);
    return r;
}

static struct account
acct(const struct market *m, const struct position *p, const struct u256 *price)
{
    struct account a;

    ck_assert_int_eq(model_account(m, p, price, &a), 0);
    return a;
}

/* basic.t.sol test_basicLiquidation_all_collateral (mechanics 8.4): 10e18
 * eTST2 at LTV 0.9, 5e18 TST borrowed, prices 1. Healthy: checkLiquidation
 * (0, 0). eTST2 at 0.5: collateralValue 5e18, adjusted 4.5e18, HS 0.9,
 * maxYieldValue 5e18 x 1e18 / 0.9e18 = 5.555e18 > 5e18, so maxRepayValue
 * = 5e18 x 0.9 = 4.5e18 and all 10e18 shares; the 0.5e18 debt left is
 * socialized (liability value 5e18 >= 1e6). */
START_TEST(test_basic_all_collateral)
{
    struct market m;
    struct position p;
    struct u256 price[2];
    struct liq_result r;
    struct account a;

    evk(&m, 9000);
    pos(&p, "10000000000000000000", "5000000000000000000");
    prices(price, E18, E18);
    a = acct(&m, &p, price);
    ck_assert(!a.liquidatable);
    TEST_U256_EQ(a.hf, u256_from_u64(18 * E17)); /* 9e18 / 5e18 */
    r = liq(&m, &p, price, true, NULL);
    TEST_U256_EQ(r.max_repay, u256_zero());
    TEST_U256_EQ(r.seized, u256_zero());
    ck_assert_int_eq(r.revert, REVERT_NOT_LIQUIDATABLE);

    prices(price, E18, 5 * E17);
    a = acct(&m, &p, price);
    ck_assert(a.liquidatable);
    TEST_U256_EQ(a.hf, u256_from_u64(9 * E17));
    TEST_U256_EQ(a.coll_value, u256_from_u64(5 * E18));
    TEST_U256_EQ(a.debt_value, u256_from_u64(5 * E18));
    r = liq(&m, &p, price, true, NULL);
    ck_assert_int_eq(r.revert, REVERT_NONE);
    TEST_U256_EQ(r.max_repay, u256_from_u64(45 * E17));
    TEST_U256_EQ(r.repay, u256_from_u64(45 * E17));
    TEST_U256_EQ(r.seized, u256_from_u64(10 * E18));
    TEST_U256_EQ(r.seized_assets, u256_from_u64(10 * E18));
    TEST_U256_EQ(r.fee, u256_zero());
    TEST_U256_EQ(r.close_factor, u256_from_u64(E18));
    /* bonus: 10e18 x (1 - 0.9) */
    TEST_U256_EQ(r.bonus, u256_from_u64(E18));
    ck_assert(r.bad_debt_after);
    ck_assert(u256_is_max(r.hf_after)); /* debtOf(borrower) == 0 */
}
END_TEST

/* basic.t.sol test_liquidation_gt_maxRepay: twice maxRepay reverts
 * E_ExcessiveRepayAmount; maxRepay itself does not. */
START_TEST(test_gt_max_repay)
{
    struct market m;
    struct position p;
    struct u256 price[2];

    evk(&m, 9000);
    pos(&p, "10000000000000000000", "5000000000000000000");
    prices(price, E18, 5 * E17);
    ck_assert_int_eq(liq(&m, &p, price, false, "9000000000000000000").revert,
                     REVERT_TOO_MUCH_REPAY);
    ck_assert_int_eq(liq(&m, &p, price, false, "4500000000000000001").revert,
                     REVERT_TOO_MUCH_REPAY);
    ck_assert_int_eq(liq(&m, &p, price, false, "4500000000000000000").revert,
                     REVERT_NONE);
}
END_TEST

/* basic.t.sol test_basicLiquidation_worthless_collateral: eTST2 at price
 * 0, maxRepay 0, the whole balance taken for nothing, the debt
 * socialized. */
START_TEST(test_worthless_collateral)
{
    struct market m;
    struct position p;
    struct u256 price[2];
    struct liq_result r;

    evk(&m, 9000);
    pos(&p, "10000000000000000000", "5000000000000000000");
    prices(price, E18, 0);
    r = liq(&m, &p, price, true, NULL);
    ck_assert_int_eq(r.revert, REVERT_NONE);
    TEST_U256_EQ(r.max_repay, u256_zero());
    TEST_U256_EQ(r.repay, u256_zero());
    TEST_U256_EQ(r.seized, u256_from_u64(10 * E18));
    ck_assert(r.bad_debt_after && u256_is_max(r.hf_after));
    /* any repay above 0 is above maxRepay */
    ck_assert_int_eq(liq(&m, &p, price, false, "1").revert,
                     REVERT_TOO_MUCH_REPAY);
    /* so the least call to health 1 is the repay of 0 that takes it all
     * and leaves the debt to be socialized */
    {
        struct preview_req req = {.debt = -1, .coll = -1};
        struct preview pv;

        ck_assert_int_eq(preview_compute(&m, &p, price, &req, &pv), 0);
        ck_assert(pv.has_to_target);
        TEST_U256_EQ(pv.repay_to_target, u256_zero());
        TEST_U256_EQ(pv.collateral_to_target, u256_from_u64(10 * E18));
        ck_assert_int_eq(pv.reason, REASON_ONLY_BAD_DEBT);
    }
}
END_TEST

/* full.t.sol's setup: TST at 2.2, TST2 at 0.4, eTST2 at LTV 0.3, the
 * borrower's 100e18 eTST2 (totals 118e18 assets and shares: the
 * bystander's 18e18 too), 5e18 TST borrowed. */
static void
full(struct market *m, struct position *p, struct u256 *price, uint64_t tst)
{
    evk(m, 3000);
    m->euler.total_assets[1] = test_u256("118000000000000000000");
    m->euler.total_shares[1] = test_u256("118000000000000000000");
    pos(p, "100000000000000000000", "5000000000000000000");
    prices(price, tst, 4 * E17);
}

/* full.t.sol test_basicFullLiquidation, TST at 2.5: adjusted 100e18 x 0.4
 * x 0.3 = 12e18, liability 12.5e18, HS 0.96 (the test: 0.96 +- 0.001).
 * maxYieldValue = 12.5e36 / 0.96e18 = 13020833333333333333 < 40e18, so
 * maxRepay = 12.5e18 x 5e18 / 12.5e18 = 5e18 = debtOf (asserted) and
 * maxYield = 13020833333333333333 x 100e18 / 40e18 = 32552083333333333332.
 * The test's check: getQuote(maxRepay) = 12.5e18 against getQuote(yield)
 * x HS = 13020833333333333332 x 0.96 = 12499999999999999998.72, within
 * its 1e9. Repay 0 is a no-op; maxRepay + 1 reverts. */
START_TEST(test_basic_full)
{
    struct market m;
    struct position p;
    struct u256 price[2];
    struct liq_result r;

    full(&m, &p, price, 25 * E17);
    TEST_U256_EQ(acct(&m, &p, price).hf, u256_from_u64(96 * E17 / 10));
    r = liq(&m, &p, price, true, NULL);
    TEST_U256_EQ(r.max_repay, u256_from_u64(5 * E18));
    TEST_U256_EQ(r.seized, test_u256("32552083333333333332"));
    ck_assert(!r.bad_debt_after && u256_is_max(r.hf_after));
    r = liq(&m, &p, price, false, "0");
    ck_assert_int_eq(r.revert, REVERT_NOTHING_TO_REPAY);
    TEST_U256_EQ(r.seized, u256_zero());
    ck_assert_int_eq(liq(&m, &p, price, false, "5000000000000000001").revert,
                     REVERT_TOO_MUCH_REPAY);
}
END_TEST

/* full.t.sol test_partialLiquidation: a quarter of maxRepay yields
 * partialRepay x maxYield / maxRepay = 1.25e18 x 32552083333333333332 /
 * 5e18 = 8138020833333333333 shares; the borrower keeps 100e18 less that
 * and owes 3.75e18, health (100e18 - 8138020833333333333) x 0.4 x 0.3 /
 * (3.75e18 x 2.5) = 11023437500000000000 / 9375e15. */
START_TEST(test_partial)
{
    struct market m;
    struct position p;
    struct u256 price[2], hf;
    struct liq_result r;

    full(&m, &p, price, 25 * E17);
    r = liq(&m, &p, price, false, "1250000000000000000");
    ck_assert_int_eq(r.revert, REVERT_NONE);
    TEST_U256_EQ(r.seized, test_u256("8138020833333333333"));
    ck_assert_int_eq(u256_muldiv(&hf, test_u256("11023437500000000000"),
                                 u256_from_u64(E18),
                                 test_u256("9375000000000000000"), U256_FLOOR),
                     0);
    TEST_U256_EQ(r.hf_after, hf);
    ck_assert(!r.lowers_health);
}
END_TEST

/* full.t.sol test_ltvRamping: eTST2's LTV set from 0.3 to 0.15 over 100
 * s. getLTV = 1500 + 1500 x timeRemaining / 100: 3000 at once (HS 40e18 x
 * 0.3 / 11e18 = 1.0909: healthy), 2850 at 10 s (1.036), 2775 at 15 s
 * (1.009), 2745 at 17 s and 2730 at 18 s (both asserted by the test). At
 * 17 s: adjusted 10.98e18, HS 998181818181818181, maxYieldValue 11e36 /
 * HS = 11020036429872495455, maxYield x 100e18 / 40e18 =
 * 27550091074681238637 (the test: 27.55e18 +- 0.01e18), maxRepay 5e18. At
 * 50 s: 2250, adjusted 9e18, HS 818181818181818181 (discount 0.1818: the
 * test's 0.181 +- 0.001), maxYield 33611111111111111142 (33.61e18). */
START_TEST(test_ltv_ramping)
{
    static const struct {
        int64_t t;
        bool liquidatable;
        const char *yield;
    } at[] = {{0, false, "0"},
              {10, false, "0"},
              {15, false, "0"},
              {17, true, "27550091074681238637"},
              {50, true, "33611111111111111142"},
              {100, true, NULL},
              {1000, true, NULL}};
    struct market m;
    struct position p;
    struct u256 price[2];

    full(&m, &p, price, 22 * E17);
    m.assets[1].lt = m.assets[1].ltv = 1500;
    m.euler.ramp_from[1] = 3000;
    m.euler.ramp_start[1] = T0;
    m.euler.ramp_duration[1] = 100;
    for (unsigned i = 0; i < sizeof at / sizeof at[0]; i++) {
        struct liq_result r;

        m.as_of = T0 + at[i].t;
        ck_assert_msg(acct(&m, &p, price).liquidatable == at[i].liquidatable,
                      "t %lld", (long long)at[i].t);
        r = liq(&m, &p, price, true, NULL);
        if (at[i].yield != NULL)
            TEST_U256_EQ(r.seized, test_u256(at[i].yield));
    }
    /* 2745 at 17 s: adjusted = floor(40e18 x 2745 / 1e4) */
    m.as_of = T0 + 17;
    TEST_U256_EQ(acct(&m, &p, price).hf, test_u256("998181818181818181"));
    m.as_of = T0 + 18; /* 2730 */
    TEST_U256_EQ(acct(&m, &p, price).hf, test_u256("992727272727272727"));
    /* after the ramp: the target, 0.15 */
    m.as_of = T0 + 100;
    TEST_U256_EQ(acct(&m, &p, price).hf, test_u256("545454545454545454"));
}
END_TEST

/* full.t.sol test_liquidationWithCustomMaxDiscount, TST at 2.8: HS 12e18
 * / 14e18 = 0.857142857142857142 (the test: 0.857). A max discount of
 * 11 % makes the factor 0.89e18 (asserted): maxYieldValue = 14e36 /
 * 0.89e18 = 15730337078651685393, maxYield 39325842696629213482; 1 %:
 * 0.99e18 (14e36 / 0.99e18 = 14141414141414141414 of value); 0: 1e18,
 * the yield worth exactly the repay (35e18 shares). At 20 % the factor is
 * the health score itself: 14e36 / 857142857142857142 =
 * 16333333333333333349, x 100 / 40. maxRepay 5e18 throughout. */
START_TEST(test_custom_max_discount)
{
    static const struct {
        uint64_t disc;
        const char *yield;
    } at[] = {{1100, "39325842696629213482"},
              {100, "35353535353535353535"},
              {0, "35000000000000000000"},
              {2000, "40833333333333333372"}};
    struct market m;
    struct position p;
    struct u256 price[2];

    full(&m, &p, price, 28 * E17);
    TEST_U256_EQ(acct(&m, &p, price).hf, test_u256("857142857142857142"));
    for (unsigned i = 0; i < sizeof at / sizeof at[0]; i++) {
        struct liq_result r;

        m.euler.max_discount = at[i].disc;
        r = liq(&m, &p, price, true, NULL);
        TEST_U256_EQ(r.seized, test_u256(at[i].yield));
        TEST_U256_EQ(r.max_repay, u256_from_u64(5 * E18));
    }
}
END_TEST

/* full.t.sol test_liquidationWithCoolOff: a status check at T (the
 * borrow); with a 1 s cool-off no liquidation at T, one at T + 1; with 30
 * s, none at T, T + 15, T + 29, one at T + 30. */
START_TEST(test_cool_off)
{
    static const struct {
        uint32_t cool;
        int64_t t;
        bool open;
    } at[] = {{1, 0, false},   {1, 1, true},    {30, 0, false},
              {30, 15, false}, {30, 29, false}, {30, 30, true}};
    struct market m;
    struct position p;
    struct u256 price[2];

    full(&m, &p, price, 25 * E17);
    m.view.view = true;
    m.view.last_check = T0;
    for (unsigned i = 0; i < sizeof at / sizeof at[0]; i++) {
        struct liq_result r;

        m.euler.cool_off = at[i].cool;
        m.as_of = T0 + at[i].t;
        r = liq(&m, &p, price, true, NULL);
        ck_assert_int_eq(r.revert, at[i].open ? REVERT_NONE : REVERT_COOL_OFF);
        ck_assert_int_eq(model_gate(&m, &p, price),
                         at[i].open ? REVERT_NONE : REVERT_COOL_OFF);
        /* the figures are still what the call would take */
        TEST_U256_EQ(r.seized, test_u256("32552083333333333332"));
    }
    ck_assert_str_eq(model_revert_reason(REVERT_COOL_OFF), "cool-off");
}
END_TEST

/* full.t.sol test_RepayAdjustedRoundsToZero: 45 wei of eTST2 (0.4),
 * 2 wei of TST at 20: collateral value 18, adjusted 5, liability 40, HS
 * 0.125 (asserted). Discount factor 0.8; maxYieldValue 50 > 18, so
 * maxRepayValue 18 x 0.8 = 14 and maxRepay 14 x 2 / 40 = 0, maxYield 45:
 * a repay of 0 takes all 45 and the 2 wei stay owed (liability value 40 is
 * below 1e6: not socialized). */
START_TEST(test_repay_rounds_to_zero)
{
    struct market m;
    struct position p;
    struct u256 price[2];
    struct liq_result r;

    evk(&m, 3000);
    pos(&p, "45", "2");
    prices(price, E18, 4 * E17);
    price[0] = test_u256("20000000000000000000");
    TEST_U256_EQ(acct(&m, &p, price).hf, u256_from_u64(125 * E17 / 100));
    r = liq(&m, &p, price, true, NULL);
    TEST_U256_EQ(r.max_repay, u256_zero());
    TEST_U256_EQ(r.seized, u256_from_u64(45));
    r = liq(&m, &p, price, false, "0");
    ck_assert_int_eq(r.revert, REVERT_NONE);
    TEST_U256_EQ(r.seized, u256_from_u64(45));
    ck_assert(r.bad_debt_after);
    TEST_U256_EQ(r.hf_after, u256_zero()); /* debtOf(borrower) == 2 */
}
END_TEST

/* full.t.sol test_zeroYieldValue: 1 wei of eTST2 at 15, 3000 wei of TST
 * at 0.002: value 15, adjusted 4, liability 6, factor 0.8; maxYieldValue
 * 6e18 / 0.8e18 = 7, maxRepay 6 x 3000 / 6 = 3000, maxYield 7 x 1 / 15 =
 * 0 (asserted): the debt is taken over for no collateral. */
START_TEST(test_zero_yield_value)
{
    struct market m;
    struct position p;
    struct u256 price[2];
    struct liq_result r;

    evk(&m, 3000);
    pos(&p, "1", "3000");
    prices(price, 2000000000000000ULL, 15 * E18);
    r = liq(&m, &p, price, true, NULL);
    TEST_U256_EQ(r.max_repay, u256_from_u64(3000));
    TEST_U256_EQ(r.seized, u256_zero());
    ck_assert_int_eq(r.revert, REVERT_NONE);
    ck_assert(u256_is_max(r.hf_after)); /* debtOf(borrower) == 0 */
}
END_TEST

/* full.t.sol test_zeroLTVCollateral: eTST2 at LTV 0 counts nothing but is
 * seized: adjusted 0, factor 0.8, maxRepay 5e18 and maxYield = 100e18 x
 * (11e18 x 1e18 / 0.8e18) / 40e18 = 34375e15 (asserted). A collateral
 * without an LTV config cannot be seized at all (E_BadCollateral). */
START_TEST(test_zero_ltv_and_unrecognized)
{
    struct market m;
    struct position p;
    struct u256 price[2];
    struct liq_result r;

    full(&m, &p, price, 22 * E17);
    m.assets[1].lt = m.assets[1].ltv = 0;
    ck_assert(acct(&m, &p, price).liquidatable);
    r = liq(&m, &p, price, true, NULL);
    TEST_U256_EQ(r.max_repay, u256_from_u64(5 * E18));
    TEST_U256_EQ(r.seized, test_u256("34375000000000000000"));
    m.euler.collateral = 0;
    r = liq(&m, &p, price, true, NULL);
    ck_assert_int_eq(r.revert, REVERT_COLLATERAL_NOT_ENABLED);
    TEST_U256_EQ(acct(&m, &p, price).coll_value, u256_zero());
}
END_TEST

/* Derived (full.t.sol test_highExchangeRateCollateral's idea: eTST2 worth
 * 5.879 TST2 a share): totals 587.9e18 assets, 100e18 shares; 100e18
 * shares are 100e18 x (587.9e18 + 1e6) / (100e18 + 1e6) =
 * 587899999999995121000 assets (floor), worth x 0.4 =
 * 235159999999998048400, adjusted x 0.3 = 70547999999999414520; 5e18 TST
 * at 16: 80e18. HS 881849999999992681; maxYieldValue 80e36 / HS =
 * 90718376141067827825; maxYield = that x 100e18 / 235159999999998048400 =
 * 38577298920338739879 shares, worth 226795940352669569562 assets. The
 * bonus, yield x (1 - HS) floor: 4557907867438304463 shares. A deposit of
 * 1e18 assets mints 1e18 x (100e18 + 1e6) / (587.9e18 + 1e6) =
 * 170096955264502177 shares (toSharesDown). */
START_TEST(test_share_conversion)
{
    struct market m;
    struct position p;
    struct u256 price[2], out;
    struct liq_result r;

    evk(&m, 3000);
    m.euler.total_assets[1] = test_u256("587900000000000000000");
    m.euler.total_shares[1] = test_u256("100000000000000000000");
    pos(&p, "100000000000000000000", "5000000000000000000");
    prices(price, 16 * E18, 4 * E17);
    TEST_U256_EQ(acct(&m, &p, price).coll_value,
                 test_u256("235159999999998048400"));
    TEST_U256_EQ(acct(&m, &p, price).hf, test_u256("881849999999992681"));
    r = liq(&m, &p, price, true, NULL);
    TEST_U256_EQ(r.max_repay, u256_from_u64(5 * E18));
    TEST_U256_EQ(r.seized, test_u256("38577298920338739879"));
    TEST_U256_EQ(r.seized_assets, test_u256("226795940352669569562"));
    TEST_U256_EQ(r.bonus, test_u256("4557907867438304463"));
    ck_assert_int_eq(
        model_apply(&m, 1, false, u256_zero(), u256_from_u64(E18), &out), 0);
    TEST_U256_EQ(out, test_u256("170096955264502177"));
    ck_assert_int_eq(
        model_apply(&m, 0, true, u256_from_u64(5), u256_from_u64(6), &out),
        LIQ_ERANGE);
}
END_TEST

/*
 * The least deposit moves the vault's rate (EVK src/EVault/modules/
 * Vault.sol deposit and finalizeDeposit, shared/BalanceUtils.sol
 * increaseBalance, shared/types/Assets.sol toSharesDown, shared/types/
 * Shares.sol toAssetsDown, shared/lib/ConversionHelpers.sol
 * conversionTotals; the value as shared/LiquidityUtils.sol
 * getCollateralValue, the violation as Liquidation.sol
 * calculateMaxLiquidation). The collateral vault holds totalAssets 4e6
 * and totalShares 1e6, so conversions use 5e6 and 2e6 (virtual 1e6 on
 * each); the borrower holds 999999 shares, LTV 0.9, prices 1 (a raw unit
 * of either asset is one unit of account), owes 2250001.
 *   before: 999999 x 5e6 / 2e6 = 2499997.5 -> 2499997 assets, adjusted
 *     floor(x 0.9) = 2249997 <= 2250001: liquidatable.
 *   deposit 1 or 2: toSharesDown = floor(x 2e6 / 5e6) = 0: E_ZeroShares.
 *   deposit 5: 2 shares; the vault after: 5e6 + 5 assets, 2e6 + 2 shares;
 *     the borrower's 1000001 shares are 1000001 x 5000005 / 2000002 =
 *     2500002 (rest 1000001) assets, adjusted 2250001 = the liability:
 *     still liquidatable (equality violates).
 *   deposit 6: 2 shares; 1000001 x 5000006 / 2000002 = 2500003 exactly,
 *     adjusted floor(2250002.7) = 2250002 > 2250001: health
 *     2250002e18 / 2250001 = 1000000444444246913. The least deposit is 6.
 *   At the totals before the deposit, 6 would give 1000001 x 5e6 / 2e6 =
 *     2500002 assets, adjusted 2250001: not enough; the first deposit that
 *     reaches there is 8 (3 shares, 1000002 x 5e6 / 2e6 = 2500005,
 *     adjusted 2250004), two raw units above the vault's least.
 *   Repay (Borrowing.sol repay, BorrowUtils.sol decreaseBorrow: the debt
 *     rounded up, less the repay): 2250001 - y < 2249997 from y = 5; at 4
 *     the liability equals the adjusted collateral. The least repay is 5,
 *     health 2249997e18 / 2249996 = 1000000444445234569.
 */
START_TEST(test_avoid_deposit_moves_rate)
{
    struct market m;
    struct position p;
    struct u256 price[2];
    struct preview_req req = {.debt = -1, .coll = -1};
    struct preview pv;
    struct account a;

    evk(&m, 9000);
    m.euler.total_assets[1] = u256_from_u64(4000000);
    m.euler.total_shares[1] = u256_from_u64(1000000);
    pos(&p, "999999", "2250001");
    prices(price, E18, E18);
    a = acct(&m, &p, price);
    TEST_U256_EQ(a.coll_value, u256_from_u64(2499997));
    ck_assert(a.liquidatable);
    ck_assert_int_eq(
        model_account_after_deposit(&m, &p, 0, u256_from_u64(2), price, &a),
        LIQ_ERANGE);
    ck_assert_int_eq(
        model_account_after_deposit(&m, &p, 0, u256_from_u64(5), price, &a), 0);
    TEST_U256_EQ(a.coll_value, u256_from_u64(2500002));
    ck_assert(a.liquidatable);
    TEST_U256_EQ(a.hf, u256_from_u64(E18 - 1));
    ck_assert_int_eq(
        model_account_after_deposit(&m, &p, 0, u256_from_u64(6), price, &a), 0);
    TEST_U256_EQ(a.coll_value, u256_from_u64(2500003));
    ck_assert(!a.liquidatable);
    TEST_U256_EQ(a.hf, test_u256("1000000444444246913"));
    ck_assert_int_eq(preview_compute(&m, &p, price, &req, &pv), 0);
    ck_assert(pv.avoid_deposit[0].exists && pv.avoid_repay[0].exists);
    TEST_U256_EQ(pv.avoid_deposit[0].amount, u256_from_u64(6));
    TEST_U256_EQ(pv.avoid_repay[0].amount, u256_from_u64(5));
    ck_assert_int_eq(
        model_account_after_repay(&m, &p, 0, u256_from_u64(4), price, &a), 0);
    ck_assert(a.liquidatable);
    ck_assert_int_eq(
        model_account_after_repay(&m, &p, 0, u256_from_u64(5), price, &a), 0);
    ck_assert(!a.liquidatable);
    TEST_U256_EQ(a.hf, test_u256("1000000444445234569"));
}
END_TEST

/* A collateral leg's balance is what its shares are worth
 * (convertToAssets), as test_share_conversion derives: 100e18 shares at
 * 587.9e18 / 100e18 are 587899999999995121000 assets; the debt is held in
 * assets. The collateral preview picks is the one worth most in assets:
 * 10e18 shares of that vault (58789999999999512100 assets x 0.4 =
 * 23515999999999804840) against 20e18 shares of a vault without totals
 * (20e18 assets x 0.4 = 8e18), though the second holds more shares. */
START_TEST(test_balance_is_assets)
{
    struct market m;
    struct position p;
    struct u256 price[3], v;

    evk(&m, 3000);
    m.nassets = 3;
    m.assets[2] =
        (struct asset){.sym = 2, .decimals = 18, .lt = 3000, .ltv = 3000};
    m.euler.collateral = 1u << 1 | 1u << 2;
    m.euler.total_assets[1] = test_u256("587900000000000000000");
    m.euler.total_shares[1] = test_u256("100000000000000000000");
    ck_assert_int_eq(
        model_balance(&m, 1, false, test_u256("100000000000000000000"), &v), 0);
    TEST_U256_EQ(v, test_u256("587899999999995121000"));
    ck_assert_int_eq(model_balance(&m, 0, true, u256_from_u64(5), &v), 0);
    TEST_U256_EQ(v, u256_from_u64(5));
    pos(&p, "10000000000000000000", "5000000000000000000");
    p.ncoll = 2;
    p.coll[1] = p.coll[0];
    p.coll[0] = (struct leg){2, test_u256("20000000000000000000")};
    prices(price, 16 * E18, 4 * E17);
    price[2] = u256_from_u64(4 * E17);
    ck_assert_int_eq(model_largest_leg(&m, &p, false, price), 1);
    TEST_U256_EQ(acct(&m, &p, price).coll_value,
                 test_u256("31515999999999804840"));
}
END_TEST

/* Exact equality is liquidatable (collateralAdjustedValue > liability is
 * "no violation"): 10e18 shares at 0.5, LTV 0.9 against 4.5e18 TST at 1.
 * Health reads one unit below 1 there; one more wei of collateral makes it
 * healthy at health 1. The factor at equality is 1e18: no discount, the
 * yield worth the repay. */
START_TEST(test_equality_is_liquidatable)
{
    struct market m;
    struct position p;
    struct u256 price[2];
    struct account a;
    struct liq_result r;

    evk(&m, 9000);
    pos(&p, "10000000000000000000", "4500000000000000000");
    prices(price, E18, 5 * E17);
    a = acct(&m, &p, price);
    ck_assert(a.liquidatable);
    TEST_U256_EQ(a.hf, u256_from_u64(E18 - 1));
    r = liq(&m, &p, price, true, NULL);
    TEST_U256_EQ(r.max_repay, u256_from_u64(45 * E17));
    TEST_U256_EQ(r.seized, u256_from_u64(9 * E18)); /* 4.5e18 / 0.5 */
    TEST_U256_EQ(r.bonus, u256_zero());
    /* 4 wei more: value 5e18 + 2, adjusted floor(x 0.9) = 4.5e18 + 1 */
    p.coll[0].amount = test_u256("10000000000000000004");
    a = acct(&m, &p, price);
    ck_assert(!a.liquidatable);
    TEST_U256_EQ(a.hf, u256_from_u64(E18));
}
END_TEST

/* full.t.sol test_debtSocialization_minLiabilityValue's rule and
 * CFG_DONT_SOCIALIZE_DEBT: the rest is written off only when the liability
 * was worth at least 1e6 and the vault allows it. */
START_TEST(test_socialization)
{
    struct market m;
    struct position p;
    struct u256 price[2];
    struct liq_result r;

    evk(&m, 9000);
    pos(&p, "10000000000000000000", "5000000000000000000");
    prices(price, E18, 5 * E17);
    m.euler.no_socialize = true;
    r = liq(&m, &p, price, true, NULL);
    ck_assert(r.bad_debt_after);
    TEST_U256_EQ(r.hf_after, u256_zero()); /* 0.5e18 left, nothing held */
    m.euler.no_socialize = false;
    /* 999999 of liability value (the debt at 1e-12 a token) stays owed */
    pos(&p, "10000000000000000000", "999999000000000000");
    prices(price, 1000000, 50000);
    r = liq(&m, &p, price, true, NULL);
    ck_assert(r.bad_debt_after);
    TEST_U256_EQ(r.hf_after, u256_zero());
    pos(&p, "10000000000000000000", "1000000000000000000");
    r = liq(&m, &p, price, true, NULL);
    ck_assert(r.bad_debt_after && u256_is_max(r.hf_after));
}
END_TEST

/* Governance's checks, each naming its field. */
START_TEST(test_validate)
{
    const struct model_ops *ops = model_get(MODEL_EULER_V2);
    struct market m;
    char err[160];

    evk(&m, 9000);
    ck_assert_int_eq(ops->validate(&m, err, sizeof err), 0);
    m.euler.max_discount = 10000;
    ck_assert_int_eq(ops->validate(&m, err, sizeof err), LIQ_EINVAL);
    ck_assert_str_eq(err, "params.max_liquidation_discount: must be below 1");
    evk(&m, 9000);
    m.assets[1].ltv = 9100;
    ck_assert_int_eq(ops->validate(&m, err, sizeof err), LIQ_EINVAL);
    ck_assert_str_eq(err, "assets[1].ltv: must not exceed liquidation_ltv "
                          "(E_LTVBorrow)");
    evk(&m, 9000);
    m.euler.ramp_from[1] = 9000;
    m.euler.ramp_duration[1] = 10;
    ck_assert_int_eq(ops->validate(&m, err, sizeof err), LIQ_EINVAL);
    ck_assert(strstr(err, "assets[1].ltv_ramp.original: must be above") == err);
    evk(&m, 10001);
    ck_assert_int_eq(ops->validate(&m, err, sizeof err), LIQ_EINVAL);
    evk(&m, 9000);
    m.euler.total_shares[1] = test_u256("5192296858534827628530496329220096");
    ck_assert_int_eq(ops->validate(&m, err, sizeof err), LIQ_EINVAL);
    ck_assert_str_eq(err, "assets[1].total_shares: must be below 2^112");
}
END_TEST

static Suite *
euler_suite(void)
{
    Suite *s = suite_create("euler-v2");
    TCase *tc = tcase_create("evk");

    tcase_add_test(tc, test_basic_all_collateral);
    tcase_add_test(tc, test_gt_max_repay);
    tcase_add_test(tc, test_worthless_collateral);
    tcase_add_test(tc, test_basic_full);
    tcase_add_test(tc, test_partial);
    tcase_add_test(tc, test_ltv_ramping);
    tcase_add_test(tc, test_custom_max_discount);
    tcase_add_test(tc, test_cool_off);
    tcase_add_test(tc, test_repay_rounds_to_zero);
    tcase_add_test(tc, test_zero_yield_value);
    tcase_add_test(tc, test_zero_ltv_and_unrecognized);
    tcase_add_test(tc, test_share_conversion);
    tcase_add_test(tc, test_avoid_deposit_moves_rate);
    tcase_add_test(tc, test_balance_is_assets);
    tcase_add_test(tc, test_equality_is_liquidatable);
    tcase_add_test(tc, test_socialization);
    tcase_add_test(tc, test_validate);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    return test_run(euler_suite());
}
