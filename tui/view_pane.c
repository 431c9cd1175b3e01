/*
 * view_pane.c: the detail pane (every collateral and debt with amount,
 * price and its age, value and liquidation price alone; the close factor
 * now; a bad-debt warning) and the liquidation preview (the call's
 * amounts, health before and after, the contract's revert reason, a
 * warning when it lowers health, the repay to a target, and the least
 * repayment or deposit that avoids liquidation).
 *
 * Owns these panes' look; every figure comes from core/ at the current
 * prices, recomputed each frame.
 */
#include <stdio.h>
#include <string.h>

#include "core/decimal.h"
#include "core/liqprice.h"
#include "core/preview.h"
#include "core/stress.h"
#include "tui/fmt.h"
#include "tui/view.h"

/* A line writer over the pane's rows. */
struct pane {
    struct frame *f;
    int row;
    int end;
    int cols;
};

static int
pane_line(struct pane *p)
{
    return p->row < p->end ? p->row++ : -1;
}

static const char *
view_sym(struct ui *u, const struct market *m, uint8_t asset)
{
    return book_symbol_name(u->book, m->assets[asset].sym);
}

static void
view_pane_title(struct pane *p, const char *text)
{
    int r = pane_line(p);

    if (r < 0)
        return;
    frame_fill(p->f, r, 0, p->cols, '-', ROLE_BORDER);
    frame_put(p->f, r, 2, -1, ROLE_TITLE, text);
}

/* "amount SYM", exact to the raw unit, as `liqtop preview` prints it. */
static void
view_amount(char *buf, size_t cap, struct ui *u, const struct market *m,
            uint8_t asset, struct u256 v)
{
    char num[96];

    if (u->redact) {
        snprintf(buf, cap, "*** %s", view_sym(u, m, asset));
        return;
    }
    fmt_exact(num, sizeof(num), v, m->assets[asset].decimals);
    snprintf(buf, cap, "%s %s", num, view_sym(u, m, asset));
}

static void
view_leg_line(struct pane *p, struct ui *u, const struct ui_info *info,
              const struct market *m, const struct position *pos,
              const struct u256 *price, const struct leg *leg, bool coll)
{
    char amt[128], pr[64], val[64], lp[64], age[32], line[320];
    struct u256 v = u256_zero();
    uint32_t sym = m->assets[leg->asset].sym;
    bool stale = info->stale != NULL && info->stale(info->ctx, sym);
    uint64_t ms =
        info->age_ms != NULL ? info->age_ms(info->ctx, sym) : UINT64_MAX;
    int32_t shock = book_whatif_get(u->book, sym);
    int r = pane_line(p), x;

    if (r < 0)
        return;
    view_amount(amt, sizeof(amt), u, m, leg->asset, leg->amount);
    fmt_amount(pr, sizeof(pr), price[leg->asset], m->base_decimals, 2);
    (void)u256_muldiv(&v, leg->amount, price[leg->asset],
                      u256_exp10(m->assets[leg->asset].decimals), U256_FLOOR);
    if (u->redact)
        snprintf(val, sizeof(val), "***");
    else
        fmt_amount(val, sizeof(val), v, m->base_decimals, 2);
    if (ms == UINT64_MAX)
        snprintf(age, sizeof(age), "(file)");
    else
        snprintf(age, sizeof(age), "(%llus)", (unsigned long long)(ms / 1000));
    lp[0] = '\0';
    if (coll) {
        struct u256 at;
        bool exists = false;

        if (liqprice_compute(m, pos, price, leg->asset, &exists, &at) == 0 &&
            exists)
            fmt_amount(lp, sizeof(lp), at, m->base_decimals, 2);
        else
            snprintf(lp, sizeof(lp), "none");
    }
    snprintf(line, sizeof(line), "  %s %-24s %14s", coll ? "+" : "-", amt, val);
    x = frame_put(p->f, r, 0, p->cols, ROLE_TEXT, line);
    snprintf(line, sizeof(line), " @%s", pr);
    x += frame_put(p->f, r, x, p->cols - x, shock ? ROLE_WHATIF : ROLE_TEXT,
                   line);
    snprintf(line, sizeof(line), " %s%s", age, stale ? " STALE" : "");
    x +=
        frame_put(p->f, r, x, p->cols - x, stale ? ROLE_STALE : ROLE_DIM, line);
    if (coll) {
        snprintf(line, sizeof(line), "  liq %s", lp);
        frame_put(p->f, r, x, p->cols - x, ROLE_KEY, line);
    }
}

