/*
 * input.h: keys and actions. Keys arrive as plain codes (ASCII, or the
 * KEY_* values below that tui/term.c maps from curses); a table maps them
 * to actions, and that table can be remapped by name from a config file.
 *
 * Owns enum action, the default bindings and their help text.
 */
#ifndef INPUT_H
#define INPUT_H

#include <stdbool.h>
#include <stddef.h>

/* Special keys, above the byte range. */
enum {
    KEY_UP_ = 0x1000,
    KEY_DOWN_,
    KEY_LEFT_,
    KEY_RIGHT_,
    KEY_PGUP_,
    KEY_PGDN_,
    KEY_HOME_,
    KEY_END_,
    KEY_ENTER_,
    KEY_ESC_,
    KEY_TAB_,
    KEY_BTAB_,
    KEY_BACKSPACE_,
    KEY_RESIZE_,
    KEY_F1_,
    KEY_F10_,
    KEY_MOUSE_ /* the event: term_mouse() */
};

/* A mouse event, in screen cells. */
enum input_mouse_kind { MOUSE_CLICK, MOUSE_WHEEL_UP, MOUSE_WHEEL_DOWN };
struct input_mouse {
    enum input_mouse_kind kind;
    int row;
    int col;
};

enum action {
    ACT_NONE,
    ACT_QUIT,
    ACT_HELP,
    ACT_FILTER,
    ACT_SORT,
    ACT_FREEZE,
    ACT_DETAIL,
    ACT_PREVIEW,
    ACT_THEME,
    ACT_SHOCK_DOWN,
    ACT_SHOCK_UP,
    ACT_SHOCK_CLEAR,
    ACT_SCENARIO, /* what-if: type a shock for the whole book */
    ACT_REDACT,
    ACT_UP,
    ACT_DOWN,
    ACT_PAGE_UP,
    ACT_PAGE_DOWN,
    ACT_TOP,
    ACT_BOTTOM,
    ACT_BACK,
    ACT_NEXT_FIELD, /* preview: next choice (debt, collateral, tab) */
    ACT_LESS,       /* preview: repay -1 % */
    ACT_MORE,       /* preview: repay +1 % */
    ACT_MAX,        /* preview: repay the maximum */
    ACT_AMOUNT,     /* preview: type an exact repay */
    ACT_TARGET,     /* preview: type a target health */
    ACT_AVOID_TAB,  /* preview: the avoid-liquidation tab */
    ACT_REVERSE,    /* the sort the other way */
    ACT_NEXT_MATCH, /* the next position the filter keeps (wraps) */
    ACT_PREV_MATCH,
    ACT_PREV_FIELD, /* preview: the previous choice */
    ACT_LOG_OLDER,  /* the event log: older entries */
    ACT_LOG_NEWER,  /* the event log: newer entries */
    ACT_COUNT
};

#define INPUT_BINDINGS_MAX 64

struct keymap {
    int n;
    int key[INPUT_BINDINGS_MAX];
    enum action act[INPUT_BINDINGS_MAX];
};

/* The default bindings of design.md section 6. */
void input_defaults(struct keymap *km);
enum action input_action(const struct keymap *km, int key);
/* Bind a key ("q", "x", "up", "pgdn", "enter", "tab", "F5" is not
 * supported) to an action by name ("quit", "freeze", ...). Returns 0, or
 * -1 for an unknown key, -2 for an unknown action. */
int input_bind(struct keymap *km, const char *key, const char *action);
const char *input_action_name(enum action a);
/* One line of help for an action. */
const char *input_action_help(enum action a);
/* The keys bound to a, as text ("q", "j/down"), into buf. */
void input_keys_text(const struct keymap *km, enum action a, char *buf,
                     size_t cap);

#endif
