// Differential fuzz of the drift family: kl-wasm/drift (WebAssembly binning, src/drift.ts)
// against kl-wasm/reference/drift (pure TS, src/reference-drift.ts), in the spirit of
// test/helpers/fuzz.ts (whose containers, cells, faults and workspaces it reuses).
//
// A case is a small record (fast-check shrinks it): the function, the value families, the
// lengths and containers of its vector arguments, the options (as picks), faults at chosen
// positions, counting getters (possibly re-entrant) and a seed from which the values are
// drawn (mulberry32). `build(case)` turns it into the vector arguments, in the order the
// library reads them, and a call that places them.
import { polluted } from "./pollution.js";
import fc from "fast-check";
import { createHash } from "node:crypto";
import * as W from "../../src/drift.js";
import * as R from "../../src/reference-drift.js";
import * as wasmDiscrete from "../../src/index.js";
import * as refDiscrete from "../../src/reference.js";
import {
  type Cell, type Container, type Env, type FaultValue, FAULT_VALUES, faultCell, makeEnv, rng,
} from "./fuzz.js";

export type DriftApi = typeof R;
export const DBUILDS: ReadonlyArray<readonly ["reference" | "wasm", DriftApi]> = [["reference", R], ["wasm", W as unknown as DriftApi]];

// ------------------------------------------------------------------ functions
export const METRICS = ["psi", "klDivergence", "jensenShannonDistance", "hellingerDistance", "totalVariation", "chebyshev"] as const;
export type MetricFn = (typeof METRICS)[number];
export const DFNS = [
  "histogram", "accumulate", "histogramEdges", "quantileEdges", ...METRICS, "categoryCounts", "wasserstein1", "ksTest",
  "driftReport",
] as const;
export type DFn = (typeof DFNS)[number];

// ------------------------------------------------------------------ values
export const FAMILIES = ["normal", "ties", "onEdges", "infinite", "subnormal", "signedZero", "huge", "constant", "wide"] as const;
export type Family = (typeof FAMILIES)[number];
export const COUNT_FAMILIES = ["counts", "sparse", "proportions", "big", "huge", "subnormal", "oneSided", "fractional"] as const;
export type CountFamily = (typeof COUNT_FAMILIES)[number];

/** The next double above / below x (finite x). */
export function nextUp(x: number): number {
  if (x !== x || x === Infinity) return x;
  if (x === 0) return 5e-324;
  const b = new Float64Array([x]), i = new BigInt64Array(b.buffer);
  i[0] += x > 0 ? 1n : -1n;
  return b[0];
}
export const nextDown = (x: number): number => -nextUp(-x);

function gauss(r: () => number): number {
  const u = Math.max(r(), 1e-300), v = r();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** n samples of a family (edges: where "onEdges" puts them). */
export function sampleValues(family: Family, n: number, seed: number, edges?: ArrayLike<number>): number[] {
  const r = rng(seed), out: number[] = new Array(n);
  const mu = (r() - 0.5) * 20, sigma = Math.pow(10, -2 + 4 * r());
  const pool = Array.from({ length: 1 + Math.floor(r() * 6) }, () => Math.round((r() - 0.5) * 10));
  const c = r() < 0.2 ? 0 : (r() - 0.5) * 100;
  for (let i = 0; i < n; i++) {
    let v: number;
    switch (family) {
      case "ties": v = pool[Math.floor(r() * pool.length)]; break;
      case "onEdges": {
        const e = edges !== undefined && edges.length > 0 ? edges : [0, 0.25, 0.5, 0.75, 1];
        const k = e[Math.floor(r() * e.length)], u = r();
        v = u < 0.6 ? k : u < 0.8 ? nextUp(k) : nextDown(k);
        break;
      }
      case "infinite": { const u = r(); v = u < 0.05 ? Infinity : u < 0.1 ? -Infinity : mu + sigma * gauss(r); break; }
      case "subnormal": { const u = r(); v = u < 0.3 ? 5e-324 * Math.ceil(r() * 8) * (r() < 0.5 ? -1 : 1) : u < 0.5 ? (r() - 0.5) * 1e-310 : u < 0.6 ? 0 : u < 0.7 ? -0 : (r() - 0.5) * 1e-300; break; }
      case "signedZero": { const u = r(); v = u < 0.3 ? -0 : u < 0.6 ? 0 : (r() - 0.5) * 2; break; }
      case "huge": { const u = r(); v = u < 0.2 ? 1.7976931348623157e308 * (r() < 0.5 ? -1 : 1) : (r() - 0.5) * 1e308; break; }
      case "constant": v = c; break;
      case "wide": v = (r() < 0.5 ? -1 : 1) * Math.pow(10, -300 + 600 * r()); break;
      default: v = mu + sigma * gauss(r);
    }
    out[i] = v;
  }
  return out;
}

/** n counts (non-negative) of a family. */
export function countValues(family: CountFamily, n: number, seed: number, side: 0 | 1): number[] {
  const r = rng(seed * 2 + side), out: number[] = new Array(n);
  for (let i = 0; i < n; i++) {
    let v: number;
    switch (family) {
      case "sparse": v = r() < 0.6 ? 0 : Math.floor(r() * 50); break;
      case "proportions": v = r(); break;
      case "big": v = 1e15 + Math.floor(r() * 3); break;
      case "huge": v = r() < 0.5 ? 1.7e308 * r() : r() * 10; break;
      case "subnormal": v = r() < 0.5 ? 5e-324 * Math.floor(r() * 5) : r() < 0.5 ? 0 : 1e-310 * r(); break;
      case "oneSided": v = side === 0 ? (i % 2 === 0 ? 0 : 1 + Math.floor(r() * 9)) : (i % 3 === 0 ? 0 : 1 + Math.floor(r() * 9)); break;
      case "fractional": v = r() < 0.2 ? 0 : r() * 1e-3; break;
      default: v = Math.floor(r() * (r() < 0.5 ? 5 : 1000));
    }
    out[i] = v;
  }
  // a side that sums to 0 now and then (an error both builds must name alike)
  if (n > 0 && r() < 0.03) out.fill(0);
  return out;
}

/** Categories: small integers, strings, -0/0, ±Infinity, missing values now and then. */
export function categoryValues(n: number, seed: number, strings: "none" | "only" | "mixed"): unknown[] {
  const r = rng(seed), out: unknown[] = new Array(n);
  const words = ["a", "b", "B", "é", "", "1", "10", "z\u0000", "\ud83d\ude00"];
  for (let i = 0; i < n; i++) {
    const s = strings === "only" || (strings === "mixed" && r() < 0.5);
    if (s) out[i] = words[Math.floor(r() * words.length)];
    else {
      const u = r();
      out[i] = u < 0.05 ? -0 : u < 0.08 ? Infinity : u < 0.1 ? -Infinity : u < 0.12 ? 1.5 : Math.floor(r() * 6) - 1;
    }
  }
  return out;
}

// ------------------------------------------------------------------ cases
export type Len = number;
const lenArb: fc.Arbitrary<number> = fc.oneof(
  { weight: 20, arbitrary: fc.integer({ min: 1, max: 24 }) },
  { weight: 14, arbitrary: fc.integer({ min: 155, max: 165 }) },
  { weight: 8, arbitrary: fc.integer({ min: 166, max: 2500 }) },
  { weight: 3, arbitrary: fc.constantFrom(8190, 8191, 8192, 8193, 8194, 16383, 16384, 16385) },
  { weight: 1, arbitrary: fc.integer({ min: 20000, max: 36000 }) },
);
const smallLenArb = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 1, max: 24 }) },
  { weight: 2, arbitrary: fc.integer({ min: 25, max: 400 }) },
);

