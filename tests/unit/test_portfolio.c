/*
 * test_portfolio.c: the portfolio loader: every kind of bad input gives its
 * exact message and code; good files give exact values in the book; the
 * built-in demo is the same text as examples/demo.json.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/demo.h"
#include "app/portfolio.h"
#include "core/decimal.h"
#include "core/liq.h"
#include "core/model.h"
#include "tests/common/jsonbook.h"
#include "tests/common/testutil.h"

#define MARKET_AAVE                                                            \
    "{'id': 'aave-core', 'model': 'aave-v3', 'version': '3.7',"                \
    " 'base_decimals': 8, 'assets': ["                                         \
    "{'symbol': 'WETH', 'decimals': 18, 'ltv': '0.80',"                        \
    " 'liquidation_threshold': '0.825', 'liquidation_bonus': '0.05',"          \
    " 'protocol_fee': '0.10'},"                                                \
    "{'symbol': 'USDC', 'decimals': 6, 'ltv': '0.75',"                         \
    " 'liquidation_threshold': '0.78', 'liquidation_bonus': '0.045',"          \
    " 'protocol_fee': '0.10'}]}"
#define PRICES "'prices': {'WETH': '2000', 'USDC': '1'}"
#define ALICE                                                                  \
    "{'id': 'alice', 'market': 'aave-core', 'label': 'Alice main',"            \
    " 'collateral': {'WETH': '10'}, 'debt': {'USDC': '17000'}}"

struct bad_case {
    const char *name;
    const char *json; /* with ' for " */
    int code;
    const char *msg;
};

