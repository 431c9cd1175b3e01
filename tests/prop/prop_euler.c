/*
 * prop_euler.c: properties of the euler-v2 model over random controller
 * vaults (liquidation LTVs, some ramping; max discounts 0 to 0.3; share
 * totals away from one share an asset; socialization on or off) and
 * positions around health 1 (seed printed; LIQ_SEED=N repeats a run):
 *   - the least repay to a target is the global least, against an
 *     exhaustive scan of every repay from 0 to the debt (as prop_target.c
 *     does for the other models), and the least plain repay and deposit
 *     reach while one raw unit less does not, the deposit judged on the
 *     vault after it as EVK's deposit leaves it (its share rate lifted by
 *     the mint's rounding);
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
#include "tests/common/scan.h"
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

/*
 * A world whose borrower holds most of each collateral vault: a raw
 * collateral unit worth 1e-5 to 1e-3 raw units of debt, so the legs hold
 * millions of shares, and a vault with totals has the borrower's shares
 * at a rate of 1 to 3 assets a share (no whole rate) with at most half
 * as many again held by others. There a deposit's rounding, which stays
 * in the vault, lifts the borrower's own assets by whole raw units.
 */
static void
world_make_big(struct world *w, uint64_t *st)
{
    world_make(w, st);
    for (int i = 0; i < w->p.ncoll; i++) {
        struct leg *l = &w->p.coll[i];
        uint8_t k = l->asset;
        uint64_t rate = test_rand_range(st, 101, 299), scale, shares, ts;

        if (rate % 100 == 0)
            rate++;
        /* each raw unit 1e-5 to 1e-3 of what it was worth: as many more
         * of them, at the price lowered as much */
        scale = test_rand_range(st, 1000, 100000);
        (void)u256_muldiv(&w->price[k], w->price[k], u256_from_u64(1),
                          u256_from_u64(scale), U256_FLOOR);
        if (u256_is_zero(w->price[k]))
            continue;
        shares = u256_to_u64(l->amount) * scale;
        if (u256_is_zero(w->m.euler.total_shares[k])) {
            l->amount = u256_from_u64(shares);
            continue;
        }
        shares = shares / rate * 100 + 1;
        ts = shares + test_rand_range(st, 0, shares / 2);
        l->amount = u256_from_u64(shares);
        w->m.euler.total_shares[k] = u256_from_u64(ts);
        w->m.euler.total_assets[k] =
            u256_from_u64(ts / 100 * rate + test_rand_range(st, 0, 99));
    }
}

START_TEST(prop_least_repay_is_global)
{
    uint64_t st = test_seed();

    for (int n = 0; n < 300; n++) {
        struct world w;
        struct preview_req req = {.debt = -1, .coll = -1, .has_target = true};
        struct preview pv;
        char what[32];

        world_make(&w, &st);
        req.target_hf =
            u256_from_u64(test_rand_range(&st, 950, 1300) * (WAD / 1000));
        ck_assert_int_eq(preview_compute(&w.m, &w.p, w.price, &req, &pv), 0);
        if (u256_le(pv.target_hf, pv.before.hf)) {
            ck_assert(!pv.has_to_target);
            continue;
        }
        snprintf(what, sizeof what, "case %d", n);
        (void)scan_least_repay(&w.m, &w.p, w.price, &pv, 0,
                               u256_to_u64(w.p.debt[0].amount), what);
    }
}
END_TEST

/*
 * Depositing x assets to collateral leg `leg` as EVK's Vault.deposit
 * does, written out here apart from the model's own path: toSharesDown
 * (x x (totalShares + 1e6) / (totalAssets + 1e6), floor) minted, none
 * being E_ZeroShares; then the vault holds x more assets and those
 * shares more, and the account (the liquidity check) is taken on the
 * vault after. Or repaying x of the debt: what is owed, less x.
 */
static bool
plain_reaches(const struct world *w, struct u256 target, int leg, bool deposit,
              struct u256 x)
{
    struct market m = w->m;
    struct position q = w->p;
    struct account a;

