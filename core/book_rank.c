/*
 * book_rank.c: each position's place in the ranking (health ascending,
 * ties by id, positions without debt next, positions without a price last),
 * from the accounts book_calc.c keeps. Pure: no I/O, no clock.
 */
#include <stdlib.h>
#include <string.h>

#include "core/book.h"
#include "core/book_int.h"
#include "core/health.h"
#include "core/liq.h"

/*
 * The health part of a rank key (62 bits) is a 4-bit code, then 58 bits of
 * payload. Codes 1 to 14 are the bit lengths BOOK_RANK_WIN_LO and up, where
 * health factors live (a WAD factor of 1.0 is 60 bits long): their payload
 * is the 58 bits after the leading one. Code 0 holds shorter factors, its
 * payload the bit length (6 bits) and the 52 bits after the leading one;
 * code 15 longer ones, the bit length less the window's end (8 bits) and
 * 50 bits. So the prefix (the key's top 32 bits) keeps 26 bits after the
 * leading one of usual factors, and they seldom share one.
 */
#define BOOK_RANK_WIN_LO 57u
#define BOOK_RANK_WIN_N 14u
#define BOOK_RANK_PAYLOAD 58u

/* Radix digits over an entry's prefix: 11, 11 and 10 bits. */
#define BOOK_RANK_DIGITS 2048u
#define BOOK_RANK_INSERTION 16u
#define BOOK_RANK_RUN_RADIX 64u

/* A monotone 62-bit image of a health factor (see above). Equal images
 * need the exact comparison; different ones order as the factors do. */
static uint64_t
book_rank_hf_key(struct u256 hf)
{
    unsigned hi = BOOK_RANK_WIN_LO + BOOK_RANK_WIN_N, base;
    uint64_t top, low;

    /* Words by name, not by a computed index: hf comes in registers. */
    if (hf.w[3] != 0) {
        base = 192;
        top = hf.w[3];
        low = hf.w[2];
    } else if (hf.w[2] != 0) {
        base = 128;
        top = hf.w[2];
        low = hf.w[1];
    } else if (hf.w[1] != 0) {
        base = 64;
        top = hf.w[1];
        low = hf.w[0];
    } else if (hf.w[0] != 0) {
        base = 0;
        top = hf.w[0];
        low = 0;
    } else {
        return 0;
    }
    /* n bits long; x: its top 64 bits, the leading one at bit 63 */
    unsigned z = (unsigned)__builtin_clzll(top);
    unsigned n = base + 64 - z;
    uint64_t x = top << z;
    if (z != 0)
        x |= low >> (64 - z);
    x <<= 1; /* the bits after the leading one, left-aligned */
    if (n < BOOK_RANK_WIN_LO)
        return ((uint64_t)n << 52) | (x >> 12);
    if (n < hi)
        return ((uint64_t)(n - BOOK_RANK_WIN_LO + 1) << BOOK_RANK_PAYLOAD) |
               (x >> (64 - BOOK_RANK_PAYLOAD));
    return (15ULL << BOOK_RANK_PAYLOAD) | ((uint64_t)(n - hi) << 50) |
           (x >> 14);
}

/*
 * Positions without debt or without a price rank by id alone: their key
 * carries the id's first bytes (big-endian, so byte order is kept), and
 * only ids sharing those bytes need the full comparison.
 */
static uint64_t
book_rank_id_key(const char *id)
{
    uint64_t v = 0;
    unsigned i = 0;

    for (; i < 8 && id[i] != '\0'; i++)
        v = (v << 8) | (unsigned char)id[i];
    v <<= 8 * (8 - i);
    return v >> 2;
}

/* The ranking entry of position idx under its current key. */
static uint64_t
book_rank_entry(const struct book *b, uint32_t idx)
{
    return (b->key[idx] & ~0xffffffffULL) | idx;
}

static void
book_rank_mv_push(struct book *b, uint32_t idx, uint32_t oldprefix)
{
    if (b->nmv == b->capmv) {
        uint32_t cap = b->capmv == 0 ? 1024 : b->capmv * 2;
        b->mv = book_xrealloc(b->mv, cap * sizeof *b->mv);
        b->mv2 = book_xrealloc(b->mv2, cap * sizeof *b->mv2);
        b->mvold = book_xrealloc(b->mvold, cap * sizeof *b->mvold);
        b->capmv = cap;
    }
    b->mv[b->nmv] = book_rank_entry(b, idx);
    b->mvold[b->nmv] = oldprefix;
    b->nmv++;
}

