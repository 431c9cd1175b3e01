/*
 * test_aave3_state.c: Aave v3 on-chain state (design.md 3.1): eMode in both
 * forms, disabled collaterals, the views' rules and their ticks (the gates,
 * interest indexes and scaled balances: test_aave3_gates.c; bad input:
 * test_aave3_input.c).
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

/* ---- eMode ---- */

/*
 * A wstETH/WETH loop: 100.123456789012345678 wstETH at 4120.56789012
 * against 112.5 WETH at 3400.12345678. wstETH alone has LT 0.81; the
 * category "ETH correlated" LT 0.955.
 *   collateral = floor(100123456789012345678 x 412056789012 / 1e18)
 *              = 41256550109262 (base, 8 decimals)
 *   debt       = 112.5 x 340012345678 = 38251388888775 (exact; ceil 3.5+)
 * 3.7: HF = floor(wadDiv(41256550109262 x 9550, 38251388888775) / 1e4)
 *         = floor(10300280982975568606.7.. rounded half-up / 1e4)
 *         = 1030028098297556860; with LT 8100: 873636397508922573.
 * 3.0: avgLT = 9550 (one collateral); percentMul(41256550109262, 9550)
 *      = 39400005354345 (half-up); wadDiv by the debt = 1030028098297551371;
 *      with LT 8100: 873636397508916822.
 * The Aave app shows the same figure (GenericLogic's).
 */
#define LOOP_ASSETS_37                                                         \
    "'assets': ["                                                              \
    "{'symbol': 'WETH', 'decimals': 18, 'ltv': '0.80',"                        \
    " 'liquidation_threshold': '0.83', 'liquidation_bonus': '0.05',"           \
    " 'protocol_fee': '0.10'},"                                                \
    "{'symbol': 'wstETH', 'decimals': 18, 'ltv': '0.785',"                     \
    " 'liquidation_threshold': '0.81', 'liquidation_bonus': '0.06',"           \
    " 'protocol_fee': '0.10'},"                                                \
    "{'symbol': 'USDC', 'decimals': 6, 'ltv': '0.75',"                         \
    " 'liquidation_threshold': '0.78', 'liquidation_bonus': '0.045',"          \
    " 'protocol_fee': '0.10'}]"
#define LOOP_CATEGORY_37                                                       \
    "'emode_categories': [{'id': 1, 'label': 'ETH correlated',"                \
    " 'ltv': '0.935', 'liquidation_threshold': '0.955',"                       \
    " 'liquidation_bonus': '0.01', 'collateral': ['WETH', 'wstETH'],"          \
    " 'borrowable': ['WETH']}]"
#define LOOP_POSITIONS(p_wst)                                                  \
    "'prices': {'WETH': '3400.12345678', 'wstETH': '" p_wst "',"               \
    " 'USDC': '1'},"                                                           \
    "'positions': ["                                                           \
    "{'id': 'loop', 'market': 'aave', 'emode': 1,"                             \
    " 'collateral': {'wstETH': '100.123456789012345678'},"                     \
    " 'debt': {'WETH': '112.5'}},"                                             \
    "{'id': 'plain', 'market': 'aave',"                                        \
    " 'collateral': {'wstETH': '100.123456789012345678'},"                     \
    " 'debt': {'WETH': '112.5'}},"                                             \
    "{'id': 'mixed', 'market': 'aave', 'emode': 1,"                            \
    " 'collateral': {'wstETH': '100.123456789012345678',"                      \
    " 'USDC': '5000.5'}, 'debt': {'WETH': '112.5'}},"                          \
    "{'id': 'off', 'market': 'aave', 'emode': 1,"                              \
    " 'collateral': {'wstETH': '100.123456789012345678',"                      \
    " 'USDC': '5000.5'}, 'collateral_disabled': ['USDC'],"                     \
    " 'debt': {'WETH': '112.5'}}]"

static const char *const loop37 =
    "{'markets': [{'id': 'aave', 'model': 'aave-v3', 'version': "
    "'3.7', " LOOP_CATEGORY_37 ", " LOOP_ASSETS_37
    "}], " LOOP_POSITIONS("4120.56789012") "}";

