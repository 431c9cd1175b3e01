/*
 * model.c: dispatch from a market's model kind to its ops table, and the
 * texts of revert reasons.
 *
 * Owns no protocol rule; each lives in its model_*.c file. Also sums the
 * legs' terms of additive models (model.h). Pure.
 */
#include "core/model.h"

#include <stddef.h>
#include <string.h>

#include "core/liq.h"

static const struct model_ops *const model_table[MODEL_COUNT] = {
    [MODEL_AAVE_V3] = &model_aave3_ops,
    [MODEL_AAVE_V4] = &model_aave4_ops,
    [MODEL_COMPOUND_V2] = &model_compound2_ops,
    [MODEL_MORPHO_BLUE] = &model_morpho_ops,
    [MODEL_MORPHO_PRE] = &model_morpho_pre_ops,
    [MODEL_LIQUITY_V2] = &model_liquity_ops,
    [MODEL_COMPOUND_V3] = &model_comet_ops,
    [MODEL_EULER_V2] = &model_euler_ops,
    [MODEL_SPARK] = &model_spark_ops,
};

/* model_override's, where set. */
static const struct model_ops *model_overrides[MODEL_COUNT];

const struct model_ops *
model_get(enum model_kind kind)
{
    if ((unsigned)kind >= MODEL_COUNT)
        return NULL;
    return model_overrides[kind] != NULL ? model_overrides[kind]
                                         : model_table[kind];
}

const struct model_ops *
model_override(enum model_kind kind, const struct model_ops *ops)
{
    const struct model_ops *was = model_get(kind);

    if ((unsigned)kind < MODEL_COUNT)
        model_overrides[kind] = ops;
    return was;
}

const char *
model_revert_reason(enum liq_revert r)
{
    switch (r) {
    case REVERT_NONE:
        return NULL;
    case REVERT_NOT_LIQUIDATABLE:
        return "not liquidatable";
    case REVERT_TOO_MUCH_REPAY:
        return "too much repay";
    case REVERT_INSUFFICIENT_COLLATERAL:
        return "insufficient collateral";
    case REVERT_DUST:
        return "must not leave dust";
    case REVERT_NOTHING_TO_REPAY:
        return "nothing to repay";
    case REVERT_TOO_SMALL:
        return "too small";
    case REVERT_COLLATERAL_NOT_ENABLED:
        return "collateral not enabled";
    case REVERT_PAUSED:
        return "paused";
    case REVERT_GRACE_PERIOD:
        return "grace period";
    case REVERT_SENTINEL:
        return "sentinel";
    case REVERT_NOT_PRE_LIQUIDATABLE:
        return "not pre-liquidatable";
    case REVERT_USE_LIQUIDATION:
        return "use liquidation";
    case REVERT_ABSORB_ONLY:
        return "no partial liquidation";
    case REVERT_COOL_OFF:
        return "cool-off";
    }
    return NULL;
}

int
model_account(const struct market *m, const struct position *p,
              const struct u256 *price, struct account *out)
{
    const struct model_ops *ops = model_get(m->model);

    if (ops == NULL)
        return LIQ_EINVAL;
    return ops->account(m, p, price, out);
}

int
model_liquidate(const struct market *m, const struct position *p,
                const struct u256 *price, const struct liq_call *call,
                struct liq_result *out)
{
    const struct model_ops *ops = model_get(m->model);

    if (ops == NULL || (call->seize && !market_is_morpho(m->model)))
        return LIQ_EINVAL;
    return ops->liquidate(m, p, price, call, out);
}

int
model_balance(const struct market *m, uint8_t asset, bool debt,
              struct u256 stored, struct u256 *out)
{
    const struct model_ops *ops = model_get(m->model);

    if (ops == NULL)
        return LIQ_EINVAL;
    if (ops->balance != NULL)
        return ops->balance(m, asset, debt, stored, out);
    *out = stored;
    return 0;
}

int
model_apply(const struct market *m, uint8_t asset, bool debt,
            struct u256 stored, struct u256 amount, struct u256 *out)
{
    const struct model_ops *ops = model_get(m->model);

    if (ops == NULL)
        return LIQ_EINVAL;
    if (ops->apply != NULL)
        return ops->apply(m, asset, debt, stored, amount, out);
    if (debt)
        return u256_sub(out, stored, amount) != 0 ? LIQ_ERANGE : 0;
    return u256_add(out, stored, amount) != 0 ? LIQ_EOVERFLOW : 0;
}

int
model_account_after_burn(const struct market *m, const struct position *p,
                         uint8_t coll, struct u256 k, uint8_t debt,
                         struct u256 d, const struct u256 *price,
                         struct account *out)
{
    const struct model_ops *ops = model_get(m->model);
    struct position q = *p;
    struct leg *cl = &q.coll[coll], *dl = &q.debt[debt];
    int rc;

