/*
 * stress.c: scenario maths over positions: shocked prices, one largest
 * liquidation call per liquidatable position valued in base units, and
 * the least uniform fall of a group of prices that makes a position
 * liquidatable.
 *
 * Owns these computations; every verdict and amount is the model's own
 * (model_account, model_liquidate, or the model's 128-bit twins where
 * they serve, which give the same answer). Pure: no allocation, no I/O.
 */
#include "core/stress.h"

#include <string.h>

#include "core/liq.h"
#include "core/model.h"
#include "core/model_aave.h"
#include "core/preview.h"

int
stress_price(struct u256 price_e18, int32_t ppm, struct u256 *out)
{
    struct u256 r;
    int64_t f = (int64_t)STRESS_PPM + ppm;
    int rc;

    if (f <= 0)
        return LIQ_ERANGE;
    rc = u256_muldiv(&r, price_e18, u256_from_u64((uint64_t)f),
                     u256_from_u64(STRESS_PPM), U256_FLOOR);
    if (rc != 0)
        return rc;
    if (u256_is_zero(r))
        return LIQ_ERANGE;
    *out = r;
    return 0;
}

/* floor(amount * price / 10^decimals), the base-unit value of a leg. */
static int
stress_value(const struct market *m, uint8_t asset, struct u256 amount,
             const struct u256 *price, struct u256 *out)
{
    u128 a, p, v;

    /* the same floor in 128 bits where it fits */
    if (u256_to_u128(amount, &a) && u256_to_u128(price[asset], &p) &&
        u256_muldiv128_pow10(&v, a, p, m->assets[asset].decimals)) {
        *out = u256_from_u128(v);
        return 0;
    }
    return u256_muldiv(out, amount, price[asset],
                       u256_exp10(m->assets[asset].decimals), U256_FLOOR);
}

/* The value of the debt one call on leg `leg` repaying `repay` leaves:
 * every debt leg's token balance (the repaid one's after the contract
 * burns the repay) at its price. */
static int
stress_debt_left(const struct market *m, const struct position *p,
                 const struct u256 *price, int leg, struct u256 repay,
                 struct u256 *out)
{
    struct u256 sum = u256_zero();

    for (int k = 0; k < p->ndebt; k++) {
        struct u256 stored = p->debt[k].amount, bal, v;
        uint8_t a = p->debt[k].asset;
        int rc = 0;

        if (k == leg)
            rc = model_apply(m, a, true, stored, repay, &stored);
        if (rc == 0)
            rc = model_balance(m, a, true, stored, &bal);
        if (rc == 0)
            rc = stress_value(m, a, bal, price, &v);
        if (rc == 0 && u256_add(&sum, sum, v) != 0)
            rc = LIQ_EOVERFLOW;
        if (rc != 0)
            return rc;
    }
    *out = sum;
    return 0;
}

int
stress_call(const struct market *m, const struct position *p,
            const struct u256 *price, bool was_liquidatable,
            struct stress_totals *t)
{
    uint8_t debt = 0, coll = 0;

    if (m->model != MODEL_COMPOUND_V3 && p->ndebt > 0 && p->ncoll > 0) {
        debt = model_largest_leg(m, p, true, price);
        coll = model_largest_leg(m, p, false, price);
    }
    return stress_call_legs(m, p, price, debt, coll, was_liquidatable, t);
}

