// kl-wasm/reference: every function of kl-wasm, kl-wasm/fit, kl-wasm/mutual, kl-wasm/logits, kl-wasm/pairwise,
// kl-wasm/divergences and kl-wasm/distributions in
// plain TypeScript, no WebAssembly: the same engine-neutral functions (the same
// checks, options and errors) over the pure-TS twins. Each function's full
// documentation is at its namesake in the WebAssembly entries.
import { makeApi, plainPair } from "./discrete/api.js";
import { makeFitApi } from "./fit/api.js";
import type { KlDensityOptions, GaussianFitOptions, AsyncFitOptions, GaussianFit, GaussianFitGrid } from "./fit/api.js";
import { makeMutualApi } from "./mutual/api.js";
import type {
  TableOptions, ConditionalOptions, LabelOptions, NmiOptions, KsgOptions, Labels, MutualInformationOptions, PermutationTestOptions,
  PermutationTest,
} from "./mutual/api.js";
import { referenceMutualEngine } from "./mutual/twin.js";
import { makeKnnApi } from "./knn/api.js";
import type { CmiOptions, KnnEntropyOptions, KnnDivergenceOptions, MixedOptions, FeaturesOptions } from "./knn/api.js";
import { twinKnnEngine } from "./knn/twin.js";
import { referenceEngine, plainCallsAnyLength as plainCalls } from "./discrete/twin.js";
import { referenceFitEngine } from "./fit/twin.js";
import { makeLogitsApi } from "./logits/api.js";
import type {
  SoftmaxOptions, Logits64, TemperatureOptions, KlLogOptions, KlLogitsOptions, CrossEntropyOptions, PerplexityOptions, ClassLabels,
} from "./logits/api.js";
import { twinLogitsEngine } from "./logits/twin.js";
import { makePairwiseApi } from "./pairwise/api.js";
import type { MatrixOptions, Matrix64Options, Matrix32Options, NearestOptions, Nearest } from "./pairwise/api.js";
import { twinPairwiseEngine } from "./pairwise/twin.js";
import type { Vector, EntropyOptions, DivergenceOptions, JensenShannonOptions } from "./core/validate.js";
import type { EstimatorOptions } from "./discrete/estimators.js";

export type { Vector, EntropyOptions, DivergenceOptions, JensenShannonOptions } from "./core/validate.js";
export type { Estimator, Prior, EstimatorOptions } from "./discrete/estimators.js";
export { linspace, normalPdf, mixturePdf, normalizeDensity, gaussianKL, gaussianKLDiag } from "./fit/grid.js";
export type { Mixture } from "./fit/grid.js";
export type {
  Direction, KlDensityOptions, GaussianFitOptions, AsyncFitOptions, GaussianFit, GaussianFitGrid, GridCell, Optimum,
} from "./fit/api.js";
export type {
  TableOptions, ConditionalOptions, LabelOptions, NmiOptions, KsgOptions, Labels, MutualInformationOptions, PermutationTestOptions,
  PermutationTest,
} from "./mutual/api.js";
export type { Norm, CmiOptions, KnnEntropyOptions, KnnDivergenceOptions, MixedOptions, FeaturesOptions } from "./knn/api.js";
export type {
  Reduction, SoftmaxOptions, Logits64, TemperatureOptions, KlLogOptions, KlLogitsOptions, CrossEntropyOptions, PerplexityOptions,
  ClassLabels,
} from "./logits/api.js";
export type { PairMetric, PairwiseOptions, MatrixOptions, Matrix64Options, Matrix32Options, NearestOptions, Nearest } from "./pairwise/api.js";
// kl-wasm/divergences over the twin
export * from "./divergence/reference.js";

// a typed or plain array (pair) without options takes the plain call inside api (api.ts general); klDivergence's
// typed pair goes to it first, as the facade's does (the benchmarks' baseline; the others are left to api for the
// entry's size budget)
const api = /* @__PURE__ */ makeApi(referenceEngine, { engine: referenceEngine, below: Infinity, plain: plainCalls });
const fit = /* @__PURE__ */ makeFitApi(referenceFitEngine);
const knn = /* @__PURE__ */ makeKnnApi(twinKnnEngine, referenceMutualEngine);
const mutual = /* @__PURE__ */ makeMutualApi(referenceMutualEngine, knn);
const logits = /* @__PURE__ */ makeLogitsApi(twinLogitsEngine);
const pairs = /* @__PURE__ */ makePairwiseApi(twinPairwiseEngine);

