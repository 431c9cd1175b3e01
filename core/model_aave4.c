/*
 * model_aave4.c: Aave v4 (hub and spoke), as the Spoke and its
 * LiquidationLogic compute it: values with 1 base unit = 1e18 value units
 * (1 USD = 1e26 at 8 decimals), the health factor, a bonus that grows as
 * health falls, a liquidation that repays exactly what restores the target
 * health factor, dust forcing a full liquidation, and the fee on the bonus
 * (liquidation-mechanics.md section 3).
 *
 * Positions hold plain amounts: one share per asset, no drawn index and no
 * premium debt, so debtRay = amount * RAY. Pure; never allocates.
 */
#include "core/model.h"

#include <string.h>

#include "core/liq.h"
#include "core/model_aave.h"

#define AAVE4_DUST_BASE 1000ULL /* DUST_LIQUIDATION_THRESHOLD, base units */

static struct u256
aave4_ray(void)
{
    return u256_exp10(27);
}

uint64_t
model_aave4_bonus(struct u256 hf, uint64_t hf_for_max_bonus,
                  uint64_t bonus_factor, uint64_t max_lb)
{
    uint64_t min_lb;
    struct u256 add;

    if (u256_le(hf, u256_from_u64(hf_for_max_bonus)))
        return max_lb;
    min_lb = (max_lb - BPS) * bonus_factor / BPS + BPS;
    if (!u256_lt(hf, u256_from_u64(WAD)))
        return min_lb;
    /* minLB + (maxLB - minLB) * (1e18 - hf) / (1e18 - hfForMaxBonus) */
    (void)u256_muldiv(&add, u256_from_u64(max_lb - min_lb),
                      u256_from_u64(WAD - u256_to_u64(hf)),
                      u256_from_u64(WAD - hf_for_max_bonus), U256_FLOOR);
    return min_lb + u256_to_u64(add);
}

int
model_aave4_debt_to_target(struct u256 *out, struct u256 total_debt_value_ray,
                           struct u256 debt_unit, struct u256 debt_price,
                           struct u256 hf, struct u256 thf, uint64_t lb,
                           uint64_t cf)
{
    struct u256 penalty, num, den, gap, room;
    int rc;

    if (u256_lt(thf, hf))
        return LIQ_ERANGE;
    /* liquidationPenalty = percentMulUp(LB in WAD, CF) */
    rc = u256_muldiv(&penalty, u256_from_u64(lb * 100000000000000ULL),
                     u256_from_u64(cf), u256_from_u64(BPS), U256_CEIL);
    if (rc != 0)
        return rc;
    (void)u256_sub(&gap, thf, hf);
    if (u256_sub(&room, thf, penalty) != 0 || u256_is_zero(room))
        return LIQ_ERANGE;
    rc = u256_mul(&num, debt_unit, gap);
    if (rc == 0)
        rc = u256_mul(&den, room, debt_price);
    if (rc == 0)
        rc = u256_mul(&den, den, u256_from_u64(WAD));
    if (rc == 0)
        rc = u256_muldiv(out, total_debt_value_ray, num, den, U256_CEIL);
    return rc;
}

/* Value of amount: amount * price * 10^(18 - decimals). */
static int
aave4_value(struct u256 *out, const struct market *m, uint8_t asset,
            struct u256 amount, const struct u256 *price)
{
    struct u256 v;
    int rc = u256_mul(&v, amount, price[asset]);

    if (rc == 0)
        rc = u256_mul(out, v, u256_exp10(18u - m->assets[asset].decimals));
    return rc;
}

struct aave4_totals {
    struct u256 weighted; /* sum CF_bps * value */
    struct u256 coll;     /* sum value, CF > 0 */
    struct u256 debt;     /* sum value */
};

/* The sums (model.h): s[0] collateral value (CF > 0), s[1] the sum of
 * CF_bps times each such value, s[2] debt value, all at 1e18 per base
 * unit. */
static int
aave4_term(const struct market *m, uint8_t asset, bool debt, struct u256 amount,
           struct u256 price, struct model_sums *out)
{
    uint64_t cf = m->assets[asset].lt;
    struct u256 v;
    int rc;

    memset(out, 0, sizeof(*out));
    if (!debt && cf == 0)
        return 0;
    rc = u256_mul(&v, amount, price);
    if (rc == 0)
        rc = u256_mul(&v, v, u256_exp10(18u - m->assets[asset].decimals));
    if (rc != 0)
        return rc;
    if (debt) {
        out->s[2] = v;
        return 0;
    }
    out->s[0] = v;
    return u256_mul(&out->s[1], v, u256_from_u64(cf));
}

