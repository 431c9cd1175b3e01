// tests/contracts/aave_feed.mjs: `liqtop run --feed rpc:` following an
// Aave v3.6 pool (@aave-dao/aave-v3-origin 3.6.0, deployed on anvil by
// aave_deploy.mjs) while its configurator changes the reserves under the
// running book: a liquidation threshold and bonus changed, the reserve
// paused, then unpaused with a liquidation grace period.  After each, with
// the feed stopped at the node's head, its final snapshot must show the
// gate ("paused", then "grace period": design.md 4.1), as liquidationCall's
// revert does, every health factor must equal getUserAccountData's, and
// the whole snapshot must equal `liqtop snapshot` of a fresh `liqtop
// import` at that block.  Prints TAP lines and "N passed, N failed".
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import * as L from './lib.mjs';
import * as D from './aave_deploy.mjs';

const tap = new L.Tap();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const REASONS = { ReservePaused: 'paused', LiquidationGraceSentinelCheckFailed: 'grace period',
    HealthFactorNotBelowThreshold: 'not liquidatable' };
// The chain a day behind the machine's clock: a book followed by a chain
// source judges gates at the block's time alone, as the contract and a
// fresh import do. By the machine's clock the grace period of step 2
// would be long over.
const node = await L.Node.start({ timestamp: Math.floor(Date.now() / 1000) - 86400 });

