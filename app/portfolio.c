/*
 * portfolio.c: loading a portfolio file and a JSON Lines positions file
 * into a book, --price overrides, and the checks before any figure is
 * printed (design.md sections 3 and 7).
 *
 * Owns the files: reading them, streaming JSON Lines a line at a time
 * (never held whole), and where a message points. What the members mean
 * is portfolio_read.c's.
 */
#include "app/portfolio.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>

#include "app/portfolio_fast.h"
#include "app/portfolio_read.h"
#include "app/textout.h"
#include "core/decimal.h"
#include "core/liq.h"
#include "core/shard.h"
#include "core/market.h"
#include "core/model.h"
#include "core/position.h"

/* Terminal-safe copy of user text for a message, unquoted. */
static const char *
safe_text(char *buf, size_t cap, const char *s, size_t len)
{
    textout_safe(buf, cap, s, len, 40);
    return buf;
}

/*
 * The first JSON number of text[0..len) that a double cannot hold as
 * written: more than 15 significant digits (123456789012345678901 would
 * read as 1.2345678901234568e20), or a value that underflows to 0 or
 * overflows (1e-400, 1e400). Its offset in *at and the reason; false when
 * every number is exact. Strings are skipped, escapes included.
 */
static bool
numbers_inexact(const char *text, size_t len, size_t *at, const char **why)
{
    size_t i = 0;

    while (i < len) {
        char c = text[i];

        if (c == '"') {
            for (i++; i < len && text[i] != '"'; i++)
                if (text[i] == '\\')
                    i++;
            i++;
            continue;
        }
        if (c == '-' || (c >= '0' && c <= '9')) {
            size_t st = i, digits = 0, lead = 1, zeros = 0;
            bool nonzero = false, mant = true;
            char buf[64];
            double d;

            for (; i < len && text[i] != '\0' &&
                   strchr("+-.eE0123456789", text[i]) != NULL;
                 i++) {
                char k = text[i];

                if (k == 'e' || k == 'E')
                    mant = false;
                if (!mant || k < '0' || k > '9')
                    continue;
                if (k == '0' && lead)
                    continue;
                lead = 0;
                nonzero = nonzero || k != '0';
                zeros = k == '0' ? zeros + 1 : 0;
                digits++;
            }
            *at = st;
            if (digits - zeros > 15 || i - st >= sizeof(buf)) {
                *why = "more digits than a JSON number holds exactly";
                return true;
            }
            memcpy(buf, text + st, i - st);
            buf[i - st] = '\0';
            d = strtod(buf, NULL);
            if ((nonzero && !(d > 0) && !(d < 0)) || isinf(d)) {
                *why = "outside what a JSON number holds";
                return true;
            }
            continue;
        }
        i++;
    }
    return false;
}

/* Refuse a document or line with such a number, naming where. */
static int
numbers_check(struct portfolio_reader *L, const char *text, size_t len)
{
    size_t at, line = 1, col = 1;
    const char *why;

    if (!numbers_inexact(text, len, &at, &why))
        return 0;
    for (size_t i = 0; i < at; i++) {
        if (text[i] == '\n')
            line++, col = 1;
        else
            col++;
    }
    if (L->line > 0)
        line = L->line;
    if (L->errlen > 0)
        snprintf(L->err, L->errlen, "%s:%lu:%lu: %s; give it as a string",
                 L->file, (unsigned long)line, (unsigned long)col, why);
    return LIQ_EPRECISION;
}

static bool portfolio_quick = true;

void
portfolio_set_quick(bool on)
{
    portfolio_quick = on;
}

/* --shard I/N: the positions kept (every one while n is 1). */
static uint32_t portfolio_shard_i, portfolio_shard_n = 1;

void
portfolio_set_shard(uint32_t i, uint32_t n)
{
    portfolio_shard_i = n > 1 ? i : 0;
    portfolio_shard_n = n > 1 ? n : 1;
}

bool
portfolio_shard_keeps(const char *id, size_t len)
{
    return portfolio_shard_n <= 1 ||
           shard_of(id, len, portfolio_shard_n) == portfolio_shard_i;
}

