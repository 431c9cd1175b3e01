/*
 * jsonsyntax.c: a strict JSON syntax scanner that reports the first byte
 * at fault and what was expected there.
 *
 * Owns syntax messages only; it builds nothing and is run only on texts
 * cJSON has already rejected, so speed does not matter here.
 */
#include "app/jsonsyntax.h"

#include <stdio.h>
#include <string.h>

#define DEPTH_MAX 512

struct scan {
    const char *s;
    size_t len;
    size_t i;
    char *why;
    size_t whylen;
    bool failed;
};

/* The byte at i, described for a message. */
static void
describe(const struct scan *sc, char *buf, size_t cap)
{
    unsigned char c;

    if (sc->i >= sc->len) {
        snprintf(buf, cap, "end of input");
        return;
    }
    c = (unsigned char)sc->s[sc->i];
    if (c >= 0x21 && c < 0x7f)
        snprintf(buf, cap, "'%c'", c);
    else if (c == ' ')
        snprintf(buf, cap, "a space");
    else
        snprintf(buf, cap, "byte 0x%02x", c);
}

static bool
fail(struct scan *sc, const char *expected)
{
    char found[32];

    describe(sc, found, sizeof found);
    if (sc->i >= sc->len && expected[0] == '\0')
        snprintf(sc->why, sc->whylen, "unexpected end of input");
    else if (expected[0] == '\0')
        snprintf(sc->why, sc->whylen, "unexpected %s", found);
    else
        snprintf(sc->why, sc->whylen, "expected %s, found %s", expected, found);
    sc->failed = true;
    return false;
}

static void
blanks(struct scan *sc)
{
    while (sc->i < sc->len && strchr(" \t\r\n", sc->s[sc->i]) != NULL &&
           sc->s[sc->i] != '\0')
        sc->i++;
}

static bool
is_digit(const struct scan *sc)
{
    return sc->i < sc->len && sc->s[sc->i] >= '0' && sc->s[sc->i] <= '9';
}

static bool
scan_string(struct scan *sc)
{
    sc->i++; /* the opening quote */
    while (sc->i < sc->len) {
        unsigned char c = (unsigned char)sc->s[sc->i];

        if (c == '"') {
            sc->i++;
            return true;
        }
        if (c < 0x20) {
            snprintf(sc->why, sc->whylen,
                     "control character in a string (write it escaped)");
            sc->failed = true;
            return false;
        }
        if (c == '\\') {
            sc->i++;
            if (sc->i >= sc->len)
                break;
            c = (unsigned char)sc->s[sc->i];
            if (c == 'u') {
                int k;

                for (k = 0; k < 4; k++) {
                    sc->i++;
                    if (sc->i >= sc->len ||
                        strchr("0123456789abcdefABCDEF", sc->s[sc->i]) ==
                            NULL ||
                        sc->s[sc->i] == '\0')
                        return fail(sc, "4 hex digits after \\u");
                }
            } else if (strchr("\"\\/bfnrt", c) == NULL || c == '\0') {
                return fail(sc, "an escape (\\\" \\\\ \\/ \\b \\f \\n \\r "
                                "\\t \\uXXXX)");
            }
        }
        sc->i++;
    }
    snprintf(sc->why, sc->whylen, "unexpected end of input in a string");
    sc->failed = true;
    return false;
}

static bool
scan_number(struct scan *sc)
{
    if (sc->s[sc->i] == '-')
        sc->i++;
    if (!is_digit(sc))
        return fail(sc, "a digit");
    if (sc->s[sc->i] == '0')
        sc->i++;
    else
        while (is_digit(sc))
            sc->i++;
    if (sc->i < sc->len && sc->s[sc->i] == '.') {
        sc->i++;
        if (!is_digit(sc))
            return fail(sc, "a digit after '.'");
        while (is_digit(sc))
            sc->i++;
    }
    if (sc->i < sc->len && (sc->s[sc->i] == 'e' || sc->s[sc->i] == 'E')) {
        sc->i++;
        if (sc->i < sc->len && (sc->s[sc->i] == '+' || sc->s[sc->i] == '-'))
            sc->i++;
        if (!is_digit(sc))
            return fail(sc, "a digit in the exponent");
        while (is_digit(sc))
            sc->i++;
    }
    return true;
}

