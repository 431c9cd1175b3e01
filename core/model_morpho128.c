/*
 * model_morpho128.c: Morpho Blue's health on 128-bit figures, for the
 * book's hot loop (model.h account128, tick128_prep and tick_account128),
 * and its largest liquidation call, for stress's one call per liquidatable
 * position in each scenario (max_call128): the same answers as
 * model_morpho.c's account and liquidate wherever every figure fits, false
 * where one does not, so that the general path answers.
 *
 * Owns only these twins; the rules are model_morpho.c's and the share
 * maths model_morpho_state.c's. Pure.
 */
#include "core/model.h"

#include <string.h>

#include "core/model_morpho.h"

/* Base-unit value of amount of an asset of dec decimals at price, floor
 * (morpho_value). */
static inline bool
morpho_value128(unsigned dec, u128 amount, u128 price, u128 *out)
{
    return dec <= 38 &&
           u256_muldiv128(out, amount, price, u256_pow10_128(dec), U256_FLOOR);
}

/*
 * The oracle price of collateral c in loan d, as model_morpho_oracle_price,
 * from 128-bit prices: past 128 bits for a costly collateral against a loan
 * of few decimals (WBTC against USDC is about 1e39), so it is held in 256
 * bits. False where model_morpho_oracle_price fails.
 */
static bool
morpho_oracle128(const struct market *m, uint8_t c, uint8_t d, u128 pc, u128 pd,
                 struct u256 *out)
{
    int e = 36 + (int)m->assets[d].decimals - (int)m->assets[c].decimals;
    u128 o;

    if (m->morpho.has_oracle) {
        *out = m->morpho.oracle_price;
        return true;
    }
    if (e >= 0 && e <= 38 && pd != 0 &&
        u256_muldiv128(&o, pc, u256_pow10_128((unsigned)e), pd, U256_FLOOR)) {
        *out = u256_from_u128(o); /* the same floor, in 128 bits */
        return true;
    }
    return model_morpho_oracle_price(out, u256_from_u128(pc),
                                     m->assets[c].decimals, u256_from_u128(pd),
                                     m->assets[d].decimals) == 0;
}

/*
 * The health half of morpho_account on 128-bit figures: collateral coll of
 * asset c against a debt (not zero) at oracle price o, into out's hf,
 * liquidatable and bad_debt.
 */
static inline bool
morpho_health128(const struct market *m, uint8_t c, u128 coll, u128 debt,
                 const struct u256 *o, struct model_account128 *out)
{
    u128 oracle, v, maxb;
    struct u256 w;

    if (u256_to_u128(*o, &oracle)) {
        if (!u256_muldiv128_pow10(&v, coll, oracle, 36))
            return false;
    } else if (u256_muldiv(&w, u256_from_u128(coll), *o, u256_exp10(36),
                           U256_FLOOR) != 0 ||
               !u256_to_u128(w, &v)) {
        return false;
    }
    if (!u256_muldiv128(&maxb, v, m->assets[c].lt, WAD, U256_FLOOR) ||
        !u256_muldiv128(&out->hf, maxb, WAD, debt, U256_FLOOR))
        return false;
    out->liquidatable = maxb < debt;
    out->bad_debt = v < debt;
    return true;
}

/* account128, with the oracle price at hand in *o when o is not NULL (it
 * is then what morpho_oracle128 gives for the position's pair). */
static inline bool
morpho_whole128(const struct market *m, const uint8_t *asset,
                const u128 *amount, unsigned ncoll, unsigned ndebt,
                const u128 *price, const struct u256 *o,
                struct model_account128 *out)
{
    struct u256 oracle;

    u128 debt = ndebt == 1 ? amount[ncoll] : 0;

