/*
 * bench_stress.c: `make bench`'s stress figure: a 20-scenario grid of
 * `liqtop stress` over the generated book, wall and CPU time, beside
 * the naive way in the same run (the book's snapshot written once per
 * scenario, which values every position, liquidation prices included).
 *
 *   bench_stress DIR SYM     DIR/book.json and positions.jsonl; the grid
 *                            SYM=-19%..0%/1%
 *
 * Then snapshot's liquidation_shock over every position (its default
 * group), as snapshot takes it (from the book's account) beside the
 * search from scratch (stress_liquidation_shock), in the same run.
 *
 * Last, an alert rule over every position on ticks of SYM: 10 ticks of
 * -1 % and back, each the book's update then the rules, the CPU of each
 * part (the update is the fair baseline).
 *
 * Benchmark-only: never run by make check.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <uv.h>

#include "app/alerts.h"
#include "app/memadvise.h"
#include "app/portfolio.h"
#include "app/snapshot.h"
#include "app/stress_run.h"
#include "app/stress_spec.h"
#include "core/book.h"
#include "core/stress.h"

/* liquidation_shock of every position at the book's prices, from the
 * book's account when `from` is set; the count found. */
static uint32_t
shock_pass(struct book *b, bool from)
{
    uint32_t nm = book_market_count(b), n = book_position_count(b), found = 0;
    struct u256 *e18 = calloc((size_t)nm * MARKET_ASSETS_MAX + 1, sizeof *e18);

    if (e18 == NULL)
        abort();
    for (uint32_t mi = 0; mi < nm; mi++) {
        const struct market *m = book_market(b, mi);

        for (unsigned a = 0; a < m->nassets; a++)
            (void)book_price_effective(
                b, market_asset_price_sym(&m->assets[a]),
                &e18[(size_t)mi * MARKET_ASSETS_MAX + a]);
    }
    for (uint32_t i = 0; i < n; i++) {
        struct position p;
        struct account a;
        const struct market *m;
        uint32_t g, bps;
        bool exists = false;

        if (!book_read_account(b, i, &a))
            continue;
        book_position_get(b, i, &p);
        m = book_market(b, p.market);
        g = stress_default_group(m, &p);
        if (g == 0)
            continue;
        if (from ? stress_liquidation_shock_from(
                       m, &p, e18 + (size_t)p.market * MARKET_ASSETS_MAX, g, &a,
                       &exists, &bps) == 0
                 : stress_liquidation_shock(
                       m, &p, e18 + (size_t)p.market * MARKET_ASSETS_MAX, g,
                       &exists, &bps) == 0)
            found += exists;
    }
    free(e18);
    return found;
}

