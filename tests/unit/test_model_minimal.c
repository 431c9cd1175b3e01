/*
 * test_model_minimal.c: a model that gives validate, account and liquidate
 * alone (model.h) is served by the book, the liquidation-price search,
 * stress and preview through their general paths, with the figures the
 * model itself gives.
 *
 * The model, of this test only, registered for the compound-v2 kind
 * (model_override): collateral valued down, each weighted by its factor
 * (WAD, floor); debt valued up; health floor(weighted x 1e18 / debt). A
 * call repays at most half the debt leg and seizes floor(repay value x
 * 1.08) of the collateral, reverting above half, above what is held, for
 * nothing, or for a healthy position. Random books of it (seed printed)
 * are loaded, priced, ticked and ranked, and every figure the book, the
 * search and preview give is checked against the model's own account and
 * liquidate.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "core/book.h"
#include "core/liq.h"
#include "core/liqprice.h"
#include "core/model.h"
#include "core/preview.h"
#include "core/stress.h"
#include "tests/common/testutil.h"

#define MIN_BONUS 1080000000000000000ULL /* 1.08, WAD */

static int
min_validate(const struct market *m, char *err, size_t errlen)
{
    return model_refuse(m->nassets == 0 ? "no assets" : NULL, err, errlen);
}

static int
min_value(const struct market *m, const struct leg *l, const struct u256 *price,
          enum u256_round mode, struct u256 *out)
{
    return u256_muldiv(out, l->amount, price[l->asset],
                       u256_exp10(m->assets[l->asset].decimals), mode);
}

static int
min_account(const struct market *m, const struct position *p,
            const struct u256 *price, struct account *out)
{
    struct u256 coll = u256_zero(), w = u256_zero(), debt = u256_zero(), v;
    int rc;

    for (int i = 0; i < p->ncoll; i++) {
        if ((rc = min_value(m, &p->coll[i], price, U256_FLOOR, &v)) != 0 ||
            (rc = u256_add(&coll, coll, v)) != 0 ||
            (rc = u256_muldiv(&v, v,
                              u256_from_u64(m->assets[p->coll[i].asset].lt),
                              u256_from_u64(WAD), U256_FLOOR)) != 0 ||
            (rc = u256_add(&w, w, v)) != 0)
            return rc;
    }
    for (int i = 0; i < p->ndebt; i++)
        if ((rc = min_value(m, &p->debt[i], price, U256_CEIL, &v)) != 0 ||
            (rc = u256_add(&debt, debt, v)) != 0)
            return rc;
    memset(out, 0, sizeof(*out));
    out->coll_value = coll;
    out->debt_value = debt;
    out->has_debt = !u256_is_zero(debt);
    out->hf = u256_max();
    if (out->has_debt && (rc = u256_muldiv(&out->hf, w, u256_from_u64(WAD),
                                           debt, U256_FLOOR)) != 0)
        return rc;
    out->liquidatable = out->has_debt && u256_lt(out->hf, u256_from_u64(WAD));
    out->bad_debt = out->has_debt && u256_lt(coll, debt);
    return 0;
}

static int
min_liquidate(const struct market *m, const struct position *p,
              const struct u256 *price, const struct liq_call *call,
              struct liq_result *out)
{
    struct position q = *p;
    const struct leg *dl, *cl;
    struct account before, after;
    struct u256 v, half;
    int rc;

