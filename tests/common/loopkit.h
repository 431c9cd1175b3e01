/*
 * loopkit.h: what the loop tests share: a test's view of a feed (counts
 * by callback), running a real libuv loop until a condition or for a
 * time (a repeating timer keeps a quiet loop waking), in-loop TCP and
 * unix servers with scripted replies, and a real redis-server on a free
 * loopback port.
 *
 * Owns nothing between calls: servers live in the caller's struct, and
 * every handle is closed by loopkit_finish or by the caller.
 */
#ifndef LOOPKIT_H
#define LOOPKIT_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <uv.h>

#include "feeds/feed.h"

struct loopkit_seen {
    int updates;
    int rejects[LINE_REJECT_COUNT];
    int live;         /* transitions into live */
    int reconnecting; /* transitions into reconnecting */
    int ended;
    int64_t sum_ts; /* to check no tick is lost or duplicated */
    void (*on_update)(struct loopkit_seen *s);
    void *ctx;
};

struct loopkit_server {
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

void loopkit_seen_update(void *arg, struct feed *f,
                         const struct price_update *u);
void loopkit_seen_reject(void *arg, struct feed *f, enum line_reject why);
void loopkit_seen_state(void *arg, struct feed *f);
struct feed *loopkit_open_feed(uv_loop_t *loop, const char *spec,
                               struct loopkit_seen *s);
void loopkit_run_until(uv_loop_t *loop, bool (*done)(void *), void *arg,
                       int limit_ms);
void loopkit_finish(uv_loop_t *loop, struct feed **f, int n, uv_handle_t **h,
                    int nh);
void loopkit_server_send(uv_stream_t *to, const char *text);
void loopkit_server_conn_cb(uv_stream_t *srv, int status);
int loopkit_server_listen_tcp(uv_loop_t *loop, struct loopkit_server *s,
                              int port);
bool loopkit_updates_at_least(void *arg);
bool loopkit_reconnected_twice(void *arg);
pid_t loopkit_redis_start(int port);
void loopkit_redis_kill(pid_t pid);
int loopkit_free_port(void);
long long loopkit_redis_publish(int port, const char *msg);
bool loopkit_is_live(void *arg);
bool loopkit_is_reconnecting(void *arg);
void loopkit_run_for(uv_loop_t *loop, int ms);

#endif
