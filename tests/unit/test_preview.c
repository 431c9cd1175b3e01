/*
 * test_preview.c: the preview solvers and the liquidation price on the
 * worked example of liquidation-mechanics.md 1.3 (20,000 USD of WETH at LT
 * 0.825, LB 1.05, against 17,000 USDC; r* = 3,738.3178 USD for target 1.0)
 * under Aave v3.7, and on Compound v2 and Morpho Blue positions, with the
 * least amounts derived by hand in comments.
 */
#include <check.h>
#include <string.h>

#include "core/liq.h"
#include "core/liqprice.h"
#include "core/preview.h"
#include "tests/common/testutil.h"

static void
example(struct market *m, struct position *p, struct u256 price[2])
{
    memset(m, 0, sizeof(*m));
    strcpy(m->id, "aave");
    m->model = MODEL_AAVE_V3;
    m->version = 307;
    m->base_decimals = 8;
    m->nassets = 2;
    m->assets[0] = (struct asset){.sym = 0,
                                  .decimals = 18,
                                  .ltv = 8000,
                                  .lt = 8250,
                                  .bonus = 500,
                                  .fee = 1000};
    m->assets[1] = (struct asset){.sym = 1,
                                  .decimals = 6,
                                  .ltv = 7500,
                                  .lt = 7800,
                                  .bonus = 450,
                                  .fee = 1000};
    memset(p, 0, sizeof(*p));
    p->id = "alice";
    p->label = "";
    p->ncoll = 1;
    p->coll[0] = (struct leg){0, test_u256("10000000000000000000")};
    p->ndebt = 1;
    p->debt[0] = (struct leg){1, test_u256("17000000000")};
    price[0] = test_u256("200000000000");
    price[1] = test_u256("100000000");
}

/* One collateral (asset 0) against one debt (asset 1), Aave v3 at
 * `version`, base 8 decimals, no protocol fee. */
static void
aave_pair(struct market *m, struct position *p, struct u256 price[2],
          uint16_t version, uint8_t cdec, uint64_t lt, uint64_t bonus,
          const char *coll, const char *cprice, const char *debt)
{
    memset(m, 0, sizeof(*m));
    strcpy(m->id, "aave");
    m->model = MODEL_AAVE_V3;
    m->version = version;
    m->base_decimals = 8;
    m->nassets = 2;
    m->assets[0] = (struct asset){
        .sym = 0, .decimals = cdec, .ltv = lt / 2, .lt = lt, .bonus = bonus};
    m->assets[1] = (struct asset){
        .sym = 1, .decimals = 6, .ltv = 7500, .lt = 7800, .bonus = 450};
    memset(p, 0, sizeof(*p));
    p->id = "v";
    p->label = "";
    p->ncoll = 1;
    p->coll[0] = (struct leg){0, test_u256(coll)};
    p->ndebt = 1;
    p->debt[0] = (struct leg){1, test_u256(debt)};
    price[0] = test_u256(cprice);
    price[1] = test_u256("100000000");
}

static bool
reaches(const struct market *m, const struct position *p,
        const struct u256 *price, struct u256 target, const char *repay)
{
    struct liq_call c = {
        .debt = 0, .coll = 0, .max = false, .repay = test_u256(repay)};
    struct liq_result r;

    ck_assert_int_eq(model_liquidate(m, p, price, &c, &r), 0);
    return r.revert == REVERT_NONE && u256_le(target, r.hf_after);
}

