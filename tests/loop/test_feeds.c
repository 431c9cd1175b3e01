/*
 * test_feeds.c: the feed line protocol and every byte-stream source on a
 * real libuv loop, against real peers started by the test: a TCP server on
 * 127.0.0.1, a unix socket, child processes, and a redis-server on a free
 * loopback port. Faults: a peer that closes mid-line, refuses, restarts; a
 * child that crashes; garbage, a 10 MB line, NUL bytes, bad prices. Every
 * test ends with uv_loop_close() == 0.
 */
#include <check.h>
#include <hiredis/hiredis.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <uv.h>

#include "feeds/feed.h"
#include "tests/common/testutil.h"

/* ---- the line protocol ------------------------------------------------ */

struct parse_case {
    const char *line;
    size_t n;        /* updates */
    size_t nrejects; /* rejects */
    enum line_reject first;
    const char *price; /* first update's price_e18 */
};

static const struct parse_case parse_cases[] = {
    {"{\"symbol\": \"WETH\", \"price\": \"1999.52\", \"ts\": 1732400000123}", 1,
     0, 0, "1999520000000000000000"},
    {"{\"prices\": {\"WETH\": \"1999.52\", \"WBTC\": \"64010.1\"}, \"ts\": 1}",
     2, 0, 0, "1999520000000000000000"},
    {"{\"symbol\": \"USDC\", \"price\": 0.999}", 1, 0, 0, "999000000000000000"},
    {"{\"symbol\": \"X\", \"price\": 1e-30}", 0, 1, LINE_NON_POSITIVE, NULL},
    {"{\"symbol\": \"X\", \"price\": \"0\"}", 0, 1, LINE_NON_POSITIVE, NULL},
    {"{\"symbol\": \"X\", \"price\": \"-1\"}", 0, 1, LINE_NON_POSITIVE, NULL},
    {"{\"symbol\": \"X\", \"price\": -1}", 0, 1, LINE_NON_POSITIVE, NULL},
    {"{\"symbol\": \"X\", \"price\": \"1e400\"}", 0, 1, LINE_BAD_PRICE, NULL},
    {"{\"symbol\": \"X\", \"price\": 1e400}", 0, 1, LINE_BAD_PRICE, NULL},
    {"{\"symbol\": \"X\", \"price\": \"NaN\"}", 0, 1, LINE_BAD_PRICE, NULL},
    {"{\"symbol\": \"X\", \"price\": true}", 0, 1, LINE_BAD_PRICE, NULL},
    {"{\"symbol\": \"X\"}", 0, 1, LINE_MALFORMED, NULL},
    {"[1, 2]", 0, 1, LINE_MALFORMED, NULL},
    {"{\"symbol\": \"X\", \"price\": \"1\"", 0, 1, LINE_MALFORMED, NULL},
    {"\x01\x02\xff garbage", 0, 1, LINE_MALFORMED, NULL},
    {"{\"prices\": {}}", 0, 1, LINE_MALFORMED, NULL},
    {"{\"symbol\": \"X\", \"price\": \"1\", \"ts\": \"soon\"}", 0, 1,
     LINE_MALFORMED, NULL},
    {"{\"prices\": {\"A\": \"1\", \"B\": \"-2\"}}", 1, 1, LINE_NON_POSITIVE,
     "1000000000000000000"},
    {"", 0, 0, 0, NULL},
    {"   ", 0, 0, 0, NULL},
    /* 8 decimals of an oracle keep all 18 of the book; more truncate */
    {"{\"symbol\": \"X\", \"price\": \"1.1234567890123456789\"}", 1, 0, 0,
     "1123456789012345678"},
};

