/*
 * feed_rpc_comp.c: the rpc: source's Compound v2 part (design.md section
 * 5): from the portfolio's "chain".compound_v2 (the Comptroller) and
 * "chain".ctokens (each asset's cToken, as liqtop import writes them), at
 * every block: the oracle's getUnderlyingPrice of each cToken as one
 * {"prices": ...} line in the import's 18-place base units; markets() of
 * each (the collateral factor, or Venus's liquidation threshold and
 * incentive), exchangeRateStored, borrowIndex, the close factor and the
 * incentive, told to the book as the market's block; and the accounts
 * the block's logs touched (the cTokens' Transfer, Borrow, RepayBorrow,
 * LiquidateBorrow, the Comptroller's MarketEntered and MarketExited),
 * read again as getAssetsIn and getAccountSnapshot in every market
 * entered, which is what getAccountLiquidity sums. A cToken whose
 * borrowIndex moved (it accrued) has every debtor of it in the book read
 * again: each one's borrowBalanceStored moved with the index, and the
 * index alone cannot give it (the account's own interest index is not
 * public).
 *
 * Must not block the loop (calls go through r->rpc like the rest of the
 * feed) and must not tell the book of a block it could not read whole. A
 * state the portfolio cannot hold (a price not whole in the base units,
 * an account in a market the book does not list) is said in the feed's
 * error, the rest of the block taken.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/decimal.h"
#include "core/liq.h"
#include "core/model.h"
#include "feeds/abi.h"
#include "feeds/eth.h"
#include "feeds/feed_rpc.h"

#define COMP_BASE 18 /* the base_decimals liqtop import writes */

/* The cToken logs and the Comptroller's that touch an account. */
static const char *const feed_rpc_comp_topics[] = {
    ETH_TOPIC_ERC20_TRANSFER,      ETH_TOPIC_COMP_BORROW,
    ETH_TOPIC_COMP_REPAY,          ETH_TOPIC_COMP_LIQUIDATE,
    ETH_TOPIC_COMP_MARKET_ENTERED, ETH_TOPIC_COMP_MARKET_EXITED,
};

int
feed_rpc_comp_config(struct feed_rpc *r, const cJSON *root, const char *path,
                     char *err, size_t errlen)
{
    const cJSON *chain = cJSON_GetObjectItemCaseSensitive(root, "chain");
    const cJSON *comp = cJSON_GetObjectItemCaseSensitive(chain, "compound_v2");
    const cJSON *cts = cJSON_GetObjectItemCaseSensitive(chain, "ctokens");
    const cJSON *mk, *a;
    struct feed_rpc_comp *C = &r->comp;

    if (comp == NULL)
        return 0;
    if (!cJSON_IsString(comp) ||
        !abi_parse_address(comp->valuestring, C->comptroller)) {
        snprintf(err, errlen,
                 "--feed rpc: %s: chain.compound_v2: not an address", path);
        return LIQ_EINVAL;
    }
    cJSON_ArrayForEach(mk, cJSON_GetObjectItemCaseSensitive(root, "markets"))
    {
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(mk, "id");
        unsigned long long cid;

        if (!cJSON_IsString(id) ||
            strncmp(id->valuestring, "compound-v2:", 12) != 0)
            continue;
        if (C->on || sscanf(id->valuestring, "compound-v2:%llu:", &cid) != 1) {
            snprintf(err, errlen,
                     "--feed rpc: %s: market %.80s: one compound-v2 market "
                     "as liqtop import writes it",
                     path, id->valuestring);
            return LIQ_EINVAL;
        }
        C->on = true;
        C->chain_id = cid;
        snprintf(C->market_id, sizeof(C->market_id), "%s", id->valuestring);
        cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(mk, "assets"))
        {
            const cJSON *s = cJSON_GetObjectItemCaseSensitive(a, "symbol");
            const cJSON *d = cJSON_GetObjectItemCaseSensitive(a, "decimals");
            const cJSON *cd =
                cJSON_GetObjectItemCaseSensitive(a, "ctoken_decimals");
            const cJSON *lt =
                cJSON_GetObjectItemCaseSensitive(a, "liquidation_threshold");
            const cJSON *ct =
                cJSON_IsString(s)
                    ? cJSON_GetObjectItemCaseSensitive(cts, s->valuestring)
                    : NULL;

            if (!cJSON_IsString(s) || C->n == FEED_RPC_ASSETS)
                continue;
            if (!cJSON_IsString(ct) ||
                !abi_parse_address(ct->valuestring, C->ctoken[C->n])) {
                snprintf(err, errlen,
                         "--feed rpc: %s: chain.ctokens.%.40s: no cToken "
                         "address (write the portfolio with liqtop import)",
                         path, s->valuestring);
                return LIQ_EINVAL;
            }
            snprintf(C->sym[C->n], sizeof(C->sym[0]), "%s", s->valuestring);
            C->dec[C->n] =
                cJSON_IsNumber(d) && d->valuedouble >= 0 && d->valuedouble <= 77
                    ? (unsigned)d->valuedouble
                    : 18;
            /* a factor of 0 in the file: its deprecation asked */
            C->ask_dep[C->n] =
                cJSON_IsString(lt) &&
                strspn(lt->valuestring, "0.") == strlen(lt->valuestring);
            C->cdec[C->n] = cJSON_IsNumber(cd) && cd->valuedouble >= 0 &&
                                    cd->valuedouble <= 77
                                ? (unsigned)cd->valuedouble
                                : 8;
            C->n++;
        }
    }
    if (!C->on) {
        snprintf(err, errlen,
                 "--feed rpc: %s: chain.compound_v2 names no compound-v2 "
                 "market",
                 path);
        return LIQ_EINVAL;
    }
    return 0;
}

