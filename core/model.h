/*
 * model.h: the interface every protocol model implements, and the figures
 * it produces.
 *
 * Owns struct model_ops (one table per protocol file: model_aave3.c,
 * model_aave4.c, model_compound2.c, model_morpho.c), struct account and
 * struct liq_result. A model reproduces its contract's integer rounding step
 * by step; it never allocates and never reads a clock. Pure.
 *
 * Prices: `price` is indexed like market.assets and holds each asset's price
 * in the market's base units (market_price_base()). Callers make sure every
 * asset the position holds has a price; zero is a legal price (liquidation
 * price searches evaluate it) and only division by it is an error.
 */
#ifndef MODEL_H
#define MODEL_H

#include <stdbool.h>
#include <stddef.h>

#include "core/market.h"
#include "core/position.h"
#include "core/u256.h"

#define WAD 1000000000000000000ULL
#define BPS 10000ULL

/* Why a liquidation call would revert now. */
enum liq_revert {
    REVERT_NONE,
    REVERT_NOT_LIQUIDATABLE,
    REVERT_TOO_MUCH_REPAY,
    REVERT_INSUFFICIENT_COLLATERAL,
    REVERT_DUST,
    REVERT_NOTHING_TO_REPAY,       /* repay 0, or one call can take nothing */
    REVERT_TOO_SMALL,              /* the call would seize no collateral */
    REVERT_COLLATERAL_NOT_ENABLED, /* supplied, not used as collateral */
    REVERT_PAUSED,                 /* a reserve of the call is paused */
    REVERT_GRACE_PERIOD,           /* liquidation_grace_until not passed */
    REVERT_SENTINEL,               /* the price oracle sentinel forbids it */
    REVERT_NOT_PRE_LIQUIDATABLE,   /* morpho-pre: LTV at or below pre_lltv */
    REVERT_USE_LIQUIDATION,        /* morpho-pre: past LLTV, pre oracle */
    REVERT_ABSORB_ONLY, /* compound-v3, liquity-v2: the call takes the whole
                         * position (absorb, batchLiquidateTroves), no part */
    REVERT_COOL_OFF     /* euler-v2: within the cool-off since the last check */
};

/* The contract's reason as design.md section 4 spells it, or NULL. */
const char *model_revert_reason(enum liq_revert r);

/* A position valued as the protocol values it. */
struct account {
    struct u256 coll_value; /* base units, all collateral, model rounding */
    struct u256 debt_value; /* base units, all debt, model rounding */
    struct u256 hf;         /* WAD; u256_max() when there is no debt */
    bool has_debt;
    bool liquidatable;
    bool bad_debt; /* collateral worth less than debt */
};

/* One liquidation call: repay debt leg `debt`, seize collateral leg `coll`.
 * With `max` set, repay is ignored and the call repays max_repay (what a
 * liquidator passing type(uint256).max would get). */
struct liq_call {
    uint8_t debt;
    uint8_t coll;
    bool max;
    struct u256 repay; /* debt asset raw units */
    /* Morpho's seizedAssets entry point: with seize set, repay and max are
     * ignored, the call names the collateral it seizes (raw units) and the
     * repay is derived. Other models refuse it (LIQ_EINVAL). */
    bool seize;
    struct u256 seized;
};

/*
 * What the call would do. Amounts of debt are in the debt asset's raw
 * units, of collateral in the collateral asset's raw units. Figures are
 * computed even when the call would revert (revert says why), so a position
 * that is not liquidatable still shows what a call would take.
 */
