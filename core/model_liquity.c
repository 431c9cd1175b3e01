/*
 * model_liquity.c: a Liquity v2 trove on one collateral branch as the
 * branch's TroveManager computes it (liquity/bold at 405f9122,
 * contracts/src/TroveManager.sol and Dependencies/LiquityMath.sol):
 * ICR = coll * price / debt (floor), liquidatable below MCR, and the whole
 * trove taken by one liquidation: offset against the Stability Pool (which
 * keeps 1 BOLD), the rest redistributed over the branch's troves, each
 * part's collateral capped at its debt plus the penalty, the caller's
 * 0.5 % (at most 2 tokens), and the surplus the borrower may claim back.
 *
 * Decisions (README, "Liquity v2"): a trove's legs are its entire
 * collateral and entire debt as getLatestTroveData reports them (accrued
 * interest and redistribution gains included; nothing is accrued here);
 * the price is the collateral's base-unit price scaled to 18 decimals, as
 * the branch's PriceFeed gives it; BOLD is valued at 1 as the protocol
 * does, whatever a feed says of it. The health factor is derived (ICR /
 * MCR, floor), below 1 exactly when ICR < MCR. Every product is checked as
 * Solidity 0.8 checks it. Only validate, account and liquidate (and the
 * shape rule): the book takes its general path. Pure.
 */
#include "core/model.h"

#include "core/liq.h"
#include "core/model_liquity.h"

#define LIQUITY_ONE 1000000000000000000ULL
/* MIN_BOLD_IN_SP: a liquidation leaves this much BOLD in the pool. */
#define LIQUITY_MIN_BOLD_IN_SP LIQUITY_ONE
/* COLL_GAS_COMPENSATION_DIVISOR and _CAP (Constants.sol). */
#define LIQUITY_GAS_DIVISOR 200u
#define LIQUITY_GAS_CAP (2 * LIQUITY_ONE)

static int
liquity_check_position(const struct market *m, const struct position *p,
                       char *err, size_t errlen)
{
    const char *msg = NULL;

    (void)m;
    if (p->ncoll > 1 || (p->ncoll == 1 && p->coll[0].asset != 0))
        msg = "liquity-v2: a trove holds the branch's collateral, the "
              "market's first asset, alone";
    else if (p->ndebt > 1 || (p->ndebt == 1 && p->debt[0].asset != 1))
        msg = "liquity-v2: a trove owes BOLD, the market's second asset, "
              "alone";
    return model_refuse(msg, err, errlen);
}

/* The trove's entire collateral and debt (zero for a missing leg). */
static void
liquity_legs(const struct position *p, struct u256 *coll, struct u256 *debt)
{
    *coll = p->ncoll == 1 ? p->coll[0].amount : u256_zero();
    *debt = p->ndebt == 1 ? p->debt[0].amount : u256_zero();
}

/* The PriceFeed's price: 18 decimals of base units per whole token. */
static int
liquity_price(const struct market *m, const struct u256 *price,
              struct u256 *out)
{
    return u256_mul(out, price[0],
                    u256_exp10((unsigned)(PRICE_DECIMALS - m->base_decimals)));
}

/* LiquityMath._computeCR: coll * price / debt, floor; debt > 0. */
static int
liquity_icr(struct u256 coll, struct u256 debt, struct u256 price,
            struct u256 *out)
{
    struct u256 prod;
    int rc = u256_mul(&prod, coll, price);

    if (rc != 0)
        return rc;
    return u256_div(out, prod, debt, U256_FLOOR);
}

static int
liquity_account(const struct market *m, const struct position *p,
                const struct u256 *price, struct account *out)
{
    struct u256 coll, debt, px, icr;
    int rc;

    liquity_legs(p, &coll, &debt);
    if ((rc = liquity_price(m, price, &px)) != 0)
        return rc;
    /* coll is 18 decimals: its worth is coll * price[0] / 1e18. */
    if ((rc = u256_muldiv(&out->coll_value, coll, price[0],
                          u256_from_u64(LIQUITY_ONE), U256_FLOOR)) != 0 ||
        (rc = u256_div(&out->debt_value, debt,
                       u256_exp10((unsigned)(18 - m->base_decimals)),
                       U256_FLOOR)) != 0)
        return rc;
    out->has_debt = !u256_is_zero(debt);
    out->liquidatable = false;
    out->bad_debt = false;
    out->hf = u256_max();
    if (!out->has_debt)
        return 0;
    if ((rc = liquity_icr(coll, debt, px, &icr)) != 0)
        return rc;
    if ((rc = u256_muldiv(&out->hf, icr, u256_from_u64(LIQUITY_ONE),
                          u256_from_u64(m->params.mcr), U256_FLOOR)) != 0)
        return rc;
    out->liquidatable = u256_lt(icr, u256_from_u64(m->params.mcr));
    out->bad_debt = u256_lt(icr, u256_from_u64(LIQUITY_ONE));
    return 0;
}

/* _getCollPenaltyAndSurplus: the collateral a part takes, capped at its
 * debt * (1 + penalty) / price, and the surplus above the cap. */
static int
liquity_penalty(struct u256 coll, struct u256 debt, uint64_t penalty,
                struct u256 price, struct u256 *seized, struct u256 *surplus)
{
    struct u256 cap;
    int rc = u256_mul(&cap, debt, u256_from_u64(LIQUITY_ONE + penalty));

    if (rc != 0 || (rc = u256_div(&cap, cap, price, U256_FLOOR)) != 0)
        return rc;
    if (u256_lt(cap, coll)) {
        *seized = cap;
        return u256_sub(surplus, coll, cap);
    }
    *seized = coll;
    *surplus = u256_zero();
    return 0;
}

