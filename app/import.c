/*
 * import.c: liqtop import: arguments, the block every read is made at,
 * the borrowers' list, and the portfolio written whole or not at all
 * (a temporary file beside the target, renamed over it once complete).
 *
 * Owns the command's loop and the portfolio's cJSON tree. Must not write
 * anything before every read has succeeded.
 */
#include "app/import.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <uv.h>

#include "app/cmd_common.h"
#include "core/decimal.h"
#include "core/liq.h"
#include "feeds/abi.h"
#include "feeds/eth.h"

static const char usage[] =
    "usage: liqtop import --rpc URL (--aave-v3 PROVIDER [--aave-version V]\n"
    "                     | --morpho MORPHO --market ID...\n"
    "                     | --compound-v2 COMPTROLLER)\n"
    "                     [--user ADDR]... [--borrowers [--from-block N]]\n"
    "                     [--block N] [--log-range N] [--out FILE.json]\n"
    "                     [--positions-out FILE.jsonl]\n"
    "\n"
    "Reads an Ethereum JSON-RPC node at one block (default: the latest)\n"
    "and writes a portfolio: the markets' assets, parameters and state, the\n"
    "oracle prices, and the positions of the users named or of every\n"
    "borrower found in the protocol's Borrow logs (--borrowers). Without\n"
    "--out the portfolio goes to standard output once complete.\n";

bool
import_user_add(struct import *im, const uint8_t addr[20])
{
    /* named users are few and checked here; the borrowers of the logs
     * are made unique once, by import_users_unique */
    for (size_t i = 0; i < im->nnamed; i++)
        if (memcmp(im->users[i], addr, 20) == 0)
            return true;
    if (im->nusers == IMPORT_USERS_MAX)
        return false;
    if (im->nusers == im->users_cap) {
        im->users_cap = im->users_cap ? im->users_cap * 2 : 64;
        im->users = realloc(im->users, im->users_cap * sizeof(*im->users));
        if (im->users == NULL)
            abort();
    }
    memcpy(im->users[im->nusers++], addr, 20);
    return true;
}

static int
import_user_cmp(const void *a, const void *b)
{
    return memcmp(a, b, 20);
}

void
import_users_unique(struct import *im)
{
    size_t n = im->nnamed;

    qsort(im->users + im->nnamed, im->nusers - im->nnamed, sizeof(*im->users),
          import_user_cmp);
    for (size_t i = im->nnamed; i < im->nusers; i++) {
        if (n > im->nnamed && memcmp(im->users[n - 1], im->users[i], 20) == 0)
            continue;
        memmove(im->users[n++], im->users[i], 20);
    }
    im->nusers = n;
}

int
import_batch(struct import *im, struct rpc_batch *b)
{
    rpc_run(im->rpc, b);
    if (rpc_batch_failed(b)) {
        snprintf(im->err, sizeof(im->err), "%s", b->error);
        return LIQ_EIO;
    }
    return 0;
}

void
import_symbol(struct import *im, const uint8_t token[20], const char *raw,
              char *out, size_t cap)
{
    char base[24];
    size_t n = 0;

    for (size_t i = 0; i < im->ntokens; i++)
        if (memcmp(im->tokens[i].addr, token, 20) == 0) {
            snprintf(out, cap, "%s", im->tokens[i].sym);
            return;
        }
    for (const char *p = raw; *p != '\0' && n + 4 < sizeof(base); p++) {
        unsigned char c = (unsigned char)*p;

        if (c <= 0x20 || c >= 0x7f || strchr("=;,\"\\", c) != NULL)
            continue;
        base[n++] = (char)c;
    }
    base[n] = '\0';
    if (n == 0)
        snprintf(base, sizeof(base), "TOKEN");
    snprintf(out, cap, "%s", base);
    for (int k = 2; cJSON_GetObjectItemCaseSensitive(im->prices, out) != NULL;
         k++)
        snprintf(out, cap, "%.16s-%d", base, k);
    if (im->ntokens < IMPORT_TOKENS_MAX) {
        memcpy(im->tokens[im->ntokens].addr, token, 20);
        snprintf(im->tokens[im->ntokens].sym, sizeof(im->tokens[0].sym), "%s",
                 out);
        im->ntokens++;
    }
}

