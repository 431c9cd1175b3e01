// tests/chain/compound.cjs: liqtop import --compound-v2 against a real
// node, against Venus, a Compound v2 fork: @venusprotocol/venus-protocol's
// compiled artifacts deployed on anvil (ComptrollerMock: every facet of
// the Comptroller in one contract, no diamond; ComptrollerLens, which
// holds its liquidity and seize arithmetic; VBep20Immutable markets;
// SimplePriceOracle; InterestRateModelHarness; MockToken underlyings of 6,
// 8 and 18 decimals). Positions are opened, interest accrues over 2,000
// blocks, a price falls; then every borrower must be found, each
// position's figures in liqtop snapshot must be getAccountLiquidity's, and
// for the account in shortfall liqtop preview must be what liquidateBorrow
// then does (from an evm_snapshot, reverted after). Prints TAP lines.
//
// Where Venus differs from Compound v2, and what the test does about it:
// - markets() answers seven words (Venus's pools): its getAccountLiquidity
//   weighs collateral by the liquidation threshold (word 3), not the
//   collateral factor, and the incentive is per market (word 4); import
//   reads those (app/import_compound.c). Here threshold = factor.
// - the seized vTokens all go to the liquidator (Venus takes its treasury
//   share in its Liquidator contract, none is set here), where Compound's
//   cToken keeps 2.8 % for reserves: collateral_seized and seize_tokens
//   (what the borrower loses) are compared, liquidator_receives is not.
// - borrowing checks prices bounded by a DeviationBoundedOracle: a
//   pass-through of the spot oracle compiled here stands in for it; the
//   liquidity and liquidation checks compared read the spot oracle alone.
// - VAI, Prime and the XVS rewards are not set (address 0): no VAI debt.
// - Venus accrues interest per block as Compound v2 does: the rate is set
//   to 0 after the accrual so that the liquidation's own block adds none.
// usage: node compound.cjs NPM_DIR LIQTOP
'use strict';
const L = require('./lib.cjs');
const { ok, rpc, tx, view, words, addrOf, encode, send, fs, path } = L;
const [npm, liqtop] = process.argv.slice(2).map((p) => path.resolve(p));
const artDir = path.join(npm, 'node_modules/@venusprotocol/venus-protocol/artifacts/contracts');
const artifact = (p) => JSON.parse(fs.readFileSync(path.join(artDir, p), 'utf8'));
const WAD = 10n ** 18n, MAX = (1n << 256n) - 1n;
const dec = (s, places) => { const [i, f = ''] = s.split('.'); return BigInt(i + f.padEnd(places, '0')); };

const BOUNDED = `// SPDX-License-Identifier: MIT
pragma solidity 0.8.19;
interface ISpot { function getUnderlyingPrice(address) external view returns (uint256); }
contract SpotBoundedOracle {
    ISpot public immutable spot;
    constructor(ISpot s) { spot = s; }
    function updateProtectionState(address) external {}
    function getBoundedPricesView(address v) public view returns (uint256, uint256) {
        uint256 p = spot.getUnderlyingPrice(v);
        return (p, p);
    }
    function getBoundedPrices(address v) external view returns (uint256, uint256) { return getBoundedPricesView(v); }
    function getBoundedCollateralPriceView(address v) external view returns (uint256) { return spot.getUnderlyingPrice(v); }
    function getBoundedDebtPriceView(address v) external view returns (uint256) { return spot.getUnderlyingPrice(v); }
}`;

function compileBounded() {
  const solc = require(path.join(npm, 'node_modules', 'solc'));
  const res = JSON.parse(solc.compile(JSON.stringify({
    language: 'Solidity', sources: { 'B.sol': { content: BOUNDED } },
    settings: { optimizer: { enabled: true, runs: 200 }, outputSelection: { '*': { '*': ['evm.bytecode.object'] } } },
  })));
  const errs = (res.errors || []).filter((e) => e.severity === 'error');
  if (errs.length) throw new Error(errs.map((e) => e.formattedMessage).join('\n'));
  return '0x' + res.contracts['B.sol'].SpotBoundedOracle.evm.bytecode.object;
}

