/*
 * test_views.c: every view rendered into a frame from the demo book (the
 * Aave v3 state fixture for the cases named state-, the euler-v2 one for
 * those named euler-) at
 * 120x40, 80x24 and 40x10, compared with the committed goldens in
 * tests/view/golden/ (text, then the role of every cell as a letter).
 * GOLDEN=1 (make golden) writes them instead; review diffs like code.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/portfolio.h"
#include "tests/common/testutil.h"
#include "tui/eventlog.h"
#include "tui/text.h"
#include "tui/view.h"

struct view_case {
    const char *name;
    int cols, rows;
    enum ui_mode mode;
    const char *select; /* position id, or NULL for the top one */
    bool help;
    bool redact;
    const char *filter;
    int help_top; /* help scrolled this far (clamped by the view) */
    bool frozen;  /* frozen, with a WETH what-if of -5 % */
    enum ui_sort sort;
    bool reverse;
};

static const struct view_case cases[] = {
    {"table", 120, 40, UI_TABLE, NULL, false, false, NULL, 0, false,
     SORT_HEALTH, false},
    {"table", 80, 24, UI_TABLE, NULL, false, false, NULL, 0, false, SORT_HEALTH,
     false},
    {"table", 40, 10, UI_TABLE, NULL, false, false, NULL, 0, false, SORT_HEALTH,
     false},
    {"detail", 120, 40, UI_DETAIL, "basis-fund", false, false, NULL, 0, false,
     SORT_HEALTH, false},
    {"detail", 80, 24, UI_DETAIL, "alice", false, false, NULL, 0, false,
     SORT_HEALTH, false},
    {"detail", 40, 10, UI_DETAIL, "alice", false, false, NULL, 0, false,
     SORT_HEALTH, false},
    {"preview", 120, 40, UI_PREVIEW, "alice", false, false, NULL, 0, false,
     SORT_HEALTH, false},
    {"preview", 80, 24, UI_PREVIEW, "steth-loop", false, false, NULL, 0, false,
     SORT_HEALTH, false},
    {"preview", 40, 10, UI_PREVIEW, "alice", false, false, NULL, 0, false,
     SORT_HEALTH, false},
    {"help", 80, 24, UI_TABLE, NULL, true, false, NULL, 0, false, SORT_HEALTH,
     false},
    {"help-end", 80, 24, UI_TABLE, NULL, true, false, NULL, 1000, false,
     SORT_HEALTH, false},
    {"help", 40, 10, UI_TABLE, NULL, true, false, NULL, 0, false, SORT_HEALTH,
     false},
    {"redacted", 80, 24, UI_DETAIL, "alice", false, true, NULL, 0, false,
     SORT_HEALTH, false},
    {"filter", 120, 40, UI_TABLE, NULL, false, false, "WBTC", 0, false,
     SORT_HEALTH, false},
    {"filter", 80, 24, UI_TABLE, NULL, false, false, "WBTC", 0, false,
     SORT_HEALTH, false},
    {"filter", 40, 10, UI_TABLE, NULL, false, false, "WBTC", 0, false,
     SORT_HEALTH, false},
    {"filter-stale", 80, 24, UI_TABLE, NULL, false, false, "stale tier:ok,warn",
     0, false, SORT_HEALTH, false},
    {"filter-terms", 80, 24, UI_TABLE, NULL, false, false, "hf<1.5 market:aave",
     0, false, SORT_HEALTH, false},
    {"sort-debt", 120, 40, UI_TABLE, NULL, false, false, NULL, 0, false,
     SORT_DEBT, false},
    {"sort-dist-reversed", 80, 24, UI_TABLE, NULL, false, false, NULL, 0, false,
     SORT_DIST, true},
    {"sort-id", 40, 10, UI_TABLE, NULL, false, false, NULL, 0, false, SORT_ID,
     false},
    {"whatif", 40, 10, UI_TABLE, NULL, false, false, NULL, 0, true, SORT_HEALTH,
     false},
    {"whatif", 80, 24, UI_TABLE, NULL, false, false, NULL, 0, true, SORT_HEALTH,
     false},
    /* alice with 10,000 USDC typed: above what one call may take */
    {"preview-capped", 80, 24, UI_PREVIEW, "alice", false, false, NULL, 0,
     false, SORT_HEALTH, false},
    /* "state-": the Aave v3 state fixture; eMode and a disabled
     * collateral, then a grace period in the detail and preview panes */
    {"state-emode", 80, 24, UI_DETAIL, "loop-off", false, false, NULL, 0, false,
     SORT_HEALTH, false},
    {"state-gate", 80, 24, UI_DETAIL, "deep", false, false, NULL, 0, false,
     SORT_HEALTH, false},
    /* the preview of the same position: the gate named where the least
     * call would be, and as the call's revert */
    {"state-gate-preview", 80, 24, UI_PREVIEW, "deep", false, false, NULL, 0,
     false, SORT_HEALTH, false},
    /* "euler-": the euler-v2 fixture; a vault at 5.879 assets a share:
     * the legs and the call in the assets the shares are worth; shares
     * of the controller vault itself, which is no collateral of it */
    {"euler-detail", 80, 24, UI_DETAIL, "rate", false, false, NULL, 0, false,
     SORT_HEALTH, false},
    {"euler-mixed", 80, 24, UI_DETAIL, "mixed", false, false, NULL, 0, false,
     SORT_HEALTH, false},
    {"euler-preview", 80, 24, UI_PREVIEW, "rate", false, false, NULL, 0, false,
     SORT_HEALTH, false},
    /* "events": WETH falls 8 % after the log started: the price strip's
     * change, tier changes, a story chapter and a feed state */
    {"events", 120, 40, UI_TABLE, NULL, false, false, NULL, 0, false,
     SORT_HEALTH, false},
    {"events", 80, 24, UI_TABLE, NULL, false, false, NULL, 0, false,
     SORT_HEALTH, false},
    {"events", 40, 10, UI_TABLE, NULL, false, false, NULL, 0, false,
     SORT_HEALTH, false},
    {"events-scrolled", 80, 24, UI_TABLE, NULL, false, false, NULL, 0, false,
     SORT_HEALTH, false},
    {"events-preview", 120, 40, UI_PREVIEW, "alice", false, false, NULL, 0,
     false, SORT_HEALTH, false},
    /* --target-health 1.05: in the header, and alice's (aave-v3) preview
     * restores it (liqtop preview --target-health 1.05: 7,346.938776 USDC
     * repaid, 3.8571428574 WETH sold); with 1.2, dave's Aave v4 market
     * keeps its own 1.05 */
    {"preview-target", 120, 40, UI_PREVIEW, "alice", false, false, NULL, 0,
     false, SORT_HEALTH, false},
    {"preview-target-v4", 80, 24, UI_PREVIEW, "dave", false, false, NULL, 0,
     false, SORT_HEALTH, false},
    /* "pre-": WETH at 1,840 puts nina (morpho-pre) in the pre-liquidation
     * band: the PRE tier, the header's count, its filter, the distances
     * to pre-liquidation and liquidation, the call and avoid */
    {"pre-table", 120, 40, UI_TABLE, NULL, false, false, NULL, 0, false,
     SORT_HEALTH, false},
    {"pre-filter", 80, 24, UI_TABLE, NULL, false, false, "tier:pre", 0, false,
     SORT_HEALTH, false},
    {"pre-filter", 40, 10, UI_TABLE, NULL, false, false, "tier:pre", 0, false,
     SORT_HEALTH, false},
    {"pre-detail", 120, 40, UI_DETAIL, "nina", false, false, NULL, 0, false,
     SORT_HEALTH, false},
    {"pre-detail", 80, 24, UI_DETAIL, "nina", false, false, NULL, 0, false,
     SORT_HEALTH, false},
    {"pre-detail", 40, 10, UI_DETAIL, "nina", false, false, NULL, 0, false,
     SORT_HEALTH, false},
    {"pre-preview", 120, 40, UI_PREVIEW, "nina", false, false, NULL, 0, false,
     SORT_HEALTH, false},
    {"pre-preview", 80, 24, UI_PREVIEW, "nina", false, false, NULL, 0, false,
     SORT_HEALTH, false},
    {"pre-preview", 40, 10, UI_PREVIEW, "nina", false, false, NULL, 0, false,
     SORT_HEALTH, false},
    {"pre-avoid", 80, 24, UI_PREVIEW, "nina", false, false, NULL, 0, false,
     SORT_HEALTH, false},
};

