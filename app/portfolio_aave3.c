/*
 * portfolio_aave3.c: the Aave v3 members of a portfolio document
 * (design.md 3.1): a market's eMode categories and price oracle sentinel,
 * an asset's eMode category (before 3.2), gates and interest indexes, and
 * a position's eMode, disabled collaterals and scaled balances, which
 * choose the position's view of its market (market.h struct market_view).
 *
 * Owns what these members mean and their messages (the JSON path); the
 * rules of each version are core's (model_aave3*.c). Reads cJSON values;
 * never a file, never a double.
 */
#include "app/portfolio_aave3.h"

#include <stdio.h>
#include <string.h>

#include "app/portfolio_value.h"
#include "core/decimal.h"
#include "core/liq.h"
#include "core/model.h"
#include "core/model_aave.h"

#define RAY_DECIMALS 27

const char *const portfolio_aave3_asset_keys[] = {"symbol",
                                                  "decimals",
                                                  "ltv",
                                                  "liquidation_threshold",
                                                  "liquidation_bonus",
                                                  "protocol_fee",
                                                  "emode_category",
                                                  "paused",
                                                  "liquidation_grace_until",
                                                  "liquidity_index",
                                                  "variable_borrow_index",
                                                  "liquidity_rate",
                                                  "variable_borrow_rate",
                                                  "last_update",
                                                  NULL};

/* A RAY decimal member ("1.05"): at most 27 places; *out untouched when
 * absent. */
static int
aave3_ray(struct portfolio_reader *L, const cJSON *obj, const char *key,
          const char *path, bool at_least_one, struct u256 *out)
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
                                   "%s%s: expected a decimal as a string "
                                   "(\"1.05\")",
                                   path, key);
    rc = decimal_parse(out, text, len, RAY_DECIMALS, DECIMAL_EXACT);
    if (rc == LIQ_EPRECISION)
        return portfolio_read_fail(
            L, rc,
            "%s%s: %s has more than 27 places (a RAY "
            "holds 27)",
            path, key, portfolio_value_quoted(q, sizeof q, text, len));
    if (rc == LIQ_ERANGE)
        return portfolio_read_fail(L, rc, "%s%s: negative", path, key);
    if (rc != 0)
        return portfolio_read_fail(
            L, rc == LIQ_EOVERFLOW ? rc : LIQ_EPARSE,
            "%s%s: %s is not a RAY "
            "decimal",
            path, key, portfolio_value_quoted(q, sizeof q, text, len));
    if (at_least_one && u256_lt(*out, u256_exp10(RAY_DECIMALS)))
        return portfolio_read_fail(
            L, LIQ_ERANGE,
            "%s%s: %s is below 1 (an index starts at 1 "
            "and only grows)",
            path, key, portfolio_value_quoted(q, sizeof q, text, len));
    return 0;
}

static int
aave3_bool(struct portfolio_reader *L, const cJSON *obj, const char *key,
           const char *path, bool *out)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);

    if (it == NULL)
        return 0;
    if (!cJSON_IsBool(it))
        return portfolio_read_fail(L, LIQ_EINVAL,
                                   "%s%s: expected true or "
                                   "false",
                                   path, key);
    *out = cJSON_IsTrue(it);
    return 0;
}

