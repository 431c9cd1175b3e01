/*
 * http.c: libcurl's multi interface on libuv: CURLMOPT_SOCKETFUNCTION
 * starts and stops a uv_poll per socket, CURLMOPT_TIMERFUNCTION arms one
 * uv_timer, and both hand their events to curl_multi_socket_action.
 *
 * Must not block (no curl_easy_perform, no curl_multi_wait) and must not
 * call curl from inside curl's own callbacks: finished transfers are
 * collected after curl_multi_socket_action returns.
 */
#include "feeds/http.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/liq.h"

struct http_sock {
    uv_poll_t poll;
    curl_socket_t fd;
    struct http *h;
    struct http_sock *next, *prev; /* in h->socks */
};

struct http_xfer {
    CURL *easy;
    struct http *h;
    char *body; /* the request body (curl reads it in place) */
    char *buf;  /* the answer so far */
    size_t len, cap, max;
    bool too_big;
    char curl_err[CURL_ERROR_SIZE];
    http_done_cb cb;
    void *arg;
    struct http_xfer *next, *prev; /* in h->xfers */
};

struct http {
    uv_loop_t *loop;
    CURLM *multi;
    uv_timer_t timer;
    struct http_sock *socks;
    struct http_xfer *xfers;
    bool closed;
};

static bool http_global_done;

static void
http_sock_closed(uv_handle_t *hd)
{
    free(hd->data);
}

static void
http_sock_close(struct http_sock *s)
{
    struct http *h = s->h;

    if (s->prev != NULL)
        s->prev->next = s->next;
    else
        h->socks = s->next;
    if (s->next != NULL)
        s->next->prev = s->prev;
    uv_poll_stop(&s->poll);
    uv_close((uv_handle_t *)&s->poll, http_sock_closed);
}

static void
http_xfer_free(struct http_xfer *x)
{
    struct http *h = x->h;

    if (x->prev != NULL)
        x->prev->next = x->next;
    else
        h->xfers = x->next;
    if (x->next != NULL)
        x->next->prev = x->prev;
    curl_multi_remove_handle(h->multi, x->easy);
    curl_easy_cleanup(x->easy);
    free(x->body);
    free(x->buf);
    free(x);
}

/* Report every finished transfer. A callback may post new requests. */
static void
http_check_done(struct http *h)
{
    CURLMsg *m;
    int left;

    while (!h->closed && (m = curl_multi_info_read(h->multi, &left)) != NULL) {
        struct http_xfer *x;
        struct http_result r;
        char msg[CURL_ERROR_SIZE + 64];

        if (m->msg != CURLMSG_DONE)
            continue;
        curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&x);
        memset(&r, 0, sizeof(r));
        curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &r.status);
        r.body = x->buf != NULL ? x->buf : "";
        r.len = x->len;
        r.error = "";
        if (x->too_big) {
            r.err = HTTP_ETOOBIG;
            snprintf(msg, sizeof(msg), "response larger than %zu bytes",
                     x->max);
            r.error = msg;
        } else if (m->data.result != CURLE_OK) {
            r.err = HTTP_ETRANSPORT;
            snprintf(msg, sizeof(msg), "%s",
                     x->curl_err[0] != '\0'
                         ? x->curl_err
                         : curl_easy_strerror(m->data.result));
            r.error = msg;
        } else if (r.status < 200 || r.status > 299) {
            r.err = HTTP_ESTATUS;
            snprintf(msg, sizeof(msg), "HTTP status %ld", r.status);
            r.error = msg;
        }
        /* Unlinked first, so that the callback may post or close. */
        http_done_cb cb = x->cb;
        void *arg = x->arg;
        char *buf = x->buf;

        x->buf = NULL;
        http_xfer_free(x);
        r.body = buf != NULL ? buf : "";
        cb(arg, &r);
        free(buf);
    }
}

static void
http_poll_cb(uv_poll_t *p, int status, int events)
{
    struct http_sock *s = p->data;
    struct http *h = s->h;
    int flags = 0, running;

    if (status < 0)
        flags = CURL_CSELECT_ERR;
    if (events & UV_READABLE)
        flags |= CURL_CSELECT_IN;
    if (events & UV_WRITABLE)
        flags |= CURL_CSELECT_OUT;
    curl_multi_socket_action(h->multi, s->fd, flags, &running);
    http_check_done(h);
}

static int
http_socket_cb(CURL *easy, curl_socket_t fd, int action, void *userp,
               void *socketp)
{
    struct http *h = userp;
    struct http_sock *s = socketp;
    int events = 0;

    (void)easy;
    if (action == CURL_POLL_REMOVE) {
        if (s != NULL) {
            curl_multi_assign(h->multi, fd, NULL);
            http_sock_close(s);
        }
        return 0;
    }
    if (s == NULL) {
        s = calloc(1, sizeof(*s));
        if (s == NULL)
            abort();
        if (uv_poll_init_socket(h->loop, &s->poll, fd) != 0) {
            free(s);
            return -1;
        }
        s->fd = fd;
        s->h = h;
        s->poll.data = s;
        s->next = h->socks;
        if (h->socks != NULL)
            h->socks->prev = s;
        h->socks = s;
        curl_multi_assign(h->multi, fd, s);
    }
    if (action & CURL_POLL_IN)
        events |= UV_READABLE;
    if (action & CURL_POLL_OUT)
        events |= UV_WRITABLE;
    uv_poll_start(&s->poll, events, http_poll_cb);
    return 0;
}

