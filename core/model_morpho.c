/*
 * model_morpho.c: Morpho Blue as Morpho.sol computes it: one collateral
 * and one loan asset, health against LLTV, the liquidation incentive factor
 * LIF = min(1.15, 1 / (1 - 0.3 (1 - LLTV))), and a repay given in loan
 * assets following the repaidShares path with one share per asset
 * (liquidation-mechanics.md section 7, design.md section 3).
 *
 * Owns the Morpho rules only. No close factor, no protocol fee; over-seizing
 * reverts. Pure.
 */
#include "core/model.h"

#include <string.h>

#include "core/liq.h"
#include "core/model_morpho.h"

#define MORPHO_CURSOR 300000000000000000ULL   /* LIQUIDATION_CURSOR */
#define MORPHO_MAX_LIF 1150000000000000000ULL /* MAX_LIQUIDATION_INCENTIVE */

int
model_morpho_lif(struct u256 *out, uint64_t lltv)
{
    struct u256 t, lif;
    int rc;

    if (lltv > WAD)
        return LIQ_ERANGE;
    /* wDivDown(WAD, WAD - wMulDown(CURSOR, WAD - lltv)) */
    rc = u256_muldiv(&t, u256_from_u64(MORPHO_CURSOR),
                     u256_from_u64(WAD - lltv), u256_from_u64(WAD), U256_FLOOR);
    if (rc == 0)
        rc = u256_sub(&t, u256_from_u64(WAD), t);
    if (rc == 0)
        rc = u256_muldiv(&lif, u256_from_u64(WAD), u256_from_u64(WAD), t,
                         U256_FLOOR);
    if (rc != 0)
        return rc;
    *out = u256_min(lif, u256_from_u64(MORPHO_MAX_LIF));
    return 0;
}

int
model_morpho_to_assets_up(struct u256 *out, struct u256 shares,
                          struct u256 total_assets, struct u256 total_shares)
{
    struct u256 a, sh;
    int rc = u256_add(&a, total_assets, u256_from_u64(1));

    if (rc == 0)
        rc = u256_add(&sh, total_shares, u256_from_u64(1000000));
    if (rc == 0)
        rc = u256_muldiv(out, shares, a, sh, U256_CEIL);
    return rc;
}

int
model_morpho_oracle_price(struct u256 *out, struct u256 p_coll,
                          unsigned coll_dec, struct u256 p_loan,
                          unsigned loan_dec)
{
    int e = 36 + (int)loan_dec - (int)coll_dec;

    if (u256_is_zero(p_loan))
        return LIQ_EDIVZERO;
    if (e > 77)
        return LIQ_EOVERFLOW;
    if (e >= 0)
        return u256_muldiv(out, p_coll, u256_exp10((unsigned)e), p_loan,
                           U256_FLOOR);
    {
        struct u256 den;
        int rc = u256_mul(&den, p_loan, u256_exp10((unsigned)-e));

        if (rc != 0)
            return rc;
        return u256_div(out, p_coll, den, U256_FLOOR);
    }
}

static int
morpho_check_position(const struct market *m, const struct position *p,
                      char *err, size_t errlen)
{
    const char *msg = NULL;

    (void)m;
    if (p->ncoll > 1)
        msg = "morpho-blue: one collateral asset per position";
    else if (p->ndebt > 1)
        msg = "morpho-blue: one loan asset per position";
    else if (p->ncoll == 1 && p->ndebt == 1 &&
             p->coll[0].asset == p->debt[0].asset)
        msg = "morpho-blue: collateral and loan must be different assets";
    if (msg == NULL)
        return 0;
    if (errlen > 0) {
        size_t n = strlen(msg) < errlen - 1 ? strlen(msg) : errlen - 1;

        memcpy(err, msg, n);
        err[n] = '\0';
    }
    return LIQ_EINVAL;
}

/* The market oracle's price of the position's collateral in its loan. */
static int
morpho_price(const struct market *m, const struct position *p,
             const struct u256 *price, struct u256 *out)
{
    uint8_t c = p->coll[0].asset, d = p->debt[0].asset;

    return model_morpho_oracle_price(out, price[c], m->assets[c].decimals,
                                     price[d], m->assets[d].decimals);
}

/* maxBorrow = wMulDown(mulDivDown(collateral, price, 1e36), lltv) */
static int
morpho_max_borrow(const struct market *m, const struct position *p,
                  struct u256 oracle, struct u256 *out, struct u256 *in_loan)
{
    struct u256 v;
    int rc =
        u256_muldiv(&v, p->coll[0].amount, oracle, u256_exp10(36), U256_FLOOR);

