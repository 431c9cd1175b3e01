// tests/contracts/aave.mjs: an Aave v3 pool deployed on anvil from the npm
// packages, v3.6 (@aave-dao/aave-v3-origin 3.6.0, compiled by forge) or
// v3.0.2 (@aave/core-v3 1.19.3, its own compiled artifacts), with five
// reserves of 6, 8 and 18 decimals, an oracle of our own and zero interest
// rates (indexes stay 1).  Each case opens positions by real supply and
// borrow transactions from several accounts, moves prices, and compares,
// for each account, getUserAccountData's health factor with liqtop
// snapshot's to the wei, and liqtop preview with liquidationCall from a
// snapshot (reverted after): debt repaid, collateral seized, liquidator's
// part, protocol fee, health after, revert reason, max_repay (and
// type(uint256).max), repay_to_target (one raw unit less must revert or
// fall short).
//
//   node tests/contracts/aave.mjs --version 3.6|3.0 [--cases N]
//
// Seed from LIQ_SEED (printed); LIQ_CONTRACTS_OMIT leaves checks out.
// LIQ_CONTRACTS_STATE=1: nonzero rates and reserve factors, time passing
// between the transactions and up to as_of, an eMode category, disabled
// collaterals, a paused reserve, a grace period (3.6); the portfolio then
// holds design.md 3.1's fields read from the chain: as_of,
// liquidity_index, variable_borrow_index, their rates and last_update
// (getReserveData), scaled_collateral and scaled_debt (scaledBalanceOf),
// emode_categories and the position's emode (getUserEMode),
// collateral_disabled (getUserConfiguration), paused,
// liquidation_grace_until; every call is made at as_of.
// Prints TAP lines and, last, "N passed, N failed".
import * as L from './lib.mjs';
import * as D from './aave_deploy.mjs';

const { fmt, toRaw, WAD } = L;
const args = process.argv.slice(2);
const opt = (name, dflt) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : dflt;
};
const VERSION = opt('--version', '3.6');
const NCASES = Number(opt('--cases', '100'));
const STATE = process.env.LIQ_CONTRACTS_STATE === '1';
const seed = L.seedFromEnv();
const rng = new L.Rng(seed);
const tap = new L.Tap();
// What the cases met, printed at the end: states and the contract's answers.
const seen = {};
const tally = (k) => (seen[k] = (seen[k] || 0) + 1);
const abi = L.AbiCoder.defaultAbiCoder();
const ZERO = '0x0000000000000000000000000000000000000000';
const RESERVES = [['A6', 6], ['B8', 8], ['C18', 18], ['D18', 18], ['E6', 6]];
let node;

console.log(`# aave-v3 ${VERSION === '3.0' ? '3.0.2 (@aave/core-v3 1.19.3)' : '3.6 (@aave-dao/aave-v3-origin 3.6.0)'}: seed ${seed}, ${NCASES} cases${STATE ? ', with reserve and user state' : ''}`);

const { art30 } = D;
const deployAave = (owner, treasury) => D.deployAave(node, VERSION, owner, treasury, RESERVES);

// Random risk parameters within the configurator's rules.
function riskParams() {
    const lt = BigInt(rng.int(5000, 9500));
    const ltv = lt - BigInt(rng.int(0, 700));
    const maxBonus = (10000n * 10000n) / lt; // percentMul(lt, bonus) <= 100 %
    const bonus = BigInt(rng.int(10010, Number(maxBonus < 11500n ? maxBonus : 11500n)));
    const fee = BigInt(rng.pick([0, 1000, rng.int(0, 3000)]));
    return { ltv, lt, bonus, fee };
}

async function main() {
    const owner = await node.account();
    const treasury = await node.account();
    const liquidator = await node.account();
    const supplier = await node.account();
    const A = await deployAave(owner, treasury);
    for (const r of A.reserves) {
        await r.token.send(liquidator, 'mint', liquidator, 1n << 200n);
        await r.token.send(liquidator, 'approve', A.pool.address, L.UINT256_MAX);
        const liq = 10n ** BigInt(r.dec + 13);
        await r.token.send(supplier, 'mint', supplier, liq);
        await r.token.send(supplier, 'approve', A.pool.address, L.UINT256_MAX);
        await A.oracle.send(owner, 'setAssetPrice', r.token.address, 100000000n);
        await A.pool.send(supplier, 'supply', r.token.address, liq, supplier, 0);
    }
    const ctx = { ...A, owner, treasury, liquidator };
    for (let i = 0; i < NCASES; i++) {
        const s0 = await node.snapshot();
        try {
            await oneCase(ctx, i);
        } catch (e) {
            tap.report(`aave ${VERSION} case ${i}: setup`, [['error', e.message, '']]);
        }
        await node.revert(s0);
    }
}