/* The same market before 3.2: the assets name their category. */
static const char *const loop30 =
    "{'markets': [{'id': 'aave', 'model': 'aave-v3', 'version': '3.0',"
    " 'emode_categories': [{'id': 1, 'label': 'ETH correlated',"
    " 'ltv': '0.935', 'liquidation_threshold': '0.955',"
    " 'liquidation_bonus': '0.01'}],"
    " 'assets': ["
    "{'symbol': 'WETH', 'decimals': 18, 'ltv': '0.80',"
    " 'liquidation_threshold': '0.83', 'liquidation_bonus': '0.05',"
    " 'protocol_fee': '0.10', 'emode_category': 1},"
    "{'symbol': 'wstETH', 'decimals': 18, 'ltv': '0.785',"
    " 'liquidation_threshold': '0.81', 'liquidation_bonus': '0.06',"
    " 'protocol_fee': '0.10', 'emode_category': 1},"
    "{'symbol': 'USDC', 'decimals': 6, 'ltv': '0.75',"
    " 'liquidation_threshold': '0.78', 'liquidation_bonus': '0.045',"
    " 'protocol_fee': '0.10'}]}], " LOOP_POSITIONS("4120.56789012") "}";

START_TEST(test_emode_loop_37)
{
    struct book *b = jsonbook_load(loop37);

    TEST_U256_EQ(jsonbook_hf(b, "loop"), test_u256("1030028098297556860"));
    TEST_U256_EQ(jsonbook_hf(b, "plain"), test_u256("873636397508922573"));
    /* USDC (LT 7800) is not in the category: 5000.5 USDC = 500050000000
     * base. HF = floor(wadDiv(41256550109262 x 9550 + 500050000000 x
     * 7800, 38251388888775) / 1e4) = 1040224826085249251. */
    TEST_U256_EQ(jsonbook_hf(b, "mixed"), test_u256("1040224826085249251"));
    /* Disabled, USDC weighs nothing: the loop's figure again. */
    TEST_U256_EQ(jsonbook_hf(b, "off"), test_u256("1030028098297556860"));
    /* One view per (category, disabled set): the market and two views,
     * all named "aave". */
    ck_assert_uint_eq(book_market_count(b), 3);
    for (uint32_t i = 0; i < 3; i++)
        ck_assert_str_eq(book_market(b, i)->id, "aave");
    book_free(b);
}
END_TEST

START_TEST(test_emode_loop_30)
{
    struct book *b = jsonbook_load(loop30);

    TEST_U256_EQ(jsonbook_hf(b, "loop"), test_u256("1030028098297551371"));
    TEST_U256_EQ(jsonbook_hf(b, "plain"), test_u256("873636397508916822"));
    /* avgLT = floor((41256550109262 x 9550 + 500050000000 x 7800) /
     * 41756600109262) = 9529; percentMul(41756600109262, 9529) =
     * 39789864244116 (half-up); wadDiv = 1040220117492059767. */
    TEST_U256_EQ(jsonbook_hf(b, "mixed"), test_u256("1040220117492059767"));
    book_free(b);
}
END_TEST

/*
 * The category's bonus in a liquidation (3.7), wstETH at 3880:
 *   collateral = floor(100123456789012345678 x 388000000000 / 1e18)
 *              = 38847901234136; debt 38251388888775 (as above)
 *   HF = floor(wadDiv(38847901234136 x 9550, 38251388888775) / 1e4)
 *      = 969892773997728652 (> 0.95, both reserves >= 2,000 USD)
 *   cap = percentMul(38251388888775, 5000) = 19125694444388 (half-up);
 *   maxDebt = floor(19125694444388 x 1e18 / 340012345678)
 *           = 56250000000001470534 (the call's repay)
 *   baseCollateral = floor(340012345678 x 56250000000001470534 x 1e18 /
 *                    (388000000000 x 1e18)) = 49293026918525773195
 *   seized = percentMulFloor(49293026918525773195, 10100)
 *          = 49785957187711030926 (the category's 1 %, not wstETH's 6 %)
 *   bonus  = seized - percentDivFloor(seized, 10100) = 492930269185257732
 *   fee    = percentMulCeil(bonus, 1000) = 49293026918525774
 *   after: 50337499601301314752 wstETH against 56249999999998529466 WETH:
 *   HF after = 975235547995400600.
 */
