/*
 * memadvise.c: asks for transparent huge pages on the book's large arrays.
 *
 * A book of a million positions holds some 250 MB; in 4 KB pages that is
 * some 60,000 page faults while it loads, a third of the load time on a
 * virtual machine, and a TLB miss on most positions a tick touches. Where
 * the kernel gives huge pages only on request (transparent_hugepage set to
 * madvise, the common default), this is the request. It is advice: a
 * kernel without huge pages ignores it, and nothing else changes.
 */
#include "app/memadvise.h"

#include <stdint.h>
#include <sys/mman.h>
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

void
memadvise_install(void)
{
    book_set_advice(memadvise_huge);
}
