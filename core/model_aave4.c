/*
 * model_aave4.c: Aave v4 (hub and spoke), as the Spoke and its
 * LiquidationLogic compute it: values with 1 base unit = 1e18 value units
 * (1 USD = 1e26 at 8 decimals), the health factor, a bonus that grows as
 * health falls, a liquidation that repays exactly what restores the target
 * health factor, dust forcing a full liquidation, and the fee on the bonus
 * (liquidation-mechanics.md section 3).
 *
 * A collateral leg holds supplied shares and a debt leg drawn shares
 * (model_aave4_state.c converts them; one share per asset in the simple
 * form, debtRay = amount * RAY): a liquidation repays the premium debt
 * first, then drawn shares, and seizes supplied shares, as the share-based
 * HEAD LiquidationLogic does. Pure; never allocates.
 */
#include "core/model.h"

#include <string.h>

#include "core/liq.h"
#include "core/model_aave.h"

#define AAVE4_DUST_BASE 1000ULL /* DUST_LIQUIDATION_THRESHOLD, base units */

static struct u256
aave4_ray(void)
{
    return u256_exp10(27);
}

uint64_t
model_aave4_bonus(struct u256 hf, uint64_t hf_for_max_bonus,
                  uint64_t bonus_factor, uint64_t max_lb)
{
    uint64_t min_lb;
    struct u256 add;

    if (u256_le(hf, u256_from_u64(hf_for_max_bonus)))
        return max_lb;
    min_lb = (max_lb - BPS) * bonus_factor / BPS + BPS;
    if (!u256_lt(hf, u256_from_u64(WAD)))
        return min_lb;
    /* minLB + (maxLB - minLB) * (1e18 - hf) / (1e18 - hfForMaxBonus) */
    (void)u256_muldiv(&add, u256_from_u64(max_lb - min_lb),
                      u256_from_u64(WAD - u256_to_u64(hf)),
                      u256_from_u64(WAD - hf_for_max_bonus), U256_FLOOR);
    return min_lb + u256_to_u64(add);
}

int
model_aave4_debt_to_target(struct u256 *out, struct u256 total_debt_value_ray,
                           struct u256 debt_unit, struct u256 debt_price,
                           struct u256 hf, struct u256 thf, uint64_t lb,
                           uint64_t cf)
{
    struct u256 penalty, num, den, gap, room;
    int rc;

    if (u256_lt(thf, hf))
        return LIQ_ERANGE;
    /* liquidationPenalty = percentMulUp(LB in WAD, CF) */
    rc = u256_muldiv(&penalty, u256_from_u64(lb * 100000000000000ULL),
                     u256_from_u64(cf), u256_from_u64(BPS), U256_CEIL);
    if (rc != 0)
        return rc;
    (void)u256_sub(&gap, thf, hf);
    if (u256_sub(&room, thf, penalty) != 0 || u256_is_zero(room))
        return LIQ_ERANGE;
    rc = u256_mul(&num, debt_unit, gap);
    if (rc == 0)
        rc = u256_mul(&den, room, debt_price);
    if (rc == 0)
        rc = u256_mul(&den, den, u256_from_u64(WAD));
    if (rc == 0)
        rc = u256_muldiv(out, total_debt_value_ray, num, den, U256_CEIL);
    return rc;
}

struct aave4_totals {
    struct u256 weighted; /* sum CF_bps * value */
    struct u256 coll;     /* sum value, CF > 0 */
    struct u256 debt;     /* sum value */
};

/* The sums (model.h): s[0] collateral value (CF > 0), s[1] the sum of
 * CF_bps times each such value, s[2] debt value, all at 1e18 per base
 * unit; in a market with state (model_aave4_stateful) s[2] is in RAY
 * units of that (debtRay x price x 10^(18 - decimals)) and a collateral
 * leg's shares are valued by previewRemoveByShares. */
static int
aave4_term(const struct market *m, uint8_t asset, bool debt, struct u256 amount,
           struct u256 price, struct model_sums *out)
{
    uint64_t cf = m->assets[asset].lt;
    struct u256 v;
    int rc = 0;

