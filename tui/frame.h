/*
 * frame.h: the screen model: a grid of cells, each one character (UTF-8)
 * and a theme role. Views draw here; only tui/term.c copies a frame to the
 * terminal, so every view is testable as text.
 *
 * Owns struct frame. Text written into it is sanitized: control
 * characters and escape sequences from files and feeds never reach the
 * terminal (they become '?').
 */
#ifndef FRAME_H
#define FRAME_H

#include <stddef.h>
#include <stdint.h>

#include "tui/theme.h"

/* A cell holds one character and the combining marks that follow it
 * (as many as fit), NUL-terminated. A wide character (CJK, emoji) takes
 * two cells: the second holds "" and is drawn by the first. */
#define CELL_BYTES 16
struct cell {
    char ch[CELL_BYTES];
    uint8_t role;
};

struct frame {
    int rows;
    int cols;
    struct cell *cells; /* owned */
};

/* A blank frame; frame_free(NULL) is a no-op. Aborts on out of memory. */
struct frame *frame_new(int rows, int cols);
void frame_free(struct frame *f);
/* Blank every cell with role. */
void frame_clear(struct frame *f, enum role role);
/* Fill n cells of row from col with ch (ASCII) in role. */
void frame_fill(struct frame *f, int row, int col, int n, char ch,
                enum role role);
/*
 * Write text at row, col in at most width cells (width < 0: to the edge),
 * sanitized (tui/text.h); returns the cells used. Characters take their
 * display width (wide 2, combining marks 0, with their base); a wide
 * character that does not fit whole is not written; invalid bytes and
 * unprintable characters become '?'.
 */
int frame_put(struct frame *f, int row, int col, int width, enum role role,
              const char *text);
/* As frame_put, right-aligned in width cells. */
int frame_put_right(struct frame *f, int row, int col, int width,
                    enum role role, const char *text);
/* Set the role of n cells without touching their text. */
void frame_role(struct frame *f, int row, int col, int n, enum role role);
const struct cell *frame_at(const struct frame *f, int row, int col);

/* Cells text(s) counts cells, not bytes; with the same sanitizing. */
int frame_text_cells(const char *text);

#endif
