#!/bin/sh
# Compound v2 with cTokens (design.md 3.1): the figures of
# tests/fixtures/compound_ctokens.json (derived step by step from
# Comptroller.sol and CToken.sol in tests/unit/test_model_ctokens.c), a
# deprecated market, and bad input naming the field.
. tests/cli/tap.inc

fx=tests/fixtures/compound_ctokens.json
expect_status "snapshot" 0 "$LIQTOP" snapshot "$fx"
has_text "eve: liquidity through the exchange rate" "$scratch/out" '"id": "eve", "market": "comp", "label": "", "health_factor": "0.941117632758753123", "liquidatable": true, "collateral_value": "1999.87496961", "debt_value": "1700"'
has_text "und: underlying minted into cTokens" "$scratch/out" '"collateral_value": "1999.99999987"'
expect_status "preview eve" 0 "$LIQTOP" preview "$fx" --position eve
for l in '  "max_repay": "850",' '  "collateral_seized": "0.458999999924471154",' \
    '  "seize_tokens": "22.90553194",' '  "liquidator_receives": "0.446148000013153696",' \
    '  "protocol_fee": "0.012851999911317458",' '  "bonus": "0.034000000001827059",' \
    '  "health_factor_after": "1.018235265659678191",' '  "reverts": null,'; do
    has_line "eve: ${l#  }" "$scratch/out" "$l"
done
has_line "eve: avoid, the deposit minted into cTokens" "$scratch/out" '  "avoid": {"repay": {"USDC": "100.100025"}, "deposit": {"WETH": "0.062562515301017457"}}'
expect_status "preview two" 0 "$LIQTOP" preview "$fx" --position two
has_line "two: the largest collateral by its cTokens' worth" "$scratch/out" '  "collateral_asset": "WETH",'
expect_status "preview mix" 0 "$LIQTOP" preview "$fx" --position mix
has_line "mix: cTokens and plain collateral in one position" "$scratch/out" '  "health_factor": "0.941117632758753123",'
expect_status "preview eve, table" 0 "$LIQTOP" preview "$fx" --position eve --format table
has_text "table: seized in cTokens" "$scratch/out" "in cTokens           22.90553194"
expect_status "preview dep" 0 "$LIQTOP" preview "$fx" --position dep
for l in '  "liquidatable": false,' '  "close_factor": "1",' '  "max_repay": "1000",' \
    '  "reverts": null,'; do
    has_line "deprecated: ${l#  }" "$scratch/out" "$l"
done
expect_status "preview dep above the borrow" 0 "$LIQTOP" preview "$fx" --position dep --repay 1000.000000000000000001
has_line "deprecated: above the borrow reverts" "$scratch/out" '  "reverts": "too much repay",'

bad() { # desc, file text, expected message fragment
    printf '%s\n' "$2" >"$scratch/bad.json"
    expect_status "$1: exit 2" 2 "$LIQTOP" check "$scratch/bad.json"
    has_text "$1: message" "$scratch/err" "$3"
}
m() { echo "{\"id\": \"c\", \"model\": \"${2:-compound-v2}\", \"assets\": [{\"symbol\": \"WETH\", \"decimals\": 18, \"liquidation_threshold\": \"0.8\"$1}, {\"symbol\": \"USDC\", \"decimals\": 6, \"liquidation_threshold\": \"0.8\"}]}"; }
rate=', "exchange_rate_mantissa": "200000000000000000000000000"'
prices='"prices": {"WETH": "2000", "USDC": "1"}'
bad "cTokens without a rate" "{\"markets\": [$(m)], $prices, \"positions\": [{\"id\": \"p\", \"market\": \"c\", \"ctoken_collateral\": {\"WETH\": \"1\"}}]}" \
    "positions[0].ctoken_collateral.WETH: the asset has no exchange_rate_mantissa"
bad "cTokens and collateral of one asset" "{\"markets\": [$(m "$rate")], $prices, \"positions\": [{\"id\": \"p\", \"market\": \"c\", \"collateral\": {\"WETH\": \"1\"}, \"ctoken_collateral\": {\"WETH\": \"1\"}}]}" \
    "positions[0].ctoken_collateral.WETH: listed twice (in collateral too)"
bad "cTokens finer than their decimals" "{\"markets\": [$(m "$rate")], $prices, \"positions\": [{\"id\": \"p\", \"market\": \"c\", \"ctoken_collateral\": {\"WETH\": \"1.000000001\"}}]}" \
    "positions[0].ctoken_collateral.WETH: \"1.000000001\" has more places than 8"
bad "cTokens of an unknown asset" "{\"markets\": [$(m "$rate")], $prices, \"positions\": [{\"id\": \"p\", \"market\": \"c\", \"ctoken_collateral\": {\"DAI\": \"1\"}}]}" \
    "positions[0].ctoken_collateral.DAI: asset not listed in market c"
bad "zero exchange rate" "{\"markets\": [$(m ', "exchange_rate_mantissa": "0"')]}" \
    "markets[0].assets[0].exchange_rate_mantissa: zero"
bad "exchange rate outside compound" "{\"markets\": [$(m "$rate" morpho-blue)]}" \
    "markets[0].assets[0].exchange_rate_mantissa: only a compound-v2 asset has one"
bad "deprecated not a bool" "{\"markets\": [$(m ', "deprecated": "yes"')]}" \
    "markets[0].assets[0].deprecated: expected true or false"
bad "deprecated with a collateral factor" "{\"markets\": [$(m ', "deprecated": true')]}" \
    "markets[0].assets[0].deprecated: a deprecated market's collateral factor is 0"
bad "cTokens outside compound" "{\"markets\": [$(m '' aave-v4 | sed 's/"0.8"}/"0.8", "liquidation_bonus": "0.05"}/g')], $prices, \"positions\": [{\"id\": \"p\", \"market\": \"c\", \"ctoken_collateral\": {\"WETH\": \"1\"}}]}" \
    "positions[0].ctoken_collateral: market c is not compound-v2"
finish
