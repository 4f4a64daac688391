// kl-wasm/reference/drift: every function of kl-wasm/drift in plain TypeScript, no
// WebAssembly: the same engine-neutral functions over the binning twin and
// kl-wasm/reference's KL and Jensen–Shannon. Full documentation at kl-wasm/drift.
import { makeDriftApi } from "./drift/api.js";
import { twinBinEngine } from "./drift/twin.js";
import type { Vector } from "./core/validate.js";
import type { Binned, HistogramOptions, HistogramClass, MergeableHistogram } from "./drift/histogram.js";
import type {
  MetricOptions, KlOptions, JsOptions, CategoryOptions, CategoryCounts, BinnedPair,
} from "./drift/metrics.js";
import type { ReportOptions, DriftReport, Table } from "./drift/report.js";

export type { Vector } from "./core/validate.js";
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

const api = /* @__PURE__ */ makeDriftApi(twinBinEngine);

/** In pure TypeScript: see kl-wasm/drift's `histogram`. */
export function histogram(samples: Vector, edges: Vector, options?: HistogramOptions): Binned {
  return api.histogram(samples, edges, options);
}

/** In pure TypeScript: see kl-wasm/drift's `createHistogram`. */
export function createHistogram(edges: Vector): MergeableHistogram {
  return api.createHistogram(edges);
}

/** The mergeable histogram class, twin engine (see kl-wasm/drift's `Histogram`). */
export const Histogram: HistogramClass = api.Histogram;
/** A mergeable histogram (an instance of {@link Histogram}). */
export type Histogram = MergeableHistogram;

/** In pure TypeScript: see kl-wasm/drift's `psi`. */
export function psi(reference: Vector, current: Vector, options?: MetricOptions): number {
  return api.psi(reference, current, options);
}

/** In pure TypeScript: see kl-wasm/drift's `klDivergence`. */
export function klDivergence(reference: Vector, current: Vector, options?: KlOptions): number {
  return api.klDivergence(reference, current, options);
}

/** In pure TypeScript: see kl-wasm/drift's `jensenShannonDistance`. */
export function jensenShannonDistance(reference: Vector, current: Vector, options?: JsOptions): number {
  return api.jensenShannonDistance(reference, current, options);
}

/** In pure TypeScript: see kl-wasm/drift's `hellingerDistance`. */
export function hellingerDistance(reference: Vector, current: Vector, options?: MetricOptions): number {
  return api.hellingerDistance(reference, current, options);
}

/** In pure TypeScript: see kl-wasm/drift's `totalVariation`. */
export function totalVariation(reference: Vector, current: Vector, options?: MetricOptions): number {
  return api.totalVariation(reference, current, options);
}

/** In pure TypeScript: see kl-wasm/drift's `chebyshev`. */
export function chebyshev(reference: Vector, current: Vector, options?: MetricOptions): number {
  return api.chebyshev(reference, current, options);
}

/** In pure TypeScript: see kl-wasm/drift's `proportions`. */
export function proportions(reference: Vector, current: Vector, options?: MetricOptions): { reference: Float64Array; current: Float64Array } {
  return api.proportions(reference, current, options);
}

/** In pure TypeScript: see kl-wasm/drift's `binCounts`. */
export function binCounts(reference: Vector, current: Vector, options: MetricOptions & { bins: NonNullable<MetricOptions["bins"]> }): BinnedPair {
  return api.binCounts(reference, current, options);
}

/** In pure TypeScript: see kl-wasm/drift's `categoryCounts`. */
export function categoryCounts(reference: ArrayLike<unknown>, current: ArrayLike<unknown>, options?: CategoryOptions): CategoryCounts {
  return api.categoryCounts(reference, current, options);
}

/** In pure TypeScript: see kl-wasm/drift's `driftReport`. */
export function driftReport(reference: Table, current: Table, options?: ReportOptions): DriftReport {
  return api.driftReport(reference, current, options);
}
