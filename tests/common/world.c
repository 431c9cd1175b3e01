/*
 * world.c: the random book the book and order property tests replay ticks
 * on: seven symbols (one priced late, one held by few), Aave v3.7 and 3.0,
 * Aave v4, Compound v2 and four Morpho markets (either orientation, one
 * with a late symbol, one of three assets), and positions of one to three
 * collaterals and up to two debts with amounts from tiny to past 128 bits.
 *
 * Test-only; never linked into ./liqtop.
 */
#include "tests/common/world.h"

#include <stdio.h>
#include <string.h>

#include "core/liq.h"

struct u256
world_pow10(unsigned n)
{
    return u256_exp10(n);
}

/* A random amount for an asset with `dec` decimals: mostly ordinary, some
 * tiny, a few past 128 bits. */
struct u256
world_amount(struct world *r, unsigned dec)
{
    uint64_t k = test_rand_range(&r->rng, 0, 99);
    struct u256 v;

    if (k < 8)
        return u256_from_u64(test_rand_range(&r->rng, 1, 1000));
    if (k < 10) {
        ck_assert_int_eq(u256_mul(&v, u256_from_u64(test_rand(&r->rng) | 1),
                                  world_pow10(40)),
                         0);
        return v;
    }
    uint64_t whole = test_rand_range(&r->rng, 1, 1000000);
    ck_assert_int_eq(u256_mul(&v, u256_from_u64(whole), world_pow10(dec)), 0);
    if (dec > 0) {
        struct u256 frac = u256_from_u64(test_rand(&r->rng) % 1000000007ULL);
        ck_assert_int_eq(u256_add(&v, v, frac), 0);
    }
    return v;
}

/* Symbols of the Morpho markets' assets: the usual pair, the pair the
 * other way round (an oracle price past 128 bits), one with a symbol
 * priced late, and one of three assets (not prepared on a tick). */
static const unsigned world_morpho_syms[4][4] = {
    {2, 1}, {1, 0}, {5, 3}, {4, 0, 1}};
static const unsigned world_morpho_nsyms[4] = {2, 2, 2, 3};

void
world_add_market(struct world *r, enum model_kind kind, uint16_t version,
                 const char *id)
{
    static const uint8_t decs[WORLD_NSYM] = {18, 6, 8, 18, 0, 2, 18};
    struct market m;
    uint32_t idx;
    bool wad = kind == MODEL_COMPOUND_V2 || kind == MODEL_MORPHO_BLUE;

    memset(&m, 0, sizeof m);
    snprintf(m.id, sizeof m.id, "%s", id);
    m.model = kind;
    m.version = kind == MODEL_MORPHO_BLUE ? 0 : version;
    m.base_decimals = 8;
    market_params_default(&m.params, kind);
    /* Morpho has no versions: a Morpho market's is its world_morpho_syms row.
     */
    m.nassets =
        kind == MODEL_MORPHO_BLUE ? world_morpho_nsyms[version] : WORLD_NSYM;
    for (unsigned i = 0; i < m.nassets; i++) {
        unsigned s =
            kind == MODEL_MORPHO_BLUE ? world_morpho_syms[version][i] : i;
        struct asset *a = &m.assets[i];
        a->sym = r->sym[s];
        a->decimals = decs[s];
        uint64_t lt = 6000 + 500 * (uint64_t)i; /* bps */
        if (kind == MODEL_MORPHO_BLUE)
            lt = 8600;
        a->lt = wad ? lt * 100000000000000ULL : lt;
        a->ltv = a->lt;
        a->bonus = wad ? 0 : 500;
        a->fee = wad ? 0 : 1000;
    }
    if (book_market_add(r->b, &m, &idx) != 0)
        ck_abort_msg("market %s rejected", id);
    /* Only models that answer take part. */
    struct position p;
    struct account acc;
    struct u256 px[MARKET_ASSETS_MAX];
    memset(&p, 0, sizeof p);
    memset(px, 0, sizeof px);
    p.id = "probe";
    p.label = "";
    p.ncoll = 1;
    p.coll[0].asset = 0;
    p.coll[0].amount = world_pow10(20);
    p.ndebt = 1;
    p.debt[0].asset = 1;
    p.debt[0].amount = world_pow10(4);
    px[0] = world_pow10(11);
    px[1] = world_pow10(8);
    if (model_account(&m, &p, px, &acc) == LIQ_EINVAL)
        printf("model %s: not answering yet, left out\n",
               market_model_name(kind));
    else
        r->mkt[r->nmkt++] = idx;
}

