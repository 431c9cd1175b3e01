/*
 * portfolio_read.c: the members of a portfolio document, read into the
 * book: markets with their assets and params, prices, positions
 * (design.md sections 2, 3, 7).
 *
 * Owns what each member means and the messages about it: syntax errors
 * name file:line:col, meaning errors the JSON path. How a single value is
 * written and read (strings, whole numbers, ratios, unknown keys) is
 * portfolio_value.c's. Numbers go through core/decimal exactly; nothing
 * here uses a double for a value. Reads cJSON values; never a file.
 */
#include "app/portfolio_read.h"

#include <cjson/cJSON.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/jsonsyntax.h"
#include "app/portfolio.h"
#include "app/portfolio_aave3.h"
#include "app/portfolio_comet.h"
#include "app/portfolio_euler.h"
#include "app/portfolio_liquity.h"
#include "app/portfolio_state.h"
#include "app/portfolio_value.h"
#include "app/textout.h"
#include "core/decimal.h"
#include "core/liq.h"
#include "core/market.h"
#include "core/model.h"
#include "core/position.h"

int
portfolio_read_fail(struct portfolio_reader *L, int code, const char *fmt, ...)
{
    va_list ap;
    int n;

    if (L->errlen == 0)
        return code;
    if (L->line > 0)
        n = snprintf(L->err, L->errlen, "%s:%lu: ", L->file, L->line);
    else
        n = snprintf(L->err, L->errlen, "%s: ", L->file);
    if (n < 0 || (size_t)n >= L->errlen)
        return code;
    va_start(ap, fmt);
    vsnprintf(L->err + n, L->errlen - (size_t)n, fmt, ap);
    va_end(ap);
    return code;
}

/* The path prefix of the current position: "positions[3]." or "". */
static const char *
pos_prefix(const struct portfolio_reader *L, char *buf, size_t cap)
{
    buf[0] = '\0';
    if (L->pos_index >= 0)
        snprintf(buf, cap, "positions[%ld].", L->pos_index);
    return buf;
}

/*
 * Syntax error in text[0..len): the strict scanner names the byte at fault
 * and what was expected; cJSON's own position (cjson_at) is the fallback
 * for what only cJSON refuses (its nesting and number length limits).
 * Line and column are 1-based, columns counted in characters.
 */
int
portfolio_read_syntax_error(struct portfolio_reader *L, const char *text,
                            size_t len, const char *cjson_at)
{
    unsigned long line, col;
    char why[160];

    jsonsyntax_locate(text, len, cjson_at, &line, &col, why, sizeof why);
    if (L->line > 0)
        line = L->line;
    if (L->errlen > 0)
        snprintf(L->err, L->errlen, "%s:%lu:%lu: syntax error: %s", L->file,
                 line, col, why);
    return LIQ_EPARSE;
}

/* Symbols: no spaces, controls or the separators of --price and CSV. */
static bool
symbol_ok(const char *s, size_t len)
{
    size_t i;

    if (len == 0 || len >= SYMBOL_MAX || !textout_utf8_valid(s, len))
        return false;
    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];

        if (c <= 0x20 || c == 0x7f || strchr("=;,\"\\", c) != NULL)
            return false;
    }
    return true;
}

