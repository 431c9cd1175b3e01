/*
 * replay.c: the fuzz targets as regression tests in `make check`: a main
 * for a harness built without libFuzzer (gcc, or the sanitizer build),
 * that runs it on every file of its committed corpus,
 * tests/fuzz/corpus/NAME/ (NAME is the program's own name), crash inputs
 * found by `make fuzz` included. A crash or a sanitizer report fails it;
 * it prints Check's summary line for tests/run.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
main(int argc, char **argv)
{
    const char *name = strrchr(argv[0], '/');
    char dir[512], path[1024];
    DIR *d;
    struct dirent *e;
    int n = 0;

    name = name != NULL ? name + 1 : argv[0];
    snprintf(dir, sizeof(dir), "%s/%s",
             argc > 1 ? argv[1] : "tests/fuzz/corpus", name);
    d = opendir(dir);
    if (d == NULL) {
        fprintf(stderr, "%s: no corpus\n", dir);
        return 1;
    }
    while ((e = readdir(d)) != NULL) {
        FILE *f;
        uint8_t *buf;
        long len;

        if (e->d_name[0] == '.')
            continue;
        snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
        f = fopen(path, "rb");
        if (f == NULL)
            continue;
        fseek(f, 0, SEEK_END);
        len = ftell(f);
        rewind(f);
        buf = malloc(len > 0 ? (size_t)len : 1);
        if (buf == NULL ||
            (len > 0 && fread(buf, 1, (size_t)len, f) != (size_t)len)) {
            fprintf(stderr, "%s: cannot read\n", path);
            return 1;
        }
        fclose(f);
        LLVMFuzzerTestOneInput(buf, (size_t)len);
        free(buf);
        n++;
    }
    closedir(d);
    printf("%s: %d inputs\n100%%: Checks: %d, Failures: 0, Errors: 0\n", dir, n,
           n);
    return 0;
}