static const struct bad_case bad_cases[] = {
    {"syntax", "{'markets': [\n  {'id': 'x',,}\n]}", LIQ_EPARSE,
     "book.json:2:14: syntax error: expected a key in double quotes, "
     "found ','"},
    {"empty file", "", LIQ_EPARSE,
     "book.json:1:1: syntax error: unexpected end of input"},
    {"unterminated", "{'markets': [", LIQ_EPARSE,
     "book.json:1:14: syntax error: unexpected end of input"},
    {"trailing junk", "{}\n  x", LIQ_EPARSE,
     "book.json:2:3: syntax error: unexpected 'x' after the end of the "
     "document"},
    {"trailing comma", "{'markets': [1,\n  ]}", LIQ_EPARSE,
     "book.json:2:3: syntax error: expected a value (string, number, "
     "object, array, true, false or null), found ']'"},
    {"missing colon", "{'markets' []}", LIQ_EPARSE,
     "book.json:1:12: syntax error: expected ':' after the key, found '['"},
    {"bad literal", "{'markets': tru}", LIQ_EPARSE,
     "book.json:1:13: syntax error: not a value (expected true?)"},
    {"bad escape", "{'markets': '\\q'}", LIQ_EPARSE,
     "book.json:1:15: syntax error: expected an escape (\\\" \\\\ \\/ "
     "\\b \\f \\n \\r \\t \\uXXXX), found 'q'"},
    {"control character in a label",
     "{'markets': [" MARKET_AAVE "], 'positions': [{'id': 'a', 'market': "
     "'aave-core', 'label': 'a\tb'}]}",
     LIQ_EINVAL, "book.json: positions[0].label: holds a control character"},
    {"columns count characters", "{'label': '\xc3\xa9\xc3\xa9', x}", LIQ_EPARSE,
     "book.json:1:17: syntax error: expected a key in double quotes, found "
     "'x'"},
    {"not an object", "[1, 2]", LIQ_EINVAL,
     "book.json: expected an object with \"markets\", \"prices\" and "
     "\"positions\""},
    {"no markets", "{'positions': []}", LIQ_EINVAL,
     "book.json: markets: missing"},
    {"unknown top key", "{'markets': [" MARKET_AAVE "], 'prises': {}}",
     LIQ_EINVAL, "book.json: prises: unknown key"},
    {"unknown model",
     "{'markets': [{'id': 'm', 'model': 'aave-v9', 'assets': []}]}", LIQ_ENOENT,
     "book.json: markets[0].model: unknown model \"aave-v9\" (known: "
     "aave-v3, aave-v4, compound-v2, morpho-blue)"},
    {"bad version",
     "{'markets': [{'id': 'm', 'model': 'aave-v3', 'version': '3.9',"
     " 'assets': []}]}",
     LIQ_ERANGE,
     "book.json: markets[0].version: \"3.9\" is not a version of aave-v3 "
     "(3.0 to 3.7)"},
    {"unknown asset key",
     "{'markets': [{'id': 'm', 'model': 'aave-v3', 'assets': [{'symbol': "
     "'WETH', 'decimals': 18, 'liquidation_treshold': '0.8'}]}]}",
     LIQ_EINVAL,
     "book.json: markets[0].assets[0].liquidation_treshold: "
     "unknown key"},
    {"missing threshold",
     "{'markets': [" MARKET_AAVE ", {'id': 'm2', 'model': 'aave-v3', "
     "'assets': [{'symbol': 'WETH', 'decimals': 18},{'symbol': 'USDC', "
     "'decimals': 6, 'liquidation_threshold': '0.82501', "
     "'liquidation_bonus': '0.05'}]}]}",
     LIQ_EINVAL,
     "book.json: markets[1].assets[0].liquidation_threshold: missing"},
    {"ratio finer than bps",
     "{'markets': [{'id': 'm', 'model': 'aave-v3', 'assets': [{'symbol': "
     "'WETH', 'decimals': 18, 'liquidation_threshold': '0.8', "
     "'liquidation_bonus': '0.05'}, {'symbol': 'USDC', 'decimals': 6, "
     "'liquidation_threshold': '0.82501', 'liquidation_bonus': '0.05'}]}]}",
     LIQ_EPRECISION,
     "book.json: markets[0].assets[1].liquidation_threshold: 0.82501 has "
     "more places than bps hold"},
    {"ratio finer than WAD",
     "{'markets': [{'id': 'c', 'model': 'compound-v2', 'assets': "
     "[{'symbol': 'WETH', 'decimals': 18, 'liquidation_threshold': "
     "'0.8250000000000000001'}]}]}",
     LIQ_EPRECISION,
     "book.json: markets[0].assets[0].liquidation_threshold: "
     "0.8250000000000000001 has more places than WAD holds"},
    {"negative ratio",
     "{'markets': [{'id': 'm', 'model': 'aave-v3', 'assets': [{'symbol': "
     "'WETH', 'decimals': 18, 'liquidation_threshold': '-0.8', "
     "'liquidation_bonus': '0.05'}]}]}",
     LIQ_ERANGE,
     "book.json: markets[0].assets[0].liquidation_threshold: negative ratio "
     "\"-0.8\""},
    {"missing bonus",
     "{'markets': [{'id': 'm', 'model': 'aave-v3', 'assets': [{'symbol': "
     "'WETH', 'decimals': 18, 'liquidation_threshold': '0.8'}]}]}",
     LIQ_EINVAL, "book.json: markets[0].assets[0].liquidation_bonus: missing"},
    {"unknown param",
     "{'markets': [{'id': 'm', 'model': 'aave-v3', 'params': "
     "{'close_factor': '0.5'}, 'assets': []}]}",
     LIQ_EINVAL, "book.json: markets[0].params.close_factor: unknown key"},
    {"decimals past 77",
     "{'markets': [{'id': 'm', 'model': 'aave-v3', 'assets': [{'symbol': "
     "'WETH', 'decimals': 78}]}]}",
     LIQ_ERANGE,
     "book.json: markets[0].assets[0].decimals: \"78\" is out of range (0 to "
     "77)"},
    {"symbol twice",
     "{'markets': [{'id': 'm', 'model': 'aave-v3', 'assets': [{'symbol': "
     "'WETH', 'decimals': 18, 'liquidation_threshold': '0.8', "
     "'liquidation_bonus': '0.05'}, {'symbol': 'WETH', 'decimals': 18}]}]}",
     LIQ_EDUP,
     "book.json: markets[0].assets[1].symbol: WETH listed twice in market m"},
    {"duplicate market",
     "{'markets': [" MARKET_AAVE ", " MARKET_AAVE "], " PRICES
     ", 'positions': [" ALICE "]}",
     LIQ_EDUP, "book.json: markets[1].id: duplicate market id \"aave-core\""},
    {"no positions",
     "{'markets': [" MARKET_AAVE "], " PRICES ", 'positions': []}", LIQ_EINVAL,
     "book.json: no positions"},
    {"unknown market",
     "{'markets': [" MARKET_AAVE "], 'positions': [{'id': 'a', 'market': "
     "'nope'}]}",
     LIQ_ENOENT, "book.json: positions[0].market: unknown market \"nope\""},
    {"unknown asset in position",
     "{'markets': [" MARKET_AAVE "], 'positions': [{'id': 'a', 'market': "
     "'aave-core', 'collateral': {'FOO': '1'}}]}",
     LIQ_ENOENT,
     "book.json: positions[0].collateral.FOO: asset not listed in market "
     "aave-core"},
    {"duplicate position id",
     "{'markets': [" MARKET_AAVE "], 'positions': [" ALICE ", " ALICE ", " ALICE
     ", {'id': 'd', 'market': 'aave-core', 'debt': {'USDC': "
     "'-5'}}]}",
     LIQ_EDUP, "book.json: positions[1].id: duplicate position id \"alice\""},
    {"negative amount",
     "{'markets': [" MARKET_AAVE "], 'positions': [" ALICE
     ", {'id': 'b', 'market': 'aave-core'}, {'id': 'c', 'market': "
     "'aave-core'}, {'id': 'd', 'market': 'aave-core', 'debt': {'USDC': "
     "'-5'}}]}",
     LIQ_ERANGE, "book.json: positions[3].debt.USDC: negative amount"},
    {"negative number amount",
     "{'markets': [" MARKET_AAVE "], 'positions': [{'id': 'd', 'market': "
     "'aave-core', 'debt': {'USDC': -5}}]}",
     LIQ_ERANGE, "book.json: positions[0].debt.USDC: negative amount"},
    {"non-numeric amount",
     "{'markets': [" MARKET_AAVE "], 'positions': [{'id': 'd', 'market': "
     "'aave-core', 'debt': {'USDC': 'lots'}}]}",
     LIQ_EPARSE,
     "book.json: positions[0].debt.USDC: \"lots\" is not an "
     "amount"},
    {"amount of the wrong type",
     "{'markets': [" MARKET_AAVE "], 'positions': [{'id': 'd', 'market': "
     "'aave-core', 'debt': {'USDC': true}}]}",
     LIQ_EINVAL,
     "book.json: positions[0].debt.USDC: expected an amount as a "
     "string (\"10.5\")"},
    {"amount finer than the token",
     "{'markets': [" MARKET_AAVE "], 'positions': [{'id': 'd', 'market': "
     "'aave-core', 'debt': {'USDC': '1.0000001'}}]}",
     LIQ_EPRECISION,
     "book.json: positions[0].debt.USDC: 1.0000001 has more "
     "places than USDC holds (6 decimals)"},
    {"amount past 2^256",
     "{'markets': [" MARKET_AAVE "], 'positions': [{'id': 'd', 'market': "
     "'aave-core', 'debt': {'USDC': "
     "'115792089237316195423570985008687907853269984665640564039457584007913129"
     "."
     "639936'}}]}",
     LIQ_EOVERFLOW,
     "book.json: positions[0].debt.USDC: amount too large "
     "(more than 2^256-1 raw units)"},
    {"asset twice in a position",
     "{'markets': [" MARKET_AAVE "], 'positions': [{'id': 'd', 'market': "
     "'aave-core', 'debt': {'USDC': '1', 'USDC': '2'}}]}",
     LIQ_EDUP, "book.json: positions[0].debt.USDC: listed twice"},
    {"missing id",
     "{'markets': [" MARKET_AAVE "], 'positions': [{'market': "
     "'aave-core'}]}",
     LIQ_EINVAL, "book.json: positions[0].id: missing"},
    {"unknown position key",
     "{'markets': [" MARKET_AAVE "], 'positions': [{'id': 'a', 'market': "
     "'aave-core', 'colateral': {}}]}",
     LIQ_EINVAL, "book.json: positions[0].colateral: unknown key"},
    {"negative price",
     "{'markets': [" MARKET_AAVE "], 'prices': {'WETH': '-2000'}, "
     "'positions': [" ALICE "]}",
     LIQ_ERANGE, "book.json: prices.WETH: negative price"},
};

