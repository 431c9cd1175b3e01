/*
 * snapshot.c: the book at its current prices as JSON, CSV or a table
 * (design.md section 4).
 *
 * Owns these three formats. Writes with plain stdio, a position at a time,
 * so a book of a million positions streams out without a tree in memory.
 * Reads the book; never changes a price.
 */
#include "app/snapshot.h"

#include <stdlib.h>
#include <string.h>

#include "app/textout.h"
#include "core/book_front.h"
#include "core/decimal.h"
#include "core/health.h"
#include "core/liq.h"
#include "core/liqprice.h"
#include "core/market.h"
#include "core/model.h"
#include "core/model_morpho.h"
#include "core/position.h"
#include "core/stress.h"

#define HUMAN_BUF 128

/* One position, formatted. Text fields are "" when unknown. */
struct row {
    struct position p;
    const struct market *m;
    bool ok; /* account known */
    struct account acc;
    char hf[DECIMAL_BUF];
    char coll[DECIMAL_BUF];
    char debt[DECIMAL_BUF];
    bool lp_exists[POSITION_SIDE_MAX];
    char lp[POSITION_SIDE_MAX][DECIMAL_BUF];
    const char *gate; /* a gate's reason (design.md 4.1), or NULL */
    /* time_to_liquidation: "" where the market gives no rates, else the
     * seconds or "null" */
    char ttl[24];
    bool shock_exists; /* liquidation_shock (design.md 9.1) */
    uint32_t shock_bps;
    /* morpho-pre (design.md 3): pre set for its positions; the two
     * figures "" outside the band */
    bool pre, pre_liq;
    char pre_lcf[DECIMAL_BUF], pre_lif[DECIMAL_BUF];
    /* liquity-v2: front set for its troves; "" when a trove has no rate */
    bool front;
    char front_debt[DECIMAL_BUF];
};

struct snap {
    FILE *out;
    struct book *b;
    struct u256 *prices;      /* MARKET_ASSETS_MAX per market, base units */
    struct u256 *e18;         /* the same prices before the cut to base units */
    uint32_t *group;          /* per market: --stress-assets' bits */
    bool grouped;             /* --stress-assets given, else each default */
    struct book_front *front; /* liquity-v2's debt in front, or NULL */
};

/*
 * The liquidation price of r's collateral leg k from the account's kept
 * sums (liqprice_from_sums: the search's answer, with no search), where
 * its asset is held in that leg alone and the model tells its
 * liquidatable prices; false where it does not serve (then the search).
 * The answer proves the liquidatable prices of that asset are those from
 * 0 to it (liquidation_shock then reads it, snapshot_shock_fill).
 */
static bool
snapshot_lp_sums(const struct snap *s, const struct row *r,
                 const struct model_sums128 *sums, int k, bool *exists,
                 struct u256 *lp)
{
    const struct u256 *prices =
        s->prices + (size_t)r->p.market * MARKET_ASSETS_MAX;
    uint8_t asset = r->p.coll[k].asset;
    u128 amount, px;

    for (int i = 0; i < r->p.ncoll + r->p.ndebt; i++)
        if (i != k &&
            (i < r->p.ncoll ? r->p.coll[i].asset
                            : r->p.debt[i - r->p.ncoll].asset) == asset)
            return false;
    return u256_to_u128(r->p.coll[k].amount, &amount) &&
           u256_to_u128(prices[asset], &px) &&
           liqprice_from_sums(r->m, sums, asset, amount, px, exists, lp);
}

/* The kept sums of idx in 128 bits, where the book keeps them so. */
static bool
snapshot_sums(const struct snap *s, uint32_t idx, struct model_sums128 *out)
{
    struct model_sums w;
    bool big;

    if (!book_read_sums(s->b, idx, &w, &big) || big)
        return false;
    for (int i = 0; i < MODEL_SUMS; i++)
        if (!u256_to_u128(w.s[i], &out->s[i]))
            return false;
    return true;
}

