/*
 * book_calc.c: each position's cached account, its tier and the counts by
 * tier, kept current as prices move.
 *
 * For additive models (model.h) the cache holds the model's sums, so a
 * price tick replaces the terms of the legs whose asset moved and calls the
 * model's finish: work in proportion to the legs that moved, figures equal
 * to model_account() to the raw unit by construction. Positions of other
 * models, positions whose sums pass 128 bits, and positions that were
 * unpriced are valued whole. A tick goes through the models' 128-bit twins
 * where every figure fits, through the u256 term and finish otherwise. On a
 * tick of one symbol, each market's move is prepared once (tick128_prep):
 * holders of additive models then replace their leg's terms (tick128), and
 * those of models valued whole are valued whole at the prepared prices
 * (tick_account128), both equal to the paths above to the raw unit. Ranking
 * keys are book_rank.c's business: this file tells it which positions changed.
 * Pure: no I/O, no clock.
 */
#include <stdlib.h>
#include <string.h>

#include "core/book.h"
#include "core/book_int.h"
#include "core/book_key.h"
#include "core/health.h"
#include "core/liq.h"
#include "core/model_morpho.h"

static bool
book_calc_fits128(struct u256 v)
{
    return (v.w[2] | v.w[3]) == 0;
}

static u128
book_calc_lo(struct u256 v)
{
    return ((u128)v.w[1] << 64) | v.w[0];
}

static struct u256
book_calc_wide(struct book_u128 v)
{
    struct u256 r = {{v.lo, v.hi, 0, 0}};
    return r;
}

