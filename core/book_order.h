/*
 * book_order.h: a filtered and sorted order of the book's positions, the
 * dashboard's rows when it shows less than the whole ranking or another
 * sort: health, id, collateral, debt or distance to liquidation, each
 * readable either way.
 *
 * The order is repaired, not rebuilt: book_order_sync() looks only at the
 * positions book_update() recomputed since the last sync (the holders of
 * the symbols whose generation moved, book_symbol_generation()), tests
 * them against the filter again and re-places them; the rest keep their
 * places. A filter that narrows the last one tests its matches only; a new
 * sort costs one sort of the matches (keys kept per sort, recomputed for
 * the positions that moved since), or, for collateral, debt and distance
 * with many matches, a repair of that sort's whole order kept from its
 * last use (the moved ones sorted alone and merged). Distance is the
 * table's: the main collateral's (p - lp) / p, exact. Pure: no I/O, no
 * clock.
 *
 * Owns struct book_order (book_order_new / book_order_free) and its
 * arrays; the book is borrowed and must outlive it.
 */
#ifndef BOOK_ORDER_H
#define BOOK_ORDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/book.h"
#include "core/health.h"
#include "core/u256.h"

enum book_order_sort {
    BOOK_ORDER_HEALTH, /* the ranking's order: health, ties by id */
    BOOK_ORDER_ID,     /* id, byte order */
    BOOK_ORDER_COLL,   /* collateral value, largest first */
    BOOK_ORDER_DEBT,   /* debt value, largest first */
    BOOK_ORDER_DIST,   /* distance to liquidation, nearest first */
    BOOK_ORDER_COUNT
};

#define BOOK_FILTER_TERMS 8
#define BOOK_FILTER_TEXT 48

/*
 * A filter: every term must hold. Plain words are a substring (any case)
 * of the id, the label, the market's id or one of the position's asset
 * symbols; market terms of the market's id; asset terms the exact symbol
 * (any case) of one of its legs. hf bounds leave out positions without a
 * price; a position without debt has an unbounded health. tiers: a bit per
 * enum tier (1u << TIER_*), 0 for any. stale: a leg's asset is among the
 * stale symbols (book_order_stale()).
 */
struct book_filter {
    int nwords;
    char word[BOOK_FILTER_TERMS][BOOK_FILTER_TEXT];
    int nmarkets;
    char market[BOOK_FILTER_TERMS][BOOK_FILTER_TEXT];
    int nassets;
    char asset[BOOK_FILTER_TERMS][BOOK_FILTER_TEXT];
    bool has_max, max_incl; /* hf < max, or <= */
    struct u256 max_wad;
    bool has_min, min_incl; /* hf > min, or >= */
    struct u256 min_wad;
    uint32_t tiers;
    bool stale;
};

struct book_order;

struct book_order *book_order_new(struct book *b);
void book_order_free(struct book_order *o);

/* Whether f keeps every position. */
bool book_filter_is_empty(const struct book_filter *f);
/* Whether every position f keeps, prev keeps too (f narrows prev). */
bool book_filter_narrows(const struct book_filter *f,
                         const struct book_filter *prev);

/* Set the filter (copied) and the sort; the order is current afterwards. */
void book_order_set(struct book_order *o, const struct book_filter *f,
                    enum book_order_sort sort);
/* Symbol sym's price is stale or not (for the filter's stale term); the
 * holders are tested again at the next sync when it changed (true). */
bool book_order_stale(struct book_order *o, uint32_t sym, bool stale);
/*
 * Bring the order up to date with the last book_update(): only the
 * positions it recomputed since the last sync are tested and moved.
 * Returns true when the order may have changed.
 */
bool book_order_sync(struct book_order *o);

/*
 * Recompute up to budget keys of the sorts by collateral, debt and
 * distance that the positions' moves left old, so that switching to one
 * costs its sort alone; returns how many were recomputed (0: all current).
 * The moves it takes are followed by the rows at the next sync (one build
 * of the order). For the loop's quiet moments: no call is needed for
 * correctness.
 */
size_t book_order_refresh(struct book_order *o, size_t budget);
/* The whole book's order under collateral, debt and distance made now
 * (every key brought up to date first), so that the first use of each is
 * a repair rather than a sort of every position: a start-up cost. */
void book_order_prepare_sorts(struct book_order *o);

/* Rows: the matching positions in the sort's order, or reversed. */
uint32_t book_order_count(const struct book_order *o);
uint32_t book_order_at(const struct book_order *o, uint32_t row, bool reverse);
/* The row of position idx; false when it does not match. A binary search
 * by its key. */
bool book_order_row_of(const struct book_order *o, uint32_t idx, bool reverse,
                       uint32_t *row);

/*
 * The same from scratch, for tests and the benchmark's rescan way: whether
 * idx passes the order's filter now, and <0, 0, >0 as x goes before, with
 * or after y in its sort now (computed afresh, no cached key).
 */
bool book_order_matches(const struct book_order *o, uint32_t idx);
int book_order_cmp(const struct book_order *o, uint32_t x, uint32_t y);
/*
 * For tests: the figures idx's distance key is made from now, its main
 * collateral's liquidation price (*exists false: none), as the order has
 * it: kept from the last key, worked out from the account's sums, or
 * searched. False where the key needs none (no price, no debt, no
 * collateral, a health of zero).
 */
bool book_order_liqprice(const struct book_order *o, uint32_t idx, bool *exists,
                         struct u256 *lp);

#endif
