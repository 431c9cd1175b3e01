#!/bin/sh
# liqtop run --alerts (design.md section 9): a replay that walks alice
# (10 WETH, 17000 USDC, threshold 0.825: health 1 at WETH 2060.61, 1.1 at
# 2266.67, 1.15 at 2369.70) across the lines and back fires exactly the
# events hysteresis and cooldown allow, each line asserted; exec actions
# that hang, fail or print garbage, and a file action on /dev/full, are
# reported while the run goes on; bad rules exit 2 naming the JSON path.
. tests/cli/tap.inc

fx=tests/fixtures/aave37.json
T=1700000000000
: >"$scratch/walk.jsonl"
# ms after T, WETH price
for step in "1000 2200" "2000 2300" "3000 2200" "4000 2400" "5000 2200" \
    "6000 2400" "7000 2000" "8000 2100" "9000 2000" "17000 2050" \
    "62000 2050" "63000 2500"; do
    set -- $step
    echo "{\"symbol\": \"WETH\", \"price\": \"$2\", \"ts\": $((T + $1))}" \
        >>"$scratch/walk.jsonl"
done

rules() { # FILE ACTIONS: the two rules with these actions
    cat >"$1" <<EOF
{"rules": [
  {"name": "near", "when": "health_factor < 1.1", "clear": "health_factor >= 1.15"},
  {"name": "liq", "when": "liquidatable", "cooldown": "10s"}],
 "actions": [$2],
 "cooldown": "60s"}
EOF
}
watch() { # RULES: the run, starting with alice healthy at WETH 2500
    "$LIQTOP" run "$fx" --price WETH=2500 \
        --feed "replay:$scratch/walk.jsonl@max" --headless --until-end \
        --report json --alerts "$1"
}
hf() { # the snapshot's health of alice at WETH=$1
    "$LIQTOP" snapshot "$fx" --price "WETH=$1" |
        sed -n 's/.*"health_factor": "\([0-9.]*\)".*/\1/p'
}
ev() { # TS-OFFSET RULE PRICE LIQUIDATABLE EVENT: the expected line
    echo "{\"ts\": $((T + $1)), \"rule\": \"$2\", \"position\": \"alice\", \"market\": \"aave-core\", \"health_factor\": \"$(hf "$3")\", \"liquidatable\": $4, \"event\": \"$5\", \"prices\": {\"WETH\": \"$3\", \"USDC\": \"1\"}}"
}

rules "$scratch/r.json" "{\"file\": \"$scratch/events.jsonl\"}"
expect_status "run --alerts" 0 watch "$scratch/r.json"
cp "$scratch/out" "$scratch/report.json"
{
    ev 1000 near 2200 false fired     # below 1.1
    ev 4000 near 2400 false cleared   # 2300 and 2200 again: not clear yet
    ev 7000 liq 2000 true fired       # near: 2200 at 5000 is in cooldown
    ev 8000 liq 2100 false cleared    # liq clears by default when not liq
    ev 17000 liq 2050 true fired      # 2000 at 9000: liq's 10 s cooldown
    ev 62000 near 2050 true fired     # near's 60 s have passed
    ev 63000 near 2500 false cleared
    ev 63000 liq 2500 false cleared
} >"$scratch/want.jsonl"
n=$(wc -l <"$scratch/events.jsonl")
if [ "$n" -eq 8 ]; then ok "eight events, no more"; else
    not_ok "eight events, no more ($n)"; fi
k=0
while IFS= read -r line; do
    k=$((k + 1))
    got=$(sed -n "${k}p" "$scratch/events.jsonl")
    if [ "$got" = "$line" ]; then ok "event $k"; else
        not_ok "event $k"
        echo "#   want: $line"
        echo "#   got:  $got"
    fi
done <"$scratch/want.jsonl"
has_text "report: alerts_fired and actions_failed" "$scratch/report.json" \
    '"alerts_fired": 4, "alerts_cleared": 4, "actions_failed": 0, "actions": [{"action": "file '
