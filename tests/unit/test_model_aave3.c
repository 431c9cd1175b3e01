/*
 * test_model_aave3.c: the Aave v3 model against the vectors of
 * liquidation-mechanics.md 2.9 (the derived v3.7 example, the close-factor
 * cases) and cases derived by an independent transcription of sections
 * 2.2-2.6 where the versions' rounding differs (an odd-valued position, a
 * collateral-capped call, the dust rule, bad debt, a liquidation that
 * lowers health); and a reserve's indexes accrued to a moment from the
 * stored ones (model_aave3_index_accrue_asset, which the portfolio reader
 * and the accrual with the clock share).
 */
#include <check.h>
#include <string.h>

#include "core/liq.h"
#include "core/model.h"
#include "core/model_aave.h"
#include "tests/common/testutil.h"

#define NONE NULL

struct aave_case {
    const char *name;
    uint16_t version;
    const char *coll_amt, *coll_price; /* WETH, 18 decimals, LT 0.825 */
    const char *debt_amt[2];           /* USDC, 6 decimals; second optional */
    const char *debt_price;
    const char *repay; /* NULL: max */
    const char *hf, *close_factor, *max_repay, *repay_out, *seized, *bonus,
        *fee, *hf_after; /* hf_after NULL: no debt left */
    enum liq_revert revert;
    bool bad_debt_after;
};

