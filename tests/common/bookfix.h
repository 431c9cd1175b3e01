/*
 * bookfix.h: the small book the book's unit tests share (bookfix.c): WETH,
 * USDC and DAI, one aave-v3 3.7 market over them (design.md section 3's
 * example), positions added by whole units. The caller owns f->b and frees
 * it with book_free.
 *
 * Test-only; never linked into ./liqtop.
 */
#ifndef BOOKFIX_H
#define BOOKFIX_H

#include <stdint.h>

#include "core/book.h"

/* A book with WETH, USDC, DAI and one aave-v3 3.7 market over them. */
struct bookfix {
    struct book *b;
    uint32_t weth, usdc, dai, mkt;
};

void bookfix_init(struct bookfix *f);
/* Position id with raw amounts (wei, wei, USDC units) of WETH and DAI
 * collateral and USDC debt; zero legs left out. */
uint32_t bookfix_add_raw(struct bookfix *f, const char *id, struct u256 weth,
                         struct u256 dai, struct u256 usdc);
/* Position id with coll_weth WETH (whole units) and debt_usdc USDC;
 * coll_dai DAI when non-zero. */
uint32_t bookfix_add(struct bookfix *f, const char *id, uint64_t coll_weth,
                     uint64_t coll_dai, uint64_t debt_usdc);
/* whole x 1e18 */
struct u256 bookfix_e18(uint64_t whole);
/* WETH at 2000, USDC at 1 */
void bookfix_prices(struct bookfix *f);
/* The id of the position at rank. */
const char *bookfix_id_at(struct book *b, uint32_t rank);

#endif