int
portfolio_aave3_asset(struct portfolio_reader *L, struct market *m,
                      const cJSON *a, size_t i, const char *path)
{
    struct asset *as = &m->assets[i];
    struct u256 lrate = u256_zero(), drate = u256_zero();
    unsigned cat = 0, grace = 0, last = 0;
    bool has_last;
    int rc;

    if (!market_is_aave3(m->model))
        return 0;
    as->lindex = as->dindex = u256_exp10(RAY_DECIMALS);
    if (cJSON_GetObjectItemCaseSensitive(a, "emode_category") != NULL &&
        model_aave3_rules(m)->emode_bitmap)
        return portfolio_read_fail(
            L, LIQ_EINVAL,
            "%semode_category: the form of 3.0 and 3.1; from 3.2 a category "
            "lists its assets (emode_categories[].collateral)",
            path);
    if (cJSON_GetObjectItemCaseSensitive(a, "liquidation_grace_until") !=
            NULL &&
        !model_aave3_rules(m)->grace) {
        if (m->model == MODEL_SPARK)
            return portfolio_read_fail(L, LIQ_EINVAL,
                                       "%sliquidation_grace_until: spark has "
                                       "no grace periods (its "
                                       "validateLiquidationCall is 3.0's)",
                                       path);
        return portfolio_read_fail(L, LIQ_EINVAL,
                                   "%sliquidation_grace_until: grace periods "
                                   "came with 3.1 (this market is %u.%u)",
                                   path, m->version / 100, m->version % 100);
    }
    if ((rc = portfolio_value_uint(L, a, "emode_category", path, 0, 255, false,
                                   &cat)) != 0 ||
        (rc = aave3_bool(L, a, "paused", path, &as->paused)) != 0 ||
        (rc = portfolio_value_uint(L, a, "liquidation_grace_until", path, 0,
                                   UINT32_MAX, false, &grace)) != 0 ||
        (rc = aave3_ray(L, a, "liquidity_index", path, true, &as->lindex)) !=
            0 ||
        (rc = aave3_ray(L, a, "variable_borrow_index", path, true,
                        &as->dindex)) != 0 ||
        (rc = aave3_ray(L, a, "liquidity_rate", path, false, &lrate)) != 0 ||
        (rc = aave3_ray(L, a, "variable_borrow_rate", path, false, &drate)) !=
            0 ||
        (rc = portfolio_value_uint(L, a, "last_update", path, 0, UINT32_MAX,
                                   false, &last)) != 0)
        return rc;
    as->emode = (uint8_t)cat;
    as->grace_until = grace;
    has_last = cJSON_GetObjectItemCaseSensitive(a, "last_update") != NULL;
    if (!has_last && (!u256_is_zero(lrate) || !u256_is_zero(drate)))
        return portfolio_read_fail(L, LIQ_EINVAL,
                                   "%slast_update: missing (rates accrue "
                                   "from it)",
                                   path);
    if (has_last) {
        if ((int64_t)last > m->as_of)
            return portfolio_read_fail(L, LIQ_ERANGE,
                                       "%slast_update: %u is after as_of "
                                       "(%lld)",
                                       path, last, (long long)m->as_of);
        as->has_rates = true;
        as->last_update = (int64_t)last;
        as->lindex_stored = as->lindex;
        as->dindex_stored = as->dindex;
        as->lrate = lrate;
        as->drate = drate;
        /* the rates are RAY decimals: raw = text x 1e27 */
        if ((rc = model_aave3_index_accrue_asset(model_aave3_rules(m)->math, as,
                                                 m->as_of)) != 0)
            return portfolio_read_fail(L, rc,
                                       "%sliquidity_rate: the index accrued "
                                       "to as_of overflows",
                                       path);
    }
    return 0;
}

/* A list of the market's symbols into a bit per asset. */
static int
aave3_symbols(struct portfolio_reader *L, const struct market *m,
              const cJSON *list, const char *path, const char *key,
              uint32_t *bits)
{
    const cJSON *it;
    char q[64];
    int k = 0;

    *bits = 0;
    if (list == NULL)
        return 0;
    if (!cJSON_IsArray(list))
        return portfolio_read_fail(
            L, LIQ_EINVAL, "%s%s: expected an array of symbols", path, key);
    cJSON_ArrayForEach(it, list)
    {
        uint32_t sym;
        int ai;

        if (!cJSON_IsString(it) || it->valuestring == NULL)
            return portfolio_read_fail(
                L, LIQ_EINVAL, "%s%s[%d]: expected a symbol", path, key, k);
        if (book_symbol_find(L->b, it->valuestring, strlen(it->valuestring),
                             &sym) != 0 ||
            (ai = market_asset_find(m, sym)) < 0)
            return portfolio_read_fail(
                L, LIQ_ENOENT, "%s%s[%d]: %s is not an asset of market %s",
                path, key, k,
                portfolio_value_quoted(q, sizeof q, it->valuestring,
                                       strlen(it->valuestring)),
                m->id);
        *bits |= 1u << ai;
        k++;
    }
    return 0;
}