    memset(out, 0, sizeof(*out));
    if (!debt && cf == 0)
        return 0;
    if (model_aave4_stateful(m))
        rc = debt
                 ? model_aave4_debt_ray(m, asset, amount,
                                        m->assets[asset].premium, &amount)
                 : model_aave4_to_assets(m, asset, amount, U256_FLOOR, &amount);
    if (rc == 0)
        rc = u256_mul(&v, amount, price);
    if (rc == 0)
        rc = u256_mul(&v, v, u256_exp10(18u - m->assets[asset].decimals));
    if (rc != 0)
        return rc;
    if (debt) {
        out->s[2] = v;
        return 0;
    }
    out->s[0] = v;
    return u256_mul(&out->s[1], v, u256_from_u64(cf));
}

static int
aave4_totals(const struct market *m, const struct position *p,
             const struct u256 *price, struct aave4_totals *t)
{
    struct model_sums sums;
    int rc = model_sums_of(m, p, price, &sums);

    if (rc != 0)
        return rc;
    t->coll = sums.s[0];
    t->weighted = sums.s[1];
    t->debt = sums.s[2];
    return 0;
}

static int
aave4_finish(const struct market *m, const struct model_sums *sums,
             bool has_debt, struct account *out)
{
    struct aave4_totals t = {sums->s[1], sums->s[0], sums->s[2]};
    struct u256 hf = u256_max(), scale = u256_exp10(18), ray = u256_exp10(27);
    struct u256 w, cr;
    bool rayed = model_aave4_stateful(m);
    int rc;

    (void)has_debt; /* Aave counts debt by value */
    /* HF = sum(CF * value) * 1e14 * RAY / totalDebtValueRay */
    if (!u256_is_zero(t.debt)) {
        w = u256_from_u64(100000000000000ULL);
        if (rayed && (rc = u256_mul(&w, w, ray)) != 0)
            return rc;
        rc = u256_muldiv(&hf, t.weighted, w, t.debt, U256_FLOOR);
        if (rc != 0)
            return rc;
    }
    /* Values back in base units: collateral down, debt up. */
    if (rayed && (rc = u256_mul(&scale, scale, ray)) != 0)
        return rc;
    (void)u256_div(&out->coll_value, t.coll, u256_exp10(18), U256_FLOOR);
    (void)u256_div(&out->debt_value, t.debt, scale, U256_CEIL);
    cr = t.coll;
    if (rayed && u256_mul(&cr, cr, ray) != 0)
        cr = u256_max();
    out->hf = hf;
    out->has_debt = !u256_is_zero(t.debt);
    out->liquidatable = out->has_debt && u256_lt(hf, u256_from_u64(WAD));
    out->bad_debt = out->has_debt && u256_lt(cr, t.debt);
    return 0;
}

static bool
aave4_term128(const struct market *m, uint8_t asset, bool debt, u128 amount,
              u128 price, struct model_sums128 *out)
{
    uint64_t cf = m->assets[asset].lt;
    uint8_t dec = m->assets[asset].decimals;
    u128 v;

    memset(out, 0, sizeof(*out));
    if (model_aave4_stateful(m))
        return false; /* shares and RAY debt: the u256 path */
    if (!debt && cf == 0)
        return true;
    if (dec > 18 || __builtin_mul_overflow(amount, price, &v) ||
        __builtin_mul_overflow(v, u256_pow10_128(18u - dec), &v))
        return false;
    if (debt) {
        out->s[2] = v;
        return true;
    }
    out->s[0] = v;
    return !__builtin_mul_overflow(v, (u128)cf, &out->s[1]);
}

/* unit: the scale to 18 decimals, factor: the collateral factor. */
static bool
aave4_tick128_prep(struct model_tick128 *t)
{
    const struct asset *a = &t->m->assets[t->asset];

    t->unit = a->decimals <= 18 ? u256_pow10_128(18u - a->decimals) : 0;
    t->factor = a->lt;
    return t->unit != 0 && !model_aave4_stateful(t->m);
}

/* retick128 on a prepared move. */
static inline bool
aave4_move128(const struct model_tick128 *t, bool debt, u128 amount,
              struct model_sums128 *sums)
{
    u128 vo, vn;