static const struct aave_case cases[] = {
    /* 2.9: the derived v3.7 example; identical under every version. */
    {"example 3.7",
     307,
     "10000000000000000000",
     "200000000000",
     {"17000000000", NONE},
     "100000000",
     NONE,
     "970588235294117647",
     "500000000000000000",
     "8500000000",
     "8500000000",
     "4462500000000000000",
     "212500000000000000",
     "21250000000000000",
     "1074926470588235294",
     REVERT_NONE,
     false},
    {"example 3.0",
     300,
     "10000000000000000000",
     "200000000000",
     {"17000000000", NONE},
     "100000000",
     NONE,
     "970588235294117647",
     "500000000000000000",
     "8500000000",
     "8500000000",
     "4462500000000000000",
     "212500000000000000",
     "21250000000000000",
     "1074926470588235294",
     REVERT_NONE,
     false},
    /* The same example under 3.3 and 3.5, by hand. 3.3: avgLT 8250,
     * percentMul(2e12, 8250) = 1.65e12, wadDiv half-up by 1.7e12 =
     * 970588235294117647(.06); HF > 0.95 and both reserves >= 2,000 USD, so
     * 50 % of all debt value (8.5e11 base) -> 8,500 USDC. 3.5: floor of
     * wadDiv(2e12 * 8250, 1.7e12) = 9705882352941176470588 over 1e4 gives the
     * same HF. Seizure: 8.5e9 * 1e8 * 1e18 / (2000e8 * 1e6) = 4.25e18 exact,
     * percentMul by 10500 = 4.4625e18 (no rounding in any mode), bonus
     * 0.2125e18, fee 10 % = 0.02125e18. After: 5.5375 WETH = 1.1075e12 base
     * against 8.5e11; 1.1075e12 * 0.825 / 8.5e11 = 1.07492647058823529411..
     * -> 1074926470588235294 by half-up (3.3) and by floor (3.5).
     * Leftovers 1.1075e12 and 8.5e11 base are both >= 1,000 USD. */
    {"example 3.3",
     303,
     "10000000000000000000",
     "200000000000",
     {"17000000000", NONE},
     "100000000",
     NONE,
     "970588235294117647",
     "500000000000000000",
     "8500000000",
     "8500000000",
     "4462500000000000000",
     "212500000000000000",
     "21250000000000000",
     "1074926470588235294",
     REVERT_NONE,
     false},
    {"example 3.5",
     305,
     "10000000000000000000",
     "200000000000",
     {"17000000000", NONE},
     "100000000",
     NONE,
     "970588235294117647",
     "500000000000000000",
     "8500000000",
     "8500000000",
     "4462500000000000000",
     "212500000000000000",
     "21250000000000000",
     "1074926470588235294",
     REVERT_NONE,
     false},
    /* Odd values: each version rounds differently. */
    {"odd 3.0",
     300,
     "3333333333333333333",
     "199912345678",
     {"5111123457", NONE},
     "99987654",
     NONE,
     "1075745551562732030",
     "500000000000000000",
     "2555561729",
     "2555561729",
     "1342092466184115654",
     "63909165056386460",
     "6390916505638646",
     "1285241103209028612",
     REVERT_NOT_LIQUIDATABLE,
     false},
    {"odd 3.3",
     303,
     "3333333333333333333",
     "199912345678",
     {"5111123457", NONE},
     "99987654",
     NONE,
     "1075745551562732030",
     "500000000000000000",
     "2555561728",
     "2555561728",
     "1342092465658950305",
     "63909165031378586",
     "6390916503137859",
     "1285241103042609776",
     REVERT_NOT_LIQUIDATABLE,
     false},
    {"odd 3.5",
     305,
     "3333333333333333333",
     "199912345678",
     {"5111123457", NONE},
     "99987654",
     NONE,
     "1075745551561067326",
     "500000000000000000",
     "2555561728",
     "2555561728",
     "1342092465658950305",
     "63909165031378586",
     "6390916503137859",
     "1285241103039341045",
     REVERT_NOT_LIQUIDATABLE,
     false},
    {"odd 3.7",
     307,
     "3333333333333333333",
     "199912345678",
     {"5111123457", NONE},
     "99987654",
     NONE,
     "1075745551561067326",
     "500000000000000000",
     "2555561728",
     "2555561728",
     "1342092465658950304",
     "63909165031378586",
     "6390916503137859",
     "1285241103039341045",
     REVERT_NOT_LIQUIDATABLE,
     false},
    /* Collateral short: all of it is seized and the debt recomputed,
     * half-up before 3.5 and up from 3.5; no collateral is left, and 3.3+
     * burns the remaining debt. */
    /* max_repay names the least debtToCover the pool caps: 3.0's debt
     * for all the collateral is percentDiv half-up, 1905238095, whose own
     * call needs percentMul(floor(1e8 x 1905238095 x 1e18 / (200050000000
     * x 1e6)), 10500) = 999999999875031242 < 1e18 (uncapped); 1905238096
     * needs 1000000000399900024 (capped). 3.5 rounds the debt up, to
     * 1905238096 itself. */
    {"capped 3.0",
     300,
     "1000000000000000000",
     "200050000000",
     {"1990000000", NONE},
     "100000000",
     NONE,
     "829353015075376884",
     "1000000000000000000",
     "1905238096",
     "1905238095",
     "1000000000000000000",
     "47619047619047619",
     "4761904761904762",
     "0",
     REVERT_NONE,
     true},
    {"capped 3.5",
     305,
     "1000000000000000000",
     "200050000000",
     {"1990000000", NONE},
     "100000000",
     NONE,
     "829353015075376884",
     "1000000000000000000",
     "1905238096",
     "1905238096",
     "1000000000000000000",
     "47619047619047619",
     "4761904761904762",
     NONE,
     REVERT_NONE,
     true},
    /* 2.9 close-factor cases: HF 0.94 with 100 ETH -> 100 %; HF 0.97 with
     * 100 ETH -> 50 %; HF 0.97 with 0.5 ETH (< 2,000 USD) -> 100 %. */
    {"cf hf 0.94",
     307,
     "100000000000000000000",
     "200000000000",
     {"175531914894", NONE},
     "100000000",
     NONE,
     "939999999997949090",
     "1000000000000000000",
     "175531914894",
     "175531914894",
     "92154255319350000000",
     "4388297872350000000",
     "438829787235000000",
     NONE,
     REVERT_NONE,
     false},
    {"cf hf 0.97 big",
     307,
     "100000000000000000000",
     "200000000000",
     {"170103092784", NONE},
     "100000000",
     NONE,
     "969999999997178181",
     "500000000000000000",
     "85051546392",
     "85051546392",
     "44652061855800000000",
     "2126288659800000000",
     "212628865980000000",
     "1073749999994356363",
     REVERT_NONE,
     false},
    {"cf hf 0.97 small",
     307,
     "500000000000000000",
     "200000000000",
     {"850515463", NONE},
     "100000000",
     NONE,
     "970000001046424243",
     "1000000000000000000",
     "850515463",
     "850515463",
     "446520618075000000",
     "21262886575000000",
     "2126288657500000",
     NONE,
     REVERT_NONE,
     false},
    /* Dust: 50 % of all debt (8,500) would leave 500 USDC of this reserve;
     * the most that leaves 1,000 is 8,000. */
    {"dust max",
     307,
     "10000000000000000000",
     "200000000000",
     {"9000000000", "8000000000"},
     "100000000",
     NONE,
     "970588235294117647",
     "500000000000000000",
     "8000000000",
     "8000000000",
     "4200000000000000000",
     "200000000000000000",
     "20000000000000000",
     "1063333333333333333",
     REVERT_NONE,
     false},
    {"dust requested",
     307,
     "10000000000000000000",
     "200000000000",
     {"9000000000", "8000000000"},
     "100000000",
     "8500000000",
     "970588235294117647",
     "500000000000000000",
     "8000000000",
     "8500000000",
     "4462500000000000000",
     "212500000000000000",
     "21250000000000000",
     "1074926470588235294",
     REVERT_DUST,
     false},
    /* Dust forcing full: 1,500 + 16,000 USDC against 10 WETH, HF
     * floor(wadDiv(1.65e16, 1.75e12) / 1e4) = 942857142857142857 <= 0.95,
     * so 100 % of this 1,500 USDC reserve. Repaying 1,000 would leave 500
     * USD < 1,000: the call reverts and only the whole 1,500 goes through.
     * The requested call: 0.5 WETH * 1.05 = 0.525 WETH, bonus 0.025, fee
     * ceil 10 % = 0.0025; after, 9.475 WETH = 18,950 USD * 0.825 / 16,500 =
     * 0.9475 exactly. */
    {"dust forces full",
     307,
     "10000000000000000000",
     "200000000000",
     {"1500000000", "16000000000"},
     "100000000",
     "1000000000",
     "942857142857142857",
     "1000000000000000000",
     "1500000000",
     "1000000000",
     "525000000000000000",
     "25000000000000000",
     "2500000000000000",
     "947500000000000000",
     REVERT_DUST,
     false},
    /* HF 0.846 < LB * LT = 0.86625: the call lowers health. */
    {"lowers health",
     307,
     "10000000000000000000",
     "200000000000",
     {"19500000000", NONE},
     "100000000",
     "1000000000",
     "846153846153846153",
     "1000000000000000000",
     "19047619048",
     "1000000000",
     "525000000000000000",
     "25000000000000000",
     "2500000000000000",
     "845067567567567567",
     REVERT_NONE,
     false},
};

