// kl-wasm: entropy, KL divergence, cross-entropy and Jensen-Shannon with SIMD
// WebAssembly kernels, batched rows and zero-copy workspaces. Calls are
// synchronous; the module is compiled on first use (or by `await ready()`).
// Every function here is a one-line call into the engine-neutral functions of
// src/discrete/api.ts, built over the WebAssembly engine; kl-wasm/reference builds
// the same functions over the pure-TypeScript twin.
import "./discrete/provision.js";
import { makeApi, plainPair } from "./discrete/api.js";
import { SMALL } from "./core/wasm.js";
import { referenceEngine } from "./discrete/twin.js";
import { plainCalls } from "./discrete/plain.js";
import { wasmEngine } from "./discrete/wasm.js";
import type { Vector, EntropyOptions, DivergenceOptions, JensenShannonOptions } from "./core/validate.js";
import type { EstimatorOptions } from "./discrete/estimators.js";

export type { Vector, EntropyOptions, DivergenceOptions, JensenShannonOptions } from "./core/validate.js";
export type { Estimator, Prior, EstimatorOptions } from "./discrete/estimators.js";
export { createWorkspace, Workspace, ready, simdBuild, useSimd } from "./core/wasm.js";
export type { SimdBuild } from "./core/wasm.js";

// small inputs do not pay for the WebAssembly boundary: they run the pure-TS twin
const api = /* @__PURE__ */ makeApi(wasmEngine, { engine: referenceEngine, below: SMALL, plain: plainCalls });
// a short typed array (pair) without options goes straight to the plain call (api.ts plainPair; klDivergence and
// crossEntropy: the plain call checks the pair itself)
const BELOW = SMALL;
type Pair = Float64Array | Float32Array;

/**
 * Shannon entropy H(P) = −Σ p log p over p > 0, in nats (`base: 2` for bits).
 *
 * - `p`: a Float64Array, Float32Array or number[] (other numeric typed arrays are read
 *   as float64), non-empty, every value finite and ≥ 0.
 * - `normalize` left out: p must sum to 1 within √ε of its precision (1.5e-8 for
 *   float64, 3.5e-4 for float32); counts throw a RangeError naming the sum. `true`
 *   divides by the sum first (`scipy.stats.entropy`); `false` computes as given.
 * - p = 0 terms are 0 (0 log 0 = 0). A one-hot p gives exactly 0.
 *
 * - `estimator` (docs/estimators.md): p holds counts and the entropy is estimated from
 *   them: `"plugin"` (the same as `normalize: true`, weights allowed), `"millerMadow"`,
 *   `"chaoShen"`, `"shrinkage"` (James–Stein), `"grassberger"`, or `"dirichlet"` with a
 *   pseudocount `a` (a number ≥ 0, `"jeffreys"`, `"laplace"`, `"perks"`, `"minimax"`;
 *   `{ dirichlet: a }` is short for it). Counts must be non-negative integers (except for
 *   "plugin"); every entry is a bin (K = p.length, zeros included). `normalize: true` is
 *   implied; `base` applies. The corrected estimates are not clipped (Grassberger's can be
 *   slightly below 0 for a single bin).
 *
 * @throws TypeError for a non-array, a non-number element, an unknown option or a
 *   non-boolean `normalize`; RangeError for an empty p, a NaN, infinite or negative value
 *   (named with its index), an option out of range (`base`, `eps`), or a sum; with an
 *   estimator, RangeError for a non-integer count (named with its index), counts summing
 *   to 0 or to 2^53 or more, an unknown estimator or prior, `normalize: false`, or `a` / `dirichlet` with
 *   another estimator.
 * @example entropy([0.5, 0.3, 0.2], { base: 2 }) // 1.4854752972273346 bits
 * @example entropy([3, 1, 1, 0], { estimator: "chaoShen" }) // bias-corrected, from counts
 */
export function entropy(p: Vector, options?: EntropyOptions & EstimatorOptions): number {
  if (plainPair(p, undefined, options, BELOW, false)) { const v = plainCalls.entropy(p); if (v === v) return v; }
  return api.entropy(p, options);
}

/**
 * Kullback–Leibler divergence KL(P‖Q) = Σ over p > 0 of p log(p / clip(q, eps, 1)).
 *
 * - `eps` (default 1e-15, the seed chapter's clip): q is clipped to [eps, 1] where
 *   p > 0, so q = 0 < p gives a large finite term (≈ 34.5 p). `eps: 0` gives SciPy's
 *   exact answer, +Infinity, at the same cost.
 * - `normalize` as for {@link entropy}, for p and q each (true: clip(q/Σq, eps, 1)).
 * - Terms with p = 0 are skipped whatever q is. Asymmetric: KL(P‖Q) ≠ KL(Q‖P).
 *
 * @throws as {@link entropy}; also RangeError when p and q differ in length.
 * @example klDivergence([0.5, 0.3, 0.2], [0.3, 0.4, 0.3]) // 0.08801516852582818
 */
