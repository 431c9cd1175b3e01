/*
 * scan.h: the exhaustive scan the property tests hold preview's least
 * repay to a target against (design.md 4.1): every cover from one bound
 * to another through model_liquidate on preview's legs (scan.c).
 *
 * Test-only; never linked into ./liqtop. Everything is borrowed.
 */
#ifndef SCAN_H
#define SCAN_H

#include <stdbool.h>
#include <stdint.h>

#include "core/model.h"
#include "core/preview.h"

/* The call on pv's debt and collateral legs covering x: accepted (no
 * revert) with health after at least pv's target; the call into *out. */
bool scan_call_reaches(const struct market *m, const struct position *p,
                       const struct u256 *price, const struct preview *pv,
                       struct u256 x, struct liq_result *out);

/* Every cover from `from` to `to` (raw units of pv's debt leg): asserts
 * that one reaches exactly when preview found a call to the target, and
 * that preview's repay_to_target and collateral_to_target are those of
 * the reaching call that repays least; `what` names the case in the
 * messages. Whether one reaches. */
bool scan_least_repay(const struct market *m, const struct position *p,
                      const struct u256 *price, const struct preview *pv,
                      uint64_t from, uint64_t to, const char *what);

#endif
