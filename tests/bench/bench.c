/*
 * bench.c: the benchmark behind `make bench` (design.md section 8), on
 * 1,000,000 and 10,000,000-position books. Each figure is printed in wall
 * and CPU time beside its comparison measured in the same run, and their
 * ratio in CPU time: ticks and lines beside the naive way, the best
 * straightforward one (book_revalue_all: every position valued again by
 * the book's own exact 128-bit path, the whole book radix-sorted once);
 * load and snapshot beside the limit, the same file read by a plain read()
 * loop and parsed by simdjson (bench_limit.cc).
 *
 *   bench gen ARGS...        liqtop gen (to build the data without main)
 *   bench run DIR            DIR/book.json, positions.jsonl, ticks.jsonl
 *   bench book DIR           load, memory, ticks and lines alone
 *   bench dash DIR           the dashboard's figures alone
 *   bench load DIR           load, memory and snapshot alone
 *
 * Benchmark-only: never run by make check.
 */
#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/gen.h"
#include "app/memadvise.h"
#include "app/portfolio.h"
#include "app/snapshot.h"
#include "core/book.h"
#include "core/decimal.h"
#include "core/health.h"
#include "core/liq.h"
#include "tests/bench/bench_dash.h"
#include "tests/bench/bench_limit.h"
#include "tests/bench/bench_time.h"

#define TICKS_INC 200
#define TICKS_NAIVE 5
#define WINDOW 50
#define REPLAY_BUDGET_S 15.0

static long
rss_kb(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kb = -1;

    if (f == NULL)
        return -1;
    while (fgets(line, sizeof line, f) != NULL)
        if (strncmp(line, "VmRSS:", 6) == 0)
            kb = strtol(line + 6, NULL, 10);
    fclose(f);
    return kb;
}

static char *
slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    long n;

    if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
        fseek(f, 0, SEEK_SET) != 0) {
        fprintf(stderr, "bench: %s: cannot read\n", path);
        exit(2);
    }
    buf = malloc((size_t)n + 1);
    if (buf == NULL || fread(buf, 1, (size_t)n, f) != (size_t)n) {
        fprintf(stderr, "bench: %s: cannot read\n", path);
        exit(2);
    }
    buf[n] = '\0';
    fclose(f);
    *len = (size_t)n;
    return buf;
}

static void
die(const char *what, int rc)
{
    fprintf(stderr, "bench: %s: %s\n", what, liq_strerror(rc));
    exit(2);
}

static int
dbl_cmp(const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;

    return a < b ? -1 : a > b ? 1 : 0;
}

static double
pct(double *v, size_t n, double q)
{
    qsort(v, n, sizeof *v, dbl_cmp);
    size_t i = (size_t)(q * (double)(n - 1) + 0.5);
    return v[i];
}

/* How many positions hold each symbol, into cnt[nsym]; their sum. */
static uint64_t
holder_counts(struct book *b, uint32_t *cnt)
{
    uint64_t sum = 0;

    for (uint32_t s = 0; s < book_symbol_count(b); s++) {
        uint32_t k = 0;
        (void)book_holders(b, s, &k);
        cnt[s] = k;
        sum += k;
    }
    return sum;
}

/* Which symbol is held by the share of positions closest to 30 %. */
static uint32_t
pick_symbol(struct book *b, double *share)
{
    uint32_t ns = book_symbol_count(b), n = book_position_count(b);
    uint32_t *cnt = calloc(ns + 1, sizeof *cnt), best = 0;
    double bestd = 2;

    holder_counts(b, cnt);
    for (uint32_t s = 0; s < ns; s++) {
        double d = (double)cnt[s] / n - 0.30;
        d = d < 0 ? -d : d;
        if (d < bestd) {
            bestd = d;
            best = s;
            *share = (double)cnt[s] / n;
        }
    }
    free(cnt);
    return best;
}

