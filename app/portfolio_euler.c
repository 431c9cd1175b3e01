/*
 * portfolio_euler.c: an euler-v2 market's members and its positions' (see
 * portfolio_euler.h): LTV configs with their ramps, vault share totals,
 * the controller vault's liquidation settings, collateral as shares or
 * assets, and the last account status check.
 *
 * Owns what these members mean and their messages (JSON paths). The
 * protocol's own checks (ConfigAmount ranges, a ramp only down) are
 * model_euler.c's validate; the share conversion is the model's
 * (model_apply). Reads cJSON values; never a file.
 */
#include "app/portfolio_euler.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "app/portfolio_value.h"
#include "core/book.h"
#include "core/decimal.h"
#include "core/liq.h"
#include "core/model.h"

const char *const portfolio_euler_asset_keys[] = {
    "symbol",   "decimals",     "liquidation_ltv", "ltv",
    "ltv_ramp", "total_assets", "total_shares",    NULL};

/* A raw integer member (a string of digits) into *out; absent: untouched. */
static int
euler_raw(struct portfolio_reader *L, const cJSON *obj, const char *key,
          const char *path, struct u256 *out)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);
    char buf[PORTFOLIO_NUMTEXT_MAX], q[64];
    const char *text;
    size_t len;
    int rc;

    if (it == NULL)
        return 0;
    if (!portfolio_value_text(it, buf, sizeof buf, &text, &len))
        return portfolio_read_fail(L, LIQ_EINVAL,
                                   "%s%s: expected a raw integer as a string "
                                   "(\"1000000\")",
                                   path, key);
    rc = decimal_parse(out, text, len, 0, DECIMAL_EXACT);
    if (rc == 0)
        return 0;
    return portfolio_read_fail(
        L, rc == LIQ_EOVERFLOW ? LIQ_ERANGE : LIQ_EINVAL,
        "%s%s: %s is not a raw integer (0 to 2^256 - 1, no places)", path, key,
        portfolio_value_quoted(q, sizeof q, text, len));
}

/* "ltv_ramp": {"original": "0.9", "start": unix s, "duration": s}. */
static int
euler_ramp(struct portfolio_reader *L, struct market *m, const cJSON *r,
           size_t i, const char *path)
{
    static const char *const keys[] = {"original", "start", "duration", NULL};
    struct market_euler *e = &m->euler;
    char pre[112];
    unsigned start = 0, dur = 0;
    int rc;

    snprintf(pre, sizeof pre, "%sltv_ramp.", path);
    if (!cJSON_IsObject(r))
        return portfolio_read_fail(L, LIQ_EINVAL,
                                   "%sltv_ramp: expected an object "
                                   "{\"original\", \"start\", \"duration\"}",
                                   path);
    if ((rc = portfolio_value_keys(L, r, pre, keys)) != 0 ||
        (rc = portfolio_value_ratio(L, r, "original", pre, true, true,
                                    &e->ramp_from[i])) != 0 ||
        (rc = portfolio_value_uint(L, r, "start", pre, 0, UINT32_MAX, true,
                                   &start)) != 0 ||
        (rc = portfolio_value_uint(L, r, "duration", pre, 1, UINT32_MAX, true,
                                   &dur)) != 0)
        return rc;
    e->ramp_start[i] = start;
    e->ramp_duration[i] = dur;
    return 0;
}

