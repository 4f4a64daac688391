// The logits family (kl-wasm/logits): public functions over a row-wise engine (WebAssembly or
// the pure-TS twin, twin.ts). The api validates every argument and option, resolves labels, weights,
// reductions and the gradients' scaling; engines only compute rows.
//
// Interface refinements over the shared plan (/tmp/drift/LOGITS.md), by the "semantics" helper:
// - `entropy(x, rows, cols, invT, out)` added (entropyLogits, fused: no probability array);
// - `klLogits` takes `reverse` after `invT`: a is always the teacher, b the student, the gradient is
//   always with respect to b (the student), in both directions;
// - the edge cases below are part of the contract (a row with every class masked, masked labels,
//   infinite losses): both engines must give the same values, never NaN.
import {
  type Vector, vector, checkOptions, checkCols, checkNumber, checkSameLength, findBad, badValue, nonNumberType, show,
} from "../core/validate.js";

/** A logits array as engines read it (plain arrays were copied into a Float64Array by vector()). */
export type Logits = Float64Array | Float32Array;

/**
 * Row-wise kernels over `rows` rows of `cols` logits (row-major). invT = 1 / temperature (> 0, finite).
 * -Infinity logits are masked classes (probability 0). Engines validate nothing but, when `checks` is set, the
 * logits' values: the api has checked labels (in [0, cols) or equal to ignoreIndex), weights (finite, >= 0),
 * array lengths and options; and that every logit is finite or -Infinity with x·invT finite (NaN, +Infinity and
 * overflowing values throw in the api, naming the index): before the call, or, for an engine that `checks`,
 * from the index the call returns.
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
  logSumExp(x: Logits, rows: number, cols: number, invT: number, out: Float64Array): number | void;

  /** y[r,j] = x[r,j]·invT − lse_r (log-softmax), or exp of it (softmax) when `exp`; y has rows·cols elements
   *  (Float64Array, or Float32Array: values rounded once from float64). Masked entries: -Infinity (log) or 0. */
  logSoftmax(x: Logits, rows: number, cols: number, invT: number, exp: boolean, y: Logits): number | void;

  /** out[r] = −Σ_j p_j log p_j, p = softmax(x[r,·]·invT), terms with p_j = 0 (masked) are 0; computed as
   *  log s − Σ_j p_j (x_j·invT − m) (fused). 0 for a row with every class masked or one unmasked class. */
  entropy(x: Logits, rows: number, cols: number, invT: number, out: Float64Array): number | void;

  /**
   * Per row, fused (no probability array materialised), with p = softmax(a[r,·]·invT) (teacher),
   * q = softmax(b[r,·]·invT) (student):
   * - forward (reverse false): out[r] = KL(p ‖ q) = Σ_j p_j (log p_j − log q_j);
   *   grad[r,j] = gradScale[r] · invT · (q_j − p_j).
   * - reverse: out[r] = KL(q ‖ p) = Σ_j q_j (log q_j − log p_j);
   *   grad[r,j] = gradScale[r] · invT · q_j · (log q_j − log p_j − out[r]) (0 where q_j = 0).
   * Terms whose weight (p_j forward, q_j reverse) is 0 are 0 (even where the other side is masked too);
   * a term with weight > 0 against a masked class is +Infinity, and so is out[r]. A row whose weighting side
   * is fully masked gives 0 and a zero gradient row (KL is 0 whatever the student). In reverse, a row with
   * out[r] = +Infinity has a gradient row of zeros (the derivative does not exist); forward, the formula
   * invT (q − p) is kept (q = 0 on masked classes; −invT p for a fully masked student row): always finite.
   * grad (rows·cols, Float64Array or Float32Array) and gradScale (rows) are given together or not at all.
   */
  klLogits(a: Logits, b: Logits, rows: number, cols: number, invT: number, reverse: boolean,
           out: Float64Array, grad?: Logits, gradScale?: Float64Array): number | void;

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
               grad?: Logits, gradScale?: Float64Array): number | void;
  /**
   * true: the engine checks the logits itself, in the pass that reads them (the api's check, `isLogit`, of every
   * logits argument with the call's invT; 1 for crossEntropy). Its calls then return -1 when every value is good
   * (the outputs computed), else an index at or before the first bad value of any logits argument (the api scans
   * each from there, in argument order, and throws for the first it finds); such a call may have written part of
   * `y` or `grad` (the rows before that index) and nothing else. Without it the api scans every value in
   * JavaScript before the call (~2 ns a value) and the calls return nothing.
   */
  checks?: boolean;
}

