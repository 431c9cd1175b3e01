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

/* 64 bits of v starting at bit k. */
static uint64_t
book_rank_bits_at(struct u256 v, unsigned k)
{
    unsigned word = k / 64, off = k % 64;
    uint64_t r = v.w[word] >> off;

    if (off != 0 && word + 1 < 4)
        r |= v.w[word + 1] << (64 - off);
    return r;
}

/*
 * A monotone 62-bit image of a health factor: its bit length, then its 53
 * leading bits. Equal keys need the exact comparison; different keys order
 * as the factors do.
 */
static uint64_t
book_rank_hf_key(struct u256 hf)
{
    unsigned n = u256_bits(hf);
    uint64_t mant;

    if (n <= 53)
        mant = hf.w[0];
    else
        mant = book_rank_bits_at(hf, n - 53) & ((1ULL << 53) - 1);
    return ((uint64_t)n << 53) | mant;
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

static void
book_rank_mv_push(struct book *b, uint32_t idx, uint64_t oldkey)
{
    if (b->nmv == b->capmv) {
        uint32_t cap = b->capmv == 0 ? 1024 : b->capmv * 2;
        b->mv = book_xrealloc(b->mv, cap * sizeof *b->mv);
        b->mv2 = book_xrealloc(b->mv2, cap * sizeof *b->mv2);
        b->mvold = book_xrealloc(b->mvold, cap * sizeof *b->mvold);
        b->capmv = cap;
    }
    b->mv[b->nmv].key = b->key[idx];
    b->mv[b->nmv].idx = idx;
    b->mv[b->nmv].pad = 0;
    b->mvold[b->nmv] = oldkey;
    b->nmv++;
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

    if (!(f & BOOK_P_PRICED))
        b->key[idx] = ((uint64_t)BOOK_CLASS_UNPRICED << 62) |
                      book_rank_id_key(b->pid[idx]);
    else if (f & BOOK_P_DEBT)
        b->key[idx] = ((uint64_t)BOOK_CLASS_DEBT << 62) |
                      book_rank_hf_key(book_calc_hf(b, idx));
    else
        b->key[idx] =
            ((uint64_t)BOOK_CLASS_NODEBT << 62) | book_rank_id_key(b->pid[idx]);
    if (fresh) {
        b->nfresh++;
        book_rank_mv_push(b, idx, 0);
    } else if (b->key[idx] != oldkey || hf_moved) {
        size_t w = idx / 64;
        if (w >= b->nmovedw) {
            size_t nw = ((size_t)b->cappos + 63) / 64;
            b->moved = book_xrealloc(b->moved, nw * sizeof *b->moved);
            memset(b->moved + b->nmovedw, 0,
                   (nw - b->nmovedw) * sizeof *b->moved);
            b->nmovedw = nw;
        }
        b->moved[w] |= 1ULL << (idx % 64);
        book_rank_mv_push(b, idx, oldkey);
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

/* Entry order: keys first (inline), the full comparison on equal keys. */
static int
book_rank_ecmp(const struct book *b, const struct book_rent *x,
               const struct book_rent *y)
{
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return book_rank_cmp(b, x->idx, y->idx);
}

/* Merge sort by the full order, for runs of equal keys. */
static void
book_rank_msort(const struct book *b, struct book_rent *a,
                struct book_rent *tmp, uint32_t n)
{
    if (n <= 16) {
        for (uint32_t k = 1; k < n; k++) {
            struct book_rent v = a[k];
            uint32_t m = k;
            while (m > 0 && book_rank_ecmp(b, &a[m - 1], &v) > 0) {
                a[m] = a[m - 1];
                m--;
            }
            a[m] = v;
        }
        return;
    }
    uint32_t h = n / 2, i = 0, j = h, k = 0;
    book_rank_msort(b, a, tmp, h);
    book_rank_msort(b, a + h, tmp, n - h);
    if (book_rank_ecmp(b, &a[h - 1], &a[h]) <= 0)
        return;
    memcpy(tmp, a, h * sizeof *a);
    while (i < h && j < n) {
        if (book_rank_ecmp(b, &a[j], &tmp[i]) < 0)
            a[k++] = a[j++];
        else
            a[k++] = tmp[i++];
    }
    while (i < h)
        a[k++] = tmp[i++];
}

/*
 * Sort n entries: LSD radix on the 64-bit key, 16 bits a pass, skipping
 * passes where every key shares the digit; then runs of equal keys are
 * put in full order (health, then id). tmp holds n entries.
 */
static void
book_rank_sort_entries(const struct book *b, struct book_rent *a,
                       struct book_rent *tmp, uint32_t n)
{
    uint32_t *cnt = book_xmalloc(65536 * sizeof *cnt);

    for (unsigned shift = 0; shift < 64; shift += 16) {
        memset(cnt, 0, 65536 * sizeof *cnt);
        for (uint32_t i = 0; i < n; i++)
            cnt[(a[i].key >> shift) & 0xffff]++;
        if (n == 0 || cnt[(a[0].key >> shift) & 0xffff] == n)
            continue;
        uint32_t sum = 0;
        for (uint32_t d = 0; d < 65536; d++) {
            uint32_t c = cnt[d];
            cnt[d] = sum;
            sum += c;
        }
        for (uint32_t i = 0; i < n; i++)
            tmp[cnt[(a[i].key >> shift) & 0xffff]++] = a[i];
        memcpy(a, tmp, (size_t)n * sizeof *a);
    }
    free(cnt);
    for (uint32_t i = 0; i < n;) {
        uint32_t j = i + 1;
        while (j < n && a[j].key == a[i].key)
            j++;
        if (j - i > 1)
            book_rank_msort(b, a + i, tmp, j - i);
        i = j;
    }
}

static bool
book_rank_is_moved(const struct book *b, uint32_t idx)
{
    return idx / 64 < b->nmovedw && ((b->moved[idx / 64] >> (idx % 64)) & 1);
}

/* First place whose inline key is not below key. */
static uint32_t
book_rank_lower(const struct book *b, uint64_t key)
{
    uint32_t lo = 0, hi = b->nrank;

    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (b->rank[mid].key < key)
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
 * keys throughout (a queued position keeps its old key until it moves), so
 * the searches are exact; within a run of equal keys the places of queued
 * positions are skipped. Returns how many of the queue were placed.
 */
static uint32_t
book_rank_move_few(struct book *b)
{
    uint64_t budget = b->nrank, spent = 0;
    uint32_t j;

    for (j = 0; j < b->nmv; j++) {
        const struct book_rent e = b->mv[j];
        uint32_t i = book_rank_lower(b, b->mvold[j]);
        while (i < b->nrank && b->rank[i].key == b->mvold[j] &&
               b->rank[i].idx != e.idx)
            i++;
        if (i == b->nrank || b->rank[i].idx != e.idx)
            break; /* not where it should be: let the merge repair it */
        uint32_t t = book_rank_lower(b, e.key);
        for (uint32_t k = t; k < b->nrank && b->rank[k].key == e.key; k++) {
            uint32_t o = b->rank[k].idx;
            if (k != i && !book_rank_is_moved(b, o) &&
                book_rank_cmp(b, o, e.idx) < 0)
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
        b->moved[e.idx / 64] &= ~(1ULL << (e.idx % 64));
    }
    return j;
}

/*
 * Repair the ranking after book_rank_compute(): the queued positions are
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
    book_rank_sort_entries(b, b->mv, b->mv2, nmv);
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
    const struct book_rent *old = b->rank, *mv = b->mv;
    struct book_rent *out = b->rank2;
    uint32_t i = 0, j = 0, k = 0, nold = b->nrank;
    while (i < nold) {
        const struct book_rent *e = &old[i];
        /* A bit map, small enough to stay in cache, says who moved. */
        if (book_rank_is_moved(b, e->idx)) {
            i++;
            continue;
        }
        if (j < nmv && book_rank_ecmp(b, &mv[j], e) < 0) {
            out[k++] = mv[j++];
            continue;
        }
        out[k++] = *e;
        i++;
    }
    while (j < nmv)
        out[k++] = mv[j++];
    for (j = 0; j < nmv; j++) {
        uint32_t p = mv[j].idx;
        if (p / 64 < b->nmovedw)
            b->moved[p / 64] &= ~(1ULL << (p % 64));
    }
    b->rank2 = b->rank;
    b->rank = out;
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
    return b->rank[rank].idx;
}

/* Binary search on the ranking's total order: no inverse to keep. */
uint32_t
book_rank_of(struct book *b, uint32_t idx)
{
    if (b->nrank != b->npos)
        (void)book_update(b);
    if (idx >= b->nrank)
        return UINT32_MAX;
    struct book_rent want = {b->key[idx], idx, 0};
    uint32_t lo = 0, hi = b->nrank;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (book_rank_ecmp(b, &b->rank[mid], &want) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < b->nrank && b->rank[lo].idx == idx ? lo : UINT32_MAX;
}
