#!/bin/sh
# Text from files, feeds and arguments never steers the terminal: C1
# controls, bidi embeddings, overrides and isolates and other format
# characters are refused in ids, symbols and labels, and shown as '?' in
# every message and table (design.md section 6).
. tests/cli/tap.inc

fx=tests/fixtures/aave37.json
rlo=$(printf '\342\200\256')  # U+202E RIGHT-TO-LEFT OVERRIDE
lri=$(printf '\342\201\246')  # U+2066 LEFT-TO-RIGHT ISOLATE
csi=$(printf '\302\233')      # U+009B CSI, a C1 control
zwsp=$(printf '\342\200\213') # U+200B ZERO WIDTH SPACE (a format char)

# clean FILE DESC: FILE holds none of the characters above.
clean() {
    if LC_ALL=C grep -q -e "$rlo" -e "$lri" -e "$csi" -e "$zwsp" "$1"; then
        not_ok "$2"
        od -c "$1" | head -5 | sed 's/^/#   /'
    else
        ok "$2"
    fi
}

# with_label TEXT OUT: the fixture with alice's label replaced.
with_label() {
    sed "s/\"Alice main\"/\"$1\"/" "$fx" >"$2"
}

with_label "Alice ${rlo}niam" "$scratch/bidi.json"
expect_status "a bidi override in a label is refused" 2 \
    "$LIQTOP" snapshot "$scratch/bidi.json" --format table
has_text "the message names the member" "$scratch/err" "positions[0].label"
clean "$scratch/err" "the message does not carry the override"

with_label 'Alice \\u009b31m' "$scratch/c1.json"
expect_status "a C1 control (escaped) in a label is refused" 2 \
    "$LIQTOP" check "$scratch/c1.json"

sed "s/\"WETH\": \"10\"/\"WE${lri}TH\": \"10\"/" "$fx" >"$scratch/sym.json"
expect_status "an isolate inside an asset symbol is refused" 2 \
    "$LIQTOP" snapshot "$scratch/sym.json"
clean "$scratch/err" "the symbol is not echoed raw"

sed "s/\"id\": \"alice\"/\"id\": \"al${zwsp}ice\"/" "$fx" >"$scratch/id.json"
expect_status "a zero-width space in an id is refused" 2 \
    "$LIQTOP" snapshot "$scratch/id.json"

expect_status "a C1 control in a --feed argument" 2 \
    "$LIQTOP" run --feed "bogus${csi}31m" --headless --until-end
clean "$scratch/err" "the feed message is sanitized"
has_text "it is shown as ?" "$scratch/err" "bogus?31m"

expect_status "an override in --position" 2 \
    "$LIQTOP" preview "$fx" --position "${rlo}alice" --format table
clean "$scratch/err" "the preview message is sanitized"

expect_status "an override in --min-health" 2 \
    "$LIQTOP" check "$fx" --min-health "${rlo}1"
clean "$scratch/err" "the check message is sanitized"

expect_status "an isolate in a --price symbol" 2 \
    "$LIQTOP" snapshot "$fx" --price "WE${lri}TH=1" --format table
clean "$scratch/err" "the --price message is sanitized"

with_label "Zoë 株式 ok" "$scratch/wide.json"
expect_status "printable Unicode in a label loads" 0 \
    "$LIQTOP" snapshot "$scratch/wide.json" --format table
has_text "and is shown as it is" "$scratch/out" "Zoë 株式 ok"

# A child's stderr is quoted in the report and on stderr: never raw.
"$LIQTOP" run --feed "exec:printf '\\033]0;owned\\007\\302\\233x\\n' >&2; exit 1" \
    --headless --report json >"$scratch/e.out" 2>"$scratch/e.err" &
pid=$!
sleep 0.6
kill -TERM "$pid"
wait "$pid"
esc=$(printf '\033')
if LC_ALL=C grep -q -e "$esc" -e "$csi" "$scratch/e.err"; then
    not_ok "a child's escape sequences do not reach stderr"
else
    ok "a child's escape sequences do not reach stderr"
fi
has_text "its line is shown sanitized" "$scratch/e.err" "?]0;owned??x"

# CSV: a text cell that would run as a formula is written after a '.
with_label '=HYPERLINK(1)' "$scratch/f.json"
sed -i 's/"id": "alice"/"id": "@alice"/' "$scratch/f.json"
expect_status "a formula-like label: csv" 0 \
    "$LIQTOP" snapshot "$scratch/f.json" --format csv
has_text "the id and the label get a leading '" "$scratch/out" \
    "'@alice,aave-core,'=HYPERLINK(1),0.970588235294117647,true,"

finish
