/*
 * test_model_morpho_state.c: Morpho Blue on a stored market state. The
 * vectors are computed from Morpho.sol's formulas step by step (MathLib,
 * SharesMathLib, _accrueInterest, _isHealthy, liquidate), each step in the
 * comments; they were cross-checked against @morpho-org/blue-sdk's
 * MarketUtils.
 *
 * The market: 1,000,000 USDC borrowed as 1e18 shares, 2,000,000 supplied
 * as 2e18 shares, fee 0.1, borrow rate 1e9 per second, last update one day
 * (86,400 s) before as_of; WETH (18) against USDC (6), LLTV 0.86, the
 * market's oracle price 2e27 (2,000 USDC a WETH).
 */
#include <check.h>
#include <string.h>

#include "core/book.h"
#include "core/liq.h"
#include "core/model.h"
#include "core/model_morpho.h"
#include "core/preview.h"
#include "tests/common/testutil.h"

#define T0 1733000000

static void
market(struct market *m)
{
    memset(m, 0, sizeof(*m));
    strcpy(m->id, "m");
    m->model = MODEL_MORPHO_BLUE;
    m->base_decimals = 8;
    m->as_of = T0 + 86400;
    m->nassets = 2;
    m->assets[0] =
        (struct asset){.sym = 0, .decimals = 18, .lt = 860000000000000000ULL};
    m->assets[1] =
        (struct asset){.sym = 1, .decimals = 6, .lt = 860000000000000000ULL};
    m->morpho.has_state = true;
    m->morpho.has_oracle = true;
    m->morpho.oracle_price = test_u256("2000000000000000000000000000");
    m->morpho.borrow_assets = test_u256("1000000000000");
    m->morpho.borrow_shares = test_u256("1000000000000000000");
    m->morpho.supply_assets = test_u256("2000000000000");
    m->morpho.supply_shares = test_u256("2000000000000000000");
    m->morpho.fee = 100000000000000000ULL;
    m->morpho.borrow_rate = u256_from_u64(1000000000);
    m->morpho.last_update = T0;
    ck_assert_int_eq(model_morpho_accrue(m), 0);
}

/*
 * wTaylorCompounded(1e9, 86400): first 8.64e13, second 8.64e13^2 / 2e18 =
 * 3,732,480,000, third 3,732,480,000 * 8.64e13 / 3e18 = 107,495 (floor);
 * growth 86,403,732,587,495. interest = 1e12 * growth / 1e18 =
 * 86,403,732. feeAmount = interest * 0.1 = 8,640,373; feeShares =
 * 8,640,373 * (2e18 + 1e6) / (2,000,086,403,732 - 8,640,373 + 1) =
 * 8,640,037,060,848.
 */
START_TEST(test_accrue_vector)
{
    struct market m;

    market(&m);
    TEST_U256_EQ(m.morpho.acc_borrow_assets, test_u256("1000086403732"));
    TEST_U256_EQ(m.morpho.acc_borrow_shares, test_u256("1000000000000000000"));
    TEST_U256_EQ(m.morpho.acc_supply_assets, test_u256("2000086403732"));
    TEST_U256_EQ(m.morpho.acc_supply_shares, test_u256("2000008640037060848"));
    /*
     * A year (31,536,000 s) at 1e10 a second, where the second and third
     * terms count: first 3.1536e17, second 3.1536e17^2 / 2e18 =
     * 49,725,964,800,000,000, third second * first / 3e18 =
     * 5,227,193,419,776,000; growth 370,313,158,219,776,000; interest
     * 370,313,158,219; feeAmount 37,031,315,821; feeShares 37,031,315,821
     * * (2e18 + 1e6) / (2,370,313,158,219 - 37,031,315,821 + 1) =
     * 31,741,828,310,757,514.
     */
    m.morpho.borrow_rate = u256_from_u64(10000000000ULL);
    m.as_of = T0 + 31536000;
    ck_assert_int_eq(model_morpho_accrue(&m), 0);
    TEST_U256_EQ(m.morpho.acc_borrow_assets, test_u256("1370313158219"));
    TEST_U256_EQ(m.morpho.acc_supply_assets, test_u256("2370313158219"));
    TEST_U256_EQ(m.morpho.acc_supply_shares, test_u256("2031741828310757514"));
    m.morpho.borrow_rate = u256_from_u64(1000000000);
    /* No time elapsed: the stored state as it is. */
    m.as_of = T0;
    ck_assert_int_eq(model_morpho_accrue(&m), 0);
    TEST_U256_EQ(m.morpho.acc_borrow_assets, test_u256("1000000000000"));
    /* Before the last update the contract's subtraction underflows. */
    m.as_of = T0 - 1;
    ck_assert_int_eq(model_morpho_accrue(&m), LIQ_ERANGE);
    /* A rate that overflows x * n is the accrual's revert. */
    m.as_of = T0 + 86400;
    m.morpho.borrow_rate = u256_max();
    ck_assert_int_eq(model_morpho_accrue(&m), LIQ_EOVERFLOW);
}
END_TEST

