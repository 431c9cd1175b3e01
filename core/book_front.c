/*
 * book_front.c: debt in front for Liquity v2 troves (book_front.h). The
 * troves of one rate of a branch share a view of its market (the
 * portfolio reader places them there), so the table is each market's total
 * debt, one pass over the positions, and a trove's debt in front is the sum of
 * the totals of its branch's views at lower rates, summed once for every
 * view in one sort by branch and rate. Troves at its own rate
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
    struct u256 *front; /* per market index: the debt at lower rates, raw */
};

/* A liquity-v2 view of a branch with its rate, for the sort by branch,
 * then rate. */
struct book_front_ent {
    const char *id;
    uint64_t rate;
    uint32_t mi;
};

static int
book_front_cmp(const void *a, const void *b)
{
    const struct book_front_ent *x = a, *y = b;
    int c = strcmp(x->id, y->id);

    if (c != 0)
        return c;
    return x->rate < y->rate ? -1 : x->rate > y->rate;
}

/*
 * Each market's total trove debt in one pass over the positions; then
 * the views sorted by branch and rate, so that a view's debt in front is
 * the running sum of its branch's views before its rate: every trove's
 * answer is then one read, however many rates a branch has.
 */
struct book_front *
book_front_new(const struct book *b)
{
    uint32_t nmkt = book_market_count(b), npos = book_position_count(b);
    struct book_front *f;
    struct book_front_ent *e;
    struct u256 *debt, run = u256_zero(), base = u256_zero();
    uint32_t ne = 0;

    for (uint32_t mi = 0; mi < nmkt; mi++) {
        const struct market *m = book_market(b, mi);

        ne += m->model == MODEL_LIQUITY_V2 && m->view.rate != 0;
    }
    if (ne == 0)
        return NULL;
    f = book_xcalloc(1, sizeof *f);
    f->nmkt = nmkt;
    f->front = book_xcalloc(nmkt, sizeof *f->front);
    debt = book_xcalloc(nmkt, sizeof *debt);
    e = book_xcalloc(ne, sizeof *e);
    for (uint32_t i = 0; i < npos; i++) {
        struct position p;
        const struct market *m;

        book_position_get(b, i, &p);
        m = book_market(b, p.market);
        if (m->model != MODEL_LIQUITY_V2 || m->view.rate == 0 || p.ndebt != 1)
            continue;
        /* a branch's whole debt stays far below 2^256 */
        (void)u256_add(&debt[p.market], debt[p.market], p.debt[0].amount);
    }
    ne = 0;
    for (uint32_t mi = 0; mi < nmkt; mi++) {
        const struct market *m = book_market(b, mi);

        if (m->model == MODEL_LIQUITY_V2 && m->view.rate != 0)
            e[ne++] = (struct book_front_ent){m->id, m->view.rate, mi};
    }
    qsort(e, ne, sizeof *e, book_front_cmp);
    for (uint32_t k = 0; k < ne; k++) {
        if (k == 0 || strcmp(e[k].id, e[k - 1].id) != 0)
            run = base = u256_zero(); /* a new branch */
        else if (e[k].rate != e[k - 1].rate)
            base = run; /* a higher rate: all before it is in front */
        f->front[e[k].mi] = base;
        (void)u256_add(&run, run, debt[e[k].mi]);
    }
    free(e);
    free(debt);
    return f;
}

void
book_front_free(struct book_front *f)
{
    if (f == NULL)
        return;
    free(f->front);
    free(f);
}

bool
book_front_debt(const struct book_front *f, const struct book *b, uint32_t idx,
                struct u256 *out)
{
    struct position p;
    const struct market *m;

    if (f == NULL || idx >= book_position_count(b))
        return false;
    book_position_get(b, idx, &p);
    m = book_market(b, p.market);
    if (m->model != MODEL_LIQUITY_V2 || m->view.rate == 0 ||
        p.market >= f->nmkt)
        return false;
    *out = f->front[p.market];
    return true;
}
