// Histogram bin edges as NumPy 2.4 computes them: histogramEdges (np.histogram_bin_edges with an integer
// or a rule), quantileEdges (np.quantile at np.linspace(0, 1, bins + 1), duplicates collapsed), linspace,
// and the pieces of NumPy's arithmetic they need (pairwise summation, mean and std, the linear percentile),
// plus correctly rounded log2 and pow (double-double) for the rules' widths.
import { checkOptions, nonNumberType, show, vector, type Vector } from "../core/validate.js";
import { linspaceInto } from "../core/linspace.js";
import { R, twoSum, twoProd, ddAdd, ddMul, ddDiv, ldexp, exponent } from "../core/dd.js";

/** The bin-width rules of np.histogram_bin_edges ("stone" is not provided). */
export type BinRule = "auto" | "fd" | "doane" | "scott" | "rice" | "sturges" | "sqrt";

/** Options of histogramEdges. */
export interface EdgeOptions {
  /** A positive integer (that many equal-width bins) or a rule choosing the width. Default 10. */
  bins?: number | BinRule;
  /** [lo, hi], finite, lo <= hi: the outer edges (default: the sample's min and max). */
  range?: readonly [number, number];
  /** "raise" (the default): a NaN sample is a RangeError naming its index; "ignore": NaN are dropped first. */
  nan?: "raise" | "ignore";
}

/** Options of quantileEdges. */
export interface QuantileEdgeOptions {
  /** "raise" (the default): a NaN sample is a RangeError naming its index; "ignore": NaN are dropped first. */
  nan?: "raise" | "ignore";
}

const RULES: readonly string[] = ["auto", "fd", "doane", "scott", "rice", "sturges", "sqrt"];

/** The most bins histogramEdges makes (2^28: the edges then take 2 GiB). NumPy has no limit but memory. */
export const MAX_BINS = 2 ** 28;

// ---------------------------------------------------------------------------------------------------------
// NumPy's arithmetic

/**
 * `np.linspace(start, stop, num)` (endpoint=True) with NumPy's arithmetic, bit for bit: delta = stop - start,
 * step = delta / (num - 1); element i is i * step + start, or (i / (num - 1)) * delta + start when step is 0
 * (subnormal deltas, NumPy's gh-5437 branch); the last element is stop. num = 1 gives [0 * delta + start]
 * (NaN when delta is infinite, as in NumPy), num = 0 an empty array. An overflowing delta (stop - start
 * beyond ±1.8e308) gives NaN and infinities, as NumPy does.
 * @throws RangeError unless num is an integer >= 0 (and at most 2^32 - 1); TypeError unless start and stop
 *   are numbers.
 */
export function linspace(start: number, stop: number, num: number): Float64Array {
  const fn = "linspace";
  if (typeof start !== "number") throw new TypeError(`${fn}: start must be a number, got ${show(start)}`);
  if (typeof stop !== "number") throw new TypeError(`${fn}: stop must be a number, got ${show(stop)}`);
  if (typeof num !== "number" || !Number.isInteger(num) || num < 0 || num > 2 ** 32 - 1) {
    throw new RangeError(`${fn}: num must be an integer >= 0, got ${show(num)}`);
  }
  return linspaceOf(start, stop, num);
}

const linspaceOf = (start: number, stop: number, num: number) => linspaceInto(start, stop, new Float64Array(num));

/** numpy's pairwise_sum (loops_utils.h): < 8 terms a plain loop; <= 128 eight accumulators; else halves. */
function pairwise(a: Float64Array, i: number, n: number): number {
  if (n < 8) {
    let r = -0;
    for (let k = 0; k < n; k++) r += a[i + k];
    return r;
  }
  if (n <= 128) {
    let r0 = a[i], r1 = a[i + 1], r2 = a[i + 2], r3 = a[i + 3], r4 = a[i + 4], r5 = a[i + 5], r6 = a[i + 6],
      r7 = a[i + 7];
    const m = n - (n % 8);
    let k = 8;
    for (; k < m; k += 8) {
      r0 += a[i + k]; r1 += a[i + k + 1]; r2 += a[i + k + 2]; r3 += a[i + k + 3];
      r4 += a[i + k + 4]; r5 += a[i + k + 5]; r6 += a[i + k + 6]; r7 += a[i + k + 7];
    }
    let res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7));
    for (; k < n; k++) res += a[i + k];
    return res;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return pairwise(a, i, n2) + pairwise(a, i + n2, n - n2);
}

