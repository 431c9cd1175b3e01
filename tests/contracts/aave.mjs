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
// Prints TAP lines and, last, "N passed, N failed".
import * as L from './lib.mjs';

const { fmt, toRaw, WAD } = L;
const args = process.argv.slice(2);
const opt = (name, dflt) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : dflt;
};
const VERSION = opt('--version', '3.6');
const NCASES = Number(opt('--cases', '100'));
const seed = L.seedFromEnv();
const rng = new L.Rng(seed);
const tap = new L.Tap();
const abi = L.AbiCoder.defaultAbiCoder();
const ZERO = '0x0000000000000000000000000000000000000000';
const RESERVES = [['A6', 6], ['B8', 8], ['C18', 18], ['D18', 18], ['E6', 6]];
let node;

const V36 = L.top + '/build/contracts/aave36/out';
const V30 = L.npm + '/@aave/core-v3/artifacts/contracts';
const MOCKS = L.top + '/build/contracts/morpho/out/Mocks.sol';
const art36 = (name) => L.artifact(`${V36}/${name}.sol/${name}.json`);
const art30 = (p) => L.artifact(`${V30}/${p}.json`);

console.log(`# aave-v3 ${VERSION === '3.0' ? '3.0.2 (@aave/core-v3 1.19.3)' : '3.6 (@aave-dao/aave-v3-origin 3.6.0)'}: seed ${seed}, ${NCASES} cases`);

async function deployLibs(owner, arts) {
    const libs = {};
    const pending = Object.entries(arts);
    while (pending.length) {
        const i = pending.findIndex(([, a]) =>
            Object.values(a.links).every((m) => Object.keys(m).every((n) => libs[n])));
        const [name, a] = pending.splice(i, 1)[0];
        libs[name] = (await L.deploy(node, owner, a, [], libs)).address;
    }
    return libs;
}

