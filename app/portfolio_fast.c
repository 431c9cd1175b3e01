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
 *
 * The line is read in one pass: each member's value is taken where it
 * stands, the legs as text until the market is known, then resolved.
 */
#include "app/portfolio_fast.h"

#include <string.h>

#include "app/portfolio.h"
#include "app/portfolio_state.h"
#include "app/textout.h"
#include "core/decimal.h"
#include "core/liq.h"
#include "core/model.h"

struct fast_cursor {
    const char *p;
    const char *end;
};

/* What a byte is inside a string: plain printable ASCII, the closing
 * quote, what the quick reader leaves to cJSON (an escape, a control
 * byte), or a byte that needs the UTF-8 and control checks (DEL, and
 * anything past ASCII). */
enum fast_class { FAST_PLAIN, FAST_QUOTE, FAST_DECLINE, FAST_CHECK };

#define FAST_R4(x) x, x, x, x
#define FAST_R16(x) FAST_R4(x), FAST_R4(x), FAST_R4(x), FAST_R4(x)
#define FAST_R32(x) FAST_R16(x), FAST_R16(x)
#define FAST_R128(x) FAST_R32(x), FAST_R32(x), FAST_R32(x), FAST_R32(x)

/* Printable ASCII (0x20 to 0x7e) is FAST_PLAIN, the zero. */
static const unsigned char fast_class_of[256] = {
    FAST_R32(FAST_DECLINE), /* 0x00 to 0x1f */
    ['"'] = FAST_QUOTE,     /* the end */
    ['\\'] = FAST_DECLINE,  /* an escape */
    [0x7f] = FAST_CHECK,    /* DEL, and then */
    FAST_R128(FAST_CHECK),  /* 0x80 to 0xff */
};

