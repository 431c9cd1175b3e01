/*
 * book_calc_int.h: valuation's inline part, shared by book_calc.c (each
 * account valued, whole or by the legs that moved) and book_tick.c (an
 * update's walk over the positions whose legs moved): counting a
 * position's tier, and committing an account found on 128-bit figures
 * (verdicts, tier, counts, the cached sums, the rank key). Inline because
 * the tick runs them for every holder. Included by those two files, and
 * by book_change.c for the counts of a position whose legs now hold
 * nothing (or something again); it owns no memory (struct book's,
 * book_int.h).
 */
#ifndef BOOK_CALC_INT_H
#define BOOK_CALC_INT_H

#include <string.h>

#include "core/book.h"
#include "core/book_int.h"
#include "core/book_key.h"
#include "core/health.h"
#include "core/model_morpho.h"

/* Count (dir 1) or uncount (dir -1) a position of tier t and flags f. */
static inline void
book_calc_count_as(struct book *b, uint8_t t, uint8_t f, int dir)
{
    struct book_counts *c = &b->counts;
    uint32_t d = (uint32_t)dir; /* wraps for -1, as intended */

    if (t == BOOK_TIER_NEW || (f & BOOK_P_EMPTY))
        return;
    c->total += d;
    if (t == BOOK_TIER_UNPRICED) {
        c->unpriced += d;
        return;
    }
    /* The model's own verdict decides "liquidatable"; the tier the rest. */
    if (f & BOOK_P_LIQ)
        c->liquidatable += d;
    else if (health_tier_at_risk((enum tier)t))
        c->at_risk += d;
    if (t == TIER_NO_DEBT)
        c->no_debt += d;
    if (f & BOOK_P_BAD)
        c->bad_debt += d;
    if (t == TIER_PRE)
        c->pre += d;
}

/*
 * The tier of idx from its health tier t and flags f: TIER_PRE where its
 * market is morpho-pre and the position, priced with debt and not
 * liquidatable, is in the pre-liquidation band at the market's prices
 * (model_morpho_pre_band, on the u256 figures: the band is rare and its
 * oracle may be its own). A model error leaves t.
 */
static inline uint8_t
book_calc_tier(const struct book *b, uint32_t idx, uint8_t t, uint8_t f)
{
    uint32_t mi;
    const struct market *m;
    struct model_morpho_pre_band band;
    struct position p;

    if (!b->has_pre) /* the tick's common case: one load, no lookup */
        return t;
    mi = b->pmkt[idx];
    m = b->mkt[mi];
    if (m->model != MODEL_MORPHO_PRE || (f & BOOK_P_LIQ) ||
        !(f & BOOK_P_DEBT) || t >= TIER_NO_DEBT)
        return t;
    book_materialize(b, idx, &p);
    if (model_morpho_pre_band(m, &p, b->mprice[mi], &band) == 0 &&
        band.pre_liquidatable)
        return TIER_PRE;
    return t;
}

static inline void
book_calc_count(struct book *b, uint32_t idx, int dir)
{
    book_calc_count_as(b, b->ptier[idx], b->pflags[idx], dir);
}

/* What book_calc_hf() answers for idx until the next commit. */
static inline void
book_calc_hf_keep(struct book *b, uint32_t idx, struct u256 hf)
{
    b->hfc_idx = idx;
    b->hfc = hf;
}

static inline u128
book_calc_u128(struct book_leg v)
{
    return ((u128)(v.hi & BOOK_LEG_HI_MASK) << 64) | v.lo;
}

/*
 * The state part of book_calc_commit on the 128-bit path (idx is not in the
 * big table): verdicts, tier, counts and the cached sums. Returns whether
 * the sums, hence perhaps the health, moved (compare false: taken as
 * moved, unasked; sums NULL: already in place, taken as moved).
 */
