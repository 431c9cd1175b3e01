/*
 * attach_dash.c: liqtop --attach URL [--theme NAME] [--stale-after S]
 * [--top K]: the dashboard over the merged ranking of app/shard_view.c,
 * drawn by tui/view_attach.c.
 *
 * Owns what the terminal's handles do (their loop side is screen.c's: a
 * key, a frame at most 30 times a second, each second's ages, a resize,
 * the terminal's end), SIGINT and SIGTERM, the selection (a
 * position id, followed while ranks move), the preview pane's round trip
 * to the worker holding the position, and the log of workers' states.
 * Callbacks only change state and set dirty bits; every exit restores the
 * terminal.
 */
#include "app/attach_dash.h"

#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <uv.h>

#include "app/cmd_common.h"
#include "app/screen.h"
#include "app/shard_view.h"
#include "app/themefile.h"
#include "core/decimal.h"
#include "core/liq.h"
#include "tui/fmt.h"
#include "tui/input.h"
#include "tui/term.h"
#include "tui/view_attach.h"

#define ATTACH_LOG_MAX 64
#define ATTACH_PV_REFRESH_MS 1000 /* a shown preview asked again */

struct attach_seen {
    char field[32];
    char state[32];
};

struct attach_dash {
    uv_loop_t loop;
    struct shard_view v;
    struct keymap km;
    struct theme theme;
    int theme_idx;
    struct layout layout;
    struct frame *frame;
    struct screen scr; /* keys, frames, the second, SIGWINCH */
    uv_signal_t sigint, sigterm;
    bool signals_open, stopping, dirty;
    int rows, cols, signal;
    const char *url;

    char selected[160];
    size_t sel, top;
    bool pane, help, redact;
    uint64_t page;

    char pv_id[160];
    char *pv_text;
    bool pv_waiting;
    uint64_t pv_asked_ms;

    char msg[300];
    bool msg_error;
    uint64_t msg_until;

    struct attach_seen *seen;
    size_t nseen;
    char log[ATTACH_LOG_MAX][160];
    size_t nlog;
};

static void
attach_dash_log(struct attach_dash *d, const char *text)
{
    time_t t = time(NULL);
    struct tm tm;
    char ts[16];

    localtime_r(&t, &tm);
    strftime(ts, sizeof ts, "%H:%M:%S", &tm);
    if (d->nlog == ATTACH_LOG_MAX) {
        memmove(d->log[0], d->log[1], sizeof d->log[0] * (ATTACH_LOG_MAX - 1));
        d->nlog--;
    }
    snprintf(d->log[d->nlog++], sizeof d->log[0], "%s  %.140s", ts, text);
}

/* What the header says of worker w. */
static const char *
attach_dash_state(const struct shard_worker *w)
{
    return w->stale ? "stale" : w->state;
}

/* Workers whose state changed since the log last said. */
static void
attach_dash_note_workers(struct attach_dash *d)
{
    for (size_t i = 0; i < d->v.nw; i++) {
        const struct shard_worker *w = &d->v.w[i];
        const char *st = attach_dash_state(w);
        struct attach_seen *s = NULL;
        char line[160];

        for (size_t k = 0; k < d->nseen && s == NULL; k++)
            if (strcmp(d->seen[k].field, w->field) == 0)
                s = &d->seen[k];
        if (s == NULL) {
            d->seen = realloc(d->seen, (d->nseen + 1) * sizeof *d->seen);
            if (d->seen == NULL)
                liq_nomem();
            s = &d->seen[d->nseen++];
            memset(s, 0, sizeof *s);
            snprintf(s->field, sizeof s->field, "%s", w->field);
        }
        if (strcmp(s->state, st) == 0)
            continue;
        snprintf(s->state, sizeof s->state, "%s", st);
        if (w->stale)
            snprintf(line, sizeof line,
                     "shard %s: stale, no heartbeat for %llu s: its rows "
                     "leave the ranking",
                     w->field, (unsigned long long)(d->v.stale_ms / 1000));
        else {
            char n[48];

            fmt_count_noun(n, sizeof n, w->positions, "position", "positions");
            snprintf(line, sizeof line, "shard %s: %s (%s)", w->field, st, n);
        }
        attach_dash_log(d, line);
    }
}

