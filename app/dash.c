/*
 * dash.c: liqtop [PORTFOLIO] [--feed SRC]... [--positions F.jsonl]
 * [--theme NAME] [--stale-after S] [--price SYM=P]... [--record FILE]
 * [--target-health H]:
 * the live dashboard on the application loop of app.c.
 *
 * Owns what the terminal's handles do (their loop side is screen.c's):
 * a key, a frame of what is dirty (at most 30 a second), each second's
 * ages and rates, a resize, the terminal's end. Callbacks only change
 * state and set dirty bits;
 * every exit path (q, SIGINT, SIGTERM, an error) restores the terminal.
 * A portfolio file on a terminal loads off the loop (dash_open.c,
 * dash_load.c): the screen answers from the start, the feeds follow.
 */
#include "app/dash.h"

#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <uv.h>

#include "app/alerts.h"
#include "app/app.h"
#include "app/app_work.h"
#include "app/attach_dash.h"
#include "app/cmd_common.h"
#include "app/dash_args.h"
#include "app/dash_int.h"
#include "app/dash_load.h"
#include "app/dash_work.h"
#include "app/demo.h"
#include "app/themefile.h"
#include "core/liq.h"
#include "core/preview.h"
#include "tui/eventlog.h"
#include "tui/fmt.h"
#include "tui/term.h"
#include "tui/view.h"

/* The event log's clock: wall time, ms since the epoch. */
int64_t
dash_wall_ms(void)
{
    return (int64_t)time(NULL) * 1000;
}

/* Feed states and story chapters that changed since the log last said. */
static void
dash_log_feeds(struct dash *d)
{
    int64_t now = dash_wall_ms();

    for (size_t i = 0; i < d->app.nfeeds && i < UI_FEEDS_MAX; i++) {
        const struct feed *f = d->app.feeds[i];
        char line[EVENTLOG_TEXT];

        if (f->state != d->logged_state[i]) {
            d->logged_state[i] = f->state;
            snprintf(line, sizeof(line), "feed %.40s: %s", f->spec,
                     feed_state_name(f->state));
            eventlog_add(
                &d->log, now,
                f->state == FEED_LIVE ? ROLE_FEED_LIVE : ROLE_FEED_DOWN, line);
        }
        eventlog_story(&d->log, now, f->story);
    }
}

/* One message on standard error, "liqtop: ...", and the status for it. */
int
dash_fail(const char *msg)
{
    fflush(stdout);
    fprintf(stderr, "liqtop: %s\n", msg);
    return CMD_EXIT_BAD;
}

static void
dash_layout(struct dash *d)
{
    layout_compute(&d->layout, d->cols, d->rows, d->ui.mode != UI_TABLE);
    if (d->frame == NULL || d->frame->rows != d->layout.rows ||
        d->frame->cols != d->layout.cols) {
        frame_free(d->frame);
        d->frame = frame_new(d->layout.rows, d->layout.cols);
    }
}

static uint64_t
dash_age(void *ctx, uint32_t sym)
{
    return app_symbol_age_ms(ctx, sym);
}

static bool
dash_stale(void *ctx, uint32_t sym)
{
    return app_symbol_is_stale(ctx, sym);
}

/* Seconds since a chain feed's newest block, by the wall clock. */
static long long
dash_block_age(const struct feed *f)
{
    long long age = (long long)time(NULL) - (long long)f->block_time;

    return age < 0 ? 0 : age;
}

void
dash_info(struct dash *d, struct ui_info *info)
{
    struct app *a = &d->app;
    uint64_t now = uv_now(&d->loop);

    memset(info, 0, sizeof(*info));
    for (size_t i = 0; i < a->nfeeds && i < UI_FEEDS_MAX; i++) {
        const struct feed *f = a->feeds[i];
        /* A live feed that has not ticked for the stale limit is stale. */
        const char *state = app_feed_state(a, i);

        /* Long specs (exec: commands) are cut to fit the header. */
        snprintf(info->feeds[i].name, sizeof(info->feeds[i].name), "%.39s",
                 f->spec);
        if (f->block != 0)
            snprintf(info->feeds[i].state, sizeof(info->feeds[i].state),
                     "%s #%llu %llds", state, (unsigned long long)f->block,
                     dash_block_age(f));
        else
            snprintf(info->feeds[i].state, sizeof(info->feeds[i].state), "%s",
                     state);
        info->feeds[i].down = strcmp(state, "live") != 0;
        info->nfeeds++;
    }
    info->ticks_per_sec = app_ticks_per_sec(a);
    info->newest_age_ms =
        a->newest_recv_ms > 0 ? now - a->newest_recv_ms : UINT64_MAX;
    info->rejected = app_rejected_total(a);
    info->error = a->error;
    info->fault = a->record_error;
    info->age_ms = dash_age;
    info->stale = dash_stale;
    info->ctx = a;
}

