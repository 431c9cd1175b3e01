/*
 * cmd_preview.c: liqtop preview PORTFOLIO --position ID [--debt SYM]
 * [--collateral SYM] [--repay AMOUNT|max] [--target-health H]
 * [--price SYM=P]... [--format json|table].
 *
 * Owns the preview's arguments and its two outputs (design.md section 4):
 * one JSON object, or a table a newcomer can read. The figures come from
 * core/preview; nothing here computes money.
 */
#include "app/cmd_preview.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/cmd_common.h"
#include "app/preview_comet.h"
#include "app/preview_gate.h"
#include "app/preview_line.h"
#include "app/preview_liquity.h"
#include "app/textout.h"
#include "core/decimal.h"
#include "core/liq.h"
#include "core/model.h"
#include "core/model_aave.h"
#include "core/preview.h"

static const char usage[] =
    "usage: liqtop preview PORTFOLIO --position ID [--debt SYM] "
    "[--collateral SYM]\n"
    "                      [--repay AMOUNT|max | --seize AMOUNT]\n"
    "                      [--target-health H]\n"
    "                      [--positions FILE.jsonl] [--price SYM=P]...\n"
    "                      [--format json|table]\n"
    "\n"
    "What one liquidation call on position ID would do, as the protocol\n"
    "computes it: repay of the debt asset, collateral seized, bonus, fee,\n"
    "health after; the repay that reaches the target health (default 1);\n"
    "and the least repay or deposit of each asset that avoids liquidation.\n"
    "Without --debt/--collateral the largest of each by value is used.\n"
    "--seize (morpho-blue) names the collateral the call seizes instead.\n";

/* Everything one output needs. */
struct pv_out {
    const struct book *b;
    const struct market *m;
    struct position p;
    struct preview pv;
    struct u256 prices[MARKET_ASSETS_MAX]; /* base units */
    bool seize; /* the call is Morpho's seizedAssets entry point */
};

static const char *
asset_sym(const struct pv_out *o, uint8_t asset)
{
    return book_symbol_name(o->b, o->m->assets[asset].sym);
}

static unsigned
asset_dec(const struct pv_out *o, uint8_t asset)
{
    return o->m->assets[asset].decimals;
}

/* An aave-v4 market with the hub's state: the call's shares are shown. */
static bool
preview_v4_shares(const struct pv_out *o)
{
    return o->m->model == MODEL_AAVE_V4 && model_aave4_stateful(o->m);
}

/* ---- JSON ---- */

static void
json_amount(FILE *out, const char *key, struct u256 v, unsigned dec, bool null)
{
    char buf[DECIMAL_BUF];

    fprintf(out, "  \"%s\": ", key);
    if (null) {
        fputs("null,\n", out);
        return;
    }
    decimal_format(buf, sizeof buf, v, dec);
    fprintf(out, "\"%s\",\n", buf);
}

static void
json_avoid(FILE *out, const struct pv_out *o, bool repay)
{
    const struct leg *legs = repay ? o->p.debt : o->p.coll;
    const struct preview_avoid *av =
        repay ? o->pv.avoid_repay : o->pv.avoid_deposit;
    int n = repay ? o->p.ndebt : o->p.ncoll, k;
    char buf[DECIMAL_BUF];

    fputc('{', out);
    for (k = 0; k < n; k++) {
        if (k > 0)
            fputs(", ", out);
        textout_json_str(out, asset_sym(o, legs[k].asset));
        fputs(": ", out);
        if (!av[k].exists) {
            fputs("null", out);
            continue;
        }
        decimal_format(buf, sizeof buf, av[k].amount,
                       asset_dec(o, legs[k].asset));
        textout_json_str(out, buf);
    }
    fputc('}', out);
}

