/*
 * prop_aave4_state.c: properties of Aave v4 positions on the hub's stored
 * state (design.md 3.1): random drawn indexes, hub share prices and
 * premium debt on small positions (seed printed; LIQ_SEED=N repeats a
 * run):
 *   - the least repay to a target is the global least over every
 *     accepted call, against an exhaustive scan of debtToCover from 1 to
 *     the debt owed (as prop_target.c does for the simple form), and the
 *     call one raw unit smaller reverts or falls short;
 *   - the least plain repayment and deposit stay least: the amount
 *     reaches the target, one raw unit less does not (as the spoke burns
 *     them, premium first, and as Hub.add mints them, written out here:
 *     the hub's totals raised by the supply), also where the borrower
 *     holds most of the hub at a share price that is not whole, so that
 *     a supply's rounding lifts the borrower's own assets by raw units;
 *   - health never rises when a drawn index grows, nor when the premium
 *     grows.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "core/liq.h"
#include "core/model.h"
#include "core/model_aave.h"
#include "core/preview.h"
#include "tests/common/scan.h"
#include "tests/common/testutil.h"

struct world {
    struct market m;
    struct position p;
    struct u256 price[MARKET_ASSETS_MAX];
};

/* A RAY in [1, 1 + span / 1000): 1 plus a random fraction. */
static struct u256
rand_ray(uint64_t *st, uint64_t span)
{
    struct u256 f, r;

    (void)u256_mul(&f, u256_from_u64(test_rand(st) % (span * 1000000000ULL)),
                   u256_from_u64(1000000000000000ULL + test_rand(st) % 1000));
    (void)u256_add(&r, u256_exp10(27), f);
    return r;
}

/*
 * Assets 0-1 collateral (0 to 2 decimals), 2-3 debt (0 to 6 decimals);
 * a debt of 50 to 2,500 raw units worth 300 to 8,000 base units, a raw
 * unit of collateral worth 0.3 to 30 raw units of debt, health about 0.75
 * to 1.05; drawn indexes to 1.3, hub share prices to 1.3 and premium
 * debt up to a third of the drawn debt, each present or not.
 */
static void
world_make(struct world *w, uint64_t *st)
{
    static const uint8_t cdecs[] = {0, 1, 2};
    static const uint8_t ddecs[] = {0, 1, 2, 6};
    uint64_t per[4], d, debt_value, need, cv;

    memset(w, 0, sizeof(*w));
    snprintf(w->m.id, sizeof(w->m.id), "v4");
    w->m.model = MODEL_AAVE_V4;
    w->m.base_decimals = 8;
    market_params_default(&w->m.params, MODEL_AAVE_V4);
    w->m.params.target_health_factor =
        WAD + test_rand_range(st, 0, 200) * (WAD / 1000);
    w->m.nassets = 4;
    for (int i = 0; i < 4; i++) {
        struct asset *a = &w->m.assets[i];

        a->sym = (uint32_t)i;
        a->decimals =
            i < 2 ? cdecs[test_rand(st) % 3] : ddecs[test_rand(st) % 4];
        a->lt = test_rand_range(st, 500, 900) * 10;
        a->ltv = a->lt / 2;
        a->bonus = test_rand_range(st, 100, 1000);
        a->fee = test_rand_range(st, 0, 2000);
        if (i >= 2 && test_rand(st) % 4 != 0)
            a->dindex = rand_ray(st, 300);
        if (i < 2 && test_rand(st) % 4 != 0) {
            /* (A + 1e6) / (S + 1e6) in [1, 1.3) */
            uint64_t s = test_rand_range(st, 1000000, 1000000000000ULL);
            uint64_t k = test_rand_range(st, 1000, 1300);

            a->hub_shares = u256_from_u64(s);
            a->hub_assets = u256_from_u64((s + 1000000) / 1000 * k - 1000000);
        }
    }
    w->p.id = "p";
    w->p.label = "";
    w->p.ndebt = (uint8_t)(test_rand(st) % 5 != 0 ? 1 : 2);
    w->p.ncoll = (uint8_t)(test_rand(st) % 3 != 0 ? 1 : 2);
    d = test_rand_range(st, 50, 2500);
    debt_value = test_rand_range(st, 300, 8000) * 100000000ULL;
    per[2] = debt_value / d;
    per[3] = per[2] * test_rand_range(st, 1, 40) / 10 + 1;
    per[0] = per[2] * test_rand_range(st, 30, 3000) / 100 + 1;
    per[1] = per[2] * test_rand_range(st, 30, 3000) / 100 + 1;
    w->p.debt[0] = (struct leg){2, u256_from_u64(d)};
    if (test_rand(st) % 3 != 0) {
        /* premium: up to a third of the drawn debt, any RAY fraction */
        struct u256 pr;

        (void)u256_mul(&pr, u256_from_u64(test_rand_range(st, 1, d / 3 + 1)),
                       rand_ray(st, 999));
        w->m.assets[2].premium = pr;
    }
    if (w->p.ndebt == 2) {
        uint64_t v = debt_value / test_rand_range(st, 2, 20);

        w->p.debt[1] = (struct leg){3, u256_from_u64(v / per[3] + 1)};
        debt_value += v;
    }
    for (int i = 0; i < 4; i++)
        (void)u256_mul(&w->price[i], u256_from_u64(per[i]),
                       u256_exp10(w->m.assets[i].decimals));
    need = debt_value / 1000 * test_rand_range(st, 750, 1050);
    cv = need / (w->m.assets[0].lt / 10) * 1000;
    if (w->p.ncoll == 2) {
        uint64_t v = debt_value / test_rand_range(st, 3, 20);

        w->p.coll[1] = (struct leg){1, u256_from_u64(v / per[1] + 1)};
        cv = cv > v ? cv - v : 0;
    }
    w->p.coll[0] = (struct leg){0, u256_from_u64(cv / per[0] + 1)};
}