/* The selection follows its id through a new merge. */
static void
attach_dash_follow(struct attach_dash *d)
{
    size_t n = d->v.nmerged;

    for (size_t i = 0; i < n && d->selected[0] != '\0'; i++) {
        if (strcmp(d->v.merged[i]->id, d->selected) == 0) {
            d->sel = i;
            return;
        }
    }
    if (n == 0) {
        d->sel = 0;
        return;
    }
    if (d->sel >= n)
        d->sel = n - 1;
    snprintf(d->selected, sizeof d->selected, "%s", d->v.merged[d->sel]->id);
}

static void
attach_dash_changed(void *arg)
{
    struct attach_dash *d = arg;

    attach_dash_note_workers(d);
    attach_dash_follow(d);
    d->dirty = true;
}

static void
attach_dash_answer(void *arg, int status, const char *text, size_t len)
{
    struct attach_dash *d = arg;

    d->pv_waiting = false;
    free(d->pv_text);
    d->pv_text = malloc(len + 1);
    if (d->pv_text == NULL)
        liq_nomem();
    memcpy(d->pv_text, text, len);
    d->pv_text[len] = '\0';
    if (status != 0)
        snprintf(d->msg, sizeof d->msg, "preview: %s", d->pv_text);
    d->dirty = true;
}

/* Ask for the selected position's preview when the pane shows another,
 * or its answer is older than a second. */
static void
attach_dash_ask(struct attach_dash *d)
{
    struct shard_preview_req q;
    uint64_t now = uv_now(&d->loop);
    int rc;

    if (!d->pane || d->selected[0] == '\0' || d->pv_waiting)
        return;
    if (strcmp(d->pv_id, d->selected) == 0 &&
        now - d->pv_asked_ms < ATTACH_PV_REFRESH_MS)
        return;
    memset(&q, 0, sizeof q);
    q.position = d->selected;
    q.table = true;
    if (strcmp(d->pv_id, d->selected) != 0) {
        free(d->pv_text);
        d->pv_text = NULL;
    }
    snprintf(d->pv_id, sizeof d->pv_id, "%s", d->selected);
    d->pv_asked_ms = now;
    rc = shard_view_preview(&d->v, &q, attach_dash_answer, d);
    if (rc == 0) {
        d->pv_waiting = true;
        return;
    }
    free(d->pv_text);
    d->pv_text =
        strdup(rc == LIQ_ENOENT ? "no publishing worker holds this position's "
                                  "shard now"
                                : "Redis does not answer: the preview waits");
    if (d->pv_text == NULL)
        liq_nomem();
}

static void
attach_dash_figure(struct attach_figure *f, const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    const char *dot;
    size_t len;

    memset(f, 0, sizeof *f);
    if (!cJSON_IsString(v))
        return;
    len = strlen(v->valuestring);
    dot = strchr(v->valuestring, '.');
    f->decimals =
        dot != NULL ? (unsigned)(len - (size_t)(dot + 1 - v->valuestring)) : 0;
    f->known =
        f->decimals <= 77 && decimal_parse(&f->raw, v->valuestring, len,
                                           f->decimals, DECIMAL_EXACT) == 0;
}

static void
attach_dash_row(struct attach_row_info *ri, const struct shard_row *r,
                const struct shard_view *v)
{
    const cJSON *o = r->item, *lp, *label, *market;

    memset(ri, 0, sizeof *ri);
    ri->id = r->id;
    label = cJSON_GetObjectItemCaseSensitive(o, "label");
    market = cJSON_GetObjectItemCaseSensitive(o, "market");
    ri->label = cJSON_IsString(label) ? label->valuestring : "";
    ri->market = cJSON_IsString(market) ? market->valuestring : "";
    ri->shard = v->w[r->worker].field;
    ri->priced = r->cls != 2;
    ri->has_debt = r->cls == 0;
    ri->hf = r->hf;
    ri->bad_debt =
        cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "bad_debt"));
    if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "liquidatable")))
        ri->tier = TIER_LIQUIDATABLE;
    else if (cJSON_IsTrue(
                 cJSON_GetObjectItemCaseSensitive(o, "pre_liquidatable")))
        ri->tier = TIER_PRE;
    else {
        ri->tier = health_tier(r->hf, ri->has_debt);
        if (ri->tier == TIER_LIQUIDATABLE)
            ri->tier = TIER_DANGER; /* the model's verdict rules */
    }
    attach_dash_figure(&ri->coll, o, "collateral_value");
    attach_dash_figure(&ri->debt, o, "debt_value");
    /* The first collateral with a liquidation price. */
    lp = cJSON_GetObjectItemCaseSensitive(o, "liquidation_price");
    for (const cJSON *c = lp != NULL ? lp->child : NULL; c != NULL;
         c = c->next) {
        if (!cJSON_IsString(c) && ri->lp_sym != NULL)
            continue;
        ri->lp_sym = c->string;
        attach_dash_figure(&ri->lp, lp, c->string);
        if (ri->lp.known)
            break;
    }
}

