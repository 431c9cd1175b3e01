/*
 * feed.h: a price source behind one small ops table (as tmux's
 * window_mode), and what every source shares: a state, a reconnect count,
 * back-off with jitter, and the path from bytes to price updates.
 *
 * Owns struct feed and the spec grammar ("sim:42", "replay:F@10", "stdin",
 * "exec:CMD", "tcp:HOST:PORT", "unix:PATH", "redis://HOST:PORT/CHANNEL",
 * "redis-stream://HOST:PORT/KEY[?from=ID]").
 * A feed's only output is its callbacks; it never touches the book. Runs on
 * the caller's libuv loop; handles live inside the feed and are closed by
 * feed_stop(); memory is released by feed_free() after the loop has run
 * their close callbacks.
 */
#ifndef FEED_H
#define FEED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <uv.h>

#include "feeds/line.h"

#define FEED_SPEC_MAX 512
/* A connection attempt (resolve, connect, and for Redis the subscription
 * confirmed) that has not succeeded by then is abandoned and retried. */
#define FEED_CONNECT_TIMEOUT_MS 3000
/* The back-off starts again from its first step only after the source has
 * stayed healthy (connected, or a child running) this long. */
#define FEED_HEALTHY_MS 10000
/* A child that outlives SIGTERM by this much is killed. */
#define FEED_KILL_GRACE_MS 2000
/* A Redis stream entry id, "MS-SEQ" of two 64-bit numbers, and its NUL. */
#define FEED_STREAM_ID_MAX 48

enum feed_state {
    FEED_CONNECTING,
    FEED_LIVE,
    FEED_RECONNECTING,
    FEED_ENDED,
    FEED_ERROR
};

/* "connecting", "live", "reconnecting", "ended", "error" */
const char *feed_state_name(enum feed_state s);

struct feed;

/* An Aave v3 reserve's configuration and gates read at a block, as liqtop
 * import writes them (design.md 3.1): bps, the bonus over 1. */
struct feed_chain_reserve {
    uint64_t ltv_bps, lt_bps, bonus_bps, fee_bps;
    bool paused;
    unsigned emode;      /* the category before 3.2, 0 none */
    int64_t grace_until; /* getLiquidationGracePeriod (3.1+), 0 none */
};

/* An Aave v3 eMode category as read at a block (getEModeCategoryData):
 * bps, the bonus over 1; from 3.2 its bitmaps, a bit per symbol of the
 * block's list (struct feed_chain_market's sym). */
struct feed_chain_emode {
    unsigned id;
    uint64_t ltv_bps, lt_bps, bonus_bps;
    bool price_source; /* a price source of its own (before 3.2) */
    bool has_bitmaps;
    uint32_t collateral, borrowable;
    char label[48];
};

/* A Compound v2 market (a cToken) as read at a block, as liqtop import
 * writes it: the collateral factor (the weight getAccountLiquidity uses;
 * Venus's liquidation threshold), exchangeRateStored, and deprecated. */
struct feed_chain_ctoken {
    struct u256 cf;            /* WAD */
    struct u256 exchange_rate; /* 1e18 mantissa */
    bool deprecated;
};

/*
 * What a chain source (rpc:) read at one block for one market of the
 * portfolio: the block's time, and what changed there. Borrowed for the
 * callback only.
 */
struct feed_chain_market {
    const char *market; /* the portfolio's market id */
    uint64_t block;
    int64_t as_of; /* the block's timestamp, unix seconds */
    /* aave-v3: each symbol's indexes accrued to as_of (RAY), nidx of them */
    size_t nidx;
    const char (*sym)[SYMBOL_MAX];
    const struct u256 *lindex, *dindex;
    /* aave-v3: the indexes as the reserve stored them, their rates (RAY a
     * year) and when it stored them (unix s), nidx of each; NULL: not read */
    const struct u256 *lindex_stored, *dindex_stored, *lrate, *drate;
    const int64_t *reserve_updated;
    /* aave-v3: each symbol's reserve configuration at the block, nidx of
     * them; NULL: not read */
    const struct feed_chain_reserve *reserve;
    /* aave-v3: the categories the book lists or a reserve names, read at
     * the block with the reserves (nemodes of them) */
    size_t nemodes;
    const struct feed_chain_emode *emodes;
    /* morpho-blue: the stored market (market(id)) and the IRM's rate at
     * it; has_state false: unchanged */
    bool has_state;
    struct u256 supply_assets, supply_shares, borrow_assets, borrow_shares;
    int64_t last_update;
    struct u256 fee;         /* WAD */
    struct u256 borrow_rate; /* per second, WAD */
    /* compound-v2: each symbol's cToken (nidx, with sym), and the
     * Comptroller's close factor and incentive (WAD); NULL: not read */
    const struct feed_chain_ctoken *ctoken;
    struct u256 close_factor, incentive;
};

/* A position id, for a chain source's chain_ids. */
typedef void (*feed_chain_id_fn)(void *ctx, const char *id);

/* What a feed reports. update and reject may be called many times per
 * loop turn; state after every change of f->state. */
struct feed_cbs {
    void (*update)(void *arg, struct feed *f, const struct price_update *u);
    void (*reject)(void *arg, struct feed *f, enum line_reject why);
    void (*state)(void *arg, struct feed *f);
    void *arg;
    /* a market's oracle price; NULL: each is an unknown_symbol reject */
    void (*oracle)(void *arg, struct feed *f, const struct oracle_update *u);
    /* chain sources: a market's new block (its time and state), and a
     * position read again, as one JSON object of liqtop import's
     * positions (text[0..len)); NULL: not taken */
    void (*chain_market)(void *arg, struct feed *f,
                         const struct feed_chain_market *u);
    void (*chain_position)(void *arg, struct feed *f, const char *text,
                           size_t len);
    /* chain sources: each id of a position the book holds in market (its
     * views too) given to each(ctx, id), the ids borrowed for the call;
     * with debt_sym, only those that owe that symbol; NULL: not known */
    void (*chain_ids)(void *arg, struct feed *f, const char *market,
                      const char *debt_sym, feed_chain_id_fn each, void *ctx);
};

