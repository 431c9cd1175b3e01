/*
 * prop_aave3_state.c: properties of Aave v3 positions with on-chain state
 * (design.md 3.1) over random versions and spark, eMode categories, disabled
 * collaterals, interest indexes and scaled legs (seed printed; LIQ_SEED=N
 * repeats a run):
 *   - health never rises when a debt index grows, never falls when a
 *     liquidity index grows (from 3.5, or with one collateral: to 3.4 the
 *     truncated average threshold can make more collateral of a lower
 *     threshold lower the health factor by a unit of the average);
 *   - the least repay to a target, the least repayment and the least
 *     deposit stay least: the amount reaches the target, one raw unit
 *     less does not (repayments and deposits as the contract mints and
 *     burns them, model_apply);
 *   - the 128-bit twins give the sums of the general path on a view
 *     without scaled legs, and decline a scaled leg.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "core/liq.h"
#include "core/model.h"
#include "core/model_aave.h"
#include "core/preview.h"
#include "tests/common/testutil.h"

struct world {
    struct market base;
    struct market m; /* the position's view of base */
    struct position p;
    struct u256 price[MARKET_ASSETS_MAX];
};

/* A RAY index in [1, 2): 1 + a random fraction of 27 places. */
static struct u256
rand_index(uint64_t *st)
{
    struct u256 f, r;

    (void)u256_mul(&f, u256_from_u64(test_rand(st) % 1000000000000000000ULL),
                   u256_from_u64(test_rand(st) % 1000000000ULL));
    (void)u256_add(&r, u256_exp10(27), f);
    return r;
}

/* A random aave-v3 market of four assets with one eMode category over
 * assets 0 and 2, a position with collateral among 0-1 and debt among
 * 2-3, and its view: eMode or not, scaled legs or not, its second
 * collateral disabled or not. */
static void
world_make(struct world *w, uint64_t *st)
{
    static const uint8_t decs[] = {0, 6, 8, 18};
    struct market_view v;
    struct market_emode *c;

    memset(w, 0, sizeof(*w));
    snprintf(w->base.id, sizeof(w->base.id), "m");
    /* 3.0 to 3.7, or spark (version 0, its own rule set) */
    w->base.version = (uint16_t)(300 + test_rand(st) % 9);
    w->base.model = w->base.version == 308 ? MODEL_SPARK : MODEL_AAVE_V3;
    if (w->base.model == MODEL_SPARK)
        w->base.version = 0;
    w->base.base_decimals = 8;
    w->base.nassets = 4;
    for (int i = 0; i < 4; i++) {
        struct asset *a = &w->base.assets[i];

        a->sym = (uint32_t)i;
        a->decimals = decs[test_rand(st) % 4];
        a->lt = 5000 + test_rand_range(st, 0, 3500);
        a->ltv = a->lt / 2;
        a->bonus = test_rand_range(st, 200, 1000);
        a->fee = test_rand_range(st, 0, 2000);
        a->lindex = rand_index(st);
        a->dindex = rand_index(st);
        a->emode = (uint8_t)(i == 0 || i == 2);
        w->price[i] =
            u256_from_u64(test_rand_range(st, 1000000, 1000000000000ULL));
    }
    w->base.nemodes = 1;
    c = &w->base.emodes[0];
    c->id = 1;
    c->lt = test_rand_range(st, 9000, 9700);
    c->ltv = c->lt - 200;
    c->bonus = test_rand_range(st, 100, 300);
    c->collateral = c->borrowable = 0x5u;
    w->p.id = "p";
    w->p.label = "";
    w->p.ncoll = (uint8_t)test_rand_range(st, 1, 2);
    w->p.ndebt = (uint8_t)test_rand_range(st, 1, 2);
    for (int i = 0; i < w->p.ncoll + w->p.ndebt; i++) {
        bool debt = i >= w->p.ncoll;
        uint8_t asset = (uint8_t)(debt ? 2 + i - w->p.ncoll : i);
        struct leg *l = debt ? &w->p.debt[i - w->p.ncoll] : &w->p.coll[i];
        struct u256 amt;

        (void)u256_muldiv(&amt,
                          u256_from_u64(test_rand_range(st, 1, 10000000000ULL)),
                          u256_exp10(w->base.assets[asset].decimals),
                          u256_from_u64(1000), U256_FLOOR);
        if (u256_is_zero(amt))
            amt = u256_from_u64(1);
        *l = (struct leg){asset, amt};
    }
    memset(&v, 0, sizeof v);
    v.emode = (uint8_t)(test_rand(st) % 2);
    v.coll_scaled = (uint32_t)(test_rand(st) % 4);
    v.debt_scaled = (uint32_t)(test_rand(st) % 4) << 2;
    if (w->p.ncoll == 2 && test_rand(st) % 4 == 0)
        v.coll_off = 0x2u;
    ck_assert_int_eq(model_aave3_view_make(&w->base, &v, &w->m), 0);
}

