/*
 * model_aave3_128.c: Aave v3's sums and health on 128-bit figures, for the
 * book's hot loop (model.h term128, retick128, tick128_prep, tick128,
 * move128 and finish128): the same answer as model_aave3.c's term and finish
 * wherever every figure fits, false where one does not, so that the general
 * path answers; and from those figures the values alone (values128) and the
 * prices of one collateral at which the verdict is liquidatable
 * (liqset128), worked out from the same formulas.
 *
 * Owns only these twins; the rules are model_aave3.c's. Pure.
 */
#include "core/model.h"

#include <string.h>

#include "core/model_aave.h"

/* model_tick128.mode: a debt leg's rounding in the low bits; the high bit
 * set when a collateral leg of the asset adds nothing (model_aave3_counted). */
#define AAVE3_TICK_ROUND 0x7fu
#define AAVE3_TICK_SKIP 0x80u

bool
model_aave3_128_term(const struct market *m, uint8_t asset, bool debt,
                     u128 amount, u128 price, struct model_sums128 *out)
{
    const struct asset *a = &m->assets[asset];
    u128 unit = u256_pow10_128(a->decimals), v;

    memset(out, 0, sizeof(*out));
    if (model_aave3_scaled(m, asset, debt))
        return false; /* an index to apply: the general path */
    if (debt)
        return u256_muldiv128(&out->s[2], amount, price, unit,
                              model_aave3_debt_rounding(m));
    if (!model_aave3_counted(m, asset))
        return true;
    if (!u256_muldiv128(&v, amount, price, unit, U256_FLOOR))
        return false;
    out->s[0] = v;
    return u256_mul128_u64(&out->s[1], v, a->lt);
}

bool
model_aave3_128_tick_prep(struct model_tick128 *t)
{
    const struct asset *a = &t->m->assets[t->asset];

    if (((t->m->view.coll_scaled | t->m->view.debt_scaled) >> t->asset) & 1u)
        return false; /* scaled legs of it: the general path */
    t->unit = u256_pow10_128(a->decimals);
    t->factor = a->lt;
    /* a debt leg's rounding, and whether a collateral leg is skipped */
    t->mode =
        (uint8_t)((uint8_t)model_aave3_debt_rounding(t->m) |
                  (model_aave3_counted(t->m, t->asset) ? 0 : AAVE3_TICK_SKIP));
    /* Prices and unit within 64 bits (any price below $1e11 at 8
     * decimals): the holders' products then take the short path. */
    t->narrow = ((t->unit | t->po | t->pn) >> 64) == 0;
    return t->unit != 0;
}

/* retick128 on a prepared move. */
static inline bool
aave3_move128(const struct model_tick128 *t, bool debt, u128 amount,
              struct model_sums128 *sums)
{
    u128 vo, vn;

    uint64_t po = (uint64_t)t->po, pn = (uint64_t)t->pn;
    uint64_t unit = (uint64_t)t->unit;

    if (!t->narrow) {
        enum u256_round mode =
            debt ? (enum u256_round)(t->mode & AAVE3_TICK_ROUND) : U256_FLOOR;
        if (!debt && (t->mode & AAVE3_TICK_SKIP))
            return true;
        return u256_muldiv128(&vo, amount, t->po, t->unit, mode) &&
               u256_muldiv128(&vn, amount, t->pn, t->unit, mode) &&
               model_sums128_move_leg(sums, debt, vo, vn, t->factor);
    }
    /* Two branches, so that each inlines its rounding as a constant; the
     * values by value (u256_muldiv128_64v), kept in registers. */
    bool fail = false;
    if (debt) {
        enum u256_round mode = (enum u256_round)(t->mode & AAVE3_TICK_ROUND);
        vo = u256_muldiv128_64v(amount, po, unit, mode, &fail);
        vn = u256_muldiv128_64v(amount, pn, unit, mode, &fail);
        return !fail && model_sums128_move_leg(sums, true, vo, vn, t->factor);
    }
    if (t->mode & AAVE3_TICK_SKIP)
        return true;
    vo = u256_muldiv128_64v(amount, po, unit, U256_FLOOR, &fail);
    vn = u256_muldiv128_64v(amount, pn, unit, U256_FLOOR, &fail);
    return !fail && model_sums128_move_leg(sums, false, vo, vn, t->factor);
}

