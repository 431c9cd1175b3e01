/*
 * test_model_comet.c: compound-v3 (Comet) against Comet's own test vectors
 * (compound-finance/comet test/is-liquidatable-test.ts,
 * test/quote-collateral-test.ts, test/absorb-test.ts; liquidation-mechanics.md
 * 5.4), transcribed as figures with the test's name as the source, and
 * hand-derived cases whose derivation is in the comments.
 *
 * Comet's tests build the market with test/helpers.ts makeProtocol: base
 * USDC (6 decimals, price 1), COMP 18 decimals at 175, WETH 18 at 3000,
 * WBTC 8 at 41000; per asset borrowCF ONE - 1 (kept as 0.9999 with Comet's
 * 4 decimals), liquidateCF ONE, liquidationFactor ONE unless the test sets
 * them; the base indexes start at BASE_INDEX_SCALE (1).
 */
#include <check.h>
#include <string.h>

#include "core/liq.h"
#include "core/model.h"
#include "core/preview.h"
#include "tests/common/testutil.h"

#define E14 100000000000000ULL

enum { USDC, COMP, WETH, WBTC };

/* makeProtocol's market; prices in 8-decimal base units. */
static void
proto(struct market *m, struct u256 *price)
{
    static const uint8_t dec[] = {6, 18, 18, 8};
    static const uint64_t px[] = {1, 175, 3000, 41000};

    memset(m, 0, sizeof(*m));
    strcpy(m->id, "comet");
    m->model = MODEL_COMPOUND_V3;
    m->base_decimals = 8;
    m->nassets = 4;
    m->comet.base = USDC;
    m->comet.store_front = 97 * (WAD / 100); /* makeProtocol's 0.97 */
    for (int i = 0; i < 4; i++) {
        m->assets[i].sym = (uint32_t)i;
        m->assets[i].decimals = dec[i];
        if (i != USDC) {
            m->assets[i].ltv = 9999 * E14;
            m->assets[i].lt = WAD;
            m->assets[i].bonus = WAD;
        }
        price[i] = u256_from_u64(px[i] * 100000000ULL);
    }
}

/* A position: signed principal at index 1 is the debt itself. */
static void
pos(struct position *p, const char *debt, uint8_t coll, const char *amount)
{
    memset(p, 0, sizeof(*p));
    p->id = "p";
    p->label = "";
    if (debt != NULL) {
        p->ndebt = 1;
        p->debt[0] = (struct leg){USDC, test_u256(debt)};
    }
    if (amount != NULL) {
        p->ncoll = 1;
        p->coll[0] = (struct leg){coll, test_u256(amount)};
    }
}

/* test/is-liquidatable-test.ts, COMP at price 1 (1 COMP = 1 USDC). */
struct liq_case {
    const char *name;
    const char *debt;      /* -principal, USDC raw; NULL: owed nothing */
    const char *comp;      /* COMP raw */
    uint64_t comp_price;   /* 8 decimals */
    uint64_t liquidate_cf; /* WAD */
    bool want;
};

static const struct liq_case liq_cases[] = {
    {"defaults to false", NULL, NULL, 100000000, WAD, false},
    {"is true when user owes principal", "1000000", NULL, 100000000, WAD, true},
    {"is false when collateral can cover the borrowed principal",
     "100000000000", "100000000000000000000000", 100000000, WAD, false},
    {"is true when the collateral cannot cover the borrowed principal",
     "100000000000", "95000000000000000000000", 100000000, WAD, true},
    {"takes liquidateCollateralFactor into account", "100000000000",
     "100000000000000000000000", 100000000, 8000 * E14, true},
    {"changes when the underlying asset price changes (before)", "100000000000",
     "100000000000000000000000", 100000000, WAD, false},
    {"changes when the underlying asset price changes (0.5)", "100000000000",
     "100000000000000000000000", 50000000, WAD, true},
};

