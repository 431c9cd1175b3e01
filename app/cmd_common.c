/*
 * cmd_common.c: argument reading, book loading and error reporting shared
 * by the headless commands.
 *
 * Owns no command's meaning; prints only to stderr.
 */
#include "app/cmd_common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/portfolio.h"
#include "app/textout.h"
#include "core/liq.h"

void
cmd_common_args_init(struct cmd_args *a, int argc, char **argv)
{
    a->argc = argc;
    a->argv = argv;
    a->i = 0;
    a->no_more_opts = false;
}

int
cmd_common_next(struct cmd_args *a, const char *const *with_value,
                const char **opt, const char **val, char *err, size_t errlen)
{
    const char *arg, *eq;
    const char *const *w;
    size_t nlen;

    for (;;) {
        if (a->i >= a->argc)
            return 0;
        arg = a->argv[a->i++];
        if (a->no_more_opts || arg[0] != '-' || arg[1] == '\0') {
            *opt = NULL;
            *val = arg;
            return 1;
        }
        if (strcmp(arg, "--") == 0) {
            a->no_more_opts = true;
            continue;
        }
        break;
    }
    eq = strchr(arg, '=');
    nlen = eq != NULL ? (size_t)(eq - arg) : strlen(arg);
    for (w = with_value; *w != NULL; w++)
        if (strlen(*w) == nlen && strncmp(*w, arg, nlen) == 0)
            break;
    *opt = arg;
    *val = NULL;
    if (*w == NULL)
        return 1; /* a flag, or unknown: the caller decides */
    *opt = *w;
    if (eq != NULL) {
        *val = eq + 1;
        return 1;
    }
    if (a->i >= a->argc) {
        snprintf(err, errlen, "%s needs a value", *w);
        return LIQ_EINVAL;
    }
    *val = a->argv[a->i++];
    return 1;
}

bool
cmd_common_book_arg(struct cmd_book_opts *o, const char *cmd, const char *opt,
                    const char *val, int *status)
{
    if (opt == NULL) {
        if (o->portfolio != NULL)
            *status = cmd_common_usage_error(cmd, "unexpected argument", val);
        o->portfolio = val;
        return true;
    }
    if (strcmp(opt, "--positions") == 0) {
        if (o->positions != NULL)
            o->dup_positions = true; /* which one was meant? refused */
        o->positions = val;
        return true;
    }
    if (strcmp(opt, "--price") == 0) {
        o->prices[o->nprices++] = val;
        return true;
    }
    return false;
}

int
cmd_common_other_opt(const char *cmd, const char *usage, const char *opt)
{
    if (strcmp(opt, "--help") == 0 || strcmp(opt, "-h") == 0) {
        fputs(usage, stdout);
        return CMD_EXIT_OK;
    }
    return cmd_common_usage_error(cmd, "unknown option", opt);
}

struct book *
cmd_common_load(const struct cmd_book_opts *o, char *err, size_t errlen)
{
    return cmd_common_load_watched(o, NULL, err, errlen);
}

struct book *
cmd_common_load_watched(const struct cmd_book_opts *o,
                        const struct portfolio_watch *w, char *err,
                        size_t errlen)
{
    struct book *b;
    size_t i;

    if (o->dup_positions) {
        snprintf(err, errlen, "--positions given twice");
        return NULL;
    }
    b = book_new();
    if (portfolio_load_watched(b, o->portfolio, o->positions, w, err, errlen) !=
        0)
        goto fail;
    for (i = 0; i < o->nprices; i++)
        if (portfolio_price_arg(b, o->prices[i], err, errlen) != 0)
            goto fail;
    if (portfolio_check_prices(b, err, errlen) != 0 ||
        portfolio_check_accounts(b, err, errlen) != 0)
        goto fail;
    return b;
fail:
    book_free(b);
    return NULL;
}

/* The command's name in a message: "liqtop CMD: " or, for the dashboard
 * (NULL or ""), "liqtop: ". */
static const char *
cmd_common_name(const char *cmd)
{
    return cmd != NULL ? cmd : "";
}

static const char *
cmd_common_sep(const char *cmd)
{
    return cmd != NULL && cmd[0] != '\0' ? " " : "";
}

int
cmd_common_fail(const char *cmd, const char *msg)
{
    char safe[1024];

    /* Messages quote files, feeds and arguments: sanitized as a whole. */
    textout_safe(safe, sizeof safe, msg, strlen(msg), 600);
    fflush(stdout);
    fprintf(stderr, "liqtop%s%s: %s\n", cmd_common_sep(cmd),
            cmd_common_name(cmd), safe);
    return CMD_EXIT_BAD;
}

int
cmd_common_usage_error(const char *cmd, const char *what, const char *arg)
{
    char safe[96];

    textout_safe(safe, sizeof safe, arg, strlen(arg), 60);
    fflush(stdout);
    fprintf(stderr, "liqtop%s%s: %s%s%s\n(see 'liqtop%s%s --help')\n",
            cmd_common_sep(cmd), cmd_common_name(cmd), what,
            safe[0] != '\0' ? ": " : "", safe, cmd_common_sep(cmd),
            cmd_common_name(cmd));
    return CMD_EXIT_BAD;
}

int
cmd_common_seconds(const char *val, uint64_t *ms)
{
    char *end = NULL;
    double s = strtod(val, &end);

    if (end == val || *end != '\0' || !(s > 0) || s > 31536000.0)
        return -1;
    *ms = (uint64_t)(s * 1000.0 + 0.5);
    return 0;
}

int
cmd_common_count(const char *val, uint32_t max, uint32_t *out)
{
    uint64_t v = 0;

    if (*val == '\0')
        return -1;
    for (const char *p = val; *p != '\0'; p++) {
        if (*p < '0' || *p > '9')
            return -1;
        v = v * 10 + (uint64_t)(*p - '0');
        if (v > max)
            return -1;
    }
    *out = (uint32_t)v;
    return 0;
}

int
cmd_common_format(const char *val)
{
    static const char *const names[] = {"json", "csv", "table"};

    for (int i = 0; i < 3; i++) {
        if (strcmp(val, names[i]) == 0)
            return i;
    }
    return -1;
}
