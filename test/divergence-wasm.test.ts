// kl-wasm/divergences: the WebAssembly kernels against the pure-TS twin (kl-wasm/reference) on random rows
// above the small-input threshold (so the kernels run: SMALL = 32 elements), every input family, the three
// normalize states, float64 and float32 input; the same errors from both builds; hostile inputs.
import { describe, it, expect } from "vitest";
import * as wasm from "../src/divergences.js";
import * as main from "../src/index.js";
import * as ref from "../src/reference.js";
import { polluted } from "./helpers/pollution.js";
import { rng } from "./helpers/random.js";

type Family = "uniform" | "sparse" | "tiny" | "near" | "subnormal" | "counts";
const FAMILIES: Family[] = ["uniform", "sparse", "tiny", "near", "subnormal", "counts"];

/** rows × cols values of a family (each row normalised to sum 1 except counts); q from p for "near". */
function make(fam: Family, rows: number, cols: number, seed: number, from?: Float64Array): Float64Array {
  const r = rng(seed), x = new Float64Array(rows * cols);
  for (let i = 0; i < x.length; i++) {
    const u = r();
    switch (fam) {
      case "uniform": x[i] = u; break;
      case "sparse": x[i] = u < 0.3 ? 0 : u; break;
      case "tiny": x[i] = u * 1e-300; break;
      case "near": x[i] = from ? from[i] * (1 + 1e-9 * (r() - 0.5)) : u; break;
      case "subnormal": x[i] = u < 0.2 ? u * 1e-310 : u; break;
      case "counts": x[i] = Math.floor(u * 50); break;
    }
  }
  if (fam !== "counts" && fam !== "tiny") {
    for (let k = 0; k < rows; k++) {
      let s = 0;
      for (let j = 0; j < cols; j++) s += x[k * cols + j];
      if (s === 0) { x[k * cols] = 1; s = 1; }
      for (let j = 0; j < cols; j++) x[k * cols + j] /= s;
    }
  }
  return x;
}

type Api = Record<string, (...a: unknown[]) => unknown>;
const W = wasm as unknown as Api, R = ref as unknown as Api;
const PAIRS = ["hellingerDistance", "totalVariation", "chiSquareDivergence", "jeffreysDivergence", "bhattacharyyaDistance"];
const ORDERS = [0, 0.5, 0.999999, 1, 1.000001, 2, 10, Infinity];

/** Both builds' rows for one function; the comparison's scale A: Σ over the row of (p + q) (1 per row when normalised). */
function both(fn: string, P: ArrayLike<number>, Q: ArrayLike<number> | undefined, order: number | undefined, cols: number, o: object) {
  const args: unknown[] = fn === "renyiEntropy" || fn === "tsallisEntropy" ? [P] : [P, Q];
  if (order !== undefined) args.push(order);
  args.push(cols, o);
  return [W[`${fn}Rows`](...args) as Float64Array, R[`${fn}Rows`](...args) as Float64Array];
}

let worst = 0;

