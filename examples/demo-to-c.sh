#!/bin/sh
# Writes app/demo.c from examples/demo.json (run from the top of the tree
# after editing the example; tests/unit/test_portfolio.c checks they match).
{
cat <<'H'
/*
 * demo.c: the built-in demo book, the same text as examples/demo.json
 * (tests/unit/test_portfolio.c keeps the two identical; after editing the
 * example, run sh examples/demo-to-c.sh).
 *
 * Owns the demo's content only; loading is portfolio.c's.
 */
#include "app/demo.h"

#include <string.h>

#include "app/portfolio.h"

/* The text is longer than the 4095 bytes C99 promises for a literal;
 * every compiler this builds with takes it. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Woverlength-strings"
/* clang-format off */
static const char demo_text[] =
H
sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/    "/' -e 's/$/\\n"/' examples/demo.json
cat <<'H'
    ;
/* clang-format on */
#pragma GCC diagnostic pop

const char *
demo_json(void)
{
    return demo_text;
}

int
demo_load(struct book *b, char *err, size_t errlen)
{
    return portfolio_load_text(b, "demo", demo_text, strlen(demo_text), NULL,
                               err, errlen);
}
H
} > app/demo.c
