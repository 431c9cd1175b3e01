#!/bin/sh
# Aave v3 on-chain state (design.md 3.1) through the commands: eMode and
# disabled collateral in snapshot, scaled balances with accrued indexes,
# the gates in snapshot ("gate") and in preview's words, the same from a
# JSON Lines book, and bad input. Figures: tests/unit/test_aave3_state.c
# derives the eMode loop's; the scaled position's are, step by step,
#   WETH variable borrow index: 1.05 accrued 86400 s at 3 % (3.4+ MathUtils)
#     = rayMul(RAY + x + rayMul(x, x/2 + rayMul(x, x/6)), 1.05e27)
#     with x = 0.03e27 x 86400 / 31536000: 1050086304916591819894760383;
#   debt = rayMulCeil(9e18, that) = 9450776744249326380 WETH, valued up
#     at 3400.12345678: 3213380769292 base;
#   collateral = rayMulFloor(10e18, 1.001e27) = 10.01e18 wstETH at
#     4120.56789012: 4124688458010 base;
#   HF = floor(wadDiv(4124688458010 x 8100, 3213380769292) / 1e4)
#      = 1039714210938101077.
# Run from the top of the tree with $LIQTOP.
. tests/cli/tap.inc

book=tests/fixtures/aave3_state.json

expect_status "snapshot of the state fixture" 0 \
    "$LIQTOP" snapshot "$book" --format json
cp "$scratch/out" "$scratch/snap.json"
has_line "eMode loop: the category's threshold" "$scratch/snap.json" \
    '  {"id": "loop", "market": "core", "label": "wstETH loop in eMode", "health_factor": "1.03002809829755686", "liquidatable": false, "collateral_value": "412565.50109262", "debt_value": "382513.88888775", "liquidation_price": {"wstETH": "4000.44221796"}, "bad_debt": false, "gate": null, "time_to_liquidation": 31100923, "liquidation_shock": 292},'
has_line "disabled collateral: no value, no weight, no liquidation price" "$scratch/snap.json" \
    '  {"id": "loop-off", "market": "core", "label": "USDC not collateral", "health_factor": "1.03002809829755686", "liquidatable": false, "collateral_value": "412565.50109262", "debt_value": "382513.88888775", "liquidation_price": {"wstETH": "4000.44221796", "USDC": null}, "bad_debt": false, "gate": null, "time_to_liquidation": 31100923, "liquidation_shock": 292},'
has_text "scaled balances through accrued indexes" "$scratch/snap.json" \
    '"id": "scaled", "market": "core", "label": "scaled balances", "health_factor": "1.039714210938101077", "liquidatable": false, "collateral_value": "41246.8845801", "debt_value": "32133.80769292"'
has_text "paused reserve: gate paused" "$scratch/snap.json" \
    '"id": "dai", "market": "l2", "label": "", "health_factor": "0.821052631578947368", "liquidatable": true'
has_text "paused reserve: gate" "$scratch/snap.json" \
    '"liquidation_price": {"USDC": "1.21794871"}, "bad_debt": false, "gate": "paused", "liquidation_shock": 0}'
has_text "grace period below 0.95 (the sentinel waived)" "$scratch/snap.json" \
    '"health_factor": "0.916699951582843137", "liquidatable": true, "collateral_value": "34001.2345678", "debt_value": "30600", "liquidation_price": {"WETH": "3709.09090909"}, "bad_debt": false, "gate": "grace period", "liquidation_shock": 0}'
has_text "sentinel at 0.95 or above" "$scratch/snap.json" \
    '"health_factor": "0.970623478146539792", "liquidatable": true, "collateral_value": "34001.2345678", "debt_value": "28900", "liquidation_price": {"WETH": "3503.03030303"}, "bad_debt": false, "gate": "sentinel", "liquidation_shock": 0}'

# The same positions from a JSON Lines book (the quick reader leaves
# these keys to the full one): the same snapshot.
sed -n '/"positions": \[/,$p' "$book" | sed '1d;$d' | sed '$d' |
    tr -d '\n' | sed 's/}},* *{"id"/}}\n{"id"/g; s/^ *//' >"$scratch/pos.jsonl"
echo >>"$scratch/pos.jsonl"
sed '/"positions": \[/,$d' "$book" | sed '$s/,$//' >"$scratch/book.json"
echo '}' >>"$scratch/book.json"
expect_status "snapshot with --positions JSON Lines" 0 \
    "$LIQTOP" snapshot "$scratch/book.json" --positions "$scratch/pos.jsonl"
if cmp -s "$scratch/out" "$scratch/snap.json"; then
    ok "JSON Lines book gives the same snapshot"
else
    not_ok "JSON Lines book gives the same snapshot"
    diff "$scratch/snap.json" "$scratch/out" | head -10 | sed 's/^/#   /'
fi

# Preview explains a gate in words, with the moment it opens.
expect_status "preview of a grace period" 0 \
    "$LIQTOP" preview "$book" --position deep --format table
has_line "grace period: until when" "$scratch/out" \
    '                         WETH is in its liquidation grace period until 2024-11-30 20:53:20 UTC'
has_line "grace period: when it opens" "$scratch/out" \
    '                         liquidation opens at 2024-11-30 20:53:21 UTC   (the first second after it)'
expect_status "preview of a sentinel block" 0 \
    "$LIQTOP" preview "$book" --position alice --format table
has_line "sentinel: when it opens" "$scratch/out" \
    '                         at health 0.95 or above, liquidation opens at 2024-11-30 21:36:41 UTC   (after its grace period)'
