/*
 * run.c: the headless run (liqtop run PORTFOLIO --feed ... --headless) (being
 * written).
 */
#include "app/run.h"

#include <stdio.h>

int
run_main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fputs("liqtop: not available yet\n", stderr);
    return 2;
}
