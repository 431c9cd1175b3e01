/*
 * book_tick.c: an update's valuation of the positions whose legs' prices
 * moved, however many symbols moved: each market's moves prepared once
 * (tick128_prep for each moved asset of an additive model, one
 * preparation at the prices after for a model valued whole), then each
 * such position valued once, through the prepared 128-bit move of every
 * moved leg and one finish (model.h move128, tick128), or whole at the
 * prepared prices (tick_account128); what they cannot serve goes to
 * book_calc_tick's general path. The walk: one symbol's holders by the
 * holders index (the leg named there), the whole book in order when the
 * moved symbols' holders are much of it, else their holders stamped once.
 * Valuation's, beside book_calc.c (which it calls, with book_calc_int.h);
 * the ranking is told through the keys (book_key.h) and repaired by the
 * update once after. Pure: no I/O, no clock.
 */
#include <stdlib.h>
#include <string.h>

#include "core/book.h"
#include "core/book_calc_int.h"
#include "core/book_int.h"
#include "core/book_key.h"

/* How many holders ahead book_tick_moved asks for memory. */
#define BOOK_TICK_AHEAD 8

/*
 * Holder k of holders ending at k1, having asked for the account, rank key
 * and leg of the one BOOK_TICK_AHEAD further: holders are spread over the
 * book, and each would wait on DRAM in turn. The small per-position arrays
 * are read in order, which the hardware sees coming by itself. (It returns
 * the holder so that the call is not dead: GCC takes a function of
 * prefetches alone for pure and drops its calls.)
 */
static inline uint32_t
book_tick_holder(const struct book *b, uint32_t k, uint32_t k1)
{
    if (k + BOOK_TICK_AHEAD < k1) {
        uint32_t q = b->hpos[k + BOOK_TICK_AHEAD];
        uint8_t h = b->hleg[k + BOOK_TICK_AHEAD];
        __builtin_prefetch(&b->acct[q]);
        __builtin_prefetch(&b->key[q]);
        __builtin_prefetch(
            &b->legs[b->pleg[q] + (h == BOOK_HLEG_SCAN ? 0 : h)]);
    }
    return b->hpos[k];
}

/* What book_tick_moved() knows of a market for one update. */
struct book_tick_mkt {
    const struct model_ops *ops;
    uint32_t moved; /* mchanged: the assets whose price moved */
    uint32_t ready; /* of those, the ones whose move is prepared */
    bool whole;     /* valued whole: tick_account128 by tk[0] */
    /* additive, one asset moved and prepared: its move (the tick's
     * common case, looked up without the asset) */
    const struct model_tick128 *one;
    uint32_t fit; /* additive: assets whose tk serves add128 (priced now) */
    u128 price[MARKET_ASSETS_MAX]; /* whole: every price, tk[0].price */
    struct model_tick128 tk[MARKET_ASSETS_MAX]; /* additive: by asset */
};

/* For a market valued whole: every price in 128 bits into st; false where
 * one is missing or past 128 bits. */
static bool
book_tick_prices128(const struct book *b, uint32_t mi, struct book_tick_mkt *st)
{
    if (b->mmissing[mi] != 0)
        return false;
    for (unsigned k = 0; k < b->mkt[mi]->nassets; k++)
        if (!u256_to_u128(b->mprice[mi][k], &st->price[k]))
            return false;
    st->tk[0].price = st->price;
    return true;
}

/*
 * Market mi's moves, once an update: for an additive model each moved
 * asset's (tick128_prep, its price before and after within 128 bits and
 * present now); for one valued whole, one preparation at every price
 * after (which is all tick_account128 reads, however many moved). An
 * asset left out of ready sends its holders to the general path.
 */
