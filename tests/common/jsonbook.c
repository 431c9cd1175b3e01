/*
 * jsonbook.c: books from portfolio text for the tests (jsonbook.h): the
 * quote swap, one substitution, the load, and a position's health and
 * largest liquidation.
 *
 * Test-only; never linked into ./liqtop.
 */
#include "tests/common/jsonbook.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/portfolio.h"
#include "core/model.h"

char *
jsonbook_q(const char *s)
{
    char *d = strdup(s), *p;

    ck_assert_ptr_nonnull(d);
    for (p = d; *p != '\0'; p++)
        if (*p == '\'')
            *p = '"';
    return d;
}

char *
jsonbook_subst(const char *s, const char *from, const char *to)
{
    const char *at = strstr(s, from);
    size_t n = strlen(s) - strlen(from) + strlen(to) + 1;
    char *d = malloc(n);

    ck_assert_ptr_nonnull(at);
    ck_assert_ptr_nonnull(d);
    snprintf(d, n, "%.*s%s%s", (int)(at - s), s, to, at + strlen(from));
    return d;
}

struct book *
jsonbook_load(const char *json)
{
    struct book *b = book_new();
    char *text = jsonbook_q(json), err[512];
    int rc = portfolio_load_text(b, "book.json", text, strlen(text), NULL, err,
                                 sizeof err);

    free(text);
    ck_assert_msg(rc == 0, "load failed: %s", err);
    book_update(b);
    return b;
}

struct u256
jsonbook_hf(struct book *b, const char *id)
{
    struct account a;
    uint32_t idx;

    ck_assert_int_eq(book_position_find(b, id, strlen(id), &idx), 0);
    ck_assert(book_read_account(b, idx, &a));
    return a.hf;
}

void
jsonbook_liq(struct book *b, const char *id, const struct liq_call *c,
             struct liq_result *r)
{
    struct position p;
    struct u256 price[MARKET_ASSETS_MAX];
    uint32_t idx;

    ck_assert_int_eq(book_position_find(b, id, strlen(id), &idx), 0);
    book_position_get(b, idx, &p);
    book_prices_base(b, p.market, price, NULL);
    ck_assert_int_eq(model_liquidate(book_market(b, p.market), &p, price, c, r),
                     0);
}

void
jsonbook_liq_max(struct book *b, const char *id, struct liq_result *r)
{
    struct position p;
    struct u256 price[MARKET_ASSETS_MAX];
    const struct market *m;
    struct liq_call c;
    uint32_t idx;

    ck_assert_int_eq(book_position_find(b, id, strlen(id), &idx), 0);
    book_position_get(b, idx, &p);
    m = book_market(b, p.market);
    book_prices_base(b, p.market, price, NULL);
    memset(&c, 0, sizeof c);
    c.debt = model_largest_leg(m, &p, true, price);
    c.coll = model_largest_leg(m, &p, false, price);
    c.max = true;
    jsonbook_liq(b, id, &c, r);
}
