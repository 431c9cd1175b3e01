/*
 * test_model_liquity.c: a Liquity v2 trove on the WETH branch (MCR 110 %,
 * penalties 5 % and 10 %). The vectors follow TroveManager.sol's
 * batchLiquidateTroves at liquity/bold 405f9122 step by step, each in the
 * comments: boldInSPForOffsets = SP - min(1e18, SP); debtToOffset =
 * min(debt, that); collSPPortion = coll * offset / debt; gas =
 * min(portion / 200, 2e18); seized = min(portion - gas, offset * (1e18 +
 * 0.05e18) / price); the rest redistributed, capped at debt * 1.1e18 /
 * price; the surplus left for the borrower. The first scenario is that of
 * liquidations.t.sol's testLiquidationOffsetWithSurplus (2 WETH against
 * 2,000 BOLD, the price dropped to 1,100e18 - 1, here 1,099.99999999 at 8
 * base decimals); the test checks it within a few wei, here exactly.
 */
#include <check.h>
#include <string.h>

#include "core/liq.h"
#include "core/market.h"
#include "core/model.h"
#include "tests/common/testutil.h"

#define E18 1000000000000000000ULL

static void
market(struct market *m, const char *sp)
{
    memset(m, 0, sizeof(*m));
    strcpy(m->id, "liquity-weth");
    m->model = MODEL_LIQUITY_V2;
    m->base_decimals = 8;
    market_params_default(&m->params, m->model);
    m->nassets = 2;
    m->assets[0] = (struct asset){.sym = 0, .decimals = 18};
    m->assets[1] = (struct asset){.sym = 1, .decimals = 18};
    if (sp != NULL) {
        m->liquity.has_sp = true;
        m->liquity.sp_deposits = test_u256(sp);
    }
}

/* WETH 1,099.99999999 (8 base decimals), BOLD 1. */
static const struct u256 *
prices(void)
{
    static struct u256 price[2];

    price[0] = test_u256("109999999999");
    price[1] = test_u256("100000000");
    return price;
}

static struct liq_result
call(const struct market *m, const struct position *p)
{
    struct liq_call c = {.max = true};
    struct liq_result r;

    ck_assert_int_eq(model_liquidate(m, p, prices(), &c, &r), 0);
    return r;
}

/*
 * 2 WETH, 2,000.2 BOLD: ICR = 2e18 * 1.09999999999e21 / 2,000.2e18 =
 * 1,099,890,010,988,901,109 (below MCR 1.1e18); hf = ICR * 1e18 / 1.1e18 =
 * 999,900,009,989,910,099. SP 2,100 BOLD: offset the whole debt; portion
 * 2e18; gas 1e16; cap 2,000.2e18 * 1.05e18 / 1.09999999999e21 =
 * 1,909,281,818,199,175,289 < 1.99e18, so the pool takes the cap and
 * 80,718,181,800,824,711 is left to claim. Seized (all that leaves) =
 * 2e18 - surplus = 1,919,281,818,199,175,289; the debt's worth in WETH
 * 2,000.2e18 * 1e18 / px = 1,818,363,636,380,166,942; bonus the difference.
 */
START_TEST(test_offset_with_surplus)
{
    struct market m;
    struct position p;
    struct account a;
    struct liq_result r;

    market(&m, "2100000000000000000000");
    test_position_1x1(&p, "2000000000000000000", "2000200000000000000000");
    ck_assert_int_eq(model_account(&m, &p, prices(), &a), 0);
    TEST_U256_EQ(a.hf, test_u256("999900009989910099"));
    ck_assert(a.liquidatable);
    ck_assert(!a.bad_debt);
    TEST_U256_EQ(a.coll_value, test_u256("219999999998"));
    TEST_U256_EQ(a.debt_value, test_u256("200020000000"));
    r = call(&m, &p);
    ck_assert_int_eq(r.revert, REVERT_NONE);
    TEST_U256_EQ(r.repay, test_u256("2000200000000000000000"));
    TEST_U256_EQ(r.liquity.debt_offset, test_u256("2000200000000000000000"));
    ck_assert(u256_is_zero(r.liquity.debt_redist));
    TEST_U256_EQ(r.liquity.coll_gas, test_u256("10000000000000000"));
    TEST_U256_EQ(r.liquity.coll_to_sp, test_u256("1909281818199175289"));
    ck_assert(u256_is_zero(r.liquity.coll_redist));
    TEST_U256_EQ(r.liquity.coll_surplus, test_u256("80718181800824711"));
    TEST_U256_EQ(r.seized, test_u256("1919281818199175289"));
    TEST_U256_EQ(r.bonus, test_u256("100918181819008347"));
    ck_assert(u256_is_max(r.hf_after));
    ck_assert(!r.lowers_health);
}
END_TEST

/*
 * The same trove with 1,500 BOLD in the pool: 1,499 offset (1 BOLD stays),
 * portion = 2e18 * 1,499 / 2,000.2 = 1,498,850,114,988,501,149; gas
 * 7,494,250,574,942,505; the pool's cap 1,499e18 * 1.05e18 / px =
 * 1,430,863,636,376,644,214 of the 1,491,355,864,413,558,644 offered,
 * surplus 60,492,228,036,914,430, which the redistribution may eat: 501.2
 * BOLD with portion 501,149,885,011,498,851 plus that surplus, capped at
 * 501.2e18 * 1.1e18 / px = 501,200,000,004,556,363; left to claim
 * 60,442,113,043,856,918.
 */
