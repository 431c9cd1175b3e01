/*
 * portfolio_state.c: a protocol's stored state in a portfolio document
 * (design.md 3.1): Morpho Blue's market "state" and "oracle_price" and a
 * position's "borrow_shares"; Compound v2's per-asset
 * "exchange_rate_mantissa", "ctoken_decimals" and "deprecated" and a
 * position's "ctoken_collateral"; Aave v4's per-asset "drawn_index" and
 * hub totals and a position's supplied and drawn shares and premium debt.
 *
 * Owns what these members mean and the messages about them (the JSON
 * path first). The conversions are the models' (core/model_morpho*.c,
 * model_compound2.c): a side given as amounts in a market whose legs hold
 * stored units becomes what the contract would mint for it. Reads cJSON
 * values; never a file.
 */
#include "app/portfolio_state.h"

#include "app/portfolio_liquity.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/portfolio_euler.h"
#include "app/portfolio_value.h"
#include "core/decimal.h"
#include "core/liq.h"
#include "core/model.h"
#include "core/model_aave.h"
#include "core/model_compound.h"
#include "core/model_morpho.h"

/*
 * A number member it (named key, under path) with at most `places`
 * decimal places, read exactly into *out, at most 2^bits - 1 (bits up to
 * 256). what: how it is written, for the message.
 */
static int
state_number(struct portfolio_reader *L, const cJSON *it, const char *key,
             const char *path, unsigned places, unsigned bits, const char *what,
             struct u256 *out)
{
    char buf[PORTFOLIO_NUMTEXT_MAX], q[64];
    const char *text;
    size_t len;
    u128 v128;
    int rc;

    if (!portfolio_value_text(it, buf, sizeof buf, &text, &len))
        return portfolio_read_fail(L, LIQ_EINVAL, "%s%s: expected %s", path,
                                   key, what);
    rc = decimal_parse(out, text, len, places, DECIMAL_EXACT);
    if (rc == 0 && bits == 128 && !u256_to_u128(*out, &v128))
        return portfolio_read_fail(
            L, LIQ_ERANGE,
            "%s%s: %s is above 2^128 - 1 (the contract stores "
            "it in 128 bits)",
            path, key, portfolio_value_quoted(q, sizeof q, text, len));
    if (rc == 0 && bits < 256 && u256_bits(*out) > bits)
        return portfolio_read_fail(
            L, LIQ_ERANGE,
            "%s%s: %s is above what the contract stores (%u bits)", path, key,
            portfolio_value_quoted(q, sizeof q, text, len), bits);
    switch (rc) {
    case 0:
        return 0;
    case LIQ_ERANGE:
        return portfolio_read_fail(
            L, rc, "%s%s: negative %s", path, key,
            portfolio_value_quoted(q, sizeof q, text, len));
    case LIQ_EPRECISION:
        return portfolio_read_fail(
            L, rc, "%s%s: %s has more places than %u", path, key,
            portfolio_value_quoted(q, sizeof q, text, len), places);
    case LIQ_EOVERFLOW:
        return portfolio_read_fail(
            L, rc, "%s%s: %s is above 2^256 - 1", path, key,
            portfolio_value_quoted(q, sizeof q, text, len));
    default:
        return portfolio_read_fail(
            L, LIQ_EPARSE, "%s%s: %s is not %s", path, key,
            portfolio_value_quoted(q, sizeof q, text, len), what);
    }
}

/* Member key of obj through state_number; absent: LIQ_ENOENT quietly
 * unless required. */
int
portfolio_state_member(struct portfolio_reader *L, const cJSON *obj,
                       const char *key, const char *path, unsigned places,
                       unsigned bits, bool required, const char *what,
                       struct u256 *out)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);

    if (it == NULL) {
        if (required)
            return portfolio_read_fail(L, LIQ_EINVAL, "%s%s: missing", path,
                                       key);
        return LIQ_ENOENT;
    }
    return state_number(L, it, key, path, places, bits, what, out);
}

#define STATE_RAW "a raw integer as a string (\"1000000\")"

