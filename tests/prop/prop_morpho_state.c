/*
 * prop_morpho_state.c: properties of Morpho Blue on a stored market state,
 * over random states, rates, fees and positions (seed printed; LIQ_SEED=N
 * repeats a run): health never rises while interest accrues; share
 * conversions round against the user; no repay in loan assets that a call
 * accepts takes more than max_repay, which is itself accepted; the
 * 128-bit account equals the general one.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "core/liq.h"
#include "core/model.h"
#include "core/model_morpho.h"
#include "core/preview.h"
#include "tests/common/testutil.h"

#define T0 1700000000

static struct u256
rand_u256(uint64_t *st, unsigned maxbits)
{
    unsigned bits = (unsigned)test_rand_range(st, 1, maxbits);
    u128 v = ((u128)test_rand(st) << 64) | test_rand(st);

    if (bits < 128)
        v &= ((u128)1 << bits) - 1;
    return u256_from_u128(v);
}

/* A market of two assets with a random state; the position's shares
 * within the totals, its collateral near the liquidation edge. */
static void
world(struct market *m, struct position *p, struct u256 *price, uint64_t *st)
{
    static const uint64_t lltvs[] = {385, 625, 770, 860, 915, 945, 965, 980};
    struct u256 t, owed, coll;
    struct morpho_totals tot;

    memset(m, 0, sizeof(*m));
    strcpy(m->id, "m");
    m->model = MODEL_MORPHO_BLUE;
    m->base_decimals = 8;
    m->nassets = 2;
    m->assets[0] =
        (struct asset){.sym = 0,
                       .decimals = 18,
                       .lt = lltvs[test_rand(st) % 8] * 1000000000000000ULL};
    m->assets[1] =
        (struct asset){.sym = 1,
                       .decimals = (uint8_t)(test_rand(st) % 2 ? 6 : 18),
                       .lt = m->assets[0].lt};
    m->morpho.has_state = true;
    m->morpho.has_oracle = true;
    m->morpho.oracle_price = rand_u256(st, 100);
    if (u256_is_zero(m->morpho.oracle_price))
        m->morpho.oracle_price = u256_from_u64(1);
    m->morpho.borrow_assets = rand_u256(st, 90);
    (void)u256_mul(&t, m->morpho.borrow_assets, u256_from_u64(1000000));
    (void)u256_add(&m->morpho.borrow_shares, t, rand_u256(st, 40));
    (void)u256_add(&m->morpho.supply_assets, m->morpho.borrow_assets,
                   rand_u256(st, 90));
    (void)u256_mul(&m->morpho.supply_shares, m->morpho.supply_assets,
                   u256_from_u64(1000000));
    m->morpho.fee = test_rand(st) % 250000000000000001ULL;
    m->morpho.borrow_rate = u256_from_u64(test_rand(st) % 20000000000ULL);
    m->morpho.last_update = T0;
    m->as_of = T0 + (int64_t)(test_rand(st) % 100000000);
    ck_assert_int_eq(model_morpho_accrue(m), 0);
    memset(p, 0, sizeof(*p));
    p->id = "p";
    p->label = "";
    p->ncoll = p->ndebt = 1;
    p->coll[0].asset = 0;
    p->debt[0].asset = 1;
    (void)u256_div(&p->debt[0].amount, m->morpho.borrow_shares,
                   u256_from_u64(test_rand_range(st, 1, 1000)), U256_FLOOR);
    if (u256_is_zero(p->debt[0].amount))
        p->debt[0].amount = u256_from_u64(1);
    ck_assert_int_eq(model_morpho_state_borrow(m, &tot), 0);
    ck_assert_int_eq(
        model_morpho_state_convert(&owed, p->debt[0].amount, &tot, false, true),
        0);
    /* collateral = owed * 1e36 / price / lltv, times 0.9 to 1.1 */
    (void)u256_muldiv(&coll, owed, u256_exp10(36), m->morpho.oracle_price,
                      U256_FLOOR);
    (void)u256_muldiv(&coll, coll, u256_from_u64(WAD),
                      u256_from_u64(m->assets[0].lt), U256_FLOOR);
    (void)u256_muldiv(&p->coll[0].amount, coll,
                      u256_from_u64(test_rand_range(st, 900, 1100)),
                      u256_from_u64(1000), U256_FLOOR);
    price[0] = u256_from_u64(200000000000ULL);
    price[1] = u256_from_u64(100000000ULL);
}

