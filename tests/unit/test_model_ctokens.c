/*
 * test_model_ctokens.c: Compound v2 with cToken balances and exchange
 * rates, and a deprecated market. The vectors are computed from
 * Comptroller.sol (getHypotheticalAccountLiquidityInternal,
 * liquidateBorrowAllowed, liquidateCalculateSeizeTokens) and CToken.sol
 * (seizeInternal, mintFresh) with ExponentialNoError's truncations, step
 * by step in the comments; the seize ratio also matches the vectors of
 * liquidation-mechanics.md 4.4 (test_model_others.c).
 *
 * cETH at exchangeRateStored 200388273508251541789153977 (0.0200388 ETH a
 * cToken, 8 decimals), collateral factor 0.8; USDC borrowed; WETH 2,000 and
 * USDC 1 in an 8-decimal base: oracle mantissas 2e21 and 1e30.
 */
#include <check.h>
#include <string.h>

#include "core/liq.h"
#include "core/model.h"
#include "core/model_compound.h"
#include "tests/common/testutil.h"

static void
market(struct market *m)
{
    memset(m, 0, sizeof(*m));
    strcpy(m->id, "comp");
    m->model = MODEL_COMPOUND_V2;
    m->base_decimals = 8;
    market_params_default(&m->params, MODEL_COMPOUND_V2);
    m->nassets = 2;
    m->assets[0] =
        (struct asset){.sym = 0, .decimals = 18, .lt = 800000000000000000ULL};
    m->assets[1] =
        (struct asset){.sym = 1, .decimals = 6, .lt = 800000000000000000ULL};
    m->ctoken[0].has_rate = true;
    m->ctoken[0].decimals = 8;
    m->ctoken[0].exchange_rate = test_u256("200388273508251541789153977");
}

/*
 * 49.9 cETH (4,990,000,000) against 1,700 USDC. tokensToDenom =
 * mul_(mul_(0.8, er), 2e21) = 320,621,237,613,202,466,862,646,362,000;
 * sumCollateral = truncate(tokensToDenom * 4,990,000,000) =
 * 1,599,899,975,689,880,309,644; sumBorrow = 1e30 * 1,700e6 / 1e18 =
 * 1,700e18: shortfall, HF 0.941117632758753123. The cTokens are worth
 * mul_ScalarTruncate(er, tokens) = 999,937,484,806,175,193 wei: 1,999.87496961
 * in base units.
 */
START_TEST(test_liquidity_with_ctokens)
{
    struct market m;
    struct position p;
    struct account a;
    struct u256 v;

    market(&m);
    test_position_1x1(&p, "4990000000", "1700000000");
    ck_assert_int_eq(model_account(&m, &p, test_prices_2000_1(), &a), 0);
    TEST_U256_EQ(a.hf, test_u256("941117632758753123"));
    ck_assert(a.liquidatable);
    TEST_U256_EQ(a.coll_value, test_u256("199987496961"));
    TEST_U256_EQ(a.debt_value, test_u256("170000000000"));
    ck_assert_int_eq(model_balance(&m, 0, false, p.coll[0].amount, &v), 0);
    TEST_U256_EQ(v, test_u256("999937484806175193"));
}
END_TEST

/*
 * maxClose = 0.5 * 1,700e6 = 850e6. ratio = div_(mul_(1.08, 1e30),
 * mul_(2e21, er)) = 2,694,768,463,972,838,237; seizeTokens =
 * truncate(ratio * 850e6) = 2,290,553,194 cTokens; protocolSeizeTokens =
 * mul_(2,290,553,194, 0.028) = 64,135,489, the liquidator's 2,226,417,705.
 * In underlying: seized 458,999,999,924,471,154, fee (protocolSeizeAmount)
 * 12,851,999,911,317,458, liquidator 446,148,000,013,153,696; at incentive
 * 1, 2,120,882,587 cTokens = 424,999,999,922,644,095 wei, so the bonus is
 * 34,000,000,001,827,059. After: 2,699,446,806 cTokens against 850 USDC,
 * HF 1.018235265659678191.
 */
START_TEST(test_seize_in_ctokens)
{
    struct market m;
    struct position p;
    struct liq_call call = {.max = true};
    struct liq_result r;

    market(&m);
    test_position_1x1(&p, "4990000000", "1700000000");
    ck_assert_int_eq(model_liquidate(&m, &p, test_prices_2000_1(), &call, &r),
                     0);
    TEST_U256_EQ(r.max_repay, test_u256("850000000"));
    TEST_U256_EQ(r.seize_tokens, test_u256("2290553194"));
    TEST_U256_EQ(r.seized, test_u256("458999999924471154"));
    TEST_U256_EQ(r.fee, test_u256("12851999911317458"));
    TEST_U256_EQ(r.to_liquidator, test_u256("446148000013153696"));
    TEST_U256_EQ(r.bonus, test_u256("34000000001827059"));
    TEST_U256_EQ(r.hf_after, test_u256("1018235265659678191"));
    ck_assert_int_eq(r.revert, REVERT_NONE);
    /* 2,290,553,194 cTokens are more than 2,290,553,193 held. */
    p.coll[0].amount = test_u256("2290553193");
    ck_assert_int_eq(model_liquidate(&m, &p, test_prices_2000_1(), &call, &r),
                     0);
    ck_assert(u256_lt(r.max_repay, test_u256("850000000")));
    call.max = false;
    call.repay = test_u256("850000000");
    ck_assert_int_eq(model_liquidate(&m, &p, test_prices_2000_1(), &call, &r),
                     0);
    ck_assert_int_eq(r.revert, REVERT_INSUFFICIENT_COLLATERAL);
}
END_TEST

