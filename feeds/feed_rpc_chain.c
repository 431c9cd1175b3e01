/*
 * feed_rpc_chain.c: the rpc: source's reading of what a block changed
 * (design.md section 5): the pool's, aTokens' and Morpho's logs since the
 * last block applied, the users and markets they touched read again at
 * the block (Aave's part in feed_rpc_aave.c), then told to the book
 * through the feed's chain callbacks: each market's new time and state,
 * each position as liqtop import writes it. The recent blocks' hashes are
 * kept: when one at a height already applied changes (a reorg), the
 * logs of the window are read again on the new chain and what the
 * replaced blocks touched is read again too; when the oldest block kept
 * changed as well (a fork older than the window), every market and
 * position the book holds is read again at the new head.
 *
 * Must not block the loop and must not tell the book of a block it could
 * not read whole: a node error is shown and the block read again later.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/decimal.h"
#include "core/liq.h"
#include "feeds/abi.h"
#include "feeds/eth.h"
#include "feeds/feed_rpc.h"

/* Morpho's events: the user's topic, 0 for the market alone. */
static const struct {
    const char *topic;
    int user;
} feed_rpc_morpho_events[] = {
    {ETH_TOPIC_MORPHO_SUPPLY, 3},
    {ETH_TOPIC_MORPHO_WITHDRAW, 2},
    {ETH_TOPIC_MORPHO_BORROW, 2},
    {ETH_TOPIC_MORPHO_REPAY, 3},
    {ETH_TOPIC_MORPHO_SUPPLY_COLLATERAL, 3},
    {ETH_TOPIC_MORPHO_WITHDRAW_COLLATERAL, 2},
    {ETH_TOPIC_MORPHO_LIQUIDATE, 3},
    {ETH_TOPIC_MORPHO_ACCRUE_INTEREST, 0},
};
#define FEED_RPC_NMORPHO_EVENTS                                                \
    (sizeof(feed_rpc_morpho_events) / sizeof(feed_rpc_morpho_events[0]))

void
feed_rpc_touch_add(struct feed_rpc *r, uint8_t kind, uint16_t index,
                   const uint8_t addr[20])
{
    struct feed_rpc_touch *t;

    if (r->ntouch == r->captouch) {
        r->captouch = r->captouch == 0 ? 256 : r->captouch * 2;
        r->touch = realloc(r->touch, r->captouch * sizeof(*r->touch));
        if (r->touch == NULL)
            abort();
    }
    t = &r->touch[r->ntouch++];
    t->height = r->log_height;
    t->kind = kind;
    t->index = index;
    memcpy(t->addr, addr, 20);
}

static int
feed_rpc_touch_cmp(const void *pa, const void *pb)
{
    const struct feed_rpc_touch *a = pa, *b = pb;

    if (a->kind != b->kind)
        return a->kind < b->kind ? -1 : 1;
    if (a->index != b->index)
        return a->index < b->index ? -1 : 1;
    return memcmp(a->addr, b->addr, 20);
}

void
feed_rpc_chain_calls(struct feed_rpc *r, const char *tag, uint64_t from)
{
    cJSON *p = cJSON_CreateArray(), *o = cJSON_CreateObject();
    cJSON *addr = cJSON_CreateArray(), *topics = cJSON_CreateArray();
    cJSON *t0 = cJSON_CreateArray();
    char q[24], *text;

    eth_quantity(q, sizeof(q), from);
    cJSON_AddStringToObject(o, "fromBlock", q);
    cJSON_AddStringToObject(o, "toBlock", tag);
    if (r->nm > 0) {
        char hex[43];

        abi_hex_encode(hex, r->morpho, 20);
        cJSON_AddItemToArray(addr, cJSON_CreateString(hex));
        for (size_t e = 0; e < FEED_RPC_NMORPHO_EVENTS; e++)
            cJSON_AddItemToArray(
                t0, cJSON_CreateString(feed_rpc_morpho_events[e].topic));
    }
    if (r->aave.on) {
        static const char *const aave[] = {
            ETH_TOPIC_AAVE_SUPPLY,          ETH_TOPIC_AAVE_WITHDRAW,
            ETH_TOPIC_AAVE_BORROW,          ETH_TOPIC_AAVE_REPAY,
            ETH_TOPIC_AAVE_LIQUIDATION,     ETH_TOPIC_AAVE_COLL_ENABLED,
            ETH_TOPIC_AAVE_COLL_DISABLED,   ETH_TOPIC_AAVE_EMODE_SET,
            ETH_TOPIC_AAVE_RESERVE_UPDATED, ETH_TOPIC_ATOKEN_BALANCE_TRANSFER,
        };

        feed_rpc_aave_addresses(r, addr);
        for (size_t e = 0; e < sizeof(aave) / sizeof(aave[0]); e++)
            cJSON_AddItemToArray(t0, cJSON_CreateString(aave[e]));
    }
    if (r->comp.on)
        feed_rpc_comp_addresses(r, addr, t0);
    cJSON_AddItemToObject(o, "address", addr);
    cJSON_AddItemToArray(topics, t0);
    cJSON_AddItemToObject(o, "topics", topics);
    cJSON_AddItemToArray(p, o);
    text = cJSON_PrintUnformatted(p);
    if (text == NULL)
        abort();
    r->logs_item = rpc_batch_add(&r->b, "eth_getLogs", "eth_getLogs", text);
    free(text);
    cJSON_Delete(p);
}

