// The api's check of logit values (NaN, +Infinity, x / T overflowing), fused into the WebAssembly engine's
// statistics pass (src/logits/wasm.ts `checks`, assembly/logits.ts `good`): the same errors as the reference (which
// checks before computing) for bad values anywhere (first value, a later row, a row's tail past its last full
// SIMD step, the second segment of a row longer than ROW_MAX, either input of KL), float32 and float64, every
// function; the engine's calls return -1 on good values (masked classes and ±1e4 included) and, on a bad value,
// an index at or before it, having written no output at or after that index.
import { describe, it, expect } from "vitest";
import * as W from "../src/logits.js";
import * as R from "../src/reference.js";
import { wasmLogitsEngine as E, ROW_MAX } from "../src/logits/wasm.js";
import type { Logits } from "../src/logits/api.js";

type Api = typeof R;
const outcome = (f: () => unknown): string => {
  try { f(); return "ok"; } catch (e) { return `${(e as Error).constructor.name}: ${(e as Error).message}`; }
};

function row(n: number, f32: boolean, seed: number): Logits {
  const x = f32 ? new Float32Array(n) : new Float64Array(n);
  for (let i = 0; i < n; i++) x[i] = 3 * Math.sin(i * 0.7 + seed) + (i % 11 === 0 ? -Infinity : 0) + (i % 97 === 0 ? 1e4 : 0);
  return x;
}

const SHAPES: Array<[number, number]> = [[300, 100], [3, 32000], [2, 1003], [2, ROW_MAX + 9]];
/** Where a bad value goes, for rows × cols: the first value, inside a later row, the last value (a row's tail). */
const spots = (rows: number, cols: number) => [0, (rows - 1) * cols + Math.floor(cols / 2), rows * cols - 1,
  cols > ROW_MAX ? cols + 8192 + 3 : cols + 1];

function calls(api: Api, a: Logits, b: Logits, cols: number, T: number): Array<[string, () => unknown]> {
  const labels = new Int32Array(a.length / cols).map((_, r) => (r * 7) % cols);
  return [
    ["logSoftmaxRows", () => api.logSoftmaxRows(a, cols, { temperature: T })],
    ["softmaxRows", () => api.softmaxRows(a, cols, { temperature: T, out: new Float64Array(a.length) })],
    ["logSumExpRows", () => api.logSumExpRows(a, cols, { temperature: T })],
    ["entropyLogits", () => api.entropyLogits(a, cols, { temperature: T })],
    ["kl forward", () => api.klDivergenceLogits(a, b, cols, { temperature: T })],
    ["kl forward grad", () => api.klDivergenceLogits(a, b, cols, { temperature: T, grad: new Float32Array(a.length) })],
    ["kl reverse grad", () => api.klDivergenceLogits(a, b, cols, { temperature: T, direction: "reverse", grad: new Float64Array(a.length) })],
    ["crossEntropyLogits", () => api.crossEntropyLogits(a, labels, cols)],
    ["crossEntropyLogits smoothed grad", () => api.crossEntropyLogits(a, labels, cols, { labelSmoothing: 0.1, grad: new Float32Array(a.length) })],
  ];
}

describe("logits: the check fused into the WebAssembly engine", () => {
  for (const f32 of [true, false]) {
    for (const [rows, cols] of SHAPES) {
      it(`${f32 ? "float32" : "float64"} ${rows} x ${cols}: the reference's errors, wherever the bad value is`, () => {
        const bads: Array<[number, number]> = [[NaN, 2], [Infinity, 2]];
        if (!f32) bads.push([1e308, 0.5]); // overflows once divided by T = 0.5 (the kernels' float64 check with invT > 1)
        for (const [bad, T] of bads) {
          for (const at of spots(rows, cols)) {
            for (const where of ["teacher", "student", "both"] as const) {
              const a = row(rows * cols, f32, 1), b = row(rows * cols, f32, 2);
              if (where !== "student") a[at] = bad;
              if (where !== "teacher") b[Math.max(0, at - 5)] = bad; // the student's earlier: the teacher's still named
              const ref = calls(R, a, b, cols, T), was = calls(W as unknown as Api, a, b, cols, T);
              for (let k = 0; k < ref.length; k++) {
                const r = outcome(ref[k][1]), w = outcome(was[k][1]);
                expect(w, `${ref[k][0]} ${bad} at ${at} (${where})`).toBe(r);
                // every call sees a bad value but those reading the teacher alone when only the student has one, and
                // cross-entropy (no temperature) for the overflowing value
                const name = ref[k][0], kl = name.startsWith("kl");
                const sees = (kl || where !== "student") && !(name.startsWith("cross") && T !== 2);
                expect(r !== "ok", `${name} ${bad} at ${at} (${where})`).toBe(sees);
              }
            }
          }
        }
      });
    }
  }

  it("the engine returns -1 for good values and, for a bad one, an index at or before it, with nothing written from there", () => {
    for (const f32 of [true, false]) {
      for (const [rows, cols] of SHAPES) {
        const n = rows * cols, a = row(n, f32, 1), b = row(n, f32, 2);
        const out = new Float64Array(rows), grad = new Float64Array(n);
        expect(E.klLogits(a, b, rows, cols, 0.5, false, out, grad, new Float64Array(rows).fill(1))).toBe(-1);
        expect(E.logSumExp(a, rows, cols, 0.5, out)).toBe(-1);
        const at = (rows - 1) * cols + 3;
        a[at] = NaN;
        grad.fill(123.5);
        const y = new Float64Array(n).fill(123.5);
        for (const got of [E.klLogits(a, b, rows, cols, 0.5, false, out, grad, new Float64Array(rows).fill(1)),
          E.logSoftmax(a, rows, cols, 0.5, false, y)]) {
          expect(got).toBeGreaterThanOrEqual(0);
          expect(got).toBeLessThanOrEqual(at);
          expect(grad.subarray(got as number).every((v) => v === 123.5)).toBe(true);
          expect(y.subarray(got as number).every((v) => v === 123.5)).toBe(true);
        }
      }
    }
  });
});
