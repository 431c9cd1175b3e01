/*
 * stress_run.c: running the scenarios of `liqtop stress` over a book and
 * writing them as JSON, CSV or a table (design.md 9.1).
 *
 * Owns the run: the book, brought up to date once at the file's prices,
 * gives the parts of the positions liquidatable before any shock (read
 * from the ranking's liquidatable head) and their sums. Only the holders
 * of a moved symbol can change, and of those only the ones that may be
 * liquidatable somewhere between the lowest and highest prices of all the
 * scenarios (core/stress's corner bound): each of these candidates is
 * taken once and valued at every scenario's prices (the book's own, read
 * with the moved prices set, and set back), a scenario's totals being the
 * sums before less the candidates' parts then plus theirs now. Every
 * figure is core/stress's; nothing here computes money.
 */
#include "app/stress_run.h"

#include <stdlib.h>
#include <string.h>

#include "app/textout.h"
#include "core/decimal.h"
#include "core/liq.h"
#include "core/stress.h"
#include "core/stress_prep.h"

/* A holder of a moved symbol that may be liquidatable in some scenario. */
struct stress_cand {
    uint32_t idx, market;
    uint32_t held; /* a bit per asset of its legs */
};

struct stress_run {
    struct book *b;
    const struct stress_spec *spec;
    enum stress_format fmt;
    uint32_t nmkt;
    /* Per market: the first market of its id (its views share the id),
     * and the next one of that id after it (UINT32_MAX: none). */
    uint32_t *first_of_id, *next_of_id;
    unsigned dec;          /* places of the totals: the most of any market */
    uint64_t *was_liq;     /* a bit a position: liquidatable before */
    struct u256 *base_e18; /* feed price per symbol before any shock */
    int64_t *base_ts;      /* and its time */
    struct u256 *mprice;   /* per market, MARKET_ASSETS_MAX base prices */
    uint32_t *mmissing;    /* per market, a bit per asset without a price */
    /* Per scenario k and market mi (k * nmkt + mi): the prices, a bit per
     * asset whose price is not the one before, the totals and the first
     * error, with its message. */
    struct u256 *sprice;
    uint32_t *smoved;
    uint32_t *mmoves; /* per market, the bits of smoved over scenarios */
    /* and, for a Morpho market with its own oracle_price that the
     * scenario moves, a copy of it with the oracle scaled (else NULL) */
    struct market **smkt;
    struct stress_totals *smt;
    int *src;
    char (*serr)[256];
    /* Per market, the least and the most price of each asset over the
     * prices before and every scenario's. */
    struct u256 *mlo, *mhi;
    struct stress_totals total;
    /* Before any shock: each liquidatable position's part (cb, its market
     * in cbm, slot[idx] its place or UINT32_MAX) and their sums per
     * market (mt while they are made, then base_mt). */
    struct stress_totals *mt;
    struct stress_totals *cb;
    uint32_t *cbm;
    uint32_t ncb;
    uint32_t *slot;
    struct stress_totals *base_mt;
    uint64_t *seen; /* a bit a position: met as a holder */
    struct stress_cand *cand;
    size_t ncand;
};

/* The scenario's move of symbol sym, in millionths (0 when none). */
static int64_t
stress_move_of(const struct stress_scenario *sc, uint32_t sym)
{
    for (uint32_t i = 0; i < sc->nmove; i++)
        if (sc->move[i].sym == sym)
            return sc->move[i].ppm;
    return 0;
}

/*
 * A Morpho market with its own oracle_price: the oracle is the ratio of
 * the collateral's price to the loan's, so scenario k scales it by
 * (1 + the collateral's move) / (1 + the loan's), truncated, in a copy
 * of the market (r->smkt); every position of it is then moved.
 */
