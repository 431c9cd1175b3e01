/*
 * memadvise.h: the advice the program gives the system on the book's large
 * arrays (core/book.h book_set_advice): transparent huge pages, and a
 * mapping of its own for each (freed, it goes back to the system).
 */
#ifndef MEMADVISE_H
#define MEMADVISE_H

#include <stddef.h>

/* Install the advice for every book; once, at start. */
void memadvise_install(void);

#endif