static void
book_tick_prepare(struct book *b, uint32_t mi, struct book_tick_mkt *st)
{
    const struct market *m = b->mkt[mi];
    uint32_t moved = b->mchanged[mi];

    st->ops = model_get(m->model);
    st->moved = moved;
    st->ready = 0;
    st->fit = 0;
    st->one = NULL;
    st->whole = st->ops->tick_account128 != NULL;
    if (moved == 0)
        return;
    if (st->whole) {
        struct model_tick128 *tk = &st->tk[0];
        tk->m = m;
        tk->asset = (uint8_t)__builtin_ctz(moved);
        tk->price = NULL;
        if (st->ops->tick128_prep != NULL && book_tick_prices128(b, mi, st) &&
            u256_to_u128(b->mold[mi][tk->asset], &tk->po) &&
            u256_to_u128(b->mprice[mi][tk->asset], &tk->pn) &&
            st->ops->tick128_prep(tk))
            st->ready = moved;
        return;
    }
    if (st->ops->tick128 == NULL || st->ops->move128 == NULL ||
        st->ops->add128 == NULL || st->ops->tick128_prep == NULL ||
        st->ops->finish128 == NULL)
        return;
    /* every asset priced now: a moved one from its price before, the
     * others still (for add128, where most of a position's legs moved) */
    for (uint32_t bits =
             ~b->mmissing[mi] &
             (m->nassets >= 32 ? UINT32_MAX : (1u << m->nassets) - 1);
         bits != 0; bits &= bits - 1) {
        uint8_t a = (uint8_t)__builtin_ctz(bits);
        struct model_tick128 *tk = &st->tk[a];
        bool mv = (moved >> a) & 1u;
        tk->m = m;
        tk->asset = a;
        tk->price = NULL;
        if (u256_to_u128(b->mold[mi][a], &tk->po) &&
            u256_to_u128(b->mprice[mi][a], &tk->pn) &&
            (mv || u256_to_u128(b->mprice[mi][a], &tk->po)) &&
            st->ops->tick128_prep(tk)) {
            st->fit |= 1u << a;
            st->ready |= moved & (1u << a);
        }
    }
    if (st->ready == moved && (moved & (moved - 1)) == 0)
        st->one = &st->tk[__builtin_ctz(moved)];
}

/*
 * Holder p of a market valued whole, by the market's prepared move tk:
 * what book_calc_full gives through book_calc_whole128 at the same prices,
 * with the prices taken once a market (tk->price) and what depends on them
 * alone prepared; false, with nothing changed, where it cannot serve.
 */
static bool
book_tick_whole(struct book *b, const struct model_ops *ops,
                const struct model_tick128 *tk, uint32_t p)
{
    uint8_t asset[2 * POSITION_SIDE_MAX];
    u128 amount[2 * POSITION_SIDE_MAX];
    unsigned nc = b->pnc[p], n = nc + b->pnd[p];
    struct model_account128 a;

    if ((b->pflags[p] & BOOK_P_BIG) ||
        !book_calc_legs128(b, p, n, asset, amount) ||
        !ops->tick_account128(tk, asset, amount, nc, n - nc, &a))
        return false;
    book_calc_commit_account128(b, p, &a, true);
    return true;
}

/*
 * Position p's n legs of an additive market st, most of which moved, all
 * valued afresh at the prices now (add128 of each, one term a leg, where
 * the moves take two) and finished: the same sums as the moves give,
 * since they are what the moves keep (the sum of every leg's term). False,
 * with nothing changed, where a price or figure does not fit.
 */
static inline bool
book_tick_fresh(struct book *b, const struct book_tick_mkt *st, uint32_t p,
                unsigned n, struct model_health128 *h)
{
    const struct market *m = b->mkt[b->pmkt[p]];
    size_t leg = b->pleg[p];
    unsigned nc = b->pnc[p];
    struct model_sums128 sums = {{0, 0, 0, 0}};

    for (unsigned i = 0; i < n; i++) {
        uint8_t la = book_leg_asset(b, leg + i);
        if ((la & BOOK_LEG_BIG) || !(st->fit & (1u << la)) ||
            !st->ops->add128(&st->tk[la], i >= nc,
                             book_calc_u128(b->legs[leg + i]), &sums))
            return false;
    }
    if (!st->ops->finish128(m, &sums, (b->pflags[p] & BOOK_P_LEGDEBT) != 0, h))
        return false;
    book_calc_commit_tick(b, p, &sums, h);
    return true;
}