static void
stress_oracle(struct stress_run *r, uint32_t k, uint32_t mi)
{
    const struct market *m = book_market(r->b, mi);
    const struct stress_scenario *sc = &r->spec->sc[k];
    size_t o = (size_t)k * r->nmkt + mi;
    int64_t pc, pl;
    struct market *c;

    if ((m->model != MODEL_MORPHO_BLUE && m->model != MODEL_MORPHO_PRE) ||
        !m->morpho.has_oracle || m->nassets != 2)
        return;
    pc = stress_move_of(sc, market_asset_price_sym(&m->assets[0]));
    pl = stress_move_of(sc, market_asset_price_sym(&m->assets[1]));
    if (pc == pl)
        return; /* the ratio, unmoved */
    c = malloc(sizeof *c);
    if (c == NULL)
        abort();
    *c = *m;
    /* stress_spec keeps every move above -100 % */
    if (u256_muldiv(&c->morpho.oracle_price, m->morpho.oracle_price,
                    u256_from_u64((uint64_t)(STRESS_PPM + pc)),
                    u256_from_u64((uint64_t)(STRESS_PPM + pl)),
                    U256_FLOOR) != 0) {
        free(c);
        snprintf(r->serr[k], sizeof r->serr[k],
                 "market %s: the scaled oracle price overflows", m->id);
        r->src[k] = LIQ_EOVERFLOW;
        return;
    }
    r->smkt[o] = c;
    r->smoved[o] |= 3u;
}

/* Scenario k's prices per market into r->sprice: the book's own for the
 * moved feed prices (what-ifs on top, eMode price sources followed), read
 * without an update, the prices before set back after. */
static void
stress_prices(struct stress_run *r, uint32_t k)
{
    const struct stress_scenario *sc = &r->spec->sc[k];
    size_t o = (size_t)k * r->nmkt;

    for (uint32_t i = 0; i < sc->nmove; i++) {
        uint32_t s = sc->move[i].sym;
        struct u256 q;

        /* stress_spec checked that every move stays above zero */
        if (stress_price(r->base_e18[s], sc->move[i].ppm, &q) == 0)
            (void)book_price_set(r->b, s, q, r->base_ts[s]);
    }
    for (uint32_t mi = 0; mi < r->nmkt; mi++) {
        struct u256 *px = r->sprice + (o + mi) * MARKET_ASSETS_MAX;
        const struct u256 *p0 = r->mprice + (size_t)mi * MARKET_ASSETS_MAX;
        struct u256 *lo = r->mlo + (size_t)mi * MARKET_ASSETS_MAX;
        struct u256 *hi = r->mhi + (size_t)mi * MARKET_ASSETS_MAX;
        uint32_t moved = 0;

        book_prices_base(r->b, mi, px, NULL);
        for (unsigned a = 0; a < MARKET_ASSETS_MAX; a++) {
            if (!u256_eq(px[a], p0[a]))
                moved |= 1u << a;
            if (u256_lt(px[a], lo[a]))
                lo[a] = px[a];
            if (u256_lt(hi[a], px[a]))
                hi[a] = px[a];
        }
        r->smoved[o + mi] = moved;
        stress_oracle(r, k, mi);
        r->mmoves[mi] |= r->smoved[o + mi];
    }
    for (uint32_t i = 0; i < sc->nmove; i++) {
        uint32_t s = sc->move[i].sym;

        (void)book_price_set(r->b, s, r->base_e18[s], r->base_ts[s]);
    }
}

/*
 * Visit the ranking's liquidatable head, lowest health first: it holds
 * every liquidatable position (liquidatable is health below 1 in every
 * model), so the walk stops at the first position at 1 or above. Each is
 * valued into mt and cb.
 */