/** Shannon entropy H(P) = −Σ p log p, in pure TypeScript (see kl-wasm's `entropy`). */
export function entropy(p: Vector, options?: EntropyOptions & EstimatorOptions): number {
  return api.entropy(p, options);
}
/** KL(P‖Q) = Σ over p > 0 of p log(p / clip(q, eps, 1)), in pure TypeScript (see kl-wasm's `klDivergence`). */
export function klDivergence(p: Vector, q: Vector, options?: DivergenceOptions): number {
  if (plainPair(p, q, options, Infinity, true)) { const v = plainCalls.kl(p, q); if (v === v) return v; }
  return api.klDivergence(p, q, options);
}
/** H(P, Q) = H(P) + KL(P‖Q), in pure TypeScript (see kl-wasm's `crossEntropy`). */
export function crossEntropy(p: Vector, q: Vector, options?: DivergenceOptions): number {
  return api.crossEntropy(p, q, options);
}
/** JS(P, Q) = ½ KL(P‖M) + ½ KL(Q‖M), in pure TypeScript (see kl-wasm's `jensenShannon`). */
export function jensenShannon(p: Vector, q: Vector, options?: JensenShannonOptions): number {
  return api.jensenShannon(p, q, options);
}
/** √JS(P, Q), in pure TypeScript (see kl-wasm's `jensenShannonDistance`). */
export function jensenShannonDistance(p: Vector, q: Vector, options?: JensenShannonOptions): number {
  return api.jensenShannonDistance(p, q, options);
}
/** {@link entropy} of each row (see kl-wasm's `entropyRows`). */
export function entropyRows(p: Vector, cols: number, options?: EntropyOptions & EstimatorOptions): Float64Array {
  return api.entropyRows(p, cols, options);
}
/** {@link klDivergence} of each pair of rows (see kl-wasm's `klDivergenceRows`). */
export function klDivergenceRows(p: Vector, q: Vector, cols: number, options?: DivergenceOptions): Float64Array {
  return api.klDivergenceRows(p, q, cols, options);
}
/** {@link crossEntropy} of each pair of rows. */
export function crossEntropyRows(p: Vector, q: Vector, cols: number, options?: DivergenceOptions): Float64Array {
  return api.crossEntropyRows(p, q, cols, options);
}
/** {@link jensenShannon} of each pair of rows. */
export function jensenShannonRows(p: Vector, q: Vector, cols: number, options?: JensenShannonOptions): Float64Array {
  return api.jensenShannonRows(p, q, cols, options);
}
/** {@link jensenShannonDistance} of each pair of rows. */
export function jensenShannonDistanceRows(p: Vector, q: Vector, cols: number, options?: JensenShannonOptions): Float64Array {
  return api.jensenShannonDistanceRows(p, q, cols, options);
}

/** KL between densities on a grid, the seed's `forward_kl` body (see kl-wasm/fit's `klDensity`). */
export function klDensity(p: Vector, q: Vector, dx: number, options?: KlDensityOptions): number {
  return fit.klDensity(p, q, dx, options);
}
/** A Gaussian fit by forward or reverse KL over a (μ, σ) grid, refined (see kl-wasm/fit's `gaussianFit`). */
export function gaussianFit(p: Vector, x: Vector, options: GaussianFitOptions & { refine: false }): GaussianFitGrid;
export function gaussianFit(p: Vector, x: Vector, options: GaussianFitOptions): GaussianFit;
export function gaussianFit(p: Vector, x: Vector, options: GaussianFitOptions): GaussianFit {
  return fit.gaussianFit(p, x, options);
}
/** {@link gaussianFit} in chunks that yield to the event loop (see kl-wasm/fit's `gaussianFitAsync`). */
export function gaussianFitAsync(p: Vector, x: Vector, options: AsyncFitOptions & { refine: false }): Promise<GaussianFitGrid>;
export function gaussianFitAsync(p: Vector, x: Vector, options: AsyncFitOptions): Promise<GaussianFit>;
export function gaussianFitAsync(p: Vector, x: Vector, options: AsyncFitOptions): Promise<GaussianFit> {
  return fit.gaussianFitAsync(p, x, options);
}

