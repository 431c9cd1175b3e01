/*
 * prop_model128.c: the 128-bit twins of the additive models' term and
 * finish, and of Morpho's account (model.h), give the same answer as the
 * u256 functions wherever they answer, over random markets of every additive
 * model and version, with decimals from 0 to 30, amounts and prices of every
 * width up to 128 bits (seed printed; LIQ_SEED=N repeats a run), and Morpho's
 * account on a prepared move the same as its account128, and values128
 * the values finish gives. They must also
 * answer for the figures real books hold (legs worth up to ten million), or the
 * book's fast path would silently be the slow one.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "core/liq.h"
#include "core/model.h"
#include "tests/common/testutil.h"

static const enum model_kind additive[] = {MODEL_AAVE_V3, MODEL_AAVE_V4,
                                           MODEL_COMPOUND_V2, MODEL_SPARK};
static const uint16_t aave3_versions[] = {300, 303, 304, 305, 307};

static void
market_make(struct market *m, enum model_kind k, uint64_t *st)
{
    static const uint8_t decs[] = {0, 6, 8, 18, 18, 24, 30};
    uint64_t unit = market_ratio_unit(k);

    memset(m, 0, sizeof(*m));
    snprintf(m->id, sizeof(m->id), "m");
    m->model = k;
    m->base_decimals =
        (uint8_t)(test_rand(st) % 3 == 0 ? test_rand_range(st, 0, 18) : 8);
    if (k == MODEL_AAVE_V3)
        m->version = aave3_versions[test_rand(st) % 5];
    market_params_default(&m->params, k);
    m->nassets = 4;
    for (int i = 0; i < 4; i++) {
        struct asset *a = &m->assets[i];

        a->sym = (uint32_t)i;
        a->decimals = decs[test_rand(st) % 7];
        if (k == MODEL_AAVE_V4 && a->decimals > 18)
            a->decimals = 18;
        /* some assets back no debt at all */
        a->lt = test_rand(st) % 5 == 0 ? 0 : test_rand_range(st, 1, unit);
        a->ltv = a->lt / 2;
    }
}

/* A random value below 2^bits, bits in [0, max]. */
static u128
rand_bits(uint64_t *st, unsigned max)
{
    unsigned bits = (unsigned)test_rand_range(st, 0, max);
    u128 v = ((u128)test_rand(st) << 64) | test_rand(st);

    if (bits == 0)
        return 0;
    if (bits < 128)
        v &= ((u128)1 << bits) - 1;
    return v;
}

static void
sums_wide(const struct model_sums128 *n, struct model_sums *w)
{
    for (int i = 0; i < MODEL_SUMS; i++)
        w->s[i] = u256_from_u128(n->s[i]);
}

/* term128 against term for one leg; true when term128 answered. */
static bool
check_term(const struct market *m, uint8_t asset, bool debt, u128 amount,
           u128 price)
{
    const struct model_ops *ops = model_get(m->model);
    struct model_sums128 n;
    struct model_sums w, nw;

    if (!ops->term128(m, asset, debt, amount, price, &n))
        return false;
    int rc = ops->term(m, asset, debt, u256_from_u128(amount),
                       u256_from_u128(price), &w);
    ck_assert_msg(rc == 0, "%s term: term128 answered, term failed %d",
                  ops->name, rc);
    sums_wide(&n, &nw);
    for (int i = 0; i < MODEL_SUMS; i++)
        TEST_U256_EQ(nw.s[i], w.s[i]);
    return true;
}