static void
write_json(FILE *out, const struct pv_out *o)
{
    const struct preview *pv = &o->pv;
    const struct liq_result *c = &pv->call;
    uint8_t da = o->p.debt[pv->debt].asset, ca = o->p.coll[pv->coll].asset;
    unsigned dd = asset_dec(o, da), cd = asset_dec(o, ca);
    unsigned bd = o->m->base_decimals;
    const char *rev = model_revert_reason(c->revert);
    const char *reason;

    fputs("{\n  \"position\": ", out);
    textout_json_str(out, o->p.id);
    fputs(",\n  \"model\": ", out);
    textout_json_str(out, market_model_name(o->m->model));
    fputs(",\n  \"debt_asset\": ", out);
    textout_json_str(out, asset_sym(o, da));
    fputs(",\n  \"collateral_asset\": ", out);
    textout_json_str(out, asset_sym(o, ca));
    fputs(",\n", out);
    json_amount(out, "health_factor", pv->before.hf, 18, !pv->before.has_debt);
    fprintf(out, "  \"liquidatable\": %s,\n",
            pv->before.liquidatable ? "true" : "false");
    json_amount(out, "close_factor", c->close_factor, 18, false);
    json_amount(out, "max_repay", c->max_repay, dd, false);
    json_amount(out, "repay", c->repay, dd, false);
    json_amount(out, "requested_repay", pv->requested_repay, dd, false);
    fprintf(out, "  \"repay_capped\": %s,\n",
            pv->repay_capped ? "true" : "false");
    if (o->seize || preview_v4_shares(o))
        json_amount(out, "repaid_shares", c->repaid_shares, 0, false);
    json_amount(out, "collateral_seized", c->seized, cd, false);
    if (preview_v4_shares(o))
        json_amount(out, "seized_shares", c->seize_tokens, 0, false);
    json_amount(out, "collateral_seized_value", pv->values.seized, bd, false);
    if (o->m->model == MODEL_COMPOUND_V2 && o->m->ctoken[ca].has_rate)
        json_amount(out, "seize_tokens", c->seize_tokens,
                    o->m->ctoken[ca].decimals, false);
    if (o->m->model == MODEL_LIQUITY_V2)
        preview_liquity_json(out, o->m, c, o->prices);
    if (o->m->model == MODEL_EULER_V2) /* seized is vault shares */
        json_amount(out, "collateral_seized_assets", c->seized_assets, cd,
                    false);
    json_amount(out, "liquidator_receives", c->to_liquidator, cd, false);
    json_amount(out, "protocol_fee", c->fee, cd, false);
    json_amount(out, "protocol_fee_value", pv->values.fee, bd, false);
    json_amount(out, "bonus", c->bonus, cd, false);
    json_amount(out, "bonus_value", pv->values.bonus, bd, false);
    json_amount(out, "health_factor_after", c->hf_after, 18,
                u256_is_max(c->hf_after));
    fprintf(out, "  \"liquidation_lowers_health\": %s,\n",
            pv->lowers_health ? "true" : "false");
    fputs("  \"reverts\": ", out);
    if (rev == NULL)
        fputs("null", out);
    else
        textout_json_str(out, rev);
    fputs(",\n", out);
    json_amount(out, "target_health", pv->target_hf, 18, false);
    json_amount(out, "repay_to_target", pv->repay_to_target, dd,
                !pv->has_to_target);
    /* The debtToCover that makes that call: a capped call (Aave's
     * collateral cap) repays less than it is asked. */
    json_amount(out, "cover_to_target", pv->cover_to_target, dd,
                !pv->has_to_target);
    json_amount(out, "collateral_to_target", pv->collateral_to_target, cd,
                !pv->has_to_target);
    reason = preview_reason_text(pv->reason);
    fputs("  \"reason\": ", out);
    if (reason == NULL)
        fputs("null", out);
    else
        textout_json_str(out, reason);
    fputs(",\n  \"avoid\": {\"repay\": ", out);
    json_avoid(out, o, true);
    fputs(", \"deposit\": ", out);
    json_avoid(out, o, false);
    fputs("}", out);
    if (o->m->model == MODEL_COMPOUND_V3)
        preview_comet_json(out, o->b, o->m, &o->p, o->prices);
    {
        int64_t t; /* where the market gives interest rates */

        if (model_time_to_liquidation(o->m, &o->p, o->prices, &t) == 0) {
            if (t < 0)
                fputs(",\n  \"time_to_liquidation\": null", out);
            else
                fprintf(out, ",\n  \"time_to_liquidation\": %lld",
                        (long long)t);
        }
    }
    fputs("\n}\n", out);
}

/* ---- table ---- */

