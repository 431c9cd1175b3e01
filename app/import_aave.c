/*
 * import_aave.c: Aave v3 read from the chain for liqtop import: from the
 * PoolAddressesProvider the pool and its oracle; every reserve's
 * getReserveData (configuration bits, indexes, rates, last update, token
 * addresses), from 3.1 its liquidation grace period, the token's symbol
 * and the oracle's price; the eMode
 * categories the reserves name (from 3.2 every category there, with its
 * bitmaps); the borrowers from the pool's Borrow logs
 * (topic 2 onBehalfOf); and per user the configuration bitmap, eMode and
 * scaledBalanceOf of each aToken and variable debt token.
 *
 * Must not write output (import.c does, whole) and must not guess: a
 * revision it does not know needs --aave-version; stable debt, which the
 * model does not hold, is said on standard error and left out.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/import.h"
#include "core/decimal.h"
#include "core/liq.h"
#include "core/market.h"
#include "feeds/abi.h"
#include "feeds/eth.h"

#define IMPORT_AAVE_RESERVES 128

struct import_aave_reserve {
    uint8_t asset[20], atoken[20], sdebt[20], vdebt[20];
    struct u256 config;
    struct u256 lindex, lrate, vindex, vrate;
    uint64_t last_update;
    unsigned id;
    char sym[24];
};

struct import_aave {
    uint8_t pool[20], oracle[20], sentinel[20];
    struct import_aave_reserve r[IMPORT_AAVE_RESERVES];
    size_t nr;
    unsigned base_decimals;
    char market_id[128];
};

/* Bits [lo, lo + n) of a reserve's configuration (n <= 64). */
static uint64_t
import_aave_bits(struct u256 c, unsigned lo, unsigned n)
{
    uint64_t v = c.w[lo / 64] >> (lo % 64);

    if (lo % 64 + n > 64 && lo / 64 < 3)
        v |= c.w[lo / 64 + 1] << (64 - lo % 64);
    return n == 64 ? v : v & (((uint64_t)1 << n) - 1);
}

static void
import_aave_put_bps(cJSON *o, const char *key, uint64_t bps)
{
    import_put_dec(o, key, u256_from_u64(bps), 4);
}

static void
import_aave_label(char *out, size_t cap, const char *what, const uint8_t a[20])
{
    char hex[43];

    abi_hex_encode(hex, a, 20);
    snprintf(out, cap, "%s %s", what, hex);
}

