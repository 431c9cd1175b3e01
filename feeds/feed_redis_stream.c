/*
 * feed_redis_stream.c: a Redis stream as a feed that loses nothing
 * (redis-stream://HOST:PORT/KEY[?from=ID]): XREAD BLOCK from the id of
 * the last entry taken, so that a reconnect, after a cut connection or a
 * restarted server, resumes there.
 *
 * Owns the read position and the commands; the connection, its deadlines
 * and reconnecting are redis_link.c's. Each entry's field values are
 * protocol lines (the field name is free; producers write "line"). An
 * entry that is not one (no field, a value that is not a string, nothing
 * but blanks) is counted as malformed, never applied; its id is passed
 * all the same. One command is outstanding at a time and each answer
 * holds at most STREAM_COUNT entries, so the loop is never held long.
 */
#include <hiredis/hiredis.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/liq.h"
#include "feeds/feed.h"
#include "feeds/redis_link.h"

/* Entries one XREAD answer may hold. */
#define STREAM_COUNT 500
/* How long the server holds an XREAD with nothing new; the answer (empty)
 * is awaited this long plus the connect deadline, else the connection is
 * taken for dead and made again. */
#define STREAM_BLOCK_MS 5000

struct rstream {
    struct redis_link link;
    char key[REDIS_LINK_NAME_MAX];
    /* Read after this id: ?from (default "$": resolved once, at the first
     * connection, to the stream's newest entry), then the last entry
     * taken. */
    char after[FEED_STREAM_ID_MAX];
    bool resolved; /* after holds an id, not "$" */
};

static void rstream_read(struct feed *f, redisAsyncContext *c, bool block);

/* An error answer: said in f->error, the connection made again. */
static void
rstream_error(struct feed *f, const redisReply *m, const char *what)
{
    struct rstream *s = f->impl;

    snprintf(f->error, sizeof(f->error), "%.120s: %s: %.160s", f->spec, what,
             m->type == REDIS_REPLY_ERROR ? m->str : "unexpected answer");
    redis_link_drop(&s->link);
}

static void
rstream_answered(struct feed *f)
{
    struct rstream *s = f->impl;

    if (f->state != FEED_LIVE)
        redis_link_live(&s->link);
    else
        redis_link_answered(&s->link);
}

static bool
rstream_blank(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r' && p[i] != '\n')
            return false;
    }
    return true;
}

/* One entry, [id, [field, value, ...]]: its lines reported under its id. */
static void
rstream_entry(struct feed *f, const redisReply *e)
{
    struct rstream *s = f->impl;
    const redisReply *fv;
    bool any = false;

    if (e->type != REDIS_REPLY_ARRAY || e->elements != 2 ||
        e->element[0]->type != REDIS_REPLY_STRING ||
        e->element[0]->len >= FEED_STREAM_ID_MAX) {
        f->cbs.reject(f->cbs.arg, f, LINE_MALFORMED);
        return;
    }
    memcpy(s->after, e->element[0]->str, e->element[0]->len + 1);
    memcpy(f->stream_id, s->after, sizeof(s->after));
    fv = e->element[1];
    if (fv->type == REDIS_REPLY_ARRAY && fv->elements % 2 == 0) {
        for (size_t i = 1; i < fv->elements; i += 2)
            if (fv->element[i]->type != REDIS_REPLY_STRING)
                fv = NULL;
    } else {
        fv = NULL;
    }
    for (size_t i = 1; fv != NULL && i < fv->elements; i += 2)
        any = any || !rstream_blank(fv->element[i]->str, fv->element[i]->len);
    if (!any) {
        f->cbs.reject(f->cbs.arg, f, LINE_MALFORMED);
        return;
    }
    for (size_t i = 1; i < fv->elements && !f->stopping; i += 2) {
        feed_bytes(f, fv->element[i]->str, fv->element[i]->len);
        feed_eof(f); /* a value is complete without a newline */
    }
}

/* XREAD's answer: nil (nothing new in time) or [[key, [entry...]]]. */
static void
rstream_read_cb(redisAsyncContext *c, void *reply, void *priv)
{
    struct feed *f = priv;
    struct rstream *s = f->impl;
    const redisReply *m = reply, *entries;

    if (m == NULL || f->stopping || c != s->link.ctx)
        return; /* the context is going */
    if (m->type == REDIS_REPLY_ERROR ||
        (m->type != REDIS_REPLY_NIL && m->type != REDIS_REPLY_ARRAY)) {
        rstream_error(f, m, "XREAD");
        return;
    }
    rstream_answered(f);
    if (m->type == REDIS_REPLY_ARRAY && m->elements == 1 &&
        m->element[0]->type == REDIS_REPLY_ARRAY &&
        m->element[0]->elements == 2 &&
        m->element[0]->element[1]->type == REDIS_REPLY_ARRAY) {
        entries = m->element[0]->element[1];
        for (size_t i = 0; i < entries->elements && !f->stopping; i++)
            rstream_entry(f, entries->element[i]);
    } else if (m->type == REDIS_REPLY_ARRAY) {
        rstream_error(f, m, "XREAD");
        return;
    }
    if (!f->stopping && s->link.ctx == c)
        rstream_read(f, c, true);
}

