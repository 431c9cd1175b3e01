#!/bin/sh
# liqtop preview: the derived Aave v3.7 example to the last raw unit
# (liquidation-mechanics.md 2.9), the fields of design.md section 4 in
# order, --repay/--debt/--collateral/--target-health, and the table form.
. tests/cli/tap.inc

fx=tests/fixtures/aave37.json
expect_status "preview alice" 0 "$LIQTOP" preview "$fx" --position alice
cp "$scratch/out" "$scratch/alice.json"
for l in '  "position": "alice",' '  "model": "aave-v3",' \
    '  "debt_asset": "USDC",' '  "collateral_asset": "WETH",' \
    '  "health_factor": "0.970588235294117647",' '  "liquidatable": true,' \
    '  "close_factor": "0.5",' '  "max_repay": "8500",' '  "repay": "8500",' \
    '  "collateral_seized": "4.4625",' '  "liquidator_receives": "4.44125",' \
    '  "protocol_fee": "0.02125",' '  "bonus": "0.2125",' \
    '  "health_factor_after": "1.074926470588235294",' \
    '  "liquidation_lowers_health": false,' '  "reverts": null,' \
    '  "target_health": "1",' '  "requested_repay": "8500",' \
    '  "repay_capped": false,' '  "collateral_seized_value": "8925",' \
    '  "protocol_fee_value": "42.5",' '  "bonus_value": "425",'; do
    has_line "aave 3.7: ${l#  }" "$scratch/alice.json" "$l"
done

# Every field, in the order design.md gives.
order=$(sed -n 's/^  "\([a-z_]*\)": .*/\1/p' "$scratch/alice.json" | tr '\n' ' ')
want='position model debt_asset collateral_asset health_factor liquidatable close_factor max_repay repay requested_repay repay_capped collateral_seized collateral_seized_value liquidator_receives protocol_fee protocol_fee_value bonus bonus_value health_factor_after liquidation_lowers_health reverts target_health repay_to_target cover_to_target collateral_to_target reason avoid '
if [ "$order" = "$want" ]; then ok "preview fields in design order"; else
    not_ok "preview fields in design order"
    echo "#   got:  $order"
fi
if grep -qE '^  "avoid": \{"repay": \{"USDC": "[0-9.]+"\}, "deposit": \{"WETH": "[0-9.]+"\}\}$' "$scratch/alice.json"; then
    ok "avoid: repay and deposit by symbol"
else
    not_ok "avoid: repay and deposit by symbol"
fi
if grep -qE '^  "repay_to_target": "[0-9.]+",$' "$scratch/alice.json"; then
    ok "repay_to_target present"
else
    not_ok "repay_to_target present"
fi

# A smaller repay, named assets.
expect_status "preview --repay 1000" 0 "$LIQTOP" preview "$fx" \
    --position alice --debt USDC --collateral WETH --repay 1000
has_line "repay 1000 USDC" "$scratch/out" '  "repay": "1000",'
has_line "seizes 0.525 WETH (1000/2000 * 1.05)" "$scratch/out" \
    '  "collateral_seized": "0.525",'
# Above what one call may take: Aave caps it and says so.
expect_status "preview --repay 10000" 0 "$LIQTOP" preview "$fx" \
    --position alice --repay 10000
for l in '  "repay": "8500",' '  "requested_repay": "10000",' \
    '  "repay_capped": true,' '  "reverts": null,'; do
    has_line "aave caps 10000: ${l#  }" "$scratch/out" "$l"
done
expect_status "preview --repay 10000 table" 0 "$LIQTOP" preview "$fx" \
    --position alice --repay 10000 --format table
has_text "table: capped at" "$scratch/out" "capped at 8,500 USDC (asked 10,000)"
expect_status "preview --repay 0" 0 "$LIQTOP" preview "$fx" \
    --position alice --repay 0
has_line "repay 0 reverts" "$scratch/out" '  "reverts": "nothing to repay",'
expect_status "preview --repay 0.000001" 0 "$LIQTOP" preview "$fx" \
    --position alice --repay 0.000001
