// Reproductions of the issue-16 review's findings (helper E). Each expected value was computed
// independently in mpmath at 50 digits on the exact double inputs (the formula in the comment beside it),
// or is an identity (the Rényi entropy of a uniform distribution is log n for every α).
// Both builds: the WebAssembly entries (src/divergences.ts, src/distributions.ts) and src/reference.ts.
import { describe, it, expect } from "vitest";
import * as wasmDiv from "../src/divergences.js";
import * as dist from "../src/distributions.js";
import * as ref from "../src/reference.js";

const builds = [["wasm", wasmDiv], ["reference", ref]] as const;
const rel = (got: number, want: number) => (got === want ? 0 : Math.abs(got - want) / Math.abs(want));

describe.each(builds)("Rényi sums that underflow (%s)", (_name, api) => {
  it("renyiEntropy of a uniform distribution is log n for large α (Σ x^α below the doubles)", () => {
    const u = (n: number) => new Float64Array(n).fill(1 / n);
    // (1/1000)^110 = 1e-330 underflows; the value is log 1000 for every α
    expect(rel(api.renyiEntropy(u(1000), 110, { normalize: true }), Math.log(1000))).toBeLessThanOrEqual(1e-13);
    expect(rel(api.renyiEntropyRows(u(1000), 110, 1000, { normalize: true })[0], Math.log(1000))).toBeLessThanOrEqual(1e-13);
    // (1/10)^400 underflows
    expect(rel(api.renyiEntropy(u(10), 400, { normalize: true }), Math.log(10))).toBeLessThanOrEqual(1e-13);
    // near the threshold: (1e-5)^63 = 1e-315 is subnormal (was 2.1e-12 relative)
    expect(rel(api.renyiEntropy(u(100000), 63, { normalize: true }), 11.512925464970229)).toBeLessThanOrEqual(1e-13);
  });

  it("renyiEntropy approaches the min-entropy for α past 1075 (0.5^α underflows)", () => {
    // mpmath: log(Σ p^α) / (1 − α)
    expect(rel(api.renyiEntropy([0.5, 0.25, 0.25], 1100), 0.6937778877306096)).toBeLessThanOrEqual(1e-13);
    expect(rel(api.renyiEntropy([0.5, 0.25, 0.25], 1e4), 0.6932165022101663)).toBeLessThanOrEqual(1e-13);
    const h = api.renyiEntropy([0.5, 0.25, 0.25], 1e300);
    expect(h).toBeGreaterThanOrEqual(Math.LN2 * (1 - 1e-15));
    expect(h).toBeLessThanOrEqual(Math.LN2 * (1 + 1e-15));
  });

  it("renyiEntropy as given with tiny values (Σ x² below the doubles)", () => {
    // Rényi's incomplete form: log(Σ x^α / Σ x) / (1 − α) = −log 1e-200 for x = [1e-200, 1e-200], α = 2 and 3
    expect(rel(api.renyiEntropy([1e-200, 1e-200], 2, { normalize: false }), 460.51701859880916)).toBeLessThanOrEqual(1e-13);
    expect(rel(api.renyiEntropy([1e-200, 1e-200], 3, { normalize: false }), 460.51701859880916)).toBeLessThanOrEqual(1e-13);
    expect(rel(api.renyiEntropy(new Float64Array(40).fill(1e-200), 2, { normalize: false }), 460.51701859880916))
      .toBeLessThanOrEqual(1e-13);
  });

  it("renyiDivergence of order < 1 whose sum is subnormal", () => {
    // p = [1, 0], q = [y, 1]: Σ x^α y^(1−α) = y^(1−α), so D_α = −log y exactly (mpmath: −log of the double 1e-320)
    expect(rel(api.renyiDivergence([1, 0], [1e-320, 1], 0.01, { normalize: false }), 736.8272408909739))
      .toBeLessThanOrEqual(1e-13);
  });
});

describe.each(builds)("bhattacharyyaDistance as given with small masses (%s)", (_name, api) => {
  it("−log Σ √(pq) keeps its digits (the near form's (Σp − 1)/2 cancelled)", () => {
    // mpmath: −log(2s) for p = q = [s, s]
    expect(rel(api.bhattacharyyaDistance([1e-10, 1e-10], [1e-10, 1e-10], { normalize: false }), 22.33270374938051))
      .toBeLessThanOrEqual(1e-13);
    expect(rel(api.bhattacharyyaDistance([1e-17, 1e-17], [1e-17, 1e-17], { normalize: false }), 38.45079940033883))
      .toBeLessThanOrEqual(1e-13);
    const s = new Float64Array(40).fill(1e-17);
    expect(rel(api.bhattacharyyaDistance(s, s, { normalize: false }), -Math.log(40e-17))).toBeLessThanOrEqual(1e-13);
  });
});

describe.each(builds)("Rényi of an all-zero p as given (%s)", (_name, api) => {
  it("says the sum is 0, not that it overflows; never −Infinity", () => {
    for (const a of [0, 0.5, 1, 2, Infinity]) {
      let msg = "";
      let value: number | undefined;
      try { value = api.renyiDivergence([0, 0, 0], [1, 0, 0], a, { normalize: false }); } catch (e) { msg = (e as Error).message; }
      expect(msg).not.toMatch(/overflows/);
      if (value !== undefined) expect(value).not.toBe(-Infinity);
      msg = "";
      try { api.renyiEntropy([0, 0, 0], a, { normalize: false }); } catch (e) { msg = (e as Error).message; }
      expect(msg).not.toMatch(/overflows/);
    }
  });
});

describe("distributions: values checked once stay valid", () => {
  it("a categorical's probs, a Dirichlet's alpha, a multivariate normal's factor cannot change its entropy", () => {
    const c = dist.categorical([1, 3]), h = dist.entropyOf(c), k = dist.klDivergenceOf(c, dist.categorical([1, 1]));
    try { (c.probs as Float64Array)[0] = 99; } catch { /* a read-only view is fine */ }
    expect(dist.entropyOf(c)).toBe(h);
    expect(dist.klDivergenceOf(c, dist.categorical([1, 1]))).toBe(k);
    const d = dist.dirichlet([1, 3]), hd = dist.entropyOf(d);
    try { (d.alpha as Float64Array)[0] = 1e6; } catch { /* idem */ }
    expect(dist.entropyOf(d)).toBe(hd);
    const m = dist.multivariateNormal([0], { scaleTril: [[2]] }), hm = dist.entropyOf(m);
    try { (m.scaleTril as Float64Array)[0] = -5; } catch { /* idem */ }
    expect(dist.entropyOf(m)).toBe(hm);
  });

  it("a hand-made frozen object is not a distribution (TypeError, never NaN)", () => {
    const fake = Object.freeze({ family: "normal", mu: 0, sigma: -1 }) as unknown as dist.Distribution;
    expect(() => dist.klDivergenceOf(fake, dist.normal(0, 1))).toThrow(TypeError);
    expect(() => dist.entropyOf(Object.freeze({ family: "gamma", shape: -1, rate: 0 }) as unknown as dist.Distribution))
      .toThrow(TypeError);
    expect(() => ref.entropyOf(fake)).toThrow(TypeError);
  });
});

describe("estimator options", () => {
  it("a null pseudocount is reported as null", () => {
    expect(() => ref.entropy([3, 1], { dirichlet: null as unknown as number })).toThrow(/got null/);
  });
});