/** How a loss over rows is reduced (PyTorch's names). */
export type Reduction = "none" | "sum" | "mean" | "batchmean";

/** Options of logSoftmaxRows and softmaxRows. */
export interface SoftmaxOptions {
  /** Divides the logits (softmax(x / T)); finite, > 0. Default 1. */
  temperature?: number;
  /** The output: a Float64Array or Float32Array of the logits' length (may be the logits array itself). */
  out?: Float64Array | Float32Array;
}
/** Logits whose (log-)softmax is a Float64Array when no `out` is given: every Vector but a Float32Array. */
export type Logits64 = Exclude<Vector, Float32Array>;

/** Options of logSumExpRows and entropyLogits. */
export interface TemperatureOptions {
  /** Divides the logits; finite, > 0. Default 1. */
  temperature?: number;
}
/** Options of klDivergenceLog. */
export interface KlLogOptions {
  /** Default "batchmean" (PyTorch's kl_div defaults to "mean", which is not a KL divergence: see the doc). */
  reduction?: Reduction;
}
/** Options of klDivergenceLogits. */
export interface KlLogitsOptions {
  temperature?: number;
  /** Default "batchmean". */
  reduction?: Reduction;
  /** "forward" (default): KL(teacher ‖ student); "reverse": KL(student ‖ teacher). */
  direction?: "forward" | "reverse";
  /** Multiply the loss (and gradient) by T² (Hinton et al. 2015). Default false: no factor. */
  scaleT2?: boolean;
  /** Receives d loss / d student logits (same length as the student; Float64Array or Float32Array). */
  grad?: Float64Array | Float32Array;
}
/** Options of crossEntropyLogits. */
export interface CrossEntropyOptions {
  /** Default "mean" (PyTorch's default); "batchmean" is not accepted (use "mean"). */
  reduction?: "none" | "sum" | "mean";
  /** In [0, 1]. Default 0. */
  labelSmoothing?: number;
  /** Rows whose label equals it are left out (an int32 integer). Default -100. */
  ignoreIndex?: number;
  /** One weight per class (finite, >= 0): Float64Array, Float32Array or number[] of length cols. */
  weights?: Vector | readonly number[];
  /** Receives d loss / d logits (same length as logits). */
  grad?: Float64Array | Float32Array;
}
/** Options of perplexity. */
export interface PerplexityOptions {
  ignoreIndex?: number;
}

/** Integer class labels, one per row. */
export type ClassLabels = Int32Array | readonly number[];

