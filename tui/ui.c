/*
 * ui.c: the dashboard's state machine: keys change state and return dirty
 * bits; the displayed order follows the book's ranking unless frozen or
 * held for a moment after navigation, so rows never jump under the cursor.
 *
 * Owns the selection-by-id rule (htop's "following") and the keys (typing
 * into a prompt is ui_edit.c's), what-if shocks' included. Never draws.
 */
#include "tui/ui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/decimal.h"
#include "core/liq.h"
#include "tui/eventlog.h"
#include "tui/filter.h"
#include "tui/fmt.h"
#include "tui/ui_edit.h"

void
ui_init(struct ui *u, struct book *b)
{
    memset(u, 0, sizeof(*u));
    u->book = b;
    u->pv_debt = u->pv_coll = -1;
    u->page = 10;
    u->ntrend = book_position_count(b);
    u->hf_seen = calloc(u->ntrend ? u->ntrend : 1, sizeof(*u->hf_seen));
    u->trend = calloc(u->ntrend ? u->ntrend : 1, sizeof(*u->trend));
    u->nstale = book_symbol_count(b);
    u->stale = calloc(u->nstale ? u->nstale : 1, 1);
    if (u->hf_seen == NULL || u->trend == NULL || u->stale == NULL)
        liq_nomem();
}

void
ui_done(struct ui *u)
{
    book_order_free(u->ord);
    free(u->order);
    free(u->hf_seen);
    free(u->trend);
    free(u->stale);
    memset(u, 0, sizeof(*u));
}

void
ui_prepare(struct ui *u)
{
    struct book_filter none;

    memset(&none, 0, sizeof(none));
    if (u->ord == NULL)
        u->ord = book_order_new(u->book);
    book_order_set(u->ord, &none, BOOK_ORDER_HEALTH);
    (void)book_order_refresh(u->ord, SIZE_MAX);
    book_order_prepare_sorts(u->ord);
}

bool
ui_note_stale(struct ui *u, const struct ui_info *info)
{
    bool changed = false;

    if (u->ord == NULL || info->stale == NULL)
        return false;
    for (uint32_t s = 0; s < book_symbol_count(u->book); s++) {
        bool st = info->stale(info->ctx, s);

        (void)book_order_stale(u->ord, s, st);
        if (s < u->nstale && u->stale[s] != st) {
            u->stale[s] = st;
            changed = true;
        }
    }
    return changed;
}

bool
ui_idle(struct ui *u)
{
    return u->ord != NULL && book_order_refresh(u->ord, 100000) > 0;
}

void
ui_message(struct ui *u, bool error, uint64_t now_ms, const char *text)
{
    size_t n = strlen(u->msg);

    /* A second error while the first still shows joins it (a bad theme
     * and a bad config at start both show). */
    if (error && u->msg_error && n > 0 && now_ms < u->msg_until_ms &&
        strstr(u->msg, text) == NULL)
        snprintf(u->msg + n, sizeof(u->msg) - n, "; %s", text);
    else
        snprintf(u->msg, sizeof(u->msg), "%s", text);
    u->msg_error = error;
    u->msg_until_ms = now_ms + 5000;
}

void
ui_message_clear_error(struct ui *u)
{
    if (u->msg_error) {
        u->msg[0] = '\0';
        u->msg_error = false;
        u->msg_until_ms = 0;
    }
}

uint32_t
ui_row(struct ui *u, uint32_t i)
{
    if (u->live)
        return book_rank_at(u->book, u->reverse ? u->norder - 1 - i : i);
    if (u->use_ord)
        return book_order_at(u->ord, i, u->reverse);
    return u->order[i];
}

bool
ui_selected_row(struct ui *u, uint32_t *row)
{
    uint32_t idx, r;

    if (!ui_selected(u, &idx))
        return false;
    if (u->live) {
        r = book_rank_of(u->book, idx);
        if (r >= u->norder)
            return false;
        *row = u->reverse ? u->norder - 1 - r : r;
        return true;
    }
    if (u->use_ord)
        return book_order_row_of(u->ord, idx, u->reverse, row);
    for (uint32_t i = 0; i < u->norder; i++) {
        if (u->order[i] == idx) {
            *row = i;
            return true;
        }
    }
    return false;
}

static void
ui_order_reserve(struct ui *u, uint32_t n)
{
    if (u->caporder >= n && u->order != NULL)
        return;
    free(u->order);
    u->order = calloc(n ? n : 1, sizeof(*u->order));
    if (u->order == NULL)
        liq_nomem();
    u->caporder = n;
}

