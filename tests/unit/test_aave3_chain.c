/*
 * test_aave3_chain.c: Aave v3 calls on stored state whose figures came
 * from the deployed pools (tests/contracts, LIQ_CONTRACTS_STATE=1: v3.6
 * from @aave-dao/aave-v3-origin 3.6.0, v3.0.2 from @aave/core-v3 1.19.3 on
 * anvil), each a position where liqtop once disagreed with the pool, the
 * portfolio as the harness read it from the chain, the expected amounts
 * the pool's LiquidationCall event, the fee's aToken Transfer and
 * getUserAccountData after the call.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/portfolio.h"
#include "core/book.h"
#include "core/liq.h"
#include "core/model.h"
#include "tests/common/jsonbook.h"
#include "tests/common/testutil.h"

/* Position 0's call on collateral asset ca against debt asset da (market
 * asset indexes), max or a repay of `repay` raw units. */
static void
call_of(struct book *b, int ca, int da, const char *repay, struct liq_result *r)
{
    struct position p;
    struct u256 price[MARKET_ASSETS_MAX];
    const struct market *m;
    struct liq_call c;

    book_position_get(b, 0, &p);
    m = book_market(b, p.market);
    book_prices_base(b, p.market, price, NULL);
    memset(&c, 0, sizeof c);
    c.coll = c.debt = 0xff;
    for (int i = 0; i < p.ncoll; i++)
        if (p.coll[i].asset == ca)
            c.coll = (uint8_t)i;
    for (int i = 0; i < p.ndebt; i++)
        if (p.debt[i].asset == da)
            c.debt = (uint8_t)i;
    ck_assert(c.coll != 0xff && c.debt != 0xff);
    c.max = repay == NULL;
    if (repay != NULL)
        c.repay = test_u256(repay);
    ck_assert_int_eq(model_liquidate(m, &p, price, &c, r), 0);
}

/*
 * v3.6, seed 1 case 35: D18 collateral (liquidity index
 * 1.000000000040221231652427707, fee 4.84 %) capped at the borrower's
 * whole balance. The liquidator's part burns ceil(part / index) scaled
 * units; the fee's transfer, ceil(fee / index), is then one more than
 * what is left, so the pool lowers the fee to getATokenBalance(left)
 * (LiquidationLogic: "to avoid trying to send more aTokens than
 * available"): fee 1162.710373000945362134 (uncut ...135), seized
 * 192368.713076062632887512 (...513).
 */
static const char case36_35[] =
    "{'as_of': 1772899136, 'markets': [{'id': 'aave', 'model': 'aave-v3',"
    " 'version': '3.6', 'base_decimals': 8, 'assets': ["
    "{'symbol': 'C18', 'decimals': 18, 'ltv': '0.6825',"
    " 'liquidation_threshold': '0.7484', 'liquidation_bonus': '0.1299',"
    " 'protocol_fee': '0', 'liquidity_index': '1',"
    " 'variable_borrow_index': '1', 'liquidity_rate': '0',"
    " 'variable_borrow_rate': '0.0147', 'last_update': 1770647934},"
    "{'symbol': 'D18', 'decimals': 18, 'ltv': '0.686',"
    " 'liquidation_threshold': '0.7452', 'liquidation_bonus': '0.1427',"
    " 'protocol_fee': '0.0484',"
    " 'liquidity_index': '1.000000000040221231652427707',"
    " 'variable_borrow_index': '1.000293052678836882900808346',"
    " 'liquidity_rate': '0.00000000226542732672376015',"
    " 'variable_borrow_rate': '0.002700105355183927883090356',"
    " 'last_update': 1770647934},"
    "{'symbol': 'E6', 'decimals': 6, 'ltv': '0.6529',"
    " 'liquidation_threshold': '0.6593', 'liquidation_bonus': '0.1421',"
    " 'protocol_fee': '0',"
    " 'liquidity_index': '1.000000000009405559519312692',"
    " 'variable_borrow_index': '1.001999647483437532842530721',"
    " 'liquidity_rate': '0.000000001705253185734544604',"
    " 'variable_borrow_rate': '0.018900014465969505808555364',"
    " 'last_update': 1770558825}]}],"
    " 'prices': {'C18': '0.60442057', 'D18': '0.02989603', 'E6': '1.0647781'},"
    " 'positions': [{'id': 'u', 'market': 'aave',"
    " 'scaled_collateral': {'C18': '1635223867105293526257142',"
    " 'D18': '192368713037215869128710'},"
    " 'scaled_debt': {'E6': '917499184252'}}]}";

START_TEST(test_fee_cut_to_balance)
{
    struct book *b = jsonbook_load(case36_35);
    struct liq_result r;

    for (int named = 0; named < 2; named++) {
        call_of(b, 1, 2, named ? "4726684588" : NULL, &r);
        ck_assert_int_eq(r.revert, REVERT_NONE);
        TEST_U256_EQ(r.max_repay, test_u256("4726684588"));
        TEST_U256_EQ(r.repay, test_u256("4726684588"));
        TEST_U256_EQ(r.seized, test_u256("192368713076062632887512"));
        TEST_U256_EQ(r.fee, test_u256("1162710373000945362134"));
        TEST_U256_EQ(r.to_liquidator, test_u256("191206002703061687525378"));
        TEST_U256_EQ(r.hf_after, test_u256("758480181726747302"));
    }
    book_free(b);
}
END_TEST

