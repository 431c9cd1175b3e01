/*
 * model_compound2_call128.c: Compound v2's largest liquidation call
 * (liq_call.max) on 128-bit figures, for stress's one call per
 * liquidatable position in each scenario (model.h max_call128):
 * model_compound2.c's close factor, the repay the collateral allows, the
 * seized cTokens (Comptroller.liquidateCalculateSeizeTokens, truncated
 * step by step) and their underlying worth, the bonus, bad debt and the
 * reverts, wherever every operand, step and result fits 128 bits; false
 * where one does not, so that model_liquidate answers.
 *
 * Owns only this twin; the rules are model_compound2.c's, and
 * tests/prop/prop_call128.c holds the two equal. Pure.
 */
#include "core/model.h"

#include <string.h>

#include "core/model_compound.h"

#define COMPOUND2_ER WAD /* as model_compound2.c: no exchange rate given */

/* a * b / 1e18, truncated (Exponential's mul_ and div_). */
static bool
compound2_c128_mul_exp(u128 *r, u128 a, u128 b)
{
    return u256_muldiv128(r, a, b, WAD, U256_FLOOR);
}

/* compound2_oracle: the price as Compound's oracle reports it. */
static bool
compound2_c128_oracle(const struct market *m, uint8_t asset, u128 price,
                      u128 *out)
{
    int e = 36 - (int)m->assets[asset].decimals - (int)m->base_decimals;

    if (e >= 0)
        return e <= 38 &&
               !__builtin_mul_overflow(price, u256_pow10_128((unsigned)e), out);
    if (-e > 38)
        return false;
    *out = price / u256_pow10_128((unsigned)-e);
    return true;
}

/* compound2_underlying: what cTokens of asset are worth. */
static bool
compound2_c128_underlying(const struct market *m, uint8_t asset, u128 tokens,
                          u128 er, u128 *out)
{
    if (!m->ctoken[asset].has_rate) {
        *out = tokens;
        return true;
    }
    return u256_muldiv128(out, er, tokens, WAD, U256_FLOOR);
}

/* The account's health on the twins, for p with the call's legs at
 * debt_left and coll_left (UINT8_MAX: p as it is). */
static bool
compound2_c128_health(const struct market *m, const struct position *p,
                      const struct u256 *price, uint8_t debt, u128 debt_amount,
                      uint8_t coll, u128 coll_amount, bool has_debt,
                      struct model_health128 *h)
{
    const struct model_ops *ops = model_get(m->model);
    struct model_sums128 sums, t;

    memset(&sums, 0, sizeof sums);
    for (int i = 0; i < p->ncoll + p->ndebt; i++) {
        bool d = i >= p->ncoll;
        int k = d ? i - p->ncoll : i;
        const struct leg *l = d ? &p->debt[k] : &p->coll[k];
        u128 a, px;

        if (d && k == debt)
            a = debt_amount;
        else if (!d && k == coll)
            a = coll_amount;
        else if (!u256_to_u128(l->amount, &a))
            return false;
        if (!u256_to_u128(price[l->asset], &px) ||
            !ops->term128(m, l->asset, d, a, px, &t))
            return false;
        for (int s = 0; s < MODEL_SUMS; s++)
            if (__builtin_add_overflow(sums.s[s], t.s[s], &sums.s[s]))
                return false;
    }
    return ops->finish128(m, &sums, has_debt, h);
}

