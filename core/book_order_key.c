/*
 * book_order_key.c: the dashboard's sort keys (health, id, collateral,
 * debt, distance to liquidation: the table's own figure, from the main
 * collateral's liquidation price), their exact comparison where a key is
 * lossy, and the sort of entries by them (a radix sort on the key, runs of
 * equal keys by the id's rank).
 *
 * Reads the accounts and prices of the last update; owns no state, but
 * writes what the order keeps for the distance into its arrays (a
 * liquidation price or none per position, kept while only that asset's
 * price moves; whether a moved position's place in the whole order still
 * holds). Pure: no I/O, no clock.
 */
#include <string.h>

#include "core/book_order_int.h"
#include "core/liqprice.h"
#include "core/model.h"

/* A monotone 64-bit image of a value: its bit length, then the 55 bits
 * after its leading one. Exact (no two values share it) within 56 bits. */
static uint64_t
bo_image(struct u256 v)
{
    unsigned n = u256_bits(v);

    if (n == 0)
        return 0;
    unsigned lo = n > 64 ? n - 64 : 0, w = lo / 64, s = lo % 64;
    uint64_t x = v.w[w] >> s;
    if (s != 0 && w + 1 < 4)
        x |= v.w[w + 1] << (64 - s);
    if (n < 64)
        x <<= 64 - n;
    return ((uint64_t)n << 55) | ((x << 1) >> 9);
}

static bool
bo_image_lossy(uint64_t img)
{
    return (img >> 55) > 56;
}

/* Whether idx (priced, with debt) has a health of zero: its rank key is
 * then 0, as the image of no other health is (book_key.c). */
static bool
bo_hf_zero(const struct book *b, uint32_t idx)
{
    return b->key[idx] == 0;
}

/* floor(a * b / d), on 128 bits where they serve; false on overflow. */
static bool
bo_muldiv(struct u256 *r, struct u256 a, struct u256 b, struct u256 d)
{
    u128 x, y, z, q;

    if (u256_to_u128(a, &x) && u256_to_u128(b, &y) && u256_to_u128(d, &z) &&
        u256_muldiv128(&q, x, y, z, U256_FLOOR)) {
        *r = u256_from_u128(q);
        return true;
    }
    return u256_muldiv(r, a, b, d, U256_FLOOR) == 0;
}

/* The distance's figures: the main collateral's price p and liquidation
 * price lp (exists: one does), as the table shows them; sym, that asset's
 * price symbol, and fixed: lp proven to hold at every price of it, no
 * other leg priced by sym (then it may be kept, book_order_key_fill). */
struct bo_dist {
    struct u256 p, lp;
    bool exists;
    bool everywhere; /* liquidatable at every price of it */
    bool fixed;
    uint32_t sym;
};

/*
 * Where the model tells its liquidatable prices (liqset128) and the
 * account is kept as its sums in 128 bits, the answer from them
 * (liqprice_from_sums): the main collateral `asset` in one collateral leg
 * and no debt leg. False where it does not serve (then the search).
 */
static bool
bo_dist_sums(const struct book *b, uint32_t idx, const struct position *p,
             const struct u256 *price, uint8_t asset, struct bo_dist *d)
{
    const struct market *m = b->mkt[b->pmkt[idx]];
    u128 amount = 0, px;
    unsigned own = 0;

    if ((b->pflags[idx] & (BOOK_P_PRICED | BOOK_P_BIG)) != BOOK_P_PRICED ||
        !u256_to_u128(price[asset], &px))
        return false;
    for (unsigned i = 0; i < (unsigned)p->ncoll + p->ndebt; i++) {
        const struct leg *l =
            i < p->ncoll ? &p->coll[i] : &p->debt[i - p->ncoll];
        if (l->asset != asset)
            continue;
        if (i >= p->ncoll || own++ > 0 || !u256_to_u128(l->amount, &amount))
            return false;
    }
    return own == 1 && liqprice_from_sums(m, &b->acct[idx].sums, asset, amount,
                                          px, &d->exists, &d->lp);
}

