/*
 * liqprice.c: the liquidation price of one asset alone, exact to the base
 * unit, for every model through model_account().
 *
 * Owns the search: a linear estimate from two valuations (health is close
 * to linear in one price), a bracket grown by doubling around it, then
 * bisection on the model's own verdict, so the answer is the model's and
 * not the estimate's. Typically under ten valuations, each the model's own
 * figures: additive models add the asset's terms to the other legs' sums,
 * in 128 bits where they fit (model.h). Where the model proves its verdict
 * a prefix in the price (model.h liqset128, price_prefix), the answer is
 * said to be fixed: the same at every price of the asset; where it tells
 * the liquidatable prices themselves (liqset128), the search reads its
 * verdicts from them, and a prefix's end checked by two verdicts (none
 * where the model proved the set, model.h struct model_liqset) is the
 * answer with no search. liqprice_from_sums gives the same answer from
 * an account's kept sums, with no search and no other leg valued again.
 * In a view whose eMode category has a price source (before 3.2), "the
 * asset's price" is the source's, and every leg it prices moves with it:
 * those searches take the general path. Pure.
 */
#include "core/liqprice.h"

#include <string.h>

#include "core/liq.h"
#include "core/model.h"

/* Prices past 2^200 base units are treated as "every price". */
#define LIQPRICE_MAX_BITS 200

struct liqprice_ctx {
    const struct market *m;
    const struct position *p;
    struct u256 price[MARKET_ASSETS_MAX];
    uint8_t asset;
    /* Additive models: the sums of the legs of other assets, so that a
     * valuation at a trial price adds the terms of the asset's own legs
     * and finishes (model.h), and in 128 bits where they fit. */
    const struct model_ops *ops;
    bool additive, has_debt, fast, rest_done;
    /* Another asset of p's legs takes the asset's price (a view's price
     * source): a trial sets them all, through the general path. */
    bool grouped;
    struct model_sums rest;
    struct model_sums128 rest128;
    unsigned nown;
    struct leg own[2 * POSITION_SIDE_MAX];
    bool own_debt[2 * POSITION_SIDE_MAX];
    u128 own128[2 * POSITION_SIDE_MAX];
    /* liqset128's answer, where it gave one (liqprice_set). */
    bool has_set;
    struct model_liqset set;
    /* Models with account128: the legs and prices in 128 bits. */
    uint8_t lasset[2 * POSITION_SIDE_MAX];
    u128 lamount[2 * POSITION_SIDE_MAX];
    u128 price128[MARKET_ASSETS_MAX];
};

/* Whether assets a and b take one price: the same asset, or two priced
 * by one eMode price source in a view (market_asset_price_sym). */
static bool
liqprice_same_price(const struct market *m, uint8_t a, uint8_t b)
{
    const struct asset *x = &m->assets[a], *y = &m->assets[b];

    return a == b || ((x->repriced || y->repriced) &&
                      market_asset_price_sym(x) == market_asset_price_sym(y));
}

/* Split the position's legs into the asset's own and the rest. */
static void
liqprice_setup(struct liqprice_ctx *c)
{
    const struct position *p = c->p;
    const struct market *m = c->m;
    unsigned n = (unsigned)p->ncoll + p->ndebt;

    c->ops = model_get(m->model);
    c->has_debt = position_has_debt(p);
    c->additive = c->ops != NULL && model_is_additive(m);
    c->fast = c->ops != NULL &&
              ((c->ops->term128 != NULL && c->ops->finish128 != NULL) ||
               c->ops->account128 != NULL);
    memset(&c->rest, 0, sizeof(c->rest));
    memset(&c->rest128, 0, sizeof(c->rest128));
    c->rest_done = false;
    c->nown = 0;
    c->grouped = false;
    for (unsigned i = 0; i < n; i++) {
        bool debt = i >= p->ncoll;
        const struct leg *l = debt ? &p->debt[i - p->ncoll] : &p->coll[i];
        c->lasset[i] = l->asset;
        c->fast = c->fast && u256_to_u128(l->amount, &c->lamount[i]) &&
                  u256_to_u128(c->price[l->asset], &c->price128[l->asset]);
        c->grouped = c->grouped || (l->asset != c->asset &&
                                    liqprice_same_price(m, l->asset, c->asset));
        if (l->asset == c->asset) {
            c->own[c->nown] = *l;
            c->own_debt[c->nown] = debt;
            c->own128[c->nown++] = c->lamount[i];
            continue;
        }
        if (c->additive && c->fast && c->ops->term128 != NULL) {
            struct model_sums128 t128;
            bool ok = c->ops->term128(m, l->asset, debt, c->lamount[i],
                                      c->price128[l->asset], &t128);
            for (int k = 0; k < MODEL_SUMS && ok; k++)
                ok = !__builtin_add_overflow(c->rest128.s[k], t128.s[k],
                                             &c->rest128.s[k]);
            c->fast = ok;
        }
    }
    if (c->grouped)
        c->fast = c->additive = false;
}

