/*
 * dash_args.h: the dashboard's command line (dash_args.c). struct
 * dash_args holds what the options said; its two arrays are malloc'd by
 * dash_args_parse and freed by dash_args_done (the strings in them are
 * argv's, borrowed).
 */
#ifndef DASH_ARGS_H
#define DASH_ARGS_H

#include <stdbool.h>
#include <stddef.h>

#include "app/app.h"
#include "app/cmd_common.h"
#include "core/u256.h"

struct dash_args {
    struct cmd_book_opts o; /* the book's options (o.prices malloc'd) */
    struct app_opts ao;     /* the loop's (--record, --stale-after, ...) */
    const char **feeds;     /* --feed SRC in order (malloc'd) */
    size_t nfeeds;
    const char *theme;       /* --theme, or NULL */
    const char *alerts_path; /* --alerts, or NULL */
    bool has_target;         /* --target-health given: target */
    struct u256 target;
};

/* Read argv into a (zeroed first). -1: go on; else the exit status to
 * end with (0 after --help, 2 after a bad option, already said). Either
 * way dash_args_done(a) frees what it holds. */
int dash_args_parse(struct dash_args *a, int argc, char **argv);
void dash_args_done(struct dash_args *a);

#endif