const containerArb = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom<Container>("array", "f64") },
  { weight: 3, arbitrary: fc.constantFrom<Container>("f32", "ws64", "ws32") },
  { weight: 2, arbitrary: fc.constantFrom<Container>("f64sub", "ws64sub", "ws32sub", "ws64b") },
  { weight: 1, arbitrary: fc.constantFrom<Container>("i32", "u8", "i16") },
);

export interface Fault { arg: number; frac: number; where: "random" | "first" | "last" | "chunk"; value: FaultValue }
export interface Getter { arg: number; frac: number }

export interface DCase {
  fn: DFn;
  family: Family;
  family2: Family;
  countFamily: CountFamily;
  lens: number[];
  kinds: Container[];
  /** Option picks: each an index into the function's own choices (see build). */
  picks: number[];
  faults: Fault[];
  getters: Getter[];
  reenter: boolean;
  /** Option values behind counting getters, re-entrant when `reenter`. */
  optionGetters: boolean;
  /** 0: bad option values may be picked (each with a chance of 1/3); else only good ones. */
  badOptions: number;
  /** A whole vector argument replaced by something that is not a vector (NOT_VECTORS[value]) in the faulted run. */
  argFault?: { arg: number; value: number };
  seed: number;
}

const FN_WEIGHTS: Record<DFn, number> = {
  histogram: 6, accumulate: 3, histogramEdges: 3, quantileEdges: 2, psi: 2, klDivergence: 2, jensenShannonDistance: 2,
  hellingerDistance: 1, totalVariation: 1, chebyshev: 1, categoryCounts: 2, wasserstein1: 2, ksTest: 2, driftReport: 3,
};

export function caseArb(faults: { min: number; max: number }, fns: readonly DFn[] = DFNS): fc.Arbitrary<DCase> {
  const fnArb = fc.oneof(...fns.map((f) => ({ weight: FN_WEIGHTS[f], arbitrary: fc.constant(f) })));
  return fc.record({
    fn: fnArb,
    family: fc.constantFrom(...FAMILIES),
    family2: fc.constantFrom(...FAMILIES),
    countFamily: fc.constantFrom(...COUNT_FAMILIES),
    lens: fc.array(lenArb, { minLength: 4, maxLength: 4 }),
    kinds: fc.array(containerArb, { minLength: 4, maxLength: 4 }),
    picks: fc.array(fc.nat({ max: 1 << 20 }), { minLength: 12, maxLength: 12 }),
    faults: fc.array(fc.record({
      arg: fc.nat({ max: 5 }),
      frac: fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
      where: fc.constantFrom<Fault["where"]>("random", "random", "first", "last", "chunk"),
      value: fc.constantFrom(...FAULT_VALUES),
    }), { minLength: faults.min, maxLength: faults.max }),
    getters: fc.array(fc.record({ arg: fc.nat({ max: 5 }), frac: fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }) }), { maxLength: 5 }),
    reenter: fc.boolean(),
    optionGetters: fc.boolean(),
    badOptions: fc.nat({ max: 3 }),
    argFault: fc.option(fc.record({ arg: fc.nat({ max: 5 }), value: fc.nat({ max: 1000 }) }), { nil: undefined, freq: 6 }),
    seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  });
}

// ------------------------------------------------------------------ built cases
/** One vector argument: its container and cells (what reading x[i] gives). */
export interface ArgSpec { name: string; kind: Container; cells: Cell[] }

export interface Built {
  args: ArgSpec[];
  /** The options for these materialised arguments (fresh objects each time: `out` arrays are written). */
  options: (xs: unknown[]) => unknown;
  call: (api: DriftApi, xs: unknown[], options: unknown) => unknown;
  /** Paths of the result whose values come from the discrete family's KL / JS (bounded, not identical, across builds). */
  approx: (path: string) => "kl" | "js" | null;
  /** For clean histogram-like cases: the expected counts by an independent binning (see oracleBins). */
  oracle?: (read: number[][]) => unknown;
}

