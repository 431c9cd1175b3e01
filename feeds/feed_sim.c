/*
 * feed_sim.c: the demo's market: seeded random walks for every symbol of
 * the book, with a scripted story (a crash of the main volatile asset, a
 * stablecoin depeg, a recovery) so that a demo shows positions falling
 * into liquidation and climbing out. Deterministic for a seed.
 *
 * Owns one uv_timer. Prices move in integer parts per million; time is a
 * virtual clock (ts advances 250 ms a step from a fixed epoch), so a
 * bounded run (headless --until-end) is byte-identical every time.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/liq.h"
#include "feeds/feed.h"

#define SIM_STEP_MS 250
#define SIM_EPOCH_MS 1732400000000LL
#define SIM_STORY_STEPS 240 /* the story repeats every minute live */
#define SIM_CRASH_FROM 40
#define SIM_CRASH_TO 50

struct sim_sym {
    char symbol[SYMBOL_MAX];
    struct u256 start;
    struct u256 price;
    bool stable;
};

struct sim {
    uv_timer_t timer;
    uint64_t seed;
    uint64_t rng;
    uint32_t step;
    uint32_t steps; /* 0: unbounded */
    bool bounded;
    size_t n;
    struct sim_sym *sym;
    bool inited;       /* the timer handle exists */
    int crash;         /* index of the asset that crashes, -1 none */
    int depeg;         /* index of the stablecoin that depegs, -1 none */
    char story[3][64]; /* the chapters' names, f->story points at one */
};

static uint64_t
sim_rand(struct sim *s)
{
    s->rng ^= s->rng >> 12;
    s->rng ^= s->rng << 25;
    s->rng ^= s->rng >> 27;
    return s->rng * 2685821657736338717ULL;
}

static bool
sim_is_stable(const char *sym)
{
    static const char *const stables[] = {"USDC", "USDT", "DAI",  "GHO",
                                          "FRAX", "LUSD", "USDe", "BOLD"};

    for (size_t i = 0; i < sizeof(stables) / sizeof(stables[0]); i++) {
        if (strcmp(sym, stables[i]) == 0)
            return true;
    }
    return false;
}

/* price * (1e6 + ppm) / 1e6 */
static struct u256
sim_scale(struct u256 p, int64_t ppm)
{
    struct u256 r = p;
    uint64_t f = (uint64_t)(1000000 + ppm);

    (void)u256_muldiv(&r, p, u256_from_u64(f), u256_from_u64(1000000),
                      U256_FLOOR);
    return u256_is_zero(r) ? u256_from_u64(1) : r;
}

/*
 * The story, in steps of the repeating script: 40..50 the crash asset falls
 * 0.8 % a step (about -8 %: deep enough to move positions across tiers,
 * shallow enough that most of those it makes liquidatable can still be
 * brought back to health by a partial call), 100..106 the stablecoin loses
 * 0.6 % a step, 140..200 both drift back toward where they started.
 */
static int64_t
sim_story_ppm(const struct sim *s, size_t i, uint32_t t)
{
    if ((int)i == s->crash && t >= SIM_CRASH_FROM && t < SIM_CRASH_TO)
        return -8000;
    if ((int)i == s->depeg && t >= 100 && t < 106)
        return -6000;
    if (t >= 140 && t < 200 && ((int)i == s->crash || (int)i == s->depeg)) {
        /* Close 1/20 of the gap to the starting price each step. */
        struct u256 gap;

        if (u256_lt(s->sym[i].price, s->sym[i].start) &&
            u256_sub(&gap, s->sym[i].start, s->sym[i].price) == 0) {
            struct u256 ppm = u256_zero();

            (void)u256_muldiv(&ppm, gap, u256_from_u64(50000), s->sym[i].price,
                              U256_FLOOR);
            return u256_fits_u64(ppm) && u256_to_u64(ppm) < 100000
                       ? (int64_t)u256_to_u64(ppm)
                       : 100000;
        }
    }
    return 0;
}

/* The chapter at story step t, for the dashboard's event log. */
static const char *
sim_chapter(const struct sim *s, uint32_t t)
{
    if (t >= SIM_CRASH_FROM && t < SIM_CRASH_TO && s->crash >= 0)
        return s->story[0];
    if (t >= 100 && t < 106 && s->depeg >= 0)
        return s->story[1];
    if (t >= 140 && t < 200 && (s->crash >= 0 || s->depeg >= 0))
        return s->story[2];
    return NULL;
}

