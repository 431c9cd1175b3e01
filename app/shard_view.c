/*
 * shard_view.c: the merged ranking of sharded workers, read from Redis
 * (shard_view.h).
 *
 * Owns the poll (HGETALL of the heartbeats, HGET of the rows that
 * changed), the stale rule, the merge and the preview requests' round
 * trip. Keeps each item's text as the worker published it, so what it
 * prints is the snapshot's text, byte for byte. Never blocks: one command
 * of each kind out at a time, answered on the loop.
 */
#include "app/shard_view.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/textout.h"
#include "core/decimal.h"
#include "core/liq.h"
#include "core/shard.h"

static void
shard_view_rows_free(struct shard_worker *w)
{
    for (size_t i = 0; i < w->nrows; i++) {
        free(w->rows[i].text);
        cJSON_Delete(w->rows[i].item);
    }
    free(w->rows);
    w->rows = NULL;
    w->nrows = 0;
}

/* A worker whose rows are in the merge. */
static bool
shard_view_merges(const struct shard_worker *w)
{
    return !w->stale && strcmp(w->state, "stopped") != 0 && w->rows_have > 0 &&
           strcmp(w->rows_run, w->run) == 0;
}

/* snapshot's order: class, health, id. */
static int
shard_view_cmp(const void *x, const void *y)
{
    const struct shard_row *a = *(const struct shard_row *const *)x;
    const struct shard_row *b = *(const struct shard_row *const *)y;
    int c;

    if (a->cls != b->cls)
        return a->cls < b->cls ? -1 : 1;
    if (a->cls == 0 && (c = u256_cmp(a->hf, b->hf)) != 0)
        return c;
    return strcmp(a->id, b->id);
}

static void
shard_view_merge(struct shard_view *v)
{
    size_t n = 0, k = 0;
    uint32_t nsh = 0;
    bool mixed = false;
    unsigned char *seen;

    memset(&v->counts, 0, sizeof v->counts);
    v->published = UINT32_MAX;
    for (size_t i = 0; i < v->nw; i++) {
        struct shard_worker *w = &v->w[i];

        if (!shard_view_merges(w))
            continue;
        n += w->nrows;
        if (nsh == 0)
            nsh = w->n;
        else if (nsh != w->n)
            mixed = true;
        if (w->nrows < v->published)
            v->published = (uint32_t)w->nrows;
        v->counts.total += w->counts.total;
        v->counts.liquidatable += w->counts.liquidatable;
        v->counts.at_risk += w->counts.at_risk;
        v->counts.pre += w->counts.pre;
        v->counts.no_debt += w->counts.no_debt;
        v->counts.bad_debt += w->counts.bad_debt;
        v->counts.unpriced += w->counts.unpriced;
    }
    if (v->published == UINT32_MAX)
        v->published = 0;
    free(v->merged);
    v->merged = calloc(n ? n : 1, sizeof *v->merged);
    if (v->merged == NULL)
        liq_nomem();
    for (size_t i = 0; i < v->nw; i++)
        if (shard_view_merges(&v->w[i]))
            for (size_t r = 0; r < v->w[i].nrows; r++)
                v->merged[k++] = &v->w[i].rows[r];
    qsort(v->merged, k, sizeof *v->merged, shard_view_cmp);
    v->nmerged = k < v->top ? k : v->top;
    /* Complete: every shard of one N merged, each once. */
    v->nshards = nsh;
    v->complete = nsh > 0 && !mixed;
    seen = calloc(nsh ? nsh : 1, 1);
    if (seen == NULL)
        liq_nomem();
    for (size_t i = 0; i < v->nw && v->complete; i++) {
        const struct shard_worker *w = &v->w[i];

        if (!shard_view_merges(w))
            continue;
        if (w->i >= nsh || seen[w->i]++)
            v->complete = false;
    }
    for (uint32_t s = 0; s < nsh && v->complete; s++)
        if (!seen[s])
            v->complete = false;
    free(seen);
    v->version++;
    if (v->on_change != NULL)
        v->on_change(v->arg);
}

static uint64_t
shard_view_num(const cJSON *o, const char *key)
{
    const cJSON *n = cJSON_GetObjectItemCaseSensitive(o, key);

    return cJSON_IsNumber(n) && n->valuedouble > 0 ? (uint64_t)n->valuedouble
                                                   : 0;
}