void
world_add_position(struct world *r)
{
    struct position p;
    uint32_t idx;
    char id[32];

    memset(&p, 0, sizeof p);
    snprintf(id, sizeof id, "p%05u-%llx", r->nextid++,
             (unsigned long long)(test_rand(&r->rng) % 4096));
    p.id = id;
    p.label = "";
    uint32_t np = book_position_count(r->b);
    if (np > 0 && test_rand_range(&r->rng, 0, 9) == 0) {
        /* A copy of an earlier position: ties broken by id. */
        struct position q;
        book_position_get(r->b, (uint32_t)test_rand_range(&r->rng, 0, np - 1),
                          &q);
        q.id = id;
        ck_assert_int_eq(book_position_add(r->b, &q, &idx), 0);
        return;
    }
    p.market = r->mkt[test_rand_range(&r->rng, 0, r->nmkt - 1)];
    const struct market *m = book_market(r->b, p.market);
    if (m->model == MODEL_MORPHO_BLUE) {
        /* either asset as collateral, now and then a side empty */
        uint64_t shape = test_rand_range(&r->rng, 0, 19);
        unsigned c = (unsigned)test_rand_range(&r->rng, 0, m->nassets - 1);
        p.ncoll = shape != 0;
        p.ndebt = shape != 1;
        p.coll[0].asset = (uint8_t)c;
        p.debt[0].asset = (uint8_t)((c + 1) % m->nassets);
    } else {
        p.ncoll = (uint8_t)test_rand_range(&r->rng, 1, 3);
        p.ndebt = (uint8_t)test_rand_range(&r->rng, 0, 2);
        uint64_t used = 0;
        for (unsigned i = 0; i < p.ncoll; i++) {
            unsigned a;
            do
                a = (unsigned)test_rand_range(&r->rng, 0, m->nassets - 2);
            while (used & (1u << a));
            used |= 1u << a;
            p.coll[i].asset = (uint8_t)a;
        }
        for (unsigned i = 0; i < p.ndebt; i++) {
            unsigned a;
            do
                a = (unsigned)test_rand_range(&r->rng, 0, m->nassets - 2);
            while (used & (1u << a));
            used |= 1u << a;
            p.debt[i].asset = (uint8_t)a;
        }
    }
    if (m->model != MODEL_MORPHO_BLUE && test_rand_range(&r->rng, 0, 99) == 0)
        p.coll[0].asset = (uint8_t)(m->nassets - 1);
    /* Sometimes an asset supplied and borrowed at once (Aave allows it):
     * a tick then moves two legs of one position. */
    if (p.ndebt > 0 && test_rand_range(&r->rng, 0, 9) == 0)
        p.debt[0].asset = p.coll[0].asset;
    for (unsigned i = 0; i < p.ncoll; i++)
        p.coll[i].amount = world_amount(r, m->assets[p.coll[i].asset].decimals);
    for (unsigned i = 0; i < p.ndebt; i++)
        p.debt[i].amount = world_amount(r, m->assets[p.debt[i].asset].decimals);
    if (m->model == MODEL_MORPHO_BLUE && test_rand_range(&r->rng, 0, 19) == 0)
        p.debt[0].amount = u256_zero(); /* a leg left empty */
    ck_assert_int_eq(book_position_add(r->b, &p, &idx), 0);
}

/* The symbols and markets every replay starts from, and the first prices:
 * every symbol but WORLD_LATE priced; px gets them all. */
void
world_init(struct world *r, unsigned npos, struct u256 *px)
{
    static const char *const names[WORLD_NSYM] = {"WETH", "USDC", "WBTC", "DAI",
                                                  "ZERO", "TWO",  "RARE"};

    memset(r, 0, sizeof *r);
    r->rng = test_seed();
    r->b = book_new();
    for (unsigned i = 0; i < WORLD_NSYM; i++)
        ck_assert_int_eq(
            book_symbol_intern(r->b, names[i], strlen(names[i]), &r->sym[i]),
            0);
    world_add_market(r, MODEL_AAVE_V3, 307, "aave-37");
    world_add_market(r, MODEL_AAVE_V3, 300, "aave-30");
    world_add_market(r, MODEL_AAVE_V4, 0, "aave-v4");
    world_add_market(r, MODEL_COMPOUND_V2, 0, "compound");
    world_add_market(r, MODEL_MORPHO_BLUE, 0, "morpho");
    world_add_market(r, MODEL_MORPHO_BLUE, 1, "morpho-rev");
    world_add_market(r, MODEL_MORPHO_BLUE, 2, "morpho-late");
    world_add_market(r, MODEL_MORPHO_BLUE, 3, "morpho-three");
    if (r->nmkt == 0) /* nothing answers: every position has no account */
        r->mkt[r->nmkt++] = 0;
    for (unsigned i = 0; i < npos; i++)
        world_add_position(r);
    for (unsigned i = 0; i < WORLD_NSYM; i++) {
        uint64_t whole = test_rand_range(&r->rng, 1, 60000);
        ck_assert_int_eq(
            u256_mul(&px[i], u256_from_u64(whole), world_pow10(18)), 0);
        if (i != WORLD_LATE)
            ck_assert_int_eq(book_price_set(r->b, r->sym[i], px[i], 1), 0);
    }
}
