/*
 * prop_order.c: after every tick of a random replay (prices, what-if
 * shocks, positions arriving, stale prices, filters typed, narrowed and
 * replaced, every sort either way), the dashboard's repaired order
 * (core/book_order.h) holds exactly what a rescan gives: the positions a
 * filter written here afresh keeps, in the order of a full sort.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/book.h"
#include "core/book_order.h"
#include "core/health.h"
#include "core/liq.h"
#include "core/liqprice.h"
#include "core/model.h"
#include "tests/common/testutil.h"
#include "tests/common/world.h"

#define NTICKS 1500

static bool stale_sym[WORLD_NSYM];

static int
lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

/* needle within hay, any case, the slow way. */
static bool
has(const char *hay, const char *needle)
{
    size_t n = strlen(needle), h = strlen(hay);

    for (size_t i = 0; i + n <= h; i++) {
        size_t k = 0;
        while (k < n && lower((unsigned char)hay[i + k]) ==
                            lower((unsigned char)needle[k]))
            k++;
        if (k == n)
            return true;
    }
    return false;
}

static bool
same_nocase(const char *a, const char *b)
{
    return strlen(a) == strlen(b) && has(a, b);
}

/* The filter evaluated from the book's public figures. */
static bool
want_match(struct world *r, const struct book_filter *f, uint32_t idx)
{
    struct position p;
    struct account a;
    bool priced = book_read_account(r->b, idx, &a);
    const struct market *m;

    book_position_get(r->b, idx, &p);
    m = book_market(r->b, p.market);
    if (position_holds_nothing(&p))
        return false; /* no row of any order (book.h book_rank_count) */
    if (f->tiers != 0 &&
        (!priced || !((f->tiers >> health_tier(a.hf, a.has_debt)) & 1)))
        return false;
    if (f->has_max || f->has_min) {
        if (!priced)
            return false;
        if (a.has_debt) {
            int c;
            if (f->has_max && ((c = u256_cmp(a.hf, f->max_wad)) > 0 ||
                               (c == 0 && !f->max_incl)))
                return false;
            if (f->has_min && ((c = u256_cmp(a.hf, f->min_wad)) < 0 ||
                               (c == 0 && !f->min_incl)))
                return false;
        } else if (f->has_max) {
            return false;
        }
    }
    for (int t = 0; t < f->nmarkets; t++)
        if (!has(m->id, f->market[t]))
            return false;
    const char *syms[2 * POSITION_SIDE_MAX];
    bool anystale = false;
    int ns = 0;
    for (int i = 0; i < p.ncoll + p.ndebt; i++) {
        const struct leg *l = i < p.ncoll ? &p.coll[i] : &p.debt[i - p.ncoll];
        uint32_t s = m->assets[l->asset].sym;
        syms[ns++] = book_symbol_name(r->b, s);
        for (unsigned k = 0; k < WORLD_NSYM; k++)
            anystale = anystale || (r->sym[k] == s && stale_sym[k]);
    }
    for (int t = 0; t < f->nassets; t++) {
        bool ok = false;
        for (int i = 0; i < ns; i++)
            ok = ok || same_nocase(syms[i], f->asset[t]);
        if (!ok)
            return false;
    }
    if (f->stale && !anystale)
        return false;
    for (int w = 0; w < f->nwords; w++) {
        bool ok = has(p.id, f->word[w]) || has(p.label, f->word[w]) ||
                  has(m->id, f->word[w]);
        for (int i = 0; i < ns; i++)
            ok = ok || has(syms[i], f->word[w]);
        if (!ok)
            return false;
    }
    return true;
}

struct want {
    struct world *r;
    enum book_order_sort sort;
    const struct book_order *o;
};
static struct want cmpctx;

/* The distance the table shows: the main collateral (by balance, as
 * model_largest_leg picks it) and its liquidation price lp against its
 * price p; cls 0 liquidatable at every price, 1 (p - lp) / p, 2 no fall
 * of that price liquidates, 3 no debt or no price. */
struct want_dist {
    int cls;
    bool neg;
    struct u256 diff, p;
};

