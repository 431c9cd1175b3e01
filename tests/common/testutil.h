/*
 * testutil.h: small helpers shared by the test programs: a seeded xorshift
 * generator whose seed is printed and settable (LIQ_SEED), u256 literals
 * from decimal text, and a Check runner.
 *
 * Test-only; never linked into ./liqtop.
 */
#ifndef TESTUTIL_H
#define TESTUTIL_H

#include <check.h>
#include <stdint.h>

#include "core/position.h"
#include "core/u256.h"

/* The seed for this run: $LIQ_SEED if set, else from the clock; printed
 * once as "seed: N (set LIQ_SEED=N to repeat)". */
uint64_t test_seed(void);
/* xorshift64* step; state must not be zero. */
uint64_t test_rand(uint64_t *state);
/* Uniform in [lo, hi]. */
uint64_t test_rand_range(uint64_t *state, uint64_t lo, uint64_t hi);

/* Integer text to u256; aborts the test on bad text. */
struct u256 test_u256(const char *text);
/* u256 to integer text in a static rotating buffer (for messages). */
const char *test_u256_str(struct u256 v);

/* Assert two u256 equal, printing both as integers. */
#define TEST_U256_EQ(a, b)                                                     \
    ck_assert_msg(u256_eq((a), (b)), "%s != %s (%s != %s)", #a, #b,            \
                  test_u256_str(a), test_u256_str(b))

/* The one-collateral, one-debt position "p" the model tests use: asset 0
 * holds coll, asset 1 is owed debt (integer texts, raw units). Its strings
 * are static. */
void test_position_1x1(struct position *p, const char *coll, const char *debt);
/* Prices for such a pair in 8-decimal base units: 2,000 and 1 (an ETH
 * against a dollar stablecoin); a static array. */
const struct u256 *test_prices_2000_1(void);

/* Run one suite in Check's fork mode; returns the exit status for main. */
int test_run(Suite *s);

#endif