expect_status "preview json of a sentinel block" 0 \
    "$LIQTOP" preview "$book" --position alice --format json
has_line "sentinel: reverts" "$scratch/out" '  "reverts": "sentinel",'
# liquidatable, yet the gate refuses every call: the reason says so, not
# "not liquidatable"
has_line "sentinel: the reason is the gate" "$scratch/out" \
    '  "reason": "no call is accepted now (reverts says why)",'
expect_status "preview table of a grace period: the target" 0 \
    "$LIQTOP" preview "$book" --position deep --format table
has_line "grace period: no call reaches the target now" "$scratch/out" \
    '  not possible           no call is accepted now: grace period'
expect_status "preview of disabled collateral" 0 \
    "$LIQTOP" preview "$book" --position loop-off --collateral USDC \
    --price wstETH=3500 --format json
has_line "disabled collateral cannot be seized" "$scratch/out" \
    '  "reverts": "collateral not enabled",'
expect_status "check counts gated positions as below 1" 1 \
    "$LIQTOP" check "$book"

# Bad input: exit 2 and the JSON path.
bad() { # desc, sed expression on the fixture, expected message
    sed "$2" "$book" >"$scratch/bad.json"
    expect_status "$1: exit 2" 2 "$LIQTOP" snapshot "$scratch/bad.json"
    has_text "$1: message" "$scratch/err" "$3"
}
bad "unknown eMode id" 's/"emode": 1, "collateral": {"wstETH": "100.123456789012345678"},/"emode": 7, "collateral": {"wstETH": "100.123456789012345678"},/' \
    'positions[0].emode: market core has no eMode category 7'
bad "category naming an unknown asset" 's/"collateral": \["WETH", "wstETH"\]/"collateral": ["WETH", "stETH"]/' \
    'markets[0].emode_categories[0].collateral[1]: "stETH" is not an asset of market core'
bad "index below 1" 's/"liquidity_index": "1.001"/"liquidity_index": "0.999"/' \
    'markets[0].assets[1].liquidity_index: "0.999" is below 1'
bad "index with 28 places" 's/"liquidity_index": "1.001"/"liquidity_index": "1.0000000000000000000000000001"/' \
    'markets[0].assets[1].liquidity_index: "1.0000000000000000000000000001" has more than 27 places'
bad "scaled and plain for one asset" 's/"scaled_debt": {"WETH": "9000000000000000000"}/"scaled_debt": {"WETH": "9000000000000000000"}, "debt": {"WETH": "1"}/' \
    'positions[2].scaled_debt.WETH: given both scaled and plain'
bad "grace period before 3.1" 's/"version": "3.6"/"version": "3.0"/' \
    'markets[1].assets[0].liquidation_grace_until: grace periods came with 3.1 (this market is 3.0)'
bad "3.2 form before 3.2" 's/"version": "3.7"/"version": "3.1"/' \
    'markets[0].emode_categories[0].collateral: the form of 3.2 and later'
# time_to_liquidation from the rates (3.7: x = 3e25 dt / 31536000,
# RAY + x + rayMul(x, x / 2 + rayMul(x, x / 6)) on the WETH borrow index;
# health 1.000000000646244094 at 40940005 s, 0.999999999694731901 at
# 40940006 s; tests/unit/test_aave3_ttl.c)
expect_status "preview of the scaled position" 0 \
    "$LIQTOP" preview "$book" --position scaled --format json
has_line "time_to_liquidation from the accrued indexes" "$scratch/out" \
    '  "time_to_liquidation": 40940006'
expect_status "preview table of the scaled position" 0 \
    "$LIQTOP" preview "$book" --position scaled --format table
has_line "time_to_liquidation in the table" "$scratch/out" \
    '  liquidatable in        40940006 s (473 days)   (interest alone, prices as now)'
bad "last update after as_of" 's/"last_update": 1732913600/"last_update": 1733000001/' \
    'markets[0].assets[0].last_update: 1733000001 is after as_of (1733000000)'
# An alert on time_to_liquidation (design.md 9) sees the same figure:
# loop and loop-off at 31100923 s, scaled at 40940006 s; the paused, deep
# and liquidatable positions have none, which meets no comparison.
cat >"$scratch/ttl.json" <<EOF
{"rules": [{"name": "soon", "when": "time_to_liquidation < 31100924"},
  {"name": "later", "when": "time_to_liquidation > 31100923"}],
 "actions": [{"file": "$scratch/ttl.jsonl"}]}
EOF
echo '{"symbol": "USDC", "price": "1"}' >"$scratch/ttl-feed.jsonl"
expect_status "run --alerts on time_to_liquidation" 0 \
    "$LIQTOP" run "$book" --feed "replay:$scratch/ttl-feed.jsonl@max" \
    --headless --until-end --alerts "$scratch/ttl.json"
sed 's/^{"ts": [0-9]*, //; s/, "health_factor".*//' "$scratch/ttl.jsonl" |
    sort >"$scratch/ttl-got"
printf '%s\n' \
    '"rule": "later", "position": "scaled", "market": "core"' \
    '"rule": "soon", "position": "loop", "market": "core"' \
    '"rule": "soon", "position": "loop-off", "market": "core"' \
    >"$scratch/ttl-want"
if cmp -s "$scratch/ttl-got" "$scratch/ttl-want"; then
    ok "time_to_liquidation fires where the snapshot's figure meets it"
else
    not_ok "time_to_liquidation fires where the snapshot's figure meets it"
    sed 's/^/#   /' "$scratch/ttl-got"
fi
finish
