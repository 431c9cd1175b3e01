/*
 * rpc.c: JSON-RPC 2.0 batches on feeds/http.c: the request text, the
 * answer matched by id, errors per call and per batch, retries.
 *
 * Must not block the loop (rpc_run is for a loop of the caller's own) and
 * must not trust the answer: any shape but the one asked for is an error
 * naming the call.
 */
#include "feeds/rpc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/liq.h"
#include "feeds/feed.h"
#include "feeds/http.h"

struct rpc {
    uv_loop_t *loop;
    struct http *http;
    char *url;
    struct rpc_opts opts;
    uv_timer_t retry;
    bool closed;
    /* the batch in flight */
    struct rpc_batch *b;
    rpc_done_cb cb;
    void *arg;
    char *body;
    size_t body_len;
    unsigned attempt;
    uint64_t backoff_ms, rng;
    uint64_t next_id;
    uint64_t first_id; /* the id of b's call 0 */
    size_t chunk0;     /* the calls [chunk0, chunk1) are the request */
    size_t chunk1;
    bool run_done; /* rpc_run's answer is in */
};

static char *
rpc_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);

    if (d == NULL)
        abort();
    memcpy(d, s, n);
    return d;
}

void
rpc_batch_init(struct rpc_batch *b)
{
    memset(b, 0, sizeof(*b));
}

void
rpc_batch_reset(struct rpc_batch *b)
{
    for (size_t i = 0; i < b->n; i++) {
        free(b->item[i].method);
        free(b->item[i].params);
    }
    b->n = 0;
    cJSON_Delete(b->root);
    b->root = NULL;
    b->error[0] = '\0';
    b->retryable = false;
}

void
rpc_batch_done(struct rpc_batch *b)
{
    rpc_batch_reset(b);
    free(b->item);
    b->item = NULL;
    b->cap = 0;
}

size_t
rpc_batch_add(struct rpc_batch *b, const char *label, const char *method,
              const char *params)
{
    struct rpc_item *it;

    if (b->n == b->cap) {
        b->cap = b->cap ? b->cap * 2 : 16;
        b->item = realloc(b->item, b->cap * sizeof(*b->item));
        if (b->item == NULL)
            abort();
    }
    it = &b->item[b->n];
    memset(it, 0, sizeof(*it));
    snprintf(it->label, sizeof(it->label), "%s", label);
    it->method = rpc_strdup(method);
    it->params = rpc_strdup(params);
    return b->n++;
}

bool
rpc_batch_failed(struct rpc_batch *b)
{
    char msg[RPC_ERROR_MAX];

    if (b->error[0] != '\0')
        return true;
    for (size_t i = 0; i < b->n; i++) {
        if (b->item[i].result == NULL &&
            !(b->item[i].optional && b->item[i].error[0] != '\0')) {
            snprintf(msg, sizeof(msg), "%.90s: %.300s", b->item[i].label,
                     b->item[i].error[0] ? b->item[i].error : "no answer");
            memcpy(b->error, msg, sizeof(msg));
            return true;
        }
    }
    return false;
}

/* The request text: one array of every call, ids from first_id. */
static void
rpc_build(struct rpc *r)
{
    size_t cap = 64, len = 0;
    char *s;

    r->chunk1 = r->b->n;
    if (r->opts.max_calls != 0 && r->chunk1 - r->chunk0 > r->opts.max_calls)
        r->chunk1 = r->chunk0 + r->opts.max_calls;
    for (size_t i = r->chunk0; i < r->chunk1; i++)
        cap += strlen(r->b->item[i].method) + strlen(r->b->item[i].params) + 64;
    s = malloc(cap);
    if (s == NULL)
        abort();
    s[len++] = '[';
    for (size_t i = r->chunk0; i < r->chunk1; i++)
        len += (size_t)snprintf(
            s + len, cap - len,
            "%s{\"jsonrpc\":\"2.0\",\"id\":%llu,\"method\":\"%s\","
            "\"params\":%s}",
            i > r->chunk0 ? "," : "", (unsigned long long)(r->first_id + i),
            r->b->item[i].method, r->b->item[i].params);
    s[len++] = ']';
    s[len] = '\0';
    free(r->body);
    r->body = s;
    r->body_len = len;
}

static void rpc_http_cb(void *arg, const struct http_result *res);