static int
aave4_totals(const struct market *m, const struct position *p,
             const struct u256 *price, struct aave4_totals *t)
{
    struct model_sums sums;
    int rc = model_sums_of(m, p, price, &sums);

    if (rc != 0)
        return rc;
    t->coll = sums.s[0];
    t->weighted = sums.s[1];
    t->debt = sums.s[2];
    return 0;
}

static int
aave4_finish(const struct market *m, const struct model_sums *sums,
             bool has_debt, struct account *out)
{
    struct aave4_totals t = {sums->s[1], sums->s[0], sums->s[2]};
    struct u256 hf = u256_max(), scale = u256_exp10(18);
    int rc;

    (void)m;
    (void)has_debt; /* Aave counts debt by value */
    /* HF = sum(CF * value) * 1e14 * RAY / (debt value * RAY) */
    if (!u256_is_zero(t.debt)) {
        rc = u256_muldiv(&hf, t.weighted, u256_from_u64(100000000000000ULL),
                         t.debt, U256_FLOOR);
        if (rc != 0)
            return rc;
    }
    /* Values back in base units: collateral down, debt up. */
    (void)u256_div(&out->coll_value, t.coll, scale, U256_FLOOR);
    (void)u256_div(&out->debt_value, t.debt, scale, U256_CEIL);
    out->hf = hf;
    out->has_debt = !u256_is_zero(t.debt);
    out->liquidatable = out->has_debt && u256_lt(hf, u256_from_u64(WAD));
    out->bad_debt = out->has_debt && u256_lt(t.coll, t.debt);
    return 0;
}

static bool
aave4_term128(const struct market *m, uint8_t asset, bool debt, u128 amount,
              u128 price, struct model_sums128 *out)
{
    uint64_t cf = m->assets[asset].lt;
    uint8_t dec = m->assets[asset].decimals;
    u128 v;

    memset(out, 0, sizeof(*out));
    if (!debt && cf == 0)
        return true;
    if (dec > 18 || __builtin_mul_overflow(amount, price, &v) ||
        __builtin_mul_overflow(v, u256_pow10_128(18u - dec), &v))
        return false;
    if (debt) {
        out->s[2] = v;
        return true;
    }
    out->s[0] = v;
    return !__builtin_mul_overflow(v, (u128)cf, &out->s[1]);
}

/* unit: the scale to 18 decimals, factor: the collateral factor. */
static bool
aave4_tick128_prep(struct model_tick128 *t)
{
    const struct asset *a = &t->m->assets[t->asset];

    t->unit = a->decimals <= 18 ? u256_pow10_128(18u - a->decimals) : 0;
    t->factor = a->lt;
    return t->unit != 0;
}

/* retick128 on a prepared move. */
static inline bool
aave4_move128(const struct model_tick128 *t, bool debt, u128 amount,
              struct model_sums128 *sums)
{
    u128 vo, vn;

    if (!debt && t->factor == 0)
        return true;
    if (__builtin_mul_overflow(amount, t->po, &vo) ||
        __builtin_mul_overflow(vo, t->unit, &vo) ||
        __builtin_mul_overflow(amount, t->pn, &vn) ||
        __builtin_mul_overflow(vn, t->unit, &vn))
        return false;
    return model_sums128_move_leg(sums, debt, vo, vn, t->factor);
}

static bool
aave4_retick128(const struct market *m, uint8_t asset, bool debt, u128 amount,
                u128 p_old, u128 p_new, struct model_sums128 *sums)
{
    struct model_tick128 t = {.m = m, .po = p_old, .pn = p_new, .asset = asset};

    return aave4_tick128_prep(&t) && aave4_move128(&t, debt, amount, sums);
}

static bool
aave4_finish128(const struct market *m, const struct model_sums128 *sums,
                bool has_debt, struct model_health128 *out)
{
    u128 hf;

    (void)m;
    (void)has_debt; /* Aave counts debt by value */
    memset(out, 0, sizeof(*out));
    if (sums->s[2] == 0)
        return true;
    if (!u256_muldiv128(&hf, sums->s[1], 100000000000000ULL, sums->s[2],
                        U256_FLOOR))
        return false;
    out->hf = hf;
    out->has_debt = true;
    out->liquidatable = hf < WAD;
    out->bad_debt = sums->s[0] < sums->s[2];
    return true;
}

