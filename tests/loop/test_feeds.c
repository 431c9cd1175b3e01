/*
 * test_feeds.c: the feed line protocol and every byte-stream source on a
 * real libuv loop, against real peers started by the test: a TCP server on
 * 127.0.0.1, a unix socket, child processes, and a redis-server on a free
 * loopback port. Faults: a peer that closes mid-line, refuses, restarts; a
 * child that crashes; garbage, a 10 MB line, NUL bytes, bad prices (longer
 * outages of every kind of peer are tests/loop/test_faults.c). Every
 * test ends with uv_loop_close() == 0.
 */
#include <check.h>
#include <hiredis/hiredis.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <uv.h>

#include "feeds/feed.h"
#include "tests/common/loopkit.h"
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
    /* ambiguous lines are malformed, loopkit_never half applied */
    {"{\"symbol\": \"X\", \"price\": \"1\"} trailing", 0, 1, LINE_MALFORMED,
     NULL},
    {"{\"symbol\": \"X\", \"price\": \"1\"}{\"symbol\": \"Y\", \"price\": "
     "\"2\"}",
     0, 1, LINE_MALFORMED, NULL},
    {"{\"symbol\": \"X\", \"symbol\": \"Y\", \"price\": \"1\"}", 0, 1,
     LINE_MALFORMED, NULL},
    {"{\"symbol\": \"X\", \"price\": \"1\", \"price\": \"2\"}", 0, 1,
     LINE_MALFORMED, NULL},
    {"{\"prices\": {\"A\": \"1\", \"A\": \"2\"}}", 0, 1, LINE_MALFORMED, NULL},
    {"{\"symbol\": \"X\\u0000Y\", \"price\": \"1\"}", 0, 1, LINE_MALFORMED,
     NULL},
    {"{\"symbol\": \"X\", \"price\": \"1\\u0000\"}", 0, 1, LINE_MALFORMED,
     NULL},
    {"{\"symbol\": \"X\x01\", \"price\": \"1\"}", 0, 1, LINE_MALFORMED, NULL},
    {"{\"symbol\": \"X\\\\u0000\", \"price\": \"1\"}", 1, 0, 0,
     "1000000000000000000"}, /* an escaped backslash, then text */
    /* JSON numbers read from their own digits, loopkit_never through a double
     */
    {"{\"symbol\": \"X\", \"price\": 123456789012345678901}", 1, 0, 0,
     "123456789012345678901000000000000000000"},
    {"{\"symbol\": \"X\", \"price\": 0.1}", 1, 0, 0, "100000000000000000"},
    {"{\"symbol\": \"X\", \"price\": 1.000000000000000001}", 1, 0, 0,
     "1000000000000000001"},
    {"{\"symbol\": \"X\", \"price\": 1e-400}", 0, 1, LINE_NON_POSITIVE, NULL},
    {"{\"prices\": {\"A\": 2.5, \"B\": 1e2}, \"ts\": 3}", 2, 0, 0,
     "2500000000000000000"},
    {"{\"symbol\": \"X\", \"price\": \"1\", \"ts\": 1.5}", 0, 1, LINE_MALFORMED,
     NULL},
    {"{\"symbol\": \"X\", \"price\": \"1\", \"ts\": 9007199254740993}", 0, 1,
     LINE_MALFORMED, NULL},
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

