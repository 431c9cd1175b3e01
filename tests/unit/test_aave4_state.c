/*
 * test_aave4_state.c: Aave v4's stored units (design.md 3.1) against the
 * contract's LiquidationAmounts vectors (liquidation-mechanics.md 3.7) and
 * a position with a drawn index, hub totals and premium debt whose figures
 * are derived step by step in the comments (sections 3.1 to 3.5).
 */
#include <check.h>
#include <string.h>

#include "core/book.h"
#include "core/liq.h"
#include "core/model.h"
#include "core/model_aave.h"
#include "core/preview.h"
#include "tests/common/testutil.h"

/*
 * LiquidationLogic.LiquidationAmounts.t.sol: collateral of 6 decimals at
 * price 1e8 and share price 1.25 (hub totals with (A + 1e6) / (S + 1e6) =
 * 5e12 / 4e12), CF 5000, max bonus 12000, fee 1000; debt of 18 decimals at
 * 2000e8, drawn index 1.6e27, 3e18 drawn shares and 0.5e18 of premium;
 * totalDebtValueRay 10,000 USD, HF 0.8, THF 1, hfForMaxBonus 0.8, bonus
 * factor 5000, debtToCover 3e18.
 */
static void
vector_market(struct market *m)
{
    memset(m, 0, sizeof *m);
    strcpy(m->id, "v4");
    m->model = MODEL_AAVE_V4;
    m->base_decimals = 8;
    m->params.target_health_factor = 1000000000000000000ULL;
    m->params.health_factor_for_max_bonus = 800000000000000000ULL;
    m->params.liquidation_bonus_factor = 5000;
    m->nassets = 2;
    m->assets[0] = (struct asset){
        .sym = 0, .decimals = 6, .lt = 5000, .bonus = 2000, .fee = 1000};
    m->assets[0].hub_assets = test_u256("4999999000000");
    m->assets[0].hub_shares = test_u256("3999999000000");
    m->assets[1] = (struct asset){.sym = 1, .decimals = 18, .lt = 5000};
    m->assets[1].dindex = test_u256("1600000000000000000000000000");
}

static void
vector_legs(struct model_aave4_legs *g, const char *supplied)
{
    memset(g, 0, sizeof *g);
    g->da = 1;
    g->ca = 0;
    g->drawn = test_u256("3000000000000000000");
    g->premium = test_u256("500000000000000000000000000000000000000000000");
    g->supplied = test_u256(supplied);
    g->dp = test_u256("200000000000");
    g->cp = test_u256("100000000");
}

START_TEST(test_vector_enough_collateral)
{
    struct market m;
    struct model_aave4_legs g;
    struct model_aave4_call c;
    struct u256 tv;

    vector_market(&m);
    vector_legs(&g, "10000000000");
    /* 10,000 USD = 1e30 value units, in RAY */
    ck_assert_int_eq(u256_mul(&tv, u256_exp10(30), u256_exp10(27)), 0);
    ck_assert_int_eq(model_aave4_calc(&m, &g, test_u256("800000000000000000"),
                                      tv, false,
                                      test_u256("3000000000000000000"), &c),
                     0);
    ck_assert_uint_eq(g.lb, 12000);
    TEST_U256_EQ(c.debt_to_target,
                 test_u256("2500000000000000000000000000000000000000000000"));
    TEST_U256_EQ(c.premium,
                 test_u256("500000000000000000000000000000000000000000000"));
    TEST_U256_EQ(c.drawn, test_u256("1250000000000000000"));
    TEST_U256_EQ(c.shares, test_u256("4800000000"));
    TEST_U256_EQ(c.shares_to_liq, test_u256("4720000000"));
    /* rayMulUp(1.25e18, 1.6e27) + 0.5e18; the shares' assets at 1.25 */
    TEST_U256_EQ(c.required, test_u256("2500000000000000000"));
    TEST_U256_EQ(c.coll, test_u256("6000000000"));
    TEST_U256_EQ(c.to_liq, test_u256("5900000000"));
}
END_TEST

