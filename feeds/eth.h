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
/* getEModeCategoryCollateralBitmap(uint8), 3.2+ */
#define ETH_SEL_AAVE_EMODE_COLLATERAL 0xb0771dbaU
/* getEModeCategoryBorrowableBitmap(uint8), 3.2+ */
#define ETH_SEL_AAVE_EMODE_BORROWABLE 0x903a2c71U
#define ETH_SEL_AAVE_CONFIGURATION 0xc44b11f7U /* getConfiguration(address) */
/* getLiquidationGracePeriod(address), 3.1+ */
#define ETH_SEL_AAVE_GRACE_PERIOD 0x5c9a8b18U
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
/* Compound v2: Comptroller, its oracle, cTokens */
/* getAllMarkets() */
#define ETH_SEL_COMP_ALL_MARKETS 0xb0772d0bU
/* markets(address) */
#define ETH_SEL_COMP_MARKETS 0x8e8f294bU
/* closeFactorMantissa() */
#define ETH_SEL_COMP_CLOSE_FACTOR 0xe8755446U
/* liquidationIncentiveMantissa() */
#define ETH_SEL_COMP_INCENTIVE 0x4ada90afU
/* oracle() */
#define ETH_SEL_COMP_ORACLE 0x7dc0d1d0U
/* getUnderlyingPrice(address) */
#define ETH_SEL_COMP_UNDERLYING_PRICE 0xfc57d4dfU
/* underlying() */
#define ETH_SEL_COMP_UNDERLYING 0x6f307dc3U
/* exchangeRateStored() */
#define ETH_SEL_COMP_EXCHANGE_RATE 0x182df0f5U
/* getAccountSnapshot(address) */
#define ETH_SEL_COMP_SNAPSHOT 0xc37f68e2U
/* getAssetsIn(address) */
#define ETH_SEL_COMP_ASSETS_IN 0xabfceffcU
/* borrowGuardianPaused(address) */
#define ETH_SEL_COMP_BORROW_PAUSED 0x6d154ea5U
/* reserveFactorMantissa() */
#define ETH_SEL_COMP_RESERVE_FACTOR 0x173b9904U
/* borrowIndex() */
#define ETH_SEL_COMP_BORROW_INDEX 0xaa5af0fdU
/* RepayBorrow(address,address,uint256,uint256,uint256), a cToken's: the
 * borrower the data's second word */
#define ETH_TOPIC_COMP_REPAY                                                   \
    "0x1a2a22cb034d26d1854bdc6666a5b91fe25efbbb5dcad3b0355478d6f5c362a1"
/* LiquidateBorrow(address,address,uint256,address,uint256), a cToken's:
 * the borrower the data's second word */
#define ETH_TOPIC_COMP_LIQUIDATE                                               \
    "0x298637f684da70674f26509b10f07ec2fbc77a335ab1e7d6215a4b2484d8bb52"
/* MarketEntered(address,address), the Comptroller's: the account the
 * data's second word (Compound) or topic 2 (Venus indexes both) */
#define ETH_TOPIC_COMP_MARKET_ENTERED                                          \
    "0x3ab23ab0d51cccc0c3085aec51f99228625aa1a922b3a8ca89a26b0f2027a1a5"
/* MarketExited(address,address), likewise */
#define ETH_TOPIC_COMP_MARKET_EXITED                                           \
    "0xe699a64c18b07ac5b7301aa273f36a2287239eb9501d81950672794afba29a0d"
/* Transfer(address,address,uint256), ERC-20 (a cToken's): from topic 1,
 * to topic 2 */
#define ETH_TOPIC_ERC20_TRANSFER                                               \
    "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef"
/* Borrow(address,uint256,uint256,uint256), a cToken's: the borrower in
 * the data, no indexed topic */
#define ETH_TOPIC_COMP_BORROW                                                  \
    "0x13ed6866d4e1ee6da46f845c46d7e54120883d75c5ea9a2dacc1c4ca8984ab80"
/* ERC-20 */
#define ETH_SEL_DECIMALS 0x313ce567U /* decimals() */
#define ETH_SEL_SYMBOL 0x95d89b41U   /* symbol() */

/* Borrow(bytes32,address,address,address,uint256,uint256), Morpho */
#define ETH_TOPIC_MORPHO_BORROW                                                \
    "0x570954540bed6b1304a87dfe815a5eda4a648f7097a16240dcd85c9b5fd42a43"

/* Borrow(address,address,address,uint256,uint8,uint256,uint16), Aave v3 */
#define ETH_TOPIC_AAVE_BORROW                                                  \
    "0xb3d084820fb1a9decffb176436bd02558d15fac9b0ddfed8c465bc7359d7dce0"

/* What the rpc: feed watches at each block (design.md section 5). Aave v3
 * pool, topic 1 the reserve, the user in the topic given: */
/* Supply(address,address,address,uint256,uint16), onBehalfOf topic 2 */
#define ETH_TOPIC_AAVE_SUPPLY                                                  \
    "0x2b627736bca15cd5381dcf80b0bf11fd197d01a037c52b927a881a10fb73ba61"
/* Withdraw(address,address,address,uint256), user topic 2 */
#define ETH_TOPIC_AAVE_WITHDRAW                                                \
    "0x3115d1449a7b732c986cba18244e897a450f61e1bb8d589cd2e69e6c8924f9f7"
