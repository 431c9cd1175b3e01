/*
 * book_idtab.c: the book's id table, from a position's id to its index.
 *
 * Linear probing over idtabcap slots (any number; a hash is
 * brought into range by a multiply, not a mask), at most two thirds full,
 * 4 bytes a slot. A slot holds position + 1 in its low idtabbits bits
 * (enough for idtabcap) and, above them, as many bits of the hash's upper
 * half as are left, its tag: probes compare the tag before touching any
 * id text, and a wrong one matches one probe in 2^tagbits. Growing it
 * hashes every id again (a load reserves it once, at its final size).
 * Storage, as book.c (book_int.h): calls book.c's hash and allocator
 * alone, never a layer above. Pure: no I/O.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/book_int.h"
#include "core/liq.h"
size_t
book_idtab_slot(const struct book *b, uint64_t h)
{
    return (size_t)(((uint64_t)(uint32_t)h * b->idtabcap) >> 32);
}

static uint32_t
book_idtab_tag(const struct book *b, uint64_t h)
{
    return (uint32_t)(h >> 32) >> b->idtabbits;
}

void
book_idtab_insert(struct book *b, uint64_t h, uint32_t idx)
{
    size_t i = book_idtab_slot(b, h);

    while (b->idtab[i] != 0)
        i = i + 1 == b->idtabcap ? 0 : i + 1;
    b->idtab[i] = book_idtab_tag(b, h) << b->idtabbits | (idx + 1);
}

/* Position of id (hashed to h) in the id table, as book_position_find. */
int
book_idtab_find(const struct book *b, const char *id, size_t len, uint64_t h,
                uint32_t *out)
{
    if (b->idtabcap == 0)
        return LIQ_ENOENT;
    size_t i = book_idtab_slot(b, h);
    uint32_t tag = book_idtab_tag(b, h);
    uint32_t mask = (uint32_t)(((uint64_t)1 << b->idtabbits) - 1);

    while (b->idtab[i] != 0) {
        uint32_t e = b->idtab[i];
        if (e >> b->idtabbits == tag) {
            uint32_t p = (e & mask) - 1;
            const char *s = b->pid[p];
            if (strncmp(s, id, len) == 0 && s[len] == '\0') {
                *out = p;
                return 0;
            }
        }
        i = i + 1 == b->idtabcap ? 0 : i + 1;
    }
    return LIQ_ENOENT;
}

/* The id table with room for cap slots, every id hashed into it again. */
void
book_idtab_grow(struct book *b, size_t cap)
{
    unsigned bits = 1;

    /* Below 2^31 slots (two thirds of which hold every position the book
     * allows), so that a tag has at least one bit. */
    cap = cap > 0x7fffffffu ? 0x7fffffffu : cap;
    while (((size_t)1 << bits) <= cap)
        bits++;
    free(b->idtab);
    b->idtab = book_xcalloc(cap, sizeof *b->idtab);
    b->idtabcap = cap;
    b->idtabbits = bits;
    for (uint32_t p = 0; p < b->npos; p++)
        book_idtab_insert(b, book_hash(b->pid[p], strlen(b->pid[p])), p);
}