/*
 * A deprecated borrowed market: healthy (HF about 8), yet liquidatable up
 * to the whole borrow (liquidateBorrowAllowed's first branch); a repay
 * above the borrow reverts.
 */
START_TEST(test_deprecated)
{
    struct market m;
    struct position p;
    struct liq_call call = {.max = true};
    struct liq_result r;
    struct account a;

    market(&m);
    m.ctoken[1].deprecated = true; /* isDeprecated: CF 0 */
    m.assets[1].lt = 0;
    test_position_1x1(&p, "4990000000", "200000000");
    ck_assert_int_eq(model_account(&m, &p, test_prices_2000_1(), &a), 0);
    ck_assert(!a.liquidatable);
    ck_assert_int_eq(model_liquidate(&m, &p, test_prices_2000_1(), &call, &r),
                     0);
    TEST_U256_EQ(r.close_factor, u256_from_u64(WAD));
    TEST_U256_EQ(r.max_repay, test_u256("200000000"));
    ck_assert_int_eq(r.revert, REVERT_NONE);
    call.max = false;
    call.repay = test_u256("200000001");
    ck_assert_int_eq(model_liquidate(&m, &p, test_prices_2000_1(), &call, &r),
                     0);
    ck_assert_int_eq(r.revert, REVERT_TOO_MUCH_REPAY);
    /* Not deprecated: the same healthy account cannot be liquidated. */
    m.ctoken[1].deprecated = false;
    call.repay = test_u256("100000000");
    ck_assert_int_eq(model_liquidate(&m, &p, test_prices_2000_1(), &call, &r),
                     0);
    ck_assert_int_eq(r.revert, REVERT_NOT_LIQUIDATABLE);
}
END_TEST

/*
 * mintFresh: 1 WETH mints div_(1e18, er) = 1e36 / er = 4,990,311,970
 * cTokens (truncated), worth 999,999,999,935,861,562 wei: a deposit rounds
 * against the depositor.
 */
START_TEST(test_mint_and_apply)
{
    struct market m;
    struct u256 v, w;

    market(&m);
    ck_assert_int_eq(
        model_compound2_mint_tokens(&v, m.ctoken[0].exchange_rate,
                                    test_u256("1000000000000000000")),
        0);
    TEST_U256_EQ(v, test_u256("4990311970"));
    ck_assert_int_eq(model_apply(&m, 0, false, test_u256("10"),
                                 test_u256("1000000000000000000"), &w),
                     0);
    TEST_U256_EQ(w, test_u256("4990311980"));
    ck_assert_int_eq(model_balance(&m, 0, false, v, &w), 0);
    ck_assert(u256_lt(w, test_u256("1000000000000000000")));
    /* Debt legs are plain. */
    ck_assert_int_eq(
        model_apply(&m, 1, true, u256_from_u64(5), u256_from_u64(6), &w),
        LIQ_ERANGE);
}
END_TEST

/* The 128-bit twin gives the same sums for a cToken leg. */
START_TEST(test_term128_ctokens)
{
    struct market m;
    struct model_sums s;
    struct model_sums128 s128;
    const struct model_ops *ops = model_get(MODEL_COMPOUND_V2);

    market(&m);
    ck_assert_int_eq(ops->term(&m, 0, false, test_u256("4990000000"),
                               test_prices_2000_1()[0], &s),
                     0);
    ck_assert(ops->term128(&m, 0, false, 4990000000u, 200000000000u, &s128));
    for (int i = 0; i < MODEL_SUMS; i++)
        TEST_U256_EQ(s.s[i], u256_from_u128(s128.s[i]));
    TEST_U256_EQ(s.s[0], test_u256("1599899975689880309644"));
}
END_TEST

static Suite *
ctokens_suite(void)
{
    Suite *s = suite_create("compound-ctokens");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, test_liquidity_with_ctokens);
    tcase_add_test(tc, test_seize_in_ctokens);
    tcase_add_test(tc, test_deprecated);
    tcase_add_test(tc, test_mint_and_apply);
    tcase_add_test(tc, test_term128_ctokens);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    return test_run(ctokens_suite());
}
