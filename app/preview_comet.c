/*
 * preview_comet.c: the compound-v3 part of preview's two outputs: Comet's
 * absorb of the whole position and the storefront (buyCollateral) quote
 * of each collateral for the debt absorbed.
 *
 * Owns the wording and layout only; every figure comes from
 * model_comet_absorb() and model_comet_quote().
 */
#include "app/preview_comet.h"

#include <string.h>

#include "app/preview_line.h"
#include "app/textout.h"
#include "core/decimal.h"
#include "core/model.h"

static void
comet_json_num(FILE *out, const char *key, struct u256 v, unsigned dec,
               bool first)
{
    char buf[DECIMAL_BUF];

    decimal_format(buf, sizeof buf, v, dec);
    fprintf(out, "%s\"%s\": \"%s\"", first ? "" : ", ", key, buf);
}

void
preview_comet_json(FILE *out, const struct book *b, const struct market *m,
                   const struct position *p, const struct u256 *prices)
{
    struct model_comet_absorb ab;
    uint8_t base = m->comet.base;
    unsigned bd = m->assets[base].decimals, vd = m->base_decimals;

    if (model_comet_absorb(m, p, prices, &ab) != 0)
        return;
    fputs(",\n  \"absorb\": {", out);
    comet_json_num(out, "collateral_value", ab.coll_value, vd, true);
    comet_json_num(out, "credit_value", ab.credit_value, vd, false);
    comet_json_num(out, "penalty_value", ab.penalty, vd, false);
    comet_json_num(out, "debt_absorbed", ab.debt, bd, false);
    comet_json_num(out, "credit", ab.credit, bd, false);
    comet_json_num(out, "returned_to_borrower", ab.returned, bd, false);
    comet_json_num(out, "shortfall", ab.shortfall, bd, false);
    fputs(",\n    \"buy_collateral\": {", out);
    for (uint8_t i = 0; i < p->ncoll; i++) {
        uint8_t a = p->coll[i].asset;
        struct u256 price, q;

        if (i > 0)
            fputs(", ", out);
        textout_json_str(out, book_symbol_name(b, m->assets[a].sym));
        if (model_comet_quote(m, prices, a, ab.debt, &price, &q) != 0) {
            fputs(": null", out);
            continue;
        }
        fputs(": {", out);
        comet_json_num(out, "store_front_price", price, vd, true);
        comet_json_num(out, "for_debt_absorbed", q, m->assets[a].decimals,
                       false);
        fputc('}', out);
    }
    fputs("}}", out);
}

static void
comet_line(FILE *out, const char *name, struct u256 v, unsigned dec,
           const char *unit, const char *note)
{
    char buf[DECIMAL_BUF], value[DECIMAL_BUF + SYMBOL_MAX + 2];

    decimal_format(buf, sizeof buf, v, dec);
    snprintf(value, sizeof value, "%s%s%s", buf, unit[0] ? " " : "", unit);
    preview_line(out, name, value, note);
}

void
preview_comet_table(FILE *out, const struct book *b, const struct market *m,
                    const struct position *p, const struct u256 *prices)
{
    struct model_comet_absorb ab;
    uint8_t base = m->comet.base;
    const char *bs = book_symbol_name(b, m->assets[base].sym);
    unsigned bd = m->assets[base].decimals, vd = m->base_decimals;

    if (model_comet_absorb(m, p, prices, &ab) != 0)
        return;
    fputs("\nAbsorb (compound-v3 has no partial liquidation: absorb takes "
          "every collateral\nand the whole debt; the absorber gets no "
          "collateral, the protocol does)\n",
          out);
    comet_line(out, "collateral value", ab.coll_value, vd, "",
               "(all collateral taken)");
    comet_line(out, "credited", ab.credit_value, vd, "",
               "(at each liquidation factor)");
    comet_line(out, "penalty", ab.penalty, vd, "",
               "(value the borrower loses)");
    comet_line(out, "debt absorbed", ab.debt, bd, bs, NULL);
    comet_line(out, "returned to borrower", ab.returned, bd, bs,
               "(base supply credited after the debt)");
    if (!u256_is_zero(ab.shortfall))
        comet_line(out, "shortfall", ab.shortfall, bd, bs,
                   "(debt beyond the credit: the reserves take it)");
    for (uint8_t i = 0; i < p->ncoll; i++) {
        uint8_t a = p->coll[i].asset;
        const char *s = book_symbol_name(b, m->assets[a].sym);
        struct u256 price, q;
        char name[64], note[DECIMAL_BUF + 64], pb[DECIMAL_BUF];

        if (model_comet_quote(m, prices, a, ab.debt, &price, &q) != 0)
            continue;
        decimal_format(pb, sizeof pb, price, vd);
        snprintf(name, sizeof name, "buy %s", s);
        snprintf(note, sizeof note,
                 "(buyCollateral at %s, for the debt "
                 "absorbed)",
                 pb);
        comet_line(out, name, q, m->assets[a].decimals, s, note);
    }
}
