// driftReport: drift of every column of a table at once (reference window against current
// window), with the recipes of Evidently and NannyML as presets. Built by makeReport over the
// pieces it composes (the metrics on counts, the sample statistics, the histogram engine and
// the discrete family), so it works the same over the WebAssembly engine and the twin.
import { type Vector, checkCols, checkOptions, nonNumberType, show, vector } from "../core/validate.js";
import { compensatedSum } from "../core/sum.js";
import type { Api as DiscreteApi } from "../discrete/api.js";
import { type BinRule, binsOption, binEdges, npSum, npStd } from "./edges.js";
import type { Binned, HistogramOptions } from "./histogram.js";
import { type Category, type Metrics, type Smoothing, smoothingOption } from "./metrics.js";
import { type SortScratch, type Walk, ksTestSorted, sortScratch, sortValues, walk, wasserstein1, wasserstein1Sorted } from "./samples.js";

/** The metrics a report can compute. Values: ksTest's is its statistic (its p-value is `pvalue`). */
export type ReportMetric = "psi" | "klDivergence" | "jensenShannonDistance" | "hellingerDistance" | "totalVariation"
  | "chebyshev" | "wasserstein1" | "ksTest";
export type Preset = "evidently" | "nannyml";
/** One column: numbers (a Vector) or categories (an array of strings). */
export type Column = Vector | readonly string[];
/** A table: an object of columns, or a row-major matrix of numbers (with the `cols` option). */
export type Table = Readonly<Record<string, Column>> | Vector;

export interface ReportOptions {
  /** Which columns, in this order: names for an object of columns, indices for a matrix. Default: all
   *  (the reference object's own keys in their order, or 0..cols-1). */
  columns?: readonly (string | number)[];
  /** The column count of a row-major matrix (required for a matrix, rejected for an object). */
  cols?: number;
  /** Default: every metric the preset has a recipe for; without a preset psi, jensenShannonDistance,
   *  wasserstein1, ksTest. Metrics that do not apply to categories (wasserstein1, ksTest) are left out of
   *  categorical columns' values. */
  metrics?: readonly ReportMetric[];
  /** Bins of numeric columns: a count (equal width) or a NumPy rule. Default "sturges" (nannyml: "doane"). */
  bins?: number | BinRule;
  /** Without a preset: edges from the reference alone (default) or from both windows together. */
  edgesFrom?: "reference" | "both";
  /** Zero-bin treatment of every binned metric; default { floor: 1e-4 } for psi and klDivergence and
   *  "none" for the others (evidently: its own fill of zeros for psi and klDivergence, see the docs). */
  smoothing?: Smoothing;
  /** One threshold for every metric, or one per metric (see `thresholds` in the result for the defaults). */
  threshold?: number | Readonly<Partial<Record<ReportMetric, number>>>;
  /** NaN (and, for evidently, ±Infinity) dropped from each column ("ignore") or a RangeError ("raise",
   *  the default without a preset; both presets ignore them). */
  nan?: "raise" | "ignore";
  preset?: Preset;
}

export interface FeatureBins {
  /** The edges numeric values were binned with (null for categories). */
  edges: Float64Array | null;
  /** The categories, in the order of the counts (null for edges). */
  categories: Category[] | null;
  /** Counts per bin (per category), aligned for both windows. */
  reference: Float64Array;
  current: Float64Array;
  /** Counts outside the bins: values below/above the edges, or (nannyml) categories the reference lacks. */
  outside: { reference: number; current: number };
}

export interface FeatureReport {
  name: string;
  kind: "numeric" | "categorical";
  /** Each metric's value (ksTest: the statistic). */
  values: Partial<Record<ReportMetric, number>>;
  /** ksTest's p-value, when ksTest ran. */
  pvalue?: number;
  /** Each metric's flag: see `rule` of the report; null where the metric has no threshold. */
  flags: Partial<Record<ReportMetric, boolean | null>>;
  /** Whether any flag is true. */
  drifted: boolean;
  bins: FeatureBins;
  /** Values used after dropping NaN (and evidently's infinities). */
  n: { reference: number; current: number };
}

export interface DriftReport {
  preset: Preset | null;
  features: FeatureReport[];
  /** Names of the drifted features, in column order, and their share of all features. */
  drifted: string[];
  share: number;
  /** The threshold each metric was judged against (null: none, the metric is not flagged). */
  thresholds: Partial<Record<ReportMetric, number | null>>;
  /** How a flag is decided: distances `value >= t` (evidently) or `value > t`; ksTest `pvalue <= t` or `< t`. */
  rule: { distance: ">=" | ">"; pvalue: "<=" | "<" };
}

export interface ReportDeps {
  /** makeMetrics(...) of src/drift/metrics.ts. */
  metrics: Metrics;
  histogram(samples: Vector, edges: Float64Array, options?: HistogramOptions): Binned;
  discrete: Pick<DiscreteApi, "klDivergence" | "jensenShannonDistance">;
}

const FN = "driftReport";
const ALL: readonly ReportMetric[] = ["psi", "klDivergence", "jensenShannonDistance", "hellingerDistance",
  "totalVariation", "chebyshev", "wasserstein1", "ksTest"];