static int
stress_walk(struct stress_run *r, char *err, size_t errlen)
{
    uint32_t n = book_rank_count(r->b);

    for (uint32_t rank = 0; rank < n; rank++) {
        uint32_t idx = book_rank_at(r->b, rank);
        struct stress_totals part;
        struct account a;
        struct position p;
        int rc;

        if (!book_read_account(r->b, idx, &a) || !a.has_debt)
            break;
        if (!a.liquidatable) {
            if (u256_lt(a.hf, u256_from_u64(WAD)))
                continue;
            break;
        }
        book_position_get(r->b, idx, &p);
        memset(&part, 0, sizeof part);
        rc = stress_call(book_market(r->b, p.market), &p,
                         r->mprice + (size_t)p.market * MARKET_ASSETS_MAX,
                         (r->was_liq[idx / 64] >> (idx % 64)) & 1, &part);
        if (rc == 0)
            rc = stress_totals_add(&r->mt[p.market], &part, 0);
        if (rc != 0) {
            snprintf(err, errlen, "position %s: cannot be valued: %s", p.id,
                     liq_strerror(rc));
            return rc;
        }
        r->slot[idx] = r->ncb;
        r->cbm[r->ncb] = p.market;
        r->cb[r->ncb++] = part;
    }
    return 0;
}

/* Before any shock: every liquidatable position's part, and the sums. */
static int
stress_base(struct stress_run *r, char *err, size_t errlen)
{
    uint32_t n = book_position_count(r->b);
    int rc;

    for (uint32_t i = 0; i < n; i++) {
        struct account a;

        r->slot[i] = UINT32_MAX;
        if (book_read_account(r->b, i, &a) && a.liquidatable) {
            r->was_liq[i / 64] |= 1ULL << (i % 64);
            r->ncb++;
        }
    }
    r->cb = calloc((size_t)r->ncb + 1, sizeof *r->cb);
    r->cbm = calloc((size_t)r->ncb + 1, sizeof *r->cbm);
    if (r->cb == NULL || r->cbm == NULL)
        abort();
    r->ncb = 0;
    memset(r->mt, 0, r->nmkt * sizeof *r->mt);
    rc = stress_walk(r, err, errlen);
    memcpy(r->base_mt, r->mt, r->nmkt * sizeof *r->mt);
    return rc;
}

/* A bit per asset of p's legs. */
static uint32_t
stress_held(const struct position *p)
{
    uint32_t h = 0;

    for (int i = 0; i < p->ncoll; i++)
        h |= 1u << p->coll[i].asset;
    for (int i = 0; i < p->ndebt; i++)
        h |= 1u << p->debt[i].asset;
    return h;
}

/* Whether some scenario scales market mi's oracle (the corner bound
 * knows prices only). */
static bool
stress_oracle_moves(const struct stress_run *r, uint32_t mi)
{
    for (uint32_t k = 0; k < r->spec->nsc; k++)
        if (r->smkt[(size_t)k * r->nmkt + mi] != NULL)
            return true;
    return false;
}

/* The candidates: every holder of a symbol some scenario moves, once,
 * priced, and liquidatable before or maybe at some scenario's prices. */
static void
stress_candidates(struct stress_run *r)
{
    size_t cap = 0;

    for (uint32_t k = 0; k < r->spec->nsc; k++) {
        const struct stress_scenario *sc = &r->spec->sc[k];

        for (uint32_t i = 0; i < sc->nmove; i++) {
            const uint32_t *h;
            uint32_t nh;

            if (sc->move[i].ppm == 0)
                continue; /* the price before, exactly */
            h = book_holders(r->b, sc->move[i].sym, &nh);
            for (uint32_t j = 0; j < nh; j++) {
                uint32_t idx = h[j], held;
                struct position p;
                const struct market *m;
                bool was;

                if ((r->seen[idx / 64] >> (idx % 64)) & 1)
                    continue;
                r->seen[idx / 64] |= 1ULL << (idx % 64);
                book_position_get(r->b, idx, &p);
                held = stress_held(&p);
                if (r->mmissing[p.market] & held)
                    continue; /* unpriced in every scenario */
                m = book_market(r->b, p.market);
                was = (r->was_liq[idx / 64] >> (idx % 64)) & 1;
                if (!was && !stress_oracle_moves(r, p.market) &&
                    !stress_may_liquidate(
                        m, &p, r->mlo + (size_t)p.market * MARKET_ASSETS_MAX,
                        r->mhi + (size_t)p.market * MARKET_ASSETS_MAX))
                    continue;
                if (r->ncand == cap) {
                    cap = cap ? 2 * cap : 4096;
                    r->cand = realloc(r->cand, cap * sizeof *r->cand);
                    if (r->cand == NULL)
                        abort();
                }
                r->cand[r->ncand++] = (struct stress_cand){idx, p.market, held};
            }
        }
    }
}

