/*
 * cmd_stress.h: liqtop stress (design.md 9.1), price scenarios over the
 * whole book.
 */
#ifndef CMD_STRESS_H
#define CMD_STRESS_H

/* argv holds the arguments after "stress"; returns the exit status. */
int cmd_stress_main(int argc, char **argv);

#endif
