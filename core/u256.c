/*
 * u256.c: exact 256-bit unsigned arithmetic with a 512-bit mul-div.
 *
 * Owns the limb algorithms: schoolbook multiplication and Knuth's algorithm
 * D (Hacker's Delight divmnu, 64-bit limbs with 128-bit steps). Every
 * overflow is reported; nothing wraps. Pure: no allocation, no I/O.
 */
#include "core/u256.h"

#include <assert.h>
#include <string.h>

#include "core/liq.h"

struct u256
u256_max(void)
{
    struct u256 r = {{UINT64_MAX, UINT64_MAX, UINT64_MAX, UINT64_MAX}};
    return r;
}

bool
u256_is_max(struct u256 a)
{
    return (a.w[0] & a.w[1] & a.w[2] & a.w[3]) == UINT64_MAX;
}

static unsigned
u256_clz64(uint64_t x)
{
    return x == 0 ? 64 : (unsigned)__builtin_clzll(x);
}

unsigned
u256_bits(struct u256 a)
{
    for (int i = 3; i >= 0; i--) {
        if (a.w[i] != 0)
            return (unsigned)i * 64 + 64 - u256_clz64(a.w[i]);
    }
    return 0;
}

/* Full 256 x 256 -> 512-bit product into p[8]. */
static void
u256_mul_full(uint64_t p[8], const struct u256 *a, const struct u256 *b)
{
    memset(p, 0, 8 * sizeof(p[0]));
    for (int i = 0; i < 4; i++) {
        uint64_t carry = 0;

        if (a->w[i] == 0)
            continue;
        for (int j = 0; j < 4; j++) {
            u128 t = (u128)a->w[i] * b->w[j] + p[i + j] + carry;
            p[i + j] = (uint64_t)t;
            carry = (uint64_t)(t >> 64);
        }
        p[i + 4] = carry;
    }
}

static inline void u256_mul128_full(uint64_t *p, u128 a, u128 b);

int
u256_mul(struct u256 *r, struct u256 a, struct u256 b)
{
    uint64_t p[8];

    if (u256_fits_u64(a) && u256_fits_u64(b)) {
        u128 t = (u128)a.w[0] * b.w[0];
        struct u256 s = {{(uint64_t)t, (uint64_t)(t >> 64), 0, 0}};
        *r = s;
        return 0;
    }
    if ((a.w[2] | a.w[3] | b.w[2] | b.w[3]) == 0) {
        /* two 128-bit factors: four products, no overflow possible */
        u256_mul128_full(r->w, ((u128)a.w[1] << 64) | a.w[0],
                         ((u128)b.w[1] << 64) | b.w[0]);
        return 0;
    }
    u256_mul_full(p, &a, &b);
    if ((p[4] | p[5] | p[6] | p[7]) != 0)
        return LIQ_EOVERFLOW;
    memcpy(r->w, p, sizeof(r->w));
    return 0;
}

/* Number of significant limbs in x[0..n). */
static int
u256_limbs(const uint64_t *x, int n)
{
    while (n > 0 && x[n - 1] == 0)
        n--;
    return n;
}

/*
 * x / d for a 64-bit d: the low 64 bits of the quotient into *lo, the
 * remainder into *rem, and the high 64 bits returned.
 */
static uint64_t
u256_div128(u128 x, uint64_t d, uint64_t *lo, uint64_t *rem)
{
    uint64_t hi = (uint64_t)(x >> 64), r = hi, qhi = 0;

    if (hi >= d) {
        qhi = hi / d;
        r = hi % d;
    }
    *lo = u256_divq(r, (uint64_t)x, d, rem);
    return qhi;
}

/*
 * Knuth's algorithm D: u[0..m) / v[0..n) with n >= 1, v[n-1] != 0, m >= n.
 * q gets m - n + 1 limbs, r gets n limbs. u and v are not modified.
 */