static int
rpc_post(struct rpc *r)
{
    return http_post(r->http, r->url, r->body, r->body_len, r->opts.timeout_ms,
                     r->opts.max_bytes, rpc_http_cb, r);
}

static void
rpc_finish(struct rpc *r)
{
    struct rpc_batch *b = r->b;
    rpc_done_cb cb = r->cb;

    r->b = NULL;
    r->cb = NULL;
    free(r->body);
    r->body = NULL;
    cb(r->arg, b);
}

static void
rpc_retry_cb(uv_timer_t *t)
{
    struct rpc *r = t->data;

    if (rpc_post(r) != 0) {
        snprintf(r->b->error, sizeof(r->b->error), "%s: cannot send",
                 r->b->n ? r->b->item[0].label : "batch");
        rpc_finish(r);
    }
}

/* Shape of one answer object: its id's call gets result or error. */
static void
rpc_take(struct rpc *r, const cJSON *o)
{
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(o, "id");
    const cJSON *res, *err;
    struct rpc_item *it;
    uint64_t k;

    if (!cJSON_IsNumber(id) ||
        id->valuedouble < (double)(r->first_id + r->chunk0) ||
        id->valuedouble >= (double)(r->first_id + r->chunk1))
        return;
    k = (uint64_t)id->valuedouble - r->first_id;
    if ((double)(k + r->first_id) < id->valuedouble)
        return; /* not a whole number */
    it = &r->b->item[k];
    err = cJSON_GetObjectItemCaseSensitive(o, "error");
    res = cJSON_GetObjectItemCaseSensitive(o, "result");
    if (err != NULL) {
        const cJSON *c = cJSON_GetObjectItemCaseSensitive(err, "code");
        const cJSON *m = cJSON_GetObjectItemCaseSensitive(err, "message");

        it->code = cJSON_IsNumber(c) ? (long)c->valuedouble : 0;
        snprintf(it->error, sizeof(it->error), "JSON-RPC error %ld: %.300s",
                 it->code, cJSON_IsString(m) ? m->valuestring : "(no message)");
        it->result = NULL;
    } else if (res != NULL) {
        it->result = res;
        it->error[0] = '\0';
    }
}

static void
rpc_http_cb(void *arg, const struct http_result *res)
{
    struct rpc *r = arg;
    struct rpc_batch *b = r->b;
    const char *first = b->n ? b->item[r->chunk0].label : "batch";
    const cJSON *o;
    cJSON *tree;

    b->error[0] = '\0';
    b->retryable = res->err == HTTP_ETRANSPORT ||
                   (res->err == HTTP_ESTATUS &&
                    (res->status == 429 || res->status >= 500));
    if (res->err != HTTP_OK) {
        snprintf(b->error, sizeof(b->error), "%s: %s: %s", first, r->url,
                 res->error);
        if (b->retryable && ++r->attempt < r->opts.tries) {
            uv_timer_start(&r->retry, rpc_retry_cb,
                           feed_backoff_step(&r->backoff_ms, &r->rng), 0);
            return;
        }
        rpc_finish(r);
        return;
    }
    tree = cJSON_ParseWithLength(res->body, res->len);
    if (tree == NULL) {
        snprintf(b->error, sizeof(b->error), "%s: %s: answer is not JSON",
                 first, r->url);
    } else if (cJSON_IsArray(tree)) {
        cJSON_ArrayForEach(o, tree) rpc_take(r, o);
    } else if (cJSON_IsObject(tree) &&
               cJSON_GetObjectItemCaseSensitive(tree, "error") != NULL) {
        /* the node refused the batch as a whole */
        const cJSON *e = cJSON_GetObjectItemCaseSensitive(tree, "error");
        const cJSON *m = cJSON_GetObjectItemCaseSensitive(e, "message");

        snprintf(b->error, sizeof(b->error), "%.80s: JSON-RPC error: %.300s",
                 first, cJSON_IsString(m) ? m->valuestring : "(no message)");
    } else if (r->chunk1 - r->chunk0 == 1 && cJSON_IsObject(tree)) {
        rpc_take(r, tree);
    } else {
        snprintf(b->error, sizeof(b->error),
                 "%s: %s: answer is not a JSON-RPC batch", first, r->url);
    }
    /* One request's answer is the batch's tree; the answers of several
     * are kept together in one array, the results pointing into them. */
    if (tree != NULL && b->root == NULL && r->chunk0 == 0 &&
        r->chunk1 == b->n) {
        b->root = tree;
    } else if (tree != NULL) {
        if (b->root == NULL)
            b->root = cJSON_CreateArray();
        if (b->root == NULL)
            abort();
        cJSON_AddItemToArray(b->root, tree);
    }
    if (b->error[0] == '\0' && r->chunk1 < b->n) {
        r->chunk0 = r->chunk1; /* the next request of the batch */
        r->attempt = 0;
        rpc_build(r);
        if (rpc_post(r) != 0) {
            snprintf(b->error, sizeof(b->error), "%s: cannot send",
                     b->item[r->chunk0].label);
            rpc_finish(r);
        }
        return;
    }
    rpc_finish(r);
}

