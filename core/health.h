/*
 * health.h: risk tiers of a health factor, the one place their bounds live.
 *
 * Owns enum tier and its thresholds, shared by the book's counts, the
 * dashboard's colours and the headless outputs. A lower tier is a worse
 * one. TIER_PRE is not a health bound: the book gives it to a position of
 * a morpho-pre market that is not liquidatable but is pre-liquidatable
 * (model_morpho_pre_band), whatever its health. Pure.
 */
#ifndef HEALTH_H
#define HEALTH_H

#include <stdbool.h>
#include <stdint.h>

#include "core/u256.h"

enum tier {
    TIER_LIQUIDATABLE, /* hf < 1.00 */
    TIER_PRE,          /* morpho-pre: in the pre-liquidation band (the
                        * book's verdict, never health_tier's) */
    TIER_DANGER,       /* 1.00 <= hf < 1.10 */
    TIER_WARN,         /* 1.10 <= hf < 1.50 */
    TIER_OK,           /* hf >= 1.50 */
    TIER_NO_DEBT,
    TIER_COUNT
};

/* Tier of a WAD health factor; has_debt false gives TIER_NO_DEBT. */
enum tier health_tier(struct u256 hf_wad, bool has_debt);
/* The same for a health factor within 128 bits, inline for the book's
 * tick; the bounds are health.c's. */
extern const uint64_t health_bound[3];

static inline enum tier
health_tier_u128(u128 hf_wad, bool has_debt)
{
    /* Counted, not searched: a tick's holders come in no order of health,
     * and a search's branches would mispredict for most of them. The
     * first bound counts twice, over TIER_PRE. */
    unsigned t = 2u * (unsigned)(hf_wad >= health_bound[0]) +
                 (unsigned)(hf_wad >= health_bound[1]) +
                 (unsigned)(hf_wad >= health_bound[2]);
    return has_debt ? (enum tier)t : TIER_NO_DEBT;
}
/* "liquidatable", "pre", "danger", "warn", "ok", "no debt". */
const char *health_tier_name(enum tier t);
/* Whether the tier counts as "at risk" in the header (pre, danger or
 * warn). */
bool health_tier_at_risk(enum tier t);

#endif
