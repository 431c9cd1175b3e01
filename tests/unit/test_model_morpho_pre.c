/*
 * test_model_morpho_pre.c: Morpho Blue with a PreLiquidation contract. The
 * vectors are computed from PreLiquidation.sol's preLiquidate step by step
 * (collateralQuoted = mulDivDown(collateral, price, 1e36), borrowed =
 * toAssetsUp(borrowShares), ltv = wDivUp(borrowed, collateralQuoted),
 * quotient = wDivDown(ltv - PRE_LLTV, LLTV - PRE_LLTV), preLIF and preLCF =
 * wMulDown(quotient, X2 - X1) + X1, repayableShares = wMulDown(
 * borrowShares, preLCF), the seize and repay paths of Morpho.liquidate with
 * preLIF), each step in the comments.
 *
 * The contract: pre_lltv 0.832, pre_lcf 0.1 to 0.8, pre_lif 1.01 to 1.05,
 * on a WETH (18) / USDC (6) market of LLTV 0.86 at 2,000 USDC a WETH
 * (oracle price 2e27).
 */
#include <check.h>
#include <string.h>

#include "core/liq.h"
#include "core/model.h"
#include "core/model_morpho.h"
#include "core/preview.h"
#include "tests/common/testutil.h"

#define T0 1733000000
#define E15 1000000000000000ULL

static void
market(struct market *m)
{
    memset(m, 0, sizeof(*m));
    strcpy(m->id, "m");
    m->model = MODEL_MORPHO_PRE;
    m->base_decimals = 8;
    m->as_of = T0;
    m->nassets = 2;
    m->assets[0] = (struct asset){.sym = 0, .decimals = 18, .lt = 860 * E15};
    m->assets[1] = (struct asset){.sym = 1, .decimals = 6, .lt = 860 * E15};
    m->pre = (struct market_pre){.lltv = 832 * E15,
                                 .lcf1 = 100 * E15,
                                 .lcf2 = 800 * E15,
                                 .lif1 = 1010 * E15,
                                 .lif2 = 1050 * E15};
}

/* A stored state without interest to accrue: 1,000,123.456789 USDC
 * borrowed as 1e18 shares (so a share is not 1e-6 of an asset). */
static void
market_state(struct market *m)
{
    market(m);
    m->morpho.has_state = true;
    m->morpho.borrow_assets = test_u256("1000123456789");
    m->morpho.borrow_shares = test_u256("1000000000000000000");
    m->morpho.supply_assets = test_u256("2000000000000");
    m->morpho.supply_shares = test_u256("2000000000000000000");
    m->morpho.last_update = T0;
    ck_assert_int_eq(model_morpho_accrue(m), 0);
}

static struct liq_result
call_repay(const struct market *m, const struct position *p, const char *repay)
{
    struct liq_call c = {.repay = test_u256(repay)};
    struct liq_result r;

    ck_assert_int_eq(model_liquidate(m, p, test_prices_2000_1(), &c, &r), 0);
    return r;
}

static struct liq_result
call_max(const struct market *m, const struct position *p)
{
    struct liq_call c = {.max = true};
    struct liq_result r;

    ck_assert_int_eq(model_liquidate(m, p, test_prices_2000_1(), &c, &r), 0);
    return r;
}

static struct liq_result
call_seize(const struct market *m, const struct position *p, const char *s)
{
    struct liq_call c = {.seize = true, .seized = test_u256(s)};
    struct liq_result r;

    ck_assert_int_eq(model_liquidate(m, p, test_prices_2000_1(), &c, &r), 0);
    return r;
}

/*
 * 10 WETH against 16,800 USDC, no state (1e6 shares an asset):
 * collateralQuoted = 1e19 * 2e27 / 1e36 = 2e10; borrowed = 1.68e10;
 * ltv = wDivUp = 0.84e18; quotient = 0.008e18 * 1e18 / 0.028e18 =
 * 285714285714285714; preLIF = floor(quotient * 0.04) + 1.01e18 =
 * 1021428571428571428; preLCF = floor(quotient * 0.7) + 0.1e18 =
 * 299999999999999999.
 */
