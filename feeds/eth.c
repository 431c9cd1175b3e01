/*
 * eth.c: eth_call and eth_getLogs over feeds/rpc.c, and the table of
 * selectors and topics with their signatures.
 *
 * Must not decode a contract's answer (the caller does, through abi.h)
 * and must not block a shared loop: eth_logs_scan runs rpc_run.
 */
#include "feeds/eth.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/liq.h"

const struct eth_signature eth_signatures[] = {
    {ETH_SEL_MORPHO_MARKET, NULL, "market(bytes32)"},
    {ETH_SEL_MORPHO_PARAMS, NULL, "idToMarketParams(bytes32)"},
    {ETH_SEL_MORPHO_POSITION, NULL, "position(bytes32,address)"},
    {ETH_SEL_IRM_BORROW_RATE_VIEW, NULL,
     "borrowRateView((address,address,address,address,uint256),"
     "(uint128,uint128,uint128,uint128,uint128,uint128))"},
    {ETH_SEL_ORACLE_PRICE, NULL, "price()"},
    {ETH_SEL_DECIMALS, NULL, "decimals()"},
    {ETH_SEL_SYMBOL, NULL, "symbol()"},
    {ETH_SEL_AAVE_GET_POOL, NULL, "getPool()"},
    {ETH_SEL_AAVE_GET_PRICE_ORACLE, NULL, "getPriceOracle()"},
    {ETH_SEL_AAVE_RESERVES_LIST, NULL, "getReservesList()"},
    {ETH_SEL_AAVE_POOL_REVISION, NULL, "POOL_REVISION()"},
    {ETH_SEL_AAVE_BASE_UNIT, NULL, "BASE_CURRENCY_UNIT()"},
    {ETH_SEL_AAVE_RESERVE_DATA, NULL, "getReserveData(address)"},
    {ETH_SEL_AAVE_ASSET_PRICE, NULL, "getAssetPrice(address)"},
    {ETH_SEL_AAVE_EMODE_DATA, NULL, "getEModeCategoryData(uint8)"},
    {ETH_SEL_AAVE_EMODE_COLLATERAL, NULL,
     "getEModeCategoryCollateralBitmap(uint8)"},
    {ETH_SEL_AAVE_EMODE_BORROWABLE, NULL,
     "getEModeCategoryBorrowableBitmap(uint8)"},
    {ETH_SEL_AAVE_CONFIGURATION, NULL, "getConfiguration(address)"},
    {ETH_SEL_AAVE_GRACE_PERIOD, NULL, "getLiquidationGracePeriod(address)"},
    {ETH_SEL_AAVE_USER_CONFIG, NULL, "getUserConfiguration(address)"},
    {ETH_SEL_AAVE_USER_EMODE, NULL, "getUserEMode(address)"},
    {ETH_SEL_SCALED_BALANCE_OF, NULL, "scaledBalanceOf(address)"},
    {ETH_SEL_BALANCE_OF, NULL, "balanceOf(address)"},
    {ETH_SEL_AAVE_GET_SENTINEL, NULL, "getPriceOracleSentinel()"},
    {ETH_SEL_SENTINEL_SEQUENCER, NULL, "getSequencerOracle()"},
    {ETH_SEL_SENTINEL_GRACE, NULL, "getGracePeriod()"},
    {ETH_SEL_LATEST_ROUND_DATA, NULL, "latestRoundData()"},
    {ETH_SEL_COMP_ALL_MARKETS, NULL, "getAllMarkets()"},
    {ETH_SEL_COMP_MARKETS, NULL, "markets(address)"},
    {ETH_SEL_COMP_CLOSE_FACTOR, NULL, "closeFactorMantissa()"},
    {ETH_SEL_COMP_INCENTIVE, NULL, "liquidationIncentiveMantissa()"},
    {ETH_SEL_COMP_ORACLE, NULL, "oracle()"},
    {ETH_SEL_COMP_UNDERLYING_PRICE, NULL, "getUnderlyingPrice(address)"},
    {ETH_SEL_COMP_UNDERLYING, NULL, "underlying()"},
    {ETH_SEL_COMP_EXCHANGE_RATE, NULL, "exchangeRateStored()"},
    {ETH_SEL_COMP_SNAPSHOT, NULL, "getAccountSnapshot(address)"},
    {ETH_SEL_COMP_ASSETS_IN, NULL, "getAssetsIn(address)"},
    {ETH_SEL_COMP_BORROW_PAUSED, NULL, "borrowGuardianPaused(address)"},
    {ETH_SEL_COMP_RESERVE_FACTOR, NULL, "reserveFactorMantissa()"},
    {ETH_SEL_COMP_BORROW_INDEX, NULL, "borrowIndex()"},
    {0, ETH_TOPIC_COMP_BORROW, "Borrow(address,uint256,uint256,uint256)"},
    {0, ETH_TOPIC_COMP_REPAY,
     "RepayBorrow(address,address,uint256,uint256,uint256)"},
    {0, ETH_TOPIC_COMP_LIQUIDATE,
     "LiquidateBorrow(address,address,uint256,address,uint256)"},
    {0, ETH_TOPIC_COMP_MARKET_ENTERED, "MarketEntered(address,address)"},
    {0, ETH_TOPIC_COMP_MARKET_EXITED, "MarketExited(address,address)"},
    {0, ETH_TOPIC_ERC20_TRANSFER, "Transfer(address,address,uint256)"},
    {0, ETH_TOPIC_AAVE_BORROW,
     "Borrow(address,address,address,uint256,uint8,uint256,uint16)"},
    {0, ETH_TOPIC_MORPHO_BORROW,
     "Borrow(bytes32,address,address,address,uint256,uint256)"},
    {0, ETH_TOPIC_AAVE_SUPPLY,
     "Supply(address,address,address,uint256,uint16)"},
    {0, ETH_TOPIC_AAVE_WITHDRAW, "Withdraw(address,address,address,uint256)"},
    {0, ETH_TOPIC_AAVE_REPAY, "Repay(address,address,address,uint256,bool)"},
    {0, ETH_TOPIC_AAVE_LIQUIDATION,
     "LiquidationCall(address,address,address,uint256,uint256,address,bool)"},
    {0, ETH_TOPIC_AAVE_COLL_ENABLED,
     "ReserveUsedAsCollateralEnabled(address,address)"},
    {0, ETH_TOPIC_AAVE_COLL_DISABLED,
     "ReserveUsedAsCollateralDisabled(address,address)"},
    {0, ETH_TOPIC_AAVE_EMODE_SET, "UserEModeSet(address,uint8)"},
    {0, ETH_TOPIC_AAVE_RESERVE_UPDATED,
     "ReserveDataUpdated(address,uint256,uint256,uint256,uint256,uint256)"},
    {0, ETH_TOPIC_ATOKEN_BALANCE_TRANSFER,
     "BalanceTransfer(address,address,uint256,uint256)"},
    {0, ETH_TOPIC_MORPHO_SUPPLY,
     "Supply(bytes32,address,address,uint256,uint256)"},
    {0, ETH_TOPIC_MORPHO_WITHDRAW,
     "Withdraw(bytes32,address,address,address,uint256,uint256)"},
    {0, ETH_TOPIC_MORPHO_REPAY,
     "Repay(bytes32,address,address,uint256,uint256)"},
    {0, ETH_TOPIC_MORPHO_SUPPLY_COLLATERAL,
     "SupplyCollateral(bytes32,address,address,uint256)"},
    {0, ETH_TOPIC_MORPHO_WITHDRAW_COLLATERAL,
     "WithdrawCollateral(bytes32,address,address,address,uint256)"},
    {0, ETH_TOPIC_MORPHO_LIQUIDATE,
     "Liquidate(bytes32,address,address,uint256,uint256,uint256,uint256,"
     "uint256)"},
    {0, ETH_TOPIC_MORPHO_ACCRUE_INTEREST,
     "AccrueInterest(bytes32,uint256,uint256,uint256)"},
    {0, NULL, NULL},
};