static void
attach_dash_draw(struct attach_dash *d)
{
    uint64_t now = uv_now(&d->loop);
    struct attach_screen s;
    struct attach_worker_info *wi;
    struct attach_row_info *ri;
    const char *logp[ATTACH_LOG_MAX];
    char title[300];

    layout_compute(&d->layout, d->cols, d->rows, d->pane);
    if (d->frame == NULL || d->frame->rows != d->layout.rows ||
        d->frame->cols != d->layout.cols) {
        frame_free(d->frame);
        d->frame = frame_new(d->layout.rows, d->layout.cols);
    }
    wi = calloc(d->v.nw ? d->v.nw : 1, sizeof *wi);
    ri = calloc(d->v.nmerged ? d->v.nmerged : 1, sizeof *ri);
    if (wi == NULL || ri == NULL)
        liq_nomem();
    for (size_t i = 0; i < d->v.nw; i++) {
        const struct shard_worker *w = &d->v.w[i];

        wi[i].shard = w->field;
        wi[i].state = attach_dash_state(w);
        wi[i].down = w->stale || (strcmp(w->state, "live") != 0 &&
                                  strcmp(w->state, "ended") != 0);
        wi[i].age_ms = now - w->seen_ms;
    }
    for (size_t i = 0; i < d->v.nmerged; i++)
        attach_dash_row(&ri[i], d->v.merged[i], &d->v);
    for (size_t i = 0; i < d->nlog; i++)
        logp[i] = d->log[i];
    memset(&s, 0, sizeof s);
    s.source = d->url;
    s.link_up = d->v.link.up;
    s.workers = wi;
    s.nworkers = d->v.nw;
    s.total = d->v.counts.total;
    s.liquidatable = d->v.counts.liquidatable;
    s.at_risk = d->v.counts.at_risk;
    s.pre = d->v.counts.pre;
    s.complete = d->v.complete;
    s.rows = ri;
    s.nrows = d->v.nmerged;
    s.selected = d->sel;
    s.top = d->top;
    s.redact = d->redact;
    if (d->pane) {
        snprintf(title, sizeof title,
                 " preview of %.120s, computed by the worker holding it%s ",
                 d->pv_id, d->pv_waiting ? " (asking)" : "");
        s.pane_title = title;
        s.pane_text = d->pv_text != NULL ? d->pv_text : "asking the worker...";
    }
    s.log = logp;
    s.nlog = d->nlog;
    if (d->msg[0] != '\0' && now < d->msg_until) {
        s.status = d->msg;
        s.status_error = d->msg_error;
    } else if (!d->v.link.up && d->v.link.error[0] != '\0') {
        s.status = d->v.link.error;
        s.status_error = true;
    }
    s.help = d->help;
    view_attach_render(d->frame, &d->layout, &s);
    d->top = s.top;
    d->page = s.page;
    term_draw(d->frame);
    free(wi);
    free(ri);
    d->dirty = false;
}

/* The screen's (screen.h): a frame is due while something is dirty. */
static bool
attach_dash_dirty_cb(void *ctx)
{
    struct attach_dash *d = ctx;

    return d->dirty && !d->stopping;
}

static void
attach_dash_draw_cb(void *ctx)
{
    attach_dash_draw(ctx);
}

static void
attach_dash_stop(struct attach_dash *d)
{
    if (d->stopping)
        return;
    d->stopping = true;
    term_stop();
    screen_close(&d->scr);
    if (d->signals_open) {
        d->signals_open = false;
        uv_close((uv_handle_t *)&d->sigint, NULL);
        uv_close((uv_handle_t *)&d->sigterm, NULL);
    }
    shard_view_stop(&d->v);
}

static void
attach_dash_message(struct attach_dash *d, bool error, const char *text)
{
    snprintf(d->msg, sizeof d->msg, "%.290s", text);
    d->msg_error = error;
    d->msg_until = uv_now(&d->loop) + 5000;
}

