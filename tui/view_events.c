/*
 * view_events.c: the header's price strip (each symbol's price, its change
 * since the first price seen, stale marked) and the event log pane below
 * the table, newest first, each entry with its time (UTC, HH:MM:SS).
 *
 * Owns their look only; what the log holds is tui/eventlog.c's.
 */
#include <stdio.h>
#include <string.h>

#include "tui/eventlog.h"
#include "tui/fmt.h"
#include "tui/view.h"

void
view_prices(struct frame *f, const struct layout *l, struct ui *u, int row)
{
    int x = 1;
    struct u256 thousand = u256_zero();

    (void)u256_mul(&thousand, u256_from_u64(1000),
                   u256_from_u64(1000000000000000000ULL));
    frame_fill(f, row, 0, l->cols, ' ', ROLE_HEADER);
    for (uint32_t s = 0; s < book_symbol_count(u->book); s++) {
        struct u256 p;
        char num[64], chg[32], item[160];
        int64_t bps = 0;
        bool stale = s < u->nstale && u->stale[s];
        int w;

        if (!book_price_get(u->book, s, &p, NULL))
            continue;
        /* Two places from 1,000 up, four below (a depeg to 0.9981 shows;
         * the detail pane has every place). */
        fmt_amount(num, sizeof(num), p, PRICE_DECIMALS,
                   u256_lt(p, thousand) ? 4 : 2);
        chg[0] = '\0';
        /* A change that rounds to 0.0 % is left out: room for more. */
        if (u->log != NULL && eventlog_change_bps(u->log, s, &bps) &&
            (bps <= -10 || bps >= 10))
            snprintf(chg, sizeof(chg), " %c%lld.%lld%%", bps < 0 ? '-' : '+',
                     (long long)((bps < 0 ? -bps : bps) / 100),
                     (long long)((bps < 0 ? -bps : bps) % 100 / 10));
        snprintf(item, sizeof(item), "%s %s", book_symbol_name(u->book, s),
                 num);
        w = frame_text_cells(item) + frame_text_cells(chg) + (stale ? 6 : 0) +
            2;
        if (x + w > l->cols)
            break;
        x += frame_put(f, row, x, -1, stale ? ROLE_STALE : ROLE_HEADER, item);
        if (chg[0] != '\0')
            x += frame_put(f, row, x, -1,
                           bps <= -100  ? ROLE_TIER_DANGER
                           : bps >= 100 ? ROLE_GOOD
                                        : ROLE_HEADER,
                           chg);
        if (stale)
            x += frame_put(f, row, x, -1, ROLE_STALE, " STALE");
        x += 2;
    }
}

/* ms since the epoch as HH:MM:SS of its UTC day. */
static void
view_clock(char *buf, size_t cap, int64_t ts_ms)
{
    int64_t s = ts_ms / 1000 % 86400;

    if (s < 0)
        s += 86400;
    snprintf(buf, cap, "%02d:%02d:%02d", (int)(s / 3600), (int)(s / 60 % 60),
             (int)(s % 60));
}

void
view_events(struct frame *f, const struct layout *l, struct ui *u)
{
    struct eventlog *e = u->log;
    int row = l->events.row, rows = l->events.rows;
    char line[160], cnt[32];

    if (rows < 2 || e == NULL)
        return;
    for (int y = row; y < row + rows; y++)
        frame_fill(f, y, 0, l->cols, ' ', ROLE_TEXT);
    frame_fill(f, row, 0, l->cols, '-', ROLE_BORDER);
    fmt_count(cnt, sizeof(cnt), e->total);
    if (e->scroll > 0)
        snprintf(line, sizeof(line),
                 " events (%s), %u back from the newest: < > scroll ", cnt,
                 (unsigned)e->scroll);
    else
        snprintf(line, sizeof(line), " events (%s), newest first ", cnt);
    frame_put(f, row, 2, l->cols - 4, ROLE_TITLE, line);
    if (e->n == 0) {
        frame_put(f, row + 1, 1, l->cols - 2, ROLE_DIM,
                  "tier changes, bad debt, feed states and price moves of "
                  "2 % or more show here");
        return;
    }
    if (e->scroll + (uint32_t)(rows - 1) > e->n)
        e->scroll =
            e->n > (uint32_t)(rows - 1) ? e->n - (uint32_t)(rows - 1) : 0;
    for (int r = 1; r < rows; r++) {
        const struct eventlog_entry *x =
            eventlog_at(e, e->scroll + (uint32_t)(r - 1));
        char clock[16];

        if (x == NULL)
            break;
        view_clock(clock, sizeof(clock), x->ts_ms);
        frame_put(f, row + r, 1, 8, ROLE_DIM, clock);
        frame_put(f, row + r, 10, l->cols - 11, x->role, x->text);
    }
}