bool
model_aave3_128_move(const struct model_tick128 *t, bool debt, u128 amount,
                     struct model_sums128 *sums)
{
    return aave3_move128(t, debt, amount, sums);
}

/* term128 at the prepared pn, added to the sums. */
bool
model_aave3_128_add(const struct model_tick128 *t, bool debt, u128 amount,
                    struct model_sums128 *sums)
{
    enum u256_round mode =
        debt ? (enum u256_round)(t->mode & AAVE3_TICK_ROUND) : U256_FLOOR;
    u128 v, w, s0, s1;

    if (!debt && (t->mode & AAVE3_TICK_SKIP))
        return true;
    if (t->narrow) {
        bool fail = false;
        v = u256_muldiv128_64v(amount, (uint64_t)t->pn, (uint64_t)t->unit, mode,
                               &fail);
        if (fail)
            return false;
    } else if (!u256_muldiv128(&v, amount, t->pn, t->unit, mode)) {
        return false;
    }
    if (debt) {
        /* the builtin stores the wrapped sum: kept only when it fits */
        if (__builtin_add_overflow(sums->s[2], v, &s0))
            return false;
        sums->s[2] = s0;
        return true;
    }
    if (!u256_mul128_u64(&w, v, t->factor) ||
        __builtin_add_overflow(sums->s[0], v, &s0) ||
        __builtin_add_overflow(sums->s[1], w, &s1))
        return false;
    sums->s[0] = s0;
    sums->s[1] = s1;
    return true;
}

bool
model_aave3_128_retick(const struct market *m, uint8_t asset, bool debt,
                       u128 amount, u128 p_old, u128 p_new,
                       struct model_sums128 *sums)
{
    struct model_tick128 t = {.m = m, .po = p_old, .pn = p_new, .asset = asset};

    return model_aave3_128_tick_prep(&t) &&
           aave3_move128(&t, debt, amount, sums);
}

/* floor(x / 2e4); a 64-bit x (nearly every debt) by multiplication, where
 * a 128-bit division is a library call. */
static u128
aave3_div20000(u128 x)
{
    if ((x >> 64) == 0)
        return (uint64_t)x / (2 * BPS);
    return x / (2 * BPS);
}

/* Inline: the tick runs it for every holder. */
inline bool
model_aave3_128_finish(const struct market *m, const struct model_sums128 *sums,
                       bool has_debt, struct model_health128 *out)
{
    u128 coll = sums->s[0], weighted = sums->s[1], debt = sums->s[2], hf;

    (void)has_debt; /* Aave counts debt by value */
    memset(out, 0, sizeof(*out));
    if (debt == 0)
        return true;
    if (model_aave3_is_v35(m)) {
        /* floor(halfUp(W * 1e18 / D) / 1e4), where halfUp(x / D) is
         * floor((x + floor(D / 2)) / D), is one division: nested floors
         * merge (floor(floor(a / b) / c) = floor(a / (b * c))) and split
         * the other way round, and W * 1e18 is a multiple of 1e4, so it
         * is floor((W * 1e14 + floor(D / 2e4)) / D). */
        u128 num;
        if (!u256_mul128_u64(&num, weighted, WAD / BPS) ||
            __builtin_add_overflow(num, aave3_div20000(debt), &num) ||
            !u256_muldiv128(&hf, num, 1, debt, U256_FLOOR))
            return false;
    } else {
        u128 avg = 0, adj;

        if (coll != 0 && !u256_muldiv128(&avg, weighted, 1, coll, U256_FLOOR))
            return false;
        /* the 64 bits aave3_finish passes on (avg is at most 1e4) */
        if (!u256_muldiv128(&adj, coll, (uint64_t)avg, BPS, U256_HALF_UP) ||
            !u256_muldiv128(&hf, adj, WAD, debt, U256_HALF_UP))
            return false;
    }
    out->hf = hf;
    out->has_debt = true;
    out->liquidatable = hf < WAD;
    out->bad_debt = coll < debt;
    return true;
}

