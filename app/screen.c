/*
 * screen.c: the terminal's handles that the dashboard and the attached
 * view share (screen.h): keys read until the terminal has no more, a
 * frame at most every SCREEN_FRAME_MS, a 1 s timer, SIGWINCH, and the
 * terminal's end told to the owner.
 *
 * Owns the handles alone; what a key, a frame or a second does is the
 * owner's (struct screen_ops). Never draws, never reads a key's meaning,
 * never starts or restores the terminal.
 */
#include "app/screen.h"

#include <signal.h>
#include <stddef.h>

#include "tui/term.h"

static void
screen_input_cb(uv_poll_t *h, int status, int events)
{
    struct screen *s = h->data;
    int key;

    while (status == 0 && !s->closing && (key = term_key()) != -1) {
        if (key == KEY_RESIZE_)
            continue;
        if (s->ops->key(s->ctx, key))
            return;
    }
    /* The terminal closed: no key will come, and nobody would see the
     * screen; the owner ends (as a death by SIGHUP would). */
    if (!s->closing &&
        (status < 0 || (events & UV_DISCONNECT) != 0 || term_gone()))
        s->ops->gone(s->ctx);
}

static void
screen_defer_cb(uv_timer_t *t)
{
    (void)t; /* waking the loop is enough: the prepare handle renders */
}

/* Just before the loop sleeps: render if anything is dirty, unless the
 * last frame was under SCREEN_FRAME_MS ago (then a timer wakes the loop
 * for it). */
static void
screen_render_cb(uv_prepare_t *h)
{
    struct screen *s = h->data;
    uint64_t now = uv_now(h->loop), since = now - s->last_frame_ms;

    if (s->closing || !s->ops->dirty(s->ctx))
        return;
    if (s->last_frame_ms != 0 && since < SCREEN_FRAME_MS) {
        if (!uv_is_active((uv_handle_t *)&s->defer))
            uv_timer_start(&s->defer, screen_defer_cb, SCREEN_FRAME_MS - since,
                           0);
        return;
    }
    s->ops->draw(s->ctx);
    s->last_frame_ms = now;
}

static void
screen_second_cb(uv_timer_t *t)
{
    struct screen *s = t->data;

    s->ops->second(s->ctx);
}

static void
screen_winch_cb(uv_signal_t *h, int sig)
{
    struct screen *s = h->data;

    (void)sig;
    s->ops->resized(s->ctx);
}

int
screen_start(struct screen *s, uv_loop_t *loop, const struct screen_ops *ops,
             void *ctx)
{
    int rc;

    s->ops = ops;
    s->ctx = ctx;
    s->closing = false;
    rc = uv_poll_init(loop, &s->input, term_input_fd());
    if (rc == 0)
        rc = uv_prepare_init(loop, &s->render);
    if (rc == 0)
        rc = uv_timer_init(loop, &s->defer);
    if (rc == 0)
        rc = uv_timer_init(loop, &s->second);
    if (rc == 0)
        rc = uv_signal_init(loop, &s->winch);
    if (rc != 0)
        return rc;
    s->open = true;
    s->input.data = s->render.data = s->defer.data = s->second.data =
        s->winch.data = s;
    rc = uv_poll_start(&s->input, UV_READABLE | UV_DISCONNECT, screen_input_cb);
    if (rc == 0)
        rc = uv_prepare_start(&s->render, screen_render_cb);
    if (rc == 0)
        rc = uv_timer_start(&s->second, screen_second_cb, 1000, 1000);
    if (rc == 0)
        rc = uv_signal_start(&s->winch, screen_winch_cb, SIGWINCH);
    return rc;
}

void
screen_close(struct screen *s)
{
    s->closing = true;
    if (!s->open)
        return;
    s->open = false;
    uv_close((uv_handle_t *)&s->input, NULL);
    uv_close((uv_handle_t *)&s->render, NULL);
    uv_close((uv_handle_t *)&s->defer, NULL);
    uv_close((uv_handle_t *)&s->second, NULL);
    uv_close((uv_handle_t *)&s->winch, NULL);
}