    if (call->debt >= p->ndebt || call->coll >= p->ncoll || call->seize)
        return LIQ_EINVAL;
    dl = &p->debt[call->debt];
    cl = &p->coll[call->coll];
    memset(out, 0, sizeof(*out));
    if ((rc = min_account(m, p, price, &before)) != 0)
        return rc;
    (void)u256_div(&half, dl->amount, u256_from_u64(2), U256_FLOOR);
    out->close_factor = u256_from_u64(WAD / 2);
    out->max_repay = half;
    out->repay = call->max ? half : call->repay;
    /* seized = floor(repay x debt price x 1.08 x 10^cdec / (coll price x
     * 10^ddec x 1e18)) */
    if (u256_is_zero(price[cl->asset]))
        return LIQ_EDIVZERO;
    if ((rc = u256_muldiv(&v, out->repay, price[dl->asset],
                          u256_exp10(m->assets[dl->asset].decimals),
                          U256_FLOOR)) != 0 ||
        (rc = u256_muldiv(&v, v, u256_from_u64(MIN_BONUS), u256_from_u64(WAD),
                          U256_FLOOR)) != 0 ||
        (rc = u256_muldiv(&out->seized, v,
                          u256_exp10(m->assets[cl->asset].decimals),
                          price[cl->asset], U256_FLOOR)) != 0) {
        if (rc != LIQ_EOVERFLOW)
            return rc;
        out->seized = u256_max();
    }
    out->to_liquidator = out->seized;
    out->revert = !before.liquidatable        ? REVERT_NOT_LIQUIDATABLE
                  : u256_is_zero(out->repay)  ? REVERT_NOTHING_TO_REPAY
                  : u256_lt(half, out->repay) ? REVERT_TOO_MUCH_REPAY
                  : u256_lt(cl->amount, out->seized)
                      ? REVERT_INSUFFICIENT_COLLATERAL
                      : REVERT_NONE;
    if (out->revert == REVERT_TOO_MUCH_REPAY ||
        out->revert == REVERT_INSUFFICIENT_COLLATERAL) {
        out->hf_after = before.hf;
        return 0;
    }
    (void)u256_sub(&q.debt[call->debt].amount, dl->amount, out->repay);
    (void)u256_sub(&q.coll[call->coll].amount, cl->amount, out->seized);
    if ((rc = min_account(m, &q, price, &after)) != 0)
        return rc;
    out->hf_after = after.hf;
    out->lowers_health = u256_lt(after.hf, before.hf);
    out->bad_debt_after = after.has_debt && u256_is_zero(after.coll_value);
    return 0;
}

static const struct model_ops min_ops = {
    .name = "minimal",
    .validate = min_validate,
    .account = min_account,
    .liquidate = min_liquidate,
};

/* A market of four assets of 6, 8, 18 and 18 decimals, and n positions
 * of one or two collaterals and one or two debts around health 1. */
static struct book *
min_book(uint64_t *st, int n, uint32_t *sym)
{
    static const uint8_t dec[4] = {6, 8, 18, 18};
    static const char *const names[4] = {"A", "B", "C", "D"};
    static char ids[64][8];
    struct book *b = book_new();
    struct market m;
    uint32_t mi;

    memset(&m, 0, sizeof(m));
    snprintf(m.id, sizeof(m.id), "toy");
    m.model = MODEL_COMPOUND_V2;
    m.base_decimals = 8;
    market_params_default(&m.params, MODEL_COMPOUND_V2);
    m.nassets = 4;
    for (int i = 0; i < 4; i++) {
        ck_assert_int_eq(book_symbol_intern(b, names[i], 1, &sym[i]), 0);
        m.assets[i].sym = sym[i];
        m.assets[i].decimals = dec[i];
        m.assets[i].lt = test_rand_range(st, 500, 900) * (WAD / 1000);
        m.assets[i].ltv = m.assets[i].lt / 2;
    }
    ck_assert_int_eq(book_market_add(b, &m, &mi), 0);
    for (int i = 0; i < 4; i++) {
        struct u256 pr;

        (void)u256_mul(&pr, u256_from_u64(test_rand_range(st, 1, 5000)),
                       u256_exp10(18));
        ck_assert_int_eq(book_price_set(b, sym[i], pr, 1), 0);
    }
    for (int k = 0; k < n && k < 64; k++) {
        struct position p;
        uint32_t idx;

        memset(&p, 0, sizeof(p));
        snprintf(ids[k], sizeof(ids[k]), "p%d", k);
        p.id = ids[k];
        p.label = "";
        p.market = mi;
        p.ncoll = (uint8_t)test_rand_range(st, 1, 2);
        p.ndebt = (uint8_t)test_rand_range(st, 1, 2);
        for (int i = 0; i < p.ncoll; i++)
            p.coll[i] = (struct leg){
                (uint8_t)i, u256_from_u64(test_rand_range(st, 1, 1000000))};
        for (int i = 0; i < p.ndebt; i++)
            p.debt[i] = (struct leg){
                (uint8_t)(2 + i),
                u256_from_u64(test_rand_range(st, 1, 1000000) *
                              (uint64_t)p.ncoll / (uint64_t)p.ndebt)};
        for (int i = 0; i < p.ncoll; i++)
            (void)u256_mul(&p.coll[i].amount, p.coll[i].amount,
                           u256_exp10(dec[i]));
        for (int i = 0; i < p.ndebt; i++)
            (void)u256_mul(&p.debt[i].amount, p.debt[i].amount,
                           u256_exp10(dec[2 + i]));
        ck_assert_int_eq(book_position_add(b, &p, &idx), 0);
    }
    book_update(b);
    return b;
}

