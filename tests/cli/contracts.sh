#!/bin/sh
# A fixed few cases against the protocols' real contracts on a local EVM
# (tests/contracts; make check-contracts runs hundreds): Morpho Blue, Aave
# v3.6 and Aave v3.0.2, deployed on anvil, liqtop's preview and snapshot
# compared with what the contract does, to the raw unit.  Needs `make
# contracts` (make check does it).
# LIQ_CONTRACTS_OMIT names the checks left out here while liqtop disagrees
# with the contract on them (README, "Tested against the contracts"):
# Aave's max_repay at the collateral cap, passed as debtToCover, is
# computed uncapped by the pool.  make check-contracts runs them all.
. tests/cli/tap.inc
if [ ! -f build/npm/.installed ] || [ ! -f build/contracts/aave36/.built ]; then
    not_ok "contract tests: run 'make contracts' first"
    finish
fi
export LIQTOP
export LIQ_CONTRACTS_OMIT="max_repay at the collateral cap"
LIQ_SEED=1 node tests/contracts/morpho.mjs --cases 25 || failures=$((failures + 1))
LIQ_SEED=1 node tests/contracts/aave.mjs --version 3.6 --cases 10 || failures=$((failures + 1))
LIQ_SEED=1 node tests/contracts/aave.mjs --version 3.0 --cases 10 || failures=$((failures + 1))
finish
