/*
 * model_morpho_state.c: Morpho Blue's stored market state as Morpho.sol and
 * its libraries compute it: MathLib's mulDiv with Solidity's checked
 * arithmetic (a product past 2^256 - 1 is the contract's revert, reported
 * as LIQ_EOVERFLOW, never a wider answer), SharesMathLib's conversions with
 * 1e6 virtual shares and 1 virtual asset, and _accrueInterest
 * (wTaylorCompounded, fee shares minted, uint128 totals).
 *
 * Owns the share and interest maths only; health and liquidation are
 * model_morpho.c's. Pure: the moment to accrue to is the caller's.
 */
#include <string.h>

#include "core/liq.h"
#include "core/model.h"
#include "core/model_morpho.h"

#define MORPHO_VIRTUAL_SHARES 1000000ULL
#define MORPHO_MAX_FEE 250000000000000000ULL /* ConstantsLib.MAX_FEE */

int
model_morpho_state_muldiv_down(struct u256 *out, struct u256 x, struct u256 y,
                               struct u256 d)
{
    struct u256 p;
    int rc;

    /* Factors within 128 bits: the product fits 256, so the contract's
     * check passes and u256_muldiv's floor is its quotient, without the
     * general 256-by-256 division. */
    if ((x.w[2] | x.w[3] | y.w[2] | y.w[3]) == 0)
        return u256_muldiv(out, x, y, d, U256_FLOOR);
    rc = u256_mul(&p, x, y);
    if (rc != 0)
        return LIQ_EOVERFLOW;
    return u256_div(out, p, d, U256_FLOOR);
}

int
model_morpho_state_muldiv_up(struct u256 *out, struct u256 x, struct u256 y,
                             struct u256 d)
{
    struct u256 p, dm1;

    if (u256_is_zero(d))
        return LIQ_EDIVZERO;
    /* All three within 128 bits: x y + d - 1 < 2^256, so the contract's
     * checks pass and floor((x y + d - 1) / d) is u256_muldiv's ceiling. */
    if ((x.w[2] | x.w[3] | y.w[2] | y.w[3] | d.w[2] | d.w[3]) == 0)
        return u256_muldiv(out, x, y, d, U256_CEIL);
    (void)u256_sub(&dm1, d, u256_from_u64(1));
    if (u256_mul(&p, x, y) != 0 || u256_add(&p, p, dm1) != 0)
        return LIQ_EOVERFLOW;
    return u256_div(out, p, d, U256_FLOOR);
}

/* totalShares + VIRTUAL_SHARES and totalAssets + VIRTUAL_ASSETS. */
static int
morpho_virtual(const struct morpho_totals *t, struct u256 *sh, struct u256 *as)
{
    if (u256_add(sh, t->shares, u256_from_u64(MORPHO_VIRTUAL_SHARES)) != 0 ||
        u256_add(as, t->assets, u256_from_u64(1)) != 0)
        return LIQ_EOVERFLOW;
    return 0;
}

int
model_morpho_state_convert(struct u256 *out, struct u256 x,
                           const struct morpho_totals *t, bool to_shares,
                           bool up)
{
    struct u256 sh, as;
    int rc = morpho_virtual(t, &sh, &as);

    if (rc != 0)
        return rc;
    if (to_shares)
        return up ? model_morpho_state_muldiv_up(out, x, sh, as)
                  : model_morpho_state_muldiv_down(out, x, sh, as);
    return up ? model_morpho_state_muldiv_up(out, x, as, sh)
              : model_morpho_state_muldiv_down(out, x, as, sh);
}

/* a += b in a uint128 field (checked): LIQ_EOVERFLOW past 2^128 - 1. */
static int
morpho_add128(struct u256 *a, struct u256 b)
{
    struct u256 r;
    u128 v;

    if (u256_add(&r, *a, b) != 0 || !u256_to_u128(r, &v))
        return LIQ_EOVERFLOW;
    *a = r;
    return 0;
}

int
model_morpho_state_accrue(const struct market_morpho *s, int64_t to,
                          struct morpho_market_totals *out)
{
    struct u256 x, first, second, third, growth, interest, fee_amount, shares;
    struct morpho_totals supply;
    int rc;

