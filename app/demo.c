/*
 * demo.c: the built-in demo book, the same text as examples/demo.json
 * (tests/unit/test_portfolio.c keeps the two identical; after editing the
 * example, run sh examples/demo-to-c.sh).
 *
 * Owns the demo's content only; loading is portfolio.c's.
 */
#include "app/demo.h"

#include <string.h>

#include "app/portfolio.h"

/* The text is longer than the 4095 bytes C99 promises for a literal;
 * every compiler this builds with takes it. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Woverlength-strings"
/* clang-format off */
static const char demo_text[] =
    "{\n"
    "  \"_comment\": \"The liqtop demo book: eleven markets of seven protocol models, positions from safe to underwater: the lowest is one a partial call restores, then bad debt and a loop whose liquidation lowers health, which none can. Prices are in USD (base currency, 8 decimals).\",\n"
    "  \"markets\": [\n"
    "    {\"id\": \"aave-core\", \"model\": \"aave-v3\", \"version\": \"3.7\", \"base_decimals\": 8,\n"
    "     \"assets\": [\n"
    "      {\"symbol\": \"WETH\", \"decimals\": 18, \"ltv\": \"0.80\", \"liquidation_threshold\": \"0.825\", \"liquidation_bonus\": \"0.05\", \"protocol_fee\": \"0.10\"},\n"
    "      {\"symbol\": \"wstETH\", \"decimals\": 18, \"ltv\": \"0.785\", \"liquidation_threshold\": \"0.81\", \"liquidation_bonus\": \"0.06\", \"protocol_fee\": \"0.10\"},\n"
    "      {\"symbol\": \"WBTC\", \"decimals\": 8, \"ltv\": \"0.73\", \"liquidation_threshold\": \"0.78\", \"liquidation_bonus\": \"0.05\", \"protocol_fee\": \"0.10\"},\n"
    "      {\"symbol\": \"LINK\", \"decimals\": 18, \"ltv\": \"0.53\", \"liquidation_threshold\": \"0.68\", \"liquidation_bonus\": \"0.07\", \"protocol_fee\": \"0.10\"},\n"
    "      {\"symbol\": \"USDC\", \"decimals\": 6, \"ltv\": \"0.75\", \"liquidation_threshold\": \"0.78\", \"liquidation_bonus\": \"0.045\", \"protocol_fee\": \"0.10\"},\n"
    "      {\"symbol\": \"DAI\", \"decimals\": 18, \"ltv\": \"0.63\", \"liquidation_threshold\": \"0.77\", \"liquidation_bonus\": \"0.05\", \"protocol_fee\": \"0.10\"},\n"
    "      {\"symbol\": \"USDT\", \"decimals\": 6, \"ltv\": \"0.75\", \"liquidation_threshold\": \"0.78\", \"liquidation_bonus\": \"0.045\", \"protocol_fee\": \"0.10\"}]},\n"
    "    {\"id\": \"aave-legacy\", \"model\": \"aave-v3\", \"version\": \"3.0\", \"base_decimals\": 8,\n"
    "     \"assets\": [\n"
    "      {\"symbol\": \"WETH\", \"decimals\": 18, \"ltv\": \"0.80\", \"liquidation_threshold\": \"0.825\", \"liquidation_bonus\": \"0.05\", \"protocol_fee\": \"0.10\"},\n"
    "      {\"symbol\": \"WBTC\", \"decimals\": 8, \"ltv\": \"0.70\", \"liquidation_threshold\": \"0.75\", \"liquidation_bonus\": \"0.065\", \"protocol_fee\": \"0.10\"},\n"
    "      {\"symbol\": \"USDC\", \"decimals\": 6, \"ltv\": \"0.80\", \"liquidation_threshold\": \"0.85\", \"liquidation_bonus\": \"0.05\", \"protocol_fee\": \"0.10\"},\n"
    "      {\"symbol\": \"DAI\", \"decimals\": 18, \"ltv\": \"0.75\", \"liquidation_threshold\": \"0.80\", \"liquidation_bonus\": \"0.05\", \"protocol_fee\": \"0.10\"}]},\n"
    "    {\"id\": \"aave-v4-core\", \"model\": \"aave-v4\", \"base_decimals\": 8,\n"
    "     \"params\": {\"target_health_factor\": \"1.05\", \"health_factor_for_max_bonus\": \"0.9\", \"liquidation_bonus_factor\": \"0.5\"},\n"
    "     \"assets\": [\n"
    "      {\"symbol\": \"WETH\", \"decimals\": 18, \"ltv\": \"0.78\", \"liquidation_threshold\": \"0.80\", \"liquidation_bonus\": \"0.06\", \"protocol_fee\": \"0.10\"},\n"
    "      {\"symbol\": \"wstETH\", \"decimals\": 18, \"ltv\": \"0.76\", \"liquidation_threshold\": \"0.78\", \"liquidation_bonus\": \"0.07\", \"protocol_fee\": \"0.10\"},\n"
    "      {\"symbol\": \"USDC\", \"decimals\": 6, \"ltv\": \"0.76\", \"liquidation_threshold\": \"0.78\", \"liquidation_bonus\": \"0.04\", \"protocol_fee\": \"0.10\"}]},\n"
    "    {\"id\": \"aave-v4-prime\", \"model\": \"aave-v4\", \"base_decimals\": 8,\n"
    "     \"params\": {\"target_health_factor\": \"1.02\", \"health_factor_for_max_bonus\": \"0.95\", \"liquidation_bonus_factor\": \"0.4\"},\n"
    "     \"assets\": [\n"
    "      {\"symbol\": \"WETH\", \"decimals\": 18, \"ltv\": \"0.80\", \"liquidation_threshold\": \"0.83\", \"liquidation_bonus\": \"0.05\", \"protocol_fee\": \"0.10\"},\n"
    "      {\"symbol\": \"WBTC\", \"decimals\": 8, \"ltv\": \"0.72\", \"liquidation_threshold\": \"0.75\", \"liquidation_bonus\": \"0.06\", \"protocol_fee\": \"0.10\"},\n"
    "      {\"symbol\": \"DAI\", \"decimals\": 18, \"ltv\": \"0.77\", \"liquidation_threshold\": \"0.80\", \"liquidation_bonus\": \"0.04\", \"protocol_fee\": \"0.10\"}]},\n"
    "    {\"id\": \"compound\", \"model\": \"compound-v2\", \"base_decimals\": 8,\n"
    "     \"params\": {\"close_factor\": \"0.5\", \"liquidation_incentive\": \"1.08\", \"protocol_seize_share\": \"0.028\"},\n"
    "     \"assets\": [\n"
    "      {\"symbol\": \"WETH\", \"decimals\": 18, \"liquidation_threshold\": \"0.825\"},\n"
    "      {\"symbol\": \"WBTC\", \"decimals\": 8, \"liquidation_threshold\": \"0.70\"},\n"
    "      {\"symbol\": \"USDC\", \"decimals\": 6, \"liquidation_threshold\": \"0.855\"},\n"
    "      {\"symbol\": \"DAI\", \"decimals\": 18, \"liquidation_threshold\": \"0.835\"}]},\n"
    "    {\"id\": \"compound-usdt\", \"model\": \"compound-v2\", \"base_decimals\": 8,\n"
    "     \"params\": {\"close_factor\": \"0.5\", \"liquidation_incentive\": \"1.1\", \"protocol_seize_share\": \"0.028\"},\n"
    "     \"assets\": [\n"
    "      {\"symbol\": \"WETH\", \"decimals\": 18, \"liquidation_threshold\": \"0.75\"},\n"
    "      {\"symbol\": \"USDT\", \"decimals\": 6, \"liquidation_threshold\": \"0\"}]},\n"
    "    {\"id\": \"morpho-wsteth-weth\", \"model\": \"morpho-blue\", \"base_decimals\": 8,\n"
    "     \"assets\": [\n"
    "      {\"symbol\": \"wstETH\", \"decimals\": 18, \"liquidation_threshold\": \"0.945\"},\n"
    "      {\"symbol\": \"WETH\", \"decimals\": 18, \"liquidation_threshold\": \"0.945\"}]},\n"
    "    {\"id\": \"morpho-wbtc-usdc\", \"model\": \"morpho-blue\", \"base_decimals\": 8,\n"
    "     \"assets\": [\n"
    "      {\"symbol\": \"WBTC\", \"decimals\": 8, \"liquidation_threshold\": \"0.86\"},\n"
    "      {\"symbol\": \"USDC\", \"decimals\": 6, \"liquidation_threshold\": \"0.86\"}]},\n"
    "    {\"id\": \"morpho-weth-usdc-pre\", \"model\": \"morpho-pre\", \"base_decimals\": 8,\n"
    "     \"params\": {\"pre_lltv\": \"0.80\", \"pre_lcf1\": \"0.1\", \"pre_lcf2\": \"0.8\", \"pre_lif1\": \"1.01\", \"pre_lif2\": \"1.04\"},\n"
    "     \"assets\": [\n"
    "      {\"symbol\": \"WETH\", \"decimals\": 18, \"liquidation_threshold\": \"0.86\"},\n"
    "      {\"symbol\": \"USDC\", \"decimals\": 6, \"liquidation_threshold\": \"0.86\"}]},\n"
    "    {\"id\": \"comet-usdc\", \"model\": \"compound-v3\", \"base_decimals\": 8,\n"
    "     \"params\": {\"base\": \"USDC\", \"store_front_price_factor\": \"0.5\"},\n"
    "     \"assets\": [\n"
    "      {\"symbol\": \"USDC\", \"decimals\": 6},\n"
    "      {\"symbol\": \"WETH\", \"decimals\": 18, \"borrow_collateral_factor\": \"0.825\", \"liquidate_collateral_factor\": \"0.895\", \"liquidation_factor\": \"0.95\"}]},\n"
    "    {\"id\": \"liquity-weth\", \"model\": \"liquity-v2\", \"base_decimals\": 8,\n"
    "     \"params\": {\"sp_deposits\": \"40000000000000000000000\", \"total_collateral\": \"1000000000000000000000\", \"total_debt\": \"1200000000000000000000000\"},\n"
    "     \"assets\": [\n"
    "      {\"symbol\": \"WETH\", \"decimals\": 18},\n"
    "      {\"symbol\": \"BOLD\", \"decimals\": 18}]}\n"
    "  ],\n"
    "  \"prices\": {\"WETH\": \"2000\", \"wstETH\": \"2360\", \"WBTC\": \"64000\", \"LINK\": \"14.5\",\n"
    "             \"USDC\": \"1\", \"DAI\": \"1\", \"USDT\": \"1\", \"BOLD\": \"1\"},\n"
    "  \"positions\": [\n"
    "    {\"id\": \"alice\", \"market\": \"aave-core\", \"label\": \"Alice main\", \"collateral\": {\"WETH\": \"10\"}, \"debt\": {\"USDC\": \"17000\"}},\n"
    "    {\"id\": \"dao-treasury\", \"market\": \"aave-core\", \"label\": \"DAO treasury\", \"collateral\": {\"WETH\": \"250\", \"WBTC\": \"12\"}, \"debt\": {\"USDC\": \"150000\", \"DAI\": \"90000\"}},\n"
    "    {\"id\": \"basis-fund\", \"market\": \"aave-core\", \"label\": \"Basis fund (multi-asset)\", \"collateral\": {\"wstETH\": \"40\", \"WBTC\": \"2\", \"LINK\": \"5000\"}, \"debt\": {\"USDC\": \"90000\", \"USDT\": \"45000\", \"WETH\": \"15\"}},\n"
    "    {\"id\": \"link-loop\", \"market\": \"aave-core\", \"label\": \"LINK loop (call restores)\", \"collateral\": {\"LINK\": \"10000\"}, \"debt\": {\"USDC\": \"132350\"}},\n"
    "    {\"id\": \"wbtc-crash\", \"market\": \"aave-core\", \"label\": \"WBTC bad debt (no restore)\", \"collateral\": {\"WBTC\": \"1\"}, \"debt\": {\"USDT\": \"65700\"}},\n"
    "    {\"id\": \"steth-loop\", \"market\": \"aave-core\", \"label\": \"wstETH loop (call lowers hf)\", \"collateral\": {\"wstETH\": \"50\"}, \"debt\": {\"USDC\": \"112450\"}},\n"
    "    {\"id\": \"judy\", \"market\": \"aave-core\", \"label\": \"Judy (conservative)\", \"collateral\": {\"WETH\": \"50\"}, \"debt\": {\"DAI\": \"20000\"}},\n"
    "    {\"id\": \"saver\", \"market\": \"aave-core\", \"label\": \"Saver (no debt)\", \"collateral\": {\"USDC\": \"5000\"}},\n"
    "    {\"id\": \"bob\", \"market\": \"aave-legacy\", \"label\": \"Bob on v3.0 (50% close factor)\", \"collateral\": {\"WETH\": \"20\"}, \"debt\": {\"USDC\": \"33500\"}},\n"
    "    {\"id\": \"carol\", \"market\": \"aave-legacy\", \"label\": \"Carol on v3.0 (full close)\", \"collateral\": {\"WBTC\": \"1\", \"WETH\": \"5\"}, \"debt\": {\"DAI\": \"60000\"}},\n"
    "    {\"id\": \"dave\", \"market\": \"aave-v4-core\", \"label\": \"Dave on v4 (target health)\", \"collateral\": {\"WETH\": \"30\"}, \"debt\": {\"USDC\": \"49000\"}},\n"
    "    {\"id\": \"erin\", \"market\": \"aave-v4-core\", \"label\": \"Erin on v4 (danger)\", \"collateral\": {\"wstETH\": \"50\"}, \"debt\": {\"USDC\": \"90000\"}},\n"
    "    {\"id\": \"kim\", \"market\": \"aave-v4-prime\", \"label\": \"Kim on v4 (multi-debt)\", \"collateral\": {\"WETH\": \"40\", \"WBTC\": \"1\"}, \"debt\": {\"DAI\": \"70000\", \"WETH\": \"15\"}},\n"
    "    {\"id\": \"frank\", \"market\": \"compound\", \"label\": \"Frank on Compound\", \"collateral\": {\"WETH\": \"100\"}, \"debt\": {\"DAI\": \"155000\"}},\n"
    "    {\"id\": \"grace\", \"market\": \"compound\", \"label\": \"Grace on Compound, 2 collaterals\", \"collateral\": {\"WBTC\": \"0.5\", \"WETH\": \"30\"}, \"debt\": {\"USDC\": \"60000\"}},\n"
    "    {\"id\": \"whale\", \"market\": \"compound\", \"label\": \"Whale (WBTC)\", \"collateral\": {\"WBTC\": \"200\"}, \"debt\": {\"USDC\": \"5000000\"}},\n"
    "    {\"id\": \"leo\", \"market\": \"compound-usdt\", \"label\": \"Leo on Compound (USDT debt)\", \"collateral\": {\"WETH\": \"10\"}, \"debt\": {\"USDT\": \"14000\"}},\n"
    "    {\"id\": \"henry\", \"market\": \"morpho-wsteth-weth\", \"label\": \"Henry (wstETH loop)\", \"collateral\": {\"wstETH\": \"100\"}, \"debt\": {\"WETH\": \"106\"}},\n"
    "    {\"id\": \"ivy\", \"market\": \"morpho-wbtc-usdc\", \"label\": \"Ivy (WBTC/USDC)\", \"collateral\": {\"WBTC\": \"3\"}, \"debt\": {\"USDC\": \"120000\"}},\n"
    "    {\"id\": \"nina\", \"market\": \"morpho-weth-usdc-pre\", \"label\": \"Nina (pre-liquidation band)\", \"collateral\": {\"WETH\": \"10\"}, \"debt\": {\"USDC\": \"15520\"}},\n"
    "    {\"id\": \"quinn\", \"market\": \"comet-usdc\", \"label\": \"Quinn on Comet (absorb, no partial)\", \"collateral\": {\"WETH\": \"10\"}, \"debt\": {\"USDC\": \"17000\"}},\n"
    "    {\"id\": \"olga\", \"market\": \"liquity-weth\", \"label\": \"Olga on Liquity (whole trove)\", \"collateral\": {\"WETH\": \"10\"}, \"debt\": {\"BOLD\": \"17400\"}, \"annual_interest_rate\": \"0.06\"},\n"
    "    {\"id\": \"pete\", \"market\": \"liquity-weth\", \"label\": \"Pete on Liquity (low rate)\", \"collateral\": {\"WETH\": \"20\"}, \"debt\": {\"BOLD\": \"20000\"}, \"annual_interest_rate\": \"0.03\"}\n"
    "  ]\n"
    "}\n"
    ;
/* clang-format on */
#pragma GCC diagnostic pop

const char *
demo_json(void)
{
    return demo_text;
}

int
demo_load(struct book *b, char *err, size_t errlen)
{
    return portfolio_load_text(b, "demo", demo_text, strlen(demo_text), NULL,
                               err, errlen);
}
