/*
 * import.h: liqtop import --rpc URL (--morpho MORPHO --market ID... | ...)
 * [--user ADDR]... [--borrowers [--from-block N]] [--block N]
 * [--out FILE.json] [--positions-out FILE.jsonl] [--log-range N]
 * (design.md section 4.2).
 *
 * Owns the command: its arguments, its own libuv loop for the node's
 * answers, and the atomic write of the portfolio. The protocols' reads
 * live in import_morpho.c, import_aave.c and import_compound.c.
 */
#ifndef IMPORT_H
#define IMPORT_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/u256.h"
#include "feeds/rpc.h"

#define IMPORT_USERS_MAX (1u << 22) /* borrowers one import may hold */
#define IMPORT_MARKETS_MAX 64
#define IMPORT_TOKENS_MAX 128

/* What the command was asked, and what every protocol's reader shares. */
struct import {
    struct rpc *rpc;
    uint64_t chain_id;
    uint64_t block;
    uint64_t timestamp;
    char tag[24]; /* the block as a quantity, for eth_call */
    /* arguments */
    uint8_t morpho[20];
    uint8_t aave[20]; /* --aave-v3 PoolAddressesProvider */
    bool is_aave;
    uint8_t compound[20]; /* --compound-v2 Comptroller */
    bool is_compound;
    char aave_version[8]; /* --aave-version, else the pool's */
    uint8_t market_ids[IMPORT_MARKETS_MAX][32];
    size_t nmarkets;
    uint8_t (*users)[20]; /* --user and the borrowers found */
    size_t nusers, users_cap;
    size_t nnamed; /* users[0..nnamed) were named by --user */
    bool borrowers;
    uint64_t from_block;
    uint64_t log_range;
    struct {
        uint8_t addr[20];
        char sym[24];
    } tokens[IMPORT_TOKENS_MAX]; /* the symbols given, by address */
    size_t ntokens;
    /* the portfolio being built (owned) */
    cJSON *markets, *prices, *positions;
    /* more of the "chain" object (the rpc: feed's), or NULL */
    cJSON *chain_more;
    char err[1024];
};

/* Add a user (a named one once); false when the list is full. */
bool import_user_add(struct import *im, const uint8_t addr[20]);
/* Sort the users found after the named ones, drop repeats: once, after
 * the log scan (a borrower borrows many times). */
void import_users_unique(struct import *im);
/* Run b; on any failed call fill im->err with it. 0 or LIQ_EIO. */
int import_batch(struct import *im, struct rpc_batch *b);
/* A token symbol made safe and unique for prices ("WETH", "WETH-2"). */
void import_symbol(struct import *im, const uint8_t token[20], const char *raw,
                   char *out, size_t cap);

/* "LABEL: WHAT" into im->err; LIQ_EIO. */
int import_fail(struct import *im, const char *label, const char *what);
/* Call i's answer as bytes into buf (ETH_RESULT_MAX), at least want bytes
 * (0: any, but not none); ABI_EBAD with im->err naming the call. */
long import_bytes(struct import *im, struct rpc_batch *b, size_t i,
                  uint8_t *buf, size_t want);
/* o[key] = v as integer text, or as a decimal of places places. */
void import_put_int(cJSON *o, const char *key, struct u256 v);
void import_put_dec(cJSON *o, const char *key, struct u256 v, unsigned places);
/* A contract must be at addr at the block; what names it in messages. */
int import_code(struct import *im, const uint8_t addr[20], const char *what);

/* Morpho Blue: every --market, its params, state, oracle, positions. */
int import_morpho(struct import *im);

/* Aave v3: the provider's pool, reserves, eMode, oracle and positions. */
int import_aave(struct import *im);

/* Compound v2: the Comptroller's markets, oracle prices, exchange rates
 * and each user's snapshot in the markets entered. */
int import_compound(struct import *im);

int import_main(int argc, char **argv);

#endif