export interface LogitsApi {
  /**
   * Row-wise log-softmax: y[r,j] = x[r,j]/T − log Σ_k exp(x[r,k]/T) (torch.log_softmax(x / T, dim=-1)).
   *
   * Parameters: logits (Float64Array, Float32Array or number[], row-major), cols (classes per row, divides the
   * length), options.temperature (default 1), options.out.
   * Returns: `out`, else a new array of the input's type (Float32Array for Float32Array logits, computed in
   * float64 and rounded once; Float64Array otherwise).
   * Edge cases: -Infinity logits are masked classes: -Infinity out. A row with every class masked: every entry
   * -Infinity (log 0; PyTorch gives NaN). One column: 0. Logits up to ±1e300 never overflow (max-shifted).
   * Errors: TypeError for a non-array or a non-number element; RangeError for NaN or +Infinity logits (naming
   * the index), for x / T overflowing, a bad cols, temperature, or out length.
   */
  logSoftmaxRows(logits: Float32Array, cols: number, options?: SoftmaxOptions & { out?: Float32Array }): Float32Array;
  logSoftmaxRows(logits: Vector, cols: number, options: SoftmaxOptions & { out: Float32Array }): Float32Array;
  logSoftmaxRows(logits: Logits64, cols: number, options?: SoftmaxOptions & { out?: Float64Array }): Float64Array;
  logSoftmaxRows(logits: Vector, cols: number, options?: SoftmaxOptions): Float64Array | Float32Array;
  /** Row-wise softmax exp(x/T − lse) (torch.softmax(x / T, dim=-1)); as logSoftmaxRows. Masked classes: 0; a row
   *  with every class masked: all 0 (PyTorch gives NaN). */
  softmaxRows(logits: Float32Array, cols: number, options?: SoftmaxOptions & { out?: Float32Array }): Float32Array;
  softmaxRows(logits: Vector, cols: number, options: SoftmaxOptions & { out: Float32Array }): Float32Array;
  softmaxRows(logits: Logits64, cols: number, options?: SoftmaxOptions & { out?: Float64Array }): Float64Array;
  softmaxRows(logits: Vector, cols: number, options?: SoftmaxOptions): Float64Array | Float32Array;
  /** Per row, log Σ_j exp(x[r,j] / T) (torch.logsumexp(x / T, dim=-1)); -Infinity for a row with every class
   *  masked (as PyTorch). Returns a Float64Array of length rows. Errors as logSoftmaxRows. */
  logSumExpRows(logits: Vector | readonly number[], cols: number, options?: TemperatureOptions): Float64Array;
  /**
   * KL from log-probabilities: Σ exp(logp)·(logp − logq) (torch.nn.functional.kl_div(logq, logp,
   * log_target=True), note PyTorch's argument order: input = logq, target = logp).
   *
   * cols: omitted, the whole arrays are one row. reduction: "none" → a Float64Array of per-row sums;
   * "sum"; "mean" → divided by the number of elements (PyTorch's "mean"); "batchmean" (default) → divided by
   * the number of rows (the mean KL per row; with cols omitted, the KL itself).
   * Edge cases (no clipping): logp = -Infinity gives a 0 term whatever logq is (PyTorch gives NaN where both are
   * -Infinity); logq = -Infinity where logp is finite gives +Infinity. The inputs are not checked to be
   * normalised (as PyTorch); terms may then be negative.
   * Errors: NaN or +Infinity in either (naming the array and index), different lengths, a bad cols or reduction.
   */
  klDivergenceLog(logp: Vector | readonly number[], logq: Vector | readonly number[], cols: number | undefined,
                  options: KlLogOptions & { reduction: "none" }): Float64Array;
  klDivergenceLog(logp: Vector | readonly number[], logq: Vector | readonly number[], cols?: number,
                  options?: KlLogOptions & { reduction?: "sum" | "mean" | "batchmean" }): number;
  klDivergenceLog(logp: Vector | readonly number[], logq: Vector | readonly number[], cols?: number,
                  options?: KlLogOptions): number | Float64Array;
  /**
   * Distillation loss KL(softmax(teacher / T) ‖ softmax(student / T)) per row, fused (no probability array),
   * reduced: "batchmean" (default: / rows), "sum", "mean" (/ rows·cols, PyTorch's mean over elements), "none"
   * (a Float64Array, per row). Equals F.kl_div(F.log_softmax(student / T), F.log_softmax(teacher / T),
   * log_target=True, reduction) (times T² with scaleT2). direction "reverse": KL(softmax(student/T) ‖
   * softmax(teacher/T)).
   *
   * scaleT2 (default false): Hinton et al.'s T² factor, which keeps the soft-target gradients' magnitude
   * independent of T; multiplies the loss and the gradient. Not applied unless asked.
   * grad: receives d loss / d student of the reduced loss, as autograd gives it (for "none", the gradient of
   * the sum of the rows, i.e. loss.backward(torch.ones_like(loss))): forward, (T² if scaleT2) · (q − p) / (T · D)
   * with D = rows ("batchmean"), rows·cols ("mean") or 1.
   * Edge cases: masked teacher classes (p = 0) add 0; a class masked for the student but not the teacher gives
   * +Infinity (forward; reverse: the other way round). Forward gradients stay finite ((q − p) as above, q = 0 on
   * masked classes). Reverse: a row whose KL is +Infinity gets a zero gradient row (no derivative). A row with
   * every class of the weighting side masked (the teacher forward, the student reverse): 0, zero gradient.
   * Errors: as logSoftmaxRows for each array; different lengths; bad reduction, direction, scaleT2, grad.
   */
  klDivergenceLogits(teacher: Vector | readonly number[], student: Vector | readonly number[], cols: number,
                     options: KlLogitsOptions & { reduction: "none" }): Float64Array;
  klDivergenceLogits(teacher: Vector | readonly number[], student: Vector | readonly number[], cols: number,
                     options?: KlLogitsOptions & { reduction?: "sum" | "mean" | "batchmean" }): number;
  klDivergenceLogits(teacher: Vector | readonly number[], student: Vector | readonly number[], cols: number,
                     options?: KlLogitsOptions): number | Float64Array;
  /**
   * torch.nn.functional.cross_entropy(logits, labels, weight, ignore_index, reduction, label_smoothing), with
   * ℓ_j = −log_softmax(x)_j, per kept row: (1 − s)·w_y·ℓ_y + (s / C)·Σ_j w_j·ℓ_j.
   * "mean" (default) divides the sum over rows by Σ w_y over the rows not ignored (the number of kept rows
   * without weights), as PyTorch (for both terms); "sum"; "none" (per row, ignored rows 0).
   * grad: d loss / d logits, as autograd: ((1 − s)·w_y·(p − e_y) + (s / C)·(W·p − w)) / D, W = Σ_j w_j, zero rows
   * for ignored rows.
   * Edge cases: every row ignored (or Σ w_y = 0) with "mean": 0 and a zero gradient (PyTorch gives NaN). A label
   * on a masked class: +Infinity (finite gradient); with s > 0, any masked class of weight > 0: +Infinity (as
   * PyTorch). Zero coefficients give 0, never 0·Infinity (s = 1 or w_y = 0 on a masked label: PyTorch NaN).
   * Errors: labels not an Int32Array or number[] (TypeError), of a length other than rows, a label that is not
   * an integer in [0, cols) nor ignoreIndex (RangeError naming the index); weights of length ≠ cols or a
   * negative/NaN/infinite weight; labelSmoothing outside [0, 1]; reduction "batchmean".
   */
  crossEntropyLogits(logits: Vector | readonly number[], labels: ClassLabels, cols: number,
                     options: CrossEntropyOptions & { reduction: "none" }): Float64Array;
  crossEntropyLogits(logits: Vector | readonly number[], labels: ClassLabels, cols: number,
                     options?: CrossEntropyOptions & { reduction?: "sum" | "mean" }): number;
  crossEntropyLogits(logits: Vector | readonly number[], labels: ClassLabels, cols: number,
                     options?: CrossEntropyOptions): number | Float64Array;
  /** Per row, the entropy −Σ p log p of softmax(x / T), in nats (a Float64Array); masked classes add 0; a row
   *  with one unmasked class or with every class masked: 0. Errors as logSumExpRows. */
  entropyLogits(logits: Vector | readonly number[], cols: number, options?: TemperatureOptions): Float64Array;
  /** exp(mean cross-entropy) of the labels (ignoreIndex rows left out; every row ignored: 1). +Infinity if a
   *  label is a masked class. Errors as crossEntropyLogits. */
  perplexity(logits: Vector | readonly number[], labels: ClassLabels, cols: number, options?: PerplexityOptions): number;
}

