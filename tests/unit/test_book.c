/*
 * test_book.c: the book of positions: symbols, markets, positions and
 * duplicates, prices and what-if shocks, ranking order (health, ties by id,
 * no debt after debt, unpriced last), counts, and incremental updates.
 * Figures use an aave-v3 3.7 market (design.md section 3's example).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/book.h"
#include "core/book_order.h"
#include "core/liq.h"
#include "tests/common/bookfix.h"
#include "tests/common/testutil.h"

START_TEST(test_symbols)
{
    struct book *b = book_new();
    uint32_t a, c, d;

    ck_assert_uint_eq(book_symbol_count(b), 0);
    ck_assert_int_eq(book_symbol_find(b, "WETH", 4, &a), LIQ_ENOENT);
    ck_assert_int_eq(book_symbol_intern(b, "WETHX", 4, &a), 0);
    ck_assert_uint_eq(a, 0);
    ck_assert_int_eq(book_symbol_intern(b, "USDC", 4, &c), 0);
    ck_assert_uint_eq(c, 1);
    ck_assert_int_eq(book_symbol_intern(b, "WETH", 4, &d), 0);
    ck_assert_uint_eq(d, 0);
    ck_assert_str_eq(book_symbol_name(b, 0), "WETH");
    ck_assert_str_eq(book_symbol_name(b, 1), "USDC");
    ck_assert_ptr_null(book_symbol_name(b, 2));
    ck_assert_int_eq(book_symbol_find(b, "USDC", 4, &d), 0);
    ck_assert_uint_eq(d, 1);
    ck_assert_int_eq(book_symbol_find(b, "USD", 3, &d), LIQ_ENOENT);
    ck_assert_int_eq(book_symbol_intern(b, "", 0, &d), LIQ_EINVAL);
    ck_assert_int_eq(
        book_symbol_intern(b, "ABCDEFGHIJKLMNOPQRSTUVWXYZ", 26, &d),
        LIQ_EINVAL);
    /* Many symbols: ids stay dense and names stay put across growth. */
    const char *first = book_symbol_name(b, 0);
    for (unsigned i = 0; i < 300; i++) {
        char name[16];
        int n = snprintf(name, sizeof name, "S%u", i);
        ck_assert_int_eq(book_symbol_intern(b, name, (size_t)n, &d), 0);
        ck_assert_uint_eq(d, i + 2);
    }
    ck_assert_uint_eq(book_symbol_count(b), 302);
    ck_assert_ptr_eq(book_symbol_name(b, 0), first);
    ck_assert_int_eq(book_symbol_find(b, "S299", 4, &d), 0);
    ck_assert_uint_eq(d, 301);
    book_free(b);
    book_free(NULL);
}
END_TEST

START_TEST(test_markets_and_duplicates)
{
    struct bookfix f;
    struct market m;
    uint32_t idx;

    bookfix_init(&f);
    ck_assert_uint_eq(book_market_count(f.b), 1);
    const struct market *got = book_market(f.b, f.mkt);
    ck_assert_str_eq(got->id, "aave-core");
    ck_assert_uint_eq(got->assets[0].lt, 8250);
    memcpy(&m, got, sizeof m);
    ck_assert_int_eq(book_market_add(f.b, &m, &idx), LIQ_EDUP);
    snprintf(m.id, sizeof m.id, "%s", "other");
    m.assets[0].sym = 99; /* no such symbol */
    ck_assert_int_eq(book_market_add(f.b, &m, &idx), LIQ_EINVAL);
    m.assets[0].sym = f.weth;
    ck_assert_int_eq(book_market_add(f.b, &m, &idx), 0);
    ck_assert_uint_eq(idx, 1);
    ck_assert_int_eq(book_market_find(f.b, "other", &idx), 0);
    ck_assert_uint_eq(idx, 1);
    ck_assert_int_eq(book_market_find(f.b, "nope", &idx), LIQ_ENOENT);
    /* Earlier markets stay where they were. */
    ck_assert_ptr_eq(book_market(f.b, f.mkt), got);
    ck_assert_ptr_null(book_market(f.b, 2));

    uint32_t a = bookfix_add(&f, "alice", 10, 0, 17000);
    struct position p;
    memset(&p, 0, sizeof p);
    p.id = "alice";
    p.market = f.mkt;
    ck_assert_int_eq(book_position_add(f.b, &p, &idx), LIQ_EDUP);
    p.id = "zoe";
    p.market = 7;
    ck_assert_int_eq(book_position_add(f.b, &p, &idx), LIQ_EINVAL);
    p.market = f.mkt;
    p.ncoll = 1;
    p.coll[0].asset = 3; /* the market has three assets */
    ck_assert_int_eq(book_position_add(f.b, &p, &idx), LIQ_EINVAL);
    ck_assert_uint_eq(book_position_count(f.b), 1);
    ck_assert_int_eq(book_position_find(f.b, "alice", 5, &idx), 0);
    ck_assert_uint_eq(idx, a);
    ck_assert_int_eq(book_position_find(f.b, "alic", 4, &idx), LIQ_ENOENT);
    ck_assert_int_eq(book_position_find(f.b, "alicex", 5, &idx), 0);
    book_free(f.b);
}
END_TEST

