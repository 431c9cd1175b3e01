// tests/contracts/aave_emode_feed.mjs: `liqtop run --feed rpc:` following
// an Aave v3 pool (aave_deploy.mjs: v3.0.2 from @aave/core-v3, or 3.6
// from @aave-dao/aave-v3-origin; --version, default 3.0) while its
// configurator changes the eMode categories under the running book:
// 1. category 1's own ltv, threshold and bonus (setEModeCategory, the
//    pool's configureEModeCategory);
// 2. before 3.2, reserves moving between categories (setAssetEModeCategory:
//    USDC into 1, stETH out of 1 into a new category 2, which the book did
//    not hold, and an account entering 2); from 3.2, the category's
//    bitmaps (setAssetCollateralInEMode: USDC a collateral of 1, stETH no
//    more) and a new category 2 an account enters.
// After each, with the feed stopped at the node's head, every health
// factor must equal getUserAccountData's and the whole snapshot must
// equal `liqtop snapshot` of a fresh `liqtop import` at that block.
// Prints TAP lines and "N passed, N failed".
import { spawn } from 'node:child_process';
import path from 'node:path';
import * as L from './lib.mjs';
import * as D from './aave_deploy.mjs';

const tap = new L.Tap();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const vi = process.argv.indexOf('--version');
const VERSION = vi > 0 ? process.argv[vi + 1] : '3.0';
const V30 = VERSION === '3.0';
const ZERO = '0x0000000000000000000000000000000000000000';
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

function importAt(ctx, block, name, users) {
    const out = path.join(L.scratch, name);
    const r = L.runLiqtop(['import', '--rpc', node.url, '--aave-v3', ctx.provider.address, '--aave-version', VERSION,
        '--borrowers', '--user', ctx.supplier, ...users.flatMap((u) => ['--user', u]),
        ...(block === null ? [] : ['--block', String(block)]), '--out', out]);
    if (r.status !== 0) throw new Error(`import: ${r.stderr}`);
    return out;
}

const byId = (s) => ({ ...s, positions: [...s.positions].sort((a, b) => (a.id < b.id ? -1 : 1)) });

// moved: the positions whose health factor must differ from the imported
// book's (no interest accrues here: the rates are 0), so that a feed that
// left the categories alone fails.
async function judge(ctx, what, r, inEmode, book, moved) {
    const d = new L.Diffs();
    if (!r.rep) throw new Error(`no report: ${r.err}`);
    const head = Number(BigInt(await node.rpc('eth_blockNumber', [])));
    const src = r.rep.sources[0];
    d.eq('block applied', src.block, head);
    d.eq('state', src.state, 'live');
    for (const p of r.rep.snapshot.positions) {
        const acct = await ctx.pool.call('getUserAccountData', p.id);
        d.eq(`${p.id} health_factor`, p.health_factor, acct[5] === L.UINT256_MAX ? null : L.fmt(acct[5], 18));
    }
    const old = L.runLiqtop(['snapshot', book, '--format', 'json']).json;
    const hf = (s, id) => (s.positions.find((p) => p.id === id.toLowerCase()) || { health_factor: 'absent' }).health_factor;
    const differ = r.rep.snapshot.positions.filter((p) => hf(old, p.id) !== p.health_factor).map((p) => p.id).sort();
    d.eq('health factors moved from the book\'s', differ.join(' '), moved.map((a) => a.toLowerCase()).sort().join(' '));
    for (const [who, cat] of inEmode) d.eq(`${who} getUserEMode`, Number(await ctx.pool.call('getUserEMode', who)), cat);
    const fresh = importAt(ctx, head, `fresh-${what.replace(/\W+/g, '-')}.json`, r.rep.snapshot.positions.map((p) => p.id));
    const snap = L.runLiqtop(['snapshot', fresh, '--format', 'json']);
    d.eq('snapshot of a fresh import at the block', JSON.stringify(byId(r.rep.snapshot)),
        snap.json ? JSON.stringify(byId(snap.json)) : snap.stderr);
    tap.report(`aave ${VERSION} feed: ${what} (${r.rep.snapshot.positions.length} positions)`, d.list);
}

async function setCategory(ctx, id, ltv, lt, bonus, label) {
    if (V30) await ctx.conf.send(ctx.owner, 'setEModeCategory', id, ltv, lt, bonus, ZERO, label);
    else await ctx.conf.send(ctx.owner, 'setEModeCategory', id, ltv, lt, bonus, label);
}

