/*
 * feed_rpc_aave.c: the rpc: source's Aave v3 part: from the portfolio's
 * "chain".aave_v3 (a PoolAddressesProvider) the pool and its oracle, the
 * reserves matched to the market's symbols by symbol(), then at each block
 * getAssetPrice of each, applied as one {"prices": ...} line in the
 * oracle's base currency.
 *
 * Must not block the loop (calls go through r->rpc like the rest of the
 * feed) and must not apply a price it could not read whole.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/decimal.h"
#include "core/liq.h"
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
    } else {
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
        A->stage = 3;
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
    } else {
        for (size_t i = 0; i < A->nreserves; i++) {
            abi_call_init(&c, ETH_SEL_SYMBOL);
            eth_call_add(&r->b, "symbol()", A->reserves[i], &c, "latest");
        }
        if (A->nreserves == 0) {
            A->stage = 3;
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
    struct abi_call c;

    for (size_t k = 0; k < r->aave.n; k++) {
        if (!r->aave.found[k])
            continue;
        abi_call_init(&c, ETH_SEL_AAVE_ASSET_PRICE);
        abi_put_address(&c, r->aave.addr[k]);
        eth_call_add(&r->b, "getAssetPrice", r->aave.oracle, &c, tag);
    }
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
    if (any)
        feed_rpc_emit(r, line);
    free(line);
    return true;
}
