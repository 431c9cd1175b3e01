/*
 * model_aave3_call128.c: Aave v3's largest liquidation call (liq_call.max)
 * on 128-bit figures, for stress's one call per liquidatable position in
 * each scenario (model.h max_call128): model_aave3.c's close factor,
 * collateral cap with the least debtToCover that caps, dust rule, bonus
 * and bad debt, step by step with the same rounding, wherever every
 * operand, step and result fits 128 bits; false where one does not, or
 * where the general path has work this one leaves to it (scaled legs read
 * through an index, gates), so that model_liquidate answers.
 *
 * Owns only this twin; the rules are model_aave3.c's, and
 * tests/prop/prop_call128.c holds the two equal. Pure.
 */
#include "core/model.h"

#include <string.h>

#include "core/model_aave.h"

#define AAVE3_MIN_BASE_MAX_CLOSE_FACTOR 2000ULL /* as model_aave3.c */
#define AAVE3_MIN_LEFTOVER_BASE 1000ULL
#define AAVE3_CLOSE_FACTOR_HF 950000000000000000ULL

/* What one call needs of the position and market, in 128 bits. */
struct aave3_c128 {
    const struct market *m;
    u128 damount, camount; /* the legs' token amounts */
    u128 dp, cp;           /* their prices */
    u128 dunit, cunit;     /* 10^decimals */
    uint64_t lb;           /* 10^4 + bonus */
    bool v33, v37;
    enum u256_round debt_round;
};

/* The figures of one debtToCover (model_aave3.c's struct aave3_call; the
 * protocol's fee moves none of stress's figures unless a scaled leg caps
 * it, and those are left to liquidate). */
struct aave3_c128_call {
    u128 max_liquidatable, debt, coll, bonus, cover;
    bool half, dust, capped;
};

/* p * q, false past 128 bits. */
static bool
aave3_c128_mul(u128 *r, u128 p, u128 q)
{
    return !__builtin_mul_overflow(p, q, r);
}

/* aave3_amounts for debtToCover `want`; c->max_liquidatable set. */
static bool
aave3_c128_amounts(const struct aave3_c128 *k, u128 want,
                   struct aave3_c128_call *c)
{
    u128 num, den, base_coll, max_coll, base_part;
    enum u256_round r = k->v37 ? U256_FLOOR : U256_HALF_UP;

    c->debt = want < c->max_liquidatable ? want : c->max_liquidatable;
    c->cover = want;
    c->capped = false;
    if (!aave3_c128_mul(&num, k->dp, c->debt) ||
        !aave3_c128_mul(&den, k->cp, k->dunit) ||
        !u256_muldiv128(&base_coll, num, k->cunit, den, U256_FLOOR) ||
        !u256_muldiv128(&max_coll, base_coll, k->lb, BPS, r))
        return false;
    if (k->camount < max_coll) {
        u128 v;

        c->capped = true;
        c->coll = k->camount;
        if (!aave3_c128_mul(&num, k->cp, c->coll) ||
            !aave3_c128_mul(&den, k->dp, k->cunit) ||
            !u256_muldiv128(&v, num, k->dunit, den, U256_FLOOR) ||
            !u256_muldiv128(&c->debt, v, BPS, k->lb,
                            model_aave3_rules(k->m)->capped_up ? U256_CEIL
                                                               : U256_HALF_UP))
            return false;
    } else {
        c->coll = max_coll;
    }
    if (!u256_muldiv128(&base_part, c->coll, BPS, k->lb, r))
        return false;
    if (c->coll < base_part)
        base_part = c->coll;
    c->bonus = c->coll - base_part;
    c->dust = false;
    if (k->v33 && c->debt < k->damount && c->coll < k->camount) {
        u128 lv, min = (u128)AAVE3_MIN_LEFTOVER_BASE *
                       u256_pow10_64[k->m->base_decimals];

        if (!u256_muldiv128(&lv, k->damount - c->debt, k->dp, k->dunit,
                            k->debt_round))
            return false;
        if (lv < min)
            c->dust = true;
        if (!u256_muldiv128(&lv, k->camount - c->coll, k->cp, k->cunit,
                            U256_FLOOR))
            return false;
        if (lv < min)
            c->dust = true;
    }
    return true;
}