has_text "report: the file action sent all" "$scratch/report.json" \
    '"sent": 8, "failed": 0, "dropped": 0, "error": null}], "snapshot": '
# The same run again appends the same eight lines: O_APPEND, one write each.
watch "$scratch/r.json" >/dev/null 2>&1
if [ "$(wc -l <"$scratch/events.jsonl")" -eq 16 ] &&
    [ "$(sed -n '9,16p' "$scratch/events.jsonl")" = "$(cat "$scratch/want.jsonl")" ]; then
    ok "a second run appends"
else
    not_ok "a second run appends"
fi

# A rule limited to positions, a filter that matches none, and a condition
# on the distance to the liquidation price (2060.61 is 6.3 % below 2200).
cat >"$scratch/r2.json" <<EOF
{"rules": [{"name": "gap", "when": "distance < 7%", "positions": ["alice"]},
           {"name": "none", "when": "liquidatable", "filter": "no such text"},
           {"name": "mkt", "when": "not liquidatable", "filter": "AAVE-CORE"}],
 "actions": [{"file": "$scratch/e2.jsonl"}]}
EOF
expect_status "distance, positions and filter" 0 watch "$scratch/r2.json"
sed 's/^{"ts": \([0-9]*\), "rule": "\([a-z]*\)".*"event": "\([a-z]*\)".*/\1 \2 \3/' \
    "$scratch/e2.jsonl" | sed "1s/^[0-9]* /start /" >"$scratch/e2.got"
printf '%s\n' "start mkt fired" "$((T + 1000)) gap fired" \
    "$((T + 2000)) gap cleared" "$((T + 3000)) gap fired" \
    "$((T + 4000)) gap cleared" "$((T + 5000)) gap fired" \
    "$((T + 6000)) gap cleared" "$((T + 7000)) gap fired" \
    "$((T + 7000)) mkt cleared" "$((T + 8000)) mkt fired" \
    "$((T + 9000)) mkt cleared" "$((T + 63000)) gap cleared" \
    "$((T + 63000)) mkt fired" >"$scratch/e2.want"
if cmp -s "$scratch/e2.got" "$scratch/e2.want"; then
    ok "distance < 7%, a positions list, filters: each event, no cooldown"
else
    not_ok "distance < 7%, a positions list, filters"
    diff "$scratch/e2.want" "$scratch/e2.got" | sed 's/^/#   /'
fi

