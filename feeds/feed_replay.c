/*
 * feed_replay.c: recorded lines played back by their ts, at 1x, at any
 * speed ("@10") or as fast as possible ("@max"). The end of the file is the
 * state "ended", not an error.
 *
 * Owns one uv_timer and the file's bytes. The file is read once at start
 * (a start-up cost, not a stall of a running loop); lines are parsed when
 * due, a slice per loop turn at @max so other handles keep running.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/liq.h"
#include "feeds/feed.h"

#define REPLAY_SLICE 4096 /* lines per loop turn at @max */

struct replay {
    uv_timer_t timer;
    bool inited;
    char path[FEED_SPEC_MAX];
    uint64_t speed; /* 0: max */
    char *data;
    size_t len;
    size_t off;
    bool have_t0;
    int64_t t0_ts;    /* ts of the first timed line */
    uint64_t t0_loop; /* uv_now when it was played */
    bool pending;     /* r holds a parsed line not yet due */
    struct line_result r;
};

/* The next line of the file into r; false at the end. Over-long lines are
 * reported as such without parsing. */
static bool
replay_next(struct feed *f, struct replay *p)
{
    const char *s, *nl;
    size_t n;

    if (p->off >= p->len)
        return false;
    s = p->data + p->off;
    nl = memchr(s, '\n', p->len - p->off);
    n = nl != NULL ? (size_t)(nl - s) : p->len - p->off;
    p->off += n + (nl != NULL ? 1 : 0);
    if (n > 0 && s[n - 1] == '\r')
        n--;
    if (n > LINE_MAX_BYTES) {
        p->r.n = 0;
        p->r.nrejects = 1;
        p->r.rejects[0] = LINE_TOO_LONG;
        return true;
    }
    (void)f;
    line_parse(s, n, &p->r);
    return true;
}

static int64_t
replay_ts(const struct line_result *r, bool *has)
{
    *has = r->n > 0 && r->up[0].has_ts;
    return *has ? r->up[0].ts_ms : 0;
}

static void
replay_timer_cb(uv_timer_t *t)
{
    struct feed *f = t->data;
    struct replay *p = f->impl;

    for (int k = 0; k < REPLAY_SLICE; k++) {
        bool has;
        int64_t ts;

        if (!p->pending && !replay_next(f, p)) {
            uv_timer_stop(&p->timer);
            feed_set_state(f, FEED_ENDED);
            return;
        }
        p->pending = false;
        ts = replay_ts(&p->r, &has);
        if (p->speed != 0 && has) {
            uint64_t now = uv_now(f->loop), due;

            if (!p->have_t0) {
                p->have_t0 = true;
                p->t0_ts = ts;
                p->t0_loop = now;
            }
            due = p->t0_loop +
                  (ts > p->t0_ts ? (uint64_t)(ts - p->t0_ts) / p->speed : 0);
            if (due > now) {
                p->pending = true;
                uv_timer_start(&p->timer, replay_timer_cb, due - now, 0);
                return;
            }
        }
        feed_emit(f, &p->r);
    }
    uv_timer_start(&p->timer, replay_timer_cb, 0, 0);
}

static int
replay_start(struct feed *f)
{
    struct replay *p = f->impl;
    FILE *fp = fopen(p->path, "rb");
    size_t cap = 1 << 16;
    int rc;

    if (fp == NULL) {
        snprintf(f->error, sizeof(f->error), "%.200s: %s", p->path,
                 strerror(errno));
        feed_set_state(f, FEED_ERROR);
        return 0;
    }
    p->data = malloc(cap);
    if (p->data == NULL)
        liq_nomem();
    for (;;) {
        size_t got;

        if (p->len == cap) {
            cap *= 2;
            p->data = realloc(p->data, cap);
            if (p->data == NULL)
                liq_nomem();
        }
        got = fread(p->data + p->len, 1, cap - p->len, fp);
        p->len += got;
        if (got == 0)
            break;
    }
    fclose(fp);
    rc = uv_timer_init(f->loop, &p->timer);
    if (rc != 0)
        return rc;
    p->inited = true;
    p->timer.data = f;
    feed_set_state(f, FEED_LIVE);
    return uv_timer_start(&p->timer, replay_timer_cb, 0, 0);
}

static void
replay_stop(struct feed *f)
{
    struct replay *p = f->impl;

    if (p->inited && !uv_is_closing((uv_handle_t *)&p->timer))
        uv_close((uv_handle_t *)&p->timer, NULL);
}

static void
replay_free(struct feed *f)
{
    struct replay *p = f->impl;

    if (p != NULL)
        free(p->data);
    free(p);
}

static const struct feed_ops feed_replay_ops = {
    .name = "replay",
    .start = replay_start,
    .stop = replay_stop,
    .free = replay_free,
};

int
feed_replay_new(struct feed *f, const char *arg, char *err, size_t errlen)
{
    struct replay *p;
    const char *at = strrchr(arg, '@');
    size_t n = at != NULL ? (size_t)(at - arg) : strlen(arg);
    uint64_t speed = 1;

    if (at != NULL) {
        char *end = NULL;

        if (strcmp(at + 1, "max") == 0) {
            speed = 0;
        } else {
            speed = strtoull(at + 1, &end, 10);
            if (end == at + 1 || *end != '\0' || speed == 0) {
                snprintf(err, errlen,
                         "--feed replay:%s: speed must be @N (N >= 1) or "
                         "@max",
                         arg);
                return LIQ_EINVAL;
            }
        }
    }
    if (n == 0 || n >= FEED_SPEC_MAX) {
        snprintf(err, errlen, "--feed replay:%s: a file is needed", arg);
        return LIQ_EINVAL;
    }
    p = calloc(1, sizeof(*p));
    if (p == NULL)
        liq_nomem();
    memcpy(p->path, arg, n);
    p->path[n] = '\0';
    {
        /* A missing file is bad input now, not a dead feed later. */
        FILE *fp = fopen(p->path, "rb");

        if (fp == NULL) {
            snprintf(err, errlen, "--feed replay:%s: %s", p->path,
                     strerror(errno));
            free(p);
            return LIQ_EINVAL;
        }
        fclose(fp);
    }
    p->speed = speed;
    f->ops = &feed_replay_ops;
    f->impl = p;
    return 0;
}
