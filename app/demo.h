/*
 * demo.h: the built-in demo book (also shipped as examples/demo.json):
 * several markets of each model and a dozen positions from safe to
 * underwater.
 */
#ifndef DEMO_H
#define DEMO_H

#include <stddef.h>

#include "core/book.h"

/* The demo portfolio as JSON text (static, never freed). */
const char *demo_json(void);

/* Load the demo into the empty book b; errors as portfolio_load. */
int demo_load(struct book *b, char *err, size_t errlen);

#endif