START_TEST(test_vector_insufficient_collateral)
{
    struct market m;
    struct model_aave4_legs g;
    struct model_aave4_call c;
    struct u256 tv;

    vector_market(&m);
    vector_legs(&g, "4500000000");
    ck_assert_int_eq(u256_mul(&tv, u256_exp10(30), u256_exp10(27)), 0);
    ck_assert_int_eq(model_aave4_calc(&m, &g, test_u256("800000000000000000"),
                                      tv, false,
                                      test_u256("3000000000000000000"), &c),
                     0);
    TEST_U256_EQ(c.shares, test_u256("4500000000"));
    TEST_U256_EQ(c.shares_to_liq, test_u256("4425000000"));
    TEST_U256_EQ(c.drawn, test_u256("1152343750000000000"));
    TEST_U256_EQ(c.premium,
                 test_u256("500000000000000000000000000000000000000000000"));
    /* ceil(1.15234375e18 * 1.6) + 0.5e18 */
    TEST_U256_EQ(c.required, test_u256("2343750000000000000"));
}
END_TEST

/*
 * A position with every kind of state. WETH (18 decimals, CF 8000, max
 * bonus 10500, fee 1000) on a hub of A = 1.1e24 - 1e6 assets and S = 1e24
 * - 1e6 shares (1.1 assets a share); USDC (6 decimals) at drawn index
 * 1.05e27. Prices 2000e8 and 1e8, base 8 decimals; THF 1, hfForMaxBonus
 * 0.9, bonus factor 5000. The borrower: 10e18 supplied shares, 17,000e6
 * drawn shares and 500 USDC of premium (5e35 RAY).
 *   collateral: previewRemoveByShares(10e18) = floor(10e18 * 1.1e24 /
 *     1e24) = 11e18 WETH = 2.2e30 value; weighted 8000 * 2.2e30.
 *   debt: 17,000e6 * 1.05e27 + 5e35 = 1.835e37 RAY (18,350 USDC), value
 *     RAY 1.835e37 * 1e8 * 1e12 = 1.835e57.
 *   HF = floor(1.76e34 * 1e14 * 1e27 / 1.835e57) = 959128065395095367.
 *   LB: minLB = 500 * 5000 / 1e4 + 1e4 = 10250; + floor(250 *
 *     40871934604904633 / 1e17) = 102: 10352. Penalty 1.03520e18 * 0.8 =
 *     828160000000000000.
 *   debtRayToTarget = ceil(1.835e57 * 1e6 * 40871934604904633 / (0.17184e18
 *     * 1e8 * 1e18)) = 4364525139664804559764897579143389200.
 *   Premium first: min(roundRayUp(target), 5e35) = 5e35; drawn shares
 *     ceil((target - 5e35) / 1.05e27) = 3680500134 (no cover limit).
 *   Rest: (17,000e6 - 3680500134) * 1.05 + 0 = 13,985.474859 USDC, not dust.
 *   Collateral: floor((3680500134 * 1.05e27 + 5e35) * 1e8 * 1e18 * 10352 /
 *     (1e6 * 2000e8 * 1e4 * 1e27)) = 2259078212826320000 WETH assets, to
 *     shares rounding down: 2053707466205745454; left 7.946e18 shares,
 *     not dust.
 *   Restored: rayMulUp(3680500134, 1.05e27) + 500e6 = 4364525141.
 *   Fee shares ceil(2053707466205745454 * 1000 * 352 / (10352 * 1e4)) =
 *     6983240225120000 -> to the liquidator 2046724225980625454 shares.
 *   Seized assets floor(shares * 1.1) = 2259078212826319999; to the
 *     liquidator 2251396648578687999; fee 7681564247632000; bonus
 *     seized - floor(seized * 1e4 / 10352) = 76815642476320000.
 *   After: 7946292533794254546 shares, 13319499866 drawn shares, no
 *     premium: HF 1000000000012719482.
 * With debtToCover 1,000 USDC: premium 5e35 (500 USDC), then floor(500e6 *
 * 1e27 / 1.05e27) = 476190476 drawn shares; restored 499999999.8 up = 500e6
 * + 500e6; shares 470545454451345454, seized 517599999896479999.
 * With debtToCover 300 USDC, less than the premium: 3e35 of it and no drawn
 * share; collateral floor(3e35 * 1e8 * 1e18 * 10352 / 2e48) =
 * 155280000000000000 WETH, 141163636363636363 shares (down), worth
 * 155279999999999999; the premium left 2e35: HF after 961304819944598337.
 */
