/*
 * memadvise.c: asks for transparent huge pages on the book's large arrays.
 *
 * A book of a million positions holds some 250 MB; in 4 KB pages that is
 * some 60,000 page faults while it loads, a third of the load time on a
 * virtual machine, and a TLB miss on most positions a tick touches. Where
 * the kernel gives huge pages only on request (transparent_hugepage set to
 * madvise, the common default), this is the request. It is advice: a
 * kernel without huge pages ignores it, and nothing else changes.
 *
 * It also keeps every allocation from 2 MB up (the book's arrays) in a
 * mapping of its own, as glibc does at first: glibc raises that threshold
 * to the size of the first such block freed (a parser's buffer, a grown
 * array's old copy), after which the book's arrays land in the heap, and
 * what the book frees there (its ranking's queue, some 20 bytes a
 * position, once loaded) stays resident instead of going back to the
 * system. A fixed threshold also lets a growing array be moved by the
 * kernel (mremap) rather than copied.
 */
#include "app/memadvise.h"

#include <stdint.h>
#include <sys/mman.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <unistd.h>

#include "core/book.h"

static void
memadvise_huge(void *p, size_t n)
{
#ifdef MADV_HUGEPAGE
    long pg = sysconf(_SC_PAGESIZE);
    uintptr_t a = (uintptr_t)p, page = pg > 0 ? (uintptr_t)pg : 4096;
    uintptr_t start = (a + page - 1) / page * page, end = (a + n) / page * page;

    if (end > start)
        (void)madvise((void *)start, end - start, MADV_HUGEPAGE);
#else
    (void)p;
    (void)n;
#endif
}

/* From this size up an allocation has a mapping of its own. */
#define MEMADVISE_MMAP_MIN (2 << 20)

void
memadvise_install(void)
{
#if defined(__GLIBC__) && defined(M_MMAP_THRESHOLD)
    (void)mallopt(M_MMAP_THRESHOLD, MEMADVISE_MMAP_MIN);
#endif
    book_set_advice(memadvise_huge);
}