const RECIPES: Record<Preset, readonly ReportMetric[]> = {
  evidently: ["psi", "klDivergence", "jensenShannonDistance", "hellingerDistance", "wasserstein1", "ksTest"],
  nannyml: ["jensenShannonDistance", "hellingerDistance", "chebyshev", "wasserstein1", "ksTest"],
};
const SAMPLE_METRICS = new Set<ReportMetric>(["wasserstein1", "ksTest"]);
const KNOWN = ["columns", "cols", "metrics", "bins", "edgesFrom", "smoothing", "threshold", "nan", "preset"];
const DEFAULT_FLOOR: Smoothing = { floor: 1e-4 };

function defaultThreshold(m: ReportMetric, preset: Preset | null): number | null {
  if (m === "ksTest") return 0.05;
  if (m === "wasserstein1") return preset === "evidently" ? 0.1 : null; // evidently's is normed by the reference's std
  return 0.1;
}

interface Parsed {
  preset: Preset | null;
  metrics: ReportMetric[];
  bins: number | BinRule;
  edgesFrom: "reference" | "both";
  smoothing: Smoothing | undefined;
  thresholds: Partial<Record<ReportMetric, number | null>>;
  nan: "raise" | "ignore";
  columns: readonly (string | number)[] | undefined;
  cols: number | undefined;
  /** Whether wasserstein1 or ksTest runs (numeric columns are then sorted once). */
  sampleMetrics: boolean;
}

function parse(options: ReportOptions | undefined): Parsed {
  const o = checkOptions(FN, options, KNOWN);
  let preset: Preset | null = null;
  if (o.preset !== undefined) {
    if (o.preset !== "evidently" && o.preset !== "nannyml") {
      throw new RangeError(`${FN}: preset must be "evidently" or "nannyml", got ${show(o.preset)}`);
    }
    preset = o.preset;
  }
  let metrics: ReportMetric[];
  if (o.metrics === undefined) {
    metrics = preset ? [...RECIPES[preset]] : ["psi", "jensenShannonDistance", "wasserstein1", "ksTest"];
  } else {
    if (!Array.isArray(o.metrics) || o.metrics.length === 0) {
      throw new TypeError(`${FN}: metrics must be a non-empty array of metric names, got ${show(o.metrics)}`);
    }
    metrics = [];
    for (const m of o.metrics as unknown[]) {
      if (!ALL.includes(m as ReportMetric)) {
        throw new RangeError(`${FN}: unknown metric ${show(m)} (one of ${ALL.join(", ")})`);
      }
      if (preset && !RECIPES[preset].includes(m as ReportMetric)) {
        throw new RangeError(`${FN}: preset "${preset}" has no recipe for ${show(m)} (it has ${RECIPES[preset].join(", ")})`);
      }
      if (!metrics.includes(m as ReportMetric)) metrics.push(m as ReportMetric);
    }
  }
  let bins: number | BinRule = preset === "nannyml" ? "doane" : "sturges";
  if (o.bins !== undefined) bins = binsOption(FN, o.bins);
  let edgesFrom: "reference" | "both" = "reference";
  if (o.edgesFrom !== undefined) {
    if (preset) throw new TypeError(`${FN}: edgesFrom is fixed by the preset "${preset}"`);
    if (o.edgesFrom !== "reference" && o.edgesFrom !== "both") {
      throw new RangeError(`${FN}: edgesFrom must be "reference" or "both", got ${show(o.edgesFrom)}`);
    }
    edgesFrom = o.edgesFrom;
  }
  const thresholds: Partial<Record<ReportMetric, number | null>> = {};
  for (const m of metrics) thresholds[m] = defaultThreshold(m, preset);
  const t: unknown = o.threshold;
  if (typeof t === "number") {
    if (!(t >= 0 && t < Infinity)) throw new RangeError(`${FN}: threshold must be a finite number >= 0, got ${show(t)}`);
    if (t > 1 && metrics.includes("ksTest")) {
      throw new RangeError(`${FN}: threshold ${t} would apply to ksTest's p-value, which needs one in [0, 1]: give one per metric ({ ksTest: 0.05, … })`);
    }
    for (const m of metrics) thresholds[m] = t;
  } else if (t !== undefined) {
    if (t === null || typeof t !== "object" || Array.isArray(t)) {
      throw new TypeError(`${FN}: threshold must be a number or an object of one number per metric, got ${show(t)}`);
    }
    const per = checkOptions(FN, t, ALL, "threshold") as Record<string, unknown>;
    for (const [m, v] of Object.entries(per)) {
      const p = m === "ksTest"; // a p-value's threshold
      if (typeof v !== "number" || !(v >= 0 && (p ? v <= 1 : v < Infinity))) {
        throw new RangeError(`${FN}: threshold.${m} must be ${p ? "a p-value in [0, 1]" : "a finite number >= 0"}, got ${show(v)}`);
      }
      if (metrics.includes(m as ReportMetric)) thresholds[m as ReportMetric] = v;
    }
  }
  let nan: "raise" | "ignore" = preset ? "ignore" : "raise";
  if (o.nan !== undefined) {
    if (o.nan !== "raise" && o.nan !== "ignore") throw new RangeError(`${FN}: nan must be "raise" or "ignore", got ${show(o.nan)}`);
    nan = o.nan;
  }
  let columns: readonly (string | number)[] | undefined;
  if (o.columns !== undefined) {
    if (!Array.isArray(o.columns) || o.columns.length === 0) {
      throw new TypeError(`${FN}: columns must be a non-empty array, got ${show(o.columns)}`);
    }
    columns = [...(o.columns as (string | number)[])];
  }
  return { preset, metrics, bins, edgesFrom, smoothing: o.smoothing === undefined ? undefined : smoothingOption(FN, o.smoothing), thresholds, nan, columns, cols: o.cols,
    sampleMetrics: metrics.some((m) => SAMPLE_METRICS.has(m)) };
}