START_TEST(test_schedule_at_ltv)
{
    struct market m;
    struct position p;
    struct model_morpho_pre_band b;

    market(&m);
    test_position_1x1(&p, "10000000000000000000", "16800000000");
    ck_assert_int_eq(model_morpho_pre_band(&m, &p, test_prices_2000_1(), &b),
                     0);
    ck_assert(b.pre_liquidatable);
    TEST_U256_EQ(b.lcf, test_u256("299999999999999999"));
    TEST_U256_EQ(b.lif, test_u256("1021428571428571428"));
}
END_TEST

/*
 * Same position. repayableShares = wMulDown(1.68e16, preLCF) =
 * 5039999999999999; the largest repay a with toSharesDown(a) within it is
 * 5039999999 (a share is 1e-6 asset), its shares 5039999999000000, and
 * max_repay = toAssetsUp of them = 5039999999. Seized: toAssetsDown =
 * 5039999999, wMulDown(preLIF) = 5147999997, mulDivDown(1e36, 2e27) =
 * 2573999999000000000 (rounded: 5147999997.98 -> ...97, times 5e8 ...)
 * A repay of 1000 USDC: shares 1e15, seized floor(1e9 * preLIF / 1e18) =
 * 1021428571, times 1e36 / 2e27: 510714285500000000.
 */
START_TEST(test_repay_path)
{
    struct market m;
    struct position p;
    struct liq_result r;

    market(&m);
    test_position_1x1(&p, "10000000000000000000", "16800000000");
    r = call_max(&m, &p);
    ck_assert_int_eq(r.revert, REVERT_NONE);
    TEST_U256_EQ(r.close_factor, test_u256("299999999999999999"));
    TEST_U256_EQ(r.max_repay, u256_from_u64(5039999999));
    TEST_U256_EQ(r.repay, u256_from_u64(5039999999));
    TEST_U256_EQ(r.repaid_shares, test_u256("5039999999000000"));
    TEST_U256_EQ(r.seized, test_u256("2573999999000000000"));
    ck_assert(!r.lowers_health);

    r = call_repay(&m, &p, "1000000000");
    ck_assert_int_eq(r.revert, REVERT_NONE);
    TEST_U256_EQ(r.repaid_shares, test_u256("1000000000000000"));
    TEST_U256_EQ(r.seized, test_u256("510714285500000000"));
    /* bonus: 1000 USDC is 0.5 WETH at the oracle price */
    TEST_U256_EQ(r.bonus, test_u256("10714285500000000"));
    TEST_U256_EQ(r.fee, u256_zero());
}
END_TEST

/*
 * seizedAssets 1 WETH: mulDivUp(1e18, 2e27, 1e36) = 2e9; wDivUp(2e9,
 * preLIF) = ceil(1958041958.04) = 1958041959; toSharesUp = 1958041959 *
 * (1.68e16 + 1e6) / (1.68e10 + 1) = 1958041959000000; repaid (toAssetsUp)
 * 1958041959.
 */
START_TEST(test_seize_path)
{
    struct market m;
    struct position p;
    struct liq_result r;

    market(&m);
    test_position_1x1(&p, "10000000000000000000", "16800000000");
    r = call_seize(&m, &p, "1000000000000000000");
    ck_assert_int_eq(r.revert, REVERT_NONE);
    TEST_U256_EQ(r.repaid_shares, test_u256("1958041959000000"));
    TEST_U256_EQ(r.repay, u256_from_u64(1958041959));
    TEST_U256_EQ(r.seized, test_u256("1000000000000000000"));
    /* 4 WETH is 8,000 USDC of debt, above repayableShares */
    r = call_seize(&m, &p, "4000000000000000000");
    ck_assert_int_eq(r.revert, REVERT_TOO_MUCH_REPAY);
    r = call_seize(&m, &p, "0");
    ck_assert_int_eq(r.revert, REVERT_NOTHING_TO_REPAY);
}
END_TEST

