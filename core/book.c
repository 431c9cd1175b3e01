/*
 * book.c: the book's symbols, markets, positions and prices.
 *
 * Positions are kept as arrays (struct of arrays), a leg in 12 bytes (its
 * asset and an amount up to 88 bits) and a side table for larger amounts;
 * strings live in an arena that never moves. Also the release of all of
 * struct book's memory, whichever layer filled it; the index from each
 * symbol to its holders is book_holders.c's, the id table book_idtab.c's
 * (the same layer). The bottom layer (book.h): calls no other book file
 * but book_idtab.c. Accounts are book_calc.c's, the ranking book_rank.c's,
 * the update book_update.c's. Pure: no I/O, no clock.
 */
#include "core/book.h"

#include <stdlib.h>
#include <string.h>

#include "core/book_int.h"
#include "core/liq.h"

#define BOOK_CHUNK_SIZE ((size_t)4 << 20)

/* Arrays from this size up are shown to the advice hook. */
#define BOOK_ADVISE_MIN ((size_t)2 << 20)

static void (*book_advice)(void *p, size_t n);

void
book_set_advice(void (*advise)(void *p, size_t n))
{
    book_advice = advise;
}

/* A large array, before it is written: the application's hook may advise
 * the system on it (huge pages, app/). */
static void *
book_advise(void *p, size_t n)
{
    if (book_advice != NULL && n >= BOOK_ADVISE_MIN)
        book_advice(p, n);
    return p;
}

void *
book_xmalloc(size_t n)
{
    void *p = malloc(n == 0 ? 1 : n);

    if (p == NULL)
        liq_nomem();
    return book_advise(p, n);
}

void *
book_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n == 0 ? 1 : n);

    if (q == NULL)
        liq_nomem();
    return book_advise(q, n);
}

/* Grow an array of `used` elements of `size` bytes to `cap`, keeping it
 * 64-byte aligned so that an element of 64 bytes is one cache line. */
static void *
book_xgrow_aligned(void *p, size_t used, size_t cap, size_t size)
{
    size_t n = (cap * size + 63) / 64 * 64;
    void *q = aligned_alloc(64, n == 0 ? 64 : n);

    if (q == NULL)
        liq_nomem();
    book_advise(q, n);
    if (used > 0)
        memcpy(q, p, used * size);
    free(p);
    return q;
}

void *
book_xcalloc(size_t n, size_t size)
{
    void *p = calloc(n == 0 ? 1 : n, size == 0 ? 1 : size);

    if (p == NULL)
        liq_nomem();
    return book_advise(p, n * size);
}

/* FNV-1a over bytes; good enough for ids and symbols. */
uint64_t
book_hash(const char *s, size_t len)
{
    uint64_t h = 14695981039346656037ULL;

    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ULL;
    }
    return h ^ (h >> 29);
}

struct book *
book_new(void)
{
    struct book *b = book_xcalloc(1, sizeof *b);

    b->epoch = 1;
    b->hfc_idx = UINT32_MAX;
    return b;
}

void
book_free(struct book *b)
{
    if (b == NULL)
        return;
    for (uint32_t i = 0; i < b->nsym; i++)
        free(b->symname[i]);
    free(b->symname);
    free(b->sym);
    free(b->symtab);
    for (uint32_t i = 0; i < b->nmkt; i++)
        free(b->mkt[i]);
    free(b->mkt);
    free(b->mtab);
    free(b->mprice);
    free(b->mmissing);
    free(b->mold);
    free(b->mchanged);
    free(b->updsym);
    free(b->calcmk);
    free(b->pid);
    free(b->pmkt);
    free(b->pleg);
    free(b->pnc);
    free(b->pnd);
    free(b->pflags);
    free(b->ptier);
    free(b->acct);
    free(b->key);
    free(b->stamp);
    free(b->legs);
    free(b->big);
    free(b->bigacct);
    free(b->bigfree);
    free(b->idtab);
    while (b->arena != NULL) {
        struct book_chunk *next = b->arena->next;
        free(b->arena);
        b->arena = next;
    }
    free(b->hstart);
    free(b->hpos);
    free(b->hleg);
    /* the ranking's and the key queue's arrays: struct book's memory is
     * all released here, whichever layer filled it */
    free(b->rank);
    free(b->rank2);
    free(b->mv);
    free(b->mv2);
    free(b->mvold);
    free(b->moved);
    free(b->ov);
    free(b->ov2);
    free(b->inov);
    free(b->rdead);
    free(b->rlive);
    free(b);
}

