/*
 * text.h: the one sanitizer for text that reaches a terminal, a table or
 * a message, by code point, and its display width (wcwidth semantics).
 *
 * Owns the rule of what may be printed: valid UTF-8 whose code points are
 * not controls (C0, DEL, C1), not format characters (bidi embeddings,
 * overrides and isolates, zero-width spaces, BOM, soft hyphen, tags), not
 * line or paragraph separators, not surrogates, private use or unassigned.
 * ZWJ and ZWNJ pass (they only join, at width 0). Anything else becomes
 * one '?'. Pure functions; no allocation; nothing is written but dst.
 */
#ifndef TEXT_H
#define TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * The next character of s[0..n) (n >= 1): its length in bytes (>= 1) and,
 * in *cp, its code point, or -1 for a malformed byte (length 1).
 */
size_t text_next(const char *s, size_t n, int32_t *cp);
/* Whether cp may be printed as itself. */
bool text_cp_printable(int32_t cp);
/* Cells cp takes: 0 (combining marks, joiners), 1 or 2 (East Asian wide,
 * emoji). An unprintable code point is shown as '?': 1. */
int text_cp_width(int32_t cp);
/* Whether s[0..len) is valid UTF-8 and every code point printable. */
bool text_printable(const char *s, size_t len);
/* Display cells of s (NUL-terminated) as it would be shown sanitized. */
size_t text_width(const char *s);
/*
 * Copy s[0..len) into dst (cap bytes, NUL-terminated), sanitized: at most
 * max_cells cells of it, then "..." when it was cut (by max_cells or by
 * cap). Never splits a character or separates a base from its marks.
 * Returns the cells used.
 */
size_t text_safe(char *dst, size_t cap, const char *s, size_t len,
                 size_t max_cells);

#endif
