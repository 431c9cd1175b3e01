/*
 * test_themefile.c: the shipped theme files equal the compiled-in
 * themes role for role; bad theme and config files give a message naming
 * the file and the JSON path, and leave the defaults; config keys remap.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/themefile.h"
#include "tests/common/testutil.h"

START_TEST(test_shipped_equal_builtin)
{
    struct theme file, built;
    char err[256] = "", path[64];

    snprintf(path, sizeof(path), "themes/%s.json", theme_builtin_name(_i));
    ck_assert_msg(themefile_load(&file, path, "--theme", err, sizeof(err)) == 0,
                  "%s", err);
    ck_assert(theme_builtin(&built, theme_builtin_name(_i)));
    ck_assert_int_eq(file.color, built.color);
    for (int r = 0; r < ROLE_COUNT; r++) {
        ck_assert_int_eq(file.style[r].fg, built.style[r].fg);
        ck_assert_int_eq(file.style[r].bg, built.style[r].bg);
        ck_assert_int_eq(file.style[r].attr, built.style[r].attr);
    }
}
END_TEST

static void
write_file(const char *path, const char *text)
{
    FILE *fp = fopen(path, "w");

    ck_assert_ptr_nonnull(fp);
    fputs(text, fp);
    fclose(fp);
}

START_TEST(test_bad_theme)
{
    char dir[] = "/tmp/liqtop-theme.XXXXXX", path[128], err[256];
    struct theme t;

    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/bad.json", dir);
    write_file(path, "{\"roles\": {\"tier_dangr\": {\"fg\": \"red\"}}}");
    ck_assert_int_ne(themefile_load(&t, path, "--theme", err, sizeof(err)), 0);
    ck_assert_msg(strstr(err, "roles.tier_dangr: unknown role") != NULL, "%s",
                  err);
    ck_assert_str_eq(t.name, "dark"); /* the defaults stay */
    write_file(path, "{\"roles\": {\"text\": {\"fg\": \"mauve\"}}}");
    ck_assert_int_ne(themefile_load(&t, path, "--theme", err, sizeof(err)), 0);
    ck_assert_msg(strstr(err, "roles.text.fg: unknown colour") != NULL, "%s",
                  err);
    write_file(path, "{\"roles\": {\"text\" {}}}");
    ck_assert_int_ne(themefile_load(&t, path, "--theme", err, sizeof(err)), 0);
    ck_assert_msg(strstr(err, "bad.json:1:") != NULL, "%s", err);
    ck_assert_int_ne(
        themefile_load(&t, "no-such-theme", "--theme", err, sizeof(err)), 0);
    ck_assert_msg(strstr(err, "no such theme") != NULL, "%s", err);
    unlink(path);
    rmdir(dir);
}
END_TEST

START_TEST(test_config_keys)
{
    char dir[] = "/tmp/liqtop-config.XXXXXX", path[160], err[256] = "",
         theme[32] = "";
    struct keymap km;

    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/liqtop", dir);
    ck_assert_int_eq(mkdir(path, 0700), 0);
    snprintf(path, sizeof(path), "%s/liqtop/config.json", dir);
    write_file(path, "{\"theme\": \"light\", \"keys\": {\"x\": \"freeze\", "
                     "\"Q\": \"quit\", \"down\": \"up\"}}");
    setenv("XDG_CONFIG_HOME", dir, 1);
    input_defaults(&km);
    ck_assert_int_eq(
        themefile_config(&km, theme, sizeof(theme), err, sizeof(err)), 0);
    ck_assert_str_eq(theme, "light");
    ck_assert_int_eq(input_action(&km, 'x'), ACT_FREEZE);
    ck_assert_int_eq(input_action(&km, 'Q'), ACT_QUIT);
    ck_assert_int_eq(input_action(&km, KEY_DOWN_), ACT_UP);
    write_file(path, "{\"keys\": {\"x\": \"fly\"}}");
    ck_assert_int_ne(
        themefile_config(&km, theme, sizeof(theme), err, sizeof(err)), 0);
    ck_assert_msg(strstr(err, "keys.x: unknown action") != NULL, "%s", err);
    unlink(path);
    snprintf(path, sizeof(path), "%s/liqtop", dir);
    rmdir(path);
    rmdir(dir);
}
END_TEST

/* A theme is small: /dev/zero is refused by its size, not read forever. */
START_TEST(test_theme_bounded)
{
    struct theme t;
    char err[256];

    ck_assert_int_ne(
        themefile_load(&t, "/dev/zero", "--theme", err, sizeof(err)), 0);
    ck_assert_msg(strstr(err, "larger than 1024 KiB") != NULL, "%s", err);
}
END_TEST

/* target_health: read exactly, absent is none, a bad one is said with the
 * file's path and the key. */
START_TEST(test_config_target)
{
    char dir[] = "/tmp/liqtop-config.XXXXXX", path[160], err[256] = "";
    struct u256 t = u256_zero();
    bool has = true;

    ck_assert_ptr_nonnull(mkdtemp(dir));
    setenv("XDG_CONFIG_HOME", dir, 1);
    ck_assert_int_eq(themefile_config_target(&t, &has, err, sizeof(err)), 0);
    ck_assert(!has); /* no file */
    snprintf(path, sizeof(path), "%s/liqtop", dir);
    ck_assert_int_eq(mkdir(path, 0700), 0);
    snprintf(path, sizeof(path), "%s/liqtop/config.json", dir);
    write_file(path, "{\"theme\": \"light\"}");
    ck_assert_int_eq(themefile_config_target(&t, &has, err, sizeof(err)), 0);
    ck_assert(!has);
    write_file(path, "{\"target_health\": \"1.000000000000000001\"}");
    ck_assert_int_eq(themefile_config_target(&t, &has, err, sizeof(err)), 0);
    ck_assert(has);
    TEST_U256_EQ(t, test_u256("1000000000000000001"));
    static const char *const bad[] = {
        "{\"target_health\": \"0\"}", "{\"target_health\": 1.05}",
        "{\"target_health\": \"1.2.3\"}", "{\"target_health\": \"1e-19\"}"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        write_file(path, bad[i]);
        has = false;
        err[0] = '\0';
        ck_assert_int_ne(themefile_config_target(&t, &has, err, sizeof(err)),
                         0);
        ck_assert(!has);
        ck_assert_msg(strstr(err, "config.json: target_health") != NULL &&
                          strstr(err, "such as \"1.05\"") != NULL,
                      "%s", err);
    }
    unlink(path);
    snprintf(path, sizeof(path), "%s/liqtop", dir);
    rmdir(path);
    rmdir(dir);
}
END_TEST

static Suite *
themefile_suite(void)
{
    Suite *s = suite_create("themefile");
    TCase *tc = tcase_create("files");

    tcase_add_loop_test(tc, test_shipped_equal_builtin, 0, THEME_BUILTIN_COUNT);
    tcase_add_test(tc, test_bad_theme);
    tcase_add_test(tc, test_theme_bounded);
    tcase_add_test(tc, test_config_keys);
    tcase_add_test(tc, test_config_target);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    return test_run(themefile_suite());
}
