/*
 * test_model_others.c: Compound v2 and Morpho Blue against the vectors of
 * liquidation-mechanics.md 4.4 (seizeTokens) and 7.4 (the LIF table, the
 * blue-sdk health vector), and one worked position each, derived by hand in
 * the comments.
 */
#include <check.h>
#include <string.h>

#include "core/liq.h"
#include "core/model.h"
#include "core/model_compound.h"
#include "core/model_morpho.h"
#include "tests/common/testutil.h"

struct seize_case {
    const char *er, *pb, *pc, *li, *repay, *want;
};

static const struct seize_case seize_cases[] = {
    {"1000000000000000000", "1000000000000000000", "1000000000000000000",
     "1000000000000000000", "1000000000000000000", "1000000000000000000"},
    {"2000000000000000000", "1000000000000000000", "1000000000000000000",
     "1000000000000000000", "1000000000000000000", "500000000000000000"},
    {"2000000000000000000", "2000000000000000000", "1420000000000000000",
     "1300000000000000000", "2450000000000000000", "2242957746478873238"},
    {"2789000000000000000", "5230480842000000000", "771320000000000000000",
     "1300000000000000000", "10002450000000000000000", "31616096631969328535"},
};

START_TEST(test_compound_seize_vectors)
{
    const struct seize_case *c = &seize_cases[_i];
    struct u256 out;

    ck_assert_int_eq(
        model_compound2_seize_tokens(&out, test_u256(c->er), test_u256(c->pb),
                                     test_u256(c->pc), test_u256(c->li),
                                     test_u256(c->repay)),
        0);
    TEST_U256_EQ(out, test_u256(c->want));
}
END_TEST

static void
two_assets(struct market *m, enum model_kind kind, uint64_t coll_lt)
{
    memset(m, 0, sizeof(*m));
    strcpy(m->id, "m");
    m->model = kind;
    m->base_decimals = 8;
    market_params_default(&m->params, kind);
    m->nassets = 2;
    m->assets[0] = (struct asset){.sym = 0, .decimals = 18, .lt = coll_lt};
    m->assets[1] = (struct asset){.sym = 1, .decimals = 6, .lt = 0};
}

/*
 * 1 WETH (CF 0.8, 2,000) against 1,700 USDC. Oracle mantissas 2000e18 and
 * 1e30; sumCollateral 1600e18, sumBorrow 1700e18: shortfall, HF
 * 1600/1700 = 0.941176470588235294. maxClose 850 USDC; ratio
 * 1.08e30 * 1e18 / 2000e18 = 5.4e26; seize 850e6 * 5.4e26 / 1e18 = 0.459
 * WETH; 2.8 % = 0.012852; at incentive 1: 0.425, so bonus 0.034. After:
 * 0.541 WETH * 0.8 * 2000 = 865.6 vs 850: HF 1.018352941176470588.
 */
START_TEST(test_compound_position)
{
    struct market m;
    struct position p;
    struct u256 price[2] = {test_u256("200000000000"), test_u256("100000000")};
    struct account a;
    struct liq_call call = {.max = true};
    struct liq_result r;

    two_assets(&m, MODEL_COMPOUND_V2, 800000000000000000ULL);
    test_position_1x1(&p, "1000000000000000000", "1700000000");
    ck_assert_int_eq(model_account(&m, &p, price, &a), 0);
    TEST_U256_EQ(a.hf, test_u256("941176470588235294"));
    ck_assert(a.liquidatable);
    TEST_U256_EQ(a.coll_value, test_u256("200000000000"));
    TEST_U256_EQ(a.debt_value, test_u256("170000000000"));
    ck_assert_int_eq(model_liquidate(&m, &p, price, &call, &r), 0);
    TEST_U256_EQ(r.close_factor, test_u256("500000000000000000"));
    TEST_U256_EQ(r.max_repay, test_u256("850000000"));
    TEST_U256_EQ(r.seized, test_u256("459000000000000000"));
    TEST_U256_EQ(r.fee, test_u256("12852000000000000"));
    TEST_U256_EQ(r.to_liquidator, test_u256("446148000000000000"));
    TEST_U256_EQ(r.bonus, test_u256("34000000000000000"));
    TEST_U256_EQ(r.hf_after, test_u256("1018352941176470588"));
    ck_assert_int_eq(r.revert, REVERT_NONE);
    ck_assert(!r.lowers_health);
    /* One raw unit over the close factor reverts. */
    call.max = false;
    call.repay = test_u256("850000001");
    ck_assert_int_eq(model_liquidate(&m, &p, price, &call, &r), 0);
    ck_assert_int_eq(r.revert, REVERT_TOO_MUCH_REPAY);
    /* With 0.4 WETH, seizing for 850 USDC needs 0.459: the largest repay
     * that fits is floor(((0.4e18 + 1) * 1e18 - 1) / 5.4e26). */
    p.coll[0].amount = test_u256("400000000000000000");
    call.max = true;
    ck_assert_int_eq(model_liquidate(&m, &p, price, &call, &r), 0);
    TEST_U256_EQ(r.max_repay, test_u256("740740740"));
    ck_assert(u256_le(r.seized, p.coll[0].amount));
    call.max = false;
    call.repay = test_u256("850000000");
    ck_assert_int_eq(model_liquidate(&m, &p, price, &call, &r), 0);
    ck_assert_int_eq(r.revert, REVERT_INSUFFICIENT_COLLATERAL);
}
END_TEST

struct lif_case {
    uint64_t lltv;
    const char *lif;
};

