/*
 * view_table.c: the header (feeds, rate, age, counts) and the ranked
 * table: one row a position with its health, tier in text and colour,
 * values, the main collateral's liquidation price and distance, and a
 * trend mark.
 *
 * Owns the table's look. Liquidation prices are searched for the visible
 * rows only, so the cost of a frame does not grow with the book.
 */
#include <stdio.h>
#include <string.h>

#include "core/liqprice.h"
#include "tui/fmt.h"
#include "tui/view.h"

enum role
view_tier_role(enum tier t)
{
    switch (t) {
    case TIER_LIQUIDATABLE:
        return ROLE_TIER_LIQUIDATABLE;
    case TIER_PRE:
        return ROLE_TIER_PRE;
    case TIER_DANGER:
        return ROLE_TIER_DANGER;
    case TIER_WARN:
        return ROLE_TIER_WARN;
    case TIER_OK:
        return ROLE_TIER_OK;
    case TIER_NO_DEBT:
    case TIER_COUNT:
        break;
    }
    return ROLE_TIER_NODEBT;
}

const char *
view_tier_text(enum tier t)
{
    switch (t) {
    case TIER_LIQUIDATABLE:
        return "LIQ!!";
    case TIER_PRE:
        return "PRE";
    case TIER_DANGER:
        return "DANGER";
    case TIER_WARN:
        return "warn";
    case TIER_OK:
        return "ok";
    case TIER_NO_DEBT:
    case TIER_COUNT:
        break;
    }
    return "-";
}

static void
view_age(char *buf, size_t cap, uint64_t ms)
{
    if (ms == UINT64_MAX)
        snprintf(buf, cap, "-");
    else if (ms < 10000)
        snprintf(buf, cap, "%llu.%llus", (unsigned long long)(ms / 1000),
                 (unsigned long long)(ms % 1000 / 100));
    else if (ms < 3600000)
        snprintf(buf, cap, "%llus", (unsigned long long)(ms / 1000));
    else
        snprintf(buf, cap, "%lluh", (unsigned long long)(ms / 3600000));
}