/** H(X,Y) of a table (see kl-wasm/mutual's `jointEntropy`). */
export function jointEntropy(pxy: Vector, cols: number, options?: TableOptions): number {
  return mutual.jointEntropy(pxy, cols, options);
}
/** H(Y|X) or H(X|Y) of a table (see kl-wasm/mutual's `conditionalEntropy`). */
export function conditionalEntropy(pxy: Vector, cols: number, options?: ConditionalOptions): number {
  return mutual.conditionalEntropy(pxy, cols, options);
}
/** I(X;Y) of a table (see kl-wasm/mutual's `mutualInformation`). */
export function mutualInformation(pxy: Vector, cols: number, options?: MutualInformationOptions): number {
  return mutual.mutualInformation(pxy, cols, options);
}
/** The contingency table of two label arrays (see kl-wasm/mutual's `contingencyTable`). */
export function contingencyTable(a: Labels, b: Labels): { counts: Float64Array; rows: number; cols: number } {
  return mutual.contingencyTable(a, b);
}
/** scikit-learn's `mutual_info_score` (see kl-wasm/mutual's `mutualInformationLabels`). */
export function mutualInformationLabels(a: Labels, b: Labels, options?: LabelOptions): number {
  return mutual.mutualInformationLabels(a, b, options);
}
/** scikit-learn's `normalized_mutual_info_score` (see kl-wasm/mutual's `normalizedMutualInformation`). */
export function normalizedMutualInformation(a: Labels, b: Labels, options?: NmiOptions): number {
  return mutual.normalizedMutualInformation(a, b, options);
}
/** The MI of two labellings and its permutation p-value (see kl-wasm/mutual's `mutualInformationTest`). */
export function mutualInformationTest(a: Labels, b: Labels, options?: PermutationTestOptions): PermutationTest {
  return mutual.mutualInformationTest(a, b, options);
}
/** The KSG estimator of I(X;Y) from continuous samples (see kl-wasm/mutual's `mutualInformationKSG`). */
export function mutualInformationKSG(x: Vector, y: Vector, options?: KsgOptions): number {
  return mutual.mutualInformationKSG(x, y, options);
}
/** I(X;Y|Z), Frenzel–Pompe (see kl-wasm/mutual's `conditionalMutualInformation`). */
export function conditionalMutualInformation(x: Vector, y: Vector, z: Vector, options?: CmiOptions): number {
  return knn.conditionalMutualInformation(x, y, z, options);
}
/** Kozachenko–Leonenko entropy of samples (see kl-wasm/mutual's `entropyKNN`). */
export function entropyKNN(x: Vector, options?: KnnEntropyOptions): number {
  return knn.entropyKNN(x, options);
}
/** Wang–Kulkarni–Verdú KL(P‖Q) of samples (see kl-wasm/mutual's `klDivergenceKNN`). */
export function klDivergenceKNN(x: Vector, y: Vector, options?: KnnDivergenceOptions): number {
  return knn.klDivergenceKNN(x, y, options);
}
/** I of continuous samples and labels, Ross (see kl-wasm/mutual's `mutualInformationMixed`). */
export function mutualInformationMixed(x: Vector, labels: Labels, options?: MixedOptions): number {
  return knn.mutualInformationMixed(x, labels, options);
}
/** scikit-learn's mutual_info_regression / mutual_info_classif (see kl-wasm/mutual's `mutualInformationFeatures`). */
export function mutualInformationFeatures(X: Vector, y: Vector | Labels, options?: FeaturesOptions): Float64Array {
  return knn.mutualInformationFeatures(X, y, options);
}

