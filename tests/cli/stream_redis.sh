#!/bin/sh
# liqtop run --feed redis-stream://HOST:PORT/KEY against a real
# redis-server this script starts on a free loopback port, with an
# append-only file fsynced on every write (what a desk that may lose no
# tick runs): 100,000 ticks added with XADD while the reader's connection
# is cut twice (CLIENT KILL) and the server is killed (SIGKILL) and
# started again from its file. Every tick is applied once, in order, the
# final book equals `liqtop snapshot` at the final prices, the malformed
# entries are counted, and the ids are in the record and the report. Then
# ?from=0, ?from=ID and the default $ (even across a cut before the first
# entry), a key that is not a stream, and bad specs (exit 2).
. tests/cli/tap.inc

if ! command -v redis-server >/dev/null 2>&1; then
    echo "not ok - redis-server is not installed"
    exit 1
fi
port=$((20000 + ($$ * 7) % 20000))
while redis-cli -p "$port" ping >/dev/null 2>&1; do port=$((port + 1)); done
rpid=""
lpid=""
start_redis() {
    redis-server --port "$port" --bind 127.0.0.1 --save "" \
        --appendonly yes --appendfsync always --dir "$scratch" \
        --daemonize no >>"$scratch/redis.log" 2>&1 &
    rpid=$!
    i=0
    while [ "$i" -lt 50 ]; do
        [ "$(redis-cli -p "$port" ping 2>/dev/null)" = PONG ] && return 0
        sleep 0.1
        i=$((i + 1))
    done
    return 1
}
kill_redis() {
    [ -n "$rpid" ] && kill -9 "$rpid" 2>/dev/null
    wait "$rpid" 2>/dev/null
    rpid=""
}
stop_run() { [ -n "$lpid" ] && kill "$lpid" 2>/dev/null; wait "$lpid" 2>/dev/null; lpid=""; }
trap 'stop_run; kill_redis; rm -rf "$scratch"' EXIT INT TERM
rcli() { redis-cli -p "$port" "$@"; }
# wait_for SECONDS CMD...: until CMD succeeds, every 0.1 s.
wait_for() {
    n=$(($1 * 10))
    shift
    while [ "$n" -gt 0 ]; do
        "$@" && return 0
        sleep 0.1
        n=$((n - 1))
    done
    return 1
}
# The reader waits in XREAD BLOCK (flags=b), connected and caught up.
reader_blocked() { rcli client list | grep -q 'flags=b .*cmd=xread'; }
lines_at_least() { [ -f "$1" ] && [ "$(wc -l <"$1")" -ge "$2" ]; }
# Cut the reader's connection: every client but redis-cli itself.
cut_reader() { [ "$(rcli client kill type normal 2>/dev/null)" = 1 ]; }
# add KEY FILE: one XADD KEY * line LINE a line of FILE, pipelined; the
# server answered each with an id.
add() {
    awk -v key="$1" '{ printf "*5\r\n$4\r\nXADD\r\n$%d\r\n%s\r\n$1\r\n*\r\n$4\r\nline\r\n$%d\r\n%s\r\n", length(key), key, length($0), $0 }' \
        "$2" | rcli --pipe >"$scratch/pipe.out" 2>&1 &&
        grep -q "errors: 0, replies: $(wc -l <"$2")" "$scratch/pipe.out"
}

if start_redis; then ok "redis-server on port $port"; else
    not_ok "redis-server on port $port"
    finish
fi

# 100,000 single-symbol ticks of a generated 2,000-position book.
d="$scratch/g"
mkdir -p "$d"
"$LIQTOP" gen --positions 2000 --seed 23 --out "$d" >/dev/null &&
    "$LIQTOP" gen --ticks 115000 --seed 23 --out "$d" >/dev/null
grep '^{"symbol": ' "$d/ticks.jsonl" | head -n 100000 >"$d/t.jsonl"
if [ "$(wc -l <"$d/t.jsonl")" -eq 100000 ]; then ok "100,000 ticks to add"; else
    not_ok "100,000 ticks to add ($(wc -l <"$d/t.jsonl"))"
fi
i=0
while [ "$i" -lt 4 ]; do
    sed -n "$((i * 25000 + 1)),$((i * 25000 + 25000))p" "$d/t.jsonl" \
        >"$d/part$i.jsonl"
    i=$((i + 1))
done
printf '%s\n' 'not json' '{"symbol": "WETH"}' ' ' >"$d/bad.jsonl"

"$LIQTOP" run "$d/book.json" --positions "$d/positions.jsonl" \
    --feed "redis-stream://127.0.0.1:$port/prices" --headless --report json \
    --record "$d/rec.jsonl" >"$d/report.json" 2>"$d/run.err" &
lpid=$!
if wait_for 20 reader_blocked; then ok "the reader waits for new entries"; else
    not_ok "the reader waits for new entries"