/* Count (dir 1) or uncount (dir -1) a position of tier t and flags f. */
static void
book_calc_count_as(struct book *b, uint8_t t, uint8_t f, int dir)
{
    struct book_counts *c = &b->counts;
    uint32_t d = (uint32_t)dir; /* wraps for -1, as intended */

    if (t == BOOK_TIER_NEW)
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

static void
book_calc_count(struct book *b, uint32_t idx, int dir)
{
    book_calc_count_as(b, b->ptier[idx], b->pflags[idx], dir);
}

static void
book_calc_bigacct_release(struct book *b, uint32_t idx)
{
    if (!(b->pflags[idx] & BOOK_P_BIG))
        return;
    /* bigfree has the table's capacity: it never holds more slots. */
    b->bigfree[b->nbigfree++] = (uint32_t)b->acct[idx].s[0];
    b->pflags[idx] = (uint8_t)(b->pflags[idx] & ~BOOK_P_BIG);
}

static void
book_calc_bigacct_store(struct book *b, uint32_t idx, const struct account *a)
{
    uint32_t slot;

    if (b->nbigfree > 0) {
        slot = b->bigfree[--b->nbigfree];
    } else {
        if (b->nbigacct == b->capbigacct) {
            uint32_t cap = b->capbigacct == 0 ? 16 : b->capbigacct * 2;
            b->bigacct = book_xrealloc(b->bigacct, cap * sizeof *b->bigacct);
            b->bigfree = book_xrealloc(b->bigfree, cap * sizeof *b->bigfree);
            b->capbigacct = cap;
        }
        slot = b->nbigacct++;
    }
    b->bigacct[slot] = *a;
    memset(&b->acct[idx], 0, sizeof b->acct[idx]);
    b->acct[idx].s[0] = slot;
    b->pflags[idx] = (uint8_t)(b->pflags[idx] | BOOK_P_BIG);
}

/*
 * Cache account a of position idx; sums (additive models) or NULL. Every
 * figure that does not fit 128 bits sends the whole account to the big
 * table, where it is kept as it is and recomputed whole.
 */
static void
book_calc_store(struct book *b, uint32_t idx, const struct account *a,
                const struct model_sums *sums)
{
    uint8_t f = (uint8_t)((b->pflags[idx] & BOOK_P_LEGDEBT) | BOOK_P_PRICED);
    bool fits = !a->has_debt || book_calc_fits128(a->hf);
    struct book_acct *c = &b->acct[idx];

    if (a->has_debt)
        f |= BOOK_P_DEBT;
    if (a->liquidatable)
        f |= BOOK_P_LIQ;
    if (a->bad_debt)
        f |= BOOK_P_BAD;
    if (sums != NULL) {
        for (int i = 0; i < MODEL_SUMS; i++)
            fits = fits && book_calc_fits128(sums->s[i]);
    } else {
        fits = fits && book_calc_fits128(a->coll_value) &&
               book_calc_fits128(a->debt_value);
    }
    b->pflags[idx] = f;
    if (!fits) {
        book_calc_bigacct_store(b, idx, a);
        return;
    }
    if (sums != NULL) {
        for (int i = 0; i < MODEL_SUMS; i++)
            c->s[i] = book_calc_lo(sums->s[i]);
    } else {
        memset(c->s, 0, sizeof c->s);
        c->s[0] = book_calc_lo(a->coll_value);
        c->s[1] = book_calc_lo(a->debt_value);
        c->s[2] = book_calc_lo(a->has_debt ? a->hf : u256_zero());
    }
}

void
book_calc_acct_get(const struct book *b, uint32_t idx, struct account *out)
{
    uint8_t f = b->pflags[idx];
    const struct book_acct *c = &b->acct[idx];
    const struct market *m = b->mkt[b->pmkt[idx]];

    if (f & BOOK_P_BIG) {
        *out = b->bigacct[(uint32_t)c->s[0]];
        return;
    }
    if (model_is_additive(m)) {
        struct model_sums sums;
        for (int i = 0; i < MODEL_SUMS; i++)
            sums.s[i] = u256_from_u128(c->s[i]);
        /* It gave this account when it was stored, so it cannot fail. */
        (void)model_get(m->model)->finish(m, &sums, (f & BOOK_P_LEGDEBT) != 0,
                                          out);
        return;
    }
    out->coll_value = u256_from_u128(c->s[0]);
    out->debt_value = u256_from_u128(c->s[1]);
    out->has_debt = (f & BOOK_P_DEBT) != 0;
    out->hf = out->has_debt ? u256_from_u128(c->s[2]) : u256_max();
    out->liquidatable = (f & BOOK_P_LIQ) != 0;
    out->bad_debt = (f & BOOK_P_BAD) != 0;
}

void
book_calc_values(const struct book *b, uint32_t idx, struct u256 *coll,
                 struct u256 *debt)
{
    const struct market *m = b->mkt[b->pmkt[idx]];
    const struct model_ops *ops = model_get(m->model);
    const struct book_acct *c = &b->acct[idx];
    struct account a;

    if (!(b->pflags[idx] & BOOK_P_BIG) && model_is_additive(m) &&
        ops->values128 != NULL) {
        struct model_sums128 n;
        u128 cv, dv;
        for (int i = 0; i < MODEL_SUMS; i++)
            n.s[i] = c->s[i];
        if (ops->values128(m, &n, &cv, &dv)) {
            *coll = u256_from_u128(cv);
            *debt = u256_from_u128(dv);
            return;
        }
    }
    book_calc_acct_get(b, idx, &a);
    *coll = a.coll_value;
    *debt = a.debt_value;
}

/*
 * Health of idx other than the last one computed (book_calc_hf() in
 * book_int.h keeps that one): additive ones come from the sums again (the
 * ranking asks only on equal keys), so the cache line a position takes
 * holds its sums alone.
 */
struct u256
book_calc_hf_slow(const struct book *b, uint32_t idx)
{
    const struct book_acct *c = &b->acct[idx];
    const struct market *m = b->mkt[b->pmkt[idx]];
    const struct model_ops *ops = model_get(m->model);
    bool legdebt = (b->pflags[idx] & BOOK_P_LEGDEBT) != 0;
    struct model_sums128 n;
    struct model_health128 h;
    struct account a;

    if (b->pflags[idx] & BOOK_P_BIG)
        return b->bigacct[(uint32_t)c->s[0]].hf;
    if (!model_is_additive(m))
        return u256_from_u128(c->s[2]);
    for (int i = 0; i < MODEL_SUMS; i++)
        n.s[i] = c->s[i];
    if (ops->finish128 != NULL && ops->finish128(m, &n, legdebt, &h))
        return h.has_debt ? u256_from_u128(h.hf) : u256_max();
    book_calc_acct_get(b, idx, &a);
    return a.hf;
}

/* What book_calc_hf() answers for idx until the next commit. */
static void
book_calc_hf_keep(struct book *b, uint32_t idx, struct u256 hf)
{
    b->hfc_idx = idx;
    b->hfc = hf;
}

/* Store the new state of idx (a NULL when unpriced) and tell the ranking:
 * its health may have moved when its cached figures did. */
static void
book_calc_commit(struct book *b, uint32_t idx, const struct account *a,
                 const struct model_sums *sums)
{
    bool fresh = b->ptier[idx] == BOOK_TIER_NEW;
    bool wasdebt = !fresh && (b->pflags[idx] & (BOOK_P_PRICED | BOOK_P_DEBT)) ==
                                 (BOOK_P_PRICED | BOOK_P_DEBT);
    bool wasbig = (b->pflags[idx] & BOOK_P_BIG) != 0;
    struct book_acct old = b->acct[idx];

    book_calc_count(b, idx, -1);
    book_calc_bigacct_release(b, idx);
    if (a != NULL) {
        book_calc_store(b, idx, a, sums);
        b->ptier[idx] = book_calc_tier(
            b, idx, (uint8_t)health_tier(a->hf, a->has_debt), b->pflags[idx]);
        book_calc_hf_keep(b, idx, a->hf);
    } else {
        b->pflags[idx] = (uint8_t)(b->pflags[idx] & BOOK_P_LEGDEBT);
        memset(&b->acct[idx], 0, sizeof b->acct[idx]);
        b->ptier[idx] = BOOK_TIER_UNPRICED;
        book_calc_hf_keep(b, idx, u256_max());
    }
    book_calc_count(b, idx, 1);
    book_key_rekey(b, idx, fresh,
                   wasdebt && a != NULL && a->has_debt &&
                       (wasbig || (b->pflags[idx] & BOOK_P_BIG) ||
                        memcmp(&old, &b->acct[idx], sizeof old) != 0),
                   a != NULL ? a->hf : u256_max());
}

static bool book_calc_whole128(struct book *b, uint32_t idx);

/* Value position idx whole at the market's cached prices. */
void
book_calc_full(struct book *b, uint32_t idx)
{
    struct position p;
    struct account a;
    struct model_sums sums;
    uint32_t mi = b->pmkt[idx];
    const struct market *m = b->mkt[mi];
    uint32_t missing = b->mmissing[mi];
    bool priced = true;
    int rc;

    if (!(b->pflags[idx] & BOOK_P_BIG) && book_calc_whole128(b, idx))
        return;
    book_materialize(b, idx, &p);
    for (unsigned i = 0; i < p.ncoll && priced; i++)
        priced = !(missing & (1u << p.coll[i].asset));
    for (unsigned i = 0; i < p.ndebt && priced; i++)
        priced = !(missing & (1u << p.debt[i].asset));
    if (!priced) {
        book_calc_commit(b, idx, NULL, NULL);
        return;
    }
    if (model_is_additive(m)) {
        rc = model_sums_of(m, &p, b->mprice[mi], &sums);
        if (rc == 0)
            rc = model_get(m->model)->finish(m, &sums, position_has_debt(&p),
                                             &a);
        book_calc_commit(b, idx, rc == 0 ? &a : NULL, &sums);
        return;
    }
    rc = model_account(m, &p, b->mprice[mi], &a);
    book_calc_commit(b, idx, rc == 0 ? &a : NULL, NULL);
}

static u128
book_calc_u128(struct book_u128 v)
{
    return ((u128)v.hi << 64) | v.lo;
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
    uint8_t f = (uint8_t)((b->pflags[idx] & BOOK_P_LEGDEBT) | BOOK_P_PRICED);
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
static void
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

/*
 * book_calc_tick on 128-bit figures through the model's twins; false,
 * with nothing changed, where a figure does not fit or the model has no
 * twins (the caller then takes the u256 path).
 */
static bool
book_calc_tick128(struct book *b, uint32_t idx, const struct u256 *oldp,
                  uint32_t changed, uint8_t only)
{
    uint32_t mi = b->pmkt[idx];
    const struct market *m = b->mkt[mi];
    const struct model_ops *ops = model_get(m->model);
    const struct u256 *newp = b->mprice[mi];
    const struct book_acct *c = &b->acct[idx];
    struct model_sums128 sums;
    struct model_health128 h;
    size_t leg = b->pleg[idx];
    unsigned nc = b->pnc[idx], n = nc + b->pnd[idx];

    if (ops->retick128 == NULL || ops->finish128 == NULL)
        return false;
    for (int i = 0; i < MODEL_SUMS; i++)
        sums.s[i] = c->s[i];
    unsigned i = only == BOOK_HLEG_SCAN ? 0 : only;
    for (n = only == BOOK_HLEG_SCAN ? n : only + 1u; i < n; i++) {
        uint8_t la = b->lasset[leg + i];
        uint8_t asset = (uint8_t)(la & BOOK_LEG_ASSET);
        u128 po, pn, amt = book_calc_u128(b->lamt[leg + i]);
        bool debt = i >= nc;

        if (!(changed & (1u << asset)))
            continue;
        if ((la & BOOK_LEG_BIG) || (b->mmissing[mi] & (1u << asset)) ||
            !u256_to_u128(oldp[asset], &po) || !u256_to_u128(newp[asset], &pn))
            return false;
        if (!ops->retick128(m, asset, debt, amt, po, pn, &sums))
            return false;
    }
    if (!ops->finish128(m, &sums, (b->pflags[idx] & BOOK_P_LEGDEBT) != 0, &h))
        return false;
    book_calc_commit128(b, idx, &sums, &h);
    return true;
}

/* idx's n legs as assets and 128-bit amounts, collateral first; false
 * where an amount is past 128 bits. */
static inline bool
book_calc_legs128(const struct book *b, uint32_t idx, unsigned n,
                  uint8_t *asset, u128 *amount)
{
    size_t leg = b->pleg[idx];

    for (unsigned i = 0; i < n; i++) {
        uint8_t la = b->lasset[leg + i];
        if (la & BOOK_LEG_BIG)
            return false;
        asset[i] = (uint8_t)(la & BOOK_LEG_ASSET);
        amount[i] = book_calc_u128(b->lamt[leg + i]);
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

/*
 * Value idx whole through its model's 128-bit twins (term128 and finish128,
 * or account128); false, with nothing changed, where a figure does not fit
 * or an asset has no price (book_calc_full then says so).
 */
static bool
book_calc_whole128(struct book *b, uint32_t idx)
{
    uint32_t mi = b->pmkt[idx];
    const struct market *m = b->mkt[mi];
    const struct model_ops *ops = model_get(m->model);
    uint8_t asset[2 * POSITION_SIDE_MAX];
    u128 amount[2 * POSITION_SIDE_MAX], price[MARKET_ASSETS_MAX];
    unsigned nc = b->pnc[idx], n = nc + b->pnd[idx];
    struct model_account128 a;

    if (ops->account128 == NULL &&
        (ops->term128 == NULL || ops->finish128 == NULL))
        return false;
    if (!book_calc_legs128(b, idx, n, asset, amount))
        return false;
    for (unsigned i = 0; i < n; i++) {
        if ((b->mmissing[mi] & (1u << asset[i])) ||
            !u256_to_u128(b->mprice[mi][asset[i]], &price[asset[i]]))
            return false;
    }
    if (ops->account128 == NULL) {
        /* additive: the sums of every leg's terms, then finish */
        struct model_sums128 sums = {{0, 0, 0, 0}}, t;
        struct model_health128 h;
        bool ok = true;
        for (unsigned i = 0; i < n && ok; i++) {
            ok = ops->term128(m, asset[i], i >= nc, amount[i], price[asset[i]],
                              &t);
            for (int k = 0; k < MODEL_SUMS && ok; k++)
                ok = !__builtin_add_overflow(sums.s[k], t.s[k], &sums.s[k]);
        }
        if (!ok || !ops->finish128(m, &sums,
                                   (b->pflags[idx] & BOOK_P_LEGDEBT) != 0, &h))
            return false;
        book_calc_commit128(b, idx, &sums, &h);
        return true;
    }
    if (!ops->account128(m, asset, amount, nc, n - nc, price, &a))
        return false;
    book_calc_commit_account128(b, idx, &a, false);
    return true;
}

/*
 * Position idx after the prices of its market's assets in `changed` moved
 * from oldp to the cached ones: the moved legs' terms are replaced in the
 * cached sums. Anything the cache cannot serve (no sums, an amount past 128
 * bits, an asset now without a price, an error on the way) is valued
 * whole, which also reports errors as the model does.
 */
void
book_calc_tick(struct book *b, uint32_t idx, const struct u256 *oldp,
               uint32_t changed, uint8_t only)
{
    uint32_t mi = b->pmkt[idx];
    const struct u256 *newp = b->mprice[mi];
    const struct market *m = b->mkt[mi];
    const struct model_ops *ops = model_get(m->model);
    uint8_t f = b->pflags[idx];
    struct model_sums sums, t;
    struct account a;
    size_t leg = b->pleg[idx];
    unsigned nc = b->pnc[idx], n = nc + b->pnd[idx];

    if ((f & (BOOK_P_PRICED | BOOK_P_BIG)) != BOOK_P_PRICED) {
        book_calc_full(b, idx);
        return;
    }
    if (ops->term == NULL) {
        book_calc_full(b, idx); /* whole, through account128 if it can */
        return;
    }
    if (book_calc_tick128(b, idx, oldp, changed, only))
        return;
    for (int i = 0; i < MODEL_SUMS; i++)
        sums.s[i] = u256_from_u128(b->acct[idx].s[i]);
    for (unsigned i = 0; i < n; i++) {
        uint8_t la = b->lasset[leg + i];
        uint8_t asset = (uint8_t)(la & BOOK_LEG_ASSET);
        if (!(changed & (1u << asset)))
            continue;
        if ((la & BOOK_LEG_BIG) || (b->mmissing[mi] & (1u << asset))) {
            book_calc_full(b, idx);
            return;
        }
        struct u256 amt = book_calc_wide(b->lamt[leg + i]);
        bool debt = i >= nc;
        if (ops->term(m, asset, debt, amt, oldp[asset], &t) != 0 ||
            model_sums_sub(&sums, &t) != 0 ||
            ops->term(m, asset, debt, amt, newp[asset], &t) != 0 ||
            model_sums_add(&sums, &t) != 0) {
            book_calc_full(b, idx);
            return;
        }
    }
    if (ops->finish(m, &sums, (f & BOOK_P_LEGDEBT) != 0, &a) != 0) {
        book_calc_full(b, idx);
        return;
    }
    book_calc_commit(b, idx, &a, &sums);
}

/* How many holders ahead book_calc_symbol asks for memory. */
#define BOOK_CALC_AHEAD 8

/*
 * Holder k of holders ending at k1, having asked for the account, rank key
 * and leg of the one BOOK_CALC_AHEAD further: holders are spread over the
 * book, and each would wait on DRAM in turn. The small per-position arrays
 * are read in order, which the hardware sees coming by itself. (It returns
 * the holder so that the call is not dead: GCC takes a function of
 * prefetches alone for pure and drops its calls.)
 */
static inline uint32_t
book_calc_holder(const struct book *b, uint32_t k, uint32_t k1)
{
    if (k + BOOK_CALC_AHEAD < k1) {
        uint32_t q = b->hpos[k + BOOK_CALC_AHEAD];
        uint8_t h = b->hleg[k + BOOK_CALC_AHEAD];
        __builtin_prefetch(&b->acct[q]);
        __builtin_prefetch(&b->key[q]);
        __builtin_prefetch(
            &b->lamt[b->pleg[q] + (h == BOOK_HLEG_SCAN ? 0 : h)]);
    }
    return b->hpos[k];
}

/*
 * Holder p's leg i of the one symbol that moved, by the market's prepared
 * move tk; false, with nothing changed, where the 128-bit figures cannot
 * serve it (two legs of the symbol, an amount or account past 128 bits,
 * unpriced before). Where the model declines, p is valued whole.
 */
static bool
book_calc_tick_fast(struct book *b, const struct model_ops *ops,
                    const struct model_tick128 *tk, uint32_t p, uint8_t i)
{
    uint8_t f = b->pflags[p];
    size_t leg = b->pleg[p] + i;
    struct model_health128 h;

    if (i == BOOK_HLEG_SCAN ||
        (f & (BOOK_P_PRICED | BOOK_P_BIG)) != BOOK_P_PRICED ||
        (b->lasset[leg] & BOOK_LEG_BIG))
        return false;
    /* The sums move in the account itself: a copy out and back would pass
     * them through memory in halves and read them whole, a store-to-load
     * forwarding stall a holder. A model that refuses may have moved them
     * already, so that holder is then valued whole. */
    if (!ops->tick128(tk, i >= b->pnc[p], book_calc_u128(b->lamt[leg]),
                      (f & BOOK_P_LEGDEBT) != 0, &b->acct[p].sums, &h)) {
        book_calc_full(b, p);
        return true;
    }
    book_calc_commit_tick(b, p, NULL, &h);
    return true;
}

/*
 * Holder p of a market valued whole, by the market's prepared move tk:
 * what book_calc_full gives through book_calc_whole128 at the same prices,
 * with the prices taken once a market (tk->price) and what depends on them
 * alone prepared; false, with nothing changed, where it cannot serve.
 */
static bool
book_calc_tick_whole(struct book *b, const struct model_ops *ops,
                     const struct model_tick128 *tk, uint32_t p)
{
    uint8_t asset[2 * POSITION_SIDE_MAX];
    u128 amount[2 * POSITION_SIDE_MAX];
    unsigned nc = b->pnc[p], n = nc + b->pnd[p];
    struct model_account128 a;

    if ((b->pflags[p] & BOOK_P_BIG) ||
        !book_calc_legs128(b, p, n, asset, amount) ||
        !ops->tick_account128(tk, asset, amount, nc, n - nc, &a))
        return false;
    book_calc_commit_account128(b, p, &a, true);
    return true;
}

/* What book_calc_symbol() knows of a market for the tick of one symbol. */
struct book_calc_mkt {
    const struct model_ops *ops;
    struct model_tick128 tk;       /* the symbol's move in the market */
    bool fast;                     /* tick128 or tick_account128 can serve */
    bool whole;                    /* valued whole: tick_account128 */
    u128 price[MARKET_ASSETS_MAX]; /* whole: every price, tk.price */
};

/* For a market valued whole: every price in 128 bits into st; false where
 * one is missing or past 128 bits. */
static bool
book_calc_prices128(const struct book *b, uint32_t mi, struct book_calc_mkt *st)
{
    if (b->mmissing[mi] != 0)
        return false;
    for (unsigned k = 0; k < b->mkt[mi]->nassets; k++)
        if (!u256_to_u128(b->mprice[mi][k], &st->price[k]))
            return false;
    st->tk.price = st->price;
    return true;
}

size_t
book_calc_symbol(struct book *b, uint32_t s, const uint32_t *symbit,
                 uint32_t ep, bool alone)
{
    size_t n = 0;

    if (b->ncalcmk < b->nmkt) {
        b->calcmk = book_xrealloc(b->calcmk, b->nmkt * sizeof *b->calcmk);
        b->ncalcmk = b->nmkt;
    }
    for (uint32_t mi = 0; mi < b->nmkt; mi++) {
        struct book_calc_mkt *st = &b->calcmk[mi];
        struct model_tick128 *tk = &st->tk;
        tk->m = b->mkt[mi];
        st->ops = model_get(tk->m->model);
        st->fast = false;
        if (symbit[mi] == 0)
            continue;
        tk->asset = (uint8_t)__builtin_ctz(symbit[mi]);
        tk->price = NULL;
        st->whole = st->ops->tick_account128 != NULL;
        /* one asset of the market priced by s (two are a view's eMode
         * price source, valued by the general path) */
        st->fast = alone && (symbit[mi] & (symbit[mi] - 1)) == 0 &&
                   (st->whole ? book_calc_prices128(b, mi, st)
                              : st->ops->tick128 != NULL) &&
                   !(b->mmissing[mi] & symbit[mi]) &&
                   u256_to_u128(b->mold[mi][tk->asset], &tk->po) &&
                   u256_to_u128(b->mprice[mi][tk->asset], &tk->pn) &&
                   st->ops->tick128_prep(tk);
    }
    uint32_t end = b->hstart[s + 1], upd = b->upd_npos;
    for (uint32_t k = b->hstart[s]; k < end; k++) {
        uint32_t p = book_calc_holder(b, k, end), mi = b->pmkt[p];
        const struct book_calc_mkt *st = &b->calcmk[mi];
        if (st->fast) {
            /* the common case first: alone, the market's move prepared;
             * only positions added since the last update (valued whole
             * and stamped) are skipped */
            if (p >= upd && b->stamp[p] == ep)
                continue;
            n++;
            if (!(st->whole ? book_calc_tick_whole(b, st->ops, &st->tk, p)
                            : book_calc_tick_fast(b, st->ops, &st->tk, p,
                                                  b->hleg[k])))
                book_calc_tick(b, p, b->mold[mi], b->mchanged[mi], b->hleg[k]);
            continue;
        }
        /* Alone, only the positions added since the last update (valued
         * whole and stamped) need skipping; else each is valued once. */
        if (symbit[mi] == 0 ||
            (alone ? p >= b->upd_npos && b->stamp[p] == ep : b->stamp[p] == ep))
            continue;
        if (!alone)
            b->stamp[p] = ep;
        n++;
        book_calc_tick(b, p, b->mold[mi], b->mchanged[mi],
                       alone ? b->hleg[k] : BOOK_HLEG_SCAN);
    }
    return n;
}
