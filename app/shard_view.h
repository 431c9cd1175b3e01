/*
 * shard_view.h: the merged ranking of a book split between workers, read
 * from Redis (the keys of app/shard_pub.h), with no book of its own: what
 * `liqtop attach` prints and `liqtop --attach` shows.
 *
 * Owns one Redis connection (redis_conn), a poll timer, each worker's
 * heartbeat and published rows, and the merge: the workers that publish
 * (a heartbeat newer than the stale limit, not stopped) give their rows,
 * ranked as snapshot ranks (health ascending, ties by id, positions
 * without debt next, unpriced last), and their counts, summed. A worker
 * whose heartbeat stops is marked stale and its rows leave the ranking;
 * they return with its next publication. Ages are measured on this
 * machine's clock (since a heartbeat was last seen to change), so clocks
 * of other machines never matter. Never blocks the loop.
 */
#ifndef SHARD_VIEW_H
#define SHARD_VIEW_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <uv.h>

#include "core/u256.h"
#include "feeds/redis_conn.h"

#define SHARD_VIEW_POLL_MS 200
#define SHARD_VIEW_STALE_MS 3000
#define SHARD_VIEW_PREVIEW_MS 5000

/* One published position. */
struct shard_row {
    char *text;  /* the item's JSON, as snapshot prints it (owned) */
    cJSON *item; /* the same, parsed (owned) */
    const char *id;
    int cls; /* 0 priced with debt, 1 without debt, 2 unpriced */
    struct u256 hf;
    uint32_t worker; /* index in shard_view.w */
};

struct shard_counts {
    uint64_t total, liquidatable, at_risk, pre, no_debt, bad_debt, unpriced;
};

struct shard_worker {
    char field[32]; /* "I/N" */
    uint32_t i, n;
    char state[32];  /* as it published it, "stale" when it stopped */
    char run[64];    /* which start of the worker */
    char error[256]; /* its last problem, "" none */
    uint64_t seq, rows_seq, positions, ticks_applied;
    bool current;     /* its rows_seq rows hold its book as it is */
    uint64_t seen_ms; /* uv_now() when seq last changed */
    bool stale;       /* no heartbeat for the stale limit */
    /* Its rows as last fetched: of rows_run's rows_have. */
    char rows_run[64];
    uint64_t rows_have;
    bool fetching;
    struct shard_row *rows;
    size_t nrows;
    struct shard_counts counts;
};

typedef void (*shard_view_answer_fn)(void *arg, int status, const char *text,
                                     size_t len);

struct shard_view {
    uv_loop_t *loop;
    struct redis_conn link;
    uv_timer_t poll;
    bool open;
    char host[256];
    int port;
    char prefix[256];
    char k_rows[300], k_beat[300];
    uint64_t stale_ms;
    uint32_t top; /* merged rows kept */

    struct shard_worker *w;
    size_t nw;
    bool polling; /* an HGETALL out */
    bool have_beats;

    /* The merge: pointers into the workers' rows, ranked, top at most. */
    const struct shard_row **merged;
    size_t nmerged;
    struct shard_counts counts;
    uint32_t nshards;   /* N of the workers merged, 0 none */
    bool complete;      /* every shard of N merged, each once */
    uint64_t version;   /* bumps when anything shown changed */
    uint32_t published; /* the fewest rows a merged worker published */

    /* One preview asked at a time. */
    bool pv_active, pv_popping;
    char pv_key[340];
    uint64_t pv_deadline;
    shard_view_answer_fn pv_cb;
    void *pv_arg;
    uint64_t pv_counter;

    void (*on_change)(void *arg); /* after version bumps; may be NULL */
    void *arg;
};

/* What a preview asks (cmd_preview_args' fields, borrowed). */
struct shard_preview_req {
    const char *position, *debt, *coll, *repay, *target, *seize;
    bool table;
};

/*
 * Read url (redis://HOST:PORT/PREFIX) and connect on loop. LIQ_EINVAL with
 * a message for a bad URL. stale_ms 0: SHARD_VIEW_STALE_MS; top 0: 100.
 * Stop with shard_view_stop, free after the loop has drained.
 */
int shard_view_start(struct shard_view *v, uv_loop_t *loop, const char *url,
                     uint64_t stale_ms, uint32_t top, char *err, size_t errlen);
void shard_view_stop(struct shard_view *v);
void shard_view_free(struct shard_view *v);

/* Whether every merged worker's rows are fetched and hold its book as it
 * is, the shards complete and none stale (state: every worker's state
 * must be that, NULL any). */
bool shard_view_settled(const struct shard_view *v, const char *state);

/*
 * Ask the worker that holds q->position for its preview (answer: 0 and
 * the text as `liqtop preview` prints it, or an error status and a
 * message); a request still out is dropped for this one. LIQ_ENOENT when
 * no publishing worker holds the position's shard, LIQ_EIO when Redis is
 * down.
 */
int shard_view_preview(struct shard_view *v, const struct shard_preview_req *q,
                       shard_view_answer_fn cb, void *arg);

/* Write the merged view as JSON: workers, counts, positions (each item
 * as snapshot prints it). 0 or LIQ_EIO. */
int shard_view_write_json(const struct shard_view *v, FILE *out);

#endif
