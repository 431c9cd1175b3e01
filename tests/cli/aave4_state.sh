#!/bin/sh
# aave-v4 on the hub's stored state (design.md 3.1): the position of
# tests/fixtures/aave4_state.json is the one derived step by step in
# tests/unit/test_aave4_state.c (supplied shares at 1.1 assets each, drawn
# index 1.05, 500 USDC of premium debt); its snapshot and preview figures,
# the same debt given as plain amounts, and the bad input naming its path.
. tests/cli/tap.inc

fx=tests/fixtures/aave4_state.json
expect_status "snapshot" 0 "$LIQTOP" snapshot "$fx"
has_text "s: health on shares, index and premium" "$scratch/out" '"id": "s", "market": "v4s", "label": "", "health_factor": "0.959128065395095367", "liquidatable": true, "collateral_value": "22000", "debt_value": "18350",'
# 17,850 USDC at index 1.05 draws ceil(17,850 / 1.05) = 17,000e6 shares:
# the same position without its premium.
has_text "plain: amounts as the hub mints for them" "$scratch/out" '"id": "plain", "market": "v4s", "label": "", "health_factor": "0.985994397759103641", "liquidatable": true, "collateral_value": "22000", "debt_value": "17850",'

expect_status "preview s" 0 "$LIQTOP" preview "$fx" --position s
for l in '  "max_repay": "4364.525141",' '  "repay": "4364.525141",' \
    '  "repaid_shares": "3680500134",' \
    '  "collateral_seized": "2.259078212826319999",' \
    '  "seized_shares": "2053707466205745454",' \
    '  "liquidator_receives": "2.251396648578687999",' \
    '  "protocol_fee": "0.007681564247632",' \
    '  "health_factor_after": "1.000000000012719482",' '  "reverts": null,' \
    '  "repay_to_target": "4364.525141",'; do
    has_line "s max: ${l#  }" "$scratch/out" "$l"
done
# The premium first: 500 USDC of it, then floor(500e6 / 1.05) drawn shares.
expect_status "preview s --repay 1000" 0 "$LIQTOP" preview "$fx" --position s --repay 1000
has_line "repay 1000: drawn shares after the premium" "$scratch/out" '  "repaid_shares": "476190476",'
has_line "repay 1000: seized" "$scratch/out" '  "collateral_seized": "0.517599999896479999",'
# Avoiding liquidation by a plain repay: the premium (500) then drawn
# debt; 750 USDC leaves health just under 1, one raw unit more reaches it.
expect_status "preview s avoid" 0 "$LIQTOP" preview "$fx" --position s --target-health 1
has_text "avoid: least repay" "$scratch/out" '"repay": {"USDC": "750.000001"}'

bad() { # DESC FROM TO MESSAGE
    sed "s/$2/$3/" "$fx" >"$scratch/bad.json"
    expect_status "$1: exit 2" 2 "$LIQTOP" snapshot "$scratch/bad.json"
    has_text "$1: message" "$scratch/err" "$4"
}
bad "drawn_index below 1" '"drawn_index": "1.05"' '"drawn_index": "0.99"' 'markets[0].assets[1].drawn_index: below 1'
bad "drawn_index finer than a RAY" '"drawn_index": "1.05"' '"drawn_index": "1.0000000000000000000000000001"' 'markets[0].assets[1].drawn_index: "1.0000000000000000000000000001" has more places than 27'
bad "hub shares with zero assets" '"supplied_assets": "1099999999999999999000000"' '"supplied_assets": "0"' 'markets[0].assets[0].supplied_shares: 999999999999999999000000 shares with zero supplied_assets'
bad "hub shares without assets" '"supplied_assets": "1099999999999999999000000", ' '' 'markets[0].assets[0].supplied_shares: give the hub'"'"'s supplied_assets and supplied_shares together'
bad "collateral and supplied_shares" '"market": "v4s", "supplied_shares"' '"market": "v4s", "collateral": {"WETH": "1"}, "supplied_shares"' 'positions[0].supplied_shares.WETH: give collateral or supplied_shares for WETH, not both'
bad "debt and drawn_shares" '"drawn_shares": {"USDC": "17000000000"}' '"debt": {"USDC": "1"}, "drawn_shares": {"USDC": "17000000000"}' 'positions[0].drawn_shares.USDC: give debt or drawn_shares for USDC, not both'
bad "premium without drawn shares" '"drawn_shares": {"USDC": "17000000000"}, ' '' 'positions[0].premium_debt_ray.USDC: premium debt without drawn shares'
bad "premium on zero drawn shares" '"drawn_shares": {"USDC": "17000000000"}' '"drawn_shares": {"USDC": "0"}' 'positions[0].premium_debt_ray.USDC: premium debt without drawn shares'
bad "more shares than the hub" '"supplied_shares": {"WETH": "10000000000000000000"}' '"supplied_shares": {"WETH": "1000000000000000000000001"}' 'positions[0].supplied_shares.WETH: more than the hub'"'"'s supplied_shares'
bad "shares of an unlisted asset" '"supplied_shares": {"WETH": "10000000000000000000"}' '"supplied_shares": {"DAI": "1"}' 'positions[0].supplied_shares.DAI: asset not listed in market v4s'
bad "fractional drawn shares" '"drawn_shares": {"USDC": "17000000000"}' '"drawn_shares": {"USDC": "1.5"}' 'positions[0].drawn_shares.USDC: "1.5" has more places than 0'
bad "negative premium" '"premium_debt_ray": {"USDC": "500000000000000000000000000000000000"}' '"premium_debt_ray": {"USDC": "-5"}' 'positions[0].premium_debt_ray.USDC: negative "-5"'
sed 's/"model": "aave-v4", "base_decimals": 8,/"model": "compound-v2", "base_decimals": 8,/; s/"params": {[^}]*},//' "$fx" >"$scratch/c.json"
expect_status "v4 asset keys in compound-v2: exit 2" 2 "$LIQTOP" snapshot "$scratch/c.json"
has_text "v4 asset keys in compound-v2: message" "$scratch/err" 'markets[0].assets[0].supplied_assets: only an aave-v4 asset has one'
finish
