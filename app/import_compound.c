/*
 * import_compound.c: Compound v2 read from the chain for liqtop import:
 * the Comptroller's getAllMarkets, each market's markets(cToken) (listed,
 * collateral factor), closeFactorMantissa, liquidationIncentiveMantissa
 * and oracle(); for each cToken its symbol, decimals, exchangeRateStored,
 * underlying (cETH and vBNB have none: 18 decimals) with its decimals and
 * symbol, and the oracle's getUnderlyingPrice; the borrowers from the
 * cTokens' Borrow logs (the borrower in the data); and for each user
 * getAssetsIn and getAccountSnapshot in every market entered, which is
 * what getAccountLiquidity sums.
 *
 * A markets() answer of seven words or more is Venus's core pool layout
 * (collateral factor, isVenus, liquidation threshold, liquidation
 * incentive, pool id, borrow allowed): the liquidation threshold is then
 * the weight its getAccountLiquidity uses and the incentive is the
 * market's own (all markets must share one: the model holds one).
 *
 * Must not write output (import.c does, whole) and must not guess: a
 * missing contract, an unlisted market a user entered, a price the
 * portfolio cannot hold exactly or an answer of the wrong size is an
 * error naming the call.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/import.h"
#include "core/decimal.h"
#include "core/liq.h"
#include "core/market.h"
#include "core/model.h"
#include "feeds/abi.h"
#include "feeds/eth.h"

#define IMPORT_COMP_CHUNK 20 /* users a batch (nodes cap batches) */
#define IMPORT_COMP_LEGS 8   /* legs a side of a position (position.h) */
#define IMPORT_COMP_BASE 18  /* base_decimals of the market written */

struct import_comp_market {
    uint8_t ctoken[20], underlying[20];
    char hex[43];
    bool native, deprecated;
    unsigned dec, cdec;
    struct u256 cf, er, price, li;
    char csym[64], sym[24];
};

struct import_comp {
    uint8_t oracle[20];
    char market_id[128];
    struct u256 close_factor, incentive;
    bool venus; /* markets() answered Venus's layout */
    size_t n;
    struct import_comp_market m[MARKET_ASSETS_MAX];
};

static void
import_comp_label(char *out, const char *what, const char *hex)
{
    snprintf(out, RPC_LABEL_MAX, "%s of %s", what, hex);
}

/* getAllMarkets, closeFactorMantissa, oracle, liquidationIncentive. */
static int
import_comp_comptroller(struct import *im, struct import_comp *C, uint8_t *buf,
                        uint8_t (*all)[20], size_t *nall)
{
    struct rpc_batch b;
    struct abi_call c;
    size_t count, first;
    long n;
    int rc = LIQ_EIO;

    rpc_batch_init(&b);
    abi_call_init(&c, ETH_SEL_COMP_ALL_MARKETS);
    eth_call_add(&b, "getAllMarkets()", im->compound, &c, im->tag);
    abi_call_init(&c, ETH_SEL_COMP_CLOSE_FACTOR);
    eth_call_add(&b, "closeFactorMantissa()", im->compound, &c, im->tag);
    abi_call_init(&c, ETH_SEL_COMP_ORACLE);
    eth_call_add(&b, "oracle()", im->compound, &c, im->tag);
    if (import_batch(im, &b) != 0)
        goto out;
    if ((n = import_bytes(im, &b, 0, buf, 64)) < 0)
        goto out;
    if (abi_array(buf, (size_t)n, 0, &count, &first) != 0 ||
        count > IMPORT_MARKETS_MAX) {
        import_fail(im, "getAllMarkets()",
                    "not a list of at most 64 addresses");
        goto out;
    }
    for (size_t i = 0; i < count; i++)
        if (abi_address(buf, (size_t)n, first + i, all[i]) != 0) {
            import_fail(im, "getAllMarkets()", "not a list of addresses");
            goto out;
        }
    *nall = count;
    if (import_bytes(im, &b, 1, buf, 32) < 0 ||
        abi_word(buf, 32, 0, &C->close_factor) != 0)
        goto out;
    if (import_bytes(im, &b, 2, buf, 32) < 0 ||
        abi_address(buf, 32, 0, C->oracle) != 0) {
        import_fail(im, "oracle()", "not an address");
        goto out;
    }
    rc = 0;
out:
    rpc_batch_done(&b);
    return rc;
}