    if (rc == 0)
        rc = u256_muldiv(out, v, u256_from_u64(m->assets[p->coll[0].asset].lt),
                         u256_from_u64(WAD), U256_FLOOR);
    if (rc == 0 && in_loan != NULL)
        *in_loan = v;
    return rc;
}

/* Base-unit value of one leg, floor. */
static int
morpho_value(const struct market *m, const struct leg *l,
             const struct u256 *price, struct u256 *out)
{
    return u256_muldiv(out, l->amount, price[l->asset],
                       u256_exp10(m->assets[l->asset].decimals), U256_FLOOR);
}

static int
morpho_account(const struct market *m, const struct position *p,
               const struct u256 *price, struct account *out)
{
    struct u256 coll = u256_zero(), debt = u256_zero(), oracle, maxb, in_loan;
    int rc;

    if (p->ncoll > 1 || p->ndebt > 1)
        return LIQ_EINVAL;
    if (p->ncoll == 1) {
        rc = morpho_value(m, &p->coll[0], price, &coll);
        if (rc != 0)
            return rc;
    }
    if (p->ndebt == 1) {
        rc = morpho_value(m, &p->debt[0], price, &debt);
        if (rc != 0)
            return rc;
    }
    out->coll_value = coll;
    out->debt_value = debt;
    out->has_debt = position_has_debt(p);
    out->hf = u256_max();
    out->liquidatable = false;
    out->bad_debt = false;
    if (!out->has_debt)
        return 0;
    if (p->ncoll == 0) {
        out->hf = u256_zero();
        out->liquidatable = true;
        out->bad_debt = true;
        return 0;
    }
    rc = morpho_price(m, p, price, &oracle);
    if (rc == 0)
        rc = morpho_max_borrow(m, p, oracle, &maxb, &in_loan);
    /* HF = wDivDown(maxBorrow, borrowed) (blue-sdk getHealthFactor);
     * below 1 exactly when borrowed > maxBorrow, Morpho's own test. */
    if (rc == 0)
        rc = u256_muldiv(&out->hf, maxb, u256_from_u64(WAD), p->debt[0].amount,
                         U256_FLOOR);
    if (rc != 0)
        return rc;
    out->liquidatable = u256_lt(maxb, p->debt[0].amount);
    /* Collateral worth less than the debt, in the market's own oracle. */
    out->bad_debt = u256_lt(in_loan, p->debt[0].amount);
    return 0;
}

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

    if (ncoll > 1 || ndebt > 1)
        return false;
    memset(out, 0, sizeof(*out));
    if (ncoll == 1 && !morpho_value128(m->assets[asset[0]].decimals, amount[0],
                                       price[asset[0]], &out->coll_value))
        return false;
    if (ndebt == 1 &&
        !morpho_value128(m->assets[asset[ncoll]].decimals, amount[ncoll],
                         price[asset[ncoll]], &out->debt_value))
        return false;
    out->has_debt = ndebt == 1 && amount[ncoll] != 0;
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
    return morpho_health128(m, asset[0], amount[0], amount[1], o, out);
}

static bool
morpho_account128(const struct market *m, const uint8_t *asset,
                  const u128 *amount, unsigned ncoll, unsigned ndebt,
                  const u128 *price, struct model_account128 *out)
{
    return morpho_whole128(m, asset, amount, ncoll, ndebt, price, NULL, out);
}

/* A move in a market of two assets (Morpho's own shape): a position's
 * pair is one of two, and the oracle price of each is had once here. */
static bool
morpho_tick128_prep(struct model_tick128 *t)
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
static bool
morpho_tick_account128(const struct model_tick128 *t, const uint8_t *asset,
                       const u128 *amount, unsigned ncoll, unsigned ndebt,
                       struct model_account128 *out)
{
    const struct u256 *o = NULL;

    if (ncoll == 1 && ndebt == 1 && asset[1] == 1 - asset[0] &&
        ((t->oracles >> asset[0]) & 1u) != 0)
        o = &t->oracle[asset[0]];
    return morpho_whole128(t->m, asset, amount, ncoll, ndebt, t->price, o, out);
}

/* seized = mulDivDown(wMulDown(repaid, LIF), 1e36, price) */
static int
morpho_seized(struct u256 repay, struct u256 lif, struct u256 oracle,
              struct u256 *out)
{
    struct u256 t;
    int rc = u256_muldiv(&t, repay, lif, u256_from_u64(WAD), U256_FLOOR);

