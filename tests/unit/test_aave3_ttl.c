/*
 * test_aave3_ttl.c: Aave v3's time_to_liquidation (design.md 4.1) where
 * the portfolio gives rates (liquidity_rate, variable_borrow_rate,
 * last_update): the least whole second after as_of at which the indexes,
 * accrued in one step from last_update as the version's ReserveLogic
 * accrues them, leave the position liquidatable.
 *
 * Sources of the figures: an integer transcription of MathUtils
 * (calculateLinearInterest, calculateCompoundedInterest of 3.0 to 3.3 and
 * of 3.4+), WadRayMath.rayMul and GenericLogic's health factor of each
 * version, bisected on the whole seconds, written beside each case. The
 * property: the same portfolio loaded again with as_of moved to t - 1 and
 * to t (the loader accrues the indexes there) is healthy, then
 * liquidatable, by the model's own account.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/portfolio.h"
#include "core/book.h"
#include "core/liq.h"
#include "core/model.h"
#include "tests/common/jsonbook.h"
#include "tests/common/testutil.h"

/* Position idx's time_to_liquidation (rc returned) and account. */
static int
ttl_of(struct book *b, uint32_t idx, int64_t *t, struct account *a)
{
    struct position p;
    struct u256 price[MARKET_ASSETS_MAX];
    const struct market *m;

    book_position_get(b, idx, &p);
    book_prices_base(b, p.market, price, NULL);
    m = book_market(b, p.market);
    ck_assert_int_eq(model_account(m, &p, price, a), 0);
    return model_time_to_liquidation(m, &p, price, t);
}

/*
 * The fixture's 3.7 wstETH loop in eMode (LT 0.955): 100.123456789012345678
 * wstETH at 4120.56789012 (no rates) against 112.5 WETH at 3400.12345678,
 * the WETH borrow index 1.05 at last_update 1732913600, 3 % a year, as_of
 * 1733000000. The plain debt grows with its index: ceil(112.5e18 x
 * index(t) / index(as_of)), index(t) = rayMul(1.05e27, RAY + x +
 * rayMul(x, x / 2 + rayMul(x, x / 6))), x = 3e25 x (t - last) / 31536000;
 * valued up (3.5+), HF = floor(halfUp(W x 1e18 / D) / 1e4): 1.03002809829
 * 755686 now, 1.000000000281426611 at 31100922 s, 0.999999999330132324 at
 * 31100923 s. The scaled position (10 wstETH scaled at index 1.001 without
 * rates, 9 WETH scaled, balances rayMulFloor and rayMulCeil, no eMode, LT
 * 0.81): 1.039714210938101077 now, 1.000000000646244094 at 40940005 s,
 * 0.999999999694731901 at 40940006 s. The other market has no rates.
 */
START_TEST(test_fixture)
{
    struct book *b = book_new();
    static const struct {
        const char *id;
        int rc;
        int64_t t;
    } want[] = {{"loop", 0, 31100923},
                {"loop-off", 0, 31100923},
                {"scaled", 0, 40940006},
                {"alice", LIQ_ENOENT, 0},
                {"deep", LIQ_ENOENT, 0}};
    char err[512];

    ck_assert_msg(portfolio_load(b, "tests/fixtures/aave3_state.json", NULL,
                                 err, sizeof err) == 0,
                  "%s", err);
    book_update(b);
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        uint32_t idx;
        int64_t t = -2;
        struct account a;

        ck_assert_int_eq(
            book_position_find(b, want[i].id, strlen(want[i].id), &idx), 0);
        ck_assert_int_eq(ttl_of(b, idx, &t, &a), want[i].rc);
        if (want[i].rc == 0)
            ck_assert_int_eq(t, want[i].t);
    }
    book_free(b);
}
END_TEST

/* A 3.0 market (the 3.0 to 3.3 expansion: RAY + rt + dt(dt-1) p2 / 2 +
 * dt(dt-1)(dt-2) p3 / 6), scaled legs both with rates: 10 WETH scaled at
 * income index 1.02 (2 % a year) against 15,000 USDC scaled at borrow
 * index 1.1 (8 % a year), last_update a day before as_of. */
static const char *const fmt30 =
    "{'as_of': %lld, 'markets': [{'id': 'm', 'model': 'aave-v3', "
    "'version': '%s', 'assets': ["
    "{'symbol': 'WETH', 'decimals': 18, 'ltv': '0.80',"
    " 'liquidation_threshold': '%s', 'liquidation_bonus': '0.05',"
    " 'liquidity_index': '1.02', 'liquidity_rate': '%s',"
    " 'variable_borrow_index': '1.03', 'variable_borrow_rate': '0.03',"
    " 'last_update': 1732913600},"
    "{'symbol': 'USDC', 'decimals': 6, 'ltv': '0.75',"
    " 'liquidation_threshold': '0.78', 'liquidation_bonus': '0.045',"
    " 'liquidity_index': '1.01', 'liquidity_rate': '0.01',"
    " 'variable_borrow_index': '1.1', 'variable_borrow_rate': '%s',"
    " 'last_update': 1732913600}]}],"
    " 'prices': {'WETH': '%s', 'USDC': '1'},"
    " 'positions': [{'id': 'a', 'market': 'm',"
    " 'scaled_collateral': {'WETH': '%s'},"
    " 'scaled_debt': {'USDC': '%s'}}]}";