void
feed_rpc_comp_first_calls(struct feed_rpc *r)
{
    struct feed_rpc_comp *C = &r->comp;
    struct abi_call c;

    C->item = r->b.n;
    abi_call_init(&c, ETH_SEL_COMP_ORACLE);
    eth_call_add(&r->b, "oracle()", C->comptroller, &c, "latest");
    if (C->n == 0)
        return;
    abi_call_init(&c, ETH_SEL_COMP_MARKETS);
    abi_put_address(&c, C->ctoken[0]);
    eth_call_add(&r->b, "markets(address)", C->comptroller, &c, "latest");
}

bool
feed_rpc_comp_first_answers(struct feed_rpc *r, struct rpc_batch *b, size_t i,
                            uint64_t chain)
{
    struct feed_rpc_comp *C = &r->comp;
    uint8_t *buf = malloc(ETH_RESULT_MAX);
    long n;
    bool ok = false;

    if (buf == NULL)
        abort();
    (void)i;
    if (C->chain_id != chain) {
        feed_rpc_failed(r, "the node is not the Compound market's chain");
        goto out;
    }
    if (eth_result_bytes(&b->item[C->item], buf, 32) != 32 ||
        abi_address(buf, 32, 0, C->oracle) != 0) {
        feed_rpc_failed(r, "oracle(): no Comptroller there");
        goto out;
    }
    if (C->n > 0) {
        n = eth_result_bytes(&b->item[C->item + 1], buf, ETH_RESULT_MAX);
        if (n < 64) {
            feed_rpc_failed(r, "markets(address): not (bool, uint256, ...)");
            goto out;
        }
        C->venus = n >= 7 * 32;
    }
    ok = true;
out:
    free(buf);
    return ok;
}