// ------------------------------------------------------------------ tables
/** A column read: numbers as a Float64Array, `own` when it is the report's copy (else the caller's, never written). */
type NumericCell = { kind: "numeric"; x: Float64Array; own: boolean };
type Cell = NumericCell | { kind: "categorical"; x: string[] };

function isMatrix(t: unknown): t is Vector {
  return ArrayBuffer.isView(t) || Array.isArray(t);
}

/** Each requested column of both windows, numbers read once into Float64Arrays. */
function readTables(reference: unknown, current: unknown, p: Parsed): { names: string[]; ref: Cell[]; cur: Cell[] } {
  if (isMatrix(reference) !== isMatrix(current)) {
    throw new TypeError(`${FN}: reference and current must both be objects of columns or both matrices`);
  }
  if (isMatrix(reference)) {
    if (p.cols === undefined) throw new TypeError(`${FN}: a matrix needs the cols option`);
    const r = vector(FN, "reference", reference), c = vector(FN, "current", current as Vector);
    if (!ArrayBuffer.isView(reference)) numbers("reference", r);
    if (!ArrayBuffer.isView(current)) numbers("current", c);
    const rr = checkCols(FN, r.length, p.cols), cr = checkCols(FN, c.length, p.cols), cols = p.cols;
    const idx = p.columns ?? Array.from({ length: cols }, (_, i) => i);
    const ref: Cell[] = [], cur: Cell[] = [], names: string[] = [];
    for (const j of idx) {
      if (typeof j !== "number" || !Number.isInteger(j) || j < 0 || j >= cols) {
        throw new RangeError(`${FN}: a matrix's columns must be integers in [0, ${cols}), got ${show(j)}`);
      }
      names.push(String(j));
      ref.push({ kind: "numeric", x: strided(r, j, cols, rr), own: true });
      cur.push({ kind: "numeric", x: strided(c, j, cols, cr), own: true });
    }
    return { names, ref, cur };
  }
  if (p.cols !== undefined) throw new TypeError(`${FN}: cols is for a matrix; reference is an object of columns`);
  for (const [t, name] of [[reference, "reference"], [current, "current"]] as const) {
    if (t === null || typeof t !== "object") throw new TypeError(`${FN}: ${name} must be an object of columns or a matrix, got ${show(t)}`);
  }
  const R = reference as Record<string, unknown>, C = current as Record<string, unknown>;
  const names = (p.columns ?? Object.keys(R)).map((k) => {
    if (typeof k !== "string") throw new TypeError(`${FN}: an object's columns must be names (strings), got ${show(k)}`);
    return k;
  });
  if (names.length === 0) throw new RangeError(`${FN}: reference has no columns`);
  const ref: Cell[] = [], cur: Cell[] = [];
  for (const name of names) {
    if (!Object.hasOwn(R, name)) throw new RangeError(`${FN}: reference has no column ${show(name)}`);
    if (!Object.hasOwn(C, name)) throw new RangeError(`${FN}: current has no column ${show(name)}`);
    const a = readColumn(name, "reference", R[name]), b = readColumn(name, "current", C[name]);
    if (a.kind !== b.kind) {
      throw new TypeError(`${FN}: column ${show(name)} is ${a.kind} in reference but ${b.kind} in current`);
    }
    ref.push(a);
    cur.push(b);
  }
  return { names, ref, cur };
}

function strided(x: Vector, j: number, cols: number, rows: number): Float64Array {
  const out = new Float64Array(rows);
  for (let i = 0; i < rows; i++) out[i] = x[i * cols + j];
  return out;
}

function readColumn(name: string, side: string, v: unknown): Cell {
  const what = `${side}.${name}`;
  // a plain array is read once, element by element, into a copy: strings make a column of categories
  if (Array.isArray(v)) v = Array.prototype.slice.call(v);
  if (Array.isArray(v) && v.length > 0 && typeof v[0] === "string") {
    const n = v.length, out = new Array<string>(n);
    for (let i = 0; i < n; i++) {
      const s: unknown = (v as unknown[])[i];
      if (typeof s !== "string") throw new TypeError(`${FN}: ${what}[${i}] is not a string (${s === null ? "null" : typeof s}) in a column of categories`);
      out[i] = s;
    }
    return { kind: "categorical", x: out };
  }
  const x = vector(FN, what, v);
  if (ArrayBuffer.isView(v)) {
    // a typed array holds numbers only: a Float64Array is used as it is (clean() copies what it keeps)
    return x instanceof Float64Array ? { kind: "numeric", x, own: false }
      : { kind: "numeric", x: Float64Array.from(x as ArrayLike<number>), own: true };
  }
  // a plain array: vector() read it once into a Float64Array of ours, non-numbers as NaN
  return { kind: "numeric", x: numbers(what, x) as Float64Array, own: true };
}

/** x, vector()'s copy of a plain array, after a TypeError for an element that was not a number (they are NaN
 *  in the copy; a NaN that was a number is left to the NaN policy). */
function numbers(what: string, x: Vector): Vector {
  for (let i = 0; i < x.length; i++) {
    if (x[i] !== x[i]) {
      const type = nonNumberType(x, i);
      if (type !== undefined) throw new TypeError(`${FN}: ${what}[${i}] is not a number (${type})`);
    }
  }
  return x;
}

