/*
 * liq.h: the project's error codes and their descriptions.
 *
 * Owns LIQ_E* and liq_strerror(). Every fallible function in the project
 * returns 0 or one of these negative codes; results come back through
 * out-parameters that a failed call leaves untouched.
 */
#ifndef LIQ_H
#define LIQ_H

enum liq_err {
    LIQ_OK = 0,
    LIQ_EPARSE = -1,     /* text is not a number, JSON is malformed */
    LIQ_ERANGE = -2,     /* a value outside what its field allows */
    LIQ_EPRECISION = -3, /* more decimal places than the unit holds */
    LIQ_EOVERFLOW = -4,  /* a result does not fit in 256 bits */
    LIQ_EDIVZERO = -5,   /* division by zero */
    LIQ_ENOENT = -6,     /* unknown id, symbol, model or asset */
    LIQ_EDUP = -7,       /* a duplicate id */
    LIQ_ENOPRICE = -8,   /* an asset has no price */
    LIQ_EINVAL = -9,     /* an argument or combination that makes no sense */
    LIQ_ENOMEM = -10,    /* out of memory where the caller can recover */
    LIQ_ESTALE = -11,    /* a price older than the stale limit */
    LIQ_ELIMIT = -12,    /* a fixed capacity is exceeded */
    LIQ_EIO = -13        /* reading or writing failed */
};

/* A static, human description of code (never NULL). */
const char *liq_strerror(int code);

/*
 * An allocation failed where the program cannot go on: runs the hook set
 * by liq_nomem_hook (which says "out of memory" and exits), else aborts.
 * Never returns.
 */
_Noreturn void liq_nomem(void);
void liq_nomem_hook(void (*hook)(void));

#endif
