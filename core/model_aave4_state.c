/*
 * model_aave4_state.c: Aave v4's stored units (design.md 3.1): supplied
 * shares valued through the hub's SharesMath (1e6 virtual assets and
 * shares), drawn shares at the hub's drawnIndex, and a position's premium
 * debt held in its own view of the market (struct asset.premium), and the
 * ops that convert them (model.h balance, apply, burn_bound,
 * account_after_burn and account_after_deposit).
 *
 * Owns the conversions only; the liquidation that moves these units is
 * model_aave4.c's. Pure; never allocates.
 */
#include <string.h>

#include "core/liq.h"
#include "core/model.h"
#include "core/model_aave.h"

#define AAVE4_VIRTUAL 1000000ULL /* SharesMath VIRTUAL_ASSETS, _SHARES */

struct u256
model_aave4_index(const struct market *m, unsigned asset)
{
    struct u256 i = m->assets[asset].dindex;

    return u256_is_zero(i) ? u256_exp10(27) : i;
}

bool
model_aave4_stateful(const struct market *m)
{
    for (unsigned i = 0; i < m->nassets; i++) {
        const struct asset *a = &m->assets[i];

        if (!u256_is_zero(a->dindex) || !u256_is_zero(a->hub_assets) ||
            !u256_is_zero(a->hub_shares) || !u256_is_zero(a->premium))
            return true;
    }
    return false;
}

/* x * (num + 1e6) / (den + 1e6), rounded as asked. */
static int
aave4_shares_math(struct u256 x, struct u256 num, struct u256 den, int round,
                  struct u256 *out)
{
    struct u256 v = u256_from_u64(AAVE4_VIRTUAL);
    int rc = u256_add(&num, num, v);

    if (rc == 0)
        rc = u256_add(&den, den, v);
    if (rc == 0)
        rc = u256_muldiv(out, x, num, den, (enum u256_round)round);
    return rc;
}

int
model_aave4_to_assets(const struct market *m, unsigned asset,
                      struct u256 shares, int round, struct u256 *out)
{
    const struct asset *a = &m->assets[asset];

    return aave4_shares_math(shares, a->hub_assets, a->hub_shares, round, out);
}

int
model_aave4_to_shares(const struct market *m, unsigned asset,
                      struct u256 assets, int round, struct u256 *out)
{
    const struct asset *a = &m->assets[asset];

    return aave4_shares_math(assets, a->hub_shares, a->hub_assets, round, out);
}

int
model_aave4_debt_ray(const struct market *m, unsigned asset, struct u256 shares,
                     struct u256 premium, struct u256 *out)
{
    int rc = u256_mul(out, shares, model_aave4_index(m, asset));

    return rc == 0 ? u256_add(out, *out, premium) : rc;
}

/* Drawn debt in assets as the spoke owes it: rayMulUp(shares, index) +
 * fromRayUp(premium). */
static int
aave4_owed(const struct market *m, unsigned asset, struct u256 shares,
           struct u256 premium, struct u256 *out)
{
    struct u256 ray = u256_exp10(27), p;
    int rc =
        u256_muldiv(out, shares, model_aave4_index(m, asset), ray, U256_CEIL);

    if (rc == 0)
        rc = u256_div(&p, premium, ray, U256_CEIL);
    return rc == 0 ? u256_add(out, *out, p) : rc;
}

int
model_aave4_balance(const struct market *m, uint8_t asset, bool debt,
                    struct u256 stored, struct u256 *out)
{
    if (debt)
        return aave4_owed(m, asset, stored, m->assets[asset].premium, out);
    /* previewRemoveByShares: rounded against the user */
    return model_aave4_to_assets(m, asset, stored, U256_FLOOR, out);
}

/*
 * A repay of `amount` on drawn shares `shares` with premium `*premium`
 * (Spoke.repay): the premium first, min(amount in RAY, premium), then
 * drawn shares for the rest, previewRestoreByAssets rounding down.
 */
int
model_aave4_repay(const struct market *m, uint8_t asset, struct u256 shares,
                  struct u256 *premium, struct u256 amount, struct u256 *out)
{
    struct u256 ray = u256_exp10(27), owed, pr, taken, left, burn;
    int rc = aave4_owed(m, asset, shares, *premium, &owed);

    if (rc != 0)
        return rc;
    if (u256_lt(owed, amount))
        return LIQ_ERANGE;
    if (u256_mul(&pr, amount, ray) != 0)
        pr = u256_max();
    pr = u256_min(pr, *premium);
    (void)u256_div(&taken, pr, ray, U256_CEIL);
    (void)u256_sub(&left, amount, u256_min(taken, amount));
    rc = u256_muldiv(&burn, left, ray, model_aave4_index(m, asset), U256_FLOOR);
    if (rc != 0)
        return rc;
    (void)u256_sub(premium, *premium, pr);
    (void)u256_sub(out, shares, u256_min(burn, shares));
    return 0;
}

int
model_aave4_apply(const struct market *m, uint8_t asset, bool debt,
                  struct u256 stored, struct u256 amount, struct u256 *out)
{
    struct u256 premium = m->assets[asset].premium, add;
    int rc;

    if (debt)
        return model_aave4_repay(m, asset, stored, &premium, amount, out);
    /* Hub.add mints previewAddByAssets: shares rounded down */
    rc = model_aave4_to_shares(m, asset, amount, U256_FLOOR, &add);
    return rc == 0 ? u256_add(out, stored, add) : rc;
}

