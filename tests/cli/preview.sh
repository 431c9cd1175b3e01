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
    '  "target_health": "1",'; do
    has_line "aave 3.7: ${l#  }" "$scratch/alice.json" "$l"
done

# Every field, in the order design.md gives.
order=$(sed -n 's/^  "\([a-z_]*\)": .*/\1/p' "$scratch/alice.json" | tr '\n' ' ')
want='position model debt_asset collateral_asset health_factor liquidatable close_factor max_repay repay collateral_seized liquidator_receives protocol_fee bonus health_factor_after liquidation_lowers_health reverts target_health repay_to_target collateral_to_target reason avoid '
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
