/*
 * fmt.h: numbers for people: grouped thousands, a fixed number of places
 * (truncated, never rounded up, as Aave's interface shows health), and a
 * compact form for narrow columns.
 *
 * Owns display formatting only; exact figures come from core/decimal.
 */
#ifndef FMT_H
#define FMT_H

#include <stddef.h>

#include "core/u256.h"

/* raw with `decimals` places as "12,345.67" (places shown, truncated). */
void fmt_amount(char *buf, size_t cap, struct u256 raw, unsigned decimals,
                unsigned places);
/* Every place the value has, grouped: "1,962.61682295" (exact). */
void fmt_exact(char *buf, size_t cap, struct u256 raw, unsigned decimals);
/* As fmt_amount, shortened with K/M/B/T to fit width cells. */
void fmt_fit(char *buf, size_t cap, struct u256 raw, unsigned decimals,
             unsigned places, int width);
/* A WAD health factor, 4 places truncated; "-" without debt; ">99" huge. */
void fmt_hf(char *buf, size_t cap, struct u256 hf, int has_debt);
/* (price - liq) / price in %, one place: "12.3%", "-4.0%". */
void fmt_distance(char *buf, size_t cap, struct u256 price, struct u256 liq);

#endif