/* finish128 against finish; true when finish128 answered. */
static bool
check_finish(const struct market *m, const struct model_sums128 *n,
             bool has_debt)
{
    const struct model_ops *ops = model_get(m->model);
    struct model_health128 h;
    struct model_sums w;
    struct account a;

    if (!ops->finish128(m, n, has_debt, &h))
        return false;
    sums_wide(n, &w);
    int rc = ops->finish(m, &w, has_debt, &a);
    /* values128, where it answers, gives finish's values */
    u128 cv, dv;
    if (rc == 0 && ops->values128 != NULL && ops->values128(m, n, &cv, &dv) &&
        (!u256_eq(u256_from_u128(cv), a.coll_value) ||
         !u256_eq(u256_from_u128(dv), a.debt_value))) {
        TEST_U256_EQ(u256_from_u128(cv), a.coll_value);
        TEST_U256_EQ(u256_from_u128(dv), a.debt_value);
    }
    /* compared first, asserted on a difference only: a passing check
     * assertion costs a system call, and some callers make 10^5 calls */
    if (rc == 0 && h.has_debt == a.has_debt &&
        h.liquidatable == a.liquidatable && h.bad_debt == a.bad_debt &&
        (!a.has_debt || u256_eq(u256_from_u128(h.hf), a.hf)))
        return true;
    ck_assert_msg(rc == 0, "%s finish: finish128 answered, finish failed %d",
                  ops->name, rc);
    ck_assert_int_eq(h.has_debt, a.has_debt);
    ck_assert_int_eq(h.liquidatable, a.liquidatable);
    ck_assert_int_eq(h.bad_debt, a.bad_debt);
    TEST_U256_EQ(u256_from_u128(h.hf), a.hf);
    return true;
}

/* Random legs of every width: where the twin answers, it agrees. */
START_TEST(prop_term128_equals_term)
{
    uint64_t st = test_seed();
    unsigned answered = 0;

    for (int i = 0; i < 60000; i++) {
        struct market m;
        market_make(&m, additive[test_rand(&st) % 4], &st);
        uint8_t asset = (uint8_t)(test_rand(&st) % 4);
        answered += check_term(&m, asset, test_rand(&st) & 1,
                               rand_bits(&st, 128), rand_bits(&st, 128));
    }
    /* wide operands often pass 128 bits, but not always */
    fprintf(stderr, "term128: %u answered in 128 bits\n", answered);
    ck_assert_uint_gt(answered, 1000);
}
END_TEST

/* retick128 is term128 at the old price taken out of the sums and term128
 * at the new one put in: the same answer, refused in the same cases. */
START_TEST(prop_retick128_equals_terms)
{
    uint64_t st = test_seed();
    unsigned answered = 0;

    for (int i = 0; i < 60000; i++) {
        struct market m;
        struct model_sums128 sums, seq, t;
        market_make(&m, additive[test_rand(&st) % 4], &st);
        const struct model_ops *ops = model_get(m.model);
        uint8_t asset = (uint8_t)(test_rand(&st) % 4);
        bool debt = test_rand(&st) & 1;
        unsigned w = i % 2 ? 128 : 80;
        u128 amount = rand_bits(&st, w), po = rand_bits(&st, w % 100),
             pn = rand_bits(&st, w % 100);
        for (int k = 0; k < MODEL_SUMS; k++)
            sums.s[k] = rand_bits(&st, i % 3 ? 100 : 128);
        /* mostly sums that hold the old term, as a book's do */
        if (i % 5 && ops->term128(&m, asset, debt, amount, po, &t))
            for (int k = 0; k < MODEL_SUMS; k++)
                if (__builtin_add_overflow(sums.s[k], t.s[k], &sums.s[k]))
                    sums.s[k] = t.s[k];
        seq = sums;
        bool ok = ops->term128(&m, asset, debt, amount, po, &t);
        for (int k = 0; k < MODEL_SUMS && ok; k++)
            ok = !__builtin_sub_overflow(seq.s[k], t.s[k], &seq.s[k]);
        ok = ok && ops->term128(&m, asset, debt, amount, pn, &t);
        for (int k = 0; k < MODEL_SUMS && ok; k++)
            ok = !__builtin_add_overflow(seq.s[k], t.s[k], &seq.s[k]);
        struct model_sums128 got = sums;
        bool rok = ops->retick128(&m, asset, debt, amount, po, pn, &got);
        ck_assert_msg(rok == ok, "%s retick128 %d, terms %d", ops->name, rok,
                      ok);
        if (!ok) {
            ck_assert(memcmp(&got, &sums, sizeof got) == 0);
            continue;
        }
        answered++;
        for (int k = 0; k < MODEL_SUMS; k++)
            TEST_U256_EQ(u256_from_u128(got.s[k]), u256_from_u128(seq.s[k]));
    }
    fprintf(stderr, "retick128: %u answered in 128 bits\n", answered);
    ck_assert_uint_gt(answered, 10000);
}
END_TEST

