/*
 * model_comet.c: Compound v3 (Comet) as Comet.sol and CometCore.sol compute
 * it (liquidation-mechanics.md section 5): isLiquidatable with each
 * collateral's liquidateCollateralFactor, absorb of the whole position
 * with each collateral's liquidationFactor, quoteCollateral at the
 * storefront price, and the base principal and present value through
 * baseBorrowIndex and baseSupplyIndex (BASE_INDEX_SCALE 1e15).
 *
 * Rounding, step by step as the contract truncates: mulPrice(n, price,
 * scale) = n * price / scale, mulFactor(n, f) = n * f / 1e18, divPrice(n,
 * price, scale) = n * scale / price, all floor; the base debt's value is
 * signedMulPrice of a negative present value, which Solidity truncates
 * toward zero, so its magnitude is the floor too. presentValue is a floor
 * of principal x index; principalValue of a borrow rounds up (against the
 * borrower), of a supply down.
 *
 * Decisions (README, compound-v3): a position's debt leg is the base asset
 * and holds the present value of its negative principal (borrowBalanceOf);
 * the health factor is derived, floor(sum of mulFactor(mulPrice(balance),
 * liquidateCF) x 1e18 / debt value), and is below 1 exactly when
 * isLiquidatable holds. There is no partial liquidation: a call is the
 * absorb of everything, and a repay below the whole debt reverts with
 * REVERT_ABSORB_ONLY, its figures those of the absorb. A repay of the base
 * leg (apply) goes as supplyBase stores it: principalValue(balance +
 * amount), whose present value is what is then owed. Not modelled: the
 * rates (no time_to_liquidation), pause flags, targetReserves' gate on
 * buyCollateral; a supply cap only refuses deposits (apply), given the
 * market's totalSupplyAsset. Pure: no allocation, no clock.
 */
#include "core/model.h"

#include <string.h>

#include "core/liq.h"

#define COMET_INDEX_SCALE 1000000000000000ULL /* BASE_INDEX_SCALE */
#define COMET_DESCALE 100000000000000ULL      /* FACTOR_SCALE / 1e4 */
#define COMET_PRICE_DECIMALS 8                /* PRICE_FEED_DECIMALS */

/* A stored index, 0 read as BASE_INDEX_SCALE. */
static struct u256
comet_index(uint64_t v)
{
    return u256_from_u64(v != 0 ? v : COMET_INDEX_SCALE);
}

int
model_comet_present(const struct market *m, bool borrow, struct u256 principal,
                    struct u256 *out)
{
    struct u256 idx =
        comet_index(borrow ? m->comet.borrow_index : m->comet.supply_index);

    return u256_muldiv(out, principal, idx, u256_from_u64(COMET_INDEX_SCALE),
                       U256_FLOOR);
}

int
model_comet_principal(const struct market *m, bool borrow, struct u256 present,
                      struct u256 *out)
{
    struct u256 idx =
        comet_index(borrow ? m->comet.borrow_index : m->comet.supply_index);

    return u256_muldiv(out, present, u256_from_u64(COMET_INDEX_SCALE), idx,
                       borrow ? U256_CEIL : U256_FLOOR);
}

/* mulPrice: amount * price / 10^decimals, floor. */
static int
comet_mul_price(const struct market *m, uint8_t asset, const struct u256 *price,
                struct u256 amount, struct u256 *out)
{
    return u256_muldiv(out, amount, price[asset],
                       u256_exp10(m->assets[asset].decimals), U256_FLOOR);
}

/* mulFactor: n * factor / 1e18, floor. */
static int
comet_mul_factor(struct u256 n, uint64_t factor, struct u256 *out)
{
    return u256_muldiv(out, n, u256_from_u64(factor), u256_from_u64(WAD),
                       U256_FLOOR);
}

/* Appends s to err (NUL kept, truncated at errlen). */
static void
comet_cat(char *err, size_t errlen, size_t *n, const char *s)
{
    while (*s != '\0' && *n + 1 < errlen)
        err[(*n)++] = *s++;
    if (errlen > 0)
        err[*n] = '\0';
}

/* "assets[i].field: msg" (asset >= 0) or "field: msg" into err. */
static int
comet_fail(char *err, size_t errlen, int asset, const char *field,
           const char *msg)
{
    size_t n = 0;

    if (errlen > 0)
        err[0] = '\0';
    if (asset >= 0) {
        char idx[4] = {0};

        /* MARKET_ASSETS_MAX: at most two digits. */
        idx[0] = (char)(asset >= 10 ? '0' + asset / 10 : '0' + asset);
        idx[1] = (char)(asset >= 10 ? '0' + asset % 10 : 0);
        comet_cat(err, errlen, &n, "assets[");
        comet_cat(err, errlen, &n, idx);
        comet_cat(err, errlen, &n, "].");
    }
    comet_cat(err, errlen, &n, field);
    comet_cat(err, errlen, &n, ": ");
    comet_cat(err, errlen, &n, msg);
    return LIQ_ERANGE;
}