/* SharesMathLib with the virtual 1e6 shares and 1 asset. */
START_TEST(test_shares_rounding)
{
    struct morpho_totals t = {.assets = u256_from_u64(3),
                              .shares = u256_from_u64(1000000)};
    struct u256 v;

    /* 1 share: 1 * 4 / 2e6 -> 0 down, 1 up. */
    ck_assert_int_eq(
        model_morpho_state_convert(&v, u256_from_u64(1), &t, false, false), 0);
    TEST_U256_EQ(v, u256_zero());
    ck_assert_int_eq(
        model_morpho_state_convert(&v, u256_from_u64(1), &t, false, true), 0);
    TEST_U256_EQ(v, u256_from_u64(1));
    /* 1 asset: 1 * 2e6 / 4 = 500,000 either way. */
    ck_assert_int_eq(
        model_morpho_state_convert(&v, u256_from_u64(1), &t, true, true), 0);
    TEST_U256_EQ(v, u256_from_u64(500000));
    /* 3 assets: 6e6 / 4 = 1,500,000 exactly; 5: 2,500,000. */
    ck_assert_int_eq(
        model_morpho_state_convert(&v, u256_from_u64(5), &t, true, false), 0);
    TEST_U256_EQ(v, u256_from_u64(2500000));
    /* Checked arithmetic: x * y past 2^256 - 1 is the contract's revert. */
    ck_assert_int_eq(
        model_morpho_state_convert(&v, u256_max(), &t, true, false),
        LIQ_EOVERFLOW);
    ck_assert_int_eq(model_morpho_state_muldiv_up(
                         &v, u256_max(), u256_from_u64(1), u256_from_u64(2)),
                     LIQ_EOVERFLOW);
}
END_TEST

/*
 * 1 WETH against 1.72e15 shares: borrowed = ceil(1.72e15 *
 * (1,000,086,403,732 + 1) / (1e18 + 1e6)) = 1,720,148,615; maxBorrow =
 * 1e18 * 2e27 / 1e36 * 0.86 = 1,720,000,000 < borrowed: liquidatable, HF
 * 1,720,000,000 / 1,720,148,615 = 0.999913603395250822.
 */
