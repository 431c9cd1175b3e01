/*
 * test_aave3_state.c: Aave v3 on-chain state (design.md 3.1): eMode in both
 * forms, disabled collaterals, the gates in the contract's order, interest
 * indexes accrued per version and scaled balances through a liquidation
 * (bad input: test_aave3_input.c).
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
#include "tests/common/testutil.h"

/* JSON written with ' for " to keep the cases readable. */
static char *
q(const char *s)
{
    char *d = strdup(s), *p;

    ck_assert_ptr_nonnull(d);
    for (p = d; *p != '\0'; p++)
        if (*p == '\'')
            *p = '"';
    return d;
}

/* s with its first `from` replaced by `to`, malloc'd. */
static char *
subst(const char *s, const char *from, const char *to)
{
    const char *at = strstr(s, from);
    size_t n = strlen(s) - strlen(from) + strlen(to) + 1;
    char *d = malloc(n);

    ck_assert_ptr_nonnull(at);
    ck_assert_ptr_nonnull(d);
    snprintf(d, n, "%.*s%s%s", (int)(at - s), s, to, at + strlen(from));
    return d;
}

static struct book *
load(const char *json)
{
    struct book *b = book_new();
    char *text = q(json), err[512];
    int rc = portfolio_load_text(b, "book.json", text, strlen(text), NULL, err,
                                 sizeof err);

    free(text);
    ck_assert_msg(rc == 0, "load failed: %s", err);
    book_update(b);
    return b;
}

/* The health factor of position id, as the book holds it. */
static struct u256
hf_of(struct book *b, const char *id)
{
    struct account a;
    uint32_t idx;

    ck_assert_int_eq(book_position_find(b, id, strlen(id), &idx), 0);
    ck_assert(book_read_account(b, idx, &a));
    return a.hf;
}

/* The liquidation of position id, largest debt against largest
 * collateral, max repay. */
