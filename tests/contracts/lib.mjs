// tests/contracts/lib.mjs: what the contract tests share: an anvil node on
// a free loopback port (started and stopped here), JSON-RPC calls and
// transactions, deployment from forge's and hardhat's artifacts (with
// library linking), revert reasons, exact decimals, a seeded generator,
// liqtop runs, and TAP lines for tests/run.  It holds no protocol rule:
// the figures compared come from the contracts and from liqtop.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

export const here = path.dirname(fileURLToPath(import.meta.url));
export const top = path.resolve(here, '../..');
export const npm = path.join(top, 'build/npm/node_modules');
const require = createRequire(path.join(npm, 'x.js'));
export const ethers = require('ethers');
export const { Interface, AbiCoder, getAddress, keccak256 } = ethers;

// ---- exact decimals --------------------------------------------------

// "4.4625" with 18 decimals -> 4462500000000000000n; null stays null.
export function toRaw(s, dec) {
    if (s === null || s === undefined) return null;
    const m = /^(\d+)(?:\.(\d+))?$/.exec(String(s));
    if (!m) throw new Error(`not a decimal: ${s}`);
    const frac = m[2] || '';
    if (frac.length > dec) throw new Error(`${s}: more than ${dec} places`);
    return BigInt(m[1] + frac.padEnd(dec, '0'));
}

// 4462500000000000000n with 18 decimals -> "4.4625"
export function fmt(raw, dec) {
    const neg = raw < 0n;
    let s = (neg ? -raw : raw).toString().padStart(dec + 1, '0');
    let out = dec === 0 ? s : s.slice(0, s.length - dec) + '.' + s.slice(s.length - dec);
    if (dec > 0) out = out.replace(/0+$/, '').replace(/\.$/, '');
    return (neg ? '-' : '') + out;
}

export const pow10 = (n) => 10n ** BigInt(n);
export const WAD = pow10(18);
export const RAY = pow10(27);
export const UINT256_MAX = (1n << 256n) - 1n;
export const divUp = (a, b) => (a + b - 1n) / b;

// ---- seeded generator (splitmix64) ------------------------------------

