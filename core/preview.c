/*
 * preview.c: what one liquidation call would do, the least repay that
 * reaches a target health in one call, and the least plain repayment or
 * deposit per asset that avoids liquidation.
 *
 * Owns the solvers, on the model's own verdicts only (model_liquidate,
 * model_account, model_apply), so that every answer follows the model's
 * rounding. The plain repayment and deposit are bisections (health is
 * monotone in each; a deposit the contract refuses, past a supply cap,
 * bounds the search); the least call is a global least over every call the
 * contract accepts, found by the walk of preview_least_call. Must not
 * compute a protocol rule of its own. Pure.
 */
#include "core/preview.h"
#include "core/preview_int.h"

#include <string.h>

#include "core/liq.h"
#include "core/model_morpho.h"

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
    case REASON_BLOCKED:
        return "no call is accepted now (reverts says why)";
    case REASON_NO_DEBT:
        return "no debt";
    case REASON_ONLY_FULL_REPAY:
        return "only a call that repays all this debt reaches the target";
    case REASON_ONLY_BAD_DEBT:
        return "only a call that seizes all the collateral reaches the "
               "target: the debt left is written off as bad debt";
    }
    return NULL;
}

/* One liquidation call with debtToCover x. */
static int
preview_eval(struct preview_ctx *c, struct u256 x, struct liq_result *out)
{
    c->call.max = false;
    c->call.repay = x;
    return model_liquidate(c->m, c->p, c->price, &c->call, out);
}

/* The call is accepted and leaves health >= target. A call that leaves no
 * debt (all repaid, or the rest written off: Aave 3.3+ bad debt, Aave v4
 * deficit, Morpho realized bad debt) reads as infinite health and reaches
 * every target. */
static bool
preview_ok(const struct preview_ctx *c, const struct liq_result *r)
{
    return r->revert == REVERT_NONE && u256_le(c->target, r->hf_after);
}

/* A revert that no amount changes: the position or its reserves. */
static bool
preview_revert_whole(enum liq_revert r)
{
    return r == REVERT_NOT_LIQUIDATABLE || r == REVERT_COLLATERAL_NOT_ENABLED ||
           r == REVERT_PAUSED || r == REVERT_GRACE_PERIOD ||
           r == REVERT_SENTINEL || r == REVERT_NOT_PRE_LIQUIDATABLE ||
           r == REVERT_USE_LIQUIDATION || r == REVERT_COOL_OFF;
}

/*
 * Health after seizing k of the call's collateral and repaying d of its
 * debt, as a call doing so would leave it (without writing off bad debt),
 * or above it where legs hold stored units (model_account_after_burn
 * rounds the burns in the borrower's favour): *ok when it is at least the
 * target or no debt is left.
 */
static int
preview_after(struct preview_ctx *c, struct u256 k, struct u256 d, bool *ok,
              struct u256 *hf)
{
    struct account a;
    int rc = model_account_after_burn(c->m, c->p, c->call.coll, k, c->call.debt,
                                      d, c->price, &a);

    if (rc != 0)
        return rc;
    *ok = !a.has_debt || u256_le(c->target, a.hf);
    *hf = a.has_debt ? a.hf : u256_max();
    return 0;
}

/* WAD^2 / hf: linear in the debt left at constant collateral. */
static struct u256
preview_inverse(struct u256 hf)
{
    struct u256 r;

    if (u256_is_zero(hf))
        return u256_max();
    if (u256_muldiv(&r, u256_from_u64(WAD), u256_from_u64(WAD), hf,
                    U256_FLOOR) != 0)
        return u256_max();
    return r;
}

/*
 * With k seized, health rises with the repay d; lo does not reach (its
 * health hf_lo). *out gets a d above lo that no smaller repay exceeds
 * and reaches: the least d in (lo, c->top] that reaches (c->top + 1 when
 * none does), or, found cheaply, one at most that. Health is nearly
 * proportional to 1 / (debt left), so WAD^2 / hf interpolated between lo and
 * top estimates the crossing to within what hf's 18 places resolve; one probe a
 * little below the estimate then gives the bound, and a gallop from there and a
 * bisection the least, exact whatever the rounding.
 */
