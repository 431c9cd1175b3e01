/*
 * book_change.c: the book's path for what a chain source reads besides
 * prices: a position's new legs (or market view), and a market's new
 * state (interest indexes, Morpho's totals and rate, its as_of), each
 * valued again at once and the ranking repaired, as a price tick is.
 *
 * Sits beside the update (book_update.c) in book.h's layering: it calls
 * storage, valuation and ranking, never the views. Pure: no I/O, no
 * clock; the caller says what the chain holds.
 */
#include <stdlib.h>
#include <string.h>

#include "core/book.h"
#include "core/book_calc_int.h"
#include "core/book_int.h"
#include "core/liq.h"

/* The holders of market mi's symbols are looked at again by the
 * dashboard's orders (their generation moved). */
static void
book_change_touch(struct book *b, uint32_t mi)
{
    const struct market *m = b->mkt[mi];

    for (unsigned i = 0; i < m->nassets; i++)
        b->sym[market_asset_price_sym(&m->assets[i])].gen++;
}

int
book_position_set(struct book *b, uint32_t idx, const struct position *p)
{
    if (idx >= b->npos || p->market >= b->nmkt ||
        p->ncoll > POSITION_SIDE_MAX || p->ndebt > POSITION_SIDE_MAX)
        return LIQ_EINVAL;
    const struct market *m = b->mkt[p->market];
    for (unsigned i = 0; i < p->ncoll; i++)
        if (p->coll[i].asset >= m->nassets)
            return LIQ_EINVAL;
    for (unsigned i = 0; i < p->ndebt; i++)
        if (p->debt[i].asset >= m->nassets)
            return LIQ_EINVAL;
    size_t n = (size_t)p->ncoll + p->ndebt;
    size_t first = b->pleg[idx];
    uint32_t oldm = b->pmkt[idx];
    if (n > (size_t)b->pnc[idx] + b->pnd[idx]) {
        /* more legs than it had: a new run at the end (the old slots are
         * left unused) */
        if (b->nleg + n >= UINT32_MAX)
            return LIQ_ELIMIT;
        if (b->nleg + n > b->capleg) {
            size_t cap = b->capleg == 0 ? 256 : b->capleg;
            while (cap < b->nleg + n)
                cap *= 2;
            book_legs_grow(b, cap);
        }
        first = b->nleg;
        b->nleg += n;
    }
    b->pleg[idx] = (uint32_t)first;
    b->pmkt[idx] = (uint16_t)p->market;
    b->pnc[idx] = p->ncoll;
    b->pnd[idx] = p->ndebt;
    for (unsigned i = 0; i < p->ncoll; i++)
        book_leg_put(b, first++, &p->coll[i]);
    for (unsigned i = 0; i < p->ndebt; i++)
        book_leg_put(b, first++, &p->debt[i]);
    /* whether it owes anything, and whether it holds anything, are the
     * new legs' (the valuation reads the flags, not the legs); one that
     * starts or stops holding nothing leaves or joins the counts here
     * (its account is taken out of them under the flags it was counted
     * with) and the ranking's end */
    uint8_t was = b->pflags[idx];
    uint8_t now = (uint8_t)((was & ~BOOK_P_LEGS) |
                            (position_has_debt(p) ? BOOK_P_LEGDEBT : 0) |
                            (position_holds_nothing(p) ? BOOK_P_EMPTY : 0));
    if ((was ^ now) & BOOK_P_EMPTY) {
        book_calc_count(b, idx, -1);
        b->pflags[idx] = now;
        book_calc_count(b, idx, 1);
        b->nempty = (now & BOOK_P_EMPTY) ? b->nempty + 1 : b->nempty - 1;
        b->emptygen++;
    }
    b->pflags[idx] = now;
    b->hnsym = UINT32_MAX; /* the holders index is stale */
    book_change_touch(b, oldm);
    book_change_touch(b, p->market);
    if (idx < b->upd_npos) { /* else book_update() values it first */
        book_calc_full(b, idx);
        book_rank_repair(b);
    }
    return 0;
}

/* Whether m may replace market idx: the same id, model, view and assets'
 * symbols. */
static bool
book_change_fits(const struct book *b, uint32_t idx, const struct market *m)
{
    const struct market *old;

    if (idx >= b->nmkt)
        return false;
    old = b->mkt[idx];
    if (strcmp(old->id, m->id) != 0 || old->model != m->model ||
        old->nassets != m->nassets ||
        memcmp(&old->view, &m->view, sizeof m->view) != 0)
        return false;
    for (unsigned i = 0; i < m->nassets; i++)
        if (old->assets[i].sym != m->assets[i].sym ||
            market_asset_price_sym(&old->assets[i]) !=
                market_asset_price_sym(&m->assets[i]))
            return false;
    return true;
}

int
book_market_set(struct book *b, uint32_t idx, const struct market *m)
{
    return book_markets_set(b, 1, &idx, &m);
}

int
book_markets_set(struct book *b, uint32_t n, const uint32_t *idx,
                 const struct market *const *m)
{
    bool *set;

    for (uint32_t k = 0; k < n; k++)
        if (!book_change_fits(b, idx[k], m[k]))
            return LIQ_EINVAL;
    if (n == 0)
        return 0;
    set = book_xcalloc(b->nmkt, sizeof *set);
    for (uint32_t k = 0; k < n; k++) {
        memcpy(b->mkt[idx[k]], m[k], sizeof *m[k]);
        set[idx[k]] = true;
    }
    /* one pass over the book, however many markets moved */
    for (uint32_t p = 0; p < b->upd_npos; p++)
        if (set[b->pmkt[p]])
            book_calc_full(b, p);
    for (uint32_t k = 0; k < n; k++)
        book_change_touch(b, idx[k]);
    free(set);
    book_rank_repair(b);
    return 0;
}
