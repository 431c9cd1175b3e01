/*
 * feed_rpc.h: what the rpc: source's files share (feed_rpc.c, the block
 * loop and Morpho Blue; feed_rpc_aave.c, an Aave v3 pool's oracle;
 * feed_rpc_chain.c, a block's logs and reads; feed_rpc_comp.c, a
 * Compound v2 Comptroller's markets).
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
#define FEED_RPC_CATS 32 /* eMode categories followed */

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
    char market_id[128];
    uint16_t version; /* 300.. as the portfolio says */
    /* each found asset's reserve (getReserveData), read at a block */
    uint8_t atoken[FEED_RPC_ASSETS][20], vdebt[FEED_RPC_ASSETS][20];
    unsigned rid[FEED_RPC_ASSETS];
    struct u256 lindex[FEED_RPC_ASSETS], lrate[FEED_RPC_ASSETS];
    struct u256 vindex[FEED_RPC_ASSETS], vrate[FEED_RPC_ASSETS];
    int64_t last[FEED_RPC_ASSETS];
    bool changed[FEED_RPC_ASSETS];          /* to read at this block */
    char fsym[FEED_RPC_ASSETS][SYMBOL_MAX]; /* the found, in order */
    struct u256 acc_l[FEED_RPC_ASSETS], acc_d[FEED_RPC_ASSETS];
    size_t nfound;
    size_t fidx[FEED_RPC_ASSETS]; /* found index -> k */
    /* each found asset's configuration bitmap and grace period, read
     * with the prices at every block */
    struct feed_chain_reserve res[FEED_RPC_ASSETS];
    /* the eMode categories: those the portfolio lists, then any a reserve
     * named since; read at every block in the reads after the prices */
    unsigned cat[FEED_RPC_CATS];
    size_t ncat;
    struct feed_chain_emode em[FEED_RPC_CATS];
};

/* A Compound v2 market of the portfolio (feed_rpc_comp.c): the
 * Comptroller, its oracle, and the cToken of each asset as liqtop import
 * wrote them ("chain".ctokens). Each block: every cToken's markets(),
 * exchangeRateStored, borrowIndex and price; the close factor and
 * incentive; a cToken whose borrowIndex moved has every debtor of the
 * book read again, since its stored borrow balances moved with it. */
struct feed_rpc_comp {
    bool on;
    bool venus; /* markets() answers seven words or more (Venus) */
    uint8_t comptroller[20], oracle[20];
    uint64_t chain_id;
    char market_id[128];
    size_t n;
    char sym[FEED_RPC_ASSETS][SYMBOL_MAX];
    unsigned dec[FEED_RPC_ASSETS], cdec[FEED_RPC_ASSETS];
    uint8_t ctoken[FEED_RPC_ASSETS][20];
    size_t item;      /* the block batch's first call of Compound's */
    size_t read_item; /* the reads batch's first, or SIZE_MAX */
    struct feed_chain_ctoken ct[FEED_RPC_ASSETS];
    struct u256 close_factor, incentive;
    struct u256 bindex[FEED_RPC_ASSETS];     /* read at this block */
    struct u256 bindex_old[FEED_RPC_ASSETS]; /* at the block applied */
    bool accrued[FEED_RPC_ASSETS];           /* debtors to read again */
    /* (Compound) borrowGuardianPaused and reserveFactorMantissa asked:
     * the collateral factor was 0 (a Comptroller without them, as some
     * forks are, is never asked while its factors are not 0, as import) */
    bool ask_dep[FEED_RPC_ASSETS];
    char note[200]; /* what the block could not take, told after it */
};

/* What a block's logs touched: a user of a market, or a market itself. */
enum feed_rpc_touch_kind {
    FEED_RPC_AAVE_USER,
    FEED_RPC_AAVE_RESERVE, /* index: the found asset */
    FEED_RPC_MORPHO_USER,  /* index: the market */
    FEED_RPC_MORPHO_MARKET,
    FEED_RPC_COMP_USER
};

struct feed_rpc_touch {
    uint64_t height;
    uint8_t kind;
    uint16_t index;
    uint8_t addr[20];
};

#define FEED_RPC_RING 64 /* the recent blocks' hashes kept for reorgs */
#define FEED_RPC_LOG_SPAN 5000

#define FEED_RPC_POLL_MS 1000
/* calls a request at most: a block's reads go as several requests past
 * it (nodes cap a batch's size) */