static int
preview_least_repay(struct preview_ctx *c, struct u256 k, struct u256 lo,
                    struct u256 hf_lo, struct u256 *out)
{
    struct u256 hi = c->top, hf_hi, g_lo, g_hi, g_t, e, span, step, x, hf;
    bool ok, probe;
    int rc = preview_after(c, k, hi, &ok, &hf_hi);

    if (rc != 0)
        return rc;
    if (!ok)
        return u256_add(out, c->top, u256_from_u64(1));
    g_lo = preview_inverse(hf_lo);
    g_hi = preview_inverse(hf_hi);
    g_t = preview_inverse(c->target);
    (void)u256_sub(&span, hi, lo);
    e = lo;
    if (u256_lt(g_hi, g_lo) && u256_lt(g_t, g_lo)) {
        struct u256 num, den, t;

        (void)u256_sub(&num, g_lo, g_t);
        (void)u256_sub(&den, g_lo, g_hi);
        if (u256_muldiv(&t, num, span, den, U256_FLOOR) == 0)
            (void)u256_add(&e, lo, u256_min(t, span));
    }
    /* hf resolves 1 part in 1e18 or so: the estimate is that close. A
     * probe that far below it, or an eighth of the way back to lo when
     * lo is nearer, bounds the least from below in one evaluation. */
    (void)u256_div(&step, span, u256_exp10(16), U256_FLOOR);
    (void)u256_add(&step, step, u256_from_u64(2));
    probe = u256_sub(&x, e, step) == 0 && u256_lt(lo, x);
    if (!probe && u256_lt(lo, e)) {
        struct u256 back;

        (void)u256_sub(&back, e, lo);
        (void)u256_div(&back, back, u256_from_u64(8), U256_FLOOR);
        (void)u256_sub(&x, e, back);
        probe = u256_lt(lo, x);
    }
    if (probe && u256_lt(x, hi)) {
        rc = preview_after(c, k, x, &ok, &hf);
        if (rc != 0)
            return rc;
        if (!ok)
            return u256_add(out, x, u256_from_u64(1));
        hi = x;
        if (u256_sub(&e, x, step) != 0)
            e = lo;
    }
    /* Gallop from the estimate toward the crossing. */
    for (;;) {
        (void)u256_sub(&span, hi, lo);
        if (u256_le(span, u256_from_u64(1)))
            break;
        if (u256_le(e, lo) || u256_le(hi, e))
            break;
        rc = preview_after(c, k, e, &ok, &hf);
        if (rc != 0)
            return rc;
        if (ok) {
            hi = e;
            if (u256_sub(&e, e, step) != 0)
                e = lo;
        } else {
            lo = e;
            if (u256_add(&e, e, step) != 0)
                e = hi;
        }
        (void)u256_add(&step, step, step);
    }
    /* Bisect what is left. */
    for (;;) {
        (void)u256_sub(&span, hi, lo);
        if (u256_le(span, u256_from_u64(1)))
            break;
        (void)u256_div(&span, span, u256_from_u64(2), U256_FLOOR);
        (void)u256_add(&x, lo, span);
        rc = preview_after(c, k, x, &ok, &hf);
        if (rc != 0)
            return rc;
        if (ok)
            hi = x;
        else
            lo = x;
    }
    *out = hi;
    return 0;
}

/* The least x in (lo, hi] with pred(x), given !pred(lo) and pred(hi). */
static int
preview_first(struct preview_ctx *c, struct u256 lo, struct u256 hi,
              const struct liq_result *ref,
              bool (*pred)(const struct preview_ctx *,
                           const struct liq_result *,
                           const struct liq_result *),
              struct u256 *out)
{
    for (;;) {
        struct u256 span, mid;
        struct liq_result r;
        int rc;

        (void)u256_sub(&span, hi, lo);
        if (u256_le(span, u256_from_u64(1)))
            break;
        (void)u256_div(&span, span, u256_from_u64(2), U256_FLOOR);
        (void)u256_add(&mid, lo, span);
        rc = preview_eval(c, mid, &r);
        if (rc != 0)
            return rc;
        if (pred(c, &r, ref))
            hi = mid;
        else
            lo = mid;
    }
    *out = hi;
    return 0;
}

