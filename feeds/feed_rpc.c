/*
 * feed_rpc.c: the rpc:URL source (design.md section 5): an Ethereum
 * JSON-RPC node polled for new blocks; at each block (less
 * --confirmations) the oracle price of every Morpho Blue market of the
 * portfolio is read at that block and applied as feed lines: the market's
 * {"oracle": {ID: RAW}} and its collateral's price in the loan's units
 * ({"prices": ...}, ts the block's time), an Aave market's prices
 * (feed_rpc_aave.c) and a Compound v2 market's (feed_rpc_comp.c). The
 * portfolio's top-level "chain" object (written by liqtop import) names
 * the Morpho contract, the Aave provider and the Comptroller.
 *
 * Owns its rpc client and poll timer. Never blocks the loop; a node that
 * fails, answers 429 or nonsense is shown (state reconnecting, the error)
 * and polled again after the feeds' back-off; nothing here is fatal.
 */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/decimal.h"
#include "core/liq.h"
#include "feeds/abi.h"
#include "feeds/eth.h"
#include "feeds/feed.h"
#include "feeds/feed_rpc.h"
#include "feeds/rpc.h"

static void feed_rpc_poll(uv_timer_t *t);

void
feed_rpc_later(struct feed_rpc *r, uint64_t ms)
{
    if (!r->f->stopping)
        uv_timer_start(&r->timer, feed_rpc_poll, ms, 0);
}

void
feed_rpc_failed(struct feed_rpc *r, const char *what)
{
    struct feed *f = r->f;

    snprintf(f->error, sizeof(f->error), "%.120s: %.190s", f->spec, what);
    f->reconnects++;
    feed_set_state(f, FEED_RECONNECTING);
    feed_rpc_later(r, feed_backoff_next(f));
}

void
feed_rpc_emit(struct feed_rpc *r, const char *line)
{
    feed_bytes(r->f, line, strlen(line));
    feed_bytes(r->f, "\n", 1);
}

/* The block's prices are in: apply each market's. */
static void
feed_rpc_prices_cb(void *arg, struct rpc_batch *b)
{
    struct feed_rpc *r = arg;
    const cJSON *ts;
    uint64_t t;
    uint8_t buf[64];

    if (r->f->stopping)
        return;
    if (rpc_batch_failed(b)) {
        /* logs refused (a range too wide, say): half as many next time */
        if (r->logs_item < b->n && b->item[r->logs_item].error[0] != '\0') {
            uint64_t asked = r->target - r->log_from + 1;

            r->log_span = asked > 1 ? asked / 2 : 1;
        }
        feed_rpc_failed(r, b->error);
        return;
    }
    ts = cJSON_GetObjectItemCaseSensitive(b->item[0].result, "timestamp");
    if (!cJSON_IsString(ts) || !abi_parse_quantity(ts->valuestring, &t)) {
        feed_rpc_failed(r, "eth_getBlockByNumber: no such block or no time");
        return;
    }
    for (size_t i = 0; i < r->nm; i++) {
        struct feed_rpc_market *m = &r->m[i];
        struct u256 p, px, scale;
        char raw[DECIMAL_BUF], dec[DECIMAL_BUF], line[512];

        if (eth_result_bytes(&b->item[1 + i], buf, sizeof(buf)) != 32 ||
            abi_word(buf, 32, 0, &p) != 0) {
            feed_rpc_failed(r, "price(): not one word");
            return;
        }
        decimal_format_int(raw, sizeof(raw), p);
        if (r->oracle_ok) {
            snprintf(line, sizeof(line),
                     "{\"oracle\": {\"%s\": \"%s\"}, \"ts\": %llu}", m->id, raw,
                     (unsigned long long)t * 1000);
            feed_rpc_emit(r, line);
        }
        /* collateral in base units: oracle x p_loan / 10^(36 + ld - cd) */
        if (m->price_line && m->loan_dec + 36 >= m->coll_dec &&
            u256_pow10(&scale, 36 + m->loan_dec - m->coll_dec) == 0 &&
            u256_muldiv(&px, p, m->loan_px, scale, U256_FLOOR) == 0 &&
            !u256_is_zero(px)) {
            decimal_format(dec, sizeof(dec), px, PRICE_DECIMALS);
            snprintf(line, sizeof(line),
                     "{\"symbol\": \"%s\", \"price\": \"%s\", \"ts\": %llu}",
                     m->coll, dec, (unsigned long long)t * 1000);
            feed_rpc_emit(r, line);
        }
    }
    if (r->aave.on && !feed_rpc_aave_apply(r, b, 1 + r->nm, t))
        return;
    if (r->comp.on && !feed_rpc_comp_apply(r, b, t))
        return;
    r->target_ts = (int64_t)t;
    feed_rpc_chain_block(r, b);
}

