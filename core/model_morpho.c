/*
 * model_morpho.c: Morpho Blue as Morpho.sol computes it: one collateral
 * and one loan asset, health against LLTV, the liquidation incentive factor
 * LIF = min(1.15, 1 / (1 - 0.3 (1 - LLTV))), and liquidate by repaid
 * shares (a repay in loan assets is toSharesDown of it) or by seized
 * assets, on the market's borrow totals accrued to as_of (design.md 3.1,
 * 4.1; liquidation-mechanics.md section 7). With the market's state the
 * debt leg holds borrow shares; without it the position is the market's
 * only borrower (1e6 shares per asset). The share and interest maths are
 * model_morpho_state.c's.
 *
 * Owns the Morpho rules only. No close factor, no protocol fee; Morpho
 * never caps: too much repay and over-seizing revert. Pure.
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

    if (p->ncoll > 1)
        msg = "morpho-blue: one collateral asset per position";
    else if (p->ndebt > 1)
        msg = "morpho-blue: one loan asset per position";
    else if (p->ncoll == 1 && p->ndebt == 1 &&
             p->coll[0].asset == p->debt[0].asset)
        msg = "morpho-blue: collateral and loan must be different assets";
    else if ((m->morpho.has_state || m->morpho.has_oracle) &&
             ((p->ncoll == 1 && p->coll[0].asset != 0) ||
              (p->ndebt == 1 && p->debt[0].asset != 1)))
        msg = "morpho-blue: with the market's state or oracle_price the "
              "collateral is the market's first asset and the loan its second";
    return model_refuse(msg, err, errlen);
}

/* A market with stored state or its own oracle price lists its two
 * assets, the collateral then the loan; its state stays within the
 * contract's bounds (the accrual itself is checked where it is made). */
static int
morpho_validate(const struct market *m, char *err, size_t errlen)
{
    const char *msg = NULL;

    if ((m->morpho.has_state || m->morpho.has_oracle) && m->nassets != 2)
        msg = "assets: a morpho-blue market with state or oracle_price lists "
              "two assets, the collateral then the loan";
    else if (m->morpho.has_state && m->morpho.fee > 250000000000000000ULL)
        msg = "state.fee: above Morpho's MAX_FEE (0.25)";
    else if (m->morpho.has_state && m->morpho.last_update > m->as_of)
        msg = "state.last_update: after as_of (the accrual would revert)";
    return model_refuse(msg, err, errlen);
}

/* The oracle price of collateral c in loan d: the market's own
 * (oracle_price) where it has one, else derived from the two prices. */
static int
morpho_oracle(const struct market *m, uint8_t c, uint8_t d,
              const struct u256 *price, struct u256 *out)
{
    if (m->morpho.has_oracle) {
        *out = m->morpho.oracle_price;
        return 0;
    }
    return model_morpho_oracle_price(out, price[c], m->assets[c].decimals,
                                     price[d], m->assets[d].decimals);
}

/*
 * The position's borrow as Morpho holds it: its borrow shares and the
 * market's borrow totals accrued to as_of. With the market's state the
 * debt leg holds the shares; without it the position is the market's only
 * borrower: D assets are D * 1e6 shares of a market of D assets (what
 * borrowing D from an empty market mints).
 */
static int
morpho_borrow(const struct market *m, struct u256 amount,
              struct morpho_totals *t, struct u256 *shares)
{
    if (m->morpho.has_state) {
        *shares = amount;
        return model_morpho_state_borrow(m, t);
    }
    t->assets = amount;
    if (u256_mul(&t->shares, amount, u256_from_u64(1000000)) != 0)
        return LIQ_EOVERFLOW;
    *shares = t->shares;
    return 0;
}

/* toAssetsUp of a debt leg's stored amount: what the position owes. */
static int
morpho_borrowed(const struct market *m, struct u256 amount, struct u256 *out)
{
    struct morpho_totals t;
    struct u256 shares;
    int rc;

    if (!m->morpho.has_state) {
        *out = amount; /* toAssetsUp(D * 1e6) on D assets, D * 1e6 shares */
        return 0;
    }
    rc = morpho_borrow(m, amount, &t, &shares);
    if (rc == 0)
        rc = model_morpho_state_convert(out, shares, &t, false, true);
    return rc;
}

