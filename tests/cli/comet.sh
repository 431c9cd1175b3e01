#!/bin/sh
# compound-v3 (README, "Compound v3"): the figures of tests/fixtures/comet.json
# (carol's and dave's derived step by step in tests/unit/test_model_comet.c
# and below), snapshot, preview of the absorb (no partial liquidation: a
# smaller repay reverts), the storefront quote, the least repay and deposit
# that keep a position off absorb, and the constructor's checks as bad input
# naming the JSON path.
. tests/cli/tap.inc

fx=tests/fixtures/comet.json
expect_status "snapshot" 0 "$LIQTOP" snapshot "$fx"
# dave: debt 5000 USDC; weighted 2000 x 0.895 + 4000 x 0.77 = 4870; WETH
# alone liquidates below floor(192000000000 / 0.895) = 2145.25139664.
has_text "dave: health, values, liquidation prices" "$scratch/out" '"id": "dave", "market": "cusdcv3", "label": "", "health_factor": "0.974", "liquidatable": true, "collateral_value": "6000", "debt_value": "5000", "liquidation_price": {"WETH": "2145.25139664", "WBTC": "41688.31168839"}, "bad_debt": false'
# carol: principal -16363.636364 at borrow index 1.1 owes 18000.
has_text "carol: principal through the borrow index" "$scratch/out" '"id": "carol", "market": "cusdcv3", "label": "Carol", "health_factor": "0.994444444444444444", "liquidatable": true, "collateral_value": "20000", "debt_value": "18000"'
has_text "erin: a supply is no debt" "$scratch/out" '"id": "erin", "market": "cusdcv3", "label": "", "health_factor": null, "liquidatable": false'

expect_status "preview carol" 0 "$LIQTOP" preview "$fx" --position carol
for l in '  "model": "compound-v3",' '  "close_factor": "1",' \
    '  "max_repay": "18000",' '  "repay": "18000",' \
    '  "collateral_seized": "10",' '  "liquidator_receives": "0",' \
    '  "protocol_fee": "10",' '  "bonus": "0.5",' '  "bonus_value": "1000",' \
    '  "health_factor_after": null,' '  "reverts": null,' \
    '  "repay_to_target": "18000",' '  "collateral_to_target": "10",' \
    '  "reason": "only a call that repays all this debt reaches the target",' \
    '  "avoid": {"repay": {"USDC": "100"}, "deposit": {"WETH": "0.05586592179"}},'; do
    has_line "carol: ${l#  }" "$scratch/out" "$l"
done
# newBalance 1000 USDC stored as floor(1e9 / 1.05) = 952380952, worth
# floor(952380952 x 1.05) = 999999999 raw; 18000 / (2000 x (1 - 0.5 x 0.05)).
has_line "carol: the absorb" "$scratch/out" '  "absorb": {"collateral_value": "20000", "credit_value": "19000", "penalty_value": "1000", "debt_absorbed": "18000", "credit": "19000", "returned_to_borrower": "999.999999", "shortfall": "0",'
has_line "carol: buyCollateral" "$scratch/out" '    "buy_collateral": {"WETH": {"store_front_price": "1950", "for_debt_absorbed": "9.230769230769230769"}}}'

expect_status "preview carol --repay 100" 0 "$LIQTOP" preview "$fx" --position carol --repay 100
has_line "no partial liquidation" "$scratch/out" '  "reverts": "no partial liquidation",'
has_line "the figures are the absorb's" "$scratch/out" '  "repay": "18000",'
expect_status "preview carol --repay 20000" 0 "$LIQTOP" preview "$fx" --position carol --repay 20000
has_line "more than the debt: the absorb" "$scratch/out" '  "reverts": null,'
has_line "capped at the debt" "$scratch/out" '  "repay_capped": true,'

# dave: credit 5700, 700 USDC back as floor(floor(700e6 / 1.05) x 1.05);
# repay 130 leaves ceil(4870e6 / 1.1) = 4427272728 worth 4870000000.
expect_status "preview dave" 0 "$LIQTOP" preview "$fx" --position dave --collateral WETH
has_line "dave: returned" "$scratch/out" '  "absorb": {"collateral_value": "6000", "credit_value": "5700", "penalty_value": "300", "debt_absorbed": "5000", "credit": "5700", "returned_to_borrower": "699.999999", "shortfall": "0",'
has_line "dave: avoid" "$scratch/out" '  "avoid": {"repay": {"USDC": "130"}, "deposit": {"WETH": "0.072625698325", "WBTC": "0.00422078"}},'
expect_status "preview dave table" 0 "$LIQTOP" preview "$fx" --position dave --format table
has_line "table: penalty" "$scratch/out" '  penalty                300   (value the borrower loses)'
has_line "table: returned" "$scratch/out" '  returned to borrower   699.999999 USDC   (base supply credited after the debt)'
has_line "table: storefront" "$scratch/out" '  buy WETH               2.564102564102564102 WETH   (buyCollateral at 1950, for the debt absorbed)'

