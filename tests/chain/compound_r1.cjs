// tests/chain/compound_r1.cjs: Compound v2's own markets() layout on a
// chain: Venus's ComptrollerMockR1 (@venusprotocol/venus-protocol, its
// first Comptroller) answers markets() in Compound's three words (listed,
// collateral factor, isVenus) and holds one liquidationIncentiveMantissa,
// and has no borrowGuardianPaused. Its liquidity goes through a
// ComptrollerLens of the R1 interface the package does not ship, so
// nothing can be borrowed there and getAccountLiquidity reverts: the
// accounts here only supply (vUSDC of a 6-decimal token, and vBNB, the
// native market). import must read the factor from word 1, the one
// incentive, every exchangeRateStored and every account's vTokens in the
// markets it entered as the contracts answer them; then, with the feed
// running, a mint, a transfer, a factor set to 0 (the feed then asks for
// the deprecation the R1 Comptroller cannot answer, and goes on) and the
// incentive changed must leave the feed live at the head and its
// snapshot a fresh import's. Prints TAP lines.
// usage: node compound_r1.cjs NPM_DIR LIQTOP
'use strict';
const L = require('./lib.cjs');
const { ok, rpc, tx, fs, path } = L;
const [npm, liqtop] = process.argv.slice(2).map((p) => path.resolve(p));
const { call0, word, deploy } = require('./compound.cjs');
const WAD = 10n ** 18n, MAX = (1n << 256n) - 1n;
const dec = (s, places) => { const [i, f = ''] = s.split('.'); return BigInt(i + f.padEnd(places, '0')); };
const tmp = require('os').tmpdir();
const byId = (s) => ({ ...s, positions: [...s.positions].sort((a, b) => (a.id < b.id ? -1 : 1)) });

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
  const [owner, lender, alice, bob] = await rpc(url, 'eth_accounts', []);
  const acm = await deploy(url, owner, 'test/AccessControlManagerMock.sol/AccessControlManagerMock.json', ['address'], [owner]);
  const comp = await deploy(url, owner, 'test/ComptrollerMockR1.sol/ComptrollerMockR1.json');
  await tx(url, owner, comp, '_setAccessControl(address)', ['address'], [acm]);
  const oracle = await deploy(url, owner, 'test/SimplePriceOracle.sol/SimplePriceOracle.json');
  await call0(url, owner, comp, '_setPriceOracle(address)', ['address'], [oracle]);
  await call0(url, owner, comp, '_setCloseFactor(uint256)', ['uint256'], [5n * 10n ** 17n]);
  await call0(url, owner, comp, '_setLiquidationIncentive(uint256)', ['uint256'], [11n * 10n ** 17n]);
  const irm = await deploy(url, owner, 'test/InterestRateModelHarness.sol/InterestRateModelHarness.json', ['uint256'], [0n]);
  const vbnb = await deploy(url, owner, 'Tokens/VTokens/VBNB.sol/VBNB.json',
    ['address', 'address', 'uint256', 'string', 'string', 'uint8', 'address'],
    [comp, irm, 2n * 10n ** 26n, 'Venus BNB', 'vBNB', 8, owner]);
  const usdc = await deploy(url, owner, 'test/MockToken.sol/MockToken.json', ['string', 'string', 'uint8'], ['USDC', 'USDC', 6]);
  const vusdc = await deploy(url, owner, 'Tokens/VTokens/VBep20Immutable.sol/VBep20Immutable.json',
    ['address', 'address', 'address', 'uint256', 'string', 'string', 'uint8', 'address'],
    [usdc, comp, irm, 2n * 10n ** 14n, 'Venus USDC', 'vUSDC', 8, owner]);
  for (const v of [vbnb, vusdc]) {
    await tx(url, owner, v, 'setAccessControlManager(address)', ['address'], [acm]);
    await call0(url, owner, comp, '_supportMarket(address)', ['address'], [v]);
  }
  await tx(url, owner, oracle, 'setUnderlyingPrice(address,uint256)', ['address', 'uint256'], [vusdc, 10n ** 30n]);
  await call0(url, owner, comp, '_setCollateralFactor(address,uint256)', ['address', 'uint256'], [vbnb, 75n * 10n ** 16n]);
  await call0(url, owner, comp, '_setCollateralFactor(address,uint256)', ['address', 'uint256'], [vusdc, 8n * 10n ** 17n]);
  await tx(url, owner, comp, '_setMarketSupplyCaps(address[],uint256[])', ['address[]', 'uint256[]'], [[vbnb, vusdc], [MAX / 2n, MAX / 2n]]);
  const enter = (who, vs) => tx(url, who, comp, 'enterMarkets(address[])', ['address[]'], [vs]);
  await tx(url, lender, usdc, 'faucet(uint256)', ['uint256'], [10n ** 13n]);
  await tx(url, lender, usdc, 'approve(address,uint256)', ['address', 'uint256'], [vusdc, MAX]);
  await call0(url, lender, vusdc, 'mint(uint256)', ['uint256'], [10n ** 12n + 3n]);
  await pay(url, lender, vbnb, 'mint()', 5000n * WAD + 9n);
  await enter(lender, [vusdc, vbnb]);
  await pay(url, alice, vbnb, 'mint()', 1000n * WAD);
  await enter(alice, [vbnb]);
  return { owner, lender, alice, bob, comp, oracle, irm, vbnb, vusdc, usdc };
}

