/*
 * feed_rpc_aave.c: the rpc: source's Aave v3 part: from the portfolio's
 * "chain".aave_v3 (a PoolAddressesProvider) the pool and its oracle, the
 * reserves matched to the market's symbols by symbol(), then at each block
 * getAssetPrice of each, applied as one {"prices": ...} line in the
 * oracle's base currency, and each one's configuration bitmap and (3.1+)
 * liquidation grace period, told to the book with the block's indexes
 * and the eMode categories (getEModeCategoryData of those the book lists
 * and of any a reserve names; from 3.2 their bitmaps).
 *
 * Must not block the loop (calls go through r->rpc like the rest of the
 * feed) and must not apply a price it could not read whole.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/decimal.h"
#include "core/liq.h"
#include "core/model_aave.h"
#include "feeds/abi.h"
#include "feeds/eth.h"
#include "feeds/feed_rpc.h"

int
feed_rpc_aave_config(struct feed_rpc *r, const cJSON *root, const char *path,
                     char *err, size_t errlen)
{
    const cJSON *chain = cJSON_GetObjectItemCaseSensitive(root, "chain");
    const cJSON *prov = cJSON_GetObjectItemCaseSensitive(chain, "aave_v3");
    const cJSON *mk, *a;
    struct feed_rpc_aave *A = &r->aave;

    if (prov == NULL)
        return 0;
    if (!cJSON_IsString(prov) ||
        !abi_parse_address(prov->valuestring, A->provider)) {
        snprintf(err, errlen, "--feed rpc: %s: chain.aave_v3: not an address",
                 path);
        return LIQ_EINVAL;
    }
    cJSON_ArrayForEach(mk, cJSON_GetObjectItemCaseSensitive(root, "markets"))
    {
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(mk, "id");
        const cJSON *bd = cJSON_GetObjectItemCaseSensitive(mk, "base_decimals");
        unsigned long long cid;

        if (!cJSON_IsString(id) || strncmp(id->valuestring, "aave-v3:", 8) != 0)
            continue;
        if (A->on || sscanf(id->valuestring, "aave-v3:%llu:", &cid) != 1) {
            snprintf(err, errlen,
                     "--feed rpc: %s: market %.80s: one aave-v3 market as "
                     "liqtop import writes it",
                     path, id->valuestring);
            return LIQ_EINVAL;
        }
        A->on = true;
        A->chain_id = cid;
        snprintf(A->market_id, sizeof(A->market_id), "%s", id->valuestring);
        {
            const cJSON *ver = cJSON_GetObjectItemCaseSensitive(mk, "version");

            A->version = 300;
            if (cJSON_IsString(ver) &&
                market_version_parse(&A->version, MODEL_AAVE_V3,
                                     ver->valuestring) != 0) {
                snprintf(err, errlen,
                         "--feed rpc: %s: market %.80s: version %.20s unknown",
                         path, id->valuestring, ver->valuestring);
                return LIQ_EINVAL;
            }
        }
        A->base_decimals =
            cJSON_IsNumber(bd) && bd->valuedouble >= 0 && bd->valuedouble <= 36
                ? (unsigned)bd->valuedouble
                : 8;
        cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(mk, "assets"))
        {
            const cJSON *s = cJSON_GetObjectItemCaseSensitive(a, "symbol");

            if (!cJSON_IsString(s) || A->n == FEED_RPC_ASSETS)
                continue;
            snprintf(A->sym[A->n], sizeof(A->sym[0]), "%s", s->valuestring);
            A->n++;
        }
        cJSON_ArrayForEach(
            a, cJSON_GetObjectItemCaseSensitive(mk, "emode_categories"))
        {
            const cJSON *ci = cJSON_GetObjectItemCaseSensitive(a, "id");

            if (cJSON_IsNumber(ci) && ci->valuedouble >= 1 &&
                ci->valuedouble <= 255 && A->ncat < FEED_RPC_CATS)
                A->cat[A->ncat++] = (unsigned)ci->valuedouble;
        }
    }
    return 0;
}

void
feed_rpc_aave_first_calls(struct feed_rpc *r)
{
    struct abi_call c;

    abi_call_init(&c, ETH_SEL_AAVE_GET_POOL);
    eth_call_add(&r->b, "getPool()", r->aave.provider, &c, "latest");
    abi_call_init(&c, ETH_SEL_AAVE_GET_PRICE_ORACLE);
    eth_call_add(&r->b, "getPriceOracle()", r->aave.provider, &c, "latest");
}

bool
feed_rpc_aave_first_answers(struct feed_rpc *r, struct rpc_batch *b, size_t i,
                            uint64_t chain)
{
    uint8_t buf[32];

    if (r->aave.chain_id != chain) {
        feed_rpc_failed(r, "the node is not the Aave market's chain");
        return false;
    }
    if (eth_result_bytes(&b->item[i], buf, 32) != 32 ||
        abi_address(buf, 32, 0, r->aave.pool) != 0 ||
        eth_result_bytes(&b->item[i + 1], buf, 32) != 32 ||
        abi_address(buf, 32, 0, r->aave.oracle) != 0) {
        feed_rpc_failed(r, "getPool(): no PoolAddressesProvider there");
        return false;
    }
    r->aave.stage = 1;
    return true;
}

/* getReserveData of found asset j from b's item i (3.0 to 3.7 keep the
 * words read here in place); false: r failed. */