# Bad debt: at WETH 1000, carol's credit 9500 is below her 18000.
expect_status "preview carol at WETH 1000" 0 "$LIQTOP" preview "$fx" --position carol --price WETH=1000
has_text "shortfall" "$scratch/out" '"returned_to_borrower": "0", "shortfall": "8500",'
has_line "only bad debt" "$scratch/out" '  "reason": "only a call that seizes all the collateral reaches the target: the debt left is written off as bad debt",'

# The same book from JSON Lines: "debt" lines take the quick reader,
# "principal" lines the full one; the figures are the same.
sed -e '/"positions"/,$d' -e 's/"WBTC": "40000"},/"WBTC": "40000"}}/' "$fx" >"$scratch/m.json"
printf '%s\n' '{"id": "carol", "market": "cusdcv3", "label": "Carol", "collateral": {"WETH": "10"}, "principal": "-16363.636364"}' \
    '{"id": "dave", "market": "cusdcv3", "collateral": {"WETH": "1", "WBTC": "0.1"}, "debt": {"USDC": "5000"}}' >"$scratch/p.jsonl"
expect_status "snapshot --positions" 0 "$LIQTOP" snapshot "$scratch/m.json" --positions "$scratch/p.jsonl" --format csv
has_line "jsonl: dave" "$scratch/out" 'dave,cusdcv3,,0.974,true,6000,5000,WETH=2145.25139664;WBTC=41688.31168839,false,0'
has_line "jsonl: carol" "$scratch/out" 'carol,cusdcv3,Carol,0.994444444444444444,true,20000,18000,WETH=2011.17318435,false,0'

# stress: at WETH 1800 both absorbs; carol's credit 10 x 1800 x 0.95 =
# 17100 leaves 900 of her 18000 to the reserves; dave's collateral 1800 +
# 4000, penalty 5% of it (290); with carol's 900: 1190.
expect_status "stress WETH -10%" 0 "$LIQTOP" stress "$fx" --shock WETH=-10%
has_text "stress: absorbs" "$scratch/out" '"liquidatable": 2, "newly_liquidatable": 0, "debt_repayable_value": "23000", "collateral_seized_value": "23800", "bonus_value": "1190", "bad_debt_value": "900"'

expect_status "preview erin: no debt" 2 "$LIQTOP" preview "$fx" --position erin

# A supply cap: carol's least WETH deposit is 0.05586592179; with exactly
# that much room under the cap (100000 - 99999.94413407821) it stands, one
# raw unit less and no deposit alone avoids absorb.
sed 's/"liquidation_factor": "0.95"},/"liquidation_factor": "0.95", "supply_cap": "100000", "total_supply": "99999.94413407821"},/' "$fx" >"$scratch/cap.json"
expect_status "preview carol under a cap" 0 "$LIQTOP" preview "$scratch/cap.json" --position carol
has_line "room enough: the deposit" "$scratch/out" '  "avoid": {"repay": {"USDC": "100"}, "deposit": {"WETH": "0.05586592179"}},'
sed 's/"99999.94413407821"/"99999.944134078210000001"/' "$scratch/cap.json" >"$scratch/cap1.json"
expect_status "preview carol one raw unit short" 0 "$LIQTOP" preview "$scratch/cap1.json" --position carol
has_line "room short: no deposit alone" "$scratch/out" '  "avoid": {"repay": {"USDC": "100"}, "deposit": {"WETH": null}},'

