#!/bin/sh
# liqtop run --alerts: SIGHUP reads the rules again. Events after the
# reload go to the new actions, a rule of an old name keeps its state (no
# second firing for a position already fired), and a bad file on a later
# SIGHUP keeps the rules in force and says why.
. tests/cli/tap.inc

fx=tests/fixtures/aave37.json
T=1700000000000
: >"$scratch/walk.jsonl"
i=1
while [ "$i" -le 30 ]; do
    p=2200
    [ $((i % 2)) -eq 0 ] && p=2400
    echo "{\"symbol\": \"WETH\", \"price\": \"$p\", \"ts\": $((T + i * 100))}" \
        >>"$scratch/walk.jsonl"
    i=$((i + 1))
done
echo "{\"symbol\": \"WETH\", \"price\": \"2200\", \"ts\": $((T + 3200))}" \
    >>"$scratch/walk.jsonl"
rules() { # FILE
    cat >"$scratch/rules.json" <<EOF2
{"rules": [{"name": "near", "when": "health_factor < 1.1", "clear": "health_factor >= 1.15"}],
 "actions": [{"file": "$1"}]}
EOF2
}
rules "$scratch/e1.jsonl"
"$LIQTOP" run "$fx" --price WETH=2500 --feed "replay:$scratch/walk.jsonl@1" \
    --headless --until-end --report json --alerts "$scratch/rules.json" \
    >"$scratch/run.out" 2>"$scratch/run.err" &
pid=$!
sleep 1.05
rules "$scratch/e2.jsonl"
kill -HUP "$pid"
sleep 1
echo '{"rules": [{"name": "x", "when": "wobbly"}]}' >"$scratch/rules.json"
kill -HUP "$pid"
wait "$pid"
st=$?
if [ "$st" -eq 0 ]; then ok "the run goes on and exits 0"; else
    not_ok "the run goes on and exits 0 ($st)"; fi
n1=$(wc -l <"$scratch/e1.jsonl") n2=$(wc -l <"$scratch/e2.jsonl")
if [ "$n1" -ge 4 ] && [ "$n2" -ge 10 ] && [ $((n1 + n2)) -eq 31 ]; then
    ok "events before the reload in the old file, after it in the new ($n1 + $n2)"
else
    not_ok "events split by the reload ($n1 + $n2, want 31 in all)"
fi
last1=$(tail -n 1 "$scratch/e1.jsonl" | sed 's/.*"event": "\([a-z]*\)".*/\1/')
first2=$(head -n 1 "$scratch/e2.jsonl" | sed 's/.*"event": "\([a-z]*\)".*/\1/')
if [ "$last1" != "$first2" ]; then
    ok "the rule's state carried over (no second $last1)"
else
    not_ok "the rule's state carried over ($last1 then $first2)"
fi
has_text "a bad reload is named and the old rules kept" "$scratch/run.err" \
    "alert rules kept: "
has_text "report: all 31 delivered" "$scratch/run.out" '"alerts_fired": 16, "alerts_cleared": 15, "actions_failed": 0'
finish
