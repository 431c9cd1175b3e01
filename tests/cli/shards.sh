#!/bin/sh
# A book split between four workers (liqtop run --shard I/N --publish) on
# one real redis-server started here on a free loopback port, read back by
# liqtop attach: after a replay the merged lowest 100 positions are the
# single process's first 100 of its snapshot, byte for byte, and the
# counts its counts; each worker holds the positions FNV-1a puts in its
# shard (computed here in Python); a preview through Redis is the bytes
# of liqtop preview; a killed worker goes stale and its rows leave, and
# return when it starts again; a Redis killed and started empty is filled
# again by the workers.
. tests/cli/tap.inc

if ! command -v redis-server >/dev/null 2>&1; then
    echo "not ok - redis-server is not installed"
    exit 1
fi
port=$((20000 + ($$ * 7) % 20000))
while redis-cli -p "$port" ping >/dev/null 2>&1; do port=$((port + 1)); done
url=redis://127.0.0.1:$port/desk
rpid=""
wpids=""
start_redis() {
    redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no \
        --dir "$scratch" --daemonize no >"$scratch/redis.log" 2>&1 &
    rpid=$!
    for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
        redis-cli -p "$port" ping >/dev/null 2>&1 && return 0
        sleep 0.1
    done
    return 1
}
stop_redis() { [ -n "$rpid" ] && kill -9 "$rpid" 2>/dev/null; wait "$rpid" 2>/dev/null; rpid=""; }
stop_workers() {
    for p in $wpids; do kill -9 "$p" 2>/dev/null; done
    wpids=""
}
trap 'stop_workers; stop_redis; rm -rf "$scratch"' EXIT INT TERM
if start_redis; then ok "redis-server on port $port"; else
    not_ok "redis-server on port $port"
    finish
fi

g=$scratch/g
mkdir -p "$g"
"$LIQTOP" gen --positions 20000 --seed 11 --out "$g" >/dev/null &&
    "$LIQTOP" gen --ticks 3000 --seed 11 --out "$g" >/dev/null ||
    not_ok "gen a 20,000-position book and 3,000 ticks"
book="$g/book.json --positions $g/positions.jsonl"
feed="replay:$g/ticks.jsonl@max"

# The single process on the whole book.
# shellcheck disable=SC2086
"$LIQTOP" run $book --feed "$feed" --headless --until-end --report json \
    >"$scratch/single.json" 2>"$scratch/single.err"
# shellcheck disable=SC2086
"$LIQTOP" run $book --feed "$feed" --headless --until-end \
    >"$scratch/single.txt" 2>&1
python3 - "$g/ticks.jsonl" >"$scratch/prices" <<'PY'
import json, sys
last = {}
for line in open(sys.argv[1]):
    o = json.loads(line)
    last.update(o["prices"] if "prices" in o else {o["symbol"]: o["price"]})
for k in sorted(last):
    print("--price %s=%s" % (k, last[k]))
PY

start_worker() { # I
    # shellcheck disable=SC2086
    "$LIQTOP" run $book --shard "$1/4" --publish "$url" --feed "$feed" \
        --headless >"$scratch/w$1.out" 2>"$scratch/w$1.err" &
    eval "wpid$1=$!"
    wpids="$wpids $!"
}
for i in 0 1 2 3; do start_worker "$i"; done

expect_status "attach: the four workers settle after the replay" 0 \
    "$LIQTOP" attach "$url" --until ended --timeout 60
cp "$scratch/out" "$scratch/merged.json"

# The items' text: snapshot's lines, the first 100, commas dropped.
items() { grep '^  {"id": ' "$1" | sed 's/,$//' | head -n 100; }
items "$scratch/single.json" >"$scratch/single.items"
items "$scratch/merged.json" >"$scratch/merged.items"
n=$(wc -l <"$scratch/merged.items")
if [ "$n" -eq 100 ] && cmp -s "$scratch/single.items" "$scratch/merged.items"; then
    ok "merged lowest 100 = the single process's first 100, byte for byte"
else
    not_ok "merged lowest 100 = the single process's first 100 ($n items)"
    diff "$scratch/single.items" "$scratch/merged.items" | head -4 | sed 's/^/#   /'
fi

