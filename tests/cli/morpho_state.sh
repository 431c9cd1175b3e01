#!/bin/sh
# Morpho Blue on a stored market state (design.md 3.1, 4.1): the figures of
# tests/fixtures/morpho_state.json (derived step by step from Morpho.sol's
# formulas in tests/unit/test_model_morpho_state.c), preview --seize and
# repaid_shares, a repay too large for the contract's arithmetic, JSON
# Lines positions in shares, and bad input naming the field.
. tests/cli/tap.inc

fx=tests/fixtures/morpho_state.json
expect_status "snapshot" 0 "$LIQTOP" snapshot "$fx"
has_text "a: health on the accrued state" "$scratch/out" '"id": "a", "market": "mb", "label": "", "health_factor": "0.999913603395250822", "liquidatable": true, "collateral_value": "2000", "debt_value": "1720.148615"'
has_text "c: a debt in assets is the shares borrowing it mints" "$scratch/out" '"id": "c", "market": "mb", "label": "", "health_factor": "1.719999998280000001", "liquidatable": false, "collateral_value": "2000", "debt_value": "1000.000001"'
# health 1.72: the oracle (WETH's price over USDC's) falls with WETH,
# below 1 / 1.72 of itself from 41.87 %
has_text "c: time_to_liquidation from interest alone; the shock scales the oracle" "$scratch/out" '"bad_debt": false, "gate": null, "time_to_liquidation": 544710656, "liquidation_shock": 4187}'
has_text "a: liquidatable now" "$scratch/out" '"id": "a", "market": "mb", "label": "", "health_factor": "0.999913603395250822", "liquidatable": true, "collateral_value": "2000", "debt_value": "1720.148615", "liquidation_price": {"WETH": null}, "bad_debt": false, "gate": null, "time_to_liquidation": 0, "liquidation_shock": 0}'
expect_status "preview c" 0 "$LIQTOP" preview "$fx" --position c
has_line "preview c: time_to_liquidation" "$scratch/out" '  "time_to_liquidation": 544710656'
expect_status "preview c, table" 0 "$LIQTOP" preview "$fx" --position c --format table
has_text "table: liquidatable in" "$scratch/out" "liquidatable in        544710656 s (6304 days)"
expect_status "preview a --seize, table" 0 "$LIQTOP" preview "$fx" --position a --seize 0.1 --format table
has_text "table: repaid shares" "$scratch/out" "repaid shares          191583447475149"
expect_status "snapshot without rates" 0 "$LIQTOP" snapshot tests/fixtures/aave37.json
if grep -q time_to_liquidation "$scratch/out"; then not_ok "no time_to_liquidation without rates"; else ok "no time_to_liquidation without rates"; fi

expect_status "preview --repay 100" 0 "$LIQTOP" preview "$fx" --position a --repay 100
for l in '  "repay": "100",' '  "collateral_seized": "0.052192066",' \
    '  "health_factor_after": "1.006222287823885835",' '  "reverts": null,'; do
    has_line "repay 100: ${l#  }" "$scratch/out" "$l"
done
has_line "avoid: repay and deposit through shares" "$scratch/out" '  "avoid": {"repay": {"USDC": "0.148615"}, "deposit": {"WETH": "0.0000864045"}},'
if grep -q repaid_shares "$scratch/out"; then not_ok "repaid_shares only with --seize"; else ok "repaid_shares only with --seize"; fi

expect_status "preview --seize 0.1" 0 "$LIQTOP" preview "$fx" --position a --seize 0.1
for l in '  "repay": "191.600002",' '  "repaid_shares": "191583447475149",' \
    '  "collateral_seized": "0.1",' '  "reverts": null,'; do
    has_line "seize 0.1: ${l#  }" "$scratch/out" "$l"
done
expect_status "preview --seize all of b" 0 "$LIQTOP" preview "$fx" --position b --seize 0.5
has_line "b: bad debt realized, no debt after" "$scratch/out" '  "health_factor_after": null,'
has_line "b: repaid" "$scratch/out" '  "repaid_shares": "957917233376090",'
expect_status "preview max of b" 0 "$LIQTOP" preview "$fx" --position b
has_line "b: max_repay the largest repay in assets" "$scratch/out" '  "max_repay": "958.000001",'

