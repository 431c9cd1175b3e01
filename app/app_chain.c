/*
 * app_chain.c: what a chain source (rpc:) reads besides prices, put into
 * the running book: a market's block (its time, Aave's indexes and each
 * reserve's configuration and gates, Morpho's stored state, Compound v2's
 * exchange rates, collateral factors, close factor and incentive), a position
 * read again, and the ids of the positions the book holds in a market
 * (which a source reads all again after a reorg deeper than it keeps).
 *
 * Must not draw or block. A read the book cannot take is a status-line
 * message, and the book keeps what it had.
 */
#include "app/app_chain.h"

#include <stdio.h>
#include <string.h>

#include "app/app_work.h"
#include "app/portfolio.h"
#include "core/liq.h"
#include "core/model.h"
#include "core/model_aave.h"
#include "core/model_morpho.h"

/* An Aave reserve's configuration and gates as read at the block, put
 * where the portfolio reader puts liqtop import's fields. What this
 * build does not follow is said in why. */
static void
app_chain_reserve(struct app *a, const struct feed_chain_market *u,
                  struct market *m, char *why, size_t whylen)
{
    for (size_t k = 0; k < u->nidx; k++) {
        const struct feed_chain_reserve *r = &u->reserve[k];
        uint32_t sym;

        if (book_symbol_find(a->book, u->sym[k], strlen(u->sym[k]), &sym) != 0)
            continue;
        for (unsigned i = 0; i < m->nassets; i++) {
            struct asset *as = &m->assets[i];

            if (as->sym != sym)
                continue;
            as->ltv = r->ltv_bps;
            as->lt = r->lt_bps;
            as->bonus = r->bonus_bps;
            as->fee = r->fee_bps;
            as->paused = r->paused;
            if (model_aave3_rules(m)->grace)
                as->grace_until = r->grace_until;
            /* Before 3.2 a reserve names its eMode category: a move
             * changes the category's members (app_chain_emodes) */
            if (!model_aave3_rules(m)->emode_bitmap)
                as->emode = (uint8_t)r->emode;
        }
    }
    (void)why;
    (void)whylen;
}

/* The asset index in m of symbol k of the block's list, or -1. */
static int
app_chain_asset(struct app *a, const struct feed_chain_market *u,
                const struct market *m, size_t k)
{
    uint32_t sym;

    if (book_symbol_find(a->book, u->sym[k], strlen(u->sym[k]), &sym) != 0)
        return -1;
    for (unsigned i = 0; i < m->nassets; i++)
        if (m->assets[i].sym == sym)
            return (int)i;
    return -1;
}

/* The eMode categories read at the block, as the portfolio reader takes
 * an import's: each one's ltv, threshold, bonus and label; one a reserve
 * names that the book lacks joins it; the members are, before 3.2, the
 * assets naming the category, from 3.2 the category's bitmaps. The views
 * of the positions in them are made again from the market after. */
static void
app_chain_emodes(struct app *a, const struct feed_chain_market *u,
                 struct market *m, char *why, size_t whylen)
{
    bool bitmap = model_aave3_rules(m)->emode_bitmap;

    for (size_t k = 0; k < u->nemodes; k++) {
        const struct feed_chain_emode *e = &u->emodes[k];
        struct market_emode *c = NULL;

        for (unsigned j = 0; j < m->nemodes && c == NULL; j++)
            if (m->emodes[j].id == e->id)
                c = &m->emodes[j];
        if (c == NULL) {
            if (e->lt_bps == 0)
                continue; /* no such category on chain */
            if (m->nemodes == MARKET_EMODES_MAX) {
                snprintf(why, whylen,
                         "eMode category %u: the market holds %d (not "
                         "followed)",
                         e->id, MARKET_EMODES_MAX);
                continue;
            }
            c = &m->emodes[m->nemodes++];
            memset(c, 0, sizeof(*c));
            c->id = (uint8_t)e->id;
        }
        c->ltv = e->ltv_bps;
        c->lt = e->lt_bps;
        c->bonus = e->bonus_bps;
        snprintf(c->label, sizeof(c->label), "%s", e->label);
        if (e->price_source && !c->has_price)
            snprintf(why, whylen,
                     "eMode category %u has a price source of its own, not "
                     "read by this build",
                     e->id);
        if (!bitmap || !e->has_bitmaps)
            continue;
        c->collateral = c->borrowable = 0;
        for (size_t s = 0; s < u->nidx && s < 32; s++) {
            int i = app_chain_asset(a, u, m, s);

            if (i < 0)
                continue;
            if ((e->collateral >> s) & 1u)
                c->collateral |= 1u << i;
            if ((e->borrowable >> s) & 1u)
                c->borrowable |= 1u << i;
        }
    }
    if (bitmap)
        return;
    /* Before 3.2 an asset names its category: that is its bitmap */
    for (unsigned j = 0; j < m->nemodes; j++)
        m->emodes[j].collateral = m->emodes[j].borrowable = 0;
    for (unsigned i = 0; i < m->nassets; i++)
        for (unsigned j = 0; j < m->nemodes; j++)
            if (m->assets[i].emode != 0 &&
                m->emodes[j].id == m->assets[i].emode) {
                m->emodes[j].collateral |= 1u << i;
                m->emodes[j].borrowable |= 1u << i;
            }
}