describe("WebAssembly against the twin", () => {
  it.each(FAMILIES)("%s rows, every function, sizes up to 10^4", (fam) => {
    for (const [rows, cols] of [[1, 40], [3, 333], [2, 1000], [1, 10000]]) {
      const P = make(fam, rows, cols, 1 + cols);
      const Q = fam === "near" ? make(fam, rows, cols, 2 + cols, P) : make(fam, rows, cols, 3 + cols);
      const norms = fam === "counts" || fam === "tiny" ? [true, false] : [undefined, true, false];
      for (const normalize of norms) {
        const o = normalize === undefined ? {} : { normalize };
        for (const f32 of [false, true]) {
          if (f32 && (fam === "tiny" || fam === "subnormal")) continue;
          const p = f32 ? Float32Array.from(P) : P, q = f32 ? Float32Array.from(Q) : Q;
          // float32 rows no longer sum to 1 within float64's tolerance: checked at float32's, or normalised
          const calls: Array<[string, number | undefined]> = [
            ...PAIRS.map((f) => [f, undefined] as [string, undefined]),
            ...ORDERS.flatMap((a) => [["renyiEntropy", a], ["renyiDivergence", a], ...(a < Infinity ? [["tsallisEntropy", a]] : [])] as Array<[string, number]>),
          ];
          for (const [fn, order] of calls) {
            const [w, t] = both(fn, p, q, order, cols, o);
            for (let r = 0; r < rows; r++) {
              const where = `${fam} ${rows}x${cols} ${fn}(${order}) ${JSON.stringify(o)} f32=${f32} row ${r}: wasm ${w[r]}, twin ${t[r]}`;
              if (!Number.isFinite(t[r])) { expect(w[r], where).toBe(t[r]); continue; }
              let A = 0;
              for (let j = r * cols; j < (r + 1) * cols; j++) A += p[j] + q[j];
              if (normalize) A = 2;
              const err = Math.abs(w[r] - t[r]), tol = 1e-12 * Math.abs(t[r]) + 1e-14 * A + 1e-300;
              expect(err, where).toBeLessThanOrEqual(tol);
              worst = Math.max(worst, err / tol);
            }
          }
        }
      }
    }
  });

  it("one-vector calls equal their rows, and small calls (the twin) agree", () => {
    const P = make("uniform", 1, 500, 7), Q = make("sparse", 1, 500, 8);
    for (const fn of PAIRS) expect(W[fn](P, Q)).toBe((W[`${fn}Rows`](P, Q, 500) as Float64Array)[0]);
    expect(wasm.renyiDivergence(P, Q, 2)).toBe(wasm.renyiDivergenceRows(P, Q, 2, 500)[0]);
    console.log(`divergence wasm vs twin: worst fraction of the bound used ${worst.toFixed(3)}`);
  });

  it("weighted Jensen–Shannon: the main entry's WebAssembly build equals the reference; [½, ½] equals no weights", () => {
    const P = make("uniform", 4, 300, 11), Q = make("near", 4, 300, 12, P);
    for (const w of [[0.3, 0.7], [0, 1], [1e-9, 1 - 1e-9]]) {
      const a = main.jensenShannonRows(P, Q, 300, { weights: w }), b = ref.jensenShannonRows(P, Q, 300, { weights: w });
      for (let r = 0; r < 4; r++) expect(Math.abs(a[r] - b[r])).toBeLessThanOrEqual(1e-14 * Math.abs(b[r]));
    }
    const a = main.jensenShannonRows(P, Q, 300, { weights: [0.5, 0.5] }), b = main.jensenShannonRows(P, Q, 300);
    for (let r = 0; r < 4; r++) expect(a[r]).toBe(b[r]);
    expect(main.jensenShannon([1, 0], [0, 1], { weights: [0.25, 0.75] })).toBeCloseTo(-(0.25 * Math.log(0.25) + 0.75 * Math.log(0.75)), 15);
  });
});

describe("errors: the same message from both builds", () => {
  const p = [0.5, 0.5], q = [0.25, 0.75];
  const cases: Array<[string, (api: Api) => unknown, RegExp]> = [
    ["alpha < 0", (a) => a.renyiEntropy(p, -1), /renyiEntropy: alpha must be a number >= 0 \(Infinity allowed\), got -1/],
    ["alpha NaN", (a) => a.renyiDivergence(p, q, NaN), /renyiDivergence: alpha must be a number >= 0 \(Infinity allowed\), got NaN/],
    ["alpha string", (a) => a.renyiDivergence(p, q, "2"), /got "2"/],
    ["tsallis q = Infinity", (a) => a.tsallisEntropy(p, Infinity), /tsallisEntropy: q must be a finite number >= 0, got Infinity/],
    ["tsallis base", (a) => a.tsallisEntropy(p, 2, { base: 2 }), /tsallisEntropy: unknown option 'base'/],
    ["hellinger eps", (a) => a.hellingerDistance(p, q, { eps: 0 }), /hellingerDistance: unknown option 'eps'/],
    ["negative", (a) => a.chiSquareDivergence([0.5, -0.5, 1], [0.2, 0.3, 0.5]), /chiSquareDivergence: p\[1\] is negative \(-0.5\); values must be finite and >= 0/],
    ["q NaN first", (a) => a.jeffreysDivergence([0.5, NaN, 0.5], [NaN, 0.5, 0.5]), /jeffreysDivergence: q\[0\] is NaN/],
    ["sum", (a) => a.bhattacharyyaDistance([1, 2], [0.5, 0.5]), /bhattacharyyaDistance: p sums to 3, not 1; pass normalize: true/],
    ["rows sum", (a) => a.renyiDivergenceRows([0.5, 0.5, 0.5, 0.4], [0.5, 0.5, 0.5, 0.5], 2, 2), /renyiDivergenceRows: row 1 of p sums to 0.9, not 1/],
    ["cols", (a) => a.totalVariationRows(p, q, 3), /totalVariationRows: cols \(3\) does not divide the length \(2\)/],
    ["lengths", (a) => a.hellingerDistance(p, [1]), /hellingerDistance: p and q must have the same length, got 2 and 1/],
    ["order before arrays", (a) => a.renyiEntropy("x", -1), /alpha must be/],
    ["options before order", (a) => a.renyiEntropy(p, -1, { bad: 1 }), /renyiEntropy: unknown option 'bad'/],
    ["normalize zero", (a) => a.renyiEntropy([0, 0], 2, { normalize: true }), /renyiEntropy: cannot normalize: p sums to 0/],
    ["many weights count", (a) => a.jensenShannonMany([0.5, 0.5, 0.5, 0.5], 2, { weights: [1] }), /jensenShannonMany: weights must have 2 values \(one per distribution\), got 1/],
    ["many weights sum", (a) => a.jensenShannonMany([0.5, 0.5, 0.5, 0.5], 2, { weights: [0.5, 0.4] }), /jensenShannonMany: weights sum to 0.9, not 1/],
    ["many weights negative", (a) => a.jensenShannonMany([0.5, 0.5, 0.5, 0.5], 2, { weights: [1.5, -0.5] }), /jensenShannonMany: weights\[1\] is negative/],
    ["many bad value", (a) => a.jensenShannonMany([0.5, 0.5, 0.5, Infinity], 2), /jensenShannonMany: P\[3\] is infinite/],
    ["many row sum", (a) => a.jensenShannonMany([0.5, 0.5, 0.5, 0.4], 2), /jensenShannonMany: row 1 of P sums to 0.9, not 1/],
    ["js weights", (a) => a.jensenShannon(p, q, { weights: [0.5, 0.6] }), /jensenShannon: weights sum to 1.1, not 1/],
    ["js weights count", (a) => a.jensenShannonRows(p, q, 2, { weights: [1, 0, 0] }), /jensenShannonRows: weights must have 2 values/],
    ["js weights type", (a) => a.jensenShannon(p, q, { weights: "ab" }), /jensenShannon: weights must be a Float64Array, Float32Array or number\[\], got string/],
  ];
  const builds: Array<[string, Api]> = [["wasm", { ...(main as unknown as Api), ...W }], ["reference", R]];
  it.each(cases)("%s", (_, f, re) => {
    const messages = builds.map(([, api]) => { try { f(api); return "no error"; } catch (e) { return String(e); } });
    expect(messages[0]).toMatch(re);
    expect(messages[1]).toBe(messages[0]);
  });
});