static void
load_text(struct book *b, const char *json, int *rc, char *err, size_t cap)
{
    char *text = jsonbook_q(json);

    err[0] = '\0';
    *rc =
        portfolio_load_text(b, "book.json", text, strlen(text), NULL, err, cap);
    free(text);
}

START_TEST(test_bad_input)
{
    const struct bad_case *c = &bad_cases[_i];
    struct book *b = book_new();
    char err[512];
    int rc;

    load_text(b, c->json, &rc, err, sizeof err);
    ck_assert_msg(rc == c->code, "%s: code %d, want %d (%s)", c->name, rc,
                  c->code, err);
    ck_assert_msg(strcmp(err, c->msg) == 0, "%s:\n got '%s'\nwant '%s'",
                  c->name, err, c->msg);
    book_free(b);
}
END_TEST

/* A market the core rejects: its message comes back under markets[i]. */
START_TEST(test_market_validate_prefix)
{
    struct book *b = book_new();
    char err[512];
    int rc;

    load_text(b,
              "{'markets': [" MARKET_AAVE ", {'id': 'm', 'model': 'aave-v3', "
              "'assets': [{'symbol': 'WETH', 'decimals': 18, "
              "'liquidation_threshold': '1.5', 'liquidation_bonus': "
              "'0.05'}]}]}",
              &rc, err, sizeof err);
    ck_assert_int_lt(rc, 0);
    ck_assert_msg(strncmp(err, "book.json: markets[1].", 22) == 0, "%s", err);
    ck_assert_msg(strstr(err, "liquidation_threshold") != NULL ||
                      strstr(err, "lt") != NULL,
                  "%s", err);
    book_free(b);
}
END_TEST

