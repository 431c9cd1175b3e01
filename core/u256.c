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

/* gcc and clang both provide 128-bit integers on 64-bit targets; the
 * extension keeps -Wpedantic quiet about it. */
__extension__ typedef unsigned __int128 u128;

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
        u128 k = 0;

        for (int j = m - 1; j >= 0; j--) {
            u128 cur = (k << 64) | u[j];
            q[j] = (uint64_t)(cur / v[0]);
            k = cur % v[0];
        }
        r[0] = (uint64_t)k;
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

/*
 * x / d for a 64-bit d: the low 64 bits of the quotient into *lo, the
 * remainder into *rem, and the high 64 bits returned. Where the high half
 * of x is below d the quotient fits 64 bits and one x86-64 divq does it;
 * the compiler's 128-bit division is a library call several times slower.
 */
static uint64_t
u256_div128(u128 x, uint64_t d, uint64_t *lo, uint64_t *rem)
{
    uint64_t hi = (uint64_t)(x >> 64), l = (uint64_t)x;

#if defined(__x86_64__)
    if (hi < d) {
        uint64_t q, r;

        __asm__("divq %4" : "=a"(q), "=d"(r) : "a"(l), "d"(hi), "rm"(d));
        *lo = q;
        *rem = r;
        return 0;
    }
#endif
    {
        u128 q = x / d;

        *lo = (uint64_t)q;
        *rem = (uint64_t)(x % d);
        return (uint64_t)(q >> 64);
    }
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
    /* Fast path: the product fits 128 bits and the divisor 64 bits, so
     * the hardware's 128-by-64 division does the work and the rounding
     * is decided on the 64-bit remainder. */
    if (u256_fits_u64(d) && ((u256_fits_u64(a) && u256_fits_u64(b)) ||
                             u256_bits(a) + u256_bits(b) <= 128)) {
        u128 av = ((u128)a.w[1] << 64) | a.w[0];
        u128 bv = ((u128)b.w[1] << 64) | b.w[0];
        u128 x = av * bv;
        uint64_t r64, d64 = d.w[0];
        bool up;

        q.w[2] = q.w[3] = 0;
        q.w[1] = u256_div128(x, d64, &q.w[0], &r64);
        if (mode == U256_CEIL)
            up = r64 != 0;
        else if (mode == U256_HALF_UP)
            up = r64 >= d64 - d64 / 2; /* as u256_round_up */
        else
            up = false;
        if (up) {
            /* q < 2^128: the carry stops at w[2] at most. */
            q.w[0]++;
            if (q.w[0] == 0 && ++q.w[1] == 0)
                q.w[2] = 1;
        }
        *r = q;
        return 0;
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

static const uint64_t u256_pow10_64[20] = {1ULL,
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
    if (n < 20) {
        *r = u256_from_u64(u256_pow10_64[n]);
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
u256_exp10(unsigned n)
{
    struct u256 r = u256_zero();
    int rc = u256_pow10(&r, n);

    assert(rc == 0);
    (void)rc;
    return r;
}
