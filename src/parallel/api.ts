// The pool object of kl-wasm/parallel: the main entry's discrete functions and kl-wasm/pairwise's, async, over a
// Pool of workers (pool.ts). Each call reads plain arrays once, then runs the synchronous function as it is with
// its heavy step answered by the workers (replay.ts; discrete.ts: the row driver; pairwise.ts: the plan): the
// same checks, errors, options and results, bit for bit. An inline pool (no workers in this runtime) runs the
// synchronous functions.
import { makePairwiseApi, type MatrixOptions, type Matrix64Options, type Matrix32Options, type NearestOptions, type Nearest } from "../pairwise/api.js";
import { type Vector, type EntropyOptions, type DivergenceOptions, type JensenShannonOptions, vector, checkOptions, show } from "../core/validate.js";
import type { EstimatorOptions } from "../discrete/estimators.js";
import { Pool, closedError, type Spawn } from "./pool.js";
import { callBuild } from "../core/wasm.js";
import { replay } from "./replay.js";
import { snapshot } from "./own.js";
import { withRows, ROWS_THRESHOLD } from "./discrete.js";
import { withPairs, parallelEngine, PAIRS_THRESHOLD } from "./pairwise.js";
import { knnMethods, KNN_THRESHOLD, type KnnPool } from "./knn.js";
import { driftMethods, BINS_SPLIT, type DriftPool } from "./drift.js";
import { fitMethods, FIT_THRESHOLD, type FitPool } from "./fit.js";
import type { LogitsPool } from "./logits.js";

/** Options of createPool. */
export interface PoolOptions {
  /**
   * Workers (default: the hardware's concurrency, `navigator.hardwareConcurrency` or `os.availableParallelism()`,
   * at most 8). An integer in [1, 256].
   */
  threads?: number;
}

/**
 * A pool of workers running the large calls of kl-wasm (the discrete measures and kl-wasm/pairwise), async.
 * Every function takes the synchronous function's arguments and options and gives its result, bit for bit, and
 * its errors (docs/parallel.md).
 */