START_TEST(test_positions_copied)
{
    struct bookfix f;
    struct position p, got;
    char id[32] = "pos-1", label[32] = "Main account";
    uint32_t idx;

    bookfix_init(&f);
    memset(&p, 0, sizeof p);
    p.id = id;
    p.label = label;
    p.market = f.mkt;
    p.ncoll = 2;
    p.coll[0].asset = 0;
    p.coll[0].amount = test_u256("10500000000000000000");
    /* Past 128 bits: kept exactly. */
    p.coll[1].asset = 2;
    p.coll[1].amount =
        test_u256("1000000000000000000000000000000000000000000000000000000000");
    p.ndebt = 1;
    p.debt[0].asset = 1;
    p.debt[0].amount = test_u256("17000000000");
    ck_assert_int_eq(book_position_add(f.b, &p, &idx), 0);
    snprintf(id, sizeof id, "changed");
    snprintf(label, sizeof label, "changed");
    p.coll[0].amount = u256_zero();
    /* Many more, so every array grows and moves. */
    for (unsigned i = 0; i < 5000; i++) {
        char name[32];
        snprintf(name, sizeof name, "more-%u", i);
        bookfix_add(&f, name, 1 + i % 7, 0, i % 3 == 0 ? 0 : 100 + i);
    }
    book_position_get(f.b, idx, &got);
    ck_assert_str_eq(got.id, "pos-1");
    ck_assert_str_eq(got.label, "Main account");
    ck_assert_uint_eq(got.market, f.mkt);
    ck_assert_uint_eq(got.ncoll, 2);
    ck_assert_uint_eq(got.ndebt, 1);
    ck_assert_uint_eq(got.coll[0].asset, 0);
    TEST_U256_EQ(got.coll[0].amount, test_u256("10500000000000000000"));
    ck_assert_uint_eq(got.coll[1].asset, 2);
    TEST_U256_EQ(got.coll[1].amount,
                 test_u256("10000000000000000000000000000000000000000000000"
                           "00000000000"));
    TEST_U256_EQ(got.debt[0].amount, test_u256("17000000000"));
    ck_assert_int_eq(book_position_find(f.b, "more-4999", 9, &idx), 0);
    book_position_get(f.b, idx, &got);
    ck_assert_str_eq(got.id, "more-4999");
    ck_assert_str_eq(got.label, "");
    TEST_U256_EQ(got.coll[0].amount, bookfix_e18(1 + 4999 % 7));
    book_free(f.b);
}
END_TEST

START_TEST(test_prices_and_whatif)
{
    struct bookfix f;
    struct u256 px, base[MARKET_ASSETS_MAX];
    int64_t ts = -1;
    uint32_t missing = 0;

    bookfix_init(&f);
    ck_assert(!book_price_get(f.b, f.weth, &px, &ts));
    ck_assert_int_eq(ts, -1);
    book_prices_base(f.b, f.mkt, base, &missing);
    ck_assert_uint_eq(missing, 7);
    ck_assert_int_eq(
        book_price_set(f.b, f.weth, test_u256("1999123456789123456789"), 42),
        0);
    ck_assert(book_price_get(f.b, f.weth, &px, &ts));
    TEST_U256_EQ(px, test_u256("1999123456789123456789"));
    ck_assert_int_eq(ts, 42);
    ck_assert(book_price_get(f.b, f.weth, NULL, NULL));
    book_prices_base(f.b, f.mkt, base, &missing);
    ck_assert_uint_eq(missing, 6);
    /* 8 decimals, truncated. */
    TEST_U256_EQ(base[0], test_u256("199912345678"));

    ck_assert_int_eq(book_whatif_set(f.b, f.weth, -10001), LIQ_ERANGE);
    ck_assert_int_eq(book_whatif_set(f.b, f.weth, -100), 0);
    ck_assert_int_eq(book_whatif_get(f.b, f.weth), -100);
    ck_assert(book_price_effective(f.b, f.weth, &px));
    /* floor(1999.123456789123456789e18 * 9900 / 10000) */
    TEST_U256_EQ(px, test_u256("1979132222221232222221"));
    /* The feed price is untouched. */
    ck_assert(book_price_get(f.b, f.weth, &px, NULL));
    TEST_U256_EQ(px, test_u256("1999123456789123456789"));
    book_prices_base(f.b, f.mkt, base, NULL);
    TEST_U256_EQ(base[0], test_u256("197913222222"));
    ck_assert_int_eq(book_whatif_set(f.b, f.usdc, 250), 0);
    ck_assert(!book_price_effective(f.b, f.usdc, &px));
    ck_assert_int_eq(book_whatif_set(f.b, f.weth, -10000), 0);
    ck_assert(book_price_effective(f.b, f.weth, &px));
    ck_assert(u256_is_zero(px));
    book_whatif_clear(f.b);
    ck_assert_int_eq(book_whatif_get(f.b, f.weth), 0);
    ck_assert_int_eq(book_whatif_get(f.b, f.usdc), 0);
    ck_assert(book_price_effective(f.b, f.weth, &px));
    TEST_U256_EQ(px, test_u256("1999123456789123456789"));
    book_free(f.b);
}
END_TEST

