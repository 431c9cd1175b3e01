#!/bin/sh
# liqtop snapshot: the fields and their order (design.md section 4), the
# ranking, exact values of the Aave v3.7 example, CSV and table forms, and
# --price overrides. Run from the top of the tree with $LIQTOP.
. tests/cli/tap.inc

# Exact figures of the derived Aave v3.7 example.
expect_status "snapshot of the Aave v3.7 example" 0 \
    "$LIQTOP" snapshot tests/fixtures/aave37.json --format json
has_line "alice: exact health, values, liquidation price" "$scratch/out" \
    '  {"id": "alice", "market": "aave-core", "label": "Alice main", "health_factor": "0.970588235294117647", "liquidatable": true, "collateral_value": "20000", "debt_value": "17000", "liquidation_price": {"WETH": "2060.6060606"}, "bad_debt": false, "gate": null, "liquidation_shock": 0}'

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
    'id,market,label,health_factor,liquidatable,collateral_value,debt_value,liquidation_price,bad_debt,liquidation_shock'
has_line "csv row" "$scratch/out" \
    'alice,aave-core,Alice main,0.970588235294117647,true,20000,17000,WETH=2060.6060606,false,0'
# Table: a header, aligned columns, a summary.
expect_status "snapshot --format table" 0 \
    "$LIQTOP" snapshot tests/fixtures/aave37.json --format table
if head -n 1 "$scratch/out" | grep -qE '^#  ID +LABEL +MARKET +HEALTH +RISK +COLLATERAL +DEBT +SHOCK +FLAGS +LIQUIDATION PRICE$'; then
    ok "table columns"
else
    not_ok "table columns"
    head -n 3 "$scratch/out" | sed 's/^/#   /'
fi
has_text "table row: cut health, tier, grouped values" "$scratch/out" \
    "alice  Alice main  aave-core  0.9705  liquidatable   20,000.00  17,000.00    now         WETH 2,060.60"
has_text "table summary" "$scratch/out" "1 position: 1 liquidatable"

# liquidation_shock: at WETH 2200, the least fall of WETH that takes alice
# below 1 is 634 bps (2060.52 < 2060.6060606 < 2060.74 at 633); the
# group named, a group that does not move her, and a symbol not in the
# book.
expect_status "snapshot --price WETH=2200" 0 \
    "$LIQTOP" snapshot tests/fixtures/aave37.json --price WETH=2200
has_text "liquidation_shock 634 bps" "$scratch/out" \
    '"bad_debt": false, "gate": null, "liquidation_shock": 634}'
expect_status "--stress-assets WETH" 0 "$LIQTOP" snapshot \
    tests/fixtures/aave37.json --price WETH=2200 --stress-assets WETH
has_text "--stress-assets WETH: 634" "$scratch/out" '"liquidation_shock": 634}'
expect_status "--stress-assets USDC" 0 "$LIQTOP" snapshot \
    tests/fixtures/aave37.json --price WETH=2200 --stress-assets USDC \
    --format csv
has_line "a falling debt price never liquidates: empty" "$scratch/out" \
    'alice,aave-core,Alice main,1.067647058823529411,false,22000,17000,WETH=2060.6060606,false,'
expect_status "--stress-assets with an unknown symbol" 2 "$LIQTOP" snapshot \
    tests/fixtures/aave37.json --stress-assets WETH,DOGE
has_text "unknown stress asset named" "$scratch/err" \
    "--stress-assets DOGE: DOGE is no asset of the book"
expect_status "table: the shock column" 0 "$LIQTOP" snapshot \
    tests/fixtures/aave37.json --price WETH=2200 --format table
has_text "table: -6.34%" "$scratch/out" "  -6.34%  "

expect_status "snapshot --format xml is a usage error" 2 \
    "$LIQTOP" snapshot examples/demo.json --format xml
expect_status "snapshot without a portfolio is a usage error" 2 \
    "$LIQTOP" snapshot
expect_status "snapshot --help" 0 "$LIQTOP" snapshot --help
finish
