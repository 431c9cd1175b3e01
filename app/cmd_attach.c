/*
 * cmd_attach.c: liqtop attach URL [--top K] [--stale-after S]
 * [--until STATE] [--for S] [--timeout S] and liqtop attach URL
 * --position ID [preview's options]: the merged view of app/shard_view.c
 * printed once, or one preview through Redis.
 *
 * Owns the command's arguments, when it prints, and its exit status: 0
 * printed a settled view (or the preview), 1 printed a view that did not
 * settle in time, 2 bad usage, Redis never answered, or the worker's
 * preview failed.
 */
#include "app/cmd_attach.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

#include "app/cmd_common.h"
#include "app/shard_view.h"
#include "app/textout.h"
#include "core/liq.h"

static const char usage[] =
    "usage: liqtop attach redis://HOST:PORT/PREFIX [--top K]\n"
    "                     [--stale-after S] [--until STATE] [--for S]\n"
    "                     [--timeout S]\n"
    "       liqtop attach redis://HOST:PORT/PREFIX --position ID [--debt "
    "SYM]\n"
    "                     [--collateral SYM] [--repay AMOUNT|max | --seize "
    "AMOUNT]\n"
    "                     [--target-health H] [--format json|table]\n"
    "\n"
    "The merged ranking of the workers that publish to PREFIX (liqtop run\n"
    "--shard I/N --publish URL), as JSON: each worker's state and age, the\n"
    "summed counts and the lowest K positions (default 100), each as\n"
    "snapshot prints it. Printed once every shard of N publishes, none is\n"
    "stale and each worker's rows are current (--until STATE: and every\n"
    "worker's state is STATE, e.g. ended), or after --for S seconds of\n"
    "watching. Exit 1 when it did not settle within --timeout (default 30 "
    "s).\n"
    "With --position, the preview computed by the worker that holds ID, as\n"
    "liqtop preview prints it.\n";

struct attach {
    struct shard_view v;
    uv_timer_t check;
    uint64_t start_ms, for_ms, timeout_ms;
    const char *until;
    struct shard_preview_req q;
    bool preview, asked, done;
    int status;
    char *answer;
    size_t answer_len;
    char msg[512];
};

static void
attach_finish(struct attach *at, int status)
{
    if (at->done)
        return;
    at->done = true;
    at->status = status;
    uv_close((uv_handle_t *)&at->check, NULL);
    shard_view_stop(&at->v);
}

static void
attach_answer(void *arg, int status, const char *text, size_t len)
{
    struct attach *at = arg;

    if (status != 0) {
        snprintf(at->msg, sizeof at->msg, "%.*s", (int)len, text);
        at->status = CMD_EXIT_BAD;
    } else {
        at->answer = malloc(len + 1);
        if (at->answer == NULL)
            liq_nomem();
        memcpy(at->answer, text, len);
        at->answer[len] = '\0';
        at->answer_len = len;
    }
}

static void
attach_check_cb(uv_timer_t *t)
{
    struct attach *at = t->data;
    uint64_t now = uv_now(t->loop), ran = now - at->start_ms;

    if (at->done)
        return;
    if (at->preview) {
        if (at->answer != NULL || at->msg[0] != '\0') {
            attach_finish(at, at->answer != NULL ? CMD_EXIT_OK : CMD_EXIT_BAD);
            return;
        }
        if (!at->asked && at->v.have_beats) {
            int rc = shard_view_preview(&at->v, &at->q, attach_answer, at);

            if (rc == 0)
                at->asked = true;
            else if (rc == LIQ_ENOENT && ran > at->v.stale_ms)
                snprintf(at->msg, sizeof at->msg,
                         "no publishing worker holds the shard of %.200s",
                         at->q.position);
        }
    } else if (at->for_ms > 0 ? ran >= at->for_ms
                              : shard_view_settled(&at->v, at->until)) {
        attach_finish(at, CMD_EXIT_OK);
        return;
    }
    if (ran >= at->timeout_ms) {
        if (at->preview && at->msg[0] == '\0')
            snprintf(at->msg, sizeof at->msg, "%s",
                     !at->v.have_beats ? "Redis did not answer in time"
                                       : "the worker did not answer in time");
        if (!at->preview && !at->v.have_beats)
            snprintf(at->msg, sizeof at->msg, "Redis did not answer in time");
        attach_finish(at, at->preview || !at->v.have_beats ? CMD_EXIT_BAD
                                                           : CMD_EXIT_BELOW);
    }
}

