#!/bin/sh
# End-to-end: liqtop --attach in a private tmux server over four workers
# (liqtop run --shard I/N --publish) on a real redis-server started here
# on a free loopback port. The screen's header names every worker's state
# and the single process's counts; its rows are the single process's
# lowest, in order; p shows the preview the worker holding the position
# computed, line for line as liqtop preview --format table prints it; a
# worker killed is shown stale and its rows leave, and return when it
# starts again; Redis going away is shown and the view comes back with it.
# Polls the screen with bounded retries; no fixed sleep decides a result.
LIQTOP=${LIQTOP:-./liqtop}
S=liqtopattach$$
failures=0
D=$(mktemp -d "${TMPDIR:-/tmp}/liqtop-attach.XXXXXX") || exit 1
rpid=""
wpids=""
cleanup() {
    tmux -L "$S" kill-server 2>/dev/null
    tmux -L "${S}h" kill-server 2>/dev/null
    for p in $wpids; do kill -9 "$p" 2>/dev/null; done
    [ -n "$rpid" ] && kill -9 "$rpid" 2>/dev/null
    rm -rf "$D"
}
trap cleanup EXIT INT TERM

ok() { echo "ok - $1"; }
not_ok() {
    echo "not ok - $1"
    failures=$((failures + 1))
    tmux -L "$S" capture-pane -p 2>/dev/null | sed 's/^/#   /'
}
screen() { tmux -L "$S" capture-pane -p 2>/dev/null; }
wait_for() { # TEXT [TRIES of 0.1 s]
    i=0
    while [ "$i" -lt "${2:-100}" ]; do
        screen | grep -qF -- "$1" && return 0
        sleep 0.1
        i=$((i + 1))
    done
    return 1
}
wait_gone() { # TEXT [TRIES]
    i=0
    while [ "$i" -lt "${2:-100}" ]; do
        screen | grep -qF -- "$1" || return 0
        sleep 0.1
        i=$((i + 1))
    done
    return 1
}
check() { if wait_for "$2" "${3:-100}"; then ok "$1"; else not_ok "$1 (no '$2')"; fi; }
keys() { tmux -L "$S" send-keys "$@"; }
# The ids of the table's rows, in order.
row_ids() { screen | sed -n '/^POSITION/,/^WORKERS/p' | sed -n 's/^\(0x[0-9a-f]*\).*/\1/p'; }

for t in tmux redis-server python3; do
    command -v "$t" >/dev/null || { echo "not ok - $t is not installed"; exit 1; }
done
port=$((20000 + ($$ * 13) % 20000))
while redis-cli -p "$port" ping >/dev/null 2>&1; do port=$((port + 1)); done
url=redis://127.0.0.1:$port/e2e
start_redis() {
    redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no \
        --dir "$D" --daemonize no >"$D/redis.log" 2>&1 &
    rpid=$!
    for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
        redis-cli -p "$port" ping >/dev/null 2>&1 && return 0
        sleep 0.1
    done
    return 1
}
if start_redis; then ok "redis-server on port $port"; else not_ok "redis-server"; exit 1; fi

g=$D/g
mkdir -p "$g"
"$LIQTOP" gen --positions 20000 --seed 5 --out "$g" >/dev/null
"$LIQTOP" gen --ticks 2000 --seed 5 --out "$g" >/dev/null
book="$g/book.json --positions $g/positions.jsonl"
feed="replay:$g/ticks.jsonl@max"
# shellcheck disable=SC2086
"$LIQTOP" run $book --feed "$feed" --headless --until-end --report json >"$D/single.json"
# shellcheck disable=SC2086
"$LIQTOP" run $book --feed "$feed" --headless --until-end >"$D/single.txt"
python3 - "$D/single.json" "$g/ticks.jsonl" <<'PY' >"$D/facts"
import json, sys
sp = json.load(open(sys.argv[1]))["snapshot"]["positions"]
last = {}
for line in open(sys.argv[2]):
    o = json.loads(line)
    last.update(o["prices"] if "prices" in o else {o["symbol"]: o["price"]})
def fnv(b):
    h = 14695981039346656037
    for x in b:
        h ^= x
        h = (h * 1099511628211) % (1 << 64)
    return h
