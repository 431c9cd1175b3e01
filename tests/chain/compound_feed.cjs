// tests/chain/compound_feed.cjs: --feed rpc: on a Compound v2 market
// (Venus, the fork tests/chain/compound.cjs deploys on anvil). While
// `liqtop run --headless` follows the node, the chain changes under the
// book: interest accrues in some markets and not others (borrowIndex),
// a price moves, a borrow, a repay, a mint, a market entered, vTokens
// transferred, the collateral factor, close factor and incentive changed;
// then, from the same book, a liquidation, a market exited and a reorg.
// After each, with the feed stopped at the node's head: every health
// factor and debt value must be getAccountLiquidity's at that block (as
// compound.cjs derives them), and the whole snapshot must equal `liqtop
// snapshot` of a fresh `liqtop import` at that block. Prints TAP lines.
// usage: node compound_feed.cjs NPM_DIR LIQTOP
'use strict';
const L = require('./lib.cjs');
const { ok, rpc, tx, view, words, fs, path } = L;
const [npm, liqtop] = process.argv.slice(2).map((p) => path.resolve(p));
const { setup, sumBorrow, call0, word } = require('./compound.cjs');
const WAD = 10n ** 18n, MAX = (1n << 256n) - 1n;
const dec = (s, places) => { const [i, f = ''] = s.split('.'); return BigInt(i + f.padEnd(places, '0')); };
const tmp = require('os').tmpdir();

