/*
 * prop_liquity.c: properties of liquity-v2 over random branches (MCR,
 * penalties within AddressesRegistry's checks, pools from empty to ample),
 * troves and prices (seed printed; LIQ_SEED=N repeats a run): health falls
 * as the price falls and is below 1 exactly when ICR < MCR, computed here
 * afresh; a liquidation accounts for every raw unit of the trove (offset
 * plus redistributed debt is the debt; pool, redistribution, caller and
 * surplus are the collateral), never takes more than the trove holds, caps
 * each part at its debt plus penalty, and leaves the pool at least
 * min(1 BOLD, its deposits); the least repayment that avoids liquidation
 * is least.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "core/liq.h"
#include "core/model.h"
#include "core/preview.h"
#include "tests/common/testutil.h"

#define E18 1000000000000000000ULL
#define CASES 4000

static struct u256
rand_amount(uint64_t *st, uint64_t lo_whole, uint64_t hi_whole)
{
    struct u256 v, frac = u256_from_u64(test_rand(st) % E18);

    ck_assert_int_eq(
        u256_mul(&v, u256_from_u64(test_rand_range(st, lo_whole, hi_whole)),
                 u256_from_u64(E18)),
        0);
    ck_assert_int_eq(u256_add(&v, v, frac), 0);
    return v;
}

static void
world(struct market *m, struct position *p, struct u256 *price, uint64_t *st)
{
    memset(m, 0, sizeof(*m));
    strcpy(m->id, "branch");
    m->model = MODEL_LIQUITY_V2;
    m->base_decimals = (uint8_t)test_rand_range(st, 6, 18);
    market_params_default(&m->params, m->model);
    m->params.mcr = test_rand_range(st, E18 + 1, 2 * E18 - 1);
    m->params.penalty_sp = test_rand_range(st, E18 / 20, E18 / 5);
    m->params.penalty_redist =
        test_rand_range(st, m->params.penalty_sp, E18 / 5);
    m->nassets = 2;
    m->assets[0] = (struct asset){.sym = 0, .decimals = 18};
    m->assets[1] = (struct asset){.sym = 1, .decimals = 18};
    switch (test_rand(st) % 4) {
    case 0:
        break; /* no pool given: it covers every debt */
    case 1:
        m->liquity.has_sp = true; /* under 1 BOLD: nothing offset */
        m->liquity.sp_deposits = u256_from_u64(test_rand(st) % E18);
        break;
    default:
        m->liquity.has_sp = true;
        m->liquity.sp_deposits = rand_amount(st, 0, 3000000);
    }
    memset(p, 0, sizeof(*p));
    p->id = "t";
    p->label = "";
    p->ncoll = 1;
    p->coll[0] = (struct leg){.asset = 0, .amount = rand_amount(st, 0, 3000)};
    p->ndebt = 1;
    p->debt[0] =
        (struct leg){.asset = 1, .amount = rand_amount(st, 1, 4000000)};
    /* prices around each trove's line: from 100 to 9,000 a token */
    price[0] = u256_from_u64(test_rand_range(st, 100, 9000));
    ck_assert_int_eq(
        u256_mul(&price[0], price[0], u256_exp10(m->base_decimals)), 0);
    ck_assert_int_eq(
        u256_add(&price[0], price[0],
                 u256_from_u64(test_rand(st) % (uint64_t)u256_to_u64(u256_exp10(
                                                   m->base_decimals)))),
        0);
    price[1] = u256_exp10(m->base_decimals);
}

static struct u256
mul(struct u256 a, struct u256 b)
{
    struct u256 r;

    ck_assert_int_eq(u256_mul(&r, a, b), 0);
    return r;
}

static struct u256
add(struct u256 a, struct u256 b)
{
    struct u256 r;

    ck_assert_int_eq(u256_add(&r, a, b), 0);
    return r;
}