#define FEED_RPC_MAX_CALLS 200
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
    uint8_t params[160]; /* idToMarketParams, for the IRM */
    bool changed;        /* market() to read at this block */
    struct u256 state[6];
    struct u256 rate;
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
    struct feed_rpc_comp comp;
    uint64_t target; /* the block being read */
    uint64_t start;  /* the portfolio's as_of_block */
    uint64_t log_from;
    uint64_t log_span; /* blocks of logs a read, halved when refused */
    bool behind;       /* the read stops short of the head: go on at once */
    int64_t target_ts;
    uint8_t target_hash[32];
    /* applied blocks' hashes, by height % FEED_RPC_RING (0: none) */
    uint64_t ring_h[FEED_RPC_RING];
    uint8_t ring_hash[FEED_RPC_RING][32];
    bool reorg; /* the next read starts at reorg_from */
    uint64_t reorg_from;
    /* after a reorg, the oldest block kept and its hash as applied: when
     * the chain no longer has it, the fork is older than the blocks kept
     * and the read takes every market and position of the book again */
    uint8_t reorg_hash[32];
    size_t deep_item; /* the read's item of that block, 0: none */
    bool deep;
    int ids_market;    /* chain_ids: -1 the Aave market, -2 Compound's, else
                        * Morpho's */
    size_t check_item; /* the batch item of the last block's hash, or 0 */
    size_t logs_item;
    /* what was touched: the recent blocks' (kept for a reorg), and this
     * read's from ntouch_old on */
    struct feed_rpc_touch *touch;
    size_t ntouch, captouch;
    size_t read_from;    /* touches [read_from, ntouch): this read's logs */
    uint64_t log_height; /* the log being read's block */
    struct feed_rpc_touch *rd; /* what is read now, each once */
    size_t nrd;
};

/* feed_rpc_chain.c: after a block's prices, the logs it holds, the
 * positions and markets they touched read at it, then the book told. */
void feed_rpc_chain_calls(struct feed_rpc *r, const char *tag, uint64_t from);
void feed_rpc_chain_block(struct feed_rpc *r, struct rpc_batch *b);
void feed_rpc_touch_add(struct feed_rpc *r, uint8_t kind, uint16_t index,
                        const uint8_t addr[20]);
/* feed_rpc_aave.c's part of it */
void feed_rpc_aave_log(struct feed_rpc *r, const char *topic0,
                       const uint8_t *addr, const cJSON *topics);
void feed_rpc_aave_addresses(struct feed_rpc *r, cJSON *list);
void feed_rpc_aave_reads(struct feed_rpc *r, const char *tag);
bool feed_rpc_aave_answers(struct feed_rpc *r, struct rpc_batch *b, size_t *i);

/* feed_rpc_comp.c: a Compound v2 market. config: the portfolio's
 * compound-v2 market and "chain".compound_v2 and ctokens, if any;
 * first_calls/answers: in the resolve batch, the oracle and markets()'s
 * layout; calls/apply: each block's reads and prices line (apply returns
 * false when r failed); log, addresses, topics: the logs watched;
 * debtors: after the logs, the debtors of each cToken that accrued;
 * reads/answers: the touched accounts' getAssetsIn and snapshots, told to
 * the book with the market's block; commit: the block was applied. */
int feed_rpc_comp_config(struct feed_rpc *r, const cJSON *root,
                         const char *path, char *err, size_t errlen);
void feed_rpc_comp_first_calls(struct feed_rpc *r);
bool feed_rpc_comp_first_answers(struct feed_rpc *r, struct rpc_batch *b,
                                 size_t i, uint64_t chain);
void feed_rpc_comp_calls(struct feed_rpc *r, const char *tag);
bool feed_rpc_comp_apply(struct feed_rpc *r, struct rpc_batch *b, uint64_t ts);
void feed_rpc_comp_log(struct feed_rpc *r, const char *topic0,
                       const uint8_t *addr, const cJSON *log);
void feed_rpc_comp_addresses(struct feed_rpc *r, cJSON *list, cJSON *topics);
void feed_rpc_comp_debtors(struct feed_rpc *r, feed_chain_id_fn each);
void feed_rpc_comp_reads(struct feed_rpc *r, const char *tag);
bool feed_rpc_comp_answers(struct feed_rpc *r, struct rpc_batch *b);
void feed_rpc_comp_commit(struct feed_rpc *r);

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