/* Per cToken: markets(), symbol, decimals, exchangeRateStored, price. */
static int
import_comp_markets(struct import *im, struct import_comp *C, uint8_t *buf,
                    uint8_t (*all)[20], size_t nall)
{
    struct rpc_batch b;
    struct abi_call c;
    char label[RPC_LABEL_MAX];
    int rc = LIQ_EIO;

    rpc_batch_init(&b);
    for (size_t i = 0; i < nall; i++) {
        char hex[43];

        abi_hex_encode(hex, all[i], 20);
        snprintf(label, sizeof(label), "markets(%s)", hex);
        abi_call_init(&c, ETH_SEL_COMP_MARKETS);
        abi_put_address(&c, all[i]);
        eth_call_add(&b, label, im->compound, &c, im->tag);
        import_comp_label(label, "symbol()", hex);
        abi_call_init(&c, ETH_SEL_SYMBOL);
        eth_call_add(&b, label, all[i], &c, im->tag);
        import_comp_label(label, "decimals()", hex);
        abi_call_init(&c, ETH_SEL_DECIMALS);
        eth_call_add(&b, label, all[i], &c, im->tag);
        import_comp_label(label, "exchangeRateStored()", hex);
        abi_call_init(&c, ETH_SEL_COMP_EXCHANGE_RATE);
        eth_call_add(&b, label, all[i], &c, im->tag);
        snprintf(label, sizeof(label), "getUnderlyingPrice(%s)", hex);
        abi_call_init(&c, ETH_SEL_COMP_UNDERLYING_PRICE);
        abi_put_address(&c, all[i]);
        eth_call_add(&b, label, C->oracle, &c, im->tag);
    }
    if (import_batch(im, &b) != 0)
        goto out;
    for (size_t i = 0; i < nall; i++) {
        struct import_comp_market *m = &C->m[C->n];
        const size_t k = 5 * i;
        struct u256 v;
        bool listed;
        long n;

        if ((n = import_bytes(im, &b, k, buf, 64)) < 0)
            goto out;
        if (abi_bool(buf, (size_t)n, 0, &listed) != 0 ||
            abi_word(buf, (size_t)n, 1, &v) != 0) {
            import_fail(im, b.item[k].label, "not (bool, uint256, ...)");
            goto out;
        }
        if (!listed)
            continue;
        if (C->n == MARKET_ASSETS_MAX) {
            import_fail(im, "getAllMarkets()",
                        "more than 32 listed markets (a market's assets)");
            goto out;
        }
        memset(m, 0, sizeof(*m));
        memcpy(m->ctoken, all[i], 20);
        abi_hex_encode(m->hex, all[i], 20);
        m->cf = v;
        if ((size_t)n >= 7 * 32) {
            /* Venus: the liquidation threshold and the market's incentive */
            if (abi_word(buf, (size_t)n, 3, &m->cf) != 0 ||
                abi_word(buf, (size_t)n, 4, &m->li) != 0)
                goto out;
            if (C->n > 0 && !C->venus) {
                import_fail(im, b.item[k].label,
                            "answers of two layouts from one Comptroller");
                goto out;
            }
            C->venus = true;
        } else if (C->venus) {
            import_fail(im, b.item[k].label,
                        "answers of two layouts from one Comptroller");
            goto out;
        }
        if (u256_lt(u256_from_u64(WAD), m->cf)) {
            import_fail(im, b.item[k].label, "a collateral factor above 1");
            goto out;
        }
        if ((n = import_bytes(im, &b, k + 1, buf, 32)) < 0)
            goto out;
        if (abi_string(buf, (size_t)n, 0, m->csym, sizeof(m->csym)) < 0) {
            import_fail(im, b.item[k + 1].label,
                        "not a string of at most 63 bytes");
            goto out;
        }
        if (import_bytes(im, &b, k + 2, buf, 32) < 0 ||
            abi_uint(buf, 32, 0, 8, &v) != 0 || v.w[0] > 77) {
            import_fail(im, b.item[k + 2].label,
                        "not a number of decimals (0 to 77)");
            goto out;
        }
        m->cdec = (unsigned)v.w[0];
        if (import_bytes(im, &b, k + 3, buf, 32) < 0 ||
            abi_word(buf, 32, 0, &m->er) != 0)
            goto out;
        if (u256_is_zero(m->er)) {
            import_fail(im, b.item[k + 3].label, "zero");
            goto out;
        }
        if (import_bytes(im, &b, k + 4, buf, 32) < 0 ||
            abi_word(buf, 32, 0, &m->price) != 0)
            goto out;
        if (u256_is_zero(m->price)) {
            import_fail(im, b.item[k + 4].label,
                        "no price (the Comptroller cannot value this market)");
            goto out;
        }
        C->n++;
    }
    rc = 0;
out:
    rpc_batch_done(&b);
    return rc;
}