/* ts is read from its digits: 2^53 + 1 stays itself. */
START_TEST(test_parse_ts_exact)
{
    static const char line[] =
        "{\"symbol\": \"X\", \"price\": \"1\", \"ts\": 8999999999999999}";
    struct line_result r;

    line_parse(line, sizeof(line) - 1, &r);
    ck_assert_uint_eq(r.n, 1);
    ck_assert(r.up[0].has_ts);
    ck_assert_int_eq(r.up[0].ts_ms, 8999999999999999LL);
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

/*
 * The server sends a line split in two writes' worth, then a line cut in
 * the middle and closes: the feed counts the cut line as malformed (it
 * ended without its newline... it is delivered at EOF and fails to parse),
 * reconnects, and gets every whole line of the second connection.
 */
START_TEST(test_tcp_close_mid_line_and_reconnect)
{
    uv_loop_t loop;
    struct loopkit_server srv;
    struct loopkit_seen s;
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
    port = loopkit_server_listen_tcp(&loop, &srv, 0);
    snprintf(spec, sizeof(spec), "tcp:127.0.0.1:%d", port);
    f = loopkit_open_feed(&loop, spec, &s);
    loopkit_run_until(&loop, loopkit_updates_at_least, &s, 10000);
    ck_assert_int_eq(s.updates, 3);
    ck_assert_int_eq(s.sum_ts, 1 + 2 + 3);
    ck_assert_int_eq(s.rejects[LINE_MALFORMED], 1);
    ck_assert_int_ge(s.reconnecting, 1);
    ck_assert_uint_ge(f->reconnects, 1);
    ck_assert_int_eq(srv.accepted, 2);
    ck_assert_int_eq(f->state, FEED_LIVE);
    {
        uv_handle_t *h[] = {(uv_handle_t *)&srv.tcp, (uv_handle_t *)&srv.conn};

        loopkit_finish(&loop, &f, 1, h, 2);
    }
    ck_assert_int_eq(uv_loop_close(&loop), 0);
}
END_TEST

/* Nothing listens: the feed retries with back-off; when a server comes up
 * on that port, the feed connects and nothing sent is lost. */
START_TEST(test_tcp_refused_then_up)
{
    uv_loop_t loop;
    struct loopkit_server probe, srv;
    struct loopkit_seen s;
    struct feed *f;
    char spec[64];
    int want = 2, port;

    memset(&probe, 0, sizeof(probe));
    memset(&srv, 0, sizeof(srv));
    memset(&s, 0, sizeof(s));
    s.ctx = &want;
    ck_assert_int_eq(uv_loop_init(&loop), 0);
    /* A free port: bind, read it, close. */
    port = loopkit_server_listen_tcp(&loop, &probe, 0);
    uv_close((uv_handle_t *)&probe.tcp, NULL);
    uv_run(&loop, UV_RUN_DEFAULT);
    snprintf(spec, sizeof(spec), "tcp:localhost:%d", port);
    f = loopkit_open_feed(&loop, spec, &s);
    loopkit_run_until(&loop, loopkit_reconnected_twice, f, 10000);
    ck_assert_uint_ge(f->reconnects, 2);
    ck_assert_int_eq(f->state, FEED_RECONNECTING);
    ck_assert_int_eq(s.updates, 0);
    srv.script[0] = "{\"symbol\": \"A\", \"price\": \"1\", \"ts\": 10}\n"
                    "{\"symbol\": \"B\", \"price\": \"2\", \"ts\": 20}\n";
    loopkit_server_listen_tcp(&loop, &srv, port);
    loopkit_run_until(&loop, loopkit_updates_at_least, &s, 15000);
    ck_assert_int_eq(s.updates, 2);
    ck_assert_int_eq(s.sum_ts, 30);
    ck_assert_int_eq(f->state, FEED_LIVE);
    {
        uv_handle_t *h[] = {(uv_handle_t *)&srv.tcp, (uv_handle_t *)&srv.conn};

        loopkit_finish(&loop, &f, 1, h, 2);
    }
    ck_assert_int_eq(uv_loop_close(&loop), 0);
}
END_TEST

/* A unix socket peer sends garbage, binary, an empty line, bad prices and
 * good lines: only the good ones apply, every bad one is counted. */
START_TEST(test_unix_garbage)
{
    uv_loop_t loop;
    struct loopkit_server srv;
    struct loopkit_seen s;
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
    ck_assert_int_eq(
        uv_listen((uv_stream_t *)&srv.pipe, 8, loopkit_server_conn_cb), 0);
    srv.script[0] = "garbage\n\x01\x02\x03\xfe\xff\n\n"
                    "{\"symbol\": \"A\", \"price\": \"0\"}\n"
                    "{\"symbol\": \"A\", \"price\": \"NaN\"}\n"
                    "{\"symbol\": \"A\", \"price\": \"-1\"}\n"
                    "{\"symbol\": \"A\", \"price\": \"1e400\"}\n"
                    "{\"symbol\": \"A\", \"price\": \"3\", \"ts\": 5}\n"
                    "{\"symbol\": \"B\", \"price\": \"4\", \"ts\": 6}\n";
    snprintf(spec, sizeof(spec), "unix:%s", path);
    f = loopkit_open_feed(&loop, spec, &s);
    loopkit_run_until(&loop, loopkit_updates_at_least, &s, 10000);
    ck_assert_int_eq(s.updates, 2);
    ck_assert_int_eq(s.sum_ts, 11);
    ck_assert_int_eq(s.rejects[LINE_MALFORMED], 2);
    ck_assert_int_eq(s.rejects[LINE_NON_POSITIVE], 2);
    ck_assert_int_eq(s.rejects[LINE_BAD_PRICE], 2);
    {
        uv_handle_t *h[] = {(uv_handle_t *)&srv.pipe, (uv_handle_t *)&srv.conn};

        loopkit_finish(&loop, &f, 1, h, 2);
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
    struct loopkit_seen s;
    struct feed *f;
    int want = 6;

    memset(&s, 0, sizeof(s));
    s.ctx = &want;
    ck_assert_int_eq(uv_loop_init(&loop), 0);
    f = loopkit_open_feed(&loop,
                          "exec:printf '{\"symbol\": \"A\", \"price\": \"1\", "
                          "\"ts\": 1}\\n{\"symbol\": \"B\", \"price\": \"2\", "
                          "\"ts\": 2}\\n'; kill -SEGV $$",
                          &s);
    loopkit_run_until(&loop, loopkit_updates_at_least, &s, 15000);
    ck_assert_int_ge(s.updates, 6);
    ck_assert_int_eq(s.updates % 2, 0); /* no line lost or cut */
    ck_assert_uint_ge(f->reconnects, 2);
    loopkit_finish(&loop, &f, 1, NULL, 0);
    ck_assert_int_eq(uv_loop_close(&loop), 0);
}
END_TEST

/* A long-running child is killed and reaped when the feed stops. */
START_TEST(test_exec_killed_on_stop)
{
    uv_loop_t loop;
    struct loopkit_seen s;
    struct feed *f;
    int want = 1;

    memset(&s, 0, sizeof(s));
    s.ctx = &want;
    ck_assert_int_eq(uv_loop_init(&loop), 0);
    f = loopkit_open_feed(&loop,
                          "exec:echo '{\"symbol\": \"A\", \"price\": \"1\"}'; "
                          "exec sleep 600",
                          &s);
    loopkit_run_until(&loop, loopkit_updates_at_least, &s, 10000);
    ck_assert_int_eq(s.updates, 1);
    loopkit_finish(&loop, &f, 1, NULL, 0); /* hangs 600 s if the child lived */
    ck_assert_int_eq(uv_loop_close(&loop), 0);
}
END_TEST

/* Two liqtop feeds share one bus; the server restarts and both come back
 * and receive what is published after. */
START_TEST(test_redis_bus)
{
    uv_loop_t loop;
    struct loopkit_seen s1, s2;
    struct feed *f1, *f2;
    char spec[64];
    int port = loopkit_free_port(), want = 2;
    pid_t pid = loopkit_redis_start(port);

    memset(&s1, 0, sizeof(s1));
    memset(&s2, 0, sizeof(s2));
    s1.ctx = s2.ctx = &want;
    ck_assert_int_eq(uv_loop_init(&loop), 0);
    snprintf(spec, sizeof(spec), "redis://127.0.0.1:%d/prices", port);
    f1 = loopkit_open_feed(&loop, spec, &s1);
    f2 = loopkit_open_feed(&loop, spec, &s2);
    loopkit_run_until(&loop, loopkit_is_live, f1, 5000);
    loopkit_run_until(&loop, loopkit_is_live, f2, 5000);
    /* Subscribed once both SUBSCRIBE commands have been answered. */
    for (int i = 0;
         i < 100 && loopkit_redis_publish(port, "{\"symbol\": \"X\", "
                                                "\"price\": \"bad\"}") < 2;
         i++)
        uv_run(&loop, UV_RUN_NOWAIT), usleep(10000);
    loopkit_redis_publish(port, "{\"symbol\": \"WETH\", \"price\": \"2000\", "
                                "\"ts\": 7}\n{\"symbol\": \"WBTC\", \"price\": "
                                "\"60000\", \"ts\": 8}");
    loopkit_run_until(&loop, loopkit_updates_at_least, &s1, 5000);
    loopkit_run_until(&loop, loopkit_updates_at_least, &s2, 5000);
    ck_assert_int_eq(s1.updates, 2);
    ck_assert_int_eq(s2.updates, 2);
    ck_assert_int_ge(s1.rejects[LINE_BAD_PRICE], 1);

    loopkit_redis_kill(pid);
    loopkit_run_until(&loop, loopkit_is_reconnecting, f1, 5000);
    ck_assert_int_eq(f1->state, FEED_RECONNECTING);
    pid = loopkit_redis_start(port);
    loopkit_run_until(&loop, loopkit_is_live, f1, 10000);
    ck_assert_int_eq(f1->state, FEED_LIVE);
    ck_assert_uint_ge(f1->reconnects, 1);
    want = 3;
    for (int i = 0; i < 200 && s1.updates < 3; i++) {
        loopkit_redis_publish(port,
                              "{\"symbol\": \"WETH\", \"price\": \"1999\"}");
        uv_run(&loop, UV_RUN_NOWAIT);
        usleep(10000);
    }
    loopkit_run_until(&loop, loopkit_updates_at_least, &s1, 5000);
    ck_assert_int_ge(s1.updates, 3);
    {
        struct feed *fs[] = {f1, f2};

        loopkit_finish(&loop, fs, 2, NULL, 0);
    }
    ck_assert_int_eq(uv_loop_close(&loop), 0);
    loopkit_redis_kill(pid);
}
END_TEST

/* A peer that accepts and closes at once: each attempt is lost at once,
 * and the back-off still grows (100, 200, 400, 800, 1600 ms...): in 3 s
 * at most 7 connects, where a reset on every connect gave about 30. */
START_TEST(test_backoff_accept_close)
{
    uv_loop_t loop;
    struct loopkit_server srv;
    struct loopkit_seen s;
    struct feed *f;
    char spec[64];
    int port;

    memset(&srv, 0, sizeof(srv));
    memset(&s, 0, sizeof(s));
    for (int i = 0; i < 8; i++)
        srv.close_after[i] = true;
    ck_assert_int_eq(uv_loop_init(&loop), 0);
    port = loopkit_server_listen_tcp(&loop, &srv, 0);
    snprintf(spec, sizeof(spec), "tcp:127.0.0.1:%d", port);
    f = loopkit_open_feed(&loop, spec, &s);
    loopkit_run_for(&loop, 3000);
    ck_assert_int_ge(srv.accepted, 3);
    ck_assert_int_le(srv.accepted, 7);
    ck_assert_uint_ge(f->backoff_ms, 800);
    {
        uv_handle_t *h[] = {(uv_handle_t *)&srv.tcp, (uv_handle_t *)&srv.conn};

        loopkit_finish(&loop, &f, 1, h, 2);
    }
    ck_assert_int_eq(uv_loop_close(&loop), 0);
}
END_TEST

/* A child that prints a line and exits is restarted with a growing
 * back-off, not about 9 times a second. */
START_TEST(test_backoff_exec_exits)
{
    uv_loop_t loop;
    struct loopkit_seen s;
    struct feed *f;

    memset(&s, 0, sizeof(s));
    ck_assert_int_eq(uv_loop_init(&loop), 0);
    f = loopkit_open_feed(
        &loop, "exec:echo '{\"symbol\": \"A\", \"price\": \"1\"}'", &s);
    loopkit_run_for(&loop, 3000);
    ck_assert_int_ge(s.updates, 3);
    ck_assert_int_le(s.updates, 7);
    ck_assert_uint_ge(f->backoff_ms, 800);
    loopkit_finish(&loop, &f, 1, NULL, 0);
    ck_assert_int_eq(uv_loop_close(&loop), 0);
}
END_TEST

/* After healthy_ms live, a loss starts the back-off again from 100 ms. */
START_TEST(test_backoff_resets_when_healthy)
{
    uv_loop_t loop;
    struct loopkit_seen s;
    struct feed *f;
    struct feed_cbs cbs = {loopkit_seen_update,
                           loopkit_seen_reject,
                           loopkit_seen_state,
                           &s,
                           NULL,
                           NULL,
                           NULL,
                           NULL};
    struct feed_env env;
    char err[256];

    memset(&s, 0, sizeof(s));
    memset(&env, 0, sizeof(env));
    ck_assert_int_eq(uv_loop_init(&loop), 0);
    ck_assert_int_eq(feed_new(&f, &loop,
                              "exec:echo '{\"symbol\": \"A\", \"price\": "
                              "\"1\"}'; sleep 0.4",
                              &cbs, &env, err, sizeof(err)),
                     0);
    f->healthy_ms = 300; /* each run of the child counts as healthy */
    ck_assert_int_eq(feed_start(f), 0);
    loopkit_run_for(&loop, 2500);
    /* every restart after 75..125 ms: about 5 runs of 0.5 s */
    ck_assert_int_ge(s.updates, 4);
    ck_assert_uint_le(f->backoff_ms, 200);
    loopkit_finish(&loop, &f, 1, NULL, 0);
    ck_assert_int_eq(uv_loop_close(&loop), 0);
}
END_TEST

/* A listener whose backlog is full loopkit_never answers a SYN: the attempt is
 * abandoned at its deadline and retried, with the reason kept. */
START_TEST(test_connect_timeout)
{
    uv_loop_t loop;
    struct loopkit_seen s;
    struct feed *f;
    struct feed_cbs cbs = {loopkit_seen_update,
                           loopkit_seen_reject,
                           loopkit_seen_state,
                           &s,
                           NULL,
                           NULL,
                           NULL,
                           NULL};
    struct feed_env env;
    struct sockaddr_in a;
    socklen_t alen = sizeof(a);
    char spec[64], err[256];
    int lfd = socket(AF_INET, SOCK_STREAM, 0), cfd[4];

    memset(&a, 0, sizeof(a));
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ck_assert_int_eq(bind(lfd, (struct sockaddr *)&a, sizeof(a)), 0);
    ck_assert_int_eq(listen(lfd, 0), 0);
    ck_assert_int_eq(getsockname(lfd, (struct sockaddr *)&a, &alen), 0);
    for (int i = 0; i < 4; i++) { /* fill the backlog, loopkit_never accepted */
        cfd[i] = socket(AF_INET, SOCK_STREAM, 0);
        fcntl(cfd[i], F_SETFL, O_NONBLOCK);
        connect(cfd[i], (struct sockaddr *)&a, sizeof(a));
    }
    usleep(100000);
    memset(&s, 0, sizeof(s));
    memset(&env, 0, sizeof(env));
    ck_assert_int_eq(uv_loop_init(&loop), 0);
    snprintf(spec, sizeof(spec), "tcp:127.0.0.1:%d", ntohs(a.sin_port));
    ck_assert_int_eq(feed_new(&f, &loop, spec, &cbs, &env, err, sizeof(err)),
                     0);
    f->connect_timeout_ms = 300;
    ck_assert_int_eq(feed_start(f), 0);
    loopkit_run_until(&loop, loopkit_reconnected_twice, f, 3000);
    ck_assert_uint_ge(f->reconnects, 2);
    ck_assert_int_ne(f->state, FEED_LIVE);
    ck_assert_msg(strstr(f->error, "no answer within 300 ms") != NULL, "%s",
                  f->error);
    loopkit_finish(&loop, &f, 1, NULL, 0);
    ck_assert_int_eq(uv_loop_close(&loop), 0);
    for (int i = 0; i < 4; i++)
        close(cfd[i]);
    close(lfd);
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
    tcase_add_test(tc, test_parse_ts_exact);
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
    tcase_add_test(io, test_backoff_accept_close);
    tcase_add_test(io, test_backoff_exec_exits);
    tcase_add_test(io, test_backoff_resets_when_healthy);
    tcase_add_test(io, test_connect_timeout);
    suite_add_tcase(s, io);
    return s;
}

int
main(void)
{
    signal(SIGPIPE, SIG_IGN);
    return test_run(feeds_suite());
}
