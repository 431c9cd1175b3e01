/*
 * model_morpho_pre.c: Morpho Blue with one PreLiquidation contract
 * (morpho-org/pre-liquidation src/PreLiquidation.sol; design.md 3
 * "morpho-pre"; field-2026-12.md 2.1). Between pre_lltv and the LLTV, on
 * the pre-liquidation oracle, preLiquidate repays at most preLCF of the
 * borrow shares for an incentive preLIF, both linear in the LTV, with
 * Morpho's WAD rounding (MathLib, SharesMathLib). Once the position is
 * Morpho-liquidatable on the market's oracle, every figure is Morpho
 * Blue's own (model_morpho.c, through its ops table).
 *
 * Owns the pre-liquidation rules only: accounts, shares, interest and the
 * plain liquidation stay model_morpho*.c's. No 128-bit fast path of its
 * own: the book values accounts through Morpho Blue's. Pure.
 */
#include "core/model.h"

#include <string.h>

#include "core/liq.h"
#include "core/model_morpho.h"

#define PRE_SCALE 36 /* ORACLE_PRICE_SCALE = 1e36 */

static struct u256
pre_wad(void)
{
    return u256_from_u64(WAD);
}

/* MathLib: wMulDown(x, y) = mulDivDown(x, y, WAD) and wDivUp(x, y) =
 * mulDivUp(x, WAD, y), checked. */
static int
pre_wmul_down(struct u256 *out, struct u256 x, struct u256 y)
{
    return model_morpho_state_muldiv_down(out, x, y, pre_wad());
}

int
model_morpho_pre_schedule(const struct market *m, struct u256 ltv,
                          struct u256 *lcf, struct u256 *lif)
{
    const struct market_pre *q = &m->pre;
    uint64_t lltv = m->assets[0].lt;
    struct u256 quot, t;
    int rc;

    if (u256_lt(ltv, u256_from_u64(q->lltv)) || q->lltv >= lltv)
        return LIQ_ERANGE;
    /* quotient = (ltv - PRE_LLTV).wDivDown(LLTV - PRE_LLTV) */
    (void)u256_sub(&t, ltv, u256_from_u64(q->lltv));
    rc = model_morpho_state_muldiv_down(&quot, t, pre_wad(),
                                        u256_from_u64(lltv - q->lltv));
    /* preLIF = quotient.wMulDown(PRE_LIF_2 - PRE_LIF_1) + PRE_LIF_1 */
    if (rc == 0)
        rc = pre_wmul_down(&t, quot, u256_from_u64(q->lif2 - q->lif1));
    if (rc == 0 && u256_add(lif, t, u256_from_u64(q->lif1)) != 0)
        rc = LIQ_EOVERFLOW;
    /* preLCF = quotient.wMulDown(PRE_LCF_2 - PRE_LCF_1) + PRE_LCF_1 */
    if (rc == 0)
        rc = pre_wmul_down(&t, quot, u256_from_u64(q->lcf2 - q->lcf1));
    if (rc == 0 && u256_add(lcf, t, u256_from_u64(q->lcf1)) != 0)
        rc = LIQ_EOVERFLOW;
    return rc;
}

/* The market oracle's price of asset c in asset d, as Morpho Blue's. */
static int
pre_market_oracle(const struct market *m, uint8_t c, uint8_t d,
                  const struct u256 *price, struct u256 *out)
{
    if (m->morpho.has_oracle) {
        *out = m->morpho.oracle_price;
        return 0;
    }
    return model_morpho_oracle_price(out, price[c], m->assets[c].decimals,
                                     price[d], m->assets[d].decimals);
}

/* What preLiquidate reads: the accrued borrow totals, the position's
 * shares, collateral and borrow, the pre-liquidation oracle's price, and
 * where the LTV sits. */