    if (!debt && t->factor == 0)
        return true;
    if (__builtin_mul_overflow(amount, t->po, &vo) ||
        __builtin_mul_overflow(vo, t->unit, &vo) ||
        __builtin_mul_overflow(amount, t->pn, &vn) ||
        __builtin_mul_overflow(vn, t->unit, &vn))
        return false;
    return model_sums128_move_leg(sums, debt, vo, vn, t->factor);
}

/* term128 at the prepared pn, added to the sums. */
static bool
aave4_add128(const struct model_tick128 *t, bool debt, u128 amount,
             struct model_sums128 *sums)
{
    u128 v, w, s0, s1;

    if (!debt && t->factor == 0)
        return true;
    if (__builtin_mul_overflow(amount, t->pn, &v) ||
        __builtin_mul_overflow(v, t->unit, &v))
        return false;
    if (debt) {
        /* the builtin stores the wrapped sum: kept only when it fits */
        if (__builtin_add_overflow(sums->s[2], v, &s0))
            return false;
        sums->s[2] = s0;
        return true;
    }
    if (__builtin_mul_overflow(v, (u128)t->factor, &w) ||
        __builtin_add_overflow(sums->s[0], v, &s0) ||
        __builtin_add_overflow(sums->s[1], w, &s1))
        return false;
    sums->s[0] = s0;
    sums->s[1] = s1;
    return true;
}

static bool
aave4_retick128(const struct market *m, uint8_t asset, bool debt, u128 amount,
                u128 p_old, u128 p_new, struct model_sums128 *sums)
{
    struct model_tick128 t = {.m = m, .po = p_old, .pn = p_new, .asset = asset};

    return aave4_tick128_prep(&t) && aave4_move128(&t, debt, amount, sums);
}

static bool
aave4_finish128(const struct market *m, const struct model_sums128 *sums,
                bool has_debt, struct model_health128 *out)
{
    u128 hf;

    (void)has_debt; /* Aave counts debt by value */
    memset(out, 0, sizeof(*out));
    if (model_aave4_stateful(m))
        return false;
    if (sums->s[2] == 0)
        return true;
    if (!u256_muldiv128(&hf, sums->s[1], 100000000000000ULL, sums->s[2],
                        U256_FLOOR))
        return false;
    out->hf = hf;
    out->has_debt = true;
    out->liquidatable = hf < WAD;
    out->bad_debt = sums->s[0] < sums->s[2];
    return true;
}

static bool
aave4_tick128(const struct model_tick128 *t, bool debt, u128 amount,
              bool has_debt, struct model_sums128 *sums,
              struct model_health128 *out)
{
    return aave4_move128(t, debt, amount, sums) &&
           aave4_finish128(t->m, sums, has_debt, out);
}

static int
aave4_account(const struct market *m, const struct position *p,
              const struct u256 *price, struct account *out)
{
    return model_sums_account(m, p, price, out);
}

/* Value of `amount` assets of `asset` under dust (1,000 base units). */
static int
aave4_is_dust(const struct market *m, uint8_t asset, struct u256 amount,
              struct u256 price, struct u256 dust, bool *out)
{
    struct u256 v;
    int rc = u256_mul(&v, amount, price);

    if (rc == 0)
        rc = u256_mul(&v, v, u256_exp10(18u - m->assets[asset].decimals));
    *out = rc == 0 && u256_lt(v, dust);
    return rc;
}

/* _calculateCollateralToLiquidate: previewAddByAssets(floor(debtRay * dp
 * * collUnit * LB / (debtUnit * cp * 1e4 * RAY))). */
static int
aave4_coll_for(const struct market *m, const struct model_aave4_legs *g,
               struct u256 drawn, struct u256 premium, struct u256 *shares)
{
    struct u256 debt_ray, num, den, assets;
    int rc = u256_mul(&debt_ray, drawn, g->index);