/* pool, oracle, the reserves, revision and base unit */
static int
import_aave_pool(struct import *im, struct import_aave *A, uint8_t *buf)
{
    struct rpc_batch b;
    struct abi_call c;
    struct u256 v;
    size_t count, first;
    long n;
    int rc = LIQ_EIO;

    rpc_batch_init(&b);
    abi_call_init(&c, ETH_SEL_AAVE_GET_POOL);
    eth_call_add(&b, "getPool()", im->aave, &c, im->tag);
    abi_call_init(&c, ETH_SEL_AAVE_GET_PRICE_ORACLE);
    eth_call_add(&b, "getPriceOracle()", im->aave, &c, im->tag);
    abi_call_init(&c, ETH_SEL_AAVE_GET_SENTINEL);
    eth_call_add(&b, "getPriceOracleSentinel()", im->aave, &c, im->tag);
    if (import_batch(im, &b) != 0)
        goto out;
    if (import_bytes(im, &b, 2, buf, 32) < 0 ||
        abi_address(buf, 32, 0, A->sentinel) != 0) {
        if (im->err[0] == '\0')
            import_fail(im, "getPriceOracleSentinel()", "not an address");
        goto out;
    }
    if (import_bytes(im, &b, 0, buf, 32) < 0 ||
        abi_address(buf, 32, 0, A->pool) != 0 ||
        import_bytes(im, &b, 1, buf, 32) < 0 ||
        abi_address(buf, 32, 0, A->oracle) != 0) {
        if (im->err[0] == '\0')
            import_fail(im, "getPool()", "not an address");
        goto out;
    }
    rpc_batch_reset(&b);
    abi_call_init(&c, ETH_SEL_AAVE_RESERVES_LIST);
    eth_call_add(&b, "getReservesList()", A->pool, &c, im->tag);
    abi_call_init(&c, ETH_SEL_AAVE_POOL_REVISION);
    eth_call_add(&b, "POOL_REVISION()", A->pool, &c, im->tag);
    abi_call_init(&c, ETH_SEL_AAVE_BASE_UNIT);
    eth_call_add(&b, "BASE_CURRENCY_UNIT()", A->oracle, &c, im->tag);
    if (import_batch(im, &b) != 0)
        goto out;
    if ((n = import_bytes(im, &b, 0, buf, 64)) < 0)
        goto out;
    if (abi_array(buf, (size_t)n, 0, &count, &first) != 0 ||
        count > IMPORT_AAVE_RESERVES) {
        import_fail(im, "getReservesList()", "not a list of addresses");
        goto out;
    }
    for (size_t i = 0; i < count; i++)
        if (abi_address(buf, (size_t)n, first + i, A->r[i].asset) != 0) {
            import_fail(im, "getReservesList()", "not a list of addresses");
            goto out;
        }
    A->nr = count;
    if (im->aave_version[0] == '\0') {
        if (import_bytes(im, &b, 1, buf, 32) < 0 ||
            abi_word(buf, 32, 0, &v) != 0)
            goto out;
        if (!u256_fits_u64(v) || v.w[0] != 1) {
            char msg[96];

            snprintf(msg, sizeof(msg),
                     "revision %llu: give the version with --aave-version",
                     (unsigned long long)v.w[0]);
            import_fail(im, "POOL_REVISION()", msg);
            goto out;
        }
        snprintf(im->aave_version, sizeof(im->aave_version), "3.0");
    }
    if (import_bytes(im, &b, 2, buf, 32) < 0 || abi_word(buf, 32, 0, &v) != 0)
        goto out;
    for (A->base_decimals = 0; A->base_decimals < 36; A->base_decimals++) {
        if (u256_eq(v, u256_exp10(A->base_decimals)))
            break;
    }
    if (A->base_decimals == 36) {
        import_fail(im, "BASE_CURRENCY_UNIT()", "not a power of ten");
        goto out;
    }
    rc = 0;
out:
    rpc_batch_done(&b);
    return rc;
}

/* The symbols of a reserve-id bitmap (3.2+), as a JSON array. */
static cJSON *
import_aave_members(const struct import_aave *A, struct u256 bits)
{
    cJSON *arr = cJSON_CreateArray();

    for (size_t i = 0; i < A->nr; i++)
        if (A->r[i].id < 128 &&
            ((bits.w[A->r[i].id / 64] >> (A->r[i].id % 64)) & 1))
            cJSON_AddItemToArray(arr, cJSON_CreateString(A->r[i].sym));
    return arr;
}

/* 3.2 on a category lists its assets, and nothing lists the categories:
 * every id (1 to 255) is asked for its getEModeCategoryData (the legacy
 * view, ltv, threshold, bonus, label; threshold 0: no category), and each
 * one there for its collateral and borrowable bitmaps. */