START_TEST(test_ranking_and_counts)
{
    struct bookfix f;
    struct account a;
    struct book_counts c;

    bookfix_init(&f);
    uint32_t erin = bookfix_add(&f, "erin", 0, 5000, 1000);  /* DAI unpriced */
    bookfix_add(&f, "dave", 10, 0, 0);                       /* no debt */
    uint32_t bob = bookfix_add(&f, "bob", 10, 0, 10000);     /* 1.65 */
    uint32_t alice = bookfix_add(&f, "alice", 10, 0, 17000); /* 0.97... */
    bookfix_add(&f, "aaron", 10, 0, 10000);                  /* ties with bob */
    bookfix_add(&f, "abe", 1, 0, 0);                         /* no debt */
    bookfix_add(&f, "frank", 10, 0, 12000);                  /* 1.375 */
    bookfix_add(&f, "carl", 0, 7, 1);                        /* DAI unpriced */
    bookfix_add(&f, "gus", 1, 0, 5000);                      /* bad debt */
    bookfix_prices(&f);
    ck_assert_uint_eq(book_update(f.b), 9);

    static const char *const want[] = {"gus", "alice", "frank", "aaron", "bob",
                                       "abe", "dave",  "carl",  "erin"};
    for (uint32_t r = 0; r < 9; r++) {
        ck_assert_str_eq(bookfix_id_at(f.b, r), want[r]);
        ck_assert_uint_eq(book_rank_of(f.b, book_rank_at(f.b, r)), r);
    }
    ck_assert(book_read_account(f.b, alice, &a));
    TEST_U256_EQ(a.hf, test_u256("970588235294117647"));
    TEST_U256_EQ(a.coll_value, test_u256("2000000000000"));
    TEST_U256_EQ(a.debt_value, test_u256("1700000000000"));
    ck_assert(a.has_debt && a.liquidatable && !a.bad_debt);
    ck_assert(book_read_account(f.b, bob, &a));
    TEST_U256_EQ(a.hf, test_u256("1650000000000000000"));
    ck_assert(!book_read_account(f.b, erin, &a));

    book_counts(f.b, &c);
    ck_assert_uint_eq(c.total, 9);
    ck_assert_uint_eq(c.liquidatable, 2);
    ck_assert_uint_eq(c.at_risk, 1);
    ck_assert_uint_eq(c.no_debt, 2);
    ck_assert_uint_eq(c.bad_debt, 1);
    ck_assert_uint_eq(c.unpriced, 2);

    /* DAI gets a price: erin and carl join; only DAI holders recompute. */
    ck_assert_int_eq(book_price_set(f.b, f.dai, bookfix_e18(1), 2000), 0);
    ck_assert_uint_eq(book_update(f.b), 2);
    /* erin: 5000 DAI * 0.77 / 1000 = 3.85; carl: 7 * 0.77 / 1 = 5.39. */
    ck_assert_str_eq(bookfix_id_at(f.b, 5), "erin");
    ck_assert_str_eq(bookfix_id_at(f.b, 6), "carl");
    ck_assert_str_eq(bookfix_id_at(f.b, 7), "abe");
    ck_assert(book_read_account(f.b, erin, &a));
    TEST_U256_EQ(a.hf, test_u256("3850000000000000000"));
    book_counts(f.b, &c);
    ck_assert_uint_eq(c.unpriced, 0);
    ck_assert_uint_eq(c.total, 9);

    /* The same price again changes nothing. */
    ck_assert_int_eq(book_price_set(f.b, f.dai, bookfix_e18(1), 2001), 0);
    ck_assert_uint_eq(book_update(f.b), 0);
    book_free(f.b);
}
END_TEST

