/*
 * redis_ev.c: a hiredis async context driven by a libuv poll on its
 * socket (feeds/redis_ev.h).
 *
 * Owns the poll handle and its memory; never reads or writes a reply.
 */
#include "feeds/redis_ev.h"

#include <stdlib.h>

#include "core/liq.h"

/* One per context: a poll on its socket; a poll error is handed to
 * hiredis as readiness (redis_ev.h). */
struct redis_ev {
    redisAsyncContext *ctx; /* NULL once hiredis has cleaned up */
    uv_poll_t poll;
    int events;
};

static void
redis_ev_cb(uv_poll_t *h, int status, int events)
{
    struct redis_ev *e = h->data;

    if (status < 0)
        events = UV_READABLE | UV_WRITABLE;
    if (e->ctx != NULL && (events & UV_WRITABLE))
        redisAsyncHandleWrite(e->ctx);
    if (e->ctx != NULL && (events & UV_READABLE))
        redisAsyncHandleRead(e->ctx);
}

static void
redis_ev_set(struct redis_ev *e, int add, int del)
{
    e->events = (e->events | add) & ~del;
    if (e->events != 0)
        uv_poll_start(&e->poll, e->events, redis_ev_cb);
    else
        uv_poll_stop(&e->poll);
}

static void
redis_ev_add_read(void *p)
{
    redis_ev_set(p, UV_READABLE, 0);
}

static void
redis_ev_del_read(void *p)
{
    redis_ev_set(p, 0, UV_READABLE);
}

static void
redis_ev_add_write(void *p)
{
    redis_ev_set(p, UV_WRITABLE, 0);
}

static void
redis_ev_del_write(void *p)
{
    redis_ev_set(p, 0, UV_WRITABLE);
}

static void
redis_ev_closed(uv_handle_t *h)
{
    free(h->data);
}

static void
redis_ev_cleanup(void *p)
{
    struct redis_ev *e = p;

    e->ctx = NULL;
    uv_close((uv_handle_t *)&e->poll, redis_ev_closed);
}

int
redis_ev_attach(redisAsyncContext *c, uv_loop_t *loop)
{
    struct redis_ev *e = calloc(1, sizeof(*e));

    if (e == NULL)
        liq_nomem();
    if (uv_poll_init(loop, &e->poll, c->c.fd) != 0) {
        free(e);
        return -1;
    }
    e->poll.data = e;
    e->ctx = c;
    c->ev.data = e;
    c->ev.addRead = redis_ev_add_read;
    c->ev.delRead = redis_ev_del_read;
    c->ev.addWrite = redis_ev_add_write;
    c->ev.delWrite = redis_ev_del_write;
    c->ev.cleanup = redis_ev_cleanup;
    return 0;
}
