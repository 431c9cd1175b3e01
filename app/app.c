/*
 * app.c: the libuv application: feeds in, ticks into the book, the book
 * settled once per loop turn, signals, recording, and an orderly shutdown
 * (stop feeds, close every handle, let the loop drain them).
 *
 * Owns struct app's handles. Never draws and never blocks: a UI learns of
 * changes through the hooks in struct app and renders in its own
 * uv_prepare.
 */
#include "app/app.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "app/alerts.h"
#include "app/app_accrue.h"
#include "app/app_chain.h"
#include "app/app_work.h"
#include "app/portfolio.h"
#include "app/snapshot.h"
#include "app/textout.h"
#include "core/decimal.h"
#include "core/liq.h"
#include "core/model.h"
#include "core/model_morpho.h"

static int64_t
app_wall_ms(void)
{
    struct timeval tv;

    gettimeofday(&tv, NULL);
    return (int64_t)tv.tv_sec * 1000 + tv.tv_usec / 1000;
}

static int
app_feed_index(const struct app *a, const struct feed *f)
{
    for (size_t i = 0; i < a->nfeeds; i++) {
        if (a->feeds[i] == f)
            return (int)i;
    }
    return -1;
}

static void app_settle_start(struct app *a);

void
app_wake(struct app *a)
{
    app_settle_start(a);
}

/* Move the per-second slots to the second of now. */
static void
app_rate_roll(struct app *a, uint64_t now)
{
    uint64_t sec = now / 1000;

    if (sec != a->rate_sec) {
        uint64_t shift = sec - a->rate_sec;

        if (shift >= APP_RATE_SLOTS || a->rate_sec == 0) {
            memset(a->rate_slot, 0, sizeof(a->rate_slot));
        } else {
            memmove(a->rate_slot + shift, a->rate_slot,
                    (APP_RATE_SLOTS - shift) * sizeof(a->rate_slot[0]));
            memset(a->rate_slot, 0, shift * sizeof(a->rate_slot[0]));
        }
        a->rate_sec = sec;
    }
}

static void
app_count_rate(struct app *a, uint64_t now)
{
    app_rate_roll(a, now);
    a->rate_slot[0]++;
}

/* One line, one write() (O_APPEND): whole on disk or not there. A tick
 * from a stream carries its entry's id ("stream_id"), from which the
 * stream can be read again. */
static void
app_record(struct app *a, const struct feed *f, const struct price_update *u,
           int64_t ts)
{
    struct price_update r = *u;
    char line[320];
    size_t n, off = 0;

    r.has_ts = true;
    r.ts_ms = ts;
    n = line_format(line, sizeof(line) - 1, &r);
    if (f->is_stream && f->stream_id[0] != '\0' && n > 0 &&
        n + sizeof(f->stream_id) + 16 < sizeof(line))
        n += (size_t)snprintf(line + n - 1, sizeof(line) - n,
                              ", \"stream_id\": \"%s\"}", f->stream_id) -
             1;
    line[n++] = '\n';
    while (off < n) {
        ssize_t w = write(a->record_fd, line + off, n - off);

        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            snprintf(a->record_error, sizeof(a->record_error),
                     "--record %.200s: %s after %llu lines; recording stopped",
                     a->opts.record_path, w < 0 ? strerror(errno) : "no space",
                     (unsigned long long)a->recorded);
            snprintf(a->error, sizeof(a->error), "%s", a->record_error);
            a->error_feed = -1;
            close(a->record_fd);
            a->record_fd = -1;
            return;
        }
        off += (size_t)w;
    }
    a->recorded++;
}

/* Gates at the clock: the book's gate clock set to now; the timer armed
 * for the next gate to open, in whole seconds of the wall clock. */
static void app_gate_cb(uv_timer_t *h);

static void
app_gate_arm(struct app *a)
{
    int64_t now_ms = app_wall_ms(), now = now_ms / 1000, next = INT64_MAX;

    book_gate_clock_set(a->book, now);
    if (!a->gate_timer_open)
        return;
    for (uint32_t i = 0; i < book_market_count(a->book); i++) {
        const struct market *m = book_market(a->book, i);
        /* on a chain's clock, a gate opens with the block that passes it */
        int64_t t = m->chain_clock ? INT64_MAX : model_gate_next(m, now);

        if (t < next)
            next = t;
    }
    if (next == INT64_MAX || next > INT64_MAX / 1000) {
        uv_timer_stop(&a->gate_timer);
        return;
    }
    /* at least a millisecond: a timer a hair early arms itself again */
    uv_timer_start(&a->gate_timer, app_gate_cb,
                   next * 1000 > now_ms ? (uint64_t)(next * 1000 - now_ms) : 1,
                   0);
}

