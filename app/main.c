/*
 * main.c: entry point: hands argv to the command it names.
 *
 * Owns the top-level usage text and the version; every command lives in
 * its own file under app/.
 */
#include <stdio.h>
#include <string.h>

#include "app/cmd_check.h"
#include "app/cmd_preview.h"
#include "app/cmd_snapshot.h"
#include "app/cmd_stress.h"
#include "app/dash.h"
#include "app/gen.h"
#include "app/memadvise.h"
#include "app/run.h"

#define LIQTOP_VERSION "0.1.0"

static const char usage[] =
    "usage: liqtop [OPTIONS] [PORTFOLIO]     the live dashboard (no "
    "PORTFOLIO:\n"
    "                                        the built-in demo book)\n"
    "       liqtop snapshot PORTFOLIO [--positions F.jsonl] [--price "
    "SYM=P]...\n"
    "                       [--format json|csv|table]\n"
    "       liqtop preview PORTFOLIO --position ID [--debt SYM] "
    "[--collateral SYM]\n"
    "                      [--repay AMOUNT|max] [--target-health H]\n"
    "                      [--price SYM=P]... [--format json|table]\n"
    "       liqtop check PORTFOLIO [--min-health H] [--price SYM=P]...\n"
    "       liqtop stress PORTFOLIO --shock SYM=PCT%[,...]... [--grid "
    "SYM=A%..B%/S%]\n"
    "                     [--format json|csv|table]\n"
    "       liqtop run PORTFOLIO --feed SOURCE... --headless [--until-end]\n"
    "                  [--report json]\n"
    "       liqtop gen ...                   a synthetic book and feed\n"
    "       liqtop --help | --version\n"
    "\n"
    "Exit status: 0 done, 1 check found a position below the threshold,\n"
    "2 bad input or usage. 'liqtop COMMAND --help' for a command; man "
    "liqtop.\n";

int
main(int argc, char **argv)
{
    const char *cmd = argc > 1 ? argv[1] : NULL;

    memadvise_install();
    if (cmd == NULL)
        return dash_main(0, argv + 1);
    if (strcmp(cmd, "snapshot") == 0)
        return cmd_snapshot_main(argc - 2, argv + 2);
    if (strcmp(cmd, "preview") == 0)
        return cmd_preview_main(argc - 2, argv + 2);
    if (strcmp(cmd, "stress") == 0)
        return cmd_stress_main(argc - 2, argv + 2);
    if (strcmp(cmd, "check") == 0)
        return cmd_check_main(argc - 2, argv + 2);
    if (strcmp(cmd, "run") == 0)
        return run_main(argc - 2, argv + 2);
    if (strcmp(cmd, "gen") == 0)
        return gen_main(argc - 2, argv + 2);
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 ||
        strcmp(cmd, "help") == 0) {
        fputs(usage, stdout);
        return 0;
    }
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "-V") == 0) {
        puts("liqtop " LIQTOP_VERSION);
        return 0;
    }
    return dash_main(argc - 1, argv + 1);
}
