// normalize's three states, in both builds: left out (check that sums are 1), true
// (divide by the sums, as SciPy), false (the formula as given). Reproductions from
// the issue that found counts giving nonsense.
import { describe, it, expect } from "vitest";
import * as wasm from "../src/index.js";
import * as ref from "../src/reference.js";

const builds = [["wasm", wasm], ["reference", ref]] as const;
const msg = (fn: string, what: string, s: string) =>
  `${fn}: ${what} sums to ${s}, not 1; pass normalize: true for counts or weights, or normalize: false to compute as given`;

describe.each(builds)("%s: normalize", (_name, api) => {
  it("left out: counts are an error naming the sum, not a negative entropy", () => {
    expect(() => api.entropy([10, 20, 30, 40])).toThrow(new RangeError(msg("entropy", "p", "100")));
    expect(() => api.klDivergence([10, 20, 30, 40], [25, 25, 25, 25])).toThrow(new RangeError(msg("klDivergence", "p", "100")));
    expect(() => api.klDivergence([0.25, 0.25, 0.25, 0.25], [25, 25, 25, 25])).toThrow(new RangeError(msg("klDivergence", "q", "100")));
    expect(() => api.jensenShannonDistance([1, 2], [3, 4])).toThrow(new RangeError(msg("jensenShannonDistance", "p", "3")));
    expect(() => api.crossEntropy([0.5, 0.5], [0.2, 0.3])).toThrow(new RangeError(msg("crossEntropy", "q", "0.5")));
    // rows: the first bad row, p before q within a row
    expect(() => api.klDivergenceRows([0.5, 0.5, 1, 1], [0.5, 0.5, 0.5, 0.4], 2))
      .toThrow(new RangeError(msg("klDivergenceRows", "row 1 of p", "2")));
    expect(() => api.klDivergenceRows([0.5, 0.5, 0.5, 0.5], [0.5, 0.5, 0.5, 0.4], 2))
      .toThrow(new RangeError(msg("klDivergenceRows", "row 1 of q", "0.9")));
    // long vectors take the kernels in the WebAssembly build: same message
    const counts = Float64Array.from({ length: 1000 }, (_, i) => i % 7);
    expect(() => api.entropy(counts)).toThrow(new RangeError(msg("entropy", "p", "2997")));
    expect(() => api.entropy(Float32Array.from(counts))).toThrow(new RangeError(msg("entropy", "p", "2997")));
  });

  it("left out: probabilities that sum to 1 by rounding pass (float64 within 1.5e-8, float32 within 3.5e-4)", () => {
    for (const n of [3, 31, 1000, 100_003]) {
      const p = Float64Array.from({ length: n }, (_, i) => 1 + (i % 5));
      let s = 0;
      for (const v of p) s += v;
      for (let i = 0; i < n; i++) p[i] /= s;
      expect(api.entropy(p)).toBeCloseTo(api.entropy(p, { normalize: false }), 15);
      // float32 softmax outputs: each value rounded, the sum off by up to ~n u
      const f = Float32Array.from(p);
      expect(Number.isFinite(api.entropy(f))).toBe(true);
      expect(Number.isFinite(api.klDivergence(f, f))).toBe(true);
    }
    // the tolerance's edges
    expect(() => api.entropy([0.5, 0.5 + 2e-8])).toThrow(RangeError);
    expect(api.entropy([0.5, 0.5 + 1e-8])).toBeGreaterThan(0);
    expect(() => api.entropy(Float32Array.of(0.5, 0.5 + 4e-4))).toThrow(RangeError);
    expect(api.entropy(Float32Array.of(0.5, 0.5 + 3e-4))).toBeGreaterThan(0);
  });

  it("true: counts become distributions (SciPy's entropy of counts)", () => {
    // scipy.stats.entropy([10, 20, 30, 40]) = 1.2798542258336676
    expect(api.entropy([10, 20, 30, 40], { normalize: true })).toBeCloseTo(1.2798542258336676, 15);
    expect(api.jensenShannonDistance([1, 2], [3, 4], { normalize: true })).toBeLessThanOrEqual(Math.sqrt(Math.LN2));
  });

  it("false: the formula as given, no check (the seed's behaviour)", () => {
    expect(api.entropy([10, 20, 30, 40], { normalize: false })).toBeCloseTo(-(10 * Math.log(10) + 20 * Math.log(20) + 30 * Math.log(30) + 40 * Math.log(40)), 10);
  });

  it("one-hot and near-one-hot rows with normalize: true: exactly 0, never negative, builds agree", () => {
    for (const n of [3, 40, 1000]) {
      for (const make of [(k: number) => new Float64Array(k), (k: number) => new Float32Array(k)]) {
        const p = make(n);
        p[n >> 1] = 7;
        expect(api.entropy(p, { normalize: true })).toBe(0);
        expect(api.entropyRows(p, n, { normalize: true })[0]).toBe(0);
        p[0] = 1e-6;
        const h = api.entropy(p, { normalize: true });
        // H = -sum x log x of x = (1e-6, 7) / (7 + 1e-6), computed in high precision by hand
        // (x near 1 carries the rounding of p / sum: an absolute error of about u, in both builds)
        const a = p[0] / (7 + p[0]);
        const want = -(a * Math.log(a) + (1 - a) * Math.log1p(-a));
        expect(Math.abs(h - want)).toBeLessThanOrEqual(4e-16);
      }
    }
  });
});

