#!/bin/sh
# euler-v2 (README "euler-v2"): the figures of tests/fixtures/euler.json,
# EVK's own test setups whose exact figures tests/unit/test_model_euler.c
# derives step by step: snapshot's health, liquidation price and the
# cool-off gate; preview's maxRepay and maxYield (shares and assets),
# partial yield, the ramped LTV, the share conversion of collateral given
# in assets, the reasons; bad input naming the JSON path.
. tests/cli/tap.inc

fx=tests/fixtures/euler.json
expect_status "snapshot" 0 "$LIQTOP" snapshot "$fx"
has_text "full: HS 0.96 (full.t.sol test_basicFullLiquidation)" "$scratch/out" '{"id": "full", "market": "full", "label": "", "health_factor": "0.96", "liquidatable": true, "collateral_value": "40", "debt_value": "12.5", "liquidation_price": {"FTST2": "0.416666666666666666"}, "bad_debt": false, "gate": null, "liquidation_shock": 0}'
has_text "cooling: checked 29 s ago, cool-off 30 s" "$scratch/out" '{"id": "cooling", "market": "full", "label": "", "health_factor": "0.96", "liquidatable": true, "collateral_value": "40", "debt_value": "12.5", "liquidation_price": {"FTST2": "0.416666666666666666"}, "bad_debt": false, "gate": "cool-off", "liquidation_shock": 0}'
has_text "cooled: checked 30 s ago, no gate" "$scratch/out" '{"id": "cooled", "market": "full", "label": "", "health_factor": "0.96", "liquidatable": true, "collateral_value": "40", "debt_value": "12.5", "liquidation_price": {"FTST2": "0.416666666666666666"}, "bad_debt": false, "gate": null,'
has_text "ramp: LTV 2745 at 17 s of 100" "$scratch/out" '{"id": "ramp", "market": "ramp", "label": "", "health_factor": "0.998181818181818181", "liquidatable": true, "collateral_value": "40", "debt_value": "11", "liquidation_price": {"RTST2": "0.400728597449908925"},'
has_text "rate: shares worth 5.879 assets" "$scratch/out" '{"id": "rate", "market": "rate", "label": "", "health_factor": "0.881849999999992681", "liquidatable": true, "collateral_value": "235.1599999999980484", "debt_value": "80",'

pv() { # DESC POSITION LINES... (after --)
    d=$1 p=$2
    shift 2
    args=
    while [ "$1" != "--" ]; do args="$args $1"; shift; done
    shift
    # shellcheck disable=SC2086
    expect_status "preview $d" 0 "$LIQTOP" preview "$fx" --position "$p" $args
    for l in "$@"; do has_line "$d: ${l#  }" "$scratch/out" "$l"; done
}
pv "full max" full -- '  "model": "euler-v2",' '  "close_factor": "1",' \
    '  "max_repay": "5",' '  "collateral_seized": "32.552083333333333332",' \
    '  "collateral_seized_assets": "32.552083333333333332",' \
    '  "protocol_fee": "0",' '  "health_factor_after": null,' '  "reverts": null,' \
    '  "avoid": {"repay": {"FTST": "0.200000000000000001"}, "deposit": {"FTST2": "4.166666666666666675"}}'
pv "full quarter" full --repay 1.25 -- '  "collateral_seized": "8.138020833333333333",' \
    '  "health_factor_after": "1.175833333333333333",' '  "reverts": null,'
pv "full above maxRepay" full --repay 5.000000000000000001 -- '  "reverts": "too much repay",' \
    '  "repay_capped": false,'
pv "full repay 0" full --repay 0 -- '  "reverts": "nothing to repay",'
pv "basic (mechanics 8.4)" basic -- '  "max_repay": "4.5",' '  "collateral_seized": "10",' \
    '  "health_factor_after": null,' \
    '  "reason": "only a call that seizes all the collateral reaches the target: the debt left is written off as bad debt",'
pv "ramp" ramp -- '  "collateral_seized": "27.550091074681238637",' '  "max_repay": "5",'
pv "rate" rate -- '  "collateral_seized": "38.577298920338739879",' \
    '  "collateral_seized_assets": "226.795940352669569562",' \
    '  "collateral_seized_value": "90.718376141067827824",'
# 587.9 assets deposited: 587.9e18 x (100e18 + 1e6) / (587.9e18 + 1e6)
# shares, floor, worth 587899999999999999999 back.
pv "rate in assets" rate-assets -- '  "health_factor": "0.881849999999999999",' \
    '  "collateral_seized": "38.577298920338419746",'
# a deposit in the controller vault itself is no collateral of it: worth
# nothing to health, never picked, and naming it reverts E_BadCollateral
pv "mixed" mixed -- '  "collateral_asset": "FTST2",' '  "health_factor": "0.96",' \
    '  "collateral_seized": "32.552083333333333332",'
pv "mixed --collateral FTST" mixed --collateral FTST -- \
    '  "reverts": "collateral not enabled",'