static void
fast_ws(struct fast_cursor *c)
{
    while (c->p < c->end &&
           (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r'))
        c->p++;
}

/* fast_char() where blanks come first. */
static bool
fast_char_after_ws(struct fast_cursor *c, char ch)
{
    fast_ws(c);
    if (c->p < c->end && *c->p == ch) {
        c->p++;
        return true;
    }
    return false;
}

/* ch (never a blank) after any blanks; inline for the usual case, ch
 * straight away or after one space. */
static inline bool
fast_char(struct fast_cursor *c, char ch)
{
    if (c->p < c->end && *c->p == ' ')
        c->p++;
    if (c->p < c->end && *c->p == ch) {
        c->p++;
        return true;
    }
    return fast_char_after_ws(c, ch);
}

/* Eight bytes, the first in the low byte (one load where that is the
 * machine's order). */
static uint64_t
fast_load8(const unsigned char *p)
{
    return (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 |
           (uint64_t)p[3] << 24 | (uint64_t)p[4] << 32 | (uint64_t)p[5] << 40 |
           (uint64_t)p[6] << 48 | (uint64_t)p[7] << 56;
}

/*
 * Of eight bytes (the first in the low byte), the high bit of each that
 * may end a run of FAST_PLAIN: below 0x20, '"', '\\', 0x7f and up. The
 * lowest bit set is exact; a borrow or carry from it may set higher ones,
 * which are never looked at.
 */
static uint64_t
fast_stops(uint64_t x)
{
    const uint64_t ones = 0x0101010101010101ULL, high = ones * 0x80;
    uint64_t q = x ^ (ones * '"'), bs = x ^ (ones * '\\');

    return (((x - ones * 0x20) & ~x) | ((q - ones) & ~q) | ((bs - ones) & ~bs) |
            (x + ones) | x) &
           high;
}

/* A string without escapes or control bytes: its bytes, unquoted, and
 * whether they are all printable ASCII (then valid UTF-8 without control
 * characters, with nothing more to check). Eight bytes a step while eight
 * remain. */
static bool
fast_string(struct fast_cursor *c, const char **s, size_t *len, bool *plain)
{
    if (!fast_char(c, '"'))
        return false;
    const unsigned char *p = (const unsigned char *)c->p;
    const unsigned char *end = (const unsigned char *)c->end;
    bool all_plain = true;

    for (;;) {
        while (end - p >= 8) {
            uint64_t stops = fast_stops(fast_load8(p));

            if (stops != 0) {
                p += __builtin_ctzll(stops) / 8;
                break;
            }
            p += 8;
        }
        while (p < end && fast_class_of[*p] == FAST_PLAIN)
            p++;
        if (p == end || fast_class_of[*p] == FAST_DECLINE)
            return false;
        if (fast_class_of[*p] == FAST_QUOTE)
            break;
        all_plain = false;
        p++;
    }
    *s = c->p;
    *len = (size_t)((const char *)p - c->p);
    *plain = all_plain;
    c->p = (const char *)p + 1;
    return true;
}

/* A string member as get_string_item() would take it, NUL-terminated in
 * buf (cap bytes, so at most cap - 1 long). */
static bool
fast_text(struct fast_cursor *c, char *buf, size_t cap, bool required)
{
    const char *s;
    size_t len;
    bool plain;

    if (!fast_string(c, &s, &len, &plain) || len >= cap ||
        (required && len == 0) ||
        (!plain &&
         (!textout_utf8_valid(s, len) || textout_has_control(s, len))))
        return false;
    memcpy(buf, s, len);
    buf[len] = '\0';
    return true;
}

/* One side's legs as text, before the market is known. */
struct fast_side {
    struct {
        const char *sym, *amt;
        size_t slen, alen;
    } leg[POSITION_SIDE_MAX];
    uint8_t n;
};

/* An object of "SYM": "amount" members, held as text. */
static bool
fast_side(struct fast_cursor *c, struct fast_side *side)
{
    bool plain;

    side->n = 0;
    if (!fast_char(c, '{'))
        return false;
    if (fast_char(c, '}'))
        return true;
    do {
        if (side->n == POSITION_SIDE_MAX)
            return false;
        if (!fast_string(c, &side->leg[side->n].sym, &side->leg[side->n].slen,
                         &plain) ||
            !fast_char(c, ':') ||
            !fast_string(c, &side->leg[side->n].amt, &side->leg[side->n].alen,
                         &plain))
            return false;
        side->n++;
    } while (fast_char(c, ','));
    return fast_char(c, '}');
}

/* The first asset of m whose symbol is named sym[0, len), as
 * book_symbol_find() and market_asset_find() would find it, or -1: the
 * market's few names compared, no hash taken. */
static int
fast_asset(const struct book *b, const struct market *m, const char *sym,
           size_t len)
{
    for (unsigned i = 0; i < m->nassets; i++) {
        const char *name = book_symbol_name(b, m->assets[i].sym);
        if (strncmp(name, sym, len) == 0 && name[len] == '\0')
            return (int)i;
    }
    return -1;
}

/* The legs of one side in market m, as load_legs() would take them. */
static bool
fast_legs(const struct fast_side *side, struct book *b, const struct market *m,
          struct leg *legs, uint8_t *nlegs)
{
    for (uint8_t n = 0; n < side->n; n++) {
        int ai;

        if ((ai = fast_asset(b, m, side->leg[n].sym, side->leg[n].slen)) < 0)
            return false;
        for (uint8_t j = 0; j < n; j++)
            if (legs[j].asset == (uint8_t)ai)
                return false;
        if (decimal_parse(&legs[n].amount, side->leg[n].amt, side->leg[n].alen,
                          m->assets[ai].decimals, DECIMAL_EXACT) != 0)
            return false;
        legs[n].asset = (uint8_t)ai;
    }
    *nlegs = side->n;
    return true;
}

enum fast_member { FAST_ID, FAST_MARKET, FAST_LABEL, FAST_COLL, FAST_DEBT };

/* The member a key names, or -1. */
static int
fast_key(const char *k, size_t len)
{
    switch (len) {
    case 2:
        return memcmp(k, "id", 2) == 0 ? FAST_ID : -1;
    case 4:
        return memcmp(k, "debt", 4) == 0 ? FAST_DEBT : -1;
    case 5:
        return memcmp(k, "label", 5) == 0 ? FAST_LABEL : -1;
    case 6:
        return memcmp(k, "market", 6) == 0 ? FAST_MARKET : -1;
    case 10:
        return memcmp(k, "collateral", 10) == 0 ? FAST_COLL : -1;
    default:
        return -1;
    }
}

/* A line's members, read where they stand. */
struct fast_line {
    char id[POSITION_ID_MAX], market[MARKET_ID_MAX], label[LABEL_MAX + 1];
    struct fast_side coll, debt;
    bool seen[5];
};

static bool
fast_member(struct fast_cursor *c, struct fast_line *ln, int i)
{
    switch (i) {
    case FAST_ID:
        return fast_text(c, ln->id, sizeof ln->id, true);
    case FAST_MARKET:
        return fast_text(c, ln->market, sizeof ln->market, true);
    case FAST_LABEL:
        return fast_text(c, ln->label, sizeof ln->label, false);
    case FAST_COLL:
        return fast_side(c, &ln->coll);
    default:
        return fast_side(c, &ln->debt);
    }
}

static bool
fast_scan(struct fast_cursor *c, struct fast_line *ln)
{
    memset(ln->seen, 0, sizeof ln->seen);
    ln->coll.n = ln->debt.n = 0;
    if (!fast_char(c, '{'))
        return false;
    do {
        const char *k;
        size_t klen;
        bool plain;
        int i;

        if (!fast_string(c, &k, &klen, &plain) || (i = fast_key(k, klen)) < 0 ||
            ln->seen[i] || !fast_char(c, ':') || !fast_member(c, ln, i))
            return false;
        ln->seen[i] = true;
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
    struct fast_line ln;
    struct position p;
    uint32_t midx, idx;
    char msg[8];

    if (!fast_scan(&c, &ln) || !ln.seen[FAST_ID] || !ln.seen[FAST_MARKET])
        return false;
    /* The id table's slot is fetched while the legs are read. */
    book_position_prefetch_id(L->b, ln.id, strlen(ln.id));
    if (portfolio_read_find_market(L, ln.market, &midx) != 0)
        return false;
    const struct market *m = book_market(L->b, midx);
    if (!portfolio_state_plain(m))
        return false; /* legs in stored units: portfolio_state.c's */
    memset(&p, 0, sizeof p);
    p.id = ln.id;
    p.label = ln.seen[FAST_LABEL] ? ln.label : "";
    p.market = midx;
    if (!fast_legs(&ln.coll, L->b, m, p.coll, &p.ncoll) ||
        !fast_legs(&ln.debt, L->b, m, p.debt, &p.ndebt))
        return false;
    const struct model_ops *ops = model_get(m->model);
    if (ops != NULL && ops->check_position != NULL &&
        ops->check_position(m, &p, msg, sizeof msg) != 0)
        return false;
    if (!portfolio_shard_keeps(p.id, strlen(p.id)))
        return true; /* another shard's: read, not held */
    return book_position_add(L->b, &p, &idx) == 0;
}
