/*
 * test_ui.c: what keys and the mouse do to the dashboard's state on the
 * demo book: the filter prompt (a new prompt, Esc clears, Enter on an empty
 * one keeps), n/N through the matches with wrap-around, the sort cycle and
 * its reverse, Tab and Shift-Tab over every debt/collateral pair of a 3x3
 * position, clicks on rows and column heads, and the what-if key on a
 * position whose collateral an eMode price source prices (the spark
 * fixture).
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "app/portfolio.h"
#include "tests/common/testutil.h"
#include "tui/ui.h"

struct rig {
    struct book *b;
    struct ui u;
    struct keymap km;
    uint64_t now;
};

static void
rig_init_file(struct rig *r, const char *path)
{
    char err[256];

    memset(r, 0, sizeof *r);
    r->b = book_new();
    ck_assert_msg(portfolio_load(r->b, path, NULL, err, sizeof err) == 0, "%s",
                  err);
    book_update(r->b);
    ui_init(&r->u, r->b);
    ui_prepare(&r->u);
    input_defaults(&r->km);
    r->u.page = 10;
    r->now = 1000;
    (void)ui_refresh(&r->u, r->now, true);
}

static void
rig_init(struct rig *r)
{
    rig_init_file(r, "examples/demo.json");
}

static void
rig_done(struct rig *r)
{
    ui_done(&r->u);
    book_free(r->b);
}

static unsigned
type(struct rig *r, const char *keys)
{
    unsigned bits = 0;

    for (const char *k = keys; *k != '\0'; k++) {
        bits |= ui_key(&r->u, &r->km, (unsigned char)*k, r->now);
        r->now += 10;
    }
    return bits;
}

static unsigned
press(struct rig *r, int key)
{
    unsigned bits = ui_key(&r->u, &r->km, key, r->now);

    r->now += 10;
    return bits;
}

static const char *
row_id(struct rig *r, uint32_t row)
{
    struct position p;

    book_position_get(r->b, ui_row(&r->u, row), &p);
    return p.id;
}

START_TEST(test_filter_prompt)
{
    struct rig r;

    rig_init(&r);
    ck_assert_uint_eq(r.u.norder, 23);
    type(&r, "/WBTC");
    ck_assert_uint_eq(r.u.norder, 8);
    press(&r, KEY_ENTER_);
    ck_assert_str_eq(r.u.filter, "WBTC");
    /* A new prompt starts empty; Enter on it keeps the filter. */
    type(&r, "/");
    ck_assert_str_eq(r.u.edit_buf, "");
    press(&r, KEY_ENTER_);
    ck_assert_str_eq(r.u.filter, "WBTC");
    ck_assert_uint_eq(r.u.norder, 8);
    /* Typing replaces it, not appends to it; Esc clears. */
    type(&r, "/alice");
    ck_assert_str_eq(r.u.filter, "alice");
    ck_assert_uint_eq(r.u.norder, 1);
    press(&r, KEY_ESC_);
    ck_assert_str_eq(r.u.filter, "");
    ck_assert_uint_eq(r.u.norder, 23);
    /* Terms: tier and health bound together. */
    type(&r, "/tier:liq hf<0.95");
    ck_assert_uint_eq(r.u.norder, 4); /* link-loop, wbtc-crash, steth-loop,
                                         carol */
    press(&r, KEY_ENTER_);
    /* A bad term keeps the last good filter (the one typed so far). */
    type(&r, "/tier:liq hf<x");
    ck_assert_str_eq(r.u.filter, "tier:liq hf<");
    ck_assert_uint_eq(r.u.norder, 7);
    ck_assert(r.u.msg_error);
    ck_assert_ptr_nonnull(strstr(r.u.msg, "takes a number"));
    /* The next valid entry takes the error's place. */
    press(&r, KEY_ESC_);
    type(&r, "/alice");
    ck_assert_uint_eq(r.u.norder, 1);
    ck_assert(!r.u.msg_error);
    ck_assert_str_eq(r.u.msg, "");
    press(&r, KEY_ENTER_);
    /* A bad target health, then a good one: the message goes. */
    type(&r, "p");
    type(&r, "hxyz");
    press(&r, KEY_ENTER_);
    ck_assert(r.u.msg_error);
    type(&r, "h1.1");
    press(&r, KEY_ENTER_);
    ck_assert(!r.u.msg_error);
    ck_assert_str_eq(r.u.msg, "");
    press(&r, KEY_ESC_);
    rig_done(&r);
}
END_TEST

