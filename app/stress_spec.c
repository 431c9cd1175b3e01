/*
 * stress_spec.c: reading --shock and --grid into scenarios and checking
 * each shocked price against the book.
 *
 * Owns the text forms: a shock is SYM=PCT% (a signed percentage with at
 * most four places, "-20%", "+5%", "12.5%"), several joined by commas; a
 * grid range is SYM=FROM%..TO%/STEP%, several joined by commas giving
 * their cross product. Computes no money beyond checking that a shocked
 * price stays above zero.
 */
#include "app/stress_spec.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/textout.h"
#include "core/liq.h"
#include "core/stress.h"

#define SPEC_MOVES_MAX 64              /* symbols one scenario may move */
#define SPEC_PPM_MAX (10 * STRESS_PPM) /* +1000 % at most */

void
stress_spec_init(struct stress_spec *s)
{
    memset(s, 0, sizeof *s);
}

void
stress_spec_done(struct stress_spec *s)
{
    for (uint32_t i = 0; i < s->nsc; i++)
        free(s->sc[i].move);
    free(s->sc);
    memset(s, 0, sizeof *s);
}

void
stress_spec_pct(char *buf, size_t cap, int32_t ppm)
{
    uint32_t a = ppm < 0 ? (uint32_t)(-(int64_t)ppm) : (uint32_t)ppm;
    char frac[8];
    unsigned f = a % 10000, n;

    /* ppm is a ten-thousandth of a percent */
    snprintf(frac, sizeof frac, "%04u", f);
    for (n = 4; n > 0 && frac[n - 1] == '0'; n--)
        frac[n - 1] = '\0';
    snprintf(buf, cap, "%s%u%s%s%%", ppm < 0 ? "-" : "", a / 10000,
             n > 0 ? "." : "", frac);
}

int
stress_spec_parse_pct(const char *s, size_t len, int32_t *ppm)
{
    int64_t v = 0;
    size_t i = 0;
    unsigned places = 0;
    bool neg = false, digits = false, dot = false;

    if (len == 0 || s[len - 1] != '%')
        return -1;
    len--;
    if (i < len && (s[i] == '-' || s[i] == '+'))
        neg = s[i++] == '-';
    for (; i < len; i++) {
        if (s[i] == '.' && !dot) {
            dot = true;
            continue;
        }
        if (s[i] < '0' || s[i] > '9' || (dot && places == 4))
            return -1;
        v = v * 10 + (s[i] - '0');
        digits = true;
        places += dot;
        if (v > (int64_t)SPEC_PPM_MAX * 10)
            return -1;
    }
    if (!digits)
        return -1;
    for (; places < 4; places++)
        v *= 10;
    if (v > SPEC_PPM_MAX)
        return -1;
    *ppm = (int32_t)(neg ? -v : v);
    return 0;
}

/* The symbol at s[0, len): its id, or a message. */
static int
spec_sym(const struct book *b, const char *opt, const char *s, size_t len,
         uint32_t *sym, char *err, size_t errlen)
{
    char safe[64];

    textout_safe(safe, sizeof safe, s, len, 30);
    if (len == 0 || book_symbol_find(b, s, len, sym) != 0 ||
        !book_price_get(b, *sym, NULL, NULL)) {
        snprintf(err, errlen, "%s %s: %s is no asset of the book", opt,
                 len ? safe : "(empty)", len ? safe : "the symbol");
        return LIQ_EINVAL;
    }
    return 0;
}

/* The shocked price of sym stays above zero, in every market's base
 * units too. */
static int
spec_check_price(const struct book *b, const char *opt, uint32_t sym,
                 int32_t ppm, char *err, size_t errlen)
{
    struct u256 p, q;
    char pct[32];
    const char *name = book_symbol_name(b, sym);

    stress_spec_pct(pct, sizeof pct, ppm);
    if (!book_price_get(b, sym, &p, NULL) || stress_price(p, ppm, &q) != 0) {
        snprintf(err, errlen, "%s %s=%s: drives %s's price to zero or below",
                 opt, name, pct, name);
        return LIQ_EINVAL;
    }
    for (uint32_t mi = 0; mi < book_market_count(b); mi++) {
        const struct market *m = book_market(b, mi);

        if (market_asset_find(m, sym) >= 0 &&
            u256_is_zero(market_price_base(m, q))) {
            snprintf(err, errlen,
                     "%s %s=%s: drives %s's price to zero in market %s's "
                     "base units",
                     opt, name, pct, name, m->id);
            return LIQ_EINVAL;
        }
    }
    return 0;
}