static void
shard_view_str(char *dst, size_t cap, const cJSON *o, const char *key)
{
    const cJSON *s = cJSON_GetObjectItemCaseSensitive(o, key);

    snprintf(dst, cap, "%s", cJSON_IsString(s) ? s->valuestring : "");
}

/* Parse one worker's rows value into w; false when it is not one. */
static bool
shard_view_parse_rows(struct shard_view *v, struct shard_worker *w,
                      const char *text, size_t len)
{
    const char *p = text, *end = text + len, *nl;
    cJSON *h, *c;
    size_t cap = 0;
    uint32_t idx = (uint32_t)(w - v->w);

    nl = memchr(p, '\n', (size_t)(end - p));
    h = cJSON_ParseWithLength(p, nl != NULL ? (size_t)(nl - p) : len);
    if (h == NULL)
        return false;
    shard_view_rows_free(w);
    shard_view_str(w->rows_run, sizeof w->rows_run, h, "run");
    w->rows_have = shard_view_num(h, "rows_seq");
    c = cJSON_GetObjectItemCaseSensitive(h, "counts");
    w->counts.total = shard_view_num(c, "total");
    w->counts.liquidatable = shard_view_num(c, "liquidatable");
    w->counts.at_risk = shard_view_num(c, "at_risk");
    w->counts.pre = shard_view_num(c, "pre");
    w->counts.no_debt = shard_view_num(c, "no_debt");
    w->counts.bad_debt = shard_view_num(c, "bad_debt");
    w->counts.unpriced = shard_view_num(c, "unpriced");
    cJSON_Delete(h);
    for (p = nl != NULL ? nl + 1 : end; p < end; p = nl + 1) {
        struct shard_row r;
        const cJSON *id, *hf, *cv;

        nl = memchr(p, '\n', (size_t)(end - p));
        if (nl == NULL)
            nl = end;
        if (nl == p)
            continue;
        memset(&r, 0, sizeof r);
        r.item = cJSON_ParseWithLength(p, (size_t)(nl - p));
        id = cJSON_GetObjectItemCaseSensitive(r.item, "id");
        if (!cJSON_IsString(id)) {
            cJSON_Delete(r.item);
            continue;
        }
        r.id = id->valuestring;
        hf = cJSON_GetObjectItemCaseSensitive(r.item, "health_factor");
        cv = cJSON_GetObjectItemCaseSensitive(r.item, "collateral_value");
        if (cJSON_IsString(hf) &&
            decimal_parse(&r.hf, hf->valuestring, strlen(hf->valuestring), 18,
                          DECIMAL_EXACT) == 0)
            r.cls = 0;
        else
            r.cls = cJSON_IsString(cv) ? 1 : 2;
        r.text = strndup(p, (size_t)(nl - p));
        if (r.text == NULL)
            liq_nomem();
        r.worker = idx;
        if (w->nrows == cap) {
            cap = cap ? cap * 2 : 128;
            w->rows = realloc(w->rows, cap * sizeof *w->rows);
            if (w->rows == NULL)
                liq_nomem();
        }
        w->rows[w->nrows++] = r;
    }
    return true;
}

struct shard_view_fetch {
    struct shard_view *v;
    char field[32];
};

static void
shard_view_rows_cb(redisAsyncContext *c, void *reply, void *priv)
{
    struct shard_view_fetch *f = priv;
    struct shard_view *v = f->v;
    redisReply *r = reply;

    (void)c;
    for (size_t i = 0; i < v->nw; i++) {
        struct shard_worker *w = &v->w[i];

        if (strcmp(w->field, f->field) != 0)
            continue;
        w->fetching = false;
        if (r != NULL && r->type == REDIS_REPLY_STRING &&
            shard_view_parse_rows(v, w, r->str, r->len))
            shard_view_merge(v);
        break;
    }
    free(f);
}

