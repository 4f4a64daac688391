// kl-wasm/divergences: the Rényi and Tsallis entropies, the Rényi divergence, the Hellinger distance, total
// variation, Pearson's chi-square, Jeffreys and Bhattacharyya divergences (each for one vector or pair and for
// rows), and the Jensen–Shannon divergence of k distributions. One-line calls into src/divergence/api.ts over
// the WebAssembly engine; inputs, options, rows and errors as klDivergence's (docs/divergences.md).
// the divergence module carries the discrete family's sumRows (normalize's sums) and its KL kind: no discrete.wasm
import "./divergence/provision.js";
import { makeDivergenceApi } from "./divergence/api.js";
import type { NormalizeOptions, ManyOptions } from "./divergence/api.js";
import { wasmDivergenceEngine } from "./divergence/wasm.js";
import { twinDivergenceEngine } from "./divergence/twin.js";
import { SMALL } from "./core/wasm.js";
import type { Vector, EntropyOptions } from "./core/validate.js";

export type { Vector, EntropyOptions } from "./core/validate.js";
export type { NormalizeOptions, ManyOptions } from "./divergence/api.js";
export { ready, simdBuild, useSimd } from "./core/wasm.js";
export type { SimdBuild } from "./core/wasm.js";

const api = /* @__PURE__ */ makeDivergenceApi(wasmDivergenceEngine, { engine: twinDivergenceEngine, below: SMALL });

/**
 * Rényi entropy H_α(P) = log(Σ p^α) / (1 − α) in nats (`base: 2` for bits), for any order α ≥ 0:
 * α = 0 is the Hartley entropy log #{p > 0}, α = 1 the Shannon entropy, α = 2 the collision entropy
 * −log Σ p², α = Infinity the min-entropy −log max p. Near α = 1 it is computed without cancellation
 * (as log1p(Σ p expm1((α − 1) log p)) / (1 − α)), so α = 1 ± 1e-6 is within 1e-14 of its true value.
 *
 * - `p`: as for `entropy` (a Float64Array, Float32Array or number[], every value finite and ≥ 0); `normalize`
 *   has the same three states. Values that do not sum to 1 (`normalize: false`) follow Rényi's definition for
 *   incomplete distributions, log(Σ p^α / Σ p) / (1 − α) (α = 1: −Σ p log p / Σ p). Σ p^α below the range of
 *   doubles (a uniform p of 1000 values at α = 110, α past 1075) is taken by log-sum-exp: the value stays finite
 *   and relatively accurate (log 1000 there). With `normalize: true` and the default check the value is ≥ 0
 *   (a rounding below is 0).
 *
 * @throws RangeError for α < 0, NaN or not a number (`renyiEntropy: alpha must be a number >= 0 (Infinity
 *   allowed), got -1`), and every error of `entropy` (values named with their index, sums, options); as given,
 *   a p that sums to 0 (`renyiEntropy: p sums to 0 (as given, Rényi's measures divide by Σp)`).
 * @example renyiEntropy([0.5, 0.3, 0.2], 2) // 0.9675840262617056 = −log 0.38
 */
export function renyiEntropy(p: Vector, alpha: number, options?: EntropyOptions): number {
  return api.renyiEntropy(p, alpha, options);
}

/** {@link renyiEntropy} of each row of a row-major matrix with `cols` columns. */
export function renyiEntropyRows(p: Vector, alpha: number, cols: number, options?: EntropyOptions): Float64Array {
  return api.renyiEntropyRows(p, alpha, cols, options);
}

/**
 * Rényi divergence D_α(P‖Q) = log(Σ p^α q^(1−α)) / (α − 1) in nats, α ≥ 0, with the limits of van Erven and
 * Harremoës (2014): α = 0 is −log Q(supp P), α = 1 is KL(P‖Q) (`klDivergence` with `eps: 0`), α = Infinity
 * is log max p/q. No clipping: where q = 0 < p it is finite for α < 1 and +Infinity for α ≥ 1; disjoint
 * supports give +Infinity for every α. Computed as log1p(Σ p expm1((α − 1) log(p/q))) / (α − 1): no
 * cancellation near α = 1 or for p ≈ q, and sums beyond the range of doubles (α = 10, q = 1e-300) by
 * log-sum-exp rather than Infinity.
 *
 * - Inputs and `normalize` as for `klDivergence` (`base`; no `eps`). Values that do not sum to 1 follow
 *   Rényi's incomplete form log(Σ p^α q^(1−α) / Σ p) / (α − 1), which may be below 0 as given; with
 *   `normalize: true` and the default check the value is ≥ 0 (a rounding below is 0: equal arrays give 0, and
 *   so does α = 0 with full support). Sums below the range of doubles are taken by log-sum-exp too.
 *
 * @throws as {@link renyiEntropy} (as given, a p that sums to 0), and RangeError when p and q differ in length.
 * @example renyiDivergence([0.5, 0.3, 0.2], [0.3, 0.4, 0.3], 2) // 0.17535288747786132
 */
