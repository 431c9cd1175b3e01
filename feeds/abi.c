/*
 * abi.c: Solidity ABI words in and out, and the hex text around them.
 *
 * Must not allocate, and must not read outside the data given: every
 * offset and length from a node is checked before it is used.
 */
#include "feeds/abi.h"

#include <string.h>

static const char abi_digits[] = "0123456789abcdef";

static void
abi_put_raw(struct abi_call *c, const uint8_t w[32])
{
    if (c->len + 64 + 1 > sizeof(c->hex)) {
        c->overflow = true;
        return;
    }
    for (unsigned i = 0; i < 32; i++) {
        c->hex[c->len++] = abi_digits[w[i] >> 4];
        c->hex[c->len++] = abi_digits[w[i] & 15];
    }
    c->hex[c->len] = '\0';
}

void
abi_call_init(struct abi_call *c, uint32_t selector)
{
    c->len = 0;
    c->overflow = false;
    c->hex[c->len++] = '0';
    c->hex[c->len++] = 'x';
    for (int s = 28; s >= 0; s -= 4)
        c->hex[c->len++] = abi_digits[(selector >> s) & 15];
    c->hex[c->len] = '\0';
}

void
abi_put_word(struct abi_call *c, struct u256 v)
{
    uint8_t w[32];

    for (unsigned i = 0; i < 32; i++)
        w[31 - i] = (uint8_t)(v.w[i / 8] >> (8 * (i % 8)));
    abi_put_raw(c, w);
}

void
abi_put_u64(struct abi_call *c, uint64_t v)
{
    abi_put_word(c, u256_from_u64(v));
}

void
abi_put_address(struct abi_call *c, const uint8_t addr[20])
{
    uint8_t w[32];

    memset(w, 0, 12);
    memcpy(w + 12, addr, 20);
    abi_put_raw(c, w);
}

void
abi_put_bytes32(struct abi_call *c, const uint8_t b[32])
{
    abi_put_raw(c, b);
}

static int
abi_nibble(char ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    if (ch >= 'a' && ch <= 'f')
        return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F')
        return ch - 'A' + 10;
    return -1;
}

long
abi_hex_decode(const char *hex, size_t hexlen, uint8_t *out, size_t cap)
{
    size_t n;

    if (hexlen < 2 || hex[0] != '0' || (hex[1] != 'x' && hex[1] != 'X'))
        return ABI_EBAD;
    hex += 2;
    hexlen -= 2;
    if (hexlen % 2 != 0 || hexlen / 2 > cap)
        return ABI_EBAD;
    n = hexlen / 2;
    for (size_t i = 0; i < n; i++) {
        int hi = abi_nibble(hex[2 * i]), lo = abi_nibble(hex[2 * i + 1]);

        if (hi < 0 || lo < 0)
            return ABI_EBAD;
        out[i] = (uint8_t)(hi << 4 | lo);
    }
    return (long)n;
}

void
abi_hex_encode(char *out, const uint8_t *b, size_t n)
{
    *out++ = '0';
    *out++ = 'x';
    for (size_t i = 0; i < n; i++) {
        *out++ = abi_digits[b[i] >> 4];
        *out++ = abi_digits[b[i] & 15];
    }
    *out = '\0';
}

static bool
abi_parse_fixed(const char *s, uint8_t *out, size_t n)
{
    if (s == NULL || strlen(s) != 2 + 2 * n)
        return false;
    return abi_hex_decode(s, 2 + 2 * n, out, n) == (long)n;
}

bool
abi_parse_address(const char *s, uint8_t out[20])
{
    return abi_parse_fixed(s, out, 20);
}

bool
abi_parse_bytes32(const char *s, uint8_t out[32])
{
    return abi_parse_fixed(s, out, 32);
}

bool
abi_parse_quantity(const char *s, uint64_t *out)
{
    uint64_t v = 0;
    size_t n;

    if (s == NULL || s[0] != '0' || (s[1] != 'x' && s[1] != 'X'))
        return false;
    s += 2;
    n = strlen(s);
    if (n == 0 || n > 16)
        return false;
    for (size_t i = 0; i < n; i++) {
        int d = abi_nibble(s[i]);

        if (d < 0)
            return false;
        v = v << 4 | (uint64_t)d;
    }
    *out = v;
    return true;
}