export function klDivergence(p: Vector, q: Vector, options?: DivergenceOptions): number {
  if (options === undefined) { const v = plainCalls.kl(p, q); if (v === v) return v; } // checks p and q itself
  return api.klDivergence(p, q, options);
}

/**
 * Cross-entropy H(P, Q) = H(P) + KL(P‖Q) = −Σ over p > 0 of p log clip(q, eps, 1).
 * Options, edge cases and errors as {@link klDivergence}.
 *
 * @example crossEntropy([0.5, 0.3, 0.2], [0.3, 0.4, 0.3]) // 1.1176681825904018
 */
export function crossEntropy(p: Vector, q: Vector, options?: DivergenceOptions): number {
  if (options === undefined) { const v = plainCalls.crossEntropy(p, q); if (v === v) return v; }
  return api.crossEntropy(p, q, options);
}

/**
 * Jensen–Shannon divergence JS(P, Q) = ½ KL(P‖M) + ½ KL(Q‖M), M = ½(P + Q): symmetric,
 * in [0, ln 2] nats for distributions ([0, 1] bits). No clipping (M > 0 wherever p or
 * q is). `normalize` and errors as {@link klDivergence}.
 *
 * `weights: [π, 1 − π]` gives π KL(P‖M) + (1 − π) KL(Q‖M), M = πP + (1 − π)Q (at most the binary
 * entropy of π), summed as π p log(p/m) term by term: no O(1) constant is subtracted again, and the error is at
 * most about 1e-15 (Σp + Σq) in absolute terms (not relative: near-equal p, q 1e-9 apart, whose value is about
 * 1e-19, may give 0). Two finite
 * numbers ≥ 0 summing to 1 within 1.5e-8; otherwise a RangeError (`weights[1] is negative`, `weights sum to
 * 0.9, not 1`, `weights must have 2 values`). k distributions: `jensenShannonMany` (kl-wasm/divergences).
 *
 * @example jensenShannon([0.5, 0.3, 0.2], [0.3, 0.4, 0.3]) // 0.021251131899273322
 */
export function jensenShannon(p: Vector, q: Vector, options?: JensenShannonOptions): number {
  if (plainPair(p, q, options, BELOW, true)) { const v = plainCalls.jensenShannon(p, q as Pair); if (v === v) return Math.max(0, v); }
  return api.jensenShannon(p, q, options);
}

/**
 * Jensen–Shannon distance √JS(P, Q), a metric: SciPy's
 * `scipy.spatial.distance.jensenshannon` (which always normalises: pass
 * `normalize: true` for its answer on weights). A rounding below 0 gives 0, never NaN.
 *
 * @example jensenShannonDistance([0.5, 0.3, 0.2], [0.3, 0.4, 0.3]) // 0.14577767970191227
 */
export function jensenShannonDistance(p: Vector, q: Vector, options?: JensenShannonOptions): number {
  if (plainPair(p, q, options, BELOW, true)) { const v = plainCalls.jensenShannon(p, q as Pair); if (v === v) return Math.sqrt(Math.max(0, v)); }
  return api.jensenShannonDistance(p, q, options);
}

/**
 * {@link entropy} of every row of a row-major matrix with `cols` columns, in one call:
 * `out[r]` = H(row r). `normalize` applies to (and the default check is made on) each row.
 *
 * An `estimator` applies to each row as to {@link entropy} (K = cols bins a row).
 *
 * @throws RangeError when `cols` is not a positive integer dividing p's length; for a
 *   bad value, the index is in the whole array (p[33], not row 1's [3]).
 */
export function entropyRows(p: Vector, cols: number, options?: EntropyOptions & EstimatorOptions): Float64Array {
  return api.entropyRows(p, cols, options);
}

/** {@link klDivergence} of each pair of rows: `out[r]` = KL(P_r‖Q_r), p and q row-major with `cols` columns. */
export function klDivergenceRows(p: Vector, q: Vector, cols: number, options?: DivergenceOptions): Float64Array {
  return api.klDivergenceRows(p, q, cols, options);
}

/** {@link crossEntropy} of each pair of rows, as {@link klDivergenceRows}. */
export function crossEntropyRows(p: Vector, q: Vector, cols: number, options?: DivergenceOptions): Float64Array {
  return api.crossEntropyRows(p, q, cols, options);
}

/** {@link jensenShannon} of each pair of rows, as {@link klDivergenceRows}. */
export function jensenShannonRows(p: Vector, q: Vector, cols: number, options?: JensenShannonOptions): Float64Array {
  return api.jensenShannonRows(p, q, cols, options);
}

/** {@link jensenShannonDistance} of each pair of rows, as {@link klDivergenceRows}. */
export function jensenShannonDistanceRows(p: Vector, q: Vector, cols: number, options?: JensenShannonOptions): Float64Array {
  return api.jensenShannonDistanceRows(p, q, cols, options);
}