/* The rest's sums in u256, for a valuation the 128-bit path declines;
 * false when a leg cannot be valued (model_account then says why). */
static bool
liqprice_rest(struct liqprice_ctx *c)
{
    const struct position *p = c->p;
    struct model_sums t;
    unsigned n = (unsigned)p->ncoll + p->ndebt;

    if (c->rest_done)
        return c->additive;
    c->rest_done = true;
    for (unsigned i = 0; i < n && c->additive; i++) {
        bool debt = i >= p->ncoll;
        const struct leg *l = debt ? &p->debt[i - p->ncoll] : &p->coll[i];
        if (l->asset != c->asset &&
            (c->ops->term(c->m, l->asset, debt, l->amount, c->price[l->asset],
                          &t) != 0 ||
             model_sums_add(&c->rest, &t) != 0))
            c->additive = false;
    }
    return c->additive;
}

/* The account at price x of the asset in 128 bits; false where a figure
 * does not fit (the caller then takes the u256 path). */
static bool
liqprice_fast(struct liqprice_ctx *c, struct u256 x, bool *liq, struct u256 *hf)
{
    u128 x128;

    if (!c->fast || !u256_to_u128(x, &x128))
        return false;
    if (c->additive) {
        struct model_sums128 sums = c->rest128, t;
        struct model_health128 h;
        bool ok = c->ops->term128 != NULL && c->ops->finish128 != NULL;
        for (unsigned i = 0; i < c->nown && ok; i++) {
            ok = c->ops->term128(c->m, c->asset, c->own_debt[i], c->own128[i],
                                 x128, &t);
            for (int k = 0; k < MODEL_SUMS && ok; k++)
                ok = !__builtin_add_overflow(sums.s[k], t.s[k], &sums.s[k]);
        }
        if (!ok || !c->ops->finish128(c->m, &sums, c->has_debt, &h))
            return false;
        *liq = h.liquidatable;
        *hf = h.has_debt ? u256_from_u128(h.hf) : u256_max();
        return true;
    }
    struct model_account128 a;
    if (c->ops->account128 == NULL)
        return false;
    c->price128[c->asset] = x128;
    if (!c->ops->account128(c->m, c->lasset, c->lamount, c->p->ncoll,
                            c->p->ndebt, c->price128, &a))
        return false;
    *liq = a.liquidatable;
    *hf = a.has_debt ? u256_from_u128(a.hf) : u256_max();
    return true;
}

/* The model's verdict at price x of the asset: 1 liquidatable, 0 not, -1
 * when the model cannot value it (an overflow far out). The same answer
 * as model_account() with the asset at x, by the twins or by the sums. */
static int
liqprice_verdict(struct liqprice_ctx *c, struct u256 x, struct u256 *hf)
{
    struct account a;
    struct u256 h;
    bool liq;
    int rc = 0;
    u128 x128;

    if (c->has_set && hf == NULL && u256_to_u128(x, &x128)) {
        for (unsigned i = 0; i < c->set.n && x128 >= c->set.lo[i]; i++)
            if (x128 < c->set.hi[i])
                return 1;
        return 0;
    }
    if (liqprice_fast(c, x, &liq, &h)) {
        if (hf != NULL)
            *hf = h;
        return liq ? 1 : 0;
    }
    if (liqprice_rest(c)) {
        struct model_sums sums = c->rest, t;
        for (unsigned i = 0; i < c->nown && rc == 0; i++) {
            rc = c->ops->term(c->m, c->asset, c->own_debt[i], c->own[i].amount,
                              x, &t);
            if (rc == 0)
                rc = model_sums_add(&sums, &t);
        }
        if (rc == 0)
            rc = c->ops->finish(c->m, &sums, c->has_debt, &a);
    } else {
        c->price[c->asset] = x;
        for (unsigned i = 0; c->grouped && i < c->m->nassets; i++)
            if (liqprice_same_price(c->m, (uint8_t)i, c->asset))
                c->price[i] = x;
        rc = model_account(c->m, c->p, c->price, &a);
    }
    if (rc != 0) {
        if (hf != NULL)
            *hf = u256_max();
        return -1;
    }
    if (hf != NULL)
        *hf = a.hf;
    return a.liquidatable ? 1 : 0;
}

/* Errors count as "not liquidatable" where the search only needs a yes. */
static bool
liqprice_liquidatable(struct liqprice_ctx *c, struct u256 x, struct u256 *hf)
{
    return liqprice_verdict(c, x, hf) == 1;
}

