#!/bin/sh
# liqtop stress on the demo book: each scenario's totals, in all and per
# market, equal the sum over its positions of `liqtop preview` at the
# shocked prices (one max_repay call per liquidatable position, values
# floor(amount x price) in base units, computed here with bc); the CSV and
# table forms; and every bad --shock/--grid exits 2 with a message.
. tests/cli/tap.inc

demo=examples/demo.json
# The file's prices, "SYM PRICE" a line; every demo market has 8 places.
sed -n '/"prices"/,/}/p' "$demo" | tr -d '\n' |
    grep -o '"[A-Za-z]*": "[0-9.]*"' | tr -d '":' >"$scratch/prices0"
if grep -q '"base_decimals": [^8]' "$demo"; then
    not_ok "demo markets all have 8 base places (this test assumes it)"
fi
"$LIQTOP" snapshot "$demo" >"$scratch/base.json"

# bc: values cut to 8 places, as floor(amount * price / 10^decimals).
bcdefs='scale=60
define v(a, p) { auto s, r; s = scale; scale = 8; r = (a * p) / 1; scale = s; return r; }'

# check_scenario NAME STRESSLINE: the reference sums for one scenario.
check_scenario() {
    name=$1 line=$2
    # Shocked prices of the scenario, "SYM PRICE" a line.
    echo "$line" | sed 's/.*"prices": {\([^}]*\)}.*/\1/' | tr ',' '\n' |
        sed 's/^ *"\([^"]*\)": "\([^"]*\)"$/\1 \2/' >"$scratch/shock"
    cp "$scratch/prices0" "$scratch/prices"
    pargs=""
    while read -r s p; do
        pargs="$pargs --price $s=$p"
        grep -v "^$s " "$scratch/prices" >"$scratch/p.tmp"
        echo "$s $p" >>"$scratch/p.tmp"
        mv "$scratch/p.tmp" "$scratch/prices"
    done <"$scratch/shock"
    : >"$scratch/sums"
    grep '^    {"id": ' "$demo" | while IFS= read -r pos; do
        id=$(echo "$pos" | sed 's/^    {"id": "\([^"]*\)".*/\1/')
        mkt=$(echo "$pos" | sed 's/.*"market": "\([^"]*\)".*/\1/')
        # shellcheck disable=SC2086 # options, one word each
        "$LIQTOP" preview "$demo" --position "$id" $pargs \
            >"$scratch/pv" 2>/dev/null || continue
        grep -q '^  "liquidatable": true,' "$scratch/pv" || continue
        newly=1
        grep -qF "{\"id\": \"$id\", " "$scratch/base.json" || newly=x
        grep -F "{\"id\": \"$id\", " "$scratch/base.json" |
            grep -q '"liquidatable": true' && newly=0
        get() { sed -n "s/^  \"$1\": \"\{0,1\}\([^\",]*\)\"\{0,1\},\{0,1\}$/\1/p" "$scratch/pv"; }
        da=$(get debt_asset) ca=$(get collateral_asset)
        pd=$(grep "^$da " "$scratch/prices" | cut -d' ' -f2)
        pc=$(grep "^$ca " "$scratch/prices" | cut -d' ' -f2)
        rp=0 se=0 bo=0 bd=0
        if [ "$(get reverts)" = null ]; then
            rp="v($(get repay), $pd)"
            se="v($(get collateral_seized), $pc)"
            bo="v($(get bonus), $pc)"
            # shellcheck disable=SC2086
            "$LIQTOP" preview "$demo" --position "$id" $pargs \
                --format table >"$scratch/pvt" 2>/dev/null
            # No collateral left: health 0 after with all of the leg
            # seized (the debt stays, Aave before 3.3; a health floored to
            # 0 over a few units left, as Morpho's can be, is not), or
            # none at all with the debt burned (3.3+).
            held=$(echo "$pos" | sed 's/.*"collateral": {\([^}]*\)}.*/\1/' |
                tr ',' '\n' | sed -n "s/^ *\"$ca\": \"\([0-9.]*\)\"$/\1/p")
            if grep -q 'none: no collateral is left' "$scratch/pvt" ||
                { [ "$(get health_factor_after)" = 0 ] &&
                    [ "$(echo "$(get collateral_seized) == ${held:-0}" | bc)" = 1 ]; }; then
                # The debt left: every debt leg, the repaid one less repay.
                bd=0
                for leg in $(echo "$pos" | sed 's/.*"debt": {\([^}]*\)}.*/\1/' |
                    tr -d '" ' | tr ',' ' '); do
                    s=${leg%%:*} a=${leg#*:}
                    p=$(grep "^$s " "$scratch/prices" | cut -d' ' -f2)
                    [ "$s" = "$da" ] && a="($a - $(get repay))"
                    bd="$bd + v($a, $p)"
                done
            fi
            # compound-v3's absorb: the debt its credit does not cover is
            # the protocol's loss (README, "Compound v3").
            sf=$(sed -n 's/.*"absorb": {.*"shortfall": "\([0-9.]*\)".*/\1/p' "$scratch/pv")
            [ -n "$sf" ] && bd="v($sf, $pd)"
        fi
        echo "$mkt 1 $newly $rp;$se;$bo;$bd" >>"$scratch/sums"
    done
    # Totals and each market against the stress line.
    for m in "" $(sed -n 's/.*{"id": "\([^"]*\)", "model".*/\1/p' "$demo"); do
        if [ -z "$m" ]; then
            sel=$(cat "$scratch/sums")
            part=$(echo "$line" | sed 's/, "markets".*//')
            label="$name: total"
        else
            sel=$(grep "^$m " "$scratch/sums")
            part=$(echo "$line" | sed "s/.*\"$m\": {\([^}]*\)}.*/\1/")
            label="$name: market $m"
        fi
        nl=0 nn=0 e1=0 e2=0 e3=0 e4=0
        if [ -n "$sel" ]; then
            nl=$(echo "$sel" | wc -l)
            nn=$(echo "$sel" | awk '{ n += $3 } END { print n + 0 }')
            e1=$(echo "$sel" | cut -d' ' -f4- | cut -d';' -f1 | paste -sd+)
            e2=$(echo "$sel" | cut -d' ' -f4- | cut -d';' -f2 | paste -sd+)
            e3=$(echo "$sel" | cut -d' ' -f4- | cut -d';' -f3 | paste -sd+)
            e4=$(echo "$sel" | cut -d' ' -f4- | cut -d';' -f4 | paste -sd+)
        fi
        fld() { echo "$part" | sed "s/.*\"$1\": \"\{0,1\}\([0-9.]*\)\"\{0,1\}.*/\1/"; }
        same=$(printf '%s\n' "$bcdefs" \
            "($nl == $(fld liquidatable)) && ($nn == $(fld newly_liquidatable)) && ($e1 == $(fld debt_repayable_value)) && ($e2 == $(fld collateral_seized_value)) && ($e3 == $(fld bonus_value)) && ($e4 == $(fld bad_debt_value))" |
            bc)
        if [ "$same" = 1 ]; then
            ok "$label equals the previews' sum ($nl liquidatable)"
        else
            not_ok "$label equals the previews' sum"
            echo "#   stress: $part"
            echo "#   previews: $nl $nn"
            printf '%s\n' "$bcdefs" "$e1" "$e2" "$e3" "$e4" | bc |
                sed 's/^/#   /'
        fi
    done
}

expect_status "stress two scenarios" 0 "$LIQTOP" stress "$demo" \
    --shock WETH=-20%,WBTC=-15% --shock WETH=-45%,LINK=-30%,wstETH=-25%
cp "$scratch/out" "$scratch/two.json"
n=$(grep -c '^  {"shock": ' "$scratch/two.json")
if [ "$n" -eq 2 ]; then ok "one line a scenario"; else
    not_ok "one line a scenario ($n)"; fi
has_text "shock echoed, price cut as an oracle would" "$scratch/two.json" \
    '{"shock": {"WETH": "-20%", "WBTC": "-15%"}, "prices": {"WETH": "1600", "WBTC": "54400"}, "liquidatable": '
check_scenario "WETH -20%, WBTC -15%" "$(sed -n 2p "$scratch/two.json")"
check_scenario "WETH -45%, LINK -30%, wstETH -25%" \
    "$(sed -n 3p "$scratch/two.json")"

# A grid: -60 %, -30 %, 0 % of LINK; the last is the book as it is.
expect_status "stress --grid" 0 "$LIQTOP" stress "$demo" \
    --grid LINK=-60%..0%/30%
cp "$scratch/out" "$scratch/grid.json"
n=$(grep -c '^  {"shock": ' "$scratch/grid.json")
if [ "$n" -eq 3 ]; then ok "grid: three points, ends included"; else
    not_ok "grid: three points, ends included ($n)"; fi
has_text "grid point -60%" "$scratch/grid.json" '{"shock": {"LINK": "-60%"}, "prices": {"LINK": "5.8"}'
check_scenario "LINK -60%" "$(sed -n 2p "$scratch/grid.json")"
base_liq=$(grep -c '"liquidatable": true' "$scratch/base.json")
has_text "grid 0%: nothing newly liquidatable" "$scratch/grid.json" \
    "{\"shock\": {\"LINK\": \"0%\"}, \"prices\": {\"LINK\": \"14.5\"}, \"liquidatable\": $base_liq, \"newly_liquidatable\": 0,"

# A grid of two ranges: the cross product, the last moving fastest.
expect_status "stress --grid of two ranges" 0 "$LIQTOP" stress "$demo" \
    --grid WETH=-10%..-20%/10%,WBTC=0%..-5%/5% --format csv
cut -d, -f1,2 "$scratch/out" | sort -u | grep -v '^scenario' \
    >"$scratch/cross"
printf '%s\n' '1,WETH=-10%;WBTC=0%' '2,WETH=-10%;WBTC=-5%' \
    '3,WETH=-20%;WBTC=0%' '4,WETH=-20%;WBTC=-5%' >"$scratch/want"
if cmp -s "$scratch/cross" "$scratch/want"; then ok "grid cross product"; else
    not_ok "grid cross product"
    sed 's/^/#   /' "$scratch/cross"
fi
has_line "csv header" "$scratch/out" \
    'scenario,shock,market,liquidatable,newly_liquidatable,debt_repayable_value,collateral_seized_value,bonus_value,bad_debt_value'
# The CSV total row equals the JSON's for the same scenario.
"$LIQTOP" stress "$demo" --shock WETH=-20%,WBTC=-15% --format csv \
    >"$scratch/one.csv"
tot=$(sed -n 2p "$scratch/one.csv" | cut -d, -f4-)
j=$(sed -n 2p "$scratch/two.json" | sed 's/, "markets".*//' |
    sed 's/.*"liquidatable": \([0-9]*\), "newly_liquidatable": \([0-9]*\), "debt_repayable_value": "\([0-9.]*\)", "collateral_seized_value": "\([0-9.]*\)", "bonus_value": "\([0-9.]*\)", "bad_debt_value": "\([0-9.]*\)"/\1,\2,\3,\4,\5,\6/')
if [ "$tot" = "$j" ]; then ok "csv total row equals json"; else
    not_ok "csv total row equals json ($tot vs $j)"; fi
expect_status "stress --format table" 0 "$LIQTOP" stress "$demo" \
    --shock WETH=-20% --format table
has_text "table: scenario heading" "$scratch/out" 'Scenario 1: WETH=-20%'
if grep -qE '^  total +[0-9]+ +[0-9]+ +[0-9,]+\.[0-9]{2} ' "$scratch/out"; then
    ok "table: total row"
else
    not_ok "table: total row"
fi

# Bad input: exit 2 and a message naming the part at fault.
bad() {
    bdesc=$1 bwant=$2
    shift 2
    expect_status "bad: $bdesc" 2 "$LIQTOP" stress "$demo" "$@"
    has_text "bad: $bdesc: message" "$scratch/err" "$bwant"
    if [ -s "$scratch/out" ]; then not_ok "bad: $bdesc: no output"; fi
}
bad "unknown symbol" "--shock FOO: FOO is no asset of the book" --shock FOO=-20%
bad "one unknown among known" "--shock DOGE: DOGE is no asset of the book" \
    --shock WETH=-20%,DOGE=-5%
bad "a price to zero" "--shock WETH=-100%: drives WETH's price to zero or below" \
    --shock WETH=-100%
bad "a price below zero" "--shock WBTC=-150%: drives WBTC's price to zero or below" \
    --shock WBTC=-150%
bad "grid through zero" "--grid WETH=-100%: drives WETH's price to zero or below" \
    --grid WETH=-100%..0%/10%
bad "grid zero step" "--grid WETH=-50%..0%/0%: the step must not be zero" \
    --grid WETH=-50%..0%/0%
bad "grid without a step" "expected SYM=FROM%..TO%/STEP%" --grid WETH=-50%..0%
bad "shock without %" "--shock WETH=-20: expected a percentage" --shock WETH=-20
bad "shock with 5 places" "expected a percentage" --shock WETH=-2.00001%
bad "a symbol twice" "--shock: WETH is moved twice" --shock WETH=-2%,WETH=-3%
bad "grid unknown symbol" "--grid XYZ: XYZ is no asset of the book" \
    --grid XYZ=-5%..0%/1%
bad "bad format" "--format must be json, csv or table" --shock WETH=-1% \
    --format xml
expect_status "no scenario is a usage error" 2 "$LIQTOP" stress "$demo"
has_text "no scenario: says what is missing" "$scratch/err" \
    "--shock or --grid is required"
finish
