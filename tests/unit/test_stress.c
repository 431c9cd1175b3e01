/*
 * test_stress.c: core/stress and `liqtop stress` (design.md 9.1): shocked
 * prices cut as an oracle would; on a generated book of 100,000 positions
 * of every model, each scenario's totals, per market and in all, equal the
 * sum over its liquidatable positions of core/preview's call (the one
 * `liqtop preview` prints) at the shocked prices, valued floor(amount x
 * price / 10^decimals); and a scenario's figures do not depend on the
 * scenarios run before it.
 */
#include <check.h>
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/gen.h"
#include "app/portfolio.h"
#include "app/stress_run.h"
#include "core/decimal.h"
#include "core/liq.h"
#include "core/model.h"
#include "core/preview.h"
#include "core/stress.h"
#include "tests/common/testutil.h"

#define GEN_N "100000"

START_TEST(test_price)
{
    struct u256 q = u256_zero();

    /* 2000 - 20 % = 1600; 1 raw unit - 50 % is 0: refused. */
    ck_assert_int_eq(
        stress_price(test_u256("2000000000000000000000"), -200000, &q), 0);
    TEST_U256_EQ(q, test_u256("1600000000000000000000"));
    /* floor(14.5e18 * 0.666667) = 9666671500000000000 */
    ck_assert_int_eq(
        stress_price(test_u256("14500000000000000000"), -333333, &q), 0);
    TEST_U256_EQ(q, test_u256("9666671500000000000"));
    ck_assert_int_eq(stress_price(test_u256("3"), -500000, &q), 0);
    TEST_U256_EQ(q, u256_from_u64(1));
    ck_assert_int_eq(stress_price(u256_from_u64(1), -500000, &q), LIQ_ERANGE);
    ck_assert_int_eq(stress_price(u256_from_u64(5), -1000000, &q), LIQ_ERANGE);
    ck_assert_int_eq(stress_price(u256_from_u64(5), -1500000, &q), LIQ_ERANGE);
    ck_assert_int_eq(stress_price(u256_from_u64(5), 2000000, &q), 0);
    TEST_U256_EQ(q, u256_from_u64(15));
}
END_TEST

static char gen_dir[256];

/* The generated book's files, made once before the tests fork. */
static int
gen_prepare(void)
{
    static char a0[] = "--positions", a1[] = GEN_N, a2[] = "--seed",
                a3[] = "11", a4[] = "--out";
    char *argv[] = {a0, a1, a2, a3, a4, NULL};

    snprintf(gen_dir, sizeof gen_dir, "%s/liqtop-stress.XXXXXX",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (mkdtemp(gen_dir) == NULL)
        return -1;
    argv[5] = gen_dir;
    return gen_main(6, argv);
}

static struct book *
gen_book(void)
{
    char book[300], pos[300], err[512];
    struct book *b = book_new();

    snprintf(book, sizeof book, "%s/book.json", gen_dir);
    snprintf(pos, sizeof pos, "%s/positions.jsonl", gen_dir);
    ck_assert_msg(portfolio_load(b, book, pos, err, sizeof err) == 0, "%s",
                  err);
    book_update(b);
    return b;
}

static void
gen_cleanup(void)
{
    char p[300];

    if (gen_dir[0] == '\0')
        return;
    snprintf(p, sizeof p, "%s/book.json", gen_dir);
    unlink(p);
    snprintf(p, sizeof p, "%s/positions.jsonl", gen_dir);
    unlink(p);
    rmdir(gen_dir);
}

static char *
run_text(struct book *b, const struct stress_spec *spec)
{
    char *buf = NULL, err[512] = "";
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);

    ck_assert_ptr_nonnull(f);
    ck_assert_msg(stress_run_write(f, b, spec, STRESS_JSON, err, sizeof err) ==
                      0,
                  "%s", err);
    fclose(f);
    return buf;
}

struct ref {
    uint64_t liq, newly;
    struct u256 v[4];
};

static void
ref_add(struct u256 *sum, const struct market *m, uint8_t asset,
        struct u256 amount, const struct u256 *price)
{
    struct u256 v;

    ck_assert_int_eq(u256_muldiv(&v, amount, price[asset],
                                 u256_exp10(m->assets[asset].decimals),
                                 U256_FLOOR),
                     0);
    ck_assert_int_eq(u256_add(sum, *sum, v), 0);
}

/* The reference for one scenario, position by position through
 * preview_compute, each price shocked and cut to base units here. */