/* WETH at 1,840 (from 2,000), the "pre-" cases' prices. */
static void
weth_at_1840(struct book *b)
{
    uint32_t weth;
    struct u256 p = u256_zero();

    ck_assert_int_eq(book_symbol_find(b, "WETH", 4, &weth), 0);
    ck_assert_int_eq(u256_mul(&p, u256_from_u64(1840),
                              u256_from_u64(1000000000000000000ULL)),
                     0);
    ck_assert_int_eq(book_price_set(b, weth, p, 1732400012000LL), 0);
    book_update(b);
}

/* The log of the "events" cases: a feed going live, the crash chapter,
 * then WETH at 1,840 (from 2,000), at fixed times. */
static void
events_story(struct eventlog *e, struct book *b)
{
    uint32_t weth;
    struct u256 p = u256_zero();

    eventlog_add(e, 1732400000000LL, ROLE_FEED_LIVE, "feed sim:42: live");
    eventlog_story(e, 1732400010000LL, "crash: WETH falls about 8 %");
    ck_assert_int_eq(book_symbol_find(b, "WETH", 4, &weth), 0);
    ck_assert_int_eq(u256_mul(&p, u256_from_u64(1840),
                              u256_from_u64(1000000000000000000ULL)),
                     0);
    ck_assert_int_eq(book_price_set(b, weth, p, 1732400012000LL), 0);
    book_update(b);
    eventlog_update(e, 1732400012000LL);
}