int
stress_call_legs(const struct market *m, const struct position *p,
                 const struct u256 *price, uint8_t debt, uint8_t coll,
                 bool was_liquidatable, struct stress_totals *t)
{
    struct stress_totals add;
    struct liq_call call;
    struct liq_result res;
    int rc = 0;

    memset(&add, 0, sizeof add);
    add.liquidatable = 1;
    add.newly_liquidatable = was_liquidatable ? 0 : 1;
    if (m->model == MODEL_COMPOUND_V3 && p->ndebt > 0) {
        /* compound-v3: absorb takes every collateral and the whole debt;
         * what the credit leaves of the debt is the reserves' loss. */
        struct model_comet_absorb ab;
        uint8_t b = m->comet.base;

        rc = model_comet_absorb(m, p, price, &ab);
        if (rc == 0 && ab.liquidatable) {
            add.collateral_seized_value = ab.coll_value;
            add.bonus_value = ab.penalty;
            rc = stress_value(m, b, ab.debt, price, &add.debt_repayable_value);
            if (rc == 0)
                rc = stress_value(m, b, ab.shortfall, price,
                                  &add.bad_debt_value);
        }
    } else if (p->ndebt > 0 && p->ncoll > 0) {
        const struct model_ops *ops = model_get(m->model);
        struct model_call128 c128;

        memset(&call, 0, sizeof call);
        call.debt = debt;
        call.coll = coll;
        call.max = true;
        if (ops != NULL && ops->max_call128 != NULL &&
            ops->max_call128(m, p, price, call.debt, call.coll, &c128)) {
            /* the twin: the same figures as the model's call */
            memset(&res, 0, sizeof res);
            res.repay = u256_from_u128(c128.repay);
            res.seized = u256_from_u128(c128.seized);
            res.bonus = u256_from_u128(c128.bonus);
            res.bad_debt_after = c128.bad_debt_after;
            res.revert = c128.revert;
        } else if ((rc = model_liquidate(m, p, price, &call, &res)) != 0) {
            return rc;
        }
        if (res.revert == REVERT_NONE) {
            uint8_t da = p->debt[call.debt].asset;
            uint8_t ca = p->coll[call.coll].asset;
            /* euler-v2 seizes vault shares: valued as the assets they are */
            bool shares = m->model == MODEL_EULER_V2;

            rc = stress_value(m, da, res.repay, price,
                              &add.debt_repayable_value);
            if (rc == 0)
                rc =
                    stress_value(m, ca, shares ? res.seized_assets : res.seized,
                                 price, &add.collateral_seized_value);
            if (rc == 0)
                rc = stress_value(m, ca, shares ? res.bonus_assets : res.bonus,
                                  price, &add.bonus_value);
            if (rc == 0 && res.bad_debt_after)
                rc = stress_debt_left(m, p, price, call.debt, res.repay,
                                      &add.bad_debt_value);
        }
    } else if (p->ncoll == 0) {
        /* Nothing to seize: all of the debt is bad debt. */
        rc =
            stress_debt_left(m, p, price, -1, u256_zero(), &add.bad_debt_value);
    }
    if (rc != 0)
        return rc;
    return stress_totals_add(t, &add, 0);
}

int
stress_position(const struct market *m, const struct position *p,
                const struct u256 *price, bool was_liquidatable,
                struct stress_totals *t)
{
    struct account a;
    int rc = model_account(m, p, price, &a);

    if (rc != 0)
        return rc;
    if (!a.liquidatable)
        return 0;
    return stress_call(m, p, price, was_liquidatable, t);
}

/* p's legs as the twins take them, collateral first, and the prices of
 * the legs' assets, collateral legs at lo and debt legs at hi. False where
 * a figure passes 128 bits. */
static bool
stress_legs128(const struct market *m, const struct position *p,
               const struct u256 *lo, const struct u256 *hi, uint8_t *asset,
               u128 *amount, u128 *plo, u128 *phi)
{
    unsigned n = (unsigned)p->ncoll + p->ndebt;

    if (m->nassets > MARKET_ASSETS_MAX)
        return false;
    for (unsigned i = 0; i < n; i++) {
        bool debt = i >= p->ncoll;
        const struct leg *l = debt ? &p->debt[i - p->ncoll] : &p->coll[i];

        if (l->asset >= m->nassets)
            return false;
        asset[i] = l->asset;
        if (!u256_to_u128(l->amount, &amount[i]) ||
            !u256_to_u128(lo[l->asset], &plo[l->asset]) ||
            !u256_to_u128(hi[l->asset], &phi[l->asset]))
            return false;
    }
    return true;
}

/* The 128-bit verdict with collateral legs at lo and debt legs at hi
 * (additive models; for the others lo and hi must agree on every asset
 * held); false where the twins decline. */
