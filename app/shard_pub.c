/*
 * shard_pub.c: a worker publishing its shard of the book to Redis and
 * answering preview requests (shard_pub.h has the keys).
 *
 * Owns the publication's pacing: rows at most `rate` times a second and
 * only when the book moved and the last publication was answered (a slow
 * Redis is never queued up), a heartbeat every second whatever happens,
 * everything again after a reconnect. Reads the book only between
 * settles; computes previews with cmd_preview.c, exactly as `liqtop
 * preview` prints them.
 */
#include "app/shard_pub.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "app/cmd_preview.h"
#include "app/snapshot.h"
#include "core/liq.h"
#include "feeds/redis_conn.h"

#define SHARD_PUB_REPLY_TTL 60 /* seconds a preview answer is kept */
#define SHARD_PUB_STOP_MS 1000 /* the last heartbeat waited for */

struct shard_pub {
    struct app *a; /* borrowed */
    struct shard_pub_opts o;
    char host[256];
    int port;
    char prefix[256];
    char field[32]; /* "I/N" */
    char run[64];   /* this start: "PID-MS" */
    char k_rows[300], k_beat[300], k_req[340], k_reply[300];
    struct redis_conn pub; /* HSET */
    struct redis_conn req; /* BLPOP on k_req, and the answers */
    uv_timer_t tick, final;
    bool timers_open;
    bool dirty;        /* the book moved since the rows last went out */
    bool beat_due;     /* a state changed: a heartbeat at the next tick */
    bool req_waiting;  /* a BLPOP is out */
    bool stopping;     /* app asked to stop: the last heartbeat goes */
    bool done;         /* the links are closed */
    unsigned inflight; /* publications not yet answered */
    uint64_t last_beat_ms, last_rows_ms, period_ms;
    uint64_t seq, rows_seq, published, previews;
    char *last_body; /* the rows last sent (owned), to send only changes */
    size_t last_len;
    struct book_counts last_counts;
    char error[400];
};

int
shard_pub_parse(const char *text, uint32_t *i, uint32_t *n)
{
    char *end = NULL;
    unsigned long a, b;

    if (text[0] < '0' || text[0] > '9')
        return -1;
    a = strtoul(text, &end, 10);
    if (*end != '/' || end[1] < '0' || end[1] > '9')
        return -1;
    b = strtoul(end + 1, &end, 10);
    if (*end != '\0' || b == 0 || b > 4096 || a >= b)
        return -1;
    *i = (uint32_t)a;
    *n = (uint32_t)b;
    return 0;
}

