// tests/xcheck/morpho_pre_sdk.mjs: liqtop's morpho-pre figures against
// @morpho-org/blue-sdk's PreLiquidationPosition maths (PreLiquidationParams
// getCloseFactor / getIncentiveFactor, the band test of isLiquidatable,
// seizableCollateral) and its MarketUtils share conversions: random
// PreLiquidation parameters within the constructor's checks, stored
// market totals, the pre-liquidation oracle or the market's. make check
// runs a fixed set (tests/xcheck/morpho_pre.sh: seed 1, 60 cases); any
// other by hand as
//   mkdir -p build/xcheck && cd build/xcheck && npm init -y &&
//   npm install @morpho-org/blue-sdk@6.4.0 @morpho-org/morpho-ts viem &&
//   cp ../../tests/xcheck/morpho_pre_sdk.mjs . && LIQTOP=../../liqtop node morpho_pre_sdk.mjs
// (N cases, SEED to repeat; exit 1 on any difference).
import { MarketUtils, MathLib, PreLiquidationParams } from "@morpho-org/blue-sdk";
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
const rndBig = (n) => big(128) % n; // [0, n) for n past 2^53
const WAD = 10n ** 18n, SCALE = 10n ** 36n;
function dec(v, d) {
  const s = v.toString().padStart(d + 1, "0");
  const i = s.slice(0, s.length - d), f = d ? s.slice(s.length - d).replace(/0+$/, "") : "";
  return f ? `${i}.${f}` : i;
}
let n = 0, bad = 0, inband = 0;
const N = Number(process.env.N ?? 200);
for (let k = 0; k < N; k++) {
  const cdec = 18, ldec = [6, 8, 18][Number(rnd(3))];
  const lltv = [385n, 625n, 770n, 860n, 915n, 945n, 965n, 980n][Number(rnd(8))] * 10n ** 15n;
  const preLltv = lltv - 1n - rndBig(200n * 10n ** 15n);
  const preLCF1 = rndBig(WAD + 1n), preLCF2 = preLCF1 + rndBig(2n * WAD);
  const maxLif = WAD * WAD / lltv;
  const preLIF1 = WAD + rndBig(maxLif - WAD + 1n), preLIF2 = preLIF1 + rndBig(maxLif - preLIF1 + 1n);
  const tba = 1n + big(Number(20n + rnd(60)));
  const tbs = tba * (10n ** 6n) + big(Number(10n + rnd(40)));
  const price = 1n + big(Number(60n + rnd(70)));
  const prePrice = rnd(2) == 0n ? null : price * (900n + rnd(200n)) / 1000n + 1n;
  const mk = { totalBorrowAssets: tba, totalBorrowShares: tbs, price };
  const pmk = { ...mk, price: prePrice ?? price };
  const shares = 1n + rndBig(tbs);
  const owed = MarketUtils.toBorrowAssets(shares, mk, "Up");
  // collateral around the band on the pre-liquidation oracle
  const ltvT = preLltv - 30n * 10n ** 15n + rndBig(lltv - preLltv + 60n * 10n ** 15n);
  const coll = owed * SCALE / pmk.price * WAD / ltvT + rnd(3n);
  const params = { pre_lltv: dec(preLltv, 18), pre_lcf1: dec(preLCF1, 18), pre_lcf2: dec(preLCF2, 18),
    pre_lif1: dec(preLIF1, 18), pre_lif2: dec(preLIF2, 18) };
  if (prePrice !== null) params.pre_oracle_price = prePrice.toString();
  const file = {
    as_of: 1700000000,
    markets: [{ id: "m", model: "morpho-pre", base_decimals: 8, params,
      state: { total_supply_assets: tba.toString(), total_supply_shares: tbs.toString(), total_borrow_assets: tba.toString(),
        total_borrow_shares: tbs.toString(), last_update: 1700000000, fee: "0", borrow_rate: "0" },
      oracle_price: price.toString(),
      assets: [{ symbol: "C", decimals: cdec, liquidation_threshold: dec(lltv, 18) },
               { symbol: "L", decimals: ldec, liquidation_threshold: dec(lltv, 18) }] }],
    prices: { C: "1", L: "1" },
    positions: [{ id: "p", market: "m", collateral: { C: dec(coll, cdec) }, borrow_shares: shares.toString() }] };
  writeFileSync("case.json", JSON.stringify(file));
  const run = (args) => JSON.parse(execFileSync(LIQTOP, args).toString());
  const check = (what, got, want) => { n++; if (got !== want) { bad++; console.log(`case ${k} ${what}: liqtop ${got} sdk ${want}`); } };
  // the sdk's band (PreLiquidationPosition.isLiquidatable) on the pre oracle,
  // and Morpho's own health on the market's
  const cv = MarketUtils.getCollateralValue(coll, pmk);
  const band = owed > MathLib.wMulDown(cv, preLltv) && owed <= MathLib.wMulDown(cv, lltv);
  const morphoLiq = MarketUtils.getHealthFactor({ collateral: coll, borrowShares: shares }, mk, { lltv }) < WAD;
  const pre = new PreLiquidationParams({ preLltv, preLCF1, preLCF2, preLIF1, preLIF2, preLiquidationOracle: "0x0" });
  const snap = run(["snapshot", "case.json"]).positions[0];
  check("pre_liquidatable", snap.pre_liquidatable, band && !morphoLiq);
  if (!(band && !morphoLiq)) { check("pre_lcf null", snap.pre_lcf, null); continue; }
  inband++;
  const ltv = MarketUtils.getLtv({ collateral: coll, borrowShares: shares }, pmk);
  const q = MathLib.wDivDown(ltv - preLltv, lltv - preLltv);
  const lcf = pre.getCloseFactor(q), lif = pre.getIncentiveFactor(q);
  check("pre_lcf", snap.pre_lcf, dec(lcf, 18));
  check("pre_lif", snap.pre_lif, dec(lif, 18));
  const repayable = MathLib.wMulDown(shares, lcf);
  // seizableCollateral, as the sdk computes it, by --seize
  if (repayable <= shares) {
    const seizable = MathLib.mulDivDown(MathLib.wMulDown(MarketUtils.toBorrowAssets(repayable, mk, "Down"), lif), SCALE, pmk.price);
    if (seizable > 0n) {
      const o = run(["preview", "case.json", "--position", "p", "--seize", dec(seizable, cdec)]);
      const rs = MarketUtils.toBorrowShares(MathLib.wDivUp(MathLib.mulDivUp(seizable, pmk.price, SCALE), lif), mk, "Up");
      check("seize: repaid_shares", o.repaid_shares, rs.toString());
      check("seize: within repayableShares", rs <= repayable, o.reverts !== "too much repay");
    }
  }
  // a repay in loan assets
  const repay = owed * rnd(1001n) / 1000n;
  if (repay > 0n) {
    const o = run(["preview", "case.json", "--position", "p", "--repay", dec(repay, ldec)]);
    const rs = MarketUtils.toBorrowShares(repay, mk, "Down");
    const seized = MathLib.mulDivDown(MathLib.wMulDown(MarketUtils.toBorrowAssets(rs, mk, "Down"), lif), SCALE, pmk.price);
    check("repay: collateral_seized", o.collateral_seized, dec(seized, cdec));
    check("repay: repay", o.repay, dec(MarketUtils.toBorrowAssets(rs, mk, "Up"), ldec));
    check("repay: too much iff above repayableShares", o.reverts === "too much repay", rs > repayable || rs > shares);
  }
}
console.log(`${n} checks, ${bad} differences, ${inband} cases in the band`);
process.exit(bad ? 1 : 0);
