/*
 * fuzz_decimal.c: libFuzzer target for decimal text: whatever parses must
 * format and parse back to the same raw value, in both modes, at the
 * decimals the first byte picks.
 *
 * Built by `make fuzz` with clang -fsanitize=fuzzer,address,undefined.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/decimal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    unsigned dec;
    struct u256 v, back;
    char buf[DECIMAL_BUF];

    if (size == 0)
        return 0;
    dec = data[0] % 78;
    for (int mode = 0; mode < 2; mode++) {
        if (decimal_parse(&v, (const char *)data + 1, size - 1, dec,
                          (enum decimal_mode)mode) != 0)
            continue;
        decimal_format(buf, sizeof(buf), v, dec);
        if (decimal_parse(&back, buf, strlen(buf), dec, DECIMAL_EXACT) != 0 ||
            !u256_eq(back, v))
            abort();
    }
    return 0;
}