async function oneCase(ctx, i) {
    const { pool, conf, oracle, reserves, owner } = ctx;
    for (const r of reserves) {
        r.risk = riskParams();
        await conf.send(owner, 'configureReserveAsCollateral', r.token.address, r.risk.ltv, r.risk.lt, r.risk.bonus);
        await conf.send(owner, 'setLiquidationProtocolFee', r.token.address, r.risk.fee);
        r.p0 = rng.logBig(1000000n, 10000000000000n); // 0.01 to 100,000 base units
        await oracle.send(owner, 'setAssetPrice', r.token.address, r.p0);
        if (STATE) await stateRates(ctx, r);
    }
    const emode = STATE && rng.int(0, 1) ? await stateEmode(ctx) : null;
    const nusers = rng.int(1, 4);
    const users = [];
    for (let u = 0; u < nusers; u++) {
        const user = await node.account();
        const idx = [0, 1, 2, 3, 4].sort(() => Number(rng.next64() & 1n) * 2 - 1);
        const nc = rng.int(1, 3), nd = rng.int(1, Math.min(2, 5 - nc));
        const colls = idx.slice(0, nc).map((k) => reserves[k]);
        const debts = idx.slice(nc, nc + nd).map((k) => reserves[k]);
        const inEmode = emode !== null && debts.every((r) => emode.members.includes(r)) && rng.int(0, 1) === 1;
        if (inEmode) await pool.send(user, 'setUserEMode', 1);
        const powers = [];
        for (const r of colls) {
            const value = rng.logBig(1000000000n, 500000000000000n); // $10 to $5M
            let amt = (value * 10n ** BigInt(r.dec)) / r.p0;
            if (amt === 0n) amt = 1n;
            await r.token.send(user, 'mint', user, amt);
            await r.token.send(user, 'approve', pool.address, L.UINT256_MAX);
            await pool.send(user, 'supply', r.token.address, amt, user, 0);
            powers.push((((amt * r.p0) / 10n ** BigInt(r.dec)) * r.risk.ltv) / 10000n);
        }
        if (STATE && colls.length > 1 && rng.int(0, 2) === 0) {
            await pool.send(user, 'setUserUseReserveAsCollateral', colls[colls.length - 1].token.address, false);
            powers.pop();
        }
        const power = powers.reduce((a, b) => a + b, 0n);
        const f = rng.big(600n, 990n);
        for (const r of colls) r.use = (r.use || 0) + 1;
        for (const r of debts) r.use = (r.use || 0) - 1;
        for (const r of debts) {
            const part = (power * f) / 1000n / BigInt(debts.length);
            const amt = (part * 10n ** BigInt(r.dec)) / r.p0;
            if (amt === 0n) continue;
            await pool.send(user, 'borrow', r.token.address, amt, 2, 0, user);
        }
        users.push(user);
        if (STATE) await node.mine(rng.int(3600, 60 * 86400));
    }
    // Prices move against the positions: mostly-collateral reserves down,
    // mostly-debt reserves up, so that many are liquidatable.
    for (const r of reserves) {
        r.p1 = (r.p0 * ((r.use || 0) >= 0 ? rng.big(700n, 1020n) : rng.big(980n, 1400n))) / 1000n;
        r.use = 0;
        if (r.p1 === 0n) r.p1 = 1n;
        await oracle.send(owner, 'setAssetPrice', r.token.address, r.p1);
    }
    if (STATE) {
        if (rng.int(0, 7) === 0) await conf.send(owner, 'setReservePause(address,bool)', rng.pick(reserves).token.address, true);
        // as_of up to a year on, or within hours (grace periods are at most 4 h)
        const gap = rng.int(0, 1) ? rng.int(1, 365 * 86400) : rng.int(1, 8 * 3600);
        if (VERSION !== '3.0' && rng.int(0, 3) === 0)
            await conf.send(owner, 'setReservePause(address,bool,uint40)', rng.pick(reserves).token.address, false, rng.int(1, 4 * 3600));
        ctx.asOf = Number(await node.timestamp()) + gap;
        await node.rpc('evm_mine', [{ timestamp: ctx.asOf }]);
    }

    // The portfolio as liqtop reads it, from the chain.
    const positions = [];
    for (const user of users) {
        const p = { id: user.toLowerCase(), market: 'aave', collateral: {}, debt: {} };
        for (const r of reserves) {
            const c = await r.aToken.call('balanceOf', user);
            const d = await r.vToken.call('balanceOf', user);
            if (c > 0n) p.collateral[r.sym] = fmt(c, r.dec);
            if (d > 0n) p.debt[r.sym] = fmt(d, r.dec);
        }
        positions.push(p);
    }
    const written = STATE ? await statePositions(ctx, users) : positions;
    const portfolio = {
        markets: [{
            id: 'aave', model: 'aave-v3', version: VERSION, base_decimals: 8,
            assets: reserves.map((r) => ({
                symbol: r.sym, decimals: r.dec, ltv: fmt(r.risk.ltv, 4), liquidation_threshold: fmt(r.risk.lt, 4),
                liquidation_bonus: fmt(r.risk.bonus - 10000n, 4), protocol_fee: fmt(r.risk.fee, 4),
            })),
        }],
        prices: Object.fromEntries(reserves.map((r) => [r.sym, fmt(r.p1, 8)])),
        positions: written,
    };
    if (STATE) await stateMarket(ctx, portfolio, emode);
    for (const p of written) {
        tally('positions');
        if (p.emode) tally('positions in eMode');
        if (p.collateral_disabled) tally('positions with a disabled collateral');
    }
    for (const a of portfolio.markets[0].assets) {
        if (a.paused) tally('paused reserves');
        if (a.liquidation_grace_until) tally(a.liquidation_grace_until >= ctx.asOf ? 'reserves in a grace period' : 'reserves past a grace period');
    }
    const file = L.writePortfolio(`aave-${VERSION}-${i}.json`, portfolio);
    const snap = L.runLiqtop(['snapshot', file, '--format', 'json']);
    if (snap.status !== 0) throw new Error(`liqtop snapshot: exit ${snap.status}: ${snap.stderr.trim()}`);
    const hfOf = Object.fromEntries(snap.json.positions.map((p) => [p.id, p.health_factor]));

    for (let u = 0; u < users.length; u++) {
        const user = users[u];
        const pos = positions[u];
        const name = (what) => `aave ${VERSION} case ${i} user ${u}: ${what}`;
        const desc = `collateral ${JSON.stringify(pos.collateral)} debt ${JSON.stringify(pos.debt)}`;
        const acct = await pool.call('getUserAccountData', user);
        const chainHf = acct[5] === L.UINT256_MAX ? null : fmt(acct[5], 18);
        const d = new L.Diffs();
        d.eq('health_factor', hfOf[pos.id], chainHf);
        tap.report(name('health factor'), d.list, desc);
        if (Object.keys(pos.debt).length === 0) continue;

        const preview = (extra) => {
            const r = L.runLiqtop(['preview', file, '--position', pos.id, '--format', 'json', ...extra]);
            if (r.status !== 0) throw new Error(`liqtop preview ${extra.join(' ')}: exit ${r.status}: ${r.stderr.trim()}`);
            return r.json;
        };
        const bySym = (s) => reserves.find((r) => r.sym === s);
        const base = preview([]);
        const checks = [];
        const pairs = [[base.debt_asset, base.collateral_asset]];
        const ds = Object.keys(pos.debt), cs = Object.keys(pos.collateral);
        const other = [rng.pick(ds), rng.pick(cs)];
        if (other[0] !== pairs[0][0] || other[1] !== pairs[0][1]) pairs.push(other);
        for (const [ds1, cs1] of pairs) {
            const dr = bySym(ds1), cr = bySym(cs1);
            const sel = ['--debt', ds1, '--collateral', cs1];
            const j = preview(sel);
            const M = toRaw(j.max_repay, dr.dec);
            const owed = toRaw(pos.debt[ds1], dr.dec);
            // At the collateral cap max_repay is the least debtToCover the
            // pool caps (the call repays less than it names): a check of
            // its own name.
            const capped = j.collateral_seized === pos.collateral[cs1];
            checks.push([capped ? 'max_repay at the collateral cap' : 'max_repay', M, dr, cr, sel, j]);
            checks.push(['type(uint256).max', L.UINT256_MAX, dr, cr, sel, j]);
            checks.push(['max_repay + 1', M + 1n, dr, cr, sel]);
            checks.push(['random repay', rng.int(0, 1) ? rng.big(1n, owed) : rng.logBig(1n, owed), dr, cr, sel]);
            checks.push(['repay 0', 0n, dr, cr, sel]);
            const target = rng.pick(['1', '1', '1.05', '1.2']);
            const tp = preview([...sel, '--target-health', target]);
            if (tp.repay_to_target !== null) {
                const T = toRaw(tp.repay_to_target, dr.dec);
                // The call is made by its debt to cover (a capped call repays
                // less than it names); one raw unit less of the repay, named
                // as the cover, must revert or fall short.
                const C = toRaw(tp.cover_to_target, dr.dec);
                checks.push([`repay_to_target ${target}`, C, dr, cr, sel, null, target]);
                if (T > 0n) checks.push([`repay_to_target ${target} - 1`, T - 1n, dr, cr, sel, null, target, true]);
                // Least over every accepted call: a smaller one must not reach
                // (max_repay and a random repay below).
                if (M < T) checks.push([`repay_to_target ${target} is least: max_repay`, M, dr, cr, sel, null, target, true]);
                if (T > 2n) checks.push([`repay_to_target ${target} is least: smaller`, rng.big(1n, T - 2n), dr, cr, sel, null, target, true]);
            }
        }
        for (let [what, R, dr, cr, sel, given, tgt, below] of checks) {
            if (L.omitted(what)) continue;
            const c = await liquidate(ctx, user, cr, dr, R);
            const d2 = new L.Diffs();
            if (what === 'type(uint256).max') {
                // The call of max_repay against what the pool takes for max
                // (max_repay names the debtToCover; where the collateral
                // caps the call, it repays a few raw units less).
                if (c.revert === null) d2.eq('repay of max_repay (uint256 max repaid)', given.repay, fmt(c.repaid, dr.dec));
                else if (c.revert !== 'MustNotLeaveDust' || given.reverts !== null) d2.eq('reverts', given.reverts, mapReason(c.revert, R));
            } else {
                const j = given || preview([...sel, '--repay', fmt(R, dr.dec)]);
                // A repay that seizes nothing is the amount gate's case
                // ("too small"): named apart, as "repay 0" is.
                if (R > 0n && j.collateral_seized === '0') what = `${what} seizing nothing`;
                if (L.omitted(what)) continue;
                compare(d2, j, c, dr, cr, R);
            }
            if (tgt !== undefined) {
                const tw = toRaw(tgt, 18);
                const reaches = c.revert === null && (c.hfAfter === null || c.hfAfter >= tw);
                if (!below && !reaches) d2.fail(`reaches target ${tgt}`, 'yes', c.revert ? `reverts: ${c.revert}` : `health after ${fmt(c.hfAfter, 18)}`);
                if (below && reaches) d2.fail(`a smaller repay falls short of ${tgt}`, "falls short", `health after ${c.hfAfter === null ? 'no debt' : fmt(c.hfAfter, 18)}`);
            }
            tap.report(name(`${sel[1]}/${sel[3]} ${what}${R === L.UINT256_MAX ? '' : ' ' + R}`), d2.list, desc);
        }
    }
}

