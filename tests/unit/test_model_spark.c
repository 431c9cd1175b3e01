/*
 * test_model_spark.c: the spark model (SparkLend, model_aave3_rules.c) on
 * positions derived by hand from the pinned sources, each showing where
 * Spark parts from an Aave v3 version: the health factor of 3.5's rounding
 * where 3.0's truncated average differs, 3.0's close factor at HF 0.95 and
 * above it with no 2,000 threshold and no dust rule where 3.3+ apply
 * them, a collateral-capped call (3.0's half-up debt, no bad debt
 * burnt), the token maths at an index (3.5's TokenMath) and the gates.
 */
#include <check.h>
#include <string.h>

#include "core/liq.h"
#include "core/model.h"
#include "core/model_aave.h"
#include "tests/common/testutil.h"

/* WETH (18 decimals), USDC (6), WBTC (8) in an 8-decimal base. */
static void
market_make(struct market *m, enum model_kind kind, uint16_t version,
            uint64_t weth_lt)
{
    memset(m, 0, sizeof(*m));
    strcpy(m->id, "spark");
    m->model = kind;
    m->version = version;
    m->base_decimals = 8;
    m->nassets = 3;
    m->assets[0] = (struct asset){.sym = 0,
                                  .decimals = 18,
                                  .ltv = 7500,
                                  .lt = weth_lt,
                                  .bonus = 500,
                                  .fee = 1000};
    m->assets[1] = (struct asset){.sym = 1,
                                  .decimals = 6,
                                  .ltv = 7500,
                                  .lt = 7800,
                                  .bonus = 450,
                                  .fee = 1000};
    m->assets[2] = (struct asset){.sym = 2,
                                  .decimals = 8,
                                  .ltv = 6500,
                                  .lt = 7000,
                                  .bonus = 1000,
                                  .fee = 1000};
}

static void
position_make(struct position *p, const char *weth, const char *wbtc,
              const char *usdc)
{
    memset(p, 0, sizeof(*p));
    p->id = "p";
    p->label = "";
    p->coll[p->ncoll++] = (struct leg){.asset = 0, .amount = test_u256(weth)};
    if (wbtc != NULL)
        p->coll[p->ncoll++] =
            (struct leg){.asset = 2, .amount = test_u256(wbtc)};
    p->debt[p->ndebt++] = (struct leg){.asset = 1, .amount = test_u256(usdc)};
}

/*
 * Two collaterals, odd prices. WETH 1.234567890123456789 at 2000.12345678:
 * floor(1234567890123456789 x 200012345678 / 1e18) = 246928819602; WBTC
 * 0.03333333 at 65000.12345678: floor(3333333 x 6500012345678 / 1e8) =
 * 216667056522. Debt 3000.123457 USDC at 0.99987654: 3000123457 x 99987654
 * / 1e6 = 299975306175.4..., ceil 299975306176 (Spark, 3.5: _divCeil),
 * floor ...175 (3.0). Sum of value x LT = 246928819602 x 8250 +
 * 216667056522 x 7000 = 3553832157370500.
 * Spark and 3.5: wadDiv(3553832157370500, 299975306176) =
 * 11847082357123801067633 (half-up), / 1e4 -> 1184708235712380106.
 * 3.0: avgLT = floor(3553832157370500 / 463595876124) = 7665,
 * percentMul(463595876124, 7665) = 355346239049 (half-up), wadDiv by
 * 299975306175 -> 1184584969943151355.
 */
START_TEST(test_spark_hf)
{
    struct market m;
    struct position p;
    struct u256 price[3] = {test_u256("200012345678"), test_u256("99987654"),
                            test_u256("6500012345678")};
    struct account a;
    static const struct {
        enum model_kind kind;
        uint16_t version;
        const char *hf, *debt;
    } want[] = {
        {MODEL_SPARK, 0, "1184708235712380106", "299975306176"},
        {MODEL_AAVE_V3, 305, "1184708235712380106", "299975306176"},
        {MODEL_AAVE_V3, 300, "1184584969943151355", "299975306175"},
    };

    position_make(&p, "1234567890123456789", "3333333", "3000123457");
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        market_make(&m, want[i].kind, want[i].version, 8250);
        ck_assert_int_eq(model_account(&m, &p, price, &a), 0);
        TEST_U256_EQ(a.hf, test_u256(want[i].hf));
        TEST_U256_EQ(a.debt_value, test_u256(want[i].debt));
        TEST_U256_EQ(a.coll_value, test_u256("463595876124"));
        ck_assert(!a.liquidatable);
    }
}
END_TEST

