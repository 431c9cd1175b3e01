/*
 * fuzz_line.c: libFuzzer target for the feed path: arbitrary bytes split
 * into lines at a fuzzer-chosen boundary, each line parsed. Nothing may
 * crash, leak or read out of bounds; every parsed price is positive.
 *
 * Built by `make fuzz` with clang -fsanitize=fuzzer,address,undefined.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "feeds/line.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fuzz_line_cb(void *arg, const char *line, size_t len, bool too_long)
{
    struct line_result r;

    (void)arg;
    if (too_long)
        return;
    line_parse(line, len, &r);
    for (size_t i = 0; i < r.n; i++) {
        if (u256_is_zero(r.up[i].price_e18))
            abort();
    }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct linebuf lb;
    size_t cut = size > 0 ? data[0] % (size + 1) : 0;

    linebuf_init(&lb);
    linebuf_feed(&lb, (const char *)data, cut, fuzz_line_cb, NULL);
    linebuf_feed(&lb, (const char *)data + cut, size - cut, fuzz_line_cb, NULL);
    linebuf_flush(&lb, fuzz_line_cb, NULL);
    linebuf_done(&lb);
    return 0;
}