    if (ncoll > 1 || ndebt > 1)
        return false;
    /* Borrow shares owed as toAssetsUp on the totals accrued at load;
     * refused where those are not for this moment. */
    if (m->morpho.has_state && debt != 0) {
        struct morpho_totals t = {.assets = m->morpho.acc_borrow_assets,
                                  .shares = m->morpho.acc_borrow_shares};
        struct u256 owed;

        if (!m->morpho.accrued || m->morpho.acc_at != m->as_of ||
            model_morpho_state_convert(&owed, u256_from_u128(debt), &t, false,
                                       true) != 0 ||
            !u256_to_u128(owed, &debt))
            return false;
    }
    memset(out, 0, sizeof(*out));
    if (ncoll == 1 && !morpho_value128(m->assets[asset[0]].decimals, amount[0],
                                       price[asset[0]], &out->coll_value))
        return false;
    if (ndebt == 1 && !morpho_value128(m->assets[asset[ncoll]].decimals, debt,
                                       price[asset[ncoll]], &out->debt_value))
        return false;
    out->has_debt = debt != 0;
    if (!out->has_debt)
        return true;
    if (ncoll == 0) {
        out->liquidatable = true;
        out->bad_debt = true;
        return true;
    }
    if (o == NULL) {
        if (!morpho_oracle128(m, asset[0], asset[1], price[asset[0]],
                              price[asset[1]], &oracle))
            return false;
        o = &oracle;
    }
    return morpho_health128(m, asset[0], amount[0], debt, o, out);
}

bool
model_morpho128_account(const struct market *m, const uint8_t *asset,
                        const u128 *amount, unsigned ncoll, unsigned ndebt,
                        const u128 *price, struct model_account128 *out)
{
    return morpho_whole128(m, asset, amount, ncoll, ndebt, price, NULL, out);
}

/* A move in a market of two assets (Morpho's own shape): a position's
 * pair is one of two, and the oracle price of each is had once here. */
bool
model_morpho128_tick_prep(struct model_tick128 *t)
{
    const struct market *m = t->m;

    if (m->nassets != 2 || t->price == NULL)
        return false;
    t->oracles = 0;
    for (uint8_t c = 0; c < 2; c++) {
        uint8_t d = (uint8_t)(1 - c);
        if (morpho_oracle128(m, c, d, t->price[c], t->price[d], &t->oracle[c]))
            t->oracles = (uint8_t)(t->oracles | (1u << c));
    }
    return true;
}

/* account128 on a prepared move: the pair's oracle price from the
 * preparation, computed again only where it could not be had there (so
 * as to fail as account128 does, or not, as the position needs it). */
bool
model_morpho128_tick_account(const struct model_tick128 *t,
                             const uint8_t *asset, const u128 *amount,
                             unsigned ncoll, unsigned ndebt,
                             struct model_account128 *out)
{
    const struct u256 *o = NULL;

    if (ncoll == 1 && ndebt == 1 && asset[1] == 1 - asset[0] &&
        ((t->oracles >> asset[0]) & 1u) != 0)
        o = &t->oracle[asset[0]];
    return morpho_whole128(t->m, asset, amount, ncoll, ndebt, t->price, o, out);
}

/* Morpho.sol's LIQUIDATION_CURSOR and MAX_LIQUIDATION_INCENTIVE */
#define MORPHO128_CURSOR 300000000000000000ULL
#define MORPHO128_MAX_LIF 1150000000000000000ULL

/* floor(x * 1e36 / o) for the oracle price o (of any width): false where
 * the quotient passes 128 bits (it is then above any 128-bit figure). */
static bool
morpho_in_coll128(u128 x, const struct u256 *o, u128 *out)
{
    struct u256 w;
    u128 oracle;

    if (u256_to_u128(*o, &oracle))
        return u256_muldiv128(out, x, u256_pow10_128(36), oracle, U256_FLOOR);
    return u256_muldiv(&w, u256_from_u128(x), u256_exp10(36), *o, U256_FLOOR) ==
               0 &&
           u256_to_u128(w, out);
}

/* morpho_seized_assets: a.wMulDown(LIF).mulDivDown(1e36, oracle); *fits
 * whether it is at most coll (false too past 128 bits). False where a
 * step cannot be told in 128 bits. */
static bool
morpho_seized128(u128 a, u128 lif, const struct u256 *o, u128 coll, u128 *out,
                 bool *fits)
{
    u128 x;

    if (!u256_muldiv128(&x, a, lif, WAD, U256_FLOOR))
        return false;
    *fits = morpho_in_coll128(x, o, out) && *out <= coll;
    return true;
}