/* liquidation_shock (design.md 9.1): the least uniform fall of the
 * collateral not also owed that makes the position liquidatable. */
static void
view_shock_line(struct pane *p, struct ui *u, const struct market *m,
                const struct position *pos)
{
    struct u256 e18[MARKET_ASSETS_MAX];
    uint32_t g = stress_default_group(m, pos), bps = 0;
    char line[160], syms[96] = "";
    size_t o = 0;
    bool exists = false;
    int r;

    if (g == 0 || !position_has_debt(pos))
        return;
    for (unsigned i = 0; i < m->nassets; i++) {
        e18[i] = u256_zero();
        (void)book_price_effective(u->book, m->assets[i].sym, &e18[i]);
        if (((g >> i) & 1) && o < sizeof(syms)) {
            int n = snprintf(syms + o, sizeof(syms) - o, "%s%s", o ? "," : "",
                             view_sym(u, m, (uint8_t)i));
            o += n > 0 ? (size_t)n : 0;
        }
    }
    if (stress_liquidation_shock(m, pos, e18, g, &exists, &bps) != 0)
        return;
    if ((r = pane_line(p)) < 0)
        return;
    if (!exists)
        snprintf(line, sizeof(line), "  liquidation shock: none (%s to 0)",
                 syms);
    else if (bps == 0)
        snprintf(line, sizeof(line), "  liquidation shock: liquidatable now");
    else
        snprintf(line, sizeof(line), "  liquidation shock: %s -%u.%02u%%", syms,
                 (unsigned)bps / 100, (unsigned)bps % 100);
    frame_put(p->f, r, 0, p->cols, exists ? ROLE_KEY : ROLE_DIM, line);
}

void
view_detail(struct frame *f, const struct layout *l, struct ui *u,
            const struct ui_info *info)
{
    struct pane p = {f, l->pane.row, l->pane.row + l->pane.rows, l->cols};
    struct position pos;
    struct account a;
    const struct market *m;
    struct u256 price[MARKET_ASSETS_MAX];
    uint32_t idx;
    char line[320], hf[32];
    int r;

    if (!ui_selected(u, &idx)) {
        view_pane_title(&p, " detail: no selection ");
        return;
    }
    book_position_get(u->book, idx, &pos);
    m = book_market(u->book, pos.market);
    book_prices_base(u->book, pos.market, price, NULL);
    snprintf(line, sizeof(line), " %s  %s  %s %s ", pos.id,
             u->redact ? "" : pos.label, m->id, market_model_name(m->model));
    view_pane_title(&p, line);
    if (!book_account(u->book, idx, &a)) {
        r = pane_line(&p);
        if (r >= 0)
            frame_put(f, r, 2, -1, ROLE_STALE, "a price is missing");
        return;
    }
    r = pane_line(&p);
    if (r >= 0) {
        enum tier t = health_tier(a.hf, a.has_debt);
        struct liq_call c = {0, 0, true, u256_zero()};
        struct liq_result res;
        char cf[32] = "-";
        int x;

        fmt_hf(hf, sizeof(hf), a.hf, a.has_debt);
        x = frame_put(f, r, 2, -1, ROLE_TEXT, "health ");
        x += frame_put(f, r, 2 + x, -1, view_tier_role(t), hf);
        x += frame_put(f, r, 2 + x, -1, ROLE_TEXT, " ");
        x += frame_put(f, r, 2 + x, -1, view_tier_role(t), view_tier_text(t));
        if (a.has_debt && pos.ncoll > 0) {
            c.debt = (uint8_t)ui_largest_leg(u->book, idx, true);
            c.coll = (uint8_t)ui_main_collateral(u->book, idx);
            if (model_liquidate(m, &pos, price, &c, &res) == 0)
                fmt_amount(cf, sizeof(cf), res.close_factor, 16, 0);
        }
        snprintf(line, sizeof(line), "   close factor now %s%%", cf);
        frame_put(f, r, 2 + x, -1, ROLE_TEXT, line);
    }
    view_shock_line(&p, u, m, &pos);
    if (a.bad_debt) {
        r = pane_line(&p);
        if (r >= 0)
            frame_put(f, r, 2, -1, ROLE_WARNING,
                      " BAD DEBT: collateral is worth less than the debt ");
    }
    for (int i = 0; i < pos.ncoll; i++)
        view_leg_line(&p, u, info, m, &pos, price, &pos.coll[i], true);
    for (int i = 0; i < pos.ndebt; i++)
        view_leg_line(&p, u, info, m, &pos, price, &pos.debt[i], false);
}

