/*
 * model_euler.c: Euler v2, the Euler Vault Kit, as its controller vault
 * liquidates (euler-xyz/euler-vault-kit src/EVault/modules/Liquidation.sol,
 * shared/LiquidityUtils.sol, shared/types/LTVConfig.sol,
 * shared/lib/ConversionHelpers.sol; liquidation-mechanics.md section 8).
 *
 * One market is one controller vault: its one debt leg is what the
 * position owes it, in assets (debtOf, rounded up as toAssetsUp does); its
 * collateral legs are vault shares (balanceOf) of the assets the vault
 * recognizes (m->euler.collateral). Values are mid prices: a collateral's
 * value is its shares converted to assets (convertToAssets: floor, with
 * the virtual deposit of 1e6 on both totals) quoted at the asset's price
 * (floor); the liability is the debt quoted likewise. The liquidation LTV
 * ramps down linearly to its target after a governance change, judged at
 * m->as_of. Liquidatable when the LTV-adjusted collateral is at most the
 * liability (equality included) and the liability is worth something.
 *
 * Decisions (README): health is adjusted collateral x 1e18 / liability,
 * floor, except that at exact equality (liquidatable, health 1 by EVK's
 * division) it reads one unit below 1, so that health below 1 is exactly
 * "liquidatable" here as in every other model. A liq_result's collateral
 * amounts (seized, to_liquidator, bonus) are shares, the leg's unit;
 * seized_assets and bonus_assets are what they are worth. The bonus is
 * the discount's part of the yield: floor(yield x (1e18 - discount
 * factor) / 1e18). Cool-off: a position whose last status check is within
 * liquidationCoolOffTime of as_of (m->view.last_check) cannot be
 * liquidated.
 *
 * Owns these rules only; never allocates, never reads a clock. Pure.
 */
#include "core/model.h"

#include <string.h>

#include "core/liq.h"

#define EULER_VIRTUAL 1000000ULL   /* VIRTUAL_DEPOSIT_AMOUNT */
#define EULER_SCALE 10000ULL       /* CONFIG_SCALE */
#define EULER_SOCIALIZE 1000000ULL /* MIN_SOCIALIZATION_LIABILITY_VALUE */
#define EULER_MAX_SANE 112         /* amounts are uint112 */

/* 0 without msg; else "field: msg" into err and LIQ_EINVAL. */
static int
euler_refuse(char *err, size_t errlen, int asset, const char *field,
             const char *msg)
{
    char buf[160];
    size_t n = 0, k;

    if (asset >= 0) {
        buf[n++] = 'a';
        memcpy(buf + n, "ssets[", 6);
        n += 6;
        if (asset >= 10)
            buf[n++] = (char)('0' + asset / 10);
        buf[n++] = (char)('0' + asset % 10);
        buf[n++] = ']';
        buf[n++] = '.';
    }
    k = strlen(field);
    if (k > 60)
        k = 60;
    memcpy(buf + n, field, k);
    n += k;
    buf[n++] = ':';
    buf[n++] = ' ';
    k = strlen(msg);
    if (k > sizeof buf - n - 1)
        k = sizeof buf - n - 1;
    memcpy(buf + n, msg, k);
    n += k;
    buf[n] = '\0';
    if (errlen > 0) {
        k = n < errlen - 1 ? n : errlen - 1;
        memcpy(err, buf, k);
        err[k] = '\0';
    }
    return LIQ_EINVAL;
}

static bool
euler_recognized(const struct market *m, uint8_t asset)
{
    return asset < 32 && (m->euler.collateral >> asset & 1u) != 0;
}

/* LTVConfig.getLTV(liquidation = true) at m->as_of: the target, or while
 * ramping target + (original - target) x timeRemaining / rampDuration. */
static uint64_t
euler_ltv(const struct market *m, uint8_t asset)
{
    const struct market_euler *e = &m->euler;
    uint64_t target = m->assets[asset].lt, from = e->ramp_from[asset];
    uint32_t dur = e->ramp_duration[asset];
    int64_t end = e->ramp_start[asset] + (int64_t)dur;

    if (dur == 0 || m->as_of >= end || target >= from)
        return target;
    return target + (from - target) * (uint64_t)(end - m->as_of) / dur;
}

