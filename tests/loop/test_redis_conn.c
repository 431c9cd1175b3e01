/*
 * test_redis_conn.c: feeds/redis_conn.c on a real libuv loop: a real
 * redis-server answers commands, is killed (the link goes down, a
 * command then refuses at once, never blocks) and started again (the
 * link comes back by itself); a server that accepts and never answers
 * is abandoned at the connect deadline and retried at growing intervals
 * while the loop keeps turning; nobody listening is retried too; the
 * owner's own deadline (redis_conn_drop); and the URL form.
 */
#include <check.h>
#include <string.h>
#include <unistd.h>

#include "core/liq.h"
#include "feeds/redis_conn.h"
#include "tests/common/loopkit.h"
#include "tests/common/testutil.h"

struct seen {
    int ups, downs, answers;
    char last[64];
};

static void
seen_up(struct redis_conn *l)
{
    ((struct seen *)l->data)->ups++;
}

static void
seen_down(struct redis_conn *l)
{
    ((struct seen *)l->data)->downs++;
}

static void
seen_reply(redisAsyncContext *c, void *reply, void *priv)
{
    struct seen *s = priv;
    redisReply *r = reply;

    (void)c;
    if (r != NULL && r->type == REDIS_REPLY_STRING) {
        snprintf(s->last, sizeof s->last, "%s", r->str);
        s->answers++;
    }
}

static bool
is_up(void *arg)
{
    return ((struct redis_conn *)arg)->up;
}

static bool
is_down(void *arg)
{
    return !((struct redis_conn *)arg)->up;
}

static bool
answered(void *arg)
{
    return ((struct seen *)arg)->answers > 0;
}

/* A new loop and a link to the server on port, up, its events into s. */
static void
conn_up(uv_loop_t *loop, struct redis_conn *l, struct seen *s, int port)
{
    memset(l, 0, sizeof *l);
    memset(s, 0, sizeof *s);
    l->on_up = seen_up;
    l->on_down = seen_down;
    l->data = s;
    ck_assert_int_eq(uv_loop_init(loop), 0);
    ck_assert_int_eq(redis_conn_start(l, loop, "127.0.0.1", port), 0);
    loopkit_run_until(loop, is_up, l, 5000);
    ck_assert(l->up);
}

START_TEST(test_restart)
{
    uv_loop_t loop;
    struct redis_conn l;
    struct seen s;
    int port = loopkit_free_port();
    pid_t pid = loopkit_redis_start(port);

    conn_up(&loop, &l, &s, port);
    ck_assert_int_eq(s.ups, 1);
    ck_assert_int_eq(redis_conn_command(&l, NULL, NULL, "SET k %s", "v 1"), 0);
    ck_assert_int_eq(redis_conn_command(&l, seen_reply, &s, "GET k"), 0);
    loopkit_run_until(&loop, answered, &s, 5000);
    ck_assert_str_eq(s.last, "v 1");

    loopkit_redis_kill(pid);
    loopkit_run_until(&loop, is_down, &l, 5000);
    ck_assert(!l.up);
    ck_assert_int_eq(s.downs, 1);
    ck_assert_int_eq(redis_conn_command(&l, seen_reply, &s, "GET k"), -1);
    ck_assert_msg(l.error[0] != '\0', "no error kept");
    pid = loopkit_redis_start(port);
    loopkit_run_until(&loop, is_up, &l, 10000);
    ck_assert(l.up);
    ck_assert_int_eq(s.ups, 2);
    ck_assert_uint_ge(l.reconnects, 1);
    ck_assert_str_eq(l.error, "");
    redis_conn_stop(&l);
    uv_run(&loop, UV_RUN_DEFAULT);
    ck_assert_int_eq(uv_loop_close(&loop), 0);
    loopkit_redis_kill(pid);
}
END_TEST

/* The owner's own deadline: redis_conn_drop gives a live connection up
 * (a command's callback runs with no reply, then on_down, with the reason
 * kept), the link comes back by itself; once stopped, it tells when its
 * timers are closed. */
START_TEST(test_drop)
{
    uv_loop_t loop;
    struct redis_conn l;
    struct seen s;
    int port = loopkit_free_port();
    pid_t pid = loopkit_redis_start(port);

    conn_up(&loop, &l, &s, port);
    ck_assert_int_eq(redis_conn_command(&l, seen_reply, &s, "GET k"), 0);
    redis_conn_drop(&l, "no answer in time");
    ck_assert(!l.up);
    ck_assert_int_eq(s.downs, 1);
    ck_assert_int_eq(s.answers, 0);
    ck_assert_msg(strstr(l.error, "no answer in time") != NULL, "error: %s",
                  l.error);
    ck_assert_int_eq(redis_conn_command(&l, seen_reply, &s, "GET k"), -1);
    loopkit_run_until(&loop, is_up, &l, 10000);
    ck_assert(l.up);
    ck_assert_int_eq(s.ups, 2);
    redis_conn_stop(&l);
    ck_assert(!redis_conn_closed(&l));
    uv_run(&loop, UV_RUN_DEFAULT);
    ck_assert(redis_conn_closed(&l));
    ck_assert_int_eq(uv_loop_close(&loop), 0);
    loopkit_redis_kill(pid);
}
END_TEST

static void
mute_conn_cb(uv_stream_t *srv, int status)
{
    (void)srv;
    (void)status; /* never accepted, never answered */
}

/* The longest gap between turns of a 20 ms timer. */
struct pulse {
    uv_timer_t t;
    uint64_t last, worst;
};