fi
add prices "$d/part0.jsonl" && ok "25,000 added" || not_ok "25,000 added"
if wait_for 10 cut_reader; then ok "the reader's connection cut"; else
    not_ok "the reader's connection cut"
fi
add prices "$d/part1.jsonl" && ok "25,000 more added while it reconnects" ||
    not_ok "25,000 more added while it reconnects"
add prices "$d/bad.jsonl" && ok "3 malformed entries added" ||
    not_ok "3 malformed entries added"
kill_redis
ok "redis-server killed (SIGKILL)"
if start_redis; then ok "redis-server started again from its file"; else
    not_ok "redis-server started again from its file"
fi
add prices "$d/part2.jsonl" && ok "25,000 added after the restart" ||
    not_ok "25,000 added after the restart"
if wait_for 20 cut_reader; then ok "the reader's connection cut again"; else
    not_ok "the reader's connection cut again"
fi
add prices "$d/part3.jsonl" && ok "the last 25,000 added" ||
    not_ok "the last 25,000 added"
last=$(rcli xrevrange prices + - count 1 | head -n 1)
total=$(rcli xlen prices)
if [ "$total" = 100003 ]; then ok "the stream holds 100,003 entries"; else
    not_ok "the stream holds 100,003 entries ($total)"
fi
if wait_for 45 lines_at_least "$d/rec.jsonl" 100000 &&
    wait_for 10 reader_blocked; then
    ok "the reader caught up"
else
    not_ok "the reader caught up ($(wc -l <"$d/rec.jsonl") recorded)"
fi
stop_run
has_text "ticks_applied: every tick added" "$d/report.json" \
    '{"ticks_applied": 100000, '
has_text "the malformed entries counted, nothing else rejected" \
    "$d/report.json" \
    '"lines_rejected": {"malformed": 3, "too_long": 0, "unknown_symbol": 0, "bad_price": 0, "non_positive": 0}'
has_text "the source is live at the end" "$d/report.json" \
    "\"state\": \"live\", \"reconnects\": "
has_text "the report's last_id is the stream's newest entry" "$d/report.json" \
    "\"last_id\": \"$last\"}"
rc=$(sed -n 's/.*"reconnects": \([0-9]*\),.*/\1/p' "$d/report.json")
if [ "${rc:-0}" -ge 3 ]; then ok "three losses, $rc reconnects"; else
    not_ok "three losses, ${rc:-no} reconnects"
fi
# The record: the ticks in the order added, each once, under its id.
sed 's/, "stream_id": "[0-9-]*"}$/}/' "$d/rec.jsonl" >"$d/rec.lines"
if cmp -s "$d/rec.lines" "$d/t.jsonl"; then
    ok "the record holds every tick once, in the order added"
else
    not_ok "the record holds every tick once, in the order added"
    diff "$d/t.jsonl" "$d/rec.lines" | head -5 | sed 's/^/#   /'
fi
rcli --raw xrange prices - + | grep -E '^[0-9]+-[0-9]+$' >"$d/ids.all"
# ids of the good entries: all but the three malformed ones
ids_bad=$(rcli --raw xrange prices - + | grep -B2 -E '^(not json|\{"symbol": "WETH"\}| )$' |
    grep -cE '^[0-9]+-[0-9]+$')
sed 's/.*"stream_id": "\([0-9-]*\)"}$/\1/' "$d/rec.jsonl" >"$d/ids.rec"
if [ "$ids_bad" -eq 3 ] && [ "$(sort -u "$d/ids.rec" | wc -l)" -eq 100000 ] &&
    [ "$(grep -cvxFf "$d/ids.all" "$d/ids.rec")" -eq 0 ] &&
    [ "$(tail -n 1 "$d/ids.rec")" = "$last" ]; then
    ok "each recorded tick carries its own entry's id, the last one last"
else
    not_ok "each recorded tick carries its own entry's id"
fi
# The final book equals a fresh snapshot at the last price of each symbol.
prices=$(awk -F'"' '{ p[$4] = $8 } END { for (s in p) print "--price", s "=" p[s] }' \
    "$d/t.jsonl" | sort)
# shellcheck disable=SC2086 # one word an option or its value
"$LIQTOP" snapshot "$d/book.json" --positions "$d/positions.jsonl" \
    $prices --format json >"$d/fresh.json"
awk '/"snapshot": /{sub(/.*"snapshot": /, ""); p=1} p' "$d/report.json" |
    sed '$d' >"$d/final.json"
if [ "$(wc -l <"$d/fresh.json")" -gt 2000 ] &&
    cmp -s "$d/final.json" "$d/fresh.json"; then
    ok "the final snapshot equals liqtop snapshot at the final prices"
else
    not_ok "the final snapshot equals liqtop snapshot at the final prices"
    diff "$d/final.json" "$d/fresh.json" | head -5 | sed 's/^/#   /'
