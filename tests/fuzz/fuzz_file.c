/*
 * fuzz_file.c: libFuzzer targets for the readers that take a path: JSON
 * Lines positions (FUZZ_JSONL: the fast path and the full one), a theme
 * (FUZZ_THEME) and the config file (FUZZ_CONFIG). The input is written to
 * a file in a private directory and read back as the program would.
 *
 * Built by `make fuzz` with clang -fsanitize=fuzzer,address,undefined,
 * once per -DFUZZ_ target.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/portfolio.h"
#include "app/themefile.h"
#include "core/book.h"
#include "tui/input.h"
#include "tui/theme.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[64];
static char path[128];

static void
fuzz_write(const uint8_t *data, size_t size)
{
    FILE *f;

    if (dir[0] == '\0') {
        char cfg[160];

        snprintf(dir, sizeof(dir), "/tmp/liqtop-fuzz.%ld", (long)getpid());
        mkdir(dir, 0700);
        snprintf(cfg, sizeof(cfg), "%s/liqtop", dir);
        mkdir(cfg, 0700);
        setenv("XDG_CONFIG_HOME", dir, 1);
#if defined(FUZZ_CONFIG)
        snprintf(path, sizeof(path), "%s/liqtop/config.json", dir);
#else
        snprintf(path, sizeof(path), "%s/input.json", dir);
#endif
    }
    f = fopen(path, "wb");
    if (f == NULL)
        abort();
    if (size > 0 && fwrite(data, 1, size, f) != size)
        abort();
    fclose(f);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[512] = "";

    fuzz_write(data, size);
#if defined(FUZZ_JSONL)
    {
        static const char book[] =
            "{\"markets\": [{\"id\": \"m\", \"model\": \"aave-v3\", "
            "\"assets\": [{\"symbol\": \"WETH\", \"decimals\": 18, "
            "\"liquidation_threshold\": \"0.825\", \"liquidation_bonus\": "
            "\"0.05\"}, {\"symbol\": \"USDC\", \"decimals\": 6, "
            "\"liquidation_threshold\": \"0.78\", \"liquidation_bonus\": "
            "\"0.045\"}]}], \"prices\": {\"WETH\": \"2000\", \"USDC\": "
            "\"1\"}}";
        struct book *b = book_new();

        if (portfolio_load_text(b, "book.json", book, sizeof(book) - 1, path,
                                err, sizeof(err)) != 0 &&
            err[0] == '\0')
            abort();
        book_free(b);
    }
#elif defined(FUZZ_THEME)
    {
        struct theme t;

        if (themefile_load(&t, path, "--theme", err, sizeof(err)) != 0 &&
            err[0] == '\0')
            abort();
    }
#elif defined(FUZZ_CONFIG)
    {
        struct keymap km;
        char theme[64];

        input_defaults(&km);
        if (themefile_config(&km, theme, sizeof(theme), err, sizeof(err)) !=
                0 &&
            err[0] == '\0')
            abort();
    }
#else
#error "define FUZZ_JSONL, FUZZ_THEME or FUZZ_CONFIG"
#endif
    return 0;
}
