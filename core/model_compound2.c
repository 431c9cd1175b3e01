/*
 * model_compound2.c: Compound v2 as the Comptroller and CToken compute it:
 * Exp (1e18 mantissa) products truncated at each step, the shortfall test,
 * the close factor per borrowed market, seizeTokens, and the 2.8 %
 * protocol seize share (liquidation-mechanics.md section 4).
 *
 * Decisions (documented in README): collateral amounts are underlying, so
 * the exchange rate is 1 (mantissa 1e18), unless the asset gives its
 * exchange_rate_mantissa: then its collateral legs hold cTokens, valued and
 * seized through that rate (a liq_result's collateral amounts stay in
 * underlying, the cTokens' worth truncated as mul_ScalarTruncate does, and
 * seize_tokens holds the cTokens); the oracle price of an asset is
 * its base-unit price scaled to 1e(36 - decimals) USD as Compound's oracles
 * are. The health factor is derived (sumCollateral / sumBorrow, floor), and
 * is below 1 exactly when the shortfall is positive. Pure.
 */
#include "core/model.h"

#include <string.h>

#include "core/liq.h"
#include "core/model_compound.h"

/* Compound's exchange rate when cTokens are counted as underlying. */
#define COMPOUND2_ER WAD

/* The asset's exchange rate mantissa: its exchangeRateStored, else 1e18. */
static inline struct u256
compound2_er(const struct market *m, uint8_t asset)
{
    return m->ctoken[asset].has_rate ? m->ctoken[asset].exchange_rate
                                     : u256_from_u64(COMPOUND2_ER);
}

/* mul_ScalarTruncate(Exp(er), tokens): the underlying worth of cTokens. */
static int
compound2_underlying(const struct market *m, uint8_t asset, struct u256 tokens,
                     struct u256 *out)
{
    if (!m->ctoken[asset].has_rate) {
        *out = tokens;
        return 0;
    }
    return u256_muldiv(out, m->ctoken[asset].exchange_rate, tokens,
                       u256_from_u64(WAD), U256_FLOOR);
}

/* Oracle mantissa: p_base * 10^(36 - decimals - base_decimals). */
static int
compound2_oracle(struct u256 *out, const struct market *m, uint8_t asset,
                 struct u256 price)
{
    int e = 36 - (int)m->assets[asset].decimals - (int)m->base_decimals;

    if (e >= 0)
        return u256_mul(out, price, u256_exp10((unsigned)e));
    return u256_div(out, price, u256_exp10((unsigned)-e), U256_FLOOR);
}

/* Exp mul: a * b / 1e18, truncated. */
static int
compound2_mul_exp(struct u256 *r, struct u256 a, struct u256 b)
{
    return u256_muldiv(r, a, b, u256_from_u64(WAD), U256_FLOOR);
}

int
model_compound2_seize_tokens(struct u256 *out, struct u256 er, struct u256 pb,
                             struct u256 pc, struct u256 li, struct u256 repay)
{
    struct u256 num, den, ratio;
    int rc;

    /* numerator = LI * pB; denominator = pC * ER; ratio = num / den;
     * seizeTokens = ratio * repay (Comptroller.liquidateCalculateSeize). */
    rc = compound2_mul_exp(&num, li, pb);
    if (rc == 0)
        rc = compound2_mul_exp(&den, pc, er);
    if (rc == 0)
        rc = u256_muldiv(&ratio, num, u256_from_u64(WAD), den, U256_FLOOR);
    if (rc == 0)
        rc = compound2_mul_exp(out, ratio, repay);
    return rc;
}

int
model_compound2_mint_tokens(struct u256 *out, struct u256 er,
                            struct u256 amount)
{
    struct u256 p;

    /* div_(uint a, Exp b) = mul_(a, expScale) / b.mantissa, checked */
    if (u256_mul(&p, amount, u256_from_u64(WAD)) != 0)
        return LIQ_EOVERFLOW;
    return u256_div(out, p, er, U256_FLOOR);
}

/*
 * The sums (model.h): s[0] sumCollateral (CF * ER * oracle * tokens, each
 * product truncated), s[1] sumBorrowPlusEffects, s[2] and s[3] the
 * collateral and debt values in base units (floor).
 */