static void
u256_divmnu(uint64_t *q, uint64_t *r, const uint64_t *u, int m,
            const uint64_t *v, int n)
{
    uint64_t un[9], vn[4];
    unsigned s;

    if (n == 1) {
        uint64_t k = 0;

        for (int j = m - 1; j >= 0; j--)
            q[j] = u256_divq(k, u[j], v[0], &k);
        r[0] = k;
        return;
    }
    s = u256_clz64(v[n - 1]);
    for (int i = n - 1; i > 0; i--)
        vn[i] = (v[i] << s) | (s != 0 ? v[i - 1] >> (64 - s) : 0);
    vn[0] = v[0] << s;
    un[m] = s != 0 ? u[m - 1] >> (64 - s) : 0;
    for (int i = m - 1; i > 0; i--)
        un[i] = (u[i] << s) | (s != 0 ? u[i - 1] >> (64 - s) : 0);
    un[0] = u[0] << s;

    for (int j = m - n; j >= 0; j--) {
        u128 num = ((u128)un[j + n] << 64) | un[j + n - 1];
        u128 qhat = num / vn[n - 1];
        u128 rhat = num % vn[n - 1];
        uint64_t borrow = 0, carry = 0;

        while ((qhat >> 64) != 0 ||
               qhat * vn[n - 2] > ((rhat << 64) | un[j + n - 2])) {
            qhat--;
            rhat += vn[n - 1];
            if ((rhat >> 64) != 0)
                break;
        }
        /* Multiply and subtract qhat * vn from un[j..j+n]. */
        for (int i = 0; i < n; i++) {
            u128 p = qhat * vn[i] + carry;
            uint64_t plo = (uint64_t)p;
            uint64_t t = un[i + j] - plo;
            uint64_t b1 = un[i + j] < plo;

            carry = (uint64_t)(p >> 64);
            un[i + j] = t - borrow;
            borrow = b1 | (t < borrow);
        }
        {
            uint64_t t = un[j + n] - carry;
            uint64_t b1 = un[j + n] < carry;

            un[j + n] = t - borrow;
            borrow = b1 | (t < borrow);
        }
        q[j] = (uint64_t)qhat;
        if (borrow != 0) {
            /* qhat was one too large: add v back. */
            uint64_t c = 0;

            q[j]--;
            for (int i = 0; i < n; i++) {
                u128 t = (u128)un[i + j] + vn[i] + c;
                un[i + j] = (uint64_t)t;
                c = (uint64_t)(t >> 64);
            }
            un[j + n] += c;
        }
    }
    for (int i = 0; i < n; i++)
        r[i] = (un[i] >> s) | (s != 0 ? un[i + 1] << (64 - s) : 0);
}

/*
 * Divide the 512-bit p[8] by d: quotient into q (LIQ_EOVERFLOW when it
 * needs more than 256 bits), remainder into rem. d is not zero.
 */
static int
u256_div512(struct u256 *q, struct u256 *rem, const uint64_t p[8],
            const struct u256 *d)
{
    uint64_t qq[9] = {0}, rr[4] = {0};
    int m = u256_limbs(p, 8);
    int n = u256_limbs(d->w, 4);

    if (m < n) {
        memcpy(rem->w, p, sizeof(rem->w));
        *q = u256_zero();
        return 0;
    }
    u256_divmnu(qq, rr, p, m, d->w, n);
    if ((qq[4] | qq[5] | qq[6] | qq[7] | qq[8]) != 0)
        return LIQ_EOVERFLOW;
    memcpy(q->w, qq, sizeof(q->w));
    memcpy(rem->w, rr, sizeof(rem->w));
    return 0;
}

/* Apply the rounding mode to a floor quotient q with remainder rem. */
static int
u256_round_up(struct u256 *q, const struct u256 *rem, const struct u256 *d,
              enum u256_round mode)
{
    bool up = false;

    if (mode == U256_FLOOR || u256_is_zero(*rem))
        return 0;
    if (mode == U256_CEIL) {
        up = true;
    } else if (mode == U256_HALF_UP) {
        /* floor((x + floor(d/2)) / d) adds one exactly when
         * rem >= d - floor(d/2). */
        struct u256 half = *d, h = u256_zero();

        for (int i = 0; i < 4; i++)
            half.w[i] = (d->w[i] >> 1) | (i < 3 ? d->w[i + 1] << 63 : 0);
        (void)u256_sub(&h, *d, half);
        up = u256_le(h, *rem);
    }
    if (up)
        return u256_add(q, *q, u256_from_u64(1));
    return 0;
}

