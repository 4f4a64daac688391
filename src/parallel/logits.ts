// kl-wasm/logits on the pool (klDivergenceLogits, crossEntropyLogits, logSoftmaxRows, softmaxRows, logSumExpRows,
// entropyLogits, perplexity): the logits api (src/logits/api.ts makeLogitsApi) runs here as it is, over an engine
// whose row kernels the workers answer (replay.ts): the argument and option checks, labels, weights, the reductions
// ("mean", "batchmean", "sum", ignoreIndex, the divisor of "mean"), the gradients' scale per row and the errors are
// the synchronous code's. The hook is the engine call, which computes per-row values and gradients: its rows are
// split among the workers at row boundaries, each worker running the WebAssembly engine (src/logits/wasm.ts) on its
// rows as the whole call would (every kernel computes a row from that row alone: the same bits), and the per-row
// values come back here, where the api reduces them exactly as the synchronous call does.
// A file loaded at the pool's first logits call (src/parallel/api.ts): the entry does not carry the logits module.
// Calls below the threshold, with one row, or over arrays not on shared memory (when copies do not pay: measured,
// bench/parallel.mjs) run the engine here, whole: then the call is the synchronous one.
import "../logits/provision.js";
import {
  makeLogitsApi, type LogitsApi, type LogitsEngine, type Logits, type KlLogitsOptions, type CrossEntropyOptions, type ClassLabels,
  type SoftmaxOptions, type TemperatureOptions, type PerplexityOptions,
} from "../logits/api.js";
import type { Vector } from "../core/validate.js";
import type { SimdBuild } from "../core/wasm.js";
import { wasmLogitsEngine, SMALL_LOGITS } from "../logits/wasm.js";
import { type Pool, type Job, ship, shared } from "./pool.js";
import { replay, type Replay } from "./replay.js";

/** Engine calls of at least this many values (rows × cols) with their inputs on shared memory go to the workers: as
 *  the discrete measures' ROWS_THRESHOLD, whose kernels cost about as much per value (5–6 ns: the KL of logits over
 *  float32, the KL over float64); bench/parallel.mjs --thresholds sweeps klDivergenceLogits (on the shared machine
 *  the sweep was dominated by waiting for a core). */
export const LOGITS_THRESHOLD = 1 << 18;

type Op = "logSumExp" | "logSoftmax" | "entropy" | "klLogits" | "crossEntropy";

/** A job of the worker's task "logits": one engine call over a part's rows. `y`: the output rows (softmax, gradient)
 *  in place on shared memory, or `y32`/`y64` for the worker to allocate them. */
export interface LogitsPayload {
  op: Op; x: Logits; x2?: Logits; rows: number; cols: number; invT: number;
  exp?: boolean; reverse?: boolean;
  labels?: Int32Array; smoothing?: number; weights?: Float64Array; ignoreIndex?: number;
  y?: Logits; alloc?: 32 | 64; gradScale?: Float64Array;
}
/** bad: -1, or an index (in the part) at or before its first bad value (the engine's return). */
export interface LogitsResult { bad: number; out?: Float64Array; y?: Logits }

interface Context { pool: Pool; r: Replay; threshold: number; copies: boolean }
let context: Context | undefined;

/** One engine call: on the workers (its rows split) when the context allows, else `here` (the engine on this thread). */
function split(job: Omit<LogitsPayload, "x" | "x2" | "y" | "alloc" | "gradScale" | "labels">, x: Logits, x2: Logits | undefined,
               labels: Int32Array | undefined, out: Float64Array | undefined, y: Logits | undefined, gradScale: Float64Array | undefined,
               here: () => number | void): number | void {
  const c = context, { rows, cols } = job;
  if (c === undefined || rows < 2 || rows * cols < c.threshold || rows * cols < 2 * SMALL_LOGITS) return here();
  if (!c.copies && !(shared(x) && (x2 === undefined || shared(x2)))) return here();
  const ans = c.r.next(() => dispatch(c.pool, job, x, x2, labels, y, gradScale));
  if (ans.bad >= 0) {
    // a bad value: outputs written in place by the workers stay; else the call runs here whole (the synchronous
    // call's rows written before its error, and its error)
    if (y !== undefined && shared(y)) return ans.bad;
    return here();
  }
  if (out !== undefined) out.set(ans.out!);
  if (y !== undefined && ans.y !== undefined) y.set(ans.y);
  return -1;
}

