/*
 * alerts_int.h: the inside of struct alerts, shared by alerts.c (the
 * evaluation, events and actions) and alerts_rules.c (reading the rules).
 * Nothing else includes it.
 */
#ifndef ALERTS_INT_H
#define ALERTS_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <uv.h>

#include "app/alert_act.h"
#include "app/alerts.h"
#include "core/alert.h"

#define ALERTS_DRAIN_MS 10000 /* at exit, time for actions to deliver */
#define ALERTS_LINE 4096

struct alerts_rule {
    char name[64];
    struct alert_cond when, clear;
    bool has_clear;
    int64_t cooldown_ms;
    uint64_t *only;  /* a bit a position covered; NULL: every position */
    uint32_t only_n; /* the positions only[] has bits for */
    char *filter;    /* "filter": positions added later are tested too */
};

/* A position whose ttl comparison may change at second at_s. */
struct alerts_due {
    int64_t at_s;
    uint32_t idx;
};

struct alerts {
    uv_loop_t *loop;
    struct book *book;
    struct alerts_rule *rules;
    size_t nrules;
    struct alert_act **acts;
    size_t nacts;
    bool need_distance, need_gate, need_ttl;

    /* (rule, position) -> track: key rule << 32 | position, plus 1 */
    uint64_t *tkey;
    struct alert_track *tval;
    size_t tcap, tn;
    uint64_t *cooling; /* keys whose track may be cooling */
    size_t ncooling, capcooling;

    uint32_t npos;   /* the positions stamp[] and tracked[] cover */
    uint32_t *stamp; /* per position: the tick that last evaluated it */
    /* a bit a position that has (or had) a track under some rule: one
     * without it, outside every rule's condition, needs no look-up */
    uint64_t *tracked;
    uint32_t epoch;
    bool first_done;

    uint64_t fired, cleared;
    alerts_listener_fn listener[ALERTS_LISTENERS];
    void *listener_ctx[ALERTS_LISTENERS];
    size_t nlisteners;
    uv_timer_t drain;
    bool drain_open, draining;
    uint64_t drain_started;

    /* time_to_liquidation as time passes (alerts_ttl.c): per position
     * the next second its ttl comparison may change (0: none), those in
     * a min-heap (with stale entries, skipped), one timer */
    int64_t *due;
    size_t ndue;
    struct alerts_due *heap;
    size_t nheap, capheap;
    uv_timer_t ttl_timer;
    bool ttl_open, judging;
    /* the book another thread's (app_work.h): the ttl judging waits */
    bool (*busy)(void *ctx);
    void *busy_ctx;
    int64_t clock_ms; /* the wall clock of this judging */
    int64_t start_s;  /* the watch's start, wall clock seconds */

    /* Events kept while deferred (alerts_defer), each a fired byte then
     * the rule's name, the position's id and the line, NUL-ended. */
    bool defer;
    char *held;
    size_t nheld, capheld;

    /* Actions replaced by a reload: delivering, then freed at the end. */
    struct alert_act **retired;
    size_t nretired;
};

/* Read the rules file's text into al (rules, actions, cooldowns); 0, or
 * an error with the message in err naming the JSON path. */
int alerts_rules_read(struct alerts *al, const char *file, const char *text,
                      size_t len, char *err, size_t errlen);

/* Whether position idx's id, label, market or an asset contains text
 * (case ignored): a rule's "filter". */
bool alerts_rules_matches(struct book *b, uint32_t idx, const char *text);

/*
 * Judge, at now_ms: the holders of syms[0, nsyms), the positions
 * idx[0, nidx), and the pairs cooling down; every position on the first
 * call (alerts_tick is this with no idx).
 */
void alerts_judge(struct alerts *al, const uint32_t *syms, uint32_t nsyms,
                  const uint32_t *idx, size_t nidx, int64_t now_ms);

/* alerts_ttl.c. The wall clock, ms since the epoch. */
int64_t alerts_ttl_clock_ms(void);
/* What is left at now_ms of a time_to_liquidation counted from from_s,
 * naming the second liq_at_s (0 once passed). */
int64_t alerts_ttl_left(int64_t liq_at_s, int64_t from_s, int64_t now_ms);
/* Position idx judged at now_ms, its ttl naming liq_at_s (has_ttl): the
 * next second its ttl comparisons may change kept, the timer armed. */
void alerts_ttl_note(struct alerts *al, uint32_t idx, bool has_ttl,
                     int64_t liq_at_s, int64_t now_ms);
void alerts_ttl_arm(struct alerts *al);
/* The per-position seconds grown from `had` positions to n. */
void alerts_ttl_grow(struct alerts *al, uint32_t had, uint32_t n);
/* Close the timer (alerts_stop); uv_run then drains it. */
void alerts_ttl_stop(struct alerts *al);

#endif