/* ---- symbols ---- */

static void
book_symtab_insert(uint32_t *tab, uint32_t cap, uint64_t h, uint32_t sym)
{
    uint32_t mask = cap - 1;
    uint32_t i = (uint32_t)h & mask;

    while (tab[i] != 0)
        i = (i + 1) & mask;
    tab[i] = sym + 1;
}

int
book_symbol_find(const struct book *b, const char *name, size_t len,
                 uint32_t *out)
{
    if (b->symtabcap == 0 || name == NULL)
        return LIQ_ENOENT;
    uint32_t mask = b->symtabcap - 1;
    uint32_t i = (uint32_t)book_hash(name, len) & mask;

    while (b->symtab[i] != 0) {
        uint32_t s = b->symtab[i] - 1;
        const char *n = b->symname[s];
        if (strlen(n) == len && memcmp(n, name, len) == 0) {
            *out = s;
            return 0;
        }
        i = (i + 1) & mask;
    }
    return LIQ_ENOENT;
}

int
book_symbol_intern(struct book *b, const char *name, size_t len, uint32_t *out)
{
    if (name == NULL || len == 0 || len >= SYMBOL_MAX ||
        memchr(name, '\0', len) != NULL)
        return LIQ_EINVAL;
    if (book_symbol_find(b, name, len, out) == 0)
        return 0;
    if (b->nsym == UINT32_MAX - 1)
        return LIQ_ELIMIT;
    if ((b->nsym + 1) * 2 > b->symtabcap) {
        uint32_t cap = b->symtabcap == 0 ? 64 : b->symtabcap * 2;
        uint32_t *tab = book_xcalloc(cap, sizeof *tab);
        for (uint32_t s = 0; s < b->nsym; s++)
            book_symtab_insert(
                tab, cap, book_hash(b->symname[s], strlen(b->symname[s])), s);
        free(b->symtab);
        b->symtab = tab;
        b->symtabcap = cap;
    }
    if (b->nsym == b->capsym) {
        uint32_t cap = b->capsym == 0 ? 16 : b->capsym * 2;
        b->symname = book_xrealloc(b->symname, cap * sizeof *b->symname);
        b->sym = book_xrealloc(b->sym, cap * sizeof *b->sym);
        b->capsym = cap;
    }
    uint32_t s = b->nsym++;
    char *n = book_xmalloc(len + 1);
    memcpy(n, name, len);
    n[len] = '\0';
    b->symname[s] = n;
    memset(&b->sym[s], 0, sizeof b->sym[s]);
    book_symtab_insert(b->symtab, b->symtabcap, book_hash(name, len), s);
    *out = s;
    return 0;
}

const char *
book_symbol_name(const struct book *b, uint32_t sym)
{
    if (sym >= b->nsym)
        return NULL;
    return b->symname[sym];
}

uint32_t
book_symbol_count(const struct book *b)
{
    return b->nsym;
}

/* ---- markets ---- */

int
book_market_find(const struct book *b, const char *id, uint32_t *out)
{
    static const struct market_view listed;

    return book_market_find_view(b, id, &listed, out);
}

/* A market's place in the (id, view) table: its id's hash mixed with
 * every field market_view_eq compares. */
static uint64_t
book_market_hash(const char *id, const struct market_view *v)
{
    uint64_t h = book_hash(id, strlen(id));
    uint64_t f[] = {v->view,        v->emode,       v->coll_off,
                    v->coll_scaled, v->debt_scaled, (uint64_t)v->last_check,
                    v->rate,        v->own};

    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
        h ^= f[i] + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
        h *= 0xff51afd7ed558ccdULL;
    }
    return h ^ (h >> 32);
}

