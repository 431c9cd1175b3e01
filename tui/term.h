/*
 * term.h: the terminal: curses set up and torn down, a frame drawn with
 * one doupdate(), keys read without blocking, sizes from the tty.
 *
 * Owns the only contact with curses (tui/term.c is the one file that
 * includes it). term_stop() restores the terminal and is safe to call
 * twice, from any exit path.
 */
#ifndef TERM_H
#define TERM_H

#include <stdbool.h>

#include "tui/frame.h"
#include "tui/input.h"
#include "tui/theme.h"

/* Enter the alternate screen, raw-ish input, no cursor, mouse clicks and
 * wheel. Keys come from stdin when it is the terminal, else from /dev/tty
 * (stdin may then carry a feed). false when stdout is not a terminal or
 * there is none to read keys from. */
bool term_start(void);
/* The descriptor keys arrive on (to poll). */
int term_input_fd(void);
/* Whether the terminal keys come from is gone (hung up: its window or
 * connection closed), so that no key will ever come again. */
bool term_gone(void);
/* The mouse event term_key() answered KEY_MOUSE_ for; false when it is
 * none the dashboard uses (a release, a drag). */
bool term_mouse(struct input_mouse *out);
void term_stop(void);
bool term_active(void);
/* On a crash (SIGSEGV, SIGBUS, SIGFPE, SIGABRT) restore the terminal,
 * then die of the same signal, so even a bug leaves a usable shell. */
void term_crash_restore(void);
/* Set up colours for theme (attributes only without colour support). */
void term_theme(const struct theme *t);
/* Copy the frame to the screen and update once. */
void term_draw(const struct frame *f);
/* Ring the terminal's bell (curses beep()); nothing when not active. */
void term_bell(void);
/* The next key (tui/input.h codes), -1 when none is waiting. */
int term_key(void);
/* The tty's size now; resize curses to it. */
void term_resize(int *rows, int *cols);

#endif
