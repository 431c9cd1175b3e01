/*
 * test_reverts.c: the amounts every contract refuses, and the order it
 * checks them in (design.md 4.1): a repay of 0, or a position where one
 * call can take nothing, reverts "nothing to repay" in every model (Aave
 * v3 INVALID_BURN_AMOUNT, Aave v4 InvalidDebtToCover and Morpho
 * INCONSISTENT_INPUT before health, Compound LiquidateCloseAmountIsZero
 * after its allowance); an Aave repay too small to seize one raw unit of
 * collateral reverts "too small".
 *
 * The position: 2 units of a 2-decimal collateral at 60,000 (120,000 USD,
 * LT 0.8 / LLTV 0.8 / CF 0.8) against 100,000 of a 6-decimal debt at 1:
 * health 0.96. One raw unit of collateral (600 USD) needs about 571 USD of
 * repay to be seized once the 5 % bonus is paid, so a repay of 1 raw unit
 * (1e-6 USD) seizes none. At 70,000 the position is healthy.
 */
#include <check.h>
#include <string.h>

#include "core/liq.h"
#include "core/model.h"
#include "tests/common/testutil.h"

static void
setup(struct market *m, struct position *p, struct u256 price[2],
      enum model_kind kind, bool healthy)
{
    uint64_t unit = market_ratio_unit(kind);

    memset(m, 0, sizeof(*m));
    strcpy(m->id, "m");
    m->model = kind;
    m->version = kind == MODEL_AAVE_V3 ? 307 : 0;
    m->base_decimals = 8;
    market_params_default(&m->params, kind);
    m->nassets = 2;
    m->assets[0] = (struct asset){.sym = 0,
                                  .decimals = 2,
                                  .ltv = unit / 2,
                                  .lt = unit / 10 * 8,
                                  .bonus = unit == BPS ? 500 : 0};
    m->assets[1] = (struct asset){.sym = 1, .decimals = 6};
    memset(p, 0, sizeof(*p));
    p->id = "p";
    p->label = "";
    p->ncoll = 1;
    p->coll[0] = (struct leg){0, test_u256("200")};
    p->ndebt = 1;
    p->debt[0] = (struct leg){1, test_u256("100000000000")};
    price[0] = test_u256(healthy ? "7000000000000" : "6000000000000");
    price[1] = test_u256("100000000");
}

static enum liq_revert
revert_of(enum model_kind kind, bool healthy, bool max, const char *repay)
{
    struct market m;
    struct position p;
    struct u256 price[2];
    struct liq_call c = {
        .debt = 0, .coll = 0, .max = max, .repay = test_u256(repay)};
    struct liq_result r;

    setup(&m, &p, price, kind, healthy);
    ck_assert_int_eq(model_liquidate(&m, &p, price, &c, &r), 0);
    return r.revert;
}

START_TEST(test_repay_zero)
{
    /* Liquidatable: a repay of 0 is refused in every model (morpho-pre,
     * last, has its own: test_model_morpho_pre.c). */
    for (int k = 0; k < MODEL_MORPHO_PRE; k++)
        ck_assert_msg(revert_of((enum model_kind)k, false, false, "0") ==
                          REVERT_NOTHING_TO_REPAY,
                      "%s: repay 0", market_model_name((enum model_kind)k));
    /* Healthy: Aave v3 and Compound judge health first; Aave v4 and
     * Morpho check the amount first. */
    ck_assert_int_eq(revert_of(MODEL_AAVE_V3, true, false, "0"),
                     REVERT_NOT_LIQUIDATABLE);
    ck_assert_int_eq(revert_of(MODEL_COMPOUND_V2, true, false, "0"),
                     REVERT_NOT_LIQUIDATABLE);
    ck_assert_int_eq(revert_of(MODEL_AAVE_V4, true, false, "0"),
                     REVERT_NOTHING_TO_REPAY);
    ck_assert_int_eq(revert_of(MODEL_MORPHO_BLUE, true, false, "0"),
                     REVERT_NOTHING_TO_REPAY);
    /* A real repay still goes through. */
    for (int k = 0; k < MODEL_MORPHO_PRE; k++)
        ck_assert_msg(revert_of((enum model_kind)k, false, false,
                                "10000000000") == REVERT_NONE,
                      "%s: repay 10,000",
                      market_model_name((enum model_kind)k));
}
END_TEST

/* 1 raw unit of debt seizes no collateral: Aave refuses to burn nothing;
 * Compound and Morpho seize nothing and go through. */
START_TEST(test_too_small)
{
    ck_assert_int_eq(revert_of(MODEL_AAVE_V3, false, false, "1"),
                     REVERT_TOO_SMALL);
    ck_assert_int_eq(revert_of(MODEL_AAVE_V4, false, false, "1"),
                     REVERT_TOO_SMALL);
    /* 600 USD repays the value of one raw unit: base collateral 1,
     * seized percentMulFloor(1, 1.05) = 1. */
    ck_assert_int_eq(revert_of(MODEL_AAVE_V3, false, false, "600000000"),
                     REVERT_NONE);
    ck_assert_int_eq(revert_of(MODEL_COMPOUND_V2, false, false, "1"),
                     REVERT_NONE);
    ck_assert_int_eq(revert_of(MODEL_MORPHO_BLUE, false, false, "1"),
                     REVERT_NONE);
}
END_TEST

/* A debt leg of nothing: one call can take nothing, the maximum call
 * included. */
START_TEST(test_nothing_owed)
{
    for (int k = 0; k < MODEL_MORPHO_PRE; k++) {
        struct market m;
        struct position p;
        struct u256 price[2];
        struct liq_call c = {
            .debt = 0, .coll = 0, .max = true, .repay = u256_zero()};
        struct liq_result r;

        setup(&m, &p, price, (enum model_kind)k, false);
        /* Liquidatable through a second debt leg; this one owes 0. */
        p.ndebt = 2;
        p.debt[1] = p.debt[0];
        p.debt[0].amount = u256_zero();
        if (k == MODEL_MORPHO_BLUE) {
            /* One loan asset: a position that owes nothing at all. */
            p.ndebt = 1;
        }
        ck_assert_int_eq(model_liquidate(&m, &p, price, &c, &r), 0);
        if (k == MODEL_MORPHO_BLUE)
            ck_assert_int_eq(r.revert, REVERT_NOTHING_TO_REPAY);
        else
            ck_assert_msg(r.revert == REVERT_NOTHING_TO_REPAY, "%s: %d",
                          market_model_name((enum model_kind)k), r.revert);
    }
}
END_TEST

static Suite *
reverts_suite(void)
{
    Suite *s = suite_create("reverts");
    TCase *tc = tcase_create("amounts");

    tcase_add_test(tc, test_repay_zero);
    tcase_add_test(tc, test_too_small);
    tcase_add_test(tc, test_nothing_owed);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    return test_run(reverts_suite());
}
