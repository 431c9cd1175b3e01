/*
 * main.c: entry point: hands argv to the command it names.
 *
 * Owns the top-level usage text and the version; every command lives in
 * its own file under app/.
 */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/cmd_attach.h"
#include "app/cmd_check.h"
#include "app/cmd_preview.h"
#include "app/cmd_snapshot.h"
#include "app/cmd_stress.h"
#include "app/dash.h"
#include "app/gen.h"
#include "app/import.h"
#include "app/memadvise.h"
#include "app/run.h"
#include "core/liq.h"
#include "tui/term.h"

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
    "                  [--report json] [--shard I/N --publish "
    "redis://H:P/PREFIX]\n"
    "       liqtop attach redis://HOST:PORT/PREFIX [--position ID ...]\n"
    "                                        the merged view of sharded "
    "workers\n"
    "       liqtop gen ...                   a synthetic book and feed\n"
    "       liqtop import --rpc URL --morpho MORPHO --market ID...\n"
    "                  [--user ADDR]... [--borrowers] [--out FILE]\n"
    "       liqtop --help | --version\n"
    "\n"
    "Exit status: 0 done, 1 check found a position below the threshold,\n"
    "2 bad input or usage. 'liqtop COMMAND --help' for a command; man "
    "liqtop.\n";

/* Every allocation failure ends here: the terminal restored, one message,
 * exit 2 (never SIGABRT without a word). */
static void
main_nomem(void)
{
    static const char msg[] = "liqtop: out of memory\n";

    if (term_active())
        term_stop();
    if (write(STDERR_FILENO, msg, sizeof(msg) - 1) < 0)
        _exit(2);
    _exit(2);
}

static void *
main_cjson_malloc(size_t n)
{
    void *p = malloc(n);

    if (p == NULL)
        liq_nomem();
    return p;
}

int
main(int argc, char **argv)
{
    const char *cmd = argc > 1 ? argv[1] : NULL;
    cJSON_Hooks hooks = {main_cjson_malloc, free};

    liq_nomem_hook(main_nomem);
    cJSON_InitHooks(&hooks);
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
    if (strcmp(cmd, "attach") == 0)
        return cmd_attach_main(argc - 2, argv + 2);
    if (strcmp(cmd, "import") == 0)
        return import_main(argc - 2, argv + 2);
    if (strcmp(cmd, "gen") == 0)
        return gen_main(argc - 2, argv + 2);
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 ||
        strcmp(cmd, "help") == 0) {
        fputs(usage, stdout);
        printf("\n%s", dash_usage()); /* the dashboard's options */
        return 0;
    }
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "-V") == 0) {
        puts("liqtop " LIQTOP_VERSION);
        return 0;
    }
    return dash_main(argc - 1, argv + 1);
}
