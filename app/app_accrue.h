/*
 * app_accrue.h: interest accrued with the clock (app_accrue.c). Nothing
 * here allocates what the caller frees.
 */
#ifndef APP_ACCRUE_H
#define APP_ACCRUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/market.h"

struct app;

/* How often the dashboard and run move such markets to the clock. */
#define APP_ACCRUE_MS 10000

/* Whether m's figures depend on time and its as_of follows the clock:
 * no "as_of" in the file, no chain source setting it. */
bool app_accrue_needed(const struct market *m);
/* m (a copy) accrued to moment t (unix s) where t is after its as_of: its
 * as_of becomes t. LIQ_ERANGE where the contract's arithmetic would
 * overflow; m is then partly changed (the caller drops the copy). */
int app_accrue_market(struct market *m, int64_t t);
/* Every market of a's book that needs it moved to t, their positions
 * valued again in one pass (book_markets_set). Returns how many moved; a
 * market that could not be is left as it was and said in err. */
uint32_t app_accrue(struct app *a, int64_t t, char *err, size_t errlen);

#endif
