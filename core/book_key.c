/*
 * book_key.c: rank keys from a health factor or an id, and the memory of
 * the queue of changed keys (book_key.h). Calls no other book layer but
 * storage's allocators. Pure: no I/O, no clock.
 */
#include <stdlib.h>
#include <string.h>

#include "core/book_key.h"

/* A monotone 62-bit image of a health factor (book_int.h). Equal images
 * need the exact comparison; different ones order as the factors do. */
static uint64_t
book_key_hf(struct u256 hf)
{
    /* Words by name, not by a computed index: hf comes in registers. */
    if (hf.w[3] != 0)
        return book_key_hf_bits(hf.w[3], hf.w[2], 192);
    if (hf.w[2] != 0)
        return book_key_hf_bits(hf.w[2], hf.w[1], 128);
    if (hf.w[1] != 0)
        return book_key_hf_bits(hf.w[1], hf.w[0], 64);
    if (hf.w[0] != 0)
        return book_key_hf_bits(hf.w[0], 0, 0);
    return 0;
}

/*
 * Positions without debt or without a price rank by id alone: their key
 * carries the id's first bytes (big-endian, so byte order is kept), and
 * only ids sharing those bytes need the full comparison.
 */
static uint64_t
book_key_id(const char *id)
{
    uint64_t v = 0;
    unsigned i = 0;

    for (; i < 8 && id[i] != '\0'; i++)
        v = (v << 8) | (unsigned char)id[i];
    v <<= 8 * (8 - i);
    return v >> 2;
}

/* Room in the queue for n more. */
void
book_key_reserve(struct book *b, size_t n)
{
    if (b->nmv + n <= b->capmv)
        return;
    size_t cap = b->capmv == 0 ? 1024 : b->capmv;
    while (cap < b->nmv + n)
        cap *= 2;
    b->mv = book_xrealloc(b->mv, cap * sizeof *b->mv);
    b->mv2 = book_xrealloc(b->mv2, cap * sizeof *b->mv2);
    b->mvold = book_xrealloc(b->mvold, cap * sizeof *b->mvold);
    b->capmv = (uint32_t)cap;
}

/* The moved and overlay bit maps cover positions [0, n). */
void
book_key_moved_grow(struct book *b, size_t n)
{
    size_t w = (n + 63) / 64;

    w = ((size_t)b->cappos + 63) / 64 > w ? ((size_t)b->cappos + 63) / 64 : w;
    b->moved = book_xrealloc(b->moved, w * sizeof *b->moved);
    memset(b->moved + b->nmovedw, 0, (w - b->nmovedw) * sizeof *b->moved);
    b->inov = book_xrealloc(b->inov, w * sizeof *b->inov);
    memset(b->inov + b->nmovedw, 0, (w - b->nmovedw) * sizeof *b->inov);
    b->nmovedw = w;
}

/*
 * Position idx's account changed (book_calc.c): its key follows, and it is
 * queued for book_rank_repair() when its order may have changed (its key,
 * or its exact health under an equal key).
 */
void
book_key_rekey(struct book *b, uint32_t idx, bool fresh, bool hf_moved,
               struct u256 hf)
{
    uint64_t oldkey = b->key[idx];
    uint8_t f = b->pflags[idx];
    uint64_t cls = (f & BOOK_P_EMPTY)     ? BOOK_CLASS_EMPTY
                   : !(f & BOOK_P_PRICED) ? BOOK_CLASS_UNPRICED
                   : (f & BOOK_P_DEBT)    ? BOOK_CLASS_DEBT
                                          : BOOK_CLASS_NODEBT;

    if (cls == BOOK_CLASS_DEBT)
        b->key[idx] = (cls << 62) | book_key_hf(hf);
    else if (fresh || oldkey >> 62 != cls) /* else the id's key stays */
        b->key[idx] = (cls << 62) | book_key_id(b->pid[idx]);
    if (fresh) {
        b->nfresh++;
        book_key_push(b, idx, 0);
    } else if (b->key[idx] != oldkey || hf_moved) {
        book_key_queue(b, idx, (uint32_t)(oldkey >> 32));
    }
}