/* The JSON Lines file read a block at a time; a line is handed out where
 * it lies in the block, newline included, as getline() would give it. */
struct jsonl_file {
    FILE *f;
    char *buf;
    size_t cap, start, fill; /* lines not yet handed out: [start, fill) */
    bool eof;
};

#define JSONL_BLOCK ((size_t)1 << 18)
#define JSONL_LINE_MAX ((size_t)16 << 20) /* one position, its legs */

/* The next line's length (and *line), 0 at the end of the file, or
 * LIQ_ENOMEM for a line that does not fit in memory. */
static long long
jsonl_next(struct jsonl_file *jf, const char **line)
{
    for (;;) {
        char *at = jf->buf + jf->start;
        size_t have = jf->fill - jf->start;
        const char *nl = memchr(at, '\n', have);

        if (nl != NULL || (jf->eof && have > 0)) {
            size_t n = nl != NULL ? (size_t)(nl + 1 - at) : have;

            *line = at;
            jf->start += n;
            return (long long)n;
        }
        if (jf->eof)
            return 0;
        /* Keep the partial line, at the front of a block that has room. */
        memmove(jf->buf, at, have);
        jf->start = 0;
        jf->fill = have;
        if (jf->cap - jf->fill < JSONL_BLOCK / 2) {
            size_t cap = jf->cap * 2;

            if (have > JSONL_LINE_MAX)
                return LIQ_ELIMIT; /* one position is never this long */
            char *nb = realloc(jf->buf, cap);

            if (nb == NULL)
                return LIQ_ENOMEM;
            jf->buf = nb;
            jf->cap = cap;
        }
        size_t got = fread(jf->buf + jf->fill, 1, jf->cap - jf->fill, jf->f);
        jf->fill += got;
        jf->eof = got == 0;
    }
}

/* Read one line the full way: cJSON, then portfolio_read_position(). The
 * line is copied to be NUL-terminated, as cJSON and the messages expect. */
static int
load_jsonl_full(struct portfolio_reader *L, const char *text, size_t n,
                char **copy, size_t *copycap)
{
    const char *end = NULL;
    cJSON *pj;
    char *line;
    int rc;

    if (*copycap < n + 1) {
        char *nb = realloc(*copy, n + 1);

        if (nb == NULL)
            return portfolio_read_fail(L, LIQ_ENOMEM, "out of memory");
        *copy = nb;
        *copycap = n + 1;
    }
    line = *copy;
    memcpy(line, text, n);
    line[n] = '\0';
    if ((rc = numbers_check(L, line, n)) != 0)
        return rc;
    pj = cJSON_ParseWithLengthOpts(line, n, &end, 0);
    if (pj == NULL)
        return portfolio_read_syntax_error(L, line, n, end);
    /* Anything but blanks after the object is an error too. */
    for (; end != NULL && end < line + n; end++)
        if (strchr(" \t\r\n", *end) == NULL)
            break;
    if (end != NULL && end < line + n) {
        cJSON_Delete(pj);
        return portfolio_read_syntax_error(L, line, n, end);
    }
    rc = portfolio_read_position(L, pj);
    cJSON_Delete(pj);
    return rc;
}

int
portfolio_position_apply(struct book *b, const char *name, const char *text,
                         size_t len, char *err, size_t errlen)
{
    struct portfolio_reader L;
    char *copy = NULL;
    size_t cap = 0;
    int rc;

    memset(&L, 0, sizeof L);
    L.b = b;
    L.file = name;
    L.pos_index = -1;
    L.err = err;
    L.errlen = errlen;
    L.replace = true;
    rc = load_jsonl_full(&L, text, len, &copy, &cap);
    free(copy);
    return rc;
}

/* Stream one position a line; blank lines are skipped. A line of the usual
 * shape is read by portfolio_fast.c, any other through cJSON. */
