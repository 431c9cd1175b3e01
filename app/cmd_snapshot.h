/*
 * cmd_snapshot.h: liqtop snapshot (design.md section 4).
 */
#ifndef CMD_SNAPSHOT_H
#define CMD_SNAPSHOT_H

/* argv[0] is the first argument after the subcommand. Returns the process
 * exit status (0, 1 or 2). */
int cmd_snapshot_main(int argc, char **argv);

#endif