void
feed_rpc_comp_calls(struct feed_rpc *r, const char *tag)
{
    struct feed_rpc_comp *C = &r->comp;
    struct abi_call c;

    C->item = r->b.n;
    abi_call_init(&c, ETH_SEL_COMP_ORACLE);
    eth_call_add(&r->b, "oracle()", C->comptroller, &c, tag);
    abi_call_init(&c, ETH_SEL_COMP_CLOSE_FACTOR);
    eth_call_add(&r->b, "closeFactorMantissa()", C->comptroller, &c, tag);
    if (!C->venus) {
        abi_call_init(&c, ETH_SEL_COMP_INCENTIVE);
        eth_call_add(&r->b, "liquidationIncentiveMantissa()", C->comptroller,
                     &c, tag);
    }
    /* Every block, as Aave's configuration: a change is never missed,
     * whatever set it. */
    for (size_t j = 0; j < C->n; j++) {
        abi_call_init(&c, ETH_SEL_COMP_MARKETS);
        abi_put_address(&c, C->ctoken[j]);
        eth_call_add(&r->b, "markets(address)", C->comptroller, &c, tag);
        abi_call_init(&c, ETH_SEL_COMP_EXCHANGE_RATE);
        eth_call_add(&r->b, "exchangeRateStored()", C->ctoken[j], &c, tag);
        abi_call_init(&c, ETH_SEL_COMP_BORROW_INDEX);
        eth_call_add(&r->b, "borrowIndex()", C->ctoken[j], &c, tag);
        abi_call_init(&c, ETH_SEL_COMP_UNDERLYING_PRICE);
        abi_put_address(&c, C->ctoken[j]);
        eth_call_add(&r->b, "getUnderlyingPrice", C->oracle, &c, tag);
        if (C->venus || !C->ask_dep[j])
            continue;
        /* optional: a Comptroller without borrowGuardianPaused (some
         * forks pause actions otherwise) has no deprecated market */
        abi_call_init(&c, ETH_SEL_COMP_BORROW_PAUSED);
        abi_put_address(&c, C->ctoken[j]);
        r->b.item[eth_call_add(&r->b, "borrowGuardianPaused(address)",
                               C->comptroller, &c, tag)]
            .optional = true;
        abi_call_init(&c, ETH_SEL_COMP_RESERVE_FACTOR);
        r->b.item[eth_call_add(&r->b, "reserveFactorMantissa()", C->ctoken[j],
                               &c, tag)]
            .optional = true;
    }
}

/* One word of item i into v; false: r failed, naming the call. */
static bool
feed_rpc_comp_word(struct feed_rpc *r, struct rpc_batch *b, size_t i,
                   struct u256 *v)
{
    uint8_t buf[32];
    char msg[RPC_LABEL_MAX + 32];

    if (eth_result_bytes(&b->item[i], buf, 32) == 32 &&
        abi_word(buf, 32, 0, v) == 0)
        return true;
    snprintf(msg, sizeof(msg), "%s: not one word", b->item[i].label);
    feed_rpc_failed(r, msg);
    return false;
}

/* markets(cToken) at item i: the weight and (Venus) the incentive. */
static bool
feed_rpc_comp_market(struct feed_rpc *r, struct rpc_batch *b, size_t i,
                     size_t j, uint8_t *buf, struct u256 *li)
{
    struct feed_rpc_comp *C = &r->comp;
    long n = eth_result_bytes(&b->item[i], buf, ETH_RESULT_MAX);
    bool listed;

    if (n < 64 || (n >= 7 * 32) != C->venus ||
        abi_bool(buf, (size_t)n, 0, &listed) != 0 ||
        abi_word(buf, (size_t)n, C->venus ? 3 : 1, &C->ct[j].cf) != 0 ||
        (C->venus && abi_word(buf, (size_t)n, 4, li) != 0)) {
        feed_rpc_failed(r, "markets(address): not the layout read first");
        return false;
    }
    if (!listed)
        snprintf(C->note, sizeof(C->note),
                 "cToken of %.24s no longer listed by the Comptroller",
                 C->sym[j]);
    return true;
}