/* tick128 on a prepared move is retick128 of the leg then finish128,
 * move128 retick128 alone and add128 term128 at the new price added: the
 * same sums and health, refused in the same cases. */
START_TEST(prop_tick128_equals_retick_finish)
{
    uint64_t st = test_seed();
    unsigned answered = 0;

    for (int i = 0; i < 60000; i++) {
        struct market m;
        struct model_sums128 sums, want, got;
        struct model_health128 hw, hg;
        market_make(&m, additive[test_rand(&st) % 4], &st);
        const struct model_ops *ops = model_get(m.model);
        uint8_t asset = (uint8_t)(test_rand(&st) % 4);
        bool debt = test_rand(&st) & 1, has_debt = test_rand(&st) % 4 != 0;
        unsigned w = i % 2 ? 128 : 80;
        u128 amount = rand_bits(&st, w);
        for (int k = 0; k < MODEL_SUMS; k++)
            sums.s[k] = rand_bits(&st, i % 3 ? 100 : 128);
        struct model_tick128 tk = {.m = &m,
                                   .asset = asset,
                                   .po = rand_bits(&st, w % 100),
                                   .pn = rand_bits(&st, w % 100)};
        want = got = sums;
        bool ok =
            ops->retick128(&m, asset, debt, amount, tk.po, tk.pn, &want) &&
            ops->finish128(&m, &want, has_debt, &hw);
        if (!ops->tick128_prep(&tk)) {
            ck_assert_msg(!ok,
                          "%s: tick128_prep refused a move retick128 "
                          "and finish128 answer",
                          ops->name);
            continue;
        }
        /* move128, the move alone: retick128's sums, refused alike and
         * then leaving them as they were */
        struct model_sums128 mv = sums, rv = sums;
        bool mok = ops->move128(&tk, debt, amount, &mv);
        ck_assert_msg(
            mok == ops->retick128(&m, asset, debt, amount, tk.po, tk.pn, &rv),
            "%s move128 %d, retick128 not", ops->name, mok);
        for (int k = 0; k < MODEL_SUMS; k++)
            TEST_U256_EQ(u256_from_u128(mv.s[k]), u256_from_u128(rv.s[k]));
        if (!mok)
            for (int k = 0; k < MODEL_SUMS; k++)
                TEST_U256_EQ(u256_from_u128(mv.s[k]),
                             u256_from_u128(sums.s[k]));
        /* add128: term128 at pn added, refused alike (or where a sum
         * would leave 128 bits), the sums then as they were */
        struct model_sums128 av = sums, tn;
        bool aok = ops->add128(&tk, debt, amount, &av),
             tok128 = ops->term128(&m, asset, debt, amount, tk.pn, &tn);
        for (int k = 0; k < MODEL_SUMS && tok128; k++)
            tok128 = !__builtin_add_overflow(sums.s[k], tn.s[k], &tn.s[k]);
        ck_assert_msg(aok == tok128, "%s add128 %d, term128 and sum %d",
                      ops->name, aok, tok128);
        for (int k = 0; k < MODEL_SUMS; k++)
            TEST_U256_EQ(u256_from_u128(av.s[k]),
                         u256_from_u128(aok ? tn.s[k] : sums.s[k]));
        bool tok = ops->tick128(&tk, debt, amount, has_debt, &got, &hg);
        ck_assert_msg(tok == ok, "%s tick128 %d, retick128 and finish128 %d",
                      ops->name, tok, ok);
        if (!ok)
            continue;
        answered++;
        for (int k = 0; k < MODEL_SUMS; k++)
            TEST_U256_EQ(u256_from_u128(got.s[k]), u256_from_u128(want.s[k]));
        ck_assert(hg.has_debt == hw.has_debt &&
                  hg.liquidatable == hw.liquidatable &&
                  hg.bad_debt == hw.bad_debt);
        if (hw.has_debt)
            TEST_U256_EQ(u256_from_u128(hg.hf), u256_from_u128(hw.hf));
    }
    fprintf(stderr, "tick128: %u answered in 128 bits\n", answered);
    ck_assert_uint_gt(answered, 10000);
}
END_TEST

