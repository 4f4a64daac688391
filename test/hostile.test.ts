// Inputs users really pass: getters that call the library, arrays read once, options
// with inherited keys, strict option types, workspace views released wrongly.
import { describe, it, expect, afterEach } from "vitest";
import * as wasm from "../src/index.js";
import * as ref from "../src/reference.js";

const builds = [["wasm", wasm], ["reference", ref]] as const;

function distribution(n: number, seed: number): number[] {
  const x = Array.from({ length: n }, (_, i) => ((i * 7919 + seed * 104729) % 97) + 1);
  const s = x.reduce((a, b) => a + b, 0);
  return x.map((v) => v / s);
}

/** A plain array whose element `at` is a getter that runs `during` and counts its reads. */
function trapped(values: number[], at: number, during: () => void) {
  const arr = values.slice();
  const reads = { n: 0 };
  Object.defineProperty(arr, at, { get() { reads.n++; during(); return values[at]; }, enumerable: true });
  return { arr, reads };
}

describe.each(builds)("%s: re-entrancy and single reads", (_name, api) => {
  for (const n of [3, 40, 5000]) {
    it(`a getter that calls the library mid-call leaves the outer result unchanged (n = ${n})`, () => {
      const p = distribution(n, 1), q = distribution(n, 2);
      const want = api.klDivergence(p, q), wantJs = api.jensenShannon(p, q), wantH = api.entropy(p, { normalize: true });
      const other = Float64Array.from(distribution(4000, 3)), other2 = Float64Array.from(distribution(4000, 4));
      const nested = () => {
        wasm.klDivergence(other, other2);
        ref.jensenShannon(other2, other);
        wasm.entropyRows(other, 40, { normalize: true });
      };
      for (const at of [0, n >> 1, n - 1]) {
        const { arr, reads } = trapped(p, at, nested);
        expect(api.klDivergence(arr, q)).toBe(want);
        expect(reads.n).toBe(1); // read once, even though the value is checked and summed
        const t = trapped(p, at, nested);
        expect(api.jensenShannon(q.length ? t.arr : p, q)).toBe(wantJs);
        expect(t.reads.n).toBe(1);
        const h = trapped(p, at, nested);
        expect(api.entropy(h.arr, { normalize: true })).toBe(wantH);
        expect(h.reads.n).toBe(1);
      }
    });
  }

  it("an element that throws is the caller's error, and the library stays usable", () => {
    const p = distribution(100, 1), q = distribution(100, 2);
    const arr = p.slice();
    Object.defineProperty(arr, 50, { get() { throw new Error("boom"); } });
    expect(() => api.klDivergence(arr, q)).toThrow("boom");
    expect(api.klDivergence(p, q)).toBe(api.klDivergence(Float64Array.from(p), Float64Array.from(q)));
  });

  it("options: own keys only; inherited keys change nothing; getters read once", () => {
    const p = distribution(50, 1), q = distribution(50, 2);
    const want = api.klDivergence(p, q);
    const proto = Object.prototype as Record<string, unknown>;
    try {
      proto.eps = 0.5;
      proto.normalize = "yes";
      proto.base = 2;
      expect(api.klDivergence(p, q)).toBe(want);
      expect(api.klDivergence(p, q, {})).toBe(want);
      expect(api.entropy(p, {})).toBe(api.entropy(p));
    } finally {
      delete proto.eps;
      delete proto.normalize;
      delete proto.base;
    }
    let reads = 0;
    const o = { get eps() { reads++; return 0; } };
    api.klDivergence(p, q, o);
    expect(reads).toBe(1);
    // an instance whose class adds options through its prototype: only own keys count
    class Opts { base = 2; }
    expect(api.entropy(p, new Opts())).toBe(api.entropy(p, { base: 2 }));
  });

  it("options: wrong types are errors, never truthy or falsy guesses", () => {
    const p = [0.5, 0.5];
    // @ts-expect-error: a string is not a boolean
    expect(() => api.entropy(p, { normalize: "false" })).toThrow(new TypeError('entropy: normalize must be true or false, got "false"'));
    // @ts-expect-error: a number is not a boolean
    expect(() => api.klDivergence(p, p, { normalize: 0 })).toThrow(new TypeError("klDivergence: normalize must be true or false, got 0"));
    // @ts-expect-error: options must be an object
    expect(() => api.entropy(p, 2)).toThrow(new TypeError("entropy: options must be an object, got number"));
  });

  it("*Rows without cols is an error, not one row", () => {
    // @ts-expect-error: cols is required
    expect(() => api.entropyRows([0.5, 0.5])).toThrow(new RangeError("entropyRows: cols must be a positive integer, got undefined"));
    // @ts-expect-error: cols is required
    expect(() => api.klDivergenceRows([0.5, 0.5], [0.5, 0.5])).toThrow(/klDivergenceRows: cols must be a positive integer, got undefined/);
    // @ts-expect-error: cols is required
    expect(() => api.jensenShannonDistanceRows([0.5, 0.5], [0.5, 0.5], { base: 2 })).toThrow(/cols must be a positive integer/);
  });

  it("a Proxy over an array is read once per element", () => {
    const p = distribution(64, 5), q = distribution(64, 6);
    let gets = 0;
    const proxy = new Proxy(p, { get(t, k, r) { if (typeof k === "string" && /^\d+$/.test(k)) gets++; return Reflect.get(t, k, r); } });
    expect(api.klDivergence(proxy, q)).toBe(api.klDivergence(p, q));
    expect(gets).toBe(64);
  });
});