int
import_fail(struct import *im, const char *label, const char *what)
{
    snprintf(im->err, sizeof(im->err), "%s: %s", label, what);
    return LIQ_EIO;
}

/* The result of call i as bytes, exactly want bytes long (0: any). */
long
import_bytes(struct import *im, struct rpc_batch *b, size_t i, uint8_t *buf,
             size_t want)
{
    long n = eth_result_bytes(&b->item[i], buf, ETH_RESULT_MAX);

    if (n < 0) {
        import_fail(im, b->item[i].label, "answer is not hex data");
        return ABI_EBAD;
    }
    if (n == 0) {
        import_fail(im, b->item[i].label,
                    "empty answer (no contract at that address?)");
        return ABI_EBAD;
    }
    if (want != 0 && (size_t)n < want) {
        char msg[96];

        snprintf(msg, sizeof(msg), "answer of %ld bytes, expected %zu", n,
                 want);
        import_fail(im, b->item[i].label, msg);
        return ABI_EBAD;
    }
    return n;
}

void
import_put_int(cJSON *o, const char *key, struct u256 v)
{
    char buf[DECIMAL_BUF];

    decimal_format_int(buf, sizeof(buf), v);
    cJSON_AddStringToObject(o, key, buf);
}

void
import_put_dec(cJSON *o, const char *key, struct u256 v, unsigned places)
{
    char buf[DECIMAL_BUF];

    decimal_format(buf, sizeof(buf), v, places);
    cJSON_AddStringToObject(o, key, buf);
}

/* A contract must be there: eth_getCode at the block. */
int
import_code(struct import *im, const uint8_t addr[20], const char *what)
{
    struct rpc_batch b;
    char hex[43], params[96], label[RPC_LABEL_MAX];
    int rc;

    abi_hex_encode(hex, addr, 20);
    snprintf(params, sizeof(params), "[\"%s\",\"%s\"]", hex, im->tag);
    snprintf(label, sizeof(label), "eth_getCode %s (%s)", hex, what);
    rpc_batch_init(&b);
    rpc_batch_add(&b, label, "eth_getCode", params);
    rc = import_batch(im, &b);
    if (rc == 0 && (!cJSON_IsString(b.item[0].result) ||
                    strlen(b.item[0].result->valuestring) <= 2)) {
        char msg[96];

        snprintf(msg, sizeof(msg), "no contract at block %llu",
                 (unsigned long long)im->block);
        rc = import_fail(im, label, msg);
    }
    rpc_batch_done(&b);
    return rc;
}

static int
import_parse_u64(const char *s, uint64_t *out)
{
    char *end;
    unsigned long long v;

    if (s[0] < '0' || s[0] > '9')
        return -1;
    errno = 0;
    v = strtoull(s, &end, 10);
    if (errno != 0 || *end != '\0')
        return -1;
    *out = v;
    return 0;
}

