#!/bin/sh
# SparkLend (model spark) through the commands: snapshot and preview on
# tests/fixtures/spark.json, and bad input. Figures by hand from the
# pinned sources (README "spark"):
#   edge: 1 WETH at 2,000 (LT 0.76) against 1,600 USDC: HF
#     floor(wadDiv(2e11 x 7600, 1.6e11) / 1e4) = 0.95 exactly, so the
#     close factor is 100 % (3.0's: not above 0.95); all 1,600 repaid
#     seizes percentMul(0.8e18, 10500) = 0.84 WETH, bonus 0.04, fee 10 %
#     of it 0.004; no dust rule, no 2,000 threshold.
#   loop: eMode 1 prices wstETH and WETH by ETHUSD (2000.5, the pre-3.2
#     price source): 10 x 2000.5 = 20005 against 8.5 x 2000.5 = 17004.25,
#     HF floor(wadDiv(20005e8 x 9300, 17004.25e8) / 1e4) =
#     1.094117647058823529.
#   scaled: WETH's liquidity index 1.0123456789 accrued 86400 s at 2 %
#     linear: rayMul(1000054794520547945205479452, 1.0123456789e27) =
#     1012401149896104109589041096; rayMulFloor(1e18, it) =
#     1012401149896104109 WETH = 202480229979 base (floor). USDC debt
#     rayMulCeil(1e9, 1.033333333333333333333333333e27) = 1033333334 (3.0's
#     rayMul half-up: ...333), 103333333400 base. HF
#     floor(wadDiv(202480229979 x 7600, 103333333400) / 1e4) =
#     1.489209432433155204.
#   accrued: WETH's borrow index 1.05 at 3 % over 86400 s by 3.0's
#     expansion (MathUtils@16c4e618: basePowerTwo 904959816, basePowerThree
#     0): 1050086304916453599446240377 (3.4's form: ...591819894760383);
#     rayMulCeil(1e18, it) = 1050086304916453600 WETH, ceil 210017260984
#     base; HF floor(wadDiv(5000e8 x 7800, 210017260984) / 1e4) =
#     1.856990221530942847.
#   time_to_liquidation (design.md 4.1; the rates are known): accrued's
#     index compounds from last_update by 3.0's expansion (rayMul
#     half-up onto 1.05), its debt ceil'd as above; HF falls below 1 at
#     680575001 s after as_of (HF 1.000000000217948717 a second before,
#     0.999999999374358974 then; about 21.6 years). edge is liquidatable
#     now (0); scaled's debt has no rate and its collateral only grows
#     (null).
# Run from the top of the tree with $LIQTOP.
. tests/cli/tap.inc

book=tests/fixtures/spark.json

expect_status "snapshot of the spark fixture" 0 \
    "$LIQTOP" snapshot "$book" --format json
cp "$scratch/out" "$scratch/snap.json"
has_text "HF 0.95 exactly" "$scratch/snap.json" \
    '"id": "edge", "market": "spark", "label": "HF 0.95 exactly", "health_factor": "0.95", "liquidatable": true, "collateral_value": "2000", "debt_value": "1600"'
has_text "eMode price source" "$scratch/snap.json" \
    '"id": "loop", "market": "spark", "label": "eMode priced by ETHUSD", "health_factor": "1.094117647058823529", "liquidatable": false, "collateral_value": "20005", "debt_value": "17004.25"'
has_text "scaled balances: aToken down, vToken up" "$scratch/snap.json" \
    '"id": "scaled", "market": "spark", "label": "scaled balances", "health_factor": "1.489209432433155204", "liquidatable": false, "collateral_value": "2024.80229979", "debt_value": "1033.333334"'
has_text "debt accrued by 3.0's expansion" "$scratch/snap.json" \
    '"health_factor": "1.856990221530942847", "liquidatable": false, "collateral_value": "5000", "debt_value": "2100.17260984"'
# loop's wstETH and WETH both take ETHUSD's price (the category's price
# source), so no move of it, nor of wstETH's own, changes its health:
# no liquidation price, no liquidation shock (its collateral's price
# prices its debt too).
has_text "eMode price source: no liquidation price or shock" "$scratch/snap.json" \
    '"label": "eMode priced by ETHUSD", "health_factor": "1.094117647058823529", "liquidatable": false, "collateral_value": "20005", "debt_value": "17004.25", "liquidation_price": {"wstETH": null}, "bad_debt": false, "gate": null, "time_to_liquidation": 94673559, "liquidation_shock": null}'