/* The price of found asset j in base units at 18 places, appended. */
static void
feed_rpc_comp_price(struct feed_rpc *r, size_t j, struct u256 p, char *line,
                    size_t cap, size_t *len, bool *any)
{
    struct feed_rpc_comp *C = &r->comp;
    struct u256 px, scale, back;
    char dec[DECIMAL_BUF];
    int rc;

    if (C->dec[j] <= COMP_BASE) {
        scale = u256_exp10(COMP_BASE - C->dec[j]);
        rc = u256_div(&px, p, scale, U256_FLOOR);
        if (rc == 0)
            rc = u256_mul(&back, px, scale);
        if (rc == 0 && !u256_eq(back, p))
            rc = LIQ_ERANGE;
    } else {
        rc = u256_mul(&px, p, u256_exp10(C->dec[j] - COMP_BASE));
    }
    if (rc != 0 || u256_is_zero(px)) {
        snprintf(C->note, sizeof(C->note),
                 "getUnderlyingPrice of %.24s: %s (price kept)", C->sym[j],
                 rc != 0 ? "not a whole number of base units at 18 places"
                         : "no price");
        return;
    }
    decimal_format(dec, sizeof(dec), px, COMP_BASE);
    *len += (size_t)snprintf(line + *len, cap - *len, "%s\"%s\": \"%s\"",
                             *any ? ", " : "", C->sym[j], dec);
    *any = true;
}

bool
feed_rpc_comp_apply(struct feed_rpc *r, struct rpc_batch *b, uint64_t ts)
{
    struct feed_rpc_comp *C = &r->comp;
    size_t cap = 64 + C->n * (SYMBOL_MAX + DECIMAL_BUF + 8), len = 0;
    size_t i = C->item;
    char *line = malloc(cap);
    uint8_t *buf = malloc(ETH_RESULT_MAX), oracle[20];
    struct u256 li0 = u256_from_u64(0);
    bool any = false, ok = false;

    if (line == NULL || buf == NULL)
        abort();
    C->note[0] = '\0';
    if (eth_result_bytes(&b->item[i], buf, 32) != 32 ||
        abi_address(buf, 32, 0, oracle) != 0) {
        feed_rpc_failed(r, "oracle(): not an address");
        goto out;
    }
    if (memcmp(oracle, C->oracle, 20) != 0) {
        /* the block's prices are asked of the oracle as it is now */
        memcpy(C->oracle, oracle, 20);
        feed_rpc_failed(r, "the Comptroller's oracle changed: the block is "
                           "read again from the new one");
        goto out;
    }
    i++;
    if (!feed_rpc_comp_word(r, b, i++, &C->close_factor) ||
        (!C->venus && !feed_rpc_comp_word(r, b, i++, &C->incentive)))
        goto out;
    len += (size_t)snprintf(line, cap, "{\"prices\": {");
    for (size_t j = 0; j < C->n; j++) {
        struct u256 li, p, rf, paused;

        if (!feed_rpc_comp_market(r, b, i++, j, buf, &li) ||
            !feed_rpc_comp_word(r, b, i++, &C->ct[j].exchange_rate) ||
            !feed_rpc_comp_word(r, b, i++, &C->bindex[j]) ||
            !feed_rpc_comp_word(r, b, i++, &p))
            goto out;
        feed_rpc_comp_price(r, j, p, line, cap, &len, &any);
        C->ct[j].deprecated = false;
        if (C->venus) {
            /* one incentive a Comptroller is modelled (import's rule) */
            if (j == 0)
                li0 = li;
            else if (!u256_eq(li, li0))
                snprintf(C->note, sizeof(C->note),
                         "%.24s has a liquidation incentive of its own (the "
                         "first market's kept)",
                         C->sym[j]);
            C->incentive = li0;
        } else if (C->ask_dep[j]) {
            paused = rf = u256_from_u64(0);
            if ((b->item[i].result != NULL &&
                 !feed_rpc_comp_word(r, b, i, &paused)) ||
                (b->item[i + 1].result != NULL &&
                 !feed_rpc_comp_word(r, b, i + 1, &rf)))
                goto out;
            i += 2;
            /* Compound's deprecated market: CF 0, borrowing paused,
             * reserve factor 1 */
            C->ct[j].deprecated = u256_is_zero(C->ct[j].cf) &&
                                  !u256_is_zero(paused) &&
                                  u256_eq(rf, u256_from_u64(WAD));
            C->ask_dep[j] = u256_is_zero(C->ct[j].cf);
        } else if (u256_is_zero(C->ct[j].cf)) {
            /* a factor now 0: the block read again, its deprecation
             * asked */
            C->ask_dep[j] = true;
            feed_rpc_failed(r, "a collateral factor now 0: the block is "
                               "read again with the market's deprecation");
            goto out;
        }
        C->accrued[j] =
            r->f->block == 0 || !u256_eq(C->bindex[j], C->bindex_old[j]);
    }
    snprintf(line + len, cap - len, "}, \"ts\": %llu}",
             (unsigned long long)ts * 1000);
    if (any)
        feed_rpc_emit(r, line);
    ok = true;
out:
    free(line);
    free(buf);
    return ok;
}

