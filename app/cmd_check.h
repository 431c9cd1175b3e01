/*
 * cmd_check.h: liqtop check (design.md section 4).
 */
#ifndef CMD_CHECK_H
#define CMD_CHECK_H

/* argv[0] is the first argument after the subcommand. Returns the process
 * exit status (0, 1 or 2). */
int cmd_check_main(int argc, char **argv);

#endif
