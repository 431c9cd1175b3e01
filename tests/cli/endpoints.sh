#!/bin/sh
# Endpoints and arguments are checked, not guessed: a port past 65535, a
# socket path longer than its address holds, a bad speed, a second
# --positions or --feed stdin are refused; an exec: command that fails says
# why; a child that ignores SIGTERM does not outlive liqtop; a quiet live
# source is reported stale; gen says when its output cannot be written.
. tests/cli/tap.inc

fx=tests/fixtures/aave37.json
expect_status "tcp port 99999 is refused" 2 \
    "$LIQTOP" run --feed tcp:127.0.0.1:99999 --headless --until-end
has_text "the message gives the range" "$scratch/err" "port 1 to 65535"
expect_status "tcp port 0 is refused" 2 \
    "$LIQTOP" run --feed tcp:127.0.0.1:0 --headless --until-end
long=$(printf '%0120d' 0)
expect_status "a unix path longer than sun_path is refused" 2 \
    "$LIQTOP" run --feed "unix:/tmp/$long" --headless --until-end
has_text "the message gives the limit" "$scratch/err" "holds at most 107"
printf '%s\n' '{"symbol": "WETH", "price": "1"}' >"$scratch/r.jsonl"
expect_status "replay speed @-1 is refused" 2 \
    "$LIQTOP" run --feed "replay:$scratch/r.jsonl@-1" --headless --until-end
expect_status "replay speed @+2 is refused" 2 \
    "$LIQTOP" run --feed "replay:$scratch/r.jsonl@+2" --headless --until-end
expect_status "a second --positions is refused" 2 \
    "$LIQTOP" snapshot "$fx" --positions "$scratch/a" --positions "$scratch/b"
has_text "it is named" "$scratch/err" "--positions given twice"
expect_status "a second --feed stdin is refused" 2 \
    "$LIQTOP" run --feed stdin --feed stdin --headless --until-end </dev/null
has_text "it is named" "$scratch/err" "--feed stdin: given twice"

# An exec: command that does not exist: its stderr's last line is the
# source's error, in the report and on stderr.
"$LIQTOP" run --feed "exec:nosuch-command-$$" --headless --report json \
    >"$scratch/x.out" 2>"$scratch/x.err" &
pid=$!
sleep 1
kill -TERM "$pid"
wait "$pid"
has_text "a missing command: the report says why" "$scratch/x.out" \
    "exited with status 127: "
has_text "and names the command" "$scratch/x.out" "nosuch-command-$$: not found"
has_text "and so does stderr" "$scratch/x.err" "nosuch-command-$$: not found"

# A child that ignores SIGTERM (its sleeps inherit the ignored signal) is
# killed after the grace period; a quiet live source is stale.
marker="liqtop-ignore-term-$$"
"$LIQTOP" run --feed "exec:trap '' TERM; echo '{\"symbol\": \"WETH\", \"price\": \"2000\"}'; while :; do sleep 0.1; done; : $marker" \
    --headless --report json --stale-after 0.3 \
    >"$scratch/k.out" 2>"$scratch/k.err" &
pid=$!
sleep 1.2
kill -TERM "$pid"
wait "$pid"
st=$?
if [ "$st" -eq 143 ] && ! pgrep -f "$marker" >/dev/null; then
    ok "a child that ignores SIGTERM does not outlive liqtop"
else
    not_ok "a child that ignores SIGTERM does not outlive liqtop (exit $st)"
    for p in $(pgrep -f "$marker"); do kill -KILL "$p"; done
fi
has_text "a quiet live source is reported stale" "$scratch/k.out" \
    '"state": "stale"'

expect_status "gen to a full disk fails" 2 sh -c "\"$LIQTOP\" gen --ticks 100000 >/dev/full"
has_text "and says so" "$scratch/err" "liqtop gen: writing the output failed"

finish
