/*
 * book_int.h: the inside of struct book, shared by the book_*.c files only
 * (book.c: symbols, markets, positions, prices, the update; book_calc.c:
 * accounts, tiers and counts; book_tick.c: an update's valuation of the
 * positions whose legs moved; book_rank.c: the ranking; book_order.c,
 * book_filter.c and book_order_key.c: the dashboard's filtered and sorted
 * orders, on top of them all). Nothing outside
 * core/book*.c includes it.
 */
#ifndef BOOK_INT_H
#define BOOK_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/book.h"

/* A leg in 12 bytes: its asset byte (index and flags below) in the top
 * byte of hi, above its amount's bits 64 to 87 (BOOK_LEG_HI_BITS); the
 * low 64 in lo. An amount past 88 bits lives in the big table
 * (BOOK_LEG_BIG, lo its index). Read the asset with book_leg_asset, the
 * amount as one 128-bit figure with book_calc_u128. */
struct book_leg {
    uint64_t lo;
    uint32_t hi;
} __attribute__((packed, aligned(4)));
_Static_assert(sizeof(struct book_leg) == 12, "a leg is 12 bytes");

#define BOOK_LEG_HI_BITS 24
#define BOOK_LEG_HI_MASK ((1u << BOOK_LEG_HI_BITS) - 1)

/* hleg: the symbol sits in more than one leg of the position. */
#define BOOK_HLEG_SCAN 0xffu

/* Leg flags in the asset byte: asset indexes stay below MARKET_ASSETS_MAX. */
#define BOOK_LEG_BIG 0x80u   /* past 88 bits: big table, lo = index */
#define BOOK_LEG_ASSET 0x7fu /* mask of the asset index */

/* Per-position state flags. */
#define BOOK_P_PRICED 0x01u /* the account is valid */
#define BOOK_P_DEBT 0x02u
#define BOOK_P_LIQ 0x04u
#define BOOK_P_BAD 0x08u
#define BOOK_P_BIG 0x10u     /* the account lives in the big table */
#define BOOK_P_LEGDEBT 0x20u /* a debt leg is not zero (set once, kept) */
/* it holds nothing (position_holds_nothing): kept by its id, ranked after
 * every other position, and neither counted nor matched by a filter */
#define BOOK_P_EMPTY 0x40u
/* what the legs say, kept when the account is stored again */
#define BOOK_P_LEGS (BOOK_P_LEGDEBT | BOOK_P_EMPTY)

/* ptier beyond enum tier. */
#define BOOK_TIER_UNPRICED ((uint8_t)TIER_COUNT)
#define BOOK_TIER_NEW ((uint8_t)(TIER_COUNT + 1))

/*
 * Ranking classes, the top two bits of a rank key. Below them, with debt: a
 * monotone image of the health factor (book_rank.c); otherwise the id's
 * first bytes. The key's top 32 bits are its prefix.
 */
#define BOOK_CLASS_DEBT 0u
#define BOOK_CLASS_NODEBT 1u
#define BOOK_CLASS_UNPRICED 2u
#define BOOK_CLASS_EMPTY 3u /* holds nothing: after all, by id */

/*
 * The cached account of one position, 128 bits a figure, one cache line
 * (the array is 64-byte aligned): the model's sums for additive models
 * (model.h), else s[0] collateral value, s[1] debt value and s[2] health
 * (0 without debt). In the big table (BOOK_P_BIG) s[0] is the slot. The
 * same figures as the models' struct, for a tick's model to move them in
 * place.
 */
struct book_acct {
    union {
        u128 s[MODEL_SUMS];
        struct model_sums128 sums;
    };
};
_Static_assert(sizeof(struct book_acct) == 64, "an account is a cache line");

struct book_sym {
    struct u256 feed_e18;
    int64_t ts_ms;
    int32_t shock_bps;
    bool has_price;
    bool dirty;
    uint32_t gen; /* book_update recomputed its holders this many times */
};

/* A chunk of the string arena; chunks never move. */
struct book_chunk {
    struct book_chunk *next;
    size_t used;
    size_t cap;
    char data[];
};

struct book {
    /* symbols */
    uint32_t nsym;
    uint32_t capsym;
    char **symname;
    struct book_sym *sym;
    uint32_t *symtab; /* open addressing: sym + 1, 0 empty */
    uint32_t symtabcap;
    bool anydirty;

