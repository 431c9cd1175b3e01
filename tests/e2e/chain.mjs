// tests/e2e/chain.mjs: the dashboard in a private tmux server following an
// Aave v3.6 pool on anvil (tests/contracts/aave_deploy.mjs) with --feed
// rpc:.  Transactions change the position under it: a borrow moves its
// health factor on screen to getUserAccountData's, a price fall makes it
// liquidatable, and the reserve paused shows in the detail pane as the
// gate.  Polls the screen with bounded retries; prints TAP lines.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import * as L from '../contracts/lib.mjs';
import * as D from '../contracts/aave_deploy.mjs';

const S = `liqtopchain${process.pid}`;
let failures = 0;
const ok = (c, d) => {
    console.log((c ? 'ok - ' : 'not ok - ') + d);
    if (!c) {
        failures++;
        for (const l of screen().split('\n')) console.log('#   ' + l);
    }
};
const tmux = (...args) => spawnSync('tmux', ['-L', S, ...args], { encoding: 'utf8' });
const screen = () => tmux('capture-pane', '-p').stdout || '';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
// until the screen shows text, or a line matching a RegExp (0.1 s a try,
// 20 s at most)
async function waitFor(text) {
    for (let i = 0; i < 200; i++) {
        const sc = screen();
        if (typeof text === 'string' ? sc.includes(text) : sc.split('\n').some((l) => text.test(l))) return true;
        await sleep(100);
    }
    return false;
}
// alice's table row: her id, then the health factor as the table shows it
// (4 places, cut), then the debt
const row = (hf, debt) => {
    const [i, f = ''] = hf.split('.');
    const shown = `${i}.${f.padEnd(4, '0').slice(0, 4)}`.replace('.', '\\.');
    return new RegExp(`^0x0{20}.* ${shown} .* ${debt.replace(/[.,]/g, (c) => '\\' + c)} `);
};
process.on('exit', () => tmux('kill-server'));

if (spawnSync('tmux', ['-V']).status !== 0) {
    console.log('not ok - tmux is not installed');
    process.exit(1);
}
// the chain a day ahead of the clock (aave_feed.mjs runs one behind)
const node = await L.Node.start({ timestamp: Math.floor(Date.now() / 1000) + 86400 });
try {
    const owner = await node.account();
    const supplier = await node.account();
    const alice = await node.account();
    const A = await D.deployAave(node, '3.6', owner, await node.account(), [['WETH', 18], ['USDC', 6]]);
    const [weth, usdc] = A.reserves.map((r) => r.token);
    await A.conf.send(owner, 'configureReserveAsCollateral', weth.address, 8000n, 8250n, 10500n);
    await A.oracle.send(owner, 'setAssetPrice', weth.address, 2000n * 10n ** 8n);
    await A.oracle.send(owner, 'setAssetPrice', usdc.address, 10n ** 8n);
    await usdc.send(supplier, 'mint', supplier, 10n ** 12n);
    await usdc.send(supplier, 'approve', A.pool.address, L.UINT256_MAX);
    await A.pool.send(supplier, 'supply', usdc.address, 10n ** 12n, supplier, 0);
    await weth.send(alice, 'mint', alice, 10n * 10n ** 18n);
    await weth.send(alice, 'approve', A.pool.address, L.UINT256_MAX);
    await A.pool.send(alice, 'supply', weth.address, 10n * 10n ** 18n, alice, 0);
    await A.pool.send(alice, 'borrow', usdc.address, 15000n * 10n ** 6n, 2, 0, alice);
    const book = path.join(L.scratch, 'chain-dash.json');
    const r = L.runLiqtop(['import', '--rpc', node.url, '--aave-v3', A.provider.address, '--aave-version', '3.6',
        '--user', alice, '--out', book]);
    ok(r.status === 0, 'import of the 3.6 pool' + (r.status ? ': ' + r.stderr : ''));
    const hf = async () => L.fmt((await A.pool.call('getUserAccountData', alice))[5], 18);

    tmux('-f', '/dev/null', 'new-session', '-d', '-x', '120', '-y', '30',
        `sh -c '${L.liqtop} ${book} --feed rpc:${node.url}; echo EXITED=$?; sleep 30'`);
    ok(await waitFor('live #'), 'the dashboard follows the node (live #BLOCK)');
    const h0 = await hf();
    ok(await waitFor(row(h0, '15,000.00')), `alice's row: the health factor as imported (${h0})`);
    // a borrow: 10 x 2000 x 0.825 / 16000 = 1.03125
    await A.pool.send(alice, 'borrow', usdc.address, 1000n * 10n ** 6n, 2, 0, alice);
    const h1 = await hf();
    ok(await waitFor(row(h1, '16,000.00')), `after her borrow on chain her row shows getUserAccountData's ${h1}`);
    // WETH to 1700: 0.876...; liquidatable
    await A.oracle.send(owner, 'setAssetPrice', weth.address, 1700n * 10n ** 8n);
    await node.mine(12);
    const h2 = await hf();
    ok(await waitFor('1 liquidatable') && await waitFor(row(h2, '16,000.00')),
        `a price fall on chain: the header counts her liquidatable, at ${h2}`);
    await A.conf.send(owner, 'setReservePause(address,bool)', weth.address, true);
    await node.mine(12);
    tmux('send-keys', 'g', 'Enter');
    ok(await waitFor('liquidation blocked: paused'), 'the reserve paused on chain: the detail pane shows the gate');
    tmux('send-keys', 'q');
    ok(await waitFor('EXITED=0'), 'q exits cleanly');
} catch (e) {
    ok(false, 'chain dashboard: ' + e.stack);
} finally {
    node.stop();
}
process.exit(failures ? 1 : 0);