/* Touch the visible window the dashboard would draw, and the counts. */
static uint32_t
read_window(struct book *b, uint32_t at)
{
    uint32_t n = book_position_count(b), x = 0;
    struct book_counts c;

    for (uint32_t r = 0; r < WINDOW && r < n; r++)
        x ^= book_rank_at(b, r);
    for (uint32_t r = at; r < at + WINDOW && r < n; r++)
        x ^= book_rank_at(b, r);
    book_counts(b, &c);
    return x ^ c.liquidatable;
}

/* A time as text, in s or ms as it reads best. */
static const char *
fmt_s(char *buf, size_t len, double s)
{
    if (s >= 1)
        snprintf(buf, len, "%.2f s", s);
    else if (s >= 0.01)
        snprintf(buf, len, "%.1f ms", s * 1e3);
    else
        snprintf(buf, len, "%.2f ms", s * 1e3);
    return buf;
}

/* Ratios are in CPU time: beside a limit, liqtop's time over the
 * limit's (how far from it); beside the naive way, the naive time over
 * liqtop's (how much faster). */
static bool row_speedup;

static void
row_head(const char *against)
{
    row_speedup = strcmp(against, "naive") == 0;
    printf("%-40s %10s %10s   %-30s %10s %10s %8s\n", "figure", "wall", "CPU",
           against, "wall", "CPU", row_speedup ? "faster" : "times");
}

/* A row: liqtop's time t beside the way named `what2`, its time u, and
 * their ratio (u NULL: nothing beside). */
static void
row_t(const char *what, struct bench_time t, const char *what2,
      const struct bench_time *u)
{
    char a[32], c[32], d[32], e[32];

    if (u == NULL) {
        printf("%-40s %10s %10s\n", what, fmt_s(a, sizeof a, t.wall),
               fmt_s(c, sizeof c, t.cpu));
        return;
    }
    printf("%-40s %10s %10s   %-30s %10s %10s %7.1fx\n", what,
           fmt_s(a, sizeof a, t.wall), fmt_s(c, sizeof c, t.cpu), what2,
           fmt_s(d, sizeof d, u->wall), fmt_s(e, sizeof e, u->cpu),
           row_speedup ? u->cpu / t.cpu : t.cpu / u->cpu);
}

/* A rate row: n lines in t beside m lines in u, ratio of CPU rates. */
static void
row_rate(const char *what, size_t n, struct bench_time t, const char *what2,
         size_t m, struct bench_time u)
{
    char a[32], c[32], d[32], e[32];

    snprintf(a, sizeof a, "%.1f/s", (double)n / t.wall);
    snprintf(c, sizeof c, "%.1f/s", (double)n / t.cpu);
    snprintf(d, sizeof d, "%.2f/s", (double)m / u.wall);
    snprintf(e, sizeof e, "%.2f/s", (double)m / u.cpu);
    printf("%-40s %10s %10s   %-30s %10s %10s %7.1fx\n", what, a, c, what2, d,
           e, ((double)n / t.cpu) / ((double)m / u.cpu));
}

/* Time series: the median, p99 and mean of n samples (sorted in place). */
struct series {
    double med, p99, mean;
};

static struct series
series_of(double *v, size_t n)
{
    struct series s = {0, 0, 0};

    for (size_t i = 0; i < n; i++)
        s.mean += v[i] / (double)n;
    s.med = pct(v, n, 0.5);
    s.p99 = pct(v, n, 0.99);
    return s;
}

