#!/bin/sh
# End-to-end: what a new user sees, in a private tmux server. The demo's
# first screen (the built-in book and the sim): the selection on a position
# a partial liquidation restores, its preview leading with that call, equal
# to `liqtop preview` at the prices the sim had reached (read back from
# --record, with liqtop stopped so that the screen holds still); the
# positions no partial call restores, labelled with why. Then on the demo
# book at its own prices: the preview and the detail at 40x10 (labels
# shrink, a cut figure ends in '>'), a typed repay above the largest call
# ("capped at"), SGR mouse reports (click and wheel), and --feed stdin from
# a FIFO with the keys from the terminal. Polls the screen with bounded retries.
LIQTOP=${LIQTOP:-./liqtop}
S=liqtopfs$$
D=$(mktemp -d)
failures=0
trap 'tmux -L "$S" kill-server 2>/dev/null; rm -rf "$D"' EXIT INT TERM

ok() { echo "ok - $1"; }
not_ok() {
    echo "not ok - $1"
    failures=$((failures + 1))
    tmux -L "$S" capture-pane -p 2>/dev/null | sed 's/^/#   /'
}
screen() { tmux -L "$S" capture-pane -p 2>/dev/null; }
# wait_for TEXT [TRIES]: until the screen shows TEXT (0.1 s a try).
wait_for() {
    i=0
    while [ "$i" -lt "${2:-100}" ]; do
        screen | grep -qF -- "$1" && return 0
        sleep 0.1
        i=$((i + 1))
    done
    return 1
}
check() { # DESC TEXT
    if wait_for "$2"; then ok "$1"; else not_ok "$1 (no '$2')"; fi
}
keys() { tmux -L "$S" send-keys "$@"; }
first_id() { screen | grep -A1 '^POSITION' | tail -n 1 | awk '{print $1}'; }
# The id of the selected row (its background, role selected, is 106).
selected() {
    tmux -L "$S" capture-pane -p -e | grep '\[[0-9;]*106m' |
        sed 's/\x1b\[[0-9;]*m//g' | awk '{print $1}' | head -n 1
}
# wait_selected ID: until the selection is ID.
wait_selected() {
    n=0
    while [ "$(selected)" != "$1" ] && [ "$n" -lt 50 ]; do
        sleep 0.1
        n=$((n + 1))
    done
    [ "$(selected)" = "$1" ]
}
# 123898.678415 -> 123,898.678415, as the dashboard shows amounts.
group() { echo "$1" | sed -e ':a' -e 's/^\([0-9]*[0-9]\)\([0-9]\{3\}\)/\1,\2/' -e 'ta'; }
hf4() { echo "$1" | sed 's/^\([0-9]*\.[0-9]\{4\}\).*/\1/'; }
field() { sed -n "s/^ *\"$1\": \"\\([^\"]*\\)\".*/\\1/p" "$2"; }
liqtop_pid() {
    shpid=$(tmux -L "$S" display -p '#{pane_pid}')
    pgrep -P "$shpid" -x liqtop | head -n 1
}

command -v tmux >/dev/null || { echo "not ok - tmux is not installed"; exit 1; }

# 1. The demo as `make run` starts it, recording the sim's ticks (interest
# accrual put off so that the book stays the demo file's).
tmux -L "$S" -f /dev/null new-session -d -x 120 -y 40 \
    "sh -c '$LIQTOP --record $D/rec.jsonl --accrue-every 3600; echo EXITED=\$?; sleep 30'"
if wait_for "sim live" 300 && wait_for "link-loop" 300; then
    ok "demo: the first screen within 30 s"
else
    not_ok "demo: the first screen within 30 s"
