// tests/chain/aave.cjs: liqtop import --aave-v3 against a real node: an
// Aave v3 market deployed on anvil from @aave/core-v3's compiled artifacts
// (addresses provider, ACL, pool and configurator with their libraries
// linked, oracle with mock aggregators, tokens, rate strategy), positions
// opened, time passed; then every field import writes is checked against
// the pool, and each user's health factor computed from the file alone,
// with Aave 3.0's own arithmetic, must equal getUserAccountData's to the
// wei. Prints TAP lines.
// usage: node aave.cjs NPM_DIR LIQTOP
'use strict';
const L = require('./lib.cjs');
const { ok, rpc, tx, view, words, addrOf, encode, send, fs, path } = L; // eslint-disable-line no-unused-vars
const [npm, liqtop] = process.argv.slice(2).map((p) => path.resolve(p));
const artDir = path.join(npm, 'node_modules/@aave/core-v3/artifacts/contracts');
const artifact = (p) => JSON.parse(fs.readFileSync(path.join(artDir, p), 'utf8'));
const RAY = 10n ** 27n, WAD = 10n ** 18n;

async function deploy(url, from, p, types = [], values = [], libs = {}) {
  const a = artifact(p);
  let code = a.bytecode;
  for (const file of Object.keys(a.linkReferences))
    for (const lib of Object.keys(a.linkReferences[file])) {
      const addr = libs[lib].replace(/^0x/, '').toLowerCase();
      for (const ref of a.linkReferences[file][lib])
        code = code.slice(0, 2 + ref.start * 2) + addr + code.slice(2 + (ref.start + ref.length) * 2);
    }
  const rc = await send(url, from, null, code + encode(types, values));
  return rc.contractAddress;
}

