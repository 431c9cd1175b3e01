/*
 * model_aave3.c: Aave v3 (3.0 to 3.7), step by step as GenericLogic and
 * LiquidationLogic compute it: reserve values, the health factor of each
 * version, the close factor, the collateral cap with debt recomputed, the
 * bonus and protocol fee with each version's rounding, the dust rule and
 * bad debt (liquidation-mechanics.md section 2).
 *
 * Owns the Aave v3 rules only; it never allocates and never reads a clock.
 */
#include "core/model.h"

#include <string.h>

#include "core/liq.h"
#include "core/model_aave.h"

/* Base-currency constants at 8 decimals, scaled to the market's own. */
#define AAVE3_MIN_BASE_MAX_CLOSE_FACTOR 2000ULL /* units of the base */
#define AAVE3_MIN_LEFTOVER_BASE 1000ULL
#define AAVE3_CLOSE_FACTOR_HF 950000000000000000ULL
/* MINIMUM_HEALTH_FACTOR_LIQUIDATION_THRESHOLD: below it the sentinel
 * does not stop a liquidation. */
#define AAVE3_SENTINEL_HF 950000000000000000ULL

/* Each rule as the variant's rule set has it (model_aave.h). */
static bool
aave3_is_v33(const struct market *m)
{
    return model_aave3_rules(m)->close_v33;
}

static bool
aave3_is_v37(const struct market *m)
{
    return model_aave3_rules(m)->v37;
}

/* PercentageMath: x * p / 1e4 and x * 1e4 / p with the given rounding. */
static int
aave3_percent_mul(struct u256 *r, struct u256 x, uint64_t p,
                  enum u256_round mode)
{
    return u256_muldiv(r, x, u256_from_u64(p), u256_from_u64(BPS), mode);
}

static int
aave3_percent_div(struct u256 *r, struct u256 x, uint64_t p,
                  enum u256_round mode)
{
    return u256_muldiv(r, x, u256_from_u64(BPS), u256_from_u64(p), mode);
}

static struct u256
aave3_base_units(const struct market *m, uint64_t whole)
{
    struct u256 r = u256_zero();

    (void)u256_mul(&r, u256_from_u64(whole), u256_exp10(m->base_decimals));
    return r;
}

/* amount * price / 10^decimals, floor or ceil (GenericLogic, TokenMath). */
static int
aave3_value(struct u256 *out, const struct market *m, uint8_t asset,
            struct u256 amount, const struct u256 *price, enum u256_round mode)
{
    return u256_muldiv(out, amount, price[asset],
                       u256_exp10(m->assets[asset].decimals), mode);
}

/*
 * The sums (model.h): s[0] collateral value (floor, the collateral
 * model_aave3_counted counts), s[1] the sum of each such value times its
 * threshold, s[2] debt value (each version's rounding).
 */
static int
aave3_term(const struct market *m, uint8_t asset, bool debt, struct u256 amount,
           struct u256 price, struct model_sums *out)
{
    const struct asset *a = &m->assets[asset];
    struct u256 v;
    int rc;

    memset(out, 0, sizeof(*out));
    if (m->view.view &&
        (rc = model_aave3_index_balance(m, asset, debt, amount, &amount)))
        return rc;
    if (debt)
        return u256_muldiv(&out->s[2], amount, price, u256_exp10(a->decimals),
                           model_aave3_debt_rounding(m));
    if (!model_aave3_counted(m, asset))
        return 0;
    rc = u256_muldiv(&v, amount, price, u256_exp10(a->decimals), U256_FLOOR);
    if (rc == 0)
        rc = u256_mul(&out->s[1], v, u256_from_u64(a->lt));
    out->s[0] = v;
    return rc;
}

