/*
 * model_aave.h: Aave v4's calculators, exposed so that the contract's own
 * test vectors can test them directly (liquidation-mechanics.md 3.7), and
 * Aave v3's reserve state: interest accrual, token maths at an index, and
 * a position's view of a market (design.md 3.1); and the Aave v3 rules
 * model_aave3.c shares with its 128-bit twins. Nothing here allocates.
 */
#ifndef MODEL_AAVE_H
#define MODEL_AAVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/market.h"
#include "core/model.h"
#include "core/u256.h"

/*
 * The rules in which the Aave v3 variants differ (model_aave3_rules.c):
 * aave-v3 by its version (3.0 to 3.7), spark by its pinned sources. The
 * Aave v3 code (model_aave3*.c) asks these, never a version number.
 */
struct model_aave3_rules {
    bool grace;        /* 3.1: liquidationGracePeriodUntil gates a call */
    bool emode_bitmap; /* 3.2: a category lists its collateral (bitmap)
                        * and has no price source; before, an asset names
                        * its category and a category may price its own */
    bool close_v33;    /* 3.3: the close factor on values with the 2,000
                        * base-unit floor, the dust rule, bad debt burnt,
                        * hasNoCollateralLeft by value */
    bool value_v35;    /* 3.5: debt valued up, HF = wadDiv(sum) / 1e4 */
    bool token_v35;    /* 3.5: TokenMath (balances and scaled amounts
                        * floor or ceil, not rayMul/rayDiv half-up) */
    bool capped_up;    /* 3.5: a capped call's debt by percentDiv up */
    bool counted_v36;  /* 3.6: every enabled collateral counts */
    bool v37;          /* 3.7: no sentinel on liquidation, bonus and fee
                        * floor/ceil, hasNoCollateralLeft by scaled amount */
    uint16_t math;     /* the Aave version whose MathUtils accrues debt */
};

/* 3.0 .. 3.7, and SparkLend (model_aave3_rules.c). */
extern const struct model_aave3_rules model_aave3_rules_v3[8];
extern const struct model_aave3_rules model_aave3_rules_spark;

/* The rule set of m: spark's, else its aave-v3 version's (a version
 * outside 3.0 to 3.7, as a hand-made market may have, as the nearest). */
static inline const struct model_aave3_rules *
model_aave3_rules(const struct market *m)
{
    if (m->model == MODEL_SPARK)
        return &model_aave3_rules_spark;
    return &model_aave3_rules_v3[m->version <= 300   ? 0
                                 : m->version >= 307 ? 7
                                                     : m->version - 300];
}
struct account;
struct market;
struct market_view;
struct position;

/*
 * LiquidationLogic.calculateLiquidationBonus: the bonus (bps, >= 1e4) for
 * a pre-liquidation health factor hf (WAD): max_lb at or below
 * hf_for_max_bonus, else linear from minLB = (max_lb - 1e4) * factor / 1e4
 * + 1e4 at HF 1, floor at each step. hf at or above 1e18 gives minLB.
 */
uint64_t model_aave4_bonus(struct u256 hf, uint64_t hf_for_max_bonus,
                           uint64_t bonus_factor, uint64_t max_lb);

/*
 * _calculateDebtToTargetHealthFactor: the debt (in debt asset units
 * scaled by RAY) that brings hf to thf:
 * ceil(total_debt_value_ray * debt_unit * (thf - hf) /
 *      ((thf - percentMulUp(lb * 1e14, cf)) * debt_price * 1e18)).
 * LIQ_ERANGE when hf > thf (the contract's underflow).
 */
int model_aave4_debt_to_target(struct u256 *out,
                               struct u256 total_debt_value_ray,
                               struct u256 debt_unit, struct u256 debt_price,
                               struct u256 hf, struct u256 thf, uint64_t lb,
                               uint64_t cf);

