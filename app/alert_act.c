/*
 * alert_act.c: delivering alert lines: appended to a file (one write() per
 * line on an O_APPEND descriptor, checked), given to a child's standard
 * input (one child at a time, killed after a timeout, its output
 * ignored), or sent to Redis (PUBLISH or XADD, reconnecting with back-off;
 * a line leaves the queue only once Redis has answered, so a line sent as
 * the connection drops is sent again).
 *
 * Owns the queues and handles of struct alert_act. Never blocks the loop
 * and never writes to the terminal.
 */
#include "app/alert_act.h"

#include <errno.h>
#include <fcntl.h>
#include <hiredis/hiredis.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/liq.h"
#include "feeds/redis_conn.h"

#define REDIS_INFLIGHT 64
#define REPLY_MS 1000

static char *
act_line_at(const struct alert_act *a, size_t i)
{
    return a->q[(a->qhead + i) % ALERT_ACT_QUEUE];
}

static void
act_pop(struct alert_act *a)
{
    free(a->q[a->qhead]);
    a->q[a->qhead] = NULL;
    a->qhead = (a->qhead + 1) % ALERT_ACT_QUEUE;
    a->qlen--;
}

/* One failure, with its message "what: detail" (detail may be NULL). */
static void
act_fail(struct alert_act *a, const char *what, const char *detail)
{
    a->failed++;
    snprintf(a->error, sizeof a->error, "%s%s%s", what, detail ? ": " : "",
             detail ? detail : "");
}

/* ---- file ---- */

static void
file_write(struct alert_act *a, const char *line, size_t len)
{
    ssize_t n = write(a->fd, line, len);

    if (n == (ssize_t)len) {
        a->sent++;
        return;
    }
    act_fail(a, "write", n < 0 ? strerror(errno) : "short write");
}

/* ---- exec ---- */

static void exec_next(struct alert_act *a);
static void act_close(struct alert_act *a);

static void
exec_closed_cb(uv_handle_t *h)
{
    struct alert_act *a = h->data;

    if (--a->child_handles > 0)
        return;
    uv_timer_stop(&a->timer);
    if (a->killed)
        act_fail(a, "timed out: killed", NULL);
    else if (a->exited_ok)
        a->sent++;
    act_pop(a);
    exec_next(a);
    if (a->stopping && a->qlen == 0 && a->child_handles == 0)
        act_close(a);
}

static void
exec_exit_cb(uv_process_t *p, int64_t status, int sig)
{
    struct alert_act *a = p->data;
    char why[64];

    a->exited_ok = status == 0 && sig == 0;
    if (!a->exited_ok && !a->killed) {
        if (sig != 0)
            snprintf(why, sizeof why, "killed by signal %d", sig);
        else
            snprintf(why, sizeof why, "exit status %lld", (long long)status);
        act_fail(a, why, NULL);
    }
    uv_close((uv_handle_t *)p, exec_closed_cb);
}

static void
exec_write_cb(uv_write_t *w, int status)
{
    struct alert_act *a = w->data;

    (void)status; /* a child that reads nothing is judged by its exit */
    if (!uv_is_closing((uv_handle_t *)&a->pipe))
        uv_close((uv_handle_t *)&a->pipe, exec_closed_cb);
}

static void
exec_timeout_cb(uv_timer_t *t)
{
    struct alert_act *a = t->data;

    a->killed = true;
    (void)uv_process_kill(&a->proc, SIGKILL);
}

static void
exec_next(struct alert_act *a)
{
    uv_process_options_t o;
    uv_stdio_container_t io[3];
    static char sh[] = "sh", dash_c[] = "-c";
    char *args[4];
    uv_buf_t buf;
    int rc;

    while (a->qlen > 0 && a->child_handles == 0) {
        memset(&o, 0, sizeof o);
        memset(io, 0, sizeof io);
        args[0] = sh;
        args[1] = dash_c;
        args[2] = a->cmd;
        args[3] = NULL;
        if (uv_pipe_init(a->loop, &a->pipe, 0) != 0) {
            act_fail(a, "cannot make a pipe", NULL);
            act_pop(a);
            continue;
        }
        a->pipe.data = a;
        io[0].flags = UV_CREATE_PIPE | UV_READABLE_PIPE;
        io[0].data.stream = (uv_stream_t *)&a->pipe;
        io[1].flags = UV_IGNORE;
        io[2].flags = UV_IGNORE;
        o.file = "/bin/sh";
        o.args = args;
        o.stdio = io;
        o.stdio_count = 3;
        o.exit_cb = exec_exit_cb;
        a->proc.data = a;
        a->killed = a->exited_ok = false;
        rc = uv_spawn(a->loop, &a->proc, &o);
        if (rc != 0) {
            act_fail(a, "spawn", uv_strerror(rc));
            /* the pipe alone is open; its close pops the line */
            a->child_handles = 1;
            a->exited_ok = false;
            uv_close((uv_handle_t *)&a->pipe, exec_closed_cb);
            return;
        }
        a->child_handles = 2;
        uv_timer_start(&a->timer, exec_timeout_cb, a->timeout_ms, 0);
        buf =
            uv_buf_init(act_line_at(a, 0), (unsigned)strlen(act_line_at(a, 0)));
        a->wreq.data = a;
        if (uv_write(&a->wreq, (uv_stream_t *)&a->pipe, &buf, 1,
                     exec_write_cb) != 0)
            uv_close((uv_handle_t *)&a->pipe, exec_closed_cb);
    }
}

