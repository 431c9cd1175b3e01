/*
 * test_abi.c: Keccak-256 against published vectors, every selector and
 * topic constant of feeds/eth.h recomputed from its signature, and the
 * ABI decoders on good and hostile return data (feeds/abi.c).
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "feeds/abi.h"
#include "feeds/eth.h"
#include "feeds/keccak.h"
#include "tests/common/testutil.h"

static void
hash_hex(const void *data, size_t len, char out[67])
{
    uint8_t h[32];

    keccak256(data, len, h);
    abi_hex_encode(out, h, 32);
}

/* The empty string and "abc": the Keccak team's Keccak-256 values, as
 * Ethereum's keccak256("") and keccak256("abc"); 300 "a" crosses two
 * 136-byte blocks (tests/chain checks it against a node's web3_sha3). */
START_TEST(test_keccak_vectors)
{
    char h[67], *a = malloc(300);

    hash_hex("", 0, h);
    ck_assert_str_eq(h, "0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7b"
                        "fad8045d85a470");
    hash_hex("abc", 3, h);
    ck_assert_str_eq(h, "0x4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec"
                        "44f58fa12d6c45");
    memset(a, 'a', 300);
    hash_hex(a, 300, h);
    ck_assert_str_eq(h, "0x5b7e0e47a96f32a88b4f14ca177982790807c40e1a105742ba"
                        "0fc1babe1ef826");
    free(a);
}
END_TEST

/* Well-known ERC-20 selectors and the Transfer topic. */
START_TEST(test_known_selectors)
{
    char h[67];
    const char *t = "Transfer(address,address,uint256)";

    ck_assert_uint_eq(keccak_selector("transfer(address,uint256)"),
                      0xa9059cbbU);
    ck_assert_uint_eq(keccak_selector("balanceOf(address)"), 0x70a08231U);
    ck_assert_uint_eq(keccak_selector("decimals()"), 0x313ce567U);
    hash_hex(t, strlen(t), h);
    ck_assert_str_eq(h, "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628"
                        "f55a4df523b3ef");
}
END_TEST

START_TEST(test_constants_match_signatures)
{
    size_t n = 0;

    for (const struct eth_signature *s = eth_signatures; s->signature; s++) {
        char h[67];

        if (s->topic != NULL) {
            hash_hex(s->signature, strlen(s->signature), h);
            ck_assert_msg(strcmp(h, s->topic) == 0, "%s: %s, constant %s",
                          s->signature, h, s->topic);
        } else {
            ck_assert_msg(keccak_selector(s->signature) == s->selector,
                          "%s: 0x%08x, constant 0x%08x", s->signature,
                          keccak_selector(s->signature), s->selector);
        }
        n++;
    }
    ck_assert_uint_ge(n, 8);
}
END_TEST

START_TEST(test_call_encoding)
{
    struct abi_call c;
    uint8_t addr[20];

    ck_assert(
        abi_parse_address("0x00000000000000000000000000000000000000Ab", addr));
    abi_call_init(&c, 0x70a08231U);
    abi_put_address(&c, addr);
    ck_assert_str_eq(c.hex, "0x70a08231"
                            "00000000000000000000000000000000000000000000000000"
                            "000000000000ab");
    abi_call_init(&c, 0x12345678U);
    abi_put_u64(&c, 0x0102);
    ck_assert_str_eq(c.hex + 10 + 60, "0102");
    for (int i = 0; i < ABI_CALL_WORDS + 1; i++)
        abi_put_u64(&c, 1);
    ck_assert(c.overflow);
    ck_assert(!abi_parse_address("0x123", addr));
    ck_assert(
        !abi_parse_address("0xg000000000000000000000000000000000000000", addr));
}
END_TEST

START_TEST(test_hex_and_quantity)
{
    uint8_t b[4];
    uint64_t q;

    ck_assert_int_eq(abi_hex_decode("0x", 2, b, 4), 0);
    ck_assert_int_eq(abi_hex_decode("0x0aFf", 6, b, 4), 2);
    ck_assert_uint_eq(b[1], 0xff);
    ck_assert_int_eq(abi_hex_decode("0x0", 3, b, 4), ABI_EBAD);
    ck_assert_int_eq(abi_hex_decode("0a", 2, b, 4), ABI_EBAD);
    ck_assert_int_eq(abi_hex_decode("0x0102030405", 12, b, 4), ABI_EBAD);
    ck_assert(abi_parse_quantity("0x1a", &q) && q == 26);
    ck_assert(abi_parse_quantity("0xffffffffffffffff", &q) && q == UINT64_MAX);
    ck_assert(!abi_parse_quantity("0x", &q));
    ck_assert(!abi_parse_quantity("0x10000000000000000", &q));
    ck_assert(!abi_parse_quantity("26", &q));
}
END_TEST

