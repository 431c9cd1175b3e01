/*
 * test_snapshot.c: the snapshot writer: JSON that parses, with the fields
 * of design.md section 4 in order and rank order kept; exact values of the
 * Aave v3.7 example; text that needs escaping in JSON and quoting in CSV.
 */
#include <check.h>
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/demo.h"
#include "app/portfolio.h"
#include "app/snapshot.h"
#include "core/decimal.h"
#include "tests/common/testutil.h"

static const char *const item_keys[] = {"id",
                                        "market",
                                        "label",
                                        "health_factor",
                                        "liquidatable",
                                        "collateral_value",
                                        "debt_value",
                                        "liquidation_price",
                                        "bad_debt",
                                        "gate",
                                        "liquidation_shock",
                                        NULL};
/* A morpho-pre market's positions add the band's three after gate. */
static const char *const item_keys_pre[] = {"id",
                                            "market",
                                            "label",
                                            "health_factor",
                                            "liquidatable",
                                            "collateral_value",
                                            "debt_value",
                                            "liquidation_price",
                                            "bad_debt",
                                            "gate",
                                            "pre_liquidatable",
                                            "pre_lcf",
                                            "pre_lif",
                                            "liquidation_shock",
                                            NULL};
/* A liquity-v2 trove adds its debt in front after gate. */
static const char *const item_keys_liquity[] = {"id",
                                                "market",
                                                "label",
                                                "health_factor",
                                                "liquidatable",
                                                "collateral_value",
                                                "debt_value",
                                                "liquidation_price",
                                                "bad_debt",
                                                "gate",
                                                "debt_in_front",
                                                "liquidation_shock",
                                                NULL};