bool
model_aave3_128_tick(const struct model_tick128 *t, bool debt, u128 amount,
                     bool has_debt, struct model_sums128 *sums,
                     struct model_health128 *out)
{
    return aave3_move128(t, debt, amount, sums) &&
           model_aave3_128_finish(t->m, sums, has_debt, out);
}

/* aave3_finish's coll_value and debt_value are the sums s[0] and s[2]. */
bool
model_aave3_128_values(const struct market *m, const struct model_sums128 *sums,
                       u128 *coll_value, u128 *debt_value)
{
    (void)m;
    *coll_value = sums->s[0];
    *debt_value = sums->s[2];
    return true;
}

/* ceil(a / b), false when b is 0. */
static bool
aave3_ceil_div(u128 *r, u128 a, u128 b)
{
    if (b == 0)
        return false;
    *r = a / b + (a % b != 0);
    return true;
}

/* floor((s0 + lt * v) / (c0 + v)), the average threshold at value v of
 * the leg; false where c0 + v is 0 or a figure leaves 128 bits. */
static bool
aave3_avg_at(u128 *q, u128 c0, u128 s0, uint64_t lt, u128 v)
{
    u128 num, den;

    if (__builtin_mul_overflow(v, (u128)lt, &num) ||
        __builtin_add_overflow(num, s0, &num) ||
        __builtin_add_overflow(c0, v, &den) || den == 0)
        return false;
    *q = num / den;
    return true;
}

/* The interval of values [a, b) appended as prices: floor(amount * x /
 * unit) is at least v exactly from x = ceil(v * unit / amount) on. */
static bool
aave3_set_add(struct model_liqset *out, u128 a, u128 b, u128 unit, u128 amount)
{
    u128 lo, hi;

    if (a >= b)
        return true;
    if (!u256_muldiv128(&lo, a, unit, amount, U256_CEIL) ||
        !u256_muldiv128(&hi, b, unit, amount, U256_CEIL))
        return false;
    if (lo >= hi)
        return true;
    if (out->n > 0 && out->hi[out->n - 1] == lo) {
        out->hi[out->n - 1] = hi;
        return true;
    }
    if (out->n == MODEL_LIQSET_MAX)
        return false;
    out->lo[out->n] = lo;
    out->hi[out->n++] = hi;
    return true;
}

/*
 * Before 3.5 health is wadDiv(percentMul(C, floor(S / C)), D), half-up
 * both, with C the collateral value and S the sum of values times
 * thresholds: liquidatable exactly when g = C * floor(S / C) is below
 * G = 1e4 * ceil((WAD * D - floor(D / 2)) / WAD) - 5000. With the leg at
 * value v (non-decreasing in its price), C = c0 + v and S = s0 + lt * v.
 * Since S - C < g <= S, every v with S < G is liquidatable (v < v1) and
 * every v with S - C >= G - 1 is not (v >= v2). Between them g = C * q
 * with q = floor(S / C), which moves monotonically as S / C moves toward
 * lt: where q is constant g rises with v. When lt * c0 >= s0, q never
 * falls: g is non-decreasing, the verdict a prefix, given when q is
 * constant on [v1, v2]. Otherwise q falls from q(v1) to q(v2), at least
 * k exactly while v <= e_k = floor((s0 - k c0) / (k - lt)), and each
 * stretch of one q is liquidatable below ceil(G / q) - c0: the verdict is
 * those pieces, a prefix when they join. Values as prices by
 * aave3_set_add. False where a figure leaves 128 bits, or past
 * MODEL_LIQSET_MAX pieces.
 */
static bool
aave3_liqset_v30(u128 c0, u128 s0, u128 d, uint64_t lt, u128 unit, u128 amount,
                 struct model_liqset *out)
{
    u128 wd, a, g, t, v1, v2, q1, q2, lc0;

