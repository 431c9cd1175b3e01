/*
 * alert.h: the alert rules' conditions and their hysteresis (design.md
 * section 9): whether a position's figures meet a condition such as
 * "health_factor < 1.1" or "distance < 5%", and the state of one rule for
 * one position (armed, fired, cooling down) as conditions come and go.
 *
 * Owns struct alert_cond, struct alert_figures and struct alert_track.
 * Exact: thresholds are integers (health in WAD, distance in millionths)
 * and comparisons are integer cross-products. Pure: times come in as ms.
 */
#ifndef ALERT_H
#define ALERT_H

#include <stdbool.h>
#include <stdint.h>

#include "core/u256.h"

enum alert_field {
    ALERT_HEALTH_FACTOR, /* value: WAD */
    ALERT_DISTANCE,      /* value: millionths (5 % is 50000), signed */
    ALERT_TTL,           /* time_to_liquidation, value: seconds */
    ALERT_LIQUIDATABLE,  /* flags: no value */
    ALERT_BAD_DEBT,
    ALERT_GATE,      /* a gate (pause, grace period, sentinel) forbids it */
    ALERT_GATE_OPEN, /* liquidatable and no gate forbids a call */
    ALERT_FIELD_COUNT
};

enum alert_op { ALERT_LT, ALERT_LE, ALERT_GT, ALERT_GE, ALERT_FLAG };

struct alert_cond {
    enum alert_field field;
    enum alert_op op;
    bool negate;     /* "not FLAG" */
    struct u256 wad; /* health_factor's threshold */
    int64_t value;   /* distance's (millionths) or ttl's (seconds) */
};

/* What a condition may look at, for one position now. A figure that is
 * not known (no price, no debt for distance, no interest rates for ttl)
 * meets no comparison. */
struct alert_figures {
    bool priced;
    bool has_debt;
    bool liquidatable;
    bool bad_debt;
    struct u256 hf; /* WAD, with has_debt */
    bool has_distance;
    struct u256 price;     /* the main collateral's, base units */
    struct u256 liq_price; /* its liquidation price alone */
    bool has_ttl;
    int64_t ttl_s;
    bool gated;
};

bool alert_cond_holds(const struct alert_cond *c,
                      const struct alert_figures *f);

/* Names of the fields as rules write them ("health_factor", ...), and
 * whether a field needs the figure (distance: a liquidation price; the
 * gates: a liquidation call) so that callers compute it only then. */
const char *alert_field_name(enum alert_field f);

/* One rule's state for one position. */
enum alert_state {
    ALERT_ARMED,  /* may fire when `when` holds */
    ALERT_FIRED,  /* fired; waits for `clear` */
    ALERT_COOLING /* armed, `when` holds, the cooldown has not passed */
};

struct alert_track {
    uint8_t state; /* enum alert_state */
    bool ever;     /* fired_ms is set */
    bool queued;   /* in the caller's list of pairs to look at again */
    int64_t fired_ms;
};

enum alert_event { ALERT_NONE, ALERT_FIRE, ALERT_CLEAR };

/*
 * One evaluation: `when` and `clear` as they hold now, at now_ms. A rule
 * fires when `when` holds and it is armed, unless it fired less than
 * cooldown_ms ago (then it waits, cooling, and fires at the first
 * evaluation after the cooldown at which `when` still holds); once fired
 * it fires again only after `clear` has held (event ALERT_CLEAR). A now_ms
 * before the last firing (the clock went back) counts as cooled.
 */
enum alert_event alert_step(struct alert_track *t, bool when, bool clear,
                            int64_t now_ms, int64_t cooldown_ms);

#endif
