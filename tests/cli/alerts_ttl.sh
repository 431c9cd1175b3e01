#!/bin/sh
# time_to_liquidation rules follow the clock in run: a Morpho position
# whose interest (0.1 % a second) makes it liquidatable five seconds after
# as_of (the start) is judged at 5 s at first, and a rule "<= 2" fires
# once the clock has passed the second 2 s before that moment, in a real
# loop whose only ticks are at the start and seven seconds in: the firing
# comes between them, from the timer alone. A position 137 s away never
# fires; the report counts the one firing.
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
  {"id": "later", "market": "mb", "collateral": {"WETH": "1"}, "debt": {"USDC": "1500"}}]}
EOB
cat >"$scratch/rules.json" <<EOR
{"rules": [{"name": "soon", "when": "time_to_liquidation <= 2"}],
 "actions": [{"file": "$scratch/events.jsonl"}]}
EOR
T0=$((now * 1000))
T=$(((now + 7) * 1000))
{
    echo "{\"symbol\": \"USDC\", \"price\": \"1\", \"ts\": $T0}"
    echo "{\"symbol\": \"USDC\", \"price\": \"1\", \"ts\": $T}"
} >"$scratch/feed.jsonl"

expect_status "snapshot: 5 s and 137 s" 0 "$LIQTOP" snapshot "$scratch/book.json"
has_text "snapshot: soon in 5 s" "$scratch/out" '"id": "soon", "market": "mb", "label": "", "health_factor": "1.004086398131932282"'
grep -o '"time_to_liquidation": [0-9]*' "$scratch/out" | tr '\n' ' ' >"$scratch/ttls"
has_text "snapshot: the two figures" "$scratch/ttls" '"time_to_liquidation": 5 "time_to_liquidation": 137'

expect_status "run across the second" 0 "$LIQTOP" run "$scratch/book.json" \
    --feed "replay:$scratch/feed.jsonl" --headless --until-end \
    --report json --alerts "$scratch/rules.json"
has_text "report: one firing" "$scratch/out" '"alerts_fired": 1,'
n=0
[ -f "$scratch/events.jsonl" ] && n=$(grep -c . "$scratch/events.jsonl")
if [ "$n" -eq 1 ]; then ok "one event line"; else not_ok "one event line ($n)"; fi
has_text "soon fired" "$scratch/events.jsonl" '"rule": "soon", "position": "soon", "market": "mb"'
has_text "a firing" "$scratch/events.jsonl" '"event": "fired"'
if grep -q '"position": "later"' "$scratch/events.jsonl"; then
    not_ok "later did not fire"; else ok "later did not fire"; fi
# the firing's time: from the second 2 s before the 5th (as_of + 3), before
# the tick at + 7
ts=$(sed -n 's/^{"ts": \([0-9]*\),.*/\1/p' "$scratch/events.jsonl" | head -n 1)
if [ -n "$ts" ] && [ "$ts" -ge $(((now + 3) * 1000)) ] && [ "$ts" -lt "$T" ]; then
    ok "soon fired between as_of + 3 s and the tick ($ts)"
else
    not_ok "soon fired between as_of + 3 s and the tick (${ts:-none}; $(((now + 3) * 1000)) to $T)"
fi
finish