static int
load_asset(struct portfolio_reader *L, struct market *m, const cJSON *a,
           size_t i)
{
    static const char *const keys[] = {"symbol",
                                       "decimals",
                                       "ltv",
                                       "liquidation_threshold",
                                       "liquidation_bonus",
                                       "protocol_fee",
                                       PORTFOLIO_STATE_ASSET_KEYS,
                                       NULL};
    struct asset *as = &m->assets[i];
    bool bps = market_ratio_unit(m->model) == BPS;
    bool aave = market_is_aave3(m->model) || m->model == MODEL_AAVE_V4;
    char path[96], q[64];
    const char *sym;
    unsigned dec = 0;
    uint32_t id;
    size_t j;
    int rc;

    snprintf(path, sizeof path, "markets[%ld].assets[%zu].", L->market_index,
             i);
    if (!cJSON_IsObject(a))
        return portfolio_read_fail(L, LIQ_EINVAL,
                                   "markets[%ld].assets[%zu]: expected an "
                                   "object",
                                   L->market_index, i);
    if ((rc = portfolio_value_keys(
             L, a, path,
             market_is_aave3(m->model)       ? portfolio_aave3_asset_keys
             : m->model == MODEL_COMPOUND_V3 ? portfolio_comet_asset_keys
             : m->model == MODEL_EULER_V2    ? portfolio_euler_asset_keys
                                             : keys)) != 0 ||
        (rc = portfolio_value_string(L, a, "symbol", path, true, 64, &sym)) !=
            0)
        return rc;
    if (!symbol_ok(sym, strlen(sym)))
        return portfolio_read_fail(
            L, LIQ_EINVAL,
            "%ssymbol: %s is not a symbol (1 to %d bytes, no "
            "spaces or =;,\"\\)",
            path, portfolio_value_quoted(q, sizeof q, sym, strlen(sym)),
            SYMBOL_MAX - 1);
    if ((rc = book_symbol_intern(L->b, sym, strlen(sym), &id)) != 0)
        return portfolio_read_fail(L, rc, "%ssymbol: %s", path,
                                   liq_strerror(rc));
    for (j = 0; j < i; j++)
        if (m->assets[j].sym == id)
            return portfolio_read_fail(L, LIQ_EDUP,
                                       "%ssymbol: %s listed twice in market "
                                       "%s",
                                       path, sym, m->id);
    memset(as, 0, sizeof *as);
    as->sym = id;
    if ((rc = portfolio_value_uint(L, a, "decimals", path, 0, 77, true,
                                   &dec)) != 0)
        return rc;
    as->decimals = (uint8_t)dec;
    if (m->model == MODEL_EULER_V2)
        return portfolio_euler_asset(L, m, a, i, path);
    if (m->model == MODEL_COMPOUND_V3)
        return portfolio_comet_asset(L, m, a, i, path);
    /* liquity-v2's ratios are its branch's (params) */
    if ((rc = portfolio_value_ratio(L, a, "liquidation_threshold", path, bps,
                                    m->model != MODEL_LIQUITY_V2, &as->lt)) !=
        0)
        return rc;
    as->ltv = as->lt;
    if ((rc = portfolio_value_ratio(L, a, "ltv", path, bps, false, &as->ltv)) !=
            0 ||
        (rc = portfolio_value_ratio(L, a, "liquidation_bonus", path, bps, aave,
                                    &as->bonus)) != 0 ||
        (rc = portfolio_value_ratio(L, a, "protocol_fee", path, bps, false,
                                    &as->fee)) != 0 ||
        (rc = portfolio_aave3_asset(L, m, a, i, path)) != 0)
        return rc;
    return portfolio_state_asset(L, m, a, i, path);
}

static int
load_params(struct portfolio_reader *L, struct market *m, const cJSON *params,
            const char *path)
{
    static const char *const none[] = {NULL};
    static const char *const compound[] = {
        "close_factor", "liquidation_incentive", "protocol_seize_share", NULL};
    static const char *const aave4[] = {"target_health_factor",
                                        "health_factor_for_max_bonus",
                                        "liquidation_bonus_factor", NULL};
    struct market_params *pm = &m->params;
    int rc;

    market_params_default(pm, m->model);
    if (m->model == MODEL_EULER_V2)
        return portfolio_euler_params(L, m, params, path);
    if (params == NULL && m->model == MODEL_MORPHO_PRE)
        return portfolio_read_fail(L, LIQ_EINVAL,
                                   "%s: missing (a morpho-pre market's "
                                   "pre-liquidation parameters)",
                                   path);
    if (params == NULL)
        return 0;
    if (!cJSON_IsObject(params))
        return portfolio_read_fail(L, LIQ_EINVAL, "%s: expected an object",
                                   path);
    {
        char pre[80];

        snprintf(pre, sizeof pre, "%s.", path);
        switch (m->model) {
        case MODEL_COMPOUND_V2:
            if ((rc = portfolio_value_keys(L, params, pre, compound)) != 0 ||
                (rc = portfolio_value_ratio(L, params, "close_factor", pre,
                                            false, false, &pm->close_factor)) !=
                    0 ||
                (rc = portfolio_value_ratio(L, params, "liquidation_incentive",
                                            pre, false, false,
                                            &pm->liquidation_incentive)) != 0 ||
                (rc = portfolio_value_ratio(L, params, "protocol_seize_share",
                                            pre, false, false,
                                            &pm->protocol_seize_share)) != 0)
                return rc;
            return 0;
        case MODEL_AAVE_V4:
            if ((rc = portfolio_value_keys(L, params, pre, aave4)) != 0 ||
                (rc = portfolio_value_ratio(L, params, "target_health_factor",
                                            pre, false, false,
                                            &pm->target_health_factor)) != 0 ||
                (rc = portfolio_value_ratio(
                     L, params, "health_factor_for_max_bonus", pre, false,
                     false, &pm->health_factor_for_max_bonus)) != 0 ||
                (rc = portfolio_value_ratio(
                     L, params, "liquidation_bonus_factor", pre, true, false,
                     &pm->liquidation_bonus_factor)) != 0)
                return rc;
            return 0;
        case MODEL_MORPHO_PRE:
            return portfolio_state_pre(L, m, params, pre);
        case MODEL_LIQUITY_V2:
            return portfolio_liquity_params(L, m, params, pre);
        case MODEL_COMPOUND_V3:
            return 0; /* once the assets are read: portfolio_comet_market */
        default:
            return portfolio_value_keys(L, params, pre, none);
        }
    }
}

