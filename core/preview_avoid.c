/*
 * preview_avoid.c: avoiding liquidation without a liquidator: the least
 * plain repayment of one debt leg, and the least deposit to one collateral
 * leg, that alone bring health to the target (preview.h, avoid_repay and
 * avoid_deposit), by bisection over the model's account after the move,
 * each answer least to the raw unit of the model's account. A deposit
 * the contract refuses for its size alone (Euler's E_ZeroShares, Aave
 * v4's InvalidShares, below one share) does not reach; the refused
 * deposits that end the search are those past a cap. Pure.
 */
#include "core/preview_int.h"

#include "core/liq.h"
#include "core/model_morpho.h"

/* Repaying (or depositing) x tokens of one leg on its own, as the
 * contract burns (mints) it, leaves health >= target. */
static bool
preview_avoid_reaches(struct preview_ctx *c, struct u256 x)
{
    struct account a;

    /* Through the model: a leg may hold what the contract stores, and a
     * repay or a deposit may move what it converts by (Morpho's borrow
     * totals; an Euler vault's and an Aave v4 hub's share price, which a
     * deposit's rounding lifts). Aave v3's indexes move with time only;
     * morpho-blue and compound-v3 hold collateral as plain assets; a
     * compound-v2 repay leaves the exchange rate as it is, while a mint
     * can lift it by a rounding of totals the book does not carry (there
     * the deposit found is enough, not always least; README). */
    if (c->deposit) {
        if (model_account_after_deposit(c->m, c->p, (uint8_t)c->leg, x,
                                        c->price, &a) != 0)
            return false;
    } else if (model_account_after_repay(c->m, c->p, (uint8_t)c->leg, x,
                                         c->price, &a) != 0) {
        return false;
    }
    if (a.has_debt && u256_lt(a.hf, c->target))
        return false;
    /* morpho-pre: out of the pre-liquidation band as well, where the
     * borrower's collateral is taken too (README "morpho-pre"). */
    if (c->m->model == MODEL_MORPHO_PRE) {
        bool clear = false;

        return model_morpho_pre_clear_after(c->m, c->p, c->price, c->deposit, x,
                                            &clear) == 0 &&
               clear;
    }
    return true;
}

/* Least x in (lo, hi] with pred(x), given !pred(lo) and pred(hi). */
static struct u256
preview_avoid_bisect(struct preview_ctx *c, struct u256 lo, struct u256 hi,
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

struct preview_avoid
preview_avoid_repay(struct preview_ctx *c, int leg)
{
    struct preview_avoid r = {false, u256_zero()};
    const struct leg *l = &c->p->debt[leg];
    struct u256 owed;

    c->deposit = false;
    c->leg = leg;
    if (preview_avoid_reaches(c, u256_zero())) {
        r.exists = true;
        return r;
    }
    if (model_balance(c->m, l->asset, true, l->amount, &owed) != 0 ||
        !preview_avoid_reaches(c, owed))
        return r;
    r.amount =
        preview_avoid_bisect(c, u256_zero(), owed, preview_avoid_reaches);
    r.exists = true;
    return r;
}

/* The contract takes a deposit of x on the leg (compound-v3 refuses one
 * past the asset's supply cap); refused deposits are all those above the
 * most it takes. */
static bool
preview_avoid_accepted(struct preview_ctx *c, struct u256 x)
{
    const struct leg *l = &c->p->coll[c->leg];
    struct u256 out;

    return model_apply(c->m, l->asset, false, l->amount, x, &out) == 0;
}

static bool
preview_avoid_refused(struct preview_ctx *c, struct u256 x)
{
    return !preview_avoid_accepted(c, x);
}

struct preview_avoid
preview_avoid_deposit(struct preview_ctx *c, int leg)
{
    struct preview_avoid r = {false, u256_zero()};
    struct u256 lo = u256_zero(), hi = u256_from_u64(1);

    c->deposit = true;
    c->leg = leg;
    if (preview_avoid_reaches(c, u256_zero())) {
        r.exists = true;
        return r;
    }
    /* Grow hi by doubling until a deposit does it, or the contract
     * refuses it (a supply cap): then the most it accepts decides. */
    while (!preview_avoid_reaches(c, hi)) {
        if (!preview_avoid_accepted(c, hi)) {
            hi = preview_avoid_bisect(c, lo, hi, preview_avoid_refused);
            (void)u256_sub(&hi, hi, u256_from_u64(1));
            if (!u256_lt(lo, hi) || !preview_avoid_reaches(c, hi))
                return r;
            break;
        }
        lo = hi;
        if (u256_bits(hi) >= PREVIEW_MAX_BITS)
            return r;
        (void)u256_add(&hi, hi, hi);
    }
    r.amount = preview_avoid_bisect(c, lo, hi, preview_avoid_reaches);
    r.exists = true;
    return r;
}
