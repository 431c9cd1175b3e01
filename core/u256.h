/*
 * u256.h: exact 256-bit unsigned arithmetic, the only place where money is
 * multiplied or divided.
 *
 * Owns struct u256 and every rounding helper (floor, ceil, half-up) used by
 * the protocol models. Overflow, underflow and division by zero are reported
 * as LIQ_E* codes, never wrapped. Pure: no allocation, no I/O, integers only.
 */
#ifndef U256_H
#define U256_H

#include <stdbool.h>
#include <stdint.h>

#include "core/liq.h"

/* gcc and clang both provide 128-bit integers on 64-bit targets; the
 * extension keeps -Wpedantic quiet about it. */
__extension__ typedef unsigned __int128 u128;

/* Four 64-bit limbs, least significant first. Passed by value. */
struct u256 {
    uint64_t w[4];
};

enum u256_round {
    U256_FLOOR,  /* toward zero */
    U256_CEIL,   /* away from zero when there is a remainder */
    U256_HALF_UP /* Solidity's half-up: floor((x + d/2) / d) */
};

struct u256 u256_max(void); /* 2^256 - 1 */

bool u256_is_max(struct u256 a);

/* Number of significant bits (0 for zero). */
unsigned u256_bits(struct u256 a);

/* The comparisons, u256_fits_u64 and u256_to_u64, u256_add (LIQ_EOVERFLOW
 * past 2^256 - 1) and u256_sub (LIQ_ERANGE when b > a) are inline below. */

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
/*
 * The same on 128-bit operands, for hot loops whose figures fit (the book
 * on a price tick): *r = a * b / d rounded as asked, with the product held
 * in 256 bits. False, and *r untouched, when d is zero or the result needs
 * more than 128 bits; the caller then has u256_muldiv's answer to fall
 * back on, which is the same wherever this one answers.
 */
static inline bool u256_muldiv128(u128 *r, u128 a, u128 b, u128 d,
                                  enum u256_round mode);
/* Its general case (operands past 64 bits), out of line. */
bool u256_muldiv128_wide(u128 *r, u128 a, u128 b, u128 d, enum u256_round mode);

/*
 * floor(a * b / 10^n) for n <= 38: what u256_muldiv128(r, a, b,
 * u256_pow10_128(n), U256_FLOOR) answers, by one-limb hardware divisions
 * alone where that takes a two-limb divisor past 10^19: 10^n is divided
 * out as two powers within 64 bits, nested floors merging
 * (floor(floor(x / p) / q) = floor(x / (p q))). False, and *r untouched,
 * when n > 38 or the result needs more than 128 bits.
 */
bool u256_muldiv128_pow10(u128 *r, u128 a, u128 b, unsigned n);

/* 10^0 .. 10^19, the powers that fit 64 bits. */
extern const uint64_t u256_pow10_64[20];

/* 10^n for n <= 38 (the powers that fit 128 bits); 0 above. Inline: the
 * models' 128-bit twins ask for a unit at every leg. */
static inline u128
u256_pow10_128(unsigned n)
{
    if (n > 38)
        return 0;
    if (n < 20)
        return u256_pow10_64[n];
    return (u128)u256_pow10_64[n - 19] * u256_pow10_64[19];
}

/* 10^n for n <= 77; LIQ_EOVERFLOW above. */
int u256_pow10(struct u256 *r, unsigned n);
/* Convenience for constants known to fit: 10^n, n <= 77 (asserts).
 * Inline for the powers within 64 bits, every unit the models ask for. */
struct u256 u256_exp10_wide(unsigned n);
static inline struct u256
u256_exp10(unsigned n)
{
    if (n < 20) {
        struct u256 r = {{u256_pow10_64[n], 0, 0, 0}};
        return r;
    }
    return u256_exp10_wide(n);
}

/* The small operations are inline: they sit in every model's inner loop,
 * where a call costs more than the work. */

static inline struct u256
u256_from_u128(u128 v)
{
    struct u256 r = {{(uint64_t)v, (uint64_t)(v >> 64), 0, 0}};
    return r;
}

/* True when a fits 128 bits; *out then holds it. */
static inline bool
u256_to_u128(struct u256 a, u128 *out)
{
    if ((a.w[2] | a.w[3]) != 0)
        return false;
    *out = ((u128)a.w[1] << 64) | a.w[0];
    return true;
}

static inline struct u256
u256_zero(void)
{
    struct u256 r = {{0, 0, 0, 0}};
    return r;
}

static inline struct u256
u256_from_u64(uint64_t v)
{
    struct u256 r = {{v, 0, 0, 0}};
    return r;
}

static inline bool
u256_is_zero(struct u256 a)
{
    return (a.w[0] | a.w[1] | a.w[2] | a.w[3]) == 0;
}

/* -1, 0 or 1. */
static inline int
u256_cmp(struct u256 a, struct u256 b)
{
    for (int i = 3; i >= 0; i--) {
        if (a.w[i] != b.w[i])
            return a.w[i] < b.w[i] ? -1 : 1;
    }
    return 0;
}

static inline bool
u256_eq(struct u256 a, struct u256 b)
{
    return a.w[0] == b.w[0] && a.w[1] == b.w[1] && a.w[2] == b.w[2] &&
           a.w[3] == b.w[3];
}

static inline bool
u256_lt(struct u256 a, struct u256 b)
{
    return u256_cmp(a, b) < 0;
}

static inline bool
u256_le(struct u256 a, struct u256 b)
{
    return u256_cmp(a, b) <= 0;
}

static inline struct u256
u256_min(struct u256 a, struct u256 b)
{
    return u256_lt(b, a) ? b : a;
}