/* Hold the rows still: copy the live ranking into order (an ord is held
 * by not syncing it). */
static void
ui_snapshot(struct ui *u)
{
    if (!u->live)
        return;
    ui_order_reserve(u, u->norder);
    /* The ranking read forward (each read steps from the last), then
     * turned round when the rows are reversed. */
    for (uint32_t r = 0; r < u->norder; r++)
        u->order[r] = book_rank_at(u->book, r);
    if (u->reverse)
        for (uint32_t i = 0; i < u->norder / 2; i++) {
            uint32_t t = u->order[i];
            u->order[i] = u->order[u->norder - 1 - i];
            u->order[u->norder - 1 - i] = t;
        }
    u->live = false;
}

/* Keep the selection on its id, and on screen. */
static void
ui_follow(struct ui *u)
{
    uint32_t row = 0;

    if (!ui_selected_row(u, &row)) {
        struct position p;

        if (u->norder == 0) {
            u->selected[0] = '\0';
            u->top = 0;
            return;
        }
        row = 0;
        book_position_get(u->book, ui_row(u, 0), &p);
        snprintf(u->selected, sizeof(u->selected), "%s", p.id);
    }
    if (row < u->top)
        u->top = row;
    if (u->page > 0 && row >= u->top + u->page)
        u->top = row - u->page + 1;
    if (u->top > u->norder)
        u->top = 0;
    /* No empty rows below while rows are left above (a filter cleared). */
    if (u->page > 0 && u->top + u->page > u->norder)
        u->top = u->norder > u->page ? u->norder - u->page : 0;
}

bool
ui_refresh(struct ui *u, uint64_t now_ms, bool force)
{
    uint32_t n = book_rank_count(u->book);
    bool moved = true;

    if (!force && u->have_rows && (u->frozen || now_ms < u->hold_until_ms)) {
        ui_follow(u);
        return false;
    }
    u->have_rows = true;
    if (book_filter_is_empty(&u->flt) && u->sort == SORT_HEALTH) {
        u->live = true;
        u->use_ord = false;
        u->norder = n;
        ui_follow(u);
        return true;
    }
    u->live = false;
    u->use_ord = true;
    if (u->ord == NULL)
        u->ord = book_order_new(u->book);
    if (force || !u->ord_ok) {
        book_order_set(u->ord, &u->flt, (enum book_order_sort)u->sort);
        u->ord_ok = true;
    } else {
        moved = book_order_sync(u->ord);
    }
    u->norder = book_order_count(u->ord);
    ui_follow(u);
    return moved;
}

bool
ui_set_filter(struct ui *u, const char *text, uint64_t now_ms)
{
    struct book_filter f;
    char err[160];

    if (filter_parse(&f, text, err, sizeof(err)) != 0) {
        ui_message(u, true, now_ms, err);
        return false;
    }
    ui_message_clear_error(u);
    snprintf(u->filter, sizeof(u->filter), "%s", text);
    u->flt = f;
    ui_refresh(u, now_ms, true);
    return true;
}

bool
ui_selected(const struct ui *u, uint32_t *idx)
{
    if (u->selected[0] == '\0')
        return false;
    return book_position_find(u->book, u->selected, strlen(u->selected), idx) ==
           0;
}

int
ui_largest_leg(struct book *b, uint32_t idx, bool debt)
{
    struct position p;
    struct u256 price[MARKET_ASSETS_MAX];
    const struct market *m;

    book_position_get(b, idx, &p);
    m = book_market(b, p.market);
    book_prices_base(b, p.market, price, NULL);
    if ((debt ? p.ndebt : p.ncoll) == 0)
        return -1;
    /* by balance (a scaled leg as the contract reads it), as preview
     * picks */
    return model_largest_leg(m, &p, debt, price);
}

int
ui_main_collateral(struct book *b, uint32_t idx)
{
    return ui_largest_leg(b, idx, false);
}

int
ui_trend(struct ui *u, uint32_t idx, const struct account *a)
{
    uint64_t key;

    if (idx >= u->ntrend)
        return 0;
    key = !a->has_debt           ? UINT64_MAX
          : u256_fits_u64(a->hf) ? u256_to_u64(a->hf)
                                 : UINT64_MAX - 1;
    if (u->hf_seen[idx] != 0 && key != u->hf_seen[idx])
        u->trend[idx] = key > u->hf_seen[idx] ? 1 : -1;
    u->hf_seen[idx] = key;
    return u->trend[idx];
}