static int
import_aave_emodes32(struct import *im, const struct import_aave *A,
                     uint8_t *buf, cJSON *mk)
{
    struct rpc_batch b;
    struct abi_call c;
    char label[RPC_LABEL_MAX], raw[64];
    cJSON *cats = NULL;
    unsigned found[255], nfound = 0, left = 0;
    int rc = LIQ_EIO;

    rpc_batch_init(&b);
    for (unsigned first = 1; first < 256; first += 85) {
        rpc_batch_reset(&b);
        for (unsigned id = first; id < first + 85 && id < 256; id++) {
            snprintf(label, sizeof(label), "getEModeCategoryData(%u)", id);
            abi_call_init(&c, ETH_SEL_AAVE_EMODE_DATA);
            abi_put_u64(&c, id);
            eth_call_add(&b, label, A->pool, &c, im->tag);
        }
        if (import_batch(im, &b) != 0)
            goto out;
        for (size_t k = 0; k < b.n; k++) {
            struct u256 ltv, lt, bonus, off;
            long n;
            cJSON *o;

            if ((n = import_bytes(im, &b, k, buf, 6 * 32)) < 0)
                goto out;
            if (abi_word(buf, (size_t)n, 0, &off) != 0 || !u256_fits_u64(off) ||
                off.w[0] % 32 != 0 || off.w[0] > (uint64_t)n ||
                abi_uint(buf + off.w[0], (size_t)n - off.w[0], 0, 16, &ltv) !=
                    0 ||
                abi_uint(buf + off.w[0], (size_t)n - off.w[0], 1, 16, &lt) !=
                    0 ||
                abi_uint(buf + off.w[0], (size_t)n - off.w[0], 2, 16, &bonus) !=
                    0 ||
                abi_string(buf + off.w[0], (size_t)n - off.w[0], 4, raw,
                           sizeof(raw)) < 0) {
                import_fail(im, b.item[k].label, "not EModeCategory's shape");
                goto out;
            }
            if (u256_is_zero(lt))
                continue;
            if (nfound == MARKET_EMODES_MAX) {
                left++;
                continue;
            }
            if (cats == NULL)
                cats = cJSON_AddArrayToObject(mk, "emode_categories");
            o = cJSON_CreateObject();
            cJSON_AddNumberToObject(o, "id", (double)(first + k));
            cJSON_AddStringToObject(o, "label", raw);
            import_aave_put_bps(o, "ltv", ltv.w[0]);
            import_aave_put_bps(o, "liquidation_threshold", lt.w[0]);
            import_aave_put_bps(o, "liquidation_bonus",
                                bonus.w[0] > 10000 ? bonus.w[0] - 10000 : 0);
            cJSON_AddItemToArray(cats, o);
            found[nfound++] = first + (unsigned)k;
        }
    }
    if (left > 0)
        fprintf(stderr,
                "liqtop import: %u eMode categories past the first %d left "
                "out (a market holds %d)\n",
                left, MARKET_EMODES_MAX, MARKET_EMODES_MAX);
    rpc_batch_reset(&b);
    for (unsigned k = 0; k < nfound; k++) {
        snprintf(label, sizeof(label), "getEModeCategoryCollateralBitmap(%u)",
                 found[k]);
        abi_call_init(&c, ETH_SEL_AAVE_EMODE_COLLATERAL);
        abi_put_u64(&c, found[k]);
        eth_call_add(&b, label, A->pool, &c, im->tag);
        snprintf(label, sizeof(label), "getEModeCategoryBorrowableBitmap(%u)",
                 found[k]);
        abi_call_init(&c, ETH_SEL_AAVE_EMODE_BORROWABLE);
        abi_put_u64(&c, found[k]);
        eth_call_add(&b, label, A->pool, &c, im->tag);
    }
    if (b.n > 0 && import_batch(im, &b) != 0)
        goto out;
    for (unsigned k = 0; k < nfound; k++) {
        cJSON *o = cJSON_GetArrayItem(cats, (int)k);

        for (int s = 0; s < 2; s++) {
            struct u256 v;

            if (import_bytes(im, &b, 2 * k + (unsigned)s, buf, 32) < 0 ||
                abi_uint(buf, 32, 0, 128, &v) != 0) {
                if (im->err[0] == '\0')
                    import_fail(im, b.item[2 * k + (unsigned)s].label,
                                "not a uint128");
                goto out;
            }
            cJSON_AddItemToObject(o, s == 0 ? "collateral" : "borrowable",
                                  import_aave_members(A, v));
        }
    }
    rc = 0;
out:
    rpc_batch_done(&b);
    return rc;
}