START_TEST(test_parse)
{
    const struct parse_case *c = &parse_cases[_i];
    struct line_result r;

    line_parse(c->line, strlen(c->line), &r);
    ck_assert_uint_eq(r.n, c->n);
    ck_assert_uint_eq(r.nrejects, c->nrejects);
    if (c->nrejects > 0)
        ck_assert_int_eq(r.rejects[0], c->first);
    if (c->price != NULL)
        TEST_U256_EQ(r.up[0].price_e18, test_u256(c->price));
}
END_TEST

START_TEST(test_parse_nul)
{
    static const char line[] = "{\"symbol\": \"X\",\0 \"price\": \"1\"}";
    struct line_result r;

    line_parse(line, sizeof(line) - 1, &r);
    ck_assert_uint_eq(r.n, 0);
    ck_assert_int_eq(r.rejects[0], LINE_MALFORMED);
}
END_TEST

/* A market's raw oracle price: digits only, nonzero, in a line of its own. */
START_TEST(test_parse_oracle)
{
    static const char ok[] = "{\"oracle\": {\"morpho-blue:1:0xab\": "
                             "\"1850000000000000000000000000\"}, \"ts\": 5}";
    static const char *const bad[] = {
        "{\"oracle\": {\"m\": \"0\"}}",
        "{\"oracle\": {\"m\": \"1.5\"}}",
        "{\"oracle\": {\"m\": 18}}",
        "{\"oracle\": {}}",
        "{\"oracle\": {\"m\": \"1\"}, \"symbol\": \"X\", \"price\": 1}",
    };
    static const enum line_reject why[] = {LINE_NON_POSITIVE, LINE_BAD_PRICE,
                                           LINE_BAD_PRICE, LINE_MALFORMED,
                                           LINE_MALFORMED};
    struct line_result r;

    line_parse(ok, sizeof(ok) - 1, &r);
    ck_assert_uint_eq(r.n, 0);
    ck_assert_uint_eq(r.nrejects, 0);
    ck_assert_uint_eq(r.noracle, 1);
    ck_assert_str_eq(r.oracle[0].market, "morpho-blue:1:0xab");
    TEST_U256_EQ(r.oracle[0].raw, test_u256("1850000000000000000000000000"));
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        line_parse(bad[i], strlen(bad[i]), &r);
        ck_assert_uint_eq(r.noracle, 0);
        ck_assert_uint_eq(r.nrejects, 1);
        ck_assert_int_eq(r.rejects[0], why[i]);
    }
}
END_TEST

/* ---- line splitting ---------------------------------------------------- */

struct split_seen {
    int lines;
    int too_long;
    char last[128];
};

static void
split_cb(void *arg, const char *line, size_t len, bool too_long)
{
    struct split_seen *s = arg;

    if (too_long) {
        s->too_long++;
        return;
    }
    s->lines++;
    snprintf(s->last, sizeof(s->last), "%.*s", (int)len, line);
}

/* Every way of cutting two lines into two reads gives the same lines. */
START_TEST(test_split_every_boundary)
{
    static const char text[] = "{\"a\": 1}\r\n{\"bb\": 22}\n";
    size_t n = sizeof(text) - 1;

    for (size_t cut = 0; cut <= n; cut++) {
        struct linebuf lb;
        struct split_seen s = {0, 0, ""};

        linebuf_init(&lb);
        linebuf_feed(&lb, text, cut, split_cb, &s);
        linebuf_feed(&lb, text + cut, n - cut, split_cb, &s);
        linebuf_flush(&lb, split_cb, &s);
        ck_assert_int_eq(s.lines, 2);
        ck_assert_str_eq(s.last, "{\"bb\": 22}");
        linebuf_done(&lb);
    }
}
END_TEST

