/*
 * themefile.c: theme and config JSON files into tui's plain structs.
 *
 * Owns the file formats and the search path. A bad file never stops the
 * dashboard: the defaults stay and the message is returned for the status
 * line.
 */
#include "app/themefile.h"

#include <cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/jsonsyntax.h"
#include "app/textout.h"
#include "core/decimal.h"
#include "core/liq.h"

#ifndef LIQTOP_DATADIR
#define LIQTOP_DATADIR "/usr/local/share/liqtop"
#endif

/* Themes and the config are small: a file past this is not one. */
#define THEMEFILE_MAX (1 << 20)

/* The whole file, NUL-terminated; NULL with errno set (EFBIG past
 * THEMEFILE_MAX, EISDIR for a directory). */
static char *
themefile_read(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    char *buf = NULL;
    size_t cap = 0, n = 0;

    if (fp == NULL)
        return NULL;
    for (;;) {
        size_t got;

        if (n > THEMEFILE_MAX) {
            free(buf);
            fclose(fp);
            errno = EFBIG;
            return NULL;
        }
        if (n + 4096 + 1 > cap) {
            char *nb = realloc(buf, cap = (cap + 4096) * 2);

            if (nb == NULL)
                liq_nomem();
            buf = nb;
        }
        got = fread(buf + n, 1, cap - n - 1, fp);
        n += got;
        if (got == 0)
            break;
    }
    if (ferror(fp)) {
        int e = errno;

        free(buf);
        fclose(fp);
        errno = e;
        return NULL;
    }
    fclose(fp);
    buf[n] = '\0';
    *len = n;
    return buf;
}

static cJSON *
themefile_parse(const char *path, char *err, size_t errlen)
{
    size_t len = 0;
    char *text = themefile_read(path, &len);
    cJSON *root;

    if (text == NULL) {
        if (errno == EFBIG)
            snprintf(err, errlen,
                     "%s: larger than %d KiB: not a theme or "
                     "config file",
                     path, THEMEFILE_MAX >> 10);
        else
            snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return NULL;
    }
    root = cJSON_ParseWithLength(text, len);
    if (root == NULL) {
        unsigned long line, col;
        char why[96];

        jsonsyntax_locate(text, len, cJSON_GetErrorPtr(), &line, &col, why,
                          sizeof(why));
        snprintf(err, errlen, "%s:%lu:%lu: %s", path, line, col, why);
    } else if (!cJSON_IsObject(root)) {
        snprintf(err, errlen, "%s: expected an object", path);
        cJSON_Delete(root);
        root = NULL;
    }
    free(text);
    return root;
}

static bool
themefile_exists(const char *path)
{
    FILE *fp = fopen(path, "rb");

    if (fp == NULL)
        return false;
    fclose(fp);
    return true;
}

/* Where a theme named name lives, or false. */
static bool
themefile_find(const char *name, char *path, size_t cap)
{
    const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");

    if (strchr(name, '/') != NULL ||
        (strlen(name) > 5 && strcmp(name + strlen(name) - 5, ".json") == 0)) {
        snprintf(path, cap, "%s", name);
        return themefile_exists(path);
    }
    if (xdg != NULL && *xdg != '\0') {
        snprintf(path, cap, "%s/liqtop/themes/%s.json", xdg, name);
        if (themefile_exists(path))
            return true;
    } else if (home != NULL) {
        snprintf(path, cap, "%s/.config/liqtop/themes/%s.json", home, name);
        if (themefile_exists(path))
            return true;
    }
    snprintf(path, cap, "themes/%s.json", name);
    if (themefile_exists(path))
        return true;
    snprintf(path, cap, "%s/themes/%s.json", LIQTOP_DATADIR, name);
    return themefile_exists(path);
}

static int
themefile_role(struct theme *t, const cJSON *role, const char *path, char *err,
               size_t errlen)
{
    int r = theme_role_find(role->string);
    const cJSON *fg, *bg, *attrs, *a;

    if (r < 0) {
        snprintf(err, errlen, "%s: roles.%s: unknown role", path, role->string);
        return LIQ_ENOENT;
    }
    if (!cJSON_IsObject(role)) {
        snprintf(err, errlen, "%s: roles.%s: expected an object", path,
                 role->string);
        return LIQ_EINVAL;
    }
    fg = cJSON_GetObjectItemCaseSensitive(role, "fg");
    bg = cJSON_GetObjectItemCaseSensitive(role, "bg");
    attrs = cJSON_GetObjectItemCaseSensitive(role, "attrs");
    if (fg != NULL) {
        int c = cJSON_IsString(fg) ? theme_color_find(fg->valuestring) : -2;

        if (c < -1) {
            snprintf(err, errlen, "%s: roles.%s.fg: unknown colour", path,
                     role->string);
            return LIQ_EINVAL;
        }
        t->style[r].fg = (int16_t)c;
    }
    if (bg != NULL) {
        int c = cJSON_IsString(bg) ? theme_color_find(bg->valuestring) : -2;

        if (c < -1) {
            snprintf(err, errlen, "%s: roles.%s.bg: unknown colour", path,
                     role->string);
            return LIQ_EINVAL;
        }
        t->style[r].bg = (int16_t)c;
    }
    if (attrs != NULL) {
        uint8_t bits = 0;

        if (!cJSON_IsArray(attrs)) {
            snprintf(err, errlen, "%s: roles.%s.attrs: expected a list", path,
                     role->string);
            return LIQ_EINVAL;
        }
        cJSON_ArrayForEach(a, attrs)
        {
            int v = cJSON_IsString(a) ? theme_attr_find(a->valuestring) : 0;

            if (v == 0) {
                snprintf(err, errlen, "%s: roles.%s.attrs: unknown attribute",
                         path, role->string);
                return LIQ_EINVAL;
            }
            bits |= (uint8_t)v;
        }
        t->style[r].attr = bits;
    }
    return 0;
}

