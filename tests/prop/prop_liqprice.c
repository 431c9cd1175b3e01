/*
 * prop_liqprice.c: the liquidation-price search (core/liqprice.c) gives
 * the answer of the plain search it grew from, kept here as the reference
 * (a linear estimate, a bracket grown by doubling, bisection, every
 * verdict from model_account), on random positions of every additive
 * model and version, and of Morpho Blue: one to three collateral legs
 * and one or two debts (one each for Morpho),
 * an asset now and then on both sides, values from a few base units
 * (where Aave's rounding before 3.5 makes health not monotone in a price)
 * to past 64 bits. Where the search says its answer is fixed (the model
 * proved its verdict a prefix in the price, model.h liqset128 and
 * price_prefix), the reference gives that answer at other prices of the
 * asset too, and the verdict is liquidatable at and below it and not
 * above, checked at every price over small ranges. The answer from the
 * book's kept sums (liqprice_from_sums), where it gives one, is the
 * search's and the reference's, at other prices of the asset too. Seed
 * printed; LIQ_SEED=N repeats a run.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "core/liq.h"
#include "core/liqprice.h"
#include "core/model.h"
#include "tests/common/testutil.h"

#define ROUNDS 6000

static const enum model_kind kinds[] = {
    MODEL_AAVE_V3, MODEL_AAVE_V3,     MODEL_AAVE_V3,    MODEL_SPARK,
    MODEL_AAVE_V4, MODEL_COMPOUND_V2, MODEL_MORPHO_BLUE};
#define NKINDS (sizeof kinds / sizeof kinds[0])
static const uint16_t aave3_versions[] = {300, 303, 304, 305, 307};

/* The verdict of the reference: 1 liquidatable, 0 not, -1 not valued. */
static int
ref_verdict(const struct market *m, const struct position *p,
            const struct u256 *price, uint8_t asset, struct u256 x,
            struct u256 *hf)
{
    struct u256 at[MARKET_ASSETS_MAX];
    struct account a;

    memcpy(at, price, m->nassets * sizeof(at[0]));
    at[asset] = x;
    if (model_account(m, p, at, &a) != 0) {
        if (hf != NULL)
            *hf = u256_max();
        return -1;
    }
    if (hf != NULL)
        *hf = a.hf;
    return a.liquidatable ? 1 : 0;
}

/* Whether the account at asset's price x fails for want of 256 bits. */
static bool
account_overflows(const struct market *m, const struct position *p,
                  const struct u256 *price, uint8_t asset, struct u256 x)
{
    struct u256 at[MARKET_ASSETS_MAX];
    struct account a;

    memcpy(at, price, m->nassets * sizeof(at[0]));
    at[asset] = x;
    return model_account(m, p, at, &a) == LIQ_EOVERFLOW;
}

/* The plain search, step by step as it was before the model's proof
 * could answer for it. */
static void
ref_search(const struct market *m, const struct position *p,
           const struct u256 *price, uint8_t asset, bool *exists,
           struct u256 *out)
{
    struct u256 h0, h1, x1, est, lo, hi, step, num, den, cap = u256_zero();
    bool hi_err = false;
    int v;