int
u256_divmod(struct u256 *q, struct u256 *rem, struct u256 a, struct u256 b)
{
    uint64_t p[8] = {0};
    struct u256 qq, rr;
    int rc;

    if (u256_is_zero(b))
        return LIQ_EDIVZERO;
    if (u256_fits_u64(a) && u256_fits_u64(b)) {
        qq = u256_from_u64(a.w[0] / b.w[0]);
        rr = u256_from_u64(a.w[0] % b.w[0]);
    } else if ((a.w[2] | a.w[3]) == 0 && u256_fits_u64(b)) {
        uint64_t r64;

        qq = u256_zero();
        qq.w[1] =
            u256_div128(((u128)a.w[1] << 64) | a.w[0], b.w[0], &qq.w[0], &r64);
        rr = u256_from_u64(r64);
    } else {
        memcpy(p, a.w, sizeof(a.w));
        rc = u256_div512(&qq, &rr, p, &b);
        if (rc != 0)
            return rc;
    }
    *q = qq;
    if (rem != NULL)
        *rem = rr;
    return 0;
}

int
u256_div(struct u256 *q, struct u256 a, struct u256 b, enum u256_round mode)
{
    struct u256 qq, rr;
    int rc = u256_divmod(&qq, &rr, a, b);

    if (rc != 0)
        return rc;
    rc = u256_round_up(&qq, &rr, &b, mode);
    if (rc != 0)
        return rc;
    *q = qq;
    return 0;
}

int
u256_muldiv(struct u256 *r, struct u256 a, struct u256 b, struct u256 d,
            enum u256_round mode)
{
    uint64_t p[8];
    struct u256 q, rem;
    int rc;

    if (u256_is_zero(d))
        return LIQ_EDIVZERO;
    /* A 64-bit divisor: the hardware's 128-by-64 division does the work,
     * one step a limb of the product, and the rounding is decided on the
     * 64-bit remainder. */
    if (u256_fits_u64(d)) {
        uint64_t r64 = 0, d64 = d.w[0];
        int m;
        bool up;

        if ((a.w[1] | a.w[2] | a.w[3] | b.w[1] | b.w[2] | b.w[3]) == 0) {
            u128 x = (u128)a.w[0] * b.w[0];
            p[0] = (uint64_t)x;
            p[1] = (uint64_t)(x >> 64);
            p[2] = p[3] = p[4] = 0; /* not read; quiets -Wmaybe-uninitialized */
            m = 2;
        } else {
            u256_mul_full(p, &a, &b);
            m = u256_limbs(p, 8);
            if (m > 5 || (m == 5 && p[4] >= d64))
                return LIQ_EOVERFLOW; /* the quotient needs 257 bits */
        }
        q = u256_zero();
        for (int j = m - 1; j >= 0; j--) {
            if (j < 4)
                q.w[j] = u256_divq(r64, p[j], d64, &r64);
            else
                r64 = p[j]; /* p[4] < d64: that quotient limb is 0 */
        }
        if (mode == U256_CEIL)
            up = r64 != 0;
        else if (mode == U256_HALF_UP)
            up = r64 != 0 && r64 >= d64 - d64 / 2; /* as u256_round_up */
        else
            up = false;
        if (up) {
            rc = u256_add(&q, q, u256_from_u64(1));
            if (rc != 0)
                return rc;
        }
        *r = q;
        return 0;
    }
    /* Operands within 128 bits and a quotient that is too: the product in
     * four limbs and two steps of a 3-by-2 division (u256_muldiv128),
     * the same answer. */
    if ((a.w[2] | a.w[3] | b.w[2] | b.w[3] | d.w[2] | d.w[3]) == 0) {
        u128 q128;

        if (u256_muldiv128_wide(&q128, ((u128)a.w[1] << 64) | a.w[0],
                                ((u128)b.w[1] << 64) | b.w[0],
                                ((u128)d.w[1] << 64) | d.w[0], mode)) {
            *r = u256_from_u128(q128);
            return 0;
        }
    }
    u256_mul_full(p, &a, &b);
    rc = u256_div512(&q, &rem, p, &d);
    if (rc != 0)
        return rc;
    rc = u256_round_up(&q, &rem, &d, mode);
    if (rc != 0)
        return rc;
    *r = q;
    return 0;
}

const uint64_t u256_pow10_64[20] = {1ULL,
                                    10ULL,
                                    100ULL,
                                    1000ULL,
                                    10000ULL,
                                    100000ULL,
                                    1000000ULL,
                                    10000000ULL,
                                    100000000ULL,
                                    1000000000ULL,
                                    10000000000ULL,
                                    100000000000ULL,
                                    1000000000000ULL,
                                    10000000000000ULL,
                                    100000000000000ULL,
                                    1000000000000000ULL,
                                    10000000000000000ULL,
                                    100000000000000000ULL,
                                    1000000000000000000ULL,
                                    10000000000000000000ULL};