static void
book_mtab_insert(uint32_t *tab, uint32_t cap, uint64_t h, uint32_t mi)
{
    uint32_t mask = cap - 1, i = (uint32_t)h & mask;

    while (tab[i] != 0)
        i = (i + 1) & mask;
    tab[i] = mi + 1;
}

int
book_market_find_view(const struct book *b, const char *id,
                      const struct market_view *v, uint32_t *out)
{
    uint32_t mask, i;

    if (id == NULL || b->mtabcap == 0)
        return LIQ_ENOENT;
    mask = b->mtabcap - 1;
    for (i = (uint32_t)book_market_hash(id, v) & mask; b->mtab[i] != 0;
         i = (i + 1) & mask) {
        const struct market *m = b->mkt[b->mtab[i] - 1];

        if (strcmp(m->id, id) == 0 && market_view_eq(&m->view, v)) {
            *out = b->mtab[i] - 1;
            return 0;
        }
    }
    return LIQ_ENOENT;
}

int
book_market_add(struct book *b, const struct market *m, uint32_t *out)
{
    uint32_t dummy;

    if (memchr(m->id, '\0', sizeof m->id) == NULL || m->id[0] == '\0' ||
        m->nassets > MARKET_ASSETS_MAX || (unsigned)m->model >= MODEL_COUNT)
        return LIQ_EINVAL;
    for (unsigned i = 0; i < m->nassets; i++)
        if (m->assets[i].sym >= b->nsym ||
            market_asset_price_sym(&m->assets[i]) >= b->nsym)
            return LIQ_EINVAL;
    if (book_market_find_view(b, m->id, &m->view, &dummy) == 0)
        return LIQ_EDUP;
    if (b->nmkt >= UINT16_MAX)
        return LIQ_ELIMIT;
    if (b->nmkt == b->capmkt) {
        uint32_t cap = b->capmkt == 0 ? 8 : b->capmkt * 2;
        b->mkt = book_xrealloc(b->mkt, cap * sizeof *b->mkt);
        b->mprice = book_xrealloc(b->mprice, cap * sizeof *b->mprice);
        b->mmissing = book_xrealloc(b->mmissing, cap * sizeof *b->mmissing);
        b->mold = book_xrealloc(b->mold, cap * sizeof *b->mold);
        b->mchanged = book_xrealloc(b->mchanged, cap * sizeof *b->mchanged);
        b->capmkt = cap;
    }
    if ((b->nmkt + 1) * 2 > b->mtabcap) {
        uint32_t cap = b->mtabcap == 0 ? 16 : b->mtabcap * 2;
        uint32_t *tab = book_xcalloc(cap, sizeof *tab);

        for (uint32_t i = 0; i < b->nmkt; i++)
            book_mtab_insert(
                tab, cap, book_market_hash(b->mkt[i]->id, &b->mkt[i]->view), i);
        free(b->mtab);
        b->mtab = tab;
        b->mtabcap = cap;
    }
    uint32_t idx = b->nmkt++;
    b->mkt[idx] = book_xmalloc(sizeof *m);
    memcpy(b->mkt[idx], m, sizeof *m);
    book_mtab_insert(b->mtab, b->mtabcap, book_market_hash(m->id, &m->view),
                     idx);
    b->has_pre = b->has_pre || m->model == MODEL_MORPHO_PRE;
    book_prices_base(b, idx, b->mprice[idx], &b->mmissing[idx]);
    *out = idx;
    return 0;
}

uint32_t
book_market_count(const struct book *b)
{
    return b->nmkt;
}

const struct market *
book_market(const struct book *b, uint32_t idx)
{
    if (idx >= b->nmkt)
        return NULL;
    return b->mkt[idx];
}

/* ---- positions ---- */

static char *
book_arena_alloc(struct book *b, size_t n)
{
    struct book_chunk *c = b->arena;

    if (c == NULL || c->cap - c->used < n) {
        size_t cap = n > BOOK_CHUNK_SIZE ? n : BOOK_CHUNK_SIZE;
        c = book_xmalloc(sizeof *c + cap);
        c->cap = cap;
        c->used = 0;
        c->next = b->arena;
        b->arena = c;
    }
    char *p = c->data + c->used;
    c->used += n;
    return p;
}

