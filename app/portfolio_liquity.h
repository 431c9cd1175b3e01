/*
 * portfolio_liquity.h: the liquity-v2 members of the portfolio reader
 * (portfolio_liquity.c). Errors go through portfolio_read_fail with their
 * JSON path (pre: the member's prefix, "markets[0].params." or
 * "positions[3].").
 */
#ifndef PORTFOLIO_LIQUITY_H
#define PORTFOLIO_LIQUITY_H

#include <cjson/cJSON.h>

#include "app/portfolio_read.h"
#include "core/market.h"
#include "core/position.h"

/* A branch's params: mcr, ccr, scr, liquidation_penalty_sp and
 * _redistribution (fractions), sp_deposits, total_collateral and
 * total_debt (raw). */
int portfolio_liquity_params(struct portfolio_reader *L, struct market *m,
                             const cJSON *params, const char *pre);

/* A trove's "annual_interest_rate" (rate, NULL when absent): within 0.005
 * and 2.5, and p moved to its branch's view of that rate (added to the
 * book when new). */
int portfolio_liquity_rate(struct portfolio_reader *L, const struct market *m,
                           const cJSON *rate, const char *pre,
                           struct position *p);

#endif
