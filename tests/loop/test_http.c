/*
 * test_http.c: feeds/http.c and feeds/rpc.c on a real libuv loop against
 * an HTTP server of the test's own on 127.0.0.1 (the same loop): one kept-
 * alive connection for several requests, a timeout, the size cap, a
 * status error, batch answers out of order, a 503 retried, a server that
 * closes without answering, nothing listening. Every test ends with
 * uv_loop_close() == 0.
 */
#define _GNU_SOURCE /* memmem */
#include <check.h>
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

#include "feeds/http.h"
#include "feeds/rpc.h"
#include "tests/common/testutil.h"

enum srv_mode {
    SRV_ECHO,
    SRV_SILENT,
    SRV_BIG,
    SRV_500,
    SRV_RPC,
    SRV_503_ONCE,
    SRV_CLOSE
};

struct srv {
    uv_tcp_t tcp;
    int port;
    enum srv_mode mode;
    int connections;
    int requests;
};

struct conn {
    uv_tcp_t tcp;
    struct srv *s;
    char buf[1 << 16];
    size_t len;
};

static void
conn_closed(uv_handle_t *h)
{
    free(h->data);
}

static void
write_done(uv_write_t *w, int status)
{
    (void)status;
    free(w->data);
    free(w);
}

static void
conn_send(struct conn *c, const char *status, const char *body, size_t n)
{
    uv_write_t *w = malloc(sizeof(*w));
    char *out = malloc(n + 256);
    int h = snprintf(out, 256,
                     "HTTP/1.1 %s\r\nContent-Length: %zu\r\n"
                     "Content-Type: application/json\r\n\r\n",
                     status, n);
    uv_buf_t b;

    memcpy(out + h, body, n);
    b = uv_buf_init(out, (unsigned)(h + (int)n));
    w->data = out;
    uv_write(w, (uv_stream_t *)&c->tcp, &b, 1, write_done);
}

/* The answer to a JSON-RPC batch: each call's method as its result, in
 * the reverse order. */
static void
conn_rpc(struct conn *c, const char *body, size_t n)
{
    cJSON *req = cJSON_ParseWithLength(body, n), *ans = cJSON_CreateArray();
    cJSON *it;
    char *text;

    cJSON_ArrayForEach(it, req)
    {
        cJSON *o = cJSON_CreateObject();

        cJSON_AddStringToObject(o, "jsonrpc", "2.0");
        cJSON_AddItemToObject(
            o, "id", cJSON_Duplicate(cJSON_GetObjectItem(it, "id"), 1));
        if (strcmp(cJSON_GetObjectItem(it, "method")->valuestring, "bad") == 0)
            cJSON_AddItemToObject(o, "error",
                                  cJSON_Parse("{\"code\": -32000, "
                                              "\"message\": \"refused\"}"));
        else
            cJSON_AddStringToObject(
                o, "result", cJSON_GetObjectItem(it, "method")->valuestring);
        cJSON_InsertItemInArray(ans, 0, o);
    }
    text = cJSON_PrintUnformatted(ans);
    conn_send(c, "200 OK", text, strlen(text));
    free(text);
    cJSON_Delete(ans);
    cJSON_Delete(req);
}

static void
conn_request(struct conn *c, const char *body, size_t n)
{
    struct srv *s = c->s;

    s->requests++;
    switch (s->mode) {
    case SRV_ECHO:
        conn_send(c, "200 OK", body, n);
        break;
    case SRV_SILENT:
        break;
    case SRV_BIG: {
        char *big = malloc(5000);

        memset(big, 'x', 5000);
        conn_send(c, "200 OK", big, 5000);
        free(big);
        break;
    }
    case SRV_500:
        conn_send(c, "500 Internal Server Error", "oops", 4);
        break;
    case SRV_503_ONCE:
        if (s->requests == 1) {
            conn_send(c, "503 Service Unavailable", "busy", 4);
            break;
        }
        conn_rpc(c, body, n);
        break;
    case SRV_RPC:
        conn_rpc(c, body, n);
        break;
    case SRV_CLOSE:
        uv_close((uv_handle_t *)&c->tcp, conn_closed);
        break;
    }
}

static void
conn_alloc(uv_handle_t *h, size_t hint, uv_buf_t *b)
{
    struct conn *c = h->data;

    (void)hint;
    *b = uv_buf_init(c->buf + c->len, (unsigned)(sizeof(c->buf) - c->len));
}

