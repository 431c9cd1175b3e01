/*
 * keccak.h: Keccak-256 as Ethereum uses it (the original Keccak padding
 * 0x01, not SHA3's 0x06): function selectors, event topics.
 *
 * Owns nothing: one call hashes one buffer into 32 bytes the caller owns.
 * Pure; no allocation, no I/O.
 */
#ifndef KECCAK_H
#define KECCAK_H

#include <stddef.h>
#include <stdint.h>

void keccak256(const void *data, size_t len, uint8_t out[32]);

/* The first four bytes of keccak256(signature), big-endian, as a number
 * (0xa9059cbb for "transfer(address,uint256)"). */
uint32_t keccak_selector(const char *signature);

#endif
