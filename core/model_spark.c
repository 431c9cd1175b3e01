/*
 * model_spark.c: SparkLend, a fork of aave-v3-core, as the Aave v3 model
 * computes it under SparkLend's own rule set (model_aave3_rules.c:
 * "v3.0 rules + v3.5 valuation rounding", pinned to the sources read).
 *
 * Owns the spark ops table and the configuration rules spark has beyond
 * Aave v3's: every figure is the Aave v3 code's (model_aave3*.c), which
 * asks the rule set of m, so this file only hands the calls on. Never
 * allocates, never reads a clock.
 */
#include "core/liq.h"
#include "core/model.h"
#include "core/model_aave.h"

/* The eMode categories as Aave v3 checks them; no grace period (the
 * spark ValidationLogic has none) on any asset. */
static int
spark_validate(const struct market *m, char *err, size_t errlen)
{
    for (unsigned i = 0; i < m->nassets; i++)
        if (m->assets[i].grace_until != 0)
            return model_refuse("liquidation_grace_until: spark has no grace "
                                "periods",
                                err, errlen);
    return model_aave3_view_validate(m, err, errlen);
}

static int
spark_account(const struct market *m, const struct position *p,
              const struct u256 *price, struct account *out)
{
    return model_aave3_ops.account(m, p, price, out);
}

static int
spark_liquidate(const struct market *m, const struct position *p,
                const struct u256 *price, const struct liq_call *call,
                struct liq_result *out)
{
    return model_aave3_ops.liquidate(m, p, price, call, out);
}

static int
spark_term(const struct market *m, uint8_t asset, bool debt, struct u256 amount,
           struct u256 price, struct model_sums *out)
{
    return model_aave3_ops.term(m, asset, debt, amount, price, out);
}

static int
spark_finish(const struct market *m, const struct model_sums *sums,
             bool has_debt, struct account *out)
{
    return model_aave3_ops.finish(m, sums, has_debt, out);
}

static bool
spark_term128(const struct market *m, uint8_t asset, bool debt, u128 amount,
              u128 price, struct model_sums128 *out)
{
    return model_aave3_ops.term128(m, asset, debt, amount, price, out);
}

static bool
spark_finish128(const struct market *m, const struct model_sums128 *sums,
                bool has_debt, struct model_health128 *out)
{
    return model_aave3_ops.finish128(m, sums, has_debt, out);
}

static bool
spark_retick128(const struct market *m, uint8_t asset, bool debt, u128 amount,
                u128 p_old, u128 p_new, struct model_sums128 *sums)
{
    return model_aave3_ops.retick128(m, asset, debt, amount, p_old, p_new,
                                     sums);
}

static bool
spark_tick128_prep(struct model_tick128 *t)
{
    return model_aave3_ops.tick128_prep(t);
}

static bool
spark_tick128(const struct model_tick128 *t, bool debt, u128 amount,
              bool has_debt, struct model_sums128 *sums,
              struct model_health128 *out)
{
    return model_aave3_ops.tick128(t, debt, amount, has_debt, sums, out);
}

static bool
spark_move128(const struct model_tick128 *t, bool debt, u128 amount,
              struct model_sums128 *sums)
{
    return model_aave3_ops.move128(t, debt, amount, sums);
}

static bool
spark_add128(const struct model_tick128 *t, bool debt, u128 amount,
             struct model_sums128 *sums)
{
    return model_aave3_ops.add128(t, debt, amount, sums);
}

const struct model_ops model_spark_ops = {
    .name = "spark",
    .validate = spark_validate,
    .account = spark_account,
    .term = spark_term,
    .finish = spark_finish,
    .term128 = spark_term128,
    .retick128 = spark_retick128,
    .tick128_prep = spark_tick128_prep,
    .tick128 = spark_tick128,
    .move128 = spark_move128,
    .add128 = spark_add128,
    .finish128 = spark_finish128,
    /* the rule set comes from m, so these serve as they are */
    .values128 = model_aave3_128_values,
    .liqset128 = model_aave3_128_liqset,
    .liquidate = spark_liquidate,
    .max_call128 = model_aave3_call128_max,
    /* the token maths take the rule set from m as well */
    .balance = model_aave3_index_balance,
    .apply = model_aave3_index_apply,
    .burn_bound = model_aave3_index_burn_bound,
    /* as is: it accrues by m's MathUtils and values through m's ops */
    .time_to_liquidation = model_aave3_index_ttl,
};