/* Candidate c in every scenario that moves one of its prices: its part
 * before out of that scenario's totals, its part at the scenario's
 * prices in. A scenario whose figures fail keeps its first error. */
static void
stress_cand_run(struct stress_run *r, const struct stress_cand *c)
{
    const struct market *m0 = book_market(r->b, c->market);
    bool was = (r->was_liq[c->idx / 64] >> (c->idx % 64)) & 1;
    uint32_t s = r->slot[c->idx];
    struct position p;
    struct stress_prep sp;

    book_position_get(r->b, c->idx, &p);
    /* the legs of assets no scenario moves valued once */
    stress_prep_init(&sp, m0, &p,
                     r->mprice + (size_t)c->market * MARKET_ASSETS_MAX,
                     r->mmoves[c->market] & c->held);
    for (uint32_t k = 0; k < r->spec->nsc; k++) {
        size_t o = (size_t)k * r->nmkt + c->market;
        struct stress_totals *t = &r->smt[o];
        const struct u256 *px = r->sprice + o * MARKET_ASSETS_MAX;
        const struct market *m = r->smkt[o] != NULL ? r->smkt[o] : m0;
        struct stress_totals part;
        bool liq = false;
        int rc = 0;

        if (!(r->smoved[o] & c->held) || r->src[k] != 0)
            continue;
        if (s != UINT32_MAX)
            rc = stress_totals_sub(t, &r->cb[s]);
        /* a model error counts as not liquidatable, as in the book */
        if (rc == 0 && stress_prep_verdict(&sp, m, px, &liq) == 0 && liq) {
            memset(&part, 0, sizeof part);
            rc = stress_prep_call(&sp, m, px, was, &part);
            if (rc == 0)
                rc = stress_totals_add(t, &part, 0);
            if (rc != 0)
                snprintf(r->serr[k], sizeof r->serr[k],
                         "position %s: cannot be valued: %s", p.id,
                         liq_strerror(rc));
        }
        r->src[k] = rc;
    }
}

/* Every scenario's totals per market. */
static void
stress_scenarios(struct stress_run *r)
{
    for (uint32_t k = 0; k < r->spec->nsc; k++)
        memcpy(r->smt + (size_t)k * r->nmkt, r->base_mt,
               r->nmkt * sizeof *r->smt);
    for (uint32_t mi = 0; mi < r->nmkt; mi++) {
        memcpy(r->mlo + (size_t)mi * MARKET_ASSETS_MAX,
               r->mprice + (size_t)mi * MARKET_ASSETS_MAX,
               MARKET_ASSETS_MAX * sizeof *r->mlo);
        memcpy(r->mhi + (size_t)mi * MARKET_ASSETS_MAX,
               r->mprice + (size_t)mi * MARKET_ASSETS_MAX,
               MARKET_ASSETS_MAX * sizeof *r->mhi);
    }
    for (uint32_t k = 0; k < r->spec->nsc; k++)
        stress_prices(r, k);
    stress_candidates(r);
    for (size_t i = 0; i < r->ncand; i++)
        stress_cand_run(r, &r->cand[i]);
}

