/*
 * prop_call128_v4m.c: the largest call on 128-bit figures of Aave v4 (its
 * simple form) and Morpho Blue (without the market's state) (model.h
 * max_call128) gives the same repay, seized, bonus, bad debt and revert as
 * model_liquidate's largest call wherever it answers: over random markets,
 * positions and prices of every width up to 128 bits, many near or past
 * liquidation, drawn until each model has met enough calls made, partial
 * and whole repays and bad debt (seed printed; LIQ_SEED=N repeats a run).
 * It declines figures past 128 bits and markets with state, and answers
 * for real books' figures (WBTC against USDC's oracle price past 128 bits
 * among them). Boundaries are found, not guessed: an amount or a price is
 * bisected between two figures where the general path's answer differs
 * (whole repay or not, all the collateral seized or not, a call made or
 * not, bad debt or not) and the twin is held to it at the two figures
 * either side of the flip and their neighbours. A table of Morpho figures
 * derived by hand closes it.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "core/liq.h"
#include "core/model.h"
#include "tests/common/testutil.h"

/* A random figure: of any width to 128 bits, an edge, or near `real`. */
static u128
rand_figure(uint64_t *st, u128 real)
{
    static const u128 edges[] = {0,
                                 1,
                                 2,
                                 (u128)UINT64_MAX,
                                 (u128)UINT64_MAX + 1,
                                 ~(u128)0,
                                 (u128)1 << 127,
                                 (u128)1 << 100};
    unsigned r = (unsigned)(test_rand(st) % 10);

    if (r == 0)
        return edges[test_rand(st) % (sizeof edges / sizeof edges[0])];
    if (r <= 2) {
        unsigned bits = (unsigned)test_rand_range(st, 1, 128);
        u128 v = ((u128)test_rand(st) << 64) | test_rand(st);

        return bits < 128 ? v & (((u128)1 << bits) - 1) : v;
    }
    return real / 2 + (u128)test_rand_range(st, 0, UINT64_MAX) % (real + 1);
}

static u128
real_of(unsigned places, uint64_t whole)
{
    return (u128)whole * u256_pow10_128(places);
}

/* An Aave v4 market of four assets in the simple form (real: decimals 6,
 * 8 or 18 and base 8, as books hold), one the Spoke would accept
 * (market_validate): each threshold below 1, and threshold x (1 + bonus)
 * below 1, the bonus drawn and then cut to the most its threshold lets
 * it be (lt x (10000 + bonus) <= 99,990,000: the ceiling of the product
 * in bps is then at most 9999). */
static void
v4_market(struct market *m, uint64_t *st, bool real)
{
    /* (the model takes no more than 18 places: 10^(18 - decimals)) */
    static const uint8_t decs[] = {0, 2, 6, 8, 12, 18, 18, 18};

    memset(m, 0, sizeof(*m));
    snprintf(m->id, sizeof(m->id), "v4");
    m->model = MODEL_AAVE_V4;
    m->base_decimals =
        (uint8_t)(real || test_rand(st) % 3 ? 8 : test_rand_range(st, 0, 18));
    market_params_default(&m->params, MODEL_AAVE_V4);
    m->params.target_health_factor = test_rand_range(st, WAD, WAD + WAD / 3);
    m->params.health_factor_for_max_bonus =
        test_rand_range(st, WAD / 2, WAD - 1);
    m->params.liquidation_bonus_factor = test_rand_range(st, 0, BPS);
    m->nassets = 4;
    for (int i = 0; i < 4; i++) {
        struct asset *a = &m->assets[i];

        a->sym = (uint32_t)i;
        a->decimals = real ? (uint8_t)(6 + 6 * (test_rand(st) % 3 / 2) +
                                       2 * (test_rand(st) % 2))
                           : decs[test_rand(st) % 8];
        if (real)
            a->decimals = a->decimals > 8 ? 18 : a->decimals;
        a->lt = test_rand(st) % 6 == 0 && !real
                    ? 0
                    : test_rand_range(st, 1, BPS - 1);
        a->ltv = a->lt / 2;
        a->bonus = test_rand(st) % 8 == 0 && !real
                       ? test_rand_range(st, 0, 20000)
                       : test_rand_range(st, 0, 1500);
        if (a->lt != 0 && a->bonus > (BPS * BPS - BPS) / a->lt - BPS)
            a->bonus = (BPS * BPS - BPS) / a->lt - BPS;
        a->fee = test_rand_range(st, 0, BPS);
    }
    ck_assert_int_eq(market_validate(m, NULL, 0), 0);
}

