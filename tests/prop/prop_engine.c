/*
 * prop_engine.c: properties of the engine over random markets, positions
 * and prices of every model (seed printed; LIQ_SEED=N repeats a run):
 *   - health never rises when a collateral price falls;
 *   - the least repay to a target, the least repayment and the least
 *     deposit are least: the amount reaches the target, one raw unit less
 *     does not;
 *   - a preview never seizes more collateral than the position holds;
 *   - a liquidation price round-trips: liquidatable at it, not one base
 *     unit above;
 *   - rounding favours the protocol where the protocol says so (Aave 3.5+,
 *     Aave v4, Morpho): the health factor never exceeds the exact ratio;
 *     Compound v2 and Morpho never seize more than the exact rational
 *     amount's floor (Morpho at most 1e36 / price + 1 less), and Compound's
 *     protocol share is that amount's floor.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "core/liq.h"
#include "core/liqprice.h"
#include "core/model_morpho.h"
#include "core/preview.h"
#include "tests/common/testutil.h"

struct world {
    struct market m;
    struct position p;
    struct u256 price[MARKET_ASSETS_MAX];
};

static const uint16_t aave3_versions[] = {300, 303, 305, 307};

/* A random valid market of kind k with four assets and a position in it. */
static void
world_make(struct world *w, enum model_kind k, uint64_t *st)
{
    static const uint8_t decs[] = {0, 6, 8, 18};
    uint64_t unit = market_ratio_unit(k);

    memset(w, 0, sizeof(*w));
    snprintf(w->m.id, sizeof(w->m.id), "m");
    w->m.model = k;
    w->m.base_decimals = 8;
    if (k == MODEL_AAVE_V3)
        w->m.version = aave3_versions[test_rand(st) % 4];
    market_params_default(&w->m.params, k);
    w->m.nassets = 4;
    for (int i = 0; i < 4; i++) {
        struct asset *a = &w->m.assets[i];

        a->sym = (uint32_t)i;
        a->decimals = decs[test_rand(st) % 4];
        /* LT in [0.5, 0.85] of the unit; bonus 2-10 %; fee 0-20 %. */
        a->lt = unit / 2 + test_rand_range(st, 0, unit * 35 / 100);
        a->ltv = a->lt / 2;
        if (unit == BPS) {
            a->bonus = test_rand_range(st, 200, 1000);
            a->fee = test_rand_range(st, 0, 2000);
        }
        w->price[i] =
            u256_from_u64(test_rand_range(st, 1000000, 1000000000000ULL));
    }
    /* Collateral among assets 0-1, debt among 2-3: no asset on both sides.
     * Amounts span about 1e-3 to 1e7 whole tokens. */
    w->p.id = "p";
    w->p.label = "";
    w->p.ncoll =
        (uint8_t)(k == MODEL_MORPHO_BLUE ? 1 : test_rand_range(st, 1, 2));
    w->p.ndebt =
        (uint8_t)(k == MODEL_MORPHO_BLUE ? 1 : test_rand_range(st, 1, 2));
    for (int i = 0; i < w->p.ncoll; i++) {
        struct u256 amt;

        (void)u256_muldiv(&amt,
                          u256_from_u64(test_rand_range(st, 1, 10000000000ULL)),
                          u256_exp10(w->m.assets[i].decimals),
                          u256_from_u64(1000), U256_FLOOR);
        w->p.coll[i] = (struct leg){(uint8_t)i, amt};
    }
    for (int i = 0; i < w->p.ndebt; i++) {
        struct u256 amt;

        (void)u256_muldiv(&amt,
                          u256_from_u64(test_rand_range(st, 1, 10000000000ULL)),
                          u256_exp10(w->m.assets[2 + i].decimals),
                          u256_from_u64(1000), U256_FLOOR);
        if (u256_is_zero(amt))
            amt = u256_from_u64(1);
        w->p.debt[i] = (struct leg){(uint8_t)(2 + i), amt};
    }
}

/* Scale the debt so that health lands in [0.80, 1.05]: where liquidation
 * previews have something to say. */
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

static enum model_kind
pick_model(uint64_t *st)
{
    /* Before morpho-pre (its own: prop_morpho_pre.c), and spark. */
    uint64_t r = test_rand(st) % (MODEL_MORPHO_PRE + 1);

    return r == MODEL_MORPHO_PRE ? MODEL_SPARK : (enum model_kind)r;
}