/*
 * Spoke.supply of `amount` assets to collateral leg `leg`, then the
 * account on the hub after it: Hub.add mints toAddedSharesDown(amount)
 * at the totals before (InvalidShares where that is 0: LIQ_ERANGE), then
 * holds `amount` more liquidity (totalAddedAssets = liquidity + swept +
 * owed - fees: up by the amount exactly, the drawn index being accrued
 * already) and addedShares more shares, and the spoke adds the shares to
 * the user's suppliedShares. The collateral is valued by
 * previewRemoveByShares at the totals after: the mint's rounding stays in
 * the hub and lifts the share price. A supply of 0 is none. Without hub
 * totals (one share per asset) the mint is the amount and the rate stays
 * 1: model_apply's figure. The hub's uint128 liquidity and the spoke's
 * uint120 shares are not judged.
 */
int
model_aave4_account_after_deposit(const struct market *m,
                                  const struct position *p, uint8_t leg,
                                  struct u256 amount, const struct u256 *price,
                                  struct account *out)
{
    struct position q;
    const struct market *after = m;
    struct market mv;
    struct u256 shares;
    uint8_t a;
    int rc;

    if (leg >= p->ncoll)
        return LIQ_EINVAL;
    if (u256_is_zero(amount))
        return model_account(m, p, price, out);
    a = p->coll[leg].asset;
    if ((rc = model_aave4_to_shares(m, a, amount, U256_FLOOR, &shares)) != 0)
        return rc;
    if (u256_is_zero(shares))
        return LIQ_ERANGE;
    q = *p;
    if (u256_add(&q.coll[leg].amount, p->coll[leg].amount, shares) != 0)
        return LIQ_EOVERFLOW;
    if (!u256_is_zero(m->assets[a].hub_assets) ||
        !u256_is_zero(m->assets[a].hub_shares)) {
        mv = *m;
        if (u256_add(&mv.assets[a].hub_assets, m->assets[a].hub_assets,
                     amount) != 0 ||
            u256_add(&mv.assets[a].hub_shares, m->assets[a].hub_shares,
                     shares) != 0)
            return LIQ_EOVERFLOW;
        after = &mv;
    }
    return model_account(after, &q, price, out);
}

/*
 * The account after a call that seizes k assets of collateral leg coll and
 * repays d of debt leg debt, or above it: the collateral as burn_bound
 * keeps it, and the debt at its least, debtRay - d * RAY (the call burns
 * premium and drawn shares worth at most what it restores): drawn shares
 * by burn_bound while they cover it, else none and the premium cut to the
 * rest, in a copy of the view.
 */
int
model_aave4_account_after_burn(const struct market *m, const struct position *p,
                               uint8_t coll, struct u256 k, uint8_t debt,
                               struct u256 d, const struct u256 *price,
                               struct account *out)
{
    struct position q = *p;
    struct leg *cl = &q.coll[coll], *dl = &q.debt[debt];
    struct u256 drawn_ray, take, prem = m->assets[dl->asset].premium;
    struct market mv;
    int rc;

    rc =
        model_aave4_burn_bound(m, cl->asset, false, cl->amount, k, &cl->amount);
    if (rc == 0)
        rc = u256_mul(&drawn_ray, dl->amount, model_aave4_index(m, dl->asset));
    if (rc != 0)
        return rc;
    if (u256_mul(&take, d, u256_exp10(27)) != 0)
        take = u256_max();
    if (u256_le(take, drawn_ray) || u256_is_zero(prem)) {
        rc = model_aave4_burn_bound(m, dl->asset, true, dl->amount, d,
                                    &dl->amount);
        return rc == 0 ? model_account(m, &q, price, out) : rc;
    }
    mv = *m;
    (void)u256_sub(&take, take, drawn_ray);
    (void)u256_sub(&mv.assets[dl->asset].premium, prem, u256_min(take, prem));
    dl->amount = u256_zero();
    return model_account(&mv, &q, price, out);
}

/*
 * A call that seizes at least `amount` assets takes at least
 * toSharesUp(amount) shares (the assets of x shares are floor(x * (A + v)
 * / (S + v))); one that repays `amount` assets of debt leaves at least
 * debtRay - amount * RAY owed, which drawn shares reduced by
 * ceil(amount * RAY / index) bound from below while the premium stays in
 * the view. Where the repay passes the drawn debt (amount * RAY above
 * shares x index) the premium itself would have to fall: no stored amount
 * says that, the bound keeps no drawn share and
 * model_aave4_account_after_burn, which the solvers take, cuts the
 * premium too.
 */
int
model_aave4_burn_bound(const struct market *m, uint8_t asset, bool debt,
                       struct u256 stored, struct u256 amount, struct u256 *out)
{
    struct u256 take;
    int rc;

    if (debt) {
        if (u256_mul(&take, amount, u256_exp10(27)) != 0)
            take = u256_max();
        rc = u256_div(&take, take, model_aave4_index(m, asset), U256_CEIL);
    } else {
        rc = model_aave4_to_shares(m, asset, amount, U256_CEIL, &take);
    }
    if (rc != 0)
        return rc;
    if (!debt && u256_lt(stored, take))
        return LIQ_ERANGE;
    (void)u256_sub(out, stored, u256_min(take, stored));
    return 0;
}
