/*
 * prop_morpho_pre.c: properties of morpho-pre over random PreLiquidation
 * parameters (within the constructor's checks), market states and
 * positions around the band (seed printed; LIQ_SEED=N repeats a run): the
 * linear schedule equals its parameters at the band's ends and stays
 * between them; no accepted call seizes more than the position holds,
 * burns more shares than wMulDown(borrowShares, preLCF) or than it holds,
 * or takes more than max_repay; the max call is within the cap; outside
 * the band no call is accepted unless the position is Morpho-liquidatable;
 * avoid's least repay and deposit leave the position healthy and out of
 * the band, one raw unit less does not; the pre-liquidation price is the
 * highest at which preLiquidate takes the position past PRE_LLTV.
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
#define E15 1000000000000000ULL

static uint64_t
rand_between(uint64_t *st, uint64_t lo, uint64_t hi)
{
    return test_rand_range(st, lo, hi);
}

static void
world(struct market *m, struct position *p, struct u256 *price, uint64_t *st)
{
    static const uint64_t lltvs[] = {385, 625, 770, 860, 915, 945, 965, 980};
    uint64_t lltv = lltvs[test_rand(st) % 8] * E15, max_lif, debt;
    struct market_pre *q = &m->pre;
    struct u256 t;

    memset(m, 0, sizeof(*m));
    strcpy(m->id, "m");
    m->model = MODEL_MORPHO_PRE;
    m->base_decimals = 8;
    m->as_of = T0;
    m->nassets = 2;
    m->assets[0] = (struct asset){.sym = 0, .decimals = 18, .lt = lltv};
    m->assets[1] =
        (struct asset){.sym = 1,
                       .decimals = (uint8_t)(test_rand(st) % 2 ? 6 : 18),
                       .lt = lltv};
    q->lltv = rand_between(st, lltv - 200 * E15, lltv - 1);
    q->lcf1 = rand_between(st, 0, 1000 * E15);
    q->lcf2 = rand_between(st, q->lcf1, 2000 * E15);
    max_lif = (uint64_t)(((u128)WAD * WAD) / lltv);
    q->lif1 = rand_between(st, WAD, max_lif);
    q->lif2 = rand_between(st, q->lif1, max_lif);
    if (test_rand(st) % 2) {
        q->has_oracle = true;
        q->oracle_price = u256_from_u64(rand_between(st, 1, 4000) * 1000000);
        (void)u256_mul(&q->oracle_price, q->oracle_price, u256_exp10(18));
    }
    price[0] = u256_from_u64(rand_between(st, 1000, 4000) * 100000000ULL);
    price[1] = u256_from_u64(100000000);
    debt = rand_between(st, 1000, 1000000000) *
           (m->assets[1].decimals == 6 ? 1000000ULL : 1000000000000ULL);
    if (test_rand(st) % 2) {
        m->morpho.has_state = true;
        m->morpho.last_update = T0;
        m->morpho.borrow_assets = u256_from_u64(debt);
        (void)u256_mul(&t, m->morpho.borrow_assets,
                       u256_from_u64(rand_between(st, 1, 2000000)));
        (void)u256_add(&m->morpho.borrow_shares, t,
                       u256_from_u64(test_rand(st) % 1000000));
        m->morpho.supply_assets = m->morpho.borrow_assets;
        m->morpho.supply_shares = m->morpho.borrow_shares;
        ck_assert_int_eq(model_morpho_accrue(m), 0);
    }
    memset(p, 0, sizeof(*p));
    p->id = "p";
    p->label = "";
    p->ncoll = 1;
    p->ndebt = 1;
    p->debt[0].asset = 1;
    p->debt[0].amount =
        m->morpho.has_state ? m->morpho.borrow_shares : u256_from_u64(debt);
    /* Collateral worth the debt over an LTV drawn around the band:
     * debt / price_loan * price_coll at [pre_lltv - 5 %, LLTV + 5 %]. */
    {
        uint64_t ltv_milli =
            rand_between(st, q->lltv / E15 - 50, lltv / E15 + 50);
        struct u256 c, den;

        /* coll = debt * 10^(18 - loan_dec) * p_loan / p_coll * 1000 / ltv */
        (void)u256_mul(&c, u256_from_u64(debt),
                       u256_exp10(18u - m->assets[1].decimals));
        (void)u256_mul(&den, price[0], u256_from_u64(ltv_milli));
        (void)u256_muldiv(&c, c, u256_from_u64(1000 * 100000000ULL), den,
                          U256_FLOOR);
        p->coll[0] = (struct leg){.asset = 0, .amount = c};
    }
}