/* Bits [lo, lo + n) of a configuration word (n < 64). */
static uint64_t
eth_bits(struct u256 c, unsigned lo, unsigned n)
{
    uint64_t v = c.w[lo / 64] >> (lo % 64);

    if (lo % 64 + n > 64 && lo / 64 < 3)
        v |= c.w[lo / 64 + 1] << (64 - lo % 64);
    return v & (((uint64_t)1 << n) - 1);
}

void
eth_aave_config(struct u256 bits, struct eth_aave_config *out)
{
    uint64_t bonus = eth_bits(bits, 32, 16);

    out->ltv_bps = eth_bits(bits, 0, 16);
    out->lt_bps = eth_bits(bits, 16, 16);
    out->bonus_bps = bonus > 10000 ? bonus - 10000 : 0;
    out->decimals = (unsigned)eth_bits(bits, 48, 8);
    out->paused = eth_bits(bits, 60, 1) != 0;
    out->fee_bps = eth_bits(bits, 152, 16);
    out->emode = (unsigned)eth_bits(bits, 168, 8);
}

void
eth_quantity(char *buf, size_t cap, uint64_t n)
{
    snprintf(buf, cap, "0x%llx", (unsigned long long)n);
}

size_t
eth_call_add(struct rpc_batch *b, const char *label, const uint8_t to[20],
             const struct abi_call *data, const char *block_tag)
{
    char addr[43], *params;
    size_t n = data->len + strlen(block_tag) + 96, i;

    abi_hex_encode(addr, to, 20);
    params = malloc(n);
    if (params == NULL)
        abort();
    snprintf(params, n, "[{\"to\":\"%s\",\"data\":\"%s\"},\"%s\"]", addr,
             data->hex, block_tag);
    i = rpc_batch_add(b, label, "eth_call", params);
    free(params);
    return i;
}

