/*
 * model_aave3_index.c: Aave v3 interest indexes accrued to a moment as the
 * reserve of each version accrues them (ReserveLogic.getNormalizedIncome
 * and getNormalizedDebt on MathUtils), for a market read with rates and
 * a last update (design.md 3.1).
 *
 * Also the token maths at an index (balanceOf, the scaled amounts a mint
 * or burn moves) of each version, for the model (model_aave3.c), which
 * owns every other rule. Pure: the moment is an argument, never a clock.
 */
#include "core/liq.h"
#include "core/model.h"
#include "core/model_aave.h"

#define AAVE3_SECONDS_PER_YEAR 31536000ULL /* MathUtils: 365 days */

static struct u256
aave3_index_ray(void)
{
    return u256_exp10(27);
}

/* WadRayMath.rayMul (half-up), rayMulFloor, rayMulCeil. */
static int
aave3_index_ray_mul(struct u256 *r, struct u256 a, struct u256 b,
                    enum u256_round mode)
{
    return u256_muldiv(r, a, b, aave3_index_ray(), mode);
}

/* MathUtils.calculateCompoundedInterest of the version: 3.0 to 3.3 the
 * binomial expansion with basePowerTwo and basePowerThree, 3.4 on the
 * same three terms through x = rate * dt / year. */
static int
aave3_index_compounded(struct u256 *out, uint16_t version, struct u256 rate,
                       uint64_t dt)
{
    struct u256 year = u256_from_u64(AAVE3_SECONDS_PER_YEAR), t, x, y;
    int rc;

    if (version < 304) {
        uint64_t e1 = dt - 1, e2 = dt > 2 ? dt - 2 : 0;
        struct u256 p2, p3, second, third;

        rc = aave3_index_ray_mul(&p2, rate, rate, U256_HALF_UP);
        if (rc == 0)
            rc = u256_div(
                &p2, p2,
                u256_from_u64(AAVE3_SECONDS_PER_YEAR * AAVE3_SECONDS_PER_YEAR),
                U256_FLOOR);
        if (rc == 0)
            rc = aave3_index_ray_mul(&p3, p2, rate, U256_HALF_UP);
        if (rc == 0)
            rc = u256_div(&p3, p3, year, U256_FLOOR);
        /* secondTerm = exp * (exp - 1) * basePowerTwo / 2 */
        if (rc == 0)
            rc = u256_mul(&second, u256_from_u64(dt), u256_from_u64(e1));
        if (rc == 0)
            rc = u256_mul(&second, second, p2);
        if (rc == 0)
            rc = u256_div(&second, second, u256_from_u64(2), U256_FLOOR);
        /* thirdTerm = exp * (exp - 1) * (exp - 2) * basePowerThree / 6 */
        if (rc == 0)
            rc = u256_mul(&third, u256_from_u64(dt), u256_from_u64(e1));
        if (rc == 0)
            rc = u256_mul(&third, third, u256_from_u64(e2));
        if (rc == 0)
            rc = u256_mul(&third, third, p3);
        if (rc == 0)
            rc = u256_div(&third, third, u256_from_u64(6), U256_FLOOR);
        /* RAY + rate * exp / year + secondTerm + thirdTerm */
        if (rc == 0)
            rc = u256_muldiv(&t, rate, u256_from_u64(dt), year, U256_FLOOR);
        if (rc == 0)
            rc = u256_add(&t, t, aave3_index_ray());
        if (rc == 0)
            rc = u256_add(&t, t, second);
        if (rc == 0)
            rc = u256_add(&t, t, third);
        *out = t;
        return rc;
    }
    /* x = rate * exp / year; RAY + x + x.rayMul(x / 2 + x.rayMul(x / 6)) */
    rc = u256_muldiv(&x, rate, u256_from_u64(dt), year, U256_FLOOR);
    if (rc == 0)
        rc = u256_div(&y, x, u256_from_u64(6), U256_FLOOR);
    if (rc == 0)
        rc = aave3_index_ray_mul(&y, x, y, U256_HALF_UP);
    if (rc == 0)
        rc = u256_div(&t, x, u256_from_u64(2), U256_FLOOR);
    if (rc == 0)
        rc = u256_add(&y, t, y);
    if (rc == 0)
        rc = aave3_index_ray_mul(&y, x, y, U256_HALF_UP);
    if (rc == 0)
        rc = u256_add(&t, aave3_index_ray(), x);
    if (rc == 0)
        rc = u256_add(&t, t, y);
    *out = t;
    return rc;
}

int
model_aave3_index_accrue(uint16_t version, bool debt, struct u256 index,
                         struct u256 rate, int64_t last, int64_t as_of,
                         struct u256 *out)
{
    struct u256 cum;
    uint64_t dt;
    int rc;