static bool
feed_rpc_aave_data(struct feed_rpc *r, struct rpc_batch *b, size_t i, size_t j,
                   uint8_t *buf)
{
    struct feed_rpc_aave *A = &r->aave;
    struct u256 v, id;

    if (eth_result_bytes(&b->item[i], buf, ETH_RESULT_MAX) < 15 * 32 ||
        abi_uint(buf, 480, 1, 128, &A->lindex[j]) != 0 ||
        abi_uint(buf, 480, 2, 128, &A->lrate[j]) != 0 ||
        abi_uint(buf, 480, 3, 128, &A->vindex[j]) != 0 ||
        abi_uint(buf, 480, 4, 128, &A->vrate[j]) != 0 ||
        abi_uint(buf, 480, 6, 40, &v) != 0 ||
        abi_uint(buf, 480, 7, 16, &id) != 0 ||
        abi_address(buf, 480, 8, A->atoken[j]) != 0 ||
        abi_address(buf, 480, 10, A->vdebt[j]) != 0) {
        feed_rpc_failed(r, "getReserveData: not ReserveData's shape");
        return false;
    }
    A->last[j] = (int64_t)v.w[0];
    A->rid[j] = (unsigned)id.w[0];
    return true;
}

static void
feed_rpc_aave_resolve_cb(void *arg, struct rpc_batch *b)
{
    struct feed_rpc *r = arg;
    struct feed_rpc_aave *A = &r->aave;
    uint8_t *buf;
    long n;

    if (r->f->stopping)
        return;
    if (rpc_batch_failed(b)) {
        feed_rpc_failed(r, b->error);
        return;
    }
    buf = malloc(ETH_RESULT_MAX);
    if (buf == NULL)
        abort();
    if (A->stage == 1) {
        size_t count, first;

        n = eth_result_bytes(&b->item[0], buf, ETH_RESULT_MAX);
        if (n < 0 || abi_array(buf, (size_t)n, 0, &count, &first) != 0 ||
            count > FEED_RPC_ASSETS) {
            feed_rpc_failed(r, "getReservesList(): not a list of addresses");
            goto out;
        }
        for (size_t i = 0; i < count; i++)
            if (abi_address(buf, (size_t)n, first + i, A->reserves[i]) != 0) {
                feed_rpc_failed(r, "getReservesList(): not addresses");
                goto out;
            }
        A->nreserves = count;
        A->stage = 2;
    } else if (A->stage == 2) {
        for (size_t i = 0; i < A->nreserves; i++) {
            char sym[64];

            n = eth_result_bytes(&b->item[i], buf, ETH_RESULT_MAX);
            if (n < 0 || abi_string(buf, (size_t)n, 0, sym, sizeof(sym)) < 0)
                continue; /* a token without a symbol is none of ours */
            for (size_t k = 0; k < A->n; k++)
                if (!A->found[k] && strcmp(A->sym[k], sym) == 0) {
                    memcpy(A->addr[k], A->reserves[i], 20);
                    A->found[k] = true;
                    break;
                }
        }
        A->nfound = 0;
        for (size_t k = 0; k < A->n; k++)
            if (A->found[k]) {
                A->fidx[A->nfound] = k;
                snprintf(A->fsym[A->nfound], SYMBOL_MAX, "%s", A->sym[k]);
                A->nfound++;
            }
        A->stage = 3;
    } else {
        for (size_t j = 0; j < A->nfound; j++)
            if (!feed_rpc_aave_data(r, b, j, j, buf))
                goto out;
        A->stage = 4;
        r->resolved = true;
    }
    feed_rpc_later(r, 0);
out:
    free(buf);
}