long
eth_result_bytes(const struct rpc_item *it, uint8_t *out, size_t cap)
{
    if (!cJSON_IsString(it->result))
        return ABI_EBAD;
    return abi_hex_decode(it->result->valuestring,
                          strlen(it->result->valuestring), out, cap);
}

bool
eth_result_quantity(const struct rpc_item *it, uint64_t *out)
{
    return cJSON_IsString(it->result) &&
           abi_parse_quantity(it->result->valuestring, out);
}

int
eth_logs_scan(struct rpc *r, const uint8_t address[20], const char *topic0,
              const char *topic1, uint64_t from, uint64_t to, uint64_t range,
              eth_log_cb each, void *arg, char *err, size_t errlen)
{
    struct rpc_batch b;
    char addr[43], params[512], label[RPC_LABEL_MAX];
    int rc = 0;

    if (range == 0)
        range = 1;
    abi_hex_encode(addr, address, 20);
    rpc_batch_init(&b);
    while (from <= to && rc == 0) {
        uint64_t end = to - from + 1 > range ? from + range - 1 : to;
        const cJSON *log;

        if (topic1 != NULL)
            snprintf(params, sizeof(params),
                     "[{\"address\":\"%s\",\"fromBlock\":\"0x%llx\","
                     "\"toBlock\":\"0x%llx\",\"topics\":[\"%s\",\"%s\"]}]",
                     addr, (unsigned long long)from, (unsigned long long)end,
                     topic0, topic1);
        else
            snprintf(params, sizeof(params),
                     "[{\"address\":\"%s\",\"fromBlock\":\"0x%llx\","
                     "\"toBlock\":\"0x%llx\",\"topics\":[\"%s\"]}]",
                     addr, (unsigned long long)from, (unsigned long long)end,
                     topic0);
        snprintf(label, sizeof(label), "eth_getLogs blocks %llu..%llu",
                 (unsigned long long)from, (unsigned long long)end);
        rpc_batch_reset(&b);
        rpc_batch_add(&b, label, "eth_getLogs", params);
        if (rpc_run(r, &b) != 0) {
            snprintf(err, errlen, "%s", b.error);
            rc = LIQ_EIO;
            break;
        }
        if (b.item[0].result == NULL && b.item[0].error[0] != '\0' &&
            end > from) {
            range = (end - from + 1) / 2; /* the node refused the range */
            continue;
        }
        if (!cJSON_IsArray(b.item[0].result)) {
            rpc_batch_failed(&b);
            snprintf(err, errlen, "%s%s", b.error,
                     b.item[0].result != NULL ? ": not an array of logs" : "");
            rc = LIQ_EIO;
            break;
        }
        cJSON_ArrayForEach(log, b.item[0].result)
        {
            if ((rc = each(arg, log)) != 0) {
                snprintf(err, errlen, "%s: a log that is not Borrow's shape",
                         label);
                break;
            }
        }
        from = end + 1;
    }
    rpc_batch_done(&b);
    return rc;
}
