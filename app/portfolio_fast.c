/*
 * portfolio_fast.c: a quick reader for the usual shape of a JSON Lines
 * position, one object whose members are id, market, label (plain strings)
 * and collateral and debt (objects of plain-string amounts), read straight
 * into the book without a JSON tree.
 *
 * It owns no rule of its own: any line it is not sure of (an escape, a
 * number, another key, a key twice, a value out of bounds, an unknown
 * market or asset, an amount the decimals refuse, a position the model
 * refuses, a duplicate id) it declines with nothing changed, and the line
 * goes through cJSON and portfolio_read_position(), which accepts what it
 * accepts and words every error with its location. The quick path changes
 * the speed of a load, never its outcome.
 */
#include "app/portfolio_fast.h"

#include <string.h>

#include "app/textout.h"
#include "core/decimal.h"
#include "core/liq.h"
#include "core/model.h"

struct fast_cursor {
    const char *p;
    const char *end;
};

static void
fast_ws(struct fast_cursor *c)
{
    while (c->p < c->end &&
           (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r'))
        c->p++;
}

static bool
fast_char(struct fast_cursor *c, char ch)
{
    fast_ws(c);
    if (c->p < c->end && *c->p == ch) {
        c->p++;
        return true;
    }
    return false;
}

/* A string without escapes or control bytes: its bytes, unquoted. */
static bool
fast_string(struct fast_cursor *c, const char **s, size_t *len)
{
    if (!fast_char(c, '"'))
        return false;
    const char *start = c->p;
    while (c->p < c->end && *c->p != '"') {
        unsigned char ch = (unsigned char)*c->p;
        if (ch == '\\' || ch < 0x20)
            return false;
        c->p++;
    }
    if (c->p == c->end)
        return false;
    *s = start;
    *len = (size_t)(c->p - start);
    c->p++;
    return true;
}

/* A string member as get_string_item() would take it, NUL-terminated in
 * buf (cap bytes, so at most cap - 1 long). */
static bool
fast_text(struct fast_cursor *c, char *buf, size_t cap, bool required)
{
    const char *s;
    size_t len;

    if (!fast_string(c, &s, &len) || len >= cap || (required && len == 0) ||
        !textout_utf8_valid(s, len) || textout_has_control(s, len))
        return false;
    memcpy(buf, s, len);
    buf[len] = '\0';
    return true;
}

/* An object of "SYM": "amount" members, as load_legs() would take it. */
static bool
fast_legs(struct fast_cursor *c, struct book *b, const struct market *m,
          struct leg *legs, uint8_t *nlegs)
{
    uint8_t n = 0;

    if (!fast_char(c, '{'))
        return false;
    if (fast_char(c, '}')) {
        *nlegs = 0;
        return true;
    }
    do {
        const char *sym, *amt;
        size_t slen, alen;
        uint32_t id;
        int ai;

        if (!fast_string(c, &sym, &slen) || !fast_char(c, ':') ||
            !fast_string(c, &amt, &alen) || n == POSITION_SIDE_MAX ||
            book_symbol_find(b, sym, slen, &id) != 0 ||
            (ai = market_asset_find(m, id)) < 0)
            return false;
        for (uint8_t j = 0; j < n; j++)
            if (legs[j].asset == (uint8_t)ai)
                return false;
        if (decimal_parse(&legs[n].amount, amt, alen, m->assets[ai].decimals,
                          DECIMAL_EXACT) != 0)
            return false;
        legs[n++].asset = (uint8_t)ai;
    } while (fast_char(c, ','));
    if (!fast_char(c, '}'))
        return false;
    *nlegs = n;
    return true;
}

/* The members' places in the line, found in one pass. */
struct fast_members {
    struct fast_cursor at[5]; /* id, market, label, collateral, debt */
    bool seen[5];
};

static int
fast_key(const char *k, size_t len)
{
    static const char *const keys[] = {"id", "market", "label", "collateral",
                                       "debt"};

    for (int i = 0; i < 5; i++)
        if (strlen(keys[i]) == len && memcmp(keys[i], k, len) == 0)
            return i;
    return -1;
}

/* Skip a value of the shapes above: a plain string or a flat object. */
static bool
fast_skip(struct fast_cursor *c)
{
    const char *s;
    size_t len;

    fast_ws(c);
    if (c->p < c->end && *c->p == '"')
        return fast_string(c, &s, &len);
    if (!fast_char(c, '{'))
        return false;
    if (fast_char(c, '}'))
        return true;
    do {
        if (!fast_string(c, &s, &len) || !fast_char(c, ':') ||
            !fast_string(c, &s, &len))
            return false;
    } while (fast_char(c, ','));
    return fast_char(c, '}');
}

static bool
fast_scan(struct fast_cursor *c, struct fast_members *mb)
{
    memset(mb, 0, sizeof(*mb));
    if (!fast_char(c, '{'))
        return false;
    do {
        const char *k;
        size_t klen;
        int i;

        if (!fast_string(c, &k, &klen) || (i = fast_key(k, klen)) < 0 ||
            mb->seen[i] || !fast_char(c, ':'))
            return false;
        mb->seen[i] = true;
        fast_ws(c);
        mb->at[i] = *c;
        if (!fast_skip(c))
            return false;
    } while (fast_char(c, ','));
    if (!fast_char(c, '}'))
        return false;
    fast_ws(c);
    return c->p == c->end;
}

bool
portfolio_fast_position(struct portfolio_reader *L, const char *line,
                        size_t len)
{
    struct fast_cursor c = {line, line + len};
    struct fast_members mb;
    char id[POSITION_ID_MAX], market[MARKET_ID_MAX], label[LABEL_MAX + 1];
    struct position p;
    uint32_t midx, idx;
    char msg[8];

    if (!fast_scan(&c, &mb) || !mb.seen[0] || !mb.seen[1] ||
        !fast_text(&mb.at[0], id, sizeof id, true) ||
        !fast_text(&mb.at[1], market, sizeof market, true) ||
        (mb.seen[2] && !fast_text(&mb.at[2], label, sizeof label, false)) ||
        portfolio_read_find_market(L, market, &midx) != 0)
        return false;
    const struct market *m = book_market(L->b, midx);
    memset(&p, 0, sizeof p);
    p.id = id;
    p.label = mb.seen[2] ? label : "";
    p.market = midx;
    if ((mb.seen[3] && !fast_legs(&mb.at[3], L->b, m, p.coll, &p.ncoll)) ||
        (mb.seen[4] && !fast_legs(&mb.at[4], L->b, m, p.debt, &p.ndebt)))
        return false;
    const struct model_ops *ops = model_get(m->model);
    if (ops != NULL && ops->check_position != NULL &&
        ops->check_position(m, &p, msg, sizeof msg) != 0)
        return false;
    return book_position_add(L->b, &p, &idx) == 0;
}
