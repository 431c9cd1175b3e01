/*
 * test_fmt.c: the dashboard's number forms: counts grouped by thousands
 * and singular for one, prices with the places a depeg needs, one scale a
 * column, and the filter language parsed into terms.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "tests/common/testutil.h"
#include "tui/filter.h"
#include "tui/fmt.h"

START_TEST(test_counts)
{
    char buf[64];

    fmt_count(buf, sizeof buf, 0);
    ck_assert_str_eq(buf, "0");
    fmt_count(buf, sizeof buf, 999);
    ck_assert_str_eq(buf, "999");
    fmt_count(buf, sizeof buf, 1000);
    ck_assert_str_eq(buf, "1,000");
    fmt_count(buf, sizeof buf, 1000000);
    ck_assert_str_eq(buf, "1,000,000");
    fmt_count(buf, sizeof buf, 18446744073709551615ULL);
    ck_assert_str_eq(buf, "18,446,744,073,709,551,615");
    fmt_count_noun(buf, sizeof buf, 1, "position", "positions");
    ck_assert_str_eq(buf, "1 position");
    fmt_count_noun(buf, sizeof buf, 0, "position", "positions");
    ck_assert_str_eq(buf, "0 positions");
    fmt_count_noun(buf, sizeof buf, 1000000, "position", "positions");
    ck_assert_str_eq(buf, "1,000,000 positions");
}
END_TEST

START_TEST(test_prices)
{
    static const struct {
        const char *raw; /* 8 places */
        const char *want;
    } cases[] = {
        {"100000000", "1.00"},        {"99990000", "0.9999"},
        {"99999999", "0.99999999"},   {"99995000", "0.99995"},
        {"200012345678", "2,000.12"}, {"150000000", "1.50"},
        {"12345678", "0.12345678"},   {"99912345678", "999.12345678"},
    };

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char buf[64];

        fmt_price(buf, sizeof buf, test_u256(cases[i].raw), 8);
        ck_assert_str_eq(buf, cases[i].want);
    }
}
END_TEST

/* One scale a column: the largest row's step, every row at it. */
START_TEST(test_column_scale)
{
    char a[64], b[64];
    struct u256 big = test_u256("18464850000000000");  /* 184,648,500.00 */
    struct u256 small = test_u256("2328889700000000"); /* 23,288,897.00 */
    int sb = fmt_fit_step(big, 8, 2, 10), ss = fmt_fit_step(small, 8, 2, 10);
    int step = sb > ss ? sb : ss;

    fmt_at_step(a, sizeof a, big, 8, 2, step);
    fmt_at_step(b, sizeof b, small, 8, 2, step);
    ck_assert_str_eq(a, "184,648.5K");
    ck_assert_str_eq(b, "23,288.8K");
    fmt_fit(a, sizeof a, small, 8, 2, 10);
    ck_assert_str_eq(a, "23,288,897"); /* alone it fits unscaled */
}
END_TEST

START_TEST(test_filter_parse)
{
    struct book_filter f;
    char err[128];

    ck_assert_int_eq(
        filter_parse(&f,
                     "hf<1.1 tier:liq,danger market:Aave asset:WETH stale "
                     "Alice",
                     err, sizeof err),
        0);
    ck_assert(f.has_max && !f.max_incl);
    TEST_U256_EQ(f.max_wad, test_u256("1100000000000000000"));
    ck_assert_uint_eq(f.tiers, (1u << TIER_LIQUIDATABLE) | (1u << TIER_DANGER));
    ck_assert_int_eq(f.nmarkets, 1);
    ck_assert_str_eq(f.market[0], "aave");
    ck_assert_int_eq(f.nassets, 1);
    ck_assert_str_eq(f.asset[0], "weth");
    ck_assert(f.stale);
    ck_assert_int_eq(f.nwords, 1);
    ck_assert_str_eq(f.word[0], "alice");
    ck_assert_int_eq(filter_parse(&f, "tier:pre,liq", err, sizeof err), 0);
    ck_assert_uint_eq(f.tiers, (1u << TIER_PRE) | (1u << TIER_LIQUIDATABLE));
    ck_assert_int_eq(filter_parse(&f, "hf>=2", err, sizeof err), 0);
    ck_assert(f.has_min && f.min_incl && !f.has_max);
    /* still being typed: no term yet */
    ck_assert_int_eq(filter_parse(&f, "hf< tier:", err, sizeof err), 0);
    ck_assert(book_filter_is_empty(&f));
    ck_assert_int_eq(filter_parse(&f, "hf<x", err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "hf< takes a number"));
    ck_assert_int_eq(filter_parse(&f, "tier:bogus", err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "tiers are liq, pre, danger"));
}
END_TEST

static Suite *
fmt_suite(void)
{
    Suite *s = suite_create("fmt");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, test_counts);
    tcase_add_test(tc, test_prices);
    tcase_add_test(tc, test_column_scale);
    tcase_add_test(tc, test_filter_parse);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    return test_run(fmt_suite());
}