/*
 * HF exactly 0.95: 1 WETH at 2,000 (LT 0.76) against 1,600 USDC at 1:
 * floor(wadDiv(2e11 x 7600, 1.6e11) / 1e4) = 95e16. Spark's close factor
 * is 100 % (healthFactor > 0.95e18 is false), max_repay the whole 1,600
 * (0.8 WETH x 1.05 = 0.84 WETH < 1, not capped). Repaying 1,000: base
 * 1e8 x 1e9 x 1e18 / (2e11 x 1e6) = 0.5 WETH, x 1.05 = 0.525e18 seized,
 * percentDiv(0.525e18, 10500) = 0.5e18, bonus 0.025e18, fee 10 % =
 * 0.0025e18. After: 0.475 WETH = 9.5e10 base against 6e10:
 * wadDiv(9.5e10 x 7600, 6e10) / 1e4 = 1203333333333333333. 3.7 refuses
 * the same call: 600 USD of debt and 950 USD of collateral would be left,
 * both under 1,000 USD (MustNotLeaveDust).
 */
START_TEST(test_spark_close_factor_095)
{
    struct market m;
    struct position p;
    struct u256 price[3] = {test_u256("200000000000"), test_u256("100000000"),
                            test_u256("1")};
    struct liq_call call = {.repay = test_u256("1000000000")};
    struct account a;
    struct liq_result r;

    market_make(&m, MODEL_SPARK, 0, 7600);
    position_make(&p, "1000000000000000000", NULL, "1600000000");
    ck_assert_int_eq(model_account(&m, &p, price, &a), 0);
    TEST_U256_EQ(a.hf, test_u256("950000000000000000"));
    ck_assert(a.liquidatable);
    ck_assert_int_eq(model_liquidate(&m, &p, price, &call, &r), 0);
    TEST_U256_EQ(r.close_factor, test_u256("1000000000000000000"));
    TEST_U256_EQ(r.max_repay, test_u256("1600000000"));
    TEST_U256_EQ(r.repay, test_u256("1000000000"));
    TEST_U256_EQ(r.seized, test_u256("525000000000000000"));
    TEST_U256_EQ(r.bonus, test_u256("25000000000000000"));
    TEST_U256_EQ(r.fee, test_u256("2500000000000000"));
    TEST_U256_EQ(r.hf_after, test_u256("1203333333333333333"));
    ck_assert_int_eq(r.revert, REVERT_NONE);

    market_make(&m, MODEL_AAVE_V3, 307, 7600);
    ck_assert_int_eq(model_liquidate(&m, &p, price, &call, &r), 0);
    ck_assert_int_eq(r.revert, REVERT_DUST);
}
END_TEST

/*
 * Just above 0.95: 1,599 USDC gives wadDiv(1.52e15, 1.599e11) / 1e4 =
 * 950593... > 0.95, so Spark repays at most percentMul(1599e6, 5000) =
 * 799500000 (50 %). 3.3+ give 100 % here (the debt is under 2,000 USD).
 */
START_TEST(test_spark_close_factor_above)
{
    struct market m;
    struct position p;
    struct u256 price[3] = {test_u256("200000000000"), test_u256("100000000"),
                            test_u256("1")};
    struct liq_call call = {.max = true};
    struct liq_result r;

    market_make(&m, MODEL_SPARK, 0, 7600);
    position_make(&p, "1000000000000000000", NULL, "1599000000");
    ck_assert_int_eq(model_liquidate(&m, &p, price, &call, &r), 0);
    TEST_U256_EQ(r.close_factor, test_u256("500000000000000000"));
    TEST_U256_EQ(r.max_repay, test_u256("799500000"));
    ck_assert_int_eq(r.revert, REVERT_NONE);
    market_make(&m, MODEL_AAVE_V3, 307, 7600);
    ck_assert_int_eq(model_liquidate(&m, &p, price, &call, &r), 0);
    TEST_U256_EQ(r.close_factor, test_u256("1000000000000000000"));
    TEST_U256_EQ(r.max_repay, test_u256("1599000000"));
}
END_TEST

