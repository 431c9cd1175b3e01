/*
 * model_morpho.h: Morpho Blue's calculators, exposed so that the sourced
 * vectors can test them directly.
 */
#ifndef MODEL_MORPHO_H
#define MODEL_MORPHO_H

#include <stdint.h>

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

#endif
