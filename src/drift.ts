// kl-wasm/drift: from raw samples to divergences. NumPy's bin edges, histograms
// binned in WebAssembly (and mergeable across machines), the drift metrics on counts or
// samples, the two-sample statistics of SciPy, and a report over a whole table. The
// functions are one-line calls into src/drift/api.ts over the WebAssembly binning engine;
// the edges and the sample statistics need no engine and are exported as they are. KL
// and Jensen–Shannon of the binned counts are the discrete family's pure-TS functions
// (api.ts says why), so this entry carries one module, drift.wasm.
import "./drift/provision.js";
import { makeDriftApi } from "./drift/api.js";
import { wasmBinEngine } from "./drift/wasm.js";
import type { Vector } from "./core/validate.js";
import type { Binned, HistogramOptions, HistogramClass, MergeableHistogram } from "./drift/histogram.js";
import type {
  MetricOptions, KlOptions, JsOptions, CategoryOptions, CategoryCounts, BinnedPair,
} from "./drift/metrics.js";
import type { ReportOptions, DriftReport, Table } from "./drift/report.js";

export type { Vector } from "./core/validate.js";
export { ready, simdBuild, useSimd } from "./core/wasm.js";
export type { SimdBuild } from "./core/wasm.js";
export { histogramEdges, quantileEdges } from "./drift/edges.js";
export type { BinRule, EdgeOptions, QuantileEdgeOptions } from "./drift/edges.js";
export { wasserstein1, ksTest } from "./drift/samples.js";
export type { WassersteinOptions, KsTestOptions, KsTestResult } from "./drift/samples.js";
export type { Binned, HistogramOptions, AddOptions, HistogramJSON, HistogramClass, MergeableHistogram } from "./drift/histogram.js";
export type {
  Smoothing, MetricOptions, KlOptions, JsOptions, CategoryOptions, Category, CategoryCounts, BinnedPair,
} from "./drift/metrics.js";
export type {
  ReportMetric, Preset, Column, Table, ReportOptions, FeatureBins, FeatureReport, DriftReport,
} from "./drift/report.js";

const api = /* @__PURE__ */ makeDriftApi(wasmBinEngine);

/**
 * Counts `samples` into the bins of `edges` as `np.histogram(samples, bins=edges)` does: bin i
 * is [edges[i], edges[i+1]), the last bin [edges[n-1], edges[n]] (it holds its right edge).
 * Samples below the first edge (−Infinity included) are counted in `under`, above the last in
 * `over`: never dropped silently. Counts are exact integers.
 *
 * @param samples number[] (read once), Float64Array, Float32Array (compared as float64), or a
 *   workspace view (read in place).
 * @param edges at least 2 finite numbers, non-decreasing (equal edges: a zero-width bin, as NumPy).
 * @param options `out`: a Float64Array of edges.length − 1 counts to fill; `nan`: `"raise"`
 *   (default) or `"ignore"` (NaN samples counted in `nan`, in no bin).
 * @throws RangeError for a NaN sample (naming its index) unless `nan: "ignore"`, for bad edges
 *   (naming the index) or a wrong-sized `out`; TypeError for non-numbers and unknown options.
 * @example histogram([0, 1, 2, 3, 9], [0, 1, 2, 3]) // { counts: [1, 1, 2], under: 0, over: 1, nan: 0 }
 */
export function histogram(samples: Vector, edges: Vector, options?: HistogramOptions): Binned {
  return api.histogram(samples, edges, options);
}

/**
 * A mergeable histogram over `edges` (checked as {@link histogram}): `add(samples)` counts more
 * samples, `merge(other)` adds another histogram over the same edges (bit for bit), `toJSON()`
 * and `Histogram.fromJSON(json)` carry it between processes or machines. Any chunking of the
 * data and any merge order give identical counts, so every metric of the merged counts equals
 * the metric of all the data.
 */
export function createHistogram(edges: Vector): MergeableHistogram {
  return api.createHistogram(edges);
}

/** The mergeable histogram class (`new Histogram(edges)`, `Histogram.fromJSON(json)`); see {@link createHistogram}. */
export const Histogram: HistogramClass = api.Histogram;
/** A mergeable histogram (an instance of {@link Histogram}). */
export type Histogram = MergeableHistogram;