/*
 * On the stored state (A = 1000123456789, T = 1e18), 5 WETH against
 * 8.4e15 shares: borrowed = ceil(8.4e15 * (A + 1) / (T + 1e6)) =
 * 8401037038; collateralQuoted 1e10; ltv = 840103703800000000; quotient =
 * 289417992857142857; preLIF 1021576719714285714, preLCF
 * 302592594999999999; repayableShares 2541777797999999; the largest repay
 * within it 2542091597 (shares 2541777797274797); seized by it
 * 1298470796500000000. A repay of 1234.567891 USDC: toSharesDown =
 * 1234415494026815, seized 630602907500000000. seizedAssets 0.3 WETH:
 * repaidShares 587254901395550, repaid 587327403.
 */
START_TEST(test_on_state)
{
    struct market m;
    struct position p;
    struct model_morpho_pre_band b;
    struct liq_result r;

    market_state(&m);
    test_position_1x1(&p, "5000000000000000000", "8400000000000000");
    ck_assert_int_eq(model_morpho_pre_band(&m, &p, test_prices_2000_1(), &b),
                     0);
    ck_assert(b.pre_liquidatable);
    TEST_U256_EQ(b.lif, test_u256("1021576719714285714"));
    TEST_U256_EQ(b.lcf, test_u256("302592594999999999"));
    r = call_max(&m, &p);
    ck_assert_int_eq(r.revert, REVERT_NONE);
    TEST_U256_EQ(r.max_repay, u256_from_u64(2542091597));
    TEST_U256_EQ(r.repaid_shares, test_u256("2541777797274797"));
    TEST_U256_EQ(r.seized, test_u256("1298470796500000000"));
    r = call_repay(&m, &p, "1234567891");
    ck_assert_int_eq(r.revert, REVERT_NONE);
    TEST_U256_EQ(r.repaid_shares, test_u256("1234415494026815"));
    TEST_U256_EQ(r.seized, test_u256("630602907500000000"));
    TEST_U256_EQ(r.repay, u256_from_u64(1234567891));
    r = call_seize(&m, &p, "300000000000000000");
    ck_assert_int_eq(r.revert, REVERT_NONE);
    TEST_U256_EQ(r.repaid_shares, test_u256("587254901395550"));
    TEST_U256_EQ(r.repay, u256_from_u64(587327403));
    /* one asset above the cap: toSharesDown(2542091598) passes it */
    r = call_repay(&m, &p, "2542091598");
    ck_assert_int_eq(r.revert, REVERT_TOO_MUCH_REPAY);
}
END_TEST

/*
 * The pre-liquidation oracle: at 1.98e27 the same 10 WETH / 16,800 USDC
 * reads collateralQuoted 1.98e10, ltv = ceil(1.68e10 * 1e18 / 1.98e10) =
 * 848484848484848485, quotient 588744588744588750, preLIF
 * 1033549783549783550, preLCF 512121212121212125; 1000 USDC seizes
 * floor(1e9 * preLIF / 1e18) = 1033549783 at 1.98e27:
 * 521994839898989898. At 1.9e27: borrowed 1.68e10 > wMulDown(1.9e10,
 * 0.86) = 1.634e10, "use liquidation" while the market's oracle says
 * healthy.
 */