START_TEST(test_next_match)
{
    struct rig r;
    char first[64];

    rig_init(&r);
    type(&r, "/WBTC");
    press(&r, KEY_ENTER_);
    snprintf(first, sizeof first, "%s", row_id(&r, 0));
    ck_assert_str_eq(r.u.selected, first);
    type(&r, "n");
    ck_assert_str_eq(r.u.selected, row_id(&r, 1));
    ck_assert_ptr_nonnull(strstr(r.u.msg, "match 2 of 8"));
    type(&r, "NN"); /* back past the first: wraps to the last */
    ck_assert_str_eq(r.u.selected, row_id(&r, 7));
    type(&r, "n");
    ck_assert_str_eq(r.u.selected, first);
    rig_done(&r);
}
END_TEST

START_TEST(test_sort_and_reverse)
{
    struct rig r;

    rig_init(&r);
    ck_assert_str_eq(row_id(&r, 0), "link-loop");
    type(&r, "s");
    ck_assert_str_eq(ui_sort_name(r.u.sort), "id");
    ck_assert_str_eq(row_id(&r, 0), "alice");
    type(&r, "I");
    ck_assert_str_eq(row_id(&r, 0), "whale");
    ck_assert_str_eq(row_id(&r, 22), "alice");
    type(&r, "I");
    type(&r, "s");
    ck_assert_str_eq(ui_sort_name(r.u.sort), "collateral");
    ck_assert_str_eq(row_id(&r, 0), "whale"); /* 12,800,000 */
    type(&r, "s");
    ck_assert_str_eq(ui_sort_name(r.u.sort), "debt");
    ck_assert_str_eq(row_id(&r, 0), "whale");
    ck_assert_str_eq(row_id(&r, 22), "saver"); /* no debt */
    type(&r, "s");
    ck_assert_str_eq(ui_sort_name(r.u.sort), "distance");
    ck_assert_str_eq(row_id(&r, 0), "link-loop");  /* -34.2 % */
    ck_assert_str_eq(row_id(&r, 1), "wbtc-crash"); /* -31.6 % */
    ck_assert_str_eq(row_id(&r, 2), "steth-loop"); /* -17.6 % */
    ck_assert_str_eq(row_id(&r, 22), "saver");
    type(&r, "s");
    ck_assert_str_eq(ui_sort_name(r.u.sort), "health");
    /* Reversed health, live: the highest first, no-debt before. */
    type(&r, "S");
    ck_assert_str_eq(row_id(&r, 0), "saver");
    ck_assert_str_eq(row_id(&r, 22), "link-loop");
    rig_done(&r);
}
END_TEST

START_TEST(test_tab_every_pair)
{
    struct rig r;
    bool seen[3][3];
    int n = 0, d0, c0;

    memset(seen, 0, sizeof seen);
    rig_init(&r);
    snprintf(r.u.selected, sizeof r.u.selected, "basis-fund");
    type(&r, "p");
    ck_assert_int_eq(r.u.mode, UI_PREVIEW);
    for (int i = 0; i < 9; i++) {
        press(&r, KEY_TAB_);
        ck_assert(r.u.pv_debt >= 0 && r.u.pv_debt < 3);
        ck_assert(r.u.pv_coll >= 0 && r.u.pv_coll < 3);
        if (i == 0) {
            d0 = r.u.pv_debt;
            c0 = r.u.pv_coll;
        }
        if (!seen[r.u.pv_debt][r.u.pv_coll])
            n++;
        seen[r.u.pv_debt][r.u.pv_coll] = true;
    }
    ck_assert_int_eq(n, 9);
    press(&r, KEY_TAB_); /* the 10th is the first again */
    ck_assert_int_eq(r.u.pv_debt, d0);
    ck_assert_int_eq(r.u.pv_coll, c0);
    press(&r, KEY_BTAB_);
    press(&r, KEY_TAB_);
    ck_assert_int_eq(r.u.pv_debt, d0);
    ck_assert_int_eq(r.u.pv_coll, c0);
    rig_done(&r);
}
END_TEST

