/*
 * feed.c: what every price source shares: the spec grammar, states,
 * back-off with jitter, and bytes -> lines -> price updates.
 *
 * Owns no socket, file or process: those live in the adapters
 * (feed_sim.c, feed_replay.c, feed_stream.c, feed_redis.c,
 * feed_redis_stream.c, feed_rpc.c).
 */
#include "feeds/feed.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/liq.h"

const char *
feed_state_name(enum feed_state s)
{
    switch (s) {
    case FEED_CONNECTING:
        return "connecting";
    case FEED_LIVE:
        return "live";
    case FEED_RECONNECTING:
        return "reconnecting";
    case FEED_ENDED:
        return "ended";
    case FEED_ERROR:
        return "error";
    }
    return "unknown";
}

static bool
feed_prefix(const char *spec, const char *kind, const char **arg)
{
    size_t n = strlen(kind);

    if (strncmp(spec, kind, n) != 0)
        return false;
    *arg = spec + n;
    return true;
}

int
feed_new(struct feed **out, uv_loop_t *loop, const char *spec,
         const struct feed_cbs *cbs, const struct feed_env *env, char *err,
         size_t errlen)
{
    struct feed *f;
    const char *arg;
    int rc;

    if (strlen(spec) >= FEED_SPEC_MAX) {
        snprintf(err, errlen, "--feed %.40s...: too long", spec);
        return LIQ_EINVAL;
    }
    f = calloc(1, sizeof(*f));
    if (f == NULL)
        liq_nomem();
    f->loop = loop;
    snprintf(f->spec, sizeof(f->spec), "%s", spec);
    f->cbs = *cbs;
    f->state = FEED_CONNECTING;
    f->rng = 0x9e3779b97f4a7c15ULL ^ (uint64_t)(uintptr_t)f;
    linebuf_init(&f->lb);
    feed_backoff_reset(f);
    f->connect_timeout_ms = FEED_CONNECT_TIMEOUT_MS;
    f->healthy_ms = FEED_HEALTHY_MS;
    f->kill_grace_ms = FEED_KILL_GRACE_MS;
    if (strcmp(spec, "sim") == 0)
        rc = feed_sim_new(f, "", env, err, errlen);
    else if (feed_prefix(spec, "sim:", &arg))
        rc = feed_sim_new(f, arg, env, err, errlen);
    else if (feed_prefix(spec, "replay:", &arg))
        rc = feed_replay_new(f, arg, err, errlen);
    else if (strcmp(spec, "stdin") == 0)
        rc = feed_stream_new(f, "stdin", "", err, errlen);
    else if (feed_prefix(spec, "exec:", &arg))
        rc = feed_stream_new(f, "exec", arg, err, errlen);
    else if (feed_prefix(spec, "tcp:", &arg))
        rc = feed_stream_new(f, "tcp", arg, err, errlen);
    else if (feed_prefix(spec, "unix:", &arg))
        rc = feed_stream_new(f, "unix", arg, err, errlen);
    else if (feed_prefix(spec, "rpc:", &arg))
        rc = feed_rpc_new(f, arg, env, err, errlen);
    else if (feed_prefix(spec, "redis://", &arg))
        rc = feed_redis_new(f, arg, err, errlen);
    else if (feed_prefix(spec, "redis-stream://", &arg))
        rc = feed_redis_stream_new(f, arg, err, errlen);
    else {
        snprintf(err, errlen,
                 "--feed %s: unknown source (sim[:SEED], replay:FILE[@SPEED], "
                 "stdin, exec:CMD, tcp:HOST:PORT, unix:PATH, "
                 "redis://HOST:PORT/CHANNEL, redis-stream://HOST:PORT/KEY, "
                 "rpc:URL)",
                 spec);
        rc = LIQ_EINVAL;
    }
    if (rc != 0) {
        linebuf_done(&f->lb);
        free(f);
        return rc;
    }
    *out = f;
    return 0;
}

int
feed_start(struct feed *f)
{
    return f->ops->start(f);
}

void
feed_stop(struct feed *f)
{
    if (f == NULL || f->stopping)
        return;
    f->stopping = true;
    f->ops->stop(f);
}

void
feed_free(struct feed *f)
{
    if (f == NULL)
        return;
    if (f->ops->free != NULL)
        f->ops->free(f);
    linebuf_done(&f->lb);
    free(f);
}

void
feed_set_state(struct feed *f, enum feed_state s)
{
    if (f->state == s)
        return;
    f->state = s;
    if (f->cbs.state != NULL)
        f->cbs.state(f->cbs.arg, f);
}

void
feed_set_live(struct feed *f)
{
    f->live_since = uv_now(f->loop);
    if (f->live_since == 0)
        f->live_since = 1;
    f->error[0] = '\0';
    feed_set_state(f, FEED_LIVE);
}

uint64_t
feed_retry_delay(struct feed *f)
{
    if (f->live_since != 0 && uv_now(f->loop) - f->live_since >= f->healthy_ms)
        feed_backoff_reset(f);
    f->live_since = 0;
    return feed_backoff_next(f);
}

void
feed_note_error(struct feed *f)
{
    if (f->cbs.state != NULL)
        f->cbs.state(f->cbs.arg, f);
}

void
feed_emit(struct feed *f, const struct line_result *r)
{
    for (size_t i = 0; i < r->n; i++)
        f->cbs.update(f->cbs.arg, f, &r->up[i]);
    for (size_t i = 0; i < r->noracle; i++)
        if (f->cbs.oracle != NULL)
            f->cbs.oracle(f->cbs.arg, f, &r->oracle[i]);
        else
            f->cbs.reject(f->cbs.arg, f, LINE_UNKNOWN_SYMBOL);
    for (size_t i = 0; i < r->nrejects; i++)
        f->cbs.reject(f->cbs.arg, f, r->rejects[i]);
}

static void
feed_line_cb(void *arg, const char *line, size_t len, bool too_long)
{
    struct feed *f = arg;
    struct line_result r;

    if (too_long) {
        f->cbs.reject(f->cbs.arg, f, LINE_TOO_LONG);
        return;
    }
    line_parse(line, len, &r);
    feed_emit(f, &r);
}

void
feed_bytes(struct feed *f, const char *data, size_t len)
{
    linebuf_feed(&f->lb, data, len, feed_line_cb, f);
}

void
feed_eof(struct feed *f)
{
    linebuf_flush(&f->lb, feed_line_cb, f);
}

void
feed_backoff_reset(struct feed *f)
{
    f->backoff_ms = 100;
}

uint64_t
feed_backoff_step(uint64_t *backoff_ms, uint64_t *rng)
{
    uint64_t base = *backoff_ms, jitter;

    *rng ^= *rng << 13;
    *rng ^= *rng >> 7;
    *rng ^= *rng << 17;
    jitter = base / 2 > 0 ? *rng % (base / 2 + 1) : 0;
    *backoff_ms = base * 2 > 5000 ? 5000 : base * 2;
    return base - base / 4 + jitter;
}

uint64_t
feed_backoff_next(struct feed *f)
{
    return feed_backoff_step(&f->backoff_ms, &f->rng);
}

void
feed_set_error(struct feed *f, const char *what, int uv_status)
{
    if (uv_status != 0)
        snprintf(f->error, sizeof(f->error), "%.120s: %s: %s", f->spec, what,
                 uv_strerror(uv_status));
    else
        snprintf(f->error, sizeof(f->error), "%.120s: %s", f->spec, what);
}