START_TEST(test_good_values)
{
    struct book *b = book_new();
    const struct market *m;
    struct position p;
    struct u256 price;
    uint32_t idx, sym;
    char err[512];
    int rc;

    load_text(b,
              "{'_comment': 'ignored', 'markets': [" MARKET_AAVE "], " PRICES
              ", 'positions': [" ALICE ", {'id': 'bob', 'market': "
              "'aave-core', 'collateral': {'WETH': 10.5, 'USDC': 0.1}, "
              "'debt': {'USDC': '1e3'}}]}",
              &rc, err, sizeof err);
    ck_assert_msg(rc == 0, "%s", err);
    ck_assert_uint_eq(book_market_count(b), 1);
    m = book_market(b, 0);
    ck_assert_str_eq(m->id, "aave-core");
    ck_assert_int_eq(m->model, MODEL_AAVE_V3);
    ck_assert_uint_eq(m->version, 307);
    ck_assert_uint_eq(m->base_decimals, 8);
    ck_assert_uint_eq(m->nassets, 2);
    ck_assert_uint_eq(m->assets[0].decimals, 18);
    ck_assert_uint_eq(m->assets[0].ltv, 8000);
    ck_assert_uint_eq(m->assets[0].lt, 8250);
    ck_assert_uint_eq(m->assets[0].bonus, 500);
    ck_assert_uint_eq(m->assets[0].fee, 1000);
    ck_assert_uint_eq(m->assets[1].lt, 7800);
    ck_assert_uint_eq(m->assets[1].bonus, 450);
    ck_assert_str_eq(book_symbol_name(b, m->assets[1].sym), "USDC");

    ck_assert_uint_eq(book_position_count(b), 2);
    ck_assert_int_eq(book_position_find(b, "alice", 5, &idx), 0);
    book_position_get(b, idx, &p);
    ck_assert_str_eq(p.label, "Alice main");
    ck_assert_uint_eq(p.ncoll, 1);
    ck_assert_uint_eq(p.ndebt, 1);
    ck_assert_uint_eq(p.coll[0].asset, 0);
    TEST_U256_EQ(p.coll[0].amount, test_u256("10000000000000000000"));
    ck_assert_uint_eq(p.debt[0].asset, 1);
    TEST_U256_EQ(p.debt[0].amount, test_u256("17000000000"));

    /* JSON numbers read through their shortest form: 10.5, 0.1, 1e3. */
    ck_assert_int_eq(book_position_find(b, "bob", 3, &idx), 0);
    book_position_get(b, idx, &p);
    ck_assert_str_eq(p.label, "");
    ck_assert_uint_eq(p.ncoll, 2);
    TEST_U256_EQ(p.coll[0].amount, test_u256("10500000000000000000"));
    TEST_U256_EQ(p.coll[1].amount, test_u256("100000"));
    TEST_U256_EQ(p.debt[0].amount, test_u256("1000000000"));

    ck_assert_int_eq(book_symbol_find(b, "WETH", 4, &sym), 0);
    ck_assert(book_price_get(b, sym, &price, NULL));
    TEST_U256_EQ(price, test_u256("2000000000000000000000"));
    ck_assert_int_eq(portfolio_check_prices(b, err, sizeof err), 0);
    book_free(b);
}
END_TEST