// ---- state mode (LIQ_CONTRACTS_STATE=1) ------------------------------

// Nonzero rates and a reserve factor, as the version's configurator sets them.
async function stateRates(ctx, r) {
    const { conf, owner, provider } = ctx;
    const base = rng.int(0, 300), s1 = rng.int(100, 1500), s2 = s1 + rng.int(0, 30000);
    if (VERSION === '3.0') {
        const bp = (x) => (L.RAY * BigInt(x)) / 10000n;
        const irs = await L.deploy(node, owner, art30('protocol/pool/DefaultReserveInterestRateStrategy.sol/DefaultReserveInterestRateStrategy'),
            [provider.address, (L.RAY * 8n) / 10n, bp(base), bp(s1), bp(s2), 0n, 0n, 0n, 0n, (L.RAY * 2n) / 10n]);
        await conf.send(owner, 'setReserveInterestRateStrategyAddress', r.token.address, irs.address);
    } else {
        await conf.send(owner, 'setReserveInterestRateData', r.token.address,
            abi.encode(['uint16', 'uint32', 'uint32', 'uint32'], [8000, base, s1, s2]));
    }
    await conf.send(owner, 'setReserveFactor', r.token.address, rng.int(0, 2000));
}

// eMode category 1 over the two 18-decimal reserves, above their own
// parameters (3.0 requires it).
async function stateEmode(ctx) {
    const { conf, owner, reserves } = ctx;
    const members = reserves.filter((r) => r.dec === 18);
    const maxLt = members.reduce((a, r) => (r.risk.lt > a ? r.risk.lt : a), 0n);
    const maxLtv = members.reduce((a, r) => (r.risk.ltv > a ? r.risk.ltv : a), 0n);
    const lt = maxLt + BigInt(rng.int(1, Number(9800n - maxLt)));
    const ltv = maxLtv + 1n + BigInt(rng.int(0, Number(lt - maxLtv - 1n)));
    const maxBonus = (10000n * 10000n) / lt;
    const bonus = BigInt(rng.int(10001, Number(maxBonus < 10500n ? maxBonus : 10500n)));
    if (VERSION === '3.0') {
        await conf.send(owner, 'setEModeCategory', 1, ltv, lt, bonus, ZERO, 'test');
        for (const r of members) await conf.send(owner, 'setAssetEModeCategory', r.token.address, 1);
    } else {
        await conf.send(owner, 'setEModeCategory', 1, ltv, lt, bonus, 'test');
        for (const r of members) {
            await conf.send(owner, 'setAssetCollateralInEMode', r.token.address, 1, true);
            await conf.send(owner, 'setAssetBorrowableInEMode', r.token.address, 1, true);
        }
    }
    return { ltv, lt, bonus, members };
}

