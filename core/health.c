/*
 * health.c: risk tiers of a health factor.
 *
 * Owns the tier bounds (1.00, 1.10, 1.50) and their names. Pure.
 */
#include "core/health.h"

const uint64_t health_bound[3] = {
    1000000000000000000ULL, /* below: liquidatable */
    1100000000000000000ULL, /* below: danger */
    1500000000000000000ULL, /* below: warn */
};

enum tier
health_tier(struct u256 hf_wad, bool has_debt)
{
    u128 hf;

    /* past 128 bits is past every bound */
    if (has_debt && !u256_to_u128(hf_wad, &hf))
        return TIER_OK;
    return health_tier_u128(has_debt ? hf : 0, has_debt);
}

const char *
health_tier_name(enum tier t)
{
    switch (t) {
    case TIER_LIQUIDATABLE:
        return "liquidatable";
    case TIER_PRE:
        return "pre";
    case TIER_DANGER:
        return "danger";
    case TIER_WARN:
        return "warn";
    case TIER_OK:
        return "ok";
    case TIER_NO_DEBT:
    case TIER_COUNT:
        break;
    }
    return "no debt";
}

bool
health_tier_at_risk(enum tier t)
{
    return t == TIER_PRE || t == TIER_DANGER || t == TIER_WARN;
}
