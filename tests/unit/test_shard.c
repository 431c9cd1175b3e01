/*
 * test_shard.c: the shard of a position id: FNV-1a 64 against the
 * published test vectors of its authors, the shard it picks for a few
 * ids (computed independently in Python), N of 1 keeping everything,
 * and the "I/N" form --shard takes.
 */
#include <check.h>
#include <string.h>

#include "app/shard_pub.h"
#include "core/shard.h"
#include "tests/common/testutil.h"

struct case_hash {
    const char *id;
    uint64_t hash;
    uint32_t of4, of7;
};

static const struct case_hash hashes[] = {
    {"", 0xcbf29ce484222325ULL, 1, 2},
    {"a", 0xaf63dc4c8601ec8cULL, 0, 5},
    {"foobar", 0x85944171f73967e8ULL, 0, 6},
    {"0x910a2dec89025cc1", 0xbc368e1fcc2c5edfULL, 3, 5},
};

START_TEST(test_hash)
{
    const struct case_hash *c = &hashes[_i];
    size_t n = strlen(c->id);

    ck_assert_uint_eq(shard_hash(c->id, n), c->hash);
    ck_assert_uint_eq(shard_of(c->id, n, 4), c->of4);
    ck_assert_uint_eq(shard_of(c->id, n, 7), c->of7);
    ck_assert_uint_eq(shard_of(c->id, n, 1), 0);
}
END_TEST

struct case_parse {
    const char *text;
    int rc;
    uint32_t i, n;
};

static const struct case_parse parses[] = {
    {"0/1", 0, 0, 1},   {"3/4", 0, 3, 4},   {"4095/4096", 0, 4095, 4096},
    {"4/4", -1, 0, 0},  {"0/0", -1, 0, 0},  {"1/4097", -1, 0, 0},
    {"-1/4", -1, 0, 0}, {"1/ 4", -1, 0, 0}, {"1/4x", -1, 0, 0},
    {"1", -1, 0, 0},    {"", -1, 0, 0},     {"/4", -1, 0, 0},
};

START_TEST(test_parse)
{
    const struct case_parse *c = &parses[_i];
    uint32_t i = 99, n = 99;

    ck_assert_int_eq(shard_pub_parse(c->text, &i, &n), c->rc);
    if (c->rc == 0) {
        ck_assert_uint_eq(i, c->i);
        ck_assert_uint_eq(n, c->n);
    }
}
END_TEST

static Suite *
shard_suite(void)
{
    Suite *s = suite_create("shard");
    TCase *tc = tcase_create("hash");

    tcase_add_loop_test(tc, test_hash, 0,
                        (int)(sizeof(hashes) / sizeof(hashes[0])));
    tcase_add_loop_test(tc, test_parse, 0,
                        (int)(sizeof(parses) / sizeof(parses[0])));
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    return test_run(shard_suite());
}