static void
replay_line(struct book *b, const char *line, size_t len)
{
    cJSON *o = cJSON_ParseWithLength(line, len);
    const cJSON *it;

    if (o == NULL)
        return;
    const cJSON *ts = cJSON_GetObjectItemCaseSensitive(o, "ts");
    const cJSON *one = cJSON_GetObjectItemCaseSensitive(o, "symbol");
    const cJSON *many = cJSON_GetObjectItemCaseSensitive(o, "prices");
    int64_t tsv = cJSON_IsNumber(ts) ? (int64_t)ts->valuedouble : 0;
    if (cJSON_IsString(one)) {
        const cJSON *pj = cJSON_GetObjectItemCaseSensitive(o, "price");
        const char *p = cJSON_IsString(pj) ? pj->valuestring : NULL;
        uint32_t s;
        struct u256 v;
        if (p != NULL &&
            book_symbol_find(b, one->valuestring, strlen(one->valuestring),
                             &s) == 0 &&
            decimal_parse(&v, p, strlen(p), PRICE_DECIMALS, DECIMAL_TRUNCATE) ==
                0)
            book_price_set(b, s, v, tsv);
    }
    cJSON_ArrayForEach(it, many)
    {
        uint32_t s;
        struct u256 v;
        if (cJSON_IsString(it) &&
            book_symbol_find(b, it->string, strlen(it->string), &s) == 0 &&
            decimal_parse(&v, it->valuestring, strlen(it->valuestring),
                          PRICE_DECIMALS, DECIMAL_TRUNCATE) == 0)
            book_price_set(b, s, v, tsv);
    }
    cJSON_Delete(o);
}

/* Whether the line moves several symbols (a "prices" object). */
static bool
has_prices(const char *line, size_t len)
{
    for (size_t i = 0; i + 8 <= len; i++)
        if (memcmp(line + i, "\"prices\"", 8) == 0)
            return true;
    return false;
}

struct replay {
    size_t lines;
    size_t multi; /* lines that move more than one symbol */
    struct bench_time t;
};

/*
 * Apply the feed's lines from the first, the book current after every
 * line (book_update, or the naive way: book_revalue_all), until budget
 * seconds of CPU have passed or the lines run out.
 */
static void
replay(struct book *b, const char *ticks, double budget, bool naive,
       struct replay *out)
{
    const char *pos = ticks;
    struct bench_time t0 = bench_time_now();

    memset(out, 0, sizeof *out);
    while (*pos != '\0' && bench_time_since(t0).cpu < budget) {
        const char *nl = strchr(pos, '\n');
        size_t ll = nl != NULL ? (size_t)(nl - pos) : strlen(pos);
        replay_line(b, pos, ll);
        out->multi += has_prices(pos, ll);
        pos += ll + (nl != NULL);
        out->lines++;
        if (naive)
            book_revalue_all(b);
        else
            book_update(b);
        (void)read_window(b, 0);
    }
    out->t = bench_time_since(t0);
}

/* The rng of the ticks (xorshift64), deterministic. */
static uint64_t
rng_next(uint64_t *r)
{
    *r ^= *r << 13;
    *r ^= *r >> 7;
    *r ^= *r << 17;
    return *r;
}

/* A symbol at random, each as likely as the positions that hold it. */
static uint32_t
tick_symbol(const uint32_t *cnt, uint32_t ns, uint64_t sum, uint64_t *rng)
{
    uint64_t x = rng_next(rng) % sum;

    for (uint32_t s = 0; s < ns; s++) {
        if (x < cnt[s])
            return s;
        x -= cnt[s];
    }
    return ns - 1;
}

/* Move sym's price by -1 % to +1 % (floor), deterministic from rng. */
static void
tick_move(struct book *b, uint32_t sym, uint64_t *rng, int64_t ts)
{
    struct u256 px;
    uint64_t f = 9900 + rng_next(rng) % 201;

    if (!book_price_get(b, sym, &px, NULL))
        die("tick symbol has no price", LIQ_ENOPRICE);
    if (u256_muldiv(&px, px, u256_from_u64(f), u256_from_u64(10000),
                    U256_FLOOR) != 0)
        die("price", LIQ_EOVERFLOW);
    if (u256_is_zero(px))
        px = u256_from_u64(1);
    book_price_set(b, sym, px, ts);
}

/* Ranks and counts of b now, against those after the naive way. */
static int
check_naive(struct book *b)
{
    uint32_t n = book_position_count(b);
    uint32_t *was = malloc(((size_t)n + 1) * sizeof *was), diff = 0;
    struct book_counts c0, c1;

    if (was == NULL)
        die("ranks", LIQ_ENOMEM);
    book_update(b);
    book_counts(b, &c0);
    for (uint32_t r = 0; r < n; r++)
        was[r] = book_rank_at(b, r);
    book_revalue_all(b);
    book_counts(b, &c1);
    for (uint32_t r = 0; r < n; r++)
        diff += book_rank_at(b, r) != was[r];
    free(was);
    if (diff != 0 || memcmp(&c0, &c1, sizeof c0) != 0) {
        fprintf(stderr, "bench: incremental and naive differ (%u ranks)\n",
                diff);
        return 1;
    }
    return 0;
}

