/*
 * prop_ctokens.c: properties of Compound v2 with cToken balances over
 * random exchange rates, collateral factors, prices and amounts (seed
 * printed; LIQ_SEED=N repeats a run): the 128-bit terms equal the general
 * ones; a deposit's cTokens are worth no more than the deposit (rounding
 * against the user); max_repay is accepted and one unit more is refused.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "core/liq.h"
#include "core/model.h"
#include "core/model_compound.h"
#include "tests/common/testutil.h"

static void
world(struct market *m, struct position *p, struct u256 *price, uint64_t *st)
{
    memset(m, 0, sizeof(*m));
    strcpy(m->id, "c");
    m->model = MODEL_COMPOUND_V2;
    m->base_decimals = 8;
    market_params_default(&m->params, MODEL_COMPOUND_V2);
    m->nassets = 2;
    m->assets[0] =
        (struct asset){.sym = 0,
                       .decimals = (uint8_t)(test_rand(st) % 2 ? 18 : 8),
                       .lt = test_rand_range(st, 1, 900000000000000000ULL)};
    m->assets[1] = (struct asset){.sym = 1, .decimals = 6, .lt = 0};
    m->ctoken[0].has_rate = true;
    m->ctoken[0].decimals = 8;
    /* 0.02 underlying a cToken and up, scaled by 1e(18 - 8 + decimals) */
    m->ctoken[0].exchange_rate = u256_from_u128(
        (u128)test_rand_range(st, 200000000ULL, 2000000000000ULL) *
        (u128)(m->assets[0].decimals == 18 ? 100000000000000000ULL
                                           : 1000000ULL));
    memset(p, 0, sizeof(*p));
    p->id = "p";
    p->label = "";
    p->ncoll = p->ndebt = 1;
    p->coll[0] = (struct leg){
        .asset = 0,
        .amount = u256_from_u64(test_rand_range(st, 1, 100000000000000ULL))};
    p->debt[0] = (struct leg){
        .asset = 1,
        .amount = u256_from_u64(test_rand_range(st, 1, 10000000000000ULL))};
    price[0] = u256_from_u64(test_rand_range(st, 1, 10000000000000ULL));
    price[1] = u256_from_u64(100000000ULL);
}

START_TEST(prop_term128_equals_term)
{
    uint64_t st = test_seed();
    const struct model_ops *ops = model_get(MODEL_COMPOUND_V2);

    for (int n = 0; n < 5000; n++) {
        struct market m;
        struct position p;
        struct u256 price[2];
        struct model_sums s;
        struct model_sums128 s128;
        u128 a = 0, pr = 0;

        world(&m, &p, price, &st);
        (void)u256_to_u128(p.coll[0].amount, &a);
        (void)u256_to_u128(price[0], &pr);
        ck_assert_int_eq(
            ops->term(&m, 0, false, p.coll[0].amount, price[0], &s), 0);
        ck_assert(ops->term128(&m, 0, false, a, pr, &s128));
        for (int i = 0; i < MODEL_SUMS; i++)
            TEST_U256_EQ(s.s[i], u256_from_u128(s128.s[i]));
    }
}
END_TEST

START_TEST(prop_mint_rounds_against_the_depositor)
{
    uint64_t st = test_seed();

    for (int n = 0; n < 5000; n++) {
        struct market m;
        struct position p;
        struct u256 price[2], tokens, worth, again;

        world(&m, &p, price, &st);
        ck_assert_int_eq(
            model_apply(&m, 0, false, u256_zero(), p.coll[0].amount, &tokens),
            0);
        ck_assert_int_eq(model_balance(&m, 0, false, tokens, &worth), 0);
        ck_assert(u256_le(worth, p.coll[0].amount));
        /* One cToken more would be worth more than the deposit. */
        (void)u256_add(&tokens, tokens, u256_from_u64(1));
        ck_assert_int_eq(model_balance(&m, 0, false, tokens, &again), 0);
        ck_assert(u256_lt(p.coll[0].amount, again) ||
                  u256_eq(p.coll[0].amount, again));
    }
}
END_TEST

START_TEST(prop_max_repay_fits_and_one_more_does_not)
{
    uint64_t st = test_seed();
    int checked = 0;

    for (int n = 0; n < 3000; n++) {
        struct market m;
        struct position p;
        struct u256 price[2];
        struct liq_call call = {.max = true};
        struct liq_result r, q;

        struct u256 und, v;

        world(&m, &p, price, &st);
        /* a debt about at the collateral factor's edge: the underlying's
         * value x CF, in USDC raw units (1e6 per 1e8 base), x 0.9 to 1.5 */
        ck_assert_int_eq(model_balance(&m, 0, false, p.coll[0].amount, &und),
                         0);
        (void)u256_muldiv(&v, und, price[0], u256_exp10(m.assets[0].decimals),
                          U256_FLOOR);
        (void)u256_muldiv(&v, v, u256_from_u64(m.assets[0].lt),
                          u256_from_u64(WAD), U256_FLOOR);
        (void)u256_muldiv(&p.debt[0].amount, v,
                          u256_from_u64(test_rand_range(&st, 9, 15)),
                          u256_from_u64(1000), U256_FLOOR);
        if (u256_is_zero(p.debt[0].amount))
            continue;
        ck_assert_int_eq(model_liquidate(&m, &p, price, &call, &r), 0);
        if (r.revert != REVERT_NONE)
            continue;
        checked++;
        ck_assert(u256_le(r.seize_tokens, p.coll[0].amount));
        call.max = false;
        (void)u256_add(&call.repay, r.max_repay, u256_from_u64(1));
        ck_assert_int_eq(model_liquidate(&m, &p, price, &call, &q), 0);
        ck_assert_msg(q.revert != REVERT_NONE, "repay %s above max_repay %s",
                      test_u256_str(call.repay), test_u256_str(r.max_repay));
    }
    fprintf(stderr, "max repay: %d checked\n", checked);
    ck_assert_int_gt(checked, 100);
}
END_TEST

static Suite *
suite(void)
{
    Suite *s = suite_create("ctoken properties");
    TCase *tc = tcase_create("prop");

    tcase_add_test(tc, prop_term128_equals_term);
    tcase_add_test(tc, prop_mint_rounds_against_the_depositor);
    tcase_add_test(tc, prop_max_repay_fits_and_one_more_does_not);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    return test_run(suite());
}