static void
want_dist(struct book *b, uint32_t idx, struct want_dist *d)
{
    struct position p;
    struct account a;
    struct u256 price[MARKET_ASSETS_MAX], lp;
    bool exists = false;

    memset(d, 0, sizeof *d);
    d->cls = 3;
    if (!book_read_account(b, idx, &a) || !a.has_debt)
        return;
    d->cls = 0;
    if (u256_is_zero(a.hf))
        return;
    book_position_get(b, idx, &p);
    d->cls = 2;
    if (p.ncoll == 0)
        return;
    const struct market *m = book_market(b, p.market);
    book_prices_base(b, p.market, price, NULL);
    uint8_t asset = p.coll[model_largest_leg(m, &p, false, price)].asset;
    if (liqprice_compute(m, &p, price, asset, &exists, &lp) != 0)
        exists = false;
    if (!exists) {
        d->cls = a.liquidatable ? 0 : 2;
        return;
    }
    if (u256_is_zero(price[asset]))
        return;
    d->cls = 1;
    d->p = price[asset];
    d->neg = u256_lt(d->p, lp);
    (void)u256_sub(&d->diff, d->neg ? lp : d->p, d->neg ? d->p : lp);
}

static int
want_cmp(const void *pa, const void *pb)
{
    uint32_t x = *(const uint32_t *)pa, y = *(const uint32_t *)pb;
    struct book *b = cmpctx.r->b;
    struct position px, py;
    struct account ax, ay;
    int c = 0;

    book_position_get(b, x, &px);
    book_position_get(b, y, &py);
    switch (cmpctx.sort) {
    case BOOK_ORDER_HEALTH: /* the ranking's (prop_book.c holds it) */
        c = book_rank_of(b, x) < book_rank_of(b, y) ? -1 : 1;
        return x == y ? 0 : c;
    case BOOK_ORDER_COLL:
    case BOOK_ORDER_DEBT: {
        bool okx = book_read_account(b, x, &ax),
             oky = book_read_account(b, y, &ay);
        if (okx != oky)
            return okx ? -1 : 1;
        if (okx) {
            c = cmpctx.sort == BOOK_ORDER_COLL
                    ? u256_cmp(ay.coll_value, ax.coll_value)
                    : u256_cmp(ay.debt_value, ax.debt_value);
            /* no price and nothing held rank alike, then by id */
            if (c != 0)
                return c;
        }
        break;
    }
    case BOOK_ORDER_DIST: { /* the table's figure, worked out here */
        struct want_dist dx, dy;
        want_dist(b, x, &dx);
        want_dist(b, y, &dy);
        if (dx.cls != dy.cls)
            return dx.cls < dy.cls ? -1 : 1;
        if (dx.cls == 1) {
            if (dx.neg != dy.neg)
                return dx.neg ? -1 : 1;
            struct u256 l, r;
            ck_assert_int_eq(u256_mul(&l, dx.diff, dy.p), 0);
            ck_assert_int_eq(u256_mul(&r, dy.diff, dx.p), 0);
            c = u256_cmp(l, r);
            if (c != 0)
                return dx.neg ? -c : c;
        }
        break;
    }
    case BOOK_ORDER_ID:
    case BOOK_ORDER_COUNT:
        break;
    }
    return strcmp(px.id, py.id);
}

/* Every position's liquidation price behind its distance key, as the
 * order has it (kept, from the sums or searched), is the search's on the
 * position now; how many had one kept by the order is counted. */
static unsigned nliq;

static void
verify_liqprices(struct world *r, const struct book_order *o, unsigned tick)
{
    struct book *b = r->b;

    for (uint32_t i = 0; i < book_position_count(b); i++) {
        struct position p;
        struct account a;
        struct u256 price[MARKET_ASSETS_MAX], lp = u256_zero(), want;
        bool ex = false, wex = false;

        if (!book_order_liqprice(o, i, &ex, &lp))
            continue;
        ck_assert(book_read_account(b, i, &a) && a.has_debt);
        book_position_get(b, i, &p);
        const struct market *m = book_market(b, p.market);
        book_prices_base(b, p.market, price, NULL);
        uint8_t asset = p.coll[model_largest_leg(m, &p, false, price)].asset;
        if (liqprice_compute(m, &p, price, asset, &wex, &want) != 0)
            wex = false;
        ck_assert_msg(ex == wex, "tick %u: %s has %s liquidation price", tick,
                      p.id, ex ? "a" : "no");
        if (ex)
            ck_assert_msg(u256_eq(lp, want), "tick %u: %s's liquidation price",
                          tick, p.id);
        nliq += ex;
    }
}

static void
verify(struct world *r, struct book_order *o, const struct book_filter *f,
       enum book_order_sort sort, bool rev, unsigned tick)
{
    uint32_t n = book_position_count(r->b), k = 0;
    uint32_t *e = malloc((n + 1) * sizeof *e);

