/*
 * app_chain.h: the feed callbacks by which a chain source (rpc:) changes
 * the running book besides its prices (app_chain.c), for app.c's
 * struct feed_cbs. Internal to app/.
 *
 * Each takes the struct app as arg; what is passed is borrowed for the
 * call only.
 */
#ifndef APP_CHAIN_H
#define APP_CHAIN_H

#include "app/app.h"
#include "feeds/feed.h"

/* A market's block: time, indexes, Aave's reserve configuration and
 * gates, Morpho's stored state. */
void app_chain_market_cb(void *arg, struct feed *f,
                         const struct feed_chain_market *u);
/* A position read again, one object of liqtop import's positions. */
void app_chain_position_cb(void *arg, struct feed *f, const char *text,
                           size_t len);
/* Each position id the book holds in market (its views included); with
 * debt_sym, only those owing it. */
void app_chain_ids_cb(void *arg, struct feed *f, const char *market,
                      const char *debt_sym, feed_chain_id_fn each, void *ctx);

#endif