static void
dash_draw(struct dash *d)
{
    struct ui_info info;
    uint64_t now = uv_now(&d->loop);

    if (d->loading) {
        dash_layout(d);
        dash_load_draw(&d->load, d->frame, &d->layout, &d->ui, &d->km, now);
        term_draw(d->frame);
        d->dirty = 0;
        return;
    }
    if (app_work_busy(&d->app)) {
        struct app_work_stats st;

        app_work_stats(&d->app, &st);
        if (d->frame != NULL) {
            dash_work_draw(&d->pic, d->frame, &st);
            term_draw(d->frame);
        }
        d->dirty = 0;
        return;
    }
    dash_info(d, &info);
    ui_refresh(&d->ui, now, false);
    dash_layout(d);
    view_render(d->frame, &d->layout, &d->ui, &info, &d->km, now);
    term_draw(d->frame);
    d->dirty = 0;
}

/* The screen's (screen.h): a frame is due while something is dirty. */
static bool
dash_dirty_cb(void *ctx)
{
    struct dash *d = ctx;

    return d->dirty != 0 && !d->stopping;
}

static void
dash_draw_cb(void *ctx)
{
    dash_draw(ctx);
}

void
dash_stop(struct dash *d)
{
    if (d->stopping)
        return;
    d->stopping = true;
    term_stop();
    screen_close(&d->scr);
    if (d->loading)
        dash_load_stop(&d->load); /* its results freed once it is back */
    if (d->app_open)
        app_stop(&d->app);
}

void
dash_app_stop_cb(struct app *a)
{
    dash_stop(a->ui);
}

void
dash_prices_cb(struct app *a)
{
    struct dash *d = a->ui;

    dash_log_feeds(d);
    if (d->log_updated)
        d->log_updated = false; /* the worker did it */
    else
        eventlog_update(&d->log, dash_wall_ms());
    if (d->work_note[0] != '\0') {
        eventlog_add(&d->log, dash_wall_ms(), ROLE_DIM, d->work_note);
        d->work_note[0] = '\0';
    }
    d->dirty |= DIRTY_HEADER | DIRTY_TABLE | DIRTY_PANE;
}

/* The alerts' hook: the book is a worker's (app_work.h). */
bool
dash_book_busy(void *ctx)
{
    return app_work_busy(ctx);
}

void
dash_state_cb(struct app *a)
{
    struct dash *d = a->ui;

    /* the log is the worker's meanwhile: told once it is done */
    if (!app_work_busy(a))
        dash_log_feeds(d);
    if (a->alerts_note[0] != '\0') {
        /* a SIGHUP's outcome: the status line says it */
        ui_message(&d->ui, a->alerts_note_error, uv_now(&d->loop),
                   a->alerts_note);
        a->alerts_note[0] = '\0';
    }
    d->dirty |= DIRTY_HEADER | DIRTY_STATUS | DIRTY_PANE;
}

/* An alert: the bell, the status line and the event log. */
void
dash_alert_cb(void *ctx, const struct alerts_event *e)
{
    struct dash *d = ctx;
    char msg[200];

    if (e->fired)
        term_bell();
    snprintf(msg, sizeof(msg), "alert %s: %.80s %s", e->rule, e->position,
             e->fired ? "FIRED" : "cleared");
    ui_message(&d->ui, false, uv_now(&d->loop), msg);
    /* and the event log keeps it (design.md 9: the dashboard shows
     * firings in its event log) */
    eventlog_add(&d->log, dash_wall_ms(), e->fired ? ROLE_WARNING : ROLE_GOOD,
                 msg);
    d->dirty |= DIRTY_STATUS | DIRTY_TABLE;
}