    if (rc == 0)
        rc = u256_add(&debt_ray, debt_ray, premium);
    if (rc == 0)
        rc = u256_mul(&num, g->dp, g->cunit);
    if (rc == 0)
        rc = u256_mul(&num, num, u256_from_u64(g->lb));
    if (rc == 0)
        rc = u256_mul(&den, g->dunit, g->cp);
    if (rc == 0)
        rc = u256_mul(&den, den, u256_from_u64(BPS));
    if (rc == 0)
        rc = u256_mul(&den, den, aave4_ray());
    if (rc == 0)
        rc = u256_muldiv(&assets, debt_ray, num, den, U256_FLOOR);
    if (rc == 0)
        rc = model_aave4_to_shares(m, g->ca, assets, U256_FLOOR, shares);
    return rc;
}

/* x rounded up to a whole number of RAY (roundRayUp). */
static struct u256
aave4_ray_up(struct u256 x)
{
    struct u256 q;

    (void)u256_div(&q, x, aave4_ray(), U256_CEIL);
    if (u256_mul(&q, q, aave4_ray()) != 0)
        return u256_max();
    return q;
}

/* _calculateDebtToLiquidate (HEAD, share-based): the premium first, then
 * drawn shares to the target or to what debtToCover pays, whichever is
 * less; all of it where the rest would be dust. target: debtRayToTarget,
 * NULL where the health factor is at the target (no limit). */
static int
aave4_debt_part(const struct market *m, const struct model_aave4_legs *g,
                const struct u256 *target, bool max, struct u256 want,
                struct model_aave4_call *c)
{
    struct u256 ray = aave4_ray(), cover_ray = u256_max(), t, x, rest;
    bool dust;
    int rc;

    if (!max && u256_mul(&cover_ray, want, ray) != 0)
        cover_ray = u256_max();
    c->premium = g->premium;
    if (target != NULL)
        c->premium = u256_min(c->premium, aave4_ray_up(*target));
    c->premium = u256_min(c->premium, cover_ray);
    c->drawn = u256_zero();
    if (u256_eq(c->premium, g->premium)) {
        c->drawn = g->drawn;
        if (target != NULL) {
            (void)u256_sub(&t, *target, u256_min(*target, c->premium));
            (void)u256_div(&t, t, g->index, U256_CEIL);
            c->drawn = u256_min(c->drawn, t);
        }
        if (!max) {
            (void)u256_div(&t, c->premium, ray, U256_CEIL);
            (void)u256_sub(&t, want, u256_min(want, t));
            rc = u256_muldiv(&t, t, ray, g->index, U256_FLOOR);
            if (rc != 0)
                return rc;
            c->drawn = u256_min(c->drawn, t);
        }
    }
    /* The rest: (drawn - liquidated) * index + premium - liquidated. */
    (void)u256_sub(&x, g->drawn, c->drawn);
    rc = u256_mul(&rest, x, g->index);
    if (rc == 0)
        rc = u256_add(&rest, rest, g->premium);
    if (rc != 0)
        return rc;
    (void)u256_sub(&rest, rest, c->premium);
    (void)u256_div(&rest, rest, ray, U256_FLOOR);
    rc = aave4_is_dust(m, g->da, rest, g->dp, g->dust, &dust);
    if (rc != 0)
        return rc;
    if (u256_lt(c->drawn, g->drawn) && dust) {
        c->drawn = g->drawn;
        c->premium = g->premium;
    }
    return 0;
}

/* The collateral dust and insufficient-collateral rule: seize every share
 * and liquidate the debt they are worth (previewAddByShares, up). */
static int
aave4_take_all(const struct market *m, const struct model_aave4_legs *g,
               struct model_aave4_call *c)
{
    struct u256 assets, num, den, debt_ray, x;
    int rc;

