/*
 * view_attach.c: the attached dashboard's screen (view_attach.h).
 *
 * Owns how the merged ranking, the workers and a worker's preview text
 * look. Draws from the plain data it is given; computes nothing about a
 * position (the figures are the workers').
 */
#include "tui/view_attach.h"

#include <stdio.h>
#include <string.h>

#include "tui/fmt.h"
#include "tui/view.h"

static void
view_attach_age(char *buf, size_t cap, uint64_t ms)
{
    if (ms < 10000)
        snprintf(buf, cap, "%llu.%llus", (unsigned long long)(ms / 1000),
                 (unsigned long long)(ms % 1000 / 100));
    else if (ms < 3600000)
        snprintf(buf, cap, "%llus", (unsigned long long)(ms / 1000));
    else
        snprintf(buf, cap, "%lluh", (unsigned long long)(ms / 3600000));
}

static void
view_attach_header(struct frame *f, const struct layout *l,
                   const struct attach_screen *s)
{
    int row = l->header.row, x = 0;
    char buf[160], src[300], total[48], liq[32], risk[32];

    frame_fill(f, row, 0, l->cols, ' ', ROLE_HEADER);
    x += frame_put(f, row, x, -1, ROLE_TITLE, " liqtop ");
    if (!s->link_up)
        x += frame_put(f, row, x, -1, ROLE_FEED_DOWN, " Redis reconnecting");
    /* Every worker first: its shard, state and age; a narrow screen
     * cuts the last. */
    for (size_t i = 0; i < s->nworkers && x < l->cols; i++) {
        const struct attach_worker_info *w = &s->workers[i];
        char age[16];

        view_attach_age(age, sizeof age, w->age_ms);
        snprintf(buf, sizeof buf, "  %s ", w->shard);
        x += frame_put(f, row, x, -1, ROLE_HEADER, buf);
        snprintf(buf, sizeof buf, "%s %s", w->state, age);
        x += frame_put(f, row, x, -1, w->down ? ROLE_FEED_DOWN : ROLE_FEED_LIVE,
                       buf);
    }
    if (s->nworkers == 0 && s->link_up)
        x += frame_put(f, row, x, -1, ROLE_FEED_DOWN,
                       "  no worker publishes yet");
    /* The source where it fits: else on the third row. */
    snprintf(src, sizeof src, "  attached %s ", s->source);
    if (l->header.rows < 3 && x + (int)strlen(src) <= l->cols)
        frame_put(f, row, x, -1, ROLE_HEADER, src);
    fmt_count_noun(total, sizeof total, s->total, "position", "positions");
    fmt_count(liq, sizeof liq, s->liquidatable);
    fmt_count(risk, sizeof risk, s->at_risk);
    if (l->header.rows > 1) {
        int y = row + 1, cx = 0;

        frame_fill(f, y, 0, l->cols, ' ', ROLE_HEADER);
        snprintf(buf, sizeof buf, " %s  ", total);
        cx += frame_put(f, y, cx, -1, ROLE_HEADER, buf);
        snprintf(buf, sizeof buf, "%s liquidatable", liq);
        cx += frame_put(
            f, y, cx, -1,
            s->liquidatable > 0 ? ROLE_TIER_LIQUIDATABLE : ROLE_HEADER, buf);
        snprintf(buf, sizeof buf, "  %s at risk", risk);
        cx += frame_put(f, y, cx, -1, ROLE_HEADER, buf);
        if (!s->complete)
            frame_put(f, y, cx, -1, ROLE_FEED_DOWN,
                      "  PARTIAL: a shard is missing or stale");
        if (l->header.rows > 2) {
            frame_fill(f, row + 2, 0, l->cols, ' ', ROLE_HEADER);
            int sx = frame_put(f, row + 2, 0, -1, ROLE_HEADER, src + 1);

            frame_put(f, row + 2, sx, -1, ROLE_DIM,
                      " merged lowest of every worker; previews computed by "
                      "the worker holding the position");
        }
    } else {
        snprintf(buf, sizeof buf, " %s  %s liq%s ", total, liq,
                 s->complete ? "" : "  PARTIAL");
        if (x + (int)strlen(buf) < l->cols)
            frame_put(f, row, l->cols - (int)strlen(buf), -1, ROLE_HEADER, buf);
    }
}