/* The constructor's checks (Comet's constructor and _getPackedAsset):
 * factors of 4 decimals, borrowCF < liquidateCF <= 1, liquidationFactor
 * and storeFrontPriceFactor at most 1; the base of 6 to 18 decimals
 * (MAX_BASE_DECIMALS, BASE_ACCRUAL_SCALE); price feeds of 8 decimals. */
static int
comet_validate(const struct market *m, char *err, size_t errlen)
{
    const struct market_comet *c = &m->comet;

    if (m->base_decimals != COMET_PRICE_DECIMALS)
        return comet_fail(err, errlen, -1, "base_decimals",
                          "Comet's price feeds have 8 decimals");
    if (c->base >= m->nassets)
        return comet_fail(err, errlen, -1, "params.base",
                          "not an asset of the market");
    if (m->assets[c->base].decimals < 6 || m->assets[c->base].decimals > 18)
        return comet_fail(err, errlen, c->base, "decimals",
                          "Comet's base asset has 6 to 18 decimals");
    if (c->store_front > WAD)
        return comet_fail(err, errlen, -1, "params.store_front_price_factor",
                          "above 1 (BadDiscount)");
    if (c->supply_index != 0 && c->supply_index < COMET_INDEX_SCALE)
        return comet_fail(err, errlen, -1, "params.base_supply_index",
                          "below 1 (indexes start at 1 and only grow)");
    if (c->borrow_index != 0 && c->borrow_index < COMET_INDEX_SCALE)
        return comet_fail(err, errlen, -1, "params.base_borrow_index",
                          "below 1 (indexes start at 1 and only grow)");
    for (uint8_t i = 0; i < m->nassets; i++) {
        const struct asset *a = &m->assets[i];

        if (i == c->base) {
            if (a->ltv != 0 || a->lt != 0 || a->bonus != 0)
                return comet_fail(err, errlen, i,
                                  a->lt != 0    ? "liquidate_collateral_factor"
                                  : a->ltv != 0 ? "borrow_collateral_factor"
                                                : "liquidation_factor",
                                  "the base asset is not a collateral");
            continue;
        }
        if (a->decimals > 18)
            return comet_fail(err, errlen, i, "decimals",
                              "more than 18 (Comet's asset scale is 64-bit)");
        if (a->lt == 0)
            return comet_fail(err, errlen, i, "liquidate_collateral_factor",
                              "missing or zero (a compound-v3 collateral "
                              "needs one above borrow_collateral_factor)");
        if (a->ltv % COMET_DESCALE != 0)
            return comet_fail(err, errlen, i, "borrow_collateral_factor",
                              "more than 4 decimals (Comet keeps 4)");
        if (a->lt % COMET_DESCALE != 0)
            return comet_fail(err, errlen, i, "liquidate_collateral_factor",
                              "more than 4 decimals (Comet keeps 4)");
        if (a->bonus % COMET_DESCALE != 0)
            return comet_fail(err, errlen, i, "liquidation_factor",
                              "more than 4 decimals (Comet keeps 4)");
        if (a->ltv >= a->lt)
            return comet_fail(err, errlen, i, "borrow_collateral_factor",
                              "must be below liquidate_collateral_factor "
                              "(BorrowCFTooLarge)");
        if (a->lt > WAD)
            return comet_fail(err, errlen, i, "liquidate_collateral_factor",
                              "above 1 (LiquidateCFTooLarge)");
        if (a->bonus == 0)
            return comet_fail(err, errlen, i, "liquidation_factor",
                              "missing or zero (the share of a seized "
                              "value absorb credits)");
        if (a->bonus > WAD)
            return comet_fail(err, errlen, i, "liquidation_factor",
                              "above 1 (BadLiquidationFactor)");
    }
    return 0;
}

/* Shape: at most one debt leg, of the base asset; collateral legs of
 * the other assets. */
static int
comet_check_position(const struct market *m, const struct position *p,
                     char *err, size_t errlen)
{
    const char *msg = NULL;

    if (p->ndebt > 1 || (p->ndebt == 1 && p->debt[0].asset != m->comet.base))
        msg = "debt: a compound-v3 position borrows the base asset only";
    for (uint8_t i = 0; msg == NULL && i < p->ncoll; i++)
        if (p->coll[i].asset == m->comet.base)
            msg = "collateral: the base asset is not a collateral in "
                  "compound-v3 (a supply of it is a positive principal)";
    if (msg == NULL)
        return 0;
    if (errlen > 0) {
        size_t n = strlen(msg) < errlen - 1 ? strlen(msg) : errlen - 1;

        memcpy(err, msg, n);
        err[n] = '\0';
    }
    return LIQ_EINVAL;
}