/** np.sum of a float64 array: the reduction starts from 0 (so a sum of -0 is 0), then the pairwise sum. */
export const npSum = (a: Float64Array): number => 0 + pairwise(a, 0, a.length);

/** np.mean: np.sum / n. */
const npMean = (a: Float64Array): number => npSum(a) / a.length;

/** np.std (ddof 0), as numpy/_core/_methods.py's _var: mean = sum / n; sqrt(sum((x - mean) * (x - mean)) / n). */
export function npStd(a: Float64Array): number {
  const n = a.length, mean = npSum(a) / n, d = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = a[i] - mean;
    d[i] = v * v;
  }
  return Math.sqrt(npSum(d) / n);
}

/**
 * np.quantile(sorted, q) with the default linear method on an ascending array (NumPy's _quantile):
 * virtual index (n - 1) * q; previous = floor (-1 with next = last when the index is >= n - 1);
 * gamma = index - previous; _lerp: a + (b - a) * t, or b - (b - a) * (1 - t) where t >= 0.5.
 */
function npQuantileSorted(s: Float64Array, q: number): number {
  const n = s.length, v = (n - 1) * q;
  let prev = Math.floor(v), lo = prev, hi = prev + 1;
  if (v >= n - 1) { prev = -1; lo = n - 1; hi = n - 1; }
  const t = v - prev, a = s[lo], b = s[hi], diff = b - a;
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

// ---------------------------------------------------------------------------------------------------------
// Correctly rounded log2 and pow in double-double (about 100 bits): the rules' log2(n) and n ** (1/3).
// core/dd.ts's operations leave each result in R[0] + R[1]; so do ddLog and ddExp.

const LN2_HI = 0.6931471805599453, LN2_LO = 2.3190468138462996e-17;
const LOG2E_HI = 1.4426950408889634, LOG2E_LO = 2.0355273740931033e-17;
const SQRT2 = Math.SQRT2;

/** ln(x) in double-double for a finite x > 0: x = m * 2^e, m in [1/√2, √2), ln m = 2 atanh((m - 1)/(m + 1)).
 *  Returns e; ln m is left in R[0] + R[1]. */
function ddLog(x: number): number {
  let e = exponent(x) - 1, m = ldexp(x, -e); // m in [1, 2), exact
  if (m > SQRT2) { m /= 2; e += 1; }
  twoSum(m, 1);
  ddDiv(m - 1, 0, R[0], R[1]);
  const sh = R[0], sl = R[1];
  ddMul(sh, sl, sh, sl);
  const s2h = R[0], s2l = R[1];
  ddDiv(1, 0, 49, 0);
  let acch = R[0], accl = R[1];
  for (let k = 23; k >= 0; k--) {
    ddMul(acch, accl, s2h, s2l);
    const ph = R[0], pl = R[1];
    ddDiv(1, 0, 2 * k + 1, 0);
    ddAdd(ph, pl, R[0], R[1]);
    acch = R[0]; accl = R[1];
  }
  ddMul(sh, sl, acch, accl);
  ddMul(R[0], R[1], 2, 0);
  return e;
}

/** log2(x) correctly rounded (but within ~1e-30 of a midpoint) for a finite x > 0; Math.log2 elsewhere (NaN, ±0,
 *  Infinity, x < 0: exact there). */
export function log2CR(x: number): number {
  if (!(x > 0 && x < Infinity)) return Math.log2(x); // NaN, ±0, Infinity, negatives: exact there
  const e = ddLog(x);
  ddMul(R[0], R[1], LOG2E_HI, LOG2E_LO);
  const l2h = R[0], l2l = R[1];
  twoSum(e, l2h);
  return R[0] + (R[1] + l2l);
}

/** exp(zh + zl) for a double-double z (|z| < 700), left in R[0] + R[1]: z = k ln2 + r, exp(r / 2^10) by Taylor,
 *  squared 10 times. */
function ddExp(zh: number, zl: number): void {
  const k = Math.round(zh / LN2_HI);
  ddMul(LN2_HI, LN2_LO, -k, 0);
  ddAdd(zh, zl, R[0], R[1]);
  const rh = R[0] / 1024, rl = R[1] / 1024;
  // expm1(r) = r + r^2/2! + ... (|r| < 3.4e-4: 10 terms reach 1e-40)
  let ph = 0, pl = 0;
  for (let i = 11; i >= 1; i--) {
    ddAdd(ph, pl, 1, 0);
    const ah = R[0], al = R[1];
    ddDiv(rh, rl, i, 0);
    ddMul(ah, al, R[0], R[1]);
    ph = R[0]; pl = R[1];
  }
  for (let i = 0; i < 10; i++) { // (1 + p)^2 - 1
    ddMul(ph, pl, ph, pl);
    const qh = R[0], ql = R[1];
    ddMul(ph, pl, 2, 0);
    ddAdd(qh, ql, R[0], R[1]);
    ph = R[0]; pl = R[1];
  }
  ddAdd(ph, pl, 1, 0);
  const scale = 2 ** k;
  R[0] *= scale;
  R[1] *= scale;
}

/** x ** y correctly rounded (but within ~1e-28 of a midpoint) for finite x > 0, |y ln x| < 700 and a result in
 *  the normal range (the rules' n ** (±1/3)); Math.pow for x NaN, 0 or Infinity. */
export function powCR(x: number, y: number): number {
  if (x === 1 || y === 0) return 1;
  if (!(x > 0 && x < Infinity)) return Math.pow(x, y); // NaN, 0, Infinity: exact there
  const e = ddLog(x), lnh = R[0], lnl = R[1];
  ddMul(LN2_HI, LN2_LO, e, 0);
  ddAdd(R[0], R[1], lnh, lnl);
  ddMul(R[0], R[1], y, 0);
  ddExp(R[0], R[1]);
  return R[0] + R[1];
}

// ---------------------------------------------------------------------------------------------------------
// The rules (numpy/lib/_histograms_impl.py, _hist_bin_*), on a NaN-free sample trimmed to the range, n >= 1

/** 1.0 / 3 and -1.0 / 3.0 as Python computes them (not exactly ±1/3). */
const THIRD = 1 / 3, MINUS_THIRD = -1 / 3;
/** 24.0 * np.pi ** 0.5 (glibc's pow(pi, 0.5) = 1.7724538509055159). */
const SCOTT = 24.0 * 1.7724538509055159;

function ptpOf(a: Float64Array): number {
  let lo = a[0], hi = a[0];
  for (let i = 1; i < a.length; i++) {
    const v = a[i];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return hi - lo;
}

const sqrtWidth = (a: Float64Array, ptp: number): number => ptp / Math.sqrt(a.length);
const sturgesWidth = (a: Float64Array, ptp: number): number => ptp / (log2CR(a.length) + 1.0);

function fdWidth(a: Float64Array): number {
  const s = Float64Array.from(a).sort();
  const iqr = npQuantileSorted(s, 0.75) - npQuantileSorted(s, 0.25);
  return 2.0 * iqr * powCR(a.length, MINUS_THIRD);
}

/** v ** 3 correctly rounded (np.power(temp, 3) is within an ulp of it: SIMD pow on AVX-512 machines). */
function cube(v: number): number {
  twoProd(v, v);
  const h = R[0], l = R[1];
  twoProd(h, v);
  return R[0] + (R[1] + l * v);
}

function doaneWidth(a: Float64Array, ptp: number): number {
  const n = a.length;
  if (n <= 2) return 0.0;
  const sg1 = Math.sqrt(6.0 * (n - 2) / ((n + 1.0) * (n + 3)));
  const sigma = npStd(a);
  if (!(sigma > 0.0)) return 0.0;
  const mean = npMean(a), t = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    t[i] = cube((a[i] - mean) / sigma);
  }
  const g1 = npMean(t);
  return ptp / (1.0 + log2CR(n) + log2CR(1.0 + Math.abs(g1) / sg1));
}

/**
 * The bin width NumPy's rule computes for a NaN-free sample already trimmed to the range (its `_hist_bin_*`
 * selector; `range` is unused by these rules). 0 where the rule gives none (a constant sample; fd with a
 * zero IQR; doane with n <= 2 or a zero std), which histogramEdges turns into one bin. Exported for tests
 * and inspection: n ** (±1/3) and log2 are correctly rounded here, NumPy's (glibc, SIMD) are within an ulp,
 * so a width may differ from NumPy's in its last bit; the bin count it gives is NumPy's (see histogramEdges).
 * @throws RangeError for an empty sample.
 */
export function binWidth(sample: Float64Array, rule: BinRule): number {
  const n = sample.length;
  if (n === 0) throw new RangeError("binWidth: sample is empty");
  const ptp = ptpOf(sample);
  switch (rule) {
    case "sqrt": return sqrtWidth(sample, ptp);
    case "sturges": return sturgesWidth(sample, ptp);
    case "rice": return ptp / (2.0 * powCR(n, THIRD));
    case "scott": return powCR(SCOTT / n, THIRD) * npStd(sample);
    case "doane": return doaneWidth(sample, ptp);
    case "fd": return fdWidth(sample);
    case "auto": {
      const fd = fdWidth(sample), sturges = sturgesWidth(sample, ptp), half = sqrtWidth(sample, ptp) / 2;
      const corrected = half > fd ? half : fd; // Python's max(fd_bw, sqrt_bw / 2)
      return sturges < corrected ? sturges : corrected; // min(fd_bw_corrected, sturges_bw)
    }
  }
  throw new RangeError(`binWidth: unknown rule ${show(rule)}`);
}

// ---------------------------------------------------------------------------------------------------------
// Inputs

function isDetached(x: ArrayBufferView): boolean {
  return (x.buffer as ArrayBuffer & { detached?: boolean }).detached === true;
}

/**
 * The samples as a NaN-free Float64Array (a copy unless the input was a NaN-free Float64Array, never written):
 * an empty array or typed array is accepted (NumPy's edges of an empty sample are defined); otherwise
 * validate.ts's vector() reads it once. NaN: RangeError naming the first index, or dropped with nan: "ignore".
 */
function readSamples(fn: string, samples: unknown, ignoreNaN: boolean, finite = false): Float64Array {
  const empty = (Array.isArray(samples) && samples.length === 0) ||
    ((samples instanceof Float64Array || samples instanceof Float32Array) && samples.length === 0 &&
      !isDetached(samples));
  if (empty) return new Float64Array(0);
  const x = vector(fn, "samples", samples);
  const n = x.length;
  let nans = 0;
  for (let i = 0; i < n; i++) {
    const v = x[i];
    if (v - v === 0) continue;
    if (v === v) {
      if (!finite) continue;
      throw new RangeError(`${fn}: samples[${i}] is infinite (${v}); quantile edges need finite values`);
    }
    const type = nonNumberType(x, i);
    if (type !== undefined) throw new TypeError(`${fn}: samples[${i}] is not a number (${type})`);
    if (!ignoreNaN) throw new RangeError(`${fn}: samples[${i}] is NaN; pass nan: "ignore" to drop NaN values`);
    nans++;
  }
  if (nans === 0) return x instanceof Float64Array ? x : Float64Array.from(x as ArrayLike<number>);
  const out = new Float64Array(n - nans);
  for (let i = 0, j = 0; i < n; i++) if (x[i] === x[i]) out[j++] = x[i];
  return out;
}

function nanOption(fn: string, v: unknown): boolean {
  if (v === undefined || v === "raise") return false;
  if (v === "ignore") return true;
  throw new RangeError(`${fn}: nan must be "raise" or "ignore", got ${show(v)}`);
}

/** The `bins` option of every drift function that takes a count or a rule (and, with `edges`, an array
 *  of edges, which the caller handles), checked: undefined gives 10. */
export function binsOption(fn: string, v: unknown, edges = false): number | BinRule {
  if (v === undefined) return 10;
  const what = `a positive integer (at most ${MAX_BINS}), one of ${RULES.map((r) => `"${r}"`).join(", ")}${edges ? " or edges" : ""}`;
  if (typeof v === "number") {
    if (Number.isInteger(v) && v >= 1 && v <= MAX_BINS) return v;
    throw new RangeError(`${fn}: bins must be ${what}, got ${show(v)}`);
  }
  if (typeof v === "string") {
    if (RULES.includes(v)) return v as BinRule;
    throw new RangeError(`${fn}: bins must be ${what}, got ${show(v)}`);
  }
  throw new TypeError(`${fn}: bins must be ${what}, got ${show(v)}`);
}

function rangeOption(fn: string, v: unknown): [number, number] | undefined {
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || v.length !== 2) throw new TypeError(`${fn}: range must be an array [lo, hi], got ${show(v)}`);
  const lo: unknown = v[0], hi: unknown = v[1];
  if (typeof lo !== "number" || typeof hi !== "number") {
    throw new TypeError(`${fn}: range must hold two numbers, got [${show(lo)}, ${show(hi)}]`);
  }
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) throw new RangeError(`${fn}: range [${lo}, ${hi}] is not finite`);
  if (lo > hi) throw new RangeError(`${fn}: range must have lo <= hi, got [${lo}, ${hi}]`);
  return [lo, hi];
}