int
book_position_find(const struct book *b, const char *id, size_t len,
                   uint32_t *out)
{
    if (b->idtabcap == 0 || id == NULL)
        return LIQ_ENOENT;
    return book_idtab_find(b, id, len, book_hash(id, len), out);
}

static void
book_positions_grow(struct book *b, uint32_t cap)
{
    b->pid = book_xrealloc(b->pid, cap * sizeof *b->pid);
    b->pmkt = book_xrealloc(b->pmkt, cap * sizeof *b->pmkt);
    b->pleg = book_xrealloc(b->pleg, cap * sizeof *b->pleg);
    b->pnc = book_xrealloc(b->pnc, cap * sizeof *b->pnc);
    b->pnd = book_xrealloc(b->pnd, cap * sizeof *b->pnd);
    b->pflags = book_xrealloc(b->pflags, cap * sizeof *b->pflags);
    b->ptier = book_xrealloc(b->ptier, cap * sizeof *b->ptier);
    b->acct = book_xgrow_aligned(b->acct, b->npos, cap, sizeof *b->acct);
    b->key = book_xrealloc(b->key, cap * sizeof *b->key);
    b->stamp = book_xrealloc(b->stamp, cap * sizeof *b->stamp);
    b->cappos = cap;
}

void
book_legs_grow(struct book *b, size_t cap)
{
    b->legs = book_xrealloc(b->legs, cap * sizeof *b->legs);
    b->capleg = cap;
}

void
book_reserve(struct book *b, uint32_t npos, size_t nleg)
{
    size_t slots;

    if (npos > UINT32_MAX / 4)
        npos = UINT32_MAX / 4;
    if (npos > b->cappos)
        book_positions_grow(b, npos);
    if (nleg > b->capleg)
        book_legs_grow(b, nleg);
    slots = (size_t)npos + npos / 2 + 1; /* two thirds full at most */
    if (slots > b->idtabcap)
        book_idtab_grow(b, slots < 128 ? 128 : slots);
}

void
book_leg_put(struct book *b, size_t i, const struct leg *l)
{
    if ((l->amount.w[1] >> BOOK_LEG_HI_BITS) == 0 && l->amount.w[2] == 0 &&
        l->amount.w[3] == 0) {
        b->legs[i].lo = l->amount.w[0];
        b->legs[i].hi =
            (uint32_t)l->asset << BOOK_LEG_HI_BITS | (uint32_t)l->amount.w[1];
        return;
    }
    if (b->nbig == b->capbig) {
        size_t cap = b->capbig == 0 ? 16 : b->capbig * 2;
        b->big = book_xrealloc(b->big, cap * sizeof *b->big);
        b->capbig = cap;
    }
    b->big[b->nbig] = l->amount;
    b->legs[i].lo = b->nbig++;
    b->legs[i].hi = (uint32_t)(l->asset | BOOK_LEG_BIG) << BOOK_LEG_HI_BITS;
}

static void
book_leg_push(struct book *b, const struct leg *l)
{
    if (b->nleg == b->capleg)
        book_legs_grow(b, b->capleg == 0 ? 256 : b->capleg * 2);
    book_leg_put(b, b->nleg++, l);
}