export function renyiDivergence(p: Vector, q: Vector, alpha: number, options?: EntropyOptions): number {
  return api.renyiDivergence(p, q, alpha, options);
}

/** {@link renyiDivergence} of each pair of rows: `out[r]` = D_α(P_r‖Q_r). */
export function renyiDivergenceRows(p: Vector, q: Vector, alpha: number, cols: number, options?: EntropyOptions): Float64Array {
  return api.renyiDivergenceRows(p, q, alpha, cols, options);
}

/**
 * Tsallis entropy S_q(P) = (1 − Σ p^q) / (q − 1) = Σ p ln_q(1/p), for a finite order `q` ≥ 0 (the second
 * argument is the order, not a distribution): q = 1 is the Shannon entropy in nats, q = 0 is #{p > 0} − 1,
 * q = 2 is the Gini–Simpson index 1 − Σ p². Computed as −Σ p expm1((q − 1) log p) / (q − 1) (no cancellation
 * near q = 1). No `base` option (the value is not a logarithm). As given (`normalize: false`): (Σp − Σp^q)/(q − 1).
 *
 * @throws RangeError for q < 0, Infinity, NaN or not a number; the errors of `entropy` otherwise.
 * @example tsallisEntropy([0.5, 0.3, 0.2], 2) // 0.6200000000000001 (1 − Σ p²)
 */
export function tsallisEntropy(p: Vector, q: number, options?: NormalizeOptions): number {
  return api.tsallisEntropy(p, q, options);
}

/** {@link tsallisEntropy} of each row of a row-major matrix with `cols` columns. */
export function tsallisEntropyRows(p: Vector, q: number, cols: number, options?: NormalizeOptions): Float64Array {
  return api.tsallisEntropyRows(p, q, cols, options);
}

/**
 * Hellinger distance √(½ Σ (√p − √q)²), in [0, 1] for distributions: the same as kl-wasm/pairwise's
 * `"hellinger"` metric and kl-wasm/drift's `hellingerDistance` on proportions. Summed term by term, so p ≈ q
 * keeps its digits (no 1 − Σ √(pq)). `normalize` as for `klDivergence`; no `base`.
 *
 * @throws as `klDivergence` (values, lengths, sums, options).
 * @example hellingerDistance([0.5, 0.3, 0.2], [0.3, 0.4, 0.3]) // 0.14609082649901411
 */
export function hellingerDistance(p: Vector, q: Vector, options?: NormalizeOptions): number {
  return api.hellingerDistance(p, q, options);
}

/** {@link hellingerDistance} of each pair of rows. */
export function hellingerDistanceRows(p: Vector, q: Vector, cols: number, options?: NormalizeOptions): Float64Array {
  return api.hellingerDistanceRows(p, q, cols, options);
}

/**
 * Total variation distance ½ Σ |p − q|, in [0, 1] for distributions (kl-wasm/pairwise's `"totalVariation"`).
 * `normalize` as for `klDivergence`; no `base`.
 *
 * @example totalVariation([0.5, 0.3, 0.2], [0.3, 0.4, 0.3]) // 0.2
 */
export function totalVariation(p: Vector, q: Vector, options?: NormalizeOptions): number {
  return api.totalVariation(p, q, options);
}

/** {@link totalVariation} of each pair of rows. */
export function totalVariationRows(p: Vector, q: Vector, cols: number, options?: NormalizeOptions): Float64Array {
  return api.totalVariationRows(p, q, cols, options);
}