/* Random sums, and sums of real legs: where the twin answers, it agrees. */
START_TEST(prop_finish128_equals_finish)
{
    uint64_t st = test_seed();
    unsigned answered = 0;

    for (int i = 0; i < 300000; i++) {
        struct market m;
        struct model_sums128 n;
        market_make(&m, additive[test_rand(&st) % 4], &st);
        const struct model_ops *ops = model_get(m.model);
        if (i % 3 == 0) {
            for (int k = 0; k < MODEL_SUMS; k++)
                n.s[k] = rand_bits(&st, 128);
        } else if (i % 3 == 1) {
            /* Small debts: remainders land on every rounding edge often
             * (half-up before Aave's /1e4, Compound's floor), so a twin
             * that rounds another way is caught. */
            for (int k = 0; k < MODEL_SUMS; k++)
                n.s[k] = rand_bits(&st, 90);
            n.s[m.model == MODEL_COMPOUND_V2 ? 1 : 2] =
                test_rand_range(&st, 1, 5000);
        } else {
            /* a position of up to three legs a side */
            struct model_sums128 t;
            memset(&n, 0, sizeof(n));
            bool ok = true;
            for (int leg = 0; leg < 6 && ok; leg++) {
                ok = ops->term128(&m, (uint8_t)(test_rand(&st) % 4), leg >= 3,
                                  rand_bits(&st, 80), rand_bits(&st, 60), &t);
                for (int k = 0; k < MODEL_SUMS && ok; k++)
                    ok = !__builtin_add_overflow(n.s[k], t.s[k], &n.s[k]);
            }
            if (!ok)
                continue;
        }
        answered += check_finish(&m, &n, test_rand(&st) % 4 != 0);
    }
    fprintf(stderr, "finish128: %u answered in 128 bits\n", answered);
    ck_assert_uint_gt(answered, 1000);
}
END_TEST

/* Aave 3.5+ health in 128 bits is one division where the contract does a
 * half-up division then another: for debts coprime to 10, consecutive
 * weighted sums meet every remainder, each rounding edge among them, so
 * the two must agree on all. */
START_TEST(prop_aave3_health_every_remainder)
{
    static const uint64_t debts[] = {20011, 30001, 99991, 3, 7, 1234567};
    struct market m;
    uint64_t st = test_seed();

    for (int v = 0; v < 2; v++) {
        market_make(&m, MODEL_AAVE_V3, &st);
        m.version = v == 0 ? 305 : 307;
        for (size_t d = 0; d < sizeof debts / sizeof debts[0]; d++) {
            uint64_t n = debts[d] < 200000 ? debts[d] : 200000;
            /* within 2^60: W * 8000 * 1e14 stays in 128 bits, so the
             * twin must answer every one */
            u128 w0 = rand_bits(&st, 60);
            for (uint64_t i = 0; i < n; i++) {
                struct model_sums128 sums = {
                    {w0 + i, (w0 + i) * 8000, debts[d], 0}};
                if (!check_finish(&m, &sums, true))
                    ck_abort_msg("finish128 refused a debt of %llu",
                                 (unsigned long long)debts[d]);
            }
        }
    }
}
END_TEST

