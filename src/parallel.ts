// kl-wasm/parallel: the large calls on a pool of workers, async, with the synchronous functions' results bit for bit
// (docs/parallel.md). This file starts the runtime's workers on the worker bundle beside it (dist/parallel-worker.js,
// or .cjs for the CommonJS entry; the workerd build has none: an inline pool); src/parallel/ does the rest.
import { makePool, type PoolOptions, type ParallelPool } from "./parallel/api.js";
import type { Spawn, WorkerPort } from "./parallel/pool.js";

export type { PoolOptions, ParallelPool } from "./parallel/api.js";
export type { Vector, EntropyOptions, DivergenceOptions, JensenShannonOptions } from "./core/validate.js";
export type { Estimator, Prior, EstimatorOptions } from "./discrete/estimators.js";
export type { PairMetric, PairwiseOptions, MatrixOptions, Matrix64Options, Matrix32Options, NearestOptions, Nearest } from "./pairwise/api.js";
export type { KnnPool } from "./parallel/knn.js";
export type { Norm, CmiOptions, KnnEntropyOptions, KnnDivergenceOptions, MixedOptions, FeaturesOptions } from "./knn/api.js";
export type { KsgOptions, Labels } from "./mutual/api.js";
export type { DriftPool } from "./parallel/drift.js";
export type { Binned, HistogramOptions } from "./drift/histogram.js";
export type { FitPool } from "./parallel/fit.js";
export type { LogitsPool } from "./parallel/logits.js";
export type {
  Reduction, SoftmaxOptions, TemperatureOptions, KlLogitsOptions, CrossEntropyOptions, PerplexityOptions, ClassLabels,
} from "./logits/api.js";
export type { GaussianFitOptions, GaussianFit, GaussianFitGrid, GridCell, Optimum, Direction } from "./fit/api.js";
export { ready } from "./core/wasm.js";

/** The worker bundle, relative to this file: set by scripts/build.mjs ("./parallel-worker.js" or ".cjs"; null in the
 *  workerd build); the tests running the sources set globalThis.__KL_WORKER__ to the built one. */
declare const __KL_WORKER__: string | null;

interface NodeWorker {
  postMessage(m: unknown, t?: readonly Transferable[]): void;
  on(e: string, f: (x: never) => void): void;
  terminate(): Promise<number>;
  ref(): void;
  unref(): void;
}
interface NodeProcess { versions?: { node?: string }; getBuiltinModule?(id: string): unknown }

const g = globalThis as unknown as { Worker?: typeof Worker; process?: NodeProcess; navigator?: { hardwareConcurrency?: number } };
const nodeModule = <T>(id: string): T | undefined => g.process?.getBuiltinModule?.(id) as T | undefined;

/** Web Workers (browsers, Deno, Bun): a module worker. */
const webSpawn: Spawn = () => {
  const w = new Worker(new URL(__KL_WORKER__!, import.meta.url), { type: "module" });
  return {
    post: (m, t) => w.postMessage(m, t),
    listen(message, fail) {
      w.onmessage = (e) => message(e.data);
      w.onerror = (e) => { e.preventDefault(); fail(new Error(e.message || "kl-wasm/parallel: a worker failed")); };
      w.onmessageerror = () => fail(new Error("kl-wasm/parallel: a worker's reply could not be read"));
    },
    terminate: () => w.terminate(),
    // Bun's workers (like Node's) keep the process alive unless unref'd: idle ones should not
    hold: typeof (w as { unref?: () => void }).unref === "function"
      ? (busy) => ((w as unknown as NodeWorker)[busy ? "ref" : "unref"]()) : undefined,
  };
};

