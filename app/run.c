/*
 * run.c: liqtop run [PORTFOLIO] --feed SRC... --headless [--until-end]
 * [--report json] [--record FILE] [--stale-after S] [--positions F.jsonl]
 * [--price SYM=P]...: the dashboard's loop and book without a terminal.
 *
 * Owns the command's arguments and its report. Runs until every feed has
 * ended (--until-end) or SIGINT/SIGTERM, then prints the report; the loop
 * is closed with every handle released (uv_loop_close returns 0).
 */
#include "app/run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

#include "app/alerts.h"
#include "app/app.h"
#include "app/cmd_common.h"
#include "app/demo.h"
#include "app/portfolio.h"
#include "app/shard_pub.h"
#include "app/textout.h"
#include "core/liq.h"
#include "feeds/redis_conn.h"
#include "tui/fmt.h"

static const char usage[] =
    "usage: liqtop run [PORTFOLIO] --feed SRC... --headless [--until-end]\n"
    "                  [--report json] [--record FILE] [--stale-after S]\n"
    "                  [--positions FILE.jsonl] [--price SYM=P]...\n"
    "                  [--alerts RULES.json] [--steps N] [--accrue-every S]\n"
    "                  [--shard I/N] [--publish redis://HOST:PORT/PREFIX\n"
    "                  [--publish-top K] [--publish-rate R]]\n"
    "\n"
    "The live loop without a terminal. SRC: sim[:SEED], replay:FILE[@SPEED],\n"
    "stdin, exec:CMD, tcp:HOST:PORT, unix:PATH, redis://HOST:PORT/CHANNEL,\n"
    "redis-stream://HOST:PORT/KEY[?from=ID].\n"
    "Ends when every feed has ended (--until-end; sim then runs 600 steps)\n"
    "or on SIGINT/SIGTERM (exit 130 / 143), and prints a JSON report with\n"
    "--report json, else a one-line summary. --steps N (with --until-end)\n"
    "ends sim after N steps.\n"
    "--shard I/N keeps the positions whose id hashes to I of N; --publish\n"
    "publishes the shard's counts and lowest K positions (default 100) to\n"
    "Redis at most R times a second (default 4), a heartbeat every second,\n"
    "and answers previews asked through Redis (liqtop attach).\n"
    "Without PORTFOLIO the built-in demo book is used. --alerts watches the\n"
    "book with the rules of RULES.json and hands each event to its actions.\n"
    "A book without as_of has its interest accrued to the clock every\n"
    "--accrue-every S seconds (10).\n";

/* Without --report: one line on standard output, what a run did and where
 * the book ended, counts grouped by thousands. */
static int
run_summary(struct app *a, FILE *out)
{
    struct book_counts c;
    char ticks[48], lines[48], pos[48], liq[32], risk[32];

    book_counts(a->book, &c);
    fmt_count_noun(ticks, sizeof ticks, a->ticks_applied, "tick", "ticks");
    fmt_count_noun(lines, sizeof lines, app_rejected_total(a), "line", "lines");
    fmt_count_noun(pos, sizeof pos, c.total, "position", "positions");
    fmt_count(liq, sizeof liq, c.liquidatable);
    fmt_count(risk, sizeof risk, c.at_risk);
    fprintf(out,
            "liqtop run: %s applied, %s rejected; %s: %s liquidatable, %s "
            "at risk (--report json for the whole report)\n",
            ticks, lines, pos, liq, risk);
    return ferror(out) ? LIQ_EIO : 0;
}