// Positions as the chain stores them: scaled balances, eMode, the
// collaterals the user does not use.
async function statePositions(ctx, users) {
    const { pool, reserves } = ctx;
    const out = [];
    for (const user of users) {
        const p = { id: user.toLowerCase(), market: 'aave', scaled_collateral: {}, scaled_debt: {} };
        const cfg = BigInt((await pool.call('getUserConfiguration', user))[0]);
        const off = [];
        for (let k = 0; k < reserves.length; k++) {
            const r = reserves[k];
            const c = await r.aToken.call('scaledBalanceOf', user);
            const d = await r.vToken.call('scaledBalanceOf', user);
            if (c > 0n) p.scaled_collateral[r.sym] = c.toString();
            if (d > 0n) p.scaled_debt[r.sym] = d.toString();
            const id = Number((await pool.call('getReserveData', r.token.address)).id);
            if (c > 0n && ((cfg >> BigInt(2 * id + 1)) & 1n) === 0n) off.push(r.sym);
        }
        const em = Number(await pool.call('getUserEMode', user));
        if (em !== 0) p.emode = em;
        if (off.length) p.collateral_disabled = off;
        out.push(p);
    }
    return out;
}

// The reserves' indexes, rates and gates, the eMode category, as_of.
async function stateMarket(ctx, portfolio, emode) {
    const { pool, reserves } = ctx;
    portfolio.as_of = ctx.asOf;
    const m = portfolio.markets[0];
    for (let k = 0; k < reserves.length; k++) {
        const r = reserves[k], a = m.assets[k];
        const rd = await pool.call('getReserveData', r.token.address);
        a.liquidity_index = fmt(rd.liquidityIndex, 27);
        a.variable_borrow_index = fmt(rd.variableBorrowIndex, 27);
        a.liquidity_rate = fmt(rd.currentLiquidityRate, 27);
        a.variable_borrow_rate = fmt(rd.currentVariableBorrowRate, 27);
        a.last_update = Number(rd.lastUpdateTimestamp);
        const cfg = BigInt(rd.configuration[0]);
        if (((cfg >> 60n) & 1n) === 1n) a.paused = true;
        if (VERSION !== '3.0') {
            const g = Number(await pool.call('getLiquidationGracePeriod', r.token.address));
            if (g !== 0) a.liquidation_grace_until = g;
        }
        if (emode && VERSION === '3.0' && emode.members.includes(r)) a.emode_category = 1;
    }
    if (emode) {
        const cat = {
            id: 1, label: 'test', ltv: fmt(emode.ltv, 4), liquidation_threshold: fmt(emode.lt, 4),
            liquidation_bonus: fmt(emode.bonus - 10000n, 4),
        };
        if (VERSION !== '3.0') {
            cat.collateral = emode.members.map((r) => r.sym);
            cat.borrowable = emode.members.map((r) => r.sym);
        }
        m.emode_categories = [cat];
    }
}