START_TEST(prop_health_never_rises_with_time)
{
    uint64_t st = test_seed();
    int rising = 0;

    for (int n = 0; n < 2000; n++) {
        struct market m;
        struct position p;
        struct u256 price[2];
        struct account a1, a2;

        world(&m, &p, price, &st);
        ck_assert_int_eq(model_account(&m, &p, price, &a1), 0);
        m.as_of += (int64_t)test_rand_range(&st, 1, 10000000);
        if (model_morpho_accrue(&m) != 0)
            continue; /* the accrual overflows: the contract reverts */
        ck_assert_int_eq(model_account(&m, &p, price, &a2), 0);
        ck_assert_msg(u256_le(a2.hf, a1.hf), "health rose: %s -> %s",
                      test_u256_str(a1.hf), test_u256_str(a2.hf));
        ck_assert(u256_le(a1.debt_value, a2.debt_value));
        ck_assert(!a1.liquidatable || a2.liquidatable);
        rising += u256_lt(a1.debt_value, a2.debt_value);
    }
    fprintf(stderr, "accrual: %d rising\n", rising);
    ck_assert_int_gt(rising, 100); /* interest did accrue */
}
END_TEST

START_TEST(prop_shares_round_against_the_user)
{
    uint64_t st = test_seed();

    for (int n = 0; n < 5000; n++) {
        struct morpho_totals t = {.assets = rand_u256(&st, 100)};
        struct u256 a = rand_u256(&st, 100), s, back, t6;

        (void)u256_mul(&t6, t.assets, u256_from_u64(1000000));
        (void)u256_add(&t.shares, t6, rand_u256(&st, 60));
        /* Borrowing a mints toSharesUp(a): owed toAssetsUp of them >= a. */
        ck_assert_int_eq(model_morpho_state_convert(&s, a, &t, true, true), 0);
        ck_assert_int_eq(model_morpho_state_convert(&back, s, &t, false, true),
                         0);
        ck_assert(u256_le(a, back));
        /* Repaying a burns toSharesDown(a): worth at most a. */
        ck_assert_int_eq(model_morpho_state_convert(&s, a, &t, true, false), 0);
        ck_assert_int_eq(model_morpho_state_convert(&back, s, &t, false, false),
                         0);
        ck_assert(u256_le(back, a));
        /* Down never above up. */
        ck_assert_int_eq(model_morpho_state_convert(&back, s, &t, false, true),
                         0);
        {
            struct u256 down;

            ck_assert_int_eq(
                model_morpho_state_convert(&down, s, &t, false, false), 0);
            ck_assert(u256_le(down, back));
        }
    }
}
END_TEST

START_TEST(prop_max_repay_is_the_most)
{
    uint64_t st = test_seed();
    int checked = 0;

    for (int n = 0; n < 1000; n++) {
        struct market m;
        struct position p;
        struct u256 price[2];
        struct liq_call call = {.max = true};
        struct liq_result r, q;
        struct account a;

        world(&m, &p, price, &st);
        ck_assert_int_eq(model_account(&m, &p, price, &a), 0);
        if (!a.liquidatable)
            continue;
        ck_assert_int_eq(model_liquidate(&m, &p, price, &call, &r), 0);
        if (u256_is_zero(r.max_repay))
            continue;
        checked++;
        ck_assert_int_eq(r.revert, REVERT_NONE);
        /* max_repay as a repay in loan assets: the same call. */
        call.max = false;
        call.repay = r.max_repay;
        ck_assert_int_eq(model_liquidate(&m, &p, price, &call, &q), 0);
        ck_assert_int_eq(q.revert, REVERT_NONE);
        TEST_U256_EQ(q.repay, r.max_repay);
        TEST_U256_EQ(q.repaid_shares, r.repaid_shares);
        /* Anything more is refused or takes no more. */
        for (int k = 0; k < 8; k++) {
            struct u256 step = u256_from_u64(test_rand_range(&st, 1, 3000000));

            (void)u256_add(&call.repay, r.max_repay, step);
            ck_assert_int_eq(model_liquidate(&m, &p, price, &call, &q), 0);
            ck_assert_msg(q.revert != REVERT_NONE ||
                              u256_le(q.repay, r.max_repay),
                          "repay %s accepted above max_repay %s",
                          test_u256_str(q.repay), test_u256_str(r.max_repay));
        }
    }
    fprintf(stderr, "max repay: %d checked\n", checked);
    ck_assert_int_gt(checked, 100);
}
END_TEST