/* _getOffsetAndRedistributionVals, step by step. */
static int
liquity_split(const struct market *m, struct u256 debt, struct u256 coll,
              struct u256 sp, struct u256 price, struct liq_liquity *o)
{
    struct u256 sp_portion = u256_zero(), surplus = u256_zero(), t;
    int rc;

    *o = (struct liq_liquity){0};
    if (!u256_is_zero(sp)) {
        o->debt_offset = u256_min(debt, sp);
        if ((rc = u256_mul(&t, coll, o->debt_offset)) != 0 ||
            (rc = u256_div(&sp_portion, t, debt, U256_FLOOR)) != 0)
            return rc;
        if ((rc = u256_div(&t, sp_portion, u256_from_u64(LIQUITY_GAS_DIVISOR),
                           U256_FLOOR)) != 0)
            return rc;
        o->coll_gas = u256_min(t, u256_from_u64(LIQUITY_GAS_CAP));
        if ((rc = u256_sub(&t, sp_portion, o->coll_gas)) != 0 ||
            (rc = liquity_penalty(t, o->debt_offset, m->params.penalty_sp,
                                  price, &o->coll_to_sp, &surplus)) != 0)
            return rc;
    }
    if ((rc = u256_sub(&o->debt_redist, debt, o->debt_offset)) != 0)
        return rc;
    if (!u256_is_zero(o->debt_redist)) {
        struct u256 portion;

        if ((rc = u256_sub(&portion, coll, sp_portion)) != 0)
            return rc;
        /* the offset's surplus may be eaten by the larger penalty */
        if (!u256_is_zero(portion) &&
            ((rc = u256_add(&t, portion, surplus)) != 0 ||
             (rc = liquity_penalty(t, o->debt_redist, m->params.penalty_redist,
                                   price, &o->coll_redist, &surplus)) != 0))
            return rc;
    }
    o->coll_surplus = surplus;
    return 0;
}

/*
 * batchLiquidateTroves([trove]): no amount to name, the whole trove or
 * nothing. Any request previews that one call; one that names less than
 * the whole debt is answered REVERT_ABSORB_ONLY (as compound-v3's absorb).
 * The figures are those of the call as if it were allowed; revert says why
 * it would not be (NothingToLiquidate: no debt, or ICR >= MCR).
 */
static int
liquity_liquidate(const struct market *m, const struct position *p,
                  const struct u256 *price, const struct liq_call *call,
                  struct liq_result *out)
{
    struct u256 coll, debt, px, icr, sp, left, worth;
    int rc;

    *out = (struct liq_result){0};
    if (call->seize || call->debt != 0 || call->coll != 0 || p->ndebt != 1 ||
        p->ncoll != 1)
        return LIQ_EINVAL;
    liquity_legs(p, &coll, &debt);
    out->close_factor = u256_from_u64(LIQUITY_ONE);
    out->max_repay = debt;
    out->hf_after = u256_max();
    if (u256_is_zero(debt)) {
        out->revert = REVERT_NOTHING_TO_REPAY;
        return 0;
    }
    if ((rc = liquity_price(m, price, &px)) != 0 ||
        (rc = liquity_icr(coll, debt, px, &icr)) != 0)
        return rc;
    if (u256_is_zero(px))
        return LIQ_EDIVZERO;
    /* the pool keeps min(1 BOLD, what it holds); unset: it covers all */
    if (m->liquity.has_sp) {
        sp = m->liquity.sp_deposits;
        if ((rc = u256_sub(
                 &sp, sp,
                 u256_min(sp, u256_from_u64(LIQUITY_MIN_BOLD_IN_SP)))) != 0)
            return rc;
    } else {
        sp = debt;
    }
    if ((rc = liquity_split(m, debt, coll, sp, px, &out->liquity)) != 0)
        return rc;
    out->repay = debt;
    if ((rc = u256_sub(&out->seized, coll, out->liquity.coll_surplus)) != 0)
        return rc;
    out->to_liquidator = out->seized;
    /* bonus: seized above the debt's worth in collateral (floor) */
    if ((rc = u256_mul(&worth, debt, u256_from_u64(LIQUITY_ONE))) != 0 ||
        (rc = u256_div(&worth, worth, px, U256_FLOOR)) != 0)
        return rc;
    if (u256_sub(&left, out->seized, worth) == 0)
        out->bonus = left;
    if (!u256_lt(icr, u256_from_u64(m->params.mcr)))
        out->revert = REVERT_NOT_LIQUIDATABLE;
    else if (!call->max && u256_lt(call->repay, debt))
        out->revert = REVERT_ABSORB_ONLY;
    return 0;
}

const struct model_ops model_liquity_ops = {
    .name = "liquity-v2",
    .check_position = liquity_check_position,
    .account = liquity_account,
    .liquidate = liquity_liquidate,
};

int
model_liquity_tcr(const struct market *m, const struct u256 *price,
                  struct u256 *tcr, bool *below_scr)
{
    struct u256 px;
    int rc;

    if (m->model != MODEL_LIQUITY_V2 || !m->liquity.has_totals)
        return LIQ_ENOENT;
    if ((rc = liquity_price(m, price, &px)) != 0)
        return rc;
    if (u256_is_zero(m->liquity.total_debt)) {
        *tcr = u256_max();
    } else if ((rc = liquity_icr(m->liquity.total_coll, m->liquity.total_debt,
                                 px, tcr)) != 0) {
        return rc;
    }
    *below_scr = u256_lt(*tcr, u256_from_u64(m->params.scr));
    return 0;
}