/* Scenario k's totals into r->mt and r->total. */
static int
stress_scenario_total(struct stress_run *r, uint32_t k, char *err,
                      size_t errlen)
{
    if (r->src[k] != 0) {
        snprintf(err, errlen, "%s", r->serr[k]);
        return r->src[k];
    }
    memcpy(r->mt, r->smt + (size_t)k * r->nmkt, r->nmkt * sizeof *r->mt);
    memset(&r->total, 0, sizeof r->total);
    for (uint32_t mi = 0; mi < r->nmkt; mi++) {
        unsigned d = book_market(r->b, mi)->base_decimals;

        if (stress_totals_add(&r->total, &r->mt[mi], r->dec - d) != 0) {
            snprintf(err, errlen, "the totals overflow 256 bits");
            return LIQ_EOVERFLOW;
        }
    }
    return 0;
}

/* ---- output ---- */

static const char *const value_name[4] = {"debt_repayable_value",
                                          "collateral_seized_value",
                                          "bonus_value", "bad_debt_value"};

static struct u256
value_of(const struct stress_totals *t, int k)
{
    return k == 0   ? t->debt_repayable_value
           : k == 1 ? t->collateral_seized_value
           : k == 2 ? t->bonus_value
                    : t->bad_debt_value;
}

static void
json_totals(FILE *out, const struct stress_totals *t, unsigned dec)
{
    char buf[DECIMAL_BUF];

    fprintf(out, "\"liquidatable\": %llu, \"newly_liquidatable\": %llu",
            (unsigned long long)t->liquidatable,
            (unsigned long long)t->newly_liquidatable);
    for (int k = 0; k < 4; k++) {
        decimal_format(buf, sizeof buf, value_of(t, k), dec);
        fprintf(out, ", \"%s\": \"%s\"", value_name[k], buf);
    }
}

static void
shocked_price(const struct stress_run *r, const struct stress_move *mv,
              char *buf, size_t cap)
{
    struct u256 q = u256_zero();

    (void)stress_price(r->base_e18[mv->sym], mv->ppm, &q);
    decimal_format(buf, cap, q, PRICE_DECIMALS);
}

/* Views of a market (per-position eMode, a Liquity rate, a cool-off,
 * Aave v4's premium) are one market to the reader: the first index of each
 * id stands for it, with the totals of all its views (the same base
 * units). False for the others. */
static bool
market_of_id(const struct stress_run *r, uint32_t mi, struct stress_totals *out)
{
    if (r->first_of_id[mi] != mi)
        return false;
    *out = r->mt[mi];
    for (uint32_t j = r->next_of_id[mi]; j != UINT32_MAX; j = r->next_of_id[j])
        (void)stress_totals_add(out, &r->mt[j], 0);
    return true;
}

static const struct book *stress_sort_book;

/* qsort order of market indexes: by id, then index. */
static int
stress_id_cmp(const void *pa, const void *pb)
{
    uint32_t a = *(const uint32_t *)pa, b = *(const uint32_t *)pb;
    int c = strcmp(book_market(stress_sort_book, a)->id,
                   book_market(stress_sort_book, b)->id);

    return c != 0 ? c : (a > b) - (a < b);
}

/* first_of_id and next_of_id, from one sort of the market indexes (a book
 * may hold a view a position, so no pass over pairs). */
static void
stress_group_ids(struct stress_run *r)
{
    uint32_t *ord = malloc(((size_t)r->nmkt + 1) * sizeof *ord);

    if (ord == NULL)
        abort();
    for (uint32_t mi = 0; mi < r->nmkt; mi++)
        ord[mi] = mi;
    stress_sort_book = r->b;
    qsort(ord, r->nmkt, sizeof *ord, stress_id_cmp);
    for (uint32_t k = 0; k < r->nmkt; k++) {
        uint32_t mi = ord[k];
        bool same = k > 0 && strcmp(book_market(r->b, ord[k - 1])->id,
                                    book_market(r->b, mi)->id) == 0;

        r->first_of_id[mi] = same ? r->first_of_id[ord[k - 1]] : mi;
        r->next_of_id[mi] = UINT32_MAX;
        if (same)
            r->next_of_id[ord[k - 1]] = mi;
    }
    free(ord);
}