/* A byte order mark before the document is skipped. */
START_TEST(test_byte_order_mark)
{
    struct book *b = book_new();
    char err[512];
    int rc;

    load_text(b,
              "\xef\xbb\xbf{'markets': [" MARKET_AAVE "], " PRICES
              ", 'positions': [" ALICE "]}",
              &rc, err, sizeof err);
    ck_assert_msg(rc == 0, "%s", err);
    ck_assert_uint_eq(book_position_count(b), 1);
    book_free(b);
}
END_TEST

START_TEST(test_number_ratios_and_params)
{
    struct book *b = book_new();
    const struct market *m;
    char err[512];
    int rc;

    load_text(b,
              "{'markets': [{'id': 'c', 'model': 'compound-v2', 'params': "
              "{'close_factor': '0.5', 'liquidation_incentive': 1.08, "
              "'protocol_seize_share': '0.028'}, 'assets': [{'symbol': "
              "'WETH', 'decimals': '18', 'liquidation_threshold': 0.825}, "
              "{'symbol': 'USDC', 'decimals': 6, 'liquidation_threshold': "
              "'0.855'}]}, {'id': 'v4', 'model': 'aave-v4', 'params': "
              "{'target_health_factor': '1.05', "
              "'health_factor_for_max_bonus': '0.9', "
              "'liquidation_bonus_factor': '0.5'}, 'assets': [{'symbol': "
              "'WETH', 'decimals': 18, 'liquidation_threshold': '0.80', "
              "'liquidation_bonus': '0.06', 'protocol_fee': '0.1'}]}], "
              "'positions': [{'id': 'x', 'market': 'c', 'collateral': "
              "{'WETH': '1'}}]}",
              &rc, err, sizeof err);
    ck_assert_msg(rc == 0, "%s", err);
    m = book_market(b, 0);
    ck_assert_uint_eq(m->params.close_factor, 500000000000000000ULL);
    ck_assert_uint_eq(m->params.liquidation_incentive, 1080000000000000000ULL);
    ck_assert_uint_eq(m->params.protocol_seize_share, 28000000000000000ULL);
    ck_assert_uint_eq(m->assets[0].lt, 825000000000000000ULL);
    ck_assert_uint_eq(m->assets[1].lt, 855000000000000000ULL);
    m = book_market(b, 1);
    ck_assert_uint_eq(m->params.target_health_factor, 1050000000000000000ULL);
    ck_assert_uint_eq(m->params.health_factor_for_max_bonus,
                      900000000000000000ULL);
    ck_assert_uint_eq(m->params.liquidation_bonus_factor, 5000);
    ck_assert_uint_eq(m->assets[0].lt, 8000);
    ck_assert_uint_eq(m->assets[0].bonus, 600);
    ck_assert_uint_eq(m->assets[0].fee, 1000);
    book_free(b);
}
END_TEST

