/*
 * fuzz_abi.c: libFuzzer target for the ABI decoders of feeds/abi.c: any
 * return data, any word index; whatever is accepted must lie inside the
 * data (a string's bytes, an array's elements), and nothing may read past
 * it (ASan).
 *
 * Built by `make fuzz-abi` with clang -fsanitize=fuzzer,address,undefined.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "feeds/abi.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *d, a[20], b32[32];
    char s[64], hex[2 * 64 + 3];
    size_t idx, count, first;
    struct u256 v;
    bool b;
    long n;

    if (size == 0)
        return 0;
    idx = data[0] % 8;
    size--;
    d = malloc(size ? size : 1); /* exactly the data: ASan sees overreads */
    memcpy(d, data + 1, size);
    abi_word(d, size, idx, &v);
    abi_uint(d, size, idx, 128, &v);
    abi_address(d, size, idx, a);
    abi_bytes32(d, size, idx, b32);
    abi_bool(d, size, idx, &b);
    n = abi_string(d, size, idx, s, sizeof(s));
    if (n >= 0 && (size_t)n >= sizeof(s))
        abort();
    if (abi_array(d, size, idx, &count, &first) == 0) {
        if (first + count > size / 32)
            abort();
        for (size_t i = 0; i < count; i++)
            if (abi_word(d, size, first + i, &v) != 0)
                abort();
    }
    if (size <= 64) {
        uint8_t out[64];

        abi_hex_decode((const char *)d, size, out, sizeof(out));
        abi_hex_encode(hex, d, size);
        if (abi_hex_decode(hex, strlen(hex), out, sizeof(out)) != (long)size ||
            memcmp(out, d, size) != 0)
            abort();
    }
    free(d);
    return 0;
}
