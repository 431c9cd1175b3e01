/*
 * dash.h: the interactive dashboard (liqtop [OPTIONS] [PORTFOLIO]).
 */
#ifndef DASH_H
#define DASH_H

/* argv[0] is the first argument after the program name (or subcommand).
 * Returns the process exit status (0, 2, or 128 + the signal that
 * stopped it). */
int dash_main(int argc, char **argv);
/* The dashboard's options and keys, as its --help prints them (static
 * text, not to be freed). */
const char *dash_usage(void);

#endif
