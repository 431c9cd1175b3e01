/*
 * gen.c: the synthetic book and feed generator (liqtop gen): a portfolio
 * file (markets of every model, prices), positions as JSON Lines spread
 * from underwater to very safe, and a matching replay feed, all
 * deterministic for a seed. Writes with stdio; holds no position in memory.
 */
#include "app/gen.h"

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct gen_asset {
    const char *sym;
    unsigned decimals;
    const char *ltv;
    const char *lt;
    const char *bonus;
    const char *fee;
    unsigned lt_bps; /* lt in bps, to size debt for a target health */
    bool stable;
};

struct gen_market {
    const char *id;
    const char *model;
    const char *version; /* NULL: none */
    unsigned weight;     /* share of positions, percent */
    const char *params;  /* JSON object text */
    const char *assets[8];
};

/* Prices in base units (8 decimals), as written to the portfolio file. */
struct gen_price {
    const char *sym;
    uint64_t price_e8;
};

static const struct gen_price gen_prices[] = {
    {"WETH", 300000000000ULL}, {"WBTC", 6000000000000ULL},
    {"USDC", 100000000ULL},    {"USDT", 100000000ULL},
    {"DAI", 100000000ULL},     {"wstETH", 350000000000ULL},
    {"LINK", 1500000000ULL},   {"GHO", 100000000ULL},
};
#define GEN_NPRICES (sizeof gen_prices / sizeof gen_prices[0])

/* Risk parameters per model family: aave (bps-like fractions) and others. */
static const struct gen_asset gen_aave_assets[] = {
    {"WETH", 18, "0.80", "0.83", "0.05", "0.10", 8300, false},
    {"WBTC", 8, "0.73", "0.78", "0.05", "0.10", 7800, false},
    {"USDC", 6, "0.75", "0.78", "0.045", "0.10", 7800, true},
    {"USDT", 6, "0.75", "0.78", "0.045", "0.10", 7800, true},
    {"DAI", 18, "0.63", "0.77", "0.05", "0.10", 7700, true},
    {"wstETH", 18, "0.785", "0.81", "0.06", "0.10", 8100, false},
    {"LINK", 18, "0.53", "0.68", "0.07", "0.10", 6800, false},
    {"GHO", 18, "0.00", "0.00", "0.00", "0.00", 0, true},
};
static const struct gen_asset gen_comp_assets[] = {
    {"WETH", 18, "0.825", "0.825", NULL, NULL, 8250, false},
    {"WBTC", 8, "0.70", "0.70", NULL, NULL, 7000, false},
    {"USDC", 6, "0.855", "0.855", NULL, NULL, 8550, true},
    {"DAI", 18, "0.835", "0.835", NULL, NULL, 8350, true},
    {"USDT", 6, "0.00", "0.00", NULL, NULL, 0, true},
};
static const struct gen_asset gen_v4_assets[] = {
    {"WETH", 18, "0.80", "0.80", "0.06", "0.10", 8000, false},
    {"WBTC", 8, "0.75", "0.75", "0.07", "0.10", 7500, false},
    {"USDC", 6, "0.78", "0.78", "0.04", "0.10", 7800, true},
    {"wstETH", 18, "0.79", "0.79", "0.06", "0.10", 7900, false},
    {"GHO", 18, "0.00", "0.00", "0.00", "0.00", 0, true},
};