static void
conn_read(uv_stream_t *st, ssize_t n, const uv_buf_t *b)
{
    struct conn *c = st->data;
    char *end;

    (void)b;
    if (n < 0) {
        if (!uv_is_closing((uv_handle_t *)st))
            uv_close((uv_handle_t *)st, conn_closed);
        return;
    }
    c->len += (size_t)n;
    /* every complete request in the buffer */
    while ((end = memmem(c->buf, c->len, "\r\n\r\n", 4)) != NULL) {
        size_t head = (size_t)(end - c->buf) + 4, cl = 0;
        char *p = memmem(c->buf, head, "Content-Length:", 15);

        if (p != NULL)
            cl = strtoul(p + 15, NULL, 10);
        if (c->len < head + cl)
            break;
        conn_request(c, c->buf + head, cl);
        if (uv_is_closing((uv_handle_t *)&c->tcp))
            return;
        memmove(c->buf, c->buf + head + cl, c->len - head - cl);
        c->len -= head + cl;
    }
}

static void
srv_conn(uv_stream_t *l, int status)
{
    struct srv *s = l->data;
    struct conn *c = calloc(1, sizeof(*c));

    ck_assert_int_eq(status, 0);
    c->s = s;
    uv_tcp_init(l->loop, &c->tcp);
    c->tcp.data = c;
    ck_assert_int_eq(uv_accept(l, (uv_stream_t *)&c->tcp), 0);
    s->connections++;
    uv_read_start((uv_stream_t *)&c->tcp, conn_alloc, conn_read);
}

static void
srv_start(uv_loop_t *loop, struct srv *s, enum srv_mode mode)
{
    struct sockaddr_in a;
    struct sockaddr_storage got;
    int len = sizeof(got);

    memset(s, 0, sizeof(*s));
    s->mode = mode;
    uv_tcp_init(loop, &s->tcp);
    s->tcp.data = s;
    uv_ip4_addr("127.0.0.1", 0, &a);
    ck_assert_int_eq(uv_tcp_bind(&s->tcp, (struct sockaddr *)&a, 0), 0);
    ck_assert_int_eq(uv_listen((uv_stream_t *)&s->tcp, 16, srv_conn), 0);
    uv_tcp_getsockname(&s->tcp, (struct sockaddr *)&got, &len);
    s->port = ntohs(((struct sockaddr_in *)&got)->sin_port);
}

/* The server's listener is arg; every other TCP handle is a conn. */
static void
close_any(uv_handle_t *h, void *arg)
{
    if (uv_is_closing(h))
        return;
    if (h == arg || h->type != UV_TCP)
        uv_close(h, NULL);
    else
        uv_close(h, conn_closed);
}

static void
loop_finish(uv_loop_t *loop, struct srv *s)
{
    uv_walk(loop, close_any, &s->tcp);
    uv_run(loop, UV_RUN_DEFAULT);
    ck_assert_int_eq(uv_loop_close(loop), 0);
}

struct got {
    int calls;
    enum http_err err;
    long status;
    char body[256];
    size_t len;
    char error[256];
};

static void
got_cb(void *arg, const struct http_result *r)
{
    struct got *g = arg;

    g->calls++;
    g->err = r->err;
    g->status = r->status;
    g->len = r->len;
    snprintf(g->body, sizeof(g->body), "%s", r->body);
    snprintf(g->error, sizeof(g->error), "%s", r->error);
}

static void
run_until(uv_loop_t *loop, const int *calls, int want)
{
    for (int i = 0; i < 100000 && *calls < want; i++)
        uv_run(loop, UV_RUN_ONCE);
    ck_assert_int_ge(*calls, want);
}

static char url[64];

START_TEST(test_keep_alive)
{
    uv_loop_t loop;
    struct srv s;
    struct http *h;
    struct got g;

    uv_loop_init(&loop);
    srv_start(&loop, &s, SRV_ECHO);
    snprintf(url, sizeof(url), "http://127.0.0.1:%d/", s.port);
    ck_assert_int_eq(http_new(&h, &loop), 0);
    memset(&g, 0, sizeof(g));
    for (int i = 0; i < 3; i++) {
        char body[32];

        snprintf(body, sizeof(body), "{\"n\": %d}", i);
        ck_assert_int_eq(
            http_post(h, url, body, strlen(body), 2000, 1000, got_cb, &g), 0);
        run_until(&loop, &g.calls, i + 1);
        ck_assert_int_eq(g.err, HTTP_OK);
        ck_assert_int_eq(g.status, 200);
        ck_assert_str_eq(g.body, body);
    }
    ck_assert_int_eq(s.requests, 3);
    ck_assert_int_eq(s.connections, 1); /* kept alive */
    http_close(h);
    loop_finish(&loop, &s);
    http_free(h);
}
END_TEST

