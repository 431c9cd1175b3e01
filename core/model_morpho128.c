/*
 * model_morpho128.c: Morpho Blue's health on 128-bit figures, for the
 * book's hot loop (model.h account128, tick128_prep and tick_account128):
 * the same answer as model_morpho.c's account wherever every figure fits,
 * false where one does not, so that the general path answers.
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
