// tests/contracts/morpho.mjs: Morpho Blue (npm @morpho-org/morpho-blue
// 1.0.0) deployed on anvil with an oracle and an IRM of our own, markets
// of 6, 8 and 18 decimal tokens, a borrower a market opened by real
// transactions; for each position liqtop's preview against Morpho's own
// liquidate, called from a snapshot and reverted after: repay, seized,
// health after (from the chain state after), max_repay (one raw unit more
// must revert), repay_to_target (one raw unit less must revert or fall
// short), and the revert reason.
//
//   node tests/contracts/morpho.mjs [--cases N]     seed from LIQ_SEED
//
// LIQ_CONTRACTS_OMIT="repay 0,..." leaves those checks out.
// LIQ_CONTRACTS_STATE=1: interest (a nonzero IRM rate and a market fee),
// two or three borrowers a market, time passing; the portfolio then holds
// design.md 3.1's market "state", "oracle_price", position "borrow_shares"
// and "as_of", read from market() and position().
// Prints TAP lines (one a call checked) and, last, "N passed, N failed".
import * as L from './lib.mjs';

const { fmt, toRaw, WAD } = L;
const args = process.argv.slice(2);
const opt = (name, dflt) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : dflt;
};
const NCASES = Number(opt('--cases', '200'));
const STATE = process.env.LIQ_CONTRACTS_STATE === '1';
const seed = L.seedFromEnv();
const rng = new L.Rng(seed);
const out = L.top + '/build/contracts/morpho/out';
const ORACLE_SCALE = 10n ** 36n;
const VIRTUAL_SHARES = 1000000n;
const LLTVS = ['0.385', '0.5', '0.625', '0.77', '0.86', '0.915', '0.945', '0.965', '0.98'].map((s) => toRaw(s, 18));

console.log(`# morpho-blue 1.0.0: seed ${seed}, ${NCASES} cases${STATE ? ', with interest and market state' : ''}`);

const toSharesDown = (a, ta, ts) => (a * (ts + VIRTUAL_SHARES)) / (ta + 1n);
const toAssetsUp = (s, ta, ts) => L.divUp(s * (ta + 1n), ts + VIRTUAL_SHARES);

const tap = new L.Tap();
let stateAsOf = null; // state mode: the block time every figure is taken at
let node;

async function main() {
    const owner = await node.account();
    const liquidator = await node.account();
    const supplier = await node.account();
    const borrower = await node.account();
    const morpho = await L.deploy(node, owner, L.artifact(out + '/Morpho.sol/Morpho.json'), [owner]);
    const irm = await L.deploy(node, owner, L.artifact(out + '/Mocks.sol/FixedRateIrm.json'));
    const oracle = await L.deploy(node, owner, L.artifact(out + '/Mocks.sol/FixedOracle.json'));
    const tokArt = L.artifact(out + '/Mocks.sol/TestToken.json');
    const tokens = {};
    for (const d of [6, 8, 18]) {
        const t = await L.deploy(node, owner, tokArt, [`T${d}`, d]);
        tokens[d] = t;
        await t.send(liquidator, 'mint', liquidator, 1n << 200n);
        for (const who of [liquidator, supplier, borrower]) await t.send(who, 'approve', morpho.address, L.UINT256_MAX);
    }
    await morpho.send(owner, 'enableIrm', irm.address);
    for (const l of LLTVS) await morpho.send(owner, 'enableLltv', l);

    const ctx = { morpho, oracle, irm, tokens, liquidator, supplier, borrower, owner };
    for (let i = 0; i < NCASES; i++) {
        const s0 = await node.snapshot();
        try {
            await oneCase(ctx, i);
        } catch (e) {
            tap.report(`morpho case ${i}: setup`, [['error', e.message, '']]);
        }
        await node.revert(s0);
    }
}

function oraclePrice(pc, cd, pl, ld) {
    return (pc * 10n ** BigInt(36 + ld - cd)) / pl;
}