static inline bool
book_calc_store128(struct book *b, uint32_t idx,
                   const struct model_sums128 *sums,
                   const struct model_health128 *h, bool compare)
{
    struct book_acct *c = &b->acct[idx];
    uint8_t f = (uint8_t)((b->pflags[idx] & BOOK_P_LEGS) | BOOK_P_PRICED);
    uint8_t t = (uint8_t)health_tier_u128(h->hf, h->has_debt);
    bool moved;

    if (h->has_debt)
        f |= BOOK_P_DEBT;
    if (h->liquidatable)
        f |= BOOK_P_LIQ;
    if (h->bad_debt)
        f |= BOOK_P_BAD;
    t = book_calc_tier(b, idx, t, f);
    /* Most ticks leave tier and verdicts alone: then so do the counts. */
    if (f != b->pflags[idx] || t != b->ptier[idx]) {
        book_calc_count(b, idx, -1);
        book_calc_count_as(b, t, f, 1);
        b->pflags[idx] = f;
        b->ptier[idx] = t;
    }
    if (sums == NULL)
        return true; /* moved in place (book_calc_tick_fast) */
    moved = !compare || memcmp(c->s, sums->s, sizeof c->s) != 0;
    memcpy(c->s, sums->s, sizeof c->s);
    return moved;
}

/* book_calc_commit for the 128-bit path: idx is not in the big table;
 * sums NULL where they are in place already. */
static inline void
book_calc_commit128(struct book *b, uint32_t idx,
                    const struct model_sums128 *sums,
                    const struct model_health128 *h)
{
    bool fresh = b->ptier[idx] == BOOK_TIER_NEW;
    bool wasdebt = (b->pflags[idx] & BOOK_P_DEBT) != 0;
    bool moved = book_calc_store128(b, idx, sums, h, true);

    /* It had a place and was, and stays, priced with debt: the ranking
     * takes the new health as it is. */
    if (wasdebt && h->has_debt && !fresh) {
        book_key_rekey_hf128(b, idx, h->hf, moved);
        return;
    }
    struct u256 hf = h->has_debt ? u256_from_u128(h->hf) : u256_max();

    book_calc_hf_keep(b, idx, hf);
    book_key_rekey(b, idx, fresh, wasdebt && h->has_debt && moved, hf);
}

/*
 * book_calc_commit128 for a holder of a tick's symbol that was and stays
 * priced with debt (the tick's common case, inline into its loop): its
 * sums (NULL where the model moved them in the account itself) are stored
 * without a comparison, as a price move changes them, and it is queued as
 * moved (one whose sums happened to stay is then placed again where it
 * was: a queue entry, not a wrong rank).
 */
static inline __attribute__((always_inline)) void
book_calc_commit_tick(struct book *b, uint32_t idx,
                      const struct model_sums128 *sums,
                      const struct model_health128 *h)
{
    if (!(b->pflags[idx] & BOOK_P_DEBT) || !h->has_debt ||
        b->ptier[idx] == BOOK_TIER_NEW) {
        book_calc_commit128(b, idx, sums, h);
        return;
    }
    book_calc_store128(b, idx, sums, h, false);
    book_key_rekey_hf128(b, idx, h->hf, true);
}

/* idx's n legs as assets and 128-bit amounts, collateral first; false
 * where an amount is in the big table (past 88 bits). */
static inline bool
book_calc_legs128(const struct book *b, uint32_t idx, unsigned n,
                  uint8_t *asset, u128 *amount)
{
    size_t leg = b->pleg[idx];

    for (unsigned i = 0; i < n; i++) {
        uint8_t la = book_leg_asset(b, leg + i);
        if (la & BOOK_LEG_BIG)
            return false;
        asset[i] = (uint8_t)(la & BOOK_LEG_ASSET);
        amount[i] = book_calc_u128(b->legs[leg + i]);
    }
    return true;
}

/* Commit the whole account a of idx (not in the big table) as the cache
 * keeps it for models valued whole; tick: as a tick's holder
 * (book_calc_commit_tick). */
static inline void
book_calc_commit_account128(struct book *b, uint32_t idx,
                            const struct model_account128 *a, bool tick)
{
    struct model_sums128 sums = {
        {a->coll_value, a->debt_value, a->has_debt ? a->hf : 0, 0}};
    struct model_health128 h = {a->hf, a->has_debt, a->liquidatable,
                                a->bad_debt};

    if (tick)
        book_calc_commit_tick(b, idx, &sums, &h);
    else
        book_calc_commit128(b, idx, &sums, &h);
}

#endif
