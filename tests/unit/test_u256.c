/*
 * test_u256.c: exact 256-bit arithmetic against known values: Aave's
 * PercentageMath vectors, boundaries at 2^64, 2^128 and 2^256, and the
 * rounding modes.
 */
#include <check.h>
#include <stdlib.h>

#include "core/liq.h"
#include "core/u256.h"
#include "tests/common/testutil.h"

static const char *const MAX = "11579208923731619542357098500868790785326998466"
                               "5640564039457584007913129639935";

struct muldiv_case {
    const char *a, *b, *d;
    enum u256_round mode;
    const char *want; /* NULL: overflow */
};

/* Aave PercentageMath (liquidation-mechanics.md 2.9): percentMul(x, p) is
 * half-up x*p/1e4, percentDiv(x, p) is half-up x*1e4/p. */
static const struct muldiv_case muldiv_cases[] = {
    {"1000000000000000000", "5000", "10000", U256_HALF_UP,
     "500000000000000000"},
    {"14251500000000000000", "7442", "10000", U256_HALF_UP,
     "10605966300000000000"},
    {"9087312000000000000000000000000000", "1333", "10000", U256_HALF_UP,
     "1211338689600000000000000000000000"},
    {"1000000000000000000", "10000", "5000", U256_HALF_UP,
     "2000000000000000000"},
    {"14251500000000000000", "10000", "7442", U256_HALF_UP,
     "19150094060736361193"},
    {"9087312000000000000000000000000000", "10000", "1333", U256_HALF_UP,
     "68171882970742685671417854463615904"},
    {"1", "1", "10000", U256_CEIL, "1"},      /* percentMulCeil(1,1) */
    {"1", "1", "10000", U256_FLOOR, "0"},     /* percentMulFloor(1,1) */
    {"5", "10000", "3", U256_FLOOR, "16666"}, /* percentDivFloor(5,3) */
    {"5", "10000", "3", U256_CEIL, "16667"},  /* percentDivCeil(5,3) */
    /* Half-up at the exact half rounds up; just below, down. */
    {"5", "1", "10", U256_HALF_UP, "1"},
    {"4", "1", "10", U256_HALF_UP, "0"},
    {"15", "1", "10", U256_HALF_UP, "2"},
    /* 512-bit intermediates: (2^256-1)^2 / (2^256-1) */
    {MAX, MAX, MAX, U256_FLOOR, MAX},
    {MAX, "2", "2", U256_CEIL, MAX},
    {MAX, "2", "1", U256_FLOOR, NULL},
    {MAX, "3", "2", U256_FLOOR, NULL},
    /* Morpho seize: 1e60 collateral-scale product over a 1e36 price */
    {"1000000000000000000000000", "1000000000000000000000000000000000000",
     "3000000000000000000000000000000000000000", U256_FLOOR,
     "333333333333333333333"},
    {"1000000000000000000000000", "1000000000000000000000000000000000000",
     "3000000000000000000000000000000000000000", U256_CEIL,
     "333333333333333333334"},
    /* Divisor wider than 64 bits, product across 192 bits */
    {"340282366920938463463374607431768211457", "18446744073709551617",
     "18446744073709551617", U256_FLOOR,
     "340282366920938463463374607431768211457"},
};

START_TEST(test_muldiv)
{
    const struct muldiv_case *c = &muldiv_cases[_i];
    struct u256 r = u256_from_u64(7);
    int rc = u256_muldiv(&r, test_u256(c->a), test_u256(c->b), test_u256(c->d),
                         c->mode);

    if (c->want == NULL) {
        ck_assert_int_eq(rc, LIQ_EOVERFLOW);
        TEST_U256_EQ(r, u256_from_u64(7)); /* untouched on failure */
    } else {
        ck_assert_int_eq(rc, 0);
        TEST_U256_EQ(r, test_u256(c->want));
    }
}
END_TEST