struct liq_result {
    struct u256 close_factor;  /* WAD: share of this debt one call may repay */
    struct u256 max_repay;     /* after close factor, collateral cap, dust */
    struct u256 repay;         /* what the call repays (after its caps) */
    struct u256 seized;        /* all collateral that leaves the borrower */
    struct u256 to_liquidator; /* seized - fee */
    struct u256 fee;           /* protocol's share, collateral units */
    struct u256 bonus;         /* seized above the repaid value */
    struct u256 hf_after;      /* WAD; u256_max() when no debt remains */
    bool lowers_health;        /* hf_after < hf before */
    bool bad_debt_after;       /* debt left with no collateral */
    enum liq_revert revert;
    /* Morpho: the borrow shares the call burns (repaidShares); zero for
     * other models. */
    struct u256 repaid_shares;
    /* Compound v2: the cTokens seized (seizeTokens), of which seized is
     * the underlying worth; zero for other models. */
    struct u256 seize_tokens;
    /* Liquity v2 (whole troves only): where the trove's debt and
     * collateral go (_getOffsetAndRedistributionVals); zero for other
     * models. seized excludes coll_surplus, which the borrower may claim
     * back from the CollSurplusPool. */
    struct liq_liquity {
        struct u256 debt_offset;  /* burnt from the Stability Pool */
        struct u256 debt_redist;  /* spread over the branch's troves */
        struct u256 coll_to_sp;   /* to the pool's depositors */
        struct u256 coll_redist;  /* to the branch's troves */
        struct u256 coll_gas;     /* to the caller: 0.5 %, 2 at most */
        struct u256 coll_surplus; /* left for the borrower to claim */
    } liquity;
    /* Euler v2: seized and bonus are vault shares (the leg's unit); these
     * are the assets they are worth (convertToAssets); zero elsewhere. */
    struct u256 seized_assets, bonus_assets;
    /* Aave 3.0 to 3.4: the average liquidation threshold (bps, floored)
     * the health after is computed with; 0 for other models. Among the
     * calls of one position and one pair of legs, those of one level
     * leave a health that never rises as more is seized nor falls as
     * more is repaid; from one level to a higher one it can rise (by
     * about 1 / level), which preview's least-call walk steps through. */
    uint64_t level;
};

/*
 * Additive models (Aave v3, Aave v4, Compound v2) value a position as a
 * function of sums over its legs, each leg's term depending on that leg's
 * amount and its asset's price alone: account = finish(sum of term(leg)).
 * Their account() is computed exactly that way (model_sums_account()), so a
 * caller that keeps the sums and replaces the terms of the legs whose price
 * moved (the book on a tick, the liquidation-price search) gets the same
 * figures to the raw unit. What each sum holds is the model's own business.
 */
#define MODEL_SUMS 4

struct model_sums {
    struct u256 s[MODEL_SUMS];
};

/*
 * The same sums in 128 bits, and the health they give, for the book's hot
 * loop (term128 and finish128 below). hf is meaningful with has_debt only.
 */
struct model_sums128 {
    u128 s[MODEL_SUMS];
};

struct model_health128 {
    u128 hf;
    bool has_debt;
    bool liquidatable;
    bool bad_debt;
};

/*
 * One asset's price move in one market, for all its holders at once (the
 * book's tick): the caller sets m, asset, po and pn, the model's
 * tick128_prep fills in its constants for the move, then tick128 values
 * each holder: retick128 of its leg then finish128 in one call, the
 * market looked up once (a holder of several moved legs: move128 of each
 * with its asset's prepared move, then finish128 once). Models valued whole
 * (account128) take every price after the move as well (price, set by the
 * caller, borrowed until the last holder is valued) and value each holder whole
 * through tick_account128, with what depends on the prices alone prepared once
 * (po, pn and asset are then one moved asset's, however many moved: their
 * preparation reads price alone, one for every move of the market).
 */
struct model_tick128 {
    const struct market *m;
    u128 po, pn;       /* the asset's price before and after */
    const u128 *price; /* models valued whole: all, after (pn among them) */
    u128 unit;         /* the model's: what a value divides by */
    uint64_t factor;   /* the model's: the asset's collateral factor */
    /* Morpho's, for a market of two assets: the oracle price after the
     * move with asset c as collateral, the other as loan, in oracle[c]
     * where bit c of oracles is set (not where it cannot be had). */
    struct u256 oracle[2];
    uint8_t oracles;
    u128 k[5]; /* the model's: other constants of the move */
    uint8_t asset;
    uint8_t mode; /* the model's: a debt leg's rounding */
    bool narrow;  /* the model's: po, pn and unit fit 64 bits */
};

/* Prices of one asset at which a position is liquidatable (model_ops
 * liqset128): [lo[i], hi[i]) for i < n, ascending and apart; every other
 * price below 2^128 is not liquidatable (and valued). proven: worked out
 * in closed form from the very figures of the model's verdict (its term
 * and finish, whatever width values them), so that it is the verdict at
 * every price below 2^128 by construction and needs no verdict to check
 * its ends; false where the callers check them. */
#define MODEL_LIQSET_MAX 6
struct model_liqset {
    unsigned n;
    bool proven;
    u128 lo[MODEL_LIQSET_MAX], hi[MODEL_LIQSET_MAX];
};

/* A whole account on 128-bit figures (account128 below); hf is
 * meaningful with has_debt only. */
struct model_account128 {
    u128 coll_value;
    u128 debt_value;
    u128 hf;
    bool has_debt;
    bool liquidatable;
    bool bad_debt;
};