/* The chain id, the block and its timestamp. */
static int
import_block(struct import *im, bool latest)
{
    struct rpc_batch b;
    char params[64];
    const cJSON *ts;
    int rc;

    rpc_batch_init(&b);
    rpc_batch_add(&b, "eth_chainId", "eth_chainId", "[]");
    rpc_batch_add(&b, "eth_blockNumber", "eth_blockNumber", "[]");
    if ((rc = import_batch(im, &b)) != 0)
        goto out;
    if (!eth_result_quantity(&b.item[0], &im->chain_id)) {
        snprintf(im->err, sizeof(im->err), "eth_chainId: not a quantity");
        rc = LIQ_EIO;
        goto out;
    }
    {
        uint64_t head;

        if (!eth_result_quantity(&b.item[1], &head)) {
            snprintf(im->err, sizeof(im->err),
                     "eth_blockNumber: not a quantity");
            rc = LIQ_EIO;
            goto out;
        }
        if (latest)
            im->block = head;
        else if (im->block > head) {
            snprintf(im->err, sizeof(im->err),
                     "--block %llu: no such block (the node's newest is "
                     "%llu)",
                     (unsigned long long)im->block, (unsigned long long)head);
            rc = LIQ_EINVAL;
            goto out;
        }
    }
    eth_quantity(im->tag, sizeof(im->tag), im->block);
    rpc_batch_reset(&b);
    snprintf(params, sizeof(params), "[\"%s\",false]", im->tag);
    rpc_batch_add(&b, "eth_getBlockByNumber", "eth_getBlockByNumber", params);
    if ((rc = import_batch(im, &b)) != 0)
        goto out;
    if (cJSON_IsNull(b.item[0].result)) {
        snprintf(im->err, sizeof(im->err),
                 "eth_getBlockByNumber %llu: no such block",
                 (unsigned long long)im->block);
        rc = LIQ_EINVAL;
        goto out;
    }
    ts = cJSON_GetObjectItemCaseSensitive(b.item[0].result, "timestamp");
    if (!cJSON_IsString(ts) ||
        !abi_parse_quantity(ts->valuestring, &im->timestamp)) {
        snprintf(im->err, sizeof(im->err),
                 "eth_getBlockByNumber %llu: no timestamp",
                 (unsigned long long)im->block);
        rc = LIQ_EIO;
    }
out:
    rpc_batch_done(&b);
    return rc;
}

/* Write text to path whole: a temporary file, flushed, then renamed. */
static int
import_write_file(const char *path, const char *text, size_t len, char *err,
                  size_t errlen)
{
    char tmp[4096];
    FILE *f;

    if (snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path, (long)getpid()) >=
        (int)sizeof(tmp)) {
        snprintf(err, errlen, "%s: path too long", path);
        return LIQ_EINVAL;
    }
    f = fopen(tmp, "w");
    if (f == NULL) {
        snprintf(err, errlen, "%.900s: %s", tmp, strerror(errno));
        return LIQ_EIO;
    }
    if (fwrite(text, 1, len, f) != len || fflush(f) != 0 ||
        fsync(fileno(f)) != 0) {
        snprintf(err, errlen, "%.900s: %s", tmp, strerror(errno));
        fclose(f);
        unlink(tmp);
        return LIQ_EIO;
    }
    if (fclose(f) != 0 || rename(tmp, path) != 0) {
        snprintf(err, errlen, "%.900s: %s", path, strerror(errno));
        unlink(tmp);
        return LIQ_EIO;
    }
    return 0;
}