static bool
stress_verdict128(const struct market *m, const struct position *p,
                  const struct u256 *lo, const struct u256 *hi, bool *liq)
{
    const struct model_ops *ops = model_get(m->model);
    uint8_t asset[2 * POSITION_SIDE_MAX];
    u128 amount[2 * POSITION_SIDE_MAX], plo[MARKET_ASSETS_MAX],
        phi[MARKET_ASSETS_MAX];
    unsigned n = (unsigned)p->ncoll + p->ndebt;

    if (ops == NULL)
        return false;
    memset(plo, 0, sizeof plo);
    memset(phi, 0, sizeof phi);
    if (!stress_legs128(m, p, lo, hi, asset, amount, plo, phi))
        return false;
    if (model_is_additive(m) && ops->term128 != NULL &&
        ops->finish128 != NULL) {
        struct model_sums128 sums, t;
        struct model_health128 h;

        memset(&sums, 0, sizeof sums);
        for (unsigned i = 0; i < n; i++) {
            bool debt = i >= p->ncoll;

            if (!ops->term128(m, asset[i], debt, amount[i],
                              debt ? phi[asset[i]] : plo[asset[i]], &t))
                return false;
            for (int k = 0; k < MODEL_SUMS; k++)
                if (__builtin_add_overflow(sums.s[k], t.s[k], &sums.s[k]))
                    return false;
        }
        if (!ops->finish128(m, &sums, position_has_debt(p), &h))
            return false;
        *liq = h.liquidatable;
        return true;
    }
    if (ops->account128 != NULL) {
        struct model_account128 a;

        if (!ops->account128(m, asset, amount, p->ncoll, p->ndebt, plo, &a))
            return false;
        *liq = a.liquidatable;
        return true;
    }
    return false;
}

int
stress_verdict(const struct market *m, const struct position *p,
               const struct u256 *price, bool *liq)
{
    struct account a;
    int rc;

    if (stress_verdict128(m, p, price, price, liq))
        return 0;
    rc = model_account(m, p, price, &a);
    if (rc != 0)
        return rc;
    *liq = a.liquidatable;
    return 0;
}

bool
stress_may_liquidate(const struct market *m, const struct position *p,
                     const struct u256 *lo, const struct u256 *hi)
{
    const struct model_ops *ops = model_get(m->model);
    struct u256 px[MARKET_ASSETS_MAX];
    struct account a;
    bool liq;

    if (ops == NULL || m->nassets > MARKET_ASSETS_MAX)
        return true;
    /* Aave before 3.5 truncates the average threshold (floor(sum / coll)),
     * so with two collaterals health may move a hair against a price:
     * no corner bounds it (spark values as 3.5 does). */
    if (market_is_aave3(m->model) && !model_aave3_rules(m)->value_v35 &&
        p->ncoll >= 2)
        return true;
    if (model_is_additive(m)) {
        struct model_sums sums, t;

        if (stress_verdict128(m, p, lo, hi, &liq))
            return liq;
        if (ops->term == NULL || ops->finish == NULL)
            return true;
        memset(&sums, 0, sizeof sums);
        for (int i = 0; i < p->ncoll + p->ndebt; i++) {
            bool debt = i >= p->ncoll;
            const struct leg *l = debt ? &p->debt[i - p->ncoll] : &p->coll[i];

            if (ops->term(m, l->asset, debt, l->amount,
                          debt ? hi[l->asset] : lo[l->asset], &t) != 0 ||
                model_sums_add(&sums, &t) != 0)
                return true;
        }
        return ops->finish(m, &sums, position_has_debt(p), &a) != 0 ||
               a.liquidatable;
    }
    /* Valued whole: one price per asset, so none may sit on both sides. */
    memcpy(px, lo, sizeof px);
    for (int k = 0; k < p->ndebt; k++) {
        if (position_coll_find(p, p->debt[k].asset) >= 0)
            return true;
        px[p->debt[k].asset] = hi[p->debt[k].asset];
    }
    if (stress_verdict128(m, p, px, px, &liq))
        return liq;
    return model_account(m, p, px, &a) != 0 || a.liquidatable;
}