/* What snapshot_lp_sums proved of each collateral leg. */
struct snap_prefix {
    bool ok[POSITION_SIDE_MAX], exists[POSITION_SIDE_MAX];
    struct u256 lp[POSITION_SIDE_MAX];
};

/* liquidation_shock: of the --stress-assets in the position's market, or
 * by default its collateral not also owed. Where the group's one held
 * asset is a collateral leg whose liquidatable prices are those from 0 to
 * its liquidation price (snapshot_lp_sums), the least fall from them. */
static void
snapshot_shock_fill(const struct snap *s, struct row *r,
                    const struct snap_prefix *pre)
{
    uint32_t g =
        s->grouped ? s->group[r->p.market] : stress_default_group(r->m, &r->p);
    uint32_t held = 0;

    for (int i = 0; i < r->p.ncoll + r->p.ndebt; i++)
        held |= 1u << (i < r->p.ncoll ? r->p.coll[i].asset
                                      : r->p.debt[i - r->p.ncoll].asset);
    for (int k = 0;
         g != 0 && k < r->p.ncoll && r->acc.has_debt && !r->acc.liquidatable;
         k++) {
        const struct u256 *e18 =
            s->e18 + (size_t)r->p.market * MARKET_ASSETS_MAX;

        if (!pre->ok[k] || (g & held) != 1u << r->p.coll[k].asset)
            continue;
        if (!pre->exists[k]) {
            /* not liquidatable at 0: nor at any fall */
            r->shock_exists = false;
            return;
        }
        if (stress_shock_from_prefix(r->m, e18[r->p.coll[k].asset], pre->lp[k],
                                     &r->shock_bps)) {
            r->shock_exists = true;
            return;
        }
    }
    if (g == 0 ||
        stress_liquidation_shock_from(
            r->m, &r->p, s->e18 + (size_t)r->p.market * MARKET_ASSETS_MAX, g,
            &r->acc, &r->shock_exists, &r->shock_bps) != 0)
        r->shock_exists = false;
}

/*
 * The position at rank, the ranks after it fetched meanwhile: a row's
 * position is anywhere in the book's memory, and the next ones are known.
 * ahead[] keeps the indexes of ranks [rank, rank + SNAP_AHEAD), each read
 * from the ranking once, in order.
 */
#define SNAP_AHEAD 16
struct snap_ahead {
    uint32_t idx[SNAP_AHEAD];
};

static uint32_t
snap_rank(struct book *b, struct snap_ahead *a, uint32_t rank, uint32_t n)
{
    if (rank == 0)
        for (uint32_t k = 0; k < SNAP_AHEAD && k < n; k++) {
            a->idx[k] = book_rank_at(b, k);
            book_position_prefetch(b, a->idx[k], 0);
        }
    uint32_t idx = a->idx[rank % SNAP_AHEAD];
    if (rank + SNAP_AHEAD < n) {
        a->idx[rank % SNAP_AHEAD] = book_rank_at(b, rank + SNAP_AHEAD);
        book_position_prefetch(b, a->idx[rank % SNAP_AHEAD], 0);
    }
    if (rank + SNAP_AHEAD / 2 < n)
        book_position_prefetch(b, a->idx[(rank + SNAP_AHEAD / 2) % SNAP_AHEAD],
                               1);
    return idx;
}

