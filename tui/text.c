/*
 * text.c: the sanitizer and display width of text.h: utf8proc's
 * character tables (categories, widths) behind a small rule of our own.
 *
 * Owns no state and allocates nothing.
 */
#include "tui/text.h"

#include <string.h>
#include <utf8proc.h>

size_t
text_next(const char *s, size_t n, int32_t *cp)
{
    utf8proc_int32_t c;
    utf8proc_ssize_t k = utf8proc_iterate(
        (const utf8proc_uint8_t *)s, (utf8proc_ssize_t)(n > 4 ? 4 : n), &c);

    if (k <= 0) {
        *cp = -1;
        return 1;
    }
    *cp = c;
    return (size_t)k;
}

bool
text_cp_printable(int32_t cp)
{
    if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0))
        return false;
    if (cp < 0x7f)
        return true;
    if (cp == 0x200c || cp == 0x200d) /* ZWNJ, ZWJ: they only join */
        return true;
    switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_CC: /* controls */
    case UTF8PROC_CATEGORY_CF: /* format: bidi, zero-width, BOM, tags */
    case UTF8PROC_CATEGORY_CS: /* surrogates */
    case UTF8PROC_CATEGORY_CO: /* private use: no known width */
    case UTF8PROC_CATEGORY_CN: /* unassigned */
    case UTF8PROC_CATEGORY_ZL: /* U+2028 */
    case UTF8PROC_CATEGORY_ZP: /* U+2029 */
        return false;
    default:
        return true;
    }
}

int
text_cp_width(int32_t cp)
{
    int w;

    if (!text_cp_printable(cp))
        return 1;
    if (cp < 0x7f)
        return 1;
    w = utf8proc_charwidth(cp);
    return w < 0 ? 1 : w > 2 ? 2 : w;
}

bool
text_printable(const char *s, size_t len)
{
    size_t i = 0;

    while (i < len) {
        int32_t cp;
        size_t k = text_next(s + i, len - i, &cp);

        if (cp < 0 || !text_cp_printable(cp))
            return false;
        i += k;
    }
    return true;
}

size_t
text_width(const char *s)
{
    size_t len = strlen(s), i = 0, w = 0;

    while (i < len) {
        int32_t cp;

        i += text_next(s + i, len - i, &cp);
        w += (size_t)text_cp_width(cp);
    }
    return w;
}

/* One cluster: a character and the zero-width ones that follow it. */
static size_t
text_cluster(const char *s, size_t len, size_t *cells)
{
    int32_t cp;
    size_t i = text_next(s, len, &cp);

    *cells = (size_t)text_cp_width(cp);
    while (i < len) {
        size_t k = text_next(s + i, len - i, &cp);

        if (cp < 0 || !text_cp_printable(cp) || text_cp_width(cp) != 0)
            break;
        i += k;
    }
    return i;
}

/* Append s[0..len) sanitized to dst at *o (room is the caller's). */
static void
text_put(char *dst, size_t *o, const char *s, size_t len)
{
    size_t i = 0;

    while (i < len) {
        int32_t cp;
        size_t k = text_next(s + i, len - i, &cp);

        if (cp < 0 || !text_cp_printable(cp)) {
            dst[(*o)++] = '?';
        } else {
            memcpy(dst + *o, s + i, k);
            *o += k;
        }
        i += k;
    }
}

size_t
text_safe(char *dst, size_t cap, const char *s, size_t len, size_t max_cells)
{
    size_t i = 0, o = 0, used = 0;

    if (cap == 0)
        return 0;
    while (i < len) {
        size_t c, k = text_cluster(s + i, len - i, &c);

        if (used + c > max_cells || o + k + 4 > cap) {
            if (o + 4 <= cap) {
                memcpy(dst + o, "...", 3);
                o += 3;
                used += 3;
            }
            break;
        }
        text_put(dst, &o, s + i, k);
        used += c;
        i += k;
    }
    dst[o] = '\0';
    return used;
}