    if (ops == NULL || coll >= p->ncoll || debt >= p->ndebt)
        return LIQ_EINVAL;
    if (ops->account_after_burn != NULL)
        return ops->account_after_burn(m, p, coll, k, debt, d, price, out);
    rc = model_burn_bound(m, cl->asset, false, cl->amount, k, &cl->amount);
    if (rc == 0)
        rc = model_burn_bound(m, dl->asset, true, dl->amount, d, &dl->amount);
    return rc == 0 ? model_account(m, &q, price, out) : rc;
}

int
model_burn_bound(const struct market *m, uint8_t asset, bool debt,
                 struct u256 stored, struct u256 amount, struct u256 *out)
{
    const struct model_ops *ops = model_get(m->model);

    if (ops == NULL)
        return LIQ_EINVAL;
    if (ops->burn_bound != NULL)
        return ops->burn_bound(m, asset, debt, stored, amount, out);
    return u256_sub(out, stored, amount) != 0 ? LIQ_ERANGE : 0;
}

int
model_account_after_repay(const struct market *m, const struct position *p,
                          uint8_t leg, struct u256 amount,
                          const struct u256 *price, struct account *out)
{
    const struct model_ops *ops = model_get(m->model);
    struct position q;
    int rc;

    if (ops == NULL || leg >= p->ndebt)
        return LIQ_EINVAL;
    if (ops->account_after_repay != NULL)
        return ops->account_after_repay(m, p, leg, amount, price, out);
    q = *p;
    rc = model_apply(m, q.debt[leg].asset, true, q.debt[leg].amount, amount,
                     &q.debt[leg].amount);
    if (rc != 0)
        return rc;
    return ops->account(m, &q, price, out);
}

int
model_account_after_deposit(const struct market *m, const struct position *p,
                            uint8_t leg, struct u256 amount,
                            const struct u256 *price, struct account *out)
{
    const struct model_ops *ops = model_get(m->model);
    struct position q;
    int rc;

    if (ops == NULL || leg >= p->ncoll)
        return LIQ_EINVAL;
    if (ops->account_after_deposit != NULL)
        return ops->account_after_deposit(m, p, leg, amount, price, out);
    q = *p;
    rc = model_apply(m, q.coll[leg].asset, false, q.coll[leg].amount, amount,
                     &q.coll[leg].amount);
    if (rc != 0)
        return rc;
    return ops->account(m, &q, price, out);
}

int
model_time_to_liquidation(const struct market *m, const struct position *p,
                          const struct u256 *price, int64_t *out)
{
    const struct model_ops *ops = model_get(m->model);

    if (ops == NULL || ops->time_to_liquidation == NULL)
        return LIQ_ENOENT;
    return ops->time_to_liquidation(m, p, price, out);
}

int
model_refuse(const char *msg, char *err, size_t errlen)
{
    size_t n;

    if (msg == NULL)
        return 0;
    n = strlen(msg);
    if (errlen > 0) {
        n = n < errlen - 1 ? n : errlen - 1;
        memcpy(err, msg, n);
        err[n] = '\0';
    }
    return LIQ_EINVAL;
}

bool
model_is_additive(const struct market *m)
{
    const struct model_ops *ops = model_get(m->model);

    return ops != NULL && ops->term != NULL && ops->finish != NULL;
}

int
model_sums_add(struct model_sums *sums, const struct model_sums *t)
{
    for (int i = 0; i < MODEL_SUMS; i++) {
        int rc = u256_add(&sums->s[i], sums->s[i], t->s[i]);
        if (rc != 0)
            return rc;
    }
    return 0;
}

int
model_sums_sub(struct model_sums *sums, const struct model_sums *t)
{
    for (int i = 0; i < MODEL_SUMS; i++) {
        int rc = u256_sub(&sums->s[i], sums->s[i], t->s[i]);
        if (rc != 0)
            return rc;
    }
    return 0;
}

