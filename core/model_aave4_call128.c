/*
 * model_aave4_call128.c: Aave v4's largest liquidation call (liq_call.max)
 * on 128-bit figures, for stress's one call per liquidatable position in
 * each scenario (model.h max_call128): model_aave4.c's bonus at the
 * health factor, the repay to the target health factor, the dust rule on
 * debt and collateral, the take-all rule and the bonus of the seizure,
 * with the same rounding, wherever every operand, step and result fits
 * 128 bits.
 *
 * It serves the simple form only (one share per asset, drawnIndex RAY, no
 * premium: model_aave4_stateful false), where RAY cancels out of every
 * step: ceil(ceil(x * RAY) / RAY) = ceil(x) and floor(a RAY / (b RAY)) =
 * floor(a / b), and nested floors and ceilings merge (ceil(ceil(x / a) /
 * b) = ceil(x / (a b))). False for a market with the hub's state, where a
 * figure does not fit, or where liquidate would fail (a target the penalty
 * reaches), so that model_liquidate answers.
 *
 * Owns only this twin; the rules are model_aave4.c's, and
 * tests/prop/prop_call128_v4m.c holds the two equal. Pure.
 */
#include "core/model.h"

#include <string.h>

#include "core/model_aave.h"

#define AAVE4_C128_DUST 1000ULL /* DUST_LIQUIDATION_THRESHOLD, base units */
#define AAVE4_C128_E14 100000000000000ULL

/* The call's figures, as model_aave4_calc's struct model_aave4_legs. */
struct aave4_c128 {
    u128 drawn, supplied; /* the legs' amounts (shares = assets here) */
    u128 dp, cp;          /* their prices */
    u128 dunit, cunit;    /* 10^decimals */
    u128 dscale, cscale;  /* 10^(18 - decimals) */
    u128 dust;            /* 1000 base units at 1e18 per base unit */
    uint64_t lb;
};

/* ceil(a / d), d not zero. */
static u128
aave4_c128_ceil(u128 a, u128 d)
{
    return a / d + (a % d != 0);
}

/* model_aave4_bonus on a 128-bit health factor (the same uint64 steps). */
static uint64_t
aave4_c128_bonus(u128 hf, uint64_t hf_for_max_bonus, uint64_t bonus_factor,
                 uint64_t max_lb)
{
    uint64_t min_lb;
    u128 add;

    if (hf <= hf_for_max_bonus)
        return max_lb;
    min_lb = (max_lb - BPS) * bonus_factor / BPS + BPS;
    if (hf >= WAD)
        return min_lb;
    add = (u128)(uint64_t)(max_lb - min_lb) * (WAD - (uint64_t)hf) /
          (WAD - hf_for_max_bonus);
    return min_lb + (uint64_t)add;
}

/* aave4_is_dust: amount at price, scaled to 1e18 per base unit, under
 * the dust line; false where the value passes 128 bits. */
static bool
aave4_c128_dust(const struct aave4_c128 *k, u128 amount, u128 price, u128 scale,
                bool *out)
{
    u128 v;

    if (__builtin_mul_overflow(amount, price, &v) ||
        __builtin_mul_overflow(v, scale, &v))
        return false;
    *out = v < k->dust;
    return true;
}

/* aave4_coll_for: floor(drawn * dp * cunit * lb / (dunit * cp * 1e4)). */
static bool
aave4_c128_coll_for(const struct aave4_c128 *k, u128 drawn, u128 *shares)
{
    u128 num, v;

    if (__builtin_mul_overflow(drawn, k->dp, &num) ||
        !u256_muldiv128(&v, num, k->cunit * k->lb, k->dunit * BPS, U256_FLOOR))
        return false;
    *shares = v / k->cp;
    return true;
}

/* aave4_take_all: every share, and the drawn shares they are worth,
 * ceil(supplied * cp * dunit * 1e4 / (dp * cunit * lb)), at most all. */
static bool
aave4_c128_take_all(const struct aave4_c128 *k, u128 *drawn, u128 *shares)
{
    u128 num, v;

    *shares = k->supplied;
    if (__builtin_mul_overflow(k->supplied, k->cp, &num) ||
        !u256_muldiv128(&v, num, k->dunit * BPS, k->cunit * k->lb, U256_CEIL))
        return false;
    *drawn = aave4_c128_ceil(v, k->dp);
    if (k->drawn < *drawn) {
        *drawn = k->drawn;
        if (!aave4_c128_coll_for(k, *drawn, &v))
            return false;
        *shares = v < k->supplied ? v : k->supplied;
    }
    return true;
}

bool
model_aave4_call128_max(const struct market *m, const struct position *p,
                        const struct u256 *price, uint8_t debt, uint8_t coll,
                        struct model_call128 *out)
{
    const struct market_params *pr = &m->params;
    const struct model_ops *ops = model_get(m->model);
    const struct leg *dl, *cl;
    const struct asset *ca;
    struct model_sums128 sums;
    struct model_health128 h;
    struct aave4_c128 k;
    u128 drawn, shares, base, bonus;
    bool dust = false, coll_left = false, debt_left = false;
    uint8_t ddec, cdec;