START_TEST(test_is_liquidatable_vectors)
{
    const struct liq_case *c = &liq_cases[_i];
    struct market m;
    struct u256 price[4];
    struct position p;
    struct account a;

    proto(&m, price);
    m.assets[COMP].lt = c->liquidate_cf;
    if (c->liquidate_cf <= m.assets[COMP].ltv)
        m.assets[COMP].ltv = 7500 * E14; /* the test's borrowCF 0.75 */
    price[COMP] = u256_from_u64(c->comp_price);
    ck_assert_int_eq(model_comet_ops.validate(&m, NULL, 0), 0);
    pos(&p, c->debt, COMP, c->comp);
    ck_assert_int_eq(model_account(&m, &p, price, &a), 0);
    ck_assert_msg(a.liquidatable == c->want, "%s", c->name);
    /* Health below 1 exactly when liquidatable. */
    ck_assert(a.liquidatable ==
              (a.has_debt && u256_lt(a.hf, u256_from_u64(WAD))));
}
END_TEST

/* test/quote-collateral-test.ts: COMP at 200, liquidationFactor 0.6,
 * storeFrontPriceFactor 0.5: discount 0.5 x 0.4 = 20 %, price 160;
 * 200 USDC buys 200 / 160 = 1.25 COMP. Factor 0: no discount, 1 COMP. */
START_TEST(test_quote_collateral_vectors)
{
    struct market m;
    struct u256 price[4], disc, out;

    proto(&m, price);
    price[COMP] = u256_from_u64(200 * 100000000ULL);
    m.assets[COMP].bonus = 6000 * E14;
    m.comet.store_front = WAD / 2;
    ck_assert_int_eq(model_comet_quote(&m, price, COMP,
                                       u256_from_u64(200000000), &disc, &out),
                     0);
    TEST_U256_EQ(disc, u256_from_u64(160 * 100000000ULL));
    TEST_U256_EQ(out, test_u256("1250000000000000000"));
    m.comet.store_front = 0;
    ck_assert_int_eq(model_comet_quote(&m, price, COMP,
                                       u256_from_u64(200000000), &disc, &out),
                     0);
    TEST_U256_EQ(out, test_u256("1000000000000000000"));
}
END_TEST

/* test/absorb-test.ts "absorbs 3 accounts with collateral and pays out the
 * absorber": each account ends with no collateral and no base (the
 * credit, at liquidationFactor 1, is far below the debt), the whole debt
 * leaves totalBorrowBase, and AbsorbCollateral's usdValue is mulPrice of
 * each balance; and one test further, a credit that covers the debt. */
struct absorb_case {
    const char *name;
    const char *debt;
    const char *comp, *weth, *wbtc;
    const char *coll_value; /* sum of the usdValues, 8 decimals */
    const char *credit;     /* divPrice(deltaValue, 1e8, 1e6) */
    const char *returned;   /* the base the borrower holds after */
    uint64_t liquidate_cf;  /* of each collateral */
};

static const struct absorb_case absorb_cases[] = {
    /* 1e12 COMP raw x 175e8 / 1e18 = 17500; x 1e6 / 1e8 = 175 raw USDC. */
    {"underwater1", "1000000", "1000000000000", "0", "0", "17500", "175", "0",
     WAD},
    /* 10 COMP x 175 + 1 WETH x 3000 = 4750 USD. */
    {"underwater2", "1000000000000", "10000000000000000000",
     "1000000000000000000", "0", "475000000000", "4750000000", "0", WAD},
    /* 10000 x 175 + 50 x 3000 + 50 x 41000 = 3,950,000 USD. */
    {"underwater3", "1000000000000000000", "10000000000000000000000",
     "50000000000000000000", "5000000000", "395000000000000", "3950000000000",
     "0", WAD},
    /* "absorbs an account with more than enough collateral to still cover
     * debt": liquidateCF factor(2/3) (exp keeps 0.666666, Comet's 4
     * decimals 0.6666), one of each collateral worth 175 + 3000 + 41000,
     * startingDebt = 1 - 44175e6, so the borrower is left with finalDebt
     * 1 raw unit of supply. */
    {"more than enough collateral", "44174999999", "1000000000000000000",
     "1000000000000000000", "100000000", "4417500000000", "44175000000", "1",
     6666 * E14},
};

