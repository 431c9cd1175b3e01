/*
 * redis_link.h: one feed's connection to a Redis server on the loop,
 * shared by the pub/sub source (feed_redis.c) and the stream source
 * (feed_redis_stream.c): the HOST:PORT/NAME grammar, hiredis's async
 * context on the loop (feeds/redis_ev.c), each attempt's deadline, and
 * reconnecting with the feeds' shared back-off.
 *
 * Owns the context and two timers, all embedded in struct redis_link,
 * which the adapter puts first in its own state (f->impl). Knows no command:
 * the adapter sends them from on_connect and in its reply callbacks, and says
 * when the source is live. Never blocks the loop.
 */
#ifndef REDIS_LINK_H
#define REDIS_LINK_H

#include <hiredis/async.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <uv.h>

#include "feeds/feed.h"

#define REDIS_LINK_NAME_MAX 256

struct redis_link {
    struct feed *f; /* borrowed: the feed this connection serves */
    char host[256];
    int port;
    redisAsyncContext *ctx; /* NULL between connections */
    uv_timer_t retry;
    uv_timer_t deadline; /* the answer awaited (a connect, a read) */
    bool timers_open;
    bool freeing;       /* redis_link is freeing ctx: callbacks stay quiet */
    const char *waited; /* what the deadline waits for, for f->error */
    uint64_t waited_ms; /* and its length */
    /* A new context, connecting: send the first commands (replies come
     * once connected). Reply callbacks get the feed as privdata. */
    void (*on_connect)(struct feed *f, redisAsyncContext *c);
};

/*
 * Parse "HOST:PORT/NAME" (the text after the scheme; NAME ends at the
 * first character of stop, or at the end) into l's host and port and
 * name[0..namecap). LIQ_EINVAL with a message naming the spec ("--feed
 * SCHEME ARG: expected SCHEME HOST:PORT/WHAT") when a part is missing or
 * the port is not 1 to 65535.
 */
int redis_link_parse(struct redis_link *l, const char *scheme, const char *what,
                     const char *arg, const char *stop, char *name,
                     size_t namecap, char *err, size_t errlen);

/*
 * The feed ops of an adapter whose f->impl (malloc'd) starts with its
 * struct redis_link: start connecting (on_connect set; 0, or a libuv
 * error); stop (close the timers, free the context: feed_stop); free
 * f->impl once the loop has run the closes.
 */
int redis_link_feed_start(struct feed *f);
void redis_link_feed_stop(struct feed *f);
void redis_link_feed_free(struct feed *f);

/* Wait ms for the next answer: without it by then, the connection is
 * dropped with "what within N ms" as the error, and tried again. */
void redis_link_await(struct redis_link *l, uint64_t ms, const char *what);
/* The answer came: the deadline is off. */
void redis_link_answered(struct redis_link *l);
/* The server answered as the source expects: the deadline off and the
 * feed live. */
void redis_link_live(struct redis_link *l);
/* From a reply callback: f->error already says why; the connection is
 * closed and tried again with the back-off. */
void redis_link_drop(struct redis_link *l);

#endif
