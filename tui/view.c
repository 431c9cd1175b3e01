/*
 * view.c: the whole screen (header, table, pane, status) and the help
 * overlay, which lists every bound key with what it does and narrows as
 * the user types.
 *
 * Owns what goes where; each part draws itself.
 */
#include <stdio.h>
#include <string.h>

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
    int w = l->cols - 4 < 76 ? l->cols - 4 : 76;
    int h = l->rows - 4;
    int x0 = (l->cols - w) / 2, y0 = 2, row = y0 + 1;
    char line[200];

    for (int y = y0; y < y0 + h; y++)
        frame_fill(f, y, x0, w, ' ', ROLE_TEXT);
    frame_fill(f, y0, x0, w, '-', ROLE_BORDER);
    snprintf(line, sizeof(line), " help%s%s (Esc closes) ",
             u->help_search[0] ? ": " : " - type to search", u->help_search);
    frame_put(f, y0, x0 + 2, w - 4, ROLE_TITLE, line);
    for (int a = ACT_QUIT; a < ACT_COUNT && row < y0 + h - 1; a++) {
        char keys[64];

        input_keys_text(km, (enum action)a, keys, sizeof(keys));
        if (keys[0] == '\0')
            continue;
        if (!view_has(input_action_help((enum action)a), u->help_search) &&
            !view_has(keys, u->help_search) &&
            !view_has(input_action_name((enum action)a), u->help_search))
            continue;
        frame_put(f, row, x0 + 2, 16, ROLE_KEY, keys);
        frame_put(f, row, x0 + 19, w - 21, ROLE_TEXT,
                  input_action_help((enum action)a));
        row++;
    }
    if (row < y0 + h - 1) {
        frame_put(f, row + 1 < y0 + h - 1 ? row + 1 : row, x0 + 2, w - 4,
                  ROLE_DIM,
                  "Tiers: LIQ!! below 1.00, DANGER below 1.10, warn below "
                  "1.50.");
    }
    frame_fill(f, y0 + h - 1, x0, w, '-', ROLE_BORDER);
}

void
view_status(struct frame *f, const struct layout *l, struct ui *u,
            const struct ui_info *info, const struct keymap *km,
            uint64_t now_ms)
{
    int row = l->status.row;
    char line[256], k1[16], k2[16], k3[16];
    const char *prompt = NULL;

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
        frame_put(f, row, 0, -1, u->msg_error ? ROLE_STATUS_ERROR : ROLE_STATUS,
                  u->msg);
        return;
    }
    if (info->error != NULL && info->error[0] != '\0' && info->rejected > 0) {
        snprintf(line, sizeof(line), "%llu lines rejected; last: %s",
                 (unsigned long long)info->rejected, info->error);
        frame_put(f, row, 0, -1, ROLE_STATUS_ERROR, line);
        return;
    }
    input_keys_text(km, ACT_HELP, k1, sizeof(k1));
    input_keys_text(km, ACT_PREVIEW, k2, sizeof(k2));
    input_keys_text(km, ACT_QUIT, k3, sizeof(k3));
    /* Quit stays visible at 80 columns; the rest is in the help. */
    snprintf(line, sizeof(line),
             " %s help  %s quit  Enter detail  %s preview  / filter  "
             "f freeze  [ ] what-if  t theme",
             k1, k3, k2);
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
    view_status(f, l, u, info, km, now_ms);
    if (u->help)
        view_help(f, l, u, km);
}