/* A health factor: 4 places cut (never rounded up to 1), then exact. */
static void
health_text(char *dst, size_t cap, struct u256 hf, bool has_debt)
{
    char raw[DECIMAL_BUF], four[16];
    const char *dot;
    size_t n;

    if (!has_debt) {
        snprintf(dst, cap, "none (no debt)");
        return;
    }
    decimal_format(raw, sizeof raw, hf, 18);
    dot = strchr(raw, '.');
    if (dot == NULL || strlen(dot + 1) <= 4) {
        snprintf(dst, cap, "%s", raw);
        return;
    }
    n = (size_t)(dot - raw) + 5;
    if (n >= sizeof four) {
        snprintf(dst, cap, "%s", raw);
        return;
    }
    memcpy(four, raw, n);
    four[n] = '\0';
    snprintf(dst, cap, "%s  (exactly %s)", four, raw);
}

static void
amount_line(FILE *out, const struct pv_out *o, const char *name, struct u256 v,
            uint8_t asset, const char *note)
{
    char num[DECIMAL_BUF + 32], buf[DECIMAL_BUF + 64];

    textout_grouped(num, sizeof num, v, asset_dec(o, asset));
    snprintf(buf, sizeof buf, "%s %s", num, asset_sym(o, asset));
    preview_line(out, name, buf, note);
}

/* An amount and its value in base units: "4.4625 WETH   (worth 8,925;
 * note)". */
static void
worth_line(FILE *out, const struct pv_out *o, const char *name, struct u256 v,
           uint8_t asset, struct u256 value, const char *note)
{
    char w[DECIMAL_BUF + 32], buf[DECIMAL_BUF + 128];

    textout_grouped(w, sizeof w, value, o->m->base_decimals);
    snprintf(buf, sizeof buf, "(worth %s%s%s)", w, note != NULL ? "; " : "",
             note != NULL ? note : "");
    amount_line(out, o, name, v, asset, buf);
}