static uint64_t
fixed_age(void *ctx, uint32_t sym)
{
    (void)ctx;
    return sym == 0 ? 70000 : 1200;
}

static bool
fixed_stale(void *ctx, uint32_t sym)
{
    return fixed_age(ctx, sym) > 60000;
}

/* The frame as text rows, a blank line, then role letters. */
static char *
frame_dump(const struct frame *f)
{
    size_t cap = (size_t)f->rows * ((size_t)f->cols * 5 + 2) * 2 + 8, n = 0;
    char *out = malloc(cap);

    ck_assert_ptr_nonnull(out);
    for (int r = 0; r < f->rows; r++) {
        size_t end;

        for (int c = 0; c < f->cols; c++) {
            const char *ch = frame_at(f, r, c)->ch;

            memcpy(out + n, ch, strlen(ch));
            n += strlen(ch);
        }
        /* Trailing spaces are not kept, so goldens diff cleanly. */
        end = n;
        while (end > 0 && out[end - 1] == ' ')
            end--;
        n = end;
        out[n++] = '\n';
    }
    out[n++] = '\n';
    for (int r = 0; r < f->rows; r++) {
        for (int c = 0; c < f->cols; c++)
            out[n++] = theme_role_letter((enum role)frame_at(f, r, c)->role);
        out[n++] = '\n';
    }
    out[n] = '\0';
    return out;
}