START_TEST(test_example_preview)
{
    struct market m;
    struct position p;
    struct u256 price[2];
    struct preview_req req = {.debt = -1, .coll = -1};
    struct preview pv;

    example(&m, &p, price);
    ck_assert_int_eq(preview_compute(&m, &p, price, &req, &pv), 0);
    TEST_U256_EQ(pv.call.max_repay, test_u256("8500000000"));
    TEST_U256_EQ(pv.call.seized, test_u256("4462500000000000000"));
    /* r* = 500 / 0.13375 = 3738.3177570 USD: the least raw repay that
     * reaches 1.0 is 3738.317758 USDC, seizing 1.96261682295 WETH. */
    ck_assert(pv.has_to_target);
    TEST_U256_EQ(pv.repay_to_target, test_u256("3738317758"));
    TEST_U256_EQ(pv.collateral_to_target, test_u256("1962616822950000000"));
    TEST_U256_EQ(pv.cover_to_target, pv.repay_to_target);
    ck_assert_int_eq(pv.reason, REASON_NONE);
    /* Values at 8 decimals: the call's 4.4625 WETH at 2,000 is 8,925, its
     * bonus 425 and fee 42.5; the target's 3,738.317758 USDC and
     * 1.96261682295 WETH (3,925.2336459). */
    TEST_U256_EQ(pv.values.repay, test_u256("850000000000"));
    TEST_U256_EQ(pv.values.seized, test_u256("892500000000"));
    TEST_U256_EQ(pv.values.bonus, test_u256("42500000000"));
    TEST_U256_EQ(pv.values.fee, test_u256("4250000000"));
    TEST_U256_EQ(pv.to_target_values.repay, test_u256("373831775800"));
    TEST_U256_EQ(pv.to_target_values.seized, test_u256("392523364590"));
    TEST_U256_EQ(pv.to_target_call.seized, pv.collateral_to_target);
    ck_assert(!pv.repay_capped && !pv.lowers_health);
    /* Repaying 500 USDC leaves 16,500 = 20,000 * 0.825: HF exactly 1. */
    ck_assert(pv.avoid_repay[0].exists);
    TEST_U256_EQ(pv.avoid_repay[0].amount, test_u256("500000000"));
    /* A deposit must lift the collateral value to 2060606060607 base
     * units, i.e. 10.303030303035 WETH at 5e6 wei per base unit. */
    ck_assert(pv.avoid_deposit[0].exists);
    TEST_U256_EQ(pv.avoid_deposit[0].amount, test_u256("303030303035000000"));
}
END_TEST

START_TEST(test_target_above)
{
    struct market m;
    struct position p;
    struct u256 price[2];
    struct preview_req req = {.debt = 0, .coll = 0, .has_target = true};
    struct preview pv;

    example(&m, &p, price);
    req.target_hf = test_u256("1050000000000000000");
    ck_assert_int_eq(preview_compute(&m, &p, price, &req, &pv), 0);
    ck_assert(pv.has_to_target);
    TEST_U256_EQ(pv.repay_to_target, test_u256("7346938776"));
    /* 1.2 is beyond what the 50 % close factor allows in one call. */
    req.target_hf = test_u256("1200000000000000000");
    ck_assert_int_eq(preview_compute(&m, &p, price, &req, &pv), 0);
    ck_assert(!pv.has_to_target);
    ck_assert_int_eq(pv.reason, REASON_CAPPED);
    /* At 2,100 the position is healthy: nothing can be called. */
    price[0] = test_u256("210000000000");
    req.target_hf = test_u256("1200000000000000000");
    ck_assert_int_eq(preview_compute(&m, &p, price, &req, &pv), 0);
    ck_assert_int_eq(pv.reason, REASON_NOT_LIQUIDATABLE);
    ck_assert_int_eq(pv.call.revert, REVERT_NOT_LIQUIDATABLE);
}
END_TEST

/*
 * HF 0.846 < LB * LT = 0.86625: every partial call lowers health. Only the
 * call that seizes all 10 WETH reaches the target: 3.3+ writes off the
 * debt it leaves (design.md 4.1). It repays percentDivCeil(20,000 USD,
 * 1.05) = 19,047.619048 USDC; one unit less as debtToCover seizes less
 * than all and lowers health.
 */
