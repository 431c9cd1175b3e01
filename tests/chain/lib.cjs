// tests/chain/lib.cjs: what the chain tests share: anvil on a free
// 127.0.0.1 port, JSON-RPC, transactions from anvil's unlocked accounts,
// a small ABI encoder of the test's own (independent of liqtop's), TAP
// lines and running liqtop. Loopback traffic only.
'use strict';
const fs = require('fs');
const path = require('path');
const net = require('net');
const { spawn } = require('child_process');

const state = { failures: 0, children: [] };
const ok = (c, d) => { console.log((c ? 'ok - ' : 'not ok - ') + d); if (!c) state.failures++; };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function freePort() {
  return new Promise((res) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => res(p)); });
  });
}

let rid = 1;
async function rpc(url, method, params) {
  const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: rid++, method, params }) });
  const j = await r.json();
  if (j.error) throw new Error(method + ': ' + j.error.message);
  return j.result;
}

async function startAnvil(npm) {
  const bin = path.join(npm, 'node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil');
  const port = await freePort();
  const child = spawn(bin, ['--host', '127.0.0.1', '--port', String(port), '--silent',
    '--disable-code-size-limit', '--chain-id', '31337'], { stdio: 'ignore' });
  state.children.push(child);
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    try { await rpc(url, 'eth_chainId', []); return { url, child }; } catch (e) { await sleep(50); }
  }
  throw new Error('anvil did not start');
}

// A selector by the node's own keccak (web3_sha3), not liqtop's.
const selCache = new Map();
async function selector(url, sig) {
  if (!selCache.has(sig)) selCache.set(sig, (await rpc(url, 'web3_sha3', ['0x' + Buffer.from(sig).toString('hex')])).slice(0, 10));
  return selCache.get(sig);
}

// ABI encoding: 'address', 'uintN', 'bool', 'string', 'bytes', 'T[]',
// tuples as arrays of types, and arrays of tuples as {arr: [types]}.
const w = (v) => (BigInt(v) & ((1n << 256n) - 1n)).toString(16).padStart(64, '0');
const isDynamic = (t) => (t && t.arr !== undefined) || t === 'string' || t === 'bytes' || (typeof t === 'string' && t.endsWith('[]')) ||
  (Array.isArray(t) && t.some(isDynamic));
function encodeOne(t, v) {
  if (t && t.arr !== undefined) return w(v.length) + encode(v.map(() => t.arr), v);
  if (Array.isArray(t)) return encode(t, v);
  if (t === 'address') return v.toLowerCase().replace(/^0x/, '').padStart(64, '0');
  if (t === 'bool') return w(v ? 1 : 0);
  if (t === 'string' || t === 'bytes') {
    const b = t === 'string' ? Buffer.from(v, 'utf8') : Buffer.from(v.replace(/^0x/, ''), 'hex');
    return w(b.length) + b.toString('hex').padEnd(Math.ceil(b.length / 32) * 64, '0');
  }
  if (t.endsWith('[]')) {
    const et = t.slice(0, -2);
    return w(v.length) + encode(v.map(() => et), v);
  }
  return w(v);
}
function encode(types, values) {
  let head = '', tail = '';
  const headLen = types.reduce((n, t) => n + (isDynamic(t) ? 32 : (Array.isArray(t) ? t.length * 32 : 32)), 0);
  types.forEach((t, i) => {
    const e = encodeOne(t, values[i]);
    if (isDynamic(t)) { head += w(headLen + tail.length / 2); tail += e; } else head += e;
  });
  return head + tail;
}
const words = (hex) => { const h = hex.replace(/^0x/, ''); const out = []; for (let i = 0; i < h.length; i += 64) out.push(BigInt('0x' + h.slice(i, i + 64))); return out; };
const addrOf = (word) => '0x' + word.toString(16).padStart(40, '0');

async function send(url, from, to, data) {
  const tx = await rpc(url, 'eth_sendTransaction', [{ from, to, data, gas: '0x1c9c380' }]);
  let rc = null;
  for (let i = 0; i < 100 && rc === null; i++) {
    rc = await rpc(url, 'eth_getTransactionReceipt', [tx]);
    if (rc === null) await sleep(20);
  }
  if (rc === null || rc.status !== '0x1') throw new Error('transaction failed: ' + (data || '').slice(0, 10));
  return rc;
}
async function tx(url, from, to, sig, types, values) {
  const argTypes = types || [];
  return send(url, from, to, (await selector(url, sig)) + encode(argTypes, values || []));
}
async function view(url, to, sig, types, values, tag = 'latest') {
  return rpc(url, 'eth_call', [{ to, data: (await selector(url, sig)) + encode(types || [], values || []) }, tag]);
}

function runLiqtop(liqtop, args) {
  return new Promise((res) => {
    const ch = spawn(liqtop, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '', err = '';
    const timer = setTimeout(() => ch.kill('SIGKILL'), 120000);
    ch.stdout.on('data', (d) => { out += d; });
    ch.stderr.on('data', (d) => { err += d; });
    ch.on('close', (status) => { clearTimeout(timer); res({ status, out, err }); });
  });
}

function finish() {
  for (const ch of state.children) ch.kill('SIGKILL');
  process.exit(state.failures ? 1 : 0);
}

module.exports = { state, ok, sleep, freePort, rpc, startAnvil, selector, encode, words, addrOf, send, tx, view, runLiqtop, finish, fs, path };
