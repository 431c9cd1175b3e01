/*
 * prop_euler.c: properties of the euler-v2 model over random controller
 * vaults (liquidation LTVs, some ramping; max discounts 0 to 0.3; share
 * totals away from one share an asset; socialization on or off) and
 * positions around health 1 (seed printed; LIQ_SEED=N repeats a run):
 *   - the least repay to a target is the global least, against an
 *     exhaustive scan of every repay from 0 to the debt (as prop_target.c
 *     does for the other models), and the least plain repay and deposit
 *     reach while one raw unit less does not;
 *   - health never rises when a collateral price falls;
 *   - no accepted call seizes more shares than held or repays more than
 *     max_repay, which is at most the debt;
 *   - the liquidation price round-trips (liquidatable at it, not one base
 *     unit above);
 *   - rounding favours the protocol where EVK's does: collateral is never
 *     credited above its exact worth, the yield of a partial call is
 *     never above its exact pro-rata share of maxYield, a deposit's
 *     shares are never worth more than the deposit, and health is never
 *     above the exact ratio.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/liq.h"
#include "core/liqprice.h"
#include "core/model.h"
#include "core/preview.h"
#include "tests/common/testutil.h"

#define T0 1764680000

struct world {
    struct market m;
    struct position p;
    struct u256 price[MARKET_ASSETS_MAX];
};

/* Asset 2 the debt (a few thousand raw units worth 300 to 8,000 base-unit
 * wholes), assets 0 and 1 collateral vaults whose raw unit is worth 0.3
 * to 30 raw units of debt, so the seized shares move in wide teeth. */
static void
world_make(struct world *w, uint64_t *st)
{
    static const uint8_t cdecs[] = {0, 1, 2};
    uint64_t per[3], debt_value, d, weighted = 0, hf_milli;

    memset(w, 0, sizeof(*w));
    strcpy(w->m.id, "m");
    w->m.model = MODEL_EULER_V2;
    w->m.base_decimals = 8;
    w->m.as_of = T0;
    w->m.nassets = 3;
    w->m.euler.max_discount = test_rand_range(st, 0, 3000);
    w->m.euler.no_socialize = test_rand(st) % 4 == 0;
    w->m.euler.collateral = 3;
    for (int i = 0; i < 3; i++) {
        struct asset *a = &w->m.assets[i];

        a->sym = (uint32_t)i;
        a->decimals = i < 2 ? cdecs[test_rand(st) % 3] : 6;
        if (i == 2)
            break;
        a->lt = test_rand_range(st, 5000, 9500);
        a->ltv = a->lt / 2;
        if (test_rand(st) % 3 == 0) {
            /* ramping down from up to 0.2 more, part way through */
            w->m.euler.ramp_from[i] = a->lt + test_rand_range(st, 1, 500);
            w->m.euler.ramp_duration[i] =
                (uint32_t)test_rand_range(st, 1, 86400);
            w->m.euler.ramp_start[i] =
                T0 - (int64_t)test_rand_range(st, 0, 86400);
        }
        if (test_rand(st) % 2 == 0) {
            /* 1e6 virtual: totals of this size move the rate */
            uint64_t ts = test_rand_range(st, 1000, 100000000);

            w->m.euler.total_shares[i] = u256_from_u64(ts);
            w->m.euler.total_assets[i] =
                u256_from_u64(ts / 100 * test_rand_range(st, 100, 300));
        }
    }
    d = test_rand_range(st, 50, 2500);
    debt_value = test_rand_range(st, 300, 8000) * 100000000ULL;
    per[2] = debt_value / d;
    per[0] = per[2] * test_rand_range(st, 30, 3000) / 100 + 1;
    per[1] = per[2] * test_rand_range(st, 30, 3000) / 100 + 1;
    for (int i = 0; i < 3; i++)
        (void)u256_mul(&w->price[i], u256_from_u64(per[i]),
                       u256_exp10(w->m.assets[i].decimals));
    if (test_rand(st) % 20 == 0) /* worthless: taken for a repay of 0 */
        w->price[0] = u256_zero();
    w->p.id = "p";
    w->p.label = "";
    w->p.ndebt = 1;
    w->p.debt[0] = (struct leg){2, u256_from_u64(d)};
    w->p.ncoll = (uint8_t)(test_rand(st) % 3 == 0 ? 2 : 1);
    /* collateral (in shares, about one a raw asset unit) for health in
     * [0.75, 1.05] */
    hf_milli = test_rand_range(st, 750, 1050);
    if (w->p.ncoll == 2) {
        uint64_t v = debt_value / test_rand_range(st, 3, 20);

        w->p.coll[1] = (struct leg){1, u256_from_u64(v / per[1] + 1)};
        weighted = v / 10000 * w->m.assets[1].lt;
    }
    {
        uint64_t need = debt_value / 1000 * hf_milli;
        uint64_t v =
            need > weighted ? (need - weighted) / w->m.assets[0].lt * 10000 : 0;

        w->p.coll[0] = (struct leg){0, u256_from_u64(v / per[0] + 1)};
    }
}

