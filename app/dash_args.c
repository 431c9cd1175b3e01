/*
 * dash_args.c: the dashboard's command line (dash_args.h): each option
 * checked and kept, a bad one said on standard error with exit status 2,
 * --help printed (the usage text is here). Loads nothing and opens
 * nothing; dash.c does.
 */
#include "app/dash_args.h"

#include <stdlib.h>
#include <string.h>

#include "app/dash.h"
#include "core/decimal.h"
#include "core/liq.h"

static const char usage[] =
    "usage: liqtop [PORTFOLIO] [--feed SRC]... [--positions FILE.jsonl]\n"
    "              [--theme NAME] [--stale-after S] [--price SYM=P]...\n"
    "              [--record FILE] [--alerts RULES.json] [--accrue-every S]\n"
    "              [--target-health H]\n"
    "\n"
    "The live dashboard. Without PORTFOLIO: the built-in demo book and\n"
    "--feed sim.\n"
    "\n"
    "  PORTFOLIO            the book (JSON; - reads it from standard input)\n"
    "  --positions F.jsonl  more positions, one JSON object a line\n"
    "  --feed SRC           a price source, may repeat: sim[:SEED],\n"
    "                       replay:FILE[@SPEED|@max], stdin, exec:CMD,\n"
    "                       tcp:HOST:PORT, unix:PATH, redis://HOST:PORT/CHAN,\n"
    "                       redis-stream://HOST:PORT/KEY[?from=ID]\n"
    "                       (with stdin the keys come from the terminal)\n"
    "  --theme NAME         dark, light, high-contrast, mono, or a path\n"
    "  --stale-after S      a price older than S seconds is stale (60)\n"
    "  --accrue-every S     interest of a book without as_of accrued to the\n"
    "                       clock every S seconds (10)\n"
    "  --price SYM=P        a starting price, may repeat\n"
    "  --record FILE        append every applied tick as a replayable line\n"
    "  --alerts RULES.json  watch the book with these rules (event log, "
    "actions)\n"
    "  --confirmations N    rpc feeds: read N blocks behind the newest (0)\n"
    "  --target-health H    the preview's target where the market has none\n"
    "                       of its own (Aave v4's), else config\n"
    "                       target_health, else 1; h in the preview\n"
    "  --attach redis://HOST:PORT/PREFIX  instead of a book: the merged\n"
    "                       view of workers run with --shard and --publish\n"
    "                       (with --theme, --stale-after S, --top K)\n"
    "  -h, --help           this text\n"
    "\n"
    "Keys: ? or F1 help (every key), / filter (hf<1.1 tier:liq market:aave\n"
    "asset:WETH stale or text), n/N next/previous match, s sort, S or I\n"
    "reverse, Enter detail, p preview, f freeze, t theme, q or F10 quit.\n"
    "Exit status: 0, 2 bad input, 130 after SIGINT, 143 after SIGTERM.\n"
    "Also: liqtop snapshot|preview|check|run|gen ... (each with --help).\n";

const char *
dash_usage(void)
{
    return usage;
}

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
    int rc, status = CMD_EXIT_OK;

    memset(a, 0, sizeof(*a));
    a->o.prices = calloc((size_t)argc + 1, sizeof(*a->o.prices));
    a->feeds = calloc((size_t)argc + 2, sizeof(*a->feeds));
    if (a->o.prices == NULL || a->feeds == NULL)
        liq_nomem();
    cmd_common_args_init(&args, argc, argv);
    while ((rc = cmd_common_next(&args, with_value, &opt, &val, err,
                                 sizeof(err))) == 1) {
        if (cmd_common_book_arg(&a->o, NULL, opt, val, &status)) {
            if (status != CMD_EXIT_OK)
                return status;
            continue;
        }
        if (strcmp(opt, "--feed") == 0) {
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
