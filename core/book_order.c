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

#include "core/book_order_int.h"

bool
book_order_matches(const struct book_order *o, uint32_t idx)
{
    return idx < o->npos && book_filter_match(o, idx);
}

int
book_order_cmp(const struct book_order *o, uint32_t x, uint32_t y)
{
    uint64_t kx = book_order_key_of(o, o->sort, x),
             ky = book_order_key_of(o, o->sort, y);

    if (kx != ky)
        return kx < ky ? -1 : 1;
    return x == y ? 0 : book_order_key_tie(o, o->sort, kx, x, y);
}

bool
book_order_liqprice(const struct book_order *o, uint32_t idx, bool *exists,
                    struct u256 *lp)
{
    return idx < o->npos && book_order_key_liqprice(o, idx, exists, lp);
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
        free(o->full[s]);
        free(o->fmv[s]);
        o->kc[s] = NULL;
        o->kstale[s] = NULL;
        o->full[s] = NULL;
        o->fmv[s] = NULL;
    }
    free(o->frefill);
    o->frefill = NULL;
    free(o->in);
    free(o->mark);
    free(o->lpv);
    free(o->lpno);
    free(o->lp);
    free(o->lpsym);
    o->lpv = NULL;
    o->lpno = NULL;
    o->lp = NULL;
    o->lpsym = NULL;
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
    t = book_order_key_sort(o, a, o->tmp, n);
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

/* Sort s's key arrays, every key old. */
static void
bo_kc_alloc(struct book_order *o, enum book_order_sort s)
{
    size_t w = ((size_t)o->npos + 63) / 64 + 1, n = (size_t)o->npos + 1;

    o->kc[s] = book_xmalloc(n * sizeof *o->kc[s]);
    o->kstale[s] = book_xmalloc(w * sizeof *o->kstale[s]);
    memset(o->kstale[s], 0xff, w * sizeof *o->kstale[s]);
    if (s == BOOK_ORDER_DIST && o->lpv == NULL) {
        o->lpv = book_xcalloc(w, sizeof *o->lpv);
        o->lpno = book_xcalloc(w, sizeof *o->lpno);
        o->lp = book_xmalloc(n * sizeof *o->lp);
        o->lpsym = book_xmalloc(n * sizeof *o->lpsym);
    }
}