export class Rng {
    constructor(seed) {
        this.s = BigInt.asUintN(64, BigInt(seed));
    }
    next64() {
        this.s = BigInt.asUintN(64, this.s + 0x9e3779b97f4a7c15n);
        let z = this.s;
        z = BigInt.asUintN(64, (z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n);
        z = BigInt.asUintN(64, (z ^ (z >> 27n)) * 0x94d049bb133111ebn);
        return z ^ (z >> 31n);
    }
    // uniform in [lo, hi] (BigInt)
    big(lo, hi) {
        const span = hi - lo + 1n;
        let r = 0n;
        for (let bits = 0n; (1n << bits) < span * 1024n; bits += 64n) r = (r << 64n) | this.next64();
        return lo + (r % span);
    }
    int(lo, hi) {
        return Number(this.big(BigInt(lo), BigInt(hi)));
    }
    pick(a) {
        return a[this.int(0, a.length - 1)];
    }
    // log-uniform over [lo, hi]: amounts of every magnitude
    logBig(lo, hi) {
        const dl = lo.toString().length, dh = hi.toString().length;
        const d = this.int(dl, dh);
        const a = d === dl ? lo : pow10(d - 1);
        const b = d === dh ? hi : pow10(d) - 1n;
        return this.big(a, b);
    }
}

export function seedFromEnv() {
    const s = process.env.LIQ_SEED;
    if (s !== undefined && s !== '') return BigInt(s);
    return BigInt(Date.now()) ^ BigInt(process.pid);
}

// ---- anvil and JSON-RPC ------------------------------------------------

function freePort() {
    return new Promise((resolve, reject) => {
        const srv = net.createServer();
        srv.on('error', reject);
        srv.listen(0, '127.0.0.1', () => {
            const { port } = srv.address();
            srv.close(() => resolve(port));
        });
    });
}

export class Node {
    // opts.timestamp: the first block's time (default 2026-01-01)
    static async start(opts = {}) {
        const bin = path.join(npm, '@foundry-rs/anvil-linux-amd64/bin/anvil');
        const port = await freePort();
        const child = spawn(bin, ['--host', '127.0.0.1', '--port', String(port), '--silent',
            '--auto-impersonate', '--disable-code-size-limit', '--disable-block-gas-limit',
            '--base-fee', '0', '--gas-price', '0', '--hardfork', 'cancun', '--timestamp', String(opts.timestamp ?? 1767225600)],
        { stdio: ['ignore', 'ignore', 'pipe'] });
        let err = '';
        child.stderr.on('data', (d) => (err += d));
        // The node never outlives this process, however it ends.
        process.on('exit', () => child.exitCode === null && child.kill('SIGKILL'));
        for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => process.exit(130));
        const node = new Node(child, `http://127.0.0.1:${port}`);
        for (let i = 0; i < 200; i++) {
            if (child.exitCode !== null) throw new Error(`anvil exited: ${err}`);
            try {
                await node.rpc('eth_chainId', []);
                return node;
            } catch (e) {
                await new Promise((r) => setTimeout(r, 50));
            }
        }
        child.kill('SIGTERM');
        throw new Error('anvil did not answer within 10 s');
    }
    constructor(child, url) {
        this.child = child;
        this.url = url;
        this.id = 0;
        this.gas = '0x3938700'; // 60M
        this.signers = 0;
    }
    stop() {
        if (this.child.exitCode === null) this.child.kill('SIGTERM');
    }
    async rpc(method, params) {
        const res = await fetch(this.url, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ jsonrpc: '2.0', id: ++this.id, method, params }),
        });
        const j = await res.json();
        if (j.error) {
            const e = new Error(`${method}: ${j.error.message}`);
            e.rpc = j.error;
            throw e;
        }
        return j.result;
    }
    // A fresh account with ether for gas (gas is free here, but some
    // contracts look at balances).
    async account() {
        this.signers += 1;
        const a = getAddress('0x' + (0x1000000n + BigInt(this.signers)).toString(16).padStart(40, '0'));
        return a;
    }
    async snapshot() {
        return this.rpc('evm_snapshot', []);
    }
    async revert(id) {
        const ok = await this.rpc('evm_revert', [id]);
        if (!ok) throw new Error('evm_revert failed');
    }
    async mine(seconds) {
        await this.rpc('evm_increaseTime', [seconds]);
        await this.rpc('evm_mine', []);
    }
    async timestamp() {
        const b = await this.rpc('eth_getBlockByNumber', ['latest', false]);
        return BigInt(b.timestamp);
    }
    async sendRaw(from, to, data) {
        const tx = { from, data, gas: this.gas, gasPrice: '0x0' };
        if (to) tx.to = to;
        const hash = await this.rpc('eth_sendTransaction', [tx]);
        let rc = null;
        for (let i = 0; i < 2000 && !rc; i++) {
            rc = await this.rpc('eth_getTransactionReceipt', [hash]);
            if (!rc) await new Promise((r) => setTimeout(r, i < 20 ? 0 : 5));
        }
        if (!rc || rc.status !== '0x1') {
            const why = to ? await this.callRaw(from, to, data) : { revert: `deploy failed (${JSON.stringify(rc)})` };
            throw new Error(`transaction reverted: ${why.revert}`);
        }
        return rc;
    }
    // eth_call: {data} or {revert: reason, raw}
    async callRaw(from, to, data) {
        try {
            const out = await this.rpc('eth_call', [{ from, to, data, gas: this.gas }, 'latest']);
            return { data: out };
        } catch (e) {
            if (!e.rpc) throw e;
            const raw = typeof e.rpc.data === 'string' ? e.rpc.data : e.rpc.data?.data;
            return { revert: decodeRevert(raw, e.rpc.message), raw };
        }
    }
}

const errIfaces = [];
export function knowErrors(abi) {
    errIfaces.push(new Interface(abi.filter((x) => x.type === 'error')));
}

// Error(string) -> its text; Panic(n) -> "panic 0xNN"; a custom error ->
// its name; nothing -> the node's message.
export function decodeRevert(raw, message) {
    if (!raw || raw === '0x') return message || 'reverted without data';
    const sel = raw.slice(0, 10);
    if (sel === '0x08c379a0') return AbiCoder.defaultAbiCoder().decode(['string'], '0x' + raw.slice(10))[0];
    if (sel === '0x4e487b71') {
        const n = AbiCoder.defaultAbiCoder().decode(['uint256'], '0x' + raw.slice(10))[0];
        return 'panic 0x' + n.toString(16).padStart(2, '0');
    }
    for (const i of errIfaces) {
        try {
            const e = i.parseError(raw);
            if (e) return e.name;
        } catch (x) {
            /* not this one */
        }
    }
    return 'error ' + sel;
}

// ---- contracts -------------------------------------------------------

// forge (out/File.sol/Name.json) or hardhat artifact -> {abi, bytecode, links}
export function artifact(file) {
    const j = JSON.parse(fs.readFileSync(file, 'utf8'));
    const bc = typeof j.bytecode === 'string' ? j.bytecode : j.bytecode.object;
    const links = typeof j.bytecode === 'string' ? j.linkReferences : j.bytecode.linkReferences;
    knowErrors(j.abi);
    return { abi: j.abi, bytecode: bc.startsWith('0x') ? bc : '0x' + bc, links: links || {} };
}

