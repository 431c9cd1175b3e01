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

#endif
