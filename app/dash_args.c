/*
 * dash_args.c: the dashboard's command line (dash_args.h): each option
 * checked and kept, a bad one said on standard error with exit status 2,
 * --help printed. Loads nothing and opens nothing; dash.c does.
 */
#include "app/dash_args.h"

#include <stdlib.h>
#include <string.h>

#include "app/dash.h"
#include "core/decimal.h"
#include "core/liq.h"

int
dash_args_parse(struct dash_args *a, int argc, char **argv)
{
    static const char *const with_value[] = {"--positions",
                                             "--price",
                                             "--feed",
                                             "--theme",
                                             "--stale-after",
                                             "--record",
                                             "--confirmations",
                                             "--alerts",
                                             "--accrue-every",
                                             "--target-health",
                                             NULL};
    struct cmd_args args;
    const char *opt, *val;
    char err[512];
    int rc, status;

    memset(a, 0, sizeof(*a));
    a->o.prices = calloc((size_t)argc + 1, sizeof(*a->o.prices));
    a->feeds = calloc((size_t)argc + 2, sizeof(*a->feeds));
    if (a->o.prices == NULL || a->feeds == NULL)
        liq_nomem();
    cmd_common_args_init(&args, argc, argv);
    while ((rc = cmd_common_next(&args, with_value, &opt, &val, err,
                                 sizeof(err))) == 1) {
        if (cmd_common_book_opt(&a->o, opt, val))
            continue;
        if (opt == NULL) {
            if (a->o.portfolio != NULL) {
                status =
                    cmd_common_usage_error(NULL, "unexpected argument", val);
                return status;
            }
            a->o.portfolio = val;
        } else if (strcmp(opt, "--feed") == 0) {
            a->feeds[a->nfeeds++] = val;
        } else if (strcmp(opt, "--theme") == 0) {
            a->theme = val;
        } else if (strcmp(opt, "--record") == 0) {
            a->ao.record_path = val;
        } else if (strcmp(opt, "--alerts") == 0) {
            a->alerts_path = val;
        } else if (strcmp(opt, "--stale-after") == 0) {
            if (cmd_common_seconds(val, &a->ao.stale_after_ms) != 0) {
                status = cmd_common_usage_error(
                    NULL, "--stale-after takes seconds above 0", val);
                return status;
            }
        } else if (strcmp(opt, "--accrue-every") == 0) {
            if (cmd_common_seconds(val, &a->ao.accrue_ms) != 0) {
                status = cmd_common_usage_error(
                    NULL, "--accrue-every takes seconds above 0", val);
                return status;
            }
        } else if (strcmp(opt, "--confirmations") == 0) {
            if (cmd_common_count(val, 1000, &a->ao.confirmations) != 0) {
                status = cmd_common_usage_error(
                    NULL, "--confirmations takes 0 to 1000 blocks", val);
                return status;
            }
        } else if (strcmp(opt, "--target-health") == 0) {
            if (decimal_parse(&a->target, val, strlen(val), 18,
                              DECIMAL_EXACT) != 0 ||
                u256_is_zero(a->target)) {
                status = cmd_common_usage_error(
                    NULL,
                    "--target-health takes a health factor above 0 such as "
                    "1.05 (at most 18 places)",
                    val);
                return status;
            }
            a->has_target = true;
        } else if (strcmp(opt, "--help") == 0 || strcmp(opt, "-h") == 0) {
            fputs(dash_usage(), stdout);
            status = CMD_EXIT_OK;
            return status;
        } else {
            status = cmd_common_usage_error(NULL, "unknown option", opt);
            return status;
        }
    }
    if (rc < 0) {
        status = cmd_common_fail(NULL, err);
        return status;
    }
    return -1;
}

void
dash_args_done(struct dash_args *a)
{
    free(a->o.prices);
    free(a->feeds);
}