/* The debt's value (signedMulPrice, magnitude), the collateral's value
 * (sum of mulPrice) and its liquidation weight (sum of mulFactor with
 * liquidateCF). */
static int
comet_sums(const struct market *m, const struct position *p,
           const struct u256 *price, struct u256 *debt, struct u256 *coll,
           struct u256 *weighted, bool *has_debt)
{
    int rc = 0;

    *debt = *coll = *weighted = u256_zero();
    *has_debt = false;
    for (uint8_t i = 0; rc == 0 && i < p->ndebt; i++) {
        struct u256 v;

        if (u256_is_zero(p->debt[i].amount))
            continue;
        *has_debt = true;
        rc = comet_mul_price(m, p->debt[i].asset, price, p->debt[i].amount, &v);
        if (rc == 0)
            rc = u256_add(debt, *debt, v);
    }
    for (uint8_t i = 0; rc == 0 && i < p->ncoll; i++) {
        const struct leg *l = &p->coll[i];
        struct u256 v, w;

        rc = comet_mul_price(m, l->asset, price, l->amount, &v);
        if (rc == 0)
            rc = u256_add(coll, *coll, v);
        if (rc == 0)
            rc = comet_mul_factor(v, m->assets[l->asset].lt, &w);
        if (rc == 0)
            rc = u256_add(weighted, *weighted, w);
    }
    return rc;
}

static int
comet_account(const struct market *m, const struct position *p,
              const struct u256 *price, struct account *out)
{
    struct u256 d, c, w;
    bool has_debt;
    int rc = comet_sums(m, p, price, &d, &c, &w, &has_debt);

    memset(out, 0, sizeof(*out));
    if (rc != 0)
        return rc;
    out->coll_value = c;
    out->debt_value = d;
    /* As Aave's: a debt worth nothing (a base price of 0, where Comet's
     * getPrice reverts) counts as none; liquidity is then not below 0. */
    out->has_debt = has_debt && !u256_is_zero(d);
    out->hf = u256_max();
    if (!out->has_debt)
        return 0;
    /* isLiquidatable: liquidity = -debt + weighted < 0. */
    out->liquidatable = u256_lt(w, d);
    out->bad_debt = u256_lt(c, d);
    rc = u256_muldiv(&out->hf, w, u256_from_u64(WAD), d, U256_FLOOR);
    if (rc == LIQ_EOVERFLOW) {
        out->hf = u256_max();
        rc = 0;
    }
    return rc;
}

int
model_comet_absorb(const struct market *m, const struct position *p,
                   const struct u256 *price, struct model_comet_absorb *out)
{
    uint8_t b = m->comet.base;
    struct account a;
    struct u256 bal, principal;
    int rc;

    memset(out, 0, sizeof(*out));
    if (m->model != MODEL_COMPOUND_V3)
        return LIQ_EINVAL;
    if ((rc = comet_account(m, p, price, &a)) != 0)
        return rc;
    out->liquidatable = a.liquidatable;
    out->coll_value = a.coll_value;
    for (uint8_t i = 0; i < p->ndebt; i++)
        if ((rc = u256_add(&out->debt, out->debt, p->debt[i].amount)) != 0)
            return rc;
    /* deltaValue: per collateral, mulFactor(mulPrice(balance), LF). */
    for (uint8_t i = 0; i < p->ncoll; i++) {
        const struct leg *l = &p->coll[i];
        struct u256 v, w;

        if ((rc = comet_mul_price(m, l->asset, price, l->amount, &v)) != 0 ||
            (rc = comet_mul_factor(v, m->assets[l->asset].bonus, &w)) != 0 ||
            (rc = u256_add(&out->credit_value, out->credit_value, w)) != 0)
            return rc;
    }
    (void)u256_sub(&out->penalty, out->coll_value, out->credit_value);
    /* deltaBalance = divPrice(deltaValue, basePrice, baseScale); at a
     * base price of 0 (getPrice reverts, nothing is liquidatable) no
     * credit is counted. */
    if (!u256_is_zero(price[b]) &&
        (rc = u256_muldiv(&out->credit, out->credit_value,
                          u256_exp10(m->assets[b].decimals), price[b],
                          U256_FLOOR)) != 0)
        return rc;
    /* newBalance = max(0, oldBalance + deltaBalance), then stored as
     * principalValueSupply; what the borrower then holds is its
     * presentValueSupply. */
    if (u256_lt(out->credit, out->debt)) {
        (void)u256_sub(&out->shortfall, out->debt, out->credit);
        return 0;
    }
    (void)u256_sub(&bal, out->credit, out->debt);
    if ((rc = model_comet_principal(m, false, bal, &principal)) != 0)
        return rc;
    return model_comet_present(m, false, principal, &out->returned);
}