const REDUCTIONS: readonly Reduction[] = ["none", "sum", "mean", "batchmean"];

function reductionOf(fn: string, v: unknown, def: Reduction, allowed: readonly Reduction[] = REDUCTIONS): Reduction {
  if (v === undefined) return def;
  if (typeof v === "string" && (allowed as readonly string[]).includes(v)) return v as Reduction;
  const list = allowed.map((r) => JSON.stringify(r));
  throw new RangeError(`${fn}: reduction must be ${list.slice(0, -1).join(", ")} or ${list[list.length - 1]}, got ${show(v)}`);
}

function invTOf(fn: string, t: unknown): number {
  if (t === undefined) return 1;
  checkNumber(fn, "temperature", t, true);
  const inv = 1 / t;
  if (!Number.isFinite(inv)) throw new RangeError(`${fn}: temperature must be a finite number > 0 whose inverse is finite, got ${show(t)}`);
  return inv;
}

/** Whether v is a logit the api takes at 1 / temperature invT: finite or -Infinity (a masked class), v·invT not
 *  overflowing. */
export const isLogit = (v: number, invT: number): boolean => {
  const z = v * invT;
  return z < Infinity && (z > -Infinity || v === -Infinity);
};

/** The index of the first value of x from `from` on that is not a logit (isLogit), or -1. */
export function firstBadLogit(x: ArrayLike<number>, invT: number, from = 0): number {
  for (let i = from, n = x.length; i < n; i++) if (!isLogit(x[i], invT)) return i;
  return -1;
}