/*
 * Position p of market st after an update, by the prepared moves: each
 * leg whose asset moved by its asset's move (move128), then the finish
 * once (tick128 on the last leg), or where more than half its legs moved
 * every leg afresh (book_tick_fresh: one term a leg where a move takes
 * two); a model valued whole, whole at the prepared prices. The sums are a sum
 * of per-leg terms, each a function of its leg and its asset's price alone:
 * replacing the terms of the moved legs gives the sums at the new prices,
 * whatever their number and order, so one finish gives what a full valuation
 * does. Anything the prepared moves cannot serve (an asset not prepared, an
 * amount past 96 bits or account past 128, unpriced before, a model that
 * declines) goes to book_calc_tick, from the sums as they were. Returns whether
 * a leg of p moved (else nothing is done: its account depends on its legs
 * alone).
 */
static inline bool
book_tick_legs(struct book *b, const struct book_tick_mkt *st, uint32_t mi,
               uint32_t p)
{
    size_t leg = b->pleg[p];
    unsigned nc = b->pnc[p], n = nc + b->pnd[p], k = 0;
    uint8_t at[2 * POSITION_SIDE_MAX], f = b->pflags[p];
    uint32_t legs = 0, big = 0;

    for (unsigned i = 0; i < n; i++) {
        uint8_t la = book_leg_asset(b, leg + i);
        uint32_t bit = 1u << (la & BOOK_LEG_ASSET);
        if (!(st->moved & bit))
            continue;
        at[k++] = (uint8_t)i;
        legs |= bit;
        big |= la & BOOK_LEG_BIG;
    }
    if (k == 0)
        return false;
    if (big != 0 || (legs & ~st->ready) != 0 ||
        (f & (BOOK_P_PRICED | BOOK_P_BIG)) != BOOK_P_PRICED) {
        book_calc_tick(b, p, b->mold[mi], st->moved, BOOK_HLEG_SCAN);
        return true;
    }
    if (st->whole) {
        if (!book_tick_whole(b, st->ops, &st->tk[0], p))
            book_calc_tick(b, p, b->mold[mi], st->moved, BOOK_HLEG_SCAN);
        return true;
    }
    struct model_sums128 *s = &b->acct[p].sums, keep = *s;
    struct model_health128 h;
    bool ok = true;
    if (2 * k > n && book_tick_fresh(b, st, p, n, &h))
        return true;
    for (unsigned j = 0; j + 1 < k && ok; j++) {
        size_t l = leg + at[j];
        ok = st->ops->move128(&st->tk[book_leg_asset(b, l) & BOOK_LEG_ASSET],
                              at[j] >= nc, book_calc_u128(b->legs[l]), s);
    }
    size_t l = leg + at[k - 1];
    if (ok && st->ops->tick128(&st->tk[book_leg_asset(b, l) & BOOK_LEG_ASSET],
                               at[k - 1] >= nc, book_calc_u128(b->legs[l]),
                               (f & BOOK_P_LEGDEBT) != 0, s, &h)) {
        book_calc_commit_tick(b, p, NULL, &h);
        return true;
    }
    *s = keep; /* as it was, for the general path to start from */
    book_calc_tick(b, p, b->mold[mi], st->moved, BOOK_HLEG_SCAN);
    return true;
}

/*
 * Holder p's leg i of the one symbol that moved, by its market's prepared
 * move st->one: the tick's common case, tick128 straight on the leg the
 * holders index names. Anything else goes to book_tick_legs (two
 * legs of the symbol, another asset of it in a view, an amount past 96
 * bits or an account past 128, unpriced before); where the model declines, p is
 * valued from the sums as they were (tick128 leaves them unchanged then, or
 * moved: valued whole either way).
 */