/* The logs of the read: each one's touches. */
static bool
feed_rpc_chain_logs(struct feed_rpc *r, const cJSON *logs)
{
    const cJSON *log;

    if (!cJSON_IsArray(logs)) {
        feed_rpc_failed(r, "eth_getLogs: not an array");
        return false;
    }
    cJSON_ArrayForEach(log, logs)
    {
        const cJSON *a = cJSON_GetObjectItemCaseSensitive(log, "address");
        const cJSON *topics = cJSON_GetObjectItemCaseSensitive(log, "topics");
        const cJSON *bn = cJSON_GetObjectItemCaseSensitive(log, "blockNumber");
        const cJSON *t0 = cJSON_GetArrayItem(topics, 0);
        const cJSON *t1 = cJSON_GetArrayItem(topics, 1);
        uint8_t addr[20], w[32], u[20];
        char topic[67];

        if (!cJSON_IsString(a) || !abi_parse_address(a->valuestring, addr) ||
            !cJSON_IsString(t0) || strlen(t0->valuestring) != 66 ||
            !cJSON_IsString(bn) ||
            !abi_parse_quantity(bn->valuestring, &r->log_height)) {
            feed_rpc_failed(r, "eth_getLogs: a log without address, topic "
                               "or block");
            return false;
        }
        for (size_t k = 0; k < 67; k++)
            topic[k] =
                (char)(t0->valuestring[k] >= 'A' && t0->valuestring[k] <= 'F'
                           ? t0->valuestring[k] + 32
                           : t0->valuestring[k]);
        if (r->aave.on)
            feed_rpc_aave_log(r, topic, addr, topics);
        if (r->comp.on)
            feed_rpc_comp_log(r, topic, addr, log);
        if (r->nm == 0 || memcmp(addr, r->morpho, 20) != 0 ||
            !cJSON_IsString(t1) || !abi_parse_bytes32(t1->valuestring, w))
            continue;
        for (size_t i = 0; i < r->nm; i++) {
            if (memcmp(r->m[i].mid, w, 32) != 0)
                continue;
            for (size_t e = 0; e < FEED_RPC_NMORPHO_EVENTS; e++) {
                const cJSON *tu;

                if (strcmp(topic, feed_rpc_morpho_events[e].topic) != 0)
                    continue;
                feed_rpc_touch_add(r, FEED_RPC_MORPHO_MARKET, (uint16_t)i, w);
                tu = cJSON_GetArrayItem(topics, feed_rpc_morpho_events[e].user);
                if (feed_rpc_morpho_events[e].user > 0 && cJSON_IsString(tu) &&
                    abi_parse_bytes32(tu->valuestring, w) &&
                    abi_address(w, 32, 0, u) == 0)
                    feed_rpc_touch_add(r, FEED_RPC_MORPHO_USER, (uint16_t)i, u);
            }
        }
    }
    return true;
}

/* What to read now, each once: this read's touches, and after a reorg
 * every touch of the window. */