    /* markets (each allocated alone so pointers stay valid) */
    uint32_t nmkt;
    uint32_t capmkt;
    struct market **mkt;
    uint32_t *mtab; /* open addressing on (id, view): market + 1, 0 empty */
    uint32_t mtabcap;
    struct u256 (*mprice)[MARKET_ASSETS_MAX]; /* base units, effective */
    uint32_t *mmissing;
    struct u256 (*mold)[MARKET_ASSETS_MAX]; /* book_update: before the tick */
    uint32_t *mchanged; /* book_update: a bit per asset whose price moved */
    uint32_t *updsym;   /* book_update: the moved symbols, capupdsym */
    uint32_t capupdsym;
    bool has_pre; /* a morpho-pre market is among them (book_calc_tier) */
    struct book_tick_mkt *calcmk; /* book_tick_moved: scratch per market */
    uint32_t ncalcmk;

    /* positions, struct of arrays */
    uint32_t npos;
    uint32_t cappos;
    uint32_t nempty;   /* of them, holding nothing (BOOK_P_EMPTY) */
    uint32_t emptygen; /* moves when one starts or stops holding nothing */
    const char **pid;  /* id, then its label after the NUL, in the arena */
    uint16_t *pmkt;
    uint32_t *pleg; /* first leg; collateral legs, then debt legs */
    uint8_t *pnc;
    uint8_t *pnd;
    uint8_t *pflags;
    uint8_t *ptier;         /* enum tier, TIER_COUNT when unpriced */
    struct book_acct *acct; /* 64-byte aligned */
    uint32_t hfc_idx;       /* book_calc_hf(): the last health computed */
    struct u256 hfc;
    uint64_t *key; /* rank key, see book_rank.c */
    /* book_update's epoch, a byte: the stamps are cleared once it wraps
     * (every 255 updates), so an equal stamp is this update's */
    uint8_t *stamp;
    uint8_t epoch;

    /* legs */
    size_t nleg;
    size_t capleg;
    struct book_leg *legs;
    struct u256 *big; /* amounts past 88 bits */
    size_t nbig;
    size_t capbig;

    /* accounts past 128 bits */
    struct account *bigacct;
    uint32_t nbigacct;
    uint32_t capbigacct;
    uint32_t *bigfree;
    uint32_t nbigfree;

    /* id hash, 4 bytes a slot: the hash's tag above position + 1 (that
     * in idtabbits bits), 0 empty (book.c) */
    uint32_t *idtab;
    size_t idtabcap;
    unsigned idtabbits;

    struct book_chunk *arena;

    /* holders of each symbol (CSR over positions [0, hnpos)) */
    uint32_t hnpos;
    uint32_t *hstart; /* nsym + 1 */
    uint32_t *hpos;
    uint8_t *hleg; /* parallel to hpos: the leg of the symbol, or SCAN */
    uint32_t hnsym;

    /* positions [0, upd_npos) were computed by the last book_update */
    uint32_t upd_npos;

    /* ranking: rank[0, nrank) in order; mv the positions to (re)place.
     * An entry is a rank key's prefix (its top 32 bits) above the
     * position's index, so that entries mostly order as plain integers. */
    uint64_t *rank;
    uint64_t *rank2;
    uint32_t nrank;
    uint32_t caprank;
    uint64_t *mv;
    uint64_t *mv2;
    uint32_t nmv;
    uint32_t capmv;
    uint32_t *mvold; /* prefix at the old place, parallel to mv */
    uint32_t nfresh; /* queued positions that have no old place */
    uint64_t *moved; /* a bit a position: queued with an old place */
    size_t nmovedw;
    /* The overlay: ov[0, nov) in order holds the entries of positions
     * moved since rank was last merged, whose places in rank are dead
     * (inov: a bit a position, nmovedw words). A tick that moves less
     * than half the book repairs the overlay alone; reads take both. */
    uint64_t *ov;
    uint64_t *ov2;
    uint32_t nov;
    uint32_t capov;
    uint64_t *inov;
    uint32_t nagain; /* queued positions whose place is in the overlay */
    /* For reads: rank's dead places (a bit a place) and the live places
     * before each word of them, built on the first read after a repair;
     * and the last read, rank cur_r being ov[cur_j] (cur_ov) or
     * rank[cur_q]. */
    uint64_t *rdead;
    uint32_t *rlive;
    size_t caprdw;
    bool rdead_ok;
    bool cur_ok;
    bool cur_ov;
    uint32_t cur_r;
    uint32_t cur_q;
    uint32_t cur_j;

    struct book_counts counts;
};

/* The asset byte of leg slot i (index and BOOK_LEG_* flags). */
static inline uint8_t
book_leg_asset(const struct book *b, size_t i)
{
    return (uint8_t)(b->legs[i].hi >> BOOK_LEG_HI_BITS);
}

