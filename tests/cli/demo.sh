#!/bin/sh
# The demo book (examples/demo.json) through every headless command: the
# snapshot's fields and order (design.md section 4) for each position, the
# ranking, CSV and table forms, check's exit status, and the preview of
# the position where liquidation lowers health.
. tests/cli/tap.inc

expect_status "snapshot of the demo exits 0" 0 \
    "$LIQTOP" snapshot examples/demo.json
cp "$scratch/out" "$scratch/demo.json"

# One position a line, every field in order, nothing else on the line.
item='  \{"id": "[^"]*", "market": "[^"]*", "label": "[^"]*", '
item=$item'"health_factor": ("[0-9]+(\.[0-9]+)?"|null), '
item=$item'"liquidatable": (true|false), '
item=$item'"collateral_value": "[0-9]+(\.[0-9]+)?", '
item=$item'"debt_value": "[0-9]+(\.[0-9]+)?", '
item=$item'"liquidation_price": \{("[^"]*": ("[0-9]+(\.[0-9]+)?"|null)(, )?)*\}, '
item=$item'"bad_debt": (true|false), '
item=$item'"gate": ("[a-z ]+"|null), '
# morpho-pre markets only (README "morpho-pre"): the band's three
item=$item'("pre_liquidatable": (true|false), "pre_lcf": ("[0-9]+(\.[0-9]+)?"|null), '
item=$item'"pre_lif": ("[0-9]+(\.[0-9]+)?"|null), )?'
# liquity-v2 troves only (README "Liquity v2"): the debt in front
item=$item'("debt_in_front": ("[0-9]+(\.[0-9]+)?"|null), )?'
item=$item'"liquidation_shock": ([0-9]+|null)\},?'
npos=$(grep -c '"market": "' examples/demo.json)
nitem=$(grep -cxE "$item" "$scratch/demo.json")
if [ "$nitem" -eq "$npos" ] && [ "$npos" -ge 12 ]; then
    ok "every demo position has the fields in design order ($nitem)"
else
    not_ok "fields in order: $nitem of $npos lines match"
    grep -vxE "$item" "$scratch/demo.json" | head -5 | sed 's/^/#   /'
fi
npre=$(grep -c '"model": "morpho-pre"' examples/demo.json)
withpre=$(grep -c '"pre_liquidatable": ' "$scratch/demo.json")
onpre=$(grep '"pre_liquidatable": ' "$scratch/demo.json" | grep -c '"market": "morpho-weth-usdc-pre"')
if [ "$npre" -ge 1 ] && [ "$withpre" -eq "$onpre" ] && [ "$onpre" -ge 1 ]; then
    ok "the band's fields on the morpho-pre market's positions only ($onpre)"
else
    not_ok "the band's fields: $withpre lines have them, $onpre on morpho-weth-usdc-pre"
fi
if [ "$(head -n 1 "$scratch/demo.json")" = '{"positions": [' ] &&
    [ "$(tail -n 1 "$scratch/demo.json")" = ']}' ]; then
    ok "one object {\"positions\": [...]}"
else
    not_ok "one object {\"positions\": [...]}"
fi

# Ranking: health ascending, positions without debt last.
grep -oE '"health_factor": ("[0-9.]+"|null)' "$scratch/demo.json" |
    sed 's/.*: //; s/"//g' >"$scratch/hf"
if awk 'BEGIN { prev = -1; nulls = 0; bad = 0 }
    $1 == "null" { nulls = 1; next }
    { if (nulls || $1 + 0 < prev) bad = 1; prev = $1 + 0 }
    END { exit bad }' "$scratch/hf"; then
    ok "ranked by health, no-debt positions last"
else
    not_ok "ranked by health, no-debt positions last"
fi
has_text "the saver has no debt: health null, last" "$scratch/demo.json" \
    '{"id": "saver", "market": "aave-core", "label": "Saver (no debt)", "health_factor": null, "liquidatable": false'
has_text "a position with bad debt is flagged" "$scratch/demo.json" \
    '"id": "wbtc-crash"'
if grep '"id": "wbtc-crash"' "$scratch/demo.json" | grep -q '"bad_debt": true'; then
    ok "wbtc-crash has bad_debt true"
else
    not_ok "wbtc-crash has bad_debt true"
fi

expect_status "demo csv" 0 "$LIQTOP" snapshot examples/demo.json --format csv
rows=$(($(wc -l <"$scratch/out") - 1))
if [ "$rows" -eq "$npos" ]; then ok "csv: a row a position"; else
    not_ok "csv: $rows rows for $npos positions"; fi