    cap.w[3] = 1ULL << 8; /* 2^200 */
    *exists = false;
    if (!position_has_debt(p) ||
        ref_verdict(m, p, price, asset, u256_zero(), &h0) != 1)
        return;
    x1 = price[asset];
    if (u256_is_zero(x1))
        x1 = u256_exp10(m->base_decimals);
    (void)ref_verdict(m, p, price, asset, x1, &h1);
    if (!u256_lt(h0, h1) || u256_is_max(h1) ||
        u256_sub(&num, u256_from_u64(WAD), h0) != 0 ||
        u256_sub(&den, h1, h0) != 0 ||
        u256_muldiv(&est, x1, num, den, U256_FLOOR) != 0)
        est = x1;
    if (u256_lt(cap, est))
        est = cap;
    step = u256_zero();
    for (int i = 0; i < 3; i++)
        step.w[i] = (est.w[i] >> 40) | (est.w[i + 1] << 24);
    step.w[3] = est.w[3] >> 40;
    if (u256_is_zero(step))
        step = u256_from_u64(1);
    v = ref_verdict(m, p, price, asset, est, NULL);
    if (v == 1) {
        lo = est;
        for (;;) {
            if (u256_add(&hi, lo, step) != 0 || u256_lt(cap, hi))
                hi = cap;
            if (u256_eq(hi, lo))
                return;
            v = ref_verdict(m, p, price, asset, hi, NULL);
            if (v < 0) {
                if (u256_le(step, u256_from_u64(1)))
                    return;
                (void)u256_div(&step, step, u256_from_u64(2), U256_FLOOR);
                continue;
            }
            if (v == 0)
                break;
            lo = hi;
            (void)u256_add(&step, step, step);
        }
    } else {
        hi = est;
        hi_err = v < 0;
        for (;;) {
            if (u256_le(hi, step)) {
                lo = u256_zero();
                break;
            }
            (void)u256_sub(&lo, hi, step);
            v = ref_verdict(m, p, price, asset, lo, NULL);
            if (v == 1)
                break;
            hi = lo;
            hi_err = v < 0;
            (void)u256_add(&step, step, step);
        }
    }
    for (;;) {
        struct u256 span = u256_zero(), mid = u256_zero();
        (void)u256_sub(&span, hi, lo);
        if (u256_le(span, u256_from_u64(1)))
            break;
        (void)u256_div(&span, span, u256_from_u64(2), U256_FLOOR);
        (void)u256_add(&mid, lo, span);
        v = ref_verdict(m, p, price, asset, mid, NULL);
        if (v == 1) {
            lo = mid;
        } else {
            hi = mid;
            hi_err = v < 0;
        }
    }
    if (hi_err)
        return;
    *exists = true;
    *out = lo;
}

/* A value below 2^bits, bits in [lo, hi]. */
static struct u256
rand_bits(uint64_t *st, unsigned lo, unsigned hi)
{
    unsigned bits = (unsigned)test_rand_range(st, lo, hi);
    struct u256 v = u256_zero();

    v.w[0] = test_rand(st);
    v.w[1] = test_rand(st);
    if (bits == 0)
        return u256_zero();
    if (bits < 64) {
        v.w[0] &= (1ULL << bits) - 1;
        v.w[1] = 0;
    } else if (bits < 128) {
        v.w[1] &= (1ULL << (bits - 64)) - 1;
    }
    return v;
}

/* A market of kind k: four assets, thresholds near each other or apart
 * (Aave's average threshold moves with each leg's weight). */
static void
market_make(struct market *m, enum model_kind k, uint64_t *st)
{
    static const uint8_t decs[] = {0, 0, 2, 6, 8, 18};
    uint64_t unit = market_ratio_unit(k);

    memset(m, 0, sizeof(*m));
    snprintf(m->id, sizeof(m->id), "m");
    m->model = k;
    m->base_decimals = (uint8_t)(test_rand(st) % 2 == 0 ? 0 : 8);
    if (k == MODEL_AAVE_V3)
        m->version = aave3_versions[test_rand(st) % 5];
    if (k == MODEL_SPARK)
        m->version = 307;
    market_params_default(&m->params, k);
    m->nassets = k == MODEL_MORPHO_BLUE ? 2 : 4;
    for (int i = 0; i < m->nassets; i++) {
        struct asset *a = &m->assets[i];
        a->sym = (uint32_t)i;
        a->decimals = decs[test_rand(st) % 6];
        a->lt = test_rand(st) % 9 == 0 ? 0 : test_rand_range(st, 1, unit - 1);
        if (k == MODEL_AAVE_V3 || k == MODEL_SPARK)
            a->lt =
                test_rand(st) % 9 == 0 ? 0 : test_rand_range(st, 5000, 9500);
        if (k == MODEL_MORPHO_BLUE) /* an LLTV of 0.5 to 0.98 */
            a->lt = test_rand_range(st, WAD / 2, WAD / 50 * 49);
        a->ltv = a->lt / 2;
        if (k == MODEL_AAVE_V3 || k == MODEL_SPARK || k == MODEL_AAVE_V4)
            a->bonus = 500;
    }
}

/* A position: collateral on assets 0.., debt on the rest (now and then
 * on a collateral asset too); small values most of the time. */