py_check() { # DESC, python code reading merged (m) and single (s)
    if python3 - "$scratch/merged.json" "$scratch/single.json" \
        "$scratch/single.txt" "$g/positions.jsonl" >"$scratch/py.out" 2>&1 <<PY
import json, re, sys
m = json.load(open(sys.argv[1]))
s = json.load(open(sys.argv[2]))
txt = open(sys.argv[3]).read()
sp = s["snapshot"]["positions"]
$2
PY
    then ok "$1"; else
        not_ok "$1"
        sed 's/^/#   /' "$scratch/py.out" | head -8
    fi
}
py_check "merged counts = the single process's (total, liquidatable, at risk, no debt, bad debt)" '
c = m["counts"]
assert m["complete"] is True, m["complete"]
assert c["total"] == len(sp) == 20000, (c, len(sp))
assert c["liquidatable"] == sum(p["liquidatable"] for p in sp), c
assert c["bad_debt"] == sum(p["bad_debt"] for p in sp), c
assert c["no_debt"] == sum(p["health_factor"] is None and p["collateral_value"] is not None for p in sp), c
n = re.search(r"([0-9,]+) positions: ([0-9,]+) liquidatable, ([0-9,]+) at risk", txt)
assert n, txt
total, liq, risk = (int(x.replace(",", "")) for x in n.groups())
assert (c["total"], c["liquidatable"], c["at_risk"]) == (total, liq, risk), (c, n.groups())
print(c)'

if python3 - "$g/positions.jsonl" "$scratch/merged.json" >"$scratch/py.out" 2>&1 <<'PY'
import json, sys
def fnv(b):
    h = 14695981039346656037
    for x in b:
        h ^= x
        h = (h * 1099511628211) % (1 << 64)
    return h
want = [0] * 4
for line in open(sys.argv[1]):
    want[fnv(json.loads(line)["id"].encode()) % 4] += 1
got = [w["positions"] for w in json.load(open(sys.argv[2]))["workers"]]
assert got == want, (got, want)
print(got)
PY
then ok "each worker holds the ids FNV-1a 64 puts in its shard ($(cat "$scratch/py.out"))"
else
    not_ok "each worker holds the ids FNV-1a 64 puts in its shard"
    sed 's/^/#   /' "$scratch/py.out" | head -5
fi