static int
aave3_finish(const struct market *m, const struct model_sums *sums,
             bool has_debt, struct account *out)
{
    struct u256 coll = sums->s[0], weighted = sums->s[1], debt = sums->s[2];
    struct u256 hf;
    int rc;

    (void)has_debt; /* Aave counts debt by value */
    if (u256_is_zero(debt)) {
        hf = u256_max();
    } else if (model_aave3_is_v35(m)) {
        /* HF = floor(wadDiv(sum(coll_i * LT_i), debt) / 1e4) */
        rc = u256_muldiv(&hf, weighted, u256_from_u64(WAD), debt, U256_HALF_UP);
        if (rc == 0)
            rc = u256_div(&hf, hf, u256_from_u64(BPS), U256_FLOOR);
        if (rc != 0)
            return rc;
    } else {
        /* avgLT = floor(sum / coll); HF = wadDiv(percentMul(coll, avgLT),
         * debt), both half-up. */
        struct u256 avg = u256_zero(), adj;

        if (!u256_is_zero(coll)) {
            rc = u256_div(&avg, weighted, coll, U256_FLOOR);
            if (rc != 0)
                return rc;
        }
        rc = aave3_percent_mul(&adj, coll, u256_to_u64(avg), U256_HALF_UP);
        if (rc == 0)
            rc = u256_muldiv(&hf, adj, u256_from_u64(WAD), debt, U256_HALF_UP);
        if (rc != 0)
            return rc;
    }
    out->coll_value = coll;
    out->debt_value = debt;
    out->hf = hf;
    out->has_debt = !u256_is_zero(debt);
    out->liquidatable = out->has_debt && u256_lt(hf, u256_from_u64(WAD));
    out->bad_debt = out->has_debt && u256_lt(coll, debt);
    return 0;
}

static int
aave3_account(const struct market *m, const struct position *p,
              const struct u256 *price, struct account *out)
{
    return model_sums_account(m, p, price, out);
}

/*
 * ValidationLogic.validateLiquidationCall's gates before the health check,
 * in its order: either reserve paused; the sentinel (3.0 to 3.6: with a
 * health factor at or above 0.95, liquidation needs isLiquidationAllowed(),
 * the sequencer up for more than its grace period); either reserve's
 * liquidationGracePeriodUntil not before as_of (3.1+). Judged at
 * market_gate_time: the clock's in the dashboard and run.
 */
static enum liq_revert
aave3_gate(const struct market *m, uint8_t debt, uint8_t coll, struct u256 hf)
{
    const struct asset *da = &m->assets[debt], *ca = &m->assets[coll];
    const struct market_sentinel *s = &m->sentinel;
    int64_t now = market_gate_time(m);

    if (da->paused || ca->paused)
        return REVERT_PAUSED;
    if (s->set && !aave3_is_v37(m) &&
        !u256_lt(hf, u256_from_u64(AAVE3_SENTINEL_HF)) &&
        !(s->sequencer_up && now >= s->up_since &&
          now - s->up_since > s->grace_period))
        return REVERT_SENTINEL;
    /* liquidationGracePeriodUntil < block.timestamp for both; 0 is the
     * field unset, in the past of any as_of. */
    if (model_aave3_rules(m)->grace &&
        ((da->grace_until != 0 && da->grace_until >= now) ||
         (ca->grace_until != 0 && ca->grace_until >= now)))
        return REVERT_GRACE_PERIOD;
    return REVERT_NONE;
}

/* The figures of one call for a given debtToCover, before the dust rule. */
struct aave3_call {
    struct u256 max_liquidatable; /* after the close factor */
    bool half;                    /* the 50 % close factor applies */
    struct u256 debt;             /* debt repaid */
    struct u256 coll;             /* collateral leaving the borrower */
    struct u256 bonus;            /* bonus part of coll */
    struct u256 fee;              /* protocol fee part of coll */
    bool dust;                    /* MustNotLeaveDust */
    bool capped;                  /* the collateral caps the call */
    struct u256 cover;            /* the debtToCover of the call */
};