has_text "time_to_liquidation from 3.0's expansion" "$scratch/snap.json" \
    '"debt_value": "2100.17260984", "liquidation_price": {"USDC": "0.53850579"}, "bad_debt": false, "gate": null, "time_to_liquidation": 680575001,'
has_text "time_to_liquidation 0 when liquidatable now" "$scratch/snap.json" \
    '"label": "HF 0.95 exactly", "health_factor": "0.95", "liquidatable": true, "collateral_value": "2000", "debt_value": "1600", "liquidation_price": {"WETH": "2105.26315789"}, "bad_debt": false, "gate": null, "time_to_liquidation": 0,'
has_text "time_to_liquidation null when interest never gets there" "$scratch/snap.json" \
    '"label": "scaled balances", "health_factor": "1.489209432433155204", "liquidatable": false, "collateral_value": "2024.80229979", "debt_value": "1033.333334", "liquidation_price": {"WETH": "1342.99444822"}, "bad_debt": false, "gate": null, "time_to_liquidation": null,'
expect_status "preview of the accrued position" 0 \
    "$LIQTOP" preview "$book" --position accrued --format json
has_line "preview: time_to_liquidation" "$scratch/out" \
    '  "time_to_liquidation": 680575001'

expect_status "preview at HF 0.95" 0 \
    "$LIQTOP" preview "$book" --position edge --format table
has_line "model named, no version" "$scratch/out" \
    "Market spark, model spark; values in the market's base currency."
has_line "close factor 100 % at 0.95" "$scratch/out" \
    '  close factor           100 %   (share of this debt one call may repay)'
has_line "the whole debt in one call" "$scratch/out" \
    '  max repay              1,600 USDC   (after close factor, collateral cap and dust rule)'
has_line "seized" "$scratch/out" \
    '  collateral seized      0.84 WETH   (worth 1,680; all that leaves the borrower)'
has_line "protocol fee" "$scratch/out" \
    '    protocol fee         0.004 WETH   (worth 8)'
# 1,000 USDC repaid leaves 600 of debt and 950 of collateral: 3.3+ would
# revert (dust under 1,000); spark takes it.
expect_status "preview of a partial repay" 0 \
    "$LIQTOP" preview "$book" --position edge --repay 1000 --format json
has_line "no dust rule" "$scratch/out" '  "reverts": null,'
cat >"$scratch/aave37.json" <<'JSON'
{"as_of": 1733000000,
 "markets": [{"id": "core", "model": "aave-v3", "version": "3.7", "assets": [
   {"symbol": "WETH", "decimals": 18, "ltv": "0.74",
    "liquidation_threshold": "0.76", "liquidation_bonus": "0.05",
    "protocol_fee": "0.10"},
   {"symbol": "USDC", "decimals": 6, "ltv": "0.75",
    "liquidation_threshold": "0.78", "liquidation_bonus": "0.045",
    "protocol_fee": "0.10"}]}],
 "prices": {"WETH": "2000", "USDC": "1"},
 "positions": [{"id": "edge", "market": "core", "collateral": {"WETH": "1"},
                "debt": {"USDC": "1600"}}]}
JSON
expect_status "the same call on aave-v3 3.7" 0 \
    "$LIQTOP" preview "$scratch/aave37.json" --position edge --repay 1000 \
    --format json
has_line "3.7 applies the dust rule" "$scratch/out" \
    '  "reverts": "must not leave dust",'

# Bad input: exit 2 and the JSON path.
bad() { # desc, sed expression on the fixture, expected message
    sed "$2" "$book" >"$scratch/bad.json"
    expect_status "$1: exit 2" 2 "$LIQTOP" snapshot "$scratch/bad.json"
    has_text "$1: message" "$scratch/err" "$3"
}
bad "a version on spark" 's/"model": "spark",/"model": "spark", "version": "3.5",/' \
    'markets[0].version: "3.5" is not a version of spark (spark has none: its rules are pinned)'
bad "an unknown version" 's/"model": "spark",/"model": "spark", "version": "3.9",/' \
    'markets[0].version: "3.9" is not a version of spark'
bad "a grace period on spark" 's/"protocol_fee": "0.10", "emode_category": 1,/"protocol_fee": "0.10", "emode_category": 1, "liquidation_grace_until": 1733000000,/' \
    'markets[0].assets[0].liquidation_grace_until: spark has no grace periods'
bad "the 3.2 eMode form on spark" 's/"price_source": "ETHUSD"}/"price_source": "ETHUSD", "collateral": ["WETH"]}/' \
    'markets[0].emode_categories[0].collateral: the form of 3.2 and later'
finish
