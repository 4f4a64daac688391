// kl-wasm/pairwise: a divergence between every pair of rows of two matrices of distributions
// (SciPy's cdist / pdist), the condensed upper triangle, and the k nearest rows without the
// matrix. One-line calls into src/pairwise/api.ts over the WebAssembly engine.
import "./pairwise/provision.js";
import { makePairwiseApi } from "./pairwise/api.js";
import type { MatrixOptions, Matrix64Options, Matrix32Options, NearestOptions, Nearest } from "./pairwise/api.js";
import { wasmPairwiseEngine } from "./pairwise/wasm.js";
import type { Vector } from "./core/validate.js";

export type { Vector } from "./core/validate.js";
export type { PairMetric, PairwiseOptions, MatrixOptions, Matrix64Options, Matrix32Options, NearestOptions, Nearest } from "./pairwise/api.js";
export { ready, simdBuild, useSimd } from "./core/wasm.js";
export type { SimdBuild } from "./core/wasm.js";

const api = /* @__PURE__ */ makePairwiseApi(wasmPairwiseEngine);

/**
 * The m × n matrix of a measure between every row of X (m × cols) and every row of Y (n × cols), row-major:
 * `out[i * n + j]` = metric(X_i, Y_j), exactly what the one-pair function gives (klDivergence, crossEntropy,
 * jensenShannon, jensenShannonDistance: the same eps, clip, normalize, base; hellinger = √(½ Σ (√p − √q)²),
 * totalVariation = ½ Σ |p − q|) within the bounds of docs/pairwise.md. `Y = null`: X against itself (symmetric
 * metrics computed once per pair and mirrored). A Float64Array, or a Float32Array with `float32: true` or a
 * Float32Array `out`. SciPy: `cdist(X, Y, "jensenshannon")`.
 *
 * @throws TypeError for a non-array, a non-number element, an unknown metric or option; RangeError for `cols`
 *   not dividing a length, a NaN, infinite or negative value (named `X[row, col]`), a row sum (normalize), an
 *   `out` of the wrong length.
 */
export function pairwise(X: Vector, Y: Vector | null | undefined, cols: number, options: Matrix64Options): Float64Array;
export function pairwise(X: Vector, Y: Vector | null | undefined, cols: number, options: Matrix32Options): Float32Array;
export function pairwise(X: Vector, Y: Vector | null | undefined, cols: number, options: MatrixOptions): Float64Array | Float32Array;
export function pairwise(X: Vector, Y: Vector | null | undefined, cols: number, options: MatrixOptions): Float64Array | Float32Array {
  return api.pairwise(X, Y, cols, options);
}

/** The upper triangle of `pairwise(X, null, cols, options)` in SciPy's `pdist` order (pair i < j at
 *  m i − i(i+1)/2 + j − i − 1), each pair computed once: symmetric metrics only. */
export function pairwiseCondensed(X: Vector, cols: number, options: Matrix64Options): Float64Array;
export function pairwiseCondensed(X: Vector, cols: number, options: Matrix32Options): Float32Array;
export function pairwiseCondensed(X: Vector, cols: number, options: MatrixOptions): Float64Array | Float32Array;
export function pairwiseCondensed(X: Vector, cols: number, options: MatrixOptions): Float64Array | Float32Array {
  return api.pairwiseCondensed(X, cols, options);
}

/** For each row of X, the `k` rows of Y with the smallest values of the metric (ascending; ties by the lower index),
 *  without the matrix: memory is O(m k + tile). `Y = null`: X against itself, each row's own index left out. */
export function nearest(X: Vector, Y: Vector | null | undefined, cols: number, options: NearestOptions): Nearest {
  return api.nearest(X, Y, cols, options);
}