struct pre_zone {
    struct morpho_totals t;
    struct u256 shares, coll, borrowed, price, quoted;
    bool liquidatable; /* borrowed > wMulDown(quoted, LLTV): use liquidation */
    bool band;         /* else borrowed > wMulDown(quoted, PRE_LLTV) */
    struct u256 lcf, lif; /* at the LTV; clamped to the ends outside */
};

static int
pre_zone(const struct market *m, const struct position *p,
         const struct u256 *price, struct pre_zone *z)
{
    struct u256 lim, ltv, debt = u256_zero();
    int rc;

    memset(z, 0, sizeof(*z));
    if (p->ndebt == 1)
        debt = p->debt[0].amount;
    if (p->ncoll == 1)
        z->coll = p->coll[0].amount;
    /* The position's borrow as Morpho holds it (model_morpho.c): shares on
     * the accrued totals, or one borrower holding 1e6 shares an asset. */
    if (m->morpho.has_state) {
        z->shares = debt;
        rc = model_morpho_state_borrow(m, &z->t);
    } else {
        z->t.assets = debt;
        rc = u256_mul(&z->t.shares, debt, u256_from_u64(1000000)) != 0
                 ? LIQ_EOVERFLOW
                 : 0;
        z->shares = z->t.shares;
    }
    if (rc == 0)
        rc = model_morpho_state_convert(&z->borrowed, z->shares, &z->t, false,
                                        true);
    if (rc == 0 && m->pre.has_oracle)
        z->price = m->pre.oracle_price;
    else if (rc == 0)
        rc = pre_market_oracle(m, 0, 1, price, &z->price);
    /* collateralQuoted = collateral.mulDivDown(price, ORACLE_PRICE_SCALE) */
    if (rc == 0)
        rc = model_morpho_state_muldiv_down(&z->quoted, z->coll, z->price,
                                            u256_exp10(PRE_SCALE));
    if (rc == 0)
        rc = pre_wmul_down(&lim, z->quoted, u256_from_u64(m->assets[0].lt));
    if (rc != 0)
        return rc;
    z->liquidatable = u256_lt(lim, z->borrowed);
    rc = pre_wmul_down(&lim, z->quoted, u256_from_u64(m->pre.lltv));
    if (rc != 0)
        return rc;
    z->band = !z->liquidatable && u256_lt(lim, z->borrowed);
    if (z->band) {
        /* ltv = borrowed.wDivUp(collateralQuoted), in (PRE_LLTV, LLTV] */
        rc = model_morpho_state_muldiv_up(&ltv, z->borrowed, pre_wad(),
                                          z->quoted);
        if (rc == 0)
            rc = model_morpho_pre_schedule(m, ltv, &z->lcf, &z->lif);
        return rc;
    }
    /* Figures outside the band (the call reverts): the nearer end. */
    z->lcf = u256_from_u64(z->liquidatable ? m->pre.lcf2 : m->pre.lcf1);
    z->lif = u256_from_u64(z->liquidatable ? m->pre.lif2 : m->pre.lif1);
    return 0;
}

int
model_morpho_pre_band(const struct market *m, const struct position *p,
                      const struct u256 *price,
                      struct model_morpho_pre_band *out)
{
    struct account acct;
    struct pre_zone z;
    int rc;

    memset(out, 0, sizeof(*out));
    if (m->model != MODEL_MORPHO_PRE)
        return LIQ_EINVAL;
    if (p->ndebt != 1 || p->ncoll != 1 || u256_is_zero(p->debt[0].amount))
        return 0;
    rc = model_morpho_ops.account(m, p, price, &acct);
    if (rc == 0)
        rc = pre_zone(m, p, price, &z);
    if (rc != 0)
        return rc;
    out->pre_liquidatable = z.band && !acct.liquidatable;
    if (out->pre_liquidatable) {
        out->lcf = z.lcf;
        out->lif = z.lif;
    }
    return 0;
}

/* Whether borrowed <= wMulDown(quoted, PRE_LLTV): out of the band and out
 * of what lies past it, on the pre-liquidation oracle. */
