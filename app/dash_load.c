/*
 * dash_load.c: the dashboard's first load on a libuv worker, and the
 * loading screen drawn meanwhile (dash_load.h).
 *
 * Owns struct dash_load. The worker makes the book and everything that
 * visits every position before the first frame (the first valuation,
 * the table's orders, the event log's first look); the loop thread only
 * reads the atomics until the after callback, never the book. Never
 * draws to the terminal (dash.c does).
 */
#include "app/dash_load.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "app/portfolio.h"
#include "tui/fmt.h"
#include "tui/view.h"

/* The loading thread's watch (portfolio.h): the count so far, and
 * whether to go on. */
static bool
dash_load_watch(void *ctx, uint32_t positions)
{
    struct dash_load *l = ctx;

    /* the document is read: what follows is the positions file */
    if (atomic_load(&l->stage) == DASH_LOAD_READ && l->o->positions != NULL)
        atomic_store(&l->stage, DASH_LOAD_LINES);
    atomic_store(&l->positions, positions);
    return !atomic_load(&l->stop);
}

static void
dash_load_run(uv_work_t *req)
{
    struct dash_load *l = req->data;
    struct portfolio_watch w = {dash_load_watch, l};
    struct timespec t0, t1;
    struct ui tmp;

    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t0);
    l->book = cmd_common_load_watched(l->o, &w, l->err, sizeof(l->err));
    if (l->book == NULL)
        goto out;
    atomic_store(&l->positions, book_position_count(l->book));
    atomic_store(&l->stage, DASH_LOAD_VALUE);
    if (atomic_load(&l->stop))
        goto out;
    book_update(l->book);
    atomic_store(&l->stage, DASH_LOAD_INDEX);
    if (atomic_load(&l->stop))
        goto out;
    /* ui_prepare's orders, made on a ui of its own: dash.c's is the
     * loop's, and takes them after */
    memset(&tmp, 0, sizeof(tmp));
    tmp.book = l->book;
    ui_prepare(&tmp);
    l->ord = tmp.ord;
    if (atomic_load(&l->stop))
        goto out;
    eventlog_init(&l->log, l->book);
    l->has_log = true;
    atomic_store(&l->stage, DASH_LOAD_DONE);
out:
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t1);
    l->cpu_ns = (uint64_t)(t1.tv_sec - t0.tv_sec) * 1000000000u +
                (uint64_t)t1.tv_nsec - (uint64_t)t0.tv_nsec;
}

static void
dash_load_close(struct dash_load *l)
{
    if (!l->handles_open)
        return;
    l->handles_open = false;
    uv_close((uv_handle_t *)&l->show, NULL);
    uv_close((uv_handle_t *)&l->sigint, NULL);
    uv_close((uv_handle_t *)&l->sigterm, NULL);
}

static void
dash_load_after(uv_work_t *req, int status)
{
    struct dash_load *l = req->data;

    (void)status; /* never cancelled: the worker runs to an end */
    l->in_flight = false;
    l->wall_ns = uv_hrtime() - l->started_ns;
    if (atomic_load(&l->stop)) {
        dash_load_free(l); /* nobody takes it */
        snprintf(l->err, sizeof(l->err), "the load was stopped");
    } else if (l->book == NULL) {
        dash_load_free(l);
    }
    if (l->on_done != NULL)
        l->on_done(l->ctx);
    /* closed after: the hook starts the application's own signals first */
    dash_load_close(l);
}

/* A few times a second: the progress redrawn when it moved. */
static void
dash_load_show_cb(uv_timer_t *t)
{
    struct dash_load *l = t->data;
    uint32_t n = atomic_load(&l->positions);
    int st = atomic_load(&l->stage);

    if (n == l->shown_positions && st == l->shown_stage)
        return;
    if (l->on_show != NULL)
        l->on_show(l->ctx);
}

static void
dash_load_signal_cb(uv_signal_t *h, int sig)
{
    struct dash_load *l = h->data;

    l->signal = sig;
    if (l->on_stop != NULL)
        l->on_stop(l->ctx);
}

int
dash_load_start(struct dash_load *l, uv_loop_t *loop,
                const struct cmd_book_opts *o, void *ctx)
{
    int rc;

    l->loop = loop;
    l->o = o;
    l->ctx = ctx;
    l->req.data = l->show.data = l->sigint.data = l->sigterm.data = l;
    l->shown_stage = -1;
    rc = uv_timer_init(loop, &l->show);
    if (rc != 0)
        return rc;
    if ((rc = uv_signal_init(loop, &l->sigint)) != 0) {
        uv_close((uv_handle_t *)&l->show, NULL);
        return rc;
    }
    if ((rc = uv_signal_init(loop, &l->sigterm)) != 0) {
        uv_close((uv_handle_t *)&l->show, NULL);
        uv_close((uv_handle_t *)&l->sigint, NULL);
        return rc;
    }
    l->handles_open = true;
    l->started_ns = uv_hrtime();
    rc = uv_queue_work(loop, &l->req, dash_load_run, dash_load_after);
    if (rc == 0)
        rc = uv_timer_start(&l->show, dash_load_show_cb, DASH_LOAD_SHOW_MS,
                            DASH_LOAD_SHOW_MS);
    if (rc == 0)
        l->in_flight = true;
    if (rc == 0)
        rc = uv_signal_start(&l->sigint, dash_load_signal_cb, SIGINT);
    if (rc == 0)
        rc = uv_signal_start(&l->sigterm, dash_load_signal_cb, SIGTERM);
    if (rc != 0 && !l->in_flight)
        dash_load_close(l);
    return l->in_flight ? 0 : rc;
}

