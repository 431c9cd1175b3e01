#!/bin/sh
# liqtop check: exit 1 with the positions below the threshold listed, 0
# when none is, 2 for bad input.
. tests/cli/tap.inc

fx=tests/fixtures/aave37.json
expect_status "alice below 1: exit 1" 1 "$LIQTOP" check "$fx"
has_line "alice listed with her health" "$scratch/out" \
    "$(printf 'alice\t0.970588235294117647\taave-core\tAlice main')"
expect_status "above a lower threshold: exit 0" 0 "$LIQTOP" check "$fx" \
    --min-health 0.97
if [ ! -s "$scratch/out" ]; then ok "nothing listed"; else
    not_ok "nothing listed"; fi
expect_status "threshold just above: exit 1" 1 "$LIQTOP" check "$fx" \
    --min-health 0.970588235294117648
expect_status "threshold equal: exit 0 (below means strictly)" 0 \
    "$LIQTOP" check "$fx" --min-health 0.970588235294117647
expect_status "a price that lifts alice: exit 0" 0 "$LIQTOP" check "$fx" \
    --price WETH=2100
expect_status "bad --min-health" 2 "$LIQTOP" check "$fx" --min-health abc
expect_status "unknown option" 2 "$LIQTOP" check "$fx" --frobnicate
has_text "unknown option named" "$scratch/err" "unknown option: --frobnicate"
finish