/* aave3_close_factor, on the account's health and debt value. */
static bool
aave3_c128_close(const struct aave3_c128 *k, u128 hf, u128 debt_value,
                 struct aave3_c128_call *c)
{
    bool above = AAVE3_CLOSE_FACTOR_HF < hf;
    u128 debt_base, coll_base, cap_base, min;

    if (!k->v33) {
        c->half = above;
        return u256_muldiv128(&c->max_liquidatable, k->damount,
                              above ? 5000 : 10000, BPS, U256_HALF_UP);
    }
    c->max_liquidatable = k->damount;
    c->half = false;
    if (!u256_muldiv128(&debt_base, k->damount, k->dp, k->dunit,
                        k->debt_round) ||
        !u256_muldiv128(&coll_base, k->camount, k->cp, k->cunit, U256_FLOOR))
        return false;
    min = (u128)AAVE3_MIN_BASE_MAX_CLOSE_FACTOR *
          u256_pow10_64[k->m->base_decimals];
    if (!(min <= coll_base && min <= debt_base && above))
        return true;
    c->half = true;
    if (!u256_muldiv128(&cap_base, debt_value, 5000, BPS, U256_HALF_UP))
        return false;
    if (cap_base < debt_base)
        return k->dp != 0 && u256_muldiv128(&c->max_liquidatable, cap_base,
                                            k->dunit, k->dp, U256_FLOOR);
    return true;
}

/* aave3_least_capped: the least debtToCover that the collateral caps. */
static bool
aave3_c128_least_capped(const struct aave3_c128 *k,
                        struct aave3_c128_call *best)
{
    u128 lo = 0, hi = best->cover, g, t, num, den;
    struct aave3_c128_call c = *best;

    if (__builtin_add_overflow(k->camount, 1, &t) ||
        !aave3_c128_mul(&t, t, BPS))
        return false;
    if (!k->v37)
        t -= BPS / 2; /* t >= 10^4 */
    g = t / k->lb + (t % k->lb != 0);
    if (!aave3_c128_mul(&num, k->cp, k->dunit) ||
        !aave3_c128_mul(&den, k->dp, k->cunit) ||
        !u256_muldiv128(&g, g, num, den, U256_CEIL))
        return false;
    if (g < hi && g != 0) {
        if (!aave3_c128_amounts(k, g, &c))
            return false;
        if (c.capped) {
            hi = g;
            if (!aave3_c128_amounts(k, g - 1, &c))
                return false;
            if (!c.capped)
                lo = g - 1;
        } else {
            lo = g;
        }
    }
    while (hi - lo > 1) {
        u128 mid = lo + (hi - lo) / 2;

        if (!aave3_c128_amounts(k, mid, &c))
            return false;
        if (c.capped)
            hi = mid;
        else
            lo = mid;
    }
    best->cover = hi;
    return true;
}

/* aave3_max_call. */
static bool
aave3_c128_max(const struct aave3_c128 *k, struct aave3_c128_call *best)
{
    struct aave3_c128_call c = *best;
    u128 lo = 0, hi = c.max_liquidatable;

    if (!aave3_c128_amounts(k, hi, &c))
        return false;
    if (!c.dust) {
        *best = c;
        return !c.capped || aave3_c128_least_capped(k, best);
    }
    while (hi - lo > 1) {
        u128 mid = lo + (hi - lo) / 2;

        if (!aave3_c128_amounts(k, mid, &c))
            return false;
        if (c.dust)
            hi = mid;
        else
            lo = mid;
    }
    return aave3_c128_amounts(k, lo, best);
}