void
dash_theme(struct dash *d, const char *name, const char *from)
{
    char err[768];

    if (themefile_load(&d->theme, name, from, err, sizeof(err)) != 0)
        ui_message(&d->ui, true, uv_now(&d->loop), err);
    /* NO_COLOR (no-color.org): attributes only, whatever the theme; each
     * role also takes the mono theme's attributes, so that what colour told
     * apart (the selection, the header, the tiers) stays apart. */
    if (getenv("NO_COLOR") != NULL && getenv("NO_COLOR")[0] != '\0') {
        struct theme mono;

        d->theme.color = false;
        if (theme_builtin(&mono, "mono"))
            for (int r = 0; r < ROLE_COUNT; r++)
                d->theme.style[r].attr |= mono.style[r].attr;
    }
    if (term_active())
        term_theme(&d->theme);
}

/* What a key's dirty bits ask for; true when it was quit. */
static bool
dash_key_bits(struct dash *d, unsigned bits)
{
    if (bits & DIRTY_QUIT) {
        dash_stop(d);
        return true;
    }
    /* a what-if: the book updated at the next settle (off the loop when
     * it is long: a shock of every symbol revalues the whole book) */
    if (bits & DIRTY_BOOK)
        app_work_touch(&d->app, book_position_count(d->book));
    if (bits & DIRTY_THEME) {
        char msg[64];

        dash_theme(d, theme_builtin_name(d->ui.theme), "t");
        snprintf(msg, sizeof(msg), "theme: %s",
                 theme_builtin_name(d->ui.theme));
        ui_message(&d->ui, false, uv_now(&d->loop), msg);
    }
    d->dirty |= bits & DIRTY_ALL;
    return false;
}

/* One key, to whoever has it: the load (no book yet), the worker's
 * picture (the book is a worker's), else the ui. true when it was quit. */
bool
dash_key(struct dash *d, int key)
{
    unsigned bits;

    if (d->loading) {
        /* no rows yet for a click to land on */
        if (key == KEY_MOUSE_)
            return false;
        bits = dash_load_key(&d->load, &d->ui, &d->km, key, uv_now(&d->loop));
    } else if (key == KEY_MOUSE_) {
        struct input_mouse ev;

        /* the book is a worker's: a click has no rows to land on */
        if (!term_mouse(&ev) || app_work_busy(&d->app))
            return false;
        bits = ui_mouse(&d->ui, &d->layout, &ev, uv_now(&d->loop));
    } else if (app_work_busy(&d->app)) {
        bits = dash_work_key(&d->pic, &d->ui, &d->km, key);
    } else {
        bits = ui_key(&d->ui, &d->km, key, uv_now(&d->loop));
    }
    return dash_key_bits(d, bits);
}

static bool
dash_key_cb(void *ctx, int key)
{
    struct dash *d = ctx;

    return d->stopping || dash_key(d, key);
}

/* The terminal closed (its window, the ssh link): a SIGHUP that the alert
 * rules take for a reading again must not leave the dashboard running on
 * with nobody to see it. */
static void
dash_gone_cb(void *ctx)
{
    struct dash *d = ctx;

    d->hangup = true;
    dash_stop(d);
}

/* On the worker, after its update (app_work_also): the event log's look
 * at what moved and the repair of a filtered or sorted order, each of
 * which visits every holder of the moved symbols. The loop leaves the log
 * and the order alone meanwhile (the picture has what it needs). */
void
dash_work_log(void *ctx)
{
    struct dash *d = ctx;

    eventlog_update(&d->log, dash_wall_ms());
    d->log_updated = true;
    (void)ui_refresh(&d->ui, d->work_now, false);
}

/* A worker takes the book (busy) or gives it back: the picture kept
 * before, and after it the cursor's move and the keys that waited. */