// The import's market and positions against the contracts at tag.
async function matches(url, c, pf, tag) {
  const d = [];
  const mk = pf.markets[0];
  const inc = (await word(url, c.comp, 'liquidationIncentiveMantissa()', [], [], tag))[0];
  if (dec(mk.params.liquidation_incentive, 18) !== inc) d.push(`incentive ${mk.params.liquidation_incentive} vs ${inc}`);
  for (const [sym, v] of [['BNB', c.vbnb], ['USDC', c.vusdc]]) {
    const a = mk.assets.find((x) => x.symbol === sym);
    const w = await word(url, c.comp, 'markets(address)', ['address'], [v], tag);
    const er = (await word(url, v, 'exchangeRateStored()', [], [], tag))[0];
    if (!a || w.length !== 3 || dec(a.liquidation_threshold, 18) !== w[1] || BigInt(a.exchange_rate_mantissa) !== er) {
      d.push(`${sym}: ${JSON.stringify(a)}; markets() ${w.length} words, factor ${w[1]}, er ${er}`);
    }
  }
  for (const p of pf.positions) {
    for (const [sym, v] of [['BNB', c.vbnb], ['USDC', c.vusdc]]) {
      const bal = (await word(url, v, 'balanceOf(address)', ['address'], [p.id], tag))[0];
      const have = p.ctoken_collateral && p.ctoken_collateral[sym] ? dec(p.ctoken_collateral[sym], 8) : 0n;
      const entered = (await word(url, c.comp, 'checkMembership(address,address)', ['address', 'address'], [p.id, v], tag))[0] !== 0n;
      if (have !== (entered ? bal : 0n)) d.push(`${p.id} ${sym}: ${have} vs balanceOf ${bal} (entered ${entered})`);
    }
  }
  return d;
}