START_TEST(test_absorb_vectors)
{
    const struct absorb_case *c = &absorb_cases[_i];
    const char *amt[] = {c->comp, c->weth, c->wbtc};
    struct market m;
    struct u256 price[4];
    struct position p;
    struct model_comet_absorb ab;
    struct liq_call call = {.debt = 0, .coll = 0, .max = true};
    struct liq_result r;

    proto(&m, price);
    for (int i = COMP; i <= WBTC; i++) {
        m.assets[i].lt = c->liquidate_cf;
        m.assets[i].ltv = c->liquidate_cf == WAD ? 9999 * E14 : 5000 * E14;
    }
    ck_assert_int_eq(model_comet_ops.validate(&m, NULL, 0), 0);
    pos(&p, c->debt, COMP, NULL);
    for (int i = 0; i < 3; i++)
        if (strcmp(amt[i], "0") != 0)
            p.coll[p.ncoll++] =
                (struct leg){(uint8_t)(COMP + i), test_u256(amt[i])};
    ck_assert_int_eq(model_comet_absorb(&m, &p, price, &ab), 0);
    ck_assert_msg(ab.liquidatable, "%s", c->name);
    TEST_U256_EQ(ab.coll_value, test_u256(c->coll_value));
    TEST_U256_EQ(ab.credit_value, test_u256(c->coll_value)); /* LF 1 */
    TEST_U256_EQ(ab.penalty, u256_zero());
    TEST_U256_EQ(ab.credit, test_u256(c->credit));
    TEST_U256_EQ(ab.debt, test_u256(c->debt));
    TEST_U256_EQ(ab.returned, test_u256(c->returned));
    if (u256_lt(ab.credit, ab.debt)) {
        struct u256 s;

        ck_assert_int_eq(u256_sub(&s, test_u256(c->debt), test_u256(c->credit)),
                         0);
        TEST_U256_EQ(ab.shortfall, s);
    } else {
        TEST_U256_EQ(ab.shortfall, u256_zero());
    }
    ck_assert_int_eq(model_liquidate(&m, &p, price, &call, &r), 0);
    ck_assert_int_eq(r.revert, REVERT_NONE);
    TEST_U256_EQ(r.repay, test_u256(c->debt));
    TEST_U256_EQ(r.seized, p.coll[0].amount);
    TEST_U256_EQ(r.to_liquidator, u256_zero());
    ck_assert(r.bad_debt_after == !u256_is_zero(ab.shortfall));
    ck_assert(u256_is_max(r.hf_after));
}
END_TEST

/*
 * Hand-derived, the market of tests/fixtures/comet.json (mainnet cUSDCv3's
 * first WETH factors 0.825 / 0.895 / 0.95, storefront 0.5; indexes supply
 * 1.05, borrow 1.1). Carol: 10 WETH at 2000, principal -16,363.636364
 * USDC: presentValue = floor(16363636364 x 1.1e15 / 1e15) = 18000000000
 * (18,000 USDC); collateral 20,000, weighted floor(20000e8 x 0.895) =
 * 17,900 < 18,000: liquidatable, health 17900 / 18000 =
 * 0.994444444444444444. Absorb: credit floor(20000e8 x 0.95) = 19,000,
 * penalty 1,000; newBalance 1,000 USDC = 1000000000 raw, stored as
 * principalValueSupply = floor(1e9 / 1.05) = 952380952, worth
 * floor(952380952 x 1.05) = 999999999 raw (999.999999 USDC) to the borrower.
 */
