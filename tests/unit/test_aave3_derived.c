/*
 * test_aave3_derived.c: what the searches built on a model make of Aave v3
 * state (design.md 3.1, 4.1): preview's reason for a liquidatable position
 * behind a gate, and the liquidation price and shock of a user whose eMode
 * category has a price source (before 3.2), which prices every asset of
 * the category, collateral and debt, for that user
 * (GenericLogic.calculateUserAccountData of 3.0 and 3.1). The model's own
 * figures are held by test_aave3_state.c; the figures here are derived
 * beside each case.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/portfolio.h"
#include "core/book.h"
#include "core/liq.h"
#include "core/liqprice.h"
#include "core/model.h"
#include "core/preview.h"
#include "core/stress.h"
#include "tests/common/jsonbook.h"
#include "tests/common/testutil.h"

/* Position id of b, its market (a view where it has one) and prices in
 * base units. */
static void
pos_of(struct book *b, const char *id, struct position *p,
       const struct market **m, struct u256 *price)
{
    uint32_t idx;

    ck_assert_int_eq(book_position_find(b, id, strlen(id), &idx), 0);
    book_position_get(b, idx, p);
    *m = book_market(b, p->market);
    book_prices_base(b, p->market, price, NULL);
}

/* ---- a gate ---- */

/* 10 WETH at 2000 (LT 0.825) against `usdc` USDC; the WETH reserve's
 * grace period until `until` (as_of 1733000000). 17,000 USDC: HF
 * floor(wadDiv(2e12 x 8250, 1.7e12) / 1e4) = 0.970588235294117647. */
static struct book *
grace_book(const char *version, const char *until, const char *usdc)
{
    char json[2048];

    snprintf(json, sizeof json,
             "{'as_of': 1733000000, 'markets': [{'id': 'm', 'model': "
             "'aave-v3', 'version': '%s', 'assets': ["
             "{'symbol': 'WETH', 'decimals': 18, 'ltv': '0.80',"
             " 'liquidation_threshold': '0.825', 'liquidation_bonus': '0.05',"
             " 'protocol_fee': '0.10', 'liquidation_grace_until': %s},"
             "{'symbol': 'USDC', 'decimals': 6, 'ltv': '0.75',"
             " 'liquidation_threshold': '0.78', 'liquidation_bonus': '0.045',"
             " 'protocol_fee': '0.10'}]}],"
             " 'prices': {'WETH': '2000', 'USDC': '1'},"
             " 'positions': [{'id': 'a', 'market': 'm',"
             " 'collateral': {'WETH': '10'}, 'debt': {'USDC': '%s'}}]}",
             version, until, usdc);
    return jsonbook_load(json);
}

static void
grace_preview(struct book *b, struct preview *pv)
{
    struct position p;
    const struct market *m;
    struct u256 price[MARKET_ASSETS_MAX];
    struct preview_req req = {.debt = -1, .coll = -1};

    pos_of(b, "a", &p, &m, price);
    ck_assert_int_eq(preview_compute(m, &p, price, &req, pv), 0);
    book_free(b);
}

/* Liquidatable, yet the grace period refuses every call: no call reaches
 * the target, and the reason is that the contract accepts none now, not
 * that the position is not liquidatable; a second after the grace period
 * the least call is found. */
START_TEST(test_gate_reason)
{
    struct preview pv;

    grace_preview(grace_book("3.1", "1733000000", "17000"), &pv);
    ck_assert(pv.before.liquidatable);
    ck_assert(!pv.has_to_target);
    ck_assert_int_eq(pv.call.revert, REVERT_GRACE_PERIOD);
    ck_assert_int_eq(pv.reason, REASON_BLOCKED);
    ck_assert_str_eq(preview_reason_text(pv.reason),
                     "no call is accepted now (reverts says why)");
    grace_preview(grace_book("3.1", "1732999999", "17000"), &pv);
    ck_assert(pv.has_to_target);
    ck_assert_int_eq(pv.reason, REASON_NONE);
    /* healthy (HF 1.03125): the reason stays its own */
    grace_preview(grace_book("3.3", "1733000000", "16000"), &pv);
    ck_assert_int_eq(pv.reason, REASON_ALREADY_AT_TARGET);
}
END_TEST

/* ---- an eMode price source ---- */

/*
 * Aave 3.0, category 1 (LT 0.955) priced by ETH at 2000.5; WETH and
 * wstETH name it. "both" holds 5 wstETH and 5 WETH against 15,000 USDC
 * (its own price): at ETH price E (8 decimals) its collateral is 10 E,
 * avgLT 9550, and HF = wadDiv(percentMul(10 E, 9550), 15000e8), below 1
 * while floor((95500 E + 5000) / 1e4) < 15000e8, i.e. up to E =
 * 157068062827 (1570.68062827). Moving wstETH's leg alone, WETH's held at
 * 2000.5, would say 1140.86, a price at which nothing happens. "ratio"
 * holds 10 wstETH against 8.5 WETH, both priced by ETH: its health is
 * their ratio (1.123...), which no price moves: no liquidation price and
 * no shock (its collateral's price is owed too).
 */
