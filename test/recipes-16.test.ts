// The README's "Small samples and distributions" recipe as users call it, value for value, on the WebAssembly
// entries and on kl-wasm/reference (the values printed in the README come from this file's expectations).
import { describe, it, expect } from "vitest";
import * as core from "../src/index.js";
import * as divergences from "../src/divergences.js";
import * as mutual from "../src/mutual.js";
import * as distributions from "../src/distributions.js";
import * as ref from "../src/reference.js";

const wasm = { ...core, ...divergences, ...mutual, ...distributions };

describe.each([["WebAssembly entries", wasm], ["kl-wasm/reference", ref]] as const)("%s: the README's recipe", (_name, k) => {
  it("bias-corrected entropy, Rényi, Jensen–Shannon of k rows, the permutation test, closed forms", () => {
    expect(k.entropy([3, 1, 1, 0, 7], { estimator: "chaoShen" })).toBe(1.339116315150874);
    expect(k.entropy([3, 1, 1, 0, 7], { normalize: true })).toBe(1.0751393240053733);
    expect(k.renyiDivergence([0.5, 0.3, 0.2], [0.3, 0.4, 0.3], 0.5)).toBe(0.04314714935424094);
    expect(k.jensenShannonMany([0.5, 0.3, 0.2, 0.3, 0.4, 0.3, 0.1, 0.1, 0.8], 3)).toBe(0.15683925942667606);
    expect(k.mutualInformationTest([0, 0, 1, 1, 2, 2, 2, 0, 1, 2, 0, 1], [1, 1, 0, 0, 2, 2, 0, 1, 0, 2, 1, 0],
      { permutations: 999, seed: 1 })).toEqual({ mi: 0.8901112788605313, pvalue: 0.003 });
    expect(k.klDivergenceOf(k.normal(0, 1), k.normal(0.5, 2))).toBe(0.34939718055994534);
    expect(k.klDivergenceOf(k.gamma(2, 1), k.gamma(2, 1.000001))).toBe(9.999993331693001e-13);
  });
});
