/*
 * feed_stream.c: byte-stream sources: stdin, a child's stdout (exec:CMD),
 * a TCP connection (tcp:HOST:PORT) and a unix socket (unix:PATH).
 *
 * Owns their handles and the reconnect policy: a connection that fails or
 * ends is retried with exponential back-off and jitter, a child that exits
 * is started again the same way and is killed on stop. stdin ends the feed
 * at its end. Every byte goes through feed_bytes(); nothing here parses.
 */
#include <signal.h>
#include <sys/un.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/liq.h"
#include "feeds/feed.h"

enum stream_kind { STREAM_STDIN, STREAM_EXEC, STREAM_TCP, STREAM_UNIX };

struct stream {
    enum stream_kind kind;
    char arg[FEED_SPEC_MAX];
    char host[256];
    char port[16];
    /* The current connection: one of these is in use. */
    union {
        uv_tcp_t tcp;
        uv_pipe_t pipe;
        uv_tty_t tty;
    } h;
    bool h_open; /* h is initialized and not yet closed */
    uv_connect_t connect;
    uv_getaddrinfo_t gai;
    bool gai_busy;
    uv_process_t proc;
    bool proc_open;
    bool proc_exited;
    uv_timer_t retry;
    uv_timer_t attempt; /* this connect's deadline; the kill grace on stop */
    bool retry_open;
    bool timed_out; /* the attempt timer fired on this connect */
    /* exec: the child's stderr, its last line kept for the status line */
    uv_pipe_t errpipe;
    bool errpipe_open;
    char errline[160];
    size_t errlen;
    char errlast[160];
    int64_t exit_status;
    int exit_signal;
    uv_fs_t fsreq; /* stdin that is a regular file: read through the pool */
    bool fs_busy;
    char rbuf[65536];
};

static void stream_connect(struct feed *f);
static void stream_retry_cb(uv_timer_t *t);

static uv_stream_t *
stream_handle(struct stream *s)
{
    return (uv_stream_t *)&s->h;
}

static void
stream_alloc_cb(uv_handle_t *h, size_t hint, uv_buf_t *buf)
{
    struct feed *f = h->data;
    struct stream *s = f->impl;

    (void)hint;
    buf->base = s->rbuf;
    buf->len = sizeof(s->rbuf);
}

static void
stream_closed_cb(uv_handle_t *h)
{
    struct feed *f = h->data;
    struct stream *s = f->impl;

    s->h_open = false;
}

/* The connection ended or failed: close it and come back later. */
static void
stream_lost(struct feed *f, const char *what, int status)
{
    struct stream *s = f->impl;

    uv_timer_stop(&s->attempt);
    feed_eof(f);
    if (s->timed_out) {
        char m[64];

        snprintf(m, sizeof(m), "connect: no answer within %llu ms",
                 (unsigned long long)f->connect_timeout_ms);
        feed_set_error(f, m, 0);
        s->timed_out = false;
    } else if (status != 0 && status != UV_EOF) {
        feed_set_error(f, what, status);
    }
    if (s->h_open && !uv_is_closing((uv_handle_t *)&s->h))
        uv_close((uv_handle_t *)&s->h, stream_closed_cb);
    if (f->stopping)
        return;
    if (s->kind == STREAM_STDIN) {
        feed_set_state(f, FEED_ENDED);
        return;
    }
    if (s->kind == STREAM_EXEC && !s->proc_exited)
        return; /* restart when the child is reaped */
    feed_set_state(f, FEED_RECONNECTING);
    f->reconnects++;
    uv_timer_start(&s->retry, stream_retry_cb, feed_retry_delay(f), 0);
}

static void
stream_read_cb(uv_stream_t *st, ssize_t n, const uv_buf_t *buf)
{
    struct feed *f = st->data;

    if (n > 0) {
        if (f->state != FEED_LIVE)
            feed_set_live(f);
        feed_bytes(f, buf->base, (size_t)n);
        return;
    }
    if (n < 0) {
        uv_read_stop(st);
        stream_lost(f, "read", (int)n);
    }
}

