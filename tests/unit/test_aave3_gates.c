/*
 * test_aave3_gates.c: Aave v3 on-chain state (design.md 3.1), the second
 * part (eMode and disabled collaterals: test_aave3_state.c): the gates in
 * the contract's order, interest indexes accrued per version and scaled
 * balances through a liquidation.
 *
 * Sources of the figures. MathUtils: the contracts' own tests (aave-dao/
 * aave-v3-origin tests/protocol/libraries/math/MathUtils.t.sol at tag
 * v3.3.0 for the 3.0 to 3.3 expansion, at HEAD (3.7) for the 3.4+ one).
 * Everything else: an integer transcription, step by step, of the
 * Solidity of each version (GenericLogic.calculateUserAccountData,
 * LiquidationLogic.executeLiquidationCall and
 * _calculateAvailableCollateralToLiquidate, TokenMath, AToken and
 * VariableDebtToken burns), with the steps written beside each case.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/portfolio.h"
#include "core/book.h"
#include "core/liq.h"
#include "core/model.h"
#include "core/model_aave.h"
#include "tests/common/jsonbook.h"
#include "tests/common/testutil.h"

/* ---- gates ---- */

/* A market of version V (as text), as_of 1733000000, with the sentinel
 * and asset fields given. */
static struct book *
gate_book(const char *version, const char *sentinel, const char *weth,
          const char *usdc_amount)
{
    char json[2048];

    snprintf(json, sizeof json,
             "{'as_of': 1733000000, 'markets': [{'id': 'm', 'model': "
             "'aave-v3', 'version': '%s'%s, 'assets': ["
             "{'symbol': 'WETH', 'decimals': 18, 'ltv': '0.80',"
             " 'liquidation_threshold': '0.825', 'liquidation_bonus': '0.05',"
             " 'protocol_fee': '0.10'%s},"
             "{'symbol': 'USDC', 'decimals': 6, 'ltv': '0.75',"
             " 'liquidation_threshold': '0.78', 'liquidation_bonus': '0.045',"
             " 'protocol_fee': '0.10'}]}],"
             " 'prices': {'WETH': '2000', 'USDC': '1'},"
             " 'positions': [{'id': 'a', 'market': 'm',"
             " 'collateral': {'WETH': '10'}, 'debt': {'USDC': '%s'}}]}",
             version, sentinel, weth, usdc_amount);
    return jsonbook_load(json);
}

static enum liq_revert
gate_revert(struct book *b)
{
    struct liq_result r;

    jsonbook_liq_max(b, "a", &r);
    book_free(b);
    return r.revert;
}

/* HF 0.970588235294117647 with 17000 USDC; 0.897435897435897435 (below
 * 0.95) with 18385; 1.03125 with 16000. */
START_TEST(test_gates)
{
    const char *down = ", 'price_oracle_sentinel': {'sequencer_up': false,"
                       " 'up_since': 1732990000, 'grace_period': 3600}";
    const char *grace = ", 'price_oracle_sentinel': {'sequencer_up': true,"
                        " 'up_since': 1732996400, 'grace_period': 3600}";
    const char *open = ", 'price_oracle_sentinel': {'sequencer_up': true,"
                       " 'up_since': 1732996399, 'grace_period': 3600}";

    ck_assert_int_eq(gate_revert(gate_book("3.6", "", "", "17000")),
                     REVERT_NONE);
    /* paused comes first, even for a healthy position */
    ck_assert_int_eq(
        gate_revert(gate_book("3.6", down, ", 'paused': true", "16000")),
        REVERT_PAUSED);
    /* the sentinel: checked before health, waived below 0.95 */
    ck_assert_int_eq(gate_revert(gate_book("3.6", down, "", "17000")),
                     REVERT_SENTINEL);
    ck_assert_int_eq(gate_revert(gate_book("3.6", down, "", "16000")),
                     REVERT_SENTINEL);
    ck_assert_int_eq(gate_revert(gate_book("3.6", down, "", "18385")),
                     REVERT_NONE);
    /* up since as_of - 3600: not past the grace period (strictly more
     * than grace_period seconds); one second earlier it is */
    ck_assert_int_eq(gate_revert(gate_book("3.0", grace, "", "17000")),
                     REVERT_SENTINEL);
    ck_assert_int_eq(gate_revert(gate_book("3.0", open, "", "17000")),
                     REVERT_NONE);
    /* 3.7 removed the sentinel from liquidation */
    ck_assert_int_eq(gate_revert(gate_book("3.7", down, "", "17000")),
                     REVERT_NONE);
    /* the grace period: until as_of included, then open */
    ck_assert_int_eq(
        gate_revert(gate_book(
            "3.1", "", ", 'liquidation_grace_until': 1733000000", "17000")),
        REVERT_GRACE_PERIOD);
    ck_assert_int_eq(
        gate_revert(gate_book(
            "3.1", "", ", 'liquidation_grace_until': 1732999999", "17000")),
        REVERT_NONE);
    /* the sentinel is checked before the grace period */
    ck_assert_int_eq(
        gate_revert(gate_book(
            "3.3", down, ", 'liquidation_grace_until': 1733000000", "17000")),
        REVERT_SENTINEL);
    /* health is checked after the gates */
    ck_assert_int_eq(
        gate_revert(gate_book(
            "3.3", "", ", 'liquidation_grace_until': 1733000000", "16000")),
        REVERT_GRACE_PERIOD);
    ck_assert_int_eq(gate_revert(gate_book("3.3", "", "", "16000")),
                     REVERT_NOT_LIQUIDATABLE);
}
END_TEST