int
book_position_add(struct book *b, const struct position *p, uint32_t *out)
{
    if (p->id == NULL || p->market >= b->nmkt || p->ncoll > POSITION_SIDE_MAX ||
        p->ndebt > POSITION_SIDE_MAX)
        return LIQ_EINVAL;
    size_t idlen = strlen(p->id);
    if (idlen == 0 || idlen >= POSITION_ID_MAX)
        return LIQ_EINVAL;
    const struct market *m = b->mkt[p->market];
    for (unsigned i = 0; i < p->ncoll; i++)
        if (p->coll[i].asset >= m->nassets)
            return LIQ_EINVAL;
    for (unsigned i = 0; i < p->ndebt; i++)
        if (p->debt[i].asset >= m->nassets)
            return LIQ_EINVAL;
    uint64_t h = book_hash(p->id, idlen);
    uint32_t dummy;
    if (book_idtab_find(b, p->id, idlen, h, &dummy) == 0)
        return LIQ_EDUP;
    if (b->npos >= UINT32_MAX / 4 || b->nleg + 16 >= UINT32_MAX)
        return LIQ_ELIMIT;

    if ((size_t)(b->npos + 1) * 3 > b->idtabcap * 2)
        book_idtab_grow(b, b->idtabcap == 0 ? 128 : b->idtabcap * 2);
    if (b->npos == b->cappos)
        book_positions_grow(b, b->cappos == 0 ? 64 : b->cappos * 2);

    const char *label = p->label == NULL ? "" : p->label;
    size_t lablen = strlen(label);
    char *s = book_arena_alloc(b, idlen + 1 + lablen + 1);
    memcpy(s, p->id, idlen + 1);
    memcpy(s + idlen + 1, label, lablen + 1);

    uint32_t idx = b->npos++;
    b->pid[idx] = s;
    b->pmkt[idx] = (uint16_t)p->market;
    b->pleg[idx] = (uint32_t)b->nleg;
    b->pnc[idx] = p->ncoll;
    b->pnd[idx] = p->ndebt;
    b->pflags[idx] = (uint8_t)((position_has_debt(p) ? BOOK_P_LEGDEBT : 0) |
                               (position_holds_nothing(p) ? BOOK_P_EMPTY : 0));
    b->nempty += (b->pflags[idx] & BOOK_P_EMPTY) != 0;
    b->ptier[idx] = BOOK_TIER_NEW;
    memset(&b->acct[idx], 0, sizeof b->acct[idx]);
    b->key[idx] = 0;
    b->stamp[idx] = 0;
    for (unsigned i = 0; i < p->ncoll; i++)
        book_leg_push(b, &p->coll[i]);
    for (unsigned i = 0; i < p->ndebt; i++)
        book_leg_push(b, &p->debt[i]);
    book_idtab_insert(b, h, idx);
    *out = idx;
    return 0;
}

uint32_t
book_position_count(const struct book *b)
{
    return b->npos;
}

uint32_t
book_rank_count(const struct book *b)
{
    return b->npos - b->nempty;
}

static void
book_leg_get(const struct book *b, size_t i, struct leg *out)
{
    uint8_t a = book_leg_asset(b, i);

    out->asset = (uint8_t)(a & BOOK_LEG_ASSET);
    if (a & BOOK_LEG_BIG) {
        out->amount = b->big[b->legs[i].lo];
    } else {
        out->amount.w[0] = b->legs[i].lo;
        out->amount.w[1] = b->legs[i].hi & BOOK_LEG_HI_MASK;
        out->amount.w[2] = 0;
        out->amount.w[3] = 0;
    }
}

void
book_materialize(const struct book *b, uint32_t idx, struct position *p)
{
    book_materialize_legs(b, idx, p);
    p->label = p->id + strlen(p->id) + 1;
}

void
book_materialize_legs(const struct book *b, uint32_t idx, struct position *p)
{
    size_t leg = b->pleg[idx];

    p->id = b->pid[idx];
    p->label = NULL;
    p->market = b->pmkt[idx];
    p->ncoll = b->pnc[idx];
    p->ndebt = b->pnd[idx];
    for (unsigned i = 0; i < p->ncoll; i++)
        book_leg_get(b, leg++, &p->coll[i]);
    for (unsigned i = 0; i < p->ndebt; i++)
        book_leg_get(b, leg++, &p->debt[i]);
}

void
book_position_get(const struct book *b, uint32_t idx, struct position *out)
{
    memset(out, 0, sizeof *out);
    book_materialize(b, idx, out);
}

void
book_position_prefetch(const struct book *b, uint32_t idx, int stage)
{
    if (idx >= b->npos)
        return;
    if (stage == 0) {
        __builtin_prefetch(&b->pid[idx]);
        __builtin_prefetch(&b->pleg[idx]);
        __builtin_prefetch(&b->pmkt[idx]);
        __builtin_prefetch(&b->pnc[idx]);
        __builtin_prefetch(&b->pnd[idx]);
        __builtin_prefetch(&b->pflags[idx]);
        __builtin_prefetch(&b->acct[idx]);
        return;
    }
    size_t leg = b->pleg[idx];
    unsigned n = (unsigned)b->pnc[idx] + b->pnd[idx];
    __builtin_prefetch(b->pid[idx]);
    if (n > 0) {
        __builtin_prefetch(&b->legs[leg]);
        __builtin_prefetch(&b->legs[leg + n - 1]);
    }
}

