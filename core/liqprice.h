/*
 * liqprice.h: the liquidation price of one collateral asset alone.
 *
 * Owns the search for the highest price of one asset (others fixed) at which
 * the position is liquidatable, exact to the base unit: at the result the
 * model says liquidatable, one base unit above it does not. Pure.
 */
#ifndef LIQPRICE_H
#define LIQPRICE_H

#include <stdbool.h>

#include "core/market.h"
#include "core/model.h"
#include "core/position.h"
#include "core/u256.h"

/*
 * For market asset `asset` (normally one of p's collateral assets), set
 * *exists and *out (base units). *exists is false when no price of that
 * asset makes the position liquidatable (healthy even at zero), when the
 * position has no debt, or when it is liquidatable at every price.
 * `price` is read-only; the search works on a copy. Every asset of p's
 * legs priced by the same eMode price source (market_asset_price_sym) as
 * `asset` takes the trial price with it.
 */
int liqprice_compute(const struct market *m, const struct position *p,
                     const struct u256 *price, uint8_t asset, bool *exists,
                     struct u256 *out);

/*
 * The same answer, and *fixed: true when it is proven to be the answer at
 * every price of `asset` (the other prices and the position as they are),
 * which holds where the model proves its verdict a prefix in that price
 * (model.h liqset128, price_prefix); false where the search's answer may
 * move with the asset's own price (rounding can make health not monotone
 * in it).
 */
int liqprice_search(const struct market *m, const struct position *p,
                    const struct u256 *price, uint8_t asset, bool *exists,
                    struct u256 *out, bool *fixed);

/*
 * The same answer as liqprice_search, without a search, for a position
 * whose account is known as the model's sums at `price` (struct
 * model_sums128, as the book keeps it: every leg's term at the market's
 * prices, added), where the model tells its liquidatable prices
 * (model.h liqset128): `asset` is held in one collateral leg of `amount`
 * base units and in no debt leg, and the position has debt. The leg's
 * term at `price` taken out of the sums gives the rest; liqset128 on it
 * gives the prices, and an answer only where liqprice_search takes the
 * same one: one interval from 0, its end checked by two verdicts of the
 * model's (the answer, fixed at every price of the asset), or none
 * (*exists false) where the verdict at 0 says not liquidatable too;
 * where the model proved the set (struct model_liqset's proven), taken
 * as it is, with no verdict.
 * Returns false, the outputs untouched, where it does not answer so
 * (the caller then searches). Pure.
 */
bool liqprice_from_sums(const struct market *m,
                        const struct model_sums128 *sums, uint8_t asset,
                        u128 amount, u128 price, bool *exists,
                        struct u256 *out);

#endif