describe("hostile inputs", () => {
  it("plain arrays with getters are read once; inherited option keys are ignored", () => {
    let reads = 0;
    const p = Array.from({ length: 100 }, () => 0.01), q = p.slice();
    Object.defineProperty(p, 5, { get: () => { reads++; return 0.01; } });
    wasm.renyiDivergence(p, q, 2);
    expect(reads).toBe(1);
    const x = [0.5, 0.3, 0.2], y = [0.3, 0.4, 0.3];
    const clean = [wasm.renyiEntropy(x, 2), wasm.hellingerDistance(x, y), main.jensenShannon(x, y), wasm.jensenShannonMany([...x, ...y], 3)];
    const dirty = polluted({ normalize: true, base: 2, weights: [0.1, 0.9], eps: 0.5 }, () =>
      [wasm.renyiEntropy(x, 2), wasm.hellingerDistance(x, y), main.jensenShannon(x, y), wasm.jensenShannonMany([...x, ...y], 3)]);
    expect(dirty).toEqual(clean);
  });

  it("mixed float32/float64, huge and subnormal values, poles and disjoint supports", () => {
    const p = Float32Array.from([0.5, 0.25, 0.25]), q = [0.25, 0.5, 0.25];
    expect(wasm.hellingerDistance(p, q)).toBeCloseTo(ref.hellingerDistance(p, q), 15);
    expect(wasm.renyiDivergence([0.5, 0.5], [0, 1], 2)).toBe(Infinity);
    expect(wasm.renyiDivergence([0.5, 0.5], [0, 1], 0.5)).toBeCloseTo(Math.log(2), 15);
    expect(wasm.renyiDivergence([0.5, 0.5, 0], [0, 0.5, 0.5], 0)).toBeCloseTo(Math.log(2), 15); // −log Q(supp P)
    expect(Object.is(wasm.renyiDivergence([0.5, 0.5], [0, 1], 0), 0)).toBe(true); // Q(supp P) = 1: 0, not −0
    expect(wasm.bhattacharyyaDistance([1, 0], [0, 1])).toBe(Infinity);
    expect(wasm.chiSquareDivergence([0.5, 0.5], [1, 0])).toBe(Infinity);
    expect(wasm.jeffreysDivergence([0.5, 0.5], [1, 0])).toBe(Infinity);
    expect(wasm.renyiEntropy([1e308, 1e308, 1e308], 2, { normalize: true })).toBeCloseTo(Math.log(3), 14);
    expect(wasm.renyiEntropy([1e308, 1e308], 3, { normalize: false })).toBe(ref.renyiEntropy([1e308, 1e308], 3, { normalize: false }));
    const big = new Float64Array(64).fill(1 / 64), far = new Float64Array(64).fill(1e-300);
    far[0] = 1 - 63e-300;
    expect(wasm.renyiDivergence(big, far, 10)).toBeCloseTo(ref.renyiDivergence(big, far, 10), 11);
  });
});

