#!/bin/sh
# A fixed set of tests/xcheck/morpho_pre_sdk.mjs in make check: liqtop's
# morpho-pre figures (the band, preLCF, preLIF, --seize's repaid shares,
# a repay's seizure and the "too much repay" cap) against
# @morpho-org/blue-sdk, pinned in the Makefile and installed by make check
# into build/npm-xcheck. Seed 1, 60 cases; `SEED=... N=...` as for the
# script itself. Prints one TAP line.
LIQTOP=${LIQTOP:-./liqtop}
NPM_DIR=${NPM_XCHECK_DIR:-build/npm-xcheck}
liqtop=$(cd "$(dirname "$LIQTOP")" && pwd)/$(basename "$LIQTOP")
if [ ! -d "$NPM_DIR/node_modules/@morpho-org/blue-sdk" ]; then
    echo "not ok - morpho-pre against @morpho-org/blue-sdk: $NPM_DIR has no" \
        "@morpho-org/blue-sdk (make check installs it)"
    exit 1
fi
# The script resolves its imports from the folder it sits in.
D=$(mktemp -d "$NPM_DIR/run.XXXXXX")
trap 'rm -rf "$D"' EXIT INT TERM
cp tests/xcheck/morpho_pre_sdk.mjs "$D/"
out=$(cd "$D" && SEED=${SEED:-1} N=${N:-60} LIQTOP="$liqtop" node morpho_pre_sdk.mjs 2>&1)
st=$?
summary=$(echo "$out" | tail -n 1)
case "$summary" in
*" checks, 0 differences, "*)
    if [ "$st" -eq 0 ]; then
        echo "ok - morpho-pre against @morpho-org/blue-sdk (seed ${SEED:-1}: $summary)"
        exit 0
    fi
    ;;
esac
echo "$out" | sed 's/^/#   /'
echo "not ok - morpho-pre against @morpho-org/blue-sdk (seed ${SEED:-1}: $summary)"
exit 1
