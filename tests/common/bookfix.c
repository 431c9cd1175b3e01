/*
 * bookfix.c: the small book the book's unit tests share (bookfix.h): three
 * symbols, one aave-v3 3.7 market, positions by whole units, prices.
 *
 * Test-only; never linked into ./liqtop.
 */
#include <stdio.h>
#include <string.h>

#include "core/liq.h"
#include "tests/common/bookfix.h"
#include "tests/common/testutil.h"

void
bookfix_init(struct bookfix *f)
{
    struct market m;

    f->b = book_new();
    ck_assert_int_eq(book_symbol_intern(f->b, "WETH", 4, &f->weth), 0);
    ck_assert_int_eq(book_symbol_intern(f->b, "USDC", 4, &f->usdc), 0);
    ck_assert_int_eq(book_symbol_intern(f->b, "DAI", 3, &f->dai), 0);
    memset(&m, 0, sizeof m);
    snprintf(m.id, sizeof m.id, "%s", "aave-core");
    m.model = MODEL_AAVE_V3;
    m.version = 307;
    m.base_decimals = 8;
    m.nassets = 3;
    m.assets[0] = (struct asset){.sym = f->weth,
                                 .decimals = 18,
                                 .ltv = 8000,
                                 .lt = 8250,
                                 .bonus = 500,
                                 .fee = 1000};
    m.assets[1] = (struct asset){.sym = f->usdc,
                                 .decimals = 6,
                                 .ltv = 7500,
                                 .lt = 7800,
                                 .bonus = 450,
                                 .fee = 1000};
    m.assets[2] = (struct asset){.sym = f->dai,
                                 .decimals = 18,
                                 .ltv = 6300,
                                 .lt = 7700,
                                 .bonus = 500,
                                 .fee = 1000};
    ck_assert_int_eq(book_market_add(f->b, &m, &f->mkt), 0);
}

uint32_t
bookfix_add_raw(struct bookfix *f, const char *id, struct u256 weth,
                struct u256 dai, struct u256 usdc)
{
    struct position p;
    uint32_t idx;

    memset(&p, 0, sizeof p);
    p.id = id;
    p.label = "";
    p.market = f->mkt;
    if (!u256_is_zero(weth)) {
        p.coll[p.ncoll].asset = 0;
        p.coll[p.ncoll++].amount = weth;
    }
    if (!u256_is_zero(dai)) {
        p.coll[p.ncoll].asset = 2;
        p.coll[p.ncoll++].amount = dai;
    }
    if (!u256_is_zero(usdc)) {
        p.debt[0].asset = 1;
        p.debt[0].amount = usdc;
        p.ndebt = 1;
    }
    ck_assert_int_eq(book_position_add(f->b, &p, &idx), 0);
    return idx;
}

uint32_t
bookfix_add(struct bookfix *f, const char *id, uint64_t coll_weth,
            uint64_t coll_dai, uint64_t debt_usdc)
{
    return bookfix_add_raw(f, id, bookfix_e18(coll_weth), bookfix_e18(coll_dai),
                           u256_from_u64(debt_usdc * 1000000ULL));
}

struct u256
bookfix_e18(uint64_t whole)
{
    struct u256 r;

    ck_assert_int_eq(u256_mul(&r, u256_from_u64(whole), u256_exp10(18)), 0);
    return r;
}

void
bookfix_prices(struct bookfix *f)
{
    ck_assert_int_eq(book_price_set(f->b, f->weth, bookfix_e18(2000), 1000), 0);
    ck_assert_int_eq(book_price_set(f->b, f->usdc, bookfix_e18(1), 1001), 0);
}

const char *
bookfix_id_at(struct book *b, uint32_t rank)
{
    struct position p;

    book_position_get(b, book_rank_at(b, rank), &p);
    return p.id;
}