void
feed_rpc_aave_resolve(struct feed_rpc *r)
{
    struct feed_rpc_aave *A = &r->aave;
    struct abi_call c;

    rpc_batch_reset(&r->b);
    if (A->stage == 1) {
        abi_call_init(&c, ETH_SEL_AAVE_RESERVES_LIST);
        eth_call_add(&r->b, "getReservesList()", A->pool, &c, "latest");
    } else if (A->stage == 3) {
        for (size_t j = 0; j < A->nfound; j++) {
            abi_call_init(&c, ETH_SEL_AAVE_RESERVE_DATA);
            abi_put_address(&c, A->addr[A->fidx[j]]);
            eth_call_add(&r->b, "getReserveData", A->pool, &c, "latest");
        }
        if (A->nfound == 0) {
            A->stage = 4;
            r->resolved = true;
            feed_rpc_later(r, 0);
            return;
        }
    } else {
        for (size_t i = 0; i < A->nreserves; i++) {
            abi_call_init(&c, ETH_SEL_SYMBOL);
            eth_call_add(&r->b, "symbol()", A->reserves[i], &c, "latest");
        }
        if (A->nreserves == 0) {
            A->stage = 4;
            r->resolved = true;
            feed_rpc_later(r, 0);
            return;
        }
    }
    if (rpc_send(r->rpc, &r->b, feed_rpc_aave_resolve_cb, r) != 0)
        feed_rpc_failed(r, r->b.error);
}

void
feed_rpc_aave_calls(struct feed_rpc *r, const char *tag)
{
    struct feed_rpc_aave *A = &r->aave;
    struct abi_call c;

    for (size_t k = 0; k < A->n; k++) {
        if (!A->found[k])
            continue;
        abi_call_init(&c, ETH_SEL_AAVE_ASSET_PRICE);
        abi_put_address(&c, A->addr[k]);
        eth_call_add(&r->b, "getAssetPrice", A->oracle, &c, tag);
    }
    /* Every block, not only where the configurator's events say: one
     * word a reserve (two from 3.1) in the request that is made anyway,
     * and a change is never missed, whatever set it. */
    for (size_t j = 0; j < A->nfound; j++) {
        abi_call_init(&c, ETH_SEL_AAVE_CONFIGURATION);
        abi_put_address(&c, A->addr[A->fidx[j]]);
        eth_call_add(&r->b, "getConfiguration", A->pool, &c, tag);
        if (A->version < 301)
            continue;
        abi_call_init(&c, ETH_SEL_AAVE_GRACE_PERIOD);
        abi_put_address(&c, A->addr[A->fidx[j]]);
        eth_call_add(&r->b, "getLiquidationGracePeriod", A->pool, &c, tag);
    }
}