    if (as_of < last)
        return LIQ_ERANGE;
    /* ReserveLogic.getNormalizedIncome / getNormalizedDebt: the stored
     * index when updated in this very block */
    if (as_of == last) {
        *out = index;
        return 0;
    }
    dt = (uint64_t)(as_of - last);
    if (!debt) {
        /* calculateLinearInterest: RAY + rate * dt / year */
        rc = u256_muldiv(&cum, rate, u256_from_u64(dt),
                         u256_from_u64(AAVE3_SECONDS_PER_YEAR), U256_FLOOR);
        if (rc == 0)
            rc = u256_add(&cum, cum, aave3_index_ray());
    } else {
        rc = aave3_index_compounded(&cum, version, rate, dt);
    }
    if (rc == 0)
        rc = aave3_index_ray_mul(out, cum, index, U256_HALF_UP);
    return rc;
}

int
model_aave3_index_accrue_asset(uint16_t version, struct asset *as, int64_t t)
{
    struct u256 l, d;
    int rc;

    if (!as->has_rates)
        return 0;
    if ((rc = model_aave3_index_accrue(version, false, as->lindex_stored,
                                       as->lrate, as->last_update, t, &l)) !=
            0 ||
        (rc = model_aave3_index_accrue(version, true, as->dindex_stored,
                                       as->drate, as->last_update, t, &d)) != 0)
        return rc;
    as->lindex = l;
    as->dindex = d;
    return 0;
}

static int
aave3_index_ray_div(struct u256 *r, struct u256 a, struct u256 b,
                    enum u256_round mode)
{
    if (u256_is_zero(b))
        return LIQ_EDIVZERO;
    return u256_muldiv(r, a, aave3_index_ray(), b, mode);
}

/* A leg of asset on this side holds a scaled balance in this view. */
static inline bool
aave3_index_is_scaled(const struct market *m, uint8_t asset, bool debt)
{
    return ((debt ? m->view.debt_scaled : m->view.coll_scaled) >> asset) & 1u;
}

/* The asset's index, 1 where a hand-made market left it zero. */
static struct u256
aave3_index(const struct market *m, uint8_t asset, bool debt)
{
    struct u256 i = debt ? m->assets[asset].dindex : m->assets[asset].lindex;

    return u256_is_zero(i) ? aave3_index_ray() : i;
}

/* balanceOf: scaled x index, half-up to 3.4; from 3.5 TokenMath's
 * getATokenBalance (rayMulFloor) and getVTokenBalance (rayMulCeil). */
int
model_aave3_index_balance(const struct market *m, uint8_t asset, bool debt,
                          struct u256 stored, struct u256 *out)
{
    if (!aave3_index_is_scaled(m, asset, debt)) {
        *out = stored;
        return 0;
    }
    return aave3_index_ray_mul(out, stored, aave3_index(m, asset, debt),
                               !model_aave3_rules(m)->token_v35 ? U256_HALF_UP
                               : debt                           ? U256_CEIL
                                                                : U256_FLOOR);
}

/*
 * The scaled amount a move of `amount` tokens mints or burns: to 3.4
 * rayDiv half-up everywhere; from 3.5 TokenMath: aToken mint floor, burn
 * and transfer ceil, vToken burn floor.
 */
int
model_aave3_index_scaled(const struct market *m, uint8_t asset, bool debt,
                         bool up, struct u256 amount, struct u256 *out)
{
    return aave3_index_ray_div(out, amount, aave3_index(m, asset, debt),
                               !model_aave3_rules(m)->token_v35 ? U256_HALF_UP
                               : up                             ? U256_CEIL
                                                                : U256_FLOOR);
}

/* model.h apply: a deposit mints (aToken, floor from 3.5), a repay burns
 * (vToken, floor from 3.5); repaying all that is owed clears the leg. */
int
model_aave3_index_apply(const struct market *m, uint8_t asset, bool debt,
                        struct u256 stored, struct u256 amount,
                        struct u256 *out)
{
    struct u256 s, bal;
    int rc;

    if (!aave3_index_is_scaled(m, asset, debt)) {
        if (debt)
            return u256_sub(out, stored, amount) != 0 ? LIQ_ERANGE : 0;
        return u256_add(out, stored, amount) != 0 ? LIQ_EOVERFLOW : 0;
    }
    if ((rc = model_aave3_index_scaled(m, asset, debt, false, amount, &s)) != 0)
        return rc;
    if (!debt)
        return u256_add(out, stored, s) != 0 ? LIQ_EOVERFLOW : 0;
    if ((rc = model_aave3_index_balance(m, asset, true, stored, &bal)) != 0)
        return rc;
    if (u256_lt(bal, amount))
        return LIQ_ERANGE;
    if (u256_eq(bal, amount) || u256_lt(stored, s))
        *out = u256_zero();
    else
        (void)u256_sub(out, stored, s);
    return 0;
}

