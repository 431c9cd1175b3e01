/*
 * portfolio_fast.h: the quick reader of a JSON Lines position line
 * (portfolio_fast.c), tried before the JSON tree; portfolio.c only.
 */
#ifndef PORTFOLIO_FAST_H
#define PORTFOLIO_FAST_H

#include <stdbool.h>
#include <stddef.h>

#include "app/portfolio_read.h"

/*
 * Read line[0..len) into r's book when it has the usual shape and every
 * check passes; true when the position was added. False with nothing
 * changed otherwise: the caller then reads the line the full way, which
 * either accepts it or says what is wrong with it.
 */
bool portfolio_fast_position(struct portfolio_reader *r, const char *line,
                             size_t len);

#endif