bad() { # DESC FROM TO MESSAGE
    sed "s/$2/$3/" "$fx" >"$scratch/bad.json"
    expect_status "$1: exit 2" 2 "$LIQTOP" snapshot "$scratch/bad.json"
    has_text "$1: message" "$scratch/err" "$4"
}
bad "no liquidate factor" '"liquidate_collateral_factor": "0.895", ' '' 'markets[0].assets[1].liquidate_collateral_factor: missing or zero'
bad "borrow factor at the liquidate factor" '"borrow_collateral_factor": "0.825"' '"borrow_collateral_factor": "0.895"' 'markets[0].assets[1].borrow_collateral_factor: must be below liquidate_collateral_factor (BorrowCFTooLarge)'
bad "liquidate factor above 1" '"liquidate_collateral_factor": "0.895"' '"liquidate_collateral_factor": "1.01"' 'markets[0].assets[1].liquidate_collateral_factor: above 1 (LiquidateCFTooLarge)'
bad "five decimals" '"liquidate_collateral_factor": "0.895"' '"liquidate_collateral_factor": "0.89512"' 'markets[0].assets[1].liquidate_collateral_factor: more than 4 decimals'
bad "no liquidation factor" '"0.895", "liquidation_factor": "0.95"' '"0.895"' 'markets[0].assets[1].liquidation_factor: missing or zero'
bad "liquidation factor above 1" '"liquidation_factor": "0.95"}' '"liquidation_factor": "1.2"}' 'markets[0].assets[1].liquidation_factor: above 1 (BadLiquidationFactor)'
bad "storefront above 1" '"store_front_price_factor": "0.5"' '"store_front_price_factor": "1.5"' 'markets[0].params.store_front_price_factor: above 1 (BadDiscount)'
bad "storefront missing" '"store_front_price_factor": "0.5",' '' 'markets[0].params.store_front_price_factor: missing'
bad "unknown base" '"base": "USDC"' '"base": "DAI"' 'markets[0].params.base: "DAI" is not an asset of this market'
bad "index of 16 places" '"base_borrow_index": "1.1"' '"base_borrow_index": "1.1000000000000001"' 'markets[0].params.base_borrow_index: "1.1000000000000001" has more places than 15'
bad "index below 1" '"base_borrow_index": "1.1"' '"base_borrow_index": "0.9"' 'markets[0].params.base_borrow_index: below 1'
bad "an aave key" '"liquidation_factor": "0.95"}' '"liquidation_factor": "0.95", "liquidation_threshold": "0.9"}' 'markets[0].assets[1].liquidation_threshold: unknown key'
bad "base with factors" '{"symbol": "USDC", "decimals": 6}' '{"symbol": "USDC", "decimals": 6, "liquidation_factor": "0.9"}' 'markets[0].assets[0].liquidation_factor: the base asset is not a collateral'
bad "principal and debt" '"debt": {"USDC": "5000"}' '"debt": {"USDC": "5000"}, "principal": "-1"' 'positions[1].principal: give it or "debt", not both'
bad "principal of 7 places" '"principal": "-16363.636364"' '"principal": "-16363.6363641"' 'positions[0].principal: "-16363.6363641" has more places than the base asset holds (6 decimals)'
bad "principal not a number" '"principal": "250"' '"principal": "-x"' 'positions[2].principal: "-x" is not a signed amount'
bad "a collateral borrowed" '"debt": {"USDC": "5000"}' '"debt": {"WETH": "1"}' 'positions[1]: debt: a compound-v3 position borrows the base asset only'
bad "the base as collateral" '"collateral": {"WETH": "1"},$' '"collateral": {"USDC": "1"},' 'positions[2]: collateral: the base asset is not a collateral in compound-v3'
bad "a cap with a fraction" '"liquidation_factor": "0.95"},' '"liquidation_factor": "0.95", "supply_cap": "100.5"},' 'markets[0].assets[1].supply_cap: has a fraction (Comet keeps whole units)'
bad "a total without a cap" '"liquidation_factor": "0.95"},' '"liquidation_factor": "0.95", "total_supply": "1"},' 'markets[0].assets[1].total_supply: given without supply_cap'
bad "params missing" '"params": {"base": "USDC", ' '"x": {"base": "USDC", ' 'markets[0].x: unknown key'
sed 's/"model": "compound-v3",/"model": "compound-v3", "base_decimals": 6,/' "$fx" >"$scratch/bad.json"
expect_status "base_decimals 6: exit 2" 2 "$LIQTOP" snapshot "$scratch/bad.json"
has_text "base_decimals 6: message" "$scratch/err" "markets[0].base_decimals: Comet's price feeds have 8 decimals"
printf '%s\n' '{"markets": [{"id": "a", "model": "aave-v3", "assets": [{"symbol": "WETH", "decimals": 18, "liquidation_threshold": "0.8", "liquidation_bonus": "0.05"}]}], "prices": {"WETH": "1"}, "positions": [{"id": "p", "market": "a", "principal": "-1"}]}' >"$scratch/bad.json"
expect_status "principal outside compound-v3: exit 2" 2 "$LIQTOP" snapshot "$scratch/bad.json"
has_text "principal outside compound-v3: message" "$scratch/err" 'positions[0].principal: only a compound-v3 position has one'
finish
