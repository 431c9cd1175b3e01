/*
 * fuzz_portfolio.c: libFuzzer target for the portfolio reader: arbitrary
 * bytes as a portfolio document (cJSON, the strict syntax scanner, every
 * member's checks, the book it builds). It may refuse anything, with a
 * message; it must not crash, leak or read out of bounds, and a refusal
 * always says why.
 *
 * Built by `make fuzz` with clang -fsanitize=fuzzer,address,undefined.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "app/portfolio.h"
#include "core/book.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct book *b = book_new();
    char *text = malloc(size + 1);
    char err[512] = "";

    if (text == NULL)
        abort();
    memcpy(text, data, size);
    text[size] = '\0';
    if (portfolio_load_text(b, "fuzz.json", text, size, NULL, err,
                            sizeof(err)) != 0 &&
        err[0] == '\0')
        abort(); /* a refusal without a message */
    free(text);
    book_free(b);
    return 0;
}
