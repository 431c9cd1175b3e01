/*
 * market.c: model names, versions, default parameters, prices in base
 * units, and the protocols' own configuration rules.
 *
 * Owns what makes a market valid before any position is valued. Messages
 * start with the field at fault so a loader can prefix its JSON path. Pure:
 * formats with decimal_format and plain string copies, never stdio.
 */
#include "core/market.h"

#include <string.h>

#include "core/decimal.h"
#include "core/liq.h"

static const char *const market_model_names[MODEL_COUNT] = {
    [MODEL_AAVE_V3] = "aave-v3",
    [MODEL_AAVE_V4] = "aave-v4",
    [MODEL_COMPOUND_V2] = "compound-v2",
    [MODEL_MORPHO_BLUE] = "morpho-blue",
    [MODEL_MORPHO_PRE] = "morpho-pre",
    [MODEL_LIQUITY_V2] = "liquity-v2",
    [MODEL_COMPOUND_V3] = "compound-v3",
    [MODEL_EULER_V2] = "euler-v2",
    [MODEL_SPARK] = "spark",
};

uint64_t
market_ratio_unit(enum model_kind model)
{
    switch (model) {
    case MODEL_AAVE_V3:
    case MODEL_AAVE_V4:
    case MODEL_EULER_V2:
    case MODEL_SPARK:
        return 10000;
    case MODEL_COMPOUND_V2:
    case MODEL_MORPHO_BLUE:
    case MODEL_MORPHO_PRE:
    case MODEL_LIQUITY_V2:
    case MODEL_COMPOUND_V3:
    case MODEL_COUNT:
        break;
    }
    return 1000000000000000000ULL;
}

const char *
market_model_name(enum model_kind model)
{
    if ((unsigned)model >= MODEL_COUNT)
        return "unknown";
    return market_model_names[model];
}

int
market_model_parse(enum model_kind *out, const char *name)
{
    for (unsigned i = 0; i < MODEL_COUNT; i++) {
        if (strcmp(name, market_model_names[i]) == 0) {
            *out = (enum model_kind)i;
            return 0;
        }
    }
    return LIQ_ENOENT;
}

int
market_version_parse(uint16_t *out, enum model_kind model, const char *text)
{
    if (model != MODEL_AAVE_V3) {
        if (text != NULL && *text != '\0')
            return LIQ_ERANGE;
        *out = 0;
        return 0;
    }
    if (text == NULL || *text == '\0') {
        *out = 307; /* design.md: "3.7" by default */
        return 0;
    }
    if (strlen(text) == 3 && text[0] == '3' && text[1] == '.' &&
        text[2] >= '0' && text[2] <= '7') {
        *out = (uint16_t)(300 + (text[2] - '0'));
        return 0;
    }
    return LIQ_ERANGE;
}

void
market_params_default(struct market_params *out, enum model_kind model)
{
    memset(out, 0, sizeof(*out));
    switch (model) {
    case MODEL_COMPOUND_V2:
        /* Compound v2 mainnet's long-standing values (UNVERIFIED on chain,
         * liquidation-mechanics.md 4.2) and the CToken constant 2.8 %. */
        out->close_factor = 500000000000000000ULL;
        out->liquidation_incentive = 1080000000000000000ULL;
        out->protocol_seize_share = 28000000000000000ULL;
        break;
    case MODEL_AAVE_V4:
        /* No deployed values exist (liquidation-mechanics.md 3.6): target
         * 1.0, maximum bonus from HF 0.95 down, minimum bonus half of the
         * maximum's excess (the contract tests use 0.8e18 and 5000). */
        out->target_health_factor = 1000000000000000000ULL;
        out->health_factor_for_max_bonus = 950000000000000000ULL;
        out->liquidation_bonus_factor = 5000;
        break;
    case MODEL_LIQUITY_V2:
        /* The WETH branch's constants (Constants.sol at liquity/bold
         * 405f9122): MCR 110 %, CCR 150 %, SCR 110 %, penalties 5 % and
         * 10 %. The LST branches differ; a portfolio names its own. */
        out->mcr = 1100000000000000000ULL;
        out->ccr = 1500000000000000000ULL;
        out->scr = 1100000000000000000ULL;
        out->penalty_sp = 50000000000000000ULL;
        out->penalty_redist = 100000000000000000ULL;
        break;
    case MODEL_AAVE_V3:
    case MODEL_MORPHO_BLUE:
    case MODEL_MORPHO_PRE:
    case MODEL_COMPOUND_V3:
    case MODEL_EULER_V2:
    case MODEL_SPARK:
    case MODEL_COUNT:
        break;
    }
}

