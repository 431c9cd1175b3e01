/*
 * book_holders.c: the index from each symbol to the positions holding it
 * (a CSR over positions [0, hnpos): hstart, hpos, and hleg, the leg of
 * the symbol or BOOK_HLEG_SCAN), with the holders of one symbol grouped by
 * market within short runs. Storage's, beside book.c: built from the
 * positions' legs and the markets' price symbols, it calls no other book
 * layer. Moved out of book.c unchanged. Pure: no I/O, no clock.
 */
#include <stdlib.h>
#include <string.h>

#include "core/book.h"
#include "core/book_int.h"

/* A bit per asset of m priced by symbol s: its own, or an eMode price
 * source's in a view (market_asset_price_sym). Holders of an asset are
 * indexed under the symbol that prices it. */
uint32_t
book_holders_priced(const struct market *m, uint32_t s)
{
    uint32_t bits = 0;

    for (unsigned i = 0; i < m->nassets; i++)
        if (market_asset_price_sym(&m->assets[i]) == s)
            bits |= 1u << i;
    return bits;
}

/* Holders grouped by market within runs of this many (see below). */
#define BOOK_HOLDERS_RUN 64u
/* Markets of one symbol past which its holders stay in position order. */
#define BOOK_HOLDERS_GROUPS 16u

/*
 * Within each run of BOOK_HOLDERS_RUN holders of symbol s, those of one
 * market next to each other, in position order: a tick then meets a
 * market's model a run at a time, where holders of two markets taken in
 * position order would mispredict the model's branches at every other
 * holder. Runs are short, so the holders' memory is still met in passing
 * (book_calc_symbol prefetches by the order here). loc: scratch, a byte
 * per market.
 */
static void
book_holders_group(struct book *b, uint32_t s, uint8_t *loc)
{
    uint32_t k0 = b->hstart[s], k1 = b->hstart[s + 1];
    uint32_t pos[BOOK_HOLDERS_RUN];
    uint8_t leg[BOOK_HOLDERS_RUN];
    unsigned ngroup = 0;

    for (uint32_t mi = 0; mi < b->nmkt; mi++) {
        bool holds = book_holders_priced(b->mkt[mi], s) != 0;
        loc[mi] = holds && ngroup < BOOK_HOLDERS_GROUPS ? (uint8_t)ngroup : 0;
        ngroup += holds;
    }
    if (ngroup < 2 || ngroup > BOOK_HOLDERS_GROUPS)
        return;
    for (uint32_t r = k0; r < k1; r += BOOK_HOLDERS_RUN) {
        uint32_t n = k1 - r < BOOK_HOLDERS_RUN ? k1 - r : BOOK_HOLDERS_RUN;
        uint32_t at[BOOK_HOLDERS_GROUPS + 1] = {0};
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
book_holders_index(struct book *b)
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
                    &m->assets[book_leg_asset(b, leg + i) & BOOK_LEG_ASSET]);
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
        book_holders_group(b, s, loc);
    free(loc);
}

const uint32_t *
book_holders(struct book *b, uint32_t sym, uint32_t *n)
{
    *n = 0;
    if (sym >= b->nsym)
        return NULL;
    if (b->hstart == NULL || b->hnpos != b->npos || b->hnsym != b->nsym)
        book_holders_index(b);
    *n = b->hstart[sym + 1] - b->hstart[sym];
    return b->hpos + b->hstart[sym];
}