static int
load_jsonl(struct portfolio_reader *L, const char *path,
           const struct portfolio_watch *w)
{
    struct jsonl_file jf = {fopen(path, "r"), NULL, JSONL_BLOCK, 0, 0, false};
    char *copy = NULL;
    size_t copycap = 0;
    const char *line;
    long long n;
    int rc = 0;

    L->file = path;
    L->line = 0;
    L->pos_index = -1;
    if (jf.f == NULL)
        return portfolio_read_fail(L, LIQ_EIO, "cannot open: %s",
                                   strerror(errno));
    if ((jf.buf = malloc(jf.cap)) == NULL) {
        fclose(jf.f);
        return portfolio_read_fail(L, LIQ_ENOMEM, "out of memory");
    }
    /* Room for the positions the file's size suggests, so that the
     * book's arrays (and its id table, the one touched all over) are made
     * once at about their final size: its first block's lines tell their
     * length, a sixteenth more for longer ones later (the arrays grow
     * past it as needed); a leg is rarely under 32 bytes. */
    struct stat st;
    if (fstat(fileno(jf.f), &st) == 0 && S_ISREG(st.st_mode) &&
        st.st_size > 65536) {
        uint64_t sz = (uint64_t)st.st_size, lines = 0, est = sz / 128;
        jf.fill = fread(jf.buf, 1, jf.cap, jf.f);
        jf.eof = jf.fill == 0;
        for (const char *q = jf.buf;
             (q = memchr(q, '\n', jf.fill - (size_t)(q - jf.buf))) != NULL; q++)
            lines++;
        if (lines >= 64 && jf.fill > 0)
            est = sz * lines / jf.fill + sz * lines / jf.fill / 16 + 1;
        book_reserve(
            L->b,
            book_position_count(L->b) +
                (uint32_t)(est < UINT32_MAX / 8 ? est : UINT32_MAX / 8),
            (size_t)(sz / 32));
    }
    while ((n = jsonl_next(&jf, &line)) > 0) {
        long long k;

        L->line++;
        for (k = 0; k < n; k++)
            if (strchr(" \t\r\n", line[k]) == NULL)
                break;
        if (w != NULL && L->line % PORTFOLIO_WATCH_EVERY == 0 &&
            !w->fn(w->ctx, book_position_count(L->b))) {
            rc = portfolio_read_fail(L, LIQ_EINVAL, "load stopped");
            break;
        }
        if (k == n)
            continue;
        if (portfolio_quick && portfolio_fast_position(L, line, (size_t)n))
            continue;
        if ((rc = load_jsonl_full(L, line, (size_t)n, &copy, &copycap)) != 0)
            break;
    }
    if (rc == 0 && n == LIQ_ELIMIT) {
        L->line++;
        rc = portfolio_read_fail(L, LIQ_ELIMIT, "a line longer than %u MiB",
                                 (unsigned)(JSONL_LINE_MAX >> 20));
    } else if (rc == 0 && n < 0) {
        L->line++;
        rc = portfolio_read_fail(L, LIQ_ENOMEM, "out of memory");
    }
    if (rc == 0 && ferror(jf.f))
        rc = portfolio_read_fail(L, LIQ_EIO, "read error: %s", strerror(errno));
    free(copy);
    free(jf.buf);
    fclose(jf.f);
    L->line = 0;
    return rc;
}

static int
portfolio_load_watch(struct book *b, const char *name, const char *text,
                     size_t len, const char *positions_path,
                     const struct portfolio_watch *w, char *err, size_t errlen)
{
    struct portfolio_reader L;
    const char *end = NULL;
    cJSON *root;
    int rc;

    memset(&L, 0, sizeof L);
    L.b = b;
    L.file = name;
    L.pos_index = -1;
    L.err = err;
    L.errlen = errlen;
    L.as_of = (int64_t)time(NULL); /* the file's "as_of" replaces it */
    /* A UTF-8 byte order mark, as some editors write, is not JSON. */
    if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0) {
        text += 3;
        len -= 3;
    }
    root = cJSON_ParseWithLengthOpts(text, len, &end, 0);
    if (root == NULL)
        return portfolio_read_syntax_error(&L, text, len, end);
    if ((rc = numbers_check(&L, text, len)) != 0) {
        cJSON_Delete(root);
        return rc;
    }
    for (; end != NULL && end < text + len; end++)
        if (strchr(" \t\r\n", *end) == NULL)
            break;
    if (end != NULL && end < text + len) {
        cJSON_Delete(root);
        return portfolio_read_syntax_error(&L, text, len, end);
    }
    rc = portfolio_read_root(&L, root);
    cJSON_Delete(root);
    if (rc != 0)
        return rc;
    if (w != NULL && !w->fn(w->ctx, book_position_count(b)))
        return portfolio_read_fail(&L, LIQ_EINVAL, "load stopped");
    if (positions_path != NULL && (rc = load_jsonl(&L, positions_path, w)) != 0)
        return rc;
    if (book_position_count(b) == 0) {
        L.file = name;
        return portfolio_read_fail(&L, LIQ_EINVAL, "no positions");
    }
    return 0;
}