/* The block applied last is no longer the chain's at its height: the
 * window of recent blocks is read again from its oldest, whose hash the
 * read checks (feed_rpc_chain_block: a fork older than it is deep). */
static void
feed_rpc_reorg(struct feed_rpc *r)
{
    uint64_t oldest = r->f->block;

    for (size_t i = 0; i < FEED_RPC_RING; i++)
        if (r->ring_h[i] != 0 && r->ring_h[i] < oldest)
            oldest = r->ring_h[i];
    memset(r->reorg_hash, 0, 32);
    if (r->ring_h[oldest % FEED_RPC_RING] == oldest)
        memcpy(r->reorg_hash, r->ring_hash[oldest % FEED_RPC_RING], 32);
    memset(r->ring_h, 0, sizeof(r->ring_h));
    r->reorg = true;
    r->reorg_from = oldest;
    r->f->reorgs++;
}

static void
feed_rpc_head_cb(void *arg, struct rpc_batch *b)
{
    struct feed_rpc *r = arg;
    uint64_t head;
    char tag[24], params[64];

    if (r->f->stopping)
        return;
    if (rpc_batch_failed(b)) {
        feed_rpc_failed(r, b->error);
        return;
    }
    if (!eth_result_quantity(&b->item[0], &head)) {
        feed_rpc_failed(r, "eth_blockNumber: not a quantity");
        return;
    }
    if (r->f->block != 0 && !r->reorg) {
        const cJSON *blk = b->item[1].result;
        const cJSON *h = cJSON_GetObjectItemCaseSensitive(blk, "hash");
        size_t slot = r->f->block % FEED_RPC_RING;
        uint8_t hash[32];

        if (!cJSON_IsString(h) || !abi_parse_bytes32(h->valuestring, hash) ||
            (r->ring_h[slot] == r->f->block &&
             memcmp(hash, r->ring_hash[slot], 32) != 0))
            feed_rpc_reorg(r); /* replaced, or no longer there */
    }
    if (head < r->confirmations || (r->f->block != 0 && !r->reorg &&
                                    head - r->confirmations == r->f->block)) {
        feed_rpc_later(r, FEED_RPC_POLL_MS); /* nothing new */
        return;
    }
    /* a new block, or fewer than before (a reorg): read it */
    r->target = head - r->confirmations;
    {
        uint64_t from = r->reorg           ? r->reorg_from
                        : r->f->block != 0 ? r->f->block + 1
                        : r->start != 0    ? r->start + 1
                                           : r->target;

        if (from > r->target)
            from = r->target;
        if (r->target - from > FEED_RPC_LOG_SPAN)
            from = r->target - FEED_RPC_LOG_SPAN;
        r->log_from = from;
        /* a node that refused a wider range of logs: the blocks are
         * followed that many at a time until the head is reached */
        if (r->log_span == 0)
            r->log_span = FEED_RPC_LOG_SPAN;
        r->behind = r->target - from >= r->log_span;
        if (r->behind)
            r->target = from + r->log_span - 1;
    }
    eth_quantity(tag, sizeof(tag), r->target);
    rpc_batch_reset(&r->b);
    snprintf(params, sizeof(params), "[\"%s\",false]", tag);
    rpc_batch_add(&r->b, "eth_getBlockByNumber", "eth_getBlockByNumber",
                  params);
    for (size_t i = 0; i < r->nm; i++) {
        struct abi_call c;

        abi_call_init(&c, ETH_SEL_ORACLE_PRICE);
        eth_call_add(&r->b, "price()", r->m[i].oracle, &c, tag);
    }
    if (r->aave.on)
        feed_rpc_aave_calls(r, tag);
    if (r->comp.on)
        feed_rpc_comp_calls(r, tag);
    feed_rpc_chain_calls(r, tag, r->log_from);
    r->deep_item = 0;
    if (r->reorg) {
        eth_quantity(tag, sizeof(tag), r->reorg_from);
        snprintf(params, sizeof(params), "[\"%s\",false]", tag);
        r->deep_item = rpc_batch_add(&r->b, "eth_getBlockByNumber",
                                     "eth_getBlockByNumber", params);
    }
    if (rpc_send(r->rpc, &r->b, feed_rpc_prices_cb, r) != 0)
        feed_rpc_failed(r, r->b.error);
}

