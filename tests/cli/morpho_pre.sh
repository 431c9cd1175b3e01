#!/bin/sh
# morpho-pre (design.md 3): the figures of tests/fixtures/morpho_pre.json
# (derived step by step from PreLiquidation.sol's formulas in
# tests/unit/test_model_morpho_pre.c), snapshot's pre_liquidatable,
# pre_lcf and pre_lif, preview by repay, by --seize and at the maximum,
# plain Morpho figures once liquidatable, and the constructor's checks as
# bad input naming the field.
. tests/cli/tap.inc

fx=tests/fixtures/morpho_pre.json
expect_status "snapshot" 0 "$LIQTOP" snapshot "$fx"
has_text "band: preLCF and preLIF at LTV 0.84" "$scratch/out" '"id": "band", "market": "mp", "label": "", "health_factor": "1.023809523809523809", "liquidatable": false, "collateral_value": "20000", "debt_value": "16800", "liquidation_price": {"WETH": "1953.48837209"}, "bad_debt": false, "gate": null, "pre_liquidatable": true, "pre_lcf": "0.299999999999999999", "pre_lif": "1.021428571428571428", "liquidation_shock": 233}'
has_text "safe: below the band, null" "$scratch/out" '"id": "safe", "market": "mp", "label": "", "health_factor": "1.075", "liquidatable": false, "collateral_value": "20000", "debt_value": "16000", "liquidation_price": {"WETH": "1860.46511629"}, "bad_debt": false, "gate": null, "pre_liquidatable": false, "pre_lcf": null, "pre_lif": null, "liquidation_shock": 698}'
has_text "liq: past the LLTV, not pre-liquidatable" "$scratch/out" '"id": "liq", "market": "mp", "label": "", "health_factor": "0.994219653179190751", "liquidatable": true, "collateral_value": "20000", "debt_value": "17300", "liquidation_price": {"WETH": "2011.62790699"}, "bad_debt": false, "gate": null, "pre_liquidatable": false, "pre_lcf": null, "pre_lif": null, "liquidation_shock": 0}'

expect_status "preview band" 0 "$LIQTOP" preview "$fx" --position band
for l in '  "model": "morpho-pre",' '  "close_factor": "0.299999999999999999",' \
    '  "max_repay": "5039.999999",' '  "repay": "5039.999999",' \
    '  "collateral_seized": "2.573999999",' '  "reverts": null,'; do
    has_line "band max: ${l#  }" "$scratch/out" "$l"
done
expect_status "preview band --repay max" 0 "$LIQTOP" preview "$fx" --position band --repay max
has_line "--repay max repays max_repay" "$scratch/out" '  "repay": "5039.999999",'
expect_status "preview band --repay 1000" 0 "$LIQTOP" preview "$fx" --position band --repay 1000
has_line "repay 1000: seized with preLIF" "$scratch/out" '  "collateral_seized": "0.5107142855",'
expect_status "preview band --repay 5040" 0 "$LIQTOP" preview "$fx" --position band --repay 5040
has_line "above the preLCF cap: a revert, not capped" "$scratch/out" '  "reverts": "too much repay",'
has_line "not capped" "$scratch/out" '  "repay_capped": false,'
expect_status "preview band --seize 1" 0 "$LIQTOP" preview "$fx" --position band --seize 1
has_line "seize 1: repaid shares" "$scratch/out" '  "repaid_shares": "1958041959000000",'
has_line "seize 1: repay" "$scratch/out" '  "repay": "1958.041959",'
expect_status "preview band --repay 0" 0 "$LIQTOP" preview "$fx" --position band --repay 0
has_line "repay 0" "$scratch/out" '  "reverts": "nothing to repay",'
# The least repay to health 1.05 in the band: from PreLiquidation's seize
# with preLIF and Morpho's health after, the first repay reaching it.
expect_status "preview band --target-health 1.05" 0 "$LIQTOP" preview "$fx" --position band --target-health 1.05
has_line "band: repay_to_target" "$scratch/out" '  "repay_to_target": "2564.52956",'
expect_status "preview safe" 0 "$LIQTOP" preview "$fx" --position safe
has_line "safe: not pre-liquidatable" "$scratch/out" '  "reverts": "not pre-liquidatable",'
has_line "safe: max_repay 0" "$scratch/out" '  "max_repay": "0",'
expect_status "preview liq" 0 "$LIQTOP" preview "$fx" --position liq
has_line "liq: Morpho's own close factor" "$scratch/out" '  "close_factor": "1",'
has_line "liq: Morpho's LIF at 0.86" "$scratch/out" '  "collateral_seized": "9.029227557",'

# The pre-liquidation oracle: at 1.9e27 the band position is past the LLTV.
sed 's/"pre_lif2": "1.05"}/"pre_lif2": "1.05", "pre_oracle_price": "1900000000000000000000000000"}/' "$fx" >"$scratch/o.json"
expect_status "preview on the pre oracle" 0 "$LIQTOP" preview "$scratch/o.json" --position band
has_line "use liquidation" "$scratch/out" '  "reverts": "use liquidation",'

bad() { # DESC FROM TO MESSAGE
    sed "s/$2/$3/" "$fx" >"$scratch/bad.json"
    expect_status "$1: exit 2" 2 "$LIQTOP" snapshot "$scratch/bad.json"
    has_text "$1: message" "$scratch/err" "$4"
}
bad "pre_lltv at LLTV" '"pre_lltv": "0.832"' '"pre_lltv": "0.86"' 'markets[0].params.pre_lltv: must be below the LLTV'
bad "pre_lcf1 above pre_lcf2" '"pre_lcf1": "0.1"' '"pre_lcf1": "0.9"' 'markets[0].params.pre_lcf1: must not exceed pre_lcf2'
bad "pre_lcf1 above 1" '"pre_lcf1": "0.1", "pre_lcf2": "0.8"' '"pre_lcf1": "1.1", "pre_lcf2": "1.2"' 'markets[0].params.pre_lcf1: must be at most 1'
bad "pre_lif1 below 1" '"pre_lif1": "1.01"' '"pre_lif1": "0.99"' 'markets[0].params.pre_lif1: must be at least 1'
bad "pre_lif1 above pre_lif2" '"pre_lif1": "1.01"' '"pre_lif1": "1.06"' 'markets[0].params.pre_lif1: must not exceed pre_lif2'
bad "pre_lif2 above 1 over LLTV" '"pre_lif2": "1.05"' '"pre_lif2": "1.17"' 'markets[0].params.pre_lif2: must be at most 1 / LLTV'
bad "pre_lltv missing" '"pre_lltv": "0.832", ' '' 'markets[0].params.pre_lltv: missing'
bad "unknown param" '"pre_lltv"' '"pre_ltv": "1", "pre_lltv"' 'markets[0].params.pre_ltv'
bad "pre_oracle_price zero" '"pre_lif2": "1.05"}' '"pre_lif2": "1.05", "pre_oracle_price": "0"}' 'markets[0].params.pre_oracle_price: zero'
finish
