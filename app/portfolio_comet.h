/*
 * portfolio_comet.h: the compound-v3 (Comet) members of a portfolio
 * document (README, "Compound v3"), for portfolio_read.c: an asset's
 * factors, the market's params (base asset, base indexes, storefront
 * price factor, baseBorrowMin, targetReserves) and a position's signed
 * "principal". Each returns 0 or LIQ_E* with the reader's message naming
 * the JSON path; path and pre end in '.'. Nothing is allocated.
 */
#ifndef PORTFOLIO_COMET_H
#define PORTFOLIO_COMET_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

#include "app/portfolio_read.h"
#include "core/market.h"
#include "core/position.h"

/* The keys a compound-v3 asset may have. */
extern const char *const portfolio_comet_asset_keys[];

/* Asset i's borrow_collateral_factor, liquidate_collateral_factor and
 * liquidation_factor (WAD fractions, optional: the base asset has none;
 * the model's validate says which a collateral lacks). */
int portfolio_comet_asset(struct portfolio_reader *r, struct market *m,
                          const cJSON *a, size_t i, const char *path);

/* A compound-v3 market's params, once its assets are read (the base asset
 * is one of them); nothing for other models. */
int portfolio_comet_market(struct portfolio_reader *r, struct market *m,
                           const cJSON *mj, const char *path);

/* A position's "principal" (it, NULL when absent): a negative principal
 * becomes the base debt leg worth its presentValue; an error outside
 * compound-v3 or beside "debt". */
int portfolio_comet_position(struct portfolio_reader *r, const struct market *m,
                             const cJSON *it, bool debt_given,
                             struct position *p, const char *pre);

#endif
