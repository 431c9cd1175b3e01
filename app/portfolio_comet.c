/*
 * portfolio_comet.c: the compound-v3 (Comet) members of a portfolio
 * document: asset factors, market params and a position's principal
 * (README, "Compound v3 (compound-v3)").
 *
 * Owns how those members are written and the messages about them; the
 * protocol's rules on them (factor order, 4 decimals, ranges) are
 * model_comet.c's validate, whose message the loader prefixes with the
 * market's path. Numbers are exact decimals; never a double.
 */
#include "app/portfolio_comet.h"

#include <stdio.h>
#include <string.h>

#include "app/portfolio_state.h"
#include "app/portfolio_value.h"
#include "core/decimal.h"
#include "core/liq.h"
#include "core/model.h"
#include "core/u256.h"

const char *const portfolio_comet_asset_keys[] = {"symbol",
                                                  "decimals",
                                                  "borrow_collateral_factor",
                                                  "liquidate_collateral_factor",
                                                  "liquidation_factor",
                                                  "supply_cap",
                                                  "total_supply",
                                                  NULL};

/* A member of params as an exact decimal with `places` places, at most
 * 2^bits - 1; absent: *out unchanged. */
static int
comet_number(struct portfolio_reader *L, const cJSON *params, const char *key,
             const char *pre, unsigned places, unsigned bits, const char *what,
             struct u256 *out)
{
    int rc = portfolio_state_member(L, params, key, pre, places, bits, false,
                                    what, out);

    return rc == LIQ_ENOENT ? 0 : rc;
}

/* An asset's "supply_cap" (whole units, as Comet keeps it) and
 * "total_supply" (totalsCollateral's totalSupplyAsset, raw amount), both
 * uint128; a cap makes deposits past it revert. */
static int
comet_caps(struct portfolio_reader *L, struct market *m, const cJSON *a,
           size_t i, const char *path)
{
    struct market_comet *c = &m->comet;
    unsigned dec = m->assets[i].decimals;
    struct u256 cap = u256_zero(), total = u256_zero(), whole;
    u128 v = 0;
    int rc;

    if ((rc = comet_number(L, a, "supply_cap", path, dec, 128,
                           "an amount as a string (\"100000\")", &cap)) != 0 ||
        (rc = comet_number(L, a, "total_supply", path, dec, 128,
                           "an amount as a string (\"100000\")", &total)) != 0)
        return rc;
    if (cJSON_GetObjectItemCaseSensitive(a, "supply_cap") == NULL) {
        if (cJSON_GetObjectItemCaseSensitive(a, "total_supply") != NULL)
            return portfolio_read_fail(L, LIQ_EINVAL,
                                       "%stotal_supply: given without "
                                       "supply_cap",
                                       path);
        return 0;
    }
    (void)u256_div(&whole, cap, u256_exp10(dec), U256_FLOOR);
    (void)u256_mul(&whole, whole, u256_exp10(dec));
    if (!u256_eq(whole, cap))
        return portfolio_read_fail(L, LIQ_EPRECISION,
                                   "%ssupply_cap: has a fraction (Comet "
                                   "keeps whole units)",
                                   path);
    (void)u256_to_u128(cap, &v);
    c->supply_cap[i] = v;
    (void)u256_to_u128(total, &v);
    c->total_supply[i] = v;
    c->capped |= 1u << i;
    return 0;
}

int
portfolio_comet_asset(struct portfolio_reader *L, struct market *m,
                      const cJSON *a, size_t i, const char *path)
{
    struct asset *as = &m->assets[i];
    int rc;

    if ((rc = portfolio_value_ratio(L, a, "borrow_collateral_factor", path,
                                    false, false, &as->ltv)) != 0 ||
        (rc = portfolio_value_ratio(L, a, "liquidate_collateral_factor", path,
                                    false, false, &as->lt)) != 0 ||
        (rc = portfolio_value_ratio(L, a, "liquidation_factor", path, false,
                                    false, &as->bonus)) != 0)
        return rc;
    return comet_caps(L, m, a, i, path);
}