async function deployCode(url, from, code, types = [], values = []) {
  return (await send(url, from, null, code + encode(types, values))).contractAddress;
}
const deploy = (url, from, p, types, values) => deployCode(url, from, artifact(p).bytecode, types, values);
const word = async (url, to, sig, types, values, tag) => words(await view(url, to, sig, types, values, tag));
// Venus's setters return an error code rather than revert: it must be 0.
async function call0(url, from, to, sig, types, values) {
  const data = (await L.selector(url, sig)) + encode(types || [], values || []);
  const res = await rpc(url, 'eth_call', [{ from, to, data }, 'latest']).catch((e) => e.message);
  const got = res.startsWith('0x') ? (res.length > 2 ? words(res)[0] : 0n) : res;
  if (got !== 0n) throw new Error(`${sig}: ${got}`);
  return tx(url, from, to, sig, types, values);
}

async function setup(url) {
  const accts = await rpc(url, 'eth_accounts', []);
  const [owner, lender, alice, bob, carol, dave, liquidator] = accts;
  const acm = await deploy(url, owner, 'test/AccessControlManagerMock.sol/AccessControlManagerMock.json', ['address'], [owner]);
  const comp = await deploy(url, owner, 'test/ComptrollerMock.sol/ComptrollerMock.json');
  await tx(url, owner, comp, '_setAccessControl(address)', ['address'], [acm]);
  const lens = await deploy(url, owner, 'Lens/ComptrollerLens.sol/ComptrollerLens.json');
  await call0(url, owner, comp, '_setComptrollerLens(address)', ['address'], [lens]);
  const oracle = await deploy(url, owner, 'test/SimplePriceOracle.sol/SimplePriceOracle.json');
  await call0(url, owner, comp, '_setPriceOracle(address)', ['address'], [oracle]);
  const bounded = await deployCode(url, owner, compileBounded(), ['address'], [oracle]);
  await call0(url, owner, comp, 'setDeviationBoundedOracle(address)', ['address'], [bounded]);
  await call0(url, owner, comp, '_setCloseFactor(uint256)', ['uint256'], [5n * 10n ** 17n]);
  const irm = await deploy(url, owner, 'test/InterestRateModelHarness.sol/InterestRateModelHarness.json', ['uint256'], [4000000000000n]);
  const spec = [
    // symbol, decimals, oracle price (1e(36 - decimals)), CF = LT
    ['USDC', 6, 10n ** 30n, 85n * 10n ** 16n],
    ['WBTC', 8, 6000012345678n * 10n ** 20n, 70n * 10n ** 16n],
    ['WETH', 18, 2345678901234567890123n, 80n * 10n ** 16n],
  ];
  const m = {};
  for (const [sym, d, price, cf] of spec) {
    const token = await deploy(url, owner, 'test/MockToken.sol/MockToken.json', ['string', 'string', 'uint8'], [sym, sym, d]);
    const er = 2n * 10n ** BigInt(16 + d - 8); // 0.02 underlying a vToken
    const v = await deploy(url, owner, 'Tokens/VTokens/VBep20Immutable.sol/VBep20Immutable.json',
      ['address', 'address', 'address', 'uint256', 'string', 'string', 'uint8', 'address'],
      [token, comp, irm, er, 'Venus ' + sym, 'v' + sym, 8, owner]);
    await tx(url, owner, v, 'setAccessControlManager(address)', ['address'], [acm]);
    await tx(url, owner, v, 'setReduceReservesBlockDelta(uint256)', ['uint256'], [10n ** 12n]);
    await call0(url, owner, v, '_setReserveFactor(uint256)', ['uint256'], [10n ** 17n]);
    await tx(url, owner, oracle, 'setUnderlyingPrice(address,uint256)', ['address', 'uint256'], [v, price]);
    await call0(url, owner, comp, 'supportMarket(address)', ['address'], [v]);
    await call0(url, owner, comp, 'setCollateralFactor(address,uint256,uint256)', ['address', 'uint256', 'uint256'], [v, cf, cf]);
    await call0(url, owner, comp, 'setLiquidationIncentive(address,uint256)', ['address', 'uint256'], [v, 11n * 10n ** 17n]);
    await tx(url, owner, comp, 'setIsBorrowAllowed(uint96,address,bool)', ['uint96', 'address', 'bool'], [0, v, true]);
    m[sym] = { sym, dec: d, token, v, price, cf };
  }
  const vs = Object.values(m).map((x) => x.v);
  await tx(url, owner, comp, 'setMarketSupplyCaps(address[],uint256[])', ['address[]', 'uint256[]'], [vs, vs.map(() => MAX / 2n)]);
  await tx(url, owner, comp, 'setMarketBorrowCaps(address[],uint256[])', ['address[]', 'uint256[]'], [vs, vs.map(() => MAX / 2n)]);
  const unit = (sym, n) => BigInt(Math.round(n * 1e6)) * 10n ** BigInt(m[sym].dec) / 1000000n;
  const supply = async (who, sym, n) => {
    const amt = unit(sym, n);
    await tx(url, who, m[sym].token, 'faucet(uint256)', ['uint256'], [amt]);
    await tx(url, who, m[sym].token, 'approve(address,uint256)', ['address', 'uint256'], [m[sym].v, MAX]);
    await call0(url, who, m[sym].v, 'mint(uint256)', ['uint256'], [amt]);
  };
  const enter = (who, syms) => tx(url, who, comp, 'enterMarkets(address[])', ['address[]'], [syms.map((s) => m[s].v)]);
  const borrow = (who, sym, n) => call0(url, who, m[sym].v, 'borrow(uint256)', ['uint256'], [unit(sym, n)]);
  for (const [sym, n] of [['USDC', 2000000], ['WBTC', 40], ['WETH', 1000]]) await supply(lender, sym, n);
  await enter(lender, ['USDC', 'WBTC', 'WETH']);
  await supply(alice, 'WETH', 10); await enter(alice, ['WETH']); await borrow(alice, 'USDC', 15000.5);
  await supply(bob, 'WBTC', 1.5); await enter(bob, ['WBTC']); await borrow(bob, 'USDC', 40000); await borrow(bob, 'WETH', 8.25);
  // a debt worth under 1 unit of the oracle's 1e18 scale: its health factor
  // then fixes the weighted collateral to the wei
  await supply(carol, 'USDC', 3); await enter(carol, ['USDC']); await borrow(carol, 'WBTC', 0.00001);
  // USDC supplied but not entered (a borrow would enter it): no
  // collateral to getAccountLiquidity
  await supply(dave, 'WETH', 4); await supply(dave, 'USDC', 5000); await enter(dave, ['WETH']);
  await borrow(dave, 'WBTC', 0.05); await borrow(dave, 'WETH', 0.5);
  await rpc(url, 'anvil_mine', ['0x7d0', '0xc']); // 2,000 blocks of interest, 12 s apart
  for (const x of Object.values(m)) await call0(url, owner, x.v, 'accrueInterest()', [], []);
  await tx(url, owner, irm, 'setBorrowRate(uint256)', ['uint256'], [0n]);
  // WBTC falls: bob's account goes into shortfall
  m.WBTC.price = 4700012345678n * 10n ** 20n;
  await tx(url, owner, oracle, 'setUnderlyingPrice(address,uint256)', ['address', 'uint256'], [m.WBTC.v, m.WBTC.price]);
  return { owner, lender, alice, bob, carol, dave, liquidator, comp, oracle, irm, m };
}

