/*
 * dash_work.h: the dashboard while a worker updates the book
 * (app/app_work.h): a picture of the screen kept just before the worker
 * took the book (the last consistent frame, and the table's rows around
 * the cursor drawn ahead), on which moving keys (up, down, page, top and
 * bottom within the rows kept) are answered at once; every other key
 * waits, in order, and is applied once the book is back.
 *
 * Owns struct dash_pic and its frames (dash_work_done frees them). Reads
 * the book only in dash_work_begin (before the worker starts); the ui is
 * borrowed, and changed only by dash_work_end. Meanwhile the worker may
 * repair the ui's order (ui_refresh): dash_work_key reads only what that
 * leaves alone (the mode, the prompt, the help).
 */
#ifndef DASH_WORK_H
#define DASH_WORK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/app_work.h"

#include "tui/frame.h"
#include "tui/input.h"
#include "tui/layout.h"
#include "tui/ui.h"

#define DASH_WORK_KEYS 256 /* keys kept to apply after; more are dropped */
#define DASH_WORK_PAGES 4  /* pages of rows kept above and below */

struct dash_pic {
    bool on;
    struct frame *saved; /* the screen as drawn before the worker */
    struct frame *win;   /* rows first .. first + n - 1, heads on row 0 */
    char (*ids)[128];    /* their position ids */
    struct layout l;     /* the layout saved was drawn with */
    uint32_t norder;     /* rows in the order then */
    uint32_t first, n;   /* order rows kept */
    uint32_t cur, top;   /* the cursor and the first row shown */
    bool moved;          /* a key moved the cursor */
    int keys[DASH_WORK_KEYS];
    int nkeys;
    uint32_t dropped; /* keys beyond DASH_WORK_KEYS */
};

/* Keep the picture: shown is the frame just drawn with layout l from the
 * book as it stands (it is copied). */
void dash_work_begin(struct dash_pic *p, struct ui *u, const struct layout *l,
                     const struct frame *shown);
/* A key while the worker has the book: DIRTY_TABLE when it moved the
 * cursor, DIRTY_QUIT for quit, 0 when it waits. */
unsigned dash_work_key(struct dash_pic *p, const struct ui *u,
                       const struct keymap *km, int key);
/* The picture into f (as large as the saved frame), the status line
 * saying what is updating and what waits (st: app_work_stats). */
void dash_work_draw(const struct dash_pic *p, struct frame *f,
                    const struct app_work_stats *st);
/* After an update off the loop: the status line's message and the event
 * log's note on it, into msg and note. */
void dash_work_texts(const struct app_work_stats *st, char *msg, size_t mcap,
                     char *note, size_t ncap);
/* The book is back: the selection moved to where the cursor went; the
 * keys that waited copied into keys (at most cap), their count returned.
 * The picture is released. */
int dash_work_end(struct dash_pic *p, struct ui *u, int *keys, int cap);
/* Release the picture (safe twice). */
void dash_work_done(struct dash_pic *p);

#endif