START_TEST(prop_account128_equals_account)
{
    uint64_t st = test_seed();
    int served = 0;

    for (int n = 0; n < 3000; n++) {
        struct market m;
        struct position p;
        struct u256 price[2];
        struct account a;
        struct model_account128 b;
        const uint8_t asset[2] = {0, 1};
        u128 amount[2], pr[2];

        world(&m, &p, price, &st);
        if (!u256_to_u128(p.coll[0].amount, &amount[0]) ||
            !u256_to_u128(p.debt[0].amount, &amount[1]))
            continue;
        (void)u256_to_u128(price[0], &pr[0]);
        (void)u256_to_u128(price[1], &pr[1]);
        ck_assert_int_eq(model_account(&m, &p, price, &a), 0);
        if (!model_morpho_ops.account128(&m, asset, amount, 1, 1, pr, &b))
            continue;
        served++;
        ck_assert(u256_eq(a.hf, u256_from_u128(b.hf)));
        ck_assert(u256_eq(a.debt_value, u256_from_u128(b.debt_value)));
        ck_assert(u256_eq(a.coll_value, u256_from_u128(b.coll_value)));
        ck_assert(a.liquidatable == b.liquidatable);
        ck_assert(a.bad_debt == b.bad_debt);
    }
    fprintf(stderr, "128-bit: %d served\n", served);
    ck_assert_int_gt(served, 1000);
}
END_TEST

START_TEST(prop_time_to_liquidation_is_least)
{
    uint64_t st = test_seed();
    int found = 0;

    for (int n = 0; n < 400; n++) {
        struct market m;
        struct position p;
        struct u256 price[2];
        struct account a;
        int64_t t, at;

        world(&m, &p, price, &st);
        ck_assert_int_eq(model_time_to_liquidation(&m, &p, price, &t), 0);
        ck_assert_int_eq(model_account(&m, &p, price, &a), 0);
        ck_assert(a.liquidatable == (t == 0));
        if (t <= 0)
            continue;
        found++;
        at = m.as_of;
        /* liquidatable at as_of + t, not a second before */
        m.as_of = at + t;
        ck_assert_int_eq(model_morpho_accrue(&m), 0);
        ck_assert_int_eq(model_account(&m, &p, price, &a), 0);
        ck_assert(a.liquidatable);
        m.as_of = at + t - 1;
        ck_assert_int_eq(model_morpho_accrue(&m), 0);
        ck_assert_int_eq(model_account(&m, &p, price, &a), 0);
        ck_assert(!a.liquidatable);
    }
    fprintf(stderr, "liquidation prices: %d found\n", found);
    ck_assert_int_gt(found, 50);
}
END_TEST

START_TEST(prop_least_repayment_is_least)
{
    uint64_t st = test_seed();
    int checked = 0;

    for (int n = 0; n < 600; n++) {
        struct market m;
        struct position p;
        struct u256 price[2], less;
        struct preview_req req = {.debt = -1, .coll = -1};
        struct preview pv;
        struct account a;

        world(&m, &p, price, &st);
        ck_assert_int_eq(preview_compute(&m, &p, price, &req, &pv), 0);
        if (!pv.avoid_repay[0].exists || u256_is_zero(pv.avoid_repay[0].amount))
            continue;
        checked++;
        ck_assert_int_eq(model_account_after_repay(
                             &m, &p, 0, pv.avoid_repay[0].amount, price, &a),
                         0);
        ck_assert(!a.has_debt || u256_le(u256_from_u64(WAD), a.hf));
        (void)u256_sub(&less, pv.avoid_repay[0].amount, u256_from_u64(1));
        ck_assert_int_eq(model_account_after_repay(&m, &p, 0, less, price, &a),
                         0);
        ck_assert_msg(a.has_debt && u256_lt(a.hf, u256_from_u64(WAD)),
                      "one unit less than %s also reaches",
                      test_u256_str(pv.avoid_repay[0].amount));
    }
    fprintf(stderr, "least repay: %d checked\n", checked);
    ck_assert_int_gt(checked, 100);
}
END_TEST

static Suite *
suite(void)
{
    Suite *s = suite_create("morpho state properties");
    TCase *tc = tcase_create("prop");

    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, prop_health_never_rises_with_time);
    tcase_add_test(tc, prop_shares_round_against_the_user);
    tcase_add_test(tc, prop_max_repay_is_the_most);
    tcase_add_test(tc, prop_account128_equals_account);
    tcase_add_test(tc, prop_time_to_liquidation_is_least);
    tcase_add_test(tc, prop_least_repayment_is_least);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    return test_run(suite());
}