START_TEST(test_pre_oracle)
{
    struct market m;
    struct position p;
    struct model_morpho_pre_band b;
    struct liq_result r;

    market(&m);
    m.pre.has_oracle = true;
    m.pre.oracle_price = test_u256("1980000000000000000000000000");
    test_position_1x1(&p, "10000000000000000000", "16800000000");
    ck_assert_int_eq(model_morpho_pre_band(&m, &p, test_prices_2000_1(), &b),
                     0);
    TEST_U256_EQ(b.lif, test_u256("1033549783549783550"));
    TEST_U256_EQ(b.lcf, test_u256("512121212121212125"));
    r = call_repay(&m, &p, "1000000000");
    ck_assert_int_eq(r.revert, REVERT_NONE);
    TEST_U256_EQ(r.seized, test_u256("521994839898989898"));
    r = call_max(&m, &p);
    TEST_U256_EQ(r.max_repay, u256_from_u64(8603636363));

    m.pre.oracle_price = test_u256("1900000000000000000000000000");
    ck_assert_int_eq(model_morpho_pre_band(&m, &p, test_prices_2000_1(), &b),
                     0);
    ck_assert(!b.pre_liquidatable);
    r = call_repay(&m, &p, "1000000000");
    ck_assert_int_eq(r.revert, REVERT_USE_LIQUIDATION);
    TEST_U256_EQ(r.max_repay, u256_zero());
    r = call_repay(&m, &p, "0");
    ck_assert_int_eq(r.revert, REVERT_NOTHING_TO_REPAY); /* amounts first */
}
END_TEST

/* Outside the band: LTV 0.8 is not pre-liquidatable (max_repay 0); past
 * the LLTV on the market's oracle the figures are Morpho Blue's own. */
START_TEST(test_outside_band)
{
    struct market m, mb;
    struct position p;
    struct model_morpho_pre_band b;
    struct liq_result r, rb;
    struct liq_call c = {.repay = test_u256("5000000000")};

    market(&m);
    test_position_1x1(&p, "10000000000000000000", "16000000000");
    r = call_max(&m, &p);
    ck_assert_int_eq(r.revert, REVERT_NOT_PRE_LIQUIDATABLE);
    TEST_U256_EQ(r.max_repay, u256_zero());
    r = call_repay(&m, &p, "1000000000");
    ck_assert_int_eq(r.revert, REVERT_NOT_PRE_LIQUIDATABLE);
    ck_assert_int_eq(model_morpho_pre_band(&m, &p, test_prices_2000_1(), &b),
                     0);
    ck_assert(!b.pre_liquidatable);
    /* 16,640 USDC is LTV 0.832 exactly: not above pre_lltv */
    test_position_1x1(&p, "10000000000000000000", "16640000000");
    ck_assert_int_eq(call_max(&m, &p).revert, REVERT_NOT_PRE_LIQUIDATABLE);
    test_position_1x1(&p, "10000000000000000000", "16640000001");
    ck_assert_int_eq(call_max(&m, &p).revert, REVERT_NONE);

    test_position_1x1(&p, "10000000000000000000", "17300000000");
    mb = m;
    mb.model = MODEL_MORPHO_BLUE;
    ck_assert_int_eq(model_liquidate(&m, &p, test_prices_2000_1(), &c, &r), 0);
    ck_assert_int_eq(model_liquidate(&mb, &p, test_prices_2000_1(), &c, &rb),
                     0);
    ck_assert_int_eq(r.revert, REVERT_NONE);
    TEST_U256_EQ(r.seized, rb.seized);
    TEST_U256_EQ(r.max_repay, rb.max_repay);
    TEST_U256_EQ(r.close_factor, u256_from_u64(WAD));
    /* Morpho's LIF at 0.86: 5e9 * 1043841336116910229 / 1e18 / 2e9 WETH */
    TEST_U256_EQ(r.seized, test_u256("2609603340000000000"));
}
END_TEST

/* Above repayableShares; no shares; seizing nothing (a collateral of 10
 * raw units worth 2e9 loan units each, oracle 2e45: 1000 units repaid
 * seize floor(1021 * 1e36 / 2e45) = 0). */
