// The drift metrics on two count vectors (reference, current) or on two raw samples
// binned first: smoothing, psi, klDivergence, jensenShannonDistance, hellingerDistance,
// totalVariation, chebyshev; categoryCounts for categorical features. Built by
// makeMetrics over the pieces it needs (the discrete family's Api for KL and JS, the
// binning function and the edge rules), so it does not depend on an engine.
//
// Accuracy: proportions are never subtracted after rounding. Each side's smoothed counts are
// kept exactly (a double and its rounding error), their total as a double-double (the
// compensated sum's two parts; totals outside [2^-500, 2^500] scaled by a power of two
// first), and p_i - q_i is formed from exact products (Dekker), so psi, Hellinger, total
// variation and Chebyshev are accurate to a few ulps relative even where p and q agree to 15
// digits (counts of 1e15 that differ by 1).
import type { Api } from "../discrete/api.js";
import {
  type Vector, vector, checkOptions, checkSameLength, findBad, badValue, nonNumberType, show, logBaseOf,
} from "../core/validate.js";
import { Sum } from "../core/sum.js";
import { R as DD, quickTwoSum, twoSum, twoProd } from "../core/dd.js";
import { type BinRule, binsOption, binEdges } from "./edges.js";
import type { Binned } from "./histogram.js";


/**
 * How empty (or nearly empty) bins are treated before a metric, the same on both sides:
 * - `"none"` (the default): the proportions as they are. A divergence with q = 0 < p is
 *   +Infinity; bins empty on both sides contribute 0.
 * - `{ add: c }`, c > 0: a pseudo-count c added to every bin's count, on both sides
 *   (Laplace / Lidstone): p_i = (n_i + c) / (N + k c).
 * - `{ floor: v }`, 0 < v < 1: each side's proportions n_i / N, the bins at exactly 0 set to
 *   v, then divided by their new sum 1 + z v (z = that side's number of empty bins).
 * - `{ clip: eps }`, 0 < eps < 1: each side's proportions raised to at least eps
 *   (max(n_i / N, eps); no proportion exceeds 1), then divided by their new sum.
 */
export type Smoothing = "none" | { add: number } | { floor: number } | { clip: number };

/** Options shared by every metric: the smoothing, and how raw samples are binned. */
export interface MetricOptions {
  /** See {@link Smoothing}. Default `"none"`. */
  smoothing?: Smoothing;
  /**
   * Present: reference and current are raw samples, binned first. A positive integer
   * (equal-width bins over the data's range or `range`), a NumPy rule (`"sturges"`, `"doane"`,
   * …), or explicit edges (an array, non-decreasing, finite, at least 2). Absent: they are counts.
   */
  bins?: number | BinRule | Vector;
  /** Which data the edges come from (not for explicit edges): `"reference"` (default) or `"both"` concatenated. */
  edgesFrom?: "reference" | "both";
  /** `[lo, hi]` for the edges (np.histogram_bin_edges's range); not for explicit edges. */
  range?: readonly [number, number];
  /**
   * Samples outside the edges (either side): `"extend"` (default) adds a bin below the
   * first edge and one above the last, each only when some sample (of either side) falls
   * there; `"clip"` counts them in the first / last bin; `"ignore"` leaves them out.
   */
  outside?: "extend" | "clip" | "ignore";
  /** NaN samples: `"raise"` (default, a RangeError naming the index) or `"ignore"` (left out). */
  nan?: "raise" | "ignore";
}

/** klDivergence's options: the direction and the unit. */
export interface KlOptions extends MetricOptions {
  /** `"forward"` (default): KL(reference‖current), as Evidently's `stats.entropy(reference, current)`;
   *  `"reverse"`: KL(current‖reference). */
  direction?: "forward" | "reverse";
  /** Logarithm base; e (nats) by default. */
  base?: number;
}

