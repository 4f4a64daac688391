// The vectorised exp (assembly/vecmath.ts exp64), lane by lane, against a
// double-double oracle. Stated bound (README): <= 1 ulp over [-708.39, 709.78]
// (every normal result), measured over 10^6 inputs; it is the only transcendental
// of the reverse-KL surface.
import { describe, it, expect } from "vitest";
import "../src/fit.js"; // provides the fit module, which has the vector exp
import { Slab } from "../src/core/wasm.js";
import { expDD, expUlpError, ulpError } from "./helpers/dd.js";
import { rng } from "./helpers/random.js";

const N = 1 << 18;
const slab = new Slab(2 * 8 * N);
const X = slab.heapStart, OUT = X + 8 * N;

function kernelExp(xs: Float64Array): Float64Array {
  slab.f64.set(xs, X >> 3);
  slab.exports.expArray(X, xs.length, OUT);
  return slab.f64.slice(OUT >> 3, (OUT >> 3) + xs.length);
}

function maxUlp(xs: Float64Array): number {
  const got = kernelExp(xs);
  let worst = 0;
  for (let i = 0; i < xs.length; i++) worst = Math.max(worst, expUlpError(got[i], xs[i]));
  return worst;
}

describe("vectorised exp", () => {
  it("oracle agrees with Math.exp and known values", () => {
    expect(expDD(1)[0]).toBe(Math.E);
    expect(expDD(0)[0]).toBe(1);
    const r = rng(1);
    for (let i = 0; i < 2000; i++) {
      const x = (r() - 0.5) * 1400;
      expect(expUlpError(Math.exp(x), x)).toBeLessThan(1);
      expect(ulpError(Math.exp(x), expDD(x))).toBeLessThan(1.01);
    }
  });

  it("<= 1 ulp over the whole normal range, near 0, and the surface's range [log 1e-15, 2]", () => {
    const ranges: Array<[number, number]> = [[-708.39, 709.78], [-1e-3, 1e-3], [-34.6, 2]];
    let worst = 0;
    ranges.forEach(([a, b], k) => {
      const r = rng(10 + k), xs = new Float64Array(N);
      for (let i = 0; i < N; i++) xs[i] = a + (b - a) * r();
      worst = Math.max(worst, maxUlp(xs));
    });
    // special points: integers times ln2/128 (table entries exactly) and the ends
    const xs = new Float64Array(N);
    for (let i = 0; i < N; i++) xs[i] = Math.max(-708.39, Math.min(709.78, ((i - N / 2) * Math.LN2) / 128));
    worst = Math.max(worst, maxUlp(xs));
    console.log(`measured exp error: ${worst.toFixed(3)} ulp over ${4 * N} inputs`);
    expect(worst).toBeLessThanOrEqual(1);
  });
});