START_TEST(test_reverts)
{
    struct market m;
    struct position p;
    struct liq_result r;

    market(&m);
    test_position_1x1(&p, "10000000000000000000", "16800000000");
    ck_assert_int_eq(call_repay(&m, &p, "5039999999").revert, REVERT_NONE);
    r = call_repay(&m, &p, "5040000000");
    ck_assert_int_eq(r.revert, REVERT_TOO_MUCH_REPAY);
    ck_assert_int_eq(call_repay(&m, &p, "0").revert, REVERT_NOTHING_TO_REPAY);

    m.morpho.has_oracle = true;
    m.morpho.oracle_price =
        test_u256("2000000000000000000000000000000000000000000000");
    test_position_1x1(&p, "10", "16800000000");
    r = call_repay(&m, &p, "1000");
    ck_assert_int_eq(r.revert, REVERT_TOO_SMALL);
    TEST_U256_EQ(r.seized, u256_zero());
}
END_TEST

/* pre_lcf2 above 1: the whole position may go at once, max_repay is what
 * it owes, and a repay above it reverts. preLCF at LTV 0.84 with lcf 0.5
 * to 3: floor(quotient * 2.5) + 0.5e18 = 1214285714285714285. */
START_TEST(test_lcf_above_one)
{
    struct market m;
    struct position p;
    struct liq_result r;

    market(&m);
    m.pre.lcf1 = 500 * E15;
    m.pre.lcf2 = 3000 * E15;
    test_position_1x1(&p, "10000000000000000000", "16800000000");
    r = call_max(&m, &p);
    TEST_U256_EQ(r.close_factor, test_u256("1214285714285714285"));
    TEST_U256_EQ(r.max_repay, u256_from_u64(16800000000));
    ck_assert_int_eq(r.revert, REVERT_NONE);
    ck_assert_int_eq(call_repay(&m, &p, "16800000001").revert,
                     REVERT_TOO_MUCH_REPAY);
}
END_TEST

/* The constructor's checks, naming the field. */
START_TEST(test_validate)
{
    const struct model_ops *ops = model_get(MODEL_MORPHO_PRE);
    struct market m;
    char err[160];

    market(&m);
    ck_assert_int_eq(ops->validate(&m, err, sizeof err), 0);
    m.pre.lltv = 860 * E15;
    ck_assert_int_eq(ops->validate(&m, err, sizeof err), LIQ_EINVAL);
    ck_assert_ptr_nonnull(strstr(err, "params.pre_lltv:"));
    market(&m);
    m.pre.lcf1 = 900 * E15;
    ck_assert_int_eq(ops->validate(&m, err, sizeof err), LIQ_EINVAL);
    ck_assert_ptr_nonnull(strstr(err, "params.pre_lcf1:"));
    market(&m);
    m.pre.lcf1 = m.pre.lcf2 = 1000 * E15 + 1;
    ck_assert_int_eq(ops->validate(&m, err, sizeof err), LIQ_EINVAL);
    ck_assert_ptr_nonnull(strstr(err, "at most 1"));
    market(&m);
    m.pre.lif1 = 1000 * E15 - 1;
    ck_assert_int_eq(ops->validate(&m, err, sizeof err), LIQ_EINVAL);
    ck_assert_ptr_nonnull(strstr(err, "params.pre_lif1: must be at least 1"));
    market(&m);
    m.pre.lif1 = 1060 * E15;
    ck_assert_int_eq(ops->validate(&m, err, sizeof err), LIQ_EINVAL);
    ck_assert_ptr_nonnull(strstr(err, "params.pre_lif1: must not exceed"));
    /* 1 / 0.86 = 1162790697674418604 (wDivDown): that much passes */
    market(&m);
    m.pre.lif2 = 1162790697674418604ULL;
    ck_assert_int_eq(ops->validate(&m, err, sizeof err), 0);
    m.pre.lif2++;
    ck_assert_int_eq(ops->validate(&m, err, sizeof err), LIQ_EINVAL);
    ck_assert_ptr_nonnull(strstr(err, "params.pre_lif2:"));
}
END_TEST

