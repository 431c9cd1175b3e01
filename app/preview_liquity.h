/*
 * preview_liquity.h: what preview adds for a liquity-v2 trove (README,
 * "Liquity v2"): where the whole trove's debt and collateral go, and the
 * branch's TCR against SCR. The figures are core/model_liquity.c's;
 * nothing here computes money.
 */
#ifndef PREVIEW_LIQUITY_H
#define PREVIEW_LIQUITY_H

#include <stdio.h>

#include "core/book.h"
#include "core/market.h"
#include "core/model.h"
#include "core/u256.h"

/* The members `  "debt_offset": "...",\n` ... (and, with the branch's
 * totals, "branch_tcr" and "branch_below_scr"), each line as preview's
 * other members, for the call c. */
void preview_liquity_json(FILE *out, const struct market *m,
                          const struct liq_result *c,
                          const struct u256 *prices);

/* The same as lines of the table's call section. */
void preview_liquity_table(FILE *out, const struct book *b,
                           const struct market *m, const struct liq_result *c,
                           const struct u256 *prices);

#endif
