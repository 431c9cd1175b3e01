/*
 * portfolio.h: loading a portfolio file (design.md section 3) and a JSON
 * Lines positions file into a book.
 *
 * Owns the file formats' meaning: every error names the file and line and
 * column (syntax) or the JSON path (meaning). Uses cJSON; nothing else in
 * the program parses portfolio JSON.
 */
#ifndef PORTFOLIO_H
#define PORTFOLIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/book.h"

/*
 * Load `path` (markets, prices, positions) into the empty book b, then, if
 * positions_path is not NULL, stream its JSON Lines positions (one object a
 * line, never held as one tree). On failure returns LIQ_E* and writes one
 * message into err ("book.json:12:5: ..." or "book.json: positions[3].debt.
 * USDC: ..." or "book.jsonl:812: ..."); b is then partially filled and
 * should be freed.
 */
int portfolio_load(struct book *b, const char *path, const char *positions_path,
                   char *err, size_t errlen);

/*
 * A load watched from another thread (the dashboard loads off its loop):
 * fn(ctx, n) runs on the loading thread with the positions the book holds,
 * once the document is read and then every PORTFOLIO_WATCH_EVERY lines of
 * the JSON Lines file; false from it stops the load, which fails with
 * LIQ_EINVAL ("file:line: load stopped"). fn must not touch the book.
 */
#define PORTFOLIO_WATCH_EVERY 65536
struct portfolio_watch {
    bool (*fn)(void *ctx, uint32_t positions);
    void *ctx;
};
/* As portfolio_load, watched by w (NULL: as portfolio_load). */
int portfolio_load_watched(struct book *b, const char *path,
                           const char *positions_path,
                           const struct portfolio_watch *w, char *err,
                           size_t errlen);

/*
 * As portfolio_load, from text[0..len) held in memory (the built-in demo);
 * `name` stands for the file in messages.
 */
int portfolio_load_text(struct book *b, const char *name, const char *text,
                        size_t len, const char *positions_path, char *err,
                        size_t errlen);

/*
 * One position object as liqtop import writes it (text[0..len), the JSON
 * of a positions-out line) into the running book b: a position the book
 * holds takes the new legs and view, a new one is added, a new one
 * holding nothing (no leg, or every leg zero) is left out. Errors as for a JSON
 * Lines line, `name` standing for the file; the position is unchanged then.
 */
int portfolio_position_apply(struct book *b, const char *name, const char *text,
                             size_t len, char *err, size_t errlen);

/*
 * Apply one "--price SYM=P" override (P in base units, decimal, truncated
 * to PRICE_DECIMALS). Errors name the argument.
 */
int portfolio_price_arg(struct book *b, const char *arg, char *err,
                        size_t errlen);

/*
 * After loading and overrides: every asset a position holds must have a
 * price. LIQ_ENOPRICE with the first position and symbol lacking one.
 */
int portfolio_check_prices(const struct book *b, char *err, size_t errlen);

/*
 * After portfolio_check_prices: bring b up to date (book_update) and make
 * sure every position's account computes at the current prices. A model
 * error (LIQ_EOVERFLOW for amounts near 2^256) is returned with the
 * position's id in err.
 */
int portfolio_check_accounts(struct book *b, char *err, size_t errlen);

/*
 * JSON Lines positions of the usual shape are read without a JSON tree
 * (portfolio_fast.c); off, every line goes through cJSON. The outcome is
 * the same either way, which the tests check by loading both ways. On by
 * default.
 */
void portfolio_set_quick(bool on);

/*
 * One shard of a book split between workers (design.md section 10): from
 * here on, loading keeps only the positions whose id core/shard.h puts in
 * shard i of n, and a chain source's new positions of other shards are
 * left out (n of 1: every position). The others are still read and
 * checked; a duplicate id hashes to one shard, so it is still found.
 */
void portfolio_set_shard(uint32_t i, uint32_t n);
/* Whether the shard set holds position id[0..len). */
bool portfolio_shard_keeps(const char *id, size_t len);

#endif
