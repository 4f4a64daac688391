// kl-wasm/logits: losses and log-space measures on logits and log-probabilities, the
// way machine learning holds them: stable softmax and log-softmax, distillation KL and
// cross-entropy (PyTorch's semantics) with their gradients in the same pass, entropy and
// perplexity. One-line calls into src/logits/api.ts over the WebAssembly engine.
import "./logits/provision.js";
import { makeLogitsApi } from "./logits/api.js";
import type {
  SoftmaxOptions, Logits64, TemperatureOptions, KlLogOptions, KlLogitsOptions, CrossEntropyOptions, PerplexityOptions, ClassLabels,
} from "./logits/api.js";
import { wasmLogitsEngine } from "./logits/wasm.js";
import type { Vector } from "./core/validate.js";

export type { Vector } from "./core/validate.js";
export type {
  Reduction, SoftmaxOptions, Logits64, TemperatureOptions, KlLogOptions, KlLogitsOptions, CrossEntropyOptions, PerplexityOptions, ClassLabels,
} from "./logits/api.js";
export { ready, simdBuild, useSimd } from "./core/wasm.js";
export type { SimdBuild } from "./core/wasm.js";

const api = /* @__PURE__ */ makeLogitsApi(wasmLogitsEngine);

/**
 * Row-wise log-softmax: y[r,j] = x[r,j]/T − log Σ_k exp(x[r,k]/T), as `torch.log_softmax(x / T, -1)`, stable for
 * logits up to ±1e300. −Infinity logits are masked classes (−Infinity out); a row with every class masked gives
 * −Infinity everywhere (PyTorch: NaN). Returns `out` or a new array of the input's type.
 *
 * @throws TypeError for a non-array or a non-number element; RangeError for NaN or +Infinity logits (naming the
 *   index), `cols` not dividing the length, a temperature that is not finite and > 0, an `out` of the wrong length.
 */
export function logSoftmaxRows(logits: Float32Array, cols: number, options?: SoftmaxOptions & { out?: Float32Array }): Float32Array;
export function logSoftmaxRows(logits: Vector, cols: number, options: SoftmaxOptions & { out: Float32Array }): Float32Array;
export function logSoftmaxRows(logits: Logits64, cols: number, options?: SoftmaxOptions & { out?: Float64Array }): Float64Array;
export function logSoftmaxRows(logits: Vector, cols: number, options?: SoftmaxOptions): Float64Array | Float32Array;
export function logSoftmaxRows(logits: Vector, cols: number, options?: SoftmaxOptions): Float64Array | Float32Array {
  return api.logSoftmaxRows(logits, cols, options);
}

/** Row-wise softmax exp(x/T − lse), as `torch.softmax(x / T, -1)`; masked classes 0, a fully masked row all 0
 *  (PyTorch: NaN). Options and errors as {@link logSoftmaxRows}. */
export function softmaxRows(logits: Float32Array, cols: number, options?: SoftmaxOptions & { out?: Float32Array }): Float32Array;
export function softmaxRows(logits: Vector, cols: number, options: SoftmaxOptions & { out: Float32Array }): Float32Array;
export function softmaxRows(logits: Logits64, cols: number, options?: SoftmaxOptions & { out?: Float64Array }): Float64Array;
export function softmaxRows(logits: Vector, cols: number, options?: SoftmaxOptions): Float64Array | Float32Array;
export function softmaxRows(logits: Vector, cols: number, options?: SoftmaxOptions): Float64Array | Float32Array {
  return api.softmaxRows(logits, cols, options);
}

/** Per row, log Σ_j exp(x[r,j]/T) (`torch.logsumexp(x / T, -1)`), −Infinity for a fully masked row. Errors as
 *  {@link logSoftmaxRows}. */
export function logSumExpRows(logits: Vector, cols: number, options?: TemperatureOptions): Float64Array {
  return api.logSumExpRows(logits, cols, options);
}

/**
 * KL from log-probabilities, Σ exp(logp)·(logp − logq): `F.kl_div(logq, logp, log_target=True)`. No clipping:
 * logp = −Infinity gives a 0 term, logq = −Infinity where logp is finite gives +Infinity. `cols` (optional) makes
 * rows; `reduction` "batchmean" (default: / rows), "sum", "mean" (/ elements, PyTorch's), "none" (per row).
 */
export function klDivergenceLog(logp: Vector, logq: Vector, cols: number | undefined, options: KlLogOptions & { reduction: "none" }): Float64Array;
export function klDivergenceLog(logp: Vector, logq: Vector, cols?: number, options?: KlLogOptions & { reduction?: "sum" | "mean" | "batchmean" }): number;
export function klDivergenceLog(logp: Vector, logq: Vector, cols?: number, options?: KlLogOptions): number | Float64Array {
  return api.klDivergenceLog(logp, logq, cols, options);
}

/**
 * Distillation loss KL(softmax(teacher/T) ‖ softmax(student/T)) per row, fused (no probability array), reduced
 * ("batchmean" default, "sum", "mean", "none"): `F.kl_div(F.log_softmax(s / T), F.log_softmax(t / T),
 * log_target=True, reduction)`; `scaleT2: true` multiplies by T² (Hinton et al.; off by default); `direction:
 * "reverse"` gives KL(student ‖ teacher). `grad` receives d loss / d student logits of the reduced loss, as
 * autograd gives it, in the same pass. Edge cases (masked classes, infinite rows) in docs/logits.md.
 */
export function klDivergenceLogits(teacher: Vector, student: Vector, cols: number, options: KlLogitsOptions & { reduction: "none" }): Float64Array;
export function klDivergenceLogits(teacher: Vector, student: Vector, cols: number, options?: KlLogitsOptions & { reduction?: "sum" | "mean" | "batchmean" }): number;
export function klDivergenceLogits(teacher: Vector, student: Vector, cols: number, options?: KlLogitsOptions): number | Float64Array {
  return api.klDivergenceLogits(teacher, student, cols, options);
}

/**
 * `torch.nn.functional.cross_entropy(logits, labels, weight, ignore_index, reduction, label_smoothing)`: integer
 * labels (Int32Array or number[]), class `weights`, `labelSmoothing`, `ignoreIndex` (default −100), reduction
 * "mean" (default, divided by the kept rows' weights), "sum" or "none"; `grad` receives d loss / d logits.
 * Every row ignored with "mean": 0 (PyTorch: NaN).
 */
export function crossEntropyLogits(logits: Vector, labels: ClassLabels, cols: number, options: CrossEntropyOptions & { reduction: "none" }): Float64Array;
export function crossEntropyLogits(logits: Vector, labels: ClassLabels, cols: number, options?: CrossEntropyOptions & { reduction?: "sum" | "mean" }): number;
export function crossEntropyLogits(logits: Vector, labels: ClassLabels, cols: number, options?: CrossEntropyOptions): number | Float64Array {
  return api.crossEntropyLogits(logits, labels, cols, options);
}

/** Per row, the entropy −Σ p log p of softmax(x/T) in nats; masked classes add 0. Errors as {@link logSumExpRows}. */
export function entropyLogits(logits: Vector, cols: number, options?: TemperatureOptions): Float64Array {
  return api.entropyLogits(logits, cols, options);
}

/** exp(mean cross-entropy) of the labels (`ignoreIndex` rows left out; every row ignored: 1). */
export function perplexity(logits: Vector, labels: ClassLabels, cols: number, options?: PerplexityOptions): number {
  return api.perplexity(logits, labels, cols, options);
}