const pick = <T>(c: DCase, k: number, xs: readonly T[]): T => xs[c.picks[k] % xs.length];
/** An option value: one of `good`, or in a case with bad options now and then one of `bad`. */
const opt = <T>(c: DCase, k: number, good: readonly T[], bad: readonly unknown[] = []): T =>
  bad.length > 0 && c.badOptions === 0 && (c.picks[k] >> 5) % 3 === 0 ? bad[(c.picks[k] >> 7) % bad.length] as T : pick(c, k, good);
const cellsOf = (values: readonly unknown[]): Cell[] => values.map((v) => ({ t: "v", v }));
const nums = (cs: Cell[]): number[] => cs.map((c) => (c as { v: number }).v);

const RULES = ["auto", "fd", "doane", "scott", "rice", "sturges", "sqrt"] as const;

/** Edges for histogram-like functions: uniform, a rule's, quantiles, arbitrary, near-uniform, degenerate. */
function makeEdges(c: DCase, values: number[]): number[] {
  const r = rng(c.seed ^ 0x5bd1e995);
  const finite = values.filter((v) => Number.isFinite(v));
  let lo = finite.length ? Math.min(...finite.slice(0, 5000)) : 0, hi = finite.length ? Math.max(...finite.slice(0, 5000)) : 1;
  if (!(hi > lo) || !Number.isFinite(hi - lo)) { lo = lo === 0 && hi === 0 ? -1 : Math.min(lo, 0); hi = lo + 2; }
  if (!Number.isFinite(hi - lo)) { lo = -1e307; hi = 1e307; }
  const k = pick(c, 0, [1, 2, 3, 5, 7, 10, 16, 31, 50, 100, 300]);
  const kind = pick(c, 1, ["linspace", "linspace", "rule", "quantile", "random", "nearUniform", "duplicates", "tinyWidth", "inner"]);
  const lin = (a: number, b: number, m: number) => Array.from({ length: m + 1 }, (_, i) => (i === m ? b : a + (i * (b - a)) / m));
  try {
    switch (kind) {
      case "rule": return Array.from(R.histogramEdges(finite.length ? finite : [0], { bins: pick(c, 2, RULES) })).slice(0, 20001);
      case "quantile": {
        const q = Array.from(R.quantileEdges(finite.length ? finite : [0], k));
        return q.length >= 2 ? q : [q[0] - 1, q[0] + 1];
      }
      case "random": {
        const e = Array.from({ length: k + 1 }, () => lo + (hi - lo) * r()).sort((a, b) => a - b);
        return e;
      }
      case "nearUniform": {
        const e = lin(lo, hi, Math.max(k, 2)), i = 1 + Math.floor(r() * (e.length - 2));
        e[i] = r() < 0.5 ? nextUp(nextUp(e[i])) : e[i] + (e[i + 1] - e[i]) * 0.3;
        return e;
      }
      case "duplicates": {
        const e = lin(lo, hi, Math.max(k, 2)), i = Math.floor(r() * (e.length - 1));
        e[i + 1] = e[i];
        return e;
      }
      case "tinyWidth": { const m = 1e10 * (r() < 0.5 ? 1 : -1); return lin(m, m + 1e-5 * k, k); }
      case "inner": { const a = lo + (hi - lo) * 0.25, b = lo + (hi - lo) * 0.75; return lin(a, b > a ? b : a + 1, k); }
      default: return lin(lo, hi, k);
    }
  } catch {
    return lin(lo, hi, k);
  }
}

/** NumPy's binning, written here from its rule: searchsorted(edges, v, "right") - 1, v = last edge in the last bin. */
export function oracleBins(values: number[], edges: number[]): { counts: number[]; under: number; over: number; nan: number } {
  const m = edges.length - 1, counts = new Array<number>(m).fill(0);
  let under = 0, over = 0, nan = 0;
  for (const v of values) {
    if (v !== v) { nan++; continue; }
    if (v < edges[0]) { under++; continue; }
    if (v > edges[m]) { over++; continue; }
    if (v === edges[m]) { counts[m - 1]++; continue; }
    let a = 0, b = edges.length; // first index with edges[i] > v
    while (a < b) { const h = (a + b) >> 1; if (edges[h] <= v) a = h + 1; else b = h; }
    counts[a - 1]++;
  }
  return { counts, under, over, nan };
}

const SMOOTHINGS: unknown[] = [
  undefined, undefined, "none", { add: 1 }, { add: 0.5 }, { floor: 1e-4 }, { floor: 0.3 }, { clip: 1e-3 }, { clip: 0.2 },
  { add: 1e-300 }, { floor: 5e-324 },
];
const BAD_SMOOTHINGS: unknown[] = [{ add: 0 }, { floor: 1 }, "laplace", { add: 1, floor: 0.1 }, { clip: NaN }, {}, { add: "1" }];