int
model_sums_of(const struct market *m, const struct position *p,
              const struct u256 *price, struct model_sums *out)
{
    const struct model_ops *ops = model_get(m->model);
    struct model_sums t;
    u128 acc[MODEL_SUMS] = {0}; /* the twins' terms, while they fit */
    int rc;

    if (ops == NULL || ops->term == NULL)
        return LIQ_EINVAL;
    memset(out, 0, sizeof(*out));
    for (int i = 0; i < p->ncoll + p->ndebt; i++) {
        bool debt = i >= p->ncoll;
        const struct leg *l = debt ? &p->debt[i - p->ncoll] : &p->coll[i];
        struct model_sums128 t128;
        u128 a, px;
        bool ok;

        /* The 128-bit twin where it answers: the same term (model.h). */
        ok = ops->term128 != NULL && u256_to_u128(l->amount, &a) &&
             u256_to_u128(price[l->asset], &px) &&
             ops->term128(m, l->asset, debt, a, px, &t128);
        for (int k = 0; k < MODEL_SUMS && ok; k++)
            ok = !__builtin_add_overflow(acc[k], t128.s[k], &t128.s[k]);
        if (ok) {
            memcpy(acc, t128.s, sizeof acc);
            continue;
        }
        rc = ops->term(m, l->asset, debt, l->amount, price[l->asset], &t);
        if (rc == 0)
            rc = model_sums_add(out, &t);
        if (rc != 0)
            return rc;
    }
    for (int k = 0; k < MODEL_SUMS; k++)
        t.s[k] = u256_from_u128(acc[k]);
    return model_sums_add(out, &t);
}

int
model_sums_account(const struct market *m, const struct position *p,
                   const struct u256 *price, struct account *out)
{
    const struct model_ops *ops = model_get(m->model);
    struct model_sums sums;
    int rc;

    if (ops == NULL || ops->finish == NULL)
        return LIQ_EINVAL;
    rc = model_sums_of(m, p, price, &sums);
    if (rc != 0)
        return rc;
    return ops->finish(m, &sums, position_has_debt(p), out);
}

uint8_t
model_largest_leg(const struct market *m, const struct position *p, bool debt,
                  const struct u256 *price)
{
    const struct leg *legs = debt ? p->debt : p->coll;
    int n = debt ? p->ndebt : p->ncoll;
    struct u256 best = u256_zero(), v;
    uint8_t k = 0;

    for (int i = 0; i < n; i++) {
        struct u256 amount = legs[i].amount;

        u128 a, pr, w;

        v = u256_zero();
        if (!debt && m->model == MODEL_EULER_V2 &&
            (m->euler.collateral >> legs[i].asset & 1u) == 0)
            ; /* not a collateral of this vault: it cannot be seized */
        else if (model_balance(m, legs[i].asset, debt, amount, &amount) != 0)
            ;
        else if (u256_to_u128(amount, &a) &&
                 u256_to_u128(price[legs[i].asset], &pr) &&
                 u256_muldiv128_pow10(&w, a, pr,
                                      m->assets[legs[i].asset].decimals))
            v = u256_from_u128(w); /* the same floor in 128 bits */
        else
            (void)u256_muldiv(&v, amount, price[legs[i].asset],
                              u256_exp10(m->assets[legs[i].asset].decimals),
                              U256_FLOOR);
        if (i == 0 || u256_lt(best, v)) {
            best = v;
            k = (uint8_t)i;
        }
    }
    return k;
}

bool
model_has_gates(const struct market *m)
{
    if (m->sentinel.set || m->view.last_check != 0)
        return true;
    for (unsigned i = 0; i < m->nassets; i++)
        if (m->assets[i].paused || m->assets[i].grace_until != 0)
            return true;
    return false;
}

int64_t
model_gate_next(const struct market *m, int64_t t)
{
    int64_t next = INT64_MAX;
    const struct market_sentinel *s = &m->sentinel;

    /* closed while grace_until >= t: open from grace_until + 1 */
    for (unsigned i = 0; i < m->nassets; i++) {
        int64_t g = m->assets[i].grace_until;

        if (g != 0 && g >= t && g < INT64_MAX && g + 1 < next)
            next = g + 1;
    }
    /* closed until the sequencer has been up for more than its grace */
    if (s->set && s->sequencer_up &&
        s->up_since <= INT64_MAX - 1 - s->grace_period) {
        int64_t o = s->up_since + s->grace_period + 1;

        if (o > t && o < next)
            next = o;
    }
    return next;
}

enum liq_revert
model_gate(const struct market *m, const struct position *p,
           const struct u256 *price)
{
    struct liq_call call;
    struct liq_result r;

    if (p->ncoll == 0 || p->ndebt == 0 || !model_has_gates(m))
        return REVERT_NONE;
    memset(&call, 0, sizeof call);
    call.debt = model_largest_leg(m, p, true, price);
    call.coll = model_largest_leg(m, p, false, price);
    call.max = true;
    if (model_liquidate(m, p, price, &call, &r) != 0)
        return REVERT_NONE;
    switch (r.revert) {
    case REVERT_PAUSED:
    case REVERT_GRACE_PERIOD:
    case REVERT_SENTINEL:
    case REVERT_COOL_OFF:
        return r.revert;
    default:
        return REVERT_NONE;
    }
}
