/*
 * loopkit.c: the loop tests' shared peers and loop runners (loopkit.h).
 *
 * Owns no state; every assertion is Check's, so a failing helper fails
 * the test that called it.
 */
#include "tests/common/loopkit.h"

#include <check.h>
#include <hiredis/hiredis.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

void
loopkit_seen_update(void *arg, struct feed *f, const struct price_update *u)
{
    struct loopkit_seen *s = arg;

    (void)f;
    s->updates++;
    s->sum_ts += u->ts_ms;
    if (s->on_update != NULL)
        s->on_update(s);
}

void
loopkit_seen_reject(void *arg, struct feed *f, enum line_reject why)
{
    struct loopkit_seen *s = arg;

    (void)f;
    s->rejects[why]++;
}

void
loopkit_seen_state(void *arg, struct feed *f)
{
    struct loopkit_seen *s = arg;

    if (f->state == FEED_LIVE)
        s->live++;
    else if (f->state == FEED_RECONNECTING)
        s->reconnecting++;
    else if (f->state == FEED_ENDED)
        s->ended++;
}

struct feed *
loopkit_open_feed(uv_loop_t *loop, const char *spec, struct loopkit_seen *s)
{
    struct feed_cbs cbs = {loopkit_seen_update,
                           loopkit_seen_reject,
                           loopkit_seen_state,
                           s,
                           NULL,
                           NULL,
                           NULL,
                           NULL};
    struct feed_env env;
    struct feed *f = NULL;
    char err[256];

    memset(&env, 0, sizeof(env));
    ck_assert_msg(feed_new(&f, loop, spec, &cbs, &env, err, sizeof(err)) == 0,
                  "%s", err);
    ck_assert_int_eq(feed_start(f), 0);
    return f;
}

/* Run the loop until done() or the safety limit (loopkit_never the measure). */
static void
loopkit_tick_cb(uv_timer_t *t)
{
    (void)t;
}

void
loopkit_run_until(uv_loop_t *loop, bool (*done)(void *), void *arg,
                  int limit_ms)
{
    uint64_t start = uv_now(loop);
    uv_timer_t tick; /* so that a quiet loop still wakes to check */

    ck_assert_int_eq(uv_timer_init(loop, &tick), 0);
    uv_timer_start(&tick, loopkit_tick_cb, 10, 10);
    while (!done(arg) && uv_now(loop) - start < (uint64_t)limit_ms) {
        uv_run(loop, UV_RUN_ONCE);
        uv_update_time(loop);
    }
    uv_close((uv_handle_t *)&tick, NULL);
    uv_run(loop, UV_RUN_NOWAIT);
}

/* Stop feeds, close the test's own handles, drain, then free. */
void
loopkit_finish(uv_loop_t *loop, struct feed **f, int n, uv_handle_t **h, int nh)
{
    for (int i = 0; i < n; i++)
        feed_stop(f[i]);
    for (int i = 0; i < nh; i++) {
        if (h[i] != NULL && !uv_is_closing(h[i]))
            uv_close(h[i], NULL);
    }
    uv_run(loop, UV_RUN_DEFAULT);
    for (int i = 0; i < n; i++)
        feed_free(f[i]);
}

static void
loopkit_server_write_done(uv_write_t *w, int status)
{
    (void)status;
    free(w);
}

void
loopkit_server_send(uv_stream_t *to, const char *text)
{
    uv_write_t *w = malloc(sizeof(*w));
    uv_buf_t b = uv_buf_init((char *)(uintptr_t)text, (unsigned)strlen(text));

    ck_assert_ptr_nonnull(w);
    ck_assert_int_eq(uv_write(w, to, &b, 1, loopkit_server_write_done), 0);
}

static void
loopkit_server_conn_closed(uv_handle_t *h)
{
    (void)h;
}

static void
loopkit_server_shutdown_cb(uv_shutdown_t *req, int status)
{
    (void)status;
    uv_close((uv_handle_t *)req->handle, loopkit_server_conn_closed);
    free(req);
}