START_TEST(test_lowers_health)
{
    struct market m;
    struct position p;
    struct u256 price[2];
    struct preview_req req = {.debt = -1, .coll = -1};
    struct preview pv;

    example(&m, &p, price);
    p.debt[0].amount = test_u256("19500000000");
    ck_assert_int_eq(preview_compute(&m, &p, price, &req, &pv), 0);
    ck_assert(pv.has_to_target);
    ck_assert_int_eq(pv.reason, REASON_ONLY_BAD_DEBT);
    TEST_U256_EQ(pv.repay_to_target, test_u256("19047619048"));
    TEST_U256_EQ(pv.collateral_to_target, test_u256("10000000000000000000"));
    ck_assert(pv.to_target_no_debt && pv.to_target_bad_debt);
    ck_assert(!reaches(&m, &p, price, pv.target_hf, "19047619047"));
    /* The maximum call leaves debt and no collateral: health 0, lower. */
    ck_assert(pv.call.bad_debt_after);
    ck_assert(pv.lowers_health && pv.call.lowers_health);
    req.has_repay = true;
    req.repay = test_u256("1000000000");
    ck_assert_int_eq(preview_compute(&m, &p, price, &req, &pv), 0);
    ck_assert(pv.call.lowers_health);
    TEST_U256_EQ(pv.call.hf_after, test_u256("845067567567567567"));
    /* Aave 3.0 writes nothing off: no call reaches, and why. */
    m.version = 300;
    req.has_repay = false;
    ck_assert_int_eq(preview_compute(&m, &p, price, &req, &pv), 0);
    ck_assert(!pv.has_to_target);
    ck_assert_int_eq(pv.reason, REASON_LOWERS_HEALTH);
}
END_TEST

/*
 * Liquidation price of WETH alone: HF < 1 while the collateral value
 * stays below 2060606060606.06 base units, so while 10 * p <=
 * 2060606060606: p = 206060606060 (2,060.6060606 USD).
 */
START_TEST(test_example_liqprice)
{
    struct market m;
    struct position p;
    struct u256 price[2], lp, at[2];
    bool exists = false;
    struct account a;

    example(&m, &p, price);
    ck_assert_int_eq(liqprice_compute(&m, &p, price, 0, &exists, &lp), 0);
    ck_assert(exists);
    TEST_U256_EQ(lp, test_u256("206060606060"));
    at[0] = lp;
    at[1] = price[1];
    ck_assert_int_eq(model_account(&m, &p, at, &a), 0);
    ck_assert(a.liquidatable);
    at[0].w[0]++;
    ck_assert_int_eq(model_account(&m, &p, at, &a), 0);
    ck_assert(!a.liquidatable);
    /* No debt: no liquidation price. */
    p.debt[0].amount = u256_zero();
    ck_assert_int_eq(liqprice_compute(&m, &p, price, 0, &exists, &lp), 0);
    ck_assert(!exists);
}
END_TEST

/* Two assets, WETH (18 dec) at 2,000 against USDC (6 dec) at 1. */
static void
weth_usdc(struct market *m, struct position *p, struct u256 price[2],
          enum model_kind kind, uint64_t lt, const char *debt)
{
    memset(m, 0, sizeof(*m));
    strcpy(m->id, "m");
    m->model = kind;
    market_params_default(&m->params, kind);
    m->base_decimals = 8;
    m->nassets = 2;
    m->assets[0] = (struct asset){.sym = 0, .decimals = 18, .lt = lt};
    m->assets[1] = (struct asset){.sym = 1, .decimals = 6};
    memset(p, 0, sizeof(*p));
    p->id = "w";
    p->label = "";
    p->ncoll = 1;
    p->coll[0] = (struct leg){0, test_u256("1000000000000000000")};
    p->ndebt = 1;
    p->debt[0] = (struct leg){1, test_u256(debt)};
    price[0] = test_u256("200000000000");
    price[1] = test_u256("100000000");
}

/*
 * Compound v2, CF 0.8, 1,700 USDC: sumCollateral = 1600 * balance,
 * sumBorrow = 1e12 * debt; seize = 5.4e8 * r (ratio 5.4e26). Health >= 1
 * iff 1600 (1e18 - 5.4e8 r) >= 1e12 (1.7e9 - r) iff 1.36e11 r >= 1e20 iff
 * r >= 735294117.6: r = 735294118, seizing 397058823720000000. Plain
 * repayment: 1.6e21 >= 1e12 (1.7e9 - x) iff x >= 1e8. Deposit: 1600
 * (1e18 + x) >= 1.7e21 iff x >= 6.25e16.
 */