static struct shard_worker *
shard_view_worker(struct shard_view *v, const char *field)
{
    uint32_t i, n;
    char *end = NULL;
    size_t at;

    for (size_t k = 0; k < v->nw; k++)
        if (strcmp(v->w[k].field, field) == 0)
            return &v->w[k];
    i = (uint32_t)strtoul(field, &end, 10);
    if (*end != '/')
        return NULL;
    n = (uint32_t)strtoul(end + 1, &end, 10);
    if (*end != '\0' || n == 0 || i >= n || strlen(field) >= 32)
        return NULL;
    v->w = realloc(v->w, (v->nw + 1) * sizeof *v->w);
    if (v->w == NULL)
        liq_nomem();
    /* Kept in shard order (N, then I): the header lists them so. Rows
     * point at their worker by index: the merge is rebuilt below. */
    for (at = 0; at < v->nw; at++)
        if (v->w[at].n > n || (v->w[at].n == n && v->w[at].i > i))
            break;
    memmove(&v->w[at + 1], &v->w[at], (v->nw - at) * sizeof *v->w);
    v->nw++;
    memset(&v->w[at], 0, sizeof v->w[at]);
    snprintf(v->w[at].field, sizeof v->w[at].field, "%s", field);
    v->w[at].i = i;
    v->w[at].n = n;
    for (size_t k = 0; k < v->nw; k++)
        for (size_t r = 0; r < v->w[k].nrows; r++)
            v->w[k].rows[r].worker = (uint32_t)k;
    /* The merge points into the rows, which did not move. */
    return &v->w[at];
}

static void
shard_view_beats_cb(redisAsyncContext *c, void *reply, void *priv)
{
    struct shard_view *v = priv;
    redisReply *r = reply;
    uint64_t now = uv_now(v->loop);
    bool changed = false;

    (void)c;
    v->polling = false;
    if (r == NULL || r->type != REDIS_REPLY_ARRAY)
        return;
    v->have_beats = true;
    for (size_t k = 0; k + 1 < r->elements; k += 2) {
        const redisReply *f = r->element[k], *val = r->element[k + 1];
        struct shard_worker *w;
        cJSON *o;
        uint64_t seq;
        char run[64];

        if (f->type != REDIS_REPLY_STRING || val->type != REDIS_REPLY_STRING)
            continue;
        o = cJSON_ParseWithLength(val->str, val->len);
        if (o == NULL)
            continue;
        w = shard_view_worker(v, f->str);
        if (w == NULL) {
            cJSON_Delete(o);
            continue;
        }
        seq = shard_view_num(o, "seq");
        shard_view_str(run, sizeof run, o, "run");
        if (seq != w->seq || strcmp(run, w->run) != 0 || w->seen_ms == 0) {
            /* A heartbeat seen: it counts from now, here. The first
             * sight of an old one ages from now too, and goes stale
             * unless it moves. */
            char state[32];

            shard_view_str(state, sizeof state, o, "state");
            if (strcmp(state, w->state) != 0 || w->stale ||
                strcmp(run, w->run) != 0)
                changed = true;
            w->seq = seq;
            w->seen_ms = now;
            w->stale = false;
            snprintf(w->state, sizeof w->state, "%s", state);
            snprintf(w->run, sizeof w->run, "%s", run);
            shard_view_str(w->error, sizeof w->error, o, "error");
            w->rows_seq = shard_view_num(o, "rows_seq");
            w->positions = shard_view_num(o, "positions");
            w->ticks_applied = shard_view_num(o, "ticks_applied");
            w->current =
                cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "current"));
        }
        cJSON_Delete(o);
        if (!w->fetching && w->rows_seq > 0 &&
            (w->rows_have != w->rows_seq || strcmp(w->rows_run, w->run) != 0)) {
            struct shard_view_fetch *fe = calloc(1, sizeof *fe);

            if (fe == NULL)
                liq_nomem();
            fe->v = v;
            snprintf(fe->field, sizeof fe->field, "%s", w->field);
            if (redis_conn_command(&v->link, shard_view_rows_cb, fe,
                                   "HGET %s %s", v->k_rows, w->field) == 0)
                w->fetching = true;
            else
                free(fe);
        }
    }
    if (changed)
        shard_view_merge(v);
}

static void
shard_view_pop_cb(redisAsyncContext *c, void *reply, void *priv)
{
    struct shard_view *v = priv;
    redisReply *r = reply;
    shard_view_answer_fn cb = v->pv_cb;

    (void)c;
    v->pv_popping = false;
    if (r == NULL || !v->pv_active || r->type != REDIS_REPLY_STRING)
        return;
    v->pv_active = false;
    cb(v->pv_arg, 0, r->str, r->len);
}

