/*
 * preview_gate.h: the words preview's table gives a gate (preview_gate.c).
 */
#ifndef PREVIEW_GATE_H
#define PREVIEW_GATE_H

#include <stdint.h>
#include <stdio.h>

#include "core/book.h"
#include "core/market.h"
#include "core/model.h"

/* Lines into out saying what gate r (of the call repaying asset da and
 * seizing ca of m) means and when it opens; nothing for other reasons. */
void preview_gate_words(FILE *out, const struct book *b, const struct market *m,
                        enum liq_revert r, uint8_t da, uint8_t ca);

#endif
