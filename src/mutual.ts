// kl-wasm/mutual: mutual information from joint tables, counts, labels and
// continuous samples (KSG). The functions are one-line calls into src/mutual/api.ts
// over the WebAssembly engine (tables' sums and KL through the discrete module,
// labels and neighbours through the mutual module).
import "./discrete/provision.js";
import "./mutual/provision.js";
import { makeMutualApi } from "./mutual/api.js";
import type { TableOptions, ConditionalOptions, LabelOptions, NmiOptions, KsgOptions, Labels } from "./mutual/api.js";
import { wasmMutualEngine } from "./mutual/wasm.js";
import type { Vector } from "./core/validate.js";

export type { Vector } from "./core/validate.js";
export type { TableOptions, ConditionalOptions, LabelOptions, NmiOptions, KsgOptions, Labels } from "./mutual/api.js";
export { ready } from "./core/wasm.js";

const api = /* @__PURE__ */ makeMutualApi(wasmMutualEngine);

/**
 * Joint entropy H(X,Y) of a row-major table `pxy` (rows = X, `cols` columns = Y), which
 * may hold probabilities or any non-negative weights: it is normalised by its total.
 * `counts: true` also requires non-negative integers.
 *
 * @throws RangeError for negative or non-finite entries (named with their index), a
 *   table summing to 0, `cols` not dividing the length, non-integer counts.
 */
export function jointEntropy(pxy: Vector, cols: number, options?: TableOptions): number {
  return api.jointEntropy(pxy, cols, options);
}

/** H(Y|X) (`given: "x"`, the default) or H(X|Y) (`given: "y"`) of a table, as {@link jointEntropy}. */
export function conditionalEntropy(pxy: Vector, cols: number, options?: ConditionalOptions): number {
  return api.conditionalEntropy(pxy, cols, options);
}

/**
 * Mutual information I(X;Y) = Σ p log(p / (pₓ p_y)) of a table, as {@link jointEntropy}:
 * computed as a KL sum against the outer product of the marginals, so an independent
 * table gives 0 to rounding (no cancellation of large entropies); never negative.
 */
export function mutualInformation(pxy: Vector, cols: number, options?: TableOptions): number {
  return api.mutualInformation(pxy, cols, options);
}

/**
 * The contingency table of two label arrays: `counts` (row-major, rows = a's classes,
 * columns = b's, each in increasing label order; only classes present).
 */
export function contingencyTable(a: Labels, b: Labels): { counts: Float64Array; rows: number; cols: number } {
  return api.contingencyTable(a, b);
}

/**
 * Mutual information between two labellings of the same samples: scikit-learn's
 * `mutual_info_score`. Labels are integers (Int32Array is the fast path; Uint32Array,
 * number[] and Float64Array of integers too), need not be contiguous. 0 when either side
 * has a single class.
 *
 * @throws RangeError for arrays of different lengths, empty arrays, non-integer labels.
 */
export function mutualInformationLabels(a: Labels, b: Labels, options?: LabelOptions): number {
  return api.mutualInformationLabels(a, b, options);
}

/**
 * Normalised mutual information I / mean(H(a), H(b)), scikit-learn's
 * `normalized_mutual_info_score` (`average`: "arithmetic", the default, "geometric",
 * "min" or "max"): 1 when both have a single class, 0 when I = 0, clamped to [0, 1].
 */
export function normalizedMutualInformation(a: Labels, b: Labels, options?: NmiOptions): number {
  return api.normalizedMutualInformation(a, b, options);
}

/**
 * The Kraskov–Stögbauer–Grassberger estimator (algorithm 1) of I(X;Y) from continuous
 * samples x, y of equal length: scikit-learn's `mutual_info_regression` for one feature,
 * without its random noise (deterministic). `k` neighbours (default 3) in the max-norm;
 * `scale` (default true) divides by the standard deviations; `clip` (default true)
 * returns max(0, estimate).
 *
 * @throws RangeError for samples of different lengths, fewer than k + 1 samples, k not
 *   an integer ≥ 1, NaN or infinite samples (all of x is checked before y).
 */
export function mutualInformationKSG(x: Vector, y: Vector, options?: KsgOptions): number {
  return api.mutualInformationKSG(x, y, options);
}