START_TEST(prop_health_falls_with_price)
{
    uint64_t st = test_seed();

    for (int n = 0; n < 3000; n++) {
        struct world w;
        struct account a, b;
        int leg;
        uint8_t asset;

        world_make(&w, pick_model(&st), &st);
        /* Aave 3.0-3.4 truncates the average liquidation threshold: with
         * two collaterals, a fall in one can shift the average up by a
         * unit and lift health by a hair. That is the contract's own
         * rounding, so the property holds there for one collateral. */
        if (w.m.model == MODEL_AAVE_V3 && w.m.version < 305)
            w.p.ncoll = 1;
        leg = (int)(test_rand(&st) % w.p.ncoll);
        asset = w.p.coll[leg].asset;
        ck_assert_int_eq(model_account(&w.m, &w.p, w.price, &a), 0);
        (void)u256_muldiv(&w.price[asset], w.price[asset],
                          u256_from_u64(test_rand_range(&st, 0, 999)),
                          u256_from_u64(1000), U256_FLOOR);
        ck_assert_int_eq(model_account(&w.m, &w.p, w.price, &b), 0);
        ck_assert_msg(u256_le(b.hf, a.hf), "%s: health rose %s -> %s",
                      market_model_name(w.m.model), test_u256_str(a.hf),
                      test_u256_str(b.hf));
    }
}
END_TEST

/* The call of cover r succeeds and leaves health >= target (a call that
 * leaves no debt reaches every target). */
static bool
call_reaches(const struct world *w, const struct preview *pv, struct u256 r)
{
    struct liq_call c = {.debt = pv->debt, .coll = pv->coll, .repay = r};
    struct liq_result res;

    if (model_liquidate(&w->m, &w->p, w->price, &c, &res) != 0)
        return false;
    return res.revert == REVERT_NONE && u256_le(pv->target_hf, res.hf_after);
}

static bool
plain_reaches(const struct world *w, const struct preview *pv, int leg,
              bool deposit, struct u256 x)
{
    struct position q = w->p;
    struct account a;

    if (deposit) {
        if (u256_add(&q.coll[leg].amount, q.coll[leg].amount, x) != 0)
            return false;
    } else if (u256_sub(&q.debt[leg].amount, q.debt[leg].amount, x) != 0) {
        return false;
    }
    if (model_account(&w->m, &q, w->price, &a) != 0)
        return false;
    return !a.has_debt || u256_le(pv->target_hf, a.hf);
}

START_TEST(prop_least_amounts)
{
    uint64_t st = test_seed();
    int checked_target = 0;

    for (int n = 0; n < 400; n++) {
        struct world w;
        struct preview_req req = {.debt = -1, .coll = -1};
        struct preview pv;
        struct u256 one = u256_from_u64(1), less;

        world_make(&w, pick_model(&st), &st);
        /* Aave 3.0-3.4 truncates the average threshold: with several
         * collaterals, seizing more of one can lift health by a hair,
         * which the solver assumes never happens (README, preview). */
        if (w.m.model == MODEL_AAVE_V3 && w.m.version < 305)
            w.p.ncoll = 1;
        world_near(&w, &st);
        req.has_target = true;
        req.target_hf = u256_from_u64(WAD + test_rand_range(&st, 0, WAD / 5));
        ck_assert_int_eq(preview_compute(&w.m, &w.p, w.price, &req, &pv), 0);
        if (pv.has_to_target) {
            ck_assert(call_reaches(&w, &pv, pv.cover_to_target));
            ck_assert_int_eq(u256_sub(&less, pv.repay_to_target, one), 0);
            ck_assert_msg(!call_reaches(&w, &pv, less),
                          "%s %u case %d: %s reaches, below %s",
                          market_model_name(w.m.model), w.m.version, n,
                          test_u256_str(less),
                          test_u256_str(pv.repay_to_target));
            checked_target++;
        }
        for (int i = 0; i < w.p.ndebt; i++) {
            const struct preview_avoid *av = &pv.avoid_repay[i];

            if (!av->exists || u256_is_zero(av->amount))
                continue;
            ck_assert(plain_reaches(&w, &pv, i, false, av->amount));
            (void)u256_sub(&less, av->amount, one);
            ck_assert(!plain_reaches(&w, &pv, i, false, less));
        }
        for (int i = 0; i < w.p.ncoll; i++) {
            const struct preview_avoid *av = &pv.avoid_deposit[i];

            if (!av->exists || u256_is_zero(av->amount))
                continue;
            ck_assert(plain_reaches(&w, &pv, i, true, av->amount));
            (void)u256_sub(&less, av->amount, one);
            ck_assert(!plain_reaches(&w, &pv, i, true, less));
        }
    }
    /* The generator must reach the interesting case often enough. */
    fprintf(stderr, "least amounts: %d to target\n", checked_target);
    ck_assert_int_gt(checked_target, 20);
}
END_TEST