/* The configuration and grace periods after the prices, from item i. */
static bool
feed_rpc_aave_config_answers(struct feed_rpc *r, struct rpc_batch *b, size_t i)
{
    struct feed_rpc_aave *A = &r->aave;
    uint8_t buf[32];

    for (size_t j = 0; j < A->nfound; j++) {
        struct feed_chain_reserve *res = &A->res[j];
        struct eth_aave_config cf;
        struct u256 v;

        if (eth_result_bytes(&b->item[i++], buf, 32) != 32 ||
            abi_word(buf, 32, 0, &v) != 0) {
            feed_rpc_failed(r, "getConfiguration(): not one word");
            return false;
        }
        eth_aave_config(v, &cf);
        res->ltv_bps = cf.ltv_bps;
        res->lt_bps = cf.lt_bps;
        res->bonus_bps = cf.bonus_bps;
        res->fee_bps = cf.fee_bps;
        res->paused = cf.paused;
        res->emode = cf.emode;
        res->grace_until = 0;
        if (A->version < 301)
            continue;
        if (eth_result_bytes(&b->item[i++], buf, 32) != 32 ||
            abi_uint(buf, 32, 0, 40, &v) != 0) {
            feed_rpc_failed(r, "getLiquidationGracePeriod(): not a uint40");
            return false;
        }
        res->grace_until = (int64_t)v.w[0];
    }
    return true;
}

bool
feed_rpc_aave_apply(struct feed_rpc *r, struct rpc_batch *b, size_t i,
                    uint64_t ts)
{
    size_t cap = 64 + r->aave.n * (SYMBOL_MAX + DECIMAL_BUF + 8), len = 0;
    char *line = malloc(cap), dec[DECIMAL_BUF];
    uint8_t buf[32];
    bool any = false;

    if (line == NULL)
        abort();
    len += (size_t)snprintf(line, cap, "{\"prices\": {");
    for (size_t k = 0; k < r->aave.n; k++) {
        struct u256 p;

        if (!r->aave.found[k])
            continue;
        if (eth_result_bytes(&b->item[i], buf, 32) != 32 ||
            abi_word(buf, 32, 0, &p) != 0) {
            free(line);
            feed_rpc_failed(r, "getAssetPrice(): not one word");
            return false;
        }
        i++;
        decimal_format(dec, sizeof(dec), p, r->aave.base_decimals);
        len += (size_t)snprintf(line + len, cap - len, "%s\"%s\": \"%s\"",
                                any ? ", " : "", r->aave.sym[k], dec);
        any = true;
    }
    snprintf(line + len, cap - len, "}, \"ts\": %llu}",
             (unsigned long long)ts * 1000);
    if (!feed_rpc_aave_config_answers(r, b, i)) {
        free(line);
        return false;
    }
    if (any)
        feed_rpc_emit(r, line);
    free(line);
    return true;
}

/* ---- at each block: what the pool's and aTokens' logs touched ---- */

/* The user in topic t of a log, as an address; false when absent. */
static bool
feed_rpc_aave_topic_addr(const cJSON *topics, int t, uint8_t out[20])
{
    const cJSON *it = cJSON_GetArrayItem(topics, t);
    uint8_t w[32];

    return cJSON_IsString(it) && abi_parse_bytes32(it->valuestring, w) &&
           abi_address(w, 32, 0, out) == 0;
}

