/*
 * preview_int.h: what preview.c and preview_avoid.c share: the solvers'
 * context, and the avoid solvers preview_compute calls. Pure.
 */
#ifndef PREVIEW_INT_H
#define PREVIEW_INT_H

#include <stdbool.h>

#include "core/model.h"
#include "core/preview.h"
#include "core/u256.h"

/* Deposits beyond 2^200 raw units are "no amount does it". */
#define PREVIEW_MAX_BITS 200

/* What the solvers share. */
struct preview_ctx {
    const struct market *m;
    const struct position *p;
    const struct u256 *price;
    struct u256 target;
    struct liq_call call;
    int leg;
    bool deposit;
    /* The least call to the target: the debt leg owed (the largest
     * debtToCover that differs from a larger one), the collateral leg
     * held, and the least cover that seizes all of it (lazily). */
    struct u256 top;
    struct u256 held;
    bool have_all;
    struct u256 all;
};

/* preview_avoid.c: the least plain repayment of debt leg c->leg, and the
 * least deposit to collateral leg c->leg, that on its own leaves health at
 * or above c->target (exists false where none does). */
struct preview_avoid preview_avoid_repay(struct preview_ctx *c, int leg);
struct preview_avoid preview_avoid_deposit(struct preview_ctx *c, int leg);

#endif