static void
stream_start_reading(struct feed *f)
{
    struct stream *s = f->impl;
    int rc = uv_read_start(stream_handle(s), stream_alloc_cb, stream_read_cb);

    if (rc != 0)
        stream_lost(f, "read", rc);
}

static void
stream_connect_cb(uv_connect_t *req, int status)
{
    struct feed *f = req->data;

    if (f->stopping)
        return;
    if (status != 0) {
        stream_lost(f, "connect", status);
        return;
    }
    uv_timer_stop(&((struct stream *)f->impl)->attempt);
    feed_set_live(f);
    stream_start_reading(f);
}

static void
stream_gai_cb(uv_getaddrinfo_t *req, int status, struct addrinfo *res)
{
    struct feed *f = req->data;
    struct stream *s = f->impl;
    int rc;

    s->gai_busy = false;
    if (f->stopping) {
        uv_freeaddrinfo(res);
        return;
    }
    if (status != 0 || res == NULL || s->timed_out) {
        uv_freeaddrinfo(res);
        stream_lost(f, "resolve", status != 0 ? status : UV_EAI_NONAME);
        return;
    }
    rc = uv_tcp_init(f->loop, &s->h.tcp);
    if (rc == 0) {
        s->h_open = true;
        s->h.tcp.data = f;
        s->connect.data = f;
        rc = uv_tcp_connect(&s->connect, &s->h.tcp, res->ai_addr,
                            stream_connect_cb);
    }
    uv_freeaddrinfo(res);
    if (rc != 0)
        stream_lost(f, "connect", rc);
}

static void stream_spawn(struct feed *f);

/* The attempt took too long: abandon it (its callback reports the loss). */
static void
stream_attempt_cb(uv_timer_t *t)
{
    struct feed *f = t->data;
    struct stream *s = f->impl;

    s->timed_out = true;
    if (s->gai_busy) {
        uv_cancel((uv_req_t *)&s->gai); /* or it ends soon on its own */
        return;
    }
    if (s->h_open && !uv_is_closing((uv_handle_t *)&s->h))
        uv_close((uv_handle_t *)&s->h, stream_closed_cb); /* ECANCELED */
}

static void
stream_connect(struct feed *f)
{
    struct stream *s = f->impl;
    int rc = 0;

    if (f->stopping)
        return;
    if (s->h_open || s->proc_open || s->errpipe_open) {
        /* The last connection or child is still closing: soon. */
        uv_timer_start(&s->retry, stream_retry_cb, 10, 0);
        return;
    }
    s->timed_out = false;
    if (s->kind == STREAM_TCP || s->kind == STREAM_UNIX)
        uv_timer_start(&s->attempt, stream_attempt_cb, f->connect_timeout_ms,
                       0);
    switch (s->kind) {
    case STREAM_TCP: {
        struct addrinfo hints;

        memset(&hints, 0, sizeof(hints));
        hints.ai_family = AF_UNSPEC;
        hints.ai_socktype = SOCK_STREAM;
        s->gai.data = f;
        s->gai_busy = true;
        rc = uv_getaddrinfo(f->loop, &s->gai, stream_gai_cb, s->host, s->port,
                            &hints);
        if (rc != 0) {
            s->gai_busy = false;
            stream_lost(f, "resolve", rc);
        }
        return;
    }
    case STREAM_UNIX:
        rc = uv_pipe_init(f->loop, &s->h.pipe, 0);
        if (rc != 0)
            break;
        s->h_open = true;
        s->h.pipe.data = f;
        s->connect.data = f;
        uv_pipe_connect(&s->connect, &s->h.pipe, s->arg, stream_connect_cb);
        return;
    case STREAM_EXEC:
        stream_spawn(f);
        return;
    case STREAM_STDIN:
        break;
    }
    if (rc != 0)
        stream_lost(f, "connect", rc);
}

static void
stream_retry_cb(uv_timer_t *t)
{
    stream_connect(t->data);
}

static void
stream_proc_closed_cb(uv_handle_t *h)
{
    struct feed *f = h->data;
    struct stream *s = f->impl;

    s->proc_open = false;
}

static void
stream_close_attempt(struct stream *s)
{
    if (s->retry_open && !uv_is_closing((uv_handle_t *)&s->attempt))
        uv_close((uv_handle_t *)&s->attempt, NULL);
}