/* Every figure of position idx by the book, the search, stress and
 * preview, against the model's own. */
static void
min_check(struct book *b, uint32_t idx, int *liq, int *previews)
{
    const struct market *m;
    struct position p;
    struct u256 price[MARKET_ASSETS_MAX], e18[MARKET_ASSETS_MAX];
    struct account got, want;
    bool exists;
    struct u256 lp;

    book_position_get(b, idx, &p);
    m = book_market(b, p.market);
    book_prices_base(b, p.market, price, NULL);
    ck_assert(book_read_account(b, idx, &got));
    ck_assert_int_eq(min_account(m, &p, price, &want), 0);
    TEST_U256_EQ(got.hf, want.hf);
    TEST_U256_EQ(got.coll_value, want.coll_value);
    TEST_U256_EQ(got.debt_value, want.debt_value);
    ck_assert(got.liquidatable == want.liquidatable);
    ck_assert(got.bad_debt == want.bad_debt);
    /* the liquidation price of the first collateral: liquidatable there,
     * not one base unit above */
    ck_assert_int_eq(
        liqprice_compute(m, &p, price, p.coll[0].asset, &exists, &lp), 0);
    if (exists) {
        struct u256 q[MARKET_ASSETS_MAX];
        struct account a;

        memcpy(q, price, sizeof(q));
        q[p.coll[0].asset] = lp;
        ck_assert_int_eq(min_account(m, &p, q, &a), 0);
        ck_assert(a.liquidatable);
        (void)u256_add(&q[p.coll[0].asset], lp, u256_from_u64(1));
        ck_assert_int_eq(min_account(m, &p, q, &a), 0);
        ck_assert(!a.liquidatable);
    }
    /* stress: liquidatable now reads as a shock of 0 */
    for (int i = 0; i < m->nassets; i++)
        ck_assert(book_price_effective(b, m->assets[i].sym, &e18[i]));
    {
        uint32_t g = stress_default_group(m, &p), bps = 1;

        if (g != 0) {
            ck_assert_int_eq(
                stress_liquidation_shock(m, &p, e18, g, &exists, &bps), 0);
            if (want.liquidatable)
                ck_assert(exists && bps == 0);
        }
    }
    {
        int64_t t;

        ck_assert_int_eq(model_time_to_liquidation(m, &p, price, &t),
                         LIQ_ENOENT);
        ck_assert_int_eq(model_gate(m, &p, price), REVERT_NONE);
    }
    if (want.liquidatable) {
        struct preview_req req = {.debt = -1, .coll = -1};
        struct preview pv;
        struct liq_call c;
        struct liq_result r;

        (*liq)++;
        ck_assert_int_eq(preview_compute(m, &p, price, &req, &pv), 0);
        memset(&c, 0, sizeof(c));
        c.debt = pv.debt;
        c.coll = pv.coll;
        c.max = true;
        ck_assert_int_eq(min_liquidate(m, &p, price, &c, &r), 0);
        TEST_U256_EQ(pv.call.repay, r.repay);
        TEST_U256_EQ(pv.call.seized, r.seized);
        TEST_U256_EQ(pv.call.hf_after, r.hf_after);
        if (pv.has_to_target) {
            struct u256 less;

            c.max = false;
            c.repay = pv.cover_to_target;
            ck_assert_int_eq(min_liquidate(m, &p, price, &c, &r), 0);
            ck_assert(r.revert == REVERT_NONE &&
                      u256_le(pv.target_hf, r.hf_after));
            TEST_U256_EQ(r.repay, pv.repay_to_target);
            (void)u256_sub(&less, pv.repay_to_target, u256_from_u64(1));
            c.repay = less;
            ck_assert_int_eq(min_liquidate(m, &p, price, &c, &r), 0);
            ck_assert(u256_is_zero(less) || r.revert != REVERT_NONE ||
                      u256_lt(r.hf_after, pv.target_hf));
            (*previews)++;
        }
    }
}