static int
import_aave_reserves(struct import *im, struct import_aave *A, uint8_t *buf,
                     cJSON *mk)
{
    struct rpc_batch b;
    struct abi_call c;
    char label[RPC_LABEL_MAX], raw[64];
    cJSON *assets = cJSON_AddArrayToObject(mk, "assets"), *cats = NULL;
    uint8_t used[256];
    /* 3.1 on: each reserve's liquidation grace period (its own call) */
    bool grace = strcmp(im->aave_version, "3.1") >= 0;
    /* 3.2 on: the categories list their assets (import_aave_emodes32) */
    bool bitmap = strcmp(im->aave_version, "3.2") >= 0;
    size_t stride = grace ? 4 : 3;
    int rc = LIQ_EIO;

    memset(used, 0, sizeof(used));
    rpc_batch_init(&b);
    for (size_t i = 0; i < A->nr; i++) {
        import_aave_label(label, sizeof(label), "getReserveData",
                          A->r[i].asset);
        abi_call_init(&c, ETH_SEL_AAVE_RESERVE_DATA);
        abi_put_address(&c, A->r[i].asset);
        eth_call_add(&b, label, A->pool, &c, im->tag);
        import_aave_label(label, sizeof(label), "symbol() of", A->r[i].asset);
        abi_call_init(&c, ETH_SEL_SYMBOL);
        eth_call_add(&b, label, A->r[i].asset, &c, im->tag);
        import_aave_label(label, sizeof(label), "getAssetPrice", A->r[i].asset);
        abi_call_init(&c, ETH_SEL_AAVE_ASSET_PRICE);
        abi_put_address(&c, A->r[i].asset);
        eth_call_add(&b, label, A->oracle, &c, im->tag);
        if (grace) {
            import_aave_label(label, sizeof(label), "getLiquidationGracePeriod",
                              A->r[i].asset);
            abi_call_init(&c, ETH_SEL_AAVE_GRACE_PERIOD);
            abi_put_address(&c, A->r[i].asset);
            eth_call_add(&b, label, A->pool, &c, im->tag);
        }
    }
    if (import_batch(im, &b) != 0)
        goto out;
    for (size_t i = 0; i < A->nr; i++) {
        struct import_aave_reserve *r = &A->r[i];
        struct u256 v, price;
        long n;
        cJSON *a;
        unsigned cat;
        struct eth_aave_config cf;
        char pbuf[DECIMAL_BUF];

        if (import_bytes(im, &b, stride * i, buf, 15 * 32) < 0)
            goto out;
        if (abi_word(buf, 480, 0, &r->config) != 0 ||
            abi_uint(buf, 480, 1, 128, &r->lindex) != 0 ||
            abi_uint(buf, 480, 2, 128, &r->lrate) != 0 ||
            abi_uint(buf, 480, 3, 128, &r->vindex) != 0 ||
            abi_uint(buf, 480, 4, 128, &r->vrate) != 0 ||
            abi_uint(buf, 480, 6, 40, &v) != 0 ||
            abi_address(buf, 480, 8, r->atoken) != 0 ||
            abi_address(buf, 480, 9, r->sdebt) != 0 ||
            abi_address(buf, 480, 10, r->vdebt) != 0) {
            import_fail(im, b.item[stride * i].label,
                        "not ReserveData's shape");
            goto out;
        }
        r->last_update = v.w[0];
        if (abi_uint(buf, 480, 7, 16, &v) != 0)
            goto out;
        r->id = (unsigned)v.w[0];
        if ((n = import_bytes(im, &b, stride * i + 1, buf, 32)) < 0)
            goto out;
        if (abi_string(buf, (size_t)n, 0, raw, sizeof(raw)) < 0) {
            import_fail(im, b.item[stride * i + 1].label, "not a string");
            goto out;
        }
        import_symbol(im, r->asset, raw, r->sym, sizeof(r->sym));
        if (import_bytes(im, &b, stride * i + 2, buf, 32) < 0 ||
            abi_word(buf, 32, 0, &price) != 0)
            goto out;
        decimal_format(pbuf, sizeof(pbuf), price, A->base_decimals);
        cJSON_AddStringToObject(im->prices, r->sym, pbuf);
        eth_aave_config(r->config, &cf);
        a = cJSON_CreateObject();
        cJSON_AddStringToObject(a, "symbol", r->sym);
        cJSON_AddNumberToObject(a, "decimals", cf.decimals);
        import_aave_put_bps(a, "ltv", cf.ltv_bps);
        import_aave_put_bps(a, "liquidation_threshold", cf.lt_bps);
        import_aave_put_bps(a, "liquidation_bonus", cf.bonus_bps);
        import_aave_put_bps(a, "protocol_fee", cf.fee_bps);
        import_put_dec(a, "liquidity_index", r->lindex, 27);
        import_put_dec(a, "variable_borrow_index", r->vindex, 27);
        import_put_dec(a, "liquidity_rate", r->lrate, 27);
        import_put_dec(a, "variable_borrow_rate", r->vrate, 27);
        cJSON_AddNumberToObject(a, "last_update", (double)r->last_update);
        if (cf.paused)
            cJSON_AddTrueToObject(a, "paused");
        if (grace) {
            struct u256 g;

            if (import_bytes(im, &b, stride * i + 3, buf, 32) < 0 ||
                abi_uint(buf, 32, 0, 40, &g) != 0) {
                if (im->err[0] == '\0')
                    import_fail(im, b.item[stride * i + 3].label,
                                "not a uint40");
                goto out;
            }
            /* 0: never set; a moment past gates nothing, as on chain */
            if (!u256_is_zero(g))
                cJSON_AddNumberToObject(a, "liquidation_grace_until",
                                        (double)g.w[0]);
        }
        cat = cf.emode;
        if (cat != 0 && !bitmap) {
            cJSON_AddNumberToObject(a, "emode_category", cat);
            used[cat] = 1;
        }
        cJSON_AddItemToArray(assets, a);
    }
    if (bitmap) {
        rc = import_aave_emodes32(im, A, buf, mk);
        goto out;
    }
    /* the eMode categories the reserves name (before 3.2: by asset) */
    rpc_batch_reset(&b);
    for (unsigned cat = 1; cat < 256; cat++) {
        if (!used[cat])
            continue;
        snprintf(label, sizeof(label), "getEModeCategoryData(%u)", cat);
        abi_call_init(&c, ETH_SEL_AAVE_EMODE_DATA);
        abi_put_u64(&c, cat);
        eth_call_add(&b, label, A->pool, &c, im->tag);
    }
    if (b.n > 0 && import_batch(im, &b) != 0)
        goto out;
    if (b.n > 0)
        cats = cJSON_AddArrayToObject(mk, "emode_categories");
    for (size_t k = 0, cat = 1; k < b.n; cat++) {
        struct u256 ltv, lt, bonus, off;
        uint8_t ps[20];
        long n;
        cJSON *o;

        if (!used[cat])
            continue;
        if ((n = import_bytes(im, &b, k, buf, 6 * 32)) < 0)
            goto out;
        /* one offset to the tuple (it holds a string), then the tuple */
        if (abi_word(buf, (size_t)n, 0, &off) != 0 || !u256_fits_u64(off) ||
            off.w[0] % 32 != 0 || off.w[0] > (uint64_t)n ||
            abi_uint(buf + off.w[0], (size_t)n - off.w[0], 0, 16, &ltv) != 0 ||
            abi_uint(buf + off.w[0], (size_t)n - off.w[0], 1, 16, &lt) != 0 ||
            abi_uint(buf + off.w[0], (size_t)n - off.w[0], 2, 16, &bonus) !=
                0 ||
            abi_address(buf + off.w[0], (size_t)n - off.w[0], 3, ps) != 0 ||
            abi_string(buf + off.w[0], (size_t)n - off.w[0], 4, raw,
                       sizeof(raw)) < 0) {
            import_fail(im, b.item[k].label, "not EModeCategory's shape");
            goto out;
        }
        o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "id", (double)cat);
        cJSON_AddStringToObject(o, "label", raw);
        import_aave_put_bps(o, "ltv", ltv.w[0]);
        import_aave_put_bps(o, "liquidation_threshold", lt.w[0]);
        import_aave_put_bps(o, "liquidation_bonus",
                            bonus.w[0] > 10000 ? bonus.w[0] - 10000 : 0);
        if (memcmp(ps, (uint8_t[20]){0}, 20) != 0)
            fprintf(stderr,
                    "liqtop import: eMode category %zu has a price source of "
                    "its own, not read by this build\n",
                    cat);
        cJSON_AddItemToArray(cats, o);
        k++;
    }
    rc = 0;