/* A 10 MB line in 4 KiB reads is dropped once; the next line arrives. */
START_TEST(test_split_huge)
{
    struct linebuf lb;
    struct split_seen s = {0, 0, ""};
    char chunk[4096];

    memset(chunk, 'x', sizeof(chunk));
    linebuf_init(&lb);
    for (int i = 0; i < (10 << 20) / (int)sizeof(chunk); i++)
        linebuf_feed(&lb, chunk, sizeof(chunk), split_cb, &s);
    linebuf_feed(&lb, "\nok\n", 4, split_cb, &s);
    ck_assert_int_eq(s.too_long, 1);
    ck_assert_int_eq(s.lines, 1);
    ck_assert_str_eq(s.last, "ok");
    ck_assert_uint_le(lb.cap, LINE_MAX_BYTES * 2);
    linebuf_done(&lb);
}
END_TEST

/* ---- a test's view of a feed ------------------------------------------ */

struct seen {
    int updates;
    int rejects[LINE_REJECT_COUNT];
    int live;         /* transitions into live */
    int reconnecting; /* transitions into reconnecting */
    int ended;
    int64_t sum_ts; /* to check no tick is lost or duplicated */
    void (*on_update)(struct seen *s);
    void *ctx;
};

static void
seen_update(void *arg, struct feed *f, const struct price_update *u)
{
    struct seen *s = arg;

    (void)f;
    s->updates++;
    s->sum_ts += u->ts_ms;
    if (s->on_update != NULL)
        s->on_update(s);
}

static void
seen_reject(void *arg, struct feed *f, enum line_reject why)
{
    struct seen *s = arg;

    (void)f;
    s->rejects[why]++;
}

static void
seen_state(void *arg, struct feed *f)
{
    struct seen *s = arg;

    if (f->state == FEED_LIVE)
        s->live++;
    else if (f->state == FEED_RECONNECTING)
        s->reconnecting++;
    else if (f->state == FEED_ENDED)
        s->ended++;
}

static struct feed *
open_feed(uv_loop_t *loop, const char *spec, struct seen *s)
{
    struct feed_cbs cbs = {seen_update, seen_reject, seen_state, s, NULL};
    struct feed_env env;
    struct feed *f = NULL;
    char err[256];

    memset(&env, 0, sizeof(env));
    ck_assert_msg(feed_new(&f, loop, spec, &cbs, &env, err, sizeof(err)) == 0,
                  "%s", err);
    ck_assert_int_eq(feed_start(f), 0);
    return f;
}

/* Run the loop until done() or the safety limit (never the measure). */
static void
run_until(uv_loop_t *loop, bool (*done)(void *), void *arg, int limit_ms)
{
    uint64_t start = uv_now(loop);

    while (!done(arg) && uv_now(loop) - start < (uint64_t)limit_ms) {
        uv_run(loop, UV_RUN_ONCE);
        uv_update_time(loop);
    }
}

/* Stop feeds, close the test's own handles, drain, then free. */
static void
finish(uv_loop_t *loop, struct feed **f, int n, uv_handle_t **h, int nh)
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

/* ---- TCP: a server in the same loop ------------------------------------ */

struct server {
    uv_tcp_t tcp;
    uv_pipe_t pipe;
    bool is_pipe;
    uv_stream_t *client;
    union {
        uv_tcp_t tcp;
        uv_pipe_t pipe;
    } conn;
    int accepted;
    const char *script[8]; /* what to send on each accept, in order */
    bool close_after[8];
};

static void
server_write_done(uv_write_t *w, int status)
{
    (void)status;
    free(w);
}

static void
server_send(uv_stream_t *to, const char *text)
{
    uv_write_t *w = malloc(sizeof(*w));
    uv_buf_t b = uv_buf_init((char *)(uintptr_t)text, (unsigned)strlen(text));

    ck_assert_ptr_nonnull(w);
    ck_assert_int_eq(uv_write(w, to, &b, 1, server_write_done), 0);
}

static void
server_conn_closed(uv_handle_t *h)
{
    (void)h;
}

static void
server_shutdown_cb(uv_shutdown_t *req, int status)
{
    (void)status;
    uv_close((uv_handle_t *)req->handle, server_conn_closed);
    free(req);
}