static void
attach_dash_move(struct attach_dash *d, int64_t delta)
{
    int64_t row = (int64_t)d->sel + delta;
    size_t n = d->v.nmerged;

    if (n == 0)
        return;
    if (row < 0)
        row = 0;
    if (row >= (int64_t)n)
        row = (int64_t)n - 1;
    d->sel = (size_t)row;
    snprintf(d->selected, sizeof d->selected, "%s", d->v.merged[d->sel]->id);
    attach_dash_ask(d);
}

static void
attach_dash_key(struct attach_dash *d, int key)
{
    enum action a = input_action(&d->km, key);
    int64_t page = d->page ? (int64_t)d->page : 1;

    if (d->help) {
        if (a == ACT_HELP || a == ACT_BACK || a == ACT_QUIT)
            d->help = false;
        return;
    }
    switch (a) {
    case ACT_QUIT:
        attach_dash_stop(d);
        return;
    case ACT_HELP:
        d->help = true;
        break;
    case ACT_UP:
        attach_dash_move(d, -1);
        break;
    case ACT_DOWN:
        attach_dash_move(d, 1);
        break;
    case ACT_PAGE_UP:
        attach_dash_move(d, -page);
        break;
    case ACT_PAGE_DOWN:
        attach_dash_move(d, page);
        break;
    case ACT_TOP:
        attach_dash_move(d, -(int64_t)d->v.nmerged);
        break;
    case ACT_BOTTOM:
        attach_dash_move(d, (int64_t)d->v.nmerged);
        break;
    case ACT_PREVIEW:
    case ACT_DETAIL:
        d->pane = !d->pane;
        d->pv_asked_ms = 0;
        d->pv_id[0] = '\0';
        attach_dash_ask(d);
        break;
    case ACT_BACK:
        d->pane = false;
        break;
    case ACT_REDACT:
        d->redact = !d->redact;
        break;
    case ACT_THEME: {
        char err[768];

        d->theme_idx = (d->theme_idx + 1) % THEME_BUILTIN_COUNT;
        if (themefile_load(&d->theme, theme_builtin_name(d->theme_idx), "t",
                           err, sizeof err) == 0)
            term_theme(&d->theme);
        break;
    }
    case ACT_NONE:
        return;
    default:
        attach_dash_message(d, false,
                            "an attached view holds no book: filters, "
                            "sorts and what-ifs belong to the workers");
        break;
    }
}

static bool
attach_dash_key_cb(void *ctx, int key)
{
    struct attach_dash *d = ctx;

    if (d->stopping)
        return true;
    if (key != KEY_MOUSE_) {
        attach_dash_key(d, key);
        d->dirty = true;
    }
    return d->stopping;
}

/* The terminal closed (its window, the ssh link): no key will come; the
 * view ends as a death by SIGHUP would, as the dashboard does. */
static void
attach_dash_gone_cb(void *ctx)
{
    struct attach_dash *d = ctx;

    d->signal = SIGHUP;
    attach_dash_stop(d);
}

static void
attach_dash_second_cb(void *ctx)
{
    struct attach_dash *d = ctx;

    /* Ages move; a shown preview is asked again. */
    attach_dash_note_workers(d);
    attach_dash_ask(d);
    d->dirty = true;
}

static void
attach_dash_resized_cb(void *ctx)
{
    struct attach_dash *d = ctx;

    term_resize(&d->rows, &d->cols);
    d->dirty = true;
}

static void
attach_dash_signal_cb(uv_signal_t *h, int sig)
{
    struct attach_dash *d = h->data;

    d->signal = sig;
    attach_dash_stop(d);
}

static int
attach_dash_handles(struct attach_dash *d)
{
    static const struct screen_ops ops = {
        attach_dash_dirty_cb,  attach_dash_draw_cb,    attach_dash_key_cb,
        attach_dash_second_cb, attach_dash_resized_cb, attach_dash_gone_cb,
    };
    int rc = screen_start(&d->scr, &d->loop, &ops, d);

    if (rc == 0)
        rc = uv_signal_init(&d->loop, &d->sigint);
    if (rc == 0)
        rc = uv_signal_init(&d->loop, &d->sigterm);
    if (rc != 0)
        return rc;
    d->signals_open = true;
    d->sigint.data = d->sigterm.data = d;
    rc = uv_signal_start(&d->sigint, attach_dash_signal_cb, SIGINT);
    if (rc == 0)
        rc = uv_signal_start(&d->sigterm, attach_dash_signal_cb, SIGTERM);
    return rc;
}

