#!/bin/sh
# End-to-end: the dashboard with --alerts on a replay that takes alice
# below health 1.1 and back: the status line shows each firing and
# clearing, the file action gets the same events, and bad rules stop the
# dashboard before it takes the terminal (exit 2 and the JSON path).
LIQTOP=${LIQTOP:-./liqtop}
S=liqtopal$$
failures=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/liqtop-e2e.XXXXXX") || exit 1
trap 'tmux -L "$S" kill-server 2>/dev/null; rm -rf "$tmp"' EXIT INT TERM
ok() { echo "ok - $1"; }
not_ok() {
    echo "not ok - $1"
    failures=$((failures + 1))
    tmux -L "$S" capture-pane -p 2>/dev/null | sed 's/^/#   /'
}
screen() { tmux -L "$S" capture-pane -p 2>/dev/null; }
wait_for() {
    i=0
    while [ "$i" -lt "${2:-80}" ]; do
        screen | grep -qF -- "$1" && return 0
        sleep 0.1
        i=$((i + 1))
    done
    return 1
}
# The exit status the pane's shell wrote to $tmp/st, waited for up to 5 s.
wait_status() {
    i=0
    while [ "$i" -lt 50 ] && [ ! -s "$tmp/st" ]; do
        sleep 0.1
        i=$((i + 1))
    done
    cat "$tmp/st" 2>/dev/null
}
T=1700000000000
printf '%s\n' "{\"symbol\": \"WETH\", \"price\": \"2200\", \"ts\": $((T + 500))}" \
    "{\"symbol\": \"WETH\", \"price\": \"2400\", \"ts\": $((T + 3000))}" \
    >"$tmp/walk.jsonl"
cat >"$tmp/rules.json" <<EOF2
{"rules": [{"name": "near", "when": "health_factor < 1.1", "clear": "health_factor >= 1.15"}],
 "actions": [{"file": "$tmp/events.jsonl"}]}
EOF2
tmux -L "$S" -f/dev/null new -d -x 100 -y 30 \
    "$LIQTOP tests/fixtures/aave37.json --price WETH=2500 --feed replay:$tmp/walk.jsonl --alerts $tmp/rules.json"
if wait_for "alert near: alice FIRED"; then ok "status line: fired"; else
    not_ok "status line: fired"; fi
if wait_for "alert near: alice cleared"; then ok "status line: cleared"; else
    not_ok "status line: cleared"; fi
tmux -L "$S" send-keys q
i=0
while [ "$i" -lt 50 ] && tmux -L "$S" has-session 2>/dev/null; do
    sleep 0.1
    i=$((i + 1))
done
if [ "$(grep -c '"event": "fired"' "$tmp/events.jsonl" 2>/dev/null)" -eq 1 ] &&
    [ "$(grep -c '"event": "cleared"' "$tmp/events.jsonl")" -eq 1 ]; then
    ok "the file action got both events"
else
    not_ok "the file action got both events"
fi
# The scenario key: a typed shock of the whole book as a what-if, shown
# as WHAT-IF and re-ranked, then cleared with 0.
tmux -L "$S" kill-server 2>/dev/null
tmux -L "$S" -f/dev/null new -d -x 100 -y 30 \
    "$LIQTOP tests/fixtures/aave37.json --price WETH=2500"
if wait_for "alice"; then
    tmux -L "$S" send-keys w
    wait_for "what-if for the whole book" 20 >/dev/null
    tmux -L "$S" send-keys "WETH=-20%" Enter
fi
if wait_for "WHAT-IF WETH -20.00%" && wait_for "0.9705 LIQ!!"; then
    ok "scenario key: WETH -20 % as a what-if, alice liquidatable at 2000"
else
    not_ok "scenario key: WETH -20 % as a what-if"
fi
tmux -L "$S" send-keys 0
if wait_for "1.2132" && ! screen | grep -qF "WHAT-IF WETH"; then
    ok "0 clears the scenario"
else
    not_ok "0 clears the scenario"
fi
tmux -L "$S" send-keys w "WETH=-100%" Enter
if wait_for "what-if: a price must stay above zero"; then
    ok "a scenario to zero is refused in the status line"
else
    not_ok "a scenario to zero is refused in the status line"
fi
tmux -L "$S" send-keys q
sleep 0.3
# SIGHUP in the dashboard, no feed: new rules judge the book at once (a
# position already in the new rule fires, no tick needed); a bad file
# keeps the rules in force and says why in the status line, the
# dashboard running on.
tmux -L "$S" kill-server 2>/dev/null
cat >"$tmp/hup.json" <<EOF2
{"rules": [{"name": "liq", "when": "liquidatable"}],
 "actions": [{"file": "$tmp/hup.jsonl"}]}
EOF2
tmux -L "$S" -f/dev/null new -d -x 100 -y 30 \
    "exec $LIQTOP tests/fixtures/aave37.json --price WETH=2500 --alerts $tmp/hup.json"
pid=$(tmux -L "$S" display -p '#{pane_pid}')
if wait_for "alice"; then
    cat >"$tmp/hup.json" <<EOF2
{"rules": [{"name": "near", "when": "health_factor < 1.3"}],
 "actions": [{"file": "$tmp/hup.jsonl"}]}
EOF2
    kill -HUP "$pid"
fi
if wait_for "alert near: alice FIRED"; then
    ok "SIGHUP: the new rule judges the book at once (alice 1.2132 < 1.3)"
else
    not_ok "SIGHUP: the new rule judges the book at once"
fi
echo '{"rules": [{"name": "x", "when": "wobbly"}]}' >"$tmp/hup.json"
kill -HUP "$pid"
if wait_for "alert rules kept: " && tmux -L "$S" has-session 2>/dev/null; then
    ok "SIGHUP: a bad file is named in the status line, the dashboard runs on"
else
    not_ok "SIGHUP: a bad file is named in the status line"
fi
tmux -L "$S" send-keys q
sleep 0.3
# The terminal closes (its window, an ssh link): the SIGHUP that reads
# the rules again must not leave the dashboard running with nobody to
# see it; it ends as a death by SIGHUP would (129). The shell around it
# ignores SIGHUP to live on and write the status.
tmux -L "$S" kill-server 2>/dev/null
rm -f "$tmp/st"
tmux -L "$S" -f/dev/null new -d -x 100 -y 30 \
    "trap '' HUP; $LIQTOP tests/fixtures/aave37.json --price WETH=2500 --alerts $tmp/rules.json; echo \$? >$tmp/st"
wait_for "alice" >/dev/null
tmux -L "$S" kill-server 2>/dev/null
st=$(wait_status)
if [ "$st" = 129 ]; then
    ok "terminal closed: the dashboard with alert rules exits 129"
else
    not_ok "terminal closed: the dashboard with alert rules exits 129 (got '$st')"
fi
rm -f "$tmp/st"
printf '%s\n' '{"rules": [{"name": "a", "when": "liquidatable"}], "actions": [{"pager": "x"}]}' \
    >"$tmp/bad.json"
tmux -L "$S" -f/dev/null new -d -x 100 -y 30 \
    "$LIQTOP tests/fixtures/aave37.json --alerts $tmp/bad.json 2>$tmp/err; echo \$? >$tmp/st"
st=$(wait_status)
if [ "$st" -eq 2 ] && grep -qF "bad.json: actions[0].pager: unknown action" "$tmp/err"; then
    ok "bad rules: exit 2 naming the path"
else
    not_ok "bad rules: exit 2 naming the path ($st: $(cat "$tmp/err"))"
fi
[ "$failures" -eq 0 ]