/* The conversion totals: totalAssets + 1e6 and totalShares + 1e6. */
static int
euler_totals(const struct market *m, uint8_t asset, struct u256 *ta,
             struct u256 *ts)
{
    if (u256_add(ta, m->euler.total_assets[asset],
                 u256_from_u64(EULER_VIRTUAL)) != 0 ||
        u256_add(ts, m->euler.total_shares[asset],
                 u256_from_u64(EULER_VIRTUAL)) != 0)
        return LIQ_EOVERFLOW;
    return 0;
}

/* toAssetsDown: shares x totalAssets / totalShares, floor. */
static int
euler_to_assets(const struct market *m, uint8_t asset, struct u256 shares,
                struct u256 *out)
{
    struct u256 ta, ts;
    int rc = euler_totals(m, asset, &ta, &ts);

    return rc != 0 ? rc : u256_muldiv(out, shares, ta, ts, U256_FLOOR);
}

/* toSharesDown: assets x totalShares / totalAssets, floor (deposit). */
static int
euler_to_shares(const struct market *m, uint8_t asset, struct u256 assets,
                struct u256 *out)
{
    struct u256 ta, ts;
    int rc = euler_totals(m, asset, &ta, &ts);

    return rc != 0 ? rc : u256_muldiv(out, assets, ts, ta, U256_FLOOR);
}

/* getQuote at the mid price: amount x price / 10^decimals, floor. */
static int
euler_quote(const struct market *m, uint8_t asset, struct u256 amount,
            const struct u256 *price, struct u256 *out)
{
    return u256_muldiv(out, amount, price[asset],
                       u256_exp10(m->assets[asset].decimals), U256_FLOOR);
}

/* calculateLiquidity(liquidation = true): the LTV-adjusted collateral
 * (each collateral's value x LTV / 1e4, floor, summed), the liability,
 * and beside them the unadjusted value of the recognized collateral. */
struct euler_liq {
    struct u256 adjusted, liability, coll_value;
};

static int
euler_liquidity(const struct market *m, const struct position *p,
                const struct u256 *price, struct euler_liq *out)
{
    int rc;

    memset(out, 0, sizeof(*out));
    if (p->ndebt > 1)
        return LIQ_EINVAL; /* one controller, one liability */
    for (int i = 0; i < p->ncoll; i++) {
        uint8_t a = p->coll[i].asset;
        uint64_t ltv;
        struct u256 assets, v, w;

        if (!euler_recognized(m, a) || u256_is_zero(p->coll[i].amount))
            continue;
        if ((rc = euler_to_assets(m, a, p->coll[i].amount, &assets)) != 0 ||
            (rc = euler_quote(m, a, assets, price, &v)) != 0)
            return rc;
        if (u256_add(&out->coll_value, out->coll_value, v) != 0)
            return LIQ_EOVERFLOW;
        ltv = euler_ltv(m, a);
        if (ltv == 0)
            continue;
        if ((rc = u256_muldiv(&w, v, u256_from_u64(ltv),
                              u256_from_u64(EULER_SCALE), U256_FLOOR)) != 0)
            return rc;
        if (u256_add(&out->adjusted, out->adjusted, w) != 0)
            return LIQ_EOVERFLOW;
    }
    if (p->ndebt == 1 && !u256_is_zero(p->debt[0].amount))
        return euler_quote(m, p->debt[0].asset, p->debt[0].amount, price,
                           &out->liability);
    return 0;
}

static bool
euler_violated(const struct euler_liq *l)
{
    return !u256_is_zero(l->liability) && u256_le(l->adjusted, l->liability);
}

static int
euler_account(const struct market *m, const struct position *p,
              const struct u256 *price, struct account *out)
{
    struct euler_liq l;
    int rc = euler_liquidity(m, p, price, &l);

    if (rc != 0)
        return rc;
    memset(out, 0, sizeof(*out));
    out->coll_value = l.coll_value;
    out->debt_value = l.liability;
    out->has_debt = position_has_debt(p);
    out->hf = u256_max();
    if (!u256_is_zero(l.liability)) {
        rc = u256_muldiv(&out->hf, l.adjusted, u256_from_u64(WAD), l.liability,
                         U256_FLOOR);
        if (rc == LIQ_EOVERFLOW)
            out->hf = u256_max();
        else if (rc != 0)
            return rc;
        if (u256_eq(l.adjusted, l.liability))
            out->hf = u256_from_u64(WAD - 1);
    }
    out->liquidatable = euler_violated(&l);
    out->bad_debt = out->has_debt && u256_lt(l.coll_value, l.liability);
    return 0;
}