import * as drift from "../src/drift.js";
import * as refDrift from "../src/reference-drift.js";
import * as pairwise from "../src/pairwise.js";
import * as logits from "../src/logits.js";

describe("typed arrays with own accessors that call the library (the drivers read them through their slots)", () => {
  /** x with an own `constructor` and `length` that call `nested` (a subclass's species is reached the same way). */
  function hooked<T extends Float64Array>(x: T, nested: () => void): { x: T; reads: { n: number } } {
    const reads = { n: 0 }, n = x.length;
    Object.defineProperty(x, "constructor", { get() { reads.n++; nested(); return Float64Array; } });
    Object.defineProperty(x, "length", { get() { reads.n++; nested(); return n; } });
    return { x, reads };
  }
  const uniform = (n: number, seed: number) => {
    const x = new Float64Array(n);
    let s = seed;
    for (let i = 0; i < n; i++) { s = (s * 1103515245 + 12345) % 2147483648; x[i] = s / 2147483648 + 0.01; }
    return x;
  };
  const normalised = (x: Float64Array) => { const t = x.reduce((a, b) => a + b, 0); return x.map((v) => v / t); };

  it("klDivergence over rows longer than a staged chunk", () => {
    const n = 3 * 8192 + 5, p = normalised(uniform(n, 1)), q = normalised(uniform(n, 2));
    const other = normalised(uniform(n, 3)), other2 = normalised(uniform(n, 4));
    const want = wasm.klDivergence(p, q), wantRows = wasm.klDivergenceRows(p, q, n);
    const { x, reads } = hooked(q.slice(), () => { wasm.klDivergence(other, other2); wasm.entropy(other2); });
    expect(wasm.klDivergence(p, x)).toBe(want);
    expect(Array.from(wasm.klDivergenceRows(p, x, n))).toEqual(Array.from(wantRows));
    expect(ref.klDivergence(p, x)).toBe(ref.klDivergence(p, q));
    expect(reads.n).toBeGreaterThan(0); // the checks read x.length as the caller sees it
  });

  it("histogram of a heap array streamed in pieces, equal-width and arbitrary edges", () => {
    const x = uniform(100_000, 5), y = uniform(50_000, 7), edges = [0, 0.1, 0.25, 0.5, 0.75, 1.01];
    const want = Array.from(refDrift.histogram(x, edges).counts);
    const { x: hx } = hooked(x.slice(), () => { drift.histogram(y, [0, 0.5, 1.01]); wasm.klDivergence(normalised(y), normalised(y)); });
    expect(Array.from(drift.histogram(hx, edges).counts)).toEqual(want);
    const even = refDrift.histogramEdges(x, { bins: 10 });
    expect(Array.from(drift.histogram(hx, even).counts)).toEqual(Array.from(refDrift.histogram(x, even).counts));
  });

  it("pairwise matrices and KL of logits, staged row by row", () => {
    const cols = 50, rows = (m: number, seed: number) => {
      const x = uniform(m * cols, seed);
      for (let r = 0; r < m; r++) { const row = x.subarray(r * cols, (r + 1) * cols), t = row.reduce((a, b) => a + b, 0); row.forEach((v, i) => { row[i] = v / t; }); }
      return x;
    };
    const X = rows(80, 11), Y = rows(70, 12), X2 = rows(90, 13), Y2 = rows(60, 14);
    for (const metric of ["jensenShannon", "klDivergence", "hellinger"] as const) {
      const want = pairwise.pairwise(X, Y, cols, { metric });
      const { x: hy } = hooked(Y.slice(), () => { pairwise.pairwise(X2, Y2, cols, { metric }); });
      expect(Array.from(pairwise.pairwise(X, hy, cols, { metric })), metric).toEqual(Array.from(want));
    }
    const lc = 3000, t = uniform(40 * lc, 15).map((v) => 10 * v - 5), u = uniform(40 * lc, 16).map((v) => 10 * v - 5);
    const o = { reduction: "none" as const }, want = logits.klDivergenceLogits(t, u, lc, o);
    const { x: hu } = hooked(u.slice(), () => { logits.klDivergenceLogits(u, t, lc, o); });
    expect(Array.from(logits.klDivergenceLogits(t, hu, lc, o))).toEqual(Array.from(want));
  });
});

