/*
 * preview_comet.h: what preview adds for a compound-v3 position (README,
 * "Compound v3"): the absorb of the whole position (collateral taken, the
 * credit it earns, the penalty, the debt absorbed, the base returned to the
 * borrower, the shortfall) and each collateral's storefront quote. The
 * figures are core/model_comet.c's; nothing here computes money.
 */
#ifndef PREVIEW_COMET_H
#define PREVIEW_COMET_H

#include <stdio.h>

#include "core/book.h"
#include "core/market.h"
#include "core/position.h"
#include "core/u256.h"

/* `,\n  "absorb": {...}` into out (JSON, after the previous member);
 * nothing when the figures cannot be had (a zero price). */
void preview_comet_json(FILE *out, const struct book *b, const struct market *m,
                        const struct position *p, const struct u256 *prices);

/* The table's "Absorb" section. */
void preview_comet_table(FILE *out, const struct book *b,
                         const struct market *m, const struct position *p,
                         const struct u256 *prices);

#endif