# Actions that fail: a child that hangs is killed after its timeout, one
# that exits 1, one that prints garbage (ignored: it succeeds), and a file
# on /dev/full. The run goes on and says so; its exit status is 0.
rules "$scratch/r3.json" "{\"exec\": \"sleep 30\", \"timeout\": \"300ms\"},
  {\"exec\": \"cat >/dev/null; exit 1\"},
  {\"exec\": \"cat >>$scratch/exec.jsonl; head -c 2000 /dev/urandom\"},
  {\"file\": \"/dev/full\"}, {\"file\": \"$scratch/ok.jsonl\"}"
start=$(date +%s)
expect_status "failing actions: the run still exits 0" 0 watch "$scratch/r3.json"
took=$(($(date +%s) - start))
cp "$scratch/out" "$scratch/report3.json"
if [ "$took" -lt 10 ]; then ok "a hanging child is killed ($took s)"; else
    not_ok "a hanging child is killed ($took s)"; fi
has_text "sleep: killed after the timeout" "$scratch/report3.json" \
    '{"action": "exec sleep 30", "sent": 0, "failed": 8, "dropped": 0, "error": "timed out: killed"}'
has_text "exit 1: counted" "$scratch/report3.json" \
    '"sent": 0, "failed": 8, "dropped": 0, "error": "exit status 1"}'
has_text "garbage printer: delivered" "$scratch/report3.json" \
    '"sent": 8, "failed": 0, "dropped": 0, "error": null}, {"action": "file /dev/full"'
has_text "/dev/full: each write refused" "$scratch/report3.json" \
    '{"action": "file /dev/full", "sent": 0, "failed": 8, "dropped": 0, "error": "write: No space left on device"}'
has_text "the good file still gets all" "$scratch/report3.json" \
    "{\"action\": \"file $scratch/ok.jsonl\", \"sent\": 8, \"failed\": 0"
has_text "actions_failed sums them" "$scratch/report3.json" \
    '"alerts_fired": 4, "alerts_cleared": 4, "actions_failed": 24,'
if cmp -s "$scratch/exec.jsonl" "$scratch/want.jsonl"; then
    ok "exec: each event on the child's standard input"
else
    not_ok "exec: each event on the child's standard input"
fi
if cmp -s "$scratch/ok.jsonl" "$scratch/want.jsonl"; then
    ok "the good file equals the expected events"
else
    not_ok "the good file equals the expected events"
fi
has_text "stderr tells of the failures" "$scratch/err" "alert deliveries failed"
if grep -q '^{"ticks_applied"' "$scratch/report3.json" &&
    [ "$(wc -l <"$scratch/report3.json")" -eq "$(($(grep -c . "$scratch/report3.json")))" ]; then
    ok "the garbage never reaches the report"
else
    not_ok "the garbage never reaches the report"
fi

# Bad rules: exit 2, the JSON path named, nothing run.
bad() { # DESC RULES-TEXT MESSAGE
    printf '%s\n' "$2" >"$scratch/bad.json"
    expect_status "bad: $1" 2 watch "$scratch/bad.json"
    has_text "bad: $1: message" "$scratch/err" "$3"
}
bad "unknown rule field" '{"rules": [{"name": "a", "when": "liquidatable", "colour": "red"}]}' \
    "bad.json: rules[0].colour: unknown field"
bad "unknown condition" '{"rules": [{"name": "a", "when": "liquidatable"}, {"name": "b", "when": "wobbly > 2"}]}' \
    'bad.json: rules[1].when: unknown condition "wobbly > 2"'
bad "unknown operator" '{"rules": [{"name": "a", "when": "health_factor = 1"}]}' \
    "bad.json: rules[0].when: unknown condition"
bad "bad number" '{"rules": [{"name": "a", "when": "health_factor < x"}]}' \
    "bad.json: rules[0].when: \"health_factor < x\": expected a health factor"
bad "bad clear" '{"rules": [{"name": "a", "when": "liquidatable", "clear": "not health_factor"}]}' \
    "bad.json: rules[0].clear: "
bad "unknown action kind" '{"rules": [{"name": "a", "when": "liquidatable"}], "actions": [{"file": "/dev/null"}, {"sms": "555"}]}' \
    "bad.json: actions[1].sms: unknown action (expected exec, redis or file)"
bad "bad redis url" '{"rules": [{"name": "a", "when": "liquidatable"}], "actions": [{"redis": "http://x"}]}' \
    "bad.json: actions[0].redis: expected redis://HOST:PORT/CHANNEL"
bad "unknown position" '{"rules": [{"name": "a", "when": "liquidatable", "positions": ["alice", "bob"]}]}' \
    'bad.json: rules[0].positions[1]: no position "bob" in the book'
bad "no name" '{"rules": [{"when": "liquidatable"}]}' \
    'bad.json: rules[0]: a rule needs a "name"'
bad "bad cooldown" '{"rules": [{"name": "a", "when": "liquidatable"}], "cooldown": "soon"}' \
    "bad.json: cooldown: expected a duration"
bad "unknown top field" '{"rules": [{"name": "a", "when": "liquidatable"}], "rule": []}' \
    "bad.json: rule: unknown field"
bad "syntax" '{"rules": [{"name": "a", "when": "liquidatable"},]}' \
    "bad.json:1:"
expect_status "missing rules file" 2 "$LIQTOP" run "$fx" --feed \
    "replay:$scratch/walk.jsonl@max" --headless --until-end \
    --alerts "$scratch/nothing.json"
has_text "missing rules file: named" "$scratch/err" "nothing.json: cannot read"
finish