static int
pre_clear_of(const struct market *m, struct u256 borrowed, struct u256 quoted,
             bool *clear)
{
    struct u256 lim;
    int rc = pre_wmul_down(&lim, quoted, u256_from_u64(m->pre.lltv));

    if (rc == 0)
        *clear = u256_le(borrowed, lim);
    return rc;
}

int
model_morpho_pre_clear_after(const struct market *m, const struct position *p,
                             const struct u256 *price, bool deposit,
                             struct u256 amount, bool *clear)
{
    struct pre_zone z;
    struct u256 owed, burn, left, borrowed = u256_zero(), coll, quoted;
    int rc;

    *clear = true;
    if (m->model != MODEL_MORPHO_PRE)
        return LIQ_EINVAL;
    if (p->ndebt != 1 || p->ncoll != 1 || u256_is_zero(p->debt[0].amount))
        return 0;
    rc = pre_zone(m, p, price, &z);
    if (rc != 0)
        return rc;
    if (deposit) {
        /* supplyCollateral adds the assets as they are */
        if (u256_add(&coll, z.coll, amount) != 0)
            return LIQ_EOVERFLOW;
        rc = model_morpho_state_muldiv_down(&quoted, coll, z.price,
                                            u256_exp10(PRE_SCALE));
        return rc != 0 ? rc : pre_clear_of(m, z.borrowed, quoted, clear);
    }
    /* Morpho.repay by assets, as model_morpho.c's account_after_repay:
     * toSharesDown burnt, all shares when the whole owed is repaid. */
    rc = model_morpho_state_convert(&owed, z.shares, &z.t, false, true);
    if (rc == 0 && u256_lt(owed, amount))
        rc = LIQ_ERANGE;
    if (rc == 0)
        rc = model_morpho_state_convert(&burn, amount, &z.t, true, false);
    if (rc != 0)
        return rc;
    if (u256_eq(amount, owed) || u256_lt(z.shares, burn))
        burn = z.shares;
    (void)u256_sub(&left, z.shares, burn);
    (void)u256_sub(&z.t.shares, z.t.shares, u256_min(burn, z.t.shares));
    (void)u256_sub(&z.t.assets, z.t.assets, u256_min(amount, z.t.assets));
    if (!u256_is_zero(left))
        rc = model_morpho_state_convert(&borrowed, left, &z.t, false, true);
    return rc != 0 ? rc : pre_clear_of(m, borrowed, z.quoted, clear);
}

/* Past pre_lltv (in the band or beyond) with asset c at price x, the
 * others as in price; a model error counts as not past. */
static bool
pre_past(const struct market *m, const struct position *p,
         const struct u256 *price, struct u256 x)
{
    struct u256 q[MARKET_ASSETS_MAX];
    struct pre_zone z;
    bool clear = true;

    memcpy(q, price, sizeof(q[0]) * m->nassets);
    q[p->coll[0].asset] = x;
    if (pre_zone(m, p, q, &z) != 0 ||
        pre_clear_of(m, z.borrowed, z.quoted, &clear) != 0)
        return false;
    return !clear;
}

int
model_morpho_pre_price(const struct market *m, const struct position *p,
                       const struct u256 *price, bool *exists, struct u256 *out)
{
    struct u256 lo = u256_zero(), hi, span;

    *exists = false;
    *out = u256_zero();
    if (m->model != MODEL_MORPHO_PRE)
        return LIQ_EINVAL;
    /* A price of its own on either oracle does not follow the feeds. */
    if (m->pre.has_oracle || m->morpho.has_oracle || p->ndebt != 1 ||
        p->ncoll != 1 || u256_is_zero(p->debt[0].amount) ||
        !pre_past(m, p, price, lo))
        return 0;
    hi = price[p->coll[0].asset];
    if (u256_is_zero(hi))
        hi = u256_from_u64(1);
    while (pre_past(m, p, price, hi)) {
        lo = hi;
        if (u256_bits(hi) >= 200)
            return 0; /* past pre_lltv at every price a feed gives */
        (void)u256_add(&hi, hi, hi);
    }
    /* lo past, hi not: the highest price past pre_lltv */
    for (;;) {
        (void)u256_sub(&span, hi, lo);
        if (u256_le(span, u256_from_u64(1)))
            break;
        (void)u256_div(&span, span, u256_from_u64(2), U256_FLOOR);
        (void)u256_add(&span, lo, span);
        if (pre_past(m, p, price, span))
            lo = span;
        else
            hi = span;
    }
    *exists = true;
    *out = lo;
    return 0;
}