void
feed_rpc_aave_log(struct feed_rpc *r, const char *topic0, const uint8_t *addr,
                  const cJSON *topics)
{
    struct feed_rpc_aave *A = &r->aave;
    static const struct {
        const char *topic;
        int user;
    } pool_events[] = {
        {ETH_TOPIC_AAVE_SUPPLY, 2},        {ETH_TOPIC_AAVE_WITHDRAW, 2},
        {ETH_TOPIC_AAVE_BORROW, 2},        {ETH_TOPIC_AAVE_REPAY, 2},
        {ETH_TOPIC_AAVE_LIQUIDATION, 3},   {ETH_TOPIC_AAVE_COLL_ENABLED, 2},
        {ETH_TOPIC_AAVE_COLL_DISABLED, 2}, {ETH_TOPIC_AAVE_EMODE_SET, 1},
    };
    uint8_t u[20];

    if (memcmp(addr, A->pool, 20) == 0) {
        if (strcmp(topic0, ETH_TOPIC_AAVE_RESERVE_UPDATED) == 0 &&
            feed_rpc_aave_topic_addr(topics, 1, u)) {
            for (size_t j = 0; j < A->nfound; j++)
                if (memcmp(A->addr[A->fidx[j]], u, 20) == 0)
                    feed_rpc_touch_add(r, FEED_RPC_AAVE_RESERVE, (uint16_t)j,
                                       u);
            return;
        }
        for (size_t e = 0; e < sizeof(pool_events) / sizeof(pool_events[0]);
             e++)
            if (strcmp(topic0, pool_events[e].topic) == 0 &&
                feed_rpc_aave_topic_addr(topics, pool_events[e].user, u))
                feed_rpc_touch_add(r, FEED_RPC_AAVE_USER, 0, u);
        return;
    }
    if (strcmp(topic0, ETH_TOPIC_ATOKEN_BALANCE_TRANSFER) != 0)
        return;
    for (size_t j = 0; j < A->nfound; j++)
        if (memcmp(A->atoken[j], addr, 20) == 0) {
            for (int t = 1; t <= 2; t++)
                if (feed_rpc_aave_topic_addr(topics, t, u))
                    feed_rpc_touch_add(r, FEED_RPC_AAVE_USER, 0, u);
            return;
        }
}

void
feed_rpc_aave_addresses(struct feed_rpc *r, cJSON *list)
{
    struct feed_rpc_aave *A = &r->aave;
    char hex[43];

    abi_hex_encode(hex, A->pool, 20);
    cJSON_AddItemToArray(list, cJSON_CreateString(hex));
    for (size_t j = 0; j < A->nfound; j++) {
        abi_hex_encode(hex, A->atoken[j], 20);
        cJSON_AddItemToArray(list, cJSON_CreateString(hex));
    }
}

void
feed_rpc_aave_reads(struct feed_rpc *r, const char *tag)
{
    struct feed_rpc_aave *A = &r->aave;
    struct abi_call c;

    /* the categories: the book's, and any a reserve names now (before
     * 3.2 a reserve moves between them) */
    for (size_t j = 0; j < A->nfound; j++) {
        bool known = A->res[j].emode == 0;

        for (size_t k = 0; k < A->ncat && !known; k++)
            known = A->cat[k] == A->res[j].emode;
        if (!known && A->ncat < FEED_RPC_CATS)
            A->cat[A->ncat++] = A->res[j].emode;
    }
    for (size_t k = 0; k < A->ncat; k++) {
        abi_call_init(&c, ETH_SEL_AAVE_EMODE_DATA);
        abi_put_u64(&c, A->cat[k]);
        eth_call_add(&r->b, "getEModeCategoryData", A->pool, &c, tag);
        if (A->version < 302)
            continue;
        abi_call_init(&c, ETH_SEL_AAVE_EMODE_COLLATERAL);
        abi_put_u64(&c, A->cat[k]);
        eth_call_add(&r->b, "getEModeCategoryCollateralBitmap", A->pool, &c,
                     tag);
        abi_call_init(&c, ETH_SEL_AAVE_EMODE_BORROWABLE);
        abi_put_u64(&c, A->cat[k]);
        eth_call_add(&r->b, "getEModeCategoryBorrowableBitmap", A->pool, &c,
                     tag);
    }

    for (size_t j = 0; j < A->nfound; j++) {
        if (!A->changed[j])
            continue;
        abi_call_init(&c, ETH_SEL_AAVE_RESERVE_DATA);
        abi_put_address(&c, A->addr[A->fidx[j]]);
        eth_call_add(&r->b, "getReserveData", A->pool, &c, tag);
    }
    for (size_t t = 0; t < r->nrd; t++) {
        const uint8_t *u = r->rd[t].addr;

        if (r->rd[t].kind != FEED_RPC_AAVE_USER)
            continue;
        abi_call_init(&c, ETH_SEL_AAVE_USER_CONFIG);
        abi_put_address(&c, u);
        eth_call_add(&r->b, "getUserConfiguration", A->pool, &c, tag);
        abi_call_init(&c, ETH_SEL_AAVE_USER_EMODE);
        abi_put_address(&c, u);
        eth_call_add(&r->b, "getUserEMode", A->pool, &c, tag);
        for (size_t j = 0; j < A->nfound; j++) {
            abi_call_init(&c, ETH_SEL_SCALED_BALANCE_OF);
            abi_put_address(&c, u);
            eth_call_add(&r->b, "scaledBalanceOf", A->atoken[j], &c, tag);
            abi_call_init(&c, ETH_SEL_SCALED_BALANCE_OF);
            abi_put_address(&c, u);
            eth_call_add(&r->b, "scaledBalanceOf", A->vdebt[j], &c, tag);
        }
    }
}

