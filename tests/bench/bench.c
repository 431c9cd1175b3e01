/*
 * bench.c: the 1,000,000-position benchmark behind `make bench` (design.md
 * section 8). Each figure is printed beside the naive way (every position
 * recomputed from a plain array of struct position, the whole book sorted)
 * measured in the same run, and their ratio.
 *
 *   bench gen ARGS...        liqtop gen (to build the data without main)
 *   bench run DIR            DIR/book.json, positions.jsonl, ticks.jsonl
 *   bench dash DIR           the dashboard's figures alone
 *
 * Benchmark-only: never run by make check.
 */
#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "app/gen.h"
#include "app/memadvise.h"
#include "app/portfolio.h"
#include "app/snapshot.h"
#include "core/book.h"
#include "core/decimal.h"
#include "core/health.h"
#include "core/liq.h"
#include "tests/bench/bench_dash.h"

#define TICKS_INC 200
#define TICKS_NAIVE 5
#define WINDOW 50
#define REPLAY_BUDGET_S 15.0

static double
now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

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

static uint64_t
ratio_of(const char *text, unsigned places)
{
    struct u256 v;
    int rc = decimal_parse(&v, text, strlen(text), places, DECIMAL_EXACT);

    if (rc != 0 || !u256_fits_u64(v))
        die(text, rc != 0 ? rc : LIQ_ERANGE);
    return u256_to_u64(v);
}

static const char *
str_of(const cJSON *o, const char *key)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, key);

    return cJSON_IsString(it) ? it->valuestring : NULL;
}

/* The portfolio file's markets and prices (design.md section 3). */
static void
load_book_json(struct book *b, const char *path)
{
    size_t len;
    char *text = slurp(path, &len);
    cJSON *root = cJSON_ParseWithLength(text, len);
    const cJSON *mj, *aj, *pj;
    int rc;

    if (root == NULL)
        die(path, LIQ_EPARSE);
    cJSON_ArrayForEach(mj, cJSON_GetObjectItemCaseSensitive(root, "markets"))
    {
        struct market m;
        const char *model = str_of(mj, "model"), *ver = str_of(mj, "version");
        memset(&m, 0, sizeof m);
        snprintf(m.id, sizeof m.id, "%s", str_of(mj, "id"));
        if (strcmp(model, "aave-v3") == 0) {
            m.model = MODEL_AAVE_V3;
            m.version = ver != NULL && strcmp(ver, "3.0") == 0 ? 300 : 307;
        } else if (strcmp(model, "aave-v4") == 0) {
            m.model = MODEL_AAVE_V4;
        } else if (strcmp(model, "compound-v2") == 0) {
            m.model = MODEL_COMPOUND_V2;
        } else {
            m.model = MODEL_MORPHO_BLUE;
        }
        m.base_decimals = 8;
        bool wad = m.model == MODEL_COMPOUND_V2 || m.model == MODEL_MORPHO_BLUE;
        unsigned places = wad ? 18 : 4;
        const cJSON *params = cJSON_GetObjectItemCaseSensitive(mj, "params");
        if (m.model == MODEL_COMPOUND_V2) {
            m.params.close_factor =
                ratio_of(str_of(params, "close_factor"), 18);
            m.params.liquidation_incentive =
                ratio_of(str_of(params, "liquidation_incentive"), 18);
            m.params.protocol_seize_share =
                ratio_of(str_of(params, "protocol_seize_share"), 18);
        } else if (m.model == MODEL_AAVE_V4) {
            m.params.target_health_factor =
                ratio_of(str_of(params, "target_health_factor"), 18);
            m.params.health_factor_for_max_bonus =
                ratio_of(str_of(params, "health_factor_for_max_bonus"), 18);
            m.params.liquidation_bonus_factor =
                ratio_of(str_of(params, "liquidation_bonus_factor"), 4);
        }
        cJSON_ArrayForEach(aj, cJSON_GetObjectItemCaseSensitive(mj, "assets"))
        {
            struct asset *a = &m.assets[m.nassets++];
            const char *sym = str_of(aj, "symbol");
            const char *bonus = str_of(aj, "liquidation_bonus");
            const char *fee = str_of(aj, "protocol_fee");
            if ((rc = book_symbol_intern(b, sym, strlen(sym), &a->sym)) != 0)
                die(sym, rc);
            a->decimals =
                (uint8_t)cJSON_GetObjectItemCaseSensitive(aj, "decimals")
                    ->valueint;
            a->ltv = ratio_of(str_of(aj, "ltv"), places);
            a->lt = ratio_of(str_of(aj, "liquidation_threshold"), places);
            a->bonus = bonus != NULL ? ratio_of(bonus, places) : 0;
            a->fee = fee != NULL ? ratio_of(fee, places) : 0;
        }
        uint32_t idx;
        if ((rc = book_market_add(b, &m, &idx)) != 0)
            die(m.id, rc);
    }
    cJSON_ArrayForEach(pj, cJSON_GetObjectItemCaseSensitive(root, "prices"))
    {
        uint32_t sym;
        struct u256 px;
        if ((rc = book_symbol_intern(b, pj->string, strlen(pj->string),
                                     &sym)) != 0 ||
            (rc = decimal_parse(&px, pj->valuestring, strlen(pj->valuestring),
                                PRICE_DECIMALS, DECIMAL_TRUNCATE)) != 0 ||
            (rc = book_price_set(b, sym, px, 0)) != 0)
            die(pj->string, rc);
    }
    cJSON_Delete(root);
    free(text);
}