async function setup(url) {
  const accts = await rpc(url, 'eth_accounts', []);
  const [owner, lender, alice, bob, carol] = accts;
  const provider = await deploy(url, owner, 'protocol/configuration/PoolAddressesProvider.sol/PoolAddressesProvider.json', ['string', 'address'], ['test', owner]);
  await tx(url, owner, provider, 'setACLAdmin(address)', ['address'], [owner]);
  const acl = await deploy(url, owner, 'protocol/configuration/ACLManager.sol/ACLManager.json', ['address'], [provider]);
  await tx(url, owner, provider, 'setACLManager(address)', ['address'], [acl]);
  await tx(url, owner, acl, 'addPoolAdmin(address)', ['address'], [owner]);
  const libs = {};
  for (const l of ['SupplyLogic', 'BorrowLogic', 'LiquidationLogic', 'EModeLogic', 'BridgeLogic', 'PoolLogic', 'ConfiguratorLogic'])
    libs[l] = await deploy(url, owner, `protocol/libraries/logic/${l}.sol/${l}.json`);
  libs.FlashLoanLogic = await deploy(url, owner, 'protocol/libraries/logic/FlashLoanLogic.sol/FlashLoanLogic.json', [], [], libs);
  const poolImpl = await deploy(url, owner, 'protocol/pool/Pool.sol/Pool.json', ['address'], [provider], libs);
  await tx(url, owner, provider, 'setPoolImpl(address)', ['address'], [poolImpl]);
  const pool = addrOf(words(await view(url, provider, 'getPool()'))[0]);
  const confImpl = await deploy(url, owner, 'protocol/pool/PoolConfigurator.sol/PoolConfigurator.json', [], [], libs);
  await tx(url, owner, provider, 'setPoolConfiguratorImpl(address)', ['address'], [confImpl]);
  const conf = addrOf(words(await view(url, provider, 'getPoolConfigurator()'))[0]);
  const token = (name, sym, dec) => deploy(url, owner, 'mocks/tokens/MintableERC20.sol/MintableERC20.json', ['string', 'string', 'uint8'], [name, sym, dec]);
  const weth = await token('Wrapped Ether', 'WETH', 18);
  const usdc = await token('USD Coin', 'USDC', 6);
  const agg = (p) => deploy(url, owner, 'mocks/oracle/CLAggregators/MockAggregator.sol/MockAggregator.json', ['int256'], [p]);
  const aggW = await agg(200012345678n), aggU = await agg(99990000n);
  const oracle = await deploy(url, owner, 'misc/AaveOracle.sol/AaveOracle.json', ['address', 'address[]', 'address[]', 'address', 'address', 'uint256'],
    [provider, [weth, usdc], [aggW, aggU], '0x' + '0'.repeat(40), '0x' + '0'.repeat(40), 10n ** 8n]);
  await tx(url, owner, provider, 'setPriceOracle(address)', ['address'], [oracle]);
  const aImpl = await deploy(url, owner, 'protocol/tokenization/AToken.sol/AToken.json', ['address'], [pool]);
  const sImpl = await deploy(url, owner, 'protocol/tokenization/StableDebtToken.sol/StableDebtToken.json', ['address'], [pool]);
  const vImpl = await deploy(url, owner, 'protocol/tokenization/VariableDebtToken.sol/VariableDebtToken.json', ['address'], [pool]);
  const strategy = await deploy(url, owner, 'protocol/pool/DefaultReserveInterestRateStrategy.sol/DefaultReserveInterestRateStrategy.json',
    ['address', 'uint256', 'uint256', 'uint256', 'uint256', 'uint256', 'uint256', 'uint256', 'uint256', 'uint256'],
    [provider, 8n * RAY / 10n, RAY / 100n, 4n * RAY / 100n, 75n * RAY / 100n, 2n * RAY / 100n, 75n * RAY / 100n, 2n * RAY / 100n, 5n * RAY / 100n, 2n * RAY / 10n]);
  const input = (asset, dec, sym) => [aImpl, sImpl, vImpl, dec, strategy, asset, owner, '0x' + '0'.repeat(40),
    'a' + sym, 'a' + sym, 'vd' + sym, 'vd' + sym, 'sd' + sym, 'sd' + sym, '0x'];
  const tupleT = ['address', 'address', 'address', 'uint8', 'address', 'address', 'address', 'address', 'string', 'string', 'string', 'string', 'string', 'string', 'bytes'];
  await tx(url, owner, conf, 'initReserves((address,address,address,uint8,address,address,address,address,string,string,string,string,string,string,bytes)[])',
    [{ arr: tupleT }], [[input(weth, 18, 'WETH'), input(usdc, 6, 'USDC')]]);
  await tx(url, owner, conf, 'configureReserveAsCollateral(address,uint256,uint256,uint256)', ['address', 'uint256', 'uint256', 'uint256'], [weth, 8000, 8250, 10500]);
  await tx(url, owner, conf, 'configureReserveAsCollateral(address,uint256,uint256,uint256)', ['address', 'uint256', 'uint256', 'uint256'], [usdc, 7500, 7800, 10450]);
  for (const a of [weth, usdc]) {
    await tx(url, owner, conf, 'setReserveBorrowing(address,bool)', ['address', 'bool'], [a, true]);
    await tx(url, owner, conf, 'setReserveFactor(address,uint256)', ['address', 'uint256'], [a, 1000]);
  }
  await tx(url, owner, conf, 'setLiquidationProtocolFee(address,uint256)', ['address', 'uint256'], [weth, 1000]);
  await tx(url, owner, conf, 'setEModeCategory(uint8,uint16,uint16,uint16,address,string)', ['uint8', 'uint16', 'uint16', 'uint16', 'address', 'string'],
    [1, 9300, 9500, 10100, '0x' + '0'.repeat(40), 'ETH correlated']);
  await tx(url, owner, conf, 'setAssetEModeCategory(address,uint8)', ['address', 'uint8'], [weth, 1]);
  const MAX = (1n << 256n) - 1n;
  const fund = async (tok, who, amt) => {
    await tx(url, who, tok, 'mint(uint256)', ['uint256'], [amt]);
    await tx(url, who, tok, 'approve(address,uint256)', ['address', 'uint256'], [pool, MAX]);
  };
  const supply = (who, tok, amt) => tx(url, who, pool, 'supply(address,uint256,address,uint16)', ['address', 'uint256', 'address', 'uint16'], [tok, amt, who, 0]);
  const borrow = (who, tok, amt) => tx(url, who, pool, 'borrow(address,uint256,uint256,uint16,address)', ['address', 'uint256', 'uint256', 'uint16', 'address'], [tok, amt, 2, 0, who]);
  await fund(usdc, lender, 10n ** 6n * 1000000n);
  await supply(lender, usdc, 10n ** 6n * 1000000n);
  await fund(weth, lender, 100n * WAD);
  await supply(lender, weth, 100n * WAD);
  await fund(weth, alice, 10n * WAD);
  await supply(alice, weth, 10n * WAD);
  await borrow(alice, usdc, 15000n * 10n ** 6n + 1234n);
  await rpc(url, 'evm_increaseTime', [86400 * 40]);
  await rpc(url, 'evm_mine', []);
  await fund(weth, bob, 3n * WAD + 5n);
  await supply(bob, weth, 3n * WAD + 5n);
  await fund(usdc, bob, 2000n * 10n ** 6n);
  await supply(bob, usdc, 2000n * 10n ** 6n);
  await borrow(bob, usdc, 4000n * 10n ** 6n);
  await borrow(bob, weth, WAD / 3n);
  // carol: USDC supplied but not collateral, WETH collateral, a WETH debt
  await fund(usdc, carol, 5000n * 10n ** 6n);
  await supply(carol, usdc, 5000n * 10n ** 6n);
  await tx(url, carol, pool, 'setUserUseReserveAsCollateral(address,bool)', ['address', 'bool'], [usdc, false]);
  await fund(weth, carol, 2n * WAD);
  await supply(carol, weth, 2n * WAD);
  await borrow(carol, weth, WAD);
  await rpc(url, 'evm_increaseTime', [86400 * 9 + 17]);
  await rpc(url, 'evm_mine', []);
  // a price oracle sentinel: the sequencer up since 100 s ago, 3600 s grace
  const seq = await deploy(url, owner, 'mocks/oracle/SequencerOracle.sol/SequencerOracle.json', ['address'], [owner]);
  const now = Number(BigInt((await rpc(url, 'eth_getBlockByNumber', ['latest', false])).timestamp));
  await tx(url, owner, seq, 'setAnswer(bool,uint256)', ['bool', 'uint256'], [false, now - 100]);
  const sentinel = await deploy(url, owner, 'protocol/configuration/PriceOracleSentinel.sol/PriceOracleSentinel.json',
    ['address', 'address', 'uint256'], [provider, seq, 3600]);
  await tx(url, owner, provider, 'setPriceOracleSentinel(address)', ['address'], [sentinel]);
  return { accts, provider, pool, conf, weth, usdc, oracle, sentinel, aggW, aggU, owner, lender, alice, bob, carol, tupleT, input };
}

