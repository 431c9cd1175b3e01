/*
 * abi.h: the small part of the Solidity ABI that liqtop's chain reads
 * need: calldata of static words (uint, address, bytes32), return data of
 * static words, addresses, strings and dynamic arrays of static words, and
 * the hex text JSON-RPC carries them in.
 *
 * Owns the byte layout only; knows no contract. Every decoder checks
 * lengths and offsets against the data it is given and returns
 * ABI_EBAD (never reads past it), so it is safe on any node's answer.
 * The caller owns every buffer; nothing here allocates.
 */
#ifndef ABI_H
#define ABI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/u256.h"

#define ABI_EBAD (-1) /* data too short, bad offset, value out of range */

/* Calldata being built: a selector then 32-byte words, as hex text. */
#define ABI_CALL_WORDS 16
struct abi_call {
    char hex[2 + 8 + 64 * ABI_CALL_WORDS + 1]; /* "0x..." NUL-terminated */
    size_t len;
    bool overflow; /* more than ABI_CALL_WORDS words were put */
};

void abi_call_init(struct abi_call *c, uint32_t selector);
void abi_put_word(struct abi_call *c, struct u256 v);
void abi_put_u64(struct abi_call *c, uint64_t v);
void abi_put_address(struct abi_call *c, const uint8_t addr[20]);
void abi_put_bytes32(struct abi_call *c, const uint8_t b[32]);

/* "0x" then an even number of hex digits -> bytes. Returns the byte
 * count, or ABI_EBAD (no prefix, odd length, a non-hex digit, more than
 * cap bytes). "0x" alone is 0 bytes. */
long abi_hex_decode(const char *hex, size_t hexlen, uint8_t *out, size_t cap);
/* bytes -> "0x..." lower case into out (2 + 2n + 1 bytes). */
void abi_hex_encode(char *out, const uint8_t *b, size_t n);
/* "0x" and 40 hex digits (either case) -> 20 bytes; false otherwise. */
bool abi_parse_address(const char *s, uint8_t out[20]);
/* "0x" and 64 hex digits -> 32 bytes; false otherwise. */
bool abi_parse_bytes32(const char *s, uint8_t out[32]);
/* A JSON-RPC quantity ("0x1a", no leading zeros required) -> u64. */
bool abi_parse_quantity(const char *s, uint64_t *out);

/* Decoders over return data d[0..n): word i (i counts 32-byte words). */
int abi_word(const uint8_t *d, size_t n, size_t i, struct u256 *out);
/* Word i as an integer of at most bits bits (uint8 .. uint256). */
int abi_uint(const uint8_t *d, size_t n, size_t i, unsigned bits,
             struct u256 *out);
/* Word i as an address: the 12 high bytes must be zero. */
int abi_address(const uint8_t *d, size_t n, size_t i, uint8_t out[20]);
int abi_bytes32(const uint8_t *d, size_t n, size_t i, uint8_t out[32]);
/* Word i as a bool: exactly 0 or 1. */
int abi_bool(const uint8_t *d, size_t n, size_t i, bool *out);
/*
 * Word i is the offset of a dynamic `string`/`bytes`: copies at most
 * cap - 1 bytes into out, NUL-terminated, and returns its length, or
 * ABI_EBAD when the offset or length point outside d or the text is
 * longer than cap - 1. A 32-byte answer (bytes32 symbol, as old tokens
 * return) is read as its text up to the first NUL.
 */
long abi_string(const uint8_t *d, size_t n, size_t i, char *out, size_t cap);
/*
 * Word i is the offset of a dynamic array of static words: *count gets
 * its length and *first the word index of its element 0 (for abi_word).
 * ABI_EBAD when the array does not fit in d.
 */
int abi_array(const uint8_t *d, size_t n, size_t i, size_t *count,
              size_t *first);

#endif