    ck_assert_ptr_nonnull(e);
    verify_liqprices(r, o, tick);
    for (uint32_t i = 0; i < n; i++)
        if (want_match(r, f, i))
            e[k++] = i;
    cmpctx.r = r;
    cmpctx.sort = sort;
    cmpctx.o = o;
    qsort(e, k, sizeof *e, want_cmp);
    ck_assert_msg(book_order_count(o) == k,
                  "tick %u sort %d: %u rows, a rescan finds %u", tick,
                  (int)sort, book_order_count(o), k);
    for (uint32_t j = 0; j < k; j++) {
        uint32_t want = e[rev ? k - 1 - j : j], row = 0;
        uint32_t got = book_order_at(o, j, rev);
        struct position p;
        book_position_get(r->b, want, &p);
        ck_assert_msg(got == want, "tick %u sort %d%s: row %u is %u, want %s",
                      tick, (int)sort, rev ? " reversed" : "", j, got, p.id);
        ck_assert_msg(book_order_row_of(o, want, rev, &row) && row == j,
                      "tick %u: row of %s is %u, want %u", tick, p.id, row, j);
    }
    free(e);
}

/* A random filter: terms over what the rig's book holds. */
static void
random_filter(struct world *r, struct book_filter *f)
{
    static const char *const words[] = {"p0",     "p00", "aave", "-3",
                                        "morpho", "ETH", "usd",  "zz"};
    static const char *const mkts[] = {"aave", "morpho", "v4", "compound"};
    static const char *const assets[] = {"weth", "USDC", "rare", "dai"};
    static const char *const hfs[] = {
        "1000000000000000000", "1100000000000000000", "1500000000000000000",
        "900000000000000000", "3000000000000000000"};

    memset(f, 0, sizeof *f);
    unsigned nterms = (unsigned)test_rand_range(&r->rng, 0, 3);
    for (unsigned t = 0; t < nterms; t++) {
        switch (test_rand_range(&r->rng, 0, 5)) {
        case 0:
            snprintf(f->word[f->nwords++], BOOK_FILTER_TEXT, "%s",
                     words[test_rand_range(&r->rng, 0, 7)]);
            for (char *c = f->word[f->nwords - 1]; *c; c++)
                *c = (char)lower((unsigned char)*c);
            break;
        case 1:
            snprintf(f->market[f->nmarkets++], BOOK_FILTER_TEXT, "%s",
                     mkts[test_rand_range(&r->rng, 0, 3)]);
            break;
        case 2:
            snprintf(f->asset[f->nassets++], BOOK_FILTER_TEXT, "%s",
                     assets[test_rand_range(&r->rng, 0, 3)]);
            for (char *c = f->asset[f->nassets - 1]; *c; c++)
                *c = (char)lower((unsigned char)*c);
            break;
        case 3: {
            struct u256 v = test_u256(hfs[test_rand_range(&r->rng, 0, 4)]);
            if (test_rand_range(&r->rng, 0, 1)) {
                f->has_max = true;
                f->max_wad = v;
                f->max_incl = test_rand_range(&r->rng, 0, 1);
            } else {
                f->has_min = true;
                f->min_wad = v;
                f->min_incl = test_rand_range(&r->rng, 0, 1);
            }
            break;
        }
        case 4:
            f->tiers |= 1u << test_rand_range(&r->rng, 0, TIER_COUNT - 1);
            break;
        default:
            f->stale = true;
            break;
        }
    }
}

/* A narrower filter, as typing more does: a word longer, or a term more. */
static void
narrower_filter(struct world *r, struct book_filter *f)
{
    if (f->nwords > 0 && test_rand_range(&r->rng, 0, 1)) {
        char *w = f->word[test_rand_range(&r->rng, 0, (uint64_t)f->nwords - 1)];
        size_t n = strlen(w);
        if (n + 1 < BOOK_FILTER_TEXT) {
            w[n] = "0123456789-ab"[test_rand_range(&r->rng, 0, 12)];
            w[n + 1] = '\0';
        }
    } else if (f->has_max) {
        struct u256 d = u256_exp10(16);
        if (!u256_lt(f->max_wad, d))
            (void)u256_sub(&f->max_wad, f->max_wad, d);
    } else {
        unsigned t = f->tiers ? f->tiers : 0x1f;
        t &= ~(1u << test_rand_range(&r->rng, 0, TIER_COUNT - 1));
        if (t == 0) /* no tier at all would mean any */
            f->stale = true;
        else
            f->tiers = t;
    }
}

