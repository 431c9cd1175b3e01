/*
 * filter.c: the filter language (filter.h) parsed into a struct
 * book_filter, which core/book_order.c evaluates and keeps repaired.
 *
 * Owns the syntax and its messages; never evaluates a position.
 */
#include "tui/filter.h"

#include <stdio.h>
#include <string.h>

#include "core/decimal.h"
#include "core/health.h"

static void
filter_lower(char *dst, const char *src, size_t n)
{
    size_t i = 0;

    for (; i < n && i + 1 < BOOK_FILTER_TEXT; i++)
        dst[i] = src[i] >= 'A' && src[i] <= 'Z' ? (char)(src[i] + 32) : src[i];
    dst[i] = '\0';
}

static bool
filter_prefix(const char *t, size_t n, const char *word)
{
    return n <= strlen(word) && strncmp(t, word, n) == 0;
}

/* tier:a,b,... into bits; -1 for an unknown name. */
static int
filter_tiers(const char *t, size_t n, unsigned *bits)
{
    static const struct {
        const char *name;
        enum tier t;
    } names[] = {
        {"liquidatable", TIER_LIQUIDATABLE},
        {"pre", TIER_PRE},
        {"danger", TIER_DANGER},
        {"warn", TIER_WARN},
        {"ok", TIER_OK},
        {"none", TIER_NO_DEBT},
        {"nodebt", TIER_NO_DEBT},
    };

    while (n > 0) {
        size_t k = 0;
        bool found = false;

        while (k < n && t[k] != ',')
            k++;
        for (size_t i = 0; k > 0 && i < sizeof(names) / sizeof(names[0]); i++) {
            if (filter_prefix(t, k, names[i].name)) {
                *bits |= 1u << names[i].t;
                found = true;
                break;
            }
        }
        if (k > 0 && !found)
            return -1;
        t += k;
        n -= k;
        if (n > 0) {
            t++;
            n--;
        }
    }
    return 0;
}

static int
filter_term(struct book_filter *f, const char *t, size_t n, char *err,
            size_t cap)
{
    char low[BOOK_FILTER_TEXT];

    filter_lower(low, t, n);
    if (n > 2 && (strncmp(low, "hf<", 3) == 0 || strncmp(low, "hf>", 3) == 0)) {
        bool max = low[2] == '<', incl = n > 3 && low[3] == '=';
        size_t at = incl ? 4 : 3;
        struct u256 v;

        if (at >= n)
            return 0; /* still being typed */
        if (decimal_parse(&v, t + at, n - at, 18, DECIMAL_TRUNCATE) != 0) {
            snprintf(err, cap,
                     "filter: %.*s: hf%c%s takes a number such "
                     "as 1.1",
                     (int)n, t, max ? '<' : '>', incl ? "=" : "");
            return -1;
        }
        if (max) {
            f->has_max = true;
            f->max_incl = incl;
            f->max_wad = v;
        } else {
            f->has_min = true;
            f->min_incl = incl;
            f->min_wad = v;
        }
        return 0;
    }
    if (strncmp(low, "tier:", 5) == 0) {
        unsigned bits = 0;

        if (filter_tiers(low + 5, strlen(low + 5), &bits) != 0) {
            snprintf(err, cap,
                     "filter: %.*s: tiers are liq, pre, danger, "
                     "warn, ok, none",
                     (int)n, t);
            return -1;
        }
        f->tiers |= bits;
        return 0;
    }
    if (strncmp(low, "market:", 7) == 0 || strncmp(low, "asset:", 6) == 0) {
        bool mkt = low[0] == 'm';
        const char *v = low + (mkt ? 7 : 6);

        if (*v == '\0')
            return 0;
        if (mkt && f->nmarkets < BOOK_FILTER_TERMS)
            snprintf(f->market[f->nmarkets++], BOOK_FILTER_TEXT, "%s", v);
        else if (!mkt && f->nassets < BOOK_FILTER_TERMS)
            snprintf(f->asset[f->nassets++], BOOK_FILTER_TEXT, "%s", v);
        return 0;
    }
    if (strcmp(low, "stale") == 0) {
        f->stale = true;
        return 0;
    }
    if (f->nwords < BOOK_FILTER_TERMS)
        snprintf(f->word[f->nwords++], BOOK_FILTER_TEXT, "%s", low);
    return 0;
}

int
filter_parse(struct book_filter *f, const char *text, char *err, size_t cap)
{
    const char *p = text;

    memset(f, 0, sizeof(*f));
    if (cap > 0)
        err[0] = '\0';
    while (*p != '\0') {
        size_t n = 0;

        while (*p == ' ')
            p++;
        while (p[n] != '\0' && p[n] != ' ')
            n++;
        if (n > 0 && filter_term(f, p, n, err, cap) != 0)
            return -1;
        p += n;
    }
    return 0;
}