static int
stress_add_scaled(struct u256 *sum, struct u256 v, unsigned shift)
{
    struct u256 r;

    if (shift > 0 && u256_mul(&v, v, u256_exp10(shift)) != 0)
        return LIQ_EOVERFLOW;
    if (u256_add(&r, *sum, v) != 0)
        return LIQ_EOVERFLOW;
    *sum = r;
    return 0;
}

int
stress_totals_add(struct stress_totals *sum, const struct stress_totals *t,
                  unsigned shift)
{
    struct stress_totals r = *sum;

    if (stress_add_scaled(&r.debt_repayable_value, t->debt_repayable_value,
                          shift) != 0 ||
        stress_add_scaled(&r.collateral_seized_value,
                          t->collateral_seized_value, shift) != 0 ||
        stress_add_scaled(&r.bonus_value, t->bonus_value, shift) != 0 ||
        stress_add_scaled(&r.bad_debt_value, t->bad_debt_value, shift) != 0)
        return LIQ_EOVERFLOW;
    r.liquidatable += t->liquidatable;
    r.newly_liquidatable += t->newly_liquidatable;
    *sum = r;
    return 0;
}

int
stress_totals_sub(struct stress_totals *sum, const struct stress_totals *t)
{
    struct stress_totals r = *sum;

    if (r.liquidatable < t->liquidatable ||
        r.newly_liquidatable < t->newly_liquidatable ||
        u256_sub(&r.debt_repayable_value, r.debt_repayable_value,
                 t->debt_repayable_value) != 0 ||
        u256_sub(&r.collateral_seized_value, r.collateral_seized_value,
                 t->collateral_seized_value) != 0 ||
        u256_sub(&r.bonus_value, r.bonus_value, t->bonus_value) != 0 ||
        u256_sub(&r.bad_debt_value, r.bad_debt_value, t->bad_debt_value) != 0)
        return LIQ_ERANGE;
    r.liquidatable -= t->liquidatable;
    r.newly_liquidatable -= t->newly_liquidatable;
    *sum = r;
    return 0;
}

uint32_t
stress_default_group(const struct market *m, const struct position *p)
{
    uint32_t g = 0;

    /* by the symbol that prices each (a view's eMode price source) */
    for (int i = 0; i < p->ncoll; i++) {
        uint32_t sym = market_asset_price_sym(&m->assets[p->coll[i].asset]);
        bool owed = false;

        for (int k = 0; k < p->ndebt && !owed; k++)
            owed = market_asset_price_sym(&m->assets[p->debt[k].asset]) == sym;
        if (!owed)
            g |= 1u << p->coll[i].asset;
    }
    return g;
}

/*
 * The search's state: the position's legs, the prices outside the group
 * (base units), and for additive models the sums of the legs outside the
 * group in 128 bits, so that a trial adds the group's legs alone.
 */
struct stress_ctx {
    const struct market *m;
    const struct position *p;
    const struct model_ops *ops;
    const struct u256 *price_e18;
    uint32_t group;
    uint32_t held; /* a bit per asset of the position's legs */
    struct u256 price[MARKET_ASSETS_MAX];
    bool fast, additive, has_debt;
    struct model_sums128 rest128;
    uint8_t lasset[2 * POSITION_SIDE_MAX];
    u128 lamount[2 * POSITION_SIDE_MAX];
    bool ldebt[2 * POSITION_SIDE_MAX];
    u128 price128[MARKET_ASSETS_MAX];
    u128 e18_128[MARKET_ASSETS_MAX]; /* the group's, where they fit */
    /* A Morpho market whose oracle price is given (design.md 3.1
     * "oracle_price"): the oracle is the ratio of the collateral's price
     * to the loan's, so a fall of the group by f scales it by (1 - f),
     * truncated, where the group holds the collateral and not the loan,
     * and by 1 / (1 - f), truncated, where it holds the loan alone. m
     * then points at mm, a copy whose oracle each trial sets. */
    struct market *mm;
    int oracle_dir; /* 1: the collateral falls, -1: the loan, 0: neither */
    struct u256 oracle0;
};