int
model_morpho_pre_ltv(const struct market *m, const struct position *p,
                     const struct u256 *price, struct u256 *ltv)
{
    struct pre_zone z;
    int rc;

    *ltv = u256_zero();
    if (m->model != MODEL_MORPHO_PRE)
        return LIQ_EINVAL;
    if (p->ndebt != 1 || p->ncoll != 1 || u256_is_zero(p->debt[0].amount))
        return 0;
    rc = pre_zone(m, p, price, &z);
    if (rc == 0 && u256_is_zero(z.quoted))
        return LIQ_EDIVZERO;
    if (rc == 0)
        rc = model_morpho_state_muldiv_up(ltv, z.borrowed, pre_wad(), z.quoted);
    return rc;
}

/* The constructor's checks (PreLiquidation.sol), on the market's LLTV,
 * after Morpho Blue's own; the loader prefixes markets[i]. */
static int
pre_validate(const struct market *m, char *err, size_t errlen)
{
    const struct market_pre *q = &m->pre;
    const char *msg = NULL;
    struct u256 max_lif;
    int rc = model_morpho_ops.validate(m, err, errlen);

    if (rc != 0)
        return rc;
    if (m->nassets != 2) {
        msg = "assets: a morpho-pre market lists two assets, the collateral "
              "then the loan";
    } else if (q->lltv >= m->assets[0].lt) {
        msg = "params.pre_lltv: must be below the LLTV "
              "(assets[0].liquidation_threshold; PreLltvTooHigh)";
    } else if (q->lcf1 > q->lcf2) {
        msg = "params.pre_lcf1: must not exceed pre_lcf2 (PreLCFDecreasing)";
    } else if (q->lcf1 > WAD) {
        msg = "params.pre_lcf1: must be at most 1 (PreLCFTooHigh)";
    } else if (q->lif1 < WAD) {
        msg = "params.pre_lif1: must be at least 1 (PreLIFTooLow)";
    } else if (q->lif1 > q->lif2) {
        msg = "params.pre_lif1: must not exceed pre_lif2 (PreLIFDecreasing)";
    } else {
        /* PRE_LIF_2 <= WAD.wDivDown(LLTV); the LLTV is not 0 here */
        rc = model_morpho_state_muldiv_down(&max_lif, pre_wad(), pre_wad(),
                                            u256_from_u64(m->assets[0].lt));
        if (rc != 0 || u256_lt(max_lif, u256_from_u64(q->lif2)))
            msg = "params.pre_lif2: must be at most 1 / LLTV (PreLIFTooHigh)";
    }
    return model_refuse(msg, err, errlen);
}

static int
pre_check_position(const struct market *m, const struct position *p, char *err,
                   size_t errlen)
{
    int rc = model_morpho_ops.check_position(m, p, err, errlen);

    if (rc == 0 && ((p->ncoll == 1 && p->coll[0].asset != 0) ||
                    (p->ndebt == 1 && p->debt[0].asset != 1)))
        rc = model_refuse("morpho-pre: the collateral is the market's first "
                          "asset and the loan its second",
                          err, errlen);
    return rc;
}