void
view_header(struct frame *f, const struct layout *l, struct ui *u,
            const struct ui_info *info)
{
    struct book_counts c;
    char buf[160], age[16];
    int x = 0, row = l->header.row;

    book_counts(u->book, &c);
    frame_fill(f, row, 0, l->cols, ' ', ROLE_HEADER);
    x += frame_put(f, row, x, -1, ROLE_TITLE, " liqtop ");
    for (int i = 0; i < info->nfeeds && x < l->cols; i++) {
        snprintf(buf, sizeof(buf), " %s ", info->feeds[i].name);
        x += frame_put(f, row, x, -1, ROLE_HEADER, buf);
        x += frame_put(f, row, x, -1,
                       info->feeds[i].down ? ROLE_FEED_DOWN : ROLE_FEED_LIVE,
                       info->feeds[i].state);
    }
    if (info->nfeeds == 0) {
        /* Nothing moves the prices: say so rather than show a rate of 0. */
        x += frame_put(f, row, x, -1, ROLE_HEADER,
                       " no feed: static prices from the file "
                       "(--feed SRC moves them)");
    } else {
        char rate[32];

        view_age(age, sizeof(age), info->newest_age_ms);
        fmt_count(rate, sizeof(rate), info->ticks_per_sec);
        snprintf(buf, sizeof(buf), "  %s ticks/s  last %s", rate, age);
        x += frame_put(f, row, x, -1, ROLE_HEADER, buf);
    }
    /* Counts on the second row, liquidatable ones stand out. */
    char total[48], liq[32], risk[32];
    fmt_count_noun(total, sizeof(total), c.total, "position", "positions");
    fmt_count(liq, sizeof(liq), c.liquidatable);
    fmt_count(risk, sizeof(risk), c.at_risk);
    if (l->header.rows > 1) {
        int y = row + 1, cx = 0;
        char part[64];

        frame_fill(f, y, 0, l->cols, ' ', ROLE_HEADER);
        snprintf(part, sizeof(part), " %s  ", total);
        cx += frame_put(f, y, cx, -1, ROLE_HEADER, part);
        snprintf(part, sizeof(part), "%s liquidatable", liq);
        cx += frame_put(
            f, y, cx, -1,
            c.liquidatable > 0 ? ROLE_TIER_LIQUIDATABLE : ROLE_HEADER, part);
        snprintf(part, sizeof(part), "  %s at risk", risk);
        cx += frame_put(f, y, cx, -1, ROLE_HEADER, part);
        if (c.pre > 0) {
            /* of those at risk, in a morpho-pre band: shown when any is */
            char pre[32];

            fmt_count(pre, sizeof(pre), c.pre);
            snprintf(part, sizeof(part), " (%s PRE)", pre);
            cx += frame_put(f, y, cx, -1, ROLE_TIER_PRE, part);
        }
        if (u->filter[0] != '\0') {
            char shown[32];

            fmt_count(shown, sizeof(shown), u->norder);
            snprintf(buf, sizeof(buf), "  filter: %s (%s shown)", u->filter,
                     shown);
            cx += frame_put(f, y, cx, -1, ROLE_HEADER, buf);
        }
        if (u->frozen)
            cx += frame_put(f, y, cx, -1, ROLE_FEED_DOWN, "  FROZEN");
        if (u->redact)
            cx += frame_put(f, y, cx, -1, ROLE_HEADER, "  redacted");
        for (uint32_t s = 0; s < book_symbol_count(u->book); s++) {
            int32_t w = book_whatif_get(u->book, s);

            if (w == 0)
                continue;
            snprintf(buf, sizeof(buf), "  WHAT-IF %s %c%d.%02d%%",
                     book_symbol_name(u->book, s), w < 0 ? '-' : '+',
                     (w < 0 ? -w : w) / 100, (w < 0 ? -w : w) % 100);
            cx += frame_put(f, y, cx, -1, ROLE_WHATIF, buf);
        }
        if (u->pv_has_target || u->has_target_opt) {
            char t[40];

            fmt_hf(t, sizeof(t),
                   u->pv_has_target ? u->pv_target : u->target_opt, 1);
            snprintf(buf, sizeof(buf), "  target %s", t);
            cx += frame_put(f, y, cx, -1, ROLE_HEADER, buf);
        }
        /* The sort last: it gives way first on a narrow screen. */
        snprintf(buf, sizeof(buf), "  sort: %s%s", ui_sort_name(u->sort),
                 u->reverse ? " reversed" : "");
        if (cx + (int)strlen(buf) <= l->cols)
            cx += frame_put(f, y, cx, -1, ROLE_HEADER, buf);
        if (l->header.rows > 2)
            view_prices(f, l, u, row + 2);
    } else {
        /* One header row: a freeze or a what-if must still show (prices
         * under a what-if are not the feed's), ahead of the counts. */
        bool whatif = false;
        int n;

        for (uint32_t s = 0; s < book_symbol_count(u->book); s++)
            whatif = whatif || book_whatif_get(u->book, s) != 0;
        snprintf(buf, sizeof(buf), "%s%s ", u->frozen ? " FROZEN" : "",
                 whatif ? " WHAT-IF" : "");
        n = (int)strlen(buf);
        if (n > 1 && n < l->cols) {
            frame_fill(f, row, l->cols - n, n, ' ', ROLE_HEADER);
            frame_put(f, row, l->cols - n, -1,
                      whatif ? ROLE_WHATIF : ROLE_FEED_DOWN, buf);
        } else {
            snprintf(buf, sizeof(buf), " %s  %s liquidatable  %s at risk ",
                     total, liq, risk);
            if (x + (int)strlen(buf) < l->cols)
                frame_put(f, row, l->cols - (int)strlen(buf), -1, ROLE_HEADER,
                          buf);
        }
    }
}

/* Whether the sort s reads its column's values upwards (smallest first). */
static bool
view_sort_up(enum ui_sort s, bool reverse)
{
    bool up = s != SORT_COLL && s != SORT_DEBT;

    return reverse ? !up : up;
}

