/*
 * view_pre.c: the pre-liquidation parts of the detail and preview panes
 * for a position of a morpho-pre market: its distance (and price) to
 * pre-liquidation beside its distance to liquidation, the LTV against
 * pre-LLTV and LLTV, the label of a pre-liquidation call (preLCF, preLIF)
 * and what the avoid view asks of it.
 *
 * Owns these lines' text only; every figure is core/'s (model_morpho_pre.c,
 * liqprice), at the prices the pane is drawn with. Draws nothing itself.
 */
#include <stdio.h>
#include <string.h>

#include "core/liqprice.h"
#include "core/model_morpho.h"
#include "tui/fmt.h"
#include "tui/view.h"

/* A WAD fraction as a percentage, 2 places cut: "83.20%". */
static void
view_pre_pct(char *buf, size_t cap, struct u256 wad)
{
    char n[48];

    fmt_amount(n, sizeof(n), wad, 16, 2);
    snprintf(buf, cap, "%s%%", n);
}

/* "SYM price (distance)" for a threshold price, or "none". */
static void
view_pre_at(char *buf, size_t cap, const char *sym, const struct market *m,
            const struct u256 *price, uint8_t asset, bool exists,
            struct u256 at, bool redact)
{
    char pr[96], d[64];

    if (!exists) {
        snprintf(buf, cap, "none");
        return;
    }
    fmt_price(pr, sizeof(pr), at, m->base_decimals);
    fmt_distance(d, sizeof(d), price[asset], at);
    if (redact)
        snprintf(buf, cap, "%s *** (%s)", sym, d);
    else
        snprintf(buf, cap, "%s %s (%s)", sym, pr, d);
}

bool
view_pre_detail_text(char *buf, size_t cap, int cols, struct ui *u,
                     const struct market *m, const struct position *pos,
                     const struct u256 *price)
{
    struct u256 pre_at = u256_zero(), liq_at = u256_zero(), ltv;
    bool pre_exists = false, liq_exists = false;
    char pre[192], liq[192], a[64], b[64], c[64], full[768];
    const char *sym;
    uint8_t asset;

    if (m->model != MODEL_MORPHO_PRE || pos->ncoll != 1 || pos->ndebt != 1 ||
        !position_has_debt(pos))
        return false;
    asset = pos->coll[0].asset;
    sym = book_symbol_name(u->book, m->assets[asset].sym);
    if (model_morpho_pre_price(m, pos, price, &pre_exists, &pre_at) != 0)
        pre_exists = false;
    if (liqprice_compute(m, pos, price, asset, &liq_exists, &liq_at) != 0)
        liq_exists = false;
    view_pre_at(pre, sizeof(pre), sym, m, price, asset, pre_exists, pre_at,
                u->redact);
    view_pre_at(liq, sizeof(liq), sym, m, price, asset, liq_exists, liq_at,
                u->redact);
    if (!pre_exists && (m->pre.has_oracle || m->morpho.has_oracle))
        snprintf(pre, sizeof(pre), "fixed oracle");
    if (model_morpho_pre_ltv(m, pos, price, &ltv) != 0)
        snprintf(a, sizeof(a), "-");
    else
        view_pre_pct(a, sizeof(a), ltv);
    view_pre_pct(b, sizeof(b), u256_from_u64(m->pre.lltv));
    view_pre_pct(c, sizeof(c), u256_from_u64(m->assets[0].lt));
    snprintf(full, sizeof(full),
             "  pre-liquidation %s   liquidation %s   LTV %s, pre-LLTV %s, "
             "LLTV %s",
             pre, liq, a, b, c);
    if ((int)strlen(full) > cols)
        snprintf(full, sizeof(full), "  pre %s  liq %s  LTV %s/%s", pre, liq, a,
                 b);
    if ((int)strlen(full) > cols && pre_exists && liq_exists) {
        fmt_distance(a, sizeof(a), price[asset], pre_at);
        fmt_distance(b, sizeof(b), price[asset], liq_at);
        snprintf(full, sizeof(full), "  to pre-liq %s  to liq %s", a, b);
    }
    if ((int)strlen(full) > cols)
        snprintf(full, sizeof(full), "  pre %s", pre);
    snprintf(buf, cap, "%s", full);
    return true;
}

bool
view_pre_call_text(char *buf, size_t cap, char *brief, size_t bcap,
                   const struct market *m, const struct position *pos,
                   const struct u256 *price)
{
    struct model_morpho_pre_band band;
    char lcf[64], lif[64];

    if (m->model != MODEL_MORPHO_PRE ||
        model_morpho_pre_band(m, pos, price, &band) != 0 ||
        !band.pre_liquidatable)
        return false;
    view_pre_pct(lcf, sizeof(lcf), band.lcf);
    fmt_amount(lif, sizeof(lif), band.lif, 18, 4);
    snprintf(buf, cap, "in the band: preLiquidate, preLCF %s, preLIF %s", lcf,
             lif);
    snprintf(brief, bcap, "LCF %s LIF %s", lcf, lif);
    return true;
}

bool
view_pre_avoid_text(char *buf, size_t cap, char *brief, size_t bcap,
                    const struct market *m, const char *target)
{
    char b[64];

    if (m->model != MODEL_MORPHO_PRE)
        return false;
    view_pre_pct(b, sizeof(b), u256_from_u64(m->pre.lltv));
    snprintf(buf, cap,
             "health at least %s and LTV at most pre-LLTV %s, on its own, "
             "the least:",
             target, b);
    snprintf(brief, bcap, "health >= %s, LTV <= %s, the least:", target, b);
    return true;
}
