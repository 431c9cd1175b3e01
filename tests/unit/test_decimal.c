/*
 * test_decimal.c: decimal text to raw units and back (design.md section 2).
 */
#include <check.h>
#include <string.h>

#include "core/decimal.h"
#include "core/liq.h"
#include "tests/common/testutil.h"

struct parse_case {
    const char *text;
    unsigned decimals;
    enum decimal_mode mode;
    int rc;
    const char *want;
};

static const struct parse_case parse_cases[] = {
    {"10.5", 18, DECIMAL_EXACT, 0, "10500000000000000000"},
    {"17000", 6, DECIMAL_EXACT, 0, "17000000000"},
    {"0.825", 4, DECIMAL_EXACT, 0, "8250"},
    {"0.05", 4, DECIMAL_EXACT, 0, "500"},
    {".5", 1, DECIMAL_EXACT, 0, "5"},
    {"5.", 0, DECIMAL_EXACT, 0, "5"},
    {"+7", 0, DECIMAL_EXACT, 0, "7"},
    {"1e3", 0, DECIMAL_EXACT, 0, "1000"},
    {"2.5E-3", 4, DECIMAL_EXACT, 0, "25"},
    {"1999.52", 8, DECIMAL_EXACT, 0, "199952000000"},
    {"0.000000000", 0, DECIMAL_EXACT, 0, "0"},
    {"0", 36, DECIMAL_EXACT, 0, "0"},
    {"1", 36, DECIMAL_EXACT, 0, "1000000000000000000000000000000000000"},
    {"0.82501", 4, DECIMAL_EXACT, LIQ_EPRECISION, NULL},
    {"1.123456789", 8, DECIMAL_TRUNCATE, 0, "112345678"},
    {"1.5", 0, DECIMAL_EXACT, LIQ_EPRECISION, NULL},
    {"1.50", 1, DECIMAL_EXACT, 0, "15"},
    {"-1", 18, DECIMAL_EXACT, LIQ_ERANGE, NULL},
    {"-", 18, DECIMAL_EXACT, LIQ_EPARSE, NULL},
    {"", 0, DECIMAL_EXACT, LIQ_EPARSE, NULL},
    {"NaN", 8, DECIMAL_EXACT, LIQ_EPARSE, NULL},
    {"inf", 8, DECIMAL_EXACT, LIQ_EPARSE, NULL},
    {"0x10", 0, DECIMAL_EXACT, LIQ_EPARSE, NULL},
    {" 1", 0, DECIMAL_EXACT, LIQ_EPARSE, NULL},
    {"1 ", 0, DECIMAL_EXACT, LIQ_EPARSE, NULL},
    {"1.2.3", 4, DECIMAL_EXACT, LIQ_EPARSE, NULL},
    {"1e", 0, DECIMAL_EXACT, LIQ_EPARSE, NULL},
    {"abc", 0, DECIMAL_EXACT, LIQ_EPARSE, NULL},
    {"1e400", 8, DECIMAL_TRUNCATE, LIQ_EOVERFLOW, NULL},
    {"1e999999999999999", 8, DECIMAL_TRUNCATE, LIQ_EOVERFLOW, NULL},
    {"1e-999999999999999", 8, DECIMAL_TRUNCATE, 0, "0"},
    {"1e-999999999999999", 8, DECIMAL_EXACT, LIQ_EPRECISION, NULL},
    {"0e999999999", 8, DECIMAL_EXACT, 0, "0"},
    {"115792089237316195423570985008687907853269984665640564039457584007913"
     "129639935",
     0, DECIMAL_EXACT, 0,
     "115792089237316195423570985008687907853269984665640564039457584007913"
     "129639935"},
    {"115792089237316195423570985008687907853269984665640564039457584007913"
     "129639936",
     0, DECIMAL_EXACT, LIQ_EOVERFLOW, NULL},
    {"115792089237316195423570985008687907853269984665640564039457584007913"
     "12963993.5",
     1, DECIMAL_EXACT, 0,
     "115792089237316195423570985008687907853269984665640564039457584007913"
     "129639935"},
};

START_TEST(test_parse)
{
    const struct parse_case *c = &parse_cases[_i];
    struct u256 v = u256_from_u64(99);
    int rc = decimal_parse(&v, c->text, strlen(c->text), c->decimals, c->mode);

    ck_assert_msg(rc == c->rc, "'%s': rc %d, want %d", c->text, rc, c->rc);
    if (c->want != NULL)
        TEST_U256_EQ(v, test_u256(c->want));
    else
        TEST_U256_EQ(v, u256_from_u64(99));
}
END_TEST

struct format_case {
    const char *raw;
    unsigned decimals;
    const char *want;
};

static const struct format_case format_cases[] = {
    {"4462500000000000000", 18, "4.4625"},
    {"8500000000", 6, "8500"},
    {"970588235294117647", 18, "0.970588235294117647"},
    {"0", 18, "0"},
    {"1", 18, "0.000000000000000001"},
    {"10", 1, "1"},
    {"123", 0, "123"},
    {"1000000000000000000000000000000000000", 36, "1"},
    {"115792089237316195423570985008687907853269984665640564039457584007913"
     "129639935",
     77,
     "1.15792089237316195423570985008687907853269984665640564039457584007913"
     "129639935"},
};

START_TEST(test_format)
{
    const struct format_case *c = &format_cases[_i];
    char buf[DECIMAL_BUF];
    size_t n = decimal_format(buf, sizeof(buf), test_u256(c->raw), c->decimals);

    ck_assert_str_eq(buf, c->want);
    ck_assert_uint_eq(n, strlen(c->want));
}
END_TEST

START_TEST(test_format_truncated_buffer)
{
    char buf[4];
    size_t n =
        decimal_format(buf, sizeof(buf), test_u256("4462500000000000000"), 18);

    ck_assert_uint_eq(n, 6);
    ck_assert_str_eq(buf, "4.4");
}
END_TEST

/* parse(format(x)) == x for random x and decimals. */
START_TEST(test_round_trip)
{
    uint64_t st = test_seed();

    for (int i = 0; i < 20000; i++) {
        struct u256 x = u256_zero(), back;
        unsigned dec = (unsigned)test_rand_range(&st, 0, 77);
        unsigned limbs = (unsigned)test_rand_range(&st, 1, 4);
        char buf[DECIMAL_BUF];

        for (unsigned k = 0; k < limbs; k++)
            x.w[k] = test_rand(&st) >> test_rand_range(&st, 0, 63);
        decimal_format(buf, sizeof(buf), x, dec);
        ck_assert_int_eq(
            decimal_parse(&back, buf, strlen(buf), dec, DECIMAL_EXACT), 0);
        TEST_U256_EQ(back, x);
        decimal_format_int(buf, sizeof(buf), x);
        ck_assert_int_eq(
            decimal_parse(&back, buf, strlen(buf), 0, DECIMAL_EXACT), 0);
        TEST_U256_EQ(back, x);
    }
}
END_TEST

static Suite *
decimal_suite(void)
{
    Suite *s = suite_create("decimal");
    TCase *tc = tcase_create("core");

    tcase_add_loop_test(tc, test_parse, 0,
                        (int)(sizeof(parse_cases) / sizeof(parse_cases[0])));
    tcase_add_loop_test(tc, test_format, 0,
                        (int)(sizeof(format_cases) / sizeof(format_cases[0])));
    tcase_add_test(tc, test_format_truncated_buffer);
    tcase_add_test(tc, test_round_trip);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    return test_run(decimal_suite());
}
