/*
 * bench_limit.cc: the read() and simdjson limits of bench_limit.h. The
 * only C++ of the project, and the only user of simdjson: built into the
 * benchmark alone. It parses; it checks nothing against liqtop.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <simdjson.h>

#include "tests/bench/bench_limit.h"

static int
bench_limit_fail(const char *path, const char *what)
{
    fprintf(stderr, "bench: %s: %s\n", path, what);
    return -1;
}

extern "C" int
bench_limit_measure(const char *path, bool lines, struct bench_limit *out)
{
    int fd = open(path, O_RDONLY);
    struct stat st;

    if (fd < 0 || fstat(fd, &st) != 0)
        return bench_limit_fail(path, "cannot open");
    size_t cap = (size_t)st.st_size;
    char *buf = (char *)malloc(cap + simdjson::SIMDJSON_PADDING);
    if (buf == NULL) {
        close(fd);
        return bench_limit_fail(path, "out of memory");
    }
    /* Fault the buffer in first: the loop then times the reads alone. */
    for (size_t i = 0; i < cap + simdjson::SIMDJSON_PADDING; i += 4096)
        buf[i] = 0;
    struct bench_time t0 = bench_time_now();
    size_t len = 0;
    for (;;) {
        size_t want = cap - len < (1u << 20) ? cap - len : (1u << 20);
        ssize_t got = want > 0 ? read(fd, buf + len, want) : 0;
        if (got < 0) {
            close(fd);
            free(buf);
            return bench_limit_fail(path, "read failed");
        }
        if (got == 0)
            break;
        len += (size_t)got;
    }
    struct bench_time tr = bench_time_since(t0);
    close(fd);

    simdjson::dom::parser parser;
    size_t docs = 0;
    bool ok = true;
    t0 = bench_time_now();
    if (lines) {
        simdjson::dom::document_stream stream;
        ok = parser.parse_many(buf, len, 1u << 20).get(stream) ==
             simdjson::SUCCESS;
        for (auto doc : stream) {
            if (doc.error() != simdjson::SUCCESS) {
                ok = false;
                break;
            }
            docs++;
        }
    } else {
        /* One document: its tape is as large as the file, so the parser's
         * memory is made and faulted in by a first parse, untimed. */
        simdjson::dom::element root;
        t0 = parser.parse(buf, len, false).get(root) == simdjson::SUCCESS
                 ? bench_time_now()
                 : t0;
        ok = parser.parse(buf, len, false).get(root) == simdjson::SUCCESS;
        docs = 1;
    }
    struct bench_time tp = bench_time_since(t0);
    free(buf);
    if (!ok)
        return bench_limit_fail(path, "simdjson does not parse it");
    out->read.wall += tr.wall;
    out->read.cpu += tr.cpu;
    out->parse.wall += tp.wall;
    out->parse.cpu += tp.cpu;
    out->bytes += len;
    out->docs += docs;
    return 0;
}
