/*
 * jsonbook.h: books from portfolio text written with ' for " (so that the
 * cases read as JSON in C strings), for the tests that load a portfolio
 * and look at one position's figures.
 *
 * Test-only; never linked into ./liqtop. Every failure ends the test.
 */
#ifndef JSONBOOK_H
#define JSONBOOK_H

#include "core/book.h"
#include "core/liq.h"
#include "core/u256.h"

/* s with every ' as "; malloc'd, the caller frees it. */
char *jsonbook_q(const char *s);
/* s with its first `from` (which must occur) replaced by `to`; malloc'd,
 * the caller frees it. */
char *jsonbook_subst(const char *s, const char *from, const char *to);
/* The book of portfolio text json (' for "), loaded as "book.json" and
 * updated; the caller frees it with book_free. */
struct book *jsonbook_load(const char *json);
/* The health factor of position id, as the book holds it. */
struct u256 jsonbook_hf(struct book *b, const char *id);
/* The liquidation call c of position id at the book's prices. */
struct liq_call;
void jsonbook_liq(struct book *b, const char *id, const struct liq_call *c,
                  struct liq_result *r);
/* The liquidation of position id, its largest debt against its largest
 * collateral, the largest call, at the book's prices. */
void jsonbook_liq_max(struct book *b, const char *id, struct liq_result *r);

#endif