static void
reference(struct book *b, const struct u256 *file_e18,
          const struct stress_scenario *sc, struct ref *mt)
{
    uint32_t nm = book_market_count(b), n = book_position_count(b);
    struct u256 *base = calloc((size_t)nm * MARKET_ASSETS_MAX, sizeof *base);
    struct u256 *now = calloc((size_t)nm * MARKET_ASSETS_MAX, sizeof *now);

    ck_assert_ptr_nonnull(base);
    ck_assert_ptr_nonnull(now);
    for (uint32_t mi = 0; mi < nm; mi++) {
        const struct market *m = book_market(b, mi);

        for (unsigned a = 0; a < m->nassets; a++) {
            uint32_t sym = m->assets[a].sym;
            struct u256 e18 = file_e18[sym];

            base[mi * MARKET_ASSETS_MAX + a] = market_price_base(m, e18);
            for (uint32_t k = 0; k < sc->nmove; k++)
                if (sc->move[k].sym == sym)
                    ck_assert_int_eq(stress_price(e18, sc->move[k].ppm, &e18),
                                     0);
            now[mi * MARKET_ASSETS_MAX + a] = market_price_base(m, e18);
        }
    }
    memset(mt, 0, nm * sizeof *mt);
    for (uint32_t i = 0; i < n; i++) {
        struct position p;
        const struct market *m;
        struct account a0, a1;
        struct preview pv;
        struct preview_req req;
        const struct u256 *pn, *pb;

        book_position_get(b, i, &p);
        m = book_market(b, p.market);
        pb = base + (size_t)p.market * MARKET_ASSETS_MAX;
        pn = now + (size_t)p.market * MARKET_ASSETS_MAX;
        ck_assert_int_eq(model_account(m, &p, pn, &a1), 0);
        if (!a1.liquidatable)
            continue;
        ck_assert_int_eq(model_account(m, &p, pb, &a0), 0);
        mt[p.market].liq++;
        mt[p.market].newly += !a0.liquidatable;
        ck_assert(p.ncoll > 0 && p.ndebt > 0);
        memset(&req, 0, sizeof req);
        req.debt = req.coll = -1;
        ck_assert_int_eq(preview_compute(m, &p, pn, &req, &pv), 0);
        if (pv.call.revert != REVERT_NONE)
            continue;
        ref_add(&mt[p.market].v[0], m, p.debt[pv.debt].asset, pv.call.repay,
                pn);
        ref_add(&mt[p.market].v[1], m, p.coll[pv.coll].asset, pv.call.seized,
                pn);
        ref_add(&mt[p.market].v[2], m, p.coll[pv.coll].asset, pv.call.bonus,
                pn);
        if (pv.call.bad_debt_after)
            for (int k = 0; k < p.ndebt; k++) {
                struct u256 left = p.debt[k].amount;

                /* generated books hold plain token amounts */
                if (k == pv.debt)
                    ck_assert_int_eq(u256_sub(&left, left, pv.call.repay), 0);
                ref_add(&mt[p.market].v[3], m, p.debt[k].asset, left, pn);
            }
    }
    free(base);
    free(now);
}

static const char *const vkey[4] = {"debt_repayable_value",
                                    "collateral_seized_value", "bonus_value",
                                    "bad_debt_value"};

static void
expect_fields(const cJSON *o, const struct ref *r, unsigned dec,
              const char *where)
{
    char buf[DECIMAL_BUF];

    uint64_t liq = (uint64_t)cJSON_GetObjectItem(o, "liquidatable")->valueint;
    uint64_t newly =
        (uint64_t)cJSON_GetObjectItem(o, "newly_liquidatable")->valueint;

    ck_assert_msg(liq == r->liq, "%s: liquidatable %llu, want %llu", where,
                  (unsigned long long)liq, (unsigned long long)r->liq);
    ck_assert_msg(newly == r->newly, "%s: newly_liquidatable %llu, want %llu",
                  where, (unsigned long long)newly,
                  (unsigned long long)r->newly);
    for (int k = 0; k < 4; k++) {
        const char *got = cJSON_GetStringValue(cJSON_GetObjectItem(o, vkey[k]));

        decimal_format(buf, sizeof buf, r->v[k], dec);
        ck_assert_msg(got != NULL && strcmp(got, buf) == 0,
                      "%s: %s is %s, the previews sum to %s", where, vkey[k],
                      got ? got : "(none)", buf);
    }
}