static void
feed_rpc_chain_plan(struct feed_rpc *r, bool replay, uint64_t from)
{
    free(r->rd);
    r->rd = malloc((r->ntouch + 1) * sizeof(*r->rd));
    if (r->rd == NULL)
        abort();
    r->nrd = 0;
    if (r->f->block == 0 || replay) { /* the first block: every state */
        for (size_t j = 0; j < r->aave.nfound; j++)
            r->aave.changed[j] = true;
        for (size_t k = 0; k < r->nm; k++)
            r->m[k].changed = true;
    }
    for (size_t i = 0; i < r->ntouch; i++) {
        const struct feed_rpc_touch *t = &r->touch[i];

        if (i < r->read_from && !(replay && t->height >= from))
            continue;
        if (t->kind == FEED_RPC_AAVE_RESERVE) {
            r->aave.changed[t->index] = true;
            continue;
        }
        if (t->kind == FEED_RPC_MORPHO_MARKET) {
            r->m[t->index].changed = true;
            continue;
        }
        r->rd[r->nrd++] = *t;
    }
    /* each user once: sorted, the repeats dropped */
    qsort(r->rd, r->nrd, sizeof(*r->rd), feed_rpc_touch_cmp);
    size_t n = 0;
    for (size_t i = 0; i < r->nrd; i++)
        if (n == 0 || feed_rpc_touch_cmp(&r->rd[n - 1], &r->rd[i]) != 0)
            r->rd[n++] = r->rd[i];
    r->nrd = n;
}

static void
feed_rpc_chain_finish(struct feed_rpc *r)
{
    struct feed *f = r->f;
    size_t slot = r->target % FEED_RPC_RING;

    for (size_t i = 0; i < r->nm; i++) {
        struct feed_rpc_market *m = &r->m[i];
        struct feed_chain_market cm;

        memset(&cm, 0, sizeof(cm));
        cm.market = m->id;
        cm.block = r->target;
        cm.as_of = r->target_ts;
        if (m->changed) {
            cm.has_state = true;
            cm.supply_assets = m->state[0];
            cm.supply_shares = m->state[1];
            cm.borrow_assets = m->state[2];
            cm.borrow_shares = m->state[3];
            cm.last_update = (int64_t)m->state[4].w[0];
            cm.fee = m->state[5];
            cm.borrow_rate = m->rate;
        }
        m->changed = false;
        if (f->cbs.chain_market != NULL)
            f->cbs.chain_market(f->cbs.arg, f, &cm);
    }
    for (size_t j = 0; j < r->aave.nfound; j++)
        r->aave.changed[j] = false;
    /* a shorter chain now, or a block older than the touches kept */
    for (size_t i = 0; i < FEED_RPC_RING; i++)
        if (r->ring_h[i] > r->target ||
            r->ring_h[i] + FEED_RPC_RING <= r->target)
            r->ring_h[i] = 0;
    r->ring_h[slot] = r->target;
    memcpy(r->ring_hash[slot], r->target_hash, 32);
    /* touches older than the window of hashes kept are never read again */
    {
        size_t n = 0;

        for (size_t i = 0; i < r->ntouch; i++)
            if (r->touch[i].height + FEED_RPC_RING > r->target)
                r->touch[n++] = r->touch[i];
        r->ntouch = n;
    }
    r->read_from = r->ntouch;
    r->reorg = false;
    f->block = r->target;
    f->block_time = r->target_ts;
    f->error[0] = '\0';
    feed_backoff_reset(f);
    feed_set_state(f, FEED_LIVE);
    if (r->comp.on)
        feed_rpc_comp_commit(r);
    if (r->deep) {
        r->deep = false;
        f->deep_reorgs++;
        snprintf(f->error, sizeof(f->error),
                 "%.120s: a reorg deeper than the %d blocks kept: every "
                 "market and position of the book read again at block %llu",
                 f->spec, FEED_RPC_RING, (unsigned long long)r->target);
        feed_note_error(f);
    }
    feed_rpc_later(r, r->behind ? 0 : FEED_RPC_POLL_MS);
}

/* The IRM's rates at the states just read. */
static void
feed_rpc_chain_rates_cb(void *arg, struct rpc_batch *b)
{
    struct feed_rpc *r = arg;
    uint8_t buf[32];
    size_t n = 0;

    if (r->f->stopping)
        return;
    if (rpc_batch_failed(b)) {
        feed_rpc_failed(r, b->error);
        return;
    }
    for (size_t i = 0; i < r->nm; i++) {
        if (!r->m[i].changed)
            continue;
        if (eth_result_bytes(&b->item[n++], buf, 32) != 32 ||
            abi_word(buf, 32, 0, &r->m[i].rate) != 0) {
            feed_rpc_failed(r, "borrowRateView: not one word");
            return;
        }
    }
    feed_rpc_chain_finish(r);
}