/* The account's sums on the twins (model_sums_account's figures). */
static bool
aave3_c128_sums(const struct market *m, const struct position *p,
                const struct u256 *price, struct model_sums128 *sums)
{
    memset(sums, 0, sizeof *sums);
    for (int i = 0; i < p->ncoll + p->ndebt; i++) {
        bool debt = i >= p->ncoll;
        const struct leg *l = debt ? &p->debt[i - p->ncoll] : &p->coll[i];
        struct model_sums128 t;
        u128 a, px;

        if (!u256_to_u128(l->amount, &a) ||
            !u256_to_u128(price[l->asset], &px) ||
            !model_aave3_128_term(m, l->asset, debt, a, px, &t))
            return false;
        for (int s = 0; s < MODEL_SUMS; s++)
            if (__builtin_add_overflow(sums->s[s], t.s[s], &sums->s[s]))
                return false;
    }
    return true;
}

bool
model_aave3_call128_max(const struct market *m, const struct position *p,
                        const struct u256 *price, uint8_t debt, uint8_t coll,
                        struct model_call128 *out)
{
    const struct leg *dl, *cl;
    struct model_sums128 sums;
    struct model_health128 h;
    struct aave3_c128 k;
    struct aave3_c128_call max;
    bool coll_left = false, debt_left = false;

    if (debt >= p->ndebt || coll >= p->ncoll || model_has_gates(m) ||
        (m->view.coll_scaled | m->view.debt_scaled) != 0 ||
        m->base_decimals > 19)
        return false;
    dl = &p->debt[debt];
    cl = &p->coll[coll];
    memset(&k, 0, sizeof k);
    k.m = m;
    k.v33 = model_aave3_rules(m)->close_v33;
    k.v37 = model_aave3_rules(m)->v37;
    k.debt_round = model_aave3_debt_rounding(m);
    k.dunit = u256_pow10_128(m->assets[dl->asset].decimals);
    k.cunit = u256_pow10_128(m->assets[cl->asset].decimals);
    k.lb = BPS + m->assets[cl->asset].bonus;
    if (k.dunit == 0 || k.cunit == 0 || k.lb == 0 ||
        !u256_to_u128(dl->amount, &k.damount) ||
        !u256_to_u128(cl->amount, &k.camount) ||
        !u256_to_u128(price[dl->asset], &k.dp) ||
        !u256_to_u128(price[cl->asset], &k.cp) ||
        !aave3_c128_sums(m, p, price, &sums) ||
        !model_aave3_128_finish(m, &sums, position_has_debt(p), &h))
        return false;
    /* aave3_finish: no debt by value is a health of u256_max, above 0.95 */
    if (!h.has_debt)
        h.hf = ~(u128)0;
    memset(&max, 0, sizeof max);
    if (!aave3_c128_close(&k, h.hf, sums.s[2], &max) ||
        !aave3_c128_max(&k, &max))
        return false;
    memset(out, 0, sizeof *out);
    out->repay = max.debt;
    out->seized = max.coll;
    out->bonus = max.bonus;
    /* aave3_after: what the call leaves */
    for (int i = 0; i < p->ncoll; i++)
        coll_left = coll_left || (i == coll ? max.coll < k.camount
                                            : !u256_is_zero(p->coll[i].amount));
    if (k.v33) {
        u128 v;

        /* hasNoCollateralLeft: the taken collateral's value is all of it */
        if (!u256_muldiv128(&v, max.coll, k.cp, k.cunit, U256_FLOOR))
            return false;
        coll_left = v != sums.s[0];
    }
    for (int i = 0; i < p->ndebt; i++)
        debt_left = debt_left || (i == debt ? max.debt < k.damount
                                            : !u256_is_zero(p->debt[i].amount));
    out->bad_debt_after = !coll_left && debt_left;
    /* aave3_liquidate's order of reverts (no gates here) */
    if (!h.liquidatable)
        out->revert = REVERT_NOT_LIQUIDATABLE;
    else if (!model_aave3_counted(m, cl->asset))
        out->revert = REVERT_COLLATERAL_NOT_ENABLED;
    else if (max.debt == 0)
        out->revert = REVERT_NOTHING_TO_REPAY;
    else if (max.dust)
        out->revert = REVERT_DUST;
    else if (max.coll == 0)
        out->revert = REVERT_TOO_SMALL;
    else
        out->revert = REVERT_NONE;
    return true;
}
