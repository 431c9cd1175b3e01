// tests/chain/aave_feed.cjs: --feed rpc: on an Aave v3 market (the one
// tests/chain/aave.cjs deploys on anvil): a borrow, a repay and a
// collateral toggle mined while `liqtop run --headless` follows the node
// show in its final snapshot, each health factor equal to the pool's
// getUserAccountData at the block the feed applied last; then a reorg
// (evm_revert and other blocks mined at the same heights) is seen and
// what the replaced blocks touched is read again; then one deeper than
// the 64 blocks kept, after which every position is read again; then
// carol repays all she owes and withdraws all she supplied (her position
// leaves the book), and alice does the same and borrows again (hers comes
// back): the report's snapshot then equals, byte for byte, `liqtop
// snapshot` of a fresh `liqtop import` at the block the feed applied last.
// Prints TAP lines.
// usage: node aave_feed.cjs NPM_DIR LIQTOP
'use strict';
const L = require('./lib.cjs');
const { ok, rpc, tx, view, words, fs, path } = L;
const [npm, liqtop] = process.argv.slice(2).map((p) => path.resolve(p));
const { setup } = require('./aave.cjs');
const WAD = 10n ** 18n;
const dec = (s, places) => { const [i, f = ''] = s.split('.'); return BigInt(i + f.padEnd(places, '0')); };

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
      try { rep = JSON.parse(out); } catch (e) { /* below */ }
      return { st, rep, err };
    },
  };
}

// Every position of the report's snapshot against getUserAccountData at the
// block the feed applied last.
async function same(url, c, rep) {
  const tag = '0x' + rep.sources[0].block.toString(16);
  let n = 0, eq = 0;
  for (const p of rep.snapshot.positions) {
    const acct = words(await view(url, c.pool, 'getUserAccountData(address)', ['address'], [p.id], tag));
    n++;
    if (p.health_factor === null ? acct[5] === (1n << 256n) - 1n : dec(p.health_factor, 18) === acct[5]) eq++;
    else console.log(`# ${p.id}: feed ${p.health_factor}, getUserAccountData ${acct[5]}`);
  }
  return { n, eq };
}

