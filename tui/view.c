/*
 * view.c: the whole screen (header, table, pane, status) and the help
 * overlay, which lists every bound key with what it does and narrows as
 * the user types.
 *
 * Owns what goes where; each part draws itself.
 */
#include <stdio.h>
#include <string.h>

#include "tui/fmt.h"
#include "tui/view.h"

static bool
view_has(const char *hay, const char *needle)
{
    size_t n = strlen(needle);

    for (const char *p = hay; n > 0 && *p != '\0'; p++) {
        size_t i = 0;

        while (i < n && p[i] != '\0' && (p[i] | 0x20) == (needle[i] | 0x20))
            i++;
        if (i == n)
            return true;
    }
    return n == 0;
}

void
view_help(struct frame *f, const struct layout *l, struct ui *u,
          const struct keymap *km)
{
    /* Full width between header and status line: no table text shows
     * beside the box. The list scrolls when it does not fit. */
    int w = l->cols, x0 = 0, y0 = l->rows > 6 ? 2 : 0;
    int h = l->rows - 1 - y0, row = y0 + 1, last = y0 + h - 2;
    int shown = 0, total = 0, skip;
    char line[200];

    if (h < 3 || w < 8)
        return;
    for (int y = y0; y < y0 + h; y++)
        frame_fill(f, y, x0, w, ' ', ROLE_TEXT);
    frame_fill(f, y0, x0, w, '-', ROLE_BORDER);
    snprintf(line, sizeof(line), " help%s%s (Esc closes) ",
             u->help_search[0] ? ": " : " - type to search", u->help_search);
    frame_put(f, y0, x0 + 2, w - 4, ROLE_TITLE, line);
    for (int a = ACT_QUIT; a < ACT_COUNT; a++) {
        char keys[64];

        input_keys_text(km, (enum action)a, keys, sizeof(keys));
        if (keys[0] != '\0' &&
            (view_has(input_action_help((enum action)a), u->help_search) ||
             view_has(keys, u->help_search) ||
             view_has(input_action_name((enum action)a), u->help_search)))
            total++;
    }
    /* The tiers line is one more entry at the end of the list. */
    total++;
    if (u->help_top > total - (last - row + 1))
        u->help_top = total - (last - row + 1);
    if (u->help_top < 0)
        u->help_top = 0;
    skip = u->help_top;
    for (int a = ACT_QUIT; a < ACT_COUNT && row <= last; a++) {
        char keys[64];
        int kw = w >= 60 ? 16 : 10;

        input_keys_text(km, (enum action)a, keys, sizeof(keys));
        if (keys[0] == '\0')
            continue;
        if (!view_has(input_action_help((enum action)a), u->help_search) &&
            !view_has(keys, u->help_search) &&
            !view_has(input_action_name((enum action)a), u->help_search))
            continue;
        if (skip > 0) {
            skip--;
            continue;
        }
        frame_put(f, row, x0 + 2, kw, ROLE_KEY, keys);
        frame_put(f, row, x0 + 3 + kw, w - 5 - kw, ROLE_TEXT,
                  input_action_help((enum action)a));
        row++;
        shown++;
    }
    if (row <= last) {
        frame_put(f, row, x0 + 2, w - 4, ROLE_DIM,
                  "Tiers: LIQ!! below 1.00, PRE pre-liquidation band, DANGER "
                  "below 1.10, warn 1.50.");
        shown++;
    }
    frame_fill(f, y0 + h - 1, x0, w, '-', ROLE_BORDER);
    if (u->help_top + shown < total || u->help_top > 0) {
        snprintf(line, sizeof(line), " %d-%d of %d  up/down pgup/pgdn scroll ",
                 u->help_top + 1, u->help_top + shown, total);
        frame_put(f, y0 + h - 1, x0 + 2, w - 4, ROLE_DIM, line);
    }
}

/*
 * A message wider than the status line is not cut: it wraps upward over
 * the rows above (at most 4 rows, the last ending on the status line),
 * broken at spaces where it can be, characters never split.
 */