/* A reserve-id bitmap (3.2+) as a bit per found asset. */
static uint32_t
feed_rpc_aave_bits(const struct feed_rpc_aave *A, struct u256 v)
{
    uint32_t out = 0;

    for (size_t j = 0; j < A->nfound && j < 32; j++)
        if (A->rid[j] < 128 && ((v.w[A->rid[j] / 64] >> (A->rid[j] % 64)) & 1))
            out |= 1u << j;
    return out;
}

/* The categories' answers from item *i on; false: r failed. */
static bool
feed_rpc_aave_emodes(struct feed_rpc *r, struct rpc_batch *b, size_t *i,
                     uint8_t *buf)
{
    struct feed_rpc_aave *A = &r->aave;

    for (size_t k = 0; k < A->ncat; k++) {
        struct feed_chain_emode *e = &A->em[k];
        struct u256 ltv, lt, bonus, off, v;
        uint8_t ps[20];
        long n = eth_result_bytes(&b->item[(*i)++], buf, ETH_RESULT_MAX);
        const uint8_t *t;
        size_t tn;

        /* one offset to the tuple (it holds a string), then the tuple */
        if (n < 6 * 32 || abi_word(buf, (size_t)n, 0, &off) != 0 ||
            !u256_fits_u64(off) || off.w[0] % 32 != 0 ||
            off.w[0] > (uint64_t)n) {
            feed_rpc_failed(r, "getEModeCategoryData: not EModeCategory's "
                               "shape");
            return false;
        }
        t = buf + off.w[0];
        tn = (size_t)n - off.w[0];
        memset(e, 0, sizeof(*e));
        e->id = A->cat[k];
        if (abi_uint(t, tn, 0, 16, &ltv) != 0 ||
            abi_uint(t, tn, 1, 16, &lt) != 0 ||
            abi_uint(t, tn, 2, 16, &bonus) != 0 ||
            abi_address(t, tn, 3, ps) != 0 ||
            abi_string(t, tn, 4, e->label, sizeof(e->label)) < 0) {
            feed_rpc_failed(r, "getEModeCategoryData: not EModeCategory's "
                               "shape");
            return false;
        }
        e->ltv_bps = ltv.w[0];
        e->lt_bps = lt.w[0];
        e->bonus_bps = bonus.w[0] > 10000 ? bonus.w[0] - 10000 : 0;
        e->price_source = memcmp(ps, (uint8_t[20]){0}, 20) != 0;
        if (A->version < 302)
            continue;
        e->has_bitmaps = true;
        for (int s = 0; s < 2; s++) {
            if (eth_result_bytes(&b->item[(*i)++], buf, 32) != 32 ||
                abi_uint(buf, 32, 0, 128, &v) != 0) {
                feed_rpc_failed(r, "getEModeCategory...Bitmap: not a "
                                   "uint128");
                return false;
            }
            if (s == 0)
                e->collateral = feed_rpc_aave_bits(A, v);
            else
                e->borrowable = feed_rpc_aave_bits(A, v);
        }
    }
    return true;
}

