/*
 * book_update.c: bringing the book up to date after prices move: the index
 * from each symbol to the positions that hold it, the markets' prices
 * before and after, and the pass that revalues the holders of each moved
 * symbol (book_calc.c) and repairs the ranking (book_rank.c).
 *
 * Work is in proportion to the holders of the moved symbols (design.md
 * section 8). Pure: no I/O, no clock.
 */
#include <stdlib.h>
#include <string.h>

#include "core/book.h"
#include "core/book_int.h"

/* A bit per asset of m priced by symbol s: its own, or an eMode price
 * source's in a view (market_asset_price_sym). Holders of an asset are
 * indexed under the symbol that prices it. */
static uint32_t
book_update_priced(const struct market *m, uint32_t s)
{
    uint32_t bits = 0;

    for (unsigned i = 0; i < m->nassets; i++)
        if (market_asset_price_sym(&m->assets[i]) == s)
            bits |= 1u << i;
    return bits;
}

/* Holders grouped by market within runs of this many (see below). */
#define BOOK_UPDATE_RUN 64u
/* Markets of one symbol past which its holders stay in position order. */
#define BOOK_UPDATE_GROUPS 16u

/*
 * Within each run of BOOK_UPDATE_RUN holders of symbol s, those of one
 * market next to each other, in position order: a tick then meets a
 * market's model a run at a time, where holders of two markets taken in
 * position order would mispredict the model's branches at every other
 * holder. Runs are short, so the holders' memory is still met in passing
 * (book_calc_symbol prefetches by the order here). loc: scratch, a byte
 * per market.
 */
static void
book_update_group(struct book *b, uint32_t s, uint8_t *loc)
{
    uint32_t k0 = b->hstart[s], k1 = b->hstart[s + 1];
    uint32_t pos[BOOK_UPDATE_RUN];
    uint8_t leg[BOOK_UPDATE_RUN];
    unsigned ngroup = 0;

    for (uint32_t mi = 0; mi < b->nmkt; mi++) {
        bool holds = book_update_priced(b->mkt[mi], s) != 0;
        loc[mi] = holds && ngroup < BOOK_UPDATE_GROUPS ? (uint8_t)ngroup : 0;
        ngroup += holds;
    }
    if (ngroup < 2 || ngroup > BOOK_UPDATE_GROUPS)
        return;
    for (uint32_t r = k0; r < k1; r += BOOK_UPDATE_RUN) {
        uint32_t n = k1 - r < BOOK_UPDATE_RUN ? k1 - r : BOOK_UPDATE_RUN;
        uint32_t at[BOOK_UPDATE_GROUPS + 1] = {0};
        for (uint32_t j = 0; j < n; j++)
            at[loc[b->pmkt[b->hpos[r + j]]] + 1]++;
        for (unsigned g = 0; g < ngroup; g++)
            at[g + 1] += at[g];
        for (uint32_t j = 0; j < n; j++) {
            uint32_t d = at[loc[b->pmkt[b->hpos[r + j]]]]++;
            pos[d] = b->hpos[r + j];
            leg[d] = b->hleg[r + j];
        }
        memcpy(&b->hpos[r], pos, n * sizeof *pos);
        memcpy(&b->hleg[r], leg, n * sizeof *leg);
    }
}

/* Symbol -> positions holding it, for positions [0, npos). */
void
book_update_holders(struct book *b)
{
    uint32_t nsym = b->nsym;
    uint32_t *start = book_xcalloc((size_t)nsym + 1, sizeof *start);
    uint32_t seen[POSITION_SIDE_MAX * 2], seenat[POSITION_SIDE_MAX * 2];

    for (int pass = 0; pass < 2; pass++) {
        uint32_t *fill = NULL;
        if (pass == 1) {
            for (uint32_t s = 0; s < nsym; s++)
                start[s + 1] += start[s];
            free(b->hpos);
            free(b->hleg);
            b->hpos = book_xmalloc(((size_t)start[nsym] + 1) * sizeof *b->hpos);
            b->hleg = book_xmalloc(((size_t)start[nsym] + 1) * sizeof *b->hleg);
            fill = book_xmalloc(((size_t)nsym + 1) * sizeof *fill);
            memcpy(fill, start, (size_t)nsym * sizeof *fill);
        }
        for (uint32_t p = 0; p < b->npos; p++) {
            const struct market *m = b->mkt[b->pmkt[p]];
            size_t leg = b->pleg[p];
            unsigned n = (unsigned)b->pnc[p] + b->pnd[p], nseen = 0;
            for (unsigned i = 0; i < n; i++) {
                uint32_t s = market_asset_price_sym(
                    &m->assets[b->lasset[leg + i] & BOOK_LEG_ASSET]);
                unsigned k = 0;
                while (k < nseen && seen[k] != s)
                    k++;
                if (k < nseen) {
                    /* a second leg of s: the update scans the legs */
                    if (pass == 1)
                        b->hleg[seenat[k]] = BOOK_HLEG_SCAN;
                    continue;
                }
                seen[nseen++] = s;
                if (pass == 0) {
                    start[s + 1]++;
                } else {
                    seenat[k] = fill[s];
                    b->hleg[fill[s]] = (uint8_t)i;
                    b->hpos[fill[s]++] = p;
                }
            }
        }
        free(fill);
    }
    free(b->hstart);
    b->hstart = start;
    b->hnpos = b->npos;
    b->hnsym = nsym;
    uint8_t *loc = book_xmalloc((size_t)b->nmkt + 1);
    for (uint32_t s = 0; s < nsym; s++)
        book_update_group(b, s, loc);
    free(loc);
}