/* calculateMaxLiquidation at discount factor df: maxRepay (assets) and
 * maxYield (shares) for collateral leg k, liability value lv > 0. */
static int
euler_max(const struct market *m, const struct position *p,
          const struct u256 *price, uint8_t k, struct u256 lv, struct u256 df,
          struct u256 *max_repay, struct u256 *max_yield)
{
    const struct leg *cl = &p->coll[k];
    struct u256 assets, cv, mrv, myv, wad = u256_from_u64(WAD);
    int rc;

    if ((rc = euler_to_assets(m, cl->asset, cl->amount, &assets)) != 0 ||
        (rc = euler_quote(m, cl->asset, assets, price, &cv)) != 0)
        return rc;
    if (u256_is_zero(cv)) {
        /* worthless collateral can be claimed with no repay */
        *max_repay = u256_zero();
        *max_yield = cl->amount;
        return 0;
    }
    mrv = lv;
    if ((rc = u256_muldiv(&myv, mrv, wad, df, U256_FLOOR)) != 0)
        return rc;
    if (u256_lt(cv, myv)) {
        if ((rc = u256_muldiv(&mrv, cv, df, wad, U256_FLOOR)) != 0)
            return rc;
        myv = cv;
    }
    if ((rc = u256_muldiv(max_repay, mrv, p->debt[0].amount, lv, U256_FLOOR)) !=
        0)
        return rc;
    return u256_muldiv(max_yield, myv, cl->amount, cv, U256_FLOOR);
}

/* The position after the call: yield shares gone, repay taken over by
 * the liquidator, and the rest socialized when no recognized collateral
 * is left (liability value at least 1e6, unless the vault forbids it). */
static int
euler_after(const struct market *m, const struct position *p,
            const struct u256 *price, const struct liq_call *call,
            struct u256 lv, struct liq_result *out)
{
    struct position q = *p;
    struct leg *cl = &q.coll[call->coll], *dl = &q.debt[0];
    struct account after;
    bool left = false;
    int rc;

    /* A reverting call's figures: at most what is held and owed. */
    (void)u256_sub(&cl->amount, cl->amount, u256_min(cl->amount, out->seized));
    (void)u256_sub(&dl->amount, dl->amount, u256_min(dl->amount, out->repay));
    for (int i = 0; i < q.ncoll; i++)
        if (euler_recognized(m, q.coll[i].asset) &&
            !u256_is_zero(q.coll[i].amount))
            left = true;
    out->bad_debt_after = !left && !u256_is_zero(q.debt[0].amount);
    if (out->bad_debt_after && !m->euler.no_socialize &&
        !u256_lt(lv, u256_from_u64(EULER_SOCIALIZE)))
        q.debt[0].amount = u256_zero();
    if ((rc = euler_account(m, &q, price, &after)) != 0)
        return rc;
    out->hf_after = after.has_debt ? after.hf : u256_max();
    return 0;
}

static int
euler_liquidate(const struct market *m, const struct position *p,
                const struct u256 *price, const struct liq_call *call,
                struct liq_result *out)
{
    struct u256 wad = u256_from_u64(WAD), df, min_df, mr = u256_zero(),
                my = u256_zero(), t;
    struct account before;
    struct euler_liq l;
    enum liq_revert rev = REVERT_NONE;
    uint8_t ca;
    bool violated;
    int rc;