static void
server_conn_cb(uv_stream_t *srv, int status)
{
    struct server *s = srv->data;
    int i = s->accepted;

    ck_assert_int_eq(status, 0);
    if (s->is_pipe)
        ck_assert_int_eq(uv_pipe_init(srv->loop, &s->conn.pipe, 0), 0);
    else
        ck_assert_int_eq(uv_tcp_init(srv->loop, &s->conn.tcp), 0);
    ck_assert_int_eq(uv_accept(srv, (uv_stream_t *)&s->conn), 0);
    s->accepted++;
    if (i < 8 && s->script[i] != NULL)
        server_send((uv_stream_t *)&s->conn, s->script[i]);
    if (i < 8 && s->close_after[i]) {
        uv_shutdown_t *sd = malloc(sizeof(*sd));

        ck_assert_ptr_nonnull(sd);
        uv_shutdown(sd, (uv_stream_t *)&s->conn, server_shutdown_cb);
    }
}

static int
server_listen_tcp(uv_loop_t *loop, struct server *s, int port)
{
    struct sockaddr_in addr;
    struct sockaddr_storage name;
    int len = sizeof(name);

    s->is_pipe = false;
    ck_assert_int_eq(uv_tcp_init(loop, &s->tcp), 0);
    s->tcp.data = s;
    ck_assert_int_eq(uv_ip4_addr("127.0.0.1", port, &addr), 0);
    ck_assert_int_eq(uv_tcp_bind(&s->tcp, (struct sockaddr *)&addr, 0), 0);
    ck_assert_int_eq(uv_listen((uv_stream_t *)&s->tcp, 8, server_conn_cb), 0);
    ck_assert_int_eq(
        uv_tcp_getsockname(&s->tcp, (struct sockaddr *)&name, &len), 0);
    return ntohs(((struct sockaddr_in *)&name)->sin_port);
}

static bool
updates_at_least(void *arg)
{
    struct seen *s = arg;

    return s->updates >= *(int *)s->ctx;
}

/*
 * The server sends a line split in two writes' worth, then a line cut in
 * the middle and closes: the feed counts the cut line as malformed (it
 * ended without its newline... it is delivered at EOF and fails to parse),
 * reconnects, and gets every whole line of the second connection.
 */
START_TEST(test_tcp_close_mid_line_and_reconnect)
{
    uv_loop_t loop;
    struct server srv;
    struct seen s;
    struct feed *f;
    char spec[64];
    int want = 3, port;

    memset(&srv, 0, sizeof(srv));
    memset(&s, 0, sizeof(s));
    s.ctx = &want;
    ck_assert_int_eq(uv_loop_init(&loop), 0);
    srv.script[0] = "{\"symbol\": \"WETH\", \"price\": \"2000\", \"ts\": 1}\n"
                    "{\"symbol\": \"WETH\", \"pri";
    srv.close_after[0] = true;
    srv.script[1] = "{\"symbol\": \"WETH\", \"price\": \"1990\", \"ts\": 2}\n"
                    "{\"prices\": {\"WBTC\": \"60000\"}, \"ts\": 3}\n";
    port = server_listen_tcp(&loop, &srv, 0);
    snprintf(spec, sizeof(spec), "tcp:127.0.0.1:%d", port);
    f = open_feed(&loop, spec, &s);
    run_until(&loop, updates_at_least, &s, 10000);
    ck_assert_int_eq(s.updates, 3);
    ck_assert_int_eq(s.sum_ts, 1 + 2 + 3);
    ck_assert_int_eq(s.rejects[LINE_MALFORMED], 1);
    ck_assert_int_ge(s.reconnecting, 1);
    ck_assert_uint_ge(f->reconnects, 1);
    ck_assert_int_eq(srv.accepted, 2);
    ck_assert_int_eq(f->state, FEED_LIVE);
    {
        uv_handle_t *h[] = {(uv_handle_t *)&srv.tcp, (uv_handle_t *)&srv.conn};

        finish(&loop, &f, 1, h, 2);
    }
    ck_assert_int_eq(uv_loop_close(&loop), 0);
}
END_TEST

