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
    /* liquidatable, but the contract accepts no call now (a gate: paused,
     * sentinel, grace period, collateral not enabled; a cool-off): the
     * call's revert says which */
    REASON_BLOCKED,
    REASON_NO_DEBT,
    /* The target is reached, but only by a call that leaves no debt: */
    REASON_ONLY_FULL_REPAY, /* it repays all of it */
    REASON_ONLY_BAD_DEBT    /* it seizes all, the rest is written off */
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

/* A call's amounts in base units, floor(amount * price / 10^decimals) as
 * LiquidationLogic values them. */
struct preview_values {
    struct u256 repay;  /* debt repaid */
    struct u256 seized; /* all collateral that leaves the borrower */
    struct u256 bonus;
    struct u256 fee;
};

struct preview {
    uint8_t debt, coll; /* the legs chosen */
    struct account before;
    struct liq_result call;       /* for the requested repay; its lowers_health
                                   * counts debt left with no collateral as 0 */
    struct u256 requested_repay;  /* --repay as asked, else call.repay */
    bool repay_capped;            /* call.repay < requested_repay */
    struct preview_values values; /* of call */
    bool lowers_health;           /* = call.lowers_health */
    struct u256 target_hf;        /* WAD */
    /* The least repay over every call the contract accepts that leaves
     * health >= target_hf (design.md 4.1): the global least. */
    bool has_to_target;
    struct u256 repay_to_target;      /* debt raw units the call takes */
    struct u256 collateral_to_target; /* collateral seized by that call */
    /* The debtToCover that makes that call: repay_to_target, or more
     * where the call is capped (the contract then takes less). */
    struct u256 cover_to_target;
    bool to_target_no_debt;                 /* that call leaves no debt */
    bool to_target_bad_debt;                /* ... by writing the rest off */
    struct liq_result to_target_call;       /* all of that call */
    struct preview_values to_target_values; /* and its values */
    enum preview_reason reason; /* why !has_to_target, or how it reaches */
    /* Least plain repayment per debt leg, least deposit per collateral leg,
     * that on its own leaves health >= target_hf. */
    struct preview_avoid avoid_repay[POSITION_SIDE_MAX];
    struct preview_avoid avoid_deposit[POSITION_SIDE_MAX];
};

int preview_compute(const struct market *m, const struct position *p,
                    const struct u256 *price, const struct preview_req *req,
                    struct preview *out);

#endif
