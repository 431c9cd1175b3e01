/*
 * test_app.c: the application loop (struct app) on a real libuv loop: a
 * replay feed's ticks reach the book, the UI hooks run once per settled
 * batch, until-end stops it, a record file replays the same ticks, and
 * every handle is closed (uv_loop_close() returns 0); a price only from
 * the portfolio file ages with the run.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <uv.h>

#include "app/app.h"
#include "app/portfolio.h"
#include "tests/common/testutil.h"

struct hooks {
    int prices;
    int states;
    int stops;
};

static void
on_prices(struct app *a)
{
    ((struct hooks *)a->ui)->prices++;
}

static void
on_state(struct app *a)
{
    ((struct hooks *)a->ui)->states++;
}

static void
on_stop(struct app *a)
{
    ((struct hooks *)a->ui)->stops++;
    app_stop(a);
}

static void
write_file(const char *path, const char *text)
{
    FILE *fp = fopen(path, "w");

    ck_assert_ptr_nonnull(fp);
    fputs(text, fp);
    fclose(fp);
}

START_TEST(test_replay_until_end)
{
    char dir[] = "/tmp/liqtop-app.XXXXXX", feed[128], rec[128], spec[160],
         err[256];
    struct book *b = book_new();
    struct app a;
    struct app_opts o;
    struct hooks h = {0, 0, 0};
    uv_loop_t loop;
    uint32_t weth, idx;
    struct u256 p;
    struct account acct;
    FILE *fp;
    char line[256];
    int lines = 0;

    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(feed, sizeof(feed), "%s/ticks.jsonl", dir);
    snprintf(rec, sizeof(rec), "%s/rec.jsonl", dir);
    write_file(feed, "{\"symbol\": \"WETH\", \"price\": \"1900\", \"ts\": 1}\n"
                     "{\"symbol\": \"NOPE\", \"price\": \"1\", \"ts\": 2}\n"
                     "{\"prices\": {\"WETH\": \"1200\", \"USDC\": \"1\"}, "
                     "\"ts\": 3}\n");
    ck_assert_msg(portfolio_load(b, "tests/fixtures/e2e.json", NULL, err,
                                 sizeof(err)) == 0,
                  "%s", err);
    book_update(b);
    memset(&o, 0, sizeof(o));
    o.until_end = true;
    o.bounded = true;
    o.record_path = rec;
    ck_assert_int_eq(uv_loop_init(&loop), 0);
    ck_assert_int_eq(app_init(&a, &loop, b, &o, err, sizeof(err)), 0);
    snprintf(spec, sizeof(spec), "replay:%s@max", feed);
    ck_assert_int_eq(app_add_feed(&a, spec, err, sizeof(err)), 0);
    a.ui = &h;
    a.on_prices = on_prices;
    a.on_state = on_state;
    a.on_stop = on_stop;
    ck_assert_int_eq(app_start(&a), 0);
    ck_assert_int_eq(uv_run(&loop, UV_RUN_DEFAULT), 0);

    ck_assert_uint_eq(a.ticks_applied, 3);
    ck_assert_uint_eq(a.rejected[LINE_UNKNOWN_SYMBOL], 1);
    ck_assert_int_eq(h.stops, 1);
    ck_assert_int_ge(h.prices, 1);
    ck_assert_int_ge(h.states, 2); /* live, then ended */
    ck_assert(app_all_ended(&a));
    ck_assert_int_eq(a.feeds[0]->state, FEED_ENDED);
    /* The book holds the last price, settled: eth-pos is liquidatable. */
    ck_assert_int_eq(book_symbol_find(b, "WETH", 4, &weth), 0);
    ck_assert(book_price_get(b, weth, &p, NULL));
    TEST_U256_EQ(p, test_u256("1200000000000000000000"));
    ck_assert_int_eq(book_position_find(b, "eth-pos", 7, &idx), 0);
    ck_assert(book_read_account(b, idx, &acct));
    ck_assert(acct.liquidatable);
    ck_assert_uint_eq(book_rank_at(b, 0), idx);
    app_done(&a);
    ck_assert_int_eq(uv_loop_close(&loop), 0);

    /* The record holds every applied tick, one replayable line each. */
    fp = fopen(rec, "r");
    ck_assert_ptr_nonnull(fp);
    while (fgets(line, sizeof(line), fp) != NULL) {
        struct line_result r;

        line_parse(line, strlen(line) - 1, &r);
        ck_assert_uint_eq(r.n, 1);
        lines++;
    }
    fclose(fp);
    ck_assert_int_eq(lines, 3);
    unlink(feed);
    unlink(rec);
    rmdir(dir);
    book_free(b);
}
END_TEST

/* A price only from the portfolio file is as old as the run: fresh when
 * the run starts (whatever the loop's clock read then, which counts from
 * the machine's boot), stale once the run is older than the limit; a
 * price a feed gave is as old as its tick. */
struct ages {
    uint32_t weth, usdc;
    bool usdc_stale_first, usdc_stale_last, weth_stale_last;
    int prices;
};

