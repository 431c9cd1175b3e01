/*
 * alert_act.h: where alert events go (design.md section 9): a file of
 * JSON Lines, a command that reads one event on its standard input, or
 * Redis (PUBLISH to a channel, or XADD to a stream).
 *
 * Owns struct alert_act: a bounded queue of event lines per action and
 * the libuv handles that deliver them. Delivery never blocks the loop: a
 * slow or failing action keeps its queue, a full queue drops its oldest
 * waiting line (counted), and failures are counted with the newest
 * message kept. Lines are copied in; the action frees them.
 */
#ifndef ALERT_ACT_H
#define ALERT_ACT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <uv.h>

#include "feeds/redis_conn.h"

#define ALERT_ACT_QUEUE 1024      /* lines waiting per action, at most */
#define ALERT_ACT_TIMEOUT_MS 5000 /* an exec child's time, by default */

enum alert_act_kind { ALERT_ACT_FILE, ALERT_ACT_EXEC, ALERT_ACT_REDIS };

struct alert_act {
    enum alert_act_kind kind;
    char spec[300]; /* "file alerts.jsonl", for reports */
    uv_loop_t *loop;

    char **q; /* ring of lines, each ending in '\n' */
    size_t qhead, qlen;
    uint64_t sent, failed, dropped;
    char error[256]; /* the newest failure, "" none */

    int fd; /* file */

    char *cmd; /* exec */
    uint64_t timeout_ms;
    uv_process_t proc;
    uv_pipe_t pipe;
    uv_write_t wreq;
    uv_timer_t timer;
    int child_handles; /* proc and pipe not yet closed */
    bool killed;
    bool exited_ok;

    char host[256]; /* redis */
    int port;
    char key[256];
    bool stream;            /* XADD, else PUBLISH */
    struct redis_conn conn; /* connects, retries with the feeds' back-off */
    bool conn_started;
    size_t inflight;  /* lines sent from the head, not yet answered */
    uv_timer_t reply; /* the oldest answer's deadline */

    bool timers_open;
    bool stopping;
    int open_handles; /* timers still open */
};

/*
 * A new action of kind with its argument (a path, a command, a redis:// or
 * redis-stream:// URL). LIQ_EINVAL or LIQ_EIO with a message in err (a
 * file that cannot be opened for appending, a malformed URL).
 */
int alert_act_new(struct alert_act **out, uv_loop_t *loop,
                  enum alert_act_kind kind, const char *arg,
                  uint64_t timeout_ms, char *err, size_t errlen);
/* Start its handles (redis connects). */
int alert_act_start(struct alert_act *a);
/* Queue one event line (without its newline); delivery follows. */
void alert_act_push(struct alert_act *a, const char *line);
/* Deliver what is queued, then close; alert_act_idle tells when done. */
void alert_act_stop(struct alert_act *a);
bool alert_act_idle(const struct alert_act *a);
/* Give up on what is still queued (counted as failed) and close now. */
void alert_act_abandon(struct alert_act *a);
/* After the loop has closed its handles; NULL is a no-op. */
void alert_act_free(struct alert_act *a);

#endif
