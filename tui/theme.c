/*
 * theme.c: the compiled-in themes and the names of roles, colours and
 * attributes that theme files use.
 *
 * Owns the default look. Risk tiers carry text as well as colour, so the
 * mono theme (and NO_COLOR) lose nothing but colour.
 */
#include "tui/theme.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
    BLACK,
    RED,
    GREEN,
    YELLOW,
    BLUE,
    MAGENTA,
    CYAN,
    WHITE,
    BBLACK,
    BRED,
    BGREEN,
    BYELLOW,
    BBLUE,
    BMAGENTA,
    BCYAN,
    BWHITE
};

#define D THEME_DEFAULT

static const struct theme theme_dark = {
    "dark",
    true,
    {
        [ROLE_TEXT] = {D, D, 0},
        [ROLE_DIM] = {BBLACK, D, 0},
        [ROLE_HEADER] = {BWHITE, BLUE, 0},
        [ROLE_TITLE] = {BWHITE, BLUE, THEME_BOLD},
        [ROLE_COLUMN] = {BLACK, CYAN, 0},
        [ROLE_SELECTED] = {BLACK, BCYAN, 0},
        [ROLE_TIER_LIQUIDATABLE] = {BWHITE, RED, THEME_BOLD},
        [ROLE_TIER_PRE] = {BLACK, BRED, THEME_BOLD},
        [ROLE_TIER_DANGER] = {BRED, D, THEME_BOLD},
        [ROLE_TIER_WARN] = {BYELLOW, D, 0},
        [ROLE_TIER_OK] = {BGREEN, D, 0},
        [ROLE_TIER_NODEBT] = {BBLACK, D, 0},
        [ROLE_FEED_LIVE] = {BGREEN, BLUE, THEME_BOLD},
        [ROLE_FEED_DOWN] = {BYELLOW, BLUE, THEME_BOLD},
        [ROLE_STALE] = {YELLOW, D, THEME_UNDERLINE},
        [ROLE_WHATIF] = {BMAGENTA, D, THEME_BOLD},
        [ROLE_WARNING] = {BWHITE, RED, THEME_BOLD},
        [ROLE_GOOD] = {BGREEN, D, 0},
        [ROLE_STATUS] = {BLACK, CYAN, 0},
        [ROLE_STATUS_ERROR] = {BWHITE, RED, 0},
        [ROLE_BORDER] = {CYAN, D, 0},
        [ROLE_KEY] = {BCYAN, D, THEME_BOLD},
        [ROLE_INPUT] = {BWHITE, BBLACK, THEME_UNDERLINE},
    },
};

/* Light sets its own background (bright white) on every role, so that
 * its black text reads on a dark terminal too. */
static const struct theme theme_light = {
    "light",
    true,
    {
        [ROLE_TEXT] = {BLACK, BWHITE, 0},
        [ROLE_DIM] = {BBLACK, BWHITE, 0},
        [ROLE_HEADER] = {BLACK, WHITE, 0},
        [ROLE_TITLE] = {BLUE, WHITE, THEME_BOLD},
        [ROLE_COLUMN] = {BWHITE, BLUE, 0},
        [ROLE_SELECTED] = {BWHITE, BLUE, 0},
        [ROLE_TIER_LIQUIDATABLE] = {BWHITE, RED, THEME_BOLD},
        [ROLE_TIER_PRE] = {BWHITE, MAGENTA, THEME_BOLD},
        [ROLE_TIER_DANGER] = {RED, BWHITE, THEME_BOLD},
        [ROLE_TIER_WARN] = {MAGENTA, BWHITE, THEME_BOLD},
        [ROLE_TIER_OK] = {GREEN, BWHITE, 0},
        [ROLE_TIER_NODEBT] = {BBLACK, BWHITE, 0},
        [ROLE_FEED_LIVE] = {GREEN, WHITE, THEME_BOLD},
        [ROLE_FEED_DOWN] = {RED, WHITE, THEME_BOLD},
        [ROLE_STALE] = {RED, BWHITE, THEME_UNDERLINE},
        [ROLE_WHATIF] = {MAGENTA, BWHITE, THEME_BOLD},
        [ROLE_WARNING] = {BWHITE, RED, THEME_BOLD},
        [ROLE_GOOD] = {GREEN, BWHITE, 0},
        [ROLE_STATUS] = {BWHITE, BLUE, 0},
        [ROLE_STATUS_ERROR] = {BWHITE, RED, 0},
        [ROLE_BORDER] = {BLUE, BWHITE, 0},
        [ROLE_KEY] = {BLUE, BWHITE, THEME_BOLD},
        [ROLE_INPUT] = {BLACK, WHITE, THEME_UNDERLINE},
    },
};

