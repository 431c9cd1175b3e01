/*
 * portfolio_value.c: the values of a portfolio document's members, read
 * one at a time: strings, whole numbers and ratios, unknown or doubled
 * keys, and user text quoted for a message (design.md sections 2, 3 and
 * 7). Each getter fails through portfolio_read_fail with the member's
 * path.
 *
 * Owns how a value is written (a number as JSON writes it or as a string,
 * a ratio as a fraction) and the message for each way it can be wrong. No
 * double holds a value: numbers go through core/decimal exactly. Reads
 * cJSON values; never a file, never the book.
 */
#include "app/portfolio_value.h"

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/textout.h"
#include "core/decimal.h"
#include "core/liq.h"

/* Quoted, terminal-safe copy of user text for a message. */
const char *
portfolio_value_quoted(char *buf, size_t cap, const char *s, size_t len)
{
    if (cap < 8) {
        buf[0] = '\0';
        return buf;
    }
    buf[0] = '"';
    textout_safe(buf + 1, cap - 2, s, len, 40);
    strncat(buf, "\"", cap - strlen(buf) - 1);
    return buf;
}

/* Terminal-safe copy of user text for a message, unquoted. */
const char *
portfolio_value_safe(char *buf, size_t cap, const char *s, size_t len)
{
    textout_safe(buf, cap, s, len, 40);
    return buf;
}

/*
 * The decimal text of a JSON value: a string as written, a number through
 * the shortest form that reads back to the same double (design.md
 * section 2). Returns false for any other kind of value.
 */
bool
portfolio_value_text(const cJSON *it, char *buf, size_t cap, const char **text,
                     size_t *len)
{
    int prec;
    double d, back;
    char *p, *q;

    if (cJSON_IsString(it) && it->valuestring != NULL) {
        *text = it->valuestring;
        *len = strlen(it->valuestring);
        return true;
    }
    if (!cJSON_IsNumber(it))
        return false;
    d = it->valuedouble;
    for (prec = 1; prec <= 17; prec++) {
        snprintf(buf, cap, "%.*g", prec, d);
        back = strtod(buf, NULL);
        if (!(back < d) && !(back > d))
            break;
    }
    /* Past 15 significant digits a double may not be what was written
     * (123456789012345678901 reads as 1.2345678901234568e20): refused, a
     * string holds it exactly. */
    if (prec > 15 || !isfinite(d))
        return false;
    /* Drop an exponent's '+' and use '.' whatever the locale. */
    for (p = q = buf; *p != '\0'; p++) {
        if (*p == '+')
            continue;
        if (*p == ',')
            *p = '.';
        *q++ = *p;
    }
    *q = '\0';
    *text = buf;
    *len = strlen(buf);
    return true;
}

bool
portfolio_value_reserved(const char *key)
{
    return key != NULL && key[0] == '_';
}

/* Fail on the first key of obj not in `known` (NULL-terminated). */
int
portfolio_value_keys(struct portfolio_reader *L, const cJSON *obj,
                     const char *path, const char *const *known)
{
    const cJSON *c;
    char k64[64];

    for (c = obj->child; c != NULL; c = c->next) {
        const char *const *k;
        const cJSON *d;

        if (portfolio_value_reserved(c->string))
            continue;
        for (k = known; *k != NULL; k++)
            if (strcmp(*k, c->string) == 0)
                break;
        if (*k == NULL) {
            textout_safe(k64, sizeof k64, c->string, strlen(c->string), 40);
            return portfolio_read_fail(L, LIQ_EINVAL, "%s%s: unknown key", path,
                                       k64);
        }
        for (d = obj->child; d != c; d = d->next)
            if (strcmp(d->string, c->string) == 0)
                return portfolio_read_fail(
                    L, LIQ_EINVAL, "%s%s: key given twice", path, c->string);
    }
    return 0;
}

/* A required or optional string member; *out NULL when absent. */
int
portfolio_value_string(struct portfolio_reader *L, const cJSON *obj,
                       const char *key, const char *path, bool required,
                       size_t maxlen, const char **out)
{
    return portfolio_value_string_item(
        L, cJSON_GetObjectItemCaseSensitive(obj, key), key, path, required,
        maxlen, out);
}

/* As portfolio_value_string, for the member `it` (NULL when absent) named key.
 */