static int
aave3_category(struct portfolio_reader *L, struct market *m, const cJSON *cj,
               const char *path, struct market_emode *c)
{
    static const char *const keys32[] = {"id",
                                         "label",
                                         "ltv",
                                         "liquidation_threshold",
                                         "liquidation_bonus",
                                         "collateral",
                                         "borrowable",
                                         NULL};
    static const char *const keys30[] = {"id",
                                         "label",
                                         "ltv",
                                         "liquidation_threshold",
                                         "liquidation_bonus",
                                         "price_source",
                                         "collateral",
                                         "borrowable",
                                         NULL};
    const char *label, *src;
    unsigned id = 0;
    int rc;

    memset(c, 0, sizeof *c);
    if (!cJSON_IsObject(cj))
        return portfolio_read_fail(L, LIQ_EINVAL, "%s: expected an object",
                                   path);
    {
        char pre[128];

        snprintf(pre, sizeof pre, "%s.", path);
        if ((rc = portfolio_value_keys(
                 L, cj, pre,
                 model_aave3_rules(m)->emode_bitmap ? keys32 : keys30)) != 0) {
            if (model_aave3_rules(m)->emode_bitmap &&
                cJSON_GetObjectItemCaseSensitive(cj, "price_source") != NULL)
                return portfolio_read_fail(
                    L, LIQ_EINVAL,
                    "%sprice_source: eMode price sources were removed in "
                    "3.2",
                    pre);
            return rc;
        }
        if (!model_aave3_rules(m)->emode_bitmap &&
            (cJSON_GetObjectItemCaseSensitive(cj, "collateral") != NULL ||
             cJSON_GetObjectItemCaseSensitive(cj, "borrowable") != NULL))
            return portfolio_read_fail(
                L, LIQ_EINVAL,
                "%s%s: the form of 3.2 and later; before 3.2 an asset names "
                "its category (assets[].emode_category)",
                pre,
                cJSON_GetObjectItemCaseSensitive(cj, "collateral") != NULL
                    ? "collateral"
                    : "borrowable");
        if ((rc = portfolio_value_uint(L, cj, "id", pre, 1, 255, true, &id)) !=
                0 ||
            (rc = portfolio_value_string(L, cj, "label", pre, false,
                                         EMODE_LABEL_MAX - 1, &label)) != 0 ||
            (rc = portfolio_value_ratio(L, cj, "liquidation_threshold", pre,
                                        true, true, &c->lt)) != 0)
            return rc;
        c->ltv = c->lt;
        if ((rc = portfolio_value_ratio(L, cj, "ltv", pre, true, false,
                                        &c->ltv)) != 0 ||
            (rc = portfolio_value_ratio(L, cj, "liquidation_bonus", pre, true,
                                        true, &c->bonus)) != 0 ||
            (rc = aave3_symbols(
                 L, m, cJSON_GetObjectItemCaseSensitive(cj, "collateral"), pre,
                 "collateral", &c->collateral)) != 0 ||
            (rc = aave3_symbols(
                 L, m, cJSON_GetObjectItemCaseSensitive(cj, "borrowable"), pre,
                 "borrowable", &c->borrowable)) != 0 ||
            (rc = portfolio_value_string(L, cj, "price_source", pre, false,
                                         SYMBOL_MAX - 1, &src)) != 0)
            return rc;
        c->id = (uint8_t)id;
        if (label != NULL)
            memcpy(c->label, label, strlen(label) + 1);
        if (src != NULL) {
            if ((rc = book_symbol_intern(L->b, src, strlen(src),
                                         &c->price_sym)) != 0)
                return portfolio_read_fail(L, rc, "%sprice_source: %s", pre,
                                           liq_strerror(rc));
            c->has_price = true;
        }
    }
    return 0;
}