/* Select the position on row (< norder) and hold the ranks still. */
static void
ui_select_row(struct ui *u, uint32_t row, uint64_t now_ms)
{
    struct position p;

    /* The rows hold still from the first key: snapshot before moving. */
    ui_snapshot(u);
    if (row < u->norder) {
        book_position_get(u->book, ui_row(u, row), &p);
        snprintf(u->selected, sizeof(u->selected), "%s", p.id);
    }
    u->hold_until_ms = now_ms + UI_HOLD_MS;
    u->pv_debt = u->pv_coll = -1;
    u->pv_has_repay = false;
    ui_follow(u);
}

/* Move the selection by delta rows (clamped) and hold the ranks still. */
static unsigned
ui_move(struct ui *u, int64_t delta, uint64_t now_ms)
{
    uint32_t cur = 0;
    int64_t row;

    ui_snapshot(u);
    (void)ui_selected_row(u, &cur);
    row = (int64_t)cur + delta;
    if (row < 0)
        row = 0;
    if (u->norder > 0 && row >= (int64_t)u->norder)
        row = (int64_t)u->norder - 1;
    ui_select_row(u, (uint32_t)row, now_ms);
    return DIRTY_TABLE | DIRTY_PANE;
}

/* What-if: shock the selected position's main collateral by delta bps:
 * the symbol that prices it (an eMode category's price source, in a view
 * that has one), so that the figures on screen move. */
static unsigned
ui_shock(struct ui *u, int32_t delta, uint64_t now_ms)
{
    uint32_t idx, sym;
    struct position p;
    int leg;
    char msg[120];

    if (!ui_selected(u, &idx))
        return 0;
    leg = ui_main_collateral(u->book, idx);
    if (leg < 0)
        return 0;
    book_position_get(u->book, idx, &p);
    sym = market_asset_price_sym(
        &book_market(u->book, p.market)->assets[p.coll[leg].asset]);
    if (book_whatif_set(u->book, sym, book_whatif_get(u->book, sym) + delta) !=
        0)
        return 0;
    snprintf(msg, sizeof(msg), "what-if: %s %c%d.%02d %% (0 clears)",
             book_symbol_name(u->book, sym),
             book_whatif_get(u->book, sym) < 0 ? '-' : '+',
             abs(book_whatif_get(u->book, sym)) / 100,
             abs(book_whatif_get(u->book, sym)) % 100);
    ui_message(u, false, now_ms, msg);
    return DIRTY_ALL | DIRTY_BOOK;
}

const char *
ui_sort_name(enum ui_sort s)
{
    static const char *const names[SORT_COUNT] = {[SORT_HEALTH] = "health",
                                                  [SORT_ID] = "id",
                                                  [SORT_COLL] = "collateral",
                                                  [SORT_DEBT] = "debt",
                                                  [SORT_DIST] = "distance"};

    return (unsigned)s < SORT_COUNT ? names[s] : "?";
}

/* The sort a column head stands for, SORT_COUNT for none. */
static enum ui_sort
ui_column_sort(int col)
{
    switch (col) {
    case COL_ID:
        return SORT_ID;
    case COL_HEALTH:
    case COL_TIER:
        return SORT_HEALTH;
    case COL_COLL:
        return SORT_COLL;
    case COL_DEBT:
        return SORT_DEBT;
    case COL_LIQPRICE:
    case COL_DIST:
        return SORT_DIST;
    default:
        return SORT_COUNT;
    }
}

unsigned
ui_mouse(struct ui *u, const struct layout *l, const struct input_mouse *ev,
         uint64_t now_ms)
{
    int body = l->table.row + 1, rows = l->table.rows - 1;

    if (u->help || u->edit != EDIT_NONE)
        return 0;
    if ((ev->kind == MOUSE_WHEEL_UP || ev->kind == MOUSE_WHEEL_DOWN) &&
        u->log != NULL && l->events.rows > 0 && ev->row >= l->events.row &&
        ev->row < l->events.row + l->events.rows) {
        /* The wheel over the event log scrolls it: up is older. */
        if (ev->kind == MOUSE_WHEEL_UP)
            u->log->scroll += u->log->scroll + 3 < u->log->n ? 3 : 0;
        else
            u->log->scroll = u->log->scroll > 3 ? u->log->scroll - 3 : 0;
        return DIRTY_PANE;
    }
    if (ev->kind == MOUSE_WHEEL_UP || ev->kind == MOUSE_WHEEL_DOWN)
        return ui_move(u, ev->kind == MOUSE_WHEEL_UP ? -3 : 3, now_ms);
    if (ev->row == l->table.row) {
        for (int c = 0; c < COL_COUNT; c++) {
            enum ui_sort s;

            if (!l->show[c] || ev->col < l->x[c] ||
                ev->col >= l->x[c] + l->width[c])
                continue;
            s = ui_column_sort(c);
            if (s == SORT_COUNT)
                return 0;
            /* htop's rule: the sorted column again turns it round. */
            if (s == u->sort)
                u->reverse = !u->reverse;
            else
                u->sort = s;
            ui_refresh(u, now_ms, true);
            return DIRTY_ALL;
        }
        return 0;
    }
    if (ev->row >= body && ev->row < body + rows &&
        u->top + (uint32_t)(ev->row - body) < u->norder) {
        ui_select_row(u, u->top + (uint32_t)(ev->row - body), now_ms);
        return DIRTY_TABLE | DIRTY_PANE;
    }
    return 0;
}

