#!/bin/sh
# End-to-end: the dashboard in a private tmux server on a generated book of
# OFFLOOP_POSITIONS positions (1,000,000 unless set), fed through a fifo.
# A line moving every symbol revalues the whole book on a worker thread:
# meanwhile the screen says so, `j` moves the cursor (its effect is on the
# screen before the revaluation's: the same capture still shows the old
# prices and "updating"), and a tick sent meanwhile is applied after; at
# the end the ranking and counts equal `liqtop snapshot` at the final
# prices, and the cursor is where `j` took it. Prints the time from the
# key to the screen and the revaluation's own time. Polls the screen with
# bounded retries; a revaluation over before the key arrives is tried
# again (a faster machine), never counted as a pass.
LIQTOP=${LIQTOP:-./liqtop}
N=${OFFLOOP_POSITIONS:-1000000}
S=liqtopoff$$
D=$(mktemp -d /tmp/liqtop-offloop.XXXXXX)
holder=
failures=0
cleanup() {
    tmux -L "$S" kill-server 2>/dev/null
    [ -n "$holder" ] && kill "$holder" 2>/dev/null
    rm -rf "$D"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

ok() { echo "ok - $1"; }
not_ok() {
    echo "not ok - $1"
    failures=$((failures + 1))
    tmux -L "$S" capture-pane -p 2>/dev/null | sed 's/^/#   /'
}
screen() { tmux -L "$S" capture-pane -p 2>/dev/null; }
# The selected row's id (its cells start in the selection's colours:
# the dark theme's bright cyan background).
sel_of() { sed -n 's/.*106m\(0x[0-9a-f]*\).*/\1/p' | head -n 1; }
# 1234567 as the screen writes it: 1,234,567
group() { echo "$1" | sed ':a;s/\B[0-9]\{3\}\>/,&/;ta'; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }
# wait_for TEXT TRIES: until the screen shows TEXT (0.1 s a try).
wait_for() {
    i=0
    while [ "$i" -lt "$2" ]; do
        screen | grep -qF -- "$1" && return 0
        sleep 0.1
        i=$((i + 1))
    done
    return 1
}
feed() { printf '%s\n' "$1" >"$D/feed"; }

command -v tmux >/dev/null || { echo "not ok - tmux is not installed"; exit 1; }
"$LIQTOP" gen --positions "$N" --out "$D" >/dev/null || { echo "not ok - gen"; exit 1; }
mkfifo "$D/feed"
tmux -L "$S" -f /dev/null new-session -d -x 180 -y 40 \
    "sh -c '$LIQTOP $D/book.json --positions $D/positions.jsonl --stale-after 3600 --feed \"exec:cat $D/feed\"; echo EXITED=\$?; sleep 30'"
# A writer held open, so that the feed never reads the end of the fifo.
sleep 3600 >"$D/feed" &
holder=$!
if wait_for "POSITION" 1800; then ok "the dashboard shows the $N-position book"; else not_ok "the dashboard starts"; exit 1; fi

# Each try: every symbol moves (WETH a dollar lower each time), and `j`
# goes in once the screen says the book is updating.
try=0
seen=
prices=
while [ "$try" -lt 5 ] && [ -z "$seen" ]; do
    try=$((try + 1))
    weth=$((2900 - try))
    prices="\"WETH\": \"$weth\", \"WBTC\": \"59000\", \"USDC\": \"1.001\", \"USDT\": \"0.999\", \"DAI\": \"1.002\", \"wstETH\": \"3400\", \"LINK\": \"14\", \"GHO\": \"0.99\""
    before=$(tmux -L "$S" capture-pane -p -e | sel_of)
    feed "{\"prices\": {$prices}}"
    wait_for "updating the book" 600 || continue
    # a tick during the revaluation: held, applied after it (the last
    # LINK price of every try)
    feed '{"symbol": "LINK", "price": "13.5"}'
    t0=$(now_ms)
    tmux -L "$S" send-keys j
    i=0
    while [ "$i" -lt 2000 ]; do
        cap=$(tmux -L "$S" capture-pane -p -e)
        now=$(echo "$cap" | sel_of)
        if [ -n "$now" ] && [ "$now" != "$before" ]; then
            t1=$(now_ms)
            if echo "$cap" | grep -q "updating the book" &&
                ! echo "$cap" | grep -qF "WETH $(group "$weth").00"; then
                seen=$now
            fi
            break
        fi
        i=$((i + 1))
    done
    if [ -z "$seen" ]; then
        # the revaluation was over first: wait it out, try again
        echo "# try $try: the revaluation ended before the key's effect showed"
        i=0
        while [ "$i" -lt 600 ] && screen | grep -q "updating the book"; do
            sleep 0.1
            i=$((i + 1))
        done
    fi
done
if [ -n "$seen" ]; then
    ok "j moved the cursor during the revaluation, before its result showed ($((t1 - t0)) ms from key to screen, try $try)"
else
    not_ok "j answered during a revaluation (5 tries)"
fi
# The revaluation, then the held LINK tick's pass: until the screen shows
# the final prices and nothing updating.
i=0
while [ "$i" -lt 1200 ]; do
    s=$(screen)
    if echo "$s" | grep -qF "WETH $(group "$weth").00" &&
        echo "$s" | grep -q "LINK 13.5" && ! echo "$s" | grep -q "updating the book"; then
        break
    fi
    sleep 0.1
    i=$((i + 1))
done
if [ "$i" -lt 1200 ]; then ok "the tick sent during the revaluation is applied after it"; else not_ok "the tick sent during the revaluation is applied after it"; fi
# The event log keeps each revaluation's figures (newest first).
screen | sed -n 's/.*book updated off the loop: \(.*\)$/# revaluation on the worker: \1/p' | sed 's/ *$//'
after=$(tmux -L "$S" capture-pane -p -e | sel_of)
if [ -n "$seen" ] && [ "$after" = "$seen" ]; then
    ok "the cursor stays on the position j moved to ($seen)"
else
    not_ok "the cursor stays on the position j moved to ('$after', '$seen')"
fi

# The book equals a fresh snapshot at the final prices: the 20 lowest and
# the liquidatable count.
final=$(echo "$prices" | sed 's/"LINK": "14"/"LINK": "13.5"/' | tr -d '" ' | tr ',' '\n' | sed 's/:/=/')
set --
for p in $final; do set -- "$@" --price "$p"; done
"$LIQTOP" snapshot "$D/book.json" --positions "$D/positions.jsonl" "$@" --format csv >"$D/snap.csv"
want=$(sed -n '2,21p' "$D/snap.csv" | cut -d, -f1 | tr '\n' ' ')
liq=$(awk -F, 'NR > 1 && $5 == "true"' "$D/snap.csv" | wc -l)
liq=$(group "$liq")
tmux -L "$S" send-keys g
i=0
got=
while [ "$i" -lt 100 ]; do
    got=$(screen | sed -n '/^POSITION/,$p' | sed -n '2,21p' | cut -d' ' -f1 | tr '\n' ' ')
    [ "$got" = "$want" ] && break
    sleep 0.1
    i=$((i + 1))
done
if [ "$got" = "$want" ]; then ok "the 20 lowest equal liqtop snapshot at the final prices"; else
    not_ok "the 20 lowest equal liqtop snapshot at the final prices (want '$want')"; fi
if screen | grep -q " $liq liquidatable"; then ok "the liquidatable count equals the snapshot's ($liq)"; else
    not_ok "the liquidatable count equals the snapshot's ($liq)"; fi

# Under a filter the order's repair runs on the worker too: the keys
# still answer, and the rows follow the new prices after.
tmux -L "$S" send-keys / 0 x Enter
wait_for "filter: 0x" 100
w2=$((weth - 100))
feed "{\"prices\": {$(echo "$prices" | sed "s/\"WETH\": \"$weth\"/\"WETH\": \"$w2\"/")}}"
if wait_for "updating the book" 600; then
    tmux -L "$S" send-keys j
    i=0
    while [ "$i" -lt 600 ] && ! { screen | grep -qF "WETH $(group "$w2").00" &&
        ! screen | grep -q "updating the book"; }; do
        sleep 0.1
        i=$((i + 1))
    done
    if [ "$i" -lt 600 ] && screen | grep -q "filter: 0x ($(group "$N") shown)"; then
        ok "under a filter, an update off the loop and its rows after"
    else
        not_ok "under a filter, an update off the loop and its rows after"
    fi
else
    not_ok "under a filter, the update goes off the loop"
fi

# q while a worker holds the book: the loop waits for it, then quits
# cleanly (a sanitizer's report would change the status).
feed "{\"prices\": {$(echo "$prices" | sed 's/"WBTC": "59000"/"WBTC": "58000"/')}}"
wait_for "updating the book" 600
tmux -L "$S" send-keys q
if wait_for "EXITED=0" 300; then ok "q during an update quits with status 0"; else not_ok "q during an update quits with status 0"; fi
[ "$failures" -eq 0 ]
