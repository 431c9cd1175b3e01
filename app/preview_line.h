/*
 * preview_line.h: one line of preview's table (preview_line.c), the layout
 * cmd_preview.c and the per-protocol parts (preview_comet.c,
 * preview_gate.c, preview_liquity.c) share.
 */
#ifndef PREVIEW_LINE_H
#define PREVIEW_LINE_H

#include <stdio.h>

/* "  NAME (22 columns) VALUE   NOTE\n"; no note when NULL or "". */
void preview_line(FILE *out, const char *name, const char *value,
                  const char *note);

#endif