static int
state_morpho(struct portfolio_reader *L, struct market *m, const cJSON *st,
             const char *path)
{
    static const char *const keys[] = {
        "total_supply_assets", "total_supply_shares",
        "total_borrow_assets", "total_borrow_shares",
        "last_update",         "fee",
        "borrow_rate",         NULL};
    struct market_morpho *s = &m->morpho;
    char pre[96];
    struct u256 v;
    int rc;

    snprintf(pre, sizeof pre, "%sstate.", path);
    if (!cJSON_IsObject(st))
        return portfolio_read_fail(L, LIQ_EINVAL, "%sstate: expected an object",
                                   path);
    if ((rc = portfolio_value_keys(L, st, pre, keys)) != 0 ||
        (rc = portfolio_state_member(L, st, "total_supply_assets", pre, 0, 128,
                                     true, STATE_RAW, &s->supply_assets)) !=
            0 ||
        (rc = portfolio_state_member(L, st, "total_supply_shares", pre, 0, 128,
                                     true, STATE_RAW, &s->supply_shares)) !=
            0 ||
        (rc = portfolio_state_member(L, st, "total_borrow_assets", pre, 0, 128,
                                     true, STATE_RAW, &s->borrow_assets)) !=
            0 ||
        (rc = portfolio_state_member(L, st, "total_borrow_shares", pre, 0, 128,
                                     true, STATE_RAW, &s->borrow_shares)) !=
            0 ||
        (rc = portfolio_state_member(L, st, "last_update", pre, 0, 64, true,
                                     "unix seconds", &v)) != 0)
        return rc;
    if (!u256_fits_u64(v) || u256_to_u64(v) > (uint64_t)INT64_MAX)
        return portfolio_read_fail(L, LIQ_ERANGE, "%slast_update: out of range",
                                   pre);
    s->last_update = (int64_t)u256_to_u64(v);
    rc = portfolio_state_member(L, st, "fee", pre, 18, 256, false,
                                "a fraction as a string (\"0.1\")", &v);
    if (rc == 0 && !u256_le(v, u256_from_u64(250000000000000000ULL)))
        return portfolio_read_fail(L, LIQ_ERANGE,
                                   "%sfee: above Morpho's MAX_FEE (0.25)", pre);
    if (rc == 0)
        s->fee = u256_to_u64(v);
    else if (rc != LIQ_ENOENT)
        return rc;
    rc = portfolio_state_member(L, st, "borrow_rate", pre, 18, 256, false,
                                "a rate per second in WAD as a string "
                                "(\"0.000000001585489599\")",
                                &s->borrow_rate);
    if (rc != 0 && rc != LIQ_ENOENT)
        return rc;
    if (s->last_update > m->as_of)
        return portfolio_read_fail(L, LIQ_ERANGE,
                                   "%slast_update: %lld is after as_of %lld "
                                   "(the accrual would revert)",
                                   pre, (long long)s->last_update,
                                   (long long)m->as_of);
    s->has_state = true;
    return 0;
}

int
portfolio_state_market(struct portfolio_reader *L, struct market *m,
                       const cJSON *mj, const char *path)
{
    const cJSON *st = cJSON_GetObjectItemCaseSensitive(mj, "state");
    const cJSON *op = cJSON_GetObjectItemCaseSensitive(mj, "oracle_price");
    int rc;

    if ((st != NULL || op != NULL) && !market_is_morpho(m->model))
        return portfolio_read_fail(
            L, LIQ_EINVAL,
            "%s%s: only a morpho-blue market has one (or a "
            "morpho-pre one)",
            path, st != NULL ? "state" : "oracle_price");
    if (st != NULL && (rc = state_morpho(L, m, st, path)) != 0)
        return rc;
    if (op != NULL) {
        if ((rc = state_number(L, op, "oracle_price", path, 0, 256, STATE_RAW,
                               &m->morpho.oracle_price)) != 0)
            return rc;
        if (u256_is_zero(m->morpho.oracle_price))
            return portfolio_read_fail(L, LIQ_ERANGE,
                                       "%soracle_price: zero (the contract "
                                       "divides by it)",
                                       path);
        m->morpho.has_oracle = true;
    }
    return 0;
}