static void
shard_view_poll_cb(uv_timer_t *t)
{
    struct shard_view *v = t->data;
    uint64_t now = uv_now(v->loop);
    bool changed = false;

    /* While Redis is away nothing can be seen: no worker goes stale for
     * it (the header says the link is down). */
    for (size_t i = 0; i < v->nw && v->link.up; i++) {
        struct shard_worker *w = &v->w[i];
        bool st = w->seen_ms != 0 && now - w->seen_ms > v->stale_ms;

        if (st != w->stale) {
            w->stale = st;
            changed = true;
        }
    }
    if (changed)
        shard_view_merge(v);
    if (v->pv_active && now > v->pv_deadline) {
        v->pv_active = false;
        v->pv_cb(v->pv_arg, LIQ_ESTALE, "no answer from the worker in time",
                 strlen("no answer from the worker in time"));
    }
    if (!v->link.up)
        return;
    if (!v->polling && redis_conn_command(&v->link, shard_view_beats_cb, v,
                                          "HGETALL %s", v->k_beat) == 0)
        v->polling = true;
    if (v->pv_active && !v->pv_popping &&
        redis_conn_command(&v->link, shard_view_pop_cb, v, "LPOP %s",
                           v->pv_key) == 0)
        v->pv_popping = true;
}

static void
shard_view_up(struct redis_conn *l)
{
    struct shard_view *v = l->data;

    v->polling = v->pv_popping = false;
    /* Back: each worker has the stale limit from now to be seen again. */
    for (size_t i = 0; i < v->nw; i++) {
        v->w[i].fetching = false;
        if (!v->w[i].stale)
            v->w[i].seen_ms = uv_now(v->loop);
    }
    v->version++;
    if (v->on_change != NULL)
        v->on_change(v->arg);
    shard_view_poll_cb(&v->poll);
}

static void
shard_view_down(struct redis_conn *l)
{
    struct shard_view *v = l->data;

    v->version++;
    if (v->on_change != NULL)
        v->on_change(v->arg);
}

int
shard_view_start(struct shard_view *v, uv_loop_t *loop, const char *url,
                 uint64_t stale_ms, uint32_t top, char *err, size_t errlen)
{
    int rc;

    v->loop = loop;
    v->stale_ms = stale_ms ? stale_ms : SHARD_VIEW_STALE_MS;
    v->top = top ? top : 100;
    rc = redis_conn_url(url, "redis", v->host, sizeof v->host, &v->port,
                        v->prefix, sizeof v->prefix, err, errlen);
    if (rc != 0)
        return rc;
    snprintf(v->k_rows, sizeof v->k_rows, "%s:rows", v->prefix);
    snprintf(v->k_beat, sizeof v->k_beat, "%s:beat", v->prefix);
    if ((rc = uv_timer_init(loop, &v->poll)) != 0) {
        snprintf(err, errlen, "cannot start a timer");
        return LIQ_EIO;
    }
    v->poll.data = v;
    v->open = true;
    v->link.on_up = shard_view_up;
    v->link.on_down = shard_view_down;
    v->link.data = v;
    if (redis_conn_start(&v->link, loop, v->host, v->port) != 0) {
        snprintf(err, errlen, "cannot start a timer");
        return LIQ_EIO;
    }
    uv_timer_start(&v->poll, shard_view_poll_cb, SHARD_VIEW_POLL_MS,
                   SHARD_VIEW_POLL_MS);
    return 0;
}

void
shard_view_stop(struct shard_view *v)
{
    v->on_change = NULL;
    v->pv_active = false;
    redis_conn_stop(&v->link);
    if (v->open) {
        v->open = false;
        uv_close((uv_handle_t *)&v->poll, NULL);
    }
}

void
shard_view_free(struct shard_view *v)
{
    for (size_t i = 0; i < v->nw; i++)
        shard_view_rows_free(&v->w[i]);
    free(v->w);
    free(v->merged);
    v->w = NULL;
    v->merged = NULL;
    v->nw = v->nmerged = 0;
}

bool
shard_view_settled(const struct shard_view *v, const char *state)
{
    if (!v->have_beats || !v->complete)
        return false;
    for (size_t i = 0; i < v->nw; i++) {
        const struct shard_worker *w = &v->w[i];

        if (w->n != v->nshards || strcmp(w->state, "stopped") == 0)
            continue; /* another split's, or gone */
        if (w->stale || !w->current || w->rows_have != w->rows_seq ||
            strcmp(w->rows_run, w->run) != 0)
            return false;
        if (state != NULL && strcmp(w->state, state) != 0)
            return false;
    }
    return true;
}

