/*
 * redis_conn.c: a Redis connection kept up on the loop (redis_conn.h).
 *
 * Owns connecting, the deadline of each attempt, the PING that proves the
 * server answers, and the retries. Never reads what the owner's commands
 * answer, and never frees a context from inside a hiredis callback.
 */
#include "feeds/redis_conn.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/liq.h"
#include "feeds/feed.h"
#include "feeds/redis_ev.h"

int
redis_conn_url(const char *url, const char *scheme, char *host, size_t hostcap,
               int *port, char *name, size_t namecap, char *err, size_t errlen)
{
    size_t sl = strlen(scheme);
    const char *rest, *slash, *colon;
    char *end = NULL;
    long p;

    if (strncmp(url, scheme, sl) != 0 || strncmp(url + sl, "://", 3) != 0)
        goto bad;
    rest = url + sl + 3;
    slash = strchr(rest, '/');
    colon = slash != NULL ? memchr(rest, ':', (size_t)(slash - rest)) : NULL;
    if (slash == NULL || colon == NULL || colon == rest || slash[1] == '\0' ||
        (size_t)(colon - rest) >= hostcap || strlen(slash + 1) >= namecap)
        goto bad;
    p = strtol(colon + 1, &end, 10);
    if (end != slash || p <= 0 || p > 65535)
        goto bad;
    memcpy(host, rest, (size_t)(colon - rest));
    host[colon - rest] = '\0';
    *port = (int)p;
    snprintf(name, namecap, "%s", slash + 1);
    return 0;
bad:
    snprintf(err, errlen, "%.200s: expected %s://HOST:PORT/NAME", url, scheme);
    return LIQ_EINVAL;
}

static void redis_conn_connect(struct redis_conn *l);

static void
redis_conn_retry_cb(uv_timer_t *t)
{
    redis_conn_connect(t->data);
}

/* The context is gone (hiredis freed it, or we did): try again later. */
static void
redis_conn_lost(struct redis_conn *l)
{
    bool was_up = l->up;
    uint64_t now = uv_now(l->loop);

    l->ctx = NULL;
    l->up = false;
    uv_timer_stop(&l->attempt);
    if (l->stopping)
        return;
    /* The back-off starts again only after a connection that lasted. */
    if (was_up && now - l->up_since >= FEED_HEALTHY_MS)
        l->backoff_ms = 100;
    l->reconnects++;
    uv_timer_start(&l->retry, redis_conn_retry_cb,
                   feed_backoff_step(&l->backoff_ms, &l->rng), 0);
    if (was_up && l->on_down != NULL)
        l->on_down(l);
}

static void
redis_conn_attempt_cb(uv_timer_t *t)
{
    struct redis_conn *l = t->data;
    redisAsyncContext *c = l->ctx;

    snprintf(l->error, sizeof l->error, "%.100s:%d: no answer within %llu ms",
             l->host, l->port, (unsigned long long)l->connect_timeout_ms);
    if (c != NULL) {
        l->freeing = true;
        redisAsyncFree(c);
        l->freeing = false;
    }
    redis_conn_lost(l);
}

static void
redis_conn_ping_cb(redisAsyncContext *c, void *reply, void *priv)
{
    struct redis_conn *l = priv;
    redisReply *r = reply;

    (void)c;
    if (r == NULL || l->stopping || l->up)
        return;
    if (r->type == REDIS_REPLY_ERROR) {
        /* e.g. LOADING: the deadline retries it */
        snprintf(l->error, sizeof l->error, "%.100s:%d: %.200s", l->host,
                 l->port, r->str);
        return;
    }
    uv_timer_stop(&l->attempt);
    l->up = true;
    l->up_since = uv_now(l->loop);
    l->error[0] = '\0';
    if (l->on_up != NULL)
        l->on_up(l);
}

static void
redis_conn_connect_cb(const redisAsyncContext *c, int status)
{
    struct redis_conn *l = c->data;

    if (status != REDIS_OK) {
        snprintf(l->error, sizeof l->error, "%.100s:%d: connect: %.200s",
                 l->host, l->port, c->errstr);
        redis_conn_lost(l); /* hiredis frees the context after this */
    }
}

