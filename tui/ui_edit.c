/*
 * ui_edit.c: what the dashboard's user types and steps: the prompt's
 * keys (filter, help search, what-if scenario, repay amount, target
 * health), what each finished entry applies, and the preview's repay
 * stepped by a share of the largest call. Called by ui_key() (ui.c) with
 * the state it owns; never draws, reads the book only.
 */
#include "tui/ui_edit.h"

#include <stdio.h>
#include <string.h>

#include "core/decimal.h"
#include "core/liq.h"
#include "core/model.h"

/* The repay the preview starts from: the typed one, or the maximum. */
unsigned
ui_edit_step_repay(struct ui *u, int percent_x10)
{
    uint32_t idx;
    struct position p;
    struct u256 price[MARKET_ASSETS_MAX];
    struct liq_call c;
    struct liq_result r;
    struct u256 step, cur;
    const struct market *m;

    if (!ui_selected(u, &idx))
        return 0;
    book_position_get(u->book, idx, &p);
    if (p.ndebt == 0 || p.ncoll == 0)
        return 0;
    m = book_market(u->book, p.market);
    book_prices_base(u->book, p.market, price, NULL);
    memset(&c, 0, sizeof(c));
    /* The same legs the preview shows: chosen, or the largest. */
    c.debt = (uint8_t)(u->pv_debt >= 0 ? u->pv_debt
                                       : ui_largest_leg(u->book, idx, true));
    c.coll = (uint8_t)(u->pv_coll >= 0 ? u->pv_coll
                                       : ui_largest_leg(u->book, idx, false));
    c.max = true;
    if (model_liquidate(m, &p, price, &c, &r) != 0)
        return 0;
    cur = u->pv_has_repay ? u->pv_repay : r.max_repay;
    (void)u256_muldiv(
        &step, r.max_repay,
        u256_from_u64((uint64_t)(percent_x10 < 0 ? -percent_x10 : percent_x10)),
        u256_from_u64(1000), U256_CEIL);
    if (percent_x10 < 0) {
        if (u256_lt(cur, step))
            cur = u256_zero();
        else
            (void)u256_sub(&cur, cur, step);
    } else if (u256_add(&cur, cur, step) != 0) {
        cur = r.max_repay;
    }
    u->pv_has_repay = true;
    u->pv_repay = cur;
    return DIRTY_PANE;
}

/*
 * A typed scenario "SYM=PCT%[,SYM=PCT%]..." (whole basis points, -100 %
 * excluded) as what-if shocks of the whole book, on top of the feed,
 * which keeps running; 0 (shock_clear) clears them. All or nothing.
 */
static unsigned
ui_edit_scenario(struct ui *u, uint64_t now_ms)
{
    uint32_t sym[16];
    int32_t bps[16];
    size_t n = 0;
    const char *p = u->edit_buf;
    char msg[200];

    while (*p != '\0') {
        const char *eq = strchr(p, '='), *end = strchr(p, ',');
        int64_t v = 0;
        int places = -1;
        bool neg = false;
        const char *q;

        if (end == NULL)
            end = p + strlen(p);
        if (eq == NULL || eq > end || n == 16 ||
            book_symbol_find(u->book, p, (size_t)(eq - p), &sym[n]) != 0) {
            snprintf(msg, sizeof(msg),
                     "what-if: %.*s: expected SYM=PCT%% of a symbol of the "
                     "book",
                     (int)(end - p) > 60 ? 60 : (int)(end - p), p);
            ui_message(u, true, now_ms, msg);
            return DIRTY_STATUS;
        }
        q = eq + 1;
        if (*q == '-' || *q == '+')
            neg = *q++ == '-';
        for (; q < end - 1; q++) {
            if (*q == '.' && places < 0) {
                places = 0;
                continue;
            }
            if (*q < '0' || *q > '9' || places == 2 || v > 100000)
                break;
            v = v * 10 + (*q - '0');
            places += places >= 0;
        }
        if (q != end - 1 || *q != '%' || q == eq + 1 + (neg || eq[1] == '+')) {
            ui_message(u, true, now_ms,
                       "what-if: percentages such as -20% or 2.5% (whole "
                       "basis points)");
            return DIRTY_STATUS;
        }
        /* a percentage with 0 to 2 places, in basis points */
        v *= places <= 0 ? 100 : places == 1 ? 10 : 1;
        bps[n] = (int32_t)(neg ? -v : v);
        if (bps[n] <= -10000 || bps[n] > 100000) {
            ui_message(u, true, now_ms,
                       "what-if: a price must stay above zero");
            return DIRTY_STATUS;
        }
        n++;
        p = *end == ',' ? end + 1 : end;
    }
    for (size_t i = 0; i < n; i++)
        (void)book_whatif_set(u->book, sym[i], bps[i]);
    snprintf(msg, sizeof(msg), "WHAT-IF: %.120s on the whole book (0 clears)",
             u->edit_buf);
    ui_message(u, false, now_ms, msg);
    return DIRTY_ALL | DIRTY_BOOK;
}