/**
 * Pearson's chi-square divergence χ²(P‖Q) = Σ (p − q)² / q. Terms with p = q = 0 are 0; q = 0 < p gives
 * +Infinity (there is no `eps`). Each term is ≥ 0, so p ≈ q gives the small value to full relative precision.
 * `normalize` as for `klDivergence`; no `base`.
 *
 * @example chiSquareDivergence([0.5, 0.3, 0.2], [0.3, 0.4, 0.3]) // 0.1916666666666667
 */
export function chiSquareDivergence(p: Vector, q: Vector, options?: NormalizeOptions): number {
  return api.chiSquareDivergence(p, q, options);
}

/** {@link chiSquareDivergence} of each pair of rows. */
export function chiSquareDivergenceRows(p: Vector, q: Vector, cols: number, options?: NormalizeOptions): Float64Array {
  return api.chiSquareDivergenceRows(p, q, cols, options);
}

/**
 * Jeffreys divergence KL(P‖Q) + KL(Q‖P) = Σ (p − q) log(p / q), symmetric; summed as that single sum of
 * terms ≥ 0 (no cancellation for p ≈ q). +Infinity where exactly one of p, q is 0 (there is no `eps`: it is
 * `klDivergence(p, q, { eps: 0 }) + klDivergence(q, p, { eps: 0 })`). `base`, `normalize`.
 *
 * @example jeffreysDivergence([0.5, 0.3, 0.2], [0.3, 0.4, 0.3]) // 0.17147984280919268
 */
export function jeffreysDivergence(p: Vector, q: Vector, options?: EntropyOptions): number {
  return api.jeffreysDivergence(p, q, options);
}

/** {@link jeffreysDivergence} of each pair of rows. */
export function jeffreysDivergenceRows(p: Vector, q: Vector, cols: number, options?: EntropyOptions): Float64Array {
  return api.jeffreysDivergenceRows(p, q, cols, options);
}

/**
 * Bhattacharyya distance −log Σ √(pq). For close distributions it is −log1p(−H²) with H² = ½ Σ (√p − √q)²
 * (the squared Hellinger distance), so p ≈ q gives the tiny true value; disjoint supports give +Infinity.
 * `base`, `normalize` (as given, −log(Σp/2 + Σq/2 − H²): by log1p of the sums' distances from 1 where both are
 * within ½ of 1, else directly, so that small or large masses keep their digits; it is below 0 where
 * Σ √(pq) > 1, e.g. −log Σp for p = q). With `normalize: true` and the default check the value is ≥ 0 (equal
 * arrays give 0).
 *
 * @example bhattacharyyaDistance([0.5, 0.3, 0.2], [0.3, 0.4, 0.3]) // 0.021573574677120462
 */
export function bhattacharyyaDistance(p: Vector, q: Vector, options?: EntropyOptions): number {
  return api.bhattacharyyaDistance(p, q, options);
}

/** {@link bhattacharyyaDistance} of each pair of rows. */
export function bhattacharyyaDistanceRows(p: Vector, q: Vector, cols: number, options?: EntropyOptions): Float64Array {
  return api.bhattacharyyaDistanceRows(p, q, cols, options);
}

/**
 * The Jensen–Shannon divergence of k distributions, the rows of P (row-major, `cols` columns):
 * Σ π_i KL(P_i‖M), M = Σ π_i P_i, with `weights` π (k finite numbers ≥ 0 summing to 1 within 1.5e-8; default
 * 1/k each). Summed term by term as π_i p log(p / m), so no O(1) constant cancels: the error is at most about
 * 1e-15 Σ_i π_i Σ P_i in absolute terms, not relative to the value (near-equal rows 1e-9 apart, whose value is
 * about 1e-19, give 0 or a value of that size). k = 2 with weights [½, ½] is `jensenShannon`. `base`,
 * `normalize` (each row).
 *
 * @throws RangeError for weights of the wrong count, a negative or non-finite weight (`weights[1]`), weights
 *   not summing to 1, `cols` not dividing P's length, a bad value (`P[i]`), or a row's sum (`row 2 of P`).
 * @example jensenShannonMany([1, 0, 0, 1], 2) // 0.6931471805599453 (ln 2: disjoint, equal weights)
 */
export function jensenShannonMany(P: Vector, cols: number, options?: ManyOptions): number {
  return api.jensenShannonMany(P, cols, options);
}