int
portfolio_state_pre(struct portfolio_reader *L, struct market *m,
                    const cJSON *params, const char *pre)
{
    static const char *const keys[] = {
        "pre_lltv", "pre_lcf1",         "pre_lcf2", "pre_lif1",
        "pre_lif2", "pre_oracle_price", NULL};
    struct market_pre *q = &m->pre;
    int rc;

    if ((rc = portfolio_value_keys(L, params, pre, keys)) != 0 ||
        (rc = portfolio_value_ratio(L, params, "pre_lltv", pre, false, true,
                                    &q->lltv)) != 0 ||
        (rc = portfolio_value_ratio(L, params, "pre_lcf1", pre, false, true,
                                    &q->lcf1)) != 0 ||
        (rc = portfolio_value_ratio(L, params, "pre_lcf2", pre, false, true,
                                    &q->lcf2)) != 0 ||
        (rc = portfolio_value_ratio(L, params, "pre_lif1", pre, false, true,
                                    &q->lif1)) != 0 ||
        (rc = portfolio_value_ratio(L, params, "pre_lif2", pre, false, true,
                                    &q->lif2)) != 0)
        return rc;
    rc = portfolio_state_member(L, params, "pre_oracle_price", pre, 0, 256,
                                false, STATE_RAW, &q->oracle_price);
    if (rc == LIQ_ENOENT)
        return 0;
    if (rc != 0)
        return rc;
    if (u256_is_zero(q->oracle_price))
        return portfolio_read_fail(L, LIQ_ERANGE,
                                   "%spre_oracle_price: zero (the contract "
                                   "divides by it)",
                                   pre);
    q->has_oracle = true;
    return 0;
}

int
portfolio_state_market_ready(struct portfolio_reader *L, struct market *m)
{
    int rc = model_morpho_accrue(m);

    if (rc != 0)
        return portfolio_read_fail(L, rc,
                                   "markets[%ld].state: the interest accrued "
                                   "to as_of overflows (the contract's "
                                   "accrual reverts)",
                                   L->market_index);
    return 0;
}

/* Aave v4: an asset's "drawn_index" (a RAY decimal, at least 1) and its
 * hub's "supplied_assets" and "supplied_shares" (raw, both or neither;
 * shares need assets). Stored as zero where they are the simple form. */
static int
state_hub(struct portfolio_reader *L, struct asset *as, const cJSON *a,
          const char *path)
{
    struct u256 ray = u256_exp10(27), v;
    int rc, ra, rs;

    rc = portfolio_state_member(L, a, "drawn_index", path, 27, 256, false,
                                "a RAY decimal as a string (\"1.05\")", &v);
    if (rc == 0) {
        if (u256_lt(v, ray))
            return portfolio_read_fail(L, LIQ_ERANGE,
                                       "%sdrawn_index: below 1 (the hub's "
                                       "drawn index starts at 1 and only "
                                       "grows)",
                                       path);
        if (!u256_eq(v, ray))
            as->dindex = v;
    } else if (rc != LIQ_ENOENT) {
        return rc;
    }
    ra = portfolio_state_member(L, a, "supplied_assets", path, 0, 128, false,
                                STATE_RAW, &as->hub_assets);
    if (ra != 0 && ra != LIQ_ENOENT)
        return ra;
    rs = portfolio_state_member(L, a, "supplied_shares", path, 0, 128, false,
                                STATE_RAW, &as->hub_shares);
    if (rs != 0 && rs != LIQ_ENOENT)
        return rs;
    if (ra != rs)
        return portfolio_read_fail(
            L, LIQ_EINVAL,
            "%s%s: give the hub's supplied_assets and "
            "supplied_shares together",
            path, ra == 0 ? "supplied_assets" : "supplied_shares");
    if (rs == 0 && !u256_is_zero(as->hub_shares) &&
        u256_is_zero(as->hub_assets)) {
        char n[80];

        (void)decimal_format_int(n, sizeof n, as->hub_shares);
        return portfolio_read_fail(L, LIQ_ERANGE,
                                   "%ssupplied_shares: %s shares with zero "
                                   "supplied_assets (a hub's shares are "
                                   "backed by its assets)",
                                   path, n);
    }
    return 0;
}