int
rpc_new(struct rpc **out, uv_loop_t *loop, const char *url,
        const struct rpc_opts *opts)
{
    struct rpc *r = calloc(1, sizeof(*r));
    int rc;

    if (r == NULL)
        abort();
    if ((rc = http_new(&r->http, loop)) != 0) {
        free(r);
        return rc;
    }
    r->loop = loop;
    r->url = rpc_strdup(url);
    if (opts != NULL)
        r->opts = *opts;
    if (r->opts.timeout_ms == 0)
        r->opts.timeout_ms = 10000;
    if (r->opts.max_bytes == 0)
        r->opts.max_bytes = (size_t)64 << 20;
    if (r->opts.tries == 0)
        r->opts.tries = 1;
    r->rng = 0x2545f4914f6cdd1dULL ^ (uint64_t)(uintptr_t)r;
    r->next_id = 1;
    uv_timer_init(loop, &r->retry);
    r->retry.data = r;
    *out = r;
    return 0;
}

const char *
rpc_url(const struct rpc *r)
{
    return r->url;
}

bool
rpc_busy(const struct rpc *r)
{
    return r->b != NULL;
}

int
rpc_send(struct rpc *r, struct rpc_batch *b, rpc_done_cb cb, void *arg)
{
    if (r->closed)
        return LIQ_EIO;
    if (r->b != NULL)
        return LIQ_EINVAL;
    cJSON_Delete(b->root);
    b->root = NULL;
    b->error[0] = '\0';
    for (size_t i = 0; i < b->n; i++) {
        b->item[i].result = NULL;
        b->item[i].error[0] = '\0';
        b->item[i].code = 0;
    }
    r->b = b;
    r->cb = cb;
    r->arg = arg;
    r->attempt = 0;
    r->backoff_ms = 100;
    r->first_id = r->next_id;
    r->next_id += b->n;
    r->chunk0 = 0;
    rpc_build(r);
    if (rpc_post(r) != 0) {
        r->b = NULL;
        snprintf(b->error, sizeof(b->error), "%s: cannot send",
                 b->n ? b->item[0].label : "batch");
        return LIQ_EIO;
    }
    return 0;
}

static void
rpc_run_cb(void *arg, struct rpc_batch *b)
{
    struct rpc *r = arg;

    (void)b;
    r->run_done = true;
}

int
rpc_run(struct rpc *r, struct rpc_batch *b)
{
    int rc;

    r->run_done = false;
    if ((rc = rpc_send(r, b, rpc_run_cb, r)) != 0)
        return rc;
    while (!r->run_done && uv_run(r->loop, UV_RUN_ONCE) != 0)
        ;
    if (!r->run_done) {
        snprintf(b->error, sizeof(b->error), "%s: no answer",
                 b->n ? b->item[0].label : "batch");
        r->b = NULL;
        return LIQ_EIO;
    }
    return b->error[0] != '\0' ? LIQ_EIO : 0;
}

void
rpc_close(struct rpc *r)
{
    if (r == NULL || r->closed)
        return;
    r->closed = true;
    r->b = NULL;
    http_close(r->http);
    uv_timer_stop(&r->retry);
    uv_close((uv_handle_t *)&r->retry, NULL);
}

void
rpc_free(struct rpc *r)
{
    if (r == NULL)
        return;
    http_free(r->http);
    free(r->url);
    free(r->body);
    free(r);
}
