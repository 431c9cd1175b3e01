/*
 * decimal.h: exact decimal text to raw integer units and back.
 *
 * Owns the text form of every amount, price and ratio (design.md section 2):
 * "10.5" with 18 decimals is 10500000000000000000 raw. Pure: writes into
 * caller buffers, never allocates, integers only.
 */
#ifndef DECIMAL_H
#define DECIMAL_H

#include <stddef.h>

#include "core/u256.h"

enum decimal_mode {
    DECIMAL_EXACT,   /* more places than `decimals` is LIQ_EPRECISION */
    DECIMAL_TRUNCATE /* extra places are dropped (oracle prices) */
};

/*
 * Parse s[0..len) as a non-negative decimal ("12", "0.5", ".5", "1e3",
 * "2.5E-3") into raw units with `decimals` places (0..77). Leading '+' is
 * allowed; '-', empty text, NaN/Inf, hex, spaces and junk are LIQ_EPARSE
 * ("-1" is LIQ_ERANGE so callers can say "negative"); a value past 2^256-1
 * is LIQ_EOVERFLOW. *out is untouched on failure.
 */
int decimal_parse(struct u256 *out, const char *s, size_t len,
                  unsigned decimals, enum decimal_mode mode);

/*
 * Write raw as a decimal with `decimals` places, trailing zeros and a
 * trailing point trimmed ("4.4625", "8500", "0"), NUL-terminated. Returns
 * the length written, or the length needed (excluding NUL) when cap is too
 * small, as snprintf does. 80 bytes always suffice.
 */
size_t decimal_format(char *buf, size_t cap, struct u256 raw,
                      unsigned decimals);

/* Plain integer text of raw ("1074926470588235294"); as decimal_format. */
size_t decimal_format_int(char *buf, size_t cap, struct u256 raw);

#define DECIMAL_BUF 82

#endif