static bool
call_ok(const struct world *w, const struct preview *pv, struct u256 x,
        struct liq_result *out)
{
    struct liq_call c = {
        .debt = pv->debt, .coll = pv->coll, .max = false, .repay = x};

    ck_assert_int_eq(model_liquidate(&w->m, &w->p, w->price, &c, out), 0);
    return out->revert == REVERT_NONE && u256_le(pv->target_hf, out->hf_after);
}

START_TEST(prop_least_repay_is_global)
{
    uint64_t st = test_seed();
    int reached = 0, no_debt = 0, zero = 0;

    for (int n = 0; n < 300; n++) {
        struct world w;
        struct preview_req req = {.debt = -1, .coll = -1, .has_target = true};
        struct preview pv;
        struct u256 best = u256_zero(), best_seized = u256_zero();
        bool found = false;

        world_make(&w, &st);
        req.target_hf =
            u256_from_u64(test_rand_range(&st, 950, 1300) * (WAD / 1000));
        ck_assert_int_eq(preview_compute(&w.m, &w.p, w.price, &req, &pv), 0);
        if (u256_le(pv.target_hf, pv.before.hf)) {
            ck_assert(!pv.has_to_target);
            continue;
        }
        for (uint64_t x = 0; x <= u256_to_u64(w.p.debt[0].amount); x++) {
            struct liq_result r;

            if (!call_ok(&w, &pv, u256_from_u64(x), &r))
                continue;
            if (!found || u256_lt(r.repay, best)) {
                best = r.repay;
                best_seized = r.seized;
            }
            found = true;
        }
        ck_assert_msg(found == pv.has_to_target,
                      "case %d: scan %s, preview %s (reason %d)", n,
                      found ? test_u256_str(best) : "none",
                      pv.has_to_target ? test_u256_str(pv.repay_to_target)
                                       : "none",
                      pv.reason);
        if (!found)
            continue;
        ck_assert_msg(u256_eq(pv.repay_to_target, best) &&
                          u256_eq(pv.collateral_to_target, best_seized),
                      "case %d: scan %s seizing %s, preview %s seizing %s", n,
                      test_u256_str(best), test_u256_str(best_seized),
                      test_u256_str(pv.repay_to_target),
                      test_u256_str(pv.collateral_to_target));
        if (pv.to_target_no_debt)
            no_debt++;
        if (u256_is_zero(best))
            zero++;
        reached++;
    }
    fprintf(stderr,
            "euler least repay: %d reached (%d leave no debt, %d by a "
            "repay of 0)\n",
            reached, no_debt, zero);
    ck_assert_int_gt(reached, 60);
}
END_TEST

/* Repaying, or depositing (assets, minted into shares as EVK does), x of
 * one leg alone leaves health >= target. */
static bool
plain_reaches(const struct world *w, struct u256 target, int leg, bool deposit,
              struct u256 x)
{
    struct position q = w->p;
    struct account a;
    struct leg *l = deposit ? &q.coll[leg] : &q.debt[leg];

    if (model_apply(&w->m, l->asset, !deposit, l->amount, x, &l->amount) != 0 ||
        model_account(&w->m, &q, w->price, &a) != 0)
        return false;
    return !a.has_debt || u256_le(target, a.hf);
}

