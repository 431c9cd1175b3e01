// tests/chain/compound_native.cjs: liqtop import --compound-v2 and --feed
// rpc: on a native market: Venus's VBNB (@venusprotocol/venus-protocol),
// which holds no ERC-20 (as Compound's cETH: its underlying() answers the
// zero address) and which SimplePriceOracle prices at 1e18, added to the
// Venus Comptroller of compound.cjs. An import must read it as BNB of 18
// decimals, and every account's figures must be getAccountLiquidity's;
// then, with the feed running, a native mint (value sent), a native
// repay, interest in the native market, a price, its collateral factor
// and the incentive changed must leave every health factor
// getAccountLiquidity's and the snapshot a fresh import's. Prints TAP
// lines.
//
// Compound's own three-word markets() and single incentive are not here:
// Venus's package has ComptrollerMockR1, of that layout, but its liquidity
// goes through a ComptrollerLens of the R1 interface that the package
// does not ship (the ComptrollerLens it ships calls getEffectiveLtvFactor
// and deviationBoundedOracle, which R1 lacks), so its borrows and
// getAccountLiquidity revert, and a lens of our own would compare liqtop
// with our own code.
// usage: node compound_native.cjs NPM_DIR LIQTOP
'use strict';
const L = require('./lib.cjs');
const { ok, rpc, tx, fs, path } = L;
const [npm, liqtop] = process.argv.slice(2).map((p) => path.resolve(p));
const { setup: base, sumBorrow, call0, word, deploy } = require('./compound.cjs');
const WAD = 10n ** 18n, MAX = (1n << 256n) - 1n;
const dec = (s, places) => { const [i, f = ''] = s.split('.'); return BigInt(i + f.padEnd(places, '0')); };
const tmp = require('os').tmpdir();

// A payable call (the native market's mint and repayBorrow).
async function pay(url, from, to, sig, value) {
  const data = await L.selector(url, sig);
  const h = await rpc(url, 'eth_sendTransaction', [{ from, to, data, value: '0x' + value.toString(16), gas: '0x1c9c380' }]);
  for (let i = 0; i < 100; i++) {
    const rc = await rpc(url, 'eth_getTransactionReceipt', [h]);
    if (rc !== null) {
      if (rc.status !== '0x1') throw new Error(sig + ': reverted');
      return rc;
    }
    await L.sleep(20);
  }
  throw new Error(sig + ': no receipt');
}

async function setup(url) {
  const c = await base(url);
  const { owner, comp, irm, oracle } = c;
  const [, , , , , , , erin, frank] = await rpc(url, 'eth_accounts', []);
  const acm = await deploy(url, owner, 'test/AccessControlManagerMock.sol/AccessControlManagerMock.json', ['address'], [owner]);
  const vbnb = await deploy(url, owner, 'Tokens/VTokens/VBNB.sol/VBNB.json',
    ['address', 'address', 'uint256', 'string', 'string', 'uint8', 'address'],
    [comp, irm, 2n * 10n ** 26n, 'Venus BNB', 'vBNB', 8, owner]);
  await tx(url, owner, vbnb, 'setAccessControlManager(address)', ['address'], [acm]);
  await tx(url, owner, vbnb, 'setReduceReservesBlockDelta(uint256)', ['uint256'], [10n ** 12n]);
  await call0(url, owner, vbnb, '_setReserveFactor(uint256)', ['uint256'], [10n ** 17n]);
  await call0(url, owner, comp, 'supportMarket(address)', ['address'], [vbnb]);
  await call0(url, owner, comp, 'setCollateralFactor(address,uint256,uint256)', ['address', 'uint256', 'uint256'],
    [vbnb, 75n * 10n ** 16n, 75n * 10n ** 16n]);
  await call0(url, owner, comp, 'setLiquidationIncentive(address,uint256)', ['address', 'uint256'], [vbnb, 11n * 10n ** 17n]);
  await tx(url, owner, comp, 'setIsBorrowAllowed(uint96,address,bool)', ['uint96', 'address', 'bool'], [0, vbnb, true]);
  await tx(url, owner, comp, 'setMarketSupplyCaps(address[],uint256[])', ['address[]', 'uint256[]'], [[vbnb], [MAX / 2n]]);
  await tx(url, owner, comp, 'setMarketBorrowCaps(address[],uint256[])', ['address[]', 'uint256[]'], [[vbnb], [MAX / 2n]]);
  const { USDC } = c.m;
  const enter = (who, vs) => tx(url, who, comp, 'enterMarkets(address[])', ['address[]'], [vs]);
  // the lender: BNB to borrow; erin: BNB collateral, USDC debt; frank:
  // USDC collateral, BNB debt
  await pay(url, c.lender, vbnb, 'mint()', 5000n * WAD);
  await enter(c.lender, [vbnb]);
  await pay(url, erin, vbnb, 'mint()', 1000n * WAD);
  await enter(erin, [vbnb]);
  await call0(url, erin, USDC.v, 'borrow(uint256)', ['uint256'], [600n * 10n ** 6n + 123457n]);
  await tx(url, frank, USDC.token, 'faucet(uint256)', ['uint256'], [10n ** 10n]);
  await tx(url, frank, USDC.token, 'approve(address,uint256)', ['address', 'uint256'], [USDC.v, MAX]);
  await call0(url, frank, USDC.v, 'mint(uint256)', ['uint256'], [2000n * 10n ** 6n]);
  await enter(frank, [USDC.v]);
  await call0(url, frank, vbnb, 'borrow(uint256)', ['uint256'], [1200n * WAD + 7n]);
  return { ...c, erin, frank, vbnb, oracle };
}