describe("workspaces", () => {
  it("views of a workspace are read in place and give the heap arrays' values", () => {
    const ws = main.createWorkspace(1 << 20);
    try {
      const P = make("sparse", 4, 500, 21), Q = make("uniform", 4, 500, 22);
      const p = ws.f64(P.length), q = ws.f64(Q.length);
      p.set(P); q.set(Q);
      for (const fn of PAIRS) expect(W[`${fn}Rows`](p, q, 500)).toEqual(W[`${fn}Rows`](P, Q, 500));
      expect(wasm.renyiDivergenceRows(p, q, 0.7, 500)).toEqual(wasm.renyiDivergenceRows(P, Q, 0.7, 500));
      expect(wasm.renyiEntropyRows(p, 3, 500)).toEqual(wasm.renyiEntropyRows(P, 3, 500));
      ws.dispose();
      expect(() => wasm.hellingerDistance(p, q)).toThrow("hellingerDistance: p is a view of a disposed workspace");
    } finally { ws.dispose(); }
  });
});

describe("jensenShannonMany: the KL kernel against the twin's column-wise sum", () => {
  it("k = 2 … 6 rows of 40 … 3000 columns, weights, normalize, near-equal rows", () => {
    for (const [k, cols] of [[2, 40], [3, 500], [6, 3000]]) {
      const base = make("uniform", 1, cols, 5), tiled = Float64Array.from({ length: k * cols }, (_, i) => base[i % cols]);
      const P = make("sparse", k, cols, 31 + k), near = make("near", k, cols, 41 + k, tiled);
      const w = Float64Array.from({ length: k }, (_, i) => i + 1).map((v, _, a) => v / a.reduce((s, x) => s + x, 0));
      for (const x of [P, near]) for (const o of [{}, { weights: w }, { normalize: true, weights: w }, { normalize: false }]) {
        const a = wasm.jensenShannonMany(x, cols, o), b = ref.jensenShannonMany(x, cols, o);
        expect(Math.abs(a - b), `k=${k} cols=${cols} ${JSON.stringify(o)}: ${a} vs ${b}`).toBeLessThanOrEqual(1e-12 * b + 1e-14 * k);
      }
    }
    // k = 2, equal weights: the main entry's jensenShannon
    const P = make("uniform", 2, 300, 9);
    expect(Math.abs(wasm.jensenShannonMany(P, 300) - main.jensenShannon(P.subarray(0, 300), P.subarray(300)))).toBeLessThanOrEqual(1e-15);
  });
});

describe("faults at random positions: the same error from both builds", () => {
  it("one or two bad values (NaN, −1, ∞, a string) in p or q, every function, sizes around the kernels' thresholds", () => {
    const r = rng(2026);
    const fns: Array<[string, number | undefined]> = [
      ...PAIRS.map((f) => [f, undefined] as [string, undefined]),
      ["renyiEntropy", 2], ["renyiEntropy", 0.5], ["renyiDivergence", 0.7], ["renyiDivergence", 1], ["tsallisEntropy", 1.5],
    ];
    const bads: unknown[] = [NaN, -1, Infinity, "x"];
    for (let trial = 0; trial < 300; trial++) {
      const n = [5, 31, 32, 33, 1000, 8193][Math.floor(r() * 6)];
      const [fn, order] = fns[Math.floor(r() * fns.length)];
      const p: unknown[] = Array.from(make("uniform", 1, n, trial)), q: unknown[] = Array.from(make("sparse", 1, n, trial + 1));
      for (let f = 0; f < 1 + Math.floor(r() * 2); f++) {
        const target = r() < 0.5 ? p : q, bad = bads[Math.floor(r() * bads.length)];
        target[Math.floor(r() * n)] = bad;
      }
      const typed = r() < 0.5 && !p.includes("x") && !q.includes("x");
      const P = typed ? Float64Array.from(p as number[]) : p, Q = typed ? Float64Array.from(q as number[]) : q;
      const o = r() < 0.3 ? { normalize: true } : r() < 0.5 ? { normalize: false } : undefined;
      const call = (api: Api) => {
        const args: unknown[] = fn === "renyiEntropy" || fn === "tsallisEntropy" ? [P] : [P, Q];
        if (order !== undefined) args.push(order);
        try { api[fn](...args, o); return "no error"; } catch (e) { return String(e); }
      };
      const a = call(W), b = call(R);
      expect(a, `${fn} n=${n} typed=${typed} ${JSON.stringify(o)}`).toBe(b);
    }
  });
});