pv "cooling" cooling -- '  "reverts": "cool-off",' '  "reason": "no call is accepted now (reverts says why)",' \
    '  "collateral_seized": "32.552083333333333332",'
expect_status "preview cooling table" 0 "$LIQTOP" preview "$fx" --position cooling --format table
has_text "table: the cool-off's end" "$scratch/out" 'liquidation opens at 2025-12-02 12:53:21 UTC'

# stress values the seized shares as the assets they are worth: the two
# rate positions' 90.718376141067827824 and 90.718376141067075.
expect_status "stress" 0 "$LIQTOP" stress "$fx" --shock FTST2=-10% --format json
has_text "stress: seized shares valued as assets" "$scratch/out" '"rate": {"liquidatable": 2, "newly_liquidatable": 0, "debt_repayable_value": "160", "collateral_seized_value": "181.436752282134902824", "bonus_value": "21.436752282134902822", "bad_debt_value": "0"}'

# alerts: the cool-off is a gate; only the position checked 29 s ago has it.
echo '{"symbol": "FTST2", "price": "0.39", "ts": 1764680000000}' >"$scratch/walk.jsonl"
cat >"$scratch/rules.json" <<EOF2
{"rules": [{"name": "gated", "when": "gate"}],
 "actions": [{"file": "$scratch/events.jsonl"}]}
EOF2
expect_status "run --alerts gate" 0 "$LIQTOP" run "$fx" \
    --feed "replay:$scratch/walk.jsonl@max" --headless --until-end \
    --report json --alerts "$scratch/rules.json"
if [ "$(wc -l <"$scratch/events.jsonl")" -eq 1 ]; then ok "one gate event"; else
    not_ok "one gate event"; fi
has_text "the cooling position is gated" "$scratch/events.jsonl" \
    '"rule": "gated", "position": "cooling", "market": "full", "health_factor": "0.96", "liquidatable": true, "event": "fired"'

bad() { # DESC FROM TO MESSAGE
    sed "s/$2/$3/" "$fx" >"$scratch/bad.json"
    expect_status "$1: exit 2" 2 "$LIQTOP" snapshot "$scratch/bad.json"
    has_text "$1: message" "$scratch/err" "$4"
}
bad "max discount 1" '"max_liquidation_discount": "0.2", "liquidation' '"max_liquidation_discount": "1", "liquidation' 'markets[1].params.max_liquidation_discount: must be below 1'
bad "params missing" '"params": {"max_liquidation_discount": "0.2"},' '' 'markets[0].params: missing (an euler-v2 market'"'"'s max_liquidation_discount)'
bad "cool-off above uint16" '"liquidation_cool_off_time": 30' '"liquidation_cool_off_time": 65536' 'markets[1].params.liquidation_cool_off_time: "65536" is out of range'
bad "ramp up" '"original": "0.3"' '"original": "0.1"' 'markets[2].assets[1].ltv_ramp.original: must be above liquidation_ltv'
bad "ramp without duration" ', "duration": 100' '' 'markets[2].assets[1].ltv_ramp.duration: missing'
bad "borrow LTV above" '"ltv": "0.25"' '"ltv": "0.35"' 'markets[3].assets[1].ltv: must not exceed liquidation_ltv'
bad "ltv on the debt vault" '{"symbol": "TST", "decimals": 18}' '{"symbol": "TST", "decimals": 18, "ltv": "0.5"}' 'markets[0].assets[0].ltv: only a collateral has one'
bad "totals apart" '"total_assets": "587900000000000000000", ' '' 'markets[3].assets[1].total_shares: give total_assets and total_shares together'
bad "two debts" '"debt": {"TST": "5"}}' '"debt": {"TST": "5", "TST2": "1"}}' 'positions[0].debt: an euler-v2 position owes one vault'
bad "check after as_of" '"last_status_check": 1764679971' '"last_status_check": 1764680001' 'positions[3].last_status_check: 1764680001 is after as_of 1764680000'
bad "shares and assets" '"collateral_shares": {"RTST2": "100"}' '"collateral": {"RTST2": "1"}, "collateral_shares": {"RTST2": "100"}' 'positions[5].collateral_shares.RTST2: listed twice (in collateral too)'
cat >"$scratch/aave.json" <<'JSON'
{"markets": [{"id": "a", "model": "aave-v3", "assets": [
   {"symbol": "WETH", "decimals": 18, "liquidation_threshold": "0.8", "liquidation_bonus": "0.05"},
   {"symbol": "USDC", "decimals": 6, "liquidation_threshold": "0.8", "liquidation_bonus": "0.05"}]}],
 "prices": {"WETH": "2000", "USDC": "1"},
 "positions": [{"id": "p", "market": "a", "collateral_shares": {"WETH": "1"}, "debt": {"USDC": "1"}}]}
JSON
expect_status "collateral_shares on aave-v3: exit 2" 2 "$LIQTOP" snapshot "$scratch/aave.json"
has_text "collateral_shares on aave-v3: message" "$scratch/err" 'positions[0].collateral_shares: only positions in euler-v2 markets have it'

[ "$failures" -eq 0 ]
