/*
 * liqprice.c: the liquidation price of one asset alone, exact to the base
 * unit, for every model through model_account().
 *
 * Owns the search: a linear estimate from two valuations (health is close
 * to linear in one price), a bracket grown by doubling around it, then
 * bisection on the model's own verdict, so the answer is the model's and
 * not the estimate's. Typically under ten valuations. Pure.
 */
#include "core/liqprice.h"

#include <string.h>

#include "core/liq.h"
#include "core/model.h"

/* Prices past 2^200 base units are treated as "every price". */
#define LIQPRICE_MAX_BITS 200

struct liqprice_ctx {
    const struct market *m;
    const struct position *p;
    struct u256 price[MARKET_ASSETS_MAX];
    uint8_t asset;
};

/* The model's verdict at price x of the asset: 1 liquidatable, 0 not, -1
 * when the model cannot value it (an overflow far out). */
static int
liqprice_verdict(struct liqprice_ctx *c, struct u256 x, struct u256 *hf)
{
    struct account a;

    c->price[c->asset] = x;
    if (model_account(c->m, c->p, c->price, &a) != 0) {
        if (hf != NULL)
            *hf = u256_max();
        return -1;
    }
    if (hf != NULL)
        *hf = a.hf;
    return a.liquidatable ? 1 : 0;
}

/* Errors count as "not liquidatable" where the search only needs a yes. */
static bool
liqprice_liquidatable(struct liqprice_ctx *c, struct u256 x, struct u256 *hf)
{
    return liqprice_verdict(c, x, hf) == 1;
}

static struct u256
liqprice_cap(void)
{
    struct u256 cap = u256_zero();

    cap.w[LIQPRICE_MAX_BITS / 64] = 1ULL << (LIQPRICE_MAX_BITS % 64);
    return cap;
}

/*
 * The linear estimate x = x1 * (1 - h0) / (h1 - h0) from health h0 at price
 * 0 and h1 at price x1; false when health does not grow with the price.
 */
static bool
liqprice_estimate(struct u256 h0, struct u256 h1, struct u256 x1,
                  struct u256 *out)
{
    struct u256 num, den;

    if (!u256_lt(h0, h1) || u256_is_max(h1))
        return false;
    if (u256_sub(&num, u256_from_u64(WAD), h0) != 0)
        return false;
    (void)u256_sub(&den, h1, h0);
    return u256_muldiv(out, x1, num, den, U256_FLOOR) == 0;
}

int
liqprice_compute(const struct market *m, const struct position *p,
                 const struct u256 *price, uint8_t asset, bool *exists,
                 struct u256 *out)
{
    struct liqprice_ctx c;
    struct u256 h0, h1, x1, est, lo, hi, step, cap = liqprice_cap();
    bool hi_err;
    int v;

    if (asset >= m->nassets)
        return LIQ_EINVAL;
    memset(&c, 0, sizeof(c));
    c.m = m;
    c.p = p;
    c.asset = asset;
    memcpy(c.price, price, m->nassets * sizeof(price[0]));
    *exists = false;
    if (!position_has_debt(p))
        return 0;
    /* Healthy even at zero: no price of this asset liquidates it. */
    if (!liqprice_liquidatable(&c, u256_zero(), &h0))
        return 0;
    x1 = price[asset];
    if (u256_is_zero(x1))
        x1 = u256_exp10(m->base_decimals);
    (void)liqprice_liquidatable(&c, x1, &h1);
    if (!liqprice_estimate(h0, h1, x1, &est))
        est = x1;
    if (u256_lt(cap, est))
        est = cap;
    /* Bracket: lo liquidatable, hi not. The estimate is off only by the
     * models' rounding, so start with a small step and grow it. */
    /* est >> 40: the estimate is off only by rounding, typically a few
     * units, so a few doublings find the bracket and few halvings close
     * it. */
    step = u256_zero();
    for (int i = 0; i < 3; i++)
        step.w[i] = (est.w[i] >> 40) | (est.w[i + 1] << 24);
    step.w[3] = est.w[3] >> 40;
    if (u256_is_zero(step))
        step = u256_from_u64(1);
    hi_err = false;
    v = liqprice_verdict(&c, est, NULL);
    if (v == 1) {
        lo = est;
        for (;;) {
            if (u256_add(&hi, lo, step) != 0 || u256_lt(cap, hi))
                hi = cap;
            if (u256_eq(hi, lo))
                return 0; /* liquidatable at every price up to 2^200 */
            v = liqprice_verdict(&c, hi, NULL);
            if (v < 0) {
                /* Past where the model can value the position: close in
                 * on that edge with smaller steps. Liquidatable up to it
                 * is no price, as if liquidatable at every price. */
                if (u256_le(step, u256_from_u64(1)))
                    return 0;
                (void)u256_div(&step, step, u256_from_u64(2), U256_FLOOR);
                continue;
            }
            if (v == 0)
                break;
            lo = hi;
            (void)u256_add(&step, step, step);
        }
    } else {
        hi = est;
        hi_err = v < 0;
        for (;;) {
            if (u256_le(hi, step)) {
                lo = u256_zero();
                break;
            }
            (void)u256_sub(&lo, hi, step);
            v = liqprice_verdict(&c, lo, NULL);
            if (v == 1)
                break;
            hi = lo;
            hi_err = v < 0;
            (void)u256_add(&step, step, step);
        }
    }
    /* Bisect: lo liquidatable, hi not (or not valued), until they are one
     * unit apart. */
    for (;;) {
        struct u256 span = u256_zero(), mid = u256_zero();

        (void)u256_sub(&span, hi, lo);
        if (u256_le(span, u256_from_u64(1)))
            break;
        (void)u256_div(&span, span, u256_from_u64(2), U256_FLOOR);
        (void)u256_add(&mid, lo, span);
        v = liqprice_verdict(&c, mid, NULL);
        if (v == 1) {
            lo = mid;
        } else {
            hi = mid;
            hi_err = v < 0;
        }
    }
    /* Liquidatable up to the last price the model can value: no price. */
    if (hi_err)
        return 0;
    *exists = true;
    *out = lo;
    return 0;
}
