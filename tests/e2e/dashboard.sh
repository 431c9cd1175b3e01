#!/bin/sh
# End-to-end: the dashboard in a private tmux server on a replay feed.
# Checks ranking, a crash moving a position to the top as liquidatable,
# the preview's numbers against `liqtop preview` at the same prices, the
# filter, freeze, theme, help and what-if keys, resizing to 40x10 and
# back, Tab and Shift-Tab over the 9 pairs of a 3x3 position, mouse
# clicks and the wheel (xterm's reports sent through tmux), a feed on
# standard input while the keys come from the terminal, and a restored
# terminal after q, SIGTERM (143), SIGINT (130) and a crash. Polls the
# screen with bounded retries; never depends on fixed sleeps for results.
LIQTOP=${LIQTOP:-./liqtop}
S=liqtop$$
failures=0
trap 'tmux -L "$S" kill-server 2>/dev/null' EXIT INT TERM

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
    while [ "$i" -lt "${2:-50}" ]; do
        screen | grep -qF -- "$1" && return 0
        sleep 0.1
        i=$((i + 1))
    done
    return 1
}
check() { # DESC TEXT
    if wait_for "$2"; then ok "$1"; else not_ok "$1 (no '$2')"; fi
}
check_not() { # DESC TEXT
    sleep 0.3
    if screen | grep -qF -- "$2"; then not_ok "$1 ('$2' still shown)"; else ok "$1"; fi
}
keys() { tmux -L "$S" send-keys "$@"; }
# The first table row (the row after the column heads).
first_row() { screen | grep -A1 '^POSITION' | tail -n 1; }

command -v tmux >/dev/null || { echo "not ok - tmux is not installed"; exit 1; }
start() {
    tmux -L "$S" -f /dev/null new-session -d -x 100 -y 30 \
        "sh -c '$LIQTOP tests/fixtures/e2e.json --feed replay:tests/fixtures/e2e_crash.jsonl; echo EXITED=\$?; sleep 30'"
}

start
check "the dashboard starts with the book" "wbtc-pos"
if first_row | grep -q '^wbtc-pos'; then ok "ranked by health: lowest first"; else not_ok "ranked by health: lowest first"; fi
# The replay crashes WETH from 2000 to 1200 two seconds in.
if wait_for "ended" 60 && first_row | grep -q '^eth-pos.*LIQ!!'; then
    ok "a crash moves the position to the top, liquidatable"
else
    not_ok "a crash moves the position to the top, liquidatable"
fi
check "header counts the liquidatable" "1 liquidatable"

# Preview of eth-pos equals liqtop preview at the same prices.
keys g p
pv=$("$LIQTOP" preview tests/fixtures/e2e.json --position eth-pos --price WETH=1200 --format json)
want=$(echo "$pv" | sed -n 's/.*"max_repay": "\(.*\)".*/\1/p')
seized=$(echo "$pv" | sed -n 's/.*"collateral_seized": "\(.*\)".*/\1/p')
check "the preview opens" "largest call allowed"
got=$(screen | sed -n 's/.*largest call allowed *\([0-9.,]*\) USDC.*/\1/p' | tr -d ,)
if [ -n "$want" ] && [ "$got" = "$want" ]; then
    ok "preview max repay equals liqtop preview ($want)"
else
    not_ok "preview max repay equals liqtop preview (screen '$got', command '$want')"
fi
check "preview seizure equals liqtop preview ($seized)" "collateral seized         $seized WETH"
rt=$(echo "$pv" | sed -n 's/.*"repay_to_target": "\(.*\)".*/\1/p')
got=$(screen | sed -n 's/.*repay to health [0-9.]* \[h\] *\([0-9.,]*\) USDC.*/\1/p' | tr -d ,)
if [ -n "$rt" ] && [ "$got" = "$rt" ]; then
    ok "the preview leads with liqtop preview's repay_to_target ($rt)"
else
    not_ok "the preview leads with repay_to_target (screen '$got', command '$rt')"
fi
keys a
check "the avoid tab lists the least repayment" "repay USDC"
keys Escape

# Filter.
keys / s t e a d y Enter
sleep 0.3
if first_row | grep -q '^steady' && ! screen | grep -q '^wbtc-pos'; then
    ok "the filter keeps matching rows only"
else
    not_ok "the filter keeps matching rows only"
fi
keys Escape
check "Esc clears the filter" "wbtc-pos"

# Freeze.
keys f
check "f freezes the ranking" "FROZEN"
keys f
check_not "f again resumes" "FROZEN"

# Theme: the colours on screen change.
before=$(tmux -L "$S" capture-pane -p -e | md5sum)
keys t
sleep 0.4
after=$(tmux -L "$S" capture-pane -p -e | md5sum)
if [ "$before" != "$after" ]; then ok "t switches the theme"; else not_ok "t switches the theme"; fi
check "the status line names the theme" "theme: light"