describe("normalize: true in both builds agree on hostile rows", () => {
  it("float32 beside float64 sums in float64", () => {
    const n = 5000;
    const p32 = Float32Array.from({ length: n }, (_, i) => 1 + Math.sin(i) * 0.999);
    const p64 = Float64Array.from(p32);
    const q = Float64Array.from({ length: n }, (_, i) => 1 + Math.cos(i) * 0.5);
    const a = wasm.klDivergence(p32, q, { normalize: true }), b = wasm.klDivergence(p64, q, { normalize: true });
    const c = ref.klDivergence(p32, q, { normalize: true });
    expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-15);
    expect(Math.abs(a - c)).toBeLessThanOrEqual(1e-15);
  });

  it("eps: 0 with a q/sum that underflows: finite in both builds (the exact quotient is positive)", () => {
    const q = [1e300, 1e-300, 1e300], p = [1, 1, 1];
    for (const api of [wasm, ref]) {
      const kl = api.klDivergence(p, q, { normalize: true, eps: 0 });
      expect(Number.isFinite(kl)).toBe(true);
      // KL = (1/3) [log((1/3)/(1/2)) * 2 + log((1/3) / (1e-300 / 2e300))]
      const want = (2 * Math.log(2 / 3) + (Math.log(2 / 3) + 600 * Math.LN10)) / 3;
      expect(Math.abs(kl - want)).toBeLessThanOrEqual(1e-13 * want);
      const ce = api.crossEntropy(p, q, { normalize: true, eps: 0 });
      expect(Math.abs(ce - (2 * Math.LN2 + (Math.LN2 + 600 * Math.LN10)) / 3)).toBeLessThanOrEqual(1e-12);
    }
    const big = Array.from({ length: 40 }, (_, i) => (i === 5 ? 1e-300 : 1e300));
    const ones = new Array(40).fill(1);
    expect(wasm.klDivergence(ones, big, { normalize: true, eps: 0 })).toBeCloseTo(ref.klDivergence(ones, big, { normalize: true, eps: 0 }), 12);
  });

  it("a row the kernels cannot scale runs the twin alone: other rows are unchanged", () => {
    const cols = 50, good = Float64Array.from({ length: cols }, (_, i) => (i % 9) + 1);
    const odd = new Float64Array(cols).fill(1e-305); // its sum is far below 2^-960
    const q = Float64Array.from({ length: 2 * cols }, (_, i) => (i % 4) + 1);
    const both = new Float64Array([...good, ...odd]);
    for (const f of ["entropyRows", "klDivergenceRows", "crossEntropyRows", "jensenShannonRows"] as const) {
      const rows = f === "entropyRows" ? wasm.entropyRows(both, cols, { normalize: true })
        : wasm[f](both, q, cols, { normalize: true });
      const alone = f === "entropyRows" ? wasm.entropyRows(good, cols, { normalize: true })
        : wasm[f](good, q.subarray(0, cols), cols, { normalize: true });
      expect(rows[0], f).toBe(alone[0]);
      const twin = f === "entropyRows" ? ref.entropyRows(both, cols, { normalize: true }) : ref[f](both, q, cols, { normalize: true });
      expect(rows[1], f).toBe(twin[1]);
    }
  });
});