/* The gate clock: a grace period until as_of + 10 opens at as_of + 11
 * (model_gate_next), and the book judged at that moment (the dashboard's
 * clock) lets the call through, at as_of + 10 not; the sentinel up since
 * as_of - 3600 with a grace of 3600 opens at as_of + 1. */
START_TEST(test_gate_clock)
{
    struct book *b = gate_book(
        "3.3", "", ", 'liquidation_grace_until': 1733000010", "17000");
    const char *grace = ", 'price_oracle_sentinel': {'sequencer_up': true,"
                        " 'up_since': 1732996400, 'grace_period': 3600}";
    struct liq_result r;

    ck_assert_int_eq(model_gate_next(book_market(b, 0), 1733000000),
                     1733000011);
    ck_assert_int_eq(model_gate_next(book_market(b, 0), 1733000011), INT64_MAX);
    book_gate_clock_set(b, 1733000010);
    jsonbook_liq_max(b, "a", &r);
    ck_assert_int_eq(r.revert, REVERT_GRACE_PERIOD);
    book_gate_clock_set(b, 1733000011);
    jsonbook_liq_max(b, "a", &r);
    ck_assert_int_eq(r.revert, REVERT_NONE);
    /* a clock before as_of judges at as_of */
    book_gate_clock_set(b, 1);
    jsonbook_liq_max(b, "a", &r);
    ck_assert_int_eq(r.revert, REVERT_GRACE_PERIOD);
    book_free(b);
    b = gate_book("3.0", grace, "", "17000");
    ck_assert_int_eq(model_gate_next(book_market(b, 0), 1733000000),
                     1733000001);
    jsonbook_liq_max(b, "a", &r);
    ck_assert_int_eq(r.revert, REVERT_SENTINEL);
    book_gate_clock_set(b, 1733000001);
    jsonbook_liq_max(b, "a", &r);
    ck_assert_int_eq(r.revert, REVERT_NONE);
    book_free(b);
}
END_TEST

/* ---- interest indexes ---- */