static int
load_market(struct portfolio_reader *L, const cJSON *mj, long i)
{
    static const char *const keys[] = {"id",
                                       "model",
                                       "version",
                                       "base_decimals",
                                       "params",
                                       "assets",
                                       "emode_categories",
                                       "price_oracle_sentinel",
                                       PORTFOLIO_STATE_MARKET_KEYS,
                                       NULL};
    struct market m;
    const struct model_ops *ops;
    const cJSON *assets, *a;
    const char *id, *model, *version;
    char path[48], ppath[64], msg[256], q[64];
    unsigned bd = 8;
    size_t n;
    uint32_t idx;
    int rc;

    memset(&m, 0, sizeof m);
    m.as_of = L->as_of;
    m.clock_as_of = !L->as_of_given;
    L->market_index = i;
    snprintf(path, sizeof path, "markets[%ld].", i);
    if (!cJSON_IsObject(mj))
        return portfolio_read_fail(L, LIQ_EINVAL,
                                   "markets[%ld]: expected an object", i);
    if ((rc = portfolio_value_keys(L, mj, path, keys)) != 0 ||
        (rc = portfolio_value_string(L, mj, "id", path, true, MARKET_ID_MAX - 1,
                                     &id)) != 0 ||
        (rc = portfolio_value_string(L, mj, "model", path, true, 64, &model)) !=
            0 ||
        (rc = portfolio_value_string(L, mj, "version", path, false, 16,
                                     &version)) != 0)
        return rc;
    memcpy(m.id, id, strlen(id) + 1);
    if (market_model_parse(&m.model, model) != 0)
        return portfolio_read_fail(
            L, LIQ_ENOENT,
            "%smodel: unknown model %s (known: aave-v3, aave-v4, "
            "compound-v2, morpho-blue)",
            path, portfolio_value_quoted(q, sizeof q, model, strlen(model)));
    if (version != NULL) {
        if (market_version_parse(&m.version, m.model, version) != 0)
            return portfolio_read_fail(
                L, LIQ_ERANGE, "%sversion: %s is not a version of %s%s", path,
                portfolio_value_quoted(q, sizeof q, version, strlen(version)),
                model,
                m.model == MODEL_AAVE_V3 ? " (3.0 to 3.7)"
                : m.model == MODEL_SPARK ? " (spark has none: its rules are "
                                           "pinned)"
                                         : "");
    } else if (m.model == MODEL_AAVE_V3) {
        m.version = 307;
    }
    if ((rc = portfolio_value_uint(L, mj, "base_decimals", path, 0, 18, false,
                                   &bd)) != 0)
        return rc;
    m.base_decimals = (uint8_t)bd;
    snprintf(ppath, sizeof ppath, "markets[%ld].params", i);
    if ((rc = load_params(L, &m, cJSON_GetObjectItemCaseSensitive(mj, "params"),
                          ppath)) != 0)
        return rc;
    assets = cJSON_GetObjectItemCaseSensitive(mj, "assets");
    if (assets == NULL)
        return portfolio_read_fail(L, LIQ_EINVAL, "%sassets: missing", path);
    if (!cJSON_IsArray(assets))
        return portfolio_read_fail(L, LIQ_EINVAL, "%sassets: expected an array",
                                   path);
    n = 0;
    cJSON_ArrayForEach(a, assets)
    {
        if (n == MARKET_ASSETS_MAX)
            return portfolio_read_fail(L, LIQ_ELIMIT,
                                       "%sassets: more than %d assets", path,
                                       MARKET_ASSETS_MAX);
        if ((rc = load_asset(L, &m, a, n)) != 0)
            return rc;
        n++;
    }
    if (n == 0)
        return portfolio_read_fail(L, LIQ_EINVAL, "%sassets: no assets", path);
    m.nassets = (uint8_t)n;
    if ((rc = portfolio_aave3_market(L, &m, mj, path)) != 0 ||
        (rc = portfolio_state_market(L, &m, mj, path)) != 0 ||
        (rc = portfolio_comet_market(L, &m, mj, path)) != 0)
        return rc;
    if ((rc = market_validate(&m, msg, sizeof msg)) != 0)
        return portfolio_read_fail(L, rc, "markets[%ld].%s", i, msg);
    ops = model_get(m.model);
    if (ops != NULL && ops->validate != NULL &&
        (rc = ops->validate(&m, msg, sizeof msg)) != 0)
        return portfolio_read_fail(L, rc, "markets[%ld].%s", i, msg);
    if ((rc = portfolio_state_market_ready(L, &m)) != 0)
        return rc;
    rc = book_market_add(L->b, &m, &idx);
    if (rc == LIQ_EDUP)
        return portfolio_read_fail(
            L, rc, "%sid: duplicate market id %s", path,
            portfolio_value_quoted(q, sizeof q, id, strlen(id)));
    if (rc != 0)
        return portfolio_read_fail(L, rc, "markets[%ld]: %s", i,
                                   liq_strerror(rc));
    return 0;
}