static void
row_fill(const struct snap *s, uint32_t idx, struct row *r)
{
    const struct u256 *prices;
    struct model_sums128 sums;
    struct snap_prefix pre;
    bool sums_ok;
    int k;

    book_position_get(s->b, idx, &r->p);
    r->m = book_market(s->b, r->p.market);
    prices = s->prices + (size_t)r->p.market * MARKET_ASSETS_MAX;
    r->ok = book_read_account(s->b, idx, &r->acc);
    r->gate = NULL;
    r->hf[0] = r->coll[0] = r->debt[0] = '\0';
    for (k = 0; k < r->p.ncoll; k++) {
        r->lp_exists[k] = false;
        r->lp[k][0] = '\0';
    }
    r->ttl[0] = '\0';
    r->shock_exists = false;
    r->pre = r->pre_liq = false;
    r->pre_lcf[0] = r->pre_lif[0] = '\0';
    r->front = r->m->model == MODEL_LIQUITY_V2;
    r->front_debt[0] = '\0';
    if (r->front) {
        struct u256 d;

        if (book_front_debt(s->front, s->b, idx, &d))
            decimal_format(r->front_debt, sizeof r->front_debt, d,
                           r->m->assets[1].decimals);
    }
    if (!r->ok)
        return;
    if (r->m->model == MODEL_MORPHO_PRE) {
        struct model_morpho_pre_band band;

        r->pre = model_morpho_pre_band(r->m, &r->p, prices, &band) == 0;
        r->pre_liq = r->pre && band.pre_liquidatable;
        if (r->pre_liq) {
            decimal_format(r->pre_lcf, sizeof r->pre_lcf, band.lcf, 18);
            decimal_format(r->pre_lif, sizeof r->pre_lif, band.lif, 18);
        }
    }
    r->gate = model_revert_reason(model_gate(r->m, &r->p, prices));
    {
        int64_t t;

        if (model_time_to_liquidation(r->m, &r->p, prices, &t) == 0)
            snprintf(r->ttl, sizeof r->ttl, t < 0 ? "null" : "%lld",
                     (long long)t);
    }
    if (r->acc.has_debt)
        decimal_format(r->hf, sizeof r->hf, r->acc.hf, 18);
    decimal_format(r->coll, sizeof r->coll, r->acc.coll_value,
                   r->m->base_decimals);
    decimal_format(r->debt, sizeof r->debt, r->acc.debt_value,
                   r->m->base_decimals);
    /* liqprice_from_sums answers for a position with debt */
    sums_ok = position_has_debt(&r->p) && snapshot_sums(s, idx, &sums);
    for (k = 0; k < r->p.ncoll; k++) {
        struct u256 lp = u256_zero();
        bool exists = false, fixed = false;

        pre.ok[k] = sums_ok && snapshot_lp_sums(s, r, &sums, k, &exists, &lp);
        if (!pre.ok[k] &&
            liqprice_search(r->m, &r->p, prices, r->p.coll[k].asset, &exists,
                            &lp, &fixed) == 0) {
            /* fixed, with a price: the liquidatable prices are those
             * from 0 to it (a prefix); a Morpho market's own oracle
             * moves instead under a shock (stress.c), so not there */
            pre.ok[k] = fixed && exists &&
                        !((r->m->model == MODEL_MORPHO_BLUE ||
                           r->m->model == MODEL_MORPHO_PRE) &&
                          r->m->morpho.has_oracle);
        } else if (!pre.ok[k]) {
            exists = false;
        }
        pre.exists[k] = exists;
        pre.lp[k] = lp;
        if (exists) {
            r->lp_exists[k] = true;
            decimal_format(r->lp[k], sizeof r->lp[k], lp, r->m->base_decimals);
        }
    }
    snapshot_shock_fill(s, r, &pre);
}

static const char *
coll_symbol(const struct snap *s, const struct row *r, int k)
{
    return book_symbol_name(s->b, r->m->assets[r->p.coll[k].asset].sym);
}

/* A row built in memory, then written at once: a million rows are a
 * million writes, not twenty million. */
struct rowbuf {
    char *p;
    char buf[8192]; /* an escaped id, market, label and 8 symbols fit */
};

static void
rowbuf_lit(struct rowbuf *rb, const char *s)
{
    size_t n = strlen(s);

    memcpy(rb->p, s, n);
    rb->p += n;
}

static void
rowbuf_str(struct rowbuf *rb, const char *s)
{
    rb->p += textout_json_quote(rb->p, s);
}

static void
rowbuf_str_or_null(struct rowbuf *rb, const char *s)
{
    if (s[0] == '\0')
        rowbuf_lit(rb, "null");
    else
        rowbuf_str(rb, s);
}

