/*
 * book_filter.c: what a dashboard filter (struct book_filter, core/
 * book_order.h) keeps: the terms each symbol's and market's name passes,
 * worked out once a filter, then a position's test from its market, legs,
 * tier, health, id and label; and whether one filter narrows another.
 *
 * Reads the book's arrays (book_int.h); never changes the book or the
 * order's rows. Pure: no I/O, no clock.
 */
#include <string.h>

#include "core/book_order_int.h"

static int
bo_lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

/* needle (already lower case) within hay, any case. */
static bool
bo_contains(const char *hay, const char *needle)
{
    int c0 = (unsigned char)needle[0];

    if (c0 == 0)
        return true;
    for (const char *p = hay; *p != '\0'; p++) {
        if (bo_lower((unsigned char)*p) != c0)
            continue;
        size_t i = 1;
        while (needle[i] != '\0' &&
               bo_lower((unsigned char)p[i]) == (unsigned char)needle[i])
            i++;
        if (needle[i] == '\0')
            return true;
    }
    return false;
}

static bool
bo_equal_nocase(const char *a, const char *b)
{
    while (*a != '\0' && bo_lower((unsigned char)*a) == *b) {
        a++;
        b++;
    }
    return *a == '\0' && *b == '\0';
}

bool
book_filter_is_empty(const struct book_filter *f)
{
    return f->nwords == 0 && f->nmarkets == 0 && f->nassets == 0 &&
           !f->has_max && !f->has_min && f->tiers == 0 && !f->stale;
}

static bool
bo_some_contains(const char (*terms)[BOOK_FILTER_TEXT], int n, const char *text)
{
    for (int i = 0; i < n; i++)
        if (bo_contains(terms[i], text))
            return true;
    return false;
}

bool
book_filter_narrows(const struct book_filter *f, const struct book_filter *p)
{
    /* Each of p's terms is implied by one of f's. */
    for (int i = 0; i < p->nwords; i++)
        if (!bo_some_contains(f->word, f->nwords, p->word[i]))
            return false;
    for (int i = 0; i < p->nmarkets; i++)
        if (!bo_some_contains(f->market, f->nmarkets, p->market[i]))
            return false;
    for (int i = 0; i < p->nassets; i++) {
        bool found = false;
        for (int j = 0; j < f->nassets && !found; j++)
            found = strcmp(f->asset[j], p->asset[i]) == 0;
        if (!found)
            return false;
    }
    if (p->tiers != 0 && (f->tiers == 0 || (f->tiers & ~p->tiers) != 0))
        return false;
    if (p->stale && !f->stale)
        return false;
    if (p->has_max) {
        int c = f->has_max ? u256_cmp(f->max_wad, p->max_wad) : 1;
        if (c > 0 || (c == 0 && f->max_incl && !p->max_incl))
            return false;
    }
    if (p->has_min) {
        int c = f->has_min ? u256_cmp(f->min_wad, p->min_wad) : -1;
        if (c < 0 || (c == 0 && f->min_incl && !p->min_incl))
            return false;
    }
    return true;
}

/* The terms each symbol's and each market's name passes. */
void
book_filter_names(struct book_order *o)
{
    const struct book *b = o->b;
    const struct book_filter *f = &o->f;

    for (uint32_t s = 0; s < o->nsym; s++) {
        const char *name = b->symname[s];
        uint32_t bits = o->stale[s] ? BO_STALE : 0;
        for (int w = 0; w < f->nwords; w++)
            if (bo_contains(name, f->word[w]))
                bits |= BO_WORD(w);
        for (int a = 0; a < f->nassets; a++)
            if (bo_equal_nocase(name, f->asset[a]))
                bits |= BO_ASSET(a);
        o->symbits[s] = bits;
    }
    for (uint32_t m = 0; m < o->nmkt; m++) {
        const char *id = b->mkt[m]->id;
        uint32_t bits = 0;
        for (int w = 0; w < f->nwords; w++)
            if (bo_contains(id, f->word[w]))
                bits |= BO_WORD(w);
        for (int t = 0; t < f->nmarkets; t++)
            if (bo_contains(id, f->market[t]))
                bits |= BO_MARKET(t);
        o->mktbits[m] = bits;
    }
}

bool
book_filter_match(const struct book_order *o, uint32_t idx)
{
    const struct book *b = o->b;
    const struct book_filter *f = &o->f;
    uint32_t mb = o->mktbits[b->pmkt[idx]], lb = 0;

    if (b->pflags[idx] & BOOK_P_EMPTY)
        return false; /* not a row of any order */
    if (o->empty)
        return true;
    if (f->nmarkets > 0) {
        uint32_t need = ((1u << f->nmarkets) - 1) << 16;
        if ((mb & need) != need)
            return false;
    }
    if (f->tiers != 0 &&
        (b->ptier[idx] >= TIER_COUNT || !((f->tiers >> b->ptier[idx]) & 1)))
        return false;
    if (f->has_max || f->has_min) {
        uint8_t fl = b->pflags[idx];
        if (!(fl & BOOK_P_PRICED))
            return false;
        if (fl & BOOK_P_DEBT) {
            struct u256 hf = book_calc_hf(b, idx);
            int c;
            if (f->has_max) {
                c = u256_cmp(hf, f->max_wad);
                if (c > 0 || (c == 0 && !f->max_incl))
                    return false;
            }
            if (f->has_min) {
                c = u256_cmp(hf, f->min_wad);
                if (c < 0 || (c == 0 && !f->min_incl))
                    return false;
            }
        } else if (f->has_max) {
            return false; /* no debt: health without bound */
        }
    }
    const struct market *m = b->mkt[b->pmkt[idx]];
    size_t leg = b->pleg[idx];
    unsigned n = (unsigned)b->pnc[idx] + b->pnd[idx];
    for (unsigned i = 0; i < n; i++)
        lb |= o->symbits[m->assets[book_leg_asset(b, leg + i) & BOOK_LEG_ASSET]
                             .sym];
    if (f->nassets > 0) {
        uint32_t need = ((1u << f->nassets) - 1) << 8;
        if ((lb & need) != need)
            return false;
    }
    if (f->stale && !(lb & BO_STALE))
        return false;
    for (int w = 0; w < f->nwords; w++) {
        const char *id = b->pid[idx];
        if (((mb | lb) & BO_WORD(w)) != 0 || bo_contains(id, f->word[w]) ||
            bo_contains(id + strlen(id) + 1, f->word[w]))
            continue;
        return false;
    }
    return true;
}