static bool
reconnected_twice(void *arg)
{
    struct feed *f = arg;

    return f->reconnects >= 2;
}

/* Nothing listens: the feed retries with back-off; when a server comes up
 * on that port, the feed connects and nothing sent is lost. */
START_TEST(test_tcp_refused_then_up)
{
    uv_loop_t loop;
    struct server probe, srv;
    struct seen s;
    struct feed *f;
    char spec[64];
    int want = 2, port;

    memset(&probe, 0, sizeof(probe));
    memset(&srv, 0, sizeof(srv));
    memset(&s, 0, sizeof(s));
    s.ctx = &want;
    ck_assert_int_eq(uv_loop_init(&loop), 0);
    /* A free port: bind, read it, close. */
    port = server_listen_tcp(&loop, &probe, 0);
    uv_close((uv_handle_t *)&probe.tcp, NULL);
    uv_run(&loop, UV_RUN_DEFAULT);
    snprintf(spec, sizeof(spec), "tcp:localhost:%d", port);
    f = open_feed(&loop, spec, &s);
    run_until(&loop, reconnected_twice, f, 10000);
    ck_assert_uint_ge(f->reconnects, 2);
    ck_assert_int_eq(f->state, FEED_RECONNECTING);
    ck_assert_int_eq(s.updates, 0);
    srv.script[0] = "{\"symbol\": \"A\", \"price\": \"1\", \"ts\": 10}\n"
                    "{\"symbol\": \"B\", \"price\": \"2\", \"ts\": 20}\n";
    server_listen_tcp(&loop, &srv, port);
    run_until(&loop, updates_at_least, &s, 15000);
    ck_assert_int_eq(s.updates, 2);
    ck_assert_int_eq(s.sum_ts, 30);
    ck_assert_int_eq(f->state, FEED_LIVE);
    {
        uv_handle_t *h[] = {(uv_handle_t *)&srv.tcp, (uv_handle_t *)&srv.conn};

        finish(&loop, &f, 1, h, 2);
    }
    ck_assert_int_eq(uv_loop_close(&loop), 0);
}
END_TEST

/* A unix socket peer sends garbage, binary, an empty line, bad prices and
 * good lines: only the good ones apply, every bad one is counted. */
START_TEST(test_unix_garbage)
{
    uv_loop_t loop;
    struct server srv;
    struct seen s;
    struct feed *f;
    char dir[] = "/tmp/liqtop-loop.XXXXXX", path[128], spec[160];
    int want = 2;

    memset(&srv, 0, sizeof(srv));
    memset(&s, 0, sizeof(s));
    s.ctx = &want;
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/feed.sock", dir);
    ck_assert_int_eq(uv_loop_init(&loop), 0);
    srv.is_pipe = true;
    ck_assert_int_eq(uv_pipe_init(&loop, &srv.pipe, 0), 0);
    srv.pipe.data = &srv;
    ck_assert_int_eq(uv_pipe_bind(&srv.pipe, path), 0);
    ck_assert_int_eq(uv_listen((uv_stream_t *)&srv.pipe, 8, server_conn_cb), 0);
    srv.script[0] = "garbage\n\x01\x02\x03\xfe\xff\n\n"
                    "{\"symbol\": \"A\", \"price\": \"0\"}\n"
                    "{\"symbol\": \"A\", \"price\": \"NaN\"}\n"
                    "{\"symbol\": \"A\", \"price\": \"-1\"}\n"
                    "{\"symbol\": \"A\", \"price\": \"1e400\"}\n"
                    "{\"symbol\": \"A\", \"price\": \"3\", \"ts\": 5}\n"
                    "{\"symbol\": \"B\", \"price\": \"4\", \"ts\": 6}\n";
    snprintf(spec, sizeof(spec), "unix:%s", path);
    f = open_feed(&loop, spec, &s);
    run_until(&loop, updates_at_least, &s, 10000);
    ck_assert_int_eq(s.updates, 2);
    ck_assert_int_eq(s.sum_ts, 11);
    ck_assert_int_eq(s.rejects[LINE_MALFORMED], 2);
    ck_assert_int_eq(s.rejects[LINE_NON_POSITIVE], 2);
    ck_assert_int_eq(s.rejects[LINE_BAD_PRICE], 2);
    {
        uv_handle_t *h[] = {(uv_handle_t *)&srv.pipe, (uv_handle_t *)&srv.conn};

        finish(&loop, &f, 1, h, 2);
    }
    ck_assert_int_eq(uv_loop_close(&loop), 0);
    unlink(path);
    rmdir(dir);
}
END_TEST