/*
 * Aave v3 (model_aave3_index.c): ReserveLogic.getNormalizedIncome (debt false:
 * linear interest) and getNormalizedDebt (debt true:
 * MathUtils.calculateCompoundedInterest of `version`, a rule set's `math`: 3.0
 * to 3.3 and 3.4 on differing): `index` (RAY) as stored at `last`, accrued at
 * `rate` (RAY a year) to as_of, then rayMul half-up. LIQ_ERANGE when as_of is
 * before last, LIQ_EOVERFLOW.
 */
int model_aave3_index_accrue(uint16_t version, bool debt, struct u256 index,
                             struct u256 rate, int64_t last, int64_t as_of,
                             struct u256 *out);
/*
 * A reserve read with rates (as->has_rates; else nothing is done): its
 * lindex and dindex accrued to moment t (unix s, the caller's: a file's
 * as_of, or the clock's) from the stored indexes, rates and last_update,
 * as model_aave3_index_accrue does each. The portfolio reader and the
 * accrual with the clock both take this one. On an error (LIQ_ERANGE, t
 * before last_update; LIQ_EOVERFLOW) as is unchanged.
 */
int model_aave3_index_accrue_asset(uint16_t version, struct asset *as,
                                   int64_t t);

/*
 * Aave v3 token maths (model_aave3_index.c) for a leg of `asset` (a debt
 * leg when debt is set) in view m: the balance a stored leg is worth
 * (model.h balance; a leg that is not scaled is its own balance); the
 * scaled amount `amount` tokens move, up for an aToken burn or transfer
 * (3.0 to 3.4 rayDiv half-up either way; from 3.5 TokenMath, up ceil,
 * else floor); the stored amount after a deposit or repay (model.h apply).
 */
int model_aave3_index_balance(const struct market *m, uint8_t asset, bool debt,
                              struct u256 stored, struct u256 *out);
int model_aave3_index_scaled(const struct market *m, uint8_t asset, bool debt,
                             bool up, struct u256 amount, struct u256 *out);
int model_aave3_index_apply(const struct market *m, uint8_t asset, bool debt,
                            struct u256 stored, struct u256 amount,
                            struct u256 *out);
/*
 * model.h time_to_liquidation for Aave v3 (model_aave3_index.c): the
 * least whole seconds after as_of at which every asset with rates
 * (asset.has_rates), its indexes accrued in one step from last_update
 * (model_aave3_index_accrue), leaves p liquidatable at these prices. A
 * scaled leg is worth its balance at the accrued index; a plain leg, its
 * balance as of as_of, grows with its index as if so scaled:
 * amount x index(t) / index(as_of), collateral floored, debt rounded up.
 * LIQ_ENOENT where no asset of p has rates.
 */
int model_aave3_index_ttl(const struct market *m, const struct position *p,
                          const struct u256 *price, int64_t *out);

/* model.h burn_bound for Aave v3's legs (scaled or plain). */
int model_aave3_index_burn_bound(const struct market *m, uint8_t asset,
                                 bool debt, struct u256 stored,
                                 struct u256 amount, struct u256 *out);

/*
 * Aave v3 (model_aave3_view.c): a position's view of market base (struct
 * market_view) into *out: the eMode category's parameters where the
 * version applies them, disabled collaterals weighted zero. LIQ_ENOENT for
 * an eMode id the market does not list, LIQ_EINVAL for a base that is not
 * an aave-v3 market as listed.
 */
int model_aave3_view_make(const struct market *base,
                          const struct market_view *v, struct market *out);

/* The eMode categories' configuration rules; the message names the field
 * from "emode_categories[i]." on. */
int model_aave3_view_validate(const struct market *m, char *err, size_t errlen);