/* maxBorrow = wMulDown(mulDivDown(collateral, price, 1e36), lltv) */
static int
morpho_max_borrow(const struct market *m, uint8_t c, struct u256 coll,
                  struct u256 oracle, struct u256 *out, struct u256 *in_loan)
{
    struct u256 v;
    int rc = u256_muldiv(&v, coll, oracle, u256_exp10(36), U256_FLOOR);

    if (rc == 0)
        rc = u256_muldiv(out, v, u256_from_u64(m->assets[c].lt),
                         u256_from_u64(WAD), U256_FLOOR);
    if (rc == 0 && in_loan != NULL)
        *in_loan = v;
    return rc;
}

/* Base-unit value of amount of asset a, floor. */
static int
morpho_value(const struct market *m, uint8_t a, struct u256 amount,
             const struct u256 *price, struct u256 *out)
{
    return u256_muldiv(out, amount, price[a], u256_exp10(m->assets[a].decimals),
                       U256_FLOOR);
}

/*
 * The account of collateral coll of asset c (none without has_coll) against
 * borrowed loan assets of asset d (none without has_debt), as _isHealthy
 * judges it.
 */
static int
morpho_health(const struct market *m, uint8_t c, bool has_coll,
              struct u256 coll, uint8_t d, bool has_debt, struct u256 borrowed,
              const struct u256 *price, struct account *out)
{
    struct u256 oracle, maxb, in_loan;
    int rc;

    memset(out, 0, sizeof(*out));
    if (has_coll &&
        (rc = morpho_value(m, c, coll, price, &out->coll_value)) != 0)
        return rc;
    if (has_debt &&
        (rc = morpho_value(m, d, borrowed, price, &out->debt_value)) != 0)
        return rc;
    out->has_debt = has_debt && !u256_is_zero(borrowed);
    out->hf = u256_max();
    if (!out->has_debt)
        return 0;
    if (!has_coll) {
        out->hf = u256_zero();
        out->liquidatable = true;
        out->bad_debt = true;
        return 0;
    }
    rc = morpho_oracle(m, c, d, price, &oracle);
    if (rc == 0)
        rc = morpho_max_borrow(m, c, coll, oracle, &maxb, &in_loan);
    /* HF = wDivDown(maxBorrow, borrowed) (blue-sdk getHealthFactor);
     * below 1 exactly when borrowed > maxBorrow, Morpho's own test. */
    if (rc == 0)
        rc = u256_muldiv(&out->hf, maxb, u256_from_u64(WAD), borrowed,
                         U256_FLOOR);
    if (rc != 0)
        return rc;
    out->liquidatable = u256_lt(maxb, borrowed);
    /* Collateral worth less than the debt, in the market's own oracle. */
    out->bad_debt = u256_lt(in_loan, borrowed);
    return 0;
}

static int
morpho_account(const struct market *m, const struct position *p,
               const struct u256 *price, struct account *out)
{
    struct u256 borrowed = u256_zero();
    int rc;

    if (p->ncoll > 1 || p->ndebt > 1)
        return LIQ_EINVAL;
    if (p->ndebt == 1 &&
        (rc = morpho_borrowed(m, p->debt[0].amount, &borrowed)) != 0)
        return rc;
    return morpho_health(m, p->ncoll == 1 ? p->coll[0].asset : 0, p->ncoll == 1,
                         p->ncoll == 1 ? p->coll[0].amount : u256_zero(),
                         p->ndebt == 1 ? p->debt[0].asset : 0, p->ndebt == 1,
                         borrowed, price, out);
}

/* balance: a debt leg in a market with state holds borrow shares, owed as
 * toAssetsUp; everything else is a plain amount. */
static int
morpho_balance(const struct market *m, uint8_t asset, bool debt,
               struct u256 stored, struct u256 *out)
{
    (void)asset;
    if (!debt) {
        *out = stored;
        return 0;
    }
    return morpho_borrowed(m, stored, out);
}