static struct u256
plain_shares(struct u256 v)
{
    (void)u256_mul(&v, v, u256_from_u64(1000000));
    return v;
}

/* The schedule at pre_lltv is (lcf1, lif1), at LLTV (lcf2, lif2), and in
 * between within them, never below pre_lltv. */
START_TEST(prop_schedule_ends)
{
    uint64_t st = test_seed();

    for (int i = 0; i < 2000; i++) {
        struct market m;
        struct position p;
        struct u256 price[2], lcf, lif, ltv;
        const struct market_pre *q = &m.pre;

        world(&m, &p, price, &st);
        ck_assert_int_eq(
            model_morpho_pre_schedule(&m, u256_from_u64(q->lltv), &lcf, &lif),
            0);
        TEST_U256_EQ(lcf, u256_from_u64(q->lcf1));
        TEST_U256_EQ(lif, u256_from_u64(q->lif1));
        ck_assert_int_eq(model_morpho_pre_schedule(
                             &m, u256_from_u64(m.assets[0].lt), &lcf, &lif),
                         0);
        TEST_U256_EQ(lcf, u256_from_u64(q->lcf2));
        TEST_U256_EQ(lif, u256_from_u64(q->lif2));
        ltv = u256_from_u64(test_rand_range(&st, q->lltv, m.assets[0].lt));
        ck_assert_int_eq(model_morpho_pre_schedule(&m, ltv, &lcf, &lif), 0);
        ck_assert(u256_le(u256_from_u64(q->lcf1), lcf) &&
                  u256_le(lcf, u256_from_u64(q->lcf2)));
        ck_assert(u256_le(u256_from_u64(q->lif1), lif) &&
                  u256_le(lif, u256_from_u64(q->lif2)));
        ck_assert_int_eq(model_morpho_pre_schedule(
                             &m, u256_from_u64(q->lltv - 1), &lcf, &lif),
                         LIQ_ERANGE);
    }
}
END_TEST

/* What an accepted call does stays within what the contract allows. */
static void
check_call(const struct market *m, const struct position *p,
           const struct u256 *price, const struct liq_call *c,
           const struct liq_result *r, bool band, bool liquidatable)
{
    struct u256 cap;

    if (r->revert != REVERT_NONE)
        return;
    ck_assert_msg(band || liquidatable, "accepted outside the band");
    ck_assert(u256_le(r->seized, p->coll[0].amount));
    if (liquidatable)
        return;
    (void)u256_muldiv(&cap,
                      m->morpho.has_state ? p->debt[0].amount
                                          : plain_shares(p->debt[0].amount),
                      r->close_factor, u256_from_u64(WAD), U256_FLOOR);
    ck_assert_msg(u256_le(r->repaid_shares, cap), "shares %s above the cap",
                  test_u256_str(r->repaid_shares));
    ck_assert(u256_le(r->repay, r->max_repay));
    (void)price;
    (void)c;
}

START_TEST(prop_calls_within_cap)
{
    uint64_t st = test_seed();
    unsigned accepted = 0, inband = 0;

    for (int i = 0; i < 3000; i++) {
        struct market m;
        struct position p;
        struct u256 price[2];
        struct model_morpho_pre_band b;
        struct account a;
        struct liq_result r;
        struct liq_call c = {.max = true};

        world(&m, &p, price, &st);
        ck_assert_int_eq(model_morpho_pre_band(&m, &p, price, &b), 0);
        ck_assert_int_eq(model_account(&m, &p, price, &a), 0);
        ck_assert_int_eq(model_liquidate(&m, &p, price, &c, &r), 0);
        inband += b.pre_liquidatable;
        if (!b.pre_liquidatable && !a.liquidatable)
            ck_assert(u256_is_zero(r.max_repay));
        check_call(&m, &p, price, &c, &r, b.pre_liquidatable, a.liquidatable);
        accepted += r.revert == REVERT_NONE;
        for (int k = 0; k < 4; k++) {
            struct u256 x;

            c.max = false;
            c.seize = k % 2 == 1;
            (void)u256_muldiv(&x, k % 2 ? p.coll[0].amount : r.max_repay,
                              u256_from_u64(test_rand_range(&st, 1, 1200)),
                              u256_from_u64(1000), U256_FLOOR);
            c.repay = x;
            c.seized = x;
            ck_assert_int_eq(model_liquidate(&m, &p, price, &c, &r), 0);
            check_call(&m, &p, price, &c, &r, b.pre_liquidatable,
                       a.liquidatable);
            accepted += r.revert == REVERT_NONE;
        }
    }
    fprintf(stderr, "calls within cap: %u inband, %u accepted\n", inband,
            accepted);
    ck_assert_uint_gt(inband, 100);
    ck_assert_uint_gt(accepted, 100);
}
END_TEST

