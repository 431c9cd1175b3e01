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

/* The model's verdict at price x of the asset; errors count as "not
 * liquidatable" so the search never stops on an overflow far out. */
static bool
liqprice_liquidatable(struct liqprice_ctx *c, struct u256 x, struct u256 *hf)
{
    struct account a;

    c->price[c->asset] = x;
    if (model_account(c->m, c->p, c->price, &a) != 0) {
        if (hf != NULL)
            *hf = u256_max();
        return false;
    }
    if (hf != NULL)
        *hf = a.hf;
    return a.liquidatable;
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
    if (liqprice_liquidatable(&c, est, NULL)) {
        lo = est;
        for (;;) {
            if (u256_add(&hi, lo, step) != 0 || u256_lt(cap, hi))
                return 0; /* liquidatable at every price */
            if (!liqprice_liquidatable(&c, hi, NULL))
                break;
            lo = hi;
            (void)u256_add(&step, step, step);
        }
    } else {
        hi = est;
        for (;;) {
            if (u256_le(hi, step)) {
                lo = u256_zero();
                break;
            }
            (void)u256_sub(&lo, hi, step);
            if (liqprice_liquidatable(&c, lo, NULL))
                break;
            hi = lo;
            (void)u256_add(&step, step, step);
        }
    }
    /* Bisect: lo liquidatable, hi not, until they are one unit apart. */
    for (;;) {
        struct u256 span = u256_zero(), mid = u256_zero();

        (void)u256_sub(&span, hi, lo);
        if (u256_le(span, u256_from_u64(1)))
            break;
        (void)u256_div(&span, span, u256_from_u64(2), U256_FLOOR);
        (void)u256_add(&mid, lo, span);
        if (liqprice_liquidatable(&c, mid, NULL))
            lo = mid;
        else
            hi = mid;
    }
    *exists = true;
    *out = lo;
    return 0;
}
