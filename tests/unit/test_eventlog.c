/*
 * test_eventlog.c: the event log on the demo book: a WBTC move logs the
 * tier changes of WBTC's holders only, with each one's new health, and the
 * price move once it passes EVENTLOG_MOVE_BPS; no event repeats while
 * nothing changes; a position going back and forth between two tiers
 * within EVENTLOG_WOBBLE_MS keeps one entry; the ring keeps the newest
 * EVENTLOG_CAP entries; the change against the first price is exact in basis
 * points; < and > scroll it.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "app/portfolio.h"
#include "tests/common/testutil.h"
#include "tui/eventlog.h"
#include "tui/ui.h"

static struct book *
evt_book(void)
{
    struct book *b = book_new();
    char err[256];

    ck_assert_msg(
        portfolio_load(b, "examples/demo.json", NULL, err, sizeof(err)) == 0,
        "%s", err);
    book_update(b);
    return b;
}

static void
evt_price(struct book *b, const char *sym, uint64_t whole)
{
    uint32_t s;
    struct u256 p = u256_zero();

    ck_assert_int_eq(book_symbol_find(b, sym, strlen(sym), &s), 0);
    ck_assert_int_eq(u256_mul(&p, u256_from_u64(whole),
                              u256_from_u64(1000000000000000000ULL)),
                     0);
    ck_assert_int_eq(book_price_set(b, s, p, 0), 0);
    book_update(b);
}

static bool
evt_has(const struct eventlog *e, const char *text)
{
    for (uint32_t i = 0; eventlog_at(e, i) != NULL; i++)
        if (strstr(eventlog_at(e, i)->text, text) != NULL)
            return true;
    return false;
}

static int
evt_count(const struct eventlog *e, const char *text)
{
    int n = 0;

    for (uint32_t i = 0; eventlog_at(e, i) != NULL; i++)
        n += strstr(eventlog_at(e, i)->text, text) != NULL;
    return n;
}

START_TEST(test_wbtc_holders_only)
{
    struct book *b = evt_book();
    struct eventlog e;
    uint32_t wbtc;
    int64_t bps = 0;

    eventlog_init(&e, b);
    ck_assert_uint_eq(e.n, 0);
    /* WBTC 64,000 -> 40,000: ivy (3 WBTC, 120,000 USDC debt at LLTV 0.86)
     * goes from warn to 3 * 40,000 * 0.86 / 120,000 = 0.86, liquidatable;
     * alice holds no WBTC and is not visited. */
    evt_price(b, "WBTC", 40000);
    eventlog_update(&e, 1000);
    ck_assert(evt_has(&e, "WBTC down 37.50 % to 40,000.00"));
    ck_assert(evt_has(&e, "ivy enters LIQ!! (health 0.8600, was warn)"));
    ck_assert(!evt_has(&e, "alice"));
    ck_assert_int_eq(book_symbol_find(b, "WBTC", 4, &wbtc), 0);
    ck_assert(eventlog_change_bps(&e, wbtc, &bps));
    ck_assert_int_eq(bps, -3750);
    /* Nothing moved: nothing new. */
    {
        uint64_t before = e.total;

        eventlog_update(&e, 2000);
        ck_assert_uint_eq(e.total, before);
        /* A move under the threshold logs no price line. */
        evt_price(b, "WBTC", 40400);
        eventlog_update(&e, 3000);
        ck_assert(!evt_has(&e, "WBTC up"));
        /* Back up 3 s later: ivy's entry says it went back and forth
         * (health 3 * 64,000 * 0.86 / 120,000 = 1.376) rather than a
         * second line. */
        evt_price(b, "WBTC", 64000);
        eventlog_update(&e, 4000);
        ck_assert(evt_has(&e, "ivy wobbles warn/LIQ!!, 2 changes, now warn "
                              "(health 1.3760)"));
        ck_assert(!evt_has(&e, "ivy climbs to warn"));
        ck_assert(evt_has(&e, "WBTC up 60.00 % to 64,000.00"));
        ck_assert_uint_gt(e.total, before);
        /* Down again at once: the same entry, a third change. */
        evt_price(b, "WBTC", 40000);
        eventlog_update(&e, 5000);
        ck_assert(evt_has(&e, "ivy wobbles warn/LIQ!!, 3 changes, now LIQ!! "
                              "(health 0.8600)"));
        ck_assert_int_eq(evt_count(&e, "ivy "), 1);
        /* After EVENTLOG_WOBBLE_MS of quiet a change is a line again. */
        evt_price(b, "WBTC", 64000);
        eventlog_update(&e, 5000 + EVENTLOG_WOBBLE_MS);
        ck_assert(evt_has(&e, "ivy climbs to warn (health 1.3760, was LIQ!!)"));
        ck_assert_int_eq(evt_count(&e, "ivy "), 2);
    }
    eventlog_done(&e);
    book_free(b);
}
END_TEST

