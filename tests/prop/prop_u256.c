/*
 * prop_u256.c: u256 against a slow, independent reference (32-bit limb
 * products, shift-and-subtract division over 512 bits) on random operands
 * of random widths, values near 2^256 included, so the native 64/128-bit
 * fast paths and Knuth's division are checked against the same answers.
 */
#include <stdlib.h>
#include <string.h>

#include "core/liq.h"
#include "core/u256.h"
#include "tests/common/testutil.h"

/* 512-bit reference numbers: 8 limbs of 64 bits, least significant first. */
struct ref512 {
    uint64_t w[8];
};

static struct ref512
ref_from(struct u256 a)
{
    struct ref512 r;

    memset(&r, 0, sizeof(r));
    memcpy(r.w, a.w, sizeof(a.w));
    return r;
}

/* Product through 32-bit halves: shares no code with u256_mul. */
static struct ref512
ref_mul(struct u256 a, struct u256 b)
{
    uint32_t x[8], y[8];
    uint64_t acc[16] = {0};
    struct ref512 r;

    for (int i = 0; i < 4; i++) {
        x[2 * i] = (uint32_t)a.w[i];
        x[2 * i + 1] = (uint32_t)(a.w[i] >> 32);
        y[2 * i] = (uint32_t)b.w[i];
        y[2 * i + 1] = (uint32_t)(b.w[i] >> 32);
    }
    for (int i = 0; i < 8; i++) {
        uint64_t carry = 0;

        for (int j = 0; j < 8; j++) {
            uint64_t t = (uint64_t)x[i] * y[j] + acc[i + j] + carry;

            acc[i + j] = t & 0xffffffffu;
            carry = t >> 32;
        }
        acc[i + 8] += carry;
    }
    for (int i = 0; i < 8; i++)
        r.w[i] = acc[2 * i] | (acc[2 * i + 1] << 32);
    return r;
}

static int
ref_cmp(const struct ref512 *a, const struct ref512 *b)
{
    for (int i = 7; i >= 0; i--) {
        if (a->w[i] != b->w[i])
            return a->w[i] < b->w[i] ? -1 : 1;
    }
    return 0;
}

static void
ref_add(struct ref512 *a, const struct ref512 *b)
{
    uint64_t c = 0;

    for (int i = 0; i < 8; i++) {
        uint64_t t = a->w[i] + b->w[i];
        uint64_t c1 = t < a->w[i];

        a->w[i] = t + c;
        c = c1 | (a->w[i] < t);
    }
}

static void
ref_sub(struct ref512 *a, const struct ref512 *b)
{
    uint64_t br = 0;

    for (int i = 0; i < 8; i++) {
        uint64_t t = a->w[i] - b->w[i];
        uint64_t b1 = a->w[i] < b->w[i];

        a->w[i] = t - br;
        br = b1 | (t < br);
    }
}

/* Shift-and-subtract: q = n / d, r = n % d, d != 0. */
static void
ref_divmod(struct ref512 *q, struct ref512 *r, const struct ref512 *n,
           const struct ref512 *d)
{
    memset(q, 0, sizeof(*q));
    memset(r, 0, sizeof(*r));
    for (int bit = 511; bit >= 0; bit--) {
        for (int i = 7; i > 0; i--)
            r->w[i] = (r->w[i] << 1) | (r->w[i - 1] >> 63);
        r->w[0] = (r->w[0] << 1) | ((n->w[bit / 64] >> (bit % 64)) & 1);
        if (ref_cmp(r, d) >= 0) {
            ref_sub(r, d);
            q->w[bit / 64] |= 1ULL << (bit % 64);
        }
    }
}

static bool
ref_fits(const struct ref512 *a)
{
    return (a->w[4] | a->w[5] | a->w[6] | a->w[7]) == 0;
}

static struct u256
ref_low(const struct ref512 *a)
{
    struct u256 r;

    memcpy(r.w, a->w, sizeof(r.w));
    return r;
}

/* A random value of a random width, often near a limb boundary or 2^256. */
static struct u256
rand_u256(uint64_t *st)
{
    struct u256 a = u256_zero();
    unsigned kind = (unsigned)test_rand_range(st, 0, 9);
    unsigned bits = (unsigned)test_rand_range(st, 1, 256);

    if (kind == 0) {
        /* 2^256 - small */
        a = u256_max();
        a.w[0] -= test_rand_range(st, 0, 1000);
        return a;
    }
    if (kind == 1) {
        /* 2^(64k) - small or 2^(64k) + small */
        unsigned k = (unsigned)test_rand_range(st, 1, 3);

        if (test_rand(st) & 1) {
            for (unsigned i = 0; i < k; i++)
                a.w[i] = UINT64_MAX;
            a.w[0] -= test_rand_range(st, 0, 100);
        } else {
            a.w[k] = 1;
            a.w[0] = test_rand_range(st, 0, 100);
        }
        return a;
    }
    for (unsigned i = 0; i < 4; i++)
        a.w[i] = test_rand(st);
    for (unsigned i = 0; i < 4; i++) {
        unsigned lo = i * 64;

        if (bits <= lo)
            a.w[i] = 0;
        else if (bits < lo + 64)
            a.w[i] &= (1ULL << (bits - lo)) - 1;
    }
    return a;
}