int
portfolio_load_text(struct book *b, const char *name, const char *text,
                    size_t len, const char *positions_path, char *err,
                    size_t errlen)
{
    return portfolio_load_watch(b, name, text, len, positions_path, NULL, err,
                                errlen);
}

/* A portfolio document is read whole: bounded, as cJSON holds it twice. */
#define PORTFOLIO_FILE_MAX ((size_t)1 << 30)

/* Read a whole file ("-" is standard input) into a NUL-terminated buffer
 * that the caller frees. */
static int
read_file(const char *path, char **out, size_t *outlen, char *err,
          size_t errlen)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    char *buf = NULL;
    size_t len = 0, cap = 0;
    struct stat st;

    if (f == NULL) {
        snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
        return LIQ_EIO;
    }
    if (fstat(fileno(f), &st) == 0 &&
        (S_ISDIR(st.st_mode) || S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode))) {
        snprintf(err, errlen, "%s: %s", path,
                 S_ISDIR(st.st_mode) ? "is a directory"
                                     : "a device, not a portfolio file");
        if (f != stdin)
            fclose(f);
        return LIQ_EIO;
    }
    for (;;) {
        size_t got;

        if (len > PORTFOLIO_FILE_MAX) {
            snprintf(err, errlen,
                     "%s: larger than %u MiB (give the positions as JSON "
                     "Lines with --positions)",
                     path, (unsigned)(PORTFOLIO_FILE_MAX >> 20));
            free(buf);
            if (f != stdin)
                fclose(f);
            return LIQ_ELIMIT;
        }
        if (cap - len < 4096) {
            char *nb;

            cap = cap ? cap * 2 : 65536;
            nb = realloc(buf, cap + 1);
            if (nb == NULL) {
                free(buf);
                if (f != stdin)
                    fclose(f);
                snprintf(err, errlen, "%s: out of memory", path);
                return LIQ_ENOMEM;
            }
            buf = nb;
        }
        got = fread(buf + len, 1, cap - len, f);
        len += got;
        if (got == 0)
            break;
    }
    if (ferror(f)) {
        snprintf(err, errlen, "%s: read error: %s", path, strerror(errno));
        free(buf);
        if (f != stdin)
            fclose(f);
        return LIQ_EIO;
    }
    if (f != stdin)
        fclose(f);
    buf[len] = '\0';
    *out = buf;
    *outlen = len;
    return 0;
}

int
portfolio_load(struct book *b, const char *path, const char *positions_path,
               char *err, size_t errlen)
{
    return portfolio_load_watched(b, path, positions_path, NULL, err, errlen);
}

int
portfolio_load_watched(struct book *b, const char *path,
                       const char *positions_path,
                       const struct portfolio_watch *w, char *err,
                       size_t errlen)
{
    char *text = NULL;
    size_t len = 0;
    int rc;

    if ((rc = read_file(path, &text, &len, err, errlen)) != 0)
        return rc;
    rc = portfolio_load_watch(b, strcmp(path, "-") == 0 ? "<stdin>" : path,
                              text, len, positions_path, w, err, errlen);
    free(text);
    return rc;
}

