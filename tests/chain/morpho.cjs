// tests/chain/morpho.cjs: liqtop import against a real node. Starts anvil
// on a free 127.0.0.1 port, deploys Morpho Blue (compiled from the npm
// package's sources), tokens, an oracle and an IRM with anvil's unlocked
// accounts, opens positions, then checks that import finds the borrowers
// and that every figure it writes equals what the contracts answer, and
// that each position's health computed from the file gives the contract's
// own verdict (liquidate reverts exactly for the healthy). Then the faults:
// a node killed mid-import, nothing listening, garbage, a JSON-RPC error,
// a huge answer, 429, refused log ranges, no code, no such block, a user
// with no position. Prints TAP lines. Loopback traffic only.
// usage: node morpho.cjs NPM_DIR ARTIFACTS.json LIQTOP
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const net = require('net');
const http = require('http');
const { spawn } = require('child_process');

const [npm, artPath, liqtop] = process.argv.slice(2).map((p) => path.resolve(p));
const art = JSON.parse(fs.readFileSync(artPath, 'utf8'));
const anvilBin = path.join(npm, 'node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'liqtop-chain-'));
let failures = 0;
const ok = (c, d) => { console.log((c ? 'ok - ' : 'not ok - ') + d); if (!c) failures++; };
const children = [];
const servers = [];

function freePort() {
  return new Promise((res) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => res(p)); });
  });
}

async function startAnvil() {
  const port = await freePort();
  const child = spawn(anvilBin, ['--host', '127.0.0.1', '--port', String(port),
    '--silent', '--disable-code-size-limit', '--chain-id', '31337'], { stdio: 'ignore' });
  children.push(child);
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    try { await rpc(url, 'eth_chainId', []); return { url, child, port }; } catch (e) { await sleep(50); }
  }
  throw new Error('anvil did not start');
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
let rid = 1;
async function rpc(url, method, params) {
  const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: rid++, method, params }) });
  const j = await r.json();
  if (j.error) throw new Error(method + ': ' + j.error.message);
  return j.result;
}

// ABI encoding of static words, written here apart from liqtop's own.
const hex64 = (v) => BigInt(v).toString(16).padStart(64, '0');
const addrWord = (a) => a.toLowerCase().replace(/^0x/, '').padStart(64, '0');
const sel = (c, sig) => { const s = art[c].methods[sig]; if (!s) throw new Error(sig); return '0x' + s; };
const words = (hex) => { const h = hex.replace(/^0x/, ''); const w = []; for (let i = 0; i < h.length; i += 64) w.push(BigInt('0x' + h.slice(i, i + 64))); return w; };

async function send(url, from, to, data) {
  const tx = await rpc(url, 'eth_sendTransaction', [{ from, to, data, gas: '0x1c9c380' }]);
  let rc = null;
  for (let i = 0; i < 100 && rc === null; i++) {
    rc = await rpc(url, 'eth_getTransactionReceipt', [tx]);
    if (rc === null) await sleep(20);
  }
  if (rc === null) throw new Error('no receipt for ' + data.slice(0, 10));
  if (rc.status !== '0x1') throw new Error('transaction reverted: ' + data.slice(0, 10));
  return rc;
}
async function deploy(url, from, name, args = '') {
  const rc = await send(url, from, null, art[name].bytecode + args);
  return rc.contractAddress;
}
const call = (url, to, data, tag = 'latest') => rpc(url, 'eth_call', [{ to, data }, tag]);

function stringArg(s) {
  const b = Buffer.from(s, 'utf8');
  return hex64(b.length) + b.toString('hex').padEnd(Math.ceil(b.length / 32) * 64 || 64, '0');
}