# 2^256 - 1 raw units: toSharesDown overflows, the call reverts.
max='115792089237316195423570985008687907853269984665640564039457584007913129.639935'
expect_status "repay 2^256-1: a preview" 0 "$LIQTOP" preview "$fx" --position a --repay "$max"
has_line "repay 2^256-1: reverts" "$scratch/out" '  "reverts": "too much repay",'
expect_status "repay above the debt" 0 "$LIQTOP" preview "$fx" --position a --repay 1720.148616
has_line "repay above the debt: never capped" "$scratch/out" '  "reverts": "too much repay",'
expect_status "--seize with --repay" 2 "$LIQTOP" preview "$fx" --position a --seize 1 --repay 1
expect_status "--seize outside morpho" 2 "$LIQTOP" preview tests/fixtures/aave37.json --position alice --seize 1
has_text "--seize outside morpho: message" "$scratch/err" "only a morpho-blue liquidation"

# JSON Lines positions in shares go through the full reader.
sed -n '/"markets"/,/"prices"/p' "$fx" | sed '$d' >"$scratch/m.json"
{ echo '{"as_of": 1733086400,'; cat "$scratch/m.json"; echo '"prices": {"WETH": "2000", "USDC": "1"}}'; } >"$scratch/book.json"
printf '%s\n' '{"id": "a", "market": "mb", "collateral": {"WETH": "1"}, "borrow_shares": "1720000000000000"}' \
    '{"id": "c", "market": "mb", "collateral": {"WETH": "1"}, "debt": {"USDC": "1000"}}' >"$scratch/p.jsonl"
expect_status "jsonl" 0 "$LIQTOP" snapshot "$scratch/book.json" --positions "$scratch/p.jsonl"
has_text "jsonl: shares" "$scratch/out" '"health_factor": "0.999913603395250822"'
has_text "jsonl: debt in assets" "$scratch/out" '"debt_value": "1000.000001"'

bad() { # desc, file text, expected message fragment
    printf '%s\n' "$2" >"$scratch/bad.json"
    expect_status "$1: exit 2" 2 "$LIQTOP" check "$scratch/bad.json"
    has_text "$1: message" "$scratch/err" "$3"
}
assets='"assets": [{"symbol": "WETH", "decimals": 18, "liquidation_threshold": "0.86"}, {"symbol": "USDC", "decimals": 6, "liquidation_threshold": "0.86"}]'
state() { echo "{\"total_supply_assets\": \"2\", \"total_supply_shares\": \"2000000\", \"total_borrow_assets\": \"1\", \"total_borrow_shares\": \"1000000\", \"last_update\": 100$1}"; }
prices='"prices": {"WETH": "2000", "USDC": "1"}'
bad "borrow_shares without state" "{\"markets\": [{\"id\": \"m\", \"model\": \"morpho-blue\", $assets}], $prices, \"positions\": [{\"id\": \"p\", \"market\": \"m\", \"borrow_shares\": \"1\"}]}" \
    "positions[0].borrow_shares: market m has no state"
bad "debt and borrow_shares" "{\"as_of\": 200, \"markets\": [{\"id\": \"m\", \"model\": \"morpho-blue\", \"state\": $(state), $assets}], $prices, \"positions\": [{\"id\": \"p\", \"market\": \"m\", \"debt\": {\"USDC\": \"1\"}, \"borrow_shares\": \"1\"}]}" \
    "positions[0].borrow_shares: give debt or borrow_shares, not both"
bad "shares above the total" "{\"as_of\": 200, \"markets\": [{\"id\": \"m\", \"model\": \"morpho-blue\", \"state\": $(state), $assets}], $prices, \"positions\": [{\"id\": \"p\", \"market\": \"m\", \"borrow_shares\": \"1000001\"}]}" \
    "positions[0].borrow_shares: more than the market's total_borrow_shares"
bad "state outside morpho" "{\"markets\": [{\"id\": \"m\", \"model\": \"compound-v2\", \"state\": $(state), $assets}]}" \
    "markets[0].state: only a morpho-blue market has one"
bad "last_update after as_of" "{\"as_of\": 50, \"markets\": [{\"id\": \"m\", \"model\": \"morpho-blue\", \"state\": $(state), $assets}]}" \
    "markets[0].state.last_update: 100 is after as_of 50"
