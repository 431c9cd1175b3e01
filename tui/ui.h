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
#include "tui/input.h"
#include "tui/theme.h"

enum ui_mode { UI_TABLE, UI_DETAIL, UI_PREVIEW };
enum ui_sort { SORT_HEALTH, SORT_ID, SORT_COLL, SORT_DEBT, SORT_COUNT };
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
    char state[16];
    bool down; /* reconnecting, error, stale */
};

struct ui_info {
    int nfeeds;
    struct ui_feed feeds[UI_FEEDS_MAX];
    uint64_t ticks_per_sec;
    uint64_t newest_age_ms; /* UINT64_MAX: no tick yet */
    uint64_t rejected;
    const char *error; /* newest problem, may be NULL */
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
    /* Displayed rows. Live (health order, no filter, not held): row i is
     * book_rank_at(i) and nothing is copied, so a frame costs the same on
     * a million positions. Otherwise order holds a snapshot. */
    bool live;
    bool have_rows;
    uint32_t *order; /* owned */
    uint32_t norder;
    uint32_t caporder;

    bool redact;
    int theme;

    int pv_debt; /* leg index, -1: the largest */
    int pv_coll;
    int pv_field; /* 0: debt asset, 1: collateral asset */
    bool pv_has_repay;
    struct u256 pv_repay;
    bool pv_has_target;
    struct u256 pv_target;
    bool pv_avoid;

    /* Trend marks: the last health seen per position (64-bit key). */
    uint64_t *hf_seen;
    int8_t *trend;
    uint32_t ntrend;

    char msg[200];
    bool msg_error;
    uint64_t msg_until_ms;
};

void ui_init(struct ui *u, struct book *b);
void ui_done(struct ui *u);
/* Rebuild the displayed order from the book unless frozen or held. */
void ui_refresh(struct ui *u, uint64_t now_ms, bool force);
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
/* Show a message in the status line for a few seconds. */
void ui_message(struct ui *u, bool error, uint64_t now_ms, const char *text);
/* The position's largest debt or collateral leg by value, -1 when none;
 * the main collateral is the largest. */
int ui_largest_leg(struct book *b, uint32_t idx, bool debt);
int ui_main_collateral(struct book *b, uint32_t idx);
/* The trend of idx against what was last seen: -1, 0, +1 (updates it). */
int ui_trend(struct ui *u, uint32_t idx, const struct account *a);

#endif