bool
model_compound2_call128_max(const struct market *m, const struct position *p,
                            const struct u256 *price, uint8_t debt,
                            uint8_t coll, struct model_call128 *out)
{
    const struct market_params *pr = &m->params;
    struct model_health128 h, after;
    u128 damount, camount, dp, cp, pb, pc, er, num, den, ratio, base_ratio;
    u128 max_close, by_coll, repay, tokens, base, seized, lim;
    uint8_t da, ca;
    bool deprecated, coll_left = false, debt_left = false;

    if (debt >= p->ndebt || coll >= p->ncoll)
        return false;
    da = p->debt[debt].asset;
    ca = p->coll[coll].asset;
    deprecated = m->ctoken[da].deprecated;
    er = COMPOUND2_ER;
    if (m->ctoken[ca].has_rate &&
        !u256_to_u128(m->ctoken[ca].exchange_rate, &er))
        return false;
    if (!u256_to_u128(p->debt[debt].amount, &damount) ||
        !u256_to_u128(p->coll[coll].amount, &camount) ||
        !u256_to_u128(price[da], &dp) || !u256_to_u128(price[ca], &cp) ||
        !compound2_c128_health(m, p, price, debt, damount, coll, camount,
                               position_has_debt(p), &h))
        return false;
    /* maxClose = closeFactor * borrowBalance, truncated; a deprecated
     * market's whole borrow */
    max_close = damount;
    if (!deprecated &&
        !compound2_c128_mul_exp(&max_close, pr->close_factor, damount))
        return false;
    /* the repay the collateral allows, and the seize's ratio */
    if (!compound2_c128_oracle(m, da, dp, &pb) ||
        !compound2_c128_oracle(m, ca, cp, &pc) ||
        !compound2_c128_mul_exp(&num, pr->liquidation_incentive, pb) ||
        !compound2_c128_mul_exp(&den, pc, er) ||
        !u256_muldiv128(&ratio, num, WAD, den, U256_FLOOR))
        return false;
    if (ratio == 0) {
        by_coll = ~(u128)0; /* u256_max in the general path: above any */
    } else {
        /* floor(((held + 1) 1e18 - 1) / ratio) = ceil((held + 1) 1e18 /
         * ratio) - 1, the product in 256 bits; past 128 bits it is above
         * any maxClose */
        if (__builtin_add_overflow(camount, 1, &lim))
            return false;
        if (u256_muldiv128(&by_coll, lim, WAD, ratio, U256_CEIL))
            by_coll--;
        else
            by_coll = ~(u128)0;
    }
    repay = max_close < by_coll ? max_close : by_coll;
    /* the cTokens seized, and those worth the repay without the bonus */
    if (!compound2_c128_mul_exp(&tokens, ratio, repay) ||
        !compound2_c128_mul_exp(&num, WAD, pb) ||
        !u256_muldiv128(&base_ratio, num, WAD, den, U256_FLOOR) ||
        !compound2_c128_mul_exp(&base, base_ratio, repay) ||
        !compound2_c128_underlying(m, ca, tokens, er, &seized) ||
        !compound2_c128_underlying(m, ca, base, er, &base))
        return false;
    memset(out, 0, sizeof *out);
    out->repay = repay;
    out->seized = seized;
    out->bonus = seized - (base < seized ? base : seized);
    /* what the call leaves: its account must be had, as liquidate has it */
    for (int i = 0; i < p->ndebt; i++)
        debt_left = debt_left || (i == debt ? repay < damount
                                            : !u256_is_zero(p->debt[i].amount));
    for (int i = 0; i < p->ncoll; i++)
        coll_left = coll_left || (i == coll ? tokens < camount
                                            : !u256_is_zero(p->coll[i].amount));
    if (!compound2_c128_health(
            m, p, price, debt, damount - (repay < damount ? repay : damount),
            coll, camount - (tokens < camount ? tokens : camount), debt_left,
            &after))
        return false;
    out->bad_debt_after = !coll_left && debt_left;
    if (!deprecated && !h.liquidatable)
        out->revert = REVERT_NOT_LIQUIDATABLE;
    else if (max_close < repay)
        out->revert = REVERT_TOO_MUCH_REPAY;
    else if (repay == 0)
        out->revert = REVERT_NOTHING_TO_REPAY;
    else if (camount < tokens)
        out->revert = REVERT_INSUFFICIENT_COLLATERAL;
    else
        out->revert = REVERT_NONE;
    return true;
}