START_TEST(prop_order_equals_rescan)
{
    struct world r;
    struct u256 px[WORLD_NSYM];
    struct book_filter f, prev;
    enum book_order_sort sort = BOOK_ORDER_HEALTH;
    bool rev = false;
    unsigned narrowed = 0, sorts = 0;

    memset(stale_sym, 0, sizeof stale_sym);
    world_init(&r, 300, px);
    book_update(r.b);
    struct book_order *o = book_order_new(r.b);
    random_filter(&r, &f);
    book_order_set(o, &f, sort);
    verify(&r, o, &f, sort, rev, 0);

    for (unsigned t = 1; t <= NTICKS; t++) {
        uint64_t op = test_rand_range(&r.rng, 0, 99);
        unsigned nset = op < 70 ? 1 : op < 75 ? 3 : 0;
        for (unsigned k = 0; k < nset; k++) {
            unsigned s = (unsigned)test_rand_range(&r.rng, 0, WORLD_NSYM - 1);
            if (s == WORLD_LATE && t < NTICKS / 3)
                continue;
            uint64_t fx = test_rand_range(&r.rng, 9000, 11000);
            struct u256 np;
            ck_assert_int_eq(u256_muldiv(&np, px[s], u256_from_u64(fx),
                                         u256_from_u64(10000), U256_FLOOR),
                             0);
            if (u256_is_zero(np))
                np = u256_from_u64(1);
            px[s] = np;
            ck_assert_int_eq(book_price_set(r.b, r.sym[s], np, (int64_t)t), 0);
        }
        if (op >= 75 && op < 79) {
            unsigned s = (unsigned)test_rand_range(&r.rng, 0, WORLD_NSYM - 1);
            int32_t bps = (int32_t)test_rand_range(&r.rng, 0, 6000) - 3000;
            ck_assert_int_eq(book_whatif_set(r.b, r.sym[s], bps), 0);
        } else if (op == 79) {
            book_whatif_clear(r.b);
        } else if (op == 80) {
            world_add_position(&r);
        } else if (op >= 81 && op < 84) {
            unsigned s = (unsigned)test_rand_range(&r.rng, 0, WORLD_NSYM - 1);
            stale_sym[s] = !stale_sym[s];
            book_order_stale(o, r.sym[s], stale_sym[s]);
        }
        book_update(r.b);
        if (op % 7 == 0)
            (void)book_order_refresh(o, test_rand_range(&r.rng, 0, 400));
        if (op >= 84 && op < 90) {
            prev = f;
            narrower_filter(&r, &f);
            ck_assert(book_filter_narrows(&f, &prev));
            narrowed++;
            book_order_set(o, &f, sort);
        } else if (op >= 90 && op < 94) {
            random_filter(&r, &f);
            book_order_set(o, &f, sort);
        } else if (op >= 94) {
            sort = (enum book_order_sort)test_rand_range(&r.rng, 0,
                                                         BOOK_ORDER_COUNT - 1);
            rev = test_rand_range(&r.rng, 0, 1) != 0;
            sorts++;
            book_order_set(o, &f, sort);
        } else if (op < 30) {
            /* A quiet moment first: other sorts' keys caught up, the rows
             * left to the next sync. */
            (void)book_order_refresh(o, test_rand_range(&r.rng, 0, 50));
            if (op < 3) /* the whole orders made ahead, as at start */
                book_order_prepare_sorts(o);
            (void)book_order_sync(o);
        } else {
            (void)book_order_sync(o);
        }
        verify(&r, o, &f, sort, rev, t);
    }
    printf("order: %u ticks, %u narrowed filters, %u sorts, %u positions, "
           "%u liquidation prices held to the search\n",
           NTICKS, narrowed, sorts, book_position_count(r.b), nliq);
    book_order_free(o);
    book_free(r.b);
}
END_TEST

/* Narrowing is recognised only where it holds. */
START_TEST(filter_narrows_cases)
{
    struct book_filter a, b;

    memset(&a, 0, sizeof a);
    memset(&b, 0, sizeof b);
    snprintf(a.word[a.nwords++], BOOK_FILTER_TEXT, "we");
    snprintf(b.word[b.nwords++], BOOK_FILTER_TEXT, "wet");
    ck_assert(book_filter_narrows(&b, &a));
    ck_assert(!book_filter_narrows(&a, &b));
    a.nwords = b.nwords = 0;
    a.has_max = b.has_max = true;
    a.max_wad = u256_exp10(18);
    b.max_wad = u256_exp10(17);
    ck_assert(book_filter_narrows(&b, &a));  /* hf<0.1 within hf<1 */
    ck_assert(!book_filter_narrows(&a, &b)); /* hf<1 is wider */
    b.max_wad = a.max_wad;
    b.max_incl = true;
    ck_assert(!book_filter_narrows(&b, &a)); /* hf<=1 is wider than hf<1 */
    ck_assert(book_filter_narrows(&a, &b));
}
END_TEST

static Suite *
order_prop_suite(void)
{
    Suite *s = suite_create("order-prop");
    TCase *tc = tcase_create("replay");

    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, prop_order_equals_rescan);
    tcase_add_test(tc, filter_narrows_cases);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    return test_run(order_prop_suite());
}
