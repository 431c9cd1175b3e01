/*
 * book_rank.c: each position's place in the ranking (health ascending,
 * ties by id, positions without debt next, positions without a price last),
 * from the accounts book_calc.c keeps: the rank keys, the queue of moved
 * positions, the repair that places them (moved one by one, merged into
 * an overlay, or merged into the ranking), and the reads by rank and by
 * position. Sorting and merging entries is book_sort.c's. Pure: no I/O,
 * no clock.
 */
#include <stdlib.h>
#include <string.h>

#include "core/book.h"
#include "core/book_int.h"
#include "core/book_key.h"
#include "core/health.h"
#include "core/liq.h"

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
                book_sort_cmp(b, o, eidx) < 0)
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
 * small enough to stay in cache) and, with ov, the dead places of the
 * overlay's, in place. Returns the entries left.
 */
static uint32_t
book_rank_compact(const struct book *b, uint64_t *a, uint32_t n, bool ov)
{
    const uint64_t *moved = b->moved, *inov = b->inov;
    uint64_t use_ov = ov ? ~0ULL : 0;
    uint32_t k = 0;

    for (uint32_t i = 0; i < n; i++) {
        uint64_t e = a[i];
        uint32_t w = (uint32_t)e / 64, bit = (uint32_t)e % 64;
        a[k] = e;
        k += (uint32_t)(~(moved[w] | (inov[w] & use_ov)) >> bit) & 1u;
    }
    return k;
}

/* Drop from ov the entries of positions queued again (moved), in place;
 * returns the entries left. */
static uint32_t
book_rank_ov_filter(struct book *b)
{
    const uint64_t *moved = b->moved;
    uint32_t k = 0;

    if (b->nagain == b->nov) /* all of it (a tick like the last) */
        return 0;
    for (uint32_t i = 0; i < b->nov; i++) {
        uint64_t e = b->ov[i];
        uint32_t ei = (uint32_t)e;
        b->ov[k] = e;
        k += (uint32_t)(~moved[ei / 64] >> (ei % 64)) & 1u;
    }
    return k;
}

/*
 * Whether the queue's n positions can go to the overlay: no fresh
 * positions, and the overlay would then hold at most half the book,
 * beyond which one merge into rank costs less than reading around it.
 */
static bool
book_rank_ov_fits(const struct book *b, uint32_t n)
{
    if (b->nfresh != 0 || b->nrank == 0)
        return false;
    return (uint64_t)b->nov - b->nagain + n <= b->nrank / 2;
}

/* The positions of mv[0, n), now in the overlay: their places in rank are
 * dead. They die only for positions new to the overlay: when a tick moves
 * the same positions as the last, the map still holds. */
static void
book_rank_ov_mark(struct book *b, const uint64_t *mv, uint32_t n)
{
    for (uint32_t j = 0; j < n; j++) {
        uint32_t p = (uint32_t)mv[j];
        uint64_t bit = 1ULL << (p % 64);
        if (!(b->inov[p / 64] & bit)) {
            b->inov[p / 64] |= bit;
            b->rdead_ok = false;
        }
    }
}

/* The sorted queue mv[0, n) into the overlay: the entries it replaces
 * dropped, the rest merged with it, its positions' places in rank dead. */
static void
book_rank_ov_add(struct book *b, const uint64_t *mv, uint32_t n)
{
    uint32_t keep = book_rank_ov_filter(b);

    /* Nothing kept (a tick that moves the same positions as the last): the
     * queue's buffer becomes the overlay, the overlay's the queue's, each
     * capacity then the smaller of the two buffers' (they grow alike). */
    if (keep == 0 && (mv == b->mv || mv == b->mv2)) {
        uint64_t **q = mv == b->mv ? &b->mv : &b->mv2;
        uint32_t cap = b->capov < b->capmv ? b->capov : b->capmv;
        uint64_t *buf = *q; /* mv */
        *q = b->ov;
        b->ov = buf;
        b->capov = cap;
        b->capmv = cap;
        b->nov = n;
        book_rank_ov_mark(b, mv, n);
        return;
    }
    if (keep + n > b->capov) {
        uint32_t cap = b->capov == 0 ? 1024 : b->capov;
        while (cap < keep + n)
            cap = cap > UINT32_MAX / 2 ? keep + n : cap * 2;
        b->ov = book_xrealloc(b->ov, cap * sizeof *b->ov);
        free(b->ov2);
        b->ov2 = book_xmalloc(cap * sizeof *b->ov2);
        b->capov = cap;
    }
    book_sort_merge(b, b->ov, keep, mv, n, b->ov2);
    uint64_t *t = b->ov;
    b->ov = b->ov2;
    b->ov2 = t;
    b->nov = keep + n;
    book_rank_ov_mark(b, mv, n);
}

/*
 * The overlay back into the queue mv[0, *n), sorted, for a merge into rank:
 * its entries not queued again merged with mv into the queue's other
 * buffer (room made by the caller), which is returned. The caller drops
 * their places in rank (book_rank_compact with ov) and then clears inov.
 */
