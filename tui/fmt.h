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
#include <stdint.h>

#include "core/u256.h"

/* raw with `decimals` places as "12,345.67" (places shown, truncated). */
void fmt_amount(char *buf, size_t cap, struct u256 raw, unsigned decimals,
                unsigned places);
/* Every place the value has, grouped: "1,962.61682295" (exact). */
void fmt_exact(char *buf, size_t cap, struct u256 raw, unsigned decimals);
/* As fmt_amount, shortened with K/M/B/T to fit width cells. */
void fmt_fit(char *buf, size_t cap, struct u256 raw, unsigned decimals,
             unsigned places, int width);
/* The form fmt_fit picks for raw (a step: 0 every place asked, 1 none,
 * 2.. K, M, B, T with one place or none), and raw in a given form: a
 * column formats every row at the largest step any of its rows needs, so
 * that one column keeps one scale. */
int fmt_fit_step(struct u256 raw, unsigned decimals, unsigned places,
                 int width);
void fmt_at_step(char *buf, size_t cap, struct u256 raw, unsigned decimals,
                 unsigned places, int step);
/* A price: from 1,000 up two places; below, every place it has (trailing
 * zeros trimmed, at least two), so that a depeg to 0.9999 shows. */
void fmt_price(char *buf, size_t cap, struct u256 raw, unsigned decimals);
/* A WAD health factor, 4 places truncated; "-" without debt; ">99" huge. */
void fmt_hf(char *buf, size_t cap, struct u256 hf, int has_debt);
/* (price - liq) / price in %, one place: "12.3%", "-4.0%". */
void fmt_distance(char *buf, size_t cap, struct u256 price, struct u256 liq);
/* A count grouped by thousands: "1,000,000". */
void fmt_count(char *buf, size_t cap, uint64_t n);
/* A count and its noun, singular for one: "1 position", "2,000 positions"
 * (noun_one and noun_many given whole). */
void fmt_count_noun(char *buf, size_t cap, uint64_t n, const char *noun_one,
                    const char *noun_many);

#endif