/** Throws unless every value from `from` on is a logit (isLogit); what = "logits" etc. */
function checkLogits(fn: string, name: string, x: Vector, invT: number, what = "logits", from = 0): void {
  const i = firstBadLogit(x, invT, from);
  if (i >= 0) throw badLogit(fn, name, x, i, invT, what);
}

/** The error for x[i] (not finite-or--Infinity, or overflowing once divided by the temperature). */
function badLogit(fn: string, name: string, x: Vector, i: number, invT: number, what: string): Error {
  const v = x[i];
  const type = nonNumberType(x, i);
  if (type !== undefined) return new TypeError(`${fn}: ${name}[${i}] is not a number (${type})`);
  if (Number.isNaN(v)) return new RangeError(`${fn}: ${name}[${i}] is NaN; ${what} must be finite or -Infinity (a masked class)`);
  if (v === Infinity) return new RangeError(`${fn}: ${name}[${i}] is +Infinity; ${what} must be finite or -Infinity (a masked class)`);
  return new RangeError(`${fn}: ${name}[${i}] / temperature overflows (${v} / ${1 / invT})`);
}

/** A logits argument as engines read it; its values are checked by `checked` (an element that was not a number
 *  is NaN in vector()'s copy, and the check names it by its type). */
function logitsArg(fn: string, name: string, x: unknown): Logits {
  const v = vector(fn, name, x);
  return v instanceof Float64Array || v instanceof Float32Array ? v : Float64Array.from(v);
}

function floatOut(fn: string, name: string, a: unknown, n: number): Logits {
  if (!(a instanceof Float64Array || a instanceof Float32Array)) {
    throw new TypeError(`${fn}: ${name} must be a Float64Array or Float32Array, got ${show(a)}`);
  }
  if (a.length !== n) throw new RangeError(`${fn}: ${name} must have length ${n}, got ${a.length}`);
  return a;
}

