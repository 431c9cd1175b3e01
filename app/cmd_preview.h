/*
 * cmd_preview.h: liqtop preview (design.md section 4).
 */
#ifndef CMD_PREVIEW_H
#define CMD_PREVIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "core/book.h"

/* argv[0] is the first argument after the subcommand. Returns the process
 * exit status (0, 1 or 2). */
int cmd_preview_main(int argc, char **argv);

/* What one preview asks (design.md section 4); strings borrowed, NULL
 * for what is not given. */
struct cmd_preview_args {
    const char *position;
    const char *debt;
    const char *coll;
    const char *repay; /* NULL or "max": the most one call may repay */
    const char *target;
    const char *seize; /* morpho-blue: the call names the collateral */
    bool table;
};

/*
 * Write the preview of pa on b's position to out, as `liqtop preview`
 * prints it (--format json, or table). An unknown position or bad
 * argument: LIQ_E* with the message in err, nothing written.
 */
int cmd_preview_write(FILE *out, struct book *b,
                      const struct cmd_preview_args *pa, char *err,
                      size_t errlen);

#endif
