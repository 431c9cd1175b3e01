/*
 * portfolio_liquity.c: the liquity-v2 members of a portfolio (README,
 * "Liquity v2"): a branch's params, and a trove's annual interest rate,
 * which puts the trove on its branch's view of that rate. Messages carry
 * the JSON path; values are checked as AddressesRegistry and Constants.sol
 * bound them. Moved out of portfolio_state.c unchanged.
 */
#include "app/portfolio_liquity.h"

#include <stdio.h>
#include <string.h>

#include "app/portfolio_state.h"
#include "app/portfolio_value.h"
#include "core/decimal.h"
#include "core/liq.h"

#define STATE_RAW "a raw integer as a string (\"1000000\")"

int
portfolio_liquity_params(struct portfolio_reader *L, struct market *m,
                         const cJSON *params, const char *pre)
{
    static const char *const keys[] = {"mcr",
                                       "ccr",
                                       "scr",
                                       "liquidation_penalty_sp",
                                       "liquidation_penalty_redistribution",
                                       "sp_deposits",
                                       "total_collateral",
                                       "total_debt",
                                       NULL};
    struct market_params *q = &m->params;
    struct market_liquity *b = &m->liquity;
    int rc, rt;

    if ((rc = portfolio_value_keys(L, params, pre, keys)) != 0 ||
        (rc = portfolio_value_ratio(L, params, "mcr", pre, false, false,
                                    &q->mcr)) != 0 ||
        (rc = portfolio_value_ratio(L, params, "ccr", pre, false, false,
                                    &q->ccr)) != 0 ||
        (rc = portfolio_value_ratio(L, params, "scr", pre, false, false,
                                    &q->scr)) != 0 ||
        (rc = portfolio_value_ratio(L, params, "liquidation_penalty_sp", pre,
                                    false, false, &q->penalty_sp)) != 0 ||
        (rc = portfolio_value_ratio(L, params,
                                    "liquidation_penalty_redistribution", pre,
                                    false, false, &q->penalty_redist)) != 0)
        return rc;
    rc = portfolio_state_member(L, params, "sp_deposits", pre, 0, 256, false,
                                STATE_RAW, &b->sp_deposits);
    if (rc != 0 && rc != LIQ_ENOENT)
        return rc;
    b->has_sp = rc == 0;
    rc = portfolio_state_member(L, params, "total_collateral", pre, 0, 256,
                                false, STATE_RAW, &b->total_coll);
    rt = portfolio_state_member(L, params, "total_debt", pre, 0, 256, false,
                                STATE_RAW, &b->total_debt);
    if ((rc != 0 && rc != LIQ_ENOENT) || (rt != 0 && rt != LIQ_ENOENT))
        return rc != 0 && rc != LIQ_ENOENT ? rc : rt;
    if ((rc == 0) != (rt == 0))
        return portfolio_read_fail(L, LIQ_EINVAL,
                                   "%s%s: missing (total_collateral and "
                                   "total_debt come together)",
                                   pre,
                                   rc == 0 ? "total_debt" : "total_collateral");
    b->has_totals = rc == 0;
    return 0;
}

/*
 * liquity-v2: a trove's "annual_interest_rate" (a fraction within
 * MIN_ANNUAL_INTEREST_RATE 0.005 and MAX_ANNUAL_INTEREST_RATE 2.5). The
 * trove goes on the branch's view of that rate, so that the troves of one
 * branch and their rates are what debt in front reads (book_front.c).
 */
int
portfolio_liquity_rate(struct portfolio_reader *L, const struct market *m,
                       const cJSON *rate, const char *pre, struct position *p)
{
    static const uint64_t lo = 5000000000000000ULL, hi = 2500000000000000000ULL;
    struct market_view v;
    struct market vm;
    uint64_t r = 0;
    uint32_t idx;
    int rc;

    if (rate == NULL)
        return 0;
    if (m->model != MODEL_LIQUITY_V2)
        return portfolio_read_fail(L, LIQ_EINVAL,
                                   "%sannual_interest_rate: only a "
                                   "liquity-v2 trove has one",
                                   pre);
    {
        char buf[PORTFOLIO_NUMTEXT_MAX], q[64];
        const char *text = "";
        size_t len = 0;
        struct u256 w;

        if (!portfolio_value_text(rate, buf, sizeof buf, &text, &len) ||
            decimal_parse(&w, text, len, 18, DECIMAL_EXACT) != 0 ||
            !u256_fits_u64(w))
            return portfolio_read_fail(
                L, LIQ_EINVAL,
                "%sannual_interest_rate: expected a fraction such as "
                "\"0.05\" (at most 18 places)%s%s",
                pre, len > 0 ? ", not " : "",
                len > 0 ? portfolio_value_quoted(q, sizeof q, text, len) : "");
        r = u256_to_u64(w);
    }
    if (r < lo || r > hi)
        return portfolio_read_fail(L, LIQ_ERANGE,
                                   "%sannual_interest_rate: must be within "
                                   "0.005 and 2.5 (Constants.sol)",
                                   pre);
    v = m->view;
    v.view = true;
    v.rate = r;
    if (book_market_find_view(L->b, m->id, &v, &idx) != 0) {
        vm = *m;
        vm.view = v;
        if ((rc = book_market_add(L->b, &vm, &idx)) != 0)
            return portfolio_read_fail(L, rc, "%smarket: %s", pre,
                                       liq_strerror(rc));
    }
    p->market = idx;
    return 0;
}