START_TEST(prop_least_avoid)
{
    uint64_t st = test_seed();
    int checked = 0;

    for (int n = 0; n < 400; n++) {
        struct world w;
        struct preview_req req = {.debt = -1, .coll = -1, .has_target = true};
        struct preview pv;
        struct u256 one = u256_from_u64(1), less;

        world_make(&w, &st);
        req.target_hf = u256_from_u64(WAD + test_rand_range(&st, 0, WAD / 5));
        ck_assert_int_eq(preview_compute(&w.m, &w.p, w.price, &req, &pv), 0);
        for (int i = 0; i < w.p.ncoll + 1; i++) {
            bool deposit = i < w.p.ncoll;
            const struct preview_avoid *av =
                deposit ? &pv.avoid_deposit[i] : &pv.avoid_repay[0];

            if (!av->exists || u256_is_zero(av->amount))
                continue;
            ck_assert(plain_reaches(&w, req.target_hf, deposit ? i : 0, deposit,
                                    av->amount));
            (void)u256_sub(&less, av->amount, one);
            ck_assert_msg(!plain_reaches(&w, req.target_hf, deposit ? i : 0,
                                         deposit, less),
                          "case %d: %s %s reaches too", n,
                          deposit ? "deposit" : "repay", test_u256_str(less));
            checked++;
        }
    }
    ck_assert_int_gt(checked, 200);
}
END_TEST

START_TEST(prop_health_falls_with_price)
{
    uint64_t st = test_seed();

    for (int n = 0; n < 3000; n++) {
        struct world w;
        struct account a, b;
        uint8_t asset;

        world_make(&w, &st);
        asset = w.p.coll[test_rand(&st) % w.p.ncoll].asset;
        ck_assert_int_eq(model_account(&w.m, &w.p, w.price, &a), 0);
        (void)u256_muldiv(&w.price[asset], w.price[asset],
                          u256_from_u64(test_rand_range(&st, 0, 999)),
                          u256_from_u64(1000), U256_FLOOR);
        ck_assert_int_eq(model_account(&w.m, &w.p, w.price, &b), 0);
        ck_assert_msg(u256_le(b.hf, a.hf), "case %d: health rose %s -> %s", n,
                      test_u256_str(a.hf), test_u256_str(b.hf));
        ck_assert(!a.liquidatable || b.liquidatable);
    }
}
END_TEST

START_TEST(prop_never_seizes_more_than_held)
{
    uint64_t st = test_seed();
    int accepted = 0;

    for (int n = 0; n < 3000; n++) {
        struct world w;
        struct liq_call c = {.debt = 0};
        struct liq_result r;

        world_make(&w, &st);
        c.coll = (uint8_t)(test_rand(&st) % w.p.ncoll);
        c.max = test_rand(&st) % 2 == 0;
        (void)u256_muldiv(&c.repay, w.p.debt[0].amount,
                          u256_from_u64(test_rand_range(&st, 0, 1000)),
                          u256_from_u64(1000), U256_FLOOR);
        ck_assert_int_eq(model_liquidate(&w.m, &w.p, w.price, &c, &r), 0);
        ck_assert(u256_le(r.max_repay, w.p.debt[0].amount));
        ck_assert(u256_le(r.seized, w.p.coll[c.coll].amount));
        if (r.revert != REVERT_NONE)
            continue;
        accepted++;
        ck_assert(u256_le(r.repay, r.max_repay));
        ck_assert(u256_le(r.bonus, r.seized) && u256_is_zero(r.fee));
        ck_assert(u256_eq(r.to_liquidator, r.seized));
    }
    ck_assert_int_gt(accepted, 500);
}
END_TEST

START_TEST(prop_liquidation_price_round_trips)
{
    uint64_t st = test_seed();
    int found = 0;

    for (int n = 0; n < 2000; n++) {
        struct world w;
        struct u256 lp, at[MARKET_ASSETS_MAX];
        struct account a;
        bool exists;
        uint8_t asset;

        world_make(&w, &st);
        asset = w.p.coll[test_rand(&st) % w.p.ncoll].asset;
        ck_assert_int_eq(
            liqprice_compute(&w.m, &w.p, w.price, asset, &exists, &lp), 0);
        if (!exists)
            continue;
        found++;
        memcpy(at, w.price, sizeof(at));
        at[asset] = lp;
        ck_assert_int_eq(model_account(&w.m, &w.p, at, &a), 0);
        ck_assert_msg(a.liquidatable, "case %d: not liquidatable at %s", n,
                      test_u256_str(lp));
        ck_assert_int_eq(u256_add(&at[asset], lp, u256_from_u64(1)), 0);
        ck_assert_int_eq(model_account(&w.m, &w.p, at, &a), 0);
        ck_assert_msg(!a.liquidatable, "case %d: still liquidatable above %s",
                      n, test_u256_str(lp));
    }
    ck_assert_int_gt(found, 500);
}
END_TEST