/* A gate has opened: the positions of the markets with gates judged
 * again by the alerts (holders of their symbols), and the UI told. */
static void
app_gate_cb(uv_timer_t *h)
{
    struct app *a = h->data;
    uint32_t n = 0;
    uint32_t *syms;
    bool *seen;

    if (app_work_busy(a)) { /* the book is a worker's: look again soon */
        uv_timer_start(&a->gate_timer, app_gate_cb, 20, 0);
        return;
    }
    app_gate_arm(a);
    if (a->alerts != NULL && a->alerts_started) {
        syms = calloc(a->nsym ? a->nsym : 1, sizeof *syms);
        seen = calloc(a->nsym ? a->nsym : 1, sizeof *seen);
        if (syms == NULL || seen == NULL)
            liq_nomem();
        for (uint32_t i = 0; i < book_market_count(a->book); i++) {
            const struct market *m = book_market(a->book, i);

            if (!model_has_gates(m))
                continue;
            for (unsigned k = 0; k < m->nassets; k++) {
                uint32_t s = market_asset_price_sym(&m->assets[k]);

                if (s < a->nsym && !seen[s]) {
                    seen[s] = true;
                    syms[n++] = s;
                }
            }
        }
        alerts_tick(a->alerts, syms, n, app_wall_ms());
        free(syms);
        free(seen);
    }
    if (a->on_prices != NULL)
        a->on_prices(a);
}

/* Interest to the clock; the settle tells the alerts (the symbols'
 * generations moved) and the screen. */
static void
app_accrue_cb(uv_timer_t *h)
{
    struct app *a = h->data;
    char err[256] = "";

    app_work_join(a); /* the book is the loop's again */
    if (app_accrue(a, app_wall_ms() / 1000, err, sizeof err) > 0) {
        a->book_dirty = true;
        app_wake(a);
    }
    if (err[0] != '\0') {
        snprintf(a->error, sizeof(a->error), "%s", err);
        a->error_feed = -1;
        app_wake(a);
    }
}

static void app_settle_alerts(struct app *a);

/* The book brought up to date, and the alerts told what moved. With
 * updates off the loop (app_work.h) a long one is finished by
 * app_settle_finish() when its worker returns. */
static void
app_settle_book(struct app *a)
{
    if (app_work_busy(a))
        return; /* settled again after the worker */
    book_gate_clock_set(a->book, app_wall_ms() / 1000);
    if (app_work_settle(a))
        return;
    if (a->book_dirty) {
        a->book_dirty = false;
        book_update(a->book);
        if (a->on_prices != NULL)
            a->on_prices(a);
    }
    app_settle_alerts(a);
}

void
app_settle_finish(struct app *a)
{
    if (a->on_prices != NULL)
        a->on_prices(a);
    /* what the worker's judging found, in its order, after the UI heard
     * of the update (as on the loop), then what came meanwhile */
    if (a->alerts != NULL)
        alerts_flush(a->alerts);
    app_settle_alerts(a);
}

static void
app_settle_alerts(struct app *a)
{
    /* What the chain sources changed (a position read again, a market's
     * indexes, a Morpho oracle) moved no price: the symbols whose holders
     * the book recomputed say which positions the alerts look at. */
    for (uint32_t s = 0; a->alerts != NULL && s < a->nsym; s++) {
        uint32_t g = book_symbol_generation(a->book, s);

        if (g == a->sym[s].gen)
            continue;
        a->sym[s].gen = g;
        if (!a->sym[s].moved) {
            a->sym[s].moved = true;
            a->moved[a->nmoved++] = s;
        }
    }
    if (a->alerts != NULL && (a->nmoved > 0 || !a->alerts_started)) {
        a->alerts_started = true;
        alerts_tick(a->alerts, a->moved, a->nmoved,
                    a->newest_ts_ms ? a->newest_ts_ms : app_wall_ms());
    }
    for (uint32_t i = 0; i < a->nmoved; i++)
        a->sym[a->moved[i]].moved = false;
    a->nmoved = 0;
}