static uint64_t *
book_rank_ov_fold(struct book *b, uint64_t *mv, uint32_t *n)
{
    uint32_t keep = book_rank_ov_filter(b);
    uint64_t *out = mv == b->mv ? b->mv2 : b->mv;

    book_sort_merge(b, b->ov, keep, mv, *n, out);
    *n += keep;
    b->nov = 0;
    return out;
}

/* Clear the moved bits of the queue mv[0, n): one by one when few, else
 * all. */
static void
book_rank_moved_clear(struct book *b, const uint64_t *mv, uint32_t n)
{
    if (n < b->nmovedw / 8) {
        for (uint32_t j = 0; j < n; j++) {
            uint32_t p = (uint32_t)mv[j];
            if (p / 64 < b->nmovedw)
                b->moved[p / 64] &= ~(1ULL << (p % 64));
        }
    } else if (b->nmovedw > 0) {
        memset(b->moved, 0, b->nmovedw * sizeof *b->moved);
    }
}

/*
 * Repair the ranking after book_key_rekey(): the queued positions are
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
    b->cur_ok = false;
    /* A few moved positions: each moves over the ranks it passes. */
    if (b->nov == 0 && b->nfresh == 0 && b->nrank > 0 && nmv <= b->nrank / 64) {
        b->rdead_ok = false;
        uint32_t done = book_rank_move_few(b);
        if (done == nmv) {
            b->nmv = 0;
            b->nagain = 0;
            return;
        }
        memmove(b->mv, b->mv + done, (size_t)(nmv - done) * sizeof *b->mv);
        nmv -= done;
        b->nmv = nmv;
    }
    /* Whether the queue goes to the overlay is known before it is sorted;
     * when the overlay folds into the queue, the queue needs its room. */
    bool to_ov = book_rank_ov_fits(b, nmv);
    bool fold = !to_ov && b->nov > 0;
    if (fold)
        book_key_reserve(b, b->nov);
    uint64_t *mv = book_sort_entries(b, b->mv, b->mv2, nmv);
    if (to_ov) {
        book_rank_ov_add(b, mv, nmv);
        book_rank_moved_clear(b, mv, nmv);
        b->nmv = 0;
        b->nagain = 0;
        return;
    }
    b->rdead_ok = false; /* rank itself changes */
    if (fold)
        mv = book_rank_ov_fold(b, mv, &nmv);
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
    book_key_cover(b, b->nrank);
    uint32_t nkeep = book_rank_compact(b, b->rank, b->nrank, fold);
    book_sort_merge(b, b->rank, nkeep, mv, nmv, b->rank2);
    uint32_t k = nkeep + nmv;
    book_rank_moved_clear(b, mv, nmv);
    if (fold)
        memset(b->inov, 0, b->nmovedw * sizeof *b->inov);
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
    b->nagain = 0;
    b->nfresh = 0;
}

/*
 * Reads through the overlay. Rank's dead places are found once after a
 * repair (one pass over rank, reading the overlay's bit map); a rank is
 * then the r-th of the two sorted lists, found by a binary search over the
 * overlay, each step counting rank's live places before an overlay entry
 * by a binary search there. Reads in sequence step from the last one.
 */
static void
book_rank_ov_index(struct book *b)
{
    size_t nw = ((size_t)b->nrank + 63) / 64;
    uint32_t live = 0;

    book_key_cover(b, b->nrank); /* inov read for every place */
    if (nw + 1 > b->caprdw) {
        free(b->rdead);
        free(b->rlive);
        b->rdead = book_xmalloc((nw + 1) * sizeof *b->rdead);
        b->rlive = book_xmalloc((nw + 1) * sizeof *b->rlive);
        b->caprdw = nw + 1;
    }
    for (size_t w = 0; w < nw; w++) {
        uint32_t base = (uint32_t)(w * 64), n = b->nrank - base;
        uint64_t dead = 0;
        n = n > 64 ? 64 : n;
        for (uint32_t t = 0; t < n; t++) {
            uint32_t p = (uint32_t)b->rank[base + t];
            dead |= ((b->inov[p / 64] >> (p % 64)) & 1) << t;
        }
        b->rdead[w] = dead;
        b->rlive[w] = live;
        live += n - (uint32_t)__builtin_popcountll(dead);
    }
    b->rlive[nw] = live;
    b->rdead_ok = true;
}

static bool
book_rank_dead(const struct book *b, uint32_t q)
{
    return (b->rdead[q / 64] >> (q % 64)) & 1;
}

/* Live places in rank before place q. */
static uint32_t
book_rank_live_upto(const struct book *b, uint32_t q)
{
    uint32_t w = q / 64, t = q % 64;
    uint64_t below = t == 0 ? 0 : b->rdead[w] & (~0ULL >> (64 - t));

    if (t == 0)
        return b->rlive[w];
    return b->rlive[w] + t - (uint32_t)__builtin_popcountll(below);
}