/* Repay(address,address,address,uint256,bool), user topic 2 */
#define ETH_TOPIC_AAVE_REPAY                                                   \
    "0xa534c8dbe71f871f9f3530e97a74601fea17b426cae02e1c5aee42c96c784051"
/* LiquidationCall(address,address,address,uint256,uint256,address,bool),
 * user topic 3 (topics 1 and 2 the collateral and debt assets) */
#define ETH_TOPIC_AAVE_LIQUIDATION                                             \
    "0xe413a321e8681d831f4dbccbca790d2952b56f977908e45be37335533e005286"
/* ReserveUsedAsCollateralEnabled(address,address), user topic 2 */
#define ETH_TOPIC_AAVE_COLL_ENABLED                                            \
    "0x00058a56ea94653cdf4f152d227ace22d4c00ad99e2a43f58cb7d9e3feb295f2"
/* ReserveUsedAsCollateralDisabled(address,address), user topic 2 */
#define ETH_TOPIC_AAVE_COLL_DISABLED                                           \
    "0x44c58d81365b66dd4b1a7f36c25aa97b8c71c361ee4937adc1a00000227db5dd"
/* UserEModeSet(address,uint8), user topic 1 */
#define ETH_TOPIC_AAVE_EMODE_SET                                               \
    "0xd728da875fc88944cbf17638bcbe4af0eedaef63becd1d1c57cc097eb4608d84"
/* ReserveDataUpdated(address,uint256,uint256,uint256,uint256,uint256),
 * the reserve topic 1 */
#define ETH_TOPIC_AAVE_RESERVE_UPDATED                                         \
    "0x804c9b842b2748a22bb64b345453a3de7ca54a6ca45ce00d415894979e22897a"
/* BalanceTransfer(address,address,uint256,uint256), an aToken's: from
 * topic 1, to topic 2 */
#define ETH_TOPIC_ATOKEN_BALANCE_TRANSFER                                      \
    "0x4beccb90f994c31aced7a23b5611020728a23d8ec5cddd1a3e9d97b96fda8666"
/* Morpho Blue, topic 1 the market id, the user in the topic given: */
/* Supply(bytes32,address,address,uint256,uint256), onBehalf topic 3 */
#define ETH_TOPIC_MORPHO_SUPPLY                                                \
    "0xedf8870433c83823eb071d3df1caa8d008f12f6440918c20d75a3602cda30fe0"
/* Withdraw(bytes32,address,address,address,uint256,uint256), onBehalf 2 */
#define ETH_TOPIC_MORPHO_WITHDRAW                                              \
    "0xa56fc0ad5702ec05ce63666221f796fb62437c32db1aa1aa075fc6484cf58fbf"
/* Repay(bytes32,address,address,uint256,uint256), onBehalf topic 3 */
#define ETH_TOPIC_MORPHO_REPAY                                                 \
    "0x52acb05cebbd3cd39715469f22afbf5a17496295ef3bc9bb5944056c63ccaa09"
/* SupplyCollateral(bytes32,address,address,uint256), onBehalf topic 3 */
#define ETH_TOPIC_MORPHO_SUPPLY_COLLATERAL                                     \
    "0xa3b9472a1399e17e123f3c2e6586c23e504184d504de59cdaa2b375e880c6184"
/* WithdrawCollateral(bytes32,address,address,address,uint256), onBehalf 2 */
#define ETH_TOPIC_MORPHO_WITHDRAW_COLLATERAL                                   \
    "0xe80ebd7cc9223d7382aab2e0d1d6155c65651f83d53c8b9b06901d167e321142"
/* Liquidate(bytes32,address,address,uint256,uint256,uint256,uint256,
 * uint256), borrower topic 3 */
#define ETH_TOPIC_MORPHO_LIQUIDATE                                             \
    "0xa4946ede45d0c6f06a0f5ce92c9ad3b4751452d2fe0e25010783bcab57a67e41"
/* AccrueInterest(bytes32,uint256,uint256,uint256), the market alone */
#define ETH_TOPIC_MORPHO_ACCRUE_INTEREST                                       \
    "0x9d9bd501d0657d7dfe415f779a620a62b78bc508ddc0891fbbd8b7ac0f8fce87"

struct eth_signature {
    uint32_t selector; /* 0 for an event topic */
    const char *topic; /* the topic's hex, or NULL */
    const char *signature;
};
/* Every constant above with its signature; ends with signature NULL. */
extern const struct eth_signature eth_signatures[];

/* Return data of a call is at most this many bytes here. */
#define ETH_RESULT_MAX 8192

/*
 * An Aave v3 reserve's configuration bitmap (ReserveConfiguration's
 * layout, the same in 3.0 to 3.7) as liqtop import writes it: ltv and
 * liquidation threshold in bps, the bonus over 1 (10500 in the contract
 * is 500 here, 0 below 10000), decimals, paused, the liquidation protocol
 * fee in bps, and the eMode category (the form before 3.2; 0 none).
 */
struct eth_aave_config {
    uint64_t ltv_bps, lt_bps, bonus_bps, fee_bps;
    unsigned decimals;
    bool paused;
    unsigned emode;
};
void eth_aave_config(struct u256 bits, struct eth_aave_config *out);

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