int
portfolio_euler_asset(struct portfolio_reader *L, struct market *m,
                      const cJSON *a, size_t i, const char *path)
{
    struct asset *as = &m->assets[i];
    struct market_euler *e = &m->euler;
    const cJSON *lt = cJSON_GetObjectItemCaseSensitive(a, "liquidation_ltv");
    const cJSON *ramp = cJSON_GetObjectItemCaseSensitive(a, "ltv_ramp");
    const cJSON *ta = cJSON_GetObjectItemCaseSensitive(a, "total_assets");
    const cJSON *ts = cJSON_GetObjectItemCaseSensitive(a, "total_shares");
    int rc;

    e->ramp_from[i] = 0;
    e->ramp_start[i] = 0;
    e->ramp_duration[i] = 0;
    e->total_assets[i] = u256_zero();
    e->total_shares[i] = u256_zero();
    if (lt == NULL) {
        const char *k = cJSON_GetObjectItemCaseSensitive(a, "ltv") != NULL
                            ? "ltv"
                        : ramp != NULL ? "ltv_ramp"
                                       : NULL;
        if (k != NULL)
            return portfolio_read_fail(L, LIQ_EINVAL,
                                       "%s%s: only a collateral has one (give "
                                       "its liquidation_ltv)",
                                       path, k);
    } else {
        if ((rc = portfolio_value_ratio(L, a, "liquidation_ltv", path, true,
                                        true, &as->lt)) != 0)
            return rc;
        as->ltv = as->lt;
        if ((rc = portfolio_value_ratio(L, a, "ltv", path, true, false,
                                        &as->ltv)) != 0)
            return rc;
        e->collateral |= 1u << i;
        if (ramp != NULL && (rc = euler_ramp(L, m, ramp, i, path)) != 0)
            return rc;
    }
    if ((ta == NULL) != (ts == NULL))
        return portfolio_read_fail(
            L, LIQ_EINVAL,
            "%s%s: give total_assets and total_shares "
            "together",
            path, ta == NULL ? "total_shares" : "total_assets");
    if ((rc = euler_raw(L, a, "total_assets", path, &e->total_assets[i])) !=
            0 ||
        (rc = euler_raw(L, a, "total_shares", path, &e->total_shares[i])) != 0)
        return rc;
    return 0;
}

int
portfolio_euler_params(struct portfolio_reader *L, struct market *m,
                       const cJSON *params, const char *path)
{
    static const char *const keys[] = {"max_liquidation_discount",
                                       "liquidation_cool_off_time",
                                       "socialize_debt", NULL};
    struct market_euler *e = &m->euler;
    const cJSON *sd;
    char pre[80];
    unsigned cool = 0;
    int rc;

    if (params == NULL)
        return portfolio_read_fail(L, LIQ_EINVAL,
                                   "%s: missing (an euler-v2 market's "
                                   "max_liquidation_discount)",
                                   path);
    snprintf(pre, sizeof pre, "%s.", path);
    if ((rc = portfolio_value_keys(L, params, pre, keys)) != 0 ||
        (rc = portfolio_value_ratio(L, params, "max_liquidation_discount", pre,
                                    true, true, &e->max_discount)) != 0 ||
        (rc = portfolio_value_uint(L, params, "liquidation_cool_off_time", pre,
                                   0, 65535, false, &cool)) != 0)
        return rc;
    e->cool_off = cool;
    sd = cJSON_GetObjectItemCaseSensitive(params, "socialize_debt");
    if (sd != NULL && !cJSON_IsBool(sd))
        return portfolio_read_fail(
            L, LIQ_EINVAL, "%ssocialize_debt: expected true or false", pre);
    e->no_socialize = sd != NULL && cJSON_IsFalse(sd);
    return 0;
}

/* "collateral_shares": SYM -> shares (balanceOf, in the vault's decimals,
 * which are its asset's), added to the legs read from "collateral". */
static int
euler_shares(struct portfolio_reader *L, const struct market *m,
             const cJSON *cs, const char *pre, struct position *p)
{
    char q[64], buf[PORTFOLIO_NUMTEXT_MAX];
    uint8_t n = p->ncoll;

    if (!cJSON_IsObject(cs))
        return portfolio_read_fail(L, LIQ_EINVAL,
                                   "%scollateral_shares: expected an object "
                                   "of share amounts by symbol",
                                   pre);
    for (const cJSON *c = cs->child; c != NULL; c = c->next) {
        const char *text;
        size_t len;
        uint32_t sym;
        int ai, rc;

        if (book_symbol_find(L->b, c->string, strlen(c->string), &sym) != 0 ||
            (ai = market_asset_find(m, sym)) < 0)
            return portfolio_read_fail(
                L, LIQ_ENOENT,
                "%scollateral_shares.%s: asset not listed in market %s", pre,
                portfolio_value_safe(q, sizeof q, c->string, strlen(c->string)),
                m->id);
        for (uint8_t j = 0; j < n; j++)
            if (p->coll[j].asset == (uint8_t)ai)
                return portfolio_read_fail(
                    L, LIQ_EDUP, "%scollateral_shares.%s: listed twice%s", pre,
                    c->string, j < p->ncoll ? " (in collateral too)" : "");
        if (n == POSITION_SIDE_MAX)
            return portfolio_read_fail(L, LIQ_ELIMIT,
                                       "%scollateral_shares: more than %d "
                                       "assets",
                                       pre, POSITION_SIDE_MAX);
        if (!portfolio_value_text(c, buf, sizeof buf, &text, &len))
            return portfolio_read_fail(L, LIQ_EINVAL,
                                       "%scollateral_shares.%s: expected an "
                                       "amount of shares as a string",
                                       pre, c->string);
        rc = decimal_parse(&p->coll[n].amount, text, len,
                           m->assets[ai].decimals, DECIMAL_EXACT);
        if (rc != 0)
            return portfolio_read_fail(
                L, rc == LIQ_EPARSE ? LIQ_EPARSE : LIQ_ERANGE,
                "%scollateral_shares.%s: %s is not an amount of shares (at "
                "most %u places, not negative)",
                pre, c->string, portfolio_value_quoted(q, sizeof q, text, len),
                m->assets[ai].decimals);
        p->coll[n].asset = (uint8_t)ai;
        n++;
    }
    p->ncoll = n;
    return 0;
}