/* A Compound v2 market's block: each cToken's exchange rate, collateral
 * factor and deprecation, the close factor and incentive. */
static void
app_chain_ctokens(struct app *a, const struct feed_chain_market *u,
                  struct market *m, bool config)
{
    for (size_t k = 0; k < u->nidx; k++) {
        const struct feed_chain_ctoken *c = &u->ctoken[k];
        uint32_t sym;

        if (book_symbol_find(a->book, u->sym[k], strlen(u->sym[k]), &sym) != 0)
            continue;
        for (unsigned i = 0; i < m->nassets; i++) {
            struct asset *as = &m->assets[i];

            if (as->sym != sym)
                continue;
            /* legs of cTokens where the book has them (an import's) */
            if (m->ctoken[i].has_rate)
                m->ctoken[i].exchange_rate = c->exchange_rate;
            if (!config)
                continue;
            m->ctoken[i].deprecated = c->deprecated;
            /* a factor past 64 bits is refused by the validation below */
            as->lt =
                c->cf.w[1] | c->cf.w[2] | c->cf.w[3] ? UINT64_MAX : c->cf.w[0];
            if (as->ltv > as->lt)
                as->ltv = as->lt;
        }
    }
    if (!config)
        return;
    m->params.close_factor =
        u->close_factor.w[1] | u->close_factor.w[2] | u->close_factor.w[3]
            ? UINT64_MAX
            : u->close_factor.w[0];
    m->params.liquidation_incentive =
        u->incentive.w[1] | u->incentive.w[2] | u->incentive.w[3]
            ? 0
            : u->incentive.w[0];
}

/* Market m (a copy of the book's) takes the block: its time, Aave's
 * indexes and, with reserve, configuration, Morpho's state, Compound's
 * markets. */
static int
app_chain_block(struct app *a, const struct feed_chain_market *u,
                struct market *m, bool reserve, char *why, size_t whylen)
{
    m->as_of = u->as_of;
    for (size_t k = 0; k < u->nidx && u->lindex != NULL; k++) {
        uint32_t sym;

        if (book_symbol_find(a->book, u->sym[k], strlen(u->sym[k]), &sym) != 0)
            continue;
        for (unsigned i = 0; i < m->nassets; i++)
            if (m->assets[i].sym == sym) {
                struct asset *as = &m->assets[i];

                as->lindex = u->lindex[k];
                as->dindex = u->dindex[k];
                /* what they were accrued from, as an import's: the
                 * figures that look ahead (time_to_liquidation) accrue
                 * from them too */
                if (u->reserve_updated == NULL)
                    continue;
                as->has_rates = true;
                as->lindex_stored = u->lindex_stored[k];
                as->dindex_stored = u->dindex_stored[k];
                as->lrate = u->lrate[k];
                as->drate = u->drate[k];
                as->last_update = u->reserve_updated[k];
            }
    }
    if (reserve && u->reserve != NULL && market_is_aave3(m->model))
        app_chain_reserve(a, u, m, why, whylen);
    if (reserve && u->emodes != NULL && market_is_aave3(m->model))
        app_chain_emodes(a, u, m, why, whylen);
    if (u->ctoken != NULL && m->model == MODEL_COMPOUND_V2)
        app_chain_ctokens(a, u, m, reserve);
    if (u->has_state && m->morpho.has_state) {
        m->morpho.supply_assets = u->supply_assets;
        m->morpho.supply_shares = u->supply_shares;
        m->morpho.borrow_assets = u->borrow_assets;
        m->morpho.borrow_shares = u->borrow_shares;
        m->morpho.last_update = u->last_update;
        m->morpho.fee = u->fee.w[0];
        m->morpho.borrow_rate = u->borrow_rate;
    }
    if (m->morpho.has_state) {
        m->morpho.accrued = false;
        return model_morpho_accrue(m);
    }
    return 0;
}