/*
 * The figures of one largest call (liq_call.max) that stress sums, on
 * 128-bit figures (max_call128 below): what model_liquidate gives in
 * struct liq_result's repay, seized, bonus, bad_debt_after and revert.
 */
struct model_call128 {
    u128 repay;  /* debt asset raw units */
    u128 seized; /* collateral raw units, all that leaves the borrower */
    u128 bonus;
    bool bad_debt_after;
    enum liq_revert revert;
};

/*
 * What a new model must give: validate, account and liquidate, nothing
 * more. Every other op is optional: with it NULL the book, the
 * liquidation-price search, stress and preview take the general path
 * (the account of the whole position through account, each call through
 * liquidate; plain token amounts for balance, apply and burn_bound; no
 * time_to_liquidation), with the same figures. The sums (term, finish)
 * and the 128-bit twins only make the same answers faster.
 * tests/unit/test_model_minimal.c holds a model of those three ops alone
 * to the book, the liquidation price, stress and preview.
 */
struct model_ops {
    const char *name; /* "aave-v3" */
    /* Protocol configuration rules beyond market_validate(); message into
     * err names the field. NULL when there are none. */
    int (*validate)(const struct market *m, char *err, size_t errlen);
    /* Shape rules for a position (morpho: one collateral, one debt).
     * NULL when there are none. */
    int (*check_position)(const struct market *m, const struct position *p,
                          char *err, size_t errlen);
    int (*account)(const struct market *m, const struct position *p,
                   const struct u256 *price, struct account *out);
    int (*liquidate)(const struct market *m, const struct position *p,
                     const struct u256 *price, const struct liq_call *call,
                     struct liq_result *out);
    /*
     * Optional; NULL: a leg's amount is a plain token amount. Where a
     * market carries the protocol's stored state (design.md 3.1), a leg
     * may hold what the contract stores instead (Aave's scaled balance,
     * Morpho's borrow shares, Compound's cTokens, Aave v4's shares), and
     * the model converts: balance gives the token amount a stored leg
     * amount is worth as of m->as_of (balanceOf); apply gives the stored
     * amount after the borrower deposits (a collateral leg) or repays (a
     * debt leg) `amount` tokens, as the contract mints or burns
     * (LIQ_ERANGE for a repay above what is owed).
     */
    int (*balance)(const struct market *m, uint8_t asset, bool debt,
                   struct u256 stored, struct u256 *out);
    int (*apply)(const struct market *m, uint8_t asset, bool debt,
                 struct u256 stored, struct u256 amount, struct u256 *out);
    /*
     * Optional, for the solvers; NULL: plain subtraction (LIQ_ERANGE
     * above what the leg holds). A stored amount rounded in the
     * borrower's favour: after any liquidation call that seizes at least
     * `amount` tokens of a collateral leg, it keeps no more than this; after
     * one that repays `amount` tokens of a debt leg, it owes no less. Health on
     * these amounts bounds from above the health such calls leave.
     */
    int (*burn_bound)(const struct market *m, uint8_t asset, bool debt,
                      struct u256 stored, struct u256 amount, struct u256 *out);
    /* Optional (NULL: burn_bound on both legs, then account): the
     * account on burn_bound's amounts after a call that seizes `k`
     * tokens of collateral leg `coll` and repays `d` tokens of debt leg
     * `debt`, for models whose bound also moves what they convert by
     * (Aave v4's premium debt, repaid first). Health on it bounds from
     * above the health such calls leave. */
    int (*account_after_burn)(const struct market *m, const struct position *p,
                              uint8_t coll, struct u256 k, uint8_t debt,
                              struct u256 d, const struct u256 *price,
                              struct account *out);
    /* Optional (NULL: apply, then account): the account after the
     * borrower repays `amount` tokens of debt leg `leg`, where a repay
     * also moves what the model converts by (Morpho's borrow totals);
     * LIQ_ERANGE above what is owed. */
    int (*account_after_repay)(const struct market *m, const struct position *p,
                               uint8_t leg, struct u256 amount,
                               const struct u256 *price, struct account *out);
    /* Optional (NULL: apply, then account): the account after the
     * borrower deposits `amount` tokens to collateral leg `leg`, where a
     * deposit also moves what the model converts by (an Euler vault's or
     * an Aave v4 hub's totals, and so its share price); LIQ_ERANGE where
     * the contract refuses the deposit (one that mints no shares). */
    int (*account_after_deposit)(const struct market *m,
                                 const struct position *p, uint8_t leg,
                                 struct u256 amount, const struct u256 *price,
                                 struct account *out);
    /* Optional (NULL: no interest rates): design.md 4.1's
     * time_to_liquidation, the least whole seconds after m->as_of at which
     * interest alone, prices constant, leaves the position liquidatable
     * (0: it is now; -1: not within MODEL_TTL_HORIZON); LIQ_ENOENT where
     * this market gives no rates. */
    int (*time_to_liquidation)(const struct market *m, const struct position *p,
                               const struct u256 *price, int64_t *out);
    /* Additive models only (NULL otherwise): the terms of one leg of
     * `asset` (a debt leg when debt is set) at the asset's price, into
     * *out (every sum, zero where the leg adds nothing); and the account
     * from the sums, has_debt telling whether any debt leg is non-zero. */
    int (*term)(const struct market *m, uint8_t asset, bool debt,
                struct u256 amount, struct u256 price, struct model_sums *out);
    int (*finish)(const struct market *m, const struct model_sums *sums,
                  bool has_debt, struct account *out);
    /* Twins of term and finish on 128-bit figures (finish128 gives the
     * health only): the same answer wherever every operand, step and
     * result fits 128 bits, false where one does not (the caller then
     * takes term and finish). The property tests hold them equal. */
    bool (*term128)(const struct market *m, uint8_t asset, bool debt,
                    u128 amount, u128 price, struct model_sums128 *out);
    bool (*finish128)(const struct market *m, const struct model_sums128 *sums,
                      bool has_debt, struct model_health128 *out);
    /* Optional, for the liquidation-price search (liqprice.c): true when
     * p's verdict is proven to be a prefix in the price of `asset` (the
     * other prices as they are, whatever that one now is): liquidatable
     * at every price up to some price, at none above it. The search's
     * answer is then the one price at every price of the asset. */
    bool (*price_prefix)(const struct market *m, const struct position *p,
                         uint8_t asset);
    /* Optional, for the liquidation-price search (liqprice.c): with the
     * other legs' sums `rest` fixed (a debt among them) and one collateral
     * leg of `asset` (amount raw, in 128 bits) its only leg, the prices of
     * the asset below 2^128 at which the model's verdict is liquidatable,
     * exactly, as intervals (struct model_liqset); false where the model
     * cannot tell them (the search then asks the verdict itself). One
     * interval from 0 is a verdict that is a prefix in the price. */
    bool (*liqset128)(const struct market *m, const struct model_sums128 *rest,
                      uint8_t asset, u128 amount, struct model_liqset *out);
    /* Optional: the account's coll_value and debt_value from sums that
     * finish values (the book's stored ones), as finish gives them, for
     * readers that want the values alone; false where they do not fit 128
     * bits (the caller then takes finish). */
    bool (*values128)(const struct market *m, const struct model_sums128 *sums,
                      u128 *coll_value, u128 *debt_value);
    /* For a tick: sums += term128(amount at p_new) - term128(amount at
     * p_old) for one leg, in place, fused; false, with sums unchanged,
     * where term128 would refuse or a sum would leave 128 bits. */
    bool (*retick128)(const struct market *m, uint8_t asset, bool debt,
                      u128 amount, u128 p_old, u128 p_new,
                      struct model_sums128 *sums);
    /* The fused tick (struct model_tick128): tick128_prep false where
     * the twins cannot serve the move; for additive models, tick128 as
     * retick128 of one leg then finish128, false where either is. */
    bool (*tick128_prep)(struct model_tick128 *t);
    bool (*tick128)(const struct model_tick128 *t, bool debt, u128 amount,
                    bool has_debt, struct model_sums128 *sums,
                    struct model_health128 *out);
    /* tick128's move alone (retick128 of one leg on a prepared move, no
     * finish), for a position of which several legs moved at once: the
     * book moves each, then finishes once. False, with sums unchanged,
     * where retick128 would be. Given wherever tick128 is. */
    bool (*move128)(const struct model_tick128 *t, bool debt, u128 amount,
                    struct model_sums128 *sums);
    /* And the term at the price after alone: sums += term128 of the leg
     * at pn, for a position most of whose legs moved (valued afresh, one
     * term a leg where a move takes two). False, with sums unchanged,
     * where term128 would be or a sum would leave 128 bits. Given
     * wherever tick128 is. */
    bool (*add128)(const struct model_tick128 *t, bool debt, u128 amount,
                   struct model_sums128 *sums);
    /* Models that are not additive may give a twin of account on 128-bit
     * figures instead: legs as asset and amount, ncoll collateral legs
     * first, then ndebt debt legs. Same rule: the same answer or false. */
    bool (*account128)(const struct market *m, const uint8_t *asset,
                       const u128 *amount, unsigned ncoll, unsigned ndebt,
                       const u128 *price, struct model_account128 *out);
    /* For those, on a prepared move (tick128_prep): account128 of the
     * legs at t->price, the same answer, refused in the same cases. */
    bool (*tick_account128)(const struct model_tick128 *t, const uint8_t *asset,
                            const u128 *amount, unsigned ncoll, unsigned ndebt,
                            struct model_account128 *out);
    /* The largest call (liq_call.max) repaying debt leg `debt` against
     * collateral leg `coll`, on 128-bit figures: the same repay, seized,
     * bonus, bad_debt_after and revert as liquidate, or false where a
     * figure passes 128 bits or the twin leaves the case to liquidate. */
    bool (*max_call128)(const struct market *m, const struct position *p,
                        const struct u256 *price, uint8_t debt, uint8_t coll,
                        struct model_call128 *out);
};

