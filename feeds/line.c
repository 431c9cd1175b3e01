/*
 * line.c: the feed line protocol: line splitting and JSON line parsing.
 *
 * Owns the only JSON parsing of feed data. A price given as a string is
 * exact; a JSON number is read through its shortest decimal form. Nothing
 * here applies a price: it only says what a line holds.
 */
#include "feeds/line.h"

#include <cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/decimal.h"
#include "core/liq.h"

const char *
line_reject_name(enum line_reject r)
{
    switch (r) {
    case LINE_MALFORMED:
        return "malformed";
    case LINE_TOO_LONG:
        return "too_long";
    case LINE_UNKNOWN_SYMBOL:
        return "unknown_symbol";
    case LINE_BAD_PRICE:
        return "bad_price";
    case LINE_NON_POSITIVE:
        return "non_positive";
    case LINE_REJECT_COUNT:
        break;
    }
    return "unknown";
}

static void
line_reject_add(struct line_result *out, enum line_reject r)
{
    if (out->nrejects < sizeof(out->rejects) / sizeof(out->rejects[0]))
        out->rejects[out->nrejects++] = r;
}

/* The shortest "%.*g" text of d that reads back as d. */
static void
line_shortest(char *buf, size_t cap, double d)
{
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(buf, cap, "%.*g", prec, d);
        double back = strtod(buf, NULL);

        /* Exact round trip: neither smaller nor larger. */
        if (!(back < d) && !(back > d))
            return;
    }
}

/* A price value (string or number) to PRICE_DECIMALS; a reject or 0. */
static int
line_price(const cJSON *v, struct u256 *out, enum line_reject *why)
{
    char num[40];
    const char *text;
    int rc;

    if (cJSON_IsString(v)) {
        text = v->valuestring;
    } else if (cJSON_IsNumber(v)) {
        if (!isfinite(v->valuedouble)) {
            *why = LINE_BAD_PRICE;
            return -1;
        }
        if (v->valuedouble <= 0) {
            *why = LINE_NON_POSITIVE;
            return -1;
        }
        line_shortest(num, sizeof(num), v->valuedouble);
        text = num;
    } else {
        *why = LINE_BAD_PRICE;
        return -1;
    }
    rc = decimal_parse(out, text, strlen(text), PRICE_DECIMALS,
                       DECIMAL_TRUNCATE);
    if (rc == LIQ_ERANGE) {
        *why = LINE_NON_POSITIVE;
        return -1;
    }
    if (rc != 0) {
        *why = LINE_BAD_PRICE;
        return -1;
    }
    if (u256_is_zero(*out)) {
        *why = LINE_NON_POSITIVE;
        return -1;
    }
    return 0;
}

static void
line_add(struct line_result *out, const char *sym, const cJSON *price,
         bool has_ts, int64_t ts)
{
    struct price_update *u;
    enum line_reject why = LINE_MALFORMED;
    size_t n = strlen(sym);

    if (n == 0 || n >= SYMBOL_MAX) {
        line_reject_add(out, LINE_UNKNOWN_SYMBOL);
        return;
    }
    if (out->n >= LINE_BATCH_MAX) {
        line_reject_add(out, LINE_MALFORMED);
        return;
    }
    u = &out->up[out->n];
    if (line_price(price, &u->price_e18, &why) != 0) {
        line_reject_add(out, why);
        return;
    }
    memcpy(u->symbol, sym, n + 1);
    u->has_ts = has_ts;
    u->ts_ms = ts;
    out->n++;
}

/* One market's raw oracle price: a string of digits, nonzero. */
static void
line_add_oracle(struct line_result *out, const cJSON *it)
{
    struct oracle_update *o;
    size_t n = it->string != NULL ? strlen(it->string) : 0;
    const char *v = cJSON_IsString(it) ? it->valuestring : NULL;

    if (n == 0 || n >= MARKET_ID_MAX) {
        line_reject_add(out, LINE_UNKNOWN_SYMBOL);
        return;
    }
    if (out->noracle >= LINE_ORACLE_MAX || v == NULL) {
        line_reject_add(out, v == NULL ? LINE_BAD_PRICE : LINE_MALFORMED);
        return;
    }
    o = &out->oracle[out->noracle];
    if (strspn(v, "0123456789") != strlen(v) ||
        decimal_parse(&o->raw, v, strlen(v), 0, DECIMAL_EXACT) != 0) {
        line_reject_add(out, LINE_BAD_PRICE);
        return;
    }
    if (u256_is_zero(o->raw)) {
        line_reject_add(out, LINE_NON_POSITIVE);
        return;
    }
    memcpy(o->market, it->string, n + 1);
    out->noracle++;
}