static void
state_position(struct market *m, struct position *p, struct u256 *price)
{
    memset(m, 0, sizeof *m);
    strcpy(m->id, "v4s");
    m->model = MODEL_AAVE_V4;
    m->base_decimals = 8;
    m->params.target_health_factor = 1000000000000000000ULL;
    m->params.health_factor_for_max_bonus = 900000000000000000ULL;
    m->params.liquidation_bonus_factor = 5000;
    m->nassets = 2;
    m->assets[0] = (struct asset){
        .sym = 0, .decimals = 18, .lt = 8000, .bonus = 500, .fee = 1000};
    m->assets[0].hub_assets = test_u256("1099999999999999999000000");
    m->assets[0].hub_shares = test_u256("999999999999999999000000");
    m->assets[1] = (struct asset){.sym = 1, .decimals = 6, .lt = 7800};
    m->assets[1].dindex = test_u256("1050000000000000000000000000");
    m->assets[1].premium = test_u256("500000000000000000000000000000000000");
    memset(p, 0, sizeof *p);
    p->id = "s";
    p->label = "";
    p->ncoll = 1;
    p->coll[0] = (struct leg){0, test_u256("10000000000000000000")};
    p->ndebt = 1;
    p->debt[0] = (struct leg){1, test_u256("17000000000")};
    price[0] = test_u256("200000000000");
    price[1] = test_u256("100000000");
}

START_TEST(test_state_position)
{
    struct market m;
    struct position p;
    struct u256 price[2], v;
    struct account a;
    struct liq_call call = {.max = true};
    struct liq_result r;

    state_position(&m, &p, price);
    ck_assert_int_eq(model_account(&m, &p, price, &a), 0);
    TEST_U256_EQ(a.hf, test_u256("959128065395095367"));
    TEST_U256_EQ(a.coll_value, test_u256("2200000000000"));
    TEST_U256_EQ(a.debt_value, test_u256("1835000000000"));
    ck_assert(a.liquidatable);
    ck_assert_int_eq(model_balance(&m, 0, false, p.coll[0].amount, &v), 0);
    TEST_U256_EQ(v, test_u256("11000000000000000000"));
    ck_assert_int_eq(model_balance(&m, 1, true, p.debt[0].amount, &v), 0);
    TEST_U256_EQ(v, test_u256("18350000000"));

    ck_assert_int_eq(model_liquidate(&m, &p, price, &call, &r), 0);
    ck_assert_int_eq(r.revert, REVERT_NONE);
    TEST_U256_EQ(r.max_repay, test_u256("4364525141"));
    TEST_U256_EQ(r.repay, test_u256("4364525141"));
    TEST_U256_EQ(r.repaid_shares, test_u256("3680500134"));
    TEST_U256_EQ(r.seize_tokens, test_u256("2053707466205745454"));
    TEST_U256_EQ(r.seized, test_u256("2259078212826319999"));
    TEST_U256_EQ(r.to_liquidator, test_u256("2251396648578687999"));
    TEST_U256_EQ(r.fee, test_u256("7681564247632000"));
    TEST_U256_EQ(r.bonus, test_u256("76815642476320000"));
    TEST_U256_EQ(r.hf_after, test_u256("1000000000012719482"));

    call.max = false;
    call.repay = test_u256("1000000000");
    ck_assert_int_eq(model_liquidate(&m, &p, price, &call, &r), 0);
    ck_assert_int_eq(r.revert, REVERT_NONE);
    TEST_U256_EQ(r.repay, test_u256("1000000000"));
    TEST_U256_EQ(r.repaid_shares, test_u256("476190476"));
    TEST_U256_EQ(r.seize_tokens, test_u256("470545454451345454"));
    TEST_U256_EQ(r.seized, test_u256("517599999896479999"));

    call.repay = test_u256("300000000");
    ck_assert_int_eq(model_liquidate(&m, &p, price, &call, &r), 0);
    ck_assert_int_eq(r.revert, REVERT_NONE);
    TEST_U256_EQ(r.repay, test_u256("300000000"));
    ck_assert(u256_is_zero(r.repaid_shares));
    TEST_U256_EQ(r.seize_tokens, test_u256("141163636363636363"));
    TEST_U256_EQ(r.seized, test_u256("155279999999999999"));
    TEST_U256_EQ(r.hf_after, test_u256("961304819944598337"));
}
END_TEST