    if (__builtin_mul_overflow(d, (u128)WAD, &wd) ||
        !aave3_ceil_div(&a, wd - d / 2, WAD) ||
        __builtin_mul_overflow(a, (u128)BPS, &g) || g < BPS / 2)
        return false;
    g -= BPS / 2;
    if (c0 == 0) {
        /* g = lt * v once v > 0 (0 at v = 0): below ceil(G / lt). */
        return aave3_ceil_div(&t, g, lt) &&
               aave3_set_add(out, 0, t, unit, amount);
    }
    if (lt < 2)
        return false;
    v1 = 0;
    if (s0 < g && !aave3_ceil_div(&v1, g - s0, lt))
        return false;
    /* v2: the least v with s0 + lt v - c0 - v >= G - 1 */
    v2 = 0;
    if (__builtin_add_overflow(g, c0 - 1, &t))
        return false;
    if (s0 < t && !aave3_ceil_div(&v2, t - s0, lt - 1))
        return false;
    if (v2 < v1 || !aave3_avg_at(&q1, c0, s0, lt, v1) ||
        !aave3_avg_at(&q2, c0, s0, lt, v2) ||
        __builtin_mul_overflow(c0, (u128)lt, &lc0))
        return false; /* v2 < v1 cannot be: S >= G + C - 1 >= G at v2 */
    if (!aave3_set_add(out, 0, v1, unit, amount))
        return false;
    if (q1 == q2 || lc0 < s0) {
        /* pieces of one q each, from q1 down to q2 (one when equal) */
        if (q1 < q2 || q1 - q2 >= MODEL_LIQSET_MAX)
            return false;
        u128 start = v1;
        for (u128 k = q1;; k--) {
            u128 end = v2, tk;
            if (k > q2) {
                /* the last v with q >= k (k > lt: S / C falls to lt) */
                u128 kc0;
                if (k <= lt || __builtin_mul_overflow(k, c0, &kc0) || s0 < kc0)
                    return false;
                end = (s0 - kc0) / (k - lt);
                end = end < v2 ? end + 1 : v2;
                if (end > v2)
                    end = v2;
            }
            if (k == 0 || !aave3_ceil_div(&tk, g, k))
                tk = end; /* g = 0 here: all of it liquidatable */
            else
                tk = tk > c0 ? tk - c0 : 0;
            if (!aave3_set_add(out, start, tk < end ? tk : end, unit, amount))
                return false;
            if (k == q2)
                break;
            start = end > start ? end : start;
        }
        return true;
    }
    return false; /* q rises inside the band: a prefix, not told here */
}

bool
model_aave3_128_liqset(const struct market *m, const struct model_sums128 *rest,
                       uint8_t asset, u128 amount, struct model_liqset *out)
{
    const struct asset *a = &m->assets[asset];
    u128 d = rest->s[2], v, t, unit = u256_pow10_128(a->decimals);
    uint64_t lt = a->lt;

    out->n = 0;
    out->proven = false;
    /* A leg that adds nothing, or no threshold: health does not move
     * with the price, and the search answers that in full. */
    if (amount == 0 || lt == 0 || d == 0 || unit == 0 ||
        model_aave3_scaled(m, asset, false) || !model_aave3_counted(m, asset))
        return false;
    if (model_aave3_is_v35(m)) {
        /* health floor((W * 1e14 + floor(D / 2e4)) / D) never falls as
         * W = s1 + lt * v rises: liquidatable exactly while W is below
         * ceil((1e18 D - floor(D / 2e4)) / 1e14). Proven: the finish's
         * health is floor(halfUp(W * 1e18 / D) / 1e4) on 256 bits and
         * this one division on 128 (model_aave3_128_finish), below 1e18
         * exactly when W * 1e14 + floor(D / 2e4) < 1e18 D, so exactly
         * when W < t, however large W grows (it is not bounded by 128
         * bits there: past t it is healthy); W = s1 + lt * v with v =
         * floor(amount * x / unit) the term's, below V = ceil((t - s1) /
         * lt) exactly when x < ceil(V * unit / amount) (aave3_set_add). */
        u128 w0 = rest->s[1];
        if (__builtin_mul_overflow(d, (u128)WAD, &t) ||
            !aave3_ceil_div(&t, t - d / (2 * BPS), WAD / BPS))
            return false;
        out->proven = true;
        if (w0 >= t)
            return true; /* healthy at every price */
        return aave3_ceil_div(&v, t - w0, lt) &&
               aave3_set_add(out, 0, v, unit, amount);
    }
    return aave3_liqset_v30(rest->s[0], rest->s[1], d, lt, unit, amount, out);
}
