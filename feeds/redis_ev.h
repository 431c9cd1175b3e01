/*
 * redis_ev.h: the event glue between a hiredis async context and a libuv
 * loop, shared by every Redis client of the program (feeds/redis_link.c's feed
 * connections, feeds/redis_conn.c's command connections).
 *
 * hiredis's own libuv adapter drops a poll error (a refused or reset
 * connect reports one), so that neither callback ever ran and the client
 * waited forever; here an error is handed to hiredis as readiness, and
 * hiredis finds the socket's error itself. The glue's memory is released
 * by hiredis's cleanup hook once the context goes (its poll closed on the
 * loop).
 */
#ifndef REDIS_EV_H
#define REDIS_EV_H

#include <hiredis/async.h>
#include <uv.h>

/* Drive c from loop; -1 (c untouched) when its socket cannot be polled. */
int redis_ev_attach(redisAsyncContext *c, uv_loop_t *loop);

#endif