static void
liq_of(struct book *b, const char *id, struct liq_result *r)
{
    struct position p;
    struct u256 price[MARKET_ASSETS_MAX];
    const struct market *m;
    struct liq_call c;
    uint32_t idx;

    ck_assert_int_eq(book_position_find(b, id, strlen(id), &idx), 0);
    book_position_get(b, idx, &p);
    m = book_market(b, p.market);
    book_prices_base(b, p.market, price, NULL);
    memset(&c, 0, sizeof c);
    c.debt = model_largest_leg(m, &p, true, price);
    c.coll = model_largest_leg(m, &p, false, price);
    c.max = true;
    ck_assert_int_eq(model_liquidate(m, &p, price, &c, r), 0);
}

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
    struct book *b = load(loop37);

    TEST_U256_EQ(hf_of(b, "loop"), test_u256("1030028098297556860"));
    TEST_U256_EQ(hf_of(b, "plain"), test_u256("873636397508922573"));
    /* USDC (LT 7800) is not in the category: 5000.5 USDC = 500050000000
     * base. HF = floor(wadDiv(41256550109262 x 9550 + 500050000000 x
     * 7800, 38251388888775) / 1e4) = 1040224826085249251. */
    TEST_U256_EQ(hf_of(b, "mixed"), test_u256("1040224826085249251"));
    /* Disabled, USDC weighs nothing: the loop's figure again. */
    TEST_U256_EQ(hf_of(b, "off"), test_u256("1030028098297556860"));
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
    struct book *b = load(loop30);

    TEST_U256_EQ(hf_of(b, "loop"), test_u256("1030028098297551371"));
    TEST_U256_EQ(hf_of(b, "plain"), test_u256("873636397508916822"));
    /* avgLT = floor((41256550109262 x 9550 + 500050000000 x 7800) /
     * 41756600109262) = 9529; percentMul(41756600109262, 9529) =
     * 39789864244116 (half-up); wadDiv = 1040220117492059767. */
    TEST_U256_EQ(hf_of(b, "mixed"), test_u256("1040220117492059767"));
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
    b = load(json);
    free(json);
    TEST_U256_EQ(hf_of(b, "loop"), test_u256("969892773997728652"));
    liq_of(b, "loop", &r);
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
    struct position p;
    struct u256 price[MARKET_ASSETS_MAX];
    struct liq_call c;
    struct liq_result r;
    const struct market *m;
    uint32_t idx;

    memcpy(strstr(json, "4120.56789012"), "3500.00000000", 13);
    b = load(json);
    free(json);
    ck_assert_int_eq(book_position_find(b, "off", 3, &idx), 0);
    book_position_get(b, idx, &p);
    m = book_market(b, p.market);
    book_prices_base(b, p.market, price, NULL);
    memset(&c, 0, sizeof c);
    c.max = true;
    c.coll = 1; /* USDC */
    ck_assert_int_eq(model_liquidate(m, &p, price, &c, &r), 0);
    ck_assert_int_eq(r.revert, REVERT_COLLATERAL_NOT_ENABLED);
    c.coll = 0; /* wstETH */
    ck_assert_int_eq(model_liquidate(m, &p, price, &c, &r), 0);
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
    char *j1 = subst(loop30, "'liquidation_bonus': '0.01'}]",
                     "'liquidation_bonus': '0.01', 'price_source': 'ETH'}]");
    char *j2 = subst(j1, "'USDC': '1'}", "'USDC': '1', 'ETH': '2000.5'}");
    struct book *b = load(j2);
    uint32_t eth;

    free(j1);
    free(j2);
    TEST_U256_EQ(hf_of(b, "loop"), test_u256("849936899853347774"));
    /* not in the category: its own prices */
    TEST_U256_EQ(hf_of(b, "plain"), test_u256("873636397508916822"));
    ck_assert_int_eq(book_symbol_find(b, "ETH", 3, &eth), 0);
    ck_assert_int_eq(
        book_price_set(b, eth, test_u256("1900123456780000000000"), 1), 0);
    book_update(b);
    TEST_U256_EQ(hf_of(b, "loop"), test_u256("849936899853395804"));
    TEST_U256_EQ(hf_of(b, "plain"), test_u256("873636397508916822"));
    /* A what-if of -5 % on ETH moves the view as that price would:
     * 1900.12345678 x 0.95 = 1805.117283941. */
    {
        struct u256 w;

        ck_assert_int_eq(book_whatif_set(b, eth, -500), 0);
        book_update(b);
        w = hf_of(b, "loop");
        ck_assert(!u256_eq(w, test_u256("849936899853395804")));
        TEST_U256_EQ(hf_of(b, "plain"), test_u256("873636397508916822"));
        book_whatif_clear(b);
        ck_assert_int_eq(
            book_price_set(b, eth, test_u256("1805117283941000000000"), 1), 0);
        book_update(b);
        TEST_U256_EQ(hf_of(b, "loop"), w);
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
        b = load(json);
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
    return load(json);
}

static enum liq_revert
gate_revert(struct book *b)
{
    struct liq_result r;

    liq_of(b, "a", &r);
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
    liq_of(b, "a", &r);
    ck_assert_int_eq(r.revert, REVERT_GRACE_PERIOD);
    book_gate_clock_set(b, 1733000011);
    liq_of(b, "a", &r);
    ck_assert_int_eq(r.revert, REVERT_NONE);
    /* a clock before as_of judges at as_of */
    book_gate_clock_set(b, 1);
    liq_of(b, "a", &r);
    ck_assert_int_eq(r.revert, REVERT_GRACE_PERIOD);
    book_free(b);
    b = gate_book("3.0", grace, "", "17000");
    ck_assert_int_eq(model_gate_next(book_market(b, 0), 1733000000),
                     1733000001);
    liq_of(b, "a", &r);
    ck_assert_int_eq(r.revert, REVERT_SENTINEL);
    book_gate_clock_set(b, 1733000001);
    liq_of(b, "a", &r);
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
    return load(json);
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
    TEST_U256_EQ(hf_of(b, "a"), test_u256(t->hf));
    liq_of(b, "a", &r);
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
    tc = tcase_create("gates");
    tcase_add_test(tc, test_gates);
    tcase_add_test(tc, test_gate_clock);
    suite_add_tcase(s, tc);
    tc = tcase_create("indexes");
    tcase_add_test(tc, test_accrue_vectors);
    tcase_add_loop_test(tc, test_scaled_liquidation, 0,
                        (int)(sizeof scaled_cases / sizeof scaled_cases[0]));
    tcase_add_test(tc, test_apply);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    return test_run(suite());
}