START_TEST(test_emode_bonus_37)
{
    char *json = strdup(loop37);
    struct book *b;
    struct liq_result r;

    /* the loop at a wstETH price of 3880 */
    memcpy(strstr(json, "4120.56789012"), "3880.00000000", 13);
    b = jsonbook_load(json);
    free(json);
    TEST_U256_EQ(jsonbook_hf(b, "loop"), test_u256("969892773997728652"));
    jsonbook_liq_max(b, "loop", &r);
    ck_assert_int_eq(r.revert, REVERT_NONE);
    TEST_U256_EQ(r.max_repay, test_u256("56250000000001470534"));
    TEST_U256_EQ(r.seized, test_u256("49785957187711030926"));
    TEST_U256_EQ(r.bonus, test_u256("492930269185257732"));
    TEST_U256_EQ(r.fee, test_u256("49293026918525774"));
    TEST_U256_EQ(r.hf_after, test_u256("975235547995400600"));
    book_free(b);
}
END_TEST

/* A disabled collateral cannot be seized: the call reverts "collateral
 * not enabled" once the position is liquidatable (ValidationLogic checks
 * health first). */
START_TEST(test_collateral_disabled)
{
    char *json = strdup(loop37);
    struct book *b;
    struct liq_call c;
    struct liq_result r;

    memcpy(strstr(json, "4120.56789012"), "3500.00000000", 13);
    b = jsonbook_load(json);
    free(json);
    memset(&c, 0, sizeof c);
    c.max = true;
    c.coll = 1; /* USDC */
    jsonbook_liq(b, "off", &c, &r);
    ck_assert_int_eq(r.revert, REVERT_COLLATERAL_NOT_ENABLED);
    c.coll = 0; /* wstETH */
    jsonbook_liq(b, "off", &c, &r);
    ck_assert_int_eq(r.revert, REVERT_NONE);
    book_free(b);
}
END_TEST

/*
 * Before 3.2 a category's price source prices its assets for its users,
 * collateral and debt alike (GenericLogic: eModeAssetPrice when the
 * user's category is the asset's). With ETH at 2000.5:
 *   collateral = floor(100123456789012345678 x 200050000000 / 1e18)
 *              = 20029697530641; debt = 112.5 x 200050000000
 *              = 22505625000000; avgLT 9550; percentMul half-up then
 *   wadDiv: HF = 849936899853347774.
 * ETH moving to 1900.12345678 moves the position with it (the book
 * indexes its legs under ETH): 19024692881870 against 21376388888775,
 * HF = 849936899853395804.
 */
START_TEST(test_emode_price_source)
{
    char *j1 =
        jsonbook_subst(loop30, "'liquidation_bonus': '0.01'}]",
                       "'liquidation_bonus': '0.01', 'price_source': 'ETH'}]");
    char *j2 =
        jsonbook_subst(j1, "'USDC': '1'}", "'USDC': '1', 'ETH': '2000.5'}");
    struct book *b = jsonbook_load(j2);
    uint32_t eth;

    free(j1);
    free(j2);
    TEST_U256_EQ(jsonbook_hf(b, "loop"), test_u256("849936899853347774"));
    /* not in the category: its own prices */
    TEST_U256_EQ(jsonbook_hf(b, "plain"), test_u256("873636397508916822"));
    ck_assert_int_eq(book_symbol_find(b, "ETH", 3, &eth), 0);
    ck_assert_int_eq(
        book_price_set(b, eth, test_u256("1900123456780000000000"), 1), 0);
    book_update(b);
    TEST_U256_EQ(jsonbook_hf(b, "loop"), test_u256("849936899853395804"));
    TEST_U256_EQ(jsonbook_hf(b, "plain"), test_u256("873636397508916822"));
    /* A what-if of -5 % on ETH moves the view as that price would:
     * 1900.12345678 x 0.95 = 1805.117283941. */
    {
        struct u256 w;

        ck_assert_int_eq(book_whatif_set(b, eth, -500), 0);
        book_update(b);
        w = jsonbook_hf(b, "loop");
        ck_assert(!u256_eq(w, test_u256("849936899853395804")));
        TEST_U256_EQ(jsonbook_hf(b, "plain"), test_u256("873636397508916822"));
        book_whatif_clear(b);
        ck_assert_int_eq(
            book_price_set(b, eth, test_u256("1805117283941000000000"), 1), 0);
        book_update(b);
        TEST_U256_EQ(jsonbook_hf(b, "loop"), w);
    }
    book_free(b);
}
END_TEST