// Every position of a snapshot against getAccountLiquidity at tag.
async function same(url, c, s, tag) {
  let n = 0, eq = 0;
  for (const p of s.positions) {
    const [err, liq, short] = await word(url, c.comp, 'getAccountLiquidity(address)', ['address'], [p.id], tag);
    const sb = await sumBorrow(url, c, p.id, tag);
    let good = err === 0n && p.liquidatable === (short > 0n);
    if (sb === 0n) good = good && p.health_factor === null;
    else good = good && dec(p.debt_value, 18) === sb && dec(p.health_factor, 18) === (sb + liq - short) * WAD / sb;
    n++;
    if (good) eq++;
    else console.log(`# ${p.id}: hf ${p.health_factor} debt ${p.debt_value}; chain liquidity ${liq} shortfall ${short} sumBorrow ${sb}`);
  }
  return { n, eq };
}

const byId = (s) => ({ ...s, positions: [...s.positions].sort((a, b) => (a.id < b.id ? -1 : 1)) });

async function main() {
  const node = await L.startAnvil(npm);
  const url = node.url;
  const c = await setup(url);
  const book = path.join(tmp, `liqtop-compound-r1-${process.pid}.json`);
  const r0 = await L.runLiqtop(liqtop, ['import', '--rpc', url, '--compound-v2', c.comp, '--borrowers', '--user', c.lender, '--out', book]);
  ok(r0.status === 0, 'a native market (vBNB): import --compound-v2 exits 0' + (r0.status ? ': ' + r0.err : ''));
  if (r0.status !== 0) return;
  const pf = JSON.parse(fs.readFileSync(book, 'utf8'));
  const mk = pf.markets[0];
  const bnb = mk.assets.find((a) => a.symbol === 'BNB');
  const ua = await rpc(url, 'eth_call', [{ to: c.vbnb, data: await L.selector(url, 'underlying()') }, 'latest']);
  ok(BigInt(ua) === 0n && bnb && bnb.decimals === 18 && bnb.liquidation_threshold === '0.75' && pf.chain.ctokens.BNB === c.vbnb.toLowerCase() &&
    pf.prices.BNB === '1', `vBNB (underlying() ${ua.slice(0, 10)}...0) read as the native BNB of 18 decimals, priced ${pf.prices.BNB}, factor ${bnb && bnb.liquidation_threshold}`);
  const tag0 = '0x' + pf.as_of_block.toString(16);
  const s0 = JSON.parse((await L.runLiqtop(liqtop, ['snapshot', book, '--format', 'json'])).out);
  const h0 = await same(url, c, s0, tag0);
  ok(h0.n === 7 && h0.eq === h0.n, `import: every account's health factor and debt value = getAccountLiquidity's (${h0.eq}/${h0.n})`);

  const ch = require('child_process').spawn(liqtop, ['run', book, '--feed', 'rpc:' + url, '--headless', '--report', 'json'],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  L.state.children.push(ch);
  let out = '', err = '';
  ch.stdout.on('data', (d) => { out += d; });
  ch.stderr.on('data', (d) => { err += d; });
  const closed = new Promise((res) => ch.on('close', res));
  await L.sleep(1500);
  await pay(url, c.erin, c.vbnb, 'mint()', 7n * WAD + 11n);
  await pay(url, c.frank, c.vbnb, 'repayBorrow()', 100n * WAD);
  await tx(url, c.owner, c.irm, 'setBorrowRate(uint256)', ['uint256'], [4000000000000n]);
  await rpc(url, 'anvil_mine', ['0x20', '0xc']);
  await call0(url, c.owner, c.vbnb, 'accrueInterest()', [], []);
  await tx(url, c.owner, c.oracle, 'setUnderlyingPrice(address,uint256)', ['address', 'uint256'], [c.m.USDC.v, 998877665544332211n * 10n ** 12n]);
  await call0(url, c.owner, c.comp, 'setCollateralFactor(address,uint256,uint256)', ['address', 'uint256', 'uint256'],
    [c.vbnb, 7n * 10n ** 17n, 7n * 10n ** 17n]);
  for (const v of [c.vbnb, ...Object.values(c.m).map((x) => x.v)]) {
    await call0(url, c.owner, c.comp, 'setLiquidationIncentive(address,uint256)', ['address', 'uint256'], [v, 108n * 10n ** 16n]);
  }
  await rpc(url, 'anvil_mine', ['0x3']);
  await L.sleep(2500);
  ch.kill('SIGTERM');
  await closed;
  let rep = null;
  try { rep = JSON.parse(out); } catch (e) { /* below */ }
  const head = Number(BigInt(await rpc(url, 'eth_blockNumber', [])));
  ok(rep && rep.sources[0].block === head && rep.sources[0].state === 'live',
    `--feed rpc follows the node to block ${head}` + (rep ? ` (applied ${rep.sources[0].block}, ${rep.sources[0].state})` : ': ' + err));
  if (!rep) return;
  const tag = '0x' + head.toString(16);
  const h = await same(url, c, rep.snapshot, tag);
  ok(h.n === 7 && h.eq === h.n, `after a native mint and repay, interest, a price, the factor and the incentive: every health factor = getAccountLiquidity's (${h.eq}/${h.n})`);
  const fresh = path.join(tmp, `liqtop-compound-r1-fresh-${process.pid}.json`);
  const im = await L.runLiqtop(liqtop, ['import', '--rpc', url, '--compound-v2', c.comp, '--borrowers', '--user', c.lender, '--block', String(head), '--out', fresh]);
  const snap = im.status === 0 ? await L.runLiqtop(liqtop, ['snapshot', fresh, '--format', 'json']) : im;
  const want = snap.status === 0 ? JSON.stringify(byId(JSON.parse(snap.out))) : snap.err;
  const have = JSON.stringify(byId(rep.snapshot));
  if (have !== want) console.log(`# feed:  ${have}\n# fresh: ${want}`);
  ok(have === want, `the snapshot = liqtop snapshot of a fresh import at block ${head}`);
  const fpf = im.status === 0 ? JSON.parse(fs.readFileSync(fresh, 'utf8')) : null;
  ok(fpf && fpf.markets[0].params.liquidation_incentive === '1.08' && fpf.markets[0].assets.find((a) => a.symbol === 'BNB').liquidation_threshold === '0.7',
    'the fresh import reads the new factor and incentive');
  fs.rmSync(book, { force: true });
  fs.rmSync(fresh, { force: true });
}

if (require.main === module) {
  main().catch((e) => { ok(false, 'compound native chain test: ' + e.stack); }).finally(L.finish);
}
