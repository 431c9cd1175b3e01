/*
 * preview_gate.c: preview's table words for a gate (design.md 4.1: a
 * paused reserve, a grace period, the price oracle sentinel, a collateral
 * not enabled, Euler's cool-off): what stops the call and the moment it
 * opens, in UTC. Moved out of cmd_preview.c unchanged; owns the wording
 * only.
 */
#include "app/preview_gate.h"

#include "app/preview_line.h"

#include <stdio.h>
#include <time.h>

static const char *
gate_sym(const struct book *b, const struct market *m, uint8_t asset)
{
    return book_symbol_name(b, m->assets[asset].sym);
}

/* Unix seconds as "2024-12-01 21:00:00 UTC". */
static void
utc_text(char *buf, size_t cap, int64_t t)
{
    time_t tt = (time_t)t;
    struct tm tm;

    if (gmtime_r(&tt, &tm) == NULL ||
        strftime(buf, cap, "%Y-%m-%d %H:%M:%S UTC", &tm) == 0)
        snprintf(buf, cap, "%lld", (long long)t);
}

/* What a gate (design.md 4.1) means for this call, in words, with the
 * moment it opens. */
void
preview_gate_words(FILE *out, const struct book *b, const struct market *m,
                   enum liq_revert r, uint8_t da, uint8_t ca)
{
    const struct market_sentinel *s = &m->sentinel;
    char t[64], buf[256];

    switch (r) {
    case REVERT_PAUSED:
        snprintf(buf, sizeof buf, "reserve %s is paused",
                 m->assets[ca].paused ? gate_sym(b, m, ca)
                                      : gate_sym(b, m, da));
        preview_line(out, "", buf, "(no liquidation until it is unpaused)");
        break;
    case REVERT_GRACE_PERIOD: {
        uint8_t a =
            m->assets[ca].grace_until >= m->assets[da].grace_until ? ca : da;

        utc_text(t, sizeof t, m->assets[a].grace_until);
        snprintf(buf, sizeof buf,
                 "%s is in its liquidation grace period until %s",
                 gate_sym(b, m, a), t);
        preview_line(out, "", buf, NULL);
        utc_text(t, sizeof t, m->assets[a].grace_until + 1);
        snprintf(buf, sizeof buf, "liquidation opens at %s", t);
        preview_line(out, "", buf, "(the first second after it)");
        break;
    }
    case REVERT_SENTINEL:
        if (!s->sequencer_up) {
            preview_line(out, "",
                         "the sequencer is down (price oracle sentinel)", NULL);
            preview_line(
                out, "",
                "at health 0.95 or above, liquidation waits until it has "
                "been up",
                NULL);
            snprintf(buf, sizeof buf, "for more than its grace period (%lld s)",
                     (long long)s->grace_period);
            preview_line(out, "", buf, NULL);
        } else {
            utc_text(t, sizeof t, s->up_since);
            snprintf(buf, sizeof buf, "the sequencer is up since %s", t);
            preview_line(out, "", buf, "(price oracle sentinel)");
            utc_text(t, sizeof t, s->up_since + s->grace_period + 1);
            snprintf(buf, sizeof buf,
                     "at health 0.95 or above, liquidation opens at %s", t);
            preview_line(out, "", buf, "(after its grace period)");
        }
        break;
    case REVERT_COLLATERAL_NOT_ENABLED:
        snprintf(buf, sizeof buf, "%s is supplied but not used as collateral",
                 gate_sym(b, m, ca));
        preview_line(out, "", buf, "(it cannot be seized)");
        break;
    case REVERT_COOL_OFF:
        utc_text(t, sizeof t, m->view.last_check);
        snprintf(buf, sizeof buf, "last account status check at %s", t);
        preview_line(out, "", buf, NULL);
        utc_text(t, sizeof t, m->view.last_check + (int64_t)m->euler.cool_off);
        snprintf(buf, sizeof buf, "liquidation opens at %s", t);
        preview_line(out, "", buf, "(after the vault's liquidation cool-off)");
        break;
    default:
        break;
    }
}