int
shard_view_preview(struct shard_view *v, const struct shard_preview_req *q,
                   shard_view_answer_fn cb, void *arg)
{
    const struct shard_worker *w = NULL;
    cJSON *o;
    char *text, k_req[340];
    int rc;

    for (size_t i = 0; i < v->nw && w == NULL; i++) {
        const struct shard_worker *c = &v->w[i];

        if (!c->stale && strcmp(c->state, "stopped") != 0 &&
            shard_of(q->position, strlen(q->position), c->n) == c->i)
            w = c;
    }
    if (w == NULL)
        return LIQ_ENOENT;
    if (!v->link.up)
        return LIQ_EIO;
    snprintf(v->pv_key, sizeof v->pv_key, "%s:reply:%ld-%llu-%llu", v->prefix,
             (long)getpid(), (unsigned long long)uv_hrtime(),
             (unsigned long long)++v->pv_counter);
    snprintf(k_req, sizeof k_req, "%s:preview:%s", v->prefix, w->field);
    o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "reply", v->pv_key);
    cJSON_AddStringToObject(o, "position", q->position);
#define SHARD_VIEW_ARG(name, member)                                           \
    do {                                                                       \
        if (q->member != NULL)                                                 \
            cJSON_AddStringToObject(o, name, q->member);                       \
    } while (0)
    SHARD_VIEW_ARG("debt", debt);
    SHARD_VIEW_ARG("collateral", coll);
    SHARD_VIEW_ARG("repay", repay);
    SHARD_VIEW_ARG("target_health", target);
    SHARD_VIEW_ARG("seize", seize);
#undef SHARD_VIEW_ARG
    cJSON_AddStringToObject(o, "format", q->table ? "table" : "json");
    text = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    if (text == NULL)
        liq_nomem();
    rc = redis_conn_command(&v->link, NULL, NULL, "RPUSH %s %s", k_req, text);
    free(text);
    if (rc != 0)
        return LIQ_EIO;
    v->pv_active = true;
    v->pv_popping = false;
    v->pv_deadline = uv_now(v->loop) + SHARD_VIEW_PREVIEW_MS;
    v->pv_cb = cb;
    v->pv_arg = arg;
    return 0;
}

static void
shard_view_counts_json(FILE *out, const struct shard_counts *c)
{
    fprintf(out,
            "{\"total\": %llu, \"liquidatable\": %llu, \"at_risk\": %llu, "
            "\"pre\": %llu, \"no_debt\": %llu, \"bad_debt\": %llu, "
            "\"unpriced\": %llu}",
            (unsigned long long)c->total, (unsigned long long)c->liquidatable,
            (unsigned long long)c->at_risk, (unsigned long long)c->pre,
            (unsigned long long)c->no_debt, (unsigned long long)c->bad_debt,
            (unsigned long long)c->unpriced);
}

int
shard_view_write_json(const struct shard_view *v, FILE *out)
{
    uint64_t now = uv_now(v->loop);

    fprintf(out, "{\"complete\": %s, \"workers\": [",
            v->complete ? "true" : "false");
    for (size_t i = 0; i < v->nw; i++) {
        const struct shard_worker *w = &v->w[i];

        fprintf(out, "%s\n  {\"shard\": \"%s\", \"state\": ", i ? "," : "",
                w->field);
        textout_json_str(out, w->stale ? "stale" : w->state);
        fprintf(out,
                ", \"age_ms\": %llu, \"positions\": %llu, "
                "\"ticks_applied\": %llu, \"rows\": %zu, \"error\": ",
                (unsigned long long)(now - w->seen_ms),
                (unsigned long long)w->positions,
                (unsigned long long)w->ticks_applied, w->nrows);
        textout_json_str(out, w->error);
        fputs("}", out);
    }
    fputs(v->nw ? "\n],\n\"counts\": " : "],\n\"counts\": ", out);
    shard_view_counts_json(out, &v->counts);
    fputs(",\n\"positions\": [", out);
    for (size_t i = 0; i < v->nmerged; i++)
        fprintf(out, "%s\n  %s", i ? "," : "", v->merged[i]->text);
    fputs(v->nmerged ? "\n]}\n" : "]}\n", out);
    return fflush(out) != 0 || ferror(out) ? LIQ_EIO : 0;
}