int
portfolio_price_arg(struct book *b, const char *arg, char *err, size_t errlen)
{
    const char *eq = strchr(arg, '=');
    char q[64], q2[64];
    struct u256 v;
    uint32_t sym;
    int rc;

    if (eq == NULL || eq == arg) {
        snprintf(err, errlen, "--price %s: expected SYMBOL=PRICE",
                 safe_text(q, sizeof q, arg, strlen(arg)));
        return LIQ_EINVAL;
    }
    if (book_symbol_find(b, arg, (size_t)(eq - arg), &sym) != 0) {
        snprintf(err, errlen, "--price %s: %s is not an asset of this book",
                 safe_text(q, sizeof q, arg, strlen(arg)),
                 safe_text(q2, sizeof q2, arg, (size_t)(eq - arg)));
        return LIQ_ENOENT;
    }
    rc = decimal_parse(&v, eq + 1, strlen(eq + 1), PRICE_DECIMALS,
                       DECIMAL_TRUNCATE);
    if (rc != 0) {
        snprintf(err, errlen, "--price %s: %s",
                 safe_text(q, sizeof q, arg, strlen(arg)),
                 rc == LIQ_ERANGE      ? "negative price"
                 : rc == LIQ_EOVERFLOW ? "price too large"
                                       : "not a price");
        return rc == LIQ_EOVERFLOW || rc == LIQ_ERANGE ? rc : LIQ_EPARSE;
    }
    if ((rc = book_price_set(b, sym, v, 0)) != 0) {
        snprintf(err, errlen, "--price %s: %s",
                 safe_text(q, sizeof q, arg, strlen(arg)), liq_strerror(rc));
        return rc;
    }
    return 0;
}

int
portfolio_check_prices(const struct book *b, char *err, size_t errlen)
{
    uint32_t nm = book_market_count(b), np = book_position_count(b), i;
    uint32_t *missing = calloc(nm ? nm : 1, sizeof *missing);
    struct u256 prices[MARKET_ASSETS_MAX];
    int rc = 0;

    if (missing == NULL) {
        snprintf(err, errlen, "out of memory");
        return LIQ_ENOMEM;
    }
    for (i = 0; i < nm; i++)
        book_prices_base(b, i, prices, &missing[i]);
    for (i = 0; i < np && rc == 0; i++) {
        struct position p;
        const struct market *m;
        uint32_t miss;
        int k;

        book_position_get(b, i, &p);
        miss = missing[p.market];
        if (miss == 0)
            continue;
        m = book_market(b, p.market);
        for (k = 0; k < p.ncoll + p.ndebt; k++) {
            uint8_t a =
                k < p.ncoll ? p.coll[k].asset : p.debt[k - p.ncoll].asset;
            const char *sym;

            if ((miss & (1u << a)) == 0)
                continue;
            /* the symbol that prices it (an eMode price source's) */
            sym = book_symbol_name(b, market_asset_price_sym(&m->assets[a]));
            snprintf(err, errlen,
                     "position %s: no price for %s (give it in \"prices\" "
                     "or with --price %s=P)",
                     p.id, sym, sym);
            rc = LIQ_ENOPRICE;
            break;
        }
    }
    free(missing);
    return rc;
}

int
portfolio_check_accounts(struct book *b, char *err, size_t errlen)
{
    uint32_t np = book_position_count(b), i;

    book_update(b);
    for (i = 0; i < np; i++) {
        struct account acc;
        struct position p;
        struct u256 prices[MARKET_ASSETS_MAX];
        const struct market *m;
        int rc;

        if (book_read_account(b, i, &acc))
            continue;
        book_position_get(b, i, &p);
        m = book_market(b, p.market);
        book_prices_base(b, p.market, prices, NULL);
        rc = model_account(m, &p, prices, &acc);
        if (rc == 0)
            rc = LIQ_EINVAL;
        snprintf(err, errlen,
                 "position %s: its health cannot be computed in %s (%s): %s",
                 p.id, m->id, market_model_name(m->model),
                 rc == LIQ_EOVERFLOW ? "amounts too large (256-bit overflow)"
                                     : liq_strerror(rc));
        return rc;
    }
    return 0;
}