/** Whether the last clean() kept an infinite value. */
let keptInfinite = false;

/**
 * The values kept, NaN dropped (and ±Infinity when `finite`) or NaN raised, in an array of the report's
 * own: the column's copy compacted in place, or `into` (a work array of at least x.length, reused from
 * column to column) or a new array: the one pass that copies a caller's column.
 */
function clean(name: string, side: string, cell: { x: Float64Array; own: boolean }, nan: "raise" | "ignore", finite: boolean,
               into?: Float64Array): Float64Array {
  const x = cell.x, out = cell.own ? x : into ?? new Float64Array(x.length);
  let k = 0;
  keptInfinite = false;
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (v - v === 0) out[k++] = v;
    else if (v === v) {
      if (!finite) { out[k++] = v; keptInfinite = true; }
    } else if (nan === "raise") {
      throw new RangeError(`${FN}: ${side}.${name}[${i}] is NaN; pass nan: "ignore" to drop NaN values`);
    }
  }
  if (k === 0) throw new RangeError(`${FN}: column ${show(name)} of ${side} has no values${x.length ? " after dropping NaN" : ""}`);
  return k === out.length ? out : out.subarray(0, k);
}

/**
 * np.histogram(x, edges) of a sorted x by searching the edges, as NumPy's searchsorted path
 * (bin i holds edges[i] <= x < edges[i+1], the last bin also its right edge); with the values
 * below and above the edges. The same counts as the binning engine gives for the same values.
 */
function sortedHistogram(x: Float64Array, edges: Float64Array): { counts: Float64Array; under: number; over: number } {
  const k = edges.length - 1, counts = new Float64Array(k), n = x.length;
  const lower = (e: number, from: number): number => {   // first index >= from with x[i] >= e
    let lo = from, hi = n;
    while (lo < hi) { const mid = (lo + hi) >>> 1; if (x[mid] < e) lo = mid + 1; else hi = mid; }
    return lo;
  };
  const under = lower(edges[0], 0);
  let at = under;
  for (let i = 0; i < k - 1; i++) {
    const next = lower(edges[i + 1], at);
    counts[i] = next - at;
    at = next;
  }
  let end = at, hi = n;                                   // first index with x[i] > edges[k]
  const last = edges[k];
  while (end < hi) { const mid = (end + hi) >>> 1; if (x[mid] <= last) end = mid + 1; else hi = mid; }
  counts[k - 1] = end - at;
  return { counts, under, over: n - end };
}

// ------------------------------------------------------------------ arithmetic the tools use
function divide(c: Float64Array, n: number): Float64Array {
  const out = new Float64Array(c.length);
  for (let i = 0; i < c.length; i++) out[i] = c[i] / n;
  return out;
}