print("first=%s" % sp[0]["id"])
print("shard=%d" % (fnv(sp[0]["id"].encode()) % 4))
print("prices='%s'" % " ".join("--price %s=%s" % kv for kv in sorted(last.items())))
PY
. "$D/facts"
for p in $(python3 -c "
import json, sys
for p in json.load(open(sys.argv[1]))['snapshot']['positions'][:20]:
    print(p['id'])" "$D/single.json"); do echo "$p"; done >"$D/want20"
liq=$(sed -n 's/.*positions: \([0-9,]*\) liquidatable, \([0-9,]*\) at risk.*/\1/p' "$D/single.txt")
risk=$(sed -n 's/.*positions: \([0-9,]*\) liquidatable, \([0-9,]*\) at risk.*/\2/p' "$D/single.txt")

start_worker() {
    # shellcheck disable=SC2086
    "$LIQTOP" run $book --shard "$1/4" --publish "$url" --feed "$feed" \
        --headless >"$D/w$1.out" 2>&1 &
    eval "wpid$1=$!"
    wpids="$wpids $!"
}
for i in 0 1 2 3; do start_worker "$i"; done

tmux -L "$S" -f /dev/null new-session -d -x 130 -y 40 \
    "sh -c '$LIQTOP --attach $url --stale-after 2; echo EXITED=\$?; sleep 30'"
for i in 0 1 2 3; do check "header: worker $i/4 ended" "$i/4 ended"; done
check "header: the single process's total" "20,000 positions"
check "header: its liquidatable count ($liq)" "$liq liquidatable"
check "header: its at-risk count ($risk)" "$risk at risk"
i=0
while [ "$i" -lt 100 ] && [ "$(row_ids | head -n 1)" != "$first" ]; do
    sleep 0.1
    i=$((i + 1))
done
row_ids | head -n 20 >"$D/got20"
if [ "$(wc -l <"$D/got20")" -ge 20 ] && cmp -s "$D/want20" "$D/got20"; then
    ok "the rows are the single process's lowest 20, in order"
else
    not_ok "the rows are the single process's lowest 20, in order"
    diff "$D/want20" "$D/got20" | head -4 | sed 's/^/#   /'
fi

# p: the worker's preview of the top row, as liqtop preview prints it.
keys g p
check "p asks the worker holding $first" "preview of $first, computed by the worker"
# shellcheck disable=SC2086
eval "\"\$LIQTOP\" preview $book $prices --position $first --format table" >"$D/pv.txt"
for pat in "health factor" "max repay" "collateral seized"; do
    line=$(grep -m1 "^  $pat" "$D/pv.txt")
    if [ -n "$line" ] && wait_for "$line" 50; then
        ok "preview line '$pat' = liqtop preview's"
    else
        not_ok "preview line '$pat' = liqtop preview's ('$line')"
    fi
done
keys Escape

# A worker killed: stale in the header, its rows gone, then back.
eval "victim=\$wpid$shard"
kill -9 "$victim"
check "the killed worker $shard/4 is shown stale" "$shard/4 stale" 100
check "the view says it is partial" "PARTIAL"
check "the log says its rows left" "shard $shard/4: stale"
if row_ids | grep -qx "$first"; then
    not_ok "its rows left the ranking ($first still shown)"
else
    ok "its rows left the ranking ($first gone)"
fi
start_worker "$shard"
check "started again: $shard/4 ended" "$shard/4 ended" 100
if wait_gone "PARTIAL" && [ "$(row_ids | head -n 1)" = "$first" ]; then
    ok "its rows returned: $first on top again"
else
    not_ok "its rows returned: $first on top again"
fi

# Redis away: shown, then the view is whole again.
kill -9 "$rpid"
wait "$rpid" 2>/dev/null
rpid=""
check "Redis gone: the header says reconnecting" "reconnecting"
if start_redis; then ok "redis-server started again, empty"; else not_ok "redis-server again"; fi
if wait_gone "reconnecting" 150 && wait_for "20,000 positions" 100 &&
    wait_gone "PARTIAL" 100; then
    ok "Redis back: the workers publish again and the view is whole"
else
    not_ok "Redis back: the workers publish again and the view is whole"
fi
tmux -L "$S" resize-window -x 40 -y 10
check "resized to 40x10: still drawn" "HEALTH^"
tmux -L "$S" resize-window -x 130 -y 40
check "and back to 130x40" "WORKERS"
keys '?'
check "? shows the attached view's help" "liqtop --attach: the merged view"
keys '?' q
check "q exits cleanly" "EXITED=0"

# The terminal closes under the view (its window, an ssh link): it ends
# as a death by SIGHUP would (129), even where SIGHUP is ignored, as
# under nohup, and never spins on a dead terminal. The shell around it
# ignores SIGHUP to live on and write the status. A server of its own:
# one just killed may still be exiting.
tmux -L "$S" kill-server 2>/dev/null
S=${S}h
rm -f "$D/st"
tmux -L "$S" -f /dev/null new-session -d -x 130 -y 40 \
    "trap '' HUP; $LIQTOP --attach $url; echo \$? >$D/st"
check "attached again" "20,000 positions"
tmux -L "$S" kill-server 2>/dev/null
i=0
while [ "$i" -lt 50 ] && [ ! -s "$D/st" ]; do
    sleep 0.1
    i=$((i + 1))
done
st=$(cat "$D/st" 2>/dev/null)
if [ "$st" = 129 ]; then
    ok "terminal closed: the attached view exits 129"
else
    not_ok "terminal closed: the attached view exits 129 (got '$st')"
fi
[ "$failures" -eq 0 ]