START_TEST(test_compound_preview)
{
    struct market m;
    struct position p;
    struct u256 price[2];
    struct preview_req req = {.debt = -1, .coll = -1};
    struct preview pv;

    weth_usdc(&m, &p, price, MODEL_COMPOUND_V2, 800000000000000000ULL,
              "1700000000");
    ck_assert_int_eq(preview_compute(&m, &p, price, &req, &pv), 0);
    ck_assert(pv.has_to_target);
    TEST_U256_EQ(pv.repay_to_target, test_u256("735294118"));
    TEST_U256_EQ(pv.collateral_to_target, test_u256("397058823720000000"));
    ck_assert(pv.avoid_repay[0].exists);
    TEST_U256_EQ(pv.avoid_repay[0].amount, test_u256("100000000"));
    ck_assert(pv.avoid_deposit[0].exists);
    TEST_U256_EQ(pv.avoid_deposit[0].amount, test_u256("62500000000000000"));
    /* Above the close factor's reach: 850 USDC lifts health only to
     * 1.018; a target of 1.1 is capped. */
    req.has_target = true;
    req.target_hf = test_u256("1100000000000000000");
    ck_assert_int_eq(preview_compute(&m, &p, price, &req, &pv), 0);
    ck_assert(!pv.has_to_target);
    ck_assert_int_eq(pv.reason, REASON_CAPPED);
}
END_TEST

/*
 * Morpho, LLTV 0.86, 1,750 USDC: seized = floor(r * LIF / 1e18) * 5e8;
 * maxBorrow = floor(floor((1e18 - seized) * 2e27 / 1e36) * 0.86). The
 * least r with maxBorrow >= 1750e6 - r is 293265301 (seizing
 * 153061221500000000; r - 1 leaves 0.999999999313533205). Plain
 * repayment: 1720e6 >= 1750e6 - x iff x >= 3e7. Deposit: floor(floor((1e18
 * + x) / 5e8) * 0.86) >= 1750e6 iff x >= 17441860500000000.
 */
START_TEST(test_morpho_preview)
{
    struct market m;
    struct position p;
    struct u256 price[2];
    struct preview_req req = {.debt = -1, .coll = -1};
    struct preview pv;

    weth_usdc(&m, &p, price, MODEL_MORPHO_BLUE, 860000000000000000ULL,
              "1750000000");
    ck_assert_int_eq(preview_compute(&m, &p, price, &req, &pv), 0);
    ck_assert(pv.has_to_target);
    TEST_U256_EQ(pv.repay_to_target, test_u256("293265301"));
    TEST_U256_EQ(pv.collateral_to_target, test_u256("153061221500000000"));
    ck_assert(pv.avoid_repay[0].exists);
    TEST_U256_EQ(pv.avoid_repay[0].amount, test_u256("30000000"));
    ck_assert(pv.avoid_deposit[0].exists);
    TEST_U256_EQ(pv.avoid_deposit[0].amount, test_u256("17441860500000000"));
    /* Healthy: nothing to repay. */
    p.debt[0].amount = test_u256("1000000000");
    ck_assert_int_eq(preview_compute(&m, &p, price, &req, &pv), 0);
    ck_assert(!pv.has_to_target);
    ck_assert_int_eq(pv.reason, REASON_ALREADY_AT_TARGET);
    ck_assert(pv.avoid_repay[0].exists);
    TEST_U256_EQ(pv.avoid_repay[0].amount, u256_zero());
}
END_TEST

/*
 * Aave 3.3, 4,000 of an 18-decimal collateral at 1 (LT 0.8, bonus 5 %)
 * against 3,500 USDC: HF 0.914, so 100 % may be repaid, but a repay in
 * (2,500, 3,500) leaves dust (debt under 1,000, or collateral under 1,000
 * once 3,000 is seized). Health after is (4000 - 1.05 r) 0.8 / (3500 -
 * r): exactly 1 at r = 1,875, below it one unit less.
 */
