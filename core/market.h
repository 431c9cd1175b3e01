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
#define MARKET_EMODES_MAX                                                      \
    16                     /* aave-v3 eMode categories one market may list     \
                            */
#define EMODE_LABEL_MAX 48 /* including the NUL */

enum model_kind {
    MODEL_AAVE_V3,
    MODEL_AAVE_V4,
    MODEL_COMPOUND_V2,
    MODEL_MORPHO_BLUE,
    MODEL_MORPHO_PRE,  /* morpho-blue with one PreLiquidation contract */
    MODEL_LIQUITY_V2,  /* one Liquity v2 collateral branch */
    MODEL_COMPOUND_V3, /* Comet: absorb of the whole position */
    MODEL_EULER_V2,    /* Euler Vault Kit: one controller vault */
    MODEL_SPARK,       /* SparkLend: aave-v3 with its own rule set */
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
 *   morpho-pre:  as morpho-blue.
 *   liquity-v2:  WAD; no per-asset ratios (the branch's are in
 *                struct market_params): asset 0 the collateral, 1 BOLD.
 *   compound-v3: WAD; ltv = borrowCollateralFactor, lt =
 *                liquidateCollateralFactor, bonus = liquidationFactor (the
 *                share of a seized value credited, not a bonus); fee unused.
 *   euler-v2:    bps (ConfigAmount); lt = liquidation LTV (the ramp's
 *                target), ltv = borrow LTV (unused); bonus, fee unused.
 */
struct asset {
    uint32_t sym;
    uint8_t decimals; /* 0..77 */
    uint64_t ltv;
    uint64_t lt;
    uint64_t bonus;
    uint64_t fee;
    /* aave-v3 reserve state (design.md 3.1); zero is the simple form. */
    uint8_t emode;       /* before 3.2: the asset's eMode category */
    bool repriced;       /* priced as book symbol price_sym, not sym */
    uint32_t price_sym;  /* (a view's eMode price source, before 3.2) */
    bool paused;         /* the reserve is paused */
    int64_t grace_until; /* liquidationGracePeriodUntil, unix s (3.1+) */
    struct u256 lindex;  /* liquidity index, RAY, accrued to as_of; 0: 1 */
    struct u256 dindex;  /* variable borrow index, likewise; aave-v4: the
                          * hub's drawnIndex (RAY; 0: 1) */
    /* aave-v4 hub totals (totalAddedAssets, totalAddedShares, raw) that
     * supplied shares convert by with 1e6 virtual of each; zero: one
     * share per asset. premium: in a position's own view only, its
     * premiumDebtRay on this asset (raw, RAY units). */
    struct u256 hub_assets, hub_shares;
    struct u256 premium;
    /* aave-v3, where the portfolio gives last_update (design.md 3.1): the
     * indexes as stored then and their rates (RAY a year), from which
     * lindex and dindex were accrued to as_of; time_to_liquidation
     * accrues them to later moments the same way. */
    bool has_rates;
    int64_t last_update;
    struct u256 lindex_stored, dindex_stored;
    struct u256 lrate, drate;
};

/*
 * An aave-v3 eMode category. From 3.2 its assets are the bitmaps; before
 * 3.2 they are the assets naming it (asset.emode), and both bitmaps are
 * filled from them. has_price: the category's price source (before 3.2),
 * book symbol price_sym.
 */
struct market_emode {
    uint8_t id; /* 1..255 */
    bool has_price;
    uint32_t price_sym;
    uint64_t ltv, lt, bonus; /* bps; bonus over 1 as in struct asset */
    uint32_t collateral;     /* a bit per asset index */
    uint32_t borrowable;
    char label[EMODE_LABEL_MAX];
};

/* An aave-v3 PriceOracleSentinel (L2): isLiquidationAllowed() is
 * sequencer_up && as_of - up_since > grace_period. */
struct market_sentinel {
    bool set;
    bool sequencer_up;
    int64_t up_since;
    int64_t grace_period;
};

/*
 * A position's view of an aave-v3 market (design.md 3.1): the market with
 * the position's eMode category applied to its assets (threshold, ltv,
 * bonus, price), the collaterals it disabled weighted zero, and which of
 * its legs hold scaled balances. A view has the id of its market; the
 * book tells views apart by these fields (book_market_view()). The
 * market as listed has view false and every field zero.
 */
struct market_view {
    bool view;
    uint8_t emode;        /* the category applied, 0 none */
    uint32_t coll_off;    /* a bit per asset: collateral disabled */
    uint32_t coll_scaled; /* a bit per asset: its collateral leg is scaled */
    uint32_t debt_scaled; /* a bit per asset: its debt leg is scaled */
    int64_t last_check;   /* euler-v2: the last account status check, unix
                           * s, kept only while within the cool-off */
    uint64_t rate;        /* liquity-v2: the troves' annual interest rate, WAD;
                           * 0 not given (book_front.c: debt in front) */
    uint32_t own; /* aave-v4: a position's own view (its premium debt), a
                   * number no other view of the market has; 0: none */
};

/* Market-wide parameters ("params" in the portfolio file). */
struct market_params {
    uint64_t close_factor;                /* compound-v2, WAD (0.5e18) */
    uint64_t liquidation_incentive;       /* compound-v2, WAD (1.08e18) */
    uint64_t protocol_seize_share;        /* compound-v2, WAD (2.8e16) */
    uint64_t target_health_factor;        /* aave-v4, WAD (>= 1e18) */
    uint64_t health_factor_for_max_bonus; /* aave-v4, WAD (< 1e18) */
    uint64_t liquidation_bonus_factor;    /* aave-v4, bps (<= 1e4) */
    /* liquity-v2, WAD: the branch's AddressesRegistry constants */
    uint64_t mcr, ccr, scr;
    uint64_t penalty_sp;     /* LIQUIDATION_PENALTY_SP (0.05e18) */
    uint64_t penalty_redist; /* LIQUIDATION_PENALTY_REDISTRIBUTION */
};

/*
 * A Liquity v2 branch's pools (liquity-v2, design.md 3 as the README
 * extends it): BOLD in the Stability Pool (getTotalBoldDeposits), and the
 * branch's entire collateral and debt for its TCR (getEntireBranchColl,
 * getEntireBranchDebt). Raw 18-decimal integers; unset: the pool covers
 * every debt, and the TCR is unknown.
 */
struct market_liquity {
    bool has_sp;
    bool has_totals;
    struct u256 sp_deposits;
    struct u256 total_coll, total_debt;
};

/*
 * Morpho Blue's stored market (design.md 3.1 "state" and "oracle_price"),
 * in a market of two assets: assets[0] the collateral, assets[1] the loan.
 * The totals are as stored at last_update; model_morpho_accrue() fills the
 * acc_* totals accrued to as_of (acc_at says for which moment; the model
 * accrues again where it differs). With has_state a position's debt leg
 * holds borrow shares (model.h balance and apply).
 */
struct market_morpho {
    bool has_state;
    bool has_oracle;
    bool accrued;
    int64_t last_update;
    int64_t acc_at;
    uint64_t fee;            /* WAD, at most 0.25e18 (MAX_FEE) */
    struct u256 borrow_rate; /* per second, WAD */
    struct u256 supply_assets, supply_shares;
    struct u256 borrow_assets, borrow_shares;
    struct u256 acc_supply_assets, acc_supply_shares;
    struct u256 acc_borrow_assets, acc_borrow_shares;
    struct u256 oracle_price; /* IOracle.price(): 1e36 scale */
};

/*
 * A PreLiquidation contract's parameters (morpho-pre, design.md 3): WAD
 * fractions; lcf2 may pass 1. has_oracle: the pre-liquidation oracle's own
 * price (1e36 scale), else the market's oracle price is used.
 */
struct market_pre {
    uint64_t lltv;
    uint64_t lcf1, lcf2;
    uint64_t lif1, lif2;
    bool has_oracle;
    struct u256 oracle_price;
};

/*
 * Compound v2's stored cToken state of one asset (design.md 3.1): with
 * has_rate, a position's collateral leg of the asset holds cTokens, worth
 * exchange_rate / 1e18 underlying each. deprecated: Comptroller's
 * isDeprecated, a borrow of it liquidatable whole at any liquidity.
 */
struct market_ctoken {
    bool has_rate;
    bool deprecated;
    uint8_t decimals;          /* the cToken's, 8 by default */
    struct u256 exchange_rate; /* exchangeRateStored(), 1e18 mantissa */
};

/*
 * Comet's configuration and stored indexes (compound-v3): the base asset
 * (an index into assets; every other asset is a collateral), the base
 * indexes accrued to as_of (BASE_INDEX_SCALE 1e15; 0 reads as 1e15), the
 * storefront price factor (WAD), baseBorrowMin and targetReserves (base
 * raw units, shown, not used by absorb), and per asset with its bit in
 * capped a supply cap and the market's totalSupplyAsset (raw units): a
 * deposit past the cap reverts.
 */
struct market_comet {
    uint8_t base;
    uint64_t supply_index, borrow_index;
    uint64_t store_front;
    struct u256 borrow_min, target_reserves;
    uint32_t capped;
    u128 supply_cap[MARKET_ASSETS_MAX], total_supply[MARKET_ASSETS_MAX];
};

/*
 * Euler Vault Kit (euler-v2, design.md 3): the controller vault's
 * liquidation settings and, per asset (a vault), its LTV config and share
 * totals. Bit i of `collateral`: asset i is a recognized collateral (has
 * an LTV config). Where ramp_duration[i] is set, the liquidation LTV
 * ramps from ramp_from[i] (bps) down to assets[i].lt over ramp_duration[i]
 * seconds from ramp_start[i]. total_assets and total_shares: the vault's
 * totalAssets() and totalSupply(); the virtual deposit is the model's.
 */
struct market_euler {
    uint64_t max_discount; /* maxLiquidationDiscount, bps, below 1e4 */
    uint32_t cool_off;     /* liquidationCoolOffTime, s, at most 65535 */
    bool no_socialize;     /* CFG_DONT_SOCIALIZE_DEBT */
    uint32_t collateral;
    uint64_t ramp_from[MARKET_ASSETS_MAX];
    int64_t ramp_start[MARKET_ASSETS_MAX];
    uint32_t ramp_duration[MARKET_ASSETS_MAX];
    struct u256 total_assets[MARKET_ASSETS_MAX];
    struct u256 total_shares[MARKET_ASSETS_MAX];
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
    /* as_of is the clock's, not the file's (the portfolio gave none):
     * the dashboard and run move it with the clock (app/app_accrue.c),
     * interest accrued to each new moment. */
    bool clock_as_of;
    /* When the gates (paused aside) are judged, where it is after as_of:
     * the dashboard's and run's clock (book_gate_clock_set); 0 leaves
     * them at as_of. Interest stays accrued to as_of. */
    int64_t gate_at;
    /* as_of is a chain's block time, set at every block by a chain source
     * (rpc:): the gates are judged at as_of alone, the chain's clock, and
     * book_gate_clock_set leaves gate_at 0. */
    bool chain_clock;
    struct market_params params;
    uint8_t nassets;
    struct asset assets[MARKET_ASSETS_MAX];
    /* aave-v3: the view this is, the sentinel and the eMode categories. */
    struct market_view view;
    struct market_sentinel sentinel;
    uint8_t nemodes;
    struct market_emode emodes[MARKET_EMODES_MAX];
    struct market_morpho morpho;   /* morpho-blue, morpho-pre; zero elsewhere */
    struct market_pre pre;         /* morpho-pre only; zero elsewhere */
    struct market_liquity liquity; /* liquity-v2 only; zero elsewhere */
    struct market_ctoken ctoken[MARKET_ASSETS_MAX]; /* compound-v2 only */
    struct market_comet comet;                      /* compound-v3 only */
    struct market_euler euler; /* euler-v2 only; zero elsewhere */
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

/* True for the models on Morpho Blue's market (morpho-blue, morpho-pre). */
static inline bool
market_is_morpho(enum model_kind model)
{
    return model == MODEL_MORPHO_BLUE || model == MODEL_MORPHO_PRE;
}

/* True for the models run by the Aave v3 code with a rule set of their
 * own (model_aave.h struct model_aave3_rules): aave-v3, spark. */
static inline bool
market_is_aave3(enum model_kind model)
{
    return model == MODEL_AAVE_V3 || model == MODEL_SPARK;
}

/* The moment m's gates are judged at: as_of, or gate_at when later. */
static inline int64_t
market_gate_time(const struct market *m)
{
    return m->gate_at > m->as_of ? m->gate_at : m->as_of;
}

/* The book symbol whose price is the asset's. */
static inline uint32_t
market_asset_price_sym(const struct asset *a)
{
    return a->repriced ? a->price_sym : a->sym;
}

/* True when a and b are the same view (both the market as listed too). */
bool market_view_eq(const struct market_view *a, const struct market_view *b);

/* The category with this id, or NULL. */
const struct market_emode *market_emode_find(const struct market *m,
                                             unsigned id);

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