    if (deposit && !u256_is_zero(x)) {
        uint8_t k = q.coll[leg].asset;
        struct u256 ta, ts, shares, v = u256_from_u64(1000000);

        ck_assert_int_eq(u256_add(&ta, m.euler.total_assets[k], v), 0);
        ck_assert_int_eq(u256_add(&ts, m.euler.total_shares[k], v), 0);
        ck_assert_int_eq(u256_muldiv(&shares, x, ts, ta, U256_FLOOR), 0);
        if (u256_is_zero(shares))
            return false;
        ck_assert_int_eq(
            u256_add(&m.euler.total_assets[k], m.euler.total_assets[k], x), 0);
        ck_assert_int_eq(
            u256_add(&m.euler.total_shares[k], m.euler.total_shares[k], shares),
            0);
        ck_assert_int_eq(
            u256_add(&q.coll[leg].amount, q.coll[leg].amount, shares), 0);
    } else if (!deposit &&
               u256_sub(&q.debt[leg].amount, q.debt[leg].amount, x) != 0) {
        return false;
    }
    ck_assert_int_eq(model_account(&m, &q, w->price, &a), 0);
    return !a.has_debt || u256_le(target, a.hf);
}

/* The least plain repay and deposit: the answer reaches the target and
 * one raw unit less does not; below a small answer, no amount at all
 * does (health need not be scanned past that: a deposit only lifts the
 * share rate, so reaching is upward closed). */
START_TEST(prop_least_avoid)
{
    uint64_t st = test_seed();

    for (int n = 0; n < 400; n++) {
        struct world w;
        struct preview_req req = {.debt = -1, .coll = -1, .has_target = true};
        struct preview pv;
        struct u256 one = u256_from_u64(1), less;

        if (n % 2 == 0)
            world_make(&w, &st);
        else
            world_make_big(&w, &st);
        req.target_hf = u256_from_u64(WAD + test_rand_range(&st, 0, WAD / 5));
        ck_assert_int_eq(preview_compute(&w.m, &w.p, w.price, &req, &pv), 0);
        for (int i = 0; i < w.p.ncoll + 1; i++) {
            bool deposit = i < w.p.ncoll;
            int leg = deposit ? i : 0;
            const struct preview_avoid *av =
                deposit ? &pv.avoid_deposit[i] : &pv.avoid_repay[0];

            if (!av->exists) {
                /* none reaches: not even everything owed, or a large
                 * deposit */
                ck_assert(!plain_reaches(&w, req.target_hf, leg, deposit,
                                         deposit ? u256_from_u64(1ULL << 40)
                                                 : w.p.debt[0].amount));
                continue;
            }
            ck_assert_msg(
                plain_reaches(&w, req.target_hf, leg, deposit, av->amount),
                "case %d: %s %s does not reach", n,
                deposit ? "deposit" : "repay", test_u256_str(av->amount));
            if (u256_is_zero(av->amount))
                continue;
            (void)u256_sub(&less, av->amount, one);
            ck_assert_msg(!plain_reaches(&w, req.target_hf, leg, deposit, less),
                          "case %d: %s %s reaches too", n,
                          deposit ? "deposit" : "repay", test_u256_str(less));
            for (uint64_t x = 0;
                 u256_to_u64(av->amount) <= 1000 && x < u256_to_u64(av->amount);
                 x++)
                ck_assert_msg(!plain_reaches(&w, req.target_hf, leg, deposit,
                                             u256_from_u64(x)),
                              "case %d: %s %llu reaches, below %s", n,
                              deposit ? "deposit" : "repay",
                              (unsigned long long)x, test_u256_str(av->amount));
        }
    }
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
        ck_assert(u256_le(r.repay, r.max_repay));
        ck_assert(u256_le(r.bonus, r.seized) && u256_is_zero(r.fee));
        ck_assert(u256_eq(r.to_liquidator, r.seized));
    }
}
END_TEST

START_TEST(prop_liquidation_price_round_trips)
{
    uint64_t st = test_seed();

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
