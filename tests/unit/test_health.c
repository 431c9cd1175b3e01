/*
 * test_health.c: the risk tiers at and around each bound (1.00, 1.10,
 * 1.50 in WAD), positions without debt, tier names and the at-risk set.
 */
#include <check.h>

#include "core/health.h"
#include "tests/common/testutil.h"

struct case_tier {
    const char *hf; /* WAD */
    bool has_debt;
    enum tier want;
};

static const struct case_tier cases[] = {
    {"0", true, TIER_LIQUIDATABLE},
    {"1", true, TIER_LIQUIDATABLE},
    {"999999999999999999", true, TIER_LIQUIDATABLE},
    {"1000000000000000000", true, TIER_DANGER},
    {"1099999999999999999", true, TIER_DANGER},
    {"1100000000000000000", true, TIER_WARN},
    {"1499999999999999999", true, TIER_WARN},
    {"1500000000000000000", true, TIER_OK},
    {"18446744073709551616", true, TIER_OK}, /* past 64 bits */
    {"115792089237316195423570985008687907853269984665640564039457584007913"
     "129639935",
     true, TIER_OK},
    {"0", false, TIER_NO_DEBT},
    {"999999999999999999", false, TIER_NO_DEBT},
    {"115792089237316195423570985008687907853269984665640564039457584007913"
     "129639935",
     false, TIER_NO_DEBT},
};

START_TEST(test_tier)
{
    const struct case_tier *c = &cases[_i];

    ck_assert_int_eq(health_tier(test_u256(c->hf), c->has_debt), c->want);
}
END_TEST

struct case_name {
    enum tier t;
    const char *name;
    bool at_risk;
};

static const struct case_name names[] = {
    {TIER_LIQUIDATABLE, "liquidatable", false},
    {TIER_PRE, "pre", true},
    {TIER_DANGER, "danger", true},
    {TIER_WARN, "warn", true},
    {TIER_OK, "ok", false},
    {TIER_NO_DEBT, "no debt", false},
};

START_TEST(test_name)
{
    const struct case_name *c = &names[_i];

    ck_assert_str_eq(health_tier_name(c->t), c->name);
    ck_assert(health_tier_at_risk(c->t) == c->at_risk);
}
END_TEST

static Suite *
health_suite(void)
{
    Suite *s = suite_create("health");
    TCase *tc = tcase_create("tiers");

    tcase_add_loop_test(tc, test_tier, 0,
                        (int)(sizeof(cases) / sizeof(cases[0])));
    tcase_add_loop_test(tc, test_name, 0,
                        (int)(sizeof(names) / sizeof(names[0])));
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    return test_run(health_suite());
}
