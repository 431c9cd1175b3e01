/*
 * dash_work.c: the dashboard's picture while a worker has the book
 * (dash_work.h): the last consistent screen, the table's rows around the
 * cursor drawn ahead by the table's own view, moving keys answered on
 * them, the other keys kept in order for after.
 *
 * Owns struct dash_pic. Touches the book only in dash_work_begin, before
 * the worker takes it; never draws to the terminal (dash.c does).
 */
#include "app/dash_work.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/liq.h"
#include "tui/fmt.h"
#include "tui/view.h"

void
dash_work_done(struct dash_pic *p)
{
    frame_free(p->saved);
    frame_free(p->win);
    free(p->ids);
    memset(p, 0, sizeof(*p));
}

/* Table rows on screen (below the column heads). */
static uint32_t
dash_work_page(const struct layout *l)
{
    return l->table.rows > 1 ? (uint32_t)(l->table.rows - 1) : 1;
}

void
dash_work_begin(struct dash_pic *p, struct ui *u, const struct layout *l,
                const struct frame *shown)
{
    uint32_t page = dash_work_page(l), cur = u->top, lo, hi, keep;
    uint32_t top = u->top, saved_page = u->page;
    char saved_sel[sizeof(u->selected)];
    struct layout tall;

    dash_work_done(p);
    if (shown == NULL || shown->rows != l->rows || shown->cols != l->cols)
        return;
    p->saved = frame_new(shown->rows, shown->cols);
    memcpy(p->saved->cells, shown->cells,
           (size_t)shown->rows * (size_t)shown->cols * sizeof(*shown->cells));
    p->l = *l;
    p->on = true;
    if (u->norder == 0 || l->table.rows < 2)
        return; /* no rows to move over: the keys wait */
    (void)ui_selected_row(u, &cur);
    if (cur >= u->norder)
        cur = u->norder - 1;
    keep = DASH_WORK_PAGES * page;
    lo = (cur < top ? cur : top);
    lo = lo > keep ? lo - keep : 0;
    hi = (cur + 1 > top + page ? cur + 1 : top + page) + keep;
    if (hi > u->norder)
        hi = u->norder;
    p->norder = u->norder;
    p->first = lo;
    p->n = hi - lo;
    p->cur = cur;
    p->top = top;
    p->ids = calloc(p->n ? p->n : 1, sizeof(*p->ids));
    if (p->ids == NULL)
        liq_nomem();
    for (uint32_t i = 0; i < p->n; i++) {
        struct position pos;

        book_position_get(u->book, ui_row(u, lo + i), &pos);
        snprintf(p->ids[i], sizeof(p->ids[i]), "%s", pos.id);
    }
    /* The rows drawn by the table's view on a frame as tall as them, no
     * row selected (the cursor is laid over them when shown). */
    tall = *l;
    tall.rows = (int)p->n + 1;
    tall.table.row = 0;
    tall.table.rows = (int)p->n + 1;
    p->win = frame_new(tall.rows, l->cols);
    memcpy(saved_sel, u->selected, sizeof(saved_sel));
    u->selected[0] = '\0';
    u->top = lo;
    view_table(p->win, &tall, u);
    memcpy(u->selected, saved_sel, sizeof(saved_sel));
    u->top = top;
    u->page = saved_page;
}

/* Move the cursor to row to (clamped to the rows kept), the rows shown
 * following it. */
static unsigned
dash_work_move(struct dash_pic *p, int64_t to)
{
    uint32_t page = dash_work_page(&p->l), last = p->first + p->n - 1;

    if (to < (int64_t)p->first)
        to = p->first;
    if (to > (int64_t)last)
        to = last;
    p->cur = (uint32_t)to;
    if (p->cur < p->top)
        p->top = p->cur;
    if (p->cur >= p->top + page)
        p->top = p->cur - page + 1;
    p->moved = true;
    return DIRTY_TABLE;
}

static unsigned
dash_work_wait(struct dash_pic *p, int key)
{
    if (p->nkeys < DASH_WORK_KEYS)
        p->keys[p->nkeys++] = key;
    else
        p->dropped++;
    return DIRTY_STATUS;
}