/*
 * The dust rule on state: the same market with WETH at 1500, 1e18
 * supplied shares (1.1 WETH, 1,650 USD) and 1,000e6 drawn shares (1,050
 * USDC) plus the 500 of premium: debtRay 1.55e36, HF floor(8000 * 1.65e29
 * * 1e41 / 1.55e56) = 851612903225806451, at or below 0.9: LB 10500,
 * penalty 0.84. debtRayToTarget = ceil(1.55e56 * 1e6 * 148387096774193549
 * / (0.16e18 * 1e8 * 1e18)) = 1437500000000000005937500000000000000: the
 * rest, 112.5 USDC, is under 1,000, so all of it goes: the premium and
 * the 1,000e6 drawn shares, restored rayMulUp(1e9, 1.05e27) + 500e6 =
 * 1,550e6. Collateral floor(1.55e36 * 1e8 * 1e18 * 10500 / (1e6 * 1500e8
 * * 1e4 * 1e27)) = 1.085e18 WETH, 986363636363636363 shares, worth
 * 1084999999999999999; the 0.015 WETH left is dust but the debt is all
 * repaid, so it stays. A cover of 1,437.500001 USDC reverts
 * MustNotLeaveDust.
 */
START_TEST(test_state_dust)
{
    struct market m;
    struct position p;
    struct u256 price[2];
    struct liq_call call = {.max = true};
    struct liq_result r;

    state_position(&m, &p, price);
    price[0] = test_u256("150000000000");
    p.coll[0].amount = test_u256("1000000000000000000");
    p.debt[0].amount = test_u256("1000000000");
    ck_assert_int_eq(model_liquidate(&m, &p, price, &call, &r), 0);
    ck_assert_int_eq(r.revert, REVERT_NONE);
    TEST_U256_EQ(r.repay, test_u256("1550000000"));
    TEST_U256_EQ(r.repaid_shares, test_u256("1000000000"));
    TEST_U256_EQ(r.seize_tokens, test_u256("986363636363636363"));
    TEST_U256_EQ(r.seized, test_u256("1084999999999999999"));
    ck_assert(u256_is_max(r.hf_after));
    call.max = false;
    call.repay = test_u256("1437500001");
    ck_assert_int_eq(model_liquidate(&m, &p, price, &call, &r), 0);
    ck_assert_int_eq(r.revert, REVERT_DUST);
    TEST_U256_EQ(r.repay, test_u256("1550000000"));
}
END_TEST

/*
 * The conversions: a deposit of 1.1 WETH mints floor(1.1e18 / 1.1) = 1e18
 * shares; a repay of 600 USDC takes the 500 of premium first, then
 * floor(100e6 * 1e27 / 1.05e27) = 95238095 drawn shares; repaying more
 * than the 18,350 USDC owed is refused. A liquidation that seizes at least
 * 1.1 WETH takes at least 1e18 shares; one that repays 1,050 USDC leaves
 * at least 17,000e6 - 1e9 drawn shares.
 */
START_TEST(test_state_convert)
{
    struct market m;
    struct position p;
    struct u256 price[2], v, prem;

    state_position(&m, &p, price);
    ck_assert_int_eq(model_apply(&m, 0, false, p.coll[0].amount,
                                 test_u256("1100000000000000000"), &v),
                     0);
    TEST_U256_EQ(v, test_u256("11000000000000000000"));
    prem = m.assets[1].premium;
    ck_assert_int_eq(model_aave4_repay(&m, 1, p.debt[0].amount, &prem,
                                       test_u256("600000000"), &v),
                     0);
    TEST_U256_EQ(v, test_u256("16904761905"));
    ck_assert(u256_is_zero(prem));
    ck_assert_int_eq(model_apply(&m, 1, true, p.debt[0].amount,
                                 test_u256("18350000001"), &v),
                     LIQ_ERANGE);
    ck_assert_int_eq(model_burn_bound(&m, 0, false, p.coll[0].amount,
                                      test_u256("1100000000000000000"), &v),
                     0);
    TEST_U256_EQ(v, test_u256("9000000000000000000"));
    ck_assert_int_eq(model_burn_bound(&m, 1, true, p.debt[0].amount,
                                      test_u256("1050000000"), &v),
                     0);
    TEST_U256_EQ(v, test_u256("16000000000"));
}
END_TEST