/* Return data: word 0 the offset 0x20, word 1 the length, then text. */
START_TEST(test_string_and_array)
{
    uint8_t d[128];
    char s[8];
    size_t count, first;
    struct u256 v;

    memset(d, 0, sizeof(d));
    d[31] = 0x20;
    d[63] = 4;
    memcpy(d + 64, "WETH", 4);
    ck_assert_int_eq(abi_string(d, 96, 0, s, sizeof(s)), 4);
    ck_assert_str_eq(s, "WETH");
    /* too long for the buffer, length past the data, bad offsets */
    ck_assert_int_eq(abi_string(d, 96, 0, s, 4), ABI_EBAD);
    d[63] = 33;
    ck_assert_int_eq(abi_string(d, 96, 0, s, sizeof(s)), ABI_EBAD);
    d[63] = 4;
    d[31] = 0x21;
    ck_assert_int_eq(abi_string(d, 96, 0, s, sizeof(s)), ABI_EBAD);
    d[31] = 0x80;
    ck_assert_int_eq(abi_string(d, 96, 0, s, sizeof(s)), ABI_EBAD);
    d[0] = 1; /* an offset of 2^248 */
    d[31] = 0x20;
    ck_assert_int_eq(abi_string(d, 96, 0, s, sizeof(s)), ABI_EBAD);
    d[0] = 0;
    /* a bytes32 symbol */
    memset(d, 0, 32);
    memcpy(d, "MKR", 3);
    ck_assert_int_eq(abi_string(d, 32, 0, s, sizeof(s)), 3);
    ck_assert_str_eq(s, "MKR");
    d[20] = 'x'; /* text after the NUL */
    ck_assert_int_eq(abi_string(d, 32, 0, s, sizeof(s)), ABI_EBAD);
    /* an array of two words */
    memset(d, 0, sizeof(d));
    d[31] = 0x20;
    d[63] = 2;
    d[95] = 7;
    d[127] = 9;
    ck_assert_int_eq(abi_array(d, 128, 0, &count, &first), 0);
    ck_assert_uint_eq(count, 2);
    ck_assert_int_eq(abi_word(d, 128, first + 1, &v), 0);
    ck_assert_uint_eq(v.w[0], 9);
    d[63] = 3; /* one element past the data */
    ck_assert_int_eq(abi_array(d, 128, 0, &count, &first), ABI_EBAD);
    d[63] = 0xff;
    d[32] = 0xff; /* a length near 2^256 */
    ck_assert_int_eq(abi_array(d, 128, 0, &count, &first), ABI_EBAD);
    ck_assert_int_eq(abi_word(d, 128, 4, &v), ABI_EBAD);
    ck_assert_int_eq(abi_word(d, 127, 3, &v), ABI_EBAD);
    ck_assert_int_eq(abi_word(d, 128, (size_t)-1, &v), ABI_EBAD);
}
END_TEST

START_TEST(test_static_words)
{
    uint8_t d[64], a[20];
    struct u256 v;
    bool b;

    memset(d, 0, sizeof(d));
    d[11] = 1; /* a dirty high byte: not an address */
    d[31] = 0x42;
    ck_assert_int_eq(abi_address(d, 64, 0, a), ABI_EBAD);
    d[11] = 0;
    ck_assert_int_eq(abi_address(d, 64, 0, a), 0);
    ck_assert_uint_eq(a[19], 0x42);
    d[32 + 15] = 1; /* bit 128 set */
    ck_assert_int_eq(abi_uint(d, 64, 1, 128, &v), ABI_EBAD);
    ck_assert_int_eq(abi_uint(d, 64, 1, 129, &v), 0);
    ck_assert_uint_eq(v.w[2], 1);
    ck_assert_int_eq(abi_bool(d, 64, 0, &b), ABI_EBAD);
    d[31] = 1;
    ck_assert_int_eq(abi_bool(d, 64, 0, &b), 0);
    ck_assert(b);
}
END_TEST

/* Every prefix of a valid answer is refused until it holds the text;
 * the array of 5 words never fits in 96 bytes. */