bool
dash_load_busy(const struct dash_load *l)
{
    return l->in_flight;
}

void
dash_load_stop(struct dash_load *l)
{
    atomic_store(&l->stop, true);
    dash_load_close(l);
}

void
dash_load_free(struct dash_load *l)
{
    if (l->has_log)
        eventlog_done(&l->log);
    l->has_log = false;
    book_order_free(l->ord);
    l->ord = NULL;
    book_free(l->book);
    l->book = NULL;
}

/* The file being read: its last path element. */
static const char *
dash_load_base(const char *path)
{
    const char *s = strrchr(path, '/');

    return s != NULL && s[1] != '\0' ? s + 1 : path;
}

void
dash_load_text(const struct dash_load *l, char *buf, size_t cap)
{
    char n[32];
    int st = atomic_load(&l->stage);
    const char *file =
        st == DASH_LOAD_LINES ? l->o->positions : l->o->portfolio;

    fmt_count(n, sizeof(n), atomic_load(&l->positions));
    if (strcmp(file, "-") == 0)
        file = "<stdin>";
    switch (st) {
    case DASH_LOAD_READ:
    case DASH_LOAD_LINES:
        snprintf(buf, cap, "loading %.200s: %s positions...",
                 dash_load_base(file), n);
        break;
    case DASH_LOAD_VALUE:
        snprintf(buf, cap, "valuing and ranking %s positions...", n);
        break;
    default:
        snprintf(buf, cap, "indexing %s positions for the table...", n);
        break;
    }
}

unsigned
dash_load_key(struct dash_load *l, struct ui *u, const struct keymap *km,
              int key, uint64_t now_ms)
{
    enum action a = input_action(km, key);

    /* the help: its own keys (search, scroll, close) need no book */
    if (u->help || u->edit == EDIT_HELP)
        return ui_key(u, km, key, now_ms);
    /* q and the help at once, unless a key waits: after "/", a q is
     * the filter's text, and the keys keep their order */
    if (l->nkeys == 0 && a == ACT_QUIT)
        return DIRTY_QUIT;
    if (l->nkeys == 0 && a == ACT_HELP) {
        u->help = true;
        return DIRTY_ALL;
    }
    if (l->nkeys == DASH_LOAD_KEYS) {
        l->dropped++;
        return 0;
    }
    l->keys[l->nkeys++] = key;
    return DIRTY_STATUS;
}

int
dash_load_take_keys(struct dash_load *l, int *keys, int cap)
{
    int n = l->nkeys < cap ? l->nkeys : cap;

    memcpy(keys, l->keys, (size_t)n * sizeof(*keys));
    l->nkeys = 0;
    return n;
}

void
dash_load_draw(struct dash_load *l, struct frame *f, const struct layout *lay,
               struct ui *u, const struct keymap *km, uint64_t now_ms)
{
    char text[300], hint[200];
    int row = lay->table.row + 1;
    bool msg = u->msg[0] != '\0' && now_ms < u->msg_until_ms;

    l->shown_positions = atomic_load(&l->positions);
    l->shown_stage = atomic_load(&l->stage);
    frame_clear(f, ROLE_TEXT);
    frame_fill(f, 0, 0, f->cols, ' ', ROLE_HEADER);
    frame_put(f, 0, 1, f->cols - 2, ROLE_HEADER, "liqtop");
    dash_load_text(l, text, sizeof(text));
    frame_put(f, row < lay->status.row ? row : 0, 2, f->cols - 4, ROLE_TEXT,
              text);
    if (l->nkeys == 0)
        snprintf(hint, sizeof(hint),
                 "the book is loading: q quits, ? shows the keys; the "
                 "ranking and the feeds follow");
    else
        snprintf(hint, sizeof(hint),
                 "the book is loading: %d key%s wait for it%s", l->nkeys,
                 l->nkeys == 1 ? "" : "s",
                 l->dropped != 0 ? " (more were dropped)" : "");
    frame_fill(f, lay->status.row, 0, f->cols, ' ', ROLE_STATUS);
    /* a bad theme or config said at start shows over the hint */
    frame_put(f, lay->status.row, 0, f->cols,
              msg && u->msg_error ? ROLE_WARNING : ROLE_STATUS,
              msg ? u->msg : hint);
    if (u->help)
        view_help(f, lay, u, km);
}
