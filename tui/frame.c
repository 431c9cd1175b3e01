/*
 * frame.c: the grid of cells views draw into.
 *
 * Owns sanitizing: every byte that reaches a cell is checked here, so the
 * terminal sees only printable characters whatever a file or feed held.
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

void
frame_fill(struct frame *f, int row, int col, int n, char ch, enum role role)
{
    for (int i = 0; i < n; i++) {
        struct cell *c = frame_cell(f, row, col + i);

        if (c == NULL)
            continue;
        c->ch[0] = (ch >= 0x20 && ch < 0x7f) ? ch : '?';
        c->ch[1] = '\0';
        c->role = (uint8_t)role;
    }
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

/* The next character of s: its length in bytes into *len and whether it
 * is printable (tui/text.h's rule); anything else is shown as '?'. */
static int
frame_next(const unsigned char *s, int *len)
{
    int32_t cp;
    size_t n = strnlen((const char *)s, 4);

    *len = (int)text_next((const char *)s, n, &cp);
    return cp >= 0 && text_cp_printable(cp);
}

int
frame_text_cells(const char *text)
{
    const unsigned char *s = (const unsigned char *)text;
    int cells = 0, len;

    while (*s != '\0') {
        (void)frame_next(s, &len);
        s += len;
        cells++;
    }
    return cells;
}

int
frame_put(struct frame *f, int row, int col, int width, enum role role,
          const char *text)
{
    const unsigned char *s = (const unsigned char *)text;
    int used = 0, len;

    if (width < 0)
        width = f->cols - col;
    while (*s != '\0' && used < width) {
        struct cell *c = frame_cell(f, row, col + used);
        int ok = frame_next(s, &len);

        if (c != NULL) {
            if (ok) {
                memcpy(c->ch, s, (size_t)len);
                c->ch[len] = '\0';
            } else {
                c->ch[0] = '?';
                c->ch[1] = '\0';
            }
            c->role = (uint8_t)role;
        }
        s += len;
        used++;
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