/** jensenShannonDistance's options: the unit. */
export interface JsOptions extends MetricOptions {
  /** Logarithm base; e by default (SciPy's `jensenshannon` and Evidently). 2 gives a distance in [0, 1] (NannyML). */
  base?: number;
}

/** categoryCounts's options. */
export interface CategoryOptions {
  /** Missing values (NaN, null, undefined or a hole): `"raise"` (default) or `"ignore"` (left out, counted in `missing`). */
  nan?: "raise" | "ignore";
}

export type Category = number | string;

/** Two aligned count vectors over the union of the categories. */
export interface CategoryCounts {
  /** Numbers ascending (−Infinity … Infinity, −0 as 0), then strings by UTF-16 code units. */
  categories: Category[];
  reference: Float64Array;
  current: Float64Array;
  /** Missing values left out with `nan: "ignore"` (0 otherwise). */
  missing: { reference: number; current: number };
}

/** Two raw samples binned on the same edges, as every metric sees them with `bins`. */
export interface BinnedPair {
  /** The edges used (computed or given). */
  edges: Float64Array;
  /** Counts, aligned: [below the first edge,] one per bin of `edges`, [above the last edge]. */
  reference: Float64Array;
  current: Float64Array;
  /** Whether an extra bin below / above was added (`outside: "extend"` with samples out there). */
  extended: { below: boolean; above: boolean };
  /** Samples outside the edges on each side (counted, whatever `outside` did with them). */
  under: { reference: number; current: number };
  over: { reference: number; current: number };
  /** NaN samples left out with `nan: "ignore"`. */
  nan: { reference: number; current: number };
}

/** What makeMetrics needs: the discrete functions and the binning pieces. */
export interface MetricsDeps {
  discrete: Pick<Api, "klDivergence" | "jensenShannonDistance">;
  histogram: (samples: Vector, edges: Float64Array, options?: { nan?: "raise" | "ignore" }) => Binned;
}

/**
 * The metrics. Each takes (reference, current, options): count vectors (the same length,
 * non-empty, finite and >= 0, neither summing to 0; proportions r = reference / its total,
 * c = current / its total, after `smoothing`), or raw samples with `bins`. Errors: RangeError
 * or TypeError naming the function and the argument (lengths, bad counts by index, a zero
 * total, bad or unknown options, NaN samples by index unless `nan: "ignore"`).
 */
export interface Metrics {
  /** Population stability index Σ (c − r) ln(c / r) over bins not empty on both sides: symmetric,
   *  = KL(r‖c) + KL(c‖r); +Infinity where one side only is empty (smoothing "none"). */
  psi(reference: Vector, current: Vector, options?: MetricOptions): number;
  /** KL(reference‖current) (`direction: "forward"`, default) or KL(current‖reference), by the discrete
   *  family with `eps: 0`, `normalize: true`: +Infinity where the second side is empty and the first
   *  is not; never below 0. `base` (e). */
  klDivergence(reference: Vector, current: Vector, options?: KlOptions): number;
  /** √JS(r, c) by the discrete family, base e by default (in [0, √ln 2]); base 2 gives [0, 1]. Always finite. */
  jensenShannonDistance(reference: Vector, current: Vector, options?: JsOptions): number;
  /** √(½ Σ (√r − √c)²) in [0, 1] (= √(1 − Σ √(r c)), computed without its cancellation). */
  hellingerDistance(reference: Vector, current: Vector, options?: MetricOptions): number;
  /** ½ Σ |r − c| in [0, 1]. */
  totalVariation(reference: Vector, current: Vector, options?: MetricOptions): number;
  /** max |r − c| (L∞) in [0, 1]. */
  chebyshev(reference: Vector, current: Vector, options?: MetricOptions): number;
  /** The smoothed proportions every metric sees (counts, or samples with `bins`). */
  proportions(reference: Vector, current: Vector, options?: MetricOptions): { reference: Float64Array; current: Float64Array };
  /** Two samples binned as the metrics bin them (`bins` required, `smoothing` rejected): aligned counts,
   *  with the extra bins below / above first / last when `extended` says so. */
  binCounts(reference: Vector, current: Vector, options: MetricOptions & { bins: number | BinRule | Vector }): BinnedPair;
  /** Aligned counts of two arrays of categories (numbers ascending, then strings by UTF-16 code units;
   *  1 and "1" differ; -0 is 0). Missing values (NaN, null, undefined, holes): RangeError naming the
   *  index, or left out with `nan: "ignore"`; other types: TypeError. Empty arrays are allowed. */
  categoryCounts(reference: ArrayLike<unknown>, current: ArrayLike<unknown>, options?: CategoryOptions): CategoryCounts;
}