static void
write_table(FILE *out, const struct pv_out *o)
{
    const struct preview *pv = &o->pv;
    const struct liq_result *c = &pv->call;
    uint8_t da = o->p.debt[pv->debt].asset, ca = o->p.coll[pv->coll].asset;
    const char *rev = model_revert_reason(c->revert);
    char buf[256], hb[128], ha[128], tgt[DECIMAL_BUF], label[96], id[96];
    char cf[DECIMAL_BUF];
    int k;

    textout_safe(id, sizeof id, o->p.id, strlen(o->p.id), 60);
    textout_safe(label, sizeof label, o->p.label, strlen(o->p.label), 60);
    fprintf(out, "Liquidation preview: position %s%s%s%s\n", id,
            label[0] ? " (" : "", label, label[0] ? ")" : "");
    fprintf(out, "Market %s, model %s", o->m->id,
            market_model_name(o->m->model));
    if (o->m->model == MODEL_AAVE_V3)
        fprintf(out, " %u.%u", o->m->version / 100, o->m->version % 100);
    fputs("; values in the market's base currency.\n\n", out);

    fputs("Now\n", out);
    health_text(hb, sizeof hb, pv->before.hf, pv->before.has_debt);
    preview_line(out, "health factor", hb,
                 pv->before.liquidatable ? "LIQUIDATABLE (below 1)"
                 : pv->before.has_debt   ? "not liquidatable (1 or above)"
                                         : "");
    {
        char pd[DECIMAL_BUF + 32], pc[DECIMAL_BUF + 32];

        textout_grouped(pd, sizeof pd, o->prices[da], o->m->base_decimals);
        textout_grouped(pc, sizeof pc, o->prices[ca], o->m->base_decimals);
        snprintf(buf, sizeof buf, "%s %s, %s %s", asset_sym(o, ca), pc,
                 asset_sym(o, da), pd);
        preview_line(out, "prices", buf, NULL);
    }
    textout_grouped(buf, sizeof buf, pv->before.coll_value,
                    o->m->base_decimals);
    preview_line(out, "collateral value", buf, NULL);
    textout_grouped(buf, sizeof buf, pv->before.debt_value,
                    o->m->base_decimals);
    preview_line(out, "debt value", buf,
                 pv->before.bad_debt ? "BAD DEBT: more "
                                       "than the collateral"
                                     : NULL);
    {
        int64_t t; /* where the market gives interest rates */

        if (model_time_to_liquidation(o->m, &o->p, o->prices, &t) == 0) {
            if (t < 0)
                snprintf(buf, sizeof buf, "never within 100 years");
            else
                snprintf(buf, sizeof buf, "%lld s (%lld days)", (long long)t,
                         (long long)(t / 86400));
            preview_line(out, "liquidatable in", buf,
                         "(interest alone, prices as now)");
        }
    }

    fprintf(out, "\nOne liquidation call: repay %s debt, seize %s collateral\n",
            asset_sym(o, da), asset_sym(o, ca));
    decimal_format(cf, sizeof cf, c->close_factor, 16);
    snprintf(buf, sizeof buf, "%s %%", cf);
    preview_line(out, "close factor", buf,
                 "(share of this debt one call may repay)");
    amount_line(out, o, "max repay", c->max_repay, da,
                "(after close factor, collateral cap and dust rule)");
    if (pv->repay_capped) {
        char asked[DECIMAL_BUF + 32], cap[DECIMAL_BUF + 32];

        textout_grouped(asked, sizeof asked, pv->requested_repay,
                        asset_dec(o, da));
        textout_grouped(cap, sizeof cap, c->repay, asset_dec(o, da));
        snprintf(buf, sizeof buf, "capped at %s %s (asked %s)", cap,
                 asset_sym(o, da), asked);
        amount_line(out, o, "repay", c->repay, da, buf);
    } else {
        amount_line(out, o, "repay", c->repay, da, NULL);
    }
    if (o->seize) {
        decimal_format(buf, sizeof buf, c->repaid_shares, 0);
        preview_line(out, "repaid shares", buf, "(borrow shares, rounded up)");
    } else if (preview_v4_shares(o)) {
        decimal_format(buf, sizeof buf, c->repaid_shares, 0);
        preview_line(out, "repaid shares", buf,
                     "(drawn shares, after the premium)");
    }
    worth_line(out, o, "collateral seized", c->seized, ca, pv->values.seized,
               "all that leaves the borrower");
    if (preview_v4_shares(o)) {
        decimal_format(buf, sizeof buf, c->seize_tokens, 0);
        preview_line(out, "  in shares", buf, "(supplied shares)");
    }
    if (o->m->model == MODEL_COMPOUND_V2 && o->m->ctoken[ca].has_rate) {
        decimal_format(buf, sizeof buf, c->seize_tokens,
                       o->m->ctoken[ca].decimals);
        preview_line(out, "  in cTokens", buf, NULL);
    }
    if (o->m->model == MODEL_LIQUITY_V2)
        preview_liquity_table(out, o->b, o->m, c, o->prices);
    if (o->m->model == MODEL_EULER_V2) {
        decimal_format(buf, sizeof buf, c->seized_assets, asset_dec(o, ca));
        preview_line(out, "  in assets", buf,
                     "(the vault shares seized, converted)");
    }
    amount_line(out, o, "  to the liquidator", c->to_liquidator, ca, NULL);
    worth_line(out, o, "  protocol fee", c->fee, ca, pv->values.fee, NULL);
    worth_line(out, o, "bonus", c->bonus, ca, pv->values.bonus,
               "seized above the value repaid");
    health_text(ha, sizeof ha, c->hf_after, !u256_is_max(c->hf_after));
    if (!u256_is_max(c->hf_after))
        preview_line(out, "health factor after", ha, NULL);
    else if (c->bad_debt_after)
        preview_line(out, "health factor after", "none: no collateral is left",
                     "(the debt left is bad debt)");
    else
        preview_line(out, "health factor after", "none: no debt is left", NULL);
    if (rev == NULL) {
        preview_line(out, "the call", "would succeed", NULL);
    } else {
        snprintf(buf, sizeof buf, "WOULD REVERT: %s", rev);
        preview_line(out, "the call", buf, "(figures show what it would take)");
        preview_gate_words(out, o->b, o->m, c->revert, da, ca);
    }
    if (pv->lowers_health ||
        (!pv->has_to_target && pv->reason == REASON_LOWERS_HEALTH))
        fputs("\n  WARNING: liquidation LOWERS this position's health factor: "
              "each call seizes\n  collateral (with the bonus) that weighs "
              "more than the debt it repays,\n  so calls drive the position "
              "toward bad debt instead of back to health.\n",
              out);

    if (o->m->model == MODEL_COMPOUND_V3)
        preview_comet_table(out, o->b, o->m, &o->p, o->prices);
    decimal_format(tgt, sizeof tgt, pv->target_hf, 18);
    fprintf(out, "\nReach health factor %s in one call\n", tgt);
    if (pv->has_to_target) {
        amount_line(out, o, "repay", pv->repay_to_target, da,
                    "(least of every call: one raw unit less falls short)");
        amount_line(out, o, "collateral seized", pv->collateral_to_target, ca,
                    NULL);
        if (o->m->model == MODEL_EULER_V2) {
            decimal_format(buf, sizeof buf, pv->to_target_call.seized_assets,
                           asset_dec(o, ca));
            preview_line(out, "  in assets", buf,
                         "(the vault shares seized, converted)");
        }
        if (!u256_eq(pv->cover_to_target, pv->repay_to_target)) {
            char cov[DECIMAL_BUF + 32];

            textout_grouped(cov, sizeof cov, pv->cover_to_target,
                            asset_dec(o, da));
            snprintf(buf, sizeof buf, "%s %s or more", cov, asset_sym(o, da));
            preview_line(out, "debt to cover", buf,
                         "(the call is capped: it takes the repay above)");
        }
        if (pv->reason != REASON_NONE)
            preview_line(out, "note", preview_reason_text(pv->reason), NULL);
    } else if (pv->reason == REASON_BLOCKED && rev != NULL) {
        snprintf(buf, sizeof buf, "no call is accepted now: %s", rev);
        preview_line(out, "not possible", buf, NULL);
    } else {
        preview_line(out, "not possible", preview_reason_text(pv->reason),
                     NULL);
    }

    if (o->m->model == MODEL_MORPHO_PRE)
        fprintf(out,
                "\nAvoid liquidation and pre-liquidation: each line alone "
                "brings the health factor\nto %s or more and the LTV to "
                "pre_lltv or less\n",
                tgt);
    else
        fprintf(out,
                "\nAvoid liquidation: each line alone brings the health "
                "factor to %s or more\n",
                tgt);
    fprintf(out, "  %-8s %-10s %s\n", "ACTION", "ASSET", "LEAST AMOUNT");
    for (k = 0; k < o->p.ndebt + o->p.ncoll; k++) {
        bool rep = k < o->p.ndebt;
        const struct leg *lg = rep ? &o->p.debt[k] : &o->p.coll[k - o->p.ndebt];
        const struct preview_avoid *av =
            rep ? &pv->avoid_repay[k] : &pv->avoid_deposit[k - o->p.ndebt];

        if (av->exists)
            textout_grouped(buf, sizeof buf, av->amount,
                            asset_dec(o, lg->asset));
        else
            snprintf(buf, sizeof buf, "not enough alone");
        fprintf(out, "  %-8s %-10s %s\n", rep ? "repay" : "deposit",
                asset_sym(o, lg->asset), buf);
    }
}