static bool
aave4_tick128(const struct model_tick128 *t, bool debt, u128 amount,
              bool has_debt, struct model_sums128 *sums,
              struct model_health128 *out)
{
    return aave4_move128(t, debt, amount, sums) &&
           aave4_finish128(t->m, sums, has_debt, out);
}

static int
aave4_account(const struct market *m, const struct position *p,
              const struct u256 *price, struct account *out)
{
    return model_sums_account(m, p, price, out);
}

/* The amounts of one call for debtToCover `want` (max: no limit). */
struct aave4_call {
    struct u256 debt;     /* debt repaid */
    struct u256 required; /* what debtToCover must be at least */
    struct u256 coll;     /* collateral seized */
    struct u256 fee;
    struct u256 bonus;
};

static int
aave4_amounts(const struct market *m, const struct position *p,
              const struct u256 *price, const struct liq_call *call,
              const struct account *acct, bool max, struct u256 want,
              struct aave4_call *c)
{
    const struct leg *dl = &p->debt[call->debt], *cl = &p->coll[call->coll];
    const struct asset *ca = &m->assets[cl->asset];
    const struct market_params *pr = &m->params;
    struct u256 dp = price[dl->asset], cp = price[cl->asset];
    struct u256 dunit = u256_exp10(m->assets[dl->asset].decimals);
    struct u256 cunit = u256_exp10(ca->decimals);
    struct u256 dust, left, lv, target, tv, num, den, base;
    struct aave4_totals t;
    uint64_t lb =
        model_aave4_bonus(acct->hf, pr->health_factor_for_max_bonus,
                          pr->liquidation_bonus_factor, BPS + ca->bonus);
    bool full_debt;
    int rc;

    rc = aave4_totals(m, p, price, &t);
    if (rc == 0)
        rc = u256_mul(&dust, u256_from_u64(AAVE4_DUST_BASE),
                      u256_exp10(m->base_decimals + 18u));
    if (rc != 0)
        return rc;
    /* debt to target: the closed form, in units (debtRay / RAY, up) */
    c->debt = dl->amount;
    if (u256_lt(acct->hf, u256_from_u64(pr->target_health_factor))) {
        rc = u256_mul(&tv, t.debt, aave4_ray());
        if (rc == 0)
            rc = model_aave4_debt_to_target(
                &target, tv, dunit, dp, acct->hf,
                u256_from_u64(pr->target_health_factor), lb, ca->lt);
        if (rc == 0) {
            (void)u256_div(&target, target, aave4_ray(), U256_CEIL);
            c->debt = u256_min(c->debt, target);
        }
    }
    if (!max)
        c->debt = u256_min(c->debt, want);
    /* Dust: a remaining debt under 1,000 base units forces the whole
     * reserve debt (the target is bypassed). */
    (void)u256_sub(&left, dl->amount, c->debt);
    rc = aave4_value(&lv, m, dl->asset, left, price);
    if (rc != 0)
        return rc;
    if (!u256_is_zero(left) && u256_lt(lv, dust))
        c->debt = dl->amount;
    full_debt = u256_eq(c->debt, dl->amount);
    /* collateral = debt * dp * collUnit * LB / (debtUnit * cp * 1e4) */
    rc = u256_mul(&num, c->debt, dp);
    if (rc == 0)
        rc = u256_mul(&den, dunit, cp);
    if (rc == 0)
        rc = u256_mul(&den, den, u256_from_u64(BPS));
    if (rc == 0)
        rc = u256_muldiv(&num, num, u256_from_u64(lb), u256_from_u64(1),
                         U256_FLOOR);
    if (rc == 0)
        rc = u256_muldiv(&c->coll, num, cunit, den, U256_FLOOR);
    if (rc != 0)
        return rc;
    {
        bool coll_dust = false;

        if (u256_le(c->coll, cl->amount)) {
            (void)u256_sub(&left, cl->amount, c->coll);
            rc = aave4_value(&lv, m, cl->asset, left, price);
            if (rc != 0)
                return rc;
            coll_dust = !u256_is_zero(left) && u256_lt(lv, dust) && !full_debt;
        }
        if (coll_dust || u256_lt(cl->amount, c->coll)) {
            /* Seize it all; debt = ceil(coll * cp * debtUnit * 1e4 /
             * (dp * collUnit * LB)), at most the reserve debt. */
            c->coll = cl->amount;
            rc = u256_mul(&num, c->coll, cp);
            if (rc == 0)
                rc = u256_mul(&num, num, u256_from_u64(BPS));
            if (rc == 0)
                rc = u256_mul(&den, dp, cunit);
            if (rc == 0)
                rc = u256_mul(&den, den, u256_from_u64(lb));
            if (rc == 0)
                rc = u256_muldiv(&c->debt, num, dunit, den, U256_CEIL);
            if (rc != 0)
                return rc;
            c->debt = u256_min(c->debt, dl->amount);
        }
    }
    c->required = c->debt;
    /* fee = ceil(seized * fee * (LB - 1e4) / (LB * 1e4)) */
    rc = u256_muldiv(&c->fee, c->coll, u256_from_u64(ca->fee * (lb - BPS)),
                     u256_from_u64(lb * BPS), U256_CEIL);
    if (rc == 0)
        rc = u256_muldiv(&base, c->coll, u256_from_u64(BPS), u256_from_u64(lb),
                         U256_FLOOR);
    if (rc != 0)
        return rc;
    (void)u256_sub(&c->bonus, c->coll, base);
    if (u256_lt(c->coll, c->fee))
        c->fee = c->coll;
    return 0;
}