/* A Morpho Blue market of two assets, no state, its LLTVs below 1 as
 * enableLltv requires (market_validate); the market's own oracle price
 * (of any width) now and then. */
static void
morpho_market(struct market *m, uint64_t *st, bool real)
{
    static const uint8_t decs[] = {0, 6, 6, 8, 8, 18, 18, 24};
    static const uint64_t lltvs[] = {
        770000000000000000ULL, 860000000000000000ULL, 945000000000000000ULL,
        980000000000000000ULL};

    memset(m, 0, sizeof(*m));
    snprintf(m->id, sizeof(m->id), "mb");
    m->model = MODEL_MORPHO_BLUE;
    m->base_decimals = 8;
    market_params_default(&m->params, MODEL_MORPHO_BLUE);
    m->nassets = 2;
    for (int i = 0; i < 2; i++) {
        struct asset *a = &m->assets[i];

        a->sym = (uint32_t)i;
        a->decimals =
            real ? (uint8_t)(test_rand(st) % 3 == 0 ? 6 : 6 + 2 * (i + 1))
                 : decs[test_rand(st) % 8];
        a->lt = test_rand(st) % 2 ? lltvs[test_rand(st) % 4]
                                  : test_rand_range(st, WAD / 10, WAD - 1);
        a->ltv = a->lt;
    }
    ck_assert_int_eq(market_validate(m, NULL, 0), 0);
    if (!real && test_rand(st) % 5 == 0) {
        m->morpho.has_oracle = true;
        m->morpho.oracle_price = u256_from_u128(rand_figure(
            st, (u128)test_rand_range(st, 1, 100000) * u256_pow10_128(36)));
        if (test_rand(st) % 4 == 0)
            m->morpho.oracle_price.w[2] = test_rand_range(st, 1, 1000);
    }
}

/* A real leg: up to 10^6 whole tokens, worth at most 10^7 at price (8
 * places): what a book's position holds, and what the sums' own twins
 * take (a position past some 3 10^8 leaves them for the u256 path). */
static uint64_t
real_tokens(uint64_t *st, const struct u256 *price, uint8_t asset)
{
    uint64_t px = u256_to_u64(price[asset]), most = 1000000;

    if (px != 0 && 1000000000000000ULL / px < most)
        most = 1000000000000000ULL / px;
    return test_rand_range(st, 1, most < 1 ? 1 : most);
}

static void
position_make(const struct market *m, struct position *p, uint64_t *st,
              bool real, const struct u256 *price)
{
    memset(p, 0, sizeof(*p));
    p->id = "p";
    p->label = "";
    if (m->model == MODEL_MORPHO_BLUE) {
        uint8_t c = m->morpho.has_oracle ? 0 : (uint8_t)(test_rand(st) % 2);

        p->ncoll = p->ndebt = 1;
        p->coll[0].asset = c;
        p->debt[0].asset = (uint8_t)(1 - c);
    } else {
        uint8_t first = (uint8_t)(test_rand(st) % 4);

        p->ncoll = (uint8_t)test_rand_range(st, 1, 3);
        p->ndebt = (uint8_t)test_rand_range(st, 1, 3);
        for (int i = 0; i < p->ncoll; i++)
            p->coll[i].asset = (uint8_t)((first + i) % 4);
        for (int i = 0; i < p->ndebt; i++)
            p->debt[i].asset = (uint8_t)((first + 3 - i) % 4);
    }
    for (int i = 0; i < p->ncoll + p->ndebt; i++) {
        struct leg *l = i < p->ncoll ? &p->coll[i] : &p->debt[i - p->ncoll];
        u128 whole = real_of(m->assets[l->asset].decimals,
                             real ? real_tokens(st, price, l->asset)
                                  : test_rand_range(st, 1, 1000000));

        l->amount = u256_from_u128(real ? whole : rand_figure(st, whole));
    }
}