static void
write_json(FILE *out, const struct stress_run *r, uint32_t k)
{
    const struct stress_scenario *sc = &r->spec->sc[k];
    char buf[DECIMAL_BUF];

    fputs(k == 0 ? "\n  {\"shock\": {" : ",\n  {\"shock\": {", out);
    for (uint32_t i = 0; i < sc->nmove; i++) {
        fputs(i ? ", " : "", out);
        textout_json_str(out, book_symbol_name(r->b, sc->move[i].sym));
        stress_spec_pct(buf, sizeof buf, sc->move[i].ppm);
        fprintf(out, ": \"%s\"", buf);
    }
    fputs("}, \"prices\": {", out);
    for (uint32_t i = 0; i < sc->nmove; i++) {
        fputs(i ? ", " : "", out);
        textout_json_str(out, book_symbol_name(r->b, sc->move[i].sym));
        shocked_price(r, &sc->move[i], buf, sizeof buf);
        fprintf(out, ": \"%s\"", buf);
    }
    fputs("}, ", out);
    json_totals(out, &r->total, r->dec);
    fputs(", \"markets\": {", out);
    for (uint32_t mi = 0; mi < r->nmkt; mi++) {
        const struct market *m = book_market(r->b, mi);
        struct stress_totals t;

        if (!market_of_id(r, mi, &t))
            continue;
        fputs(mi ? ", " : "", out);
        textout_json_str(out, m->id);
        fputs(": {", out);
        json_totals(out, &t, m->base_decimals);
        fputc('}', out);
    }
    fputs("}}", out);
}

static void
shock_text(const struct stress_run *r, const struct stress_scenario *sc,
           char *buf, size_t cap, const char *sep)
{
    size_t o = 0;

    buf[0] = '\0';
    for (uint32_t i = 0; i < sc->nmove && o < cap; i++) {
        char pct[32];
        int n;

        stress_spec_pct(pct, sizeof pct, sc->move[i].ppm);
        n = snprintf(buf + o, cap - o, "%s%s=%s", i ? sep : "",
                     book_symbol_name(r->b, sc->move[i].sym), pct);
        if (n < 0)
            break;
        o += (size_t)n;
    }
}

static void
csv_row(FILE *out, uint32_t k, const char *shock, const char *market,
        const struct stress_totals *t, unsigned dec)
{
    char buf[DECIMAL_BUF];

    fprintf(out, "%u,", (unsigned)k + 1);
    textout_csv_field(out, shock);
    putc(',', out);
    textout_csv_field(out, market);
    fprintf(out, ",%llu,%llu", (unsigned long long)t->liquidatable,
            (unsigned long long)t->newly_liquidatable);
    for (int v = 0; v < 4; v++) {
        decimal_format(buf, sizeof buf, value_of(t, v), dec);
        fprintf(out, ",%s", buf);
    }
    putc('\n', out);
}

static void
write_csv(FILE *out, const struct stress_run *r, uint32_t k)
{
    char shock[2048];

    shock_text(r, &r->spec->sc[k], shock, sizeof shock, ";");
    csv_row(out, k, shock, "", &r->total, r->dec);
    for (uint32_t mi = 0; mi < r->nmkt; mi++) {
        const struct market *m = book_market(r->b, mi);
        struct stress_totals t;

        if (market_of_id(r, mi, &t))
            csv_row(out, k, shock, m->id, &t, m->base_decimals);
    }
}

