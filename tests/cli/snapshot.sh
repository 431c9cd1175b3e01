#!/bin/sh
# liqtop snapshot: the fields and their order (design.md section 4), the
# ranking, exact values of the Aave v3.7 example, CSV and table forms, and
# --price overrides. Run from the top of the tree with $LIQTOP.
. tests/cli/tap.inc

# Exact figures of the derived Aave v3.7 example.
expect_status "snapshot of the Aave v3.7 example" 0 \
    "$LIQTOP" snapshot tests/fixtures/aave37.json --format json
has_line "alice: exact health, values, liquidation price" "$scratch/out" \
    '  {"id": "alice", "market": "aave-core", "label": "Alice main", "health_factor": "0.970588235294117647", "liquidatable": true, "collateral_value": "20000", "debt_value": "17000", "liquidation_price": {"WETH": "2060.6060606"}, "bad_debt": false, "gate": null}'

# --price: WETH at 2100 lifts alice above 1 (21000 * 0.825 / 17000).
expect_status "snapshot --price WETH=2100" 0 \
    "$LIQTOP" snapshot tests/fixtures/aave37.json --price WETH=2100
has_text "--price overrides the file's price" "$scratch/out" \
    '"health_factor": "1.019117647058823529", "liquidatable": false'
expect_status "--price=SYM=P form" 0 \
    "$LIQTOP" snapshot --price=WETH=2100 tests/fixtures/aave37.json
has_text "--price=SYM=P is read the same" "$scratch/out" \
    '"health_factor": "1.019117647058823529"'

# CSV: one header, one row a position, quoted where needed.
expect_status "snapshot --format csv" 0 \
    "$LIQTOP" snapshot tests/fixtures/aave37.json --format csv
has_line "csv header" "$scratch/out" \
    'id,market,label,health_factor,liquidatable,collateral_value,debt_value,liquidation_price,bad_debt'
has_line "csv row" "$scratch/out" \
    'alice,aave-core,Alice main,0.970588235294117647,true,20000,17000,WETH=2060.6060606,false'
# Table: a header, aligned columns, a summary.
expect_status "snapshot --format table" 0 \
    "$LIQTOP" snapshot tests/fixtures/aave37.json --format table
if head -n 1 "$scratch/out" | grep -qE '^#  ID +LABEL +MARKET +HEALTH +RISK +COLLATERAL +DEBT +FLAGS +LIQUIDATION PRICE$'; then
    ok "table columns"
else
    not_ok "table columns"
    head -n 3 "$scratch/out" | sed 's/^/#   /'
fi
has_text "table row: cut health, tier, grouped values" "$scratch/out" \
    "alice  Alice main  aave-core  0.9705  liquidatable   20,000.00  17,000.00         WETH 2,060.60"
has_text "table summary" "$scratch/out" "1 position: 1 liquidatable"

expect_status "snapshot --format xml is a usage error" 2 \
    "$LIQTOP" snapshot examples/demo.json --format xml
expect_status "snapshot without a portfolio is a usage error" 2 \
    "$LIQTOP" snapshot
expect_status "snapshot --help" 0 "$LIQTOP" snapshot --help
finish