/* A child prints two lines and crashes; it is restarted with back-off and
 * its lines arrive again; on stop it is killed and reaped. */
START_TEST(test_exec_crash_restart)
{
    uv_loop_t loop;
    struct seen s;
    struct feed *f;
    int want = 6;

    memset(&s, 0, sizeof(s));
    s.ctx = &want;
    ck_assert_int_eq(uv_loop_init(&loop), 0);
    f = open_feed(&loop,
                  "exec:printf '{\"symbol\": \"A\", \"price\": \"1\", "
                  "\"ts\": 1}\\n{\"symbol\": \"B\", \"price\": \"2\", "
                  "\"ts\": 2}\\n'; kill -SEGV $$",
                  &s);
    run_until(&loop, updates_at_least, &s, 15000);
    ck_assert_int_ge(s.updates, 6);
    ck_assert_int_eq(s.updates % 2, 0); /* no line lost or cut */
    ck_assert_uint_ge(f->reconnects, 2);
    finish(&loop, &f, 1, NULL, 0);
    ck_assert_int_eq(uv_loop_close(&loop), 0);
}
END_TEST

/* A long-running child is killed and reaped when the feed stops. */
START_TEST(test_exec_killed_on_stop)
{
    uv_loop_t loop;
    struct seen s;
    struct feed *f;
    int want = 1;

    memset(&s, 0, sizeof(s));
    s.ctx = &want;
    ck_assert_int_eq(uv_loop_init(&loop), 0);
    f = open_feed(&loop,
                  "exec:echo '{\"symbol\": \"A\", \"price\": \"1\"}'; "
                  "exec sleep 600",
                  &s);
    run_until(&loop, updates_at_least, &s, 10000);
    ck_assert_int_eq(s.updates, 1);
    finish(&loop, &f, 1, NULL, 0); /* hangs 600 s if the child lived */
    ck_assert_int_eq(uv_loop_close(&loop), 0);
}
END_TEST

/* ---- Redis: a real server on a free loopback port ---------------------- */

static pid_t
redis_start(int port)
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

static void
redis_kill(pid_t pid)
{
    kill(pid, SIGTERM);
    waitpid(pid, NULL, 0);
}

static int
free_port(void)
{
    uv_loop_t loop;
    struct server probe;
    int port;

    memset(&probe, 0, sizeof(probe));
    ck_assert_int_eq(uv_loop_init(&loop), 0);
    port = server_listen_tcp(&loop, &probe, 0);
    uv_close((uv_handle_t *)&probe.tcp, NULL);
    uv_run(&loop, UV_RUN_DEFAULT);
    ck_assert_int_eq(uv_loop_close(&loop), 0);
    return port;
}

static long long
redis_publish(int port, const char *msg)
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

static bool
is_live(void *arg)
{
    struct feed *f = arg;

    return f->state == FEED_LIVE;
}

static bool
is_reconnecting(void *arg)
{
    struct feed *f = arg;

    return f->state == FEED_RECONNECTING;
}