/* The moved bit map covers positions [0, n). */
static void
book_rank_moved_cover(struct book *b, size_t n)
{
    size_t w = (n + 63) / 64;

    if (w <= b->nmovedw)
        return;
    w = ((size_t)b->cappos + 63) / 64 > w ? ((size_t)b->cappos + 63) / 64 : w;
    b->moved = book_xrealloc(b->moved, w * sizeof *b->moved);
    memset(b->moved + b->nmovedw, 0, (w - b->nmovedw) * sizeof *b->moved);
    b->nmovedw = w;
}

/*
 * Position idx's account changed (book_calc.c): its key follows, and it is
 * queued for book_rank_repair() when its order may have changed (its key,
 * or its exact health under an equal key).
 */
void
book_rank_rekey(struct book *b, uint32_t idx, bool fresh, bool hf_moved)
{
    uint64_t oldkey = b->key[idx];
    uint8_t f = b->pflags[idx];
    uint64_t cls = !(f & BOOK_P_PRICED) ? BOOK_CLASS_UNPRICED
                   : (f & BOOK_P_DEBT)  ? BOOK_CLASS_DEBT
                                        : BOOK_CLASS_NODEBT;

    if (cls == BOOK_CLASS_DEBT)
        b->key[idx] = (cls << 62) | book_rank_hf_key(book_calc_hf(b, idx));
    else if (fresh || oldkey >> 62 != cls) /* else the id's key stays */
        b->key[idx] = (cls << 62) | book_rank_id_key(b->pid[idx]);
    if (fresh) {
        b->nfresh++;
        book_rank_mv_push(b, idx, 0);
    } else if (b->key[idx] != oldkey || hf_moved) {
        book_rank_moved_cover(b, (size_t)idx + 1);
        b->moved[idx / 64] |= 1ULL << (idx % 64);
        book_rank_mv_push(b, idx, (uint32_t)(oldkey >> 32));
    }
}

/* <0, 0, >0 as x ranks before, with, after y. */
int
book_rank_cmp(const struct book *b, uint32_t x, uint32_t y)
{
    uint64_t kx = b->key[x], ky = b->key[y];

    if (kx != ky)
        return kx < ky ? -1 : 1;
    if ((kx >> 62) == BOOK_CLASS_DEBT) {
        int c = u256_cmp(book_calc_hf(b, x), book_calc_hf(b, y));
        if (c != 0)
            return c;
    }
    return strcmp(b->pid[x], b->pid[y]);
}

/* Entry order: prefixes first (inline), the full comparison on equal ones.
 * Both positions' keys must be current. */
static bool
book_rank_before(const struct book *b, uint64_t x, uint64_t y)
{
    if ((x ^ y) >> 32 != 0)
        return x < y;
    return book_rank_cmp(b, (uint32_t)x, (uint32_t)y) < 0;
}

static void
book_rank_insertion(const struct book *b, uint64_t *a, uint32_t n)
{
    for (uint32_t k = 1; k < n; k++) {
        uint64_t v = a[k];
        uint32_t m = k;
        while (m > 0 && book_rank_before(b, v, a[m - 1])) {
            a[m] = a[m - 1];
            m--;
        }
        a[m] = v;
    }
}

/* Merge sort by the full order, for runs of equal keys. */
static void
book_rank_msort(const struct book *b, uint64_t *a, uint64_t *tmp, uint32_t n)
{
    if (n <= BOOK_RANK_INSERTION) {
        book_rank_insertion(b, a, n);
        return;
    }
    uint32_t h = n / 2, i = 0, j = h, k = 0;
    book_rank_msort(b, a, tmp, h);
    book_rank_msort(b, a + h, tmp, n - h);
    if (!book_rank_before(b, a[h], a[h - 1]))
        return;
    memcpy(tmp, a, h * sizeof *a);
    while (i < h && j < n) {
        if (book_rank_before(b, a[j], tmp[i]))
            a[k++] = a[j++];
        else
            a[k++] = tmp[i++];
    }
    while (i < h)
        a[k++] = tmp[i++];
}