/* A position re-read holding nothing (repaid and withdrawn) leaves the
 * ranks shown, the counts and every order's rows, keeps its id, and comes
 * back with its new legs. */
START_TEST(test_emptied_position)
{
    struct bookfix f;
    struct book_counts c;
    struct book_filter flt;
    struct book_order *o;
    struct position p;

    bookfix_init(&f);
    bookfix_add(&f, "bob", 10, 0, 10000);                    /* 1.65 */
    uint32_t alice = bookfix_add(&f, "alice", 10, 0, 17000); /* 0.97... */
    bookfix_add(&f, "dave", 10, 0, 0);                       /* no debt */
    bookfix_prices(&f);
    book_update(f.b);
    memset(&flt, 0, sizeof flt);
    o = book_order_new(f.b);
    book_order_set(o, &flt, BOOK_ORDER_ID);
    ck_assert_uint_eq(book_order_count(o), 3);

    /* every leg zero, then no leg at all: the same */
    for (int pass = 0; pass < 2; pass++) {
        book_position_get(f.b, alice, &p);
        p.coll[0].amount = p.debt[0].amount = u256_zero();
        if (pass == 1)
            p.ncoll = p.ndebt = 0;
        ck_assert_int_eq(book_position_set(f.b, alice, &p), 0);
        book_update(f.b);
        ck_assert_uint_eq(book_position_count(f.b), 3);
        ck_assert_uint_eq(book_rank_count(f.b), 2);
        ck_assert_str_eq(bookfix_id_at(f.b, 0), "bob");
        ck_assert_str_eq(bookfix_id_at(f.b, 1), "dave");
        ck_assert_uint_eq(book_rank_at(f.b, 2), alice);
        book_counts(f.b, &c);
        ck_assert_uint_eq(c.total, 2);
        ck_assert_uint_eq(c.liquidatable, 0);
        ck_assert_uint_eq(c.no_debt, 1);
        book_order_sync(o);
        ck_assert_uint_eq(book_order_count(o), 2);
        ck_assert_uint_eq(book_order_at(o, 0, false), 0); /* bob */
        ck_assert(!book_order_matches(o, alice));
    }
    ck_assert_int_eq(book_position_find(f.b, "alice", 5, &p.market), 0);
    ck_assert_uint_eq(p.market, alice);

    /* she borrows again: back in the ranks, the counts and the rows */
    memset(&p, 0, sizeof p);
    p.id = "alice";
    p.label = "";
    p.market = f.mkt;
    p.ncoll = p.ndebt = 1;
    p.coll[0] = (struct leg){0, bookfix_e18(10)};
    p.debt[0] = (struct leg){1, u256_from_u64(17000ULL * 1000000ULL)};
    ck_assert_int_eq(book_position_set(f.b, alice, &p), 0);
    book_update(f.b);
    ck_assert_uint_eq(book_rank_count(f.b), 3);
    ck_assert_str_eq(bookfix_id_at(f.b, 0), "alice");
    book_counts(f.b, &c);
    ck_assert_uint_eq(c.total, 3);
    ck_assert_uint_eq(c.liquidatable, 1);
    book_order_sync(o);
    ck_assert_uint_eq(book_order_count(o), 3);
    ck_assert_uint_eq(book_order_at(o, 0, false), alice);
    book_order_free(o);
    book_free(f.b);
}
END_TEST

START_TEST(test_whatif_reranks)
{
    struct bookfix f;
    struct account a;
    struct book_counts c;

    bookfix_init(&f);
    uint32_t alice = bookfix_add(&f, "alice", 10, 0, 17000);
    bookfix_add(&f, "bob", 10, 0, 10000);
    bookfix_add(&f, "dai-rich", 0, 30000, 10000); /* 2.31, holds no WETH */
    bookfix_prices(&f);
    ck_assert_int_eq(book_price_set(f.b, f.dai, bookfix_e18(1), 0), 0);
    book_update(f.b);
    ck_assert_str_eq(bookfix_id_at(f.b, 2), "dai-rich");

    /* WETH 10 % lower: alice 0.8735..., bob 1.485. */
    ck_assert_int_eq(book_whatif_set(f.b, f.weth, -1000), 0);
    ck_assert_uint_eq(book_update(f.b), 2);
    ck_assert(book_read_account(f.b, alice, &a));
    TEST_U256_EQ(a.hf, test_u256("873529411764705882"));
    book_counts(f.b, &c);
    ck_assert_uint_eq(c.liquidatable, 1);
    ck_assert_uint_eq(c.at_risk, 1);

    /* WETH 50 % higher: bob (2.475) passes dai-rich (2.31). */
    ck_assert_int_eq(book_whatif_set(f.b, f.weth, 5000), 0);
    book_update(f.b);
    ck_assert_str_eq(bookfix_id_at(f.b, 0), "alice");
    ck_assert_str_eq(bookfix_id_at(f.b, 1), "dai-rich");
    ck_assert_str_eq(bookfix_id_at(f.b, 2), "bob");
    book_counts(f.b, &c);
    ck_assert_uint_eq(c.liquidatable, 0);

    book_whatif_clear(f.b);
    ck_assert_uint_eq(book_update(f.b), 2);
    ck_assert(book_read_account(f.b, alice, &a));
    TEST_U256_EQ(a.hf, test_u256("970588235294117647"));
    ck_assert_str_eq(bookfix_id_at(f.b, 1), "bob");
    book_free(f.b);
}
END_TEST