unsigned
ui_key(struct ui *u, const struct keymap *km, int key, uint64_t now_ms)
{
    enum action a;

    if (u->edit != EDIT_NONE)
        return ui_edit_key(u, key, now_ms);
    a = input_action(km, key);
    if (u->help) {
        if (a == ACT_BACK || a == ACT_HELP || a == ACT_QUIT) {
            u->help = false;
            u->help_search[0] = '\0';
            u->help_top = 0;
            return DIRTY_ALL;
        }
        /* Arrows and pages scroll the list (the view clamps). */
        if (key >= 0x100) {
            int step = a == ACT_UP          ? -1
                       : a == ACT_DOWN      ? 1
                       : a == ACT_PAGE_UP   ? -10
                       : a == ACT_PAGE_DOWN ? 10
                       : a == ACT_TOP       ? -1000
                       : a == ACT_BOTTOM    ? 1000
                                            : 0;

            u->help_top += step;
            if (u->help_top < 0)
                u->help_top = 0;
            return step != 0 ? DIRTY_ALL : 0;
        }
        /* Anything else typed searches the help. */
        if (key >= 0x20 && key < 0x7f) {
            u->help_top = 0;
            ui_edit_start(u, EDIT_HELP, "");
            return ui_edit_key(u, key, now_ms);
        }
        return 0;
    }
    /* In the preview some keys mean something else. */
    if (u->mode == UI_PREVIEW) {
        switch (a) {
        case ACT_LESS:
            return ui_edit_step_repay(u, -10);
        case ACT_MORE:
            return ui_edit_step_repay(u, 10);
        case ACT_PAGE_UP:
            return ui_edit_step_repay(u, -100);
        case ACT_PAGE_DOWN:
            return ui_edit_step_repay(u, 100);
        case ACT_MAX:
            u->pv_has_repay = false;
            return DIRTY_PANE;
        case ACT_AMOUNT:
            ui_edit_start(u, EDIT_AMOUNT, "");
            return DIRTY_STATUS;
        case ACT_TARGET:
            ui_edit_start(u, EDIT_TARGET, "");
            return DIRTY_STATUS;
        case ACT_AVOID_TAB:
            u->pv_avoid = !u->pv_avoid;
            return DIRTY_PANE;
        case ACT_NEXT_FIELD:
        case ACT_PREV_FIELD: {
            uint32_t idx;
            struct position p;
            int d, c, pairs, at;

            if (!ui_selected(u, &idx))
                return 0;
            book_position_get(u->book, idx, &p);
            if (p.ndebt == 0 || p.ncoll == 0)
                return 0;
            /* Every debt and collateral pair in turn, debt first: Tab
             * forward, Shift-Tab back (a 3x3 position has 9). */
            d = u->pv_debt >= 0 ? u->pv_debt
                                : ui_largest_leg(u->book, idx, true);
            c = u->pv_coll >= 0 ? u->pv_coll : ui_main_collateral(u->book, idx);
            pairs = p.ndebt * p.ncoll;
            at = (d * p.ncoll + c + (a == ACT_NEXT_FIELD ? 1 : pairs - 1)) %
                 pairs;
            u->pv_debt = at / p.ncoll;
            u->pv_coll = at % p.ncoll;
            u->pv_has_repay = false;
            return DIRTY_PANE;
        }
        default:
            break;
        }
    }
    switch (a) {
    case ACT_QUIT:
        return DIRTY_QUIT;
    case ACT_HELP:
        u->help = true;
        return DIRTY_ALL;
    case ACT_FILTER:
        /* A new filter: the prompt starts empty, the last one stays until
         * something is typed. */
        ui_edit_start(u, EDIT_FILTER, "");
        return DIRTY_ALL;
    case ACT_SORT:
        u->sort = (enum ui_sort)((u->sort + 1) % SORT_COUNT);
        ui_refresh(u, now_ms, true);
        return DIRTY_ALL;
    case ACT_REVERSE:
        /* The rows read the other way: the selection stays. */
        u->reverse = !u->reverse;
        if (!u->live && !u->use_ord) {
            for (uint32_t i = 0; i < u->norder / 2; i++) {
                uint32_t t = u->order[i];
                u->order[i] = u->order[u->norder - 1 - i];
                u->order[u->norder - 1 - i] = t;
            }
        }
        ui_follow(u);
        return DIRTY_ALL;
    case ACT_NEXT_MATCH:
    case ACT_PREV_MATCH: {
        uint32_t cur = 0;
        char msg[96];

        if (u->norder == 0 || book_filter_is_empty(&u->flt)) {
            ui_message(u, false, now_ms, "no filter: / sets one");
            return DIRTY_STATUS;
        }
        (void)ui_selected_row(u, &cur);
        cur = a == ACT_NEXT_MATCH ? (cur + 1) % u->norder
                                  : (cur + u->norder - 1) % u->norder;
        ui_select_row(u, cur, now_ms);
        {
            char one[32], total[32];

            fmt_count(one, sizeof(one), cur + 1);
            fmt_count(total, sizeof(total), u->norder);
            snprintf(msg, sizeof(msg), "match %s of %s", one, total);
            ui_message(u, false, now_ms, msg);
        }
        return DIRTY_ALL;
    }
    case ACT_FREEZE:
        u->frozen = !u->frozen;
        if (u->frozen)
            ui_snapshot(u);
        ui_message(u, false, now_ms,
                   u->frozen ? "ranking frozen (f resumes)" : "ranking live");
        if (!u->frozen)
            ui_refresh(u, now_ms, true);
        return DIRTY_ALL;
    case ACT_DETAIL:
        u->mode = u->mode == UI_DETAIL ? UI_TABLE : UI_DETAIL;
        return DIRTY_ALL;
    case ACT_PREVIEW:
        u->mode = u->mode == UI_PREVIEW ? UI_TABLE : UI_PREVIEW;
        u->pv_debt = u->pv_coll = -1;
        u->pv_field = 0;
        u->pv_has_repay = false;
        u->pv_avoid = false;
        return DIRTY_ALL;
    case ACT_THEME:
        u->theme = (u->theme + 1) % THEME_BUILTIN_COUNT;
        return DIRTY_ALL | DIRTY_THEME;
    case ACT_SHOCK_DOWN:
        return ui_shock(u, -100, now_ms);
    case ACT_SHOCK_UP:
        return ui_shock(u, 100, now_ms);
    case ACT_SCENARIO:
        ui_edit_start(u, EDIT_SCENARIO, "");
        return DIRTY_STATUS;
    case ACT_SHOCK_CLEAR:
        book_whatif_clear(u->book);
        ui_message(u, false, now_ms, "what-if cleared: feed prices");
        return DIRTY_ALL | DIRTY_BOOK;
    case ACT_REDACT:
        u->redact = !u->redact;
        return DIRTY_ALL;
    case ACT_LOG_OLDER:
    case ACT_LOG_NEWER:
        /* Three entries a key; the view clamps at the oldest kept. */
        if (u->log == NULL)
            return 0;
        if (a == ACT_LOG_OLDER)
            u->log->scroll += u->log->scroll + 3 < u->log->n ? 3 : 0;
        else
            u->log->scroll = u->log->scroll > 3 ? u->log->scroll - 3 : 0;
        return DIRTY_PANE;
    case ACT_UP:
        return ui_move(u, -1, now_ms);
    case ACT_DOWN:
        return ui_move(u, 1, now_ms);
    case ACT_PAGE_UP:
        return ui_move(u, -(int64_t)(u->page ? u->page : 1), now_ms);
    case ACT_PAGE_DOWN:
        return ui_move(u, (int64_t)(u->page ? u->page : 1), now_ms);
    case ACT_TOP:
        return ui_move(u, -(int64_t)u->norder, now_ms);
    case ACT_BOTTOM:
        return ui_move(u, (int64_t)u->norder, now_ms);
    case ACT_BACK:
        if (u->mode != UI_TABLE) {
            u->mode = UI_TABLE;
            return DIRTY_ALL;
        }
        if (u->filter[0] != '\0') {
            (void)ui_set_filter(u, "", now_ms);
            return DIRTY_ALL;
        }
        return 0;
    default:
        return 0;
    }
}