static const char *const source_book =
    "{'markets': [{'id': 'aave', 'model': 'aave-v3', 'version': '3.0',"
    " 'emode_categories': [{'id': 1, 'label': 'ETH correlated',"
    " 'ltv': '0.935', 'liquidation_threshold': '0.955',"
    " 'liquidation_bonus': '0.01', 'price_source': 'ETH'}],"
    " 'assets': ["
    "{'symbol': 'WETH', 'decimals': 18, 'ltv': '0.80',"
    " 'liquidation_threshold': '0.83', 'liquidation_bonus': '0.05',"
    " 'protocol_fee': '0.10', 'emode_category': 1},"
    "{'symbol': 'wstETH', 'decimals': 18, 'ltv': '0.785',"
    " 'liquidation_threshold': '0.81', 'liquidation_bonus': '0.06',"
    " 'protocol_fee': '0.10', 'emode_category': 1},"
    "{'symbol': 'USDC', 'decimals': 6, 'ltv': '0.75',"
    " 'liquidation_threshold': '0.78', 'liquidation_bonus': '0.045',"
    " 'protocol_fee': '0.10'}]}],"
    " 'prices': {'WETH': '3400.12345678', 'wstETH': '4120.56789012',"
    " 'USDC': '1', 'ETH': '2000.5'},"
    " 'positions': ["
    "{'id': 'both', 'market': 'aave', 'emode': 1,"
    " 'collateral': {'wstETH': '5', 'WETH': '5'}, 'debt': {'USDC': '15000'}},"
    "{'id': 'ratio', 'market': 'aave', 'emode': 1,"
    " 'collateral': {'wstETH': '10'}, 'debt': {'WETH': '8.5'}}]}";

/* every asset the source prices at x */
static void
source_at(const struct market *m, struct u256 *price, const char *x)
{
    for (unsigned i = 0; i < m->nassets; i++)
        if (m->assets[i].repriced)
            price[i] = test_u256(x);
}

START_TEST(test_price_source_liqprice)
{
    struct book *b = jsonbook_load(source_book);
    struct position p;
    const struct market *m;
    struct u256 price[MARKET_ASSETS_MAX], lp, e18[MARKET_ASSETS_MAX];
    struct account a;
    bool exists;
    uint32_t bps, g;

    pos_of(b, "both", &p, &m, price);
    for (int k = 0; k < p.ncoll; k++) {
        ck_assert_int_eq(
            liqprice_compute(m, &p, price, p.coll[k].asset, &exists, &lp), 0);
        ck_assert(exists);
        TEST_U256_EQ(lp, test_u256("157068062827"));
    }
    /* the model's own verdict there and one unit above */
    source_at(m, price, "157068062827");
    ck_assert_int_eq(model_account(m, &p, price, &a), 0);
    ck_assert(a.liquidatable);
    source_at(m, price, "157068062828");
    ck_assert_int_eq(model_account(m, &p, price, &a), 0);
    ck_assert(!a.liquidatable);
    /* its collateral outside its debt's price: a shock exists */
    pos_of(b, "both", &p, &m, price);
    g = stress_default_group(m, &p);
    ck_assert_uint_ne(g, 0);
    for (unsigned i = 0; i < m->nassets; i++)
        ck_assert_int_eq(u256_muldiv(&e18[i], price[i],
                                     u256_exp10(18 - m->base_decimals),
                                     u256_from_u64(1), U256_FLOOR),
                         0);
    ck_assert_int_eq(stress_liquidation_shock(m, &p, e18, g, &exists, &bps), 0);
    /* 2000.5 x (1 - f) at or below 1570.68062827: f >= 21.49 % */
    ck_assert(exists);
    ck_assert_uint_eq(bps, 2149);

    pos_of(b, "ratio", &p, &m, price);
    ck_assert_int_eq(
        liqprice_compute(m, &p, price, p.coll[0].asset, &exists, &lp), 0);
    ck_assert(!exists);
    ck_assert_uint_eq(stress_default_group(m, &p), 0);
    book_free(b);
}
END_TEST

int
main(void)
{
    Suite *s = suite_create("aave3_derived");
    TCase *tc = tcase_create("derived");

    tcase_add_test(tc, test_gate_reason);
    tcase_add_test(tc, test_price_source_liqprice);
    suite_add_tcase(s, tc);
    return test_run(s);
}