/* Which assets take the category's threshold: before 3.6 only a
 * collateral whose own threshold is not 0 (GenericLogic counts no other),
 * from 3.6 every collateral of the bitmap; disabled ones weigh nothing. */
START_TEST(test_view_rules)
{
    struct market base, v;
    struct market_view key;

    memset(&base, 0, sizeof base);
    snprintf(base.id, sizeof base.id, "m");
    base.model = MODEL_AAVE_V3;
    base.nassets = 3;
    base.assets[0] = (struct asset){.sym = 0, .decimals = 18, .lt = 0};
    base.assets[1] = (struct asset){
        .sym = 1, .decimals = 18, .lt = 8000, .ltv = 7000, .bonus = 500};
    base.assets[2] = (struct asset){
        .sym = 2, .decimals = 6, .lt = 7800, .ltv = 7500, .bonus = 450};
    base.nemodes = 1;
    base.emodes[0] = (struct market_emode){
        .id = 1, .ltv = 9000, .lt = 9300, .bonus = 100, .collateral = 0x3};
    memset(&key, 0, sizeof key);
    key.emode = 1;
    base.version = 305;
    ck_assert_int_eq(model_aave3_view_make(&base, &key, &v), 0);
    ck_assert_uint_eq(v.assets[0].lt, 0);
    ck_assert_uint_eq(v.assets[0].bonus, 100);
    ck_assert_uint_eq(v.assets[1].lt, 9300);
    ck_assert_uint_eq(v.assets[1].bonus, 100);
    ck_assert_uint_eq(v.assets[2].lt, 7800);
    ck_assert_uint_eq(v.assets[2].bonus, 450);
    ck_assert(v.view.view && v.view.emode == 1);
    base.version = 306;
    ck_assert_int_eq(model_aave3_view_make(&base, &key, &v), 0);
    ck_assert_uint_eq(v.assets[0].lt, 9300);
    key.coll_off = 0x2;
    ck_assert_int_eq(model_aave3_view_make(&base, &key, &v), 0);
    ck_assert_uint_eq(v.assets[1].lt, 0);
    /* an id the market does not list; a view of a view */
    key.emode = 2;
    ck_assert_int_eq(model_aave3_view_make(&base, &key, &v), LIQ_ENOENT);
    key.emode = 1;
    ck_assert_int_eq(model_aave3_view_make(&v, &key, &base), LIQ_EINVAL);
}
END_TEST

/* Ticks move views (eMode, disabled, scaled legs) exactly as a fresh
 * valuation: the book's incremental figures equal model_account's. */