/* a x b <= c x d, exactly (all below 2^128 here). */
static bool
prod_le(struct u256 a, struct u256 b, struct u256 c, struct u256 d)
{
    struct u256 l, r;

    ck_assert_int_eq(u256_mul(&l, a, b), 0);
    ck_assert_int_eq(u256_mul(&r, c, d), 0);
    return u256_le(l, r);
}

START_TEST(prop_rounding_favours_protocol)
{
    uint64_t st = test_seed();

    for (int n = 0; n < 3000; n++) {
        struct world w;
        struct account a;
        struct liq_call c = {.debt = 0, .coll = 0, .max = true};
        struct liq_result mx, r;
        const struct leg *cl;
        struct u256 v, ta, ts, scale, wsum = u256_zero(), dv, shares, back;

        world_make(&w, &st);
        ck_assert_int_eq(model_account(&w.m, &w.p, w.price, &a), 0);
        /* collateral value <= exact shares x TA' / TS' x price / 10^dec,
         * checked per leg as value x TS' x 10^dec <= shares x TA' x price;
         * the weighted sum likewise for health. */
        for (int i = 0; i < w.p.ncoll; i++) {
            struct u256 lhs, rhs, t;
            uint8_t k;

            cl = &w.p.coll[i];
            k = cl->asset;
            (void)u256_add(&ta, w.m.euler.total_assets[k],
                           u256_from_u64(1000000));
            (void)u256_add(&ts, w.m.euler.total_shares[k],
                           u256_from_u64(1000000));
            scale = u256_exp10(w.m.assets[k].decimals);
            (void)u256_muldiv(&t, cl->amount, ta, ts, U256_FLOOR);
            (void)u256_muldiv(&v, t, w.price[k], scale, U256_FLOOR);
            (void)u256_mul(&lhs, v, ts);
            (void)u256_mul(&lhs, lhs, scale);
            (void)u256_mul(&rhs, cl->amount, ta);
            (void)u256_mul(&rhs, rhs, w.price[k]);
            ck_assert(u256_le(lhs, rhs));
            (void)u256_muldiv(&t, v, u256_from_u64(w.m.assets[k].lt),
                              u256_from_u64(10000), U256_FLOOR);
            (void)u256_add(&wsum, wsum, t);
            /* a deposit's shares are worth no more than it */
            ck_assert_int_eq(
                model_apply(&w.m, k, false, u256_zero(), cl->amount, &shares),
                0);
            (void)u256_muldiv(&back, shares, ta, ts, U256_FLOOR);
            ck_assert(u256_le(back, cl->amount));
        }
        /* health <= exact weighted / debt value (ramps off: lt is the LTV) */
        (void)u256_muldiv(&dv, w.p.debt[0].amount, w.price[2],
                          u256_exp10(w.m.assets[2].decimals), U256_FLOOR);
        if (w.m.euler.ramp_duration[0] == 0 && w.m.euler.ramp_duration[1] == 0)
            ck_assert(prod_le(a.hf, dv, u256_from_u64(WAD), wsum));
        /* a partial call's yield <= exact repay x maxYield / maxRepay */
        ck_assert_int_eq(model_liquidate(&w.m, &w.p, w.price, &c, &mx), 0);
        if (mx.revert != REVERT_NONE || u256_is_zero(mx.max_repay))
            continue;
        c.max = false;
        c.repay =
            u256_from_u64(test_rand_range(&st, 1, u256_to_u64(mx.max_repay)));
        ck_assert_int_eq(model_liquidate(&w.m, &w.p, w.price, &c, &r), 0);
        ck_assert_int_eq(r.revert, REVERT_NONE);
        ck_assert(prod_le(r.seized, mx.max_repay, c.repay, mx.seized));
        c.max = true;
    }
}
END_TEST

static Suite *
euler_suite(void)
{
    Suite *s = suite_create("euler-v2 properties");
    TCase *tc = tcase_create("prop");

    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, prop_least_repay_is_global);
    tcase_add_test(tc, prop_least_avoid);
    tcase_add_test(tc, prop_health_falls_with_price);
    tcase_add_test(tc, prop_never_seizes_more_than_held);
    tcase_add_test(tc, prop_liquidation_price_round_trips);
    tcase_add_test(tc, prop_rounding_favours_protocol);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    return test_run(euler_suite());
}