START_TEST(test_view)
{
    const struct view_case *c = &cases[_i];
    struct book *b = book_new();
    struct ui u;
    struct layout l;
    struct frame *f;
    struct keymap km;
    struct ui_info info;
    struct eventlog log;
    char err[256], path[256], *got, *want = NULL;
    FILE *fp;
    long len;

    ck_assert_msg(portfolio_load(b,
                                 strncmp(c->name, "state-", 6) == 0
                                     ? "tests/fixtures/aave3_state.json"
                                 : strncmp(c->name, "euler-", 6) == 0
                                     ? "tests/fixtures/euler.json"
                                     : "examples/demo.json",
                                 NULL, err, sizeof(err)) == 0,
                  "%s", err);
    book_update(b);
    ui_init(&u, b);
    eventlog_init(&log, b);
    u.log = &log;
    if (strncmp(c->name, "events", 6) == 0)
        events_story(&log, b);
    if (strncmp(c->name, "pre-", 4) == 0)
        weth_at_1840(b);
    if (strcmp(c->name, "events-scrolled") == 0)
        log.scroll = 3;
    input_defaults(&km);
    memset(&info, 0, sizeof(info));
    info.nfeeds = 2;
    snprintf(info.feeds[0].name, sizeof(info.feeds[0].name), "sim:42");
    snprintf(info.feeds[0].state, sizeof(info.feeds[0].state), "live");
    snprintf(info.feeds[1].name, sizeof(info.feeds[1].name), "tcp:127.0.0.1:9");
    snprintf(info.feeds[1].state, sizeof(info.feeds[1].state), "reconnecting");
    info.feeds[1].down = true;
    info.ticks_per_sec = 28;
    info.newest_age_ms = 300;
    info.age_ms = fixed_age;
    info.stale = fixed_stale;
    u.mode = c->mode;
    u.help = c->help;
    u.help_top = c->help_top;
    if (c->frozen) {
        uint32_t weth;

        ck_assert_int_eq(book_symbol_find(b, "WETH", 4, &weth), 0);
        ck_assert_int_eq(book_whatif_set(b, weth, -500), 0);
        book_update(b);
        u.frozen = true;
    }
    u.redact = c->redact;
    u.pv_avoid = strcmp(c->name, "pre-avoid") == 0;
    if (strncmp(c->name, "preview-target", 14) == 0) {
        u.has_target_opt = true;
        u.target_opt = u256_from_u64(strcmp(c->name, "preview-target") == 0
                                         ? 1050000000000000000ULL
                                         : 1200000000000000000ULL);
    }
    if (strcmp(c->name, "preview-capped") == 0) {
        u.pv_has_repay = true;
        u.pv_repay = u256_from_u64(10000000000ULL);
    }
    ui_prepare(&u);
    (void)ui_note_stale(&u, &info);
    if (c->filter != NULL)
        ck_assert(ui_set_filter(&u, c->filter, 0));
    u.sort = c->sort;
    u.reverse = c->reverse;
    if (c->select != NULL)
        snprintf(u.selected, sizeof(u.selected), "%s", c->select);
    ui_refresh(&u, 0, true);
    layout_compute(&l, c->cols, c->rows, c->mode != UI_TABLE);
    f = frame_new(l.rows, l.cols);
    view_render(f, &l, &u, &info, &km, 0);
    got = frame_dump(f);
    snprintf(path, sizeof(path), "tests/view/golden/%s_%dx%d.txt", c->name,
             c->cols, c->rows);
    if (getenv("GOLDEN") != NULL) {
        fp = fopen(path, "w");
        ck_assert_ptr_nonnull(fp);
        fputs(got, fp);
        fclose(fp);
    } else {
        fp = fopen(path, "r");
        ck_assert_msg(fp != NULL, "%s missing: run make golden", path);
        fseek(fp, 0, SEEK_END);
        len = ftell(fp);
        fseek(fp, 0, SEEK_SET);
        want = calloc((size_t)len + 1, 1);
        ck_assert_ptr_nonnull(want);
        ck_assert_uint_eq(fread(want, 1, (size_t)len, fp), (size_t)len);
        fclose(fp);
        ck_assert_msg(strcmp(got, want) == 0,
                      "%s differs from the rendering; if intended, run make "
                      "golden and review the diff. Got:\n%s",
                      path, got);
    }
    free(want);
    free(got);
    frame_free(f);
    ui_done(&u);
    eventlog_done(&log);
    book_free(b);
}
END_TEST

/* Text from files and feeds never carries an escape into a cell. */
START_TEST(test_messages_join)
{
    struct book *b = book_new();
    struct ui u;

    ui_init(&u, b);
    ui_message(&u, true, 1000, "theme: unknown");
    ui_message(&u, true, 1001, "config.json: keys.x: unknown action");
    ck_assert_str_eq(u.msg,
                     "theme: unknown; config.json: keys.x: unknown action");
    /* Once the first has gone, a new error stands alone. */
    ui_message(&u, true, 9000, "later");
    ck_assert_str_eq(u.msg, "later");
    /* A notice replaces an error. */
    ui_message(&u, false, 9001, "what-if");
    ck_assert_str_eq(u.msg, "what-if");
    ui_done(&u);
    book_free(b);
}
END_TEST

START_TEST(test_sanitize)
{
    struct frame *f = frame_new(2, 20);
    int used = frame_put(f, 0, 0, -1, ROLE_TEXT, "a\x1b[31mb\x07\xc3\xa9\xff");

    ck_assert_int_eq(used, 10);
    ck_assert_str_eq(frame_at(f, 0, 1)->ch, "?");
    ck_assert_str_eq(frame_at(f, 0, 7)->ch, "?");
    ck_assert_str_eq(frame_at(f, 0, 8)->ch, "\xc3\xa9");
    ck_assert_str_eq(frame_at(f, 0, 9)->ch, "?");
    frame_free(f);
}
END_TEST

