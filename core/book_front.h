/*
 * book_front.h: Liquity v2's "debt in front" of a trove (book_front.c):
 * the debt of its branch's troves at lower annual interest rates, which
 * a redemption reaches first. Pure.
 *
 * book_front_new allocates the table (aborting on out of memory, as the
 * book does); the caller frees it with book_front_free. It holds figures
 * of the book as it was when made: make a new one after positions change.
 */
#ifndef BOOK_FRONT_H
#define BOOK_FRONT_H

#include <stdbool.h>
#include <stdint.h>

#include "core/book.h"
#include "core/u256.h"

struct book_front;

/* NULL when the book holds no liquity-v2 trove with a rate. */
struct book_front *book_front_new(const struct book *b);
void book_front_free(struct book_front *f);

/* The BOLD debt (raw) of the troves of idx's branch (markets of its id)
 * whose annual_interest_rate is below its own; troves without a rate are
 * not counted. False, *out untouched, where idx is no liquity-v2 trove
 * with a rate, or f is NULL. */
bool book_front_debt(const struct book_front *f, const struct book *b,
                     uint32_t idx, struct u256 *out);

#endif