/*
 * Stable LSD radix sort of n entries by their top 32 bits, 11 bits a pass
 * (a 2048-way scatter stays within the caches), the histograms of all
 * passes counted in one read, passes where every entry shares the digit
 * skipped. Returns a or tmp, whichever holds the result.
 */
static uint64_t *
book_rank_radix(uint64_t *a, uint64_t *tmp, uint32_t n)
{
    static const unsigned shift[3] = {32, 43, 54};
    uint32_t cnt[3][BOOK_RANK_DIGITS];
    uint64_t *src = a, *dst = tmp;

    if (n < 2)
        return a;
    memset(cnt, 0, sizeof cnt);
    for (uint32_t i = 0; i < n; i++) {
        uint64_t v = a[i];
        cnt[0][(v >> 32) & 0x7ff]++;
        cnt[1][(v >> 43) & 0x7ff]++;
        cnt[2][v >> 54]++;
    }
    for (unsigned p = 0; p < 3; p++) {
        uint32_t *c = cnt[p], sum = 0;
        unsigned s = shift[p];
        if (c[(src[0] >> s) & 0x7ff] == n)
            continue;
        for (uint32_t d = 0; d < BOOK_RANK_DIGITS; d++) {
            uint32_t x = c[d];
            c[d] = sum;
            sum += x;
        }
        for (uint32_t i = 0; i < n; i++) {
            uint64_t v = src[i];
            dst[c[(v >> s) & 0x7ff]++] = v;
        }
        uint64_t *t = src;
        src = dst;
        dst = t;
    }
    return src;
}

/*
 * Put a run of n entries sharing one prefix in full order. Long runs (ids
 * sharing their first bytes, say) are sorted by the low half of their keys
 * first, so that the full comparison only sees equal keys; below
 * BOOK_RANK_RUN_RADIX entries the radix's histograms would cost more.
 */
static void
book_rank_sort_run(const struct book *b, uint64_t *a, uint64_t *tmp, uint32_t n)
{
    if (n <= BOOK_RANK_RUN_RADIX) {
        book_rank_msort(b, a, tmp, n);
        return;
    }
    uint64_t hi = a[0] & ~0xffffffffULL;
    for (uint32_t k = 0; k < n; k++) {
        uint32_t idx = (uint32_t)a[k];
        a[k] = (b->key[idx] << 32) | idx;
    }
    uint64_t *s = book_rank_radix(a, tmp, n);
    if (s != a)
        memcpy(a, s, (size_t)n * sizeof *a);
    for (uint32_t k = 0; k < n; k++)
        a[k] = hi | (uint32_t)a[k];
    for (uint32_t i = 0; i < n;) {
        uint32_t j = i + 1;
        while (j < n && b->key[(uint32_t)a[j]] == b->key[(uint32_t)a[i]])
            j++;
        if (j - i > 1)
            book_rank_msort(b, a + i, tmp, j - i);
        i = j;
    }
}

/*
 * Sort the n entries of a by the full order: by prefix, then runs of equal
 * prefixes by the full comparison. tmp holds n entries. Returns a or tmp,
 * whichever holds the result.
 */
static uint64_t *
book_rank_sort(const struct book *b, uint64_t *a, uint64_t *tmp, uint32_t n)
{
    uint64_t *s = book_rank_radix(a, tmp, n);
    uint64_t *t = s == a ? tmp : a;

    for (uint32_t i = 0; i + 1 < n;) {
        uint32_t j = i + 1;
        uint64_t p = s[i] >> 32;
        while (j < n && s[j] >> 32 == p)
            j++;
        if (j - i > 1)
            book_rank_sort_run(b, s + i, t + i, j - i);
        i = j;
    }
    return s;
}

static bool
book_rank_is_moved(const struct book *b, uint32_t idx)
{
    return idx / 64 < b->nmovedw && ((b->moved[idx / 64] >> (idx % 64)) & 1);
}

