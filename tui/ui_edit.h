/*
 * ui_edit.h: the dashboard's typing and repay stepping (ui_edit.c), for
 * ui_key() in ui.c. Each returns the dirty bits of struct ui's state it
 * changed; nothing is allocated, so nothing is freed.
 */
#ifndef UI_EDIT_H
#define UI_EDIT_H

#include <stdint.h>

#include "tui/ui.h"

/* Open the prompt for e, its text init. */
void ui_edit_start(struct ui *u, enum ui_edit e, const char *init);
/* One key typed into the open prompt: Enter applies it, Esc drops it. */
unsigned ui_edit_key(struct ui *u, int key, uint64_t now_ms);
/* Step the preview's repay by percent_x10 tenths of a percent of the
 * largest call (negative: down), from the typed one or that call. */
unsigned ui_edit_step_repay(struct ui *u, int percent_x10);

#endif