int
portfolio_state_asset(struct portfolio_reader *L, struct market *m,
                      const cJSON *a, size_t i, const char *path)
{
    static const char *const keys[] = {PORTFOLIO_STATE_ASSET_KEYS};
    struct market_ctoken *ct = &m->ctoken[i];
    const cJSON *dep;
    unsigned dec = 8;
    int rc;

    for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
        bool v4 = strcmp(keys[k], "drawn_index") == 0 ||
                  strncmp(keys[k], "supplied_", 9) == 0;

        if ((v4 ? m->model != MODEL_AAVE_V4 : m->model != MODEL_COMPOUND_V2) &&
            cJSON_GetObjectItemCaseSensitive(a, keys[k]) != NULL)
            return portfolio_read_fail(
                L, LIQ_EINVAL, "%s%s: only a%s asset has one", path, keys[k],
                v4 ? "n aave-v4" : " compound-v2");
    }
    if (m->model == MODEL_AAVE_V4)
        return state_hub(L, &m->assets[i], a, path);
    if (m->model != MODEL_COMPOUND_V2)
        return 0;
    memset(ct, 0, sizeof *ct);
    rc = portfolio_state_member(L, a, "exchange_rate_mantissa", path, 0, 256,
                                false, STATE_RAW, &ct->exchange_rate);
    if (rc == 0) {
        if (u256_is_zero(ct->exchange_rate))
            return portfolio_read_fail(L, LIQ_ERANGE,
                                       "%sexchange_rate_mantissa: zero", path);
        ct->has_rate = true;
    } else if (rc != LIQ_ENOENT) {
        return rc;
    }
    if ((rc = portfolio_value_uint(L, a, "ctoken_decimals", path, 0, 77, false,
                                   &dec)) != 0)
        return rc;
    ct->decimals = (uint8_t)dec;
    dep = cJSON_GetObjectItemCaseSensitive(a, "deprecated");
    if (dep != NULL) {
        if (!cJSON_IsBool(dep))
            return portfolio_read_fail(
                L, LIQ_EINVAL, "%sdeprecated: expected true or false", path);
        ct->deprecated = cJSON_IsTrue(dep);
        if (ct->deprecated && m->assets[i].lt != 0)
            return portfolio_read_fail(L, LIQ_EINVAL,
                                       "%sdeprecated: a deprecated market's "
                                       "collateral factor is 0 "
                                       "(Comptroller.isDeprecated)",
                                       path);
    }
    return 0;
}

/* The position keys, in the order of st[] (portfolio_state_pos_key). */
enum {
    POS_BORROW_SHARES,
    POS_CTOKEN_COLLATERAL,
    POS_SUPPLIED_SHARES, /* aave-v4, the first of its keys */
    POS_DRAWN_SHARES,
    POS_PREMIUM_DEBT_RAY,  /* the last of aave-v4's */
    POS_COLLATERAL_SHARES, /* euler-v2 */
    POS_LAST_STATUS_CHECK,
    POS_ANNUAL_INTEREST_RATE /* liquity-v2 */
};

static const char *const state_pos_keys[PORTFOLIO_STATE_POS_KEYS] = {
    [POS_BORROW_SHARES] = "borrow_shares",
    [POS_CTOKEN_COLLATERAL] = "ctoken_collateral",
    [POS_SUPPLIED_SHARES] = "supplied_shares",
    [POS_DRAWN_SHARES] = "drawn_shares",
    [POS_PREMIUM_DEBT_RAY] = "premium_debt_ray",
    [POS_COLLATERAL_SHARES] = "collateral_shares",
    [POS_LAST_STATUS_CHECK] = "last_status_check",
    [POS_ANNUAL_INTEREST_RATE] = "annual_interest_rate"};

int
portfolio_state_pos_key(const char *k)
{
    for (int i = 0; i < PORTFOLIO_STATE_POS_KEYS; i++)
        if (strcmp(k, state_pos_keys[i]) == 0)
            return i;
    return -1;
}

/* Morpho: "borrow_shares" (raw, the loan asset's), or a debt in loan
 * assets as the shares borrowing it mints (toSharesUp). */
static int
state_borrow_shares(struct portfolio_reader *L, const struct market *m,
                    const cJSON *bs, bool debt_given, const char *pre,
                    struct position *p)
{
    struct morpho_totals t;
    struct u256 v;
    int rc;