/* ---- arguments ---- */

static int
leg_of(const struct pv_out *o, const char *sym, bool debt, int *out, char *err,
       size_t errlen)
{
    const struct leg *legs = debt ? o->p.debt : o->p.coll;
    int n = debt ? o->p.ndebt : o->p.ncoll, k;
    char safe[64];

    for (k = 0; k < n; k++)
        if (strcmp(asset_sym(o, legs[k].asset), sym) == 0) {
            *out = k;
            return 0;
        }
    textout_safe(safe, sizeof safe, sym, strlen(sym), 30);
    snprintf(err, errlen, "%s %s: position %s has no %s %s",
             debt ? "--debt" : "--collateral", safe, o->p.id, safe,
             debt ? "debt" : "collateral");
    return LIQ_ENOENT;
}

/*
 * --seize AMOUNT: Morpho's liquidate with seizedAssets, the repaid shares
 * derived; it replaces the call the preview shows (its other figures stay
 * those of the repay). LIQ_EINVAL with a message for bad usage.
 */
static int
preview_seize(struct pv_out *o, const char *text, char *err, size_t errlen)
{
    struct liq_call call;
    uint8_t ca = o->p.coll[o->pv.coll].asset;
    char safe[64];
    int rc;

    textout_safe(safe, sizeof safe, text, strlen(text), 40);
    if (!market_is_morpho(o->m->model)) {
        snprintf(err, errlen,
                 "--seize %s: only a morpho-blue liquidation (or a "
                 "morpho-pre one) names the collateral it seizes",
                 safe);
        return LIQ_EINVAL;
    }
    memset(&call, 0, sizeof call);
    call.debt = o->pv.debt;
    call.coll = o->pv.coll;
    call.seize = true;
    rc = decimal_parse(&call.seized, text, strlen(text), asset_dec(o, ca),
                       DECIMAL_EXACT);
    if (rc != 0) {
        snprintf(err, errlen, "--seize %s: expected an amount of %s%s", safe,
                 asset_sym(o, ca),
                 rc == LIQ_EPRECISION ? " (too many places)" : "");
        return LIQ_EINVAL;
    }
    o->seize = true;
    return model_liquidate(o->m, &o->p, o->prices, &call, &o->pv.call);
}

