/*
 * stress_prep.c: the model's verdict on one position in many scenarios,
 * its legs taken into 128 bits once and, for the additive models, the
 * legs whose prices no scenario moves summed once (account = finish of
 * the sum of the legs' terms, in any order: model.h).
 *
 * Owns the preparation only; every verdict is the model's twins' or, where
 * they decline, stress_verdict's. Pure: no allocation, no I/O.
 */
#include "core/stress_prep.h"

#include <string.h>

#include "core/model.h"

void
stress_prep_init(struct stress_prep *sp, const struct market *m,
                 const struct position *p, const struct u256 *price0,
                 uint32_t moving)
{
    unsigned n = (unsigned)p->ncoll + p->ndebt;

    memset(sp, 0, sizeof *sp);
    sp->m = m;
    sp->p = p;
    sp->ops = model_get(m->model);
    sp->moving = moving;
    sp->has_debt = position_has_debt(p);
    for (unsigned i = 0; i < n; i++) {
        bool debt = i >= p->ncoll;
        const struct leg *l = debt ? &p->debt[i - p->ncoll] : &p->coll[i];
        struct u256 b;

        /* model_largest_leg: a collateral euler-v2's vault does not
         * recognize, or a balance in error, counts 0 */
        if ((!debt && m->model == MODEL_EULER_V2 &&
             (m->euler.collateral >> l->asset & 1u) == 0) ||
            model_balance(m, l->asset, debt, l->amount, &b) != 0)
            sp->nil |= 1u << i;
        else if (u256_to_u128(b, &sp->balance[i]))
            sp->bal |= 1u << i;
    }
    if (sp->ops == NULL || m->nassets > MARKET_ASSETS_MAX)
        return;
    sp->additive = model_is_additive(m) && sp->ops->term128 != NULL &&
                   sp->ops->finish128 != NULL;
    if (!sp->additive && sp->ops->account128 == NULL)
        return;
    for (unsigned i = 0; i < n; i++) {
        bool debt = i >= p->ncoll;
        const struct leg *l = debt ? &p->debt[i - p->ncoll] : &p->coll[i];
        struct model_sums128 t;
        u128 px;

        if (l->asset >= m->nassets || !u256_to_u128(l->amount, &sp->amount[i]))
            return;
        sp->asset[i] = l->asset;
        if (!sp->additive || ((moving >> l->asset) & 1))
            continue;
        if (!u256_to_u128(price0[l->asset], &px) ||
            !sp->ops->term128(m, l->asset, debt, sp->amount[i], px, &t))
            return;
        for (int k = 0; k < MODEL_SUMS; k++)
            if (__builtin_add_overflow(sp->rest.s[k], t.s[k], &sp->rest.s[k]))
                return;
    }
    sp->fast = true;
}

/* The twins' verdict; false where they decline. */
static bool
stress_prep_fast(const struct stress_prep *sp, const struct market *m,
                 const struct u256 *price, bool *liq)
{
    const struct position *p = sp->p;
    unsigned n = (unsigned)p->ncoll + p->ndebt;

    if (sp->additive) {
        struct model_sums128 sums = sp->rest, t;
        struct model_health128 h;

        if (m != sp->m)
            return false; /* the rest was summed on the prepared market */
        for (unsigned i = 0; i < n; i++) {
            uint8_t a = sp->asset[i];
            u128 px;

            if (!((sp->moving >> a) & 1))
                continue;
            if (!u256_to_u128(price[a], &px) ||
                !sp->ops->term128(m, a, i >= p->ncoll, sp->amount[i], px, &t))
                return false;
            for (int k = 0; k < MODEL_SUMS; k++)
                if (__builtin_add_overflow(sums.s[k], t.s[k], &sums.s[k]))
                    return false;
        }
        if (!sp->ops->finish128(m, &sums, sp->has_debt, &h))
            return false;
        *liq = h.liquidatable;
        return true;
    }
    {
        u128 px[MARKET_ASSETS_MAX];
        struct model_account128 a;

        memset(px, 0, sizeof px);
        for (unsigned i = 0; i < n; i++)
            if (!u256_to_u128(price[sp->asset[i]], &px[sp->asset[i]]))
                return false;
        if (!sp->ops->account128(m, sp->asset, sp->amount, p->ncoll, p->ndebt,
                                 px, &a))
            return false;
        *liq = a.liquidatable;
        return true;
    }
}

int
stress_prep_verdict(const struct stress_prep *sp, const struct market *m,
                    const struct u256 *price, bool *liq)
{
    if (sp->fast && stress_prep_fast(sp, m, price, liq))
        return 0;
    return stress_verdict(m, sp->p, price, liq);
}

/* model_largest_leg on the balances; false where one passes 128 bits or
 * a value does not fit (the caller then asks model_largest_leg). */
static bool
stress_prep_largest(const struct stress_prep *sp, const struct market *m,
                    bool debt, const struct u256 *price, uint8_t *leg)
{
    const struct position *p = sp->p;
    unsigned first = debt ? p->ncoll : 0, n = debt ? p->ndebt : p->ncoll;
    u128 best = 0;

    *leg = 0;
    for (unsigned i = 0; i < n; i++) {
        unsigned j = first + i;
        uint8_t a = sp->asset[j];
        u128 v = 0, px;

        if (((sp->nil >> j) & 1) == 0 &&
            (((sp->bal >> j) & 1) == 0 || !u256_to_u128(price[a], &px) ||
             !u256_muldiv128_pow10(&v, sp->balance[j], px,
                                   m->assets[a].decimals)))
            return false;
        if (i == 0 || best < v) {
            best = v;
            *leg = (uint8_t)i;
        }
    }
    return true;
}

int
stress_prep_call(const struct stress_prep *sp, const struct market *m,
                 const struct u256 *price, bool was_liquidatable,
                 struct stress_totals *t)
{
    const struct position *p = sp->p;
    uint8_t debt = 0, coll = 0;

    if (m != sp->m || !sp->fast)
        return stress_call(m, p, price, was_liquidatable, t);
    if (m->model != MODEL_COMPOUND_V3 && p->ndebt > 0 && p->ncoll > 0) {
        if (!stress_prep_largest(sp, m, true, price, &debt))
            debt = model_largest_leg(m, p, true, price);
        if (!stress_prep_largest(sp, m, false, price, &coll))
            coll = model_largest_leg(m, p, false, price);
    }
    return stress_call_legs(m, p, price, debt, coll, was_liquidatable, t);
}