static void
view_heads(struct frame *f, const struct layout *l, const struct ui *u, int row)
{
    /* The column the rows are sorted by, marked with the direction. */
    int marked = u->sort == SORT_ID     ? COL_ID
                 : u->sort == SORT_COLL ? COL_COLL
                 : u->sort == SORT_DEBT ? COL_DEBT
                 : u->sort == SORT_DIST ? COL_DIST
                                        : COL_HEALTH;
    static const char *const heads[COL_COUNT] = {
        [COL_ID] = "POSITION",
        [COL_MARKET] = "MARKET",
        [COL_HEALTH] = "HEALTH",
        [COL_TIER] = "RISK",
        [COL_COLL] = "COLLATERAL",
        [COL_DEBT] = "DEBT",
        [COL_LIQPRICE] = "LIQ PRICE",
        [COL_DIST] = "DIST",
        [COL_TREND] = "",
    };
    static const bool right[COL_COUNT] = {
        [COL_HEALTH] = true,   [COL_COLL] = true, [COL_DEBT] = true,
        [COL_LIQPRICE] = true, [COL_DIST] = true,
    };

    frame_fill(f, row, 0, l->cols, ' ', ROLE_COLUMN);
    if (marked == COL_DIST && !l->show[COL_DIST])
        marked = COL_LIQPRICE;
    for (int c = 0; c < COL_COUNT; c++) {
        char head[32];

        if (!l->show[c])
            continue;
        snprintf(head, sizeof(head), "%s%s", heads[c],
                 c != marked                         ? ""
                 : view_sort_up(u->sort, u->reverse) ? "^"
                                                     : "v");
        if (right[c])
            frame_put_right(f, row, l->x[c], l->width[c], ROLE_COLUMN, head);
        else
            frame_put(f, row, l->x[c], l->width[c], ROLE_COLUMN, head);
    }
}

/* One position's row. */
static void
view_row(struct frame *f, const struct layout *l, struct ui *u, int row,
         uint32_t idx, bool selected, const int *step)
{
    struct position p;
    struct account a;
    const struct market *m;
    struct u256 price[MARKET_ASSETS_MAX];
    uint32_t missing = 0;
    char buf[128];
    bool ok = book_read_account(u->book, idx, &a);
    enum tier t = ok ? book_read_tier(u->book, idx) : TIER_NO_DEBT;
    enum role base = selected ? ROLE_SELECTED : ROLE_TEXT;
    int trend;

    book_position_get(u->book, idx, &p);
    m = book_market(u->book, p.market);
    book_prices_base(u->book, p.market, price, &missing);
    frame_fill(f, row, 0, l->cols, ' ', base);
    if (p.label[0] != '\0' && !u->redact)
        snprintf(buf, sizeof(buf), "%s %s", p.id, p.label);
    else
        snprintf(buf, sizeof(buf), "%s", p.id);
    {
        /* Marks at the id column's right: figures resting on a stale
         * price, and bad debt (collateral worth less than the debt). */
        bool stale = false, bad = ok && a.bad_debt;
        char mark[16] = "";
        int mw;

        for (uint8_t k = 0; k < p.ncoll + p.ndebt && !stale; k++) {
            uint32_t sym = m->assets[k < p.ncoll ? p.coll[k].asset
                                                 : p.debt[k - p.ncoll].asset]
                               .sym;

            stale = sym < u->nstale && u->stale[sym];
        }
        if (bad)
            snprintf(mark, sizeof(mark), "%s", stale ? " BAD STALE" : " BAD");
        else if (stale)
            snprintf(mark, sizeof(mark), " STALE");
        mw = (int)strlen(mark);
        if (mw >= l->width[COL_ID] - 4)
            mw = 0;
        frame_put(f, row, l->x[COL_ID], l->width[COL_ID] - mw, base, buf);
        if (mw > 0)
            frame_put(f, row, l->x[COL_ID] + l->width[COL_ID] - mw, mw,
                      selected ? base
                      : bad    ? ROLE_TIER_LIQUIDATABLE
                               : ROLE_STALE,
                      mark);
    }
    if (l->show[COL_MARKET])
        frame_put(f, row, l->x[COL_MARKET], l->width[COL_MARKET], base, m->id);
    if (!ok) {
        frame_put(f, row, l->x[COL_HEALTH], -1, ROLE_STALE, "no price");
        return;
    }
    fmt_hf(buf, sizeof(buf), a.hf, a.has_debt);
    frame_put_right(f, row, l->x[COL_HEALTH], l->width[COL_HEALTH],
                    selected ? base : view_tier_role(t), buf);
    frame_put(f, row, l->x[COL_TIER], l->width[COL_TIER], view_tier_role(t),
              view_tier_text(t));
    if (l->show[COL_COLL]) {
        if (u->redact)
            snprintf(buf, sizeof(buf), "***");
        else
            fmt_at_step(buf, sizeof(buf), a.coll_value, m->base_decimals, 2,
                        step[0]);
        frame_put_right(f, row, l->x[COL_COLL], l->width[COL_COLL], base, buf);
    }
    if (l->show[COL_DEBT]) {
        if (u->redact)
            snprintf(buf, sizeof(buf), "***");
        else
            fmt_at_step(buf, sizeof(buf), a.debt_value, m->base_decimals, 2,
                        step[1]);
        frame_put_right(f, row, l->x[COL_DEBT], l->width[COL_DEBT], base, buf);
    }
    if ((l->show[COL_LIQPRICE] || l->show[COL_DIST]) && a.has_debt &&
        p.ncoll > 0) {
        int leg = ui_main_collateral(u->book, idx);
        uint8_t asset = p.coll[leg].asset;
        struct u256 lp;
        bool exists = false;
        const char *sym = book_symbol_name(u->book, m->assets[asset].sym);
        char num[64];

        if (liqprice_compute(m, &p, price, asset, &exists, &lp) != 0)
            exists = false;
        if (exists)
            fmt_fit(num, sizeof(num), lp, m->base_decimals, 2,
                    l->width[COL_LIQPRICE] - frame_text_cells(sym) - 1);
        else
            snprintf(num, sizeof(num), "none");
        snprintf(buf, sizeof(buf), "%s %s", sym, num);
        if (l->show[COL_LIQPRICE])
            frame_put_right(f, row, l->x[COL_LIQPRICE], l->width[COL_LIQPRICE],
                            base, buf);
        if (l->show[COL_DIST] && exists) {
            fmt_distance(buf, sizeof(buf), price[asset], lp);
            frame_put_right(f, row, l->x[COL_DIST], l->width[COL_DIST],
                            selected ? base : view_tier_role(t), buf);
        }
    }
    if (l->show[COL_TREND]) {
        trend = ui_trend(u, idx, &a);
        frame_put(f, row, l->x[COL_TREND], 1,
                  trend < 0   ? (selected ? base : ROLE_TIER_DANGER)
                  : trend > 0 ? (selected ? base : ROLE_GOOD)
                              : base,
                  trend < 0   ? "v"
                  : trend > 0 ? "^"
                              : " ");
    }
}

