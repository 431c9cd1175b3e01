/*
 * preview.c: what one liquidation call would do, the least repay that
 * reaches a target health in one call, and the least plain repayment or
 * deposit per asset that avoids liquidation.
 *
 * Owns the solvers. Each is a bisection on the model's own verdict between
 * an amount that does not reach the target and one that does, so the
 * answer always satisfies "it reaches the target and one raw unit less does
 * not", whatever the model's rounding. Pure.
 */
#include "core/preview.h"

#include <string.h>

#include "core/liq.h"

/* Deposits beyond 2^200 raw units are "no amount does it". */
#define PREVIEW_MAX_BITS 200

const char *
preview_reason_text(enum preview_reason r)
{
    switch (r) {
    case REASON_NONE:
        return NULL;
    case REASON_ALREADY_AT_TARGET:
        return "already at or above the target";
    case REASON_LOWERS_HEALTH:
        return "a liquidation lowers this position's health";
    case REASON_CAPPED:
        return "the most one call may repay does not reach the target";
    case REASON_NOT_LIQUIDATABLE:
        return "not liquidatable";
    case REASON_NO_DEBT:
        return "no debt";
    }
    return NULL;
}

/* Base-unit value of a leg, for choosing the largest. */
static struct u256
preview_leg_value(const struct market *m, const struct leg *l,
                  const struct u256 *price)
{
    struct u256 v = u256_zero();
    u128 a, p, w;

    /* the same floor in 128 bits where it fits */
    if (u256_to_u128(l->amount, &a) && u256_to_u128(price[l->asset], &p) &&
        u256_muldiv128_pow10(&w, a, p, m->assets[l->asset].decimals))
        return u256_from_u128(w);
    (void)u256_muldiv(&v, l->amount, price[l->asset],
                      u256_exp10(m->assets[l->asset].decimals), U256_FLOOR);
    return v;
}

int
preview_largest_leg(const struct market *m, const struct leg *legs, int n,
                    const struct u256 *price)
{
    int best = 0;
    struct u256 bv = u256_zero();

    for (int i = 0; i < n; i++) {
        struct u256 v = preview_leg_value(m, &legs[i], price);

        if (i == 0 || u256_lt(bv, v)) {
            best = i;
            bv = v;
        }
    }
    return best;
}

/* A predicate over an amount, and what it needs. */
struct preview_ctx {
    const struct market *m;
    const struct position *p;
    const struct u256 *price;
    struct u256 target;
    struct liq_call call;
    int leg;
    bool deposit;
};

/* One liquidation call of repay r succeeds and leaves health >= target.
 * A call that seizes the last collateral and leaves bad debt (burned by
 * Aave 3.3+ and Morpho, so health reads as infinite) does not count: the
 * position does not survive it. */
static bool
preview_call_reaches(struct preview_ctx *c, struct u256 r,
                     struct liq_result *out)
{
    struct liq_result res;

    c->call.max = false;
    c->call.repay = r;
    if (model_liquidate(c->m, c->p, c->price, &c->call, &res) != 0)
        return false;
    if (out != NULL)
        *out = res;
    return res.revert == REVERT_NONE && !res.bad_debt_after &&
           u256_le(c->target, res.hf_after);
}

/* Repaying (or depositing) x of one leg on its own leaves health >=
 * target. */
static bool
preview_plain_reaches(struct preview_ctx *c, struct u256 x)
{
    struct position q = *c->p;
    struct account a;

    if (c->deposit) {
        if (u256_add(&q.coll[c->leg].amount, q.coll[c->leg].amount, x) != 0)
            return false;
    } else if (u256_sub(&q.debt[c->leg].amount, q.debt[c->leg].amount, x) !=
               0) {
        return false;
    }
    if (model_account(c->m, &q, c->price, &a) != 0)
        return false;
    return !a.has_debt || u256_le(c->target, a.hf);
}

/* Least x in (lo, hi] with pred(x), given !pred(lo) and pred(hi). */
static struct u256
preview_bisect(struct preview_ctx *c, struct u256 lo, struct u256 hi,
               bool (*pred)(struct preview_ctx *, struct u256))
{
    for (;;) {
        struct u256 span = u256_zero(), mid = u256_zero();

        (void)u256_sub(&span, hi, lo);
        if (u256_le(span, u256_from_u64(1)))
            return hi;
        (void)u256_div(&span, span, u256_from_u64(2), U256_FLOOR);
        (void)u256_add(&mid, lo, span);
        if (pred(c, mid))
            hi = mid;
        else
            lo = mid;
    }
}

static bool
preview_call_pred(struct preview_ctx *c, struct u256 r)
{
    return preview_call_reaches(c, r, NULL);
}

/* Whether a small call (1 % of the maximum) lowers health: the sign of
 * dHF/dr, HF < LB * T (liquidation-mechanics.md 1.2). The maximum call
 * itself can read as healthy when it seizes everything and the remaining
 * debt is burned. */