/* ---- redis ---- */

static void redis_pump(struct alert_act *a);

/* An answer is overdue: the connection counts as lost (a server that
 * stopped answering keeps its socket open) and its lines go again. */
static void
redis_reply_late_cb(uv_timer_t *t)
{
    struct alert_act *a = t->data;
    char why[64];

    snprintf(why, sizeof why, "no answer within %d ms", REPLY_MS);
    redis_conn_drop(&a->conn, why);
}

/* The connection is up (again): what is queued goes from the head. */
static void
redis_up(struct redis_conn *l)
{
    struct alert_act *a = l->data;

    a->inflight = 0;
    redis_pump(a);
}

/* Lost: the lines sent and not answered stay queued, to go again. */
static void
redis_down(struct redis_conn *l)
{
    struct alert_act *a = l->data;

    a->inflight = 0;
    uv_timer_stop(&a->reply);
    snprintf(a->error, sizeof a->error, "redis: %.240s", l->error);
}

static void
redis_reply_cb(redisAsyncContext *c, void *reply, void *priv)
{
    struct alert_act *a = priv;
    redisReply *r = reply;

    (void)c;
    if (r == NULL || a->inflight == 0)
        return; /* the connection went: the line stays queued */
    a->inflight--;
    uv_timer_stop(&a->reply);
    if (r->type == REDIS_REPLY_ERROR)
        act_fail(a, "redis", r->str);
    else
        a->sent++;
    act_pop(a);
    redis_pump(a);
}

static void
redis_pump(struct alert_act *a)
{
    while (a->conn.up && a->inflight < a->qlen &&
           a->inflight < REDIS_INFLIGHT) {
        const char *line = act_line_at(a, a->inflight);
        size_t len = strlen(line) - 1; /* without the newline */
        int rc =
            a->stream
                ? redis_conn_command(&a->conn, redis_reply_cb, a,
                                     "XADD %s * line %b", a->key, line, len)
                : redis_conn_command(&a->conn, redis_reply_cb, a,
                                     "PUBLISH %s %b", a->key, line, len);

        if (rc != 0)
            break;
        a->inflight++;
    }
    /* An answer is due: past its deadline the connection counts as lost. */
    if (a->conn.up && a->inflight > 0 && a->timers_open)
        uv_timer_start(&a->reply, redis_reply_late_cb, REPLY_MS, 0);
    if (a->stopping && a->qlen == 0)
        alert_act_stop(a);
}

/* "redis://HOST:PORT/NAME" or "redis-stream://HOST:PORT/NAME". */
static int
redis_parse(struct alert_act *a, const char *url, char *err, size_t errlen)
{
    char why[400];

    a->stream = strncmp(url, "redis-stream://", 15) == 0;
    if (!a->stream && strncmp(url, "redis://", 8) != 0) {
        snprintf(err, errlen,
                 "expected redis://HOST:PORT/CHANNEL or "
                 "redis-stream://HOST:PORT/KEY");
        return LIQ_EINVAL;
    }
    if (redis_conn_url(url, a->stream ? "redis-stream" : "redis", a->host,
                       sizeof a->host, &a->port, a->key, sizeof a->key, why,
                       sizeof why) != 0) {
        snprintf(err, errlen, "expected redis://HOST:PORT/CHANNEL");
        return LIQ_EINVAL;
    }
    return 0;
}

/* ---- the action ---- */

