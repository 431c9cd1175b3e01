/*
 * model_aave4.c: the aave-v4 model (being written; returns LIQ_EINVAL until
 * its rules land).
 */
#include "core/model.h"

#include "core/liq.h"

static int
aave4_account(const struct market *m, const struct position *p,
              const struct u256 *price, struct account *out)
{
    (void)m;
    (void)p;
    (void)price;
    (void)out;
    return LIQ_EINVAL;
}

static int
aave4_liquidate(const struct market *m, const struct position *p,
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

const struct model_ops model_aave4_ops = {
    .name = "aave-v4",
    .account = aave4_account,
    .liquidate = aave4_liquidate,
};
