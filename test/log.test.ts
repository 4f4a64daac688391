// The vectorised logs, lane by lane, against a double-double oracle: measured in
// ulps over 10^6 inputs spanning every binade, subnormals included.
// Stated bounds (README): f64 log <= 1 ulp; f32 log <= 2 ulp (float32 ulps);
// f64 log(p/q) <= 4 * 2^-53 * (|log(p/q)| + 1) absolute, measured as (p log(p/q)) / p,
// which itself adds up to two roundings.
import { describe, it, expect } from "vitest";
import "../src/index.js";
import { Slab, MODE_F64, MODE_F64_EXACT, MODE_F32, MIN_NORMAL_F64 } from "../src/core/wasm.js";
import { logDD, ulpError } from "./helpers/dd.js";
import { rng } from "./helpers/random.js";

const N = 1 << 18;
const slab = new Slab(3 * 8 * N);
const X = slab.heapStart, Y = X + 8 * N, OUT = Y + 8 * N;

/** log(x) for each x through crossEntropyRows (p = 1, cols = 1): out = 1 * log(clip(x, lo, inf)). */
function kernelLog(xs: Float64Array, mode: number): Float64Array {
  const f32 = mode === MODE_F32;
  const view = f32 ? slab.f32 : slab.f64, shift = f32 ? 2 : 3;
  view.fill(1, X >> shift, (X >> shift) + xs.length);
  view.set(xs, Y >> shift);
  const lo = mode === MODE_F64_EXACT ? 0 : f32 ? 1.1754943508222875e-38 : MIN_NORMAL_F64;
  slab.exports.crossEntropyRows(X, Y, xs.length, 1, lo, Infinity, 0, 1, mode, 0, OUT);
  return slab.f64.slice(OUT >> 3, (OUT >> 3) + xs.length);
}

const bits = new Float64Array(1), words = new Uint32Array(bits.buffer);
function inputs(kind: "normal" | "subnormal" | "near1", n: number, seed: number): Float64Array {
  const r = rng(seed), xs = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (kind === "near1") { xs[i] = 1 + (r() - 0.5) * Math.pow(2, -Math.floor(r() * 52)); continue; }
    words[0] = Math.floor(r() * 2 ** 32);
    words[1] = kind === "normal" ? 0x00100000 + Math.floor(r() * (0x7fefffff - 0x00100000)) : Math.floor(r() * 0x00100000);
    xs[i] = bits[0] || Number.MIN_VALUE;
  }
  return xs;
}

function maxUlp(xs: Float64Array, got: Float64Array, precision = 53): number {
  let worst = 0;
  for (let i = 0; i < xs.length; i++) worst = Math.max(worst, ulpError(got[i], logDD(xs[i]), precision));
  return worst;
}

describe("double-double oracle", () => {
  it("agrees with known constants and with Math.log to within its 1-ulp error", () => {
    expect(logDD(2)[0]).toBe(Math.LN2);
    expect(logDD(10)[0] + logDD(10)[1]).toBe(Math.LN10);
    expect(logDD(1)[0]).toBe(0);
    const xs = inputs("normal", 20000, 1);
    expect(maxUlp(xs, xs.map(Math.log))).toBeLessThan(1);
  });
});

describe("vectorised logs", () => {
  const report: Record<string, number> = {};
  it("f64 log (fast mode): <= 1 ulp over normal numbers and near 1", () => {
    let worst = 0;
    for (const [kind, seed] of [["normal", 2], ["normal", 3], ["near1", 4], ["near1", 5], ["normal", 6]] as const) {
      const xs = inputs(kind, N, seed);
      worst = Math.max(worst, maxUlp(xs, kernelLog(xs, MODE_F64)));
    }
    report.f64 = worst;
    expect(worst).toBeLessThanOrEqual(1);
  });

  it("f64 log (exact mode): <= 1 ulp over subnormals and normals", () => {
    let worst = 0;
    for (const [kind, seed] of [["subnormal", 7], ["normal", 8]] as const) {
      const xs = inputs(kind, N, seed);
      worst = Math.max(worst, maxUlp(xs, kernelLog(xs, MODE_F64_EXACT)));
    }
    report.f64exact = worst;
    expect(worst).toBeLessThanOrEqual(1);
  });

  it("f32 log: <= 2 float32 ulps over normal float32 numbers and near 1", () => {
    let worst = 0;
    for (const [kind, seed] of [["normal", 9], ["near1", 10]] as const) {
      const xs = Float64Array.from(Float32Array.from(inputs(kind, N, seed)).filter((v) => v >= 1.1754943508222875e-38 && v < Infinity));
      worst = Math.max(worst, maxUlp(xs, kernelLog(xs, MODE_F32), 24));
    }
    report.f32 = worst;
    expect(worst).toBeLessThanOrEqual(2);
  });

  it("f64 log(p/q): absolute error <= 4 * 2^-53 * (|log(p/q)| + 1)", () => {
    const r = rng(11), n = N;
    const a = new Float64Array(n), b = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      a[i] = Math.pow(2, 200 * (r() - 0.5)) * (1 + r());
      b[i] = i % 2 ? a[i] * (1 + (r() - 0.5) * 1e-6) : Math.pow(2, 200 * (r() - 0.5)) * (1 + r());
    }
    slab.f64.set(a, X >> 3);
    slab.f64.set(b, Y >> 3);
    slab.exports.klRows(X, Y, n, 1, MIN_NORMAL_F64, Infinity, 0, 1, MODE_F64, 0, OUT);
    let worst = 0;
    for (let i = 0; i < n; i++) {
      const la = logDD(a[i]), lb = logDD(b[i]);
      const t = (la[0] - lb[0]) + (la[1] - lb[1]);
      const got = slab.f64[(OUT >> 3) + i] / a[i];
      worst = Math.max(worst, Math.abs(got - t) / (2 ** -53 * (Math.abs(t) + 1)));
    }
    report.ratio = worst;
    expect(worst).toBeLessThanOrEqual(4);
    console.log("measured log errors:", JSON.stringify(report));
  });
});
