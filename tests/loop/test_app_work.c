/*
 * test_app_work.c: book updates off the loop (app/app_work.h) on a real
 * libuv loop with a real TCP feed: every settle goes to a worker, a line
 * written to the feed's socket just as each worker takes the book arrives
 * while it runs and is held, and is applied in a settle after it; the book
 * at the end equals a fresh one valued at the last prices sent (no tick
 * lost), ticks_applied counts every tick, the UI hook never runs while a
 * worker holds the book, and every handle closes. An alert rule
 * (liquidatable) judged on the worker tells its events on the loop, never
 * while a worker is busy, each position's in order (fired, cleared, ...),
 * and the last event of each one the fresh book values says what it says.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <uv.h>

#include "app/alerts.h"
#include "app/app.h"
#include "app/app_work.h"
#include "tests/common/loopkit.h"
#include "tests/common/testutil.h"
#include "tests/common/world.h"

#define LINES 40 /* moving every symbol */
/* moving one or two, sent as a worker starts: the last ones after every
 * line of the other kind, so that no later line hides one lost */
#define DURING (LINES + 8)

struct drive {
    struct app *a;
    struct loopkit_server srv;
    uint64_t rng;
    char line[LINES + DURING][256];
    int main_sent, during_sent;
    uint64_t ticks_sent;
    uint64_t last_px[WORLD_NSYM]; /* whole units, 0: never sent */
    int busy_begins, busy_ends, prices_while_busy, prices_calls;
    const char *names[WORLD_NSYM];
    struct book *b;
    uint8_t *alert; /* per position: 0 no event, 1 fired, 2 cleared */
    int events, events_while_busy, events_out_of_order;
};

static void
on_alert(void *ctx, const struct alerts_event *e)
{
    struct drive *d = ctx;
    uint32_t idx;

    d->events++;
    if (app_work_busy(d->a))
        d->events_while_busy++;
    ck_assert_int_eq(
        book_position_find(d->b, e->position, strlen(e->position), &idx), 0);
    /* fired first, then each the other way */
    if ((d->alert[idx] == 0 && !e->fired) || (d->alert[idx] == 1) == e->fired)
        d->events_out_of_order++;
    d->alert[idx] = e->fired ? 1 : 2;
}

/* One line of prices for the symbols in mask, kept as the last sent. */
static const char *
drive_line(struct drive *d, unsigned mask)
{
    char *out = d->line[d->main_sent + d->during_sent];
    size_t n = 0;
    bool first = true;

    n += (size_t)snprintf(out + n, 256 - n, "{\"prices\": {");
    for (unsigned s = 0; s < WORLD_NSYM; s++) {
        uint64_t px;

        if (!(mask & (1u << s)))
            continue;
        px = test_rand_range(&d->rng, 1, 60000);
        d->last_px[s] = px;
        d->ticks_sent++;
        n += (size_t)snprintf(out + n, 256 - n, "%s\"%s\": \"%llu\"",
                              first ? "" : ", ", d->names[s],
                              (unsigned long long)px);
        first = false;
    }
    snprintf(out + n, 256 - n, "}}\n");
    return out;
}

static void
drive_send(struct drive *d, unsigned mask)
{
    if (d->srv.accepted == 0)
        return;
    loopkit_server_send((uv_stream_t *)&d->srv.conn, drive_line(d, mask));
}

/* After each settle: the next line moving every symbol. */
static void
on_prices(struct app *a)
{
    struct drive *d = a->ui;

    d->prices_calls++;
    if (app_work_busy(a))
        d->prices_while_busy++;
    if (d->main_sent < LINES && d->srv.accepted > 0) {
        drive_send(d, (1u << WORLD_NSYM) - 1);
        d->main_sent++;
    }
}

/* A worker is about to take the book: a line now reaches the loop while
 * it runs. */
static void
on_busy(struct app *a, bool busy)
{
    struct drive *d = a->ui;

    if (!busy) {
        d->busy_ends++;
        return;
    }
    d->busy_begins++;
    ck_assert(!app_work_busy(a));
    if (d->during_sent < DURING && d->srv.accepted > 0) {
        drive_send(d,
                   1u << (unsigned)(d->during_sent % WORLD_NSYM) |
                       1u << (unsigned)((d->during_sent * 3 + 1) % WORLD_NSYM));
        d->during_sent++;
    }
}

