/*
 * model_morpho.h: Morpho Blue's calculators, exposed so that the sourced
 * vectors can test them directly.
 */
#ifndef MODEL_MORPHO_H
#define MODEL_MORPHO_H

#include <stdbool.h>
#include <stdint.h>

#include "core/market.h"
#include "core/position.h"
#include "core/u256.h"

/* LIF = min(1.15e18, wDivDown(1e18, 1e18 - wMulDown(0.3e18, 1e18 - lltv)))
 * for an LLTV in WAD; LIQ_ERANGE above 1e18. */
int model_morpho_lif(struct u256 *out, uint64_t lltv);

/*
 * The market oracle's price (collateral quoted in the loan asset, scaled
 * by 1e36) from two base-unit prices:
 * floor(p_coll * 10^(36 + loan_dec - coll_dec) / p_loan).
 */
int model_morpho_oracle_price(struct u256 *out, struct u256 p_coll,
                              unsigned coll_dec, struct u256 p_loan,
                              unsigned loan_dec);

/*
 * SharesMathLib.toAssetsUp with the virtual shares and assets:
 * ceil(shares * (total_assets + 1) / (total_shares + 1e6)). Positions
 * hold one share per asset; this is for markets given in shares.
 */
int model_morpho_to_assets_up(struct u256 *out, struct u256 shares,
                              struct u256 total_assets,
                              struct u256 total_shares);

/* One side of a Morpho market: total assets and total shares. */
struct morpho_totals {
    struct u256 assets;
    struct u256 shares;
};

struct morpho_market_totals {
    struct morpho_totals supply;
    struct morpho_totals borrow;
};

/* MathLib.mulDivDown and mulDivUp under Solidity's checked arithmetic:
 * LIQ_EOVERFLOW where x * y (or x * y + d - 1) passes 2^256 - 1, which is
 * the contract's revert. */
int model_morpho_state_muldiv_down(struct u256 *out, struct u256 x,
                                   struct u256 y, struct u256 d);
int model_morpho_state_muldiv_up(struct u256 *out, struct u256 x, struct u256 y,
                                 struct u256 d);

/* SharesMathLib: toSharesDown/Up (to_shares) or toAssetsDown/Up of x on
 * the totals t, rounded up with up. */
int model_morpho_state_convert(struct u256 *out, struct u256 x,
                               const struct morpho_totals *t, bool to_shares,
                               bool up);

/* _accrueInterest of the stored state s to the moment `to` (unix seconds):
 * LIQ_ERANGE before last_update, LIQ_EOVERFLOW where the contract's
 * checked arithmetic or a uint128 total overflows. */
int model_morpho_state_accrue(const struct market_morpho *s, int64_t to,
                              struct morpho_market_totals *out);

/* Fill m->morpho's accrued totals for m->as_of (nothing without state);
 * LIQ_ERANGE for a fee above MAX_FEE or a last_update after as_of,
 * LIQ_EOVERFLOW where the accrual overflows. Whoever sets as_of calls it. */
int model_morpho_accrue(struct market *m);

/* The borrow totals accrued to m->as_of (the cached ones where they are
 * for that moment). */
int model_morpho_state_borrow(const struct market *m,
                              struct morpho_totals *out);

/* The least whole t in [0, horizon] at which the state s accrued to
 * as_of + t makes `shares` owe more than max_borrow (0 when already;
 * -1 when not by the horizon). */
int model_morpho_state_ttl(const struct market_morpho *s, int64_t as_of,
                           struct u256 shares, struct u256 max_borrow,
                           int64_t horizon, int64_t *out);

/*
 * morpho-pre (model_morpho_pre.c). The PreLiquidation schedule at an LTV
 * (WAD) of at least m->pre.lltv: quotient = wDivDown(ltv - preLltv, LLTV -
 * preLltv), preLCF and preLIF = wMulDown(quotient, X2 - X1) + X1 (LLTV:
 * assets[0].liquidation_threshold); LIQ_ERANGE below pre_lltv.
 */
int model_morpho_pre_schedule(const struct market *m, struct u256 ltv,
                              struct u256 *lcf, struct u256 *lif);

/* snapshot's fields: pre_liquidatable (in the band on the pre-liquidation
 * oracle, not Morpho-liquidatable on the market's), and there preLCF and
 * preLIF at the position's LTV (zero elsewhere). */
struct model_morpho_pre_band {
    bool pre_liquidatable;
    struct u256 lcf, lif;
};

int model_morpho_pre_band(const struct market *m, const struct position *p,
                          const struct u256 *price,
                          struct model_morpho_pre_band *out);

/* What a borrower does to leave the band (preview's avoid): whether, after
 * repaying (deposit false) or depositing `amount` raw units of the one
 * debt or collateral leg, borrowed <= wMulDown(collateralQuoted, PRE_LLTV)
 * on the pre-liquidation oracle, the repay burning shares as Morpho.repay
 * does. *clear true for a position without debt; LIQ_ERANGE for a repay
 * above what is owed. */
int model_morpho_pre_clear_after(const struct market *m,
                                 const struct position *p,
                                 const struct u256 *price, bool deposit,
                                 struct u256 amount, bool *clear);

/* The highest price (base units) of p's collateral, the loan's fixed, at
 * which its LTV on the pre-liquidation oracle is above pre_lltv (in the
 * band, or past it): exact, one base unit more is at or below. *exists
 * false without debt, or where either oracle has a price of its own
 * (pre_oracle_price, oracle_price: no feed price moves it). */
int model_morpho_pre_price(const struct market *m, const struct position *p,
                           const struct u256 *price, bool *exists,
                           struct u256 *out);

/* The LTV preLiquidate reads, wDivUp(borrowed, collateralQuoted) (WAD),
 * 0 without debt; LIQ_EDIVZERO when the collateral quotes 0. */
int model_morpho_pre_ltv(const struct market *m, const struct position *p,
                         const struct u256 *price, struct u256 *ltv);

struct model_account128;
struct model_tick128;

/* model_morpho128.c: the 128-bit twins of Morpho Blue's account (model.h
 * account128, tick128_prep, tick_account128). */
bool model_morpho128_account(const struct market *m, const uint8_t *asset,
                             const u128 *amount, unsigned ncoll, unsigned ndebt,
                             const u128 *price, struct model_account128 *out);
bool model_morpho128_tick_prep(struct model_tick128 *t);
bool model_morpho128_tick_account(const struct model_tick128 *t,
                                  const uint8_t *asset, const u128 *amount,
                                  unsigned ncoll, unsigned ndebt,
                                  struct model_account128 *out);
/* model.h max_call128 for Morpho Blue without the market's state. */
struct model_call128;
bool model_morpho128_max_call(const struct market *m, const struct position *p,
                              const struct u256 *price, uint8_t debt,
                              uint8_t coll, struct model_call128 *out);

#endif