/* The whole portfolio as text; positions apart when pos_out is set. */
static int
import_emit(struct import *im, const char *out, const char *pos_out)
{
    cJSON *root = cJSON_CreateObject();
    char *text;
    int rc = 0;

    cJSON_AddNumberToObject(root, "as_of_block", (double)im->block);
    cJSON_AddNumberToObject(root, "as_of", (double)im->timestamp);
    {
        /* where the book was read: the rpc: feed follows it from there */
        cJSON *chain = cJSON_AddObjectToObject(root, "chain");
        char hex[43];

        abi_hex_encode(hex,
                       im->is_aave       ? im->aave
                       : im->is_compound ? im->compound
                                         : im->morpho,
                       20);
        cJSON_AddNumberToObject(chain, "chain_id", (double)im->chain_id);
        cJSON_AddStringToObject(chain,
                                im->is_aave       ? "aave_v3"
                                : im->is_compound ? "compound_v2"
                                                  : "morpho",
                                hex);
        if (im->chain_more != NULL) {
            cJSON *it = im->chain_more->child;

            while (it != NULL) {
                cJSON *next = it->next;

                cJSON_AddItemToObject(
                    chain, it->string,
                    cJSON_DetachItemViaPointer(im->chain_more, it));
                it = next;
            }
        }
    }
    cJSON_AddItemToObject(root, "markets", im->markets);
    cJSON_AddItemToObject(root, "prices", im->prices);
    im->markets = im->prices = NULL;
    if (pos_out != NULL) {
        size_t cap = 4096, len = 0;
        char *lines = malloc(cap);
        const cJSON *p;

        if (lines == NULL)
            abort();
        cJSON_ArrayForEach(p, im->positions)
        {
            char *one = cJSON_PrintUnformatted(p);
            size_t n = strlen(one);

            while (len + n + 2 > cap) {
                cap *= 2;
                lines = realloc(lines, cap);
                if (lines == NULL)
                    abort();
            }
            memcpy(lines + len, one, n);
            len += n;
            lines[len++] = '\n';
            cJSON_free(one);
        }
        rc = import_write_file(pos_out, lines, len, im->err, sizeof(im->err));
        free(lines);
        cJSON_Delete(im->positions);
    } else {
        cJSON_AddItemToObject(root, "positions", im->positions);
    }
    im->positions = NULL;
    if (rc == 0) {
        text = cJSON_Print(root);
        if (out != NULL) {
            size_t n = strlen(text);

            text = realloc(text, n + 2);
            text[n] = '\n';
            text[n + 1] = '\0';
            rc = import_write_file(out, text, n + 1, im->err, sizeof(im->err));
        } else {
            puts(text);
            if (fflush(stdout) != 0)
                rc = LIQ_EIO;
        }
        cJSON_free(text);
    }
    cJSON_Delete(root);
    return rc;
}

