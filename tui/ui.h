/*
 * ui.h: the dashboard's state and what keys do to it: the displayed order
 * (ranked, filtered, sorted, frozen or held while navigating), the
 * selection (a position id, not a row), the open pane, the preview's
 * choices, text being typed, redaction and the theme.
 *
 * Owns struct ui. Changes state and returns dirty bits; never draws and
 * knows no curses. The book is borrowed.
 */
#ifndef UI_H
#define UI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/book.h"
#include "core/book_order.h"
#include "tui/input.h"
#include "tui/layout.h"
#include "tui/theme.h"

struct eventlog;

enum ui_mode { UI_TABLE, UI_DETAIL, UI_PREVIEW };
/* The same order as enum book_order_sort. */
enum ui_sort {
    SORT_HEALTH,
    SORT_ID,
    SORT_COLL,
    SORT_DEBT,
    SORT_DIST,
    SORT_COUNT
};
enum ui_edit {
    EDIT_NONE,
    EDIT_FILTER,
    EDIT_AMOUNT,
    EDIT_TARGET,
    EDIT_HELP,
    EDIT_SCENARIO
};

enum ui_dirty {
    DIRTY_HEADER = 1,
    DIRTY_TABLE = 2,
    DIRTY_PANE = 4,
    DIRTY_STATUS = 8,
    DIRTY_ALL = 15,
    DIRTY_QUIT = 16,  /* the user asked to quit */
    DIRTY_THEME = 32, /* the theme changed: colours must be set up again */
    DIRTY_BOOK = 64   /* a what-if changed prices: update the book */
};

#define UI_FEEDS_MAX 16
#define UI_HOLD_MS 1500 /* ranks hold still this long after navigation */

/* What the loop tells the views each frame (plain data, no libuv). */
struct ui_feed {
    char name[40];
    char state[40]; /* "live", or "live #BLOCK AGEs" for a chain feed */
    bool down;      /* reconnecting, error, stale */
};

struct ui_info {
    int nfeeds;
    struct ui_feed feeds[UI_FEEDS_MAX];
    uint64_t ticks_per_sec;
    uint64_t newest_age_ms; /* UINT64_MAX: no tick yet */
    uint64_t rejected;
    const char *error; /* newest problem, may be NULL */
    const char *fault; /* a lasting failure (the recorder), may be NULL */
    /* Per-symbol age and staleness, from the loop. */
    uint64_t (*age_ms)(void *ctx, uint32_t sym);
    bool (*stale)(void *ctx, uint32_t sym);
    void *ctx;
};

struct ui {
    struct book *book; /* borrowed */
    enum ui_mode mode;
    bool help;
    enum ui_edit edit;
    char edit_buf[64];
    char filter[64];
    char help_search[32];
    int help_top; /* first help entry shown (the list scrolls) */

    char selected[128]; /* the selected position's id, "" none */
    uint32_t top;       /* first displayed row */
    uint32_t page;      /* rows the table shows (set by the view) */
    bool frozen;
    uint64_t hold_until_ms;
    enum ui_sort sort;
    bool reverse;           /* the sort read the other way */
    struct book_filter flt; /* filter parsed */
    /* Displayed rows. Live (health order, no filter, not held): row i is
     * book_rank_at(i) and nothing is copied, so a frame costs the same on
     * a million positions. With a filter or another sort, ord: an order
     * repaired from the positions each update recomputed (never rescanned
     * per key or frame), held still by not syncing it. Live but held or
     * frozen: order holds a snapshot. */
    bool live;
    bool use_ord;
    bool ord_ok;
    bool have_rows;
    struct book_order *ord; /* owned */
    uint32_t *order;        /* owned */
    uint32_t norder;
    uint32_t caporder;

    bool redact;
    int theme;

    /* The event log drawn below the table (borrowed, NULL: none) and how
     * each symbol's price stood at the last ui_note_stale (1 stale), for
     * the rows' marks and the price strip. */
    struct eventlog *log;
    uint8_t *stale;
    uint32_t nstale;

    int pv_debt; /* leg index, -1: the largest */
    int pv_coll;
    int pv_field; /* 0: debt asset, 1: collateral asset */
    bool pv_has_repay;
    struct u256 pv_repay;
    bool pv_has_target; /* typed in the preview (h): every market's */
    struct u256 pv_target;
    /* --target-health or the config's target_health: the target of
     * markets without one of their own (Aave v4 has its own). */
    bool has_target_opt;
    struct u256 target_opt;
    bool pv_avoid;

    /* Trend marks: the last health seen per position (64-bit key). */
    uint64_t *hf_seen;
    int8_t *trend;
    uint32_t ntrend;

    char msg[512];
    bool msg_error;
    uint64_t msg_until_ms;
};

void ui_init(struct ui *u, struct book *b);
void ui_done(struct ui *u);
/* Build the filtered and sorted order's index ahead of the first key (on a
 * million positions a few hundred ms, better spent at start). */
void ui_prepare(struct ui *u);
/* Tell the filter and the rows' marks which symbols' prices are stale now
 * (info->stale); true when one changed (the rows and the header must be
 * drawn again). */
bool ui_note_stale(struct ui *u, const struct ui_info *info);
/* Quiet moments: bring up to date some of the other sorts' keys that
 * price moves left old. Returns false when there was nothing to do. */
bool ui_idle(struct ui *u);
/* Bring the displayed order up to date with the book unless frozen or
 * held (force: even then, and the filter or sort changed). Returns false
 * when the rows cannot have changed. */
bool ui_refresh(struct ui *u, uint64_t now_ms, bool force);
/* Apply filter text (the filter language of tui/filter.h); false, with a
 * message and the filter unchanged, when it does not parse. */
bool ui_set_filter(struct ui *u, const char *text, uint64_t now_ms);
/* The position shown on row i (< u->norder). */
uint32_t ui_row(struct ui *u, uint32_t i);
/* The row of the selected position, false when it is not shown. */
bool ui_selected_row(struct ui *u, uint32_t *row);
/* The selected position's index, false when none. */
bool ui_selected(const struct ui *u, uint32_t *idx);
/* Apply a key (already mapped to act; key is the raw code, for typing).
 * Returns DIRTY_* bits. */
unsigned ui_key(struct ui *u, const struct keymap *km, int key,
                uint64_t now_ms);
/* A mouse event on the screen laid out as l: a click on a row selects
 * it, on a column head sorts by that column (again: reversed), the wheel
 * scrolls three rows. Returns DIRTY_* bits. */
unsigned ui_mouse(struct ui *u, const struct layout *l,
                  const struct input_mouse *ev, uint64_t now_ms);
/* The sort's name: "health", "id", "collateral", "debt", "distance". */
const char *ui_sort_name(enum ui_sort s);
/* Show a message in the status line for a few seconds. */
void ui_message(struct ui *u, bool error, uint64_t now_ms, const char *text);
/* A valid entry took the place of a bad one: its error message goes. */
void ui_message_clear_error(struct ui *u);
/* The position's largest debt or collateral leg by value, -1 when none;
 * the main collateral is the largest. */
int ui_largest_leg(struct book *b, uint32_t idx, bool debt);
int ui_main_collateral(struct book *b, uint32_t idx);
/* The trend of idx against what was last seen: -1, 0, +1 (updates it). */
int ui_trend(struct ui *u, uint32_t idx, const struct account *a);

#endif
