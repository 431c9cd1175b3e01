/*
 * decimal.c: exact decimal text to raw integer units and back.
 *
 * Owns the grammar of numbers in files, flags and feeds: digits, an
 * optional point, an optional exponent. The value is scaled by 10^decimals
 * with integer steps only; it never leaves the integers. Pure.
 */
#include "core/decimal.h"

#include <string.h>

#include "core/liq.h"

/* Exponents beyond this are clamped: any non-zero mantissa then overflows
 * or underflows every unit, and parsing stays O(len). */
#define DECIMAL_EXP_CLAMP 100000L

static bool
decimal_is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/*
 * Split s into its significant digits (the mantissa without the point and
 * without leading zeros) and the power of ten they are scaled by.
 */
struct decimal_parts {
    const char *int_part;
    size_t int_len;
    const char *frac_part;
    size_t frac_len;
    long exp;
};

static int
decimal_split(struct decimal_parts *dp, const char *s, size_t len)
{
    size_t i = 0;
    long e = 0;
    bool eneg = false;

    memset(dp, 0, sizeof(*dp));
    if (i < len && s[i] == '+')
        i++;
    dp->int_part = s + i;
    while (i < len && decimal_is_digit(s[i]))
        i++;
    dp->int_len = (size_t)(s + i - dp->int_part);
    if (i < len && s[i] == '.') {
        i++;
        dp->frac_part = s + i;
        while (i < len && decimal_is_digit(s[i]))
            i++;
        dp->frac_len = (size_t)(s + i - dp->frac_part);
    }
    if (dp->int_len + dp->frac_len == 0)
        return LIQ_EPARSE;
    if (i < len && (s[i] == 'e' || s[i] == 'E')) {
        size_t start;

        i++;
        if (i < len && (s[i] == '+' || s[i] == '-'))
            eneg = s[i++] == '-';
        start = i;
        while (i < len && decimal_is_digit(s[i])) {
            if (e < DECIMAL_EXP_CLAMP)
                e = e * 10 + (s[i] - '0');
            i++;
        }
        if (i == start)
            return LIQ_EPARSE;
    }
    if (i != len)
        return LIQ_EPARSE;
    dp->exp = eneg ? -e : e;
    return 0;
}

/* The i-th significant digit of int_part followed by frac_part. */
static char
decimal_digit_at(const struct decimal_parts *dp, size_t i)
{
    if (i < dp->int_len)
        return dp->int_part[i];
    return dp->frac_part[i - dp->int_len];
}

/*
 * The usual amount in one pass: digits with at most one point, no sign
 * but '+', no exponent, at most 19 digits (leading zeros count) and no
 * more places than `decimals`, scaled by at most 10^19, so that the value
 * is a 64-bit mantissa times a 64-bit power. False for anything else, which the
 * general path below reads (and refuses) as before.
 */
static bool
decimal_parse_short(struct u256 *out, const char *s, size_t len,
                    unsigned decimals)
{
    const char *p = s, *end = s + len, *start;
    size_t ndig, nfrac = 0;
    uint64_t v = 0;
    unsigned d;

    if (p < end && *p == '+')
        p++;
    start = p;
    while (p < end && (d = (unsigned)(unsigned char)*p - '0') < 10) {
        v = v * 10 + d; /* wraps past 19 digits, refused below */
        p++;
    }
    ndig = (size_t)(p - start);
    if (p < end && *p == '.') {
        start = ++p;
        while (p < end && (d = (unsigned)(unsigned char)*p - '0') < 10) {
            v = v * 10 + d;
            p++;
        }
        nfrac = (size_t)(p - start);
    }
    ndig += nfrac;
    if (p != end || ndig == 0 || ndig > 19 || nfrac > decimals ||
        decimals - nfrac > 19)
        return false;
    *out = u256_from_u128((u128)v * u256_pow10_64[decimals - nfrac]);
    return true;
}

int
decimal_parse(struct u256 *out, const char *s, size_t len, unsigned decimals,
              enum decimal_mode mode)
{
    struct decimal_parts dp;
    struct u256 acc = u256_zero(), scale;
    size_t ndig, first, keep;
    long shift;
    int rc;