fi
top=$(first_id)
if wait_selected "$top"; then ok "demo: the selection starts on the first row ($top)"; else not_ok "demo: the selection starts on the first row ($(selected), want $top)"; fi
keys p
check "demo: the preview opens on $top" "-- preview $top:"
check "demo: it leads with the repay to the target" "repay to health 1.0000 [h]"
check "demo: the collateral that repay sells" "collateral sold"
check "demo: the largest call follows, labelled" "largest call allowed"
pid=$(liqtop_pid)
kill -STOP "$pid"
sleep 0.5
screen >"$D/screen.txt"
kill -CONT "$pid"
lead=$(grep -A4 '^ repay to health' "$D/screen.txt" | head -n 5)
shown_repay=$(echo "$lead" | sed -n 's/^ repay to health 1.0000 \[h\]  *\([0-9,.]*\) USDC (worth [0-9,.]*)$/\1/p')
shown_sold=$(echo "$lead" | sed -n 's/^   collateral sold  *\([0-9,.]*\) LINK, [0-9.]*% of it (worth [0-9,.]*)$/\1/p')
shown_share=$(echo "$lead" | sed -n 's/^   collateral sold .* LINK, \([0-9.]*%\) of it.*/\1/p')
shown_hf=$(echo "$lead" | sed -n 's/^   health before -> after  *\([0-9.]*\) -> 1.0000$/\1/p')
if [ -n "$shown_repay" ] && [ -n "$shown_sold" ] && [ -n "$shown_hf" ] &&
    echo "$lead" | grep -q '^   bonus, fee (worth)  *[0-9,.]*, [0-9,.]*$'; then
    ok "demo: the block reads repay, collateral sold with share and worth, bonus and fee, health before -> after"
else
    not_ok "demo: the block reads repay, sold, bonus and fee, health (got: $lead)"
fi
# The screen holds the prices of some prefix of the recording (every tick
# is written as it is applied, the screen drawn after): find the one whose
# liqtop preview gives the same figures, from the newest back.
total=$(wc -l <"$D/rec.jsonl")
n=$total
matched=""
while [ "$n" -ge 1 ] && [ "$n" -gt $((total - 300)) ]; do
    # shellcheck disable=SC2046
    "$LIQTOP" preview examples/demo.json --position "$top" --format json \
        $(head -n "$n" "$D/rec.jsonl" |
            sed -n 's/.*"symbol": "\([^"]*\)", "price": "\([^"]*\)".*/\1 \2/p' |
            awk '{p[$1] = $2} END {for (s in p) printf "--price %s=%s\n", s, p[s]}') \
        >"$D/pv.json" 2>/dev/null
    if [ "$(group "$(field repay_to_target "$D/pv.json")")" = "$shown_repay" ] &&
        [ "$(group "$(field collateral_to_target "$D/pv.json")")" = "$shown_sold" ] &&
        [ "$(hf4 "$(field health_factor "$D/pv.json")")" = "$shown_hf" ]; then
        matched=$n
        break
    fi
    n=$((n - 1))
done
if [ -n "$matched" ]; then
    ok "demo: $top's repay $shown_repay USDC, sold $shown_sold LINK ($shown_share), health $shown_hf equal liqtop preview after tick $matched of $total"
else
    not_ok "demo: $top's figures equal liqtop preview at a recorded instant (shown $shown_repay / $shown_sold / $shown_hf)"
fi
# The ones no partial call restores say so, and why.
keys Escape / s t e t h '-' l o o p Enter p
check "demo: steth-loop's preview opens" "-- preview steth-loop:"
check "demo: steth-loop is labelled: no partial call restores" "no partial call restores"
check "demo: with why" "no partial call restores    only one that sells all the collateral, the rest written off as bad debt"
keys Escape Escape / w b t c '-' c r a s h Enter p
check "demo: wbtc-crash is labelled too" "no partial call restores"
"$LIQTOP" preview examples/demo.json --position wbtc-crash --format json >"$D/pv.json"
grep -q '"reason": "only a call that seizes all the collateral' "$D/pv.json" &&
    ok "demo: as liqtop preview's reason says" || not_ok "demo: as liqtop preview's reason says"
keys q
check "demo: q exits" "EXITED=0"
tmux -L "$S" kill-server
sleep 0.2

# 2. The demo book at its own prices (no feed: static), with the terminal
# xterm-256color so that ncurses asks for SGR mouse reports.
"$LIQTOP" preview examples/demo.json --position link-loop --format json >"$D/link.json"
tmux -L "$S" -f /dev/null new-session -d -x 120 -y 40 \
    "sh -c 'TERM=xterm-256color $LIQTOP examples/demo.json; echo EXITED=\$?; sleep 30'"
check "static demo: starts" "link-loop"
max=$(group "$(field max_repay "$D/link.json")")
keys p = 9 9 9 9 9 9 9 Enter
check "a repay typed above the largest call is capped" \
    "this call: repay            capped at $max USDC (asked 9,999,999 USDC)"