/** Builds the arguments and the call of a case (deterministic in the case). */
export function build(c: DCase): Built {
  const s = (i: number) => c.seed + 7919 * i;
  const none = () => null;
  switch (c.fn) {
    case "histogram": {
      const values = sampleValues(c.family, c.lens[0], s(1));
      const edges = makeEdges(c, values);
      const vals = c.family === "onEdges" ? sampleValues("onEdges", c.lens[0], s(1), edges) : values;
      const nan = opt(c, 3, [undefined, undefined, "raise", "ignore", "ignore"], ["skip"]);
      const out = opt(c, 4, [undefined, undefined, undefined, "right"], ["short", "f32"]);
      let given: unknown; // the out array of the last options made (not read back through a counting getter)
      return {
        args: [
          { name: "edges", kind: pick(c, 5, ["array", "f64", "f32", "array"]) as Container, cells: cellsOf(edges) },
          { name: "samples", kind: c.kinds[0], cells: cellsOf(vals) },
        ],
        options: () => {
          const o: Record<string, unknown> = {};
          if (nan !== undefined) o.nan = nan;
          if (out === "right") o.out = new Float64Array(edges.length - 1).fill(7);
          if (out === "short") o.out = new Float64Array(Math.max(0, edges.length - 2));
          if (out === "f32") o.out = new Float32Array(edges.length - 1);
          given = o.out;
          return Object.keys(o).length ? o : pick(c, 6, [undefined, {}]);
        },
        call: (api, [e, x], o) => {
          const res = api.histogram(x as number[], e as number[], o as W.HistogramOptions);
          if (given !== undefined && res.counts !== given) throw new Error("histogram: the result's counts are not the out array");
          return res;
        },
        approx: none,
        oracle: ([e, x]) => {
          const b = oracleBins(x, e);
          return { counts: b.counts, under: b.under, over: b.over, nan: b.nan };
        },
      };
    }
    case "accumulate": {
      const v1 = sampleValues(c.family, c.lens[0], s(1));
      const edges = makeEdges(c, v1);
      const v2 = sampleValues(c.family2, c.lens[1], s(2), edges), v3 = sampleValues(c.family, Math.min(c.lens[2], 3000), s(3), edges);
      const nan = pick(c, 3, [undefined, "ignore", "raise"]);
      const mergeFrom = pick(c, 4, ["same", "other", "json", "self"]);
      return {
        args: [
          { name: "edges", kind: pick(c, 5, ["array", "f64"]) as Container, cells: cellsOf(edges) },
          { name: "first", kind: c.kinds[0], cells: cellsOf(v1) },
          { name: "second", kind: c.kinds[1], cells: cellsOf(v2) },
          ...(mergeFrom === "self" ? [] : [{ name: "third", kind: c.kinds[2], cells: cellsOf(v3) }]),
        ],
        options: () => (nan === undefined ? undefined : { nan }),
        call: (api, [e, x1, x2, x3], o) => {
          const other = api === R ? (W as unknown as DriftApi) : R;
          const h = api.createHistogram(e as number[]);
          h.add(x1 as number[], o as W.AddOptions);
          h.add(x2 as number[], { nan: "ignore" });
          let g: W.Histogram;
          if (mergeFrom === "self") g = h;
          else {
            g = (mergeFrom === "other" ? other : api).createHistogram(h.edges).add(x3 as number[], { nan: "ignore" });
            if (mergeFrom === "json") g = api.Histogram.fromJSON(JSON.stringify(g));
          }
          h.merge(g);
          return { json: h.toJSON(), total: h.total };
        },
        approx: none,
        oracle: ([e, x1, x2, x3]) => {
          const a = oracleBins(x1, e), b = oracleBins(x2, e), d = oracleBins(mergeFrom === "self" ? [] : x3, e);
          const k = mergeFrom === "self" ? 2 : 1;
          const counts = a.counts.map((v, i) => k * (v + b.counts[i]) + d.counts[i]);
          const under = k * (a.under + b.under) + d.under, over = k * (a.over + b.over) + d.over;
          return {
            json: { type: "kl-wasm/histogram", version: 1, edges: e.map((v) => v + 0), counts, under, over, nan: k * (a.nan + b.nan) + d.nan },
            total: counts.reduce((p, q) => p + q, 0) + under + over,
          };
        },
      };
    }
    case "histogramEdges": {
      const values = sampleValues(c.family, c.lens[0], s(1));
      const bins = opt(c, 0, [undefined, 1, 2, 10, 37, ...RULES, ...RULES], [0, 2.5, "stone", "10"]);
      const finite = values.filter(Number.isFinite);
      const lo = finite.length ? finite[0] : 0, hi = finite.length ? finite[finite.length - 1] : 1;
      const range = opt(c, 1, [undefined, undefined, [Math.min(lo, hi), Math.max(lo, hi)], [-1, 1], [0, 0]], [[2, 1], [0, Infinity], [0, "1"]]);
      const nan = opt(c, 2, [undefined, "ignore", "raise"], ["skip"]);
      return {
        args: [{ name: "samples", kind: c.kinds[0], cells: cellsOf(values) }],
        options: () => {
          const o: Record<string, unknown> = {};
          if (bins !== undefined) o.bins = bins;
          if (range !== undefined) o.range = (range as unknown[]).slice();
          if (nan !== undefined) o.nan = nan;
          return Object.keys(o).length ? o : undefined;
        },
        call: (api, [x], o) => api.histogramEdges(x as number[], o as W.EdgeOptions),
        approx: none,
      };
    }
    case "quantileEdges": {
      const values = sampleValues(c.family, c.lens[0], s(1));
      const bins = opt(c, 0, [1, 2, 4, 10, 10, 33, 100], [0, 1.5, "4"]);
      const nan = opt(c, 2, [undefined, "ignore", "raise"], [null]);
      return {
        args: [{ name: "samples", kind: c.kinds[0], cells: cellsOf(values) }],
        options: () => (nan === undefined ? undefined : { nan }),
        call: (api, [x], o) => api.quantileEdges(x as number[], bins as number, o as W.QuantileEdgeOptions),
        approx: none,
      };
    }
    case "psi": case "klDivergence": case "jensenShannonDistance": case "hellingerDistance": case "totalVariation": case "chebyshev": {
      const fn = c.fn;
      const mode = pick(c, 0, ["counts", "counts", "samples", "samples", "edges"]);
      const smoothing = opt(c, 1, SMOOTHINGS, BAD_SMOOTHINGS);
      const extra: Record<string, unknown> = {};
      if (fn === "klDivergence") {
        const d = opt(c, 2, [undefined, "forward", "reverse"], ["backward"]);
        if (d !== undefined) extra.direction = d;
      }
      if (fn === "klDivergence" || fn === "jensenShannonDistance") {
        const b = opt(c, 3, [undefined, undefined, 2, 10, 0.5], [1, 0, "2"]);
        if (b !== undefined) extra.base = b;
      }
      const args: ArgSpec[] = [];
      let sampleOpts: Record<string, unknown> = {};
      if (mode === "counts") {
        const n = Math.min(c.lens[0], 3000);
        args.push({ name: "reference", kind: c.kinds[0], cells: cellsOf(countValues(c.countFamily, n, s(1), 0)) });
        args.push({ name: "current", kind: c.kinds[1], cells: cellsOf(countValues(c.countFamily, opt(c, 4, [n], [n + 1]), s(1), 1)) });
        if (opt(c, 5, [false], [true])) sampleOpts = { outside: "clip" }; // sample-only option on counts: an error
      } else {
        const a = sampleValues(c.family, c.lens[0], s(1)), b = sampleValues(c.family2, c.lens[1], s(2));
        if (mode === "edges") {
          const e = makeEdges(c, a);
          args.push({ name: "bins", kind: pick(c, 6, ["array", "f64", "f32"]) as Container, cells: cellsOf(e) });
        } else {
          sampleOpts.bins = opt(c, 6, [1, 3, 10, 10, 40, ...RULES], [0, "many"]);
          const ef = opt(c, 7, [undefined, "reference", "both"], ["current"]);
          if (ef !== undefined) sampleOpts.edgesFrom = ef;
          const fin = a.filter(Number.isFinite);
          const rg = opt(c, 8, [undefined, undefined, undefined, fin.length ? [fin[0], fin[0] + 1] : [0, 1], [-1, 1]], [[1, -1], [0]]);
          if (rg !== undefined) sampleOpts.range = rg;
        }
        const out = opt(c, 9, [undefined, "extend", "clip", "ignore"], ["drop"]);
        if (out !== undefined) sampleOpts.outside = out;
        const nan = opt(c, 10, [undefined, "ignore", "raise"], [true]);
        if (nan !== undefined) sampleOpts.nan = nan;
        args.push({ name: "reference", kind: c.kinds[0], cells: cellsOf(a) });
        args.push({ name: "current", kind: c.kinds[1], cells: cellsOf(mode === "edges" || c.family2 !== "onEdges" ? b : sampleValues("onEdges", c.lens[1], s(2), makeEdges(c, a))) });
      }
      const edgesArg = mode === "edges";
      return {
        args,
        options: (xs) => {
          const o: Record<string, unknown> = { ...extra, ...sampleOpts };
          if (o.range !== undefined) o.range = (o.range as unknown[]).slice();
          if (smoothing !== undefined) o.smoothing = typeof smoothing === "object" ? { ...smoothing } : smoothing;
          if (edgesArg) o.bins = xs[0];
          return Object.keys(o).length || pick(c, 11, [true, false]) ? o : undefined;
        },
        call: (api, xs, o) => {
          const [x, y] = edgesArg ? xs.slice(1) : xs;
          return (api[fn] as (a: unknown, b: unknown, o: unknown) => number)(x, y, o);
        },
        approx: (path) => (path === "" && fn === "klDivergence" ? "kl" : path === "" && fn === "jensenShannonDistance" ? "js" : null),
      };
    }
    case "categoryCounts": {
      const strings = pick(c, 0, ["none", "only", "mixed"] as const);
      const a = categoryValues(Math.min(c.lens[0], 3000), s(1), strings), b = categoryValues(Math.min(c.lens[1], 3000), s(2), strings);
      const kind = (k: Container): Container => (strings === "none" ? k : "array");
      const nan = opt(c, 1, [undefined, "ignore", "raise"], ["omit"]);
      return {
        args: [
          { name: "reference", kind: kind(c.kinds[0]), cells: cellsOf(a) },
          { name: "current", kind: kind(c.kinds[1]), cells: cellsOf(b) },
        ],
        options: () => (nan === undefined ? undefined : { nan }),
        call: (api, [x, y], o) => api.categoryCounts(x as unknown[], y as unknown[], o as W.CategoryOptions),
        approx: none,
      };
    }
    case "wasserstein1": {
      const a = sampleValues(c.family, Math.min(c.lens[0], 20000), s(1)), b = sampleValues(c.family2, Math.min(c.lens[1], 20000), s(2));
      const weights = pick(c, 0, ["none", "none", "u", "v", "both"]);
      const args: ArgSpec[] = [
        { name: "u", kind: c.kinds[0], cells: cellsOf(a) },
        { name: "v", kind: c.kinds[1], cells: cellsOf(b) },
      ];
      const wv = (n: number, k: number) => {
        const r = rng(s(10 + k));
        const w = Array.from({ length: n }, () => (r() < 0.2 ? 0 : r() * 10));
        if (opt(c, 1, [false], [true])) w.fill(0); // a zero total: an error
        return opt(c, 2, [false], [true]) ? w.concat([1]) : w; // a wrong length
      };
      const hasU = weights === "u" || weights === "both", hasV = weights === "v" || weights === "both";
      if (hasU) args.push({ name: "uWeights", kind: c.kinds[2], cells: cellsOf(wv(a.length, 0)) });
      if (hasV) args.push({ name: "vWeights", kind: c.kinds[3], cells: cellsOf(wv(b.length, 1)) });
      return {
        args,
        options: (xs) => {
          if (!hasU && !hasV) return pick(c, 3, [undefined, {}]);
          const o: Record<string, unknown> = {};
          if (hasU) o.uWeights = xs[2];
          if (hasV) o.vWeights = xs[hasU ? 3 : 2];
          return o;
        },
        call: (api, [u, v], o) => api.wasserstein1(u as number[], v as number[], o as W.WassersteinOptions),
        approx: none,
      };
    }
    case "ksTest": {
      const method = opt(c, 0, [undefined, "auto", "exact", "asymptotic", "asymp"], ["exactly"]);
      const alternative = opt(c, 1, [undefined, "two-sided", "less", "greater"], ["l"]);
      // the exact p-value is O(n m): long samples take the asymptotic one
      let n = c.lens[0], m = c.lens[1];
      if (method !== "asymptotic" && method !== "asymp" && n * m > 4e6) { n = Math.min(n, 2000); m = Math.min(m, 2000); }
      const a = sampleValues(c.family, n, s(1)), b = sampleValues(c.family2, m, s(2));
      return {
        args: [
          { name: "u", kind: c.kinds[0], cells: cellsOf(a) },
          { name: "v", kind: c.kinds[1], cells: cellsOf(b) },
        ],
        options: () => {
          const o: Record<string, unknown> = {};
          if (method !== undefined) o.method = method;
          if (alternative !== undefined) o.alternative = alternative;
          return Object.keys(o).length ? o : undefined;
        },
        call: (api, [u, v], o) => api.ksTest(u as number[], v as number[], o as W.KsTestOptions),
        approx: none,
      };
    }
    case "driftReport": {
      const matrix = pick(c, 0, [false, false, true]);
      const preset = opt(c, 1, [undefined, undefined, "evidently", "nannyml"], ["alibi"]);
      const metricSets: Array<string[] | undefined> = preset === undefined
        ? [undefined, undefined, ["psi", "klDivergence"], ["jensenShannonDistance", "hellingerDistance", "totalVariation", "chebyshev"], ["wasserstein1", "ksTest", "psi"]]
        : preset === "evidently" ? [undefined, undefined, ["psi", "klDivergence", "hellingerDistance"], ["ksTest", "wasserstein1"]]
          : [undefined, undefined, ["jensenShannonDistance", "chebyshev"], ["wasserstein1", "ksTest", "hellingerDistance"]];
      const metrics = opt(c, 2, metricSets, [[], ["psi", "bogus"], ["chebyshev", "totalVariation"]]);
      const bins = opt(c, 3, [undefined, undefined, 5, 20, "doane", "fd", "auto"], [0]);
      const smoothing = opt(c, 4, [undefined, undefined, undefined, { add: 1 }, { floor: 1e-3 }, "none"], [{ clip: 2 }]);
      const threshold = opt(c, 5, [undefined, undefined, 0.2, 0, { psi: 0.05, ksTest: 0.5, wasserstein1: 0.3 }], [{ psi: "x" }, Infinity]);
      const nan = opt(c, 6, [undefined, undefined, "ignore", "raise"], ["skip"]);
      const edgesFrom = preset === undefined ? opt(c, 7, [undefined, undefined, "both", "reference"], ["current"]) : undefined;
      const nCols = 1 + (c.picks[8] % 3);
      const rows = [Math.min(c.lens[0], pick(c, 9, [400, 400, 400, 3000, 12000])), Math.min(c.lens[1], pick(c, 10, [400, 400, 3000, 12000]))];
      const args: ArgSpec[] = [];
      const colNames = ["a", "b", "c"].slice(0, nCols);
      const kinds: Array<"numeric" | "categorical"> = colNames.map((_, j) => (matrix || (c.picks[11] >> j) % 3 !== 0 ? "numeric" : "categorical"));
      let columns: unknown;
      if (matrix) {
        for (const side of [0, 1] as const) {
          const fam = side === 0 ? c.family : c.family2, vals: number[] = [];
          const per = colNames.map((_, j) => sampleValues(j === 1 ? "ties" : fam, rows[side], s(20 + 3 * side + j)));
          for (let i = 0; i < rows[side]; i++) for (let j = 0; j < nCols; j++) vals.push(per[j][i]);
          args.push({ name: side === 0 ? "reference" : "current", kind: c.kinds[side], cells: cellsOf(vals) });
        }
        columns = opt(c, 7, [undefined, undefined, [nCols - 1, 0]], [[nCols], ["0"]]);
      } else {
        columns = opt(c, 7, [undefined, undefined, undefined, colNames.slice().reverse()], [["zz"], [0]]);
        // the arguments in the order the columns are read: `columns`' order when it names them all
        const order = Array.isArray(columns) && columns.every((k) => colNames.includes(k as string)) ? columns as string[] : colNames;
        order.forEach((name) => {
          const j = colNames.indexOf(name);
          for (const side of [0, 1] as const) {
            const fam = side === 0 ? c.family : c.family2;
            const v = kinds[j] === "numeric" ? sampleValues(j === 1 ? "ties" : fam, rows[side], s(20 + 3 * side + j))
              : categoryValues(rows[side], s(40 + 3 * side + j), "only");
            args.push({ name: `${side === 0 ? "reference" : "current"}.${name}`, kind: kinds[j] === "numeric" ? c.kinds[side] : "array", cells: cellsOf(v) });
          }
        });
      }
      return {
        args,
        options: () => {
          const o: Record<string, unknown> = {};
          if (matrix) o.cols = nCols;
          if (preset !== undefined) o.preset = preset;
          if (metrics !== undefined) o.metrics = metrics.slice();
          if (bins !== undefined) o.bins = bins;
          if (smoothing !== undefined) o.smoothing = typeof smoothing === "object" ? { ...smoothing } : smoothing;
          if (threshold !== undefined) o.threshold = typeof threshold === "object" ? { ...threshold } : threshold;
          if (nan !== undefined) o.nan = nan;
          if (edgesFrom !== undefined) o.edgesFrom = edgesFrom;
          if (columns !== undefined) o.columns = (columns as unknown[]).slice();
          return o;
        },
        call: (api, xs, o) => {
          if (matrix) return api.driftReport(xs[0] as number[], xs[1] as number[], o as W.ReportOptions);
          const ref: Record<string, unknown> = {}, cur: Record<string, unknown> = {};
          colNames.forEach((name) => {
            const k = args.findIndex((a) => a.name === `reference.${name}`);
            ref[name] = xs[k];
            cur[name] = xs[k + 1];
          });
          return api.driftReport(ref as W.Table, cur as W.Table, o as W.ReportOptions);
        },
        approx: (path) => (/\.values\.klDivergence$/.test(path) ? "kl" : /\.values\.jensenShannonDistance$/.test(path) ? "js" : null),
      };
    }
  }
}