    c->shares = g->supplied;
    rc = model_aave4_to_assets(m, g->ca, g->supplied, U256_CEIL, &assets);
    if (rc == 0)
        rc = u256_mul(&num, g->cp, g->dunit);
    if (rc == 0)
        rc = u256_mul(&num, num, u256_from_u64(BPS));
    if (rc == 0)
        rc = u256_mul(&num, num, aave4_ray());
    if (rc == 0)
        rc = u256_mul(&den, g->dp, g->cunit);
    if (rc == 0)
        rc = u256_mul(&den, den, u256_from_u64(g->lb));
    if (rc == 0)
        rc = u256_muldiv(&debt_ray, assets, num, den, U256_CEIL);
    if (rc != 0)
        return rc;
    if (u256_le(debt_ray, g->premium)) {
        c->premium = u256_min(aave4_ray_up(debt_ray), g->premium);
        c->drawn = u256_zero();
        return 0;
    }
    c->premium = g->premium;
    (void)u256_sub(&x, debt_ray, g->premium);
    (void)u256_div(&c->drawn, x, g->index, U256_CEIL);
    if (u256_lt(g->drawn, c->drawn)) {
        c->drawn = g->drawn;
        rc = aave4_coll_for(m, g, c->drawn, c->premium, &x);
        if (rc != 0)
            return rc;
        c->shares = u256_min(x, g->supplied);
    }
    return 0;
}

int
model_aave4_calc(const struct market *m, struct model_aave4_legs *g,
                 struct u256 hf, struct u256 total_debt_value_ray, bool max,
                 struct u256 want, struct model_aave4_call *c)
{
    const struct asset *ca = &m->assets[g->ca];
    const struct market_params *pr = &m->params;
    struct u256 target, x, fee, base;
    bool dust = false, has_target;
    int rc;

    memset(c, 0, sizeof *c);
    g->index = model_aave4_index(m, g->da);
    g->dunit = u256_exp10(m->assets[g->da].decimals);
    g->cunit = u256_exp10(ca->decimals);
    g->lb = model_aave4_bonus(hf, pr->health_factor_for_max_bonus,
                              pr->liquidation_bonus_factor, BPS + ca->bonus);
    rc = u256_mul(&g->dust, u256_from_u64(AAVE4_DUST_BASE),
                  u256_exp10(m->base_decimals + 18u));
    if (rc != 0)
        return rc;
    /* debtRayToTarget, on totalDebtValueRay; none at the target */
    has_target = u256_lt(hf, u256_from_u64(pr->target_health_factor));
    if (has_target &&
        (rc = model_aave4_debt_to_target(
             &target, total_debt_value_ray, g->dunit, g->dp, hf,
             u256_from_u64(pr->target_health_factor), g->lb, ca->lt)) != 0)
        return rc;
    c->debt_to_target = has_target ? target : u256_zero();
    rc = aave4_debt_part(m, g, has_target ? &target : NULL, max, want, c);
    if (rc == 0)
        rc = aave4_coll_for(m, g, c->drawn, c->premium, &c->shares);
    if (rc == 0 && u256_lt(c->shares, g->supplied)) {
        (void)u256_sub(&x, g->supplied, c->shares);
        rc = model_aave4_to_assets(m, g->ca, x, U256_FLOOR, &x);
        if (rc == 0)
            rc = aave4_is_dust(m, g->ca, x, g->cp, g->dust, &dust);
    }
    if (rc != 0)
        return rc;
    if (u256_lt(g->supplied, c->shares) ||
        (dust && u256_lt(c->drawn, g->drawn))) {
        if ((rc = aave4_take_all(m, g, c)) != 0)
            return rc;
    }
    /* rayMulUp(drawn, index) + fromRayUp(premium) */
    rc = u256_muldiv(&c->required, c->drawn, g->index, aave4_ray(), U256_CEIL);
    if (rc == 0) {
        (void)u256_div(&x, c->premium, aave4_ray(), U256_CEIL);
        rc = u256_add(&c->required, c->required, x);
    }
    /* fee shares = ceil(shares * fee * (LB - 1e4) / (LB * 1e4)) (section
     * 3.5); the seized assets are previewRemoveByShares of the shares */
    if (rc == 0)
        rc =
            u256_muldiv(&fee, c->shares, u256_from_u64(ca->fee * (g->lb - BPS)),
                        u256_from_u64(g->lb * BPS), U256_CEIL);
    if (rc != 0)
        return rc;
    (void)u256_sub(&c->shares_to_liq, c->shares, u256_min(fee, c->shares));
    rc = model_aave4_to_assets(m, g->ca, c->shares, U256_FLOOR, &c->coll);
    if (rc == 0)
        rc = model_aave4_to_assets(m, g->ca, c->shares_to_liq, U256_FLOOR,
                                   &c->to_liq);
    if (rc == 0)
        rc = u256_muldiv(&base, c->coll, u256_from_u64(BPS),
                         u256_from_u64(g->lb), U256_FLOOR);
    if (rc != 0)
        return rc;
    (void)u256_sub(&c->bonus, c->coll, base);
    return 0;
}

