/*
 * book_sort.c: sorting and merging ranking entries (book_int.h) by the
 * ranking's full order: a radix sort on the entries' inline prefixes, runs
 * of equal prefixes put in order by the full comparison, and a merge of two
 * sorted runs. Owns no state: book_rank.c decides what is sorted when.
 * Pure: no I/O, no clock.
 */
#include <stdlib.h>
#include <string.h>

#include "core/book.h"
#include "core/book_int.h"

/* <0, 0, >0 as x ranks before, with, after y: keys, then the exact
 * health under equal debt keys, then ids. */
int
book_sort_cmp(const struct book *b, uint32_t x, uint32_t y)
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

/* Radix digits over an entry's prefix: 11, 11 and 10 bits. */
#define BOOK_SORT_DIGITS 2048u
#define BOOK_SORT_INSERTION 16u
#define BOOK_SORT_RUN_RADIX 64u

static void
book_sort_insertion(const struct book *b, uint64_t *a, uint32_t n)
{
    for (uint32_t k = 1; k < n; k++) {
        uint64_t v = a[k];
        uint32_t m = k;
        while (m > 0 && book_sort_before(b, v, a[m - 1])) {
            a[m] = a[m - 1];
            m--;
        }
        a[m] = v;
    }
}

/* Merge sort by the full order, for runs of equal keys. */
static void
book_sort_msort(const struct book *b, uint64_t *a, uint64_t *tmp, uint32_t n)
{
    if (n <= BOOK_SORT_INSERTION) {
        book_sort_insertion(b, a, n);
        return;
    }
    uint32_t h = n / 2, i = 0, j = h, k = 0;
    book_sort_msort(b, a, tmp, h);
    book_sort_msort(b, a + h, tmp, n - h);
    if (!book_sort_before(b, a[h], a[h - 1]))
        return;
    memcpy(tmp, a, h * sizeof *a);
    while (i < h && j < n) {
        if (book_sort_before(b, a[j], tmp[i]))
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
book_sort_radix(uint64_t *a, uint64_t *tmp, uint32_t n)
{
    static const unsigned shift[3] = {32, 43, 54};
    uint32_t cnt[3][BOOK_SORT_DIGITS];
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
        for (uint32_t d = 0; d < BOOK_SORT_DIGITS; d++) {
            uint32_t x = c[d];
            c[d] = sum;
            sum += x;
        }
        /* two entries a step: the loop's own count is half the work */
        uint32_t i = 0;
        for (; i + 1 < n; i += 2) {
            uint64_t v = src[i], w = src[i + 1];
            dst[c[(v >> s) & 0x7ff]++] = v;
            dst[c[(w >> s) & 0x7ff]++] = w;
        }
        if (i < n)
            dst[c[(src[i] >> s) & 0x7ff]++] = src[i];
        uint64_t *t = src;
        src = dst;
        dst = t;
    }
    return src;
}

/* Entries past which book_sort_radix splits by the top digit first. */
#define BOOK_SORT_MSD 65536u

/*
 * Stable sort of m entries of one top digit by bits 32 to 53, src to dst
 * and back as the passes go; returns whichever holds the result. 8 bits a
 * pass for a small bucket (its counts cost less than its entries), 11
 * above; a pass where every entry shares the digit is skipped.
 */
static uint64_t *
book_sort_bucket(uint64_t *src, uint64_t *dst, uint32_t m)
{
    static const unsigned s8[3] = {32, 40, 48}, s11[2] = {32, 43};
    bool wide = m >= 4096;
    const unsigned *shift = wide ? s11 : s8;
    unsigned np = wide ? 2 : 3;
    uint64_t mask = wide ? 0x7ff : 0xff;
    uint32_t cnt[BOOK_SORT_DIGITS];

    if (m < 24) {
        /* insertion by prefix: stable */
        for (uint32_t i = 1; i < m; i++) {
            uint64_t v = src[i];
            uint32_t j = i;
            while (j > 0 && (src[j - 1] >> 32) > (v >> 32)) {
                src[j] = src[j - 1];
                j--;
            }
            src[j] = v;
        }
        return src;
    }
    for (unsigned p = 0; p < np; p++) {
        unsigned s = shift[p];
        uint32_t nd = (uint32_t)mask + 1, sum = 0;
        memset(cnt, 0, nd * sizeof *cnt);
        for (uint32_t i = 0; i < m; i++)
            cnt[(src[i] >> s) & mask]++;
        if (cnt[(src[0] >> s) & mask] == m)
            continue;
        for (uint32_t d = 0; d < nd; d++) {
            uint32_t x = cnt[d];
            cnt[d] = sum;
            sum += x;
        }
        for (uint32_t i = 0; i < m; i++)
            dst[cnt[(src[i] >> s) & mask]++] = src[i];
        uint64_t *t = src;
        src = dst;
        dst = t;
    }
    return src;
}

/*
 * book_sort_radix for many entries: one scatter by the top digit (bits 54
 * to 63), then each bucket sorted by the rest of the prefix while it sits
 * in the caches, where the three passes over all would each go to memory.
 * The result is in tmp, returned; NULL where one digit holds half of them
 * or more (that bucket would not sit in the caches: a untouched).
 */
static uint64_t *
book_sort_radix_msd(uint64_t *a, uint64_t *tmp, uint32_t n)
{
    uint32_t start[1025], pos[1024];

    memset(start, 0, sizeof start);
    for (uint32_t i = 0; i < n; i++)
        start[(a[i] >> 54) + 1]++;
    for (unsigned d = 0; d < 1024; d++)
        if (start[d + 1] > n / 2)
            return NULL;
    for (unsigned d = 0; d < 1024; d++) {
        start[d + 1] += start[d];
        pos[d] = start[d];
    }
    for (uint32_t i = 0; i < n; i++)
        tmp[pos[a[i] >> 54]++] = a[i];
    for (unsigned d = 0; d < 1024; d++) {
        uint32_t lo = start[d], m = start[d + 1] - lo;
        if (m < 2)
            continue;
        uint64_t *r = book_sort_bucket(tmp + lo, a + lo, m);
        if (r != tmp + lo)
            memcpy(tmp + lo, r, (size_t)m * sizeof *r);
    }
    return tmp;
}

/*
 * Put a run of n entries sharing one prefix in full order. Long runs (ids
 * sharing their first bytes, say) are sorted by the low half of their keys
 * first, so that the full comparison only sees equal keys; below
 * BOOK_SORT_RUN_RADIX entries the radix's histograms would cost more.
 */
static void
book_sort_run(const struct book *b, uint64_t *a, uint64_t *tmp, uint32_t n)
{
    if (n <= BOOK_SORT_RUN_RADIX) {
        book_sort_msort(b, a, tmp, n);
        return;
    }
    uint64_t hi = a[0] & ~0xffffffffULL;
    for (uint32_t k = 0; k < n; k++) {
        uint32_t idx = (uint32_t)a[k];
        a[k] = (b->key[idx] << 32) | idx;
    }
    uint64_t *s = book_sort_radix(a, tmp, n);
    if (s != a)
        memcpy(a, s, (size_t)n * sizeof *a);
    for (uint32_t k = 0; k < n; k++)
        a[k] = hi | (uint32_t)a[k];
    for (uint32_t i = 0; i < n;) {
        uint32_t j = i + 1;
        while (j < n && b->key[(uint32_t)a[j]] == b->key[(uint32_t)a[i]])
            j++;
        if (j - i > 1)
            book_sort_msort(b, a + i, tmp, j - i);
        i = j;
    }
}

/*
 * Sort the n entries of a by the full order: by prefix, then runs of equal
 * prefixes by the full comparison. tmp holds n entries. Returns a or tmp,
 * whichever holds the result.
 */
uint64_t *
book_sort_entries(const struct book *b, uint64_t *a, uint64_t *tmp, uint32_t n)
{
    uint64_t *s = n >= BOOK_SORT_MSD ? book_sort_radix_msd(a, tmp, n) : NULL;
    if (s == NULL)
        s = book_sort_radix(a, tmp, n);
    uint64_t *t = s == a ? tmp : a;

    /* Runs of one prefix are rare: a plain step over neighbours, the run's
     * end searched for only where one starts. */
    for (uint32_t i = 0; i + 1 < n; i++) {
        if ((s[i] ^ s[i + 1]) >> 32 != 0)
            continue;
        uint32_t j = i + 2;
        while (j < n && (s[j] ^ s[i]) >> 32 == 0)
            j++;
        book_sort_run(b, s + i, t + i, j - i);
        i = j - 1;
    }
    return s;
}

/*
 * One merge of sorted x[0, nx) and y[0, ny) into out, run from both ends:
 * the front fills out[0, h), the back out[h, nx + ny).
 */
struct book_sort_mg {
    const uint64_t *x, *y;
    uint64_t *out;
    uint32_t i, j, k;    /* front: next to take, next out */
    uint32_t ib, jb, kb; /* back: ends, exclusive */
    uint32_t h;
};

static void
book_sort_mg_init(struct book_sort_mg *m, const uint64_t *x, uint32_t nx,
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
book_sort_mg_room(const struct book_sort_mg *m)
{
    return m->k < m->h && m->i < m->ib && m->j < m->jb;
}

/* A step at each end by the full order, where there is room. */
static void
book_sort_mg_exact(const struct book *b, struct book_sort_mg *m)
{
    if (book_sort_mg_room(m)) {
        uint64_t ex = m->x[m->i], ey = m->y[m->j];
        bool ty = book_sort_before(b, ey, ex);
        m->out[m->k++] = ty ? ey : ex;
        m->j += ty;
        m->i += !ty;
    }
    if (book_sort_mg_room(m)) {
        uint64_t fx = m->x[m->ib - 1], fy = m->y[m->jb - 1];
        bool uy = book_sort_before(b, fx, fy);
        m->out[--m->kb] = uy ? fy : fx;
        m->jb -= uy;
        m->ib -= !uy;
    }
}

/* The rest of a merge, front then back, by the full order. */
static void
book_sort_mg_finish(const struct book *b, struct book_sort_mg *m)
{
    while (m->k < m->h) {
        if (m->j < m->jb &&
            (m->i == m->ib || book_sort_before(b, m->y[m->j], m->x[m->i])))
            m->out[m->k++] = m->y[m->j++];
        else
            m->out[m->k++] = m->x[m->i++];
    }
    while (m->kb > m->h) {
        if (m->jb > m->j &&
            (m->ib == m->i ||
             book_sort_before(b, m->x[m->ib - 1], m->y[m->jb - 1])))
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
book_sort_mg_run(struct book_sort_mg *m, struct book_sort_mg *n)
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
void
book_sort_merge(const struct book *b, const uint64_t *x, uint32_t nx,
                const uint64_t *y, uint32_t ny, uint64_t *out)
{
    uint32_t sx = nx / 2, lo = 0, hi = ny;
    struct book_sort_mg m1, m2;

    /* One side empty (a tick that moves the same positions as the last):
     * a copy. */
    if (nx == 0 || ny == 0) {
        if (nx + ny > 0)
            memcpy(out, nx == 0 ? y : x, (size_t)(nx + ny) * sizeof *out);
        return;
    }
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (book_sort_before(b, y[mid], x[sx]))
            lo = mid + 1;
        else
            hi = mid;
    }
    book_sort_mg_init(&m1, x, sx, y, lo, out);
    book_sort_mg_init(&m2, x + sx, nx - sx, y + lo, ny - lo, out + sx + lo);
    while (book_sort_mg_room(&m1) && book_sort_mg_room(&m2)) {
        book_sort_mg_run(&m1, &m2);
        book_sort_mg_exact(b, &m1);
        book_sort_mg_exact(b, &m2);
    }
    book_sort_mg_finish(b, &m1);
    book_sort_mg_finish(b, &m2);
}
