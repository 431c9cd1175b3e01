/*
 * alert.c: alert conditions on a position's figures and the hysteresis
 * of one rule for one position.
 *
 * Owns the comparisons (integers only: a distance compares by cross
 * products, never a rounded percentage) and the state machine of
 * alert_step. Pure: no clock, no I/O, no allocation.
 */
#include "core/alert.h"

static const char *const alert_names[ALERT_FIELD_COUNT] = {
    [ALERT_HEALTH_FACTOR] = "health_factor",
    [ALERT_DISTANCE] = "distance",
    [ALERT_TTL] = "time_to_liquidation",
    [ALERT_LIQUIDATABLE] = "liquidatable",
    [ALERT_BAD_DEBT] = "bad_debt",
    [ALERT_GATE] = "gate",
    [ALERT_GATE_OPEN] = "gate_open"};

const char *
alert_field_name(enum alert_field f)
{
    return (unsigned)f < ALERT_FIELD_COUNT ? alert_names[f] : "?";
}

static bool
alert_cmp(int c, enum alert_op op)
{
    switch (op) {
    case ALERT_LT:
        return c < 0;
    case ALERT_LE:
        return c <= 0;
    case ALERT_GT:
        return c > 0;
    case ALERT_GE:
        return c >= 0;
    case ALERT_FLAG:
        break;
    }
    return false;
}

/*
 * distance = (price - liq) / price against x = value / 10^6: the sign of
 * distance - x is that of price 10^6 + max(-value, 0) price against
 * liq 10^6 + max(value, 0) price (price > 0).
 */
static bool
alert_distance(const struct alert_cond *c, const struct alert_figures *f)
{
    struct u256 l, r, t, mill = u256_from_u64(1000000);
    uint64_t mag =
        c->value < 0 ? (uint64_t)(-(c->value + 1)) + 1 : (uint64_t)c->value;

    if (!f->has_distance || u256_is_zero(f->price))
        return false;
    if (u256_mul(&l, f->price, mill) != 0 ||
        u256_mul(&r, f->liq_price, mill) != 0 ||
        u256_mul(&t, f->price, u256_from_u64(mag)) != 0)
        return false;
    if (c->value < 0 ? u256_add(&l, l, t) != 0 : u256_add(&r, r, t) != 0)
        return false;
    return alert_cmp(u256_cmp(l, r), c->op);
}

bool
alert_cond_holds(const struct alert_cond *c, const struct alert_figures *f)
{
    bool v = false;

    if (!f->priced)
        return false;
    switch (c->field) {
    case ALERT_HEALTH_FACTOR:
        /* no debt: health is infinite, above every threshold */
        v = alert_cmp(f->has_debt ? u256_cmp(f->hf, c->wad) : 1, c->op);
        break;
    case ALERT_DISTANCE:
        v = f->has_debt && alert_distance(c, f);
        break;
    case ALERT_TTL:
        v = f->has_ttl &&
            alert_cmp(f->ttl_s < c->value ? -1 : f->ttl_s > c->value, c->op);
        break;
    case ALERT_LIQUIDATABLE:
        v = f->liquidatable;
        break;
    case ALERT_BAD_DEBT:
        v = f->bad_debt;
        break;
    case ALERT_GATE:
        v = f->gated;
        break;
    case ALERT_GATE_OPEN:
        v = f->liquidatable && !f->gated;
        break;
    case ALERT_FIELD_COUNT:
        break;
    }
    return c->op == ALERT_FLAG && c->negate ? !v : v;
}

enum alert_event
alert_step(struct alert_track *t, bool when, bool clear, int64_t now_ms,
           int64_t cooldown_ms)
{
    /* A clock that went back (a replay's ts after the wall clock of the
     * start) starts afresh rather than waiting out the difference. */
    bool cooled =
        !t->ever || now_ms < t->fired_ms || now_ms - t->fired_ms >= cooldown_ms;

    switch ((enum alert_state)t->state) {
    case ALERT_FIRED:
        if (!clear)
            return ALERT_NONE;
        t->state = ALERT_ARMED;
        return ALERT_CLEAR;
    case ALERT_COOLING:
        if (!when) {
            t->state = ALERT_ARMED;
            return ALERT_NONE;
        }
        break;
    case ALERT_ARMED:
        if (!when)
            return ALERT_NONE;
        break;
    }
    if (!cooled) {
        t->state = ALERT_COOLING;
        return ALERT_NONE;
    }
    t->state = ALERT_FIRED;
    t->ever = true;
    t->fired_ms = now_ms;
    return ALERT_FIRE;
}