unsigned
dash_work_key(struct dash_pic *p, const struct ui *u, const struct keymap *km,
              int key)
{
    enum action a = input_action(km, key);
    uint32_t page = dash_work_page(&p->l);
    bool typing = u->edit != EDIT_NONE || u->help;

    if (!typing && a == ACT_QUIT)
        return DIRTY_QUIT;
    /* Typing, and the preview's own keys (a page there steps the repay),
     * wait; so does a key before one that waited (keys keep their order). */
    if (!p->on || p->n == 0 || typing || p->nkeys > 0)
        return dash_work_wait(p, key);
    switch (a) {
    case ACT_UP:
        return dash_work_move(p, (int64_t)p->cur - 1);
    case ACT_DOWN:
        return dash_work_move(p, (int64_t)p->cur + 1);
    case ACT_PAGE_UP:
    case ACT_PAGE_DOWN:
        if (u->mode == UI_PREVIEW)
            return dash_work_wait(p, key);
        return dash_work_move(p, (int64_t)p->cur + (a == ACT_PAGE_UP
                                                        ? -(int64_t)page
                                                        : (int64_t)page));
    case ACT_TOP:
        if (p->first != 0)
            return dash_work_wait(p, key);
        return dash_work_move(p, 0);
    case ACT_BOTTOM:
        if (p->first + p->n != p->norder)
            return dash_work_wait(p, key);
        return dash_work_move(p, (int64_t)p->norder - 1);
    default:
        return dash_work_wait(p, key);
    }
}

void
dash_work_texts(const struct app_work_stats *st, char *msg, size_t mcap,
                char *note, size_t ncap)
{
    char num[16];

    snprintf(msg, mcap,
             "book updated in %llu ms (%llu ms CPU) off the loop; %llu "
             "ticks that came meanwhile follow",
             (unsigned long long)(st->last_ns / 1000000),
             (unsigned long long)(st->last_cpu_ns / 1000000),
             (unsigned long long)st->busy_ticks);
    fmt_count(num, sizeof(num), st->cost);
    snprintf(note, ncap,
             "book updated off the loop: %s positions in %llu ms (%llu ms "
             "CPU)",
             num, (unsigned long long)(st->last_ns / 1000000),
             (unsigned long long)(st->last_cpu_ns / 1000000));
}

void
dash_work_draw(const struct dash_pic *p, struct frame *f,
               const struct app_work_stats *st)
{
    const struct layout *l = &p->l;
    int body = l->table.row + 1, page = (int)dash_work_page(l);
    char n[32], status[200];

    fmt_count(n, sizeof(n), st->cost);
    snprintf(status, sizeof(status),
             "updating the book (%s positions to value): moves answer now; "
             "%d keys, %llu ticks wait",
             n, p->nkeys, (unsigned long long)st->busy_ticks);

    if (!p->on || f->rows != p->saved->rows || f->cols != p->saved->cols)
        return;
    memcpy(f->cells, p->saved->cells,
           (size_t)f->rows * (size_t)f->cols * sizeof(*f->cells));
    for (int r = 0; p->n > 0 && r < page && r < l->table.rows - 1; r++) {
        uint32_t row = p->top + (uint32_t)r;

        if (row < p->first || row >= p->first + p->n) {
            frame_fill(f, body + r, 0, f->cols, ' ', ROLE_TEXT);
            continue;
        }
        memcpy(
            &f->cells[(size_t)(body + r) * (size_t)f->cols],
            &p->win->cells[(size_t)(row - p->first + 1) * (size_t)p->win->cols],
            (size_t)f->cols * sizeof(*f->cells));
        if (row == p->cur)
            frame_role(f, body + r, 0, f->cols, ROLE_SELECTED);
    }
    if (l->pane.rows > 1) {
        frame_fill(f, l->pane.row + 1, 0, f->cols, ' ', ROLE_TEXT);
        frame_put(f, l->pane.row + 1, 2, f->cols - 4, ROLE_DIM,
                  p->moved ? "(this pane follows the cursor once the book "
                             "is updated)"
                           : "(the book is being updated)");
    }
    frame_fill(f, l->status.row, 0, f->cols, ' ', ROLE_STATUS);
    frame_put(f, l->status.row, 0, f->cols, ROLE_WARNING, status);
}

int
dash_work_end(struct dash_pic *p, struct ui *u, int *keys, int cap)
{
    int n = p->nkeys < cap ? p->nkeys : cap;

    if (p->on && p->moved && p->cur >= p->first && p->cur < p->first + p->n) {
        snprintf(u->selected, sizeof(u->selected), "%s",
                 p->ids[p->cur - p->first]);
        u->top = p->top;
        u->pv_debt = u->pv_coll = -1;
        u->pv_has_repay = false;
    }
    memcpy(keys, p->keys, (size_t)n * sizeof(*keys));
    dash_work_done(p);
    return n;
}