static void
position_make(const struct market *m, struct position *p, struct u256 *price,
              uint64_t *st)
{
    unsigned hi = test_rand(st) % 3 == 0 ? 90 : 24;

    memset(p, 0, sizeof(*p));
    p->id = "p";
    p->label = "";
    bool morpho = m->model == MODEL_MORPHO_BLUE;

    p->ncoll = (uint8_t)(morpho ? 1 : test_rand_range(st, 1, 3));
    for (unsigned i = 0; i < p->ncoll; i++)
        p->coll[i] = (struct leg){(uint8_t)i, rand_bits(st, 1, hi)};
    p->ndebt = (uint8_t)(morpho ? 1 : test_rand_range(st, 1, 2));
    for (unsigned i = 0; i < p->ndebt; i++) {
        uint8_t as = (uint8_t)(morpho ? 1 : 3 - i);
        if (test_rand(st) % 10 == 0)
            as = (uint8_t)(test_rand(st) % p->ncoll);
        p->debt[i] = (struct leg){as, rand_bits(st, 1, hi)};
    }
    for (unsigned i = 0; i < m->nassets; i++)
        price[i] = rand_bits(st, 1, test_rand(st) % 2 ? 20 : 40);
}

/* The search and the reference on one case, and, where fixed, the
 * answer's independence of the asset's price and its prefix. */
static void
check_case(const struct market *m, const struct position *p,
           const struct u256 *price, uint8_t asset, uint64_t *st,
           unsigned *nfixed)
{
    bool e1 = false, e2 = false, fixed = false;
    struct u256 l1 = u256_zero(), l2 = u256_zero();
    struct u256 at[MARKET_ASSETS_MAX];

    ck_assert_int_eq(liqprice_search(m, p, price, asset, &e1, &l1, &fixed), 0);
    ref_search(m, p, price, asset, &e2, &l2);
    ck_assert_int_eq(e1, e2);
    if (e1)
        TEST_U256_EQ(l1, l2);
    if (!fixed)
        return;
    ck_assert(e1);
    (*nfixed)++;
    /* the same answer from the reference whatever the asset's price */
    memcpy(at, price, m->nassets * sizeof(at[0]));
    for (int k = 0; k < 4; k++) {
        at[asset] = rand_bits(st, 0, 60);
        if (k == 0)
            (void)u256_add(&at[asset], l1, u256_from_u64(1));
        if (k == 1)
            at[asset] = l1;
        ref_search(m, p, at, asset, &e2, &l2);
        ck_assert(e2);
        TEST_U256_EQ(l1, l2);
    }
    /* liquidatable at and below the answer, not above: every price over
     * a small range, random ones over a wide one */
    uint64_t from =
        u256_fits_u64(l1) && u256_to_u64(l1) > 300 ? u256_to_u64(l1) - 300 : 0;
    for (uint64_t x = from; x < from + 600; x++) {
        struct u256 ux = u256_from_u64(x);
        if (!u256_fits_u64(l1) && x > 0)
            break;
        ck_assert_int_eq(ref_verdict(m, p, price, asset, ux, NULL),
                         u256_le(ux, l1) ? 1 : 0);
    }
    /* Above the answer the account may not fit 256 bits (Morpho's
     * collateral times its oracle price): the contract reverts there,
     * which is not liquidatable either. */
    for (int k = 0; k < 8; k++) {
        struct u256 x = u256_zero(), r = rand_bits(st, 0, 64);
        if (k % 2 == 0 ? u256_le(r, l1) && u256_sub(&x, l1, r) == 0
                       : u256_add(&x, l1, r) == 0 &&
                             u256_add(&x, x, u256_from_u64(1)) == 0) {
            int v = ref_verdict(m, p, price, asset, x, NULL);
            if (k % 2 == 0)
                ck_assert_int_eq(v, 1);
            else
                ck_assert_msg(v == 0 || (v == -1 && account_overflows(
                                                        m, p, price, asset, x)),
                              "liquidatable above the answer (%d)", v);
        }
    }
}

START_TEST(test_search_is_the_reference)
{
    uint64_t st = test_seed();
    unsigned nfixed = 0, ncases = 0;

    for (int round = 0; round < ROUNDS; round++) {
        struct market m;
        struct position p;
        struct u256 price[MARKET_ASSETS_MAX];
        enum model_kind k = kinds[test_rand(&st) % NKINDS];

        market_make(&m, k, &st);
        position_make(&m, &p, price, &st);
        for (unsigned c = 0; c < p.ncoll; c++, ncases++)
            check_case(&m, &p, price, p.coll[c].asset, &st, &nfixed);
    }
    printf("liqprice: %u searches, %u with a fixed answer\n", ncases, nfixed);
}
END_TEST

/* The sums the book keeps for p at price: every leg's term added, in 128
 * bits; false where a figure does not fit (the book keeps those whole). */