// ------------------------------------------------------------------ faults
/** The index a fault or getter lands on in an argument of n elements. */
export function indexIn(where: Fault["where"], frac: number, n: number): number {
  switch (where) {
    case "first": return 0;
    case "last": return n - 1;
    case "chunk": {
      const marks = [159, 160, 8191, 8192, 8193, 16383, 16384].filter((i) => i < n);
      return marks.length ? marks[Math.floor(frac * marks.length)] : Math.floor(frac * n);
    }
    default: return Math.min(n - 1, Math.floor(frac * n));
  }
}

/** The args with the case's getters and faults put in (cells of plain arrays; numbers of typed ones). */
export function faulted(c: DCase, args: ArgSpec[]): ArgSpec[] {
  const out = args.map((a) => ({ ...a, cells: a.cells.slice() }));
  if (out.length === 0) return out;
  for (const g of c.getters) {
    const a = out[g.arg % out.length];
    if (a.cells.length === 0) continue;
    const i = indexIn("random", g.frac, a.cells.length), cell = a.cells[i];
    if (cell.t === "v") a.cells[i] = { t: "get", v: cell.v, reenter: c.reenter };
  }
  for (const f of c.faults) {
    const a = out[f.arg % out.length];
    if (a.cells.length === 0) continue;
    const i = indexIn(f.where, f.frac, a.cells.length);
    a.cells[i] = faultCell(f.value, `${a.name}[${i}]`, c.reenter);
  }
  return out;
}