async function dispatch(pool: Pool, job: Omit<LogitsPayload, "x">, x: Logits, x2: Logits | undefined, labels: Int32Array | undefined,
                        y: Logits | undefined, gradScale: Float64Array | undefined): Promise<{ bad: number; out?: Float64Array; y?: Logits }> {
  const { rows, cols } = job;
  // parts of at least SMALL_LOGITS values each (the engine's twin below: other bits)
  const K = Math.max(1, Math.min(pool.threads, rows, Math.floor((rows * cols) / (2 * SMALL_LOGITS))));
  const at = (k: number) => Math.floor((k * rows) / K), jobs: Job[] = [];
  const yShared = y !== undefined && shared(y);
  for (let k = 0; k < K; k++) {
    const r0 = at(k), r1 = at(k + 1), t: Transferable[] = [];
    const part = (a: Logits) => ship(a as Float64Array, r0 * cols, r1 * cols, t);
    const payload: LogitsPayload = {
      ...job, rows: r1 - r0, x: part(x), x2: x2 === undefined ? undefined : part(x2),
      labels: labels?.slice(r0, r1), gradScale: gradScale?.slice(r0, r1),
      y: yShared ? y!.subarray(r0 * cols, r1 * cols) : undefined,
      alloc: y === undefined || yShared ? undefined : y instanceof Float32Array ? 32 : 64,
    };
    jobs.push({ task: "logits", payload, transfer: t });
  }
  const res = await pool.run<LogitsResult>(jobs);
  let bad = -1;
  for (let k = 0; k < K && bad < 0; k++) if (res[k].bad >= 0) bad = at(k) * cols + res[k].bad;
  if (bad >= 0) return { bad };
  const out = job.op === "logSoftmax" ? undefined : new Float64Array(rows);
  const ys = y === undefined || yShared ? undefined : new (y instanceof Float32Array ? Float32Array : Float64Array)(rows * cols);
  res.forEach((p, k) => {
    out?.set(p.out!, at(k));
    ys?.set(p.y!, at(k) * cols);
  });
  return { bad, out, y: ys };
}

/** The engine of the pool's logits api: each call split among the workers within `withLogits`, else the engine here. */
const parallelLogitsEngine: LogitsEngine = {
  checks: true,
  logSumExp: (x, rows, cols, invT, out) =>
    split({ op: "logSumExp", rows, cols, invT }, x, undefined, undefined, out, undefined, undefined,
      () => wasmLogitsEngine.logSumExp(x, rows, cols, invT, out)),
  entropy: (x, rows, cols, invT, out) =>
    split({ op: "entropy", rows, cols, invT }, x, undefined, undefined, out, undefined, undefined,
      () => wasmLogitsEngine.entropy(x, rows, cols, invT, out)),
  logSoftmax: (x, rows, cols, invT, exp, y) =>
    split({ op: "logSoftmax", rows, cols, invT, exp }, x, undefined, undefined, undefined, y, undefined,
      () => wasmLogitsEngine.logSoftmax(x, rows, cols, invT, exp, y)),
  klLogits: (a, b, rows, cols, invT, reverse, out, grad, gradScale) =>
    split({ op: "klLogits", rows, cols, invT, reverse }, a, b, undefined, out, grad, gradScale,
      () => wasmLogitsEngine.klLogits(a, b, rows, cols, invT, reverse, out, grad, gradScale)),
  crossEntropy: (x, labels, rows, cols, smoothing, weights, ignoreIndex, out, grad, gradScale) =>
    split({ op: "crossEntropy", rows, cols, invT: 1, smoothing, weights, ignoreIndex }, x, undefined, labels, out, grad, gradScale,
      () => wasmLogitsEngine.crossEntropy(x, labels, rows, cols, smoothing, weights, ignoreIndex, out, grad, gradScale)),
};