bool
market_view_eq(const struct market_view *a, const struct market_view *b)
{
    return a->view == b->view && a->emode == b->emode &&
           a->coll_off == b->coll_off && a->coll_scaled == b->coll_scaled &&
           a->debt_scaled == b->debt_scaled && a->last_check == b->last_check &&
           a->rate == b->rate && a->own == b->own;
}

const struct market_emode *
market_emode_find(const struct market *m, unsigned id)
{
    for (unsigned i = 0; i < m->nemodes && i < MARKET_EMODES_MAX; i++)
        if (m->emodes[i].id == id)
            return &m->emodes[i];
    return NULL;
}

int
market_asset_find(const struct market *m, uint32_t sym)
{
    for (unsigned i = 0; i < m->nassets; i++) {
        if (m->assets[i].sym == sym)
            return (int)i;
    }
    return -1;
}

struct u256
market_price_base(const struct market *m, struct u256 price_e18)
{
    struct u256 q = u256_zero();
    unsigned drop =
        PRICE_DECIMALS - (m->base_decimals <= PRICE_DECIMALS ? m->base_decimals
                                                             : PRICE_DECIMALS);

    if (drop == 0)
        return price_e18;
    (void)u256_div(&q, price_e18, u256_exp10(drop), U256_FLOOR);
    return q;
}

/* A tiny appender for messages: stays NUL-terminated, truncates safely. */
struct market_msg {
    char *buf;
    size_t cap;
    size_t len;
};

static void
market_msg_add(struct market_msg *w, const char *s)
{
    size_t n = strlen(s);

    if (w->cap == 0)
        return;
    if (w->len + n >= w->cap)
        n = w->cap - 1 - w->len;
    memcpy(w->buf + w->len, s, n);
    w->len += n;
    w->buf[w->len] = '\0';
}

static void
market_msg_uint(struct market_msg *w, uint64_t v)
{
    char b[DECIMAL_BUF];

    decimal_format_int(b, sizeof(b), u256_from_u64(v));
    market_msg_add(w, b);
}

/* The ratio v of the model's unit as a fraction ("0.825"). */
static void
market_msg_ratio(struct market_msg *w, enum model_kind model, uint64_t v)
{
    char b[DECIMAL_BUF];
    unsigned places = market_ratio_unit(model) == 10000 ? 4 : 18;

    decimal_format(b, sizeof(b), u256_from_u64(v), places);
    market_msg_add(w, b);
}

/* "assets[i].field: text" or "params.field: text" */
static int
market_fail(char *err, size_t errlen, int asset, const char *field,
            const char *text)
{
    struct market_msg w = {err, errlen, 0};

    if (errlen > 0)
        err[0] = '\0';
    if (asset >= 0) {
        market_msg_add(&w, "assets[");
        market_msg_uint(&w, (uint64_t)asset);
        market_msg_add(&w, "].");
    }
    market_msg_add(&w, field);
    market_msg_add(&w, ": ");
    market_msg_add(&w, text);
    return LIQ_ERANGE;
}

static int
market_fail_ratio(char *err, size_t errlen, int asset, const char *field,
                  const char *text, enum model_kind model, uint64_t v)
{
    struct market_msg w;

    market_fail(err, errlen, asset, field, text);
    w.buf = err;
    w.cap = errlen;
    w.len = errlen > 0 ? strlen(err) : 0;
    market_msg_add(&w, " (");
    market_msg_ratio(&w, model, v);
    market_msg_add(&w, ")");
    return LIQ_ERANGE;
}

/* Aave v3 PoolConfigurator: LTV <= LT, bonus > 100 %, and
 * percentMul(LT, 1e4 + bonus) <= 1e4 (half-up). */
