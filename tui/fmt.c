/*
 * fmt.c: display formatting of exact integers.
 *
 * Owns grouping and truncation for the screen; it never changes a figure
 * in a way that hides risk (health is truncated down, as Aave shows it).
 */
#include "tui/fmt.h"

#include <stdio.h>
#include <string.h>

#include "core/decimal.h"

void
fmt_amount(char *buf, size_t cap, struct u256 raw, unsigned decimals,
           unsigned places)
{
    char exact[DECIMAL_BUF], out[DECIMAL_BUF * 2];
    const char *dot;
    size_t intlen, n = 0, frac;

    decimal_format(exact, sizeof(exact), raw, decimals);
    dot = strchr(exact, '.');
    intlen = dot != NULL ? (size_t)(dot - exact) : strlen(exact);
    for (size_t i = 0; i < intlen; i++) {
        if (i > 0 && (intlen - i) % 3 == 0)
            out[n++] = ',';
        out[n++] = exact[i];
    }
    if (places > 0) {
        out[n++] = '.';
        frac = dot != NULL ? strlen(dot + 1) : 0;
        for (unsigned i = 0; i < places; i++)
            out[n++] = i < frac ? dot[1 + i] : '0';
    }
    out[n] = '\0';
    snprintf(buf, cap, "%s", out);
}

void
fmt_exact(char *buf, size_t cap, struct u256 raw, unsigned decimals)
{
    char exact[DECIMAL_BUF];
    const char *dot;
    unsigned frac;

    decimal_format(exact, sizeof(exact), raw, decimals);
    dot = strchr(exact, '.');
    frac = dot != NULL ? (unsigned)strlen(dot + 1) : 0;
    fmt_amount(buf, cap, raw, decimals, frac);
}

/*
 * The forms fmt_fit tries, shortest last: step 0 all places, 1 none, then
 * K, M, B, T, each with one place (odd steps) or none (even).
 */
#define FMT_STEPS 10

void
fmt_at_step(char *buf, size_t cap, struct u256 raw, unsigned decimals,
            unsigned places, int step)
{
    static const char suffix[] = "KMBT";
    struct u256 v = raw;
    char num[DECIMAL_BUF * 2];
    int k;

    if (step <= 0 || step >= FMT_STEPS) {
        fmt_amount(buf, cap, raw, decimals, step <= 0 ? places : 0);
        return;
    }
    if (step == 1) {
        fmt_amount(buf, cap, raw, decimals, 0);
        return;
    }
    k = (step - 2) / 2; /* 0: K */
    for (int i = 0; i <= k; i++)
        (void)u256_div(&v, v, u256_from_u64(1000), U256_FLOOR);
    fmt_amount(num, sizeof(num), v, decimals, step % 2 == 0 ? 1 : 0);
    snprintf(buf, cap, "%s%c", num, suffix[k]);
}

int
fmt_fit_step(struct u256 raw, unsigned decimals, unsigned places, int width)
{
    char buf[DECIMAL_BUF * 2];

    for (int step = 0; step < FMT_STEPS; step++) {
        fmt_at_step(buf, sizeof(buf), raw, decimals, places, step);
        if ((int)strlen(buf) <= width)
            return step;
    }
    return FMT_STEPS - 1;
}

void
fmt_fit(char *buf, size_t cap, struct u256 raw, unsigned decimals,
        unsigned places, int width)
{
    fmt_at_step(buf, cap, raw, decimals, places,
                fmt_fit_step(raw, decimals, places, width));
}

void
fmt_hf(char *buf, size_t cap, struct u256 hf, int has_debt)
{
    struct u256 huge;

    if (!has_debt) {
        snprintf(buf, cap, "-");
        return;
    }
    (void)u256_mul(&huge, u256_from_u64(99), u256_exp10(18));
    if (u256_lt(huge, hf)) {
        snprintf(buf, cap, ">99");
        return;
    }
    fmt_amount(buf, cap, hf, 18, 4);
}

void
fmt_distance(char *buf, size_t cap, struct u256 price, struct u256 liq)
{
    struct u256 d, t;
    bool neg = u256_lt(price, liq);

    if (u256_is_zero(price)) {
        snprintf(buf, cap, "-");
        return;
    }
    (void)u256_sub(&d, neg ? liq : price, neg ? price : liq);
    /* tenths of a percent, toward zero */
    if (u256_muldiv(&t, d, u256_from_u64(1000), price, U256_FLOOR) != 0 ||
        !u256_fits_u64(t) || u256_to_u64(t) > 99999) {
        snprintf(buf, cap, neg ? "<-9999%%" : ">9999%%");
        return;
    }
    snprintf(buf, cap, "%s%llu.%llu%%", neg ? "-" : "",
             (unsigned long long)(u256_to_u64(t) / 10),
             (unsigned long long)(u256_to_u64(t) % 10));
}

void
fmt_count(char *buf, size_t cap, uint64_t n)
{
    char digits[24], out[32];
    int nd = snprintf(digits, sizeof(digits), "%llu", (unsigned long long)n);
    int k = 0;

    for (int i = 0; i < nd; i++) {
        if (i > 0 && (nd - i) % 3 == 0)
            out[k++] = ',';
        out[k++] = digits[i];
    }
    out[k] = '\0';
    snprintf(buf, cap, "%s", out);
}

void
fmt_count_noun(char *buf, size_t cap, uint64_t n, const char *noun_one,
               const char *noun_many)
{
    char num[32];

    fmt_count(num, sizeof(num), n);
    snprintf(buf, cap, "%s %s", num, n == 1 ? noun_one : noun_many);
}

void
fmt_price(char *buf, size_t cap, struct u256 raw, unsigned decimals)
{
    char exact[DECIMAL_BUF];
    const char *dot;
    size_t intlen, frac;

    decimal_format(exact, sizeof(exact), raw, decimals);
    dot = strchr(exact, '.');
    intlen = dot != NULL ? (size_t)(dot - exact) : strlen(exact);
    frac = dot != NULL ? strlen(dot + 1) : 0;
    while (frac > 2 && dot[frac] == '0')
        frac--;
    /* From 1,000 up cents say enough; below, every place the oracle gave
     * (a stablecoin at 0.99991234 shows so, not as 1.00). */
    if (intlen >= 4 || frac < 2)
        frac = 2;
    fmt_amount(buf, cap, raw, decimals, (unsigned)frac);
}
