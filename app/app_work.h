/*
 * app_work.h: book updates off the loop thread (app_work.c). With it on, a
 * tick's price is held in the application layer (the latest per symbol)
 * and goes into the book when the loop settles; a settle whose update
 * would take longer than a frame (its cost: the holders of the symbols
 * that moved, or a hint) runs book_update() on a libuv worker thread,
 * while the loop keeps answering. Ticks arriving meanwhile are held and
 * applied in one more settle after the worker returns: none is lost.
 *
 * While app_work_busy() the book belongs to the worker: the loop thread
 * must neither read nor change it (the UI shows what it kept from before,
 * through the on_busy hook of struct app). Anything that must change the
 * book at once (a chain source's market or position, an oracle) calls
 * app_work_join() first, which waits for the worker.
 *
 * Owns struct app_work (a->work, freed by app_work_free). Internal to
 * app/: the headless run and the dashboard both drive struct app.
 */
#ifndef APP_WORK_H
#define APP_WORK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/app.h"

/* Holders to revalue from which an update leaves the loop: about a frame
 * on the machine measured (a holder revalued in about 0.1 us). */
#define APP_WORK_MIN_COST 200000

/* Turn the mode on for a (after app_init): updates costing min_cost
 * positions or more go off the loop (0: every update). Aborts on out of
 * memory. */
void app_work_enable(struct app *a, size_t min_cost);
/* Also run fn(ctx) on the worker, after book_update() and with the book
 * still the worker's (a UI's log of what the update changed): fn may
 * read the book and change only what the loop thread leaves alone while
 * app_work_busy(). NULL: nothing. */
void app_work_also(struct app *a, void (*fn)(void *ctx), void *ctx);
/* After app_done's loop has drained: release a->work (NULL is a no-op). */
void app_work_free(struct app *a);

/* Whether a worker holds the book now. */
bool app_work_busy(const struct app *a);
/* A tick: held as sym's latest price (true), or false when the mode is
 * off (then the caller sets it in the book). */
bool app_work_hold(struct app *a, uint32_t sym, struct u256 price_e18,
                   int64_t ts_ms);
/* The loop's settle, when no worker is busy: the held prices set in the
 * book; true when their update was sent off the loop (the settle is then
 * finished by app_settle_finish() when it returns), false when the caller
 * is to update the book itself, as without the mode. */
bool app_work_settle(struct app *a);
/* The book was changed directly (a what-if): its next update costs about
 * cost positions, and is due. */
void app_work_touch(struct app *a, size_t cost);
/* Wait for a busy worker and finish its settle now (a no-op when idle). */
void app_work_join(struct app *a);

/* Figures, for the status line and tests. */
struct app_work_stats {
    uint64_t offloaded;   /* updates run off the loop */
    uint64_t held_busy;   /* ticks held while a worker was busy */
    uint64_t held_now;    /* ticks held now, not yet in the book */
    size_t cost;          /* positions the busy (or last) update values */
    uint64_t last_ns;     /* the last off-loop update's duration */
    uint64_t last_cpu_ns; /* and its worker's CPU time */
    uint64_t busy_ticks;  /* ticks held during the current work */
};
void app_work_stats(const struct app *a, struct app_work_stats *out);

/* app.c: the end of a settle whose update ran off the loop (the UI told,
 * the alerts judge what moved). */
void app_settle_finish(struct app *a);

#endif
