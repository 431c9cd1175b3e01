/*
 * model_aave.h: Aave v4's calculators, exposed so that the contract's own
 * test vectors can test them directly (liquidation-mechanics.md 3.7).
 */
#ifndef MODEL_AAVE_H
#define MODEL_AAVE_H

#include <stdint.h>

#include "core/u256.h"

/*
 * LiquidationLogic.calculateLiquidationBonus: the bonus (bps, >= 1e4) for
 * a pre-liquidation health factor hf (WAD): max_lb at or below
 * hf_for_max_bonus, else linear from minLB = (max_lb - 1e4) * factor / 1e4
 * + 1e4 at HF 1, floor at each step. hf at or above 1e18 gives minLB.
 */
uint64_t model_aave4_bonus(struct u256 hf, uint64_t hf_for_max_bonus,
                           uint64_t bonus_factor, uint64_t max_lb);

/*
 * _calculateDebtToTargetHealthFactor: the debt (in debt asset units
 * scaled by RAY) that brings hf to thf:
 * ceil(total_debt_value_ray * debt_unit * (thf - hf) /
 *      ((thf - percentMulUp(lb * 1e14, cf)) * debt_price * 1e18)).
 * LIQ_ERANGE when hf > thf (the contract's underflow).
 */
int model_aave4_debt_to_target(struct u256 *out,
                               struct u256 total_debt_value_ray,
                               struct u256 debt_unit, struct u256 debt_price,
                               struct u256 hf, struct u256 thf, uint64_t lb,
                               uint64_t cf);

#endif
