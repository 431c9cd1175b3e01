// tests/xcheck/morpho_sdk.mjs: liqtop's Morpho Blue figures against
// @morpho-org/blue-sdk, an independent implementation of Morpho's maths:
// random market states accrued to as_of, positions in borrow shares,
// previews by repay in loan assets and by seized collateral. Not part of
// make check (it needs the npm package); run it as
//   mkdir -p build/xcheck && cd build/xcheck && npm init -y &&
//   npm install @morpho-org/blue-sdk@6.4.0 @morpho-org/morpho-ts viem &&
//   cp ../../tests/xcheck/morpho_sdk.mjs . && LIQTOP=../../liqtop node morpho_sdk.mjs
// (N cases, SEED to repeat; exit 1 on any difference).
import { MarketUtils, MathLib } from "@morpho-org/blue-sdk";
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";

const LIQTOP = process.env.LIQTOP ?? "../../liqtop";
let seed = BigInt(process.env.SEED ?? Date.now());
console.log("seed", seed.toString());
function rnd(n) { // [0, n)
  seed = (seed * 6364136223846793005n + 1442695040888963407n) & ((1n << 64n) - 1n);
  return (seed >> 11n) % BigInt(n);
}
function big(bits) { let v = 0n; for (let i = 0; i < bits; i += 32) v = (v << 32n) | rnd(2 ** 32); return v & ((1n << BigInt(bits)) - 1n); }
const WAD = 10n ** 18n;
function dec(v, d) { // raw -> decimal text as liqtop prints (trailing zeros trimmed)
  const s = v.toString().padStart(d + 1, "0");
  let i = s.slice(0, s.length - d), f = d ? s.slice(s.length - d).replace(/0+$/, "") : "";
  return f ? `${i}.${f}` : i;
}
const wtc = (x, n) => { const a = x * n, b = a * a / (2n * WAD), c = b * a / (3n * WAD); return a + b + c; };
let n = 0, bad = 0;
const N = Number(process.env.N ?? 200);
for (let k = 0; k < N; k++) {
  const cdec = 18, ldec = [6, 8, 18][Number(rnd(3))];
  const tba = 1n + big(Number(20n + rnd(60)));
  const tbs = tba * (10n ** 6n) + big(Number(10n + rnd(40)));
  const tsa = tba + big(Number(10n + rnd(60)));
  const tss = tsa * (10n ** 6n) + big(Number(10n + rnd(40)));
  const fee = rnd(3) == 0n ? 0n : rnd(250000000000000000n + 1n);
  const rate = rnd(3) == 0n ? 0n : rnd(20000000000n);
  const last = 1700000000n, asof = last + rnd(3) * rnd(400000000n);
  const lltv = [385n, 625n, 770n, 860n, 915n, 945n, 965n, 980n][Number(rnd(8))] * 10n ** 15n;
  const price = 1n + big(Number(60n + rnd(70)));
  // accrue as the contract does (via the sdk's accrual formula)
  const el = asof - last;
  const { interest, feeShares } = MarketUtils.getAccruedInterest(rate, { totalSupplyAssets: tsa, totalBorrowAssets: tba, totalSupplyShares: tss, fee }, el);
  const mk = { totalBorrowAssets: tba + interest, totalBorrowShares: tbs, totalSupplyAssets: tsa + interest, totalSupplyShares: tss + feeShares, price };
  if (mk.totalBorrowAssets >= (1n << 128n)) continue;
  const shares = 1n + rnd(tbs);
  const owed = MarketUtils.toBorrowAssets(shares, mk, "Up");
  // collateral about at the liquidation edge
  const maxb = owed * 10n ** 36n / price;
  const coll = (maxb * WAD / lltv) * (900n + rnd(200n)) / 1000n + rnd(3n);
  const hf = MarketUtils.getHealthFactor({ collateral: coll, borrowShares: shares }, mk, { lltv });
  const file = {
    as_of: Number(asof),
    markets: [{ id: "m", model: "morpho-blue", base_decimals: 8,
      state: { total_supply_assets: tsa.toString(), total_supply_shares: tss.toString(), total_borrow_assets: tba.toString(),
        total_borrow_shares: tbs.toString(), last_update: Number(last), fee: dec(fee, 18), borrow_rate: dec(rate, 18) },
      oracle_price: price.toString(),
      assets: [{ symbol: "C", decimals: cdec, liquidation_threshold: dec(lltv, 18) },
               { symbol: "L", decimals: ldec, liquidation_threshold: dec(lltv, 18) }] }],
    prices: { C: "1", L: "1" },
    positions: [{ id: "p", market: "m", collateral: { C: dec(coll, cdec) }, borrow_shares: shares.toString() }] };
  writeFileSync("case.json", JSON.stringify(file));
  const repay = rnd(2) == 0n ? owed * rnd(1001n) / 1000n : owed + rnd(3n) - 1n;
  const seize = coll * rnd(1100n) / 1000n;
  const run = (args) => JSON.parse(execFileSync(LIQTOP, ["preview", "case.json", "--position", "p", ...args]).toString());
  const liq = hf < WAD;
  const check = (what, got, want) => { n++; if (got !== want) { bad++; console.log(`case ${k} ${what}: liqtop ${got} sdk ${want}`); } };
  // by repay in loan assets
  {
    const o = run(repay === 0n ? [] : ["--repay", dec(repay, ldec)]);
    check("health_factor", o.health_factor, dec(hf, 18));
    if (repay === 0n) continue;
    const rs = MarketUtils.toBorrowShares(repay, mk, "Down");
    const seized = MarketUtils.getLiquidationSeizedAssets(rs, mk, { lltv });
    check("repay", o.repay, dec(MarketUtils.toBorrowAssets(rs, mk, "Up"), ldec));
    check("collateral_seized", o.collateral_seized, dec(seized, cdec));
    const rev = rs === 0n ? "nothing to repay" : !liq ? "not liquidatable" : rs > shares ? "too much repay" : seized > coll ? "insufficient collateral" : null;
    check("reverts", o.reverts, rev);
    if (rs <= shares && seized <= coll && rs > 0n) {
      // the state after, as Morpho.liquidate writes it
      const ra = MarketUtils.toBorrowAssets(rs, mk, "Up");
      const after = { ...mk, totalBorrowShares: mk.totalBorrowShares - rs,
        totalBorrowAssets: mk.totalBorrowAssets > ra ? mk.totalBorrowAssets - ra : 0n };
      const left = coll - seized, sh = shares - rs;
      const hfa = left === 0n ? null : MarketUtils.getHealthFactor({ collateral: left, borrowShares: sh }, after, { lltv });
      check("health_factor_after", o.health_factor_after, hfa === null || hfa === MathLib.MAX_UINT_256 ? null : dec(hfa, 18));
    }
    // max_repay: accepted, and the next repay in assets that burns more
    // shares is not
    const raw = (t) => { const [i, f = ""] = t.split("."); return BigInt(i + f.padEnd(ldec, "0")); };
    const m = raw(o.max_repay);
    if (liq && m > 0n) {
      const S = MarketUtils.toBorrowShares(m, mk, "Down");
      const ok = (sh) => sh <= shares && MarketUtils.getLiquidationSeizedAssets(sh, mk, { lltv }) <= coll;
      check("max_repay accepted", ok(S), true);
      check("max_repay is toAssetsUp of its shares", MarketUtils.toBorrowAssets(S, mk, "Up"), m);
      const next = ((S + 1n) * (mk.totalBorrowAssets + 1n) + (mk.totalBorrowShares + 1000000n) - 1n) / (mk.totalBorrowShares + 1000000n);
      check("next repay refused", ok(MarketUtils.toBorrowShares(next, mk, "Down")), false);
    }
    // avoid.repay: Morpho.repay of that many assets (totals moved) leaves
    // health >= 1, one raw unit less does not
    const av = o.avoid.repay.L;
    if (av !== undefined && liq) {
      const healthAfterRepay = (a) => {
        let b = MarketUtils.toBorrowShares(a, mk, "Down");
        if (a === owed || b > shares) b = shares;
        const after = { ...mk, totalBorrowShares: mk.totalBorrowShares - b,
          totalBorrowAssets: mk.totalBorrowAssets > a ? mk.totalBorrowAssets - a : 0n };
        return MarketUtils.getHealthFactor({ collateral: coll, borrowShares: shares - b }, after, { lltv });
      };
      const a = raw(av);
      check("avoid repay reaches", healthAfterRepay(a) >= WAD, true);
      if (a > 0n) check("avoid repay least", healthAfterRepay(a - 1n) >= WAD, false);
    }
    // time_to_liquidation: liquidatable at as_of + t, not a second before
    const t = o.time_to_liquidation;
    const unhealthyAt = (dt) => {
      const a = MarketUtils.getAccruedInterest(rate, { totalSupplyAssets: tsa, totalBorrowAssets: tba, totalSupplyShares: tss, fee }, el + dt);
      const mk2 = { ...mk, totalBorrowAssets: tba + a.interest };
      return MarketUtils.getHealthFactor({ collateral: coll, borrowShares: shares }, mk2, { lltv }) < WAD;
    };
    if (t === null) check("never within 100 years", unhealthyAt(3153600000n), false);
    else {
      check("ttl: liquidatable then", unhealthyAt(BigInt(t)), true);
      if (t > 0) check("ttl: not a second before", unhealthyAt(BigInt(t) - 1n), false);
    }
  }
  // by seized collateral
  if (seize > 0n) {
    const o = run(["--seize", dec(seize, cdec)]);
    const rs = MarketUtils.getLiquidationRepaidShares(seize, mk, { lltv });
    check("repaid_shares", o.repaid_shares, rs.toString());
    check("repay(seize)", o.repay, dec(MarketUtils.toBorrowAssets(rs, mk, "Up"), ldec));
    const rev = !liq ? "not liquidatable" : rs > shares ? "too much repay" : seize > coll ? "insufficient collateral" : null;
    check("reverts(seize)", o.reverts, rev);
  }
}
console.log(`${n} figures compared, ${bad} differ`);
process.exit(bad ? 1 : 0);