static bool scan_value(struct scan *sc, int depth);

static bool
scan_container(struct scan *sc, int depth, bool object)
{
    char close = object ? '}' : ']';

    if (depth >= DEPTH_MAX) {
        snprintf(sc->why, sc->whylen, "nested deeper than %d", DEPTH_MAX);
        sc->failed = true;
        return false;
    }
    sc->i++;
    blanks(sc);
    if (sc->i < sc->len && sc->s[sc->i] == close) {
        sc->i++;
        return true;
    }
    for (;;) {
        if (object) {
            if (sc->i >= sc->len || sc->s[sc->i] != '"')
                return fail(sc, "a key in double quotes");
            if (!scan_string(sc))
                return false;
            blanks(sc);
            if (sc->i >= sc->len || sc->s[sc->i] != ':')
                return fail(sc, "':' after the key");
            sc->i++;
        }
        if (!scan_value(sc, depth + 1))
            return false;
        blanks(sc);
        if (sc->i < sc->len && sc->s[sc->i] == ',') {
            sc->i++;
            blanks(sc);
            continue;
        }
        if (sc->i < sc->len && sc->s[sc->i] == close) {
            sc->i++;
            return true;
        }
        return fail(sc, object ? "',' or '}'" : "',' or ']'");
    }
}

static bool
scan_literal(struct scan *sc, const char *word)
{
    size_t n = strlen(word);

    if (sc->len - sc->i < n || memcmp(sc->s + sc->i, word, n) != 0) {
        snprintf(sc->why, sc->whylen, "not a value (expected %s?)", word);
        sc->failed = true;
        return false;
    }
    sc->i += n;
    return true;
}

static bool
scan_value(struct scan *sc, int depth)
{
    blanks(sc);
    if (sc->i >= sc->len)
        return fail(sc, "");
    switch (sc->s[sc->i]) {
    case '{':
        return scan_container(sc, depth, true);
    case '[':
        return scan_container(sc, depth, false);
    case '"':
        return scan_string(sc);
    case 't':
        return scan_literal(sc, "true");
    case 'f':
        return scan_literal(sc, "false");
    case 'n':
        return scan_literal(sc, "null");
    default:
        if (sc->s[sc->i] == '-' || is_digit(sc))
            return scan_number(sc);
        return fail(sc, "a value (string, number, object, array, true, "
                        "false or null)");
    }
}

bool
jsonsyntax_error(const char *text, size_t len, size_t *at, char *why,
                 size_t whylen)
{
    struct scan sc;

    memset(&sc, 0, sizeof sc);
    sc.s = text;
    sc.len = len;
    sc.why = why;
    sc.whylen = whylen;
    if (scan_value(&sc, 0)) {
        blanks(&sc);
        if (sc.i >= sc.len)
            return false;
        fail(&sc, "");
        snprintf(why + strlen(why), whylen - strlen(why),
                 " after the end of the document");
    }
    if (sc.i >= sc.len && !sc.failed)
        fail(&sc, "");
    *at = sc.i;
    return true;
}

void
jsonsyntax_locate(const char *text, size_t len, const char *cjson_at,
                  unsigned long *line, unsigned long *col, char *why,
                  size_t whylen)
{
    const char *at;
    size_t off;

    if (jsonsyntax_error(text, len, &off, why, whylen)) {
        at = text + off;
    } else {
        at = cjson_at;
        if (at == NULL || at < text || at > text + len)
            at = text;
        snprintf(why, whylen, "not accepted here (nesting or number too long)");
    }
    *line = 1;
    *col = 1;
    for (const char *p = text; p < at; p++) {
        if (*p == '\n') {
            (*line)++;
            *col = 1;
        } else if (((unsigned char)*p & 0xc0) != 0x80) {
            (*col)++;
        }
    }
}
