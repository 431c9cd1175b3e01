#!/bin/sh
# Every file read is bounded by its kind and nothing grows without limit:
# devices and directories are refused, a replay is streamed (a FIFO
# without a writer does not block the loop), and an allocation failure is
# "out of memory" with exit 2, never SIGABRT (design.md section 7).
. tests/cli/tap.inc

fx=tests/fixtures/aave37.json
expect_status "/dev/zero as a portfolio is refused" 2 "$LIQTOP" check /dev/zero
has_text "it says why" "$scratch/err" "/dev/zero: a device, not a portfolio file"
expect_status "a directory as a portfolio is refused" 2 "$LIQTOP" check /tmp
expect_status "/dev/zero as positions is bounded" 2 \
    "$LIQTOP" snapshot "$fx" --positions /dev/zero
has_text "by its line length" "$scratch/err" "/dev/zero:1: a line longer than 16 MiB"
expect_status "replay:/dev/zero is refused" 2 \
    "$LIQTOP" run --feed replay:/dev/zero --headless --until-end
has_text "a device is not a recording" "$scratch/err" \
    "replay:/dev/zero: not a regular file or a FIFO"
expect_status "a directory as a replay is refused" 2 \
    "$LIQTOP" run --feed "replay:$scratch" --headless --until-end
has_text "it says so" "$scratch/err" "is a directory"

# A FIFO nobody writes: the loop runs (SIGTERM is served, the report
# printed); one that is written replays.
mkfifo "$scratch/fifo"
"$LIQTOP" run --feed "replay:$scratch/fifo" --headless --report json \
    >"$scratch/f.out" 2>"$scratch/f.err" &
pid=$!
sleep 0.5
kill -TERM "$pid"
wait "$pid"
st=$?
if [ "$st" -eq 143 ] && grep -q '"state": "live"' "$scratch/f.out"; then
    ok "a FIFO without a writer does not block the loop"
else
    not_ok "a FIFO without a writer does not block the loop (exit $st)"
fi
"$LIQTOP" run --feed "replay:$scratch/fifo@max" --headless --until-end \
    --report json >"$scratch/f2.out" 2>&1 &
pid=$!
printf '%s\n' '{"symbol": "WETH", "price": "2000"}' \
    '{"symbol": "WETH", "price": "2001"}' >"$scratch/fifo"
wait "$pid"
has_text "a FIFO's lines replay, and its end ends the feed" "$scratch/f2.out" \
    '"ticks_applied": 2,'

# Out of memory: one message and exit 2. Sanitizer builds reserve more
# address space than any such limit allows, so they skip this.
case "${BUILD:-}" in
*san*) ok "out of memory (skipped under sanitizers)" ;;
*)
    mkdir -p "$scratch/gen"
    "$LIQTOP" gen --positions 100000 --out "$scratch/gen" >/dev/null 2>&1
    (
        ulimit -v 30000
        "$LIQTOP" snapshot "$scratch/gen/book.json" \
            --positions "$scratch/gen/positions.jsonl" --format csv
    ) >/dev/null 2>"$scratch/oom.err"
    st=$?
    if [ "$st" -eq 2 ] && grep -q "out of memory" "$scratch/oom.err"; then
        ok "an allocation failure is 'out of memory', exit 2"
    else
        not_ok "an allocation failure is 'out of memory', exit 2 (exit $st)"
        sed 's/^/#   /' "$scratch/oom.err" | head -3
    fi
    ;;
esac

finish
