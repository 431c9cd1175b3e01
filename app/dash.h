/*
 * dash.h: the interactive dashboard (liqtop [OPTIONS] [PORTFOLIO]).
 */
#ifndef DASH_H
#define DASH_H

/* argv[0] is the first argument after the program name (or subcommand).
 * Returns the process exit status (0, 1 or 2). */
int dash_main(int argc, char **argv);

#endif
