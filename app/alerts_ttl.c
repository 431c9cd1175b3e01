/*
 * alerts_ttl.c: time_to_liquidation rules judged as time passes, with no
 * tick and no block. A position's time_to_liquidation is the least whole
 * second after its market's as_of at which interest alone leaves it
 * liquidatable, the figure snapshot prints. A rule sees that figure at
 * the start of the watch, and from then on what is left of it as the wall
 * clock runs: the figure less the seconds since the later of as_of and
 * the watch's start (a book of an old as_of counts from the start, as
 * its figures are the book's; one a chain source keeps at the newest
 * block counts from that), 0 once passed. The moment it names is fixed
 * while the position, its market and its prices are, so a ttl comparison
 * against X seconds can change only at the second the rest crosses X;
 * each position a ttl rule judged keeps the next such second (per
 * position, and in a min-heap), and one timer on the loop wakes at the
 * earliest. It judges the positions due then, and only those (with the
 * pairs cooling down, as a tick does): at most one wake a second, work in
 * proportion to the positions whose comparison may have changed, never
 * the whole book. (A replay's ticks keep their own time for cooldowns and
 * event lines; the ttl's rest is the wall clock's, as the gates are.)
 *
 * Owns the heap, the per-position seconds and the timer (closed by
 * alerts_ttl_stop); the judging is alerts.c's. Never draws, never blocks.
 */
#include "app/alerts_int.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

int64_t
alerts_ttl_clock_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t
alerts_ttl_left(int64_t liq_at_s, int64_t from_s, int64_t now_ms)
{
    int64_t now_s = now_ms / 1000;

    if (now_s < from_s)
        now_s = from_s; /* never before the figure's own moment */
    return liq_at_s > now_s ? liq_at_s - now_s : 0;
}

static void
alerts_ttl_swap(struct alerts_due *a, struct alerts_due *b)
{
    struct alerts_due t = *a;

    *a = *b;
    *b = t;
}

static void
alerts_ttl_push(struct alerts *al, int64_t at_s, uint32_t idx)
{
    size_t i;

    if (al->nheap == al->capheap) {
        al->capheap = al->capheap ? al->capheap * 2 : 256;
        al->heap = realloc(al->heap, al->capheap * sizeof *al->heap);
        if (al->heap == NULL)
            abort();
    }
    i = al->nheap++;
    al->heap[i] = (struct alerts_due){at_s, idx};
    while (i > 0 && al->heap[(i - 1) / 2].at_s > al->heap[i].at_s) {
        alerts_ttl_swap(&al->heap[(i - 1) / 2], &al->heap[i]);
        i = (i - 1) / 2;
    }
}

static void
alerts_ttl_pop(struct alerts *al)
{
    size_t i = 0;

    al->heap[0] = al->heap[--al->nheap];
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;

        if (l < al->nheap && al->heap[l].at_s < al->heap[m].at_s)
            m = l;
        if (r < al->nheap && al->heap[r].at_s < al->heap[m].at_s)
            m = r;
        if (m == i)
            return;
        alerts_ttl_swap(&al->heap[m], &al->heap[i]);
        i = m;
    }
}

/* Entries left behind by a position's newer second: the heap rebuilt
 * from the per-position seconds once they outnumber the live ones. */
static void
alerts_ttl_compact(struct alerts *al)
{
    if (al->nheap < 1024 || al->nheap < 4 * al->ndue)
        return;
    al->nheap = 0;
    for (uint32_t i = 0; i < al->npos; i++)
        if (al->due[i] != 0)
            alerts_ttl_push(al, al->due[i], i);
}

static void alerts_ttl_cb(uv_timer_t *h);