export class Contract {
    constructor(node, address, abi) {
        this.node = node;
        this.address = address;
        this.iface = abi instanceof Interface ? abi : new Interface(abi);
    }
    async send(from, fn, ...args) {
        return this.node.sendRaw(from, this.address, this.iface.encodeFunctionData(fn, args));
    }
    // {ok: true, result} or {ok: false, revert}
    async tryCall(from, fn, ...args) {
        const r = await this.node.callRaw(from, this.address, this.iface.encodeFunctionData(fn, args));
        if (r.revert !== undefined) return { ok: false, revert: r.revert };
        return { ok: true, result: this.iface.decodeFunctionResult(fn, r.data) };
    }
    async call(fn, ...args) {
        const r = await this.tryCall(this.address, fn, ...args);
        if (!r.ok) throw new Error(`${fn} reverted: ${r.revert}`);
        return r.result.length === 1 ? r.result[0] : r.result;
    }
}

// Deploy an artifact; libs maps a library's name to its address.
export async function deploy(node, from, art, args = [], libs = {}) {
    let bc = art.bytecode;
    for (const file of Object.keys(art.links)) {
        for (const name of Object.keys(art.links[file])) {
            const addr = libs[name];
            if (!addr) throw new Error(`library ${name} not deployed`);
            for (const { start, length } of art.links[file][name]) {
                const at = 2 + start * 2;
                bc = bc.slice(0, at) + addr.slice(2).toLowerCase() + bc.slice(at + length * 2);
            }
        }
    }
    const iface = new Interface(art.abi);
    const data = bc + iface.encodeDeploy(args).slice(2);
    const rc = await node.sendRaw(from, null, data);
    return new Contract(node, getAddress(rc.contractAddress), iface);
}

// ---- liqtop ----------------------------------------------------------

export const liqtop = process.env.LIQTOP ? path.resolve(process.env.LIQTOP) : path.join(top, 'liqtop');
// LIQ_CONTRACTS_KEEP=DIR writes the portfolios there and keeps them.
const keep = process.env.LIQ_CONTRACTS_KEEP;
if (keep) fs.mkdirSync(keep, { recursive: true });
export const scratch = keep || fs.mkdtempSync(path.join(os.tmpdir(), 'liqtop-contracts.'));
if (!keep) process.on('exit', () => fs.rmSync(scratch, { recursive: true, force: true }));

// Runs liqtop with args; {status, json, stderr}.
export function runLiqtop(args) {
    const r = spawnSync(liqtop, args, { encoding: 'utf8' });
    let json = null;
    if (r.status === 0 && r.stdout) json = JSON.parse(r.stdout);
    return { status: r.status, json, stdout: r.stdout, stderr: r.stderr };
}

export function writePortfolio(name, obj) {
    const f = path.join(scratch, name);
    fs.writeFileSync(f, JSON.stringify(obj, null, 1));
    return f;
}

// A check named in LIQ_CONTRACTS_OMIT (comma-separated; "*TEXT" names
// every check ending in TEXT) is left out.
const omit = (process.env.LIQ_CONTRACTS_OMIT || '').split(',').map((x) => x.trim()).filter(Boolean);
export const omitted = (what) => omit.some((o) => (o.startsWith('*') ? what.endsWith(o.slice(1)) : what === o));

// ---- TAP -------------------------------------------------------------

export class Tap {
    constructor() {
        this.passed = 0;
        this.failed = 0;
        this.findings = [];
    }
    // diffs: [[field, liqtop, contract]] that differ
    report(name, diffs, detail = '') {
        if (diffs.length === 0) {
            this.passed += 1;
            console.log(`ok - ${name}`);
            return;
        }
        this.failed += 1;
        console.log(`not ok - ${name}`);
        if (detail) console.log(`#   ${detail}`);
        for (const [f, a, b] of diffs) {
            console.log(`#   ${f}: liqtop ${a} contract ${b}`);
            this.findings.push({ name, field: f, liqtop: String(a), contract: String(b), detail });
        }
    }
}

// Collects [field, liqtop, contract] for fields that differ.
export class Diffs {
    constructor() {
        this.list = [];
    }
    eq(field, a, b) {
        const sa = a === null || a === undefined ? 'null' : String(a);
        const sb = b === null || b === undefined ? 'null' : String(b);
        if (sa !== sb) this.list.push([field, sa, sb]);
    }
    fail(field, a, b) {
        this.list.push([field, String(a), String(b)]);
    }
}