START_TEST(test_positions_added_after_update)
{
    struct bookfix f;
    struct book_counts c;

    bookfix_init(&f);
    bookfix_prices(&f);
    bookfix_add(&f, "m", 10, 0, 10000);
    book_update(f.b);
    bookfix_add(&f, "k", 10, 0, 17000);
    bookfix_add(&f, "n", 10, 0, 10000);
    /* Until the next update the ranking holds what it held. */
    ck_assert_str_eq(bookfix_id_at(f.b, 0), "m");
    ck_assert_uint_eq(book_rank_at(f.b, 1), UINT32_MAX);
    ck_assert_uint_eq(book_rank_of(f.b, 2), UINT32_MAX);
    ck_assert_uint_eq(book_update(f.b), 2);
    ck_assert_str_eq(bookfix_id_at(f.b, 0), "k");
    ck_assert_str_eq(bookfix_id_at(f.b, 1), "m");
    ck_assert_str_eq(bookfix_id_at(f.b, 2), "n");
    book_counts(f.b, &c);
    ck_assert_uint_eq(c.total, 3);
    ck_assert_uint_eq(c.liquidatable, 1);
    /* A tick after adding reaches the new holders too. */
    ck_assert_int_eq(book_price_set(f.b, f.weth, bookfix_e18(1000), 0), 0);
    ck_assert_uint_eq(book_update(f.b), 3);
    book_counts(f.b, &c);
    ck_assert_uint_eq(c.liquidatable, 3);
    ck_assert_str_eq(bookfix_id_at(f.b, 0), "k");
    book_free(f.b);
}
END_TEST

static struct u256
plus(struct u256 a, uint64_t k)
{
    ck_assert_int_eq(u256_add(&a, a, u256_from_u64(k)), 0);
    return a;
}

struct rank_want {
    unsigned cls; /* 0 debt, 1 no debt, 2 no account */
    struct u256 hf;
    const char *id;
    uint32_t idx;
};

static int
rank_want_cmp(const void *pa, const void *pb)
{
    const struct rank_want *a = pa, *b = pb;

    if (a->cls != b->cls)
        return a->cls < b->cls ? -1 : 1;
    if (a->cls == 0 && !u256_eq(a->hf, b->hf))
        return u256_cmp(a->hf, b->hf);
    return strcmp(a->id, b->id);
}

/* Every place of the ranking against a sort of the book's accounts. */
static void
check_ranking(struct book *b, const char *when)
{
    uint32_t n = book_position_count(b);
    struct rank_want *w = malloc((n + 1) * sizeof *w);

    ck_assert_ptr_nonnull(w);
    book_update(b);
    for (uint32_t i = 0; i < n; i++) {
        struct position p;
        struct account a;
        book_position_get(b, i, &p);
        w[i].idx = i;
        w[i].id = p.id;
        w[i].cls = 2;
        w[i].hf = u256_zero();
        if (book_read_account(b, i, &a)) {
            w[i].cls = a.has_debt ? 0 : 1;
            w[i].hf = a.hf;
        }
    }
    qsort(w, n, sizeof *w, rank_want_cmp);
    for (uint32_t k = 0; k < n; k++) {
        uint32_t got = book_rank_at(b, k);
        ck_assert_msg(got == w[k].idx, "%s: rank %u is %u, want %s", when, k,
                      got, w[k].id);
        ck_assert_uint_eq(book_rank_of(b, w[k].idx), k);
    }
    free(w);
}

/* book_revalue_all() from nothing gives the ranking and counts the
 * incremental update kept, and the book ticks on from there. */