    if (!market_is_morpho(m->model) || !m->morpho.has_state) {
        if (bs == NULL)
            return 0;
        return portfolio_read_fail(
            L, LIQ_EINVAL,
            "%sborrow_shares: market %s has no state to convert shares by "
            "(a morpho-blue market's \"state\")",
            pre, m->id);
    }
    if ((rc = model_morpho_state_borrow(m, &t)) != 0)
        return portfolio_read_fail(L, rc, "%s%s: %s", pre,
                                   bs != NULL ? "borrow_shares" : "debt",
                                   liq_strerror(rc));
    if (bs == NULL) {
        if (p->ndebt == 1 &&
            (rc = model_morpho_state_convert(
                 &p->debt[0].amount, p->debt[0].amount, &t, true, true)) != 0)
            return portfolio_read_fail(L, rc,
                                       "%sdebt: too large to be borrowed in "
                                       "this market",
                                       pre);
        return 0;
    }
    if (debt_given)
        return portfolio_read_fail(L, LIQ_EINVAL,
                                   "%sborrow_shares: give debt or "
                                   "borrow_shares, not both",
                                   pre);
    if ((rc = state_number(L, bs, "borrow_shares", pre, 0, 128, STATE_RAW,
                           &v)) != 0)
        return rc;
    if (u256_lt(m->morpho.borrow_shares, v))
        return portfolio_read_fail(L, LIQ_ERANGE,
                                   "%sborrow_shares: more than the market's "
                                   "total_borrow_shares",
                                   pre);
    p->ndebt = 0;
    if (!u256_is_zero(v)) {
        p->ndebt = 1;
        p->debt[0].asset = 1;
        p->debt[0].amount = v;
    }
    return 0;
}

/* Compound: "ctoken_collateral" (SYM -> cTokens in ctoken_decimals), and
 * a collateral in underlying as the cTokens minting it gives; an asset in
 * one or the other. */
static int
state_ctokens(struct portfolio_reader *L, const struct market *m,
              const cJSON *ct, const char *pre, struct position *p)
{
    char q[64];
    const cJSON *c;
    uint8_t n = 0;
    int rc;

    if (m->model != MODEL_COMPOUND_V2) {
        if (ct == NULL)
            return 0;
        return portfolio_read_fail(L, LIQ_EINVAL,
                                   "%sctoken_collateral: market %s is not "
                                   "compound-v2",
                                   pre, m->id);
    }
    /* collateral in underlying: the cTokens minting it gives */
    for (uint8_t i = 0; i < p->ncoll; i++) {
        const struct market_ctoken *k = &m->ctoken[p->coll[i].asset];

        if (k->has_rate &&
            (rc = model_compound2_mint_tokens(
                 &p->coll[i].amount, k->exchange_rate, p->coll[i].amount)) != 0)
            return portfolio_read_fail(L, rc, "%scollateral: %s", pre,
                                       liq_strerror(rc));
    }
    if (ct == NULL)
        return 0;
    n = p->ncoll;
    if (!cJSON_IsObject(ct))
        return portfolio_read_fail(L, LIQ_EINVAL,
                                   "%sctoken_collateral: expected an object "
                                   "of cToken amounts by symbol",
                                   pre);
    for (c = ct->child; c != NULL; c = c->next) {
        char path[96];
        uint32_t sym;
        int ai;

        if (book_symbol_find(L->b, c->string, strlen(c->string), &sym) != 0 ||
            (ai = market_asset_find(m, sym)) < 0)
            return portfolio_read_fail(
                L, LIQ_ENOENT,
                "%sctoken_collateral.%s: asset not listed in "
                "market %s",
                pre,
                portfolio_value_safe(q, sizeof q, c->string, strlen(c->string)),
                m->id);
        if (!m->ctoken[ai].has_rate)
            return portfolio_read_fail(
                L, LIQ_EINVAL,
                "%sctoken_collateral.%s: the asset has no "
                "exchange_rate_mantissa",
                pre, c->string);
        for (uint8_t j = 0; j < n; j++)
            if (p->coll[j].asset == (uint8_t)ai)
                return portfolio_read_fail(
                    L, LIQ_EDUP, "%sctoken_collateral.%s: listed twice%s", pre,
                    c->string, j < p->ncoll ? " (in collateral too)" : "");
        if (n == POSITION_SIDE_MAX)
            return portfolio_read_fail(L, LIQ_ELIMIT,
                                       "%sctoken_collateral: more than %d "
                                       "assets",
                                       pre, POSITION_SIDE_MAX);
        snprintf(path, sizeof path, "%sctoken_collateral.", pre);
        if ((rc = state_number(L, c, c->string, path, m->ctoken[ai].decimals,
                               256, "an amount of cTokens as a string",
                               &p->coll[n].amount)) != 0)
            return rc;
        p->coll[n].asset = (uint8_t)ai;
        n++;
    }
    p->ncoll = n;
    return 0;
}

