/*
 * book.h: the book of positions ranked by health, kept current as prices
 * move.
 *
 * Owns the symbols, markets, positions and prices of one session, each
 * position's account at the current prices, and the ranking (health
 * ascending, ties by id, positions without debt after those with, positions
 * lacking a price last). A price change recomputes only the positions that
 * hold the asset, and the ranking is repaired, never re-sorted whole
 * (design.md section 8). Pure: allocates only through book_new and the
 * add functions, never reads a clock (times come in as ts_ms).
 *
 * The files behind it are layered one way, each calling only those above
 * it in this list: storage (book.c: symbols, markets, positions, prices,
 * all of struct book's memory; book_holders.c: the holders index), the rank
 * keys and their change queue (book_key.c), valuation (book_calc.c: accounts,
 * tiers, counts; book_tick.c: an update's walk over the positions whose
 * legs moved; book_read.c: their readers), ranking (book_sort.c,
 * book_rank.c), the update (book_update.c, book_change.c), and the views on top
 * (book_filter.c, book_order*.c, book_front.c).
 */
#ifndef BOOK_H
#define BOOK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/health.h"
#include "core/market.h"
#include "core/model.h"
#include "core/position.h"
#include "core/u256.h"

struct book;

/*
 * A hook shown each large array (2 MB and up) the book allocates, before it
 * is written, so that the application may advise the system on it (app/
 * asks for transparent huge pages: a million positions then fault in a few
 * hundred pages, not tens of thousands). Core itself makes no system call.
 * Set once at start; NULL for none (the default).
 */
void book_set_advice(void (*advise)(void *p, size_t n));

/* An empty book; book_free(NULL) is a no-op. Aborts on out of memory. */
struct book *book_new(void);
void book_free(struct book *b);

/* Symbols are interned once: ids are dense from 0. */
int book_symbol_intern(struct book *b, const char *name, size_t len,
                       uint32_t *out);
int book_symbol_find(const struct book *b, const char *name, size_t len,
                     uint32_t *out); /* LIQ_ENOENT */
const char *book_symbol_name(const struct book *b, uint32_t sym);
uint32_t book_symbol_count(const struct book *b);

/*
 * Markets are copied in; LIQ_EDUP for an id already present with the same
 * view (market.h struct market_view: a position's view of a market is a
 * market of its own, with the id of the market it views). book_market_find
 * finds the market as listed, book_market_find_view a view of it.
 */
int book_market_add(struct book *b, const struct market *m, uint32_t *out);
uint32_t book_market_count(const struct book *b);
const struct market *book_market(const struct book *b, uint32_t idx);
int book_market_find(const struct book *b, const char *id, uint32_t *out);
int book_market_find_view(const struct book *b, const char *id,
                          const struct market_view *v, uint32_t *out);

/*
 * A Morpho Blue market's new IOracle.price() (1e36 scale, nonzero): every
 * market of that id holding an oracle_price (its views too) takes it, and
 * their positions are valued again, whole, off the price path. LIQ_ENOENT
 * where no market of the book has that id and an oracle price.
 */
int book_update_oracle(struct book *b, const char *id, struct u256 raw);

/*
 * What a chain source reads besides prices (core/book_change.c), each
 * valued again at once and the ranking repaired:
 * book_position_set gives position idx new legs and market (a view of the
 * same market, say); LIQ_EINVAL for a market index or leg asset out of
 * range. book_market_set replaces market idx's contents (indexes, Morpho
 * state, as_of) with m, which must keep its id, model, view and assets'
 * symbols (LIQ_EINVAL otherwise); its positions are valued again.
 */
int book_position_set(struct book *b, uint32_t idx, const struct position *p);
int book_market_set(struct book *b, uint32_t idx, const struct market *m);
/* book_market_set for n markets at once (market idx[k] takes m[k], each
 * copied in), their positions valued again in one pass over the book;
 * LIQ_EINVAL, with nothing changed, where any one does not fit. */
int book_markets_set(struct book *b, uint32_t n, const uint32_t *idx,
                     const struct market *const *m);

/*
 * Positions are copied in (id, label and legs); LIQ_EDUP for a duplicate
 * id, LIQ_EINVAL for a market index or leg asset out of range.
 */
int book_position_add(struct book *b, const struct position *p, uint32_t *out);
uint32_t book_position_count(const struct book *b);
/*
 * Room for npos positions and nleg legs in all, made at once (a loader that
 * can estimate them spares the arrays' growth by doubling, and each large
 * array is allocated, and advised, at its final size). Only a hint: the
 * book grows past it as needed.
 */
void book_reserve(struct book *b, uint32_t npos, size_t nleg);
int book_position_find(const struct book *b, const char *id, size_t len,
                       uint32_t *out);
/* Materialize position idx; its id and label point into the book and stay
 * valid until book_free. */
void book_position_get(const struct book *b, uint32_t idx,
                       struct position *out);
/*
 * Hints that change no figure, for readers that know what they read next
 * (rank order, the next line of a file), so that memory is fetched
 * meanwhile: position idx is read soon (stage 0: its slots of the book's
 * arrays; stage 1, a little later, once those are cached: its id and
 * legs); a position of this id is looked up or added soon.
 */
void book_position_prefetch(const struct book *b, uint32_t idx, int stage);
void book_position_prefetch_id(const struct book *b, const char *id,
                               size_t len);

/*
 * Feed price of symbol sym, PRICE_DECIMALS places, with its time (ms since
 * the epoch, 0 when unknown). Marks the holders of sym for recomputation.
 */
int book_price_set(struct book *b, uint32_t sym, struct u256 price_e18,
                   int64_t ts_ms);
/* False when sym has no price yet. Either out may be NULL. */
bool book_price_get(const struct book *b, uint32_t sym, struct u256 *price_e18,
                    int64_t *ts_ms);
