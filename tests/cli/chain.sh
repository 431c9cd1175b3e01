#!/bin/sh
# tests/cli/chain.sh: liqtop import and the rpc: feed against anvil
# (tests/chain/morpho.cjs: Morpho Blue; tests/chain/aave.cjs: Aave v3;
# tests/chain/aave_feed.cjs: the feed's positions, interest and reorgs;
# tests/chain/compound.cjs: Compound v2, against Venus, a Compound v2 fork;
# tests/chain/compound_feed.cjs: the feed on that Venus market;
# tests/chain/compound_native.cjs: a native market, vBNB, as cETH;
# tests/chain/compound_r1.cjs: Compound's three-word markets(), on Venus's
# first Comptroller).
# Needs `make npm-rpc` (make check runs it); compiles the contracts once
# into build/npm-rpc/artifacts-1.json.
. tests/cli/tap.inc
npm=${NPM_RPC_DIR:-build/npm-rpc}
if [ ! -x "$npm/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil" ]; then
    not_ok "anvil is not installed in $npm (make npm-rpc)"
    exit 1
fi
art=$npm/artifacts-1.json
if [ ! -s "$art" ]; then
    node tests/chain/compile.cjs "$npm" "$art.tmp" && mv "$art.tmp" "$art" ||
        { not_ok "the contracts compile"; exit 1; }
fi
node tests/chain/morpho.cjs "$npm" "$art" "$LIQTOP" || failed=1
node tests/chain/aave.cjs "$npm" "$LIQTOP" || failed=1
node tests/chain/aave_feed.cjs "$npm" "$LIQTOP" || failed=1
node tests/chain/compound.cjs "$npm" "$LIQTOP" || failed=1
node tests/chain/compound_feed.cjs "$npm" "$LIQTOP" || failed=1
node tests/chain/compound_native.cjs "$npm" "$LIQTOP" || failed=1
node tests/chain/compound_r1.cjs "$npm" "$LIQTOP" || failed=1
exit ${failed:-0}
