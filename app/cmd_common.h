/*
 * cmd_common.h: what the headless commands (snapshot, preview, check)
 * share: reading their arguments, loading the book with its --positions
 * and --price overrides, and reporting errors.
 *
 * Owns the argument conventions: "--opt VALUE" and "--opt=VALUE", options
 * before or after the portfolio, "--" ends the options.
 */
#ifndef CMD_COMMON_H
#define CMD_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/book.h"

/* Exit statuses (design.md section 4). */
enum {
    CMD_EXIT_OK = 0,
    CMD_EXIT_BELOW = 1, /* check: a position below the threshold */
    CMD_EXIT_BAD = 2    /* bad input or usage */
};

/* Arguments of one command, read one at a time. */
struct cmd_args {
    int argc;
    char **argv; /* borrowed */
    int i;
    bool no_more_opts; /* after "--" */
};

void cmd_common_args_init(struct cmd_args *a, int argc, char **argv);

/*
 * The next argument. For an option, *opt is its name ("--price") and *val
 * its value when the name is in with_value (a NULL-terminated list), else
 * NULL. For a plain argument *opt is NULL and *val the text. Returns 1 when
 * there is one, 0 at the end, LIQ_EINVAL (message in err) for an option
 * that lacks its value.
 */
int cmd_common_next(struct cmd_args *a, const char *const *with_value,
                    const char **opt, const char **val, char *err,
                    size_t errlen);

/* The options every command takes, gathered while reading arguments. */
struct cmd_book_opts {
    const char *portfolio;
    const char *positions; /* --positions F.jsonl, or NULL */
    bool dup_positions;    /* --positions given twice: refused on load */
    const char **prices;   /* --price SYM=P, in order (argv strings) */
    size_t nprices;
};

/*
 * Record --positions, --price or the portfolio (a word that is no
 * option), and return true; a second portfolio is refused with cmd's
 * name (said on standard error, *status CMD_EXIT_BAD). False for an
 * option of the command's own: opt is then not NULL. prices must hold
 * argc entries.
 */
bool cmd_common_book_arg(struct cmd_book_opts *o, const char *cmd,
                         const char *opt, const char *val, int *status);

/* An option no clause of cmd took: --help or -h prints usage on standard
 * output (CMD_EXIT_OK), anything else is refused as unknown
 * (CMD_EXIT_BAD, said). */
int cmd_common_other_opt(const char *cmd, const char *usage, const char *opt);

/*
 * Load o->portfolio (and o->positions), apply the --price overrides, check
 * every held asset has a price and every account computes. On failure
 * returns NULL with the message in err. The caller frees with book_free.
 */
struct book *cmd_common_load(const struct cmd_book_opts *o, char *err,
                             size_t errlen);
/* As cmd_common_load, the loader watched by w (portfolio.h; NULL: none). */
struct portfolio_watch;
struct book *cmd_common_load_watched(const struct cmd_book_opts *o,
                                     const struct portfolio_watch *w, char *err,
                                     size_t errlen);

/* "--stale-after S": seconds above 0 (decimals allowed, at most a year)
 * into ms; -1 for anything else. */
int cmd_common_seconds(const char *val, uint64_t *ms);

/* A whole number 0..max (decimal digits only) into *out; -1 otherwise. */
int cmd_common_count(const char *val, uint32_t max, uint32_t *out);

/* Print "liqtop CMD: message" on stderr (cmd NULL or "": "liqtop: message",
 * the dashboard's); returns CMD_EXIT_BAD. */
int cmd_common_fail(const char *cmd, const char *msg);

/* --format's value for the commands that print json, csv or table
 * (snapshot, stress): 0, 1 or 2 in that order; -1 for any other. */
int cmd_common_format(const char *val);

/* Report an unknown option or extra argument, with the usage hint. */
int cmd_common_usage_error(const char *cmd, const char *what, const char *arg);

#endif