static void
check_revalue(struct book *b, const char *when)
{
    uint32_t n = book_position_count(b);
    uint32_t *was = malloc((n + 1) * sizeof *was);
    struct book_counts c0, c1;

    ck_assert_ptr_nonnull(was);
    book_update(b);
    book_counts(b, &c0);
    for (uint32_t k = 0; k < n; k++)
        was[k] = book_rank_at(b, k);
    ck_assert_uint_eq(book_revalue_all(b), n);
    book_counts(b, &c1);
    ck_assert_msg(memcmp(&c0, &c1, sizeof c0) == 0, "%s: counts differ", when);
    for (uint32_t k = 0; k < n; k++)
        ck_assert_msg(book_rank_at(b, k) == was[k], "%s: rank %u is %u, was %u",
                      when, k, book_rank_at(b, k), was[k]);
    free(was);
    check_ranking(b, when);
}

/*
 * Dense health factors: hundreds share the leading bits the ranking keeps
 * inline, some exactly, with ids sharing their first eight bytes; factors
 * past 2^128 and below 2^56; positions changing class; new and moved
 * positions in one update. The ranking stays a full sort throughout.
 */
START_TEST(test_ranking_dense)
{
    struct bookfix f;
    char id[48];
    struct u256 dai = test_u256("1000000000000000000000000"); /* 1e6 DAI */
    struct u256 weth = test_u256("466666666666666666666");    /* ~466.7 */
    struct u256 debt = u256_from_u64(513333ULL * 1000000ULL);
    struct u256 px = bookfix_e18(2000);

    bookfix_init(&f);
    /* Health about 1.49 apart by 1e-9, in threes alike: DAI holders, ... */
    for (unsigned k = 0; k < 1200; k++) {
        snprintf(id, sizeof id, "dense-position-b%04u", k);
        bookfix_add_raw(&f, id, u256_zero(),
                        plus(dai, (k - k % 3) * 1000000000000000ULL), debt);
    }
    /* ... WETH holders spread over the same span, in pairs alike. */
    for (unsigned k = 0; k < 600; k++) {
        snprintf(id, sizeof id, "dense-position-a%04u", k);
        bookfix_add_raw(&f, id, plus(weth, (k - k % 2) * 930000000000ULL),
                        u256_zero(), debt);
    }
    /* Past 2^128 (1e40 wei against one USDC unit): one a wei apart from
     * the next (equal factors), one 1e22 wei apart (equal keys). */
    struct u256 huge = test_u256("10000000000000000000000000000000000000000");
    bookfix_add_raw(&f, "huge-position-1", huge, u256_zero(), u256_from_u64(1));
    bookfix_add_raw(&f, "huge-position-2", plus(huge, 1), u256_zero(),
                    u256_from_u64(1));
    ck_assert_int_eq(u256_add(&huge, huge, u256_exp10(22)), 0);
    bookfix_add_raw(&f, "huge-position-0", huge, u256_zero(), u256_from_u64(1));
    /* Below 2^56: a millionth of a WETH against a million USDC. */
    bookfix_add_raw(&f, "tiny-position-1", u256_from_u64(1000000000000ULL),
                    u256_zero(), u256_from_u64(1000000000000ULL));
    bookfix_add_raw(&f, "tiny-position-2", u256_from_u64(1000000000001ULL),
                    u256_zero(), u256_from_u64(1000000000000ULL));
    /* A factor of zero: a wei against a million USDC. */
    bookfix_add_raw(&f, "zero-position", u256_from_u64(1), u256_zero(),
                    u256_from_u64(1000000000000ULL));
    /* Factors of every bit length from 11 to 161, random below the top. */
    uint64_t rng = 0x9e3779b97f4a7c15ULL;
    for (unsigned len = 1; len <= 150; len++) {
        struct u256 v = u256_zero();
        unsigned top = (len - 1) / 64, bits = len - 64 * top;
        for (unsigned w = 0; w < top; w++)
            v.w[w] = test_rand(&rng);
        v.w[top] = (test_rand(&rng) | 1ULL << 63) >> (64 - bits);
        snprintf(id, sizeof id, "span-position-%03u", len);
        bookfix_add_raw(&f, id, v, u256_zero(), u256_from_u64(1000000));
    }
    /* No debt, ids alike in their first eight bytes. */
    for (unsigned k = 0; k < 50; k++) {
        snprintf(id, sizeof id, "nodebt-position-%02u", 49 - k);
        bookfix_add_raw(&f, id, bookfix_e18(1 + k % 4), u256_zero(),
                        u256_zero());
    }

    /* DAI has no price: its holders rank last, by id. */
    bookfix_prices(&f);
    check_ranking(f.b, "load");
    ck_assert_int_eq(book_price_set(f.b, f.dai, bookfix_e18(1), 1), 0);
    check_ranking(f.b, "DAI priced");

    /* WETH holders wander through the DAI holders' span. */
    for (unsigned t = 0; t < 12; t++) {
        struct u256 step = u256_from_u64(200000000000000ULL * (1 + t % 3));
        if (t % 4 < 2)
            ck_assert_int_eq(u256_add(&px, px, step), 0);
        else
            ck_assert_int_eq(u256_sub(&px, px, step), 0);
        ck_assert_int_eq(book_price_set(f.b, f.weth, px, 10 + t), 0);
        if (t % 3 == 0) { /* new positions in the same update */
            snprintf(id, sizeof id, "dense-position-n%04u", t);
            bookfix_add_raw(&f, id, plus(weth, t * 7000000000000ULL),
                            u256_zero(), debt);
            snprintf(id, sizeof id, "dense-position-m%04u", t);
            bookfix_add_raw(&f, id, u256_zero(),
                            plus(dai, t * 2000000000000000ULL), debt);
        }
        snprintf(id, sizeof id, "WETH tick %u", t);
        check_ranking(f.b, id);
        if (t % 4 == 3)
            check_revalue(f.b, id);
    }

    /* USDC and WETH worth nothing, then back. */
    ck_assert_int_eq(book_whatif_set(f.b, f.usdc, -10000), 0);
    check_ranking(f.b, "USDC at zero");
    ck_assert_int_eq(book_whatif_set(f.b, f.weth, -10000), 0);
    check_ranking(f.b, "WETH at zero");
    check_revalue(f.b, "WETH at zero");
    book_whatif_clear(f.b);
    check_ranking(f.b, "what-if cleared");
    book_free(f.b);
}
END_TEST