/* A value with 2 places, cut, thousands grouped. */
static void
human(char *dst, size_t cap, struct u256 v, unsigned dec)
{
    char raw[DECIMAL_BUF];
    const char *dot;
    size_t ilen, o = 0;

    decimal_format(raw, sizeof raw, v, dec);
    dot = strchr(raw, '.');
    ilen = dot ? (size_t)(dot - raw) : strlen(raw);
    for (size_t i = 0; i < ilen && o + 2 < cap; i++) {
        if (i > 0 && (ilen - i) % 3 == 0)
            dst[o++] = ',';
        dst[o++] = raw[i];
    }
    if (o + 4 < cap) {
        dst[o++] = '.';
        dst[o++] = dot && dot[1] ? dot[1] : '0';
        dst[o++] = dot && dot[1] && dot[2] ? dot[2] : '0';
    }
    dst[o] = '\0';
}

static void
table_row(FILE *out, const char *name, const struct stress_totals *t,
          unsigned dec)
{
    char v[4][DECIMAL_BUF + 32], safe[64];

    for (int k = 0; k < 4; k++)
        human(v[k], sizeof v[k], value_of(t, k), dec);
    textout_safe(safe, sizeof safe, name, strlen(name), 24);
    fprintf(out, "  %-24s %12llu %12llu %20s %20s %16s %16s\n", safe,
            (unsigned long long)t->liquidatable,
            (unsigned long long)t->newly_liquidatable, v[0], v[1], v[2], v[3]);
}

static void
write_table(FILE *out, const struct stress_run *r, uint32_t k)
{
    const struct stress_scenario *sc = &r->spec->sc[k];
    char shock[2048];

    shock_text(r, sc, shock, sizeof shock, ", ");
    fprintf(out, "%sScenario %u: %s\n", k ? "\n" : "", (unsigned)k + 1, shock);
    fputs("  prices:", out);
    for (uint32_t i = 0; i < sc->nmove; i++) {
        char buf[DECIMAL_BUF];

        shocked_price(r, &sc->move[i], buf, sizeof buf);
        fprintf(out, "%s %s %s", i ? "," : "",
                book_symbol_name(r->b, sc->move[i].sym), buf);
    }
    fprintf(out, "\n  %-24s %12s %12s %20s %20s %16s %16s\n", "MARKET",
            "LIQUIDATABLE", "NEWLY", "DEBT REPAYABLE", "COLLATERAL SEIZED",
            "BONUS", "BAD DEBT");
    for (uint32_t mi = 0; mi < r->nmkt; mi++) {
        const struct market *m = book_market(r->b, mi);
        struct stress_totals t;

        if (market_of_id(r, mi, &t))
            table_row(out, m->id, &t, m->base_decimals);
    }
    table_row(out, "total", &r->total, r->dec);
}

int
stress_run_write(FILE *out, struct book *b, const struct stress_spec *spec,
                 enum stress_format fmt, char *err, size_t errlen)
{
    struct stress_run run, *r = &run;
    uint32_t nsym, n;
    size_t nsm, npx;
    int rc;

    memset(r, 0, sizeof *r);
    r->b = b;
    r->spec = spec;
    r->fmt = fmt;
    nsym = book_symbol_count(b);
    n = book_position_count(b);