void
dash_busy_cb(struct app *a, bool busy)
{
    struct dash *d = a->ui;
    int keys[DASH_WORK_KEYS], n;

    if (busy) {
        if (d->stopping)
            return;
        dash_draw(d); /* the book as it stands, on screen and kept */
        d->work_now = uv_now(&d->loop);
        d->scr.last_frame_ms = d->work_now;
        dash_work_begin(&d->pic, &d->ui, &d->layout, d->frame);
        d->dirty |= DIRTY_STATUS | DIRTY_TABLE;
        return;
    }
    n = dash_work_end(&d->pic, &d->ui, keys, DASH_WORK_KEYS);
    d->dirty |= DIRTY_ALL;
    if (!d->stopping) {
        struct app_work_stats st;
        char msg[160];

        /* the note logged after the tier changes it made (on_prices) */
        app_work_stats(&d->app, &st);
        dash_work_texts(&st, msg, sizeof(msg), d->work_note,
                        sizeof(d->work_note));
        ui_message(&d->ui, false, uv_now(&d->loop), msg);
    }
    for (int i = 0; i < n && !d->stopping; i++)
        if (dash_key_bits(d, ui_key(&d->ui, &d->km, keys[i], uv_now(&d->loop))))
            break;
}

static void
dash_second_cb(void *ctx)
{
    struct dash *d = ctx;

    /* Ages and rates move with time even without ticks; held ranks are
     * let go once the hold is over; a message times out. Quiet moments
     * also bring the other sorts' keys up to date. */
    uint64_t now = uv_now(&d->loop);
    struct ui_info info;
    uint64_t age, shown;

    if (d->loading)
        return; /* no feed nor book yet: the load's timer redraws */

    /* The header only when what it shows moved: the rate, or the age of
     * the newest tick as it is written (tenths below 10 s, then seconds,
     * then hours). A dashboard without ticks draws nothing. */
    dash_info(d, &info);
    age = info.newest_age_ms;
    shown = age == UINT64_MAX ? UINT64_MAX
            : age < 10000     ? age / 100
            : age < 3600000   ? 100000 + age / 1000
                              : 200000000 + age / 3600000;
    if (shown != d->shown_age || info.ticks_per_sec != d->shown_rate) {
        d->shown_age = shown;
        d->shown_rate = info.ticks_per_sec;
        d->dirty |= DIRTY_HEADER;
    }
    if (d->ui.msg[0] != '\0' && now >= d->ui.msg_until_ms) {
        d->ui.msg[0] = '\0';
        d->dirty |= DIRTY_STATUS;
    }
    if (app_work_busy(&d->app))
        return; /* the rest reads the book or the order: next second */
    if (d->ui.hold_until_ms != 0 && now >= d->ui.hold_until_ms) {
        d->ui.hold_until_ms = 0;
        d->dirty |= DIRTY_TABLE;
    }
    for (uint32_t s = 0; s < d->ui.nstale; s++) {
        bool st = info.stale(info.ctx, s);
        char line[EVENTLOG_TEXT];

        if (st == (d->ui.stale[s] != 0))
            continue;
        snprintf(line, sizeof(line), "%s price %s",
                 book_symbol_name(d->book, s),
                 st ? "stale: no tick within --stale-after" : "fresh again");
        eventlog_add(&d->log, dash_wall_ms(), st ? ROLE_STALE : ROLE_GOOD,
                     line);
    }
    if (ui_note_stale(&d->ui, &info))
        d->dirty |= DIRTY_TABLE | DIRTY_HEADER | DIRTY_PANE;
    (void)ui_idle(&d->ui);
}

static void
dash_resized_cb(void *ctx)
{
    struct dash *d = ctx;

    term_resize(&d->rows, &d->cols);
    d->dirty |= DIRTY_ALL;
}

int
dash_start_handles(struct dash *d)
{
    static const struct screen_ops ops = {
        dash_dirty_cb,  dash_draw_cb,    dash_key_cb,
        dash_second_cb, dash_resized_cb, dash_gone_cb,
    };

    return screen_start(&d->scr, &d->loop, &ops, d);
}

