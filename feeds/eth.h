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
/* Aave v3: PoolAddressesProvider, Pool, AaveOracle, scaled tokens */
#define ETH_SEL_AAVE_GET_POOL 0x026b1d5fU         /* getPool() */
#define ETH_SEL_AAVE_GET_PRICE_ORACLE 0xfca513a8U /* getPriceOracle() */
#define ETH_SEL_AAVE_RESERVES_LIST 0xd1946dbcU    /* getReservesList() */
#define ETH_SEL_AAVE_POOL_REVISION 0x0148170eU    /* POOL_REVISION() */
#define ETH_SEL_AAVE_BASE_UNIT 0x8c89b64fU        /* BASE_CURRENCY_UNIT() */
#define ETH_SEL_AAVE_RESERVE_DATA 0x35ea6a75U     /* getReserveData(address) */
#define ETH_SEL_AAVE_ASSET_PRICE 0xb3596f07U      /* getAssetPrice(address) */
#define ETH_SEL_AAVE_EMODE_DATA 0x6c6f6ae1U /* getEModeCategoryData(uint8) */
#define ETH_SEL_AAVE_USER_CONFIG                                               \
    0x4417a583U                               /* getUserConfiguration(address) \
                                               */
#define ETH_SEL_AAVE_USER_EMODE 0xeddf1b79U   /* getUserEMode(address) */
#define ETH_SEL_SCALED_BALANCE_OF 0x1da24f3eU /* scaledBalanceOf(address) */
#define ETH_SEL_AAVE_GET_SENTINEL 0x5eb88d3dU /* getPriceOracleSentinel() */
#define ETH_SEL_SENTINEL_SEQUENCER 0x12168dc2U /* getSequencerOracle() */
#define ETH_SEL_SENTINEL_GRACE 0xdbd18388U     /* getGracePeriod() */
#define ETH_SEL_LATEST_ROUND_DATA 0xfeaf968cU  /* latestRoundData() */
#define ETH_SEL_BALANCE_OF 0x70a08231U         /* balanceOf(address) */
/* ERC-20 */
#define ETH_SEL_DECIMALS 0x313ce567U /* decimals() */
#define ETH_SEL_SYMBOL 0x95d89b41U   /* symbol() */

/* Borrow(bytes32,address,address,address,uint256,uint256), Morpho */
#define ETH_TOPIC_MORPHO_BORROW                                                \
    "0x570954540bed6b1304a87dfe815a5eda4a648f7097a16240dcd85c9b5fd42a43"

/* Borrow(address,address,address,uint256,uint8,uint256,uint16), Aave v3 */
#define ETH_TOPIC_AAVE_BORROW                                                  \
    "0xb3d084820fb1a9decffb176436bd02558d15fac9b0ddfed8c465bc7359d7dce0"

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