/*
 * Refresh the base prices of every market with a changed symbol, keeping
 * the prices before in mold and a bit per asset whose price (or whether it
 * has one) moved in mchanged.
 */
static void
book_update_prices(struct book *b)
{
    for (uint32_t mi = 0; mi < b->nmkt; mi++) {
        const struct market *m = b->mkt[mi];
        bool touched = false;
        uint32_t oldmiss = b->mmissing[mi], changed = 0;

        b->mchanged[mi] = 0;
        for (unsigned i = 0; i < m->nassets && !touched; i++)
            touched = b->sym[market_asset_price_sym(&m->assets[i])].dirty;
        if (!touched)
            continue;
        memcpy(b->mold[mi], b->mprice[mi], sizeof b->mold[mi]);
        book_prices_base(b, mi, b->mprice[mi], &b->mmissing[mi]);
        for (unsigned i = 0; i < m->nassets; i++)
            if (!u256_eq(b->mold[mi][i], b->mprice[mi][i]))
                changed |= 1u << i;
        b->mchanged[mi] = changed | (oldmiss ^ b->mmissing[mi]);
    }
}

size_t
book_update(struct book *b)
{
    size_t n = 0;

    if (b->anydirty)
        book_update_prices(b);
    if (++b->epoch == 0) {
        memset(b->stamp, 0, (size_t)b->npos * sizeof *b->stamp);
        b->epoch = 1;
    }
    uint32_t ep = b->epoch;

    /* Positions added since the last update: valued whole. */
    for (uint32_t p = b->upd_npos; p < b->npos; p++) {
        book_calc_full(b, p);
        b->stamp[p] = ep;
        n++;
    }
    if (b->anydirty) {
        if (b->hnpos != b->npos || b->hnsym != b->nsym || b->hstart == NULL)
            book_update_holders(b);
        /* With one symbol moved, a holder's leg of it is all that moved.
         * Each holder may join the ranking's queue: room for them all, a
         * position queued once at most (the new ones already are). */
        uint32_t ndirty = 0;
        size_t nhold = 0;
        for (uint32_t s = 0; s < b->nsym; s++)
            if (b->sym[s].dirty) {
                ndirty++;
                nhold += b->hstart[s + 1] - b->hstart[s];
            }
        size_t room = (size_t)b->npos - b->nmv;
        book_rank_reserve(b, nhold < room ? nhold : room);
        for (uint32_t s = 0; s < b->nsym; s++) {
            if (!b->sym[s].dirty)
                continue;
            b->sym[s].dirty = false;
            /* symbit[mi]: the asset of s in market mi, when it moved */
            uint32_t *symbit = b->msymbit;
            bool any = false;
            for (uint32_t mi = 0; mi < b->nmkt; mi++) {
                symbit[mi] =
                    b->mchanged[mi] & book_update_priced(b->mkt[mi], s);
                any = any || symbit[mi] != 0;
            }
            if (!any)
                continue;
            b->sym[s].gen++;
            n += book_calc_symbol(b, s, symbit, ep, ndirty == 1);
        }
        b->anydirty = false;
    }
    b->upd_npos = b->npos;
    book_rank_repair(b);
    return n;
}

uint32_t
book_symbol_generation(const struct book *b, uint32_t sym)
{
    return sym < b->nsym ? b->sym[sym].gen : 0;
}

uint32_t
book_symbol_holders(const struct book *b, uint32_t sym, const uint32_t **pos)
{
    if (sym >= b->nsym || b->hstart == NULL || b->hnpos != b->npos ||
        b->hnsym != b->nsym)
        return UINT32_MAX;
    *pos = b->hpos + b->hstart[sym];
    return b->hstart[sym + 1] - b->hstart[sym];
}