START_TEST(test_redistribution)
{
    struct market m;
    struct position p;
    struct liq_result r;

    market(&m, "1500000000000000000000");
    test_position_1x1(&p, "2000000000000000000", "2000200000000000000000");
    r = call(&m, &p);
    TEST_U256_EQ(r.liquity.debt_offset, test_u256("1499000000000000000000"));
    TEST_U256_EQ(r.liquity.debt_redist, test_u256("501200000000000000000"));
    TEST_U256_EQ(r.liquity.coll_to_sp, test_u256("1430863636376644214"));
    TEST_U256_EQ(r.liquity.coll_redist, test_u256("501200000004556363"));
    TEST_U256_EQ(r.liquity.coll_gas, test_u256("7494250574942505"));
    TEST_U256_EQ(r.liquity.coll_surplus, test_u256("60442113043856918"));
    TEST_U256_EQ(r.seized, test_u256("1939557886956143082"));
}
END_TEST

/* An empty pool: all redistributed, no caller's share from the pool's
 * part (gas comes from collSPPortion alone); a pool of less than 1 BOLD
 * offsets nothing either. */
START_TEST(test_empty_pool)
{
    struct market m;
    struct position p;
    struct liq_result r;

    for (int k = 0; k < 2; k++) {
        market(&m, k == 0 ? "0" : "999999999999999999");
        test_position_1x1(&p, "2000000000000000000", "2000200000000000000000");
        r = call(&m, &p);
        ck_assert(u256_is_zero(r.liquity.debt_offset));
        ck_assert(u256_is_zero(r.liquity.coll_gas));
        /* the cap, 2,000.2e18 * 1.1e18 / px = 2,000,200,000,018,183,636,
         * exceeds the collateral, which goes whole */
        TEST_U256_EQ(r.liquity.coll_redist, test_u256("2000000000000000000"));
        ck_assert(u256_is_zero(r.liquity.coll_surplus));
    }
}
END_TEST

/* The caller's share is capped at 2 WETH: 1,000 WETH against 1,000,000
 * BOLD at 1,099.99999999 (ICR 1.09999999999 < 1.1): 1,000e18 / 200 = 5e18
 * -> 2e18. */
START_TEST(test_gas_cap)
{
    struct market m;
    struct position p;
    struct liq_result r;

    market(&m, NULL);
    test_position_1x1(&p, "1000000000000000000000",
                      "1000000000000000000000000");
    r = call(&m, &p);
    ck_assert_int_eq(r.revert, REVERT_NONE);
    TEST_U256_EQ(r.liquity.coll_gas, test_u256("2000000000000000000"));
    TEST_U256_EQ(r.liquity.debt_offset, test_u256("1000000000000000000000000"));
}
END_TEST

/* ICR exactly at MCR is not liquidatable (ICR < MCR); one wei more debt
 * is. 2 WETH at 1,100 against 2,000 BOLD: ICR = 1.1e18. */
START_TEST(test_at_mcr)
{
    struct market m;
    struct position p;
    struct account a;
    struct u256 px[2] = {test_u256("110000000000"), test_u256("100000000")};
    struct liq_call c = {.max = true};
    struct liq_result r;

    market(&m, NULL);
    test_position_1x1(&p, "2000000000000000000", "2000000000000000000000");
    ck_assert_int_eq(model_account(&m, &p, px, &a), 0);
    TEST_U256_EQ(a.hf, test_u256("1000000000000000000"));
    ck_assert(!a.liquidatable);
    ck_assert_int_eq(model_liquidate(&m, &p, px, &c, &r), 0);
    ck_assert_int_eq(r.revert, REVERT_NOT_LIQUIDATABLE);
    p.debt[0].amount = test_u256("2000000000000000000001");
    ck_assert_int_eq(model_account(&m, &p, px, &a), 0);
    ck_assert(a.liquidatable);
    p.debt[0].amount = u256_zero();
    ck_assert_int_eq(model_liquidate(&m, &p, px, &c, &r), 0);
    ck_assert_int_eq(r.revert, REVERT_NOTHING_TO_REPAY);
}
END_TEST

/* AddressesRegistry's constructor checks, and the branch's shape. */
START_TEST(test_validate)
{
    struct market m;
    char err[160];

    market(&m, NULL);
    ck_assert_int_eq(market_validate(&m, err, sizeof err), 0);
    m.params.mcr = E18;
    ck_assert_int_ne(market_validate(&m, err, sizeof err), 0);
    ck_assert_ptr_nonnull(strstr(err, "params.mcr:"));
    market(&m, NULL);
    m.params.penalty_sp = E18 / 20 - 1;
    ck_assert_int_ne(market_validate(&m, err, sizeof err), 0);
    ck_assert_ptr_nonnull(strstr(err, "params.liquidation_penalty_sp:"));
    market(&m, NULL);
    m.params.penalty_redist = E18 / 5 + 1;
    ck_assert_int_ne(market_validate(&m, err, sizeof err), 0);
    ck_assert_ptr_nonnull(
        strstr(err, "params.liquidation_penalty_redistribution:"));
    market(&m, NULL);
    m.params.penalty_sp = m.params.penalty_redist + 1;
    ck_assert_int_ne(market_validate(&m, err, sizeof err), 0);
    market(&m, NULL);
    m.assets[1].decimals = 6;
    ck_assert_int_ne(market_validate(&m, err, sizeof err), 0);
    ck_assert_ptr_nonnull(strstr(err, "assets[1].decimals:"));
}
END_TEST

static Suite *
liquity_suite(void)
{
    Suite *s = suite_create("liquity-v2");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, test_offset_with_surplus);
    tcase_add_test(tc, test_redistribution);
    tcase_add_test(tc, test_empty_pool);
    tcase_add_test(tc, test_gas_cap);
    tcase_add_test(tc, test_at_mcr);
    tcase_add_test(tc, test_validate);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    return test_run(liquity_suite());
}
