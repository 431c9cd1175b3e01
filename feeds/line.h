/*
 * line.h: the feed line protocol (design.md section 5): splitting a byte
 * stream into lines, and parsing one line into price updates.
 *
 * Owns the wire format. cJSON is used here and never leaves feeds/: a line
 * is parsed, copied into plain structs and freed in one call. Knows nothing
 * of the book: whether a symbol is known is the caller's question.
 */
#ifndef LINE_H
#define LINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/market.h"
#include "core/u256.h"

#define LINE_MAX_BYTES (64 * 1024) /* longer lines are dropped, counted */
#define LINE_BATCH_MAX 256         /* symbols one line may carry */

/* Why a line or one of its prices was not applied. */
enum line_reject {
    LINE_MALFORMED,      /* not JSON, not an object, wrong shape, NUL byte */
    LINE_TOO_LONG,       /* over LINE_MAX_BYTES */
    LINE_UNKNOWN_SYMBOL, /* counted by the caller, which knows the book */
    LINE_BAD_PRICE,      /* not a number, NaN, overflow */
    LINE_NON_POSITIVE,   /* zero or negative */
    LINE_REJECT_COUNT
};

/* "malformed", "too_long", "unknown_symbol", "bad_price", "non_positive" */
const char *line_reject_name(enum line_reject r);

struct price_update {
    char symbol[SYMBOL_MAX];
    struct u256 price_e18; /* PRICE_DECIMALS places, truncated */
    bool has_ts;
    int64_t ts_ms;
};

/*
 * A market's own oracle price, {"oracle": {MARKET_ID: "RAW"}} (design.md
 * 3.1: Morpho Blue's IOracle.price(), a nonzero integer at the 1e36 scale,
 * as the rpc: feed reads it).
 */
#define LINE_ORACLE_MAX 8
struct oracle_update {
    char market[MARKET_ID_MAX];
    struct u256 raw;
};

/*
 * The result of one line. A batch keeps its good prices: a risk tool
 * applies what it can and counts the rest (one reject per bad price).
 */
struct line_result {
    size_t n;
    struct price_update up[LINE_BATCH_MAX];
    size_t noracle;
    struct oracle_update oracle[LINE_ORACLE_MAX];
    size_t nrejects;
    enum line_reject rejects[LINE_BATCH_MAX + 1];
};

/* Parse line[0..len) (no newline). An empty or all-blank line gives no
 * update and no reject. Never fails: problems are rejects. */
void line_parse(const char *line, size_t len, struct line_result *out);

/*
 * Splits a byte stream into lines of at most LINE_MAX_BYTES, whatever the
 * read boundaries. An over-long line is dropped (its bytes are not kept)
 * and reported once when its newline arrives.
 */
struct linebuf {
    char *buf; /* owned; freed by linebuf_done */
    size_t len;
    size_t cap;
    bool overlong;
};

typedef void (*linebuf_cb)(void *arg, const char *line, size_t len,
                           bool too_long);

void linebuf_init(struct linebuf *lb);
void linebuf_done(struct linebuf *lb);
/* Feed bytes; cb is called for each complete line ("\r\n" or "\n"). */
void linebuf_feed(struct linebuf *lb, const char *data, size_t len,
                  linebuf_cb cb, void *arg);
/* End of stream: a last line without newline is delivered. */
void linebuf_flush(struct linebuf *lb, linebuf_cb cb, void *arg);

/* Write one update as a replayable line into buf (NUL-terminated); returns
 * the length, or the length needed as snprintf does. */
size_t line_format(char *buf, size_t cap, const struct price_update *up);

#endif