/*
 * A morpho-pre market (pre_lltv 0.80, LLTV 0.86, no state: the market's
 * oracle from the feeds): 10 WETH against 15,520 USDC. Past pre_lltv while
 * floor(floor(10 * P) * 0.8) < 15,520 USDC, i.e. below WETH 1,940 (at
 * 1,940 exactly borrowed equals the bound: out); liquidatable below
 * 15,520 / 8.6 = 1,804.65. The book's tier follows each tick: warn at
 * 2,000 (health 1.1082), danger at 1,940 (1.0750), PRE one base unit
 * under it, LIQ!! at 1,800, PRE again at 1,900.
 */
START_TEST(test_pre_tier)
{
    struct bookfix f;
    struct market m;
    struct position p;
    struct book_counts c;
    uint32_t mk, idx;
    struct u256 under;

    bookfix_init(&f);
    memset(&m, 0, sizeof m);
    snprintf(m.id, sizeof m.id, "%s", "morpho-pre");
    m.model = MODEL_MORPHO_PRE;
    m.base_decimals = 8;
    m.nassets = 2;
    m.assets[0] = (struct asset){
        .sym = f.weth, .decimals = 18, .lt = 860000000000000000ULL};
    m.assets[1] = (struct asset){
        .sym = f.usdc, .decimals = 6, .lt = 860000000000000000ULL};
    m.pre = (struct market_pre){.lltv = 800000000000000000ULL,
                                .lcf1 = 100000000000000000ULL,
                                .lcf2 = 800000000000000000ULL,
                                .lif1 = 1010000000000000000ULL,
                                .lif2 = 1040000000000000000ULL};
    ck_assert_int_eq(book_market_add(f.b, &m, &mk), 0);
    memset(&p, 0, sizeof p);
    p.id = "nina";
    p.label = "";
    p.market = mk;
    p.ncoll = p.ndebt = 1;
    p.coll[0].asset = 0;
    p.coll[0].amount = bookfix_e18(10);
    p.debt[0].asset = 1;
    p.debt[0].amount = u256_from_u64(15520000000ULL);
    ck_assert_int_eq(book_position_add(f.b, &p, &idx), 0);
    bookfix_prices(&f);
    book_update(f.b);
    ck_assert_int_eq(book_read_tier(f.b, idx), TIER_WARN);
    book_counts(f.b, &c);
    ck_assert_uint_eq(c.pre, 0);
    ck_assert_int_eq(book_price_set(f.b, f.weth, bookfix_e18(1940), 1002), 0);
    book_update(f.b);
    ck_assert_int_eq(book_read_tier(f.b, idx), TIER_DANGER);
    /* 1,939.99999999 in 8 decimals */
    ck_assert_int_eq(
        u256_mul(&under, u256_from_u64(193999999999ULL), u256_exp10(10)), 0);
    ck_assert_int_eq(book_price_set(f.b, f.weth, under, 1003), 0);
    book_update(f.b);
    ck_assert_int_eq(book_read_tier(f.b, idx), TIER_PRE);
    book_counts(f.b, &c);
    ck_assert_uint_eq(c.pre, 1);
    ck_assert_uint_eq(c.at_risk, 1);
    ck_assert_uint_eq(c.liquidatable, 0);
    ck_assert_int_eq(book_price_set(f.b, f.weth, bookfix_e18(1800), 1004), 0);
    book_update(f.b);
    ck_assert_int_eq(book_read_tier(f.b, idx), TIER_LIQUIDATABLE);
    book_counts(f.b, &c);
    ck_assert_uint_eq(c.pre, 0);
    ck_assert_uint_eq(c.liquidatable, 1);
    ck_assert_int_eq(book_price_set(f.b, f.weth, bookfix_e18(1900), 1005), 0);
    book_update(f.b);
    ck_assert_int_eq(book_read_tier(f.b, idx), TIER_PRE);
    book_free(f.b);
}
END_TEST