/* underlying() of each cToken: cETH and vBNB have none (ether, 18). */
static int
import_comp_underlying(struct import *im, struct import_comp *C, uint8_t *buf)
{
    struct rpc_batch b;
    struct abi_call c;
    char label[RPC_LABEL_MAX];
    int rc = LIQ_EIO;

    rpc_batch_init(&b);
    for (size_t i = 0; i < C->n; i++) {
        import_comp_label(label, "underlying()", C->m[i].hex);
        abi_call_init(&c, ETH_SEL_COMP_UNDERLYING);
        eth_call_add(&b, label, C->m[i].ctoken, &c, im->tag);
    }
    rpc_run(im->rpc, &b);
    if (b.error[0] != '\0') {
        snprintf(im->err, sizeof(im->err), "%s", b.error);
        goto out;
    }
    for (size_t i = 0; i < C->n; i++) {
        struct import_comp_market *m = &C->m[i];
        long n = b.item[i].result != NULL
                     ? eth_result_bytes(&b.item[i], buf, ETH_RESULT_MAX)
                     : 0;

        /* (Venus's vBNB answers the zero address) */
        if (n >= 32 && abi_address(buf, (size_t)n, 0, m->underlying) == 0 &&
            memcmp(m->underlying, (uint8_t[20]){0}, 20) != 0)
            continue;
        if (n > 0 && n < 32) {
            import_fail(im, b.item[i].label, "not an address");
            goto out;
        }
        /* no underlying: the native markets as the protocols' lenses
         * tell them, by the cToken's symbol */
        if (strcmp(m->csym, "cETH") != 0 && strcmp(m->csym, "vBNB") != 0) {
            import_fail(im, b.item[i].label,
                        b.item[i].error[0] != '\0'
                            ? b.item[i].error
                            : "no underlying, and not cETH or vBNB");
            goto out;
        }
        m->native = true;
        m->dec = 18;
    }
    /* the tokens' decimals and symbols */
    rpc_batch_reset(&b);
    for (size_t i = 0; i < C->n; i++) {
        char hex[43];

        if (C->m[i].native)
            continue;
        abi_hex_encode(hex, C->m[i].underlying, 20);
        import_comp_label(label, "decimals()", hex);
        abi_call_init(&c, ETH_SEL_DECIMALS);
        eth_call_add(&b, label, C->m[i].underlying, &c, im->tag);
        import_comp_label(label, "symbol()", hex);
        abi_call_init(&c, ETH_SEL_SYMBOL);
        eth_call_add(&b, label, C->m[i].underlying, &c, im->tag);
    }
    if (b.n > 0 && import_batch(im, &b) != 0)
        goto out;
    for (size_t i = 0, k = 0; i < C->n; i++) {
        struct import_comp_market *m = &C->m[i];
        char raw[64];
        struct u256 v;
        long n;

        if (m->native) {
            /* "cETH" -> "ETH" */
            import_symbol(im, m->ctoken, m->csym + 1, m->sym, sizeof(m->sym));
            continue;
        }
        if (import_bytes(im, &b, k, buf, 32) < 0 ||
            abi_uint(buf, 32, 0, 8, &v) != 0 || v.w[0] > 77) {
            import_fail(im, b.item[k].label,
                        "not a number of decimals (0 to 77)");
            goto out;
        }
        m->dec = (unsigned)v.w[0];
        if ((n = import_bytes(im, &b, k + 1, buf, 32)) < 0)
            goto out;
        if (abi_string(buf, (size_t)n, 0, raw, sizeof(raw)) < 0) {
            import_fail(im, b.item[k + 1].label,
                        "not a string of at most 63 bytes");
            goto out;
        }
        import_symbol(im, m->underlying, raw, m->sym, sizeof(m->sym));
        k += 2;
    }
    rc = 0;
out:
    rpc_batch_done(&b);
    return rc;
}