START_TEST(test_book_equals_previews)
{
    struct book *b = gen_book();
    struct stress_spec spec;
    char err[512], *text;
    cJSON *root, *scs;
    uint32_t nm = book_market_count(b);
    struct ref *mt = calloc(nm, sizeof *mt);
    struct u256 *file_e18;
    uint64_t positions = 0;

    ck_assert_ptr_nonnull(mt);
    stress_spec_init(&spec);
    ck_assert(stress_spec_add_shock(&spec, b, "WETH=-20%,WBTC=-15%", err,
                                    sizeof err) == 0);
    ck_assert(stress_spec_add_grid(&spec, b, "LINK=-40%..0%/40%", err,
                                   sizeof err) == 0);
    ck_assert(stress_spec_add_shock(&spec, b, "USDC=-3.5%,wstETH=+2%", err,
                                    sizeof err) == 0);
    ck_assert_uint_eq(spec.nsc, 4);
    file_e18 = calloc(book_symbol_count(b), sizeof *file_e18);
    ck_assert_ptr_nonnull(file_e18);
    for (uint32_t i = 0; i < book_symbol_count(b); i++)
        ck_assert(book_price_get(b, i, &file_e18[i], NULL));
    text = run_text(b, &spec);
    root = cJSON_Parse(text);
    ck_assert_ptr_nonnull(root);
    scs = cJSON_GetObjectItem(root, "scenarios");
    ck_assert_int_eq(cJSON_GetArraySize(scs), 4);
    for (uint32_t k = 0; k < spec.nsc; k++) {
        const cJSON *s = cJSON_GetArrayItem(scs, (int)k);
        const cJSON *mk = cJSON_GetObjectItem(s, "markets");
        struct ref tot;
        char where[192];

        reference(b, file_e18, &spec.sc[k], mt);
        memset(&tot, 0, sizeof tot);
        for (uint32_t mi = 0; mi < nm; mi++) {
            const struct market *m = book_market(b, mi);

            snprintf(where, sizeof where, "scenario %u, market %s",
                     (unsigned)k + 1, m->id);
            expect_fields(cJSON_GetObjectItem(mk, m->id), &mt[mi],
                          m->base_decimals, where);
            /* every generated market has 8 base places */
            ck_assert_uint_eq(m->base_decimals, 8);
            tot.liq += mt[mi].liq;
            tot.newly += mt[mi].newly;
            for (int v = 0; v < 4; v++)
                ck_assert_int_eq(u256_add(&tot.v[v], tot.v[v], mt[mi].v[v]), 0);
        }
        snprintf(where, sizeof where, "scenario %u, total", (unsigned)k + 1);
        expect_fields(s, &tot, 8, where);
        positions += tot.liq;
        printf("scenario %u: %llu liquidatable, %llu newly\n", (unsigned)k + 1,
               (unsigned long long)tot.liq, (unsigned long long)tot.newly);
    }
    /* the test means something: positions were liquidatable */
    ck_assert_uint_gt(positions, 1000);
    cJSON_Delete(root);
    free(text);
    free(mt);
    free(file_e18);
    stress_spec_done(&spec);
    book_free(b);
}
END_TEST

/* Scenario 2 alone prints what it printed after scenario 1. */
START_TEST(test_order_free)
{
    struct book *b = gen_book();
    struct stress_spec both, one;
    char err[512], *t2, *t1, *l2, *l1;

    stress_spec_init(&both);
    stress_spec_init(&one);
    ck_assert(stress_spec_add_shock(&both, b, "WETH=-30%,LINK=-10%", err,
                                    sizeof err) == 0);
    ck_assert(stress_spec_add_shock(&both, b, "WBTC=-25%", err, sizeof err) ==
              0);
    ck_assert(stress_spec_add_shock(&one, b, "WBTC=-25%", err, sizeof err) ==
              0);
    t2 = run_text(b, &both);
    book_free(b);
    b = gen_book();
    t1 = run_text(b, &one);
    l2 = strstr(t2, "\n  {\"shock\": {\"WBTC\"");
    l1 = strstr(t1, "\n  {\"shock\": {\"WBTC\"");
    ck_assert_ptr_nonnull(l2);
    ck_assert_ptr_nonnull(l1);
    ck_assert_str_eq(l1, l2);
    free(t1);
    free(t2);
    stress_spec_done(&both);
    stress_spec_done(&one);
    book_free(b);
}
END_TEST

int
main(void)
{
    Suite *s = suite_create("stress");
    TCase *tc = tcase_create("stress");
    int rc;

    if (gen_prepare() != 0) {
        fputs("test_stress: cannot generate the book\n", stderr);
        return 1;
    }
    tcase_set_timeout(tc, 1200); /* sanitizers on a shared machine */
    tcase_add_test(tc, test_price);
    tcase_add_test(tc, test_book_equals_previews);
    tcase_add_test(tc, test_order_free);
    suite_add_tcase(s, tc);
    rc = test_run(s);
    gen_cleanup();
    return rc;
}
