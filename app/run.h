/*
 * run.h: the headless run (liqtop run PORTFOLIO --feed ... --headless).
 */
#ifndef RUN_H
#define RUN_H

/* argv[0] is the first argument after the program name (or subcommand).
 * Returns the process exit status (0, 1 or 2). */
int run_main(int argc, char **argv);

#endif