START_TEST(test_timeout_cap_status)
{
    static const enum srv_mode modes[] = {SRV_SILENT, SRV_BIG, SRV_500,
                                          SRV_CLOSE};
    static const enum http_err want[] = {HTTP_ETRANSPORT, HTTP_ETOOBIG,
                                         HTTP_ESTATUS, HTTP_ETRANSPORT};
    uv_loop_t loop;
    struct srv s;
    struct http *h;
    struct got g;
    uint64_t t0;

    uv_loop_init(&loop);
    srv_start(&loop, &s, modes[_i]);
    snprintf(url, sizeof(url), "http://127.0.0.1:%d/", s.port);
    ck_assert_int_eq(http_new(&h, &loop), 0);
    memset(&g, 0, sizeof(g));
    uv_update_time(&loop);
    t0 = uv_now(&loop);
    ck_assert_int_eq(http_post(h, url, "{}", 2, 300, 1000, got_cb, &g), 0);
    run_until(&loop, &g.calls, 1);
    ck_assert_int_eq(g.calls, 1);
    ck_assert_int_eq(g.err, want[_i]);
    if (modes[_i] == SRV_SILENT) {
        uv_update_time(&loop);
        ck_assert_uint_ge(uv_now(&loop) - t0, 250);
        ck_assert_uint_lt(uv_now(&loop) - t0, 3000);
        ck_assert_ptr_nonnull(strstr(g.error, "timed out"));
    }
    if (modes[_i] == SRV_BIG)
        ck_assert_str_eq(g.error, "response larger than 1000 bytes");
    if (modes[_i] == SRV_500)
        ck_assert_int_eq(g.status, 500);
    http_close(h);
    loop_finish(&loop, &s);
    http_free(h);
}
END_TEST

START_TEST(test_refused)
{
    uv_loop_t loop;
    struct srv s;
    struct http *h;
    struct got g;
    int port;

    uv_loop_init(&loop);
    srv_start(&loop, &s, SRV_ECHO);
    port = s.port;
    uv_close((uv_handle_t *)&s.tcp, NULL); /* nothing listens there now */
    uv_run(&loop, UV_RUN_DEFAULT);
    snprintf(url, sizeof(url), "http://127.0.0.1:%d/", port);
    ck_assert_int_eq(http_new(&h, &loop), 0);
    memset(&g, 0, sizeof(g));
    ck_assert_int_eq(http_post(h, url, "{}", 2, 2000, 1000, got_cb, &g), 0);
    run_until(&loop, &g.calls, 1);
    ck_assert_int_eq(g.err, HTTP_ETRANSPORT);
    /* closing with a request in flight runs no callback */
    ck_assert_int_eq(http_post(h, url, "{}", 2, 2000, 1000, got_cb, &g), 0);
    ck_assert_uint_eq(http_pending(h), 1);
    http_close(h);
    loop_finish(&loop, &s);
    http_free(h);
    ck_assert_int_eq(g.calls, 1);
}
END_TEST

