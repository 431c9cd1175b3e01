/*
 * book_order.c: the dashboard's filtered and sorted orders of the book
 * (book_order.h), kept by repair: the positions book_update() recomputed
 * since the last sync (the holders of each symbol whose generation moved)
 * are tested again and re-placed, by a sort of those alone and one merge;
 * the rest keep their places.
 *
 * On top of the book's layers: reads the accounts (book_calc.c), the rank
 * keys and their comparison (book_rank.c) and the holders' index
 * (book_update.c); nothing in them calls back here. Pure: no I/O, no
 * clock.
 */
#include "core/book_order.h"

#include <stdlib.h>
#include <string.h>

#include "core/book_int.h"

/* One placed position: its key in the sort, its id's rank (the tie), and
 * the position. Entries compare as (k, r) except where k is lossy. */
struct book_order_ent {
    uint64_t k;
    uint32_t r;
    uint32_t i;
};

struct book_order {
    struct book *b;
    struct book_filter f;
    bool empty;   /* f keeps every position */
    bool dynamic; /* f's answer may move with prices (hf, tiers) */
    enum book_order_sort sort;
    bool built;

    uint32_t npos; /* positions covered */
    uint32_t nsym;
    uint32_t *gen;     /* per symbol: the generation last seen */
    uint8_t *stale;    /* per symbol: stale now */
    uint8_t *stchg;    /* per symbol: stale changed since the last sync */
    bool anystchg;     /* some stchg is set */
    uint32_t *symbits; /* per symbol: bits of the terms its name passes */
    uint32_t *mktbits; /* per market */
    uint32_t nmkt;

    uint32_t *idrank;                   /* per position: its rank by id */
    uint32_t *byid;                     /* the positions by id */
    uint64_t *kc[BOOK_ORDER_COUNT];     /* keys per sort (ID: none) */
    uint64_t *kstale[BOOK_ORDER_COUNT]; /* a bit a position: kc is old */
    uint64_t *in;                       /* a bit a position: matches */
    uint64_t *mark;                     /* a bit a position: moved now */

    struct book_order_ent *ent, *ent2, *add, *tmp;
    uint32_t nent;
    uint32_t *mv;
    uint32_t nmv;
    uint32_t *cnt; /* the radix sort's counts, 65536 */
    /* book_order_refresh took moves the rows have not followed: the next
     * sync or set builds the order again (and tests every position when
     * the filter's answer can move). */
    bool stale_rows;
};

/* Term bits in symbits and mktbits. */
#define BO_WORD(w) (1u << (w))
#define BO_ASSET(a) (1u << (8 + (a)))
#define BO_MARKET(m) (1u << (16 + (m)))
#define BO_STALE (1u << 24)

static bool
bo_bit(const uint64_t *m, uint32_t i)
{
    return (m[i / 64] >> (i % 64)) & 1;
}

static void
bo_set(uint64_t *m, uint32_t i, bool v)
{
    if (v)
        m[i / 64] |= 1ULL << (i % 64);
    else
        m[i / 64] &= ~(1ULL << (i % 64));
}

static int
bo_lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

/* needle (already lower case) within hay, any case. */
static bool
bo_contains(const char *hay, const char *needle)
{
    int c0 = (unsigned char)needle[0];

    if (c0 == 0)
        return true;
    for (const char *p = hay; *p != '\0'; p++) {
        if (bo_lower((unsigned char)*p) != c0)
            continue;
        size_t i = 1;
        while (needle[i] != '\0' &&
               bo_lower((unsigned char)p[i]) == (unsigned char)needle[i])
            i++;
        if (needle[i] == '\0')
            return true;
    }
    return false;
}

static bool
bo_equal_nocase(const char *a, const char *b)
{
    while (*a != '\0' && bo_lower((unsigned char)*a) == *b) {
        a++;
        b++;
    }
    return *a == '\0' && *b == '\0';
}

bool
book_filter_is_empty(const struct book_filter *f)
{
    return f->nwords == 0 && f->nmarkets == 0 && f->nassets == 0 &&
           !f->has_max && !f->has_min && f->tiers == 0 && !f->stale;
}

