/*
 * app.h: the single-threaded libuv application: one loop owns the book,
 * the feeds, per-symbol staleness, recording and the signals.
 *
 * Owns struct app and every handle in it (embedded, closed by app_stop,
 * released once the loop has run their close callbacks). Callbacks only
 * change state: ticks go into the book and a UI is told through
 * on_prices, which must only set dirty bits. The headless run and the
 * dashboard drive the same struct.
 */
#ifndef APP_H
#define APP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <uv.h>

#include "core/book.h"
#include "feeds/feed.h"

#define APP_FEEDS_MAX 16
#define APP_RATE_SLOTS 5 /* ticks per second averaged over 5 s */

/* Per symbol: where and when its last good price came from. */
struct app_symbol {
    bool seen;
    bool moved;       /* in moved[] since the last settle */
    uint32_t gen;     /* book_symbol_generation as the alerts last saw it */
    uint64_t recv_ms; /* uv_now() when applied */
    int64_t ts_ms;    /* the line's ts, or wall clock at receipt */
    int source;       /* index of the feed, -1: the portfolio file */
};

struct app_opts {
    uint64_t stale_after_ms; /* 60000 by default */
    bool until_end;          /* stop when every feed has ended */
    bool bounded;            /* sim runs a fixed number of steps */
    uint32_t sim_steps;      /* for bounded sim, 0: the default */
    const char *record_path; /* --record FILE, or NULL */
    const char *portfolio;   /* the portfolio file, for rpc: feeds */
    uint32_t confirmations;  /* --confirmations N (rpc: feeds) */
    uint64_t accrue_ms;      /* --accrue-every; 0: APP_ACCRUE_MS */
};

struct app {
    uv_loop_t *loop;   /* borrowed */
    struct book *book; /* borrowed */
    struct app_opts opts;

    struct feed *feeds[APP_FEEDS_MAX];
    size_t nfeeds;

    uv_signal_t sigint;
    uv_signal_t sigterm;
    uv_idle_t settle; /* brings the book up to date once per loop turn */
    bool handles_open;

    struct app_symbol *sym; /* indexed by book symbol id */
    uint32_t nsym;

    uint64_t ticks_applied;
    uint64_t rejected[LINE_REJECT_COUNT];
    uint64_t newest_recv_ms; /* uv_now() of the newest tick, 0: none */
    uint64_t started_ms;     /* uv_now() when app_start ran */
    uint64_t rate_slot[APP_RATE_SLOTS];
    uint64_t rate_sec; /* the second rate_slot[0] counts */
    bool book_dirty;   /* prices set since the last book_update */

    /* --record: one write() a line on an O_APPEND descriptor, so that a
     * line is whole on disk or absent, and two recorders of one file never
     * interleave inside a line. A failed write stops the recording and is
     * kept in record_error (status line, report, exit status). */
    int record_fd;          /* owned; -1 when not recording */
    uint64_t recorded;      /* lines written whole */
    char record_error[320]; /* "" while every write succeeded */

    /* Alerts (app/alerts.h), borrowed, NULL without --alerts: told after
     * each settle which symbols moved, at the newest tick's ts. */
    struct alerts *alerts;
    const char *alerts_path; /* reread on SIGHUP (borrowed), or NULL */
    uv_signal_t sighup;
    bool sighup_open;
    uint32_t *moved; /* symbols moved since the last settle */
    uint32_t nmoved;
    int64_t newest_ts_ms;
    bool alerts_started;

    /* Gates follow the clock (design.md 3.1: the dashboard uses the
     * clock): the book judges them at the wall clock from every settle,
     * and this timer wakes the loop when the next one opens (a grace
     * period's end), so that the alerts and the screen see it then. */
    uv_timer_t gate_timer;
    bool gate_timer_open;
    /* Interest follows the clock too: every APP_ACCRUE_MS the markets
     * whose as_of is the clock's are accrued to it (app/app_accrue.c). */
    uv_timer_t accrue_timer;
    bool accrue_timer_open;

    char error[320]; /* the newest problem, for a status line; "" none */
    /* What the last SIGHUP did to the alert rules, for the dashboard's
     * status line (error: the old rules kept), until it takes it. */
    char alerts_note[320];
    bool alerts_note_error;
    int error_feed; /* the feed error[] came from, -1: none or not a feed */
    bool stop_requested;
    int signal; /* the signal that stopped it, 0: none */

    /* The UI hook: on_prices runs after a batch of ticks has been applied
     * and the book brought up to date; on_state when a feed's state
     * changes; on_stop when the run should end (signal, or every feed
     * ended with until_end). Each only sets dirty bits or flags. */
    void *ui;
    void (*on_prices)(struct app *a);
    void (*on_state)(struct app *a);
    void (*on_stop)(struct app *a);
    /* Book updates off the loop (app/app_work.h), NULL: all on it.
     * on_busy(a, true) runs just before a worker takes the book (the UI
     * keeps what it shows from it), on_busy(a, false) once it is back. */
    struct app_work *work;
    void (*on_busy)(struct app *a, bool busy);
};

/*
 * Prepare a on loop for book (both borrowed for a's life). Opens the
 * record file (message in err on failure: LIQ_EIO). No feed yet.
 */
int app_init(struct app *a, uv_loop_t *loop, struct book *book,
             const struct app_opts *opts, char *err, size_t errlen);
/* Add a source by its --feed text; LIQ_EINVAL with the message in err. */
int app_add_feed(struct app *a, const char *spec, char *err, size_t errlen);
/* Start the signals, the settle handle and every feed. */
int app_start(struct app *a);
/* Stop every feed and close every handle; uv_run then drains them. */
void app_stop(struct app *a);
/* After uv_run has returned from app_stop: free the feeds, close the
 * record file. The loop is the caller's to close. */
void app_done(struct app *a);

/* Make sure the book is settled and the UI told this loop turn (after a
 * change made from a callback). */
void app_wake(struct app *a);

/* Whether every feed has ended (or failed for good). */
bool app_all_ended(const struct app *a);
/* Age in ms of sym's last tick (UINT64_MAX when none). */
uint64_t app_symbol_age_ms(const struct app *a, uint32_t sym);
bool app_symbol_is_stale(const struct app *a, uint32_t sym);
/* Ticks per second over the last APP_RATE_SLOTS seconds. */
uint64_t app_ticks_per_sec(struct app *a);
/* Total rejected lines. */
uint64_t app_rejected_total(const struct app *a);

/* A feed's state as shown: "stale" for a live feed that has not ticked
 * for the stale limit, else feed_state_name(). */
const char *app_feed_state(const struct app *a, size_t i);

/* Write the --report json object (design.md section 5) to out. */
int app_report_json(struct app *a, FILE *out);

#endif
