/*
 * test_faults.c: the fault suite: Redis, TCP, unix and exec peers on one
 * real libuv loop, all on loopback, that go away for 0.05, 2 and 10 s and
 * come back, refuse, stall, or send a 40 MB message. For each: every tick
 * sent once the peer is back is applied, none twice; the back-off between
 * attempts grows; and the loop stays responsive (a 10 ms timer in the
 * same loop never waits long). Bounded in time; every test ends with
 * uv_loop_close() == 0.
 */
#include <check.h>
#include <hiredis/hiredis.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/stat.h>
#include <unistd.h>
#include <uv.h>

#include "feeds/feed.h"
#include "tests/common/loopkit.h"
#include "tests/common/testutil.h"

#define NTICKS 100

/* The loop's own pulse: the longest wait between two 10 ms ticks. */
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

static void
pulse_start(uv_loop_t *loop, struct pulse *p)
{
    memset(p, 0, sizeof(*p));
    ck_assert_int_eq(uv_timer_init(loop, &p->t), 0);
    p->t.data = p;
    uv_timer_start(&p->t, pulse_cb, 10, 10);
}

/* The test itself blocked (starting redis-server, publishing): not the
 * loop's fault, so the pulse starts again from now. */
static void
pulse_excuse(uv_loop_t *loop, struct pulse *p)
{
    uv_update_time(loop);
    p->last = uv_now(loop);
}

/* NTICKS lines with ts base+1..base+NTICKS, into a malloc'd string. */
static char *
ticks_text(int base)
{
    char *s = malloc(NTICKS * 64);
    size_t o = 0;

    ck_assert_ptr_nonnull(s);
    for (int i = 1; i <= NTICKS; i++)
        o += (size_t)snprintf(s + o, 64,
                              "{\"symbol\": \"WETH\", \"price\": \"%d\", "
                              "\"ts\": %d}\n",
                              2000 + i, base + i);
    return s;
}

static int64_t
ticks_sum(int base)
{
    return (int64_t)NTICKS * base + NTICKS * (NTICKS + 1) / 2;
}

enum { P_TCP, P_UNIX, P_EXEC, P_REDIS, NPEERS };
static const char *const peer_name[NPEERS] = {"tcp", "unix", "exec", "redis"};

struct peers {
    uv_loop_t loop;
    struct pulse pulse;
    struct loopkit_server tcp, unx;
    int tcp_port, redis_port;
    pid_t redis_pid;
    char dir[64], sock[96], up[96], ticks[96];
    struct loopkit_seen seen[NPEERS];
    struct feed *f[NPEERS];
    char *text; /* what the stream peers send once back */
};

/* Listen on the TCP port and the unix path; once back, the first
 * connection gets the ticks (before the outage: nothing, it stays open). */
static void
peers_listen(struct peers *p, bool back)
{
    memset(&p->tcp, 0, sizeof(p->tcp));
    p->tcp.script[0] = back ? p->text : NULL;
    p->tcp_port = loopkit_server_listen_tcp(&p->loop, &p->tcp, p->tcp_port);
    memset(&p->unx, 0, sizeof(p->unx));
    p->unx.script[0] = back ? p->text : NULL;
    p->unx.is_pipe = true;
    ck_assert_int_eq(uv_pipe_init(&p->loop, &p->unx.pipe, 0), 0);
    p->unx.pipe.data = &p->unx;
    ck_assert_int_eq(uv_pipe_bind(&p->unx.pipe, p->sock), 0);
    ck_assert_int_eq(
        uv_listen((uv_stream_t *)&p->unx.pipe, 8, loopkit_server_conn_cb), 0);
}

/* Close a server and its connection (the pipe's path goes with it). */
static void
peers_close_server(struct loopkit_server *s)
{
    uv_handle_t *l =
        s->is_pipe ? (uv_handle_t *)&s->pipe : (uv_handle_t *)&s->tcp;

    if (!uv_is_closing(l))
        uv_close(l, NULL);
    if (s->accepted > 0 && !uv_is_closing((uv_handle_t *)&s->conn))
        uv_close((uv_handle_t *)&s->conn, NULL);
}