/* A symbol and its starting price, for the simulator. */
struct feed_symbol {
    char symbol[SYMBOL_MAX];
    struct u256 price_e18;
};

/* What the process offers every feed. Borrowed for feed_new only. */
struct feed_env {
    const struct feed_symbol *symbols; /* sim: the book's priced symbols */
    size_t nsymbols;
    bool bounded; /* headless --until-end: sim stops after sim_steps */
    uint32_t sim_steps;
    const char *portfolio;  /* the portfolio file (rpc: reads its markets) */
    uint32_t confirmations; /* rpc: --confirmations N */
};

struct feed_ops {
    const char *name;
    int (*start)(struct feed *f);
    void (*stop)(struct feed *f); /* close every handle */
    void (*free)(struct feed *f); /* release impl after the closes ran */
};

struct feed {
    const struct feed_ops *ops;
    uv_loop_t *loop;
    char spec[FEED_SPEC_MAX];
    enum feed_state state;
    uint32_t reconnects;
    char error[320]; /* last error text, "" when none */
    struct feed_cbs cbs;
    struct linebuf lb;
    bool stopping;
    uint64_t backoff_ms;
    uint64_t rng;                /* jitter */
    uint64_t live_since;         /* uv_now() when it became live, 0: not */
    uint64_t connect_timeout_ms; /* FEED_CONNECT_TIMEOUT_MS; tests lower it */
    uint64_t healthy_ms;         /* FEED_HEALTHY_MS */
    uint64_t kill_grace_ms;      /* FEED_KILL_GRACE_MS */
    void *impl;                  /* the adapter's own state */
    /* Chain sources (rpc:): the newest block applied and its timestamp
     * (unix seconds); 0 until one is. */
    uint64_t block;
    int64_t block_time;
    uint32_t reorgs;         /* blocks found replaced, read again */
    uint32_t deep_reorgs;    /* of them, forks older than the blocks kept:
                              * the book's markets and positions read again */
    uint64_t positions_read; /* positions the book took from it again */
    /* A scripted source (sim): the story's chapter now ("crash: WETH
     * falls"), a static string; NULL when none. */
    const char *story;
    /* A stream source (redis-stream:): is_stream true, and stream_id the
     * id of the newest entry taken from the stream (applied, or counted
     * as rejected), "" until one is; while an entry's ticks are reported,
     * it is that entry's id. A restart from it loses and repeats nothing. */
    bool is_stream;
    char stream_id[FEED_STREAM_ID_MAX];
};

/*
 * Parse spec and create the feed (not started). LIQ_EINVAL with a message
 * naming the spec for an unknown kind or a bad argument. The caller owns
 * *out and frees it with feed_free().
 */
int feed_new(struct feed **out, uv_loop_t *loop, const char *spec,
             const struct feed_cbs *cbs, const struct feed_env *env, char *err,
             size_t errlen);
int feed_start(struct feed *f);
void feed_stop(struct feed *f);
void feed_free(struct feed *f);

/* For adapters: */
void feed_set_state(struct feed *f, enum feed_state s);
/* The source is connected (or its child runs): state live, error cleared,
 * the health clock started. */
void feed_set_live(struct feed *f);
/* The source was lost: the delay before the next attempt. The back-off
 * restarts from 100 ms only when the source had stayed live for
 * healthy_ms; a peer that accepts and closes at once backs off. */
uint64_t feed_retry_delay(struct feed *f);
/* f->error changed without a change of state: tell the callbacks. */
void feed_note_error(struct feed *f);
/* Bytes from the source: split into lines, parsed, reported. */
void feed_bytes(struct feed *f, const char *data, size_t len);
/* The source's stream ended: a last unterminated line is delivered. */
void feed_eof(struct feed *f);
/* Report the updates and rejects of one parsed line. */
void feed_emit(struct feed *f, const struct line_result *r);
/* The next reconnect delay: doubling from 100 ms to 5 s, +-25 % jitter. */
uint64_t feed_backoff_next(struct feed *f);
void feed_backoff_reset(struct feed *f);
/* The same step on a delay and jitter state of the caller's own (start
 * *backoff_ms at 100 and *rng non-zero), for retries outside a feed. */
uint64_t feed_backoff_step(uint64_t *backoff_ms, uint64_t *rng);
void feed_set_error(struct feed *f, const char *what, int uv_status);

/* The adapters' constructors, called by feed_new. arg is the text after
 * the kind ("42" for "sim:42"). */
int feed_sim_new(struct feed *f, const char *arg, const struct feed_env *env,
                 char *err, size_t errlen);
int feed_replay_new(struct feed *f, const char *arg, char *err, size_t errlen);
int feed_stream_new(struct feed *f, const char *kind, const char *arg,
                    char *err, size_t errlen);
int feed_redis_new(struct feed *f, const char *arg, char *err, size_t errlen);
int feed_redis_stream_new(struct feed *f, const char *arg, char *err,
                          size_t errlen);
int feed_rpc_new(struct feed *f, const char *arg, const struct feed_env *env,
                 char *err, size_t errlen);

#endif