/** Node's worker_threads (process.getBuiltinModule: Node 20.16 and later; before, the module is imported first). */
function nodeSpawn(wt: { Worker: new (url: URL) => NodeWorker }): Spawn {
  return (): WorkerPort => {
    const w = new wt.Worker(new URL(__KL_WORKER__!, import.meta.url));
    let ended = false;
    return {
      post: (m, t) => w.postMessage(m, t),
      listen(message, fail) {
        w.on("message", message as (x: never) => void);
        w.on("error", ((e: Error) => { ended = true; fail(e); }) as (x: never) => void);
        w.on("exit", ((code: number) => {
          if (!ended) fail(new Error(`kl-wasm/parallel: a worker exited (code ${code}) before it replied`));
          ended = true;
        }) as (x: never) => void);
      },
      terminate: () => { ended = true; void w.terminate(); },
      hold: (busy) => (busy ? w.ref() : w.unref()),
    };
  };
}

/** A port whose worker is being made (Node before 20.16: worker_threads imported first); posts wait for it. */
function later(made: Promise<WorkerPort>): WorkerPort {
  let port: WorkerPort | undefined, ended = false, listeners: Parameters<WorkerPort["listen"]> | undefined;
  const queue: Array<[unknown, Transferable[]]> = [];
  made.then((w) => {
    if (ended) return w.terminate();
    port = w;
    if (listeners !== undefined) w.listen(...listeners);
    for (const [m, t] of queue.splice(0)) w.post(m, t);
  }, (e) => listeners?.[1](e instanceof Error ? e : new Error(String(e))));
  return {
    post: (m, t) => (port === undefined ? void queue.push([m, t]) : port.post(m, t)),
    listen: (message, fail) => { listeners = [message, fail]; port?.listen(message, fail); },
    terminate: () => { ended = true; port?.terminate(); },
    hold: (busy) => port?.hold?.(busy),
  };
}

type WorkerThreads = { Worker: new (url: URL) => NodeWorker };

/** The runtime's workers, or undefined (an inline pool). */
function spawner(): Spawn | undefined {
  if (typeof __KL_WORKER__ !== "string") return undefined;
  if (typeof g.Worker === "function") return webSpawn;
  if (g.process?.versions?.node === undefined) return undefined;
  const wt = nodeModule<WorkerThreads>("node:worker_threads");
  if (wt !== undefined) return nodeSpawn(wt);
  const id = ["node", "worker_threads"].join(":");
  let loading: Promise<Spawn> | undefined;
  return () => later((loading ??= import(/* @vite-ignore */ id).then((m: WorkerThreads) => nodeSpawn(m))).then((s) => s()));
}

/**
 * A pool of workers for the large calls: `await pool.klDivergence(p, q)` and every function of the main entry
 * (entropy, klDivergence, crossEntropy, jensenShannon, jensenShannonDistance and their …Rows) and of
 * kl-wasm/pairwise (pairwise, pairwiseCondensed, nearest), with the same arguments, options, results (bit for bit)
 * and errors. Inputs on `pool.f64(n)` / `pool.f32(n)` (SharedArrayBuffer) are read in place by the workers; other
 * arrays are copied to them. Calls below a measured size run on this thread (pairwise: in one worker). Without
 * workers (Cloudflare workerd, a runtime with neither Worker nor worker_threads) the pool is inline: `threads` is 0
 * and every call runs the synchronous function. `close()` (or `await using`) terminates the workers.
 *
 * @param options `threads`: workers (default: the hardware's concurrency, at most 8), an integer in [1, 256].
 * @throws TypeError for an unknown option; RangeError for `threads` out of range.
 * @example
 * const pool = createPool({ threads: 2 });
 * const p = pool.f64(1e7), q = pool.f64(1e7); // fill them, then:
 * const kl = await pool.klDivergence(p, q);   // === klDivergence(p, q)
 * await pool.close();
 */
export function createPool(options?: PoolOptions): ParallelPool {
  const spawn = spawner();
  const os = nodeModule<{ availableParallelism?(): number; cpus(): unknown[] }>("node:os");
  const n = g.navigator?.hardwareConcurrency ?? os?.availableParallelism?.() ?? os?.cpus().length;
  return makePool(options, spawn, { threads: Math.max(1, Math.min(8, n || 2)) });
}