// Aave 3.0's arithmetic, step by step, from the file's fields alone.
const SECONDS_PER_YEAR = 365n * 86400n;
const rayMul = (a, b) => (a * b + RAY / 2n) / RAY;
const percentMul = (v, p) => (v * p + 5000n) / 10000n;
const wadDiv = (a, b) => (a * WAD + b / 2n) / b;
const dec = (s, places) => { const [i, f = ''] = s.split('.'); return BigInt(i + f.padEnd(places, '0')); };
function linear(rate, last, now) { return RAY + rate * BigInt(now - last) / SECONDS_PER_YEAR; }
function compounded(rate, last, now) {
  const exp = BigInt(now - last);
  if (exp === 0n) return RAY;
  const e1 = exp - 1n, e2 = exp > 2n ? exp - 2n : 0n;
  const p2 = rayMul(rate, rate) / (SECONDS_PER_YEAR * SECONDS_PER_YEAR);
  const p3 = rayMul(p2, rate) / SECONDS_PER_YEAR;
  return RAY + rate * exp / SECONDS_PER_YEAR + exp * e1 * p2 / 2n + exp * e1 * e2 * p3 / 6n;
}
function healthFactor(pf, pos) {
  const mk = pf.markets[0];
  let coll = 0n, weighted = 0n, debt = 0n;
  for (const a of mk.assets) {
    const unit = 10n ** BigInt(a.decimals);
    const price = dec(pf.prices[a.symbol], mk.base_decimals);
    const sc = pos.scaled_collateral[a.symbol], sd = pos.scaled_debt[a.symbol];
    const lt = dec(a.liquidation_threshold, 4);
    if (sc && !(pos.collateral_disabled || []).includes(a.symbol) && lt > 0n) {
      const income = a.last_update === pf.as_of ? dec(a.liquidity_index, 27)
        : rayMul(linear(dec(a.liquidity_rate, 27), a.last_update, pf.as_of), dec(a.liquidity_index, 27));
      const v = price * rayMul(BigInt(sc), income) / unit;
      coll += v;
      weighted += v * lt;
    }
    if (sd) {
      const nd = a.last_update === pf.as_of ? dec(a.variable_borrow_index, 27)
        : rayMul(compounded(dec(a.variable_borrow_rate, 27), a.last_update, pf.as_of), dec(a.variable_borrow_index, 27));
      debt += price * rayMul(BigInt(sd), nd) / unit;
    }
  }
  if (debt === 0n) return (1n << 256n) - 1n;
  const avgLt = coll === 0n ? 0n : weighted / coll;
  return wadDiv(percentMul(coll, avgLt), debt);
}