/* Load: the portfolio's two files, parsed, added and ranked; beside it
 * the same files read by read() and parsed by simdjson. */
static int
bench_load(struct book *b, const char *bookp, const char *posp)
{
    struct bench_limit lim = {0}, warm = {0};
    char err[512];

    /* Both files in the page cache, for liqtop and the limit alike. */
    if (bench_limit_measure(posp, true, &warm) != 0)
        return 2;
    long rss0 = rss_kb();
    struct bench_time t0 = bench_time_now();
    if (portfolio_load(b, bookp, posp, err, sizeof err) != 0) {
        fprintf(stderr, "bench: %s\n", err);
        return 2;
    }
    struct bench_time tp = bench_time_since(t0), t1 = bench_time_now();
    book_update(b);
    struct bench_time tr = bench_time_since(t1), tl = bench_time_since(t0);
    long rss = rss_kb() - rss0;
    if (bench_limit_measure(bookp, false, &lim) != 0 ||
        bench_limit_measure(posp, true, &lim) != 0)
        return 2;
    uint32_t n = book_position_count(b);
    struct bench_time rp = {lim.read.wall + lim.parse.wall,
                            lim.read.cpu + lim.parse.cpu};
    char what[80];

    printf("\nload: portfolio_load and the first book_update, the files in "
           "the page cache;\n      beside it the same two files (%.0f MB, "
           "%zu documents) read by read()\n      and parsed by simdjson "
           "(DOM, parse_many), the limit\n\n",
           (double)lim.bytes / 1e6, lim.docs);
    row_head("beside");
    snprintf(what, sizeof what, "load %u positions (parse, add, rank)", n);
    row_t(what, tl, "read() of the files", &lim.read);
    row_t("", tl, "read() + simdjson parse", &rp);
    row_t("  of which parse and add", tp, "simdjson parse alone", &lim.parse);
    row_t("  of which first accounts + rank", tr, NULL, NULL);
    printf("%-40s %10.0f MB %7.0f bytes a position (RSS %.0f MB)\n",
           "resident memory of the book", (double)rss / 1024,
           (double)rss * 1024 / n, (double)rss_kb() / 1024);
    return 0;
}

/* Ticks over a mix of symbols, each as likely as its holders; the
 * naive way: every position valued again and the book sorted whole. */