    if (s == NULL || decimals > 77)
        return LIQ_EINVAL;
    if (decimal_parse_short(out, s, len, decimals))
        return 0;
    if (len > 0 && s[0] == '-') {
        /* A well-formed negative number is out of range; junk is junk. */
        if (decimal_split(&dp, s + 1, len - 1) == 0 && s[1] != '+')
            return LIQ_ERANGE;
        return LIQ_EPARSE;
    }
    rc = decimal_split(&dp, s, len);
    if (rc != 0)
        return rc;
    ndig = dp.int_len + dp.frac_len;
    first = 0;
    while (first < ndig && decimal_digit_at(&dp, first) == '0')
        first++;
    if (first == ndig) {
        *out = u256_zero();
        return 0;
    }
    /* value = digits[first..ndig) * 10^shift */
    shift = dp.exp - (long)dp.frac_len + (long)decimals;
    keep = ndig;
    if (shift < 0) {
        size_t drop = (size_t)(-shift);

        keep = drop >= ndig - first ? first : ndig - drop;
        for (size_t i = keep; i < ndig; i++) {
            if (decimal_digit_at(&dp, i) != '0' && mode == DECIMAL_EXACT)
                return LIQ_EPRECISION;
        }
        shift = 0;
    }
    /* Up to 19 digits at a time in 64 bits, then one 256-bit step. */
    for (size_t i = first; i < keep;) {
        uint64_t chunk = 0, mult = 1;

        for (int k = 0; k < 19 && i < keep; k++, i++) {
            chunk = chunk * 10 + (uint64_t)(decimal_digit_at(&dp, i) - '0');
            mult *= 10;
        }
        rc = u256_mul(&acc, acc, u256_from_u64(mult));
        if (rc == 0)
            rc = u256_add(&acc, acc, u256_from_u64(chunk));
        if (rc != 0)
            return LIQ_EOVERFLOW;
    }
    if (shift > 0 && !u256_is_zero(acc)) {
        if (shift > 77)
            return LIQ_EOVERFLOW;
        rc = u256_pow10(&scale, (unsigned)shift);
        if (rc == 0)
            rc = u256_mul(&acc, acc, scale);
        if (rc != 0)
            return LIQ_EOVERFLOW;
    }
    *out = acc;
    return 0;
}

/* Digits of raw, most significant first, into d (78 bytes); returns the
 * count (at least 1). */
static size_t
decimal_digits(char d[78], struct u256 raw)
{
    char rev[80];
    size_t n = 0;
    const struct u256 chunk = u256_from_u64(10000000000000000000ULL);

    /* Within 128 bits (most figures): the machine's divisions, two
     * digits at a time, written from the end. */
    if (raw.w[2] == 0 && raw.w[3] == 0) {
        static const char pairs[201] =
            "0001020304050607080910111213141516171819"
            "2021222324252627282930313233343536373839"
            "4041424344454647484950515253545556575859"
            "6061626364656667686970717273747576777879"
            "8081828384858687888990919293949596979899";
        u128 v = ((u128)raw.w[1] << 64) | raw.w[0];
        char *end = rev + sizeof rev, *o = end;

        while (v >> 64 != 0) {
            u128 q = v / 10000000000000000000ULL;
            uint64_t part = (uint64_t)(v - q * 10000000000000000000ULL);

            v = q;
            for (int k = 0; k < 9; k++) {
                o -= 2;
                memcpy(o, &pairs[2 * (part % 100)], 2);
                part /= 100;
            }
            *--o = (char)('0' + part);
        }
        uint64_t low = (uint64_t)v;
        while (low >= 100) {
            o -= 2;
            memcpy(o, &pairs[2 * (low % 100)], 2);
            low /= 100;
        }
        if (low >= 10) {
            o -= 2;
            memcpy(o, &pairs[2 * low], 2);
        } else {
            *--o = (char)('0' + low);
        }
        n = (size_t)(end - o);
        memcpy(d, o, n);
        return n;
    }
    /* Peel 19 digits at a time with one 256-by-64 division each. */
    do {
        struct u256 q, r;
        uint64_t part;
        int k;

        (void)u256_divmod(&q, &r, raw, chunk);
        part = u256_to_u64(r);
        for (k = 0; k < 19; k++) {
            rev[n++] = (char)('0' + part % 10);
            part /= 10;
            if (u256_is_zero(q) && part == 0)
                break;
        }
        raw = q;
    } while (!u256_is_zero(raw));
    for (size_t i = 0; i < n; i++)
        d[i] = rev[n - 1 - i];
    return n;
}

/* Copy src[0..n) into buf within cap, NUL-terminated like snprintf. */
static size_t
decimal_emit(char *buf, size_t cap, const char *src, size_t n)
{
    if (cap > 0) {
        size_t k = n < cap - 1 ? n : cap - 1;

        memcpy(buf, src, k);
        buf[k] = '\0';
    }
    return n;
}

size_t
decimal_format(char *buf, size_t cap, struct u256 raw, unsigned decimals)
{
    char d[78], text[DECIMAL_BUF + 80];
    size_t n = decimal_digits(d, raw), len = 0, intlen, fraclen;

    if (decimals > 77)
        decimals = 77;
    if (n > decimals) {
        intlen = n - decimals;
        memcpy(text, d, intlen);
        len = intlen;
    } else {
        intlen = 0;
        text[len++] = '0';
    }
    /* Fraction: decimals digits, the leading ones zero when n < decimals. */
    fraclen = decimals;
    while (fraclen > 0) {
        size_t pos = intlen + fraclen - 1; /* index into the padded digits */
        size_t pad = n < decimals ? decimals - n : 0;
        char c = pos < pad ? '0' : d[pos - pad];

        if (c != '0')
            break;
        fraclen--;
    }
    if (fraclen > 0) {
        size_t pad = n < decimals ? decimals - n : 0;

        text[len++] = '.';
        for (size_t i = 0; i < fraclen; i++) {
            size_t pos = intlen + i;
            text[len++] = pos < pad ? '0' : d[pos - pad];
        }
    }
    return decimal_emit(buf, cap, text, len);
}

size_t
decimal_format_int(char *buf, size_t cap, struct u256 raw)
{
    char d[78];
    size_t n = decimal_digits(d, raw);

    return decimal_emit(buf, cap, d, n);
}
