#!/bin/sh
# liqtop gen: a synthetic book the loader takes whole, the same bytes for
# the same seed, every model present, a replay feed with ts increasing, and
# exit 2 for bad arguments.
. tests/cli/tap.inc

d=$scratch/g
mkdir -p "$d" "$d/again"
expect_status "gen 500 positions into a folder" 0 "$LIQTOP" gen \
    --positions 500 --seed 7 --out "$d"
expect_status "the same seed again" 0 "$LIQTOP" gen --positions 500 \
    --seed 7 --out "$d/again"
if cmp -s "$d/positions.jsonl" "$d/again/positions.jsonl" &&
    cmp -s "$d/book.json" "$d/again/book.json"; then
    ok "same seed, same bytes"
else
    not_ok "same seed, same bytes"
fi
"$LIQTOP" gen --positions 500 --seed 8 >"$d/other.jsonl"
if cmp -s "$d/positions.jsonl" "$d/other.jsonl"; then
    not_ok "another seed, another book"
else
    ok "another seed, another book"
fi
n=$(wc -l <"$d/positions.jsonl")
if [ "$n" -eq 500 ]; then ok "one position a line"; else
    not_ok "one position a line ($n lines)"; fi
for m in '"aave-v3"' '"aave-v4"' '"compound-v2"' '"morpho-blue"'; do
    has_text "market of model $m" "$d/book.json" "\"model\": $m"
done
expect_status "the book loads: snapshot" 0 "$LIQTOP" snapshot \
    "$d/book.json" --positions "$d/positions.jsonl" --format csv
rows=$(($(wc -l <"$scratch/out") - 1))
if [ "$rows" -eq 500 ]; then ok "every position in the snapshot"; else
    not_ok "every position in the snapshot ($rows)"; fi
if grep -q ',true,' "$scratch/out" && grep -q ',false,' "$scratch/out"; then
    ok "some liquidatable, some not"
else
    not_ok "some liquidatable, some not"
fi

expect_status "gen ticks" 0 "$LIQTOP" gen --ticks 300 --seed 7
cp "$scratch/out" "$d/ticks.jsonl"
n=$(wc -l <"$d/ticks.jsonl")
if [ "$n" -eq 300 ]; then ok "300 tick lines"; else
    not_ok "300 tick lines ($n)"; fi
if sed 's/.*"ts": \([0-9]*\).*/\1/' "$d/ticks.jsonl" |
    awk 'NR > 1 && $1 <= prev { bad = 1 } { prev = $1 } END { exit bad }'; then
    ok "ts increasing"
else
    not_ok "ts increasing"
fi
expect_status "the feed replays against the book" 0 "$LIQTOP" run \
    "$d/book.json" --positions "$d/positions.jsonl" \
    --feed "replay:$d/ticks.jsonl@max" --headless --until-end --report json
has_text "every line applied" "$scratch/out" '"malformed": 0'

# The run's final snapshot equals a fresh snapshot at the final prices
# (the report's "prices"): the incremental book after every tick of a
# replay is what loading the book at those prices gives.
g="$scratch/g"
mkdir -p "$g"
"$LIQTOP" gen --positions 3000 --seed 11 --out "$g" &&
    "$LIQTOP" gen --ticks 20000 --seed 11 --out "$g"
"$LIQTOP" run "$g/book.json" --positions "$g/positions.jsonl" \
    --feed "replay:$g/ticks.jsonl@max" --headless --until-end \
    --report json >"$g/report.json" 2>"$g/err"
has_text "a 20,000-line replay rejects no line" "$g/report.json" \
    '"lines_rejected": {"malformed": 0, "too_long": 0, "unknown_symbol": 0, "bad_price": 0, "non_positive": 0}'
prices=$(sed -n 's/.*"prices": {\([^}]*\)}, "snapshot".*/\1/p' \
    "$g/report.json" | tr ',' '\n' |
    sed 's/^ *"\([^"]*\)": "\([^"]*\)"$/--price \1=\2/')
# shellcheck disable=SC2086 # one word an option or its value
"$LIQTOP" snapshot "$g/book.json" --positions "$g/positions.jsonl" \
    $prices --format json >"$g/fresh.json"
awk '/"snapshot": /{sub(/.*"snapshot": /, ""); p=1} p' "$g/report.json" |
    sed '$d' >"$g/final.json"
if [ -n "$prices" ] && [ "$(wc -l <"$g/fresh.json")" -gt 3000 ] &&
    cmp -s "$g/final.json" "$g/fresh.json"; then
    ok "the run's final snapshot equals a fresh snapshot at its final prices"
else
    not_ok "the run's final snapshot equals a fresh snapshot at its final prices"
    diff "$g/final.json" "$g/fresh.json" | head -5 | sed 's/^/#   /'
fi

expect_status "no count: usage" 2 "$LIQTOP" gen --seed 1
expect_status "bad count" 2 "$LIQTOP" gen --positions -3
expect_status "unknown argument" 2 "$LIQTOP" gen --positions 3 --frob
has_text "unknown argument named" "$scratch/err" "--frob"
expect_status "--help" 0 "$LIQTOP" gen --help
finish
