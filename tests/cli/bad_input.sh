#!/bin/sh
# Bad files, lines, flags and values: exit 2 and one message naming where
# (design.md section 7), never a crash.
. tests/cli/tap.inc

market='{"id": "aave-core", "model": "aave-v3", "assets": [
 {"symbol": "WETH", "decimals": 18, "liquidation_threshold": "0.825",
  "liquidation_bonus": "0.05"},
 {"symbol": "USDC", "decimals": 6, "liquidation_threshold": "0.78",
  "liquidation_bonus": "0.045"}]}'
pos='{"id": "alice", "market": "aave-core", "collateral": {"WETH": "10"}, "debt": {"USDC": "17000"}}'

bad() { # desc, file text, expected message fragment
    printf '%s\n' "$2" >"$scratch/book.json"
    expect_status "$1: exit 2" 2 "$LIQTOP" check "$scratch/book.json"
    has_text "$1: message" "$scratch/err" "$3"
    if [ ! -s "$scratch/out" ]; then ok "$1: no partial output"; else
        not_ok "$1: no partial output"; fi
}

bad "syntax" "{\"markets\": [$market,
  ]}" "book.json:6:3: syntax error"
bad "empty file" "" "book.json:2:1: syntax error: unexpected end of input"
bad "negative debt" "{\"markets\": [$market], \"prices\": {\"WETH\": \"1\", \"USDC\": \"1\"},
 \"positions\": [$pos, {\"id\": \"b\", \"market\": \"aave-core\"},
 {\"id\": \"c\", \"market\": \"aave-core\"},
 {\"id\": \"d\", \"market\": \"aave-core\", \"debt\": {\"USDC\": \"-1\"}}]}" \
    "book.json: positions[3].debt.USDC: negative amount"
bad "unknown asset" "{\"markets\": [$market], \"positions\": [{\"id\": \"a\", \"market\": \"aave-core\", \"collateral\": {\"FOO\": \"1\"}}]}" \
    "positions[0].collateral.FOO: asset not listed in market aave-core"
bad "ratio finer than bps" "{\"markets\": [{\"id\": \"m\", \"model\": \"aave-v3\", \"assets\": [{\"symbol\": \"WETH\", \"decimals\": 18, \"liquidation_threshold\": \"0.82501\", \"liquidation_bonus\": \"0.05\"}]}]}" \
    "markets[0].assets[0].liquidation_threshold: 0.82501 has more places than bps hold"
bad "missing price" "{\"markets\": [$market], \"prices\": {\"WETH\": \"2000\"}, \"positions\": [$pos]}" \
    "position alice: no price for USDC"
bad "duplicate position" "{\"markets\": [$market], \"prices\": {\"WETH\": \"2000\", \"USDC\": \"1\"}, \"positions\": [$pos, $pos]}" \
    "positions[1].id: duplicate position id \"alice\""
bad "no positions" "{\"markets\": [$market], \"positions\": []}" \
    "book.json: no positions"
bad "overflow in the model" "{\"markets\": [{\"id\": \"m\", \"model\": \"aave-v3\", \"assets\": [{\"symbol\": \"W\", \"decimals\": 0, \"liquidation_threshold\": \"0.8\", \"liquidation_bonus\": \"0.05\"}, {\"symbol\": \"USDC\", \"decimals\": 6, \"liquidation_threshold\": \"0.8\", \"liquidation_bonus\": \"0.05\"}]}], \"prices\": {\"W\": \"3000\", \"USDC\": \"1\"}, \"positions\": [{\"id\": \"whale\", \"market\": \"m\", \"collateral\": {\"W\": \"115792089237316195423570985008687907853269984665640564039457584007913129639935\"}, \"debt\": {\"USDC\": \"1\"}}]}" \
    "position whale: its health cannot be computed"

# JSON Lines: line numbers, with the column for syntax.
printf '%s\n' "{\"markets\": [$market], \"prices\": {\"WETH\": \"2000\", \"USDC\": \"1\"}}" >"$scratch/book.json"
printf '%s\n\n%s\n' "$pos" '{"id": "b", "market": "aave-core", "debt": {"USDC": "x"}}' >"$scratch/book.jsonl"
expect_status "jsonl meaning error: exit 2" 2 "$LIQTOP" check \
    "$scratch/book.json" --positions "$scratch/book.jsonl"
has_text "jsonl meaning error names file:line" "$scratch/err" \
    'book.jsonl:3: debt.USDC: "x" is not an amount'
printf '%s\n%s\n' "$pos" '{"id" "b"}' >"$scratch/book.jsonl"
expect_status "jsonl syntax error: exit 2" 2 "$LIQTOP" check \
    "$scratch/book.json" --positions "$scratch/book.jsonl"
has_text "jsonl syntax error names file:line:col" "$scratch/err" \
    'book.jsonl:2:7: syntax error'
# Flags and values.
expect_status "missing file" 2 "$LIQTOP" check "$scratch/nope.json"
has_text "missing file named" "$scratch/err" "nope.json: cannot open"
expect_status "--price for an unknown symbol" 2 "$LIQTOP" check \
    tests/fixtures/aave37.json --price FOO=1
has_text "--price named" "$scratch/err" "--price FOO=1: FOO is not an asset"
expect_status "--price without =" 2 "$LIQTOP" check tests/fixtures/aave37.json \
    --price WETH
expect_status "--price with no value" 2 "$LIQTOP" check \
    tests/fixtures/aave37.json --price
has_text "missing value named" "$scratch/err" "--price needs a value"
expect_status "unknown command option" 2 "$LIQTOP" check \
    tests/fixtures/aave37.json --bogus
expect_status "two portfolios" 2 "$LIQTOP" check \
    tests/fixtures/aave37.json examples/demo.json
expect_status "liqtop --version" 0 "$LIQTOP" --version
has_text "version printed" "$scratch/out" "liqtop "
expect_status "liqtop --help" 0 "$LIQTOP" --help
has_text "usage lists the commands" "$scratch/out" "liqtop snapshot PORTFOLIO"
has_text "usage lists the dashboard's options" "$scratch/out" "--stale-after S"
has_text "usage lists the dashboard's keys" "$scratch/out" "q or F10 quit"
has_text "usage gives the signals' exit status" "$scratch/out" "130 after SIGINT"
# The dashboard's feed on stdin needs it to be a pipe or a file; without
# a terminal for the screen it says so.
expect_status "dashboard without a terminal" 2 "$LIQTOP" \
    tests/fixtures/e2e.json --feed stdin </dev/null
has_text "dashboard without a terminal: message" "$scratch/err" \
    "liqtop: the dashboard needs a terminal"
bad "a price given twice" "{\"markets\": [$market], \"prices\": {\"WETH\": \"2000\", \"USDC\": \"1\", \"WETH\": \"1\"}, \"positions\": [$pos]}" \
    "prices.\"WETH\": key given twice"
bad "a JSON number past a double's digits" "{\"markets\": [$market], \"prices\": {\"WETH\": 123456789012345678901, \"USDC\": \"1\"}, \"positions\": [$pos]}" \
    "book.json:5:56: more digits than a JSON number holds exactly; give it as a string"
bad "a JSON number that underflows" "{\"markets\": [$market], \"prices\": {\"WETH\": 1e-400, \"USDC\": \"1\"}, \"positions\": [$pos]}" \
    "book.json:5:56: outside what a JSON number holds; give it as a string"
bad "a JSON number that overflows" "{\"markets\": [$market], \"prices\": {\"WETH\": 1e400, \"USDC\": \"1\"}, \"positions\": [$pos]}" \
    "book.json:5:56: outside what a JSON number holds"
finish