/*
 * model.h max_call128 for Morpho Blue without the market's state (the
 * position its only borrower: D assets, D * 1e6 shares of a market of D
 * assets), where the share maths is exact: toAssetsDown(s) = floor(s /
 * 1e6), toAssetsUp(s) = ceil(s / 1e6), toSharesDown(a) = a * 1e6. The
 * largest call then burns 1e6 * A shares, A = min(D, a*) with a* the
 * largest repay whose seizure fits the collateral, found directly:
 * floor(floor(a LIF / 1e18) 1e36 / oracle) <= C exactly when a <=
 * ceil((X + 1) 1e18 / LIF) - 1, X = ceil((C + 1) oracle / 1e36) - 1 (and
 * checked: a* fits, a* + 1 does not). The same repay, seized, bonus, bad
 * debt and revert as morpho_liquidate's largest call; false with state,
 * where a figure passes 128 bits (D * 1e6 among them) or where liquidate
 * fails (a zero oracle price, an LLTV above 1).
 */
bool
model_morpho128_max_call(const struct market *m, const struct position *p,
                         const struct u256 *price, uint8_t debt, uint8_t coll,
                         struct model_call128 *out)
{
    u128 px[MARKET_ASSETS_MAX], amount[2], d, c, t, lif, a, seized, base;
    uint8_t asset[2];
    uint64_t lltv;
    struct model_account128 acct;
    struct u256 o, w;
    bool fits;

    if (debt != 0 || coll != 0 || p->ncoll != 1 || p->ndebt != 1 ||
        m->morpho.has_state)
        return false;
    asset[0] = p->coll[0].asset;
    asset[1] = p->debt[0].asset;
    memset(px, 0, sizeof px);
    if (asset[0] >= m->nassets || asset[1] >= m->nassets ||
        !u256_to_u128(p->coll[0].amount, &c) ||
        !u256_to_u128(p->debt[0].amount, &d) ||
        __builtin_mul_overflow(d, (u128)1000000, &t) ||
        !u256_to_u128(price[asset[0]], &px[asset[0]]) ||
        !u256_to_u128(price[asset[1]], &px[asset[1]]))
        return false;
    amount[0] = c;
    amount[1] = d;
    if (!model_morpho128_account(m, asset, amount, 1, 1, px, &acct) ||
        !morpho_oracle128(m, asset[0], asset[1], px[asset[0]], px[asset[1]],
                          &o) ||
        u256_is_zero(o))
        return false;
    /* LIF = min(1.15, wDivDown(1, 1 - wMulDown(0.3, 1 - LLTV))) */
    lltv = m->assets[asset[0]].lt;
    if (lltv > WAD)
        return false;
    t = WAD - (u128)MORPHO128_CURSOR * (WAD - lltv) / WAD;
    lif = (u128)WAD * WAD / t;
    if (lif > MORPHO128_MAX_LIF)
        lif = MORPHO128_MAX_LIF;
    /* A: all of the debt where its seizure fits, else a* */
    if (!morpho_seized128(d, lif, &o, c, &seized, &fits))
        return false;
    a = d;
    if (!fits) {
        u128 x, s1;
        bool f1;

        if (c == ~(u128)0)
            return false;
        if (u256_to_u128(o, &t)) {
            if (!u256_muldiv128(&x, c + 1, t, u256_pow10_128(36), U256_CEIL))
                return false;
        } else if (u256_muldiv(&w, u256_from_u128(c + 1), o, u256_exp10(36),
                               U256_CEIL) != 0 ||
                   !u256_to_u128(w, &x)) {
            return false;
        }
        if (!u256_muldiv128(&a, x, WAD, lif, U256_CEIL) || a == 0)
            return false;
        a--; /* ceil(((X + 1) 1e18) / LIF) - 1, X + 1 = x */
        if (a >= d || !morpho_seized128(a, lif, &o, c, &seized, &fits) ||
            !fits || !morpho_seized128(a + 1, lif, &o, c, &s1, &f1) || f1)
            return false;
    }
    /* the bonus: the seizure less the repay's worth in collateral (LIF
     * >= 1: that worth is at most the seizure) */
    if (!morpho_in_coll128(a, &o, &base))
        return false;
    memset(out, 0, sizeof *out);
    out->repay = a;
    out->seized = seized;
    out->bonus = seized - (base < seized ? base : seized);
    out->bad_debt_after = seized >= c && a < d;
    if (a == 0)
        out->revert = REVERT_NOTHING_TO_REPAY;
    else if (!acct.liquidatable)
        out->revert = REVERT_NOT_LIQUIDATABLE;
    else
        out->revert = REVERT_NONE;
    return true;
}