static bool
peers_all_live(void *arg)
{
    struct peers *p = arg;

    for (int i = 0; i < NPEERS; i++) {
        if (p->f[i]->state != FEED_LIVE)
            return false;
    }
    return true;
}

static bool
peers_all_down(void *arg)
{
    struct peers *p = arg;

    for (int i = 0; i < NPEERS; i++) {
        if (p->f[i]->state == FEED_LIVE)
            return false;
    }
    return true;
}

static bool
peers_all_ticks(void *arg)
{
    struct peers *p = arg;

    for (int i = 0; i < NPEERS; i++) {
        if (p->seen[i].updates < NTICKS)
            return false;
    }
    return true;
}

static void
peers_open(struct peers *p)
{
    char spec[512];
    FILE *fp;

    memset(p, 0, sizeof(*p));
    snprintf(p->dir, sizeof(p->dir), "/tmp/liqtop-faults.XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(p->dir));
    snprintf(p->sock, sizeof(p->sock), "%s/feed.sock", p->dir);
    snprintf(p->up, sizeof(p->up), "%s/up", p->dir);
    snprintf(p->ticks, sizeof(p->ticks), "%s/ticks", p->dir);
    fp = fopen(p->up, "w");
    ck_assert_ptr_nonnull(fp);
    fclose(fp);
    fp = fopen(p->ticks, "w"); /* one line before the outage: live */
    ck_assert_ptr_nonnull(fp);
    fputs("{\"symbol\": \"WETH\", \"price\": \"1\"}\n", fp);
    fclose(fp);
    p->text = ticks_text(1000);
    ck_assert_int_eq(uv_loop_init(&p->loop), 0);
    pulse_start(&p->loop, &p->pulse);
    p->redis_port = loopkit_free_port();
    p->redis_pid = loopkit_redis_start(p->redis_port);
    peers_listen(p, false);
    snprintf(spec, sizeof(spec), "tcp:127.0.0.1:%d", p->tcp_port);
    p->f[P_TCP] = loopkit_open_feed(&p->loop, spec, &p->seen[P_TCP]);
    snprintf(spec, sizeof(spec), "unix:%s", p->sock);
    p->f[P_UNIX] = loopkit_open_feed(&p->loop, spec, &p->seen[P_UNIX]);
    /* Up while the file "up" exists: then it prints "ticks" once and
     * stays; down, it fails at once (and is restarted with back-off). */
    snprintf(spec, sizeof(spec),
             "exec:[ -e %s ] || { echo down >&2; exit 1; }; cat %s; "
             "while [ -e %s ]; do sleep 0.02; done; exit 1",
             p->up, p->ticks, p->up);
    p->f[P_EXEC] = loopkit_open_feed(&p->loop, spec, &p->seen[P_EXEC]);
    snprintf(spec, sizeof(spec), "redis://127.0.0.1:%d/prices", p->redis_port);
    p->f[P_REDIS] = loopkit_open_feed(&p->loop, spec, &p->seen[P_REDIS]);
    pulse_excuse(&p->loop, &p->pulse);
    loopkit_run_until(&p->loop, peers_all_live, p, 5000);
    for (int i = 0; i < NPEERS; i++)
        ck_assert_msg(p->f[i]->state == FEED_LIVE, "%s: %s (%s)", peer_name[i],
                      feed_state_name(p->f[i]->state), p->f[i]->error);
}

static void
peers_close(struct peers *p)
{
    uv_handle_t *h[] = {(uv_handle_t *)&p->pulse.t};

    peers_close_server(&p->tcp);
    peers_close_server(&p->unx);
    loopkit_finish(&p->loop, p->f, NPEERS, h, 1);
    ck_assert_int_eq(uv_loop_close(&p->loop), 0);
    loopkit_redis_kill(p->redis_pid);
    free(p->text);
    unlink(p->up);
    unlink(p->ticks);
    rmdir(p->dir);
}

static const int outage_ms[] = {50, 2000, 10000};

/* The most attempts a growing back-off makes in ms (its shortest delays
 * are 75, 150, 300, ... ms, capped at 3750), plus the one that succeeds. */
static uint32_t
attempts_max(int ms)
{
    uint64_t t = 0, d = 75;
    uint32_t n = 0;

    while (t + d <= (uint64_t)ms + 500) {
        t += d;
        n++;
        d = d * 2 > 3750 ? 3750 : d * 2;
    }
    return n + 2;
}

START_TEST(test_outage_all_peers)
{
    struct peers p;
    uint32_t before[NPEERS];
    FILE *fp;

    peers_open(&p);
    /* Every peer goes away at once. */
    for (int i = 0; i < NPEERS; i++)
        before[i] = p.f[i]->reconnects;
    peers_close_server(&p.tcp);
    peers_close_server(&p.unx);
    unlink(p.up);
    loopkit_redis_kill(p.redis_pid);
    pulse_excuse(&p.loop, &p.pulse);
    loopkit_run_until(&p.loop, peers_all_down, &p, 3000);
    loopkit_run_for(&p.loop, outage_ms[_i]);
    /* Back, each with NTICKS to send. */
    fp = fopen(p.ticks, "w");
    ck_assert_ptr_nonnull(fp);
    fputs(p.text, fp);
    fclose(fp);
    memset(p.seen, 0, sizeof(p.seen));
    peers_listen(&p, true);
    fp = fopen(p.up, "w");
    ck_assert_ptr_nonnull(fp);
    fclose(fp);
    p.redis_pid = loopkit_redis_start(p.redis_port);
    pulse_excuse(&p.loop, &p.pulse);
    loopkit_run_until(&p.loop, peers_all_live, &p, 9000);
    for (int i = 0; i < NPEERS; i++) {
        uint32_t tries = p.f[i]->reconnects - before[i];

        ck_assert_msg(p.f[i]->state == FEED_LIVE,
                      "%s after %d ms down: %s (%s)", peer_name[i],
                      outage_ms[_i], feed_state_name(p.f[i]->state),
                      p.f[i]->error);
        ck_assert_msg(tries >= 1 && tries <= attempts_max(outage_ms[_i]),
                      "%s: %u attempts in %d ms", peer_name[i], tries,
                      outage_ms[_i]);
        if (outage_ms[_i] >= 2000)
            ck_assert_msg(p.f[i]->backoff_ms >= 800,
                          "%s: back-off %llu ms after %u attempts",
                          peer_name[i], (unsigned long long)p.f[i]->backoff_ms,
                          tries);
    }
    for (int i = 0; i < NTICKS; i++) {
        char m[96];

        snprintf(m, sizeof(m),
                 "{\"symbol\": \"WETH\", \"price\": \"%d\", \"ts\": %d}",
                 2000 + i, 1001 + i);
        ck_assert_int_eq(loopkit_redis_publish(p.redis_port, m), 1);
    }
    pulse_excuse(&p.loop, &p.pulse);
    loopkit_run_until(&p.loop, peers_all_ticks, &p, 5000);
    loopkit_run_for(&p.loop, 100);
    for (int i = 0; i < NPEERS; i++) {
        ck_assert_msg(p.seen[i].updates == NTICKS, "%s: %d ticks of %d",
                      peer_name[i], p.seen[i].updates, NTICKS);
        ck_assert_int_eq(p.seen[i].sum_ts, ticks_sum(1000));
    }
    ck_assert_msg(p.pulse.worst < 300, "the loop stalled %llu ms",
                  (unsigned long long)p.pulse.worst);
    peers_close(&p);
}
END_TEST

#define BIG (40 << 20)

static bool
all_got_one(void *arg)
{
    struct loopkit_seen *s = arg;

    for (int i = 0; i < NPEERS; i++) {
        if (s[i].updates < 1 || s[i].rejects[LINE_TOO_LONG] < 1)
            return false;
    }
    return true;
}

/* A 40 MB message from every kind of peer: dropped as too long, counted
 * once, the line after it applied, and the loop never stalls. */
START_TEST(test_big_message)
{
    static const char good[] = "{\"symbol\": \"WETH\", \"price\": \"7\"}\n";
    uv_loop_t loop;
    struct pulse pulse;
    struct loopkit_server tcp, unx;
    struct loopkit_seen seen[NPEERS];
    struct feed *f[NPEERS];
    char *big = malloc(BIG + sizeof(good) + 1), spec[256];
    char dir[] = "/tmp/liqtop-faults.XXXXXX", sock[96];
    int port, rport = loopkit_free_port();
    pid_t rpid = loopkit_redis_start(rport);
    redisContext *c;
    redisReply *r;

    ck_assert_ptr_nonnull(big);
    memset(big, 'x', BIG);
    big[BIG] = '\n';
    memcpy(big + BIG + 1, good, sizeof(good));
    memset(seen, 0, sizeof(seen));
    memset(&tcp, 0, sizeof(tcp));
    memset(&unx, 0, sizeof(unx));
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(sock, sizeof(sock), "%s/big.sock", dir);
    ck_assert_int_eq(uv_loop_init(&loop), 0);
    pulse_start(&loop, &pulse);
    tcp.script[0] = unx.script[0] = big;
    port = loopkit_server_listen_tcp(&loop, &tcp, 0);
    unx.is_pipe = true;
    ck_assert_int_eq(uv_pipe_init(&loop, &unx.pipe, 0), 0);
    unx.pipe.data = &unx;
    ck_assert_int_eq(uv_pipe_bind(&unx.pipe, sock), 0);
    ck_assert_int_eq(
        uv_listen((uv_stream_t *)&unx.pipe, 8, loopkit_server_conn_cb), 0);
    snprintf(spec, sizeof(spec), "tcp:127.0.0.1:%d", port);
    f[P_TCP] = loopkit_open_feed(&loop, spec, &seen[P_TCP]);
    snprintf(spec, sizeof(spec), "unix:%s", sock);
    f[P_UNIX] = loopkit_open_feed(&loop, spec, &seen[P_UNIX]);
    f[P_EXEC] = loopkit_open_feed(
        &loop,
        "exec:head -c 41943040 /dev/zero | tr '\\0' x; echo; "
        "echo '{\"symbol\": \"WETH\", \"price\": \"7\"}'; exec sleep 600",
        &seen[P_EXEC]);
    snprintf(spec, sizeof(spec), "redis://127.0.0.1:%d/prices", rport);
    f[P_REDIS] = loopkit_open_feed(&loop, spec, &seen[P_REDIS]);
    pulse_excuse(&loop, &pulse);
    loopkit_run_until(&loop, loopkit_is_live, f[P_REDIS], 5000);
    ck_assert_int_eq(f[P_REDIS]->state, FEED_LIVE);
    /* Redis would cut a subscriber past 32 MB of output; not this one. */
    c = redisConnect("127.0.0.1", rport);
    ck_assert(c != NULL && c->err == 0);
    r = redisCommand(c, "CONFIG SET client-output-buffer-limit %s",
                     "pubsub 0 0 0");
    freeReplyObject(r);
    r = redisCommand(c, "PUBLISH prices %b", big,
                     (size_t)BIG + 1 + sizeof(good) - 1);
    ck_assert_ptr_nonnull(r);
    ck_assert_int_eq(r->integer, 1);
    freeReplyObject(r);
    redisFree(c);
    pulse_excuse(&loop, &pulse);
    loopkit_run_until(&loop, all_got_one, seen, 15000);
    loopkit_run_for(&loop, 100);
    for (int i = 0; i < NPEERS; i++) {
        ck_assert_msg(seen[i].updates == 1 &&
                          seen[i].rejects[LINE_TOO_LONG] == 1,
                      "%s: %d updates, %d too long", peer_name[i],
                      seen[i].updates, seen[i].rejects[LINE_TOO_LONG]);
    }
    ck_assert_msg(pulse.worst < 300, "the loop stalled %llu ms",
                  (unsigned long long)pulse.worst);
    {
        uv_handle_t *h[] = {(uv_handle_t *)&pulse.t, (uv_handle_t *)&tcp.tcp,
                            (uv_handle_t *)&tcp.conn, (uv_handle_t *)&unx.pipe,
                            (uv_handle_t *)&unx.conn};

        loopkit_finish(&loop, f, NPEERS, h, 5);
    }
    ck_assert_int_eq(uv_loop_close(&loop), 0);
    loopkit_redis_kill(rpid);
    free(big);
    rmdir(dir);
}
END_TEST

/* A listener that never accepts: the handshake completes in the kernel
 * (then the backlog fills), and nothing ever answers. */
static void
mute_conn_cb(uv_stream_t *srv, int status)
{
    (void)srv;
    (void)status;
}

/* Nobody there, or a server that accepts and never answers: every feed
 * keeps trying at growing intervals, never live, never stuck. */
START_TEST(test_refuse_and_stall)
{
    uv_loop_t loop;
    struct pulse pulse;
    uv_tcp_t mute; /* never answers SUBSCRIBE */
    struct sockaddr_in addr;
    struct sockaddr_storage name;
    int namelen = sizeof(name);
    struct loopkit_seen seen[6];
    struct feed *f[6];
    struct feed_cbs cbs;
    struct feed_env env;
    char spec[6][160], err[256];
    int dead = loopkit_free_port(), mport;

    memset(seen, 0, sizeof(seen));
    memset(&env, 0, sizeof(env));
    ck_assert_int_eq(uv_loop_init(&loop), 0);
    pulse_start(&loop, &pulse);
    ck_assert_int_eq(uv_tcp_init(&loop, &mute), 0);
    ck_assert_int_eq(uv_ip4_addr("127.0.0.1", 0, &addr), 0);
    ck_assert_int_eq(uv_tcp_bind(&mute, (struct sockaddr *)&addr, 0), 0);
    ck_assert_int_eq(uv_listen((uv_stream_t *)&mute, 8, mute_conn_cb), 0);
    ck_assert_int_eq(
        uv_tcp_getsockname(&mute, (struct sockaddr *)&name, &namelen), 0);
    mport = ntohs(((struct sockaddr_in *)&name)->sin_port);
    snprintf(spec[0], sizeof(spec[0]), "tcp:127.0.0.1:%d", dead);
    snprintf(spec[1], sizeof(spec[1]), "unix:/tmp/liqtop-none-%d.sock",
             (int)getpid());
    snprintf(spec[2], sizeof(spec[2]), "redis://127.0.0.1:%d/prices", dead);
    snprintf(spec[3], sizeof(spec[3]), "redis://127.0.0.1:%d/prices", mport);
    snprintf(spec[4], sizeof(spec[4]), "redis-stream://127.0.0.1:%d/prices",
             dead);
    snprintf(spec[5], sizeof(spec[5]),
             "redis-stream://127.0.0.1:%d/prices?from=0", mport);
    for (int i = 0; i < 6; i++) {
        cbs = (struct feed_cbs){loopkit_seen_update,
                                loopkit_seen_reject,
                                loopkit_seen_state,
                                &seen[i],
                                NULL,
                                NULL,
                                NULL,
                                NULL};
        ck_assert_int_eq(
            feed_new(&f[i], &loop, spec[i], &cbs, &env, err, sizeof(err)), 0);
        f[i]->connect_timeout_ms = 200;
        ck_assert_int_eq(feed_start(f[i]), 0);
    }
    loopkit_run_for(&loop, 2500);
    for (int i = 0; i < 6; i++) {
        ck_assert_msg(f[i]->state == FEED_RECONNECTING, "%s: %s", spec[i],
                      feed_state_name(f[i]->state));
        ck_assert_msg(f[i]->reconnects >= 3 && f[i]->reconnects <= 7,
                      "%s: %u attempts in 2.5 s", spec[i], f[i]->reconnects);
        ck_assert_uint_ge(f[i]->backoff_ms, 800);
        ck_assert_int_eq(seen[i].live, 0);
    }
    ck_assert_msg(strstr(f[3]->error, "no subscription within 200 ms") != NULL,
                  "%s", f[3]->error);
    ck_assert_msg(strstr(f[5]->error, "no answer within 200 ms") != NULL, "%s",
                  f[5]->error);
    ck_assert_msg(pulse.worst < 300, "the loop stalled %llu ms",
                  (unsigned long long)pulse.worst);
    {
        uv_handle_t *h[] = {(uv_handle_t *)&pulse.t, (uv_handle_t *)&mute};

        loopkit_finish(&loop, f, 6, h, 2);
    }
    ck_assert_int_eq(uv_loop_close(&loop), 0);
}
END_TEST

#define BACKLOG 50000

static bool
backlog_read(void *arg)
{
    const struct loopkit_seen *s = arg;

    return s->updates + s->rejects[LINE_MALFORMED] >= BACKLOG;
}

static bool
backlog_third(void *arg)
{
    const struct loopkit_seen *s = arg;

    return s->updates >= BACKLOG / 3;
}

/* A stream 50,000 entries deep, one in 1,000 malformed, read from 0: all
 * applied once, in order, the bad ones counted, and the loop never held
 * (the entries come in answers of a bounded size); a cut in the middle
 * resumes after the last entry taken. */
START_TEST(test_stream_backlog)
{
    uv_loop_t loop;
    struct pulse pulse;
    struct loopkit_seen seen;
    struct feed *f;
    char spec[96], line[96];
    int port = loopkit_free_port(), bad = 0;
    int64_t sum = 0;
    pid_t rpid = loopkit_redis_start(port);
    redisContext *c = redisConnect("127.0.0.1", port);
    redisReply *r;

    ck_assert(c != NULL && c->err == 0);
    for (int i = 1; i <= BACKLOG; i++) {
        if (i % 1000 == 500) {
            redisAppendCommand(c, "XADD prices * line %s", "{\"symbol\": 1}");
            bad++;
            continue;
        }
        snprintf(line, sizeof(line),
                 "{\"symbol\": \"WETH\", \"price\": \"%d\", \"ts\": %d}",
                 1000 + i % 977, i);
        sum += i;
        redisAppendCommand(c, "XADD prices * line %s", line);
    }
    for (int i = 0; i < BACKLOG; i++) {
        ck_assert_int_eq(redisGetReply(c, (void **)&r), REDIS_OK);
        ck_assert_int_eq(r->type, REDIS_REPLY_STRING);
        freeReplyObject(r);
    }
    memset(&seen, 0, sizeof(seen));
    ck_assert_int_eq(uv_loop_init(&loop), 0);
    pulse_start(&loop, &pulse);
    snprintf(spec, sizeof(spec), "redis-stream://127.0.0.1:%d/prices?from=0",
             port);
    f = loopkit_open_feed(&loop, spec, &seen);
    pulse_excuse(&loop, &pulse);
    loopkit_run_until(&loop, backlog_third, &seen, 20000);
    ck_assert_int_ge(seen.updates, BACKLOG / 3);
    ck_assert_int_lt(seen.updates, BACKLOG - bad); /* cut in the middle */
    r = redisCommand(c, "CLIENT KILL TYPE normal");
    ck_assert_ptr_nonnull(r);
    ck_assert_int_eq(r->integer, 1);
    freeReplyObject(r);
    pulse_excuse(&loop, &pulse);
    loopkit_run_until(&loop, backlog_read, &seen, 30000);
    loopkit_run_for(&loop, 100);
    ck_assert_int_eq(seen.updates, BACKLOG - bad);
    ck_assert_int_eq(seen.rejects[LINE_MALFORMED], bad);
    ck_assert_int_eq(seen.sum_ts, sum);
    ck_assert_uint_eq(f->reconnects, 1);
    r = redisCommand(c, "XREVRANGE prices + - COUNT 1");
    ck_assert_ptr_nonnull(r);
    ck_assert_str_eq(f->stream_id, r->element[0]->element[0]->str);
    freeReplyObject(r);
    redisFree(c);
    ck_assert_msg(pulse.worst < 300, "the loop stalled %llu ms",
                  (unsigned long long)pulse.worst);
    {
        uv_handle_t *h[] = {(uv_handle_t *)&pulse.t};

        loopkit_finish(&loop, &f, 1, h, 1);
    }
    ck_assert_int_eq(uv_loop_close(&loop), 0);
    loopkit_redis_kill(rpid);
}
END_TEST

static Suite *
faults_suite(void)
{
    Suite *s = suite_create("faults");
    TCase *tc = tcase_create("peers");

    tcase_set_timeout(tc, 60);
    tcase_add_loop_test(tc, test_outage_all_peers, 0,
                        (int)(sizeof(outage_ms) / sizeof(outage_ms[0])));
    tcase_add_test(tc, test_big_message);
    tcase_add_test(tc, test_refuse_and_stall);
    tcase_add_test(tc, test_stream_backlog);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    signal(SIGPIPE, SIG_IGN);
    return test_run(faults_suite());
}