static void
rstream_read(struct feed *f, redisAsyncContext *c, bool block)
{
    struct rstream *s = f->impl;

    if (block) {
        redis_link_await(&s->link, STREAM_BLOCK_MS + f->connect_timeout_ms,
                         "no answer to XREAD");
        redisAsyncCommand(c, rstream_read_cb, f,
                          "XREAD COUNT %d BLOCK %d STREAMS %s %s", STREAM_COUNT,
                          STREAM_BLOCK_MS, s->key, s->after);
    } else {
        redisAsyncCommand(c, rstream_read_cb, f, "XREAD COUNT %d STREAMS %s %s",
                          STREAM_COUNT, s->key, s->after);
    }
}

/* XREVRANGE KEY + - COUNT 1: the newest entry, from which "$" reads. */
static void
rstream_resolve_cb(redisAsyncContext *c, void *reply, void *priv)
{
    struct feed *f = priv;
    struct rstream *s = f->impl;
    const redisReply *m = reply, *id = NULL;

    if (m == NULL || f->stopping || c != s->link.ctx)
        return;
    if (m->type == REDIS_REPLY_ARRAY && m->elements == 1 &&
        m->element[0]->type == REDIS_REPLY_ARRAY &&
        m->element[0]->elements >= 1)
        id = m->element[0]->element[0];
    if (m->type != REDIS_REPLY_ARRAY || m->elements > 1 ||
        (m->elements == 1 && (id == NULL || id->type != REDIS_REPLY_STRING ||
                              id->len >= FEED_STREAM_ID_MAX))) {
        rstream_error(f, m, "XREVRANGE");
        return;
    }
    /* No entry yet: everything added from now on is new. */
    snprintf(s->after, sizeof(s->after), "%s", id != NULL ? id->str : "0-0");
    s->resolved = true;
    rstream_answered(f);
    rstream_read(f, c, true);
}

static void
rstream_on_connect(struct feed *f, redisAsyncContext *c)
{
    struct rstream *s = f->impl;

    /* The first answer, quick either way, shows the server is there. */
    if (!s->resolved)
        redisAsyncCommand(c, rstream_resolve_cb, f, "XREVRANGE %s + - COUNT 1",
                          s->key);
    else
        rstream_read(f, c, false);
}

static const struct feed_ops feed_redis_stream_ops = {
    .name = "redis-stream",
    .start = redis_link_feed_start,
    .stop = redis_link_feed_stop,
    .free = redis_link_feed_free,
};

/* A decimal of 1 to 20 digits that fits 64 bits. */
static bool
rstream_u64(const char *p, size_t n, unsigned long long *out)
{
    unsigned long long v = 0;

    if (n == 0 || n > 20)
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned d = (unsigned)(p[i] - '0');

        if (d > 9 || v > (~0ULL - d) / 10)
            return false;
        v = v * 10 + d;
    }
    *out = v;
    return true;
}

/* "$", or MS[-SEQ] written out as "MS-SEQ" into out. */
static bool
rstream_parse_from(const char *id, char *out, size_t cap)
{
    const char *dash = strchr(id, '-');
    unsigned long long ms, seq = 0;

    if (strcmp(id, "$") == 0) {
        snprintf(out, cap, "$");
        return true;
    }
    if (!rstream_u64(id, dash != NULL ? (size_t)(dash - id) : strlen(id),
                     &ms) ||
        (dash != NULL && !rstream_u64(dash + 1, strlen(dash + 1), &seq)))
        return false;
    snprintf(out, cap, "%llu-%llu", ms, seq);
    return true;
}

int
feed_redis_stream_new(struct feed *f, const char *arg, char *err, size_t errlen)
{
    struct rstream *s = calloc(1, sizeof(*s));
    const char *q = strchr(arg, '?');

    if (s == NULL)
        liq_nomem();
    if (redis_link_parse(&s->link, "redis-stream://", "KEY[?from=ID]", arg, "?",
                         s->key, sizeof(s->key), err, errlen) != 0)
        goto bad;
    snprintf(s->after, sizeof(s->after), "$");
    if (q != NULL && strncmp(q + 1, "from=", 5) != 0) {
        snprintf(err, errlen,
                 "--feed redis-stream://%s: unknown parameter '%.60s' "
                 "(expected ?from=ID)",
                 arg, q + 1);
        goto bad;
    }
    if (q != NULL && !rstream_parse_from(q + 6, s->after, sizeof(s->after))) {
        snprintf(err, errlen,
                 "--feed redis-stream://%s: bad from id '%.60s' (expected "
                 "$, 0, MS or MS-SEQ)",
                 arg, q + 6);
        goto bad;
    }
    s->resolved = strcmp(s->after, "$") != 0;
    s->link.on_connect = rstream_on_connect;
    f->ops = &feed_redis_stream_ops;
    f->impl = s;
    f->is_stream = true;
    return 0;
bad:
    free(s);
    return LIQ_EINVAL;
}