/* LiquidationLogic: close factor per version. */
static int
aave3_close_factor(const struct market *m, const struct position *p,
                   const struct u256 *price, const struct liq_call *call,
                   const struct account *acct, struct aave3_call *c)
{
    const struct leg *dl = &p->debt[call->debt];
    const struct leg *cl = &p->coll[call->coll];
    struct u256 debt_base, coll_base, cap_base;
    bool above = u256_lt(u256_from_u64(AAVE3_CLOSE_FACTOR_HF), acct->hf);
    int rc;

    if (!aave3_is_v33(m)) {
        c->half = above;
        return aave3_percent_mul(&c->max_liquidatable, dl->amount,
                                 above ? 5000 : 10000, U256_HALF_UP);
    }
    c->max_liquidatable = dl->amount;
    c->half = false;
    rc = aave3_value(&debt_base, m, dl->asset, dl->amount, price,
                     model_aave3_debt_rounding(m));
    if (rc == 0)
        rc = aave3_value(&coll_base, m, cl->asset, cl->amount, price,
                         U256_FLOOR);
    if (rc != 0)
        return rc;
    {
        struct u256 min = aave3_base_units(m, AAVE3_MIN_BASE_MAX_CLOSE_FACTOR);

        if (!(u256_le(min, coll_base) && u256_le(min, debt_base) && above))
            return 0;
    }
    c->half = true;
    rc = aave3_percent_mul(&cap_base, acct->debt_value, 5000, U256_HALF_UP);
    if (rc != 0)
        return rc;
    if (u256_lt(cap_base, debt_base)) {
        if (u256_is_zero(price[dl->asset]))
            return LIQ_EDIVZERO;
        rc = u256_muldiv(&c->max_liquidatable, cap_base,
                         u256_exp10(m->assets[dl->asset].decimals),
                         price[dl->asset], U256_FLOOR);
    }
    return rc;
}

/*
 * _calculateAvailableCollateralToLiquidate and the fee, for debtToCover
 * `want`, then the v3.3+ dust rule. c->max_liquidatable must be set.
 */
static int
aave3_amounts(const struct market *m, const struct position *p,
              const struct u256 *price, const struct liq_call *call,
              struct u256 want, struct aave3_call *c)
{
    const struct leg *dl = &p->debt[call->debt];
    const struct leg *cl = &p->coll[call->coll];
    const struct asset *ca = &m->assets[cl->asset];
    struct u256 dp = price[dl->asset], cp = price[cl->asset];
    struct u256 dunit = u256_exp10(m->assets[dl->asset].decimals);
    struct u256 cunit = u256_exp10(ca->decimals);
    struct u256 num, den, base_coll, max_coll, base_part;
    uint64_t lb = BPS + ca->bonus;
    int rc;

