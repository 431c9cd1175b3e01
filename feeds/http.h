/*
 * http.h: HTTP POST on the caller's libuv loop through libcurl's multi
 * interface (sockets watched by uv_poll, curl's timeout by one uv_timer,
 * as curl's multi-uv example drives it). Never blocks the loop.
 *
 * Owns struct http, its curl handles and its poll and timer handles.
 * Connections are kept alive between requests (the multi handle's cache).
 * Each request has a total timeout and a cap on the response size; what
 * is over the cap fails the request, it is never truncated silently.
 * http_close() cancels what is in flight (no callback runs for it) and
 * closes every handle; http_free() releases memory after the loop has run
 * their close callbacks.
 */
#ifndef HTTP_H
#define HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <uv.h>

enum http_err {
    HTTP_OK = 0,
    HTTP_ETRANSPORT, /* connect, send or receive failed; timeout */
    HTTP_ETOOBIG,    /* the response was larger than the cap */
    HTTP_ESTATUS     /* an answer with a status other than 2xx */
};

struct http_result {
    enum http_err err;
    long status;      /* the HTTP status, 0 when none came */
    const char *body; /* NUL-terminated; valid during the callback only */
    size_t len;
    const char *error; /* what went wrong, "" when err is HTTP_OK */
};

typedef void (*http_done_cb)(void *arg, const struct http_result *r);

struct http;

/* A client on loop. 0, or LIQ_EIO when curl cannot be set up. */
int http_new(struct http **out, uv_loop_t *loop);
/*
 * POST body (copied) to url as application/json. cb runs once on the loop
 * when the answer is in, the request failed or timeout_ms passed; never
 * from inside this call. 0, or LIQ_EIO when curl refused the request.
 */
int http_post(struct http *h, const char *url, const char *body, size_t len,
              long timeout_ms, size_t max_bytes, http_done_cb cb, void *arg);
/* Requests still in flight. */
size_t http_pending(const struct http *h);
void http_close(struct http *h);
void http_free(struct http *h);

#endif