static const struct lif_case lif_cases[] = {
    {385000000000000000ULL, "1150000000000000000"},
    {625000000000000000ULL, "1126760563380281690"},
    {770000000000000000ULL, "1074113856068743286"},
    {860000000000000000ULL, "1043841336116910229"},
    {915000000000000000ULL, "1026167265264238070"},
    {945000000000000000ULL, "1016776817488561260"},
    {965000000000000000ULL, "1010611419909044972"},
    {980000000000000000ULL, "1006036217303822937"},
};

START_TEST(test_morpho_lif)
{
    struct u256 lif;

    ck_assert_int_eq(model_morpho_lif(&lif, lif_cases[_i].lltv), 0);
    TEST_U256_EQ(lif, test_u256(lif_cases[_i].lif));
}
END_TEST

/*
 * blue-sdk: market {totalBorrowAssets 2,000,000, totalBorrowShares
 * 1,000,001, price 1e36}, lltv 0.5, position {collateral 100, borrowShares
 * 10} -> 5e18. borrowed = ceil(10 * 2000001 / 2000001) = 10 assets; equal
 * prices and decimals give the market price 1e36.
 */
START_TEST(test_morpho_health_vector)
{
    struct market m;
    struct position p;
    struct u256 price[2] = {u256_from_u64(1), u256_from_u64(1)};
    struct u256 borrowed, oracle;
    struct account a;

    ck_assert_int_eq(model_morpho_to_assets_up(&borrowed, u256_from_u64(10),
                                               u256_from_u64(2000000),
                                               u256_from_u64(1000001)),
                     0);
    TEST_U256_EQ(borrowed, u256_from_u64(10));
    /* Rounds up: 1 share of 3 assets over 2 shares. */
    ck_assert_int_eq(model_morpho_to_assets_up(&borrowed, u256_from_u64(1),
                                               u256_from_u64(3000000),
                                               u256_from_u64(1000000)),
                     0);
    TEST_U256_EQ(borrowed, u256_from_u64(2));
    ck_assert_int_eq(
        model_morpho_oracle_price(&oracle, price[0], 0, price[1], 0), 0);
    TEST_U256_EQ(oracle, u256_exp10(36));
    two_assets(&m, MODEL_MORPHO_BLUE, 500000000000000000ULL);
    m.assets[0].decimals = 0;
    m.assets[1].decimals = 0;
    test_position_1x1(&p, "100", "10");
    ck_assert_int_eq(model_account(&m, &p, price, &a), 0);
    TEST_U256_EQ(a.hf, test_u256("5000000000000000000"));
    ck_assert(!a.liquidatable);
}
END_TEST

/*
 * 1 WETH (LLTV 0.86) at 2,000 against 1,750 USDC: oracle
 * 2000e8 * 1e24 / 1e8 = 2e27; maxBorrow 2000e6 * 0.86 = 1720e6 < 1750e6:
 * liquidatable, HF 1720/1750 = 0.982857142857142857. Repay 100 USDC:
 * wMulDown(100e6, LIF 1.043841336116910229) = 104384133; seized
 * 104384133 * 1e36 / 2e27 = 0.0521920665 WETH; at LIF 1, 0.05: bonus
 * 0.0021920665. Repaying all 1,750 seizes 0.913361169 < 1 WETH.
 */
START_TEST(test_morpho_position)
{
    struct market m;
    struct position p;
    struct u256 price[2] = {test_u256("200000000000"), test_u256("100000000")};
    struct account a;
    struct liq_call call = {.repay = test_u256("100000000")};
    struct liq_result r;
    char err[80];

    two_assets(&m, MODEL_MORPHO_BLUE, 860000000000000000ULL);
    test_position_1x1(&p, "1000000000000000000", "1750000000");
    ck_assert_int_eq(model_account(&m, &p, price, &a), 0);
    TEST_U256_EQ(a.hf, test_u256("982857142857142857"));
    ck_assert(a.liquidatable);
    ck_assert_int_eq(model_liquidate(&m, &p, price, &call, &r), 0);
    TEST_U256_EQ(r.seized, test_u256("52192066500000000"));
    TEST_U256_EQ(r.bonus, test_u256("2192066500000000"));
    TEST_U256_EQ(r.fee, u256_zero());
    TEST_U256_EQ(r.max_repay, test_u256("1750000000"));
    ck_assert_int_eq(r.revert, REVERT_NONE);
    call.max = true;
    ck_assert_int_eq(model_liquidate(&m, &p, price, &call, &r), 0);
    TEST_U256_EQ(r.seized, test_u256("913361169000000000"));
    ck_assert(u256_is_max(r.hf_after));
    /* Two collateral assets are not a Morpho position. */
    p.ncoll = 2;
    p.coll[1] = p.coll[0];
    ck_assert_int_eq(
        model_get(MODEL_MORPHO_BLUE)->check_position(&m, &p, err, sizeof(err)),
        LIQ_EINVAL);
    ck_assert_str_eq(err, "morpho-blue: one collateral asset per position");
}
END_TEST

static Suite *
others_suite(void)
{
    Suite *s = suite_create("compound-morpho");
    TCase *tc = tcase_create("core");

    tcase_add_loop_test(tc, test_compound_seize_vectors, 0,
                        (int)(sizeof(seize_cases) / sizeof(seize_cases[0])));
    tcase_add_test(tc, test_compound_position);
    tcase_add_loop_test(tc, test_morpho_lif, 0,
                        (int)(sizeof(lif_cases) / sizeof(lif_cases[0])));
    tcase_add_test(tc, test_morpho_health_vector);
    tcase_add_test(tc, test_morpho_position);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    return test_run(others_suite());
}