int
cmd_preview_write(FILE *out, struct book *b, const struct cmd_preview_args *pa,
                  char *err, size_t errlen)
{
    struct pv_out o;
    struct preview_req req;
    char safe[96];
    uint32_t idx;
    int rc;

    memset(&o, 0, sizeof o);
    memset(&req, 0, sizeof req);
    o.b = b;
    if (book_position_find(b, pa->position, strlen(pa->position), &idx) != 0) {
        textout_safe(safe, sizeof safe, pa->position, strlen(pa->position), 60);
        snprintf(err, errlen, "--position %s: no such position", safe);
        return LIQ_ENOENT;
    }
    book_position_get(b, idx, &o.p);
    o.m = book_market(b, o.p.market);
    book_prices_base(b, o.p.market, o.prices, NULL);
    if (o.p.ndebt == 0) {
        snprintf(err, errlen,
                 "position %s has no debt: there is nothing to "
                 "liquidate",
                 o.p.id);
        return LIQ_EINVAL;
    }
    if (o.p.ncoll == 0) {
        snprintf(err, errlen,
                 "position %s has no collateral: there is "
                 "nothing to seize",
                 o.p.id);
        return LIQ_EINVAL;
    }
    req.debt = req.coll = -1;
    if (pa->debt != NULL &&
        (rc = leg_of(&o, pa->debt, true, &req.debt, err, errlen)) != 0)
        return rc;
    if (pa->coll != NULL &&
        (rc = leg_of(&o, pa->coll, false, &req.coll, err, errlen)) != 0)
        return rc;
    if (pa->target != NULL) {
        textout_safe(safe, sizeof safe, pa->target, strlen(pa->target), 40);
        if (decimal_parse(&req.target_hf, pa->target, strlen(pa->target), 18,
                          DECIMAL_EXACT) != 0 ||
            u256_is_zero(req.target_hf)) {
            snprintf(err, errlen,
                     "--target-health %s: expected a health factor above 0 "
                     "such as 1.05 (at most 18 places)",
                     safe);
            return LIQ_EINVAL;
        }
        req.has_target = true;
    }
    if (pa->repay != NULL && strcmp(pa->repay, "max") != 0) {
        uint8_t da;
        unsigned dec;

        /* The repay is in the debt asset's units: learn which one the
         * preview picks when --debt is not given. */
        if (req.debt < 0) {
            if ((rc = preview_compute(o.m, &o.p, o.prices, &req, &o.pv)) != 0)
                goto model_error;
            req.debt = o.pv.debt;
        }
        da = o.p.debt[req.debt].asset;
        dec = asset_dec(&o, da);
        textout_safe(safe, sizeof safe, pa->repay, strlen(pa->repay), 40);
        rc = decimal_parse(&req.repay, pa->repay, strlen(pa->repay), dec,
                           DECIMAL_EXACT);
        if (rc == LIQ_EPRECISION) {
            snprintf(err, errlen,
                     "--repay %s: more places than %s holds (%u decimals)",
                     safe, asset_sym(&o, da), dec);
            return rc;
        }
        if (rc != 0) {
            snprintf(err, errlen,
                     "--repay %s: expected an amount of %s or \"max\"", safe,
                     asset_sym(&o, da));
            return LIQ_EINVAL;
        }
        req.has_repay = true;
    }
    if ((rc = preview_compute(o.m, &o.p, o.prices, &req, &o.pv)) != 0)
        goto model_error;
    if (pa->seize != NULL &&
        (rc = preview_seize(&o, pa->seize, err, errlen)) != 0) {
        if (rc == LIQ_EINVAL)
            return rc;
        goto model_error;
    }
    if (pa->table)
        write_table(out, &o);
    else
        write_json(out, &o);
    return 0;
model_error:
    snprintf(err, errlen, "position %s: the preview cannot be computed: %s",
             o.p.id,
             rc == LIQ_EOVERFLOW ? "amounts too large (256-bit overflow)"
                                 : liq_strerror(rc));
    return rc;
}

