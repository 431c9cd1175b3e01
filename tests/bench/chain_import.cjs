// tests/bench/chain_import.cjs: make bench's chain part: liqtop import of
// N (10,000) Morpho Blue positions from a local anvil. Morpho, its IRM and
// oracle mocks and two tokens are deployed from the compiled artifacts, one
// real supply and borrow set the market going, then the N positions (and
// the totals that hold them) are written with anvil_setStorageAt in
// batched requests. Printed: liqtop import's wall and CPU time (user +
// sys, from the shell's `times`), and beside it, as the baseline of the
// same run, the wall time of the very position() calls import makes, sent
// by this script straight to the node in batches of the same size.
// usage: node chain_import.cjs NPM_DIR ARTIFACTS.json LIQTOP [N]
'use strict';
const L = require('../chain/lib.cjs');
const { rpc, fs, path } = L;
const { spawnSync } = require('child_process');
const [npm, artPath, liqtop] = process.argv.slice(2, 5).map((p) => path.resolve(p));
const N = Number(process.argv[5] || 10000);
const art = JSON.parse(fs.readFileSync(artPath, 'utf8'));
const hex64 = (v) => BigInt(v).toString(16).padStart(64, '0');
const addrWord = (a) => a.toLowerCase().replace(/^0x/, '').padStart(64, '0');
const sel = (c, sig) => '0x' + art[c].methods[sig];
const WAD = 10n ** 18n;

async function batch(url, calls) {
  const body = calls.map((c, i) => ({ jsonrpc: '2.0', id: i, method: c[0], params: c[1] }));
  const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const j = await r.json();
  j.sort((a, b) => a.id - b.id);
  for (const x of j) if (x.error) throw new Error(JSON.stringify(x.error));
  return j.map((x) => x.result);
}
async function deploy(url, from, name, args = '') {
  const rc = await L.send(url, from, null, art[name].bytecode + args);
  return rc.contractAddress;
}
const keccakMany = async (url, hexes) => {
  const out = [];
  for (let i = 0; i < hexes.length; i += 1000)
    out.push(...await batch(url, hexes.slice(i, i + 1000).map((h) => ['web3_sha3', ['0x' + h]])));
  return out;
};

