/*
 * feed_redis.c: the shared feed bus: a Redis pub/sub channel
 * (redis://HOST:PORT/CHANNEL) that any number of liqtop processes
 * subscribe to, through hiredis's async API and the loop glue of
 * feeds/redis_ev.c.
 *
 * Owns the hiredis async context, a reconnect timer and each attempt's
 * deadline. The feed is live once the server confirms the subscription.
 * Each published message is one or more protocol lines. A lost connection,
 * a refused one or one that does not subscribe in time is retried with
 * the shared back-off.
 */
#include <hiredis/async.h>
#include <hiredis/hiredis.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/liq.h"
#include "feeds/feed.h"
#include "feeds/redis_ev.h"

struct redis {
    char host[256];
    int port;
    char channel[256];
    redisAsyncContext *ctx;
    uv_timer_t retry;
    uv_timer_t attempt; /* this connection attempt's deadline */
    bool timers_open;
    bool freeing; /* redis_abandon is freeing ctx: callbacks stay quiet */
};

static void redis_connect(struct feed *f);

static void
redis_retry_cb(uv_timer_t *t)
{
    redis_connect(t->data);
}

static void
redis_lost(struct feed *f)
{
    struct redis *r = f->impl;

    r->ctx = NULL;
    uv_timer_stop(&r->attempt);
    if (f->stopping)
        return;
    feed_set_state(f, FEED_RECONNECTING);
    f->reconnects++;
    uv_timer_start(&r->retry, redis_retry_cb, feed_retry_delay(f), 0);
}

/* Free the context from outside hiredis's callbacks, then retry. */
static void
redis_abandon(struct feed *f)
{
    struct redis *r = f->impl;
    redisAsyncContext *c = r->ctx;

    if (c != NULL) {
        r->freeing = true;
        redisAsyncFree(c);
        r->freeing = false;
    }
    redis_lost(f);
}

static void
redis_attempt_cb(uv_timer_t *t)
{
    struct feed *f = t->data;

    snprintf(f->error, sizeof(f->error),
             "%.120s: no subscription within %llu ms", f->spec,
             (unsigned long long)f->connect_timeout_ms);
    redis_abandon(f);
}

static void
redis_message_cb(redisAsyncContext *c, void *reply, void *priv)
{
    struct feed *f = priv;
    struct redis *r = f->impl;
    redisReply *m = reply;

    (void)c;
    if (m == NULL || m->type != REDIS_REPLY_ARRAY || m->elements != 3)
        return;
    if (m->element[0]->type != REDIS_REPLY_STRING)
        return;
    if (strcmp(m->element[0]->str, "subscribe") == 0) {
        /* Live from here: what is published now reaches this feed. */
        uv_timer_stop(&r->attempt);
        feed_set_live(f);
        return;
    }
    if (strcmp(m->element[0]->str, "message") != 0)
        return;
    if (m->element[2]->type != REDIS_REPLY_STRING)
        return;
    feed_bytes(f, m->element[2]->str, m->element[2]->len);
    feed_eof(f); /* a message is complete even without a newline */
}

static void
redis_connect_cb(const redisAsyncContext *c, int status)
{
    struct feed *f = c->data;

    if (status != REDIS_OK) {
        snprintf(f->error, sizeof(f->error), "%.120s: connect: %.120s", f->spec,
                 c->errstr);
        redis_lost(f); /* hiredis frees the context after this */
    }
}

static void
redis_disconnect_cb(const redisAsyncContext *c, int status)
{
    struct feed *f = c->data;
    struct redis *r = f->impl;

    if (r->freeing)
        return;
    if (status != REDIS_OK)
        snprintf(f->error, sizeof(f->error), "%.120s: %.120s", f->spec,
                 c->errstr);
    redis_lost(f);
}

static void
redis_connect(struct feed *f)
{
    struct redis *r = f->impl;
    redisAsyncContext *c;

    if (f->stopping)
        return;
    c = redisAsyncConnect(r->host, r->port);
    if (c == NULL)
        liq_nomem();
    if (c->err) {
        snprintf(f->error, sizeof(f->error), "%.120s: %.120s", f->spec,
                 c->errstr);
        redisAsyncFree(c);
        redis_lost(f);
        return;
    }
    c->data = f;
    if (redis_ev_attach(c, f->loop) != 0) {
        redisAsyncFree(c);
        redis_lost(f);
        return;
    }
    redisAsyncSetConnectCallback(c, redis_connect_cb);
    redisAsyncSetDisconnectCallback(c, redis_disconnect_cb);
    r->ctx = c;
    uv_timer_start(&r->attempt, redis_attempt_cb, f->connect_timeout_ms, 0);
    redisAsyncCommand(c, redis_message_cb, f, "SUBSCRIBE %s", r->channel);
}

static int
redis_start(struct feed *f)
{
    struct redis *r = f->impl;
    int rc = uv_timer_init(f->loop, &r->retry);

    if (rc == 0)
        rc = uv_timer_init(f->loop, &r->attempt);
    if (rc != 0)
        return rc;
    r->timers_open = true;
    r->retry.data = r->attempt.data = f;
    redis_connect(f);
    return 0;
}

static void
redis_stop(struct feed *f)
{
    struct redis *r = f->impl;

    if (r->timers_open && !uv_is_closing((uv_handle_t *)&r->retry)) {
        uv_close((uv_handle_t *)&r->retry, NULL);
        uv_close((uv_handle_t *)&r->attempt, NULL);
    }
    if (r->ctx != NULL) {
        redisAsyncContext *c = r->ctx;

        r->ctx = NULL;
        redisAsyncFree(c);
    }
}

static void
redis_free(struct feed *f)
{
    free(f->impl);
}

static const struct feed_ops feed_redis_ops = {
    .name = "redis",
    .start = redis_start,
    .stop = redis_stop,
    .free = redis_free,
};

int
feed_redis_new(struct feed *f, const char *arg, char *err, size_t errlen)
{
    struct redis *r = calloc(1, sizeof(*r));
    const char *slash = strchr(arg, '/'), *colon;
    char *end = NULL;
    long port;

    if (r == NULL)
        liq_nomem();
    colon = slash != NULL ? memchr(arg, ':', (size_t)(slash - arg)) : NULL;
    if (slash == NULL || colon == NULL || slash[1] == '\0' || colon == arg ||
        (size_t)(colon - arg) >= sizeof(r->host) ||
        strlen(slash + 1) >= sizeof(r->channel)) {
        snprintf(err, errlen,
                 "--feed redis://%s: expected redis://HOST:PORT/CHANNEL", arg);
        free(r);
        return LIQ_EINVAL;
    }
    port = strtol(colon + 1, &end, 10);
    if (end != slash || port <= 0 || port > 65535) {
        snprintf(err, errlen, "--feed redis://%s: bad port", arg);
        free(r);
        return LIQ_EINVAL;
    }
    memcpy(r->host, arg, (size_t)(colon - arg));
    r->port = (int)port;
    snprintf(r->channel, sizeof(r->channel), "%s", slash + 1);
    f->ops = &feed_redis_ops;
    f->impl = r;
    return 0;
}