static void
fixture(struct market *m, struct u256 *price)
{
    memset(m, 0, sizeof(*m));
    strcpy(m->id, "cusdcv3");
    m->model = MODEL_COMPOUND_V3;
    m->base_decimals = 8;
    m->nassets = 2;
    m->comet.base = 0;
    m->comet.supply_index = 1050000000000000ULL;
    m->comet.borrow_index = 1100000000000000ULL;
    m->comet.store_front = WAD / 2;
    m->assets[0] = (struct asset){.sym = 0, .decimals = 6};
    m->assets[1] = (struct asset){.sym = 1,
                                  .decimals = 18,
                                  .ltv = 8250 * E14,
                                  .lt = 8950 * E14,
                                  .bonus = 9500 * E14};
    price[0] = u256_from_u64(100000000);
    price[1] = u256_from_u64(2000 * 100000000ULL);
}

START_TEST(test_carol_absorb)
{
    struct market m;
    struct u256 price[2], pv;
    struct position p;
    struct account a;
    struct model_comet_absorb ab;

    fixture(&m, price);
    ck_assert_int_eq(model_comet_ops.validate(&m, NULL, 0), 0);
    ck_assert_int_eq(
        model_comet_present(&m, true, u256_from_u64(16363636364), &pv), 0);
    TEST_U256_EQ(pv, u256_from_u64(18000000000));
    memset(&p, 0, sizeof(p));
    p.id = "carol";
    p.label = "";
    p.ndebt = p.ncoll = 1;
    p.debt[0] = (struct leg){0, pv};
    p.coll[0] = (struct leg){1, test_u256("10000000000000000000")};
    ck_assert_int_eq(model_account(&m, &p, price, &a), 0);
    ck_assert(a.liquidatable);
    TEST_U256_EQ(a.hf, test_u256("994444444444444444"));
    TEST_U256_EQ(a.coll_value, u256_from_u64(20000 * 100000000ULL));
    TEST_U256_EQ(a.debt_value, u256_from_u64(18000 * 100000000ULL));
    ck_assert_int_eq(model_comet_absorb(&m, &p, price, &ab), 0);
    TEST_U256_EQ(ab.credit_value, u256_from_u64(19000 * 100000000ULL));
    TEST_U256_EQ(ab.penalty, u256_from_u64(1000 * 100000000ULL));
    TEST_U256_EQ(ab.credit, u256_from_u64(19000000000));
    TEST_U256_EQ(ab.returned, u256_from_u64(999999999));
    TEST_U256_EQ(ab.shortfall, u256_zero());
}
END_TEST

/*
 * supplyBase on a borrow, hand-derived at borrow index 1.5: a debt of 3
 * raw (principal 2, floor(2 x 1.5) = 3). Repaying 1 leaves 2, stored as
 * principalValueBorrow = ceil(2 / 1.5) = 2, worth floor(2 x 1.5) = 3: the
 * repay of one raw unit leaves the debt as it was. Repaying 2 leaves 1:
 * ceil(1 / 1.5) = 1, worth floor(1.5) = 1.
 */
START_TEST(test_repay_rounding)
{
    struct market m;
    struct u256 price[2], out;

    fixture(&m, price);
    m.comet.borrow_index = 1500000000000000ULL;
    ck_assert_int_eq(model_comet_ops.apply(&m, 0, true, u256_from_u64(3),
                                           u256_from_u64(1), &out),
                     0);
    TEST_U256_EQ(out, u256_from_u64(3));
    ck_assert_int_eq(model_comet_ops.apply(&m, 0, true, u256_from_u64(3),
                                           u256_from_u64(2), &out),
                     0);
    TEST_U256_EQ(out, u256_from_u64(1));
    ck_assert_int_eq(model_comet_ops.apply(&m, 0, true, u256_from_u64(3),
                                           u256_from_u64(3), &out),
                     0);
    TEST_U256_EQ(out, u256_zero());
    ck_assert_int_eq(model_comet_ops.apply(&m, 0, true, u256_from_u64(3),
                                           u256_from_u64(4), &out),
                     LIQ_ERANGE);
}
END_TEST