/* Health as _isHealthy judges it on the market's oracle, for what the call
 * leaves: collateral coll against borrowed (not zero). */
static int
pre_health_after(const struct market *m, const struct position *p,
                 const struct u256 *price, struct u256 coll,
                 struct u256 borrowed, struct u256 *hf, bool *healthy)
{
    struct u256 oracle, maxb;
    int rc = pre_market_oracle(m, p->coll[0].asset, p->debt[0].asset, price,
                               &oracle);

    if (rc == 0)
        rc =
            u256_muldiv(&maxb, coll, oracle, u256_exp10(PRE_SCALE), U256_FLOOR);
    if (rc == 0)
        rc = u256_muldiv(&maxb, maxb, u256_from_u64(m->assets[0].lt), pre_wad(),
                         U256_FLOOR);
    if (rc == 0)
        rc = u256_muldiv(hf, maxb, pre_wad(), borrowed, U256_FLOOR);
    if (rc == 0)
        *healthy = u256_le(borrowed, maxb);
    return rc;
}

/*
 * The shares of the largest repay in loan assets whose toSharesDown stays
 * within `cap` shares: a = floor(((cap + 1) (A + 1) - 1) / (T + 1e6)),
 * then toSharesDown(a) (model_morpho.c's max_repay does the same).
 */
static int
pre_cap_shares(const struct morpho_totals *t, struct u256 cap, struct u256 *out)
{
    struct u256 a, sh, as;

    if (u256_add(&sh, t->shares, u256_from_u64(1000000)) != 0 ||
        u256_add(&as, t->assets, u256_from_u64(1)) != 0 ||
        u256_add(&a, cap, u256_from_u64(1)) != 0 || u256_mul(&a, a, as) != 0) {
        *out = cap;
        return 0;
    }
    (void)u256_sub(&a, a, u256_from_u64(1));
    (void)u256_div(&a, a, sh, U256_FLOOR);
    if (model_morpho_state_convert(out, a, t, true, false) != 0 ||
        u256_lt(cap, *out))
        *out = cap;
    return 0;
}

/* The amounts of the call: shares burnt and collateral seized, with preLIF
 * and the pre-liquidation oracle's price. */
static int
pre_amounts(const struct pre_zone *z, const struct liq_call *call,
            struct u256 max_shares, struct u256 *burn, struct u256 *seized)
{
    struct u256 q;
    int rc = 0;

    if (call->seize) {
        /* repaidShares = seizedAssets.mulDivUp(price, 1e36).wDivUp(preLIF)
         *                .toSharesUp(totals) */
        *seized = call->seized;
        rc = model_morpho_state_muldiv_up(&q, call->seized, z->price,
                                          u256_exp10(PRE_SCALE));
        if (rc == 0)
            rc = model_morpho_state_muldiv_up(&q, q, pre_wad(), z->lif);
        if (rc == 0)
            rc = model_morpho_state_convert(burn, q, &z->t, true, true);
        return rc;
    }
    if (call->max)
        *burn = max_shares;
    else
        rc = model_morpho_state_convert(burn, call->repay, &z->t, true, false);
    /* seizedAssets = repaidShares.toAssetsDown(totals).wMulDown(preLIF)
     *                .mulDivDown(1e36, price) */
    if (rc == 0)
        rc = model_morpho_state_convert(&q, *burn, &z->t, false, false);
    if (rc == 0)
        rc = pre_wmul_down(&q, q, z->lif);
    if (rc == 0)
        rc = model_morpho_state_muldiv_down(seized, q, u256_exp10(PRE_SCALE),
                                            z->price);
    return rc;
}

/*
 * preLiquidate, then Morpho.repay by shares and the callback's
 * withdrawCollateral, in the contract's order: exactlyOneZero; the zone on
 * the pre-liquidation oracle (LiquidatablePosition, then
 * NotPreLiquidatablePosition); the amounts (an overflow reverts);
 * PreLiquidationTooLarge; repay's shares (none, or more than held);
 * withdrawCollateral's ZERO_ASSETS, its underflow and its health check on
 * the market's oracle. Never capped.
 */