// The pool, its configurator, tokens and oracle: {pool, conf, oracle, ...}
async function deployAave(owner, treasury) {
    const v30 = VERSION === '3.0';
    const a = (n36, p30) => (v30 ? art30(p30) : art36(n36));
    const provider = await L.deploy(node, owner,
        a('PoolAddressesProvider', 'protocol/configuration/PoolAddressesProvider.sol/PoolAddressesProvider'), ['liqtop', owner]);
    await provider.send(owner, 'setACLAdmin', owner);
    const acl = await L.deploy(node, owner, a('ACLManager', 'protocol/configuration/ACLManager.sol/ACLManager'), [provider.address]);
    await provider.send(owner, 'setACLManager', acl.address);
    await acl.send(owner, 'addPoolAdmin', owner);
    const oracle = await L.deploy(node, owner, L.artifact(`${MOCKS}/SetPriceOracle.json`));
    await provider.send(owner, 'setPriceOracle', oracle.address);

    let poolArt, confArt, libs, irs;
    if (v30) {
        const names = ['BorrowLogic', 'BridgeLogic', 'EModeLogic', 'FlashLoanLogic', 'LiquidationLogic', 'PoolLogic', 'SupplyLogic', 'ConfiguratorLogic'];
        libs = await deployLibs(owner, Object.fromEntries(names.map((n) => [n, art30(`protocol/libraries/logic/${n}.sol/${n}`)])));
        poolArt = art30('protocol/pool/Pool.sol/Pool');
        confArt = art30('protocol/pool/PoolConfigurator.sol/PoolConfigurator');
        const ray = L.RAY;
        irs = await L.deploy(node, owner, art30('protocol/pool/DefaultReserveInterestRateStrategy.sol/DefaultReserveInterestRateStrategy'),
            [provider.address, (ray * 8n) / 10n, 0n, 0n, 0n, 0n, 0n, 0n, 0n, (ray * 2n) / 10n]);
    } else {
        const names = ['BorrowLogic', 'FlashLoanLogic', 'LiquidationLogic', 'PoolLogic', 'SupplyLogic', 'ConfiguratorLogic'];
        libs = await deployLibs(owner, Object.fromEntries(names.map((n) => [n, art36(n)])));
        poolArt = art36('PoolInstance');
        confArt = art36('PoolConfiguratorInstance');
        irs = await L.deploy(node, owner, art36('DefaultReserveInterestRateStrategyV2'), [provider.address]);
    }
    const poolImpl = await L.deploy(node, owner, poolArt, v30 ? [provider.address] : [provider.address, irs.address], libs);
    await provider.send(owner, 'setPoolImpl', poolImpl.address);
    const pool = new L.Contract(node, await provider.call('getPool'), poolArt.abi);
    const confImpl = await L.deploy(node, owner, confArt, [], libs);
    await provider.send(owner, 'setPoolConfiguratorImpl', confImpl.address);
    const conf = new L.Contract(node, await provider.call('getPoolConfigurator'), confArt.abi);

    let aImpl, vImpl, sImpl, aArt, vArt;
    if (v30) {
        aArt = art30('protocol/tokenization/AToken.sol/AToken');
        vArt = art30('protocol/tokenization/VariableDebtToken.sol/VariableDebtToken');
        aImpl = await L.deploy(node, owner, aArt, [pool.address]);
        vImpl = await L.deploy(node, owner, vArt, [pool.address]);
        sImpl = await L.deploy(node, owner, art30('protocol/tokenization/StableDebtToken.sol/StableDebtToken'), [pool.address]);
    } else {
        aArt = art36('ATokenInstance');
        vArt = art36('VariableDebtTokenInstance');
        aImpl = await L.deploy(node, owner, aArt, [pool.address, ZERO, treasury]);
        vImpl = await L.deploy(node, owner, vArt, [pool.address, ZERO]);
    }
    const tokArt = L.artifact(`${MOCKS}/TestToken.json`);
    const reserves = [];
    for (const [sym, dec] of RESERVES) {
        const t = await L.deploy(node, owner, tokArt, [sym, dec]);
        const input = v30
            ? [aImpl.address, sImpl.address, vImpl.address, dec, irs.address, t.address, treasury, ZERO,
                `a${sym}`, `a${sym}`, `v${sym}`, `v${sym}`, `s${sym}`, `s${sym}`, '0x']
            : [aImpl.address, vImpl.address, t.address, `a${sym}`, `a${sym}`, `v${sym}`, `v${sym}`, '0x',
                abi.encode(['uint16', 'uint32', 'uint32', 'uint32'], [8000, 0, 0, 0])];
        await conf.send(owner, 'initReserves', [input]);
        await conf.send(owner, 'setReserveBorrowing', t.address, true);
        const rd = await pool.call('getReserveData', t.address);
        const aToken = new L.Contract(node, rd.aTokenAddress, aArt.abi);
        const vToken = new L.Contract(node, rd.variableDebtTokenAddress, vArt.abi);
        reserves.push({ sym, dec, token: t, aToken, vToken });
    }
    return { pool, conf, oracle, reserves, provider };
}

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
    }
    const nusers = rng.int(1, 4);
    const users = [];
    for (let u = 0; u < nusers; u++) {
        const user = await node.account();
        const idx = [0, 1, 2, 3, 4].sort(() => Number(rng.next64() & 1n) * 2 - 1);
        const nc = rng.int(1, 3), nd = rng.int(1, Math.min(2, 5 - nc));
        const colls = idx.slice(0, nc).map((k) => reserves[k]);
        const debts = idx.slice(nc, nc + nd).map((k) => reserves[k]);
        let power = 0n;
        for (const r of colls) {
            const value = rng.logBig(1000000000n, 500000000000000n); // $10 to $5M
            let amt = (value * 10n ** BigInt(r.dec)) / r.p0;
            if (amt === 0n) amt = 1n;
            await r.token.send(user, 'mint', user, amt);
            await r.token.send(user, 'approve', pool.address, L.UINT256_MAX);
            await pool.send(user, 'supply', r.token.address, amt, user, 0);
            power += (((amt * r.p0) / 10n ** BigInt(r.dec)) * r.risk.ltv) / 10000n;
        }
        const f = rng.big(300n, 970n);
        for (const r of debts) {
            const part = (power * f) / 1000n / BigInt(debts.length);
            const amt = (part * 10n ** BigInt(r.dec)) / r.p0;
            if (amt === 0n) continue;
            await pool.send(user, 'borrow', r.token.address, amt, 2, 0, user);
        }
        users.push(user);
    }
    for (const r of reserves) {
        r.p1 = (r.p0 * rng.big(600n, 1300n)) / 1000n;
        if (r.p1 === 0n) r.p1 = 1n;
        await oracle.send(owner, 'setAssetPrice', r.token.address, r.p1);
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
    const portfolio = {
        markets: [{
            id: 'aave', model: 'aave-v3', version: VERSION, base_decimals: 8,
            assets: reserves.map((r) => ({
                symbol: r.sym, decimals: r.dec, ltv: fmt(r.risk.ltv, 4), liquidation_threshold: fmt(r.risk.lt, 4),
                liquidation_bonus: fmt(r.risk.bonus - 10000n, 4), protocol_fee: fmt(r.risk.fee, 4),
            })),
        }],
        prices: Object.fromEntries(reserves.map((r) => [r.sym, fmt(r.p1, 8)])),
        positions,
    };
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
            // At the collateral cap liqtop previews the capped call (all the
            // collateral) for a repay that, passed as debtToCover, the pool
            // computes uncapped: a check of its own name, so that it can be
            // left out of make check while that stands.
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
                checks.push([`repay_to_target ${target}`, T, dr, cr, sel, null, target]);
                if (T > 0n) checks.push([`repay_to_target ${target} - 1`, T - 1n, dr, cr, sel, null, target, true]);
            }
        }
        for (const [what, R, dr, cr, sel, given, tgt, below] of checks) {
            if (L.omitted(what)) continue;
            const c = await liquidate(ctx, user, cr, dr, R);
            const d2 = new L.Diffs();
            if (what === 'type(uint256).max') {
                // liqtop's max_repay against what the pool takes for max.
                if (c.revert === null) d2.eq('max_repay (uint256 max repaid)', given.max_repay, fmt(c.repaid, dr.dec));
                else if (c.revert !== 'MustNotLeaveDust' || given.reverts !== null) d2.eq('reverts', given.reverts, mapReason(c.revert));
            } else {
                const j = given || preview([...sel, '--repay', fmt(R, dr.dec)]);
                compare(d2, j, c, dr, cr);
            }
            if (tgt !== undefined) {
                const tw = toRaw(tgt, 18);
                const reaches = c.revert === null && (c.hfAfter === null || c.hfAfter >= tw);
                if (!below && !reaches) d2.fail(`reaches target ${tgt}`, 'yes', c.revert ? `reverts: ${c.revert}` : `health after ${fmt(c.hfAfter, 18)}`);
                if (below && reaches) d2.fail(`one unit less falls short of ${tgt}`, 'falls short', `health after ${c.hfAfter === null ? 'no debt' : fmt(c.hfAfter, 18)}`);
            }
            tap.report(name(`${sel[1]}/${sel[3]} ${what}${R === L.UINT256_MAX ? '' : ' ' + R}`), d2.list, desc);
        }
    }
}