START_TEST(test_health_on_state)
{
    struct market m;
    struct position p;
    struct account a;
    struct u256 v;

    market(&m);
    test_position_1x1(&p, "1000000000000000000", "1720000000000000");
    ck_assert_int_eq(model_account(&m, &p, test_prices_2000_1(), &a), 0);
    TEST_U256_EQ(a.hf, test_u256("999913603395250822"));
    ck_assert(a.liquidatable);
    TEST_U256_EQ(a.debt_value, test_u256("172014861500"));
    ck_assert_int_eq(model_balance(&m, 1, true, p.debt[0].amount, &v), 0);
    TEST_U256_EQ(v, test_u256("1720148615"));
    /* A day earlier (no interest) the same shares owe ceil(1.72e15 *
     * (1e12 + 1) / (1e18 + 1e6)) = 1,720,000,000, exactly maxBorrow:
     * healthy (maxBorrow >= borrowed), HF 1. */
    m.as_of = T0;
    ck_assert_int_eq(model_morpho_accrue(&m), 0);
    ck_assert_int_eq(model_account(&m, &p, test_prices_2000_1(), &a), 0);
    TEST_U256_EQ(a.debt_value, test_u256("172000000000"));
    TEST_U256_EQ(a.hf, u256_from_u64(WAD));
    ck_assert(!a.liquidatable);
    /* ...and the cache is not needed: a moment it was not made for is
     * accrued afresh. */
    m.as_of = T0 + 86400;
    ck_assert_int_eq(model_account(&m, &p, test_prices_2000_1(), &a), 0);
    TEST_U256_EQ(a.hf, test_u256("999913603395250822"));
}
END_TEST

/*
 * Repay 100 USDC: toSharesDown = 1e8 * (1e18 + 1e6) / 1,000,086,403,733
 * = 99,991,360,373,295 shares; seized: toAssetsDown of them = 99,999,999,
 * wMulDown LIF 1.043841336116910229 = 104,384,132, * 1e36 / 2e27 =
 * 52,192,066,000,000,000 (0.052192066 WETH); repaid toAssetsUp =
 * 100,000,000. After: 1,620,148,615 owed (totals less the shares and the
 * repaid assets) against 0.947807934 WETH: HF 1.006222287823885835.
 */
START_TEST(test_liquidate_by_repay)
{
    struct market m;
    struct position p;
    struct liq_call call = {.repay = test_u256("100000000")};
    struct liq_result r;

    market(&m);
    test_position_1x1(&p, "1000000000000000000", "1720000000000000");
    ck_assert_int_eq(model_liquidate(&m, &p, test_prices_2000_1(), &call, &r),
                     0);
    TEST_U256_EQ(r.repaid_shares, test_u256("99991360373295"));
    TEST_U256_EQ(r.repay, test_u256("100000000"));
    TEST_U256_EQ(r.seized, test_u256("52192066000000000"));
    TEST_U256_EQ(r.hf_after, test_u256("1006222287823885835"));
    ck_assert_int_eq(r.revert, REVERT_NONE);
    /* One more than owed (1,720,148,616) burns more shares than held. */
    call.repay = test_u256("1720148616");
    ck_assert_int_eq(model_liquidate(&m, &p, test_prices_2000_1(), &call, &r),
                     0);
    ck_assert_int_eq(r.revert, REVERT_TOO_MUCH_REPAY);
    /* 2^256 - 1: toSharesDown overflows; a reverting preview, no error. */
    call.repay = u256_max();
    ck_assert_int_eq(model_liquidate(&m, &p, test_prices_2000_1(), &call, &r),
                     0);
    ck_assert_int_eq(r.revert, REVERT_TOO_MUCH_REPAY);
    TEST_U256_EQ(r.seized, u256_zero());
    /* Nothing: exactlyOneZero fails before the health is looked at. */
    call.repay = u256_zero();
    p.coll[0].amount = test_u256("9000000000000000000");
    ck_assert_int_eq(model_liquidate(&m, &p, test_prices_2000_1(), &call, &r),
                     0);
    ck_assert_int_eq(r.revert, REVERT_NOTHING_TO_REPAY);
    call.repay = u256_from_u64(1);
    ck_assert_int_eq(model_liquidate(&m, &p, test_prices_2000_1(), &call, &r),
                     0);
    ck_assert_int_eq(r.revert, REVERT_NOT_LIQUIDATABLE);
}
END_TEST