async function main() {
  const node = await L.startAnvil(npm);
  const url = node.url;
  const c = await setup(url);
  const out = path.join(require('os').tmpdir(), `liqtop-aave-feed-${process.pid}.json`);
  const r = await L.runLiqtop(liqtop, ['import', '--rpc', url, '--aave-v3', c.provider, '--borrowers', '--user', c.lender, '--out', out]);
  ok(r.status === 0, 'import --aave-v3 --borrowers exits 0' + (r.status ? ': ' + r.err : ''));
  const f = follow(out, url);
  await L.sleep(1500);
  const pool = c.pool;
  // an hour passes (the sentinel's grace period ends, interest accrues);
  // then block N: alice borrows more; N+1: bob repays some USDC; N+2: carol
  // makes her USDC collateral again
  await rpc(url, 'evm_increaseTime', [3601]);
  await rpc(url, 'evm_mine', []);
  await tx(url, c.alice, pool, 'borrow(address,uint256,uint256,uint16,address)', ['address', 'uint256', 'uint256', 'uint16', 'address'],
    [c.usdc, 50n * 10n ** 6n + 7n, 2, 0, c.alice]);
  await tx(url, c.bob, pool, 'repay(address,uint256,uint256,address)', ['address', 'uint256', 'uint256', 'address'],
    [c.usdc, 1500n * 10n ** 6n, 2, c.bob]);
  await tx(url, c.carol, pool, 'setUserUseReserveAsCollateral(address,bool)', ['address', 'bool'], [c.usdc, true]);
  // WETH falls to 1700 (a new aggregator): alice is liquidatable, and a
  // liquidator repays 3000 USDC of hers for WETH
  const { deploy } = require('./aave.cjs');
  const agg = await deploy(url, c.owner, 'mocks/oracle/CLAggregators/MockAggregator.sol/MockAggregator.json', ['int256'], [170000000000n]);
  await tx(url, c.owner, c.oracle, 'setAssetSources(address[],address[])', ['address[]', 'address[]'], [[c.weth], [agg]]);
  const liquidator = c.accts[6];
  await tx(url, liquidator, c.usdc, 'mint(uint256)', ['uint256'], [10n ** 12n]);
  await tx(url, liquidator, c.usdc, 'approve(address,uint256)', ['address', 'uint256'], [pool, (1n << 256n) - 1n]);
  const before = words(await view(url, pool, 'getUserAccountData(address)', ['address'], [c.alice]))[5];
  await tx(url, liquidator, pool, 'liquidationCall(address,address,address,uint256,bool)', ['address', 'address', 'address', 'uint256', 'bool'],
    [c.weth, c.usdc, c.alice, 3000n * 10n ** 6n, false]);
  const after = words(await view(url, pool, 'getUserAccountData(address)', ['address'], [c.alice]))[5];
  ok(before < WAD && after > before, `alice liquidated on the chain (health ${before} before, ${after} after)`);
  await L.sleep(2500);
  // a reorg: the lender borrows in block M, then that block is
  // replaced by one where bob borrows instead
  const sid = await rpc(url, 'evm_snapshot', []);
  await tx(url, c.lender, pool, 'borrow(address,uint256,uint256,uint16,address)', ['address', 'uint256', 'uint256', 'uint16', 'address'],
    [c.usdc, 20n * 10n ** 6n, 2, 0, c.lender]);
  await L.sleep(2000);
  await rpc(url, 'evm_revert', [sid]);
  await tx(url, c.bob, pool, 'borrow(address,uint256,uint256,uint16,address)', ['address', 'uint256', 'uint256', 'uint16', 'address'],
    [c.usdc, 100n * 10n ** 6n, 2, 0, c.bob]);
  await rpc(url, 'evm_mine', []);
  await L.sleep(2500);
  // a reorg deeper than the 64 blocks the feed keeps: the lender borrows
  // in block D and 70 blocks follow, all applied; then the chain goes back
  // to D - 1 and grows another way (bob repays instead), 80 blocks long.
  // Neither the lender's borrow nor its undoing is in any block kept:
  // only reading the book's positions again finds the lender's debt gone.
  const deep = await rpc(url, 'evm_snapshot', []);
  await tx(url, c.lender, pool, 'borrow(address,uint256,uint256,uint16,address)', ['address', 'uint256', 'uint256', 'uint16', 'address'],
    [c.usdc, 30n * 10n ** 6n, 2, 0, c.lender]);
  await rpc(url, 'anvil_mine', ['0x46']);
  await L.sleep(2500);
  await rpc(url, 'evm_revert', [deep]);
  await tx(url, c.bob, pool, 'repay(address,uint256,uint256,address)', ['address', 'uint256', 'uint256', 'address'],
    [c.usdc, 10n * 10n ** 6n, 2, c.bob]);
  await rpc(url, 'anvil_mine', ['0x50']);
  await L.sleep(2500);
  // carol repays everything (type(uint256).max: the debt with its
  // interest) and withdraws everything; alice, once liquidated, does the
  // same, and when the feed has applied that, supplies and borrows again
  const MAX = (1n << 256n) - 1n;
  const empty = async (who) => {
    for (const tok of [c.usdc, c.weth]) {
      await tx(url, who, tok, 'mint(uint256)', ['uint256'], [10n ** 24n]);
      await tx(url, who, tok, 'approve(address,uint256)', ['address', 'uint256'], [pool, MAX]);
    }
    for (const tok of [c.usdc, c.weth]) {
      const d = words(await view(url, pool, 'getUserAccountData(address)', ['address'], [who]))[1];
      if (d === 0n) break;
      await tx(url, who, pool, 'repay(address,uint256,uint256,address)', ['address', 'uint256', 'uint256', 'address'], [tok, MAX, 2, who]).catch(() => {});
    }
    for (const tok of [c.usdc, c.weth])
      await tx(url, who, pool, 'withdraw(address,uint256,address)', ['address', 'uint256', 'address'], [tok, MAX, who]).catch(() => {});
    return words(await view(url, pool, 'getUserAccountData(address)', ['address'], [who]));
  };
  const ce = await empty(c.carol), ae = await empty(c.alice);
  ok(ce[0] === 0n && ce[1] === 0n && ae[0] === 0n && ae[1] === 0n,
    `carol and alice repaid and withdrew everything on the chain (collateral ${ce[0]}, ${ae[0]}; debt ${ce[1]}, ${ae[1]})`);
  await L.sleep(2500);
  await tx(url, c.alice, pool, 'supply(address,uint256,address,uint16)', ['address', 'uint256', 'address', 'uint16'], [c.weth, 4n * WAD, c.alice, 0]);
  await tx(url, c.alice, pool, 'borrow(address,uint256,uint256,uint16,address)', ['address', 'uint256', 'uint256', 'uint16', 'address'],
    [c.usdc, 5000n * 10n ** 6n + 3n, 2, 0, c.alice]);
  await rpc(url, 'evm_mine', []);
  await L.sleep(2500);
  const { st, rep, err } = await f.stop();
  const head = Number(BigInt(await rpc(url, 'eth_blockNumber', [])));
  ok(st === 143 && rep && rep.sources[0].block === head && rep.sources[0].state === 'live',
    `--feed rpc follows the node to block ${head}` + (rep ? ` (applied ${rep.sources[0].block})` : ': ' + err));
  if (!rep) return;
  ok(rep.sources[0].reorgs >= 2, `the replaced blocks are seen (${rep.sources[0].reorgs} reorgs)`);
  ok(rep.sources[0].deep_reorgs === 1, `one of them deeper than the blocks kept: the book read again (${rep.sources[0].deep_reorgs})`);
  ok(rep.sources[0].positions_read >= 4, `positions read again at the blocks that touched them (${rep.sources[0].positions_read})`);
  const h = await same(url, c, rep);
  // four: alice, bob, the lender, and the treasury, which the
  // liquidation's protocol fee (aWETH moved from alice, BalanceTransfer)
  // brought into the book; carol, emptied, is gone
  const ids = rep.snapshot.positions.map((p) => p.id).sort();
  const want = [c.alice, c.bob, c.lender, c.owner].map((x) => x.toLowerCase()).sort();
  ok(JSON.stringify(ids) === JSON.stringify(want) && h.eq === h.n, `after the borrow, repay, collateral toggle, price fall, liquidation, an hour, a reorg, a deeper one, two positions emptied and one borrowing again: every health factor = getUserAccountData's at the block (${h.eq}/${h.n}; ${ids.join(' ')})`);
  const alice = rep.snapshot.positions.find((p) => p.id === c.alice.toLowerCase());
  ok(alice && alice.health_factor !== null, 'alice, emptied then borrowing again, is back in the book with her debt');
  // what `liqtop import` writes at that block: carol is no borrower
  // there (her position is empty); the treasury is named
  const fresh = out + '.fresh.json';
  const imp = await L.runLiqtop(liqtop, ['import', '--rpc', url, '--aave-v3', c.provider, '--borrowers', '--user', c.lender, '--user', c.owner,
    '--block', String(rep.sources[0].block), '--out', fresh]);
  const snap = imp.status === 0 ? await L.runLiqtop(liqtop, ['snapshot', fresh, '--format', 'json']) : imp;
  let fs2 = null;
  try { fs2 = JSON.parse(snap.out); } catch (e) { /* below */ }
  ok(fs2 && JSON.stringify(fs2.positions) === JSON.stringify(rep.snapshot.positions),
    `the followed book's snapshot = a fresh import's at block ${rep.sources[0].block}` + (fs2 ? '' : ': ' + snap.err));
  if (fs2 && JSON.stringify(fs2.positions) !== JSON.stringify(rep.snapshot.positions))
    console.log('# followed: ' + JSON.stringify(rep.snapshot.positions) + '\n# imported: ' + JSON.stringify(fs2.positions));
  fs.rmSync(out, { force: true });
  fs.rmSync(fresh, { force: true });
}

if (require.main === module) {
  main().catch((e) => { ok(false, 'aave feed chain test: ' + e.stack); }).finally(L.finish);
}
