/*
 * book_rank.c: each position's cached account and its place in the
 * ranking (health ascending, ties by id, positions without debt next,
 * positions without a price last), and the counts by tier.
 *
 * Accounts come from model_account() only, so cached figures equal a fresh
 * computation exactly. Pure: no I/O, no clock.
 */
#include <stdlib.h>
#include <string.h>

#include "core/book.h"
#include "core/book_int.h"
#include "core/health.h"
#include "core/liq.h"

static bool
book_rank_fits128(struct u256 v)
{
    return (v.w[2] | v.w[3]) == 0;
}

static struct book_u128
book_rank_lo(struct u256 v)
{
    struct book_u128 r = {v.w[0], v.w[1]};
    return r;
}

static struct u256
book_rank_wide(struct book_u128 v)
{
    struct u256 r = {{v.lo, v.hi, 0, 0}};
    return r;
}

/* 64 bits of v starting at bit k. */
static uint64_t
book_rank_bits_at(struct u256 v, unsigned k)
{
    unsigned word = k / 64, off = k % 64;
    uint64_t r = v.w[word] >> off;

    if (off != 0 && word + 1 < 4)
        r |= v.w[word + 1] << (64 - off);
    return r;
}

/*
 * A monotone 62-bit image of a health factor: its bit length, then its 53
 * leading bits. Equal keys need the exact comparison; different keys order
 * as the factors do.
 */
static uint64_t
book_rank_hf_key(struct u256 hf)
{
    unsigned n = u256_bits(hf);
    uint64_t mant;

    if (n <= 53)
        mant = hf.w[0];
    else
        mant = book_rank_bits_at(hf, n - 53) & ((1ULL << 53) - 1);
    return ((uint64_t)n << 53) | mant;
}

static void
book_rank_count(struct book *b, uint32_t idx, int dir)
{
    struct book_counts *c = &b->counts;
    uint8_t t = b->ptier[idx];
    uint32_t d = (uint32_t)dir; /* wraps for -1, as intended */

    if (t == BOOK_TIER_NEW)
        return;
    c->total += d;
    if (t == BOOK_TIER_UNPRICED) {
        c->unpriced += d;
        return;
    }
    /* The model's own verdict decides "liquidatable"; the tier the rest. */
    if (b->pflags[idx] & BOOK_P_LIQ)
        c->liquidatable += d;
    else if (health_tier_at_risk((enum tier)t))
        c->at_risk += d;
    if (t == TIER_NO_DEBT)
        c->no_debt += d;
    if (b->pflags[idx] & BOOK_P_BAD)
        c->bad_debt += d;
}

static void
book_rank_bigacct_release(struct book *b, uint32_t idx)
{
    if (!(b->pflags[idx] & BOOK_P_BIG))
        return;
    /* bigfree has the table's capacity: it never holds more slots. */
    b->bigfree[b->nbigfree++] = (uint32_t)b->acct[idx].coll.lo;
    b->pflags[idx] = (uint8_t)(b->pflags[idx] & ~BOOK_P_BIG);
}

static void
book_rank_store(struct book *b, uint32_t idx, const struct account *a)
{
    uint8_t f = BOOK_P_PRICED;

    if (a->has_debt)
        f |= BOOK_P_DEBT;
    if (a->liquidatable)
        f |= BOOK_P_LIQ;
    if (a->bad_debt)
        f |= BOOK_P_BAD;
    if (book_rank_fits128(a->coll_value) && book_rank_fits128(a->debt_value) &&
        (!a->has_debt || book_rank_fits128(a->hf))) {
        b->acct[idx].coll = book_rank_lo(a->coll_value);
        b->acct[idx].debt = book_rank_lo(a->debt_value);
        b->acct[idx].hf = book_rank_lo(a->has_debt ? a->hf : u256_zero());
        b->pflags[idx] = f;
        return;
    }
    uint32_t slot;
    if (b->nbigfree > 0) {
        slot = b->bigfree[--b->nbigfree];
    } else {
        if (b->nbigacct == b->capbigacct) {
            uint32_t cap = b->capbigacct == 0 ? 16 : b->capbigacct * 2;
            b->bigacct = book_xrealloc(b->bigacct, cap * sizeof *b->bigacct);
            b->bigfree = book_xrealloc(b->bigfree, cap * sizeof *b->bigfree);
            b->capbigacct = cap;
        }
        slot = b->nbigacct++;
    }
    b->bigacct[slot] = *a;
    memset(&b->acct[idx], 0, sizeof b->acct[idx]);
    b->acct[idx].coll.lo = slot;
    b->pflags[idx] = (uint8_t)(f | BOOK_P_BIG);
}

void
book_rank_acct_get(const struct book *b, uint32_t idx, struct account *out)
{
    uint8_t f = b->pflags[idx];

    if (f & BOOK_P_BIG) {
        *out = b->bigacct[b->acct[idx].coll.lo];
        return;
    }
    out->coll_value = book_rank_wide(b->acct[idx].coll);
    out->debt_value = book_rank_wide(b->acct[idx].debt);
    out->has_debt = (f & BOOK_P_DEBT) != 0;
    out->hf = out->has_debt ? book_rank_wide(b->acct[idx].hf) : u256_max();
    out->liquidatable = (f & BOOK_P_LIQ) != 0;
    out->bad_debt = (f & BOOK_P_BAD) != 0;
}