function labelsArg(fn: string, labels: unknown, rows: number, cols: number, ignoreIndex: number): Int32Array {
  if (!(labels instanceof Int32Array) && !Array.isArray(labels)) {
    const what = labels === null ? "null" : typeof labels === "object" ? (labels as object).constructor?.name ?? "object" : typeof labels;
    throw new TypeError(`${fn}: labels must be an Int32Array or number[] of integers, got ${what}`);
  }
  const src = labels as ArrayLike<unknown>;
  if (src.length !== rows) throw new RangeError(`${fn}: labels must have one label per row (${rows}), got ${src.length}`);
  const out = labels instanceof Int32Array ? labels : new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    const y = src[i];
    if (typeof y !== "number") throw new TypeError(`${fn}: labels[${i}] is not a number (${y === null ? "null" : typeof y})`);
    if (y === ignoreIndex) { out[i] = y; continue; }
    if (!Number.isInteger(y) || y < 0 || y >= cols) {
      throw new RangeError(`${fn}: labels[${i}] is ${y}, not an integer class in [0, ${cols}) nor ignoreIndex (${ignoreIndex})`);
    }
    out[i] = y;
  }
  return out;
}

function ignoreIndexOf(fn: string, v: unknown): number {
  if (v === undefined) return -100;
  if (typeof v !== "number" || !Number.isInteger(v) || v < -2147483648 || v > 2147483647) {
    throw new RangeError(`${fn}: ignoreIndex must be an int32 integer, got ${show(v)}`);
  }
  return v;
}

/** Neumaier sum of out (an infinite sum stays infinite). */
function sumOf(out: Float64Array): number {
  let s = 0, c = 0;
  for (let i = 0; i < out.length; i++) {
    const v = out[i], u = s + v;
    c += Math.abs(s) >= Math.abs(v) ? (s - u) + v : (v - u) + s;
    s = u;
  }
  return Number.isFinite(s) ? s + c : s;
}

