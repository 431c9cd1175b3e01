/*
 * test_view_attach.c: the attached dashboard's screen (tui/view_attach.c)
 * drawn from fixed plain data at 120x40, 80x24 and 40x10: four workers
 * (one stale), the merged rows with their shards, the preview pane with a
 * worker's text, the log, the help; compared with the goldens in
 * tests/view/golden/attach-*.txt (text, then each cell's role letter).
 * GOLDEN=1 (make golden) writes them instead.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/decimal.h"
#include "tests/common/testutil.h"
#include "tui/view_attach.h"

struct attach_case {
    const char *name;
    int cols, rows;
    bool pane, help, stale, down;
    size_t selected;
};

static const struct attach_case cases[] = {
    {"attach", 120, 40, false, false, false, false, 0},
    {"attach", 80, 24, false, false, false, false, 0},
    {"attach", 40, 10, false, false, false, false, 0},
    {"attach-stale", 120, 40, false, false, true, false, 2},
    {"attach-preview", 120, 40, true, false, false, false, 1},
    {"attach-preview", 80, 24, true, false, false, false, 1},
    {"attach-preview", 40, 10, true, false, false, false, 1},
    {"attach-help", 80, 24, false, true, false, false, 0},
    {"attach-down", 80, 24, false, false, false, true, 0},
};

static struct attach_figure
figure(const char *text, unsigned places)
{
    struct attach_figure f;

    memset(&f, 0, sizeof f);
    f.known =
        decimal_parse(&f.raw, text, strlen(text), places, DECIMAL_EXACT) == 0;
    f.decimals = places;
    return f;
}

static char *
frame_dump(const struct frame *f)
{
    size_t cap = (size_t)f->rows * ((size_t)f->cols * 5 + 2) * 2 + 8, n = 0;
    char *out = malloc(cap);

    ck_assert_ptr_nonnull(out);
    for (int r = 0; r < f->rows; r++) {
        for (int c = 0; c < f->cols; c++) {
            const char *ch = frame_at(f, r, c)->ch;

            memcpy(out + n, ch, strlen(ch));
            n += strlen(ch);
        }
        while (n > 0 && out[n - 1] == ' ')
            n--;
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

START_TEST(test_attach)
{
    const struct attach_case *c = &cases[_i];
    struct attach_worker_info w[4] = {
        {"0/4", "live", false, 300},
        {"1/4", "live", false, 800},
        {"2/4", "live", false, 100},
        {"3/4", "reconnecting", true, 1200},
    };
    struct attach_row_info r[5];
    static const char *const log[] = {
        "12:00:01  shard 0/4: live (250,112 positions)",
        "12:00:01  shard 1/4: live (249,870 positions)",
        "12:00:02  shard 2/4: stale, no heartbeat for 3 s: its rows leave "
        "the ranking",
    };
    struct attach_screen s;
    struct layout l;
    struct frame *f;
    char path[256], *got, *want;
    FILE *fp;
    long len;

    memset(r, 0, sizeof r);
    r[0] = (struct attach_row_info){.id = "0x07894141406d3d65",
                                    .label = "",
                                    .market = "morpho-weth-usdc",
                                    .shard = "3/4",
                                    .priced = true,
                                    .has_debt = true,
                                    .hf = test_u256("513100000000000000"),
                                    .tier = TIER_LIQUIDATABLE,
                                    .bad_debt = true,
                                    .coll = figure("2471231.5", 8),
                                    .debt = figure("4141891.25", 8),
                                    .lp = figure("5434.83", 8),
                                    .lp_sym = "WETH"};
    r[1] = (struct attach_row_info){.id = "alice",
                                    .label = "Alice main",
                                    .market = "aave-core",
                                    .shard = "0/4",
                                    .priced = true,
                                    .has_debt = true,
                                    .hf = test_u256("1050000000000000000"),
                                    .tier = TIER_DANGER,
                                    .coll = figure("20000", 8),
                                    .debt = figure("17000", 8),
                                    .lp = figure("1904.76", 8),
                                    .lp_sym = "WETH"};
    r[2] = (struct attach_row_info){.id = "desk-7",
                                    .label = "desk 7",
                                    .market = "aave-v4-hub",
                                    .shard = "1/4",
                                    .priced = true,
                                    .has_debt = true,
                                    .hf = test_u256("1320000000000000000"),
                                    .tier = TIER_WARN,
                                    .coll = figure("1250000.75", 8),
                                    .debt = figure("800000", 8),
                                    .lp = figure("64010.1", 8),
                                    .lp_sym = "WBTC"};
    r[3] = (struct attach_row_info){.id = "saver",
                                    .label = "",
                                    .market = "aave-core",
                                    .shard = "0/4",
                                    .priced = true,
                                    .has_debt = false,
                                    .tier = TIER_NO_DEBT,
                                    .coll = figure("5000", 8),
                                    .debt = figure("0", 8)};
    r[4] = (struct attach_row_info){
        .id = "unpriced", .label = "", .market = "aave-core", .shard = "1/4"};
    if (c->stale)
        w[2] = (struct attach_worker_info){"2/4", "stale", true, 4100};
    memset(&s, 0, sizeof s);
    s.source = "redis://127.0.0.1:6379/desk";
    s.link_up = !c->down;
    s.workers = w;
    s.nworkers = 4;
    s.total = 1000000;
    s.liquidatable = 97222;
    s.at_risk = 347166;
    s.complete = !c->stale;
    s.rows = r;
    s.nrows = 5;
    s.selected = c->selected;
    s.help = c->help;
    if (c->pane) {
        s.pane_title = " preview of alice, computed by the worker holding it ";
        s.pane_text = "Liquidation preview: position alice\n"
                      "Now\n"
                      "  health factor          1.0500  (exactly 1.05)\n"
                      "  max repay              8,500 USDC\n";
    }
    s.log = log;
    s.nlog = 3;
    if (c->down)
        s.status = "127.0.0.1:6379: connect: Connection refused";
    s.status_error = c->down;
    layout_compute(&l, c->cols, c->rows, c->pane);
    f = frame_new(l.rows, l.cols);
    view_attach_render(f, &l, &s);
    got = frame_dump(f);
    snprintf(path, sizeof path, "tests/view/golden/%s_%dx%d.txt", c->name,
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
        free(want);
    }
    free(got);
    frame_free(f);
}
END_TEST

static Suite *
attach_suite(void)
{
    Suite *s = suite_create("view_attach");
    TCase *tc = tcase_create("golden");

    tcase_add_loop_test(tc, test_attach, 0,
                        (int)(sizeof(cases) / sizeof(cases[0])));
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    return test_run(attach_suite());
}