// ---------------------------------------------------------------------------------------------------------
// The edges

/**
 * Histogram bin edges, equal to NumPy 2.4's `np.histogram_bin_edges(a, bins, range)` bit for bit
 * (numpy/lib/_histograms_impl.py: _get_outer_edges, _get_bin_edges, the _hist_bin_* rules, np.linspace).
 *
 * - `bins` an integer k: k + 1 equally spaced edges, np.linspace(first, last, k + 1).
 * - `bins` a rule: the rule's width w from the samples inside the outer edges, then
 *   k = ceil((last - first) / w) (1 when w is 0), edges as above. Rules: "sqrt" ptp/√n; "sturges"
 *   ptp/(log2 n + 1); "rice" ptp/(2 n^(1/3)); "scott" (24√π/n)^(1/3)·std; "doane"
 *   ptp/(1 + log2 n + log2(1 + |g1|/σg1)); "fd" 2·IQR·n^(-1/3); "auto" min(max(fd, sqrt/2), sturges).
 * - Outer edges: `range` if given, else the samples' min and max; [0, 1] for an empty sample; equal
 *   outer edges are widened to [v - 0.5, v + 0.5] (a constant sample). With `range`, the rules see only the
 *   samples in [lo, hi] (±Infinity outside it are dropped as NumPy's keep mask does); none inside gives 1 bin.
 * - Float32Array (and other typed) samples are widened to float64: the edges equal NumPy's on
 *   `a.astype(np.float64)`. A plain array is read once (validate.ts's vector()).
 * - NumPy quirks kept: a rule whose width overflows to Infinity while the range is finite gives 0 bins,
 *   i.e. one edge [first]; an overflowing last - first (e.g. [-1e308, 1e308]) gives NaN/Infinity edges
 *   where NumPy does, and errors where NumPy does.
 * - Accuracy: log2 and n ** (±1/3) are correctly rounded here; NumPy's come from glibc's pow and its SIMD log2
 *   and power, off by an ulp for a few n (506 ** (1/3), 1104 ** (-1/3)...), so a width may differ from NumPy's in
 *   its last bit; the bin count (and so the edges) then differs only where (last - first) / width lies within
 *   an ulp of an integer (measured: 0 of 3,740 rule cases on data, 7 of 457 adversarial ranges built to land
 *   there; docs/drift/edges.md).
 * - Zero signs: the last edge is the samples' max; where the max is 0 and the samples hold both -0 and +0,
 *   it is +0 here (NumPy's sign there depends on its SIMD reduction order).
 * @throws RangeError for a NaN sample (naming its index) unless `nan: "ignore"`; for ±Infinity without
 *   `range` ("autodetected range ... is not finite"); for bad options (bins not a positive integer <=
 *   MAX_BINS nor a rule, range not two finite numbers with lo <= hi, nan not "raise"/"ignore"); when a rule
 *   asks for more than MAX_BINS bins or for a non-finite count (NumPy: int(NaN), int(inf)); when the edges do
 *   not increase strictly (NumPy's "Too many bins for data range"). TypeError for a non-number sample, a
 *   samples argument that is not an array or typed array, unknown option keys, options of the wrong type.
 */