static int
market_validate_aave3(const struct market *m, char *err, size_t errlen)
{
    for (int i = 0; i < m->nassets; i++) {
        const struct asset *a = &m->assets[i];
        uint64_t lb = 10000 + a->bonus;

        if (a->lt > 10000)
            return market_fail_ratio(err, errlen, i, "liquidation_threshold",
                                     "must be at most 1", m->model, a->lt);
        if (a->ltv > a->lt)
            return market_fail_ratio(err, errlen, i, "ltv",
                                     "must not exceed liquidation_threshold",
                                     m->model, a->lt);
        if (a->lt > 0 && a->bonus == 0)
            return market_fail(err, errlen, i, "liquidation_bonus",
                               "must be above 0 for a collateral asset");
        if (a->lt > 0 && (a->lt * lb + 5000) / 10000 > 10000)
            return market_fail(err, errlen, i, "liquidation_bonus",
                               "liquidation_threshold x (1 + bonus) must "
                               "not exceed 1");
        if (a->fee > 10000)
            return market_fail_ratio(err, errlen, i, "protocol_fee",
                                     "must be at most 1", m->model, a->fee);
    }
    return 0;
}

/* Aave v4 Spoke: CF < 1e4, percentMulUp(maxLB, CF) < 1e4, fee <= 1e4, and
 * the spoke-wide liquidation config; assets up to 18 decimals. */
static int
market_validate_aave4(const struct market *m, char *err, size_t errlen)
{
    const struct market_params *p = &m->params;

    if (p->target_health_factor < 1000000000000000000ULL)
        return market_fail(err, errlen, -1, "params.target_health_factor",
                           "must be at least 1");
    if (p->health_factor_for_max_bonus >= 1000000000000000000ULL)
        return market_fail(err, errlen, -1,
                           "params.health_factor_for_max_bonus",
                           "must be below 1");
    if (p->liquidation_bonus_factor > 10000)
        return market_fail(err, errlen, -1, "params.liquidation_bonus_factor",
                           "must be at most 1");
    for (int i = 0; i < m->nassets; i++) {
        const struct asset *a = &m->assets[i];
        uint64_t lb = 10000 + a->bonus;

        if (a->decimals > 18)
            return market_fail(err, errlen, i, "decimals",
                               "aave-v4 accepts at most 18");
        if (a->lt >= 10000)
            return market_fail_ratio(err, errlen, i, "liquidation_threshold",
                                     "must be below 1", m->model, a->lt);
        if (a->ltv > a->lt)
            return market_fail_ratio(err, errlen, i, "ltv",
                                     "must not exceed liquidation_threshold",
                                     m->model, a->lt);
        if ((a->lt * lb + 9999) / 10000 >= 10000)
            return market_fail(err, errlen, i, "liquidation_bonus",
                               "liquidation_threshold x (1 + bonus) must be "
                               "below 1");
        if (a->fee > 10000)
            return market_fail_ratio(err, errlen, i, "protocol_fee",
                                     "must be at most 1", m->model, a->fee);
    }
    return 0;
}

/* Comptroller: collateral factor <= 0.9; close factor in (0, 1]; incentive
 * at least 1; the seize share at most 1. */
static int
market_validate_compound2(const struct market *m, char *err, size_t errlen)
{
    const struct market_params *p = &m->params;

    if (p->close_factor == 0 || p->close_factor > 1000000000000000000ULL)
        return market_fail(err, errlen, -1, "params.close_factor",
                           "must be above 0 and at most 1");
    if (p->liquidation_incentive < 1000000000000000000ULL)
        return market_fail(err, errlen, -1, "params.liquidation_incentive",
                           "must be at least 1 (1.08 is an 8 % bonus)");
    if (p->protocol_seize_share > 1000000000000000000ULL)
        return market_fail(err, errlen, -1, "params.protocol_seize_share",
                           "must be at most 1");
    for (int i = 0; i < m->nassets; i++) {
        const struct asset *a = &m->assets[i];

        if (a->lt > 900000000000000000ULL)
            return market_fail_ratio(err, errlen, i, "liquidation_threshold",
                                     "collateral factor must be at most 0.9",
                                     m->model, a->lt);
        if (a->ltv > a->lt)
            return market_fail_ratio(err, errlen, i, "ltv",
                                     "must not exceed liquidation_threshold",
                                     m->model, a->lt);
    }
    return 0;
}

/* Morpho Blue: an enabled LLTV is below 1. */
static int
market_validate_morpho(const struct market *m, char *err, size_t errlen)
{
    for (int i = 0; i < m->nassets; i++) {
        const struct asset *a = &m->assets[i];

        if (a->lt >= 1000000000000000000ULL)
            return market_fail_ratio(err, errlen, i, "liquidation_threshold",
                                     "LLTV must be below 1", m->model, a->lt);
        if (a->ltv > a->lt)
            return market_fail_ratio(err, errlen, i, "ltv",
                                     "must not exceed liquidation_threshold",
                                     m->model, a->lt);
    }
    return 0;
}