async function main() {
  const node = await L.startAnvil(npm);
  const url = node.url;
  const [owner, lender, alice] = await rpc(url, 'eth_accounts', []);
  const morpho = await deploy(url, owner, 'Morpho', addrWord(owner));
  const irm = await deploy(url, owner, 'IrmMock');
  const oracle = await deploy(url, owner, 'OracleMock');
  const token = (sym, dec) => {
    const b = Buffer.from(sym);
    return deploy(url, owner, 'TestToken', hex64(64) + hex64(dec) + hex64(b.length) + b.toString('hex').padEnd(64, '0'));
  };
  const weth = await token('WETH', 18), usdc = await token('USDC', 6);
  const lltv = 860000000000000000n;
  const params = addrWord(usdc) + addrWord(weth) + addrWord(oracle) + addrWord(irm) + hex64(lltv);
  await L.send(url, owner, morpho, sel('Morpho', 'enableIrm(address)') + addrWord(irm));
  await L.send(url, owner, morpho, sel('Morpho', 'enableLltv(uint256)') + hex64(lltv));
  const created = await L.send(url, owner, morpho, sel('Morpho', 'createMarket((address,address,address,address,uint256))') + params);
  const id = created.logs[0].topics[1];
  await L.send(url, owner, oracle, sel('OracleMock', 'setPrice(uint256)') + hex64(2000n * 10n ** 24n));
  const fund = async (tok, who, amt) => {
    await L.send(url, owner, tok, sel('TestToken', 'setBalance(address,uint256)') + addrWord(who) + hex64(amt));
    await L.send(url, who, tok, sel('TestToken', 'approve(address,uint256)') + addrWord(morpho) + hex64((1n << 256n) - 1n));
  };
  await fund(usdc, lender, 10n ** 15n);
  await L.send(url, lender, morpho, sel('Morpho', 'supply((address,address,address,address,uint256),uint256,uint256,address,bytes)') +
    params + hex64(10n ** 15n) + hex64(0) + addrWord(lender) + hex64(9 * 32) + hex64(0));
  await fund(weth, alice, 10n * WAD);
  await L.send(url, alice, morpho, sel('Morpho', 'supplyCollateral((address,address,address,address,uint256),uint256,address,bytes)') +
    params + hex64(10n * WAD) + addrWord(alice) + hex64(8 * 32) + hex64(0));
  await L.send(url, alice, morpho, sel('Morpho', 'borrow((address,address,address,address,uint256),uint256,uint256,address,address)') +
    params + hex64(1000n * 10n ** 6n) + hex64(0) + addrWord(alice) + addrWord(alice));
  // N borrowers written into storage: position[id][user] at
  // keccak(user . keccak(id . 2)) (supplyShares; then borrowShares in the
  // low 128 bits and collateral in the high), market[id] at keccak(id . 3)
  const users = [];
  for (let i = 0; i < N; i++) users.push('0x' + (0x100000 + i).toString(16).padStart(40, '0'));
  const [inner] = await keccakMany(url, [id.slice(2) + hex64(2)]);
  const slots = await keccakMany(url, users.map((u) => addrWord(u) + inner.slice(2)));
  const setAt = [];
  let shares = 0n;
  users.forEach((u, i) => {
    const bs = (1000n + BigInt(i)) * 10n ** 12n, coll = WAD + BigInt(i) * 10n ** 12n;
    shares += bs;
    setAt.push(['anvil_setStorageAt', [morpho, '0x' + hex64(BigInt(slots[i]) + 1n), '0x' + hex64((coll << 128n) | bs)]]);
  });
  for (let i = 0; i < setAt.length; i += 1000) await batch(url, setAt.slice(i, i + 1000));
  const [mslot] = await keccakMany(url, [id.slice(2) + hex64(3)]);
  const mk = (await L.view(url, morpho, 'market(bytes32)', ['uint256'], [BigInt(id)])).slice(2);
  const tba = BigInt('0x' + mk.slice(128, 192)), tbs = BigInt('0x' + mk.slice(192, 256));
  // the totals grow by the written shares at the market's own rate of
  // assets a share, rounded up (so every position is owed what it holds)
  const addAssets = (shares * (tba + 1n) + tbs + 10n ** 6n - 1n) / (tbs + 10n ** 6n);
  await batch(url, [['anvil_setStorageAt', [morpho, '0x' + hex64(BigInt(mslot) + 1n), '0x' + hex64(((tbs + shares) << 128n) | (tba + addAssets))]]]);
  await rpc(url, 'evm_mine', []);

  const out = path.join(require('os').tmpdir(), `liqtop-bench-import-${process.pid}.json`);
  const args = ['import', '--rpc', url, '--morpho', morpho, '--market', id, '--out', out];
  for (const u of users) args.push('--user', u);
  // the shell's `times` after the child: its user and system seconds
  const script = '"$0" "$@" >/dev/null 2>"$ERR" || exit 1; times';
  const err = out + '.err';
  const t0 = process.hrtime.bigint();
  const r = spawnSync('sh', ['-c', script, liqtop, ...args], { env: { ...process.env, ERR: err }, encoding: 'utf8', maxBuffer: 1 << 20 });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) {
    console.log(`liqtop import of ${N} Morpho positions failed: ${fs.existsSync(err) ? fs.readFileSync(err, 'utf8') : r.stderr}`);
    process.exitCode = 1;
    return;
  }
  const t = r.stdout.trim().split('\n').pop().split(/\s+/);
  const sec = (s) => { const m = /^(\d+)m([\d.]+)s$/.exec(s); return m ? Number(m[1]) * 60 + Number(m[2]) : NaN; };
  const cpu = sec(t[0]) + sec(t[1]);
  const pf = JSON.parse(fs.readFileSync(out, 'utf8'));
  // what was imported loads: every position in a snapshot
  const snap = spawnSync(liqtop, ['snapshot', out, '--format', 'csv'], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const rows = snap.status === 0 ? snap.stdout.trim().split('\n').length - 1 : -1;
  if (pf.positions.length !== N || rows !== N) {
    console.log(`liqtop import of ${N} Morpho positions: ${pf.positions.length} written, ${rows} in the snapshot`);
    process.exitCode = 1;
    return;
  }
  // the baseline: the same position() calls, 50 a batch, one batch at a time
  const pos = sel('Morpho', 'position(bytes32,address)');
  const b0 = process.hrtime.bigint();
  for (let i = 0; i < N; i += 50)
    await batch(url, users.slice(i, i + 50).map((u) => ['eth_call', [{ to: morpho, data: pos + id.slice(2) + addrWord(u) }, 'latest']]));
  const base = Number(process.hrtime.bigint() - b0) / 1e9;
  console.log(`liqtop import --morpho of ${pf.positions.length} positions from anvil: ${wall.toFixed(2)} s wall, ${cpu.toFixed(2)} s CPU ` +
    `(the node answering the same ${N} position() calls to a plain client: ${base.toFixed(2)} s wall)`);
  fs.rmSync(out, { force: true });
  fs.rmSync(err, { force: true });
}

main().catch((e) => { console.log('chain import bench: ' + e.stack); process.exitCode = 1; }).finally(() => {
  for (const ch of L.state.children) ch.kill('SIGKILL');
});