static void
app_update_cb(void *arg, struct feed *f, const struct price_update *u)
{
    struct app *a = arg;
    uint32_t sym;
    uint64_t now = uv_now(a->loop);
    int64_t ts = u->has_ts ? u->ts_ms : app_wall_ms();

    if (book_symbol_find(a->book, u->symbol, strlen(u->symbol), &sym) != 0 ||
        sym >= a->nsym) {
        a->rejected[LINE_UNKNOWN_SYMBOL]++;
        return;
    }
    /* Alerts see every price a symbol takes: a second tick of a symbol
     * within one loop turn settles the first (the book otherwise settles
     * once a turn, and only its last price would be judged); and the
     * book as loaded is judged before the first tick. */
    if (a->alerts != NULL && (a->sym[sym].moved || !a->alerts_started))
        app_settle_book(a);
    if (!app_work_hold(a, sym, u->price_e18, ts) &&
        book_price_set(a->book, sym, u->price_e18, ts) != 0) {
        a->rejected[LINE_BAD_PRICE]++;
        return;
    }
    a->ticks_applied++;
    a->sym[sym].seen = true;
    a->sym[sym].recv_ms = now;
    a->sym[sym].ts_ms = ts;
    a->sym[sym].source = app_feed_index(a, f);
    a->newest_recv_ms = now;
    a->newest_ts_ms = ts;
    if (!a->sym[sym].moved) {
        a->sym[sym].moved = true;
        a->moved[a->nmoved++] = sym;
    }
    app_count_rate(a, now);
    a->book_dirty = true;
    if (a->record_fd >= 0)
        app_record(a, f, u, ts);
    app_wake(a);
}

/* A market's own oracle price (the rpc: feed's Morpho markets): its
 * positions valued again with it. */
static void
app_oracle_cb(void *arg, struct feed *f, const struct oracle_update *u)
{
    struct app *a = arg;

    (void)f;
    app_work_join(a);
    if (book_update_oracle(a->book, u->market, u->raw) != 0) {
        a->rejected[LINE_UNKNOWN_SYMBOL]++;
        return;
    }
    a->ticks_applied++;
    a->book_dirty = true;
    app_wake(a);
}

static void
app_reject_cb(void *arg, struct feed *f, enum line_reject why)
{
    struct app *a = arg;

    if ((unsigned)why < LINE_REJECT_COUNT)
        a->rejected[why]++;
    snprintf(a->error, sizeof(a->error), "%.200s: line rejected (%s)", f->spec,
             line_reject_name(why));
    app_wake(a);
}

static void
app_state_cb(void *arg, struct feed *f)
{
    struct app *a = arg;

    if (f->error[0] != '\0') {
        snprintf(a->error, sizeof(a->error), "%s", f->error);
        a->error_feed = app_feed_index(a, f);
    } else if (f->state == FEED_LIVE && a->error_feed >= 0 &&
               a->error_feed == app_feed_index(a, f)) {
        a->error[0] = '\0'; /* that feed is back */
        a->error_feed = -1;
    }
    if (a->on_state != NULL)
        a->on_state(a);
    app_wake(a); /* the stop for --until-end is decided there */
}

static void
app_request_stop(struct app *a)
{
    if (a->stop_requested)
        return;
    a->stop_requested = true;
    if (a->on_stop != NULL)
        a->on_stop(a);
    else
        app_stop(a);
}

/* Once per loop turn after ticks: settle the book, tell the UI, and end a
 * bounded run when every feed is done. */
static void
app_settle_cb(uv_idle_t *h)
{
    struct app *a = h->data;

    uv_idle_stop(&a->settle);
    app_settle_book(a);
    if (a->opts.until_end && app_all_ended(a))
        app_request_stop(a);
}

/* SIGHUP: the alert rules read again; a bad file keeps the old rules.
 * New rules judge the whole book at once, tick or no tick (positions
 * already in a new rule's condition fire now, as at the start). */
static void
app_sighup_cb(uv_signal_t *h, int signum)
{
    struct app *a = h->data;
    char err[256];

    (void)signum;
    app_work_join(a); /* the alerts and the book are the loop's again */
    a->alerts_note_error =
        alerts_reload(a->alerts, a->alerts_path, err, sizeof(err)) != 0;
    if (a->alerts_note_error) {
        snprintf(a->error, sizeof(a->error), "alert rules kept: %s", err);
        snprintf(a->alerts_note, sizeof(a->alerts_note), "%s", a->error);
    } else {
        snprintf(a->alerts_note, sizeof(a->alerts_note),
                 "alert rules read again from %.280s", a->alerts_path);
        /* said first: a firing of the new rules then shows over it */
        if (a->on_state != NULL)
            a->on_state(a);
        if (a->alerts_started) {
            app_settle_book(a);
            alerts_tick(a->alerts, NULL, 0,
                        a->newest_ts_ms ? a->newest_ts_ms : app_wall_ms());
        }
    }
    if (a->on_state != NULL)
        a->on_state(a);
}