void
view_table(struct frame *f, const struct layout *l, struct ui *u)
{
    int rows = l->table.rows - 1;
    uint32_t sel = UINT32_MAX, selrow;

    view_heads(f, l, u, l->table.row);
    u->page = rows > 0 ? (uint32_t)rows : 1;
    (void)ui_selected(u, &sel);
    if (u->norder == 0) {
        frame_put(f, l->table.row + 1, 1, -1, ROLE_DIM,
                  u->filter[0] != '\0' ? "no position matches the filter"
                                       : "no positions");
        return;
    }
    /* Keep the selection visible for this page size. */
    if (ui_selected_row(u, &selrow)) {
        if (selrow < u->top)
            u->top = selrow;
        if (selrow >= u->top + u->page)
            u->top = selrow - u->page + 1;
    }
    /* No empty rows below while rows are left above: a taller window
     * shows more of the rows above (ui_follow's rule, for a new page). */
    if (u->top + u->page > u->norder)
        u->top = u->norder > u->page ? u->norder - u->page : 0;
    /* One scale a value column: the form its largest row needs, so that
     * a larger figure never reads smaller than one above it. */
    int step[2] = {0, 0};
    for (int r = 0; r < rows && u->top + (uint32_t)r < u->norder; r++) {
        struct account a;
        uint32_t idx = ui_row(u, u->top + (uint32_t)r);
        unsigned dec;
        int s0, s1;

        if (!book_read_account(u->book, idx, &a))
            continue;
        {
            struct position p;

            book_position_get(u->book, idx, &p);
            dec = book_market(u->book, p.market)->base_decimals;
        }
        s0 = fmt_fit_step(a.coll_value, dec, 2, l->width[COL_COLL]);
        s1 = fmt_fit_step(a.debt_value, dec, 2, l->width[COL_DEBT]);
        step[0] = s0 > step[0] ? s0 : step[0];
        step[1] = s1 > step[1] ? s1 : step[1];
    }
    for (int r = 0; r < rows; r++) {
        uint32_t i = u->top + (uint32_t)r, idx;

        if (i >= u->norder)
            break;
        idx = ui_row(u, i);
        view_row(f, l, u, l->table.row + 1 + r, idx, idx == sel, step);
    }
}