async function oneCase(ctx, i) {
    const { morpho, oracle, irm, tokens, supplier, borrower } = ctx;
    const decs = [6, 8, 18];
    const cd = rng.pick(decs);
    const ld = rng.pick(decs.filter((d) => d !== cd));
    const lltv = rng.pick(LLTVS);
    const pl = rng.big(50000000n, 200000000n); // 0.5 to 2 base units
    const pc = rng.logBig(1000000n, 10000000000000n); // 0.01 to 100,000
    const price = oraclePrice(pc, cd, pl, ld);
    if (price === 0n) return;
    const value = rng.logBig(100000000n, 1000000000000000n); // $1 to $10M
    let coll = (value * 10n ** BigInt(cd)) / pc;
    if (coll === 0n) coll = 1n;
    // LTV from half the LLTV to 1.3: healthy, liquidatable, health-lowering, bad debt
    const kind = rng.int(0, 3);
    const ltv = kind === 0 ? rng.big(lltv / 2n, lltv)
        : kind === 3 ? rng.big(lltv, (13n * WAD) / 10n) : rng.big(lltv, lltv + (WAD - lltv) / 3n);
    let debt = (((coll * price) / ORACLE_SCALE) * ltv) / WAD;
    if (debt === 0n) debt = 1n;
    const params = [tokens[ld].address, tokens[cd].address, oracle.address, irm.address, lltv];

    await oracle.send(supplier, 'setPrice', price * 4n);
    await irm.send(supplier, 'setRate', STATE ? rng.big(0n, 3000000000n) : 0n);
    await morpho.send(supplier, 'createMarket', params);
    if (STATE) await morpho.send(ctx.owner, 'setFee', params, rng.big(0n, WAD / 4n));
    // Other borrowers first (state mode): the market's shares are no longer
    // one a millionth of an asset.
    const others = STATE ? rng.int(1, 4) : 0;
    for (let k = 0; k <= others; k++) {
        const who = k === others ? borrower : await node.account();
        const c = k === others ? coll : rng.logBig(1n, coll * 10n);
        const b = k === others ? debt : (((c * price) / ORACLE_SCALE) * rng.big(0n, lltv)) / WAD;
        await tokens[cd].send(who, 'mint', who, c);
        await tokens[cd].send(who, 'approve', morpho.address, L.UINT256_MAX);
        await morpho.send(who, 'supplyCollateral', params, c, who, '0x');
        await tokens[ld].send(supplier, 'mint', supplier, b * 2n + 1n);
        await morpho.send(supplier, 'supply', params, b * 2n + 1n, 0n, supplier, '0x');
        if (b > 0n) await morpho.send(who, 'borrow', params, b, 0n, who, who);
        if (STATE) await node.mine(rng.int(1, 30 * 86400));
    }
    await oracle.send(supplier, 'setPrice', price);

    const id = L.keccak256(L.AbiCoder.defaultAbiCoder().encode(['address', 'address', 'address', 'address', 'uint256'], params));
    let asOf = null, stored = null;
    if (STATE) {
        asOf = (await node.timestamp()) + BigInt(rng.int(1, 365 * 86400));
        await node.rpc('evm_mine', [{ timestamp: Number(asOf) }]);
        ctx.asOf = asOf;
        stateAsOf = asOf;
        stored = await morpho.call('market', id);
    }
    const chain = await readState(morpho, id, borrower, price, lltv, params);
    const portfolio = {
        markets: [{
            id: 'morpho', model: 'morpho-blue', base_decimals: 8,
            assets: [
                { symbol: 'COLL', decimals: cd, liquidation_threshold: fmt(lltv, 18) },
                { symbol: 'LOAN', decimals: ld, liquidation_threshold: fmt(lltv, 18) },
            ],
        }],
        prices: { COLL: fmt(pc, 8), LOAN: fmt(pl, 8) },
        positions: [{
            id: 'b', market: 'morpho',
            collateral: { COLL: fmt(chain.coll, cd) }, debt: { LOAN: fmt(chain.borrowed, ld) },
        }],
    };
    if (STATE) {
        const rate = await irm.call('rate');
        portfolio.as_of = Number(asOf);
        portfolio.markets[0].oracle_price = price.toString();
        portfolio.markets[0].state = {
            total_supply_assets: stored[0].toString(), total_supply_shares: stored[1].toString(),
            total_borrow_assets: stored[2].toString(), total_borrow_shares: stored[3].toString(),
            last_update: Number(stored[4]), fee: fmt(stored[5], 18), borrow_rate: fmt(rate, 18),
        };
        delete portfolio.positions[0].debt;
        portfolio.positions[0].borrow_shares = chain.shares.toString();
    }
    const file = L.writePortfolio(`morpho-${i}.json`, portfolio);
    const desc = `coll ${cd} dec, loan ${ld} dec, lltv ${fmt(lltv, 18)}, collateral ${chain.coll}, debt ${chain.borrowed}, oracle ${price}`;
    const name = (what) => `morpho case ${i} (${cd}/${ld} dec, lltv ${fmt(lltv, 18)}): ${what}`;
    const preview = (extra) => {
        const r = L.runLiqtop(['preview', file, '--position', 'b', '--format', 'json', ...extra]);
        if (r.status !== 0) throw new Error(`liqtop preview ${extra.join(' ')}: exit ${r.status}: ${r.stderr.trim()}`);
        return r.json;
    };

    const base = preview([]);
    const d = new L.Diffs();
    d.eq('health_factor', base.health_factor, chain.hf === null ? null : fmt(chain.hf, 18));
    d.eq('liquidatable', base.liquidatable, chain.borrowed > chain.maxBorrow);
    const M = toRaw(base.max_repay, ld);
    // max_repay is accepted, and one raw unit more is not.
    const atMax = await liquidate(ctx, params, id, price, lltv, M);
    const overMax = await liquidate(ctx, params, id, price, lltv, M + 1n);
    if (base.liquidatable && atMax.revert) d.fail('max_repay accepted', `${M} accepted`, `reverts: ${atMax.revert}`);
    if (base.liquidatable && !overMax.revert && M + 1n <= chain.borrowed * 2n) d.fail('max_repay + 1 reverts', `${M + 1n} over the maximum`, 'accepted');
    tap.report(name('health before and max_repay'), d.list, desc);

    const checks = [['max_repay', null]];
    checks.push(['random repay', rng.int(0, 1) ? rng.big(1n, chain.borrowed) : rng.logBig(1n, chain.borrowed)]);
    checks.push(['repay 0', 0n]);
    checks.push(['max_repay + 1', M + 1n]);
    const target = rng.pick(['1', '1', '1.05', '1.2']);
    const tp = preview(['--target-health', target]);
    if (tp.repay_to_target !== null) {
        const T = toRaw(tp.repay_to_target, ld);
        checks.push([`repay_to_target ${target}`, T, target]);
        if (T > 0n) checks.push([`repay_to_target ${target} - 1`, T - 1n, target, true]);
        // Least over every accepted call: a smaller one must not reach.
        if (M < T) checks.push([`repay_to_target ${target} is least: max_repay`, M, target, true]);
        if (T > 2n) checks.push([`repay_to_target ${target} is least: smaller`, rng.big(1n, T - 2n), target, true]);
    }
    for (const [what, R, tgt, below] of checks) {
        if (L.omitted(what)) continue;
        const j = R === null ? base : preview(['--repay', fmt(R, ld)]);
        const c = await liquidate(ctx, params, id, price, lltv, R === null ? M : R);
        const d2 = new L.Diffs();
        compare(d2, j, c, ld, cd);
        if (tgt !== undefined) {
            const tw = toRaw(tgt, 18);
            const reaches = !c.revert && (c.hfAfter === null || c.hfAfter >= tw);
            if (!below && !reaches) d2.fail(`reaches target ${tgt}`, 'yes', c.revert ? `reverts: ${c.revert}` : `health after ${fmt(c.hfAfter, 18)}`);
            if (below && reaches) d2.fail(`a smaller repay falls short of ${tgt}`, "falls short", `health after ${c.hfAfter === null ? 'no debt' : fmt(c.hfAfter, 18)}`);
        }
        tap.report(name(`${what}${R === null ? '' : ' ' + R}`), d2.list, desc);
    }
}

