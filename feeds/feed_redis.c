/*
 * feed_redis.c: the shared feed bus: a Redis pub/sub channel
 * (redis://HOST:PORT/CHANNEL) that any number of liqtop processes
 * subscribe to.
 *
 * Owns the subscription; the connection, its deadline and reconnecting
 * are redis_link.c's. The feed is live once the server confirms the
 * subscription. Each published message is one or more protocol lines.
 * What is published while the connection is down is lost: the stream
 * source (feed_redis_stream.c) is the one that resumes.
 */
#include <hiredis/hiredis.h>
#include <stdlib.h>
#include <string.h>

#include "core/liq.h"
#include "feeds/feed.h"
#include "feeds/redis_link.h"

struct redis {
    struct redis_link link;
    char channel[REDIS_LINK_NAME_MAX];
};

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
        redis_link_live(&r->link);
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
redis_on_connect(struct feed *f, redisAsyncContext *c)
{
    struct redis *r = f->impl;

    r->link.waited = "no subscription";
    redisAsyncCommand(c, redis_message_cb, f, "SUBSCRIBE %s", r->channel);
}

static const struct feed_ops feed_redis_ops = {
    .name = "redis",
    .start = redis_link_feed_start,
    .stop = redis_link_feed_stop,
    .free = redis_link_feed_free,
};

int
feed_redis_new(struct feed *f, const char *arg, char *err, size_t errlen)
{
    struct redis *r = calloc(1, sizeof(*r));

    if (r == NULL)
        liq_nomem();
    if (redis_link_parse(&r->link, "redis://", "CHANNEL", arg, "", r->channel,
                         sizeof(r->channel), err, errlen) != 0) {
        free(r);
        return LIQ_EINVAL;
    }
    r->link.on_connect = redis_on_connect;
    f->ops = &feed_redis_ops;
    f->impl = r;
    return 0;
}