/* One side (collateral or debt) of a position: SYM -> amount. */
static int
load_legs(struct portfolio_reader *L, const struct market *m, const cJSON *side,
          const char *name, struct leg *legs, uint8_t *nlegs)
{
    char pre[40], buf[PORTFOLIO_NUMTEXT_MAX], q[64];
    const cJSON *c;
    uint8_t n = 0;

    *nlegs = 0;
    if (side == NULL)
        return 0;
    pos_prefix(L, pre, sizeof pre);
    if (!cJSON_IsObject(side))
        return portfolio_read_fail(
            L, LIQ_EINVAL, "%s%s: expected an object of amounts by symbol", pre,
            name);
    for (c = side->child; c != NULL; c = c->next) {
        const char *text;
        size_t len, klen = strlen(c->string);
        uint32_t sym;
        int ai, rc, j;
        struct u256 v;

        if (book_symbol_find(L->b, c->string, klen, &sym) != 0 ||
            (ai = market_asset_find(m, sym)) < 0)
            return portfolio_read_fail(
                L, LIQ_ENOENT, "%s%s.%s: asset not listed in market %s", pre,
                name, portfolio_value_safe(q, sizeof q, c->string, klen),
                m->id);
        for (j = 0; j < n; j++)
            if (legs[j].asset == (uint8_t)ai)
                return portfolio_read_fail(L, LIQ_EDUP, "%s%s.%s: listed twice",
                                           pre, name, c->string);
        if (n == POSITION_SIDE_MAX)
            return portfolio_read_fail(L, LIQ_ELIMIT,
                                       "%s%s: more than %d assets", pre, name,
                                       POSITION_SIDE_MAX);
        if (!portfolio_value_text(c, buf, sizeof buf, &text, &len))
            return portfolio_read_fail(
                L, LIQ_EINVAL,
                "%s%s.%s: expected an amount as a string (\"10.5\")", pre, name,
                c->string);
        rc =
            decimal_parse(&v, text, len, m->assets[ai].decimals, DECIMAL_EXACT);
        switch (rc) {
        case 0:
            break;
        case LIQ_ERANGE:
            return portfolio_read_fail(L, rc, "%s%s.%s: negative amount", pre,
                                       name, c->string);
        case LIQ_EPRECISION:
            return portfolio_read_fail(
                L, rc,
                "%s%s.%s: %s has more places than %s holds (%u "
                "decimals)",
                pre, name, c->string, text, c->string, m->assets[ai].decimals);
        case LIQ_EOVERFLOW:
            return portfolio_read_fail(
                L, rc,
                "%s%s.%s: amount too large (more than 2^256-1 raw "
                "units)",
                pre, name, c->string);
        default:
            return portfolio_read_fail(
                L, LIQ_EPARSE, "%s%s.%s: %s is not an amount", pre, name,
                c->string, portfolio_value_quoted(q, sizeof q, text, len));
        }
        legs[n].asset = (uint8_t)ai;
        legs[n].amount = v;
        n++;
    }
    *nlegs = n;
    return 0;
}