static bool
preview_lowers(struct preview_ctx *c, const struct liq_result *max_call)
{
    struct liq_result small;
    struct u256 r;

    (void)u256_div(&r, max_call->max_repay, u256_from_u64(100), U256_FLOOR);
    if (u256_is_zero(r))
        r = u256_from_u64(1);
    c->call.max = false;
    c->call.repay = r;
    if (model_liquidate(c->m, c->p, c->price, &c->call, &small) != 0)
        return max_call->lowers_health;
    return small.lowers_health;
}

static void
preview_to_target(struct preview_ctx *c, const struct liq_result *max_call,
                  struct preview *out)
{
    struct liq_result at;

    out->has_to_target = false;
    if (!out->before.has_debt) {
        out->reason = REASON_NO_DEBT;
        return;
    }
    if (u256_le(c->target, out->before.hf)) {
        out->reason = REASON_ALREADY_AT_TARGET;
        return;
    }
    if (!out->before.liquidatable) {
        out->reason = REASON_NOT_LIQUIDATABLE;
        return;
    }
    if (!preview_call_reaches(c, max_call->max_repay, NULL)) {
        out->reason =
            preview_lowers(c, max_call) ? REASON_LOWERS_HEALTH : REASON_CAPPED;
        return;
    }
    out->repay_to_target =
        preview_bisect(c, u256_zero(), max_call->max_repay, preview_call_pred);
    (void)preview_call_reaches(c, out->repay_to_target, &at);
    out->collateral_to_target = at.seized;
    out->has_to_target = true;
    out->reason = REASON_NONE;
}

static struct preview_avoid
preview_avoid_repay(struct preview_ctx *c, int leg)
{
    struct preview_avoid r = {false, u256_zero()};

    c->deposit = false;
    c->leg = leg;
    if (preview_plain_reaches(c, u256_zero())) {
        r.exists = true;
        return r;
    }
    if (!preview_plain_reaches(c, c->p->debt[leg].amount))
        return r;
    r.amount = preview_bisect(c, u256_zero(), c->p->debt[leg].amount,
                              preview_plain_reaches);
    r.exists = true;
    return r;
}

static struct preview_avoid
preview_avoid_deposit(struct preview_ctx *c, int leg)
{
    struct preview_avoid r = {false, u256_zero()};
    struct u256 lo = u256_zero(), hi = u256_from_u64(1);

    c->deposit = true;
    c->leg = leg;
    if (preview_plain_reaches(c, u256_zero())) {
        r.exists = true;
        return r;
    }
    /* Grow hi by doubling until a deposit does it. */
    while (!preview_plain_reaches(c, hi)) {
        lo = hi;
        if (u256_bits(hi) >= PREVIEW_MAX_BITS)
            return r;
        (void)u256_add(&hi, hi, hi);
    }
    r.amount = preview_bisect(c, lo, hi, preview_plain_reaches);
    r.exists = true;
    return r;
}

int
preview_compute(const struct market *m, const struct position *p,
                const struct u256 *price, const struct preview_req *req,
                struct preview *out)
{
    struct preview pv;
    struct preview_ctx c;
    struct liq_result max_call;
    int rc;

    if (p->ndebt == 0 || p->ncoll == 0)
        return LIQ_EINVAL;
    if (req->debt >= p->ndebt || req->coll >= p->ncoll)
        return LIQ_EINVAL;
    memset(&pv, 0, sizeof(pv));
    rc = model_account(m, p, price, &pv.before);
    if (rc != 0)
        return rc;
    pv.debt = (uint8_t)(req->debt >= 0
                            ? req->debt
                            : preview_largest_leg(m, p->debt, p->ndebt, price));
    pv.coll = (uint8_t)(req->coll >= 0
                            ? req->coll
                            : preview_largest_leg(m, p->coll, p->ncoll, price));
    pv.target_hf = req->has_target ? req->target_hf : u256_from_u64(WAD);

    memset(&c, 0, sizeof(c));
    c.m = m;
    c.p = p;
    c.price = price;
    c.target = pv.target_hf;
    c.call.debt = pv.debt;
    c.call.coll = pv.coll;
    c.call.max = true;
    rc = model_liquidate(m, p, price, &c.call, &max_call);
    if (rc != 0)
        return rc;
    if (req->has_repay) {
        c.call.max = false;
        c.call.repay = req->repay;
        rc = model_liquidate(m, p, price, &c.call, &pv.call);
        if (rc != 0)
            return rc;
    } else {
        pv.call = max_call;
    }
    preview_to_target(&c, &max_call, &pv);
    for (int i = 0; i < p->ndebt; i++)
        pv.avoid_repay[i] = preview_avoid_repay(&c, i);
    for (int i = 0; i < p->ncoll; i++)
        pv.avoid_deposit[i] = preview_avoid_deposit(&c, i);
    *out = pv;
    return 0;
}
