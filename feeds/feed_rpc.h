/*
 * feed_rpc.h: what the rpc: source's two files share (feed_rpc.c, the
 * block loop and Morpho Blue; feed_rpc_aave.c, an Aave v3 pool's oracle).
 * Internal to feeds/: nothing outside includes it.
 *
 * Owns struct feed_rpc, held by the feed as f->impl and freed with it.
 */
#ifndef FEED_RPC_H
#define FEED_RPC_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdint.h>
#include <uv.h>

#include "core/market.h"
#include "core/u256.h"
#include "feeds/feed.h"
#include "feeds/rpc.h"

#define FEED_RPC_ASSETS 128

/* An Aave v3 market of the portfolio: its symbols, found among the pool's
 * reserves by their symbol(). */
struct feed_rpc_aave {
    bool on;
    uint8_t provider[20], pool[20], oracle[20];
    uint64_t chain_id;
    unsigned base_decimals;
    char sym[FEED_RPC_ASSETS][SYMBOL_MAX];
    uint8_t addr[FEED_RPC_ASSETS][20];
    bool found[FEED_RPC_ASSETS];
    size_t n;
    uint8_t reserves[FEED_RPC_ASSETS][20];
    size_t nreserves;
    unsigned stage; /* 0: pool and oracle, 1: reserves, 2: symbols, 3: done */
};

#define FEED_RPC_POLL_MS 1000
#define FEED_RPC_MARKETS 64

struct feed_rpc_market {
    char id[128]; /* the portfolio's market id */
    uint8_t mid[32];
    uint64_t chain_id;
    uint8_t oracle[20];
    char coll[SYMBOL_MAX], loan[SYMBOL_MAX];
    unsigned coll_dec, loan_dec;
    bool price_line;     /* first market of its collateral symbol */
    struct u256 loan_px; /* the loan's starting price (1e18 units) */
};

struct feed_rpc {
    struct feed *f;
    char url[FEED_SPEC_MAX];
    uint8_t morpho[20];
    struct feed_rpc_market m[FEED_RPC_MARKETS];
    size_t nm;
    uint32_t confirmations;
    struct rpc *rpc;
    struct rpc_batch b;
    uv_timer_t timer;
    bool timer_open;
    bool resolved;  /* oracles read (idToMarketParams, the Aave pool's) */
    bool oracle_ok; /* the line parser takes oracle lines */
    struct feed_rpc_aave aave;
    uint64_t target; /* the block being read */
};

void feed_rpc_failed(struct feed_rpc *r, const char *what);
void feed_rpc_later(struct feed_rpc *r, uint64_t ms);
void feed_rpc_emit(struct feed_rpc *r, const char *line);

/* The portfolio's aave-v3 market and "chain".aave_v3, if any. */
int feed_rpc_aave_config(struct feed_rpc *r, const cJSON *root,
                         const char *path, char *err, size_t errlen);
/* Stage 0's calls, in the first resolve batch after Morpho's. */
void feed_rpc_aave_first_calls(struct feed_rpc *r);
/* Read stage 0's answers from b at index i; false: r failed. */
bool feed_rpc_aave_first_answers(struct feed_rpc *r, struct rpc_batch *b,
                                 size_t i, uint64_t chain);
/* Send the next resolve stage (reserves, then symbols). */
void feed_rpc_aave_resolve(struct feed_rpc *r);
/* Each found asset's getAssetPrice at tag, added to r->b. */
void feed_rpc_aave_calls(struct feed_rpc *r, const char *tag);
/* Their answers from b at index i as one prices line; false: r failed. */
bool feed_rpc_aave_apply(struct feed_rpc *r, struct rpc_batch *b, size_t i,
                         uint64_t ts);

#endif
