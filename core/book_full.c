/*
 * book_full.c: the whole book valued again from nothing: every account
 * forgotten, every position valued whole at the current prices
 * (book_calc.c's own path, 128-bit where it serves) and the ranking
 * sorted once, as a fresh load does. The straightforward way beside which
 * the incremental update is measured and checked; no reader needs it.
 *
 * Calls only book_update() and the layers below it. Pure: no I/O, no clock.
 */
#include <string.h>

#include "core/book.h"
#include "core/book_int.h"
#include "core/book_key.h"

size_t
book_revalue_all(struct book *b)
{
    /* Every market's prices afresh; no holder is then left to a tick. */
    for (uint32_t mi = 0; mi < b->nmkt; mi++) {
        book_prices_base(b, mi, b->mprice[mi], &b->mmissing[mi]);
        b->mchanged[mi] = 0;
    }
    for (uint32_t s = 0; s < b->nsym; s++) {
        b->sym[s].dirty = false;
        b->sym[s].gen++; /* every holder is valued again */
    }
    b->anydirty = false;
    /* No account, no count and no ranking: each position is new again. */
    memset(&b->counts, 0, sizeof b->counts);
    if (b->npos > 0)
        memset(b->ptier, BOOK_TIER_NEW, b->npos);
    b->nrank = 0;
    b->nov = 0;
    b->nmv = 0;
    b->nagain = 0;
    b->nfresh = 0;
    if (b->nmovedw > 0) {
        memset(b->moved, 0, b->nmovedw * sizeof *b->moved);
        memset(b->inov, 0, b->nmovedw * sizeof *b->inov);
    }
    b->rdead_ok = false;
    b->cur_ok = false;
    b->hfc_idx = UINT32_MAX;
    b->upd_npos = 0;
    book_key_reserve(b, b->npos);
    return book_update(b);
}