/* Prices in base units: real ones (0.01 to 10^5 at 8 places) or any. */
static void
prices_make(const struct market *m, struct u256 *price, uint64_t *st, bool real)
{
    memset(price, 0, sizeof(struct u256) * MARKET_ASSETS_MAX);
    for (unsigned a = 0; a < m->nassets; a++) {
        u128 r = real_of(m->base_decimals, test_rand_range(st, 1, 100000));

        price[a] = u256_from_u128(
            real ? (u128)test_rand_range(st, 1000000, 10000000000000ULL)
                 : rand_figure(st, r));
        if (u256_is_zero(price[a]))
            price[a] = u256_from_u64(1);
    }
}

/* Scale the debt so that health lands near 1 (0.3 to 1.3). */
static void
position_near(const struct market *m, struct position *p,
              const struct u256 *price, uint64_t *st)
{
    struct account a;
    struct u256 want =
        u256_from_u64(test_rand_range(st, 300, 1300) * (WAD / 1000));

    if (model_account(m, p, price, &a) != 0 || !a.has_debt ||
        u256_is_zero(a.hf) || u256_is_max(a.hf))
        return;
    for (int i = 0; i < p->ndebt; i++) {
        struct u256 amt;

        if (u256_muldiv(&amt, p->debt[i].amount, a.hf, want, U256_FLOOR) == 0 &&
            !u256_is_zero(amt))
            p->debt[i].amount = amt;
    }
}

static int
liquidate_max(const struct market *m, const struct position *p,
              const struct u256 *price, uint8_t debt, uint8_t coll,
              struct liq_result *r)
{
    struct liq_call call;

    memset(&call, 0, sizeof call);
    call.debt = debt;
    call.coll = coll;
    call.max = true;
    return model_liquidate(m, p, price, &call, r);
}

/* The twin against model_liquidate's largest call on legs (debt, coll);
 * true when the twin answered (then *c holds its answer). */
static bool
check_call(const struct market *m, const struct position *p,
           const struct u256 *price, uint8_t debt, uint8_t coll, int n,
           struct model_call128 *c)
{
    struct liq_result r;
    int rc;

    if (!model_get(m->model)->max_call128(m, p, price, debt, coll, c))
        return false;
    rc = liquidate_max(m, p, price, debt, coll, &r);
    if (rc == 0 && u256_eq(u256_from_u128(c->repay), r.repay) &&
        u256_eq(u256_from_u128(c->seized), r.seized) &&
        u256_eq(u256_from_u128(c->bonus), r.bonus) &&
        c->bad_debt_after == r.bad_debt_after && c->revert == r.revert)
        return true;
    ck_assert_msg(rc == 0, "case %d (%s): the twin answered, liquidate %d", n,
                  m->id, rc);
    ck_assert_msg(c->revert == r.revert,
                  "case %d (%s): revert %d, liquidate %d", n, m->id, c->revert,
                  r.revert);
    ck_assert_msg(c->bad_debt_after == r.bad_debt_after,
                  "case %d (%s): bad debt %d, liquidate %d", n, m->id,
                  c->bad_debt_after, r.bad_debt_after);
    TEST_U256_EQ(u256_from_u128(c->repay), r.repay);
    TEST_U256_EQ(u256_from_u128(c->seized), r.seized);
    TEST_U256_EQ(u256_from_u128(c->bonus), r.bonus);
    return true;
}