/** In pure TypeScript: see kl-wasm/logits's `logSoftmaxRows`. */
export function logSoftmaxRows(x: Float32Array, cols: number, options?: SoftmaxOptions & { out?: Float32Array }): Float32Array;
export function logSoftmaxRows(x: Vector, cols: number, options: SoftmaxOptions & { out: Float32Array }): Float32Array;
export function logSoftmaxRows(x: Logits64, cols: number, options?: SoftmaxOptions & { out?: Float64Array }): Float64Array;
export function logSoftmaxRows(x: Vector, cols: number, options?: SoftmaxOptions): Float64Array | Float32Array;
export function logSoftmaxRows(x: Vector, cols: number, options?: SoftmaxOptions): Float64Array | Float32Array {
  return logits.logSoftmaxRows(x, cols, options);
}
/** In pure TypeScript: see kl-wasm/logits's `softmaxRows`. */
export function softmaxRows(x: Float32Array, cols: number, options?: SoftmaxOptions & { out?: Float32Array }): Float32Array;
export function softmaxRows(x: Vector, cols: number, options: SoftmaxOptions & { out: Float32Array }): Float32Array;
export function softmaxRows(x: Logits64, cols: number, options?: SoftmaxOptions & { out?: Float64Array }): Float64Array;
export function softmaxRows(x: Vector, cols: number, options?: SoftmaxOptions): Float64Array | Float32Array;
export function softmaxRows(x: Vector, cols: number, options?: SoftmaxOptions): Float64Array | Float32Array {
  return logits.softmaxRows(x, cols, options);
}
/** In pure TypeScript: see kl-wasm/logits's `logSumExpRows`. */
export function logSumExpRows(x: Vector, cols: number, options?: TemperatureOptions): Float64Array {
  return logits.logSumExpRows(x, cols, options);
}
/** In pure TypeScript: see kl-wasm/logits's `klDivergenceLog`. */
export function klDivergenceLog(logp: Vector, logq: Vector, cols: number | undefined, options: KlLogOptions & { reduction: "none" }): Float64Array;
export function klDivergenceLog(logp: Vector, logq: Vector, cols?: number, options?: KlLogOptions & { reduction?: "sum" | "mean" | "batchmean" }): number;
export function klDivergenceLog(logp: Vector, logq: Vector, cols?: number, options?: KlLogOptions): number | Float64Array {
  return logits.klDivergenceLog(logp, logq, cols, options);
}
/** In pure TypeScript: see kl-wasm/logits's `klDivergenceLogits`. */
export function klDivergenceLogits(teacher: Vector, student: Vector, cols: number, options: KlLogitsOptions & { reduction: "none" }): Float64Array;
export function klDivergenceLogits(teacher: Vector, student: Vector, cols: number, options?: KlLogitsOptions & { reduction?: "sum" | "mean" | "batchmean" }): number;
export function klDivergenceLogits(teacher: Vector, student: Vector, cols: number, options?: KlLogitsOptions): number | Float64Array {
  return logits.klDivergenceLogits(teacher, student, cols, options);
}
/** In pure TypeScript: see kl-wasm/logits's `crossEntropyLogits`. */
export function crossEntropyLogits(x: Vector, labels: ClassLabels, cols: number, options: CrossEntropyOptions & { reduction: "none" }): Float64Array;
export function crossEntropyLogits(x: Vector, labels: ClassLabels, cols: number, options?: CrossEntropyOptions & { reduction?: "sum" | "mean" }): number;
export function crossEntropyLogits(x: Vector, labels: ClassLabels, cols: number, options?: CrossEntropyOptions): number | Float64Array {
  return logits.crossEntropyLogits(x, labels, cols, options);
}
/** In pure TypeScript: see kl-wasm/logits's `entropyLogits`. */
export function entropyLogits(x: Vector, cols: number, options?: TemperatureOptions): Float64Array {
  return logits.entropyLogits(x, cols, options);
}
/** In pure TypeScript: see kl-wasm/logits's `perplexity`. */
export function perplexity(x: Vector, labels: ClassLabels, cols: number, options?: PerplexityOptions): number {
  return logits.perplexity(x, labels, cols, options);
}

/** In pure TypeScript: see kl-wasm/pairwise's `pairwise`. */
export function pairwise(X: Vector, Y: Vector | null | undefined, cols: number, options: Matrix64Options): Float64Array;
export function pairwise(X: Vector, Y: Vector | null | undefined, cols: number, options: Matrix32Options): Float32Array;
export function pairwise(X: Vector, Y: Vector | null | undefined, cols: number, options: MatrixOptions): Float64Array | Float32Array;
export function pairwise(X: Vector, Y: Vector | null | undefined, cols: number, options: MatrixOptions): Float64Array | Float32Array {
  return pairs.pairwise(X, Y, cols, options);
}
/** In pure TypeScript: see kl-wasm/pairwise's `pairwiseCondensed`. */
export function pairwiseCondensed(X: Vector, cols: number, options: Matrix64Options): Float64Array;
export function pairwiseCondensed(X: Vector, cols: number, options: Matrix32Options): Float32Array;
export function pairwiseCondensed(X: Vector, cols: number, options: MatrixOptions): Float64Array | Float32Array;
export function pairwiseCondensed(X: Vector, cols: number, options: MatrixOptions): Float64Array | Float32Array {
  return pairs.pairwiseCondensed(X, cols, options);
}
/** In pure TypeScript: see kl-wasm/pairwise's `nearest`. */
export function nearest(X: Vector, Y: Vector | null | undefined, cols: number, options: NearestOptions): Nearest {
  return pairs.nearest(X, Y, cols, options);
}

// kl-wasm/distributions: the same code (closed forms in plain TypeScript, no WebAssembly module)
export * from "./distributions.js";