static void
stress_setup(struct stress_ctx *c)
{
    const struct position *p = c->p;
    const struct market *m = c->m;
    unsigned n = (unsigned)p->ncoll + p->ndebt;

    c->ops = model_get(m->model);
    c->has_debt = position_has_debt(p);
    for (unsigned i = 0; i < n; i++) {
        uint8_t a =
            i < p->ncoll ? p->coll[i].asset : p->debt[i - p->ncoll].asset;

        if (!((c->held >> a) & 1))
            c->price[a] = market_price_base(m, c->price_e18[a]);
        c->held |= 1u << a;
    }
    c->additive = c->ops != NULL && model_is_additive(m) &&
                  c->ops->term128 != NULL && c->ops->finish128 != NULL;
    c->fast = c->ops != NULL && (c->additive || c->ops->account128 != NULL) &&
              m->base_decimals <= PRICE_DECIMALS;
    memset(&c->rest128, 0, sizeof c->rest128);
    for (unsigned i = 0; i < m->nassets && c->fast; i++) {
        if ((c->held >> i) & 1)
            c->fast = u256_to_u128(c->price[i], &c->price128[i]);
        if (c->fast && ((c->group & c->held) >> i) & 1)
            c->fast = u256_to_u128(c->price_e18[i], &c->e18_128[i]);
    }
    for (unsigned i = 0; i < n && c->fast; i++) {
        bool debt = i >= p->ncoll;
        const struct leg *l = debt ? &p->debt[i - p->ncoll] : &p->coll[i];

        c->lasset[i] = l->asset;
        c->ldebt[i] = debt;
        c->fast = u256_to_u128(l->amount, &c->lamount[i]);
        if (!c->fast || !c->additive || (c->group >> l->asset) & 1)
            continue;
        {
            struct model_sums128 t;
            bool ok = c->ops->term128(m, l->asset, debt, c->lamount[i],
                                      c->price128[l->asset], &t);

            for (int k = 0; k < MODEL_SUMS && ok; k++)
                ok = !__builtin_add_overflow(c->rest128.s[k], t.s[k],
                                             &c->rest128.s[k]);
            c->fast = ok;
        }
    }
}

/* The 128-bit verdict and health at a fall of f bps; false where the
 * twins decline (the caller then asks model_account). A fallen price is
 * floor(floor(e18 (10^4 - f) / 10^4) / 10^(18 - base)), one division. */
static bool
stress_fast(struct stress_ctx *c, uint32_t f, bool *liq, u128 *hf)
{
    const struct position *p = c->p;
    unsigned n = (unsigned)p->ncoll + p->ndebt;
    unsigned cut = 4 + PRICE_DECIMALS - c->m->base_decimals;
    uint32_t g = c->group & c->held;
    u128 px[MARKET_ASSETS_MAX];

    if (!c->fast)
        return false;
    memcpy(px, c->price128, sizeof px);
    for (unsigned i = 0; g >> i; i++)
        if (((g >> i) & 1) &&
            !u256_muldiv128_pow10(&px[i], c->e18_128[i],
                                  (u128)(STRESS_BPS_MAX - f), cut))
            return false;
    if (c->additive) {
        struct model_sums128 sums = c->rest128, t;
        struct model_health128 h;

        for (unsigned i = 0; i < n; i++) {
            bool ok;

            if (!((c->group >> c->lasset[i]) & 1))
                continue;
            ok = c->ops->term128(c->m, c->lasset[i], c->ldebt[i], c->lamount[i],
                                 px[c->lasset[i]], &t);
            for (int k = 0; k < MODEL_SUMS && ok; k++)
                ok = !__builtin_add_overflow(sums.s[k], t.s[k], &sums.s[k]);
            if (!ok)
                return false;
        }
        if (!c->ops->finish128(c->m, &sums, c->has_debt, &h))
            return false;
        *liq = h.liquidatable;
        *hf = h.has_debt ? h.hf : ~(u128)0;
        return true;
    }
    {
        struct model_account128 a;

        if (!c->ops->account128(c->m, c->lasset, c->lamount, p->ncoll, p->ndebt,
                                px, &a))
            return false;
        *liq = a.liquidatable;
        *hf = a.has_debt ? a.hf : ~(u128)0;
        return true;
    }
}