static bool
preview_other_revert(const struct preview_ctx *c, const struct liq_result *r,
                     const struct liq_result *ref)
{
    (void)c;
    return r->revert != ref->revert;
}

static bool
preview_seizes_all(const struct preview_ctx *c, const struct liq_result *r,
                   const struct liq_result *ref)
{
    (void)ref;
    return u256_le(c->held, r->seized);
}

/* Where the revert of cover a (ref) stops: the least larger cover that
 * reverts otherwise, or top + 1. Each reason's covers form one band. */
static int
preview_band_end(struct preview_ctx *c, struct u256 a,
                 const struct liq_result *ref, struct u256 *out)
{
    struct liq_result r;
    int rc = preview_eval(c, c->top, &r);

    if (rc != 0)
        return rc;
    if (r.revert == ref->revert)
        return u256_add(out, c->top, u256_from_u64(1));
    return preview_first(c, a, c->top, ref, preview_other_revert, out);
}

/* The least cover that seizes all the collateral held, or top + 1. */
static int
preview_all(struct preview_ctx *c, struct u256 *out)
{
    struct liq_result r;
    int rc;

    if (!c->have_all) {
        rc = preview_eval(c, c->top, &r);
        if (rc != 0)
            return rc;
        if (!u256_le(c->held, r.seized)) {
            rc = u256_add(&c->all, c->top, u256_from_u64(1));
        } else {
            rc = preview_eval(c, u256_from_u64(1), &r);
            if (rc == 0 && u256_le(c->held, r.seized))
                c->all = u256_from_u64(1);
            else if (rc == 0)
                rc = preview_first(c, u256_from_u64(1), c->top, NULL,
                                   preview_seizes_all, &c->all);
        }
        if (rc != 0)
            return rc;
        c->have_all = true;
    }
    *out = c->all;
    return 0;
}

/* Keep the call of cover x if it repays less than the best so far. */
static void
preview_keep(struct preview *out, struct u256 x, const struct liq_result *r)
{
    if (out->has_to_target && u256_le(out->repay_to_target, r->repay))
        return;
    out->has_to_target = true;
    out->repay_to_target = r->repay;
    out->cover_to_target = x;
    out->collateral_to_target = r->seized;
    out->to_target_no_debt = u256_is_max(r->hf_after);
    out->to_target_bad_debt = r->bad_debt_after;
    out->to_target_call = *r;
}

/* The call of the cover just evaluated (c->call.repay) leaves ref's
 * tooth: it reverts, seizes more, or is capped (repays less than its
 * cover: the collateral caps it, and every larger cover is that call).
 * Each is closed upward below top, so the tooth's covers are a prefix. */
static bool
preview_seizes_more(const struct preview_ctx *c, const struct liq_result *r,
                    const struct liq_result *ref)
{
    return r->revert != REVERT_NONE || !u256_eq(r->seized, ref->seized) ||
           u256_lt(r->repay, c->call.repay);
}

static bool
preview_reaches(const struct preview_ctx *c, const struct liq_result *r,
                const struct liq_result *ref)
{
    (void)ref;
    return preview_ok(c, r);
}

static bool
preview_same_call(const struct preview_ctx *c, const struct liq_result *r,
                  const struct liq_result *ref)
{
    (void)c;
    return r->revert == ref->revert && u256_eq(r->repay, ref->repay) &&
           u256_eq(r->seized, ref->seized);
}

/* A tooth from a to *last ending in a cap: *last becomes the last cover
 * before those making the cap's call (0: none from a makes another). */
static int
preview_tooth_uncapped(struct preview_ctx *c, struct u256 a,
                       const struct liq_result *cap, struct u256 *last)
{
    struct liq_result r;
    struct u256 lo = a, first;
    int rc;

    for (int i = 0; i < 2 && u256_lt(lo, *last); i++) {
        if ((rc = preview_eval(c, lo, &r)) != 0)
            return rc;
        if (!preview_same_call(c, &r, cap)) {
            rc = preview_first(c, lo, *last, cap, preview_same_call, &first);
            if (rc == 0)
                (void)u256_sub(last, first, u256_from_u64(1));
            return rc;
        }
        (void)u256_add(&lo, lo, u256_from_u64(1));
    }
    *last = u256_zero();
    return 0;
}

