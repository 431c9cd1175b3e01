#!/bin/sh
# Every error message names liqtop once, with the command when there is
# one ("liqtop: ..." for the dashboard, "liqtop CMD: ..." else), a usage
# error says what is missing before the usage, and `run` reports in one
# line without --report.
. tests/cli/tap.inc

# first_line DESC WANT CMD...: the command's first line on stderr is WANT.
first_line() {
    desc=$1 want=$2
    shift 2
    "$@" >"$scratch/out" 2>"$scratch/err" </dev/null
    got=$(head -n 1 "$scratch/err")
    if [ "$got" = "$want" ]; then
        ok "$desc"
    else
        not_ok "$desc (got '$got', want '$want')"
    fi
}

first_line "dashboard: unknown option" "liqtop: unknown option: --bogus" \
    "$LIQTOP" --bogus
first_line "dashboard: a second portfolio" \
    "liqtop: unexpected argument: b.json" "$LIQTOP" a.json b.json
first_line "dashboard: bad --stale-after" \
    "liqtop: --stale-after takes seconds above 0: 0" "$LIQTOP" --stale-after 0
first_line "dashboard: bad --target-health" \
    "liqtop: --target-health takes a health factor above 0 such as 1.05 (at most 18 places): 0" \
    "$LIQTOP" --target-health 0
first_line "dashboard: no terminal, one prefix" \
    "liqtop: the dashboard needs a terminal; for scripts use liqtop snapshot, or liqtop run --headless" \
    "$LIQTOP"
first_line "snapshot: no portfolio" "liqtop snapshot: PORTFOLIO is required" \
    "$LIQTOP" snapshot
first_line "check: no portfolio" "liqtop check: PORTFOLIO is required" \
    "$LIQTOP" check
first_line "preview: no arguments" \
    "liqtop preview: PORTFOLIO and --position ID are required" \
    "$LIQTOP" preview
first_line "stress: no portfolio" "liqtop stress: PORTFOLIO is required" \
    "$LIQTOP" stress
first_line "run: no --feed" "liqtop run: --feed SRC is required" \
    "$LIQTOP" run --headless
first_line "run: no --headless, no dangling colon" \
    "liqtop run: needs --headless (the dashboard is \`liqtop PORTFOLIO\`)" \
    "$LIQTOP" run --feed sim
first_line "run: --steps without --until-end is refused" \
    "liqtop run: --steps bounds the simulator of an --until-end run" \
    "$LIQTOP" run --feed sim --headless --steps 5
expect_status "run: --steps without --until-end exits 2" 2 \
    "$LIQTOP" run --feed sim --headless --steps 5

# No message anywhere starts "liqtop : " or names liqtop twice.
for args in "--bogus" "a.json b.json" "run --bogus" "snapshot --bogus" \
    "preview --bogus" "check --bogus" "gen --bogus" "import --bogus" \
    "snapshot /nonexistent.json" "--theme nosuch /nonexistent.json"; do
    # shellcheck disable=SC2086 # the words are the arguments
    "$LIQTOP" $args >/dev/null 2>>"$scratch/all" </dev/null
done
if grep -E '^liqtop :|liqtop liqtop|^liqtop [a-z]* liqtop' "$scratch/all"; then
    not_ok "no empty or doubled command name"
else
    ok "no empty or doubled command name"
fi

# liqtop --help: the dashboard's every option.
"$LIQTOP" --help >"$scratch/help" 2>&1
for o in "--feed SRC" "--positions F.jsonl" "--theme NAME" "--stale-after S" \
    "--price SYM=P" "--record FILE" "--alerts RULES.json" "--confirmations N" \
    "--target-health H"; do
    has_text "--help lists $o" "$scratch/help" "  $o"
done

# run without --report: one summary line, counts grouped by thousands.
"$LIQTOP" run --feed sim:1 --headless --until-end >"$scratch/sum" 2>/dev/null
has_line "run prints a one-line summary" "$scratch/sum" \
    "liqtop run: 4,800 ticks applied, 0 lines rejected; $(
        "$LIQTOP" run --feed sim:1 --headless --until-end --report json |
            grep -c '"id": ') positions: $(
        "$LIQTOP" run --feed sim:1 --headless --until-end --report json |
            grep -c '"liquidatable": true') liquidatable, $(
        sed -n 's/.* liquidatable, \([0-9]*\) at risk.*/\1/p' "$scratch/sum"
    ) at risk (--report json for the whole report)"
lines=$(wc -l <"$scratch/sum")
if [ "$lines" -eq 1 ]; then
    ok "the summary is one line"
else
    not_ok "the summary is one line ($lines)"
fi
finish