int
u256_pow10(struct u256 *r, unsigned n)
{
    struct u256 acc;

    if (n > 77)
        return LIQ_EOVERFLOW;
    if (n <= 38) {
        *r = u256_from_u128(u256_pow10_128(n));
        return 0;
    }
    acc = u256_from_u64(u256_pow10_64[19]);
    n -= 19;
    while (n > 0) {
        unsigned k = n < 19 ? n : 19;
        int rc = u256_mul(&acc, acc, u256_from_u64(u256_pow10_64[k]));

        if (rc != 0)
            return rc;
        n -= k;
    }
    *r = acc;
    return 0;
}

struct u256
u256_exp10_wide(unsigned n)
{
    struct u256 r = u256_zero();
    int rc;

    if (n <= 38)
        return u256_from_u128(u256_pow10_128(n)); /* RAY, 10^36: a product */
    rc = u256_pow10(&r, n);
    assert(rc == 0);
    (void)rc;
    return r;
}

/*
 * (u2:u1:u0) / (d1:d0), d1 normalized (top bit set) and (u2:u1) < (d1:d0):
 * one quotient limb, the remainder into (*r1:*r0). Knuth's step D3-D6 for
 * a two-limb divisor: estimate from the top limbs, correct at most twice.
 */
static uint64_t
u256_div3by2(uint64_t u2, uint64_t u1, uint64_t u0, uint64_t d1, uint64_t d0,
             uint64_t *r1, uint64_t *r0)
{
    uint64_t qhat, rhat;
    bool rbig = false;

    if (u2 >= d1) {
        /* u2 == d1 (the quotient limb fits): start from 2^64 - 1. */
        qhat = UINT64_MAX;
        u128 t = (((u128)u2 << 64) | u1) - (u128)qhat * d1;
        rbig = (t >> 64) != 0;
        rhat = (uint64_t)t;
    } else {
        qhat = u256_divq(u2, u1, d1, &rhat);
    }
    while (!rbig && (u128)qhat * d0 > (((u128)rhat << 64) | u0)) {
        qhat--;
        rbig = rhat + d1 < rhat;
        rhat += d1;
    }
    /* (u2:u1:u0) - qhat * (d1:d0), which qhat keeps in [0, d) but for
     * one case the loop above could not see (rhat past 64 bits). */
    u128 p0 = (u128)qhat * d0, p1 = (u128)qhat * d1 + (uint64_t)(p0 >> 64);
    uint64_t s0 = u0 - (uint64_t)p0, bw = u0 < (uint64_t)p0;
    uint64_t s1 = u1 - (uint64_t)p1 - bw;
    uint64_t bw1 = (u1 < (uint64_t)p1) | ((u1 - (uint64_t)p1) < bw);
    uint64_t s2 = u2 - (uint64_t)(p1 >> 64) - bw1;
    if (s2 != 0) {
        /* Went below zero: add one divisor back. */
        qhat--;
        u128 t = (u128)s0 + d0;
        s0 = (uint64_t)t;
        s1 = s1 + d1 + (uint64_t)(t >> 64);
    }
    *r1 = s1;
    *r0 = s0;
    return qhat;
}

/* p[0, 4) = a * b, 256 bits. */
static inline void
u256_mul128_full(uint64_t *p, u128 a, u128 b)
{
    uint64_t a0 = (uint64_t)a, a1 = (uint64_t)(a >> 64);
    uint64_t b0 = (uint64_t)b, b1 = (uint64_t)(b >> 64);
    u128 t = (u128)a0 * b0;

    p[0] = (uint64_t)t;
    if ((a1 | b1) == 0) {
        p[1] = (uint64_t)(t >> 64);
        p[2] = p[3] = 0;
    } else {
        u128 m1 = (u128)a1 * b0, m2 = (u128)a0 * b1, hi = (u128)a1 * b1;
        u128 mid = (t >> 64) + (uint64_t)m1 + (uint64_t)m2;
        p[1] = (uint64_t)mid;
        hi += (mid >> 64) + (m1 >> 64) + (m2 >> 64);
        p[2] = (uint64_t)hi;
        p[3] = (uint64_t)(hi >> 64);
    }
}