export interface ParallelPool extends KnnPool, DriftPool, FitPool, LogitsPool {
  /** Workers in this pool (0 for an inline pool, which runs each call on this thread). */
  readonly threads: number;
  /** A zero-filled Float64Array of n elements on a SharedArrayBuffer: the workers read it in place (where
   *  SharedArrayBuffer is unavailable, e.g. a page that is not cross-origin isolated, an ordinary Float64Array).
   *  Do not write into it while a call that reads it is pending. */
  f64(n: number): Float64Array;
  /** As {@link ParallelPool.f64}, a Float32Array. */
  f32(n: number): Float32Array;
  /** Starts every worker and resolves when each has loaded (the first call does it otherwise: about 30 ms); rejects
   *  with the runtime's error when a worker cannot load (e.g. Deno without read access to the worker's file). */
  ready(): Promise<void>;
  /**
   * kl-wasm's `entropy`, async: the same arguments, options (estimators included), value (bit for bit) and errors
   * (the promise rejects with them). p on `f64`/`f32` memory of at least 2^18 elements is computed in parts by the
   * workers and the calling thread (which is busy for its share: about 1/cores of the call); any other input, or a
   * smaller one, on the calling thread alone (docs/parallel.md).
   */
  entropy(p: Vector, options?: EntropyOptions & EstimatorOptions): Promise<number>;
  /** kl-wasm's `klDivergence`, async, as {@link ParallelPool.entropy} (p and q on shared memory go to the workers). */
  klDivergence(p: Vector, q: Vector, options?: DivergenceOptions): Promise<number>;
  /** kl-wasm's `crossEntropy`, async, as {@link ParallelPool.klDivergence}. */
  crossEntropy(p: Vector, q: Vector, options?: DivergenceOptions): Promise<number>;
  /** kl-wasm's `jensenShannon`, async, as {@link ParallelPool.klDivergence} (`weights` too). */
  jensenShannon(p: Vector, q: Vector, options?: JensenShannonOptions): Promise<number>;
  /** kl-wasm's `jensenShannonDistance`, async, as {@link ParallelPool.klDivergence}. */
  jensenShannonDistance(p: Vector, q: Vector, options?: JensenShannonOptions): Promise<number>;
  /** kl-wasm's `entropyRows`, async: rows split among the workers and the calling thread (long rows at multiples of
   *  8192 columns) as in {@link ParallelPool.entropy}, the synchronous call's values bit for bit, its errors (a bad
   *  value's index in the whole array). */
  entropyRows(p: Vector, cols: number, options?: EntropyOptions & EstimatorOptions): Promise<Float64Array>;
  /** kl-wasm's `klDivergenceRows`, async, as {@link ParallelPool.entropyRows}. */
  klDivergenceRows(p: Vector, q: Vector, cols: number, options?: DivergenceOptions): Promise<Float64Array>;
  /** kl-wasm's `crossEntropyRows`, async, as {@link ParallelPool.entropyRows}. */
  crossEntropyRows(p: Vector, q: Vector, cols: number, options?: DivergenceOptions): Promise<Float64Array>;
  /** kl-wasm's `jensenShannonRows`, async, as {@link ParallelPool.entropyRows}. */
  jensenShannonRows(p: Vector, q: Vector, cols: number, options?: JensenShannonOptions): Promise<Float64Array>;
  /** kl-wasm's `jensenShannonDistanceRows`, async, as {@link ParallelPool.entropyRows}. */
  jensenShannonDistanceRows(p: Vector, q: Vector, cols: number, options?: JensenShannonOptions): Promise<Float64Array>;
  /**
   * kl-wasm/pairwise's `pairwise`, async: every option (`out` is filled and returned), the synchronous call's cells
   * bit for bit and its errors. The workers compute blocks of rows of X (inputs not on `f64`/`f32` memory are
   * copied to them: m + n rows for m · n · cols work); below 2^19 pair-elements one worker computes all of it.
   */
  pairwise(X: Vector, Y: Vector | null | undefined, cols: number, options: Matrix64Options): Promise<Float64Array>;
  pairwise(X: Vector, Y: Vector | null | undefined, cols: number, options: Matrix32Options): Promise<Float32Array>;
  pairwise(X: Vector, Y: Vector | null | undefined, cols: number, options: MatrixOptions): Promise<Float64Array | Float32Array>;
  /** kl-wasm/pairwise's `pairwiseCondensed`, async, as {@link ParallelPool.pairwise} (the upper triangle only). */
  pairwiseCondensed(X: Vector, cols: number, options: Matrix64Options): Promise<Float64Array>;
  pairwiseCondensed(X: Vector, cols: number, options: Matrix32Options): Promise<Float32Array>;
  pairwiseCondensed(X: Vector, cols: number, options: MatrixOptions): Promise<Float64Array | Float32Array>;
  /** kl-wasm/pairwise's `nearest`, async, as {@link ParallelPool.pairwise}; the selection runs on the calling thread,
   *  over the workers' m × n raw cells (held until the call ends: O(m n) memory, unlike the synchronous call). */
  nearest(X: Vector, Y: Vector | null | undefined, cols: number, options: NearestOptions): Promise<Nearest>;
  /** Terminates the workers. Calls still pending reject with an Error that says the pool was closed; calls after it
   *  reject with the same. Idempotent. Also the pool's `Symbol.asyncDispose` (`await using pool = createPool()`),
   *  where the runtime has that symbol and syntax, e.g. Node ≥ 24 (not typed here: the declarations target ES2022).
   *  In Node and Bun an idle pool does not keep the process alive; in Deno and browsers call close() when done. */
  close(): Promise<void>;
}

/** Internals: thresholds (elements below which a call runs here; tests, benchmarks) and the default of `threads`. */
export interface Tuning {
  rows?: number; pairs?: number; knn?: number; bins?: number; fit?: number; threads?: number;
  /** workers taking a discrete call's runs beside the calling thread (default: one fewer than `threads`' default, the
   *  cores, at most the pool's threads; at least one) */
  helpers?: number;
  /** logits: the threshold, and whether arrays not on shared memory are copied to the workers */
  logits?: number; logitsCopies?: boolean;
}
/** createPool's options may carry a Tuning under this symbol (tests and benchmarks; not part of the API). */
export const TUNING = Symbol.for("kl-wasm/parallel.tuning");