static void
redis_conn_disconnect_cb(const redisAsyncContext *c, int status)
{
    struct redis_conn *l = c->data;

    if (l->freeing)
        return;
    if (status != REDIS_OK)
        snprintf(l->error, sizeof l->error, "%.100s:%d: %.200s", l->host,
                 l->port, c->errstr);
    else
        snprintf(l->error, sizeof l->error, "%.100s:%d: connection closed",
                 l->host, l->port);
    redis_conn_lost(l);
}

static void
redis_conn_connect(struct redis_conn *l)
{
    redisAsyncContext *c;

    if (l->stopping)
        return;
    c = redisAsyncConnect(l->host, l->port);
    if (c == NULL)
        liq_nomem();
    if (c->err) {
        snprintf(l->error, sizeof l->error, "%.100s:%d: %.200s", l->host,
                 l->port, c->errstr);
        redisAsyncFree(c);
        redis_conn_lost(l);
        return;
    }
    c->data = l;
    if (redis_ev_attach(c, l->loop) != 0) {
        redisAsyncFree(c);
        redis_conn_lost(l);
        return;
    }
    redisAsyncSetConnectCallback(c, redis_conn_connect_cb);
    redisAsyncSetDisconnectCallback(c, redis_conn_disconnect_cb);
    l->ctx = c;
    uv_timer_start(&l->attempt, redis_conn_attempt_cb, l->connect_timeout_ms,
                   0);
    redisAsyncCommand(c, redis_conn_ping_cb, l, "PING");
}

int
redis_conn_start(struct redis_conn *l, uv_loop_t *loop, const char *host,
                 int port)
{
    int rc;

    l->loop = loop;
    snprintf(l->host, sizeof l->host, "%s", host);
    l->port = port;
    if (l->connect_timeout_ms == 0)
        l->connect_timeout_ms = FEED_CONNECT_TIMEOUT_MS;
    l->backoff_ms = 100;
    l->rng = 0x9e3779b97f4a7c15ULL ^ (uint64_t)uv_hrtime();
    if (l->rng == 0)
        l->rng = 1;
    if ((rc = uv_timer_init(loop, &l->retry)) != 0)
        return rc;
    if ((rc = uv_timer_init(loop, &l->attempt)) != 0) {
        uv_close((uv_handle_t *)&l->retry, NULL);
        return rc;
    }
    l->retry.data = l->attempt.data = l;
    l->open = true;
    redis_conn_connect(l);
    return 0;
}

static void
redis_conn_closed_cb(uv_handle_t *h)
{
    struct redis_conn *l = h->data;

    l->closing--;
}

void
redis_conn_stop(struct redis_conn *l)
{
    redisAsyncContext *c = l->ctx;

    l->stopping = true;
    l->up = false;
    if (c != NULL) {
        l->ctx = NULL;
        l->freeing = true;
        redisAsyncFree(c);
        l->freeing = false;
    }
    if (l->open) {
        l->open = false;
        l->closing = 2;
        uv_close((uv_handle_t *)&l->retry, redis_conn_closed_cb);
        uv_close((uv_handle_t *)&l->attempt, redis_conn_closed_cb);
    }
}

bool
redis_conn_closed(const struct redis_conn *l)
{
    return !l->open && l->closing == 0;
}

void
redis_conn_drop(struct redis_conn *l, const char *why)
{
    redisAsyncContext *c = l->ctx;

    if (c == NULL || l->stopping)
        return;
    snprintf(l->error, sizeof l->error, "%.100s:%d: %.200s", l->host, l->port,
             why);
    l->ctx = NULL; /* no command from the callbacks the free runs */
    l->freeing = true;
    redisAsyncFree(c);
    l->freeing = false;
    redis_conn_lost(l);
}

int
redis_conn_command(struct redis_conn *l, redisCallbackFn *fn, void *priv,
                   const char *fmt, ...)
{
    va_list ap;
    int rc;

    if (!l->up || l->ctx == NULL)
        return -1;
    va_start(ap, fmt);
    rc = redisvAsyncCommand(l->ctx, fn, priv, fmt, ap);
    va_end(ap);
    return rc == REDIS_OK ? 0 : -1;
}

int
redis_conn_argv(struct redis_conn *l, redisCallbackFn *fn, void *priv, int argc,
                const char **argv, const size_t *lens)
{
    if (!l->up || l->ctx == NULL)
        return -1;
    return redisAsyncCommandArgv(l->ctx, fn, priv, argc, argv, lens) == REDIS_OK
               ? 0
               : -1;
}
