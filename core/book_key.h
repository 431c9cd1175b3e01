/*
 * book_key.h: each position's rank key and the record of changed keys that
 * valuation leaves for the ranking: the queue of positions to (re)place,
 * with the prefix of their old place, the bit map of queued positions and
 * the bit map of those whose place is the ranking's overlay (which the
 * ranking sets and clears). Valuation (book_calc.c) writes keys here after
 * every account it stores; the ranking (book_rank.c, book_sort.c) reads
 * and drains them. Below both: it calls neither, and knows a position's
 * health only as the figure it is handed. Pure: no I/O, no clock.
 * Its memory is struct book's (book_int.h), released by book_free.
 */
#ifndef LIQTOP_BOOK_KEY_H
#define LIQTOP_BOOK_KEY_H

#include "core/book_int.h"

/* Position idx's account changed (fresh: it has no place yet; hf_moved:
 * its exact health moved, whatever its key does); hf: its health, read
 * only when it is priced with debt. */
void book_key_rekey(struct book *b, uint32_t idx, bool fresh, bool hf_moved,
                    struct u256 hf);
/* Room in the queue for n more positions (book_update, before a tick:
 * one allocation, not a doubling at every few pushes). */
void book_key_reserve(struct book *b, size_t n);
/* The moved and overlay bit maps cover positions [0, n). */
void book_key_moved_grow(struct book *b, size_t n);

/*
 * Rank keys and the queue, inline: the tick runs them for every holder,
 * where a call into book_key.c costs as much as the work.
 */
/*
 * The health part of a rank key (62 bits) is a 4-bit code, then 58 bits of
 * payload. Codes 1 to 14 are the bit lengths BOOK_KEY_WIN_LO and up, where
 * health factors live (a WAD factor of 1.0 is 60 bits long): their payload
 * is the 58 bits after the leading one. Code 0 holds shorter factors, its
 * payload the bit length (6 bits) and the 52 bits after the leading one;
 * code 15 longer ones, the bit length less the window's end (8 bits) and
 * 50 bits. So the prefix (the key's top 32 bits) keeps 26 bits after the
 * leading one of usual factors, and they seldom share one.
 */
#define BOOK_KEY_WIN_LO 57u
#define BOOK_KEY_WIN_N 14u
#define BOOK_KEY_PAYLOAD 58u

/* The key of a health factor whose highest nonzero word is top, at bit
 * base, low the word below it (0 when none). */
static inline uint64_t
book_key_hf_bits(uint64_t top, uint64_t low, unsigned base)
{
    unsigned hi = BOOK_KEY_WIN_LO + BOOK_KEY_WIN_N;
    /* n bits long; x: its top 64 bits, the leading one at bit 63 */
    unsigned z = (unsigned)__builtin_clzll(top);
    unsigned n = base + 64 - z;
    uint64_t x = top << z;
    if (z != 0)
        x |= low >> (64 - z);
    x <<= 1; /* the bits after the leading one, left-aligned */
    if (n < BOOK_KEY_WIN_LO)
        return ((uint64_t)n << 52) | (x >> 12);
    if (n < hi)
        return ((uint64_t)(n - BOOK_KEY_WIN_LO + 1) << BOOK_KEY_PAYLOAD) |
               (x >> (64 - BOOK_KEY_PAYLOAD));
    return (15ULL << BOOK_KEY_PAYLOAD) | ((uint64_t)(n - hi) << 50) | (x >> 14);
}

/* The same image of a health factor within 128 bits. */
static inline uint64_t
book_key_hf128(u128 hf)
{
    uint64_t hi = (uint64_t)(hf >> 64), lo = (uint64_t)hf;

    if (hi != 0)
        return book_key_hf_bits(hi, lo, 64);
    return lo != 0 ? book_key_hf_bits(lo, 0, 0) : 0;
}

/* The ranking entry of position idx under its current key. */
static inline uint64_t
book_key_entry(const struct book *b, uint32_t idx)
{
    return (b->key[idx] & ~0xffffffffULL) | idx;
}

static inline void
book_key_push(struct book *b, uint32_t idx, uint32_t oldprefix)
{
    if (b->nmv == b->capmv)
        book_key_reserve(b, 1);
    b->mv[b->nmv] = book_key_entry(b, idx);
    b->mvold[b->nmv] = oldprefix;
    b->nmv++;
}

static inline void
book_key_cover(struct book *b, size_t n)
{
    if ((n + 63) / 64 > b->nmovedw)
        book_key_moved_grow(b, n);
}

static inline bool
book_key_in_ov(const struct book *b, uint32_t idx)
{
    return idx / 64 < b->nmovedw && ((b->inov[idx / 64] >> (idx % 64)) & 1);
}

/* Queue idx, which has a place (in rank or the overlay), with the prefix
 * of that place; counted in nagain when the place is the overlay's. */
static inline void
book_key_queue(struct book *b, uint32_t idx, uint32_t oldprefix)
{
    book_key_cover(b, (size_t)idx + 1);
    b->moved[idx / 64] |= 1ULL << (idx % 64);
    b->nagain += book_key_in_ov(b, idx);
    book_key_push(b, idx, oldprefix);
}

/*
 * book_key_rekey for the tick's common case: idx had a place, was priced
 * with debt and still is, and its new health hf fits 128 bits. Its key
 * comes straight from the health, without the health cache (which forgets
 * idx).
 */
static inline __attribute__((always_inline)) void
book_key_rekey_hf128(struct book *b, uint32_t idx, u128 hf, bool hf_moved)
{
    uint64_t oldkey = b->key[idx];
    uint64_t key = ((uint64_t)BOOK_CLASS_DEBT << 62) | book_key_hf128(hf);

    if (b->hfc_idx == idx)
        b->hfc_idx = UINT32_MAX;
    b->key[idx] = key;
    if (key != oldkey || hf_moved)
        book_key_queue(b, idx, (uint32_t)(oldkey >> 32));
}

#endif
