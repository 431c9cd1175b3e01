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

/*
 * The next character of s: its length in bytes into *len and whether it
 * is printable. Valid multi-byte UTF-8 (no overlongs, no surrogates, no C1
 * controls) is printable; anything else is one bad byte.
 */
static int
frame_next(const unsigned char *s, int *len)
{
    unsigned c = s[0];
    int n;
    unsigned cp;

    *len = 1;
    if (c < 0x20 || c == 0x7f)
        return 0;
    if (c < 0x80)
        return 1;
    if (c >= 0xc2 && c <= 0xdf)
        n = 2, cp = c & 0x1f;
    else if (c >= 0xe0 && c <= 0xef)
        n = 3, cp = c & 0x0f;
    else if (c >= 0xf0 && c <= 0xf4)
        n = 4, cp = c & 0x07;
    else
        return 0;
    for (int i = 1; i < n; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3f);
    }
    if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
        (cp >= 0xd800 && cp <= 0xdfff) || (cp >= 0x80 && cp < 0xa0))
        return 0;
    *len = n;
    return 1;
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
