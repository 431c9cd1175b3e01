/*
 * test_market.c: model names and versions, prices in base units, the
 * protocols' configuration rules, and the health tiers.
 */
#include <check.h>
#include <string.h>

#include "core/health.h"
#include "core/liq.h"
#include "core/market.h"
#include "tests/common/testutil.h"

static struct market
aave_market(void)
{
    struct market m;

    memset(&m, 0, sizeof(m));
    strcpy(m.id, "aave-core");
    m.model = MODEL_AAVE_V3;
    m.version = 307;
    m.base_decimals = 8;
    m.nassets = 2;
    m.assets[0] = (struct asset){.sym = 0,
                                 .decimals = 18,
                                 .ltv = 8000,
                                 .lt = 8250,
                                 .bonus = 500,
                                 .fee = 1000};
    m.assets[1] = (struct asset){.sym = 1,
                                 .decimals = 6,
                                 .ltv = 7500,
                                 .lt = 7800,
                                 .bonus = 450,
                                 .fee = 1000};
    return m;
}

START_TEST(test_names_versions)
{
    enum model_kind k;
    uint16_t v = 1;

    ck_assert_int_eq(market_model_parse(&k, "morpho-blue"), 0);
    ck_assert_int_eq(k, MODEL_MORPHO_BLUE);
    ck_assert_int_eq(market_model_parse(&k, "aave-v2"), LIQ_ENOENT);
    ck_assert_str_eq(market_model_name(MODEL_COMPOUND_V2), "compound-v2");
    ck_assert_int_eq(market_version_parse(&v, MODEL_AAVE_V3, "3.3"), 0);
    ck_assert_int_eq(v, 303);
    ck_assert_int_eq(market_version_parse(&v, MODEL_AAVE_V3, NULL), 0);
    ck_assert_int_eq(v, 307);
    ck_assert_int_eq(market_version_parse(&v, MODEL_AAVE_V3, "3.8"),
                     LIQ_ERANGE);
    ck_assert_int_eq(market_version_parse(&v, MODEL_AAVE_V3, "3.10"),
                     LIQ_ERANGE);
    ck_assert_uint_eq(market_ratio_unit(MODEL_AAVE_V4), 10000);
    ck_assert_uint_eq(market_ratio_unit(MODEL_MORPHO_BLUE),
                      1000000000000000000ULL);
}
END_TEST

START_TEST(test_price_base)
{
    struct market m = aave_market();

    /* 1999.123456789 at 18 places truncates to 8 as an oracle would. */
    TEST_U256_EQ(market_price_base(&m, test_u256("1999123456789000000000")),
                 test_u256("199912345678"));
    m.base_decimals = 18;
    TEST_U256_EQ(market_price_base(&m, test_u256("1999123456789000000000")),
                 test_u256("1999123456789000000000"));
    m.base_decimals = 0;
    TEST_U256_EQ(market_price_base(&m, test_u256("1999123456789000000000")),
                 test_u256("1999"));
}
END_TEST

struct bad_case {
    const char *want; /* prefix of the message */
    int field;
    uint64_t value;
};

/* Mutations of the valid Aave market, each breaking one rule. */
START_TEST(test_validate_aave3)
{
    char err[160];
    struct market m = aave_market();

    ck_assert_int_eq(market_validate(&m, err, sizeof(err)), 0);
    m.assets[1].ltv = 7900;
    ck_assert_int_eq(market_validate(&m, err, sizeof(err)), LIQ_ERANGE);
    ck_assert_str_eq(err, "assets[1].ltv: must not exceed "
                          "liquidation_threshold (0.78)");
    m = aave_market();
    m.assets[0].bonus = 2200; /* 0.825 * 1.22 > 1 */
    ck_assert_int_eq(market_validate(&m, err, sizeof(err)), LIQ_ERANGE);
    ck_assert_str_eq(err, "assets[0].liquidation_bonus: "
                          "liquidation_threshold x (1 + bonus) must not "
                          "exceed 1");
    m = aave_market();
    m.assets[0].bonus = 2121; /* 8250 * 12121 / 1e4 = 9999.8 -> 10000 */
    ck_assert_int_eq(market_validate(&m, err, sizeof(err)), 0);
    m = aave_market();
    m.assets[1].sym = 0;
    ck_assert_int_eq(market_validate(&m, err, sizeof(err)), LIQ_ERANGE);
    ck_assert_str_eq(err, "assets[1].symbol: listed twice in this market");
    m = aave_market();
    m.version = 308;
    ck_assert_int_eq(market_validate(&m, err, sizeof(err)), LIQ_ERANGE);
    m = aave_market();
    m.base_decimals = 19;
    ck_assert_int_eq(market_validate(&m, err, sizeof(err)), LIQ_ERANGE);
    ck_assert_str_eq(err, "base_decimals: must be at most 18");
}
END_TEST