out:
    rpc_batch_done(&b);
    return rc;
}

static int
import_aave_log(void *arg, const cJSON *log)
{
    struct import *im = arg;
    const cJSON *topics = cJSON_GetObjectItemCaseSensitive(log, "topics");
    const cJSON *t2 = cJSON_GetArrayItem(topics, 2);
    uint8_t w[32], addr[20];

    if (!cJSON_IsArray(topics) || !cJSON_IsString(t2) ||
        !abi_parse_bytes32(t2->valuestring, w) ||
        abi_address(w, 32, 0, addr) != 0)
        return LIQ_EIO;
    return import_user_add(im, addr) ? 0 : LIQ_ELIMIT;
}

/* The tokens a user's balances are read from: aToken, variable debt,
 * and stable debt where the reserve has one (3.2 removed it: its address
 * is then zero). */
static size_t
import_aave_tokens(const struct import_aave_reserve *r)
{
    return memcmp(r->sdebt, (uint8_t[20]){0}, 20) == 0 ? 2 : 3;
}

/* One user: configuration, eMode, and each reserve's scaled balances. */
static int
import_aave_user(struct import *im, struct import_aave *A, size_t u,
                 uint8_t *buf)
{
    struct rpc_batch b;
    struct abi_call c;
    char hex[43], label[RPC_LABEL_MAX];
    struct u256 cfg, emode, v;
    cJSON *p = NULL, *coll = NULL, *debt = NULL, *off = NULL;
    bool any = false;
    int rc = LIQ_EIO;

    abi_hex_encode(hex, im->users[u], 20);
    rpc_batch_init(&b);
    snprintf(label, sizeof(label), "getUserConfiguration(%s)", hex);
    abi_call_init(&c, ETH_SEL_AAVE_USER_CONFIG);
    abi_put_address(&c, im->users[u]);
    eth_call_add(&b, label, A->pool, &c, im->tag);
    snprintf(label, sizeof(label), "getUserEMode(%s)", hex);
    abi_call_init(&c, ETH_SEL_AAVE_USER_EMODE);
    abi_put_address(&c, im->users[u]);
    eth_call_add(&b, label, A->pool, &c, im->tag);
    for (size_t i = 0; i < A->nr; i++) {
        const uint8_t *tok[3] = {A->r[i].atoken, A->r[i].vdebt, A->r[i].sdebt};

        for (size_t t = 0; t < import_aave_tokens(&A->r[i]); t++) {
            snprintf(label, sizeof(label), "%s(%s) of %s",
                     t == 2 ? "balanceOf" : "scaledBalanceOf", hex,
                     A->r[i].sym);
            abi_call_init(&c, t == 2 ? ETH_SEL_BALANCE_OF
                                     : ETH_SEL_SCALED_BALANCE_OF);
            abi_put_address(&c, im->users[u]);
            eth_call_add(&b, label, tok[t], &c, im->tag);
        }
    }
    if (import_batch(im, &b) != 0)
        goto out;
    if (import_bytes(im, &b, 0, buf, 32) < 0 ||
        abi_word(buf, 32, 0, &cfg) != 0 ||
        import_bytes(im, &b, 1, buf, 32) < 0 ||
        abi_uint(buf, 32, 0, 8, &emode) != 0) {
        if (im->err[0] == '\0')
            import_fail(im, b.item[1].label, "not a uint8");
        goto out;
    }
    p = cJSON_CreateObject();
    cJSON_AddStringToObject(p, "id", hex);
    cJSON_AddStringToObject(p, "market", A->market_id);
    coll = cJSON_AddObjectToObject(p, "scaled_collateral");
    debt = cJSON_AddObjectToObject(p, "scaled_debt");
    for (size_t i = 0, k = 2; i < A->nr; i++) {
        struct import_aave_reserve *r = &A->r[i];
        unsigned bit = 2 * r->id;

        for (size_t t = 0; t < import_aave_tokens(r); t++) {
            if (import_bytes(im, &b, k++, buf, 32) < 0 ||
                abi_word(buf, 32, 0, &v) != 0)
                goto out;
            if (u256_is_zero(v))
                continue;
            any = true;
            if (t == 0) {
                import_put_int(coll, r->sym, v);
                if (!import_aave_bits(cfg, bit + 1, 1)) {
                    if (off == NULL)
                        off = cJSON_AddArrayToObject(p, "collateral_disabled");
                    cJSON_AddItemToArray(off, cJSON_CreateString(r->sym));
                }
            } else if (t == 1) {
                import_put_int(debt, r->sym, v);
            } else {
                fprintf(stderr,
                        "liqtop import: %s: stable debt in %s left out (not "
                        "modelled)\n",
                        hex, r->sym);
            }
        }
    }
    if (!u256_is_zero(emode))
        cJSON_AddNumberToObject(p, "emode", (double)emode.w[0]);
    if (!any) {
        if (u < im->nnamed)
            fprintf(stderr,
                    "liqtop import: %s: no position in %s at block %llu\n", hex,
                    A->market_id, (unsigned long long)im->block);
        cJSON_Delete(p);
    } else {
        cJSON_AddItemToArray(im->positions, p);
    }
    p = NULL;
    rc = 0;
out:
    cJSON_Delete(p);
    rpc_batch_done(&b);
    return rc;
}