static int
spec_push(struct stress_spec *s, const struct stress_move *mv, uint32_t n,
          const char *opt, char *err, size_t errlen)
{
    struct stress_scenario *sc;

    if (s->nsc >= STRESS_SPEC_MAX) {
        snprintf(err, errlen, "%s: more than %d scenarios", opt,
                 STRESS_SPEC_MAX);
        return LIQ_ELIMIT;
    }
    if (s->nsc == s->capsc) {
        s->capsc = s->capsc ? s->capsc * 2 : 16;
        s->sc = realloc(s->sc, s->capsc * sizeof *s->sc);
        if (s->sc == NULL)
            abort();
    }
    sc = &s->sc[s->nsc++];
    sc->nmove = n;
    sc->move = malloc((n ? n : 1) * sizeof *sc->move);
    if (sc->move == NULL)
        abort();
    memcpy(sc->move, mv, n * sizeof *mv);
    return 0;
}

/* Split text at commas into items [start, end). */
static size_t
spec_items(const char *text, const char **start, size_t *len, size_t max)
{
    size_t n = 0;
    const char *p = text;

    for (;;) {
        const char *c = strchr(p, ',');
        size_t l = c ? (size_t)(c - p) : strlen(p);

        if (n == max)
            return max + 1;
        start[n] = p;
        len[n++] = l;
        if (c == NULL)
            return n;
        p = c + 1;
    }
}

static int
spec_dup(const struct book *b, const char *opt, const struct stress_move *mv,
         uint32_t n, char *err, size_t errlen)
{
    for (uint32_t i = 0; i < n; i++)
        for (uint32_t k = i + 1; k < n; k++)
            if (mv[i].sym == mv[k].sym) {
                snprintf(err, errlen, "%s: %s is moved twice", opt,
                         book_symbol_name(b, mv[i].sym));
                return LIQ_EINVAL;
            }
    return 0;
}

int
stress_spec_add_shock(struct stress_spec *s, const struct book *b,
                      const char *text, char *err, size_t errlen)
{
    const char *start[SPEC_MOVES_MAX + 1];
    size_t len[SPEC_MOVES_MAX + 1];
    struct stress_move mv[SPEC_MOVES_MAX];
    size_t n = spec_items(text, start, len, SPEC_MOVES_MAX);
    int rc;

    if (n > SPEC_MOVES_MAX) {
        snprintf(err, errlen, "--shock: more than %d symbols", SPEC_MOVES_MAX);
        return LIQ_ELIMIT;
    }
    for (size_t i = 0; i < n; i++) {
        const char *eq = memchr(start[i], '=', len[i]);
        char safe[96];

        textout_safe(safe, sizeof safe, start[i], len[i], 60);
        if (eq == NULL) {
            snprintf(err, errlen,
                     "--shock %s: expected SYM=PCT%% such as WETH=-20%%", safe);
            return LIQ_EINVAL;
        }
        rc = spec_sym(b, "--shock", start[i], (size_t)(eq - start[i]),
                      &mv[i].sym, err, errlen);
        if (rc != 0)
            return rc;
        if (stress_spec_parse_pct(eq + 1, len[i] - (size_t)(eq + 1 - start[i]),
                                  &mv[i].ppm) != 0) {
            snprintf(err, errlen,
                     "--shock %s: expected a percentage such as -20%% or "
                     "12.5%% (at most 4 places, at most +1000%%)",
                     safe);
            return LIQ_EINVAL;
        }
        rc = spec_check_price(b, "--shock", mv[i].sym, mv[i].ppm, err, errlen);
        if (rc != 0)
            return rc;
    }
    rc = spec_dup(b, "--shock", mv, (uint32_t)n, err, errlen);
    if (rc != 0)
        return rc;
    return spec_push(s, mv, (uint32_t)n, "--shock", err, errlen);
}

/* One grid range: SYM=FROM%..TO%/STEP%. */
struct spec_range {
    uint32_t sym;
    int32_t from, step; /* step signed: toward TO */
    uint32_t n;         /* points, FROM and every step up to TO */
};

