/*
 * cmd_preview.h: liqtop preview (design.md section 4).
 */
#ifndef CMD_PREVIEW_H
#define CMD_PREVIEW_H

/* argv[0] is the first argument after the subcommand. Returns the process
 * exit status (0, 1 or 2). */
int cmd_preview_main(int argc, char **argv);

#endif