int
cmd_preview_main(int argc, char **argv)
{
    static const char *const with_value[] = {
        "--positions",  "--price", "--format",        "--position", "--debt",
        "--collateral", "--repay", "--target-health", "--seize",    NULL};
    struct cmd_book_opts o;
    struct cmd_args a;
    struct cmd_preview_args pa;
    const char *opt, *val;
    char err[512];
    struct book *b;
    int rc, status = CMD_EXIT_OK;

    memset(&o, 0, sizeof o);
    memset(&pa, 0, sizeof pa);
    o.prices = calloc((size_t)argc + 1, sizeof *o.prices);
    if (o.prices == NULL)
        return cmd_common_fail("preview", "out of memory");
    cmd_common_args_init(&a, argc, argv);
    while ((rc = cmd_common_next(&a, with_value, &opt, &val, err,
                                 sizeof err)) == 1) {
        if (cmd_common_book_arg(&o, "preview", opt, val, &status)) {
            if (status != CMD_EXIT_OK)
                goto out;
            continue;
        }
        if (strcmp(opt, "--position") == 0) {
            pa.position = val;
        } else if (strcmp(opt, "--debt") == 0) {
            pa.debt = val;
        } else if (strcmp(opt, "--collateral") == 0) {
            pa.coll = val;
        } else if (strcmp(opt, "--repay") == 0) {
            pa.repay = val;
        } else if (strcmp(opt, "--seize") == 0) {
            pa.seize = val;
        } else if (strcmp(opt, "--target-health") == 0) {
            pa.target = val;
        } else if (strcmp(opt, "--format") == 0) {
            if (strcmp(val, "json") == 0) {
                pa.table = false;
            } else if (strcmp(val, "table") == 0) {
                pa.table = true;
            } else {
                status = cmd_common_usage_error(
                    "preview", "--format must be json or table", val);
                goto out;
            }
        } else {
            status = cmd_common_other_opt("preview", usage, opt);
            goto out;
        }
    }
    if (rc < 0) {
        status = cmd_common_fail("preview", err);
        goto out;
    }
    if (pa.seize != NULL && pa.repay != NULL) {
        status = cmd_common_usage_error("preview",
                                        "--seize and --repay exclude each "
                                        "other",
                                        pa.seize);
        goto out;
    }
    if (o.portfolio == NULL || pa.position == NULL) {
        fputs(
            o.portfolio != NULL
                ? "liqtop preview: --position ID is required\n"
                : "liqtop preview: PORTFOLIO and --position ID are required\n",
            stderr);
        fputs(usage, stderr);
        status = CMD_EXIT_BAD;
        goto out;
    }
    b = cmd_common_load(&o, err, sizeof err);
    if (b == NULL) {
        status = cmd_common_fail("preview", err);
        goto out;
    }
    if (cmd_preview_write(stdout, b, &pa, err, sizeof err) != 0)
        status = cmd_common_fail("preview", err);
    else if (fflush(stdout) != 0)
        status = cmd_common_fail("preview", "cannot write the output");
    book_free(b);
out:
    free(o.prices);
    return status;
}
