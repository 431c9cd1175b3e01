/*
 * test_liqprice.c: the liquidation price search on Compound v2 and Morpho
 * Blue positions whose answer is derived by hand in the comments, and its
 * edge cases: no debt, healthy at zero, liquidatable at every price, an
 * asset on both sides, prices near 2^188.
 */
#include <check.h>
#include <string.h>

#include "core/liq.h"
#include "core/liqprice.h"
#include "core/model.h"
#include "tests/common/testutil.h"

/* Compound market: A (18 dec, CF 0.75), B (6 dec, CF 0.8), C (6 dec,
 * CF 0); base 8 decimals. */
static void
compound(struct market *m, struct position *p, struct u256 price[3])
{
    memset(m, 0, sizeof(*m));
    strcpy(m->id, "comp");
    m->model = MODEL_COMPOUND_V2;
    market_params_default(&m->params, MODEL_COMPOUND_V2);
    m->base_decimals = 8;
    m->nassets = 3;
    m->assets[0] =
        (struct asset){.sym = 0, .decimals = 18, .lt = 750000000000000000ULL};
    m->assets[1] =
        (struct asset){.sym = 1, .decimals = 6, .lt = 800000000000000000ULL};
    m->assets[2] = (struct asset){.sym = 2, .decimals = 6, .lt = 0};
    memset(p, 0, sizeof(*p));
    p->id = "c";
    p->label = "";
    p->ncoll = 1;
    p->coll[0] = (struct leg){0, test_u256("10000000000000000000")};
    p->ndebt = 1;
    p->debt[0] = (struct leg){1, test_u256("15000000000")};
    price[0] = test_u256("300000000000");
    price[1] = test_u256("100000000");
    price[2] = test_u256("100000000");
}

/* Liquidatable at lp, not at lp + 1. */
static void
round_trip(const struct market *m, const struct position *p,
           const struct u256 *price, uint8_t asset, struct u256 lp)
{
    struct u256 at[MARKET_ASSETS_MAX];
    struct account a;

    memcpy(at, price, m->nassets * sizeof(at[0]));
    at[asset] = lp;
    ck_assert_int_eq(model_account(m, p, at, &a), 0);
    ck_assert(a.liquidatable);
    ck_assert_int_eq(u256_add(&at[asset], lp, u256_from_u64(1)), 0);
    ck_assert_int_eq(model_account(m, p, at, &a), 0);
    ck_assert(!a.liquidatable);
}

/*
 * Oracle A = pA * 1e10; tokensToDenom = 0.75 * pA * 1e10; sumCollateral
 * = 7.5e10 * pA. Oracle B = 1e30; sumBorrow = 1e30 * 15000e6 / 1e18 =
 * 1.5e22. Shortfall iff 7.5e10 * pA < 1.5e22 iff pA < 2e11.
 */
START_TEST(test_compound_exact)
{
    struct market m;
    struct position p;
    struct u256 price[3], lp;
    bool exists = false;

    compound(&m, &p, price);
    ck_assert_int_eq(liqprice_compute(&m, &p, price, 0, &exists, &lp), 0);
    ck_assert(exists);
    TEST_U256_EQ(lp, test_u256("199999999999"));
    round_trip(&m, &p, price, 0, lp);
    /* The same answer from a current price of zero. */
    price[0] = u256_zero();
    ck_assert_int_eq(liqprice_compute(&m, &p, price, 0, &exists, &lp), 0);
    ck_assert(exists);
    TEST_U256_EQ(lp, test_u256("199999999999"));
}
END_TEST

START_TEST(test_compound_no_price)
{
    struct market m;
    struct position p;
    struct u256 price[3], lp = u256_from_u64(7);
    bool exists = true;

    compound(&m, &p, price);
    /* No debt. */
    p.ndebt = 0;
    ck_assert_int_eq(liqprice_compute(&m, &p, price, 0, &exists, &lp), 0);
    ck_assert(!exists);
    /* Healthy at zero: 30,000 of B at CF 0.8 covers 15,000 alone. */
    compound(&m, &p, price);
    p.ncoll = 2;
    p.coll[1] = (struct leg){1, test_u256("30000000000")};
    p.ndebt = 1;
    p.debt[0] = (struct leg){2, test_u256("15000000000")};
    exists = true;
    ck_assert_int_eq(liqprice_compute(&m, &p, price, 0, &exists, &lp), 0);
    ck_assert(!exists);
    /* Collateral C counts for nothing (CF 0): liquidatable at every price
     * up to 2^200, even where the oracle mantissa would overflow. */
    compound(&m, &p, price);
    p.coll[0] = (struct leg){2, test_u256("1000000")};
    exists = true;
    ck_assert_int_eq(liqprice_compute(&m, &p, price, 2, &exists, &lp), 0);
    ck_assert(!exists);
}
END_TEST