/*
 * The figures of idx (priced, with debt and collateral): its main
 * collateral by balance (model_largest_leg, as the table picks it) and
 * that asset's liquidation price (liqprice_search, or the same answer
 * from the kept sums, bo_dist_sums), at the market's prices of the last
 * update: the table's own figure, unless the last one was proven to hold
 * at every price of that asset (the verdict a prefix in it, or no price
 * at all) and no other symbol of idx moved since (o->lpv, o->lpno), when
 * the answer kept is the search's answer now. Where rounding makes health
 * not monotone in a price, the search's answer may move with that asset's
 * own price too, and it runs again.
 */
static void
bo_dist_figures(const struct book_order *o, uint32_t idx, struct bo_dist *d)
{
    const struct book *b = o->b;
    const struct market *m = b->mkt[b->pmkt[idx]];
    const struct u256 *price = b->mprice[b->pmkt[idx]];
    struct position p;
    uint8_t asset;

    d->everywhere = false;
    d->fixed = false;
    book_materialize_legs(b, idx, &p);
    /* one collateral leg is the largest of one */
    asset =
        p.coll[p.ncoll == 1 ? 0 : model_largest_leg(m, &p, false, price)].asset;
    d->p = price[asset];
    d->sym = market_asset_price_sym(&m->assets[asset]);
    bool kept = o->lpv != NULL && bo_bit(o->lpv, idx) &&
                o->lpsym[idx] == d->sym && o->nsym == b->nsym;
    /* nor one since the last look at the symbols (bo_collect) */
    for (unsigned i = 0; i < (unsigned)p.ncoll + p.ndebt && kept; i++) {
        const struct leg *l = i < p.ncoll ? &p.coll[i] : &p.debt[i - p.ncoll];
        uint32_t s = market_asset_price_sym(&m->assets[l->asset]);
        kept = s == d->sym || b->sym[s].gen == o->gen[s];
    }
    if (kept) {
        d->exists = !bo_bit(o->lpno, idx);
        d->fixed = true;
        d->lp = u256_from_u64(o->lp[idx]);
        if (!d->exists) /* no price at all (bo_dist_sums) */
            d->everywhere = (b->pflags[idx] & BOOK_P_LIQ) != 0;
        return;
    }
    bool sums = bo_dist_sums(b, idx, &p, price, asset, d);
    if (sums) {
        /* fixed, either way: the rest's sums do not move with it */
        d->fixed = true;
    } else if (liqprice_search(m, &p, price, asset, &d->exists, &d->lp,
                               &d->fixed) != 0) {
        d->exists = d->fixed = false;
    }
    if (!d->exists) {
        /* at zero and at every price */
        d->everywhere = (b->pflags[idx] & BOOK_P_LIQ) != 0;
        d->fixed = sums && !d->everywhere;
        d->lp = u256_zero();
    }
    d->fixed = d->fixed && u256_fits_u64(d->lp);
    for (unsigned i = 0; i < (unsigned)p.ncoll + p.ndebt && d->fixed; i++) {
        const struct leg *l = i < p.ncoll ? &p.coll[i] : &p.debt[i - p.ncoll];
        d->fixed = l->asset == asset ||
                   market_asset_price_sym(&m->assets[l->asset]) != d->sym;
    }
}

/*
 * The distance key: (p - lp) / p of the main collateral, the figure the
 * table shows, as a fixed point of 48 fractional bits in a monotone image
 * (below zero first, the most negative first), nearest first; equal keys
 * are told apart exactly (book_order_key_tie). Liquidatable at every
 * price first of all; positions without debt, or that no fall of that
 * price liquidates, last.
 */