START_TEST(test_mouse)
{
    struct rig r;
    struct layout l;
    struct input_mouse ev;

    rig_init(&r);
    layout_compute(&l, 120, 40, false);
    r.u.page = (uint32_t)l.table.rows - 1;
    ev.kind = MOUSE_CLICK;
    ev.row = l.table.row + 1 + 3;
    ev.col = 2;
    ck_assert_uint_ne(ui_mouse(&r.u, &l, &ev, r.now), 0);
    ck_assert_str_eq(r.u.selected, row_id(&r, 3));
    ev.kind = MOUSE_WHEEL_DOWN;
    (void)ui_mouse(&r.u, &l, &ev, r.now);
    ck_assert_str_eq(r.u.selected, row_id(&r, 6));
    ev.kind = MOUSE_CLICK;
    ev.row = l.table.row;
    ev.col = l.x[COL_DEBT] + 1;
    (void)ui_mouse(&r.u, &l, &ev, r.now);
    ck_assert_int_eq(r.u.sort, SORT_DEBT);
    ck_assert(!r.u.reverse);
    (void)ui_mouse(&r.u, &l, &ev, r.now);
    ck_assert(r.u.reverse);
    ck_assert_str_eq(row_id(&r, 0), "saver");
    rig_done(&r);
}
END_TEST

/* The health factor of position id, as the book holds it. */
static struct u256
hf_of(struct rig *r, const char *id)
{
    struct account a;
    uint32_t idx;

    ck_assert_int_eq(book_position_find(r->b, id, strlen(id), &idx), 0);
    ck_assert(book_read_account(r->b, idx, &a));
    return a.hf;
}

/*
 * spark.json's "loop" holds wstETH against WETH in eMode 1, whose price
 * source ETHUSD prices both for it: `[` shocks ETHUSD (the price on its
 * screen), not wstETH's own price, which would move nothing. Its health,
 * the ratio of the two, stays 1.094117647058823529; "scaled" (WETH, out
 * of eMode, at its own 2000) is not moved by it either, while a shock of
 * WETH itself moves it.
 */
START_TEST(test_whatif_price_source)
{
    struct rig r;
    uint32_t ethusd, wst, weth;

    rig_init_file(&r, "tests/fixtures/spark.json");
    ck_assert_int_eq(book_symbol_find(r.b, "ETHUSD", 6, &ethusd), 0);
    ck_assert_int_eq(book_symbol_find(r.b, "wstETH", 6, &wst), 0);
    ck_assert_int_eq(book_symbol_find(r.b, "WETH", 4, &weth), 0);
    snprintf(r.u.selected, sizeof(r.u.selected), "%s", "loop");
    (void)ui_refresh(&r.u, r.now, true);
    ck_assert_uint_ne(type(&r, "["), 0);
    ck_assert_int_eq(book_whatif_get(r.b, ethusd), -100);
    ck_assert_int_eq(book_whatif_get(r.b, wst), 0);
    ck_assert_int_eq(book_whatif_get(r.b, weth), 0);
    book_update(r.b);
    TEST_U256_EQ(hf_of(&r, "loop"), test_u256("1094117647058823529"));
    TEST_U256_EQ(hf_of(&r, "scaled"), test_u256("1489209432433155204"));
    snprintf(r.u.selected, sizeof(r.u.selected), "%s", "scaled");
    (void)ui_refresh(&r.u, r.now, true);
    (void)type(&r, "[");
    ck_assert_int_eq(book_whatif_get(r.b, weth), -100);
    book_update(r.b);
    ck_assert(u256_lt(hf_of(&r, "scaled"), test_u256("1489209432433155204")));
    rig_done(&r);
}
END_TEST

static Suite *
ui_suite(void)
{
    Suite *s = suite_create("ui");
    TCase *tc = tcase_create("keys");

    tcase_add_test(tc, test_filter_prompt);
    tcase_add_test(tc, test_next_match);
    tcase_add_test(tc, test_sort_and_reverse);
    tcase_add_test(tc, test_tab_every_pair);
    tcase_add_test(tc, test_mouse);
    tcase_add_test(tc, test_whatif_price_source);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    return test_run(ui_suite());
}