void
alerts_ttl_arm(struct alerts *al)
{
    int64_t now_ms, at_ms;

    if (al->draining)
        return;
    while (al->nheap > 0 &&
           al->due[al->heap[0].idx] != al->heap[0].at_s) /* stale */
        alerts_ttl_pop(al);
    if (al->nheap == 0) {
        if (al->ttl_open)
            (void)uv_timer_stop(&al->ttl_timer);
        return;
    }
    if (!al->ttl_open) {
        if (uv_timer_init(al->loop, &al->ttl_timer) != 0)
            return;
        al->ttl_timer.data = al;
        al->ttl_open = true;
    }
    now_ms = alerts_ttl_clock_ms();
    at_ms = al->heap[0].at_s * 1000;
    /* at least a millisecond: a timer a hair early arms itself again */
    (void)uv_timer_start(&al->ttl_timer, alerts_ttl_cb,
                         at_ms > now_ms ? (uint64_t)(at_ms - now_ms) : 1, 0);
}

void
alerts_ttl_note(struct alerts *al, uint32_t idx, bool has_ttl, int64_t liq_at_s,
                int64_t now_ms)
{
    int64_t now_s = now_ms / 1000, due = 0;

    if (idx >= al->npos)
        return;
    for (size_t k = 0; has_ttl && k < al->nrules; k++) {
        const struct alerts_rule *r = &al->rules[k];
        const struct alert_cond *c[2] = {&r->when, &r->clear};

        if (r->only != NULL && !((r->only[idx / 64] >> (idx % 64)) & 1))
            continue;
        for (int j = 0; j < 2; j++) {
            /* left < X from the second liq_at - X + 1, left <= X from
             * liq_at - X: the next of the two still to come */
            int64_t s = liq_at_s - c[j]->value;

            if (c[j]->field != ALERT_TTL)
                continue;
            for (int64_t t = s; t <= s + 1; t++)
                if (t > now_s && (due == 0 || t < due))
                    due = t;
        }
    }
    if (due == al->due[idx])
        return;
    al->ndue += (due != 0) - (al->due[idx] != 0);
    al->due[idx] = due;
    if (due != 0) {
        bool earliest = al->nheap == 0 || due < al->heap[0].at_s;

        alerts_ttl_push(al, due, idx);
        alerts_ttl_compact(al);
        if (earliest && !al->judging)
            alerts_ttl_arm(al);
    }
}

static void
alerts_ttl_cb(uv_timer_t *h)
{
    struct alerts *al = h->data;
    int64_t now_ms = alerts_ttl_clock_ms(), now_s = now_ms / 1000;
    uint32_t *idx = NULL;
    size_t n = 0, cap = 0;

    if (al->busy != NULL && al->busy(al->busy_ctx)) {
        /* the book is a worker's: look again soon */
        (void)uv_timer_start(&al->ttl_timer, alerts_ttl_cb, 20, 0);
        return;
    }
    while (al->nheap > 0 && al->heap[0].at_s <= now_s) {
        struct alerts_due d = al->heap[0];

        alerts_ttl_pop(al);
        if (al->due[d.idx] != d.at_s)
            continue; /* stale: the position has a newer second */
        al->due[d.idx] = 0;
        al->ndue--;
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            idx = realloc(idx, cap * sizeof *idx);
            if (idx == NULL)
                abort();
        }
        idx[n++] = d.idx;
    }
    al->judging = true;
    alerts_judge(al, NULL, 0, idx, n, now_ms);
    al->judging = false;
    free(idx);
    alerts_ttl_arm(al);
}

void
alerts_ttl_grow(struct alerts *al, uint32_t had, uint32_t n)
{
    al->due = realloc(al->due, ((size_t)n + 1) * sizeof *al->due);
    if (al->due == NULL)
        abort();
    memset(al->due + had, 0, ((size_t)n + 1 - had) * sizeof *al->due);
}

void
alerts_ttl_stop(struct alerts *al)
{
    if (!al->ttl_open)
        return;
    al->ttl_open = false;
    (void)uv_timer_stop(&al->ttl_timer);
    uv_close((uv_handle_t *)&al->ttl_timer, NULL);
}
