/*
 * model_aave3_view.c: Aave v3 eMode categories and a position's view of a
 * market (market.h struct market_view): the category's threshold, ltv,
 * bonus and (before 3.2) price put where each version's GenericLogic and
 * LiquidationLogic read them, and disabled collaterals weighted zero.
 *
 * Owns the rules of which asset takes which parameter in each version and
 * the categories' configuration rules; the model (model_aave3.c) then
 * values the view as any market. Pure: no allocation, no clock.
 */
#include <string.h>

#include "core/liq.h"
#include "core/model.h"
#include "core/model_aave.h"

/* Whether asset i belongs to category c as a collateral: before 3.2 the
 * asset names its category (EModeLogic.isInEModeCategory), from 3.2 the
 * category's collateralBitmap lists it. */
static bool
aave3_view_in(const struct market *m, const struct market_emode *c, unsigned i)
{
    if (!model_aave3_rules(m)->emode_bitmap)
        return m->assets[i].emode == c->id;
    return (c->collateral >> i) & 1u;
}

int
model_aave3_view_make(const struct market *base, const struct market_view *v,
                      struct market *out)
{
    const struct market_emode *c = NULL;

    if (!market_is_aave3(base->model) || base->view.view)
        return LIQ_EINVAL;
    if (v->emode != 0 && (c = market_emode_find(base, v->emode)) == NULL)
        return LIQ_ENOENT;
    *out = *base;
    out->view = *v;
    out->view.view = true;
    for (unsigned i = 0; i < out->nassets; i++) {
        struct asset *a = &out->assets[i];

        if (c != NULL && aave3_view_in(base, c, i)) {
            /* LiquidationLogic: the category's bonus for its collateral,
             * in every version. */
            a->bonus = c->bonus;
            /* GenericLogic before 3.6 counts a collateral only when its
             * own threshold is not 0, and then with the category's; 3.6
             * counts every enabled collateral, the category's threshold
             * replacing whatever the reserve's is. */
            if (a->lt != 0 || model_aave3_rules(base)->counted_v36)
                a->lt = c->lt;
            if (a->ltv != 0 || model_aave3_rules(base)->counted_v36)
                a->ltv = c->ltv;
            /* Before 3.2 a category's price source prices its assets,
             * collateral and debt alike, for its users. */
            if (!model_aave3_rules(base)->emode_bitmap && c->has_price) {
                a->repriced = true;
                a->price_sym = c->price_sym;
            }
        }
        if ((v->coll_off >> i) & 1u) {
            /* Not used as collateral: no value, no weight, and the
             * contract refuses to seize it. */
            a->lt = 0;
            a->ltv = 0;
        }
    }
    return 0;
}

/* PoolConfigurator.setEModeCategory: ltv <= lt, a bonus above 100 %, and
 * percentMul(lt, bonus) <= 100 %; ids 1 to 255, each once. */
int
model_aave3_view_validate(const struct market *m, char *err, size_t errlen)
{
    static const char *const what[] = {
        "liquidation_threshold: must be at most 1",
        "ltv: must not exceed liquidation_threshold",
        "liquidation_bonus: must be above 0",
        "liquidation_bonus: liquidation_threshold x (1 + bonus) must not "
        "exceed 1",
        "id: must be 1 to 255, each once",
    };
    char num[8];

    for (unsigned i = 0; i < m->nemodes; i++) {
        const struct market_emode *c = &m->emodes[i];
        int bad = -1;

        if (c->lt > BPS)
            bad = 0;
        else if (c->ltv > c->lt)
            bad = 1;
        else if (c->bonus == 0)
            bad = 2;
        else if ((c->lt * (BPS + c->bonus) + BPS / 2) / BPS > BPS)
            bad = 3;
        else if (c->id == 0 || market_emode_find(m, c->id) != c)
            bad = 4;
        if (bad < 0)
            continue;
        if (errlen > 0) {
            size_t n, k = 0;
            unsigned d = i;

            /* "emode_categories[i].<what>", no stdio in core */
            do {
                num[k++] = (char)('0' + d % 10);
                d /= 10;
            } while (d != 0 && k < sizeof num);
            err[0] = '\0';
            strncat(err, "emode_categories[", errlen - 1);
            n = strlen(err);
            while (k > 0 && n + 1 < errlen) {
                err[n++] = num[--k];
                err[n] = '\0';
            }
            strncat(err, "].", errlen - 1 - strlen(err));
            strncat(err, what[bad], errlen - 1 - strlen(err));
        }
        return LIQ_ERANGE;
    }
    return 0;
}
