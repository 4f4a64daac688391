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