/* A child that failed: its exit and the last line it wrote on stderr
 * ("sh: 1: nosuch: not found"), for the status line and the report. */
static void
stream_exit_error(struct feed *f)
{
    struct stream *s = f->impl;
    char what[240];

    if (!s->proc_exited || (s->exit_status == 0 && s->exit_signal == 0))
        return;
    if (s->exit_signal != 0)
        snprintf(what, sizeof(what), "killed by signal %d%s%.160s",
                 s->exit_signal, s->errlast[0] ? ": " : "", s->errlast);
    else
        snprintf(what, sizeof(what), "exited with status %lld%s%.160s",
                 (long long)s->exit_status, s->errlast[0] ? ": " : "",
                 s->errlast);
    feed_set_error(f, what, 0);
    feed_note_error(f);
}

static void
stream_err_alloc_cb(uv_handle_t *h, size_t hint, uv_buf_t *buf)
{
    static char scratch[4096]; /* one loop thread; consumed at once */

    (void)h;
    (void)hint;
    buf->base = scratch;
    buf->len = sizeof(scratch);
}

static void
stream_err_keep(struct stream *s)
{
    if (s->errlen > 0) {
        memcpy(s->errlast, s->errline, s->errlen);
        s->errlast[s->errlen] = '\0';
    }
    s->errlen = 0;
}

static void
stream_err_closed_cb(uv_handle_t *h)
{
    struct feed *f = h->data;

    ((struct stream *)f->impl)->errpipe_open = false;
}

static void
stream_err_read_cb(uv_stream_t *st, ssize_t n, const uv_buf_t *buf)
{
    struct feed *f = st->data;
    struct stream *s = f->impl;

    for (ssize_t i = 0; i < n; i++) {
        char c = buf->base[i];

        if (c == '\n' || c == '\r')
            stream_err_keep(s);
        else if (s->errlen < sizeof(s->errline) - 1)
            s->errline[s->errlen++] = c;
    }
    if (n < 0) {
        stream_err_keep(s);
        uv_close((uv_handle_t *)st, stream_err_closed_cb);
        if (!f->stopping)
            stream_exit_error(f);
    }
}

static void
stream_kill_cb(uv_timer_t *t)
{
    struct feed *f = t->data;
    struct stream *s = f->impl;

    if (s->proc_open && !s->proc_exited && kill(-s->proc.pid, SIGKILL) != 0)
        uv_process_kill(&s->proc, SIGKILL);
}

static void
stream_exit_cb(uv_process_t *p, int64_t status, int sig)
{
    struct feed *f = p->data;
    struct stream *s = f->impl;

    s->proc_exited = true;
    s->exit_status = status;
    s->exit_signal = sig;
    uv_close((uv_handle_t *)&s->proc, stream_proc_closed_cb);
    if (f->stopping) {
        kill(-p->pid, SIGKILL); /* what is left of its group, if any */
        stream_close_attempt(s);
        return;
    }
    stream_exit_error(f);
    /* The pipe may still hold the child's last bytes: stream_lost runs at
     * its EOF; if it already ran, schedule the restart here. */
    if (!s->h_open || uv_is_closing((uv_handle_t *)&s->h)) {
        feed_set_state(f, FEED_RECONNECTING);
        f->reconnects++;
        uv_timer_start(&s->retry, stream_retry_cb, feed_retry_delay(f), 0);
    }
}