// liquidationCall from a snapshot: what left the borrower, the
// liquidator's part, the fee, the debt repaid, the health after; or the
// revert.
async function liquidate(ctx, user, cr, dr, repay) {
    const { pool, liquidator, treasury } = ctx;
    const r = await pool.tryCall(liquidator, 'liquidationCall', cr.token.address, dr.token.address, user, repay, false);
    tally(`calls ${r.ok ? 'accepted' : 'reverting ' + r.revert}`);
    if (!r.ok) return { revert: r.revert };
    const c0 = await cr.aToken.call('balanceOf', user);
    const t0 = await cr.aToken.call('balanceOf', treasury);
    const s1 = await node.snapshot();
    if (STATE) await node.rpc('evm_setNextBlockTimestamp', [ctx.asOf]);
    const rc = await pool.send(liquidator, 'liquidationCall', cr.token.address, dr.token.address, user, repay, false);
    let ev = null, fee = 0n;
    for (const log of rc.logs) {
        try {
            const p = pool.iface.parseLog(log);
            if (p && p.name === 'LiquidationCall') ev = p;
        } catch (e) {
            /* another contract's event */
        }
        // The fee moves as the collateral's aTokens from user to treasury.
        if (log.address.toLowerCase() === cr.aToken.address.toLowerCase()) {
            const p = cr.aToken.iface.parseLog(log);
            if (p && p.name === 'Transfer' && p.args.from === user && p.args.to === treasury) fee += p.args.value;
        }
    }
    const c1 = await cr.aToken.call('balanceOf', user);
    const t1 = await cr.aToken.call('balanceOf', treasury);
    const acct = await pool.call('getUserAccountData', user);
    await node.revert(s1);
    return {
        revert: null, repaid: ev.args.debtToCover, toLiquidator: ev.args.liquidatedCollateralAmount,
        // At index 1 balances say it exactly. With indexes a balance moves
        // through rounding of the scaled amount: the figures are then the
        // amounts LiquidationLogic computed (its event and the fee's aToken
        // Transfer), as liqtop's are.
        seized: STATE ? ev.args.liquidatedCollateralAmount + fee : c0 - c1,
        fee: STATE ? fee : t1 - t0, hfAfter: acct[5] === L.UINT256_MAX ? null : acct[5],
    };
}