/*
 * In the band, repay_to_target (design.md 4.1) is a call the contract
 * accepts that reaches the target, and one raw unit less does not (reverts
 * or falls short); an accepted call below it that reaches is searched for
 * by sampling.
 */
START_TEST(prop_repay_to_target)
{
    uint64_t st = test_seed();
    unsigned reached = 0;

    for (int i = 0; i < 1500; i++) {
        struct market m;
        struct position p;
        struct u256 price[2];
        struct model_morpho_pre_band b;
        struct account a;
        struct preview pv;
        struct preview_req req = {.debt = -1, .coll = -1, .has_target = true};
        struct liq_call c = {0};
        struct liq_result r;

        world(&m, &p, price, &st);
        ck_assert_int_eq(model_morpho_pre_band(&m, &p, price, &b), 0);
        ck_assert_int_eq(model_account(&m, &p, price, &a), 0);
        if (!b.pre_liquidatable)
            continue;
        req.target_hf =
            u256_from_u64(a.hf.w[0] + test_rand_range(&st, 1, 3) * (WAD / 100));
        ck_assert_int_eq(preview_compute(&m, &p, price, &req, &pv), 0);
        if (!pv.has_to_target)
            continue;
        reached++;
        c.repay = pv.repay_to_target;
        ck_assert_int_eq(model_liquidate(&m, &p, price, &c, &r), 0);
        ck_assert_int_eq(r.revert, REVERT_NONE);
        ck_assert(u256_le(req.target_hf, r.hf_after));
        if (u256_is_zero(pv.repay_to_target))
            continue;
        (void)u256_sub(&c.repay, pv.repay_to_target, u256_from_u64(1));
        ck_assert_int_eq(model_liquidate(&m, &p, price, &c, &r), 0);
        ck_assert(r.revert != REVERT_NONE ||
                  u256_lt(r.hf_after, req.target_hf));
        for (int k = 0; k < 20; k++) {
            (void)u256_muldiv(&c.repay, pv.repay_to_target,
                              u256_from_u64(test_rand_range(&st, 0, 999)),
                              u256_from_u64(1000), U256_FLOOR);
            ck_assert_int_eq(model_liquidate(&m, &p, price, &c, &r), 0);
            ck_assert_msg(r.revert != REVERT_NONE ||
                              u256_lt(r.hf_after, req.target_hf),
                          "a smaller repay %s reaches", test_u256_str(c.repay));
        }
    }
    fprintf(stderr, "repay to target: %u reached\n", reached);
    ck_assert_uint_gt(reached, 20);
}
END_TEST

/* After p repays `repay` (no-state markets: one borrower, the totals his
 * own) or deposits `deposit` of collateral: 1 when healthy by Morpho's
 * test and preLiquidate refuses it as not pre-liquidatable (at or below
 * PRE_LLTV), 0 otherwise. Judged by account and liquidate, not by the
 * solver's own predicate. */
static int
clear_after(const struct market *m, const struct position *p,
            const struct u256 *price, struct u256 repay, struct u256 deposit)
{
    struct position q = *p;
    struct account a;
    struct liq_call c = {.max = true};
    struct liq_result r;

    ck_assert_int_eq(u256_sub(&q.debt[0].amount, q.debt[0].amount, repay), 0);
    ck_assert_int_eq(u256_add(&q.coll[0].amount, q.coll[0].amount, deposit), 0);
    if (u256_is_zero(q.debt[0].amount))
        return 1;
    ck_assert_int_eq(model_account(m, &q, price, &a), 0);
    if (a.liquidatable || u256_lt(a.hf, u256_from_u64(WAD)))
        return 0;
    ck_assert_int_eq(model_liquidate(m, &q, price, &c, &r), 0);
    return r.revert == REVERT_NOT_PRE_LIQUIDATABLE;
}

