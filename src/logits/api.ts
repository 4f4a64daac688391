// The logits family (kl-wasm/logits): public functions over a row-wise engine (WebAssembly or
// the pure-TS twin). The api validates every argument and option, resolves labels, weights,
// reductions and the gradients' scaling; engines only compute rows.
//
// Interface refinements over the shared plan (/tmp/drift/LOGITS.md), by the "semantics" helper:
// - `entropy(x, rows, cols, invT, out)` added (entropyLogits, fused: no probability array);
// - `klLogits` takes `reverse` after `invT`: a is always the teacher, b the student, the gradient is
//   always with respect to b (the student), in both directions;
// - the edge cases below are part of the contract (a row with every class masked, masked labels,
//   infinite losses): both engines must give the same values, never NaN.

/** A logits array as engines read it (plain arrays were copied into a Float64Array by vector()). */
export type Logits = Float64Array | Float32Array;

/**
 * Row-wise kernels over `rows` rows of `cols` logits (row-major). invT = 1 / temperature (> 0, finite).
 * -Infinity logits are masked classes (probability 0). Engines never validate: the api has checked that
 * every logit is finite or -Infinity (NaN and +Infinity throw in the api, naming the index), that labels are
 * in [0, cols) or equal to ignoreIndex, that weights are finite and >= 0, and array lengths.
 *
 * Float32Array input: each value is widened to float64 and everything is computed in float64 (the twin);
 * a kernel may compute the terms in float32 if they stay within 1e-6 relative of that, sums in float64.
 *
 * Stability: with m = max_j x[r,j]·invT, lse = m + log s, s = Σ_j exp(x[r,j]·invT − m) (s ∈ [1, cols]);
 * log-probabilities are formed as (x·invT − m) − log s (never x·invT − lse: that cancels for large logits).
 *
 * A row with every class masked (every logit -Infinity; m = -Infinity): lse = -Infinity, log-softmax every
 * entry -Infinity, softmax every entry 0 (a row with no mass), entropy 0.
 */
export interface LogitsEngine {
  /** out[r] = log Σ_j exp(x[r,j]·invT); -Infinity for a row with every class masked. */
  logSumExp(x: Logits, rows: number, cols: number, invT: number, out: Float64Array): void;

  /** y[r,j] = x[r,j]·invT − lse_r (log-softmax), or exp of it (softmax) when `exp`; y has rows·cols elements
   *  (Float64Array, or Float32Array: values rounded once from float64). Masked entries: -Infinity (log) or 0. */
  logSoftmax(x: Logits, rows: number, cols: number, invT: number, exp: boolean, y: Logits): void;

  /** out[r] = −Σ_j p_j log p_j, p = softmax(x[r,·]·invT), terms with p_j = 0 (masked) are 0; computed as
   *  log s − Σ_j p_j (x_j·invT − m) (fused). 0 for a row with every class masked or one unmasked class. */
  entropy(x: Logits, rows: number, cols: number, invT: number, out: Float64Array): void;

  /**
   * Per row, fused (no probability array materialised), with p = softmax(a[r,·]·invT) (teacher),
   * q = softmax(b[r,·]·invT) (student):
   * - forward (reverse false): out[r] = KL(p ‖ q) = Σ_j p_j (log p_j − log q_j);
   *   grad[r,j] = gradScale[r] · invT · (q_j − p_j).
   * - reverse: out[r] = KL(q ‖ p) = Σ_j q_j (log q_j − log p_j);
   *   grad[r,j] = gradScale[r] · invT · q_j · (log q_j − log p_j − out[r]) (0 where q_j = 0).
   * Terms whose weight (p_j forward, q_j reverse) is 0 are 0 (even where the other side is masked too);
   * a term with weight > 0 against a masked class is +Infinity, and so is out[r]. A row whose weighting side
   * is fully masked gives 0 (and, reverse, a zero gradient row); in reverse, a row with out[r] = +Infinity has
   * a gradient row of zeros (the derivative does not exist). Forward gradients are always finite.
   * grad (rows·cols, Float64Array or Float32Array) and gradScale (rows) are given together or not at all.
   */
  klLogits(a: Logits, b: Logits, rows: number, cols: number, invT: number, reverse: boolean,
           out: Float64Array, grad?: Logits, gradScale?: Float64Array): void;

  /**
   * Per row, PyTorch's cross-entropy terms of log-softmax(x[r,·]) (no temperature) against label y = labels[r],
   * with label smoothing s in [0, 1] and class weights w (all 1 when undefined), ℓ_j = lse − x_j:
   *   out[r] = (1 − s) · w_y · ℓ_y + (s / C) · Σ_j w_j · ℓ_j      (C = cols)
   * (the row's numerator: the api divides by Σ w_y over the kept rows for "mean"). Rows with
   * labels[r] === ignoreIndex give out[r] = 0 and a zero gradient row. A masked label (x_y = -Infinity, w_y > 0,
   * s < 1) gives +Infinity; with s > 0 any masked class with w_j > 0 gives +Infinity. Terms with a zero
   * coefficient are 0 (never 0 · Infinity).
   * grad[r,k] = gradScale[r] · ((1 − s) · w_y · (p_k − [k = y]) + (s / C) · (W · p_k − w_k)), W = Σ_j w_j,
   * p = softmax(x[r,·]) (0 on masked classes and on a row with every class masked): always finite.
   */
  crossEntropy(x: Logits, labels: Int32Array, rows: number, cols: number, smoothing: number,
               weights: Float64Array | undefined, ignoreIndex: number, out: Float64Array,
               grad?: Logits, gradScale?: Float64Array): void;
}

/** The public functions (filled in by makeLogitsApi). */
export interface LogitsApi {
  [name: string]: unknown;
}

/** Builds the public functions over an engine (stub: the functions land in the next commit). */
export function makeLogitsApi(engine: LogitsEngine): LogitsApi {
  void engine;
  return {};
}