describe("workspaces: releasing wrongly is an error and frees nothing", () => {
  let ws: wasm.Workspace;
  afterEach(() => ws.dispose());

  it("a stale view released after its memory was handed out again", () => {
    ws = wasm.createWorkspace(1 << 16);
    const a = ws.f64(100);
    ws.release(a);
    const b = ws.f64(100); // the same memory
    expect(b.byteOffset).toBe(a.byteOffset);
    expect(() => ws.release(a)).toThrow(/already released, or is not one this workspace handed out/);
    const c = ws.f64(100);
    expect(c.byteOffset).not.toBe(b.byteOffset); // b still owns its memory
    b.fill(1);
    expect(c.every((v) => v === 0)).toBe(true);
  });

  it("a subarray of a live view", () => {
    ws = wasm.createWorkspace(1 << 16);
    const v = ws.f32(1000);
    expect(() => ws.release(v.subarray(0, 1))).toThrow(/a subarray or a copy of a view cannot be released/);
    expect(ws.used).toBe(4032);
    const w = ws.f32(1000);
    expect(w.byteOffset).toBeGreaterThanOrEqual(v.byteOffset + 4000);
    ws.release(v);
    ws.release(w);
    expect(ws.used).toBe(0);
  });
});

import * as fit from "../src/fit.js";
import * as mutual from "../src/mutual.js";

