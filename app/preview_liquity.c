/*
 * preview_liquity.c: the liquity-v2 part of preview's two outputs: the
 * split of batchLiquidateTroves' whole call between the Stability Pool,
 * redistribution, the caller and the borrower's surplus, and the branch's
 * TCR.
 *
 * Owns the wording and layout only; every figure comes from the call's
 * struct liq_liquity and model_liquity_tcr().
 */
#include "app/preview_liquity.h"

#include <stddef.h>

#include "app/preview_line.h"
#include "app/textout.h"
#include "core/decimal.h"
#include "core/model_liquity.h"

/* Where the trove goes, as the JSON and the table name it; debt: in BOLD
 * (the market's second asset), else in the collateral (its first). */
static const struct {
    const char *json, *text;
    size_t off;
    bool debt;
} liquity_parts[] = {
    {"debt_offset", "  offset by the pool",
     offsetof(struct liq_liquity, debt_offset), true},
    {"debt_redistributed", "  redistributed",
     offsetof(struct liq_liquity, debt_redist), true},
    {"collateral_to_stability_pool", "  to the pool",
     offsetof(struct liq_liquity, coll_to_sp), false},
    {"collateral_redistributed", "  redistributed",
     offsetof(struct liq_liquity, coll_redist), false},
    {"collateral_gas_compensation", "  to the caller",
     offsetof(struct liq_liquity, coll_gas), false},
    {"collateral_surplus", "left to claim",
     offsetof(struct liq_liquity, coll_surplus), false},
};
#define LIQUITY_PARTS (sizeof liquity_parts / sizeof liquity_parts[0])

static struct u256
liquity_part(const struct liq_result *c, size_t k)
{
    return *(const struct u256 *)((const char *)&c->liquity +
                                  liquity_parts[k].off);
}

void
preview_liquity_json(FILE *out, const struct market *m,
                     const struct liq_result *c, const struct u256 *prices)
{
    char buf[DECIMAL_BUF];
    struct u256 tcr;
    bool below;

    for (size_t k = 0; k < LIQUITY_PARTS; k++) {
        decimal_format(buf, sizeof buf, liquity_part(c, k), 18);
        fprintf(out, "  \"%s\": \"%s\",\n", liquity_parts[k].json, buf);
    }
    if (model_liquity_tcr(m, prices, &tcr, &below) != 0)
        return;
    if (u256_is_max(tcr)) {
        fputs("  \"branch_tcr\": null,\n", out);
    } else {
        decimal_format(buf, sizeof buf, tcr, 18);
        fprintf(out, "  \"branch_tcr\": \"%s\",\n", buf);
    }
    fprintf(out, "  \"branch_below_scr\": %s,\n", below ? "true" : "false");
}

void
preview_liquity_table(FILE *out, const struct book *b, const struct market *m,
                      const struct liq_result *c, const struct u256 *prices)
{
    char num[DECIMAL_BUF + 32], buf[DECIMAL_BUF + 64];
    struct u256 tcr;
    bool below;

    for (size_t k = 0; k < LIQUITY_PARTS; k++) {
        const struct asset *a = &m->assets[liquity_parts[k].debt ? 1 : 0];

        textout_grouped(num, sizeof num, liquity_part(c, k), a->decimals);
        snprintf(buf, sizeof buf, "%s %s", num, book_symbol_name(b, a->sym));
        preview_line(out, liquity_parts[k].text, buf, NULL);
    }
    if (model_liquity_tcr(m, prices, &tcr, &below) != 0)
        return;
    if (u256_is_max(tcr))
        snprintf(num, sizeof num, "none (no debt)");
    else
        textout_grouped(num, sizeof num, tcr, 18);
    preview_line(out, "branch TCR", num,
                 below ? "below SCR: anyone may shut the branch down"
                       : "at or above SCR");
}