/* The address in word w of a log's data, or in topic t when the log has
 * it indexed (Venus indexes MarketEntered's, Compound does not). */
static bool
feed_rpc_comp_account(const cJSON *log, int t, size_t w, uint8_t out[20])
{
    const cJSON *topics = cJSON_GetObjectItemCaseSensitive(log, "topics");
    const cJSON *data = cJSON_GetObjectItemCaseSensitive(log, "data");
    const cJSON *it = t > 0 ? cJSON_GetArrayItem(topics, t) : NULL;
    uint8_t buf[6 * 32];
    long n;

    if (cJSON_IsString(it)) {
        uint8_t word[32];

        return abi_parse_bytes32(it->valuestring, word) &&
               abi_address(word, 32, 0, out) == 0;
    }
    if (!cJSON_IsString(data))
        return false;
    n = abi_hex_decode(data->valuestring, strlen(data->valuestring), buf,
                       sizeof(buf));
    return n >= (long)((w + 1) * 32) &&
           abi_address(buf, (size_t)n, w, out) == 0;
}

void
feed_rpc_comp_log(struct feed_rpc *r, const char *topic0, const uint8_t *addr,
                  const cJSON *log)
{
    struct feed_rpc_comp *C = &r->comp;
    uint8_t u[20];
    bool ctoken = false;

    for (size_t j = 0; j < C->n && !ctoken; j++)
        ctoken = memcmp(C->ctoken[j], addr, 20) == 0;
    if (memcmp(addr, C->comptroller, 20) == 0) {
        /* MarketEntered(address cToken, address account) */
        if ((strcmp(topic0, ETH_TOPIC_COMP_MARKET_ENTERED) == 0 ||
             strcmp(topic0, ETH_TOPIC_COMP_MARKET_EXITED) == 0) &&
            (feed_rpc_comp_account(log, 2, 1, u)))
            feed_rpc_touch_add(r, FEED_RPC_COMP_USER, 0, u);
        return;
    }
    if (!ctoken)
        return;
    if (strcmp(topic0, ETH_TOPIC_ERC20_TRANSFER) == 0) {
        /* mint, redeem and seize move cTokens: both ends, less the
         * cToken itself */
        for (int t = 1; t <= 2; t++) {
            bool own = false;

            if (!feed_rpc_comp_account(log, t, 99, u))
                continue;
            for (size_t j = 0; j < C->n && !own; j++)
                own = memcmp(C->ctoken[j], u, 20) == 0;
            if (!own)
                feed_rpc_touch_add(r, FEED_RPC_COMP_USER, 0, u);
        }
        return;
    }
    /* Borrow(borrower, ...); RepayBorrow(payer, borrower, ...);
     * LiquidateBorrow(liquidator, borrower, ...): the borrower */
    if (strcmp(topic0, ETH_TOPIC_COMP_BORROW) == 0 &&
        feed_rpc_comp_account(log, 0, 0, u))
        feed_rpc_touch_add(r, FEED_RPC_COMP_USER, 0, u);
    if ((strcmp(topic0, ETH_TOPIC_COMP_REPAY) == 0 ||
         strcmp(topic0, ETH_TOPIC_COMP_LIQUIDATE) == 0) &&
        feed_rpc_comp_account(log, 0, 1, u))
        feed_rpc_touch_add(r, FEED_RPC_COMP_USER, 0, u);
}