static void
view_attach_heads(struct frame *f, const struct layout *l, int row)
{
    static const char *const heads[COL_COUNT] = {
        [COL_ID] = "POSITION",
        [COL_MARKET] = "MARKET",
        [COL_HEALTH] = "HEALTH^",
        [COL_TIER] = "RISK",
        [COL_COLL] = "COLLATERAL",
        [COL_DEBT] = "DEBT",
        [COL_LIQPRICE] = "LIQ PRICE",
        [COL_DIST] = "SHARD",
        [COL_TREND] = "",
    };

    frame_fill(f, row, 0, l->cols, ' ', ROLE_COLUMN);
    for (int c = 0; c < COL_COUNT; c++) {
        if (!l->show[c])
            continue;
        if (c == COL_ID || c == COL_MARKET || c == COL_TIER)
            frame_put(f, row, l->x[c], l->width[c], ROLE_COLUMN, heads[c]);
        else
            frame_put_right(f, row, l->x[c], l->width[c], ROLE_COLUMN,
                            heads[c]);
    }
}

/* At a column's one scale (step), so a larger figure never reads
 * smaller than one above it. */
static void
view_attach_figure(char *buf, size_t cap, const struct attach_figure *v,
                   int step, bool redact)
{
    if (redact)
        snprintf(buf, cap, "***");
    else if (!v->known)
        snprintf(buf, cap, "-");
    else
        fmt_at_step(buf, cap, v->raw, v->decimals, 2, step);
}

static void
view_attach_row(struct frame *f, const struct layout *l,
                const struct attach_screen *s, int row,
                const struct attach_row_info *r, bool selected, const int *step)
{
    enum role base = selected ? ROLE_SELECTED : ROLE_TEXT;
    enum role tr = view_tier_role(r->tier);
    char buf[256];
    int mw = r->bad_debt ? 4 : 0;

    frame_fill(f, row, 0, l->cols, ' ', base);
    if (r->label != NULL && r->label[0] != '\0' && !s->redact)
        snprintf(buf, sizeof buf, "%s %s", r->id, r->label);
    else
        snprintf(buf, sizeof buf, "%s", r->id);
    if (mw >= l->width[COL_ID] - 4)
        mw = 0;
    frame_put(f, row, l->x[COL_ID], l->width[COL_ID] - mw, base, buf);
    if (mw > 0)
        frame_put(f, row, l->x[COL_ID] + l->width[COL_ID] - mw, mw,
                  selected ? base : ROLE_TIER_LIQUIDATABLE, " BAD");
    if (l->show[COL_MARKET])
        frame_put(f, row, l->x[COL_MARKET], l->width[COL_MARKET], base,
                  r->market);
    if (l->show[COL_DIST])
        frame_put_right(f, row, l->x[COL_DIST], l->width[COL_DIST], base,
                        r->shard);
    if (!r->priced) {
        frame_put(f, row, l->x[COL_HEALTH], -1, ROLE_STALE, "no price");
        return;
    }
    fmt_hf(buf, sizeof buf, r->hf, r->has_debt);
    frame_put_right(f, row, l->x[COL_HEALTH], l->width[COL_HEALTH],
                    selected ? base : tr, buf);
    frame_put(f, row, l->x[COL_TIER], l->width[COL_TIER], tr,
              view_tier_text(r->tier));
    if (l->show[COL_COLL]) {
        view_attach_figure(buf, sizeof buf, &r->coll, step[0], s->redact);
        frame_put_right(f, row, l->x[COL_COLL], l->width[COL_COLL], base, buf);
    }
    if (l->show[COL_DEBT]) {
        view_attach_figure(buf, sizeof buf, &r->debt, step[1], s->redact);
        frame_put_right(f, row, l->x[COL_DEBT], l->width[COL_DEBT], base, buf);
    }
    if (l->show[COL_LIQPRICE] && r->lp_sym != NULL) {
        char num[64];
        int w = l->width[COL_LIQPRICE] - frame_text_cells(r->lp_sym) - 1;

        if (r->lp.known)
            fmt_fit(num, sizeof num, r->lp.raw, r->lp.decimals, 2, w);
        else
            snprintf(num, sizeof num, "none");
        snprintf(buf, sizeof buf, "%s %s", r->lp_sym, num);
        frame_put_right(f, row, l->x[COL_LIQPRICE], l->width[COL_LIQPRICE],
                        base, buf);
    }
}

static void
view_attach_table(struct frame *f, const struct layout *l,
                  struct attach_screen *s)
{
    int rows = l->table.rows - 1;