int
portfolio_read_find_market(struct portfolio_reader *L, const char *id,
                           uint32_t *out)
{
    unsigned i = 0;
    size_t len;
    int rc;

    for (; i < PORTFOLIO_READ_MARKETS && L->last_market[i][0] != '\0'; i++)
        if (strcmp(L->last_market[i], id) == 0) {
            *out = L->last_market_idx[i];
            return 0;
        }
    if ((rc = book_market_find(L->b, id, out)) != 0)
        return rc;
    if ((len = strlen(id)) < sizeof L->last_market[0]) {
        /* first in the list, the last one dropped when it is full */
        i = i < PORTFOLIO_READ_MARKETS ? i : PORTFOLIO_READ_MARKETS - 1;
        memmove(L->last_market[1], L->last_market[0],
                i * sizeof L->last_market[0]);
        memmove(L->last_market_idx + 1, L->last_market_idx,
                i * sizeof L->last_market_idx[0]);
        memcpy(L->last_market[0], id, len + 1);
        L->last_market_idx[0] = *out;
    }
    return 0;
}

/* Index of a position key in pos_keys, or -1; one strcmp at most. */
static int
pos_key(const char *k)
{
    switch (k[0]) {
    case 'i':
        return strcmp(k, "id") == 0 ? 0 : -1;
    case 'm':
        return strcmp(k, "market") == 0 ? 1 : -1;
    case 'l':
        return strcmp(k, "label") == 0 ? 2 : -1;
    case 'c':
        return strcmp(k, "collateral") == 0            ? 3
               : strcmp(k, "collateral_disabled") == 0 ? 6
                                                       : -1;
    case 'd':
        return strcmp(k, "debt") == 0 ? 4 : -1;
    case 'e':
        return strcmp(k, "emode") == 0 ? 5 : -1;
    case 'p':
        return strcmp(k, "principal") == 0 ? 9 : -1;
    case 's':
        return strcmp(k, "scaled_collateral") == 0 ? 7
               : strcmp(k, "scaled_debt") == 0     ? 8
                                                   : -1;
    default:
        return -1;
    }
}

/* One position object. Its members are picked in one pass (a JSON Lines
 * book has a million of them). */
