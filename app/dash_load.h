/*
 * dash_load.h: the dashboard's first load of its book, off the loop thread
 * (dash_load.c). A libuv worker reads the portfolio and its positions
 * file, values and ranks the book, and builds the table's index and the
 * event log's first look; meanwhile the loop draws a frame saying how far
 * the load is ("loading positions.jsonl: 2,310,000 positions..."),
 * answers q and the help, keeps the other keys for the book (applied in
 * order once it is there), and the signals. Feeds start after it (their
 * ticks wait in their pipe or socket meanwhile, as before).
 *
 * Owns struct dash_load: its handles (a timer and two signals, closed by
 * dash_load_stop or once the worker is back) and, until taken, what the
 * worker made (book, order, event log; dash_load_free releases what was
 * not taken). Between dash_load_start and the done hook, the loop thread
 * reads only the atomics; the rest is the worker's.
 */
#ifndef DASH_LOAD_H
#define DASH_LOAD_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <uv.h>

#include "app/cmd_common.h"
#include "core/book.h"
#include "core/book_order.h"
#include "tui/eventlog.h"
#include "tui/frame.h"
#include "tui/input.h"
#include "tui/layout.h"
#include "tui/ui.h"

#define DASH_LOAD_SHOW_MS 250 /* the progress redrawn at most 4 times a s */
#define DASH_LOAD_KEYS 256    /* keys kept for the book; more are dropped */

enum dash_load_stage {
    DASH_LOAD_READ,  /* the portfolio file */
    DASH_LOAD_LINES, /* its positions file */
    DASH_LOAD_VALUE, /* checked, valued and ranked */
    DASH_LOAD_INDEX, /* the table's orders and the event log's look */
    DASH_LOAD_DONE
};

struct dash_load {
    uv_loop_t *loop;
    const struct cmd_book_opts *o; /* borrowed (argv's strings) */
    uv_work_t req;
    uv_timer_t show;
    uv_signal_t sigint, sigterm;
    bool handles_open;
    bool in_flight; /* queued, its after callback not yet run */

    /* written by the worker, read by the loop at any time */
    _Atomic uint32_t positions;
    _Atomic int stage;
    atomic_bool stop; /* set by the loop: the worker gives up */

    /* the loop's: keys typed during the load, in order, for the book */
    int keys[DASH_LOAD_KEYS];
    int nkeys;
    uint32_t dropped; /* keys beyond DASH_LOAD_KEYS */

    uint32_t shown_positions; /* as last drawn */
    int shown_stage;
    int signal;          /* SIGINT or SIGTERM during the load, 0: none */
    uint64_t started_ns; /* uv_hrtime() when queued */
    uint64_t wall_ns;    /* how long the worker took, once back */
    uint64_t cpu_ns;     /* and its CPU time */

    /* the worker's results, the loop's once done() runs */
    struct book *book;
    struct book_order *ord;
    struct eventlog log;
    bool has_log;
    char err[512]; /* the failure, when book is NULL */

    /* loop-thread hooks: progress (redraw), stop (a signal), done (the
     * worker is back: book is NULL on failure or after a stop) */
    void *ctx;
    void (*on_show)(void *ctx);
    void (*on_stop)(void *ctx);
    void (*on_done)(void *ctx);
};

/* Start loading o's book on a worker (l zeroed first, the hooks set in
 * it after). 0, or a libuv error with nothing started. */
int dash_load_start(struct dash_load *l, uv_loop_t *loop,
                    const struct cmd_book_opts *o, void *ctx);
/* Whether the worker still has the load. */
bool dash_load_busy(const struct dash_load *l);
/* Tell the worker to give up at its next step, close the handles; the
 * done hook still runs (with no book) when it is back. */
void dash_load_stop(struct dash_load *l);
/* "loading FILE: N positions..." and the like, into buf. */
void dash_load_text(const struct dash_load *l, char *buf, size_t cap);
/* A key during the load. The help's own keys, and q or the help when no
 * key waits, are answered at once in u (a ui with no book yet):
 * DIRTY_QUIT or DIRTY_ALL. Any other key waits in l for the book (the
 * ones after it too, so that they keep their order): DIRTY_STATUS, or 0
 * when DASH_LOAD_KEYS wait already (the key dropped and counted). */
unsigned dash_load_key(struct dash_load *l, struct ui *u,
                       const struct keymap *km, int key, uint64_t now_ms);
/* The keys that waited, into keys (at most cap), their count returned;
 * none wait after. */
int dash_load_take_keys(struct dash_load *l, int *keys, int cap);
/* The loading screen into f, laid out by lay; u's help and message. */
void dash_load_draw(struct dash_load *l, struct frame *f,
                    const struct layout *lay, struct ui *u,
                    const struct keymap *km, uint64_t now_ms);
/* Release what was not taken (book, order, log); safe twice. */
void dash_load_free(struct dash_load *l);

#endif