async function main() {
    const owner = await node.account();
    const treasury = await node.account();
    const supplier = await node.account();
    const alice = await node.account();
    const bob = await node.account();
    const carol = await node.account();
    const dave = await node.account();
    const A = await D.deployAave(node, VERSION, owner, treasury, [['WETH', 18], ['stETH', 18], ['USDC', 6]]);
    const [weth, steth, usdc] = A.reserves.map((r) => r.token);
    const ctx = { ...A, owner, supplier };
    await A.conf.send(owner, 'configureReserveAsCollateral', weth.address, 8000n, 8250n, 10500n);
    await A.conf.send(owner, 'configureReserveAsCollateral', steth.address, 7500n, 8000n, 10600n);
    await A.conf.send(owner, 'configureReserveAsCollateral', usdc.address, 7500n, 7800n, 10450n);
    await A.oracle.send(owner, 'setAssetPrice', weth.address, 2000n * 10n ** 8n);
    await A.oracle.send(owner, 'setAssetPrice', steth.address, 1900n * 10n ** 8n);
    await A.oracle.send(owner, 'setAssetPrice', usdc.address, 10n ** 8n);
    await setCategory(ctx, 1, 9000n, 9300n, 10100n, 'ETH correlated');
    for (const t of [weth, steth]) {
        if (V30) await A.conf.send(owner, 'setAssetEModeCategory', t.address, 1);
        else {
            await A.conf.send(owner, 'setAssetCollateralInEMode', t.address, 1, true);
            await A.conf.send(owner, 'setAssetBorrowableInEMode', t.address, 1, true);
        }
    }
    for (const [who, tok, amt] of [[supplier, weth, 10n ** 22n], [supplier, steth, 10n ** 22n], [supplier, usdc, 10n ** 12n],
        [alice, steth, 10n * 10n ** 18n], [bob, weth, 5n * 10n ** 18n], [carol, usdc, 20000n * 10n ** 6n], [dave, steth, 3n * 10n ** 18n]]) {
        await tok.send(who, 'mint', who, amt);
        await tok.send(who, 'approve', A.pool.address, L.UINT256_MAX);
        await A.pool.send(who, 'supply', tok.address, amt, who, 0);
    }
    await A.pool.send(alice, 'setUserEMode', 1);
    await A.pool.send(alice, 'borrow', weth.address, 8n * 10n ** 18n, 2, 0, alice);
    await A.pool.send(bob, 'borrow', usdc.address, 5000n * 10n ** 6n, 2, 0, bob);
    await A.pool.send(carol, 'setUserEMode', 1);
    await A.pool.send(carol, 'borrow', weth.address, 6n * 10n ** 18n, 2, 0, carol);
    const book = importAt(ctx, null, 'book.json', []);

    // 1. category 1's own parameters: lower ltv and threshold, a higher bonus
    let f = follow(book);
    await sleep(1500);
    await setCategory(ctx, 1, 8800n, 9100n, 10200n, 'ETH correlated');
    await node.mine(60);
    await sleep(2500);
    await judge(ctx, 'category 1 reconfigured (ltv 88 %, threshold 91 %, bonus 2 %)', await f.stop(), [[alice, 1], [carol, 1]],
        book, [alice]); // carol's collateral, USDC, is not in 1 yet

    // 2. the category's members change, from the same book
    f = follow(book);
    await sleep(1500);
    if (V30) {
        // USDC into 1 (carol's collateral takes its threshold); a new
        // category 2 and stETH moved into it (alice's collateral leaves
        // 1); dave enters 2 and borrows stETH
        await A.conf.send(owner, 'setAssetEModeCategory', usdc.address, 1);
        await setCategory(ctx, 2, 8200n, 8700n, 10300n, 'stETH');
        await A.conf.send(owner, 'setAssetEModeCategory', steth.address, 2);
        await A.pool.send(dave, 'setUserEMode', 2);
        await A.pool.send(dave, 'borrow', steth.address, 10n ** 18n, 2, 0, dave);
    } else {
        // USDC a collateral of 1, stETH no more; a new category 2 over
        // stETH, which dave enters and borrows stETH in
        await A.conf.send(owner, 'setAssetCollateralInEMode', usdc.address, 1, true);
        await A.conf.send(owner, 'setAssetCollateralInEMode', steth.address, 1, false);
        await setCategory(ctx, 2, 8200n, 8700n, 10300n, 'stETH');
        await A.conf.send(owner, 'setAssetCollateralInEMode', steth.address, 2, true);
        await A.conf.send(owner, 'setAssetBorrowableInEMode', steth.address, 2, true);
        await A.pool.send(dave, 'setUserEMode', 2);
        await A.pool.send(dave, 'borrow', steth.address, 10n ** 18n, 2, 0, dave);
    }
    await node.mine(60);
    await sleep(2500);
    await judge(ctx, V30 ? 'USDC moved into category 1, stETH into a new category 2, an account entering 2'
        : 'category 1\'s collateral bitmap: USDC in, stETH out; a new category 2, an account entering it', await f.stop(),
    [[alice, 1], [carol, 1], [dave, 2]], book, [alice, carol, dave]);
}

try {
    await main();
} catch (e) {
    tap.report(`aave ${VERSION} eMode feed: setup`, [['error', e.stack, '']]);
} finally {
    node.stop();
}
console.log(`${tap.passed} passed, ${tap.failed} failed`);
process.exit(tap.failed === 0 ? 0 : 1);