const REASONS = {
    HealthFactorNotBelowThreshold: 'not liquidatable', 45: 'not liquidatable',
    MustNotLeaveDust: 'must not leave dust',
    CollateralCannotBeLiquidated: 'collateral not enabled', 46: 'collateral not enabled',
    ReservePaused: 'paused', 29: 'paused',
    LiquidationGraceSentinelCheckFailed: 'grace period',
    PriceOracleSentinelCheckFailed: 'sentinel', 59: 'sentinel',
};
// Burning or moving nothing: a repay of 0, else a call that would seize
// no collateral ("too small").
const NOTHING = ['InvalidAmount', '26', 'InvalidBurnAmount', '25', 'InvalidMintAmount', '24'];
const mapReason = (x, repay) => {
    if (NOTHING.includes(String(x))) return repay === 0n ? 'nothing to repay' : 'too small';
    return REASONS[x] || x;
};
const shownReason = (x, repay) => (mapReason(x, repay) === String(x) ? String(x) : `${mapReason(x, repay)} (${x})`);

function compare(d, j, c, dr, cr, repay) {
    if ((j.reverts === null ? null : j.reverts) !== (c.revert === null ? null : mapReason(c.revert, repay)))
        d.fail('reverts', j.reverts, c.revert === null ? null : shownReason(c.revert, repay));
    if (c.revert !== null || j.reverts !== null) return;
    d.eq('repay', j.repay, fmt(c.repaid, dr.dec));
    d.eq('collateral_seized', j.collateral_seized, fmt(c.seized, cr.dec));
    d.eq('liquidator_receives', j.liquidator_receives, fmt(c.toLiquidator, cr.dec));
    d.eq('protocol_fee', j.protocol_fee, fmt(c.fee, cr.dec));
    d.eq('health_factor_after', j.health_factor_after, c.hfAfter === null ? null : fmt(c.hfAfter, 18));
}

node = await L.Node.start();
try {
    await main();
} finally {
    node.stop();
}
console.log(`# met: ${Object.entries(seen).map(([k, v]) => `${k} ${v}`).join(', ')}`);
console.log(`${tap.passed} passed, ${tap.failed} failed`);
process.exit(tap.failed === 0 ? 0 : 1);