    c->debt = u256_min(want, c->max_liquidatable);
    c->cover = want;
    c->capped = false;
    /* baseCollateral = debtPrice * debt * collUnit / (collPrice * debtUnit)
     */
    rc = u256_mul(&num, dp, c->debt);
    if (rc == 0)
        rc = u256_mul(&den, cp, dunit);
    if (rc == 0)
        rc = u256_muldiv(&base_coll, num, cunit, den, U256_FLOOR);
    if (rc == 0)
        rc = aave3_percent_mul(&max_coll, base_coll, lb,
                               aave3_is_v37(m) ? U256_FLOOR : U256_HALF_UP);
    if (rc != 0)
        return rc;
    if (u256_lt(cl->amount, max_coll)) {
        /* Not enough collateral: take all of it and recompute the debt. */
        struct u256 v;

        c->capped = true;
        c->coll = cl->amount;
        rc = u256_mul(&num, cp, c->coll);
        if (rc == 0)
            rc = u256_mul(&den, dp, cunit);
        if (rc == 0)
            rc = u256_muldiv(&v, num, dunit, den, U256_FLOOR);
        if (rc == 0)
            rc = aave3_percent_div(
                &c->debt, v, lb,
                model_aave3_rules(m)->capped_up ? U256_CEIL : U256_HALF_UP);
        if (rc != 0)
            return rc;
    } else {
        c->coll = max_coll;
    }
    /* bonusCollateral = coll - percentDiv(coll, LB); fee = percentMul(
     * bonusCollateral, protocolFee). */
    rc = aave3_percent_div(&base_part, c->coll, lb,
                           aave3_is_v37(m) ? U256_FLOOR : U256_HALF_UP);
    if (rc != 0)
        return rc;
    if (u256_lt(c->coll, base_part))
        base_part = c->coll;
    (void)u256_sub(&c->bonus, c->coll, base_part);
    rc = aave3_percent_mul(&c->fee, c->bonus, ca->fee,
                           aave3_is_v37(m) ? U256_CEIL : U256_HALF_UP);
    if (rc != 0)
        return rc;
    c->dust = false;
    if (aave3_is_v33(m) && u256_lt(c->debt, dl->amount) &&
        u256_lt(c->coll, cl->amount)) {
        struct u256 left, lv,
            min = aave3_base_units(m, AAVE3_MIN_LEFTOVER_BASE);

        (void)u256_sub(&left, dl->amount, c->debt);
        rc = u256_muldiv(&lv, left, dp, dunit, model_aave3_debt_rounding(m));
        if (rc != 0)
            return rc;
        if (u256_lt(lv, min))
            c->dust = true;
        (void)u256_sub(&left, cl->amount, c->coll);
        rc = u256_muldiv(&lv, left, cp, cunit, U256_FLOOR);
        if (rc != 0)
            return rc;
        if (u256_lt(lv, min))
            c->dust = true;
    }
    return 0;
}

/*
 * The collateral caps best's call: the least debtToCover the pool caps so,
 * in best->cover. Capped is monotone in debtToCover, so a bisection finds
 * it, bounded first by the inverse of the rounding: percentMul(base, LB) >
 * held from base >= ceil((10^4 (held + 1) - 5000) / LB) (3.7 floors: no
 * 5000), base >= B from d >= ceil(B cp dunit / (dp cunit)).
 */
static int
aave3_least_capped(const struct market *m, const struct position *p,
                   const struct u256 *price, const struct liq_call *call,
                   struct aave3_call *best)
{
    const struct leg *dl = &p->debt[call->debt];
    const struct leg *cl = &p->coll[call->coll];
    struct u256 lo = u256_zero(), hi = best->cover, g, t, num, den;
    struct aave3_call c = *best;
    uint64_t lb = BPS + m->assets[cl->asset].bonus;
    int rc;

    rc = u256_add(&t, cl->amount, u256_from_u64(1));
    if (rc == 0)
        rc = u256_mul(&t, t, u256_from_u64(BPS));
    if (rc == 0 && !aave3_is_v37(m))
        rc = u256_sub(&t, t, u256_from_u64(BPS / 2));
    if (rc == 0)
        rc = u256_div(&g, t, u256_from_u64(lb), U256_CEIL);
    if (rc == 0)
        rc = u256_mul(&num, price[cl->asset],
                      u256_exp10(m->assets[dl->asset].decimals));
    if (rc == 0)
        rc = u256_mul(&den, price[dl->asset],
                      u256_exp10(m->assets[cl->asset].decimals));
    if (rc == 0)
        rc = u256_muldiv(&g, g, num, den, U256_CEIL);
    if (rc == 0 && u256_lt(g, hi) && !u256_is_zero(g)) {
        if ((rc = aave3_amounts(m, p, price, call, g, &c)) != 0)
            return rc;
        if (c.capped) {
            hi = g;
            (void)u256_sub(&g, g, u256_from_u64(1));
            if ((rc = aave3_amounts(m, p, price, call, g, &c)) != 0)
                return rc;
            if (!c.capped)
                lo = g;
        } else {
            lo = g;
        }
    }
    /* Invariant: lo is not capped (0 takes nothing), hi is. */
    while (true) {
        struct u256 mid, span;

        (void)u256_sub(&span, hi, lo);
        if (u256_le(span, u256_from_u64(1)))
            break;
        (void)u256_div(&span, span, u256_from_u64(2), U256_FLOOR);
        (void)u256_add(&mid, lo, span);
        if ((rc = aave3_amounts(m, p, price, call, mid, &c)) != 0)
            return rc;
        if (c.capped)
            hi = mid;
        else
            lo = mid;
    }
    best->cover = hi;
    return 0;
}

