/*
 * cmd_stress.c: liqtop stress PORTFOLIO [--positions F.jsonl]
 * [--price SYM=P]... --shock SYM=PCT%[,SYM=PCT%]... [--shock ...]
 * [--grid SYM=FROM%..TO%/STEP%[,...]] [--format json|csv|table].
 *
 * Owns the command and its three outputs (design.md 9.1). Each scenario
 * moves the book's prices (the book revalues only the holders of the
 * moved assets), walks the ranking's liquidatable head, and sums what
 * core/stress gives per position; nothing here computes money.
 */
#include "app/cmd_stress.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/cmd_common.h"
#include "app/stress_run.h"
#include "app/stress_spec.h"
#include "app/textout.h"
#include "core/decimal.h"
#include "core/liq.h"
#include "core/stress.h"

static const char usage[] =
    "usage: liqtop stress PORTFOLIO --shock SYM=PCT%[,SYM=PCT%]... "
    "[--shock ...]\n"
    "                     [--grid SYM=FROM%..TO%/STEP%[,...]]\n"
    "                     [--positions FILE.jsonl] [--price SYM=P]...\n"
    "                     [--format json|csv|table]\n"
    "\n"
    "Each scenario moves the named prices (each cut to base units as an\n"
    "oracle would) and prints the positions liquidatable then, those newly\n"
    "so, and summed over them one largest liquidation call per position:\n"
    "debt repaid, collateral seized, bonus and bad debt, in base units,\n"
    "per market and in total. A grid range gives a scenario per step;\n"
    "ranges joined by commas give every combination.\n";

int
cmd_stress_main(int argc, char **argv)
{
    static const char *const with_value[] = {
        "--positions", "--price", "--format", "--shock", "--grid", NULL};
    struct cmd_book_opts o;
    struct cmd_args a;
    enum stress_format fmt = STRESS_JSON;
    struct book *b = NULL;
    struct stress_spec spec;
    const char **specs, *opt, *val;
    bool *is_grid;
    size_t nspecs = 0;
    char err[512];
    int rc, status = CMD_EXIT_OK;

    memset(&o, 0, sizeof o);
    stress_spec_init(&spec);
    o.prices = calloc((size_t)argc + 1, sizeof *o.prices);
    specs = calloc((size_t)argc + 1, sizeof *specs);
    is_grid = calloc((size_t)argc + 1, sizeof *is_grid);
    if (o.prices == NULL || specs == NULL || is_grid == NULL)
        abort();
    cmd_common_args_init(&a, argc, argv);
    while ((rc = cmd_common_next(&a, with_value, &opt, &val, err,
                                 sizeof err)) == 1) {
        if (cmd_common_book_arg(&o, "stress", opt, val, &status)) {
            if (status != CMD_EXIT_OK)
                goto out;
            continue;
        }
        if (strcmp(opt, "--shock") == 0 || strcmp(opt, "--grid") == 0) {
            is_grid[nspecs] = opt[2] == 'g';
            specs[nspecs++] = val;
        } else if (strcmp(opt, "--format") == 0) {
            int k = cmd_common_format(val);

            if (k < 0) {
                status = cmd_common_usage_error(
                    "stress", "--format must be json, csv or table", val);
                goto out;
            }
            fmt = (enum stress_format)k;
        } else {
            status = cmd_common_other_opt("stress", usage, opt);
            goto out;
        }
    }
    if (rc < 0) {
        status = cmd_common_fail("stress", err);
        goto out;
    }
    if (o.portfolio == NULL || nspecs == 0) {
        fputs(o.portfolio != NULL
                  ? "liqtop stress: --shock or --grid is required\n"
                  : "liqtop stress: PORTFOLIO is required\n",
              stderr);
        fputs(usage, stderr);
        status = CMD_EXIT_BAD;
        goto out;
    }
    b = cmd_common_load(&o, err, sizeof err);
    if (b == NULL) {
        status = cmd_common_fail("stress", err);
        goto out;
    }
    for (size_t i = 0; i < nspecs; i++) {
        rc = is_grid[i]
                 ? stress_spec_add_grid(&spec, b, specs[i], err, sizeof err)
                 : stress_spec_add_shock(&spec, b, specs[i], err, sizeof err);
        if (rc != 0) {
            status = cmd_common_fail("stress", err);
            goto out;
        }
    }
    if (stress_run_write(stdout, b, &spec, fmt, err, sizeof err) != 0)
        status = cmd_common_fail("stress", err);
    else if (fflush(stdout) != 0 || ferror(stdout))
        status = cmd_common_fail("stress", "cannot write the output");
out:
    book_free(b);
    stress_spec_done(&spec);
    free(o.prices);
    free(specs);
    free(is_grid);
    return status;
}