    view_attach_heads(f, l, l->table.row);
    s->page = rows > 0 ? (uint32_t)rows : 1;
    if (s->nrows == 0) {
        frame_put(f, l->table.row + 1, 1, -1, ROLE_DIM,
                  s->link_up ? "no rows published yet"
                             : "Redis does not answer: retrying");
        return;
    }
    if (s->selected >= s->nrows)
        s->selected = s->nrows - 1;
    if (s->selected < s->top)
        s->top = s->selected;
    if (s->selected >= s->top + s->page)
        s->top = s->selected - s->page + 1;
    int step[2] = {0, 0};
    for (int r = 0; r < rows && s->top + (size_t)r < s->nrows; r++) {
        const struct attach_row_info *ri = &s->rows[s->top + (size_t)r];
        int s0 = ri->coll.known ? fmt_fit_step(ri->coll.raw, ri->coll.decimals,
                                               2, l->width[COL_COLL])
                                : 0;
        int s1 = ri->debt.known ? fmt_fit_step(ri->debt.raw, ri->debt.decimals,
                                               2, l->width[COL_DEBT])
                                : 0;

        step[0] = s0 > step[0] ? s0 : step[0];
        step[1] = s1 > step[1] ? s1 : step[1];
    }
    for (int r = 0; r < rows && s->top + (size_t)r < s->nrows; r++)
        view_attach_row(f, l, s, l->table.row + 1 + r,
                        &s->rows[s->top + (size_t)r],
                        s->top + (size_t)r == s->selected, step);
}

/* The pane: a title, then the text's lines as they are. */
static void
view_attach_pane(struct frame *f, const struct layout *l,
                 const struct attach_screen *s)
{
    const char *p = s->pane_text != NULL ? s->pane_text : "";
    int row = l->pane.row, end = l->pane.row + l->pane.rows;

    frame_fill(f, row, 0, l->cols, '-', ROLE_BORDER);
    frame_put(f, row, 2, l->cols - 4, ROLE_TITLE, s->pane_title);
    for (row++; row < end && *p != '\0'; row++) {
        const char *nl = strchr(p, '\n');
        size_t n = nl != NULL ? (size_t)(nl - p) : strlen(p);
        char line[512];

        snprintf(line, sizeof line, "%.*s", (int)(n < 511 ? n : 511), p);
        frame_fill(f, row, 0, l->cols, ' ', ROLE_TEXT);
        frame_put(f, row, 0, l->cols, ROLE_TEXT, line);
        p += n + (nl != NULL ? 1 : 0);
    }
}

static void
view_attach_log(struct frame *f, const struct layout *l,
                const struct attach_screen *s)
{
    int rows = l->events.rows - 1, row = l->events.row;
    size_t first = s->nlog > (size_t)rows ? s->nlog - (size_t)rows : 0;

    frame_fill(f, row, 0, l->cols, ' ', ROLE_COLUMN);
    frame_put(f, row, 0, -1, ROLE_COLUMN, "WORKERS");
    for (size_t i = first; i < s->nlog; i++)
        frame_put(f, ++row, 1, l->cols - 1, ROLE_DIM, s->log[i]);
}

static void
view_attach_help(struct frame *f, const struct layout *l)
{
    static const char *const lines[] = {
        "liqtop --attach: the merged view of sharded workers",
        "",
        "  j k, arrows   move        PgUp PgDn g G   page, top, bottom",
        "  p, Enter      preview the selected position (asked of the",
        "                worker that holds it, through Redis)",
        "  Esc           close the preview    r  redact amounts",
        "  t             theme                q  quit",
        "",
        "A worker whose heartbeat stops is marked stale and its rows",
        "leave the ranking until it publishes again. ? closes this.",
    };
    int n = (int)(sizeof lines / sizeof lines[0]);
    int top = l->rows > n + 2 ? (l->rows - n) / 2 : 0;

    for (int i = 0; i < n && top + i < l->rows - 1; i++) {
        frame_fill(f, top + i, 0, l->cols, ' ', ROLE_STATUS);
        frame_put(f, top + i, 2, l->cols - 2, i == 0 ? ROLE_TITLE : ROLE_STATUS,
                  lines[i]);
    }
}

void
view_attach_render(struct frame *f, const struct layout *l,
                   struct attach_screen *s)
{
    enum role sr = s->status_error ? ROLE_STATUS_ERROR : ROLE_STATUS;

    frame_clear(f, ROLE_TEXT);
    view_attach_header(f, l, s);
    view_attach_table(f, l, s);
    if (l->pane.rows > 0 && s->pane_title != NULL)
        view_attach_pane(f, l, s);
    if (l->events.rows > 0)
        view_attach_log(f, l, s);
    frame_fill(f, l->status.row, 0, l->cols, ' ', sr);
    frame_put(f, l->status.row, 0, l->cols, sr,
              s->status != NULL ? s->status
                                : " ? help  p preview  j/k move  q quit");
    if (s->help)
        view_attach_help(f, l);
}