/* Once: the chain id must be the markets', and each market's oracle. */
static void
feed_rpc_resolve_cb(void *arg, struct rpc_batch *b)
{
    struct feed_rpc *r = arg;
    uint64_t chain;
    uint8_t buf[160];

    if (r->f->stopping)
        return;
    if (rpc_batch_failed(b)) {
        feed_rpc_failed(r, b->error);
        return;
    }
    if (!eth_result_quantity(&b->item[0], &chain)) {
        feed_rpc_failed(r, "eth_chainId: not a quantity");
        return;
    }
    for (size_t i = 0; i < r->nm; i++) {
        char msg[160];

        if (r->m[i].chain_id != chain) {
            snprintf(msg, sizeof(msg),
                     "the node is chain %llu, market %.40s... chain %llu",
                     (unsigned long long)chain, r->m[i].id,
                     (unsigned long long)r->m[i].chain_id);
            feed_rpc_failed(r, msg);
            return;
        }
        if (eth_result_bytes(&b->item[1 + i], buf, sizeof(buf)) != 160 ||
            abi_address(buf, 160, 2, r->m[i].oracle) != 0) {
            snprintf(msg, sizeof(msg),
                     "idToMarketParams: no market %.40s... (no contract?)",
                     r->m[i].id);
            feed_rpc_failed(r, msg);
            return;
        }
        memcpy(r->m[i].params, buf, 160);
    }
    if (r->aave.on && !feed_rpc_aave_first_answers(r, b, 1 + r->nm, chain))
        return;
    if (r->comp.on && !feed_rpc_comp_first_answers(r, b, 0, chain))
        return;
    r->resolved = !r->aave.on;
    feed_rpc_later(r, 0);
}

static void
feed_rpc_poll(uv_timer_t *t)
{
    struct feed_rpc *r = t->data;

    if (r->f->stopping || rpc_busy(r->rpc))
        return;
    rpc_batch_reset(&r->b);
    if (!r->resolved && r->aave.stage > 0) {
        feed_rpc_aave_resolve(r);
        return;
    }
    if (!r->resolved) {
        rpc_batch_add(&r->b, "eth_chainId", "eth_chainId", "[]");
        for (size_t i = 0; i < r->nm; i++) {
            struct abi_call c;

            abi_call_init(&c, ETH_SEL_MORPHO_PARAMS);
            abi_put_bytes32(&c, r->m[i].mid);
            eth_call_add(&r->b, "idToMarketParams", r->morpho, &c, "latest");
        }
        if (r->aave.on)
            feed_rpc_aave_first_calls(r);
        if (r->comp.on)
            feed_rpc_comp_first_calls(r);
        if (rpc_send(r->rpc, &r->b, feed_rpc_resolve_cb, r) != 0)
            feed_rpc_failed(r, r->b.error);
        return;
    }
    rpc_batch_add(&r->b, "eth_blockNumber", "eth_blockNumber", "[]");
    if (r->f->block != 0) { /* is the block applied last still there? */
        char tag[24], params[64];

        eth_quantity(tag, sizeof(tag), r->f->block);
        snprintf(params, sizeof(params), "[\"%s\",false]", tag);
        rpc_batch_add(&r->b, "eth_getBlockByNumber", "eth_getBlockByNumber",
                      params);
    }
    if (rpc_send(r->rpc, &r->b, feed_rpc_head_cb, r) != 0)
        feed_rpc_failed(r, r->b.error);
}