/* What a model's answered cases have covered. */
struct cover {
    unsigned answered, made, whole, partial, bad;
};

static bool
cover_met(const struct cover *c, unsigned k)
{
    return c->made >= k && c->whole >= k && c->partial >= k && c->bad >= k;
}

static void
cover_add(struct cover *cv, const struct position *p, uint8_t debt,
          const struct model_call128 *c)
{
    struct u256 d = p->debt[debt].amount;

    cv->answered++;
    if (c->revert != REVERT_NONE)
        return;
    cv->made++;
    if (u256_eq(u256_from_u128(c->repay), d))
        cv->whole++;
    else
        cv->partial++;
    cv->bad += c->bad_debt_after;
}

START_TEST(prop_call128_v4m_equals_liquidate)
{
    uint64_t st = test_seed();
    struct cover cv[2];
    int n;

    memset(cv, 0, sizeof cv);
    /* drawn until both models meet 200 of each (about 12,000 cases
     * each), at most 400,000 */
    for (n = 0;
         n < 400000 && !(cover_met(&cv[0], 200) && cover_met(&cv[1], 200));
         n++) {
        struct market m;
        struct position p;
        struct u256 price[MARKET_ASSETS_MAX];
        struct model_call128 c;
        int k = n % 2;
        uint8_t debt, coll;

        if (k == 0)
            v4_market(&m, &st, false);
        else
            morpho_market(&m, &st, false);
        prices_make(&m, price, &st, false);
        position_make(&m, &p, &st, false, price);
        if (test_rand(&st) % 4 != 0)
            position_near(&m, &p, price, &st);
        debt = (uint8_t)(test_rand(&st) % p.ndebt);
        coll = (uint8_t)(test_rand(&st) % p.ncoll);
        if (check_call(&m, &p, price, debt, coll, n, &c))
            cover_add(&cv[k], &p, debt, &c);
    }
    for (int k = 0; k < 2; k++)
        fprintf(stderr,
                "%s: %u answered in %d cases, %u calls made: %u whole, %u "
                "partial, %u with bad debt (200 of each needed)\n",
                k ? "morpho-blue" : "aave-v4", cv[k].answered, n, cv[k].made,
                cv[k].whole, cv[k].partial, cv[k].bad);
    ck_assert_msg(cover_met(&cv[0], 200) && cover_met(&cv[1], 200),
                  "coverage not met in %d cases", n);
}
END_TEST

/* Past 128 bits in an amount or a price of the call's legs, or a market
 * with state (Aave v4's hub, a premium; Morpho's totals), the twin leaves
 * the call to liquidate. */
START_TEST(prop_call128_v4m_declines)
{
    uint64_t st = test_seed();

    for (int n = 0; n < 4000; n++) {
        struct market m;
        struct position p;
        struct u256 price[MARKET_ASSETS_MAX];
        struct model_call128 c;
        struct u256 *wide;
        unsigned r = (unsigned)(test_rand(&st) % 5);

        if (n % 2 == 0)
            v4_market(&m, &st, true);
        else
            morpho_market(&m, &st, true);
        prices_make(&m, price, &st, true);
        position_make(&m, &p, &st, true, price);
        if (r == 4) {
            if (m.model == MODEL_AAVE_V4)
                m.assets[test_rand(&st) % 4].premium = u256_from_u64(1);
            else
                m.morpho.has_state = true;
        } else {
            wide = r == 0   ? &p.debt[0].amount
                   : r == 1 ? &p.coll[0].amount
                   : r == 2 ? &price[p.debt[0].asset]
                            : &price[p.coll[0].asset];
            wide->w[2 + test_rand(&st) % 2] = test_rand_range(&st, 1, 1000);
        }
        ck_assert_msg(!model_get(m.model)->max_call128(&m, &p, price, 0, 0, &c),
                      "case %d (%s, %u): the twin answered", n, m.id, r);
    }
}
END_TEST