const pairs = /* @__PURE__ */ makePairwiseApi(parallelEngine);

/** A plain array read once (a Float64Array copy, vector()'s: non-numbers remembered for the error); anything
 *  else, or an array vector() rejects, as it is (the synchronous function then throws its own error, in its order). */
function once(fn: string, name: string, x: unknown): unknown {
  if (!Array.isArray(x)) return x;
  try {
    return vector(fn, name, x);
  } catch {
    return x;
  }
}

/** A call's arguments read once: the first `arrays` (named `x`, `y`) by once(), the others (cols, the options) by
 *  snapshot() (a number as it is). */
function read(fn: string, a: unknown[], arrays: number, x: string, y: string): void {
  for (let i = 0; i < a.length; i++) a[i] = i < arrays ? once(fn, i ? y : x, a[i]) : snapshot(a[i]);
}

type Discrete = "entropy" | "klDivergence" | "crossEntropy" | "jensenShannon" | "jensenShannonDistance" | "entropyRows" |
  "klDivergenceRows" | "crossEntropyRows" | "jensenShannonRows" | "jensenShannonDistanceRows";
let main: Promise<typeof import("../index.js")> | undefined;
/** The main entry (its discrete functions and module), loaded at the pool's first discrete call: the workers have the
 *  module, and a program using the pool for the other families does not load it on this thread (the entry's size). */
const discrete = () => (main ??= import("../index.js"));

let logitsChunk: Promise<typeof import("./logits.js")> | undefined;
/** The pool's logits functions (src/parallel/logits.ts, with the logits module), loaded at its first logits call. */
const logitsCode = () => (logitsChunk ??= import("./logits.js"));

declare const __KL_WORKER__: string | null;
/** An inline pool's pairwise calls run the pairwise module here: the workerd build (no workers) provides it; elsewhere
 *  the workers have it, and the entry does not carry it (its size): it is there if kl-wasm/pairwise was imported. */
async function inlinePairs(): Promise<void> {
  if (typeof __KL_WORKER__ !== "undefined" && __KL_WORKER__ === null) await import("../pairwise/provision.js");
}

/** createPool with the runtime's workers (`spawn`; undefined: an inline pool); `tuning.threads`: the default number
 *  of workers (createPool's: the hardware's concurrency, at most 8; 2 if not given). */
