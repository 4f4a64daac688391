// kl-wasm/logits as users call it: the README's recipe, value for value, on the entry and on
// kl-wasm/reference (PyTorch's float64 values beside them).
import { describe, it, expect } from "vitest";
import * as wasm from "../src/logits.js";
import * as ref from "../src/reference.js";

describe.each([["kl-wasm/logits", wasm], ["kl-wasm/reference", ref]] as const)("%s: the README's recipe", (_name, L) => {
  it("distillation KL with its gradient, cross-entropy", () => {
    const teacher = [2, 1, 0.1, 0.5, 2.5, -1], student = [1.5, 1.2, 0.3, 0, 2, -0.5];
    const grad = new Float64Array(6);
    const kl = L.klDivergenceLogits(teacher, student, 3, { temperature: 2, grad });
    expect(kl).toBe(0.014727284911404452);
    expect(Math.abs(kl - 0.014727284911404449) / kl).toBeLessThan(1e-15); // PyTorch float64
    const torchGrad = [-0.021666817836335877, 0.013230609045697467, 0.008436208790638375,
      -0.0040650434974883595, -0.011049933871118207, 0.015114977368606541];
    for (let i = 0; i < 6; i++) expect(Math.abs(grad[i] - torchGrad[i])).toBeLessThan(1e-16);
    expect(L.crossEntropyLogits(student, new Int32Array([0, 1]), 3)).toBe(0.45533495254164114);
  });
});

describe("the WebAssembly check of long logits (a SIMD pass, then a scan of the chunk it flags)", () => {
  const n = 3 * 10007, cols = 10007;
  for (const T of [1, 1e-300]) {
    for (const Arr of [Float64Array, Float32Array]) {
      it(`names the first bad value as kl-wasm/reference does (${Arr.name}, temperature ${T})`, () => {
        for (const at of [0, 1, 8191, 8192, 8193, 16383, 16384, 20000, n - 2, n - 1]) {
          for (const bad of [NaN, Infinity, 1e300]) {
            const x = new Arr(n).fill(0.5);
            x[at] = bad;
            if (at + 5 < n) x[at + 5] = NaN; // a later fault: the first one is named
            const message = (f: () => unknown) => { try { f(); return "no error"; } catch (e) { return String(e); } };
            const w = message(() => wasm.logSumExpRows(x, cols, { temperature: T }));
            const r = message(() => ref.logSumExpRows(x, cols, { temperature: T }));
            expect(w).toBe(r);
            if (Number.isNaN(bad) || bad === Infinity || (Arr === Float64Array && T === 1e-300)) expect(w).toContain(`logits[${at}]`);
          }
        }
        const clean = new Arr(n).fill(-Infinity);
        clean[5] = 0; clean[cols + 3] = 1; clean[2 * cols] = 2;
        expect(Array.from(wasm.logSumExpRows(clean, cols))).toEqual(Array.from(ref.logSumExpRows(clean, cols)));
      });
    }
  }
});
