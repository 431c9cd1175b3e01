/*
 * dash_open.c: the dashboard's opening: its configuration, the book made
 * ready for the screen (the alerts, the application and its feeds, the
 * ui), the terminal started, and the first load off the loop with what
 * follows it (dash_load.h).
 *
 * Owns no state of its own (struct dash is dash_int.h's); never draws, and
 * reads a book only once its load is back.
 */
#include <stdio.h>
#include <string.h>

#include "app/alerts.h"
#include "app/app_work.h"
#include "app/cmd_common.h"
#include "app/dash_int.h"
#include "app/themefile.h"
#include "core/preview.h"
#include "tui/fmt.h"
#include "tui/term.h"

/*
 * The opening selection: the lowest-ranked liquidatable position that a
 * partial call brings back to the target health (the preview's first line
 * then shows what liqtop is for); the top row when none does. Looks at the
 * first 64 ranks only, so a large book starts as fast.
 */
static void
dash_open_select(struct dash *d)
{
    uint32_t n = book_position_count(d->book);

    for (uint32_t r = 0; r < n && r < 64; r++) {
        uint32_t idx = book_rank_at(d->book, r);
        struct account a;
        struct position p;
        struct preview_req req;
        struct preview pv;
        struct u256 price[MARKET_ASSETS_MAX];
        uint32_t missing = 0;

        if (idx == UINT32_MAX || !book_read_account(d->book, idx, &a) ||
            !a.liquidatable)
            continue;
        book_position_get(d->book, idx, &p);
        book_prices_base(d->book, p.market, price, &missing);
        memset(&req, 0, sizeof(req));
        req.debt = req.coll = -1;
        if (missing != 0 || preview_compute(book_market(d->book, p.market), &p,
                                            price, &req, &pv) != 0)
            continue;
        if (pv.has_to_target && pv.reason == REASON_NONE) {
            snprintf(d->ui.selected, sizeof(d->ui.selected), "%s", p.id);
            return;
        }
    }
}

/* After the load or a failure there: the message said once the screen
 * is restored, the exit status 2 (design.md 7: a bad file at start ends
 * the run with its message, as before the screen started). */
static void
dash_open_fail_later(struct dash *d, const char *msg, bool raw)
{
    snprintf(d->fail, sizeof(d->fail), "%s", msg);
    d->fail_raw = raw;
    dash_stop(d);
}

/* The configuration: the keys, the theme's name, the health target (into
 * d->ui, kept over ui_init by dash_open); a bad one said at start. */
void
dash_open_config(struct dash *d)
{
    input_defaults(&d->km);
    (void)themefile_config(&d->km, d->cfg_theme, sizeof(d->cfg_theme),
                           d->cfg_err, sizeof(d->cfg_err));
    /* The target: the flag's, else the config's (a bad one said in the
     * status line, as a bad key is). */
    d->ui.has_target_opt = d->da->has_target;
    d->ui.target_opt = d->da->target;
    if (!d->da->has_target && d->cfg_err[0] == '\0')
        (void)themefile_config_target(&d->ui.target_opt, &d->ui.has_target_opt,
                                      d->cfg_err, sizeof(d->cfg_err));
}

/*
 * The book is here (d->book): the alerts, the application and its feeds,
 * the ui over the book, with ord and log as the load made them (NULL: made
 * here). What the loop set in d->ui before (theme, target, message, the
 * help) is kept. 0, or the failure's message in err: 1 to say as it is,
 * 2 sanitized.
 */
int
dash_open_book(struct dash *d, struct book_order *ord, struct eventlog *log,
               char *err, size_t errlen)
{
    struct dash_args *da = d->da;
    struct ui keep = d->ui;

    da->ao.portfolio = da->o.portfolio;
    if (da->alerts_path != NULL &&
        alerts_load(&d->alerts, &d->loop, d->book, da->alerts_path, err,
                    errlen) != 0)
        return 2;
    if (app_init(&d->app, &d->loop, d->book, &da->ao, err, errlen) != 0)
        return 1;
    d->app_open = true;
    if (d->alerts != NULL) {
        d->app.alerts = d->alerts;
        alerts_set_busy(d->alerts, dash_book_busy, &d->app);
        d->app.alerts_path = da->alerts_path;
        (void)alerts_add_listener(d->alerts, dash_alert_cb, d);
        if (alerts_start(d->alerts) != 0) {
            snprintf(err, errlen, "cannot start the alerts");
            return 2;
        }
    }
    for (size_t i = 0; i < da->nfeeds; i++)
        if (app_add_feed(&d->app, da->feeds[i], err, errlen) != 0)
            return 1;
    d->app.ui = d;
    d->app.on_prices = dash_prices_cb;
    d->app.on_state = dash_state_cb;
    d->app.on_stop = dash_app_stop_cb;
    d->app.on_busy = dash_busy_cb;
    app_work_enable(&d->app, APP_WORK_MIN_COST);
    app_work_also(&d->app, dash_work_log, d);
    ui_init(&d->ui, d->book);
    d->ui.theme = keep.theme;
    d->ui.has_target_opt = keep.has_target_opt;
    d->ui.target_opt = keep.target_opt;
    memcpy(d->ui.msg, keep.msg, sizeof(d->ui.msg));
    d->ui.msg_error = keep.msg_error;
    d->ui.msg_until_ms = keep.msg_until_ms;
    d->ui.help = keep.help;
    d->ui.help_top = keep.help_top;
    memcpy(d->ui.help_search, keep.help_search, sizeof(d->ui.help_search));
    if (keep.edit == EDIT_HELP) {
        d->ui.edit = EDIT_HELP;
        memcpy(d->ui.edit_buf, keep.edit_buf, sizeof(d->ui.edit_buf));
    }
    d->ui.ord = ord; /* the load's, or made here */
    if (ord == NULL)
        ui_prepare(&d->ui);
    dash_open_select(d);
    if (log != NULL)
        d->log = *log;
    else
        eventlog_init(&d->log, d->book);
    d->ui.log = &d->log;
    for (int i = 0; i < UI_FEEDS_MAX; i++)
        d->logged_state[i] = FEED_CONNECTING;
    {
        struct ui_info info;

        dash_info(d, &info);
        (void)ui_note_stale(&d->ui, &info);
    }
    /* The alerts' first judging visits every position: off the loop on
     * a large book, as an update of that size would be. */
    if (d->alerts != NULL)
        app_work_touch(&d->app, book_position_count(d->book));
    return 0;
}

