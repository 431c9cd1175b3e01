/*
 * liq.c: descriptions of the LIQ_E* error codes.
 *
 * Owns nothing but the table below; it must stay free of I/O.
 */
#include "core/liq.h"

#include <stdlib.h>

static void (*liq_nomem_fn)(void);

void
liq_nomem_hook(void (*hook)(void))
{
    liq_nomem_fn = hook;
}

_Noreturn void
liq_nomem(void)
{
    if (liq_nomem_fn != NULL)
        liq_nomem_fn();
    abort();
}

const char *
liq_strerror(int code)
{
    switch (code) {
    case LIQ_OK:
        return "ok";
    case LIQ_EPARSE:
        return "not a valid number or document";
    case LIQ_ERANGE:
        return "value out of range";
    case LIQ_EPRECISION:
        return "more decimal places than the unit holds";
    case LIQ_EOVERFLOW:
        return "arithmetic overflow (256 bits)";
    case LIQ_EDIVZERO:
        return "division by zero";
    case LIQ_ENOENT:
        return "not found";
    case LIQ_EDUP:
        return "duplicate id";
    case LIQ_ENOPRICE:
        return "no price";
    case LIQ_EINVAL:
        return "invalid argument";
    case LIQ_ENOMEM:
        return "out of memory";
    case LIQ_ESTALE:
        return "stale price";
    case LIQ_ELIMIT:
        return "capacity exceeded";
    case LIQ_EIO:
        return "input/output error";
    }
    return "unknown error";
}
