#!/bin/sh
# Interest follows the clock in run (design.md 3.1: as_of defaults to the
# time the command runs; the dashboard uses the clock). A book with no
# as_of, its Aave v3.6 indexes and a Morpho Blue market's totals accruing
# at high rates, runs four seconds with --accrue-every 1 and no tick: the
# report's health factors equal, every figure to the raw unit, `snapshot`
# of the same book at one whole second, the same second for every
# position, at least two seconds after the start. The same book with an
# "as_of" in the file stays at that as_of.
. tests/cli/tap.inc

start=$(date +%s)
last=$((start - 3600))
cat >"$scratch/book.json" <<EOB
{
  "markets": [
    {"id": "core", "model": "aave-v3", "version": "3.6",
     "assets": [
       {"symbol": "WETH", "decimals": 18, "ltv": "0.80",
        "liquidation_threshold": "0.83", "liquidation_bonus": "0.05",
        "protocol_fee": "0.10",
        "variable_borrow_index": "1.05", "variable_borrow_rate": "5",
        "liquidity_index": "1.02", "liquidity_rate": "0.5",
        "last_update": $last},
       {"symbol": "USDC", "decimals": 6, "ltv": "0.75",
        "liquidation_threshold": "0.78", "liquidation_bonus": "0.045",
        "protocol_fee": "0.10",
        "variable_borrow_index": "1.1", "variable_borrow_rate": "3",
        "liquidity_index": "1.01", "liquidity_rate": "1",
        "last_update": $last}]},
    {"id": "mb", "model": "morpho-blue", "base_decimals": 8,
     "state": {"total_supply_assets": "2000000000000",
               "total_supply_shares": "2000000000000000000",
               "total_borrow_assets": "1000000000000",
               "total_borrow_shares": "1000000000000000000",
               "last_update": $last, "fee": "0.1",
               "borrow_rate": "0.0000001"},
     "assets": [
      {"symbol": "WETH", "decimals": 18, "liquidation_threshold": "0.86"},
      {"symbol": "USDC", "decimals": 6, "liquidation_threshold": "0.86"}]}
  ],
  "prices": {"WETH": "3400", "USDC": "1"},
  "positions": [
    {"id": "w", "market": "core", "scaled_collateral": {"USDC": "9000000000"},
     "scaled_debt": {"WETH": "1000000000000000000"}},
    {"id": "u", "market": "core",
     "scaled_collateral": {"WETH": "2000000000000000000"},
     "scaled_debt": {"USDC": "4000000000"}},
    {"id": "m", "market": "mb", "collateral": {"WETH": "1"},
     "borrow_shares": "1720000000000000"}
  ]
}
EOB
# id=health lines of a snapshot or a report, sorted by id
healths() {
    grep -o '"id": "[a-z]*", "market": "[a-z]*", "label": "", "health_factor": "[0-9.]*"' "$1" |
        sed 's/^"id": "\([a-z]*\)".*"health_factor": "\([0-9.]*\)"$/\1=\2/' | sort
}
# the book with "as_of": T, into $scratch/at.json
at() {
    sed "s/^{/{\"as_of\": $1,/" "$scratch/book.json" >"$scratch/at.json"
}

(sleep 4) | "$LIQTOP" run "$scratch/book.json" --feed stdin --headless \
    --until-end --accrue-every 1 --report json >"$scratch/report" \
    2>"$scratch/err"
rc=$?
end=$(date +%s)
if [ "$rc" -eq 0 ]; then ok "run: exit 0"; else not_ok "run: exit $rc"; fi
healths "$scratch/report" >"$scratch/run"
if [ "$(wc -l <"$scratch/run")" -eq 3 ]; then ok "report: 3 health factors"; else
    not_ok "report: 3 health factors"; cat "$scratch/run" | sed 's/^/#   /'; fi

matched=""
t=$start
while [ "$t" -le "$end" ]; do
    at "$t"
    "$LIQTOP" snapshot "$scratch/at.json" --format json >"$scratch/snap" 2>&1
    healths "$scratch/snap" >"$scratch/want"
    if cmp -s "$scratch/run" "$scratch/want"; then matched=$t; fi
    [ "$t" -eq "$start" ] && cp "$scratch/want" "$scratch/first"
    t=$((t + 1))
done
if [ -n "$matched" ]; then
    ok "report equals snapshot at as_of $matched (run $start..$end)"
else
    not_ok "report equals snapshot at one second of $start..$end"
    sed 's/^/#   run  /' "$scratch/run"
    sed 's/^/#   start /' "$scratch/first"
fi
if [ -n "$matched" ] && [ "$matched" -ge $((start + 2)) ]; then
    ok "interest accrued past the load"
else
    not_ok "interest accrued past the load (matched '$matched', start $start)"
fi
if ! cmp -s "$scratch/run" "$scratch/first"; then
    ok "figures moved since the start"
else
    not_ok "figures moved since the start"
fi

# the file's own as_of: figures stay there
fixed=$((start - 60))
at "$fixed"
cp "$scratch/at.json" "$scratch/fixed.json"
"$LIQTOP" snapshot "$scratch/fixed.json" --format json >"$scratch/snap" 2>&1
healths "$scratch/snap" >"$scratch/want"
(sleep 2.5) | "$LIQTOP" run "$scratch/fixed.json" --feed stdin --headless \
    --until-end --accrue-every 1 --report json >"$scratch/report" 2>&1
healths "$scratch/report" >"$scratch/run"
if cmp -s "$scratch/run" "$scratch/want"; then
    ok "a file's as_of: no accrual"
else
    not_ok "a file's as_of: no accrual"
    sed 's/^/#   /' "$scratch/run"
fi

expect_status "--accrue-every 0: usage error" 2 "$LIQTOP" run "$scratch/book.json" \
    --feed stdin --headless --accrue-every 0
has_text "--accrue-every 0: named" "$scratch/err" "--accrue-every"
finish