static uint64_t
bo_dist_key(const struct book_order *o, uint32_t idx, struct bo_dist *dp)
{
    const struct book *b = o->b;
    struct bo_dist d;
    struct u256 q, diff = u256_zero();
    bool neg;

    d.fixed = false;
    if (dp != NULL)
        dp->fixed = false;
    /* the account's has_debt and hf, from the flags and the sums */
    if (!(b->pflags[idx] & BOOK_P_DEBT))
        return UINT64_MAX;
    if (bo_hf_zero(b, idx))
        return 0;
    if (o->b->pnc[idx] == 0)
        return UINT64_MAX - 1;
    bo_dist_figures(o, idx, &d);
    if (dp != NULL)
        *dp = d;
    if (d.everywhere)
        return 0;
    if (!d.exists || u256_is_zero(d.p))
        return UINT64_MAX - 1;
    neg = u256_lt(d.p, d.lp);
    (void)u256_sub(&diff, neg ? d.lp : d.p, neg ? d.p : d.lp);
    struct u256 two48 = u256_from_u64(1ULL << 48);
    if (u256_fits_u64(d.p) && u256_bits(diff) <= 80) /* one division */
        q = u256_from_u128(((u128)diff.w[1] << 112 | (u128)diff.w[0] << 48) /
                           u256_to_u64(d.p));
    else if (!bo_muldiv(&q, diff, two48, d.p))
        q = u256_max();
    uint64_t img = bo_image(q) >> 1;
    img = img == 0 ? 1 : img; /* 0 and 2^64 - 1 stay the special ones */
    return neg ? (1ULL << 63) - img : (1ULL << 63) + img - 1;
}

bool
book_order_key_liqprice(const struct book_order *o, uint32_t idx, bool *exists,
                        struct u256 *lp)
{
    const struct book *b = o->b;
    struct bo_dist d;

    if ((b->pflags[idx] & (BOOK_P_PRICED | BOOK_P_DEBT)) !=
            (BOOK_P_PRICED | BOOK_P_DEBT) ||
        b->pnc[idx] == 0 || bo_hf_zero(b, idx))
        return false;
    bo_dist_figures(o, idx, &d);
    *exists = d.exists;
    *lp = d.exists ? d.lp : u256_zero();
    return true;
}

/* The exact order of two distances with equal keys: |p - lp| / p cross
 * multiplied, the larger first below zero; 0 when it cannot be told. */
static int
bo_dist_tie(const struct book_order *o, uint64_t k, uint32_t x, uint32_t y)
{
    struct bo_dist dx, dy;
    struct u256 ax, ay, l, r;

    if (k == 0 || k >= UINT64_MAX - 1)
        return 0;
    bo_dist_figures(o, x, &dx);
    bo_dist_figures(o, y, &dy);
    bool neg = k < (1ULL << 63);
    (void)u256_sub(&ax, neg ? dx.lp : dx.p, neg ? dx.p : dx.lp);
    (void)u256_sub(&ay, neg ? dy.lp : dy.p, neg ? dy.p : dy.lp);
    if (u256_mul(&l, ax, dy.p) != 0 || u256_mul(&r, ay, dx.p) != 0)
        return 0;
    int c = u256_cmp(l, r);
    return neg ? -c : c;
}

/* The key of idx under sort s, from the book now (ID: its rank). */
uint64_t
book_order_key_of(const struct book_order *o, enum book_order_sort s,
                  uint32_t idx)
{
    const struct book *b = o->b;
    struct u256 cv, dv;
    uint64_t k;

    switch (s) {
    case BOOK_ORDER_HEALTH:
        return b->key[idx];
    case BOOK_ORDER_ID:
        return o->idrank[idx];
    case BOOK_ORDER_COLL:
    case BOOK_ORDER_DEBT:
        if (!(b->pflags[idx] & BOOK_P_PRICED))
            return UINT64_MAX;
        book_calc_values(b, idx, &cv, &dv);
        k = ~bo_image(s == BOOK_ORDER_COLL ? cv : dv);
        return k == UINT64_MAX ? UINT64_MAX - 1 : k; /* before no price */
    case BOOK_ORDER_DIST:
        if (!(b->pflags[idx] & BOOK_P_PRICED))
            return UINT64_MAX;
        return bo_dist_key(o, idx, NULL);
    case BOOK_ORDER_COUNT:
        break;
    }
    return 0;
}

