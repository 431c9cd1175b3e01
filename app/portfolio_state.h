/*
 * portfolio_state.h: the members of a portfolio that carry a protocol's
 * stored state (design.md 3.1): Morpho Blue's market "state" and
 * "oracle_price" and a position's "borrow_shares"; Compound v2's
 * "exchange_rate_mantissa", "ctoken_decimals", "deprecated" and a
 * position's "ctoken_collateral"; Aave v4's per-asset "drawn_index",
 * "supplied_assets" and "supplied_shares" and a position's
 * "supplied_shares", "drawn_shares" and "premium_debt_ray".
 *
 * Used by portfolio_read.c (and portfolio_fast.c, which leaves the
 * positions of such markets to it). Messages name the JSON path.
 */
#ifndef PORTFOLIO_STATE_H
#define PORTFOLIO_STATE_H

#include <cjson/cJSON.h>
#include <stdbool.h>

#include "app/portfolio_read.h"
#include "core/market.h"
#include "core/position.h"

/* The market members read here, and an asset's. */
#define PORTFOLIO_STATE_MARKET_KEYS "state", "oracle_price"
#define PORTFOLIO_STATE_ASSET_KEYS                                             \
    "exchange_rate_mantissa", "ctoken_decimals", "deprecated", "drawn_index",  \
        "supplied_assets", "supplied_shares"

/* A market's "state" and "oracle_price" into m (m->model and m->as_of
 * set); path is "markets[i].". */
int portfolio_state_market(struct portfolio_reader *r, struct market *m,
                           const cJSON *mj, const char *path);
/* Once m is validated: its state accrued to as_of. */
/* A morpho-pre market's params (design.md 3): pre_lltv, pre_lcf1,
 * pre_lcf2, pre_lif1, pre_lif2 (WAD fractions, required) and
 * pre_oracle_price (raw, 1e36 scale, optional) into m->pre; `pre` is the
 * params' path with its dot. The constructor's checks are the model's. */
int portfolio_state_pre(struct portfolio_reader *r, struct market *m,
                        const cJSON *params, const char *pre);
/* Member key of obj (under path) as an exact decimal of at most `places`
 * places and 2^bits - 1 (bits up to 256), into *out; LIQ_ENOENT when it
 * is absent and not required, else a message naming it (what: how it is
 * written). */
int portfolio_state_member(struct portfolio_reader *L, const cJSON *obj,
                           const char *key, const char *path, unsigned places,
                           unsigned bits, bool required, const char *what,
                           struct u256 *out);

int portfolio_state_market_ready(struct portfolio_reader *r, struct market *m);
/* An asset's members into m's state for asset i; path
 * "markets[k].assets[i].". */
int portfolio_state_asset(struct portfolio_reader *r, struct market *m,
                          const cJSON *a, size_t i, const char *path);

/* Position keys read here: index of k, or -1. */
#define PORTFOLIO_STATE_POS_KEYS 8
int portfolio_state_pos_key(const char *k);

/*
 * A position's stored legs (st indexed as portfolio_state_pos_key, NULL
 * where absent) into p, whose plain legs are read: they replace a side
 * given as amounts, and a side given as amounts in a market whose legs
 * hold stored units is converted as the contract would mint for it.
 * debt_given and coll_given: whether "debt" and "collateral" were given.
 * An aave-v4 position with premium debt gets a view of its market of its
 * own (market.h struct market_view.own), added to the book here; p->market
 * then names it.
 */
int portfolio_state_position(struct portfolio_reader *r, const struct market *m,
                             const cJSON *const *st, bool coll_given,
                             bool debt_given, struct position *p);

/* Whether the market's legs are plain amounts (the quick reader's case). */
bool portfolio_state_plain(const struct market *m);

#endif