fi
"$LIQTOP" run "$d/book.json" --positions "$d/positions.jsonl" \
    --feed "replay:$d/rec.jsonl@max" --headless --until-end --report json \
    >"$d/replay.json" 2>/dev/null
awk '/"snapshot": /{sub(/.*"snapshot": /, ""); p=1} p' "$d/replay.json" |
    sed '$d' >"$d/replayed.json"
if cmp -s "$d/replayed.json" "$d/fresh.json"; then
    ok "the record replays to the same book"
else
    not_ok "the record replays to the same book"
fi

# ?from: 0 reads everything, ID what comes after it, $ (the default)
# only what is added once the reader is there, even when its first
# connection is cut before that entry comes.
fx=tests/fixtures/aave37.json
for p in 2100 2200 2300; do
    rcli xadd p2 '*' line "{\"symbol\": \"WETH\", \"price\": \"$p\"}" >>"$scratch/p2.ids"
done
id1=$(sed -n 1p "$scratch/p2.ids")
id3=$(sed -n 3p "$scratch/p2.ids")
# from SUFFIX WANT: a run over p2 until WANT ticks are recorded.
from() {
    rm -f "$scratch/f.rec"
    "$LIQTOP" run "$fx" --feed "redis-stream://127.0.0.1:$port/p2$1" \
        --headless --report json --record "$scratch/f.rec" \
        >"$scratch/f.json" 2>&1 &
    lpid=$!
    wait_for 20 lines_at_least "$scratch/f.rec" "$2" && wait_for 10 reader_blocked
    stop_run
}
from "?from=0" 3
has_text "?from=0 reads every entry" "$scratch/f.json" '"ticks_applied": 3,'
has_text "?from=0: the last id" "$scratch/f.json" "\"last_id\": \"$id3\"}"
from "?from=$id1" 2
has_text "?from=ID reads what follows ID" "$scratch/f.json" '"ticks_applied": 2,'
if head -n 1 "$scratch/f.rec" | grep -q '"price": "2200"'; then
    ok "?from=ID starts after ID"
else
    not_ok "?from=ID starts after ID"
fi
rm -f "$scratch/f.rec"
"$LIQTOP" run "$fx" --feed "redis-stream://127.0.0.1:$port/p2" --headless \
    --report json --record "$scratch/f.rec" >"$scratch/f.json" 2>&1 &
lpid=$!
wait_for 20 reader_blocked && wait_for 10 cut_reader
id4=$(rcli xadd p2 '*' line '{"symbol": "WETH", "price": "2400"}')
if wait_for 20 lines_at_least "$scratch/f.rec" 1 && wait_for 10 reader_blocked; then
    ok "\$: the entry added during the cut is read"
else
    not_ok "\$: the entry added during the cut is read"
fi
stop_run
has_text "\$ reads only what is added once it is there" "$scratch/f.json" \
    '"ticks_applied": 1,'
has_line "\$: the record names the entry" "$scratch/f.rec" \
    "{\"symbol\": \"WETH\", \"price\": \"2400\", \"ts\": $(sed 's/.*"ts": \([0-9]*\).*/\1/' "$scratch/f.rec"), \"stream_id\": \"$id4\"}"

# A key that holds no stream: said, retried, the run goes on.
rcli set notastream 1 >/dev/null
"$LIQTOP" run "$fx" --feed "redis-stream://127.0.0.1:$port/notastream" \
    --headless --report json >"$scratch/w.json" 2>&1 &
lpid=$!
sleep 1
stop_run
has_text "a key that is no stream: the server's error in the report" \
    "$scratch/w.json" 'WRONGTYPE'
has_text "a key that is no stream: no id yet" "$scratch/w.json" '"last_id": null'

# Bad specs: usage errors, named.
for spec in "redis-stream://127.0.0.1:$port/" "redis-stream://127.0.0.1:$port/?from=0" \
    "redis-stream://127.0.0.1:$port" "redis-stream://127.0.0.1/k"; do
    expect_status "no key or port: exit 2 ($spec)" 2 "$LIQTOP" run "$fx" \
        --feed "$spec" --headless
    has_text "no key or port: named" "$scratch/err" \
        "--feed $spec: expected redis-stream://HOST:PORT/KEY[?from=ID]"
done
for id in abc 1-x 1-2-3 - 99999999999999999999999 ""; do
    expect_status "bad from id '$id': exit 2" 2 "$LIQTOP" run "$fx" \
        --feed "redis-stream://127.0.0.1:$port/k?from=$id" --headless
    has_text "bad from id '$id': named" "$scratch/err" \
        "?from=$id: bad from id '$id' (expected \$, 0, MS or MS-SEQ)"
done
expect_status "unknown parameter: exit 2" 2 "$LIQTOP" run "$fx" \
    --feed "redis-stream://127.0.0.1:$port/k?since=0" --headless
has_text "unknown parameter: named" "$scratch/err" \
    "unknown parameter 'since=0' (expected ?from=ID)"
finish
