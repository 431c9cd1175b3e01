/*
 * test_book_front.c: Liquity v2's debt in front (core/book_front.h) on
 * random books with a printed seed: two branches, troves at rates drawn
 * from a few values (so that many share one) and some without a rate;
 * every trove's answer equals the sum, over the other troves of its
 * branch at a strictly lower rate, of their debt, done the plain way; a
 * trove without a rate has none.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/portfolio.h"
#include "core/book.h"
#include "core/book_front.h"
#include "tests/common/testutil.h"

#define FRONT_TROVES 300

static const char front_markets[] =
    "{\"markets\": ["
    "{\"id\": \"weth\", \"model\": \"liquity-v2\", \"base_decimals\": 8, "
    "\"params\": {\"sp_deposits\": \"40000000000000000000000\", "
    "\"total_collateral\": \"1000000000000000000000\", \"total_debt\": "
    "\"1200000000000000000000000\"}, \"assets\": [{\"symbol\": \"WETH\", "
    "\"decimals\": 18}, {\"symbol\": \"BOLD\", \"decimals\": 18}]},"
    "{\"id\": \"wsteth\", \"model\": \"liquity-v2\", \"base_decimals\": 8, "
    "\"params\": {\"sp_deposits\": \"40000000000000000000000\", "
    "\"total_collateral\": \"1000000000000000000000\", \"total_debt\": "
    "\"1200000000000000000000000\"}, \"assets\": [{\"symbol\": \"wstETH\", "
    "\"decimals\": 18}, {\"symbol\": \"BOLD\", \"decimals\": 18}]}], "
    "\"prices\": {\"WETH\": \"2000\", \"wstETH\": \"2400\", \"BOLD\": \"1\"}, "
    "\"positions\": [";

START_TEST(test_front_is_the_plain_sum)
{
    uint64_t st = test_seed();
    int branch[FRONT_TROVES], rate[FRONT_TROVES];
    uint64_t debt[FRONT_TROVES];
    size_t cap = 256 * FRONT_TROVES + sizeof front_markets, o;
    char *text = malloc(cap), err[256];
    struct book *b = book_new();
    struct book_front *f;

    ck_assert_ptr_nonnull(text);
    o = (size_t)snprintf(text, cap, "%s", front_markets);
    for (int i = 0; i < FRONT_TROVES; i++) {
        branch[i] = (int)test_rand_range(&st, 0, 1);
        rate[i] = (int)test_rand_range(&st, 0, 12); /* 0: no rate */
        debt[i] = test_rand_range(&st, 2000, 900000);
        o += (size_t)snprintf(
            text + o, cap - o,
            "%s{\"id\": \"t%d\", \"market\": \"%s\", \"collateral\": "
            "{\"%s\": \"1000\"}, \"debt\": {\"BOLD\": \"%llu\"}",
            i ? ", " : "", i, branch[i] ? "wsteth" : "weth",
            branch[i] ? "wstETH" : "WETH", (unsigned long long)debt[i]);
        if (rate[i] != 0)
            o += (size_t)snprintf(text + o, cap - o,
                                  ", \"annual_interest_rate\": \"0.%03d\"",
                                  5 * rate[i]);
        o += (size_t)snprintf(text + o, cap - o, "}");
        ck_assert_uint_lt(o, cap);
    }
    o += (size_t)snprintf(text + o, cap - o, "]}");
    ck_assert_uint_lt(o, cap);
    ck_assert_msg(portfolio_load_text(b, "book.json", text, o, NULL, err,
                                      sizeof err) == 0,
                  "%s", err);
    free(text);
    f = book_front_new(b);
    ck_assert_ptr_nonnull(f);
    for (int i = 0; i < FRONT_TROVES; i++) {
        char id[16];
        uint32_t idx;
        struct u256 got, want = u256_zero(), w;

        snprintf(id, sizeof id, "t%d", i);
        ck_assert_int_eq(book_position_find(b, id, strlen(id), &idx), 0);
        if (rate[i] == 0) {
            ck_assert(!book_front_debt(f, b, idx, &got));
            continue;
        }
        for (int j = 0; j < FRONT_TROVES; j++)
            if (branch[j] == branch[i] && rate[j] != 0 && rate[j] < rate[i]) {
                ck_assert_int_eq(
                    u256_mul(&w, u256_from_u64(debt[j]),
                             u256_from_u64(1000000000000000000ULL)),
                    0);
                ck_assert_int_eq(u256_add(&want, want, w), 0);
            }
        ck_assert(book_front_debt(f, b, idx, &got));
        ck_assert_msg(u256_eq(got, want), "trove %d (branch %d, rate %d)", i,
                      branch[i], rate[i]);
    }
    book_front_free(f);
    book_free(b);
}
END_TEST

static Suite *
suite(void)
{
    Suite *s = suite_create("book_front");
    TCase *tc = tcase_create("front");

    tcase_add_test(tc, test_front_is_the_plain_sum);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    return test_run(suite());
}