static const struct gen_market gen_markets[] = {
    {"aave-v3-core",
     "aave-v3",
     "3.7",
     26,
     "{}",
     {"WETH", "WBTC", "USDC", "USDT", "DAI", "wstETH", "LINK", "GHO"}},
    {"aave-v3-legacy",
     "aave-v3",
     "3.0",
     14,
     "{}",
     {"WETH", "WBTC", "USDC", "DAI", "LINK"}},
    {"aave-v4-hub",
     "aave-v4",
     NULL,
     16,
     "{\"target_health_factor\": \"1.05\", "
     "\"health_factor_for_max_bonus\": \"0.9\", "
     "\"liquidation_bonus_factor\": \"0.5\"}",
     {"WETH", "WBTC", "USDC", "wstETH", "GHO"}},
    {"compound-v2",
     "compound-v2",
     NULL,
     16,
     "{\"close_factor\": \"0.5\", \"liquidation_incentive\": \"1.08\", "
     "\"protocol_seize_share\": \"0.028\"}",
     {"WETH", "WBTC", "USDC", "DAI", "USDT"}},
    {"morpho-wsteth-weth", "morpho-blue", NULL, 10, "{}", {"wstETH", "WETH"}},
    {"morpho-wbtc-usdc", "morpho-blue", NULL, 8, "{}", {"WBTC", "USDC"}},
    {"morpho-link-usdc", "morpho-blue", NULL, 3, "{}", {"LINK", "USDC"}},
    {"morpho-weth-usdc", "morpho-blue", NULL, 8, "{}", {"WETH", "USDC"}},
};
#define GEN_NMARKETS (sizeof gen_markets / sizeof gen_markets[0])

/* Morpho LLTVs, by market (collateral first, loan second). */
static const char *
gen_morpho_lltv(const char *id)
{
    if (strcmp(id, "morpho-wsteth-weth") == 0)
        return "0.945";
    return strcmp(id, "morpho-link-usdc") == 0 ? "0.77" : "0.86";
}

/* "0.945" as 9450. */
static unsigned long
gen_ratio_bps(const char *text)
{
    unsigned long v = 0, places = 0;
    const char *p = strchr(text, '.');

    for (p = p != NULL ? p + 1 : text + strlen(text); *p && places < 4; p++) {
        v = v * 10 + (unsigned long)(*p - '0');
        places++;
    }
    while (places++ < 4)
        v *= 10;
    return v;
}