START_TEST(prop_liquity)
{
    uint64_t st = test_seed();
    unsigned liquidatable = 0, redistributed = 0, surplus = 0;

    for (unsigned i = 0; i < CASES; i++) {
        struct market m;
        struct position p;
        struct u256 price[2], px, icr, lower[2];
        struct account a, b;
        struct liq_call c = {.max = true};
        struct liq_result r;
        char err[160];

        world(&m, &p, price, &st);
        ck_assert_int_eq(market_validate(&m, err, sizeof err), 0);
        ck_assert_int_eq(model_account(&m, &p, price, &a), 0);
        /* ICR afresh, as LiquityMath._computeCR */
        px = mul(price[0], u256_exp10(18u - m.base_decimals));
        ck_assert_int_eq(u256_div(&icr, mul(p.coll[0].amount, px),
                                  p.debt[0].amount, U256_FLOOR),
                         0);
        ck_assert(a.liquidatable == u256_lt(icr, u256_from_u64(m.params.mcr)));
        ck_assert(a.liquidatable == u256_lt(a.hf, u256_from_u64(WAD)));
        /* one raw unit of price less never raises health */
        lower[0] = price[0];
        lower[1] = price[1];
        if (!u256_is_zero(lower[0]))
            ck_assert_int_eq(u256_sub(&lower[0], lower[0], u256_from_u64(1)),
                             0);
        ck_assert_int_eq(model_account(&m, &p, lower, &b), 0);
        ck_assert(u256_le(b.hf, a.hf));

        ck_assert_int_eq(model_liquidate(&m, &p, price, &c, &r), 0);
        ck_assert(u256_eq(r.repay, p.debt[0].amount));
        ck_assert(u256_eq(add(r.liquity.debt_offset, r.liquity.debt_redist),
                          p.debt[0].amount));
        ck_assert(u256_eq(add(add(r.liquity.coll_to_sp, r.liquity.coll_redist),
                              add(r.liquity.coll_gas, r.liquity.coll_surplus)),
                          p.coll[0].amount));
        ck_assert(u256_le(r.seized, p.coll[0].amount));
        ck_assert(
            u256_eq(add(r.seized, r.liquity.coll_surplus), p.coll[0].amount));
        /* each part within its debt plus penalty at the price */
        ck_assert(u256_le(mul(r.liquity.coll_to_sp, px),
                          mul(r.liquity.debt_offset,
                              u256_from_u64(E18 + m.params.penalty_sp))));
        ck_assert(u256_le(mul(r.liquity.coll_redist, px),
                          mul(r.liquity.debt_redist,
                              u256_from_u64(E18 + m.params.penalty_redist))));
        ck_assert(u256_le(r.liquity.coll_gas, u256_from_u64(2 * E18)));
        if (m.liquity.has_sp) {
            struct u256 keep =
                            u256_min(m.liquity.sp_deposits, u256_from_u64(E18)),
                        left;

            ck_assert_int_eq(
                u256_sub(&left, m.liquity.sp_deposits, r.liquity.debt_offset),
                0);
            ck_assert(u256_le(keep, left));
        }
        ck_assert_int_eq(r.revert, a.liquidatable ? REVERT_NONE
                                                  : REVERT_NOT_LIQUIDATABLE);
        liquidatable += a.liquidatable;
        redistributed += !u256_is_zero(r.liquity.debt_redist);
        surplus += !u256_is_zero(r.liquity.coll_surplus);

        /* the least repayment that keeps it off liquidation is least */
        if (a.liquidatable) {
            struct preview_req q = {.debt = 0, .coll = 0};
            struct preview pv;

            ck_assert_int_eq(preview_compute(&m, &p, price, &q, &pv), 0);
            if (pv.avoid_repay[0].exists) {
                struct position t = p;
                struct u256 amt = pv.avoid_repay[0].amount;

                ck_assert_int_eq(
                    u256_sub(&t.debt[0].amount, p.debt[0].amount, amt), 0);
                ck_assert_int_eq(model_account(&m, &t, price, &b), 0);
                ck_assert(!b.liquidatable);
                ck_assert_int_eq(u256_add(&t.debt[0].amount, t.debt[0].amount,
                                          u256_from_u64(1)),
                                 0);
                ck_assert_int_eq(model_account(&m, &t, price, &b), 0);
                ck_assert(b.liquidatable);
            }
        }
    }
    printf("liquity: %u cases, %u liquidatable, %u redistributed, %u with "
           "a surplus\n",
           CASES, liquidatable, redistributed, surplus);
    ck_assert_uint_gt(liquidatable, CASES / 20);
    ck_assert_uint_gt(redistributed, CASES / 20);
    ck_assert_uint_gt(surplus, CASES / 20);
}
END_TEST

static Suite *
liquity_suite(void)
{
    Suite *s = suite_create("liquity-prop");
    TCase *tc = tcase_create("core");

    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, prop_liquity);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    return test_run(liquity_suite());
}
