/*
 * preview_line.c: the table line of preview_line.h. Owns the layout only.
 */
#include "app/preview_line.h"

void
preview_line(FILE *out, const char *name, const char *value, const char *note)
{
    fprintf(out, "  %-22s %s", name, value);
    if (note != NULL && note[0] != '\0')
        fprintf(out, "   %s", note);
    putc('\n', out);
}