static void
ages_prices(struct app *a)
{
    struct ages *g = a->ui;

    if (g->prices++ == 0)
        g->usdc_stale_first = app_symbol_is_stale(a, g->usdc);
}

static void
ages_stop(struct app *a)
{
    struct ages *g = a->ui;

    g->usdc_stale_last = app_symbol_is_stale(a, g->usdc);
    g->weth_stale_last = app_symbol_is_stale(a, g->weth);
    app_stop(a);
}

START_TEST(test_file_price_ages_with_run)
{
    char dir[] = "/tmp/liqtop-app.XXXXXX", feed[128], spec[160], err[256];
    struct book *b = book_new();
    struct app a;
    struct app_opts o;
    struct ages g;
    uv_loop_t loop;

    memset(&g, 0, sizeof g);
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(feed, sizeof(feed), "%s/ticks.jsonl", dir);
    /* WETH at once, and again 600 ms later (replay at 1x) */
    write_file(feed,
               "{\"symbol\": \"WETH\", \"price\": \"1900\", \"ts\": 1000}\n"
               "{\"symbol\": \"WETH\", \"price\": \"1800\", \"ts\": 1600}\n");
    ck_assert_msg(portfolio_load(b, "tests/fixtures/e2e.json", NULL, err,
                                 sizeof(err)) == 0,
                  "%s", err);
    book_update(b);
    ck_assert_int_eq(book_symbol_find(b, "WETH", 4, &g.weth), 0);
    ck_assert_int_eq(book_symbol_find(b, "USDC", 4, &g.usdc), 0);
    memset(&o, 0, sizeof(o));
    o.until_end = true;
    o.bounded = true;
    o.stale_after_ms = 300;
    ck_assert_int_eq(uv_loop_init(&loop), 0);
    ck_assert_int_eq(app_init(&a, &loop, b, &o, err, sizeof(err)), 0);
    snprintf(spec, sizeof(spec), "replay:%s@1", feed);
    ck_assert_int_eq(app_add_feed(&a, spec, err, sizeof(err)), 0);
    a.ui = &g;
    a.on_prices = ages_prices;
    a.on_stop = ages_stop;
    ck_assert_int_eq(app_start(&a), 0);
    ck_assert_int_eq(uv_run(&loop, UV_RUN_DEFAULT), 0);

    ck_assert_uint_eq(a.ticks_applied, 2);
    ck_assert_int_ge(g.prices, 2);
    ck_assert_msg(!g.usdc_stale_first,
                  "the file's USDC stale at the first tick");
    ck_assert_msg(g.usdc_stale_last,
                  "the file's USDC not stale after 600 ms of a 300 ms limit");
    ck_assert_msg(!g.weth_stale_last, "WETH stale just after its tick");
    app_done(&a);
    ck_assert_int_eq(uv_loop_close(&loop), 0);
    unlink(feed);
    rmdir(dir);
    book_free(b);
}
END_TEST

/* A signal ends a run whose feed never ends; the loop still closes. */
static void
send_term(uv_timer_t *t)
{
    (void)t;
    raise(SIGTERM);
}

START_TEST(test_signal_stops)
{
    char err[256];
    struct book *b = book_new();
    struct app a;
    struct app_opts o;
    struct hooks h = {0, 0, 0};
    uv_loop_t loop;
    uv_timer_t t;

    ck_assert_int_eq(
        portfolio_load(b, "tests/fixtures/e2e.json", NULL, err, sizeof(err)),
        0);
    memset(&o, 0, sizeof(o));
    ck_assert_int_eq(uv_loop_init(&loop), 0);
    ck_assert_int_eq(app_init(&a, &loop, b, &o, err, sizeof(err)), 0);
    ck_assert_int_eq(app_add_feed(&a, "sim:3", err, sizeof(err)), 0);
    a.ui = &h;
    a.on_stop = on_stop;
    ck_assert_int_eq(app_start(&a), 0);
    ck_assert_int_eq(uv_timer_init(&loop, &t), 0);
    ck_assert_int_eq(uv_timer_start(&t, send_term, 600, 0), 0);
    uv_unref((uv_handle_t *)&t);
    ck_assert_int_eq(uv_run(&loop, UV_RUN_DEFAULT), 0);
    ck_assert_int_eq(a.signal, SIGTERM);
    ck_assert_int_eq(h.stops, 1);
    ck_assert_uint_gt(a.ticks_applied, 0);
    uv_close((uv_handle_t *)&t, NULL);
    uv_run(&loop, UV_RUN_DEFAULT);
    app_done(&a);
    ck_assert_int_eq(uv_loop_close(&loop), 0);
    book_free(b);
}
END_TEST

static Suite *
app_suite(void)
{
    Suite *s = suite_create("app");
    TCase *tc = tcase_create("loop");

    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, test_replay_until_end);
    tcase_add_test(tc, test_file_price_ages_with_run);
    tcase_add_test(tc, test_signal_stops);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    return test_run(app_suite());
}