const KL_EXACT = Object.freeze({ eps: 0, normalize: true }), NORMALIZE = Object.freeze({ normalize: true });
const COMMON = ["smoothing", "bins", "edgesFrom", "range", "outside", "nan"] as const;
const SAMPLE_ONLY = ["edgesFrom", "range", "outside", "nan"] as const;

type Smooth = { kind: "none" | "add" | "floor" | "clip"; value: number };
interface Parsed {
  smoothing: Smooth;
  bins: number | string | Float64Array | undefined;
  edgesFrom: "reference" | "both";
  range: readonly [number, number] | undefined;
  outside: "extend" | "clip" | "ignore";
  nan: "raise" | "ignore";
  base: number | undefined;
  reverse: boolean;
}

function choice<T extends string>(fn: string, name: string, v: unknown, allowed: readonly T[], dflt: T): T {
  if (v === undefined) return dflt;
  if (typeof v === "string" && (allowed as readonly string[]).includes(v)) return v as T;
  throw new TypeError(`${fn}: ${name} must be ${allowed.map((a) => JSON.stringify(a)).join(" or ")}, got ${show(v)}`);
}

/** The smoothing option, checked: its object's own keys read once. */
function parseSmoothing(fn: string, s: unknown): Smooth {
  if (s === undefined || s === "none") return { kind: "none", value: 0 };
  const what = `${fn}: smoothing must be "none", { add: c }, { floor: v } or { clip: eps }`;
  if (s === null || typeof s !== "object" || Array.isArray(s)) throw new TypeError(`${what}, got ${show(s)}`);
  const o = checkOptions(fn, s as Record<string, unknown>, ["add", "floor", "clip"], "smoothing") as Record<string, unknown>;
  const keys = Object.keys(o);
  if (keys.length !== 1) throw new TypeError(`${what}, got an object with ${keys.length} keys`);
  const kind = keys[0] as "add" | "floor" | "clip", v = o[kind];
  const ok = typeof v === "number" && v > 0 && (kind === "add" ? v < Infinity : v < 1);
  if (!ok) {
    throw new RangeError(`${fn}: smoothing.${kind} must be a number ${kind === "add" ? "> 0 and finite" : "in (0, 1)"}, got ${show(v)}`);
  }
  return { kind, value: v };
}

/** The smoothing option checked once (its keys read once) into a plain object of ours, for callers that pass
 *  one smoothing to many metric calls (driftReport). */
export function smoothingOption(fn: string, s: unknown): Smoothing {
  const p = parseSmoothing(fn, s);
  return p.kind === "none" ? "none" : ({ [p.kind]: p.value } as Smoothing);
}

