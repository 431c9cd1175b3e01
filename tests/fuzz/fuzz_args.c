/*
 * fuzz_args.c: libFuzzer target for the command-line parsers: the input is
 * NUL-separated arguments, read by cmd_common_next (options with values,
 * "--opt=value", "--"), and each value handed to the parser its option
 * uses: --feed specs (feed_new, every adapter's grammar; nothing is
 * started), --price SYM=P, and seconds. Nothing may crash; every refusal
 * has a message.
 *
 * Built by `make fuzz` with clang -fsanitize=fuzzer,address,undefined.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

#include "app/cmd_common.h"
#include "app/portfolio.h"
#include "core/book.h"
#include "feeds/feed.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fuzz_update(void *arg, struct feed *f, const struct price_update *u)
{
    (void)arg, (void)f, (void)u;
}

static void
fuzz_reject(void *arg, struct feed *f, enum line_reject why)
{
    (void)arg, (void)f, (void)why;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const with_value[] = {
        "--feed", "--price", "--stale-after", "--positions", NULL};
    char *buf = malloc(size + 1), *argv[64];
    int argc = 0;
    struct cmd_args a;
    const char *opt, *val;
    char err[512];
    uv_loop_t loop;
    struct book *b = book_new();
    uint32_t sym;

    if (buf == NULL)
        abort();
    memcpy(buf, data, size);
    buf[size] = '\0';
    for (size_t i = 0; i <= size && argc < 63;) {
        argv[argc++] = buf + i;
        i += strlen(buf + i) + 1;
    }
    argv[argc] = NULL;
    book_symbol_intern(b, "WETH", 4, &sym);
    uv_loop_init(&loop);
    cmd_common_args_init(&a, argc, argv);
    while (cmd_common_next(&a, with_value, &opt, &val, err, sizeof(err)) == 1) {
        if (opt == NULL || val == NULL)
            continue;
        err[0] = '\0';
        if (strcmp(opt, "--feed") == 0) {
            struct feed_cbs cbs = {fuzz_update, fuzz_reject, NULL, NULL,
                                   NULL,        NULL,        NULL, NULL};
            struct feed_env env;
            struct feed *f = NULL;

            memset(&env, 0, sizeof(env));
            if (strncmp(val, "stdin", 5) == 0)
                continue; /* it would read the fuzzer's own stdin */
            if (feed_new(&f, &loop, val, &cbs, &env, err, sizeof(err)) == 0)
                feed_free(f);
            else if (err[0] == '\0')
                abort();
        } else if (strcmp(opt, "--price") == 0) {
            if (portfolio_price_arg(b, val, err, sizeof(err)) != 0 &&
                err[0] == '\0')
                abort();
        } else if (strcmp(opt, "--stale-after") == 0) {
            uint64_t ms;

            (void)cmd_common_seconds(val, &ms);
        }
    }
    uv_loop_close(&loop);
    book_free(b);
    free(buf);
    return 0;
}