static int
compound2_term(const struct market *m, uint8_t asset, bool debt,
               struct u256 amount, struct u256 price, struct model_sums *out)
{
    struct u256 o, t;
    int rc;

    memset(out, 0, sizeof(*out));
    rc = compound2_oracle(&o, m, asset, price);
    if (rc != 0)
        return rc;
    if (debt) {
        rc = compound2_mul_exp(&out->s[1], o, amount);
    } else {
        /* tokensToDenom = CF * ER * price; sum += tokensToDenom * tokens */
        rc = compound2_mul_exp(&t, u256_from_u64(m->assets[asset].lt),
                               compound2_er(m, asset));
        if (rc == 0)
            rc = compound2_mul_exp(&t, t, o);
        if (rc == 0)
            rc = compound2_mul_exp(&out->s[0], t, amount);
        /* the value in base units, of the cTokens' underlying */
        if (rc == 0)
            rc = compound2_underlying(m, asset, amount, &amount);
    }
    if (rc == 0)
        rc = u256_muldiv(&out->s[debt ? 3 : 2], amount, price,
                         u256_exp10(m->assets[asset].decimals), U256_FLOOR);
    return rc;
}

static int
compound2_finish(const struct market *m, const struct model_sums *sums,
                 bool has_debt, struct account *out)
{
    struct u256 sum_coll = sums->s[0], sum_borrow = sums->s[1];
    struct u256 coll = sums->s[2], debt = sums->s[3];
    int rc;

    (void)m;
    out->has_debt = has_debt;
    if (!out->has_debt || u256_is_zero(sum_borrow)) {
        out->hf = u256_max();
        out->liquidatable = false;
    } else {
        rc = u256_muldiv(&out->hf, sum_coll, u256_from_u64(WAD), sum_borrow,
                         U256_FLOOR);
        if (rc != 0)
            return rc;
        out->liquidatable = u256_lt(sum_coll, sum_borrow);
    }
    out->coll_value = coll;
    out->debt_value = debt;
    out->bad_debt = out->has_debt && u256_lt(coll, debt);
    return 0;
}

static bool
compound2_term128(const struct market *m, uint8_t asset, bool debt, u128 amount,
                  u128 price, struct model_sums128 *out)
{
    int e = 36 - (int)m->assets[asset].decimals - (int)m->base_decimals;
    u128 o, t;

    memset(out, 0, sizeof(*out));
    /* the oracle mantissa, as compound2_oracle */
    if (e >= 0) {
        if (__builtin_mul_overflow(price, u256_pow10_128((unsigned)e), &o))
            return false;
    } else if (-e > 38) {
        return false;
    } else if (!u256_muldiv128(&o, price, 1, u256_pow10_128((unsigned)-e),
                               U256_FLOOR)) {
        return false;
    }
    if (debt) {
        if (!u256_muldiv128(&out->s[1], o, amount, WAD, U256_FLOOR))
            return false;
    } else if (m->ctoken[asset].has_rate) {
        /* cTokens: through the asset's exchange rate, and valued as the
         * underlying they are worth */
        u128 er;

        if (!u256_to_u128(m->ctoken[asset].exchange_rate, &er) ||
            !u256_muldiv128(&t, m->assets[asset].lt, er, WAD, U256_FLOOR) ||
            !u256_muldiv128(&t, t, o, WAD, U256_FLOOR) ||
            !u256_muldiv128(&out->s[0], t, amount, WAD, U256_FLOOR) ||
            !u256_muldiv128(&amount, er, amount, WAD, U256_FLOOR))
            return false;
    } else if (!u256_muldiv128(&t, m->assets[asset].lt, COMPOUND2_ER, WAD,
                               U256_FLOOR) ||
               !u256_muldiv128(&t, t, o, WAD, U256_FLOOR) ||
               !u256_muldiv128(&out->s[0], t, amount, WAD, U256_FLOOR)) {
        return false;
    }
    return m->assets[asset].decimals <= 38 &&
           u256_muldiv128(&out->s[debt ? 3 : 2], amount, price,
                          u256_pow10_128(m->assets[asset].decimals),
                          U256_FLOOR);
}