static int
pre_liquidate(const struct market *m, const struct position *p,
              const struct u256 *price, const struct liq_call *call,
              struct liq_result *out)
{
    struct account acct;
    struct pre_zone z;
    struct morpho_totals t;
    struct u256 repayable = u256_zero(), cap, max_shares = u256_zero();
    struct u256 burn = u256_zero(), base, left, coll, borrowed;
    struct liq_result r;
    bool overflow = false, healthy = true;
    int rc;

    if (call->debt != 0 || call->coll != 0 || p->ndebt != 1 || p->ncoll != 1)
        return LIQ_EINVAL;
    rc = model_morpho_ops.account(m, p, price, &acct);
    if (rc != 0)
        return rc;
    if (acct.liquidatable)
        return model_morpho_ops.liquidate(m, p, price, call, out);
    rc = pre_zone(m, p, price, &z);
    if (rc == 0 && u256_is_zero(z.price))
        rc = LIQ_EDIVZERO;
    if (rc != 0)
        return rc;
    memset(&r, 0, sizeof(r));
    /* repayableShares = borrowShares.wMulDown(preLCF); max_repay also
     * within the shares held (preLCF may pass 1), 0 outside the band. */
    rc = pre_wmul_down(&repayable, z.shares, z.lcf);
    if (rc != 0)
        return rc;
    if (z.band) {
        r.close_factor = z.lcf;
        cap = u256_min(repayable, z.shares);
        rc = pre_cap_shares(&z.t, cap, &max_shares);
        if (rc == 0)
            rc = model_morpho_state_convert(&r.max_repay, max_shares, &z.t,
                                            false, true);
        if (rc != 0)
            return rc;
    }
    rc = pre_amounts(&z, call, max_shares, &burn, &r.seized);
    if (rc == 0)
        rc = model_morpho_state_convert(&r.repay, burn, &z.t, false, true);
    if (rc == LIQ_EOVERFLOW) {
        overflow = true; /* reverts: the figures of nothing done */
        r.repay = call->seize ? u256_zero() : call->repay;
        r.seized = call->seize ? call->seized : u256_zero();
        burn = u256_zero();
        rc = 0;
    }
    if (rc != 0)
        return rc;
    r.repaid_shares = burn;
    r.to_liquidator = r.seized;
    if (!overflow) {
        rc = u256_muldiv(&base, r.repay, u256_exp10(PRE_SCALE), z.price,
                         U256_FLOOR);
        if (rc != 0)
            return rc;
        (void)u256_sub(&r.bonus, r.seized, u256_min(base, r.seized));
    }
    /* After Morpho.repay(shares): totals less the shares and less their
     * toAssetsUp (zeroFloorSub); then the collateral withdrawn. */
    t = z.t;
    (void)u256_sub(&left, z.shares, u256_min(burn, z.shares));
    (void)u256_sub(&t.shares, t.shares, u256_min(burn, t.shares));
    (void)u256_sub(&t.assets, t.assets, u256_min(r.repay, t.assets));
    (void)u256_sub(&coll, z.coll, u256_min(r.seized, z.coll));
    r.hf_after = u256_max();
    if (!u256_is_zero(left)) {
        rc = model_morpho_state_convert(&borrowed, left, &t, false, true);
        if (rc == 0 && !u256_is_zero(borrowed))
            rc = pre_health_after(m, p, price, coll, borrowed, &r.hf_after,
                                  &healthy);
        if (rc != 0)
            return rc;
    }
    r.bad_debt_after = u256_is_zero(coll) && !u256_is_zero(left);
    r.lowers_health = u256_lt(r.hf_after, acct.hf);
    if (call->seize ? u256_is_zero(call->seized)
                    : !call->max && u256_is_zero(call->repay))
        r.revert = REVERT_NOTHING_TO_REPAY; /* exactlyOneZero */
    else if (z.liquidatable)
        r.revert = REVERT_USE_LIQUIDATION;
    else if (!z.band)
        r.revert = REVERT_NOT_PRE_LIQUIDATABLE;
    else if (overflow || u256_lt(repayable, burn))
        r.revert = REVERT_TOO_MUCH_REPAY; /* PreLiquidationTooLarge */
    else if (u256_is_zero(burn))
        r.revert = REVERT_NOTHING_TO_REPAY; /* Morpho.repay's */
    else if (u256_lt(z.shares, burn))
        r.revert = REVERT_TOO_MUCH_REPAY; /* borrowShares underflow */
    else if (u256_is_zero(r.seized))
        r.revert = REVERT_TOO_SMALL; /* withdrawCollateral: ZERO_ASSETS */
    else if (u256_lt(z.coll, r.seized) || !healthy)
        r.revert = REVERT_INSUFFICIENT_COLLATERAL;
    else
        r.revert = REVERT_NONE;
    *out = r;
    return 0;
}

