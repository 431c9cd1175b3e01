/*
 * cmd_check.c: liqtop check PORTFOLIO [--min-health H] [--positions F]
 * [--price SYM=P]...: exit 1 when a position's health factor is below H.
 *
 * Owns the check's listing: one line a position below H on stdout, lowest
 * first, "ID<TAB>HEALTH<TAB>MARKET<TAB>LABEL"; a summary on stderr.
 */
#include "app/cmd_check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/cmd_common.h"
#include "app/textout.h"
#include "core/decimal.h"
#include "core/model.h"

static const char usage[] =
    "usage: liqtop check PORTFOLIO [--min-health H] [--positions FILE.jsonl]\n"
    "                    [--price SYM=P]...\n"
    "\n"
    "Lists the positions whose health factor is below H (default 1), one a\n"
    "line: id, health factor, market, label, separated by tabs. Exit status\n"
    "1 when there is one, 0 when there is none, 2 for bad input.\n";

/* Label for a tab-separated line: tabs and controls become spaces. */
static void
print_field(const char *s)
{
    char safe[1024];

    /* the one sanitizer: no control, bidi or format character passes */
    textout_safe(safe, sizeof safe, s, strlen(s), 400);
    fputs(safe, stdout);
}

int
cmd_check_main(int argc, char **argv)
{
    static const char *const with_value[] = {"--positions", "--price",
                                             "--min-health", NULL};
    struct cmd_book_opts o;
    struct cmd_args a;
    struct u256 min = u256_from_u64(WAD);
    const char *opt, *val, *min_text = "1";
    char err[512], hf[DECIMAL_BUF];
    struct book *b;
    uint32_t n, rank, below = 0;
    int rc, status;

    memset(&o, 0, sizeof o);
    o.prices = calloc((size_t)argc + 1, sizeof *o.prices);
    if (o.prices == NULL)
        return cmd_common_fail("check", "out of memory");
    cmd_common_args_init(&a, argc, argv);
    status = CMD_EXIT_OK;
    while ((rc = cmd_common_next(&a, with_value, &opt, &val, err,
                                 sizeof err)) == 1) {
        if (cmd_common_book_arg(&o, "check", opt, val, &status)) {
            if (status != CMD_EXIT_OK)
                goto out;
            continue;
        }
        if (strcmp(opt, "--min-health") == 0) {
            if (decimal_parse(&min, val, strlen(val), 18, DECIMAL_EXACT) != 0) {
                status = cmd_common_usage_error(
                    "check",
                    "--min-health needs a health factor such as 1.05 (at "
                    "most 18 places)",
                    val);
                goto out;
            }
            min_text = val;
        } else {
            status = cmd_common_other_opt("check", usage, opt);
            goto out;
        }
    }
    if (rc < 0) {
        status = cmd_common_fail("check", err);
        goto out;
    }
    if (o.portfolio == NULL) {
        fputs("liqtop check: PORTFOLIO is required\n", stderr);
        fputs(usage, stderr);
        status = CMD_EXIT_BAD;
        goto out;
    }
    b = cmd_common_load(&o, err, sizeof err);
    if (b == NULL) {
        status = cmd_common_fail("check", err);
        goto out;
    }
    book_update(b);
    n = book_rank_count(b);
    /* In rank order: health ascending, positions without debt last. */
    for (rank = 0; rank < n; rank++) {
        uint32_t idx = book_rank_at(b, rank);
        struct account acc;
        struct position p;

        if (!book_read_account(b, idx, &acc) || !acc.has_debt ||
            !u256_lt(acc.hf, min))
            continue;
        book_position_get(b, idx, &p);
        decimal_format(hf, sizeof hf, acc.hf, 18);
        print_field(p.id);
        printf("\t%s\t", hf);
        print_field(book_market(b, p.market)->id);
        putchar('\t');
        print_field(p.label);
        putchar('\n');
        below++;
    }
    if (fflush(stdout) != 0) {
        status = cmd_common_fail("check", "cannot write the output");
    } else {
        char safe[64];

        textout_safe(safe, sizeof safe, min_text, strlen(min_text), 40);
        fprintf(stderr,
                "liqtop check: %u of %u positions below health "
                "factor %s\n",
                below, n, safe);
        status = below > 0 ? CMD_EXIT_BELOW : CMD_EXIT_OK;
    }
    book_free(b);
out:
    free(o.prices);
    return status;
}
