/*
 * screen.h: the terminal's handles on a loop, which the dashboard
 * (dash.c) and the attached view (attach_dash.c) share: its keys (a
 * uv_poll on the terminal), a render at most every SCREEN_FRAME_MS (a
 * uv_prepare just before the loop sleeps, a one-shot timer holding an
 * early frame back), a 1 s timer, SIGWINCH, and the terminal's end
 * (its window closed, the ssh link gone) noticed.
 *
 * The owner says what each of them does (struct screen_ops) and keeps
 * its own state: the screen never draws, reads a key's meaning, nor
 * starts or restores the terminal (tui/term.h). struct screen lives in
 * its owner's struct; screen_close() before the loop's last run frees
 * what it holds.
 */
#ifndef SCREEN_H
#define SCREEN_H

#include <stdbool.h>
#include <stdint.h>
#include <uv.h>

#define SCREEN_FRAME_MS 33 /* at most 30 frames a second */

struct screen_ops {
    bool (*dirty)(void *ctx);        /* something to draw */
    void (*draw)(void *ctx);         /* draw it now */
    bool (*key)(void *ctx, int key); /* one key; true: read no more */
    void (*second)(void *ctx);       /* each second */
    void (*resized)(void *ctx);      /* SIGWINCH */
    void (*gone)(void *ctx);         /* the terminal closed */
};

struct screen {
    uv_poll_t input;
    uv_prepare_t render;
    uv_timer_t defer;
    uv_timer_t second;
    uv_signal_t winch;
    const struct screen_ops *ops;
    void *ctx;
    bool open;    /* the handles are on the loop */
    bool closing; /* screen_close() was called */
    /* When the last frame went out (uv_now); an owner drawing outside
     * the render sets it too. */
    uint64_t last_frame_ms;
};

/* The handles on loop, started; 0 or a libuv error. */
int screen_start(struct screen *s, uv_loop_t *loop,
                 const struct screen_ops *ops, void *ctx);
/* Every handle closed (once; no callback runs after it). */
void screen_close(struct screen *s);

#endif