/*
 * Seize 0.1 WETH: mulDivUp(1e17, 2e27, 1e36) = 200,000,000; wDivUp by
 * LIF = 191,600,001; toSharesUp = 191,583,447,475,149 shares, repaid
 * toAssetsUp = 191,600,002.
 */
START_TEST(test_liquidate_by_seize)
{
    struct market m;
    struct position p;
    struct liq_call call = {.seize = true,
                            .seized = test_u256("100000000000000000")};
    struct liq_result r;

    market(&m);
    test_position_1x1(&p, "1000000000000000000", "1720000000000000");
    ck_assert_int_eq(model_liquidate(&m, &p, test_prices_2000_1(), &call, &r),
                     0);
    TEST_U256_EQ(r.repaid_shares, test_u256("191583447475149"));
    TEST_U256_EQ(r.repay, test_u256("191600002"));
    TEST_U256_EQ(r.seized, test_u256("100000000000000000"));
    ck_assert_int_eq(r.revert, REVERT_NONE);
    /* More than the collateral, and worth more than the debt: the shares
     * are taken first (borrowShares -= repaidShares underflows). */
    call.seized = test_u256("1000000000000000001");
    ck_assert_int_eq(model_liquidate(&m, &p, test_prices_2000_1(), &call, &r),
                     0);
    ck_assert_int_eq(r.revert, REVERT_TOO_MUCH_REPAY);
    /* Another model has no such entry point. */
    m.model = MODEL_COMPOUND_V2;
    ck_assert_int_eq(model_liquidate(&m, &p, test_prices_2000_1(), &call, &r),
                     LIQ_EINVAL);
}
END_TEST

/*
 * 0.5 WETH against the same shares (maxBorrow 860,000,000): seizing all
 * of it repays toSharesUp(wDivUp(1e9, LIF)) = 957,917,233,376,090 shares
 * (958,000,002 USDC); 762,082,766,623,910 shares are left with no
 * collateral and realized as bad debt: no debt after. The largest repay
 * in loan assets: 957,917,233,376,089 shares seize at most 0.5 WETH; the
 * largest repay whose toSharesDown stays within them is 958,000,001, which
 * burns exactly those shares and seizes 0.4999999995 WETH.
 */
START_TEST(test_bad_debt_and_max)
{
    struct market m;
    struct position p;
    struct liq_call call = {.seize = true,
                            .seized = test_u256("500000000000000000")};
    struct liq_result r;

    market(&m);
    test_position_1x1(&p, "500000000000000000", "1720000000000000");
    ck_assert_int_eq(model_liquidate(&m, &p, test_prices_2000_1(), &call, &r),
                     0);
    TEST_U256_EQ(r.repaid_shares, test_u256("957917233376090"));
    TEST_U256_EQ(r.repay, test_u256("958000002"));
    ck_assert(r.bad_debt_after);
    ck_assert(u256_is_max(r.hf_after));
    ck_assert_int_eq(r.revert, REVERT_NONE);
    /* One unit more than the collateral, shares enough: the collateral's
     * subtraction underflows. */
    call.seized = test_u256("500000000000000001");
    ck_assert_int_eq(model_liquidate(&m, &p, test_prices_2000_1(), &call, &r),
                     0);
    ck_assert_int_eq(r.revert, REVERT_INSUFFICIENT_COLLATERAL);
    memset(&call, 0, sizeof call);
    call.max = true;
    ck_assert_int_eq(model_liquidate(&m, &p, test_prices_2000_1(), &call, &r),
                     0);
    TEST_U256_EQ(r.max_repay, test_u256("958000001"));
    TEST_U256_EQ(r.repay, test_u256("958000001"));
    TEST_U256_EQ(r.repaid_shares, test_u256("957917233376089"));
    TEST_U256_EQ(r.seized, test_u256("499999999500000000"));
    ck_assert(!r.bad_debt_after);
    ck_assert_int_eq(r.revert, REVERT_NONE);
    /* The same as a repay in loan assets, and one unit more does not fit. */
    call.max = false;
    call.repay = test_u256("958000001");
    ck_assert_int_eq(model_liquidate(&m, &p, test_prices_2000_1(), &call, &r),
                     0);
    TEST_U256_EQ(r.repaid_shares, test_u256("957917233376089"));
    ck_assert_int_eq(r.revert, REVERT_NONE);
    call.repay = test_u256("958000002");
    ck_assert_int_eq(model_liquidate(&m, &p, test_prices_2000_1(), &call, &r),
                     0);
    ck_assert_int_eq(r.revert, REVERT_INSUFFICIENT_COLLATERAL);
}
END_TEST