// Compound's sumBorrowPlusEffects, from the chain: sum over the markets
// entered of price x borrowBalanceStored / 1e18, truncated.
async function sumBorrow(url, c, who, tag) {
  const d = await view(url, c.comp, 'getAssetsIn(address)', ['address'], [who], tag);
  const w = words(d);
  let sum = 0n;
  for (let i = 0; i < Number(w[1]); i++) {
    const v = addrOf(w[2 + i]);
    const snap = await word(url, v, 'getAccountSnapshot(address)', ['address'], [who], tag);
    const p = (await word(url, c.oracle, 'getUnderlyingPrice(address)', ['address'], [v], tag))[0];
    sum += p * snap[2] / WAD;
  }
  return sum;
}

async function main() {
  const node = await L.startAnvil(npm);
  const url = node.url;
  const c = await setup(url);
  const tmp = require('os').tmpdir();
  const out = path.join(tmp, `liqtop-compound-${process.pid}.json`);
  const r = await L.runLiqtop(liqtop, ['import', '--rpc', url, '--compound-v2', c.comp, '--borrowers', '--user', c.lender, '--user', c.owner, '--out', out]);
  ok(r.status === 0, 'against Venus, a Compound v2 fork: import --compound-v2 --borrowers exits 0' + (r.status ? ': ' + r.err : ''));
  ok(r.err.includes(`${c.owner.toLowerCase()}: no position in compound-v2:`), 'a --user with nothing in the markets entered is said on standard error');
  if (r.status !== 0) return;
  const pf = JSON.parse(fs.readFileSync(out, 'utf8'));
  const tag = '0x' + pf.as_of_block.toString(16);
  const mk = pf.markets[0];
  const chainId = BigInt(await rpc(url, 'eth_chainId', []));
  ok(mk.id === `compound-v2:${chainId}:${c.comp.toLowerCase()}` && mk.model === 'compound-v2' && mk.base_decimals === 18 &&
    mk.params.close_factor === '0.5' && mk.params.liquidation_incentive === '1.1',
  `the market: id ${mk.id}, close factor ${mk.params.close_factor}, incentive ${mk.params.liquidation_incentive}`);
  let fields = 0;
  for (const x of Object.values(c.m)) {
    const a = mk.assets.find((q) => q.symbol === x.sym);
    const er = (await word(url, x.v, 'exchangeRateStored()', [], [], tag))[0];
    const px = dec(pf.prices[x.sym], 18) * 10n ** BigInt(18 - x.dec);
    if (a && a.decimals === x.dec && a.ctoken_decimals === 8 && dec(a.liquidation_threshold, 18) === x.cf &&
      BigInt(a.exchange_rate_mantissa) === er && px === x.price && er !== 2n * 10n ** BigInt(16 + x.dec - 8)) fields++;
    else console.log(`# ${x.sym}: ${JSON.stringify(a)} price ${pf.prices[x.sym]}; chain er ${er}, price ${x.price}`);
  }
  ok(fields === 3, `every market's decimals (6, 8, 18), CF, exchangeRateStored (grown by interest) and oracle price as written (${fields}/3)`);
  const ids = pf.positions.map((p) => p.id).sort();
  const want = [c.alice, c.bob, c.carol, c.dave, c.lender].map((a) => a.toLowerCase()).sort();
  if (JSON.stringify(ids) !== JSON.stringify(want)) console.log('# found ' + ids.join(' ') + '; want ' + want.join(' '));
  ok(JSON.stringify(ids) === JSON.stringify(want), `every borrower of the Borrow logs found, and the --user (${ids.length} positions)`);
  const rr = await L.runLiqtop(liqtop, ['import', '--rpc', url, '--compound-v2', c.comp, '--borrowers', '--from-block', '1', '--log-range', '64',
    '--block', String(pf.as_of_block)]);
  const ids2 = rr.status === 0 ? JSON.parse(rr.out).positions.map((p) => p.id).sort() : [];
  ok(JSON.stringify(ids2) === JSON.stringify(want.filter((a) => a !== c.lender.toLowerCase())),
    `the Borrow logs read in ranges of 64 blocks from block 1, at --block ${pf.as_of_block}: the same borrowers` + (rr.status ? ': ' + rr.err : ''));
  const dave = pf.positions.find((p) => p.id === c.dave.toLowerCase());
  ok(dave && Object.keys(dave.ctoken_collateral).join() === 'WETH' && dave.debt.WBTC !== undefined && dave.debt.WETH !== undefined,
    "a market supplied but not entered is no collateral (dave's USDC)");
  // Each position's figures and getAccountLiquidity: debt_value is
  // sumBorrowPlusEffects (in the oracle's 1e18 units), the health factor
  // floor(sumCollateral x 1e18 / sumBorrow) with sumCollateral = sumBorrow
  // + liquidity - shortfall, liquidatable when shortfall > 0.
  const same = async (file, ptag) => {
    const snap = await L.runLiqtop(liqtop, ['snapshot', file]);
    if (snap.status !== 0) return { same: -1, n: 0, err: snap.err, s: { positions: [] } };
    const s = JSON.parse(snap.out);
    let n = 0;
    for (const p of s.positions) {
      const [err, liq, short] = await word(url, c.comp, 'getAccountLiquidity(address)', ['address'], [p.id], ptag);
      const sb = await sumBorrow(url, c, p.id, ptag);
      const sc = sb + liq - short;
      let good = err === 0n && p.liquidatable === (short > 0n);
      if (sb === 0n) good = good && p.health_factor === null && dec(p.debt_value, 18) === 0n;
      else good = good && dec(p.debt_value, 18) === sb && dec(p.health_factor, 18) === sc * WAD / sb;
      if (good) n++;
      else console.log(`# ${p.id}: snapshot hf ${p.health_factor} debt ${p.debt_value}; chain liquidity ${liq} shortfall ${short} sumBorrow ${sb}`);
    }
    return { same: n, n: s.positions.length, s };
  };
  const h = await same(out, tag);
  const inShortfall = h.s.positions.filter((p) => p.liquidatable).map((p) => p.id);
  ok(h.same === h.n && h.n === 5 && inShortfall.join() === c.bob.toLowerCase(),
    `liqtop snapshot = getAccountLiquidity for every account (${h.same}/${h.n}), ${c.bob.slice(0, 10)} in shortfall` + (h.err ? ': ' + h.err : ''));
  const sbCarol = await sumBorrow(url, c, c.carol, tag);
  ok(sbCarol > 0n && sbCarol <= WAD, `${c.carol.slice(0, 10)}'s debt is worth ${sbCarol} <= 1e18 in the oracle's units: its health factor fixes sumCollateral to the wei`);
  // bob's liquidations: liquidateBorrow, from an evm_snapshot, against
  // liqtop preview (repay, vTokens seized, the underlying they are worth,
  // the health after).
  const liquidator = c.liquidator;
  for (const x of Object.values(c.m)) {
    await tx(url, liquidator, x.token, 'faucet(uint256)', ['uint256'], [10n ** 30n]);
    await tx(url, liquidator, x.token, 'approve(address,uint256)', ['address', 'uint256'], [x.v, MAX]);
  }
  const bal = async (tok, who) => (await word(url, tok, 'balanceOf(address)', ['address'], [who]))[0];
  let cases = 0, agree = 0;
  for (const [d, cl, repay] of [['USDC', 'WBTC', 'max'], ['USDC', 'WBTC', '1234.567891'], ['WETH', 'WBTC', 'max'], ['WETH', 'WBTC', '0.5']]) {
    const pv = await L.runLiqtop(liqtop, ['preview', out, '--position', c.bob.toLowerCase(), '--debt', d, '--collateral', cl, '--format', 'json',
      ...(repay === 'max' ? [] : ['--repay', repay])]);
    if (pv.status !== 0) { console.log(`# preview ${d}/${cl} ${repay}: ${pv.err.trim()}`); cases++; continue; }
    const v = JSON.parse(pv.out);
    cases++;
    const D = c.m[d], C = c.m[cl];
    const amount = dec(v.repay, D.dec);
    const sid = await rpc(url, 'evm_snapshot', []);
    const b0 = { u: await bal(D.token, liquidator), vb: await bal(C.v, c.bob), vl: await bal(C.v, liquidator) };
    let line = `${d}/${cl} repay ${repay}: `;
    try {
      await call0(url, liquidator, D.v, 'liquidateBorrow(address,uint256,address)', ['address', 'uint256', 'address'], [c.bob, amount, C.v]);
      const repaid = b0.u - await bal(D.token, liquidator);
      const seized = b0.vb - await bal(C.v, c.bob);
      const got = await bal(C.v, liquidator) - b0.vl;
      const er = (await word(url, C.v, 'exchangeRateStored()', []))[0];
      const [, liq, short] = await word(url, c.comp, 'getAccountLiquidity(address)', ['address'], [c.bob]);
      const sb = await sumBorrow(url, c, c.bob, 'latest');
      const want = { repay: repaid, seize: seized, underlying: er * seized / WAD, after: (sb + liq - short) * WAD / sb };
      const have = { repay: amount, seize: dec(v.seize_tokens, 8), underlying: dec(v.collateral_seized, C.dec), after: dec(v.health_factor_after, 18) };
      const eq = Object.keys(want).every((k) => want[k] === have[k]) && v.reverts === null && got === seized;
      line += `repaid ${repaid}, vTokens seized ${seized}, health after ${want.after}` + (eq ? '' : ` vs preview ${Object.values(have).join(' ')} (${v.reverts})`);
      if (eq) agree++;
    } catch (e) {
      line += `liquidateBorrow failed (${e.message}), preview reverts ${v.reverts}`;
    }
    console.log('# ' + line);
    await rpc(url, 'evm_revert', [sid]);
  }
  ok(cases === 4 && agree === cases, `liqtop preview = what Venus's liquidateBorrow then does: repay, vTokens seized, their underlying, health after (${agree}/${cases})`);
  // faults: nothing written, exit 2, the call named
  fs.rmSync(out, { force: true });
  const none = await L.runLiqtop(liqtop, ['import', '--rpc', url, '--compound-v2', c.alice, '--user', c.alice, '--out', out]);
  ok(none.status === 2 && /eth_getCode 0x[0-9a-f]{40} \(Comptroller\): no contract/.test(none.err) && !fs.existsSync(out),
    'a Comptroller address with no code: exit 2, the call named, nothing written' + (none.status === 2 ? '' : ': ' + none.err));
  const port = await L.freePort();
  const down = await L.runLiqtop(liqtop, ['import', '--rpc', `http://127.0.0.1:${port}`, '--compound-v2', c.comp, '--user', c.alice, '--out', out]);
  ok(down.status === 2 && /eth_chainId/.test(down.err) && !fs.existsSync(out), 'a node that refuses the connection: exit 2, the call named, nothing written' +
    (down.status === 2 ? '' : ': ' + down.err));
  const sid = await rpc(url, 'evm_snapshot', []);
  await tx(url, c.owner, c.oracle, 'setUnderlyingPrice(address,uint256)', ['address', 'uint256'], [c.m.USDC.v, 10n ** 30n + 1n]);
  const odd = await L.runLiqtop(liqtop, ['import', '--rpc', url, '--compound-v2', c.comp, '--user', c.alice, '--out', out]);
  ok(odd.status === 2 && new RegExp(`getUnderlyingPrice\\(${c.m.USDC.v.toLowerCase()}\\): not a whole number`).test(odd.err) && !fs.existsSync(out),
    'a 6-decimal price the 18-place base cannot hold: exit 2, the call named, nothing written' + (odd.status === 2 ? '' : ': ' + odd.err));
  await rpc(url, 'evm_revert', [sid]);
}

module.exports = { setup, sumBorrow, call0, word, deploy };
if (require.main === module) {
  main().catch((e) => { ok(false, 'compound chain test: ' + e.stack); }).finally(L.finish);
}