static void
view_status_message(struct frame *f, const struct layout *l, const char *msg,
                    enum role role)
{
    const char *start[5];
    size_t len[5];
    int n = 0, cols = l->cols, row = l->status.row;
    const char *p = msg;

    while (*p != '\0' && n < 4) {
        const char *q = p, *brk = NULL;
        int cells = 0;

        while (*q != '\0' && cells < cols) {
            if (*q == ' ')
                brk = q;
            q++;
            while ((*q & 0xC0) == 0x80)
                q++; /* a character's continuation bytes */
            cells++;
        }
        if (*q != '\0' && brk != NULL && brk > p && n < 3)
            q = brk + 1; /* break after a space */
        start[n] = p;
        len[n] = (size_t)(q - p);
        n++;
        p = q;
    }
    for (int i = 0; i < n; i++) {
        char line[1024];
        int r = row - (n - 1) + i;

        if (r < 0)
            continue;
        snprintf(line, sizeof line, "%.*s", (int)len[i], start[i]);
        frame_fill(f, r, 0, cols, ' ', role);
        frame_put(f, r, 0, cols, role, line);
    }
}

void
view_status(struct frame *f, const struct layout *l, struct ui *u,
            const struct ui_info *info, const struct keymap *km,
            uint64_t now_ms)
{
    int row = l->status.row;
    char line[256];
    const char *prompt = NULL;
    int width;

    frame_fill(f, row, 0, l->cols, ' ', ROLE_STATUS);
    switch (u->edit) {
    case EDIT_FILTER:
        prompt = "filter: ";
        break;
    case EDIT_AMOUNT:
        prompt = "repay amount: ";
        break;
    case EDIT_TARGET:
        prompt = "target health: ";
        break;
    case EDIT_SCENARIO:
        prompt = "what-if for the whole book (WETH=-20%,WBTC=-15%): ";
        break;
    case EDIT_HELP:
    case EDIT_NONE:
        break;
    }
    if (prompt != NULL) {
        int x = frame_put(f, row, 0, -1, ROLE_STATUS, prompt);

        x += frame_put(f, row, x, -1, ROLE_INPUT, u->edit_buf);
        frame_put(f, row, x, -1, ROLE_INPUT, "_");
        return;
    }
    if (u->msg[0] != '\0' && now_ms < u->msg_until_ms) {
        view_status_message(f, l, u->msg,
                            u->msg_error ? ROLE_STATUS_ERROR : ROLE_STATUS);
        return;
    }
    if (info->fault != NULL && info->fault[0] != '\0') {
        frame_put(f, row, 0, -1, ROLE_STATUS_ERROR, info->fault);
        return;
    }
    if (info->error != NULL && info->error[0] != '\0' && info->rejected > 0) {
        char n[48];

        fmt_count_noun(n, sizeof(n), info->rejected, "line", "lines");
        snprintf(line, sizeof(line), "%s rejected; last: %s", n, info->error);
        frame_put(f, row, 0, -1, ROLE_STATUS_ERROR, line);
        return;
    }
    /* Right: where the rows shown sit in the list ("1-36 of 1,000,000",
     * "1-5 of 18 shown" under a filter). */
    {
        char from[32], to[32], all[32], where[112];
        uint32_t last = u->top + u->page;

        if (last > u->norder)
            last = u->norder;
        fmt_count(from, sizeof(from), u->norder ? u->top + 1 : 0);
        fmt_count(to, sizeof(to), last);
        fmt_count(all, sizeof(all), u->norder);
        snprintf(where, sizeof(where), " %s-%s of %s%s ", from, to, all,
                 u->filter[0] != '\0' ? " shown" : "");
        if (u->norder == 0)
            snprintf(where, sizeof(where), " 0%s ",
                     u->filter[0] != '\0' ? " shown" : " positions");
        width = frame_text_cells(where);
        if (width * 2 >= l->cols && u->norder > 0) {
            /* Narrow: the short form, "1-7/888,531". */
            snprintf(where, sizeof(where), " %s-%s/%s ", from, to, all);
            width = frame_text_cells(where);
        }
        if (width * 2 < l->cols)
            frame_put(f, row, l->cols - width, -1, ROLE_STATUS, where);
        else
            width = 0;
    }
    /* Left: the keys of what is open. Quit stays visible at 80 columns;
     * hints that do not fit whole are left out (they are all in the help),
     * never cut mid-word. */
    {
        static const enum action table[] = {
            ACT_HELP, ACT_QUIT,   ACT_DETAIL,     ACT_PREVIEW, ACT_FILTER,
            ACT_SORT, ACT_FREEZE, ACT_SHOCK_DOWN, ACT_THEME};
        static const char *const table_label[] = {
            "help", "quit",   "detail",  "preview", "filter",
            "sort", "freeze", "what-if", "theme"};
        static const enum action detail[] = {ACT_DETAIL, ACT_PREVIEW, ACT_DOWN,
                                             ACT_SHOCK_DOWN, ACT_HELP};
        static const char *const detail_label[] = {"close", "preview", "next",
                                                   "what-if", "help"};
        static const enum action preview[] = {
            ACT_BACK,   ACT_NEXT_FIELD, ACT_PREV_FIELD, ACT_MORE, ACT_MAX,
            ACT_AMOUNT, ACT_TARGET,     ACT_AVOID_TAB,  ACT_HELP};
        static const char *const preview_label[] = {
            "close",  "next pair", "previous pair", "repay +1%", "max",
            "amount", "target",    "avoid",         "help"};
        const enum action *acts = table;
        const char *const *labels = table_label;
        size_t nacts = sizeof(table) / sizeof(table[0]), used = 0;

        if (u->mode == UI_DETAIL) {
            acts = detail;
            labels = detail_label;
            nacts = sizeof(detail) / sizeof(detail[0]);
        } else if (u->mode == UI_PREVIEW) {
            acts = preview;
            labels = preview_label;
            nacts = sizeof(preview) / sizeof(preview[0]);
        }
        line[0] = '\0';
        for (size_t i = 0; i < nacts; i++) {
            char keys[40], item[80];
            int n;

            input_keys_text(km, acts[i], keys, sizeof(keys));
            if (acts[i] == ACT_SHOCK_DOWN) {
                char up[16];

                input_keys_text(km, ACT_SHOCK_UP, up, sizeof(up));
                snprintf(keys + strlen(keys), sizeof(keys) - strlen(keys),
                         " %s", up);
            }
            if (acts[i] == ACT_MORE) {
                char less[16], both[40];

                input_keys_text(km, ACT_LESS, less, sizeof(less));
                snprintf(both, sizeof(both), "%s/%s", less, keys);
                snprintf(keys, sizeof(keys), "%s", both);
            }
            if (keys[0] == '\0' || keys[0] == ' ')
                continue;
            n = snprintf(item, sizeof(item), "%s%s %s", i ? "  " : " ", keys,
                         acts[i] == ACT_MORE ? "repay -/+1%" : labels[i]);
            if (n < 0 || used + (size_t)n >= sizeof(line) ||
                (int)used + frame_text_cells(item) > l->cols - width)
                break;
            memcpy(line + used, item, (size_t)n + 1);
            used += (size_t)n;
        }
    }
    frame_put(f, row, 0, -1, ROLE_STATUS, line);
}

void
view_render(struct frame *f, const struct layout *l, struct ui *u,
            const struct ui_info *info, const struct keymap *km,
            uint64_t now_ms)
{
    frame_clear(f, ROLE_TEXT);
    view_header(f, l, u, info);
    view_table(f, l, u);
    if (l->pane.rows > 0) {
        if (u->mode == UI_PREVIEW)
            view_preview(f, l, u);
        else
            view_detail(f, l, u, info);
    }
    if (l->events.rows > 0)
        view_events(f, l, u);
    view_status(f, l, u, info, km, now_ms);
    if (u->help)
        view_help(f, l, u, km);
}
