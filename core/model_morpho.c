/*
 * model_morpho.c: the morpho-blue model (being written; returns LIQ_EINVAL
 * until its rules land).
 */
#include "core/model.h"

#include "core/liq.h"

static int
morpho_account(const struct market *m, const struct position *p,
               const struct u256 *price, struct account *out)
{
    (void)m;
    (void)p;
    (void)price;
    (void)out;
    return LIQ_EINVAL;
}

static int
morpho_liquidate(const struct market *m, const struct position *p,
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

const struct model_ops model_morpho_ops = {
    .name = "morpho-blue",
    .account = morpho_account,
    .liquidate = morpho_liquidate,
};