int
model_comet_quote(const struct market *m, const struct u256 *price,
                  uint8_t asset, struct u256 base_amount,
                  struct u256 *discounted, struct u256 *out)
{
    uint8_t b = m->comet.base;
    uint64_t lf = m->assets[asset].bonus;
    struct u256 discount, t;
    int rc;

    if (m->model != MODEL_COMPOUND_V3 || asset >= m->nassets)
        return LIQ_EINVAL;
    /* discountFactor = mulFactor(storeFrontPriceFactor, 1e18 - LF);
     * assetPriceDiscounted = mulFactor(assetPrice, 1e18 - discount). */
    if ((rc = comet_mul_factor(u256_from_u64(m->comet.store_front),
                               lf <= WAD ? WAD - lf : 0, &discount)) != 0)
        return rc;
    if ((rc = comet_mul_factor(price[asset], WAD - u256_to_u64(discount),
                               discounted)) != 0)
        return rc;
    if (u256_is_zero(*discounted))
        return LIQ_EDIVZERO;
    /* basePrice * baseAmount * assetScale / discounted / baseScale. */
    if ((rc = u256_mul(&t, price[b], base_amount)) != 0 ||
        (rc = u256_muldiv(&t, t, u256_exp10(m->assets[asset].decimals),
                          *discounted, U256_FLOOR)) != 0)
        return rc;
    return u256_div(out, t, u256_exp10(m->assets[b].decimals), U256_FLOOR);
}

/* absorb(): the whole position whatever the repay; see the file's head. */
static int
comet_liquidate(const struct market *m, const struct position *p,
                const struct u256 *price, const struct liq_call *call,
                struct liq_result *out)
{
    struct model_comet_absorb ab;
    const struct leg *cl;
    struct u256 kept;
    int rc;

    memset(out, 0, sizeof(*out));
    if (call->seize || call->debt >= p->ndebt || call->coll >= p->ncoll)
        return LIQ_EINVAL;
    if ((rc = model_comet_absorb(m, p, price, &ab)) != 0)
        return rc;
    cl = &p->coll[call->coll];
    out->close_factor = u256_from_u64(WAD);
    out->max_repay = p->debt[call->debt].amount;
    out->repay = out->max_repay;
    /* Every collateral goes to the protocol's reserves; the absorber
     * gets none (liquidator points only). */
    out->seized = cl->amount;
    out->fee = cl->amount;
    out->to_liquidator = u256_zero();
    /* The part of this collateral whose value is not credited. */
    if ((rc = comet_mul_factor(cl->amount, m->assets[cl->asset].bonus,
                               &kept)) != 0)
        return rc;
    (void)u256_sub(&out->bonus, cl->amount, kept);
    out->hf_after = u256_max();
    out->bad_debt_after = !u256_is_zero(ab.shortfall);
    if (!ab.liquidatable)
        out->revert = REVERT_NOT_LIQUIDATABLE;
    else if (!call->max && u256_lt(call->repay, out->repay))
        out->revert = REVERT_ABSORB_ONLY;
    return 0;
}

/* supplyBase on a borrow: the principal of (owed - amount), rounded up,
 * and what it is then worth; a deposit of collateral adds to it. */
static int
comet_apply(const struct market *m, uint8_t asset, bool debt,
            struct u256 stored, struct u256 amount, struct u256 *out)
{
    struct u256 left, principal;
    int rc;

    if (!debt) {
        /* supplyCollateral: totalSupplyAsset + amount above the cap
         * reverts (SupplyCapExceeded); no deposit is no call. */
        const struct market_comet *c = &m->comet;
        struct u256 total;

        if (!u256_is_zero(amount) && asset < MARKET_ASSETS_MAX &&
            (c->capped >> asset & 1u) != 0 &&
            (u256_add(&total, u256_from_u128(c->total_supply[asset]), amount) !=
                 0 ||
             u256_lt(u256_from_u128(c->supply_cap[asset]), total)))
            return LIQ_ERANGE;
        return u256_add(out, stored, amount);
    }
    if ((rc = u256_sub(&left, stored, amount)) != 0)
        return rc;
    if ((rc = model_comet_principal(m, true, left, &principal)) != 0)
        return rc;
    return model_comet_present(m, true, principal, out);
}

const struct model_ops model_comet_ops = {
    .name = "compound-v3",
    .validate = comet_validate,
    .check_position = comet_check_position,
    .account = comet_account,
    .liquidate = comet_liquidate,
    .apply = comet_apply,
};