describe("Jensen-Shannon over the whole range of doubles (the twin, which small inputs run)", () => {
  it("no -Infinity or NaN where the exact answer is finite", () => {
    for (const api of [wasm, ref]) {
      // JS([1e10], [1e-320]) = (1e10 log(2 1e10 / (1e10 + 1e-320)) + 1e-320 log(2e-320 / 1e10)) / 2
      const a = api.jensenShannon([1e10], [1e-320], { normalize: false });
      expect(a).toBe((1e10 * Math.LN2) / 2);
      const b = api.jensenShannon([1.7e308, 1.7e308, 1e10], [1, 1, 1e-320], { normalize: false });
      expect(Number.isFinite(b)).toBe(true);
      expect(Math.abs(b - 1.7e308 * Math.LN2) / b).toBeLessThan(1e-15);
    }
    // the kernel (a workspace view takes it even for 3 elements) gives the same
    const ws = wasm.createWorkspace(1 << 16);
    const P = ws.f64(40), Q = ws.f64(40);
    P.set([1.7e308, 1.7e308, 1e10]); Q.set([1, 1, 1e-320]);
    const Pa = Array.from(P), Qa = Array.from(Q);
    expect(Math.abs(wasm.jensenShannon(P, Q, { normalize: false }) - ref.jensenShannon(Pa, Qa, { normalize: false })) / 1.7e308).toBeLessThan(1e-15);
    ws.dispose();
  });
});

describe("review findings", () => {
  it("a sum within 5e-8 of 1 but outside the tolerance is named with all its digits, not as 1", () => {
    for (const api of [wasm, ref]) {
      expect(() => api.entropy([0.5, 0.500000015])).toThrow(new RangeError(msg("entropy", "p", "1.000000015")));
    }
  });
  it("Jensen-Shannon is never negative, even where its terms round below 0", () => {
    for (const api of [wasm, ref]) {
      for (const c of [0.1, 0.3, 0.7]) {
        const q = Float64Array.from({ length: 64 }, (_, i) => c * (1 + (i % 5)));
        const p = q.map((v) => 3 * v);
        expect(api.jensenShannon(p, q, { normalize: true })).toBeGreaterThanOrEqual(0);
        expect(api.jensenShannonRows(p, q, 64, { normalize: true })[0]).toBeGreaterThanOrEqual(0);
      }
    }
  });
  it("a view built over a workspace's buffer below its first usable byte is copied out, not read in place", () => {
    // (that memory is the library's scratch: the view's contents do not survive the call,
    // but the value is computed from what the view held when the call began)
    const ws = wasm.createWorkspace(64);
    const v = ws.f64(1);
    for (const offset of [65536, 131072, 196608]) {
      const p = new Float64Array(v.buffer, offset, 100);
      p.fill(0); p[0] = 1;
      const q = new Float64Array(100).fill(0.01);
      expect(wasm.klDivergence(p, q)).toBeCloseTo(Math.log(100), 14);
    }
    ws.dispose();
  });
});
