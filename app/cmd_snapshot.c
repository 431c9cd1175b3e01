/*
 * cmd_snapshot.c: liqtop snapshot PORTFOLIO [--positions F.jsonl]
 * [--price SYM=P]... [--format json|csv|table].
 *
 * Owns the command's arguments; the formats belong to snapshot.c.
 */
#include "app/cmd_snapshot.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/cmd_common.h"
#include "app/snapshot.h"

static const char usage[] =
    "usage: liqtop snapshot PORTFOLIO [--positions FILE.jsonl]\n"
    "                       [--price SYM=P]... [--format json|csv|table]\n"
    "\n"
    "Every position at the portfolio's prices (or those given), lowest\n"
    "health first. --format json (the default) prints {\"positions\": "
    "[...]};\n"
    "csv one header row and a row a position; table aligned columns.\n";

int
cmd_snapshot_main(int argc, char **argv)
{
    static const char *const with_value[] = {"--positions", "--price",
                                             "--format", NULL};
    struct cmd_book_opts o;
    struct cmd_args a;
    enum snapshot_format fmt = SNAPSHOT_JSON;
    const char *opt, *val;
    char err[512];
    struct book *b;
    int rc, status;

    memset(&o, 0, sizeof o);
    o.prices = calloc((size_t)argc + 1, sizeof *o.prices);
    if (o.prices == NULL)
        return cmd_common_fail("snapshot", "out of memory");
    cmd_common_args_init(&a, argc, argv);
    status = CMD_EXIT_OK;
    while ((rc = cmd_common_next(&a, with_value, &opt, &val, err,
                                 sizeof err)) == 1) {
        if (cmd_common_book_opt(&o, opt, val))
            continue;
        if (opt == NULL) {
            if (o.portfolio != NULL) {
                status = cmd_common_usage_error("snapshot",
                                                "unexpected argument", val);
                goto out;
            }
            o.portfolio = val;
        } else if (strcmp(opt, "--format") == 0) {
            if (strcmp(val, "json") == 0) {
                fmt = SNAPSHOT_JSON;
            } else if (strcmp(val, "csv") == 0) {
                fmt = SNAPSHOT_CSV;
            } else if (strcmp(val, "table") == 0) {
                fmt = SNAPSHOT_TABLE;
            } else {
                status = cmd_common_usage_error(
                    "snapshot", "--format must be json, csv or table", val);
                goto out;
            }
        } else if (strcmp(opt, "--help") == 0 || strcmp(opt, "-h") == 0) {
            fputs(usage, stdout);
            goto out;
        } else {
            status = cmd_common_usage_error("snapshot", "unknown option", opt);
            goto out;
        }
    }
    if (rc < 0) {
        status = cmd_common_fail("snapshot", err);
        goto out;
    }
    if (o.portfolio == NULL) {
        fputs(usage, stderr);
        status = CMD_EXIT_BAD;
        goto out;
    }
    b = cmd_common_load(&o, err, sizeof err);
    if (b == NULL) {
        status = cmd_common_fail("snapshot", err);
        goto out;
    }
    if (snapshot_write(stdout, b, fmt) != 0)
        status = cmd_common_fail("snapshot", "cannot write the output");
    book_free(b);
out:
    free(o.prices);
    return status;
}