/** Things passed where a vector belongs (made fresh each time). */
export const NOT_VECTORS: ReadonlyArray<readonly [string, (env: Env) => unknown]> = [
  ["null", () => null], ["undefined", () => undefined], ["number", () => 5], ["string", () => "1,2,3"],
  ["arrayLike", () => ({ length: 2, 0: 1, 1: 2 })], ["nullProto", () => Object.create(null)], ["Map", () => new Map([[0, 1]])],
  ["function", () => () => 1], ["DataView", () => new DataView(new ArrayBuffer(16))], ["BigInt64Array", () => new BigInt64Array(2)],
  ["empty", () => []], ["emptyF64", () => new Float64Array(0)], ["emptyF32sub", () => new Float32Array(4).subarray(2, 2)],
  ["detached", (env) => { const w = wasmDiscrete.createWorkspace(1024); const v = w.f64(4); w.dispose(); void env; return v; }],
  ["boxed", () => Object.assign([1, 2, 3], { extra: true })], ["sparse", () => { const a: number[] = []; a[3] = 1; return a; }],
  ["strings", () => ["1", "2"]], ["nested", () => [[1], [2]]],
];

// ------------------------------------------------------------------ outcomes
export type Leaf = [path: string, value: unknown];
export type DOutcome = { ok: true; leaves: Leaf[] } | { ok: false; cls: string; msg: string };