/* Repaying the premium alone through the account: 500 USDC leaves the
 * drawn shares and lowers the debt to 17,850 USDC: HF = floor(1.76e34 *
 * 1e41 / 1.785e57) = 985994397759103641. */
START_TEST(test_state_repay_premium)
{
    struct market m;
    struct position p;
    struct u256 price[2];
    struct account a;

    state_position(&m, &p, price);
    ck_assert_int_eq(
        model_account_after_repay(&m, &p, 0, test_u256("500000000"), price, &a),
        0);
    TEST_U256_EQ(a.hf, test_u256("985994397759103641"));
}
END_TEST

/* The book values the position on the hub's state as the model does, at
 * each WETH price of a walk (the u256 path: no 128-bit twins here). */
START_TEST(test_state_book)
{
    struct book *b = book_new();
    struct market m;
    struct position p;
    struct u256 price[2], base[MARKET_ASSETS_MAX];
    struct account want, got;
    uint32_t sym, idx, pidx;

    state_position(&m, &p, price);
    ck_assert_int_eq(book_symbol_intern(b, "WETH", 4, &sym), 0);
    ck_assert_int_eq(book_symbol_intern(b, "USDC", 4, &sym), 0);
    ck_assert_int_eq(book_market_add(b, &m, &idx), 0);
    p.market = idx;
    ck_assert_int_eq(book_position_add(b, &p, &pidx), 0);
    ck_assert_int_eq(book_price_set(b, 1, u256_exp10(18), 0), 0);
    for (uint64_t usd = 1500; usd <= 2600; usd += 37) {
        struct u256 e18;

        ck_assert_int_eq(u256_mul(&e18, u256_from_u64(usd), u256_exp10(18)), 0);
        ck_assert_int_eq(book_price_set(b, 0, e18, 0), 0);
        (void)book_update(b);
        book_prices_base(b, idx, base, NULL);
        ck_assert_int_eq(model_account(&m, &p, base, &want), 0);
        ck_assert(book_read_account(b, pidx, &got));
        TEST_U256_EQ(got.hf, want.hf);
        TEST_U256_EQ(got.debt_value, want.debt_value);
        TEST_U256_EQ(got.coll_value, want.coll_value);
    }
    /* at 2000 the hand-derived health */
    ck_assert_int_eq(
        book_price_set(b, 0, test_u256("2000000000000000000000"), 0), 0);
    (void)book_update(b);
    ck_assert(book_read_account(b, pidx, &got));
    TEST_U256_EQ(got.hf, test_u256("959128065395095367"));
    book_free(b);
}
END_TEST

