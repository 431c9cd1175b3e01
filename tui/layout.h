/*
 * layout.h: where each region of the screen goes for a terminal size, a
 * pure function so that every size down to 40x10 is unit-tested.
 *
 * Owns struct layout and the table's column set for a width: narrow
 * terminals drop columns (market, values, distance) before they squeeze
 * the ones that matter (id, health, tier).
 */
#ifndef LAYOUT_H
#define LAYOUT_H

#include <stdbool.h>

enum layout_col {
    COL_ID,
    COL_MARKET,
    COL_HEALTH,
    COL_TIER,
    COL_COLL,
    COL_DEBT,
    COL_LIQPRICE,
    COL_DIST,
    COL_TREND,
    COL_COUNT
};

struct layout_region {
    int row;
    int rows;
};

struct layout {
    int cols;
    int rows;
    struct layout_region header; /* 3 rows (the last the price strip), 2
                                  * when short, 1 when very short */
    struct layout_region table;  /* column heads + rows */
    struct layout_region pane;   /* detail or preview, rows 0 when closed */
    struct layout_region events; /* the event log below the table and pane,
                                  * rows 0 when too short for it */
    struct layout_region status; /* the last row */
    bool show[COL_COUNT];
    int width[COL_COUNT];
    int x[COL_COUNT];
};

#define LAYOUT_MIN_COLS 40
#define LAYOUT_MIN_ROWS 10

/* The layout for cols x rows (clamped to the minimum), with the detail
 * or preview pane open or not. */
void layout_compute(struct layout *l, int cols, int rows, bool pane_open);

#endif
