/*
 * position.h: one borrower's position in one market: what it supplies as
 * collateral and what it owes, in raw token units.
 *
 * Owns struct position, a plain value the models read. It borrows its id
 * and label strings; the book (or the caller) owns them. Pure.
 */
#ifndef POSITION_H
#define POSITION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/market.h"
#include "core/u256.h"

#define POSITION_SIDE_MAX 8 /* collateral legs, and debt legs, at most */
#define POSITION_ID_MAX 128 /* bytes of an id, including the NUL */

/* An amount of one market asset (index into market.assets). */
struct leg {
    uint8_t asset;
    struct u256 amount;
};

struct position {
    const char *id;    /* borrowed */
    const char *label; /* borrowed, may be "" */
    uint32_t market;   /* index in the book's markets */
    uint8_t ncoll;
    uint8_t ndebt;
    struct leg coll[POSITION_SIDE_MAX];
    struct leg debt[POSITION_SIDE_MAX];
};

/* Leg index of asset in coll/debt, or -1. */
int position_coll_find(const struct position *p, uint8_t asset);
int position_debt_find(const struct position *p, uint8_t asset);
bool position_has_debt(const struct position *p);
/* No leg, or every leg zero: what a borrower leaves who repaid everything
 * and withdrew everything (or was liquidated to nothing). */
bool position_holds_nothing(const struct position *p);

#endif