/* Real books' figures: the twin answers every one near liquidation, and
 * agrees (or stress's fast path would silently be the slow one); on the
 * markets a protocol accepts, liquidate answers every one too. */
START_TEST(prop_call128_v4m_answers_real_figures)
{
    uint64_t st = test_seed();

    for (int n = 0; n < 20000; n++) {
        struct market m;
        struct position p;
        struct u256 price[MARKET_ASSETS_MAX];
        struct model_call128 c;
        uint8_t debt, coll;

        if (n % 2 == 0)
            v4_market(&m, &st, true);
        else
            morpho_market(&m, &st, true);
        prices_make(&m, price, &st, true);
        if (m.model == MODEL_MORPHO_BLUE && n % 6 == 1) {
            /* WBTC (8 places, 60,000) against USDC (6 places, 1): the
             * oracle price 6e38 is past 128 bits */
            m.assets[0].decimals = 8;
            m.assets[1].decimals = 6;
            price[0] = u256_from_u64(6000000000000ULL);
            price[1] = u256_from_u64(100000000ULL);
        }
        position_make(&m, &p, &st, true, price);
        if (m.model == MODEL_MORPHO_BLUE && n % 6 == 1) {
            p.coll[0].asset = 0;
            p.debt[0].asset = 1;
        }
        position_near(&m, &p, price, &st);
        debt = model_largest_leg(&m, &p, true, price);
        coll = model_largest_leg(&m, &p, false, price);
        ck_assert_msg(check_call(&m, &p, price, debt, coll, n, &c),
                      "case %d (%s): the twin declined a real book's figures",
                      n, m.id);
    }
}
END_TEST

/* Which side of a boundary the general path's answer is on. */
enum side { SIDE_WHOLE, SIDE_ALL_SEIZED, SIDE_MADE, SIDE_BAD, SIDE_COUNT };

static bool
side_of(const struct position *p, const struct liq_result *r, enum side s)
{
    switch (s) {
    case SIDE_WHOLE:
        return u256_eq(r->repay, p->debt[0].amount);
    case SIDE_ALL_SEIZED:
        return u256_eq(r->seized, p->coll[0].amount);
    case SIDE_MADE:
        return r->revert == REVERT_NONE;
    case SIDE_BAD:
    case SIDE_COUNT:
        break;
    }
    return r->bad_debt_after;
}

/* The figure moved: the debt, the collateral, or a leg's price. */
static struct u256 *
edge_figure(struct position *p, struct u256 *price, unsigned which)
{
    switch (which % 4) {
    case 0:
        return &p->debt[0].amount;
    case 1:
        return &p->coll[0].amount;
    case 2:
        return &price[p->debt[0].asset];
    default:
        return &price[p->coll[0].asset];
    }
}

/*
 * One boundary: a one-collateral, one-debt position of real figures near
 * liquidation; a figure set to lo and hi (a quarter and four times its
 * own) where side s of the general path's answer differs, bisected to
 * two neighbours x, x + 1 that differ; the twin answers and agrees at x -
 * 1 .. x + 2. False where lo and hi do not differ (nothing found).
 */
