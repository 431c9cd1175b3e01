/*
 * jsonsyntax.h: where and why a JSON text is malformed, for messages.
 *
 * cJSON says only that a text failed and roughly where; this strict RFC
 * 8259 scanner, run once on a text cJSON rejected, finds the first byte at
 * fault and names what was expected there. Allocates nothing.
 */
#ifndef JSONSYNTAX_H
#define JSONSYNTAX_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Scan text[0..len) as one JSON value with optional surrounding blanks.
 * Returns true and sets *at (offset of the byte at fault, len for the end
 * of input) and a short reason in why ("expected ',' or ']', found '}'")
 * when the text is malformed; false when it is well-formed.
 */
bool jsonsyntax_error(const char *text, size_t len, size_t *at, char *why,
                      size_t whylen);

/*
 * Where text, which cJSON rejected with its error pointer at cjson_at, is
 * at fault: 1-based line and column (columns count characters) and a
 * short reason in why. Falls back to cjson_at when the strict scan finds
 * the text well-formed (cJSON's own limits: nesting, number length).
 */
void jsonsyntax_locate(const char *text, size_t len, const char *cjson_at,
                       unsigned long *line, unsigned long *col, char *why,
                       size_t whylen);

#endif