/* Amounts at each width the book stores differently (64 bits, the 88 of a
 * leg's 12 bytes, the big table past them, 96, 128 and 256 bits), as
 * collateral and as debt: each kept to the unit, and valued, whole and
 * by a tick, to the account the model gives the same position. */
START_TEST(test_leg_widths)
{
    static const char *amt[] = {
        "18446744073709551615",                    /* 2^64 - 1 */
        "18446744073709551616",                    /* 2^64 */
        "309485009821345068724781055",             /* 2^88 - 1 */
        "309485009821345068724781056",             /* 2^88 */
        "309485009821345068724781057",             /* 2^88 + 1 */
        "79228162514264337593543950335",           /* 2^96 - 1 */
        "79228162514264337593543950336",           /* 2^96 */
        "79228162514264337593543950337",           /* 2^96 + 1 */
        "340282366920938463463374607431768211455", /* 2^128 - 1 */
        "340282366920938463463374607431768211456", /* 2^128 */
    };
    const size_t n = sizeof amt / sizeof amt[0];
    struct bookfix f;
    uint32_t idx[2 * 10];

    bookfix_init(&f);
    for (size_t i = 0; i < 2 * n; i++) {
        char id[32];

        snprintf(id, sizeof id, "w%zu", i);
        idx[i] = bookfix_add_raw(
            &f, id, test_u256(i < n ? amt[i] : "1000000000000000000"),
            test_u256("5"), test_u256(i < n ? "1000000" : amt[i - n]));
    }
    bookfix_prices(&f);
    ck_assert_int_eq(book_price_set(f.b, f.dai, bookfix_e18(1), 1002), 0);
    for (int round = 0; round < 2; round++) {
        book_update(f.b);
        for (size_t i = 0; i < 2 * n; i++) {
            struct position got;
            struct u256 price[MARKET_ASSETS_MAX];
            struct account want, have;
            uint32_t missing;

            book_position_get(f.b, idx[i], &got);
            TEST_U256_EQ(i < n ? got.coll[0].amount : got.debt[0].amount,
                         test_u256(amt[i % n]));
            TEST_U256_EQ(got.coll[1].amount, test_u256("5"));
            /* the asset beside the amount's top bits, kept whole */
            ck_assert_uint_eq(got.coll[0].asset, 0);
            ck_assert_uint_eq(got.coll[1].asset, 2);
            ck_assert_uint_eq(got.debt[0].asset, 1);
            book_prices_base(f.b, f.mkt, price, &missing);
            ck_assert_uint_eq(missing, 0);
            ck_assert_int_eq(
                model_account(book_market(f.b, f.mkt), &got, price, &want), 0);
            ck_assert(book_read_account(f.b, idx[i], &have));
            TEST_U256_EQ(have.coll_value, want.coll_value);
            TEST_U256_EQ(have.debt_value, want.debt_value);
            TEST_U256_EQ(have.hf, want.hf);
        }
        /* then a tick of WETH alone, each valued by its moved leg */
        ck_assert_int_eq(book_price_set(f.b, f.weth, bookfix_e18(1750), 1003),
                         0);
    }
    book_free(f.b);
}
END_TEST

static Suite *
book_suite(void)
{
    Suite *s = suite_create("book");
    TCase *tc = tcase_create("book");

    tcase_add_test(tc, test_symbols);
    tcase_add_test(tc, test_markets_and_duplicates);
    tcase_add_test(tc, test_positions_copied);
    tcase_add_test(tc, test_prices_and_whatif);
    tcase_add_test(tc, test_ranking_and_counts);
    tcase_add_test(tc, test_emptied_position);
    tcase_add_test(tc, test_whatif_reranks);
    tcase_add_test(tc, test_positions_added_after_update);
    tcase_add_test(tc, test_ranking_dense);
    tcase_add_test(tc, test_pre_tier);
    tcase_add_test(tc, test_leg_widths);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    return test_run(book_suite());
}