int
portfolio_value_string_item(struct portfolio_reader *L, const cJSON *it,
                            const char *key, const char *path, bool required,
                            size_t maxlen, const char **out)
{
    size_t len;

    *out = NULL;
    if (it == NULL) {
        if (required)
            return portfolio_read_fail(L, LIQ_EINVAL, "%s%s: missing", path,
                                       key);
        return 0;
    }
    if (!cJSON_IsString(it) || it->valuestring == NULL)
        return portfolio_read_fail(L, LIQ_EINVAL, "%s%s: expected a string",
                                   path, key);
    len = strlen(it->valuestring);
    if (required && len == 0)
        return portfolio_read_fail(L, LIQ_EINVAL, "%s%s: empty", path, key);
    if (len > maxlen)
        return portfolio_read_fail(L, LIQ_ERANGE, "%s%s: longer than %zu bytes",
                                   path, key, maxlen);
    if (!textout_utf8_valid(it->valuestring, len))
        return portfolio_read_fail(L, LIQ_EINVAL, "%s%s: not valid UTF-8", path,
                                   key);
    if (textout_has_control(it->valuestring, len))
        return portfolio_read_fail(
            L, LIQ_EINVAL, "%s%s: holds a control character", path, key);
    *out = it->valuestring;
    return 0;
}

/*
 * The decimal text of member key of obj (portfolio_value_text, buf of
 * PORTFOLIO_NUMTEXT_MAX holding a number's) into *text and *len; *text left
 * NULL when the member is absent and not required. 0, or the failure of a
 * missing member or of a value that is neither a string nor a number
 * ("expected <expected>").
 */
static int
portfolio_value_number(struct portfolio_reader *L, const cJSON *obj,
                       const char *key, const char *path, bool required,
                       const char *expected, char *buf, const char **text,
                       size_t *len)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);

    if (it == NULL) {
        if (required)
            return portfolio_read_fail(L, LIQ_EINVAL, "%s%s: missing", path,
                                       key);
        return 0;
    }
    if (!portfolio_value_text(it, buf, PORTFOLIO_NUMTEXT_MAX, text, len))
        return portfolio_read_fail(L, LIQ_EINVAL, "%s%s: expected %s", path,
                                   key, expected);
    return 0;
}

/* A whole number in [lo, hi], written as a JSON number or a string. */
int
portfolio_value_uint(struct portfolio_reader *L, const cJSON *obj,
                     const char *key, const char *path, unsigned lo,
                     unsigned hi, bool required, unsigned *out)
{
    char buf[PORTFOLIO_NUMTEXT_MAX], q[64];
    const char *text = NULL;
    size_t len;
    struct u256 v;
    int rc = portfolio_value_number(L, obj, key, path, required,
                                    "a whole number", buf, &text, &len);

    if (rc != 0 || text == NULL)
        return rc;
    rc = decimal_parse(&v, text, len, 0, DECIMAL_EXACT);
    if (rc == 0 &&
        (!u256_fits_u64(v) || u256_to_u64(v) < lo || u256_to_u64(v) > hi))
        rc = LIQ_ERANGE;
    if (rc == LIQ_ERANGE || rc == LIQ_EOVERFLOW)
        return portfolio_read_fail(
            L, LIQ_ERANGE, "%s%s: %s is out of range (%u to %u)", path, key,
            portfolio_value_quoted(q, sizeof q, text, len), lo, hi);
    if (rc != 0)
        return portfolio_read_fail(
            L, LIQ_EINVAL, "%s%s: %s is not a whole number", path, key,
            portfolio_value_quoted(q, sizeof q, text, len));
    *out = (unsigned)u256_to_u64(v);
    return 0;
}

/*
 * A ratio written as a fraction ("0.825"), converted exactly to the
 * model's unit (bps or WAD). `unit_bps` chooses bps.
 */
int
portfolio_value_ratio(struct portfolio_reader *L, const cJSON *obj,
                      const char *key, const char *path, bool unit_bps,
                      bool required, uint64_t *out)
{
    char buf[PORTFOLIO_NUMTEXT_MAX], q[64];
    const char *text = NULL;
    size_t len;
    struct u256 v;
    int rc = portfolio_value_number(L, obj, key, path, required,
                                    "a fraction as a string (\"0.825\")", buf,
                                    &text, &len);

    if (rc != 0 || text == NULL)
        return rc;
    rc = decimal_parse(&v, text, len, unit_bps ? 4 : 18, DECIMAL_EXACT);
    if (rc == 0 && !u256_fits_u64(v))
        rc = LIQ_EOVERFLOW;
    switch (rc) {
    case 0:
        *out = u256_to_u64(v);
        return 0;
    case LIQ_EPRECISION:
        return portfolio_read_fail(
            L, LIQ_EPRECISION, "%s%s: %s has more places than %s", path, key,
            text, unit_bps ? "bps hold" : "WAD holds");
    case LIQ_ERANGE:
        return portfolio_read_fail(
            L, LIQ_ERANGE, "%s%s: negative ratio %s", path, key,
            portfolio_value_quoted(q, sizeof q, text, len));
    case LIQ_EOVERFLOW:
        return portfolio_read_fail(
            L, LIQ_ERANGE, "%s%s: %s is out of range", path, key,
            portfolio_value_quoted(q, sizeof q, text, len));
    default:
        return portfolio_read_fail(
            L, LIQ_EPARSE, "%s%s: %s is not a number", path, key,
            portfolio_value_quoted(q, sizeof q, text, len));
    }
}