/* Within the cool-off: the position goes on the view carrying the check. */
static int
euler_view(struct portfolio_reader *L, const struct market *m, unsigned last,
           const char *pre, struct position *p)
{
    struct market_view v;
    struct market vm;
    uint32_t idx;
    int rc;

    if ((int64_t)last > m->as_of)
        return portfolio_read_fail(L, LIQ_ERANGE,
                                   "%slast_status_check: %u is after as_of "
                                   "%lld",
                                   pre, last, (long long)m->as_of);
    if (last == 0 || m->as_of >= (int64_t)last + m->euler.cool_off)
        return 0; /* the cool-off is over: the check no longer matters */
    memset(&v, 0, sizeof v);
    v.view = true;
    v.last_check = last;
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

int
portfolio_euler_position(struct portfolio_reader *L, const struct market *m,
                         const cJSON *shares, const cJSON *last_check,
                         const char *pre, struct position *p)
{
    unsigned last = 0;
    int rc;

    if (m->model != MODEL_EULER_V2) {
        if (shares == NULL && last_check == NULL)
            return 0;
        return portfolio_read_fail(
            L, LIQ_EINVAL,
            "%s%s: only positions in euler-v2 markets "
            "have it",
            pre, shares != NULL ? "collateral_shares" : "last_status_check");
    }
    if (p->ndebt > 1)
        return portfolio_read_fail(L, LIQ_EINVAL,
                                   "%sdebt: an euler-v2 position owes one "
                                   "vault, its controller (one debt asset)",
                                   pre);
    /* collateral in assets: the shares depositing it mints (toSharesDown) */
    for (uint8_t i = 0; i < p->ncoll; i++)
        if ((rc = model_apply(m, p->coll[i].asset, false, u256_zero(),
                              p->coll[i].amount, &p->coll[i].amount)) != 0)
            return portfolio_read_fail(L, rc, "%scollateral: %s", pre,
                                       liq_strerror(rc));
    if (shares != NULL && (rc = euler_shares(L, m, shares, pre, p)) != 0)
        return rc;
    if (last_check == NULL)
        return 0;
    {
        char buf[PORTFOLIO_NUMTEXT_MAX], q[64];
        const char *text = "";
        size_t len = 0;
        struct u256 v;

        if (!portfolio_value_text(last_check, buf, sizeof buf, &text, &len) ||
            decimal_parse(&v, text, len, 0, DECIMAL_EXACT) != 0 ||
            !u256_fits_u64(v) || u256_to_u64(v) > UINT32_MAX)
            return portfolio_read_fail(
                L, LIQ_EINVAL,
                "%slast_status_check: expected unix seconds (0 to %u)%s%s", pre,
                UINT32_MAX,
                cJSON_IsString(last_check) || cJSON_IsNumber(last_check)
                    ? ", not "
                    : "",
                cJSON_IsString(last_check) || cJSON_IsNumber(last_check)
                    ? portfolio_value_quoted(q, sizeof q, text, len)
                    : "");
        last = (unsigned)u256_to_u64(v);
    }
    return euler_view(L, m, last, pre, p);
}