/* u256_muldiv128 where all three fit 128 bits: the reference's quotient
 * q (already rounded) when it fits 128 bits, false and *r untouched when
 * it does not. */
static void
check_muldiv128(struct u256 a, struct u256 b, struct u256 d,
                const struct ref512 *q, enum u256_round mode)
{
    u128 a1, b1, d1, got = 12345;
    bool fits = (q->w[2] | q->w[3]) == 0 && ref_fits(q);

    if (!u256_to_u128(a, &a1) || !u256_to_u128(b, &b1) || !u256_to_u128(d, &d1))
        return;
    bool ok = u256_muldiv128(&got, a1, b1, d1, mode);
    ck_assert_msg(ok == fits, "muldiv128 %s*%s/%s mode %d: %d, want %d",
                  test_u256_str(a), test_u256_str(b), test_u256_str(d),
                  (int)mode, ok, fits);
    if (ok)
        TEST_U256_EQ(u256_from_u128(got), ref_low(q));
    else
        ck_assert(got == 12345);
}

/* muldiv in every mode against the reference: floor, ceil = floor +
 * (r != 0), half-up = floor((a*b + d/2) / d) on the exact 512-bit sum,
 * overflow exactly when the quotient needs more than 256 bits. */
static void
check_muldiv(struct u256 a, struct u256 b, struct u256 d)
{
    struct ref512 p = ref_mul(a, b), rd = ref_from(d), q, r, ph, qh, rh;
    struct ref512 half = rd, one;
    struct u256 got = u256_from_u64(12345), want;
    int rc;

    memset(&one, 0, sizeof(one));
    one.w[0] = 1;
    ref_divmod(&q, &r, &p, &rd);
    check_muldiv128(a, b, d, &q, U256_FLOOR);
    rc = u256_muldiv(&got, a, b, d, U256_FLOOR);
    if (!ref_fits(&q)) {
        ck_assert_msg(rc == LIQ_EOVERFLOW, "floor %s*%s/%s: rc %d",
                      test_u256_str(a), test_u256_str(b), test_u256_str(d), rc);
        TEST_U256_EQ(got, u256_from_u64(12345));
    } else {
        ck_assert_int_eq(rc, 0);
        want = ref_low(&q);
        TEST_U256_EQ(got, want);
    }

    /* ceil */
    if (r.w[0] | r.w[1] | r.w[2] | r.w[3])
        ref_add(&q, &one);
    check_muldiv128(a, b, d, &q, U256_CEIL);
    rc = u256_muldiv(&got, a, b, d, U256_CEIL);
    if (!ref_fits(&q)) {
        ck_assert_int_eq(rc, LIQ_EOVERFLOW);
    } else {
        ck_assert_int_eq(rc, 0);
        want = ref_low(&q);
        TEST_U256_EQ(got, want);
    }

    /* half-up */
    for (int i = 0; i < 8; i++)
        half.w[i] = (rd.w[i] >> 1) | (i < 7 ? rd.w[i + 1] << 63 : 0);
    ph = p;
    ref_add(&ph, &half); /* never past 2^512: p < 2^512 - 2^257 */
    ref_divmod(&qh, &rh, &ph, &rd);
    check_muldiv128(a, b, d, &qh, U256_HALF_UP);
    rc = u256_muldiv(&got, a, b, d, U256_HALF_UP);
    if (!ref_fits(&qh)) {
        ck_assert_int_eq(rc, LIQ_EOVERFLOW);
    } else {
        ck_assert_msg(rc == 0, "half-up %s*%s/%s: rc %d", test_u256_str(a),
                      test_u256_str(b), test_u256_str(d), rc);
        want = ref_low(&qh);
        TEST_U256_EQ(got, want);
    }
}

