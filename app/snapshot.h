/*
 * snapshot.h: the snapshot of a book at its current prices, as JSON
 * ({"positions": [...]}, design.md section 4), CSV or a readable table.
 *
 * Owns these output formats; the same writer serves `liqtop snapshot` and
 * the "snapshot" member of `liqtop run --report json`.
 */
#ifndef SNAPSHOT_H
#define SNAPSHOT_H

#include <stdint.h>
#include <stdio.h>

#include "core/book.h"

enum snapshot_format { SNAPSHOT_JSON, SNAPSHOT_CSV, SNAPSHOT_TABLE };

/* Brings b up to date (book_update) and writes every position in rank
 * order. Returns 0 or LIQ_EIO. */
int snapshot_write(FILE *out, struct book *b, enum snapshot_format fmt);

/* Options of `snapshot`: the symbols of --stress-assets (borrowed; none:
 * each position's liquidation_shock falls its collateral not also owed). */
struct snapshot_opts {
    const uint32_t *stress_syms;
    size_t nstress;
};

/* snapshot_write with options (NULL: none). */
int snapshot_write_opts(FILE *out, struct book *b, enum snapshot_format fmt,
                        const struct snapshot_opts *opts);

/* The first limit positions in rank order, each as the one-line JSON
 * object of a "positions" item, a newline after each (a worker's
 * published rows, design.md section 10). Brings b up to date. 0 or
 * LIQ_EIO / LIQ_ENOMEM. */
int snapshot_write_lines(FILE *out, struct book *b, uint32_t limit);

#endif
