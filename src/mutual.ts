// kl-wasm/mutual: mutual information from joint tables, counts, labels and
// continuous samples (KSG). The functions are one-line calls into src/mutual/api.ts
// over the WebAssembly engine (tables' sums and KL through the discrete module,
// labels and neighbours through the mutual module).
import "./discrete/provision.js";
import "./mutual/provision.js";
import "./knn/provision.js";
import { makeMutualApi } from "./mutual/api.js";
import { makeKnnApi } from "./knn/api.js";
import type { CmiOptions, KnnEntropyOptions, KnnDivergenceOptions, MixedOptions, FeaturesOptions } from "./knn/api.js";
import { wasmKnnEngine } from "./knn/wasm.js";
import type {
  TableOptions, ConditionalOptions, LabelOptions, NmiOptions, KsgOptions, Labels, MutualInformationOptions, PermutationTestOptions,
  PermutationTest,
} from "./mutual/api.js";
import { wasmMutualEngine } from "./mutual/wasm.js";
import type { Vector } from "./core/validate.js";

export type { Vector } from "./core/validate.js";
export type {
  TableOptions, ConditionalOptions, LabelOptions, NmiOptions, KsgOptions, Labels, MutualInformationOptions, PermutationTestOptions,
  PermutationTest,
} from "./mutual/api.js";
export type { Estimator, Prior, EstimatorOptions } from "./discrete/estimators.js";
export type { Norm, CmiOptions, KnnEntropyOptions, KnnDivergenceOptions, MixedOptions, FeaturesOptions } from "./knn/api.js";
export { ready, simdBuild, useSimd } from "./core/wasm.js";
export type { SimdBuild } from "./core/wasm.js";

const knn = /* @__PURE__ */ makeKnnApi(wasmKnnEngine, wasmMutualEngine);
const api = /* @__PURE__ */ makeMutualApi(wasmMutualEngine, knn);

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
 *
 * `estimator` (a table of counts, docs/estimators.md): `"plugin"` is the value above;
 * `"millerMadow"`, `"chaoShen"`, `"shrinkage"`, `"grassberger"` and `"dirichlet"` (with `a`,
 * or `{ dirichlet: a }`) give H(X) + H(Y) − H(X,Y), each entropy estimated from its counts
 * (the row sums: K = rows bins, the column sums: K = cols, the cells: K = rows × cols), as
 * the form of R's infotheo::mutinformation. Such a value is not clipped and can be below 0.
 * `counts: true` is implied (non-negative integers); `counts: false` is a RangeError.
 *
 * @throws as {@link jointEntropy}; RangeError for an unknown estimator or prior, a non-integer
 *   count (named with its index), `counts: false` with an estimator other than "plugin".
 * @example mutualInformation([10, 2, 3, 9], 2, { estimator: "millerMadow" })
 */
export function mutualInformation(pxy: Vector, cols: number, options?: MutualInformationOptions): number {
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
 * A permutation test of independence for two label arrays (the same length): the MI of
 * {@link mutualInformationLabels} and its p-value, (1 + #{permutations whose MI ≥ the
 * observed}) / (1 + permutations) (Phipson & Smyth 2010: never 0). b is shuffled (a copy;
 * Fisher–Yates, mulberry32 from `seed`) `permutations` times (default 1000), each table
 * counted like {@link contingencyTable}; a permuted MI within 1e-12·max(1, MI) of the observed
 * counts as a tie (≥). Reproducible: the same seed (default 0) gives the same p-value in
 * every build. `base` scales `mi` only.
 *
 * @throws RangeError for arrays of different lengths, empty arrays, non-integer labels,
 *   `permutations` not an integer ≥ 1, `seed` not an integer in [0, 2^32); TypeError for
 *   an unknown option.
 * @example mutualInformationTest(a, b, { permutations: 999, seed: 1 }) // { mi, pvalue }
 */
export function mutualInformationTest(a: Labels, b: Labels, options?: PermutationTestOptions): PermutationTest {
  return api.mutualInformationTest(a, b, options);
}