static int
feed_rpc_start(struct feed *f)
{
    struct feed_rpc *r = f->impl;
    struct rpc_opts o = {10000, (size_t)16 << 20, 1, FEED_RPC_MAX_CALLS};
    int rc;

    if ((rc = rpc_new(&r->rpc, f->loop, r->url, &o)) != 0)
        return rc;
    uv_timer_init(f->loop, &r->timer);
    r->timer.data = r;
    r->timer_open = true;
    feed_set_state(f, FEED_CONNECTING);
    feed_rpc_later(r, 0);
    return 0;
}

static void
feed_rpc_stop(struct feed *f)
{
    struct feed_rpc *r = f->impl;

    if (r->rpc != NULL)
        rpc_close(r->rpc);
    if (r->timer_open) {
        uv_timer_stop(&r->timer);
        uv_close((uv_handle_t *)&r->timer, NULL);
        r->timer_open = false;
    }
}

static void
feed_rpc_free(struct feed *f)
{
    struct feed_rpc *r = f->impl;

    rpc_free(r->rpc);
    rpc_batch_done(&r->b);
    free(r->touch);
    free(r->rd);
    free(r);
}

static const struct feed_ops feed_rpc_ops = {
    .name = "rpc",
    .start = feed_rpc_start,
    .stop = feed_rpc_stop,
    .free = feed_rpc_free,
};

/* The portfolio's Morpho markets and its "chain" object. */
static int
feed_rpc_config(struct feed_rpc *r, const struct feed_env *env, char *err,
                size_t errlen)
{
    FILE *fp;
    char *text = NULL;
    long n;
    cJSON *root = NULL;
    const cJSON *chain, *morpho, *mk;
    int rc = LIQ_EINVAL;

    if (env->portfolio == NULL || strcmp(env->portfolio, "-") == 0) {
        snprintf(err, errlen,
                 "--feed rpc: needs a portfolio file written by "
                 "liqtop import");
        return LIQ_EINVAL;
    }
    fp = fopen(env->portfolio, "rb");
    if (fp == NULL || fseek(fp, 0, SEEK_END) != 0 || (n = ftell(fp)) < 0 ||
        fseek(fp, 0, SEEK_SET) != 0) {
        snprintf(err, errlen, "--feed rpc: %s: cannot read", env->portfolio);
        if (fp != NULL)
            fclose(fp);
        return LIQ_EIO;
    }
    text = malloc((size_t)n + 1);
    if (text == NULL)
        abort();
    if (fread(text, 1, (size_t)n, fp) != (size_t)n) {
        snprintf(err, errlen, "--feed rpc: %s: cannot read", env->portfolio);
        goto out;
    }
    root = cJSON_ParseWithLength(text, (size_t)n);
    chain = cJSON_GetObjectItemCaseSensitive(root, "chain");
    morpho = cJSON_GetObjectItemCaseSensitive(chain, "morpho");
    if (!cJSON_IsObject(chain)) {
        snprintf(err, errlen,
                 "--feed rpc: %s: no \"chain\" object (write the portfolio "
                 "with liqtop import)",
                 env->portfolio);
        goto out;
    }
    if (morpho != NULL &&
        (!cJSON_IsString(morpho) ||
         !abi_parse_address(morpho->valuestring, r->morpho))) {
        snprintf(err, errlen, "--feed rpc: %s: chain.morpho: not an address",
                 env->portfolio);
        goto out;
    }
    {
        const cJSON *ab = cJSON_GetObjectItemCaseSensitive(root, "as_of_block");

        if (cJSON_IsNumber(ab) && ab->valuedouble > 0)
            r->start = (uint64_t)ab->valuedouble;
    }
    if ((rc = feed_rpc_aave_config(r, root, env->portfolio, err, errlen)) !=
            0 ||
        (rc = feed_rpc_comp_config(r, root, env->portfolio, err, errlen)) != 0)
        goto out;
    rc = LIQ_EINVAL;
    cJSON_ArrayForEach(mk, cJSON_GetObjectItemCaseSensitive(root, "markets"))
    {
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(mk, "id");
        const cJSON *as = cJSON_GetObjectItemCaseSensitive(mk, "assets");
        const cJSON *a0 = cJSON_GetArrayItem(as, 0),
                    *a1 = cJSON_GetArrayItem(as, 1);
        const cJSON *s0 = cJSON_GetObjectItemCaseSensitive(a0, "symbol");
        const cJSON *s1 = cJSON_GetObjectItemCaseSensitive(a1, "symbol");
        const cJSON *d0 = cJSON_GetObjectItemCaseSensitive(a0, "decimals");
        const cJSON *d1 = cJSON_GetObjectItemCaseSensitive(a1, "decimals");
        struct feed_rpc_market *m = &r->m[r->nm];
        unsigned long long cid;
        char hex[67];

        if (!cJSON_IsString(id) ||
            strncmp(id->valuestring, "morpho-blue:", 12) != 0)
            continue;
        if (morpho == NULL) {
            snprintf(err, errlen, "--feed rpc: %s: no chain.morpho address",
                     env->portfolio);
            goto out;
        }
        if (r->nm == FEED_RPC_MARKETS || !cJSON_IsString(s0) ||
            !cJSON_IsString(s1) || !cJSON_IsNumber(d0) || !cJSON_IsNumber(d1) ||
            sscanf(id->valuestring, "morpho-blue:%llu:%66s", &cid, hex) != 2 ||
            !abi_parse_bytes32(hex, m->mid)) {
            snprintf(err, errlen,
                     "--feed rpc: %s: market %.80s: not as liqtop "
                     "import writes it",
                     env->portfolio, id->valuestring);
            goto out;
        }
        snprintf(m->id, sizeof(m->id), "%s", id->valuestring);
        m->chain_id = cid;
        snprintf(m->coll, sizeof(m->coll), "%s", s0->valuestring);
        snprintf(m->loan, sizeof(m->loan), "%s", s1->valuestring);
        m->coll_dec = (unsigned)d0->valuedouble;
        m->loan_dec = (unsigned)d1->valuedouble;
        m->price_line = true;
        for (size_t k = 0; k < r->nm; k++)
            if (strcmp(r->m[k].coll, m->coll) == 0)
                m->price_line = false;
        m->loan_px = u256_exp10(PRICE_DECIMALS);
        for (size_t k = 0; k < env->nsymbols; k++)
            if (strcmp(env->symbols[k].symbol, m->loan) == 0)
                m->loan_px = env->symbols[k].price_e18;
        r->nm++;
    }
    if (r->nm == 0 && !r->aave.on && !r->comp.on) {
        snprintf(err, errlen,
                 "--feed rpc: %s: no morpho-blue, aave-v3 or compound-v2 "
                 "market",
                 env->portfolio);
        goto out;
    }
    rc = 0;
out:
    cJSON_Delete(root);
    free(text);
    fclose(fp);
    return rc;
}