/*
 * What-if shock of sym in bps (-100 = price 1 % lower), applied on top of
 * the feed price until cleared with 0. The effective price is
 * floor(feed * (10000 + shock) / 10000). LIQ_ERANGE below -10000.
 */
int book_whatif_set(struct book *b, uint32_t sym, int32_t shock_bps);
int32_t book_whatif_get(const struct book *b, uint32_t sym);
void book_whatif_clear(struct book *b);
/* Effective price of sym (feed with what-if), PRICE_DECIMALS places. */
bool book_price_effective(const struct book *b, uint32_t sym,
                          struct u256 *price_e18);
/*
 * Prices of market idx's assets in its base units (market_price_base of the
 * effective price), into out[MARKET_ASSETS_MAX]; *missing (may be NULL)
 * gets a bit per asset without a price.
 */
void book_prices_base(const struct book *b, uint32_t market, struct u256 *out,
                      uint32_t *missing);

/*
 * Judge every market's gates at t (unix s) from now on, where t is after
 * its as_of (market.gate_at): the dashboard's and run's clock; a market
 * on a chain's clock (market.chain_clock) keeps judging at its as_of. No
 * account depends on a gate, so nothing is recomputed.
 */
void book_gate_clock_set(struct book *b, int64_t t);

/*
 * Bring every account and the ranking up to date with the prices set since
 * the last call. Work is in proportion to the positions holding the changed
 * assets. Returns the number of positions recomputed.
 */
size_t book_update(struct book *b);
/*
 * The straightforward way, for measuring and checking book_update():
 * forget every account and the ranking, value every position whole at the
 * current prices and sort the ranking once, as the first update after a
 * load does. Returns the number of positions valued.
 */
size_t book_revalue_all(struct book *b);
/*
 * How many times book_update() has recomputed the holders of sym (its
 * price, or whether it has one, moved in some market): a reader that keeps
 * the last value it saw knows which holders to look at again (the
 * dashboard's orders, core/book_order.h). Wraps; 0 for an unknown sym.
 */
uint32_t book_symbol_generation(const struct book *b, uint32_t sym);
/*
 * The positions holding sym, each once, as of the last book_update(): their
 * count, with *pos pointing into the book (valid until the next update);
 * UINT32_MAX when that index is not current (positions or symbols added
 * since), then *pos is untouched. With book_symbol_generation a reader
 * visits what an update recomputed, never the whole book.
 */
uint32_t book_symbol_holders(const struct book *b, uint32_t sym,
                             const uint32_t **pos);

/*
 * Position idx's account as of the last book_update(); false when one of
 * its assets has no price (or the model reported an arithmetic error), in
 * which case *out is untouched.
 */
bool book_read_account(const struct book *b, uint32_t idx, struct account *out);
/*
 * The verdict part of that account (the same figures), for readers that
 * visit every holder of a tick (alert rules): the flags the book keeps,
 * and the health factor only with debt (u256_max without), from the
 * cached sums through the model's 128-bit finish where it serves.
 */
struct book_health {
    struct u256 hf;
    bool has_debt, liquidatable, bad_debt;
};
bool book_read_health(const struct book *b, uint32_t idx,
                      struct book_health *out);
/*
 * The figures the book keeps for position idx's account, as of the last
 * book_update(): an additive model's sums (model.h), else its collateral
 * value, debt value and health (0 without debt) in s[0], s[1], s[2]; *big
 * set where a figure passed 128 bits and the account is kept whole (the
 * same three figures then). For a caller holding the book to one valued
 * afresh. False, *out untouched, where it has no account.
 */
bool book_read_sums(const struct book *b, uint32_t idx, struct model_sums *out,
                    bool *big);

/*
 * Ranking as of the last book_update(): position index at `rank`, and the
 * rank of position idx (a binary search). Positions added since the last
 * update have no rank until the next one. UINT32_MAX for a rank past the
 * ranked positions, an unknown idx or one not yet ranked. b is not const:
 * reads keep a cursor.
 */
uint32_t book_rank_at(struct book *b, uint32_t rank);
uint32_t book_rank_of(struct book *b, uint32_t idx);
/*
 * The ranks that hold a borrower: a position holding nothing (no leg, or
 * every leg zero, as one repaid and withdrawn in full leaves on a chain)
 * is kept by its id, so that new legs bring it back, but ranks after all
 * others, is left out of book_counts and matches no order's filter. The
 * rows to show are ranks [0, book_rank_count()).
 */
uint32_t book_rank_count(const struct book *b);

/*
 * The positions holding sym (a collateral or debt leg of it), each once,
 * *n of them, in no particular order: those a move of sym recomputes.
 * The array is the book's, valid until the next book_position_add,
 * book_symbol_intern or book_update; NULL with *n 0 for an unknown sym.
 * The index is built here if positions or symbols were added since.
 */
const uint32_t *book_holders(struct book *b, uint32_t sym, uint32_t *n);

/* Positions holding nothing are not counted (book_rank_count). */
struct book_counts {
    uint32_t total;
    uint32_t liquidatable; /* the model's verdict (account.liquidatable) */
    uint32_t at_risk;      /* not liquidatable, tier pre, danger or warn */
    uint32_t pre;          /* of those, in the pre-liquidation band */
    uint32_t no_debt;
    uint32_t bad_debt;
    uint32_t unpriced; /* an asset without a price, or a model error */
};
void book_counts(const struct book *b, struct book_counts *out);

/* Position idx's tier as the counts and filters take it (enum tier:
 * TIER_PRE for a morpho-pre position in the band), TIER_COUNT while it
 * has no price. */
enum tier book_read_tier(const struct book *b, uint32_t idx);

#endif