static uint64_t
gen_rand(uint64_t *s)
{
    /* splitmix64: every seed, zero included, gives a full stream. */
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* Uniform in [0, 1). */
static double
gen_unit(uint64_t *s)
{
    return (double)(gen_rand(s) >> 11) * (1.0 / 9007199254740992.0);
}

static uint64_t
gen_below(uint64_t *s, uint64_t n)
{
    return gen_rand(s) % n;
}

static const struct gen_asset *
gen_asset_params(const struct gen_market *m, const char *sym)
{
    const struct gen_asset *t = gen_aave_assets;
    size_t n = sizeof gen_aave_assets / sizeof gen_aave_assets[0];

    if (strcmp(m->model, "compound-v2") == 0) {
        t = gen_comp_assets;
        n = sizeof gen_comp_assets / sizeof gen_comp_assets[0];
    } else if (strcmp(m->model, "aave-v4") == 0) {
        t = gen_v4_assets;
        n = sizeof gen_v4_assets / sizeof gen_v4_assets[0];
    }
    for (size_t i = 0; i < n; i++)
        if (strcmp(t[i].sym, sym) == 0)
            return &t[i];
    for (size_t i = 0; i < sizeof gen_aave_assets / sizeof gen_aave_assets[0];
         i++)
        if (strcmp(gen_aave_assets[i].sym, sym) == 0)
            return &gen_aave_assets[i];
    return NULL;
}

static uint64_t
gen_price_e8(const char *sym)
{
    for (size_t i = 0; i < GEN_NPRICES; i++)
        if (strcmp(gen_prices[i].sym, sym) == 0)
            return gen_prices[i].price_e8;
    return 100000000ULL;
}

static size_t
gen_nassets(const struct gen_market *m)
{
    size_t n = 0;

    while (n < 8 && m->assets[n] != NULL)
        n++;
    return n;
}

/* Base units with 8 decimals, trailing zeros trimmed. */
static void
gen_print_e8(FILE *f, uint64_t v)
{
    char frac[16];
    int n = 8;

    snprintf(frac, sizeof frac, "%08" PRIu64, (uint64_t)(v % 100000000U));
    while (n > 0 && frac[n - 1] == '0')
        n--;
    frac[n] = '\0';
    if (n == 0)
        fprintf(f, "%" PRIu64, (uint64_t)(v / 100000000U));
    else
        fprintf(f, "%" PRIu64 ".%s", (uint64_t)(v / 100000000U), frac);
}

static int
gen_write_book(FILE *f)
{
    fputs("{\n  \"markets\": [\n", f);
    for (size_t i = 0; i < GEN_NMARKETS; i++) {
        const struct gen_market *m = &gen_markets[i];
        bool morpho = strcmp(m->model, "morpho-blue") == 0;
        bool aave = strncmp(m->model, "aave", 4) == 0;
        fprintf(f, "    {\"id\": \"%s\", \"model\": \"%s\", ", m->id, m->model);
        if (m->version != NULL)
            fprintf(f, "\"version\": \"%s\", ", m->version);
        fprintf(f, "\"base_decimals\": 8,\n     \"params\": %s,\n", m->params);
        fputs("     \"assets\": [\n", f);
        size_t n = gen_nassets(m);
        for (size_t k = 0; k < n; k++) {
            const struct gen_asset *a = gen_asset_params(m, m->assets[k]);
            if (a == NULL)
                return -1;
            const char *lt = morpho ? gen_morpho_lltv(m->id) : a->lt;
            const char *ltv = morpho ? lt : a->ltv;
            fprintf(f,
                    "       {\"symbol\": \"%s\", \"decimals\": %u, "
                    "\"ltv\": \"%s\", \"liquidation_threshold\": \"%s\"",
                    a->sym, a->decimals, ltv, lt);
            if (aave)
                fprintf(f,
                        ", \"liquidation_bonus\": \"%s\", "
                        "\"protocol_fee\": \"%s\"",
                        a->bonus, a->fee);
            fprintf(f, "}%s\n", k + 1 < n ? "," : "");
        }
        fprintf(f, "     ]}%s\n", i + 1 < GEN_NMARKETS ? "," : "");
    }
    fputs("  ],\n  \"prices\": {", f);
    for (size_t i = 0; i < GEN_NPRICES; i++) {
        fprintf(f, "%s\"%s\": \"", i ? ", " : "", gen_prices[i].sym);
        gen_print_e8(f, gen_prices[i].price_e8);
        fputc('"', f);
    }
    fputs("},\n  \"positions\": []\n}\n", f);
    return ferror(f) ? -1 : 0;
}

/*
 * An amount worth value_usd of sym, with at most six decimal places (and
 * never more than the asset holds), so that every amount parses exactly.
 */
static void
gen_print_amount(FILE *f, double value_usd, const char *sym, unsigned decimals)
{
    double units = value_usd / ((double)gen_price_e8(sym) / 1e8);
    unsigned places = decimals < 6 ? decimals : 6;
    uint64_t scale = 1;

    for (unsigned i = 0; i < places; i++)
        scale *= 10;
    if (units > 1e12)
        units = 1e12;
    uint64_t q = (uint64_t)(units * (double)scale + 0.5);
    if (q == 0)
        q = 1;
    uint64_t ip = q / scale, fp = q % scale;
    if (fp == 0) {
        fprintf(f, "\"%" PRIu64 "\"", ip);
        return;
    }
    char frac[24];
    snprintf(frac, sizeof frac, "%0*" PRIu64, (int)places, fp);
    size_t n = strlen(frac);
    while (n > 0 && frac[n - 1] == '0')
        n--;
    frac[n] = '\0';
    fprintf(f, "\"%" PRIu64 ".%s\"", ip, frac);
}

/* A health factor target: underwater to very safe. */
static double
gen_health(uint64_t *s)
{
    double u = gen_unit(s), v = gen_unit(s);

    if (u < 0.06)
        return 0.55 + 0.45 * v;
    if (u < 0.20)
        return 1.0 + 0.1 * v;
    if (u < 0.50)
        return 1.1 + 0.4 * v;
    if (u < 0.90)
        return 1.5 + 2.5 * v;
    return 4.0 + 46.0 * v;
}

/* Total collateral in USD: 50 .. 50M, log-spread without libm. */
static double
gen_size(uint64_t *s)
{
    double v = 50.0 * (1.0 + 9.0 * gen_unit(s));
    uint64_t e = gen_below(s, 7);

    while (e-- > 0)
        v *= 10.0;
    return v;
}

static const struct gen_market *
gen_pick_market(uint64_t *s)
{
    uint64_t r = gen_below(s, 100), acc = 0;

    for (size_t i = 0; i < GEN_NMARKETS; i++) {
        acc += gen_markets[i].weight;
        if (r < acc)
            return &gen_markets[i];
    }
    return &gen_markets[0];
}

/* Pick up to k distinct asset indexes of m, not in avoid, into out:
 * collateral mostly volatile and able to back debt, debt mostly stable.
 * Returns how many were picked. */
static size_t
gen_pick(uint64_t *s, const struct gen_market *m, bool coll, size_t k,
         const size_t *avoid, size_t navoid, size_t *out)
{
    size_t pref[8], other[8], np = 0, no = 0, n = gen_nassets(m), got = 0;

    for (size_t i = 0; i < n; i++) {
        const struct gen_asset *a = gen_asset_params(m, m->assets[i]);
        bool skip = false;
        for (size_t j = 0; j < navoid; j++)
            skip |= avoid[j] == i;
        if (skip || (coll && a->lt_bps == 0))
            continue;
        if (coll != a->stable)
            pref[np++] = i;
        else
            other[no++] = i;
    }
    for (int pass = 0; pass < 2; pass++) {
        size_t *c = pass == 0 ? pref : other, nc = pass == 0 ? np : no;
        for (size_t i = 0; i < nc; i++) {
            size_t j = i + (size_t)gen_below(s, nc - i), t = c[i];
            c[i] = c[j];
            c[j] = t;
        }
        for (size_t i = 0; i < nc && got < k; i++)
            out[got++] = c[i];
    }
    return got;
}

static void
gen_position(FILE *f, uint64_t seed, uint64_t i)
{
    uint64_t s = seed ^ (i * 0xd1b54a32d192ed03ULL);
    uint64_t idmix = seed + i;
    const struct gen_market *m;
    size_t coll[4], debt[3], nc, nd;
    double w[4], wsum = 0, wlt = 0;

    (void)gen_rand(&s);
    m = gen_pick_market(&s);
    bool morpho = strcmp(m->model, "morpho-blue") == 0;
    if (morpho) {
        coll[0] = 0;
        debt[0] = 1;
        nc = nd = 1;
    } else {
        size_t want = 1 + (size_t)gen_below(&s, 4);
        if (want > gen_nassets(m) - 1)
            want = gen_nassets(m) - 1;
        nc = gen_pick(&s, m, true, want, NULL, 0, coll);
        nd = gen_pick(&s, m, false, 1 + (size_t)gen_below(&s, 3), coll, nc,
                      debt);
    }
    bool nodebt = gen_below(&s, 100) < 3;
    double size = gen_size(&s), health = gen_health(&s);
    fprintf(f, "{\"id\": \"0x%016" PRIx64 "\", \"market\": \"%s\", ",
            gen_rand(&idmix), m->id);
    if (gen_below(&s, 5) == 0)
        fprintf(f, "\"label\": \"desk %" PRIu64 "\", ", gen_below(&s, 1000));
    fputs("\"collateral\": {", f);
    for (size_t k = 0; k < nc; k++) {
        w[k] = 0.2 + gen_unit(&s);
        wsum += w[k];
    }
    for (size_t k = 0; k < nc; k++) {
        const char *sym = m->assets[coll[k]];
        const struct gen_asset *a = gen_asset_params(m, sym);
        double v = size * w[k] / wsum;
        unsigned lt = morpho ? (unsigned)gen_ratio_bps(gen_morpho_lltv(m->id))
                             : a->lt_bps;
        wlt += v * lt / 10000.0;
        fprintf(f, "%s\"%s\": ", k ? ", " : "", sym);
        gen_print_amount(f, v, sym, a->decimals);
    }
    fputs("}, \"debt\": {", f);
    if (!nodebt) {
        double dv = wlt / health;
        for (size_t k = 0; k < nd; k++) {
            w[k] = 0.2 + gen_unit(&s);
            wsum = k == 0 ? w[k] : wsum + w[k];
        }
        for (size_t k = 0; k < nd; k++) {
            const char *sym = m->assets[debt[k]];
            const struct gen_asset *a = gen_asset_params(m, sym);
            fprintf(f, "%s\"%s\": ", k ? ", " : "", sym);
            gen_print_amount(f, dv * w[k] / wsum, sym, a->decimals);
        }
    }
    fputs("}}\n", f);
}

/*
 * Ticks: a random walk per symbol around its book price, one symbol or a
 * batch a line, with a scripted fall of WETH and wstETH in the middle.
 */
static int
gen_write_ticks(FILE *f, uint64_t seed, uint64_t nticks)
{
    uint64_t s = seed ^ 0x5851f42d4c957f2dULL;
    double px[GEN_NPRICES];
    int64_t ts = 1732400000000LL;

    for (size_t i = 0; i < GEN_NPRICES; i++)
        px[i] = (double)gen_prices[i].price_e8;
    for (uint64_t t = 0; t < nticks; t++) {
        ts += 1 + (int64_t)gen_below(&s, 40);
        bool crash = t > nticks / 2 && t < nticks / 2 + nticks / 20;
        size_t nsym = gen_below(&s, 10) == 0 ? 1 + (size_t)gen_below(&s, 4) : 1;
        size_t picked[4];
        for (size_t k = 0; k < nsym; k++) {
            size_t i = (size_t)gen_below(&s, GEN_NPRICES);
            bool stable = gen_prices[i].price_e8 == 100000000ULL;
            double step = stable ? 0.0004 : 0.004;
            double drift = 0;
            if (crash && (i == 0 || i == 5))
                drift = -0.002;
            double r = (gen_unit(&s) - 0.5) * 2 * step + drift;
            if (stable) /* pull back toward the peg */
                r -= (px[i] / 1e8 - 1.0) * 0.2;
            px[i] *= 1.0 + r;
            if (px[i] < 1.0)
                px[i] = 1.0;
            picked[k] = i;
        }
        if (nsym == 1) {
            fprintf(f, "{\"symbol\": \"%s\", \"price\": \"",
                    gen_prices[picked[0]].sym);
            gen_print_e8(f, (uint64_t)px[picked[0]]);
            fprintf(f, "\", \"ts\": %" PRId64 "}\n", ts);
            continue;
        }
        fputs("{\"prices\": {", f);
        bool first = true;
        for (size_t k = 0; k < nsym; k++) {
            bool dup = false;
            for (size_t j = 0; j < k; j++)
                dup |= picked[j] == picked[k];
            if (dup)
                continue;
            fprintf(f, "%s\"%s\": \"", first ? "" : ", ",
                    gen_prices[picked[k]].sym);
            gen_print_e8(f, (uint64_t)px[picked[k]]);
            fputc('"', f);
            first = false;
        }
        fprintf(f, "}, \"ts\": %" PRId64 "}\n", ts);
    }
    return ferror(f) ? -1 : 0;
}

static void
gen_usage(FILE *f)
{
    fputs("usage: liqtop gen --positions N [--seed S] [--out DIR]\n"
          "       liqtop gen --ticks N [--seed S] [--out DIR]\n"
          "\n"
          "Writes a synthetic book, deterministic for a seed (default 1).\n"
          "  --positions N  N positions as JSON Lines, one position object a\n"
          "                 line as in a portfolio file's \"positions\". With\n"
          "                 --out DIR: DIR/book.json (markets and prices, no\n"
          "                 positions) and DIR/positions.jsonl; without it\n"
          "                 the positions go to stdout.\n"
          "  --book FILE    also write the portfolio file (markets, prices)\n"
          "                 to FILE\n"
          "  --ticks N      N price lines (design.md section 5), ts\n"
          "                 increasing; with --out DIR into DIR/ticks.jsonl.\n"
          "Load with: liqtop snapshot DIR/book.json --positions\n"
          "DIR/positions.jsonl\n",
          f);
}

static int
gen_parse_u64(const char *s, uint64_t *out)
{
    char *end;

    if (s == NULL || *s == '\0' || *s == '-')
        return -1;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno != 0 || *end != '\0')
        return -1;
    *out = v;
    return 0;
}