START_TEST(test_minimal_model)
{
    const struct model_ops *was = model_override(MODEL_COMPOUND_V2, &min_ops);
    uint64_t st = test_seed();
    int liq = 0, previews = 0, round;

    ck_assert_ptr_eq(model_get(MODEL_COMPOUND_V2), &min_ops);
    ck_assert(!model_is_additive(&(struct market){.model = MODEL_COMPOUND_V2}));

    /* at least four books, and more until the run has exercised enough
     * liquidatable positions and least calls: how many a book gives
     * depends on its seed */
    for (round = 0; round < 4 || ((liq <= 50 || previews <= 20) && round < 64);
         round++) {
        uint32_t sym[4];
        struct book *b = min_book(&st, 48, sym);

        for (int tick = 0; tick < 12; tick++) {
            uint32_t n = book_position_count(b);
            struct u256 prev = u256_zero();

            for (uint32_t i = 0; i < n; i++)
                min_check(b, i, &liq, &previews);
            /* ranked by health, lowest first */
            for (uint32_t r = 0; r < n; r++) {
                uint32_t i = book_rank_at(b, r);
                struct account a;

                ck_assert_uint_ne(i, UINT32_MAX);
                ck_assert_uint_eq(book_rank_of(b, i), r);
                ck_assert(book_read_account(b, i, &a));
                ck_assert(u256_le(prev, a.hf));
                prev = a.hf;
            }
            /* a tick: one asset moves by up to 20 % */
            {
                uint32_t s = sym[test_rand(&st) % 4];
                struct u256 pr;

                ck_assert(book_price_get(b, s, &pr, NULL));
                (void)u256_muldiv(
                    &pr, pr, u256_from_u64(test_rand_range(&st, 800, 1200)),
                    u256_from_u64(1000), U256_FLOOR);
                ck_assert_int_eq(book_price_set(b, s, pr, tick + 2), 0);
                book_update(b);
            }
        }
        book_free(b);
    }
    ck_assert_ptr_eq(model_override(MODEL_COMPOUND_V2, was), &min_ops);
    ck_assert_ptr_eq(model_get(MODEL_COMPOUND_V2), &model_compound2_ops);
    fprintf(stderr,
            "minimal model: %d books, %d liquidatable checks, %d least calls\n",
            round, liq, previews);
    ck_assert_int_gt(liq, 50);
    ck_assert_int_gt(previews, 20);
}
END_TEST

static Suite *
minimal_suite(void)
{
    Suite *s = suite_create("a model of validate, account and liquidate");
    TCase *tc = tcase_create("minimal");

    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_minimal_model);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    return test_run(minimal_suite());
}
