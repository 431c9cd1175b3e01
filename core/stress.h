/*
 * stress.h: the maths of price scenarios over a book (design.md 9.1):
 * a relative shock applied to a price as an oracle would report it, what
 * one largest liquidation call per liquidatable position would move in
 * base units, and the least uniform fall of a group of prices at which a
 * position becomes liquidatable (its liquidation_shock).
 *
 * Owns struct stress_totals and these functions. Every figure is an exact
 * integer through the position's model (model_account, model_liquidate)
 * and core/preview's choice of legs. Pure: no allocation, no I/O.
 */
#ifndef STRESS_H
#define STRESS_H

#include <stdbool.h>
#include <stdint.h>

#include "core/market.h"
#include "core/model.h"
#include "core/position.h"
#include "core/u256.h"

/* A shock is a relative move in millionths of the price: -200000 is
 * -20 %, so a percentage holds four decimal places. */
#define STRESS_PPM 1000000
/* liquidation_shock searches falls of whole basis points, up to 100 %. */
#define STRESS_BPS_MAX 10000

/*
 * floor(price_e18 * (STRESS_PPM + ppm) / STRESS_PPM): the shocked price,
 * PRICE_DECIMALS places, before any market truncates it to its base units
 * (market_price_base). LIQ_ERANGE when the result is zero or below (ppm
 * at or below -100 %), LIQ_EOVERFLOW past 256 bits; *out untouched then.
 */
int stress_price(struct u256 price_e18, int32_t ppm, struct u256 *out);

/*
 * What one position adds to a scenario's totals. Values are base units of
 * the position's market: floor(amount * price / 10^decimals), as Aave's
 * LiquidationLogic values them.
 */
struct stress_totals {
    uint64_t liquidatable;            /* liquidatable at the shocked prices */
    uint64_t newly_liquidatable;      /* of those, not liquidatable before */
    struct u256 debt_repayable_value; /* the call's repay */
    struct u256 collateral_seized_value; /* all that leaves the borrower */
    struct u256 bonus_value;             /* seized above the repaid value */
    struct u256 bad_debt_value; /* debt the call leaves with no collateral */
};

/*
 * Add position p (market m) to *t at the shocked prices `price` (base
 * units, indexed like m->assets): when the model finds it liquidatable it
 * counts, newly when was_liquidatable is false, and one call that repays
 * max_repay of its largest debt against its largest collateral (the legs
 * `liqtop preview` picks by value at these prices) adds what it repays,
 * seizes and pays as bonus; when that call leaves debt and no collateral,
 * the value of the debt left adds to bad_debt_value. A call the contract
 * would refuse (a gate, nothing to seize) adds nothing beyond the counts.
 * Returns 0, or the model's error with *t unchanged.
 */
int stress_position(const struct market *m, const struct position *p,
                    const struct u256 *price, bool was_liquidatable,
                    struct stress_totals *t);

/*
 * The model's verdict on p at `price` (base units, indexed like
 * m->assets) into *liq: through the model's 128-bit twins where they
 * serve (the same answer), model_account otherwise. 0, or the model's
 * error.
 */
int stress_verdict(const struct market *m, const struct position *p,
                   const struct u256 *price, bool *liq);

/*
 * Whether p may be liquidatable at some prices with each asset's between
 * lo[a] and hi[a] (base units): false only when it is not at the worst
 * corner, every collateral leg at lo and every debt leg at hi. That holds
 * because in every model a leg's value only grows with its price and the
 * verdict only with the debt's value and against the collateral's. True
 * where the corner cannot be valued (an asset on both sides of a model
 * valued whole, a figure past 128 bits outside the additive models) and
 * where it does not bound the verdict (Aave before 3.5 with two
 * collaterals: its truncated average threshold).
 */
bool stress_may_liquidate(const struct market *m, const struct position *p,
                          const struct u256 *lo, const struct u256 *hi);

/* The call part of stress_position for a position the caller knows to be
 * liquidatable at `price` (the book's verdict): counts it and adds the
 * call's values. */
int stress_call(const struct market *m, const struct position *p,
                const struct u256 *price, bool was_liquidatable,
                struct stress_totals *t);

/* stress_call with the call's legs given: debt leg `debt` and collateral
 * leg `coll`, what model_largest_leg picks at `price` (read only where
 * the position has both and the model is not compound-v3). */
int stress_call_legs(const struct market *m, const struct position *p,
                     const struct u256 *price, uint8_t debt, uint8_t coll,
                     bool was_liquidatable, struct stress_totals *t);

/* *sum -= *t, for a part added before (LIQ_ERANGE, *sum unchanged, when
 * it was not). */
int stress_totals_sub(struct stress_totals *sum, const struct stress_totals *t);

/* *sum += *t, values scaled by 10^shift first (a market whose base unit
 * has fewer places than the total's). LIQ_EOVERFLOW, *sum unchanged. */
int stress_totals_add(struct stress_totals *sum, const struct stress_totals *t,
                      unsigned shift);

/*
 * The least fall f, in whole basis points (0 to STRESS_BPS_MAX), of the
 * prices of the market assets in `group` (a bit per asset index) at which
 * p becomes liquidatable: at f the model says liquidatable and at f - 1
 * it does not. Each fallen price is stress_price(price_e18[i], -100 f)
 * cut to base units (market_price_base), the other assets at their
 * price_e18. *exists is false when no fall up to 100 % does it (or p has
 * no debt); *bps is 0 when p is liquidatable already. An empty group is
 * LIQ_EINVAL. The search bisects where the group holds none of p's debt
 * assets (health then only falls with the fall) and tries every fall
 * otherwise.
 */
int stress_liquidation_shock(const struct market *m, const struct position *p,
                             const struct u256 *price_e18, uint32_t group,
                             bool *exists, uint32_t *bps);

/* The same, for a caller that holds p's account at the prices before
 * (the book's, equal to model_account's at price_e18 cut to base units):
 * 0 at once when it is liquidatable, and its health spares the search its
 * first step. */
int stress_liquidation_shock_from(const struct market *m,
                                  const struct position *p,
                                  const struct u256 *price_e18, uint32_t group,
                                  const struct account *now, bool *exists,
                                  uint32_t *bps);

/*
 * The same answer as stress_liquidation_shock for a group of one asset
 * whose liquidatable prices (the others as they are, p not liquidatable
 * now) are exactly those from 0 to lp, base units, at or below its
 * price now: what liqprice_from_sums proves where it answers *exists
 * with lp, and liqprice_search where it answers *exists and *fixed (a
 * verdict the model proves a prefix in the price). A fall f
 * then liquidates exactly where its fallen price is at or below lp, and
 * the least one is 10^4 + 1 - ceil((lp + 1) 10^(22 - base) / price_e18),
 * checked against the fallen prices at it and one below. False, *bps
 * untouched, where that does not hold (the caller then searches).
 */
bool stress_shock_from_prefix(const struct market *m, struct u256 price_e18,
                              struct u256 lp, uint32_t *bps);

/* The default group of liquidation_shock: p's collateral assets whose
 * price symbol (market_asset_price_sym: a view's eMode price source) is
 * none of its debt assets' (a bit per asset index). */
uint32_t stress_default_group(const struct market *m, const struct position *p);

#endif
