/*
 * input.c: the key table (as nnn's bindings[]): defaults, lookup, and
 * remapping by name.
 *
 * Owns the names users write in config.json and the help text of every
 * action, so that the help overlay and the bindings never disagree.
 */
#include "tui/input.h"

#include <stdio.h>
#include <string.h>

struct input_info {
    const char *name;
    const char *help;
};

static const struct input_info input_info[ACT_COUNT] = {
    [ACT_NONE] = {"none", ""},
    [ACT_QUIT] = {"quit", "quit (the terminal is restored)"},
    [ACT_HELP] = {"help", "this help; type to search it"},
    [ACT_FILTER] = {"filter",
                    "filter: text, hf<1.1, tier:liq, market:, asset:, stale"},
    [ACT_SORT] = {"sort", "cycle the sort: health, id, collateral, debt, "
                          "distance"},
    [ACT_FREEZE] = {"freeze", "freeze the ranking (rows stop moving)"},
    [ACT_DETAIL] = {"detail", "open the detail pane of the selection"},
    [ACT_PREVIEW] = {"preview", "preview a liquidation of the selection"},
    [ACT_THEME] = {"theme", "cycle themes: dark, light, high-contrast, mono"},
    [ACT_SHOCK_DOWN] = {"shock_down", "what-if: main collateral price -1 %"},
    [ACT_SHOCK_UP] = {"shock_up", "what-if: main collateral price +1 %"},
    [ACT_SHOCK_CLEAR] = {"shock_clear", "clear every what-if shock"},
    [ACT_SCENARIO] = {"scenario", "what-if: type a shock of the whole book"},
    [ACT_REDACT] = {"redact", "hide amounts and values (screenshots)"},
    [ACT_UP] = {"up", "previous position"},
    [ACT_DOWN] = {"down", "next position"},
    [ACT_PAGE_UP] = {"page_up", "a page up (preview: repay -10 %)"},
    [ACT_PAGE_DOWN] = {"page_down", "a page down (preview: repay +10 %)"},
    [ACT_TOP] = {"top", "first position"},
    [ACT_BOTTOM] = {"bottom", "last position"},
    [ACT_BACK] = {"back", "close the pane, the help or the filter"},
    [ACT_NEXT_FIELD] = {"next_field", "preview: next debt / collateral pair"},
    [ACT_LESS] = {"less", "preview: repay -1 %"},
    [ACT_MORE] = {"more", "preview: repay +1 %"},
    [ACT_MAX] = {"max", "preview: repay the most one call may"},
    [ACT_AMOUNT] = {"amount", "preview: type an exact repay amount"},
    [ACT_TARGET] = {"target", "preview: type a target health factor"},
    [ACT_AVOID_TAB] = {"avoid", "preview: least repay/deposit that avoids "
                                "liquidation"},
    [ACT_REVERSE] = {"reverse", "reverse the sort"},
    [ACT_NEXT_MATCH] = {"next_match", "next match of the filter (wraps)"},
    [ACT_PREV_MATCH] = {"prev_match", "previous match of the filter"},
    [ACT_PREV_FIELD] = {"prev_field",
                        "preview: previous debt / collateral pair"},
    [ACT_LOG_OLDER] = {"log_older", "event log: scroll to older events"},
    [ACT_LOG_NEWER] = {"log_newer", "event log: back to newer events"},
};

struct input_keyname {
    const char *name;
    int key;
};

static const struct input_keyname input_keynames[] = {
    {"up", KEY_UP_},
    {"down", KEY_DOWN_},
    {"left", KEY_LEFT_},
    {"right", KEY_RIGHT_},
    {"pgup", KEY_PGUP_},
    {"pgdn", KEY_PGDN_},
    {"home", KEY_HOME_},
    {"end", KEY_END_},
    {"enter", KEY_ENTER_},
    {"esc", KEY_ESC_},
    {"tab", KEY_TAB_},
    {"btab", KEY_BTAB_},
    {"backspace", KEY_BACKSPACE_},
    {"space", ' '},
    {"f1", KEY_F1_},
    {"f10", KEY_F10_},
};

static void
input_add(struct keymap *km, int key, enum action a)
{
    for (int i = 0; i < km->n; i++) {
        if (km->key[i] == key) {
            km->act[i] = a;
            return;
        }
    }
    if (km->n < INPUT_BINDINGS_MAX) {
        km->key[km->n] = key;
        km->act[km->n] = a;
        km->n++;
    }
}