int
themefile_load(struct theme *t, const char *name, const char *from, char *err,
               size_t errlen)
{
    char path[512];
    struct theme out;
    const cJSON *base, *roles, *role, *nm;
    cJSON *root;
    int rc = 0;

    if (!theme_builtin(t, name))
        (void)theme_builtin(t, "dark");
    if (!themefile_find(name, path, sizeof(path))) {
        if (theme_builtin(t, name))
            return 0; /* a built-in without its file is fine */
        snprintf(err, errlen,
                 "%s %s: no such theme (dark, light, "
                 "high-contrast, mono, or a .json file)",
                 from, name);
        return LIQ_ENOENT;
    }
    root = themefile_parse(path, err, errlen);
    if (root == NULL)
        return LIQ_EPARSE;
    out = *t;
    base = cJSON_GetObjectItemCaseSensitive(root, "base");
    if (cJSON_IsString(base) && !theme_builtin(&out, base->valuestring)) {
        snprintf(err, errlen, "%s: base: unknown theme %s", path,
                 base->valuestring);
        rc = LIQ_ENOENT;
    }
    nm = cJSON_GetObjectItemCaseSensitive(root, "name");
    snprintf(out.name, sizeof(out.name), "%s",
             cJSON_IsString(nm) ? nm->valuestring : name);
    roles = cJSON_GetObjectItemCaseSensitive(root, "roles");
    if (rc == 0 && roles != NULL && !cJSON_IsObject(roles)) {
        snprintf(err, errlen, "%s: roles: expected an object", path);
        rc = LIQ_EINVAL;
    }
    if (rc == 0 && roles != NULL) {
        cJSON_ArrayForEach(role, roles)
        {
            rc = themefile_role(&out, role, path, err, errlen);
            if (rc != 0)
                break;
        }
    }
    cJSON_Delete(root);
    if (rc == 0)
        *t = out;
    return rc;
}

bool
themefile_config_path(char *path, size_t cap)
{
    const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");

    if (xdg != NULL && *xdg != '\0')
        snprintf(path, cap, "%s/liqtop/config.json", xdg);
    else if (home != NULL)
        snprintf(path, cap, "%s/.config/liqtop/config.json", home);
    else
        return false;
    return true;
}

int
themefile_config(struct keymap *km, char *theme, size_t cap, char *err,
                 size_t errlen)
{
    char path[512];
    const cJSON *keys, *k, *th;
    cJSON *root;
    int rc = 0;

    if (!themefile_config_path(path, sizeof(path)))
        return 0;
    if (!themefile_exists(path))
        return 0;
    root = themefile_parse(path, err, errlen);
    if (root == NULL)
        return LIQ_EPARSE;
    th = cJSON_GetObjectItemCaseSensitive(root, "theme");
    if (cJSON_IsString(th))
        snprintf(theme, cap, "%s", th->valuestring);
    keys = cJSON_GetObjectItemCaseSensitive(root, "keys");
    if (keys != NULL && !cJSON_IsObject(keys)) {
        snprintf(err, errlen, "%s: keys: expected an object", path);
        rc = LIQ_EINVAL;
    } else if (keys != NULL) {
        cJSON_ArrayForEach(k, keys)
        {
            int b = cJSON_IsString(k)
                        ? input_bind(km, k->string, k->valuestring)
                        : -2;

            if (b == -1) {
                snprintf(err, errlen, "%s: keys.%s: unknown key", path,
                         k->string);
                rc = LIQ_EINVAL;
            } else if (b == -2) {
                snprintf(err, errlen, "%s: keys.%s: unknown action", path,
                         k->string);
                rc = LIQ_EINVAL;
            }
            if (rc != 0)
                break;
        }
    }
    cJSON_Delete(root);
    return rc;
}

int
themefile_config_target(struct u256 *target_wad, bool *has, char *err,
                        size_t errlen)
{
    char path[512], safe[64];
    const cJSON *t;
    cJSON *root;
    struct u256 v;
    int rc = 0;

    *has = false;
    if (!themefile_config_path(path, sizeof(path)) || !themefile_exists(path))
        return 0;
    root = themefile_parse(path, err, errlen);
    if (root == NULL)
        return LIQ_EPARSE;
    t = cJSON_GetObjectItemCaseSensitive(root, "target_health");
    if (t != NULL) {
        const char *s = cJSON_IsString(t) ? t->valuestring : "";
        textout_safe(safe, sizeof safe, s, strlen(s), 40);
        if (!cJSON_IsString(t) ||
            decimal_parse(&v, s, strlen(s), 18, DECIMAL_EXACT) != 0 ||
            u256_is_zero(v)) {
            snprintf(err, errlen,
                     "%s: target_health%s%s: expected a health factor above 0 "
                     "as a string, such as \"1.05\" (at most 18 places)",
                     path, cJSON_IsString(t) ? " " : "", safe);
            rc = LIQ_EINVAL;
        } else {
            *target_wad = v;
            *has = true;
        }
    }
    cJSON_Delete(root);
    return rc;
}