int
portfolio_aave3_market(struct portfolio_reader *L, struct market *m,
                       const cJSON *mj, const char *path)
{
    const cJSON *cats =
        cJSON_GetObjectItemCaseSensitive(mj, "emode_categories");
    const cJSON *sj =
        cJSON_GetObjectItemCaseSensitive(mj, "price_oracle_sentinel");
    const cJSON *it;
    char p[96];
    unsigned n = 0;
    int rc;

    if (!market_is_aave3(m->model)) {
        if (cats != NULL || sj != NULL)
            return portfolio_read_fail(
                L, LIQ_EINVAL, "%s%s: only aave-v3 and spark markets have it",
                path,
                cats != NULL ? "emode_categories" : "price_oracle_sentinel");
        return 0;
    }
    if (cats != NULL && !cJSON_IsArray(cats))
        return portfolio_read_fail(
            L, LIQ_EINVAL, "%semode_categories: expected an array", path);
    cJSON_ArrayForEach(it, cats)
    {
        if (n == MARKET_EMODES_MAX)
            return portfolio_read_fail(L, LIQ_ELIMIT,
                                       "%semode_categories: more than %d", path,
                                       MARKET_EMODES_MAX);
        snprintf(p, sizeof p, "%semode_categories[%u]", path, n);
        if ((rc = aave3_category(L, m, it, p, &m->emodes[n])) != 0)
            return rc;
        for (unsigned j = 0; j < n; j++)
            if (m->emodes[j].id == m->emodes[n].id)
                return portfolio_read_fail(
                    L, LIQ_EDUP, "%s.id: %u listed twice", p, m->emodes[n].id);
        n++;
    }
    m->nemodes = (uint8_t)n;
    /* Before 3.2 an asset names its category: that is its bitmap. */
    for (unsigned i = 0; i < m->nassets; i++) {
        struct market_emode *c = NULL;

        if (m->assets[i].emode == 0)
            continue;
        for (unsigned j = 0; j < m->nemodes && c == NULL; j++)
            if (m->emodes[j].id == m->assets[i].emode)
                c = &m->emodes[j];
        if (c == NULL)
            return portfolio_read_fail(
                L, LIQ_ENOENT,
                "%sassets[%u].emode_category: no category %u in "
                "emode_categories",
                path, i, m->assets[i].emode);
        c->collateral |= 1u << i;
        c->borrowable |= 1u << i;
    }
    if (sj != NULL) {
        static const char *const keys[] = {"sequencer_up", "up_since",
                                           "grace_period", NULL};
        unsigned up_since = 0, grace = 0;

        snprintf(p, sizeof p, "%sprice_oracle_sentinel.", path);
        if (!cJSON_IsObject(sj))
            return portfolio_read_fail(
                L, LIQ_EINVAL, "%sprice_oracle_sentinel: expected an object",
                path);
        m->sentinel.set = true;
        m->sentinel.sequencer_up = true;
        if ((rc = portfolio_value_keys(L, sj, p, keys)) != 0 ||
            (rc = aave3_bool(L, sj, "sequencer_up", p,
                             &m->sentinel.sequencer_up)) != 0 ||
            (rc = portfolio_value_uint(L, sj, "up_since", p, 0, UINT32_MAX,
                                       true, &up_since)) != 0 ||
            (rc = portfolio_value_uint(L, sj, "grace_period", p, 0, UINT32_MAX,
                                       true, &grace)) != 0)
            return rc;
        m->sentinel.up_since = up_since;
        m->sentinel.grace_period = grace;
    }
    return 0;
}

/* "collateral_disabled": a list of the position's collateral symbols. */
static int
aave3_disabled(struct portfolio_reader *L, const struct market *m,
               const struct position *p, const cJSON *list, const char *pre,
               uint32_t *bits)
{
    int rc = aave3_symbols(L, m, list, pre, "collateral_disabled", bits);

    if (rc != 0)
        return rc;
    for (unsigned i = 0; i < m->nassets; i++)
        if (((*bits >> i) & 1u) && position_coll_find(p, (uint8_t)i) < 0)
            return portfolio_read_fail(
                L, LIQ_EINVAL,
                "%scollateral_disabled: %s is not supplied by the position",
                pre, book_symbol_name(L->b, m->assets[i].sym));
    return 0;
}

/* Scaled legs (raw integers, scaledBalanceOf) added to a side, each asset
 * once over both forms. */