/* Layout at every size down to the minimum keeps regions inside. */
START_TEST(test_layout_sizes)
{
    for (int cols = 30; cols <= 200; cols += 7) {
        for (int rows = 5; rows <= 60; rows += 3) {
            for (int pane = 0; pane < 2; pane++) {
                struct layout l;
                int right = 0;

                layout_compute(&l, cols, rows, pane);
                ck_assert_int_ge(l.cols, LAYOUT_MIN_COLS);
                ck_assert_int_ge(l.rows, LAYOUT_MIN_ROWS);
                ck_assert_int_ge(l.table.rows, 2);
                ck_assert_int_eq(l.status.row, l.rows - 1);
                ck_assert_int_le(l.table.row + l.table.rows + l.pane.rows,
                                 l.status.row);
                /* The event log sits below them, above the status. */
                if (l.events.rows > 0) {
                    ck_assert_int_ge(l.events.row,
                                     l.table.row + l.table.rows + l.pane.rows);
                    ck_assert_int_eq(l.events.row + l.events.rows,
                                     l.status.row);
                }
                ck_assert(l.show[COL_ID] && l.show[COL_HEALTH] &&
                          l.show[COL_TIER]);
                for (int c = 0; c < COL_COUNT; c++) {
                    if (l.show[c] && l.x[c] + l.width[c] > right)
                        right = l.x[c] + l.width[c];
                }
                ck_assert_int_le(right, l.cols);
            }
        }
    }
}
END_TEST

/* Display width: a wide character takes two cells (the second ""), marks
 * stay with their base, a wide character that does not fit is not split,
 * and half-overwritten wide characters are blanked whole. */
START_TEST(test_frame_width)
{
    struct frame *f = frame_new(2, 10);

    ck_assert_int_eq(
        frame_put(f, 0, 0, -1, ROLE_TEXT, "\xe6\xa0\xaa\xe5\xbc\x8fx"), 5);
    ck_assert_str_eq(frame_at(f, 0, 0)->ch, "\xe6\xa0\xaa");
    ck_assert_str_eq(frame_at(f, 0, 1)->ch, "");
    ck_assert_str_eq(frame_at(f, 0, 2)->ch, "\xe5\xbc\x8f");
    ck_assert_str_eq(frame_at(f, 0, 4)->ch, "x");
    ck_assert_int_eq(frame_text_cells("\xe6\xa0\xaa\xe5\xbc\x8fx"), 5);
    /* 3 cells: one wide character, not half of the next */
    ck_assert_int_eq(
        frame_put(f, 1, 0, 3, ROLE_TEXT, "\xe6\xa0\xaa\xe5\xbc\x8f"), 2);
    ck_assert_str_eq(frame_at(f, 1, 2)->ch, " ");
    /* e + U+0301 is one cell */
    ck_assert_int_eq(frame_put(f, 1, 0, -1, ROLE_TEXT, "e\xcc\x81y"), 2);
    ck_assert_str_eq(frame_at(f, 1, 0)->ch, "e\xcc\x81");
    ck_assert_str_eq(frame_at(f, 1, 1)->ch, "y");
    /* writing over a right half blanks its left half */
    frame_put(f, 0, 1, 1, ROLE_TEXT, "z");
    ck_assert_str_eq(frame_at(f, 0, 0)->ch, " ");
    ck_assert_str_eq(frame_at(f, 0, 1)->ch, "z");
    /* writing over a left half blanks its right half */
    frame_put(f, 0, 2, 1, ROLE_TEXT, "w");
    ck_assert_str_eq(frame_at(f, 0, 3)->ch, " ");
    /* the last column cannot hold a wide character */
    ck_assert_int_eq(frame_put(f, 0, 9, -1, ROLE_TEXT, "\xe6\xa0\xaa"), 0);
    /* bidi and C1 are '?' */
    frame_put(f, 1, 0, -1, ROLE_TEXT, "\xe2\x80\xae\xc2\x9b");
    ck_assert_str_eq(frame_at(f, 1, 0)->ch, "?");
    ck_assert_str_eq(frame_at(f, 1, 1)->ch, "?");
    frame_free(f);
}
END_TEST