/*
 * apply: collateral is plain; repaying `amount` loan assets burns
 * toSharesDown(amount) borrow shares (Morpho.repay with assets). The whole
 * debt, toAssetsUp of the shares, may round to more shares than held: it
 * is repaid by shares (Morpho.repay with shares), leaving none.
 */
static int
morpho_apply(const struct market *m, uint8_t asset, bool debt,
             struct u256 stored, struct u256 amount, struct u256 *out)
{
    struct morpho_totals t;
    struct u256 owed, shares, burn;
    int rc;

    (void)asset;
    if (!debt)
        return u256_add(out, stored, amount) != 0 ? LIQ_EOVERFLOW : 0;
    if (!m->morpho.has_state)
        return u256_sub(out, stored, amount) != 0 ? LIQ_ERANGE : 0;
    rc = morpho_borrow(m, stored, &t, &shares);
    if (rc == 0)
        rc = model_morpho_state_convert(&owed, shares, &t, false, true);
    if (rc != 0)
        return rc;
    if (u256_lt(owed, amount))
        return LIQ_ERANGE;
    rc = model_morpho_state_convert(&burn, amount, &t, true, false);
    if (rc != 0)
        return rc;
    *out = u256_zero();
    if (u256_lt(burn, shares))
        (void)u256_sub(out, shares, burn);
    return 0;
}

/*
 * burn_bound (model.h): collateral is plain. A call repaying d loan
 * assets burns shares whose toAssetsUp is d, so at most toSharesUp(d);
 * the call also lowers the totals, which moves the conversion of the
 * shares left by less than two raw units: the bound burns toSharesUp(d +
 * 2), so that the debt it leaves reads no more than the call's.
 */
static int
morpho_burn_bound(const struct market *m, uint8_t asset, bool debt,
                  struct u256 stored, struct u256 amount, struct u256 *out)
{
    struct morpho_totals t;
    struct u256 shares, burn;
    int rc;

    (void)asset;
    if (!debt || !m->morpho.has_state) {
        if (!debt && u256_lt(stored, amount))
            return LIQ_ERANGE;
        (void)u256_sub(out, stored, u256_min(amount, stored));
        return 0;
    }
    rc = morpho_borrow(m, stored, &t, &shares);
    if (rc == 0)
        rc = u256_add(&amount, amount, u256_from_u64(2));
    if (rc == 0)
        rc = model_morpho_state_convert(&burn, amount, &t, true, true);
    if (rc != 0)
        return rc;
    (void)u256_sub(out, shares, u256_min(burn, shares));
    return 0;
}

/* What one liquidation works on: the accrued borrow, the position's
 * shares and collateral, the oracle price and the LIF. */
struct morpho_liq {
    struct morpho_totals t;
    struct u256 shares, coll, oracle, lif;
};

/* The seizure of a repay of `a` loan assets: a.wMulDown(LIF)
 * .mulDivDown(1e36, price), with the contract's checked arithmetic. */
static int
morpho_seized_assets(const struct morpho_liq *l, struct u256 a,
                     struct u256 *out)
{
    int rc = model_morpho_state_muldiv_down(&a, a, l->lif, u256_from_u64(WAD));

    if (rc == 0)
        rc = model_morpho_state_muldiv_down(out, a, u256_exp10(36), l->oracle);
    return rc;
}

/* seized = toAssetsDown(repaidShares) seized as above. */
static int
morpho_seized(const struct morpho_liq *l, struct u256 shares, struct u256 *out)
{
    struct u256 a;
    int rc = model_morpho_state_convert(&a, shares, &l->t, false, false);

    if (rc == 0)
        rc = morpho_seized_assets(l, a, out);
    return rc;
}

/* repaidShares for seizedAssets: toSharesUp(wDivUp(mulDivUp(seized, price,
 * 1e36), LIF)). */
static int
morpho_shares_for_seize(const struct morpho_liq *l, struct u256 seized,
                        struct u256 *out)
{
    struct u256 q;
    int rc =
        model_morpho_state_muldiv_up(&q, seized, l->oracle, u256_exp10(36));

