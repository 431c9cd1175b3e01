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
#include "app/textout.h"

static const char usage[] =
    "usage: liqtop snapshot PORTFOLIO [--positions FILE.jsonl]\n"
    "                       [--price SYM=P]... [--format json|csv|table]\n"
    "                       [--stress-assets SYM,...]\n"
    "\n"
    "Every position at the portfolio's prices (or those given), lowest\n"
    "health first. --format json (the default) prints {\"positions\": "
    "[...]};\n"
    "csv one header row and a row a position; table aligned columns.\n"
    "liquidation_shock: the least uniform fall, in basis points, of the\n"
    "--stress-assets prices (default: each position's collateral not also\n"
    "owed) at which the position becomes liquidatable.\n";

/* --stress-assets SYM,...: each symbol of the book, into syms. */
static int
stress_assets(const struct book *b, const char *list, uint32_t **syms,
              size_t *n, char *err, size_t errlen)
{
    const char *p = list;
    size_t cap = 1;

    for (const char *c = list; *c; c++)
        cap += *c == ',';
    *syms = calloc(cap, sizeof **syms);
    if (*syms == NULL)
        abort();
    *n = 0;
    for (;;) {
        const char *c = strchr(p, ',');
        size_t len = c ? (size_t)(c - p) : strlen(p);
        char safe[64];

        if (len == 0 || book_symbol_find(b, p, len, &(*syms)[*n]) != 0) {
            textout_safe(safe, sizeof safe, p, len, 30);
            snprintf(err, errlen,
                     "--stress-assets %s: %s is no asset of the book",
                     len ? safe : "(empty)", len ? safe : "an empty name");
            return -1;
        }
        (*n)++;
        if (c == NULL)
            return 0;
        p = c + 1;
    }
}

int
cmd_snapshot_main(int argc, char **argv)
{
    static const char *const with_value[] = {
        "--positions", "--price", "--format", "--stress-assets", NULL};
    struct snapshot_opts so = {NULL, 0};
    const char *stress = NULL;
    uint32_t *syms = NULL;
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
        if (cmd_common_book_arg(&o, "snapshot", opt, val, &status)) {
            if (status != CMD_EXIT_OK)
                goto out;
            continue;
        }
        if (strcmp(opt, "--format") == 0) {
            int k = cmd_common_format(val);

            if (k < 0) {
                status = cmd_common_usage_error(
                    "snapshot", "--format must be json, csv or table", val);
                goto out;
            }
            fmt = (enum snapshot_format)k;
        } else if (strcmp(opt, "--stress-assets") == 0) {
            stress = val;
        } else {
            status = cmd_common_other_opt("snapshot", usage, opt);
            goto out;
        }
    }
    if (rc < 0) {
        status = cmd_common_fail("snapshot", err);
        goto out;
    }
    if (o.portfolio == NULL) {
        fputs("liqtop snapshot: PORTFOLIO is required\n", stderr);
        fputs(usage, stderr);
        status = CMD_EXIT_BAD;
        goto out;
    }
    b = cmd_common_load(&o, err, sizeof err);
    if (b == NULL) {
        status = cmd_common_fail("snapshot", err);
        goto out;
    }
    if (stress != NULL &&
        stress_assets(b, stress, &syms, &so.nstress, err, sizeof err) != 0) {
        status = cmd_common_fail("snapshot", err);
    } else {
        so.stress_syms = syms;
        if (snapshot_write_opts(stdout, b, fmt, &so) != 0)
            status = cmd_common_fail("snapshot", "cannot write the output");
    }
    book_free(b);
out:
    free(syms);
    free(o.prices);
    return status;
}