int
attach_dash_main(int argc, char **argv)
{
    static const char *const with_value[] = {"--attach", "--theme",
                                             "--stale-after", "--top", NULL};
    struct attach_dash *d = calloc(1, sizeof *d);
    const char *opt, *val, *theme = NULL;
    struct cmd_args args;
    uint64_t stale_ms = 0;
    uint32_t top = 0;
    char err[768], cfg_theme[64] = "", cfg_err[512] = "";
    int rc, status = CMD_EXIT_OK;

    if (d == NULL)
        liq_nomem();
    cmd_common_args_init(&args, argc, argv);
    while ((rc = cmd_common_next(&args, with_value, &opt, &val, err,
                                 sizeof err)) == 1) {
        if (opt != NULL && strcmp(opt, "--attach") == 0) {
            d->url = val;
        } else if (opt != NULL && strcmp(opt, "--theme") == 0) {
            theme = val;
        } else if (opt != NULL && strcmp(opt, "--stale-after") == 0) {
            if (cmd_common_seconds(val, &stale_ms) != 0) {
                status = cmd_common_usage_error(
                    NULL, "--stale-after takes seconds above 0", val);
                goto out;
            }
        } else if (opt != NULL && strcmp(opt, "--top") == 0) {
            if (cmd_common_count(val, 100000, &top) != 0 || top == 0) {
                status = cmd_common_usage_error(
                    NULL, "--top takes 1 to 100000 positions", val);
                goto out;
            }
        } else {
            status = cmd_common_usage_error(
                NULL,
                opt == NULL ? "--attach takes no portfolio: the book lives in "
                              "the workers"
                            : "not an option of --attach",
                opt == NULL ? val : opt);
            goto out;
        }
    }
    if (rc < 0) {
        status = cmd_common_fail(NULL, err);
        goto out;
    }
    if (!isatty(STDOUT_FILENO)) {
        status = cmd_common_fail(NULL, "the dashboard needs a terminal; for "
                                       "scripts use liqtop attach URL");
        goto out;
    }
    setlocale(LC_ALL, "");
    if (uv_loop_init(&d->loop) != 0) {
        status = cmd_common_fail(NULL, "cannot start the event loop");
        goto out;
    }
    if (shard_view_start(&d->v, &d->loop, d->url, stale_ms, top, err,
                         sizeof err) != 0) {
        shard_view_stop(&d->v);
        uv_run(&d->loop, UV_RUN_DEFAULT);
        uv_loop_close(&d->loop);
        status = cmd_common_fail(NULL, err);
        goto out;
    }
    d->v.on_change = attach_dash_changed;
    d->v.arg = d;
    input_defaults(&d->km);
    (void)themefile_config(&d->km, cfg_theme, sizeof cfg_theme, cfg_err,
                           sizeof cfg_err);
    term_crash_restore();
    if (!term_start()) {
        status = cmd_common_fail(NULL, "cannot set up the terminal");
        attach_dash_stop(d);
    } else {
        const char *tn = theme != NULL          ? theme
                         : cfg_theme[0] != '\0' ? cfg_theme
                                                : "dark";

        for (int i = 0; i < THEME_BUILTIN_COUNT; i++)
            if (strcmp(theme_builtin_name(i), tn) == 0)
                d->theme_idx = i;
        if (themefile_load(&d->theme, tn, "--theme", err, sizeof err) != 0)
            attach_dash_message(d, true, err);
        if (getenv("NO_COLOR") != NULL && getenv("NO_COLOR")[0] != '\0')
            d->theme.color = false;
        term_theme(&d->theme);
        if (cfg_err[0] != '\0')
            attach_dash_message(d, true, cfg_err);
        term_resize(&d->rows, &d->cols);
        d->dirty = true;
        if (attach_dash_handles(d) != 0) {
            status = cmd_common_fail(NULL, "cannot start the loop");
            attach_dash_stop(d);
        }
    }
    uv_run(&d->loop, UV_RUN_DEFAULT);
    term_stop();
    if (status == CMD_EXIT_OK && d->signal != 0)
        status = 128 + d->signal;
    if (uv_loop_close(&d->loop) != 0)
        fputs("liqtop: event loop left handles open\n", stderr);
    shard_view_free(&d->v);
    frame_free(d->frame);
out:
    free(d->pv_text);
    free(d->seen);
    free(d);
    return status;
}