/* model.h burn_bound: a call seizing k tokens burns at least floor(k /
 * index) - 1 scaled units whatever the version's rounding and the split
 * between liquidator and treasury (two half-up divisions lose less than
 * one unit between them); one repaying d burns at most ceil(d / index). */
int
model_aave3_index_burn_bound(const struct market *m, uint8_t asset, bool debt,
                             struct u256 stored, struct u256 amount,
                             struct u256 *out)
{
    struct u256 s;
    int rc;

    if (!aave3_index_is_scaled(m, asset, debt)) {
        if (!debt && u256_lt(stored, amount))
            return LIQ_ERANGE;
        (void)u256_sub(out, stored, u256_min(amount, stored));
        return 0;
    }
    rc = aave3_index_ray_div(&s, amount, aave3_index(m, asset, debt),
                             debt ? U256_CEIL : U256_FLOOR);
    if (rc != 0)
        return rc;
    if (!debt && !u256_is_zero(s))
        (void)u256_sub(&s, s, u256_from_u64(1));
    (void)u256_sub(out, stored, u256_min(s, stored));
    return 0;
}

/* The market and position s seconds after as_of (model_aave3_index_ttl):
 * indexes accrued, plain legs grown with theirs. */
static int
aave3_index_later(const struct market *m, const struct position *p, int64_t s,
                  struct market *tm, struct position *tp)
{
    int rc;

    *tm = *m;
    *tp = *p;
    tm->as_of = m->as_of + s;
    for (int i = 0; i < m->nassets; i++) {
        const struct asset *a = &m->assets[i];
        struct asset *t = &tm->assets[i];

        if (!a->has_rates)
            continue;
        if ((rc = model_aave3_index_accrue(
                 model_aave3_rules(m)->math, false, a->lindex_stored, a->lrate,
                 a->last_update, tm->as_of, &t->lindex)) != 0 ||
            (rc = model_aave3_index_accrue(
                 model_aave3_rules(m)->math, true, a->dindex_stored, a->drate,
                 a->last_update, tm->as_of, &t->dindex)) != 0)
            return rc;
    }
    for (int i = 0; i < p->ncoll + p->ndebt; i++) {
        bool debt = i >= p->ncoll;
        struct leg *l = debt ? &tp->debt[i - p->ncoll] : &tp->coll[i];
        const struct asset *a = &m->assets[l->asset];

        if (!a->has_rates || aave3_index_is_scaled(m, l->asset, debt))
            continue;
        rc = u256_muldiv(&l->amount, l->amount, aave3_index(tm, l->asset, debt),
                         aave3_index(m, l->asset, debt),
                         debt ? U256_CEIL : U256_FLOOR);
        if (rc != 0)
            return rc;
    }
    return 0;
}

/* Liquidatable s seconds after as_of; an overflow of the accrual reads as
 * liquidatable (a debt past any figure). */
static int
aave3_index_unhealthy_at(const struct market *m, const struct position *p,
                         const struct u256 *price, int64_t s, bool *out)
{
    struct market tm;
    struct position tp;
    struct account a;
    int rc = aave3_index_later(m, p, s, &tm, &tp);

    if (rc == 0)
        rc = model_account(&tm, &tp, price, &a);
    if (rc == LIQ_EOVERFLOW) {
        *out = true;
        return 0;
    }
    if (rc != 0)
        return rc;
    *out = a.liquidatable;
    return 0;
}

int
model_aave3_index_ttl(const struct market *m, const struct position *p,
                      const struct u256 *price, int64_t *out)
{
    int64_t lo = 0, hi = MODEL_TTL_HORIZON;
    bool rates = false, bad;
    int rc;

    for (int i = 0; i < p->ncoll + p->ndebt; i++) {
        const struct leg *l =
            i < p->ncoll ? &p->coll[i] : &p->debt[i - p->ncoll];

        rates = rates || m->assets[l->asset].has_rates;
    }
    if (!rates)
        return LIQ_ENOENT;
    if ((rc = aave3_index_unhealthy_at(m, p, price, 0, &bad)) != 0)
        return rc;
    if (bad) {
        *out = 0;
        return 0;
    }
    if ((rc = aave3_index_unhealthy_at(m, p, price, hi, &bad)) != 0)
        return rc;
    if (!bad) {
        *out = -1;
        return 0;
    }
    /* Debt compounds, income is linear: what is owed less the weighted
     * collateral is convex in time and not above zero at as_of, so once
     * liquidatable a position stays so; lo healthy, hi not. */
    while (hi - lo > 1) {
        int64_t mid = lo + (hi - lo) / 2;

        if ((rc = aave3_index_unhealthy_at(m, p, price, mid, &bad)) != 0)
            return rc;
        if (bad)
            hi = mid;
        else
            lo = mid;
    }
    *out = hi;
    return 0;
}