static void
setup(const struct aave_case *c, struct market *m, struct position *p,
      struct u256 price[2])
{
    memset(m, 0, sizeof(*m));
    strcpy(m->id, "aave");
    m->model = MODEL_AAVE_V3;
    m->version = c->version;
    m->base_decimals = 8;
    m->nassets = 2;
    m->assets[0] = (struct asset){.sym = 0,
                                  .decimals = 18,
                                  .ltv = 8000,
                                  .lt = 8250,
                                  .bonus = 500,
                                  .fee = 1000};
    m->assets[1] = (struct asset){.sym = 1,
                                  .decimals = 6,
                                  .ltv = 7500,
                                  .lt = 7800,
                                  .bonus = 450,
                                  .fee = 1000};
    memset(p, 0, sizeof(*p));
    p->id = c->name;
    p->label = "";
    p->ncoll = 1;
    p->coll[0] = (struct leg){.asset = 0, .amount = test_u256(c->coll_amt)};
    p->ndebt = 1;
    p->debt[0] = (struct leg){.asset = 1, .amount = test_u256(c->debt_amt[0])};
    if (c->debt_amt[1] != NULL) {
        /* A second USDC-priced debt, listed as a third asset. */
        m->nassets = 3;
        m->assets[2] = m->assets[1];
        m->assets[2].sym = 2;
        p->ndebt = 2;
        p->debt[1] =
            (struct leg){.asset = 2, .amount = test_u256(c->debt_amt[1])};
    }
    price[0] = test_u256(c->coll_price);
    price[1] = test_u256(c->debt_price);
}