static void
feed_rpc_chain_reads_cb(void *arg, struct rpc_batch *b)
{
    struct feed_rpc *r = arg;
    uint8_t buf[192];
    size_t i = 0;
    bool rates = false;

    if (r->f->stopping)
        return;
    if (rpc_batch_failed(b)) {
        feed_rpc_failed(r, b->error);
        return;
    }
    if (r->aave.on && !feed_rpc_aave_answers(r, b, &i))
        return;
    if (r->comp.on && !feed_rpc_comp_answers(r, b))
        return;
    for (size_t k = 0; k < r->nm; k++) {
        if (!r->m[k].changed)
            continue;
        for (size_t w = 0; w < 6; w++)
            if (eth_result_bytes(&b->item[i], buf, sizeof(buf)) != 192 ||
                abi_uint(buf, 192, w, 128, &r->m[k].state[w]) != 0) {
                feed_rpc_failed(r, "market(): not six uint128");
                return;
            }
        i++;
    }
    for (size_t t = 0; t < r->nrd; t++) {
        const struct feed_rpc_market *m;
        struct u256 shares, coll;
        char hex[43], mid[67], dec[DECIMAL_BUF], text[768], sh[DECIMAL_BUF];
        int len;

        if (r->rd[t].kind != FEED_RPC_MORPHO_USER)
            continue;
        m = &r->m[r->rd[t].index];
        if (eth_result_bytes(&b->item[i++], buf, sizeof(buf)) != 96 ||
            abi_uint(buf, 96, 1, 128, &shares) != 0 ||
            abi_uint(buf, 96, 2, 128, &coll) != 0) {
            feed_rpc_failed(r, "position(): not (uint256, uint128, uint128)");
            return;
        }
        abi_hex_encode(hex, r->rd[t].addr, 20);
        abi_hex_encode(mid, m->mid, 32);
        decimal_format(dec, sizeof(dec), coll, m->coll_dec);
        decimal_format_int(sh, sizeof(sh), shares);
        len = snprintf(text, sizeof(text),
                       "{\"id\": \"%s:%s\", \"market\": \"%s\", "
                       "\"collateral\": {\"%s\": \"%s\"}, "
                       "\"borrow_shares\": \"%s\"}",
                       hex, mid, m->id, m->coll, dec, sh);
        if (r->f->cbs.chain_position != NULL && len > 0)
            r->f->cbs.chain_position(r->f->cbs.arg, r->f, text, (size_t)len);
    }
    rpc_batch_reset(&r->b);
    for (size_t k = 0; k < r->nm; k++) {
        const struct feed_rpc_market *m = &r->m[k];
        struct abi_call c;
        char tag[24];
        uint8_t irm[20];

        if (!m->changed)
            continue;
        abi_address(m->params, 160, 3, irm);
        if (memcmp(irm, (uint8_t[20]){0}, 20) == 0) {
            /* no IRM: no interest */
            continue;
        }
        eth_quantity(tag, sizeof(tag), r->target);
        abi_call_init(&c, ETH_SEL_IRM_BORROW_RATE_VIEW);
        for (size_t w = 0; w < 5; w++) {
            struct u256 v;

            abi_word(m->params, 160, w, &v);
            abi_put_word(&c, v);
        }
        for (size_t w = 0; w < 6; w++)
            abi_put_word(&c, m->state[w]);
        eth_call_add(&r->b, "borrowRateView", irm, &c, tag);
        rates = true;
    }
    if (!rates) {
        feed_rpc_chain_finish(r);
        return;
    }
    if (rpc_send(r->rpc, &r->b, feed_rpc_chain_rates_cb, r) != 0)
        feed_rpc_failed(r, r->b.error);
}

/* A position id of the book (chain_ids): a user to read again. */
static void
feed_rpc_chain_id(void *ctx, const char *id)
{
    struct feed_rpc *r = ctx;
    char addr[43];
    uint8_t u[20];

    /* Aave, Compound: the address; Morpho: "<address>:<market id>" */
    if (strlen(id) < 42)
        return;
    memcpy(addr, id, 42);
    addr[42] = '\0';
    if (!abi_parse_address(addr, u))
        return;
    if (r->ids_market == -2)
        feed_rpc_touch_add(r, FEED_RPC_COMP_USER, 0, u);
    else if (r->ids_market < 0)
        feed_rpc_touch_add(r, FEED_RPC_AAVE_USER, 0, u);
    else if (id[42] == ':')
        feed_rpc_touch_add(r, FEED_RPC_MORPHO_USER, (uint16_t)r->ids_market, u);
}