/* Figures of real books always take the fast path: legs worth up to ten
 * million (base currency at 8 decimals) at prices from 1e-4 to 1e6, in
 * tokens of 6 to 18 decimals. */
START_TEST(prop_twins_answer_real_figures)
{
    uint64_t st = test_seed();

    for (int i = 0; i < 20000; i++) {
        struct market m;
        struct model_sums128 n, t;
        market_make(&m, additive[test_rand(&st) % 4], &st);
        m.base_decimals = 8;
        for (int a = 0; a < 4; a++) {
            /* lending tokens have 6, 8 or 18 decimals; Compound's oracle
             * of a 0-decimal token worth a million passes 128 bits */
            if (m.assets[a].decimals > 18)
                m.assets[a].decimals = 18;
            if (m.assets[a].decimals < 6)
                m.assets[a].decimals = 6;
        }
        const struct model_ops *ops = model_get(m.model);
        memset(&n, 0, sizeof(n));
        for (int leg = 0; leg < 6; leg++) {
            uint8_t asset = (uint8_t)(test_rand(&st) % 4);
            u128 price = test_rand_range(&st, 10000, 100000000000000ULL);
            u128 value = test_rand_range(&st, 0, 1000000000000000ULL);
            u128 amount =
                value * u256_pow10_128(m.assets[asset].decimals) / price;
            ck_assert_msg(check_term(&m, asset, leg >= 3, amount, price),
                          "%s term128 refused a real figure: %s of %u "
                          "decimals at %s (base %u decimals)",
                          ops->name, test_u256_str(u256_from_u128(amount)),
                          m.assets[asset].decimals,
                          test_u256_str(u256_from_u128(price)),
                          m.base_decimals);
            ck_assert(ops->term128(&m, asset, leg >= 3, amount, price, &t));
            for (int k = 0; k < MODEL_SUMS; k++)
                n.s[k] += t.s[k];
        }
        /* Compound's health of a position with debt legs but no value
         * borrowed is past 128 bits: the one case sent to finish. */
        if (m.model == MODEL_COMPOUND_V2 && n.s[1] == 0)
            continue;
        ck_assert_msg(check_finish(&m, &n, true),
                      "%s finish128 refused a real figure", ops->name);
    }
}
END_TEST

/* Morpho's account128 against account: random positions of zero or one
 * leg a side, prices from zero up, and real ones (tokens of 6 to 18
 * decimals, oracle prices past 128 bits among them), which it must
 * answer. */