void
book_position_prefetch_id(const struct book *b, const char *id, size_t len)
{
    if (b->idtabcap != 0)
        __builtin_prefetch(&b->idtab[book_idtab_slot(b, book_hash(id, len))]);
}

void
book_gate_clock_set(struct book *b, int64_t t)
{
    for (uint32_t i = 0; i < b->nmkt; i++)
        b->mkt[i]->gate_at = b->mkt[i]->chain_clock ? 0 : t;
}

/* ---- prices ---- */

int
book_price_set(struct book *b, uint32_t sym, struct u256 price_e18,
               int64_t ts_ms)
{
    if (sym >= b->nsym)
        return LIQ_EINVAL;
    struct book_sym *s = &b->sym[sym];
    if (!s->has_price || !u256_eq(s->feed_e18, price_e18)) {
        s->dirty = true;
        b->anydirty = true;
    }
    s->feed_e18 = price_e18;
    s->ts_ms = ts_ms;
    s->has_price = true;
    return 0;
}

bool
book_price_get(const struct book *b, uint32_t sym, struct u256 *price_e18,
               int64_t *ts_ms)
{
    if (sym >= b->nsym || !b->sym[sym].has_price)
        return false;
    if (price_e18 != NULL)
        *price_e18 = b->sym[sym].feed_e18;
    if (ts_ms != NULL)
        *ts_ms = b->sym[sym].ts_ms;
    return true;
}

int
book_whatif_set(struct book *b, uint32_t sym, int32_t shock_bps)
{
    if (sym >= b->nsym)
        return LIQ_EINVAL;
    if (shock_bps < -10000)
        return LIQ_ERANGE;
    if (b->sym[sym].shock_bps != shock_bps) {
        b->sym[sym].shock_bps = shock_bps;
        b->sym[sym].dirty = true;
        b->anydirty = true;
    }
    return 0;
}

int32_t
book_whatif_get(const struct book *b, uint32_t sym)
{
    if (sym >= b->nsym)
        return 0;
    return b->sym[sym].shock_bps;
}

void
book_whatif_clear(struct book *b)
{
    for (uint32_t s = 0; s < b->nsym; s++)
        (void)book_whatif_set(b, s, 0);
}

bool
book_price_effective(const struct book *b, uint32_t sym, struct u256 *price_e18)
{
    if (sym >= b->nsym || !b->sym[sym].has_price)
        return false;
    const struct book_sym *s = &b->sym[sym];
    if (s->shock_bps == 0) {
        *price_e18 = s->feed_e18;
        return true;
    }
    struct u256 r;
    uint64_t f = (uint64_t)(10000 + (int64_t)s->shock_bps);
    if (u256_muldiv(&r, s->feed_e18, u256_from_u64(f), u256_from_u64(10000),
                    U256_FLOOR) != 0)
        return false;
    *price_e18 = r;
    return true;
}

void
book_prices_base(const struct book *b, uint32_t market, struct u256 *out,
                 uint32_t *missing)
{
    uint32_t miss = 0;

    if (market >= b->nmkt) {
        if (missing != NULL)
            *missing = UINT32_MAX;
        return;
    }
    const struct market *m = b->mkt[market];
    for (unsigned i = 0; i < m->nassets; i++) {
        struct u256 e;
        if (book_price_effective(b, market_asset_price_sym(&m->assets[i]),
                                 &e)) {
            out[i] = market_price_base(m, e);
        } else {
            out[i] = u256_zero();
            miss |= 1u << i;
        }
    }
    for (unsigned i = m->nassets; i < MARKET_ASSETS_MAX; i++)
        out[i] = u256_zero();
    if (missing != NULL)
        *missing = miss;
}

void
book_counts(const struct book *b, struct book_counts *out)
{
    *out = b->counts;
}
