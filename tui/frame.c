/*
 * frame.c: the grid of cells views draw into.
 *
 * Owns sanitizing: every byte that reaches a cell is checked here (by
 * tui/text.h's rule), so the terminal sees only printable characters
 * whatever a file or feed held; and display width: a wide character takes
 * two cells, marks stay with their base, nothing is split.
 */
#include "tui/frame.h"

#include <stdlib.h>
#include <string.h>

#include "core/liq.h"
#include "tui/text.h"

struct frame *
frame_new(int rows, int cols)
{
    struct frame *f = calloc(1, sizeof(*f));

    if (f == NULL)
        liq_nomem();
    f->rows = rows > 0 ? rows : 1;
    f->cols = cols > 0 ? cols : 1;
    f->cells = calloc((size_t)f->rows * (size_t)f->cols, sizeof(*f->cells));
    if (f->cells == NULL)
        liq_nomem();
    frame_clear(f, ROLE_TEXT);
    return f;
}

void
frame_free(struct frame *f)
{
    if (f == NULL)
        return;
    free(f->cells);
    free(f);
}

void
frame_clear(struct frame *f, enum role role)
{
    for (int i = 0; i < f->rows * f->cols; i++) {
        f->cells[i].ch[0] = ' ';
        f->cells[i].ch[1] = '\0';
        f->cells[i].role = (uint8_t)role;
    }
}

static struct cell *
frame_cell(struct frame *f, int row, int col)
{
    if (row < 0 || row >= f->rows || col < 0 || col >= f->cols)
        return NULL;
    return &f->cells[row * f->cols + col];
}

const struct cell *
frame_at(const struct frame *f, int row, int col)
{
    if (row < 0 || row >= f->rows || col < 0 || col >= f->cols)
        return NULL;
    return &f->cells[row * f->cols + col];
}

/* Put bytes (one cluster, w cells: 1 or 2) at row, col. A wide
 * character half overwritten on either side is blanked whole, so that
 * the terminal never draws a character across two owners. */
static void
frame_set(struct frame *f, int row, int col, const char *bytes, size_t n, int w,
          enum role role)
{
    struct cell *c = frame_cell(f, row, col), *next;

    if (c == NULL)
        return;
    if (w == 2 && frame_cell(f, row, col + 1) == NULL) {
        bytes = " "; /* no room for its right half */
        n = 1;
        w = 1;
    }
    if (c->ch[0] == '\0' && col > 0) { /* the right half of a wide one */
        struct cell *l = frame_cell(f, row, col - 1);

        memcpy(l->ch, " ", 2);
    }
    next = frame_cell(f, row, col + w);
    if (next != NULL && next->ch[0] == '\0') /* it was a right half */
        memcpy(next->ch, " ", 2);
    memcpy(c->ch, bytes, n);
    c->ch[n] = '\0';
    c->role = (uint8_t)role;
    if (w == 2) {
        struct cell *r = frame_cell(f, row, col + 1);

        r->ch[0] = '\0';
        r->role = (uint8_t)role;
    }
}

void
frame_fill(struct frame *f, int row, int col, int n, char ch, enum role role)
{
    char b = (ch >= 0x20 && ch < 0x7f) ? ch : '?';

    for (int i = 0; i < n; i++)
        frame_set(f, row, col + i, &b, 1, 1, role);
}

void
frame_role(struct frame *f, int row, int col, int n, enum role role)
{
    for (int i = 0; i < n; i++) {
        struct cell *c = frame_cell(f, row, col + i);

        if (c != NULL)
            c->role = (uint8_t)role;
    }
}

/*
 * The next cluster of s: its bytes in *len, its cells in *w (1 or 2), and
 * whether it is printable; an unprintable character or a stray byte is
 * one '?'. Combining marks after a base are part of its cluster (those
 * that do not fit a cell are dropped with it).
 */
static int
frame_next(const char *s, int *len, int *keep, int *w)
{
    int32_t cp;
    size_t n = strlen(s), i;

    i = text_next(s, n, &cp);
    if (cp < 0 || !text_cp_printable(cp)) {
        *len = (int)i;
        *keep = 0;
        *w = 1;
        return 0;
    }
    *w = text_cp_width(cp);
    *keep = (int)i;
    while (i < n) {
        size_t k = text_next(s + i, n - i, &cp);

        if (cp < 0 || !text_cp_printable(cp) || text_cp_width(cp) != 0)
            break;
        i += k;
        if (i < CELL_BYTES)
            *keep = (int)i;
    }
    *len = (int)i;
    return 1;
}

int
frame_text_cells(const char *text)
{
    int cells = 0, len, keep, w;

    while (*text != '\0') {
        int ok = frame_next(text, &len, &keep, &w);

        if (ok && w == 0 && cells == 0) /* a mark with no base: '?' */
            w = 1;
        text += len;
        cells += ok ? w : 1;
    }
    return cells;
}

int
frame_put(struct frame *f, int row, int col, int width, enum role role,
          const char *text)
{
    int used = 0, len, keep, w;

    if (width < 0)
        width = f->cols - col;
    while (*text != '\0' && used < width) {
        int ok = frame_next(text, &len, &keep, &w);

        if (ok && w == 0) {
            /* a mark with nothing before it in this text: shown as '?' */
            ok = 0;
            w = 1;
        }
        if (used + w > width)
            break; /* never half a wide character */
        if (ok)
            frame_set(f, row, col + used, text, (size_t)keep, w, role);
        else
            frame_set(f, row, col + used, "?", 1, 1, role);
        text += len;
        used += w;
    }
    return used;
}

int
frame_put_right(struct frame *f, int row, int col, int width, enum role role,
                const char *text)
{
    int n = frame_text_cells(text);

    if (n >= width)
        return frame_put(f, row, col, width, role, text);
    return frame_put(f, row, col + width - n, n, role, text);
}