static bool
preview_level_up(const struct preview_ctx *c, const struct liq_result *r,
                 const struct liq_result *ref)
{
    (void)c;
    return ref->level < r->level;
}

/*
 * The walk's step from a (its call ref) to next holds where the calls in
 * between leave health at ref's level (model.h, struct liq_result): at a
 * higher level health can be higher for the same seizure and repay. The
 * level moves one way with the seizure, so where the call of next - 1 is
 * at a higher level, next becomes the first cover that is.
 */
static int
preview_level_cut(struct preview_ctx *c, struct u256 a,
                  const struct liq_result *ref, struct u256 *next)
{
    struct u256 last;
    struct liq_result r;
    int rc;

    if (u256_sub(&last, *next, u256_from_u64(1)) != 0 || !u256_lt(a, last))
        return 0;
    if ((rc = preview_eval(c, last, &r)) != 0)
        return rc;
    if (!preview_level_up(c, &r, ref))
        return 0;
    return preview_first(c, a, last, ref, preview_level_up, next);
}

/*
 * The covers from a (accepted, short of the target, seizing ref->seized)
 * to the last below top that seizes as much uncapped (top is the walk's
 * candidate of its own): where the last reaches, the least that does is
 * kept and *next is set below a; else *next is the first cover past the
 * tooth, or top.
 */
static int
preview_tooth(struct preview_ctx *c, struct u256 a,
              const struct liq_result *ref, struct preview *out,
              struct u256 *next)
{
    struct u256 last, least;
    struct liq_result r;
    int rc;

    if (!u256_lt(a, c->top))
        return u256_add(next, c->top, u256_from_u64(1));
    (void)u256_sub(&last, c->top, u256_from_u64(1));
    *next = c->top;
    if (u256_lt(a, last)) {
        if ((rc = preview_eval(c, last, &r)) != 0)
            return rc;
        if (preview_seizes_more(c, &r, ref) &&
            (rc = preview_first(c, a, last, ref, preview_seizes_more, next)) !=
                0)
            return rc;
    }
    (void)u256_sub(&last, *next, u256_from_u64(1));
    if (!u256_lt(a, last))
        return 0;
    if ((rc = preview_eval(c, last, &r)) != 0)
        return rc;
    if (!preview_ok(c, &r) && u256_lt(r.repay, last)) {
        /* A cap ends the tooth (Aave v4: all the shares, the debt taken
         * back to their worth); before it the repay rises. */
        rc = preview_tooth_uncapped(c, a, &r, &last);
        if (rc != 0 || u256_is_zero(last))
            return rc;
        if ((rc = preview_eval(c, last, &r)) != 0)
            return rc;
    }
    if (!preview_ok(c, &r))
        return 0;
    if ((rc = preview_first(c, a, last, NULL, preview_reaches, &least)) != 0 ||
        (rc = preview_eval(c, least, &r)) != 0)
        return rc;
    preview_keep(out, least, &r);
    *next = u256_zero();
    return 0;
}

/*
 * The least repay over every accepted call that reaches the target: the
 * global least, not a local one (design.md 4.1). Covers x run from 1 to
 * top; what one cover does (seized s(x), repay R(x)) never shrinks as x
 * grows, and at constant s health rises with the repay. So the call of x
 * reaches exactly when R(x) >= Rmin(s(x)), the least repay that reaches
 * with s(x) seized, and Rmin never falls as s grows among the calls of
 * one level (struct liq_result; Aave 3.0 to 3.4 floor the average
 * threshold, and a higher one can lift health as more is seized).
 *
 * A walk up the covers, holding that none below a reaches:
 *   - a reverts: its reason's band is skipped (a reason that no amount
 *     changes ends the walk);
 *   - a is capped (R(a) < a, the call of top): every larger cover is
 *     this call, a candidate of its own; the walk ends (R(a) < a by the
 *     units' rounding alone walks on: R(x) <= x keeps the rest true);
 *   - a reaches: it is the least uncapped cover that does;
 *   - else no cover in [a, Rmin(s(a))) at a's level reaches (R(x) = x <
 *     Rmin(s(a)) <= Rmin(s(x))), so the walk goes on from Rmin(s(a)), or
 *     from the least cover that seizes everything, if nearer: there the
 *     debt left may be written off, which reaches every target; or from
 *     the first cover at a higher level, if nearer still.
 * The walk closes on the answer as fast as a liquidation lifts health:
 * each step leaves LB * T / target of the distance.
 */
