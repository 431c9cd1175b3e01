/*
 * themefile.h: theme and config files, read with cJSON into the plain
 * structs of tui/ (which never sees JSON).
 *
 * Theme: themes/NAME.json, {"name": "dark", "base": "dark", "roles":
 *   {"tier_danger": {"fg": "bright_red", "bg": "default",
 *    "attrs": ["bold"]}, ...}}; found by path, in
 *   $XDG_CONFIG_HOME/liqtop/themes, ./themes, or LIQTOP_DATADIR/themes.
 * Config: $XDG_CONFIG_HOME/liqtop/config.json (else ~/.config/...),
 *   {"theme": "light", "keys": {"x": "freeze", "Q": "quit"},
 *    "target_health": "1.05"}.
 * Errors name the file and the JSON path; the caller keeps the defaults
 * and shows the message in the status line.
 */
#ifndef THEMEFILE_H
#define THEMEFILE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/u256.h"
#include "tui/input.h"
#include "tui/theme.h"

/* Load theme `name` (a built-in name, a name found on the search path, or
 * a path to a .json file) into t. On failure t holds the built-in theme
 * of that name or "dark", and err says why, a theme found nowhere named
 * as `from` gave it ("--theme", or the config file's path and key). */
int themefile_load(struct theme *t, const char *name, const char *from,
                   char *err, size_t errlen);
/* The config file's path (whether or not it exists) into path; false when
 * neither XDG_CONFIG_HOME nor HOME is set. */
bool themefile_config_path(char *path, size_t cap);

/* Read the config file if there is one: key bindings into km, the theme
 * name into theme (cap bytes; untouched when the file names none). 0 when
 * there is no file. */
int themefile_config(struct keymap *km, char *theme, size_t cap, char *err,
                     size_t errlen);
/* The config file's target_health (a string such as "1.05", above 0, at
 * most 18 places) into *target_wad, *has set; *has false, 0, when the
 * file or the key is absent; else an error and the message in err. */
int themefile_config_target(struct u256 *target_wad, bool *has, char *err,
                            size_t errlen);

#endif