/**
 * The Kraskov–Stögbauer–Grassberger estimator of I(X;Y) from continuous samples x, y
 * with the same number of rows (row-major, `xCols` and `yCols` columns, default 1 each).
 * With one column each and algorithm 1 (the defaults): scikit-learn's
 * `mutual_info_regression` for one feature, without its random noise (deterministic).
 * `k` neighbours (default 3) in the max-norm of the joint space; `algorithm` 1 or 2
 * (Kraskov et al. 2004); `scale` (default true) divides every column by its standard
 * deviation; `clip` (default true) returns max(0, estimate). See docs/knn.md.
 *
 * @throws RangeError for different numbers of rows, fewer than k + 1 rows, k not an
 *   integer ≥ 1, xCols/yCols not dividing the lengths, NaN or infinite samples (named
 *   `x[row, col]`; all of x is checked before y).
 */
export function mutualInformationKSG(x: Vector, y: Vector, options?: KsgOptions): number {
  return api.mutualInformationKSG(x, y, options);
}

/**
 * I(X;Y|Z) from continuous samples: the Frenzel–Pompe (2007) k-NN estimator,
 * ψ(k) − ⟨ψ(n_xz + 1) + ψ(n_yz + 1) − ψ(n_z + 1)⟩, max-norm, each column scaled by its
 * standard deviation (`scale`, default true), clipped at 0 (`clip`, default true).
 *
 * @throws RangeError for different numbers of rows, fewer than k + 1 rows, bad k or
 *   column counts, NaN or infinite samples (named `x[row, col]`).
 */
export function conditionalMutualInformation(x: Vector, y: Vector, z: Vector, options?: CmiOptions): number {
  return knn.conditionalMutualInformation(x, y, z, options);
}

/**
 * The Kozachenko–Leonenko differential entropy of samples (Kraskov's form), in nats:
 * ψ(n) − ψ(k) + log V_d + (d/n) Σ log ρ_i, ρ_i the distance to the k-th nearest other
 * row (`metric` "chebyshev", the default, or "euclidean"), V_d the unit ball's volume.
 * No scaling (the entropy depends on the units).
 *
 * @throws RangeError for a row with k or more duplicates (ρ = 0), fewer than k + 1 rows,
 *   bad k, cols or metric, NaN or infinite samples.
 */
export function entropyKNN(x: Vector, options?: KnnEntropyOptions): number {
  return knn.entropyKNN(x, options);
}

/**
 * KL(P‖Q) from samples x ~ P (n rows) and y ~ Q (m rows): the Wang–Kulkarni–Verdú (2009)
 * estimator (d/n) Σ log(ν_k(i)/ρ_k(i)) + log(m/(n − 1)), Euclidean distances, k
 * (default 1) nearest neighbours. Not clipped (the estimate can be below 0).
 *
 * @throws RangeError for a row of x with k or more duplicates in x (ρ = 0) or copies in y
 *   (ν = 0), n < k + 1 or m < k, bad k or cols, NaN or infinite samples.
 */
export function klDivergenceKNN(x: Vector, y: Vector, options?: KnnDivergenceOptions): number {
  return knn.klDivergenceKNN(x, y, options);
}

/**
 * I(X;L) of continuous samples x against integer labels (Ross 2014): scikit-learn's
 * `mutual_info_classif` for one continuous feature, without its noise. Rows whose label
 * is seen once are dropped (as scikit-learn); 0 when every label is unique.
 *
 * @throws RangeError for different numbers of rows, non-integer labels, bad k or xCols,
 *   NaN or infinite samples.
 */
export function mutualInformationMixed(x: Vector, labels: Labels, options?: MixedOptions): number {
  return knn.mutualInformationMixed(x, labels, options);
}

/**
 * One MI per feature (column) of X (n rows × `cols`) with the target y: scikit-learn's
 * `mutual_info_regression` (continuous y) and `mutual_info_classif` (`discreteTarget:
 * true`): continuous columns scaled, KSG for two continuous variables, Ross's estimator
 * for a continuous and a discrete one, the contingency MI for two discrete ones.
 * Deterministic unless `noise: seed` adds scikit-learn's jitter, reproducibly.
 *
 * @throws RangeError for different numbers of rows, fewer than k + 1 rows, non-integer
 *   labels in discrete features or target, bad options, NaN or infinite values.
 */
export function mutualInformationFeatures(X: Vector, y: Vector | Labels, options?: FeaturesOptions): Float64Array {
  return knn.mutualInformationFeatures(X, y, options);
}