/* Every market of that id takes the block: the market as listed first,
 * then its views, an Aave view made again from it as the portfolio
 * reader makes one (the eMode category's parameters over the reserve's
 * new ones); each one's positions are valued again. */
void
app_chain_market_cb(void *arg, struct feed *f,
                    const struct feed_chain_market *u)
{
    struct app *a = arg;
    struct market m, base;
    bool found = false, have_base = false;
    char why[256] = "", bad[200];
    int rc = 0;

    app_work_join(a); /* the book is changed at once: the loop's first */

    for (int pass = 0; pass < 2 && rc == 0; pass++)
        for (uint32_t mi = 0; mi < book_market_count(a->book) && rc == 0;
             mi++) {
            const struct market *cur = book_market(a->book, mi);

            if (strcmp(cur->id, u->market) != 0 ||
                cur->view.view != (pass == 1))
                continue;
            found = true;
            if (pass == 1 && have_base && market_is_aave3(cur->model)) {
                rc = model_aave3_view_make(&base, &cur->view, &m);
            } else {
                m = *cur;
                rc = app_chain_block(a, u, &m, true, why, sizeof why);
                /* a configuration the model refuses (as the portfolio
                 * reader would): the block without it, and said */
                if (rc == 0 && pass == 0 &&
                    market_validate(&m, bad, sizeof bad) != 0) {
                    snprintf(why, sizeof why,
                             "reserve configuration not taken: %s", bad);
                    m = *cur;
                    rc = app_chain_block(a, u, &m, false, bad, sizeof bad);
                }
            }
            /* from now on the chain's block time is the gates' clock */
            m.chain_clock = true;
            m.gate_at = 0;
            if (rc == 0)
                rc = book_market_set(a->book, mi, &m);
            if (rc == 0 && pass == 0) {
                base = m;
                have_base = true;
            }
        }
    if (!found || rc != 0 || why[0] != '\0') {
        snprintf(a->error, sizeof(a->error), "%.200s: market %.80s: %s",
                 f->spec, u->market,
                 !found    ? "not in the book"
                 : rc != 0 ? liq_strerror(rc)
                           : why);
        app_wake(a);
        if (!found || rc != 0)
            return;
    }
    a->book_dirty = true;
    app_wake(a);
}

/* A chain source read a position again: the book takes it as the
 * portfolio's reader reads it. */
void
app_chain_position_cb(void *arg, struct feed *f, const char *text, size_t len)
{
    struct app *a = arg;
    char err[256];

    app_work_join(a);
    if (portfolio_position_apply(a->book, f->spec, text, len, err,
                                 sizeof(err)) != 0) {
        snprintf(a->error, sizeof(a->error), "%s", err);
        app_wake(a);
        return;
    }
    f->positions_read++;
    a->book_dirty = true;
    app_wake(a);
}

void
app_chain_ids_cb(void *arg, struct feed *f, const char *market,
                 const char *debt_sym, feed_chain_id_fn each, void *ctx)
{
    struct app *a = arg;
    uint32_t n, sym = UINT32_MAX;

    (void)f;
    app_work_join(a);
    n = book_position_count(a->book);
    if (debt_sym != NULL &&
        book_symbol_find(a->book, debt_sym, strlen(debt_sym), &sym) != 0)
        return; /* a symbol the book has never seen: nobody owes it */
    for (uint32_t i = 0; i < n; i++) {
        const struct market *m;
        struct position p;
        bool owes = debt_sym == NULL;

        book_position_get(a->book, i, &p);
        m = book_market(a->book, p.market);
        if (strcmp(m->id, market) != 0)
            continue;
        for (unsigned k = 0; k < p.ndebt && !owes; k++)
            owes = m->assets[p.debt[k].asset].sym == sym;
        if (owes)
            each(ctx, p.id);
    }
}
