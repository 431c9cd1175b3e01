#!/bin/sh
# liqtop run --record: nothing recorded is lost or cut. A recorder that
# cannot write says so (report, stderr, exit status); two recorders of one
# file never interleave inside a line; a recording cut by SIGKILL replays
# to its last whole line with nothing rejected.
. tests/cli/tap.inc

report() { "$LIQTOP" run "$@" --headless --until-end --report json; }
rejected_none='"lines_rejected": {"malformed": 0, "too_long": 0, "unknown_symbol": 0, "bad_price": 0, "non_positive": 0}'

expect_status "recording to a full disk fails the run" 2 \
    report --feed sim:1 --record /dev/full
has_text "the failure is on stderr" "$scratch/err" \
    "--record /dev/full: No space left on device after 0 lines"
has_text "the report says the recording failed" "$scratch/out" \
    '"record": {"file": "/dev/full", "lines": 0, "error": "--record /dev/full: No space'

report --feed sim:5 --record "$scratch/ok.jsonl" >"$scratch/ok.out" 2>&1
has_text "the report counts the lines recorded" "$scratch/ok.out" \
    '"record": {"file": "'"$scratch"'/ok.jsonl", "lines": 4800, "error": null}'

# Two recorders of one file at once: 2 x 140,000 whole lines.
report --feed sim:1 --steps 20000 --record "$scratch/two.jsonl" \
    >/dev/null 2>&1 &
p1=$!
report --feed sim:2 --steps 20000 --record "$scratch/two.jsonl" \
    >/dev/null 2>&1 &
p2=$!
wait "$p1"
wait "$p2"
report --feed "replay:$scratch/two.jsonl@max" >"$scratch/two.out" 2>&1
has_text "two recorders of one file: every line whole" "$scratch/two.out" \
    "$rejected_none"
has_text "two recorders of one file: every tick replays" "$scratch/two.out" \
    '"ticks_applied": 320000,'

# SIGKILL in the middle of a recording.
"$LIQTOP" run --feed sim:3 --steps 10000000 --headless --until-end \
    --record "$scratch/cut.jsonl" >/dev/null 2>&1 &
pk=$!
i=0
while [ "$(wc -c <"$scratch/cut.jsonl" 2>/dev/null || echo 0)" -lt 200000 ] &&
    [ $i -lt 100 ]; do
    sleep 0.05
    i=$((i + 1))
done
kill -KILL "$pk"
wait "$pk" 2>/dev/null
n=$(wc -l <"$scratch/cut.jsonl")
report --feed "replay:$scratch/cut.jsonl@max" >"$scratch/cut.out" 2>&1
has_text "a recording cut by SIGKILL: nothing rejected" "$scratch/cut.out" \
    "$rejected_none"
has_text "a recording cut by SIGKILL: every line replays" "$scratch/cut.out" \
    "\"ticks_applied\": $n,"
if [ "$(tail -c 1 "$scratch/cut.jsonl" | od -An -c | tr -d ' ')" = '\n' ]; then
    ok "a recording cut by SIGKILL ends with a whole line"
else
    not_ok "a recording cut by SIGKILL ends with a whole line"
fi

finish
