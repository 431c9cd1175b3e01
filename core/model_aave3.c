/*
 * model_aave3.c: the aave-v3 model (being written; returns LIQ_EINVAL until
 * its rules land).
 */
#include "core/model.h"

#include "core/liq.h"

static int
aave3_account(const struct market *m, const struct position *p,
              const struct u256 *price, struct account *out)
{
    (void)m;
    (void)p;
    (void)price;
    (void)out;
    return LIQ_EINVAL;
}

static int
aave3_liquidate(const struct market *m, const struct position *p,
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

const struct model_ops model_aave3_ops = {
    .name = "aave-v3",
    .account = aave3_account,
    .liquidate = aave3_liquidate,
};