START_TEST(prop_account128_equals_account)
{
    uint64_t st = test_seed();
    unsigned answered = 0;

    for (int i = 0; i < 60000; i++) {
        struct market m;
        struct position p;
        struct account a;
        struct model_account128 n;
        u128 amount[2], price[MARKET_ASSETS_MAX] = {0};
        uint8_t asset[2];
        bool real = i % 2 == 0;

        market_make(&m, MODEL_MORPHO_BLUE, &st);
        memset(&p, 0, sizeof(p));
        p.id = "p";
        p.label = "";
        p.ncoll = (uint8_t)(real || test_rand(&st) % 4 ? 1 : 0);
        p.ndebt = (uint8_t)(real || test_rand(&st) % 4 ? 1 : 0);
        for (int k = 0; k < 4; k++) {
            if (real) {
                m.assets[k].decimals = (uint8_t)(6 + test_rand(&st) % 13);
                if (m.assets[k].lt == 0)
                    m.assets[k].lt = WAD / 2;
            }
            price[k] = real ? test_rand_range(&st, 10000, 100000000000000ULL)
                            : rand_bits(&st, test_rand(&st) % 2 ? 64 : 128);
        }
        for (int k = 0; k < p.ncoll + p.ndebt; k++) {
            asset[k] = (uint8_t)(k < p.ncoll ? 0 : 1 + test_rand(&st) % 3);
            /* worth a cent to ten million: a dust debt's health passes
             * 128 bits, and the book keeps those whole anyway */
            u128 value = test_rand_range(&st, 1000000, 1000000000000000ULL);
            amount[k] = real ? value *
                                   u256_pow10_128(m.assets[asset[k]].decimals) /
                                   price[asset[k]]
                             : rand_bits(&st, 128);
            struct leg l = {asset[k], u256_from_u128(amount[k])};
            if (k < p.ncoll)
                p.coll[0] = l;
            else
                p.debt[0] = l;
        }
        struct u256 wide[MARKET_ASSETS_MAX];
        for (int k = 0; k < MARKET_ASSETS_MAX; k++)
            wide[k] = u256_from_u128(price[k]);
        bool ok = model_morpho_ops.account128(&m, asset, amount, p.ncoll,
                                              p.ndebt, price, &n);
        ck_assert_msg(ok || !real,
                      "morpho account128 refused a real figure: coll %s (%u "
                      "dec) at %s, debt %s (%u dec) at %s",
                      test_u256_str(u256_from_u128(amount[0])),
                      m.assets[asset[0]].decimals,
                      test_u256_str(u256_from_u128(price[asset[0]])),
                      test_u256_str(u256_from_u128(amount[1])),
                      m.assets[asset[1]].decimals,
                      test_u256_str(u256_from_u128(price[asset[1]])));
        if (!ok)
            continue;
        answered++;
        ck_assert_int_eq(model_account(&m, &p, wide, &a), 0);
        TEST_U256_EQ(u256_from_u128(n.coll_value), a.coll_value);
        TEST_U256_EQ(u256_from_u128(n.debt_value), a.debt_value);
        ck_assert_int_eq(n.has_debt, a.has_debt);
        ck_assert_int_eq(n.liquidatable, a.liquidatable);
        ck_assert_int_eq(n.bad_debt, a.bad_debt);
        if (a.has_debt)
            TEST_U256_EQ(u256_from_u128(n.hf), a.hf);
    }
    fprintf(stderr, "account128: %u answered in 128 bits\n", answered);
    ck_assert_uint_gt(answered, 30000);
}
END_TEST

/* Two Morpho accounts on 128-bit figures are the same. */
static void
check_account128_eq(const struct model_account128 *x,
                    const struct model_account128 *y)
{
    ck_assert(x->coll_value == y->coll_value);
    ck_assert(x->debt_value == y->debt_value);
    ck_assert_int_eq(x->has_debt, y->has_debt);
    ck_assert_int_eq(x->liquidatable, y->liquidatable);
    ck_assert_int_eq(x->bad_debt, y->bad_debt);
    if (x->has_debt)
        ck_assert(x->hf == y->hf);
}

/*
 * Morpho's prepared move: tick_account128 after tick128_prep answers as
 * account128 at the prices after the move, and refuses where it refuses,
 * over random two-asset markets (decimals from 0 to 30), either asset
 * moving, either as collateral (the oracle moves with a loan's price too),
 * positions with a side empty, zero amounts and prices, and real figures,
 * which it must answer.
 */