/*
 * One raw unit of A at CF 0.5 against X = 2^160 raw units of an 18-decimal
 * B priced 1e8 (oracle 1e18, sumBorrow = X): sumCollateral =
 * floor(5e9 * pA / 1e18) < X iff pA < X * 2e8.
 */
START_TEST(test_compound_large)
{
    struct market m;
    struct position p;
    struct u256 price[3], lp;
    bool exists = false;

    compound(&m, &p, price);
    m.assets[0].lt = 500000000000000000ULL;
    m.assets[1].decimals = 18;
    p.coll[0].amount = u256_from_u64(1);
    p.debt[0].amount = u256_zero();
    p.debt[0].amount.w[2] = 1ULL << 32;
    ck_assert_int_eq(liqprice_compute(&m, &p, price, 0, &exists, &lp), 0);
    ck_assert(exists);
    TEST_U256_EQ(lp, test_u256("292300327466180583640736966543256603931186508"
                               "595199999999"));
    round_trip(&m, &p, price, 0, lp);
}
END_TEST

/* A on both sides: the answer still round-trips. */
START_TEST(test_compound_both_sides)
{
    struct market m;
    struct position p;
    struct u256 price[3], lp;
    bool exists = false;

    compound(&m, &p, price);
    p.ndebt = 2;
    p.debt[1] = (struct leg){0, test_u256("1000000000000000000")};
    ck_assert_int_eq(liqprice_compute(&m, &p, price, 0, &exists, &lp), 0);
    ck_assert(exists);
    round_trip(&m, &p, price, 0, lp);
    /* 7.5e10 pA < 1.5e22 + 1e10 pA iff pA < 1.5e22 / 6.5e10 */
    TEST_U256_EQ(lp, test_u256("230769230769"));
}
END_TEST

/*
 * Morpho: 1 WETH (18 dec) against 2000 USDC (6 dec), LLTV 0.86, USDC at
 * 1e8. Oracle = pc * 1e16; collateral in loan = floor(pc / 100);
 * maxBorrow = floor(floor(pc / 100) * 0.86) < 2e9 iff floor(pc / 100) <=
 * 2325581395 iff pc <= 232558139599.
 */
START_TEST(test_morpho_exact)
{
    struct market m;
    struct position p;
    struct u256 price[2], lp;
    bool exists = false;

    memset(&m, 0, sizeof(m));
    strcpy(m.id, "morpho");
    m.model = MODEL_MORPHO_BLUE;
    m.base_decimals = 8;
    m.nassets = 2;
    m.assets[0] =
        (struct asset){.sym = 0, .decimals = 18, .lt = 860000000000000000ULL};
    m.assets[1] = (struct asset){.sym = 1, .decimals = 6};
    memset(&p, 0, sizeof(p));
    p.id = "m";
    p.label = "";
    p.ncoll = 1;
    p.coll[0] = (struct leg){0, test_u256("1000000000000000000")};
    p.ndebt = 1;
    p.debt[0] = (struct leg){1, test_u256("2000000000")};
    price[0] = test_u256("300000000000");
    price[1] = test_u256("100000000");
    ck_assert_int_eq(liqprice_compute(&m, &p, price, 0, &exists, &lp), 0);
    ck_assert(exists);
    TEST_U256_EQ(lp, test_u256("232558139599"));
    round_trip(&m, &p, price, 0, lp);
}
END_TEST

static Suite *
liqprice_suite(void)
{
    Suite *s = suite_create("liqprice");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, test_compound_exact);
    tcase_add_test(tc, test_compound_no_price);
    tcase_add_test(tc, test_compound_large);
    tcase_add_test(tc, test_compound_both_sides);
    tcase_add_test(tc, test_morpho_exact);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    return test_run(liqprice_suite());
}
