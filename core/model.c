/*
 * model.c: dispatch from a market's model kind to its ops table, and the
 * texts of revert reasons.
 *
 * Owns no protocol rule; each lives in its model_*.c file. Pure.
 */
#include "core/model.h"

#include <stddef.h>

#include "core/liq.h"

static const struct model_ops *const model_table[MODEL_COUNT] = {
    [MODEL_AAVE_V3] = &model_aave3_ops,
    [MODEL_AAVE_V4] = &model_aave4_ops,
    [MODEL_COMPOUND_V2] = &model_compound2_ops,
    [MODEL_MORPHO_BLUE] = &model_morpho_ops,
};

const struct model_ops *
model_get(enum model_kind kind)
{
    if ((unsigned)kind >= MODEL_COUNT)
        return NULL;
    return model_table[kind];
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

    if (ops == NULL)
        return LIQ_EINVAL;
    return ops->liquidate(m, p, price, call, out);
}