int
portfolio_read_position(struct portfolio_reader *L, const cJSON *pj)
{
    static const char *const pos_keys[] = {"id",
                                           "market",
                                           "label",
                                           "collateral",
                                           "debt",
                                           "emode",
                                           "collateral_disabled",
                                           "scaled_collateral",
                                           "scaled_debt",
                                           "principal"};
    const cJSON *f[10] = {NULL}, *c;
    const cJSON *st[PORTFOLIO_STATE_POS_KEYS] = {NULL};
    struct position p;
    const struct market *m;
    const struct model_ops *ops;
    const char *id, *market, *label;
    char pre[40], q[64], msg[256];
    uint32_t midx, idx;
    int rc;

    pos_prefix(L, pre, sizeof pre);
    if (!cJSON_IsObject(pj)) {
        if (L->pos_index < 0)
            return portfolio_read_fail(L, LIQ_EINVAL,
                                       "expected a position object");
        return portfolio_read_fail(
            L, LIQ_EINVAL, "positions[%ld]: expected an object", L->pos_index);
    }
    for (c = pj->child; c != NULL; c = c->next) {
        int k = pos_key(c->string);

        if (k < 0) {
            if (portfolio_value_reserved(c->string))
                continue;
            if ((k = portfolio_state_pos_key(c->string)) >= 0) {
                if (st[k] != NULL)
                    return portfolio_read_fail(
                        L, LIQ_EINVAL, "%s%s: key given twice", pre, c->string);
                st[k] = c;
                continue;
            }
            return portfolio_read_fail(L, LIQ_EINVAL, "%s%s: unknown key", pre,
                                       portfolio_value_safe(q, sizeof q,
                                                            c->string,
                                                            strlen(c->string)));
        }
        if (f[k] != NULL)
            return portfolio_read_fail(L, LIQ_EINVAL, "%s%s: key given twice",
                                       pre, pos_keys[k]);
        f[k] = c;
    }
    if ((rc = portfolio_value_string_item(L, f[0], "id", pre, true,
                                          POSITION_ID_MAX - 1, &id)) != 0 ||
        (rc = portfolio_value_string_item(L, f[1], "market", pre, true,
                                          MARKET_ID_MAX - 1, &market)) != 0 ||
        (rc = portfolio_value_string_item(L, f[2], "label", pre, false,
                                          LABEL_MAX, &label)) != 0)
        return rc;
    if (portfolio_read_find_market(L, market, &midx) != 0)
        return portfolio_read_fail(
            L, LIQ_ENOENT, "%smarket: unknown market %s", pre,
            portfolio_value_quoted(q, sizeof q, market, strlen(market)));
    m = book_market(L->b, midx);
    memset(&p, 0, sizeof p);
    p.id = id;
    p.label = label != NULL ? label : "";
    p.market = midx;
    if ((rc = load_legs(L, m, f[3], "collateral", p.coll, &p.ncoll)) != 0 ||
        (rc = load_legs(L, m, f[4], "debt", p.debt, &p.ndebt)) != 0 ||
        (rc = portfolio_state_position(L, m, st, f[3] != NULL, f[4] != NULL,
                                       &p)) != 0 ||
        (rc = portfolio_comet_position(L, m, f[9], f[4] != NULL, &p, pre)) !=
            0 ||
        (rc = portfolio_aave3_position(L, &p, pj, f[5], f[6], f[7], f[8],
                                       pre)) != 0)
        return rc;
    m = book_market(L->b, p.market);
    ops = model_get(m->model);
    if (ops != NULL && ops->check_position != NULL &&
        (rc = ops->check_position(m, &p, msg, sizeof msg)) != 0) {
        if (L->pos_index < 0)
            return portfolio_read_fail(L, rc, "%s", msg);
        return portfolio_read_fail(L, rc, "positions[%ld]: %s", L->pos_index,
                                   msg);
    }
    if (L->replace && book_position_find(L->b, id, strlen(id), &idx) == 0) {
        if ((rc = book_position_set(L->b, idx, &p)) != 0)
            return portfolio_read_fail(L, rc, "%sid: %s", pre,
                                       liq_strerror(rc));
        return 0;
    }
    if (L->replace) { /* new, and holding nothing: left out */
        bool any = false;

        for (unsigned i = 0; i < p.ncoll; i++)
            any = any || !u256_is_zero(p.coll[i].amount);
        for (unsigned i = 0; i < p.ndebt; i++)
            any = any || !u256_is_zero(p.debt[i].amount);
        if (!any)
            return 0;
    }
    if (!portfolio_shard_keeps(id, strlen(id)))
        return 0; /* another shard's (--shard): checked, not held */
    rc = book_position_add(L->b, &p, &idx);
    if (rc == LIQ_EDUP)
        return portfolio_read_fail(
            L, rc, "%sid: duplicate position id %s", pre,
            portfolio_value_quoted(q, sizeof q, id, strlen(id)));
    if (rc != 0)
        return portfolio_read_fail(L, rc, "%sid: %s", pre, liq_strerror(rc));
    return 0;
}