/* A 0-decimal and a 36-decimal token load exactly. */
START_TEST(test_extreme_decimals)
{
    struct book *b = book_new();
    struct position p;
    uint32_t idx;
    char err[512];
    int rc;

    load_text(b,
              "{'markets': [{'id': 'm', 'model': 'aave-v3', 'assets': "
              "[{'symbol': 'WHOLE', 'decimals': 0, 'liquidation_threshold': "
              "'0.8', 'liquidation_bonus': '0.05'}, {'symbol': 'FINE', "
              "'decimals': 36, 'liquidation_threshold': '0.8', "
              "'liquidation_bonus': '0.05'}]}], 'prices': {'WHOLE': '3', "
              "'FINE': '0.5'}, 'positions': [{'id': 'x', 'market': 'm', "
              "'collateral': {'WHOLE': '7'}, 'debt': {'FINE': "
              "'1.000000000000000000000000000000000001'}}]}",
              &rc, err, sizeof err);
    ck_assert_msg(rc == 0, "%s", err);
    ck_assert_int_eq(book_position_find(b, "x", 1, &idx), 0);
    book_position_get(b, idx, &p);
    TEST_U256_EQ(p.coll[0].amount, u256_from_u64(7));
    TEST_U256_EQ(p.debt[0].amount,
                 test_u256("1000000000000000000000000000000000001"));
    book_free(b);

    b = book_new();
    load_text(b,
              "{'markets': [{'id': 'm', 'model': 'aave-v3', 'assets': "
              "[{'symbol': 'WHOLE', 'decimals': 0, 'liquidation_threshold': "
              "'0.8', 'liquidation_bonus': '0.05'}]}], 'positions': [{'id': "
              "'x', 'market': 'm', 'collateral': {'WHOLE': '7.5'}}]}",
              &rc, err, sizeof err);
    ck_assert_int_eq(rc, LIQ_EPRECISION);
    ck_assert_str_eq(err, "book.json: positions[0].collateral.WHOLE: 7.5 has "
                          "more places than WHOLE holds (0 decimals)");
    book_free(b);
}
END_TEST

START_TEST(test_missing_price)
{
    struct book *b = book_new();
    char err[512];
    int rc;

    load_text(b,
              "{'markets': [" MARKET_AAVE "], 'prices': {'WETH': '2000'}, "
              "'positions': [{'id': 'saver', 'market': 'aave-core', "
              "'collateral': {'WETH': '1'}}, " ALICE "]}",
              &rc, err, sizeof err);
    ck_assert_msg(rc == 0, "%s", err);
    rc = portfolio_check_prices(b, err, sizeof err);
    ck_assert_int_eq(rc, LIQ_ENOPRICE);
    ck_assert_str_eq(err, "position alice: no price for USDC (give it in "
                          "\"prices\" or with --price USDC=P)");
    ck_assert_int_eq(portfolio_price_arg(b, "USDC=0.9999", err, sizeof err), 0);
    ck_assert_int_eq(portfolio_check_prices(b, err, sizeof err), 0);
    book_free(b);
}
END_TEST

START_TEST(test_price_args)
{
    struct book *b = book_new();
    struct u256 price;
    uint32_t sym;
    char err[512];
    int rc;

    load_text(b,
              "{'markets': [" MARKET_AAVE "], " PRICES ", 'positions': [" ALICE
              "]}",
              &rc, err, sizeof err);
    ck_assert_msg(rc == 0, "%s", err);
    /* Finer than 18 places is cut, as an oracle answer would be. */
    ck_assert_int_eq(portfolio_price_arg(b, "WETH=1999.0000000000000000019",
                                         err, sizeof err),
                     0);
    ck_assert_int_eq(book_symbol_find(b, "WETH", 4, &sym), 0);
    ck_assert(book_price_get(b, sym, &price, NULL));
    TEST_U256_EQ(price, test_u256("1999000000000000000001"));

    ck_assert_int_eq(portfolio_price_arg(b, "FOO=1", err, sizeof err),
                     LIQ_ENOENT);
    ck_assert_str_eq(err, "--price FOO=1: FOO is not an asset of this book");
    ck_assert_int_eq(portfolio_price_arg(b, "WETH", err, sizeof err),
                     LIQ_EINVAL);
    ck_assert_str_eq(err, "--price WETH: expected SYMBOL=PRICE");
    ck_assert_int_eq(portfolio_price_arg(b, "WETH=-1", err, sizeof err),
                     LIQ_ERANGE);
    ck_assert_str_eq(err, "--price WETH=-1: negative price");
    ck_assert_int_eq(portfolio_price_arg(b, "WETH=abc", err, sizeof err),
                     LIQ_EPARSE);
    ck_assert_str_eq(err, "--price WETH=abc: not a price");
    book_free(b);
}
END_TEST

static char tmpdir[64];