/* The call's legs out of p, and model_aave4_calc at p's health. */
static int
aave4_amounts(const struct market *m, const struct position *p,
              const struct u256 *price, const struct liq_call *call,
              const struct account *acct, bool max, struct u256 want,
              struct model_aave4_call *c)
{
    const struct leg *dl = &p->debt[call->debt], *cl = &p->coll[call->coll];
    struct model_aave4_legs g;
    struct aave4_totals t;
    struct u256 tv;
    int rc;

    memset(&g, 0, sizeof g);
    g.da = dl->asset;
    g.ca = cl->asset;
    g.drawn = dl->amount;
    g.premium = m->assets[dl->asset].premium;
    g.supplied = cl->amount;
    g.dp = price[dl->asset];
    g.cp = price[cl->asset];
    rc = aave4_totals(m, p, price, &t);
    if (rc != 0)
        return rc;
    tv = t.debt;
    if (!model_aave4_stateful(m) &&
        (rc = u256_mul(&tv, t.debt, aave4_ray())) != 0)
        return rc;
    return model_aave4_calc(m, &g, acct->hf, tv, max, want, c);
}

/* The account after the call: its legs less what it takes, the premium
 * less what it repays (in a copy of the position's view), the rest of the
 * debt written off where no collateral is left (_evaluateDeficit). */
static int
aave4_after(const struct market *m, const struct position *p,
            const struct u256 *price, const struct liq_call *call,
            const struct model_aave4_call *c, struct account *after,
            bool *deficit)
{
    struct position q = *p;
    struct leg *dl = &q.debt[call->debt], *cl = &q.coll[call->coll];
    const struct market *mm = m;
    struct market mv;
    bool coll_left = false;

    (void)u256_sub(&dl->amount, dl->amount, u256_min(c->drawn, dl->amount));
    (void)u256_sub(&cl->amount, cl->amount, u256_min(c->shares, cl->amount));
    if (!u256_is_zero(c->premium)) {
        mv = *m;
        (void)u256_sub(&mv.assets[dl->asset].premium,
                       mv.assets[dl->asset].premium,
                       u256_min(c->premium, mv.assets[dl->asset].premium));
        mm = &mv;
    }
    for (int i = 0; i < q.ncoll; i++)
        coll_left = coll_left || (!u256_is_zero(q.coll[i].amount) &&
                                  m->assets[q.coll[i].asset].lt > 0);
    *deficit = !coll_left && position_has_debt(&q);
    if (*deficit) {
        for (int i = 0; i < q.ndebt; i++)
            q.debt[i].amount = u256_zero();
        if (mm != &mv) {
            mv = *m;
            mm = &mv;
        }
        for (unsigned i = 0; i < mv.nassets; i++)
            mv.assets[i].premium = u256_zero();
    }
    return aave4_account(mm, &q, price, after);
}

static int
aave4_liquidate(const struct market *m, const struct position *p,
                const struct u256 *price, const struct liq_call *call,
                struct liq_result *out)
{
    struct account acct, after;
    struct model_aave4_call max, req;
    struct liq_result r;
    struct u256 owed;
    int rc;

