/*
 * book_order_key.c: the dashboard's sort keys (health, id, collateral,
 * debt, distance to liquidation), their exact comparison where a key is
 * lossy, and the sort of entries by them (a radix sort on the key, runs of
 * equal keys by the id's rank).
 *
 * Reads the accounts and prices of the last update; owns no state. Pure:
 * no I/O, no clock.
 */
#include <string.h>

#include "core/book_order_int.h"

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

/* A leg's value at the market's prices of the last update. */
static struct u256
bo_leg_value(const struct market *m, const struct u256 *price,
             const struct leg *l)
{
    struct u256 v = u256_zero();

    (void)bo_muldiv(&v, l->amount, price[l->asset],
                    u256_exp10(m->assets[l->asset].decimals));
    return v;
}

/*
 * The distance key: the fall of the main collateral's price (its largest
 * leg by value), alone, that brings health to 1, from the health and the
 * figures that move with that price: (hf - 1) * debt / (its value *
 * threshold - the debt in the same asset). Exact where health is a
 * weighted sum over debt (one collateral: 1 - 1 / hf). Below 1 negative;
 * nearest first; positions without debt, or that no fall liquidates, last.
 */
static uint64_t
bo_dist_key(const struct book *b, uint32_t idx, const struct account *a)
{
    struct u256 wad = u256_exp10(18), d, num, den, same = u256_zero();
    struct u256 main = u256_zero();
    struct position p;
    int leg = -1;
    bool neg;

    if (!a->has_debt || u256_is_zero(a->hf))
        return a->has_debt ? 0 : UINT64_MAX;
    book_materialize(b, idx, &p);
    const struct market *m = b->mkt[p.market];
    const struct u256 *price = b->mprice[p.market];
    for (int i = 0; i < p.ncoll; i++) {
        struct u256 v = bo_leg_value(m, price, &p.coll[i]);
        if (leg < 0 || u256_lt(main, v)) {
            main = v;
            leg = i;
        }
    }
    if (leg < 0)
        return UINT64_MAX - 1;
    for (int i = 0; i < p.ndebt; i++)
        if (p.debt[i].asset == p.coll[leg].asset &&
            u256_add(&same, same, bo_leg_value(m, price, &p.debt[i])) != 0)
            return UINT64_MAX - 1;
    if (!bo_muldiv(&den, main, u256_from_u64(m->assets[p.coll[leg].asset].lt),
                   u256_from_u64(market_ratio_unit(m->model))) ||
        !u256_lt(same, den))
        return UINT64_MAX - 1; /* no fall of its price liquidates */
    (void)u256_sub(&den, den, same);
    neg = u256_lt(a->hf, wad);
    (void)u256_sub(&d, neg ? wad : a->hf, neg ? a->hf : wad);
    if (!bo_muldiv(&num, d, a->debt_value, wad) ||
        !bo_muldiv(&d, num, wad, den))
        d = u256_max();
    uint64_t img = bo_image(d) >> 1;
    return neg ? (1ULL << 63) - 1 - img : (1ULL << 63) + img;
}

/* The key of idx under sort s, from the book now (ID: its rank). */
uint64_t
book_order_key_of(const struct book_order *o, enum book_order_sort s,
                  uint32_t idx)
{
    const struct book *b = o->b;
    struct account a;
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
        book_calc_acct_get(b, idx, &a);
        k = ~bo_image(s == BOOK_ORDER_COLL ? a.coll_value : a.debt_value);
        return k == UINT64_MAX ? UINT64_MAX - 1 : k; /* before no price */
    case BOOK_ORDER_DIST:
        if (!(b->pflags[idx] & BOOK_P_PRICED))
            return UINT64_MAX;
        book_calc_acct_get(b, idx, &a);
        return bo_dist_key(b, idx, &a);
    case BOOK_ORDER_COUNT:
        break;
    }
    return 0;
}

void
book_order_key_fill(struct book_order *o, uint32_t idx, unsigned sorts)
{
    const struct book *b = o->b;
    bool priced = (b->pflags[idx] & BOOK_P_PRICED) != 0;
    struct account a;

    if (priced)
        book_calc_acct_get(b, idx, &a);
    for (int s = BOOK_ORDER_COLL; s < BOOK_ORDER_COUNT; s++) {
        uint64_t k;

        if (!(sorts & (1u << s)) || o->kc[s] == NULL ||
            !bo_bit(o->kstale[s], idx))
            continue;
        bo_set(o->kstale[s], idx, false);
        if (!priced) {
            k = UINT64_MAX;
        } else if (s == BOOK_ORDER_DIST) {
            k = bo_dist_key(b, idx, &a);
        } else {
            k = ~bo_image(s == BOOK_ORDER_COLL ? a.coll_value : a.debt_value);
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
        struct account ax, ay;
        book_calc_acct_get(b, x, &ax);
        book_calc_acct_get(b, y, &ay);
        int c = s == BOOK_ORDER_COLL ? u256_cmp(ay.coll_value, ax.coll_value)
                                     : u256_cmp(ay.debt_value, ax.debt_value);
        if (c != 0)
            return c;
    }
    return o->idrank[x] < o->idrank[y] ? -1 : o->idrank[x] > o->idrank[y];
}

int
book_order_key_cmp(const struct book_order *o, const struct book_order_ent *x,
                   const struct book_order_ent *y)
{
    if (x->k != y->k)
        return x->k < y->k ? -1 : 1;
    if (x->i == y->i)
        return 0;
    return book_order_key_tie(o, o->sort, x->k, x->i, y->i);
}

/* Whether equal keys k may need book_order_key_tie beyond the id's rank. */
static bool
bo_lossy(const struct book_order *o, uint64_t k)
{
    if (o->sort == BOOK_ORDER_HEALTH)
        return (k >> 62) == BOOK_CLASS_DEBT;
    if (o->sort == BOOK_ORDER_COLL || o->sort == BOOK_ORDER_DEBT)
        return k != UINT64_MAX && bo_image_lossy(~k);
    return false;
}

/* Stable LSD radix sort of a[0, n) by the bits of field k (r: by r
 * instead), 16 bits a pass, passes whose digit every entry shares skipped.
 * Returns a or tmp, the one holding it. */
static struct book_order_ent *
bo_radix(uint32_t *cnt, struct book_order_ent *a, struct book_order_ent *tmp,
         uint32_t n, bool by_r)
{
    for (int pass = 0; pass < (by_r ? 2 : 4); pass++) {
        unsigned sh = 16u * (unsigned)pass;
        memset(cnt, 0, 65536 * sizeof *cnt);
        for (uint32_t j = 0; j < n; j++)
            cnt[((by_r ? a[j].r : a[j].k) >> sh) & 0xffff]++;
        if (cnt[((by_r ? a[0].r : a[0].k) >> sh) & 0xffff] == n)
            continue;
        uint32_t sum = 0;
        for (unsigned d = 0; d < 65536; d++) {
            uint32_t c = cnt[d];
            cnt[d] = sum;
            sum += c;
        }
        for (uint32_t j = 0; j < n; j++)
            tmp[cnt[((by_r ? a[j].r : a[j].k) >> sh) & 0xffff]++] = a[j];
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