/*
 * Aave v4's hub and spoke state (model_aave4_state.c, design.md 3.1): in
 * an aave-v4 market a collateral leg holds supplied shares and a debt leg
 * drawn shares, worth one asset each in the simple form. index: the
 * asset's drawnIndex (RAY). to_assets and to_shares: the hub's SharesMath
 * (1e6 virtual assets and shares) rounded as asked. debt_ray: drawn shares
 * x drawnIndex + the view's premiumDebtRay. stateful: whether any asset
 * has state (the sums then hold debt in RAY units). LIQ_EOVERFLOW.
 */
struct u256 model_aave4_index(const struct market *m, unsigned asset);
bool model_aave4_stateful(const struct market *m);
int model_aave4_to_assets(const struct market *m, unsigned asset,
                          struct u256 shares, int round, struct u256 *out);
int model_aave4_to_shares(const struct market *m, unsigned asset,
                          struct u256 assets, int round, struct u256 *out);
int model_aave4_debt_ray(const struct market *m, unsigned asset,
                         struct u256 shares, struct u256 premium,
                         struct u256 *out);
/* Spoke.repay of `amount` assets on `shares` drawn shares owing
 * *premium (RAY): the premium first, then drawn shares rounded down;
 * *out the shares left, *premium what is left of it. LIQ_ERANGE above
 * what is owed. */
int model_aave4_repay(const struct market *m, uint8_t asset, struct u256 shares,
                      struct u256 *premium, struct u256 amount,
                      struct u256 *out);
/*
 * One liquidation call of an aave-v4 market, as _calculateLiquidationAmounts
 * (HEAD, share-based) computes it from its parameters, exposed so that the
 * contract's LiquidationAmounts vectors test it directly. The caller sets
 * da, ca (asset indexes), drawn, premium (RAY), supplied (shares), dp and
 * cp (prices in base units); the rest of the legs is filled in.
 */
struct model_aave4_legs {
    struct u256 drawn, premium, index; /* debt leg */
    struct u256 supplied;              /* collateral leg */
    struct u256 dp, cp, dunit, cunit, dust;
    uint8_t da, ca;
    uint64_t lb; /* the bonus at hf, bps */
};

struct model_aave4_call {
    struct u256 debt_to_target; /* debtRayToTarget, 0 at the target */
    struct u256 drawn;          /* drawn shares liquidated */
    struct u256 premium;        /* premium debt liquidated, RAY */
    struct u256 shares;         /* supplied shares seized */
    struct u256 shares_to_liq;  /* of which to the liquidator */
    struct u256 required;       /* assets restored: the least debtToCover */
    struct u256 coll;           /* previewRemoveByShares(shares) */
    struct u256 to_liq;         /* previewRemoveByShares(shares_to_liq) */
    struct u256 bonus;          /* coll - floor(coll * 1e4 / LB) */
};

/* With debtToCover `want` (max: no limit), health hf (WAD) and
 * totalDebtValueRay; m gives the parameters and the hub totals. */
int model_aave4_calc(const struct market *m, struct model_aave4_legs *g,
                     struct u256 hf, struct u256 total_debt_value_ray, bool max,
                     struct u256 want, struct model_aave4_call *c);

/* The model ops that convert (model.h balance, apply, burn_bound,
 * account_after_repay). */
int model_aave4_balance(const struct market *m, uint8_t asset, bool debt,
                        struct u256 stored, struct u256 *out);
int model_aave4_apply(const struct market *m, uint8_t asset, bool debt,
                      struct u256 stored, struct u256 amount, struct u256 *out);
int model_aave4_account_after_burn(const struct market *m,
                                   const struct position *p, uint8_t coll,
                                   struct u256 k, uint8_t debt, struct u256 d,
                                   const struct u256 *price,
                                   struct account *out);
/* Spoke.supply of `amount` to collateral leg `leg`, then the account on
 * the hub's totals after it (model.h account_after_deposit); LIQ_ERANGE
 * for a supply that mints no shares. */
int model_aave4_account_after_deposit(const struct market *m,
                                      const struct position *p, uint8_t leg,
                                      struct u256 amount,
                                      const struct u256 *price,
                                      struct account *out);
