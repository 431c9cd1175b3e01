/*
 * gen.h: the synthetic book and feed generator (liqtop gen).
 */
#ifndef GEN_H
#define GEN_H

/* argv[0] is the first argument after the program name (or subcommand).
 * Returns the process exit status (0, 1 or 2). */
int gen_main(int argc, char **argv);

#endif
