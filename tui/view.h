/*
 * view.h: the views: header, ranked table, detail and preview panes,
 * help overlay and status line, each drawing into a frame from the book
 * and the ui state. No curses here: tests render views to text.
 */
#ifndef VIEW_H
#define VIEW_H

#include "tui/frame.h"
#include "tui/input.h"
#include "tui/layout.h"
#include "tui/ui.h"

/* Draw everything for layout l into f (f is l->rows x l->cols). */
void view_render(struct frame *f, const struct layout *l, struct ui *u,
                 const struct ui_info *info, const struct keymap *km,
                 uint64_t now_ms);

/* The parts, for view_render and the golden tests. */
void view_header(struct frame *f, const struct layout *l, struct ui *u,
                 const struct ui_info *info);
void view_table(struct frame *f, const struct layout *l, struct ui *u);
void view_detail(struct frame *f, const struct layout *l, struct ui *u,
                 const struct ui_info *info);
void view_preview(struct frame *f, const struct layout *l, struct ui *u);
/* The header's price strip on row, and the event log (l->events). */
void view_prices(struct frame *f, const struct layout *l, struct ui *u,
                 int row);
void view_events(struct frame *f, const struct layout *l, struct ui *u);
void view_help(struct frame *f, const struct layout *l, struct ui *u,
               const struct keymap *km);
void view_status(struct frame *f, const struct layout *l, struct ui *u,
                 const struct ui_info *info, const struct keymap *km,
                 uint64_t now_ms);

/* morpho-pre (view_pre.c), false for other markets or shapes: the
 * detail pane's line of distances to pre-liquidation and liquidation and
 * the LTV, cut to cols; the preview's label of a pre-liquidation call
 * (false outside the band; brief the short form); the avoid view's
 * heading for the health target text `target` (and its short form). */
bool view_pre_detail_text(char *buf, size_t cap, int cols, struct ui *u,
                          const struct market *m, const struct position *pos,
                          const struct u256 *price);
bool view_pre_call_text(char *buf, size_t cap, char *brief, size_t bcap,
                        const struct market *m, const struct position *pos,
                        const struct u256 *price);
bool view_pre_avoid_text(char *buf, size_t cap, char *brief, size_t bcap,
                         const struct market *m, const char *target);

/* Role of a risk tier, and its text ("LIQ!!", "DANGER", "warn", "ok"). */
enum role view_tier_role(enum tier t);
const char *view_tier_text(enum tier t);

#endif
