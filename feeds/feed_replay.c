/*
 * feed_replay.c: recorded lines played back by their ts, at 1x, at any
 * speed ("@10") or as fast as possible ("@max"). The end of the file is the
 * state "ended", not an error.
 *
 * Owns one uv_timer, the file's descriptor and a bounded buffer: the file
 * is streamed (a regular file by plain reads, a FIFO without blocking, its
 * writer awaited), never held whole; lines are parsed when due, a slice
 * per loop turn at @max so other handles keep running. A directory, a
 * device or a socket is refused when the feed is made.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/liq.h"
#include "feeds/feed.h"

#define REPLAY_SLICE 4096 /* lines per loop turn at @max */
#define REPLAY_BUF (2 * LINE_MAX_BYTES + 65536)
#define REPLAY_FIFO_WAIT_MS 20 /* a FIFO with nothing to read: look again */

struct replay {
    uv_timer_t timer;
    bool inited;
    char path[FEED_SPEC_MAX];
    uint64_t speed; /* 0: max */
    int fd;         /* owned; -1 once closed */
    bool fifo;
    bool got_any; /* a FIFO has given bytes: its EOF is the end */
    bool eof;
    bool skipping; /* inside an over-long line: drop to its newline */
    char *buf;     /* REPLAY_BUF bytes; lines not yet played: [start, fill) */
    size_t start, fill;
    bool have_t0;
    int64_t t0_ts;    /* ts of the first timed line */
    uint64_t t0_loop; /* uv_now when it was played */
    bool pending;     /* r holds a parsed line not yet due */
    struct line_result r;
};

/* More bytes into the buffer: 1 read, 0 nothing now (a FIFO), -1 end. */
static int
replay_fill(struct feed *f, struct replay *p)
{
    ssize_t got;

    if (p->eof)
        return -1;
    if (p->start > 0) {
        memmove(p->buf, p->buf + p->start, p->fill - p->start);
        p->fill -= p->start;
        p->start = 0;
    }
    if (p->fill == REPLAY_BUF) {
        /* a line longer than the buffer: drop it up to its newline */
        p->skipping = true;
        p->fill = 0;
    }
    do
        got = read(p->fd, p->buf + p->fill, REPLAY_BUF - p->fill);
    while (got < 0 && errno == EINTR);
    if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
        return 0;
    if (got < 0) {
        snprintf(f->error, sizeof(f->error), "%.200s: read: %s", p->path,
                 strerror(errno));
        p->eof = true;
        return -1;
    }
    if (got == 0) {
        if (p->fifo && !p->got_any)
            return 0; /* no writer yet */
        p->eof = true;
        return p->fill > p->start ? 1 : -1;
    }
    p->got_any = true;
    p->fill += (size_t)got;
    return 1;
}

/* The next line of the file into r: 1, 0 when a FIFO has nothing yet, -1
 * at the end. Over-long lines are reported as such without parsing. */
static int
replay_next(struct feed *f, struct replay *p)
{
    for (;;) {
        char *s = p->buf + p->start;
        size_t have = p->fill - p->start, n;
        char *nl = memchr(s, '\n', have);
        int rc;

        if (nl == NULL && !p->eof) {
            if (p->skipping || have > LINE_MAX_BYTES) {
                p->skipping = true;
                p->start = p->fill; /* drop what is held of it */
            }
            rc = replay_fill(f, p);
            if (rc == 0)
                return 0;
            continue;
        }
        if (nl == NULL && have == 0)
            return -1;
        n = nl != NULL ? (size_t)(nl - s) : have;
        p->start += n + (nl != NULL ? 1 : 0);
        if (p->skipping || n > LINE_MAX_BYTES) {
            p->skipping = false;
            p->r.n = 0;
            p->r.nrejects = 1;
            p->r.rejects[0] = LINE_TOO_LONG;
            return 1;
        }
        if (n > 0 && s[n - 1] == '\r')
            n--;
        line_parse(s, n, &p->r);
        return 1;
    }
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

        if (!p->pending) {
            int rc = replay_next(f, p);

            if (rc == 0) {
                uv_timer_start(&p->timer, replay_timer_cb, REPLAY_FIFO_WAIT_MS,
                               0);
                return;
            }
            if (rc < 0) {
                uv_timer_stop(&p->timer);
                feed_set_state(f, f->error[0] ? FEED_ERROR : FEED_ENDED);
                return;
            }
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
    int rc;

    p->buf = malloc(REPLAY_BUF);
    if (p->buf == NULL)
        liq_nomem();
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

    if (p != NULL) {
        if (p->fd >= 0)
            close(p->fd);
        free(p->buf);
    }
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
    struct stat st;

    if (at != NULL) {
        char *end = NULL;

        if (strcmp(at + 1, "max") == 0) {
            speed = 0;
        } else {
            const char *q = at + 1;

            errno = 0;
            speed = strtoull(q, &end, 10);
            if (*q < '0' || *q > '9' || end == q || *end != '\0' ||
                speed == 0 || errno == ERANGE) {
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
    /* A missing file is bad input now, not a dead feed later; a FIFO is
     * opened without waiting for its writer. */
    p->fd = open(p->path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (p->fd < 0 || fstat(p->fd, &st) != 0) {
        snprintf(err, errlen, "--feed replay:%s: %s", p->path, strerror(errno));
        if (p->fd >= 0)
            close(p->fd);
        free(p);
        return LIQ_EINVAL;
    }
    if (!S_ISREG(st.st_mode) && !S_ISFIFO(st.st_mode)) {
        snprintf(err, errlen, "--feed replay:%s: %s", p->path,
                 S_ISDIR(st.st_mode) ? "is a directory"
                                     : "not a regular file or a FIFO");
        close(p->fd);
        free(p);
        return LIQ_EINVAL;
    }
    p->fifo = S_ISFIFO(st.st_mode);
    if (!p->fifo) /* a regular file's reads are plain blocking ones */
        fcntl(p->fd, F_SETFL, fcntl(p->fd, F_GETFL) & ~O_NONBLOCK);
    p->speed = speed;
    f->ops = &feed_replay_ops;
    f->impl = p;
    return 0;
}