void
line_parse(const char *line, size_t len, struct line_result *out)
{
    cJSON *root;
    const cJSON *sym, *price, *prices, *oracle, *ts, *it;
    bool has_ts = false, blank = true;
    int64_t tsv = 0;

    out->n = 0;
    out->noracle = 0;
    out->nrejects = 0;
    for (size_t i = 0; i < len && blank; i++)
        blank = line[i] == ' ' || line[i] == '\t' || line[i] == '\r';
    if (blank)
        return;
    if (len > LINE_MAX_BYTES) {
        line_reject_add(out, LINE_TOO_LONG);
        return;
    }
    if (memchr(line, '\0', len) != NULL) {
        line_reject_add(out, LINE_MALFORMED);
        return;
    }
    root = cJSON_ParseWithLength(line, len);
    if (root == NULL || !cJSON_IsObject(root)) {
        cJSON_Delete(root);
        line_reject_add(out, LINE_MALFORMED);
        return;
    }
    ts = cJSON_GetObjectItemCaseSensitive(root, "ts");
    if (ts != NULL) {
        if (!cJSON_IsNumber(ts) || !isfinite(ts->valuedouble) ||
            ts->valuedouble < 0 || ts->valuedouble > 9.0e15) {
            cJSON_Delete(root);
            line_reject_add(out, LINE_MALFORMED);
            return;
        }
        has_ts = true;
        tsv = (int64_t)ts->valuedouble;
    }
    sym = cJSON_GetObjectItemCaseSensitive(root, "symbol");
    price = cJSON_GetObjectItemCaseSensitive(root, "price");
    prices = cJSON_GetObjectItemCaseSensitive(root, "prices");
    oracle = cJSON_GetObjectItemCaseSensitive(root, "oracle");
    if (oracle != NULL) {
        if (cJSON_IsObject(oracle) && sym == NULL && price == NULL &&
            prices == NULL) {
            cJSON_ArrayForEach(it, oracle)
            {
                line_add_oracle(out, it);
            }
        }
        if (out->noracle == 0 && out->nrejects == 0)
            line_reject_add(out, LINE_MALFORMED);
    } else if (cJSON_IsString(sym) && price != NULL && prices == NULL) {
        line_add(out, sym->valuestring, price, has_ts, tsv);
    } else if (cJSON_IsObject(prices) && sym == NULL && price == NULL) {
        cJSON_ArrayForEach(it, prices)
        {
            line_add(out, it->string, it, has_ts, tsv);
        }
        if (out->n == 0 && out->nrejects == 0)
            line_reject_add(out, LINE_MALFORMED);
    } else {
        line_reject_add(out, LINE_MALFORMED);
    }
    cJSON_Delete(root);
}

void
linebuf_init(struct linebuf *lb)
{
    memset(lb, 0, sizeof(*lb));
}

void
linebuf_done(struct linebuf *lb)
{
    free(lb->buf);
    memset(lb, 0, sizeof(*lb));
}

/* Keep bytes of the current line, unless it is already too long. */
static void
linebuf_keep(struct linebuf *lb, const char *data, size_t n)
{
    if (lb->overlong)
        return;
    if (lb->len + n > LINE_MAX_BYTES) {
        lb->overlong = true;
        lb->len = 0;
        return;
    }
    if (lb->len + n > lb->cap) {
        size_t cap = lb->cap ? lb->cap : 256;
        char *nb;

        while (cap < lb->len + n)
            cap *= 2;
        nb = realloc(lb->buf, cap);
        if (nb == NULL)
            abort();
        lb->buf = nb;
        lb->cap = cap;
    }
    memcpy(lb->buf + lb->len, data, n);
    lb->len += n;
}

static void
linebuf_emit(struct linebuf *lb, linebuf_cb cb, void *arg)
{
    size_t n = lb->len;

    if (lb->overlong) {
        cb(arg, "", 0, true);
    } else {
        if (n > 0 && lb->buf[n - 1] == '\r')
            n--;
        cb(arg, lb->buf != NULL ? lb->buf : "", n, false);
    }
    lb->len = 0;
    lb->overlong = false;
}

void
linebuf_feed(struct linebuf *lb, const char *data, size_t len, linebuf_cb cb,
             void *arg)
{
    while (len > 0) {
        const char *nl = memchr(data, '\n', len);
        size_t n = nl != NULL ? (size_t)(nl - data) : len;

        /* A whole line in this read with nothing pending: no copy. */
        if (nl != NULL && lb->len == 0 && !lb->overlong) {
            size_t m = n;

            if (m > LINE_MAX_BYTES) {
                cb(arg, "", 0, true);
            } else {
                if (m > 0 && data[m - 1] == '\r')
                    m--;
                cb(arg, data, m, false);
            }
        } else {
            linebuf_keep(lb, data, n);
            if (nl != NULL)
                linebuf_emit(lb, cb, arg);
        }
        if (nl == NULL)
            break;
        data += n + 1;
        len -= n + 1;
    }
}

void
linebuf_flush(struct linebuf *lb, linebuf_cb cb, void *arg)
{
    if (lb->len > 0 || lb->overlong)
        linebuf_emit(lb, cb, arg);
}

size_t
line_format(char *buf, size_t cap, const struct price_update *up)
{
    char price[DECIMAL_BUF];
    int n;

    decimal_format(price, sizeof(price), up->price_e18, PRICE_DECIMALS);
    if (up->has_ts)
        n = snprintf(buf, cap,
                     "{\"symbol\": \"%s\", \"price\": \"%s\", "
                     "\"ts\": %lld}",
                     up->symbol, price, (long long)up->ts_ms);
    else
        n = snprintf(buf, cap, "{\"symbol\": \"%s\", \"price\": \"%s\"}",
                     up->symbol, price);
    return n < 0 ? 0 : (size_t)n;
}