START_TEST(test_truncated_answers)
{
    uint8_t d[96];
    char s[64];
    size_t count, first;

    memset(d, 0, sizeof(d));
    d[31] = 0x20;
    d[63] = 5;
    memcpy(d + 64, "hello", 5);
    for (size_t n = 0; n < 96; n++) {
        /* the text's 5 bytes end at 69: shorter data cannot hold it */
        ck_assert_int_eq(abi_string(d, n, 0, s, sizeof(s)),
                         n < 69 ? ABI_EBAD : 5);
        ck_assert_int_eq(abi_array(d, n, 0, &count, &first), ABI_EBAD);
    }
    ck_assert_int_eq(abi_string(d, 96, 0, s, sizeof(s)), 5);
}
END_TEST

/* A reserve's configuration word (ReserveConfiguration's bit layout)
 * with every neighbouring bit set: each field read alone. */
START_TEST(test_aave_config)
{
    struct eth_aave_config c;
    struct u256 w = u256_zero();

    /* ltv 8000, threshold 8250, bonus 10500, 18 decimals; bits 56 to 59
     * (active, frozen, borrowing, stable) and 61 to 63 set, paused not */
    w.w[0] = 8000u | (uint64_t)8250 << 16 | (uint64_t)10500 << 32 |
             (uint64_t)18 << 48 | (uint64_t)0xf << 56 | (uint64_t)0x7 << 61;
    /* fee 1000 at bit 152, eMode category 7 at bit 168, and the bits
     * beside them (151, 176) set */
    w.w[2] = (uint64_t)1 << 23 | (uint64_t)1000 << 24 | (uint64_t)7 << 40 |
             (uint64_t)1 << 48;
    eth_aave_config(w, &c);
    ck_assert_uint_eq(c.ltv_bps, 8000);
    ck_assert_uint_eq(c.lt_bps, 8250);
    ck_assert_uint_eq(c.bonus_bps, 500);
    ck_assert_uint_eq(c.decimals, 18);
    ck_assert(!c.paused);
    ck_assert_uint_eq(c.fee_bps, 1000);
    ck_assert_uint_eq(c.emode, 7);
    /* paused alone; a bonus of 0 (a reserve that is no collateral) */
    w = u256_zero();
    w.w[0] = (uint64_t)1 << 60;
    eth_aave_config(w, &c);
    ck_assert(c.paused);
    ck_assert_uint_eq(c.bonus_bps, 0);
    ck_assert_uint_eq(c.lt_bps, 0);
    ck_assert_uint_eq(c.fee_bps, 0);
}
END_TEST

/* Random return data, often with plausible offsets and lengths, in a heap
 * block of exactly its size (so that the sanitizer build sees any read
 * past it): every accepted string or array lies inside the data. */
START_TEST(test_random_answers)
{
    uint64_t seed = test_seed(), st = seed ? seed : 1;

    for (int round = 0; round < 20000; round++) {
        size_t n = (size_t)test_rand_range(&st, 0, 200), count, first;
        uint8_t *d = malloc(n ? n : 1);
        char s[40];
        long len;

        for (size_t k = 0; k < n; k++)
            d[k] = (uint8_t)test_rand(&st);
        /* small words where a decoder looks for offsets and lengths */
        for (size_t w = 0; w + 32 <= n; w += 32)
            if (test_rand_range(&st, 0, 1)) {
                memset(d + w, 0, 31);
                d[w + 31] = (uint8_t)test_rand_range(&st, 0, 200);
            }
        len =
            abi_string(d, n, (size_t)test_rand_range(&st, 0, 3), s, sizeof(s));
        ck_assert_msg(len == ABI_EBAD || (len >= 0 && (size_t)len < sizeof(s)),
                      "seed %llu round %d", (unsigned long long)seed, round);
        if (abi_array(d, n, (size_t)test_rand_range(&st, 0, 3), &count,
                      &first) == 0) {
            struct u256 v;

            ck_assert_msg(first + count <= n / 32, "seed %llu round %d",
                          (unsigned long long)seed, round);
            if (count > 0)
                ck_assert_int_eq(abi_word(d, n, first + count - 1, &v), 0);
        }
        free(d);
    }
}
END_TEST

static Suite *
abi_suite(void)
{
    Suite *s = suite_create("abi");
    TCase *tc = tcase_create("feeds");

    tcase_add_test(tc, test_keccak_vectors);
    tcase_add_test(tc, test_known_selectors);
    tcase_add_test(tc, test_constants_match_signatures);
    tcase_add_test(tc, test_call_encoding);
    tcase_add_test(tc, test_hex_and_quantity);
    tcase_add_test(tc, test_string_and_array);
    tcase_add_test(tc, test_static_words);
    tcase_add_test(tc, test_truncated_answers);
    tcase_add_test(tc, test_random_answers);
    tcase_add_test(tc, test_aave_config);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    return test_run(abi_suite());
}