function follow(book, url) {
  const ch = require('child_process').spawn(liqtop, ['run', book, '--feed', 'rpc:' + url, '--headless', '--report', 'json'],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  L.state.children.push(ch);
  let out = '', err = '';
  ch.stdout.on('data', (d) => { out += d; });
  ch.stderr.on('data', (d) => { err += d; });
  const closed = new Promise((res) => ch.on('close', res));
  return {
    stop: async () => {
      ch.kill('SIGTERM');
      const st = await closed;
      let rep = null;
      try { rep = JSON.parse(out); } catch (e) { /* told below */ }
      return { st, rep, err };
    },
  };
}

const byId = (s) => ({ ...s, positions: [...s.positions].sort((a, b) => (a.id < b.id ? -1 : 1)) });

// The feed's report at the node's head against the chain and a fresh import.
async function judge(url, c, what, r) {
  const head = Number(BigInt(await rpc(url, 'eth_blockNumber', [])));
  const src = r.rep ? r.rep.sources[0] : null;
  ok(src && src.block === head && src.state === 'live',
    `${what}: --feed rpc follows the node to block ${head}` + (src ? ` (applied ${src.block}, ${src.state}${src.error ? ', ' + src.error : ''})` : ': ' + r.err));
  if (!src) return;
  const tag = '0x' + head.toString(16);
  let n = 0, eq = 0;
  for (const p of r.rep.snapshot.positions) {
    const [err, liq, short] = await word(url, c.comp, 'getAccountLiquidity(address)', ['address'], [p.id], tag);
    const sb = await sumBorrow(url, c, p.id, tag);
    let good = err === 0n && p.liquidatable === (short > 0n);
    if (sb === 0n) good = good && p.health_factor === null;
    else good = good && dec(p.debt_value, 18) === sb && dec(p.health_factor, 18) === (sb + liq - short) * WAD / sb;
    n++;
    if (good) eq++;
    else console.log(`# ${p.id}: feed hf ${p.health_factor} debt ${p.debt_value}; chain liquidity ${liq} shortfall ${short} sumBorrow ${sb}`);
  }
  ok(n >= 5 && eq === n, `${what}: every health factor and debt value = getAccountLiquidity's at the block (${eq}/${n})`);
  const fresh = path.join(tmp, `liqtop-compound-feed-${process.pid}.json`);
  const users = r.rep.snapshot.positions.flatMap((p) => ['--user', p.id]);
  const im = await L.runLiqtop(liqtop, ['import', '--rpc', url, '--compound-v2', c.comp, '--borrowers', '--block', String(head),
    ...users, '--out', fresh]);
  const snap = im.status === 0 ? await L.runLiqtop(liqtop, ['snapshot', fresh, '--format', 'json']) : im;
  const want = snap.status === 0 ? JSON.stringify(byId(JSON.parse(snap.out))) : snap.err;
  const have = JSON.stringify(byId(r.rep.snapshot));
  if (have !== want) console.log(`# feed:  ${have}\n# fresh: ${want}`);
  ok(have === want, `${what}: the snapshot = liqtop snapshot of a fresh import at block ${head}`);
  fs.rmSync(fresh, { force: true });
  return r.rep;
}

async function main() {
  const node = await L.startAnvil(npm);
  const url = node.url;
  const c = await setup(url);
  const { m, owner } = c;
  const book = path.join(tmp, `liqtop-compound-book-${process.pid}.json`);
  const r0 = await L.runLiqtop(liqtop, ['import', '--rpc', url, '--compound-v2', c.comp, '--borrowers', '--user', c.lender, '--out', book]);
  ok(r0.status === 0, 'import --compound-v2 --borrowers exits 0' + (r0.status ? ': ' + r0.err : ''));
  if (r0.status !== 0) return;
  const pf = JSON.parse(fs.readFileSync(book, 'utf8'));
  ok(Object.keys(pf.chain.ctokens).length === 3 && pf.chain.ctokens.USDC === m.USDC.v.toLowerCase(),
    'the import names each asset\'s vToken in "chain".ctokens');
  const bi0 = {};
  for (const x of Object.values(m)) bi0[x.sym] = (await word(url, x.v, 'borrowIndex()', []))[0];

  // 1. interest again (USDC and WETH accrue, WBTC does not), WETH's
  // price, alice borrows, bob repays, carol mints, dave enters USDC, the
  // lender sends vUSDC to alice, then the Comptroller's parameters
  let f = follow(book, url);
  await L.sleep(1500);
  await tx(url, owner, c.irm, 'setBorrowRate(uint256)', ['uint256'], [4000000000000n]);
  await rpc(url, 'anvil_mine', ['0x32', '0xc']);
  await call0(url, owner, m.USDC.v, 'accrueInterest()', [], []);
  await tx(url, owner, c.oracle, 'setUnderlyingPrice(address,uint256)', ['address', 'uint256'], [m.WETH.v, 2111222333444555666777n]);
  await call0(url, c.alice, m.USDC.v, 'borrow(uint256)', ['uint256'], [1234567891n]);
  await tx(url, c.bob, m.WETH.token, 'faucet(uint256)', ['uint256'], [10n ** 18n]);
  await tx(url, c.bob, m.WETH.token, 'approve(address,uint256)', ['address', 'uint256'], [m.WETH.v, MAX]);
  await call0(url, c.bob, m.WETH.v, 'repayBorrow(uint256)', ['uint256'], [123456789012345678n]);
  await tx(url, c.carol, m.USDC.token, 'faucet(uint256)', ['uint256'], [2000000n]);
  await call0(url, c.carol, m.USDC.v, 'mint(uint256)', ['uint256'], [2000000n]);
  await tx(url, c.dave, c.comp, 'enterMarkets(address[])', ['address[]'], [[m.USDC.v]]);
  await tx(url, c.lender, m.USDC.v, 'transfer(address,uint256)', ['address', 'uint256'], [c.alice, 5000n * 10n ** 8n]);
  await rpc(url, 'anvil_mine', ['0x5']);
  await call0(url, owner, c.comp, 'setCollateralFactor(address,uint256,uint256)', ['address', 'uint256', 'uint256'],
    [m.WETH.v, 75n * 10n ** 16n, 75n * 10n ** 16n]);
  await call0(url, owner, c.comp, '_setCloseFactor(uint256)', ['uint256'], [6n * 10n ** 17n]);
  for (const x of Object.values(m)) {
    await call0(url, owner, c.comp, 'setLiquidationIncentive(address,uint256)', ['address', 'uint256'], [x.v, 108n * 10n ** 16n]);
  }
  await L.sleep(2500);
  const moved = [];
  for (const x of Object.values(m)) if ((await word(url, x.v, 'borrowIndex()', []))[0] !== bi0[x.sym]) moved.push(x.sym);
  ok(moved.join() === 'USDC,WETH', `interest accrued on the chain in USDC and WETH, not WBTC (${moved.join(', ')})`);
  let r = await f.stop();
  const rep = await judge(url, c, 'interest, price, borrow, repay, mint, enterMarkets, transfer, CF, close factor, incentive', r);
  if (rep) {
    ok(rep.sources[0].positions_read >= 5, `positions read again at the blocks that touched them (${rep.sources[0].positions_read})`);
    // not a book the chain left alone: no position's figures are the
    // import's any more (the lender's collateral moved with the transfer
    // and the exchange rate)
    const old = JSON.parse((await L.runLiqtop(liqtop, ['snapshot', book, '--format', 'json'])).out);
    const moved = old.positions.filter((p) => {
      const q = rep.snapshot.positions.find((x) => x.id === p.id);
      return q && (q.health_factor !== p.health_factor || q.collateral_value !== p.collateral_value);
    }).length;
    ok(moved === 5 && old.positions.length === 5, `every position's figures moved from the imported book's (${moved}/${old.positions.length})`);
  }

  // 2. from the same book: bob liquidated (USDC repaid, WBTC seized) at
  // the new incentive; a block where carol borrows is replaced by one
  // where dave repays WBTC; dave exits USDC
  f = follow(book, url);
  await L.sleep(1500);
  const liquidator = c.liquidator;
  await tx(url, liquidator, m.USDC.token, 'faucet(uint256)', ['uint256'], [10n ** 12n]);
  await tx(url, liquidator, m.USDC.token, 'approve(address,uint256)', ['address', 'uint256'], [m.USDC.v, MAX]);
  const short0 = (await word(url, c.comp, 'getAccountLiquidity(address)', ['address'], [c.bob]))[2];
  await call0(url, liquidator, m.USDC.v, 'liquidateBorrow(address,uint256,address)', ['address', 'uint256', 'address'],
    [c.bob, 3000n * 10n ** 6n, m.WBTC.v]);
  ok(short0 > 0n, `bob liquidated on the chain (shortfall ${short0} before)`);
  await L.sleep(2000);
  const sid = await rpc(url, 'evm_snapshot', []);
  await call0(url, c.carol, m.WBTC.v, 'borrow(uint256)', ['uint256'], [500n]);
  await L.sleep(2500);
  await rpc(url, 'evm_revert', [sid]);
  await tx(url, c.dave, m.WBTC.token, 'faucet(uint256)', ['uint256'], [10n ** 8n]);
  await tx(url, c.dave, m.WBTC.token, 'approve(address,uint256)', ['address', 'uint256'], [m.WBTC.v, MAX]);
  await call0(url, c.dave, m.WBTC.v, 'repayBorrow(uint256)', ['uint256'], [1234567n]);
  await call0(url, c.dave, c.comp, 'exitMarket(address)', ['address'], [m.USDC.v]);
  await rpc(url, 'anvil_mine', ['0x3']);
  await L.sleep(2500);
  r = await f.stop();
  const rep2 = await judge(url, c, 'liquidation, a replaced block, exitMarket', r);
  if (rep2) ok(rep2.sources[0].reorgs >= 1, `the replaced block is seen (${rep2.sources[0].reorgs} reorgs)`);
  fs.rmSync(book, { force: true });
}

if (require.main === module) {
  main().catch((e) => { ok(false, 'compound feed chain test: ' + e.stack); }).finally(L.finish);
}
