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
  // --feed rpc: the imported Aave book, the oracle's prices at each block.
  const book = out;
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
  ok(rst === 143 && rep && rep.prices.WETH === '1500.00000001' && rep.prices.USDC === '0.9999' && rep.sources[0].block === headNow && rep.sources[0].state === 'live',
    `--feed rpc on the Aave book: the oracle's new WETH price applied at block ${headNow}` + (rep ? ` (WETH ${rep.prices.WETH}, USDC ${rep.prices.USDC})` : ': ' + rerr));
  // The round trip: liqtop snapshot on the imported file gives each health
  // factor as getUserAccountData does, before the price move and after it
  // (imported again); then each liquidatable position's preview is made by
  // liquidationCall, from an evm_snapshot, in a block at the file's as_of.
  const hfSame = async (file, ptag) => {
    const snap = await L.runLiqtop(liqtop, ['snapshot', file]);
    if (snap.status !== 0) return { same: -1, n: 0, err: snap.err, s: { positions: [] } };
    const s = JSON.parse(snap.out);
    let same = 0;
    for (const p of s.positions) {
      const acct = words(await view(url, c.pool, 'getUserAccountData(address)', ['address'], [p.id], ptag));
      if (p.health_factor === null ? acct[5] === (1n << 256n) - 1n : dec(p.health_factor, 18) === acct[5]) same++;
      else console.log(`# ${p.id}: snapshot ${p.health_factor}, getUserAccountData ${acct[5]}`);
    }
    return { same, n: s.positions.length, s };
  };
  let h = await hfSame(out, tag);
  ok(h.same === h.n && h.n === 4, `liqtop snapshot: every health factor = getUserAccountData's (${h.same}/${h.n})` + (h.err ? ': ' + h.err : ''));
  const liquidator = c.accts[6];
  const MAX = (1n << 256n) - 1n;
  for (const tok of [c.usdc, c.weth]) {
    await tx(url, liquidator, tok, 'mint(uint256)', ['uint256'], [10n ** 30n]);
    await tx(url, liquidator, tok, 'approve(address,uint256)', ['address', 'uint256'], [c.pool, MAX]);
  }
  const out2 = out + '.2.json';
  const r2 = await L.runLiqtop(liqtop, ['import', '--rpc', url, '--aave-v3', c.provider, '--borrowers', '--user', c.lender, '--out', out2]);
  const pf2 = JSON.parse(fs.readFileSync(out2, 'utf8'));
  const tag2 = '0x' + pf2.as_of_block.toString(16);
  h = await hfSame(out2, tag2);
  const liq = h.s.positions.filter((p) => p.liquidatable);
  ok(r2.status === 0 && h.same === h.n && h.n === 4 && liq.length > 0,
    `after the price move, imported again: every health factor = getUserAccountData's (${h.same}/${h.n}), ${liq.length} liquidatable`);
  const addrs = { WETH: c.weth, USDC: c.usdc };
  const units = { WETH: 18, USDC: 6 };
  const bal = async (tok, who) => words(await view(url, tok, 'balanceOf(address)', ['address'], [who]))[0];
  const TRANSFER = '0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef';
  let cases = 0, agree = 0;
  for (const p of liq) {
    const pos = pf2.positions.find((q) => q.id === p.id);
    for (const d of Object.keys(pos.scaled_debt)) for (const cl of Object.keys(pos.scaled_collateral)) {
      if ((pos.collateral_disabled || []).includes(cl)) continue;
      for (const repay of ['max', '100', '0.5']) {
        const pv = await L.runLiqtop(liqtop, ['preview', out2, '--position', p.id, '--debt', d, '--collateral', cl, '--format', 'json',
          ...(repay === 'max' ? [] : ['--repay', repay])]);
        if (pv.status !== 0) { console.log(`# preview ${p.id} ${d}/${cl} ${repay}: ${pv.err.trim()}`); continue; }
        const v = JSON.parse(pv.out);
        cases++;
        const cover = repay === 'max' ? MAX : dec(v.requested_repay, units[d]);
        const sid = await rpc(url, 'evm_snapshot', []);
        const aColl = addrOf(words(await view(url, c.pool, 'getReserveData(address)', ['address'], [addrs[cl]]))[8]);
        const b0 = { d: await bal(addrs[d], liquidator), c: await bal(addrs[cl], liquidator) };
        await rpc(url, 'evm_setNextBlockTimestamp', [pf2.as_of]);
        let rc = null, why = '';
        try {
          rc = await tx(url, liquidator, c.pool, 'liquidationCall(address,address,address,uint256,bool)',
            ['address', 'address', 'address', 'uint256', 'bool'], [addrs[cl], addrs[d], p.id, cover, false]);
        } catch (e) { why = e.message; }
        let line = `${p.id.slice(0, 10)} ${d}/${cl} cover ${repay}: `;
        if (rc === null) {
          line += `liquidationCall reverted (${why}), preview reverts ${v.reverts}`;
          if (v.reverts !== null) agree++;
        } else {
          const repaid = b0.d - await bal(addrs[d], liquidator);
          const got = await bal(addrs[cl], liquidator) - b0.c;
          const feeLog = rc.logs.find((l) => l.address.toLowerCase() === aColl.toLowerCase() && l.topics[0] === TRANSFER &&
            addrOf(BigInt(l.topics[2])) === c.owner.toLowerCase());
          const fee = feeLog ? BigInt(feeLog.data) : 0n;
          const acct = words(await view(url, c.pool, 'getUserAccountData(address)', ['address'], [p.id]));
          const want = { repay: repaid, receives: got, fee, after: acct[5] };
          const have = { repay: dec(v.repay, units[d]), receives: dec(v.liquidator_receives, units[cl]), fee: dec(v.protocol_fee, units[cl]),
            after: v.health_factor_after === null ? MAX : dec(v.health_factor_after, 18) };
          const eq = Object.keys(want).every((k) => want[k] === have[k]) && v.reverts === null;
          line += `repaid ${repaid}, liquidator got ${got}, fee ${fee}, health after ${acct[5]}` + (eq ? "" : ` vs preview ${Object.values(have).join(" ")}`);
          if (eq) agree++;
        }
        console.log('# ' + line);
        await rpc(url, 'evm_revert', [sid]);
      }
    }
  }
  ok(cases > 0 && agree === cases, `liqtop preview = what liquidationCall then does: repay, collateral to the liquidator, protocol fee, health after (${agree}/${cases})`);
  fs.rmSync(out2, { force: true });
  fs.rmSync(out, { force: true });
  const none = await L.runLiqtop(liqtop, ['import', '--rpc', url, '--aave-v3', c.usdc.slice(0, -2) + 'ff', '--user', c.alice, '--out', out]);
  ok(none.status === 2 && /PoolAddressesProvider\): no contract/.test(none.err) && !fs.existsSync(out), 'a provider address with no code: exit 2, said, nothing written');
  // a 3.0 pool said to be 3.3: 3.1's getLiquidationGracePeriod is not
  // there, and import says so rather than guess the reserves have none
  const v33 = await L.runLiqtop(liqtop, ['import', '--rpc', url, '--aave-v3', c.provider, '--aave-version', '3.3', '--user', c.alice]);
  console.log('# ' + v33.err.trim());
  ok(v33.status === 2 && v33.out === '' && /getLiquidationGracePeriod 0x[0-9a-f]{40}: /.test(v33.err),
    '--aave-version 3.3 on a 3.0 pool: getLiquidationGracePeriod fails, exit 2, the call named, nothing written');
}

module.exports = { setup, deploy };
if (require.main === module) {
  main().catch((e) => { ok(false, 'aave chain test: ' + e.stack); }).finally(L.finish);
}