START_TEST(prop_muldiv_reference)
{
    uint64_t st = test_seed();

    for (int i = 0; i < 20000; i++) {
        struct u256 a = rand_u256(&st), b = rand_u256(&st);
        struct u256 d = rand_u256(&st);

        if (u256_is_zero(d))
            d = u256_from_u64(1);
        if (test_rand_range(&st, 0, 3) == 0) {
            /* the native path: a*b within 128 bits, d within 64 */
            a.w[2] = a.w[3] = b.w[1] = b.w[2] = b.w[3] = 0;
            if (u256_bits(a) + u256_bits(b) > 128)
                a.w[1] = 0;
            d.w[1] = d.w[2] = d.w[3] = 0;
            if (d.w[0] == 0)
                d.w[0] = test_rand(&st) | 1;
        }
        check_muldiv(a, b, d);
    }
}
END_TEST

/* Operands within 128 bits, often near limb edges, so that every branch of
 * u256_muldiv128 (one-limb and two-limb divisors, the estimate's
 * corrections, results just past 128 bits) meets the reference. */
START_TEST(prop_muldiv128_reference)
{
    uint64_t st = test_seed();

    for (int i = 0; i < 40000; i++) {
        struct u256 v[3];

        for (int k = 0; k < 3; k++) {
            v[k] = rand_u256(&st);
            v[k].w[2] = v[k].w[3] = 0;
            if (test_rand_range(&st, 0, 4) == 0)
                v[k].w[1] = test_rand_range(&st, 0, 1) ? UINT64_MAX : 1;
        }
        if (u256_is_zero(v[2]))
            v[2] = u256_from_u64(1);
        check_muldiv(v[0], v[1], v[2]);
    }
    u128 r = 7;
    ck_assert(!u256_muldiv128(&r, 5, 6, 0, U256_FLOOR));
    ck_assert(r == 7);
}
END_TEST

/* u256_muldiv128_pow10 against the reference and u256_muldiv128: operands
 * of every width, powers from 10^0 to past 10^38, and products either side
 * of 2^128 10^n, where the quotient leaves 128 bits. */
START_TEST(prop_muldiv128_pow10_reference)
{
    uint64_t st = test_seed();

    for (int i = 0; i < 20000; i++) {
        unsigned n = (unsigned)test_rand_range(&st, 0, 40);
        struct u256 a = rand_u256(&st), b = rand_u256(&st);
        u128 a1, b1, pw = u256_pow10_128(n), got = 12345, want = 54321;

        a.w[2] = a.w[3] = b.w[2] = b.w[3] = 0;
        if (i % 4 == 0 && n <= 38) {
            u128 j = test_rand_range(&st, 0, 3);
            a = u256_from_u128(~(u128)0 - test_rand_range(&st, 0, 3));
            b = u256_from_u128(test_rand(&st) & 1 ? pw + j
                                                  : pw - (j < pw ? j : 0));
        }
        (void)u256_to_u128(a, &a1);
        (void)u256_to_u128(b, &b1);
        bool ok = u256_muldiv128_pow10(&got, a1, b1, n);
        if (n > 38) {
            ck_assert(!ok && got == 12345);
            continue;
        }
        struct ref512 p = ref_mul(a, b), d = ref_from(u256_from_u128(pw)), q, r;
        ref_divmod(&q, &r, &p, &d);
        bool fits = (q.w[2] | q.w[3]) == 0 && ref_fits(&q);
        ck_assert_msg(ok == fits, "muldiv128_pow10 %s*%s/10^%u: %d, want %d",
                      test_u256_str(a), test_u256_str(b), n, ok, fits);
        if (ok)
            TEST_U256_EQ(u256_from_u128(got), ref_low(&q));
        else
            ck_assert(got == 12345);
        ck_assert(u256_muldiv128(&want, a1, b1, pw, U256_FLOOR) == ok);
        ck_assert(!ok || want == got);
    }
}
END_TEST

/* Division by zero is reported in every mode, result untouched. */
START_TEST(prop_divzero)
{
    uint64_t st = test_seed();

    for (int i = 0; i < 200; i++) {
        struct u256 a = rand_u256(&st), b = rand_u256(&st);
        struct u256 r = u256_from_u64(9), q = u256_from_u64(9);

        ck_assert_int_eq(u256_muldiv(&r, a, b, u256_zero(), U256_HALF_UP),
                         LIQ_EDIVZERO);
        ck_assert_int_eq(u256_divmod(&q, &r, a, u256_zero()), LIQ_EDIVZERO);
        TEST_U256_EQ(r, u256_from_u64(9));
        TEST_U256_EQ(q, u256_from_u64(9));
    }
}
END_TEST

/* divmod against the reference, q*d + r == a with r < d, and the
 * rounding modes of u256_div agreeing with muldiv(a, 1, d). */