static int64_t
shard_pub_wall_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The worker's state: "stopped", the worst of its feeds' states ("feed
 * stale" for a quiet one), "ended" when all ended, else "live". */
static const char *
shard_pub_state(const struct shard_pub *p)
{
    const struct app *a = p->a;
    bool all_ended = a->nfeeds > 0;

    if (p->stopping)
        return "stopped";
    for (size_t i = 0; i < a->nfeeds; i++) {
        const char *s = app_feed_state(a, i);

        if (strcmp(s, "stale") == 0)
            return "feed stale";
        if (strcmp(s, "live") != 0 && strcmp(s, "ended") != 0)
            return s;
        if (strcmp(s, "ended") != 0)
            all_ended = false;
    }
    return all_ended ? "ended" : "live";
}

static void
shard_pub_reply_cb(redisAsyncContext *c, void *reply, void *priv)
{
    struct shard_pub *p = priv;
    redisReply *r = reply;

    (void)c;
    if (p->inflight > 0)
        p->inflight--;
    if (r != NULL && r->type == REDIS_REPLY_ERROR)
        snprintf(p->error, sizeof p->error, "%.100s: %.200s", p->o.url, r->str);
}

static void
shard_pub_beat(struct shard_pub *p, redisCallbackFn *cb)
{
    const struct app *a = p->a;
    cJSON *o = cJSON_CreateObject();
    char *text;

    cJSON_AddStringToObject(o, "shard", p->field);
    cJSON_AddStringToObject(o, "state", shard_pub_state(p));
    cJSON_AddNumberToObject(o, "seq", (double)++p->seq);
    cJSON_AddStringToObject(o, "run", p->run);
    cJSON_AddNumberToObject(o, "rows_seq", (double)p->rows_seq);
    cJSON_AddBoolToObject(o, "current", !p->dirty && !a->book_dirty);
    cJSON_AddNumberToObject(o, "ts", (double)shard_pub_wall_ms());
    cJSON_AddNumberToObject(o, "positions", (double)book_rank_count(a->book));
    cJSON_AddNumberToObject(o, "ticks_applied", (double)a->ticks_applied);
    cJSON_AddStringToObject(o, "error",
                            p->error[0] != '\0' ? p->error : a->error);
    text = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    if (text == NULL)
        liq_nomem();
    if (redis_conn_command(&p->pub, cb, p, "HSET %s %s %s", p->k_beat, p->field,
                           text) == 0)
        p->inflight++;
    free(text);
    p->last_beat_ms = uv_now(a->loop);
    p->beat_due = false;
}

/*
 * The header line and the lowest positions, as one value, unless they and
 * the counts are what went last (then only the book's rank keys moved
 * elsewhere: nothing is sent, and the rows stay current). True when a
 * publication went.
 */
static bool
shard_pub_rows(struct shard_pub *p)
{
    struct app *a = p->a;
    struct book_counts c;
    char *body = NULL, *buf = NULL;
    size_t blen = 0, len = 0;
    FILE *f = open_memstream(&body, &blen);
    bool sent = false;

    if (f == NULL)
        liq_nomem();
    book_counts(a->book, &c);
    if (snapshot_write_lines(f, a->book, p->o.top) != 0) {
        fclose(f);
        free(body);
        snprintf(p->error, sizeof p->error, "cannot format the rows");
        return false;
    }
    fclose(f);
    if (p->last_body != NULL && p->last_len == blen &&
        memcmp(p->last_body, body, blen) == 0 &&
        memcmp(&p->last_counts, &c, sizeof c) == 0) {
        free(body);
        p->dirty = false;
        return false;
    }
    f = open_memstream(&buf, &len);
    if (f == NULL)
        liq_nomem();
    fprintf(f,
            "{\"shard\": \"%s\", \"run\": \"%s\", \"rows_seq\": %llu, "
            "\"ts\": %lld, "
            "\"ticks_applied\": %llu, \"counts\": {\"total\": %u, "
            "\"liquidatable\": %u, \"at_risk\": %u, \"pre\": %u, "
            "\"no_debt\": %u, \"bad_debt\": %u, \"unpriced\": %u}}\n",
            p->field, p->run, (unsigned long long)(p->rows_seq + 1),
            (long long)shard_pub_wall_ms(),
            (unsigned long long)a->ticks_applied, c.total, c.liquidatable,
            c.at_risk, c.pre, c.no_debt, c.bad_debt, c.unpriced);
    fwrite(body, 1, blen, f);
    fclose(f);
    {
        const char *argv[4] = {"HSET", p->k_rows, p->field, buf};
        size_t lens[4] = {4, strlen(p->k_rows), strlen(p->field), len};

        if (redis_conn_argv(&p->pub, shard_pub_reply_cb, p, 4, argv, lens) ==
            0) {
            p->inflight++;
            p->rows_seq++;
            p->published++;
            p->dirty = false;
            sent = true;
            free(p->last_body);
            p->last_body = body;
            p->last_len = blen;
            p->last_counts = c;
            body = NULL;
        }
    }
    free(body);
    free(buf);
    return sent;
}

static void shard_pub_blpop(struct shard_pub *p);

/* One request: the preview it asks for pushed onto its reply key. */
static void
shard_pub_answer(struct shard_pub *p, const char *text, size_t len)
{
    cJSON *q = cJSON_ParseWithLength(text, len), *reply;
    struct cmd_preview_args pa;
    char err[512], *buf = NULL;
    size_t blen = 0, want = strlen(p->k_reply);
    FILE *f;

    if (q == NULL)
        return; /* no reply key can be read: nobody to answer */
    reply = cJSON_GetObjectItemCaseSensitive(q, "reply");
    if (!cJSON_IsString(reply) ||
        strncmp(reply->valuestring, p->k_reply, want) != 0) {
        cJSON_Delete(q); /* only PREFIX:reply:... keys are written */
        return;
    }
    memset(&pa, 0, sizeof pa);
#define SHARD_PUB_ARG(name, member)                                            \
    do {                                                                       \
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(q, name);            \
        if (cJSON_IsString(v))                                                 \
            pa.member = v->valuestring;                                        \
    } while (0)
    SHARD_PUB_ARG("position", position);
    SHARD_PUB_ARG("debt", debt);
    SHARD_PUB_ARG("collateral", coll);
    SHARD_PUB_ARG("repay", repay);
    SHARD_PUB_ARG("target_health", target);
    SHARD_PUB_ARG("seize", seize);
#undef SHARD_PUB_ARG
    {
        const cJSON *fmt = cJSON_GetObjectItemCaseSensitive(q, "format");

        pa.table =
            cJSON_IsString(fmt) && strcmp(fmt->valuestring, "table") == 0;
    }
    f = open_memstream(&buf, &blen);
    if (f == NULL)
        liq_nomem();
    if (pa.position == NULL) {
        fputs("{\"error\": \"the request names no position\"}\n", f);
    } else if (cmd_preview_write(f, p->a->book, &pa, err, sizeof err) != 0) {
        cJSON *e = cJSON_CreateObject();
        char *et;

        cJSON_AddStringToObject(e, "error", err);
        et = cJSON_PrintUnformatted(e);
        fprintf(f, "%s\n", et);
        free(et);
        cJSON_Delete(e);
    }
    fclose(f);
    {
        const char *argv[3] = {"RPUSH", reply->valuestring, buf};
        size_t lens[3] = {5, strlen(reply->valuestring), blen};

        (void)redis_conn_argv(&p->req, NULL, NULL, 3, argv, lens);
        (void)redis_conn_command(&p->req, NULL, NULL, "EXPIRE %s %d",
                                 reply->valuestring, SHARD_PUB_REPLY_TTL);
        p->previews++;
    }
    free(buf);
    cJSON_Delete(q);
}

static void
shard_pub_blpop_cb(redisAsyncContext *c, void *reply, void *priv)
{
    struct shard_pub *p = priv;
    redisReply *r = reply;

    (void)c;
    p->req_waiting = false;
    if (r == NULL || p->done || p->stopping)
        return;
    if (r->type == REDIS_REPLY_ERROR) {
        /* retried at the next tick, not in a tight loop */
        snprintf(p->error, sizeof p->error, "%.100s: %.200s", p->k_req, r->str);
        return;
    }
    if (r->type == REDIS_REPLY_ARRAY && r->elements == 2 &&
        r->element[1]->type == REDIS_REPLY_STRING)
        shard_pub_answer(p, r->element[1]->str, r->element[1]->len);
    shard_pub_blpop(p);
}

static void
shard_pub_blpop(struct shard_pub *p)
{
    if (p->req_waiting || p->stopping || p->done)
        return;
    if (redis_conn_command(&p->req, shard_pub_blpop_cb, p, "BLPOP %s 1",
                           p->k_req) == 0)
        p->req_waiting = true;
}

/*
 * The rows and a heartbeat, when the book moved, is settled (from a
 * settle's on_prices it always is: a stream of ticks that dirties the
 * book every loop turn still gets published), the last publication was
 * answered and the rate allows. True when they went.
 */
static bool
shard_pub_try_rows(struct shard_pub *p)
{
    uint64_t now = uv_now(p->a->loop);

    if (!p->dirty || p->inflight > 0 || p->a->book_dirty || !p->pub.up ||
        p->stopping || p->done ||
        (p->last_rows_ms != 0 && now - p->last_rows_ms < p->period_ms))
        return false;
    p->last_rows_ms = now;
    if (!shard_pub_rows(p))
        return false; /* the same rows: the heartbeat keeps its pace */
    shard_pub_beat(p, shard_pub_reply_cb);
    return true;
}

static void
shard_pub_tick_cb(uv_timer_t *t)
{
    struct shard_pub *p = t->data;
    uint64_t now = uv_now(p->a->loop);

    if (p->stopping || p->done)
        return;
    if (p->req.up && !p->req_waiting)
        shard_pub_blpop(p);
    if (!p->pub.up || shard_pub_try_rows(p))
        return;
    if ((p->beat_due || now - p->last_beat_ms >= SHARD_PUB_BEAT_MS) &&
        p->inflight < 4)
        shard_pub_beat(p, shard_pub_reply_cb);
}

static void
shard_pub_pub_up(struct redis_conn *l)
{
    struct shard_pub *p = l->data;

    p->dirty = true; /* a restarted Redis has nothing: all again */
    p->inflight = 0;
    free(p->last_body);
    p->last_body = NULL;
    p->last_rows_ms = 0;
    shard_pub_tick_cb(&p->tick);
}

static void
shard_pub_req_up(struct redis_conn *l)
{
    struct shard_pub *p = l->data;

    p->req_waiting = false;
    shard_pub_blpop(p);
}

static void
shard_pub_req_down(struct redis_conn *l)
{
    struct shard_pub *p = l->data;

    p->req_waiting = false;
}

static void
shard_pub_on_prices(struct app *a)
{
    struct shard_pub *p = a->ui;

    p->dirty = true;
    (void)shard_pub_try_rows(p);
}

static void
shard_pub_on_state(struct app *a)
{
    struct shard_pub *p = a->ui;

    p->beat_due = true;
}

/* Close everything, then let the app stop (from a timer: never inside a
 * hiredis callback). */
static void
shard_pub_final_cb(uv_timer_t *t)
{
    struct shard_pub *p = t->data;

    if (p->done)
        return;
    p->done = true;
    redis_conn_stop(&p->pub);
    redis_conn_stop(&p->req);
    if (p->timers_open) {
        p->timers_open = false;
        uv_close((uv_handle_t *)&p->tick, NULL);
        uv_close((uv_handle_t *)&p->final, NULL);
    }
    app_stop(p->a);
}

static void
shard_pub_last_cb(redisAsyncContext *c, void *reply, void *priv)
{
    struct shard_pub *p = priv;

    (void)c;
    (void)reply;
    if (!p->done)
        uv_timer_start(&p->final, shard_pub_final_cb, 0, 0);
}

static void
shard_pub_on_stop(struct app *a)
{
    struct shard_pub *p = a->ui;

    p->stopping = true;
    uv_timer_stop(&p->tick);
    if (p->pub.up) {
        /* The last rows too, when the book moved since. */
        if (p->dirty && !a->book_dirty)
            (void)shard_pub_rows(p);
        shard_pub_beat(p, shard_pub_last_cb);
        uv_timer_start(&p->final, shard_pub_final_cb, SHARD_PUB_STOP_MS, 0);
    } else {
        uv_timer_start(&p->final, shard_pub_final_cb, 0, 0);
    }
}

int
shard_pub_new(struct shard_pub **out, struct app *a,
              const struct shard_pub_opts *o, char *err, size_t errlen)
{
    struct shard_pub *p = calloc(1, sizeof *p);
    int rc;

    if (p == NULL)
        liq_nomem();
    p->a = a;
    p->o = *o;
    if (p->o.top == 0)
        p->o.top = SHARD_PUB_TOP;
    if (p->o.rate == 0)
        p->o.rate = SHARD_PUB_RATE;
    rc = redis_conn_url(o->url, "redis", p->host, sizeof p->host, &p->port,
                        p->prefix, sizeof p->prefix, err, errlen);
    if (rc != 0) {
        free(p);
        return rc;
    }
    snprintf(p->field, sizeof p->field, "%u/%u", (unsigned)o->shard,
             (unsigned)o->nshards);
    snprintf(p->run, sizeof p->run, "%ld-%lld", (long)getpid(),
             (long long)shard_pub_wall_ms());
    snprintf(p->k_rows, sizeof p->k_rows, "%s:rows", p->prefix);
    snprintf(p->k_beat, sizeof p->k_beat, "%s:beat", p->prefix);
    snprintf(p->k_req, sizeof p->k_req, "%s:preview:%s", p->prefix, p->field);
    snprintf(p->k_reply, sizeof p->k_reply, "%s:reply:", p->prefix);
    *out = p;
    return 0;
}

int
shard_pub_start(struct shard_pub *p)
{
    struct app *a = p->a;
    uint64_t period = 1000 / p->o.rate;
    int rc;

    if (period == 0)
        period = 1;
    p->period_ms = period;

    if ((rc = uv_timer_init(a->loop, &p->tick)) != 0)
        return rc;
    if ((rc = uv_timer_init(a->loop, &p->final)) != 0) {
        uv_close((uv_handle_t *)&p->tick, NULL);
        return rc;
    }
    p->tick.data = p->final.data = p;
    p->timers_open = true;
    p->dirty = true;
    a->ui = p;
    a->on_prices = shard_pub_on_prices;
    a->on_state = shard_pub_on_state;
    a->on_stop = shard_pub_on_stop;
    p->pub.on_up = shard_pub_pub_up;
    p->pub.data = p;
    p->req.on_up = shard_pub_req_up;
    p->req.on_down = shard_pub_req_down;
    p->req.data = p;
    if ((rc = redis_conn_start(&p->pub, a->loop, p->host, p->port)) != 0 ||
        (rc = redis_conn_start(&p->req, a->loop, p->host, p->port)) != 0)
        return rc;
    uv_timer_start(&p->tick, shard_pub_tick_cb, period, period);
    return 0;
}

const char *
shard_pub_error(const struct shard_pub *p)
{
    return p->error[0] != '\0'
               ? p->error
               : (p->pub.error[0] != '\0' && !p->pub.up ? p->pub.error : "");
}

uint64_t
shard_pub_count(const struct shard_pub *p)
{
    return p->published;
}

void
shard_pub_free(struct shard_pub *p)
{
    if (p != NULL)
        free(p->last_body);
    free(p);
}