START_TEST(prop_never_seizes_more_than_held)
{
    uint64_t st = test_seed();

    for (int n = 0; n < 2000; n++) {
        struct world w;
        struct liq_call c = {.max = false};
        struct liq_result r;

        world_make(&w, pick_model(&st), &st);
        c.debt = (uint8_t)(test_rand(&st) % w.p.ndebt);
        c.coll = (uint8_t)(test_rand(&st) % w.p.ncoll);
        c.max = test_rand(&st) % 2 == 0;
        (void)u256_muldiv(&c.repay, w.p.debt[c.debt].amount,
                          u256_from_u64(test_rand_range(&st, 1, 1000)),
                          u256_from_u64(1000), U256_FLOOR);
        ck_assert_int_eq(model_liquidate(&w.m, &w.p, w.price, &c, &r), 0);
        /* A call that would revert may describe more than is held. */
        if (c.max || r.revert == REVERT_NONE)
            ck_assert_msg(u256_le(r.seized, w.p.coll[c.coll].amount),
                          "%s seized %s of %s", market_model_name(w.m.model),
                          test_u256_str(r.seized),
                          test_u256_str(w.p.coll[c.coll].amount));
        ck_assert(u256_le(r.fee, r.seized));
        ck_assert(u256_le(r.max_repay, w.p.debt[c.debt].amount));
    }
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

        world_make(&w, pick_model(&st), &st);
        asset = w.p.coll[test_rand(&st) % w.p.ncoll].asset;
        ck_assert_int_eq(
            liqprice_compute(&w.m, &w.p, w.price, asset, &exists, &lp), 0);
        if (!exists)
            continue;
        found++;
        memcpy(at, w.price, sizeof(at));
        at[asset] = lp;
        ck_assert_int_eq(model_account(&w.m, &w.p, at, &a), 0);
        ck_assert_msg(a.liquidatable, "%s: not liquidatable at %s",
                      market_model_name(w.m.model), test_u256_str(lp));
        ck_assert_int_eq(u256_add(&at[asset], lp, u256_from_u64(1)), 0);
        ck_assert_int_eq(model_account(&w.m, &w.p, at, &a), 0);
        ck_assert_msg(!a.liquidatable, "%s: still liquidatable above %s",
                      market_model_name(w.m.model), test_u256_str(lp));
    }
    fprintf(stderr, "liquidation prices: %d found\n", found);
    ck_assert_int_gt(found, 500);
}
END_TEST

/* The exact weighted-collateral-to-debt ratio, compared by cross
 * multiplication: hf * debt_exact <= WAD * weighted_exact (+ slack). */
START_TEST(prop_rounding_favours_protocol)
{
    uint64_t st = test_seed();

    for (int n = 0; n < 3000; n++) {
        struct world w;
        struct account a;
        struct u256 wsum = u256_zero(), dsum = u256_zero(), lhs, rhs, v;
        uint64_t unit;
        const unsigned top = 18; /* every value over 10^18 */

        world_make(&w, pick_model(&st), &st);
        /* Aave 3.0-3.4 and Compound v2 value debt down, as their
         * contracts do, so only the others promise this (Aave 3.5's
         * "collateral down, debt up"). SparkLend values as 3.5 does but
         * divides as 3.0 does (percentMul and wadDiv round half up), so
         * its health may pass the exact ratio by that half: seed
         * 1013904232 gave one 8e-6 of a wei above it, as its contract
         * would; tests/unit/test_model_spark.c holds its figures. */
        if (w.m.model == MODEL_COMPOUND_V2 || w.m.model == MODEL_SPARK ||
            (w.m.model == MODEL_AAVE_V3 && w.m.version < 305)) {
            n--;
            continue;
        }
        unit = market_ratio_unit(w.m.model);
        ck_assert_int_eq(model_account(&w.m, &w.p, w.price, &a), 0);
        for (int i = 0; i < w.p.ncoll; i++) {
            const struct asset *as = &w.m.assets[w.p.coll[i].asset];

            ck_assert_int_eq(
                u256_mul(&v, w.p.coll[i].amount, w.price[w.p.coll[i].asset]),
                0);
            ck_assert_int_eq(u256_mul(&v, v, u256_exp10(top - as->decimals)),
                             0);
            ck_assert_int_eq(u256_mul(&v, v, u256_from_u64(as->lt)), 0);
            ck_assert_int_eq(u256_add(&wsum, wsum, v), 0);
        }
        for (int i = 0; i < w.p.ndebt; i++) {
            const struct asset *as = &w.m.assets[w.p.debt[i].asset];

            ck_assert_int_eq(
                u256_mul(&v, w.p.debt[i].amount, w.price[w.p.debt[i].asset]),
                0);
            ck_assert_int_eq(u256_mul(&v, v, u256_exp10(top - as->decimals)),
                             0);
            ck_assert_int_eq(u256_add(&dsum, dsum, v), 0);
        }
        /* hf <= WAD * wsum / (unit * dsum), or + 1 for half-up versions */
        ck_assert_int_eq(u256_mul(&lhs, a.hf, dsum), 0);
        ck_assert_int_eq(u256_mul(&lhs, lhs, u256_from_u64(unit)), 0);
        ck_assert_int_eq(u256_mul(&rhs, wsum, u256_from_u64(WAD)), 0);
        ck_assert_msg(u256_le(lhs, rhs), "%s %u: health above exact",
                      market_model_name(w.m.model), w.m.version);
    }
}
END_TEST

