/*
 * theme.h: screen roles and the themes that colour them. Views name roles,
 * never colours; a theme maps each role to a foreground, a background and
 * attributes. Themes are data: four are compiled in (dark, light,
 * high-contrast, mono) and the files in themes/ override them by role name.
 *
 * Owns enum role and struct theme. Knows no curses: colours are the 16
 * ANSI numbers (0-15) or THEME_DEFAULT, attributes are THEME_* bits that
 * tui/term.c translates.
 */
#ifndef THEME_H
#define THEME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum role {
    ROLE_TEXT,
    ROLE_DIM,
    ROLE_HEADER,
    ROLE_TITLE,
    ROLE_COLUMN,
    ROLE_SELECTED,
    ROLE_TIER_LIQUIDATABLE,
    ROLE_TIER_PRE,
    ROLE_TIER_DANGER,
    ROLE_TIER_WARN,
    ROLE_TIER_OK,
    ROLE_TIER_NODEBT,
    ROLE_FEED_LIVE,
    ROLE_FEED_DOWN,
    ROLE_STALE,
    ROLE_WHATIF,
    ROLE_WARNING,
    ROLE_GOOD,
    ROLE_STATUS,
    ROLE_STATUS_ERROR,
    ROLE_BORDER,
    ROLE_KEY,
    ROLE_INPUT,
    ROLE_COUNT
};

#define THEME_DEFAULT (-1)

enum theme_attr {
    THEME_BOLD = 1,
    THEME_REVERSE = 2,
    THEME_UNDERLINE = 4,
    THEME_DIM = 8
};

struct theme_style {
    int16_t fg; /* 0-15 or THEME_DEFAULT */
    int16_t bg;
    uint8_t attr;
};

struct theme {
    char name[32];
    bool color; /* false: attributes only (mono, NO_COLOR) */
    struct theme_style style[ROLE_COUNT];
};

/* Built-in theme names, in the order `t` cycles through them. */
#define THEME_BUILTIN_COUNT 4
const char *theme_builtin_name(int i);
/* Fill t with built-in theme `name`; false when there is none. */
bool theme_builtin(struct theme *t, const char *name);

/* Role by its file name ("tier_danger"), -1 when unknown. */
int theme_role_find(const char *name);
const char *theme_role_name(enum role r);
/* Colour by name ("red", "bright_red", "default", "0".."15"), -2 when
 * unknown. */
int theme_color_find(const char *name);
/* Attribute by name ("bold", "reverse", "underline", "dim"), 0 unknown. */
int theme_attr_find(const char *name);

/* A one-letter code per role, for golden role maps. */
char theme_role_letter(enum role r);

#endif