static bool
sums_make(const struct market *m, const struct position *p,
          const struct u256 *price, struct model_sums128 *out)
{
    const struct model_ops *ops = model_get(m->model);
    struct model_sums sums, t;

    memset(&sums, 0, sizeof sums);
    for (unsigned i = 0; i < (unsigned)p->ncoll + p->ndebt; i++) {
        bool debt = i >= p->ncoll;
        const struct leg *l = debt ? &p->debt[i - p->ncoll] : &p->coll[i];
        if (ops->term(m, l->asset, debt, l->amount, price[l->asset], &t) != 0 ||
            model_sums_add(&sums, &t) != 0)
            return false;
    }
    for (int k = 0; k < MODEL_SUMS; k++)
        if (!u256_to_u128(sums.s[k], &out->s[k]))
            return false;
    return true;
}

/*
 * liqprice_from_sums, where it answers, gives the search's answer and the
 * reference's: the price, or none; and that answer at other prices of the
 * asset too (it is kept while only that price moves). Aave v3 at every
 * version and spark, cases drawn until each outcome (a price, none, not
 * answered) has been met often enough.
 */
START_TEST(test_from_sums_is_the_search)
{
    static const enum model_kind sk[] = {MODEL_AAVE_V3, MODEL_SPARK};
    uint64_t st = test_seed();
    unsigned nprice = 0, nnone = 0, ndecl = 0, nbig = 0, rounds = 0;

    while ((nprice < 1500 || nnone < 500 || ndecl < 300) && rounds < 60000) {
        struct market m;
        struct position p;
        struct u256 price[MARKET_ASSETS_MAX], lp = u256_zero(), l2, l3;
        struct model_sums128 sums;
        bool ex = false, e2 = false, e3 = false, fixed = false;
        u128 amount = 0, px;

        rounds++;
        market_make(&m, sk[test_rand(&st) % 2], &st);
        position_make(&m, &p, price, &st);
        uint8_t asset = p.coll[test_rand(&st) % p.ncoll].asset;
        unsigned own = 0;
        bool ok = true;
        for (unsigned i = 0; i < (unsigned)p.ncoll + p.ndebt; i++) {
            const struct leg *l =
                i < p.ncoll ? &p.coll[i] : &p.debt[i - p.ncoll];
            if (l->asset == asset) {
                ok = ok && i < p.ncoll && u256_to_u128(l->amount, &amount);
                own++;
            }
        }
        if (!ok || own != 1 || !u256_to_u128(price[asset], &px) ||
            !sums_make(&m, &p, price, &sums)) {
            nbig++;
            continue;
        }
        if (!liqprice_from_sums(&m, &sums, asset, amount, px, &ex, &lp)) {
            ndecl++;
            continue;
        }
        ck_assert_int_eq(
            liqprice_search(&m, &p, price, asset, &e2, &l2, &fixed), 0);
        ck_assert_int_eq(ex, e2);
        ref_search(&m, &p, price, asset, &e3, &l3);
        ck_assert_int_eq(ex, e3);
        if (ex) {
            TEST_U256_EQ(lp, l2);
            TEST_U256_EQ(lp, l3);
            ck_assert(fixed);
            nprice++;
        } else {
            nnone++;
        }
        /* the same answer at other prices of the asset */
        struct u256 at[MARKET_ASSETS_MAX];
        memcpy(at, price, m.nassets * sizeof(at[0]));
        for (int k = 0; k < 3; k++) {
            at[asset] = rand_bits(&st, 0, 60);
            if (k == 0 && ex)
                (void)u256_add(&at[asset], lp, u256_from_u64(1));
            ref_search(&m, &p, at, asset, &e3, &l3);
            ck_assert_int_eq(ex, e3);
            if (ex)
                TEST_U256_EQ(lp, l3);
        }
    }
    fprintf(stderr,
            "liqprice from sums: %u rounds, %u prices, %u none, %u declined, "
            "%u not in 128 bits or the asset on two legs\n",
            rounds, nprice, nnone, ndecl, nbig);
    ck_assert_uint_ge(nprice, 1500);
    ck_assert_uint_ge(nnone, 500);
    ck_assert_uint_ge(ndecl, 300);
}
END_TEST

static Suite *
liqprice_suite(void)
{
    Suite *s = suite_create("liqprice");
    TCase *tc = tcase_create("prop");

    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_search_is_the_reference);
    tcase_add_test(tc, test_from_sums_is_the_search);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    return test_run(liqprice_suite());
}
