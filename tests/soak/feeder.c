/*
 * feeder.c: the soak test's price server: listens on 127.0.0.1 (a free
 * port, printed on stdout), accepts one connection and writes batches of
 * the line protocol at a fixed rate of ticks per second for a fixed time.
 *
 * Test-only; plain POSIX so that it measures liqtop, not itself.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static const char *const syms[] = {"WETH", "WBTC", "wstETH", "LINK",
                                   "USDC", "DAI",  "USDT"};
static const double base[] = {2000, 64000, 2350, 20, 1, 1, 1};

static double
now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
    int rate = argc > 1 ? atoi(argv[1]) : 10000;
    int secs = argc > 2 ? atoi(argv[2]) : 60;
    struct sockaddr_in a;
    socklen_t len = sizeof(a);
    int s = socket(AF_INET, SOCK_STREAM, 0), c, one = 1;
    double start, next;
    unsigned long long sent = 0, seq = 0;
    char buf[1 << 16];

    signal(SIGPIPE, SIG_IGN);
    memset(&a, 0, sizeof(a));
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (bind(s, (struct sockaddr *)&a, sizeof(a)) != 0 || listen(s, 1) != 0)
        return 1;
    getsockname(s, (struct sockaddr *)&a, &len);
    printf("%d\n", ntohs(a.sin_port));
    fflush(stdout);
    c = accept(s, NULL, NULL);
    if (c < 0)
        return 1;
    start = next = now_s();
    /* 100 batches a second, rate/100 ticks each. */
    while (now_s() - start < secs) {
        size_t n = 0;

        for (int i = 0; i < rate / 100; i++, seq++) {
            int k = (int)(seq % 7);
            double p =
                base[k] * (1.0 + 0.01 * ((seq * 7919) % 200 - 100) / 100.0);

            n += (size_t)snprintf(buf + n, sizeof(buf) - n,
                                  "{\"symbol\": \"%s\", \"price\": \"%.6f\"}\n",
                                  syms[k], p);
        }
        if (write(c, buf, n) != (ssize_t)n)
            return 2;
        sent += (unsigned long long)(rate / 100);
        next += 0.01;
        while (now_s() < next)
            usleep(500);
    }
    fprintf(stderr, "feeder: sent %llu ticks in %d s\n", sent, secs);
    close(c);
    close(s);
    return 0;
}