/*
 * The most one call may repay, named by its debtToCover (best->cover): the
 * close-factor maximum; capped by the collateral, the least debtToCover
 * the pool caps (the repay itself it computes uncapped: less seized, or
 * dust); leaving dust, the largest smaller debtToCover that does not (the
 * leftovers only shrink as the repay grows: the valid ones are a prefix).
 */
static int
aave3_max_call(const struct market *m, const struct position *p,
               const struct u256 *price, const struct liq_call *call,
               struct aave3_call *best)
{
    struct aave3_call c = *best;
    struct u256 lo = u256_zero(), hi = c.max_liquidatable;
    int rc = aave3_amounts(m, p, price, call, hi, &c);

    if (rc != 0)
        return rc;
    if (!c.dust) {
        *best = c;
        return c.capped ? aave3_least_capped(m, p, price, call, best) : 0;
    }
    /* Invariant: lo works (0 repays nothing), hi does not. */
    while (true) {
        struct u256 mid, span;

        (void)u256_sub(&span, hi, lo);
        if (u256_le(span, u256_from_u64(1)))
            break;
        (void)u256_div(&span, span, u256_from_u64(2), U256_FLOOR);
        (void)u256_add(&mid, lo, span);
        rc = aave3_amounts(m, p, price, call, mid, &c);
        if (rc != 0)
            return rc;
        if (c.dust)
            hi = mid;
        else
            lo = mid;
    }
    return aave3_amounts(m, p, price, call, lo, best);
}

/* Apply the call to a copy of p and value what is left; *none: a burn of
 * a scaled leg moves no scaled unit, which the token refuses
 * (ScaledBalanceTokenBase._burnScaled: INVALID_BURN_AMOUNT). */
static int
aave3_after(const struct market *m, const struct position *p,
            const struct u256 *price, const struct liq_call *call,
            const struct aave3_call *c, struct u256 total_coll,
            struct liq_result *out, bool *none)
{
    struct position q = *p;
    struct leg *dl = &q.debt[call->debt], *cl = &q.coll[call->coll];
    struct account after;
    struct model_sums sums;
    bool coll_left = false, debt_none = false, coll_none = false;
    int rc;

