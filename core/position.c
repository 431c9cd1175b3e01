/*
 * position.c: small queries on a position's legs.
 *
 * Owns nothing but lookups; positions are plain values. Pure.
 */
#include "core/position.h"

int
position_coll_find(const struct position *p, uint8_t asset)
{
    for (int i = 0; i < p->ncoll; i++) {
        if (p->coll[i].asset == asset)
            return i;
    }
    return -1;
}

int
position_debt_find(const struct position *p, uint8_t asset)
{
    for (int i = 0; i < p->ndebt; i++) {
        if (p->debt[i].asset == asset)
            return i;
    }
    return -1;
}

bool
position_holds_nothing(const struct position *p)
{
    for (int i = 0; i < p->ncoll; i++)
        if (!u256_is_zero(p->coll[i].amount))
            return false;
    return !position_has_debt(p);
}

bool
position_has_debt(const struct position *p)
{
    for (int i = 0; i < p->ndebt; i++) {
        if (!u256_is_zero(p->debt[i].amount))
            return true;
    }
    return false;
}