/* avoid on morpho-pre: the least repay (markets without state) and the
 * least deposit that leave the position healthy and out of the band, one
 * raw unit less does not; positions in the band need more than health
 * alone asks. */
START_TEST(prop_avoid_leaves_band)
{
    uint64_t st = test_seed();
    unsigned repays = 0, deposits = 0, more = 0;

    for (int i = 0; i < 1500; i++) {
        struct market m;
        struct position p;
        struct u256 price[2], less;
        struct model_morpho_pre_band b;
        struct preview pv;
        struct preview_req req = {.debt = -1, .coll = -1};
        const struct preview_avoid *ar = &pv.avoid_repay[0];
        const struct preview_avoid *ad = &pv.avoid_deposit[0];

        world(&m, &p, price, &st);
        ck_assert_int_eq(model_morpho_pre_band(&m, &p, price, &b), 0);
        ck_assert_int_eq(preview_compute(&m, &p, price, &req, &pv), 0);
        if (ad->exists) {
            deposits++;
            ck_assert(clear_after(&m, &p, price, u256_zero(), ad->amount));
            if (!u256_is_zero(ad->amount)) {
                (void)u256_sub(&less, ad->amount, u256_from_u64(1));
                ck_assert_msg(!clear_after(&m, &p, price, u256_zero(), less),
                              "a deposit of %s leaves the band",
                              test_u256_str(less));
            }
        }
        if (!m.morpho.has_state && ar->exists) {
            repays++;
            ck_assert(clear_after(&m, &p, price, ar->amount, u256_zero()));
            if (!u256_is_zero(ar->amount)) {
                (void)u256_sub(&less, ar->amount, u256_from_u64(1));
                ck_assert_msg(!clear_after(&m, &p, price, less, u256_zero()),
                              "a repay of %s leaves the band",
                              test_u256_str(less));
            }
            if (b.pre_liquidatable && !u256_is_zero(ar->amount))
                more++;
        }
    }
    fprintf(stderr, "avoid: %u repays, %u deposits, %u more\n", repays,
            deposits, more);
    ck_assert_uint_gt(repays, 100);
    ck_assert_uint_gt(deposits, 100);
    ck_assert_uint_gt(more, 20);
}
END_TEST

/* Whether preLiquidate, at the collateral price x, takes p as past
 * PRE_LLTV (anything but NotPreLiquidatablePosition). */
static bool
past_at(const struct market *m, const struct position *p,
        const struct u256 *price, struct u256 x)
{
    struct u256 q[2] = {x, price[1]};
    struct liq_call c = {.max = true};
    struct liq_result r;

    ck_assert_int_eq(model_liquidate(m, p, q, &c, &r), 0);
    return r.revert != REVERT_NOT_PRE_LIQUIDATABLE;
}

/* The pre-liquidation price: past PRE_LLTV at it, not one base unit
 * above; none where the pre-liquidation oracle has its own price. */
START_TEST(prop_pre_price)
{
    uint64_t st = test_seed();
    unsigned found = 0;

    for (int i = 0; i < 1500; i++) {
        struct market m;
        struct position p;
        struct u256 price[2], at, up;
        bool exists = false;

        world(&m, &p, price, &st);
        ck_assert_int_eq(model_morpho_pre_price(&m, &p, price, &exists, &at),
                         0);
        if (m.pre.has_oracle) {
            ck_assert(!exists);
            continue;
        }
        ck_assert(exists);
        found++;
        ck_assert_msg(past_at(&m, &p, price, at), "not past at %s",
                      test_u256_str(at));
        (void)u256_add(&up, at, u256_from_u64(1));
        ck_assert_msg(!past_at(&m, &p, price, up), "past at %s",
                      test_u256_str(up));
    }
    fprintf(stderr, "pre price: %u found\n", found);
    ck_assert_uint_gt(found, 300);
}
END_TEST

static Suite *
morpho_pre_suite(void)
{
    Suite *s = suite_create("morpho-pre-prop");
    TCase *tc = tcase_create("prop");

    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, prop_schedule_ends);
    tcase_add_test(tc, prop_calls_within_cap);
    tcase_add_test(tc, prop_repay_to_target);
    tcase_add_test(tc, prop_avoid_leaves_band);
    tcase_add_test(tc, prop_pre_price);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    return test_run(morpho_pre_suite());
}