/*
 * Liquity v2: a branch of one 18-decimal collateral against BOLD, and the
 * AddressesRegistry constructor's checks on its constants (1 < MCR, CCR,
 * SCR < 2; 5 % <= SP penalty <= redistribution penalty <= 20 %).
 */
static int
market_validate_liquity(const struct market *m, char *err, size_t errlen)
{
    static const char *const crs[] = {"params.mcr", "params.ccr", "params.scr"};
    const uint64_t cr[] = {m->params.mcr, m->params.ccr, m->params.scr};
    const uint64_t one = 1000000000000000000ULL;

    if (m->nassets != 2)
        return market_fail(err, errlen, -1, "assets",
                           "a liquity-v2 branch lists two: its collateral, "
                           "then BOLD");
    for (int i = 0; i < 2; i++) {
        const struct asset *a = &m->assets[i];

        if (a->decimals != 18)
            return market_fail(err, errlen, i, "decimals",
                               "liquity-v2 tokens have 18");
        if (a->lt != 0 || a->ltv != 0 || a->bonus != 0 || a->fee != 0)
            return market_fail(err, errlen, i, "liquidation_threshold",
                               "not used by liquity-v2: the branch's ratios "
                               "are params.mcr and its penalties");
    }
    for (int i = 0; i < 3; i++)
        if (cr[i] <= one || cr[i] >= 2 * one)
            return market_fail_ratio(err, errlen, -1, crs[i],
                                     "must be above 1 and below 2", m->model,
                                     cr[i]);
    if (m->params.penalty_sp < one / 20)
        return market_fail_ratio(
            err, errlen, -1, "params.liquidation_penalty_sp",
            "must be at least 0.05", m->model, m->params.penalty_sp);
    if (m->params.penalty_sp > m->params.penalty_redist)
        return market_fail_ratio(
            err, errlen, -1, "params.liquidation_penalty_sp",
            "must not exceed liquidation_penalty_redistribution", m->model,
            m->params.penalty_sp);
    if (m->params.penalty_redist > one / 5)
        return market_fail_ratio(
            err, errlen, -1, "params.liquidation_penalty_redistribution",
            "must be at most 0.2", m->model, m->params.penalty_redist);
    return 0;
}

int
market_validate(const struct market *m, char *err, size_t errlen)
{
    if ((unsigned)m->model >= MODEL_COUNT)
        return market_fail(err, errlen, -1, "model", "unknown model");
    if (m->base_decimals > PRICE_DECIMALS)
        return market_fail(err, errlen, -1, "base_decimals",
                           "must be at most 18");
    if (m->nassets == 0)
        return market_fail(err, errlen, -1, "assets", "no assets listed");
    if (m->nassets > MARKET_ASSETS_MAX)
        return market_fail(err, errlen, -1, "assets", "too many assets");
    for (int i = 0; i < m->nassets; i++) {
        if (m->assets[i].decimals > 77)
            return market_fail(err, errlen, i, "decimals",
                               "must be at most 77");
        for (int j = 0; j < i; j++) {
            if (m->assets[j].sym == m->assets[i].sym)
                return market_fail(err, errlen, i, "symbol",
                                   "listed twice in this market");
        }
    }
    switch (m->model) {
    case MODEL_AAVE_V3:
        if (m->version < 300 || m->version > 307)
            return market_fail(err, errlen, -1, "version",
                               "aave-v3 versions are 3.0 to 3.7");
        return market_validate_aave3(m, err, errlen);
    case MODEL_SPARK: /* pinned sources, no version (model_aave3_rules.c) */
        if (m->version != 0)
            return market_fail(err, errlen, -1, "version",
                               "spark has none (its rules are pinned)");
        return market_validate_aave3(m, err, errlen);
    case MODEL_AAVE_V4:
        return market_validate_aave4(m, err, errlen);
    case MODEL_COMPOUND_V2:
        return market_validate_compound2(m, err, errlen);
    case MODEL_MORPHO_BLUE:
    case MODEL_MORPHO_PRE:
        return market_validate_morpho(m, err, errlen);
    case MODEL_LIQUITY_V2:
        return market_validate_liquity(m, err, errlen);
    case MODEL_COMPOUND_V3:
        return 0; /* the model's validate (model_comet.c) */
    case MODEL_EULER_V2:
        return 0; /* model_euler_ops.validate */
    case MODEL_COUNT:
        break;
    }
    return LIQ_EINVAL;
}
