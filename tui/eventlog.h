/*
 * eventlog.h: the dashboard's event log (design.md section 6): positions
 * entering and leaving risk tiers, bad debt appearing, feed state changes
 * and story chapters, and price moves beyond a threshold, each stamped with
 * its time, kept in a ring of the newest EVENTLOG_CAP entries while the book
 * moves. Also the price strip's reference: each symbol's first price.
 *
 * Owns struct eventlog and its arrays (eventlog_done frees them). The book
 * is borrowed. After each book_update(), eventlog_update() visits only the
 * holders of the symbols that update recomputed (book_symbol_holders), never
 * the whole book; only eventlog_init() and a book grown since look at every
 * position once. Pure: no curses, no clock (times are passed in).
 */
#ifndef EVENTLOG_H
#define EVENTLOG_H

#include <stdbool.h>
#include <stdint.h>

#include "core/book.h"
#include "tui/theme.h"

#define EVENTLOG_CAP 1000
#define EVENTLOG_TEXT 112
/* A price move of this many basis points from the last one logged. */
#define EVENTLOG_MOVE_BPS 200
/* At most this many tier changes are logged one by one per update; the
 * rest are summed up in one line. */
#define EVENTLOG_PER_UPDATE 24
/* A position going back and forth between two tiers, each change within
 * this long of its last, rewrites its entry ("wobbles between ...")
 * instead of adding one a change. */
#define EVENTLOG_WOBBLE_MS 10000

struct eventlog_entry {
    int64_t ts_ms;
    enum role role;
    char text[EVENTLOG_TEXT];
    /* a tier change: the position + 1 (0: another kind of entry), the
     * tiers it went from and to, its changes and the newest one's time */
    uint32_t pos;
    uint8_t from, to;
    uint32_t changes;
    int64_t last_ms;
};

struct eventlog {
    struct book *book; /* borrowed */
    struct eventlog_entry *ring;
    uint32_t n;      /* entries held, <= EVENTLOG_CAP */
    uint32_t head;   /* where the next goes */
    uint64_t total;  /* entries ever logged */
    uint32_t scroll; /* entries scrolled back from the newest */

    uint32_t npos;
    uint8_t *tier;  /* last tier seen per position, TIER_COUNT: no price */
    uint8_t *bad;   /* bad debt seen */
    uint64_t *last; /* per position: its newest tier entry's number + 1 */
    uint32_t nsym;
    uint32_t *gen;      /* book_symbol_generation last visited */
    struct u256 *first; /* the first price seen (the strip's change) */
    struct u256 *ref;   /* the price of the last move logged */
    bool *have;         /* a price seen */
    char story[64];     /* the last chapter logged */
};

void eventlog_init(struct eventlog *e, struct book *b);
void eventlog_done(struct eventlog *e);
/* Append one entry (text is copied, cut to fit). */
void eventlog_add(struct eventlog *e, int64_t ts_ms, enum role role,
                  const char *text);
/* Log what the last book_update() changed. */
void eventlog_update(struct eventlog *e, int64_t ts_ms);
/* Log a chapter of a scripted story when it differs from the last one
 * (NULL: the story is between chapters). */
void eventlog_story(struct eventlog *e, int64_t ts_ms, const char *chapter);
/* Entry i back from the newest (0: newest); NULL past the oldest kept. */
const struct eventlog_entry *eventlog_at(const struct eventlog *e, uint32_t i);
/* Symbol sym's change since the first price seen, in basis points; false
 * when it has no price or none was seen. */
bool eventlog_change_bps(const struct eventlog *e, uint32_t sym, int64_t *bps);

#endif
