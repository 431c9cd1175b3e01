#!/bin/sh
# End-to-end: the dashboard in a private tmux server following a real
# Aave v3.6 pool on anvil with --feed rpc: (tests/e2e/chain.mjs): a
# borrow, a price fall and a paused reserve on chain show on screen.
# Needs tmux and `make contracts` (make check does it).
if [ ! -f build/npm/.installed ] || [ ! -f build/contracts/aave36/.built ]; then
    echo "not ok - chain dashboard: run 'make contracts' first"
    exit 1
fi
LIQTOP=${LIQTOP:-./liqtop} exec node tests/e2e/chain.mjs
