#!/bin/sh
# End-to-end: the dashboard's first load off the loop, in a private tmux
# server, on a generated book of LOADOFF_POSITIONS positions (400,000
# unless set; a few seconds to load under ASan, about one without). While
# it loads: the screen says so with a count, `?` shows the help at once
# (the loading status still below it), and a tick written to the feed's
# pipe meanwhile is applied after; then the ranking equals `liqtop
# snapshot` at that price. Also: q during the load ends the run with
# status 0 (under ASan: nothing leaked), and a bad line in the positions
# file still ends it with the file, line and column and status 2. Keys
# typed during the load (a large book, and a small one typed at once)
# wait and are applied in order once it is there. Polls
# the screen with generous bounds; nothing is timed.
LIQTOP=${LIQTOP:-./liqtop}
N=${LOADOFF_POSITIONS:-400000}
n=0
S=liqtopload$$-$n
D=$(mktemp -d /tmp/liqtop-loadoff.XXXXXX)
failures=0
cleanup() {
    tmux -L "$S" kill-server 2>/dev/null
    exec 3>&- 2>/dev/null
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
# wait_for TEXT TRIES: until the screen shows TEXT (0.05 s a try).
wait_for() {
    i=0
    while [ "$i" -lt "$2" ]; do
        screen | grep -qF -- "$1" && return 0
        sleep 0.05
        i=$((i + 1))
    done
    return 1
}
# start COMMAND: on a server of its own each time, as tests/e2e/messages.sh
# does (a new session on a server just told to exit can meet it exiting:
# "server exited unexpectedly").
start() {
    tmux -L "$S" kill-server 2>/dev/null
    n=$((n + 1))
    S=liqtopload$$-$n
    tmux -L "$S" -f /dev/null new-session -d -x 160 -y 40 "sh -c '$1; echo EXITED=\$?; sleep 60'"
}
LOADING="the book is loading"

command -v tmux >/dev/null || { echo "not ok - tmux is not installed"; exit 1; }
"$LIQTOP" gen --positions "$N" --out "$D" >/dev/null || { echo "not ok - gen"; exit 1; }
BOOK="$D/book.json --positions $D/positions.jsonl"

# 1. The load, a key and a tick meanwhile. The feed is standard input,
# a fifo held open here for writing (so that nothing blocks and the feed
# never reads its end): what is written during the load waits in it.
mkfifo "$D/feed"
exec 3<>"$D/feed"
start "$LIQTOP $BOOK --stale-after 3600 --feed stdin <$D/feed"
if wait_for "loading positions.jsonl:" 1200; then
    ok "the loading status shows ($(screen | sed -n 's/^ *\(loading positions.jsonl: .*\.\.\.\).*/\1/p' | head -n 1))"
else
    not_ok "the loading status shows"
fi
printf '%s\n' '{"symbol": "LINK", "price": "13.5"}' >&3
if screen | grep -qF "$LOADING"; then sent=yes; else sent=; fi
tmux -L "$S" send-keys '?'
i=0
helped=
while [ "$i" -lt 1200 ]; do
    s=$(screen)
    if echo "$s" | grep -qF "help - type to search"; then
        echo "$s" | grep -qF "$LOADING" && helped=yes
        break
    fi
    sleep 0.05
    i=$((i + 1))
done
if [ -n "$helped" ]; then ok "? shows the help during the load"; else not_ok "? shows the help during the load"; fi
if [ -n "$sent" ]; then ok "the tick was written during the load"; else not_ok "the tick was written during the load (the load ended first)"; fi
tmux -L "$S" send-keys Escape
if wait_for "POSITION" 6000; then ok "the ranking shows once loaded"; else not_ok "the ranking shows once loaded"; fi
if wait_for "LINK 13.5" 600; then ok "the tick written during the load is applied after it"; else not_ok "the tick written during the load is applied after it"; fi
if wait_for "book loaded off the loop: $(echo "$N" | sed ':a;s/\B[0-9]\{3\}\>/,&/;ta') positions" 100; then
    ok "the event log notes the load"
    screen | sed -n 's/.*\(book loaded off the loop: .*CPU)\).*/# \1/p' | head -n 1
else
    not_ok "the event log notes the load"
fi
"$LIQTOP" snapshot $BOOK --price LINK=13.5 --format csv >"$D/snap.csv"
want=$(sed -n '2,21p' "$D/snap.csv" | cut -d, -f1 | tr '\n' ' ')
tmux -L "$S" send-keys g
i=0
got=
while [ "$i" -lt 200 ]; do
    got=$(screen | sed -n '/^POSITION/,$p' | sed -n '2,21p' | cut -d' ' -f1 | tr '\n' ' ')
    [ "$got" = "$want" ] && break
    sleep 0.05
    i=$((i + 1))
done
if [ "$got" = "$want" ]; then ok "the 20 lowest equal liqtop snapshot at LINK 13.5"; else
    not_ok "the 20 lowest equal liqtop snapshot at LINK 13.5 (want '$want')"; fi
tmux -L "$S" send-keys q
if wait_for "EXITED=0" 600; then ok "q after the load exits 0"; else not_ok "q after the load exits 0"; fi
exec 3>&-

# 2. q during the load: the run ends, status 0, the worker told to stop
# (under ASan the leak check runs at exit and would change the status).
start "$LIQTOP $BOOK"
if wait_for "$LOADING" 1200; then
    tmux -L "$S" send-keys q
    if wait_for "EXITED=0" 1200 && ! screen | grep -q "POSITION"; then
        ok "q during the load quits with status 0"
    else
        not_ok "q during the load quits with status 0"
    fi
else
    not_ok "the load shows before q"
fi

# 3. Keys typed during the load wait for the book and are applied in
# order: "/" opens the filter, so the q after it is the filter's text,
# not a quit; the filter "qz" matches no position; f freezes.
start "$LIQTOP $BOOK"
if wait_for "$LOADING" 1200; then
    tmux -L "$S" send-keys / q z Enter f
    if wait_for "5 keys wait for it" 1200; then ok "the keys typed during the load wait, counted"; else
        not_ok "the keys typed during the load wait, counted"; fi
    if wait_for "no position matches the filter" 6000 && wait_for "FROZEN" 100; then
        ok "once loaded they are applied in order: the filter qz, then f"
    else
        not_ok "once loaded they are applied in order: the filter qz, then f"
    fi
    tmux -L "$S" send-keys q
    if wait_for "EXITED=0" 600; then ok "q then exits 0"; else not_ok "q then exits 0"; fi
else
    not_ok "the load shows before the keys"
fi

# 4. A small book, keys typed at once after the start (before the
# terminal is even set up, or while the book loads): none is lost.
start "$LIQTOP tests/fixtures/e2e.json"
tmux -L "$S" send-keys / s t e a d y Enter
if wait_for "steady" 600 && wait_for "1-1 of 1" 600 && ! screen | grep -q '^wbtc-pos'; then
    ok "a small book: the filter typed at the start is applied"
else
    not_ok "a small book: the filter typed at the start is applied"
fi
tmux -L "$S" send-keys q
if wait_for "EXITED=0" 600; then ok "a small book: q exits 0"; else not_ok "a small book: q exits 0"; fi

# 5. A bad line in the positions file: its file, line and column, and 2.
head -n 1000 "$D/positions.jsonl" >"$D/bad.jsonl"
printf '%s\n' '{"id": "0xbad", "market" 1}' >>"$D/bad.jsonl"
start "$LIQTOP $D/book.json --positions $D/bad.jsonl"
if wait_for "EXITED=2" 1200 && screen | grep -qF "bad.jsonl:1001:"; then
    ok "a bad line at start: $(screen | grep -F 'bad.jsonl:1001:' | head -n 1 | sed 's/^.*liqtop: /liqtop: /;s/  *$//'), status 2"
else
    not_ok "a bad line at start says where, status 2"
fi

[ "$failures" -eq 0 ]
