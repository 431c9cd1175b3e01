/*
 * layout.c: regions and table columns for a terminal size. Pure.
 *
 * Owns the priorities: id, health and tier always show; the liquidation
 * price next, then collateral, debt, distance, trend and market as the
 * width allows; the id column takes what is left.
 */
#include "tui/layout.h"

#include <string.h>

/* Fixed widths; COL_ID is elastic. */
static const int layout_width[COL_COUNT] = {
    [COL_ID] = 14,       [COL_MARKET] = 14, [COL_HEALTH] = 7,
    [COL_TIER] = 6,      [COL_COLL] = 10,   [COL_DEBT] = 10,
    [COL_LIQPRICE] = 15, [COL_DIST] = 7,    [COL_TREND] = 1,
};

/* Columns in the order they give way as the terminal narrows (last
 * listed goes first). */
static const enum layout_col layout_priority[COL_COUNT] = {
    COL_ID,   COL_HEALTH, COL_TIER,  COL_LIQPRICE, COL_DIST,
    COL_DEBT, COL_COLL,   COL_TREND, COL_MARKET};

/* Display order, left to right. */
static const enum layout_col layout_order[COL_COUNT] = {
    COL_ID,   COL_MARKET,   COL_HEALTH, COL_TIER, COL_COLL,
    COL_DEBT, COL_LIQPRICE, COL_DIST,   COL_TREND};

void
layout_compute(struct layout *l, int cols, int rows, bool pane_open)
{
    int used, x, n;

    memset(l, 0, sizeof(*l));
    if (cols < LAYOUT_MIN_COLS)
        cols = LAYOUT_MIN_COLS;
    if (rows < LAYOUT_MIN_ROWS)
        rows = LAYOUT_MIN_ROWS;
    l->cols = cols;
    l->rows = rows;
    l->header.row = 0;
    l->header.rows = rows >= 20 ? 3 : rows >= 16 ? 2 : 1;
    l->status.row = rows - 1;
    l->status.rows = 1;
    l->table.row = l->header.rows;
    n = rows - l->header.rows - 1;
    /* The event log: a quarter of what is left (4 to 10 rows) from 20
     * rows up with the table alone, 6 rows from 36 up beside a pane. */
    if (rows >= 20) {
        int ev = pane_open ? (rows >= 36 ? 6 : 0) : n / 4;

        ev = ev > 10 ? 10 : ev;
        if (ev >= 4) {
            l->events.rows = ev;
            l->events.row = rows - 1 - ev;
            n -= ev;
        }
    }
    if (pane_open) {
        /* The pane takes up to 60 % but leaves the table 3 rows. */
        int pane = n * 6 / 10;

        if (pane < 5)
            pane = n - 3;
        if (n - pane < 3)
            pane = n - 3;
        l->pane.rows = pane > 0 ? pane : 0;
        l->table.rows = n - l->pane.rows;
        l->pane.row = l->table.row + l->table.rows;
    } else {
        l->table.rows = n;
    }
    /* Take columns by priority while they fit (one space between). */
    used = 0;
    for (int i = 0; i < COL_COUNT; i++) {
        enum layout_col c = layout_priority[i];
        int w = layout_width[c] + (used > 0 ? 1 : 0);

        if (c == COL_ID)
            w = 10;
        if (used + w > cols)
            continue;
        l->show[c] = true;
        l->width[c] = c == COL_ID ? 10 : layout_width[c];
        used += w;
    }
    /* The id column grows into what is left, up to 40; then the market
     * column, up to 20, so wide terminals show whole labels and ids. */
    {
        int extra = cols - used, grow = extra > 30 ? 30 : extra;

        l->width[COL_ID] += grow;
        extra -= grow;
        if (l->show[COL_MARKET] && extra > 0)
            l->width[COL_MARKET] += extra > 6 ? 6 : extra;
    }
    x = 0;
    for (int i = 0; i < COL_COUNT; i++) {
        enum layout_col c = layout_order[i];

        if (!l->show[c])
            continue;
        l->x[c] = x;
        x += l->width[c] + 1;
    }
}