function parse(fn: string, options: unknown, extra: readonly string[]): Parsed {
  const o = checkOptions(fn, options as object | undefined, [...COMMON, ...extra]) as Record<string, unknown>;
  const smoothing = parseSmoothing(fn, o.smoothing);
  let bins: Parsed["bins"];
  const b = o.bins;
  if (b === undefined) {
    for (const k of SAMPLE_ONLY) {
      if (o[k] !== undefined) throw new TypeError(`${fn}: ${k} applies to raw samples only (give bins)`);
    }
  } else if (typeof b === "number" || typeof b === "string") {
    bins = binsOption(fn, b, true);
  } else {
    bins = edgesOf(fn, b);
    if (o.edgesFrom !== undefined) throw new TypeError(`${fn}: edgesFrom does not apply to explicit edges`);
    if (o.range !== undefined) throw new TypeError(`${fn}: range does not apply to explicit edges`);
  }
  let range: Parsed["range"];
  if (o.range !== undefined) {
    const r = o.range as unknown;
    if (!Array.isArray(r) || r.length !== 2) throw new TypeError(`${fn}: range must be [lo, hi], got ${show(r)}`);
    const lo: unknown = r[0], hi: unknown = r[1];
    if (typeof lo !== "number" || typeof hi !== "number" || !Number.isFinite(lo) || !Number.isFinite(hi) || lo > hi) {
      throw new RangeError(`${fn}: range must be two finite numbers with lo <= hi, got [${show(lo)}, ${show(hi)}]`);
    }
    range = [lo, hi];
  }
  const direction = choice(fn, "direction", o.direction, ["forward", "reverse"], "forward");
  logBaseOf(fn, o.base); // checked here, so that option errors come before argument errors
  return {
    smoothing, bins, range,
    edgesFrom: choice(fn, "edgesFrom", o.edgesFrom, ["reference", "both"], "reference"),
    outside: choice(fn, "outside", o.outside, ["extend", "clip", "ignore"], "extend"),
    nan: choice(fn, "nan", o.nan, ["raise", "ignore"], "raise"),
    base: o.base as number | undefined,
    reverse: direction === "reverse",
  };
}

/** Explicit edges: a copy, at least 2, finite, non-decreasing (NumPy's rule for an array of bins). */
function edgesOf(fn: string, b: unknown): Float64Array {
  const e = vector(fn, "bins", b), n = e.length, out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = e[i];
    if (!Number.isFinite(v)) {
      const t = nonNumberType(e, i);
      if (t !== undefined) throw new TypeError(`${fn}: bins[${i}] is not a number (${t})`);
      throw new RangeError(`${fn}: bins[${i}] is ${v}; edges must be finite`);
    }
    if (i > 0 && v < out[i - 1]) throw new RangeError(`${fn}: bins must be non-decreasing, but bins[${i}] = ${v} < bins[${i - 1}] = ${out[i - 1]}`);
    out[i] = v;
  }
  if (n < 2) throw new RangeError(`${fn}: bins as edges needs at least 2 of them, got ${n}`);
  return out;
}

// ---- exact arithmetic -------------------------------------------------------------------

// Exact sums and products: core/dd.ts's twoSum, quickTwoSum and twoProd (Dekker) leave the
// rounded result in DD[0] and its exact error in DD[1]. twoProd's factors here are counts, totals
// and smoothing values, at most 2^500 (larger totals are scaled first, see normalised), so the
// split cannot overflow.

/** x scaled in place by 2^k (k an integer in [-1100, 1100]): exact unless values fall below the normal range. */
function scale(x: Float64Array, k: number): void {
  if (k === 0) return;
  const h = Math.trunc(k / 2), f1 = 2 ** h, f2 = 2 ** (k - h);
  for (let i = 0; i < x.length; i++) x[i] = (x[i] * f1) * f2;
}

/**
 * One side, smoothed and scaled by a power of two: count i is c[i] + l[i] exactly (l: the
 * rounding error of a pseudo-count or of a floor v N, null when every count is a double),
 * the total equals hi + lo to about 2^-106 (relative).
 */
interface Side { c: Float64Array; l: Float64Array | null; hi: number; lo: number }

function totalOf(c: Float64Array, l: Float64Array | null = null): Sum {
  const acc = new Sum();
  for (let i = 0; i < c.length; i++) acc.add(c[i]);
  if (l !== null) for (let i = 0; i < l.length; i++) acc.add(l[i]);
  return acc;
}