START_TEST(test_accrue_vectors)
{
    struct u256 ray = u256_exp10(27), out;

    /* MathUtils.t.sol at v3.3.0: rate 1.0005e27 for half a year:
     * linear 1.50025e27, compounded 1.646239361880034706419516000e27. */
    ck_assert_int_eq(
        model_aave3_index_accrue(303, false, ray,
                                 test_u256("1000500000000000000000000000"), 0,
                                 31536000 / 2, &out),
        0);
    TEST_U256_EQ(out, test_u256("1500250000000000000000000000"));
    ck_assert_int_eq(
        model_aave3_index_accrue(303, true, ray,
                                 test_u256("1000500000000000000000000000"), 0,
                                 31536000 / 2, &out),
        0);
    TEST_U256_EQ(out, test_u256("1646239361880034706419516000"));
    /* the same under 3.0 (MathUtils unchanged until 3.4) */
    ck_assert_int_eq(
        model_aave3_index_accrue(300, true, ray,
                                 test_u256("1000500000000000000000000000"), 0,
                                 31536000 / 2, &out),
        0);
    TEST_U256_EQ(out, test_u256("1646239361880034706419516000"));
    /* MathUtils.t.sol at HEAD (3.7): 0.08e27 for 7 years linear 1.56e27;
     * 1000e27 for 10,000 years compounded
     * 166666716666676666667666666666666600000000000000. */
    ck_assert_int_eq(
        model_aave3_index_accrue(307, false, ray,
                                 test_u256("80000000000000000000000000"), 1000,
                                 1000 + 7 * 31536000LL, &out),
        0);
    TEST_U256_EQ(out, test_u256("1560000000000000000000000000"));
    ck_assert_int_eq(
        model_aave3_index_accrue(307, true, ray,
                                 test_u256("1000000000000000000000000000000"),
                                 0, 10000LL * 31536000, &out),
        0);
    TEST_U256_EQ(out,
                 test_u256("166666716666676666667666666666666600000000000000"));
    /* 3.4's expansion on the half-year case: x = 500250000000000000000000000;
     * RAY + x + rayMul(x, x/2 + rayMul(x, x/6)) =
     * 1646239630210937500000000000 (the transcription), not 3.3's figure. */
    ck_assert_int_eq(
        model_aave3_index_accrue(304, true, ray,
                                 test_u256("1000500000000000000000000000"), 0,
                                 31536000 / 2, &out),
        0);
    TEST_U256_EQ(out, test_u256("1646239630210937500000000000"));
    /* the stored index when last_update is as_of; rayMul(cumulated,
     * index) half-up otherwise: 1.50025e27 x 1.1e27 / 1e27 = 1.650275e27 */
    ck_assert_int_eq(model_aave3_index_accrue(
                         307, false, test_u256("1100000000000000000000000000"),
                         test_u256("1000500000000000000000000000"), 5, 5, &out),
                     0);
    TEST_U256_EQ(out, test_u256("1100000000000000000000000000"));
    ck_assert_int_eq(model_aave3_index_accrue(
                         307, false, test_u256("1100000000000000000000000000"),
                         test_u256("1000500000000000000000000000"), 0,
                         31536000 / 2, &out),
                     0);
    TEST_U256_EQ(out, test_u256("1650275000000000000000000000"));
    ck_assert_int_eq(
        model_aave3_index_accrue(307, false, ray, ray, 10, 9, &out),
        LIQ_ERANGE);
}
END_TEST

/*
 * Scaled balances through a liquidation. WBTC collateral (8 decimals, LT
 * 8250, bonus 5 %, fee 10 %) at 60000, so that one satoshi is worth 60000
 * base units and every rounding of the burns shows in the health after;
 * USDC debt at 1. Liquidity index 1.034567891234567891234567891, variable
 * borrow index 1.078901234567890123456789012; scaled collateral 41234567,
 * scaled debt 20000123457. Transcribed per version:
 *   balances: 3.0-3.4 rayMul half-up: 42659959 sat, 21578157889 USDC;
 *             3.5+ rayMulFloor / rayMulCeil: 42659959, 21578157890.
 *   HF: 3.0/3.3 978613643186138242; 3.5/3.7 978613643140786194.
 *   repay, 50 %: 3.0 percentMul(21578157889, 5000) = 10789078945; 3.3+
 *   floor(percentMul(debt value, 5000) x 1e6 / 1e8): 10789078944 (3.3),
 *   10789078945 (3.5+, the debt valued up).
 *   seized (fee): 18880888 (89909); 3.7 18880887 (89909), percentMulFloor.
 *   burns: debt rayDiv half-up (3.0-3.4) / rayDivFloor (3.5+); the
 *   liquidator's part and the fee each rayDiv half-up / rayDivCeil.
 *   scaled after (coll, debt): 3.0 (22984544, 10000061728); 3.3
 *   (22984544, 10000061729); 3.5 (22984543, 10000061729); 3.7 (22984544,
 *   10000061729); read back through the indexes, HF after:
 *   3.0 1090977293436699132, 3.3 1090977293335580464,
 *   3.5 1090977247354734482, 3.7 1090977293234461795.
 */