bool
u256_muldiv128_wide(u128 *r, u128 a, u128 b, u128 d, enum u256_round mode)
{
    uint64_t p[4], d0 = (uint64_t)d, d1 = (uint64_t)(d >> 64);
    u128 q, rem;
    bool up;

    if (d == 0)
        return false;
    u256_mul128_full(p, a, b);
    if (d1 == 0) {
        uint64_t r64;
        if (p[3] != 0 || p[2] >= d0)
            return false; /* the quotient needs more than 128 bits */
        uint64_t q1 = u256_divq(p[2], p[1], d0, &r64);
        uint64_t q0 = u256_divq(r64, p[0], d0, &r64);
        q = ((u128)q1 << 64) | q0;
        rem = r64;
    } else {
        /* (p3:p2) < d, else the quotient passes 128 bits. */
        if ((((u128)p[3] << 64) | p[2]) >= d)
            return false;
        unsigned s = (unsigned)__builtin_clzll(d1);
        uint64_t n1 = s ? (d1 << s) | (d0 >> (64 - s)) : d1, n0 = d0 << s;
        uint64_t u[4], r1, r0;
        /* N < d * 2^128, so N << s keeps to four limbs and its top two
         * stay below the normalized divisor: two quotient limbs. */
        for (int i = 3; i > 0; i--)
            u[i] = s ? (p[i] << s) | (p[i - 1] >> (64 - s)) : p[i];
        u[0] = p[0] << s;
        /* a quotient within 64 bits, as a health in WAD mostly is: the
         * top three limbs below the divisor, the first limb 0 and its
         * remainder the limbs themselves */
        uint64_t q1 = 0;
        if (u[3] == 0 &&
            (((u128)u[2] << 64) | u[1]) < (((u128)n1 << 64) | n0)) {
            r1 = u[2];
            r0 = u[1];
        } else {
            q1 = u256_div3by2(u[3], u[2], u[1], n1, n0, &r1, &r0);
        }
        uint64_t q0 = u256_div3by2(r1, r0, u[0], n1, n0, &r1, &r0);
        q = ((u128)q1 << 64) | q0;
        /* the remainder of the normalized division, shifted back */
        rem = (((u128)r1 << 64) | r0) >> s;
    }
    if (mode == U256_CEIL)
        up = rem != 0;
    else if (mode == U256_HALF_UP)
        up = rem >= d - d / 2; /* ceil(d / 2) >= 1: rem is not 0 */
    else
        up = false;
    if (up) {
        if (q == ~(u128)0)
            return false;
        q++;
    }
    *r = q;
    return true;
}

/* floor((hi:lo) / d), hi < d, remainder into *rem: a hardware division
 * unless hi is zero and lo below d, as the top limbs of a product mostly
 * are. */
static inline uint64_t
u256_divq_small(uint64_t hi, uint64_t lo, uint64_t d, uint64_t *rem)
{
    if (hi == 0 && lo < d) {
        *rem = lo;
        return 0;
    }
    return u256_divq(hi, lo, d, rem);
}

bool
u256_muldiv128_pow10(u128 *r, u128 a, u128 b, unsigned n)
{
    uint64_t p[4], d1, d2, q1, q0, rem;

    if (n > 38)
        return false;
    u256_mul128_full(p, a, b);
    if (n <= 19) {
        d1 = u256_pow10_64[n];
        if (p[3] != 0 || p[2] >= d1)
            return false; /* the quotient needs more than 128 bits */
        q1 = u256_divq_small(p[2], p[1], d1, &rem);
        q0 = u256_divq_small(rem, p[0], d1, &rem);
        *r = ((u128)q1 << 64) | q0;
        return true;
    }
    /* floor(floor(x / 10^19) / 10^(n - 19)) = floor(x / 10^n). A
     * quotient within 128 bits needs x < 2^128 10^38 <= 2^192 10^19, so
     * p3 below 10^19, and the first quotient below 2^128 10^(n - 19). */
    d1 = u256_pow10_64[19];
    d2 = u256_pow10_64[n - 19];
    if (p[3] >= d1)
        return false;
    uint64_t y2 = u256_divq_small(p[3], p[2], d1, &rem);
    uint64_t y1 = u256_divq_small(rem, p[1], d1, &rem);
    uint64_t y0 = u256_divq_small(rem, p[0], d1, &rem);
    if (y2 >= d2)
        return false;
    q1 = u256_divq_small(y2, y1, d2, &rem);
    q0 = u256_divq_small(rem, y0, d2, &rem);
    *r = ((u128)q1 << 64) | q0;
    return true;
}