void
loopkit_server_conn_cb(uv_stream_t *srv, int status)
{
    struct loopkit_server *s = srv->data;
    int i = s->accepted;

    ck_assert_int_eq(status, 0);
    if (s->is_pipe)
        ck_assert_int_eq(uv_pipe_init(srv->loop, &s->conn.pipe, 0), 0);
    else
        ck_assert_int_eq(uv_tcp_init(srv->loop, &s->conn.tcp), 0);
    ck_assert_int_eq(uv_accept(srv, (uv_stream_t *)&s->conn), 0);
    s->accepted++;
    if (i < 8 && s->script[i] != NULL)
        loopkit_server_send((uv_stream_t *)&s->conn, s->script[i]);
    if (i < 8 && s->close_after[i]) {
        uv_shutdown_t *sd = malloc(sizeof(*sd));

        ck_assert_ptr_nonnull(sd);
        uv_shutdown(sd, (uv_stream_t *)&s->conn, loopkit_server_shutdown_cb);
    }
}

int
loopkit_server_listen_tcp(uv_loop_t *loop, struct loopkit_server *s, int port)
{
    struct sockaddr_in addr;
    struct sockaddr_storage name;
    int len = sizeof(name);

    s->is_pipe = false;
    ck_assert_int_eq(uv_tcp_init(loop, &s->tcp), 0);
    s->tcp.data = s;
    ck_assert_int_eq(uv_ip4_addr("127.0.0.1", port, &addr), 0);
    ck_assert_int_eq(uv_tcp_bind(&s->tcp, (struct sockaddr *)&addr, 0), 0);
    ck_assert_int_eq(
        uv_listen((uv_stream_t *)&s->tcp, 8, loopkit_server_conn_cb), 0);
    ck_assert_int_eq(
        uv_tcp_getsockname(&s->tcp, (struct sockaddr *)&name, &len), 0);
    return ntohs(((struct sockaddr_in *)&name)->sin_port);
}

bool
loopkit_updates_at_least(void *arg)
{
    struct loopkit_seen *s = arg;

    return s->updates >= *(int *)s->ctx;
}

bool
loopkit_reconnected_twice(void *arg)
{
    struct feed *f = arg;

    return f->reconnects >= 2;
}

pid_t
loopkit_redis_start(int port)
{
    pid_t pid = fork();
    char p[16];

    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        snprintf(p, sizeof(p), "%d", port);
        execlp("redis-server", "redis-server", "--port", p, "--bind",
               "127.0.0.1", "--save", "", "--appendonly", "no", "--loglevel",
               "warning", "--logfile", "/dev/null", (char *)NULL);
        _exit(127);
    }
    for (int i = 0; i < 200; i++) {
        redisContext *c = redisConnect("127.0.0.1", port);

        if (c != NULL && c->err == 0) {
            redisFree(c);
            return pid;
        }
        redisFree(c);
        usleep(20000);
    }
    ck_abort_msg("redis-server did not start on port %d", port);
    return -1;
}

void
loopkit_redis_kill(pid_t pid)
{
    kill(pid, SIGTERM);
    waitpid(pid, NULL, 0);
}

int
loopkit_free_port(void)
{
    uv_loop_t loop;
    struct loopkit_server probe;
    int port;

    memset(&probe, 0, sizeof(probe));
    ck_assert_int_eq(uv_loop_init(&loop), 0);
    port = loopkit_server_listen_tcp(&loop, &probe, 0);
    uv_close((uv_handle_t *)&probe.tcp, NULL);
    uv_run(&loop, UV_RUN_DEFAULT);
    ck_assert_int_eq(uv_loop_close(&loop), 0);
    return port;
}

long long
loopkit_redis_publish(int port, const char *msg)
{
    redisContext *c = redisConnect("127.0.0.1", port);
    redisReply *r;
    long long n;

    ck_assert(c != NULL && c->err == 0);
    r = redisCommand(c, "PUBLISH prices %s", msg);
    ck_assert_ptr_nonnull(r);
    n = r->integer;
    freeReplyObject(r);
    redisFree(c);
    return n;
}

bool
loopkit_is_live(void *arg)
{
    struct feed *f = arg;

    return f->state == FEED_LIVE;
}

bool
loopkit_is_reconnecting(void *arg)
{
    struct feed *f = arg;

    return f->state == FEED_RECONNECTING;
}

static bool
loopkit_never(void *arg)
{
    (void)arg;
    return false;
}

/* Run the loop for ms, whatever happens. */
void
loopkit_run_for(uv_loop_t *loop, int ms)
{
    loopkit_run_until(loop, loopkit_never, NULL, ms);
}