/* A user read at this block in a category the block did not read (one
 * made since, say): it is followed from now on, and the block read again
 * with it, before the book is told anything of the block. i: the first
 * user's item. */
static bool
feed_rpc_aave_new_emodes(struct feed_rpc *r, struct rpc_batch *b, size_t i,
                         uint8_t *buf)
{
    struct feed_rpc_aave *A = &r->aave;
    char msg[96];
    bool fresh = false;

    for (size_t t = 0; t < r->nrd; t++) {
        struct u256 emode;
        bool known;

        if (r->rd[t].kind != FEED_RPC_AAVE_USER)
            continue;
        if (eth_result_bytes(&b->item[i + 1], buf, 32) == 32 &&
            abi_uint(buf, 32, 0, 8, &emode) == 0 && !u256_is_zero(emode)) {
            known = false;
            for (size_t k = 0; k < A->ncat && !known; k++)
                known = A->cat[k] == emode.w[0];
            if (!known && A->ncat < FEED_RPC_CATS) {
                A->cat[A->ncat++] = (unsigned)emode.w[0];
                snprintf(msg, sizeof(msg),
                         "eMode category %u is new: the block is read again "
                         "with it",
                         (unsigned)emode.w[0]);
                fresh = true;
            }
        }
        i += 2 + 2 * A->nfound;
    }
    if (fresh)
        feed_rpc_failed(r, msg);
    return !fresh;
}

/* Append `"SYM": "V"` to a JSON object text being built. */
static void
feed_rpc_aave_put(char *out, size_t cap, size_t *len, bool *first,
                  const char *sym, struct u256 v)
{
    char dec[DECIMAL_BUF];

    decimal_format_int(dec, sizeof(dec), v);
    *len += (size_t)snprintf(out + *len, cap - *len, "%s\"%s\": \"%s\"",
                             *first ? "" : ", ", sym, dec);
    *first = false;
}

