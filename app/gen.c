/*
 * gen.c: the synthetic book and feed generator (liqtop gen) (being written).
 */
#include "app/gen.h"

#include <stdio.h>

int
gen_main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fputs("liqtop: not available yet\n", stderr);
    return 2;
}