// Asynchronous: the test's own servers answer on this process's loop.
function runLiqtop(args, cmd = 'import') {
  return new Promise((res) => {
    const ch = spawn(liqtop, [cmd, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '', err = '';
    const timer = setTimeout(() => ch.kill('SIGKILL'), 120000);
    ch.stdout.on('data', (d) => { out += d; });
    ch.stderr.on('data', (d) => { err += d; });
    ch.on('close', (status) => { clearTimeout(timer); res({ status, out, err }); });
  });
}

const WAD = 10n ** 18n;
const VIRTUAL_SHARES = 10n ** 6n;
const toAssetsUp = (s, ta, ts) => (s * (ta + 1n) + (ts + VIRTUAL_SHARES) - 1n) / (ts + VIRTUAL_SHARES);
const decToRaw = (s, d) => { const [i, f = ''] = s.split('.'); return BigInt(i + f.padEnd(d, '0')); };

async function setup(url) {
  const accts = await rpc(url, 'eth_accounts', []);
  const [owner, lender, alice, bob, carol, dave, erin, liquidator] = accts;
  const morpho = await deploy(url, owner, 'Morpho', addrWord(owner));
  const irm = await deploy(url, owner, 'IrmMock');
  const oracle = await deploy(url, owner, 'OracleMock');
  const token = async (sym, dec) => deploy(url, owner, 'TestToken', hex64(64) + hex64(dec) + stringArg(sym));
  const weth = await token('WETH', 18);
  const usdc = await token('USDC', 6);
  const lltv = 860000000000000000n;
  const params = addrWord(usdc) + addrWord(weth) + addrWord(oracle) + addrWord(irm) + hex64(lltv);
  await send(url, owner, morpho, sel('Morpho', 'enableIrm(address)') + addrWord(irm));
  await send(url, owner, morpho, sel('Morpho', 'enableLltv(uint256)') + hex64(lltv));
  const created = await send(url, owner, morpho, sel('Morpho', 'createMarket((address,address,address,address,uint256))') + params);
  const id = created.logs[0].topics[1];
  // a fee of 10%: accrual mints supply shares to the fee recipient
  await send(url, owner, morpho, sel('Morpho', 'setFee((address,address,address,address,uint256),uint256)') + params + hex64(WAD / 10n));
  // 2000 USDC a WETH at the oracle's 1e36 scale: 2000 * 1e36 * 1e6 / 1e18
  await send(url, owner, oracle, sel('OracleMock', 'setPrice(uint256)') + hex64(2000n * 10n ** 24n));
  const fund = async (tok, who, amt) => {
    await send(url, owner, tok, sel('TestToken', 'setBalance(address,uint256)') + addrWord(who) + hex64(amt));
    await send(url, who, tok, sel('TestToken', 'approve(address,uint256)') + addrWord(morpho) + hex64((1n << 256n) - 1n));
  };
  const SUPPLY = 'supply((address,address,address,address,uint256),uint256,uint256,address,bytes)';
  const COLL = 'supplyCollateral((address,address,address,address,uint256),uint256,address,bytes)';
  const BORROW = 'borrow((address,address,address,address,uint256),uint256,uint256,address,address)';
  const REPAY = 'repay((address,address,address,address,uint256),uint256,uint256,address,bytes)';
  const WCOLL = 'withdrawCollateral((address,address,address,address,uint256),uint256,address,address)';
  await fund(usdc, lender, 1000000n * 10n ** 6n);
  await send(url, lender, morpho, sel('Morpho', SUPPLY) + params + hex64(1000000n * 10n ** 6n) + hex64(0) + addrWord(lender) + hex64(9 * 32) + hex64(0));
  const borrowFrom = async (who, coll, debt) => {
    await fund(weth, who, coll);
    await send(url, who, morpho, sel('Morpho', COLL) + params + hex64(coll) + addrWord(who) + hex64(8 * 32) + hex64(0));
    if (debt > 0n)
      await send(url, who, morpho, sel('Morpho', BORROW) + params + hex64(debt) + hex64(0) + addrWord(who) + addrWord(who));
  };
  await borrowFrom(alice, 10n * WAD, 15000n * 10n ** 6n);
  await rpc(url, 'evm_increaseTime', [86400 * 30]);
  await rpc(url, 'evm_mine', []);
  await borrowFrom(bob, 5n * WAD + 123456789n, 8000n * 10n ** 6n + 17n);
  await borrowFrom(carol, 3n * WAD, 0n); // collateral, never borrowed
  await borrowFrom(dave, 2n * WAD, 1000n * 10n ** 6n);
  await borrowFrom(erin, 1n * WAD, 500n * 10n ** 6n);
  await rpc(url, 'evm_increaseTime', [86400 * 7]);
  await rpc(url, 'evm_mine', []);
  // dave repays all and takes his collateral back: empty; erin repays all
  for (const who of [dave, erin]) {
    const pos = words(await call(url, morpho, sel('Morpho', 'position(bytes32,address)') + id.slice(2) + addrWord(who)));
    await fund(usdc, who, 10000n * 10n ** 6n);
    await send(url, who, morpho, sel('Morpho', REPAY) + params + hex64(0) + hex64(pos[1]) + addrWord(who) + hex64(9 * 32) + hex64(0));
  }
  await send(url, dave, morpho, sel('Morpho', WCOLL) + params + hex64(2n * WAD) + addrWord(dave) + addrWord(dave));
  await rpc(url, 'evm_increaseTime', [86400]);
  await rpc(url, 'evm_mine', []);
  await fund(usdc, liquidator, 10n ** 12n);
  return { morpho, irm, oracle, weth, usdc, id, params, lltv, accts: { owner, lender, alice, bob, carol, dave, erin, liquidator } };
}

function fakeServer(handler) {
  return new Promise((res) => {
    const s = http.createServer(handler);
    servers.push(s);
    s.listen(0, '127.0.0.1', () => res(`http://127.0.0.1:${s.address().port}`));
  });
}
function forward(target, body) {
  return fetch(target, { method: 'POST', headers: { 'content-type': 'application/json' }, body }).then((r) => r.text());
}
function readBody(req) {
  return new Promise((res) => { let b = ''; req.on('data', (c) => { b += c; }); req.on('end', () => res(b)); });
}

async function main() {
  const node = await startAnvil();
  const url = node.url;
  // Keccak-256 over more than one 136-byte block: the node's web3_sha3
  // against the vector test_abi.c holds for the same input.
  const sha = await rpc(url, 'web3_sha3', ['0x' + '61'.repeat(300)]);
  ok(sha === '0x5b7e0e47a96f32a88b4f14ca177982790807c40e1a105742ba0fc1babe1ef826', 'web3_sha3 of 300 "a" is test_abi.c\'s multi-block vector');
  const c = await setup(url);
  const head = BigInt(await rpc(url, 'eth_blockNumber', []));
  const tag = '0x' + head.toString(16);
  const outFile = path.join(tmp, 'morpho.json');
  const base = ['--rpc', url, '--morpho', c.morpho, '--market', c.id];

  let r = await runLiqtop([...base, '--borrowers', '--from-block', '0', '--out', outFile]);
  ok(r.status === 0, 'import --borrowers exits 0' + (r.status ? ': ' + r.err : ''));
  const pf = JSON.parse(fs.readFileSync(outFile, 'utf8'));
  ok(pf.as_of_block === Number(head), `as_of_block is the node's head (${head})`);
  const blk = await rpc(url, 'eth_getBlockByNumber', [tag, false]);
  ok(pf.as_of === Number(BigInt(blk.timestamp)), 'as_of is the block\'s timestamp');
  const mk = pf.markets[0];
  ok(mk.id === `morpho-blue:31337:${c.id.toLowerCase()}`, 'market id is morpho-blue:<chain id>:<market id>');
  ok(mk.model === 'morpho-blue', 'model morpho-blue');
  ok(mk.assets[0].symbol === 'WETH' && mk.assets[0].decimals === 18 && mk.assets[1].symbol === 'USDC' && mk.assets[1].decimals === 6,
    'assets: collateral WETH (18), loan USDC (6), from the tokens');
  ok(decToRaw(mk.assets[0].liquidation_threshold, 18) === c.lltv, 'liquidation_threshold is the LLTV');
  const st = words(await call(url, c.morpho, sel('Morpho', 'market(bytes32)') + c.id.slice(2), tag));
  const names = ['total_supply_assets', 'total_supply_shares', 'total_borrow_assets', 'total_borrow_shares', 'last_update'];
  names.forEach((n, i) => ok(BigInt(mk.state[n]) === st[i], `state.${n} = market().${i} (${st[i]})`));
  ok(decToRaw(mk.state.fee, 18) === st[5] && st[5] === WAD / 10n && mk.state.fee === '0.1', 'state.fee = market().fee, a WAD fraction written 0.1');
  const rate = words(await call(url, c.irm, sel('IrmMock', 'borrowRateView((address,address,address,address,uint256),(uint128,uint128,uint128,uint128,uint128,uint128))') + c.params + st.map(hex64).join(''), tag))[0];
  ok(rate > 0n && decToRaw(mk.state.borrow_rate, 18) === rate, `state.borrow_rate = borrowRateView (${rate} per second)`);
  const price = words(await call(url, c.oracle, sel('OracleMock', 'price()'), tag))[0];
  ok(BigInt(mk.oracle_price) === price, 'oracle_price = price()');
  const ids = pf.positions.map((p) => p.id).sort();
  const want = [c.accts.alice, c.accts.bob, c.accts.erin].map((a) => `${a.toLowerCase()}:${c.id.toLowerCase()}`).sort();
  ok(JSON.stringify(ids) === JSON.stringify(want), 'borrowers: alice, bob, erin (dave emptied his position, carol never borrowed)');
  // Each position against position(), and its health against the contract.
  const health = (p) => {
    const shares = BigInt(p.borrow_shares);
    const coll = decToRaw(p.collateral.WETH, 18);
    const borrowed = toAssetsUp(shares, BigInt(mk.state.total_borrow_assets), BigInt(mk.state.total_borrow_shares));
    const maxBorrow = (coll * BigInt(mk.oracle_price) / 10n ** 36n) * BigInt(decToRaw(mk.assets[0].liquidation_threshold, 18)) / WAD;
    return { borrowed, maxBorrow, healthy: shares === 0n || maxBorrow >= borrowed };
  };
  for (const p of pf.positions) {
    const user = p.id.split(':')[0];
    const w = words(await call(url, c.morpho, sel('Morpho', 'position(bytes32,address)') + c.id.slice(2) + addrWord(user), tag));
    ok(BigInt(p.borrow_shares) === w[1] && decToRaw(p.collateral.WETH, 18) === w[2], `${user}: borrow_shares and collateral = position()`);
  }
  // Move the oracle so that bob is past the LLTV and alice is not; the
  // health each file gives must be the contract's (liquidate's own check).
  await rpc(url, 'evm_setAutomine', [true]);
  await send(url, c.accts.owner, c.oracle, sel('OracleMock', 'setPrice(uint256)') + hex64(1850n * 10n ** 24n));
  const out2 = path.join(tmp, 'morpho2.json');
  r = await runLiqtop([...base, '--borrowers', '--out', out2, '--log-range', '7']);
  ok(r.status === 0, 'import again after the price move (log range 7)');
  const pf2 = JSON.parse(fs.readFileSync(out2, 'utf8'));
  ok(pf2.positions.length === 3, 'the same three borrowers with small log ranges');
  let agree = 0, unhealthy = 0;
  for (const p of pf2.positions) {
    const user = p.id.split(':')[0];
    const h = (() => { const m = pf2.markets[0]; const shares = BigInt(p.borrow_shares); const coll = decToRaw(p.collateral.WETH, 18);
      const borrowed = toAssetsUp(shares, BigInt(m.state.total_borrow_assets), BigInt(m.state.total_borrow_shares));
      const maxB = (coll * BigInt(m.oracle_price) / 10n ** 36n) * c.lltv / WAD; return shares === 0n || maxB >= borrowed; })();
    const LIQ = 'liquidate((address,address,address,address,uint256),address,uint256,uint256,bytes)';
    const data = sel('Morpho', LIQ) + c.params + addrWord(user) + hex64(1) + hex64(0) + hex64(9 * 32) + hex64(0);
    let reverted = false;
    try { await rpc(url, 'eth_call', [{ from: c.accts.liquidator, to: c.morpho, data }, 'latest']); } catch (e) { reverted = /healthy/.test(e.message); }
    if (reverted === h) agree++;
    if (!h) unhealthy++;
  }
  ok(agree === 3 && unhealthy === 1, `health from the file matches the contract's liquidate check for every position (${agree}/3, ${unhealthy} unhealthy)`);
  void health;
  // The round trip: liqtop snapshot and preview on the imported file, as
  // the contract computes them at the file's as_of. From an evm_snapshot,
  // blocks at the file's own timestamp: accrueInterest, then market()
  // holds the totals _isHealthy uses; each preview of bob's liquidation is
  // then made by liquidate itself and reverted.
  const snap = await runLiqtop([out2], 'snapshot');
  ok(snap.status === 0, 'liqtop snapshot reads the imported file' + (snap.status ? ': ' + snap.err : ''));
  const s = snap.status === 0 ? JSON.parse(snap.out) : { positions: [] };
  const bad = s.positions.filter((p) => p.liquidatable).map((p) => p.id.split(':')[0]);
  ok(bad.length === 1 && bad[0] === c.accts.bob.toLowerCase(), 'liqtop snapshot: bob alone liquidatable, as the contract says');
  const m2 = pf2.markets[0];
  const ACCRUE = 'accrueInterest((address,address,address,address,uint256))';
  const LIQ = 'liquidate((address,address,address,address,uint256),address,uint256,uint256,bytes)';
  const atAsOf = () => rpc(url, 'evm_setNextBlockTimestamp', [pf2.as_of]);
  const snapId = await rpc(url, 'evm_snapshot', []);
  await atAsOf();
  await send(url, c.accts.owner, c.morpho, sel('Morpho', ACCRUE) + c.params);
  const acc = words(await call(url, c.morpho, sel('Morpho', 'market(bytes32)') + c.id.slice(2)));
  const mbOf = (coll, px = BigInt(m2.oracle_price)) => (coll * px / 10n ** 36n) * c.lltv / WAD;
  const hfOf = (shares, coll, tb, ts, px) => {
    if (shares === 0n) return null;
    const b = toAssetsUp(shares, tb, ts);
    return mbOf(coll, px) * WAD / b;
  };
  const posOf = async (user, ptag = 'latest') => words(await call(url, c.morpho, sel('Morpho', 'position(bytes32,address)') + c.id.slice(2) + addrWord(user), ptag));
  let same = 0;
  for (const p of s.positions) {
    const user = p.id.split(':')[0];
    const w = words(await call(url, c.morpho, sel('Morpho', 'position(bytes32,address)') + c.id.slice(2) + addrWord(user)));
    const want = hfOf(w[1], w[2], acc[2], acc[3]);
    const got = p.health_factor === null ? null : decToRaw(p.health_factor, 18);
    if (got === want) same++;
    else console.log(`# ${user}: snapshot ${got}, contract ${want}`);
  }
  ok(same === 3 && s.positions.length === 3, `liqtop snapshot: each health = wDivDown(maxBorrow, toAssetsUp(borrowShares)) on the state accrueInterest leaves at as_of, to the wei (${same}/3)`);
  const bobId = `${c.accts.bob.toLowerCase()}:${c.id.toLowerCase()}`;
  let snapAcc = await rpc(url, 'evm_snapshot', []);
  let cases = 0, agreeing = 0;
  for (const repay of ['max', '1000', '0.000001', '481.615581', '8004.267565']) {
    const pv = await runLiqtop([out2, '--position', bobId, '--format', 'json', ...(repay === 'max' ? [] : ['--repay', repay])], 'preview');
    if (pv.status !== 0) { ok(false, `preview --repay ${repay}: ${pv.err}`); continue; }
    const v = JSON.parse(pv.out);
    cases++;
    // the call the preview describes: repaidShares = toSharesDown(repay)
    const ra = decToRaw(v.repay, 6);
    const sharesIn = (ra * (acc[3] + VIRTUAL_SHARES)) / (acc[2] + 1n);
    let rc = null;
    await atAsOf();
    try {
      rc = await send(url, c.accts.liquidator, c.morpho, sel('Morpho', LIQ) + c.params + addrWord(c.accts.bob) + hex64(0) + hex64(sharesIn) + hex64(9 * 32) + hex64(0));
    } catch (e) { rc = null; }
    let line = `preview --repay ${repay}: `;
    if (rc === null) {
      line += `liquidate reverted, preview says ${v.reverts}`;
      if (v.reverts !== null) agreeing++;
    } else {
      const ev = rc.logs.find((l) => l.address.toLowerCase() === c.morpho.toLowerCase() && l.topics.length === 4);
      const d = words(ev.data); // repaidAssets, repaidShares, seizedAssets, badDebtAssets, badDebtShares
      const w = words(await call(url, c.morpho, sel('Morpho', 'position(bytes32,address)') + c.id.slice(2) + addrWord(c.accts.bob)));
      const st = words(await call(url, c.morpho, sel('Morpho', 'market(bytes32)') + c.id.slice(2)));
      const hfAfter = hfOf(w[1], w[2], st[2], st[3]);
      const got = { repay: ra, seized: decToRaw(v.collateral_seized, 18), fee: decToRaw(v.protocol_fee, 18),
        after: v.health_factor_after === null ? null : decToRaw(v.health_factor_after, 18) };
      const want = { repay: d[0], seized: d[2], fee: 0n, after: d[3] > 0n ? null : hfAfter };
      const eq = got.repay === want.repay && got.seized === want.seized && got.fee === want.fee &&
        (want.after === null ? w[1] === 0n : got.after === want.after) && v.reverts === null;
      line += `repaid ${d[0]}, seized ${d[2]}, health after ${hfAfter}` + (eq ? '' : ` vs preview ${JSON.stringify(v)}`);
      if (eq) agreeing++;
    }
    console.log('# ' + line);
    await rpc(url, 'evm_revert', [snapAcc]);
    snapAcc = await rpc(url, 'evm_snapshot', []);
  }
  ok(cases === 5 && agreeing === cases, `liqtop preview of bob = what liquidate then does, repay, seized, fee and health after (${agreeing}/${cases})`);
  await rpc(url, 'evm_revert', [snapId]);

  // --user, --positions-out, stdout
  r = await runLiqtop([...base, '--user', c.accts.alice, '--user', c.accts.carol, '--block', String(head), '--positions-out', path.join(tmp, 'p.jsonl')]);
  const lines = fs.existsSync(path.join(tmp, 'p.jsonl')) ? fs.readFileSync(path.join(tmp, 'p.jsonl'), 'utf8').trim().split('\n') : [];
  ok(r.status === 0 && lines.length === 2 && JSON.parse(r.out).as_of_block === Number(head) && !('positions' in JSON.parse(r.out)),
    '--user twice, --block, --positions-out: two JSON lines, the portfolio on stdout');
  ok(lines.length === 2 && JSON.parse(lines[1]).borrow_shares === '0', 'carol (collateral only) is written with no shares');
  const nobody = '0x00000000000000000000000000000000000000aa';
  r = await runLiqtop([...base, '--user', nobody]);
  ok(r.status === 0 && JSON.parse(r.out).positions.length === 0 && r.err.includes(nobody + ': no position'), 'a user with no position: said on stderr, none written');

  // --feed rpc: the imported book follows the chain's oracle block by block.
  const book = out2;
  const runFeed = async (feedUrl, during, extra = [], file = book) => {
    const ch = spawn(liqtop, ['run', file, '--feed', 'rpc:' + feedUrl, '--headless', '--report', 'json', ...extra], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '', err = '';
    ch.stdout.on('data', (d) => { out += d; });
    ch.stderr.on('data', (d) => { err += d; });
    const done = new Promise((res) => ch.on('close', (st) => res(st)));
    await during();
    ch.kill('SIGTERM');
    const st = await done;
    let rep = null;
    try { rep = JSON.parse(out); } catch (e) { /* reported below */ }
    return { st, rep, err };
  };
  if (process.env.LIQTOP_CHAIN_HOLD) {
    // for a person to look at the dashboard on this chain: the book and
    // the node's URL in the named file, the node kept for 60 s
    fs.writeFileSync(process.env.LIQTOP_CHAIN_HOLD, `${book} ${url} ${c.oracle} ${c.accts.owner}\n`);
    await sleep(60000);
  }
  const setPrice = (p) => send(url, c.accts.owner, c.oracle, sel('OracleMock', 'setPrice(uint256)') + hex64(p));
  let f1 = await runFeed(url, async () => { await sleep(1500); await setPrice(1700n * 10n ** 24n); await sleep(2500); });
  let headNow = Number(BigInt(await rpc(url, 'eth_blockNumber', [])));
  ok(f1.st === 143 && f1.rep && f1.rep.prices.WETH === '1700' && f1.rep.sources[0].block === headNow && f1.rep.sources[0].state !== 'error',
    `--feed rpc: the oracle's new price applied at block ${headNow}` + (f1.rep ? ` (WETH ${f1.rep.prices.WETH}, block ${f1.rep.sources[0].block})` : ': ' + f1.err));
  const blkNow = await rpc(url, 'eth_getBlockByNumber', ['0x' + headNow.toString(16), false]);
  ok(f1.rep && f1.rep.sources[0].block_time === Number(BigInt(blkNow.timestamp)), 'the block\'s time reported with it');
  // the final snapshot: each health with the oracle's new price, to the
  // wei, on the market as stored at the block applied, accrued to that
  // block's time (as_of follows the chain): Morpho's accrual, the IRM's
  // borrowRateView at that state, wTaylorCompounded
  const accAt = async (block, time) => {
    const tagB = '0x' + block.toString(16);
    const st = words(await call(url, c.morpho, sel('Morpho', 'market(bytes32)') + c.id.slice(2), tagB));
    const rate = words(await call(url, c.irm, sel('IrmMock', 'borrowRateView((address,address,address,address,uint256),(uint128,uint128,uint128,uint128,uint128,uint128))') +
      c.params + st.map(hex64).join(''), tagB))[0];
    const first = rate * BigInt(time - Number(st[4]));
    const second = first * first / (2n * WAD), third = second * first / (3n * WAD);
    const interest = st[2] * (first + second + third) / WAD;
    return [st[0], st[1], st[2] + interest, st[3]];
  };
  const accRun = f1.rep ? await accAt(f1.rep.sources[0].block, f1.rep.sources[0].block_time) : acc;
  let sameRun = 0;
  for (const p of (f1.rep && f1.rep.snapshot.positions) || []) {
    const w = await posOf(p.id.split(':')[0]);
    const want = hfOf(w[1], w[2], accRun[2], accRun[3], 1700n * 10n ** 24n);
    if ((p.health_factor === null ? null : decToRaw(p.health_factor, 18)) === want) sameRun++;
    else console.log(`# run ${p.id.slice(0, 10)}: ${p.health_factor}, contract at oracle 1700: ${want}`);
  }
  ok(sameRun === 3, `--feed rpc: the run's final snapshot has each health at the oracle's new price(), to the wei (${sameRun}/3)`);
  // --confirmations 2: a price set in the newest block is not applied until two more
  f1 = await runFeed(url, async () => { await sleep(1500); await setPrice(1600n * 10n ** 24n); await sleep(2000); }, ['--confirmations', '2']);
  headNow = Number(BigInt(await rpc(url, 'eth_blockNumber', [])));
  const at2 = words(await call(url, c.oracle, sel('OracleMock', 'price()'), '0x' + (headNow - 2).toString(16)))[0];
  ok(f1.rep && at2 !== 1600n * 10n ** 24n && f1.rep.prices.WETH === (at2 / 10n ** 24n).toString() && f1.rep.sources[0].block === headNow - 2,
    `--confirmations 2: block ${headNow - 2} and its price (${at2 / 10n ** 24n}), not the newest block's (1600)` + (f1.rep ? ` (${f1.rep.prices.WETH}, block ${f1.rep.sources[0].block})` : ''));
  // a node that answers 429, then errors, then is fine: shown, retried, never fatal
  let nBad = 0;
  const flaky = await fakeServer(async (req, res) => {
    const body = await readBody(req);
    nBad++;
    if (nBad <= 2) { res.writeHead(429); res.end('too many requests'); return; }
    if (nBad === 3) { res.end('[{"jsonrpc":"2.0","id":1,"error":{"code":-32603,"message":"internal"}}]'); return; }
    res.end(await forward(url, body));
  });
  f1 = await runFeed(flaky, async () => { await sleep(3500); await rpc(url, 'evm_mine', []); await sleep(1500); });
  ok(f1.st === 143 && f1.rep && f1.rep.sources[0].reconnects >= 3 && f1.rep.sources[0].state === 'live' && f1.rep.prices.WETH === '1600',
    'a node answering 429 and an error: retried with back-off, then live' + (f1.rep ? ` (reconnects ${f1.rep.sources[0].reconnects}, ${f1.rep.sources[0].state})` : ': ' + f1.err));
  f1 = await runFeed(`http://127.0.0.1:${await freePort()}`, async () => { await sleep(1500); });
  ok(f1.st === 143 && f1.rep && f1.rep.sources[0].state === 'reconnecting' && f1.rep.sources[0].reconnects >= 1,
    'nothing listening: the run goes on, the feed reconnecting');

  // README "Reading a chain", a borrower's two lines as written there (the
  // dashboard's headless with run): alice's position, the oracle moved
  // while it runs; her health at the end is the contract's at the new
  // price on the state accrued to the block's time, to the wei.
  const me = path.join(tmp, 'me.json');
  r = await runLiqtop(['--rpc', url, '--morpho', c.morpho, '--market', c.id, '--user', c.accts.alice, '--out', me]);
  const mine = r.status === 0 ? JSON.parse(fs.readFileSync(me, 'utf8')) : { positions: [] };
  ok(r.status === 0 && mine.positions.length === 1, 'README: liqtop import --rpc URL --morpho MORPHO --market ID --user ADDR --out me.json' + (r.status ? ': ' + r.err : ''));
  const atImport = await rpc(url, 'evm_snapshot', []);
  const fMe = await runFeed(url, async () => { await sleep(1500); await setPrice(1650n * 10n ** 24n); await sleep(2500); }, [], me);
  const accMe = fMe.rep ? await accAt(fMe.rep.sources[0].block, fMe.rep.sources[0].block_time) : [0n, 0n, 1n, 1n];
  const wMe = await posOf(c.accts.alice);
  await rpc(url, 'evm_revert', [atImport]);
  const wantMe = hfOf(wMe[1], wMe[2], accMe[2], accMe[3], 1650n * 10n ** 24n);
  const gotMe = fMe.rep && fMe.rep.snapshot.positions.length === 1 ? fMe.rep.snapshot.positions[0].health_factor : undefined;
  ok(fMe.st === 143 && fMe.rep && fMe.rep.prices.WETH === '1650' && typeof gotMe === 'string' && decToRaw(gotMe, 18) === wantMe,
    `README: liqtop me.json --feed rpc:URL (as run --headless): alice's health at the oracle's new price = the contract's (${wantMe}, liqtop ${gotMe})`);

  // --feed rpc: what a block changes in a position is read again. While
  // the imported book follows the node: alice adds collateral, bob repays
  // some, carol (collateral only, not in the book) borrows, bob is
  // liquidated; each position of the final snapshot then has the shares
  // and collateral of position() at the block applied, and the contract's
  // health at that block's time, to the wei.
  {
    const P = c.params;
    const fundM = async (tok, who, amt) => {
      await send(url, c.accts.owner, tok, sel('TestToken', 'setBalance(address,uint256)') + addrWord(who) + hex64(amt));
      await send(url, who, tok, sel('TestToken', 'approve(address,uint256)') + addrWord(c.morpho) + hex64((1n << 256n) - 1n));
    };
    const { alice, bob, carol, liquidator } = c.accts;
    const beforeFeed = await rpc(url, 'evm_snapshot', []);
    // between the feed and the node: the second read of logs answered 429,
    // the first read of positions a JSON-RPC error on every call
    const POSITION = sel('Morpho', 'position(bytes32,address)');
    let nLogs = 0, nPos = 0;
    const flakyB = await fakeServer(async (req, res) => {
      const body = await readBody(req);
      const b = JSON.parse(body);
      if (b.some((x) => x.method === 'eth_getLogs') && ++nLogs === 2) { res.writeHead(429); res.end('slow down'); return; }
      if (b.some((x) => x.method === 'eth_call' && x.params[0].data.startsWith(POSITION)) && ++nPos === 1) {
        res.end(JSON.stringify(b.map((x) => ({ jsonrpc: '2.0', id: x.id, error: { code: -32000, message: 'header not found' } }))));
        return;
      }
      res.end(await forward(url, body));
    });
    // alerts on what the transactions change (no price moves): alice's
    // health crosses a line when her collateral is read again, carol
    // appears (a filter rule covers her as she is added), bob is
    // liquidated; the alerts judge the positions each block recomputed
    const snap0 = JSON.parse((await runLiqtop([book, '--format', 'json'], 'snapshot')).out);
    const hfA0 = decToRaw(snap0.positions.find((p) => p.id.startsWith(alice.toLowerCase())).health_factor, 18);
    // at the oracle's price now (the runs above moved it): 1 % above her
    // health then, and well below it once her collateral grows
    const pxBook = BigInt(JSON.parse(fs.readFileSync(book, 'utf8')).markets[0].oracle_price);
    const pxNow = words(await call(url, c.oracle, sel('OracleMock', 'price()'), 'latest'))[0];
    const line = hfA0 * pxNow / pxBook * 101n / 100n;
    const lineDec = `${line / WAD}.${(line % WAD).toString().padStart(18, '0')}`;
    const evFile = path.join(tmp, 'feed-alerts.jsonl');
    const rulesFile = path.join(tmp, 'feed-alerts.json');
    fs.writeFileSync(rulesFile, JSON.stringify({
      rules: [{ name: 'alice-line', when: `health_factor < ${lineDec}`, positions: [snap0.positions.find((p) => p.id.startsWith(alice.toLowerCase())).id] },
        { name: 'carol', when: 'health_factor < 1000000', filter: carol.toLowerCase().slice(2) }],
      actions: [{ file: evFile }] }));
    const fB = await runFeed(flakyB, async () => {
      await sleep(1500);
      await fundM(c.weth, alice, WAD);
      await send(url, alice, c.morpho, sel('Morpho', 'supplyCollateral((address,address,address,address,uint256),uint256,address,bytes)') +
        P + hex64(WAD) + addrWord(alice) + hex64(8 * 32) + hex64(0));
      await fundM(c.usdc, bob, 1000n * 10n ** 6n);
      await send(url, bob, c.morpho, sel('Morpho', 'repay((address,address,address,address,uint256),uint256,uint256,address,bytes)') +
        P + hex64(700n * 10n ** 6n) + hex64(0) + addrWord(bob) + hex64(9 * 32) + hex64(0));
      await send(url, carol, c.morpho, sel('Morpho', 'borrow((address,address,address,address,uint256),uint256,uint256,address,address)') +
        P + hex64(1000n * 10n ** 6n) + hex64(0) + addrWord(carol) + addrWord(carol));
      await send(url, liquidator, c.morpho, sel('Morpho', LIQ) + P + addrWord(bob) + hex64(WAD) + hex64(0) + hex64(9 * 32) + hex64(0));
      await sleep(2500);
    }, ['--alerts', rulesFile]);
    const rep = fB.rep;
    const evs = fs.existsSync(evFile) ? fs.readFileSync(evFile, 'utf8').trim().split('\n').filter((l) => l).map((l) => JSON.parse(l)) : [];
    const evOf = (rule) => evs.filter((e) => e.rule === rule).map((e) => `${e.position.slice(0, 42)} ${e.event}`);
    if (rep) console.log(`# alice's line ${lineDec}; her health at the end ${rep.snapshot.positions.find((p) => p.id.startsWith(alice.toLowerCase())).health_factor}`);
    ok(JSON.stringify(evOf('alice-line')) === JSON.stringify([`${alice.toLowerCase()} fired`, `${alice.toLowerCase()} cleared`]),
      `--alerts with --feed rpc: alice's collateral, read again at its block, clears the rule it fired at the start (${JSON.stringify(evOf('alice-line'))})`);
    ok(JSON.stringify(evOf('carol')) === JSON.stringify([`${carol.toLowerCase()} fired`]),
      `--alerts: carol, a borrower the feed adds, is covered by the filter rule and fires once (${JSON.stringify(evOf('carol'))})`);
    let agree = 0, n = 0;
    if (rep) {
      const tagB = '0x' + rep.sources[0].block.toString(16);
      const accB = await accAt(rep.sources[0].block, rep.sources[0].block_time);
      const px = words(await call(url, c.oracle, sel('OracleMock', 'price()'), tagB))[0];
      for (const p of rep.snapshot.positions) {
        const w = await posOf(p.id.split(':')[0], tagB);
        const want = hfOf(w[1], w[2], accB[2], accB[3], px);
        n++;
        if ((p.health_factor === null ? null : decToRaw(p.health_factor, 18)) === want) agree++;
        else console.log(`# feed ${p.id.slice(0, 10)}: ${p.health_factor}, contract ${want}`);
      }
    }
    const ids = rep ? rep.snapshot.positions.map((p) => p.id.split(':')[0]) : [];
    ok(fB.st === 143 && rep && ids.includes(carol.toLowerCase()) && rep.sources[0].positions_read >= 3 && n >= 3 && agree === n,
      `--feed rpc: collateral supplied, a repay, a new borrower and a liquidation read at their blocks; every health = the contract's (${agree}/${n})` +
      (rep ? ` (${rep.sources[0].positions_read} positions read)` : ': ' + fB.err));
    ok(rep && nLogs >= 2 && nPos >= 2 && rep.sources[0].reconnects >= 2 && rep.sources[0].state === 'live',
      `a 429 on a block's logs and a JSON-RPC error on its positions: each shown, the block read again, never fatal (${rep ? rep.sources[0].reconnects : '-'} retries)`);
    await rpc(url, 'evm_revert', [beforeFeed]); /* the faults below count three borrowers */
    // a node that refuses more than 4 blocks of logs a request: the feed
    // halves its span and follows the chain from the file's block, 4 at a
    // time, to the head
    const spans = [];
    const narrow = await fakeServer(async (req, res) => {
      const body = await readBody(req);
      const b = JSON.parse(body);
      const lg = b.find((x) => x.method === 'eth_getLogs');
      if (lg) {
        const span = Number(BigInt(lg.params[0].toBlock) - BigInt(lg.params[0].fromBlock)) + 1;
        spans.push(span);
        if (span > 4) {
          res.end(JSON.stringify(b.map((x) => (x === lg ? { jsonrpc: '2.0', id: x.id, error: { code: -32005, message: 'query exceeds max block range 4' } }
            : { jsonrpc: '2.0', id: x.id, result: null }))));
          return;
        }
      }
      res.end(await forward(url, body));
    });
    // the book as if read 30 blocks back: those blocks' logs are read
    const headB = Number(BigInt(await rpc(url, 'eth_blockNumber', [])));
    const back = JSON.parse(fs.readFileSync(book, 'utf8'));
    back.as_of_block = headB - 30;
    const backFile = path.join(tmp, 'back.json');
    fs.writeFileSync(backFile, JSON.stringify(back));
    const fN = await runFeed(narrow, async () => { await sleep(6000); }, [], backFile);
    const headN = Number(BigInt(await rpc(url, 'eth_blockNumber', [])));
    ok(fN.rep && fN.rep.sources[0].block === headN && fN.rep.sources[0].state === 'live' && spans[0] > 4 && spans[spans.length - 1] <= 4,
      `logs refused past 4 blocks: the span halved (${spans.slice(0, 6).join(', ')}...), the chain followed to block ${headN}` +
      (fN.rep ? ` (applied ${fN.rep.sources[0].block})` : ': ' + fN.err));
  }

  // faults: each exits 2, names the call, and leaves --out as it was
  const sentinel = path.join(tmp, 'keep.json');
  const fault = async (desc, args, re) => {
    fs.writeFileSync(sentinel, 'before\n');
    const f = await runLiqtop([...args, '--out', sentinel]);
    const left = fs.readdirSync(tmp).filter((n) => n.includes('.tmp.'));
    ok(f.status === 2 && re.test(f.err) && fs.readFileSync(sentinel, 'utf8') === 'before\n' && left.length === 0,
      `${desc}: exit 2, ${re} named, nothing written` + (f.status === 2 && re.test(f.err) ? '' : ` (exit ${f.status}: ${f.err.trim()})`));
  };
  await fault('an address with no code', ['--rpc', url, '--morpho', nobody, '--market', c.id, '--user', c.accts.alice], /eth_getCode 0x0+aa \(Morpho\): no contract/);
  await fault('a market that does not exist', ['--rpc', url, '--morpho', c.morpho, '--market', '0x' + '11'.repeat(32), '--user', c.accts.alice], /does not exist/);
  await fault('a block that does not exist', [...base, '--user', c.accts.alice, '--block', '99999999'], /--block 99999999: no such block/);
  const dead = await freePort();
  await fault('nothing listening', ['--rpc', `http://127.0.0.1:${dead}`, '--morpho', c.morpho, '--market', c.id, '--user', c.accts.alice], /eth_chainId: .*(refused|connect)/i);
  let url2 = await fakeServer((req, res) => { res.end('this is not json {'); });
  await fault('an answer that is not JSON', ['--rpc', url2, ...base.slice(2), '--user', c.accts.alice], /eth_chainId: .*not JSON/);
  url2 = await fakeServer(async (req, res) => {
    const b = JSON.parse(await readBody(req));
    res.end(JSON.stringify(b.map((x) => ({ jsonrpc: '2.0', id: x.id, error: { code: -32000, message: 'header not found' } }))));
  });
  await fault('a JSON-RPC error', ['--rpc', url2, ...base.slice(2), '--user', c.accts.alice], /eth_chainId: JSON-RPC error -32000: header not found/);
  url2 = await fakeServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    const chunk = Buffer.alloc(1 << 20, 0x20);
    let n = 0;
    const more = () => { while (n < 80) { n++; if (!res.write(chunk)) { res.once('drain', more); return; } } res.end(); };
    more();
  });
  await fault('a huge answer', ['--rpc', url2, ...base.slice(2), '--user', c.accts.alice], /response larger than 67108864 bytes/);
  // the node killed mid-import: a second anvil on the same chain state is
  // killed once the import has made its first requests
  const node2 = await startAnvil();
  await rpc(node2.url, 'anvil_loadState', [await rpc(url, 'anvil_dumpState', [])]);
  let seen = 0;
  url2 = await fakeServer(async (req, res) => {
    const body = await readBody(req);
    if (++seen === 4) node2.child.kill('SIGKILL');
    try { res.end(await forward(node2.url, body)); } catch (e) { req.socket.destroy(); }
  });
  await fault('the node killed mid-import', ['--rpc', url2, ...base.slice(2), '--borrowers'], /idToMarketParams\(0x[0-9a-f]+\.\.\.\): .*(Empty reply|reset|refused|connect|Recv)/i);
  // 429 once, then the node: retried with back-off, the import completes
  let n429 = 0;
  url2 = await fakeServer(async (req, res) => {
    const body = await readBody(req);
    if (n429++ === 1) { res.writeHead(429); res.end('slow down'); return; }
    res.end(await forward(url, body));
  });
  r = await runLiqtop([...base.slice(0, 0), '--rpc', url2, ...base.slice(2), '--borrowers']);
  ok(r.status === 0 && JSON.parse(r.out).positions.length === 3 && n429 > 2, 'a 429 is retried and the import completes');
  // a node that refuses wide log ranges: halved until it answers
  const ranges = [];
  url2 = await fakeServer(async (req, res) => {
    const body = await readBody(req);
    const b = JSON.parse(body);
    if (b[0].method === 'eth_getLogs') {
      const span = Number(BigInt(b[0].params[0].toBlock) - BigInt(b[0].params[0].fromBlock)) + 1;
      ranges.push(span);
      if (span > 10) { res.end(JSON.stringify([{ jsonrpc: '2.0', id: b[0].id, error: { code: -32005, message: 'query exceeds max block range 10' } }])); return; }
    }
    res.end(await forward(url, body));
  });
  r = await runLiqtop(['--rpc', url2, ...base.slice(2), '--borrowers', '--log-range', '100']);
  ok(r.status === 0 && JSON.parse(r.out).positions.length === 3 && ranges[0] > 10 && ranges[1] === Math.floor(ranges[0] / 2) && ranges[ranges.length - 1] <= 10,
    `refused log ranges are halved and the borrowers still found (${ranges.slice(0, 5).join(', ')}...)`);
  return c;
}

main().catch((e) => { ok(false, 'chain test: ' + e.stack); }).finally(() => {
  for (const ch of children) ch.kill('SIGKILL');
  for (const s of servers) s.close();
  fs.rmSync(tmp, { recursive: true, force: true });
  process.exit(failures ? 1 : 0);
});
