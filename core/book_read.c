/*
 * book_read.c: what the book's readers ask of a position's cached
 * valuation: its tier, its account, its health through the model's
 * 128-bit finish on the cached sums (the same figures as the account),
 * and the cached figures themselves.
 * Valuation's, beside book_calc.c, which keeps the cache; calls no layer
 * above it. Moved out of book_calc.c unchanged, renamed to this file.
 * Pure: no I/O, no clock.
 */
#include <string.h>

#include "core/book.h"
#include "core/book_int.h"
#include "core/health.h"

enum tier
book_read_tier(const struct book *b, uint32_t idx)
{
    if (idx >= b->upd_npos || b->ptier[idx] >= TIER_COUNT)
        return TIER_COUNT;
    return (enum tier)b->ptier[idx];
}

bool
book_read_account(const struct book *b, uint32_t idx, struct account *out)
{
    if (idx >= b->upd_npos || !(b->pflags[idx] & BOOK_P_PRICED))
        return false;
    book_calc_acct_get(b, idx, out);
    return true;
}

bool
book_read_health(const struct book *b, uint32_t idx, struct book_health *out)
{
    uint8_t f;
    const struct market *m;
    const struct model_ops *ops;
    struct account a;

    if (idx >= b->upd_npos || !(b->pflags[idx] & BOOK_P_PRICED))
        return false;
    f = b->pflags[idx];
    out->has_debt = (f & BOOK_P_DEBT) != 0;
    out->liquidatable = (f & BOOK_P_LIQ) != 0;
    out->bad_debt = (f & BOOK_P_BAD) != 0;
    out->hf = u256_max();
    if (!out->has_debt)
        return true;
    m = b->mkt[b->pmkt[idx]];
    ops = model_get(m->model);
    if (!(f & BOOK_P_BIG) && !model_is_additive(m)) {
        out->hf = u256_from_u128(b->acct[idx].s[2]);
        return true;
    }
    if (!(f & BOOK_P_BIG) && ops->finish128 != NULL) {
        struct model_sums128 sums;
        struct model_health128 h;

        memcpy(sums.s, b->acct[idx].s, sizeof sums.s);
        if (ops->finish128(m, &sums, (f & BOOK_P_LEGDEBT) != 0, &h) &&
            h.has_debt) {
            out->hf = u256_from_u128(h.hf);
            return true;
        }
    }
    book_calc_acct_get(b, idx, &a);
    out->hf = a.hf;
    return true;
}

bool
book_read_sums(const struct book *b, uint32_t idx, struct model_sums *out,
               bool *big)
{
    uint8_t f;

    if (idx >= b->upd_npos || !(b->pflags[idx] & BOOK_P_PRICED))
        return false;
    f = b->pflags[idx];
    *big = (f & BOOK_P_BIG) != 0;
    if (*big) {
        const struct account *a = &b->bigacct[(uint32_t)b->acct[idx].s[0]];
        out->s[0] = a->coll_value;
        out->s[1] = a->debt_value;
        out->s[2] = a->has_debt ? a->hf : u256_zero();
        out->s[3] = u256_zero();
        return true;
    }
    for (int i = 0; i < MODEL_SUMS; i++)
        out->s[i] = u256_from_u128(b->acct[idx].s[i]);
    return true;
}