/*
 * Collateral short (test_model_aave3.c "capped"): 1 WETH at 2000.5 (LT
 * 0.825) against 1,990 USDC, HF floor(wadDiv(2.0005e11 x 8250, 1.99e11)
 * / 1e4) = 829353015075376884. All the WETH goes; the debt for it is
 * percentDiv(floor(2.0005e11 x 1e18 x 1e6 / (1e8 x 1e18)), 10500) =
 * percentDiv(2000500000, 10500) = 1905238095.238... half-up (LiquidationLogic
 * @077cc8c2, as 3.0; 3.5 rounds up to ...096). The least debtToCover the
 * pool caps is 1905238096. Bonus 1e18 - percentDiv(1e18, 10500) =
 * 47619047619047619, fee 4761904761904762 (half-up). No collateral left and
 * no bad debt burnt: 84.761905 USDC stays owed, HF 0.
 */
START_TEST(test_spark_capped)
{
    struct market m;
    struct position p;
    struct u256 price[3] = {test_u256("200050000000"), test_u256("100000000"),
                            test_u256("1")};
    struct liq_call call = {.max = true};
    struct account a;
    struct liq_result r;

    market_make(&m, MODEL_SPARK, 0, 8250);
    position_make(&p, "1000000000000000000", NULL, "1990000000");
    ck_assert_int_eq(model_account(&m, &p, price, &a), 0);
    TEST_U256_EQ(a.hf, test_u256("829353015075376884"));
    ck_assert_int_eq(model_liquidate(&m, &p, price, &call, &r), 0);
    TEST_U256_EQ(r.close_factor, test_u256("1000000000000000000"));
    TEST_U256_EQ(r.max_repay, test_u256("1905238096"));
    TEST_U256_EQ(r.repay, test_u256("1905238095"));
    TEST_U256_EQ(r.seized, test_u256("1000000000000000000"));
    TEST_U256_EQ(r.bonus, test_u256("47619047619047619"));
    TEST_U256_EQ(r.fee, test_u256("4761904761904762"));
    TEST_U256_EQ(r.hf_after, test_u256("0"));
    ck_assert(r.bad_debt_after);
    ck_assert_int_eq(r.revert, REVERT_NONE);
}
END_TEST

/*
 * Token maths at an index of 1.4 (RAY): a stored 1 is worth rayMulFloor
 * = 1 as an aToken and rayMulCeil = 2 as a vToken (TokenMath@077cc8c2);
 * 3.0's rayMul half-up gives 1 both. Moving 3 tokens: aToken burn
 * rayDivCeil(3, 1.4) = 3 (2.14...), vToken burn rayDivFloor = 2; 3.0
 * rayDiv half-up 2 both. Interest accrues by 3.0's expansion
 * (MathUtils@16c4e618): the rule set's math is 300.
 */
START_TEST(test_spark_token_math)
{
    struct market m;
    struct u256 out;
    const char *idx = "1400000000000000000000000000";

    market_make(&m, MODEL_SPARK, 0, 8250);
    m.view.view = true;
    m.view.coll_scaled = m.view.debt_scaled = 1u << 1;
    m.assets[1].lindex = m.assets[1].dindex = test_u256(idx);
    ck_assert_int_eq(model_balance(&m, 1, false, test_u256("1"), &out), 0);
    TEST_U256_EQ(out, test_u256("1"));
    ck_assert_int_eq(model_balance(&m, 1, true, test_u256("1"), &out), 0);
    TEST_U256_EQ(out, test_u256("2"));
    ck_assert_int_eq(
        model_aave3_index_scaled(&m, 1, false, true, test_u256("3"), &out), 0);
    TEST_U256_EQ(out, test_u256("3"));
    ck_assert_int_eq(
        model_aave3_index_scaled(&m, 1, true, false, test_u256("3"), &out), 0);
    TEST_U256_EQ(out, test_u256("2"));
    m.model = MODEL_AAVE_V3;
    m.version = 300;
    ck_assert_int_eq(model_balance(&m, 1, true, test_u256("1"), &out), 0);
    TEST_U256_EQ(out, test_u256("1"));
    ck_assert_int_eq(
        model_aave3_index_scaled(&m, 1, false, true, test_u256("3"), &out), 0);
    TEST_U256_EQ(out, test_u256("2"));
    ck_assert_int_eq(model_aave3_rules_spark.math, 300);
    ck_assert(!model_aave3_rules_spark.grace);
    ck_assert(!model_aave3_rules_spark.emode_bitmap);
}
END_TEST

