/*
 * book_front.c: debt in front for Liquity v2 troves (book_front.h). The
 * troves of one rate of a branch share a view of its market (the
 * portfolio reader places them there), so the table is each market's total
 * debt, one pass over the positions, and a trove's debt in front is the sum of
 * the totals of its branch's views at lower rates. Troves at its own rate
 * are not in front: redemptions take equal rates in the sorted list's
 * order, which the book does not know.
 *
 * A view on top of the book: reads positions and markets through book.h
 * alone, and is called by no other book file. Pure: no I/O, no clock.
 */
#include "core/book_front.h"

#include <stdlib.h>
#include <string.h>

#include "core/book_int.h"
#include "core/market.h"

struct book_front {
    uint32_t nmkt;
    struct u256 *debt; /* per market index: its troves' debt, raw */
};

struct book_front *
book_front_new(const struct book *b)
{
    uint32_t nmkt = book_market_count(b), npos = book_position_count(b);
    struct book_front *f;
    bool any = false;

    for (uint32_t mi = 0; mi < nmkt && !any; mi++) {
        const struct market *m = book_market(b, mi);

        any = m->model == MODEL_LIQUITY_V2 && m->view.rate != 0;
    }
    if (!any)
        return NULL;
    f = book_xcalloc(1, sizeof *f);
    f->nmkt = nmkt;
    f->debt = book_xcalloc(nmkt, sizeof *f->debt);
    for (uint32_t i = 0; i < npos; i++) {
        struct position p;
        const struct market *m;

        book_position_get(b, i, &p);
        m = book_market(b, p.market);
        if (m->model != MODEL_LIQUITY_V2 || m->view.rate == 0 || p.ndebt != 1)
            continue;
        /* a branch's whole debt stays far below 2^256 */
        (void)u256_add(&f->debt[p.market], f->debt[p.market], p.debt[0].amount);
    }
    return f;
}

void
book_front_free(struct book_front *f)
{
    if (f == NULL)
        return;
    free(f->debt);
    free(f);
}

bool
book_front_debt(const struct book_front *f, const struct book *b, uint32_t idx,
                struct u256 *out)
{
    struct position p;
    const struct market *m;
    struct u256 sum = u256_zero();

    if (f == NULL || idx >= book_position_count(b))
        return false;
    book_position_get(b, idx, &p);
    m = book_market(b, p.market);
    if (m->model != MODEL_LIQUITY_V2 || m->view.rate == 0)
        return false;
    for (uint32_t mi = 0; mi < f->nmkt; mi++) {
        const struct market *o = book_market(b, mi);

        if (o->model == MODEL_LIQUITY_V2 && o->view.rate != 0 &&
            o->view.rate < m->view.rate && strcmp(o->id, m->id) == 0)
            (void)u256_add(&sum, sum, f->debt[mi]);
    }
    *out = sum;
    return true;
}