/* Compound's terms chain several truncated products: the fused form is
 * the two terms and the moves of the two sums they touch. */
static bool
compound2_retick128(const struct market *m, uint8_t asset, bool debt,
                    u128 amount, u128 p_old, u128 p_new,
                    struct model_sums128 *sums)
{
    struct model_sums128 to, tn, r = *sums;
    int k = debt ? 1 : 0, v = debt ? 3 : 2;

    if (!compound2_term128(m, asset, debt, amount, p_old, &to) ||
        !compound2_term128(m, asset, debt, amount, p_new, &tn) ||
        !model_sum128_move(&r.s[k], to.s[k], tn.s[k]) ||
        !model_sum128_move(&r.s[v], to.s[v], tn.s[v]))
        return false;
    *sums = r;
    return true;
}

static bool
compound2_finish128(const struct market *m, const struct model_sums128 *sums,
                    bool has_debt, struct model_health128 *out)
{
    (void)m;
    memset(out, 0, sizeof(*out));
    if (!has_debt)
        return true;
    /* Debt legs but nothing borrowed in value: health past 128 bits. */
    if (sums->s[1] == 0 ||
        !u256_muldiv128(&out->hf, sums->s[0], WAD, sums->s[1], U256_FLOOR))
        return false;
    out->has_debt = true;
    out->liquidatable = sums->s[0] < sums->s[1];
    out->bad_debt = sums->s[2] < sums->s[3];
    return true;
}

/* The oracle mantissa of price for asset, as compound2_term128. */
static bool
compound2_oracle128(const struct market *m, uint8_t asset, u128 price, u128 *o)
{
    int e = 36 - (int)m->assets[asset].decimals - (int)m->base_decimals;

    if (e >= 0)
        return !__builtin_mul_overflow(price, u256_pow10_128((unsigned)e), o);
    return -e <= 38 && u256_muldiv128(o, price, 1, u256_pow10_128((unsigned)-e),
                                      U256_FLOOR);
}

/* model_tick128 for Compound v2: k[0], k[1] the oracle mantissa at po and
 * pn, k[2], k[3] tokensToDenom at them, k[4] the exchange rate; unit the
 * asset's 10^decimals; mode's bits below. */
#define COMPOUND2_TICK_RATE 0x01u   /* cTokens: through the exchange rate */
#define COMPOUND2_TICK_NOCOLL 0x02u /* a collateral leg's term refuses */

/* What compound2_term128 computes from the price alone, at both prices:
 * false where it refuses every leg (then retick128 does too). */
static bool
compound2_tick128_prep(struct model_tick128 *t)
{
    const struct market *m = t->m;
    uint8_t a = t->asset;
    u128 er = COMPOUND2_ER, c;

    if (m->assets[a].decimals > 38 ||
        !compound2_oracle128(m, a, t->po, &t->k[0]) ||
        !compound2_oracle128(m, a, t->pn, &t->k[1]))
        return false;
    t->unit = u256_pow10_128(m->assets[a].decimals);
    t->mode = 0;
    if (m->ctoken[a].has_rate) {
        t->mode = COMPOUND2_TICK_RATE;
        if (!u256_to_u128(m->ctoken[a].exchange_rate, &er))
            t->mode |= COMPOUND2_TICK_NOCOLL;
    }
    t->k[4] = er;
    if (!(t->mode & COMPOUND2_TICK_NOCOLL) &&
        (!u256_muldiv128(&c, m->assets[a].lt, er, WAD, U256_FLOOR) ||
         !u256_muldiv128(&t->k[2], c, t->k[0], WAD, U256_FLOOR) ||
         !u256_muldiv128(&t->k[3], c, t->k[1], WAD, U256_FLOOR)))
        t->mode |= COMPOUND2_TICK_NOCOLL;
    return true;
}

/* One leg's two sums (k and v of compound2_retick128) at price side n of
 * the prepared move (0 before, 1 after), as compound2_term128 gives them. */