const struct model_ops *model_get(enum model_kind kind);

/* The ops of `kind` from now on (NULL: the built-in ones again); the ops
 * in place before are returned. For a model built outside this table
 * (its tests): not for use while a book of that kind is being valued. */
const struct model_ops *model_override(enum model_kind kind,
                                       const struct model_ops *ops);

/* Shortcuts through the market's ops table. */
int model_account(const struct market *m, const struct position *p,
                  const struct u256 *price, struct account *out);
int model_liquidate(const struct market *m, const struct position *p,
                    const struct u256 *price, const struct liq_call *call,
                    struct liq_result *out);

/* ops->balance and ops->apply, or the plain identity and sum/difference
 * where the model has none. */
int model_balance(const struct market *m, uint8_t asset, bool debt,
                  struct u256 stored, struct u256 *out);
int model_apply(const struct market *m, uint8_t asset, bool debt,
                struct u256 stored, struct u256 amount, struct u256 *out);

/* The debt (or collateral) leg of p worth the most at `price`, in base
 * units by the floor of its balance (model_balance) x price, the first of
 * equals: the one preview picks by default (euler-v2: a collateral the
 * vault does not recognize counts 0). 0 for a side without legs. */
uint8_t model_largest_leg(const struct market *m, const struct position *p,
                          bool debt, const struct u256 *price);