    if (rc == 0)
        rc = model_morpho_state_muldiv_up(&q, q, u256_from_u64(WAD), l->lif);
    if (rc == 0)
        rc = model_morpho_state_convert(out, q, &l->t, true, true);
    return rc;
}

/* Whether burning `shares` seizes no more than the position's collateral
 * (false too where the contract's arithmetic overflows); monotone: once
 * false, false for every larger count. */
static bool
morpho_fits(const struct morpho_liq *l, struct u256 shares)
{
    struct u256 s;

    return morpho_seized(l, shares, &s) == 0 && u256_le(s, l->coll);
}

/* Whether a repay of `a` loan assets seizes no more than the collateral
 * (monotone in a, as morpho_fits). */
static bool
morpho_fits_assets(const struct morpho_liq *l, struct u256 a)
{
    struct u256 s;

    return morpho_seized_assets(l, a, &s) == 0 && u256_le(s, l->coll);
}

/*
 * The last share count that fits, for a position whose shares do not all
 * fit, found through the assets: the seizure depends on the shares only
 * through a = toAssetsDown(shares), so the answer is the largest s with
 * toAssetsDown(s) <= a*, a* the largest repay in assets that fits. a* is
 * a raw unit or two from the repay that seizes the whole collateral
 * (mulDivUp then wDivUp back), bracketed and bisected; then s =
 * floor(((a* + 1)(totalShares + 1e6) - 1) / (totalAssets + 1)). The
 * answer is checked (s fits, s + 1 does not): false where it does not
 * hold or a step overflows, and the caller searches the shares instead.
 */
static bool
morpho_max_shares_direct(const struct morpho_liq *l, struct u256 *out)
{
    struct u256 lo = u256_zero(), hi = u256_zero(), g, t, sh, as;
    struct u256 step = u256_from_u64(1);
    int n = 0;

    if (model_morpho_state_muldiv_up(&g, l->coll, l->oracle, u256_exp10(36)) !=
            0 ||
        model_morpho_state_muldiv_up(&g, g, u256_from_u64(WAD), l->lif) != 0)
        return false;
    /* Invariant: lo fits (no repay seizes nothing), hi does not. */
    if (morpho_fits_assets(l, g)) {
        lo = g;
        for (;; n++) {
            if (n > 256 || u256_add(&t, lo, step) != 0)
                return false;
            if (!morpho_fits_assets(l, t)) {
                hi = t;
                break;
            }
            lo = t;
            (void)u256_add(&step, step, step);
        }
    } else {
        hi = g;
        for (;;) {
            if (u256_sub(&t, hi, step) != 0 || !u256_lt(lo, t))
                break;
            if (morpho_fits_assets(l, t)) {
                lo = t;
                break;
            }
            hi = t;
            (void)u256_add(&step, step, step);
        }
    }
    for (;;) {
        struct u256 span = u256_zero(), mid = u256_zero();

        (void)u256_sub(&span, hi, lo);
        if (u256_le(span, u256_from_u64(1)))
            break;
        (void)u256_div(&span, span, u256_from_u64(2), U256_FLOOR);
        (void)u256_add(&mid, lo, span);
        if (morpho_fits_assets(l, mid))
            lo = mid;
        else
            hi = mid;
    }
    if (u256_add(&sh, l->t.shares, u256_from_u64(1000000)) != 0 ||
        u256_add(&as, l->t.assets, u256_from_u64(1)) != 0 ||
        u256_add(&t, lo, u256_from_u64(1)) != 0 || u256_mul(&t, t, sh) != 0)
        return false;
    (void)u256_sub(&t, t, u256_from_u64(1));
    (void)u256_div(&t, t, as, U256_FLOOR);
    if (!u256_lt(t, l->shares) || !morpho_fits(l, t) ||
        u256_add(&g, t, u256_from_u64(1)) != 0 || morpho_fits(l, g))
        return false;
    *out = t;
    return true;
}

/*
 * The shares of the largest repay in loan assets one call accepts: at most
 * the position's shares, seizing no more than its collateral (the seized
 * amount only grows with the shares, so the answer is the last count that
 * fits), then the largest repay whose toSharesDown stays within them, and
 * its shares. So max_repay, toAssetsUp of them, is itself an accepted
 * repay of the same shares. (Burning every share, repaidShares given, may
 * take one unit more than a repay in assets can.) The answer comes
 * through the assets (morpho_max_shares_direct), checked; where that
 * declines, a bisection of [0, shares] finds it.
 */