/*
 * A world whose borrower holds most of each collateral hub: a raw
 * collateral unit worth 1e-5 to 1e-3 of what world_make gives, so the
 * legs hold millions of shares, at a share price (A + 1e6) / (S + 1e6) of
 * 1.01 to 2.99 (never whole) with at most half as many shares again held
 * by others.
 */
static void
world_make_big(struct world *w, uint64_t *st)
{
    world_make(w, st);
    for (int i = 0; i < w->p.ncoll; i++) {
        struct leg *l = &w->p.coll[i];
        struct asset *a = &w->m.assets[l->asset];
        uint64_t rate = test_rand_range(st, 101, 299), scale, shares, ts;

        if (rate % 100 == 0)
            rate++;
        scale = test_rand_range(st, 1000, 100000);
        (void)u256_muldiv(&w->price[l->asset], w->price[l->asset],
                          u256_from_u64(1), u256_from_u64(scale), U256_FLOOR);
        if (u256_is_zero(w->price[l->asset]))
            continue;
        shares = u256_to_u64(l->amount) * scale / rate * 100 + 1;
        ts = shares + test_rand_range(st, 0, shares / 2);
        l->amount = u256_from_u64(shares);
        a->hub_shares = u256_from_u64(ts);
        a->hub_assets = u256_from_u64((ts + 1000000) / 100 * rate - 1000000 +
                                      test_rand_range(st, 0, 99));
    }
}

static bool
call_ok(const struct world *w, const struct preview *pv, struct u256 x,
        struct liq_result *out)
{
    return scan_call_reaches(&w->m, &w->p, w->price, pv, x, out);
}

START_TEST(prop_least_repay_state)
{
    uint64_t st = test_seed();
    int reached = 0, premium = 0;

    /* 300 worlds, and more until 60 reach the target, 20 of them with
     * premium (at most 3,000) */
    for (int n = 0; n < 3000 && (n < 300 || reached < 60 || premium < 20);
         n++) {
        struct world w;
        struct preview_req req = {.debt = -1, .coll = -1, .has_target = true};
        struct preview pv;
        struct u256 owed;
        char what[32];

        world_make(&w, &st);
        req.target_hf =
            u256_from_u64(test_rand_range(&st, 950, 1300) * (WAD / 1000));
        ck_assert_int_eq(preview_compute(&w.m, &w.p, w.price, &req, &pv), 0);
        if (u256_le(pv.target_hf, pv.before.hf))
            continue;
        ck_assert_int_eq(model_balance(&w.m, w.p.debt[pv.debt].asset, true,
                                       w.p.debt[pv.debt].amount, &owed),
                         0);
        snprintf(what, sizeof what, "case %d", n);
        if (!scan_least_repay(&w.m, &w.p, w.price, &pv, 1, u256_to_u64(owed),
                              what))
            continue;
        {
            struct liq_result r;
            struct u256 less;

            ck_assert(call_ok(&w, &pv, pv.cover_to_target, &r));
            TEST_U256_EQ(r.repay, pv.repay_to_target);
            (void)u256_sub(&less, pv.repay_to_target, u256_from_u64(1));
            ck_assert(u256_is_zero(less) || !call_ok(&w, &pv, less, &r));
        }
        reached++;
        if (!u256_is_zero(w.m.assets[w.p.debt[pv.debt].asset].premium))
            premium++;
    }
    fprintf(stderr, "least repay on state: %d reached (%d with premium)\n",
            reached, premium);
}
END_TEST

/*
 * Repaying x of one leg as the spoke burns it, or supplying x to one as
 * Spoke.supply and Hub.add do, written out here apart from the model's
 * own path: shares = toAddedSharesDown(x) = floor(x (S + 1e6) / (A +
 * 1e6)), none being InvalidShares; then the hub holds x more assets and
 * those shares more (one share per asset where it gives no totals), the
 * borrower those shares more, and the account is taken on the hub after.
 */