static const struct theme theme_contrast = {
    "high-contrast",
    true,
    {
        [ROLE_TEXT] = {BWHITE, BLACK, 0},
        [ROLE_DIM] = {WHITE, BLACK, 0},
        [ROLE_HEADER] = {BLACK, BWHITE, THEME_BOLD},
        [ROLE_TITLE] = {BLACK, BWHITE, THEME_BOLD},
        [ROLE_COLUMN] = {BLACK, BYELLOW, THEME_BOLD},
        [ROLE_SELECTED] = {BLACK, BCYAN, THEME_BOLD},
        [ROLE_TIER_LIQUIDATABLE] = {BWHITE, RED, THEME_BOLD | THEME_UNDERLINE},
        [ROLE_TIER_PRE] = {BLACK, BMAGENTA, THEME_BOLD},
        [ROLE_TIER_DANGER] = {BLACK, BYELLOW, THEME_BOLD},
        [ROLE_TIER_WARN] = {BYELLOW, BLACK, THEME_BOLD},
        [ROLE_TIER_OK] = {BGREEN, BLACK, THEME_BOLD},
        [ROLE_TIER_NODEBT] = {WHITE, BLACK, 0},
        [ROLE_FEED_LIVE] = {BLACK, BGREEN, THEME_BOLD},
        [ROLE_FEED_DOWN] = {BWHITE, RED, THEME_BOLD},
        [ROLE_STALE] = {BYELLOW, BLACK, THEME_UNDERLINE | THEME_BOLD},
        [ROLE_WHATIF] = {BLACK, BMAGENTA, THEME_BOLD},
        [ROLE_WARNING] = {BWHITE, RED, THEME_BOLD},
        [ROLE_GOOD] = {BGREEN, BLACK, THEME_BOLD},
        [ROLE_STATUS] = {BLACK, BWHITE, 0},
        [ROLE_STATUS_ERROR] = {BWHITE, RED, THEME_BOLD},
        [ROLE_BORDER] = {BWHITE, BLACK, 0},
        [ROLE_KEY] = {BYELLOW, BLACK, THEME_BOLD},
        [ROLE_INPUT] = {BLACK, BWHITE, 0},
    },
};

static const struct theme theme_mono = {
    "mono",
    false,
    {
        [ROLE_TEXT] = {D, D, 0},
        [ROLE_DIM] = {D, D, THEME_DIM},
        [ROLE_HEADER] = {D, D, THEME_REVERSE},
        [ROLE_TITLE] = {D, D, THEME_REVERSE | THEME_BOLD},
        [ROLE_COLUMN] = {D, D, THEME_UNDERLINE},
        [ROLE_SELECTED] = {D, D, THEME_REVERSE},
        [ROLE_TIER_LIQUIDATABLE] = {D, D, THEME_BOLD | THEME_REVERSE},
        [ROLE_TIER_PRE] = {D, D, THEME_BOLD | THEME_UNDERLINE},
        [ROLE_TIER_DANGER] = {D, D, THEME_BOLD},
        [ROLE_TIER_WARN] = {D, D, THEME_UNDERLINE},
        [ROLE_TIER_OK] = {D, D, 0},
        [ROLE_TIER_NODEBT] = {D, D, THEME_DIM},
        [ROLE_FEED_LIVE] = {D, D, THEME_REVERSE | THEME_BOLD},
        [ROLE_FEED_DOWN] = {D, D, THEME_REVERSE | THEME_UNDERLINE},
        [ROLE_STALE] = {D, D, THEME_UNDERLINE},
        [ROLE_WHATIF] = {D, D, THEME_BOLD | THEME_UNDERLINE},
        [ROLE_WARNING] = {D, D, THEME_REVERSE | THEME_BOLD},
        [ROLE_GOOD] = {D, D, 0},
        [ROLE_STATUS] = {D, D, THEME_REVERSE},
        [ROLE_STATUS_ERROR] = {D, D, THEME_REVERSE | THEME_BOLD},
        [ROLE_BORDER] = {D, D, 0},
        [ROLE_KEY] = {D, D, THEME_BOLD},
        [ROLE_INPUT] = {D, D, THEME_UNDERLINE},
    },
};

