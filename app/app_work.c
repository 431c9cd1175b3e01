/*
 * app_work.c: the book's long updates on a libuv worker thread, and the
 * ticks held in the application layer meanwhile (app_work.h).
 *
 * Owns struct app_work: the held prices (latest per symbol), one
 * uv_work_t and the semaphore the worker posts when the book is its
 * own no more. The worker runs book_update(), then the alert rules'
 * judging of what moved (its events kept, told on the loop after);
 * everything else (the UI, the held ticks, the events told) happens on
 * the loop thread after it. Never touches the book while the worker has
 * it.
 */
#include "app/app_work.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/alerts.h"
#include "core/liq.h"

struct app_work {
    struct app *a;
    size_t min_cost;
    size_t touch_cost;       /* a direct change's hint, until the next settle */
    void (*also)(void *ctx); /* run on the worker after the update */
    void *also_ctx;
    /* held prices, by symbol; list[] the symbols held, each once */
    bool *has;
    struct u256 *price;
    int64_t *ts;
    uint32_t *list;
    uint32_t nlist;
    uint64_t nheld; /* ticks held now */

    /* the alerts' judging on the worker: the symbols moved by the ticks
     * this update takes (a->moved, handed over), then those whose holders
     * it recomputed; the loop leaves a->sym[].gen and the alerts alone
     * while busy */
    bool judge;
    bool judge_all; /* the first judging: every position */
    uint32_t *jlist;
    uint32_t njlist;
    bool *jflag;
    int64_t jts;

    uv_work_t req;
    uv_sem_t done;       /* posted by the worker after book_update() */
    bool in_flight;      /* req queued, its after callback not yet run */
    bool busy;           /* the worker has the book */
    uint64_t started_ns; /* uv_hrtime() when queued */
    uint64_t cpu_ns;     /* the worker's CPU time, written by it */
    struct app_work_stats st;
};

void
app_work_enable(struct app *a, size_t min_cost)
{
    struct app_work *w = calloc(1, sizeof(*w));
    uint32_t n = a->nsym ? a->nsym : 1;

    if (w == NULL)
        liq_nomem();
    w->has = calloc(n, sizeof(*w->has));
    w->price = calloc(n, sizeof(*w->price));
    w->ts = calloc(n, sizeof(*w->ts));
    w->list = calloc(n, sizeof(*w->list));
    w->jlist = calloc(n, sizeof(*w->jlist));
    w->jflag = calloc(n, sizeof(*w->jflag));
    if (w->has == NULL || w->price == NULL || w->ts == NULL ||
        w->list == NULL || w->jlist == NULL || w->jflag == NULL)
        liq_nomem();
    if (uv_sem_init(&w->done, 0) != 0)
        liq_nomem();
    w->a = a;
    w->min_cost = min_cost;
    w->req.data = w;
    a->work = w;
}

void
app_work_also(struct app *a, void (*fn)(void *ctx), void *ctx)
{
    if (a->work == NULL)
        return;
    a->work->also = fn;
    a->work->also_ctx = ctx;
}

void
app_work_free(struct app *a)
{
    struct app_work *w = a->work;

    if (w == NULL)
        return;
    uv_sem_destroy(&w->done);
    free(w->has);
    free(w->price);
    free(w->ts);
    free(w->list);
    free(w->jlist);
    free(w->jflag);
    free(w);
    a->work = NULL;
}

bool
app_work_busy(const struct app *a)
{
    return a->work != NULL && a->work->busy;
}

bool
app_work_hold(struct app *a, uint32_t sym, struct u256 price_e18, int64_t ts_ms)
{
    struct app_work *w = a->work;

    if (w == NULL || sym >= a->nsym)
        return false;
    if (!w->has[sym]) {
        w->has[sym] = true;
        w->list[w->nlist++] = sym;
    }
    w->price[sym] = price_e18;
    w->ts[sym] = ts_ms;
    w->nheld++;
    if (w->busy) {
        w->st.held_busy++;
        w->st.busy_ticks++;
    }
    return true;
}

void
app_work_touch(struct app *a, size_t cost)
{
    a->book_dirty = true;
    if (a->work != NULL && cost > a->work->touch_cost)
        a->work->touch_cost = cost;
    app_wake(a);
}

/* The held prices into the book (loop thread, no worker busy). */
static void
app_work_flush(struct app_work *w)
{
    struct app *a = w->a;

    for (uint32_t i = 0; i < w->nlist; i++) {
        uint32_t s = w->list[i];

        (void)book_price_set(a->book, s, w->price[s], w->ts[s]);
        w->has[s] = false;
    }
    if (w->nlist > 0)
        a->book_dirty = true;
    w->nlist = 0;
    w->nheld = 0;
}

/* On the worker after the update: the alert rules judge the holders of
 * what moved, as app.c's settle does on the loop, their events kept. */
