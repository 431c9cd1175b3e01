/*
 * world.h: a random book for the property tests (world.c): its symbols,
 * markets and positions, from a printed seed (testutil.h). The caller owns
 * w->b and frees it with book_free.
 *
 * Test-only; never linked into ./liqtop.
 */
#ifndef WORLD_H
#define WORLD_H

#include <stdint.h>

#include "core/book.h"
#include "tests/common/testutil.h"

#define WORLD_NSYM 7 /* the last is held by few: small repairs */
#define WORLD_LATE 5 /* priced only after a third of the ticks */

struct world {
    struct book *b;
    uint64_t rng;
    uint32_t sym[WORLD_NSYM];
    uint32_t nmkt;
    uint32_t mkt[8];
    uint32_t nextid;
};

/* 10^n. */
struct u256 world_pow10(unsigned n);
/* A random amount for an asset with `dec` decimals: mostly ordinary, some
 * tiny, a few past 128 bits. */
struct u256 world_amount(struct world *r, unsigned dec);
/* A market of the kind (version: Aave's; for Morpho a row of the symbol
 * table: 0 usual, 1 reversed, 2 late, 3 three assets), kept only when its
 * model answers. */
void world_add_market(struct world *r, enum model_kind kind, uint16_t version,
                      const char *id);
/* A random position on one of the markets (now and then a copy of an
 * earlier one under a new id). */
void world_add_position(struct world *r);
/* A new book of the symbols and markets above, npos positions and the
 * first prices (px: WORLD_NSYM of them, all but WORLD_LATE set). */
void world_init(struct world *r, unsigned npos, struct u256 *px);

#endif