function concat(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** Whether x has more than k distinct values (stops as soon as it has). */
function moreDistinctThan(x: Float64Array, k: number): boolean {
  const seen = new Set<number>();
  for (let i = 0; i < x.length; i++) {
    seen.add(x[i] === 0 ? 0 : x[i]);
    if (seen.size > k) return true;
  }
  return false;
}

/** Evidently's feel_zeroes (stattests/utils.py get_binned_data): zeros become min(nonzero) / 1e6 when
 *  that minimum is <= 1e-4, else 1e-4; no renormalisation. In place. */
function feelZeroes(p: Float64Array): Float64Array {
  let m = Infinity;
  for (const v of p) if (v !== 0 && v < m) m = v;
  const fill = m <= 0.0001 ? m / 10 ** 6 : 0.0001;
  for (let i = 0; i < p.length; i++) if (p[i] === 0) p[i] = fill;
  return p;
}

function sortedUnique(x: Float64Array): Float64Array {
  const s = Float64Array.from(x).sort();
  let k = 0;
  for (let i = 0; i < s.length; i++) if (i === 0 || s[i] !== s[i - 1]) s[k++] = s[i];
  return s.subarray(0, k);
}

function compareCategories(a: string | number, b: string | number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// ------------------------------------------------------------------ the factory
export interface ReportApi {
  /**
   * Drift of each column of `current` against the same column of `reference`.
   *
   * Tables: both objects of columns (name -> number[] / Float64Array / Float32Array / other numeric typed
   * array for numbers, string[] for categories), or both row-major matrices of numbers with `cols`
   * columns (rows may differ between the windows). `columns` picks and orders them (names, or a matrix's
   * indices, reported as "0", "1", ...). Each element is read once.
   *
   * Without a preset, a numeric column is binned on edges from `bins` (default "sturges") computed from
   * the reference (or from both windows with `edgesFrom: "both"`); current values outside the edges
   * become an extra bin below and/or above (reference count 0). A categorical column is aligned with
   * categoryCounts. The binned metrics take the aligned counts with `smoothing` (default { floor: 1e-4 } for
   * psi and klDivergence, "none" otherwise); jensenShannonDistance is in nats (base e); wasserstein1 and
   * ksTest take the raw values (numeric columns only). Flags: a distance flags when value > threshold,
   * ksTest when pvalue < threshold; defaults 0.1 for every distance, 0.05 for ksTest, none for
   * wasserstein1 (its scale is the data's: give a threshold to flag it).
   *
   * Presets reproduce the tools' numbers (docs/drift/report.md lists every step with its source file):
   * `"evidently"` drops NaN and ±Infinity; numeric columns with more than 20 distinct reference values are
   * binned on Sturges edges of both windows together, others (and strings) by value; zeros filled
   * (feel_zeroes) for psi and klDivergence; JS in nats on the unfilled proportions; wasserstein1 divided by
   * max(std(reference), 0.001); flags value >= threshold (0.1) and pvalue <= 0.05.
   * `"nannyml"` drops NaN; Doane edges on the reference, one extra bin for current mass outside them (or
   * categories the reference lacks) when 1 - Σ proportions > 0; JS in bits; Hellinger from the same bins;
   * chebyshev (L∞) for categories; wasserstein1 exact below 10 000 reference values, NannyML's binned
   * estimate (10 000 equal-width bins) from there; ksTest's statistic likewise; flags value > 0.1,
   * pvalue < 0.05. `bins`, `smoothing` (evidently's psi/kl), `metrics` and `threshold` override the preset.
   *
   * Errors: TypeError for a malformed table or option (unknown option, a string among numbers, a column
   * numeric in one window and categorical in the other); RangeError for a missing column, a bad value of
   * an option, a metric the preset has no recipe for, NaN without nan: "ignore", a column with no values
   * left; errors of the binning and metric functions come back with the column's name.
   */
  driftReport(reference: Table, current: Table, options?: ReportOptions): DriftReport;
}

export function makeReport(deps: ReportDeps): ReportApi {
  const { metrics: M, histogram, discrete: D } = deps;
  /** sortValues' work arrays, and the arrays the numeric columns are cleaned into (the caller's columns are
   *  copied once, then sorted in place), kept for one driftReport call. */
  let scratch: SortScratch | undefined;
  let work: [Float64Array, Float64Array] | undefined;
  /** A work array for the reference (0) or current (1) values of a column of n: they live until the next column. */
  function workArray(side: 0 | 1, n: number): Float64Array {
    work ??= [new Float64Array(0), new Float64Array(0)];
    if (work[side].length < n) work[side] = new Float64Array(n);
    return work[side].subarray(0, n);
  }

  function binnedMetric(m: ReportMetric, r: Float64Array, c: Float64Array, smoothing: Smoothing | undefined): number {
    const sm = smoothing ?? (m === "psi" || m === "klDivergence" ? DEFAULT_FLOOR : "none");
    switch (m) {
      case "psi": return M.psi(r, c, { smoothing: sm });
      case "klDivergence": return M.klDivergence(r, c, { smoothing: sm });
      case "jensenShannonDistance": return M.jensenShannonDistance(r, c, { smoothing: sm });
      case "hellingerDistance": return M.hellingerDistance(r, c, { smoothing: sm });
      case "totalVariation": return M.totalVariation(r, c, { smoothing: sm });
      default: return M.chebyshev(r, c, { smoothing: sm });
    }
  }

  function plain(name: string, r: Cell, c: Cell, p: Parsed, f: FeatureReport): void {
    if (r.kind === "categorical" || c.kind === "categorical") {
      const cc = M.categoryCounts(r.x as string[], c.x as string[]);
      f.bins = { edges: null, categories: cc.categories, reference: cc.reference, current: cc.current,
        outside: { reference: 0, current: 0 } };
      for (const m of p.metrics) if (!SAMPLE_METRICS.has(m)) f.values[m] = binnedMetric(m, cc.reference, cc.current, p.smoothing);
      return;
    }
    const rx = clean(name, "reference", r, p.nan, false, workArray(0, r.x.length)), rInf = keptInfinite;
    const cx = clean(name, "current", c, p.nan, false, workArray(1, c.x.length)), infinite = rInf || keptInfinite;
    // metrics.ts binCounts with outside: "extend": edges from the reference (or both, in that order), an extra
    // bin below / above where values fall outside. The edges see the values in their order (a rule's moments
    // are order-dependent sums); then, when a sample statistic runs, both columns are sorted once, in place,
    // and binned by searching the edges, and wasserstein1 and ksTest take the same sorted values.
    const edges = binEdges(FN, p.edgesFrom === "both" ? concat(rx, cx) : rx, { bins: p.bins });
    const sorted = p.sampleMetrics;
    if (sorted) {
      if (infinite) checkFinite(p, rx, cx);
      sortBoth(rx, cx);
    }
    const hr = sorted ? sortedHistogram(rx, edges) : histogram(rx, edges);
    const hc = sorted ? sortedHistogram(cx, edges) : histogram(cx, edges);
    const k = edges.length - 1, below = hr.under > 0 || hc.under > 0, above = hr.over > 0 || hc.over > 0;
    const aligned = (h: { counts: Float64Array; under: number; over: number }): Float64Array => {
      const out = new Float64Array(k + (below ? 1 : 0) + (above ? 1 : 0));
      out.set(h.counts, below ? 1 : 0);
      if (below) out[0] = h.under;
      if (above) out[out.length - 1] = h.over;
      return out;
    };
    const rv = aligned(hr), cv = aligned(hc);
    f.bins = { edges, categories: null, reference: hr.counts, current: hc.counts,
      outside: { reference: hr.under + hr.over, current: hc.under + hc.over } };
    f.n = { reference: rx.length, current: cx.length };
    let wk: Walk | undefined; // one merge walk for both sample statistics
    for (const m of p.metrics) {
      if (m === "wasserstein1") f.values[m] = (wk ??= walk(rx, cx)).w;
      else if (m === "ksTest") {
        const k = ksTestSorted(rx, cx, "two-sided", "auto", wk ??= walk(rx, cx));
        f.values[m] = k.statistic;
        f.pvalue = k.pvalue;
      } else f.values[m] = binnedMetric(m, rv, cv, p.smoothing);
    }
  }

  /** Sorts both columns in place with the call's scratch. */
  function sortBoth(rx: Float64Array, cx: Float64Array): void {
    scratch ??= sortScratch();
    sortValues(rx, scratch);
    sortValues(cx, scratch);
  }

  /** Before sorting columns that hold an infinite value: wasserstein1 fails with its RangeError, which names
   *  the index in the values' order (wasserstein1 of the unsorted columns throws it). */
  function checkFinite(p: Parsed, rx: Float64Array, cx: Float64Array): void {
    if (p.metrics.includes("wasserstein1")) wasserstein1(rx, cx);
  }

  // ---------------------------------------------------------------- Evidently
  function evidently(name: string, r: Cell, c: Cell, p: Parsed, f: FeatureReport): void {
    const numeric = r.kind === "numeric";
    let rx: Float64Array | string[] = r.x, cx: Float64Array | string[] = c.x;
    if (numeric) {
      rx = clean(name, "reference", r as NumericCell, "ignore", true, workArray(0, r.x.length));
      cx = clean(name, "current", c as NumericCell, "ignore", true, workArray(1, c.x.length));
    } else if (rx.length === 0 || cx.length === 0) {
      throw new RangeError(`${FN}: column ${show(name)} has no values in ${rx.length ? "current" : "reference"}`);
    }
    f.n = { reference: rx.length, current: cx.length };
    // stattests/utils.py get_binned_data: edges on both windows when the reference has > 20 values
    let rc: Float64Array, cc: Float64Array;
    // the order-dependent steps (edges by a rule's moments, np.std's pairwise sum) before any sorting
    const std = numeric && p.metrics.includes("wasserstein1") ? npStd(rx as Float64Array) : 0;
    const sorted = numeric && p.sampleMetrics;
    if (numeric && moreDistinctThan(rx as Float64Array, 20)) {
      const edges = binEdges(FN, concat(rx as Float64Array, cx as Float64Array), { bins: p.bins });
      if (sorted) sortBoth(rx as Float64Array, cx as Float64Array);
      rc = sorted ? sortedHistogram(rx as Float64Array, edges).counts : histogram(rx as Float64Array, edges).counts;
      cc = sorted ? sortedHistogram(cx as Float64Array, edges).counts : histogram(cx as Float64Array, edges).counts;
      f.bins = { edges, categories: null, reference: rc, current: cc, outside: { reference: 0, current: 0 } };
    } else {
      const k = M.categoryCounts(rx, cx);
      rc = k.reference;
      cc = k.current;
      f.bins = { edges: null, categories: k.categories, reference: rc, current: cc, outside: { reference: 0, current: 0 } };
      if (sorted) sortBoth(rx as Float64Array, cx as Float64Array);
    }
    const rp = divide(rc, rx.length), cp = divide(cc, cx.length);
    let filled: [Float64Array, Float64Array] | undefined;
    const fill = () => (filled ??= [feelZeroes(Float64Array.from(rp)), feelZeroes(Float64Array.from(cp))]);
    let wk: Walk | undefined; // one merge walk for both sample statistics
    const walked = () => (wk ??= walk(rx as Float64Array, cx as Float64Array));
    for (const m of p.metrics) {
      switch (m) {
        case "psi": {
          if (p.smoothing !== undefined) { f.values.psi = M.psi(rc, cc, { smoothing: p.smoothing }); break; }
          const [a, b] = fill(); // stattests/psi.py: np.sum((r - c) * np.log(r / c)), unnormalised
          const t = new Float64Array(a.length);
          for (let i = 0; i < a.length; i++) t[i] = (a[i] - b[i]) * Math.log(a[i] / b[i]);
          f.values.psi = npSum(t);
          break;
        }
        case "klDivergence": {
          if (p.smoothing !== undefined) { f.values.klDivergence = M.klDivergence(rc, cc, { smoothing: p.smoothing }); break; }
          const [a, b] = fill(); // stattests/kl_div.py: scipy.stats.entropy(r, c), which renormalises
          f.values.klDivergence = D.klDivergence(a, b, { normalize: true, eps: 0 });
          break;
        }
        case "jensenShannonDistance": // stattests/jensenshannon.py: distance.jensenshannon(r, c), base e, no fill
          f.values.jensenShannonDistance = D.jensenShannonDistance(rp, cp, { normalize: true });
          break;
        case "hellingerDistance":
          f.values.hellingerDistance = numeric
            ? evidentlyHellinger(rx as Float64Array, cx as Float64Array)
            : evidentlyHellingerCategories(rp, cp);
          break;
        case "wasserstein1": // stattests/wasserstein_distance_norm.py
          if (numeric) f.values.wasserstein1 = walked().w / Math.max(std, 0.001);
          break;
        case "ksTest": // stattests/ks_stattest.py: the p-value of ks_2samp decides
          if (numeric) {
            const k = ksTestSorted(rx as Float64Array, cx as Float64Array, "two-sided", "auto", walked());
            f.values.ksTest = k.statistic;
            f.pvalue = k.pvalue;
          }
          break;
        default:
          break;
      }
    }
  }

  /** stattests/hellinger_distance.py, numerical: Sturges edges on the union's distinct values, density
   *  histograms, Σ sqrt(h1 h2) · (max - min) / nbins in order, clipped to [0, 1], sqrt(1 - ·). */
  function evidentlyHellinger(rx: Float64Array, cx: Float64Array): number {
    const edges = binEdges(FN, sortedUnique(concat(rx, cx)), { bins: "sturges" });
    const h1 = histogram(rx, edges).counts, h2 = histogram(cx, edges).counts;
    const nb = edges.length - 1, width = (edges[nb] - edges[0]) / nb;
    let t1 = 0, t2 = 0;
    for (let i = 0; i < nb; i++) { t1 += h1[i]; t2 += h2[i]; }
    let h = 0;
    for (let i = 0; i < nb; i++) {
      const db = edges[i + 1] - edges[i];
      h += Math.sqrt((h1[i] / db / t1) * (h2[i] / db / t2)) * width;
    }
    return Math.sqrt(1 - Math.min(Math.max(h, 0), 1));
  }

  function evidentlyHellingerCategories(rp: Float64Array, cp: Float64Array): number {
    let h = 0;
    for (let i = 0; i < rp.length; i++) h += Math.sqrt(rp[i] * cp[i]);
    return Math.sqrt(1 - Math.min(Math.max(h, 0), 1));
  }

  // ---------------------------------------------------------------- NannyML
  function nannyml(name: string, r: Cell, c: Cell, p: Parsed, f: FeatureReport): void {
    const numeric = r.kind === "numeric";
    let rx: Float64Array | string[] = r.x, cx: Float64Array | string[] = c.x, infinite = false;
    if (numeric) {
      rx = clean(name, "reference", r as NumericCell, "ignore", false, workArray(0, r.x.length));
      infinite = keptInfinite;
      cx = clean(name, "current", c as NumericCell, "ignore", false, workArray(1, c.x.length));
      infinite ||= keptInfinite;
    } else if (rx.length === 0 || cx.length === 0) {
      throw new RangeError(`${FN}: column ${show(name)} has no values in ${rx.length ? "current" : "reference"}`);
    }
    f.n = { reference: rx.length, current: cx.length };
    // methods.py Continuous/CategoricalJensenShannonDistance._fit and _calculate
    let rc: Float64Array, cc: Float64Array, outside: number;
    const sorted = numeric && p.sampleMetrics;
    if (numeric) {
      const edges = binEdges(FN, rx as Float64Array, { bins: p.bins });   // Doane's moments: in the values' order
      if (sorted) {
        if (infinite && (rx as Float64Array).length < 10000) checkFinite(p, rx as Float64Array, cx as Float64Array); // exact wasserstein1
        sortBoth(rx as Float64Array, cx as Float64Array);
      }
      rc = sorted ? sortedHistogram(rx as Float64Array, edges).counts : histogram(rx as Float64Array, edges).counts;
      const hc = sorted ? sortedHistogram(cx as Float64Array, edges) : histogram(cx as Float64Array, edges);
      cc = hc.counts;
      outside = hc.under + hc.over;
      f.bins = { edges, categories: null, reference: rc, current: cc, outside: { reference: 0, current: outside } };
    } else {
      const k = M.categoryCounts(rx, cx);
      const order = k.categories.map((_, i) => i).filter((i) => k.reference[i] > 0)
        .sort((i, j) => compareCategories(k.categories[i], k.categories[j])); // np.unique(reference)
      rc = Float64Array.from(order, (i) => k.reference[i]);
      cc = Float64Array.from(order, (i) => k.current[i]);
      outside = cx.length - compensatedSum(cc);
      f.bins = { edges: null, categories: order.map((i) => k.categories[i]), reference: rc, current: cc,
        outside: { reference: 0, current: outside } };
    }
    let rp = divide(rc, rx.length), cp = divide(cc, cx.length);
    const leftover = 1 - npSum(cp);
    if (leftover > 0) {
      const a = new Float64Array(rp.length + 1), b = new Float64Array(cp.length + 1);
      a.set(rp);
      b.set(cp);
      b[cp.length] = leftover;
      rp = a;
      cp = b;
    }
    for (const m of p.metrics) {
      switch (m) {
        case "jensenShannonDistance": // jensenshannon(r, c, base=2)
          f.values.jensenShannonDistance = D.jensenShannonDistance(rp, cp, { normalize: true, base: 2 });
          break;
        case "hellingerDistance": { // sqrt(Σ (sqrt r - sqrt c)^2) / sqrt 2
          const t = new Float64Array(rp.length);
          for (let i = 0; i < rp.length; i++) t[i] = (Math.sqrt(rp[i]) - Math.sqrt(cp[i])) ** 2;
          f.values.hellingerDistance = Math.sqrt(npSum(t)) / Math.SQRT2;
          break;
        }
        case "chebyshev": // LInfinityDistance: categories only, over the union
          if (!numeric) {
            const k = M.categoryCounts(rx, cx);
            f.values.chebyshev = M.chebyshev(k.reference, k.current);
          }
          break;
        case "wasserstein1":
          if (numeric) f.values.wasserstein1 = nannymlWasserstein(rx as Float64Array, cx as Float64Array);
          break;
        case "ksTest":
          if (numeric) {
            const k = ksTestSorted(rx as Float64Array, cx as Float64Array);
            f.values.ksTest = (rx as Float64Array).length < 10000 ? k.statistic : nannymlKs(rx as Float64Array, cx as Float64Array);
            f.pvalue = k.pvalue;
          }
          break;
        default:
          break;
      }
    }
  }

  /** WassersteinDistance._calculate: exact below 10 000 reference values, else the estimate on
   *  np.histogram(reference, bins=10000) with ECDF tails for current values outside. */
  function nannymlWasserstein(rx: Float64Array, cx: Float64Array): number {
    if (rx.length < 10000) return wasserstein1Sorted(rx, cx);
    const edges = binEdges(FN, rx, { bins: 10000 });
    const width = edges[1] - edges[0], lo = edges[0], hi = edges[edges.length - 1], n = cx.length;
    const refCdf = cumsum(divide(histogram(rx, edges).counts, rx.length));
    const small: number[] = [], big: number[] = [];
    for (let i = 0; i < n; i++) {
      if (cx[i] < lo) small.push(cx[i]);
      else if (cx[i] > hi) big.push(cx[i]);
    }
    let termSmall = 0, amountSmall = 0, termBig = 0;
    if (small.length > 0) {
      amountSmall = (small.length + 1) / n;
      termSmall = ecdfTerm(Float64Array.from([...small, lo]), false) * amountSmall;
    }
    if (big.length > 0) termBig = ecdfTerm(Float64Array.from([hi, ...big]), true) * ((big.length + 1) / n);
    const cdf = cumsum(divide(histogram(cx, edges).counts, n));
    const t = new Float64Array(cdf.length);
    for (let i = 0; i < cdf.length; i++) t[i] = Math.abs(refCdf[i] - (cdf[i] + amountSmall)) * width;
    return npSum(t) + termSmall + termBig;
  }

  /** Σ y[:-1] · diff(x) (or Σ (1 - y)[:-1] · diff(x)) over the ECDF (x distinct sorted, y = cumsum / n). */
  function ecdfTerm(v: Float64Array, upper: boolean): number {
    const s = v.sort(), n = s.length, xs: number[] = [], ys: number[] = [];
    let count = 0;
    for (let i = 0; i < n; i++) {
      count++;
      if (i === n - 1 || s[i + 1] !== s[i]) { xs.push(s[i]); ys.push(count); }
    }
    const t = new Float64Array(xs.length - 1);
    for (let i = 0; i + 1 < xs.length; i++) {
      const y = ys[i] / n;
      t[i] = (upper ? 1 - y : y) * (xs[i + 1] - xs[i]);
    }
    return npSum(t);
  }

  /** KolmogorovSmirnovStatistic._calculate, estimated: CDFs on linspace(min, max, 10001) edges. */
  function nannymlKs(rx: Float64Array, cx: Float64Array): number {
    const edges = binEdges(FN, rx, { bins: 10000 });
    const refCdf = cumsum(divide(histogram(rx, edges).counts, rx.length));
    const hc = histogram(cx, edges), lower = hc.under / cx.length;
    const cdf = cumsum(divide(hc.counts, cx.length));
    let d = 0;
    for (let i = 0; i < cdf.length; i++) {
      const v = Math.abs(refCdf[i] - (lower + cdf[i]));
      if (v > d) d = v;
    }
    return d;
  }

  function driftReport(reference: Table, current: Table, options?: ReportOptions): DriftReport {
    try {
      return report(reference, current, options);
    } finally {
      scratch = undefined; // the work arrays live for one call
      work = undefined;
    }
  }

  function report(reference: Table, current: Table, options?: ReportOptions): DriftReport {
    const p = parse(options);
    const { names, ref, cur } = readTables(reference, current, p);
    const rule = p.preset === "evidently" ? { distance: ">=" as const, pvalue: "<=" as const }
      : { distance: ">" as const, pvalue: "<" as const };
    const features: FeatureReport[] = [];
    for (let j = 0; j < names.length; j++) {
      const name = names[j], r = ref[j], c = cur[j];
      const f: FeatureReport = {
        name, kind: r.kind, values: {}, flags: {}, drifted: false,
        bins: { edges: null, categories: null, reference: new Float64Array(0), current: new Float64Array(0),
          outside: { reference: 0, current: 0 } },
        n: { reference: r.x.length, current: c.x.length },
      };
      try {
        if (p.preset === "evidently") evidently(name, r, c, p, f);
        else if (p.preset === "nannyml") nannyml(name, r, c, p, f);
        else plain(name, r, c, p, f);
      } catch (e) {
        if (e instanceof Error && !e.message.startsWith(`${FN}: column `)) {
          const E = e instanceof TypeError ? TypeError : RangeError;
          const what = e.message.startsWith(`${FN}: `) ? e.message.slice(FN.length + 2) : e.message;
          throw new E(`${FN}: column ${show(name)}: ${what}`, { cause: e });
        }
        throw e;
      }
      for (const m of p.metrics) {
        const v = f.values[m];
        if (v === undefined) continue;
        const t = p.thresholds[m] ?? null;
        let flag: boolean | null = null;
        if (t !== null) {
          const x = m === "ksTest" ? f.pvalue! : v;
          flag = m === "ksTest" ? (rule.pvalue === "<=" ? x <= t : x < t) : (rule.distance === ">=" ? x >= t : x > t);
        }
        f.flags[m] = flag;
        if (flag) f.drifted = true;
      }
      features.push(f);
    }
    const drifted = features.filter((f) => f.drifted).map((f) => f.name);
    return { preset: p.preset, features, drifted, share: drifted.length / features.length, thresholds: p.thresholds, rule };
  }

  return { driftReport };
}

function cumsum(a: Float64Array): Float64Array {
  const out = new Float64Array(a.length);
  let s = 0;
  for (let i = 0; i < a.length; i++) out[i] = s += a[i];
  return out;
}
