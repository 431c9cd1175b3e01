/*
 * book_update.c: bringing the book up to date after prices move: the index
 * from each symbol to the positions that hold it, the markets' prices
 * before and after, and the pass that values each position of which a leg
 * moved once, however many symbols moved (book_tick.c), then repairs the
 * ranking once (book_rank.c).
 *
 * Work is in proportion to the holders of the moved symbols (design.md
 * section 8). Pure: no I/O, no clock.
 */
#include <stdlib.h>
#include <string.h>

#include "core/book.h"
#include "core/book_int.h"
#include "core/book_key.h"

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
    uint8_t ep = b->epoch;

    /* A position given new legs (book_change.c) left the holders index
     * stale: built again once here, not at every change. */
    if (b->hnsym == UINT32_MAX)
        book_holders_index(b);
    /* Positions added since the last update: valued whole. */
    for (uint32_t p = b->upd_npos; p < b->npos; p++) {
        book_calc_full(b, p);
        b->stamp[p] = ep;
        n++;
    }
    if (b->anydirty) {
        if (b->hnpos != b->npos || b->hnsym != b->nsym || b->hstart == NULL)
            book_holders_index(b);
        /* The symbols whose price moved an asset of some market: their
         * holders' generation moves, and each position of which a leg
         * moved is valued once, whatever number of its legs moved. Each
         * may join the ranking's queue: room for them all, a position
         * queued once at most (the new ones already are). */
        if (b->capupdsym < b->nsym) {
            b->updsym = book_xrealloc(b->updsym, b->nsym * sizeof *b->updsym);
            b->capupdsym = b->nsym;
        }
        uint32_t nmoved = 0;
        size_t nhold = 0;
        for (uint32_t s = 0; s < b->nsym; s++) {
            if (!b->sym[s].dirty)
                continue;
            b->sym[s].dirty = false;
            bool any = false;
            for (uint32_t mi = 0; mi < b->nmkt && !any; mi++)
                any =
                    (b->mchanged[mi] & book_holders_priced(b->mkt[mi], s)) != 0;
            if (!any)
                continue;
            b->sym[s].gen++;
            b->updsym[nmoved++] = s;
            nhold += b->hstart[s + 1] - b->hstart[s];
        }
        size_t room = (size_t)b->npos - b->nmv;
        book_key_reserve(b, nhold < room ? nhold : room);
        if (nmoved > 0)
            n += book_tick_moved(b, b->updsym, nmoved, ep);
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

/* A Morpho market's oracle price (book.h). Its positions are valued again
 * at once, the ranking repaired. */
int
book_update_oracle(struct book *b, const char *id, struct u256 raw)
{
    bool found = false;

    if (id == NULL || u256_is_zero(raw))
        return id == NULL ? LIQ_ENOENT : LIQ_ERANGE;
    for (uint32_t mi = 0; mi < b->nmkt; mi++) {
        struct market *m = b->mkt[mi];

        if (m->model != MODEL_MORPHO_BLUE || !m->morpho.has_oracle ||
            strcmp(m->id, id) != 0)
            continue;
        found = true;
        if (u256_eq(m->morpho.oracle_price, raw))
            continue;
        m->morpho.oracle_price = raw;
        /* valued before: again; added since: book_update() values them */
        for (uint32_t p = 0; p < b->upd_npos; p++)
            if (b->pmkt[p] == mi)
                book_calc_full(b, p);
        for (unsigned i = 0; i < m->nassets; i++)
            b->sym[market_asset_price_sym(&m->assets[i])].gen++;
    }
    if (found)
        book_rank_repair(b);
    return found ? 0 : LIQ_ENOENT;
}
