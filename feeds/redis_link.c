/*
 * redis_link.c: a feed's Redis connection: hiredis's async API on the
 * loop (feeds/redis_ev.c), each attempt's deadline, reconnecting with the
 * shared back-off (feed.c).
 *
 * Owns the hiredis async context and the retry and deadline timers of a
 * struct redis_link. Sends no command of its own and parses no reply:
 * that is the adapters' (feed_redis.c, feed_redis_stream.c).
 */
#include "feeds/redis_link.h"

#include <hiredis/hiredis.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/liq.h"
#include "feeds/redis_ev.h"

int
redis_link_parse(struct redis_link *l, const char *scheme, const char *what,
                 const char *arg, const char *stop, char *name, size_t namecap,
                 char *err, size_t errlen)
{
    const char *slash = strchr(arg, '/'), *colon;
    char *end = NULL;
    size_t n = slash != NULL ? strcspn(slash + 1, stop) : 0;
    long port;

    colon = slash != NULL ? memchr(arg, ':', (size_t)(slash - arg)) : NULL;
    if (slash == NULL || colon == NULL || n == 0 || colon == arg ||
        (size_t)(colon - arg) >= sizeof(l->host) || n >= namecap) {
        snprintf(err, errlen, "--feed %s%s: expected %sHOST:PORT/%s", scheme,
                 arg, scheme, what);
        return LIQ_EINVAL;
    }
    port = strtol(colon + 1, &end, 10);
    if (end != slash || port <= 0 || port > 65535) {
        snprintf(err, errlen, "--feed %s%s: bad port", scheme, arg);
        return LIQ_EINVAL;
    }
    memcpy(l->host, arg, (size_t)(colon - arg));
    l->host[colon - arg] = '\0';
    l->port = (int)port;
    memcpy(name, slash + 1, n);
    name[n] = '\0';
    return 0;
}

static void redis_link_connect(struct redis_link *l);

static void
redis_link_retry_cb(uv_timer_t *t)
{
    redis_link_connect(t->data);
}

static void
redis_link_lost(struct redis_link *l)
{
    struct feed *f = l->f;

    l->ctx = NULL;
    uv_timer_stop(&l->deadline);
    if (f->stopping)
        return;
    feed_set_state(f, FEED_RECONNECTING);
    f->reconnects++;
    uv_timer_start(&l->retry, redis_link_retry_cb, feed_retry_delay(f), 0);
}

/* Free the context from outside hiredis's callbacks, then retry. */
static void
redis_link_abandon(struct redis_link *l)
{
    redisAsyncContext *c = l->ctx;

    if (c != NULL) {
        l->freeing = true;
        redisAsyncFree(c);
        l->freeing = false;
    }
    redis_link_lost(l);
}

static void
redis_link_deadline_cb(uv_timer_t *t)
{
    struct redis_link *l = t->data;

    snprintf(l->f->error, sizeof(l->f->error), "%.120s: %s within %llu ms",
             l->f->spec, l->waited, (unsigned long long)l->waited_ms);
    redis_link_abandon(l);
}

void
redis_link_await(struct redis_link *l, uint64_t ms, const char *what)
{
    l->waited = what;
    l->waited_ms = ms;
    uv_timer_start(&l->deadline, redis_link_deadline_cb, ms, 0);
}

void
redis_link_answered(struct redis_link *l)
{
    uv_timer_stop(&l->deadline);
}

void
redis_link_live(struct redis_link *l)
{
    uv_timer_stop(&l->deadline);
    feed_set_live(l->f);
}

void
redis_link_drop(struct redis_link *l)
{
    uv_timer_stop(&l->deadline);
    if (l->ctx != NULL)
        redisAsyncDisconnect(l->ctx); /* the disconnect callback retries */
}

static void
redis_link_connect_cb(const redisAsyncContext *c, int status)
{
    struct redis_link *l = c->data;

    if (status != REDIS_OK) {
        snprintf(l->f->error, sizeof(l->f->error), "%.120s: connect: %.120s",
                 l->f->spec, c->errstr);
        redis_link_lost(l); /* hiredis frees the context after this */
    }
}

static void
redis_link_disconnect_cb(const redisAsyncContext *c, int status)
{
    struct redis_link *l = c->data;

    if (l->freeing)
        return;
    if (status != REDIS_OK)
        snprintf(l->f->error, sizeof(l->f->error), "%.120s: %.120s", l->f->spec,
                 c->errstr);
    redis_link_lost(l);
}

static void
redis_link_connect(struct redis_link *l)
{
    struct feed *f = l->f;
    redisAsyncContext *c;

    if (f->stopping)
        return;
    c = redisAsyncConnect(l->host, l->port);
    if (c == NULL)
        liq_nomem();
    if (c->err) {
        snprintf(f->error, sizeof(f->error), "%.120s: %.120s", f->spec,
                 c->errstr);
        redisAsyncFree(c);
        redis_link_lost(l);
        return;
    }
    c->data = l;
    if (redis_ev_attach(c, f->loop) != 0) {
        redisAsyncFree(c);
        redis_link_lost(l);
        return;
    }
    redisAsyncSetConnectCallback(c, redis_link_connect_cb);
    redisAsyncSetDisconnectCallback(c, redis_link_disconnect_cb);
    l->ctx = c;
    redis_link_await(l, f->connect_timeout_ms, "no answer");
    l->on_connect(f, c);
}

int
redis_link_feed_start(struct feed *f)
{
    struct redis_link *l = f->impl;
    int rc = uv_timer_init(f->loop, &l->retry);

    l->f = f;
    if (rc == 0)
        rc = uv_timer_init(f->loop, &l->deadline);
    if (rc != 0)
        return rc;
    l->timers_open = true;
    l->retry.data = l->deadline.data = l;
    redis_link_connect(l);
    return 0;
}

void
redis_link_feed_stop(struct feed *f)
{
    struct redis_link *l = f->impl;

    if (l->timers_open && !uv_is_closing((uv_handle_t *)&l->retry)) {
        uv_close((uv_handle_t *)&l->retry, NULL);
        uv_close((uv_handle_t *)&l->deadline, NULL);
    }
    if (l->ctx != NULL) {
        redisAsyncContext *c = l->ctx;

        l->ctx = NULL;
        redisAsyncFree(c);
    }
}

void
redis_link_feed_free(struct feed *f)
{
    free(f->impl);
}