struct scaled_case {
    const char *version;
    const char *balc, *debt, *hf, *repay, *seized, *fee, *hf_after;
};

static const struct scaled_case scaled_cases[] = {
    {"3.0", "42659959", "21578157889", "978613643186138242", "10789078945",
     "18880888", "89909", "1090977293436699132"},
    {"3.3", "42659959", "21578157889", "978613643186138242", "10789078944",
     "18880888", "89909", "1090977293335580464"},
    {"3.5", "42659959", "21578157890", "978613643140786194", "10789078945",
     "18880888", "89909", "1090977247354734482"},
    {"3.7", "42659959", "21578157890", "978613643140786194", "10789078945",
     "18880887", "89909", "1090977293234461795"},
};

static struct book *
scaled_book(const char *version)
{
    char json[2048];

    snprintf(json, sizeof json,
             "{'markets': [{'id': 'm', 'model': 'aave-v3', 'version': '%s',"
             " 'assets': [{'symbol': 'WBTC', 'decimals': 8, 'ltv': '0.80',"
             " 'liquidation_threshold': '0.825', 'liquidation_bonus': '0.05',"
             " 'protocol_fee': '0.10',"
             " 'liquidity_index': '1.034567891234567891234567891'},"
             "{'symbol': 'USDC', 'decimals': 6, 'ltv': '0.75',"
             " 'liquidation_threshold': '0.78', 'liquidation_bonus': '0.045',"
             " 'protocol_fee': '0.10',"
             " 'variable_borrow_index': '1.078901234567890123456789012'}]}],"
             " 'prices': {'WBTC': '60000', 'USDC': '1'},"
             " 'positions': [{'id': 'a', 'market': 'm',"
             " 'scaled_collateral': {'WBTC': '41234567'},"
             " 'scaled_debt': {'USDC': '20000123457'}}]}",
             version);
    return jsonbook_load(json);
}

START_TEST(test_scaled_liquidation)
{
    const struct scaled_case *t = &scaled_cases[_i];
    struct book *b = scaled_book(t->version);
    struct position p;
    struct liq_result r;
    struct u256 v;
    const struct market *m;

    book_position_get(b, 0, &p);
    m = book_market(b, p.market);
    ck_assert_int_eq(
        model_balance(m, p.coll[0].asset, false, p.coll[0].amount, &v), 0);
    TEST_U256_EQ(v, test_u256(t->balc));
    ck_assert_int_eq(
        model_balance(m, p.debt[0].asset, true, p.debt[0].amount, &v), 0);
    TEST_U256_EQ(v, test_u256(t->debt));
    TEST_U256_EQ(jsonbook_hf(b, "a"), test_u256(t->hf));
    jsonbook_liq_max(b, "a", &r);
    ck_assert_int_eq(r.revert, REVERT_NONE);
    TEST_U256_EQ(r.repay, test_u256(t->repay));
    TEST_U256_EQ(r.seized, test_u256(t->seized));
    TEST_U256_EQ(r.fee, test_u256(t->fee));
    TEST_U256_EQ(r.hf_after, test_u256(t->hf_after));
    book_free(b);
}
END_TEST

/* model_apply: a repay burns rayDiv (3.0-3.4 half-up; 3.5+
 * getVTokenBurnScaledAmount, floor); repaying all clears the leg, more is
 * LIQ_ERANGE. Index 1.078901234567890123456789012: 1000 USDC (1e9) is
 * 926868899.6.. scaled: half-up 926868900, floor 926868899, leaving
 * 15073254557 and 15073254558 of 16000123457. */
START_TEST(test_apply)
{
    struct book *b3 = scaled_book("3.3"), *b5 = scaled_book("3.5");
    const struct market *m3 = book_market(b3, 1), *m5 = book_market(b5, 1);
    struct u256 s = test_u256("16000123457"), out;

    ck_assert(m3->view.view && m5->view.view);
    ck_assert_int_eq(
        model_apply(m3, 1, true, s, u256_from_u64(1000000000), &out), 0);
    TEST_U256_EQ(out, test_u256("15073254557"));
    ck_assert_int_eq(
        model_apply(m5, 1, true, s, u256_from_u64(1000000000), &out), 0);
    TEST_U256_EQ(out, test_u256("15073254558"));
    ck_assert_int_eq(
        model_apply(m5, 1, true, s, test_u256("17262552951"), &out), 0);
    TEST_U256_EQ(out, u256_zero());
    ck_assert_int_eq(
        model_apply(m5, 1, true, s, test_u256("17262552952"), &out),
        LIQ_ERANGE);
    book_free(b3);
    book_free(b5);
}
END_TEST

