/*
 * rpc.h: Ethereum JSON-RPC over http: batches of calls sent as one JSON
 * array, answers matched to calls by id, retried with the feeds' back-off
 * when the node is unreachable or answers 429 or 5xx.
 *
 * Owns struct rpc (an http client, a retry timer) and struct rpc_batch
 * (the calls' labels and parameters, and the parsed answer: each item's
 * result points into the batch's own cJSON tree, valid until the batch is
 * reset or freed). One batch is in flight at a time per client.
 * rpc_close() cancels it and closes every handle; rpc_free() releases
 * memory after the loop has run their close callbacks.
 */
#ifndef RPC_H
#define RPC_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <uv.h>

#define RPC_LABEL_MAX 96
#define RPC_ERROR_MAX 400

struct rpc_item {
    char label[RPC_LABEL_MAX]; /* what the call is, for messages */
    char *method;              /* owned */
    char *params;              /* owned: JSON array text */
    const cJSON *result;       /* into the batch's tree; NULL on error */
    char error[RPC_ERROR_MAX]; /* the node's error for this call, or "" */
    long code;                 /* its JSON-RPC error code, 0 when none */
    /* the node's error answer (a revert, say) is an answer: the caller
     * reads result NULL as "none"; set after rpc_batch_add */
    bool optional;
};

struct rpc_batch {
    struct rpc_item *item;
    size_t n, cap;
    cJSON *root;               /* owned: the whole answer */
    char error[RPC_ERROR_MAX]; /* the batch failed as a whole, or "" */
    bool retryable;            /* that failure may pass (429, 5xx, down) */
};

struct rpc_opts {
    long timeout_ms;  /* per attempt; 0: 10000 */
    size_t max_bytes; /* answer cap; 0: 64 MiB */
    unsigned tries;   /* attempts for a retryable failure; 0: 1 */
    /* calls a request at most (nodes cap batches): a larger batch goes
     * as several requests, one after the other, answered as one; 0: no
     * limit */
    size_t max_calls;
};

struct rpc;

void rpc_batch_init(struct rpc_batch *b);
/* Drop every call and the answer. */
void rpc_batch_reset(struct rpc_batch *b);
void rpc_batch_done(struct rpc_batch *b);
/* Add a call; params is a JSON array's text ("[]" for none), copied.
 * Returns the call's index. */
size_t rpc_batch_add(struct rpc_batch *b, const char *label, const char *method,
                     const char *params);
/* Fill b->error with "LABEL: TEXT" for the first failed call (or the
 * batch's own failure) and return true; false when every call answered
 * (an optional call's error is an answer). */
bool rpc_batch_failed(struct rpc_batch *b);

int rpc_new(struct rpc **out, uv_loop_t *loop, const char *url,
            const struct rpc_opts *opts);
const char *rpc_url(const struct rpc *r);
/*
 * Send b; cb runs on the loop when every call has an answer (or the batch
 * failed for good: b->error). LIQ_EINVAL when a batch is in flight.
 */
typedef void (*rpc_done_cb)(void *arg, struct rpc_batch *b);
int rpc_send(struct rpc *r, struct rpc_batch *b, rpc_done_cb cb, void *arg);
/*
 * Send b and run r's loop until its answer is in: for commands that own
 * their loop (import), never for a loop a dashboard shares. 0, or LIQ_EIO
 * with b->error set for a failure of the batch as a whole.
 */
int rpc_run(struct rpc *r, struct rpc_batch *b);
bool rpc_busy(const struct rpc *r);
void rpc_close(struct rpc *r);
void rpc_free(struct rpc *r);

#endif
