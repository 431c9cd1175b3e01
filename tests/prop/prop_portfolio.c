/*
 * prop_portfolio.c: the loader on damaged portfolios: the demo book with
 * bytes flipped, inserted, deleted or cut short, and JSON Lines with the
 * same damage. Every load either succeeds or fails with a negative code
 * and one message naming where (file:line:col, or a path); never a crash
 * (sanitizer builds run it too). Seeded: LIQ_SEED repeats a run.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/demo.h"
#include "app/portfolio.h"
#include "core/liq.h"
#include "tests/common/testutil.h"

#define ROUNDS 1500

static const char junk[] = "{}[]\",:0123456789.-+eE \n\tabcxyz_\\\x01\xc3\xff";

/* Apply 1 to 4 random edits to text (len bytes) into a new buffer. */
static char *
damage(uint64_t *rng, const char *text, size_t len, size_t *outlen)
{
    size_t cap = len + 16, n = len;
    char *buf = malloc(cap);
    int edits = (int)test_rand_range(rng, 1, 4), e;

    ck_assert_ptr_nonnull(buf);
    memcpy(buf, text, len);
    for (e = 0; e < edits && n > 0; e++) {
        size_t at = (size_t)test_rand_range(rng, 0, n - 1);
        char c = junk[test_rand_range(rng, 0, sizeof junk - 2)];

        switch (test_rand_range(rng, 0, 3)) {
        case 0: /* flip */
            buf[at] = c;
            break;
        case 1: /* insert */
            if (n + 1 < cap) {
                memmove(buf + at + 1, buf + at, n - at);
                buf[at] = c;
                n++;
            }
            break;
        case 2: /* delete */
            memmove(buf + at, buf + at + 1, n - at - 1);
            n--;
            break;
        default: /* cut short */
            n = at;
            break;
        }
    }
    *outlen = n;
    return buf;
}

/* The message names where: "demo:L:C: ..." or "demo: ...". */
static void
check_message(int rc, const char *err)
{
    ck_assert_int_lt(rc, 0);
    ck_assert_msg(strncmp(err, "demo:", 5) == 0, "message '%s'", err);
    ck_assert_msg(strlen(err) > 7, "message '%s'", err);
}

START_TEST(prop_damaged_portfolio)
{
    uint64_t rng = test_seed();
    const char *text = demo_json();
    size_t len = strlen(text);
    int round, ok = 0, bad = 0;

    for (round = 0; round < ROUNDS; round++) {
        size_t n;
        char *d = damage(&rng, text, len, &n);
        struct book *b = book_new();
        char err[512];
        int rc;

        err[0] = '\0';
        rc = portfolio_load_text(b, "demo", d, n, NULL, err, sizeof err);
        if (rc == 0) {
            rc = portfolio_check_prices(b, err, sizeof err);
            if (rc == 0)
                rc = portfolio_check_accounts(b, err, sizeof err);
            if (rc == 0) {
                ok++;
            } else {
                ck_assert_int_lt(rc, 0);
                ck_assert_msg(strncmp(err, "position ", 9) == 0, "'%s'", err);
                bad++;
            }
        } else {
            check_message(rc, err);
            bad++;
        }
        book_free(b);
        free(d);
    }
    /* Both outcomes happen: the damage is neither always fatal nor
     * always harmless. */
    ck_assert_int_gt(ok, 0);
    ck_assert_int_gt(bad, ok / 10);
}
END_TEST

START_TEST(prop_damaged_lines)
{
    static const char line[] =
        "{\"id\": \"p\", \"market\": \"aave-core\", \"label\": \"x\", "
        "\"collateral\": {\"WETH\": \"10\"}, \"debt\": {\"USDC\": "
        "\"17000.5\"}}\n";
    uint64_t rng = test_seed() ^ 0x9e3779b97f4a7c15ULL;
    char path[] = "/tmp/liqtop-prop-XXXXXX";
    int round, fd = mkstemp(path);

    ck_assert_int_ge(fd, 0);
    close(fd);
    for (round = 0; round < ROUNDS / 3; round++) {
        FILE *f = fopen(path, "w");
        struct book *b = book_new();
        char err[512], want[64];
        size_t n;
        char *d = damage(&rng, line, sizeof line - 1, &n);
        int rc;

        ck_assert_ptr_nonnull(f);
        fputs(line, f);
        fwrite(d, 1, n, f);
        fputs("\n", f);
        fclose(f);
        err[0] = '\0';
        rc = portfolio_load_text(b, "demo", demo_json(), strlen(demo_json()),
                                 path, err, sizeof err);
        if (rc != 0) {
            /* Line 1 is good: the fault is on line 2 (or 3 when the
             * damage split the line). */
            snprintf(want, sizeof want, "%s:", path);
            ck_assert_int_lt(rc, 0);
            ck_assert_msg(
                strncmp(err, want, strlen(want)) == 0 &&
                    (err[strlen(want)] == '2' || err[strlen(want)] == '3'),
                "message '%s'", err);
        }
        book_free(b);
        free(d);
    }
    remove(path);
}
END_TEST

static Suite *
prop_suite(void)
{
    Suite *s = suite_create("portfolio damage");
    TCase *tc = tcase_create("damage");

    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, prop_damaged_portfolio);
    tcase_add_test(tc, prop_damaged_lines);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    return test_run(prop_suite());
}