/* The place of rank's live entry number t (from 0), nrank past the last. */
static uint32_t
book_rank_live_select(const struct book *b, uint32_t t)
{
    uint32_t nw = (b->nrank + 63) / 64, lo = 0, hi = nw;

    if (t >= b->rlive[nw])
        return b->nrank;
    while (hi - lo > 1) { /* the last word with rlive <= t */
        uint32_t mid = lo + (hi - lo) / 2;
        if (b->rlive[mid] <= t)
            lo = mid;
        else
            hi = mid;
    }
    uint64_t live = ~b->rdead[lo];
    for (uint32_t k = t - b->rlive[lo]; k > 0; k--)
        live &= live - 1;
    return lo * 64 + (uint32_t)__builtin_ctzll(live);
}

/* The next live place after q (nrank past the last). */
static uint32_t
book_rank_live_next(const struct book *b, uint32_t q)
{
    for (q++; q < b->nrank; q++)
        if (!book_rank_dead(b, q))
            return q;
    return b->nrank;
}

/* Live entries of rank before entry e (current, not a live one of rank):
 * those of smaller prefixes, then those of e's prefix before it. */
static uint32_t
book_rank_live_before(const struct book *b, uint64_t e)
{
    uint32_t pre = (uint32_t)(e >> 32), q = book_rank_lower(b, pre);
    uint32_t n = book_rank_live_upto(b, q);

    for (; q < b->nrank && (uint32_t)(b->rank[q] >> 32) == pre; q++)
        n += !book_rank_dead(b, q) && book_sort_before(b, b->rank[q], e);
    return n;
}

/* The first of the sorted a[0, n) not before e (every entry current). */
static uint32_t
book_rank_lower_entry(const struct book *b, const uint64_t *a, uint32_t n,
                      uint64_t e)
{
    uint32_t lo = 0, hi = n;

    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (book_sort_before(b, a[mid], e))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The cursor's rank is whichever of ov[cur_j] and rank[cur_q] comes
 * first. */
static uint32_t
book_rank_cur_pick(struct book *b)
{
    b->cur_ov = b->cur_j < b->nov &&
                (b->cur_q >= b->nrank ||
                 book_sort_before(b, b->ov[b->cur_j], b->rank[b->cur_q]));
    b->cur_ok = true;
    return (uint32_t)(b->cur_ov ? b->ov[b->cur_j] : b->rank[b->cur_q]);
}

static uint32_t
book_rank_ov_at(struct book *b, uint32_t r)
{
    if (!b->rdead_ok)
        book_rank_ov_index(b);
    if (b->cur_ok && r == b->cur_r)
        return (uint32_t)(b->cur_ov ? b->ov[b->cur_j] : b->rank[b->cur_q]);
    if (b->cur_ok && r == b->cur_r + 1) {
        if (b->cur_ov)
            b->cur_j++;
        else
            b->cur_q = book_rank_live_next(b, b->cur_q);
        b->cur_r = r;
        return book_rank_cur_pick(b);
    }
    /* j: how many of the first r are overlay entries, the least j whose
     * entry has r or more before it */
    uint32_t lo = 0, hi = b->nov;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (mid + book_rank_live_before(b, b->ov[mid]) < r)
            lo = mid + 1;
        else
            hi = mid;
    }
    b->cur_r = r;
    b->cur_j = lo;
    b->cur_q = book_rank_live_select(b, r - lo);
    return book_rank_cur_pick(b);
}

uint32_t
book_rank_at(struct book *b, uint32_t rank)
{
    if (rank >= b->nrank)
        return UINT32_MAX;
    if (b->nov > 0)
        return book_rank_ov_at(b, rank);
    return (uint32_t)b->rank[rank];
}

/* Binary searches on the ranking's total order: no inverse to keep. */
uint32_t
book_rank_of(struct book *b, uint32_t idx)
{
    if (idx >= b->nrank)
        return UINT32_MAX;
    uint64_t want = book_key_entry(b, idx);
    if (b->nov > 0) {
        if (!b->rdead_ok)
            book_rank_ov_index(b);
        uint32_t j = book_rank_lower_entry(b, b->ov, b->nov, want);
        if (book_key_in_ov(b, idx))
            return j < b->nov && (uint32_t)b->ov[j] == idx
                       ? j + book_rank_live_before(b, want)
                       : UINT32_MAX;
        /* live in rank: its place among its prefix's */
        uint32_t q = book_rank_lower(b, (uint32_t)(want >> 32));
        while (q < b->nrank &&
               (uint32_t)(b->rank[q] >> 32) == (uint32_t)(want >> 32) &&
               (uint32_t)b->rank[q] != idx)
            q++;
        if (q == b->nrank || (uint32_t)b->rank[q] != idx)
            return UINT32_MAX;
        return book_rank_live_upto(b, q) + j;
    }
    uint32_t lo = book_rank_lower_entry(b, b->rank, b->nrank, want);
    return lo < b->nrank && (uint32_t)b->rank[lo] == idx ? lo : UINT32_MAX;
}