int
import_main(int argc, char **argv)
{
    static const char *const with_value[] = {
        "--rpc",       "--morpho",      "--market",
        "--user",      "--block",       "--from-block",
        "--log-range", "--out",         "--positions-out",
        "--aave-v3",   "--compound-v2", "--aave-version",
        NULL};
    struct import im;
    struct cmd_args a;
    const char *opt, *val, *url = NULL, *out = NULL, *pos_out = NULL;
    struct rpc_opts ro = {15000, 0, 4, 0};
    uv_loop_t loop;
    bool have_morpho = false, latest = true, loop_open = false;
    char err[512];
    int rc, status = CMD_EXIT_OK;

    memset(&im, 0, sizeof(im));
    im.log_range = 10000;
    cmd_common_args_init(&a, argc, argv);
    while ((rc = cmd_common_next(&a, with_value, &opt, &val, err,
                                 sizeof err)) == 1) {
        if (opt == NULL) {
            status =
                cmd_common_usage_error("import", "unexpected argument", val);
            goto done;
        }
        if (strcmp(opt, "--help") == 0 || strcmp(opt, "-h") == 0) {
            fputs(usage, stdout);
            goto done;
        } else if (strcmp(opt, "--rpc") == 0) {
            url = val;
        } else if (strcmp(opt, "--morpho") == 0) {
            if (!abi_parse_address(val, im.morpho)) {
                status = cmd_common_fail(
                    "import", "--morpho: expected 0x and 40 hex digits");
                goto done;
            }
            have_morpho = true;
        } else if (strcmp(opt, "--market") == 0) {
            if (im.nmarkets == IMPORT_MARKETS_MAX) {
                status = cmd_common_fail("import", "--market: too many");
                goto done;
            }
            if (!abi_parse_bytes32(val, im.market_ids[im.nmarkets])) {
                status = cmd_common_fail(
                    "import", "--market: expected 0x and 64 hex digits");
                goto done;
            }
            im.nmarkets++;
        } else if (strcmp(opt, "--user") == 0) {
            uint8_t u[20];

            if (!abi_parse_address(val, u)) {
                status = cmd_common_fail(
                    "import", "--user: expected 0x and 40 hex digits");
                goto done;
            }
            import_user_add(&im, u);
            im.nnamed = im.nusers;
        } else if (strcmp(opt, "--borrowers") == 0) {
            im.borrowers = true;
        } else if (strcmp(opt, "--block") == 0) {
            if (import_parse_u64(val, &im.block) != 0) {
                status = cmd_common_fail("import",
                                         "--block: expected a block number");
                goto done;
            }
            latest = false;
        } else if (strcmp(opt, "--from-block") == 0) {
            if (import_parse_u64(val, &im.from_block) != 0) {
                status = cmd_common_fail(
                    "import", "--from-block: expected a block number");
                goto done;
            }
        } else if (strcmp(opt, "--log-range") == 0) {
            if (import_parse_u64(val, &im.log_range) != 0 ||
                im.log_range == 0) {
                status = cmd_common_fail(
                    "import", "--log-range: expected a number of blocks");
                goto done;
            }
        } else if (strcmp(opt, "--out") == 0) {
            out = val;
        } else if (strcmp(opt, "--positions-out") == 0) {
            pos_out = val;
        } else if (strcmp(opt, "--aave-v3") == 0) {
            if (!abi_parse_address(val, im.aave)) {
                status = cmd_common_fail(
                    "import", "--aave-v3: expected 0x and 40 hex digits");
                goto done;
            }
            im.is_aave = true;
        } else if (strcmp(opt, "--aave-version") == 0) {
            if (strlen(val) != 3 || strncmp(val, "3.", 2) != 0 ||
                val[2] < '0' || val[2] > '7') {
                status =
                    cmd_common_fail("import", "--aave-version: 3.0 to 3.7");
                goto done;
            }
            snprintf(im.aave_version, sizeof(im.aave_version), "%s", val);
        } else if (strcmp(opt, "--compound-v2") == 0) {
            if (!abi_parse_address(val, im.compound)) {
                status = cmd_common_fail(
                    "import", "--compound-v2: expected 0x and 40 hex digits");
                goto done;
            }
            im.is_compound = true;
        } else {
            {
                status =
                    cmd_common_usage_error("import", "unknown option", opt);
                goto done;
            }
        }
    }
    if (rc < 0) {
        status = cmd_common_fail("import", err);
        goto done;
    }
    if (url == NULL) {
        status = cmd_common_fail("import", "--rpc URL is required");
        goto done;
    }
    if ((int)have_morpho + (int)im.is_aave + (int)im.is_compound != 1 ||
        (have_morpho && im.nmarkets == 0)) {
        status = cmd_common_fail(
            "import", "one of --aave-v3 PROVIDER, --morpho MORPHO --market "
                      "ID or --compound-v2 COMPTROLLER is required");
        goto done;
    }
    if (!im.borrowers && im.nusers == 0) {
        status = cmd_common_fail("import", "no --user and no --borrowers");
        goto done;
    }
    im.markets = cJSON_CreateArray();
    im.prices = cJSON_CreateObject();
    im.positions = cJSON_CreateArray();
    if (uv_loop_init(&loop) != 0) {
        status = cmd_common_fail("import", "cannot start the event loop");
        goto done;
    }
    loop_open = true;
    if (rpc_new(&im.rpc, &loop, url, &ro) != 0) {
        status = cmd_common_fail("import", "cannot set up the http client");
        goto done;
    }
    if (import_block(&im, latest) != 0 ||
        (im.is_aave       ? import_aave(&im)
         : im.is_compound ? import_compound(&im)
                          : import_morpho(&im)) != 0 ||
        import_emit(&im, out, pos_out) != 0) {
        snprintf(err, sizeof(err), "%.500s", im.err);
        status = cmd_common_fail("import", err);
    }
done:
    if (im.rpc != NULL) {
        rpc_close(im.rpc);
        if (loop_open)
            uv_run(&loop, UV_RUN_DEFAULT);
        rpc_free(im.rpc);
    }
    if (loop_open)
        uv_loop_close(&loop);
    cJSON_Delete(im.markets);
    cJSON_Delete(im.prices);
    cJSON_Delete(im.positions);
    cJSON_Delete(im.chain_more);
    free(im.users);
    return status;
}