static inline struct u256
u256_max_of(struct u256 a, struct u256 b)
{
    return u256_lt(a, b) ? b : a;
}

static inline bool
u256_fits_u64(struct u256 a)
{
    return (a.w[1] | a.w[2] | a.w[3]) == 0;
}

static inline uint64_t
u256_to_u64(struct u256 a)
{
    return a.w[0];
}

static inline int
u256_add(struct u256 *r, struct u256 a, struct u256 b)
{
    struct u256 s;
    uint64_t carry = 0;

    for (int i = 0; i < 4; i++) {
        uint64_t t = a.w[i] + b.w[i];
        uint64_t c1 = t < a.w[i];

        s.w[i] = t + carry;
        carry = c1 | (s.w[i] < t);
    }
    if (carry != 0)
        return LIQ_EOVERFLOW;
    *r = s;
    return 0;
}

static inline int
u256_sub(struct u256 *r, struct u256 a, struct u256 b)
{
    struct u256 d;
    uint64_t borrow = 0;

    if (u256_lt(a, b))
        return LIQ_ERANGE;
    for (int i = 0; i < 4; i++) {
        uint64_t t = a.w[i] - b.w[i];
        uint64_t b1 = a.w[i] < b.w[i];
        d.w[i] = t - borrow;
        borrow = b1 | (t < borrow);
    }
    *r = d;
    return 0;
}

/* *r = a * b for b within 64 bits; false on overflow past 128 bits. A
 * product known to fit (a within 64 bits) is one multiplication, where
 * the compiler's general 128-bit overflow check is a dozen. */
static inline bool
u256_mul128_u64(u128 *r, u128 a, uint64_t b)
{
    if ((a >> 64) == 0) {
        *r = (u128)(uint64_t)a * b;
        return true;
    }
    return !__builtin_mul_overflow(a, (u128)b, r);
}

/*
 * (hi:lo) / d for hi < d, so that the quotient fits 64 bits: one x86-64
 * divq, where the compiler's 128-bit division is a library call several
 * times slower.
 */
static inline uint64_t
u256_divq(uint64_t hi, uint64_t lo, uint64_t d, uint64_t *rem)
{
#if defined(__x86_64__)
    uint64_t q, r;

    __asm__("divq %4" : "=a"(q), "=d"(r) : "a"(lo), "d"(hi), "rm"(d));
    *rem = r;
    return q;
#else
    u128 x = ((u128)hi << 64) | lo;

    *rem = (uint64_t)(x % d);
    return (uint64_t)(x / d);
#endif
}

/*
 * u256_muldiv128 where b and d are known to fit 64 bits, d not 0: a
 * three-limb product and one to three hardware divisions. The quotient is
 * returned, *fail set where it needs more than 128 bits (0 returned): by
 * value, it stays in registers, where written through a pointer GCC built
 * it on the stack in halves and read it back whole, a store-to-load
 * forwarding stall on every holder of a tick.
 */
static inline u128
u256_muldiv128_64v(u128 a, uint64_t bb, uint64_t dd, enum u256_round mode,
                   bool *fail)
{
    uint64_t rem, q1, q0;
    u128 lo = (u128)(uint64_t)a * bb;
    u128 hi = (u128)(uint64_t)(a >> 64) * bb + (uint64_t)(lo >> 64);
    uint64_t p2 = (uint64_t)(hi >> 64), p1 = (uint64_t)hi, p0 = (uint64_t)lo;
    uint64_t up;

    if (p2 >= dd) {
        *fail = true; /* the quotient needs more than 128 bits */
        return 0;
    }
    if ((p2 | p1) == 0) {
        /* 64 bits by 64: plain C, which a constant divisor (1e4, 1e18)
         * turns into a multiplication once this is inlined */
        q1 = 0;
        q0 = p0 / dd;
        rem = p0 % dd;
    } else {
        if (p2 == 0 && p1 < dd) {
            q1 = 0;
            rem = p1;
        } else {
            q1 = u256_divq(p2, p1, dd, &rem);
        }
        q0 = u256_divq(rem, p0, dd, &rem);
    }
    if (mode == U256_CEIL)
        up = rem != 0;
    else if (mode == U256_HALF_UP)
        up = rem >= dd - dd / 2; /* ceil(dd / 2) >= 1: rem is not 0 */
    else
        up = 0;
    /* q + up in halves: a carry out of q0, then out of q1 (past 128 bits) */
    uint64_t r0 = q0 + up, c = r0 < q0;
    uint64_t r1 = q1 + c;
    if (r1 < c) {
        *fail = true;
        return 0;
    }
    return ((u128)r1 << 64) | r0;
}

/* The same, *r the quotient; false, *r untouched, where it needs more
 * than 128 bits. */
static inline bool
u256_muldiv128_64(u128 *r, u128 a, uint64_t bb, uint64_t dd,
                  enum u256_round mode)
{
    bool fail = false;
    u128 q = u256_muldiv128_64v(a, bb, dd, mode, &fail);

    if (fail)
        return false;
    *r = q;
    return true;
}

/* Inline for the common case, b and d within 64 bits; the rest out of
 * line. */
static inline bool
u256_muldiv128(u128 *r, u128 a, u128 b, u128 d, enum u256_round mode)
{
    if ((b >> 64) != 0 && (a >> 64) == 0) {
        u128 t = a; /* a * b = b * a: the narrow one second */
        a = b;
        b = t;
    }
    if (((b | d) >> 64) != 0 || d == 0)
        return u256_muldiv128_wide(r, a, b, d, mode);
    return u256_muldiv128_64(r, a, (uint64_t)b, (uint64_t)d, mode);
}

#endif