static int
legs_of(const struct book *b, const struct market *m, const cJSON *obj,
        struct leg *legs, uint8_t *n)
{
    const cJSON *it;

    *n = 0;
    cJSON_ArrayForEach(it, obj)
    {
        uint32_t sym;
        int rc = book_symbol_find(b, it->string, strlen(it->string), &sym);
        if (rc != 0)
            return rc;
        int a = -1;
        for (unsigned i = 0; i < m->nassets; i++)
            if (m->assets[i].sym == sym)
                a = (int)i;
        if (a < 0 || *n >= POSITION_SIDE_MAX)
            return LIQ_EINVAL;
        legs[*n].asset = (uint8_t)a;
        rc = decimal_parse(&legs[*n].amount, it->valuestring,
                           strlen(it->valuestring), m->assets[a].decimals,
                           DECIMAL_EXACT);
        if (rc != 0)
            return rc;
        (*n)++;
    }
    return 0;
}

/*
 * Stream the JSON Lines positions. Each goes to the book (b) or, for the
 * naive side, to a plain array of struct position (arr, ids in idbuf).
 */
static uint32_t
load_positions(struct book *b, const char *path, struct position *arr,
               char **idbuf)
{
    FILE *f = fopen(path, "r");
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    uint32_t n = 0, lineno = 0;

    if (f == NULL) {
        fprintf(stderr, "bench: %s: cannot open\n", path);
        exit(2);
    }
    while ((len = getline(&line, &cap, f)) > 0) {
        struct position p;
        uint32_t mi, idx;
        int rc;
        lineno++;
        cJSON *o = cJSON_ParseWithLength(line, (size_t)len);
        if (o == NULL) {
            fprintf(stderr, "bench: %s:%u: bad JSON\n", path, lineno);
            exit(2);
        }
        memset(&p, 0, sizeof p);
        p.id = str_of(o, "id");
        p.label = str_of(o, "label");
        if (p.label == NULL)
            p.label = "";
        if ((rc = book_market_find(b, str_of(o, "market"), &mi)) != 0)
            die("market", rc);
        p.market = mi;
        const struct market *m = book_market(b, mi);
        if ((rc = legs_of(b, m,
                          cJSON_GetObjectItemCaseSensitive(o, "collateral"),
                          p.coll, &p.ncoll)) != 0 ||
            (rc = legs_of(b, m, cJSON_GetObjectItemCaseSensitive(o, "debt"),
                          p.debt, &p.ndebt)) != 0)
            die(p.id, rc);
        if (arr != NULL) {
            size_t il = strlen(p.id) + 1, ll = strlen(p.label) + 1;
            char *s = malloc(il + ll);
            memcpy(s, p.id, il);
            memcpy(s + il, p.label, ll);
            idbuf[n] = s;
            p.id = s;
            p.label = s + il;
            arr[n] = p;
        } else if ((rc = book_position_add(b, &p, &idx)) != 0) {
            die(p.id, rc);
        }
        n++;
        cJSON_Delete(o);
    }
    free(line);
    fclose(f);
    return n;
}