keys m
# 40x10: short labels; the repay drops its worth and stays whole; the
# collateral amount does not fit and is cut, marked '>'.
tmux -L "$S" resize-window -x 40 -y 10
rt=$(group "$(field repay_to_target "$D/link.json")")
check "40x10: the repay to the target whole, short label" " to 1.0000  $rt USDC"
sold="$(group "$(field collateral_to_target "$D/link.json")") LINK"
if [ ${#sold} -gt 28 ]; then
    want=$(printf ' sold      %.27s>' "$sold")
else
    want=" sold      $sold"
fi
check "40x10: the collateral sold, a cut figure marked" "$want"
check "40x10: health before and after whole" " health    $(hf4 "$(field health_factor "$D/link.json")") -> 1.0000"
# The detail at 40x10: the close factor's and the shock's labels shrink,
# their figures whole.
keys Escape / b a s i s Enter Enter
check "40x10: the detail's close factor, short label" "  health 1.3672 warn  cf 50%"
if wait_for "  shock: wstETH,WBTC,LINK -" && screen | grep -q '^  shock: wstETH,WBTC,LINK -[0-9]*\.[0-9][0-9]%$'; then
    ok "40x10: the detail's liquidation shock whole, short label"
else
    not_ok "40x10: the detail's liquidation shock whole, short label"
fi
keys Escape Escape
tmux -L "$S" resize-window -x 120 -y 40
check "back at 120x40" "LIQ PRICE"
check "the filter is cleared" "link-loop"
sleep 0.3
# SGR reports (ESC [ < b ; col ; row M, 1-based): a click on the 4th row
# selects it, the wheel moves the selection three rows down.
ids=$(screen | grep -A8 '^POSITION' | tail -n 8 | awk '{print $1}')
headrow=$(screen | grep -n '^POSITION' | cut -d: -f1)
row4=$(echo "$ids" | sed -n 4p)
row7=$(echo "$ids" | sed -n 7p)
keys -l "$(printf '\033[<0;6;%dM\033[<0;6;%dm' $((headrow + 4)) $((headrow + 4)))"
if wait_selected "$row4"; then ok "SGR mouse: a click selects the row under it ($row4)"; else not_ok "SGR mouse: a click selects the row under it ($(selected), want $row4)"; fi
keys -l "$(printf '\033[<65;6;%dM' $((headrow + 4)))"
if wait_selected "$row7"; then ok "SGR mouse: the wheel moves the selection three rows ($row7)"; else not_ok "SGR mouse: the wheel moves the selection three rows ($(selected), want $row7)"; fi
keys -l "$(printf '\033[<64;6;%dM' $((headrow + 4)))"
if wait_selected "$row4"; then ok "SGR mouse: the wheel up moves it back ($row4)"; else not_ok "SGR mouse: the wheel up moves it back ($(selected), want $row4)"; fi
keys q
check "static demo: q exits" "EXITED=0"
tmux -L "$S" kill-server
sleep 0.2

# 3. --feed stdin from a FIFO: lines written into it are applied, and j
# and q come from the terminal. The test holds the FIFO open read-write
# so that neither end blocks.
F=$D/feed.fifo
mkfifo "$F"
exec 3<>"$F"
tmux -L "$S" -f /dev/null new-session -d -x 100 -y 30 \
    "sh -c '$LIQTOP tests/fixtures/e2e.json --feed stdin <$F; echo EXITED=\$?; sleep 30'"
check "FIFO: starts with the feed live" "stdin live"
echo '{"symbol": "WETH", "price": "1200"}' >&3
check "FIFO: the price strip shows the written price" "WETH 1,200.00"
check "FIFO: the rows change with it" "1 liquidatable"
[ "$(first_id)" = eth-pos ] && ok "FIFO: eth-pos ranks first, liquidatable" || not_ok "FIFO: eth-pos ranks first"
# (the selection stays on its position while the ranks move)
sel=$(selected)
next=$(screen | grep -A3 '^POSITION' | tail -n 3 | awk '{print $1}' |
    grep -x -A1 -- "$sel" | sed -n 2p)
keys j
if [ -n "$next" ] && wait_selected "$next"; then ok "FIFO: j from the terminal moves the selection ($sel to $next)"; else not_ok "FIFO: j moves the selection ($(selected), want '$next' after '$sel')"; fi
echo '{"symbol": "WETH", "price": "2000"}' >&3
check "FIFO: the next line is applied" "0 liquidatable"
check "FIFO: the strip follows" "WETH 2,000.00"
keys q
check "FIFO: q from the terminal exits" "EXITED=0"
exec 3>&-

[ "$failures" -eq 0 ]