/*
 * The least supply moves the hub's share price (src/spoke/Spoke.sol
 * supply; src/hub/Hub.sol add: shares = toAddedSharesDown(amount), none
 * being InvalidShares, then addedShares += shares and liquidity +=
 * amount; src/hub/libraries/AssetLogic.sol totalAddedAssets = liquidity
 * + swept + owed - fees, so up by the amount; SharesMath toSharesDown /
 * toAssetsDown with 1e6 virtual of each; the value as Spoke
 * _processUserAccountData, previewRemoveByShares). Both assets of 6
 * decimals at 1 USD (price 1e8: a raw unit is worth 1e20 in 1e26 a USD);
 * the hub holds A = 1,498,500,001 assets and S = 999,000,000 shares, all
 * the borrower's, so conversions use 1,499,500,001 and 1,000,000,000; CF
 * 8000; the borrower owes D = 1,200,000,001 drawn shares at index 1
 * (debtRay D x RAY). HF = floor(8000 x c x 1e20 x 1e14 x RAY / (D x RAY
 * x 1e20)) = floor(c x 8e17 / D) for collateral worth c assets, at least
 * 1e18 from c x 8 >= D x 10 = 12,000,000,010: c >= 1,500,000,002.
 *   before: floor(999e6 x 1,499,500,001 / 1e9) = floor(1,498,000,500.999)
 *     = 1,498,000,500.
 *   supply 1: floor(1e9 / 1,499,500,001) = 0 shares: InvalidShares.
 *   supply 1,999,501: floor(1,999,501e9 / 1,499,500,001) = 1,333,445
 *     shares (1,333,445 x 1,499,500,001 = 1,999,500,778,833,445); the hub
 *     after holds 1,500,499,502 assets and 1,000,333,445 shares
 *     (1,501,499,502 and 1,001,333,445 with the virtual); the borrower's
 *     1,000,333,445 shares are worth floor(1,000,333,445 x 1,501,499,502
 *     / 1,001,333,445) = floor(1,502,000,169,501,444,390 /
 *     1,001,333,445) = 1,500,000,001 (x 1,001,333,445 =
 *     1,502,000,168,501,333,445): HF floor(1,500,000,001 x 8e17 / D) =
 *     999999999833333333.
 *   supply 1,999,502: floor(1,999,502e9 / 1,499,500,001) = 1,333,445 too;
 *     floor(1,000,333,445 x 1,501,499,503 / 1,001,333,445) =
 *     floor(1,502,000,170,501,777,835 / 1,001,333,445) = 1,500,000,002
 *     (x 1,001,333,445 = 1,502,000,169,502,666,890): HF
 *     floor(1,200,000,001,600,000,000,000,000,000 / D) =
 *     1000000000499999999 (x D = 1,200,000,001,599,999,999,299,999,999).
 *     The least supply is 1,999,502.
 *   At the totals before, 1,999,502 would give floor(1,000,333,445 x
 *     1,499,500,001 / 1e9) = 1,500,000,001 assets: not enough; the first
 *     that reaches there is 1,999,503 (1,333,446 shares: 1,500,000,003).
 */
START_TEST(test_state_avoid_deposit_moves_price)
{
    struct market m;
    struct position p;
    struct u256 price[2];
    struct preview_req req = {.debt = -1, .coll = -1, .has_target = true};
    struct preview pv;
    struct account a;

    state_position(&m, &p, price);
    m.assets[0].decimals = 6;
    m.assets[0].hub_assets = test_u256("1498500001");
    m.assets[0].hub_shares = test_u256("999000000");
    m.assets[1].lt = 8000;
    m.assets[1].dindex = u256_zero();
    m.assets[1].premium = u256_zero();
    m.assets[0].lt = 8000;
    p.coll[0].amount = test_u256("999000000");
    p.debt[0].amount = test_u256("1200000001");
    price[0] = test_u256("100000000");
    price[1] = test_u256("100000000");
    ck_assert_int_eq(
        model_balance(&m, 0, false, p.coll[0].amount, &a.coll_value), 0);
    TEST_U256_EQ(a.coll_value, test_u256("1498000500"));
    ck_assert_int_eq(
        model_account_after_deposit(&m, &p, 0, u256_from_u64(1), price, &a),
        LIQ_ERANGE);
    ck_assert_int_eq(model_account_after_deposit(
                         &m, &p, 0, u256_from_u64(1999501), price, &a),
                     0);
    TEST_U256_EQ(a.hf, test_u256("999999999833333333"));
    ck_assert_int_eq(model_account_after_deposit(
                         &m, &p, 0, u256_from_u64(1999502), price, &a),
                     0);
    TEST_U256_EQ(a.hf, test_u256("1000000000499999999"));
    req.target_hf = u256_exp10(18);
    ck_assert_int_eq(preview_compute(&m, &p, price, &req, &pv), 0);
    ck_assert(pv.avoid_deposit[0].exists);
    TEST_U256_EQ(pv.avoid_deposit[0].amount, u256_from_u64(1999502));
}
END_TEST

static Suite *
aave4_state_suite(void)
{
    Suite *s = suite_create("aave4_state");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, test_vector_enough_collateral);
    tcase_add_test(tc, test_vector_insufficient_collateral);
    tcase_add_test(tc, test_state_position);
    tcase_add_test(tc, test_state_convert);
    tcase_add_test(tc, test_state_repay_premium);
    tcase_add_test(tc, test_state_book);
    tcase_add_test(tc, test_state_dust);
    tcase_add_test(tc, test_state_avoid_deposit_moves_price);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    return test_run(aave4_state_suite());
}