export function histogramEdges(samples: Vector, options?: EdgeOptions): Float64Array {
  return edgesOf("histogramEdges", samples, options);
}

/**
 * histogramEdges for the functions that bin samples themselves (the metrics, the report): errors name
 * `fn`, and edges that come out non-finite (NumPy's linspace over a range whose width overflows a double
 * gives NaN, which histogramEdges returns as NumPy does) are a RangeError instead; so is a single edge (no
 * bin: a rule's width that overflows to +Infinity, NumPy's k = 0), which would leave nothing to compare.
 */
export function binEdges(fn: string, samples: Vector, options?: EdgeOptions): Float64Array {
  const edges = edgesOf(fn, samples, options);
  if (edges.length < 2) {
    throw new RangeError(`${fn}: the "${String(options?.bins)}" rule gives no bin for these samples (its width overflows a ` +
      "double); pass bins as a number or as edges");
  }
  for (let i = 0; i < edges.length; i++) {
    if (!Number.isFinite(edges[i])) {
      throw new RangeError(`${fn}: the samples' range [${edges[0]}, ${edges[edges.length - 1]}] is too wide for finite ` +
        "bin edges (its width overflows a double); pass range or explicit edges");
    }
  }
  return edges;
}

function edgesOf(fn: string, samples: Vector, options?: EdgeOptions): Float64Array {
  const o = checkOptions(fn, options, ["bins", "range", "nan"]);
  const bins = binsOption(fn, o.bins), range = rangeOption(fn, o.range), ignoreNaN = nanOption(fn, o.nan);
  let a = readSamples(fn, samples, ignoreNaN);

  // _get_outer_edges
  let first: number, last: number;
  if (range !== undefined) [first, last] = range;
  else if (a.length === 0) { first = 0; last = 1; }
  else {
    first = a[0]; last = a[0];
    for (let i = 1; i < a.length; i++) {
      const v = a[i];
      if (v < first || (v === 0 && first === 0 && 1 / v < 0)) first = v;
      if (v > last || (v === 0 && last === 0 && 1 / v > 0)) last = v;
    }
    if (!Number.isFinite(first) || !Number.isFinite(last)) {
      throw new RangeError(`${fn}: autodetected range of [${first}, ${last}] is not finite; pass range: [lo, hi] ` +
        "to leave infinite values out");
    }
  }
  if (first === last) { first -= 0.5; last += 0.5; }

  let nBins: number;
  if (typeof bins === "number") nBins = bins;
  else {
    if (range !== undefined) {
      let keep = 0;
      for (let i = 0; i < a.length; i++) if (a[i] >= first && a[i] <= last) keep++;
      if (keep < a.length) {
        const t = new Float64Array(keep);
        for (let i = 0, j = 0; i < a.length; i++) if (a[i] >= first && a[i] <= last) t[j++] = a[i];
        a = t;
      }
    }
    if (a.length === 0) nBins = 1;
    else {
      const width = binWidth(a, bins);
      if (width === 0) nBins = 1;
      else {
        const k = Math.ceil((last - first) / width);
        if (!(k >= 0 && k <= MAX_BINS)) {
          throw new RangeError(`${fn}: the "${bins}" rule asks for ${k} bins ` +
            `(width ${width} over [${first}, ${last}]); ` +
            `at most ${MAX_BINS} are made`);
        }
        nBins = k + 0; // -0 (a width below 0: rounding) is NumPy's int(-0.0) = 0
      }
    }
  }

  const edges = linspaceOf(first, last, nBins + 1);
  for (let i = 0; i < nBins; i++) {
    if (edges[i] >= edges[i + 1]) {
      throw new RangeError(`${fn}: too many bins for data range: cannot create ${nBins} finite-sized bins over ` +
        `[${first}, ${last}]`);
    }
  }
  return edges;
}