START_TEST(test_aave3_case)
{
    const struct aave_case *c = &cases[_i];
    struct market m;
    struct position p;
    struct u256 price[3];
    struct account a;
    struct liq_call call = {.debt = 0, .coll = 0, .max = c->repay == NULL};
    struct liq_result r;

    setup(c, &m, &p, price);
    price[2] = price[1];
    if (c->repay != NULL)
        call.repay = test_u256(c->repay);
    ck_assert_int_eq(model_account(&m, &p, price, &a), 0);
    TEST_U256_EQ(a.hf, test_u256(c->hf));
    ck_assert_int_eq(model_liquidate(&m, &p, price, &call, &r), 0);
    TEST_U256_EQ(r.close_factor, test_u256(c->close_factor));
    TEST_U256_EQ(r.max_repay, test_u256(c->max_repay));
    TEST_U256_EQ(r.repay, test_u256(c->repay_out));
    TEST_U256_EQ(r.seized, test_u256(c->seized));
    TEST_U256_EQ(r.bonus, test_u256(c->bonus));
    TEST_U256_EQ(r.fee, test_u256(c->fee));
    {
        struct u256 want;

        ck_assert_int_eq(u256_sub(&want, r.seized, r.fee), 0);
        TEST_U256_EQ(r.to_liquidator, want);
    }
    if (c->hf_after == NULL)
        ck_assert(u256_is_max(r.hf_after));
    else
        TEST_U256_EQ(r.hf_after, test_u256(c->hf_after));
    ck_assert_int_eq(r.revert, c->revert);
    ck_assert_int_eq(r.bad_debt_after, c->bad_debt_after);
    ck_assert_int_eq(r.lowers_health, u256_lt(r.hf_after, a.hf));
}
END_TEST

/* Values of the example: 20,000 USD of collateral, 17,000 of debt. */
START_TEST(test_aave3_values)
{
    struct market m;
    struct position p;
    struct u256 price[3];
    struct account a;

    setup(&cases[0], &m, &p, price);
    ck_assert_int_eq(model_account(&m, &p, price, &a), 0);
    TEST_U256_EQ(a.coll_value, test_u256("2000000000000"));
    TEST_U256_EQ(a.debt_value, test_u256("1700000000000"));
    ck_assert(a.liquidatable);
    ck_assert(!a.bad_debt);
    /* No debt: HF is the maximum and nothing is liquidatable. */
    p.debt[0].amount = u256_zero();
    ck_assert_int_eq(model_account(&m, &p, price, &a), 0);
    ck_assert(u256_is_max(a.hf));
    ck_assert(!a.has_debt);
    ck_assert(!a.liquidatable);
}
END_TEST

/*
 * @aave/math-utils pool-math.test.ts calculateHealthFactorFromBalances
 * (liquidation-mechanics.md 2.9): collateral 1e17 and borrow 5e16 base at
 * LT 5000 give 1; borrow 3e16 gives 1.66666666666666666667. Through the
 * contract's integers (decimals 0, price 1): 3.0 takes wadDiv(5e16, 3e16)
 * half-up = 1666666666666666667; 3.5 floors wadDiv(5e20, 3e16) =
 * 16666666666666666666667 by 1e4 to 1666666666666666666.
 */