int
feed_rpc_new(struct feed *f, const char *arg, const struct feed_env *env,
             char *err, size_t errlen)
{
    struct feed_rpc *r = calloc(1, sizeof(*r));
    struct line_result *probe;
    int rc;

    if (r == NULL)
        abort();
    if (strncmp(arg, "http://", 7) != 0 && strncmp(arg, "https://", 8) != 0) {
        snprintf(err, errlen, "--feed rpc:%s: expected rpc:http://HOST:PORT",
                 arg);
        free(r);
        return LIQ_EINVAL;
    }
    snprintf(r->url, sizeof(r->url), "%s", arg);
    r->confirmations = env->confirmations;
    if ((rc = feed_rpc_config(r, env, err, errlen)) != 0) {
        free(r);
        return rc;
    }
    /* Oracle lines only where the line parser knows them (else each
     * would be counted malformed); the collateral's price always goes. */
    probe = malloc(sizeof(*probe));
    if (probe == NULL)
        abort();
    {
        char line[256];

        snprintf(line, sizeof(line), "{\"oracle\": {\"%s\": \"1\"}}",
                 r->nm > 0 ? r->m[0].id : "x");
        line_parse(line, strlen(line), probe);
        r->oracle_ok = probe->nrejects == 0;
    }
    free(probe);
    rpc_batch_init(&r->b);
    r->f = f;
    f->impl = r;
    f->ops = &feed_rpc_ops;
    return 0;
}