static double
clock_s(clockid_t id)
{
    struct timespec ts;

    clock_gettime(id, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int
main(int argc, char **argv)
{
    char bookp[4096], posp[4096], grid[128], err[512];
    struct stress_spec spec;
    struct book *b;
    FILE *devnull;
    double w0, c0, w_grid, c_grid, w_snap, c_snap;
    uint32_t sym;

    if (argc != 3) {
        fputs("usage: bench_stress DIR SYM\n", stderr);
        return 2;
    }
    memadvise_install();
    snprintf(bookp, sizeof bookp, "%s/book.json", argv[1]);
    snprintf(posp, sizeof posp, "%s/positions.jsonl", argv[1]);
    b = book_new();
    if (portfolio_load(b, bookp, posp, err, sizeof err) != 0) {
        fprintf(stderr, "bench_stress: %s\n", err);
        return 2;
    }
    book_update(b);
    stress_spec_init(&spec);
    snprintf(grid, sizeof grid, "%s=-19%%..0%%/1%%", argv[2]);
    if (stress_spec_add_grid(&spec, b, grid, err, sizeof err) != 0) {
        fprintf(stderr, "bench_stress: %s\n", err);
        return 2;
    }
    devnull = fopen("/dev/null", "w");
    if (devnull == NULL)
        return 2;

    w0 = clock_s(CLOCK_MONOTONIC);
    c0 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
    if (stress_run_write(devnull, b, &spec, STRESS_JSON, err, sizeof err) !=
        0) {
        fprintf(stderr, "bench_stress: %s\n", err);
        return 2;
    }
    w_grid = clock_s(CLOCK_MONOTONIC) - w0;
    c_grid = clock_s(CLOCK_PROCESS_CPUTIME_ID) - c0;

    /* Naive: each scenario's prices set, then the whole snapshot. */
    if (book_symbol_find(b, argv[2], strlen(argv[2]), &sym) != 0)
        return 2;
    struct u256 base;
    (void)book_price_get(b, sym, &base, NULL);
    w0 = clock_s(CLOCK_MONOTONIC);
    c0 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
    for (uint32_t k = 0; k < spec.nsc; k++) {
        struct u256 q;

        if (stress_price(base, spec.sc[k].move[0].ppm, &q) != 0 ||
            book_price_set(b, sym, q, 0) != 0 ||
            snapshot_write(devnull, b, SNAPSHOT_JSON) != 0) {
            fputs("bench_stress: snapshot failed\n", stderr);
            return 2;
        }
    }
    w_snap = clock_s(CLOCK_MONOTONIC) - w0;
    c_snap = clock_s(CLOCK_PROCESS_CPUTIME_ID) - c0;
    fclose(devnull);

    printf("stress --grid %s (%u scenarios, %u positions): %.2f s wall, "
           "%.2f s CPU; snapshot once per scenario: %.2f s wall, %.2f s "
           "CPU; ratio %.1fx (CPU); target < 2 s: %s\n",
           grid, spec.nsc, book_position_count(b), w_grid, c_grid, w_snap,
           c_snap, c_snap / c_grid, c_grid < 2.0 ? "met" : "NOT met");

    /* liquidation_shock, at the file's prices again */
    (void)book_price_set(b, sym, base, 0);
    book_update(b);
    {
        double wf, cf, ws, cs;
        uint32_t nf, ns;

        w0 = clock_s(CLOCK_MONOTONIC);
        c0 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
        nf = shock_pass(b, true);
        wf = clock_s(CLOCK_MONOTONIC) - w0;
        cf = clock_s(CLOCK_PROCESS_CPUTIME_ID) - c0;
        w0 = clock_s(CLOCK_MONOTONIC);
        c0 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
        ns = shock_pass(b, false);
        ws = clock_s(CLOCK_MONOTONIC) - w0;
        cs = clock_s(CLOCK_PROCESS_CPUTIME_ID) - c0;
        printf("snapshot's liquidation_shock over %u positions (%u found, "
               "same both ways: %s): %.2f s wall, %.2f s CPU from the book's "
               "account; searched from scratch: %.2f s wall, %.2f s CPU; one "
               "whole snapshot above: %.2f s CPU\n",
               book_position_count(b), nf, nf == ns ? "yes" : "NO", wf, cf, ws,
               cs, c_snap / spec.nsc);
    }
    {
        char rules[4200];
        FILE *rf;
        struct alerts *al;
        uv_loop_t loop;
        double cu = 0, ca = 0;
        uint32_t nh = book_symbol_holders(b, sym, &(const uint32_t *){NULL});

        snprintf(rules, sizeof rules, "%s/bench-alerts.json", argv[1]);
        rf = fopen(rules, "w");
        if (rf == NULL || uv_loop_init(&loop) != 0)
            return 2;
        fputs("{\"rules\": [{\"name\": \"near\", \"when\": "
              "\"health_factor < 1.1\", \"clear\": \"health_factor >= "
              "1.15\"}], \"actions\": []}\n",
              rf);
        fclose(rf);
        if (alerts_load(&al, &loop, b, rules, err, sizeof err) != 0) {
            fprintf(stderr, "bench_stress: %s\n", err);
            return 2;
        }
        alerts_tick(al, &sym, 1, 0); /* the first judges the whole book */
        for (int t = 0; t < 20; t++) {
            struct u256 q = base;

            if (t % 2 == 0)
                (void)stress_price(base, -10000, &q);
            (void)book_price_set(b, sym, q, 0);
            c0 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
            book_update(b);
            cu += clock_s(CLOCK_PROCESS_CPUTIME_ID) - c0;
            c0 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
            alerts_tick(al, &sym, 1, 1000 * (int64_t)(t + 1));
            ca += clock_s(CLOCK_PROCESS_CPUTIME_ID) - c0;
        }
        printf("alerts: a rule over every position on a tick of %s (%u "
               "holders, %.0f %% of the book): %.1f ms CPU a tick, beside "
               "the book's update %.1f ms CPU (mean of 20 ticks; %llu "
               "fired)\n",
               argv[2], nh, 100.0 * nh / book_position_count(b), ca * 50,
               cu * 50, (unsigned long long)alerts_fired(al));
        alerts_stop(al);
        (void)uv_run(&loop, UV_RUN_DEFAULT);
        alerts_free(al);
        (void)uv_loop_close(&loop);
        remove(rules);
    }
    stress_spec_done(&spec);
    book_free(b);
    return 0;
}