has_text "csv: several collaterals as SYM=P;SYM=P" "$scratch/out" \
    'WETH='
if grep '^dao-treasury,' "$scratch/out" | grep -qE ',WETH=[0-9.]*;WBTC=[0-9.]*,'; then
    ok "csv: dao-treasury lists WETH then WBTC"
else
    not_ok "csv: dao-treasury lists WETH then WBTC"
fi

# Table: a header and aligned columns.
expect_status "snapshot --format table" 0 \
    "$LIQTOP" snapshot examples/demo.json --format table
has_text "table header" "$scratch/out" "HEALTH"
if head -n 1 "$scratch/out" | grep -qE '^ *# +ID +LABEL +MARKET +HEALTH +RISK +COLLATERAL +DEBT +SHOCK +FLAGS +LIQUIDATION PRICE$'; then
    ok "table columns"
else
    not_ok "table columns"
    head -n 3 "$scratch/out" | sed 's/^/#   /'
fi
has_text "table summary" "$scratch/out" "positions:"

expect_status "demo preview table of the wstETH loop" 0 "$LIQTOP" preview \
    examples/demo.json --position steth-loop --format table
has_text "table warns when liquidation lowers health" "$scratch/out" \
    "WARNING: liquidation LOWERS this position's health factor"
expect_status "demo preview json of the wstETH loop, a small call" 0 \
    "$LIQTOP" preview examples/demo.json --position steth-loop --repay 1000
has_line "json: liquidation_lowers_health true" "$scratch/out" \
    '  "liquidation_lowers_health": true,'
expect_status "demo: some positions liquidatable" 1 "$LIQTOP" check \
    examples/demo.json
n=$(wc -l <"$scratch/out")
if [ "$n" -ge 3 ]; then ok "demo lists $n positions"; else
    not_ok "demo lists $n positions"; fi
if ! grep -q '^saver' "$scratch/out"; then ok "no-debt position never listed"
else not_ok "no-debt position never listed"; fi
expect_status "demo at --min-health 2" 1 "$LIQTOP" check examples/demo.json \
    --min-health 2
m=$(wc -l <"$scratch/out")
if [ "$m" -gt "$n" ]; then ok "a higher threshold lists more"; else
    not_ok "a higher threshold lists more ($m <= $n)"; fi

# Compound v2 reverts rather than cap when the collateral is short.
expect_status "grace: a repay her WBTC cannot cover" 0 "$LIQTOP" preview \
    examples/demo.json --position grace --collateral WBTC --repay 30000 \
    --price WETH=1400
has_line "compound: insufficient collateral is the revert" "$scratch/out" \
    '  "reverts": "insufficient collateral",'
# Aave 3.0: 50 % above health 0.95, all of the debt below.
expect_status "bob on 3.0" 0 "$LIQTOP" preview examples/demo.json \
    --position bob
has_line "bob: close factor 50 % (health 0.985)" "$scratch/out" \
    '  "close_factor": "0.5",'
expect_status "carol on 3.0" 0 "$LIQTOP" preview examples/demo.json \
    --position carol
has_line "carol: close factor 100 % (health 0.937)" "$scratch/out" \
    '  "close_factor": "1",'
expect_status "preview of the position without debt" 2 "$LIQTOP" preview \
    examples/demo.json --position saver
has_text "no debt: said so" "$scratch/err" "position saver has no debt"
# nina (morpho-pre: pre_lltv 0.80, LLTV 0.86, 10 WETH against 15,520 USDC)
# past pre_lltv below WETH 1,940, liquidatable below 1,804.65: at 1,840
# the table's RISK says pre, the summary counts her, and avoid is the least
# that leaves the band: repay 15,520 - 0.8 * 18,400 = 800 USDC, or deposit
# ceil(19,400e18 / 1,840) - 10e18 = 0.543478260869565218 WETH.
expect_status "nina at WETH 1,840: snapshot table" 0 "$LIQTOP" snapshot \
    examples/demo.json --price WETH=1840 --format table
has_text "nina at WETH 1,840: RISK pre" "$scratch/out" \
    "Nina (pre-liquidation band)          morpho-weth-usdc-pre  1.0195  pre "
has_text "the summary counts the band among those at risk" "$scratch/out" \
    "at risk (health below 1.5, or pre-liquidatable)"
expect_status "nina at WETH 1,840: preview" 0 "$LIQTOP" preview \
    examples/demo.json --position nina --price WETH=1840
has_text "nina's avoid leaves the band" "$scratch/out" \
    '"avoid": {"repay": {"USDC": "800"}, "deposit": {"WETH": "0.543478260869565218"}}'
finish
