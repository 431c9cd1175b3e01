/*
 * market.h: a lending market as the protocol configures it: its model and
 * version, its base currency and, per asset, the risk parameters.
 *
 * Owns struct market and struct asset and their validation. Ratios are held
 * in the model's native unit (bps = 1e4 for Aave, WAD = 1e18 for Compound
 * and Morpho), never as fractions or floats. Pure.
 */
#ifndef MARKET_H
#define MARKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/u256.h"

#define MARKET_ID_MAX 129    /* including the NUL: ids up to 128 bytes */
#define MARKET_ASSETS_MAX 32 /* assets one market may list */
#define SYMBOL_MAX 24        /* including the NUL */
#define PRICE_DECIMALS 18    /* the book's price unit: 1e18 = 1 base unit */

enum model_kind {
    MODEL_AAVE_V3,
    MODEL_AAVE_V4,
    MODEL_COMPOUND_V2,
    MODEL_MORPHO_BLUE,
    MODEL_COUNT
};

/*
 * One asset of a market. `sym` is the book's symbol id (book_symbol()).
 * ltv, lt, bonus and fee are in the model's ratio unit (market_ratio_unit):
 *   aave-v3:     bps; lt = liquidation threshold, bonus = liquidation bonus
 *                over 1 (10500 in the contract is 500 here), fee = protocol
 *                fee share of the bonus.
 *   aave-v4:     bps; lt = collateral factor, bonus = maximum liquidation
 *                bonus over 1, fee = liquidation fee share of the bonus.
 *   compound-v2: WAD; lt = collateral factor; bonus, fee unused.
 *   morpho-blue: WAD; lt = LLTV; bonus, fee unused (LIF is derived).
 */
struct asset {
    uint32_t sym;
    uint8_t decimals; /* 0..77 */
    uint64_t ltv;
    uint64_t lt;
    uint64_t bonus;
    uint64_t fee;
};

/* Market-wide parameters ("params" in the portfolio file). */
struct market_params {
    uint64_t close_factor;                /* compound-v2, WAD (0.5e18) */
    uint64_t liquidation_incentive;       /* compound-v2, WAD (1.08e18) */
    uint64_t protocol_seize_share;        /* compound-v2, WAD (2.8e16) */
    uint64_t target_health_factor;        /* aave-v4, WAD (>= 1e18) */
    uint64_t health_factor_for_max_bonus; /* aave-v4, WAD (< 1e18) */
    uint64_t liquidation_bonus_factor;    /* aave-v4, bps (<= 1e4) */
};

struct market {
    char id[MARKET_ID_MAX];
    enum model_kind model;
    uint16_t version;      /* aave-v3: 300..307 for "3.0".."3.7"; else 0 */
    uint8_t base_decimals; /* 0..18, 8 by default */
    /* The moment figures are computed for, unix seconds (design.md 3.1
     * "as_of"): interest is accrued to it and gates are judged at it.
     * Set by whoever builds the market (the loader: the file's "as_of",
     * else the clock); core never reads a clock. */
    int64_t as_of;
    struct market_params params;
    uint8_t nassets;
    struct asset assets[MARKET_ASSETS_MAX];
};

/* The model's ratio unit: 10000 (bps) or 1e18 (WAD). */
uint64_t market_ratio_unit(enum model_kind model);

/* Model name as written in files ("aave-v3"), and back (LIQ_ENOENT). */
const char *market_model_name(enum model_kind model);
int market_model_parse(enum model_kind *out, const char *name);

/* Parse "3.0".."3.7" for aave-v3 into 300..307 (LIQ_ERANGE otherwise). */
int market_version_parse(uint16_t *out, enum model_kind model,
                         const char *text);

/* Fill params with the model's defaults (compound close factor 0.5, ...). */
void market_params_default(struct market_params *out, enum model_kind model);

/* Index of the asset with symbol id `sym`, or -1. */
int market_asset_find(const struct market *m, uint32_t sym);

/*
 * Check the parameters against the protocol's own configuration rules.
 * On failure returns LIQ_ERANGE/LIQ_EINVAL and writes into err a message
 * that starts with the field at fault ("assets[1].liquidation_threshold:
 * must not be below ltv"), so a loader can prefix its JSON path.
 */
int market_validate(const struct market *m, char *err, size_t errlen);

/*
 * Convert a book price (PRICE_DECIMALS places) into this market's base
 * units, truncating as an oracle with base_decimals places would.
 */
struct u256 market_price_base(const struct market *m, struct u256 price_e18);

#endif