// liquidationCall from a snapshot: what left the borrower, the
// liquidator's part, the fee, the debt repaid, the health after; or the
// revert.
async function liquidate(ctx, user, cr, dr, repay) {
    const { pool, liquidator, treasury } = ctx;
    const r = await pool.tryCall(liquidator, 'liquidationCall', cr.token.address, dr.token.address, user, repay, false);
    if (!r.ok) return { revert: r.revert };
    const c0 = await cr.aToken.call('balanceOf', user);
    const t0 = await cr.aToken.call('balanceOf', treasury);
    const s1 = await node.snapshot();
    const rc = await pool.send(liquidator, 'liquidationCall', cr.token.address, dr.token.address, user, repay, false);
    let ev = null;
    for (const log of rc.logs) {
        try {
            const p = pool.iface.parseLog(log);
            if (p && p.name === 'LiquidationCall') ev = p;
        } catch (e) {
            /* another contract's event */
        }
    }
    const c1 = await cr.aToken.call('balanceOf', user);
    const t1 = await cr.aToken.call('balanceOf', treasury);
    const acct = await pool.call('getUserAccountData', user);
    await node.revert(s1);
    return {
        revert: null, repaid: ev.args.debtToCover, toLiquidator: ev.args.liquidatedCollateralAmount,
        seized: c0 - c1, fee: t1 - t0, hfAfter: acct[5] === L.UINT256_MAX ? null : acct[5],
    };
}

const REASONS = {
    HealthFactorNotBelowThreshold: 'not liquidatable', 45: 'not liquidatable',
    MustNotLeaveDust: 'must not leave dust',
    CollateralCannotBeLiquidated: 'collateral not enabled', 46: 'collateral not enabled',
    ReservePaused: 'paused', 29: 'paused',
    LiquidationGraceSentinelCheckFailed: 'grace period',
    PriceOracleSentinelCheckFailed: 'sentinel', 59: 'sentinel',
    InvalidAmount: 'nothing to repay', 26: 'nothing to repay',
    InvalidBurnAmount: 'nothing to repay', 25: 'nothing to repay',
};
const mapReason = (x) => REASONS[x] || x;

function compare(d, j, c, dr, cr) {
    d.eq('reverts', j.reverts, c.revert === null ? null : mapReason(c.revert));
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
console.log(`${tap.passed} passed, ${tap.failed} failed`);
process.exit(tap.failed === 0 ? 0 : 1);
