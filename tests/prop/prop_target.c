/*
 * prop_target.c: the least repay to a target health is the global least
 * (design.md 4.1), against an exhaustive scan. On random small positions
 * of every model and version, compound-v3 and spark among them (a debt of a few
 * thousand raw units; a collateral of few decimals whose raw unit is worth up
 * to 30 raw units of debt, so that the seized amount moves in wide teeth;
 * values around the 1,000 and 2,000 base-unit thresholds of Aave's dust rule
 * and close factor), every debtToCover from 1 to the debt owed is tried, and
 * the least repay of an accepted call that leaves health at or above the target
 * must be what preview_compute answers, or none when it says none. The call it
 * names must be accepted and reach, and the same call one raw unit smaller must
 * revert or fall short. A second run holds Aave 3.0 to 3.4 with several
 * collaterals to the same, where the floored average threshold lets health rise
 * as more is seized. Seed printed; LIQ_SEED=N repeats a run.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/liq.h"
#include "core/preview.h"
#include "tests/common/testutil.h"

struct world {
    struct market m;
    struct position p;
    struct u256 price[MARKET_ASSETS_MAX];
};

/* Ratio in the model's unit from thousandths. */
static uint64_t
ratio(enum model_kind k, uint64_t milli)
{
    return market_ratio_unit(k) / 1000 * milli;
}

/* Raw amount of an asset worth about `value` base units when one raw unit
 * is worth `per` base units. */
static struct u256
amount_for(uint64_t value, uint64_t per)
{
    return u256_from_u64(per == 0 ? 1 : value / per + 1);
}

