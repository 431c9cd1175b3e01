/*
 * view_pane.c: the detail pane (every collateral and debt with amount,
 * price and its age, value and liquidation price alone; the close factor
 * now; a bad-debt warning) and the liquidation preview: first the least
 * call that restores the target health (repay, collateral sold with its
 * share and value, bonus and fee, health before and after), then the
 * largest call a liquidator may make and the one being previewed (its
 * amounts and values, health after, the contract's revert reason, a
 * warning when it lowers health), or the least repayment or deposit that
 * avoids liquidation.
 *
 * Owns these panes' look; every figure comes from core/ at the current
 * prices, recomputed each frame.
 */
#include <stdio.h>
#include <string.h>

#include "core/book_front.h"
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

    struct u256 bal = leg->amount;

    if (r < 0)
        return;
    /* the balance a stored leg (scaled, cTokens, shares) is worth */
    (void)model_balance(m, leg->asset, !coll, leg->amount, &bal);
    view_amount(amt, sizeof(amt), u, m, leg->asset, bal);
    fmt_price(pr, sizeof(pr), price[leg->asset], m->base_decimals);
    (void)u256_muldiv(&v, bal, price[leg->asset],
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
    if (coll && (((m->view.coll_off >> leg->asset) & 1u) ||
                 (m->model == MODEL_EULER_V2 &&
                  ((m->euler.collateral >> leg->asset) & 1u) == 0))) {
        /* disabled (Aave), or a vault the controller does not recognize */
        frame_put(p->f, r, x, p->cols - x, ROLE_DIM, "  not collateral");
    } else if (coll) {
        snprintf(line, sizeof(line), "  liq %s", lp);
        frame_put(p->f, r, x, p->cols - x, ROLE_KEY, line);
    }
}

/* frame_put in width cells (< 0: to the edge) with a cut marked: text
 * too wide ends in '>' in its last cell. Returns the cells used. */
static int
view_put_marked(struct frame *f, int row, int col, int width, enum role role,
                const char *text)
{
    int x;

    if (width < 0)
        width = f->cols - col;
    if (width < 2 || frame_text_cells(text) <= width)
        return frame_put(f, row, col, width, role, text);
    x = frame_put(f, row, col, width - 1, role, text);
    frame_fill(f, row, col + x, width - 1 - x, ' ', role);
    frame_put(f, row, col + width - 1, 1, ROLE_WARNING, ">");
    return width;
}

/* The position's eMode category and the gate that stops a liquidation
 * now, if either (design.md 3.1, 4.1). */
