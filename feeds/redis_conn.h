/*
 * redis_conn.h: one Redis connection kept up on the loop: connected
 * (answered a PING) within a deadline, else abandoned and tried again
 * with the feeds' back-off, and again whenever the server goes away.
 * For clients that send commands (a worker's publisher, an attached
 * view); the feeds have theirs (feeds/redis_link.c).
 *
 * Owns the hiredis async context (through feeds/redis_ev.c), the retry
 * and deadline timers, both embedded: redis_conn_stop closes them, and
 * the link's memory may go once the loop has run their close callbacks.
 * Never blocks: every command is asynchronous; a command whose answer the
 * lost connection took gets its callback with a NULL reply.
 */
#ifndef REDIS_CONN_H
#define REDIS_CONN_H

#include <hiredis/async.h>
#include <hiredis/hiredis.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <uv.h>

struct redis_conn {
    /* The owner's, set before redis_conn_start: on_up when commands may
     * be sent (after every reconnect too), on_down when they no longer
     * can (error[] says why). Either may be NULL. */
    void (*on_up)(struct redis_conn *l);
    void (*on_down)(struct redis_conn *l);
    void *data;
    uint64_t connect_timeout_ms; /* 0: FEED_CONNECT_TIMEOUT_MS */

    /* Read-only for the owner. */
    redisAsyncContext *ctx; /* while connecting or up */
    bool up;
    uint32_t reconnects;
    char error[400]; /* the last problem, "" none */

    /* The link's own. */
    uv_loop_t *loop;
    char host[256];
    int port;
    uv_timer_t retry, attempt;
    int closing; /* timers whose close callback has not run */
    bool open, stopping, freeing;
    uint64_t backoff_ms, rng, up_since;
};

/*
 * Read "SCHEME://HOST:PORT/NAME" (scheme given without "://"): HOST into
 * host (hostcap bytes at most), PORT into *port, NAME (not empty) into
 * name. LIQ_EINVAL with a message naming url in err otherwise.
 */
int redis_conn_url(const char *url, const char *scheme, char *host,
                   size_t hostcap, int *port, char *name, size_t namecap,
                   char *err, size_t errlen);

/* Start connecting to host:port on loop (l's owner fields set, the rest
 * zeroed). 0, or a libuv error when a timer cannot be made. */
int redis_conn_start(struct redis_conn *l, uv_loop_t *loop, const char *host,
                     int port);
/* Close the connection and the timers (callbacks of commands still out
 * run with NULL replies, on_down does not run). */
void redis_conn_stop(struct redis_conn *l);
/* Whether a stopped link's timers are closed: its memory may go. */
bool redis_conn_closed(const struct redis_conn *l);
/* Give up on the connection as lost (the owner's own deadline for an
 * answer passed; why says so in error[]): the callbacks of commands still
 * out run with NULL replies, then on_down, and the link connects again
 * after the back-off. Not from inside a hiredis callback. */
void redis_conn_drop(struct redis_conn *l, const char *why);

/* Send a command (hiredis's format); -1 when the link is not up. */
int redis_conn_command(struct redis_conn *l, redisCallbackFn *fn, void *priv,
                       const char *fmt, ...);
/* The same with argv (lens: each argument's length). */
int redis_conn_argv(struct redis_conn *l, redisCallbackFn *fn, void *priv,
                    int argc, const char **argv, const size_t *lens);

#endif
