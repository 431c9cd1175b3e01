/*
 * textout.h: small text helpers shared by the headless outputs and the
 * loader's messages: JSON string escaping, CSV field quoting, UTF-8 checks,
 * and text made safe for a terminal.
 *
 * Owns no format; writes only to the FILE or buffer it is given.
 */
#ifndef TEXTOUT_H
#define TEXTOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "core/u256.h"

/* Write s as a JSON string literal, quotes included (RFC 8259 escapes). */
void textout_json_str(FILE *out, const char *s);
/* The same into dst, NUL-terminated; returns its length. dst must hold
 * 6 * strlen(s) + 3 bytes (every byte escaped as \\u00XX). */
size_t textout_json_quote(char *dst, const char *s);

/* Write s as one CSV text field: quoted (RFC 4180) only when it holds a
 * comma, a quote, CR or LF; a field that begins with =, +, -, @, tab or CR
 * is written after a ' (OWASP, CSV injection). For text, never figures. */
void textout_csv_field(FILE *out, const char *s);

/* True when s[0..len) is well-formed UTF-8. */
bool textout_utf8_valid(const char *s, size_t len);

/* True when s[0..len) holds anything but printable characters (controls
 * C0, DEL and C1, bidi and other format characters, separators, malformed
 * UTF-8): the rule of tui/text.h, for ids, symbols and labels. */
bool textout_has_control(const char *s, size_t len);

/*
 * Copy s[0..len) into dst (cap bytes, NUL-terminated) for a message or a
 * terminal, through the one sanitizer (tui/text.h): what may not be printed
 * becomes '?', and text beyond max_chars cells is cut and ends in "...".
 * Never splits a character.
 */
void textout_safe(char *dst, size_t cap, const char *s, size_t len,
                  size_t max_chars);

/* Display width of UTF-8 text in cells (wide characters 2, marks 0). */
size_t textout_width(const char *s);

/* Write s padded with spaces to `width` columns, on the left when
 * right_align is set. */
void textout_pad(FILE *out, const char *s, size_t width, bool right_align);

/* v as an exact decimal of dec places, its integer part grouped by
 * thousands ("1,499.5"), into dst (cut to cap). */
void textout_grouped(char *dst, size_t cap, struct u256 v, unsigned dec);

#endif