/** Builds the public functions over an engine. */
export function makeLogitsApi(engine: LogitsEngine): LogitsApi {
  /**
   * Runs an engine call over the logits arguments `inputs` (name, values) once every other argument has been
   * validated, and checks their values (isLogit at invT), in argument order: before the call, or for an engine
   * that checks them itself, from where the call says a bad value may start. Either way the same error is thrown.
   */
  function checked(fn: string, inputs: ReadonlyArray<readonly [string, Logits]>, invT: number, call: () => number | void): void {
    if (engine.checks !== true) {
      for (const [name, x] of inputs) checkLogits(fn, name, x, invT);
      call();
      return;
    }
    const from = call();
    if (typeof from !== "number" || from < 0) return;
    for (const [name, x] of inputs) checkLogits(fn, name, x, invT, "logits", from);
    throw new Error(`${fn}: internal error: the engine stopped at index ${from}, where no value is a bad logit`);
  }

  function softmaxLike(fn: string, logits: unknown, cols: unknown, options: SoftmaxOptions | undefined, exp: boolean) {
    const o = checkOptions(fn, options, ["temperature", "out"]);
    const invT = invTOf(fn, o.temperature);
    const x = logitsArg(fn, "logits", logits);
    const rows = checkCols(fn, x.length, cols);
    const y = o.out === undefined
      ? (x instanceof Float32Array ? new Float32Array(x.length) : new Float64Array(x.length))
      : floatOut(fn, "out", o.out, x.length);
    checked(fn, [["logits", x]], invT, () => engine.logSoftmax(x, rows, cols as number, invT, exp, y));
    return y;
  }

  function perRow(fn: string, logits: unknown, cols: unknown, options: TemperatureOptions | undefined,
                  k: "logSumExp" | "entropy"): Float64Array {
    const o = checkOptions(fn, options, ["temperature"]);
    const invT = invTOf(fn, o.temperature);
    const x = logitsArg(fn, "logits", logits);
    const rows = checkCols(fn, x.length, cols);
    const out = new Float64Array(rows);
    checked(fn, [["logits", x]], invT, () => engine[k](x, rows, cols as number, invT, out));
    return out;
  }

  function crossEntropy(fn: string, logits: unknown, labels: unknown, cols: unknown, options: CrossEntropyOptions | undefined,
                        known: readonly string[]): { total: number; per: Float64Array; reduction: string; denom: number } {
    const o = checkOptions(fn, options, known);
    const reduction = reductionOf(fn, o.reduction, "mean", ["none", "sum", "mean"]);
    let s = 0;
    if (o.labelSmoothing !== undefined) {
      s = o.labelSmoothing;
      if (typeof s !== "number" || !(s >= 0 && s <= 1)) {
        throw new RangeError(`${fn}: labelSmoothing must be a number in [0, 1], got ${show(o.labelSmoothing)}`);
      }
    }
    const ignoreIndex = ignoreIndexOf(fn, o.ignoreIndex);
    const x = logitsArg(fn, "logits", logits);
    const rows = checkCols(fn, x.length, cols);
    const c = cols as number;
    let w: Float64Array | undefined;
    if (o.weights !== undefined) {
      const wv = vector(fn, "weights", o.weights);
      if (wv.length !== c) throw new RangeError(`${fn}: weights must have one weight per class (${c}), got ${wv.length}`);
      const bad = findBad(wv);
      if (bad >= 0) throw badValue(fn, "weights", wv, bad);
      w = Float64Array.from(wv);
    }
    const y = labelsArg(fn, labels, rows, c, ignoreIndex);
    const grad = o.grad === undefined ? undefined : floatOut(fn, "grad", o.grad, x.length);
    // the divisor of "mean": Σ w_y over kept rows (their count without weights)
    let denom = 1;
    if (reduction === "mean") {
      let d = 0, cc = 0;
      for (let r = 0; r < rows; r++) {
        if (y[r] === ignoreIndex) continue;
        const v = w === undefined ? 1 : w[y[r]], u = d + v;
        cc += d >= v ? (d - u) + v : (v - u) + d;
        d = u;
      }
      denom = d + cc;
    }
    const per = new Float64Array(rows);
    const scale = denom > 0 ? 1 / denom : 0;
    const gs = grad === undefined ? undefined : new Float64Array(rows).fill(reduction === "mean" ? scale : 1);
    checked(fn, [["logits", x]], 1, () => engine.crossEntropy(x, y, rows, c, s, w, ignoreIndex, per, grad, gs));
    // exactly 0 (not 0 · 1/denom) when nothing is kept
    const total = reduction === "none" ? NaN : reduction === "sum" ? sumOf(per) : denom > 0 ? sumOf(per) / denom : 0;
    return { total, per, reduction, denom };
  }

  // the reduced-or-not overloads are one implementation each (the result type follows `reduction`)
  const api: Record<keyof LogitsApi, (...args: never[]) => unknown> = {
    logSoftmaxRows(logits: Vector | readonly number[], cols: number, options?: SoftmaxOptions) {
      return softmaxLike("logSoftmaxRows", logits, cols, options, false);
    },
    softmaxRows(logits: Vector | readonly number[], cols: number, options?: SoftmaxOptions) {
      return softmaxLike("softmaxRows", logits, cols, options, true);
    },
    logSumExpRows(logits: Vector | readonly number[], cols: number, options?: TemperatureOptions) {
      return perRow("logSumExpRows", logits, cols, options, "logSumExp");
    },
    entropyLogits(logits: Vector | readonly number[], cols: number, options?: TemperatureOptions) {
      return perRow("entropyLogits", logits, cols, options, "entropy");
    },

    klDivergenceLog(logp0: Vector | readonly number[], logq0: Vector | readonly number[], cols?: number,
                    options?: KlLogOptions): number | Float64Array {
      const fn = "klDivergenceLog";
      const o = checkOptions(fn, options, ["reduction"]);
      const reduction = reductionOf(fn, o.reduction, "batchmean");
      const lp = vector(fn, "logp", logp0), lq = vector(fn, "logq", logq0);
      checkSameLength(fn, lp, lq, ["logp", "logq"]);
      const n = lp.length;
      const rows = cols === undefined ? 1 : checkCols(fn, n, cols);
      const c = n / rows;
      // the first bad value by index, logp before logq at the same index
      for (let i = 0; i < n; i++) {
        if (!(lp[i] < Infinity)) throw badLogit(fn, "logp", lp, i, 1, "log-probabilities");
        if (!(lq[i] < Infinity)) throw badLogit(fn, "logq", lq, i, 1, "log-probabilities");
      }
      const per = new Float64Array(rows);
      for (let r = 0; r < rows; r++) {
        let s = 0, cc = 0;
        for (let j = r * c, end = j + c; j < end; j++) {
          const a = lp[j];
          if (a === -Infinity) continue;
          const b = lq[j];
          // logq = -Infinity under a finite logp: +Infinity even where exp(logp) underflows (never 0 · Infinity)
          const t = b === -Infinity ? Infinity : Math.exp(a) * (a - b);
          if (t === 0 || t !== t) continue; // t !== t: exp(a) = 0 times a − b = ±Infinity (|a − b| > 1.8e308)
          const u = s + t;
          cc += Math.abs(s) >= Math.abs(t) ? (s - u) + t : (t - u) + s;
          s = u;
        }
        per[r] = Number.isFinite(s) ? s + cc : s;
      }
      if (reduction === "none") return per;
      const total = sumOf(per);
      return reduction === "sum" ? total : reduction === "mean" ? total / n : total / rows;
    },

    klDivergenceLogits(teacher: Vector | readonly number[], student: Vector | readonly number[], cols: number,
                       options?: KlLogitsOptions): number | Float64Array {
      const fn = "klDivergenceLogits";
      const o = checkOptions(fn, options, ["temperature", "reduction", "direction", "scaleT2", "grad"]);
      const invT = invTOf(fn, o.temperature);
      const reduction = reductionOf(fn, o.reduction, "batchmean");
      const dir = o.direction ?? "forward";
      if (dir !== "forward" && dir !== "reverse") {
        throw new RangeError(`${fn}: direction must be "forward" or "reverse", got ${show(o.direction)}`);
      }
      if (o.scaleT2 !== undefined && typeof o.scaleT2 !== "boolean") {
        throw new TypeError(`${fn}: scaleT2 must be true or false, got ${show(o.scaleT2)}`);
      }
      const a = logitsArg(fn, "teacher", teacher), b = logitsArg(fn, "student", student);
      checkSameLength(fn, a, b, ["teacher", "student"]);
      const rows = checkCols(fn, a.length, cols);
      const grad = o.grad === undefined ? undefined : floatOut(fn, "grad", o.grad, a.length);
      const t2 = o.scaleT2 === true ? (1 / invT) * (1 / invT) : 1;
      const d = reduction === "batchmean" ? rows : reduction === "mean" ? a.length : 1;
      const per = new Float64Array(rows);
      const gs = grad === undefined ? undefined : new Float64Array(rows).fill(t2 / d);
      checked(fn, [["teacher", a], ["student", b]], invT, () => engine.klLogits(a, b, rows, cols, invT, dir === "reverse", per, grad, gs));
      if (reduction === "none") {
        if (t2 !== 1) for (let r = 0; r < rows; r++) per[r] *= t2;
        return per;
      }
      const total = sumOf(per);
      return (reduction === "sum" ? total : total / d) * t2;
    },

    crossEntropyLogits(logits: Vector | readonly number[], labels: ClassLabels, cols: number,
                       options?: CrossEntropyOptions): number | Float64Array {
      const fn = "crossEntropyLogits";
      const r = crossEntropy(fn, logits, labels, cols, options,
        ["reduction", "labelSmoothing", "ignoreIndex", "weights", "grad"]);
      return r.reduction === "none" ? r.per : r.total;
    },

    perplexity(logits: Vector | readonly number[], labels: ClassLabels, cols: number, options?: PerplexityOptions): number {
      const fn = "perplexity";
      const o = checkOptions(fn, options, ["ignoreIndex"]);
      const r = crossEntropy(fn, logits, labels, cols, { ignoreIndex: o.ignoreIndex }, ["ignoreIndex"]);
      return Math.exp(r.total);
    },
  };
  return api as unknown as LogitsApi;
}