static void
http_timer_fire(uv_timer_t *t)
{
    struct http *h = t->data;
    int running;

    curl_multi_socket_action(h->multi, CURL_SOCKET_TIMEOUT, 0, &running);
    http_check_done(h);
}

static int
http_timer_cb(CURLM *multi, long timeout_ms, void *userp)
{
    struct http *h = userp;

    (void)multi;
    if (timeout_ms < 0)
        uv_timer_stop(&h->timer);
    else
        uv_timer_start(&h->timer, http_timer_fire, (uint64_t)timeout_ms, 0);
    return 0;
}

static size_t
http_write_cb(char *data, size_t size, size_t nmemb, void *userp)
{
    struct http_xfer *x = userp;
    size_t n = size * nmemb;

    if (n > x->max - x->len) {
        x->too_big = true;
        return 0; /* curl fails the transfer */
    }
    if (x->len + n + 1 > x->cap) {
        size_t cap = x->cap ? x->cap : 4096;

        while (cap < x->len + n + 1)
            cap *= 2;
        x->buf = realloc(x->buf, cap);
        if (x->buf == NULL)
            abort();
        x->cap = cap;
    }
    memcpy(x->buf + x->len, data, n);
    x->len += n;
    x->buf[x->len] = '\0';
    return n;
}

int
http_new(struct http **out, uv_loop_t *loop)
{
    struct http *h;

    if (!http_global_done) {
        if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
            return LIQ_EIO;
        http_global_done = true;
    }
    h = calloc(1, sizeof(*h));
    if (h == NULL)
        abort();
    h->loop = loop;
    h->multi = curl_multi_init();
    if (h->multi == NULL) {
        free(h);
        return LIQ_EIO;
    }
    uv_timer_init(loop, &h->timer);
    h->timer.data = h;
    curl_multi_setopt(h->multi, CURLMOPT_SOCKETFUNCTION, http_socket_cb);
    curl_multi_setopt(h->multi, CURLMOPT_SOCKETDATA, h);
    curl_multi_setopt(h->multi, CURLMOPT_TIMERFUNCTION, http_timer_cb);
    curl_multi_setopt(h->multi, CURLMOPT_TIMERDATA, h);
    *out = h;
    return 0;
}

int
http_post(struct http *h, const char *url, const char *body, size_t len,
          long timeout_ms, size_t max_bytes, http_done_cb cb, void *arg)
{
    static struct curl_slist *headers;
    struct http_xfer *x;
    CURL *e;

    if (h->closed)
        return LIQ_EIO;
    if (headers == NULL)
        headers = curl_slist_append(NULL, "Content-Type: application/json");
    e = curl_easy_init();
    if (e == NULL)
        return LIQ_EIO;
    x = calloc(1, sizeof(*x));
    if (x == NULL)
        abort();
    x->easy = e;
    x->h = h;
    x->max = max_bytes;
    x->cb = cb;
    x->arg = arg;
    x->body = malloc(len + 1);
    if (x->body == NULL)
        abort();
    memcpy(x->body, body, len);
    x->body[len] = '\0';
    curl_easy_setopt(e, CURLOPT_URL, url);
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_POST, 1L);
    curl_easy_setopt(e, CURLOPT_POSTFIELDS, x->body);
    curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, http_write_cb);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, x);
    curl_easy_setopt(e, CURLOPT_PRIVATE, x);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, x->curl_err);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, timeout_ms);
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS,
                     timeout_ms < 5000 ? timeout_ms : 5000L);
    curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(e, CURLOPT_USERAGENT, "liqtop");
    curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
    x->next = h->xfers;
    if (h->xfers != NULL)
        h->xfers->prev = x;
    h->xfers = x;
    if (curl_multi_add_handle(h->multi, e) != CURLM_OK) {
        http_xfer_free(x);
        return LIQ_EIO;
    }
    return 0;
}

size_t
http_pending(const struct http *h)
{
    size_t n = 0;

    for (const struct http_xfer *x = h->xfers; x != NULL; x = x->next)
        n++;
    return n;
}

void
http_close(struct http *h)
{
    if (h == NULL || h->closed)
        return;
    h->closed = true;
    while (h->xfers != NULL)
        http_xfer_free(h->xfers);
    curl_multi_cleanup(h->multi); /* may still remove sockets */
    h->multi = NULL;
    while (h->socks != NULL)
        http_sock_close(h->socks);
    uv_timer_stop(&h->timer);
    uv_close((uv_handle_t *)&h->timer, NULL);
}

void
http_free(struct http *h)
{
    free(h);
}