/* The model's verdict at a fall of f bps, and its health when hf is not
 * NULL (u256_max where unknown); an error counts as not liquidatable. */
static bool
stress_liquidatable_at(struct stress_ctx *c, uint32_t f, struct u256 *hf)
{
    struct u256 price[MARKET_ASSETS_MAX];
    struct account a;
    bool liq;
    u128 h;

    if (c->oracle_dir != 0) {
        struct u256 *o = &c->mm->morpho.oracle_price;
        struct u256 num = u256_from_u64(STRESS_BPS_MAX - f),
                    den = u256_from_u64(STRESS_BPS_MAX);
        int rc;

        if (c->oracle_dir > 0)
            rc = u256_muldiv(o, c->oracle0, num, den, U256_FLOOR);
        else if (f == STRESS_BPS_MAX)
            return false; /* a worthless loan: no debt to speak of */
        else
            rc = u256_muldiv(o, c->oracle0, den, num, U256_FLOOR);
        if (rc != 0)
            return false;
    }
    if (stress_fast(c, f, &liq, &h)) {
        if (hf != NULL)
            *hf = u256_from_u128(h);
        return liq;
    }
    if (hf != NULL)
        *hf = u256_max();
    memcpy(price, c->price, sizeof price);
    for (unsigned i = 0; i < c->m->nassets; i++) {
        struct u256 x;

        if (!((c->group >> i) & 1))
            continue;
        if (u256_muldiv(&x, c->price_e18[i], u256_from_u64(STRESS_BPS_MAX - f),
                        u256_from_u64(STRESS_BPS_MAX), U256_FLOOR) != 0)
            return false;
        price[i] = market_price_base(c->m, x);
    }
    if (model_account(c->m, c->p, price, &a) != 0)
        return false;
    if (hf != NULL)
        *hf = a.hf;
    return a.liquidatable;
}

/*
 * A first guess at the least fall from the health before (h0, not
 * liquidatable) and at 100 % (h1, liquidatable): health is close to linear
 * in a uniform fall of collateral prices, so the line through the two
 * crosses 1 near the answer. Only a guess: the search checks it.
 */
static uint32_t
stress_guess(struct u256 h0, struct u256 h1)
{
    struct u256 num, den, g;

    if (u256_is_max(h0) || u256_is_max(h1) || !u256_lt(h1, h0) ||
        u256_sub(&num, h0, u256_from_u64(WAD)) != 0 ||
        u256_sub(&den, h0, h1) != 0 ||
        u256_muldiv(&g, num, u256_from_u64(STRESS_BPS_MAX), den, U256_FLOOR) !=
            0 ||
        !u256_fits_u64(g) || u256_to_u64(g) >= STRESS_BPS_MAX)
        return STRESS_BPS_MAX / 2;
    return (uint32_t)u256_to_u64(g) + 1;
}

int
stress_liquidation_shock(const struct market *m, const struct position *p,
                         const struct u256 *price_e18, uint32_t group,
                         bool *exists, uint32_t *bps)
{
    return stress_liquidation_shock_from(m, p, price_e18, group, NULL, exists,
                                         bps);
}