static int
bench_ticks(struct book *b, int nnaive)
{
    uint32_t ns = book_symbol_count(b), n = book_position_count(b);
    uint32_t *cnt = calloc(ns + 1, sizeof *cnt);
    double iw[TICKS_INC], ic[TICKS_INC], nw[TICKS_NAIVE], nc[TICKS_NAIVE];
    uint64_t rng = 88172645463325252ULL, sink = 0, sum = holder_counts(b, cnt);
    size_t recomputed = 0;

    if (cnt == NULL || sum == 0)
        die("holders", LIQ_ENOMEM);
    if (nnaive > TICKS_NAIVE)
        nnaive = TICKS_NAIVE;
    for (int t = 0; t < TICKS_INC; t++) {
        uint32_t sym = tick_symbol(cnt, ns, sum, &rng);
        struct bench_time t0 = bench_time_now();
        tick_move(b, sym, &rng, t);
        recomputed += book_update(b);
        sink ^= read_window(b, (uint32_t)(rng % (n > WINDOW ? n - WINDOW : 1)));
        struct bench_time d = bench_time_since(t0);
        iw[t] = d.wall;
        ic[t] = d.cpu;
    }
    /* Both ways must agree: same ranking, same counts. */
    if (check_naive(b) != 0)
        return 1;
    for (int t = 0; t < nnaive; t++) {
        uint32_t sym = tick_symbol(cnt, ns, sum, &rng);
        struct bench_time t0 = bench_time_now();
        tick_move(b, sym, &rng, 1000 + t);
        book_revalue_all(b);
        sink ^= read_window(b, (uint32_t)(rng % (n > WINDOW ? n - WINDOW : 1)));
        struct bench_time d = bench_time_since(t0);
        nw[t] = d.wall;
        nc[t] = d.cpu;
    }
    struct series sw = series_of(iw, TICKS_INC), sc = series_of(ic, TICKS_INC);
    struct series vw = series_of(nw, (size_t)nnaive),
                  vc = series_of(nc, (size_t)nnaive);

    printf("\nticks: %d of one symbol each, drawn as its holders weigh "
           "(%.2f holders a position),\n       each moving it -1 %% to +1 %%, "
           "the book current after each (book_update,\n       window and "
           "counts read); naive: %d ticks, every position valued again\n"
           "       (book_revalue_all: the book's own 128-bit valuation, one "
           "radix sort)\n\n",
           TICKS_INC, (double)sum / n, nnaive);
    row_head("naive");
    row_t("tick, median", (struct bench_time){sw.med, sc.med},
          "value all, sort, median", &(struct bench_time){vw.med, vc.med});
    row_t("tick, p99", (struct bench_time){sw.p99, sc.p99},
          "value all, sort, slowest", &(struct bench_time){vw.p99, vc.p99});
    row_t("tick, mean", (struct bench_time){sw.mean, sc.mean},
          "value all, sort, mean", &(struct bench_time){vw.mean, vc.mean});
    printf("  positions valued a tick: %.0f (naive: %u); ranks and counts "
           "checked equal (%llx)\n",
           (double)recomputed / TICKS_INC, n, (unsigned long long)(sink & 0xf));
    free(cnt);
    return 0;
}

/* The feed's lines, the book current after each, beside the naive way. */
static void
bench_lines(struct book *b, const char *tickp, double budget, double nbudget)
{
    size_t tlen;
    char *ticks = slurp(tickp, &tlen);
    struct replay inc, nai;

    replay(b, ticks, budget, false, &inc);
    replay(b, ticks, nbudget, true, &nai);
    free(ticks);
    printf("\nlines: the feed from its first line (cJSON parse, book_price_set "
           "for each symbol),\n       the book current after every line, for "
           "%.0f s of CPU (naive %.0f s)\n\n",
           budget, nbudget);
    row_head("naive");
    row_rate("lines/s, current after each line", inc.lines, inc.t,
             "value all, sort each line", nai.lines, nai.t);
    printf("  liqtop: %zu lines (%zu moving several symbols) in %.1f s CPU; "
           "naive: %zu lines (%zu) in %.1f s\n",
           inc.lines, inc.multi, inc.t.cpu, nai.lines, nai.multi, nai.t.cpu);
}

/* Snapshot JSON of the whole book by the command's writer; beside it the
 * same output read by read() and parsed by simdjson. */
static int
bench_snapshot(struct book *b, const char *dir)
{
    char path[4096];
    struct bench_limit lim = {0};

    book_update(b);
    FILE *devnull = fopen("/dev/null", "w");
    struct bench_time t0 = bench_time_now();
    if (devnull == NULL || snapshot_write(devnull, b, SNAPSHOT_JSON) != 0) {
        fputs("bench: snapshot failed\n", stderr);
        return 2;
    }
    struct bench_time ts = bench_time_since(t0);
    fclose(devnull);
    snprintf(path, sizeof path, "%s/snapshot.json", dir);
    FILE *f = fopen(path, "w");
    t0 = bench_time_now();
    if (f == NULL || snapshot_write(f, b, SNAPSHOT_JSON) != 0 || fclose(f)) {
        fprintf(stderr, "bench: %s: cannot write\n", path);
        return 2;
    }
    struct bench_time tf = bench_time_since(t0);
    if (bench_limit_measure(path, false, &lim) != 0)
        return 2;
    struct bench_time rp = {lim.read.wall + lim.parse.wall,
                            lim.read.cpu + lim.parse.cpu};
    printf("\nsnapshot: snapshot_write of the whole book as JSON (%.0f MB) "
           "to /dev/null; beside it\n          that output read by read() "
           "and parsed by simdjson, the limit\n\n",
           (double)lim.bytes / 1e6);
    row_head("beside");
    row_t("snapshot JSON (whole book)", ts, "read() of the output", &lim.read);
    row_t("", ts, "read() + simdjson parse", &rp);
    row_t("  the same, into a file", tf, NULL, NULL);
    remove(path);
    return 0;
}

