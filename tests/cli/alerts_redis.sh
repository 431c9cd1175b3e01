#!/bin/sh
# liqtop run --alerts with redis actions against a real redis-server this
# script starts on a free loopback port: PUBLISH reaches a subscriber; a
# stream (XADD) gets every event even though the server is killed and
# started again mid-run (the events fired meanwhile wait in the action's
# queue and go once it reconnects; a line whose answer was lost may be
# stored twice, next to itself).
. tests/cli/tap.inc

if ! command -v redis-server >/dev/null 2>&1; then
    echo "not ok - redis-server is not installed"
    exit 1
fi
fx=tests/fixtures/aave37.json
port=$((20000 + $$ % 20000))
while redis-cli -p "$port" ping >/dev/null 2>&1; do port=$((port + 1)); done
rpid=""
start_redis() {
    redis-server --port "$port" --bind 127.0.0.1 --save "" \
        --appendonly yes --appendfsync always --dir "$scratch" \
        --daemonize no >"$scratch/redis.log" 2>&1 &
    rpid=$!
    for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
        redis-cli -p "$port" ping >/dev/null 2>&1 && return 0
        sleep 0.1
    done
    return 1
}
stop_redis() { [ -n "$rpid" ] && kill -9 "$rpid" 2>/dev/null; wait "$rpid" 2>/dev/null; rpid=""; }
trap 'stop_redis; rm -rf "$scratch"' EXIT INT TERM
if start_redis; then ok "redis-server on port $port"; else
    not_ok "redis-server on port $port"
    finish
fi

cat >"$scratch/rules.json" <<EOF
{"rules": [{"name": "near", "when": "health_factor < 1.1", "clear": "health_factor >= 1.15"}],
 "actions": [{"redis": "redis://127.0.0.1:$port/alerts"},
             {"redis": "redis-stream://127.0.0.1:$port/alertstream"},
             {"file": "$scratch/events.jsonl"}]}
EOF

# PUBLISH: a subscriber hears each event of a quick walk.
T=1700000000000
printf '%s\n' "{\"symbol\": \"WETH\", \"price\": \"2200\", \"ts\": $((T + 100))}" \
    "{\"symbol\": \"WETH\", \"price\": \"2400\", \"ts\": $((T + 200))}" \
    >"$scratch/quick.jsonl"
redis-cli -p "$port" --raw subscribe alerts >"$scratch/sub.out" 2>&1 &
spid=$!
sleep 0.3
expect_status "run with redis actions" 0 "$LIQTOP" run "$fx" --price WETH=2500 \
    --feed "replay:$scratch/quick.jsonl@max" --headless --until-end \
    --report json --alerts "$scratch/rules.json"
sleep 0.3
kill "$spid" 2>/dev/null
wait "$spid" 2>/dev/null
if [ "$(grep -c '^{"ts": ' "$scratch/sub.out")" -eq 2 ] &&
    grep -qxF "$(sed -n 1p "$scratch/events.jsonl")" "$scratch/sub.out"; then
    ok "PUBLISH: the subscriber got both events"
else
    not_ok "PUBLISH: the subscriber got both events"
    sed 's/^/#   /' "$scratch/sub.out" | head
fi
has_text "report: redis actions sent" "$scratch/out" \
    "{\"action\": \"redis redis://127.0.0.1:$port/alerts\", \"sent\": 2, \"failed\": 0"

# A stream across a restart: 40 crossings, 100 ms apart (4 s at 1x).
redis-cli -p "$port" del alertstream >/dev/null
: >"$scratch/events.jsonl"
: >"$scratch/walk.jsonl"
i=1
while [ "$i" -le 40 ]; do
    p=2200
    [ $((i % 2)) -eq 0 ] && p=2400
    echo "{\"symbol\": \"WETH\", \"price\": \"$p\", \"ts\": $((T + i * 100))}" \
        >>"$scratch/walk.jsonl"
    i=$((i + 1))