static bool
edge_one(int n, uint64_t *st, bool morpho, enum side s, unsigned which)
{
    struct market m;
    struct position p;
    struct u256 price[MARKET_ASSETS_MAX];
    struct liq_result r;
    struct model_call128 c;
    struct u256 *f;
    u128 v, lo, hi;
    bool slo, shi;

    if (morpho)
        morpho_market(&m, st, true);
    else
        v4_market(&m, st, true);
    prices_make(&m, price, st, true);
    position_make(&m, &p, st, true, price);
    p.ncoll = p.ndebt = 1;
    position_near(&m, &p, price, st);
    f = edge_figure(&p, price, which);
    if (!u256_to_u128(*f, &v) || v < 8)
        return false;
    lo = v / 4;
    hi = v * 4;
    *f = u256_from_u128(lo);
    if (liquidate_max(&m, &p, price, 0, 0, &r) != 0)
        return false;
    slo = side_of(&p, &r, s);
    *f = u256_from_u128(hi);
    if (liquidate_max(&m, &p, price, 0, 0, &r) != 0)
        return false;
    shi = side_of(&p, &r, s);
    if (slo == shi)
        return false;
    while (hi - lo > 1) {
        u128 mid = lo + (hi - lo) / 2;

        *f = u256_from_u128(mid);
        if (liquidate_max(&m, &p, price, 0, 0, &r) != 0)
            return false;
        if (side_of(&p, &r, s) == slo)
            lo = mid;
        else
            hi = mid;
    }
    for (u128 x = lo - 1; x <= lo + 2; x++) {
        *f = u256_from_u128(x);
        ck_assert_msg(check_call(&m, &p, price, 0, 0, n, &c),
                      "edge %d (%s, side %d, figure %u): the twin declined", n,
                      m.id, s, which % 4);
    }
    return true;
}

START_TEST(prop_call128_v4m_edges)
{
    uint64_t st = test_seed();
    unsigned found[2][SIDE_COUNT];
    int n;
    bool met = false;

    memset(found, 0, sizeof found);
    /* drawn until every boundary of both models is found 25 times, at
     * most 200,000 tries */
    for (n = 0; n < 200000 && !met; n++) {
        int k = n % 2;
        enum side s = (enum side)((n / 2) % SIDE_COUNT);

        if (edge_one(n, &st, k == 1, s, (unsigned)test_rand(&st)))
            found[k][s]++;
        met = true;
        for (int i = 0; i < 2; i++)
            for (int j = 0; j < SIDE_COUNT; j++)
                met = met && found[i][j] >= 25;
    }
    for (int i = 0; i < 2; i++)
        fprintf(stderr,
                "%s boundaries found in %d tries: whole repay %u, all "
                "seized %u, call made %u, bad debt %u (25 of each needed)\n",
                i ? "morpho-blue" : "aave-v4", n, found[i][0], found[i][1],
                found[i][2], found[i][3]);
    ck_assert_msg(met, "boundaries not all found in %d tries", n);
}
END_TEST

/*
 * Aave v4's dust line, met exactly: a debt of round price (j 10^8, j in
 * 1, 2, 4, 5) whose raw unit divides 1000 base units, against collateral
 * of 18 places, health below the target; the collateral bisected where
 * the largest call turns from the whole debt (what the target leaves is
 * dust) to part of it. Each raw unit of collateral moves the target by
 * less than a raw unit of debt, so the rest passes every figure, the line
 * itself among them: the rest worth exactly 1000 base units is not dust.
 * True when some call of x - 1 .. x + 2 leaves exactly the line.
 */