    out->supply.assets = s->supply_assets;
    out->supply.shares = s->supply_shares;
    out->borrow.assets = s->borrow_assets;
    out->borrow.shares = s->borrow_shares;
    if (to < s->last_update)
        return LIQ_ERANGE; /* block.timestamp - lastUpdate underflows */
    if (to == s->last_update)
        return 0;
    /* wTaylorCompounded(borrowRate, elapsed) */
    rc = u256_mul(&first, s->borrow_rate,
                  u256_from_u64((uint64_t)(to - s->last_update)));
    if (rc != 0)
        return LIQ_EOVERFLOW;
    x = first;
    rc = model_morpho_state_muldiv_down(&second, first, first,
                                        u256_from_u64(2 * WAD));
    if (rc == 0)
        rc = model_morpho_state_muldiv_down(&third, second, first,
                                            u256_from_u64(3 * WAD));
    if (rc != 0)
        return rc;
    if (u256_add(&growth, x, second) != 0 ||
        u256_add(&growth, growth, third) != 0)
        return LIQ_EOVERFLOW;
    /* interest = totalBorrowAssets.wMulDown(growth) */
    rc = model_morpho_state_muldiv_down(&interest, out->borrow.assets, growth,
                                        u256_from_u64(WAD));
    if (rc == 0)
        rc = morpho_add128(&out->borrow.assets, interest);
    if (rc == 0)
        rc = morpho_add128(&out->supply.assets, interest);
    if (rc != 0 || s->fee == 0)
        return rc;
    /* feeShares = feeAmount.toSharesDown(totalSupplyAssets - feeAmount,
     * totalSupplyShares), minted to the fee recipient. */
    rc = model_morpho_state_muldiv_down(
        &fee_amount, interest, u256_from_u64(s->fee), u256_from_u64(WAD));
    if (rc != 0)
        return rc;
    supply.shares = out->supply.shares;
    (void)u256_sub(&supply.assets, out->supply.assets, fee_amount);
    rc = model_morpho_state_convert(&shares, fee_amount, &supply, true, false);
    if (rc == 0)
        rc = morpho_add128(&out->supply.shares, shares);
    return rc;
}

int
model_morpho_accrue(struct market *m)
{
    struct market_morpho *s = &m->morpho;
    struct morpho_market_totals t;
    int rc;

    s->accrued = false;
    if (!s->has_state)
        return 0;
    if (s->fee > MORPHO_MAX_FEE)
        return LIQ_ERANGE;
    rc = model_morpho_state_accrue(s, m->as_of, &t);
    if (rc != 0)
        return rc;
    s->acc_supply_assets = t.supply.assets;
    s->acc_supply_shares = t.supply.shares;
    s->acc_borrow_assets = t.borrow.assets;
    s->acc_borrow_shares = t.borrow.shares;
    s->acc_at = m->as_of;
    s->accrued = true;
    return 0;
}

int
model_morpho_state_borrow(const struct market *m, struct morpho_totals *out)
{
    const struct market_morpho *s = &m->morpho;
    struct morpho_market_totals t;
    int rc;

    if (s->accrued && s->acc_at == m->as_of) {
        out->assets = s->acc_borrow_assets;
        out->shares = s->acc_borrow_shares;
        return 0;
    }
    rc = model_morpho_state_accrue(s, m->as_of, &t);
    if (rc == 0)
        *out = t.borrow;
    return rc;
}

/* At as_of + t: the shares owe more than max_borrow (an accrual that
 * overflows counts as past it: the debt has left the contract's range). */
static bool
morpho_unhealthy_at(const struct market_morpho *s, int64_t as_of, int64_t t,
                    struct u256 shares, struct u256 max_borrow)
{
    struct morpho_market_totals mt;
    struct u256 owed;

    if (model_morpho_state_accrue(s, as_of + t, &mt) != 0 ||
        model_morpho_state_convert(&owed, shares, &mt.borrow, false, true) != 0)
        return true;
    return u256_lt(max_borrow, owed);
}

int
model_morpho_state_ttl(const struct market_morpho *s, int64_t as_of,
                       struct u256 shares, struct u256 max_borrow,
                       int64_t horizon, int64_t *out)
{
    int64_t lo = 0, hi = horizon;

    if (as_of < s->last_update)
        return LIQ_ERANGE;
    if (morpho_unhealthy_at(s, as_of, 0, shares, max_borrow)) {
        *out = 0;
        return 0;
    }
    if (!morpho_unhealthy_at(s, as_of, horizon, shares, max_borrow)) {
        *out = -1;
        return 0;
    }
    /* The owed amount only grows with time: lo healthy, hi not. */
    while (hi - lo > 1) {
        int64_t mid = lo + (hi - lo) / 2;

        if (morpho_unhealthy_at(s, as_of, mid, shares, max_borrow))
            hi = mid;
        else
            lo = mid;
    }
    *out = hi;
    return 0;
}
