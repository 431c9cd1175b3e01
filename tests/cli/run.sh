#!/bin/sh
# liqtop run --headless: a deterministic report for sim and replay, a
# recording that replays to the same book, every rejected line counted by
# reason, and bad sources refused with exit 2 (design.md section 5).
. tests/cli/tap.inc

report() { "$LIQTOP" run "$@" --headless --until-end --report json; }

report --feed sim:42 >"$scratch/s1" 2>/dev/null
report --feed sim:42 >"$scratch/s2" 2>/dev/null
if cmp -s "$scratch/s1" "$scratch/s2" && [ -s "$scratch/s1" ]; then
    ok "sim:42 gives a byte-identical report twice"
else
    not_ok "sim:42 gives a byte-identical report twice"
fi
has_text "sim: 600 steps of 8 symbols" "$scratch/s1" '"ticks_applied": 4800,'
has_text "sim ends" "$scratch/s1" \
    '"sources": [{"feed": "sim:42", "state": "ended", "reconnects": 0}]'
has_text "report embeds the snapshot" "$scratch/s1" '"snapshot": {"positions": ['

report --feed sim:7 --record "$scratch/rec.jsonl" >"$scratch/r1" 2>/dev/null
lines=$(wc -l <"$scratch/rec.jsonl")
if [ "$lines" -eq 4800 ]; then
    ok "--record writes every applied tick"
else
    not_ok "--record writes every applied tick ($lines lines)"
fi
report --feed "replay:$scratch/rec.jsonl@max" >"$scratch/r2" 2>/dev/null
report --feed "replay:$scratch/rec.jsonl@max" >"$scratch/r3" 2>/dev/null
if cmp -s "$scratch/r2" "$scratch/r3"; then
    ok "replay@max gives a byte-identical report twice"
else
    not_ok "replay@max gives a byte-identical report twice"
fi
# The snapshot spans several lines; compare everything after its start.
strip='/"snapshot": /{sub(/.*"snapshot": /, ""); p=1} p'
awk "$strip" "$scratch/r1" >"$scratch/snap1"
awk "$strip" "$scratch/r2" >"$scratch/snap2"
if cmp -s "$scratch/snap1" "$scratch/snap2"; then
    ok "a recording replays to the same final book"
else
    not_ok "a recording replays to the same final book"
fi
has_text "replay applies every recorded tick" "$scratch/r2" \
    '"ticks_applied": 4800,'

printf '%s\n' '{"symbol":"WETH","price":"0"}' '{"symbol":"WETH","price":"-1"}' \
    '{"symbol":"WETH","price":"1e400"}' '{"symbol":"WETH","price":"NaN"}' \
    'not json' '{"symbol":"NOPE","price":"1"}' '' \
    '{"prices":{"WETH":"2100","WBTC":"bad"},"ts":5}' \
    '{"symbol":"USDC","price":0.999}' >"$scratch/bad.jsonl"
report --feed "replay:$scratch/bad.jsonl@max" >"$scratch/b" 2>/dev/null
has_text "good prices of a batch apply, JSON numbers too" "$scratch/b" \
    '"ticks_applied": 2,'
has_text "every rejected line counted by reason" "$scratch/b" \
    '"lines_rejected": {"malformed": 1, "too_long": 0, "unknown_symbol": 1, "bad_price": 3, "non_positive": 2}'
report --feed stdin <"$scratch/bad.jsonl" >"$scratch/b2" 2>/dev/null
has_text "stdin from a file feeds the same counts" "$scratch/b2" \
    '"ticks_applied": 2,'
cat "$scratch/bad.jsonl" | report --feed stdin >"$scratch/b3" 2>/dev/null
has_text "stdin from a pipe feeds the same counts" "$scratch/b3" \
    '"ticks_applied": 2,'

expect_status "unknown source is bad input" 2 \
    "$LIQTOP" run --feed bogus:1 --headless --until-end
has_text "message names the source" "$scratch/err" "--feed bogus:1: unknown source"
expect_status "missing replay file is bad input" 2 \
    "$LIQTOP" run --feed "replay:$scratch/none.jsonl" --headless --until-end
has_text "message names the file" "$scratch/err" "none.jsonl: No such file"
expect_status "bad tcp address is bad input" 2 \
    "$LIQTOP" run --feed tcp:nohostport --headless
expect_status "run without --headless is a usage error" 2 \
    "$LIQTOP" run --feed sim
expect_status "bad speed is bad input" 2 \
    "$LIQTOP" run --feed "replay:$scratch/bad.jsonl@fast" --headless

# SIGTERM ends a run whose feeds never end: the report is printed, the
# child is killed, and every handle is closed (uv_loop_close returns 0).
# The child's command line is unique to this run (sleep 600.PID), so
# other tests running on the machine cannot be mistaken for it.
"$LIQTOP" run --feed tcp:127.0.0.1:1 --feed "exec:sleep 600.$$" \
    --feed "unix:$scratch/none.sock" --headless --report json \
    >"$scratch/t.out" 2>"$scratch/t.err" &
pid=$!
sleep 1
kill -TERM "$pid"
wait "$pid"
st=$?
if [ "$st" -eq 143 ] && grep -q '"state": "reconnecting"' "$scratch/t.out" &&
    ! grep -q "left handles open" "$scratch/t.err"; then
    ok "SIGTERM ends the run cleanly with reconnecting sources reported"
else
    not_ok "SIGTERM ends the run cleanly (exit $st, want 143)"
    sed 's/^/#   /' "$scratch/t.err" | head -5
fi
if pgrep -f "^sleep 600\\.$$\$" >/dev/null; then
    not_ok "the exec child is killed on shutdown"
else
    ok "the exec child is killed on shutdown"
fi
# SIGINT: the report, then 130 as a shell expects.
"$LIQTOP" run --feed "exec:sleep 600.$$" --headless --report json \
    >"$scratch/i.out" 2>"$scratch/i.err" &
pid=$!
sleep 1
kill -INT "$pid"
wait "$pid"
st=$?
if [ "$st" -eq 130 ] && grep -q '"ticks_applied": 0,' "$scratch/i.out"; then
    ok "SIGINT ends the run with its report and exit 130"
else
    not_ok "SIGINT ends the run with its report and exit 130 (exit $st)"
    sed 's/^/#   /' "$scratch/i.err" | head -5
fi
if grep -q "left handles open" "$scratch/s1" "$scratch/r1" 2>/dev/null; then
    not_ok "runs close every handle"
else
    ok "runs close every handle"
fi

expect_status "--stale-after must be above 0" 2 \
    "$LIQTOP" run --feed sim:1 --headless --until-end --stale-after 0
expect_status "--stale-after takes fractions of a second" 0 \
    "$LIQTOP" run --feed sim:1 --headless --until-end --stale-after 1.5

[ "$failures" -eq 0 ]