/*
 * Aave v4: a map `key` of raw amounts by symbol (obj, NULL when absent)
 * added to legs[0, *n) after the side's plain legs (n_plain of them,
 * given as `plain`), an asset in one or the other; premium: into
 * prem[asset] instead, each needing a drawn-share leg.
 */
static int
state_v4_map(struct portfolio_reader *L, const struct market *m,
             const cJSON *obj, const char *pre, const char *key,
             const char *plain, struct leg *legs, uint8_t *n, uint8_t n_plain,
             struct u256 *prem)
{
    char q[64], path[96];
    const cJSON *c;

    if (obj == NULL)
        return 0;
    if (!cJSON_IsObject(obj))
        return portfolio_read_fail(L, LIQ_EINVAL,
                                   "%s%s: expected an object of raw amounts "
                                   "by symbol",
                                   pre, key);
    snprintf(path, sizeof path, "%s%s.", pre, key);
    for (c = obj->child; c != NULL; c = c->next) {
        struct u256 v;
        uint32_t sym;
        int ai, rc, j = -1;

        if (book_symbol_find(L->b, c->string, strlen(c->string), &sym) != 0 ||
            (ai = market_asset_find(m, sym)) < 0)
            return portfolio_read_fail(
                L, LIQ_ENOENT, "%s%s: asset not listed in market %s", path,
                portfolio_value_safe(q, sizeof q, c->string, strlen(c->string)),
                m->id);
        for (uint8_t k = 0; k < *n; k++)
            if (legs[k].asset == (uint8_t)ai)
                j = k;
        if (prem == NULL && j >= 0 && j < n_plain)
            return portfolio_read_fail(L, LIQ_EDUP,
                                       "%s%s: give %s or %s for %s, not both",
                                       path, c->string, plain, key, c->string);
        if (prem == NULL && j >= 0)
            return portfolio_read_fail(L, LIQ_EDUP, "%s%s: listed twice", path,
                                       c->string);
        if ((rc = state_number(L, c, c->string, path, 0, prem ? 256 : 128,
                               STATE_RAW, &v)) != 0)
            return rc;
        if (prem != NULL) {
            if (j < n_plain || u256_is_zero(legs[j].amount))
                return portfolio_read_fail(
                    L, LIQ_EINVAL,
                    "%s%s: premium debt without drawn shares (give "
                    "drawn_shares.%s; the premium accrues on them)",
                    path, c->string, c->string);
            prem[ai] = v;
            continue;
        }
        if (!u256_is_zero(m->assets[ai].hub_shares) && key[0] == 's' &&
            u256_lt(m->assets[ai].hub_shares, v))
            return portfolio_read_fail(L, LIQ_ERANGE,
                                       "%s%s: more than the hub's "
                                       "supplied_shares",
                                       path, c->string);
        if (*n == POSITION_SIDE_MAX)
            return portfolio_read_fail(L, LIQ_ELIMIT,
                                       "%s%s: more than %d assets with %s", pre,
                                       key, POSITION_SIDE_MAX, plain);
        legs[*n].asset = (uint8_t)ai;
        legs[*n].amount = v;
        (*n)++;
    }
    return 0;
}

/* Aave v4: plain legs as the hub mints for them (supplied shares rounded
 * down, drawn shares up), the shares given, and a view of its own for a
 * position with premium debt. */
