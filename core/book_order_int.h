/*
 * book_order_int.h: the inside of struct book_order, shared by
 * book_order.c (the order: build, sync, reads), book_filter.c (what a
 * filter keeps) and book_order_key.c (keys, their comparison and the
 * sort). Nothing else includes it. Layered one way: book_order.c calls the
 * other two, which call neither it nor each other.
 */
#ifndef BOOK_ORDER_INT_H
#define BOOK_ORDER_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "core/book_int.h"
#include "core/book_order.h"

/* One placed position: its key in the sort, its id's rank (the tie), and
 * the position. Entries compare as (k, r) except where k is lossy. */
struct book_order_ent {
    uint64_t k;
    uint32_t r;
    uint32_t i;
};

struct book_order {
    struct book *b;
    struct book_filter f;
    bool empty;   /* f keeps every position */
    bool dynamic; /* f's answer may move with prices (hf, tiers) */
    enum book_order_sort sort;
    bool built;

    uint32_t npos; /* positions covered */
    uint32_t nsym;
    uint32_t *gen;     /* per symbol: the generation last seen */
    uint8_t *stale;    /* per symbol: stale now */
    uint8_t *stchg;    /* per symbol: stale changed since the last sync */
    bool anystchg;     /* some stchg is set */
    uint32_t *symbits; /* per symbol: bits of the terms its name passes */
    uint32_t *mktbits; /* per market */
    uint32_t nmkt;
    uint32_t emptygen; /* the book's emptygen when last built */

    uint32_t *idrank;                   /* per position: its rank by id */
    uint32_t *byid;                     /* the positions by id */
    uint64_t *kc[BOOK_ORDER_COUNT];     /* keys per sort (ID: none) */
    uint64_t *kstale[BOOK_ORDER_COUNT]; /* a bit a position: kc is old */
    uint64_t *in;                       /* a bit a position: matches */
    /* Collateral, debt and distance: the whole book's order as of its
     * last use (every position, the filter aside), and a bit a position
     * that moved since; the next build repairs it (the moved ones sorted
     * and merged) instead of sorting everything again. */
    struct book_order_ent *full[BOOK_ORDER_COUNT];
    uint64_t *fmv[BOOK_ORDER_COUNT];
    /* Distance: a bit a position whose key was worked out again since
     * full was made (its old key is then no longer the one full holds);
     * a moved position's first key, the same as full's and told apart by
     * the id's rank alone, keeps its place (its fmv bit cleared). */
    uint64_t *frefill;
    uint64_t *mark; /* a bit a position: moved now */
    /* Distance: a bit a position whose main collateral's liquidation
     * price is in lp, proven to hold at every price of that asset
     * (liqprice_search's fixed), with lpsym its price symbol, held by
     * no other leg of the position; the bit is cleared when any other
     * symbol of the position moves (bo_collect) or all is done again;
     * lpno: that answer is none (no price of it liquidates). */
    uint64_t *lpv;
    uint64_t *lpno;
    uint64_t *lp;
    uint32_t *lpsym;

    struct book_order_ent *ent, *ent2, *add, *tmp;
    uint32_t nent;
    uint32_t *mv;
    uint32_t nmv;
    uint32_t *cnt; /* the radix sort's counts (65,536; 6 x 2,048 used) */
    /* book_order_refresh took moves the rows have not followed: the next
     * sync or set builds the order again (and tests every position when
     * the filter's answer can move). */
    bool stale_rows;
};

/* Term bits in symbits and mktbits. */
#define BO_WORD(w) (1u << (w))
#define BO_ASSET(a) (1u << (8 + (a)))
#define BO_MARKET(m) (1u << (16 + (m)))
#define BO_STALE (1u << 24)

static inline bool
bo_bit(const uint64_t *m, uint32_t i)
{
    return (m[i / 64] >> (i % 64)) & 1;
}

static inline void
bo_set(uint64_t *m, uint32_t i, bool v)
{
    if (v)
        m[i / 64] |= 1ULL << (i % 64);
    else
        m[i / 64] &= ~(1ULL << (i % 64));
}

/* book_filter.c: the terms each symbol's and market's name passes
 * (symbits, mktbits), from o->f and the stale symbols; and whether idx
 * passes o->f now. */
void book_filter_names(struct book_order *o);
bool book_filter_match(const struct book_order *o, uint32_t idx);

/* book_order_key.c: idx's key under sort s from the book now; the exact
 * order of x and y under equal keys k; entries compared in full; n
 * entries of a sorted (tmp holds n more; o->cnt and o->ent2 are scratch),
 * returning a or tmp, whichever holds them. */
uint64_t book_order_key_of(const struct book_order *o, enum book_order_sort s,
                           uint32_t idx);
/* The old keys of idx among the sorts in `sorts` (a bit per enum
 * book_order_sort: collateral, debt, distance; those kept, their kstale
 * bit set) from one valuation; bits cleared. */
void book_order_key_fill(struct book_order *o, uint32_t idx, unsigned sorts);
/* book_order_liqprice's answer (book_order.h). */
bool book_order_key_liqprice(const struct book_order *o, uint32_t idx,
                             bool *exists, struct u256 *lp);
int book_order_key_tie(const struct book_order *o, enum book_order_sort s,
                       uint64_t k, uint32_t x, uint32_t y);
int book_order_key_cmp(const struct book_order *o,
                       const struct book_order_ent *x,
                       const struct book_order_ent *y);
struct book_order_ent *book_order_key_sort(const struct book_order *o,
                                           struct book_order_ent *a,
                                           struct book_order_ent *tmp,
                                           uint32_t n);

#endif