static const uint8_t *
abi_at(const uint8_t *d, size_t n, size_t i)
{
    if (i > n / 32 || n / 32 - i < 1)
        return NULL;
    return d + 32 * i;
}

int
abi_word(const uint8_t *d, size_t n, size_t i, struct u256 *out)
{
    const uint8_t *w = abi_at(d, n, i);

    if (w == NULL)
        return ABI_EBAD;
    *out = u256_zero();
    for (unsigned k = 0; k < 32; k++)
        out->w[k / 8] |= (uint64_t)w[31 - k] << (8 * (k % 8));
    return 0;
}

int
abi_uint(const uint8_t *d, size_t n, size_t i, unsigned bits, struct u256 *out)
{
    struct u256 v;

    if (abi_word(d, n, i, &v) != 0 || bits == 0 || bits > 256)
        return ABI_EBAD;
    if (u256_bits(v) > bits)
        return ABI_EBAD;
    *out = v;
    return 0;
}

int
abi_address(const uint8_t *d, size_t n, size_t i, uint8_t out[20])
{
    const uint8_t *w = abi_at(d, n, i);

    if (w == NULL)
        return ABI_EBAD;
    for (unsigned k = 0; k < 12; k++)
        if (w[k] != 0)
            return ABI_EBAD;
    memcpy(out, w + 12, 20);
    return 0;
}

int
abi_bytes32(const uint8_t *d, size_t n, size_t i, uint8_t out[32])
{
    const uint8_t *w = abi_at(d, n, i);

    if (w == NULL)
        return ABI_EBAD;
    memcpy(out, w, 32);
    return 0;
}

int
abi_bool(const uint8_t *d, size_t n, size_t i, bool *out)
{
    struct u256 v;

    if (abi_word(d, n, i, &v) != 0 || u256_bits(v) > 1)
        return ABI_EBAD;
    *out = v.w[0] == 1;
    return 0;
}

/* An offset or length word that must fit in d: as a size_t, or fail. */
static int
abi_small(const uint8_t *d, size_t n, size_t i, size_t *out)
{
    struct u256 v;

    if (abi_word(d, n, i, &v) != 0 || !u256_fits_u64(v) || v.w[0] > n)
        return ABI_EBAD;
    *out = (size_t)v.w[0];
    return 0;
}

long
abi_string(const uint8_t *d, size_t n, size_t i, char *out, size_t cap)
{
    size_t off, len;

    if (cap == 0)
        return ABI_EBAD;
    if (n == 32 && i == 0) { /* bytes32 text */
        size_t k = 0;

        while (k < 32 && d[k] != 0)
            k++;
        for (size_t j = k; j < 32; j++)
            if (d[j] != 0)
                return ABI_EBAD;
        if (k >= cap)
            return ABI_EBAD;
        memcpy(out, d, k);
        out[k] = '\0';
        return (long)k;
    }
    if (abi_small(d, n, i, &off) != 0 || off % 32 != 0)
        return ABI_EBAD;
    if (abi_small(d, n, off / 32, &len) != 0)
        return ABI_EBAD;
    if (n - off - 32 < len || len >= cap)
        return ABI_EBAD;
    memcpy(out, d + off + 32, len);
    out[len] = '\0';
    return (long)len;
}

int
abi_array(const uint8_t *d, size_t n, size_t i, size_t *count, size_t *first)
{
    size_t off, len;

    if (abi_small(d, n, i, &off) != 0 || off % 32 != 0)
        return ABI_EBAD;
    if (abi_small(d, n, off / 32, &len) != 0)
        return ABI_EBAD;
    /* off + 32 <= n is known; the elements must fit after it. */
    if ((n - off - 32) / 32 < len)
        return ABI_EBAD;
    *count = len;
    *first = off / 32 + 1;
    return 0;
}