/**
 * Equal-frequency edges: `np.unique(np.quantile(samples, np.linspace(0, 1, bins + 1)))` with NumPy's default
 * (linear) method, bit for bit: the quantile levels are NumPy's linspace (i * (1 / bins)), each quantile
 * interpolates the sorted samples with NumPy's _lerp; equal edges (ties, heavy duplicates) are collapsed, so
 * the result holds between 1 and bins + 1 strictly increasing edges (its first is the min, its last the max).
 * A constant sample gives one edge [v]: no bin; to histogram it, widen as histogramEdges does
 * (histogramEdges(samples) gives [v - 0.5, ..., v + 0.5]) or pass your own edges.
 * Float32Array samples are widened to float64. Sorting: a Float64Array copy, natively (-0 before +0); where
 * an edge is a zero and the samples hold both -0 and +0 near its rank, its sign may differ from NumPy's (its
 * partition does not order zeros); the values compare equal.
 * @throws RangeError for an empty sample (after dropping NaN), a NaN (naming its index) unless
 *   `nan: "ignore"`, ±Infinity (a quantile next to an infinite sample is NaN in NumPy), bins not an integer
 *   in [1, MAX_BINS]. TypeError for a non-number sample, unknown option keys.
 */
export function quantileEdges(samples: Vector, bins: number, options?: QuantileEdgeOptions): Float64Array {
  const fn = "quantileEdges";
  if (typeof bins !== "number" || !Number.isInteger(bins) || bins < 1 || bins > MAX_BINS) {
    throw new RangeError(`${fn}: bins must be a positive integer (at most ${MAX_BINS}), got ${show(bins)}`);
  }
  const o = checkOptions(fn, options, ["nan"]), ignoreNaN = nanOption(fn, o.nan);
  const x = readSamples(fn, samples, ignoreNaN, true);
  const n = x.length;
  if (n === 0) throw new RangeError(`${fn}: samples is empty${ignoreNaN ? " (after dropping NaN)" : ""}`);
  const s = Float64Array.from(x).sort();
  const levels = linspaceOf(0, 1, bins + 1), q = new Float64Array(bins + 1);
  let sorted = true;
  for (let i = 0; i <= bins; i++) {
    q[i] = npQuantileSorted(s, levels[i]);
    if (i > 0 && q[i] < q[i - 1]) sorted = false;
  }
  // np.unique sorts, then keeps the first of each run of equal values: a stable sort (equal zeros keep the
  // order the quantiles gave them; a typed-array sort would put -0 first); mostly the quantiles are sorted.
  if (!sorted) q.set(Array.from(q).sort((u, v) => (u < v ? -1 : u > v ? 1 : 0)));
  let m = 1;
  for (let i = 1; i <= bins; i++) if (q[i] !== q[m - 1]) q[m++] = q[i];
  return q.slice(0, m);
}