START_TEST(test_dust_band)
{
    struct market m;
    struct position p;
    struct u256 price[2];
    struct preview_req req = {.debt = -1, .coll = -1};
    struct preview pv;

    aave_pair(&m, &p, price, 303, 18, 8000, 500, "4000000000000000000000",
              "100000000", "3500000000");
    ck_assert_int_eq(preview_compute(&m, &p, price, &req, &pv), 0);
    ck_assert(pv.has_to_target);
    TEST_U256_EQ(pv.repay_to_target, test_u256("1875000000"));
    TEST_U256_EQ(pv.collateral_to_target, test_u256("1968750000000000000000"));
    ck_assert(reaches(&m, &p, price, pv.target_hf, "1875000000"));
    ck_assert(!reaches(&m, &p, price, pv.target_hf, "1874999999"));
    /* The band itself reverts. */
    ck_assert(!reaches(&m, &p, price, pv.target_hf, "3000000000"));
}
END_TEST

/*
 * Aave 3.0, 395.650030 of a 6-decimal collateral at 3,555.55 (LT 0.8,
 * bonus 5 %) against 1,184,759.207635 USDC, target 1.05. One raw unit of
 * collateral is worth 3,386 raw USDC once the bonus is paid, so health
 * after is a sawtooth in the repay: within a tooth of constant seized
 * collateral it rises, and at each new unit seized it drops. The least
 * repay reaching 1.05 is 564,735.206266 (a bisection finds 564,735.211684,
 * the start of a later tooth): every smaller repay falls short, as the
 * exhaustive scan of the two teeth around it shows below.
 */
START_TEST(test_sawtooth)
{
    struct market m;
    struct position p;
    struct u256 price[2];
    struct preview_req req = {.debt = -1, .coll = -1, .has_target = true};
    struct preview pv;

    aave_pair(&m, &p, price, 300, 6, 8000, 500, "395650030", "355555000000",
              "1184759207635");
    req.target_hf = test_u256("1050000000000000000");
    ck_assert_int_eq(preview_compute(&m, &p, price, &req, &pv), 0);
    ck_assert(pv.has_to_target);
    ck_assert(reaches(&m, &p, price, pv.target_hf, "564735211684"));
    ck_assert(reaches(&m, &p, price, pv.target_hf, "564735206266"));
    TEST_U256_EQ(pv.repay_to_target, test_u256("564735206266"));
    /* Nothing in the 10,000 raw units below reaches it. */
    for (uint64_t d = 1; d <= 10000; d++) {
        struct liq_call c = {
            .debt = 0, .coll = 0, .max = false, .repay = u256_zero()};
        struct liq_result r;

        (void)u256_sub(&c.repay, pv.repay_to_target, u256_from_u64(d));
        ck_assert_int_eq(model_liquidate(&m, &p, price, &c, &r), 0);
        ck_assert(r.revert != REVERT_NONE || u256_lt(r.hf_after, pv.target_hf));
    }
}
END_TEST

/* Aave v4 with one collateral of `cdec` decimals against one debt, the
 * defaults' bonus curve, target health factor thf (WAD). */
static void
aave4_pair(struct market *m, struct position *p, struct u256 price[2],
           uint64_t thf, uint8_t cdec, uint64_t cf, uint64_t bonus,
           uint64_t fee, const char *coll, const char *cprice, uint8_t ddec,
           const char *debt, const char *dprice)
{
    memset(m, 0, sizeof(*m));
    strcpy(m->id, "v4");
    m->model = MODEL_AAVE_V4;
    m->base_decimals = 8;
    market_params_default(&m->params, MODEL_AAVE_V4);
    m->params.target_health_factor = thf;
    m->nassets = 2;
    m->assets[0] = (struct asset){.sym = 0,
                                  .decimals = cdec,
                                  .ltv = cf / 2,
                                  .lt = cf,
                                  .bonus = bonus,
                                  .fee = fee};
    m->assets[1] = (struct asset){.sym = 1, .decimals = ddec};
    memset(p, 0, sizeof(*p));
    p->id = "v";
    p->label = "";
    p->ncoll = 1;
    p->coll[0] = (struct leg){0, test_u256(coll)};
    p->ndebt = 1;
    p->debt[0] = (struct leg){1, test_u256(debt)};
    price[0] = test_u256(cprice);
    price[1] = test_u256(dprice);
}

