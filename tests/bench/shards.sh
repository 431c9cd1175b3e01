#!/bin/sh
# make bench-shards: the 1,000,000-position book split four ways. Four
# workers (liqtop run --shard I/4 --publish) and one real redis-server on
# a free loopback port replay T ticks; the merged lowest 100 (liqtop
# attach) must equal the single process's first 100 of its snapshot byte
# for byte, and the counts its counts; then the attached dashboard in
# tmux must show the same total and top row. Prints wall and CPU time of
# the single process beside the workers'. Not part of make check.
#   SEED=1 N=1000000 T=10000 sh tests/bench/shards.sh build/bench
set -u
BUILD=${1:-build/bench}
SEED=${SEED:-1}
N=${N:-1000000}
T=${T:-10000}
L=$BUILD/liqtop
DATA=$BUILD/data/gen2-seed$SEED-n$N-t$T
if [ ! -f "$DATA/done" ]; then
    mkdir -p "$DATA"
    echo "generating $N positions and $T ticks (seed $SEED) into $DATA"
    "$L" gen --positions "$N" --seed "$SEED" --out "$DATA" &&
        "$L" gen --ticks "$T" --seed "$SEED" --out "$DATA" && : >"$DATA/done"
fi
W=$(mktemp -d "${TMPDIR:-/tmp}/liqtop-shards.XXXXXX") || exit 1
rpid=""
wpids=""
S=liqtopshards$$
cleanup() {
    tmux -L "$S" kill-server 2>/dev/null
    for p in $wpids; do kill -9 "$p" 2>/dev/null; done
    [ -n "$rpid" ] && kill -9 "$rpid" 2>/dev/null
    rm -rf "$W"
}
trap cleanup EXIT INT TERM
fail=0
ok() { echo "ok - $1"; }
not_ok() { echo "not ok - $1"; fail=1; }
book="$DATA/book.json --positions $DATA/positions.jsonl"
feed="replay:$DATA/ticks.jsonl@max"
echo "machine: $(nproc) cores,$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2); $(date -u '+%Y-%m-%d %H:%M UTC')"

# The single process: the replay's counts, then the snapshot's first 100
# at the final prices.
python3 - "$DATA/ticks.jsonl" >"$W/prices" <<'PY'
import json, sys
last = {}
for line in open(sys.argv[1]):
    o = json.loads(line)
    last.update(o["prices"] if "prices" in o else {o["symbol"]: o["price"]})
print(" ".join("--price %s=%s" % kv for kv in sorted(last.items())))
PY
# shellcheck disable=SC2086
/usr/bin/time -f "%e %U %S" -o "$W/single.time" \
    "$L" run $book --feed "$feed" --headless --until-end >"$W/single.txt"
read -r sw su ss <"$W/single.time"
echo "single process: load, rank, replay $T ticks: wall ${sw}s, CPU $(echo "$su + $ss" | bc)s"
# shellcheck disable=SC2046,SC2086
"$L" snapshot $book $(cat "$W/prices") 2>/dev/null | sed -n '2,101p' |
    sed 's/,$//' >"$W/single.items"

port=$((20000 + ($$ * 11) % 20000))
while redis-cli -p "$port" ping >/dev/null 2>&1; do port=$((port + 1)); done
redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no \
    --dir "$W" --daemonize no >"$W/redis.log" 2>&1 &
rpid=$!
for _ in 1 2 3 4 5 6 7 8 9 10; do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.2; done
url=redis://127.0.0.1:$port/bench
t0=$(date +%s.%N)
for i in 0 1 2 3; do
    # shellcheck disable=SC2086
    "$L" run $book --shard "$i/4" --publish "$url" --feed "$feed" \
        --headless >"$W/w$i.out" 2>&1 &
    wpids="$wpids $!"
done
"$L" attach "$url" --until ended --timeout 600 >"$W/merged.json"
st=$?
t1=$(date +%s.%N)
echo "four workers: started to merged view settled: wall $(echo "$t1 - $t0" | bc)s (exit $st)"
# Each worker's CPU time so far (load, rank, replay, publish), from /proc.
hz=$(getconf CLK_TCK)
i=0
for p in $wpids; do
    cpu=$(awk -v hz="$hz" '{printf "%.2f", ($14 + $15) / hz}' "/proc/$p/stat")
    echo "worker $i/4: CPU ${cpu}s"
    i=$((i + 1))
done
grep '^  {"id": ' "$W/merged.json" | sed 's/,$//' >"$W/merged.items"
if [ "$(wc -l <"$W/merged.items")" -eq 100 ] && cmp -s "$W/single.items" "$W/merged.items"; then
    ok "merged lowest 100 = the single process's first 100, byte for byte"
else
    not_ok "merged lowest 100 = the single process's first 100"
    diff "$W/single.items" "$W/merged.items" | head -4
fi
want=$(sed -n 's/.* \([0-9,]*\) positions: \([0-9,]*\) liquidatable, \([0-9,]*\) at risk.*/\1 \2 \3/p' "$W/single.txt" | tr -d ,)
got=$(python3 -c "
import json, sys
c = json.load(open(sys.argv[1]))['counts']
print(c['total'], c['liquidatable'], c['at_risk'])" "$W/merged.json")
if [ -n "$want" ] && [ "$want" = "$got" ]; then ok "counts = the single process's ($got)"; else
    not_ok "counts = the single process's (want '$want', got '$got')"; fi

if command -v tmux >/dev/null; then
    first=$(sed -n '1s/^  {"id": "\([^"]*\)".*/\1/p' "$W/single.items")
    total=$(python3 -c "print(f'{int(\"${want%% *}\"):,}')")
    tmux -L "$S" -f /dev/null new-session -d -x 130 -y 40 "$L --attach $url"
    i=0
    while [ "$i" -lt 100 ]; do
        tmux -L "$S" capture-pane -p | grep -q "^$first" &&
            tmux -L "$S" capture-pane -p | grep -qF "$total positions" && break
        sleep 0.1
        i=$((i + 1))
    done
    if [ "$i" -lt 100 ]; then
        ok "the attached dashboard shows $total positions, $first on top"
    else
        not_ok "the attached dashboard shows $total positions, $first on top"
        tmux -L "$S" capture-pane -p | head -6
    fi
    tmux -L "$S" kill-server
fi
for p in $wpids; do kill -TERM "$p"; done
for p in $wpids; do wait "$p"; done
wpids=""
exit $fail