    if (model_aave3_scaled(m, dl->asset, true)) {
        /* VariableDebtToken.burn of the scaled amount (rayDiv; from 3.5
         * getVTokenBurnScaledAmount, floor) */
        struct u256 s;

        if ((rc = model_aave3_index_scaled(m, dl->asset, true, false, c->debt,
                                           &s)))
            return rc;
        debt_none = u256_is_zero(s);
        (void)u256_sub(&dl->amount, dl->amount, u256_min(s, dl->amount));
    } else {
        (void)u256_sub(&dl->amount, dl->amount, u256_min(c->debt, dl->amount));
    }
    if (model_aave3_scaled(m, cl->asset, false)) {
        /* AToken.burn of the liquidator's part, then the fee's transfer to
         * the treasury, capped at what is left (rayDiv; from 3.5
         * getATokenBurnScaledAmount and getATokenTransferScaledAmount,
         * ceil) */
        struct u256 part, s, fs;

        (void)u256_sub(&part, c->coll, u256_min(c->fee, c->coll));
        if ((rc = model_aave3_index_scaled(m, cl->asset, false, true, part,
                                           &s)) ||
            (rc = model_aave3_index_scaled(m, cl->asset, false, true, c->fee,
                                           &fs)))
            return rc;
        coll_none = u256_is_zero(s);
        (void)u256_sub(&cl->amount, cl->amount, u256_min(s, cl->amount));
        if (u256_lt(cl->amount, fs)) {
            /* "To avoid trying to send more aTokens than available on
             * balance": the fee becomes what is left, read through the
             * index (rayMul; from 3.5 getATokenBalance, floor), and the
             * transfer moves the scaled amount left. */
            struct u256 nf, cut;

            if ((rc = model_aave3_index_balance(m, cl->asset, false, cl->amount,
                                                &nf)))
                return rc;
            nf = u256_min(nf, c->fee);
            (void)u256_sub(&cut, c->fee, nf);
            out->fee = nf;
            (void)u256_sub(&out->seized, out->seized, cut);
            (void)u256_sub(&out->bonus, out->bonus, u256_min(cut, out->bonus));
            fs = cl->amount;
        }
        (void)u256_sub(&cl->amount, cl->amount, u256_min(fs, cl->amount));
    } else {
        (void)u256_sub(&cl->amount, cl->amount, u256_min(c->coll, cl->amount));
    }
    for (int i = 0; i < q.ncoll; i++)
        coll_left = coll_left || !u256_is_zero(q.coll[i].amount);
    if (aave3_is_v33(m)) {
        /* hasNoCollateralLeft: the collateral taken is worth all the
         * collateral in base units (3.3 to 3.6 by the token amount; 3.7
         * by the scaled amount consumed, read back through the index). */
        struct u256 taken = c->coll, v;

        if (aave3_is_v37(m) && model_aave3_scaled(m, cl->asset, false)) {
            (void)u256_sub(&taken, p->coll[call->coll].amount, cl->amount);
            if ((rc = model_aave3_index_balance(m, cl->asset, false, taken,
                                                &taken)))
                return rc;
        }
        if ((rc = aave3_value(&v, m, cl->asset, taken, price, U256_FLOOR)))
            return rc;
        coll_left = !u256_eq(v, total_coll);
        if (!coll_left && model_aave3_scaled(m, dl->asset, true)) {
            /* _burnDebtTokens burns the whole debt instead */
            struct u256 bal, s;

            if ((rc = model_aave3_index_balance(
                     m, dl->asset, true, p->debt[call->debt].amount, &bal)) ||
                (rc = model_aave3_index_scaled(m, dl->asset, true, false, bal,
                                               &s)))
                return rc;
            debt_none = u256_is_zero(s);
        }
    }
    *none = debt_none || coll_none;
    out->bad_debt_after = !coll_left && position_has_debt(&q);
    if (out->bad_debt_after && aave3_is_v33(m)) {
        /* _burnBadDebt: every remaining debt is written off. */
        for (int i = 0; i < q.ndebt; i++)
            q.debt[i].amount = u256_zero();
    }
    if ((rc = model_sums_of(m, &q, price, &sums)) != 0 ||
        (rc = aave3_finish(m, &sums, position_has_debt(&q), &after)) != 0)
        return rc;
    out->hf_after = after.hf;
    /* The floored average threshold 3.0 to 3.4 compute with (as
     * aave3_finish does). */
    out->level = 0;
    if (!model_aave3_is_v35(m) && !u256_is_zero(sums.s[0])) {
        struct u256 avg;

        if ((rc = u256_div(&avg, sums.s[1], sums.s[0], U256_FLOOR)) != 0)
            return rc;
        out->level = u256_to_u64(avg);
    }
    return 0;
}

static int
aave3_liquidate(const struct market *m, const struct position *p,
                const struct u256 *price, const struct liq_call *call,
                struct liq_result *out)
{
    struct account acct;
    struct aave3_call max, req;
    struct liq_result r;
    struct market tm;
    struct position tp;
    const struct market *fm = m;
    const struct position *fp = p;
    bool none;
    int rc;