    if (rc == 0)
        rc = u256_muldiv(out, t, u256_exp10(36), oracle, U256_FLOOR);
    return rc;
}

/* The largest repay (at most the debt) whose seized collateral fits. The
 * seized amount only grows with the repay, so bisect. */
static int
morpho_max_repay(struct u256 debt, struct u256 coll, struct u256 lif,
                 struct u256 oracle, struct u256 *out)
{
    struct u256 lo = u256_zero(), hi = debt, s;
    int rc = morpho_seized(hi, lif, oracle, &s);

    if (rc == 0 && u256_le(s, coll)) {
        *out = hi;
        return 0;
    }
    /* Invariant: lo fits (0 seizes nothing), hi does not. */
    while (true) {
        struct u256 span = u256_zero(), mid = u256_zero();

        (void)u256_sub(&span, hi, lo);
        if (u256_le(span, u256_from_u64(1)))
            break;
        (void)u256_div(&span, span, u256_from_u64(2), U256_FLOOR);
        (void)u256_add(&mid, lo, span);
        rc = morpho_seized(mid, lif, oracle, &s);
        if (rc == 0 && u256_le(s, coll))
            lo = mid;
        else
            hi = mid;
    }
    *out = lo;
    return 0;
}

static int
morpho_liquidate(const struct market *m, const struct position *p,
                 const struct u256 *price, const struct liq_call *call,
                 struct liq_result *out)
{
    struct account acct, after;
    struct u256 oracle, lif, base;
    struct liq_result r;
    struct position q;
    int rc;

    if (call->debt != 0 || call->coll != 0 || p->ndebt != 1 || p->ncoll != 1)
        return LIQ_EINVAL;
    rc = morpho_account(m, p, price, &acct);
    if (rc == 0)
        rc = morpho_price(m, p, price, &oracle);
    if (rc == 0 && u256_is_zero(oracle))
        rc = LIQ_EDIVZERO;
    if (rc == 0)
        rc = model_morpho_lif(&lif, m->assets[p->coll[0].asset].lt);
    if (rc != 0)
        return rc;
    memset(&r, 0, sizeof(r));
    r.close_factor = u256_from_u64(WAD);
    rc = morpho_max_repay(p->debt[0].amount, p->coll[0].amount, lif, oracle,
                          &r.max_repay);
    if (rc != 0)
        return rc;
    r.repay = call->max ? r.max_repay : call->repay;
    rc = morpho_seized(r.repay, lif, oracle, &r.seized);
    if (rc == 0)
        rc = u256_muldiv(&base, r.repay, u256_exp10(36), oracle, U256_FLOOR);
    if (rc != 0)
        return rc;
    r.to_liquidator = r.seized;
    (void)u256_sub(&r.bonus, r.seized, u256_min(base, r.seized));

    q = *p;
    (void)u256_sub(&q.debt[0].amount, q.debt[0].amount,
                   u256_min(r.repay, q.debt[0].amount));
    (void)u256_sub(&q.coll[0].amount, q.coll[0].amount,
                   u256_min(r.seized, q.coll[0].amount));
    r.bad_debt_after =
        u256_is_zero(q.coll[0].amount) && !u256_is_zero(q.debt[0].amount);
    if (r.bad_debt_after) {
        /* Morpho realizes the remaining borrow as bad debt. */
        q.debt[0].amount = u256_zero();
    }
    rc = morpho_account(m, &q, price, &after);
    if (rc != 0)
        return rc;
    r.hf_after = after.hf;
    r.lowers_health = u256_lt(after.hf, acct.hf);
    /* exactlyOneZero (INCONSISTENT_INPUT) comes before health. */
    if (u256_is_zero(r.repay))
        r.revert = REVERT_NOTHING_TO_REPAY;
    else if (!acct.liquidatable)
        r.revert = REVERT_NOT_LIQUIDATABLE;
    else if (u256_lt(p->debt[0].amount, r.repay))
        r.revert = REVERT_TOO_MUCH_REPAY;
    else if (u256_lt(p->coll[0].amount, r.seized))
        r.revert = REVERT_INSUFFICIENT_COLLATERAL;
    else
        r.revert = REVERT_NONE;
    *out = r;
    return 0;
}

const struct model_ops model_morpho_ops = {
    .name = "morpho-blue",
    .check_position = morpho_check_position,
    .account = morpho_account,
    .liquidate = morpho_liquidate,
    .tick128_prep = morpho_tick128_prep,
    .account128 = morpho_account128,
    .tick_account128 = morpho_tick_account128,
};