static inline bool
compound2_terms_at(const struct model_tick128 *t, bool debt, u128 amount, int n,
                   u128 *sk, u128 *sv)
{
    u128 p = n ? t->pn : t->po;

    if (debt)
        return u256_muldiv128(sk, t->k[n], amount, WAD, U256_FLOOR) &&
               u256_muldiv128(sv, amount, p, t->unit, U256_FLOOR);
    if ((t->mode & COMPOUND2_TICK_NOCOLL) ||
        !u256_muldiv128(sk, t->k[2 + n], amount, WAD, U256_FLOOR))
        return false;
    if ((t->mode & COMPOUND2_TICK_RATE) &&
        !u256_muldiv128(&amount, t->k[4], amount, WAD, U256_FLOOR))
        return false;
    return u256_muldiv128(sv, amount, p, t->unit, U256_FLOOR);
}

/* retick128 on a prepared move. */
static bool
compound2_move128(const struct model_tick128 *t, bool debt, u128 amount,
                  struct model_sums128 *sums)
{
    struct model_sums128 r = *sums;
    int k = debt ? 1 : 0, v = debt ? 3 : 2;
    u128 ko, vo, kn, vn;

    if (!compound2_terms_at(t, debt, amount, 0, &ko, &vo) ||
        !compound2_terms_at(t, debt, amount, 1, &kn, &vn) ||
        !model_sum128_move(&r.s[k], ko, kn) ||
        !model_sum128_move(&r.s[v], vo, vn))
        return false;
    *sums = r;
    return true;
}

/* term128 at the prepared pn, added to the sums. */
static bool
compound2_add128(const struct model_tick128 *t, bool debt, u128 amount,
                 struct model_sums128 *sums)
{
    int k = debt ? 1 : 0, v = debt ? 3 : 2;
    u128 kn, vn, sk, sv;

    if (!compound2_terms_at(t, debt, amount, 1, &kn, &vn) ||
        __builtin_add_overflow(sums->s[k], kn, &sk) ||
        __builtin_add_overflow(sums->s[v], vn, &sv))
        return false;
    sums->s[k] = sk;
    sums->s[v] = sv;
    return true;
}

static bool
compound2_tick128(const struct model_tick128 *t, bool debt, u128 amount,
                  bool has_debt, struct model_sums128 *sums,
                  struct model_health128 *out)
{
    return compound2_move128(t, debt, amount, sums) &&
           compound2_finish128(t->m, sums, has_debt, out);
}

static int
compound2_account(const struct market *m, const struct position *p,
                  const struct u256 *price, struct account *out)
{
    return model_sums_account(m, p, price, out);
}

/* seizeTokens for repay of the call's debt against its collateral. */
static int
compound2_seize(const struct market *m, const struct position *p,
                const struct u256 *price, const struct liq_call *call,
                struct u256 li, struct u256 repay, struct u256 *out)
{
    struct u256 pb, pc;
    int rc = compound2_oracle(&pb, m, p->debt[call->debt].asset,
                              price[p->debt[call->debt].asset]);

    if (rc == 0)
        rc = compound2_oracle(&pc, m, p->coll[call->coll].asset,
                              price[p->coll[call->coll].asset]);
    if (rc == 0)
        rc = model_compound2_seize_tokens(
            out, compound2_er(m, p->coll[call->coll].asset), pb, pc, li, repay);
    return rc;
}

/* The largest repay whose seizeTokens fit the collateral: seize is
 * floor(ratio * r / 1e18), so r <= ((bal + 1) * 1e18 - 1) / ratio. */
static int
compound2_repay_for_collateral(const struct market *m, const struct position *p,
                               const struct u256 *price,
                               const struct liq_call *call, struct u256 *out)
{
    struct u256 pb, pc, num, den, ratio, lim;
    struct u256 li = u256_from_u64(m->params.liquidation_incentive);
    int rc = compound2_oracle(&pb, m, p->debt[call->debt].asset,
                              price[p->debt[call->debt].asset]);

    if (rc == 0)
        rc = compound2_oracle(&pc, m, p->coll[call->coll].asset,
                              price[p->coll[call->coll].asset]);
    if (rc == 0)
        rc = compound2_mul_exp(&num, li, pb);
    if (rc == 0)
        rc = compound2_mul_exp(&den, pc,
                               compound2_er(m, p->coll[call->coll].asset));
    if (rc == 0)
        rc = u256_muldiv(&ratio, num, u256_from_u64(WAD), den, U256_FLOOR);
    if (rc != 0)
        return rc;
    if (u256_is_zero(ratio)) {
        *out = u256_max();
        return 0;
    }
    rc = u256_add(&lim, p->coll[call->coll].amount, u256_from_u64(1));
    if (rc == 0)
        rc = u256_mul(&lim, lim, u256_from_u64(WAD));
    if (rc != 0) {
        *out = u256_max();
        return 0;
    }
    (void)u256_sub(&lim, lim, u256_from_u64(1));
    return u256_div(out, lim, ratio, U256_FLOOR);
}