static int
morpho_max_shares(const struct morpho_liq *l, struct u256 *out)
{
    struct u256 lo = u256_zero(), hi = l->shares, a, sh, as;
    int rc;

    if (morpho_fits(l, hi))
        lo = hi;
    else if (morpho_max_shares_direct(l, &lo))
        hi = lo; /* the answer, checked: no search left */
    /* Invariant: lo fits (no shares seize nothing), hi does not. */
    while (!u256_eq(lo, hi)) {
        struct u256 span = u256_zero(), mid = u256_zero();

        (void)u256_sub(&span, hi, lo);
        if (u256_le(span, u256_from_u64(1)))
            break;
        (void)u256_div(&span, span, u256_from_u64(2), U256_FLOOR);
        (void)u256_add(&mid, lo, span);
        if (morpho_fits(l, mid))
            lo = mid;
        else
            hi = mid;
    }
    /* a = floor(((lo + 1) * (totalAssets + 1) - 1) / (totalShares + 1e6))
     * is the largest repay with toSharesDown(a) <= lo. */
    if (u256_add(&sh, l->t.shares, u256_from_u64(1000000)) != 0 ||
        u256_add(&as, l->t.assets, u256_from_u64(1)) != 0 ||
        u256_add(&a, lo, u256_from_u64(1)) != 0 || u256_mul(&a, a, as) != 0) {
        *out = lo; /* no repay in assets reaches that far */
        return 0;
    }
    (void)u256_sub(&a, a, u256_from_u64(1));
    (void)u256_div(&a, a, sh, U256_FLOOR);
    rc = model_morpho_state_convert(out, a, &l->t, true, false);
    if (rc != 0 || u256_lt(lo, *out))
        *out = lo;
    return 0;
}

static int
morpho_liq_setup(const struct market *m, const struct position *p,
                 const struct u256 *price, struct morpho_liq *l)
{
    int rc = morpho_borrow(m, p->debt[0].amount, &l->t, &l->shares);

    l->coll = p->coll[0].amount;
    if (rc == 0)
        rc = morpho_oracle(m, p->coll[0].asset, p->debt[0].asset, price,
                           &l->oracle);
    if (rc == 0 && u256_is_zero(l->oracle))
        rc = LIQ_EDIVZERO;
    if (rc == 0)
        rc = model_morpho_lif(&l->lif, m->assets[p->coll[0].asset].lt);
    return rc;
}

/*
 * The position after the call burns `burn` shares (at most its own) and
 * seizes `seized` collateral (at most its own), as Morpho.liquidate
 * writes it: totals less the shares and toAssetsUp of them (floored at
 * zero), and where no collateral is left the remaining borrow realized as
 * bad debt. Into r: hf_after, lowers_health, bad_debt_after.
 */
static int
morpho_after(const struct market *m, const struct position *p,
             const struct u256 *price, const struct morpho_liq *l,
             struct u256 burn, struct u256 seized, const struct account *before,
             struct liq_result *r)
{
    struct morpho_totals t = l->t;
    struct u256 repaid, shares, coll, borrowed = u256_zero();
    struct account after;
    int rc;

    burn = u256_min(burn, l->shares);
    rc = model_morpho_state_convert(&repaid, burn, &t, false, true);
    if (rc != 0)
        return rc;
    (void)u256_sub(&shares, l->shares, burn);
    (void)u256_sub(&t.shares, t.shares, u256_min(burn, t.shares));
    (void)u256_sub(&t.assets, t.assets, u256_min(repaid, t.assets));
    (void)u256_sub(&coll, l->coll, u256_min(seized, l->coll));
    r->bad_debt_after = u256_is_zero(coll) && !u256_is_zero(shares);
    if (!r->bad_debt_after && !u256_is_zero(shares) &&
        (rc = model_morpho_state_convert(&borrowed, shares, &t, false, true)) !=
            0)
        return rc;
    rc = morpho_health(m, p->coll[0].asset, true, coll, p->debt[0].asset, true,
                       borrowed, price, &after);
    if (rc != 0)
        return rc;
    r->hf_after = after.hf;
    r->lowers_health = u256_lt(after.hf, before->hf);
    return 0;
}