/*
 * The gate (design.md 4.1: "paused", "sentinel", "grace period") that
 * stops the call preview makes by default (p's largest debt against its
 * largest collateral, by value), or REVERT_NONE: none does, or p has no
 * debt or no collateral. model_has_gates: whether m carries any gate
 * state at all (else model_gate is REVERT_NONE at no cost).
 */
enum liq_revert model_gate(const struct market *m, const struct position *p,
                           const struct u256 *price);
bool model_has_gates(const struct market *m);
/* The first moment after t (unix s) at which one of m's gates opens (a
 * grace period's end, the sentinel's grace after the sequencer came up),
 * INT64_MAX when none will: a clock that moves past it judges again. */
int64_t model_gate_next(const struct market *m, int64_t t);

/* ops->burn_bound, or plain subtraction where the model has none. */
int model_burn_bound(const struct market *m, uint8_t asset, bool debt,
                     struct u256 stored, struct u256 amount, struct u256 *out);

/* ops->account_after_burn, or model_burn_bound on both legs then the
 * account. */
int model_account_after_burn(const struct market *m, const struct position *p,
                             uint8_t coll, struct u256 k, uint8_t debt,
                             struct u256 d, const struct u256 *price,
                             struct account *out);

/* ops->account_after_repay, or model_apply on the leg then the account. */
int model_account_after_repay(const struct market *m, const struct position *p,
                              uint8_t leg, struct u256 amount,
                              const struct u256 *price, struct account *out);

/* ops->account_after_deposit, or model_apply on the collateral leg then
 * the account. */
int model_account_after_deposit(const struct market *m,
                                const struct position *p, uint8_t leg,
                                struct u256 amount, const struct u256 *price,
                                struct account *out);

/* 100 years of 365 days, the horizon of time_to_liquidation. */
#define MODEL_TTL_HORIZON (100LL * 365 * 86400)

/* ops->time_to_liquidation; LIQ_ENOENT where the model or the market has
 * no interest rates. */
int model_time_to_liquidation(const struct market *m, const struct position *p,
                              const struct u256 *price, int64_t *out);

