/*
 * bench_time.h: wall and CPU time for `make bench`'s rows. The machine is
 * shared, so every figure is taken both ways: wall time (CLOCK_MONOTONIC)
 * and the process's CPU time (CLOCK_PROCESS_CPUTIME_ID). Benchmark-only.
 */
#ifndef BENCH_TIME_H
#define BENCH_TIME_H

#include <time.h>

struct bench_time {
    double wall;
    double cpu;
};

static inline double
bench_time_clock(clockid_t id)
{
    struct timespec ts;

    clock_gettime(id, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static inline struct bench_time
bench_time_now(void)
{
    struct bench_time t = {bench_time_clock(CLOCK_MONOTONIC),
                           bench_time_clock(CLOCK_PROCESS_CPUTIME_ID)};
    return t;
}

/* The time since t0. */
static inline struct bench_time
bench_time_since(struct bench_time t0)
{
    struct bench_time t = bench_time_now();

    t.wall -= t0.wall;
    t.cpu -= t0.cpu;
    return t;
}

#endif
