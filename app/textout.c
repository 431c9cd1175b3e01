/*
 * textout.c: JSON string escaping, CSV quoting, UTF-8 checks and safe text
 * for messages and tables.
 *
 * Owns no format and no state; it must not allocate. Writes use stdio's
 * unlocked calls: the program writes each stream from one thread, and a
 * million-row snapshot is mostly these calls.
 */
#include "app/textout.h"

#include <string.h>

#include "core/decimal.h"
#include "tui/text.h"

/* Bytes a JSON string must escape: controls, '"', '\\' and DEL. */
static bool
textout_json_special(unsigned char c)
{
    return c < 0x20 || c == '"' || c == '\\' || c == 0x7f;
}

size_t
textout_json_quote(char *dst, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *p = (const unsigned char *)s;
    char *d = dst;

    *d++ = '"';
    for (; *p != '\0'; p++) {
        if (!textout_json_special(*p)) {
            *d++ = (char)*p;
            continue;
        }
        *d++ = '\\';
        switch (*p) {
        case '"':
        case '\\':
            *d++ = (char)*p;
            break;
        case '\n':
            *d++ = 'n';
            break;
        case '\r':
            *d++ = 'r';
            break;
        case '\t':
            *d++ = 't';
            break;
        default:
            *d++ = 'u';
            *d++ = '0';
            *d++ = '0';
            *d++ = hex[*p >> 4];
            *d++ = hex[*p & 15];
            break;
        }
    }
    *d++ = '"';
    *d = '\0';
    return (size_t)(d - dst);
}

void
textout_json_str(FILE *out, const char *s)
{
    char buf[256];
    size_t len = strlen(s);

    /* short strings (nearly all) in one write, long ones in pieces */
    if (len <= (sizeof buf - 3) / 6) {
        fwrite_unlocked(buf, 1, textout_json_quote(buf, s), out);
        return;
    }
    putc_unlocked('"', out);
    while (*s != '\0') {
        char piece[(sizeof buf - 3) / 6 + 1];
        size_t n = strlen(s) < sizeof piece - 1 ? strlen(s) : sizeof piece - 1;
        memcpy(piece, s, n);
        piece[n] = '\0';
        size_t q = textout_json_quote(buf, piece);
        fwrite_unlocked(buf + 1, 1, q - 2, out); /* without the quotes */
        s += n;
    }
    putc_unlocked('"', out);
}

void
textout_csv_field(FILE *out, const char *s)
{
    const char *p;
    /* OWASP's advice against CSV injection: a text cell that begins as a
     * formula would (=, +, -, @, tab, CR) is written after a '. */
    bool formula = s[0] != '\0' && strchr("=+-@\t\r", s[0]) != NULL;

    if (strpbrk(s, ",\"\r\n") == NULL) {
        if (formula)
            putc('\'', out);
        fputs(s, out);
        return;
    }
    putc('"', out);
    if (formula)
        putc('\'', out);
    for (p = s; *p != '\0'; p++) {
        if (*p == '"')
            putc('"', out);
        putc(*p, out);
    }
    putc('"', out);
}

/* Length of the UTF-8 sequence starting at s (at most n bytes), or 0 when
 * it is malformed (overlong, surrogate, past U+10FFFF, truncated). */
static size_t
utf8_seq(const unsigned char *s, size_t n)
{
    size_t len, i;
    unsigned long cp;

    if (s[0] < 0x80)
        return 1;
    if (s[0] >= 0xc2 && s[0] <= 0xdf) {
        len = 2;
        cp = s[0] & 0x1fu;
    } else if (s[0] >= 0xe0 && s[0] <= 0xef) {
        len = 3;
        cp = s[0] & 0x0fu;
    } else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
        len = 4;
        cp = s[0] & 0x07u;
    } else {
        return 0;
    }
    if (len > n)
        return 0;
    for (i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3fu);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
        cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return len;
}

bool
textout_utf8_valid(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;

    while (i < len) {
        size_t n = utf8_seq(p + i, len - i);

        if (n == 0)
            return false;
        i += n;
    }
    return true;
}

bool
textout_has_control(const char *s, size_t len)
{
    return !text_printable(s, len);
}

void
textout_safe(char *dst, size_t cap, const char *s, size_t len, size_t max_chars)
{
    text_safe(dst, cap, s, len, max_chars);
}

size_t
textout_width(const char *s)
{
    return text_width(s);
}

void
textout_pad(FILE *out, const char *s, size_t width, bool right_align)
{
    size_t w = textout_width(s);

    if (!right_align)
        fputs(s, out);
    for (; w < width; w++)
        putc(' ', out);
    if (right_align)
        fputs(s, out);
}

/* Exact decimal with the integer part grouped by thousands. */
void
textout_grouped(char *dst, size_t cap, struct u256 v, unsigned dec)
{
    char raw[DECIMAL_BUF];
    const char *dot;
    size_t ilen, i, o = 0;

    decimal_format(raw, sizeof raw, v, dec);
    dot = strchr(raw, '.');
    ilen = dot != NULL ? (size_t)(dot - raw) : strlen(raw);
    for (i = 0; i < ilen && o + 2 < cap; i++) {
        if (i > 0 && (ilen - i) % 3 == 0)
            dst[o++] = ',';
        dst[o++] = raw[i];
    }
    if (dot != NULL)
        snprintf(dst + o, cap - o, "%s", dot);
    else
        dst[o] = '\0';
}