START_TEST(prop_divmod_reference)
{
    uint64_t st = test_seed();

    for (int i = 0; i < 10000; i++) {
        struct u256 a = rand_u256(&st), d = rand_u256(&st);
        struct u256 q, r, back, m;
        struct ref512 ra = ref_from(a), rd, rq, rr;

        if (u256_is_zero(d))
            d = u256_from_u64(7);
        rd = ref_from(d);
        ref_divmod(&rq, &rr, &ra, &rd);
        ck_assert_int_eq(u256_divmod(&q, &r, a, d), 0);
        TEST_U256_EQ(q, ref_low(&rq));
        TEST_U256_EQ(r, ref_low(&rr));
        ck_assert(u256_lt(r, d));
        ck_assert_int_eq(u256_mul(&back, q, d), 0);
        ck_assert_int_eq(u256_add(&back, back, r), 0);
        TEST_U256_EQ(back, a);
        for (int mode = U256_FLOOR; mode <= U256_HALF_UP; mode++) {
            ck_assert_int_eq(u256_div(&q, a, d, (enum u256_round)mode), 0);
            ck_assert_int_eq(
                u256_muldiv(&m, a, u256_from_u64(1), d, (enum u256_round)mode),
                0);
            TEST_U256_EQ(q, m);
        }
    }
}
END_TEST

/* add, sub and mul: exact when the reference result fits, an error (and
 * the result untouched) when it does not; never a wrapped value. */
START_TEST(prop_add_sub_mul)
{
    uint64_t st = test_seed();

    for (int i = 0; i < 20000; i++) {
        struct u256 a = rand_u256(&st), b = rand_u256(&st);
        struct u256 got = u256_from_u64(5), back;
        struct ref512 ra = ref_from(a), rb = ref_from(b), rp;
        int rc;

        rp = ra;
        ref_add(&rp, &rb);
        rc = u256_add(&got, a, b);
        if (ref_fits(&rp)) {
            ck_assert_int_eq(rc, 0);
            TEST_U256_EQ(got, ref_low(&rp));
            ck_assert_int_eq(u256_sub(&back, got, b), 0);
            TEST_U256_EQ(back, a);
        } else {
            ck_assert_int_eq(rc, LIQ_EOVERFLOW);
            TEST_U256_EQ(got, u256_from_u64(5));
        }

        got = u256_from_u64(5);
        rc = u256_sub(&got, a, b);
        if (u256_lt(a, b)) {
            ck_assert_int_eq(rc, LIQ_ERANGE);
            TEST_U256_EQ(got, u256_from_u64(5));
        } else {
            rp = ra;
            ref_sub(&rp, &rb);
            ck_assert_int_eq(rc, 0);
            TEST_U256_EQ(got, ref_low(&rp));
        }
        ck_assert_int_eq(u256_cmp(a, b), ref_cmp(&ra, &rb));

        got = u256_from_u64(5);
        rp = ref_mul(a, b);
        rc = u256_mul(&got, a, b);
        if (ref_fits(&rp)) {
            ck_assert_int_eq(rc, 0);
            TEST_U256_EQ(got, ref_low(&rp));
        } else {
            ck_assert_int_eq(rc, LIQ_EOVERFLOW);
            TEST_U256_EQ(got, u256_from_u64(5));
        }
    }
}
END_TEST

/* u256_bits agrees with a bit scan; pow10 with repeated multiplication. */
START_TEST(prop_bits_pow10)
{
    uint64_t st = test_seed();
    struct u256 p = u256_from_u64(1), got;

    for (unsigned n = 0; n <= 77; n++) {
        ck_assert_int_eq(u256_pow10(&got, n), 0);
        TEST_U256_EQ(got, p);
        if (n < 77)
            ck_assert_int_eq(u256_mul(&p, p, u256_from_u64(10)), 0);
    }
    ck_assert_int_eq(u256_mul(&p, p, u256_from_u64(10)), LIQ_EOVERFLOW);
    for (int i = 0; i < 5000; i++) {
        struct u256 a = rand_u256(&st);
        unsigned want = 0;

        for (unsigned bit = 0; bit < 256; bit++) {
            if ((a.w[bit / 64] >> (bit % 64)) & 1)
                want = bit + 1;
        }
        ck_assert_uint_eq(u256_bits(a), want);
        ck_assert(u256_fits_u64(a) == (want <= 64));
    }
}
END_TEST

static Suite *
prop_u256_suite(void)
{
    Suite *s = suite_create("prop_u256");
    TCase *tc = tcase_create("reference");

    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, prop_muldiv_reference);
    tcase_add_test(tc, prop_muldiv128_reference);
    tcase_add_test(tc, prop_muldiv128_pow10_reference);
    tcase_add_test(tc, prop_divzero);
    tcase_add_test(tc, prop_divmod_reference);
    tcase_add_test(tc, prop_add_sub_mul);
    tcase_add_test(tc, prop_bits_pow10);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    return test_run(prop_u256_suite());
}