/* After a reorg: is the oldest block kept still the chain's? If not, the
 * fork is older than every block whose touches were kept, and what the
 * replaced blocks changed is unknown: every position the book holds in
 * the feed's markets is read again (their markets always are). */
static void
feed_rpc_chain_deep(struct feed_rpc *r, struct rpc_batch *b)
{
    const cJSON *h = NULL;
    uint8_t hash[32];

    r->deep = false;
    if (!r->reorg || r->deep_item == 0 || r->deep_item >= b->n)
        return;
    h = cJSON_GetObjectItemCaseSensitive(b->item[r->deep_item].result, "hash");
    if (cJSON_IsString(h) && abi_parse_bytes32(h->valuestring, hash) &&
        memcmp(hash, r->reorg_hash, 32) == 0)
        return;
    r->deep = true;
    if (r->f->cbs.chain_ids == NULL)
        return;
    r->log_height = r->target;
    if (r->aave.on) {
        r->ids_market = -1;
        r->f->cbs.chain_ids(r->f->cbs.arg, r->f, r->aave.market_id, NULL,
                            feed_rpc_chain_id, r);
    }
    if (r->comp.on) {
        r->ids_market = -2;
        r->f->cbs.chain_ids(r->f->cbs.arg, r->f, r->comp.market_id, NULL,
                            feed_rpc_chain_id, r);
    }
    for (size_t i = 0; i < r->nm; i++) {
        r->ids_market = (int)i;
        r->f->cbs.chain_ids(r->f->cbs.arg, r->f, r->m[i].id, NULL,
                            feed_rpc_chain_id, r);
    }
}

void
feed_rpc_chain_block(struct feed_rpc *r, struct rpc_batch *b)
{
    const cJSON *blk = b->item[0].result;
    const cJSON *hash = cJSON_GetObjectItemCaseSensitive(blk, "hash");
    char tag[24];
    size_t keep = r->ntouch;

    if (!cJSON_IsString(hash) ||
        !abi_parse_bytes32(hash->valuestring, r->target_hash)) {
        feed_rpc_failed(r, "eth_getBlockByNumber: no hash");
        return;
    }
    r->ntouch = r->read_from; /* a read tried again starts afresh */
    keep = r->ntouch;
    if (!feed_rpc_chain_logs(r, b->item[r->logs_item].result)) {
        r->ntouch = keep; /* read again whole */
        return;
    }
    feed_rpc_chain_deep(r, b);
    if (r->comp.on)
        feed_rpc_comp_debtors(r, feed_rpc_chain_id);
    feed_rpc_chain_plan(r, r->reorg, r->reorg_from);
    eth_quantity(tag, sizeof(tag), r->target);
    rpc_batch_reset(&r->b);
    if (r->aave.on)
        feed_rpc_aave_reads(r, tag);
    for (size_t k = 0; k < r->nm; k++) {
        struct abi_call c;

        if (!r->m[k].changed)
            continue;
        abi_call_init(&c, ETH_SEL_MORPHO_MARKET);
        abi_put_bytes32(&c, r->m[k].mid);
        eth_call_add(&r->b, "market()", r->morpho, &c, tag);
    }
    for (size_t t = 0; t < r->nrd; t++) {
        struct abi_call c;

        if (r->rd[t].kind != FEED_RPC_MORPHO_USER)
            continue;
        abi_call_init(&c, ETH_SEL_MORPHO_POSITION);
        abi_put_bytes32(&c, r->m[r->rd[t].index].mid);
        abi_put_address(&c, r->rd[t].addr);
        eth_call_add(&r->b, "position()", r->morpho, &c, tag);
    }
    if (r->comp.on)
        feed_rpc_comp_reads(r, tag);
    if (r->b.n == 0) {
        struct rpc_batch none;

        memset(&none, 0, sizeof(none));
        feed_rpc_chain_reads_cb(r, &none);
        return;
    }
    if (rpc_send(r->rpc, &r->b, feed_rpc_chain_reads_cb, r) != 0)
        feed_rpc_failed(r, r->b.error);
}