/* One "label: value" line of the preview; value in role. */
static void
view_kv(struct pane *p, const char *k, const char *v, enum role role)
{
    int r = pane_line(p), x;

    if (r < 0)
        return;
    x = frame_put(p->f, r, 2, 28, ROLE_DIM, k);
    frame_fill(p->f, r, 2 + x, 28 - x, ' ', ROLE_TEXT);
    frame_put(p->f, r, 30, p->cols - 30, role, v);
}

void
view_preview(struct frame *f, const struct layout *l, struct ui *u)
{
    struct pane p = {f, l->pane.row, l->pane.row + l->pane.rows, l->cols};
    struct position pos;
    const struct market *m;
    struct u256 price[MARKET_ASSETS_MAX];
    struct preview_req req;
    struct preview pv;
    uint32_t idx;
    char line[320], a1[128], a2[128];
    uint8_t dasset, casset;

    if (!ui_selected(u, &idx)) {
        view_pane_title(&p, " preview: no selection ");
        return;
    }
    book_position_get(u->book, idx, &pos);
    m = book_market(u->book, pos.market);
    book_prices_base(u->book, pos.market, price, NULL);
    memset(&req, 0, sizeof(req));
    req.debt = u->pv_debt;
    req.coll = u->pv_coll;
    req.has_repay = u->pv_has_repay;
    req.repay = u->pv_repay;
    req.has_target = u->pv_has_target;
    req.target_hf = u->pv_target;
    if (pos.ndebt == 0 || pos.ncoll == 0 ||
        preview_compute(m, &pos, price, &req, &pv) != 0) {
        snprintf(line, sizeof(line), " preview %s: nothing to liquidate ",
                 pos.id);
        view_pane_title(&p, line);
        return;
    }
    dasset = pos.debt[pv.debt].asset;
    casset = pos.coll[pv.coll].asset;
    snprintf(line, sizeof(line),
             " preview %s: repay %s, seize %s  [Tab] assets  [a] %s ", pos.id,
             view_sym(u, m, dasset), view_sym(u, m, casset),
             u->pv_avoid ? "the call" : "avoid liquidation");
    view_pane_title(&p, line);
    if (u->pv_avoid) {
        char t[32];

        fmt_hf(t, sizeof(t), pv.target_hf, 1);
        snprintf(line, sizeof(line),
                 "to stay at or above health %s on its own, the least:", t);
        view_kv(&p, "avoid liquidation", line, ROLE_TEXT);
        for (int i = 0; i < pos.ndebt; i++) {
            const struct preview_avoid *av = &pv.avoid_repay[i];

            if (av->exists)
                view_amount(a1, sizeof(a1), u, m, pos.debt[i].asset,
                            av->amount);
            else
                snprintf(a1, sizeof(a1), "not enough even if all is repaid");
            snprintf(line, sizeof(line), "repay %s",
                     view_sym(u, m, pos.debt[i].asset));
            view_kv(&p, line, a1, av->exists ? ROLE_GOOD : ROLE_DIM);
        }
        for (int i = 0; i < pos.ncoll; i++) {
            const struct preview_avoid *av = &pv.avoid_deposit[i];

            if (av->exists)
                view_amount(a1, sizeof(a1), u, m, pos.coll[i].asset,
                            av->amount);
            else
                snprintf(a1, sizeof(a1), "no deposit of it can");
            snprintf(line, sizeof(line), "deposit %s",
                     view_sym(u, m, pos.coll[i].asset));
            view_kv(&p, line, a1, av->exists ? ROLE_GOOD : ROLE_DIM);
        }
        return;
    }
    view_amount(a1, sizeof(a1), u, m, dasset, pv.call.max_repay);
    fmt_amount(a2, sizeof(a2), pv.call.close_factor, 16, 0);
    snprintf(line, sizeof(line), "%s   (close factor %s%%)", a1, a2);
    view_kv(&p, "max repay one call", line, ROLE_TEXT);
    view_amount(a1, sizeof(a1), u, m, dasset,
                u->pv_has_repay ? u->pv_repay : pv.call.max_repay);
    snprintf(line, sizeof(line), "%s   %s", a1,
             u->pv_has_repay ? "(<- -> 1 %, PgUp/PgDn 10 %, m max, = type)"
                             : "(max; <- -> 1 %, = type)");
    view_kv(&p, "repay", line, ROLE_INPUT);
    view_amount(a1, sizeof(a1), u, m, casset, pv.call.seized);
    view_kv(&p, "collateral seized", a1, ROLE_TEXT);
    view_amount(a1, sizeof(a1), u, m, casset, pv.call.to_liquidator);
    view_kv(&p, "  to the liquidator", a1, ROLE_TEXT);
    view_amount(a1, sizeof(a1), u, m, casset, pv.call.fee);
    view_kv(&p, "  protocol fee", a1, ROLE_TEXT);
    view_amount(a1, sizeof(a1), u, m, casset, pv.call.bonus);
    view_kv(&p, "  bonus", a1, ROLE_TEXT);
    fmt_hf(a1, sizeof(a1), pv.before.hf, pv.before.has_debt);
    fmt_hf(a2, sizeof(a2), pv.call.hf_after, !u256_is_max(pv.call.hf_after));
    snprintf(line, sizeof(line), "%s -> %s%s", a1, a2,
             pv.call.bad_debt_after ? "  (no collateral left: bad debt)" : "");
    view_kv(&p, "health before -> after", line,
            pv.call.lowers_health ? ROLE_WARNING : ROLE_GOOD);
    if (pv.call.lowers_health)
        view_kv(&p, "WARNING", "this liquidation LOWERS the position's health",
                ROLE_WARNING);
    if (pv.call.revert != REVERT_NONE)
        view_kv(&p, "the contract would", model_revert_reason(pv.call.revert),
                ROLE_STATUS_ERROR);
    fmt_hf(a2, sizeof(a2), pv.target_hf, 1);
    if (pv.has_to_target) {
        view_amount(a1, sizeof(a1), u, m, dasset, pv.repay_to_target);
        snprintf(line, sizeof(line), "%s (seizes ", a1);
        view_amount(a1, sizeof(a1), u, m, casset, pv.collateral_to_target);
        snprintf(line + strlen(line), sizeof(line) - strlen(line), "%s)", a1);
    } else {
        snprintf(line, sizeof(line), "none: %s",
                 preview_reason_text(pv.reason));
    }
    snprintf(a1, sizeof(a1), "repay to health %.24s [h]", a2);
    view_kv(&p, a1, line, pv.has_to_target ? ROLE_GOOD : ROLE_DIM);
}