const api = /* @__PURE__ */ makeLogitsApi(parallelLogitsEngine);

/** The pool's call of kl-wasm/logits' `fn` (arguments read once by api.ts): the synchronous function over the
 *  pool's engine (pool undefined: an inline pool, the synchronous function); `simd`, the build when the call was made. */
export function runLogits(pool: Pool | undefined, fn: keyof LogitsApi, a: unknown[], threshold: number, copies: boolean, simd: SimdBuild): Promise<unknown> {
  const f = api[fn] as (...x: unknown[]) => unknown;
  if (pool === undefined) return Promise.resolve().then(() => f(...a));
  return replay((r) => {
    const outer = context; // a pool call made while another's runs (an options getter): restored after
    context = { pool, r, threshold, copies };
    try {
      return f(...a);
    } finally {
      context = outer;
    }
  }, simd);
}

/** kl-wasm/logits on the pool. */
export interface LogitsPool {
  /**
   * kl-wasm/logits' `klDivergenceLogits`, async: the same arguments, options (`temperature`, `reduction`, `direction`,
   * `scaleT2`, `grad`), loss (bit for bit: the per-row values and the gradient too) and errors. From 2^18 values,
   * with teacher and student on `f32`/`f64` memory, the rows are split among the workers (a `grad` on shared memory
   * is written in place; on a bad value it may then hold rows of any part); else, and for one row, the call runs
   * on the calling thread. The logits module is loaded on the calling thread at the pool's first logits call.
   */
  klDivergenceLogits(teacher: Vector | readonly number[], student: Vector | readonly number[], cols: number,
                     options: KlLogitsOptions & { reduction: "none" }): Promise<Float64Array>;
  klDivergenceLogits(teacher: Vector | readonly number[], student: Vector | readonly number[], cols: number,
                     options?: KlLogitsOptions & { reduction?: "sum" | "mean" | "batchmean" }): Promise<number>;
  /** kl-wasm/logits' `crossEntropyLogits`, async, as {@link LogitsPool.klDivergenceLogits} (logits on shared memory;
   *  labels, weights, ignoreIndex, labelSmoothing and every reduction as the synchronous call). */
  crossEntropyLogits(logits: Vector | readonly number[], labels: ClassLabels, cols: number,
                     options: CrossEntropyOptions & { reduction: "none" }): Promise<Float64Array>;
  crossEntropyLogits(logits: Vector | readonly number[], labels: ClassLabels, cols: number,
                     options?: CrossEntropyOptions & { reduction?: "sum" | "mean" }): Promise<number>;
  /** kl-wasm/logits' `logSoftmaxRows`, async, as {@link LogitsPool.klDivergenceLogits} (an `out` on shared memory,
   *  the logits themselves included, is written in place). */
  logSoftmaxRows(logits: Vector | readonly number[], cols: number, options?: SoftmaxOptions): Promise<Float64Array | Float32Array>;
  /** kl-wasm/logits' `softmaxRows`, async, as {@link LogitsPool.logSoftmaxRows}. */
  softmaxRows(logits: Vector | readonly number[], cols: number, options?: SoftmaxOptions): Promise<Float64Array | Float32Array>;
  /** kl-wasm/logits' `logSumExpRows`, async, as {@link LogitsPool.klDivergenceLogits}. */
  logSumExpRows(logits: Vector | readonly number[], cols: number, options?: TemperatureOptions): Promise<Float64Array>;
  /** kl-wasm/logits' `entropyLogits`, async, as {@link LogitsPool.klDivergenceLogits}. */
  entropyLogits(logits: Vector | readonly number[], cols: number, options?: TemperatureOptions): Promise<Float64Array>;
  /** kl-wasm/logits' `perplexity`, async, as {@link LogitsPool.crossEntropyLogits}. */
  perplexity(logits: Vector | readonly number[], labels: ClassLabels, cols: number, options?: PerplexityOptions): Promise<number>;
}
