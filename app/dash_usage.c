/*
 * dash_usage.c: the dashboard's --help text (dash.h), which `liqtop
 * --help` also prints after the commands. Text only: no option is read
 * here (dash_args.c reads them).
 */
#include "app/dash.h"

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