static void
view_state_line(struct pane *p, const struct market *m,
                const struct position *pos, const struct u256 *price)
{
    const char *gate = model_revert_reason(model_gate(m, pos, price));
    const struct market_emode *c =
        m->view.emode != 0 ? market_emode_find(m, m->view.emode) : NULL;
    char line[160];
    int r, x = 0;

    if (c == NULL && gate == NULL)
        return;
    if ((r = pane_line(p)) < 0)
        return;
    if (c != NULL) {
        snprintf(line, sizeof(line), "eMode %u%s%s", c->id,
                 c->label[0] != '\0' ? " " : "", c->label);
        x = frame_put(p->f, r, 2, -1, ROLE_TEXT, line);
    }
    if (gate != NULL) {
        snprintf(line, sizeof(line), "%sliquidation blocked: %s",
                 x > 0 ? "   " : "", gate);
        frame_put(p->f, r, 2 + x, -1, ROLE_WARNING, line);
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
        (void)book_price_effective(
            u->book, market_asset_price_sym(&m->assets[i]), &e18[i]);
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
    if (frame_text_cells(line) > p->cols) /* the label shrinks first */
        memmove(line + 2, line + 14, strlen(line + 14) + 1);
    view_put_marked(p->f, r, 0, p->cols, exists ? ROLE_KEY : ROLE_DIM, line);
}

/* liquity-v2: the debt of the branch's troves at lower rates, which a
 * redemption reaches first (book_front.c). */
static void
view_front_line(struct pane *p, struct ui *u, const struct market *m,
                uint32_t idx)
{
    struct book_front *fr;
    struct u256 d;
    char line[160], amt[64], pct[32];
    bool ok;
    int r;

    if (m->model != MODEL_LIQUITY_V2 || m->view.rate == 0)
        return;
    fr = book_front_new(u->book);
    ok = book_front_debt(fr, u->book, idx, &d);
    book_front_free(fr);
    if (!ok || (r = pane_line(p)) < 0)
        return;
    fmt_amount(amt, sizeof(amt), d, m->assets[1].decimals, 2);
    fmt_amount(pct, sizeof(pct), u256_from_u64(m->view.rate), 16, 2);
    snprintf(line, sizeof(line),
             "  redemption: rate %s%%, %s %s in front (troves at lower rates)",
             pct, amt, view_sym(u, m, 1));
    frame_put(p->f, r, 0, p->cols, ROLE_KEY, line);
}

/* time_to_liquidation (design.md 4.1) where the market gives interest
 * rates: from as_of, prices as now. */
static void
view_ttl_line(struct pane *p, const struct market *m,
              const struct position *pos, const struct u256 *price)
{
    char line[160];
    int64_t t;
    int r;

    if (model_time_to_liquidation(m, pos, price, &t) != 0 ||
        (r = pane_line(p)) < 0)
        return;
    if (t < 0)
        snprintf(line, sizeof(line),
                 "  liquidatable in: never within 100 years (interest alone)");
    else
        snprintf(line, sizeof(line),
                 "  liquidatable in: %lld s (%lld days, interest alone)",
                 (long long)t, (long long)(t / 86400));
    frame_put(p->f, r, 0, p->cols, t < 0 ? ROLE_DIM : ROLE_KEY, line);
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
    if (!book_read_account(u->book, idx, &a)) {
        r = pane_line(&p);
        if (r >= 0)
            frame_put(f, r, 2, -1, ROLE_STALE, "a price is missing");
        return;
    }
    r = pane_line(&p);
    if (r >= 0) {
        enum tier t = book_read_tier(u->book, idx);
        struct liq_call c = {.max = true, .repay = u256_zero()};
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
        if (2 + x + frame_text_cells(line) > p.cols)
            snprintf(line, sizeof(line), "  cf %s%%", cf);
        view_put_marked(f, r, 2 + x, p.cols - 2 - x, ROLE_TEXT, line);
    }
    if (view_pre_detail_text(line, sizeof(line), p.cols, u, m, &pos, price) &&
        (r = pane_line(&p)) >= 0)
        frame_put(f, r, 0, p.cols, ROLE_KEY, line);
    view_shock_line(&p, u, m, &pos);
    view_front_line(&p, u, m, idx);
    view_ttl_line(&p, m, &pos, price);
    if (a.bad_debt) {
        r = pane_line(&p);
        if (r >= 0)
            frame_put(f, r, 2, -1, ROLE_WARNING,
                      " BAD DEBT: collateral is worth less than the debt ");
    }
    view_state_line(&p, m, &pos, price);
    for (int i = 0; i < pos.ncoll; i++)
        view_leg_line(&p, u, info, m, &pos, price, &pos.coll[i], true);
    for (int i = 0; i < pos.ndebt; i++)
        view_leg_line(&p, u, info, m, &pos, price, &pos.debt[i], false);
}

/* The label column of the preview: labels shrink before figures are cut
 * (each line has a short label for narrow panes). */
static int
view_label_width(const struct pane *p)
{
    return p->cols >= 72 ? 28 : p->cols >= 56 ? 22 : 11;
}

/* One "label: value" line of the preview; value in role. `k` is the full
 * label, `ks` its short form. */
static void
view_kv2(struct pane *p, const char *k, const char *ks, const char *v,
         enum role role)
{
    int r = pane_line(p), lw = view_label_width(p), x;
    const char *label = (int)strlen(k) <= lw - 1 ? k : ks;

    if (r < 0)
        return;
    x = frame_put(p->f, r, 1, lw, ROLE_DIM, label);
    frame_fill(p->f, r, 1 + x, lw - x, ' ', ROLE_TEXT);
    view_put_marked(p->f, r, 1 + lw, p->cols - 1 - lw, role, v);
}

/* The long form of a value if it fits the value column, else the short. */
static const char *
view_fit(const struct pane *p, const char *full, const char *brief)
{
    return (int)strlen(full) <= p->cols - 1 - view_label_width(p) ? full
                                                                  : brief;
}

static void
view_kv(struct pane *p, const char *k, const char *v, enum role role)
{
    view_kv2(p, k, k, v, role);
}

/* A value in base units, 2 places cut ("3,738.31"), or *** redacted. */
static void
view_value(char *buf, size_t cap, struct ui *u, const struct market *m,
           struct u256 v)
{
    if (u->redact)
        snprintf(buf, cap, "***");
    else
        fmt_amount(buf, cap, v, m->base_decimals, 2);
}

/* seized as a share of held, 2 places cut: "19.62%". */
static void
view_share(char *buf, size_t cap, struct u256 seized, struct u256 held)
{
    struct u256 bps;

    if (u256_is_zero(held) ||
        u256_muldiv(&bps, seized, u256_from_u64(10000), held, U256_FLOOR) !=
            0 ||
        !u256_fits_u64(bps)) {
        snprintf(buf, cap, "-");
        return;
    }
    snprintf(buf, cap, "%llu.%02llu%%",
             (unsigned long long)(u256_to_u64(bps) / 100),
             (unsigned long long)(u256_to_u64(bps) % 100));
}

/* A call's collateral in tokens of the asset: seized, to the liquidator
 * and bonus. euler-v2 seizes vault shares: shown as the assets they are
 * worth, as preview's collateral_seized_assets. */
static void
view_call_tokens(const struct market *m, const struct liq_result *c,
                 struct u256 *seized, struct u256 *to_liq, struct u256 *bonus)
{
    bool shares = m->model == MODEL_EULER_V2;

    *seized = shares ? c->seized_assets : c->seized;
    *to_liq = shares ? c->seized_assets : c->to_liquidator;
    *bonus = shares ? c->bonus_assets : c->bonus;
}

/* Health before and after a call: "0.9705 -> 1.0749", or what is left
 * when no debt is. */
static void
view_before_after(char *buf, size_t cap, const struct preview *pv,
                  const struct liq_result *c, bool promise)
{
    char b[32], a[32];

    fmt_hf(b, sizeof(b), pv->before.hf, pv->before.has_debt);
    fmt_hf(a, sizeof(a), c->hf_after, 1);
    if (c->bad_debt_after && promise && u256_is_max(c->hf_after))
        snprintf(buf, cap, "%s -> no debt left: the rest is written off", b);
    else if (c->bad_debt_after)
        snprintf(buf, cap, "%s -> 0: no collateral left, %s", b,
                 u256_is_max(c->hf_after) ? "rest written off" : "bad debt");
    else if (u256_is_max(c->hf_after))
        snprintf(buf, cap, "%s -> no debt left", b);
    else
        snprintf(buf, cap, "%s -> %s", b, a);
}

/*
 * The seed's promise first (design.md 6): the least liquidation that
 * restores the target health, as one block: repay and its value, the
 * collateral sold with its share of what is held and its value, bonus and
 * fee, health before and after.
 */
static void
view_promise(struct pane *p, struct ui *u, const struct market *m,
             const struct position *pos, const struct preview *pv)
{
    uint8_t da = pos->debt[pv->debt].asset, ca = pos->coll[pv->coll].asset;
    const struct leg *cl = &pos->coll[pv->coll];
    char t[32], k[64], ks[32], a1[128], a2[128], v[64], line[512], brief[512];
    struct u256 held, sold, to_liq, bonus;
    bool bad;

    fmt_hf(t, sizeof(t), pv->target_hf, 1);
    snprintf(k, sizeof(k), "repay to health %.12s [h]", t);
    snprintf(ks, sizeof(ks), "to %.6s", t);
    if (!pv->has_to_target && pv->reason == REASON_BLOCKED) {
        /* a gate: name it (the call's revert, the default call's too) */
        snprintf(line, sizeof(line), "no call now: %s",
                 model_revert_reason(pv->call.revert));
        view_kv2(p, k, ks, line, ROLE_WARNING);
        return;
    }
    if (!pv->has_to_target) {
        snprintf(line, sizeof(line), "no call: %s",
                 preview_reason_text(pv->reason));
        view_kv2(p, k, ks, line, ROLE_DIM);
        return;
    }
    /* Reached only by taking every collateral: no partial call restores
     * the position, and the line says so before the figures. */
    bad = pv->reason == REASON_ONLY_BAD_DEBT;
    if (bad)
        view_kv2(p, "no partial call restores", "no restore",
                 view_fit(p,
                          "only one that sells all the collateral, the "
                          "rest written off as bad debt",
                          "all collateral: bad debt"),
                 ROLE_WARNING);
    view_amount(a1, sizeof(a1), u, m, da, pv->repay_to_target);
    view_value(v, sizeof(v), u, m, pv->to_target_values.repay);
    snprintf(line, sizeof(line), "%s (worth %s)", a1, v);
    snprintf(brief, sizeof(brief), "%s (%s)", a1, v);
    /* too narrow: the worth goes before the amount is cut */
    view_kv2(p, k, ks, view_fit(p, line, view_fit(p, brief, a1)),
             bad ? ROLE_WARNING : ROLE_GOOD);
    /* the share of what is held, in the unit of seized (euler-v2: the
     * leg's shares) */
    if (m->model == MODEL_EULER_V2 ||
        model_balance(m, ca, false, cl->amount, &held) != 0)
        held = cl->amount;
    view_call_tokens(m, &pv->to_target_call, &sold, &to_liq, &bonus);
    view_amount(a1, sizeof(a1), u, m, ca, sold);
    view_share(a2, sizeof(a2), pv->collateral_to_target, held);
    view_value(v, sizeof(v), u, m, pv->to_target_values.seized);
    snprintf(line, sizeof(line), "%s, %s of it (worth %s)", a1, a2, v);
    snprintf(brief, sizeof(brief), "%s %s", a1, a2);
    view_kv2(p, "  collateral sold", " sold",
             view_fit(p, line, view_fit(p, brief, a1)), ROLE_TEXT);
    view_value(a1, sizeof(a1), u, m, pv->to_target_values.bonus);
    view_value(a2, sizeof(a2), u, m, pv->to_target_values.fee);
    snprintf(line, sizeof(line), "%s, %s", a1, a2);
    view_kv2(p, "  bonus, fee (worth)", " bonus,fee", line, ROLE_TEXT);
    view_before_after(line, sizeof(line), pv, &pv->to_target_call, true);
    view_kv2(p, "  health before -> after", " health", line,
             bad ? ROLE_WARNING : ROLE_GOOD);
}

/*
 * preview_compute, remembered: the least call to the target can take tens
 * of milliseconds on 256-bit amounts, and the pane is drawn every frame,
 * so it is computed again only when what it depends on changed (the
 * market, the position's legs, the prices, the request).
 */
static struct {
    bool valid;
    int rc;
    struct market m;
    struct position pos;
    char id[POSITION_ID_MAX];
    struct u256 price[MARKET_ASSETS_MAX];
    struct preview_req req;
    struct preview pv;
} view_pv_memo;

static bool
view_legs_eq(const struct leg *a, const struct leg *b, int n)
{
    for (int i = 0; i < n; i++)
        if (a[i].asset != b[i].asset || !u256_eq(a[i].amount, b[i].amount))
            return false;
    return true;
}

/* Whether the memo was computed for these inputs. */
static bool
view_memo_hit(const struct market *m, const struct position *pos,
              const struct u256 *price, const struct preview_req *req)
{
    const struct position *q = &view_pv_memo.pos;
    const struct preview_req *r = &view_pv_memo.req;

    if (!view_pv_memo.valid || strcmp(view_pv_memo.id, pos->id) != 0 ||
        memcmp(&view_pv_memo.m, m, sizeof(*m)) != 0 ||
        q->market != pos->market || q->ncoll != pos->ncoll ||
        q->ndebt != pos->ndebt ||
        !view_legs_eq(q->coll, pos->coll, pos->ncoll) ||
        !view_legs_eq(q->debt, pos->debt, pos->ndebt) || r->debt != req->debt ||
        r->coll != req->coll || r->has_repay != req->has_repay ||
        !u256_eq(r->repay, req->repay) || r->has_target != req->has_target ||
        !u256_eq(r->target_hf, req->target_hf))
        return false;
    for (unsigned i = 0; i < m->nassets; i++)
        if (!u256_eq(view_pv_memo.price[i], price[i]))
            return false;
    return true;
}

static int
view_preview_cached(const struct market *m, const struct position *pos,
                    const struct u256 *price, const struct preview_req *req,
                    struct preview *out)
{
    if (!view_memo_hit(m, pos, price, req)) {
        view_pv_memo.rc = preview_compute(m, pos, price, req, &view_pv_memo.pv);
        memcpy(&view_pv_memo.m, m, sizeof(*m));
        view_pv_memo.pos = *pos;
        snprintf(view_pv_memo.id, sizeof(view_pv_memo.id), "%s", pos->id);
        memcpy(view_pv_memo.price, price,
               sizeof(price[0]) * (size_t)m->nassets);
        view_pv_memo.req = *req;
        view_pv_memo.valid = true;
    }
    *out = view_pv_memo.pv;
    return view_pv_memo.rc;
}

void
view_preview(struct frame *f, const struct layout *l, struct ui *u)
{
    struct pane p = {f, l->pane.row, l->pane.row + l->pane.rows, l->cols};
    struct position pos;
    const struct market *m;
    struct u256 price[MARKET_ASSETS_MAX], seized, to_liq, bonus;
    struct preview_req req;
    struct preview pv;
    uint32_t idx;
    char line[512], a1[128], a2[128];
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
    if (!u->pv_has_target && m->model == MODEL_AAVE_V4) {
        /* The market's own target (design.md 6). */
        req.has_target = true;
        req.target_hf = u256_from_u64(m->params.target_health_factor);
    } else if (!u->pv_has_target && u->has_target_opt) {
        req.has_target = true;
        req.target_hf = u->target_opt;
    }
    if (pos.ndebt == 0 || pos.ncoll == 0 ||
        view_preview_cached(m, &pos, price, &req, &pv) != 0) {
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
        if (view_pre_avoid_text(line, sizeof(line), a2, sizeof(a2), m, t))
            view_kv(&p, "avoid pre-liquidation", view_fit(&p, line, a2),
                    ROLE_TEXT);
        else {
            snprintf(line, sizeof(line),
                     "to stay at or above health %s on its own, the least:", t);
            view_kv(&p, "avoid liquidation", line, ROLE_TEXT);
        }
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
    if (view_pre_call_text(line, sizeof(line), a1, sizeof(a1), m, &pos, price))
        view_kv2(&p, "pre-liquidation call", "pre-liq", view_fit(&p, line, a1),
                 ROLE_TIER_PRE);
    /* whole-position models: say so before the figures */
    if (m->model == MODEL_COMPOUND_V3)
        view_kv2(&p, "no partial liquidation", "whole",
                 "absorb takes every collateral against the whole debt",
                 ROLE_WARNING);
    else if (m->model == MODEL_LIQUITY_V2) {
        view_amount(a1, sizeof(a1), u, m, 0, pv.call.liquity.coll_surplus);
        snprintf(line, sizeof(line), "the whole trove goes; %s back to claim",
                 a1);
        view_kv2(&p, "no partial liquidation", "whole", line, ROLE_WARNING);
    }
    view_promise(&p, u, m, &pos, &pv);
    view_amount(a1, sizeof(a1), u, m, dasset, pv.call.max_repay);
    fmt_amount(a2, sizeof(a2), pv.call.close_factor, 16, 0);
    snprintf(line, sizeof(line), "%s   (close factor %s%%)", a1, a2);
    view_kv2(&p, "largest call allowed", "largest", line, ROLE_TEXT);
    view_amount(a1, sizeof(a1), u, m, dasset, pv.call.repay);
    if (pv.repay_capped) {
        view_amount(a2, sizeof(a2), u, m, dasset, pv.requested_repay);
        snprintf(line, sizeof(line), "capped at %s (asked %s)", a1, a2);
    } else {
        snprintf(line, sizeof(line), "%s   %s", a1,
                 u->pv_has_repay ? "(<- -> 1 %, PgUp/PgDn 10 %, m max, = type)"
                                 : "(max; <- -> 1 %, = type)");
    }
    view_kv2(&p, "this call: repay", "repay", line, ROLE_INPUT);
    view_before_after(line, sizeof(line), &pv, &pv.call, false);
    view_kv2(&p, "  health before -> after", " health", line,
             pv.lowers_health ? ROLE_WARNING : ROLE_GOOD);
    if (pv.lowers_health)
        view_kv2(&p, "WARNING", "WARNING",
                 "this liquidation LOWERS the position's health", ROLE_WARNING);
    if (pv.call.revert != REVERT_NONE)
        view_kv2(&p, "the contract would revert", "reverts",
                 model_revert_reason(pv.call.revert), ROLE_STATUS_ERROR);
    view_call_tokens(m, &pv.call, &seized, &to_liq, &bonus);
    view_amount(a1, sizeof(a1), u, m, casset, seized);
    view_value(a2, sizeof(a2), u, m, pv.values.seized);
    snprintf(line, sizeof(line), "%s (worth %s)", a1, a2);
    view_kv2(&p, "  collateral seized", " seized", line, ROLE_TEXT);
    view_amount(a1, sizeof(a1), u, m, casset, to_liq);
    view_amount(a2, sizeof(a2), u, m, casset, pv.call.fee);
    snprintf(line, sizeof(line), "%s, protocol fee %s", a1, a2);
    view_kv2(&p, "  to the liquidator", " liq.", line, ROLE_TEXT);
    view_amount(a1, sizeof(a1), u, m, casset, bonus);
    view_value(a2, sizeof(a2), u, m, pv.values.bonus);
    snprintf(line, sizeof(line), "%s (worth %s)", a1, a2);
    view_kv2(&p, "  bonus", " bonus", line, ROLE_TEXT);
}