/* The terminal column where text (ASCII) starts on row, or -1: each
 * cell's text takes its display width there (a wide character 2 columns,
 * the "" that follows it none). */
static int
cell_of(const struct frame *f, int row, const char *text)
{
    size_t n = strlen(text);
    int x = 0;

    for (int c = 0; c + (int)n <= f->cols; c++) {
        size_t k = 0;

        while (k < n && frame_at(f, row, c + (int)k)->ch[0] == text[k] &&
               frame_at(f, row, c + (int)k)->ch[1] == '\0')
            k++;
        if (k == n)
            return x;
        x += (int)text_width(frame_at(f, row, c)->ch);
    }
    return -1;
}

/* The table with alice's label as given: the cell of her debt figure. */
static int
debt_cell(const char *label)
{
    static const char doc[] =
        "{\"markets\": [{\"id\": \"aave-core\", \"model\": \"aave-v3\", "
        "\"assets\": [{\"symbol\": \"WETH\", \"decimals\": 18, "
        "\"liquidation_threshold\": \"0.825\", \"liquidation_bonus\": "
        "\"0.05\"}, {\"symbol\": \"USDC\", \"decimals\": 6, "
        "\"liquidation_threshold\": \"0.78\", \"liquidation_bonus\": "
        "\"0.045\"}]}], \"prices\": {\"WETH\": \"2000\", \"USDC\": \"1\"}, "
        "\"positions\": [{\"id\": \"alice\", \"market\": \"aave-core\", "
        "\"label\": \"%s\", \"collateral\": {\"WETH\": \"10\"}, \"debt\": "
        "{\"USDC\": \"17000\"}}]}";
    char text[1024], err[256];
    struct book *b = book_new();
    struct ui u;
    struct layout l;
    struct frame *f;
    struct keymap km;
    struct ui_info info;
    int cell = -1;

    snprintf(text, sizeof(text), doc, label);
    ck_assert_msg(portfolio_load_text(b, "wide.json", text, strlen(text), NULL,
                                      err, sizeof(err)) == 0,
                  "%s", err);
    book_update(b);
    ui_init(&u, b);
    input_defaults(&km);
    memset(&info, 0, sizeof(info));
    info.age_ms = fixed_age;
    info.stale = fixed_stale;
    ui_refresh(&u, 0, true);
    layout_compute(&l, 100, 12, false);
    f = frame_new(l.rows, l.cols);
    view_render(f, &l, &u, &info, &km, 0);
    for (int r = 0; r < f->rows && cell < 0; r++) {
        if (cell_of(f, r, "alice") >= 0) {
            cell = cell_of(f, r, "17,000.00");
            ck_assert_msg(cell >= 0, "row %d: the debt figure is cut", r);
        }
    }
    frame_free(f);
    ui_done(&u);
    book_free(b);
    return cell;
}

/* Wide characters, emoji and combining marks in a label never move or
 * cut the figures after it. */
START_TEST(test_table_wide_label)
{
    int plain = debt_cell("Alice main");

    ck_assert_int_ge(plain, 0);
    ck_assert_int_eq(debt_cell("\xe6\xa0\xaa\xe5\xbc\x8f\xe4\xbc\x9a"
                               "\xe7\xa4\xbe\xe3\x83\x86\xe3\x82\xb9"
                               "\xe3\x83\x88\xf0\x9f\x98\x80 long label"),
                     plain);
    ck_assert_int_eq(debt_cell("Ame\xcc\x81lie\xcc\x81\xcc\x81 e\xcc\x81"),
                     plain);
}
END_TEST

static Suite *
views_suite(void)
{
    Suite *s = suite_create("views");
    TCase *tc = tcase_create("golden");

    tcase_add_loop_test(tc, test_view, 0,
                        (int)(sizeof(cases) / sizeof(cases[0])));
    tcase_add_test(tc, test_sanitize);
    tcase_add_test(tc, test_frame_width);
    tcase_add_test(tc, test_table_wide_label);
    tcase_add_test(tc, test_messages_join);
    tcase_add_test(tc, test_layout_sizes);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    return test_run(views_suite());
}
