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
 * where every figure fits, through the u256 term and finish otherwise
 * (book_calc_tick, the general path). An update's walk over the positions
 * whose legs moved, with each market's moves prepared once, is
 * book_tick.c's; the inline commit of an account on 128-bit figures both
 * use is book_calc_int.h's. Ranking keys are book_rank.c's business: this
 * file tells it which positions changed. Pure: no I/O, no clock.
 */
#include <stdlib.h>
#include <string.h>

#include "core/book.h"
#include "core/book_calc_int.h"
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
book_calc_wide(struct book_leg v)
{
    struct u256 r = {{v.lo, v.hi & BOOK_LEG_HI_MASK, 0, 0}};
    return r;
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
    uint8_t f = (uint8_t)((b->pflags[idx] & BOOK_P_LEGS) | BOOK_P_PRICED);
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
        b->pflags[idx] = (uint8_t)(b->pflags[idx] & BOOK_P_LEGS);
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
        uint8_t la = book_leg_asset(b, leg + i);
        uint8_t asset = (uint8_t)(la & BOOK_LEG_ASSET);
        u128 po, pn, amt = book_calc_u128(b->legs[leg + i]);
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
        uint8_t la = book_leg_asset(b, leg + i);
        uint8_t asset = (uint8_t)(la & BOOK_LEG_ASSET);
        if (!(changed & (1u << asset)))
            continue;
        if ((la & BOOK_LEG_BIG) || (b->mmissing[mi] & (1u << asset))) {
            book_calc_full(b, idx);
            return;
        }
        struct u256 amt = book_calc_wide(b->legs[leg + i]);
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