static void
stream_spawn(struct feed *f)
{
    struct stream *s = f->impl;
    uv_process_options_t o;
    uv_stdio_container_t io[3];
    char *args[4];
    char sh[] = "/bin/sh", dash_c[] = "-c";
    int rc;

    rc = uv_pipe_init(f->loop, &s->h.pipe, 0);
    if (rc != 0) {
        stream_lost(f, "pipe", rc);
        return;
    }
    s->h_open = true;
    s->h.pipe.data = f;
    rc = uv_pipe_init(f->loop, &s->errpipe, 0);
    if (rc != 0) {
        stream_lost(f, "pipe", rc);
        return;
    }
    s->errpipe_open = true;
    s->errpipe.data = f;
    s->errlen = 0;
    s->errlast[0] = '\0';
    memset(&o, 0, sizeof(o));
    args[0] = sh;
    args[1] = dash_c;
    args[2] = s->arg;
    args[3] = NULL;
    io[0].flags = UV_IGNORE;
    io[1].flags = UV_CREATE_PIPE | UV_WRITABLE_PIPE;
    io[1].data.stream = (uv_stream_t *)&s->h.pipe;
    io[2].flags = UV_CREATE_PIPE | UV_WRITABLE_PIPE;
    io[2].data.stream = (uv_stream_t *)&s->errpipe;
    o.file = args[0];
    o.args = args;
    o.stdio = io;
    o.stdio_count = 3;
    o.exit_cb = stream_exit_cb;
    /* Its own process group, so that stopping reaches the command's own
     * children too (sh -c 'a | b' runs more than one process). */
    o.flags = UV_PROCESS_DETACHED;
    s->proc.data = f;
    s->proc_exited = false;
    s->exit_status = 0;
    s->exit_signal = 0;
    rc = uv_spawn(f->loop, &s->proc, &o);
    if (rc != 0) {
        s->proc_exited = true;
        uv_close((uv_handle_t *)&s->proc, NULL);
        uv_close((uv_handle_t *)&s->errpipe, stream_err_closed_cb);
        stream_lost(f, "spawn", rc);
        return;
    }
    s->proc_open = true;
    uv_read_start((uv_stream_t *)&s->errpipe, stream_err_alloc_cb,
                  stream_err_read_cb);
    stream_start_reading(f);
}

/* stdin redirected from a file cannot be polled: read it in chunks on
 * libuv's thread pool, one request at a time. */
static void stream_fs_read(struct feed *f);

static void
stream_fs_cb(uv_fs_t *req)
{
    struct feed *f = req->data;
    ssize_t n = req->result;

    uv_fs_req_cleanup(req);
    ((struct stream *)f->impl)->fs_busy = false;
    if (n > 0 && !f->stopping) {
        feed_bytes(f, ((struct stream *)f->impl)->rbuf, (size_t)n);
        stream_fs_read(f);
        return;
    }
    feed_eof(f);
    if (n < 0)
        feed_set_error(f, "read", (int)n);
    if (!f->stopping)
        feed_set_state(f, n < 0 ? FEED_ERROR : FEED_ENDED);
}

static void
stream_fs_read(struct feed *f)
{
    struct stream *s = f->impl;
    uv_buf_t b = uv_buf_init(s->rbuf, sizeof(s->rbuf));
    int rc;

    s->fsreq.data = f;
    rc = uv_fs_read(f->loop, &s->fsreq, 0, &b, 1, -1, stream_fs_cb);
    if (rc != 0) {
        feed_set_error(f, "read", rc);
        feed_set_state(f, FEED_ERROR);
        return;
    }
    s->fs_busy = true;
}

static int
stream_start(struct feed *f)
{
    struct stream *s = f->impl;
    int rc = uv_timer_init(f->loop, &s->retry);

    if (rc == 0)
        rc = uv_timer_init(f->loop, &s->attempt);
    if (rc != 0)
        return rc;
    s->retry_open = true;
    s->retry.data = s->attempt.data = f;
    if (s->kind == STREAM_STDIN) {
        uv_handle_type t = uv_guess_handle(0);

        if (t == UV_FILE) {
            feed_set_state(f, FEED_LIVE);
            stream_fs_read(f);
            return 0;
        }
        if (t == UV_TTY)
            rc = uv_tty_init(f->loop, &s->h.tty, 0, 1);
        else
            rc = uv_pipe_init(f->loop, &s->h.pipe, 0);
        if (rc == 0) {
            s->h_open = true;
            ((uv_handle_t *)&s->h)->data = f;
            if (t != UV_TTY)
                rc = uv_pipe_open(&s->h.pipe, 0);
        }
        if (rc != 0) {
            feed_set_error(f, "stdin", rc);
            feed_set_state(f, FEED_ERROR);
            return 0;
        }
        feed_set_state(f, FEED_LIVE);
        stream_start_reading(f);
        return 0;
    }
    stream_connect(f);
    return 0;
}