bool
feed_rpc_aave_answers(struct feed_rpc *r, struct rpc_batch *b, size_t *i)
{
    struct feed_rpc_aave *A = &r->aave;
    struct feed_chain_market cm;
    uint8_t *buf = malloc(ETH_RESULT_MAX);
    /* each side holds at most nfound `, "SYM": "DIGITS"` */
    size_t part = 16 + A->nfound * (SYMBOL_MAX + DECIMAL_BUF + 8);
    size_t cap = 512 + 3 * part;
    char *text = malloc(cap), *coll = malloc(part), *debt = malloc(part);
    char *off = malloc(part);
    bool ok = false;

    if (buf == NULL || text == NULL || coll == NULL || debt == NULL ||
        off == NULL)
        abort();
    if (!feed_rpc_aave_emodes(r, b, i, buf))
        goto out;
    for (size_t j = 0; j < A->nfound; j++)
        if (A->changed[j] && !feed_rpc_aave_data(r, b, (*i)++, j, buf))
            goto out;
    for (size_t j = 0; j < A->nfound; j++)
        if (model_aave3_index_accrue(A->version, false, A->lindex[j],
                                     A->lrate[j], A->last[j], r->target_ts,
                                     &A->acc_l[j]) != 0 ||
            model_aave3_index_accrue(A->version, true, A->vindex[j],
                                     A->vrate[j], A->last[j], r->target_ts,
                                     &A->acc_d[j]) != 0) {
            feed_rpc_failed(r, "getReserveData: an index that cannot accrue "
                               "to the block's time");
            goto out;
        }
    if (!feed_rpc_aave_new_emodes(r, b, *i, buf))
        goto out;
    memset(&cm, 0, sizeof(cm));
    cm.market = A->market_id;
    cm.block = r->target;
    cm.as_of = r->target_ts;
    cm.nidx = A->nfound;
    cm.sym = (const char(*)[SYMBOL_MAX])A->fsym;
    cm.lindex = A->acc_l;
    cm.dindex = A->acc_d;
    cm.lindex_stored = A->lindex;
    cm.dindex_stored = A->vindex;
    cm.lrate = A->lrate;
    cm.drate = A->vrate;
    cm.reserve_updated = A->last;
    cm.reserve = A->res;
    cm.nemodes = A->ncat;
    cm.emodes = A->em;
    if (r->f->cbs.chain_market != NULL)
        r->f->cbs.chain_market(r->f->cbs.arg, r->f, &cm);
    for (size_t t = 0; t < r->nrd; t++) {
        struct u256 cfg, emode, v;
        char hex[43];
        size_t lc = 0, ld = 0, lo = 0, len;
        bool fc = true, fd = true, fo = true;

        if (r->rd[t].kind != FEED_RPC_AAVE_USER)
            continue;
        if (eth_result_bytes(&b->item[*i], buf, 32) != 32 ||
            abi_word(buf, 32, 0, &cfg) != 0 ||
            eth_result_bytes(&b->item[*i + 1], buf, 32) != 32 ||
            abi_uint(buf, 32, 0, 8, &emode) != 0) {
            feed_rpc_failed(r, "getUserConfiguration/getUserEMode: not a "
                               "word");
            goto out;
        }
        *i += 2;
        coll[0] = debt[0] = off[0] = '\0';
        for (size_t j = 0; j < A->nfound; j++) {
            for (int s = 0; s < 2; s++) {
                if (eth_result_bytes(&b->item[(*i)++], buf, 32) != 32 ||
                    abi_word(buf, 32, 0, &v) != 0) {
                    feed_rpc_failed(r, "scaledBalanceOf: not one word");
                    goto out;
                }
                if (u256_is_zero(v))
                    continue;
                if (s == 1) {
                    feed_rpc_aave_put(debt, part, &ld, &fd, A->fsym[j], v);
                    continue;
                }
                feed_rpc_aave_put(coll, part, &lc, &fc, A->fsym[j], v);
                /* bit 2 id + 1: used as collateral */
                unsigned bit = 2 * A->rid[j] + 1;
                if (bit < 256 && !((cfg.w[bit / 64] >> (bit % 64)) & 1)) {
                    lo += (size_t)snprintf(off + lo, part - lo, "%s\"%s\"",
                                           fo ? "" : ", ", A->fsym[j]);
                    fo = false;
                }
            }
        }
        abi_hex_encode(hex, r->rd[t].addr, 20);
        len = (size_t)snprintf(text, cap,
                               "{\"id\": \"%s\", \"market\": \"%s\", "
                               "\"scaled_collateral\": {%s}, "
                               "\"scaled_debt\": {%s}",
                               hex, A->market_id, coll, debt);
        if (!fo)
            len += (size_t)snprintf(text + len, cap - len,
                                    ", \"collateral_disabled\": [%s]", off);
        if (!u256_is_zero(emode))
            len += (size_t)snprintf(text + len, cap - len, ", \"emode\": %u",
                                    (unsigned)emode.w[0]);
        len += (size_t)snprintf(text + len, cap - len, "}");
        if (r->f->cbs.chain_position != NULL)
            r->f->cbs.chain_position(r->f->cbs.arg, r->f, text, len);
    }
    ok = true;
out:
    free(buf);
    free(text);
    free(coll);
    free(debt);
    free(off);
    return ok;
}