static int
aave3_scaled(struct portfolio_reader *L, const struct market *m,
             const cJSON *side, const char *pre, const char *name,
             const char *plain, struct leg *legs, uint8_t *nlegs,
             uint32_t *bits)
{
    char buf[PORTFOLIO_NUMTEXT_MAX], q[64];
    const cJSON *c;

    *bits = 0;
    if (side == NULL)
        return 0;
    if (!cJSON_IsObject(side))
        return portfolio_read_fail(
            L, LIQ_EINVAL,
            "%s%s: expected an object of raw scaled amounts by symbol", pre,
            name);
    for (c = side->child; c != NULL; c = c->next) {
        size_t len, klen = strlen(c->string);
        const char *text;
        uint32_t sym;
        struct u256 v;
        int ai, rc;

        if (book_symbol_find(L->b, c->string, klen, &sym) != 0 ||
            (ai = market_asset_find(m, sym)) < 0)
            return portfolio_read_fail(
                L, LIQ_ENOENT, "%s%s.%s: asset not listed in market %s", pre,
                name, portfolio_value_safe(q, sizeof q, c->string, klen),
                m->id);
        for (unsigned j = 0; j < *nlegs; j++)
            if (legs[j].asset == (uint8_t)ai)
                return portfolio_read_fail(
                    L, LIQ_EDUP, "%s%s.%s: %s", pre, name, c->string,
                    (*bits >> ai) & 1u ? "listed twice"
                                       : "given both scaled and plain");
        if (*nlegs == POSITION_SIDE_MAX)
            return portfolio_read_fail(L, LIQ_ELIMIT,
                                       "%s%s: more than %d assets with %s", pre,
                                       name, POSITION_SIDE_MAX, plain);
        if (!portfolio_value_text(c, buf, sizeof buf, &text, &len))
            return portfolio_read_fail(L, LIQ_EINVAL,
                                       "%s%s.%s: expected a raw scaled amount "
                                       "as a string",
                                       pre, name, c->string);
        rc = decimal_parse(&v, text, len, 0, DECIMAL_EXACT);
        if (rc != 0)
            return portfolio_read_fail(
                L, rc == LIQ_EOVERFLOW ? rc : LIQ_EPARSE,
                "%s%s.%s: %s is not a raw scaled amount (a whole number)", pre,
                name, c->string,
                portfolio_value_quoted(q, sizeof q, text, len));
        legs[*nlegs].asset = (uint8_t)ai;
        legs[*nlegs].amount = v;
        (*nlegs)++;
        *bits |= 1u << ai;
    }
    return 0;
}

int
portfolio_aave3_position(struct portfolio_reader *L, struct position *p,
                         const cJSON *pj, const cJSON *emode,
                         const cJSON *disabled, const cJSON *scoll,
                         const cJSON *sdebt, const char *pre)
{
    const struct market *m = book_market(L->b, p->market);
    struct market_view v;
    struct market vm;
    unsigned id = 0;
    uint32_t idx;
    int rc;

    if (emode == NULL && disabled == NULL && scoll == NULL && sdebt == NULL)
        return 0;
    if (!market_is_aave3(m->model))
        return portfolio_read_fail(
            L, LIQ_EINVAL,
            "%s%s: only positions in aave-v3 and spark markets have it", pre,
            emode != NULL      ? "emode"
            : disabled != NULL ? "collateral_disabled"
            : scoll != NULL    ? "scaled_collateral"
                               : "scaled_debt");
    memset(&v, 0, sizeof v);
    if (emode != NULL) {
        if ((rc = portfolio_value_uint(L, pj, "emode", pre, 0, 255, false,
                                       &id)) != 0)
            return rc;
        if (id != 0 && market_emode_find(m, id) == NULL)
            return portfolio_read_fail(
                L, LIQ_ENOENT, "%semode: market %s has no eMode category %u",
                pre, m->id, id);
    }
    v.emode = (uint8_t)id;
    if ((rc = aave3_scaled(L, m, scoll, pre, "scaled_collateral", "collateral",
                           p->coll, &p->ncoll, &v.coll_scaled)) != 0 ||
        (rc = aave3_scaled(L, m, sdebt, pre, "scaled_debt", "debt", p->debt,
                           &p->ndebt, &v.debt_scaled)) != 0 ||
        (rc = aave3_disabled(L, m, p, disabled, pre, &v.coll_off)) != 0)
        return rc;
    if (v.emode == 0 && v.coll_off == 0 && v.coll_scaled == 0 &&
        v.debt_scaled == 0)
        return 0;
    v.view = true;
    if (book_market_find_view(L->b, m->id, &v, &idx) == 0) {
        p->market = idx;
        return 0;
    }
    if ((rc = model_aave3_view_make(m, &v, &vm)) != 0 ||
        (rc = book_market_add(L->b, &vm, &idx)) != 0)
        return portfolio_read_fail(L, rc, "%smarket: %s", pre,
                                   liq_strerror(rc));
    p->market = idx;
    return 0;
}
