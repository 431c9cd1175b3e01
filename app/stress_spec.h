/*
 * stress_spec.h: the scenarios of `liqtop stress` read from --shock and
 * --grid text ("WETH=-20%,WBTC=-15%", "WETH=-50%..0%/5%") against a
 * book's symbols.
 *
 * Owns struct stress_spec (a growing list of scenarios, each a list of
 * symbol and shock) and the messages for bad specs. Checks every shocked
 * price against the book: a symbol the book lacks, a move that takes a
 * price to zero or below (in any market's base units), a zero step.
 */
#ifndef STRESS_SPEC_H
#define STRESS_SPEC_H

#include <stddef.h>
#include <stdint.h>

#include "core/book.h"

#define STRESS_SPEC_MAX 10000 /* scenarios at most */

struct stress_move {
    uint32_t sym;
    int32_t ppm; /* core/stress.h: millionths of the price */
};

struct stress_scenario {
    struct stress_move *move; /* owned by the spec */
    uint32_t nmove;
};

struct stress_spec {
    struct stress_scenario *sc; /* owned */
    uint32_t nsc;
    uint32_t capsc;
};

void stress_spec_init(struct stress_spec *s);
void stress_spec_done(struct stress_spec *s);

/* Add the scenario of one --shock (opt "--shock") or the scenarios of one
 * --grid (the cross product of its ranges). LIQ_EINVAL with a message
 * naming the option and the part at fault in err. */
int stress_spec_add_shock(struct stress_spec *s, const struct book *b,
                          const char *text, char *err, size_t errlen);
int stress_spec_add_grid(struct stress_spec *s, const struct book *b,
                         const char *text, char *err, size_t errlen);

/* A percentage "[+-]D[.DDDD]%" at s[0, len), at most +1000 %, into
 * millionths (-20 % is -200000); -1 when it is not one. */
int stress_spec_parse_pct(const char *s, size_t len, int32_t *ppm);

/* "-20%", "12.5%", "0%": ppm as text, into buf (32 bytes suffice). */
void stress_spec_pct(char *buf, size_t cap, int32_t ppm);

#endif