    if (call->debt >= p->ndebt || call->coll >= p->ncoll || call->seize)
        return LIQ_EINVAL;
    rc = aave4_account(m, p, price, &acct);
    if (rc == 0)
        rc = aave4_amounts(m, p, price, call, &acct, true, u256_zero(), &max);
    if (rc != 0)
        return rc;
    req = max;
    if (!call->max) {
        rc = aave4_amounts(m, p, price, call, &acct, false, call->repay, &req);
        if (rc != 0)
            return rc;
    }
    memset(&r, 0, sizeof(r));
    r.max_repay = max.required;
    rc = model_aave4_balance(m, p->debt[call->debt].asset, true,
                             p->debt[call->debt].amount, &owed);
    if (rc != 0)
        return rc;
    if (!u256_is_zero(owed))
        (void)u256_muldiv(&r.close_factor, u256_min(max.required, owed),
                          u256_from_u64(WAD), owed, U256_FLOOR);
    r.repay = req.required;
    r.seized = req.coll;
    r.to_liquidator = u256_min(req.to_liq, req.coll);
    (void)u256_sub(&r.fee, req.coll, r.to_liquidator);
    r.bonus = req.bonus;
    if (model_aave4_stateful(m)) {
        r.repaid_shares = req.drawn;
        r.seize_tokens = req.shares;
    }
    rc = aave4_after(m, p, price, call, &req, &after, &r.bad_debt_after);
    if (rc != 0)
        return rc;
    r.hf_after = after.hf;
    r.lowers_health = u256_lt(after.hf, acct.hf);
    /* InvalidDebtToCover comes before health; the burns after dust. A
     * call that takes no drawn share and no premium repays nothing. */
    if (u256_is_zero(req.required) || u256_is_zero(max.required) ||
        (!call->max && u256_is_zero(call->repay)))
        r.revert = REVERT_NOTHING_TO_REPAY;
    else if (!acct.liquidatable || m->assets[p->coll[call->coll].asset].lt == 0)
        r.revert = REVERT_NOT_LIQUIDATABLE;
    else if (!call->max && u256_lt(call->repay, req.required))
        r.revert = REVERT_DUST;
    else if (u256_is_zero(req.shares))
        r.revert = REVERT_TOO_SMALL;
    else
        r.revert = REVERT_NONE;
    *out = r;
    return 0;
}

/* A plain repay of `amount` on debt leg `leg`: the premium first, then
 * drawn shares, the premium's fall held in a copy of the view. */
static int
aave4_account_after_repay(const struct market *m, const struct position *p,
                          uint8_t leg, struct u256 amount,
                          const struct u256 *price, struct account *out)
{
    struct position q = *p;
    struct leg *l = &q.debt[leg];
    struct market mv;
    int rc;

    if (leg >= p->ndebt)
        return LIQ_EINVAL;
    if (u256_is_zero(m->assets[l->asset].premium)) {
        rc =
            model_aave4_apply(m, l->asset, true, l->amount, amount, &l->amount);
        return rc == 0 ? aave4_account(m, &q, price, out) : rc;
    }
    mv = *m;
    rc = model_aave4_repay(m, l->asset, l->amount, &mv.assets[l->asset].premium,
                           amount, &l->amount);
    return rc == 0 ? aave4_account(&mv, &q, price, out) : rc;
}

/* aave4_finish's values: the collateral sum over 1e18 down, the debt
 * sum over 1e18 up; a market with the hub's state (sums in RAY units)
 * takes finish. */
static bool
aave4_values128(const struct market *m, const struct model_sums128 *sums,
                u128 *coll_value, u128 *debt_value)
{
    const u128 e18 = 1000000000000000000ULL;

    if (model_aave4_stateful(m))
        return false;
    *coll_value = sums->s[0] / e18;
    *debt_value = sums->s[2] / e18 + (sums->s[2] % e18 != 0);
    return true;
}

const struct model_ops model_aave4_ops = {
    .name = "aave-v4",
    .account = aave4_account,
    .term = aave4_term,
    .finish = aave4_finish,
    .term128 = aave4_term128,
    .retick128 = aave4_retick128,
    .tick128_prep = aave4_tick128_prep,
    .tick128 = aave4_tick128,
    .move128 = aave4_move128,
    .add128 = aave4_add128,
    .finish128 = aave4_finish128,
    .values128 = aave4_values128,
    .liquidate = aave4_liquidate,
    .balance = model_aave4_balance,
    .apply = model_aave4_apply,
    .burn_bound = model_aave4_burn_bound,
    .account_after_burn = model_aave4_account_after_burn,
    .account_after_repay = aave4_account_after_repay,
    .account_after_deposit = model_aave4_account_after_deposit,
    .max_call128 = model_aave4_call128_max,
};
