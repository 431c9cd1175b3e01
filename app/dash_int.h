/*
 * dash_int.h: what the dashboard's files share (dash.c, dash_open.c):
 * struct dash, and the loop's callbacks dash_open.c wires up. Internal to
 * them; everyone else uses dash.h.
 *
 * struct dash is dash_main's (calloc'd, freed there with all it holds).
 */
#ifndef DASH_INT_H
#define DASH_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <uv.h>

#include "app/alerts.h"
#include "app/app.h"
#include "app/dash_args.h"
#include "app/dash_load.h"
#include "app/dash_work.h"
#include "app/screen.h"
#include "tui/eventlog.h"
#include "tui/frame.h"
#include "tui/input.h"
#include "tui/layout.h"
#include "tui/theme.h"
#include "tui/ui.h"

struct dash {
    uv_loop_t loop;
    struct app app;
    struct book *book;
    struct ui ui;
    struct keymap km;
    struct theme theme;
    struct layout layout;
    struct frame *frame;
    struct screen scr; /* keys, frames, the second, SIGWINCH */
    unsigned dirty;
    bool stopping;
    bool hangup; /* the terminal went away: exit as SIGHUP's death */
    int rows;
    int cols;
    uint64_t shown_age; /* the header's age and rate as last drawn */
    uint64_t shown_rate;
    struct alerts *alerts; /* --alerts, or NULL */
    struct eventlog log;
    enum feed_state logged_state[UI_FEEDS_MAX]; /* as the log last said */
    struct dash_pic pic;           /* while a worker updates the book */
    char work_note[EVENTLOG_TEXT]; /* the last such update, to be logged */
    bool log_updated;      /* the worker logged what the update changed */
    uint64_t work_now;     /* uv_now() as the worker took the book */
    struct dash_args *da;  /* the command line (dash_main's) */
    struct dash_load load; /* the first load, off the loop */
    bool loading;          /* its worker has it: no book nor app yet */
    bool app_open;         /* app_init done: app_done due */
    char cfg_theme[64];    /* the config's theme, "" none */
    char cfg_err[512];     /* a bad config, said in the status line */
    char fail[600];        /* a failure once the screen started */
    bool fail_raw;         /* said as it is (else sanitized) */
};

/* dash.c: the loop's side */
int64_t dash_wall_ms(void);
int dash_fail(const char *msg);
void dash_info(struct dash *d, struct ui_info *info);
void dash_stop(struct dash *d);
void dash_theme(struct dash *d, const char *name, const char *from);
bool dash_key(struct dash *d, int key);
int dash_start_handles(struct dash *d);
void dash_prices_cb(struct app *a);
void dash_state_cb(struct app *a);
void dash_app_stop_cb(struct app *a);
void dash_busy_cb(struct app *a, bool busy);
bool dash_book_busy(void *ctx);
void dash_alert_cb(void *ctx, const struct alerts_event *e);
void dash_work_log(void *ctx);

/* dash_open.c: the configuration (keys, theme name, health target) read */
void dash_open_config(struct dash *d);
/* The book d->book made ready: alerts, app and feeds, the ui (with ord
 * and log from the load, NULL: made here). 0, or the message in err: 1
 * said as it is, 2 sanitized. */
int dash_open_book(struct dash *d, struct book_order *ord, struct eventlog *log,
                   char *err, size_t errlen);
/* The terminal started and its handles on the loop; -1 with it said. */
int dash_open_screen(struct dash *d);
/* The first load of d->da's book on a worker, the screen up already; the
 * application starts once it is back. -1 when it cannot start. */
int dash_open_load(struct dash *d);

#endif