# Previews through Redis: the bytes liqtop preview prints at the final
# prices, for a few positions of the merged ranking.
ids=$(python3 -c "
import json, sys
p = json.load(open(sys.argv[1]))['positions']
print(' '.join(p[i]['id'] for i in (0, 17, 63, 99)))" "$scratch/merged.json")
for id in $ids; do
    # shellcheck disable=SC2046,SC2086
    "$LIQTOP" preview $book $(cat "$scratch/prices") --position "$id" \
        >"$scratch/pv.want" 2>&1
    "$LIQTOP" attach "$url" --position "$id" --timeout 20 >"$scratch/pv.got" 2>&1
    if [ -s "$scratch/pv.want" ] && cmp -s "$scratch/pv.want" "$scratch/pv.got"; then
        ok "preview $id through Redis = liqtop preview"
    else
        not_ok "preview $id through Redis = liqtop preview"
        diff "$scratch/pv.want" "$scratch/pv.got" | head -4 | sed 's/^/#   /'
    fi
done
id=$(echo "$ids" | cut -d' ' -f2)
# shellcheck disable=SC2046,SC2086
"$LIQTOP" preview $book $(cat "$scratch/prices") --position "$id" \
    --target-health 1.2 --format table >"$scratch/pv.want" 2>&1
"$LIQTOP" attach "$url" --position "$id" --target-health 1.2 --format table \
    >"$scratch/pv.got" 2>&1
if grep -q 'health' "$scratch/pv.want" && cmp -s "$scratch/pv.want" "$scratch/pv.got"; then
    ok "preview --target-health 1.2 --format table through Redis = liqtop preview"
else
    not_ok "preview --target-health 1.2 --format table through Redis"
    diff "$scratch/pv.want" "$scratch/pv.got" | head -4 | sed 's/^/#   /'
fi
expect_status "a preview of an unknown id: the worker's message, exit 2" 2 \
    "$LIQTOP" attach "$url" --position no-such-id --timeout 20
has_text "the message names it" "$scratch/err" "no-such-id: no such position"

# A worker killed: stale, its rows gone from the ranking and the counts.
eval "victim=\$wpid2"
kill -9 "$victim"
wait "$victim" 2>/dev/null
wpids=$(for p in $wpids; do [ "$p" = "$victim" ] || echo "$p"; done)
expect_status "attach watches 4 s with a 2.5 s stale limit" 0 \
    "$LIQTOP" attach "$url" --for 4 --stale-after 2.5
cp "$scratch/out" "$scratch/stale.json"
if python3 - "$scratch/stale.json" "$scratch/merged.json" >"$scratch/py.out" 2>&1 <<'PY'
import json, sys
a = json.load(open(sys.argv[1])); m = json.load(open(sys.argv[2]))
states = [w["state"] for w in a["workers"]]
assert states == ["ended", "ended", "stale", "ended"], states
assert a["complete"] is False
lost = m["workers"][2]["positions"]
assert a["counts"]["total"] == 20000 - lost, (a["counts"], lost)
def fnv(b):
    h = 14695981039346656037
    for x in b:
        h ^= x
        h = (h * 1099511628211) % (1 << 64)
    return h
ids = [p["id"] for p in a["positions"]]
assert all(fnv(i.encode()) % 4 != 2 for i in ids), "a stale shard's row is shown"
# the others' rows, in the same order as before
rest = [p for p in m["positions"] if fnv(p["id"].encode()) % 4 != 2]
assert a["positions"][:len(rest)] == rest
print(states, a["counts"]["total"])
PY
then ok "the killed worker is stale, its rows and counts left the view ($(cat "$scratch/py.out"))"
else
    not_ok "the killed worker is stale, its rows and counts left the view"
    sed 's/^/#   /' "$scratch/py.out" | head -5
fi
start_worker 2
expect_status "the worker started again: the view settles" 0 \
    "$LIQTOP" attach "$url" --until ended --timeout 60
items "$scratch/out" >"$scratch/again.items"
if cmp -s "$scratch/single.items" "$scratch/again.items"; then
    ok "its rows returned: the merged 100 equal the single process's again"
else
    not_ok "its rows returned: the merged 100 equal the single process's again"
fi

# Redis killed and started empty: the workers reconnect and publish all
# again.
stop_redis
ok "redis-server killed"
sleep 0.5
if start_redis; then ok "redis-server started again, empty"; else
    not_ok "redis-server started again, empty"; fi
expect_status "the workers published again: the view settles" 0 \
    "$LIQTOP" attach "$url" --until ended --timeout 60
items "$scratch/out" >"$scratch/again.items"
if cmp -s "$scratch/single.items" "$scratch/again.items"; then
    ok "after the restart the merged 100 equal the single process's"
else
    not_ok "after the restart the merged 100 equal the single process's"
fi

# SIGTERM: each worker says "stopped" before it goes.
for p in $wpids; do kill -TERM "$p" 2>/dev/null; done
codes=""
for p in $wpids; do
    wait "$p"
    codes="$codes $?"
done
wpids=""
if [ "$(echo $codes)" = "143 143 143 143" ]; then ok "SIGTERM: the workers exit 143"; else
    not_ok "SIGTERM: the workers exit 143 ($codes)"; fi
if cat "$scratch"/w?.err | grep -q 'Sanitizer\|runtime error\|left handles'; then
    not_ok "the workers' standard error is clean"
    cat "$scratch"/w?.err | head -20 | sed 's/^/#   /'
else
    ok "the workers' standard error is clean"
fi
n=$(redis-cli -p "$port" --raw hvals desk:beat | grep -c '"state":"stopped"')
if [ "$n" -eq 4 ]; then ok "SIGTERM: four heartbeats say stopped"; else
    not_ok "SIGTERM: four heartbeats say stopped ($n)"
fi

# Usage.
expect_status "--shard 4/4 is refused" 2 "$LIQTOP" run "$g/book.json" \
    --shard 4/4 --feed "$feed" --headless
has_text "naming the form" "$scratch/err" "--shard takes I/N"
expect_status "--publish takes a redis:// URL" 2 "$LIQTOP" run "$g/book.json" \
    --publish "tcp://127.0.0.1:$port" --feed "$feed" --headless
expect_status "attach to a port nothing answers on: exit 2" 2 \
    "$LIQTOP" attach "redis://127.0.0.1:1/x" --timeout 1
has_text "saying so" "$scratch/err" "Redis did not answer in time"
finish