static const char *
write_tmp(const char *name, const char *text)
{
    static char path[128];
    FILE *f;

    if (tmpdir[0] == '\0') {
        snprintf(tmpdir, sizeof tmpdir, "/tmp/liqtop-test-XXXXXX");
        ck_assert_ptr_nonnull(mkdtemp(tmpdir));
    }
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
    return path;
}

START_TEST(test_files_and_jsonl)
{
    struct book *b = book_new();
    char book_path[128], lines_path[128], want[256], err[512];
    char *json = jsonbook_q("{'markets': [" MARKET_AAVE "], " PRICES "}");
    char *lines =
        jsonbook_q(ALICE "\n\n   \n{'id': 'b', 'market': 'aave-core', "
                         "'debt': {'USDC': '5'}}\r\n");
    int rc;

    snprintf(book_path, sizeof book_path, "%s", write_tmp("book.json", json));
    snprintf(lines_path, sizeof lines_path, "%s",
             write_tmp("book.jsonl", lines));
    rc = portfolio_load(b, book_path, lines_path, err, sizeof err);
    ck_assert_msg(rc == 0, "%s", err);
    ck_assert_uint_eq(book_position_count(b), 2);
    book_free(b);

    /* A file alone with no positions. */
    b = book_new();
    rc = portfolio_load(b, book_path, NULL, err, sizeof err);
    ck_assert_int_eq(rc, LIQ_EINVAL);
    snprintf(want, sizeof want, "%s: no positions", book_path);
    ck_assert_str_eq(err, want);
    book_free(b);

    /* Meaning error on line 3 (after a blank line). */
    free(lines);
    lines = jsonbook_q(ALICE "\n\n{'id': 'd', 'market': 'aave-core', 'debt': "
                             "{'USDC': '-5'}}\n");
    write_tmp("book.jsonl", lines);
    b = book_new();
    rc = portfolio_load(b, book_path, lines_path, err, sizeof err);
    ck_assert_int_eq(rc, LIQ_ERANGE);
    snprintf(want, sizeof want, "%s:3: debt.USDC: negative amount", lines_path);
    ck_assert_str_eq(err, want);
    book_free(b);

    /* Syntax error on line 2, column 5. */
    free(lines);
    lines = jsonbook_q(ALICE "\n{'a'}\n");
    write_tmp("book.jsonl", lines);
    b = book_new();
    rc = portfolio_load(b, book_path, lines_path, err, sizeof err);
    ck_assert_int_eq(rc, LIQ_EPARSE);
    snprintf(want, sizeof want,
             "%s:2:5: syntax error: expected ':' after the key, "
             "found '}'",
             lines_path);
    ck_assert_str_eq(err, want);
    book_free(b);

    /* A duplicate id across the file and the lines. */
    free(lines);
    free(json);
    json = jsonbook_q("{'markets': [" MARKET_AAVE "], " PRICES
                      ", 'positions': [" ALICE "]}");
    write_tmp("book.json", json);
    lines = jsonbook_q("{'id': 'x', 'market': 'aave-core'}\n" ALICE "\n");
    write_tmp("book.jsonl", lines);
    b = book_new();
    rc = portfolio_load(b, book_path, lines_path, err, sizeof err);
    ck_assert_int_eq(rc, LIQ_EDUP);
    snprintf(want, sizeof want, "%s:2: id: duplicate position id \"alice\"",
             lines_path);
    ck_assert_str_eq(err, want);
    book_free(b);

    /* A file that is not there. */
    b = book_new();
    rc = portfolio_load(b, "/nonexistent/book.json", NULL, err, sizeof err);
    ck_assert_int_eq(rc, LIQ_EIO);
    ck_assert_str_eq(err, "/nonexistent/book.json: cannot open: No such file "
                          "or directory");
    book_free(b);
    free(lines);
    free(json);
    unlink(book_path);
    unlink(lines_path);
    rmdir(tmpdir);
}
END_TEST