/* apply: repaying assets burns toSharesDown of them; the whole debt
 * leaves nothing; more than owed is refused. Collateral is plain. */
START_TEST(test_balance_apply)
{
    struct market m;
    struct u256 v;

    market(&m);
    ck_assert_int_eq(model_apply(&m, 1, true, test_u256("1720000000000000"),
                                 test_u256("100000000"), &v),
                     0);
    TEST_U256_EQ(v, test_u256("1620008639626705"));
    ck_assert_int_eq(model_apply(&m, 1, true, test_u256("1720000000000000"),
                                 test_u256("1720148615"), &v),
                     0);
    TEST_U256_EQ(v, u256_zero());
    ck_assert_int_eq(model_apply(&m, 1, true, test_u256("1720000000000000"),
                                 test_u256("1720148616"), &v),
                     LIQ_ERANGE);
    ck_assert_int_eq(
        model_apply(&m, 0, false, u256_from_u64(5), u256_from_u64(7), &v), 0);
    TEST_U256_EQ(v, u256_from_u64(12));
}
END_TEST

/* A market with state lends its second asset against its first. */
START_TEST(test_shape_rules)
{
    struct market m;
    struct position p;
    char err[200];
    const struct model_ops *ops = model_get(MODEL_MORPHO_BLUE);

    market(&m);
    test_position_1x1(&p, "1", "1");
    p.coll[0].asset = 1;
    p.debt[0].asset = 0;
    ck_assert_int_eq(ops->check_position(&m, &p, err, sizeof err), LIQ_EINVAL);
    ck_assert_ptr_nonnull(strstr(err, "first asset"));
    m.nassets = 3;
    ck_assert_int_eq(ops->validate(&m, err, sizeof err), LIQ_EINVAL);
    ck_assert_ptr_nonnull(strstr(err, "assets:"));
    m.nassets = 2;
    ck_assert_int_eq(ops->validate(&m, err, sizeof err), 0);
    m.morpho.fee = 250000000000000001ULL;
    ck_assert_int_eq(ops->validate(&m, err, sizeof err), LIQ_EINVAL);
    ck_assert_ptr_nonnull(strstr(err, "state.fee"));
}
END_TEST

/* The 128-bit twin converts shares as the general path does, and refuses
 * when the accrued totals are not for the market's moment. */
START_TEST(test_account128_shares)
{
    struct market m;
    const uint8_t asset[2] = {0, 1};
    u128 amount[2] = {1000000000000000000ULL, 1720000000000000ULL};
    u128 price[2] = {200000000000ULL, 100000000ULL};
    struct model_account128 a;

    market(&m);
    ck_assert(model_morpho_ops.account128(&m, asset, amount, 1, 1, price, &a));
    ck_assert(a.hf == 999913603395250822ULL);
    ck_assert(a.debt_value == 172014861500ULL);
    m.as_of++;
    ck_assert(!model_morpho_ops.account128(&m, asset, amount, 1, 1, price, &a));
}
END_TEST

/*
 * 1 WETH against a debt of 1,000 USDC borrowed now (toSharesUp: 999,913,
 * 603,732,960 shares): maxBorrow 1,720,000,000. With one accrual from the
 * last update to as_of + t (elapsed 86,400 + t), the shares owe
 * 1,719,999,999 at t = 544,710,655 and 1,720,000,001 at 544,710,656: the
 * least whole second past maxBorrow (computed from the formulas above).
 */