/*
 * The preview of Carol. A repay of less than the whole debt reverts "no
 * partial liquidation"; the least call to health 1 is the absorb, 18,000
 * USDC. Least repay to avoid absorb: owed 18,000 - x, stored as
 * ceil((18000e6 - x) / 1.1) and worth floor(that x 1.1), must be at most
 * the weighted 17,900: x = 100 USDC leaves ceil(17900e6 / 1.1) =
 * 16272727273, worth floor(17900000000.3) = 17900000000: not liquidatable;
 * x = 100 USDC - 1 raw leaves 17900000001, ceil(/1.1) = 16272727274, worth
 * floor(17900000001.4) = 17900000001 > 17,900: still liquidatable. Least
 * deposit: WETH d with floor(v x 0.895) >= 18000e8 for the value v =
 * floor((10e18 + d) x 2000e8 / 1e18): v >= 2011173184358 (v x 0.895 =
 * 1800000000000.41; one less gives 1799999999999.5), so 10e18 + d >=
 * 2011173184358e18 / 2000e8 = 10.05586592179e18: d = 55865921790000000
 * (0.05586592179 WETH).
 */
START_TEST(test_carol_preview)
{
    struct market m;
    struct u256 price[2];
    struct position p;
    struct preview_req req = {.debt = -1, .coll = -1};
    struct preview pv;
    struct liq_call call = {.debt = 0, .coll = 0, .repay = {{17999999999}}};
    struct liq_result r;

    fixture(&m, price);
    memset(&p, 0, sizeof(p));
    p.id = "carol";
    p.label = "";
    p.ndebt = p.ncoll = 1;
    p.debt[0] = (struct leg){0, u256_from_u64(18000000000)};
    p.coll[0] = (struct leg){1, test_u256("10000000000000000000")};
    ck_assert_int_eq(model_liquidate(&m, &p, price, &call, &r), 0);
    ck_assert_int_eq(r.revert, REVERT_ABSORB_ONLY);
    ck_assert_str_eq(model_revert_reason(r.revert), "no partial liquidation");
    call.repay = u256_from_u64(18000000001);
    ck_assert_int_eq(model_liquidate(&m, &p, price, &call, &r), 0);
    ck_assert_int_eq(r.revert, REVERT_NONE);
    TEST_U256_EQ(r.repay, u256_from_u64(18000000000));
    /* The penalty's collateral: 10 WETH - mulFactor(10 WETH, 0.95). */
    TEST_U256_EQ(r.bonus, test_u256("500000000000000000"));
    ck_assert_int_eq(preview_compute(&m, &p, price, &req, &pv), 0);
    ck_assert(pv.has_to_target);
    TEST_U256_EQ(pv.repay_to_target, u256_from_u64(18000000000));
    TEST_U256_EQ(pv.collateral_to_target, test_u256("10000000000000000000"));
    ck_assert_int_eq(pv.reason, REASON_ONLY_FULL_REPAY);
    ck_assert(pv.avoid_repay[0].exists);
    TEST_U256_EQ(pv.avoid_repay[0].amount, u256_from_u64(100000000));
    ck_assert(pv.avoid_deposit[0].exists);
    TEST_U256_EQ(pv.avoid_deposit[0].amount, test_u256("55865921790000000"));
}
END_TEST

/* The constructor's checks, each naming its field. */
struct bad_case {
    int asset; /* 1: WETH's factor below; -1: the market */
    uint64_t ltv, lt, lf, store_front;
    uint8_t base_decimals;
    const char *msg;
};

