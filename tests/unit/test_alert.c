/*
 * test_alert.c: core/alert: conditions against figures (health factor in
 * WAD, the distance to the liquidation price by cross products, exact at
 * the boundary, flags and "not"), and the hysteresis of alert_step as a
 * table of evaluations: fire on entering, wait for clear, cooldown.
 */
#include <check.h>
#include <string.h>

#include "core/alert.h"
#include "tests/common/testutil.h"

static struct alert_figures
fig(const char *hf, bool liq)
{
    struct alert_figures f;

    memset(&f, 0, sizeof f);
    f.priced = f.has_debt = true;
    f.hf = test_u256(hf);
    f.liquidatable = liq;
    return f;
}

START_TEST(test_conditions)
{
    struct alert_cond c;
    struct alert_figures f = fig("1099999999999999999", false);

    memset(&c, 0, sizeof c);
    c.field = ALERT_HEALTH_FACTOR;
    c.op = ALERT_LT;
    c.wad = test_u256("1100000000000000000");
    ck_assert(alert_cond_holds(&c, &f));
    f.hf = c.wad;
    ck_assert(!alert_cond_holds(&c, &f));
    c.op = ALERT_LE;
    ck_assert(alert_cond_holds(&c, &f));
    /* No debt: health is infinite, above every threshold. */
    f.has_debt = false;
    ck_assert(!alert_cond_holds(&c, &f));
    c.op = ALERT_GT;
    ck_assert(alert_cond_holds(&c, &f));
    /* Unpriced: nothing holds. */
    f.priced = false;
    ck_assert(!alert_cond_holds(&c, &f));

    /* distance < 5 %: price 2000, liquidation price 1900 is exactly 5 %. */
    f = fig("1", false);
    f.has_distance = true;
    f.price = u256_from_u64(200000000000ULL);
    f.liq_price = u256_from_u64(190000000000ULL);
    memset(&c, 0, sizeof c);
    c.field = ALERT_DISTANCE;
    c.op = ALERT_LT;
    c.value = 50000;
    ck_assert(!alert_cond_holds(&c, &f));
    c.op = ALERT_LE;
    ck_assert(alert_cond_holds(&c, &f));
    f.liq_price = u256_from_u64(190000000001ULL); /* a hair closer */
    c.op = ALERT_LT;
    ck_assert(alert_cond_holds(&c, &f));
    /* Below the line: distance -5 % against < -4 % and > -6 %. */
    f.liq_price = u256_from_u64(210000000000ULL);
    c.value = -40000;
    ck_assert(alert_cond_holds(&c, &f));
    c.op = ALERT_GT;
    c.value = -60000;
    ck_assert(alert_cond_holds(&c, &f));
    c.value = -50000;
    ck_assert(!alert_cond_holds(&c, &f));
    f.has_distance = false;
    c.op = ALERT_LT;
    c.value = 50000;
    ck_assert(!alert_cond_holds(&c, &f));

    /* Flags. */
    f = fig("900000000000000000", true);
    memset(&c, 0, sizeof c);
    c.field = ALERT_LIQUIDATABLE;
    c.op = ALERT_FLAG;
    ck_assert(alert_cond_holds(&c, &f));
    c.negate = true;
    ck_assert(!alert_cond_holds(&c, &f));
    c.negate = false;
    c.field = ALERT_GATE_OPEN;
    ck_assert(alert_cond_holds(&c, &f));
    f.gated = true;
    ck_assert(!alert_cond_holds(&c, &f));
    c.field = ALERT_GATE;
    ck_assert(alert_cond_holds(&c, &f));
    c.field = ALERT_TTL;
    c.op = ALERT_LT;
    c.value = 3600;
    ck_assert(!alert_cond_holds(&c, &f)); /* unknown */
    f.has_ttl = true;
    f.ttl_s = 3599;
    ck_assert(alert_cond_holds(&c, &f));
}
END_TEST

/* when, clear, now (s), then the event and the state after. */
static const struct step {
    bool when, clear;
    int64_t now_s;
    enum alert_event ev;
    enum alert_state state;
} steps[] = {
    {false, true, 0, ALERT_NONE, ALERT_ARMED},
    {true, false, 1, ALERT_FIRE, ALERT_FIRED},    /* enters: fires */
    {true, false, 2, ALERT_NONE, ALERT_FIRED},    /* stays: once */
    {false, false, 3, ALERT_NONE, ALERT_FIRED},   /* between the lines */
    {true, false, 4, ALERT_NONE, ALERT_FIRED},    /* back: still once */
    {false, true, 5, ALERT_CLEAR, ALERT_ARMED},   /* clear */
    {true, false, 6, ALERT_NONE, ALERT_COOLING},  /* within 60 s */
    {false, true, 7, ALERT_NONE, ALERT_ARMED},    /* wobble: nothing */
    {true, false, 30, ALERT_NONE, ALERT_COOLING}, /* still cooling */
    {true, false, 61, ALERT_FIRE, ALERT_FIRED},   /* 60 s after 1 */
    {false, true, 62, ALERT_CLEAR, ALERT_ARMED},
    {true, false, 200, ALERT_FIRE, ALERT_FIRED}, /* long after */
    {false, true, 201, ALERT_CLEAR, ALERT_ARMED},
    {true, false, 100, ALERT_FIRE, ALERT_FIRED}, /* clock went back */
};

START_TEST(test_hysteresis)
{
    struct alert_track t;

    memset(&t, 0, sizeof t);
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        enum alert_event ev = alert_step(&t, steps[i].when, steps[i].clear,
                                         steps[i].now_s * 1000, 60000);

        ck_assert_msg(ev == steps[i].ev && t.state == steps[i].state,
                      "step %zu: event %d state %d, want %d %d", i, ev, t.state,
                      steps[i].ev, steps[i].state);
    }
}
END_TEST

int
main(void)
{
    Suite *s = suite_create("alert");
    TCase *tc = tcase_create("alert");

    tcase_add_test(tc, test_conditions);
    tcase_add_test(tc, test_hysteresis);
    suite_add_tcase(s, tc);
    return test_run(s);
}