START_TEST(test_time_to_liquidation)
{
    struct market m;
    struct position p;
    int64_t t;

    market(&m);
    test_position_1x1(&p, "1000000000000000000", "999913603732960");
    ck_assert_int_eq(
        model_time_to_liquidation(&m, &p, test_prices_2000_1(), &t), 0);
    ck_assert_int_eq(t, 544710656);
    /* Liquidatable now: 0. */
    test_position_1x1(&p, "1000000000000000000", "1720000000000000");
    ck_assert_int_eq(
        model_time_to_liquidation(&m, &p, test_prices_2000_1(), &t), 0);
    ck_assert_int_eq(t, 0);
    /* No interest: never. */
    test_position_1x1(&p, "1000000000000000000", "999913603732960");
    m.morpho.borrow_rate = u256_zero();
    ck_assert_int_eq(model_morpho_accrue(&m), 0);
    ck_assert_int_eq(
        model_time_to_liquidation(&m, &p, test_prices_2000_1(), &t), 0);
    ck_assert_int_eq(t, -1);
    /* Without state the rates are unknown. */
    m.morpho.has_state = false;
    ck_assert_int_eq(
        model_time_to_liquidation(&m, &p, test_prices_2000_1(), &t),
        LIQ_ENOENT);
    m.model = MODEL_AAVE_V4;
    ck_assert_int_eq(
        model_time_to_liquidation(&m, &p, test_prices_2000_1(), &t),
        LIQ_ENOENT);
}
END_TEST

/*
 * Morpho.repay moves the totals: in a market of 9,853 assets over
 * 2,747,668 shares, 1,036,750 shares owe ceil(1,036,750 * 9,854 /
 * 3,747,668) = 2,726 against maxBorrow 2,241 (4,482 collateral at price
 * 1e36, LLTV 0.5). Repaying 485 burns floor(485 * 3,747,668 / 9,854) =
 * 184,454 shares and leaves the totals 9,368 / 2,563,214: the 852,296
 * shares left owe ceil(852,296 * 9,369 / 3,563,214) = 2,241, healthy; 484
 * leaves 2,242. On the totals before the repay, 485 would leave 2,242: the
 * least repay is 485 only when the totals move.
 */
START_TEST(test_repay_moves_the_totals)
{
    struct market m;
    struct position p;
    struct u256 price[2] = {u256_from_u64(1), u256_from_u64(1)};
    struct preview_req req = {.debt = -1, .coll = -1};
    struct preview pv;
    struct account a;

    memset(&m, 0, sizeof(m));
    strcpy(m.id, "m");
    m.model = MODEL_MORPHO_BLUE;
    m.as_of = T0;
    m.nassets = 2;
    m.assets[0] = (struct asset){.sym = 0, .lt = 500000000000000000ULL};
    m.assets[1] = (struct asset){.sym = 1, .lt = 500000000000000000ULL};
    m.morpho.has_state = true;
    m.morpho.has_oracle = true;
    m.morpho.oracle_price = u256_exp10(36);
    m.morpho.borrow_assets = u256_from_u64(9853);
    m.morpho.borrow_shares = u256_from_u64(2747668);
    m.morpho.supply_assets = u256_from_u64(20000);
    m.morpho.supply_shares = u256_from_u64(20000000000ULL);
    m.morpho.last_update = T0;
    ck_assert_int_eq(model_morpho_accrue(&m), 0);
    test_position_1x1(&p, "4482", "1036750");
    ck_assert_int_eq(model_account(&m, &p, price, &a), 0);
    TEST_U256_EQ(a.debt_value, u256_from_u64(2726));
    ck_assert_int_eq(
        model_account_after_repay(&m, &p, 0, u256_from_u64(485), price, &a), 0);
    ck_assert(!a.liquidatable);
    TEST_U256_EQ(a.hf, u256_from_u64(WAD));
    ck_assert_int_eq(
        model_account_after_repay(&m, &p, 0, u256_from_u64(484), price, &a), 0);
    ck_assert(a.liquidatable);
    ck_assert_int_eq(
        model_account_after_repay(&m, &p, 0, u256_from_u64(2727), price, &a),
        LIQ_ERANGE);
    ck_assert_int_eq(
        model_account_after_repay(&m, &p, 0, u256_from_u64(2726), price, &a),
        0);
    ck_assert(!a.has_debt);
    ck_assert_int_eq(preview_compute(&m, &p, price, &req, &pv), 0);
    ck_assert(pv.avoid_repay[0].exists);
    TEST_U256_EQ(pv.avoid_repay[0].amount, u256_from_u64(485));
}
END_TEST