static int
pre_account(const struct market *m, const struct position *p,
            const struct u256 *price, struct account *out)
{
    return model_morpho_ops.account(m, p, price, out);
}

/* Accounts, balances and interest are Morpho Blue's; only liquidate
 * differs. (Its ops' fields are not constant expressions in C, so each
 * is a thin call.) */
static int
pre_balance(const struct market *m, uint8_t asset, bool debt,
            struct u256 stored, struct u256 *out)
{
    return model_morpho_ops.balance(m, asset, debt, stored, out);
}

static int
pre_apply(const struct market *m, uint8_t asset, bool debt, struct u256 stored,
          struct u256 amount, struct u256 *out)
{
    return model_morpho_ops.apply(m, asset, debt, stored, amount, out);
}

static int
pre_burn_bound(const struct market *m, uint8_t asset, bool debt,
               struct u256 stored, struct u256 amount, struct u256 *out)
{
    return model_morpho_ops.burn_bound(m, asset, debt, stored, amount, out);
}

static int
pre_account_after_repay(const struct market *m, const struct position *p,
                        uint8_t leg, struct u256 amount,
                        const struct u256 *price, struct account *out)
{
    return model_morpho_ops.account_after_repay(m, p, leg, amount, price, out);
}

static int
pre_time_to_liquidation(const struct market *m, const struct position *p,
                        const struct u256 *price, int64_t *out)
{
    return model_morpho_ops.time_to_liquidation(m, p, price, out);
}

static bool
pre_tick128_prep(struct model_tick128 *t)
{
    return model_morpho_ops.tick128_prep(t);
}

static bool
pre_account128(const struct market *m, const uint8_t *asset, const u128 *amount,
               unsigned ncoll, unsigned ndebt, const u128 *price,
               struct model_account128 *out)
{
    return model_morpho_ops.account128(m, asset, amount, ncoll, ndebt, price,
                                       out);
}

static bool
pre_tick_account128(const struct model_tick128 *t, const uint8_t *asset,
                    const u128 *amount, unsigned ncoll, unsigned ndebt,
                    struct model_account128 *out)
{
    return model_morpho_ops.tick_account128(t, asset, amount, ncoll, ndebt,
                                            out);
}

const struct model_ops model_morpho_pre_ops = {
    .name = "morpho-pre",
    .validate = pre_validate,
    .check_position = pre_check_position,
    .balance = pre_balance,
    .apply = pre_apply,
    .burn_bound = pre_burn_bound,
    .account_after_repay = pre_account_after_repay,
    .time_to_liquidation = pre_time_to_liquidation,
    .account = pre_account,
    .liquidate = pre_liquidate,
    .tick128_prep = pre_tick128_prep,
    .account128 = pre_account128,
    .tick_account128 = pre_tick_account128,
};
