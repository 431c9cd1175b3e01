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

#endif
