/*
 * attach_dash.h: liqtop --attach redis://HOST:PORT/PREFIX: the dashboard
 * over sharded workers' merged ranking, with no book of its own.
 */
#ifndef ATTACH_DASH_H
#define ATTACH_DASH_H

/* argv as dash_main takes it (the options after the program name).
 * Returns the process exit status. */
int attach_dash_main(int argc, char **argv);

#endif