/* The incentive: the Comptroller's, or Venus's per market (one for all);
 * Compound's deprecated markets (collateral factor 0, borrowing paused,
 * reserve factor 1). */
static int
import_comp_rules(struct import *im, struct import_comp *C, uint8_t *buf)
{
    struct rpc_batch b;
    struct abi_call c;
    char label[RPC_LABEL_MAX];
    int rc = LIQ_EIO;

    rpc_batch_init(&b);
    if (C->venus) {
        for (size_t i = 0; i < C->n; i++)
            if (!u256_eq(C->m[i].li, C->m[0].li)) {
                snprintf(label, sizeof(label), "markets(%s)", C->m[i].hex);
                import_fail(im, label,
                            "a liquidation incentive of its own (one a "
                            "Comptroller is modelled)");
                goto out;
            }
        if (C->n > 0)
            C->incentive = C->m[0].li;
        rc = 0;
        goto out;
    }
    abi_call_init(&c, ETH_SEL_COMP_INCENTIVE);
    eth_call_add(&b, "liquidationIncentiveMantissa()", im->compound, &c,
                 im->tag);
    for (size_t i = 0; i < C->n; i++) {
        if (!u256_is_zero(C->m[i].cf))
            continue;
        /* optional: a Comptroller without borrowGuardianPaused (Venus's
         * first pauses actions otherwise) has no deprecated market */
        snprintf(label, sizeof(label), "borrowGuardianPaused(%s)", C->m[i].hex);
        abi_call_init(&c, ETH_SEL_COMP_BORROW_PAUSED);
        abi_put_address(&c, C->m[i].ctoken);
        b.item[eth_call_add(&b, label, im->compound, &c, im->tag)].optional =
            true;
        import_comp_label(label, "reserveFactorMantissa()", C->m[i].hex);
        abi_call_init(&c, ETH_SEL_COMP_RESERVE_FACTOR);
        eth_call_add(&b, label, C->m[i].ctoken, &c, im->tag);
    }
    if (import_batch(im, &b) != 0)
        goto out;
    if (import_bytes(im, &b, 0, buf, 32) < 0 ||
        abi_word(buf, 32, 0, &C->incentive) != 0)
        goto out;
    for (size_t i = 0, k = 1; i < C->n; i++) {
        struct u256 rf;
        bool paused;

        if (!u256_is_zero(C->m[i].cf))
            continue;
        if (b.item[k].result == NULL) {
            k += 2; /* no borrowGuardianPaused: not deprecated */
            continue;
        }
        if (import_bytes(im, &b, k, buf, 32) < 0 ||
            abi_bool(buf, 32, 0, &paused) != 0) {
            import_fail(im, b.item[k].label, "not a bool");
            goto out;
        }
        if (import_bytes(im, &b, k + 1, buf, 32) < 0 ||
            abi_word(buf, 32, 0, &rf) != 0)
            goto out;
        C->m[i].deprecated = paused && u256_eq(rf, u256_from_u64(WAD));
        k += 2;
    }
    rc = 0;
out:
    rpc_batch_done(&b);
    return rc;
}

