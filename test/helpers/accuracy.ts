// WebAssembly against the pure-TS twin (Math.log terms, Neumaier-compensated sum),
// with the bounds the README states:
//   f64: |wasm - ref| <= 1e-14 * S,  f32 input: <= 1e-6 * S (ref on the same float32 values)
// where S = sum(|term| + p) over the summed terms (entropy: sum |p log p|, plus
// sum p when normalising). The "+ p" is the error log(p / q) cannot avoid when p ~ q.
import { expect } from "vitest";
import * as wasm from "../../src/index.js";
import * as ref from "../../src/reference.js";
import { FAMILIES, SIZES, pair } from "./random.js";

export type Measure = "entropy" | "klDivergence" | "crossEntropy" | "jensenShannon";

interface Opts { eps?: number; normalize?: boolean }

/** S for one pair, computed the way the reference computes the terms. */
export function scale(m: Measure, p: ArrayLike<number>, q: ArrayLike<number>, o: Opts = {}): number {
  const eps = o.eps ?? 1e-15;
  let sp = 0, sq = 0;
  for (let i = 0; i < p.length; i++) { sp += p[i]; sq += q[i]; }
  if (!o.normalize) { sp = 1; sq = 1; }
  let s = 0;
  for (let i = 0; i < p.length; i++) {
    const x = p[i] / sp, y = q[i] / sq;
    if (m === "entropy") { if (x > 0) s += Math.abs(x * Math.log(x)) + (o.normalize ? x : 0); continue; }
    if (m === "jensenShannon") {
      const mm = x / 2 + y / 2;
      if (x > 0) s += (Math.abs(x * Math.log(x / mm)) + x) / 2;
      if (y > 0) s += (Math.abs(y * Math.log(y / mm)) + y) / 2;
      continue;
    }
    if (x > 0) {
      const c = Math.min(Math.max(y, eps), 1);
      s += Math.abs(m === "klDivergence" ? x * Math.log(x / c) : x * Math.log(c)) + x;
    }
  }
  return s;
}

// the families are not distributions (magnitudes 1e-300, ranges...): unless the test
// normalises, they are computed as given (normalize: false), the formula itself
function call(api: typeof wasm | typeof ref, m: Measure, p: ArrayLike<number>, q: ArrayLike<number>, o: Opts): number {
  const normalize = o.normalize ?? false;
  if (m === "entropy") return api.entropy(p, { normalize });
  if (m === "jensenShannon") return api.jensenShannon(p, q, { normalize });
  return api[m](p, q, { ...o, normalize });
}

/** Checks one measure on every family and size, as Float64Array, number[], workspace views and Float32Array. */
export function checkMeasure(m: Measure, o: Opts = {}, sizes = SIZES): void {
  const ws = wasm.createWorkspace(8 * 2 * 100_100 * 2);
  let worst = 0, worst32 = 0;
  for (const family of FAMILIES) {
    for (const n of sizes) {
      const [p, q] = pair(family, n, n * 7919 + family.length);
      if (o.normalize && (p.every((v) => v === 0) || q.every((v) => v === 0))) continue;
      const want = call(ref, m, p, q, o);
      const S = scale(m, p, q, o);
      const P = ws.f64(n), Q = ws.f64(n);
      P.set(p); Q.set(q);
      const inputs: Array<[string, ArrayLike<number>, ArrayLike<number>]> = [
        ["Float64Array", p, q], ["workspace", P, Q],
        ...(n <= 4097 ? [["number[]", Array.from(p), Array.from(q)] as [string, number[], number[]]] : []),
      ];
      for (const [form, a, b] of inputs) {
        const got = call(wasm, m, a, b, o);
        const err = got === want ? 0 : Math.abs(got - want);
        if (!(err <= 1e-14 * S) && !(got === want)) {
          throw new Error(`${m} ${JSON.stringify(o)} ${family} n=${n} ${form}: got ${got}, reference ${want}, error ${err / S} S`);
        }
        if (S > 0) worst = Math.max(worst, err / S);
      }
      ws.release(P); ws.release(Q);
      // float32 input: against the reference on the same (rounded) values
      const p32 = Float32Array.from(p), q32 = Float32Array.from(q);
      if (o.normalize && (p32.every((v) => v === 0) || q32.every((v) => v === 0))) continue;
      const want32 = call(ref, m, p32, q32, o);
      const S32 = scale(m, p32, q32, o);
      const got32 = call(wasm, m, p32, q32, o);
      const err32 = got32 === want32 ? 0 : Math.abs(got32 - want32);
      if (!(err32 <= 1e-6 * S32) && !(got32 === want32)) {
        throw new Error(`${m} ${JSON.stringify(o)} ${family} n=${n} Float32Array: got ${got32}, reference ${want32}, error ${err32 / S32} S`);
      }
      if (S32 > 0) worst32 = Math.max(worst32, err32 / S32);
    }
  }
  ws.dispose();
  expect(worst).toBeLessThanOrEqual(1e-14);
  expect(worst32).toBeLessThanOrEqual(1e-6);
}

/** One large uniform pair, f64 and f32, against the reference. */
export function checkLarge(m: Measure, n: number): { f64: number; f32: number } {
  const [p, q] = pair("sparse", n, 12345);
  const S = scale(m, p, q);
  const e64 = Math.abs(call(wasm, m, p, q, {}) - call(ref, m, p, q, {})) / S;
  const p32 = Float32Array.from(p), q32 = Float32Array.from(q);
  const e32 = Math.abs(call(wasm, m, p32, q32, {}) - call(ref, m, p32, q32, {})) / scale(m, p32, q32);
  expect(e64).toBeLessThanOrEqual(1e-14);
  expect(e32).toBeLessThanOrEqual(1e-6);
  return { f64: e64, f32: e32 };
}