static int
preview_least_call(struct preview_ctx *c, struct preview *out)
{
    struct u256 a = u256_from_u64(1), end, prev = u256_zero();
    struct liq_result r, top;
    bool have_prev = false, same;
    int rc;

    /* A cover of 0 that the contract accepts (euler-v2 hands worthless
     * collateral over for nothing) is the least of all where it reaches;
     * the other models refuse it. */
    rc = preview_eval(c, u256_zero(), &r);
    if (rc != 0)
        return rc;
    if (preview_ok(c, &r)) {
        preview_keep(out, u256_zero(), &r);
        return 0;
    }
    /* The call of the largest cover: capped, it may take less than
     * smaller uncapped covers do (Aave's collateral cap). */
    rc = preview_eval(c, c->top, &top);
    if (rc != 0)
        return rc;
    if (preview_ok(c, &top))
        preview_keep(out, c->top, &top);
    while (u256_le(a, c->top)) {
        struct u256 next;

        rc = preview_eval(c, a, &r);
        if (rc != 0)
            return rc;
        if (preview_revert_whole(r.revert))
            break;
        /* Capped: the call of top (Aave v4's drawn shares may also
         * round a call a little under its cover). */
        if (u256_lt(r.repay, a) && u256_eq(r.repay, top.repay) &&
            u256_eq(r.seized, top.seized)) {
            if (preview_ok(c, &r))
                preview_keep(out, a, &r);
            break;
        }
        if (r.revert != REVERT_NONE) {
            rc = preview_band_end(c, a, &r, &a);
            if (rc != 0)
                return rc;
            continue;
        }
        if (preview_ok(c, &r)) {
            preview_keep(out, a, &r);
            break;
        }
        rc = preview_least_repay(c, r.seized, a, r.hf_after, &next);
        if (rc == 0)
            rc = preview_all(c, &end);
        if (rc != 0)
            return rc;
        if (u256_lt(a, end))
            next = u256_min(next, end);
        if (rc == 0 && u256_lt(a, next))
            rc = preview_level_cut(c, a, &r, &next);
        if (rc != 0)
            return rc;
        same = have_prev && u256_eq(prev, r.seized);
        prev = r.seized;
        have_prev = true;
        if (!u256_lt(a, next) || same) {
            /* The bound gave no step, or landed in the tooth it left
             * (stored units round it in the borrower's favour): walk
             * this tooth, where health rises with the repay at
             * r.seized, to its last uncapped cover. */
            rc = preview_tooth(c, a, &r, out, &next);
            if (rc != 0)
                return rc;
            if (out->has_to_target && u256_lt(next, a))
                break;
        }
        a = next;
    }
    return 0;
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
    if (preview_eval(c, r, &small) != 0)
        return max_call->lowers_health;
    return small.lowers_health;
}

static int
preview_to_target(struct preview_ctx *c, const struct liq_result *max_call,
                  struct preview *out)
{
    int rc;

    out->has_to_target = false;
    if (!out->before.has_debt) {
        out->reason = REASON_NO_DEBT;
        return 0;
    }
    if (u256_le(c->target, out->before.hf)) {
        out->reason = REASON_ALREADY_AT_TARGET;
        return 0;
    }
    /* morpho-pre: a position in its band is pre-liquidatable while
     * Morpho's own test says healthy. */
    if (!out->before.liquidatable && (c->m->model != MODEL_MORPHO_PRE ||
                                      preview_revert_whole(max_call->revert))) {
        out->reason = REASON_NOT_LIQUIDATABLE;
        return 0;
    }
    rc = preview_least_call(c, out);
    if (rc != 0)
        return rc;
    if (out->has_to_target) {
        out->reason = REASON_NONE;
        if (out->to_target_no_debt)
            out->reason = out->to_target_bad_debt ? REASON_ONLY_BAD_DEBT
                                                  : REASON_ONLY_FULL_REPAY;
        return 0;
    }
    /* Past here the position is liquidatable (or in morpho-pre's band):
     * a revert of every call is a gate, not the health. */
    if (preview_revert_whole(max_call->revert))
        out->reason = max_call->revert == REVERT_NOT_LIQUIDATABLE
                          ? REASON_NOT_LIQUIDATABLE
                          : REASON_BLOCKED;
    else
        out->reason =
            preview_lowers(c, max_call) ? REASON_LOWERS_HEALTH : REASON_CAPPED;
    return 0;
}