static bool
bo_some_contains(const char (*terms)[BOOK_FILTER_TEXT], int n, const char *text)
{
    for (int i = 0; i < n; i++)
        if (bo_contains(terms[i], text))
            return true;
    return false;
}

bool
book_filter_narrows(const struct book_filter *f, const struct book_filter *p)
{
    /* Each of p's terms is implied by one of f's. */
    for (int i = 0; i < p->nwords; i++)
        if (!bo_some_contains(f->word, f->nwords, p->word[i]))
            return false;
    for (int i = 0; i < p->nmarkets; i++)
        if (!bo_some_contains(f->market, f->nmarkets, p->market[i]))
            return false;
    for (int i = 0; i < p->nassets; i++) {
        bool found = false;
        for (int j = 0; j < f->nassets && !found; j++)
            found = strcmp(f->asset[j], p->asset[i]) == 0;
        if (!found)
            return false;
    }
    if (p->tiers != 0 && (f->tiers == 0 || (f->tiers & ~p->tiers) != 0))
        return false;
    if (p->stale && !f->stale)
        return false;
    if (p->has_max) {
        int c = f->has_max ? u256_cmp(f->max_wad, p->max_wad) : 1;
        if (c > 0 || (c == 0 && f->max_incl && !p->max_incl))
            return false;
    }
    if (p->has_min) {
        int c = f->has_min ? u256_cmp(f->min_wad, p->min_wad) : -1;
        if (c < 0 || (c == 0 && f->min_incl && !p->min_incl))
            return false;
    }
    return true;
}

/* The terms each symbol's and each market's name passes. */
static void
bo_names(struct book_order *o)
{
    const struct book *b = o->b;
    const struct book_filter *f = &o->f;

    for (uint32_t s = 0; s < o->nsym; s++) {
        const char *name = b->symname[s];
        uint32_t bits = o->stale[s] ? BO_STALE : 0;
        for (int w = 0; w < f->nwords; w++)
            if (bo_contains(name, f->word[w]))
                bits |= BO_WORD(w);
        for (int a = 0; a < f->nassets; a++)
            if (bo_equal_nocase(name, f->asset[a]))
                bits |= BO_ASSET(a);
        o->symbits[s] = bits;
    }
    for (uint32_t m = 0; m < o->nmkt; m++) {
        const char *id = b->mkt[m]->id;
        uint32_t bits = 0;
        for (int w = 0; w < f->nwords; w++)
            if (bo_contains(id, f->word[w]))
                bits |= BO_WORD(w);
        for (int t = 0; t < f->nmarkets; t++)
            if (bo_contains(id, f->market[t]))
                bits |= BO_MARKET(t);
        o->mktbits[m] = bits;
    }
}

static bool
bo_match(const struct book_order *o, uint32_t idx)
{
    const struct book *b = o->b;
    const struct book_filter *f = &o->f;
    uint32_t mb = o->mktbits[b->pmkt[idx]], lb = 0;

    if (o->empty)
        return true;
    if (f->nmarkets > 0) {
        uint32_t need = ((1u << f->nmarkets) - 1) << 16;
        if ((mb & need) != need)
            return false;
    }
    if (f->tiers != 0 &&
        (b->ptier[idx] >= TIER_COUNT || !((f->tiers >> b->ptier[idx]) & 1)))
        return false;
    if (f->has_max || f->has_min) {
        uint8_t fl = b->pflags[idx];
        if (!(fl & BOOK_P_PRICED))
            return false;
        if (fl & BOOK_P_DEBT) {
            struct u256 hf = book_calc_hf(b, idx);
            int c;
            if (f->has_max) {
                c = u256_cmp(hf, f->max_wad);
                if (c > 0 || (c == 0 && !f->max_incl))
                    return false;
            }
            if (f->has_min) {
                c = u256_cmp(hf, f->min_wad);
                if (c < 0 || (c == 0 && !f->min_incl))
                    return false;
            }
        } else if (f->has_max) {
            return false; /* no debt: health without bound */
        }
    }
    const struct market *m = b->mkt[b->pmkt[idx]];
    size_t leg = b->pleg[idx];
    unsigned n = (unsigned)b->pnc[idx] + b->pnd[idx];
    for (unsigned i = 0; i < n; i++)
        lb |= o->symbits[m->assets[b->lasset[leg + i] & BOOK_LEG_ASSET].sym];
    if (f->nassets > 0) {
        uint32_t need = ((1u << f->nassets) - 1) << 8;
        if ((lb & need) != need)
            return false;
    }
    if (f->stale && !(lb & BO_STALE))
        return false;
    for (int w = 0; w < f->nwords; w++) {
        const char *id = b->pid[idx];
        if (((mb | lb) & BO_WORD(w)) != 0 || bo_contains(id, f->word[w]) ||
            bo_contains(id + strlen(id) + 1, f->word[w]))
            continue;
        return false;
    }
    return true;
}