/*
 * The book takes a market's new oracle price (the rpc: feed's oracle
 * line): 1 WETH against 1.72e15 shares owing 1,720,148,615 (above) at
 * 2100 USDC a WETH: maxBorrow = 1e18 * 2.1e27 / 1e36 * 0.86 =
 * 1,806,000,000; HF = 1,806,000,000e18 / 1,720,148,615, floored.
 */
START_TEST(test_book_oracle_set)
{
    struct market m;
    struct position p;
    struct account a;
    struct book *b = book_new();
    uint32_t sym, mi, pi;

    ck_assert_int_eq(book_symbol_intern(b, "WETH", 4, &sym), 0);
    ck_assert_int_eq(book_symbol_intern(b, "USDC", 4, &sym), 0);
    ck_assert_int_eq(
        book_price_set(b, 0, test_u256("2000000000000000000000"), 0), 0);
    ck_assert_int_eq(book_price_set(b, 1, test_u256("1000000000000000000"), 0),
                     0);
    market(&m);
    ck_assert_int_eq(book_market_add(b, &m, &mi), 0);
    test_position_1x1(&p, "1000000000000000000", "1720000000000000");
    p.market = mi;
    ck_assert_int_eq(book_position_add(b, &p, &pi), 0);
    book_update(b);
    ck_assert(book_read_account(b, pi, &a));
    TEST_U256_EQ(a.hf, test_u256("999913603395250822"));
    ck_assert(a.liquidatable);
    ck_assert_int_eq(
        book_update_oracle(b, "m", test_u256("2100000000000000000000000000")),
        0);
    ck_assert(book_read_account(b, pi, &a));
    TEST_U256_EQ(a.hf, test_u256("1049909283565013363"));
    ck_assert(!a.liquidatable);
    book_update(b);
    ck_assert(book_read_account(b, pi, &a));
    TEST_U256_EQ(a.hf, test_u256("1049909283565013363"));
    ck_assert_int_eq(book_update_oracle(b, "x", u256_from_u64(1)), LIQ_ENOENT);
    ck_assert_int_eq(book_update_oracle(b, "m", u256_zero()), LIQ_ERANGE);
    book_free(b);
}
END_TEST

static Suite *
morpho_state_suite(void)
{
    Suite *s = suite_create("morpho-state");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, test_accrue_vector);
    tcase_add_test(tc, test_shares_rounding);
    tcase_add_test(tc, test_health_on_state);
    tcase_add_test(tc, test_liquidate_by_repay);
    tcase_add_test(tc, test_liquidate_by_seize);
    tcase_add_test(tc, test_bad_debt_and_max);
    tcase_add_test(tc, test_balance_apply);
    tcase_add_test(tc, test_shape_rules);
    tcase_add_test(tc, test_account128_shares);
    tcase_add_test(tc, test_time_to_liquidation);
    tcase_add_test(tc, test_repay_moves_the_totals);
    tcase_add_test(tc, test_book_oracle_set);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    return test_run(morpho_state_suite());
}