int
cmd_attach_main(int argc, char **argv)
{
    static const char *const with_value[] = {
        "--top",     "--stale-after", "--until",         "--for",
        "--timeout", "--position",    "--debt",          "--collateral",
        "--repay",   "--seize",       "--target-health", "--format",
        NULL};
    struct attach *at = calloc(1, sizeof *at);
    struct cmd_args a;
    const char *opt, *val, *url = NULL;
    uint64_t stale_ms = 0;
    uint32_t top = 0;
    uv_loop_t loop;
    char err[512];
    int rc, status;

    if (at == NULL)
        liq_nomem();
    at->timeout_ms = 30000;
    cmd_common_args_init(&a, argc, argv);
    while ((rc = cmd_common_next(&a, with_value, &opt, &val, err,
                                 sizeof err)) == 1) {
        if (opt == NULL) {
            if (url != NULL) {
                status = cmd_common_usage_error("attach", "unexpected argument",
                                                val);
                goto out;
            }
            url = val;
        } else if (strcmp(opt, "--top") == 0) {
            if (cmd_common_count(val, 100000, &top) != 0 || top == 0) {
                status = cmd_common_usage_error(
                    "attach", "--top takes 1 to 100000 positions", val);
                goto out;
            }
        } else if (strcmp(opt, "--stale-after") == 0 ||
                   strcmp(opt, "--for") == 0 || strcmp(opt, "--timeout") == 0) {
            uint64_t ms;

            if (cmd_common_seconds(val, &ms) != 0) {
                status = cmd_common_usage_error(
                    "attach", "expected seconds above 0", val);
                goto out;
            }
            if (opt[2] == 's')
                stale_ms = ms;
            else if (opt[2] == 'f')
                at->for_ms = ms;
            else
                at->timeout_ms = ms;
        } else if (strcmp(opt, "--until") == 0) {
            at->until = val;
        } else if (strcmp(opt, "--position") == 0) {
            at->q.position = val;
            at->preview = true;
        } else if (strcmp(opt, "--debt") == 0) {
            at->q.debt = val;
        } else if (strcmp(opt, "--collateral") == 0) {
            at->q.coll = val;
        } else if (strcmp(opt, "--repay") == 0) {
            at->q.repay = val;
        } else if (strcmp(opt, "--seize") == 0) {
            at->q.seize = val;
        } else if (strcmp(opt, "--target-health") == 0) {
            at->q.target = val;
        } else if (strcmp(opt, "--format") == 0) {
            if (strcmp(val, "json") != 0 && strcmp(val, "table") != 0) {
                status = cmd_common_usage_error(
                    "attach", "--format must be json or table", val);
                goto out;
            }
            at->q.table = strcmp(val, "table") == 0;
        } else if (strcmp(opt, "--help") == 0 || strcmp(opt, "-h") == 0) {
            fputs(usage, stdout);
            status = CMD_EXIT_OK;
            goto out;
        } else {
            status = cmd_common_usage_error("attach", "unknown option", opt);
            goto out;
        }
    }
    if (rc < 0) {
        status = cmd_common_fail("attach", err);
        goto out;
    }
    if (url == NULL) {
        fputs("liqtop attach: redis://HOST:PORT/PREFIX is required\n", stderr);
        fputs(usage, stderr);
        status = CMD_EXIT_BAD;
        goto out;
    }
    if (uv_loop_init(&loop) != 0) {
        status = cmd_common_fail("attach", "cannot start the event loop");
        goto out;
    }
    if (shard_view_start(&at->v, &loop, url, stale_ms, top, err, sizeof err) !=
        0) {
        shard_view_stop(&at->v);
        uv_run(&loop, UV_RUN_DEFAULT);
        uv_loop_close(&loop);
        status = cmd_common_fail("attach", err);
        goto out;
    }
    at->start_ms = uv_now(&loop);
    uv_timer_init(&loop, &at->check);
    at->check.data = at;
    uv_timer_start(&at->check, attach_check_cb, 20, 20);
    uv_run(&loop, UV_RUN_DEFAULT);
    status = at->status;
    if (at->preview && at->answer != NULL) {
        /* The worker's error comes as {"error": "..."}: exit 2 then. */
        cJSON *e = cJSON_ParseWithLength(at->answer, at->answer_len);
        const cJSON *m = cJSON_GetObjectItemCaseSensitive(e, "error");

        if (cJSON_IsString(m))
            snprintf(at->msg, sizeof at->msg, "%s", m->valuestring);
        else
            fwrite(at->answer, 1, at->answer_len, stdout);
        cJSON_Delete(e);
    } else if (!at->preview && at->msg[0] == '\0') {
        if (shard_view_write_json(&at->v, stdout) != 0)
            status = cmd_common_fail("attach", "cannot write the output");
        else if (status == CMD_EXIT_BELOW)
            fputs("liqtop attach: the view did not settle in time\n", stderr);
    }
    if (at->msg[0] != '\0')
        status = cmd_common_fail("attach", at->msg);
    if (at->v.link.error[0] != '\0' && status == CMD_EXIT_BAD &&
        at->msg[0] != '\0')
        fprintf(stderr, "liqtop attach: last Redis problem: %s\n",
                at->v.link.error);
    shard_view_free(&at->v);
    if (uv_loop_close(&loop) != 0)
        fputs("liqtop attach: event loop left handles open\n", stderr);
out:
    free(at->answer);
    free(at);
    return status;
}