/*
 * liquidateBorrowAllowed, then liquidateCalculateSeizeTokens and
 * seizeInternal. A deprecated borrowed market (isDeprecated) may be
 * liquidated whatever the account's liquidity, up to the whole borrow;
 * otherwise the account needs a shortfall and the repay is at most
 * closeFactor x borrowBalance. seizeTokens must not pass the borrower's
 * cTokens; protocolSeizeTokens = seizeTokens x protocolSeizeShare.
 */
static int
compound2_liquidate(const struct market *m, const struct position *p,
                    const struct u256 *price, const struct liq_call *call,
                    struct liq_result *out)
{
    const struct market_params *pr = &m->params;
    struct u256 li = u256_from_u64(pr->liquidation_incentive);
    struct u256 max_close, by_coll, repay, base, tokens, fee_tokens, t;
    struct account acct, after;
    struct liq_result r;
    struct position q;
    uint8_t ca;
    bool deprecated;
    int rc;

    if (call->debt >= p->ndebt || call->coll >= p->ncoll)
        return LIQ_EINVAL;
    ca = p->coll[call->coll].asset;
    deprecated = m->ctoken[p->debt[call->debt].asset].deprecated;
    rc = compound2_account(m, p, price, &acct);
    if (rc != 0)
        return rc;
    memset(&r, 0, sizeof(r));
    r.close_factor =
        deprecated ? u256_from_u64(WAD) : u256_from_u64(pr->close_factor);
    /* maxClose = closeFactor * borrowBalance (truncated), per market; a
     * deprecated market's whole borrow */
    max_close = p->debt[call->debt].amount;
    rc = deprecated ? 0
                    : compound2_mul_exp(&max_close, r.close_factor,
                                        p->debt[call->debt].amount);
    if (rc == 0)
        rc = compound2_repay_for_collateral(m, p, price, call, &by_coll);
    if (rc != 0)
        return rc;
    r.max_repay = u256_min(max_close, by_coll);
    repay = call->max ? r.max_repay : call->repay;
    r.repay = repay;
    rc = compound2_seize(m, p, price, call, li, repay, &tokens);
    if (rc == 0)
        rc = compound2_seize(m, p, price, call, u256_from_u64(WAD), repay,
                             &base);
    if (rc == 0)
        rc = compound2_mul_exp(&fee_tokens, tokens,
                               u256_from_u64(pr->protocol_seize_share));
    /* In underlying: what the cTokens are worth (protocolSeizeAmount for
     * the fee, as seizeInternal adds it to the reserves). */
    if (rc == 0)
        rc = compound2_underlying(m, ca, tokens, &r.seized);
    if (rc == 0)
        rc = compound2_underlying(m, ca, fee_tokens, &r.fee);
    if (rc == 0 && u256_sub(&t, tokens, fee_tokens) == 0)
        rc = compound2_underlying(m, ca, t, &r.to_liquidator);
    if (rc == 0)
        rc = compound2_underlying(m, ca, base, &base);
    if (rc != 0)
        return rc;
    r.seize_tokens = tokens;
    (void)u256_sub(&r.bonus, r.seized, u256_min(base, r.seized));