/* Recompute position idx's account at the cached market prices. */
void
book_rank_compute(struct book *b, uint32_t idx)
{
    struct position p;
    struct account a;
    uint32_t mi = b->pmkt[idx];
    uint32_t missing = b->mmissing[mi];
    bool priced = true;

    book_rank_count(b, idx, -1);
    book_rank_bigacct_release(b, idx);
    book_materialize(b, idx, &p);
    for (unsigned i = 0; i < p.ncoll && priced; i++)
        priced = !(missing & (1u << p.coll[i].asset));
    for (unsigned i = 0; i < p.ndebt && priced; i++)
        priced = !(missing & (1u << p.debt[i].asset));
    if (priced && model_account(b->mkt[mi], &p, b->mprice[mi], &a) == 0) {
        book_rank_store(b, idx, &a);
        if (a.has_debt) {
            b->key[idx] =
                ((uint64_t)BOOK_CLASS_DEBT << 62) | book_rank_hf_key(a.hf);
        } else {
            b->key[idx] = (uint64_t)BOOK_CLASS_NODEBT << 62;
        }
        b->ptier[idx] = (uint8_t)health_tier(a.hf, a.has_debt);
    } else {
        b->pflags[idx] = 0;
        memset(&b->acct[idx], 0, sizeof b->acct[idx]);
        b->key[idx] = (uint64_t)BOOK_CLASS_UNPRICED << 62;
        b->ptier[idx] = BOOK_TIER_UNPRICED;
    }
    book_rank_count(b, idx, 1);
}

static struct u256
book_rank_hf(const struct book *b, uint32_t idx)
{
    if (b->pflags[idx] & BOOK_P_BIG)
        return b->bigacct[b->acct[idx].coll.lo].hf;
    return book_rank_wide(b->acct[idx].hf);
}

/* <0, 0, >0 as x ranks before, with, after y. */
int
book_rank_cmp(const struct book *b, uint32_t x, uint32_t y)
{
    uint64_t kx = b->key[x], ky = b->key[y];

    if (kx != ky)
        return kx < ky ? -1 : 1;
    if ((kx >> 62) == BOOK_CLASS_DEBT) {
        int c = u256_cmp(book_rank_hf(b, x), book_rank_hf(b, y));
        if (c != 0)
            return c;
    }
    return strcmp(b->pid[x], b->pid[y]);
}

static void
book_rank_msort(const struct book *b, uint32_t *a, uint32_t *tmp, size_t n)
{
    if (n < 16) {
        for (size_t i = 1; i < n; i++) {
            uint32_t v = a[i];
            size_t j = i;
            while (j > 0 && book_rank_cmp(b, a[j - 1], v) > 0) {
                a[j] = a[j - 1];
                j--;
            }
            a[j] = v;
        }
        return;
    }
    size_t h = n / 2;
    book_rank_msort(b, a, tmp, h);
    book_rank_msort(b, a + h, tmp, n - h);
    if (book_rank_cmp(b, a[h - 1], a[h]) <= 0)
        return;
    memcpy(tmp, a, h * sizeof *a);
    size_t i = 0, j = h, k = 0;
    while (i < h && j < n) {
        if (book_rank_cmp(b, a[j], tmp[i]) < 0)
            a[k++] = a[j++];
        else
            a[k++] = tmp[i++];
    }
    while (i < h)
        a[k++] = tmp[i++];
}

/* Full sort of every computed position. */
void
book_rank_sort(struct book *b)
{
    uint32_t n = b->upd_npos;

    b->rank = book_xrealloc(b->rank, (size_t)n * sizeof *b->rank);
    b->rankof = book_xrealloc(b->rankof, (size_t)n * sizeof *b->rankof);
    for (uint32_t i = 0; i < n; i++)
        b->rank[i] = i;
    uint32_t *tmp = book_xmalloc(((size_t)n / 2 + 1) * sizeof *tmp);
    book_rank_msort(b, b->rank, tmp, n);
    free(tmp);
    for (uint32_t r = 0; r < n; r++)
        b->rankof[b->rank[r]] = r;
    b->nrank = n;
}

void
book_rank_free(struct book *b)
{
    free(b->rank);
    free(b->rankof);
}

uint32_t
book_rank_at(struct book *b, uint32_t rank)
{
    if (b->nrank != b->npos)
        (void)book_update(b);
    if (rank >= b->nrank)
        return UINT32_MAX;
    return b->rank[rank];
}

uint32_t
book_rank_of(struct book *b, uint32_t idx)
{
    if (b->nrank != b->npos)
        (void)book_update(b);
    if (idx >= b->nrank)
        return UINT32_MAX;
    return b->rankof[idx];
}
