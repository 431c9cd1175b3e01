/*
 * test_model_aave4.c: Aave v4 against the contract's own vectors
 * (liquidation-mechanics.md 3.7: LiquidationBonus and
 * DebtToTargetHealthFactor tests) and a position derived by an independent
 * transcription of sections 3.1-3.5 (figures in the comments).
 */
#include <check.h>
#include <string.h>

#include "core/liq.h"
#include "core/model.h"
#include "core/model_aave.h"
#include "tests/common/testutil.h"

struct bonus_case {
    const char *hf;
    uint64_t hf_max, factor, max_lb, want;
};

static const struct bonus_case bonus_cases[] = {
    {"999999999999999999", 800000000000000000ULL, 5000, 11000, 10500},
    {"960000000000000000", 800000000000000000ULL, 5000, 11000, 10600},
    {"800000000000000000", 800000000000000000ULL, 5000, 11000, 11000},
    {"500000000000000000", 800000000000000000ULL, 5000, 11000, 11000},
    {"960000000000000000", 800000000000000000ULL, 10000, 11000, 11000},
};

START_TEST(test_bonus)
{
    const struct bonus_case *c = &bonus_cases[_i];

    ck_assert_uint_eq(
        model_aave4_bonus(test_u256(c->hf), c->hf_max, c->factor, c->max_lb),
        c->want);
}
END_TEST

struct target_case {
    const char *hf, *thf, *price, *unit, *want;
};

/* totalDebtValueRay 10,000e26 * RAY, CF 5000, LB 15000 */
static const struct target_case target_cases[] = {
    {"800000000000000000", "1250000000000000000", "100000000", "1",
     "9000000000000000000000000000000"},
    {"800000000000000000", "1250000000000000000", "100000000", "1000000",
     "9000000000000000000000000000000000000"},
    {"800000000000000000", "1000000000000000000", "200000000000",
     "1000000000000000000", "4000000000000000000000000000000000000000000000"},
    {"800000000000000000", "1000000000000000000", "33300000000", "1",
     "24024024024024024024024024025"},
    {"800000000000000000", "1000000000000000000", "33300000000", "1000000",
     "24024024024024024024024024024024025"},
    {"800000000000000000", "1000000000000000000", "33300000000",
     "1000000000000000000", "24024024024024024024024024024024024024024024025"},
    {"1000000000000000000", "1000000000000000000", "100000000", "1", "0"},
};

START_TEST(test_debt_to_target)
{
    const struct target_case *c = &target_cases[_i];
    struct u256 total, out;

    ck_assert_int_eq(u256_mul(&total,
                              test_u256("1000000000000000000000000000"
                                        "000"),
                              u256_exp10(27)),
                     0);
    ck_assert_int_eq(model_aave4_debt_to_target(
                         &out, total, test_u256(c->unit), test_u256(c->price),
                         test_u256(c->hf), test_u256(c->thf), 15000, 5000),
                     0);
    TEST_U256_EQ(out, test_u256(c->want));
}
END_TEST

/*
 * liquidation-mechanics.md 1.3: C_WETH 20,000 USD, LT (CF) 0.825, LB 1.05,
 * debt 17,000 USDC at 1 USD, target 1.0: r* = (17,000 - 16,500) / (1 -
 * 0.86625) = 3738.31775700934579439... USD. In USDC units scaled by RAY,
 * the exact quotient at HF 16500/17000 is 4e38 / 107 =
 * 3738317757009345794392523364485981308.4; the HF is floored to
 * 970588235294117647, so (1e18 - HF) = 29411764705882353 and the ceil is
 * 17000e53 * 1e6 * 29411764705882353 / (0.13375e18 * 1e8 * 1e18).
 */
START_TEST(test_debt_to_target_example)
{
    struct u256 total, out;

    ck_assert_int_eq(u256_mul(&total,
                              test_u256("1700000000000000000000000000000"),
                              u256_exp10(27)),
                     0);
    ck_assert_int_eq(model_aave4_debt_to_target(&out, total, u256_exp10(6),
                                                u256_exp10(8),
                                                test_u256("970588235294117647"),
                                                u256_exp10(18), 10500, 8250),
                     0);
    TEST_U256_EQ(out, test_u256("3738317757009345801869158878504672898"));
}
END_TEST

