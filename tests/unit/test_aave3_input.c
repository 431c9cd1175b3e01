/*
 * test_aave3_input.c: bad Aave v3 state in a portfolio (design.md 3.1,
 * 7): each gives its exact message, naming the JSON path, and an error
 * code: an eMode id the market does not list, a category naming an
 * unknown asset, an index below 1 or with more than 27 places, scaled and
 * plain amounts for one asset, a grace period before 3.1, eMode written in
 * the form of the other version range, and the members outside aave-v3.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/portfolio.h"
#include "core/book.h"
#include "tests/common/jsonbook.h"
#include "tests/common/testutil.h"

static void
load_fails(const char *json, const char *msg)
{
    struct book *b = book_new();
    char *text = jsonbook_q(json), err[512];
    int rc = portfolio_load_text(b, "book.json", text, strlen(text), NULL, err,
                                 sizeof err);

    free(text);
    ck_assert_int_ne(rc, 0);
    ck_assert_str_eq(err, msg);
    book_free(b);
}

/* ---- bad input ---- */

#define BAD_MARKET(version, market_extra, weth_extra)                          \
    "{'markets': [{'id': 'm', 'model': 'aave-v3', 'version': '" version        \
    "'" market_extra ", 'assets': [{'symbol': 'WETH', 'decimals': 18,"         \
    " 'liquidation_threshold': '0.825', 'liquidation_bonus': "                 \
    "'0.05'" weth_extra "}, {'symbol': 'USDC', 'decimals': 6,"                 \
    " 'liquidation_threshold': '0.78', 'liquidation_bonus': '0.045'}]}],"
#define BAD_POS(extra)                                                         \
    " 'prices': {'WETH': '2000', 'USDC': '1'}, 'positions': [{'id': 'a',"      \
    " 'market': 'm', 'collateral': {'WETH': '10'},"                            \
    " 'debt': {'USDC': '100'}" extra "}]}"
#define CAT37                                                                  \
    ", 'emode_categories': [{'id': 1, 'liquidation_threshold': '0.93',"        \
    " 'liquidation_bonus': '0.01', 'collateral': ['WETH']}]"

struct bad_case {
    const char *json, *msg;
};

static const struct bad_case bad_cases[] = {
    {BAD_MARKET("3.7", CAT37, "") BAD_POS(", 'emode': 2"),
     "book.json: positions[0].emode: market m has no eMode category 2"},
    {BAD_MARKET("3.7",
                ", 'emode_categories': [{'id': 1, 'liquidation_threshold':"
                " '0.93', 'liquidation_bonus': '0.01', 'collateral':"
                " ['WETH', 'DAI']}]",
                "") BAD_POS(""),
     "book.json: markets[0].emode_categories[0].collateral[1]: \"DAI\" is "
     "not an asset of market m"},
    {BAD_MARKET("3.7", "", ", 'liquidity_index': '0.99'") BAD_POS(""),
     "book.json: markets[0].assets[0].liquidity_index: \"0.99\" is below 1 "
     "(an index starts at 1 and only grows)"},
    {BAD_MARKET("3.7", "",
                ", 'variable_borrow_index': "
                "'1.0000000000000000000000000001'") BAD_POS(""),
     "book.json: markets[0].assets[0].variable_borrow_index: "
     "\"1.0000000000000000000000000001\" has more than 27 places (a RAY "
     "holds 27)"},
    {BAD_MARKET("3.7", "", "") BAD_POS(", 'scaled_collateral': {'WETH': '5'}"),
     "book.json: positions[0].scaled_collateral.WETH: given both scaled and "
     "plain"},
    {BAD_MARKET("3.0", "", ", 'liquidation_grace_until': 1733000000")
         BAD_POS(""),
     "book.json: markets[0].assets[0].liquidation_grace_until: grace "
     "periods came with 3.1 (this market is 3.0)"},
    {BAD_MARKET("3.2",
                ", 'emode_categories': [{'id': 1,"
                " 'liquidation_threshold': '0.93',"
                " 'liquidation_bonus': '0.01'}]",
                ", 'emode_category': 1") BAD_POS(""),
     "book.json: markets[0].assets[0].emode_category: the form of 3.0 and "
     "3.1; from 3.2 a category lists its assets "
     "(emode_categories[].collateral)"},
    {BAD_MARKET("3.1", CAT37, "") BAD_POS(""),
     "book.json: markets[0].emode_categories[0].collateral: the form of 3.2 "
     "and later; before 3.2 an asset names its category "
     "(assets[].emode_category)"},
    {BAD_MARKET("3.1",
                ", 'emode_categories': [{'id': 1,"
                " 'liquidation_threshold': '0.93',"
                " 'liquidation_bonus': '0.01'}]",
                ", 'emode_category': 3") BAD_POS(""),
     "book.json: markets[0].assets[0].emode_category: no category 3 in "
     "emode_categories"},
    {BAD_MARKET("3.7",
                ", 'emode_categories': [{'id': 1,"
                " 'liquidation_threshold': '0.99',"
                " 'liquidation_bonus': '0.02', 'collateral': []}]",
                "") BAD_POS(""),
     "book.json: markets[0].emode_categories[0].liquidation_bonus: "
     "liquidation_threshold x (1 + bonus) must not exceed 1"},
    {BAD_MARKET("3.7", "", ", 'liquidity_rate': '0.05'") BAD_POS(""),
     "book.json: markets[0].assets[0].last_update: missing (rates accrue "
     "from it)"},
    {BAD_MARKET("3.2",
                ", 'emode_categories': [{'id': 1,"
                " 'liquidation_threshold': '0.93',"
                " 'liquidation_bonus': '0.01', 'price_source': 'ETH'}]",
                "") BAD_POS(""),
     "book.json: markets[0].emode_categories[0].price_source: eMode price "
     "sources were removed in 3.2"},
    {"{'markets': [{'id': 'm', 'model': 'compound-v2', 'assets': ["
     "{'symbol': 'WETH', 'decimals': 18, 'liquidation_threshold': '0.75'},"
     " {'symbol': 'USDC', 'decimals': 6, 'liquidation_threshold': "
     "'0.8'}]}]," BAD_POS(", 'emode': 1"),
     "book.json: positions[0].emode: only positions in aave-v3 and spark "
     "markets have "
     "it"},
    {"{'markets': [{'id': 'm', 'model': 'compound-v2',"
     " 'emode_categories': [], 'assets': ["
     "{'symbol': 'WETH', 'decimals': 18, 'liquidation_threshold': '0.75'},"
     " {'symbol': 'USDC', 'decimals': 6, 'liquidation_threshold': "
     "'0.8'}]}]," BAD_POS(""),
     "book.json: markets[0].emode_categories: only aave-v3 and spark markets "
     "have it"},
    {BAD_MARKET("3.7", "", "") BAD_POS(", 'collateral_disabled': ['USDC']"),
     "book.json: positions[0].collateral_disabled: USDC is not supplied by "
     "the position"},
};

START_TEST(test_bad_input)
{
    load_fails(bad_cases[_i].json, bad_cases[_i].msg);
}
END_TEST

static Suite *
suite(void)
{
    Suite *s = suite_create("aave3_input");
    TCase *tc = tcase_create("bad_input");

    tcase_add_loop_test(tc, test_bad_input, 0,
                        (int)(sizeof bad_cases / sizeof bad_cases[0]));
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    return test_run(suite());
}
