/*
 * portfolio_read.h: reading the members of a parsed portfolio document
 * (and of JSON Lines position objects) into a book, with located messages.
 *
 * Used by portfolio.c only; the program's interface is portfolio.h. The
 * reader borrows everything it points to.
 */
#ifndef PORTFOLIO_READ_H
#define PORTFOLIO_READ_H

#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdint.h>

#include "core/book.h"
#include "core/market.h"

#define LABEL_MAX 256            /* bytes of a label */
#define PORTFOLIO_READ_MARKETS 8 /* markets a reader keeps found */

/*
 * Unknown keys are errors (a misspelt "protocol_fee" must not silently
 * become a zero fee), except keys that start with '_', which are left for
 * the reader ("_comment").
 */
struct portfolio_reader {
    struct book *b;
    const char *file;   /* name in messages */
    unsigned long line; /* JSON Lines line, 0 outside one */
    long pos_index;     /* positions[i], -1 for a JSON Lines line */
    long market_index;  /* markets[i] being read */
    int64_t as_of;      /* the document's "as_of", else the clock */
    bool as_of_given;   /* the document gave "as_of" */
    char *err;
    size_t errlen;
    /* A position whose id the book holds replaces it (a chain source's
     * re-read, portfolio_position_apply); one it lacks that holds nothing
     * (no leg, or every leg zero) is left out. Off while loading: a duplicate
     * id is an error. */
    bool replace;
    /* The last markets positions named, most recent first (JSON Lines
     * books name few, in any order); an empty id ends the list. */
    char last_market[PORTFOLIO_READ_MARKETS][MARKET_ID_MAX];
    uint32_t last_market_idx[PORTFOLIO_READ_MARKETS];
};

/* Write "file: message" (or "file:line: message") into r->err; returns
 * code. */
int portfolio_read_fail(struct portfolio_reader *r, int code, const char *fmt,
                        ...) __attribute__((format(printf, 3, 4)));

/*
 * A syntax error in text[0..len), which cJSON rejected at cjson_at:
 * "file:line:col: syntax error: what was expected". Returns LIQ_EPARSE.
 */
int portfolio_read_syntax_error(struct portfolio_reader *r, const char *text,
                                size_t len, const char *cjson_at);

/* The document: markets, prices, positions. 0 or LIQ_E* with r->err. */
int portfolio_read_root(struct portfolio_reader *r, const cJSON *root);

/* The index of market id, the last one asked kept at hand (JSON Lines
 * books name few); LIQ_ENOENT. */
int portfolio_read_find_market(struct portfolio_reader *r, const char *id,
                               uint32_t *out);

/* One position object (r->pos_index names it, or -1 on a JSON Lines
 * line). 0 or LIQ_E* with r->err. */
int portfolio_read_position(struct portfolio_reader *r, const cJSON *pj);

#endif