    if (call->debt >= p->ndebt || call->coll >= p->ncoll)
        return LIQ_EINVAL;
    if ((m->view.coll_scaled | m->view.debt_scaled) != 0) {
        /* The call's figures are on balances (balanceOf as of the call);
         * its burns then move the scaled balances (aave3_after). */
        tm = *m;
        tm.view.coll_scaled = tm.view.debt_scaled = 0;
        tp = *p;
        for (int i = 0; i < p->ncoll + p->ndebt; i++) {
            bool debt = i >= p->ncoll;
            struct leg *l = debt ? &tp.debt[i - p->ncoll] : &tp.coll[i];
            if ((rc = model_aave3_index_balance(m, l->asset, debt, l->amount,
                                                &l->amount)))
                return rc;
        }
        fm = &tm;
        fp = &tp;
    }
    rc = aave3_account(fm, fp, price, &acct);
    if (rc != 0)
        return rc;
    memset(&max, 0, sizeof(max));
    rc = aave3_close_factor(fm, fp, price, call, &acct, &max);
    if (rc == 0)
        rc = aave3_max_call(fm, fp, price, call, &max);
    if (rc != 0)
        return rc;
    req = max;
    if (!call->max) {
        rc = aave3_amounts(fm, fp, price, call, call->repay, &req);
        if (rc != 0)
            return rc;
    }
    memset(&r, 0, sizeof(r));
    r.close_factor = u256_from_u64(max.half ? WAD / 2 : WAD);
    r.max_repay = max.capped ? max.cover : max.debt;
    r.repay = req.debt;
    r.seized = req.coll;
    r.fee = req.fee;
    (void)u256_sub(&r.to_liquidator, req.coll, u256_min(req.fee, req.coll));
    r.bonus = req.bonus;
    rc = aave3_after(m, p, price, call, &req, acct.coll_value, &r, &none);
    if (rc != 0)
        return rc;
    r.lowers_health = u256_lt(r.hf_after, acct.hf);
    /* ValidationLogic's order: the gates (paused, sentinel, grace
     * period), health, the collateral enabled, the reserve debt; then the
     * dust rule, then the burns (INVALID_BURN_AMOUNT: nothing repaid, no
     * collateral seized, or a burn of no scaled unit: repaying 1 raw unit
     * of debt whose index is past 1 burns floor(1 / index) = 0 from 3.5). */
    r.revert = aave3_gate(m, p->debt[call->debt].asset,
                          p->coll[call->coll].asset, acct.hf);
    if (r.revert != REVERT_NONE)
        ;
    else if (!acct.liquidatable)
        r.revert = REVERT_NOT_LIQUIDATABLE;
    else if (!model_aave3_counted(m, p->coll[call->coll].asset))
        /* isCollateralEnabled: used as collateral (before 3.6 with a
         * threshold too) */
        r.revert = REVERT_COLLATERAL_NOT_ENABLED;
    else if (u256_is_zero(max.debt))
        r.revert = REVERT_NOTHING_TO_REPAY;
    else if (req.dust)
        r.revert = REVERT_DUST;
    else if (u256_is_zero(req.debt))
        r.revert = REVERT_NOTHING_TO_REPAY;
    else if (u256_is_zero(req.coll) || none)
        r.revert = REVERT_TOO_SMALL;
    *out = r;
    return 0;
}

const struct model_ops model_aave3_ops = {
    .name = "aave-v3",
    .validate = model_aave3_view_validate,
    .account = aave3_account,
    .term = aave3_term,
    .finish = aave3_finish,
    .term128 = model_aave3_128_term,
    .retick128 = model_aave3_128_retick,
    .liqset128 = model_aave3_128_liqset,
    .values128 = model_aave3_128_values,
    .tick128_prep = model_aave3_128_tick_prep,
    .tick128 = model_aave3_128_tick,
    .move128 = model_aave3_128_move,
    .add128 = model_aave3_128_add,
    .finish128 = model_aave3_128_finish,
    .liquidate = aave3_liquidate,
    .max_call128 = model_aave3_call128_max,
    .balance = model_aave3_index_balance,
    .apply = model_aave3_index_apply,
    .burn_bound = model_aave3_index_burn_bound,
    .time_to_liquidation = model_aave3_index_ttl,
};