/* The market object and the prices: a price in base units of 18 places
 * whose oracle mantissa (price x 10^(18 - decimals)) is the oracle's. */
static int
import_comp_emit_market(struct import *im, struct import_comp *C)
{
    cJSON *mk = cJSON_CreateObject(), *params, *assets, *ctokens;

    cJSON_AddStringToObject(mk, "id", C->market_id);
    cJSON_AddStringToObject(mk, "model", "compound-v2");
    cJSON_AddNumberToObject(mk, "base_decimals", IMPORT_COMP_BASE);
    params = cJSON_AddObjectToObject(mk, "params");
    import_put_dec(params, "close_factor", C->close_factor, 18);
    import_put_dec(params, "liquidation_incentive", C->incentive, 18);
    assets = cJSON_AddArrayToObject(mk, "assets");
    cJSON_AddItemToArray(im->markets, mk);
    /* each asset's cToken, where the rpc: feed reads it */
    if (im->chain_more == NULL)
        im->chain_more = cJSON_CreateObject();
    ctokens = cJSON_AddObjectToObject(im->chain_more, "ctokens");
    for (size_t i = 0; i < C->n; i++) {
        struct import_comp_market *m = &C->m[i];
        struct u256 px, scale, back;
        char label[RPC_LABEL_MAX];
        cJSON *a = cJSON_CreateObject();
        int rc;

        if (m->dec <= IMPORT_COMP_BASE) {
            scale = u256_exp10(IMPORT_COMP_BASE - m->dec);
            rc = u256_div(&px, m->price, scale, U256_FLOOR);
            if (rc == 0)
                rc = u256_mul(&back, px, scale);
            if (rc == 0 && !u256_eq(back, m->price))
                rc = LIQ_ERANGE;
        } else {
            rc = u256_mul(&px, m->price, u256_exp10(m->dec - IMPORT_COMP_BASE));
        }
        if (rc != 0) {
            char msg[160];

            snprintf(label, sizeof(label), "getUnderlyingPrice(%s)", m->hex);
            snprintf(msg, sizeof(msg),
                     "not a whole number of base units at 18 places for a "
                     "token of %u decimals",
                     m->dec);
            cJSON_Delete(a);
            return import_fail(im, label, msg);
        }
        if (cJSON_GetObjectItemCaseSensitive(im->prices, m->sym) == NULL)
            import_put_dec(im->prices, m->sym, px, IMPORT_COMP_BASE);
        cJSON_AddStringToObject(a, "symbol", m->sym);
        cJSON_AddStringToObject(ctokens, m->sym, m->hex);
        cJSON_AddNumberToObject(a, "decimals", m->dec);
        import_put_dec(a, "liquidation_threshold", m->cf, 18);
        import_put_int(a, "exchange_rate_mantissa", m->er);
        cJSON_AddNumberToObject(a, "ctoken_decimals", m->cdec);
        if (m->deprecated)
            cJSON_AddBoolToObject(a, "deprecated", true);
        cJSON_AddItemToArray(assets, a);
    }
    return 0;
}

/* A Borrow log: the borrower is the data's first word. */
static int
import_comp_log(void *arg, const cJSON *log)
{
    struct import *im = arg;
    const cJSON *data = cJSON_GetObjectItemCaseSensitive(log, "data");
    uint8_t buf[4 * 32], addr[20];
    long n;

    if (!cJSON_IsString(data))
        return LIQ_EIO;
    n = abi_hex_decode(data->valuestring, strlen(data->valuestring), buf,
                       sizeof(buf));
    if (n != (long)sizeof(buf) || abi_address(buf, (size_t)n, 0, addr) != 0)
        return LIQ_EIO;
    if (!import_user_add(im, addr))
        return LIQ_ELIMIT;
    return 0;
}