static void
stream_stop(struct feed *f)
{
    struct stream *s = f->impl;

    if (s->retry_open && !uv_is_closing((uv_handle_t *)&s->retry))
        uv_close((uv_handle_t *)&s->retry, NULL);
    uv_timer_stop(&s->attempt);
    if (s->gai_busy)
        uv_cancel((uv_req_t *)&s->gai);
    if (s->h_open && !uv_is_closing((uv_handle_t *)&s->h))
        uv_close((uv_handle_t *)&s->h, stream_closed_cb);
    if (s->errpipe_open && !uv_is_closing((uv_handle_t *)&s->errpipe))
        uv_close((uv_handle_t *)&s->errpipe, stream_err_closed_cb);
    if (s->proc_open && !s->proc_exited) {
        /* SIGTERM, and SIGKILL after the grace period; the process handle
         * closes when the child is reaped. */
        if (kill(-s->proc.pid, SIGTERM) != 0)
            uv_process_kill(&s->proc, SIGTERM);
        uv_timer_start(&s->attempt, stream_kill_cb, f->kill_grace_ms, 0);
    } else {
        stream_close_attempt(s);
    }
}

static void
stream_free(struct feed *f)
{
    free(f->impl);
}

static const struct feed_ops feed_stream_ops = {
    .name = "stream",
    .start = stream_start,
    .stop = stream_stop,
    .free = stream_free,
};

/* "HOST:PORT" or "[V6]:PORT" */
static int
stream_host_port(struct stream *s, const char *arg)
{
    const char *colon = strrchr(arg, ':');
    size_t hl;

    if (colon == NULL || colon == arg || colon[1] == '\0')
        return -1;
    hl = (size_t)(colon - arg);
    if (arg[0] == '[' && hl >= 2 && arg[hl - 1] == ']') {
        arg++;
        hl -= 2;
    }
    if (hl >= sizeof(s->host) || strlen(colon + 1) >= sizeof(s->port))
        return -1;
    memcpy(s->host, arg, hl);
    s->host[hl] = '\0';
    snprintf(s->port, sizeof(s->port), "%s", colon + 1);
    for (const char *p = s->port; *p; p++) {
        if (*p < '0' || *p > '9')
            return -1;
    }
    if (strlen(s->port) > 5 || atoi(s->port) < 1 || atoi(s->port) > 65535)
        return -1;
    return 0;
}

int
feed_stream_new(struct feed *f, const char *kind, const char *arg, char *err,
                size_t errlen)
{
    struct stream *s = calloc(1, sizeof(*s));

    if (s == NULL)
        liq_nomem();
    snprintf(s->arg, sizeof(s->arg), "%s", arg);
    if (strcmp(kind, "stdin") == 0) {
        s->kind = STREAM_STDIN;
    } else if (strcmp(kind, "exec") == 0) {
        s->kind = STREAM_EXEC;
        if (*arg == '\0') {
            snprintf(err, errlen, "--feed exec: a command is needed");
            free(s);
            return LIQ_EINVAL;
        }
    } else if (strcmp(kind, "tcp") == 0) {
        s->kind = STREAM_TCP;
        if (stream_host_port(s, arg) != 0) {
            snprintf(err, errlen,
                     "--feed tcp:%s: expected tcp:HOST:PORT (port 1 to "
                     "65535)",
                     arg);
            free(s);
            return LIQ_EINVAL;
        }
    } else {
        s->kind = STREAM_UNIX;
        if (*arg == '\0') {
            snprintf(err, errlen, "--feed unix: a socket path is needed");
            free(s);
            return LIQ_EINVAL;
        }
        if (strlen(arg) >= sizeof(((struct sockaddr_un *)NULL)->sun_path)) {
            snprintf(err, errlen,
                     "--feed unix:%.60s...: the path is %zu bytes; a socket "
                     "address holds at most %zu",
                     arg, strlen(arg),
                     sizeof(((struct sockaddr_un *)NULL)->sun_path) - 1);
            free(s);
            return LIQ_EINVAL;
        }
    }
    f->ops = &feed_stream_ops;
    f->impl = s;
    return 0;
}
