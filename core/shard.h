/*
 * shard.h: which of N shards holds a position, by its id alone.
 *
 * Owns the hash that splits a book between workers (design.md section 10):
 * 64-bit FNV-1a over the id's bytes (offset basis 14695981039346656037,
 * prime 1099511628211), the shard being that value modulo N. Stable across
 * machines, builds and releases: a worker and an attached view that never
 * shared memory agree on it. Pure: no I/O.
 */
#ifndef SHARD_H
#define SHARD_H

#include <stddef.h>
#include <stdint.h>

/* FNV-1a 64 of id[0..len). */
uint64_t shard_hash(const char *id, size_t len);

/* The shard (0..n-1) that holds id; n must be at least 1. */
uint32_t shard_of(const char *id, size_t len, uint32_t n);

#endif