bad "fee above MAX_FEE" "{\"as_of\": 200, \"markets\": [{\"id\": \"m\", \"model\": \"morpho-blue\", \"state\": $(state ', "fee": "0.26"'), $assets}]}" \
    "markets[0].state.fee: above Morpho's MAX_FEE (0.25)"
bad "total past 128 bits" "{\"as_of\": 200, \"markets\": [{\"id\": \"m\", \"model\": \"morpho-blue\", \"state\": {\"total_supply_assets\": \"340282366920938463463374607431768211456\", \"total_supply_shares\": \"1\", \"total_borrow_assets\": \"1\", \"total_borrow_shares\": \"1\", \"last_update\": 1}, $assets}]}" \
    "markets[0].state.total_supply_assets: \"340282366920938463463374607431768211456\" is above 2^128 - 1"
bad "missing total" "{\"as_of\": 200, \"markets\": [{\"id\": \"m\", \"model\": \"morpho-blue\", \"state\": {\"total_supply_assets\": \"1\"}, $assets}]}" \
    "markets[0].state.total_supply_shares: missing"
bad "unknown state key" "{\"as_of\": 200, \"markets\": [{\"id\": \"m\", \"model\": \"morpho-blue\", \"state\": $(state ', "rate": "1"'), $assets}]}" \
    "markets[0].state.rate: unknown key"
bad "zero oracle price" "{\"markets\": [{\"id\": \"m\", \"model\": \"morpho-blue\", \"oracle_price\": \"0\", $assets}]}" \
    "markets[0].oracle_price: zero"
bad "loan first" "{\"markets\": [{\"id\": \"m\", \"model\": \"morpho-blue\", \"oracle_price\": \"1\", $assets}], $prices, \"positions\": [{\"id\": \"p\", \"market\": \"m\", \"collateral\": {\"USDC\": \"1\"}, \"debt\": {\"WETH\": \"1\"}}]}" \
    "positions[0]: morpho-blue: with the market's state or oracle_price the collateral is the market's first asset"
bad "three assets with state" "{\"as_of\": 200, \"markets\": [{\"id\": \"m\", \"model\": \"morpho-blue\", \"state\": $(state), \"assets\": [{\"symbol\": \"A\", \"decimals\": 1, \"liquidation_threshold\": \"0.5\"}, {\"symbol\": \"B\", \"decimals\": 1, \"liquidation_threshold\": \"0.5\"}, {\"symbol\": \"C\", \"decimals\": 1, \"liquidation_threshold\": \"0.5\"}]}]}" \
    "markets[0].assets: a morpho-blue market with state or oracle_price lists two assets"
bad "accrual overflow" "{\"as_of\": 2000000000, \"markets\": [{\"id\": \"m\", \"model\": \"morpho-blue\", \"state\": $(state ', "borrow_rate": "100000000000000000000000000000000000000000000000000"'), $assets}]}" \
    "markets[0].state: the interest accrued to as_of overflows"

# stress on a market with its own oracle_price: WETH -50 % scales the
# oracle by 0.5, truncated; the totals are those of the book written at
# WETH 1000 with that oracle.
expect_status "stress: the oracle scaled" 0 "$LIQTOP" stress "$fx" --shock WETH=-50%
sed -n 's/.*"newly_liquidatable": [0-9]*, \("debt_repayable_value".*\), "markets".*/\1/p' "$scratch/out" >"$scratch/shocked"
sed 's/"oracle_price": "2000000000000000000000000000"/"oracle_price": "1000000000000000000000000000"/; s/"prices": {"WETH": "2000"/"prices": {"WETH": "1000"/' "$fx" >"$scratch/half.json"
expect_status "stress: the book at half" 0 "$LIQTOP" stress "$scratch/half.json" --shock USDC=0%
sed -n 's/.*"newly_liquidatable": [0-9]*, \("debt_repayable_value".*\), "markets".*/\1/p' "$scratch/out" >"$scratch/half"
if [ -s "$scratch/half" ] && cmp -s "$scratch/shocked" "$scratch/half" && ! grep -q '"debt_repayable_value": "0"' "$scratch/half"; then
    ok "stress: a shock of WETH moves the oracle as the book at those prices"
else
    not_ok "stress: a shock of WETH moves the oracle as the book at those prices ($(cat "$scratch/shocked") vs $(cat "$scratch/half"))"
fi

finish