/** Arrays of numbers longer than this become one leaf, a digest of their values (below). */
const DIGEST_FROM = 2 ** 16;

/** SHA-256 of the values as float64, every NaN as one NaN: equal exactly when Object.is holds element by element
 *  (up to SHA-256 collisions). A rule can ask for up to 2^28 bins: one leaf (a path string and a pair) per value
 *  took the fuzz's heap past 4 GB (FUZZ_RUNS=4000, FUZZ_SEED=29: histogramEdges of a "wide" sample). */
function digest(a: ArrayLike<number>): string {
  const f = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) f[i] = a[i] === a[i] ? a[i] : NaN;
  return createHash("sha256").update(new Uint8Array(f.buffer)).digest("hex");
}

/** Every leaf of a result (numbers, strings, booleans, null) with its path; typed arrays and arrays by index (numeric
 *  ones longer than DIGEST_FROM as one digest leaf). */
export function flatten(v: unknown, path = "", out: Leaf[] = []): Leaf[] {
  if (v !== null && typeof v === "object") {
    if (ArrayBuffer.isView(v) || Array.isArray(v)) {
      const a = v as ArrayLike<unknown>;
      out.push([`${path}#type`, ArrayBuffer.isView(v) ? (v as object).constructor.name : "Array"]);
      const numeric = (ArrayBuffer.isView(v) && !(v instanceof DataView) && !(v instanceof BigInt64Array) && !(v instanceof BigUint64Array)) ||
        (Array.isArray(v) && v.every((x) => typeof x === "number"));
      if (a.length > DIGEST_FROM && numeric) out.push([`${path}#digest(${a.length})`, digest(a as ArrayLike<number>)]);
      else for (let i = 0; i < a.length; i++) flatten(a[i], `${path}[${i}]`, out);
    } else {
      const proto = Object.getPrototypeOf(v);
      if (proto !== Object.prototype && proto !== null) out.push([`${path}#class`, (v as object).constructor?.name]);
      for (const k of Object.keys(v).sort()) flatten((v as Record<string, unknown>)[k], path === "" ? k : `${path}.${k}`, out);
    }
  } else out.push([path, v]);
  return out;
}

export function doutcome(f: () => unknown): DOutcome {
  try {
    return { ok: true, leaves: flatten(f()) };
  } catch (e) {
    if (e instanceof Error) return { ok: false, cls: e.constructor.name, msg: e.message };
    return { ok: false, cls: "(thrown non-Error)", msg: String(e) };
  }
}