START_TEST(test_ring_keeps_newest)
{
    struct book *b = evt_book();
    struct eventlog e;
    char t[32];

    eventlog_init(&e, b);
    for (int i = 0; i < EVENTLOG_CAP + 5; i++) {
        snprintf(t, sizeof(t), "entry %d", i);
        eventlog_add(&e, i, ROLE_TEXT, t);
    }
    ck_assert_uint_eq(e.n, EVENTLOG_CAP);
    ck_assert_uint_eq(e.total, EVENTLOG_CAP + 5);
    snprintf(t, sizeof(t), "entry %d", EVENTLOG_CAP + 4);
    ck_assert_str_eq(eventlog_at(&e, 0)->text, t);
    ck_assert_str_eq(eventlog_at(&e, EVENTLOG_CAP - 1)->text, "entry 5");
    ck_assert_ptr_null(eventlog_at(&e, EVENTLOG_CAP));
    /* A story chapter is logged once while it lasts. */
    eventlog_story(&e, 1, "crash");
    eventlog_story(&e, 2, "crash");
    ck_assert_str_eq(eventlog_at(&e, 0)->text, "story: crash");
    ck_assert_str_eq(eventlog_at(&e, 1)->text, t);
    eventlog_done(&e);
    book_free(b);
}
END_TEST

/* < and > scroll the log three entries a key, never past either end. */
START_TEST(test_scroll_keys)
{
    struct book *b = evt_book();
    struct eventlog e;
    struct ui u;
    struct keymap km;

    eventlog_init(&e, b);
    ui_init(&u, b);
    u.log = &e;
    input_defaults(&km);
    for (int i = 0; i < 5; i++)
        eventlog_add(&e, i, ROLE_TEXT, "x");
    ck_assert_uint_eq(ui_key(&u, &km, '<', 0) & DIRTY_PANE, DIRTY_PANE);
    ck_assert_uint_eq(e.scroll, 3);
    (void)ui_key(&u, &km, '<', 0);
    ck_assert_uint_eq(e.scroll, 3); /* 6 would pass the oldest of 5 */
    /* A new entry keeps a scrolled reader on the same ones. */
    eventlog_add(&e, 9, ROLE_TEXT, "y");
    ck_assert_uint_eq(e.scroll, 4);
    (void)ui_key(&u, &km, '>', 0);
    ck_assert_uint_eq(e.scroll, 1);
    (void)ui_key(&u, &km, '>', 0);
    ck_assert_uint_eq(e.scroll, 0);
    ui_done(&u);
    eventlog_done(&e);
    book_free(b);
}
END_TEST

static Suite *
eventlog_suite(void)
{
    Suite *s = suite_create("eventlog");
    TCase *tc = tcase_create("eventlog");

    tcase_add_test(tc, test_wbtc_holders_only);
    tcase_add_test(tc, test_ring_keeps_newest);
    tcase_add_test(tc, test_scroll_keys);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    return test_run(eventlog_suite());
}