/* The terminal: started, themed, its handles on the loop. 0, or -1 with
 * the failure said. */
int
dash_open_screen(struct dash *d)
{
    const char *tn = d->da->theme != NULL      ? d->da->theme
                     : d->cfg_theme[0] != '\0' ? d->cfg_theme
                                               : "dark";
    char from[600] = "--theme";

    term_crash_restore();
    if (!term_start()) {
        dash_fail("cannot set up the terminal");
        return -1;
    }
    for (int i = 0; i < THEME_BUILTIN_COUNT; i++) {
        if (strcmp(theme_builtin_name(i), tn) == 0)
            d->ui.theme = i;
    }
    if (d->da->theme == NULL && d->cfg_theme[0] != '\0') {
        /* Blame the config file, not a flag never given. */
        char cfg[512];
        if (themefile_config_path(cfg, sizeof(cfg)))
            snprintf(from, sizeof(from), "%s: theme", cfg);
        else
            snprintf(from, sizeof(from), "config.json: theme");
    }
    dash_theme(d, tn, from);
    if (d->cfg_err[0] != '\0')
        ui_message(&d->ui, true, uv_now(&d->loop), d->cfg_err);
    term_resize(&d->rows, &d->cols);
    d->dirty = DIRTY_ALL;
    if (dash_start_handles(d) != 0) {
        term_stop();
        dash_fail("cannot start the loop");
        return -1;
    }
    return 0;
}

static void
dash_open_show(void *ctx)
{
    struct dash *d = ctx;

    d->dirty |= DIRTY_ALL;
}

static void
dash_open_quit(void *ctx)
{
    dash_stop(ctx);
}

/* The load's worker is back: the book opened and the feeds started, or
 * the load's failure said (after the screen). */
static void
dash_open_done(void *ctx)
{
    struct dash *d = ctx;
    struct dash_load *l = &d->load;
    char err[512];
    int rc;

    d->loading = false;
    d->dirty |= DIRTY_ALL;
    if (d->stopping)
        return; /* q or a signal: the load's results are freed */
    if (l->book == NULL) {
        dash_open_fail_later(d, l->err, true);
        return;
    }
    d->book = l->book;
    l->book = NULL;
    rc = dash_open_book(d, l->ord, &l->log, err, sizeof(err));
    if (rc != 0) { /* before the ui took them: the load frees them */
        dash_open_fail_later(d, err, rc == 1);
        return;
    }
    l->ord = NULL; /* d->ui's and d->log's now */
    l->has_log = false;
    {
        char n[32], note[200];

        fmt_count(n, sizeof(n), book_position_count(d->book));
        snprintf(note, sizeof(note),
                 "book loaded off the loop: %s positions in %llu ms (%llu ms "
                 "CPU)",
                 n, (unsigned long long)(l->wall_ns / 1000000),
                 (unsigned long long)(l->cpu_ns / 1000000));
        eventlog_add(&d->log, dash_wall_ms(), ROLE_DIM, note);
        if (d->ui.msg[0] == '\0')
            ui_message(&d->ui, false, uv_now(&d->loop), note);
    }
    if (app_start(&d->app) != 0) {
        dash_open_fail_later(d, "cannot start the loop", true);
        return;
    }
    /* the keys typed during the load, in order, now that the book is here */
    {
        int keys[DASH_LOAD_KEYS];
        int n = dash_load_take_keys(l, keys, DASH_LOAD_KEYS);

        for (int i = 0; i < n; i++)
            if (dash_key(d, keys[i]))
                break;
    }
}

int
dash_open_load(struct dash *d)
{
    d->loading = true;
    d->load.on_show = dash_open_show;
    d->load.on_stop = dash_open_quit;
    d->load.on_done = dash_open_done;
    if (dash_load_start(&d->load, &d->loop, &d->da->o, d) != 0) {
        d->loading = false;
        return -1;
    }
    return 0;
}
