/*
 * eth.h: the Ethereum reads liqtop makes: function selectors and event
 * topics (each beside its signature; tests/unit/test_abi.c recomputes
 * every one with feeds/keccak.c), eth_call at one block tag, results as
 * bytes, and eth_getLogs over a block span in bounded ranges, halved when
 * the node refuses one.
 *
 * Owns no state: calls go into the caller's rpc_batch; the log scan runs
 * on an rpc of the caller's own loop (rpc_run) and hands each log to a
 * callback while its batch is alive.
 */
#ifndef ETH_H
#define ETH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "feeds/abi.h"
#include "feeds/rpc.h"

/* Morpho Blue */
#define ETH_SEL_MORPHO_MARKET 0x5c60e39aU   /* market(bytes32) */
#define ETH_SEL_MORPHO_PARAMS 0x2c3c9157U   /* idToMarketParams(bytes32) */
#define ETH_SEL_MORPHO_POSITION 0x93c52062U /* position(bytes32,address) */
/* borrowRateView((address,address,address,address,uint256),
 *                (uint128,uint128,uint128,uint128,uint128,uint128)) */
#define ETH_SEL_IRM_BORROW_RATE_VIEW 0x8c00bf6bU
#define ETH_SEL_ORACLE_PRICE 0xa035b1feU /* price() */
/* ERC-20 */
#define ETH_SEL_DECIMALS 0x313ce567U /* decimals() */
#define ETH_SEL_SYMBOL 0x95d89b41U   /* symbol() */

/* Borrow(bytes32,address,address,address,uint256,uint256), Morpho */
#define ETH_TOPIC_MORPHO_BORROW                                                \
    "0x570954540bed6b1304a87dfe815a5eda4a648f7097a16240dcd85c9b5fd42a43"

struct eth_signature {
    uint32_t selector; /* 0 for an event topic */
    const char *topic; /* the topic's hex, or NULL */
    const char *signature;
};
/* Every constant above with its signature; ends with signature NULL. */
extern const struct eth_signature eth_signatures[];

/* Return data of a call is at most this many bytes here. */
#define ETH_RESULT_MAX 8192

/* "0x..." of n for a block tag or quantity. buf of 19 bytes at least. */
void eth_quantity(char *buf, size_t cap, uint64_t n);
/* Add eth_call {to, data} at block_tag ("latest" or a quantity). */
size_t eth_call_add(struct rpc_batch *b, const char *label,
                    const uint8_t to[20], const struct abi_call *data,
                    const char *block_tag);
/* An item's result as bytes (its hex decoded). ABI_EBAD when the result
 * is not hex text or is longer than cap. */
long eth_result_bytes(const struct rpc_item *it, uint8_t *out, size_t cap);
/* An item's result as a quantity ("0x1a"). */
bool eth_result_quantity(const struct rpc_item *it, uint64_t *out);

/*
 * eth_getLogs of address with topic0 (and topic1 when not NULL) over
 * blocks [from, to], at most range blocks a request, the range halved
 * (down to 1) when the node answers a request with an error. each runs
 * for every log object (cJSON). 0, or LIQ_EIO with the message in err.
 */
struct cJSON;
typedef int (*eth_log_cb)(void *arg, const struct cJSON *log);
int eth_logs_scan(struct rpc *r, const uint8_t address[20], const char *topic0,
                  const char *topic1, uint64_t from, uint64_t to,
                  uint64_t range, eth_log_cb each, void *arg, char *err,
                  size_t errlen);

#endif