static long
import_comp_find(const struct import_comp *C, const uint8_t ct[20])
{
    for (size_t i = 0; i < C->n; i++)
        if (memcmp(C->m[i].ctoken, ct, 20) == 0)
            return (long)i;
    return -1;
}

/* One user's legs from the snapshots of the markets entered. */
static int
import_comp_position(struct import *im, const struct import_comp *C,
                     struct rpc_batch *b, size_t at, const long *idx,
                     size_t nin, size_t u)
{
    cJSON *p = NULL, *coll = NULL, *debt = NULL;
    size_t ncoll = 0, ndebt = 0;
    uint8_t buf[4 * 32];
    char hex[43];

    abi_hex_encode(hex, im->users[u], 20);
    for (size_t j = 0; j < nin; j++) {
        const struct import_comp_market *m = &C->m[idx[j]];
        const struct rpc_item *it = &b->item[at + j];
        struct u256 w[3];

        if (eth_result_bytes(it, buf, sizeof(buf)) != (long)sizeof(buf) ||
            abi_word(buf, sizeof(buf), 0, &w[0]) != 0 ||
            abi_word(buf, sizeof(buf), 1, &w[1]) != 0 ||
            abi_word(buf, sizeof(buf), 2, &w[2]) != 0) {
            cJSON_Delete(p);
            return import_fail(im, it->label,
                               "not (uint256, uint256, uint256, uint256)");
        }
        if (!u256_is_zero(w[0])) {
            char msg[48];

            snprintf(msg, sizeof(msg), "error code %llu",
                     (unsigned long long)w[0].w[0]);
            cJSON_Delete(p);
            return import_fail(im, it->label, msg);
        }
        if (u256_is_zero(w[1]) && u256_is_zero(w[2]))
            continue;
        if (p == NULL) {
            p = cJSON_CreateObject();
            cJSON_AddStringToObject(p, "id", hex);
            cJSON_AddStringToObject(p, "market", C->market_id);
        }
        if (!u256_is_zero(w[1])) {
            if (coll == NULL)
                coll = cJSON_AddObjectToObject(p, "ctoken_collateral");
            import_put_dec(coll, m->sym, w[1], m->cdec);
            ncoll++;
        }
        if (!u256_is_zero(w[2])) {
            if (debt == NULL)
                debt = cJSON_AddObjectToObject(p, "debt");
            import_put_dec(debt, m->sym, w[2], m->dec);
            ndebt++;
        }
    }
    if (ncoll > IMPORT_COMP_LEGS || ndebt > IMPORT_COMP_LEGS) {
        char label[RPC_LABEL_MAX];

        cJSON_Delete(p);
        snprintf(label, sizeof(label), "getAssetsIn(%s)", hex);
        return import_fail(im, label,
                           "more than 8 markets on one side (a position's "
                           "legs)");
    }
    if (p == NULL) {
        if (u < im->nnamed)
            fprintf(stderr,
                    "liqtop import: %s: no position in %s at block %llu\n", hex,
                    C->market_id, (unsigned long long)im->block);
        return 0;
    }
    cJSON_AddItemToArray(im->positions, p);
    return 0;
}