/* No cover below `least` is an accepted call that reaches the target. */
static void
none_below(const struct market *m, const struct position *p,
           const struct u256 *price, struct u256 target, uint64_t least)
{
    for (uint64_t x = 1; x < least; x++) {
        struct liq_call c = {
            .debt = 0, .coll = 0, .max = false, .repay = u256_from_u64(x)};
        struct liq_result r;

        ck_assert_int_eq(model_liquidate(m, p, price, &c, &r), 0);
        ck_assert_msg(r.revert != REVERT_NONE || u256_lt(r.hf_after, target),
                      "cover %llu reaches", (unsigned long long)x);
    }
}

/*
 * Aave v4, target health factor 1.023: 1.86 of a 2-decimal collateral
 * (CF 0.747, maximum bonus 9.93 %) against 3.87 of a 2-decimal debt;
 * preview target 1.052, above the market's own. Every partial call stops
 * at 1.023, so only the call that takes all the collateral reaches it:
 * the rest of the debt is then reported as deficit. It repays 3.64.
 */
START_TEST(test_aave4_deficit)
{
    struct market m;
    struct position p;
    struct u256 price[2];
    struct preview_req req = {.debt = -1, .coll = -1, .has_target = true};
    struct preview pv;

    aave4_pair(&m, &p, price, 1023000000000000000ULL, 2, 7470, 993, 234, "186",
               "199166666700", 2, "387", "92635658900");
    req.target_hf = test_u256("1052000000000000000");
    ck_assert_int_eq(preview_compute(&m, &p, price, &req, &pv), 0);
    ck_assert(pv.has_to_target);
    ck_assert_int_eq(pv.reason, REASON_ONLY_BAD_DEBT);
    TEST_U256_EQ(pv.repay_to_target, test_u256("364"));
    TEST_U256_EQ(pv.collateral_to_target, test_u256("186"));
    none_below(&m, &p, price, pv.target_hf, 364);
}
END_TEST

/*
 * Aave v4, target health factor 1.155: 115 whole units of a 0-decimal
 * collateral (CF 0.793, maximum bonus 9.49 %) against 1,907 of a
 * 0-decimal debt; preview target 1.132. One collateral unit is worth
 * about 20 debt units, so health after is a sawtooth: 1,086 reaches, a
 * bisection lands on 1,114 in a later tooth.
 */
START_TEST(test_aave4_sawtooth)
{
    struct market m;
    struct position p;
    struct u256 price[2];
    struct preview_req req = {.debt = -1, .coll = -1, .has_target = true};
    struct preview pv;

    aave4_pair(&m, &p, price, 1155000000000000000ULL, 0, 7930, 949, 913, "115",
               "3060490291", 0, "1907", "151284740");
    req.target_hf = test_u256("1132000000000000000");
    ck_assert_int_eq(preview_compute(&m, &p, price, &req, &pv), 0);
    ck_assert(pv.has_to_target);
    ck_assert_int_eq(pv.reason, REASON_NONE);
    TEST_U256_EQ(pv.repay_to_target, test_u256("1086"));
    ck_assert(reaches(&m, &p, price, pv.target_hf, "1114"));
    none_below(&m, &p, price, pv.target_hf, 1086);
}
END_TEST

static Suite *
preview_suite(void)
{
    Suite *s = suite_create("preview");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, test_example_preview);
    tcase_add_test(tc, test_target_above);
    tcase_add_test(tc, test_lowers_health);
    tcase_add_test(tc, test_example_liqprice);
    tcase_add_test(tc, test_compound_preview);
    tcase_add_test(tc, test_morpho_preview);
    tcase_add_test(tc, test_dust_band);
    tcase_add_test(tc, test_sawtooth);
    tcase_add_test(tc, test_aave4_deficit);
    tcase_add_test(tc, test_aave4_sawtooth);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    return test_run(preview_suite());
}
