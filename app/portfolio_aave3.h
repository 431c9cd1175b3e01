/*
 * portfolio_aave3.h: the Aave v3 members of a portfolio document
 * (design.md 3.1), for portfolio_read.c. Each returns 0 or LIQ_E* with the
 * reader's message naming the JSON path; path and pre end in '.'.
 */
#ifndef PORTFOLIO_AAVE3_H
#define PORTFOLIO_AAVE3_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "app/portfolio_read.h"
#include "core/market.h"
#include "core/position.h"

/* The keys an aave-v3 asset may have. */
extern const char *const portfolio_aave3_asset_keys[];

/* Asset i's eMode category, gates and indexes (accrued to m->as_of);
 * nothing for other models. */
int portfolio_aave3_asset(struct portfolio_reader *r, struct market *m,
                          const cJSON *a, size_t i, const char *path);

/* The market's eMode categories and sentinel, once its assets are read;
 * for other models, an error when either is given. */
int portfolio_aave3_market(struct portfolio_reader *r, struct market *m,
                           const cJSON *mj, const char *path);

/*
 * A position's "emode", "collateral_disabled", "scaled_collateral" and
 * "scaled_debt" members (each NULL when absent), once its plain legs are
 * read: adds the scaled legs and points p->market at the position's view
 * of its market, made on first use.
 */
int portfolio_aave3_position(struct portfolio_reader *r, struct position *p,
                             const cJSON *pj, const cJSON *emode,
                             const cJSON *disabled, const cJSON *scoll,
                             const cJSON *sdebt, const char *pre);

#endif