# Help, searchable.
keys '?'
check "? opens the help" "type to search"
keys f r e e z e
check "typing searches the help" "freeze the ranking"
check_not "search hides other keys" "quit (the terminal is restored)"
keys Escape Escape
check_not "Esc closes the help" "type to search"
# The help scrolls: the last keys are reachable with PgDn.
keys '?' NPage
check "PgDn scrolls the help to its last keys" "least repay/deposit that avoids"
keys Escape
check_not "Esc closes the scrolled help" "type to search"

# What-if on the selection's main collateral.
keys g ']'
check "] shocks the price as a what-if" "WHAT-IF WETH +1.00%"
keys 0
check_not "0 clears the what-if" "WHAT-IF"

# Resize down to 40x10 and back.
tmux -L "$S" resize-window -x 40 -y 10
check "at 40x10 it keeps running" "liqtop"
tmux -L "$S" resize-window -x 100 -y 30
check "back at 100x30 the columns return" "LIQ PRICE"

# q restores the terminal.
keys q
check "q exits cleanly" "EXITED=0"
alt=$(tmux -L "$S" display -p '#{alternate_on}')
[ "$alt" = 0 ] && ok "after q the terminal is restored" || not_ok "after q the terminal is restored"
tmux -L "$S" kill-server
sleep 0.2

# SIGTERM restores the terminal too: signal liqtop itself, the child of
# the pane's shell.
start
check "restarted" "eth-pos"
shpid=$(tmux -L "$S" display -p '#{pane_pid}')
pkill -TERM -P "$shpid" -x liqtop || true
check "SIGTERM exits with 143 (128 + 15)" "EXITED=143"
alt=$(tmux -L "$S" display -p '#{alternate_on}')
[ "$alt" = 0 ] && ok "after SIGTERM the terminal is restored" || not_ok "after SIGTERM the terminal is restored"

tmux -L "$S" kill-server
sleep 0.2

# NO_COLOR: attributes only, and the selected row still stands out.
tmux -L "$S" -f /dev/null new-session -d -x 100 -y 30 \
    "sh -c 'NO_COLOR=1 $LIQTOP tests/fixtures/e2e.json --feed replay:tests/fixtures/e2e_crash.jsonl; echo EXITED=\$?; sleep 30'"
check "NO_COLOR: starts" "wbtc-pos"
sleep 0.3
sel=$(tmux -L "$S" capture-pane -p -e | grep -A1 'POSITION' | tail -n 1)
if printf '%s' "$sel" | grep -q '\[[0-9;]*7m'; then
    ok "NO_COLOR: the selected row is in reverse video"
else
    not_ok "NO_COLOR: the selected row is in reverse video"
fi
if tmux -L "$S" capture-pane -p -e | grep -q '\[\([0-9;]*;\)\{0,1\}\(3[0-7]\|4[0-7]\|9[0-7]\|10[0-7]\|38;5\|48;5\)[;m]'; then
    not_ok "NO_COLOR: no colour on screen"
else
    ok "NO_COLOR: no colour on screen"
fi
keys q
check "NO_COLOR: q exits cleanly" "EXITED=0"
tmux -L "$S" kill-server
sleep 0.2

# The preview's Tab visits every debt and collateral pair of a 3x3
# position (9), then comes back to the first; Shift-Tab steps back.
tmux -L "$S" -f /dev/null new-session -d -x 100 -y 30 \
    "sh -c '$LIQTOP examples/demo.json; echo EXITED=\$?; sleep 30'"
check "demo book: starts" "basis-fund"
keys / b a s i s Enter p
check "the preview of basis-fund opens" "preview basis-fund"
pair() { screen | grep -o 'repay [A-Za-z]*, seize [A-Za-z]*' | head -n 1; }
first=$(pair)
seen=$first
i=1
while [ "$i" -lt 9 ]; do
    prev=$(pair)
    keys Tab
    n=0
    while [ "$(pair)" = "$prev" ] && [ "$n" -lt 30 ]; do sleep 0.1; n=$((n + 1)); done
    seen="$seen
$(pair)"
    i=$((i + 1))
done
distinct=$(printf '%s\n' "$seen" | sort -u | wc -l)
[ "$distinct" -eq 9 ] && ok "Tab visits all 9 debt/collateral pairs" ||
    not_ok "Tab visits all 9 debt/collateral pairs (saw $distinct)"
last=$(pair)
keys Tab
sleep 0.3
[ "$(pair)" = "$first" ] && ok "a 10th Tab comes back to the first pair" ||
    not_ok "a 10th Tab comes back to the first pair"
keys BTab
sleep 0.3
[ "$(pair)" = "$last" ] && ok "Shift-Tab steps back a pair" ||
    not_ok "Shift-Tab steps back a pair ($(pair), want $last)"