static struct book *
book30(long long as_of, const char *version, const char *lt, const char *lrate,
       const char *drate, const char *price, const char *coll, const char *debt)
{
    char json[4096];

    snprintf(json, sizeof json, fmt30, as_of, version, lt, lrate, drate, price,
             coll, debt);
    return jsonbook_load(json);
}

/*
 * 3.0: 10e18 WETH scaled, 15000e6 USDC scaled, WETH 2000, LT 0.825.
 * Balances: collateral rayMul(10e18, linear index), debt rayMul(15000e6,
 * compounded index), half-up; values floored (3.0 to 3.4), avgLT floored,
 * HF = wadDiv(percentMul(coll, avgLT), debt): 1.019832340997875573 at
 * as_of, 1.000000001406058659 at 10310526 s, 0.999999999497667542 at
 * 10310527 s.
 */
START_TEST(test_v30_vector)
{
    struct book *b = book30(1733000000, "3.0", "0.825", "0.02", "0.08", "2000",
                            "10000000000000000000", "15000000000");
    int64_t t = -2;
    struct account a;

    ck_assert_int_eq(ttl_of(b, 0, &t, &a), 0);
    ck_assert_int_eq(t, 10310527);
    TEST_U256_EQ(a.hf, test_u256("1019832340997875573"));
    book_free(b);
}
END_TEST

/* Healthy at t - 1 and liquidatable at t, the portfolio loaded again at
 * each moment; 0 when liquidatable now; -1 (not within the horizon)
 * when income outruns the debt. Versions 3.0 to 3.7. */
START_TEST(test_property)
{
    static const char *const versions[] = {"3.0", "3.1", "3.2", "3.3",
                                           "3.4", "3.5", "3.6", "3.7"};
    uint64_t st = test_seed();
    int found = 0, now = 0, never = 0;

    for (int n = 0; n < 48; n++) {
        const char *v = versions[n % 8];
        char lt[16], lrate[16], drate[16], price[16], coll[32], debt[32];
        long long as_of = 1733000000;
        struct book *b, *b1;
        struct account a, a1;
        int64_t t = -2, t1;

        uint64_t ltp = test_rand_range(&st, 80, 95), px, c, hf_milli;

        snprintf(lt, sizeof lt, "0.%llu", (unsigned long long)ltp);
        snprintf(lrate, sizeof lrate, "0.0%llu",
                 (unsigned long long)test_rand_range(&st, 0, 9));
        snprintf(drate, sizeof drate, "0.%02llu",
                 (unsigned long long)test_rand_range(&st, 1, 60));
        px = test_rand_range(&st, 1500, 2500);
        c = test_rand_range(&st, 1000, 99999);
        /* a debt that puts health near 0.98 to 1.6 */
        hf_milli = test_rand_range(&st, 980, 1600);
        snprintf(price, sizeof price, "%llu", (unsigned long long)px);
        snprintf(coll, sizeof coll, "%llu000000000000000",
                 (unsigned long long)c);
        snprintf(debt, sizeof debt, "%llu0000",
                 (unsigned long long)(c * px * ltp * 102 / 110 / hf_milli));
        b = book30(as_of, v, lt, lrate, drate, price, coll, debt);
        ck_assert_int_eq(ttl_of(b, 0, &t, &a), 0);
        if (n % 8 == 0 && t > 0)
            fprintf(stderr, "%s hf %s: %lld s\n", v, test_u256_str(a.hf),
                    (long long)t);
        book_free(b);
        if (t == 0) {
            ck_assert(a.liquidatable);
            now++;
            continue;
        }
        ck_assert(!a.liquidatable);
        if (t < 0) {
            ck_assert_int_eq(t, -1);
            /* as far as the file's as_of goes (2106) */
            b = book30(UINT32_MAX, v, lt, lrate, drate, price, coll, debt);
            (void)ttl_of(b, 0, &t1, &a1);
            ck_assert(!a1.liquidatable);
            book_free(b);
            never++;
            continue;
        }
        if (as_of + t > UINT32_MAX)
            continue; /* past what a file's as_of holds */
        b = book30(as_of + t - 1, v, lt, lrate, drate, price, coll, debt);
        b1 = book30(as_of + t, v, lt, lrate, drate, price, coll, debt);
        ck_assert_int_eq(ttl_of(b, 0, &t1, &a), 0);
        ck_assert_int_eq(t1, 1);
        ck_assert_int_eq(ttl_of(b1, 0, &t1, &a1), 0);
        ck_assert_int_eq(t1, 0);
        ck_assert_msg(!a.liquidatable && a1.liquidatable, "%s case %d: t %lld",
                      v, n, (long long)t);
        book_free(b);
        book_free(b1);
        found++;
    }
    fprintf(stderr, "time_to_liquidation: %d found, %d now, %d never\n", found,
            now, never);
    ck_assert_int_gt(found, 10);
}
END_TEST

static Suite *
ttl_suite(void)
{
    Suite *s = suite_create("aave-v3 time_to_liquidation");
    TCase *tc = tcase_create("ttl");

    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_fixture);
    tcase_add_test(tc, test_v30_vector);
    tcase_add_test(tc, test_property);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    return test_run(ttl_suite());
}