/* A figure of decimal_format, digits and a point: quoted as it is, no
 * character of it to escape; null when "". */
static void
rowbuf_num_or_null(struct rowbuf *rb, const char *s)
{
    size_t n = strlen(s);

    if (n == 0) {
        rowbuf_lit(rb, "null");
        return;
    }
    *rb->p++ = '"';
    memcpy(rb->p, s, n);
    rb->p += n;
    *rb->p++ = '"';
}

/* One item of "positions", after lead and followed by tail. */
static void
write_json_row(const struct snap *s, const struct row *r, const char *lead,
               const char *tail)
{
    struct rowbuf rb;
    int k;

    rb.p = rb.buf;
    rowbuf_lit(&rb, lead);
    rowbuf_lit(&rb, "{\"id\": ");
    rowbuf_str(&rb, r->p.id);
    rowbuf_lit(&rb, ", \"market\": ");
    rowbuf_str(&rb, r->m->id);
    rowbuf_lit(&rb, ", \"label\": ");
    rowbuf_str(&rb, r->p.label);
    rowbuf_lit(&rb, ", \"health_factor\": ");
    rowbuf_num_or_null(&rb, r->hf);
    rowbuf_lit(&rb, r->ok && r->acc.liquidatable ? ", \"liquidatable\": true"
                                                 : ", \"liquidatable\": false");
    rowbuf_lit(&rb, ", \"collateral_value\": ");
    rowbuf_num_or_null(&rb, r->coll);
    rowbuf_lit(&rb, ", \"debt_value\": ");
    rowbuf_num_or_null(&rb, r->debt);
    rowbuf_lit(&rb, ", \"liquidation_price\": {");
    for (k = 0; k < r->p.ncoll; k++) {
        if (k > 0)
            rowbuf_lit(&rb, ", ");
        rowbuf_str(&rb, coll_symbol(s, r, k));
        rowbuf_lit(&rb, ": ");
        rowbuf_num_or_null(&rb, r->lp_exists[k] ? r->lp[k] : "");
    }
    rowbuf_lit(&rb, r->ok && r->acc.bad_debt ? "}, \"bad_debt\": true"
                                             : "}, \"bad_debt\": false");
    rowbuf_lit(&rb, ", \"gate\": ");
    rowbuf_str_or_null(&rb, r->gate != NULL ? r->gate : "");
    if (r->ttl[0] != '\0') {
        rowbuf_lit(&rb, ", \"time_to_liquidation\": ");
        rowbuf_lit(&rb, r->ttl);
    }
    if (r->pre) {
        rowbuf_lit(&rb, r->pre_liq ? ", \"pre_liquidatable\": true"
                                   : ", \"pre_liquidatable\": false");
        rowbuf_lit(&rb, ", \"pre_lcf\": ");
        rowbuf_num_or_null(&rb, r->pre_lcf);
        rowbuf_lit(&rb, ", \"pre_lif\": ");
        rowbuf_num_or_null(&rb, r->pre_lif);
    }
    if (r->front) {
        rowbuf_lit(&rb, ", \"debt_in_front\": ");
        rowbuf_num_or_null(&rb, r->front_debt);
    }
    if (r->shock_exists)
        rb.p += snprintf(rb.p, 32, ", \"liquidation_shock\": %u}",
                         (unsigned)r->shock_bps);
    else
        rowbuf_lit(&rb, ", \"liquidation_shock\": null}");
    rowbuf_lit(&rb, tail);
    fwrite_unlocked(rb.buf, 1, (size_t)(rb.p - rb.buf), s->out);
}

