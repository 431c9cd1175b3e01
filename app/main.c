/*
 * main.c: entry point. Hands argv to the command dispatcher.
 *
 * Owns nothing; everything is built in app/.
 */
#include <stdio.h>

int
main(void)
{
    fputs("liqtop: under construction\n", stderr);
    return 2;
}
