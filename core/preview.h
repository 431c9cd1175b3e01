/*
 * preview.h: everything the preview shows for one position, one debt asset
 * and one collateral asset: the call's amounts, the least repay that reaches
 * a target health in one call, and for every asset the least repayment or
 * deposit that avoids liquidation on its own.
 *
 * Owns the solvers on top of the model interface. "Least" is exact: the
 * amount reaches the target, one raw unit less does not. Pure.
 */
#ifndef PREVIEW_H
#define PREVIEW_H

#include <stdbool.h>

#include "core/model.h"

/* Why no single call reaches the target. */
enum preview_reason {
    REASON_NONE,
    REASON_ALREADY_AT_TARGET, /* health already >= target: nothing to repay */
    REASON_LOWERS_HEALTH,     /* target <= LB * T: liquidation cannot lift */
    REASON_CAPPED,           /* caps (close factor, collateral, dust) stop it */
    REASON_NOT_LIQUIDATABLE, /* the call would revert now */
    REASON_NO_DEBT
};
const char *preview_reason_text(enum preview_reason r);

struct preview_req {
    int debt;          /* debt leg index, or -1: the largest by value */
    int coll;          /* collateral leg index, or -1: the largest by value */
    bool has_repay;    /* else repay = max_repay */
    struct u256 repay; /* debt raw units */
    bool has_target;   /* else 1.0 (WAD) */
    struct u256 target_hf; /* WAD */
};

struct preview_avoid {
    bool exists;        /* false: this asset alone cannot do it */
    struct u256 amount; /* raw units of that asset */
};

struct preview {
    uint8_t debt, coll; /* the legs chosen */
    struct account before;
    struct liq_result call; /* for the requested repay */
    struct u256 target_hf;  /* WAD */
    bool has_to_target;
    struct u256 repay_to_target;      /* debt raw units */
    struct u256 collateral_to_target; /* collateral seized by that repay */
    enum preview_reason reason;       /* why !has_to_target */
    /* Least plain repayment per debt leg, least deposit per collateral leg,
     * that on its own leaves health >= target_hf. */
    struct preview_avoid avoid_repay[POSITION_SIDE_MAX];
    struct preview_avoid avoid_deposit[POSITION_SIDE_MAX];
};

/* The index of the largest of legs[0, n) by value at price (base units,
 * floor(amount * price / 10^decimals)), the first on a tie: the leg the
 * preview picks when none is named. */
int preview_largest_leg(const struct market *m, const struct leg *legs, int n,
                        const struct u256 *price);

int preview_compute(const struct market *m, const struct position *p,
                    const struct u256 *price, const struct preview_req *req,
                    struct preview *out);

#endif