// The figures of Morpho's _isHealthy from the chain's state, interest
// accrued to the latest block (state mode: accrueInterest from a snapshot).
async function readState(morpho, id, borrower, price, lltv, params) {
    let s1 = null;
    if (STATE && params) {
        s1 = await node.snapshot();
        await node.rpc('evm_setNextBlockTimestamp', [Number(stateAsOf)]);
        await morpho.send(borrower, 'accrueInterest', params);
    }
    const m = await morpho.call('market', id);
    const p = await morpho.call('position', id, borrower);
    if (s1 !== null) await node.revert(s1);
    const tba = m[2], tbs = m[3];
    const borrowed = toAssetsUp(p[1], tba, tbs);
    const coll = p[2];
    const maxBorrow = (((coll * price) / ORACLE_SCALE) * lltv) / WAD;
    const hf = borrowed === 0n ? null : (maxBorrow * WAD) / borrowed;
    return { tba, tbs, shares: p[1], coll, borrowed, maxBorrow, hf };
}

// liquidate by repaidShares = toSharesDown(repay) from a snapshot: what
// the call returns and the position's health after, or the revert.
async function liquidate(ctx, params, id, price, lltv, repay) {
    const { morpho, liquidator, borrower } = ctx;
    const st = await readState(morpho, id, borrower, price, lltv, params);
    const shares = toSharesDown(repay, st.tba, st.tbs);
    const r = await morpho.tryCall(liquidator, 'liquidate', params, borrower, 0n, shares, '0x');
    if (!r.ok) {
        let reason = r.revert;
        if (reason === 'panic 0x11') reason = shares > st.shares ? 'panic 0x11 (borrow shares)' : 'panic 0x11 (collateral)';
        return { revert: reason, shares };
    }
    const s1 = await node.snapshot();
    if (STATE) await node.rpc('evm_setNextBlockTimestamp', [Number(ctx.asOf)]);
    await morpho.send(liquidator, 'liquidate', params, borrower, 0n, shares, '0x');
    const after = await readState(morpho, id, borrower, price, lltv);
    await node.revert(s1);
    return { revert: null, shares, seized: r.result[0], repaid: r.result[1], hfAfter: after.hf, after };
}

const REASONS = {
    'position is healthy': 'not liquidatable',
    'inconsistent input': 'nothing to repay',
    'panic 0x11 (borrow shares)': 'too much repay',
    'panic 0x11 (collateral)': 'insufficient collateral',
    'max uint128 exceeded': 'too much repay',
};

function compare(d, j, c, ld, cd) {
    const want = c.revert ? REASONS[c.revert] || c.revert : null;
    d.eq('reverts', j.reverts, want);
    if (c.revert || j.reverts) return;
    d.eq('repay', j.repay, fmt(c.repaid, ld));
    d.eq('collateral_seized', j.collateral_seized, fmt(c.seized, cd));
    d.eq('liquidator_receives', j.liquidator_receives, fmt(c.seized, cd));
    d.eq('protocol_fee', j.protocol_fee, '0');
    d.eq('health_factor_after', j.health_factor_after, c.hfAfter === null ? null : fmt(c.hfAfter, 18));
}

node = await L.Node.start();
try {
    await main();
} finally {
    node.stop();
}
console.log(`${tap.passed} passed, ${tap.failed} failed`);
process.exit(tap.failed === 0 ? 0 : 1);
