/*
 * bench_dash.h: the dashboard's figures of `make bench` (bench_dash.c).
 */
#ifndef BENCH_DASH_H
#define BENCH_DASH_H

#include <stdint.h>

#include "core/book.h"

/* Filter keystrokes, sort changes, navigation, a tick and an idle frame
 * on book b through the dashboard's state (tui/ui.h), each in CPU and
 * wall time beside the rescan way; sym is a symbol to tick. */
void bench_dash(struct book *b, uint32_t sym);

#endif