    if (call->seize || p->ndebt != 1 || call->debt != 0 ||
        call->coll >= p->ncoll)
        return LIQ_EINVAL;
    memset(out, 0, sizeof(*out));
    out->close_factor = wad; /* no close factor: the whole debt */
    out->hf_after = u256_max();
    ca = p->coll[call->coll].asset;
    if ((rc = euler_liquidity(m, p, price, &l)) != 0 ||
        (rc = euler_account(m, p, price, &before)) != 0)
        return rc;
    violated = euler_violated(&l);
    /* discountFactor = health score, at least 1 - maxLiquidationDiscount;
     * for a healthy position's figures, at most 1 (no discount). */
    df = wad;
    if (!u256_is_zero(l.liability) &&
        (rc = u256_muldiv(&df, l.adjusted, wad, l.liability, U256_FLOOR)) !=
            0 &&
        rc != LIQ_EOVERFLOW)
        return rc;
    if (rc == LIQ_EOVERFLOW || u256_lt(wad, df))
        df = wad;
    min_df = u256_from_u64(WAD - m->euler.max_discount * (WAD / EULER_SCALE));
    if (u256_lt(df, min_df))
        df = min_df;
    if (!u256_is_zero(l.liability) &&
        (rc = euler_max(m, p, price, call->coll, l.liability, df, &mr, &my)) !=
            0)
        return rc;
    if (!violated)
        out->max_repay = u256_zero(); /* checkLiquidation: (0, 0) */
    else
        out->max_repay = mr;
    if (call->max) {
        out->repay = out->max_repay;
        out->seized = violated ? my : u256_zero();
    } else {
        out->repay = call->repay;
        if (!u256_is_zero(mr)) {
            /* yieldBalance = desiredRepay x maxYield / maxRepay */
            if ((rc = u256_muldiv(&t, call->repay, my, mr, U256_FLOOR)) != 0 &&
                rc != LIQ_EOVERFLOW)
                return rc;
            out->seized = rc == 0 ? t : p->coll[call->coll].amount;
        } else if (u256_is_zero(call->repay)) {
            out->seized = violated ? my : u256_zero();
        }
    }
    /* The reasons in Liquidation.calculateLiquidation's order. */
    if (!euler_recognized(m, ca))
        rev = REVERT_COLLATERAL_NOT_ENABLED; /* E_BadCollateral */
    else if (m->view.last_check != 0 &&
             m->as_of < m->view.last_check + (int64_t)m->euler.cool_off)
        rev = REVERT_COOL_OFF; /* E_LiquidationCoolOff */
    else if (!violated)
        rev = REVERT_NOT_LIQUIDATABLE; /* no liability, or no violation */
    else if (u256_lt(out->max_repay, out->repay))
        rev = REVERT_TOO_MUCH_REPAY; /* E_ExcessiveRepayAmount */
    else if (u256_is_zero(out->repay) && u256_is_zero(out->seized))
        rev = REVERT_NOTHING_TO_REPAY; /* a no-op */
    out->revert = rev;
    if (rev != REVERT_NONE && u256_lt(p->coll[call->coll].amount, out->seized))
        out->seized = p->coll[call->coll].amount; /* figures only */
    out->to_liquidator = out->seized;
    if ((rc = u256_muldiv(&t, out->seized, df, wad, U256_CEIL)) != 0)
        return rc;
    (void)u256_sub(&out->bonus, out->seized, t);
    if ((rc = euler_to_assets(m, ca, out->seized, &out->seized_assets)) != 0 ||
        (rc = euler_to_assets(m, ca, out->bonus, &out->bonus_assets)) != 0 ||
        (rc = euler_after(m, p, price, call, l.liability, out)) != 0)
        return rc;
    out->lowers_health = u256_lt(out->hf_after, before.hf);
    return 0;
}

/* A deposit mints toSharesDown of it; a repay burns what it repays. */
static int
euler_apply(const struct market *m, uint8_t asset, bool debt,
            struct u256 stored, struct u256 amount, struct u256 *out)
{
    struct u256 shares;
    int rc;

    if (debt)
        return u256_sub(out, stored, amount) != 0 ? LIQ_ERANGE : 0;
    if ((rc = euler_to_shares(m, asset, amount, &shares)) != 0)
        return rc;
    return u256_add(out, stored, shares) != 0 ? LIQ_EOVERFLOW : 0;
}

/* A stored collateral leg is shares: balanceOf's worth is convertToAssets
 * (toAssetsDown). Debt is held in assets already (debtOf). */
static int
euler_balance(const struct market *m, uint8_t asset, bool debt,
              struct u256 stored, struct u256 *out)
{
    if (debt) {
        *out = stored;
        return 0;
    }
    return euler_to_assets(m, asset, stored, out);
}