static struct u256
liqprice_cap(void)
{
    struct u256 cap = u256_zero();

    cap.w[LIQPRICE_MAX_BITS / 64] = 1ULL << (LIQPRICE_MAX_BITS % 64);
    return cap;
}

/*
 * The linear estimate x = x1 * (1 - h0) / (h1 - h0) from health h0 at price
 * 0 and h1 at price x1; false when health does not grow with the price.
 */
static bool
liqprice_estimate(struct u256 h0, struct u256 h1, struct u256 x1,
                  struct u256 *out)
{
    struct u256 num, den;

    if (!u256_lt(h0, h1) || u256_is_max(h1))
        return false;
    if (u256_sub(&num, u256_from_u64(WAD), h0) != 0)
        return false;
    (void)u256_sub(&den, h1, h0);
    return u256_muldiv(out, x1, num, den, U256_FLOOR) == 0;
}

/*
 * Where the model tells the prices at which the verdict is liquidatable
 * (model.h liqset128: one collateral leg of the asset, the rest's sums in
 * 128 bits), the search's verdicts below 2^128 are read from them; the
 * health at 0 and at the price now, which the estimate takes, are still
 * the model's own. One interval from 0 is a prefix: then the answer is
 * the one price L liquidatable with L + 1 not, which the search below,
 * whatever its path, ends on (its low end stays liquidatable, so at or
 * below L, its high end not, so above it); it is checked by two verdicts
 * of the model's, unless the model proved the set, and returned at once
 * (true), fixed at every price.
 */
static bool
liqprice_set(struct liqprice_ctx *c, struct u256 *out)
{
    struct model_liqset *s = &c->set;
    struct u256 x;

    c->has_set =
        c->additive && c->fast && c->ops->liqset128 != NULL &&
        c->ops->term128 != NULL && c->nown == 1 && !c->own_debt[0] &&
        c->ops->liqset128(c->m, &c->rest128, c->asset, c->own128[0], s);
    if (!c->has_set || s->n != 1 || s->lo[0] != 0 || s->hi[0] == 0)
        return false;
    c->has_set = false; /* the checks ask the model */
    x = u256_from_u128(s->hi[0] - 1);
    if (!s->proven &&
        (liqprice_verdict(c, x, NULL) != 1 ||
         liqprice_verdict(c, u256_from_u128(s->hi[0]), NULL) != 0))
        return false;
    *out = x;
    return true;
}

int
liqprice_compute(const struct market *m, const struct position *p,
                 const struct u256 *price, uint8_t asset, bool *exists,
                 struct u256 *out)
{
    bool fixed;

    return liqprice_search(m, p, price, asset, exists, out, &fixed);
}

int
liqprice_search(const struct market *m, const struct position *p,
                const struct u256 *price, uint8_t asset, bool *exists,
                struct u256 *out, bool *fixed)
{
    struct liqprice_ctx c;
    struct u256 h0, h1, x1, est, lo, hi, step, cap = liqprice_cap();
    bool hi_err;
    int v;