function follow(book) {
    const ch = spawn(L.liqtop, ['run', book, '--feed', 'rpc:' + node.url, '--headless', '--report', 'json'],
        { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '', err = '';
    ch.stdout.on('data', (d) => (out += d));
    ch.stderr.on('data', (d) => (err += d));
    const closed = new Promise((res) => ch.on('close', res));
    process.on('exit', () => ch.exitCode === null && ch.kill('SIGKILL'));
    return {
        stop: async () => {
            ch.kill('SIGTERM');
            const st = await closed;
            let rep = null;
            try {
                rep = JSON.parse(out);
            } catch (e) {
                /* told below */
            }
            return { st, rep, err };
        },
    };
}

function importAt(ctx, block, name) {
    const out = path.join(L.scratch, name);
    const r = L.runLiqtop(['import', '--rpc', node.url, '--aave-v3', ctx.provider.address, '--aave-version', '3.6',
        '--borrowers', '--user', ctx.supplier, ...(block === null ? [] : ['--block', String(block)]), '--out', out]);
    if (r.status !== 0) throw new Error(`import: ${r.stderr}`);
    return out;
}

// The feed's report at the node's head against the contract and a fresh
// import: the gate of alice's position, and every figure.
async function judge(ctx, what, rep, gate) {
    const head = Number(BigInt(await node.rpc('eth_blockNumber', [])));
    const src = rep.sources[0];
    const d = new L.Diffs();
    d.eq('block applied', src.block, head);
    d.eq('state', src.state, 'live');
    const alice = rep.snapshot.positions.find((p) => p.id === ctx.alice.toLowerCase());
    d.eq('alice gate', alice ? alice.gate : 'absent', gate);
    const call = await ctx.pool.tryCall(ctx.liquidator, 'liquidationCall', ctx.weth.address, ctx.usdc.address, ctx.alice,
        1000n * 10n ** 6n, false);
    d.eq('liquidationCall', call.ok ? 'accepted' : (REASONS[call.revert] || call.revert), gate || 'accepted');
    for (const p of rep.snapshot.positions) {
        const acct = await ctx.pool.call('getUserAccountData', p.id);
        const hf = acct[5] === L.UINT256_MAX ? null : L.fmt(acct[5], 18);
        d.eq(`${p.id} health_factor`, p.health_factor, hf);
    }
    const fresh = importAt(ctx, head, `fresh-${what.replace(/\W+/g, '-')}.json`);
    const snap = L.runLiqtop(['snapshot', fresh, '--format', 'json']);
    d.eq('snapshot of a fresh import at the block', JSON.stringify(rep.snapshot), snap.json ? JSON.stringify(snap.json) : snap.stderr);
    const pv = L.runLiqtop(['preview', fresh, '--position', ctx.alice.toLowerCase(), '--format', 'json']);
    d.eq('preview reverts', pv.json ? pv.json.reverts : pv.stderr, gate);
    tap.report(`aave 3.6 feed: ${what}`, d.list);
}

async function main() {
    const owner = await node.account();
    const treasury = await node.account();
    const supplier = await node.account();
    const liquidator = await node.account();
    const alice = await node.account();
    const bob = await node.account();
    const A = await D.deployAave(node, '3.6', owner, treasury, [['WETH', 18], ['USDC', 6]]);
    const [weth, usdc] = A.reserves.map((r) => r.token);
    const ctx = { ...A, owner, supplier, liquidator, alice, weth, usdc };
    await A.conf.send(owner, 'configureReserveAsCollateral', weth.address, 8000n, 8250n, 10500n);
    await A.conf.send(owner, 'configureReserveAsCollateral', usdc.address, 7500n, 7800n, 10450n);
    await A.conf.send(owner, 'setLiquidationProtocolFee', weth.address, 1000n);
    await A.oracle.send(owner, 'setAssetPrice', weth.address, 2000n * 10n ** 8n);
    await A.oracle.send(owner, 'setAssetPrice', usdc.address, 10n ** 8n);
    for (const [who, tok, amt] of [[supplier, usdc, 10n ** 12n], [liquidator, usdc, 10n ** 12n],
        [alice, weth, 10n * 10n ** 18n], [bob, weth, 5n * 10n ** 18n]]) {
        await tok.send(who, 'mint', who, amt);
        await tok.send(who, 'approve', A.pool.address, L.UINT256_MAX);
    }
    await A.pool.send(supplier, 'supply', usdc.address, 10n ** 12n, supplier, 0);
    await A.pool.send(alice, 'supply', weth.address, 10n * 10n ** 18n, alice, 0);
    await A.pool.send(alice, 'borrow', usdc.address, 15000n * 10n ** 6n, 2, 0, alice);
    await A.pool.send(bob, 'supply', weth.address, 5n * 10n ** 18n, bob, 0);
    await A.pool.send(bob, 'borrow', usdc.address, 5000n * 10n ** 6n, 2, 0, bob);
    const book = importAt(ctx, null, 'book.json');

    // 1. WETH falls to 1700 (alice below 1), its threshold and bonus are
    // changed (8000, 10600), and it is paused: alice cannot be liquidated
    let f = follow(book);
    await sleep(1500);
    await A.oracle.send(owner, 'setAssetPrice', weth.address, 1700n * 10n ** 8n);
    await A.conf.send(owner, 'configureReserveAsCollateral', weth.address, 7500n, 8000n, 10600n);
    await node.mine(60);
    await A.conf.send(owner, 'setReservePause(address,bool)', weth.address, true);
    await node.mine(12);
    await sleep(2500);
    let r = await f.stop();
    if (!r.rep) throw new Error(`no report: ${r.err}`);
    await judge(ctx, 'threshold and bonus changed, reserve paused', r.rep, 'paused');

    // 2. from the same book, followed again: WETH unpaused with a grace
    // period of an hour (setReservePause(asset, false, 3600), 3.1+); blocks
    // within it: still no liquidation, now for the grace period
    f = follow(book);
    await sleep(1500);
    await A.conf.send(owner, 'setReservePause(address,bool,uint40)', weth.address, false, 3600n);
    await node.mine(600);
    await sleep(2500);
    r = await f.stop();
    if (!r.rep) throw new Error(`no report: ${r.err}`);
    await judge(ctx, 'unpaused with a grace period', r.rep, 'grace period');
    const until = await A.pool.call('getLiquidationGracePeriod', weth.address);
    const mk = JSON.parse(fs.readFileSync(importAt(ctx, null, 'last.json'), 'utf8')).markets[0];
    const a = mk.assets.find((x) => x.symbol === 'WETH');
    const d = new L.Diffs();
    d.eq('version', mk.version, '3.6');
    d.eq('liquidation_grace_until', a.liquidation_grace_until, Number(until));
    d.eq('USDC liquidation_grace_until', mk.assets.find((x) => x.symbol === 'USDC').liquidation_grace_until, undefined);
    tap.report('aave 3.6 import (--aave-version 3.6): getLiquidationGracePeriod as liquidation_grace_until', d.list);

    // 3. past the grace period: liquidatable again, on the running book
    f = follow(book);
    await sleep(1500);
    await node.mine(3600);
    await sleep(2500);
    r = await f.stop();
    if (!r.rep) throw new Error(`no report: ${r.err}`);
    await judge(ctx, 'past the grace period', r.rep, null);
}

try {
    await main();
} catch (e) {
    tap.report('aave 3.6 feed: setup', [['error', e.stack, '']]);
} finally {
    node.stop();
}
console.log(`${tap.passed} passed, ${tap.failed} failed`);
process.exit(tap.failed === 0 ? 0 : 1);