static int
aave4_liquidate(const struct market *m, const struct position *p,
                const struct u256 *price, const struct liq_call *call,
                struct liq_result *out)
{
    struct account acct, after;
    struct aave4_call max, req;
    struct liq_result r;
    struct position q;
    bool coll_left = false;
    int rc;

    if (call->debt >= p->ndebt || call->coll >= p->ncoll)
        return LIQ_EINVAL;
    rc = aave4_account(m, p, price, &acct);
    if (rc == 0)
        rc = aave4_amounts(m, p, price, call, &acct, true, u256_zero(), &max);
    if (rc != 0)
        return rc;
    req = max;
    if (!call->max) {
        rc = aave4_amounts(m, p, price, call, &acct, false, call->repay, &req);
        if (rc != 0)
            return rc;
    }
    memset(&r, 0, sizeof(r));
    r.max_repay = max.debt;
    if (!u256_is_zero(p->debt[call->debt].amount))
        (void)u256_muldiv(&r.close_factor, max.debt, u256_from_u64(WAD),
                          p->debt[call->debt].amount, U256_FLOOR);
    r.repay = req.debt;
    r.seized = req.coll;
    r.fee = req.fee;
    (void)u256_sub(&r.to_liquidator, req.coll, req.fee);
    r.bonus = req.bonus;

    q = *p;
    (void)u256_sub(&q.debt[call->debt].amount, q.debt[call->debt].amount,
                   u256_min(req.debt, q.debt[call->debt].amount));
    (void)u256_sub(&q.coll[call->coll].amount, q.coll[call->coll].amount,
                   u256_min(req.coll, q.coll[call->coll].amount));
    for (int i = 0; i < q.ncoll; i++)
        coll_left = coll_left || (!u256_is_zero(q.coll[i].amount) &&
                                  m->assets[q.coll[i].asset].lt > 0);
    r.bad_debt_after = !coll_left && position_has_debt(&q);
    if (r.bad_debt_after) {
        /* _evaluateDeficit: the remaining debt is reported as deficit. */
        for (int i = 0; i < q.ndebt; i++)
            q.debt[i].amount = u256_zero();
    }
    rc = aave4_account(m, &q, price, &after);
    if (rc != 0)
        return rc;
    r.hf_after = after.hf;
    r.lowers_health = u256_lt(after.hf, acct.hf);
    /* InvalidDebtToCover comes before health; the burns after dust. */
    if (u256_is_zero(req.debt) || u256_is_zero(max.debt) ||
        (!call->max && u256_is_zero(call->repay)))
        r.revert = REVERT_NOTHING_TO_REPAY;
    else if (!acct.liquidatable || m->assets[p->coll[call->coll].asset].lt == 0)
        r.revert = REVERT_NOT_LIQUIDATABLE;
    else if (!call->max && u256_lt(call->repay, req.required))
        r.revert = REVERT_DUST;
    else if (u256_is_zero(req.coll))
        r.revert = REVERT_TOO_SMALL;
    else
        r.revert = REVERT_NONE;
    *out = r;
    return 0;
}

const struct model_ops model_aave4_ops = {
    .name = "aave-v4",
    .account = aave4_account,
    .term = aave4_term,
    .finish = aave4_finish,
    .term128 = aave4_term128,
    .retick128 = aave4_retick128,
    .tick128_prep = aave4_tick128_prep,
    .tick128 = aave4_tick128,
    .finish128 = aave4_finish128,
    .liquidate = aave4_liquidate,
};