export function makePool(options: PoolOptions | undefined, spawn: Spawn | undefined, tuning: Tuning = {}): ParallelPool {
  const o = checkOptions("createPool", options ?? {}, ["threads"]);
  let threads = tuning.threads ?? 2;
  if (o.threads !== undefined) {
    threads = o.threads;
    if (typeof threads !== "number" || !Number.isInteger(threads) || threads < 1 || threads > 256) {
      throw new RangeError(`createPool: threads must be an integer in [1, 256], got ${show(threads)}`);
    }
  }
  const pool = spawn === undefined ? undefined : new Pool(threads, spawn);
  const t = { ...tuning, ...(options as { [TUNING]?: Tuning } | undefined)?.[TUNING] };
  const pairsBelow = t.pairs ?? PAIRS_THRESHOLD;
  // the calling thread computes too: with one fewer workers than cores, every thread has a core
  const split = { threshold: t.rows ?? ROWS_THRESHOLD, helpers: t.helpers ?? Math.max(1, Math.min(threads, (t.threads ?? threads) - 1)) };
  let closed = false;

  /** `f` as a pool method: rejected once the pool is closed; a synchronous throw (reading its arguments) becomes its
   *  promise's rejection, as an async function's. */
  const calls = <A extends unknown[], R>(f: (...a: A) => Promise<R>) => (...a: A): Promise<R> => {
    if (closed) return Promise.reject(closedError());
    try {
      return f(...a);
    } catch (e) {
      return Promise.reject(e);
    }
  };
  /** The synchronous call `f` of the first `arrays` arguments read once, on the pool (an error reading them, e.g. an
   *  options getter's, rejects the promise: `calls`). */
  const rows = (fn: Discrete, arrays: number) => calls((...a: unknown[]): Promise<unknown> => {
    read(fn, a, arrays, "p", "q");
    const simd = callBuild(); // the call's build, read now (the main entry loads after this: callBuild() is what it picks)
    return discrete().then((m) => {
      const f = m[fn] as (...x: unknown[]) => unknown;
      return pool === undefined ? f(...a) : replay((r) => withRows(pool, r, split, () => f(...a)), simd);
    });
  });
  const matrix = <A extends unknown[], R>(fn: string, f: (...a: A) => R, arrays: number) => calls((...a: A): Promise<R> => {
    read(fn, a, arrays, "X", "Y");
    if (pool === undefined) return inlinePairs().then(() => f(...a));
    return replay((r) => withPairs({ pool, r, fn, threshold: pairsBelow }, () => f(...a)));
  });
  /** kl-wasm/logits' `fn` on the pool: the first `arrays` arguments read once, labels (a plain array) copied. */
  const logits = (fn: keyof LogitsPool, arrays: number) => calls((...a: unknown[]): Promise<unknown> => {
    const labels = fn === "crossEntropyLogits" || fn === "perplexity" ? a[1] : undefined;
    read(fn, a, arrays, "logits", "student");
    if (labels !== undefined) a[1] = Array.isArray(labels) ? labels.slice() : labels; // not an options object
    const simd = callBuild(); // the call's build, read now (the logits code loads after this: callBuild() is what it picks)
    return logitsCode().then((m) => m.runLogits(pool, fn, a, t.logits ?? m.LOGITS_THRESHOLD, t.logitsCopies ?? false, simd));
  });
  const close = async () => {
    closed = true;
    await pool?.close();
  };
  const alloc = <T>(fn: string, n: number, size: number, Kind: new (b: ArrayBufferLike) => T): T => {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`${fn}: n must be a non-negative integer, got ${show(n)}`);
    return new Kind(typeof SharedArrayBuffer === "function" ? new SharedArrayBuffer(n * size) : new ArrayBuffer(n * size));
  };

  return {
    threads: pool === undefined ? 0 : threads,
    f64: (n) => alloc("f64", n, 8, Float64Array),
    f32: (n) => alloc("f32", n, 4, Float32Array),
    ready: async () => { if (closed) throw closedError(); await pool?.ready(); },
    entropy: rows("entropy", 1),
    klDivergence: rows("klDivergence", 2),
    crossEntropy: rows("crossEntropy", 2),
    jensenShannon: rows("jensenShannon", 2),
    jensenShannonDistance: rows("jensenShannonDistance", 2),
    entropyRows: rows("entropyRows", 1),
    klDivergenceRows: rows("klDivergenceRows", 2),
    crossEntropyRows: rows("crossEntropyRows", 2),
    jensenShannonRows: rows("jensenShannonRows", 2),
    jensenShannonDistanceRows: rows("jensenShannonDistanceRows", 2),
    pairwise: matrix("pairwise", pairs.pairwise, 2),
    pairwiseCondensed: matrix("pairwiseCondensed", pairs.pairwiseCondensed, 1),
    nearest: matrix("nearest", pairs.nearest, 2),
    ...knnMethods(pool, () => closed, t.knn ?? KNN_THRESHOLD, once),
    ...driftMethods(pool, () => closed, t.bins ?? BINS_SPLIT, once),
    ...fitMethods(pool, () => closed, t.fit ?? FIT_THRESHOLD),
    klDivergenceLogits: logits("klDivergenceLogits", 2),
    crossEntropyLogits: logits("crossEntropyLogits", 1),
    logSoftmaxRows: logits("logSoftmaxRows", 1),
    softmaxRows: logits("softmaxRows", 1),
    logSumExpRows: logits("logSumExpRows", 1),
    entropyLogits: logits("entropyLogits", 1),
    perplexity: logits("perplexity", 1),
    close,
    [(Symbol as unknown as { asyncDispose?: symbol }).asyncDispose ?? Symbol.for("Symbol.asyncDispose")]: close,
    // tests: the workers (pool.size) and a job that crashes one (CRASH_TASK)
    __pool: pool,
  } as ParallelPool;
}