static bool
edge_v4_dust(int n, uint64_t *st)
{
    static const uint64_t js[] = {1, 2, 4, 5};
    struct market m;
    struct position p;
    struct u256 price[MARKET_ASSETS_MAX];
    struct liq_result r;
    struct model_call128 c;
    uint8_t ddec = test_rand(st) % 2 ? 18 : 6;
    uint64_t j = js[test_rand(st) % 4];
    u128 lo, hi, dust = (u128)1000 * u256_pow10_128(26), scale;
    bool hit = false;

    v4_market(&m, st, true);
    m.params.target_health_factor = test_rand_range(st, WAD, WAD + WAD / 5);
    m.assets[0].decimals = 18;
    m.assets[0].lt = test_rand_range(st, 5000, 9000);
    m.assets[0].bonus = test_rand_range(st, 0, 1000);
    m.assets[1].decimals = ddec;
    scale = u256_pow10_128(18u - ddec);
    memset(price, 0, sizeof price);
    price[0] = u256_from_u64(test_rand_range(st, 100, 10000) * 100000000ULL);
    price[1] = u256_from_u64(j * 100000000ULL);
    memset(&p, 0, sizeof p);
    p.id = "p";
    p.label = "";
    p.ncoll = p.ndebt = 1;
    p.debt[0] = (struct leg){
        1, u256_from_u128(real_of(ddec, test_rand_range(st, 2000, 100000)))};
    /* The bonus held at its most (bonus factor 1): the target repays
     * the whole debt exactly when the collateral is worth LB times it,
     * and what it leaves grows with the collateral above that, while
     * health stays below the target: from 1 base currency above it to
     * twice it, or 99 % of the target's health. */
    m.params.liquidation_bonus_factor = BPS;
    {
        u128 dv = (u128)(u256_to_u64(p.debt[0].amount) /
                         u256_to_u64(u256_from_u128(u256_pow10_128(ddec)))) *
                  j * 100000000ULL;
        u128 lb = BPS + m.assets[0].bonus, cp = u256_to_u64(price[0]);
        u128 top = dv * m.params.target_health_factor /
                   ((u128)m.assets[0].lt * 100000000000000ULL) * 99 / 100;

        if (top > 2 * dv * lb / BPS)
            top = 2 * dv * lb / BPS;
        lo = (dv * lb / BPS + 100000000ULL) * u256_pow10_128(18) / cp + 1;
        hi = top * u256_pow10_128(18) / cp;
    }
    p.coll[0] = (struct leg){0, u256_from_u128(lo)};
    if (liquidate_max(&m, &p, price, 0, 0, &r) != 0 ||
        !side_of(&p, &r, SIDE_WHOLE))
        return false;
    p.coll[0].amount = u256_from_u128(hi);
    if (liquidate_max(&m, &p, price, 0, 0, &r) != 0 ||
        side_of(&p, &r, SIDE_WHOLE))
        return false;
    while (hi - lo > 1) {
        u128 mid = lo + (hi - lo) / 2;

        p.coll[0].amount = u256_from_u128(mid);
        if (liquidate_max(&m, &p, price, 0, 0, &r) != 0)
            return false;
        if (side_of(&p, &r, SIDE_WHOLE))
            lo = mid;
        else
            hi = mid;
    }
    for (u128 x = lo - 1; x <= lo + 2; x++) {
        u128 d = 0, rest;

        p.coll[0].amount = u256_from_u128(x);
        ck_assert_msg(check_call(&m, &p, price, 0, 0, n, &c),
                      "dust edge %d: the twin declined", n);
        (void)u256_to_u128(p.debt[0].amount, &d);
        rest = d - c.repay;
        hit = hit || rest * j * 100000000ULL * scale == dust;
    }
    return hit;
}

START_TEST(prop_call128_v4m_dust_line)
{
    uint64_t st = test_seed();
    unsigned hits = 0;
    int n;

    /* drawn until the line itself is met 20 times, at most 20,000 */
    for (n = 0; n < 20000 && hits < 20; n++)
        hits += edge_v4_dust(n, &st);
    fprintf(stderr, "aave-v4 dust line met exactly %u times in %d tries\n",
            hits, n);
    ck_assert_msg(hits >= 20, "the dust line met %u times in %d tries", hits,
                  n);
}
END_TEST

/*
 * Morpho figures derived by hand: LLTV 1 gives LIF = 1e36 / (1e18 - 0) =
 * 1; equal decimals and prices give the oracle price 1e36, so a repay of
 * a seizes a. At LLTV 0.86, LIF = floor(1e36 / 0.958e18) =
 * 1043841336116910229: a debt of 1000 raw units seizes floor(1000 LIF /
 * 1e18) = 1043; with collateral 1043 all of it repays, with 1042 the
 * repay is the largest a with floor(a LIF / 1e18) <= 1042: 999 LIF =
 * 1042.79..e18 floors to 1042, 1000 LIF to 1043, so 999.
 */