/*
 * A repay whose scaled burn is no unit. USDC debt held scaled at variable
 * borrow index 1.078901234567890123456789012 (5000 USDC scaled:
 * 5000000000), DAI collateral 5500 at LT 0.80, both at 1: HF about 0.81.
 * Repaying 1 raw USDC seizes floor(1e8 x 1 x 1e18 / (1e8 x 1e6)) = 1e12
 * raw DAI and its bonus, but burns rayDiv(1, index) scaled debt: from 3.5
 * floor(1e27 / 1.0789e27) = 0, which VariableDebtToken.burn refuses
 * (ScaledBalanceTokenBase._burnScaled: InvalidBurnAmount), so the call
 * reverts "too small"; 3.0 to 3.4 round half up, floor(0.9269 + 0.5) =
 * 1, and the call goes through. 2 raw USDC burn floor(1.8537) = 1 and go
 * through in every version.
 */
START_TEST(test_burn_nothing)
{
    static const struct {
        const char *version;
        enum liq_revert one;
    } cases[] = {{"3.0", REVERT_NONE},
                 {"3.3", REVERT_NONE},
                 {"3.5", REVERT_TOO_SMALL},
                 {"3.6", REVERT_TOO_SMALL}};

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char json[2048];
        struct book *b;
        struct liq_call c;
        struct liq_result r;

        snprintf(json, sizeof json,
                 "{'markets': [{'id': 'm', 'model': 'aave-v3',"
                 " 'version': '%s', 'assets': [{'symbol': 'DAI',"
                 " 'decimals': 18, 'ltv': '0.75',"
                 " 'liquidation_threshold': '0.80',"
                 " 'liquidation_bonus': '0.05', 'protocol_fee': '0.10'},"
                 "{'symbol': 'USDC', 'decimals': 6, 'ltv': '0.75',"
                 " 'liquidation_threshold': '0.78',"
                 " 'liquidation_bonus': '0.045', 'protocol_fee': '0.10',"
                 " 'variable_borrow_index':"
                 " '1.078901234567890123456789012'}]}],"
                 " 'prices': {'DAI': '1', 'USDC': '1'},"
                 " 'positions': [{'id': 'a', 'market': 'm',"
                 " 'collateral': {'DAI': '5500'},"
                 " 'scaled_debt': {'USDC': '5000000000'}}]}",
                 cases[i].version);
        b = jsonbook_load(json);
        memset(&c, 0, sizeof c);
        c.repay = u256_from_u64(1);
        jsonbook_liq(b, "a", &c, &r);
        ck_assert_msg(r.revert == cases[i].one, "%s: repay 1: revert %d",
                      cases[i].version, (int)r.revert);
        TEST_U256_EQ(r.repay, u256_from_u64(1));
        TEST_U256_EQ(r.seized, test_u256("1050000000000"));
        c.repay = u256_from_u64(2);
        jsonbook_liq(b, "a", &c, &r);
        ck_assert_msg(r.revert == REVERT_NONE, "%s: repay 2: revert %d",
                      cases[i].version, (int)r.revert);
        book_free(b);
    }
}
END_TEST

static Suite *
suite(void)
{
    Suite *s = suite_create("aave3_gates");
    TCase *tc = tcase_create("gates");

    tcase_add_test(tc, test_gates);
    tcase_add_test(tc, test_gate_clock);
    suite_add_tcase(s, tc);
    tc = tcase_create("indexes");
    tcase_add_test(tc, test_accrue_vectors);
    tcase_add_loop_test(tc, test_scaled_liquidation, 0,
                        (int)(sizeof scaled_cases / sizeof scaled_cases[0]));
    tcase_add_test(tc, test_apply);
    tcase_add_test(tc, test_burn_nothing);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    return test_run(suite());
}
