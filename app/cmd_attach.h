/*
 * cmd_attach.h: liqtop attach redis://HOST:PORT/PREFIX: the merged
 * ranking of sharded workers without a terminal, and a preview asked of
 * the worker that holds the position (design.md section 10).
 */
#ifndef CMD_ATTACH_H
#define CMD_ATTACH_H

/* argv[0] is the first argument after the subcommand. Returns the process
 * exit status (0, 1 or 2). */
int cmd_attach_main(int argc, char **argv);

#endif