/*
 * Vault.deposit of `amount` assets to collateral leg `leg`, then the
 * account (liquidation = true) on the vault after it: the deposit mints
 * toSharesDown(amount) at the totals before (E_ZeroShares where that is
 * 0: LIQ_ERANGE), and raises the vault's cash by the assets and its total
 * shares by the shares (finalizeDeposit, increaseBalance), so the leg's
 * shares are then worth toAssetsDown at the totals after: the rounding
 * of the mint stays in the vault and lifts its rate. A deposit of 0 is
 * the contract's no-op. Past uint112 total shares: LIQ_ERANGE
 * (E_AmountTooLargeToEncode); the vault's cash alone is not known here,
 * so its own uint112 bound is not judged.
 */
static int
euler_account_after_deposit(const struct market *m, const struct position *p,
                            uint8_t leg, struct u256 amount,
                            const struct u256 *price, struct account *out)
{
    struct position q;
    struct market after;
    struct u256 shares;
    uint8_t a;
    int rc;

    if (leg >= p->ncoll)
        return LIQ_EINVAL;
    if (u256_is_zero(amount))
        return euler_account(m, p, price, out);
    a = p->coll[leg].asset;
    if ((rc = euler_to_shares(m, a, amount, &shares)) != 0)
        return rc;
    if (u256_is_zero(shares))
        return LIQ_ERANGE;
    after = *m;
    q = *p;
    if (u256_add(&after.euler.total_assets[a], m->euler.total_assets[a],
                 amount) != 0 ||
        u256_add(&after.euler.total_shares[a], m->euler.total_shares[a],
                 shares) != 0 ||
        u256_add(&q.coll[leg].amount, p->coll[leg].amount, shares) != 0 ||
        u256_bits(after.euler.total_shares[a]) > EULER_MAX_SANE)
        return LIQ_ERANGE;
    return euler_account(&after, &q, price, out);
}

/* Governance's checks: setLTV (a ConfigAmount at most 1e4, borrow LTV not
 * above liquidation LTV, a ramp only down), setMaxLiquidationDiscount
 * (below 1e4), setLiquidationCoolOffTime (uint16), uint112 totals. */
static int
euler_validate(const struct market *m, char *err, size_t errlen)
{
    const struct market_euler *e = &m->euler;

    if (e->max_discount >= EULER_SCALE)
        return euler_refuse(err, errlen, -1, "params.max_liquidation_discount",
                            "must be below 1");
    if (e->cool_off > 65535)
        return euler_refuse(err, errlen, -1, "params.liquidation_cool_off_time",
                            "must be at most 65535 seconds (uint16)");
    for (int i = 0; i < m->nassets; i++) {
        const struct asset *a = &m->assets[i];

        if (a->lt > EULER_SCALE)
            return euler_refuse(err, errlen, i, "liquidation_ltv",
                                "must be at most 1");
        if (a->ltv > a->lt)
            return euler_refuse(
                err, errlen, i, "ltv",
                "must not exceed liquidation_ltv (E_LTVBorrow)");
        if (e->ramp_duration[i] != 0 && e->ramp_from[i] > EULER_SCALE)
            return euler_refuse(err, errlen, i, "ltv_ramp.original",
                                "must be at most 1");
        if (e->ramp_duration[i] != 0 && e->ramp_from[i] <= a->lt)
            return euler_refuse(err, errlen, i, "ltv_ramp.original",
                                "must be above liquidation_ltv: a ramp only "
                                "lowers the LTV (E_LTVLiquidation)");
        if (u256_bits(e->total_assets[i]) > EULER_MAX_SANE)
            return euler_refuse(err, errlen, i, "total_assets",
                                "must be below 2^112");
        if (u256_bits(e->total_shares[i]) > EULER_MAX_SANE)
            return euler_refuse(err, errlen, i, "total_shares",
                                "must be below 2^112");
    }
    return 0;
}

const struct model_ops model_euler_ops = {
    .name = "euler-v2",
    .validate = euler_validate,
    .account = euler_account,
    .liquidate = euler_liquidate,
    .balance = euler_balance,
    .apply = euler_apply,
    .account_after_deposit = euler_account_after_deposit,
};