static void
write_csv_row(const struct snap *s, const struct row *r)
{
    FILE *out = s->out;
    char lp[POSITION_SIDE_MAX * (SYMBOL_MAX + DECIMAL_BUF + 2)];
    size_t o = 0;
    int k;

    textout_csv_field(out, r->p.id);
    putc(',', out);
    textout_csv_field(out, r->m->id);
    putc(',', out);
    textout_csv_field(out, r->p.label);
    putc(',', out);
    fputs(r->hf, out);
    fputs(r->ok && r->acc.liquidatable ? ",true," : ",false,", out);
    fputs(r->coll, out);
    putc(',', out);
    fputs(r->debt, out);
    putc(',', out);
    lp[0] = '\0';
    for (k = 0; k < r->p.ncoll && o < sizeof lp; k++) {
        int n = snprintf(lp + o, sizeof lp - o, "%s%s=%s", k ? ";" : "",
                         coll_symbol(s, r, k), r->lp[k]);

        if (n > 0)
            o += (size_t)n;
    }
    textout_csv_field(out, lp);
    fputs(r->ok && r->acc.bad_debt ? ",true," : ",false,", out);
    if (r->shock_exists)
        fprintf(out, "%u", (unsigned)r->shock_bps);
    putc('\n', out);
}

/*
 * Human form of a decimal string: `places` decimals (cut, never rounded
 * up, so 0.99999 stays below 1), thousands grouped with ','.
 */
static void
human(char *dst, size_t cap, const char *dec, unsigned places)
{
    const char *dot = strchr(dec, '.');
    size_t ilen = dot ? (size_t)(dot - dec) : strlen(dec);
    size_t o = 0, i;
    unsigned k;

    if (dec[0] == '\0') {
        snprintf(dst, cap, "-");
        return;
    }
    for (i = 0; i < ilen && o + 2 < cap; i++) {
        if (i > 0 && (ilen - i) % 3 == 0)
            dst[o++] = ',';
        dst[o++] = dec[i];
    }
    if (places > 0 && o + 1 < cap)
        dst[o++] = '.';
    for (k = 0; k < places && o + 1 < cap; k++) {
        char c = '0';

        if (dot != NULL && strlen(dot + 1) > k)
            c = dot[1 + k];
        dst[o++] = c;
    }
    dst[o] = '\0';
}

enum {
    COL_RANK,
    COL_ID,
    COL_LABEL,
    COL_MARKET,
    COL_HEALTH,
    COL_TIER,
    COL_COLL,
    COL_DEBT,
    COL_SHOCK,
    COL_FLAGS,
    COL_LIQ,
    NCOL
};

static const char *const col_head[NCOL] = {
    "#",          "ID",   "LABEL", "MARKET", "HEALTH",           "RISK",
    "COLLATERAL", "DEBT", "SHOCK", "FLAGS",  "LIQUIDATION PRICE"};
static const bool col_right[NCOL] = {true, false, false, false, true, false,
                                     true, true,  true,  false, false};

