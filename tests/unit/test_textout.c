/*
 * test_textout.c: JSON string escaping, CSV quoting, UTF-8 checks and the
 * terminal-safe copy, byte for byte.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/textout.h"
#include "tests/common/testutil.h"

typedef void (*writer_fn)(FILE *, const char *);

static char *
written(writer_fn fn, const char *s)
{
    FILE *f = tmpfile();
    long n;
    char *buf;

    ck_assert_ptr_nonnull(f);
    fn(f, s);
    n = ftell(f);
    rewind(f);
    buf = calloc(1, (size_t)n + 1);
    ck_assert_ptr_nonnull(buf);
    ck_assert_uint_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    return buf;
}

static const struct {
    const char *in, *json, *csv;
} cases[] = {
    {"alice", "\"alice\"", "alice"},
    {"", "\"\"", ""},
    {"a\"b", "\"a\\\"b\"", "\"a\"\"b\""},
    {"a\\b", "\"a\\\\b\"", "a\\b"},
    {"x,y", "\"x,y\"", "\"x,y\""},
    {"l1\nl2\r\t", "\"l1\\nl2\\r\\t\"", "\"l1\nl2\r\t\""},
    {"\x01\x1f\x7f", "\"\\u0001\\u001f\\u007f\"", "\x01\x1f\x7f"},
    {"caf\xc3\xa9 \xe2\x82\xae", "\"caf\xc3\xa9 \xe2\x82\xae\"",
     "caf\xc3\xa9 \xe2\x82\xae"},
    /* a cell a spreadsheet would run as a formula gets a leading ' */
    {"=1+2", "\"=1+2\"", "'=1+2"},
    {"+1", "\"+1\"", "'+1"},
    {"-2", "\"-2\"", "'-2"},
    {"@SUM(A1)", "\"@SUM(A1)\"", "'@SUM(A1)"},
    {"\tx", "\"\\tx\"", "'\tx"},
    {"=HYPERLINK(\"u\",\"x\")", "\"=HYPERLINK(\\\"u\\\",\\\"x\\\")\"",
     "\"'=HYPERLINK(\"\"u\"\",\"\"x\"\")\""},
    {"a=b", "\"a=b\"", "a=b"},
};

START_TEST(test_json_and_csv)
{
    char *j = written(textout_json_str, cases[_i].in);
    char *c = written(textout_csv_field, cases[_i].in);

    ck_assert_str_eq(j, cases[_i].json);
    ck_assert_str_eq(c, cases[_i].csv);
    free(j);
    free(c);
}
END_TEST

START_TEST(test_utf8)
{
    ck_assert(textout_utf8_valid("caf\xc3\xa9", 5));
    ck_assert(textout_utf8_valid("\xf0\x9f\x98\x80", 4));
    ck_assert(!textout_utf8_valid("\xc3", 1));             /* cut short */
    ck_assert(!textout_utf8_valid("\xc0\xaf", 2));         /* overlong */
    ck_assert(!textout_utf8_valid("\xed\xa0\x80", 3));     /* surrogate */
    ck_assert(!textout_utf8_valid("\xf4\x90\x80\x80", 4)); /* > U+10FFFF */
    ck_assert(!textout_utf8_valid("\xff", 1));
    ck_assert(textout_has_control("a\tb", 3));
    ck_assert(!textout_has_control("a b", 3));
}
END_TEST

START_TEST(test_safe_copy)
{
    char buf[32];

    textout_safe(buf, sizeof buf, "a\x1b[31mb", 7, 40);
    ck_assert_str_eq(buf, "a?[31mb");
    textout_safe(buf, sizeof buf, "abcdefgh", 8, 4);
    ck_assert_str_eq(buf, "abcd...");
    textout_safe(buf, sizeof buf, "\xc3\xa9\xc3\xa9\xc3\xa9", 6, 2);
    ck_assert_str_eq(buf, "\xc3\xa9\xc3\xa9...");
    textout_safe(buf, 8, "abcdefghijkl", 12, 40); /* the buffer limits */
    ck_assert_str_eq(buf, "abcd...");
    textout_safe(buf, sizeof buf,
                 "\xff"
                 "x",
                 2, 40);
    ck_assert_str_eq(buf, "?x");
    ck_assert_uint_eq(textout_width("\xc3\xa9t\xc3\xa9"), 3);
}
END_TEST

/* By code point: C1, bidi and format characters become '?'; widths are
 * wcwidth's (wide 2, combining 0); a cut never splits a character or
 * separates a mark from its base. */
START_TEST(test_safe_code_points)
{
    char buf[64];

    textout_safe(buf, sizeof buf,
                 "a\xc2\x9b"
                 "31mb",
                 7, 40); /* U+009B */
    ck_assert_str_eq(buf, "a?31mb");
    textout_safe(buf, sizeof buf, "x\xe2\x80\xaey", 5, 40); /* U+202E */
    ck_assert_str_eq(buf, "x?y");
    textout_safe(buf, sizeof buf, "x\xe2\x81\xa9y", 5, 40); /* U+2069 */
    ck_assert_str_eq(buf, "x?y");
    textout_safe(buf, sizeof buf, "x\xef\xbb\xbfy", 5, 40); /* BOM */
    ck_assert_str_eq(buf, "x?y");
    textout_safe(buf, sizeof buf, "x\xe2\x80\xa8y", 5, 40); /* U+2028 */
    ck_assert_str_eq(buf, "x?y");
    ck_assert(textout_has_control("W\xe2\x81\xa6"
                                  "ETH",
                                  6));
    ck_assert(textout_has_control("a\xc2\x85", 3)); /* NEL */
    ck_assert(!textout_has_control("Zo\xc3\xab \xe6\xa0\xaa", 8));
    /* 株式 is 4 cells; e + U+0301 is 1 */
    ck_assert_uint_eq(textout_width("\xe6\xa0\xaa\xe5\xbc\x8f"), 4);
    ck_assert_uint_eq(textout_width("e\xcc\x81"), 1);
    ck_assert_uint_eq(textout_width("\xf0\x9f\x98\x80"), 2);
    /* 3 cells allow one wide character, not half of the second */
    textout_safe(buf, sizeof buf, "\xe6\xa0\xaa\xe5\xbc\x8f", 6, 3);
    ck_assert_str_eq(buf, "\xe6\xa0\xaa...");
    /* the mark stays with its base */
    textout_safe(buf, sizeof buf,
                 "ae\xcc\x81"
                 "b",
                 5, 2);
    ck_assert_str_eq(buf, "ae\xcc\x81...");
}
END_TEST

static Suite *
textout_suite(void)
{
    Suite *s = suite_create("textout");
    TCase *tc = tcase_create("text");

    tcase_add_loop_test(tc, test_json_and_csv, 0,
                        (int)(sizeof cases / sizeof cases[0]));
    tcase_add_test(tc, test_utf8);
    tcase_add_test(tc, test_safe_copy);
    tcase_add_test(tc, test_safe_code_points);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    return test_run(textout_suite());
}