has_line "1e-6 USDC seizes 0.000000000525 WETH" "$scratch/out" \
    '  "collateral_seized": "0.000000000525",'

# The least repay to the target is the least of every call
# (tests/fixtures/preview_edges.json).
ex=tests/fixtures/preview_edges.json
expect_status "aave 3.3 dust band" 0 "$LIQTOP" preview "$ex" --position dust
has_line "dust band: least is 1875" "$scratch/out" '  "repay_to_target": "1875",'
has_line "dust band: seizes 1968.75" "$scratch/out" \
    '  "collateral_to_target": "1968.75",'
expect_status "aave 3.3 in the band" 0 "$LIQTOP" preview "$ex" \
    --position dust --repay 3000
has_line "the band reverts" "$scratch/out" '  "reverts": "must not leave dust",'
expect_status "aave 3.0 sawtooth" 0 "$LIQTOP" preview "$ex" --position saw \
    --target-health 1.05
has_line "sawtooth: the earlier tooth" "$scratch/out" \
    '  "repay_to_target": "564735.206266",'
expect_status "only a write-off reaches" 0 "$LIQTOP" preview "$ex" \
    --position deep
for l in '  "repay_to_target": "19047.619048",' \
    '  "collateral_to_target": "10",' \
    '  "liquidation_lowers_health": true,' \
    '  "reason": "only a call that seizes all the collateral reaches the target: the debt left is written off as bad debt",'; do
    has_line "deep: ${l#  }" "$scratch/out" "$l"
done
for pos in comp morpho; do
    expect_status "$pos above one call" 0 "$LIQTOP" preview "$ex" \
        --position $pos --repay 1800
    for l in '  "repay": "1800",' '  "requested_repay": "1800",' \
        '  "repay_capped": false,' '  "reverts": "too much repay",'; do
        has_line "$pos never caps: ${l#  }" "$scratch/out" "$l"
    done
done

expect_status "preview --repay max" 0 "$LIQTOP" preview "$fx" \
    --position alice --repay max
has_line "max is max_repay" "$scratch/out" '  "repay": "8500",'

# Not liquidatable: every figure still there, and the reason.
expect_status "preview of a healthy position" 0 "$LIQTOP" preview "$fx" \
    --position alice --price WETH=2500
has_line "healthy: reverts not liquidatable" "$scratch/out" \
    '  "reverts": "not liquidatable",'
has_line "healthy: liquidatable false" "$scratch/out" '  "liquidatable": false,'

expect_status "--target-health 1.05" 0 "$LIQTOP" preview "$fx" \
    --position alice --target-health 1.05
has_line "target 1.05" "$scratch/out" '  "target_health": "1.05",'

# Bad arguments: exit 2, a message naming what.
expect_status "unknown position" 2 "$LIQTOP" preview "$fx" --position bob
has_text "unknown position named" "$scratch/err" "--position bob: no such position"
expect_status "debt asset the position lacks" 2 "$LIQTOP" preview "$fx" \
    --position alice --debt WETH
has_text "debt asset named" "$scratch/err" "--debt WETH: position alice has no WETH debt"
expect_status "repay finer than USDC" 2 "$LIQTOP" preview "$fx" \
    --position alice --repay 1.0000001
has_text "repay precision named" "$scratch/err" "--repay 1.0000001: more places than USDC holds (6 decimals)"
expect_status "missing --position" 2 "$LIQTOP" preview "$fx"
expect_status "--format csv is not a preview format" 2 "$LIQTOP" preview \
    "$fx" --position alice --format csv

# The table reads clearly: headings, units, symbols.
expect_status "preview --format table" 0 "$LIQTOP" preview "$fx" \
    --position alice --format table
for t in 'Liquidation preview: position alice (Alice main)' \
    'health factor' 'LIQUIDATABLE' 'max repay              8,500 USDC' \
    'collateral seized      4.4625 WETH' '  protocol fee         0.02125 WETH' \
    'Avoid liquidation' 'would succeed'; do
    has_text "table: $t" "$scratch/out" "$t"
done
finish