void
feed_rpc_comp_addresses(struct feed_rpc *r, cJSON *list, cJSON *topics)
{
    struct feed_rpc_comp *C = &r->comp;
    char hex[43];

    abi_hex_encode(hex, C->comptroller, 20);
    cJSON_AddItemToArray(list, cJSON_CreateString(hex));
    for (size_t j = 0; j < C->n; j++) {
        abi_hex_encode(hex, C->ctoken[j], 20);
        cJSON_AddItemToArray(list, cJSON_CreateString(hex));
    }
    for (size_t e = 0;
         e < sizeof(feed_rpc_comp_topics) / sizeof(feed_rpc_comp_topics[0]);
         e++)
        cJSON_AddItemToArray(topics,
                             cJSON_CreateString(feed_rpc_comp_topics[e]));
}

void
feed_rpc_comp_debtors(struct feed_rpc *r, feed_chain_id_fn each)
{
    struct feed_rpc_comp *C = &r->comp;

    if (r->f->cbs.chain_ids == NULL)
        return;
    r->log_height = r->target;
    r->ids_market = -2;
    for (size_t j = 0; j < C->n; j++)
        if (C->accrued[j])
            r->f->cbs.chain_ids(r->f->cbs.arg, r->f, C->market_id, C->sym[j],
                                each, r);
}

void
feed_rpc_comp_reads(struct feed_rpc *r, const char *tag)
{
    struct feed_rpc_comp *C = &r->comp;
    struct abi_call c;

    C->read_item = r->b.n;
    for (size_t t = 0; t < r->nrd; t++) {
        const uint8_t *u = r->rd[t].addr;

        if (r->rd[t].kind != FEED_RPC_COMP_USER)
            continue;
        abi_call_init(&c, ETH_SEL_COMP_ASSETS_IN);
        abi_put_address(&c, u);
        eth_call_add(&r->b, "getAssetsIn(address)", C->comptroller, &c, tag);
        for (size_t j = 0; j < C->n; j++) {
            abi_call_init(&c, ETH_SEL_COMP_SNAPSHOT);
            abi_put_address(&c, u);
            eth_call_add(&r->b, "getAccountSnapshot(address)", C->ctoken[j], &c,
                         tag);
        }
    }
}

/* Append `"SYM": "V"` (V at places) to a JSON object text being built. */
static void
feed_rpc_comp_put(char *out, size_t cap, size_t *len, const char *sym,
                  struct u256 v, unsigned places)
{
    char dec[DECIMAL_BUF];

    decimal_format(dec, sizeof(dec), v, places);
    *len += (size_t)snprintf(out + *len, cap - *len, "%s\"%s\": \"%s\"",
                             *len == 0 ? "" : ", ", sym, dec);
}

/* One account's position from its getAssetsIn at item i and the
 * snapshots after it, as liqtop import writes it: the markets entered
 * only (a cToken held but not entered is no collateral). */