START_TEST(test_rpc_batch)
{
    uv_loop_t loop;
    struct srv s;
    struct rpc *r;
    struct rpc_batch b;
    struct rpc_opts o = {2000, 0, 3, 0};

    uv_loop_init(&loop);
    srv_start(&loop, &s, _i == 0 ? SRV_RPC : SRV_503_ONCE);
    snprintf(url, sizeof(url), "http://127.0.0.1:%d/", s.port);
    ck_assert_int_eq(rpc_new(&r, &loop, url, &o), 0);
    rpc_batch_init(&b);
    rpc_batch_add(&b, "first", "eth_chainId", "[]");
    rpc_batch_add(&b, "second", "eth_blockNumber", "[]");
    rpc_batch_add(&b, "third", "bad", "[1]");
    ck_assert_int_eq(rpc_run(r, &b), 0);
    ck_assert_str_eq(b.item[0].result->valuestring, "eth_chainId");
    ck_assert_str_eq(b.item[1].result->valuestring, "eth_blockNumber");
    ck_assert_ptr_null(b.item[2].result);
    ck_assert_int_eq(b.item[2].code, -32000);
    ck_assert(rpc_batch_failed(&b));
    ck_assert_str_eq(b.error, "third: JSON-RPC error -32000: refused");
    ck_assert_int_eq(s.requests, _i == 0 ? 1 : 2); /* the 503 retried */
    /* a second batch on the same client: new ids, matched again */
    rpc_batch_reset(&b);
    rpc_batch_add(&b, "again", "eth_call", "[]");
    ck_assert_int_eq(rpc_run(r, &b), 0);
    ck_assert_str_eq(b.item[0].result->valuestring, "eth_call");
    ck_assert_int_eq(s.connections, 1);
    rpc_batch_done(&b);
    rpc_close(r);
    loop_finish(&loop, &s);
    rpc_free(r);
}
END_TEST

/* A batch past max_calls goes as requests of at most that many calls,
 * one after the other, the answers matched as one batch's. */
START_TEST(test_rpc_chunks)
{
    uv_loop_t loop;
    struct srv s;
    struct rpc *r;
    struct rpc_batch b;
    struct rpc_opts o = {2000, 0, 1, 2};
    static const char *const methods[] = {"m0", "m1", "m2", "m3", "m4"};

    uv_loop_init(&loop);
    srv_start(&loop, &s, SRV_RPC);
    snprintf(url, sizeof(url), "http://127.0.0.1:%d/", s.port);
    ck_assert_int_eq(rpc_new(&r, &loop, url, &o), 0);
    rpc_batch_init(&b);
    for (size_t i = 0; i < 5; i++)
        rpc_batch_add(&b, methods[i], methods[i], "[]");
    ck_assert_int_eq(rpc_run(r, &b), 0);
    ck_assert_int_eq(s.requests, 3); /* 2 + 2 + 1 */
    for (size_t i = 0; i < 5; i++)
        ck_assert_str_eq(b.item[i].result->valuestring, methods[i]);
    ck_assert(!rpc_batch_failed(&b));
    /* a failed call in the second request: the batch fails, named */
    rpc_batch_reset(&b);
    rpc_batch_add(&b, "a", "m0", "[]");
    rpc_batch_add(&b, "b", "m1", "[]");
    rpc_batch_add(&b, "c", "bad", "[1]");
    ck_assert_int_eq(rpc_run(r, &b), 0);
    ck_assert_str_eq(b.item[1].result->valuestring, "m1");
    ck_assert(rpc_batch_failed(&b));
    ck_assert_str_eq(b.error, "c: JSON-RPC error -32000: refused");
    rpc_batch_done(&b);
    rpc_close(r);
    loop_finish(&loop, &s);
    rpc_free(r);
}
END_TEST

START_TEST(test_rpc_not_json)
{
    uv_loop_t loop;
    struct srv s;
    struct rpc *r;
    struct rpc_batch b;

    uv_loop_init(&loop);
    srv_start(&loop, &s, SRV_ECHO); /* answers the request itself */
    snprintf(url, sizeof(url), "http://127.0.0.1:%d/", s.port);
    ck_assert_int_eq(rpc_new(&r, &loop, url, NULL), 0);
    rpc_batch_init(&b);
    rpc_batch_add(&b, "echo", "eth_chainId", "[]");
    /* the request array echoed back has ids but no results */
    ck_assert_int_eq(rpc_run(r, &b), 0);
    ck_assert(rpc_batch_failed(&b));
    ck_assert_str_eq(b.error, "echo: no answer");
    rpc_batch_done(&b);
    rpc_close(r);
    loop_finish(&loop, &s);
    rpc_free(r);
}
END_TEST

static Suite *
http_suite(void)
{
    Suite *s = suite_create("http");
    TCase *tc = tcase_create("loop");

    tcase_set_timeout(tc, 20);
    tcase_add_test(tc, test_keep_alive);
    tcase_add_loop_test(tc, test_timeout_cap_status, 0, 4);
    tcase_add_test(tc, test_refused);
    tcase_add_loop_test(tc, test_rpc_batch, 0, 2);
    tcase_add_test(tc, test_rpc_not_json);
    tcase_add_test(tc, test_rpc_chunks);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    return test_run(http_suite());
}
