#!/bin/sh
# End-to-end, as a user sees them in a real terminal (a private tmux
# server): a long config error shown whole at 120 columns and blaming the
# config file, not --theme; a portfolio without --feed saying its prices
# are static; "1 position" in the singular; counts grouped by thousands;
# a stablecoin's price to enough places that a depeg to 0.9999 shows.
LIQTOP=${LIQTOP:-./liqtop}
S=liqmsg$$
n=0
failures=0
D=$(mktemp -d "${TMPDIR:-/tmp}/liqtop-e2e.XXXXXX") || exit 1
trap 'tmux -L "$S" kill-server 2>/dev/null; rm -rf "$D"' EXIT INT TERM

ok() { echo "ok - $1"; }
not_ok() {
    echo "not ok - $1"
    failures=$((failures + 1))
    tmux -L "$S" capture-pane -p 2>/dev/null | sed 's/^/#   /'
}
screen() { tmux -L "$S" capture-pane -p -J 2>/dev/null; }
wait_for() {
    i=0
    while [ "$i" -lt "${2:-50}" ]; do
        screen | tr -d '\n' | grep -qF -- "$1" && return 0
        sleep 0.1
        i=$((i + 1))
    done
    return 1
}
check() { if wait_for "$2"; then ok "$1"; else not_ok "$1 (no '$2')"; fi; }
run() { # COLS COMMAND: a server of its own each time
    tmux -L "$S" kill-server 2>/dev/null
    n=$((n + 1))
    S=liqmsg$$-$n
    tmux -L "$S" -f /dev/null new-session -d -x "$1" -y 30 \
        "sh -c '$2; echo EXITED=\$?; sleep 30'"
}
command -v tmux >/dev/null || { echo "not ok - tmux is not installed"; exit 1; }

mkdir -p "$D/xdg/liqtop"
cat >"$D/xdg/liqtop/config.json" <<'J'
{"theme": "no-such-theme-named-in-the-config-file",
 "keys": {"quit": "a-key-name-that-does-not-exist"}}
J
run 120 "XDG_CONFIG_HOME=$D/xdg $LIQTOP examples/demo.json"
check "a config theme error names the config file" \
    "$D/xdg/liqtop/config.json: theme no-such-theme-named-in-the-config-file: no such theme"
if screen | grep -qF -- "--theme"; then
    not_ok "a config theme error does not blame --theme"
else
    ok "a config theme error does not blame --theme"
fi
check "the joined config errors show whole at 120 columns, up to the key's" \
    "mono, or a .json file); $D/xdg/liqtop/config.json: keys.quit"

cat >"$D/one.json" <<'J'
{"markets": [{"id": "m", "model": "aave-v3", "version": "3.7", "base_decimals": 8,
  "assets": [{"symbol": "WETH", "decimals": 18, "ltv": "0.8", "liquidation_threshold": "0.825", "liquidation_bonus": "0.05", "protocol_fee": "0.1"},
             {"symbol": "USDC", "decimals": 6, "ltv": "0.8", "liquidation_threshold": "0.85", "liquidation_bonus": "0.05", "protocol_fee": "0.1"}]}],
 "prices": {"WETH": "2000", "USDC": "0.99991234"},
 "positions": [{"id": "solo", "market": "m", "collateral": {"WETH": "1"}, "debt": {"USDC": "100"}}]}
J
run 120 "$LIQTOP $D/one.json"
check "one position is 'position', singular" " 1 position  0 liquidatable"
check "no --feed: the header says the prices are static" \
    "no feed: static prices from the file"
tmux -L "$S" send-keys Enter
check "the detail pane shows a stablecoin's price whole" "@0.99991234"

mkdir -p "$D/gen"
"$LIQTOP" gen --positions 1234 --seed 3 --out "$D/gen" >/dev/null 2>&1
run 120 "$LIQTOP $D/gen/book.json --positions $D/gen/positions.jsonl"
check "counts are grouped by thousands" " 1,234 positions"

tmux -L "$S" kill-server 2>/dev/null
[ "$failures" -eq 0 ]