/*
 * Morpho.liquidate: exactly one of seizedAssets and repaidShares (a repay
 * in loan assets is toSharesDown of it; `max` the most shares a call may
 * burn), checked first; then health on the accrued state; then the
 * amounts, where an overflow of the contract's arithmetic and burning
 * more shares than the position holds are "too much repay" and seizing
 * more than its collateral "insufficient collateral". Morpho never caps.
 */
static int
morpho_liquidate(const struct market *m, const struct position *p,
                 const struct u256 *price, const struct liq_call *call,
                 struct liq_result *out)
{
    struct morpho_liq l;
    struct account acct;
    struct u256 burn = u256_zero(), base, cap;
    struct liq_result r;
    bool overflow = false;
    int rc;

    if (call->debt != 0 || call->coll != 0 || p->ndebt != 1 || p->ncoll != 1)
        return LIQ_EINVAL;
    rc = morpho_account(m, p, price, &acct);
    if (rc == 0)
        rc = morpho_liq_setup(m, p, price, &l);
    if (rc == 0)
        rc = morpho_max_shares(&l, &cap);
    if (rc != 0)
        return rc;
    memset(&r, 0, sizeof(r));
    r.close_factor = u256_from_u64(WAD);
    rc = model_morpho_state_convert(&r.max_repay, cap, &l.t, false, true);
    if (rc != 0)
        return rc;
    if (call->seize) {
        r.seized = call->seized;
        rc = morpho_shares_for_seize(&l, call->seized, &burn);
    } else {
        if (call->max)
            burn = cap;
        else
            rc = model_morpho_state_convert(&burn, call->repay, &l.t, true,
                                            false);
        if (rc == 0)
            rc = morpho_seized(&l, burn, &r.seized);
    }
    if (rc == 0)
        rc = model_morpho_state_convert(&r.repay, burn, &l.t, false, true);
    if (rc == LIQ_EOVERFLOW) {
        /* The contract's arithmetic overflows: the call reverts, and the
         * figures are those of nothing done. */
        overflow = true;
        r.repay = call->seize ? u256_zero() : call->repay;
        r.seized = call->seize ? call->seized : u256_zero();
        burn = u256_zero();
        rc = 0;
    }
    if (rc != 0)
        return rc;
    r.repaid_shares = burn;
    r.to_liquidator = r.seized;
    if (!overflow) {
        /* What the repay is worth in collateral without the incentive. */
        rc = u256_muldiv(&base, r.repay, u256_exp10(36), l.oracle, U256_FLOOR);
        if (rc != 0)
            return rc;
        (void)u256_sub(&r.bonus, r.seized, u256_min(base, r.seized));
    }
    rc = morpho_after(m, p, price, &l, burn, overflow ? u256_zero() : r.seized,
                      &acct, &r);
    if (rc != 0)
        return rc;
    if (call->seize ? u256_is_zero(call->seized)
                    : (!call->max && u256_is_zero(call->repay)) ||
                          (!overflow && u256_is_zero(burn)))
        r.revert = REVERT_NOTHING_TO_REPAY; /* exactlyOneZero */
    else if (!acct.liquidatable)
        r.revert = REVERT_NOT_LIQUIDATABLE;
    else if (overflow || u256_lt(l.shares, burn))
        r.revert = REVERT_TOO_MUCH_REPAY;
    else if (u256_lt(l.coll, r.seized))
        r.revert = REVERT_INSUFFICIENT_COLLATERAL;
    else
        r.revert = REVERT_NONE;
    *out = r;
    return 0;
}

/* Morpho.repay of `amount` loan assets: toSharesDown(amount) shares
 * burnt (all of them, by shares, for exactly what is owed), the totals
 * less those shares and less the assets (floored at zero); the account on
 * the totals after. */