static void
world_make(struct world *w, uint64_t *st)
{
    static const uint8_t cdecs[] = {0, 1, 2};
    static const uint8_t ddecs[] = {0, 1, 2, 6};
    /* The models before morpho-pre (its own: prop_morpho_pre.c),
     * compound-v3 (whose debt is its base asset, 2) and spark. */
    uint64_t pick = test_rand(st) % (MODEL_MORPHO_PRE + 2);
    enum model_kind k = pick == MODEL_MORPHO_PRE       ? MODEL_COMPOUND_V3
                        : pick == MODEL_MORPHO_PRE + 1 ? MODEL_SPARK
                                                       : (enum model_kind)pick;
    uint64_t per[4], debt_value, weighted = 0, hf_milli;

    memset(w, 0, sizeof(*w));
    snprintf(w->m.id, sizeof(w->m.id), "m");
    w->m.model = k;
    w->m.base_decimals = 8;
    if (k == MODEL_AAVE_V3)
        w->m.version = (uint16_t)(300 + test_rand(st) % 8);
    market_params_default(&w->m.params, k);
    if (k == MODEL_AAVE_V4)
        w->m.params.target_health_factor =
            WAD + test_rand_range(st, 0, 200) * (WAD / 1000);
    w->m.nassets = 4;
    for (int i = 0; i < 4; i++) {
        struct asset *a = &w->m.assets[i];

        a->sym = (uint32_t)i;
        a->decimals =
            i < 2 ? cdecs[test_rand(st) % 3] : ddecs[test_rand(st) % 4];
        a->lt = ratio(k, test_rand_range(st, 500, 900));
        a->ltv = a->lt / 2;
        if (market_ratio_unit(k) == BPS) {
            a->bonus = test_rand_range(st, 100, 1000);
            a->fee = test_rand_range(st, 0, 2000);
        }
        if (k == MODEL_COMPOUND_V3) {
            /* Comet: liquidationFactor, the base of 6 decimals and no
             * factors. */
            a->bonus = ratio(k, test_rand_range(st, 600, 1000));
            if (i == 2) {
                a->decimals = 6;
                a->lt = a->ltv = a->bonus = 0;
            }
        }
    }
    if (k == MODEL_COMPOUND_V3) {
        w->m.comet.base = 2;
        w->m.comet.store_front = WAD / 2;
    }
    /* The debt: a few thousand raw units worth 300 to 8,000 base-unit
     * wholes; a raw unit of collateral worth 0.3 to 30 raw units of it. */
    w->p.id = "p";
    w->p.label = "";
    w->p.ndebt = (uint8_t)(k == MODEL_MORPHO_BLUE || k == MODEL_COMPOUND_V3 ||
                                   test_rand(st) % 5 != 0
                               ? 1
                               : 2);
    /* Aave 3.0-3.4 with two collaterals most often: their floored
     * average threshold lets health rise by about 1 / 10,000 as one raw
     * unit more of a low-threshold collateral is seized (the levels of
     * struct liq_result), which the walk must step through. */
    w->p.ncoll = (uint8_t)(k == MODEL_MORPHO_BLUE ? 1
                           : k == MODEL_AAVE_V3 && w->m.version < 305
                               ? 1 + (test_rand(st) % 4 != 0)
                               : 1 + (test_rand(st) % 3 == 0));
    {
        uint64_t d = test_rand_range(st, 50, 2500);

        debt_value = test_rand_range(st, 300, 8000) * 100000000ULL;
        per[2] = debt_value / d;
        per[3] = per[2] * test_rand_range(st, 1, 40) / 10 + 1;
        per[0] = per[2] * test_rand_range(st, 30, 3000) / 100 + 1;
        per[1] = per[2] * test_rand_range(st, 30, 3000) / 100 + 1;
        w->p.debt[0] = (struct leg){2, u256_from_u64(d)};
        if (w->p.ndebt == 2) {
            uint64_t v = debt_value / test_rand_range(st, 2, 20);

            w->p.debt[1] = (struct leg){3, amount_for(v, per[3])};
            debt_value += v;
        }
    }
    for (int i = 0; i < 4; i++)
        (void)u256_mul(&w->price[i], u256_from_u64(per[i]),
                       u256_exp10(w->m.assets[i].decimals));
    /* Collateral so that health lands in [0.75, 1.05]. */
    hf_milli = test_rand_range(st, 750, 1050);
    if (w->p.ncoll == 2) {
        uint64_t v = debt_value / test_rand_range(st, 3, 20);

        w->p.coll[1] = (struct leg){1, amount_for(v, per[1])};
        weighted =
            v / 1000 * (w->m.assets[1].lt / (market_ratio_unit(k) / 1000));
    }
    {
        uint64_t lt_milli = w->m.assets[0].lt / (market_ratio_unit(k) / 1000);
        uint64_t need = debt_value / 1000 * hf_milli;
        uint64_t v = need > weighted ? (need - weighted) / lt_milli * 1000 : 0;

        w->p.coll[0] = (struct leg){0, amount_for(v, per[0])};
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

/* What the cases of a run met. */
struct tally {
    int reached, capped, no_debt, comet;
};

/* One case: preview against the scan of every cover from 1 to the debt
 * owed; n names the case in messages and for PROP_DUMP. */
static void
check_case(const struct world *w, const struct preview_req *req, int n,
           struct tally *t)
{
    struct preview pv;
    struct u256 best = u256_zero(), best_seized = u256_zero(), top;
    bool found = false;

    ck_assert_int_eq(preview_compute(&w->m, &w->p, w->price, req, &pv), 0);
    top = w->p.debt[pv.debt].amount;
    if (u256_le(pv.target_hf, pv.before.hf)) {
        ck_assert(!pv.has_to_target);
        ck_assert_int_eq(pv.reason, REASON_ALREADY_AT_TARGET);
        return;
    }
    for (uint64_t x = 1; x <= u256_to_u64(top); x++) {
        struct liq_result r;

        bool ok = call_ok(w, &pv, u256_from_u64(x), &r);

        if (getenv("PROP_DUMP") != NULL && n == atoi(getenv("PROP_DUMP")))
            fprintf(stderr,
                    "x %llu repay %s seized %s hf %s level %llu rev %d ok %d\n",
                    (unsigned long long)x, test_u256_str(r.repay),
                    test_u256_str(r.seized), test_u256_str(r.hf_after),
                    (unsigned long long)r.level, r.revert, ok);
        if (!ok)
            continue;
        if (!found || u256_lt(r.repay, best)) {
            best = r.repay;
            best_seized = r.seized;
        }
        found = true;
    }
    ck_assert_msg(found == pv.has_to_target,
                  "%s %u case %d: scan %s, preview %s (reason %d)",
                  market_model_name(w->m.model), w->m.version, n,
                  found ? test_u256_str(best) : "none",
                  pv.has_to_target ? test_u256_str(pv.repay_to_target) : "none",
                  pv.reason);
    if (!found)
        return;
    ck_assert_msg(u256_eq(pv.repay_to_target, best) &&
                      u256_eq(pv.collateral_to_target, best_seized),
                  "%s %u case %d: scan %s seizing %s, preview %s seizing "
                  "%s",
                  market_model_name(w->m.model), w->m.version, n,
                  test_u256_str(best), test_u256_str(best_seized),
                  test_u256_str(pv.repay_to_target),
                  test_u256_str(pv.collateral_to_target));
    {
        struct liq_result r;
        struct u256 less;

        ck_assert(call_ok(w, &pv, pv.cover_to_target, &r));
        TEST_U256_EQ(r.repay, pv.repay_to_target);
        ck_assert_int_eq(u256_sub(&less, pv.repay_to_target, u256_from_u64(1)),
                         0);
        ck_assert(u256_is_zero(less) || !call_ok(w, &pv, less, &r));
        if (!u256_eq(pv.cover_to_target, pv.repay_to_target))
            t->capped++;
    }
    if (pv.to_target_no_debt)
        t->no_debt++;
    if (w->m.model == MODEL_COMPOUND_V3)
        t->comet++;
    t->reached++;
}

START_TEST(prop_least_repay_is_global)
{
    uint64_t st = test_seed();
    struct tally t = {0, 0, 0, 0};

    for (int n = 0; n < 300; n++) {
        struct world w;
        struct preview_req req = {.debt = -1, .coll = -1, .has_target = true};

        world_make(&w, &st);
        if (w.m.model == MODEL_COMPOUND_V3)
            ck_assert_int_eq(model_comet_ops.validate(&w.m, NULL, 0), 0);
        req.target_hf =
            u256_from_u64(test_rand_range(&st, 950, 1300) * (WAD / 1000));
        check_case(&w, &req, n, &t);
    }
    fprintf(stderr,
            "least repay: %d reached (%d capped, %d leave no debt, %d "
            "compound-v3 absorbs)\n",
            t.reached, t.capped, t.no_debt, t.comet);
    ck_assert_int_gt(t.reached, 60);
    ck_assert_int_gt(t.comet, 5);
}
END_TEST

/*
 * Aave 3.0 to 3.4, two or three collaterals, the one seized (named by the
 * request) of a lower threshold than the others: seizing more of it lifts
 * the floored average threshold one basis point after another, and with
 * it health by about 1 / 10,000 at each step (struct liq_result's level).
 * Debts of up to 20,000 raw units, so that a raw unit of repay moves
 * health by less than such a step.
 */
static void
world_make_floored(struct world *w, uint64_t *st)
{
    static const uint8_t cdecs[] = {2, 3, 4, 6};
    uint64_t per[5], debt_value, weighted = 0, d, hf_milli;
    uint8_t nc = (uint8_t)test_rand_range(st, 2, 3);

    memset(w, 0, sizeof(*w));
    snprintf(w->m.id, sizeof(w->m.id), "m");
    w->m.model = MODEL_AAVE_V3;
    w->m.base_decimals = 8;
    w->m.version = (uint16_t)(300 + test_rand(st) % 5);
    market_params_default(&w->m.params, MODEL_AAVE_V3);
    w->m.nassets = 5;
    for (int i = 0; i < 5; i++) {
        struct asset *a = &w->m.assets[i];

        a->sym = (uint32_t)i;
        a->decimals = i < 3 ? cdecs[test_rand(st) % 4] : 6;
        a->lt = i == 0 ? test_rand_range(st, 300, 4000)
                       : test_rand_range(st, 8000, 9500);
        a->ltv = a->lt / 2;
        a->bonus = test_rand_range(st, 100, 1000);
        a->fee = test_rand_range(st, 0, 2000);
    }
    w->p.id = "p";
    w->p.label = "";
    w->p.ndebt = 1;
    w->p.ncoll = nc;
    d = test_rand_range(st, 5000, 60000);
    debt_value = test_rand_range(st, 300, 8000) * 100000000ULL;
    per[3] = debt_value / d;
    per[4] = 1;
    w->p.debt[0] = (struct leg){3, u256_from_u64(d)};
    for (int i = 0; i < 3; i++)
        per[i] = per[3] * test_rand_range(st, 30, 3000) / 100 + 1;
    for (int i = 0; i < 5; i++)
        (void)u256_mul(&w->price[i], u256_from_u64(per[i]),
                       u256_exp10(w->m.assets[i].decimals));
    /* Health in [0.75, 1.05]; the others hold 10 % to 90 % of it. */
    hf_milli = test_rand_range(st, 750, 1050);
    for (int i = 1; i < nc; i++) {
        uint64_t v = debt_value / 1000 * test_rand_range(st, 200, 800) / 1000 *
                     hf_milli * 10 / (w->m.assets[i].lt / 10) * 10;

        w->p.coll[i] = (struct leg){(uint8_t)i, amount_for(v, per[i])};
        weighted += v / 10000 * w->m.assets[i].lt;
    }
    {
        uint64_t need = debt_value / 1000 * hf_milli;
        uint64_t v =
            need > weighted ? (need - weighted) / w->m.assets[0].lt * BPS : 0;

        w->p.coll[0] = (struct leg){0, amount_for(v, per[0])};
    }
}

START_TEST(prop_least_repay_floored_average)
{
    uint64_t st = test_seed();
    struct tally t = {0, 0, 0, 0};

    for (int n = 0; n < 200; n++) {
        struct world w;
        struct preview_req req = {.debt = 0, .coll = 0, .has_target = true};

        world_make_floored(&w, &st);
        req.target_hf =
            u256_from_u64(test_rand_range(&st, 950, 1300) * (WAD / 1000));
        check_case(&w, &req, n, &t);
    }
    fprintf(stderr,
            "least repay, floored average: %d reached (%d capped, %d leave "
            "no debt)\n",
            t.reached, t.capped, t.no_debt);
    ck_assert_int_gt(t.reached, 40);
}
END_TEST

static Suite *
target_suite(void)
{
    Suite *s = suite_create("least repay to a target");
    TCase *tc = tcase_create("prop");

    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, prop_least_repay_is_global);
    tcase_add_test(tc, prop_least_repay_floored_average);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    return test_run(target_suite());
}