static int
spec_range(const struct book *b, const char *s, size_t len,
           struct spec_range *r, char *err, size_t errlen)
{
    const char *eq = memchr(s, '=', len), *dots, *slash, *end = s + len;
    int32_t to, step;
    char safe[96];
    int rc;

    textout_safe(safe, sizeof safe, s, len, 60);
    dots = eq ? strstr(eq, "..") : NULL;
    slash = dots ? memchr(dots, '/', (size_t)(end - dots)) : NULL;
    if (eq == NULL || dots == NULL || dots >= end || slash == NULL) {
        snprintf(err, errlen,
                 "--grid %s: expected SYM=FROM%%..TO%%/STEP%% such as "
                 "WETH=-50%%..0%%/5%%",
                 safe);
        return LIQ_EINVAL;
    }
    rc = spec_sym(b, "--grid", s, (size_t)(eq - s), &r->sym, err, errlen);
    if (rc != 0)
        return rc;
    if (stress_spec_parse_pct(eq + 1, (size_t)(dots - eq - 1), &r->from) != 0 ||
        stress_spec_parse_pct(dots + 2, (size_t)(slash - dots - 2), &to) != 0 ||
        stress_spec_parse_pct(slash + 1, (size_t)(end - slash - 1), &step) !=
            0) {
        snprintf(err, errlen,
                 "--grid %s: expected percentages such as -50%%..0%%/5%% (at "
                 "most 4 places)",
                 safe);
        return LIQ_EINVAL;
    }
    if (step == 0) {
        snprintf(err, errlen, "--grid %s: the step must not be zero", safe);
        return LIQ_EINVAL;
    }
    if (step < 0)
        step = -step;
    r->step = to >= r->from ? step : -step;
    r->n = (uint32_t)(((int64_t)to - r->from) / r->step) + 1;
    if (r->n > STRESS_SPEC_MAX) {
        snprintf(err, errlen, "--grid %s: more than %d scenarios", safe,
                 STRESS_SPEC_MAX);
        return LIQ_ELIMIT;
    }
    rc = spec_check_price(b, "--grid", r->sym, r->from, err, errlen);
    if (rc == 0)
        rc = spec_check_price(b, "--grid", r->sym,
                              r->from + (int32_t)(r->n - 1) * r->step, err,
                              errlen);
    return rc;
}

int
stress_spec_add_grid(struct stress_spec *s, const struct book *b,
                     const char *text, char *err, size_t errlen)
{
    const char *start[SPEC_MOVES_MAX + 1];
    size_t len[SPEC_MOVES_MAX + 1];
    struct spec_range r[SPEC_MOVES_MAX];
    struct stress_move mv[SPEC_MOVES_MAX];
    uint32_t at[SPEC_MOVES_MAX];
    size_t n = spec_items(text, start, len, SPEC_MOVES_MAX);
    uint64_t total = 1;
    int rc;

    if (n > SPEC_MOVES_MAX) {
        snprintf(err, errlen, "--grid: more than %d symbols", SPEC_MOVES_MAX);
        return LIQ_ELIMIT;
    }
    memset(mv, 0, sizeof mv);
    for (size_t i = 0; i < n; i++) {
        rc = spec_range(b, start[i], len[i], &r[i], err, errlen);
        if (rc != 0)
            return rc;
        mv[i].sym = r[i].sym;
        total *= r[i].n;
        if (total > STRESS_SPEC_MAX) {
            snprintf(err, errlen, "--grid: more than %d scenarios",
                     STRESS_SPEC_MAX);
            return LIQ_ELIMIT;
        }
    }
    rc = spec_dup(b, "--grid", mv, (uint32_t)n, err, errlen);
    if (rc != 0)
        return rc;
    /* The cross product, the last range moving fastest. */
    memset(at, 0, sizeof at);
    for (uint64_t k = 0; k < total; k++) {
        for (size_t i = 0; i < n; i++)
            mv[i].ppm = r[i].from + (int32_t)at[i] * r[i].step;
        rc = spec_push(s, mv, (uint32_t)n, "--grid", err, errlen);
        if (rc != 0)
            return rc;
        for (size_t i = n; i-- > 0;) {
            if (++at[i] < r[i].n)
                break;
            at[i] = 0;
        }
    }
    return 0;
}