async function main() {
  const node = await L.startAnvil(npm);
  const url = node.url;
  const c = await setup(url);
  const book = path.join(tmp, `liqtop-compound-r1-${process.pid}.json`);
  const r0 = await L.runLiqtop(liqtop, ['import', '--rpc', url, '--compound-v2', c.comp, '--user', c.lender, '--user', c.alice, '--out', book]);
  ok(r0.status === 0, 'a three-word markets() Comptroller (Venus R1): import --compound-v2 exits 0' + (r0.status ? ': ' + r0.err : ''));
  if (r0.status !== 0) return;
  const pf = JSON.parse(fs.readFileSync(book, 'utf8'));
  const d0 = await matches(url, c, pf, '0x' + pf.as_of_block.toString(16));
  d0.forEach((x) => console.log('# ' + x));
  ok(d0.length === 0 && pf.positions.length === 2 && pf.markets[0].params.liquidation_incentive === '1.1',
    'the factor from markets()\'s word 1 of 3, the Comptroller\'s liquidationIncentiveMantissa, exchangeRateStored, and each account\'s vTokens in the markets entered, as the contracts answer');

  const ch = require('child_process').spawn(liqtop, ['run', book, '--feed', 'rpc:' + url, '--headless', '--report', 'json'],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  L.state.children.push(ch);
  let out = '', err = '';
  ch.stdout.on('data', (x) => { out += x; });
  ch.stderr.on('data', (x) => { err += x; });
  const closed = new Promise((res) => ch.on('close', res));
  await L.sleep(1500);
  await pay(url, c.alice, c.vbnb, 'mint()', 7n * WAD + 11n);
  // (bob never entered vUSDC: his transfer needs no liquidity check,
  // which the R1 Comptroller cannot make)
  await tx(url, c.bob, c.usdc, 'faucet(uint256)', ['uint256'], [10n ** 9n]);
  await tx(url, c.bob, c.usdc, 'approve(address,uint256)', ['address', 'uint256'], [c.vusdc, MAX]);
  await call0(url, c.bob, c.vusdc, 'mint(uint256)', ['uint256'], [10n ** 9n]);
  await tx(url, c.bob, c.vusdc, 'transfer(address,uint256)', ['address', 'uint256'], [c.alice, 123456789n]);
  await tx(url, c.alice, c.comp, 'enterMarkets(address[])', ['address[]'], [[c.vusdc]]);
  await call0(url, c.owner, c.comp, '_setCollateralFactor(address,uint256)', ['address', 'uint256'], [c.vusdc, 0n]);
  await call0(url, c.owner, c.comp, '_setLiquidationIncentive(uint256)', ['uint256'], [105n * 10n ** 16n]);
  await rpc(url, 'anvil_mine', ['0x3']);
  await L.sleep(3000);
  ch.kill('SIGTERM');
  await closed;
  let rep = null;
  try { rep = JSON.parse(out); } catch (e) { /* below */ }
  const head = Number(BigInt(await rpc(url, 'eth_blockNumber', [])));
  ok(rep && rep.sources[0].block === head && rep.sources[0].state === 'live',
    `--feed rpc follows the R1 Comptroller to block ${head}, a factor set to 0 on a Comptroller without borrowGuardianPaused included` +
    (rep ? ` (applied ${rep.sources[0].block}, ${rep.sources[0].state})` : ': ' + err));
  if (!rep) return;
  const fresh = path.join(tmp, `liqtop-compound-r1-fresh-${process.pid}.json`);
  const im = await L.runLiqtop(liqtop, ['import', '--rpc', url, '--compound-v2', c.comp, '--user', c.lender, '--user', c.alice,
    '--block', String(head), '--out', fresh]);
  const snap = im.status === 0 ? await L.runLiqtop(liqtop, ['snapshot', fresh, '--format', 'json']) : im;
  const want = snap.status === 0 ? JSON.stringify(byId(JSON.parse(snap.out))) : snap.err;
  const have = JSON.stringify(byId(rep.snapshot));
  if (have !== want) console.log(`# feed:  ${have}\n# fresh: ${want}`);
  const fpf = im.status === 0 ? JSON.parse(fs.readFileSync(fresh, 'utf8')) : null;
  const d1 = fpf ? await matches(url, c, fpf, '0x' + head.toString(16)) : ['no fresh import: ' + im.err];
  d1.forEach((x) => console.log('# ' + x));
  ok(have === want && d1.length === 0 && fpf.markets[0].params.liquidation_incentive === '1.05',
    `after a native mint, a transfer, a market entered, a factor set to 0 and the incentive changed: the snapshot = a fresh import's at block ${head}, which the contracts bear out`);
  fs.rmSync(book, { force: true });
  fs.rmSync(fresh, { force: true });
}

if (require.main === module) {
  main().catch((e) => { ok(false, 'compound r1 chain test: ' + e.stack); }).finally(L.finish);
}