describe.each([["wasm", { ...fit, ...mutual }], ["reference", ref]] as const)("%s: fit and mutual take hostile input too", (_name, api) => {
  it("boolean options must be booleans", () => {
    const t = [1, 2, 3, 4];
    // @ts-expect-error: a string
    expect(() => api.mutualInformation(t, 2, { counts: "yes" })).toThrow(new TypeError('mutualInformation: counts must be true or false, got "yes"'));
    const x = [0.1, 0.5, 0.2, 0.9, 0.4, 0.3], y = [1, 2, 3, 4, 5, 7];
    // @ts-expect-error: a string
    expect(() => api.mutualInformationKSG(x, y, { scale: "no" })).toThrow(new TypeError('mutualInformationKSG: scale must be true or false, got "no"'));
    // @ts-expect-error: a string
    expect(() => api.mutualInformationKSG(x, y, { clip: "false" })).toThrow(new TypeError('mutualInformationKSG: clip must be true or false, got "false"'));
    const g = fit.linspace(-3, 3, 50), p = fit.normalizeDensity(fit.normalPdf(g, 0, 1), g[1] - g[0]);
    // @ts-expect-error: a number
    expect(() => api.gaussianFit(p, g, { mus: [0], sigmas: [1], refine: 0 })).toThrow(new TypeError("gaussianFit: refine must be true or false, got 0"));
  });

  it("a signal must be an AbortSignal, and inherited option keys change nothing", async () => {
    const g = fit.linspace(-3, 3, 50), p = fit.normalizeDensity(fit.normalPdf(g, 0, 1), g[1] - g[0]);
    const opts = { mus: [0, 0.5], sigmas: [1, 2], refine: false as const };
    // @ts-expect-error: not an AbortSignal
    await expect(api.gaussianFitAsync(p, g, { ...opts, signal: { aborted: false } })).rejects.toThrow(new TypeError("gaussianFitAsync: signal must be an AbortSignal"));
    const proto = Object.prototype as Record<string, unknown>;
    const want = api.gaussianFit(p, g, opts).losses;
    try {
      proto.direction = "reverse";
      proto.signal = { aborted: true };
      proto.floor = 0.5;
      expect(api.gaussianFit(p, g, opts).losses).toEqual(want);
      expect((await api.gaussianFitAsync(p, g, opts)).losses).toEqual(want);
      expect(api.mutualInformation([1, 2, 3, 4], 2)).toBe(api.mutualInformation([1, 2, 3, 4], 2, {}));
    } finally {
      delete proto.direction;
      delete proto.signal;
      delete proto.floor;
    }
  });

  it("a table whose total overflows is normalised, not reported as summing to 0", () => {
    const t = [1e308, 1e308, 1e308, 5e307];
    const small = t.map((v) => v / 1e300);
    expect(api.mutualInformation(t, 2)).toBeCloseTo(api.mutualInformation(small, 2), 15);
    expect(api.jointEntropy(t, 2)).toBeCloseTo(api.jointEntropy(small, 2), 15);
    expect(() => api.mutualInformation([0, 0, 0, 0], 2)).toThrow(/sums to 0/);
  });

  it("getters that call the library: each read once, the outer result unchanged", () => {
    const nested = () => { wasm.klDivergence([0.5, 0.5], [0.5, 0.5]); mutual.mutualInformationLabels([1, 2, 1, 2], [1, 1, 2, 2]); };
    const withGetter = (values: number[], at: number) => {
      const arr = values.slice(), reads = { n: 0 };
      Object.defineProperty(arr, at, { get() { reads.n++; nested(); return values[at]; } });
      return { arr, reads };
    };
    const table = Array.from({ length: 60 }, (_, i) => (i * 7) % 11 + 1);
    const t = withGetter(table, 33);
    expect(api.mutualInformation(t.arr, 6)).toBe(api.mutualInformation(table, 6));
    expect(t.reads.n).toBe(1);
    const xs = Array.from({ length: 200 }, (_, i) => Math.sin(i * 1.7)), ys = xs.map((v, i) => v * v + Math.cos(i));
    const k = withGetter(xs, 150);
    expect(api.mutualInformationKSG(k.arr, ys)).toBe(api.mutualInformationKSG(xs, ys));
    expect(k.reads.n).toBe(1);
    const la = Array.from({ length: 500 }, (_, i) => i % 7), lb = Array.from({ length: 500 }, (_, i) => (i * 3) % 5);
    const l = withGetter(la, 250);
    expect(api.mutualInformationLabels(l.arr, lb)).toBe(api.mutualInformationLabels(la, lb));
    expect(l.reads.n).toBe(1);
    const g = Array.from(fit.linspace(-3, 3, 64)), p = Array.from(fit.normalizeDensity(fit.normalPdf(g, 0, 1), g[1] - g[0]));
    const f = withGetter(p, 40);
    const opts = { mus: [0, 0.5], sigmas: [1, 2], refine: false as const };
    expect(api.gaussianFit(f.arr, g, opts).losses).toEqual(api.gaussianFit(p, g, opts).losses);
    expect(f.reads.n).toBe(1);
  });
});
