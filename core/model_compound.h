/*
 * model_compound.h: Compound v2's calculators, exposed so that the sourced
 * vectors can test them directly.
 */
#ifndef MODEL_COMPOUND_H
#define MODEL_COMPOUND_H

#include "core/model.h"
#include "core/u256.h"

/*
 * Comptroller.liquidateCalculateSeizeTokens: seizeTokens for repay, with
 * the exchange rate er, borrowed and collateral oracle prices pb and pc and
 * the liquidation incentive li, all 1e18 mantissas, truncated step by step.
 * LIQ_EDIVZERO when pc * er truncates to zero.
 */
int model_compound2_seize_tokens(struct u256 *out, struct u256 er,
                                 struct u256 pb, struct u256 pc, struct u256 li,
                                 struct u256 repay);

/* CToken.mintFresh: the cTokens minted for amount underlying at exchange
 * rate er (1e18 mantissa), div_(amount, Exp(er)) = amount * 1e18 / er
 * truncated. */
int model_compound2_mint_tokens(struct u256 *out, struct u256 er,
                                struct u256 amount);

/* model.h max_call128 for Compound v2, model_compound2_call128.c. */
bool model_compound2_call128_max(const struct market *m,
                                 const struct position *p,
                                 const struct u256 *price, uint8_t debt,
                                 uint8_t coll, struct model_call128 *out);

#endif
