/*
 * filter.h: the filter language typed after `/`: terms separated by
 * spaces, all of which must hold.
 *
 *   hf<1.1  hf<=1.1  hf>2  hf>=2   health bounds (no price: never)
 *   tier:liq,danger                risk tiers (liq, danger, warn, ok, none;
 *                                  any prefix)
 *   market:aave                    the market's id contains it
 *   asset:WETH                     a collateral or debt leg of that symbol
 *   stale                          a leg's price is stale
 *   anything else                  id, label, market or asset contains it
 *
 * Any case. A term still being typed (`hf<`, `tier:`) is no term yet.
 * Owns nothing: parses into the caller's struct book_filter.
 */
#ifndef FILTER_H
#define FILTER_H

#include <stddef.h>

#include "core/book_order.h"

/* Parse text into *f. Returns 0, or -1 with a message in err (f then
 * holds the terms before the bad one). */
int filter_parse(struct book_filter *f, const char *text, char *err,
                 size_t cap);

#endif