START_TEST(test_add_sub_mul_errors)
{
    struct u256 r = u256_zero();

    ck_assert_int_eq(u256_add(&r, u256_max(), u256_from_u64(1)), LIQ_EOVERFLOW);
    ck_assert_int_eq(u256_sub(&r, u256_from_u64(1), u256_from_u64(2)),
                     LIQ_ERANGE);
    ck_assert_int_eq(u256_mul(&r, u256_max(), u256_from_u64(2)), LIQ_EOVERFLOW);
    ck_assert_int_eq(u256_div(&r, u256_max(), u256_zero(), U256_FLOOR),
                     LIQ_EDIVZERO);
    ck_assert_int_eq(
        u256_muldiv(&r, u256_max(), u256_max(), u256_zero(), U256_FLOOR),
        LIQ_EDIVZERO);
    /* carry across every limb */
    ck_assert_int_eq(
        u256_add(&r, test_u256("18446744073709551615"), u256_from_u64(1)), 0);
    TEST_U256_EQ(r, test_u256("18446744073709551616"));
    ck_assert_int_eq(u256_sub(&r, r, u256_from_u64(1)), 0);
    TEST_U256_EQ(r, test_u256("18446744073709551615"));
    ck_assert_int_eq(u256_mul(&r, test_u256("18446744073709551616"),
                              test_u256("18446744073709551616")),
                     0);
    TEST_U256_EQ(r, test_u256("340282366920938463463374607431768211456"));
    ck_assert_int_eq(u256_bits(r), 129);
    ck_assert_int_eq(u256_bits(u256_max()), 256);
    ck_assert_int_eq(u256_bits(u256_zero()), 0);
}
END_TEST

START_TEST(test_pow10)
{
    struct u256 r;

    ck_assert_int_eq(u256_pow10(&r, 0), 0);
    TEST_U256_EQ(r, u256_from_u64(1));
    ck_assert_int_eq(u256_pow10(&r, 36), 0);
    TEST_U256_EQ(r, test_u256("1000000000000000000000000000000000000"));
    ck_assert_int_eq(u256_pow10(&r, 77), 0);
    ck_assert_int_eq(u256_bits(r), 256);
    ck_assert_int_eq(u256_pow10(&r, 78), LIQ_EOVERFLOW);
}
END_TEST

START_TEST(test_divmod)
{
    struct u256 q, r;

    ck_assert_int_eq(
        u256_divmod(&q, &r, u256_max(), test_u256("1000000000000000000")), 0);
    TEST_U256_EQ(q, test_u256("115792089237316195423570985008687907853269"
                              "984665640564039457"));
    TEST_U256_EQ(r, test_u256("584007913129639935"));
    ck_assert_int_eq(u256_div(&q, test_u256("10"), test_u256("3"), U256_CEIL),
                     0);
    TEST_U256_EQ(q, u256_from_u64(4));
}
END_TEST

/* Random products checked by the identity q*d + r == a*b (rebuilt in
 * 256 bits when it fits). */
START_TEST(test_muldiv_identity)
{
    uint64_t st = test_seed();

    for (int i = 0; i < 20000; i++) {
        struct u256 a = u256_zero(), b = u256_zero(), d = u256_zero();
        struct u256 q, qc, back, rem, ab;
        unsigned wa = (unsigned)test_rand_range(&st, 1, 2);
        unsigned wd = (unsigned)test_rand_range(&st, 1, 4);

        for (unsigned k = 0; k < wa; k++) {
            a.w[k] = test_rand(&st) >> test_rand_range(&st, 0, 63);
            b.w[k] = test_rand(&st) >> test_rand_range(&st, 0, 63);
        }
        for (unsigned k = 0; k < wd; k++)
            d.w[k] = test_rand(&st) >> test_rand_range(&st, 0, 63);
        if (u256_is_zero(d))
            d = u256_from_u64(3);
        ck_assert_int_eq(u256_mul(&ab, a, b), 0);
        ck_assert_int_eq(u256_muldiv(&q, a, b, d, U256_FLOOR), 0);
        ck_assert_int_eq(u256_divmod(&back, &rem, ab, d), 0);
        TEST_U256_EQ(q, back);
        ck_assert(u256_lt(rem, d));
        ck_assert_int_eq(u256_muldiv(&qc, a, b, d, U256_CEIL), 0);
        if (u256_is_zero(rem))
            TEST_U256_EQ(qc, q);
        else {
            ck_assert_int_eq(u256_add(&back, q, u256_from_u64(1)), 0);
            TEST_U256_EQ(qc, back);
        }
        ck_assert_int_eq(u256_mul(&back, q, d), 0);
        ck_assert_int_eq(u256_add(&back, back, rem), 0);
        TEST_U256_EQ(back, ab);
    }
}
END_TEST

static Suite *
u256_suite(void)
{
    Suite *s = suite_create("u256");
    TCase *tc = tcase_create("core");

    tcase_add_loop_test(tc, test_muldiv, 0,
                        (int)(sizeof(muldiv_cases) / sizeof(muldiv_cases[0])));
    tcase_add_test(tc, test_add_sub_mul_errors);
    tcase_add_test(tc, test_pow10);
    tcase_add_test(tc, test_divmod);
    tcase_add_test(tc, test_muldiv_identity);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    return test_run(u256_suite());
}
