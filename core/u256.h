/*
 * u256.h: exact 256-bit unsigned arithmetic, the only place where money is
 * multiplied or divided.
 *
 * Owns struct u256 and every rounding helper (floor, ceil, half-up) used by
 * the protocol models. Overflow, underflow and division by zero are reported
 * as LIQ_E* codes, never wrapped. Pure: no allocation, no I/O, no float.
 */
#ifndef U256_H
#define U256_H

#include <stdbool.h>
#include <stdint.h>

/* Four 64-bit limbs, least significant first. Passed by value. */
struct u256 {
    uint64_t w[4];
};

enum u256_round {
    U256_FLOOR,  /* toward zero */
    U256_CEIL,   /* away from zero when there is a remainder */
    U256_HALF_UP /* Solidity's half-up: floor((x + d/2) / d) */
};

struct u256 u256_zero(void);
struct u256 u256_from_u64(uint64_t v);
struct u256 u256_max(void); /* 2^256 - 1 */
bool u256_is_zero(struct u256 a);
bool u256_is_max(struct u256 a);
/* -1, 0 or 1. */
int u256_cmp(struct u256 a, struct u256 b);
bool u256_eq(struct u256 a, struct u256 b);
bool u256_lt(struct u256 a, struct u256 b);
bool u256_le(struct u256 a, struct u256 b);
struct u256 u256_min(struct u256 a, struct u256 b);
struct u256 u256_max_of(struct u256 a, struct u256 b);
/* True when a fits in 64 bits; u256_to_u64 then returns it. */
bool u256_fits_u64(struct u256 a);
uint64_t u256_to_u64(struct u256 a);
/* Number of significant bits (0 for zero). */
unsigned u256_bits(struct u256 a);

/* *r = a + b; LIQ_EOVERFLOW past 2^256 - 1. */
int u256_add(struct u256 *r, struct u256 a, struct u256 b);
/* *r = a - b; LIQ_ERANGE when b > a. */
int u256_sub(struct u256 *r, struct u256 a, struct u256 b);
/* *r = a * b; LIQ_EOVERFLOW past 2^256 - 1. */
int u256_mul(struct u256 *r, struct u256 a, struct u256 b);
/* *q = a / b (rounded as asked), *rem = a % b when rem != NULL;
 * LIQ_EDIVZERO when b is zero. */
int u256_div(struct u256 *q, struct u256 a, struct u256 b,
             enum u256_round mode);
int u256_divmod(struct u256 *q, struct u256 *rem, struct u256 a, struct u256 b);
/* *r = a * b / d with a 512-bit intermediate, rounded as asked;
 * LIQ_EDIVZERO, or LIQ_EOVERFLOW when the quotient exceeds 256 bits. */
int u256_muldiv(struct u256 *r, struct u256 a, struct u256 b, struct u256 d,
                enum u256_round mode);
/* 10^n for n <= 77; LIQ_EOVERFLOW above. */
int u256_pow10(struct u256 *r, unsigned n);
/* Convenience for constants known to fit: 10^n, n <= 77 (asserts). */
struct u256 u256_exp10(unsigned n);

#endif