/* bench run DIR: every figure of the book (full); bench book DIR: load,
 * memory, ticks and lines alone, for books too large for the rest. */
static int
bench_run(const char *dir, bool full)
{
    char bookp[4096], posp[4096], tickp[4096];
    struct book *b = book_new();
    const char *env = getenv("BENCH_REPLAY_S");
    double budget = env != NULL ? atof(env) : REPLAY_BUDGET_S;
    int rc;

    snprintf(bookp, sizeof bookp, "%s/book.json", dir);
    snprintf(posp, sizeof posp, "%s/positions.jsonl", dir);
    snprintf(tickp, sizeof tickp, "%s/ticks.jsonl", dir);

    /* As liqtop does: huge pages for the book's arrays. */
    memadvise_install();
    if ((rc = bench_load(b, bookp, posp)) != 0)
        return rc;
    uint32_t n = book_position_count(b);
    double share = 0;
    uint32_t sym = pick_symbol(b, &share);
    printf("\nliqtop bench: %u positions, %u markets, %u symbols\n", n,
           book_market_count(b), book_symbol_count(b));
    if ((rc = bench_ticks(b, full ? TICKS_NAIVE : 3)) != 0)
        return rc;
    bench_lines(b, tickp, budget, budget / 3);
    if (full) {
        if ((rc = bench_snapshot(b, dir)) != 0)
            return rc;
        printf("\ndashboard: the symbol %s, held by %.1f %%\n",
               book_symbol_name(b, sym), share * 100);
        bench_dash(b, sym);
    }
    book_free(b);
    return 0;
}

int
main(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "gen") == 0)
        return gen_main(argc - 2, argv + 2);
    if (argc == 3 && strcmp(argv[1], "run") == 0)
        return bench_run(argv[2], true);
    if (argc == 3 && strcmp(argv[1], "book") == 0)
        return bench_run(argv[2], false);
    if (argc == 3 && strcmp(argv[1], "load") == 0) {
        /* Load, memory and snapshot alone, to compare two builds. */
        char bookp[4096], posp[4096];
        struct book *b = book_new();
        int rc;
        memadvise_install();
        snprintf(bookp, sizeof bookp, "%s/book.json", argv[2]);
        snprintf(posp, sizeof posp, "%s/positions.jsonl", argv[2]);
        if ((rc = bench_load(b, bookp, posp)) != 0 ||
            (rc = bench_snapshot(b, argv[2])) != 0)
            return rc;
        book_free(b);
        return 0;
    }
    if (argc == 3 && strcmp(argv[1], "dash") == 0) {
        /* The dashboard's figures alone. */
        char bookp[4096], posp[4096], err[512];
        struct book *b = book_new();
        double share;
        memadvise_install();
        snprintf(bookp, sizeof bookp, "%s/book.json", argv[2]);
        snprintf(posp, sizeof posp, "%s/positions.jsonl", argv[2]);
        if (portfolio_load(b, bookp, posp, err, sizeof err) != 0) {
            fprintf(stderr, "bench: %s\n", err);
            return 2;
        }
        book_update(b);
        bench_dash(b, pick_symbol(b, &share));
        book_free(b);
        return 0;
    }
    fputs("usage: bench gen ARGS... | bench run DIR | bench book DIR | "
          "bench dash DIR | bench load DIR\n",
          stderr);
    return 2;
}