/* floor(amount * price / 10^decimals), as LiquidationLogic values an
 * amount. */
static int
preview_value(const struct market *m, uint8_t asset, const struct u256 *price,
              struct u256 amount, struct u256 *out)
{
    int rc = u256_muldiv(out, amount, price[asset],
                         u256_exp10(m->assets[asset].decimals), U256_FLOOR);

    /* A repay too large for the arithmetic is a call that reverts, and
     * its value is past any: the most a u256 holds. */
    if (rc == LIQ_EOVERFLOW) {
        *out = u256_max();
        return 0;
    }
    return rc;
}

static int
preview_values_of(const struct market *m, const struct position *p,
                  const struct u256 *price, uint8_t debt, uint8_t coll,
                  const struct liq_result *c, struct preview_values *out)
{
    uint8_t da = p->debt[debt].asset, ca = p->coll[coll].asset;
    /* euler-v2 seizes vault shares: valued as the assets they are worth */
    bool shares = m->model == MODEL_EULER_V2;
    int rc = preview_value(m, da, price, c->repay, &out->repay);

    if (rc == 0)
        rc = preview_value(m, ca, price, shares ? c->seized_assets : c->seized,
                           &out->seized);
    if (rc == 0)
        rc = preview_value(m, ca, price, shares ? c->bonus_assets : c->bonus,
                           &out->bonus);
    if (rc == 0)
        rc = preview_value(m, ca, price, c->fee, &out->fee);
    return rc;
}

/* What design.md 4.1 adds to the calls: capped, values, and whether the
 * call lowers health, one that leaves debt and no collateral counting as
 * health 0 (even where the contract then writes that debt off). */
static int
preview_call_figures(const struct market *m, const struct position *p,
                     const struct u256 *price, struct preview *pv)
{
    struct liq_result *c = &pv->call;
    int rc;

    pv->repay_capped = u256_lt(c->repay, pv->requested_repay);
    rc = preview_values_of(m, p, price, pv->debt, pv->coll, c, &pv->values);
    if (rc == 0 && pv->has_to_target)
        rc = preview_values_of(m, p, price, pv->debt, pv->coll,
                               &pv->to_target_call, &pv->to_target_values);
    if (rc != 0)
        return rc;
    pv->lowers_health =
        u256_lt(c->bad_debt_after ? u256_zero() : c->hf_after, pv->before.hf);
    c->lowers_health = pv->lowers_health;
    return 0;
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
    pv.debt = (uint8_t)(req->debt >= 0 ? req->debt
                                       : model_largest_leg(m, p, true, price));
    pv.coll = (uint8_t)(req->coll >= 0 ? req->coll
                                       : model_largest_leg(m, p, false, price));
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
        pv.requested_repay = req->repay;
    } else {
        pv.call = max_call;
        pv.requested_repay = max_call.repay;
    }
    rc = model_balance(m, p->debt[pv.debt].asset, true, p->debt[pv.debt].amount,
                       &c.top);
    /* held is in the unit of a call's seized: euler-v2 seizes vault
     * shares, the leg's own unit; the others the tokens a leg is worth. */
    if (rc == 0 && m->model == MODEL_EULER_V2)
        c.held = p->coll[pv.coll].amount;
    else if (rc == 0)
        rc = model_balance(m, p->coll[pv.coll].asset, false,
                           p->coll[pv.coll].amount, &c.held);
    if (rc == 0)
        rc = preview_to_target(&c, &max_call, &pv);
    if (rc == 0)
        rc = preview_call_figures(m, p, price, &pv);
    if (rc != 0)
        return rc;
    for (int i = 0; i < p->ndebt; i++)
        pv.avoid_repay[i] = preview_avoid_repay(&c, i);
    for (int i = 0; i < p->ncoll; i++)
        pv.avoid_deposit[i] = preview_avoid_deposit(&c, i);
    *out = pv;
    return 0;
}