done
"$LIQTOP" run "$fx" --price WETH=2500 --feed "replay:$scratch/walk.jsonl@1" \
    --headless --until-end --report json --alerts "$scratch/rules.json" \
    >"$scratch/run.out" 2>"$scratch/run.err" &
lpid=$!
sleep 1
stop_redis
ok "redis-server killed mid-run"
sleep 1.2
if start_redis; then ok "redis-server started again"; else
    not_ok "redis-server started again"; fi
wait "$lpid"
st=$?
if [ "$st" -eq 0 ]; then ok "the run exits 0"; else
    not_ok "the run exits 0 ($st)"
    sed 's/^/#   /' "$scratch/run.err" | head -5
fi
n=$(wc -l <"$scratch/events.jsonl")
if [ "$n" -eq 40 ]; then ok "40 events fired"; else
    not_ok "40 events fired ($n)"; fi
# At least once: a line the server stored as it died, whose answer never
# came, is sent again after the restart (next to itself in the stream).
redis-cli -p "$port" --raw xrange alertstream - + |
    grep '^{"ts": ' | uniq >"$scratch/stream.jsonl"
if cmp -s "$scratch/stream.jsonl" "$scratch/events.jsonl"; then
    ok "the stream holds every event, in order (a resent line at most twice in a row)"
else
    not_ok "the stream holds every event, in order"
    echo "#   stream $(wc -l <"$scratch/stream.jsonl") lines, events $n"
    diff "$scratch/events.jsonl" "$scratch/stream.jsonl" | head -5 |
        sed 's/^/#   /'
fi
has_text "report: the stream action sent 40" "$scratch/run.out" \
    "{\"action\": \"redis redis-stream://127.0.0.1:$port/alertstream\", \"sent\": 40, \"failed\": 0, \"dropped\": 0"
# A server that stops answering (SIGSTOP) keeps its socket open: past the
# answer's deadline (1 s) the action drops the connection, tries again
# with the back-off, and once the server runs again (SIGCONT) sends every
# line not answered. Those the frozen server had read it stores too, so a
# run of lines may come twice; each event is there, first seen in order.
redis-cli -p "$port" del alertstream >/dev/null
: >"$scratch/events.jsonl"
"$LIQTOP" run "$fx" --price WETH=2500 --feed "replay:$scratch/walk.jsonl@1" \
    --headless --until-end --report json --alerts "$scratch/rules.json" \
    >"$scratch/run.out" 2>"$scratch/run.err" &
lpid=$!
sleep 1
kill -STOP "$rpid"
ok "redis-server frozen mid-run"
sleep 2.5
kill -CONT "$rpid"
wait "$lpid"
st=$?
if [ "$st" -eq 0 ]; then ok "the run exits 0 (frozen server)"; else
    not_ok "the run exits 0 (frozen server: $st)"
    sed 's/^/#   /' "$scratch/run.err" | head -5
fi
n=$(wc -l <"$scratch/events.jsonl")
if [ "$n" -eq 40 ]; then ok "40 events fired (frozen server)"; else
    not_ok "40 events fired (frozen server: $n)"; fi
redis-cli -p "$port" --raw xrange alertstream - + |
    grep '^{"ts": ' | awk '!seen[$0]++' >"$scratch/stream.jsonl"
if cmp -s "$scratch/stream.jsonl" "$scratch/events.jsonl"; then
    ok "the stream holds every event, first seen in order (frozen server)"
else
    not_ok "the stream holds every event, first seen in order (frozen server)"
    echo "#   stream $(wc -l <"$scratch/stream.jsonl") lines, events $n"
    diff "$scratch/events.jsonl" "$scratch/stream.jsonl" | head -5 |
        sed 's/^/#   /'
fi
has_text "report: the stream action sent 40 (frozen server)" "$scratch/run.out" \
    "{\"action\": \"redis redis-stream://127.0.0.1:$port/alertstream\", \"sent\": 40, \"failed\": 0, \"dropped\": 0"
finish