    r->nmkt = book_market_count(r->b);
    r->dec = 0;
    for (uint32_t mi = 0; mi < r->nmkt; mi++)
        if (book_market(r->b, mi)->base_decimals > r->dec)
            r->dec = book_market(r->b, mi)->base_decimals;
    nsm = (size_t)spec->nsc * r->nmkt + 1;
    npx = (size_t)(r->nmkt + 1) * MARKET_ASSETS_MAX;
    r->was_liq = calloc((size_t)n / 64 + 1, sizeof *r->was_liq);
    r->seen = calloc((size_t)n / 64 + 1, sizeof *r->seen);
    r->slot = calloc((size_t)n + 1, sizeof *r->slot);
    r->base_e18 = calloc((size_t)nsym + 1, sizeof *r->base_e18);
    r->base_ts = calloc((size_t)nsym + 1, sizeof *r->base_ts);
    r->mprice = calloc(npx, sizeof *r->mprice);
    r->mlo = calloc(npx, sizeof *r->mlo);
    r->mhi = calloc(npx, sizeof *r->mhi);
    r->mmissing = calloc((size_t)r->nmkt + 1, sizeof *r->mmissing);
    r->sprice = calloc(nsm * MARKET_ASSETS_MAX, sizeof *r->sprice);
    r->smoved = calloc(nsm, sizeof *r->smoved);
    r->mmoves = calloc((size_t)r->nmkt + 1, sizeof *r->mmoves);
    r->smkt = calloc(nsm, sizeof *r->smkt);
    r->smt = calloc(nsm, sizeof *r->smt);
    r->src = calloc((size_t)spec->nsc + 1, sizeof *r->src);
    r->serr = calloc((size_t)spec->nsc + 1, sizeof *r->serr);
    r->mt = calloc((size_t)r->nmkt + 1, sizeof *r->mt);
    r->base_mt = calloc((size_t)r->nmkt + 1, sizeof *r->base_mt);
    r->first_of_id = calloc((size_t)r->nmkt + 1, sizeof *r->first_of_id);
    r->next_of_id = calloc((size_t)r->nmkt + 1, sizeof *r->next_of_id);
    if (r->first_of_id == NULL || r->next_of_id == NULL)
        abort();
    stress_group_ids(r);
    if (r->was_liq == NULL || r->seen == NULL || r->slot == NULL ||
        r->base_e18 == NULL || r->base_ts == NULL || r->mprice == NULL ||
        r->mlo == NULL || r->mhi == NULL || r->mmissing == NULL ||
        r->sprice == NULL || r->smoved == NULL || r->mmoves == NULL ||
        r->smkt == NULL || r->smt == NULL || r->src == NULL ||
        r->serr == NULL || r->mt == NULL || r->base_mt == NULL)
        abort();
    for (uint32_t s = 0; s < nsym; s++)
        (void)book_price_get(r->b, s, &r->base_e18[s], &r->base_ts[s]);
    book_update(r->b);
    for (uint32_t mi = 0; mi < r->nmkt; mi++)
        book_prices_base(r->b, mi, r->mprice + (size_t)mi * MARKET_ASSETS_MAX,
                         &r->mmissing[mi]);
    rc = stress_base(r, err, errlen);
    if (rc == 0)
        stress_scenarios(r);
    if (rc == 0 && r->fmt == STRESS_JSON)
        fputs("{\"scenarios\": [", out);
    else if (rc == 0 && r->fmt == STRESS_CSV)
        fputs("scenario,shock,market,liquidatable,newly_liquidatable,"
              "debt_repayable_value,collateral_seized_value,bonus_value,"
              "bad_debt_value\n",
              out);
    for (uint32_t k = 0; k < r->spec->nsc && rc == 0; k++) {
        rc = stress_scenario_total(r, k, err, errlen);
        if (rc != 0)
            break;
        if (r->fmt == STRESS_JSON)
            write_json(out, r, k);
        else if (r->fmt == STRESS_CSV)
            write_csv(out, r, k);
        else
            write_table(out, r, k);
    }
    if (rc == 0 && r->fmt == STRESS_JSON)
        fputs(r->spec->nsc ? "\n]}\n" : "]}\n", out);
    free(r->was_liq);
    free(r->seen);
    free(r->slot);
    free(r->base_e18);
    free(r->base_ts);
    free(r->mprice);
    free(r->mlo);
    free(r->mhi);
    free(r->mmissing);
    free(r->sprice);
    free(r->smoved);
    free(r->mmoves);
    for (size_t i = 0; i < nsm; i++)
        free(r->smkt[i]);
    free(r->smkt);
    free(r->smt);
    free(r->src);
    free(r->serr);
    free(r->mt);
    free(r->base_mt);
    free(r->first_of_id);
    free(r->next_of_id);
    free(r->cb);
    free(r->cbm);
    free(r->cand);
    return rc;
}