static int
import_comp_positions(struct import *im, const struct import_comp *C,
                      uint8_t *buf)
{
    struct rpc_batch b, s;
    struct abi_call c;
    long(*idx)[MARKET_ASSETS_MAX] = malloc(IMPORT_COMP_CHUNK * sizeof(*idx));
    size_t nin[IMPORT_COMP_CHUNK];
    int rc = 0;

    if (idx == NULL)
        abort();
    rpc_batch_init(&b);
    rpc_batch_init(&s);
    for (size_t first = 0; first < im->nusers && rc == 0;
         first += IMPORT_COMP_CHUNK) {
        size_t n = im->nusers - first;

        if (n > IMPORT_COMP_CHUNK)
            n = IMPORT_COMP_CHUNK;
        rpc_batch_reset(&b);
        for (size_t k = 0; k < n; k++) {
            char label[RPC_LABEL_MAX], hex[43];

            abi_hex_encode(hex, im->users[first + k], 20);
            snprintf(label, sizeof(label), "getAssetsIn(%s)", hex);
            abi_call_init(&c, ETH_SEL_COMP_ASSETS_IN);
            abi_put_address(&c, im->users[first + k]);
            eth_call_add(&b, label, im->compound, &c, im->tag);
        }
        if ((rc = import_batch(im, &b)) != 0)
            break;
        rpc_batch_reset(&s);
        for (size_t k = 0; k < n && rc == 0; k++) {
            size_t count, at;
            long len;

            if ((len = import_bytes(im, &b, k, buf, 64)) < 0) {
                rc = LIQ_EIO;
                break;
            }
            if (abi_array(buf, (size_t)len, 0, &count, &at) != 0 ||
                count > MARKET_ASSETS_MAX) {
                rc = import_fail(im, b.item[k].label,
                                 "not a list of at most 32 addresses");
                break;
            }
            nin[k] = count;
            for (size_t j = 0; j < count; j++) {
                char label[RPC_LABEL_MAX], hex[43], uhex[43];
                uint8_t ct[20];

                if (abi_address(buf, (size_t)len, at + j, ct) != 0) {
                    rc = import_fail(im, b.item[k].label,
                                     "not a list of addresses");
                    break;
                }
                abi_hex_encode(hex, ct, 20);
                if ((idx[k][j] = import_comp_find(C, ct)) < 0) {
                    rc = import_fail(im, b.item[k].label,
                                     "a market entered that is not listed");
                    break;
                }
                abi_hex_encode(uhex, im->users[first + k], 20);
                snprintf(label, sizeof(label),
                         "getAccountSnapshot(%s) of %.14s...", uhex, hex);
                abi_call_init(&c, ETH_SEL_COMP_SNAPSHOT);
                abi_put_address(&c, im->users[first + k]);
                eth_call_add(&s, label, ct, &c, im->tag);
            }
        }
        if (rc != 0 || (s.n > 0 && (rc = import_batch(im, &s)) != 0))
            break;
        for (size_t k = 0, at = 0; k < n && rc == 0; k++) {
            rc = import_comp_position(im, C, &s, at, idx[k], nin[k], first + k);
            at += nin[k];
        }
    }
    rpc_batch_done(&b);
    rpc_batch_done(&s);
    free(idx);
    return rc;
}

int
import_compound(struct import *im)
{
    struct import_comp *C = calloc(1, sizeof(*C));
    uint8_t *buf = malloc(ETH_RESULT_MAX);
    uint8_t(*all)[20] = malloc(IMPORT_MARKETS_MAX * sizeof(*all));
    size_t nall = 0;
    char hex[43];
    int rc;

    if (C == NULL || buf == NULL || all == NULL)
        abort();
    abi_hex_encode(hex, im->compound, 20);
    snprintf(C->market_id, sizeof(C->market_id), "compound-v2:%llu:%s",
             (unsigned long long)im->chain_id, hex);
    if ((rc = import_code(im, im->compound, "Comptroller")) != 0 ||
        (rc = import_comp_comptroller(im, C, buf, all, &nall)) != 0 ||
        (rc = import_code(im, C->oracle, "the Comptroller's oracle")) != 0 ||
        (rc = import_comp_markets(im, C, buf, all, nall)) != 0 ||
        (rc = import_comp_underlying(im, C, buf)) != 0 ||
        (rc = import_comp_rules(im, C, buf)) != 0 ||
        (rc = import_comp_emit_market(im, C)) != 0)
        goto out;
    if (im->borrowers) {
        for (size_t i = 0; i < C->n && rc == 0; i++)
            rc = eth_logs_scan(im->rpc, C->m[i].ctoken, ETH_TOPIC_COMP_BORROW,
                               NULL, im->from_block, im->block, im->log_range,
                               import_comp_log, im, im->err, sizeof(im->err));
        if (rc != 0)
            goto out;
        import_users_unique(im);
    }
    rc = import_comp_positions(im, C, buf);
out:
    free(all);
    free(buf);
    free(C);
    return rc;
}
