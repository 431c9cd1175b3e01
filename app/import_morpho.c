/*
 * import_morpho.c: Morpho Blue read from the chain for liqtop import:
 * per market idToMarketParams, market (the state design.md section 3.1
 * names), the oracle's price, the IRM's borrowRateView on that state, the
 * two tokens' decimals and symbols; the borrowers from Borrow logs
 * (topic 1 the market id, topic 2 onBehalf); and position() for each user.
 *
 * Must not write output (import.c does, whole) and must not guess: a
 * missing contract, a market that does not exist or an answer of the
 * wrong size is an error naming the call.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/import.h"
#include "core/decimal.h"
#include "core/liq.h"
#include "feeds/abi.h"
#include "feeds/eth.h"

#define IMPORT_MORPHO_CHUNK                                                    \
    50 /* position() calls a batch (nodes cap batches) */

struct import_morpho_market {
    uint8_t id[32];
    char id_hex[67];
    char market_id[128];
    uint8_t loan[20], coll[20], oracle[20], irm[20];
    struct u256 lltv;
    struct u256 state[6]; /* supply assets, supply shares, borrow assets,
                             borrow shares, last update, fee */
    unsigned loan_dec, coll_dec;
    char loan_sym[24], coll_sym[24];
};

static int
import_morpho_market(struct import *im, struct import_morpho_market *m)
{
    struct rpc_batch b;
    struct abi_call c;
    uint8_t *buf = malloc(ETH_RESULT_MAX);
    char label[RPC_LABEL_MAX], raw_sym[2][64];
    const uint8_t *tok[2];
    struct u256 v, price, rate = u256_zero();
    bool has_irm;
    int rc = LIQ_EIO;

    if (buf == NULL)
        abort();
    rpc_batch_init(&b);
    abi_hex_encode(m->id_hex, m->id, 32);
    snprintf(m->market_id, sizeof(m->market_id), "morpho-blue:%llu:%s",
             (unsigned long long)im->chain_id, m->id_hex);
    snprintf(label, sizeof(label), "idToMarketParams(%.20s...)", m->id_hex);
    abi_call_init(&c, ETH_SEL_MORPHO_PARAMS);
    abi_put_bytes32(&c, m->id);
    eth_call_add(&b, label, im->morpho, &c, im->tag);
    snprintf(label, sizeof(label), "market(%.20s...)", m->id_hex);
    abi_call_init(&c, ETH_SEL_MORPHO_MARKET);
    abi_put_bytes32(&c, m->id);
    eth_call_add(&b, label, im->morpho, &c, im->tag);
    if (import_batch(im, &b) != 0)
        goto out;
    if (import_bytes(im, &b, 0, buf, 5 * 32) < 0)
        goto out;
    if (abi_address(buf, 160, 0, m->loan) != 0 ||
        abi_address(buf, 160, 1, m->coll) != 0 ||
        abi_address(buf, 160, 2, m->oracle) != 0 ||
        abi_address(buf, 160, 3, m->irm) != 0 ||
        abi_word(buf, 160, 4, &m->lltv) != 0) {
        import_fail(im, b.item[0].label, "not five addresses/words");
        goto out;
    }
    if (u256_is_zero(m->lltv) && memcmp(m->loan, (uint8_t[20]){0}, 20) == 0) {
        char msg[160];

        snprintf(msg, sizeof(msg), "market %s does not exist at block %llu",
                 m->id_hex, (unsigned long long)im->block);
        snprintf(im->err, sizeof(im->err), "%s", msg);
        goto out;
    }
    if (import_bytes(im, &b, 1, buf, 6 * 32) < 0)
        goto out;
    for (size_t i = 0; i < 6; i++)
        if (abi_uint(buf, 192, i, 128, &m->state[i]) != 0) {
            import_fail(im, b.item[1].label, "not six uint128");
            goto out;
        }
    /* the tokens, the oracle and the rate at this state */
    rpc_batch_reset(&b);
    tok[0] = m->coll;
    tok[1] = m->loan;
    for (size_t t = 0; t < 2; t++) {
        char hex[43];

        abi_hex_encode(hex, tok[t], 20);
        snprintf(label, sizeof(label), "decimals() of %s", hex);
        abi_call_init(&c, ETH_SEL_DECIMALS);
        eth_call_add(&b, label, tok[t], &c, im->tag);
        snprintf(label, sizeof(label), "symbol() of %s", hex);
        abi_call_init(&c, ETH_SEL_SYMBOL);
        eth_call_add(&b, label, tok[t], &c, im->tag);
    }
    {
        char hex[43];

        abi_hex_encode(hex, m->oracle, 20);
        snprintf(label, sizeof(label), "price() of oracle %s", hex);
    }
    abi_call_init(&c, ETH_SEL_ORACLE_PRICE);
    eth_call_add(&b, label, m->oracle, &c, im->tag);
    has_irm = memcmp(m->irm, (uint8_t[20]){0}, 20) != 0;
    if (has_irm) {
        char hex[43];

        abi_hex_encode(hex, m->irm, 20);
        snprintf(label, sizeof(label), "borrowRateView of IRM %s", hex);
        abi_call_init(&c, ETH_SEL_IRM_BORROW_RATE_VIEW);
        abi_put_address(&c, m->loan);
        abi_put_address(&c, m->coll);
        abi_put_address(&c, m->oracle);
        abi_put_address(&c, m->irm);
        abi_put_word(&c, m->lltv);
        for (size_t i = 0; i < 6; i++)
            abi_put_word(&c, m->state[i]);
        eth_call_add(&b, label, m->irm, &c, im->tag);
    }
    if (import_batch(im, &b) != 0)
        goto out;
    for (size_t t = 0; t < 2; t++) {
        long n;

        if (import_bytes(im, &b, 2 * t, buf, 32) < 0)
            goto out;
        if (abi_uint(buf, 32, 0, 8, &v) != 0 || v.w[0] > 36) {
            import_fail(im, b.item[2 * t].label,
                        "not a number of decimals (0 to 36)");
            goto out;
        }
        if (t == 0)
            m->coll_dec = (unsigned)v.w[0];
        else
            m->loan_dec = (unsigned)v.w[0];
        if ((n = import_bytes(im, &b, 2 * t + 1, buf, 32)) < 0)
            goto out;
        if (abi_string(buf, (size_t)n, 0, raw_sym[t], sizeof(raw_sym[t])) < 0) {
            import_fail(im, b.item[2 * t + 1].label,
                        "not a string of at most 63 bytes");
            goto out;
        }
    }
    if (import_bytes(im, &b, 4, buf, 32) < 0 ||
        abi_word(buf, 32, 0, &price) != 0)
        goto out;
    if (has_irm) {
        if (import_bytes(im, &b, 5, buf, 32) < 0 ||
            abi_word(buf, 32, 0, &rate) != 0)
            goto out;
    }
    /* symbols: the loan's first, so that its price is the unit */
    {
        cJSON *mk = cJSON_CreateObject(), *assets, *a, *st;
        struct u256 scale, px;
        char pbuf[DECIMAL_BUF];

        import_symbol(im, m->loan, raw_sym[1], m->loan_sym,
                      sizeof(m->loan_sym));
        if (cJSON_GetObjectItemCaseSensitive(im->prices, m->loan_sym) == NULL)
            cJSON_AddStringToObject(im->prices, m->loan_sym, "1");
        import_symbol(im, m->coll, raw_sym[0], m->coll_sym,
                      sizeof(m->coll_sym));
        /* the collateral in loan units at 8 places, for display; the
         * market's oracle_price is what its figures use */
        px = u256_zero();
        if (m->loan_dec + 36 >= m->coll_dec &&
            u256_pow10(&scale, 36 + m->loan_dec - m->coll_dec) == 0) {
            struct u256 e8 = u256_exp10(8);

            if (u256_muldiv(&px, price, e8, scale, U256_FLOOR) != 0)
                px = u256_zero();
        }
        if (u256_is_zero(px))
            px = u256_from_u64(1);
        decimal_format(pbuf, sizeof(pbuf), px, 8);
        if (cJSON_GetObjectItemCaseSensitive(im->prices, m->coll_sym) == NULL)
            cJSON_AddStringToObject(im->prices, m->coll_sym, pbuf);

        cJSON_AddStringToObject(mk, "id", m->market_id);
        cJSON_AddStringToObject(mk, "model", "morpho-blue");
        cJSON_AddNumberToObject(mk, "base_decimals", 8);
        assets = cJSON_AddArrayToObject(mk, "assets");
        a = cJSON_CreateObject();
        cJSON_AddStringToObject(a, "symbol", m->coll_sym);
        cJSON_AddNumberToObject(a, "decimals", m->coll_dec);
        import_put_dec(a, "liquidation_threshold", m->lltv, 18);
        cJSON_AddItemToArray(assets, a);
        a = cJSON_CreateObject();
        cJSON_AddStringToObject(a, "symbol", m->loan_sym);
        cJSON_AddNumberToObject(a, "decimals", m->loan_dec);
        import_put_dec(a, "liquidation_threshold", m->lltv, 18);
        cJSON_AddItemToArray(assets, a);
        import_put_int(mk, "oracle_price", price);
        st = cJSON_AddObjectToObject(mk, "state");
        import_put_int(st, "total_supply_assets", m->state[0]);
        import_put_int(st, "total_supply_shares", m->state[1]);
        import_put_int(st, "total_borrow_assets", m->state[2]);
        import_put_int(st, "total_borrow_shares", m->state[3]);
        import_put_int(st, "last_update", m->state[4]);
        import_put_dec(st, "fee", m->state[5], 18);
        import_put_dec(st, "borrow_rate", rate, 18);
        cJSON_AddItemToArray(im->markets, mk);
    }
    rc = 0;
out:
    rpc_batch_done(&b);
    free(buf);
    return rc;
}