/* Scale the debt so that health lands in [0.80, 1.05]. */
static void
world_near(struct world *w, uint64_t *st)
{
    struct account a;
    struct u256 want =
        u256_from_u64(test_rand_range(st, 800, 1050) * (WAD / 1000));

    if (model_account(&w->m, &w->p, w->price, &a) != 0 || !a.has_debt ||
        u256_is_zero(a.hf))
        return;
    for (int i = 0; i < w->p.ndebt; i++) {
        struct u256 amt;

        if (u256_muldiv(&amt, w->p.debt[i].amount, a.hf, want, U256_FLOOR) ==
                0 &&
            !u256_is_zero(amt))
            w->p.debt[i].amount = amt;
    }
}

START_TEST(prop_health_and_indexes)
{
    uint64_t st = test_seed();
    int checked = 0;

    for (int n = 0; n < 2000; n++) {
        struct world w;
        struct market grown;
        struct account a, b;
        bool debt = test_rand(&st) % 2 == 0;

        world_make(&w, &st);
        if (!debt && !model_aave3_rules(&w.m)->value_v35)
            w.p.ncoll = 1;
        w.m.view.coll_scaled = 0x3u;
        w.m.view.debt_scaled = 0xcu;
        if (model_account(&w.m, &w.p, w.price, &a) != 0 || !a.has_debt)
            continue;
        grown = w.m;
        for (int i = 0; i < 4; i++) {
            struct u256 *x =
                debt ? &grown.assets[i].dindex : &grown.assets[i].lindex;
            struct u256 step = u256_from_u64(test_rand(&st) % 1000000000000ULL);

            if (test_rand(&st) % 4 == 0)
                (void)u256_mul(&step, step, u256_exp10(12));
            (void)u256_add(x, *x, step);
        }
        ck_assert_int_eq(model_account(&grown, &w.p, w.price, &b), 0);
        if (debt)
            ck_assert_msg(u256_le(b.hf, a.hf), "v%u: %s rose to %s",
                          w.m.version, test_u256_str(a.hf),
                          test_u256_str(b.hf));
        else
            ck_assert_msg(u256_le(a.hf, b.hf), "v%u: %s fell to %s",
                          w.m.version, test_u256_str(a.hf),
                          test_u256_str(b.hf));
        checked++;
    }
    fprintf(stderr, "health monotone: %d checked\n", checked);
    ck_assert_int_gt(checked, 1000);
}
END_TEST

static bool
call_reaches(const struct world *w, const struct preview *pv, struct u256 r)
{
    struct liq_call c = {
        .debt = pv->debt, .coll = pv->coll, .max = false, .repay = r};
    struct liq_result res;

    if (model_liquidate(&w->m, &w->p, w->price, &c, &res) != 0)
        return false;
    /* design.md 4.1: a call that leaves no debt (the rest written off
     * as bad debt) reaches every target */
    return res.revert == REVERT_NONE && u256_le(pv->target_hf, res.hf_after);
}

/* Repaying (depositing) x tokens of one leg as the contract stores it. */
static bool
plain_reaches(const struct world *w, const struct preview *pv, int leg,
              bool deposit, struct u256 x)
{
    struct position q = w->p;
    struct leg *l = deposit ? &q.coll[leg] : &q.debt[leg];
    struct account a;

    if (model_apply(&w->m, l->asset, !deposit, l->amount, x, &l->amount) != 0 ||
        model_account(&w->m, &q, w->price, &a) != 0)
        return false;
    return !a.has_debt || u256_le(pv->target_hf, a.hf);
}