int
alert_act_new(struct alert_act **out, uv_loop_t *loop, enum alert_act_kind kind,
              const char *arg, uint64_t timeout_ms, char *err, size_t errlen)
{
    struct alert_act *a = calloc(1, sizeof *a);
    static const char *const kinds[] = {"file", "exec", "redis"};

    if (a == NULL)
        abort();
    a->q = calloc(ALERT_ACT_QUEUE, sizeof *a->q);
    if (a->q == NULL)
        abort();
    a->kind = kind;
    a->loop = loop;
    a->fd = -1;
    a->timeout_ms = timeout_ms ? timeout_ms : ALERT_ACT_TIMEOUT_MS;
    snprintf(a->spec, sizeof a->spec, "%s %.280s", kinds[kind], arg);
    if (kind == ALERT_ACT_FILE) {
        a->fd = open(
            arg, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NONBLOCK, 0644);
        if (a->fd < 0) {
            snprintf(err, errlen, "%s: %s", arg, strerror(errno));
            alert_act_free(a);
            return LIQ_EIO;
        }
    } else if (kind == ALERT_ACT_EXEC) {
        a->cmd = strdup(arg);
        if (a->cmd == NULL)
            abort();
        /* a child that closes its input must not kill us */
        signal(SIGPIPE, SIG_IGN);
    } else if (redis_parse(a, arg, err, errlen) != 0) {
        alert_act_free(a);
        return LIQ_EINVAL;
    }
    *out = a;
    return 0;
}

int
alert_act_start(struct alert_act *a)
{
    int rc = 0;

    if (a->kind == ALERT_ACT_FILE)
        return 0;
    rc = uv_timer_init(a->loop,
                       a->kind == ALERT_ACT_EXEC ? &a->timer : &a->reply);
    if (rc != 0)
        return rc;
    a->timer.data = a->reply.data = a;
    a->timers_open = true;
    a->open_handles = 1;
    if (a->kind == ALERT_ACT_REDIS) {
        a->conn.on_up = redis_up;
        a->conn.on_down = redis_down;
        a->conn.data = a;
        rc = redis_conn_start(&a->conn, a->loop, a->host, a->port);
        if (rc != 0)
            return rc;
        a->conn_started = true;
    }
    return 0;
}

void
alert_act_push(struct alert_act *a, const char *line)
{
    size_t n = strlen(line);
    char *copy;

    if (a->kind == ALERT_ACT_FILE) {
        copy = malloc(n + 2);
        if (copy == NULL)
            abort();
        memcpy(copy, line, n);
        copy[n] = '\n';
        copy[n + 1] = '\0';
        file_write(a, copy, n + 1);
        free(copy);
        return;
    }
    if (a->qlen == ALERT_ACT_QUEUE) {
        /* Full: the oldest line not yet handed over gives way, so the
         * newest alert is never the one lost. */
        size_t k = a->kind == ALERT_ACT_REDIS ? a->inflight : 1;

        if (k >= a->qlen) {
            a->dropped++;
            return;
        }
        free(act_line_at(a, k));
        for (size_t i = k; i + 1 < a->qlen; i++)
            a->q[(a->qhead + i) % ALERT_ACT_QUEUE] = act_line_at(a, i + 1);
        a->qlen--;
        a->dropped++;
    }
    copy = malloc(n + 2);
    if (copy == NULL)
        abort();
    memcpy(copy, line, n);
    copy[n] = '\n';
    copy[n + 1] = '\0';
    a->q[(a->qhead + a->qlen) % ALERT_ACT_QUEUE] = copy;
    a->qlen++;
    if (a->kind == ALERT_ACT_EXEC)
        exec_next(a);
    else
        redis_pump(a);
}

static void
act_timer_closed_cb(uv_handle_t *h)
{
    struct alert_act *a = h->data;

    a->open_handles--;
}

static void
act_close(struct alert_act *a)
{
    if (a->timers_open) {
        a->timers_open = false;
        uv_close(a->kind == ALERT_ACT_EXEC ? (uv_handle_t *)&a->timer
                                           : (uv_handle_t *)&a->reply,
                 act_timer_closed_cb);
    }
    if (a->conn_started && !a->conn.stopping)
        redis_conn_stop(&a->conn);
}

void
alert_act_stop(struct alert_act *a)
{
    a->stopping = true;
    if (a->qlen == 0 && a->child_handles == 0)
        act_close(a);
}

bool
alert_act_idle(const struct alert_act *a)
{
    return a->open_handles == 0 && a->child_handles == 0 &&
           (!a->conn_started || redis_conn_closed(&a->conn));
}

void
alert_act_abandon(struct alert_act *a)
{
    size_t keep = a->child_handles > 0 ? 1 : 0;

    if (a->child_handles > 0) {
        a->killed = true;
        (void)uv_process_kill(&a->proc, SIGKILL);
    }
    while (a->qlen > keep) {
        /* drop from the tail: the running child's line stays at the head */
        size_t last = (a->qhead + a->qlen - 1) % ALERT_ACT_QUEUE;

        free(a->q[last]);
        a->q[last] = NULL;
        a->qlen--;
        a->failed++;
        snprintf(a->error, sizeof a->error, "not delivered before exit");
    }
    a->stopping = true;
    act_close(a);
}

void
alert_act_free(struct alert_act *a)
{
    if (a == NULL)
        return;
    while (a->qlen > 0)
        act_pop(a);
    if (a->fd >= 0)
        close(a->fd);
    free(a->q);
    free(a->cmd);
    free(a);
}
