/*
 * alerts.h: the alert rules of --alerts RULES.json (design.md section 9)
 * watching a book on the loop: which positions each rule covers, each
 * rule's hysteresis per position, the event lines, and their actions.
 *
 * Owns struct alerts (rules, per-position state, actions). Rules are
 * evaluated on the positions a tick recomputed (the holders of the moved
 * symbols), never by scanning the book per tick; the whole book is looked
 * at once, on the first evaluation. Time is the feed's: the newest tick's
 * ts (ms since the epoch), so a replay's cooldowns follow its own clock;
 * time_to_liquidation counts down with the wall clock from the later of
 * as_of and the watch's start, and a timer on the loop
 * (app/alerts_ttl.c) judges again, with no tick, the positions whose ttl
 * comparison the passing seconds change.
 */
#ifndef ALERTS_H
#define ALERTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <uv.h>

#include "core/book.h"

struct alerts;

/* What a listener is told of each event (borrowed for the call). */
struct alerts_event {
    const char *line; /* the JSON line, no newline */
    const char *rule;
    const char *position;
    bool fired; /* else cleared */
};
typedef void (*alerts_listener_fn)(void *ctx, const struct alerts_event *e);

/*
 * Read RULES.json for book b (borrowed for the alerts' life). On bad input
 * returns LIQ_EPARSE or LIQ_EINVAL with one message in err naming where
 * ("rules.json:3:7: ..." for syntax, "rules.json: rules[0].when: ..."
 * for meaning). The caller frees with alerts_free.
 */
int alerts_load(struct alerts **out, uv_loop_t *loop, struct book *b,
                const char *path, char *err, size_t errlen);
/*
 * Read path again (SIGHUP): on success the new rules and actions replace
 * the old (each rule of an old name keeps its state per position; the old
 * actions deliver what they hold, then close) and the whole book is
 * judged again at the next tick; on failure nothing changes and err says
 * why.
 */
int alerts_reload(struct alerts *al, const char *path, char *err,
                  size_t errlen);
/* Start the actions' handles (the ttl timer starts with the first
 * judging that needs it). */
int alerts_start(struct alerts *al);
/* While busy(ctx) is true the book is another thread's (app/app_work.h):
 * what the alerts judge by the clock alone (time_to_liquidation rules)
 * waits for it. Unset: never busy. */
void alerts_set_busy(struct alerts *al, bool (*busy)(void *ctx), void *ctx);
/* While on, a judging's events are kept, in order, instead of told: the
 * judging can then run on the thread that has the book (app_work.c),
 * the loop thread leaving the alerts alone meanwhile. alerts_flush, on
 * the loop thread, tells the kept events (actions, listeners, counts). */
void alerts_defer(struct alerts *al, bool on);
void alerts_flush(struct alerts *al);
/*
 * After book_update: evaluate the holders of syms[0, nsyms) (the symbols
 * whose prices moved), and the positions cooling down, at now_ms; the
 * first call evaluates every position. Events go to every action and to
 * the listener.
 */
void alerts_tick(struct alerts *al, const uint32_t *syms, uint32_t nsyms,
                 int64_t now_ms);
/* Call fn(ctx, event) for each event, in the loop, after the actions have
 * it (the dashboard: its bell and status line; an event log pane). At
 * most ALERTS_LISTENERS; LIQ_ELIMIT beyond. fn must only change state. */
#define ALERTS_LISTENERS 4
int alerts_add_listener(struct alerts *al, alerts_listener_fn fn, void *ctx);
/* Deliver what the actions hold (for at most a few seconds, then what is
 * left counts as failed) and close their handles and the ttl timer;
 * uv_run then drains. */
void alerts_stop(struct alerts *al);
/* Counts for reports and the status line. */
uint64_t alerts_fired(const struct alerts *al);
uint64_t alerts_actions_failed(const struct alerts *al);
/* The newest action failure ("" none), for a status line. */
const char *alerts_last_error(const struct alerts *al);
/* The report's members: "alerts_fired": N, "alerts_cleared": N,
 * "actions_failed": N, "actions": [...], each followed by ", ". */
void alerts_report_json(const struct alerts *al, FILE *out);
/* After the loop has run the close callbacks; NULL is a no-op. */
void alerts_free(struct alerts *al);

#endif