START_TEST(test_views_tick)
{
    struct book *b = book_new();
    char err[512];
    uint64_t st = test_seed();
    uint32_t weth, wst;

    ck_assert_msg(portfolio_load(b, "tests/fixtures/aave3_state.json", NULL,
                                 err, sizeof err) == 0,
                  "%s", err);
    book_update(b);
    ck_assert_int_eq(book_symbol_find(b, "WETH", 4, &weth), 0);
    ck_assert_int_eq(book_symbol_find(b, "wstETH", 6, &wst), 0);
    for (int n = 0; n < 200; n++) {
        uint32_t sym = n % 2 ? weth : wst;
        struct u256 p = u256_from_u64(test_rand_range(&st, 2000, 5000));

        (void)u256_mul(&p, p, u256_exp10(18));
        (void)u256_add(&p, p, u256_from_u64(test_rand(&st) % WAD));
        ck_assert_int_eq(book_price_set(b, sym, p, n + 1), 0);
        book_update(b);
        for (uint32_t i = 0; i < book_position_count(b); i++) {
            struct position pos;
            struct u256 price[MARKET_ASSETS_MAX];
            struct account got, want;

            book_position_get(b, i, &pos);
            book_prices_base(b, pos.market, price, NULL);
            ck_assert(book_read_account(b, i, &got));
            ck_assert_int_eq(
                model_account(book_market(b, pos.market), &pos, price, &want),
                0);
            TEST_U256_EQ(got.hf, want.hf);
            TEST_U256_EQ(got.coll_value, want.coll_value);
            TEST_U256_EQ(got.debt_value, want.debt_value);
        }
    }
    book_free(b);
}
END_TEST

/*
 * A collateral enabled with a threshold of 0: before 3.6 GenericLogic
 * leaves it out and it cannot be seized; from 3.6 it counts in the
 * collateral value (not in the health factor) and can be seized. 10 WETH
 * at 2000 (LT 0.825) and 1000 USDC (LT 0) against 17,000 USDT: HF
 * floor(wadDiv(2e12 x 8250, 1.7e12) / 1e4) = 970588235294117647 both ways;
 * collateral value 2e12, or 2.1e12 from 3.6.
 */
START_TEST(test_lt_zero_collateral)
{
    static const char *const fmt =
        "{'markets': [{'id': 'm', 'model': 'aave-v3', 'version': '%s',"
        " 'assets': [{'symbol': 'WETH', 'decimals': 18,"
        " 'liquidation_threshold': '0.825', 'liquidation_bonus': '0.05'},"
        " {'symbol': 'USDC', 'decimals': 6, 'liquidation_threshold': '0',"
        " 'liquidation_bonus': '0.05'},"
        " {'symbol': 'USDT', 'decimals': 6, 'liquidation_threshold': '0.78',"
        " 'liquidation_bonus': '0.045'}]}],"
        " 'prices': {'WETH': '2000', 'USDC': '1', 'USDT': '1'},"
        " 'positions': [{'id': 'a', 'market': 'm',"
        " 'collateral': {'WETH': '10', 'USDC': '1000'},"
        " 'debt': {'USDT': '17000'}}]}";
    static const char *const versions[] = {"3.5", "3.6"};

    for (int k = 0; k < 2; k++) {
        char json[2048];
        struct book *b;
        struct position p;
        struct u256 price[MARKET_ASSETS_MAX];
        struct account a;
        struct liq_call c;
        struct liq_result r;

        snprintf(json, sizeof json, fmt, versions[k]);
        b = jsonbook_load(json);
        book_position_get(b, 0, &p);
        book_prices_base(b, 0, price, NULL);
        ck_assert(book_read_account(b, 0, &a));
        TEST_U256_EQ(a.hf, test_u256("970588235294117647"));
        TEST_U256_EQ(a.coll_value,
                     test_u256(k == 0 ? "2000000000000" : "2100000000000"));
        memset(&c, 0, sizeof c);
        c.max = true;
        c.coll = 1;
        ck_assert_int_eq(model_liquidate(book_market(b, 0), &p, price, &c, &r),
                         0);
        ck_assert_int_eq(r.revert,
                         k == 0 ? REVERT_COLLATERAL_NOT_ENABLED : REVERT_NONE);
        book_free(b);
    }
}
END_TEST

static Suite *
suite(void)
{
    Suite *s = suite_create("aave3_state");
    TCase *tc = tcase_create("emode");

    tcase_add_test(tc, test_emode_loop_37);
    tcase_add_test(tc, test_emode_loop_30);
    tcase_add_test(tc, test_emode_bonus_37);
    tcase_add_test(tc, test_collateral_disabled);
    tcase_add_test(tc, test_emode_price_source);
    tcase_add_test(tc, test_view_rules);
    tcase_add_test(tc, test_views_tick);
    tcase_add_test(tc, test_lt_zero_collateral);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    return test_run(suite());
}