START_TEST(prop_least_amounts_state)
{
    uint64_t st = test_seed();
    int checked_target = 0, checked_avoid = 0;

    for (int n = 0; n < 400; n++) {
        struct world w;
        struct preview_req req = {.debt = -1, .coll = -1};
        struct preview pv;
        struct u256 one = u256_from_u64(1), less;

        world_make(&w, &st);
        world_near(&w, &st);
        req.has_target = true;
        req.target_hf = u256_from_u64(WAD + test_rand_range(&st, 0, WAD / 5));
        ck_assert_int_eq(preview_compute(&w.m, &w.p, w.price, &req, &pv), 0);
        if (pv.has_to_target) {
            /* the call is made with its debt to cover (a capped call
             * repays less than it names) */
            ck_assert(call_reaches(&w, &pv, pv.cover_to_target));
            ck_assert_int_eq(u256_sub(&less, pv.repay_to_target, one), 0);
            /* Least where health after never rises as more collateral
             * goes: not with several collaterals before 3.5, whose
             * truncated average threshold can lift it by a hair (the
             * limit README states) */
            if (u256_eq(pv.cover_to_target, pv.repay_to_target) &&
                (w.p.ncoll == 1 || model_aave3_rules(&w.m)->value_v35))
                ck_assert(!call_reaches(&w, &pv, less));
            checked_target++;
        }
        for (int i = 0; i < w.p.ndebt; i++) {
            const struct preview_avoid *av = &pv.avoid_repay[i];

            if (!av->exists || u256_is_zero(av->amount))
                continue;
            ck_assert(plain_reaches(&w, &pv, i, false, av->amount));
            (void)u256_sub(&less, av->amount, one);
            ck_assert(!plain_reaches(&w, &pv, i, false, less));
            checked_avoid++;
        }
        for (int i = 0; i < w.p.ncoll; i++) {
            const struct preview_avoid *av = &pv.avoid_deposit[i];

            if (!av->exists || u256_is_zero(av->amount))
                continue;
            ck_assert(plain_reaches(&w, &pv, i, true, av->amount));
            (void)u256_sub(&less, av->amount, one);
            ck_assert(!plain_reaches(&w, &pv, i, true, less));
            checked_avoid++;
        }
    }
    fprintf(stderr, "least amounts: %d to target, %d avoid\n", checked_target,
            checked_avoid);
    ck_assert_int_gt(checked_target, 20);
    ck_assert_int_gt(checked_avoid, 100);
}
END_TEST

START_TEST(prop_twins_on_views)
{
    uint64_t st = test_seed();
    const struct model_ops *ops = model_get(MODEL_AAVE_V3);
    int served = 0;

    for (int n = 0; n < 2000; n++) {
        struct world w;

        world_make(&w, &st);
        for (int i = 0; i < w.p.ncoll + w.p.ndebt; i++) {
            bool debt = i >= w.p.ncoll;
            const struct leg *l =
                debt ? &w.p.debt[i - w.p.ncoll] : &w.p.coll[i];
            bool scaled =
                ((debt ? w.m.view.debt_scaled : w.m.view.coll_scaled) >>
                 l->asset) &
                1u;
            struct model_sums t;
            struct model_sums128 t128;
            u128 amt, price;

            if (!u256_to_u128(l->amount, &amt) ||
                !u256_to_u128(w.price[l->asset], &price))
                continue;
            ck_assert_int_eq(ops->term(&w.m, l->asset, debt, l->amount,
                                       w.price[l->asset], &t),
                             0);
            if (!ops->term128(&w.m, l->asset, debt, amt, price, &t128)) {
                ck_assert_msg(scaled, "a leg without an index was declined");
                continue;
            }
            ck_assert(!scaled);
            for (int k = 0; k < MODEL_SUMS; k++)
                TEST_U256_EQ(u256_from_u128(t128.s[k]), t.s[k]);
            served++;
        }
    }
    fprintf(stderr, "128-bit sums: %d served\n", served);
    ck_assert_int_gt(served, 1000);
}
END_TEST

static Suite *
state_suite(void)
{
    Suite *s = suite_create("aave3 state properties");
    TCase *tc = tcase_create("prop");

    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, prop_health_and_indexes);
    tcase_add_test(tc, prop_least_amounts_state);
    tcase_add_test(tc, prop_twins_on_views);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    return test_run(state_suite());
}