/*
 * Before idx's distance key becomes k: where idx moved since the whole
 * book's order under distance was made (fmv) and this is the first key
 * worked out since (frefill clear: the key kept is the one that order
 * holds), the same key, told apart from equal ones by the id's rank
 * alone, leaves its place right: it is kept (fmv cleared). Any other key
 * marks it worked out again.
 */
static void
bo_dist_placed(struct book_order *o, uint32_t idx, uint64_t k)
{
    uint64_t *mv = o->fmv[BOOK_ORDER_DIST];

    if (mv == NULL || o->frefill == NULL || !bo_bit(mv, idx))
        return;
    if (!bo_bit(o->frefill, idx) && o->kc[BOOK_ORDER_DIST][idx] == k &&
        (k == 0 || k >= UINT64_MAX - 1))
        bo_set(mv, idx, false);
    else
        bo_set(o->frefill, idx, true);
}

void
book_order_key_fill(struct book_order *o, uint32_t idx, unsigned sorts)
{
    const struct book *b = o->b;
    bool priced = (b->pflags[idx] & BOOK_P_PRICED) != 0, valued = false;
    struct u256 cv = u256_zero(), dv = u256_zero();

    for (int s = BOOK_ORDER_COLL; s < BOOK_ORDER_COUNT; s++) {
        uint64_t k;

        if (!(sorts & (1u << s)) || o->kc[s] == NULL ||
            !bo_bit(o->kstale[s], idx))
            continue;
        bo_set(o->kstale[s], idx, false);
        if (!priced) {
            k = UINT64_MAX;
        } else if (s == BOOK_ORDER_DIST) {
            struct bo_dist d;
            k = bo_dist_key(o, idx, &d);
            bo_dist_placed(o, idx, k);
            /* Kept for the next key while only its own price moves. */
            if (o->lpv != NULL && d.fixed) {
                o->lp[idx] = u256_to_u64(d.lp);
                o->lpsym[idx] = d.sym;
                bo_set(o->lpno, idx, !d.exists);
            }
            if (o->lpv != NULL)
                bo_set(o->lpv, idx, d.fixed);
        } else {
            /* collateral's and debt's from one reading of the values */
            if (!valued)
                book_calc_values(b, idx, &cv, &dv);
            valued = true;
            k = ~bo_image(s == BOOK_ORDER_COLL ? cv : dv);
            k = k == UINT64_MAX ? UINT64_MAX - 1 : k;
        }
        o->kc[s][idx] = k;
    }
}

/* The exact comparison of two positions with equal keys k under s. */
int
book_order_key_tie(const struct book_order *o, enum book_order_sort s,
                   uint64_t k, uint32_t x, uint32_t y)
{
    const struct book *b = o->b;

    if (s == BOOK_ORDER_HEALTH && (k >> 62) == BOOK_CLASS_DEBT) {
        int c = u256_cmp(book_calc_hf(b, x), book_calc_hf(b, y));
        if (c != 0)
            return c;
    } else if ((s == BOOK_ORDER_COLL || s == BOOK_ORDER_DEBT) &&
               k != UINT64_MAX && bo_image_lossy(~k)) {
        struct u256 cx, dx, cy, dy;
        book_calc_values(b, x, &cx, &dx);
        book_calc_values(b, y, &cy, &dy);
        int c = s == BOOK_ORDER_COLL ? u256_cmp(cy, cx) : u256_cmp(dy, dx);
        if (c != 0)
            return c;
    } else if (s == BOOK_ORDER_DIST) {
        int c = bo_dist_tie(o, k, x, y);
        if (c != 0)
            return c;
    }
    return o->idrank[x] < o->idrank[y] ? -1 : o->idrank[x] > o->idrank[y];
}

/* Whether equal keys k may need book_order_key_tie beyond the id's rank. */
static bool
bo_lossy(const struct book_order *o, uint64_t k)
{
    if (o->sort == BOOK_ORDER_HEALTH)
        return (k >> 62) == BOOK_CLASS_DEBT;
    if (o->sort == BOOK_ORDER_COLL || o->sort == BOOK_ORDER_DEBT)
        return k != UINT64_MAX && bo_image_lossy(~k);
    if (o->sort == BOOK_ORDER_DIST)
        return k != 0 && k < UINT64_MAX - 1;
    return false;
}

