/*
 * stress_run.h: the scenarios of `liqtop stress` run over a book and
 * written out (design.md 9.1), for the command and the benchmark.
 */
#ifndef STRESS_RUN_H
#define STRESS_RUN_H

#include <stddef.h>
#include <stdio.h>

#include "app/stress_spec.h"
#include "core/book.h"

enum stress_format { STRESS_JSON, STRESS_CSV, STRESS_TABLE };

/*
 * Run every scenario of spec over b and write them to out in fmt. The
 * book's feed prices move during the run and are left at the last
 * scenario's. Returns 0, or an error with the message in err (a position
 * the model cannot value at a scenario's prices, totals past 256 bits).
 */
int stress_run_write(FILE *out, struct book *b, const struct stress_spec *spec,
                     enum stress_format fmt, char *err, size_t errlen);

#endif
