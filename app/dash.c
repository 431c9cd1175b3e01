/*
 * dash.c: the interactive dashboard (liqtop [OPTIONS] [PORTFOLIO]) (being
 * written).
 */
#include "app/dash.h"

#include <stdio.h>

int
dash_main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fputs("liqtop: not available yet\n", stderr);
    return 2;
}