int
stress_liquidation_shock_from(const struct market *m, const struct position *p,
                              const struct u256 *price_e18, uint32_t group,
                              const struct account *now, bool *exists,
                              uint32_t *bps)
{
    struct stress_ctx c;
    struct market mm;
    struct u256 h0, h1;
    uint32_t lo, hi, g, step;
    bool owed = false;

    if (group == 0)
        return LIQ_EINVAL;
    memset(&c, 0, sizeof c);
    c.m = m;
    c.p = p;
    c.price_e18 = price_e18;
    c.group = group;
    *exists = false;
    *bps = 0;
    if (!position_has_debt(p))
        return 0;
    if (now != NULL && now->liquidatable) {
        *exists = true;
        return 0;
    }
    if ((m->model == MODEL_MORPHO_BLUE || m->model == MODEL_MORPHO_PRE) &&
        m->morpho.has_oracle && p->ncoll == 1 && p->ndebt == 1) {
        bool cg = (group >> p->coll[0].asset) & 1;
        bool dg = (group >> p->debt[0].asset) & 1;

        if (cg != dg) {
            mm = *m;
            c.mm = &mm;
            c.m = &mm;
            c.oracle0 = m->morpho.oracle_price;
            c.oracle_dir = cg ? 1 : -1;
        }
    }
    stress_setup(&c);
    if (now != NULL)
        h0 = now->has_debt ? now->hf : u256_max();
    else if (stress_liquidatable_at(&c, 0, &h0)) {
        *exists = true;
        return 0;
    }
    for (int k = 0; k < p->ndebt && !owed; k++)
        owed = (group >> p->debt[k].asset) & 1;
    if (owed) {
        /* A falling debt price lifts health: no order to bisect on. */
        for (uint32_t f = 1; f <= STRESS_BPS_MAX; f++)
            if (stress_liquidatable_at(&c, f, NULL)) {
                *exists = true;
                *bps = f;
                return 0;
            }
        return 0;
    }
    if (!stress_liquidatable_at(&c, STRESS_BPS_MAX, &h1))
        return 0;
    /* Not at 0, liquidatable at 100 %: health only falls as the group's
     * prices fall, so the answer is the first yes. Bracket it from the
     * guess outward by doubling steps, then bisect. */
    lo = 0;
    hi = STRESS_BPS_MAX;
    g = stress_guess(h0, h1);
    if (stress_liquidatable_at(&c, g, NULL)) {
        hi = g;
        for (step = 1; hi - lo > 1; step *= 2) {
            uint32_t t = hi > lo + step ? hi - step : lo;

            if (t == lo || !stress_liquidatable_at(&c, t, NULL)) {
                lo = t;
                break;
            }
            hi = t;
        }
    } else {
        lo = g;
        for (step = 1; hi - lo > 1; step *= 2) {
            uint32_t t = lo + step < hi ? lo + step : hi;

            if (t == hi || stress_liquidatable_at(&c, t, NULL)) {
                hi = t;
                break;
            }
            lo = t;
        }
    }
    while (hi - lo > 1) {
        uint32_t mid = lo + (hi - lo) / 2;

        if (stress_liquidatable_at(&c, mid, NULL))
            hi = mid;
        else
            lo = mid;
    }
    *exists = true;
    *bps = hi;
    return 0;
}

/* A fall of f bps of price_e18 cut to base units, as
 * stress_liquidatable_at takes it; false past 256 bits. */
static bool
stress_fallen(const struct market *m, struct u256 price_e18, uint32_t f,
              struct u256 *out)
{
    struct u256 x;

    if (u256_muldiv(&x, price_e18, u256_from_u64(STRESS_BPS_MAX - f),
                    u256_from_u64(STRESS_BPS_MAX), U256_FLOOR) != 0)
        return false;
    *out = market_price_base(m, x);
    return true;
}

bool
stress_shock_from_prefix(const struct market *m, struct u256 price_e18,
                         struct u256 lp, uint32_t *bps)
{
    unsigned drop = m->base_decimals <= PRICE_DECIMALS
                        ? PRICE_DECIMALS - m->base_decimals
                        : 0;
    struct u256 n, q, at, below;
    uint32_t f;

    /* fallen(f) <= lp, that is floor(e18 (10^4 - f) / 10^(4 + drop)) <=
     * lp, holds exactly where e18 (10^4 - f) < (lp + 1) 10^(4 + drop) */
    if (u256_is_zero(price_e18) || u256_add(&n, lp, u256_from_u64(1)) != 0 ||
        u256_mul(&n, n, u256_exp10(4 + drop)) != 0 ||
        u256_div(&q, n, price_e18, U256_CEIL) != 0 || !u256_fits_u64(q) ||
        u256_to_u64(q) > STRESS_BPS_MAX)
        return false;
    f = (uint32_t)(STRESS_BPS_MAX + 1 - u256_to_u64(q));
    if (!stress_fallen(m, price_e18, f, &at) ||
        !stress_fallen(m, price_e18, f - 1, &below) || u256_lt(lp, at) ||
        !u256_lt(lp, below))
        return false;
    *bps = f;
    return true;
}