const fmt = (v: unknown) => (Object.is(v, -0) ? "-0" : typeof v === "string" ? JSON.stringify(v) : String(v));
export function dshow(o: DOutcome): string {
  if (!o.ok) return `${o.cls}: ${o.msg}`;
  const s = o.leaves.filter(([p]) => !p.endsWith("#type")).slice(0, 10).map(([p, v]) => `${p}=${fmt(v)}`).join(", ");
  return `{ ${s}${o.leaves.length > 10 ? ", ..." : ""} }`;
}

/** Object.is on every leaf, or the same error class and message. */
export function identical(a: DOutcome, b: DOutcome): boolean {
  if (!a.ok || !b.ok) return !a.ok && !b.ok && a.cls === b.cls && a.msg === b.msg;
  return a.leaves.length === b.leaves.length && a.leaves.every(([p, v], i) => p === b.leaves[i][0] && Object.is(v, b.leaves[i][1]));
}

/** The first leaf that differs (or a shape difference), for messages. */
export function firstDifference(a: DOutcome, b: DOutcome): string {
  if (!a.ok || !b.ok) return `${dshow(a)}  vs  ${dshow(b)}`;
  for (let i = 0; i < Math.max(a.leaves.length, b.leaves.length); i++) {
    const x = a.leaves[i], y = b.leaves[i];
    if (x === undefined || y === undefined || x[0] !== y[0] || !Object.is(x[1], y[1])) {
      return `${x ? `${x[0]}=${fmt(x[1])}` : "(none)"}  vs  ${y ? `${y[0]}=${fmt(y[1])}` : "(none)"}`;
    }
  }
  return "(identical)";
}

// ------------------------------------------------------------------ the environment
export interface DEnv extends Env {
  /** Drift calls of both builds made inside re-entrant getters, with their first results. */
  driftNested: () => void;
}

/** fuzz.ts's environment (workspaces with live sentinel views, discrete nested calls), plus nested drift calls. */
export function makeDriftEnv(): DEnv {
  const env = makeEnv() as DEnv;
  const r = rng(4242);
  const big = Float64Array.from({ length: 9000 }, () => r() * 10 - 2), big32 = Float32Array.from(big);
  const small = [0.5, 1.5, 2.5, 3.5, 9];
  const ws = env.ws2.f64(400);
  for (let i = 0; i < ws.length; i++) ws[i] = r() * 4;
  const edges = [0, 1, 2, 3, 4, 5, 6, 7], odd = [0, 0.3, 1.7, 2, 5, 8];
  const calls = (): unknown[] => {
    const got: unknown[] = [];
    for (const api of [W as unknown as DriftApi, R]) {
      got.push(...api.histogram(big, edges).counts, ...api.histogram(big32, odd).counts, ...api.histogram(ws, edges).counts);
      got.push(...api.createHistogram(odd).add(small).add(big).counts);
      got.push(api.psi(big, ws, { bins: 7 }), api.klDivergence([1, 2, 3], [3, 2, 1]), api.jensenShannonDistance(ws, big, { bins: "sturges" }));
      got.push(api.wasserstein1(small, ws), api.ksTest(small, ws).pvalue, ...api.histogramEdges(big, { bins: "fd" }));
      got.push(api.driftReport({ x: small }, { x: [1, 2, 3] }, { metrics: ["psi", "ksTest"] }).features[0].values.psi);
      got.push((() => { try { api.histogram([1, NaN], edges); return 1; } catch { return 0; } })());
    }
    got.push(wasmDiscrete.klDivergence(big.map(Math.abs), big.map((v) => v * v), { normalize: true }), refDiscrete.entropy(small, { normalize: true }));
    return got;
  };
  const want = calls();
  const discreteNested = env.nested;
  env.driftNested = () => {
    const got = calls();
    if (!got.every((v, i) => Object.is(v, want[i]))) throw new Error("nested drift calls inside a getter changed their results");
  };
  env.nested = () => {
    discreteNested();
    env.driftNested();
  };
  return env;
}

// ------------------------------------------------------------------ options with counting getters
/** Every own key of an options object (and of plain objects in it) behind a getter that counts its reads. */
export function countingOptions(o: unknown, env: DEnv, reenter: boolean, args: readonly unknown[] = []): { o: unknown; reads: Map<string, { n: number }> } {
  const reads = new Map<string, { n: number }>();
  const wrap = (v: unknown, path: string): unknown => {
    // plain objects only (not the vector arguments, whatever they are in this run)
    if (v === null || typeof v !== "object" || Object.getPrototypeOf(v) !== Object.prototype || args.includes(v)) return v;
    const out = {};
    for (const k of Object.keys(v)) {
      const inner = wrap((v as Record<string, unknown>)[k], path ? `${path}.${k}` : k), count = { n: 0 };
      reads.set(path ? `${path}.${k}` : k, count);
      Object.defineProperty(out, k, {
        get() { count.n++; if (reenter) env.nested(); return inner; }, enumerable: true, configurable: true,
      });
    }
    return out;
  };
  return { o: wrap(o, ""), reads };
}

/** Keys an inherited Object.prototype may hold that a careless `o.key` would see. */
export const POLLUTION: Record<string, unknown> = {
  bins: 3, smoothing: { add: 1 }, nan: "ignore", range: [0, 1], outside: "clip", edgesFrom: "both", direction: "reverse",
  base: 2, out: new Float64Array(3), alternative: "less", method: "asymptotic", uWeights: [1], vWeights: [1],
  columns: ["a"], cols: 2, metrics: ["psi"], threshold: 0, preset: "nannyml", add: 1, floor: 0.5, clip: 0.5,
  type: "kl-wasm/histogram", version: 1, psi: 0, ksTest: 1, eps: 0.5, normalize: false,
};

export function withPollution<T>(f: () => T): T {
  return polluted(POLLUTION, f);
}

export { nums };
