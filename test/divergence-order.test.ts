// The order-α kernels' fast mode (assembly/divergence/order.ts: a log pass, then an exp pass, over each block of 256
// elements) against the pure-TS twin at the lengths where its blocks, its padded tail (n % 4) and the driver's
// segments (8192 elements) begin and end, several rows (per-row parameters when normalising), both forms (expm1:
// renyiDivergence; direct: the entropies), and the masses the as-given Tsallis entropy takes from the kernel.
import { describe, it, expect } from "vitest";
import * as wasm from "../src/divergences.js";
import * as ref from "../src/reference.js";
import { rng } from "./helpers/random.js";

const LENGTHS = [1, 2, 3, 4, 5, 7, 33, 255, 256, 257, 259, 511, 513, 1027, 8191, 8193, 16387];
const ORDERS = [0.3, 0.5, 1.5, 2.5, 3];

/** rows × cols values in (0, 1], a tenth of them 0 (none without `zeros`); each row sums to `mass`. */
function make(rows: number, cols: number, seed: number, mass: number, zeros = true): Float64Array {
  const r = rng(seed), x = new Float64Array(rows * cols);
  for (let k = 0; k < rows; k++) {
    let s = 0;
    for (let j = k * cols; j < (k + 1) * cols; j++) { const u = r(); x[j] = zeros && u < 0.1 ? 0 : u + 1e-3; s += x[j]; }
    if (s === 0) { x[k * cols] = 1; s = 1; }
    for (let j = k * cols; j < (k + 1) * cols; j++) x[j] *= mass / s;
  }
  return x;
}

describe("order-α kernels at block, tail and segment boundaries", () => {
  it("renyiEntropyRows, renyiDivergenceRows, tsallisEntropyRows equal the twin within 1e-12 relative + 1e-14", () => {
    let calls = 0;
    for (const cols of LENGTHS) {
      const rows = cols > 4096 ? 2 : 3;
      for (const [normalize, mass] of [[undefined, 1], [true, 3.5], [false, 0.7]] as const) {
        const P = make(rows, cols, 11 + cols, mass), Q = make(rows, cols, 12 + cols, mass, false);
        const o = normalize === undefined ? {} : { normalize };
        for (const alpha of ORDERS) {
          const pairs: Array<[Float64Array, Float64Array]> = [
            [wasm.renyiEntropyRows(P, alpha, cols, o), ref.renyiEntropyRows(P, alpha, cols, o)],
            [wasm.renyiDivergenceRows(P, Q, alpha, cols, o), ref.renyiDivergenceRows(P, Q, alpha, cols, o)],
            [wasm.tsallisEntropyRows(P, alpha, cols, o), ref.tsallisEntropyRows(P, alpha, cols, o)],
          ];
          for (const [w, t] of pairs) {
            calls++;
            for (let r = 0; r < rows; r++) {
              const where = `cols ${cols} α ${alpha} ${JSON.stringify(o)} row ${r}: wasm ${w[r]}, twin ${t[r]}`;
              // (Q has no zeros, so none is expected: a value the twin gives as not finite must be the same)
              if (!Number.isFinite(t[r])) { expect(w[r], where).toBe(t[r]); continue; }
              expect(Math.abs(w[r] - t[r]), where).toBeLessThanOrEqual(1e-12 * Math.abs(t[r]) + 1e-14 * 2 * mass);
            }
          }
        }
      }
    }
    expect(calls).toBe(LENGTHS.length * 3 * ORDERS.length * 3);
  });

  it("a bad value in any block or in the tail: the twin's error", () => {
    for (const cols of [259, 1027, 8193]) {
      for (const at of [0, 255, 256, cols - 1]) {
        for (const bad of [NaN, -1]) {
          const P = make(1, cols, 5, 1), Q = make(1, cols, 6, 1);
          P[at] = bad;
          for (const call of [(api: typeof ref) => api.renyiDivergence(P, Q, 3), (api: typeof ref) => api.tsallisEntropy(P, 1.2)]) {
            let expected = "";
            try { call(ref); } catch (e) { expected = (e as Error).message; }
            expect(expected, `cols ${cols} at ${at} ${bad}`).not.toBe("");
            expect(() => call(wasm as unknown as typeof ref), `cols ${cols} at ${at} ${bad}`).toThrow(expected);
          }
        }
      }
    }
  });
});
