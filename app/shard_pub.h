/*
 * shard_pub.h: a worker's side of a book split between machines
 * (design.md section 10, README "Sharded workers"): `liqtop run --shard
 * I/N --publish redis://HOST:PORT/PREFIX` publishes the shard's counts
 * and lowest-health positions to Redis as they change, a heartbeat with
 * its state, and answers preview requests for the positions it holds.
 *
 * Keys (PREFIX the URL's name, FIELD the shard as "I/N"):
 *   PREFIX:rows   hash, FIELD: one header line of JSON (shard, rows_seq,
 *                 ts, ticks_applied, counts), then each published
 *                 position as one line, snapshot's item exactly
 *   PREFIX:beat   hash, FIELD: one JSON object (shard, state, seq,
 *                 rows_seq, ts, positions, ticks_applied, error)
 *   PREFIX:preview:FIELD  list of preview requests (JSON), popped here;
 *                 each answer is pushed onto the request's "reply" key
 *                 (PREFIX:reply:...), which expires after 60 s
 *
 * Owns its two Redis connections (redis_conn: one for publishing, one
 * blocked in BLPOP on the request list) and its timer. Reads the book
 * only when it is settled; never blocks the loop; a Redis that goes away
 * is retried and everything is published again once it is back.
 */
#ifndef SHARD_PUB_H
#define SHARD_PUB_H

#include <stddef.h>
#include <stdint.h>

#include "app/app.h"

#define SHARD_PUB_TOP 100      /* positions published, by default */
#define SHARD_PUB_RATE 4       /* row publications a second at most */
#define SHARD_PUB_BEAT_MS 1000 /* a heartbeat at least this often */

struct shard_pub_opts {
    const char *url; /* redis://HOST:PORT/PREFIX */
    uint32_t shard, nshards;
    uint32_t top;  /* 0: SHARD_PUB_TOP */
    uint32_t rate; /* 0: SHARD_PUB_RATE */
};

struct shard_pub;

/* "I/N" with 0 <= I < N <= 4096 into *i, *n; -1 otherwise. */
int shard_pub_parse(const char *text, uint32_t *i, uint32_t *n);

/*
 * A publisher for app a (borrowed; its book settled before app_start).
 * LIQ_EINVAL with a message in err for a bad URL. Free with
 * shard_pub_free once the loop has drained.
 */
int shard_pub_new(struct shard_pub **out, struct app *a,
                  const struct shard_pub_opts *o, char *err, size_t errlen);
/* Connect and take a's on_prices, on_state and on_stop hooks: at a stop
 * the heartbeat says "stopped" (waited for at most a second), then
 * app_stop runs. 0 or a libuv error. */
int shard_pub_start(struct shard_pub *p);
/* The last Redis problem ("" none), and publications made. */
const char *shard_pub_error(const struct shard_pub *p);
uint64_t shard_pub_count(const struct shard_pub *p);
void shard_pub_free(struct shard_pub *p);

#endif