static void
pulse_cb(uv_timer_t *t)
{
    struct pulse *p = t->data;
    uint64_t now = uv_now(t->loop);

    if (p->last != 0 && now - p->last > p->worst)
        p->worst = now - p->last;
    p->last = now;
}

START_TEST(test_stall_and_refuse)
{
    uv_loop_t loop;
    uv_tcp_t mute;
    struct sockaddr_in addr;
    struct sockaddr_storage name;
    int namelen = sizeof name, mport, dead = loopkit_free_port();
    struct redis_conn l[2];
    struct seen s[2];
    struct pulse p;

    memset(l, 0, sizeof l);
    memset(s, 0, sizeof s);
    memset(&p, 0, sizeof p);
    ck_assert_int_eq(uv_loop_init(&loop), 0);
    ck_assert_int_eq(uv_timer_init(&loop, &p.t), 0);
    p.t.data = &p;
    uv_timer_start(&p.t, pulse_cb, 20, 20);
    ck_assert_int_eq(uv_tcp_init(&loop, &mute), 0);
    ck_assert_int_eq(uv_ip4_addr("127.0.0.1", 0, &addr), 0);
    ck_assert_int_eq(uv_tcp_bind(&mute, (struct sockaddr *)&addr, 0), 0);
    ck_assert_int_eq(uv_listen((uv_stream_t *)&mute, 8, mute_conn_cb), 0);
    ck_assert_int_eq(
        uv_tcp_getsockname(&mute, (struct sockaddr *)&name, &namelen), 0);
    mport = ntohs(((struct sockaddr_in *)&name)->sin_port);
    for (int i = 0; i < 2; i++) {
        l[i].on_up = seen_up;
        l[i].on_down = seen_down;
        l[i].data = &s[i];
        l[i].connect_timeout_ms = 200;
        ck_assert_int_eq(
            redis_conn_start(&l[i], &loop, "127.0.0.1", i ? dead : mport), 0);
    }
    loopkit_run_for(&loop, 2500);
    for (int i = 0; i < 2; i++) {
        ck_assert(!l[i].up);
        ck_assert_int_eq(s[i].ups, 0);
        ck_assert_int_eq(s[i].downs, 0); /* never up, so never down */
        ck_assert_msg(l[i].reconnects >= 3 && l[i].reconnects <= 7,
                      "%d: %u attempts in 2.5 s", i, l[i].reconnects);
        ck_assert_uint_ge(l[i].backoff_ms, 800);
        ck_assert_int_eq(redis_conn_command(&l[i], NULL, NULL, "PING"), -1);
    }
    ck_assert_msg(strstr(l[0].error, "no answer within 200 ms") != NULL, "%s",
                  l[0].error);
    ck_assert_msg(strstr(l[1].error, "connect") != NULL, "%s", l[1].error);
    ck_assert_msg(p.worst < 300, "the loop stalled %llu ms",
                  (unsigned long long)p.worst);
    for (int i = 0; i < 2; i++)
        redis_conn_stop(&l[i]);
    uv_close((uv_handle_t *)&p.t, NULL);
    uv_close((uv_handle_t *)&mute, NULL);
    uv_run(&loop, UV_RUN_DEFAULT);
    ck_assert_int_eq(uv_loop_close(&loop), 0);
}
END_TEST

struct case_url {
    const char *url;
    int rc;
    const char *host;
    int port;
    const char *name;
};

static const struct case_url urls[] = {
    {"redis://127.0.0.1:6379/desk", 0, "127.0.0.1", 6379, "desk"},
    {"redis://h:1/a:b/c", 0, "h", 1, "a:b/c"},
    {"redis://127.0.0.1/desk", LIQ_EINVAL, "", 0, ""},
    {"redis://127.0.0.1:0/desk", LIQ_EINVAL, "", 0, ""},
    {"redis://127.0.0.1:65536/desk", LIQ_EINVAL, "", 0, ""},
    {"redis://127.0.0.1:63x9/desk", LIQ_EINVAL, "", 0, ""},
    {"redis://127.0.0.1:6379/", LIQ_EINVAL, "", 0, ""},
    {"redis://:6379/desk", LIQ_EINVAL, "", 0, ""},
    {"tcp://127.0.0.1:6379/desk", LIQ_EINVAL, "", 0, ""},
    {"redis:/127.0.0.1:6379/desk", LIQ_EINVAL, "", 0, ""},
};

START_TEST(test_url)
{
    const struct case_url *c = &urls[_i];
    char host[64] = "", name[64] = "", err[256] = "";
    int port = 0;

    ck_assert_int_eq(redis_conn_url(c->url, "redis", host, sizeof host, &port,
                                    name, sizeof name, err, sizeof err),
                     c->rc);
    if (c->rc == 0) {
        ck_assert_str_eq(host, c->host);
        ck_assert_int_eq(port, c->port);
        ck_assert_str_eq(name, c->name);
    } else {
        ck_assert_msg(strstr(err, "expected redis://HOST:PORT/NAME") != NULL,
                      "%s", err);
    }
}
END_TEST

static Suite *
link_suite(void)
{
    Suite *s = suite_create("redis_conn");
    TCase *tc = tcase_create("loop");

    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_restart);
    tcase_add_test(tc, test_drop);
    tcase_add_test(tc, test_stall_and_refuse);
    tcase_add_loop_test(tc, test_url, 0, (int)(sizeof urls / sizeof urls[0]));
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    return test_run(link_suite());
}