static bool
drive_done(void *arg)
{
    struct drive *d = arg;
    struct app_work_stats st;

    /* the feed connects, then the first line starts the chain */
    if (d->srv.accepted > 0 && d->main_sent == 0) {
        drive_send(d, (1u << WORLD_NSYM) - 1);
        d->main_sent++;
    }
    app_work_stats(d->a, &st);
    return d->main_sent == LINES && d->during_sent == DURING &&
           d->a->ticks_applied == d->ticks_sent && !app_work_busy(d->a) &&
           st.held_now == 0 && !d->a->book_dirty;
}

/* One run; returns the ticks held while a worker was busy. */
static uint64_t
run_once(unsigned npos)
{
    struct world w, fresh;
    struct u256 px[WORLD_NSYM], px2[WORLD_NSYM];
    struct drive *d = calloc(1, sizeof(*d));
    struct app a;
    struct app_opts o;
    struct app_work_stats st;
    struct alerts *al;
    uv_loop_t loop;
    char spec[64], err[256], rules[] = "/tmp/liqtop-work-alerts-XXXXXX";
    int port, fd;
    uint32_t n;
    static const char rules_text[] =
        "{\"rules\": [{\"name\": \"liq\", \"when\": \"liquidatable\", "
        "\"clear\": \"not liquidatable\"}], \"actions\": []}\n";

    ck_assert_ptr_nonnull(d);
    fd = mkstemp(rules);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, rules_text, sizeof(rules_text) - 1),
                     (ssize_t)sizeof(rules_text) - 1);
    close(fd);
    world_init(&w, npos, px);
    book_update(w.b);
    d->rng = test_seed() ^ 0x5eed;
    for (unsigned s = 0; s < WORLD_NSYM; s++)
        d->names[s] = book_symbol_name(w.b, w.sym[s]);
    ck_assert_int_eq(uv_loop_init(&loop), 0);
    port = loopkit_server_listen_tcp(&loop, &d->srv, 0);
    memset(&o, 0, sizeof(o));
    ck_assert_int_eq(app_init(&a, &loop, w.b, &o, err, sizeof(err)), 0);
    app_work_enable(&a, 0); /* every update off the loop */
    ck_assert_msg(alerts_load(&al, &loop, w.b, rules, err, sizeof(err)) == 0,
                  "%s", err);
    unlink(rules);
    d->b = w.b;
    d->alert = calloc(npos + 1, 1);
    ck_assert_ptr_nonnull(d->alert);
    a.alerts = al;
    ck_assert_int_eq(alerts_add_listener(al, on_alert, d), 0);
    ck_assert_int_eq(alerts_start(al), 0);
    d->a = &a;
    a.ui = d;
    a.on_prices = on_prices;
    a.on_busy = on_busy;
    snprintf(spec, sizeof(spec), "tcp:127.0.0.1:%d", port);
    ck_assert_msg(app_add_feed(&a, spec, err, sizeof(err)) == 0, "%s", err);
    ck_assert_int_eq(app_start(&a), 0);
    loopkit_run_until(&loop, drive_done, d, 60000);
    ck_assert_msg(
        drive_done(d), "not settled: %d+%d lines, %llu of %llu ticks applied",
        d->main_sent, d->during_sent, (unsigned long long)a.ticks_applied,
        (unsigned long long)d->ticks_sent);
    app_work_stats(&a, &st);
    ck_assert_int_eq(d->prices_while_busy, 0);
    ck_assert_int_eq(d->busy_begins, d->busy_ends);
    ck_assert_uint_eq(st.offloaded, (uint64_t)d->busy_begins);
    ck_assert_uint_ge(st.offloaded, LINES); /* each main line's settle */

    /* The same book valued afresh at the last prices sent. */
    world_init(&fresh, npos, px2);
    for (unsigned s = 0; s < WORLD_NSYM; s++) {
        struct u256 want, got;

        if (d->last_px[s] == 0)
            continue;
        ck_assert_int_eq(
            u256_mul(&want, u256_from_u64(d->last_px[s]), world_pow10(18)), 0);
        ck_assert(book_price_get(w.b, w.sym[s], &got, NULL));
        ck_assert_msg(u256_eq(got, want), "%s: the last price sent",
                      d->names[s]);
        ck_assert_int_eq(book_price_set(fresh.b, fresh.sym[s], want, 1), 0);
    }
    book_update(fresh.b);
    n = book_position_count(w.b);
    ck_assert_uint_eq(n, book_position_count(fresh.b));
    for (uint32_t r = 0; r < n; r++) {
        uint32_t x = book_rank_at(w.b, r), y = book_rank_at(fresh.b, r);
        struct book_health hx, hy;
        bool okx, oky;

        ck_assert_uint_eq(x, y);
        okx = x == UINT32_MAX ? false : book_read_health(w.b, x, &hx);
        oky = y == UINT32_MAX ? false : book_read_health(fresh.b, y, &hy);
        ck_assert(okx == oky);
        if (okx)
            ck_assert(u256_eq(hx.hf, hy.hf) &&
                      hx.liquidatable == hy.liquidatable);
        /* the rule's last word on it is the fresh book's; one the book
         * cannot value now (a figure past 256 bits at these prices) meets
         * neither `when` nor `clear`, and its last word stands */
        if (y != UINT32_MAX && oky)
            ck_assert_msg((d->alert[y] == 1) == (oky && hy.liquidatable),
                          "position %u: last alert event %d", y, d->alert[y]);
    }
    ck_assert_int_eq(d->events_while_busy, 0);
    ck_assert_int_eq(d->events_out_of_order, 0);

    app_stop(&a);
    uv_close((uv_handle_t *)&d->srv.tcp, NULL);
    if (d->srv.accepted > 0 && !uv_is_closing((uv_handle_t *)&d->srv.conn))
        uv_close((uv_handle_t *)&d->srv.conn, NULL);
    uv_run(&loop, UV_RUN_DEFAULT);
    app_done(&a);
    alerts_free(al);
    ck_assert_int_eq(uv_loop_close(&loop), 0);
    book_free(w.b);
    book_free(fresh.b);
    fprintf(stderr, "# alert events %d\n", d->events);
    free(d->alert);
    free(d);
    return st.held_busy;
}

