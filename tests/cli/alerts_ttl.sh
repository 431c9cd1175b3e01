#!/bin/sh
# time_to_liquidation rules follow the clock in run: a Morpho position
# whose interest (0.1 % a second) makes it liquidatable five seconds after
# as_of (the start) is judged at 5 s at first, and a rule "<= 2" fires
# once the clock has passed the second 2 s before that moment, in a real
# loop whose only ticks are at the start and nine seconds in: the firing
# comes between them, from the timer alone. A position 137 s away never
# fires. A second rule "<= 1" on three positions 6, 7 and 8 s away fires
# for each once, in that order, each from its own second on (the timer
# wakes for each in turn); the report counts the four firings.
. tests/cli/tap.inc

now=$(date +%s)
cat >"$scratch/book.json" <<EOB
{"as_of": $now,
 "markets": [
  {"id": "mb", "model": "morpho-blue", "base_decimals": 8,
   "state": {"total_supply_assets": "2000000000000", "total_supply_shares": "2000000000000000000",
             "total_borrow_assets": "1000000000000", "total_borrow_shares": "1000000000000000000",
             "last_update": $now, "fee": "0", "borrow_rate": "0.001"},
   "oracle_price": "2000000000000000000000000000",
   "assets": [
    {"symbol": "WETH", "decimals": 18, "liquidation_threshold": "0.86"},
    {"symbol": "USDC", "decimals": 6, "liquidation_threshold": "0.86"}]}],
 "prices": {"WETH": "2000", "USDC": "1"},
 "positions": [
  {"id": "soon", "market": "mb", "collateral": {"WETH": "1"}, "debt": {"USDC": "1713"}},
  {"id": "later", "market": "mb", "collateral": {"WETH": "1"}, "debt": {"USDC": "1500"}},
  {"id": "p6", "market": "mb", "collateral": {"WETH": "1"}, "debt": {"USDC": "1711"}},
  {"id": "p7", "market": "mb", "collateral": {"WETH": "1"}, "debt": {"USDC": "1709"}},
  {"id": "p8", "market": "mb", "collateral": {"WETH": "1"}, "debt": {"USDC": "1708"}}]}
EOB
cat >"$scratch/rules.json" <<EOR
{"rules": [{"name": "soon", "when": "time_to_liquidation <= 2", "positions": ["soon", "later"]},
           {"name": "each", "when": "time_to_liquidation <= 1", "filter": "p"}],
 "actions": [{"file": "$scratch/events.jsonl"}]}
EOR
T0=$((now * 1000))
T=$(((now + 9) * 1000))
{
    echo "{\"symbol\": \"USDC\", \"price\": \"1\", \"ts\": $T0}"
    echo "{\"symbol\": \"USDC\", \"price\": \"1\", \"ts\": $T}"
} >"$scratch/feed.jsonl"

expect_status "snapshot: 5, 137, 6, 7 and 8 s" 0 "$LIQTOP" snapshot "$scratch/book.json"
has_text "snapshot: soon in 5 s" "$scratch/out" '"id": "soon", "market": "mb", "label": "", "health_factor": "1.004086398131932282"'
grep -o '"time_to_liquidation": [0-9]*' "$scratch/out" | tr '\n' ' ' >"$scratch/ttls"
has_text "snapshot: the five figures" "$scratch/ttls" '"time_to_liquidation": 5 "time_to_liquidation": 6 "time_to_liquidation": 7 "time_to_liquidation": 8 "time_to_liquidation": 137'

expect_status "run across the second" 0 "$LIQTOP" run "$scratch/book.json" \
    --feed "replay:$scratch/feed.jsonl" --headless --until-end \
    --report json --alerts "$scratch/rules.json"
has_text "report: four firings" "$scratch/out" '"alerts_fired": 4,'
n=0
[ -f "$scratch/events.jsonl" ] && n=$(grep -c . "$scratch/events.jsonl")
if [ "$n" -eq 4 ]; then ok "four event lines"; else not_ok "four event lines ($n)"; fi
grep '"rule": "soon"' "$scratch/events.jsonl" >"$scratch/soon" 2>/dev/null
has_text "soon fired" "$scratch/soon" '"rule": "soon", "position": "soon", "market": "mb"'
has_text "a firing" "$scratch/soon" '"event": "fired"'
if grep -q '"position": "later"' "$scratch/events.jsonl"; then
    not_ok "later did not fire"; else ok "later did not fire"; fi
# the firing's time: from the second 2 s before the 5th (as_of + 3), before
# the tick at + 9
ts=$(sed -n 's/^{"ts": \([0-9]*\),.*/\1/p' "$scratch/soon" | head -n 1)
if [ -n "$ts" ] && [ "$ts" -ge $(((now + 3) * 1000)) ] && [ "$ts" -lt "$T" ]; then
    ok "soon fired between as_of + 3 s and the tick ($ts)"
else
    not_ok "soon fired between as_of + 3 s and the tick (${ts:-none}; $(((now + 3) * 1000)) to $T)"
fi
# each: p6, p7, p8 in that order, each from 1 s before its moment on
sed -n 's/^{"ts": \([0-9]*\), "rule": "each", "position": "\(p[0-9]\)".*/\2 \1/p' \
    "$scratch/events.jsonl" >"$scratch/each"
order=$(cut -d' ' -f1 "$scratch/each" | tr '\n' ' ')
if [ "$order" = "p6 p7 p8 " ]; then ok "each fired for p6, p7, p8 in turn"; else
    not_ok "each fired for p6, p7, p8 in turn ($order)"; fi
late=0
while read -r id t; do
    k=${id#p}
    [ "$t" -ge $(((now + k - 1) * 1000)) ] && [ "$t" -lt "$T" ] || late=1
done <"$scratch/each"
if [ "$late" -eq 0 ]; then ok "each fired from its own second on, before the tick"; else
    not_ok "each fired from its own second on ($(tr '\n' ';' <"$scratch/each"))"; fi
finish
