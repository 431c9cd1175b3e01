/*
 * model_compound2.c: the compound-v2 model (being written; returns LIQ_EINVAL
 * until its rules land).
 */
#include "core/model.h"

#include "core/liq.h"

static int
compound2_account(const struct market *m, const struct position *p,
                  const struct u256 *price, struct account *out)
{
    (void)m;
    (void)p;
    (void)price;
    (void)out;
    return LIQ_EINVAL;
}

static int
compound2_liquidate(const struct market *m, const struct position *p,
                    const struct u256 *price, const struct liq_call *call,
                    struct liq_result *out)
{
    (void)m;
    (void)p;
    (void)price;
    (void)call;
    (void)out;
    return LIQ_EINVAL;
}

const struct model_ops model_compound2_ops = {
    .name = "compound-v2",
    .account = compound2_account,
    .liquidate = compound2_liquidate,
};