check "the bottom bar shows the preview's keys" "next pair"
keys Escape Escape

# The mouse, as xterm reports it (ESC [ M button col+33 row+33): a click
# selects the row under it, the wheel scrolls, a click on a column head
# sorts by that column.
mouse() { # BUTTON COL ROW (0-based)
    keys -l "$(printf '\033[M%b%b%b' "\\0$(printf %o $((32 + $1)))" \
        "\\0$(printf %o $((33 + $2)))" "\\0$(printf %o $((33 + $3)))")"
}
keys g
check "the filter is cleared, the first rows shown" "link-loop"
selected() { tmux -L "$S" capture-pane -p -e | grep '\[[0-9;]*106m' | sed 's/\x1b\[[0-9;]*m//g' | awk '{print $1}' | head -n 1; }
row6=$(screen | sed -n 7p | awk '{print $1}')
mouse 0 5 6
mouse 3 5 6
n=0
while [ "$(selected)" != "$row6" ] && [ "$n" -lt 30 ]; do sleep 0.1; n=$((n + 1)); done
[ "$(selected)" = "$row6" ] && ok "a click selects the row under it ($row6)" ||
    not_ok "a click selects the row under it ($(selected), want $row6)"
mouse 65 5 6
sleep 0.3
row9=$(screen | sed -n 10p | awk '{print $1}')
[ "$(selected)" = "$row9" ] && ok "the wheel scrolls the selection down three rows" ||
    not_ok "the wheel scrolls the selection down three rows ($(selected), want $row9)"
col=$(screen | grep '^POSITION' | awk '{print index($0, "DEBT")}')
head=$(($(screen | grep -n '^POSITION' | cut -d: -f1) - 1))
mouse 0 "$col" "$head"
mouse 3 "$col" "$head"
check "a click on DEBT sorts by debt" "sort: debt"
mouse 0 "$col" "$head"
mouse 3 "$col" "$head"
check "a second click reverses it" "sort: debt reversed"
tmux -L "$S" kill-server
sleep 0.2

# --feed stdin: the feed's lines come on standard input (here a file being
# written, as a pipe from any program), the keys from the terminal.
T=${TMPDIR:-/tmp}/liqtop-e2e-$$.jsonl
: >"$T"
tmux -L "$S" -f /dev/null new-session -d -x 100 -y 30 \
    "sh -c 'tail -f $T | $LIQTOP tests/fixtures/e2e.json --feed stdin; echo EXITED=\$?; sleep 30'"
check "--feed stdin on a pipe: starts" "stdin live"
echo '{"symbol": "WETH", "price": "1200"}' >>"$T"
if wait_for "1 liquidatable" 60 && first_row | grep -q '^eth-pos.*LIQ!!'; then
    ok "a line written to standard input is applied"
else
    not_ok "a line written to standard input is applied"
fi
keys / s t e a d y Enter
sleep 0.3
if first_row | grep -q '^steady'; then ok "keys still work with the feed on stdin"; else not_ok "keys still work with the feed on stdin"; fi
echo '{"symbol": "WETH", "price": "2000"}' >>"$T"
keys Escape
check "the next line is applied too" "0 liquidatable"
shpid=$(tmux -L "$S" display -p '#{pane_pid}')
pkill -INT -P "$shpid" -x liqtop || true
check "SIGINT exits with 130 (128 + 2)" "EXITED=130"
tmux -L "$S" kill-server
rm -f "$T"
sleep 0.2

# Even a crash leaves a usable terminal.
start
check "restarted again" "eth-pos"
shpid=$(tmux -L "$S" display -p '#{pane_pid}')
pkill -SEGV -P "$shpid" -x liqtop || true
check "a crash ends it" "EXITED=139"
alt=$(tmux -L "$S" display -p '#{alternate_on}')
[ "$alt" = 0 ] && ok "after a crash the terminal is restored" || not_ok "after a crash the terminal is restored"

# The demo as a new user starts it (no arguments: the built-in book and the
# sim). Within 30 s: the selection's preview leads with a repay that brings
# health back to 1, the crash is named in the event log, prices in the strip.
tmux -L "$S" -f /dev/null new-session -d -x 120 -y 40 "$LIQTOP"
check "demo: the price strip shows each price" "  WBTC 6"
keys p
check "demo: the selection's preview restores health 1" "-> 1.0000"
check "demo: it says how much collateral that sells" "collateral sold"
if wait_for "story: crash: WETH falls" 300; then ok "demo: the event log names the crash within 30 s"; else not_ok "demo: the event log names the crash within 30 s"; fi
# (a position that went back and forth within 10 s has one line that
# counts its changes instead)
i=0
until screen | grep -qE 'enters LIQ!!|wobbles [A-Za-z]+/LIQ!!, [0-9]+ changes'; do
    i=$((i + 1))
    [ "$i" -ge 50 ] && break
    sleep 0.1