START_TEST(test_ticks_during_work_applied_after)
{
    uint64_t held = 0;
    unsigned npos = 2000;

    /* Until a line has come while a worker held the book (a larger book
     * each time, so that a worker takes longer); every run checks the
     * book against a fresh one. */
    for (int tries = 0; tries < 8 && held == 0; tries++, npos *= 2)
        held = run_once(npos), fprintf(stderr, "# npos %u held %llu\n", npos,
                                       (unsigned long long)held);
    ck_assert_msg(held > 0, "no tick ever came while a worker was busy");
}
END_TEST

/* Without the mode nothing is held and nothing leaves the loop. */
START_TEST(test_mode_off_holds_nothing)
{
    struct app a;
    struct app_opts o;
    struct app_work_stats st;
    uv_loop_t loop;
    struct book *b = book_new();
    char err[64];

    ck_assert_int_eq(uv_loop_init(&loop), 0);
    memset(&o, 0, sizeof(o));
    ck_assert_int_eq(app_init(&a, &loop, b, &o, err, sizeof(err)), 0);
    ck_assert(!app_work_hold(&a, 0, u256_from_u64(1), 0));
    ck_assert(!app_work_settle(&a));
    ck_assert(!app_work_busy(&a));
    app_work_stats(&a, &st);
    ck_assert_uint_eq(st.offloaded, 0);
    app_done(&a);
    ck_assert_int_eq(uv_loop_close(&loop), 0);
    book_free(b);
}
END_TEST

int
main(void)
{
    Suite *s = suite_create("app_work");
    TCase *tc = tcase_create("app_work");

    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, test_ticks_during_work_applied_after);
    tcase_add_test(tc, test_mode_off_holds_nothing);
    suite_add_tcase(s, tc);
    return test_run(s);
}