static int
morpho_account_after_repay(const struct market *m, const struct position *p,
                           uint8_t leg, struct u256 amount,
                           const struct u256 *price, struct account *out)
{
    struct morpho_totals t;
    struct u256 shares, owed, burn, left, borrowed = u256_zero();
    int rc;

    if (leg != 0 || p->ndebt != 1 || p->ncoll > 1)
        return LIQ_EINVAL;
    rc = morpho_borrow(m, p->debt[0].amount, &t, &shares);
    if (rc == 0)
        rc = model_morpho_state_convert(&owed, shares, &t, false, true);
    if (rc != 0)
        return rc;
    if (u256_lt(owed, amount))
        return LIQ_ERANGE;
    rc = model_morpho_state_convert(&burn, amount, &t, true, false);
    if (rc != 0)
        return rc;
    if (u256_eq(amount, owed) || u256_lt(shares, burn))
        burn = shares; /* repaid by shares: toAssetsUp(shares) = owed */
    (void)u256_sub(&left, shares, burn);
    (void)u256_sub(&t.shares, t.shares, u256_min(burn, t.shares));
    (void)u256_sub(&t.assets, t.assets, u256_min(amount, t.assets));
    if (!u256_is_zero(left) && (rc = model_morpho_state_convert(
                                    &borrowed, left, &t, false, true)) != 0)
        return rc;
    return morpho_health(m, p->ncoll == 1 ? p->coll[0].asset : 0, p->ncoll == 1,
                         p->ncoll == 1 ? p->coll[0].amount : u256_zero(),
                         p->debt[0].asset, true, borrowed, price, out);
}

/* Interest is known on a market with state: the rate is taken as
 * constant since its last update, the prices as they are. */
static int
morpho_time_to_liquidation(const struct market *m, const struct position *p,
                           const struct u256 *price, int64_t *out)
{
    struct u256 oracle, maxb = u256_zero();
    int rc;

    if (!m->morpho.has_state)
        return LIQ_ENOENT;
    if (p->ncoll > 1 || p->ndebt > 1)
        return LIQ_EINVAL;
    if (p->ndebt == 0 || u256_is_zero(p->debt[0].amount)) {
        *out = -1;
        return 0;
    }
    if (p->ncoll == 1) {
        rc = morpho_oracle(m, p->coll[0].asset, p->debt[0].asset, price,
                           &oracle);
        if (rc == 0)
            rc = morpho_max_borrow(m, p->coll[0].asset, p->coll[0].amount,
                                   oracle, &maxb, NULL);
        if (rc != 0)
            return rc;
    }
    return model_morpho_state_ttl(&m->morpho, m->as_of, p->debt[0].amount, maxb,
                                  MODEL_TTL_HORIZON, out);
}

/*
 * model.h price_prefix: with one collateral leg of asset and a loan of
 * another, the position is liquidatable when borrowed > maxBorrow =
 * wMulDown(mulDivDown(collateral, oracle, 1e36), lltv), the borrow
 * independent of prices, and the oracle the market's own (fixed) or
 * floor(p_coll * 10^k / p_loan), never falling as p_coll rises; so
 * maxBorrow never falls either. The figures only grow with the price, so
 * where they stop fitting they do so for every higher price.
 */
static bool
morpho_price_prefix(const struct market *m, const struct position *p,
                    uint8_t asset)
{
    (void)m;
    return p->ncoll == 1 && p->ndebt == 1 && p->coll[0].asset == asset &&
           p->debt[0].asset != asset;
}

const struct model_ops model_morpho_ops = {
    .name = "morpho-blue",
    .validate = morpho_validate,
    .check_position = morpho_check_position,
    .balance = morpho_balance,
    .apply = morpho_apply,
    .burn_bound = morpho_burn_bound,
    .account_after_repay = morpho_account_after_repay,
    .time_to_liquidation = morpho_time_to_liquidation,
    .account = morpho_account,
    .price_prefix = morpho_price_prefix,
    .liquidate = morpho_liquidate,
    .tick128_prep = model_morpho128_tick_prep,
    .account128 = model_morpho128_account,
    .tick_account128 = model_morpho128_tick_account,
    .max_call128 = model_morpho128_max_call,
};
