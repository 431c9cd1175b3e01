/*
 * stress_prep.h: a position prepared for the model's verdict in many
 * scenarios that move the prices of a few of its assets, as `liqtop
 * stress` asks it once per scenario for each holder of a moved symbol.
 *
 * Owns struct stress_prep (the caller's, on its stack or in its arrays:
 * nothing to free) and these functions. The verdict is stress_verdict's
 * own, the same answer: the legs of the other assets are valued once.
 * Pure: no allocation, no I/O.
 */
#ifndef STRESS_PREP_H
#define STRESS_PREP_H

#include <stdbool.h>
#include <stdint.h>

#include "core/market.h"
#include "core/model.h"
#include "core/position.h"
#include "core/stress.h"
#include "core/u256.h"

struct stress_prep {
    const struct market *m;
    const struct position *p; /* borrowed: it must outlive the verdicts */
    const struct model_ops *ops;
    uint32_t moving; /* a bit per asset whose price may differ */
    bool fast;       /* the twins serve: every leg within 128 bits */
    bool additive;   /* term128 and finish128; else account128 */
    bool has_debt;
    /* additive: the sums of the legs of assets not in moving */
    struct model_sums128 rest;
    uint8_t asset[2 * POSITION_SIDE_MAX]; /* collateral legs first */
    u128 amount[2 * POSITION_SIDE_MAX];
    /* For the call's legs: each leg's token balance (model_balance, no
     * price in it) where it fits 128 bits, bit i of `bal` set, and bit i
     * of `nil` where the leg counts 0 (model_largest_leg's cases). */
    u128 balance[2 * POSITION_SIDE_MAX];
    uint32_t bal, nil;
};

/*
 * Prepare p (market m) for verdicts at prices (base units, indexed like
 * m->assets) equal to price0 at every asset not in `moving`.
 */
void stress_prep_init(struct stress_prep *sp, const struct market *m,
                      const struct position *p, const struct u256 *price0,
                      uint32_t moving);

/*
 * stress_verdict(m, p, price, liq) for the prepared p, price as promised
 * to stress_prep_init; m is the prepared market or, for a model valued
 * whole, a copy of it (a scaled oracle). 0, or the model's error.
 */
int stress_prep_verdict(const struct stress_prep *sp, const struct market *m,
                        const struct u256 *price, bool *liq);

/*
 * stress_call(m, p, price, was_liquidatable, t) for the prepared p: the
 * call's legs picked from the balances of stress_prep_init (the same as
 * model_largest_leg's), m as for stress_prep_verdict.
 */
int stress_prep_call(const struct stress_prep *sp, const struct market *m,
                     const struct u256 *price, bool was_liquidatable,
                     struct stress_totals *t);

#endif