START_TEST(test_validate_others)
{
    char err[160];
    struct market m = aave_market();

    m.model = MODEL_COMPOUND_V2;
    m.version = 0;
    market_params_default(&m.params, m.model);
    m.assets[0].lt = 900000000000000000ULL;
    m.assets[0].ltv = 0;
    m.assets[1].lt = 800000000000000000ULL;
    m.assets[1].ltv = 0;
    ck_assert_int_eq(market_validate(&m, err, sizeof(err)), 0);
    m.assets[0].lt = 900000000000000001ULL;
    ck_assert_int_eq(market_validate(&m, err, sizeof(err)), LIQ_ERANGE);
    ck_assert_str_eq(err, "assets[0].liquidation_threshold: collateral "
                          "factor must be at most 0.9 "
                          "(0.900000000000000001)");
    m.assets[0].lt = 0;
    m.params.liquidation_incentive = 80000000000000000ULL;
    ck_assert_int_eq(market_validate(&m, err, sizeof(err)), LIQ_ERANGE);

    m.model = MODEL_MORPHO_BLUE;
    m.assets[0].lt = 1000000000000000000ULL;
    ck_assert_int_eq(market_validate(&m, err, sizeof(err)), LIQ_ERANGE);
    m.assets[0].lt = 860000000000000000ULL;
    ck_assert_int_eq(market_validate(&m, err, sizeof(err)), 0);

    m = aave_market();
    m.model = MODEL_AAVE_V4;
    market_params_default(&m.params, m.model);
    ck_assert_int_eq(market_validate(&m, err, sizeof(err)), 0);
    m.assets[0].decimals = 36;
    ck_assert_int_eq(market_validate(&m, err, sizeof(err)), LIQ_ERANGE);
    ck_assert_str_eq(err, "assets[0].decimals: aave-v4 accepts at most 18");
    m = aave_market();
    m.model = MODEL_AAVE_V4;
    market_params_default(&m.params, m.model);
    m.params.target_health_factor = 999999999999999999ULL;
    ck_assert_int_eq(market_validate(&m, err, sizeof(err)), LIQ_ERANGE);
}
END_TEST

START_TEST(test_tiers)
{
    ck_assert_int_eq(health_tier(test_u256("999999999999999999"), true),
                     TIER_LIQUIDATABLE);
    ck_assert_int_eq(health_tier(test_u256("1000000000000000000"), true),
                     TIER_DANGER);
    ck_assert_int_eq(health_tier(test_u256("1100000000000000000"), true),
                     TIER_WARN);
    ck_assert_int_eq(health_tier(test_u256("1500000000000000000"), true),
                     TIER_OK);
    ck_assert_int_eq(health_tier(u256_max(), false), TIER_NO_DEBT);
    ck_assert(health_tier_at_risk(TIER_DANGER));
    ck_assert(!health_tier_at_risk(TIER_LIQUIDATABLE));
    ck_assert_str_eq(health_tier_name(TIER_NO_DEBT), "no debt");
}
END_TEST

static Suite *
market_suite(void)
{
    Suite *s = suite_create("market");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, test_names_versions);
    tcase_add_test(tc, test_price_base);
    tcase_add_test(tc, test_validate_aave3);
    tcase_add_test(tc, test_validate_others);
    tcase_add_test(tc, test_tiers);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    return test_run(market_suite());
}