static bool
feed_rpc_comp_position(struct feed_rpc *r, struct rpc_batch *b, size_t i,
                       const uint8_t user[20], uint8_t *buf, char *text,
                       size_t cap, size_t *out_len)
{
    struct feed_rpc_comp *C = &r->comp;
    bool in[FEED_RPC_ASSETS] = {false};
    size_t order[FEED_RPC_ASSETS], nin = 0;
    size_t part = 16 + C->n * (SYMBOL_MAX + DECIMAL_BUF + 8);
    char *coll = malloc(part), *debt = malloc(part), hex[43];
    size_t count, at, lc = 0, ld = 0;
    long n;
    bool ok = false;

    if (coll == NULL || debt == NULL)
        abort();
    coll[0] = debt[0] = '\0';
    abi_hex_encode(hex, user, 20);
    n = eth_result_bytes(&b->item[i], buf, ETH_RESULT_MAX);
    if (n < 0 || abi_array(buf, (size_t)n, 0, &count, &at) != 0) {
        feed_rpc_failed(r, "getAssetsIn(address): not a list of addresses");
        goto out;
    }
    for (size_t k = 0; k < count; k++) {
        uint8_t ct[20];
        bool known = false;

        if (abi_address(buf, (size_t)n, at + k, ct) != 0) {
            feed_rpc_failed(r, "getAssetsIn(address): not addresses");
            goto out;
        }
        for (size_t j = 0; j < C->n && !known; j++)
            if (memcmp(C->ctoken[j], ct, 20) == 0 && !in[j]) {
                known = in[j] = true;
                order[nin++] = j;
            }
        if (!known) {
            snprintf(C->note, sizeof(C->note),
                     "%s entered a market the book does not list: not read "
                     "again (import again)",
                     hex);
            ok = true;
            *out_len = 0;
            goto out;
        }
    }
    /* the legs in getAssetsIn's order, as liqtop import writes them */
    for (size_t k = 0; k < nin; k++) {
        size_t j = order[k];
        struct u256 w[3];
        uint8_t s[4 * 32];

        if (eth_result_bytes(&b->item[i + 1 + j], s, sizeof(s)) !=
                (long)sizeof(s) ||
            abi_word(s, sizeof(s), 0, &w[0]) != 0 ||
            abi_word(s, sizeof(s), 1, &w[1]) != 0 ||
            abi_word(s, sizeof(s), 2, &w[2]) != 0) {
            feed_rpc_failed(r, "getAccountSnapshot(address): not (uint256, "
                               "uint256, uint256, uint256)");
            goto out;
        }
        if (!u256_is_zero(w[0])) {
            snprintf(C->note, sizeof(C->note),
                     "getAccountSnapshot(%s) of %.24s: error code %llu", hex,
                     C->sym[j], (unsigned long long)w[0].w[0]);
            ok = true;
            *out_len = 0;
            goto out;
        }
        if (!u256_is_zero(w[1]))
            feed_rpc_comp_put(coll, part, &lc, C->sym[j], w[1], C->cdec[j]);
        if (!u256_is_zero(w[2]))
            feed_rpc_comp_put(debt, part, &ld, C->sym[j], w[2], C->dec[j]);
    }
    *out_len = (size_t)snprintf(text, cap,
                                "{\"id\": \"%s\", \"market\": \"%s\", "
                                "\"ctoken_collateral\": {%s}, \"debt\": {%s}}",
                                hex, C->market_id, coll, debt);
    ok = true;
out:
    free(coll);
    free(debt);
    return ok;
}

bool
feed_rpc_comp_answers(struct feed_rpc *r, struct rpc_batch *b)
{
    struct feed_rpc_comp *C = &r->comp;
    struct feed_chain_market cm;
    uint8_t *buf = malloc(ETH_RESULT_MAX);
    size_t cap = 512 + 2 * (16 + C->n * (SYMBOL_MAX + DECIMAL_BUF + 8));
    char *text = malloc(cap);
    size_t i = C->read_item;
    bool ok = false;

    if (buf == NULL || text == NULL)
        abort();
    memset(&cm, 0, sizeof(cm));
    cm.market = C->market_id;
    cm.block = r->target;
    cm.as_of = r->target_ts;
    cm.nidx = C->n;
    cm.sym = (const char(*)[SYMBOL_MAX])C->sym;
    cm.ctoken = C->ct;
    cm.close_factor = C->close_factor;
    cm.incentive = C->incentive;
    if (r->f->cbs.chain_market != NULL)
        r->f->cbs.chain_market(r->f->cbs.arg, r->f, &cm);
    for (size_t t = 0; t < r->nrd; t++) {
        size_t len = 0;

        if (r->rd[t].kind != FEED_RPC_COMP_USER)
            continue;
        if (!feed_rpc_comp_position(r, b, i, r->rd[t].addr, buf, text, cap,
                                    &len))
            goto out;
        i += 1 + C->n;
        if (len > 0 && r->f->cbs.chain_position != NULL)
            r->f->cbs.chain_position(r->f->cbs.arg, r->f, text, len);
    }
    ok = true;
out:
    free(buf);
    free(text);
    return ok;
}

void
feed_rpc_comp_commit(struct feed_rpc *r)
{
    struct feed_rpc_comp *C = &r->comp;

    memcpy(C->bindex_old, C->bindex, sizeof(C->bindex));
    if (C->note[0] != '\0') {
        snprintf(r->f->error, sizeof(r->f->error), "%.120s: %.180s", r->f->spec,
                 C->note);
        feed_note_error(r->f);
    }
}