/*
 * Leaving the band, the same position at 2,000 (hand arithmetic on the
 * contract's formulas, no state: a share is 1e-6 asset and
 * toSharesDown(a) = a * 1e6 exactly). The pre-liquidation price: the
 * oracle is P * 1e16 for a WETH price P in 8-decimal USD, collateralQuoted
 * = floor(P / 10); past pre_lltv while floor(floor(P / 10) * 0.832) <
 * 1.68e10, i.e. floor(P / 10) <= 20192307692, so P = 201923076929.
 * The LTV: wDivUp(1.68e10, 2e10) = 0.84e18.
 * Avoid (preview): health 1.0238 is above 1, yet the position is in the
 * band; out of it needs borrowed <= wMulDown(2e10, 0.832) = 1.664e10:
 * repay 160 USDC (160000000), one unit less leaves 1.664e10 + 1; or a
 * collateralQuoted of at least 20192307693 (floor(q * 0.832) >= 1.68e10),
 * floor(c * 2 / 1e9) >= 20192307693, c >= 10096153846500000000: deposit
 * 96153846500000000.
 */
START_TEST(test_leave_band)
{
    struct market m;
    struct position p;
    struct preview_req req = {.debt = -1, .coll = -1};
    struct preview pv;
    struct u256 at, ltv, below;
    bool exists = false, clear = true;

    market(&m);
    test_position_1x1(&p, "10000000000000000000", "16800000000");
    ck_assert_int_eq(
        model_morpho_pre_price(&m, &p, test_prices_2000_1(), &exists, &at), 0);
    ck_assert(exists);
    TEST_U256_EQ(at, test_u256("201923076929"));
    ck_assert_int_eq(model_morpho_pre_ltv(&m, &p, test_prices_2000_1(), &ltv),
                     0);
    TEST_U256_EQ(ltv, test_u256("840000000000000000"));
    ck_assert_int_eq(model_morpho_pre_clear_after(&m, &p, test_prices_2000_1(),
                                                  false, test_u256("159999999"),
                                                  &clear),
                     0);
    ck_assert(!clear);
    ck_assert_int_eq(preview_compute(&m, &p, test_prices_2000_1(), &req, &pv),
                     0);
    ck_assert(pv.before.has_debt && !pv.before.liquidatable);
    ck_assert(pv.avoid_repay[0].exists);
    TEST_U256_EQ(pv.avoid_repay[0].amount, test_u256("160000000"));
    ck_assert(pv.avoid_deposit[0].exists);
    TEST_U256_EQ(pv.avoid_deposit[0].amount, test_u256("96153846500000000"));
    (void)u256_sub(&below, pv.avoid_deposit[0].amount, u256_from_u64(1));
    ck_assert_int_eq(model_morpho_pre_clear_after(&m, &p, test_prices_2000_1(),
                                                  true, below, &clear),
                     0);
    ck_assert(!clear);
    /* A price of its own on the pre-liquidation oracle: no feed moves it. */
    m.pre.has_oracle = true;
    m.pre.oracle_price = test_u256("2000000000000000000000000000");
    ck_assert_int_eq(
        model_morpho_pre_price(&m, &p, test_prices_2000_1(), &exists, &at), 0);
    ck_assert(!exists);
}
END_TEST

static Suite *
morpho_pre_suite(void)
{
    Suite *s = suite_create("morpho-pre");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, test_schedule_at_ltv);
    tcase_add_test(tc, test_repay_path);
    tcase_add_test(tc, test_seize_path);
    tcase_add_test(tc, test_on_state);
    tcase_add_test(tc, test_pre_oracle);
    tcase_add_test(tc, test_outside_band);
    tcase_add_test(tc, test_reverts);
    tcase_add_test(tc, test_lcf_above_one);
    tcase_add_test(tc, test_validate);
    tcase_add_test(tc, test_leave_band);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    return test_run(morpho_pre_suite());
}