static int
state_v4(struct portfolio_reader *L, const struct market *m,
         const cJSON *const *st, const char *pre, struct position *p)
{
    struct u256 prem[MARKET_ASSETS_MAX];
    uint8_t nc = p->ncoll, nd = p->ndebt;
    bool any = false;
    struct market *vm;
    uint32_t idx;
    int rc = 0;

    if (m->model != MODEL_AAVE_V4) {
        for (int k = POS_SUPPLIED_SHARES; k <= POS_PREMIUM_DEBT_RAY; k++)
            if (st[k] != NULL)
                return portfolio_read_fail(L, LIQ_EINVAL,
                                           "%s%s: only positions in aave-v4 "
                                           "markets have it",
                                           pre, state_pos_keys[k]);
        return 0;
    }
    for (uint8_t i = 0; i < p->ncoll && rc == 0; i++)
        rc = model_aave4_to_shares(m, p->coll[i].asset, p->coll[i].amount,
                                   U256_FLOOR, &p->coll[i].amount);
    for (uint8_t i = 0; i < p->ndebt && rc == 0; i++)
        rc = u256_muldiv(&p->debt[i].amount, p->debt[i].amount, u256_exp10(27),
                         model_aave4_index(m, p->debt[i].asset), U256_CEIL);
    if (rc != 0)
        return portfolio_read_fail(L, rc, "%s%s", pre, liq_strerror(rc));
    memset(prem, 0, sizeof prem);
    if ((rc =
             state_v4_map(L, m, st[POS_SUPPLIED_SHARES], pre, "supplied_shares",
                          "collateral", p->coll, &p->ncoll, nc, NULL)) != 0 ||
        (rc = state_v4_map(L, m, st[POS_DRAWN_SHARES], pre, "drawn_shares",
                           "debt", p->debt, &p->ndebt, nd, NULL)) != 0 ||
        (rc = state_v4_map(L, m, st[POS_PREMIUM_DEBT_RAY], pre,
                           "premium_debt_ray", "debt", p->debt, &p->ndebt, nd,
                           prem)) != 0)
        return rc;
    for (unsigned i = 0; i < MARKET_ASSETS_MAX; i++)
        any = any || !u256_is_zero(prem[i]);
    if (!any)
        return 0;
    /* the premium is the position's own: a view of the market for it */
    vm = malloc(sizeof *vm);
    if (vm == NULL)
        return portfolio_read_fail(L, LIQ_ENOMEM, "%s%s", pre,
                                   liq_strerror(LIQ_ENOMEM));
    *vm = *m;
    for (unsigned i = 0; i < m->nassets; i++)
        vm->assets[i].premium = prem[i];
    vm->view.view = true;
    vm->view.own = book_market_count(L->b);
    rc = book_market_add(L->b, vm, &idx);
    free(vm);
    if (rc != 0)
        return portfolio_read_fail(L, rc, "%spremium_debt_ray: %s", pre,
                                   liq_strerror(rc));
    p->market = idx;
    return 0;
}

int
portfolio_state_position(struct portfolio_reader *L, const struct market *m,
                         const cJSON *const *st, bool coll_given,
                         bool debt_given, struct position *p)
{
    char pre[40];
    int rc;

    pre[0] = '\0';
    if (L->pos_index >= 0)
        snprintf(pre, sizeof pre, "positions[%ld].", L->pos_index);
    if ((rc = state_borrow_shares(L, m, st[POS_BORROW_SHARES], debt_given, pre,
                                  p)) != 0 ||
        (rc = state_v4(L, m, st, pre, p)) != 0)
        return rc;
    (void)coll_given;
    if ((rc = state_ctokens(L, m, st[POS_CTOKEN_COLLATERAL], pre, p)) != 0 ||
        (rc = portfolio_euler_position(L, m, st[POS_COLLATERAL_SHARES],
                                       st[POS_LAST_STATUS_CHECK], pre, p)) != 0)
        return rc;
    return portfolio_liquity_rate(L, m, st[POS_ANNUAL_INTEREST_RATE], pre, p);
}

bool
portfolio_state_plain(const struct market *m)
{
    if (market_is_morpho(m->model))
        return !m->morpho.has_state;
    if (m->model == MODEL_EULER_V2)
        return false; /* shares, one debt, the cool-off: portfolio_euler.c */
    if (m->model == MODEL_AAVE_V4)
        return !model_aave4_stateful(m);
    if (m->model == MODEL_COMPOUND_V2)
        for (uint8_t i = 0; i < m->nassets; i++)
            if (m->ctoken[i].has_rate)
                return false;
    return true;
}