    if (asset >= m->nassets)
        return LIQ_EINVAL;
    /* What setup fills is left to it: the context is a few kilobytes,
     * and zeroing it was a good part of a search. */
    c.m = m;
    c.p = p;
    c.asset = asset;
    memcpy(c.price, price, m->nassets * sizeof(price[0]));
    memset(c.price128, 0, m->nassets * sizeof(c.price128[0]));
    *exists = false;
    *fixed = false;
    if (!position_has_debt(p))
        return 0;
    liqprice_setup(&c);
    if (liqprice_set(&c, out)) {
        *exists = true;
        *fixed = true;
        return 0;
    }
    /* Healthy even at zero: no price of this asset liquidates it. */
    if (!liqprice_liquidatable(&c, u256_zero(), &h0))
        return 0;
    x1 = price[asset];
    if (u256_is_zero(x1))
        x1 = u256_exp10(m->base_decimals);
    (void)liqprice_liquidatable(&c, x1, &h1);
    if (!liqprice_estimate(h0, h1, x1, &est))
        est = x1;
    if (u256_lt(cap, est))
        est = cap;
    /* Bracket: lo liquidatable, hi not. The estimate is off only by the
     * models' rounding, so start with a small step and grow it. */
    /* est >> 40: the estimate is off only by rounding, typically a few
     * units, so a few doublings find the bracket and few halvings close
     * it. */
    step = u256_zero();
    for (int i = 0; i < 3; i++)
        step.w[i] = (est.w[i] >> 40) | (est.w[i + 1] << 24);
    step.w[3] = est.w[3] >> 40;
    if (u256_is_zero(step))
        step = u256_from_u64(1);
    hi_err = false;
    v = liqprice_verdict(&c, est, NULL);
    if (v == 1) {
        lo = est;
        for (;;) {
            if (u256_add(&hi, lo, step) != 0 || u256_lt(cap, hi))
                hi = cap;
            if (u256_eq(hi, lo))
                return 0; /* liquidatable at every price up to 2^200 */
            v = liqprice_verdict(&c, hi, NULL);
            if (v < 0) {
                /* Past where the model can value the position: close in
                 * on that edge with smaller steps. Liquidatable up to it
                 * is no price, as if liquidatable at every price. */
                if (u256_le(step, u256_from_u64(1)))
                    return 0;
                (void)u256_div(&step, step, u256_from_u64(2), U256_FLOOR);
                continue;
            }
            if (v == 0)
                break;
            lo = hi;
            (void)u256_add(&step, step, step);
        }
    } else {
        hi = est;
        hi_err = v < 0;
        for (;;) {
            if (u256_le(hi, step)) {
                lo = u256_zero();
                break;
            }
            (void)u256_sub(&lo, hi, step);
            v = liqprice_verdict(&c, lo, NULL);
            if (v == 1)
                break;
            hi = lo;
            hi_err = v < 0;
            (void)u256_add(&step, step, step);
        }
    }
    /* Bisect: lo liquidatable, hi not (or not valued), until they are one
     * unit apart. */
    for (;;) {
        struct u256 span = u256_zero(), mid = u256_zero();

        (void)u256_sub(&span, hi, lo);
        if (u256_le(span, u256_from_u64(1)))
            break;
        (void)u256_div(&span, span, u256_from_u64(2), U256_FLOOR);
        (void)u256_add(&mid, lo, span);
        v = liqprice_verdict(&c, mid, NULL);
        if (v == 1) {
            lo = mid;
        } else {
            hi = mid;
            hi_err = v < 0;
        }
    }
    /* Liquidatable up to the last price the model can value: no price. */
    if (hi_err)
        return 0;
    *exists = true;
    *out = lo;
    /* A verdict the model proves a prefix in the price has one boundary,
     * which any search ends on: this answer at every price of it. */
    *fixed = !c.grouped && c.ops != NULL && c.ops->price_prefix != NULL &&
             c.ops->price_prefix(m, p, asset);
    return 0;
}

/* The model's verdict with the leg at price x added to the rest: 1
 * liquidatable, 0 not, -1 where a figure leaves 128 bits. */
static int
liqprice_sums_verdict(const struct market *m, const struct model_ops *ops,
                      const struct model_sums128 *rest, uint8_t asset,
                      u128 amount, u128 x)
{
    struct model_sums128 sums = *rest, t;
    struct model_health128 h;

    if (!ops->term128(m, asset, false, amount, x, &t))
        return -1;
    for (int k = 0; k < MODEL_SUMS; k++)
        if (__builtin_add_overflow(sums.s[k], t.s[k], &sums.s[k]))
            return -1;
    if (!ops->finish128(m, &sums, true, &h))
        return -1;
    return h.liquidatable ? 1 : 0;
}

bool
liqprice_from_sums(const struct market *m, const struct model_sums128 *sums,
                   uint8_t asset, u128 amount, u128 price, bool *exists,
                   struct u256 *out)
{
    const struct model_ops *ops = model_get(m->model);
    struct model_sums128 rest, t;
    struct model_liqset s;

    /* an eMode price source moves every leg it prices: the search's */
    if (asset >= m->nassets || m->assets[asset].repriced || ops == NULL ||
        ops->liqset128 == NULL || ops->term128 == NULL ||
        ops->finish128 == NULL || !model_is_additive(m) ||
        !ops->term128(m, asset, false, amount, price, &t))
        return false;
    for (int k = 0; k < MODEL_SUMS; k++) {
        if (sums->s[k] < t.s[k])
            return false;
        rest.s[k] = sums->s[k] - t.s[k];
    }
    if (!ops->liqset128(m, &rest, asset, amount, &s))
        return false;
    if (s.n == 0) {
        /* No price below 2^128: the search's first verdict, at 0, is
         * not liquidatable, and it answers none there. */
        if (!s.proven &&
            liqprice_sums_verdict(m, ops, &rest, asset, amount, 0) != 0)
            return false;
        *exists = false;
        return true;
    }
    /* One interval from 0: its end, checked as liqprice_set does unless
     * the model proved it. */
    if (s.n != 1 || s.lo[0] != 0 || s.hi[0] == 0 ||
        (!s.proven &&
         (liqprice_sums_verdict(m, ops, &rest, asset, amount, s.hi[0] - 1) !=
              1 ||
          liqprice_sums_verdict(m, ops, &rest, asset, amount, s.hi[0]) != 0)))
        return false;
    *exists = true;
    *out = u256_from_u128(s.hi[0] - 1);
    return true;
}