/* An amount of 2^256 - 1 raw units loads exactly. */
START_TEST(test_huge_amounts)
{
    struct book *b = book_new();
    struct position p;
    uint32_t idx;
    char err[512];
    int rc;

    load_text(b,
              "{'markets': [{'id': 'm', 'model': 'aave-v3', 'assets': "
              "[{'symbol': 'WHOLE', 'decimals': 0, 'liquidation_threshold': "
              "'0.8', 'liquidation_bonus': '0.05'}]}], 'positions': [{'id': "
              "'whale', 'market': 'm', 'collateral': {'WHOLE': "
              "'115792089237316195423570985008687907853269984665640564039457"
              "584007913129639935'}}]}",
              &rc, err, sizeof err);
    ck_assert_msg(rc == 0, "%s", err);
    ck_assert_int_eq(book_position_find(b, "whale", 5, &idx), 0);
    book_position_get(b, idx, &p);
    ck_assert(u256_is_max(p.coll[0].amount));
    book_free(b);
}
END_TEST

/* Amounts near 2^256 load, and the first model step that overflows is
 * reported with the position, never wrapped. */
START_TEST(test_huge_amounts_overflow)
{
    struct book *b = book_new();
    char err[512];
    int rc;

    load_text(b,
              "{'markets': [{'id': 'm', 'model': 'aave-v3', 'assets': "
              "[{'symbol': 'WHOLE', 'decimals': 0, 'liquidation_threshold': "
              "'0.8', 'liquidation_bonus': '0.05'}, {'symbol': 'USDC', "
              "'decimals': 6, 'liquidation_threshold': '0.8', "
              "'liquidation_bonus': '0.05'}]}], 'prices': {'WHOLE': '3000', "
              "'USDC': '1'}, 'positions': [{'id': 'whale', 'market': 'm', "
              "'collateral': {'WHOLE': "
              "'115792089237316195423570985008687907853269984665640564039457"
              "584007913129639935'}, 'debt': {'USDC': '1'}}]}",
              &rc, err, sizeof err);
    ck_assert_msg(rc == 0, "%s", err);
    ck_assert_int_eq(portfolio_check_prices(b, err, sizeof err), 0);
    rc = portfolio_check_accounts(b, err, sizeof err);
    ck_assert_int_eq(rc, LIQ_EOVERFLOW);
    ck_assert_str_eq(err, "position whale: its health cannot be computed in "
                          "m (aave-v3): amounts too large (256-bit "
                          "overflow)");
    book_free(b);
}
END_TEST

START_TEST(test_demo_is_the_example)
{
    FILE *f = fopen("examples/demo.json", "rb");
    char *buf;
    size_t n, len = strlen(demo_json());
    struct book *b;
    char err[512];

    ck_assert_msg(f != NULL, "run from the top of the tree");
    buf = malloc(len + 2);
    ck_assert_ptr_nonnull(buf);
    n = fread(buf, 1, len + 1, f);
    fclose(f);
    ck_assert_msg(n == len && memcmp(buf, demo_json(), len) == 0,
                  "app/demo.c differs from examples/demo.json: run "
                  "sh examples/demo-to-c.sh");
    free(buf);

    b = book_new();
    ck_assert_msg(demo_load(b, err, sizeof err) == 0, "%s", err);
    ck_assert_uint_ge(book_market_count(b), 6);
    ck_assert_uint_ge(book_position_count(b), 12);
    ck_assert_msg(portfolio_check_prices(b, err, sizeof err) == 0, "%s", err);
    ck_assert_msg(portfolio_check_accounts(b, err, sizeof err) == 0, "%s", err);
    book_free(b);
}
END_TEST

static Suite *
portfolio_suite(void)
{
    Suite *s = suite_create("portfolio");
    TCase *tc = tcase_create("load");

    tcase_add_loop_test(tc, test_bad_input, 0,
                        (int)(sizeof bad_cases / sizeof bad_cases[0]));
    tcase_add_test(tc, test_market_validate_prefix);
    tcase_add_test(tc, test_good_values);
    tcase_add_test(tc, test_byte_order_mark);
    tcase_add_test(tc, test_number_ratios_and_params);
    tcase_add_test(tc, test_extreme_decimals);
    tcase_add_test(tc, test_missing_price);
    tcase_add_test(tc, test_price_args);
    tcase_add_test(tc, test_files_and_jsonl);
    tcase_add_test(tc, test_huge_amounts);
    tcase_add_test(tc, test_huge_amounts_overflow);
    tcase_add_test(tc, test_demo_is_the_example);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    return test_run(portfolio_suite());
}