static int
load_prices(struct portfolio_reader *L, const cJSON *prices)
{
    char buf[PORTFOLIO_NUMTEXT_MAX], q[64];
    const cJSON *c;

    if (prices == NULL)
        return 0;
    if (!cJSON_IsObject(prices))
        return portfolio_read_fail(
            L, LIQ_EINVAL, "prices: expected an object of prices by symbol");
    for (c = prices->child; c != NULL; c = c->next) {
        size_t len, klen = strlen(c->string);
        const char *text;
        struct u256 v;
        uint32_t sym;
        int rc;

        for (const cJSON *d = prices->child; d != c; d = d->next)
            if (strcmp(d->string, c->string) == 0)
                return portfolio_read_fail(
                    L, LIQ_EINVAL, "prices.%s: key given twice",
                    portfolio_value_quoted(q, sizeof q, c->string, klen));

        if (!symbol_ok(c->string, klen))
            return portfolio_read_fail(
                L, LIQ_EINVAL, "prices.%s: not a symbol",
                portfolio_value_quoted(q, sizeof q, c->string, klen));
        if (!portfolio_value_text(c, buf, sizeof buf, &text, &len))
            return portfolio_read_fail(
                L, LIQ_EINVAL,
                "prices.%s: expected a price as a string (\"2000\")",
                c->string);
        rc = decimal_parse(&v, text, len, PRICE_DECIMALS, DECIMAL_TRUNCATE);
        if (rc == LIQ_ERANGE)
            return portfolio_read_fail(L, rc, "prices.%s: negative price",
                                       c->string);
        if (rc == LIQ_EOVERFLOW)
            return portfolio_read_fail(L, rc, "prices.%s: price too large",
                                       c->string);
        if (rc != 0)
            return portfolio_read_fail(
                L, LIQ_EPARSE, "prices.%s: %s is not a price", c->string,
                portfolio_value_quoted(q, sizeof q, text, len));
        if ((rc = book_symbol_intern(L->b, c->string, klen, &sym)) != 0 ||
            (rc = book_price_set(L->b, sym, v, 0)) != 0)
            return portfolio_read_fail(L, rc, "prices.%s: %s", c->string,
                                       liq_strerror(rc));
    }
    return 0;
}

int
portfolio_read_root(struct portfolio_reader *L, const cJSON *root)
{
    static const char *const keys[] = {"markets", "prices",      "positions",
                                       "as_of",   "as_of_block", "chain",
                                       NULL};
    const cJSON *markets, *positions, *it;
    unsigned as_of;
    long i;
    int rc;

    if (!cJSON_IsObject(root))
        return portfolio_read_fail(L, LIQ_EINVAL,
                                   "expected an object with \"markets\", "
                                   "\"prices\" and \"positions\"");
    if ((rc = portfolio_value_keys(L, root, "", keys)) != 0)
        return rc;
    if (cJSON_GetObjectItemCaseSensitive(root, "as_of") != NULL) {
        if ((rc = portfolio_value_uint(L, root, "as_of", "", 0, UINT32_MAX,
                                       true, &as_of)) != 0)
            return rc;
        L->as_of = (int64_t)as_of;
        L->as_of_given = true;
    }
    /* The block an import read (design.md 4.2): checked, not used. */
    if (cJSON_GetObjectItemCaseSensitive(root, "as_of_block") != NULL &&
        (rc = portfolio_value_uint(L, root, "as_of_block", "", 0, UINT32_MAX,
                                   true, &as_of)) != 0)
        return rc;
    /* Where an import read the book (the rpc: feed's), not the book's. */
    it = cJSON_GetObjectItemCaseSensitive(root, "chain");
    if (it != NULL && !cJSON_IsObject(it))
        return portfolio_read_fail(L, LIQ_EINVAL, "chain: expected an object");
    markets = cJSON_GetObjectItemCaseSensitive(root, "markets");
    if (markets == NULL)
        return portfolio_read_fail(L, LIQ_EINVAL, "markets: missing");
    if (!cJSON_IsArray(markets))
        return portfolio_read_fail(L, LIQ_EINVAL, "markets: expected an array");
    if (cJSON_GetArraySize(markets) == 0)
        return portfolio_read_fail(L, LIQ_EINVAL, "markets: no markets");
    i = 0;
    cJSON_ArrayForEach(it, markets)
    {
        if ((rc = load_market(L, it, i)) != 0)
            return rc;
        i++;
    }
    if ((rc = load_prices(
             L, cJSON_GetObjectItemCaseSensitive(root, "prices"))) != 0)
        return rc;
    positions = cJSON_GetObjectItemCaseSensitive(root, "positions");
    if (positions == NULL)
        return 0;
    if (!cJSON_IsArray(positions))
        return portfolio_read_fail(L, LIQ_EINVAL,
                                   "positions: expected an array");
    i = 0;
    cJSON_ArrayForEach(it, positions)
    {
        L->pos_index = i;
        if ((rc = portfolio_read_position(L, it)) != 0)
            return rc;
        i++;
    }
    return 0;
}