void
input_defaults(struct keymap *km)
{
    static const struct {
        int key;
        enum action a;
    } def[] = {
        {'q', ACT_QUIT},
        {KEY_F10_, ACT_QUIT},
        {'?', ACT_HELP},
        {KEY_F1_, ACT_HELP},
        {'/', ACT_FILTER},
        {'s', ACT_SORT},
        {'f', ACT_FREEZE},
        {KEY_ENTER_, ACT_DETAIL},
        {'p', ACT_PREVIEW},
        {'t', ACT_THEME},
        {'[', ACT_SHOCK_DOWN},
        {']', ACT_SHOCK_UP},
        {'0', ACT_SHOCK_CLEAR},
        {'w', ACT_SCENARIO},
        {'r', ACT_REDACT},
        {'k', ACT_UP},
        {KEY_UP_, ACT_UP},
        {'j', ACT_DOWN},
        {KEY_DOWN_, ACT_DOWN},
        {KEY_PGUP_, ACT_PAGE_UP},
        {KEY_PGDN_, ACT_PAGE_DOWN},
        {'g', ACT_TOP},
        {KEY_HOME_, ACT_TOP},
        {'G', ACT_BOTTOM},
        {KEY_END_, ACT_BOTTOM},
        {KEY_ESC_, ACT_BACK},
        {KEY_TAB_, ACT_NEXT_FIELD},
        {KEY_LEFT_, ACT_LESS},
        {KEY_RIGHT_, ACT_MORE},
        {'m', ACT_MAX},
        {'=', ACT_AMOUNT},
        {'h', ACT_TARGET},
        {'a', ACT_AVOID_TAB},
        {'I', ACT_REVERSE},
        {'S', ACT_REVERSE},
        {'n', ACT_NEXT_MATCH},
        {'N', ACT_PREV_MATCH},
        {KEY_BTAB_, ACT_PREV_FIELD},
        {'<', ACT_LOG_OLDER},
        {'>', ACT_LOG_NEWER},
    };

    km->n = 0;
    for (size_t i = 0; i < sizeof(def) / sizeof(def[0]); i++)
        input_add(km, def[i].key, def[i].a);
}

enum action
input_action(const struct keymap *km, int key)
{
    for (int i = 0; i < km->n; i++) {
        if (km->key[i] == key)
            return km->act[i];
    }
    return ACT_NONE;
}

int
input_bind(struct keymap *km, const char *key, const char *action)
{
    int code = -1, a = -1;

    if (strlen(key) == 1 && (unsigned char)key[0] > 0x20 &&
        (unsigned char)key[0] < 0x7f)
        code = key[0];
    for (size_t i = 0;
         code < 0 && i < sizeof(input_keynames) / sizeof(input_keynames[0]);
         i++) {
        if (strcmp(input_keynames[i].name, key) == 0)
            code = input_keynames[i].key;
    }
    if (code < 0)
        return -1;
    for (int i = 1; i < ACT_COUNT; i++) {
        if (strcmp(input_info[i].name, action) == 0)
            a = i;
    }
    if (strcmp(action, "none") == 0)
        a = ACT_NONE;
    if (a < 0)
        return -2;
    input_add(km, code, (enum action)a);
    return 0;
}

const char *
input_action_name(enum action a)
{
    return (unsigned)a < ACT_COUNT ? input_info[a].name : "?";
}

const char *
input_action_help(enum action a)
{
    return (unsigned)a < ACT_COUNT ? input_info[a].help : "";
}

static const char *
input_key_name(int key, char one[2])
{
    for (size_t i = 0; i < sizeof(input_keynames) / sizeof(input_keynames[0]);
         i++) {
        if (input_keynames[i].key == key)
            return input_keynames[i].name;
    }
    one[0] = (char)key;
    one[1] = '\0';
    return one;
}

void
input_keys_text(const struct keymap *km, enum action a, char *buf, size_t cap)
{
    size_t len = 0;

    if (cap == 0)
        return;
    buf[0] = '\0';
    for (int i = 0; i < km->n; i++) {
        char one[2];
        int n;

        if (km->act[i] != a)
            continue;
        n = snprintf(buf + len, cap - len, "%s%s", len ? "/" : "",
                     input_key_name(km->key[i], one));
        if (n < 0 || (size_t)n >= cap - len)
            break;
        len += (size_t)n;
    }
}
