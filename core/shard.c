/*
 * shard.c: the position-id hash that splits a book between workers.
 *
 * Owns FNV-1a 64 and the shard it picks; must never change, since workers
 * and attached views of different builds meet through it.
 */
#include "core/shard.h"

uint64_t
shard_hash(const char *id, size_t len)
{
    uint64_t h = 14695981039346656037ULL;

    for (size_t i = 0; i < len; i++) {
        h ^= (uint64_t)(unsigned char)id[i];
        h *= 1099511628211ULL;
    }
    return h;
}

uint32_t
shard_of(const char *id, size_t len, uint32_t n)
{
    return n <= 1 ? 0 : (uint32_t)(shard_hash(id, len) % n);
}