    if (debt >= p->ndebt || coll >= p->ncoll || model_aave4_stateful(m) ||
        m->base_decimals > 17 || ops == NULL || ops->term128 == NULL)
        return false;
    dl = &p->debt[debt];
    cl = &p->coll[coll];
    ca = &m->assets[cl->asset];
    ddec = m->assets[dl->asset].decimals;
    cdec = ca->decimals;
    memset(&k, 0, sizeof k);
    if (ddec > 18 || cdec > 18 || !u256_to_u128(dl->amount, &k.drawn) ||
        !u256_to_u128(cl->amount, &k.supplied) ||
        !u256_to_u128(price[dl->asset], &k.dp) ||
        !u256_to_u128(price[cl->asset], &k.cp) || k.dp == 0 || k.cp == 0)
        return false;
    k.dunit = u256_pow10_128(ddec);
    k.cunit = u256_pow10_128(cdec);
    k.dscale = u256_pow10_128(18u - ddec);
    k.cscale = u256_pow10_128(18u - cdec);
    k.dust = (u128)AAVE4_C128_DUST * u256_pow10_128(m->base_decimals + 18u);
    /* the account (aave4_account: the sums and their finish) */
    memset(&sums, 0, sizeof sums);
    for (int i = 0; i < p->ncoll + p->ndebt; i++) {
        bool d = i >= p->ncoll;
        const struct leg *l = d ? &p->debt[i - p->ncoll] : &p->coll[i];
        struct model_sums128 t;
        u128 a, px;

        if (!u256_to_u128(l->amount, &a) ||
            !u256_to_u128(price[l->asset], &px) ||
            !ops->term128(m, l->asset, d, a, px, &t))
            return false;
        for (int s = 0; s < MODEL_SUMS; s++)
            if (__builtin_add_overflow(sums.s[s], t.s[s], &sums.s[s]))
                return false;
    }
    if (!ops->finish128(m, &sums, position_has_debt(p), &h) || !h.has_debt)
        return false; /* no debt by value: a health of u256_max */
    k.lb = aave4_c128_bonus(h.hf, pr->health_factor_for_max_bonus,
                            pr->liquidation_bonus_factor, BPS + ca->bonus);
    /* dunit * cp within 128 bits keeps every u256 step of the general
     * path within 256 (it fails past them) */
    {
        u128 t;

        if (k.lb == 0 || (uint64_t)(k.lb * BPS) == 0 ||
            __builtin_mul_overflow(k.dunit, k.cp, &t) ||
            __builtin_mul_overflow(k.dunit * BPS, k.cp, &t) ||
            __builtin_mul_overflow(k.cunit, (u128)k.lb, &t))
            return false;
    }
    /* aave4_debt_part: drawn shares to the target, all of them where the
     * rest would be dust */
    drawn = k.drawn;
    if (h.hf < pr->target_health_factor) {
        uint64_t thf = pr->target_health_factor;
        u128 penalty, q, rd;

        /* debtRayToTarget / RAY, up: ceil(debt * gap / (room * dp *
         * 10^(18 - decimals))) */
        if (!u256_muldiv128(&penalty, (uint64_t)(k.lb * AAVE4_C128_E14), ca->lt,
                            BPS, U256_CEIL) ||
            penalty >= thf)
            return false;
        if (!__builtin_mul_overflow(thf - penalty, k.dp, &rd) &&
            u256_muldiv128(&q, sums.s[2], thf - (uint64_t)h.hf, rd,
                           U256_CEIL)) {
            q = aave4_c128_ceil(q, k.dscale);
        } else {
            /* a room near nothing: a target past 128 bits before the
             * last division, held in 256 */
            struct u256 w, den;

            if (u256_mul(&den, u256_from_u128(thf - penalty),
                         u256_from_u128(k.dp)) != 0 ||
                u256_muldiv(&w, u256_from_u128(sums.s[2]),
                            u256_from_u64(thf - (uint64_t)h.hf), den,
                            U256_CEIL) != 0 ||
                u256_div(&w, w, u256_from_u128(k.dscale), U256_CEIL) != 0)
                return false;
            if (!u256_to_u128(w, &q))
                q = k.drawn; /* past every 128-bit debt */
        }
        if (q < drawn)
            drawn = q;
    }
    if (drawn < k.drawn) {
        if (!aave4_c128_dust(&k, k.drawn - drawn, k.dp, k.dscale, &dust))
            return false;
        if (dust)
            drawn = k.drawn;
    }
    /* the seizure, and the collateral dust and insufficient-collateral
     * rule */
    if (!aave4_c128_coll_for(&k, drawn, &shares))
        return false;
    dust = false;
    if (shares < k.supplied &&
        !aave4_c128_dust(&k, k.supplied - shares, k.cp, k.cscale, &dust))
        return false;
    if ((k.supplied < shares || (dust && drawn < k.drawn)) &&
        !aave4_c128_take_all(&k, &drawn, &shares))
        return false;
    /* the bonus: coll - floor(coll * 1e4 / LB), none below (u256_sub
     * leaves it 0) */
    if (!u256_muldiv128(&base, shares, BPS, k.lb, U256_FLOOR))
        return false;
    bonus = shares >= base ? shares - base : 0;
    memset(out, 0, sizeof *out);
    out->repay = drawn; /* rayMulUp(drawn, RAY) */
    out->seized = shares;
    out->bonus = bonus;
    /* aave4_after: a deficit where no counted collateral is left */
    for (int i = 0; i < p->ncoll; i++)
        coll_left =
            coll_left || (m->assets[p->coll[i].asset].lt > 0 &&
                          (i == coll ? shares < k.supplied
                                     : !u256_is_zero(p->coll[i].amount)));
    for (int i = 0; i < p->ndebt; i++)
        debt_left = debt_left || (i == debt ? drawn < k.drawn
                                            : !u256_is_zero(p->debt[i].amount));
    out->bad_debt_after = !coll_left && debt_left;
    /* aave4_liquidate's order of reverts, the largest call */
    if (drawn == 0)
        out->revert = REVERT_NOTHING_TO_REPAY;
    else if (!h.liquidatable || ca->lt == 0)
        out->revert = REVERT_NOT_LIQUIDATABLE;
    else if (shares == 0)
        out->revert = REVERT_TOO_SMALL;
    else
        out->revert = REVERT_NONE;
    return true;
}