async function main() {
  const node = await L.startAnvil(npm);
  const url = node.url;
  const c = await setup(url);
  const head = BigInt(await rpc(url, 'eth_blockNumber', []));
  const tag = '0x' + head.toString(16);
  const out = path.join(require('os').tmpdir(), `liqtop-aave-${process.pid}.json`);
  const r = await L.runLiqtop(liqtop, ['import', '--rpc', url, '--aave-v3', c.provider, '--borrowers', '--user', c.lender, '--out', out]);
  ok(r.status === 0, 'import --aave-v3 --borrowers exits 0' + (r.status ? ': ' + r.err : ''));
  const pf = JSON.parse(fs.readFileSync(out, 'utf8'));
  const mk = pf.markets[0];
  ok(mk.id === `aave-v3:31337:${c.provider.toLowerCase()}` && mk.model === 'aave-v3' && mk.version === '3.0' && mk.base_decimals === 8,
    'market id aave-v3:<chain id>:<provider>, version 3.0 from POOL_REVISION, base_decimals 8 from BASE_CURRENCY_UNIT');
  ok(pf.as_of_block === Number(head), 'as_of_block');
  ok(JSON.stringify(mk.assets.map((a) => a.symbol)) === '["WETH","USDC"]', 'the reserves in the pool\'s order');
  const W = mk.assets[0], U = mk.assets[1];
  ok(W.ltv === '0.8' && W.liquidation_threshold === '0.825' && W.liquidation_bonus === '0.05' && W.protocol_fee === '0.1' && W.decimals === 18 && W.emode_category === 1,
    'WETH: ltv 0.8, threshold 0.825, bonus 0.05, protocol fee 0.1, 18 decimals, eMode 1 from the configuration bits');
  ok(U.ltv === '0.75' && U.liquidation_threshold === '0.78' && U.liquidation_bonus === '0.045' && U.protocol_fee === '0' && U.decimals === 6 && U.emode_category === undefined,
    'USDC: ltv 0.75, threshold 0.78, bonus 0.045, no fee, 6 decimals, no eMode');
  const cat = (mk.emode_categories || [])[0] || {};
  ok(cat.id === 1 && cat.label === 'ETH correlated' && cat.ltv === '0.93' && cat.liquidation_threshold === '0.95' && cat.liquidation_bonus === '0.01',
    'eMode category 1 from getEModeCategoryData');
  for (const [a, asset] of [[W, c.weth], [U, c.usdc]]) {
    const d = words(await view(url, c.pool, 'getReserveData(address)', ['address'], [asset], tag));
    ok(dec(a.liquidity_index, 27) === d[1] && dec(a.liquidity_rate, 27) === d[2] && dec(a.variable_borrow_index, 27) === d[3] &&
       dec(a.variable_borrow_rate, 27) === d[4] && BigInt(a.last_update) === d[6] && d[4] > 0n,
    `${a.symbol}: indexes, rates and last_update = getReserveData`);
    const p = words(await view(url, c.oracle, 'getAssetPrice(address)', ['address'], [asset], tag))[0];
    ok(dec(pf.prices[a.symbol], 8) === p, `${a.symbol}: price = getAssetPrice (${p})`);
  }
  const so = mk.price_oracle_sentinel || {};
  const allowed = words(await view(url, c.sentinel, 'isLiquidationAllowed()', [], [], tag))[0] === 1n;
  ok(so.sequencer_up === true && so.grace_period === 3600 && so.up_since > 0 &&
     (so.sequencer_up && pf.as_of - so.up_since > so.grace_period) === allowed && !allowed,
    'price_oracle_sentinel: up, up_since, grace_period 3600; the file\'s verdict = isLiquidationAllowed() (still in grace)');
  const ids = pf.positions.map((p) => p.id).sort();
  const want = [c.alice, c.bob, c.carol, c.lender].map((x) => x.toLowerCase()).sort();
  ok(JSON.stringify(ids) === JSON.stringify(want), 'the borrowers (alice, bob, carol) and the --user (lender)');
  const carol = pf.positions.find((p) => p.id === c.carol.toLowerCase());
  ok(carol && JSON.stringify(carol.collateral_disabled) === '["USDC"]', 'carol: USDC supplied, not collateral');
  for (const p of pf.positions) {
    const acct = words(await view(url, c.pool, 'getUserAccountData(address)', ['address'], [p.id], tag));
    const hf = healthFactor(pf, p);
    ok(hf === acct[5], `${p.id}: health factor from the file = getUserAccountData's, to the wei (${acct[5]})`);
    for (const [a, asset] of [[W, c.weth], [U, c.usdc]]) {
      const d = words(await view(url, c.pool, 'getReserveData(address)', ['address'], [asset], tag));
      const sa = words(await view(url, addrOf(d[8]), 'scaledBalanceOf(address)', ['address'], [p.id], tag))[0];
      const sd = words(await view(url, addrOf(d[10]), 'scaledBalanceOf(address)', ['address'], [p.id], tag))[0];
      ok(BigInt(p.scaled_collateral[a.symbol] || 0) === sa && BigInt(p.scaled_debt[a.symbol] || 0) === sd, `${p.id}: ${a.symbol} scaled balances = scaledBalanceOf`);
    }
  }
  // --feed rpc: on an Aave book, the oracle's prices at each block. The
  // book liqtop loads today: the imported one, or the same with amounts
  // (scaled balances times the indexes at the block) where liqtop does not
  // read the chain fields yet.
  let book = out;
  if ((await L.runLiqtop(liqtop, ['snapshot', out])).status !== 0) {
    const assets = mk.assets.map((a) => ({ symbol: a.symbol, decimals: a.decimals, ltv: a.ltv,
      liquidation_threshold: a.liquidation_threshold, liquidation_bonus: a.liquidation_bonus, protocol_fee: a.protocol_fee }));
    const amount = (raw, d) => { const t = raw.toString().padStart(d + 1, '0'); return t.slice(0, t.length - d) + (d ? '.' + t.slice(t.length - d) : ''); };
    const positions = pf.positions.map((p) => {
      const coll = {}, debt = {};
      for (const a of mk.assets) {
        const li = rayMul(linear(dec(a.liquidity_rate, 27), a.last_update, pf.as_of), dec(a.liquidity_index, 27));
        const vi = rayMul(compounded(dec(a.variable_borrow_rate, 27), a.last_update, pf.as_of), dec(a.variable_borrow_index, 27));
        if (p.scaled_collateral[a.symbol] && !(p.collateral_disabled || []).includes(a.symbol)) coll[a.symbol] = amount(rayMul(BigInt(p.scaled_collateral[a.symbol]), li), a.decimals);
        if (p.scaled_debt[a.symbol]) debt[a.symbol] = amount(rayMul(BigInt(p.scaled_debt[a.symbol]), vi), a.decimals);
      }
      return { id: p.id, market: p.market, collateral: coll, debt };
    });
    book = out + '.book.json';
    fs.writeFileSync(book, JSON.stringify({ chain: pf.chain, as_of_block: pf.as_of_block, as_of: pf.as_of, prices: pf.prices,
      markets: [{ id: mk.id, model: mk.model, version: mk.version, base_decimals: mk.base_decimals, assets }], positions }));
  }
  const ch = require('child_process').spawn(liqtop, ['run', book, '--feed', 'rpc:' + url, '--headless', '--report', 'json'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let rout = '', rerr = '';
  ch.stdout.on('data', (d) => { rout += d; });
  ch.stderr.on('data', (d) => { rerr += d; });
  const closed = new Promise((res) => ch.on('close', res));
  await L.sleep(1500);
  const agg2 = await deploy(url, c.owner, 'mocks/oracle/CLAggregators/MockAggregator.sol/MockAggregator.json', ['int256'], [150000000001n]);
  await tx(url, c.owner, c.oracle, 'setAssetSources(address[],address[])', ['address[]', 'address[]'], [[c.weth], [agg2]]);
  await L.sleep(2500);
  ch.kill('SIGTERM');
  const rst = await closed;
  let rep = null;
  try { rep = JSON.parse(rout); } catch (e) { /* below */ }
  const headNow = Number(BigInt(await rpc(url, 'eth_blockNumber', [])));
  ok(rst === 0 && rep && rep.prices.WETH === '1500.00000001' && rep.prices.USDC === '0.9999' && rep.sources[0].block === headNow && rep.sources[0].state === 'live',
    `--feed rpc on the Aave book: the oracle's new WETH price applied at block ${headNow}` + (rep ? ` (WETH ${rep.prices.WETH}, USDC ${rep.prices.USDC})` : ': ' + rerr));
  if (book !== out) fs.rmSync(book, { force: true });
  // liqtop's own health factors, once it reads these fields
  const snap = await L.runLiqtop(liqtop, ['snapshot', out]);
  if (snap.status === 0) {
    const s = JSON.parse(snap.out);
    let same = 0;
    for (const p of s.positions) {
      const acct = words(await view(url, c.pool, 'getUserAccountData(address)', ['address'], [p.id], tag));
      if (p.health_factor === null ? acct[5] === (1n << 256n) - 1n : dec(p.health_factor, 18) === acct[5]) same++;
    }
    ok(same === s.positions.length, `liqtop snapshot: every health factor = getUserAccountData's (${same}/${s.positions.length})`);
  } else {
    console.log('# snapshot does not read this file yet: ' + snap.err.trim().split('\n')[0]);
  }
  fs.rmSync(out, { force: true });
  const none = await L.runLiqtop(liqtop, ['import', '--rpc', url, '--aave-v3', c.usdc.slice(0, -2) + 'ff', '--user', c.alice, '--out', out]);
  ok(none.status === 2 && /PoolAddressesProvider\): no contract/.test(none.err) && !fs.existsSync(out), 'a provider address with no code: exit 2, said, nothing written');
  const v33 = await L.runLiqtop(liqtop, ['import', '--rpc', url, '--aave-v3', c.provider, '--aave-version', '3.3', '--user', c.alice]);
  ok(v33.status === 0 && JSON.parse(v33.out).markets[0].version === '3.3' && JSON.parse(v33.out).positions.length === 1, '--aave-version 3.3 is written as the market\'s version');
}

module.exports = { setup, deploy };
if (require.main === module) {
  main().catch((e) => { ok(false, 'aave chain test: ' + e.stack); }).finally(L.finish);
}