done
[ "$i" -lt 50 ] && ok "demo: positions entering a tier are logged" ||
    not_ok "demo: positions entering a tier are logged"
# The crash (WETH to about 1,845) moves nina, on the morpho-pre market,
# past pre_lltv (WETH below 1,940) but not to the LLTV (1,804.65): the PRE
# tier, its filter, the pre-liquidation call and what leaves the band.
keys Escape
i=0
until screen | grep -qE '^nina .* PRE '; do
    i=$((i + 1))
    [ "$i" -ge 100 ] && break
    sleep 0.1
done
if [ "$i" -lt 100 ]; then ok "demo: the crash moves nina into the PRE tier"; else not_ok "demo: the crash moves nina into the PRE tier"; fi
check "demo: the header counts it" "(1 PRE)"
keys / t i e r : p r e Enter
check "demo: tier:pre keeps it alone" "filter: tier:pre (1 shown)"
keys p
check "demo: its preview opens on nina" "preview nina:"
check "demo: the preview labels the pre-liquidation call" "pre-liquidation call        in the band: preLiquidate, preLCF"
keys Escape Enter
check "demo: the detail shows the distance to pre-liquidation" "pre-liquidation WETH 1,9"
keys Escape p a
check "demo: avoid leaves the band as well" "avoid pre-liquidation       health at least 1.0000 and LTV at most pre-LLTV 80.00%"
check "demo: avoid names the repay" "repay USDC"
# The crash also takes olga's Liquity trove below MCR and quinn's Comet
# account to absorb: both are whole-position liquidations, and say so;
# olga's detail shows the debt in front of her (pete's, at a lower rate).
keys Escape / o l g a Enter
check "demo: the crash takes olga's trove below MCR" "Olga on Liquity (whole trove)"
keys p
check "demo: the Liquity preview says the whole trove goes" "the whole trove goes;"
keys Escape Enter
check "demo: olga's detail shows the debt in front" "redemption: rate 6.00%, 20,000.00 BOLD in front"
keys Escape / q u i n n Enter p
check "demo: the Comet preview says absorb takes all" "absorb takes every collateral against the whole debt"
tmux -L "$S" kill-server
sleep 0.2

# The same figures as liqtop preview: the sim's story (seed 42, 60 steps,
# past the crash) recorded headless and played back on the demo book, so
# that the dashboard ends on known prices (the run's report has them).
D=$(mktemp -d)
"$LIQTOP" run --feed sim:42 --headless --until-end --steps 60 \
    --record "$D/rec.jsonl" --report json >"$D/report.json" 2>/dev/null
price_args=$(grep -o '"prices": {[^}]*}' "$D/report.json" | sed 's/"prices": {//; s/}//' |
    tr ',' '\n' | sed 's/^ *"\([^"]*\)": "\([^"]*\)"/--price \1=\2/')
tmux -L "$S" -f /dev/null new-session -d -x 120 -y 40 "$LIQTOP --feed replay:$D/rec.jsonl@max"
wait_for "ended" 100 || not_ok "demo replay: the feed ends"
keys p
check "demo replay: the preview opens on a restorable position" "-> 1.0000"
id=$(screen | sed -n 's/^-- preview \([^:]*\):.*/\1/p' | head -n 1)
shown_repay=$(screen | sed -n 's/^ repay to health [0-9.]* \[h\] *\([0-9,.]*\) .*/\1/p' | tr -d ,)
shown_coll=$(screen | sed -n 's/^ *collateral sold *\([0-9,.]*\) .*/\1/p' | tr -d ,)
# shellcheck disable=SC2086
"$LIQTOP" preview examples/demo.json --position "$id" $price_args --format json >"$D/pv.json"
want_repay=$(sed -n 's/^ *"repay_to_target": "\([^"]*\)".*/\1/p' "$D/pv.json")
want_coll=$(sed -n 's/^ *"collateral_to_target": "\([^"]*\)".*/\1/p' "$D/pv.json")
if [ -n "$want_repay" ] && [ "$shown_repay" = "$want_repay" ]; then
    ok "demo replay: $id's repay to health 1 equals liqtop preview ($want_repay)"
else
    not_ok "demo replay: $id's repay to health 1 equals liqtop preview (shown '$shown_repay', want '$want_repay')"
fi
if [ -n "$want_coll" ] && [ "$shown_coll" = "$want_coll" ]; then
    ok "demo replay: the collateral it sells equals liqtop preview ($want_coll)"
else
    not_ok "demo replay: the collateral it sells equals liqtop preview (shown '$shown_coll', want '$want_coll')"
fi
tmux -L "$S" kill-server
rm -rf "$D"

[ "$failures" -eq 0 ]