static void
app_work_judge(struct app_work *w)
{
    struct app *a = w->a;

    for (uint32_t s = 0; s < a->nsym; s++) {
        uint32_t g = book_symbol_generation(a->book, s);

        if (g == a->sym[s].gen)
            continue;
        a->sym[s].gen = g;
        if (!w->jflag[s]) {
            w->jflag[s] = true;
            w->jlist[w->njlist++] = s;
        }
    }
    if (w->njlist > 0 || w->judge_all) {
        alerts_defer(a->alerts, true);
        alerts_tick(a->alerts, w->jlist, w->njlist, w->jts);
        alerts_defer(a->alerts, false);
    }
    for (uint32_t i = 0; i < w->njlist; i++)
        w->jflag[w->jlist[i]] = false;
    w->njlist = 0;
}

/* Loop thread, as the worker is queued: the symbols the ticks moved
 * handed over to its judging. */
static void
app_work_judge_take(struct app_work *w)
{
    struct app *a = w->a;

    w->judge = a->alerts != NULL;
    if (!w->judge)
        return;
    w->judge_all = !a->alerts_started;
    a->alerts_started = true;
    for (uint32_t i = 0; i < a->nmoved; i++) {
        uint32_t s = a->moved[i];

        a->sym[s].moved = false;
        w->jflag[s] = true;
        w->jlist[w->njlist++] = s;
    }
    a->nmoved = 0;
    w->jts = a->newest_ts_ms;
    if (w->jts == 0) {
        struct timespec ts;

        clock_gettime(CLOCK_REALTIME, &ts);
        w->jts = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
    }
}

/* The worker could not be queued: the symbols back to the loop's list. */
static void
app_work_judge_undo(struct app_work *w)
{
    struct app *a = w->a;

    for (uint32_t i = 0; i < w->njlist; i++) {
        uint32_t s = w->jlist[i];

        w->jflag[s] = false;
        if (!a->sym[s].moved) {
            a->sym[s].moved = true;
            a->moved[a->nmoved++] = s;
        }
    }
    w->njlist = 0;
    if (w->judge_all)
        a->alerts_started = false;
    w->judge = false;
}

static void
app_work_run(uv_work_t *req)
{
    struct app_work *w = req->data;
    struct timespec t0, t1;

    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t0);
    (void)book_update(w->a->book);
    if (w->judge)
        app_work_judge(w);
    if (w->also != NULL)
        w->also(w->also_ctx);
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t1);
    /* the worker's alone: read by the loop only after the post below */
    w->cpu_ns = (uint64_t)(t1.tv_sec - t0.tv_sec) * 1000000000u +
                (uint64_t)t1.tv_nsec - (uint64_t)t0.tv_nsec;
    uv_sem_post(&w->done);
}

/* The worker is done (it posted): the book is the loop's again. */
static void
app_work_complete(struct app_work *w)
{
    struct app *a = w->a;

    uv_sem_wait(&w->done);
    w->busy = false;
    w->st.last_ns = uv_hrtime() - w->started_ns;
    w->st.last_cpu_ns = w->cpu_ns;
    if (a->on_busy != NULL)
        a->on_busy(a, false);
    if (!a->stop_requested)
        app_settle_finish(a); /* the judging's events told there */
    w->judge = false;
    w->st.busy_ticks = 0;
    if (w->nlist > 0 || a->book_dirty)
        app_wake(a); /* what came meanwhile: one more settle */
}

static void
app_work_after(uv_work_t *req, int status)
{
    struct app_work *w = req->data;

    (void)status; /* never cancelled: the book is updated either way */
    w->in_flight = false;
    if (w->busy)
        app_work_complete(w);
}

void
app_work_join(struct app *a)
{
    if (a->work != NULL && a->work->busy)
        app_work_complete(a->work);
}

bool
app_work_settle(struct app *a)
{
    struct app_work *w = a->work;
    size_t cost;

    if (w == NULL)
        return false;
    cost = w->touch_cost;
    for (uint32_t i = 0; i < w->nlist; i++) {
        uint32_t n = 0;

        (void)book_holders(a->book, w->list[i], &n);
        cost += n;
    }
    if (w->nlist == 0 && !a->book_dirty)
        return false;
    /* A request still in libuv's hands (joined early) cannot be queued
     * again: that rare update stays on the loop. */
    if (cost < w->min_cost || w->in_flight || a->stop_requested) {
        app_work_flush(w);
        w->touch_cost = 0;
        return false;
    }
    /* The UI keeps its picture of the book as it stands, then the book
     * is the worker's. */
    if (a->on_busy != NULL)
        a->on_busy(a, true);
    app_work_flush(w);
    w->touch_cost = 0;
    a->book_dirty = false;
    w->st.cost = cost < book_position_count(a->book)
                     ? cost
                     : book_position_count(a->book);
    w->st.offloaded++;
    w->started_ns = uv_hrtime();
    app_work_judge_take(w);
    w->busy = true;
    if (uv_queue_work(a->loop, &w->req, app_work_run, app_work_after) != 0) {
        /* no thread pool: the update on the loop, as without the mode */
        app_work_judge_undo(w);
        w->busy = false;
        a->book_dirty = true;
        if (a->on_busy != NULL)
            a->on_busy(a, false);
        return false;
    }
    w->in_flight = true;
    return true;
}

void
app_work_stats(const struct app *a, struct app_work_stats *out)
{
    memset(out, 0, sizeof(*out));
    if (a->work == NULL)
        return;
    *out = a->work->st;
    out->held_now = a->work->nheld;
}