/* Aborting allocators for the book files. */
void *book_xmalloc(size_t n);
void *book_xrealloc(void *p, size_t n);
void *book_xcalloc(size_t n, size_t size);

/* book.c: FNV-1a over len bytes of s, for ids and symbols. */
uint64_t book_hash(const char *s, size_t len);

/* book_idtab.c: the id table. The slot where hash h starts probing;
 * position idx (its id hashed to h) entered, room permitting (the caller
 * keeps it at most two thirds full); the position of id (len bytes,
 * hashed to h), 0 or LIQ_ENOENT; the table at cap slots, every position's
 * id entered again. */
size_t book_idtab_slot(const struct book *b, uint64_t h);
void book_idtab_insert(struct book *b, uint64_t h, uint32_t idx);
int book_idtab_find(const struct book *b, const char *id, size_t len,
                    uint64_t h, uint32_t *out);
void book_idtab_grow(struct book *b, size_t cap);

/* book.c: write leg l at leg slot i (i < capleg), its amount in the big
 * table when past 88 bits; and grow the legs' arrays to cap. */
void book_leg_put(struct book *b, size_t i, const struct leg *l);
void book_legs_grow(struct book *b, size_t cap);

/* Materialize position idx (legs only as far as ncoll/ndebt). */
void book_materialize(const struct book *b, uint32_t idx, struct position *p);
/* The same without the label (NULL), for readers of the legs alone. */
void book_materialize_legs(const struct book *b, uint32_t idx,
                           struct position *p);

/* book_calc.c: value idx whole at the cached market prices; or, after the
 * prices of the assets in `changed` moved from oldp to the cached ones, by
 * the moved legs alone: leg (offset in the position) when it is the only
 * one, else BOOK_HLEG_SCAN. Either updates tier and counts and rekeys idx
 * (book_key.h). */
void book_calc_full(struct book *b, uint32_t idx);
void book_calc_tick(struct book *b, uint32_t idx, const struct u256 *oldp,
                    uint32_t changed, uint8_t leg);
void book_calc_acct_get(const struct book *b, uint32_t idx,
                        struct account *out);
struct u256 book_calc_hf_slow(const struct book *b, uint32_t idx);
/* The coll_value and debt_value of that account alone, through the
 * model's values128 where it serves (no health worked out). */
void book_calc_values(const struct book *b, uint32_t idx, struct u256 *coll,
                      struct u256 *debt);
/* Health of idx (book_calc.c's): the one just computed at once
 * (the ranking asks for it after every valuation), others from the
 * cache line's figures. Inline, as rekey calls it for every position. */
static inline struct u256
book_calc_hf(const struct book *b, uint32_t idx)
{
    return idx == b->hfc_idx ? b->hfc : book_calc_hf_slow(b, idx);
}
/* book_tick.c: after book_update's prices (mold, mprice, mchanged), value
 * each position of which a leg's price moved once, the holders of the
 * nsym moved symbols sym (those stamped ep with an index at or past
 * upd_npos, valued whole since, are skipped). Returns how many were
 * visited. */
size_t book_tick_moved(struct book *b, const uint32_t *sym, uint32_t nsym,
                       uint8_t ep);

/* book.c: the index from each symbol to its holders, rebuilt for
 * positions [0, npos) and symbols [0, nsym); and a bit per asset of m
 * priced by symbol s (its own price, or an eMode price source's in a
 * view): holders of an asset are indexed under the symbol that prices it. */
void book_holders_index(struct book *b);
uint32_t book_holders_priced(const struct market *m, uint32_t s);

void book_rank_repair(struct book *b);

/* book_sort.c: the ranking's order (<0, 0, >0 as x ranks before, with,
 * after y; both keys current), and entries sorted and merged by it. */
int book_sort_cmp(const struct book *b, uint32_t x, uint32_t y);

/* Entry order: prefixes first (inline), the full comparison on equal ones.
 * Both positions' keys must be current. */
static inline bool
book_sort_before(const struct book *b, uint64_t x, uint64_t y)
{
    if ((x ^ y) >> 32 != 0)
        return x < y;
    return book_sort_cmp(b, (uint32_t)x, (uint32_t)y) < 0;
}

/* The n entries of a put in the full order, tmp holding n more; returns a
 * or tmp, whichever holds the result. */
uint64_t *book_sort_entries(const struct book *b, uint64_t *a, uint64_t *tmp,
                            uint32_t n);
/* The sorted x[0, nx) and y[0, ny) merged into out (nx + ny entries). */
void book_sort_merge(const struct book *b, const uint64_t *x, uint32_t nx,
                     const uint64_t *y, uint32_t ny, uint64_t *out);

#endif
