#!/bin/sh
# make bench-stream: how fast liqtop reads a Redis stream. 100,000
# single-symbol ticks are put in a stream of a redis-server started here
# on a free loopback port, then read from 0 into a 2,000-position book
# with --record (liqtop run --feed redis-stream://...?from=0 until all are
# recorded), beside the same lines from a file (replay:@max), the way with
# no network: wall and CPU time of each, three runs each in turn.
# Never part of make check.   sh tests/bench/stream.sh build/bench
set -u
BUILD=${1:-build/bench}
LIQ=$BUILD/liqtop
T=${T:-100000}
TIME=/usr/bin/time
if ! command -v redis-server >/dev/null 2>&1 || [ ! -x "$TIME" ]; then
    echo "bench-stream: needs redis-server and $TIME"
    exit 1
fi
d=$(mktemp -d "${TMPDIR:-/tmp}/liqtop-bench-stream.XXXXXX") || exit 1
port=$((20000 + ($$ * 11) % 20000))
while redis-cli -p "$port" ping >/dev/null 2>&1; do port=$((port + 1)); done
redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no \
    --daemonize no >"$d/redis.log" 2>&1 &
rpid=$!
trap 'kill "$rpid" 2>/dev/null; wait "$rpid" 2>/dev/null; rm -rf "$d"' EXIT INT TERM
i=0
until [ "$(redis-cli -p "$port" ping 2>/dev/null)" = PONG ]; do
    i=$((i + 1))
    [ "$i" -gt 50 ] && { echo "bench-stream: redis-server did not start"; exit 1; }
    sleep 0.1
done
"$LIQ" gen --positions 2000 --seed 23 --out "$d" >/dev/null
"$LIQ" gen --ticks $((T + T / 5)) --seed 23 --out "$d" >/dev/null
grep '^{"symbol": ' "$d/ticks.jsonl" | head -n "$T" >"$d/t.jsonl"
awk '{ printf "*5\r\n$4\r\nXADD\r\n$6\r\nprices\r\n$1\r\n*\r\n$4\r\nline\r\n$%d\r\n%s\r\n", length($0), $0 }' \
    "$d/t.jsonl" | redis-cli -p "$port" --pipe >/dev/null
echo "machine: $(nproc) cores,$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2); load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "$(wc -l <"$d/t.jsonl") ticks, 2,000 positions, with --record (wall s, user+sys CPU s):"
for k in 1 2 3; do
    rm -f "$d/rec.jsonl"
    $TIME -f "  redis-stream ?from=0:   %e wall, %U+%S CPU" "$LIQ" run \
        "$d/book.json" --positions "$d/positions.jsonl" \
        --feed "redis-stream://127.0.0.1:$port/prices?from=0" --headless \
        --record "$d/rec.jsonl" >/dev/null 2>"$d/time.err" &
    tp=$!
    sleep 0.05
    c=$(cat "/proc/$tp/task/$tp/children" 2>/dev/null)
    # the run never ends by itself: stopped once every tick is recorded
    n=0
    while [ "$n" -lt 6000 ] && { [ ! -f "$d/rec.jsonl" ] ||
        [ "$(wc -l <"$d/rec.jsonl")" -lt "$T" ]; }; do
        sleep 0.01
        n=$((n + 1))
    done
    [ -n "$c" ] && kill $c
    wait "$tp"
    tail -n 1 "$d/time.err"
    $TIME -f "  replay@max (no network): %e wall, %U+%S CPU" "$LIQ" run \
        "$d/book.json" --positions "$d/positions.jsonl" \
        --feed "replay:$d/t.jsonl@max" --headless --until-end \
        --record "$d/rrec.jsonl" >/dev/null 2>"$d/time.err"
    tail -n 1 "$d/time.err"
    rm -f "$d/rrec.jsonl"
done
echo "(the stream's wall time includes polling the record every 10 ms)"