int
run_main(int argc, char **argv)
{
    static const char *const with_value[] = {
        "--positions",    "--price",        "--feed",    "--report",
        "--record",       "--stale-after",  "--steps",   "--confirmations",
        "--alerts",       "--shard",        "--publish", "--publish-top",
        "--publish-rate", "--accrue-every", NULL};
    struct alerts *alerts = NULL;
    const char *alerts_path = NULL;
    struct shard_pub_opts po;
    struct shard_pub *pub = NULL;
    bool sharded = false;
    struct cmd_book_opts o;
    struct cmd_args args;
    struct app_opts ao;
    struct app app;
    uv_loop_t loop;
    const char **feeds, *opt, *val, *report = NULL;
    size_t nfeeds = 0;
    bool headless = false;
    char err[512];
    struct book *b = NULL;
    int rc, status = CMD_EXIT_OK;

    memset(&o, 0, sizeof(o));
    memset(&ao, 0, sizeof(ao));
    memset(&po, 0, sizeof(po));
    po.nshards = 1;
    o.prices = calloc((size_t)argc + 1, sizeof(*o.prices));
    feeds = calloc((size_t)argc + 1, sizeof(*feeds));
    if (o.prices == NULL || feeds == NULL)
        liq_nomem();
    cmd_common_args_init(&args, argc, argv);
    while ((rc = cmd_common_next(&args, with_value, &opt, &val, err,
                                 sizeof(err))) == 1) {
        if (cmd_common_book_arg(&o, "run", opt, val, &status)) {
            if (status != CMD_EXIT_OK)
                goto out;
            continue;
        }
        if (strcmp(opt, "--feed") == 0) {
            feeds[nfeeds++] = val;
        } else if (strcmp(opt, "--headless") == 0) {
            headless = true;
        } else if (strcmp(opt, "--until-end") == 0) {
            ao.until_end = true;
            ao.bounded = true;
        } else if (strcmp(opt, "--report") == 0) {
            if (strcmp(val, "json") != 0) {
                status =
                    cmd_common_usage_error("run", "--report takes json", val);
                goto out;
            }
            report = val;
        } else if (strcmp(opt, "--alerts") == 0) {
            alerts_path = val;
        } else if (strcmp(opt, "--shard") == 0) {
            if (shard_pub_parse(val, &po.shard, &po.nshards) != 0) {
                status = cmd_common_usage_error(
                    "run", "--shard takes I/N with 0 <= I < N <= 4096", val);
                goto out;
            }
            sharded = true;
        } else if (strcmp(opt, "--publish") == 0) {
            po.url = val;
        } else if (strcmp(opt, "--publish-top") == 0 ||
                   strcmp(opt, "--publish-rate") == 0) {
            bool top = strcmp(opt, "--publish-top") == 0;
            uint32_t n;

            if (cmd_common_count(val, top ? 100000 : 1000, &n) != 0 || n == 0) {
                status = cmd_common_usage_error(
                    "run",
                    top ? "--publish-top takes 1 to 100000 positions"
                        : "--publish-rate takes 1 to 1000 a second",
                    val);
                goto out;
            }
            if (top)
                po.top = n;
            else
                po.rate = n;
        } else if (strcmp(opt, "--record") == 0) {
            ao.record_path = val;
        } else if (strcmp(opt, "--stale-after") == 0) {
            if (cmd_common_seconds(val, &ao.stale_after_ms) != 0) {
                status = cmd_common_usage_error(
                    "run", "--stale-after takes seconds above 0", val);
                goto out;
            }
        } else if (strcmp(opt, "--accrue-every") == 0) {
            if (cmd_common_seconds(val, &ao.accrue_ms) != 0) {
                status = cmd_common_usage_error(
                    "run", "--accrue-every takes seconds above 0", val);
                goto out;
            }
        } else if (strcmp(opt, "--confirmations") == 0) {
            if (cmd_common_count(val, 1000, &ao.confirmations) != 0) {
                status = cmd_common_usage_error(
                    "run", "--confirmations takes 0 to 1000 blocks", val);
                goto out;
            }
        } else if (strcmp(opt, "--steps") == 0) {
            char *end = NULL;
            unsigned long n = strtoul(val, &end, 10);

            if (end == val || *end != '\0' || n == 0 || n > 100000000) {
                status = cmd_common_usage_error(
                    "run", "--steps takes a count above 0", val);
                goto out;
            }
            ao.sim_steps = (uint32_t)n;
        } else {
            status = cmd_common_other_opt("run", usage, opt);
            goto out;
        }
    }
    if (rc < 0) {
        status = cmd_common_fail("run", err);
        goto out;
    }
    if (!headless) {
        status = cmd_common_usage_error(
            "run", "needs --headless (the dashboard is `liqtop PORTFOLIO`)",
            "");
        goto out;
    }
    if (ao.sim_steps != 0 && !ao.until_end) {
        status = cmd_common_usage_error(
            "run", "--steps bounds the simulator of an --until-end run", "");
        goto out;
    }
    if (nfeeds == 0) {
        fputs("liqtop run: --feed SRC is required\n", stderr);
        fputs(usage, stderr);
        status = CMD_EXIT_BAD;
        goto out;
    }
    if (po.url != NULL) {
        char host[256], name[256];
        int port;

        if (redis_conn_url(po.url, "redis", host, sizeof host, &port, name,
                           sizeof name, err, sizeof err) != 0) {
            status = cmd_common_usage_error("run", "--publish", err);
            goto out;
        }
    }
    if (sharded)
        portfolio_set_shard(po.shard, po.nshards);
    if (o.portfolio != NULL) {
        b = cmd_common_load(&o, err, sizeof(err));
    } else {
        b = book_new();
        if (demo_load(b, err, sizeof(err)) != 0) {
            book_free(b);
            b = NULL;
        }
    }
    if (b == NULL) {
        status = cmd_common_fail("run", err);
        goto out;
    }
    book_update(b);
    if (uv_loop_init(&loop) != 0) {
        status = cmd_common_fail("run", "cannot start the event loop");
        goto out;
    }
    ao.portfolio = o.portfolio;
    if (alerts_path != NULL &&
        alerts_load(&alerts, &loop, b, alerts_path, err, sizeof(err)) != 0) {
        status = cmd_common_fail("run", err);
        uv_loop_close(&loop);
        goto out;
    }
    if (app_init(&app, &loop, b, &ao, err, sizeof(err)) != 0) {
        status = cmd_common_fail("run", err);
        uv_loop_close(&loop);
        goto out;
    }
    app.alerts = alerts;
    app.alerts_path = alerts_path;
    if (alerts != NULL && alerts_start(alerts) != 0) {
        status = cmd_common_fail("run", "cannot start the alert actions");
        app.alerts = NULL;
    }
    for (size_t i = 0; i < nfeeds; i++) {
        if (app_add_feed(&app, feeds[i], err, sizeof(err)) != 0) {
            status = cmd_common_fail("run", err);
            break;
        }
    }
    if (status == CMD_EXIT_OK && po.url != NULL &&
        (shard_pub_new(&pub, &app, &po, err, sizeof err) != 0 ||
         shard_pub_start(pub) != 0)) {
        status = cmd_common_fail("run", "cannot start publishing");
    }
    if (status == CMD_EXIT_OK && app_start(&app) != 0)
        status = cmd_common_fail("run", "cannot start the feeds");
    /* A started publisher closes its connections on the way: through
     * its stop hook, which stops the app after. */
    if (status != CMD_EXIT_OK && app.on_stop != NULL)
        app.on_stop(&app);
    else if (status != CMD_EXIT_OK)
        app_stop(&app);
    uv_run(&loop, UV_RUN_DEFAULT);
    if (status == CMD_EXIT_OK) {
        book_update(b);
        if ((report != NULL ? app_report_json(&app, stdout)
                            : run_summary(&app, stdout)) != 0)
            status = cmd_common_fail("run", "writing the report failed");
        if (app.error[0] != '\0') {
            char safe[400]; /* a child's stderr or a peer's text */

            textout_safe(safe, sizeof safe, app.error, strlen(app.error), 300);
            fprintf(stderr, "liqtop run: last problem: %s\n", safe);
        }
        if (pub != NULL && shard_pub_error(pub)[0] != '\0')
            fprintf(stderr, "liqtop run: publishing: %s\n",
                    shard_pub_error(pub));
        if (alerts != NULL && alerts_actions_failed(alerts) > 0)
            fprintf(stderr, "liqtop run: %llu alert deliveries failed: %s\n",
                    (unsigned long long)alerts_actions_failed(alerts),
                    alerts_last_error(alerts));
    }
    /* As shells report a death by signal: 128 + its number, the report
     * printed first. */
    if (status == CMD_EXIT_OK && app.signal != 0)
        status = 128 + app.signal;
    app_done(&app);
    if (app.record_error[0] != '\0' && status == CMD_EXIT_OK)
        status = cmd_common_fail("run", app.record_error);
    if (uv_loop_close(&loop) != 0)
        fputs("liqtop run: event loop left handles open\n", stderr);
out:
    shard_pub_free(pub);
    alerts_free(alerts);
    book_free(b);
    free(o.prices);
    free(feeds);
    return status;
}