int
portfolio_comet_market(struct portfolio_reader *L, struct market *m,
                       const cJSON *mj, const char *path)
{
    static const char *const keys[] = {"base",
                                       "base_supply_index",
                                       "base_borrow_index",
                                       "store_front_price_factor",
                                       "base_borrow_min",
                                       "target_reserves",
                                       NULL};
    const cJSON *params = cJSON_GetObjectItemCaseSensitive(mj, "params");
    struct market_comet *c = &m->comet;
    struct u256 si = u256_from_u64(1000000000000000ULL), bi = si;
    const char *base;
    char pre[80], q[64];
    uint32_t sym;
    int rc, ai;
    uint8_t bd;

    if (m->model != MODEL_COMPOUND_V3)
        return 0;
    if (params == NULL)
        return portfolio_read_fail(L, LIQ_EINVAL,
                                   "%sparams: missing (a compound-v3 market's "
                                   "base asset and storefront price factor)",
                                   path);
    snprintf(pre, sizeof pre, "%sparams.", path);
    if ((rc = portfolio_value_keys(L, params, pre, keys)) != 0 ||
        (rc = portfolio_value_string(L, params, "base", pre, true, 64,
                                     &base)) != 0)
        return rc;
    if (book_symbol_find(L->b, base, strlen(base), &sym) != 0 ||
        (ai = market_asset_find(m, sym)) < 0)
        return portfolio_read_fail(
            L, LIQ_ENOENT, "%sbase: %s is not an asset of this market", pre,
            portfolio_value_quoted(q, sizeof q, base, strlen(base)));
    c->base = (uint8_t)ai;
    bd = m->assets[ai].decimals;
    if ((rc = portfolio_value_ratio(L, params, "store_front_price_factor", pre,
                                    false, true, &c->store_front)) != 0 ||
        (rc = comet_number(L, params, "base_supply_index", pre, 15, 64,
                           "an index as a string (\"1.000123456789012\")",
                           &si)) != 0 ||
        (rc = comet_number(L, params, "base_borrow_index", pre, 15, 64,
                           "an index as a string (\"1.000123456789012\")",
                           &bi)) != 0 ||
        (rc = comet_number(L, params, "base_borrow_min", pre, bd, 104,
                           "an amount as a string (\"100\")",
                           &c->borrow_min)) != 0 ||
        (rc = comet_number(L, params, "target_reserves", pre, bd, 104,
                           "an amount as a string (\"5000000\")",
                           &c->target_reserves)) != 0)
        return rc;
    c->supply_index = u256_to_u64(si);
    c->borrow_index = u256_to_u64(bi);
    return 0;
}

int
portfolio_comet_position(struct portfolio_reader *L, const struct market *m,
                         const cJSON *it, bool debt_given, struct position *p,
                         const char *pre)
{
    char buf[PORTFOLIO_NUMTEXT_MAX], q[64];
    const char *text;
    size_t len;
    bool borrow;
    struct u256 v, pv;
    uint8_t b;
    int rc;

    if (it == NULL)
        return 0;
    if (m->model != MODEL_COMPOUND_V3)
        return portfolio_read_fail(L, LIQ_EINVAL,
                                   "%sprincipal: only a compound-v3 position "
                                   "has one",
                                   pre);
    if (debt_given)
        return portfolio_read_fail(
            L, LIQ_EINVAL, "%sprincipal: give it or \"debt\", not both", pre);
    if (!portfolio_value_text(it, buf, sizeof buf, &text, &len))
        return portfolio_read_fail(
            L, LIQ_EINVAL,
            "%sprincipal: expected a signed amount as a string (\"-1000\")",
            pre);
    b = m->comet.base;
    borrow = len > 0 && text[0] == '-';
    rc = decimal_parse(&v, borrow ? text + 1 : text, borrow ? len - 1 : len,
                       m->assets[b].decimals, DECIMAL_EXACT);
    if (rc == 0 && u256_bits(v) > 103)
        return portfolio_read_fail(
            L, LIQ_ERANGE,
            "%sprincipal: %s is beyond int104 (the contract's principal)", pre,
            portfolio_value_quoted(q, sizeof q, text, len));
    if (rc == LIQ_EPRECISION)
        return portfolio_read_fail(
            L, rc,
            "%sprincipal: %s has more places than the base asset "
            "holds (%u decimals)",
            pre, portfolio_value_quoted(q, sizeof q, text, len),
            m->assets[b].decimals);
    if (rc != 0)
        return portfolio_read_fail(
            L, LIQ_EPARSE, "%sprincipal: %s is not a signed amount", pre,
            portfolio_value_quoted(q, sizeof q, text, len));
    p->ndebt = 0;
    if (!borrow || u256_is_zero(v))
        return 0; /* a supply, or nothing: no debt */
    if ((rc = model_comet_present(m, true, v, &pv)) != 0)
        return portfolio_read_fail(L, rc, "%sprincipal: %s", pre,
                                   liq_strerror(rc));
    p->debt[0].asset = b;
    p->debt[0].amount = pv;
    p->ndebt = 1;
    return 0;
}
