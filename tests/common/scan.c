/*
 * scan.c: the exhaustive scan of every cover against preview's least
 * repay to a target (scan.h), shared by the property tests of the models
 * that keep protocol state.
 *
 * Test-only: asserts with Check; never linked into ./liqtop.
 */
#include "tests/common/scan.h"

#include <check.h>

#include "tests/common/testutil.h"

bool
scan_call_reaches(const struct market *m, const struct position *p,
                  const struct u256 *price, const struct preview *pv,
                  struct u256 x, struct liq_result *out)
{
    struct liq_call c = {
        .debt = pv->debt, .coll = pv->coll, .max = false, .repay = x};

    ck_assert_int_eq(model_liquidate(m, p, price, &c, out), 0);
    return out->revert == REVERT_NONE && u256_le(pv->target_hf, out->hf_after);
}

bool
scan_least_repay(const struct market *m, const struct position *p,
                 const struct u256 *price, const struct preview *pv,
                 uint64_t from, uint64_t to, const char *what)
{
    struct u256 best = u256_zero(), best_seized = u256_zero();
    bool found = false;

    for (uint64_t x = from; x <= to; x++) {
        struct liq_result r;

        if (!scan_call_reaches(m, p, price, pv, u256_from_u64(x), &r))
            continue;
        if (!found || u256_lt(r.repay, best)) {
            best = r.repay;
            best_seized = r.seized;
        }
        found = true;
    }
    ck_assert_msg(
        found == pv->has_to_target, "%s: scan %s, preview %s (reason %d)", what,
        found ? test_u256_str(best) : "none",
        pv->has_to_target ? test_u256_str(pv->repay_to_target) : "none",
        pv->reason);
    if (found)
        ck_assert_msg(u256_eq(pv->repay_to_target, best) &&
                          u256_eq(pv->collateral_to_target, best_seized),
                      "%s: scan %s seizing %s, preview %s seizing %s", what,
                      test_u256_str(best), test_u256_str(best_seized),
                      test_u256_str(pv->repay_to_target),
                      test_u256_str(pv->collateral_to_target));
    return found;
}