int
dash_main(int argc, char **argv)
{
    struct dash_args da;
    struct dash *d;
    char err[512];
    bool stdin_feed = false, later;
    int status = CMD_EXIT_OK;

    /* --attach: a view over sharded workers, with no book here. */
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0)
            break;
        if (strcmp(argv[i], "--attach") == 0 ||
            strncmp(argv[i], "--attach=", 9) == 0)
            return attach_dash_main(argc, argv);
    }
    if ((status = dash_args_parse(&da, argc, argv)) >= 0) {
        dash_args_done(&da);
        return status;
    }
    status = CMD_EXIT_OK;
    d = calloc(1, sizeof(*d));
    if (d == NULL)
        liq_nomem();
    d->da = &da;
    for (size_t i = 0; i < da.nfeeds; i++)
        stdin_feed = stdin_feed || strcmp(da.feeds[i], "stdin") == 0;
    /*
     * A portfolio file on a terminal loads off the loop, behind a frame
     * that says how far it is. Otherwise (no terminal, the keys' terminal
     * fought over, the book on standard input, the demo) it loads first,
     * as before, so that a bad file is said before anything else.
     */
    later = da.o.portfolio != NULL && strcmp(da.o.portfolio, "-") != 0 &&
            !da.o.dup_positions && isatty(STDOUT_FILENO) &&
            !(stdin_feed && isatty(STDIN_FILENO));
    if (later) {
        /* nothing to load yet */
    } else if (da.o.portfolio != NULL) {
        d->book = cmd_common_load(&da.o, err, sizeof(err));
    } else {
        d->book = book_new();
        if (demo_load(d->book, err, sizeof(err)) != 0) {
            book_free(d->book);
            d->book = NULL;
        }
        if (da.nfeeds == 0)
            da.feeds[da.nfeeds++] = "sim";
    }
    if (!later && d->book == NULL) {
        status = dash_fail(err);
        goto out;
    }
    if (!isatty(STDOUT_FILENO)) {
        status = cmd_common_fail(
            NULL, "the dashboard needs a terminal; for scripts use "
                  "liqtop snapshot, or liqtop run --headless");
        goto out;
    }
    if (stdin_feed && isatty(STDIN_FILENO)) {
        /* Keys and lines would fight over the one terminal. */
        status = dash_fail(
            "--feed stdin: standard input is the terminal the keys come "
            "from; pipe the feed in (cmd | liqtop --feed stdin), or use "
            "liqtop run --headless --feed stdin");
        goto out;
    }
    if (!later)
        book_update(d->book);
    setlocale(LC_ALL, "");
    if (uv_loop_init(&d->loop) != 0) {
        status = dash_fail("cannot start the event loop");
        goto out;
    }
    dash_open_config(d);
    if (later) {
        if (dash_open_screen(d) != 0)
            status = CMD_EXIT_BAD;
        else if (dash_open_load(d) != 0) {
            term_stop();
            status = dash_fail("cannot start the loop");
        }
    } else {
        int rc = dash_open_book(d, NULL, NULL, err, sizeof(err));

        if (rc != 0)
            status = rc == 1 ? dash_fail(err) : cmd_common_fail(NULL, err);
        else if (dash_open_screen(d) != 0)
            status = CMD_EXIT_BAD;
        else if (app_start(&d->app) != 0) {
            term_stop();
            status = dash_fail("cannot start the loop");
        }
    }
    if (status != CMD_EXIT_OK)
        dash_stop(d);
    uv_run(&d->loop, UV_RUN_DEFAULT);
    term_stop();
    if (status == CMD_EXIT_OK && d->fail[0] != '\0')
        status =
            d->fail_raw ? dash_fail(d->fail) : cmd_common_fail(NULL, d->fail);
    /* As shells report a death by signal: 128 + its number. */
    if (status == CMD_EXIT_OK && d->app.signal != 0)
        status = 128 + d->app.signal;
    if (status == CMD_EXIT_OK && d->load.signal != 0)
        status = 128 + d->load.signal;
    if (status == CMD_EXIT_OK && d->hangup)
        status = 128 + SIGHUP;
    if (d->app_open)
        app_done(&d->app);
    if (d->app.record_error[0] != '\0' && status == CMD_EXIT_OK)
        status = cmd_common_fail(NULL, d->app.record_error);
    if (uv_loop_close(&d->loop) != 0)
        fputs("liqtop: event loop left handles open\n", stderr);
    ui_done(&d->ui);
    eventlog_done(&d->log);
    dash_work_done(&d->pic);
    dash_load_free(&d->load);
    frame_free(d->frame);
out:
    alerts_free(d->alerts);
    book_free(d->book);
    free(d);
    dash_args_done(&da);
    return status;
}