/* The table's cells of one row, into cells[NCOL] of HUMAN_BUF*2 each. */
static void
table_cells(const struct snap *s, const struct row *r, uint32_t rank,
            char cells[NCOL][HUMAN_BUF * 2])
{
    enum tier t;
    size_t o = 0;
    int k;

    snprintf(cells[COL_RANK], HUMAN_BUF, "%u", (unsigned)rank + 1);
    textout_safe(cells[COL_ID], HUMAN_BUF, r->p.id, strlen(r->p.id), 24);
    textout_safe(cells[COL_LABEL], HUMAN_BUF, r->p.label, strlen(r->p.label),
                 32);
    textout_safe(cells[COL_MARKET], HUMAN_BUF, r->m->id, strlen(r->m->id), 24);
    if (!r->ok) {
        snprintf(cells[COL_HEALTH], HUMAN_BUF, "?");
        snprintf(cells[COL_TIER], HUMAN_BUF, "no price");
        snprintf(cells[COL_COLL], HUMAN_BUF, "?");
        snprintf(cells[COL_DEBT], HUMAN_BUF, "?");
        cells[COL_LIQ][0] = cells[COL_FLAGS][0] = cells[COL_SHOCK][0] = '\0';
        return;
    }
    human(cells[COL_HEALTH], HUMAN_BUF, r->hf, 4);
    /* pre_liq: in a morpho-pre band, as the dashboard's PRE */
    t = r->pre_liq ? TIER_PRE : health_tier(r->acc.hf, r->acc.has_debt);
    snprintf(cells[COL_TIER], HUMAN_BUF, "%s", health_tier_name(t));
    human(cells[COL_COLL], HUMAN_BUF, r->coll, 2);
    human(cells[COL_DEBT], HUMAN_BUF, r->debt, 2);
    if (!r->shock_exists)
        snprintf(cells[COL_SHOCK], HUMAN_BUF, "none");
    else if (r->shock_bps == 0)
        snprintf(cells[COL_SHOCK], HUMAN_BUF, "now");
    else
        snprintf(cells[COL_SHOCK], HUMAN_BUF, "-%u.%02u%%",
                 (unsigned)r->shock_bps / 100, (unsigned)r->shock_bps % 100);
    cells[COL_LIQ][0] = '\0';
    for (k = 0; k < r->p.ncoll; k++) {
        char h[HUMAN_BUF];
        int n;

        if (r->lp_exists[k])
            human(h, sizeof h, r->lp[k], 2);
        else
            snprintf(h, sizeof h, "none");
        n = snprintf(cells[COL_LIQ] + o, HUMAN_BUF * 2 - o, "%s%s %s",
                     k ? ", " : "", coll_symbol(s, r, k), h);
        if (n < 0 || (size_t)n >= HUMAN_BUF * 2 - o)
            break;
        o += (size_t)n;
    }
    snprintf(cells[COL_FLAGS], HUMAN_BUF, "%s",
             r->acc.bad_debt ? "bad debt" : "");
}

static int
write_table(const struct snap *s)
{
    char(*cells)[HUMAN_BUF * 2] = malloc(NCOL * sizeof *cells);
    uint32_t n = book_rank_count(s->b), rank;
    size_t width[NCOL];
    struct book_counts bc;
    struct row r;
    int c, pass;

    if (cells == NULL)
        return LIQ_ENOMEM;
    for (c = 0; c < NCOL; c++)
        width[c] = textout_width(col_head[c]);
    /* Pass 0 measures the columns, pass 1 writes them. */
    for (pass = 0; pass < 2; pass++) {
        if (pass == 1) {
            for (c = 0; c < NCOL; c++) {
                textout_pad(s->out, col_head[c], c == NCOL - 1 ? 0 : width[c],
                            col_right[c]);
                if (c < NCOL - 1)
                    fputs("  ", s->out);
            }
            putc('\n', s->out);
        }
        for (rank = 0; rank < n; rank++) {
            row_fill(s, book_rank_at(s->b, rank), &r);
            table_cells(s, &r, rank, cells);
            for (c = 0; c < NCOL; c++) {
                size_t w = textout_width(cells[c]);

                if (pass == 0) {
                    if (w > width[c])
                        width[c] = w;
                    continue;
                }
                textout_pad(s->out, cells[c], c == NCOL - 1 ? 0 : width[c],
                            col_right[c]);
                if (c < NCOL - 1)
                    fputs("  ", s->out);
            }
            if (pass == 1)
                putc('\n', s->out);
        }
    }
    book_counts(s->b, &bc);
    fprintf(s->out,
            "\n%u position%s: %u liquidatable, %u at risk (health below "
            "1.5%s), %u with bad debt, %u without debt.\n",
            bc.total, bc.total == 1 ? "" : "s", bc.liquidatable, bc.at_risk,
            bc.pre > 0 ? ", or pre-liquidatable" : "", bc.bad_debt, bc.no_debt);
    if (bc.unpriced > 0)
        fprintf(s->out, "%u positions lack a price.\n", bc.unpriced);
    fputs("Values and liquidation prices are in each market's base "
          "currency; a\nliquidation price is that asset's price, others "
          "unchanged, at which the\nposition becomes liquidatable.\n",
          s->out);
    free(cells);
    return 0;
}

