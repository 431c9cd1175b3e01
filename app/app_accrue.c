/*
 * app_accrue.c: interest accrued with the clock (design.md 3.1: as_of
 * defaults to the time the command runs; the dashboard uses the clock).
 * A market whose as_of the portfolio did not give (market.clock_as_of)
 * and that no chain source sets (market.chain_clock) is moved to a new
 * moment: Aave v3's and spark's indexes accrued again from the stored
 * ones and their rates by the function the portfolio reader accrues them
 * with (model_aave3_index_accrue_asset); Morpho Blue's totals by
 * _accrueInterest (model_morpho_accrue, the reader's too); Euler's LTV
 * ramp judged then. The
 * book values the markets' positions again in one pass.
 *
 * Owns no handle and reads no clock: app.c's timer says when and at
 * which moment. Never changes a market whose figures do not depend on
 * time, nor one whose as_of the file or a chain gave.
 */
#include <stdio.h>
#include <stdlib.h>

#include "app/app.h"
#include "app/app_accrue.h"
#include "core/book.h"
#include "core/liq.h"
#include "core/model_aave.h"
#include "core/model_morpho.h"

bool
app_accrue_needed(const struct market *m)
{
    if (!m->clock_as_of || m->chain_clock)
        return false;
    if (market_is_aave3(m->model)) {
        for (unsigned i = 0; i < m->nassets; i++)
            if (m->assets[i].has_rates && (!u256_is_zero(m->assets[i].lrate) ||
                                           !u256_is_zero(m->assets[i].drate)))
                return true;
        return false;
    }
    if (m->model == MODEL_MORPHO_BLUE)
        return m->morpho.has_state && !u256_is_zero(m->morpho.borrow_rate);
    if (m->model == MODEL_EULER_V2)
        for (unsigned i = 0; i < m->nassets; i++)
            if (m->euler.ramp_duration[i] != 0 &&
                m->as_of <
                    m->euler.ramp_start[i] + (int64_t)m->euler.ramp_duration[i])
                return true;
    return false;
}

int
app_accrue_market(struct market *m, int64_t t)
{
    int rc;

    if (t <= m->as_of)
        return 0;
    if (market_is_aave3(m->model))
        for (unsigned i = 0; i < m->nassets; i++)
            if ((rc = model_aave3_index_accrue_asset(model_aave3_rules(m)->math,
                                                     &m->assets[i], t)) != 0)
                return rc;
    m->as_of = t;
    if (m->model == MODEL_MORPHO_BLUE)
        return model_morpho_accrue(m);
    return 0;
}

uint32_t
app_accrue(struct app *a, int64_t t, char *err, size_t errlen)
{
    uint32_t nm = book_market_count(a->book), n = 0;
    uint32_t *idx = calloc(nm ? nm : 1, sizeof *idx);
    struct market **m = calloc(nm ? nm : 1, sizeof *m);
    int rc = 0;

    if (idx == NULL || m == NULL)
        liq_nomem();
    for (uint32_t i = 0; i < nm && rc == 0; i++) {
        const struct market *cur = book_market(a->book, i);

        if (!app_accrue_needed(cur) || t <= cur->as_of)
            continue;
        if ((m[n] = malloc(sizeof *m[n])) == NULL)
            liq_nomem();
        *m[n] = *cur;
        if ((rc = app_accrue_market(m[n], t)) != 0) {
            /* past what the contract's arithmetic holds: left as it is */
            snprintf(err, errlen, "market %.80s: interest to %lld: %s", cur->id,
                     (long long)t, liq_strerror(rc));
            free(m[n]);
            rc = 0;
            continue;
        }
        idx[n++] = i;
    }
    if (n > 0 && book_markets_set(a->book, n, idx,
                                  (const struct market *const *)m) != 0) {
        snprintf(err, errlen, "interest to %lld: a market changed shape",
                 (long long)t);
        rc = LIQ_EINVAL;
    }
    for (uint32_t k = 0; k < n; k++)
        free(m[k]);
    free(m);
    free(idx);
    return rc == 0 ? n : 0;
}
