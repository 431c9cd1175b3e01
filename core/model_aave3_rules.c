/*
 * model_aave3_rules.c: the rule set of each Aave v3 variant (model_aave.h
 * struct model_aave3_rules): Aave v3.0 to v3.7 by version, and SparkLend,
 * pinned to the sparkdotfi/sparklend-v1-core sources it was read from.
 *
 * Owns which variant has which rule, nothing of what a rule computes
 * (model_aave3*.c). Constant tables only: pure.
 */
#include "core/model_aave.h"

const struct model_aave3_rules model_aave3_rules_v3[8] = {
    /* 3.0 */
    {.math = 300},
    /* 3.1: grace periods */
    {.grace = true, .math = 301},
    /* 3.2: eMode categories as bitmaps, price sources removed */
    {.grace = true, .emode_bitmap = true, .math = 302},
    /* 3.3: close factor on values, dust, bad debt */
    {.grace = true, .emode_bitmap = true, .close_v33 = true, .math = 303},
    /* 3.4: MathUtils through x */
    {.grace = true, .emode_bitmap = true, .close_v33 = true, .math = 304},
    /* 3.5: valuation and token rounding */
    {.grace = true,
     .emode_bitmap = true,
     .close_v33 = true,
     .value_v35 = true,
     .token_v35 = true,
     .capped_up = true,
     .math = 305},
    /* 3.6: every enabled collateral counts */
    {.grace = true,
     .emode_bitmap = true,
     .close_v33 = true,
     .value_v35 = true,
     .token_v35 = true,
     .capped_up = true,
     .counted_v36 = true,
     .math = 306},
    /* 3.7 */
    {.grace = true,
     .emode_bitmap = true,
     .close_v33 = true,
     .value_v35 = true,
     .token_v35 = true,
     .capped_up = true,
     .counted_v36 = true,
     .v37 = true,
     .math = 307},
};

/*
 * SparkLend, "v3.0 rules + v3.5 valuation rounding", as read in
 * sparkdotfi/sparklend-v1-core (contracts/protocol/...):
 * - libraries/logic/LiquidationLogic.sol@077cc8c2: the 3.0 close factor
 *   (0.5e4 above HF 0.95e18, else 1e4, percentMul of the reserve's whole
 *   debt, stable and variable), no 2,000 threshold, no dust rule, no bad
 *   debt burnt; _calculateAvailableCollateralToLiquidate with percentMul
 *   and percentDiv half-up (a capped call's debt too: no capped_up); the
 *   eMode bonus and price source (_getConfigurationData); burns through
 *   TokenMath (getATokenBurnScaledAmount up, getVTokenBurnScaledAmount
 *   down, the fee capped at the scaled balance, read back with
 *   getATokenBalance down).
 * - libraries/logic/GenericLogic.sol@0e19fb05: collateral
 *   scaledBalance.rayMulFloor(income) * price / unit (floor), debt
 *   rayMulCeil(debt index) then _divCeil by the unit, HF =
 *   wadDiv(sum value_i * LT_i, debt) / 10_000; a collateral counts with a
 *   threshold and enabled (3.0's); the category's price for its assets.
 * - libraries/logic/ValidationLogic.sol@16ab8f56: paused, then the
 *   sentinel below MINIMUM_HEALTH_FACTOR_LIQUIDATION_THRESHOLD (as 3.0);
 *   no grace period.
 * - libraries/helpers/TokenMath.sol, math/WadRayMath.sol,
 *   tokenization/AToken.sol, VariableDebtToken.sol@077cc8c2: balanceOf
 *   rayMulFloor (aToken) and rayMulCeil (vToken): 3.5's token rounding.
 * - libraries/math/MathUtils.sol@16c4e618: 3.0's binomial expansion.
 * The sparklend-kill-switch (marsfoundation, README@12a00af0) blocks new
 * borrows only; repay, top-up and liquidation go on: no rule here.
 */
const struct model_aave3_rules model_aave3_rules_spark = {
    .value_v35 = true,
    .token_v35 = true,
    .math = 300,
};
