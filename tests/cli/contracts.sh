#!/bin/sh
# A fixed few cases against the protocols' real contracts on a local EVM
# (tests/contracts; make check-contracts runs hundreds): Morpho Blue, Aave
# v3.6 and Aave v3.0.2, deployed on anvil, liqtop's preview and snapshot
# compared with what the contract does, to the raw unit.  Needs `make
# contracts` (make check does it).
# Then a few cases with design.md 3.1's state fields (LIQ_CONTRACTS_STATE=1:
# interest with time passing, eMode, disabled collaterals, paused reserves,
# grace periods, Morpho markets of several borrowers), and the rpc: feed
# following the configurator's changes to a running book.
. tests/cli/tap.inc
if [ ! -f build/npm/.installed ] || [ ! -f build/contracts/aave36/.built ]; then
    not_ok "contract tests: run 'make contracts' first"
    finish
fi
export LIQTOP
export LIQ_CONTRACTS_STATE=0
LIQ_SEED=1 node tests/contracts/morpho.mjs --cases 25 || failures=$((failures + 1))
LIQ_SEED=1 node tests/contracts/aave.mjs --version 3.6 --cases 10 || failures=$((failures + 1))
LIQ_SEED=1 node tests/contracts/aave.mjs --version 3.0 --cases 10 || failures=$((failures + 1))
export LIQ_CONTRACTS_STATE=1
LIQ_SEED=1 node tests/contracts/morpho.mjs --cases 6 || failures=$((failures + 1))
LIQ_SEED=1 node tests/contracts/aave.mjs --version 3.6 --cases 4 || failures=$((failures + 1))
LIQ_SEED=1 node tests/contracts/aave.mjs --version 3.0 --cases 4 || failures=$((failures + 1))
# The rpc: feed following a 3.6 pool whose configurator pauses a reserve,
# changes its threshold and bonus, and sets a grace period.
node tests/contracts/aave_feed.mjs || failures=$((failures + 1))
# ... and pools whose eMode categories change under it (3.0.2 and 3.6).
node tests/contracts/aave_emode_feed.mjs --version 3.0 || failures=$((failures + 1))
node tests/contracts/aave_emode_feed.mjs --version 3.6 || failures=$((failures + 1))
finish