/* A Borrow log: topic 2 is onBehalf. */
static int
import_morpho_log(void *arg, const cJSON *log)
{
    struct import *im = arg;
    const cJSON *topics = cJSON_GetObjectItemCaseSensitive(log, "topics");
    const cJSON *t2 = cJSON_GetArrayItem(topics, 2);
    uint8_t w[32], addr[20];

    if (!cJSON_IsArray(topics) || !cJSON_IsString(t2) ||
        !abi_parse_bytes32(t2->valuestring, w) ||
        abi_address(w, 32, 0, addr) != 0)
        return LIQ_EIO;
    if (!import_user_add(im, addr))
        return LIQ_ELIMIT;
    return 0;
}

static int
import_morpho_positions(struct import *im, const struct import_morpho_market *m)
{
    struct rpc_batch b;
    struct abi_call c;
    uint8_t buf[96];
    int rc = 0;

    rpc_batch_init(&b);
    for (size_t first = 0; first < im->nusers && rc == 0;
         first += IMPORT_MORPHO_CHUNK) {
        size_t n = im->nusers - first;

        if (n > IMPORT_MORPHO_CHUNK)
            n = IMPORT_MORPHO_CHUNK;
        rpc_batch_reset(&b);
        for (size_t k = 0; k < n; k++) {
            char label[RPC_LABEL_MAX], hex[43];

            abi_hex_encode(hex, im->users[first + k], 20);
            snprintf(label, sizeof(label), "position(%.14s..., %s)", m->id_hex,
                     hex);
            abi_call_init(&c, ETH_SEL_MORPHO_POSITION);
            abi_put_bytes32(&c, m->id);
            abi_put_address(&c, im->users[first + k]);
            eth_call_add(&b, label, im->morpho, &c, im->tag);
        }
        if ((rc = import_batch(im, &b)) != 0)
            break;
        for (size_t k = 0; k < n && rc == 0; k++) {
            struct u256 shares, coll;
            char hex[43], id[160];
            cJSON *p, *o;

            if (eth_result_bytes(&b.item[k], buf, sizeof(buf)) != 96 ||
                abi_uint(buf, 96, 1, 128, &shares) != 0 ||
                abi_uint(buf, 96, 2, 128, &coll) != 0) {
                rc = import_fail(im, b.item[k].label,
                                 "not (uint256, uint128, uint128)");
                break;
            }
            abi_hex_encode(hex, im->users[first + k], 20);
            if (u256_is_zero(shares) && u256_is_zero(coll)) {
                if (first + k < im->nnamed)
                    fprintf(stderr,
                            "liqtop import: %s: no position in %s at block "
                            "%llu\n",
                            hex, m->market_id, (unsigned long long)im->block);
                continue;
            }
            snprintf(id, sizeof(id), "%s:%s", hex, m->id_hex);
            p = cJSON_CreateObject();
            cJSON_AddStringToObject(p, "id", id);
            cJSON_AddStringToObject(p, "market", m->market_id);
            o = cJSON_AddObjectToObject(p, "collateral");
            import_put_dec(o, m->coll_sym, coll, m->coll_dec);
            import_put_int(p, "borrow_shares", shares);
            cJSON_AddItemToArray(im->positions, p);
        }
    }
    rpc_batch_done(&b);
    return rc;
}

int
import_morpho(struct import *im)
{
    struct import_morpho_market *m;
    int rc = 0;

    if ((rc = import_code(im, im->morpho, "Morpho")) != 0)
        return rc;
    m = calloc(1, sizeof(*m));
    if (m == NULL)
        abort();
    for (size_t i = 0; i < im->nmarkets && rc == 0; i++) {
        size_t named = im->nnamed;

        memset(m, 0, sizeof(*m));
        memcpy(m->id, im->market_ids[i], 32);
        if ((rc = import_morpho_market(im, m)) != 0)
            break;
        im->nusers = named; /* each market finds its own borrowers */
        if (im->borrowers) {
            char topic1[67];

            abi_hex_encode(topic1, m->id, 32);
            rc = eth_logs_scan(im->rpc, im->morpho, ETH_TOPIC_MORPHO_BORROW,
                               topic1, im->from_block, im->block, im->log_range,
                               import_morpho_log, im, im->err, sizeof(im->err));
            if (rc != 0)
                break;
            import_users_unique(im);
        }
        rc = import_morpho_positions(im, m);
    }
    free(m);
    return rc;
}