struct hf_case {
    uint16_t version;
    const char *coll, *debt, *hf;
};

static const struct hf_case hf_cases[] = {
    {300, "100000000000000000", "50000000000000000", "1000000000000000000"},
    {307, "100000000000000000", "50000000000000000", "1000000000000000000"},
    {300, "100000000000000000", "30000000000000000", "1666666666666666667"},
    {304, "100000000000000000", "30000000000000000", "1666666666666666667"},
    {305, "100000000000000000", "30000000000000000", "1666666666666666666"},
    {307, "100000000000000000", "30000000000000000", "1666666666666666666"},
};

START_TEST(test_aave3_math_utils)
{
    const struct hf_case *c = &hf_cases[_i];
    struct market m;
    struct position p;
    struct u256 price[3];
    struct account a;

    setup(&cases[0], &m, &p, price);
    m.version = c->version;
    m.assets[0].decimals = 0;
    m.assets[0].ltv = 4000;
    m.assets[0].lt = 5000;
    m.assets[1].decimals = 0;
    price[0] = u256_from_u64(1);
    price[1] = u256_from_u64(1);
    p.coll[0].amount = test_u256(c->coll);
    p.debt[0].amount = test_u256(c->debt);
    ck_assert_int_eq(model_account(&m, &p, price, &a), 0);
    TEST_U256_EQ(a.hf, test_u256(c->hf));
    ck_assert(!a.liquidatable);
}
END_TEST

/* MathUtils.t.sol at v3.3.0: rate 1.0005e27 for half a year is 1.50025e27
 * linear, 1.646239361880034706419516000e27 compounded; on a stored
 * liquidity index of 1.1e27, rayMul half-up: 1.650275e27. */
START_TEST(test_aave3_accrue_asset)
{
    struct asset as;

    memset(&as, 0, sizeof as);
    as.lindex = as.dindex = test_u256("7");
    /* without rates: left as read */
    ck_assert_int_eq(model_aave3_index_accrue_asset(303, &as, 31536000), 0);
    TEST_U256_EQ(as.lindex, test_u256("7"));
    as.has_rates = true;
    as.last_update = 1000;
    as.lindex_stored = test_u256("1100000000000000000000000000");
    as.dindex_stored = u256_exp10(27);
    as.lrate = as.drate = test_u256("1000500000000000000000000000");
    ck_assert_int_eq(
        model_aave3_index_accrue_asset(303, &as, 1000 + 31536000 / 2), 0);
    TEST_U256_EQ(as.lindex, test_u256("1650275000000000000000000000"));
    TEST_U256_EQ(as.dindex, test_u256("1646239361880034706419516000"));
    /* at last_update itself: the stored indexes */
    ck_assert_int_eq(model_aave3_index_accrue_asset(303, &as, 1000), 0);
    TEST_U256_EQ(as.lindex, as.lindex_stored);
    TEST_U256_EQ(as.dindex, as.dindex_stored);
    /* a moment before last_update: refused, nothing changed */
    as.lindex = as.dindex = test_u256("7");
    ck_assert_int_eq(model_aave3_index_accrue_asset(303, &as, 999), LIQ_ERANGE);
    TEST_U256_EQ(as.lindex, test_u256("7"));
    TEST_U256_EQ(as.dindex, test_u256("7"));
}
END_TEST

static Suite *
aave3_suite(void)
{
    Suite *s = suite_create("aave3");
    TCase *tc = tcase_create("core");

    tcase_add_loop_test(tc, test_aave3_case, 0,
                        (int)(sizeof(cases) / sizeof(cases[0])));
    tcase_add_test(tc, test_aave3_values);
    tcase_add_test(tc, test_aave3_accrue_asset);
    tcase_add_loop_test(tc, test_aave3_math_utils, 0,
                        (int)(sizeof(hf_cases) / sizeof(hf_cases[0])));
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    return test_run(aave3_suite());
}
