/*
 * view_attach.h: the attached dashboard's screen (liqtop --attach): the
 * merged ranking of sharded workers, drawn from plain data the caller
 * fills in from Redis, since an attached view holds no book. The same
 * frame, layout, roles and tiers as the book's views (view.h).
 *
 * Owns this screen's look: a header with every worker's state and age and
 * the summed counts, the ranked rows, the preview pane holding the text
 * the worker that holds the position computed, a log of workers' state
 * changes, the status line and a short help. Never knows Redis or libuv.
 * Everything is borrowed for the call.
 */
#ifndef VIEW_ATTACH_H
#define VIEW_ATTACH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/health.h"
#include "core/u256.h"
#include "tui/frame.h"
#include "tui/layout.h"

struct attach_worker_info {
    const char *shard; /* "I/N" */
    const char *state; /* "live", "ended", "stale", "stopped", ... */
    bool down;         /* not live or ended */
    uint64_t age_ms;   /* since its heartbeat last moved */
};

/* A decimal figure as published, for display. */
struct attach_figure {
    bool known;
    struct u256 raw;
    unsigned decimals;
};

struct attach_row_info {
    const char *id, *label, *market, *shard;
    bool priced;    /* the worker could value it */
    bool has_debt;  /* hf holds its health */
    struct u256 hf; /* WAD */
    enum tier tier; /* as the worker's verdict and health give it */
    bool bad_debt;
    struct attach_figure coll, debt, lp;
    const char *lp_sym; /* the liquidation price's asset, NULL none */
};

struct attach_screen {
    const char *source; /* redis://HOST:PORT/PREFIX */
    bool link_up;       /* Redis answers */
    const struct attach_worker_info *workers;
    size_t nworkers;
    uint64_t total, liquidatable, at_risk, pre;
    bool complete; /* every shard publishes */
    const struct attach_row_info *rows;
    size_t nrows;
    size_t selected, top; /* top is brought to show the selection */
    uint32_t page;        /* set by the view: rows on the screen */
    bool redact;
    const char *pane_title; /* the preview pane, NULL closed */
    const char *pane_text;  /* lines of the worker's answer, or a note */
    const char *const *log; /* newest last */
    size_t nlog;
    const char *status; /* a message, NULL: the keys */
    bool status_error;
    bool help;
};

void view_attach_render(struct frame *f, const struct layout *l,
                        struct attach_screen *s);

#endif