START_TEST(test_debt_to_target_underflow)
{
    struct u256 out = u256_zero();

    ck_assert_int_eq(model_aave4_debt_to_target(
                         &out, u256_exp10(57), u256_from_u64(1), u256_exp10(8),
                         test_u256("1100000000000000000"), u256_exp10(18),
                         15000, 5000),
                     LIQ_ERANGE);
}
END_TEST

/*
 * 10 WETH at 2,000 (CF 0.825, max bonus 5 %, fee 10 %) against 17,000
 * USDC; THF 1.0, max bonus below HF 0.95, bonus factor 0.5. HF
 * 0.970588235294117647; LB 10250 + 250 * 0.0294 / 0.05 = 10397; penalty
 * 0.8577525; the debt to target 3515.000264 USDC; collateral
 * 1.8272728872404 WETH; fee 0.00697727552404; HF after just above 1.
 */
START_TEST(test_position)
{
    struct market m;
    struct position p;
    struct u256 price[2] = {test_u256("200000000000"), test_u256("100000000")};
    struct account a;
    struct liq_call call = {.max = true};
    struct liq_result r;

    memset(&m, 0, sizeof(m));
    strcpy(m.id, "v4");
    m.model = MODEL_AAVE_V4;
    m.base_decimals = 8;
    m.params.target_health_factor = 1000000000000000000ULL;
    m.params.health_factor_for_max_bonus = 950000000000000000ULL;
    m.params.liquidation_bonus_factor = 5000;
    m.nassets = 2;
    m.assets[0] = (struct asset){.sym = 0,
                                 .decimals = 18,
                                 .ltv = 8000,
                                 .lt = 8250,
                                 .bonus = 500,
                                 .fee = 1000};
    m.assets[1] = (struct asset){
        .sym = 1, .decimals = 6, .lt = 7800, .bonus = 450, .fee = 1000};
    memset(&p, 0, sizeof(p));
    p.id = "v4";
    p.label = "";
    p.ncoll = 1;
    p.coll[0] = (struct leg){0, test_u256("10000000000000000000")};
    p.ndebt = 1;
    p.debt[0] = (struct leg){1, test_u256("17000000000")};
    ck_assert_int_eq(model_account(&m, &p, price, &a), 0);
    TEST_U256_EQ(a.hf, test_u256("970588235294117647"));
    TEST_U256_EQ(a.coll_value, test_u256("2000000000000"));
    TEST_U256_EQ(a.debt_value, test_u256("1700000000000"));
    ck_assert_int_eq(model_liquidate(&m, &p, price, &call, &r), 0);
    TEST_U256_EQ(r.max_repay, test_u256("3515000264"));
    TEST_U256_EQ(r.seized, test_u256("1827272887240400000"));
    TEST_U256_EQ(r.fee, test_u256("6977275524040000"));
    TEST_U256_EQ(r.bonus, test_u256("69772755240400000"));
    TEST_U256_EQ(r.hf_after, test_u256("1000000000003955506"));
    ck_assert_int_eq(r.revert, REVERT_NONE);
    /* Asking for more repays only what restores the target. */
    call.max = false;
    call.repay = test_u256("9000000000");
    ck_assert_int_eq(model_liquidate(&m, &p, price, &call, &r), 0);
    TEST_U256_EQ(r.repay, test_u256("3515000264"));
    /* Leaving 500 USDC would be dust: the whole debt is required, so a
     * liquidator passing less reverts. */
    p.debt[0].amount = test_u256("1600000000");
    p.coll[0].amount = test_u256("900000000000000000");
    call.repay = test_u256("1000000000");
    ck_assert_int_eq(model_liquidate(&m, &p, price, &call, &r), 0);
    ck_assert_int_eq(r.revert, REVERT_DUST);
    TEST_U256_EQ(r.repay, test_u256("1600000000"));
}
END_TEST

static Suite *
aave4_suite(void)
{
    Suite *s = suite_create("aave4");
    TCase *tc = tcase_create("core");

    tcase_add_loop_test(tc, test_bonus, 0,
                        (int)(sizeof(bonus_cases) / sizeof(bonus_cases[0])));
    tcase_add_loop_test(tc, test_debt_to_target, 0,
                        (int)(sizeof(target_cases) / sizeof(target_cases[0])));
    tcase_add_test(tc, test_debt_to_target_example);
    tcase_add_test(tc, test_debt_to_target_underflow);
    tcase_add_test(tc, test_position);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    return test_run(aave4_suite());
}