/* The price oracle sentinel's gate (3.0 to 3.6), when the provider has
 * one: is the sequencer up, since when, and the grace period. */
static int
import_aave_sentinel(struct import *im, struct import_aave *A, uint8_t *buf,
                     cJSON *mk)
{
    struct rpc_batch b;
    struct abi_call c;
    uint8_t seq[20];
    struct u256 grace, answer, updated;
    cJSON *o;
    int rc = LIQ_EIO;

    if (memcmp(A->sentinel, (uint8_t[20]){0}, 20) == 0)
        return 0;
    rpc_batch_init(&b);
    abi_call_init(&c, ETH_SEL_SENTINEL_SEQUENCER);
    eth_call_add(&b, "getSequencerOracle()", A->sentinel, &c, im->tag);
    abi_call_init(&c, ETH_SEL_SENTINEL_GRACE);
    eth_call_add(&b, "getGracePeriod()", A->sentinel, &c, im->tag);
    if (import_batch(im, &b) != 0 || import_bytes(im, &b, 0, buf, 32) < 0 ||
        import_bytes(im, &b, 1, buf + 32, 32) < 0)
        goto out;
    if (abi_address(buf, 32, 0, seq) != 0 ||
        abi_uint(buf + 32, 32, 0, 32, &grace) != 0) {
        import_fail(im, "getSequencerOracle()", "not an address and a period");
        goto out;
    }
    rpc_batch_reset(&b);
    abi_call_init(&c, ETH_SEL_LATEST_ROUND_DATA);
    eth_call_add(&b, "latestRoundData() of the sequencer oracle", seq, &c,
                 im->tag);
    if (import_batch(im, &b) != 0 || import_bytes(im, &b, 0, buf, 5 * 32) < 0)
        goto out;
    if (abi_word(buf, 160, 1, &answer) != 0 ||
        abi_uint(buf, 160, 3, 64, &updated) != 0) {
        import_fail(im, b.item[0].label, "not latestRoundData's shape");
        goto out;
    }
    o = cJSON_AddObjectToObject(mk, "price_oracle_sentinel");
    /* answer 0: up (PriceOracleSentinel._isUpAndGracePeriodPassed) */
    cJSON_AddBoolToObject(o, "sequencer_up", u256_is_zero(answer));
    cJSON_AddNumberToObject(o, "up_since", (double)updated.w[0]);
    cJSON_AddNumberToObject(o, "grace_period", (double)grace.w[0]);
    rc = 0;
out:
    rpc_batch_done(&b);
    return rc;
}