static void
sim_step(struct feed *f, struct sim *s)
{
    uint32_t t = s->step % SIM_STORY_STEPS;
    int64_t ts = SIM_EPOCH_MS + (int64_t)s->step * SIM_STEP_MS;

    f->story = sim_chapter(s, t);
    for (size_t i = 0; i < s->n; i++) {
        struct price_update u;
        /* Volatile assets walk +-0.3 % a step, stablecoins +-0.01 %. */
        int64_t span = s->sym[i].stable ? 100 : 3000;
        int64_t ppm = (int64_t)(sim_rand(s) % (uint64_t)(2 * span + 1)) - span;

        ppm += sim_story_ppm(s, i, t);
        s->sym[i].price = sim_scale(s->sym[i].price, ppm);
        memset(&u, 0, sizeof(u));
        memcpy(u.symbol, s->sym[i].symbol, sizeof(u.symbol));
        u.price_e18 = s->sym[i].price;
        u.has_ts = true;
        u.ts_ms = ts;
        f->cbs.update(f->cbs.arg, f, &u);
    }
    s->step++;
}

static void
sim_timer_cb(uv_timer_t *t)
{
    struct feed *f = t->data;
    struct sim *s = f->impl;

    if (s->bounded) {
        /* As fast as possible, a slice per loop turn. */
        for (int k = 0; k < 64 && s->step < s->steps; k++)
            sim_step(f, s);
        if (s->step >= s->steps) {
            uv_timer_stop(&s->timer);
            feed_set_state(f, FEED_ENDED);
        }
        return;
    }
    sim_step(f, s);
}

static int
sim_start(struct feed *f)
{
    struct sim *s = f->impl;
    int rc = uv_timer_init(f->loop, &s->timer);

    if (rc != 0)
        return rc;
    s->inited = true;
    s->timer.data = f;
    feed_set_state(f, FEED_LIVE);
    if (s->n == 0) {
        feed_set_state(f, FEED_ENDED);
        return 0;
    }
    return uv_timer_start(&s->timer, sim_timer_cb, s->bounded ? 0 : 1,
                          s->bounded ? 1 : SIM_STEP_MS);
}

static void
sim_stop(struct feed *f)
{
    struct sim *s = f->impl;

    if (s->inited && !uv_is_closing((uv_handle_t *)&s->timer))
        uv_close((uv_handle_t *)&s->timer, NULL);
}

static void
sim_free(struct feed *f)
{
    struct sim *s = f->impl;

    if (s != NULL)
        free(s->sym);
    free(s);
}

static const struct feed_ops feed_sim_ops = {
    .name = "sim",
    .start = sim_start,
    .stop = sim_stop,
    .free = sim_free,
};

int
feed_sim_new(struct feed *f, const char *arg, const struct feed_env *env,
             char *err, size_t errlen)
{
    struct sim *s;
    char *end = NULL;
    unsigned long long seed = 1;

    if (*arg != '\0') {
        seed = strtoull(arg, &end, 10);
        if (end == arg || *end != '\0') {
            snprintf(err, errlen, "--feed sim:%s: the seed must be an integer",
                     arg);
            return LIQ_EINVAL;
        }
    }
    s = calloc(1, sizeof(*s));
    if (s == NULL)
        liq_nomem();
    s->seed = seed;
    s->rng = seed * 0x9e3779b97f4a7c15ULL + 0x2545f4914f6cdd1dULL;
    if (s->rng == 0)
        s->rng = 1;
    s->bounded = env->bounded;
    s->steps = env->bounded ? (env->sim_steps ? env->sim_steps : 600) : 0;
    s->n = env->nsymbols;
    s->sym = calloc(s->n ? s->n : 1, sizeof(*s->sym));
    if (s->sym == NULL)
        liq_nomem();
    s->crash = s->depeg = -1;
    for (size_t i = 0; i < s->n; i++) {
        memcpy(s->sym[i].symbol, env->symbols[i].symbol, SYMBOL_MAX);
        s->sym[i].start = s->sym[i].price = env->symbols[i].price_e18;
        s->sym[i].stable = sim_is_stable(s->sym[i].symbol);
        if (s->sym[i].stable && s->depeg < 0)
            s->depeg = (int)i;
        /* The crash hits WETH if listed, else the first volatile asset. */
        if (!s->sym[i].stable &&
            (strcmp(s->sym[i].symbol, "WETH") == 0 || s->crash < 0)) {
            if (s->crash < 0 || strcmp(s->sym[i].symbol, "WETH") == 0)
                s->crash = (int)i;
        }
    }
    snprintf(s->story[0], sizeof(s->story[0]), "crash: %s falls about 8 %%",
             s->crash >= 0 ? s->sym[s->crash].symbol : "-");
    snprintf(s->story[1], sizeof(s->story[1]), "depeg: %s slips about 3.5 %%",
             s->depeg >= 0 ? s->sym[s->depeg].symbol : "-");
    snprintf(s->story[2], sizeof(s->story[2]), "recovery: prices drift back");
    f->ops = &feed_sim_ops;
    f->impl = s;
    return 0;
}