#undef D

static const struct theme *const theme_builtins[THEME_BUILTIN_COUNT] = {
    &theme_dark, &theme_light, &theme_contrast, &theme_mono};

static const char *const theme_role_names[ROLE_COUNT] = {
    [ROLE_TEXT] = "text",
    [ROLE_DIM] = "dim",
    [ROLE_HEADER] = "header",
    [ROLE_TITLE] = "title",
    [ROLE_COLUMN] = "column",
    [ROLE_SELECTED] = "selected",
    [ROLE_TIER_LIQUIDATABLE] = "tier_liquidatable",
    [ROLE_TIER_PRE] = "tier_pre",
    [ROLE_TIER_DANGER] = "tier_danger",
    [ROLE_TIER_WARN] = "tier_warn",
    [ROLE_TIER_OK] = "tier_ok",
    [ROLE_TIER_NODEBT] = "tier_nodebt",
    [ROLE_FEED_LIVE] = "feed_live",
    [ROLE_FEED_DOWN] = "feed_down",
    [ROLE_STALE] = "stale",
    [ROLE_WHATIF] = "whatif",
    [ROLE_WARNING] = "warning",
    [ROLE_GOOD] = "good",
    [ROLE_STATUS] = "status",
    [ROLE_STATUS_ERROR] = "status_error",
    [ROLE_BORDER] = "border",
    [ROLE_KEY] = "key",
    [ROLE_INPUT] = "input",
};

/* Golden role maps: one letter a role. */
static const char theme_letters[ROLE_COUNT + 1] = "tdhTcSLPDWOnlfswXguEbki";

const char *
theme_builtin_name(int i)
{
    if (i < 0 || i >= THEME_BUILTIN_COUNT)
        return NULL;
    return theme_builtins[i]->name;
}

bool
theme_builtin(struct theme *t, const char *name)
{
    for (int i = 0; i < THEME_BUILTIN_COUNT; i++) {
        if (strcmp(theme_builtins[i]->name, name) == 0) {
            *t = *theme_builtins[i];
            return true;
        }
    }
    return false;
}

int
theme_role_find(const char *name)
{
    for (int i = 0; i < ROLE_COUNT; i++) {
        if (strcmp(theme_role_names[i], name) == 0)
            return i;
    }
    return -1;
}

const char *
theme_role_name(enum role r)
{
    return (unsigned)r < ROLE_COUNT ? theme_role_names[r] : "?";
}

int
theme_color_find(const char *name)
{
    static const char *const names[16] = {"black",        "red",
                                          "green",        "yellow",
                                          "blue",         "magenta",
                                          "cyan",         "white",
                                          "bright_black", "bright_red",
                                          "bright_green", "bright_yellow",
                                          "bright_blue",  "bright_magenta",
                                          "bright_cyan",  "bright_white"};
    char *end = NULL;
    long n;

    if (strcmp(name, "default") == 0)
        return THEME_DEFAULT;
    for (int i = 0; i < 16; i++) {
        if (strcmp(name, names[i]) == 0)
            return i;
    }
    n = strtol(name, &end, 10);
    if (end != name && *end == '\0' && n >= 0 && n < 16)
        return (int)n;
    return -2;
}

int
theme_attr_find(const char *name)
{
    if (strcmp(name, "bold") == 0)
        return THEME_BOLD;
    if (strcmp(name, "reverse") == 0)
        return THEME_REVERSE;
    if (strcmp(name, "underline") == 0)
        return THEME_UNDERLINE;
    if (strcmp(name, "dim") == 0)
        return THEME_DIM;
    return 0;
}

char
theme_role_letter(enum role r)
{
    return (unsigned)r < ROLE_COUNT ? theme_letters[r] : '?';
}