/**
 * The side with its total as a double-double. A total outside [2^-500, 2^500] (or one that
 * overflows) is first scaled by a power of two into [1, 2), so that Dekker's products
 * cannot overflow; that scaling is exact except for counts that become subnormal, and those
 * counts' proportions are below 2^-1074 whatever is done. Totals in range are not scaled
 * (scaling a subnormal count down would round it).
 */
function normalised(c: Float64Array, l: Float64Array | null): Side {
  let acc = totalOf(c, l);
  if (!Number.isFinite(acc.value)) {
    scale(c, -128);
    if (l !== null) scale(l, -128);
    acc = totalOf(c, l);
  }
  let e = acc.value >= 2 ** -500 && acc.value <= 2 ** 500 ? 0 : Math.floor(Math.log2(acc.value));
  for (let round = 0; round < 3 && e !== 0; round++) {
    scale(c, -e);
    if (l !== null) scale(l, -e);
    acc = totalOf(c, l);
    e = acc.value >= 2 ? 1 : acc.value < 1 ? -1 : 0;
  }
  quickTwoSum(acc.s, acc.c); // the compensated sum's two parts as a double-double
  return { c, l, hi: DD[0], lo: DD[1] };
}

/** The smoothing applied to one side's counts (a fresh Float64Array, changed in place). */
function smoothSide(c: Float64Array, s: Smooth): Side {
  const n = c.length;
  if (s.kind === "none") return normalised(c, null);
  const l = new Float64Array(n);
  if (s.kind === "add") {
    const v = s.value;
    for (let i = 0; i < n; i++) { twoSum(c[i], v); c[i] = DD[0]; l[i] = DD[1]; }
    return normalised(c, l);
  }
  // floor and clip: a proportion v is the count v N, N = hi + lo the side's total; the
  // bins floored are those with a count of exactly 0 as given (before any scaling)
  const empty: number[] = [];
  if (s.kind === "floor") for (let i = 0; i < n; i++) if (c[i] === 0) empty.push(i);
  const side = normalised(c, null);
  twoProd(s.value, side.hi);
  const vh = DD[0], vl = DD[1] + s.value * side.lo;
  if (s.kind === "floor") for (const i of empty) { c[i] = vh; l[i] = vl; }
  else for (let i = 0; i < n; i++) if (c[i] < vh) { c[i] = vh; l[i] = vl; }
  return normalised(c, l);
}

/** p_i = (c_i + l_i) / (hi + lo), to about 1 ulp. */
const prop = (s: Side, i: number) => (s.c[i] / s.hi) * (1 - s.lo / s.hi) + (s.l === null ? 0 : s.l[i] / s.hi);

// ---- the metrics ------------------------------------------------------------------------

/** A bin's term from its proportions r (reference) and c (current), d = c − r, and its counts x, y (scaled). */
type Term = (r: number, c: number, d: number, x: number, y: number, R: Side, C: Side) => number;

/**
 * Σ term(r_i, c_i, d_i) over bins not empty on both sides (compensated), where r_i, c_i
 * are the reference's and current's proportions and d_i = c_i − r_i formed from exact
 * products: (c_i R − r_i C) / (R C) with R, C the double-double totals. Swapping the
 * sides gives exactly −d_i, so symmetric terms give symmetric sums bit for bit.
 */
function sumTerms(R: Side, C: Side, term: Term, max = false): number {
  const a = R.c, b = C.c, la = R.l, lb = C.l, acc = new Sum();
  const den = R.hi * C.hi + (R.hi * C.lo + R.lo * C.hi);
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i], y = b[i], xl = la === null ? 0 : la[i], yl = lb === null ? 0 : lb[i];
    if (x === 0 && y === 0 && xl === 0 && yl === 0) continue;
    twoProd(y, R.hi);
    const h1 = DD[0], l1 = DD[1];
    twoProd(x, C.hi);
    const h2 = DD[0], l2 = DD[1];
    const num = (h1 - h2) + ((l1 - l2) + ((y * R.lo - x * C.lo) + (yl * R.hi - xl * C.hi)));
    const t = term(prop(R, i), prop(C, i), num / den, x, y, R, C);
    if (max) { if (t > m) m = t; } else acc.add(t);
  }
  return max ? m : acc.value;
}

