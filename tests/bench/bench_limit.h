/*
 * bench_limit.h: the limit `make bench` sets beside loading and
 * snapshots: the same file read by a plain read() loop, and parsed by
 * simdjson (Debian's libsimdjson-dev, linked into the benchmark alone,
 * never into liqtop). bench_limit.cc; benchmark-only.
 */
#ifndef BENCH_LIMIT_H
#define BENCH_LIMIT_H

#include <stdbool.h>
#include <stddef.h>

#include "tests/bench/bench_time.h"

#ifdef __cplusplus
extern "C" {
#endif

struct bench_limit {
    struct bench_time read;  /* read() of the whole file, 1 MB a call */
    struct bench_time parse; /* simdjson's DOM parse of what was read (a
                              * single document: the second parse, the
                              * parser's memory faulted in by the first) */
    size_t bytes;
    size_t docs; /* documents parsed: lines of JSON Lines, else 1 */
};

/*
 * Read path and parse it (lines: one document a line, JSON Lines), each
 * timed alone, adding to *out. Returns 0, or -1 with a message on stderr
 * when the file cannot be read or does not parse.
 */
int bench_limit_measure(const char *path, bool lines, struct bench_limit *out);

#ifdef __cplusplus
}
#endif

#endif
