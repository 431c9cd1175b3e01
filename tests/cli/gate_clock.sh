#!/bin/sh
# Gates follow the clock in run (design.md 3.1: the dashboard uses the
# clock): a position liquidatable behind an Aave grace period that ends
# three seconds after the start is gated at first, and once the clock has
# passed the grace period's end the gate_open rule fires, in a real loop
# whose only tick is six seconds in (the gate opens between ticks); the
# final report's snapshot then shows no gate. `snapshot` alone judges
# the same book at its as_of: the grace period holds.
. tests/cli/tap.inc

now=$(date +%s)
until=$((now + 3))
sed "s/\"protocol_fee\": \"0.10\"},/\"protocol_fee\": \"0.10\", \"liquidation_grace_until\": $until},/; s/^{/{\"as_of\": $now,/" \
    tests/fixtures/aave37.json >"$scratch/book.json"
# WETH 2000: alice's health 0.97, liquidatable; one tick 6 s in
T=$(((now + 6) * 1000))
echo "{\"symbol\": \"USDC\", \"price\": \"1\", \"ts\": $T}" >"$scratch/feed.jsonl"
echo "{\"symbol\": \"USDC\", \"price\": \"1\", \"ts\": $((T - 4000))}" >"$scratch/feed0.jsonl"
cat "$scratch/feed.jsonl" >>"$scratch/feed0.jsonl"
cat >"$scratch/rules.json" <<EOR
{"rules": [{"name": "open", "when": "gate_open"},
           {"name": "gated", "when": "gate"}],
 "actions": [{"file": "$scratch/events.jsonl"}]}
EOR

expect_status "snapshot at as_of: gated" 0 "$LIQTOP" snapshot "$scratch/book.json"
has_text "snapshot: the grace period holds" "$scratch/out" '"gate": "grace period"'

expect_status "run across the grace end" 0 "$LIQTOP" run "$scratch/book.json" \
    --feed "replay:$scratch/feed0.jsonl" --headless --until-end \
    --report json --alerts "$scratch/rules.json"
end=$(date +%s)
if [ "$end" -gt "$until" ]; then ok "the run outlasted the grace period"; else
    not_ok "the run outlasted the grace period ($end, $until)"; fi
has_text "report: no gate at the end" "$scratch/out" '"gate": null'
grep '"rule": "gated"' "$scratch/events.jsonl" >"$scratch/gated"
grep '"rule": "open"' "$scratch/events.jsonl" >"$scratch/open"
has_text "gated fired at the start" "$scratch/gated" '"event": "fired"'
has_text "gated cleared when the gate opened" "$scratch/gated" '"event": "cleared"'
has_text "open fired" "$scratch/open" '"event": "fired"'
# the firing's time: after the grace period's end, before the tick
ts=$(sed -n 's/^{"ts": \([0-9]*\),.*/\1/p' "$scratch/open" | head -n 1)
if [ -n "$ts" ] && [ "$ts" -gt $((until * 1000)) ] && [ "$ts" -lt "$T" ]; then
    ok "open fired between the grace end and the tick ($ts)"
else
    not_ok "open fired between the grace end and the tick (${ts:-none}; $((until * 1000)) to $T)"
fi
finish