int
import_aave(struct import *im)
{
    struct import_aave *A = calloc(1, sizeof(*A));
    uint8_t *buf = malloc(ETH_RESULT_MAX);
    cJSON *mk = NULL;
    char hex[43];
    int rc;

    if (A == NULL || buf == NULL)
        abort();
    if ((rc = import_code(im, im->aave, "PoolAddressesProvider")) != 0 ||
        (rc = import_aave_pool(im, A, buf)) != 0)
        goto out;
    abi_hex_encode(hex, im->aave, 20);
    snprintf(A->market_id, sizeof(A->market_id), "aave-v3:%llu:%s",
             (unsigned long long)im->chain_id, hex);
    mk = cJSON_CreateObject();
    cJSON_AddStringToObject(mk, "id", A->market_id);
    cJSON_AddStringToObject(mk, "model", "aave-v3");
    cJSON_AddStringToObject(mk, "version", im->aave_version);
    cJSON_AddNumberToObject(mk, "base_decimals", A->base_decimals);
    if ((rc = import_aave_reserves(im, A, buf, mk)) != 0 ||
        (rc = import_aave_sentinel(im, A, buf, mk)) != 0)
        goto out;
    cJSON_AddItemToArray(im->markets, mk);
    mk = NULL;
    if (im->borrowers &&
        (rc = eth_logs_scan(im->rpc, A->pool, ETH_TOPIC_AAVE_BORROW, NULL,
                            im->from_block, im->block, im->log_range,
                            import_aave_log, im, im->err, sizeof(im->err))) !=
            0)
        goto out;
    import_users_unique(im);
    for (size_t u = 0; u < im->nusers && rc == 0; u++)
        rc = import_aave_user(im, A, u, buf);
out:
    cJSON_Delete(mk);
    free(buf);
    free(A);
    return rc;
}
