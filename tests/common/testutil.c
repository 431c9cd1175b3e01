/*
 * testutil.c: shared test helpers (seeded generator, u256 text, runner).
 *
 * Test-only: may use stdio, the clock and Check freely.
 */
#include "tests/common/testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/decimal.h"

uint64_t
test_seed(void)
{
    static uint64_t seed;
    static int done;
    const char *env;

    if (done)
        return seed;
    env = getenv("LIQ_SEED");
    if (env != NULL && *env != '\0')
        seed = strtoull(env, NULL, 10);
    else
        seed = (uint64_t)time(NULL) ^ ((uint64_t)clock() << 20);
    if (seed == 0)
        seed = 88172645463325252ULL;
    done = 1;
    printf("seed: %llu (set LIQ_SEED=%llu to repeat)\n",
           (unsigned long long)seed, (unsigned long long)seed);
    fflush(stdout);
    return seed;
}

uint64_t
test_rand(uint64_t *state)
{
    uint64_t x = *state;

    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *state = x;
    return x * 2685821657736338717ULL;
}

uint64_t
test_rand_range(uint64_t *state, uint64_t lo, uint64_t hi)
{
    uint64_t span = hi - lo + 1;

    if (span == 0)
        return test_rand(state);
    return lo + test_rand(state) % span;
}

struct u256
test_u256(const char *text)
{
    struct u256 v;
    int rc = decimal_parse(&v, text, strlen(text), 0, DECIMAL_EXACT);

    if (rc != 0) {
        fprintf(stderr, "test_u256: bad literal '%s'\n", text);
        abort();
    }
    return v;
}

const char *
test_u256_str(struct u256 v)
{
    static char bufs[8][DECIMAL_BUF];
    static unsigned next;
    char *b = bufs[next++ % 8];

    decimal_format_int(b, DECIMAL_BUF, v);
    return b;
}

void
test_position_1x1(struct position *p, const char *coll, const char *debt)
{
    memset(p, 0, sizeof(*p));
    p->id = "p";
    p->label = "";
    p->ncoll = 1;
    p->coll[0] = (struct leg){.asset = 0, .amount = test_u256(coll)};
    p->ndebt = 1;
    p->debt[0] = (struct leg){.asset = 1, .amount = test_u256(debt)};
}

const struct u256 *
test_prices_2000_1(void)
{
    static struct u256 price[2];

    price[0] = test_u256("200000000000");
    price[1] = test_u256("100000000");
    return price;
}

int
test_run(Suite *s)
{
    SRunner *sr = srunner_create(s);
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
