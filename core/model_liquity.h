/*
 * model_liquity.h: what liquity-v2 (model_liquity.c) shows beyond the
 * model interface. Pure.
 */
#ifndef MODEL_LIQUITY_H
#define MODEL_LIQUITY_H

#include <stdbool.h>

#include "core/market.h"
#include "core/u256.h"

/* The branch's TCR (_getTCR: entire collateral * price / entire debt,
 * floor; u256_max() without debt) at price (indexed like m->assets), and
 * whether it is below SCR, where anyone may shut the branch down
 * (TroveManager.shutdown). LIQ_ENOENT where m gives no totals. */
int model_liquity_tcr(const struct market *m, const struct u256 *price,
                      struct u256 *tcr, bool *below_scr);

#endif
