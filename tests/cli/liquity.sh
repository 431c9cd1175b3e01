#!/bin/sh
# liquity-v2 (README "Liquity v2"): the figures of tests/fixtures/
# liquity.json (derived step by step from TroveManager.sol's
# batchLiquidateTroves in tests/unit/test_model_liquity.c): snapshot's
# health as ICR over MCR, the whole-trove call split between the
# Stability Pool and redistribution with the borrower's surplus, any
# --repay previewing that one call, and AddressesRegistry's checks as bad
# input naming the field.
. tests/cli/tap.inc

fx=tests/fixtures/liquity.json
expect_status "snapshot" 0 "$LIQTOP" snapshot "$fx"
has_text "under: ICR / MCR" "$scratch/out" '"id": "under", "market": "weth-branch", "label": "below MCR", "health_factor": "0.999900009989910099", "liquidatable": true, "collateral_value": "2199.99999998", "debt_value": "2000.2", "liquidation_price": {"WETH": "1100.10999999"}'
has_text "safe: 47.5 % from the line" "$scratch/out" '"id": "safe", "market": "weth-branch", "label": "", "health_factor": "1.904761904744588744", "liquidatable": false'

# debt in front: the branch's debt at lower rates (safe at 8 %: cheap's
# 5,000.5 at 2 %, under's 2,000.2 and peer's 3,000 at 5 %); equal rates
# are not in front; a trove without a rate has none.
has_text "under: cheap in front" "$scratch/out" '"id": "under", "market": "weth-branch"'
grep -o '"id": "[a-z]*"\|"debt_in_front": [^,}]*' "$scratch/out" | paste - - >"$scratch/front"
has_line "under at 5 %" "$scratch/front" '"id": "under"	"debt_in_front": "5000.5"'
has_line "safe at 8 %" "$scratch/front" '"id": "safe"	"debt_in_front": "10000.7"'
has_line "cheap at 2 %: none" "$scratch/front" '"id": "cheap"	"debt_in_front": "0"'
has_line "peer at under's rate" "$scratch/front" '"id": "peer"	"debt_in_front": "5000.5"'
has_line "no rate: null" "$scratch/front" '"id": "norate"	"debt_in_front": null'

expect_status "preview under" 0 "$LIQTOP" preview "$fx" --position under
for l in '  "model": "liquity-v2",' '  "close_factor": "1",' \
    '  "max_repay": "2000.2",' '  "repay": "2000.2",' \
    '  "debt_offset": "1499",' '  "debt_redistributed": "501.2",' \
    '  "collateral_to_stability_pool": "1.430863636376644214",' \
    '  "collateral_redistributed": "0.501200000004556363",' \
    '  "collateral_gas_compensation": "0.007494250574942505",' \
    '  "collateral_surplus": "0.060442113043856918",' \
    '  "collateral_seized": "1.939557886956143082",' \
    '  "health_factor_after": null,' '  "reverts": null,' \
    '  "repay_to_target": "2000.2",' \
    '  "reason": "only a call that repays all this debt reaches the target",'; do
    has_line "under: ${l#  }" "$scratch/out" "$l"
done
expect_status "preview under --repay 5" 0 "$LIQTOP" preview "$fx" --position under --repay 5
has_line "--repay 5: the whole trove all the same" "$scratch/out" '  "repay": "2000.2",'
has_line "--repay 5: asked" "$scratch/out" '  "requested_repay": "5",'
has_line "--repay 5: no part of a trove" "$scratch/out" '  "reverts": "no partial liquidation",'
has_line "--repay 5: the least call all the same" "$scratch/out" '  "cover_to_target": "2000.2",'
expect_status "preview under table" 0 "$LIQTOP" preview "$fx" --position under --format table
has_text "table: left to claim" "$scratch/out" 'left to claim          0.060442113043856918 WETH'
has_text "table: offset" "$scratch/out" 'offset by the pool   1,499 BOLD'
expect_status "preview safe" 0 "$LIQTOP" preview "$fx" --position safe
has_line "safe: not liquidatable" "$scratch/out" '  "reverts": "not liquidatable",'

bad() { # DESC FROM TO MESSAGE
    sed "s/$2/$3/" "$fx" >"$scratch/bad.json"
    expect_status "$1: exit 2" 2 "$LIQTOP" snapshot "$scratch/bad.json"
    has_text "$1: message" "$scratch/err" "$4"
}
bad "mcr at 1" '"mcr": "1.1"' '"mcr": "1"' 'markets[0].params.mcr: must be above 1 and below 2'
bad "sp penalty below 5 %" '"liquidation_penalty_sp": "0.05"' '"liquidation_penalty_sp": "0.04"' 'markets[0].params.liquidation_penalty_sp: must be at least 0.05'
bad "redistribution penalty above 20 %" '"liquidation_penalty_redistribution": "0.1"' '"liquidation_penalty_redistribution": "0.25"' 'markets[0].params.liquidation_penalty_redistribution: must be at most 0.2'
bad "sp penalty above redistribution's" '"liquidation_penalty_sp": "0.05"' '"liquidation_penalty_sp": "0.15"' 'markets[0].params.liquidation_penalty_sp: must not exceed liquidation_penalty_redistribution'
bad "BOLD of 6 decimals" '"symbol": "BOLD", "decimals": 18' '"symbol": "BOLD", "decimals": 6' 'markets[0].assets[1].decimals: liquity-v2 tokens have 18'
bad "an unknown param" '"scr": "1.1",' '"scr": "1.1", "bcr": "0.1",' 'markets[0].params.bcr'
bad "a threshold on an asset" '{"symbol": "WETH", "decimals": 18}' '{"symbol": "WETH", "decimals": 18, "liquidation_threshold": "0.8"}' 'markets[0].assets[0].liquidation_threshold: not used by liquity-v2'
bad "total_debt without total_collateral" '"sp_deposits"' '"total_debt": "1", "sp_deposits"' 'markets[0].params.total_collateral: missing'
bad "a second collateral" '"collateral": {"WETH": "4"}' '"collateral": {"WETH": "4", "BOLD": "1"}' 'liquity-v2: a trove holds the branch'"'"'s collateral'
bad "a rate below 0.5 %" '"annual_interest_rate": "0.02"' '"annual_interest_rate": "0.004"' 'positions[2].annual_interest_rate: must be within 0.005 and 2.5'
bad "a rate that is no fraction" '"annual_interest_rate": "0.02"' '"annual_interest_rate": "2%"' 'positions[2].annual_interest_rate: expected a fraction'
finish