/* Finish typing: apply what was typed to its field. */
static unsigned
ui_edit_done(struct ui *u, uint64_t now_ms)
{
    enum ui_edit e = u->edit;

    u->edit = EDIT_NONE;
    if (e == EDIT_FILTER) {
        /* Typing applied it already; Enter on an empty prompt keeps the
         * filter there was (Esc clears it). */
        if (u->edit_buf[0] != '\0')
            (void)ui_set_filter(u, u->edit_buf, now_ms);
        return DIRTY_ALL;
    }
    if (e == EDIT_SCENARIO)
        return ui_edit_scenario(u, now_ms);
    if (e == EDIT_TARGET) {
        struct u256 t;

        if (decimal_parse(&t, u->edit_buf, strlen(u->edit_buf), 18,
                          DECIMAL_EXACT) != 0 ||
            u256_is_zero(t)) {
            ui_message(u, true, now_ms,
                       "target health: a positive number such as 1.05");
            return DIRTY_STATUS;
        }
        ui_message_clear_error(u);
        u->pv_has_target = true;
        u->pv_target = t;
        return DIRTY_PANE | DIRTY_STATUS;
    }
    if (e == EDIT_AMOUNT) {
        uint32_t idx;
        struct position p;
        const struct market *m;
        struct u256 v;
        int leg;

        if (!ui_selected(u, &idx))
            return 0;
        book_position_get(u->book, idx, &p);
        m = book_market(u->book, p.market);
        if (p.ndebt == 0)
            return 0;
        leg = u->pv_debt >= 0 ? u->pv_debt : ui_largest_leg(u->book, idx, true);
        if (decimal_parse(&v, u->edit_buf, strlen(u->edit_buf),
                          m->assets[p.debt[leg].asset].decimals,
                          DECIMAL_EXACT) != 0) {
            ui_message(u, true, now_ms,
                       "repay: a non-negative amount in the debt asset's "
                       "units, within its decimals");
            return DIRTY_STATUS;
        }
        ui_message_clear_error(u);
        u->pv_has_repay = true;
        u->pv_repay = v;
        return DIRTY_PANE | DIRTY_STATUS;
    }
    return DIRTY_ALL;
}

/* Typing into edit_buf: printable ASCII, backspace, Enter, Esc. */
unsigned
ui_edit_key(struct ui *u, int key, uint64_t now_ms)
{
    size_t n = strlen(u->edit_buf);

    if (key == KEY_ENTER_)
        return ui_edit_done(u, now_ms);
    if (key == KEY_ESC_) {
        /* Esc in the filter prompt clears the filter (README). */
        if (u->edit == EDIT_FILTER)
            (void)ui_set_filter(u, "", now_ms);
        u->edit = EDIT_NONE;
        if (u->help)
            u->help_search[0] = '\0';
        return DIRTY_ALL;
    }
    if (key == KEY_BACKSPACE_) {
        if (n > 0)
            u->edit_buf[n - 1] = '\0';
    } else if (key >= 0x20 && key < 0x7f && n + 1 < sizeof(u->edit_buf)) {
        u->edit_buf[n] = (char)key;
        u->edit_buf[n + 1] = '\0';
    }
    if (u->edit == EDIT_FILTER) {
        /* The filter applies as it is typed (a bad term waits). */
        (void)ui_set_filter(u, u->edit_buf, now_ms);
        return DIRTY_ALL;
    }
    if (u->edit == EDIT_HELP)
        snprintf(u->help_search, sizeof(u->help_search), "%s", u->edit_buf);
    return DIRTY_ALL;
}

void
ui_edit_start(struct ui *u, enum ui_edit e, const char *init)
{
    u->edit = e;
    snprintf(u->edit_buf, sizeof(u->edit_buf), "%s", init);
}