START_TEST(prop_morpho_tick_equals_account128)
{
    uint64_t st = test_seed();
    unsigned answered = 0;

    for (int i = 0; i < 6000; i++) {
        struct market m;
        u128 price[MARKET_ASSETS_MAX] = {0};
        struct u256 wide[MARKET_ASSETS_MAX];
        bool real = i % 2 == 0;

        market_make(&m, MODEL_MORPHO_BLUE, &st);
        m.nassets = 2;
        for (int k = 0; k < 2; k++) {
            if (real) {
                m.assets[k].decimals = (uint8_t)(6 + test_rand(&st) % 13);
                if (m.assets[k].lt == 0)
                    m.assets[k].lt = WAD / 2;
            }
            price[k] = real ? test_rand_range(&st, 10000, 100000000000000ULL)
                       : test_rand(&st) % 8 == 0
                           ? 0
                           : rand_bits(&st, test_rand(&st) % 2 ? 64 : 128);
        }
        for (int k = 0; k < MARKET_ASSETS_MAX; k++)
            wide[k] = u256_from_u128(price[k]);
        struct model_tick128 t = {.m = &m, .price = price};
        t.asset = (uint8_t)(test_rand(&st) % 2);
        t.po = rand_bits(&st, 64);
        t.pn = price[t.asset];
        ck_assert(model_morpho_ops.tick128_prep(&t));
        for (int j = 0; j < 10; j++) {
            struct model_account128 x, y;
            struct position p;
            struct account a;
            uint8_t asset[2];
            u128 amount[2];
            uint8_t c = (uint8_t)(test_rand(&st) % 2);

            memset(&p, 0, sizeof(p));
            p.id = "p";
            p.label = "";
            p.ncoll = (uint8_t)(real || test_rand(&st) % 4 ? 1 : 0);
            p.ndebt = (uint8_t)(real || test_rand(&st) % 4 ? 1 : 0);
            for (int k = 0; k < p.ncoll + p.ndebt; k++) {
                bool debt = k >= p.ncoll;
                /* now and then both legs of one asset, as a book may
                 * hold (the oracle of an asset in itself) */
                asset[k] =
                    (uint8_t)(debt && test_rand(&st) % 50 != 0 ? 1 - c : c);
                u128 value = test_rand_range(&st, 1000000, 1000000000000000ULL);
                amount[k] =
                    real ? value * u256_pow10_128(m.assets[asset[k]].decimals) /
                               price[asset[k]]
                    : test_rand(&st) % 8 == 0 ? test_rand(&st) % 2
                                              : rand_bits(&st, 128);
                struct leg l = {asset[k], u256_from_u128(amount[k])};
                if (debt)
                    p.debt[0] = l;
                else
                    p.coll[0] = l;
            }
            bool ok = model_morpho_ops.account128(&m, asset, amount, p.ncoll,
                                                  p.ndebt, price, &x);
            bool tok = model_morpho_ops.tick_account128(&t, asset, amount,
                                                        p.ncoll, p.ndebt, &y);
            ck_assert_msg(tok == ok, "morpho tick_account128 %d, account128 %d",
                          tok, ok);
            ck_assert_msg(ok || !real,
                          "morpho tick_account128 refused a real figure");
            if (!ok)
                continue;
            answered++;
            check_account128_eq(&y, &x);
            ck_assert_int_eq(model_account(&m, &p, wide, &a), 0);
            TEST_U256_EQ(u256_from_u128(y.coll_value), a.coll_value);
            TEST_U256_EQ(u256_from_u128(y.debt_value), a.debt_value);
            if (a.has_debt)
                TEST_U256_EQ(u256_from_u128(y.hf), a.hf);
        }
    }
    fprintf(stderr, "morpho tick: %u answered in 128 bits\n", answered);
    ck_assert_uint_gt(answered, 30000);
}
END_TEST

static Suite *
model128_suite(void)
{
    Suite *s = suite_create("128-bit model twins");
    TCase *tc = tcase_create("prop");

    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, prop_term128_equals_term);
    tcase_add_test(tc, prop_finish128_equals_finish);
    tcase_add_test(tc, prop_twins_answer_real_figures);
    tcase_add_test(tc, prop_retick128_equals_terms);
    tcase_add_test(tc, prop_tick128_equals_retick_finish);
    tcase_add_test(tc, prop_aave3_health_every_remainder);
    tcase_add_test(tc, prop_account128_equals_account);
    tcase_add_test(tc, prop_morpho_tick_equals_account128);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    return test_run(model128_suite());
}