/**
 * ln(c / r) for 0 < r <= c (proportions of the counts x, y > 0): log1p(d / r) near c = r,
 * where d is accurate and the ratio is not; else ln of the ratio; where r is below the
 * normal range (few bits, or 0), from the counts: ln(y / x) + ln(tr / tc), tr and tc the
 * totals behind r and c.
 */
function logRatio(r: number, c: number, d: number, x: number, y: number, tr: number, tc: number): number {
  if (r >= MIN_NORMAL) {
    const t = d / r;
    return t <= 0.5 ? Math.log1p(t) : Math.log(c / r);
  }
  return (Math.log(y) - Math.log(x)) + Math.log(tr / tc);
}
const MIN_NORMAL = 2.2250738585072014e-308;

// psi's term, symmetric in the sides: computed from the smaller proportion, so that it is
// bit for bit. Empty is decided on the counts (as the discrete functions see them): a count
// of 0 on one side only is +Infinity, even where the other side's proportion underflows.
const psiTerm: Term = (r, c, d, x, y, R, C) => (x === 0 || y === 0 ? (x === y ? 0 : Infinity)
  : d < 0 ? -d * logRatio(c, r, -d, y, x, C.hi, R.hi) : d * logRatio(r, c, d, x, y, R.hi, C.hi));
const absTerm: Term = (_r, _c, d) => Math.abs(d);
const hellTerm: Term = (r, c, d) => {
  const u = Math.sqrt(r) + Math.sqrt(c), s = u === 0 ? 0 : d / u;
  return s * s;
};

// ---- categories -------------------------------------------------------------------------

function countCategories(fn: string, name: string, x: unknown, nan: "raise" | "ignore", into: Map<Category, number[]>,
                         side: 0 | 1): number {
  if (!Array.isArray(x) && !(ArrayBuffer.isView(x) && !(x instanceof DataView) && !(x instanceof BigInt64Array) && !(x instanceof BigUint64Array))) {
    const what = x === null ? "null" : typeof x === "object" ? (x as object).constructor?.name ?? "object" : typeof x;
    throw new TypeError(`${fn}: ${name} must be an array of numbers or strings, or a numeric typed array, got ${what}`);
  }
  const src = x as ArrayLike<unknown>, n = src.length;
  let missing = 0;
  for (let i = 0; i < n; i++) {
    const raw = src[i]; // read once: the error below names it from this value
    let v = raw;
    if (typeof v === "number") {
      if (v !== v) v = undefined;
      else if (v === 0) v = 0; // -0 is 0
    } else if (typeof v !== "string" && v !== null && v !== undefined) {
      throw new TypeError(`${fn}: ${name}[${i}] is not a number or string (${typeof v})`);
    }
    if (v === undefined || v === null) {
      if (nan === "raise") {
        const what = v === null ? "null" : typeof raw === "number" ? "NaN" : "undefined";
        throw new RangeError(`${fn}: ${name}[${i}] is missing (${what}); pass nan: "ignore" to leave missing values out`);
      }
      missing++;
      continue;
    }
    const k = v as Category;
    let e = into.get(k);
    if (e === undefined) { e = [0, 0]; into.set(k, e); }
    e[side]++;
  }
  return missing;
}

const byCategory = (a: Category, b: Category): number => {
  if (typeof a === "number") return typeof b === "number" ? (a < b ? -1 : a > b ? 1 : 0) : -1;
  return typeof b === "number" ? 1 : a < b ? -1 : a > b ? 1 : 0;
};

// ---- the factory ------------------------------------------------------------------------