/* Compound v2's oracle mantissa in the test's markets (exponent >= 10). */
static struct u256
compound_oracle(const struct world *w, uint8_t asset)
{
    struct u256 o;
    unsigned e = 36u - w->m.assets[asset].decimals - w->m.base_decimals;

    ck_assert_int_eq(u256_mul(&o, w->price[asset], u256_exp10(e)), 0);
    return o;
}

START_TEST(prop_seizure_rounds_down)
{
    uint64_t st = test_seed();

    for (int n = 0; n < 1000; n++) {
        struct world w;
        struct liq_call c = {.max = false};
        struct liq_result r;
        struct u256 num, den, exact, t;
        bool morpho = test_rand(&st) % 2 == 0;

        world_make(&w, morpho ? MODEL_MORPHO_BLUE : MODEL_COMPOUND_V2, &st);
        c.debt = (uint8_t)(test_rand(&st) % w.p.ndebt);
        c.coll = (uint8_t)(test_rand(&st) % w.p.ncoll);
        (void)u256_muldiv(&c.repay, w.p.debt[c.debt].amount,
                          u256_from_u64(test_rand_range(&st, 1, 1000)),
                          u256_from_u64(1000), U256_FLOOR);
        ck_assert_int_eq(model_liquidate(&w.m, &w.p, w.price, &c, &r), 0);
        if (morpho) {
            struct u256 o, lif, slack;
            uint8_t ca = w.p.coll[0].asset, da = w.p.debt[0].asset;

            ck_assert_int_eq(model_morpho_oracle_price(
                                 &o, w.price[ca], w.m.assets[ca].decimals,
                                 w.price[da], w.m.assets[da].decimals),
                             0);
            if (u256_is_zero(o))
                continue;
            ck_assert_int_eq(model_morpho_lif(&lif, w.m.assets[ca].lt), 0);
            /* exact = repay * LIF * 1e18 / price */
            ck_assert_int_eq(u256_mul(&num, lif, u256_exp10(18)), 0);
            ck_assert_int_eq(u256_muldiv(&exact, c.repay, num, o, U256_FLOOR),
                             0);
            ck_assert(u256_le(r.seized, exact));
            ck_assert_int_eq(u256_div(&slack, u256_exp10(36), o, U256_CEIL), 0);
            ck_assert_int_eq(u256_add(&t, r.seized, slack), 0);
            ck_assert_int_eq(u256_add(&t, t, u256_from_u64(1)), 0);
            ck_assert_msg(u256_le(exact, t), "morpho seized %s, exact %s",
                          test_u256_str(r.seized), test_u256_str(exact));
            ck_assert(u256_is_zero(r.fee));
        } else {
            struct u256 li = u256_from_u64(w.m.params.liquidation_incentive);
            struct u256 share = u256_from_u64(w.m.params.protocol_seize_share);

            /* exact = repay * LI * pB / (1e18 * pC), exchange rate 1 */
            ck_assert_int_eq(
                u256_mul(&num, li, compound_oracle(&w, w.p.debt[c.debt].asset)),
                0);
            ck_assert_int_eq(
                u256_mul(&den, u256_exp10(18),
                         compound_oracle(&w, w.p.coll[c.coll].asset)),
                0);
            ck_assert_int_eq(u256_muldiv(&exact, c.repay, num, den, U256_FLOOR),
                             0);
            ck_assert_msg(u256_le(r.seized, exact),
                          "compound seized %s, exact %s",
                          test_u256_str(r.seized), test_u256_str(exact));
            /* fee = floor(seized * share / 1e18) */
            ck_assert_int_eq(
                u256_muldiv(&t, r.seized, share, u256_exp10(18), U256_FLOOR),
                0);
            TEST_U256_EQ(r.fee, t);
            ck_assert_int_eq(u256_add(&t, r.fee, r.to_liquidator), 0);
            TEST_U256_EQ(t, r.seized);
        }
    }
}
END_TEST

static Suite *
engine_suite(void)
{
    Suite *s = suite_create("engine properties");
    TCase *tc = tcase_create("prop");

    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, prop_health_falls_with_price);
    tcase_add_test(tc, prop_least_amounts);
    tcase_add_test(tc, prop_never_seizes_more_than_held);
    tcase_add_test(tc, prop_liquidation_price_round_trips);
    tcase_add_test(tc, prop_rounding_favours_protocol);
    tcase_add_test(tc, prop_seizure_rounds_down);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    return test_run(engine_suite());
}