static bool
plain_reaches(const struct world *w, const struct preview *pv, int leg,
              bool deposit, struct u256 x)
{
    struct market m = w->m;
    struct position q = w->p;
    struct account a;

    if (deposit && !u256_is_zero(x)) {
        struct leg *l = &q.coll[leg];
        struct asset *h = &m.assets[l->asset];
        struct u256 ta, ts, shares, v = u256_from_u64(1000000);
        bool totals =
            !u256_is_zero(h->hub_assets) || !u256_is_zero(h->hub_shares);

        ck_assert_int_eq(u256_add(&ta, h->hub_assets, v), 0);
        ck_assert_int_eq(u256_add(&ts, h->hub_shares, v), 0);
        ck_assert_int_eq(u256_muldiv(&shares, x, ts, ta, U256_FLOOR), 0);
        if (u256_is_zero(shares))
            return false;
        if (totals) {
            ck_assert_int_eq(u256_add(&h->hub_assets, h->hub_assets, x), 0);
            ck_assert_int_eq(u256_add(&h->hub_shares, h->hub_shares, shares),
                             0);
        }
        ck_assert_int_eq(u256_add(&l->amount, l->amount, shares), 0);
        ck_assert_int_eq(model_account(&m, &q, w->price, &a), 0);
    } else if (deposit) {
        ck_assert_int_eq(model_account(&m, &q, w->price, &a), 0);
    } else if (model_account_after_repay(&w->m, &w->p, (uint8_t)leg, x,
                                         w->price, &a) != 0) {
        return false;
    }
    return !a.has_debt || u256_le(pv->target_hf, a.hf);
}

/* The least plain repay and deposit: the answer reaches the target and
 * one raw unit less does not; below a small answer, no amount at all
 * does. Worlds alternate with those of world_make_big: 400 of them, and
 * more until 200 least supplies on hubs with totals are checked (at most
 * 4,000). */
START_TEST(prop_least_amounts_state)
{
    uint64_t st = test_seed();
    int on_totals = 0;

    for (int n = 0; n < 4000 && (n < 400 || on_totals < 200); n++) {
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
        for (int side = 0; side < 2; side++) {
            int nlegs = side == 0 ? w.p.ndebt : w.p.ncoll;

            for (int i = 0; i < nlegs; i++) {
                const struct preview_avoid *av =
                    side == 0 ? &pv.avoid_repay[i] : &pv.avoid_deposit[i];
                uint64_t amount;

                if (!av->exists || u256_is_zero(av->amount))
                    continue;
                ck_assert_msg(plain_reaches(&w, &pv, i, side == 1, av->amount),
                              "case %d: %s of leg %d: %s does not reach", n,
                              side == 0 ? "repay" : "deposit", i,
                              test_u256_str(av->amount));
                (void)u256_sub(&less, av->amount, one);
                ck_assert_msg(!plain_reaches(&w, &pv, i, side == 1, less),
                              "case %d: %s of leg %d: %s is not least", n,
                              side == 0 ? "repay" : "deposit", i,
                              test_u256_str(av->amount));
                amount = u256_to_u64(av->amount);
                for (uint64_t x = 0; amount <= 1000 && x < amount; x++)
                    ck_assert_msg(
                        !plain_reaches(&w, &pv, i, side == 1, u256_from_u64(x)),
                        "case %d: %s of leg %d: %llu reaches, below %s", n,
                        side == 0 ? "repay" : "deposit", i,
                        (unsigned long long)x, test_u256_str(av->amount));
                if (side == 1 &&
                    !u256_is_zero(w.m.assets[w.p.coll[i].asset].hub_shares))
                    on_totals++;
            }
        }
    }
    fprintf(stderr, "least supplies on hub totals: %d\n", on_totals);
}
END_TEST

START_TEST(prop_health_and_index)
{
    uint64_t st = test_seed();

    for (int n = 0; n < 2000; n++) {
        struct world w;
        struct account a, b;
        struct u256 idx, grown, add;
        uint8_t da;

        world_make(&w, &st);
        da = w.p.debt[test_rand(&st) % w.p.ndebt].asset;
        ck_assert_int_eq(model_account(&w.m, &w.p, w.price, &a), 0);
        idx = model_aave4_index(&w.m, da);
        (void)u256_mul(&add, u256_from_u64(test_rand(&st) % 1000000000ULL),
                       u256_from_u64(test_rand(&st) % 1000000000000ULL));
        (void)u256_add(&grown, idx, add);
        w.m.assets[da].dindex = grown;
        ck_assert_int_eq(model_account(&w.m, &w.p, w.price, &b), 0);
        ck_assert_msg(u256_le(b.hf, a.hf),
                      "case %d: index %s -> %s, hf %s -> %s", n,
                      test_u256_str(idx), test_u256_str(grown),
                      test_u256_str(a.hf), test_u256_str(b.hf));
        (void)u256_add(&w.m.assets[da].premium, w.m.assets[da].premium, add);
        ck_assert_int_eq(model_account(&w.m, &w.p, w.price, &a), 0);
        ck_assert(u256_le(a.hf, b.hf));
    }
}
END_TEST

static Suite *
aave4_state_suite(void)
{
    Suite *s = suite_create("aave-v4 state");
    TCase *tc = tcase_create("prop");

    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, prop_least_repay_state);
    tcase_add_test(tc, prop_least_amounts_state);
    tcase_add_test(tc, prop_health_and_index);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    return test_run(aave4_state_suite());
}