/* ---- the naive way ---- */

struct naive_row {
    unsigned cls;
    struct u256 hf;
    const char *id;
    uint32_t idx;
};

static int
naive_cmp(const void *pa, const void *pb)
{
    const struct naive_row *a = pa, *b = pb;

    if (a->cls != b->cls)
        return a->cls < b->cls ? -1 : 1;
    if (a->cls == 0) {
        int c = u256_cmp(a->hf, b->hf);
        if (c != 0)
            return c;
    }
    return strcmp(a->id, b->id);
}

/* Recompute every position of arr and sort the whole book; counts too. */
static void
naive_tick(const struct book *b, const struct position *arr, uint32_t n,
           struct naive_row *rows, struct book_counts *c)
{
    uint32_t nm = book_market_count(b);
    struct u256(*px)[MARKET_ASSETS_MAX] = malloc(nm * sizeof *px);
    uint32_t *miss = malloc(nm * sizeof *miss);

    for (uint32_t m = 0; m < nm; m++)
        book_prices_base(b, m, px[m], &miss[m]);
    memset(c, 0, sizeof *c);
    c->total = n;
    for (uint32_t i = 0; i < n; i++) {
        const struct position *p = &arr[i];
        struct account a;
        bool ok = true;
        for (unsigned k = 0; k < p->ncoll; k++)
            ok &= !(miss[p->market] & (1u << p->coll[k].asset));
        for (unsigned k = 0; k < p->ndebt; k++)
            ok &= !(miss[p->market] & (1u << p->debt[k].asset));
        rows[i].idx = i;
        rows[i].id = p->id;
        if (!ok || model_account(book_market(b, p->market), p, px[p->market],
                                 &a) != 0) {
            rows[i].cls = 2;
            c->unpriced++;
            continue;
        }
        rows[i].cls = a.has_debt ? 0 : 1;
        rows[i].hf = a.hf;
        enum tier t = health_tier(a.hf, a.has_debt);
        if (a.liquidatable)
            c->liquidatable++;
        else if (health_tier_at_risk(t))
            c->at_risk++;
        if (t == TIER_NO_DEBT)
            c->no_debt++;
        if (a.bad_debt)
            c->bad_debt++;
    }
    qsort(rows, n, sizeof *rows, naive_cmp);
    free(px);
    free(miss);
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

/* Which symbol is held by the share of positions closest to 30 %. */
static uint32_t
pick_symbol(struct book *b, double *share)
{
    uint32_t ns = book_symbol_count(b), n = book_position_count(b);
    uint32_t *cnt = calloc(ns, sizeof *cnt), best = 0;
    double bestd = 2;

    for (uint32_t i = 0; i < n; i++) {
        struct position p;
        uint64_t seen = 0;
        book_position_get(b, i, &p);
        const struct market *m = book_market(b, p.market);
        for (unsigned k = 0; k < p.ncoll + p.ndebt; k++) {
            const struct leg *l =
                k < p.ncoll ? &p.coll[k] : &p.debt[k - p.ncoll];
            uint32_t s = m->assets[l->asset].sym;
            if (!(seen & (1ULL << s)))
                cnt[s]++;
            seen |= 1ULL << s;
        }
    }
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

static void
row(const char *what, const char *mine, const char *naive, double ratio)
{
    if (ratio > 0)
        printf("%-34s %14s %14s %8.1fx\n", what, mine, naive, ratio);
    else
        printf("%-34s %14s %14s %9s\n", what, mine, naive, "-");
}

struct replay {
    size_t lines;
    size_t updates;
    size_t recomputed;
    double seconds;
};

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
        const char *p = str_of(o, "price");
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

/*
 * Apply the feed's lines; bring the book up to date after every line
 * (frame_s 0) or once frame_s has passed since the last update ended, and
 * at the end. With arr set, the update is the naive way's.
 */
static void
replay(struct book *b, const char *ticks, double budget, double frame_s,
       const struct position *arr, uint32_t n, struct naive_row *rows,
       struct replay *out)
{
    const char *pos = ticks;
    double r0 = now_s(), last = r0;
    bool pending = false;
    struct book_counts c;

    while (*pos != '\0' && now_s() - r0 < budget) {
        const char *nl = strchr(pos, '\n');
        size_t ll = nl != NULL ? (size_t)(nl - pos) : strlen(pos);
        replay_line(b, pos, ll);
        pos += ll + (nl != NULL);
        out->lines++;
        pending = true;
        if (frame_s > 0 && now_s() - last < frame_s)
            continue;
        if (arr != NULL) {
            naive_tick(b, arr, n, rows, &c);
            out->recomputed += n;
        } else {
            out->recomputed += book_update(b);
            (void)read_window(b, 0);
        }
        out->updates++;
        pending = false;
        last = now_s();
    }
    if (pending) {
        if (arr != NULL)
            naive_tick(b, arr, n, rows, &c);
        else
            out->recomputed += book_update(b);
        out->updates++;
    }
    out->seconds = now_s() - r0;
}

static int
bench_run(const char *dir)
{
    char bookp[4096], posp[4096], tickp[4096], a[64], c[64];
    struct book *b = book_new();

    snprintf(bookp, sizeof bookp, "%s/book.json", dir);
    snprintf(posp, sizeof posp, "%s/positions.jsonl", dir);
    snprintf(tickp, sizeof tickp, "%s/ticks.jsonl", dir);

    /* As liqtop does: huge pages for the book's arrays. */
    memadvise_install();

    /* Load: parse, add, first accounts and ranking. */
    long rss0 = rss_kb();
    double t0 = now_s();
    char err[512];
    int lrc = portfolio_load(b, bookp, posp, err, sizeof err);
    if (lrc != 0) {
        fprintf(stderr, "bench: %s\n", err);
        return 2;
    }
    uint32_t n = book_position_count(b);
    double t_parse = now_s();
    book_update(b);
    double t_load = now_s() - t0, t_rank0 = now_s() - t_parse;
    long rss_book = rss_kb() - rss0;

    /* Naive: the same positions as an array of struct position. */
    long rss1 = rss_kb();
    double t1 = now_s();
    struct position *arr = malloc((size_t)n * sizeof *arr);
    char **ids = malloc((size_t)n * sizeof *ids);
    struct naive_row *rows = malloc((size_t)n * sizeof *rows);
    struct book_counts nc, bc;
    if (arr == NULL || ids == NULL || rows == NULL) {
        fputs("bench: out of memory for the naive side\n", stderr);
        return 2;
    }
    struct book *nb = book_new(); /* markets for the naive reader */
    load_book_json(nb, bookp);
    for (uint32_t m = 0; m < book_market_count(b); m++)
        if (m >= book_market_count(nb) ||
            strcmp(book_market(b, m)->id, book_market(nb, m)->id) != 0) {
            fputs("bench: markets differ between the two readers\n", stderr);
            return 2;
        }
    if (load_positions(nb, posp, arr, ids) != n) {
        fputs("bench: the naive reader disagrees on the count\n", stderr);
        return 2;
    }
    long rss_naive = rss_kb() - rss1;
    double t_nparse = now_s();
    naive_tick(b, arr, n, rows, &nc);
    double t_nload = now_s() - t1, t_nrank0 = now_s() - t_nparse;

    double share = 0;
    uint32_t sym = pick_symbol(b, &share);
    struct u256 px;
    if (!book_price_get(b, sym, &px, NULL))
        die("tick symbol has no price", LIQ_ENOPRICE);

    /* Ticks of the symbol: up and down by 0.1 % to 1 %, deterministic. */
    double inc[TICKS_INC], nai[TICKS_NAIVE];
    uint64_t rng = 88172645463325252ULL, sink = 0;
    size_t recomputed = 0;
    for (int t = 0; t < TICKS_INC; t++) {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        uint64_t f = 9900 + rng % 201;
        if (u256_muldiv(&px, px, u256_from_u64(f), u256_from_u64(10000),
                        U256_FLOOR) != 0)
            die("price", LIQ_EOVERFLOW);
        double s = now_s();
        book_price_set(b, sym, px, t);
        recomputed += book_update(b);
        sink ^= read_window(b, (uint32_t)(rng % (n > WINDOW ? n - WINDOW : 1)));
        inc[t] = now_s() - s;
    }
    for (int t = 0; t < TICKS_NAIVE; t++) {
        uint64_t f = t % 2 ? 10050 : 9950;
        if (u256_muldiv(&px, px, u256_from_u64(f), u256_from_u64(10000),
                        U256_FLOOR) != 0)
            die("price", LIQ_EOVERFLOW);
        book_price_set(b, sym, px, 1000 + t);
        double s = now_s();
        naive_tick(b, arr, n, rows, &nc);
        nai[t] = now_s() - s;
    }
    /* Both ways must agree: same ranking, same counts. */
    book_update(b);
    book_counts(b, &bc);
    uint32_t diff = 0;
    for (uint32_t r = 0; r < n; r++)
        diff += book_rank_at(b, r) != rows[r].idx;
    if (diff != 0 || bc.liquidatable != nc.liquidatable ||
        bc.at_risk != nc.at_risk || bc.unpriced != nc.unpriced ||
        bc.bad_debt != nc.bad_debt || bc.no_debt != nc.no_debt) {
        fprintf(stderr, "bench: incremental and naive differ (%u ranks)\n",
                diff);
        return 1;
    }

    /* Snapshot: the whole book as JSON, by the command's writer. */
    FILE *devnull = fopen("/dev/null", "w");
    double s0 = now_s();
    if (devnull == NULL || snapshot_write(devnull, b, SNAPSHOT_JSON) != 0) {
        fputs("bench: snapshot failed\n", stderr);
        return 2;
    }
    double t_snap = now_s() - s0;
    fclose(devnull);

    /* Replay, twice: the book current after every line (for a time
     * budget), then all lines at most 30 updates a second, as the
     * dashboard draws; the naive way replays the latter too. */
    size_t tlen;
    char *ticks = slurp(tickp, &tlen);
    const char *budget_env = getenv("BENCH_REPLAY_S");
    double budget = budget_env != NULL ? atof(budget_env) : REPLAY_BUDGET_S;
    struct replay every = {0}, framed = {0}, nframed = {0};
    replay(b, ticks, budget, 0, NULL, 0, NULL, &every);
    replay(b, ticks, 1e9, 1.0 / 30, NULL, 0, NULL, &framed);
    replay(b, ticks, 1e9, 1.0 / 30, arr, n, rows, &nframed);
    free(ticks);

    double med_i = pct(inc, TICKS_INC, 0.5), p99_i = pct(inc, TICKS_INC, 0.99);
    double med_n = pct(nai, TICKS_NAIVE, 0.5),
           p99_n = pct(nai, TICKS_NAIVE, 0.99);
    double mean_n = 0;
    for (int t = 0; t < TICKS_NAIVE; t++)
        mean_n += nai[t] / TICKS_NAIVE;

    printf("\nliqtop bench: %u positions, %u markets, tick symbol %s held by "
           "%.1f %%\n",
           n, book_market_count(b), book_symbol_name(b, sym), share * 100);
    printf("load: portfolio_load (naive side: the same lines into an array "
           "of struct position)\nreplay: the feed's lines parsed and applied "
           "through the book API (liqtop run: last line)\n\n");
    printf("%-34s %14s %14s %9s\n", "figure", "liqtop", "naive", "ratio");
    snprintf(a, sizeof a, "%.2f s", t_load);
    snprintf(c, sizeof c, "%.2f s", t_nload);
    row("load (parse, add, rank)", a, c, t_nload / t_load);
    snprintf(a, sizeof a, "%.0f ms", t_rank0 * 1e3);
    snprintf(c, sizeof c, "%.0f ms", t_nrank0 * 1e3);
    row("  of which first accounts + rank", a, c, t_nrank0 / t_rank0);
    snprintf(a, sizeof a, "%.0f MB", (double)rss_book / 1024);
    snprintf(c, sizeof c, "%.0f MB", (double)rss_naive / 1024);
    row("resident memory of the positions", a, c,
        (double)rss_naive / (double)rss_book);
    snprintf(a, sizeof a, "%.0f MB", (double)rss0 / 1024 + rss_book / 1024.0);
    row("RSS after load (whole process)", a, "", 0);
    snprintf(a, sizeof a, "%.2f ms", med_i * 1e3);
    snprintf(c, sizeof c, "%.0f ms", med_n * 1e3);
    row("tick, median", a, c, med_n / med_i);
    snprintf(a, sizeof a, "%.2f ms", p99_i * 1e3);
    snprintf(c, sizeof c, "%.0f ms", p99_n * 1e3);
    row("tick, p99", a, c, p99_n / p99_i);
    snprintf(a, sizeof a, "%.0f", (double)recomputed / TICKS_INC);
    snprintf(c, sizeof c, "%u", n);
    row("  positions recomputed a tick", a, c, 0);
    double tps = (double)every.lines / every.seconds;
    snprintf(a, sizeof a, "%.1f/s", tps);
    snprintf(c, sizeof c, "%.1f/s", 1.0 / mean_n);
    row("ticks/s, current after each line", a, c, tps * mean_n);
    printf("  %zu lines in %.1f s (%zu recomputes); naive from its tick "
           "time\n",
           every.lines, every.seconds, every.recomputed);
    double ftps = (double)framed.lines / framed.seconds;
    double ntps = (double)nframed.lines / nframed.seconds;
    snprintf(a, sizeof a, "%.0f/s", ftps);
    snprintf(c, sizeof c, "%.0f/s", ntps);
    row("ticks/s, whole feed, 30 updates/s", a, c, ftps / ntps);
    printf("  %zu lines: %.1f s, %zu updates; naive %.1f s, %zu updates\n",
           framed.lines, framed.seconds, framed.updates, nframed.seconds,
           nframed.updates);
    snprintf(a, sizeof a, "%.2f s", t_snap);
    snprintf(c, sizeof c, "%.2f s", t_snap + med_n);
    row("snapshot JSON (whole book)", a, c, (t_snap + med_n) / t_snap);
    printf("  naive snapshot: recompute and sort all, then the same writer\n");
    printf("naive: %d ticks; incremental: %d ticks; checked equal (%llx)\n",
           TICKS_NAIVE, TICKS_INC, (unsigned long long)(sink & 0xf));
    bench_dash(b, sym);

    for (uint32_t i = 0; i < n; i++)
        free(ids[i]);
    free(ids);
    free(arr);
    free(rows);
    book_free(nb);
    book_free(b);
    return 0;
}

int
main(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "gen") == 0)
        return gen_main(argc - 2, argv + 2);
    if (argc == 3 && strcmp(argv[1], "run") == 0)
        return bench_run(argv[2]);
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
    fputs("usage: bench gen ARGS... | bench run DIR\n", stderr);
    return 2;
}