    q = *p;
    (void)u256_sub(&q.debt[call->debt].amount, q.debt[call->debt].amount,
                   u256_min(repay, q.debt[call->debt].amount));
    (void)u256_sub(&q.coll[call->coll].amount, q.coll[call->coll].amount,
                   u256_min(tokens, q.coll[call->coll].amount));
    rc = compound2_account(m, &q, price, &after);
    if (rc != 0)
        return rc;
    r.hf_after = after.hf;
    r.lowers_health = u256_lt(after.hf, acct.hf);
    {
        bool left = false;

        for (int i = 0; i < q.ncoll; i++)
            left = left || !u256_is_zero(q.coll[i].amount);
        r.bad_debt_after = !left && position_has_debt(&q);
    }
    /* liquidateBorrowAllowed (a deprecated market: any account), then
     * LiquidateCloseAmountIsZero, then the seize (LIQUIDATE_SEIZE_TOO_MUCH). */
    if (!deprecated && !acct.liquidatable)
        r.revert = REVERT_NOT_LIQUIDATABLE;
    else if (u256_lt(max_close, repay))
        r.revert = REVERT_TOO_MUCH_REPAY;
    else if (u256_is_zero(repay))
        r.revert = REVERT_NOTHING_TO_REPAY;
    else if (u256_lt(p->coll[call->coll].amount, tokens))
        r.revert = REVERT_INSUFFICIENT_COLLATERAL;
    else
        r.revert = REVERT_NONE;
    *out = r;
    return 0;
}

/* balance: a collateral leg of an asset with an exchange rate holds
 * cTokens, worth mul_ScalarTruncate(exchangeRate, tokens); apply: a
 * deposit mints div_(amount, exchangeRate) cTokens; debts are plain. */
static int
compound2_balance(const struct market *m, uint8_t asset, bool debt,
                  struct u256 stored, struct u256 *out)
{
    if (debt) {
        *out = stored;
        return 0;
    }
    return compound2_underlying(m, asset, stored, out);
}

static int
compound2_apply(const struct market *m, uint8_t asset, bool debt,
                struct u256 stored, struct u256 amount, struct u256 *out)
{
    int rc;

    if (debt)
        return u256_sub(out, stored, amount) != 0 ? LIQ_ERANGE : 0;
    if (m->ctoken[asset].has_rate &&
        (rc = model_compound2_mint_tokens(
             &amount, m->ctoken[asset].exchange_rate, amount)) != 0)
        return rc;
    return u256_add(out, stored, amount) != 0 ? LIQ_EOVERFLOW : 0;
}

/* burn_bound (model.h): debts are plain; a call whose seized collateral
 * is worth at least k underlying (floor of cTokens x rate) seizes at
 * least ceil(k x 1e18 / rate) cTokens. */
static int
compound2_burn_bound(const struct market *m, uint8_t asset, bool debt,
                     struct u256 stored, struct u256 amount, struct u256 *out)
{
    int rc;

    if (!debt && m->ctoken[asset].has_rate) {
        if (u256_is_zero(m->ctoken[asset].exchange_rate))
            return LIQ_EDIVZERO;
        rc = u256_muldiv(&amount, amount, u256_from_u64(WAD),
                         m->ctoken[asset].exchange_rate, U256_CEIL);
        if (rc != 0)
            return rc;
    }
    if (!debt && u256_lt(stored, amount))
        return LIQ_ERANGE;
    (void)u256_sub(out, stored, u256_min(amount, stored));
    return 0;
}

/* compound2_finish's coll_value and debt_value are the sums s[2], s[3]. */
static bool
compound2_values128(const struct market *m, const struct model_sums128 *sums,
                    u128 *coll_value, u128 *debt_value)
{
    (void)m;
    *coll_value = sums->s[2];
    *debt_value = sums->s[3];
    return true;
}

const struct model_ops model_compound2_ops = {
    .name = "compound-v2",
    .account = compound2_account,
    .term = compound2_term,
    .finish = compound2_finish,
    .term128 = compound2_term128,
    .retick128 = compound2_retick128,
    .tick128_prep = compound2_tick128_prep,
    .tick128 = compound2_tick128,
    .move128 = compound2_move128,
    .add128 = compound2_add128,
    .finish128 = compound2_finish128,
    .values128 = compound2_values128,
    .liquidate = compound2_liquidate,
    .max_call128 = model_compound2_call128_max,
    .balance = compound2_balance,
    .apply = compound2_apply,
    .burn_bound = compound2_burn_bound,
};