/**
 * Population stability index Σ (c − r) ln(c / r) of the proportions r (reference) and c
 * (current) over bins not empty on both sides: symmetric, KL(r‖c) + KL(c‖r); +Infinity where
 * one side only is empty, unless `smoothing` fills it. Counts by default; raw samples with `bins`.
 *
 * @param reference counts (or samples with `bins`).
 * @param current counts of the same bins (or samples).
 * @param options `smoothing` (`"none"` default, `{ add }`, `{ floor }`, `{ clip }`), and for
 *   samples `bins` (count, NumPy rule or edges), `edgesFrom`, `range`, `outside`, `nan`.
 * @throws RangeError for different lengths, negative or non-finite counts, a total of 0, bad
 *   options; TypeError for unknown options.
 * @example psi([50, 30, 20], [40, 30, 30]) // 0.06286086594223741
 */
export function psi(reference: Vector, current: Vector, options?: MetricOptions): number {
  return api.psi(reference, current, options);
}

/**
 * KL(reference‖current) of the proportions (`direction: "reverse"`: KL(current‖reference)),
 * after `smoothing`; exact (no clip): +Infinity where the second side is empty and the first is
 * not. `base` e by default. Inputs and errors as {@link psi}.
 */
export function klDivergence(reference: Vector, current: Vector, options?: KlOptions): number {
  return api.klDivergence(reference, current, options);
}

/**
 * The Jensen–Shannon distance √JS(r, c) of the proportions, SciPy's `jensenshannon`: base e by
 * default (in [0, √ln 2]); `base: 2` gives [0, 1]. Always finite. Inputs and errors as {@link psi}.
 */
export function jensenShannonDistance(reference: Vector, current: Vector, options?: JsOptions): number {
  return api.jensenShannonDistance(reference, current, options);
}

/** The Hellinger distance √(½ Σ (√r − √c)²) in [0, 1]. Inputs and errors as {@link psi}. */
export function hellingerDistance(reference: Vector, current: Vector, options?: MetricOptions): number {
  return api.hellingerDistance(reference, current, options);
}

/** Total variation ½ Σ |r − c| in [0, 1]. Inputs and errors as {@link psi}. */
export function totalVariation(reference: Vector, current: Vector, options?: MetricOptions): number {
  return api.totalVariation(reference, current, options);
}

/** The Chebyshev (L∞) distance max |r − c| in [0, 1], the usual one for categories. Inputs and errors as {@link psi}. */
export function chebyshev(reference: Vector, current: Vector, options?: MetricOptions): number {
  return api.chebyshev(reference, current, options);
}

/** The smoothed proportions every metric sees for these inputs and options (see {@link psi}). */
export function proportions(reference: Vector, current: Vector, options?: MetricOptions): { reference: Float64Array; current: Float64Array } {
  return api.proportions(reference, current, options);
}

/**
 * Two samples binned as the metrics bin them (`bins` required): the edges and aligned counts,
 * with an extra bin below / above when `outside: "extend"` (the default) found samples there.
 * Bin once, then compute several metrics from the counts.
 */
export function binCounts(reference: Vector, current: Vector, options: MetricOptions & { bins: NonNullable<MetricOptions["bins"]> }): BinnedPair {
  return api.binCounts(reference, current, options);
}

/**
 * Aligned counts of two arrays of categories (numbers or strings): the union of categories,
 * numbers ascending then strings by UTF-16 code units (independent of the data's order, so
 * partial counts merge); 1 and "1" differ, −0 is 0. Missing values (NaN, null, undefined,
 * holes): RangeError naming the index, or left out and counted with `nan: "ignore"`.
 */
export function categoryCounts(reference: ArrayLike<unknown>, current: ArrayLike<unknown>, options?: CategoryOptions): CategoryCounts {
  return api.categoryCounts(reference, current, options);
}

/**
 * Drift of every column of `current` against the same column of `reference`: an object of
 * columns (numbers, or strings for categories) or a row-major matrix with `cols`. One result
 * per feature with each metric, its flag against the threshold, and the bins used; presets
 * `"evidently"` and `"nannyml"` reproduce those tools' recipes (docs/drift.md states every step).
 */
export function driftReport(reference: Table, current: Table, options?: ReportOptions): DriftReport {
  return api.driftReport(reference, current, options);
}