/* For validate: 0 when msg is NULL; else msg copied into err (cut to
 * errlen, NUL-terminated) and LIQ_EINVAL. */
int model_refuse(const char *msg, char *err, size_t errlen);

/* True when the market's model is additive (term and finish are set). */
bool model_is_additive(const struct market *m);

/* For additive models: the sums over p's legs at `price`, and the account
 * they give (what account() returns). LIQ_EINVAL for other models. */
int model_sums_of(const struct market *m, const struct position *p,
                  const struct u256 *price, struct model_sums *out);
int model_sums_account(const struct market *m, const struct position *p,
                       const struct u256 *price, struct account *out);

/* *sum += vn - vo, where vo is a part of *sum; false, *sum unchanged,
 * when the result leaves 128 bits (for the models' retick128). */
static inline bool
model_sum128_move(u128 *sum, u128 vo, u128 vn)
{
    u128 r = *sum - vo;

    if (vo > *sum || __builtin_add_overflow(r, vn, &r))
        return false;
    *sum = r;
    return true;
}

/*
 * For sums laid out as s[0] collateral value, s[1] the sum of each such
 * value times its factor and s[2] debt value (both Aave models): one leg's
 * value moving from vo to vn, a debt leg's or a collateral leg's with its
 * factor. False, sums unchanged, when a figure leaves 128 bits.
 */
static inline bool
model_sums128_move_leg(struct model_sums128 *sums, bool debt, u128 vo, u128 vn,
                       uint64_t factor)
{
    u128 wo, wn, s0 = sums->s[0], s1 = sums->s[1];

    if (debt)
        return model_sum128_move(&sums->s[2], vo, vn);
    if (!u256_mul128_u64(&wo, vo, factor) ||
        !u256_mul128_u64(&wn, vn, factor) || !model_sum128_move(&s0, vo, vn) ||
        !model_sum128_move(&s1, wo, wn))
        return false;
    sums->s[0] = s0;
    sums->s[1] = s1;
    return true;
}

/* sums += t, or sums -= t (LIQ_EOVERFLOW, or LIQ_ERANGE below zero). */
int model_sums_add(struct model_sums *sums, const struct model_sums *t);
int model_sums_sub(struct model_sums *sums, const struct model_sums *t);

extern const struct model_ops model_aave3_ops;
extern const struct model_ops model_aave4_ops;
extern const struct model_ops model_compound2_ops;
extern const struct model_ops model_morpho_ops;
extern const struct model_ops model_morpho_pre_ops;
extern const struct model_ops model_liquity_ops;
extern const struct model_ops model_comet_ops;
extern const struct model_ops model_spark_ops;

/*
 * compound-v3 (model_comet.c): what Comet's absorb does to the whole
 * position, in base units (price scale) unless named, and the storefront
 * (buyCollateral) price of one collateral. The borrower's legs go whole:
 * every collateral to the protocol, the base debt absorbed.
 */
struct model_comet_absorb {
    bool liquidatable;
    struct u256 coll_value;   /* sum of mulPrice(balance) */
    struct u256 credit_value; /* sum of mulFactor(value, liquidationFactor) */
    struct u256 penalty;      /* coll_value - credit_value: borrower's loss */
    struct u256 debt;         /* base raw units absorbed (present value) */
    struct u256 credit;       /* base raw units: divPrice(credit_value) */
    struct u256 returned;     /* base raw units the borrower then holds */
    struct u256 shortfall;    /* base raw units: debt - credit, when above */
};
int model_comet_absorb(const struct market *m, const struct position *p,
                       const struct u256 *price,
                       struct model_comet_absorb *out);
/* quoteCollateral(asset, base_amount): the collateral raw units
 * buyCollateral sells for base_amount base raw units, and the discounted
 * price it uses (base units per whole asset). LIQ_EDIVZERO at a zero price. */
int model_comet_quote(const struct market *m, const struct u256 *price,
                      uint8_t asset, struct u256 base_amount,
                      struct u256 *discounted, struct u256 *out);
/* Comet's base principal and present value (BASE_INDEX_SCALE 1e15):
 * presentValue of a borrow principal (floor), principalValue of a borrow
 * (ceil); of a supply (floor both ways). */
int model_comet_present(const struct market *m, bool borrow,
                        struct u256 principal, struct u256 *out);
int model_comet_principal(const struct market *m, bool borrow,
                          struct u256 present, struct u256 *out);
extern const struct model_ops model_euler_ops;

#endif