int
book_order_key_cmp(const struct book_order *o, const struct book_order_ent *x,
                   const struct book_order_ent *y)
{
    if (x->k != y->k)
        return x->k < y->k ? -1 : 1;
    if (x->i == y->i)
        return 0;
    /* the id's rank alone, carried in the entries */
    if (!bo_lossy(o, x->k))
        return x->r < y->r ? -1 : x->r > y->r;
    return book_order_key_tie(o, o->sort, x->k, x->i, y->i);
}

/* Stable LSD radix sort of a[0, n) by the bits of field k (r: by r
 * instead), 11 bits a pass (the counts of every pass from one reading,
 * o->cnt's 6 x 2,048), passes whose digit every entry shares skipped.
 * Returns a or tmp, the one holding it. */
static struct book_order_ent *
bo_radix(uint32_t *cnt, struct book_order_ent *a, struct book_order_ent *tmp,
         uint32_t n, bool by_r)
{
    const unsigned bits = 11, digits = 1u << bits;
    const uint64_t mask = digits - 1;
    unsigned npass = by_r ? 3 : 6;

    memset(cnt, 0, (size_t)npass * digits * sizeof *cnt);
    for (uint32_t j = 0; j < n; j++) {
        uint64_t v = by_r ? a[j].r : a[j].k;
        for (unsigned pass = 0; pass < npass; pass++)
            cnt[pass * digits + ((v >> (bits * pass)) & mask)]++;
    }
    for (unsigned pass = 0; pass < npass; pass++) {
        unsigned sh = bits * pass;
        uint32_t *c = cnt + pass * digits;
        uint64_t v0 = by_r ? a[0].r : a[0].k;
        if (c[(v0 >> sh) & mask] == n)
            continue;
        uint32_t sum = 0;
        for (unsigned d = 0; d < digits; d++) {
            uint32_t x = c[d];
            c[d] = sum;
            sum += x;
        }
        for (uint32_t j = 0; j < n; j++) {
            uint64_t v = by_r ? a[j].r : a[j].k;
            tmp[c[(v >> sh) & mask]++] = a[j];
        }
        struct book_order_ent *t = a;
        a = tmp;
        tmp = t;
    }
    return a;
}

static void
bo_insertion(const struct book_order *o, struct book_order_ent *a, uint32_t n)
{
    for (uint32_t q = 1; q < n; q++) {
        struct book_order_ent v = a[q];
        uint32_t m = q;
        while (m > 0 && book_order_key_cmp(o, &v, &a[m - 1]) < 0) {
            a[m] = a[m - 1];
            m--;
        }
        a[m] = v;
    }
}

/* a[0, n) in the order's full order: by k (a radix sort), then each run
 * of equal keys by the id's rank (long runs by a radix sort of their
 * own), and where the key is lossy by the exact figures. Returns a or
 * tmp, the one holding it. */
struct book_order_ent *
book_order_key_sort(const struct book_order *o, struct book_order_ent *a,
                    struct book_order_ent *tmp, uint32_t n)
{
    if (n <= 32) {
        bo_insertion(o, a, n);
        return a;
    }
    a = bo_radix(o->cnt, a, tmp, n, false);
    for (uint32_t j = 0; j < n;) {
        uint32_t e = j + 1;
        while (e < n && a[e].k == a[j].k)
            e++;
        if (e - j > 32 && o->sort != BOOK_ORDER_ID) {
            struct book_order_ent *r =
                bo_radix(o->cnt, a + j, o->ent2, e - j, true);
            if (r != a + j)
                memcpy(a + j, r, (e - j) * sizeof *r);
            if (bo_lossy(o, a[j].k))
                bo_insertion(o, a + j, e - j);
        } else if (e - j > 1) {
            bo_insertion(o, a + j, e - j);
        }
        j = e;
    }
    return a;
}