static FILE *
gen_open(const char *dir, const char *name, char *path, size_t cap)
{
    int n = snprintf(path, cap, "%s/%s", dir, name);

    if (n < 0 || (size_t)n >= cap) {
        fprintf(stderr, "liqtop gen: %s: path too long\n", dir);
        return NULL;
    }
    FILE *f = fopen(path, "w");
    if (f == NULL)
        fprintf(stderr, "liqtop gen: %s: %s\n", path, strerror(errno));
    return f;
}

static int
gen_stdout_failed(void)
{
    fprintf(stderr, "liqtop gen: writing the output failed: %s\n",
            strerror(errno != 0 ? errno : EIO));
    return 2;
}

static int
gen_close(FILE *f, const char *path)
{
    if (ferror(f) || fclose(f) != 0) {
        fprintf(stderr, "liqtop gen: %s: write failed\n", path);
        return 2;
    }
    return 0;
}

int
gen_main(int argc, char **argv)
{
    uint64_t npos = 0, nticks = 0, seed = 1;
    bool have_pos = false, have_ticks = false;
    const char *out = NULL, *book = NULL;
    char path[4096];

    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            gen_usage(stdout);
            return 0;
        }
        int bad = 0;
        if (strcmp(a, "--positions") == 0) {
            bad = gen_parse_u64(v, &npos);
            have_pos = true;
        } else if (strcmp(a, "--ticks") == 0) {
            bad = gen_parse_u64(v, &nticks);
            have_ticks = true;
        } else if (strcmp(a, "--seed") == 0) {
            bad = gen_parse_u64(v, &seed);
        } else if (strcmp(a, "--out") == 0) {
            bad = v == NULL ? -1 : 0;
            out = v;
        } else if (strcmp(a, "--book") == 0) {
            bad = v == NULL ? -1 : 0;
            book = v;
        } else {
            fprintf(stderr, "liqtop gen: unknown argument '%s'\n", a);
            gen_usage(stderr);
            return 2;
        }
        if (bad) {
            fprintf(stderr, "liqtop gen: %s: needs a %s\n", a,
                    strcmp(a, "--out") == 0 || strcmp(a, "--book") == 0
                        ? "path"
                        : "non-negative integer");
            return 2;
        }
        i++;
    }
    if (!have_pos && !have_ticks) {
        fputs("liqtop gen: give --positions N or --ticks N\n", stderr);
        gen_usage(stderr);
        return 2;
    }
    if (have_pos && have_ticks && out == NULL) {
        fputs("liqtop gen: --positions with --ticks needs --out DIR\n", stderr);
        return 2;
    }
    int rc = 0;
    if (book != NULL || (out != NULL && have_pos)) {
        FILE *f = book != NULL ? fopen(book, "w")
                               : gen_open(out, "book.json", path, sizeof path);
        if (f == NULL) {
            if (book != NULL)
                fprintf(stderr, "liqtop gen: %s: %s\n", book, strerror(errno));
            return 2;
        }
        if (gen_write_book(f) != 0 ||
            gen_close(f, book != NULL ? book : path) != 0)
            return 2;
    }
    if (have_pos) {
        FILE *f = out != NULL
                      ? gen_open(out, "positions.jsonl", path, sizeof path)
                      : stdout;
        if (f == NULL)
            return 2;
        for (uint64_t i = 0; i < npos; i++)
            gen_position(f, seed, i);
        if (f != stdout)
            rc = gen_close(f, path);
        else if (fflush(stdout) != 0 || ferror(stdout))
            rc = gen_stdout_failed();
        if (rc != 0)
            return rc;
    }
    if (have_ticks) {
        FILE *f = out != NULL ? gen_open(out, "ticks.jsonl", path, sizeof path)
                              : stdout;
        if (f == NULL)
            return 2;
        if (gen_write_ticks(f, seed, nticks) != 0)
            rc = 2;
        if (f != stdout)
            rc = gen_close(f, path) != 0 ? 2 : rc;
        else if (fflush(stdout) != 0 || ferror(stdout) || rc != 0)
            rc = gen_stdout_failed();
    }
    return rc;
}