static void
app_signal_cb(uv_signal_t *h, int signum)
{
    struct app *a = h->data;

    a->signal = signum;
    app_request_stop(a);
}

int
app_init(struct app *a, uv_loop_t *loop, struct book *book,
         const struct app_opts *opts, char *err, size_t errlen)
{
    memset(a, 0, sizeof(*a));
    a->loop = loop;
    a->book = book;
    a->opts = *opts;
    if (a->opts.stale_after_ms == 0)
        a->opts.stale_after_ms = 60000;
    if (a->opts.accrue_ms == 0)
        a->opts.accrue_ms = APP_ACCRUE_MS;
    a->nsym = book_symbol_count(book);
    a->sym = calloc(a->nsym ? a->nsym : 1, sizeof(*a->sym));
    a->moved = calloc(a->nsym ? a->nsym : 1, sizeof(*a->moved));
    if (a->sym == NULL || a->moved == NULL)
        liq_nomem();
    for (uint32_t i = 0; i < a->nsym; i++) {
        a->sym[i].source = -1;
        a->sym[i].gen = book_symbol_generation(book, i);
    }
    a->record_fd = -1;
    a->error_feed = -1;
    if (opts->record_path != NULL) {
        a->record_fd = open(opts->record_path,
                            O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
        if (a->record_fd < 0) {
            snprintf(err, errlen, "--record %s: %s", opts->record_path,
                     strerror(errno));
            free(a->sym);
            free(a->moved);
            a->sym = NULL;
            a->moved = NULL;
            return LIQ_EIO;
        }
    }
    return 0;
}

int
app_add_feed(struct app *a, const char *spec, char *err, size_t errlen)
{
    struct feed_cbs cbs = {app_update_cb,         app_reject_cb,
                           app_state_cb,          a,
                           app_oracle_cb,         app_chain_market_cb,
                           app_chain_position_cb, app_chain_ids_cb};
    struct feed_env env;
    struct feed_symbol *syms;
    size_t n = 0;
    int rc;

    for (size_t i = 0; i < a->nfeeds; i++) {
        if (strcmp(spec, "stdin") == 0 &&
            strcmp(a->feeds[i]->spec, "stdin") == 0) {
            snprintf(err, errlen,
                     "--feed stdin: given twice (there is one "
                     "standard input)");
            return LIQ_EINVAL;
        }
    }
    if (a->nfeeds >= APP_FEEDS_MAX) {
        snprintf(err, errlen, "--feed %s: at most %d sources", spec,
                 APP_FEEDS_MAX);
        return LIQ_ELIMIT;
    }
    syms = calloc(a->nsym ? a->nsym : 1, sizeof(*syms));
    if (syms == NULL)
        liq_nomem();
    for (uint32_t i = 0; i < a->nsym; i++) {
        const char *name = book_symbol_name(a->book, i);

        if (!book_price_get(a->book, i, &syms[n].price_e18, NULL))
            continue;
        snprintf(syms[n].symbol, sizeof(syms[n].symbol), "%s", name);
        n++;
    }
    memset(&env, 0, sizeof(env));
    env.symbols = syms;
    env.nsymbols = n;
    env.bounded = a->opts.bounded;
    env.sim_steps = a->opts.sim_steps;
    env.portfolio = a->opts.portfolio;
    env.confirmations = a->opts.confirmations;
    rc = feed_new(&a->feeds[a->nfeeds], a->loop, spec, &cbs, &env, err, errlen);
    free(syms);
    if (rc != 0)
        return rc;
    a->nfeeds++;
    return 0;
}

int
app_start(struct app *a)
{
    int rc;

    uv_update_time(a->loop);
    a->started_ms = uv_now(a->loop);
    rc = uv_signal_init(a->loop, &a->sigint);
    if (rc == 0)
        rc = uv_signal_init(a->loop, &a->sigterm);
    if (rc == 0)
        rc = uv_idle_init(a->loop, &a->settle);
    if (rc != 0)
        return rc;
    a->handles_open = true;
    a->sigint.data = a->sigterm.data = a->settle.data = a;
    rc = uv_signal_start(&a->sigint, app_signal_cb, SIGINT);
    if (rc == 0)
        rc = uv_signal_start(&a->sigterm, app_signal_cb, SIGTERM);
    if (rc != 0)
        return rc;
    if (a->alerts != NULL && a->alerts_path != NULL &&
        uv_signal_init(a->loop, &a->sighup) == 0) {
        a->sighup.data = a;
        a->sighup_open = true;
        (void)uv_signal_start(&a->sighup, app_sighup_cb, SIGHUP);
    }
    for (size_t i = 0; i < a->nfeeds; i++) {
        rc = feed_start(a->feeds[i]);
        if (rc != 0) {
            feed_set_error(a->feeds[i], "start", rc);
            feed_set_state(a->feeds[i], FEED_ERROR);
        }
    }
    for (uint32_t i = 0; i < book_market_count(a->book); i++)
        if (model_has_gates(book_market(a->book, i)))
            a->gate_timer_open = true;
    if (a->gate_timer_open) {
        if (uv_timer_init(a->loop, &a->gate_timer) != 0)
            a->gate_timer_open = false;
        a->gate_timer.data = a;
    }
    app_gate_arm(a);
    for (uint32_t i = 0; i < book_market_count(a->book); i++)
        if (app_accrue_needed(book_market(a->book, i)))
            a->accrue_timer_open = true;
    if (a->accrue_timer_open) {
        if (uv_timer_init(a->loop, &a->accrue_timer) != 0)
            a->accrue_timer_open = false;
        a->accrue_timer.data = a;
        if (a->accrue_timer_open)
            uv_timer_start(&a->accrue_timer, app_accrue_cb, a->opts.accrue_ms,
                           a->opts.accrue_ms);
    }
    app_settle_start(a);
    return 0;
}

static void
app_settle_start(struct app *a)
{
    if (a->handles_open && !uv_is_closing((uv_handle_t *)&a->settle))
        uv_idle_start(&a->settle, app_settle_cb);
}

void
app_stop(struct app *a)
{
    a->stop_requested = true;
    app_work_join(a); /* the book is the loop's again before the end */
    if (a->alerts != NULL)
        alerts_stop(a->alerts);
    for (size_t i = 0; i < a->nfeeds; i++)
        feed_stop(a->feeds[i]);
    if (a->handles_open) {
        a->handles_open = false;
        uv_close((uv_handle_t *)&a->sigint, NULL);
        uv_close((uv_handle_t *)&a->sigterm, NULL);
        uv_close((uv_handle_t *)&a->settle, NULL);
    }
    if (a->sighup_open) {
        a->sighup_open = false;
        uv_close((uv_handle_t *)&a->sighup, NULL);
    }
    if (a->gate_timer_open) {
        a->gate_timer_open = false;
        uv_close((uv_handle_t *)&a->gate_timer, NULL);
    }
    if (a->accrue_timer_open) {
        a->accrue_timer_open = false;
        uv_close((uv_handle_t *)&a->accrue_timer, NULL);
    }
}

void
app_done(struct app *a)
{
    for (size_t i = 0; i < a->nfeeds; i++)
        feed_free(a->feeds[i]);
    a->nfeeds = 0;
    if (a->record_fd >= 0 && close(a->record_fd) != 0 &&
        a->record_error[0] == '\0')
        snprintf(a->record_error, sizeof(a->record_error),
                 "--record %.200s: %s", a->opts.record_path, strerror(errno));
    a->record_fd = -1;
    free(a->sym);
    free(a->moved);
    a->sym = NULL;
    a->moved = NULL;
    app_work_free(a);
}

bool
app_all_ended(const struct app *a)
{
    for (size_t i = 0; i < a->nfeeds; i++) {
        enum feed_state s = a->feeds[i]->state;

        if (s != FEED_ENDED && s != FEED_ERROR)
            return false;
    }
    return true;
}

uint64_t
app_symbol_age_ms(const struct app *a, uint32_t sym)
{
    uint64_t now = uv_now(a->loop);

    if (sym >= a->nsym || !a->sym[sym].seen)
        return UINT64_MAX;
    return now > a->sym[sym].recv_ms ? now - a->sym[sym].recv_ms : 0;
}

bool
app_symbol_is_stale(const struct app *a, uint32_t sym)
{
    uint64_t age = app_symbol_age_ms(a, sym);

    /* A price only from the portfolio file is as old as the run, and
     * stale once the run is older than the limit with feeds running. */
    if (age == UINT64_MAX)
        return a->nfeeds > 0 && a->newest_recv_ms > 0 &&
               uv_now(a->loop) - a->started_ms > a->opts.stale_after_ms;
    return age > a->opts.stale_after_ms;
}

const char *
app_feed_state(const struct app *a, size_t i)
{
    const struct feed *f = a->feeds[i];
    uint64_t now = uv_now(a->loop);

    if (f->state == FEED_LIVE && a->newest_recv_ms > 0 &&
        now - a->newest_recv_ms > a->opts.stale_after_ms)
        return "stale";
    return feed_state_name(f->state);
}

uint64_t
app_ticks_per_sec(struct app *a)
{
    uint64_t sum = 0;

    /* Whole seconds only: slot 0 is the second still being counted. */
    app_rate_roll(a, uv_now(a->loop));
    for (int i = 1; i < APP_RATE_SLOTS; i++)
        sum += a->rate_slot[i];
    return sum / (APP_RATE_SLOTS - 1);
}

uint64_t
app_rejected_total(const struct app *a)
{
    uint64_t n = 0;

    for (int i = 0; i < LINE_REJECT_COUNT; i++)
        n += a->rejected[i];
    return n;
}

int
app_report_json(struct app *a, FILE *out)
{
    fprintf(out, "{\"ticks_applied\": %llu, \"lines_rejected\": {",
            (unsigned long long)a->ticks_applied);
    for (int i = 0; i < LINE_REJECT_COUNT; i++)
        fprintf(out, "%s\"%s\": %llu", i ? ", " : "",
                line_reject_name((enum line_reject)i),
                (unsigned long long)a->rejected[i]);
    fputs("}, \"sources\": [", out);
    for (size_t i = 0; i < a->nfeeds; i++) {
        fputs(i ? ", {\"feed\": " : "{\"feed\": ", out);
        textout_json_str(out, a->feeds[i]->spec);
        fprintf(out, ", \"state\": \"%s\", \"reconnects\": %u",
                app_feed_state(a, i), a->feeds[i]->reconnects);
        /* chain feeds: the newest block applied (an extension) */
        if (a->feeds[i]->block != 0)
            fprintf(out,
                    ", \"block\": %llu, \"block_time\": %lld, "
                    "\"reorgs\": %u, \"deep_reorgs\": %u, "
                    "\"positions_read\": %llu",
                    (unsigned long long)a->feeds[i]->block,
                    (long long)a->feeds[i]->block_time, a->feeds[i]->reorgs,
                    a->feeds[i]->deep_reorgs,
                    (unsigned long long)a->feeds[i]->positions_read);
        /* stream feeds: the id of the last entry taken, from which a
         * restart (?from=ID) loses and repeats nothing */
        if (a->feeds[i]->is_stream) {
            fputs(", \"last_id\": ", out);
            if (a->feeds[i]->stream_id[0] != '\0')
                textout_json_str(out, a->feeds[i]->stream_id);
            else
                fputs("null", out);
        }
        /* The source's last problem, when it has one (an extension). */
        if (a->feeds[i]->error[0] != '\0') {
            fputs(", \"error\": ", out);
            textout_json_str(out, a->feeds[i]->error);
        }
        fputc('}', out);
    }
    /* The final feed prices, so that a fresh `snapshot --price` can be
     * checked against the snapshot below (an extension of design.md). */
    fputs("], \"prices\": {", out);
    bool first = true;
    for (uint32_t s = 0; s < book_symbol_count(a->book); s++) {
        struct u256 px;
        char buf[DECIMAL_BUF];
        if (!book_price_get(a->book, s, &px, NULL))
            continue;
        decimal_format(buf, sizeof buf, px, PRICE_DECIMALS);
        fputs(first ? "" : ", ", out);
        textout_json_str(out, book_symbol_name(a->book, s));
        fprintf(out, ": \"%s\"", buf);
        first = false;
    }
    fputs("}, ", out);
    /* What --record wrote, and whether it failed (an extension). */
    if (a->opts.record_path != NULL) {
        fputs("\"record\": {\"file\": ", out);
        textout_json_str(out, a->opts.record_path);
        fprintf(out, ", \"lines\": %llu, \"error\": ",
                (unsigned long long)a->recorded);
        if (a->record_error[0] != '\0')
            textout_json_str(out, a->record_error);
        else
            fputs("null", out);
        fputs("}, ", out);
    }
    if (a->alerts != NULL)
        alerts_report_json(a->alerts, out);
    fputs("\"snapshot\": ", out);
    if (snapshot_write(out, a->book, SNAPSHOT_JSON) != 0)
        return LIQ_EIO;
    fputs("}\n", out);
    return ferror(out) ? LIQ_EIO : 0;
}