bool
book_order_matches(const struct book_order *o, uint32_t idx)
{
    return idx < o->npos && bo_match(o, idx);
}

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
static uint64_t
bo_key(const struct book_order *o, enum book_order_sort s, uint32_t idx)
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

/* The exact comparison of two positions with equal keys k under s. */
static int
bo_tie(const struct book_order *o, enum book_order_sort s, uint64_t k,
       uint32_t x, uint32_t y)
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
book_order_cmp(const struct book_order *o, uint32_t x, uint32_t y)
{
    uint64_t kx = bo_key(o, o->sort, x), ky = bo_key(o, o->sort, y);

    if (kx != ky)
        return kx < ky ? -1 : 1;
    return x == y ? 0 : bo_tie(o, o->sort, kx, x, y);
}

static int
bo_ent_cmp(const struct book_order *o, const struct book_order_ent *x,
           const struct book_order_ent *y)
{
    if (x->k != y->k)
        return x->k < y->k ? -1 : 1;
    if (x->i == y->i)
        return 0;
    return bo_tie(o, o->sort, x->k, x->i, y->i);
}

/* Whether equal keys k may need bo_tie beyond the id's rank. */
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
        while (m > 0 && bo_ent_cmp(o, &v, &a[m - 1]) < 0) {
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
static struct book_order_ent *
bo_sort(const struct book_order *o, struct book_order_ent *a,
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

static void
bo_free_arrays(struct book_order *o)
{
    free(o->gen);
    free(o->stale);
    free(o->stchg);
    free(o->symbits);
    free(o->mktbits);
    free(o->idrank);
    free(o->byid);
    for (int s = 0; s < BOOK_ORDER_COUNT; s++) {
        free(o->kc[s]);
        free(o->kstale[s]);
        o->kc[s] = NULL;
        o->kstale[s] = NULL;
    }
    free(o->in);
    free(o->mark);
    free(o->ent);
    free(o->ent2);
    free(o->add);
    free(o->tmp);
    free(o->mv);
}

/* Arrays for the book's positions and symbols now, the ids ranked. */
static void
bo_cover(struct book_order *o)
{
    struct book *b = o->b;
    uint32_t n = b->npos, ns = b->nsym;
    size_t w = ((size_t)n + 63) / 64 + 1;
    uint8_t *oldstale = o->stale;
    uint32_t oldns = o->nsym;

    o->stale = NULL;
    bo_free_arrays(o);
    o->npos = n;
    o->nsym = ns;
    o->nmkt = b->nmkt;
    o->gen = book_xcalloc((size_t)ns + 1, sizeof *o->gen);
    o->stale = book_xcalloc((size_t)ns + 1, 1);
    if (oldstale != NULL)
        memcpy(o->stale, oldstale, oldns < ns ? oldns : ns);
    free(oldstale);
    o->stchg = book_xcalloc((size_t)ns + 1, 1);
    o->symbits = book_xcalloc((size_t)ns + 1, sizeof *o->symbits);
    o->mktbits = book_xcalloc((size_t)o->nmkt + 1, sizeof *o->mktbits);
    for (uint32_t s = 0; s < ns; s++)
        o->gen[s] = b->sym[s].gen;
    o->idrank = book_xmalloc(((size_t)n + 1) * sizeof *o->idrank);
    o->byid = book_xmalloc(((size_t)n + 1) * sizeof *o->byid);
    o->in = book_xcalloc(w, sizeof *o->in);
    o->mark = book_xcalloc(w, sizeof *o->mark);
    o->ent = book_xmalloc(((size_t)n + 1) * sizeof *o->ent);
    o->ent2 = book_xmalloc(((size_t)n + 1) * sizeof *o->ent2);
    o->add = book_xmalloc(((size_t)n + 1) * sizeof *o->add);
    o->tmp = book_xmalloc(((size_t)n + 1) * sizeof *o->tmp);
    o->mv = book_xmalloc(((size_t)n + 1) * sizeof *o->mv);
    o->nent = o->nmv = 0;
    o->anystchg = false;

    /* Ids ranked: by their first 8 bytes, equal ones by the whole id. */
    memset(o->idrank, 0, ((size_t)n + 1) * sizeof *o->idrank);
    struct book_order_ent *a = o->add, *t;
    for (uint32_t i = 0; i < n; i++) {
        const unsigned char *id = (const unsigned char *)b->pid[i];
        uint64_t v = 0;
        unsigned k = 0;
        for (; k < 8 && id[k] != '\0'; k++)
            v = (v << 8) | id[k];
        v <<= 8 * (8 - k);
        a[i].k = v;
        a[i].r = 0;
        a[i].i = i;
    }
    enum book_order_sort keep = o->sort;
    o->sort = BOOK_ORDER_ID; /* no lossy keys: a plain radix sort */
    t = bo_sort(o, a, o->tmp, n);
    o->sort = keep;
    for (uint32_t j = 0; j < n;) {
        uint32_t e = j + 1;
        while (e < n && t[e].k == t[j].k)
            e++;
        for (uint32_t q = j + 1; q < e; q++) {
            struct book_order_ent v = t[q];
            uint32_t m = q;
            while (m > j && strcmp(b->pid[v.i], b->pid[t[m - 1].i]) < 0) {
                t[m] = t[m - 1];
                m--;
            }
            t[m] = v;
        }
        j = e;
    }
    for (uint32_t j = 0; j < n; j++) {
        o->byid[j] = t[j].i;
        o->idrank[t[j].i] = j;
    }
}

struct book_order *
book_order_new(struct book *b)
{
    struct book_order *o = book_xcalloc(1, sizeof *o);

    o->b = b;
    o->empty = true;
    o->cnt = book_xmalloc(65536 * sizeof *o->cnt);
    return o;
}

void
book_order_free(struct book_order *o)
{
    if (o == NULL)
        return;
    bo_free_arrays(o);
    free(o->cnt);
    free(o);
}

/* The keys of sort s current for every position. */
static void
bo_keys(struct book_order *o, enum book_order_sort s)
{
    size_t w = ((size_t)o->npos + 63) / 64 + 1;

    if (s == BOOK_ORDER_ID)
        return;
    if (o->kc[s] == NULL) {
        o->kc[s] = book_xmalloc(((size_t)o->npos + 1) * sizeof *o->kc[s]);
        o->kstale[s] = book_xmalloc(w * sizeof *o->kstale[s]);
        memset(o->kstale[s], 0xff, w * sizeof *o->kstale[s]);
    }
    uint64_t *st = o->kstale[s];
    for (size_t j = 0; j < w; j++) {
        while (st[j] != 0) {
            uint32_t i = (uint32_t)(j * 64) + (uint32_t)__builtin_ctzll(st[j]);
            st[j] &= st[j] - 1;
            if (i < o->npos)
                o->kc[s][i] = bo_key(o, s, i);
        }
    }
}

static struct book_order_ent
bo_ent(const struct book_order *o, uint32_t idx)
{
    struct book_order_ent e;

    e.k = o->sort == BOOK_ORDER_ID ? o->idrank[idx] : o->kc[o->sort][idx];
    e.r = o->idrank[idx];
    e.i = idx;
    return e;
}

/* ent from the members (in), in the sort's order. A few members are
 * picked from the ranking (or the ids) in order; many are gathered in
 * position order, where their keys are read in sequence, and sorted. */
static void
bo_build(struct book_order *o)
{
    uint32_t n = o->npos, k = 0, nin = 0;
    size_t w = ((size_t)n + 63) / 64;

    bo_keys(o, o->sort);
    for (size_t j = 0; j < w; j++)
        nin += (uint32_t)__builtin_popcountll(o->in[j]);
    if ((o->sort == BOOK_ORDER_HEALTH || o->sort == BOOK_ORDER_ID) &&
        nin < n / 16) {
        for (uint32_t r = 0; r < n && k < nin; r++) {
            uint32_t idx =
                o->sort == BOOK_ORDER_ID ? o->byid[r] : book_rank_at(o->b, r);
            if (bo_bit(o->in, idx))
                o->ent[k++] = bo_ent(o, idx);
        }
        o->nent = k;
        return;
    }
    for (size_t j = 0; j < w; j++) {
        uint64_t bits = o->in[j];
        while (bits != 0) {
            uint32_t idx = (uint32_t)(j * 64) + (uint32_t)__builtin_ctzll(bits);
            bits &= bits - 1;
            o->add[k++] = bo_ent(o, idx);
        }
    }
    struct book_order_ent *s = bo_sort(o, o->add, o->ent, k);
    if (s != o->ent)
        memcpy(o->ent, s, k * sizeof *s);
    o->nent = k;
}

/* Every position tested and placed again. */
static void
bo_rebuild(struct book_order *o)
{
    if (o->npos != o->b->npos || o->nsym != o->b->nsym ||
        o->nmkt != o->b->nmkt || o->idrank == NULL)
        bo_cover(o);
    bo_names(o);
    for (uint32_t s = 0; s < o->nsym; s++) {
        o->gen[s] = o->b->sym[s].gen;
        o->stchg[s] = 0;
    }
    o->anystchg = false;
    for (int s = 0; s < BOOK_ORDER_COUNT; s++)
        if (o->kstale[s] != NULL)
            memset(o->kstale[s], 0xff,
                   (((size_t)o->npos + 63) / 64 + 1) * sizeof(uint64_t));
    for (uint32_t i = 0; i < o->npos; i++)
        bo_set(o->in, i, bo_match(o, i));
    bo_build(o);
    o->built = true;
}

static bool
bo_holders_ok(const struct book *b)
{
    return b->hstart != NULL && b->hnpos == b->npos && b->hnsym == b->nsym;
}

/*
 * The positions recomputed since the last look (holders of the symbols
 * whose generation moved, or whose staleness did) into mv, marked; the
 * other sorts' keys of each marked old. False when that cannot be told
 * (positions or symbols added): then everything must be done again.
 */
static bool
bo_collect(struct book_order *o)
{
    struct book *b = o->b;

    o->nmv = 0;
    if (o->npos != b->npos || o->nsym != b->nsym || o->nmkt != b->nmkt)
        return false;
    if (o->anystchg)
        bo_names(o);
    for (uint32_t s = 0; s < o->nsym; s++) {
        if (b->sym[s].gen == o->gen[s] && !o->stchg[s])
            continue;
        if (!bo_holders_ok(b))
            return false;
        o->gen[s] = b->sym[s].gen;
        o->stchg[s] = 0;
        for (uint32_t k = b->hstart[s]; k < b->hstart[s + 1]; k++) {
            uint32_t p = b->hpos[k];
            if (!bo_bit(o->mark, p)) {
                bo_set(o->mark, p, true);
                o->mv[o->nmv++] = p;
            }
        }
    }
    for (int s = 0; s < BOOK_ORDER_COUNT; s++)
        if (o->kstale[s] != NULL && s != (int)o->sort)
            for (uint32_t j = 0; j < o->nmv; j++)
                bo_set(o->kstale[s], o->mv[j], true);
    return true;
}

static void
bo_unmark(struct book_order *o)
{
    for (uint32_t j = 0; j < o->nmv; j++)
        bo_set(o->mark, o->mv[j], false);
    o->nmv = 0;
}

bool
book_order_sync(struct book_order *o)
{
    bool retest = o->dynamic || o->anystchg;

    if (!o->built)
        return false;
    if (!bo_collect(o)) {
        bo_unmark(o);
        bo_rebuild(o);
        return true;
    }
    if (o->stale_rows) {
        /* Moves taken by a refresh: this one's too, then all again. */
        for (uint32_t j = 0; j < o->nmv; j++)
            if (o->kstale[o->sort] != NULL)
                bo_set(o->kstale[o->sort], o->mv[j], true);
        bo_unmark(o);
        o->anystchg = false;
        o->stale_rows = false;
        if (o->dynamic || retest)
            for (uint32_t i = 0; i < o->npos; i++)
                bo_set(o->in, i, bo_match(o, i));
        bo_build(o);
        return true;
    }
    o->anystchg = false;
    if (o->nmv == 0)
        return false;

    /* The moved ones: keys of this sort now, their match again when it
     * can have changed. */
    uint32_t nadd = 0;
    for (uint32_t j = 0; j < o->nmv; j++) {
        uint32_t p = o->mv[j];
        bool now = retest ? bo_match(o, p) : bo_bit(o->in, p);
        if (o->sort != BOOK_ORDER_ID)
            o->kc[o->sort][p] = bo_key(o, o->sort, p);
        bo_set(o->in, p, now);
        if (now)
            o->add[nadd++] = bo_ent(o, p);
    }
    /* Drop their old places, sort them, merge. */
    uint32_t k = 0;
    for (uint32_t j = 0; j < o->nent; j++)
        if (!bo_bit(o->mark, o->ent[j].i))
            o->ent[k++] = o->ent[j];
    struct book_order_ent *s = bo_sort(o, o->add, o->tmp, nadd);
    uint32_t i = 0, q = 0, out = 0;
    while (i < k && q < nadd)
        o->ent2[out++] =
            bo_ent_cmp(o, &s[q], &o->ent[i]) < 0 ? s[q++] : o->ent[i++];
    while (i < k)
        o->ent2[out++] = o->ent[i++];
    while (q < nadd)
        o->ent2[out++] = s[q++];
    struct book_order_ent *t = o->ent;
    o->ent = o->ent2;
    o->ent2 = t;
    o->nent = out;
    bo_unmark(o);
    return true;
}

/* The members that pass the filter now, tested in position order (their
 * figures are read in sequence); ent keeps its order. */
static void
bo_narrow(struct book_order *o)
{
    size_t w = ((size_t)o->npos + 63) / 64;
    uint32_t k = 0;

    for (size_t j = 0; j < w; j++) {
        uint64_t bits = o->in[j], keep = bits;
        while (bits != 0) {
            unsigned z = (unsigned)__builtin_ctzll(bits);
            bits &= bits - 1;
            if (!bo_match(o, (uint32_t)(j * 64) + z))
                keep &= ~(1ULL << z);
        }
        o->in[j] = keep;
    }
    for (uint32_t j = 0; j < o->nent; j++)
        if (bo_bit(o->in, o->ent[j].i))
            o->ent[k++] = o->ent[j];
    o->nent = k;
}

void
book_order_set(struct book_order *o, const struct book_filter *f,
               enum book_order_sort sort)
{
    bool narrow = o->built && book_filter_narrows(f, &o->f);
    bool same = narrow && book_filter_narrows(&o->f, f);
    bool resort = sort != o->sort || o->stale_rows;

    if (o->stale_rows && (o->dynamic || o->anystchg))
        narrow = same = false; /* every position is tested again */
    o->stale_rows = false;
    if (o->built && narrow && !resort) {
        /* Current first; then a narrower filter tests the matches only. */
        (void)book_order_sync(o);
    } else if (o->built && bo_collect(o)) {
        /* The order is built again below: the moved ones need their match
         * (when it can have moved) and their keys, marked old, alone. */
        bool retest = o->dynamic || o->anystchg;
        for (uint32_t j = 0; j < o->nmv; j++) {
            uint32_t p = o->mv[j];
            if (o->kstale[o->sort] != NULL)
                bo_set(o->kstale[o->sort], p, true);
            if (retest && narrow)
                bo_set(o->in, p, bo_match(o, p));
        }
        bo_unmark(o);
    } else {
        bo_unmark(o);
        o->f = *f;
        o->empty = book_filter_is_empty(f);
        o->dynamic = f->has_max || f->has_min || f->tiers != 0;
        o->sort = sort;
        bo_rebuild(o);
        return;
    }
    o->anystchg = false;
    o->f = *f;
    o->empty = book_filter_is_empty(f);
    o->dynamic = f->has_max || f->has_min || f->tiers != 0;
    if (!same) {
        bo_names(o);
        if (narrow) {
            bo_narrow(o);
        } else {
            for (uint32_t i = 0; i < o->npos; i++)
                bo_set(o->in, i, bo_match(o, i));
        }
    }
    if (resort || !narrow) {
        o->sort = sort;
        bo_build(o);
    }
}

size_t
book_order_refresh(struct book_order *o, size_t budget)
{
    size_t done = 0, w = ((size_t)o->npos + 63) / 64 + 1;

    if (!o->built)
        return 0;
    /* Moves since the last look: the other sorts' keys are marked old by
     * the collection, this sort's too; the rows follow at the next sync. */
    if (!bo_collect(o)) {
        bo_unmark(o);
        return 0; /* positions added: the next sync builds all again */
    }
    if (o->nmv > 0) {
        for (uint32_t j = 0; j < o->nmv; j++)
            if (o->kstale[o->sort] != NULL)
                bo_set(o->kstale[o->sort], o->mv[j], true);
        o->stale_rows = true;
    }
    bo_unmark(o);
    for (int s = BOOK_ORDER_COLL; s < BOOK_ORDER_COUNT && done < budget; s++) {
        if (o->kc[s] == NULL) {
            o->kc[s] = book_xmalloc(((size_t)o->npos + 1) * sizeof *o->kc[s]);
            o->kstale[s] = book_xmalloc(w * sizeof *o->kstale[s]);
            memset(o->kstale[s], 0xff, w * sizeof *o->kstale[s]);
        }
        uint64_t *st = o->kstale[s];
        for (size_t j = 0; j < w && done < budget; j++) {
            while (st[j] != 0 && done < budget) {
                uint32_t i =
                    (uint32_t)(j * 64) + (uint32_t)__builtin_ctzll(st[j]);
                st[j] &= st[j] - 1;
                if (i < o->npos) {
                    o->kc[s][i] = bo_key(o, (enum book_order_sort)s, i);
                    done++;
                }
            }
        }
    }
    return done;
}

void
book_order_stale(struct book_order *o, uint32_t sym, bool stale)
{
    if (sym >= o->nsym || (o->stale[sym] != 0) == stale)
        return;
    o->stale[sym] = stale;
    o->stchg[sym] = 1;
    o->anystchg = true;
}

uint32_t
book_order_count(const struct book_order *o)
{
    return o->nent;
}

uint32_t
book_order_at(const struct book_order *o, uint32_t row, bool reverse)
{
    if (row >= o->nent)
        return UINT32_MAX;
    return o->ent[reverse ? o->nent - 1 - row : row].i;
}

bool
book_order_row_of(const struct book_order *o, uint32_t idx, bool reverse,
                  uint32_t *row)
{
    if (idx >= o->npos || !bo_bit(o->in, idx))
        return false;
    struct book_order_ent e = bo_ent(o, idx);
    uint32_t lo = 0, hi = o->nent, at = UINT32_MAX;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        int c = bo_ent_cmp(o, &o->ent[mid], &e);
        if (c == 0) {
            at = mid;
            break;
        }
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (at == UINT32_MAX || o->ent[at].i != idx) {
        /* Ties compared on live figures may disagree until the next sync:
         * look it up by hand. */
        at = UINT32_MAX;
        for (uint32_t j = 0; j < o->nent && at == UINT32_MAX; j++)
            if (o->ent[j].i == idx)
                at = j;
        if (at == UINT32_MAX)
            return false;
    }
    *row = reverse ? o->nent - 1 - at : at;
    return true;
}