/**
 * The drift metrics over the given pieces. Every metric takes (reference, current,
 * options): count vectors by default (same length, non-empty, finite and >= 0, neither
 * summing to 0; proportions are counts / their total), raw samples when `options.bins` is
 * given (see {@link MetricOptions}).
 */
export function makeMetrics(deps: MetricsDeps): Metrics {
  const { discrete, histogram } = deps;

  /** Raw samples: a typed view or copy (read once), NaN checked; also the NaN-free values when some were ignored. */
  function samples(fn: string, name: string, x: unknown, nan: "raise" | "ignore"): { all: Vector; clean: Vector } {
    const v = vector(fn, name, x);
    let nans = 0;
    for (let i = 0; i < v.length; i++) {
      if (v[i] === v[i]) continue;
      const t = nonNumberType(v, i);
      if (t !== undefined) throw new TypeError(`${fn}: ${name}[${i}] is not a number (${t})`);
      if (nan === "raise") throw new RangeError(`${fn}: ${name}[${i}] is NaN; pass nan: "ignore" to leave NaN samples out`);
      nans++;
    }
    if (nans === 0) return { all: v, clean: v };
    const clean = new Float64Array(v.length - nans);
    for (let i = 0, j = 0; i < v.length; i++) if (v[i] === v[i]) clean[j++] = v[i];
    return { all: v, clean };
  }

  function bin(fn: string, reference: unknown, current: unknown, o: Parsed): BinnedPair {
    const r = samples(fn, "reference", reference, o.nan), c = samples(fn, "current", current, o.nan);
    let edges: Float64Array;
    if (o.bins instanceof Float64Array) edges = o.bins;
    else {
      let data: Vector = r.clean;
      if (o.edgesFrom === "both") {
        const both = r.clean instanceof Float32Array && c.clean instanceof Float32Array
          ? new Float32Array(r.clean.length + c.clean.length) : new Float64Array(r.clean.length + c.clean.length);
        both.set(r.clean);
        both.set(c.clean, r.clean.length);
        data = both;
      }
      if (data.length === 0) throw new RangeError(`${fn}: no samples to compute the edges from (all NaN)`);
      edges = binEdges(fn, data, o.range === undefined ? { bins: o.bins as number | BinRule } : { bins: o.bins as number | BinRule, range: o.range });
    }
    const hr = histogram(r.all, edges, { nan: "ignore" }), hc = histogram(c.all, edges, { nan: "ignore" });
    const k = hr.counts.length;
    const below = o.outside === "extend" && (hr.under > 0 || hc.under > 0);
    const above = o.outside === "extend" && (hr.over > 0 || hc.over > 0);
    const aligned = (h: Binned): Float64Array => {
      const out = new Float64Array(k + (below ? 1 : 0) + (above ? 1 : 0));
      out.set(h.counts, below ? 1 : 0);
      if (below) out[0] = h.under;
      if (above) out[out.length - 1] = h.over;
      if (o.outside === "clip") { out[0] += h.under; out[k - 1] += h.over; }
      return out;
    };
    return {
      edges, reference: aligned(hr), current: aligned(hc), extended: { below, above },
      under: { reference: hr.under, current: hc.under }, over: { reference: hr.over, current: hc.over },
      nan: { reference: hr.nan, current: hc.nan },
    };
  }

  /** Both sides' counts (checked, or binned from samples), smoothed and scaled. */
  function sides(fn: string, reference: unknown, current: unknown, o: Parsed): [Side, Side] {
    let a: Float64Array, b: Float64Array;
    if (o.bins !== undefined) {
      const p = bin(fn, reference, current, o);
      a = p.reference; b = p.current;
      if (totalOf(a).value === 0) throw new RangeError(`${fn}: reference has no samples in the bins`);
      if (totalOf(b).value === 0) throw new RangeError(`${fn}: current has no samples in the bins`);
    } else {
      const r = vector(fn, "reference", reference), c = vector(fn, "current", current);
      checkSameLength(fn, r, c, ["reference", "current"]);
      const i = findBad(r), j = findBad(c, 0, i < 0 ? c.length : i + 1);
      if (j >= 0 && (i < 0 || j < i)) throw badValue(fn, "current", c, j);
      if (i >= 0) throw badValue(fn, "reference", r, i);
      a = Float64Array.from(r); b = Float64Array.from(c);
      if (totalOf(a).value === 0) throw new RangeError(`${fn}: reference sums to 0 (no counts)`);
      if (totalOf(b).value === 0) throw new RangeError(`${fn}: current sums to 0 (no counts)`);
    }
    return [smoothSide(a, o.smoothing), smoothSide(b, o.smoothing)];
  }

  function prep(fn: string, reference: unknown, current: unknown, options: unknown, extra: readonly string[] = []) {
    const o = parse(fn, options, extra);
    return { o, s: sides(fn, reference, current, o) };
  }

  return {
    psi(reference, current, options) {
      const { s: [R, C] } = prep("psi", reference, current, options);
      return sumTerms(R, C, psiTerm);
    },
    klDivergence(reference, current, options) {
      const { o, s: [R, C] } = prep("klDivergence", reference, current, options, ["direction", "base"]);
      const [p, q] = o.reverse ? [C.c, R.c] : [R.c, C.c];
      // KL >= 0 for distributions (Gibbs); a rounding below 0 (p = q up to the last bits) is 0
      return Math.max(0, discrete.klDivergence(p, q, o.base === undefined ? KL_EXACT : { eps: 0, normalize: true, base: o.base }));
    },
    jensenShannonDistance(reference, current, options) {
      const { o, s: [R, C] } = prep("jensenShannonDistance", reference, current, options, ["base"]);
      return discrete.jensenShannonDistance(R.c, C.c, o.base === undefined ? NORMALIZE : { normalize: true, base: o.base });
    },
    hellingerDistance(reference, current, options) {
      const { s: [R, C] } = prep("hellingerDistance", reference, current, options);
      return Math.sqrt(Math.min(1, sumTerms(R, C, hellTerm) / 2));
    },
    totalVariation(reference, current, options) {
      const { s: [R, C] } = prep("totalVariation", reference, current, options);
      return Math.min(1, sumTerms(R, C, absTerm) / 2);
    },
    chebyshev(reference, current, options) {
      const { s: [R, C] } = prep("chebyshev", reference, current, options);
      return Math.min(1, sumTerms(R, C, absTerm, true));
    },
    proportions(reference, current, options) {
      const { s: [R, C] } = prep("proportions", reference, current, options);
      const p = (s: Side) => s.c.map((_, i) => prop(s, i));
      return { reference: p(R), current: p(C) };
    },
    binCounts(reference, current, options) {
      const o = parse("binCounts", options, []);
      if (o.bins === undefined) throw new TypeError("binCounts: bins is required");
      if (o.smoothing.kind !== "none") throw new TypeError("binCounts: smoothing does not apply (it returns counts)");
      return bin("binCounts", reference, current, o);
    },
    categoryCounts(reference, current, options) {
      const fn = "categoryCounts";
      const o = checkOptions(fn, options, ["nan"]);
      const nan = choice(fn, "nan", o.nan, ["raise", "ignore"], "raise");
      const seen = new Map<Category, number[]>();
      const mr = countCategories(fn, "reference", reference, nan, seen, 0);
      const mc = countCategories(fn, "current", current, nan, seen, 1);
      const categories = [...seen.keys()].sort(byCategory);
      const r = new Float64Array(categories.length), c = new Float64Array(categories.length);
      categories.forEach((k, i) => { const e = seen.get(k)!; r[i] = e[0]; c[i] = e[1]; });
      return { categories, reference: r, current: c, missing: { reference: mr, current: mc } };
    },
  };
}