/* First place whose inline prefix is not below prefix. */
static uint32_t
book_rank_lower(const struct book *b, uint32_t prefix)
{
    uint32_t lo = 0, hi = b->nrank;

    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if ((uint32_t)(b->rank[mid] >> 32) < prefix)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/*
 * Move the queued positions one by one to their new places, each by a
 * memmove over the ranks it passes, while that stays cheaper than one
 * merge over the whole ranking. The ranking stays ordered by its inline
 * prefixes throughout (a queued position keeps its old prefix until it
 * moves), so the searches are exact; within a run of equal prefixes the
 * places of queued positions are skipped. Returns how many of the queue
 * were placed.
 */
static uint32_t
book_rank_move_few(struct book *b)
{
    uint64_t budget = b->nrank, spent = 0;
    uint32_t j;

    for (j = 0; j < b->nmv; j++) {
        const uint64_t e = b->mv[j];
        const uint32_t eidx = (uint32_t)e, epre = (uint32_t)(e >> 32);
        uint32_t i = book_rank_lower(b, b->mvold[j]);
        while (i < b->nrank && (uint32_t)(b->rank[i] >> 32) == b->mvold[j] &&
               (uint32_t)b->rank[i] != eidx)
            i++;
        if (i == b->nrank || (uint32_t)b->rank[i] != eidx)
            break; /* not where it should be: let the merge repair it */
        uint32_t t = book_rank_lower(b, epre);
        for (uint32_t k = t;
             k < b->nrank && (uint32_t)(b->rank[k] >> 32) == epre; k++) {
            uint32_t o = (uint32_t)b->rank[k];
            if (k != i && !book_rank_is_moved(b, o) &&
                book_rank_cmp(b, o, eidx) < 0)
                t = k + 1;
        }
        uint64_t dist = t > i ? t - i : i - t;
        if (spent + dist > budget)
            break;
        spent += dist;
        if (t > i) {
            memmove(&b->rank[i], &b->rank[i + 1],
                    (size_t)(t - 1 - i) * sizeof *b->rank);
            b->rank[t - 1] = e;
        } else {
            memmove(&b->rank[t + 1], &b->rank[t],
                    (size_t)(i - t) * sizeof *b->rank);
            b->rank[t] = e;
        }
        b->moved[eidx / 64] &= ~(1ULL << (eidx % 64));
    }
    return j;
}

/*
 * Drop from a[0, n) the old places of queued positions (the moved bit map,
 * small enough to stay in cache), in place. Returns the entries left.
 */
static uint32_t
book_rank_compact(const struct book *b, uint64_t *a, uint32_t n)
{
    const uint64_t *moved = b->moved;
    uint32_t k = 0;

    for (uint32_t i = 0; i < n; i++) {
        uint64_t e = a[i];
        uint32_t ei = (uint32_t)e;
        a[k] = e;
        k += (uint32_t)(~moved[ei / 64] >> (ei % 64)) & 1u;
    }
    return k;
}

/*
 * One merge of sorted x[0, nx) and y[0, ny) into out, run from both ends:
 * the front fills out[0, h), the back out[h, nx + ny).
 */
struct book_rank_mg {
    const uint64_t *x, *y;
    uint64_t *out;
    uint32_t i, j, k;    /* front: next to take, next out */
    uint32_t ib, jb, kb; /* back: ends, exclusive */
    uint32_t h;
};

static void
book_rank_mg_init(struct book_rank_mg *m, const uint64_t *x, uint32_t nx,
                  const uint64_t *y, uint32_t ny, uint64_t *out)
{
    m->x = x;
    m->y = y;
    m->out = out;
    m->i = m->j = m->k = 0;
    m->ib = nx;
    m->jb = ny;
    m->kb = nx + ny;
    m->h = (nx + ny) / 2;
}

/* Room for a step at each end, no side run dry. */
static bool
book_rank_mg_room(const struct book_rank_mg *m)
{
    return m->k < m->h && m->i < m->ib && m->j < m->jb;
}

/* A step at each end by the full order, where there is room. */
static void
book_rank_mg_exact(const struct book *b, struct book_rank_mg *m)
{
    if (book_rank_mg_room(m)) {
        uint64_t ex = m->x[m->i], ey = m->y[m->j];
        bool ty = book_rank_before(b, ey, ex);
        m->out[m->k++] = ty ? ey : ex;
        m->j += ty;
        m->i += !ty;
    }
    if (book_rank_mg_room(m)) {
        uint64_t fx = m->x[m->ib - 1], fy = m->y[m->jb - 1];
        bool uy = book_rank_before(b, fx, fy);
        m->out[--m->kb] = uy ? fy : fx;
        m->jb -= uy;
        m->ib -= !uy;
    }
}

/* The rest of a merge, front then back, by the full order. */
static void
book_rank_mg_finish(const struct book *b, struct book_rank_mg *m)
{
    while (m->k < m->h) {
        if (m->j < m->jb &&
            (m->i == m->ib || book_rank_before(b, m->y[m->j], m->x[m->i])))
            m->out[m->k++] = m->y[m->j++];
        else
            m->out[m->k++] = m->x[m->i++];
    }
    while (m->kb > m->h) {
        if (m->jb > m->j &&
            (m->ib == m->i ||
             book_rank_before(b, m->x[m->ib - 1], m->y[m->jb - 1])))
            m->out[--m->kb] = m->y[--m->jb];
        else
            m->out[--m->kb] = m->x[--m->ib];
    }
}

/*
 * Steps at both ends of merges m and n, four at once, while all have room
 * and no two entries compared share a prefix (then the caller steps by the
 * full order). Which side goes next is as good as random, so a branch
 * would mostly mispredict: the steps select. Each waits on the one before,
 * hence four independent ones; the state lives in locals so that the loop
 * keeps it in registers.
 */
static void
book_rank_mg_run(struct book_rank_mg *m, struct book_rank_mg *n)
{
    const uint64_t *mx = m->x, *my = m->y, *nx = n->x, *ny = n->y;
    uint64_t *mo = m->out, *no = n->out;
    uint32_t mi = m->i, mj = m->j, mk = m->k, mib = m->ib, mjb = m->jb;
    uint32_t mkb = m->kb, ni = n->i, nj = n->j, nk = n->k, nib = n->ib;
    uint32_t njb = n->jb, nkb = n->kb, mh = m->h, nh = n->h;

    while (mk < mh && mi < mib && mj < mjb && nk < nh && ni < nib && nj < njb) {
        uint64_t a1 = mx[mi], b1 = my[mj], a2 = mx[mib - 1], b2 = my[mjb - 1];
        uint64_t a3 = nx[ni], b3 = ny[nj], a4 = nx[nib - 1], b4 = ny[njb - 1];
        if ((a1 ^ b1) >> 32 == 0 || (a2 ^ b2) >> 32 == 0 ||
            (a3 ^ b3) >> 32 == 0 || (a4 ^ b4) >> 32 == 0)
            break;
        uint32_t t1 = b1 < a1, t2 = a2 < b2, t3 = b3 < a3, t4 = a4 < b4;
        mo[mk++] = t1 ? b1 : a1;
        mj += t1;
        mi += t1 ^ 1u;
        mo[--mkb] = t2 ? b2 : a2;
        mjb -= t2;
        mib -= t2 ^ 1u;
        no[nk++] = t3 ? b3 : a3;
        nj += t3;
        ni += t3 ^ 1u;
        no[--nkb] = t4 ? b4 : a4;
        njb -= t4;
        nib -= t4 ^ 1u;
    }
    m->i = mi;
    m->j = mj;
    m->k = mk;
    m->ib = mib;
    m->jb = mjb;
    m->kb = mkb;
    n->i = ni;
    n->j = nj;
    n->k = nk;
    n->ib = nib;
    n->jb = njb;
    n->kb = nkb;
}

/*
 * Merge the sorted x[0, nx) and y[0, ny) into out: the inputs split where
 * x's middle entry falls in y, and each half merges from both ends.
 */
static void
book_rank_merge(const struct book *b, const uint64_t *x, uint32_t nx,
                const uint64_t *y, uint32_t ny, uint64_t *out)
{
    uint32_t sx = nx / 2, lo = 0, hi = ny;
    struct book_rank_mg m1, m2;

    while (nx > 0 && lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (book_rank_before(b, y[mid], x[sx]))
            lo = mid + 1;
        else
            hi = mid;
    }
    book_rank_mg_init(&m1, x, sx, y, lo, out);
    book_rank_mg_init(&m2, x + sx, nx - sx, y + lo, ny - lo, out + sx + lo);
    while (book_rank_mg_room(&m1) && book_rank_mg_room(&m2)) {
        book_rank_mg_run(&m1, &m2);
        book_rank_mg_exact(b, &m1);
        book_rank_mg_exact(b, &m2);
    }
    book_rank_mg_finish(b, &m1);
    book_rank_mg_finish(b, &m2);
}

/*
 * Repair the ranking after book_rank_rekey(): the queued positions are
 * sorted among themselves, then merged into the ranking in one pass that
 * drops their old places. Positions whose order cannot have changed are
 * never queued, so positions without debt or without a price cost nothing
 * when prices move.
 */
void
book_rank_repair(struct book *b)
{
    uint32_t nmv = b->nmv;

    if (nmv == 0)
        return;
    /* A few moved positions: each moves over the ranks it passes. */
    if (b->nfresh == 0 && b->nrank > 0 && nmv <= b->nrank / 64) {
        uint32_t done = book_rank_move_few(b);
        if (done == nmv) {
            b->nmv = 0;
            return;
        }
        memmove(b->mv, b->mv + done, (size_t)(nmv - done) * sizeof *b->mv);
        nmv -= done;
        b->nmv = nmv;
    }
    uint64_t *mv = book_rank_sort(b, b->mv, b->mv2, nmv);
    if (mv != b->mv) {
        b->mv2 = b->mv;
        b->mv = mv;
    }
    uint32_t total = b->upd_npos;
    if (total > b->caprank) {
        uint32_t cap = b->caprank == 0 ? 1024 : b->caprank;
        while (cap < total)
            cap = cap > UINT32_MAX / 2 ? total : cap * 2;
        free(b->rank2);
        b->rank = book_xrealloc(b->rank, cap * sizeof *b->rank);
        b->rank2 = book_xmalloc(cap * sizeof *b->rank2);
        b->caprank = cap;
    }
    book_rank_moved_cover(b, b->nrank);
    uint32_t nkeep = book_rank_compact(b, b->rank, b->nrank);
    book_rank_merge(b, b->rank, nkeep, mv, nmv, b->rank2);
    uint32_t k = nkeep + nmv;
    /* Clear the bits of the queue: one by one when few, else all. */
    if (nmv < b->nmovedw / 8) {
        for (uint32_t j = 0; j < nmv; j++) {
            uint32_t p = (uint32_t)mv[j];
            if (p / 64 < b->nmovedw)
                b->moved[p / 64] &= ~(1ULL << (p % 64));
        }
    } else if (b->nmovedw > 0) {
        memset(b->moved, 0, b->nmovedw * sizeof *b->moved);
    }
    uint64_t *t = b->rank;
    b->rank = b->rank2;
    b->rank2 = t;
    b->nrank = k;
    /* After a repair of most of the book (loading) the queue would sit on
     * memory a price tick never needs; it grows again on demand. */
    if (b->nfresh > 65536 && b->nfresh > k / 2) {
        free(b->mv);
        free(b->mv2);
        free(b->mvold);
        b->mv = b->mv2 = NULL;
        b->mvold = NULL;
        b->capmv = 0;
    }
    b->nmv = 0;
    b->nfresh = 0;
}

void
book_rank_free(struct book *b)
{
    free(b->rank);
    free(b->rank2);
    free(b->mv);
    free(b->mv2);
    free(b->mvold);
    free(b->moved);
}

uint32_t
book_rank_at(struct book *b, uint32_t rank)
{
    if (b->nrank != b->npos)
        (void)book_update(b);
    if (rank >= b->nrank)
        return UINT32_MAX;
    return (uint32_t)b->rank[rank];
}

/* Binary search on the ranking's total order: no inverse to keep. */
uint32_t
book_rank_of(struct book *b, uint32_t idx)
{
    if (b->nrank != b->npos)
        (void)book_update(b);
    if (idx >= b->nrank)
        return UINT32_MAX;
    uint64_t want = book_rank_entry(b, idx);
    uint32_t lo = 0, hi = b->nrank;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (book_rank_before(b, b->rank[mid], want))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < b->nrank && (uint32_t)b->rank[lo] == idx ? lo : UINT32_MAX;
}