int
snapshot_write(FILE *out, struct book *b, enum snapshot_format fmt)
{
    return snapshot_write_opts(out, b, fmt, NULL);
}

static void
snap_close(struct snap *s)
{
    free(s->prices);
    free(s->e18);
    free(s->group);
    book_front_free(s->front);
}

/* Brings b up to date and gathers what every row reads. */
static int
snap_open(struct snap *s, FILE *out, struct book *b,
          const struct snapshot_opts *opts)
{
    uint32_t nm = book_market_count(b), i;

    book_update(b);
    s->out = out;
    s->b = b;
    s->prices =
        calloc((size_t)(nm ? nm : 1) * MARKET_ASSETS_MAX, sizeof *s->prices);
    s->e18 = calloc((size_t)(nm ? nm : 1) * MARKET_ASSETS_MAX, sizeof *s->e18);
    s->group = calloc(nm ? nm : 1, sizeof *s->group);
    s->grouped = opts != NULL && opts->nstress > 0;
    s->front = book_front_new(b);
    if (s->prices == NULL || s->e18 == NULL || s->group == NULL) {
        snap_close(s);
        return LIQ_ENOMEM;
    }
    for (i = 0; i < nm; i++) {
        const struct market *m = book_market(b, i);

        book_prices_base(b, i, s->prices + (size_t)i * MARKET_ASSETS_MAX, NULL);
        for (unsigned a = 0; a < m->nassets; a++) {
            /* the symbol that prices it, an eMode price source's in a
             * view, as book_prices_base reads it */
            (void)book_price_effective(
                b, market_asset_price_sym(&m->assets[a]),
                &s->e18[(size_t)i * MARKET_ASSETS_MAX + a]);
            for (size_t k = 0; opts != NULL && k < opts->nstress; k++)
                if (opts->stress_syms[k] == m->assets[a].sym)
                    s->group[i] |= 1u << a;
        }
    }
    return 0;
}

int
snapshot_write_lines(FILE *out, struct book *b, uint32_t limit)
{
    struct snap s;
    struct row r;
    uint32_t n;

    if (snap_open(&s, out, b, NULL) != 0)
        return LIQ_ENOMEM;
    n = book_rank_count(b);
    for (uint32_t rank = 0; rank < n && rank < limit; rank++) {
        row_fill(&s, book_rank_at(b, rank), &r);
        write_json_row(&s, &r, "", "\n");
    }
    snap_close(&s);
    if (fflush(out) != 0 || ferror(out))
        return LIQ_EIO;
    return 0;
}

int
snapshot_write_opts(FILE *out, struct book *b, enum snapshot_format fmt,
                    const struct snapshot_opts *opts)
{
    uint32_t n, rank;
    struct snap s;
    struct row r;
    struct snap_ahead ahead;

    if (snap_open(&s, out, b, opts) != 0)
        return LIQ_ENOMEM;
    n = book_rank_count(b);
    switch (fmt) {
    case SNAPSHOT_JSON:
        fputs("{\"positions\": [", out);
        for (rank = 0; rank < n; rank++) {
            row_fill(&s, snap_rank(b, &ahead, rank, n), &r);
            write_json_row(&s, &r, rank == 0 ? "\n  " : ",\n  ", "");
        }
        fputs(n ? "\n]}\n" : "]}\n", out);
        break;
    case SNAPSHOT_CSV:
        fputs("id,market,label,health_factor,liquidatable,collateral_value,"
              "debt_value,liquidation_price,bad_debt,liquidation_shock\n",
              out);
        for (rank = 0; rank < n; rank++) {
            row_fill(&s, snap_rank(b, &ahead, rank, n), &r);
            write_csv_row(&s, &r);
        }
        break;
    case SNAPSHOT_TABLE:
        if (write_table(&s) != 0) {
            snap_close(&s);
            return LIQ_ENOMEM;
        }
        break;
    }
    snap_close(&s);
    if (fflush(out) != 0 || ferror(out))
        return LIQ_EIO;
    return 0;
}