static void
table_one(uint64_t lltv, u128 coll, u128 debt, u128 repay, u128 seized,
          u128 bonus, bool bad, enum liq_revert revert)
{
    struct market m;
    struct position p;
    struct u256 price[MARKET_ASSETS_MAX];
    struct model_call128 c;

    memset(&m, 0, sizeof m);
    snprintf(m.id, sizeof m.id, "mb-table");
    m.model = MODEL_MORPHO_BLUE;
    m.base_decimals = 8;
    m.nassets = 2;
    m.assets[0] = (struct asset){.sym = 0, .decimals = 18, .lt = lltv};
    m.assets[1] = (struct asset){.sym = 1, .decimals = 18};
    memset(price, 0, sizeof price);
    price[0] = price[1] = u256_from_u64(100000000);
    memset(&p, 0, sizeof p);
    p.id = "p";
    p.label = "";
    p.ncoll = p.ndebt = 1;
    p.coll[0] = (struct leg){0, u256_from_u128(coll)};
    p.debt[0] = (struct leg){1, u256_from_u128(debt)};
    ck_assert(check_call(&m, &p, price, 0, 0, 0, &c));
    ck_assert_msg(c.repay == repay && c.seized == seized && c.bonus == bonus,
                  "coll %llu debt %llu: repay %llu seized %llu bonus %llu",
                  (unsigned long long)coll, (unsigned long long)debt,
                  (unsigned long long)c.repay, (unsigned long long)c.seized,
                  (unsigned long long)c.bonus);
    ck_assert_int_eq(c.bad_debt_after, bad);
    ck_assert_int_eq(c.revert, revert);
}

START_TEST(unit_call128_v4m_morpho_table)
{
    const uint64_t l86 = 860000000000000000ULL;

    /* LIF 1: collateral 99 against debt 100 repays 99, seizes it all,
     * leaves 1 of debt and no collateral */
    table_one(WAD, 99, 100, 99, 99, 0, true, REVERT_NONE);
    /* 99 against 99: maxBorrow 99 is not below 99, not liquidatable */
    table_one(WAD, 99, 99, 99, 99, 0, false, REVERT_NOT_LIQUIDATABLE);
    /* LIF 1.0438..: debt 1000 seizes 1043 (bonus 43; the repay's worth
     * floor(1000 1e36 / 1e36) = 1000) */
    table_one(l86, 1043, 1000, 1000, 1043, 43, false, REVERT_NONE);
    table_one(l86, 1044, 1000, 1000, 1043, 43, false, REVERT_NONE);
    /* one raw unit of collateral less: the repay of 999 seizes 1042 */
    table_one(l86, 1042, 1000, 999, 1042, 43, true, REVERT_NONE);
    /* no collateral: nothing can be repaid (a seizure of 1 is past it);
     * what is left is debt with no collateral */
    table_one(l86, 0, 1000, 0, 0, 0, true, REVERT_NOTHING_TO_REPAY);
}
END_TEST

static Suite *
call128_v4m_suite(void)
{
    Suite *s = suite_create("largest call on 128-bit figures: v4, morpho");
    TCase *tc = tcase_create("prop");

    tcase_set_timeout(tc, 240);
    tcase_add_test(tc, prop_call128_v4m_equals_liquidate);
    tcase_add_test(tc, prop_call128_v4m_declines);
    tcase_add_test(tc, prop_call128_v4m_answers_real_figures);
    tcase_add_test(tc, prop_call128_v4m_edges);
    tcase_add_test(tc, prop_call128_v4m_dust_line);
    tcase_add_test(tc, unit_call128_v4m_morpho_table);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    return test_run(call128_v4m_suite());
}