/*
 * Gates (ValidationLogic@16ab8f56): the sentinel stops a call at health
 * 0.95 or above while the sequencer is down, as in 3.0 (3.7 dropped it
 * from liquidation); a grace period is no rule of spark's, so a hand-made
 * liquidation_grace_until gates nothing (3.1+ would revert).
 */
START_TEST(test_spark_gates)
{
    struct market m;
    struct position p;
    struct u256 price[3] = {test_u256("200000000000"), test_u256("100000000"),
                            test_u256("1")};
    struct liq_call call = {.max = true};
    struct liq_result r;

    position_make(&p, "1000000000000000000", NULL, "1600000000");
    market_make(&m, MODEL_SPARK, 0, 7600);
    m.as_of = 1000;
    m.sentinel = (struct market_sentinel){.set = true, .sequencer_up = false};
    ck_assert_int_eq(model_liquidate(&m, &p, price, &call, &r), 0);
    ck_assert_int_eq(r.revert, REVERT_SENTINEL);
    m.model = MODEL_AAVE_V3;
    m.version = 307;
    ck_assert_int_eq(model_liquidate(&m, &p, price, &call, &r), 0);
    ck_assert_int_eq(r.revert, REVERT_NONE);

    market_make(&m, MODEL_SPARK, 0, 7600);
    m.as_of = 1000;
    m.assets[0].grace_until = 2000;
    ck_assert_int_eq(model_liquidate(&m, &p, price, &call, &r), 0);
    ck_assert_int_eq(r.revert, REVERT_NONE);
    m.model = MODEL_AAVE_V3;
    m.version = 301;
    ck_assert_int_eq(model_liquidate(&m, &p, price, &call, &r), 0);
    ck_assert_int_eq(r.revert, REVERT_GRACE_PERIOD);
}
END_TEST

/* The kinds' names and the configuration rules: spark has no version and
 * no grace period. */
START_TEST(test_spark_names)
{
    struct market m;
    enum model_kind k;
    char err[128];

    ck_assert_int_eq(market_model_parse(&k, "spark"), 0);
    ck_assert_int_eq(k, MODEL_SPARK);
    ck_assert_str_eq(market_model_name(MODEL_SPARK), "spark");
    ck_assert(market_is_aave3(MODEL_SPARK));
    market_make(&m, MODEL_SPARK, 0, 8250);
    ck_assert_int_eq(market_validate(&m, err, sizeof err), 0);
    m.version = 305;
    ck_assert_int_ne(market_validate(&m, err, sizeof err), 0);
    ck_assert_str_eq(err, "version: spark has none (its rules are pinned)");
    m.version = 0;
    m.assets[0].grace_until = 10;
    ck_assert_int_ne(model_get(MODEL_SPARK)->validate(&m, err, sizeof err), 0);
    ck_assert_str_eq(err, "liquidation_grace_until: spark has no grace "
                          "periods");
}
END_TEST

static Suite *
spark_suite(void)
{
    Suite *s = suite_create("spark");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, test_spark_hf);
    tcase_add_test(tc, test_spark_close_factor_095);
    tcase_add_test(tc, test_spark_close_factor_above);
    tcase_add_test(tc, test_spark_capped);
    tcase_add_test(tc, test_spark_token_math);
    tcase_add_test(tc, test_spark_gates);
    tcase_add_test(tc, test_spark_names);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    return test_run(spark_suite());
}