int model_aave4_burn_bound(const struct market *m, uint8_t asset, bool debt,
                           struct u256 stored, struct u256 amount,
                           struct u256 *out);

/*
 * Aave v3's rules that model_aave3.c and its 128-bit twins
 * (model_aave3_128.c) share, asked of the variant's rule set.
 */
static inline bool
model_aave3_is_v35(const struct market *m)
{
    return model_aave3_rules(m)->value_v35;
}

static inline bool
model_aave3_is_v36(const struct market *m)
{
    return model_aave3_rules(m)->counted_v36;
}

/* A leg of asset on this side holds a scaled balance in this view. */
static inline bool
model_aave3_scaled(const struct market *m, uint8_t asset, bool debt)
{
    return ((debt ? m->view.debt_scaled : m->view.coll_scaled) >> asset) & 1u;
}

/* Debt is valued down up to 3.4 and up from 3.5 (docs/3.5 "Rounding for
 * User Position Valuation"); collateral is always valued down. */
static inline enum u256_round
model_aave3_debt_rounding(const struct market *m)
{
    return model_aave3_is_v35(m) ? U256_CEIL : U256_FLOOR;
}

/*
 * Whether a collateral of asset counts in the collateral value
 * (GenericLogic): one the position disabled never; before 3.6 only with a
 * liquidation threshold (liquidationThreshold != 0 && isUsingAsCollateral);
 * from 3.6 every enabled one, a threshold of 0 weighing nothing.
 */
static inline bool
model_aave3_counted(const struct market *m, uint8_t asset)
{
    if ((m->view.coll_off >> asset) & 1u)
        return false;
    return m->assets[asset].lt != 0 || model_aave3_is_v36(m);
}

/* The 128-bit twins of model_aave3.c's term and finish (model.h term128,
 * tick128_prep, retick128, tick128, finish128), model_aave3_128.c. */
bool model_aave3_128_term(const struct market *m, uint8_t asset, bool debt,
                          u128 amount, u128 price, struct model_sums128 *out);
bool model_aave3_128_tick_prep(struct model_tick128 *t);
bool model_aave3_128_move(const struct model_tick128 *t, bool debt, u128 amount,
                          struct model_sums128 *sums);
bool model_aave3_128_add(const struct model_tick128 *t, bool debt, u128 amount,
                         struct model_sums128 *sums);
/* model.h max_call128 for Aave v3 and spark, model_aave3_call128.c. */
bool model_aave3_call128_max(const struct market *m, const struct position *p,
                             const struct u256 *price, uint8_t debt,
                             uint8_t coll, struct model_call128 *out);
/* model.h max_call128 for Aave v4 in its simple form,
 * model_aave4_call128.c. */
bool model_aave4_call128_max(const struct market *m, const struct position *p,
                             const struct u256 *price, uint8_t debt,
                             uint8_t coll, struct model_call128 *out);
bool model_aave3_128_retick(const struct market *m, uint8_t asset, bool debt,
                            u128 amount, u128 p_old, u128 p_new,
                            struct model_sums128 *sums);
bool model_aave3_128_finish(const struct market *m,
                            const struct model_sums128 *sums, bool has_debt,
                            struct model_health128 *out);
/* model.h values128 and liqset128 for Aave v3 (model_aave3_128.c). */
bool model_aave3_128_values(const struct market *m,
                            const struct model_sums128 *sums, u128 *coll_value,
                            u128 *debt_value);
bool model_aave3_128_liqset(const struct market *m,
                            const struct model_sums128 *rest, uint8_t asset,
                            u128 amount, struct model_liqset *out);
bool model_aave3_128_tick(const struct model_tick128 *t, bool debt, u128 amount,
                          bool has_debt, struct model_sums128 *sums,
                          struct model_health128 *out);

#endif