/* Two liqtop feeds share one bus; the server restarts and both come back
 * and receive what is published after. */
START_TEST(test_redis_bus)
{
    uv_loop_t loop;
    struct seen s1, s2;
    struct feed *f1, *f2;
    char spec[64];
    int port = free_port(), want = 2;
    pid_t pid = redis_start(port);

    memset(&s1, 0, sizeof(s1));
    memset(&s2, 0, sizeof(s2));
    s1.ctx = s2.ctx = &want;
    ck_assert_int_eq(uv_loop_init(&loop), 0);
    snprintf(spec, sizeof(spec), "redis://127.0.0.1:%d/prices", port);
    f1 = open_feed(&loop, spec, &s1);
    f2 = open_feed(&loop, spec, &s2);
    run_until(&loop, is_live, f1, 5000);
    run_until(&loop, is_live, f2, 5000);
    /* Subscribed once both SUBSCRIBE commands have been answered. */
    for (int i = 0; i < 100 && redis_publish(port, "{\"symbol\": \"X\", "
                                                   "\"price\": \"bad\"}") < 2;
         i++)
        uv_run(&loop, UV_RUN_NOWAIT), usleep(10000);
    redis_publish(port, "{\"symbol\": \"WETH\", \"price\": \"2000\", "
                        "\"ts\": 7}\n{\"symbol\": \"WBTC\", \"price\": "
                        "\"60000\", \"ts\": 8}");
    run_until(&loop, updates_at_least, &s1, 5000);
    run_until(&loop, updates_at_least, &s2, 5000);
    ck_assert_int_eq(s1.updates, 2);
    ck_assert_int_eq(s2.updates, 2);
    ck_assert_int_ge(s1.rejects[LINE_BAD_PRICE], 1);

    redis_kill(pid);
    run_until(&loop, is_reconnecting, f1, 5000);
    ck_assert_int_eq(f1->state, FEED_RECONNECTING);
    pid = redis_start(port);
    run_until(&loop, is_live, f1, 10000);
    ck_assert_int_eq(f1->state, FEED_LIVE);
    ck_assert_uint_ge(f1->reconnects, 1);
    want = 3;
    for (int i = 0; i < 200 && s1.updates < 3; i++) {
        redis_publish(port, "{\"symbol\": \"WETH\", \"price\": \"1999\"}");
        uv_run(&loop, UV_RUN_NOWAIT);
        usleep(10000);
    }
    run_until(&loop, updates_at_least, &s1, 5000);
    ck_assert_int_ge(s1.updates, 3);
    {
        struct feed *fs[] = {f1, f2};

        finish(&loop, fs, 2, NULL, 0);
    }
    ck_assert_int_eq(uv_loop_close(&loop), 0);
    redis_kill(pid);
}
END_TEST

static Suite *
feeds_suite(void)
{
    Suite *s = suite_create("feeds");
    TCase *tc = tcase_create("line");
    TCase *io = tcase_create("io");

    tcase_add_loop_test(tc, test_parse, 0,
                        (int)(sizeof(parse_cases) / sizeof(parse_cases[0])));
    tcase_add_test(tc, test_parse_nul);
    tcase_add_test(tc, test_parse_oracle);
    tcase_add_test(tc, test_split_every_boundary);
    tcase_add_test(tc, test_split_huge);
    suite_add_tcase(s, tc);
    tcase_set_timeout(io, 60);
    tcase_add_test(io, test_tcp_close_mid_line_and_reconnect);
    tcase_add_test(io, test_tcp_refused_then_up);
    tcase_add_test(io, test_unix_garbage);
    tcase_add_test(io, test_exec_crash_restart);
    tcase_add_test(io, test_exec_killed_on_stop);
    tcase_add_test(io, test_redis_bus);
    suite_add_tcase(s, io);
    return s;
}

int
main(void)
{
    signal(SIGPIPE, SIG_IGN);
    return test_run(feeds_suite());
}