/*
 * v3.6, seed 1 case 2: C18 collateral of 0.001036715740125277 against
 * 217854 B8 of debt, the call capped at all of it for 6279838570 B8
 * (percentDiv up). Passed as debtToCover, 6279838570 is computed
 * uncapped: it needs 0.001036715740022155, which would leave 103122 wei
 * (worth 0 base units) and reverts MustNotLeaveDust. max_repay is the
 * least debtToCover the pool caps, 6279838571, repaying 6279838570.
 */
static const char case36_2[] =
    "{'as_of': 1776876553, 'markets': [{'id': 'aave', 'model': 'aave-v3',"
    " 'version': '3.6', 'base_decimals': 8, 'assets': ["
    "{'symbol': 'A6', 'decimals': 6, 'ltv': '0.914',"
    " 'liquidation_threshold': '0.9415', 'liquidation_bonus': '0.0315',"
    " 'protocol_fee': '0.1',"
    " 'liquidity_index': '1.000000000000009330448554167',"
    " 'variable_borrow_index': '1.00162959244697879371766101',"
    " 'liquidity_rate': '0.000000000000165875456670262',"
    " 'variable_borrow_rate': '0.02890000000011297804841239',"
    " 'last_update': 1773159637},"
    "{'symbol': 'B8', 'decimals': 8, 'ltv': '0.7578',"
    " 'liquidation_threshold': '0.8268', 'liquidation_bonus': '0.0436',"
    " 'protocol_fee': '0.1',"
    " 'liquidity_index': '1.000000000019424483529839534',"
    " 'variable_borrow_index': '1.002958589693602429214544333',"
    " 'liquidity_rate': '0.000000004216812474993183017',"
    " 'variable_borrow_rate': '0.015700007840761811587581454',"
    " 'last_update': 1773159637},"
    "{'symbol': 'C18', 'decimals': 18, 'ltv': '0.8788',"
    " 'liquidation_threshold': '0.9403', 'liquidation_bonus': '0.0257',"
    " 'protocol_fee': '0',"
    " 'liquidity_index': '1.000000000000000001354439018',"
    " 'variable_borrow_index': '1.001055161060249319202765227',"
    " 'liquidity_rate': '0.000000000000000010285317942',"
    " 'variable_borrow_rate': '0.008000000000000134298967104',"
    " 'last_update': 1771382855},"
    "{'symbol': 'D18', 'decimals': 18, 'ltv': '0.6892',"
    " 'liquidation_threshold': '0.7327', 'liquidation_bonus': '0.1196',"
    " 'protocol_fee': '0.2877', 'liquidity_index': '1',"
    " 'variable_borrow_index': '1', 'liquidity_rate': '0',"
    " 'variable_borrow_rate': '0.0123', 'last_update': 1771382855},"
    "{'symbol': 'E6', 'decimals': 6, 'ltv': '0.8116',"
    " 'liquidation_threshold': '0.8522', 'liquidation_bonus': '0.086',"
    " 'protocol_fee': '0.1362', 'liquidity_index': '1',"
    " 'variable_borrow_index': '1', 'liquidity_rate': '0',"
    " 'variable_borrow_rate': '0.0167', 'last_update': 1771382855}]}],"
    " 'prices': {'A6': '2635.9413377', 'B8': '1.23265364',"
    " 'C18': '76586.14428543', 'D18': '0.60444388', 'E6': '64.26588444'},"
    " 'positions': [{'id': 'u', 'market': 'aave',"
    " 'scaled_collateral': {'C18': '1036715740125277',"
    " 'D18': '71632365978292814113', 'E6': '7501538693'},"
    " 'scaled_debt': {'A6': '69949916', 'B8': '21681039317300'}}]}";

START_TEST(test_max_repay_least_capped)
{
    struct book *b = jsonbook_load(case36_2);
    struct liq_result r;
    const char *as[] = {NULL, "6279838571", "6279838572"};

    for (unsigned i = 0; i < sizeof as / sizeof as[0]; i++) {
        call_of(b, 2, 1, as[i], &r);
        ck_assert_int_eq(r.revert, REVERT_NONE);
        TEST_U256_EQ(r.max_repay, test_u256("6279838571"));
        TEST_U256_EQ(r.repay, test_u256("6279838570"));
        TEST_U256_EQ(r.seized, test_u256("1036715740125277"));
        TEST_U256_EQ(r.fee, test_u256("0"));
        TEST_U256_EQ(r.hf_after, test_u256("905449104974843916"));
    }
    call_of(b, 2, 1, "6279838570", &r);
    ck_assert_int_eq(r.revert, REVERT_DUST);
    TEST_U256_EQ(r.seized, test_u256("1036715740022155"));
    book_free(b);
}
END_TEST

static Suite *
suite(void)
{
    Suite *s = suite_create("aave3_chain");
    TCase *tc = tcase_create("pool");

    tcase_add_test(tc, test_fee_cut_to_balance);
    tcase_add_test(tc, test_max_repay_least_capped);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    return test_run(suite());
}