/* The keys of sort s current for every position. */
static void
bo_keys(struct book_order *o, enum book_order_sort s)
{
    size_t w = ((size_t)o->npos + 63) / 64 + 1;

    if (s == BOOK_ORDER_ID)
        return;
    if (o->kc[s] == NULL)
        bo_kc_alloc(o, s);
    /* Collateral and debt come from the valuation alone, so they share
     * it; distance costs more and is worked out when asked for (its
     * sort, or the quiet moments). */
    unsigned fill = s == BOOK_ORDER_DIST
                        ? (1u << BOOK_ORDER_COLL) | (1u << BOOK_ORDER_DEBT) |
                              (1u << BOOK_ORDER_DIST)
                        : (1u << BOOK_ORDER_COLL) | (1u << BOOK_ORDER_DEBT);
    uint64_t *st = o->kstale[s];
    for (size_t j = 0; j < w; j++) {
        while (st[j] != 0) {
            uint32_t i = (uint32_t)(j * 64) + (uint32_t)__builtin_ctzll(st[j]);
            st[j] &= st[j] - 1;
            if (i >= o->npos)
                continue;
            if (s >= BOOK_ORDER_COLL) {
                /* This sort's and the others' old keys from one
                 * valuation (the bit is set again for the fill). */
                st[j] |= 1ULL << (i % 64);
                book_order_key_fill(o, i, fill);
            } else {
                o->kc[s][i] = book_order_key_of(o, s, i);
            }
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

/* Whether x comes before y: the keys, and on equal keys the full
 * comparison. */
static inline bool
bo_before(const struct book_order *o, const struct book_order_ent *x,
          const struct book_order_ent *y)
{
    if (x->k != y->k)
        return x->k < y->k;
    return book_order_key_cmp(o, x, y) < 0;
}

/* Whether sort s keeps the whole book's order between uses. */
static bool
bo_keeps_full(enum book_order_sort s)
{
    return s == BOOK_ORDER_COLL || s == BOOK_ORDER_DEBT || s == BOOK_ORDER_DIST;
}

/* The whole book's order under the sort (its keys current) in full[sort],
 * made: repaired, the positions that moved since (fmv) dropped, sorted
 * alone and merged back. */
static const struct book_order_ent *
bo_full(struct book_order *o)
{
    enum book_order_sort so = o->sort;
    uint32_t n = o->npos, nm = 0;
    size_t w = ((size_t)n + 63) / 64 + 1;
    struct book_order_ent *f = o->full[so], *s;

    uint64_t *mv = o->fmv[so];
    for (size_t j = 0; j < w; j++) {
        uint64_t bits = mv[j];
        while (bits != 0) {
            uint32_t i = (uint32_t)(j * 64) + (uint32_t)__builtin_ctzll(bits);
            bits &= bits - 1;
            if (i < n)
                o->add[nm++] = bo_ent(o, i);
        }
    }
    if (nm == 0)
        return f;
    s = book_order_key_sort(o, o->add, o->tmp, nm);
    /* The rest in their places, the moved ones merged in, in one pass. */
    uint32_t q = 0, out = 0;
    struct book_order_ent *d = o->ent2;
    for (uint32_t j = 0; j < n; j++) {
        if (bo_bit(mv, f[j].i))
            continue;
        while (q < nm && bo_before(o, &s[q], &f[j]))
            d[out++] = s[q++];
        d[out++] = f[j];
    }
    while (q < nm)
        d[out++] = s[q++];
    o->ent2 = f;
    o->full[so] = d;
    memset(mv, 0, w * sizeof *mv);
    if (so == BOOK_ORDER_DIST && o->frefill != NULL)
        memset(o->frefill, 0, w * sizeof *o->frefill);
    return d;
}

/* ent from the members (in), in the sort's order. Ids come from their
 * order by id; collateral, debt and distance, for many members, from the
 * whole book's order, repaired. A few members are picked from the
 * ranking in order; otherwise they are gathered in position order, where
 * their keys are read in sequence, and sorted. */
static void
bo_build(struct book_order *o)
{
    uint32_t n = o->npos, k = 0, nin = 0;
    size_t w = ((size_t)n + 63) / 64;

    bo_keys(o, o->sort);
    for (size_t j = 0; j < w; j++)
        nin += (uint32_t)__builtin_popcountll(o->in[j]);
    if (o->sort == BOOK_ORDER_ID ||
        (o->sort == BOOK_ORDER_HEALTH && nin < n / 16)) {
        for (uint32_t r = 0; r < n && k < nin; r++) {
            uint32_t idx =
                o->sort == BOOK_ORDER_ID ? o->byid[r] : book_rank_at(o->b, r);
            if (bo_bit(o->in, idx))
                o->ent[k++] = bo_ent(o, idx);
        }
        o->nent = k;
        return;
    }
    if (bo_keeps_full(o->sort) && o->full[o->sort] != NULL && nin >= n / 8) {
        const struct book_order_ent *f = bo_full(o);
        if (nin == n) {
            memcpy(o->ent, f, n * sizeof *f);
        } else {
            for (uint32_t j = 0; j < n; j++)
                if (bo_bit(o->in, f[j].i))
                    o->ent[k++] = f[j];
        }
        o->nent = nin;
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
    struct book_order_ent *s = book_order_key_sort(o, o->add, o->ent, k);
    if (s != o->ent)
        memcpy(o->ent, s, k * sizeof *s);
    o->nent = k;
    if (bo_keeps_full(o->sort) && o->full[o->sort] == NULL && k == n) {
        /* Every position: kept whole for the next use of this sort. */
        size_t w1 = ((size_t)n + 63) / 64 + 1;
        o->full[o->sort] = book_xmalloc(((size_t)n + 1) * sizeof *o->ent);
        memcpy(o->full[o->sort], o->ent, n * sizeof *o->ent);
        o->fmv[o->sort] = book_xcalloc(w1, sizeof *o->fmv[o->sort]);
        if (o->sort == BOOK_ORDER_DIST) {
            free(o->frefill);
            o->frefill = book_xcalloc(w1, sizeof *o->frefill);
        }
    }
}

/* Every position tested and placed again. */
static void
bo_rebuild(struct book_order *o)
{
    if (o->npos != o->b->npos || o->nsym != o->b->nsym ||
        o->nmkt != o->b->nmkt || o->idrank == NULL)
        bo_cover(o);
    book_filter_names(o);
    o->emptygen = o->b->emptygen;
    for (uint32_t s = 0; s < o->nsym; s++) {
        o->gen[s] = o->b->sym[s].gen;
        o->stchg[s] = 0;
    }
    o->anystchg = false;
    for (int s = 0; s < BOOK_ORDER_COUNT; s++) {
        if (o->kstale[s] != NULL)
            memset(o->kstale[s], 0xff,
                   (((size_t)o->npos + 63) / 64 + 1) * sizeof(uint64_t));
        if (o->fmv[s] != NULL) /* every one placed again */
            memset(o->fmv[s], 0xff,
                   (((size_t)o->npos + 63) / 64 + 1) * sizeof(uint64_t));
    }
    if (o->lpv != NULL)
        memset(o->lpv, 0, (((size_t)o->npos + 63) / 64 + 1) * sizeof(uint64_t));
    for (uint32_t i = 0; i < o->npos; i++)
        bo_set(o->in, i, book_filter_match(o, i));
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
    /* one that left or joined the rows holds no symbol to be found by */
    if (o->npos != b->npos || o->nsym != b->nsym || o->nmkt != b->nmkt ||
        o->emptygen != b->emptygen)
        return false;
    if (o->anystchg)
        book_filter_names(o);
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
            /* A symbol other than the main collateral's moved: its
             * liquidation price may have too. */
            if (o->lpv != NULL && bo_bit(o->lpv, p) && o->lpsym[p] != s)
                bo_set(o->lpv, p, false);
        }
    }
    for (int s = 0; s < BOOK_ORDER_COUNT; s++) {
        if (o->kstale[s] != NULL && s != (int)o->sort)
            for (uint32_t j = 0; j < o->nmv; j++)
                bo_set(o->kstale[s], o->mv[j], true);
        if (o->fmv[s] != NULL)
            for (uint32_t j = 0; j < o->nmv; j++)
                bo_set(o->fmv[s], o->mv[j], true);
    }
    return true;
}

static void
bo_unmark(struct book_order *o)
{
    for (uint32_t j = 0; j < o->nmv; j++)
        bo_set(o->mark, o->mv[j], false);
    o->nmv = 0;
}

/*
 * The figures of the moved ones a key reads, asked for ahead of it: they
 * lie far apart in the book's arrays, and waiting for each in turn costs
 * more than working it out (a frame after a tick of one symbol of a
 * million positions reads some 300,000 of them).
 */
static void
bo_prefetch(const struct book_order *o, uint32_t j)
{
    enum { FAR = 16, NEAR = 8 };

    if (j + FAR < o->nmv) {
        uint32_t p = o->mv[j + FAR];
        book_position_prefetch(o->b, p, 0);
        __builtin_prefetch(&o->b->key[p]);
        if (o->kc[o->sort] != NULL)
            __builtin_prefetch(&o->kc[o->sort][p], 1);
        if (o->sort == BOOK_ORDER_DIST && o->lpv != NULL) {
            __builtin_prefetch(&o->lp[p], 1);
            __builtin_prefetch(&o->lpsym[p], 1);
        }
    }
    if (j + NEAR < o->nmv)
        book_position_prefetch(o->b, o->mv[j + NEAR], 1);
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
                bo_set(o->in, i, book_filter_match(o, i));
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
        bo_prefetch(o, j);
        bool now = retest ? book_filter_match(o, p) : bo_bit(o->in, p);
        if (o->sort >= BOOK_ORDER_COLL) {
            /* the fill keeps a distance's liquidation price for later */
            bo_set(o->kstale[o->sort], p, true);
            book_order_key_fill(o, p, 1u << o->sort);
        } else if (o->sort != BOOK_ORDER_ID) {
            o->kc[o->sort][p] = book_order_key_of(o, o->sort, p);
        }
        bo_set(o->in, p, now);
        if (now)
            o->add[nadd++] = bo_ent(o, p);
    }
    /* Sort them; merge them with the rest, their old places dropped, in
     * one pass. */
    struct book_order_ent *s = book_order_key_sort(o, o->add, o->tmp, nadd);
    uint32_t q = 0, out = 0;
    for (uint32_t j = 0; j < o->nent; j++) {
        if (bo_bit(o->mark, o->ent[j].i))
            continue;
        while (q < nadd && bo_before(o, &s[q], &o->ent[j]))
            o->ent2[out++] = s[q++];
        o->ent2[out++] = o->ent[j];
    }
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
            if (!book_filter_match(o, (uint32_t)(j * 64) + z))
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
                bo_set(o->in, p, book_filter_match(o, p));
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
        book_filter_names(o);
        if (narrow) {
            bo_narrow(o);
        } else {
            for (uint32_t i = 0; i < o->npos; i++)
                bo_set(o->in, i, book_filter_match(o, i));
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
    /* Every kept sort first, so that one valuation fills them all. */
    for (int s = BOOK_ORDER_COLL; s < BOOK_ORDER_COUNT; s++) {
        if (o->kc[s] == NULL)
            bo_kc_alloc(o, (enum book_order_sort)s);
    }
    for (int s = BOOK_ORDER_COLL; s < BOOK_ORDER_COUNT && done < budget; s++) {
        uint64_t *st = o->kstale[s];
        for (size_t j = 0; j < w && done < budget; j++) {
            while (st[j] != 0 && done < budget) {
                uint32_t i =
                    (uint32_t)(j * 64) + (uint32_t)__builtin_ctzll(st[j]);
                st[j] &= st[j] - 1;
                if (i < o->npos) {
                    st[j] |= 1ULL << (i % 64);
                    book_order_key_fill(o, i, ~0u); /* every kept sort's */
                    done++;
                }
            }
        }
    }
    return done;
}

void
book_order_prepare_sorts(struct book_order *o)
{
    enum book_order_sort keep = o->sort;
    uint32_t n = o->npos;

    if (!o->built)
        return;
    for (int s = BOOK_ORDER_COLL; s < BOOK_ORDER_COUNT; s++) {
        if (!bo_keeps_full((enum book_order_sort)s) || o->full[s] != NULL)
            continue;
        o->sort = (enum book_order_sort)s; /* bo_ent's and the sort's */
        bo_keys(o, o->sort);
        for (uint32_t i = 0; i < n; i++)
            o->add[i] = bo_ent(o, i);
        struct book_order_ent *r = book_order_key_sort(o, o->add, o->tmp, n);
        o->full[s] = book_xmalloc(((size_t)n + 1) * sizeof *o->full[s]);
        memcpy(o->full[s], r, n * sizeof *r);
        o->fmv[s] = book_xcalloc(((size_t)n + 63) / 64 + 1, sizeof *o->fmv[s]);
        if (s == BOOK_ORDER_DIST) {
            free(o->frefill);
            o->frefill =
                book_xcalloc(((size_t)n + 63) / 64 + 1, sizeof *o->frefill);
        }
    }
    o->sort = keep;
}

bool
book_order_stale(struct book_order *o, uint32_t sym, bool stale)
{
    if (sym >= o->nsym || (o->stale[sym] != 0) == stale)
        return false;
    o->stale[sym] = stale;
    o->stchg[sym] = 1;
    o->anystchg = true;
    return true;
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
        int c = book_order_key_cmp(o, &o->ent[mid], &e);
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