static inline void
book_tick_one(struct book *b, const struct book_tick_mkt *st, uint32_t mi,
              uint32_t p, uint8_t i)
{
    uint8_t f = b->pflags[p];
    size_t leg = b->pleg[p] + i;
    struct model_health128 h;

    if (i == BOOK_HLEG_SCAN ||
        (f & (BOOK_P_PRICED | BOOK_P_BIG)) != BOOK_P_PRICED ||
        book_leg_asset(b, leg) != st->one->asset) { /* BOOK_LEG_BIG clear too */
        (void)book_tick_legs(b, st, mi, p);
        return;
    }
    /* The sums move in the account itself: a copy out and back would pass
     * them through memory in halves and read them whole, a store-to-load
     * forwarding stall a holder. A model that refuses may have moved them
     * already, so that holder is then valued whole. */
    if (!st->ops->tick128(st->one, i >= b->pnc[p], book_calc_u128(b->legs[leg]),
                          (f & BOOK_P_LEGDEBT) != 0, &b->acct[p].sums, &h)) {
        book_calc_full(b, p);
        return;
    }
    book_calc_commit_tick(b, p, NULL, &h);
}

/* Positions of a walk over holders past which the update walks the
 * whole book in order instead (a share of it, in 1/8). */
#define BOOK_TICK_SWEEP_EIGHTHS 3u

size_t
book_tick_moved(struct book *b, const uint32_t *sym, uint32_t nsym, uint8_t ep)
{
    uint32_t upd = b->upd_npos;
    size_t n = 0, nhold = 0;

    if (b->ncalcmk < b->nmkt) {
        b->calcmk = book_xrealloc(b->calcmk, b->nmkt * sizeof *b->calcmk);
        b->ncalcmk = b->nmkt;
    }
    for (uint32_t mi = 0; mi < b->nmkt; mi++)
        book_tick_prepare(b, mi, &b->calcmk[mi]);
    if (nsym == 1) {
        /* One symbol: its holders, each once; only positions added
         * since the last update (valued whole, stamped) are skipped. */
        uint32_t s = sym[0], end = b->hstart[s + 1];
        for (uint32_t k = b->hstart[s]; k < end; k++) {
            uint32_t p = book_tick_holder(b, k, end), mi = b->pmkt[p];
            const struct book_tick_mkt *st = &b->calcmk[mi];
            if (st->moved == 0 || (p >= upd && b->stamp[p] == ep))
                continue;
            n++;
            if (st->one != NULL)
                book_tick_one(b, st, mi, p, b->hleg[k]);
            else
                (void)book_tick_legs(b, st, mi, p);
        }
        return n;
    }
    for (uint32_t j = 0; j < nsym; j++)
        nhold += b->hstart[sym[j] + 1] - b->hstart[sym[j]];
    if (nhold * 8 >= (size_t)upd * BOOK_TICK_SWEEP_EIGHTHS) {
        /* Much of the book: every position valued before, in order (the
         * memory met in passing), each with all its moved legs at once. */
        for (uint32_t p = 0; p < upd; p++) {
            uint32_t mi = b->pmkt[p];
            const struct book_tick_mkt *st = &b->calcmk[mi];
            if (st->moved != 0)
                n += book_tick_legs(b, st, mi, p);
        }
        return n;
    }
    /* Else the holders of each symbol, each position once (stamped). */
    for (uint32_t j = 0; j < nsym; j++) {
        uint32_t s = sym[j], end = b->hstart[s + 1];
        for (uint32_t k = b->hstart[s]; k < end; k++) {
            uint32_t p = book_tick_holder(b, k, end), mi = b->pmkt[p];
            const struct book_tick_mkt *st = &b->calcmk[mi];
            if (st->moved == 0 || b->stamp[p] == ep)
                continue;
            b->stamp[p] = ep;
            n += book_tick_legs(b, st, mi, p);
        }
    }
    return n;
}
