/*
 * portfolio_euler.h: the members of a portfolio that an euler-v2 market
 * and its positions carry (design.md 3 as README extends it): per asset
 * "liquidation_ltv", "ltv", "ltv_ramp", "total_assets", "total_shares";
 * the market's params "max_liquidation_discount",
 * "liquidation_cool_off_time", "socialize_debt"; a position's
 * "collateral_shares" and "last_status_check".
 *
 * Used by portfolio_read.c and portfolio_state.c. Messages name the JSON
 * path. Nothing here is allocated.
 */
#ifndef PORTFOLIO_EULER_H
#define PORTFOLIO_EULER_H

#include <cjson/cJSON.h>
#include <stdbool.h>

#include "app/portfolio_read.h"
#include "core/market.h"
#include "core/position.h"

/* An euler-v2 asset's known keys (NULL-terminated). */
extern const char *const portfolio_euler_asset_keys[];

/* Asset i's members beyond symbol and decimals (path
 * "markets[k].assets[i]."): its LTV config, if any, makes it a collateral. */
int portfolio_euler_asset(struct portfolio_reader *r, struct market *m,
                          const cJSON *a, size_t i, const char *path);

/* The market's params (pre: "markets[k].params."); params may be NULL,
 * and max_liquidation_discount is required. */
int portfolio_euler_params(struct portfolio_reader *r, struct market *m,
                           const cJSON *params, const char *path);

/* A position's euler-v2 members (NULL when absent), after its legs are
 * read: collateral in assets becomes the shares a deposit of it mints,
 * collateral_shares replaces it, and a last status check within the
 * cool-off puts the position on a view of the market that carries it
 * (p->market changes). One debt leg at most. Members given to a position
 * of another model are errors. */
int portfolio_euler_position(struct portfolio_reader *r, const struct market *m,
                             const cJSON *shares, const cJSON *last_check,
                             const char *pre, struct position *p);

#endif