static const struct bad_case bad_cases[] = {
    {1, 8950 * E14, 8950 * E14, 9500 * E14, WAD / 2, 8,
     "assets[1].borrow_collateral_factor: must be below "
     "liquidate_collateral_factor (BorrowCFTooLarge)"},
    {1, 8250 * E14, WAD + E14, 9500 * E14, WAD / 2, 8,
     "assets[1].liquidate_collateral_factor: above 1 (LiquidateCFTooLarge)"},
    {1, 8250 * E14, 0, 9500 * E14, WAD / 2, 8,
     "assets[1].liquidate_collateral_factor: missing or zero (a compound-v3 "
     "collateral needs one above borrow_collateral_factor)"},
    {1, 8250 * E14, 8950 * E14 + 1, 9500 * E14, WAD / 2, 8,
     "assets[1].liquidate_collateral_factor: more than 4 decimals (Comet "
     "keeps 4)"},
    {1, 8250 * E14, 8950 * E14, WAD + E14, WAD / 2, 8,
     "assets[1].liquidation_factor: above 1 (BadLiquidationFactor)"},
    {1, 8250 * E14, 8950 * E14, 9500 * E14, WAD + 1, 8,
     "params.store_front_price_factor: above 1 (BadDiscount)"},
    {1, 8250 * E14, 8950 * E14, 9500 * E14, WAD / 2, 18,
     "base_decimals: Comet's price feeds have 8 decimals"},
};

START_TEST(test_validate_refuses)
{
    const struct bad_case *c = &bad_cases[_i];
    struct market m;
    struct u256 price[2];
    char err[200];

    fixture(&m, price);
    m.assets[1].ltv = c->ltv;
    m.assets[1].lt = c->lt;
    m.assets[1].bonus = c->lf;
    m.comet.store_front = c->store_front;
    m.base_decimals = c->base_decimals;
    ck_assert_int_eq(model_comet_ops.validate(&m, err, sizeof err), LIQ_ERANGE);
    ck_assert_str_eq(err, c->msg);
}
END_TEST

/* Not liquidatable: the absorb's figures, and the contract's revert. */
START_TEST(test_not_liquidatable)
{
    struct market m;
    struct u256 price[2];
    struct position p;
    struct liq_call call = {.debt = 0, .coll = 0, .max = true};
    struct liq_result r;

    fixture(&m, price);
    memset(&p, 0, sizeof(p));
    p.id = "p";
    p.label = "";
    p.ndebt = p.ncoll = 1;
    /* Weighted 17,900 = debt 17,900: liquidity 0 is not below 0. */
    p.debt[0] = (struct leg){0, u256_from_u64(17900000000)};
    p.coll[0] = (struct leg){1, test_u256("10000000000000000000")};
    ck_assert_int_eq(model_liquidate(&m, &p, price, &call, &r), 0);
    ck_assert_int_eq(r.revert, REVERT_NOT_LIQUIDATABLE);
    TEST_U256_EQ(r.seized, p.coll[0].amount);
    p.debt[0].amount = u256_from_u64(17900000001);
    ck_assert_int_eq(model_liquidate(&m, &p, price, &call, &r), 0);
    ck_assert_int_eq(r.revert, REVERT_NONE);
}
END_TEST

static Suite *
comet_suite(void)
{
    Suite *s = suite_create("compound-v3");
    TCase *tc = tcase_create("comet");

    tcase_add_loop_test(tc, test_is_liquidatable_vectors, 0,
                        (int)(sizeof liq_cases / sizeof liq_cases[0]));
    tcase_add_test(tc, test_quote_collateral_vectors);
    tcase_add_loop_test(tc, test_absorb_vectors, 0,
                        (int)(sizeof absorb_cases / sizeof absorb_cases[0]));
    tcase_add_test(tc, test_carol_absorb);
    tcase_add_test(tc, test_repay_rounding);
    tcase_add_test(tc, test_carol_preview);
    tcase_add_loop_test(tc, test_validate_refuses, 0,
                        (int)(sizeof bad_cases / sizeof bad_cases[0]));
    tcase_add_test(tc, test_not_liquidatable);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    return test_run(comet_suite());
}
