#!/bin/sh
# tests/cli/import.sh: liqtop import's arguments (no node needed; the
# reads themselves are tests/cli/chain.sh's).
. tests/cli/tap.inc
m=0x$(printf '%064d' 7)
a=0x00000000000000000000000000000000000000a1
expect_status "--help" 0 "$LIQTOP" import --help
has_text "--help names --borrowers" "$scratch/out" "--borrowers"
expect_status "no --rpc" 2 "$LIQTOP" import --morpho "$a" --market "$m" --user "$a"
has_text "no --rpc: said" "$scratch/err" "--rpc URL is required"
expect_status "a short market id" 2 "$LIQTOP" import --rpc http://127.0.0.1:1 --morpho "$a" --market 0x1234 --user "$a"
has_text "a short market id: said" "$scratch/err" "--market: expected 0x and 64 hex digits"
expect_status "a bad address" 2 "$LIQTOP" import --rpc http://127.0.0.1:1 --morpho "$a" --market "$m" --user 0xzz
has_text "a bad address: said" "$scratch/err" "--user: expected 0x and 40 hex digits"
expect_status "no users" 2 "$LIQTOP" import --rpc http://127.0.0.1:1 --morpho "$a" --market "$m"
has_text "no users: said" "$scratch/err" "no --user and no --borrowers"
expect_status "--compound-v2 a bad address" 2 "$LIQTOP" import --rpc http://127.0.0.1:1 --compound-v2 0x12 --user "$a"
has_text "--compound-v2 a bad address: said" "$scratch/err" "--compound-v2: expected 0x and 40 hex digits"
expect_status "--compound-v2 and --aave-v3" 2 "$LIQTOP" import --rpc http://127.0.0.1:1 --compound-v2 "$a" --aave-v3 "$a" --user "$a"
has_text "--compound-v2 and --aave-v3: said" "$scratch/err" "or --compound-v2 COMPTROLLER is required"
expect_status "--aave-v3 and --morpho" 2 "$LIQTOP" import --rpc http://127.0.0.1:1 --aave-v3 "$a" --morpho "$a" --market "$m" --user "$a"
has_text "one protocol: said" "$scratch/err" "one of --aave-v3 PROVIDER, --morpho MORPHO --market ID or --compound-v2"
expect_status "a bad --aave-version" 2 "$LIQTOP" import --rpc http://127.0.0.1:1 --aave-v3 "$a" --aave-version 4.0 --user "$a"
expect_status "a bad --block" 2 "$LIQTOP" import --rpc http://127.0.0.1:1 --morpho "$a" --market "$m" --user "$a" --block -1
expect_status "--log-range 0" 2 "$LIQTOP" import --rpc http://127.0.0.1:1 --morpho "$a" --market "$m" --borrowers --log-range 0
expect_status "a bad --confirmations" 2 "$LIQTOP" run examples/demo.json --feed sim --headless --confirmations x
expect_status "rpc: without an imported portfolio" 2 "$LIQTOP" run examples/demo.json --feed rpc:http://127.0.0.1:1 --headless
has_text "rpc: without chain: said" "$scratch/err" 'no "chain"'
expect_status "rpc: not http" 2 "$LIQTOP" run examples/demo.json --feed rpc:ftp://x --headless
exit $((failures > 0))