/* Write b's snapshot in fmt into a malloc'd string. */
static char *
snap_text(struct book *b, enum snapshot_format fmt)
{
    FILE *f = tmpfile();
    long n;
    char *buf;

    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(snapshot_write(f, b, fmt), 0);
    n = ftell(f);
    ck_assert_int_gt(n, 0);
    rewind(f);
    buf = malloc((size_t)n + 1);
    ck_assert_ptr_nonnull(buf);
    ck_assert_uint_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static struct book *
load(const char *json)
{
    struct book *b = book_new();
    char *t = strdup(json), *p, err[512];

    ck_assert_ptr_nonnull(t);
    for (p = t; *p != '\0'; p++)
        if (*p == '\'')
            *p = '"';
    ck_assert_msg(portfolio_load_text(b, "t.json", t, strlen(t), NULL, err,
                                      sizeof err) == 0,
                  "%s", err);
    ck_assert_msg(portfolio_check_prices(b, err, sizeof err) == 0, "%s", err);
    free(t);
    return b;
}

static void
check_item_keys(const cJSON *item, const char *const *keys)
{
    const cJSON *c = item->child;
    int k;

    for (k = 0; keys[k] != NULL; k++, c = c->next) {
        ck_assert_ptr_nonnull(c);
        ck_assert_str_eq(c->string, keys[k]);
    }
    ck_assert_ptr_null(c);
}

START_TEST(test_aave37_json)
{
    struct book *b = load(
        "{'markets': [{'id': 'aave-core', 'model': 'aave-v3', 'version': "
        "'3.7', 'base_decimals': 8, 'assets': [{'symbol': 'WETH', "
        "'decimals': 18, 'ltv': '0.80', 'liquidation_threshold': '0.825', "
        "'liquidation_bonus': '0.05', 'protocol_fee': '0.10'}, {'symbol': "
        "'USDC', 'decimals': 6, 'ltv': '0.75', 'liquidation_threshold': "
        "'0.78', 'liquidation_bonus': '0.045', 'protocol_fee': '0.10'}]}], "
        "'prices': {'WETH': '2000', 'USDC': '1'}, 'positions': [{'id': "
        "'alice', 'market': 'aave-core', 'label': 'Alice main', "
        "'collateral': {'WETH': '10'}, 'debt': {'USDC': '17000'}}]}");
    char *text = snap_text(b, SNAPSHOT_JSON), err[256];
    cJSON *root = cJSON_Parse(text), *arr, *it, *lp;

    ck_assert_msg(root != NULL, "not JSON:\n%s", text);
    arr = cJSON_GetObjectItemCaseSensitive(root, "positions");
    ck_assert(cJSON_IsArray(arr));
    ck_assert_int_eq(cJSON_GetArraySize(arr), 1);
    it = cJSON_GetArrayItem(arr, 0);
    check_item_keys(it, item_keys);
    ck_assert_str_eq(cJSON_GetObjectItem(it, "health_factor")->valuestring,
                     "0.970588235294117647");
    ck_assert(cJSON_IsTrue(cJSON_GetObjectItem(it, "liquidatable")));
    ck_assert_str_eq(cJSON_GetObjectItem(it, "collateral_value")->valuestring,
                     "20000");
    ck_assert_str_eq(cJSON_GetObjectItem(it, "debt_value")->valuestring,
                     "17000");
    lp = cJSON_GetObjectItem(it, "liquidation_price");
    ck_assert(cJSON_IsObject(lp));
    /* 10 WETH * P * 0.825 < 17000: P below 2060.606060606..., cut to the
     * base unit (8 places). */
    ck_assert_str_eq(cJSON_GetObjectItem(lp, "WETH")->valuestring,
                     "2060.6060606");
    ck_assert(cJSON_IsFalse(cJSON_GetObjectItem(it, "bad_debt")));
    /* liquidatable already: a shock of 0 */
    ck_assert(cJSON_IsNumber(cJSON_GetObjectItem(it, "liquidation_shock")));
    ck_assert_int_eq(cJSON_GetObjectItem(it, "liquidation_shock")->valueint, 0);
    cJSON_Delete(root);
    free(text);
    /* At WETH 2200 health is 1.0676...: below 1 under 2060.6060606, a fall
     * of 6.3361 %: 634 bps (633 leaves WETH at 2060.74, above). */
    ck_assert_int_eq(portfolio_price_arg(b, "WETH=2200", err, sizeof err), 0);
    text = snap_text(b, SNAPSHOT_JSON);
    root = cJSON_Parse(text);
    it = cJSON_GetArrayItem(cJSON_GetObjectItem(root, "positions"), 0);
    ck_assert_int_eq(cJSON_GetObjectItem(it, "liquidation_shock")->valueint,
                     634);
    cJSON_Delete(root);
    free(text);
    book_free(b);
}
END_TEST

START_TEST(test_escaping)
{
    struct book *b = load(
        "{'markets': [{'id': 'm', 'model': 'aave-v3', 'assets': [{'symbol': "
        "'WETH', 'decimals': 18, 'liquidation_threshold': '0.8', "
        "'liquidation_bonus': '0.05'}]}], 'prices': {'WETH': '1'}, "
        "'positions': [{'id': 'q\\'x', 'market': 'm', 'label': 'a, \\\\b "
        "\\'c\\' \\u00e9', 'collateral': {'WETH': '1'}}]}");
    char *text = snap_text(b, SNAPSHOT_JSON);
    cJSON *root = cJSON_Parse(text), *it;

    ck_assert_msg(root != NULL, "not JSON:\n%s", text);
    it = cJSON_GetArrayItem(cJSON_GetObjectItem(root, "positions"), 0);
    ck_assert_str_eq(cJSON_GetObjectItem(it, "id")->valuestring, "q\"x");
    ck_assert_str_eq(cJSON_GetObjectItem(it, "label")->valuestring,
                     "a, \\b \"c\" \xc3\xa9");
    ck_assert(cJSON_IsNull(cJSON_GetObjectItem(it, "health_factor")));
    ck_assert(cJSON_IsNull(cJSON_GetObjectItem(
        cJSON_GetObjectItem(it, "liquidation_price"), "WETH")));
    cJSON_Delete(root);
    free(text);

    text = snap_text(b, SNAPSHOT_CSV);
    ck_assert_str_eq(text,
                     "id,market,label,health_factor,liquidatable,"
                     "collateral_value,debt_value,liquidation_price,"
                     "bad_debt,liquidation_shock\n"
                     "\"q\"\"x\",m,\"a, \\b \"\"c\"\" \xc3\xa9\",,false,1,0,"
                     "WETH=,false,\n");
    free(text);
    book_free(b);
}
END_TEST

START_TEST(test_demo_rank_order)
{
    struct book *b = book_new();
    char err[512], *text;
    cJSON *root, *arr, *it;
    struct u256 prev = u256_zero();
    bool seen_null = false;
    int n = 0;

    ck_assert_msg(demo_load(b, err, sizeof err) == 0, "%s", err);
    text = snap_text(b, SNAPSHOT_JSON);
    root = cJSON_Parse(text);
    ck_assert_msg(root != NULL, "not JSON:\n%s", text);
    arr = cJSON_GetObjectItem(root, "positions");
    cJSON_ArrayForEach(it, arr)
    {
        const cJSON *hf = cJSON_GetObjectItem(it, "health_factor");
        struct u256 v;

        const cJSON *mk = cJSON_GetObjectItem(it, "market");

        check_item_keys(it, strcmp(mk->valuestring, "morpho-weth-usdc-pre") == 0
                                ? item_keys_pre
                            : strcmp(mk->valuestring, "liquity-weth") == 0
                                ? item_keys_liquity
                                : item_keys);
        n++;
        if (cJSON_IsNull(hf)) {
            seen_null = true;
            continue;
        }
        ck_assert_msg(!seen_null, "a position with debt after one without");
        ck_assert_int_eq(decimal_parse(&v, hf->valuestring,
                                       strlen(hf->valuestring), 18,
                                       DECIMAL_EXACT),
                         0);
        ck_assert_msg(u256_le(prev, v), "not ranked by health at %s",
                      cJSON_GetObjectItem(it, "id")->valuestring);
        prev = v;
    }
    ck_assert_int_eq(n, (int)book_position_count(b));
    cJSON_Delete(root);
    free(text);

    text = snap_text(b, SNAPSHOT_TABLE);
    ck_assert_msg(strncmp(text, " #  ID", 6) == 0, "%s", text);
    free(text);
    book_free(b);
}
END_TEST

/* Each position's values are in its own market's base unit: a price with
 * more places than base_decimals is cut, as an oracle would. */
START_TEST(test_base_decimals_per_market)
{
    struct book *b = load(
        "{'markets': [{'id': 'm8', 'model': 'aave-v3', 'base_decimals': 8, "
        "'assets': [{'symbol': 'WETH', 'decimals': 18, "
        "'liquidation_threshold': '0.8', 'liquidation_bonus': '0.05'}, "
        "{'symbol': 'USDC', 'decimals': 6, 'liquidation_threshold': '0.8', "
        "'liquidation_bonus': '0.05'}]}, {'id': 'm2', 'model': 'aave-v3', "
        "'base_decimals': 2, 'assets': [{'symbol': 'WETH', 'decimals': 18, "
        "'liquidation_threshold': '0.8', 'liquidation_bonus': '0.05'}, "
        "{'symbol': 'USDC', 'decimals': 6, 'liquidation_threshold': '0.8', "
        "'liquidation_bonus': '0.05'}]}], 'prices': {'WETH': '2000.129', "
        "'USDC': '1'}, 'positions': [{'id': 'a', 'market': 'm8', "
        "'collateral': {'WETH': '1'}, 'debt': {'USDC': '1000.5'}}, {'id': "
        "'b', 'market': 'm2', 'collateral': {'WETH': '1'}, 'debt': {'USDC': "
        "'1000.5'}}]}");
    char *text = snap_text(b, SNAPSHOT_JSON);
    cJSON *root = cJSON_Parse(text), *it;
    int seen = 0;

    ck_assert_msg(root != NULL, "not JSON:\n%s", text);
    cJSON_ArrayForEach(it, cJSON_GetObjectItem(root, "positions"))
    {
        const char *id = cJSON_GetObjectItem(it, "id")->valuestring;
        const char *cv =
            cJSON_GetObjectItem(it, "collateral_value")->valuestring;
        const char *dv = cJSON_GetObjectItem(it, "debt_value")->valuestring;

        if (strcmp(id, "a") == 0) {
            ck_assert_str_eq(cv, "2000.129");
            ck_assert_str_eq(dv, "1000.5");
        } else {
            ck_assert_str_eq(cv, "2000.12");
            ck_assert_str_eq(dv, "1000.5");
        }
        seen++;
    }
    ck_assert_int_eq(seen, 2);
    cJSON_Delete(root);
    free(text);
    book_free(b);
}
END_TEST

static Suite *
snapshot_suite(void)
{
    Suite *s = suite_create("snapshot");
    TCase *tc = tcase_create("write");

    tcase_add_test(tc, test_aave37_json);
    tcase_add_test(tc, test_escaping);
    tcase_add_test(tc, test_demo_rank_order);
    tcase_add_test(tc, test_base_decimals_per_market);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    return test_run(snapshot_suite());
}
