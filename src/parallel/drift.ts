// kl-wasm/drift's histogram on the pool: the drift family's histogram() (src/drift/histogram.ts) runs here as it is,
// over a binning engine whose counts the workers compute (replay.ts): the edges' checks and plan, the options, the
// NaN policy and its errors are the synchronous code's. The samples are split into one part a worker; each worker
// bins its part with the WebAssembly engine (src/parallel/drift-worker.ts) into zeroed counts, and the parts' counts
// are added here in order. Counts are integers below 2^53, so every sum is exact in any order: the same bits as the
// synchronous call, whose engine adds its blocks' counts the same way. The tally adds too (under, over, NaN), and
// the first NaN is the first part's that saw one, at its offset: the index the synchronous call names.
// The entry carries no binning engine (its size): every call goes to the workers (below BINS_SPLIT samples to one).
import { makeHistogram, type BinEngine, type BinPlan, type BinTally, type Binned, type HistogramOptions } from "../drift/histogram.js";
import type { Vector } from "../core/validate.js";
import { type Pool, closedError, ship } from "./pool.js";
import { replay, type Replay } from "./replay.js";
import { snapshot } from "./own.js";

/** Samples from which the parts go to every worker (Tuning.bins); fewer are binned in one worker. */
export const BINS_SPLIT = 1 << 17;

export interface BinsPayload { fn: string; x: Vector; plan: BinPlan }
export interface BinsResult { counts: Float64Array; tally: BinTally }

interface Context { pool: Pool; r: Replay; split: number }
let context: Context | undefined;

/** The engine of an inline pool: in the workerd build the WebAssembly engine; elsewhere none (the call rejects). */
let here: BinEngine | undefined;

/** The binning engine of the pool's histogram: the workers' counts within withBins, else the engine here. */
const parallelBinEngine: BinEngine = {
  count(fn, x, plan, counts) {
    const c = context;
    if (c === undefined) {
      if (here === undefined) throw new Error("kl-wasm/parallel: histogram needs workers, and this runtime has none: call kl-wasm/drift's histogram");
      return here.count(fn, x, plan, counts);
    }
    const parts = c.r.next(() => dispatch(c.pool, fn, x, plan, x.length < c.split ? 1 : c.pool.threads));
    const tally: BinTally = { under: 0, over: 0, nan: 0, firstNaN: -1 };
    for (const { counts: part, tally: t, at } of parts) {
      for (let j = 0; j < part.length; j++) counts[j] += part[j];
      tally.under += t.under;
      tally.over += t.over;
      tally.nan += t.nan;
      if (tally.firstNaN < 0 && t.firstNaN >= 0) tally.firstNaN = at + t.firstNaN;
    }
    return tally;
  },
};

async function dispatch(pool: Pool, fn: string, x: Vector, plan: BinPlan, K: number): Promise<Array<BinsResult & { at: number }>> {
  const n = x.length, at = Array.from({ length: K }, (_, k) => Math.floor((k * n) / K));
  // a typed array on an ordinary buffer: copied once into the pool's staging memory, which the workers read in place
  // (slices transferred to them cost fresh memory at every call: 0.08x the synchronous call on a VM, below)
  const copy = ArrayBuffer.isView(x) ? pool.stageCopy(x as Float64Array) : undefined, xs = copy ?? x;
  try {
    const parts = await pool.run<BinsResult>(at.map((from, k) => {
      const to = k + 1 < K ? at[k + 1] : n, transfer: Transferable[] = [];
      const payload: BinsPayload = { fn, x: ship(xs as Float64Array, from, to, transfer), plan };
      return { task: "bins", payload, transfer };
    }));
    return parts.map((p, k) => ({ ...p, at: at[k] }));
  } finally {
    if (copy !== undefined) pool.unstage(copy.buffer as SharedArrayBuffer);
  }
}

const histogram = /* @__PURE__ */ makeHistogram(parallelBinEngine);

/** kl-wasm/drift's histogram on the pool. */
export interface DriftPool {
  /**
   * kl-wasm/drift's `histogram`, async: the same arguments, options (`out`, `nan`), counts (bit for bit: integers
   * added exactly) and errors (a NaN sample named by its index in the whole array). From 2^17 samples they are
   * split among the workers (read in place on `f64`/`f32` memory; a typed array on an ordinary buffer is copied
   * once into staging memory the pool keeps for the next call: 1.10-1.18x the synchronous call at 10^7 samples,
   * against 1.7-1.8x in place); fewer are binned in one worker. An inline pool (no workers) rejects, but in the
   * workerd build.
   */
  histogram(samples: Vector, edges: Vector, options?: HistogramOptions): Promise<Binned>;
}

declare const __KL_WORKER__: string | null;

/** The method over `pool` (undefined: inline); `once` reads a plain array once (api.ts), `closed` the pool's state. */
export function driftMethods(pool: Pool | undefined, closed: () => boolean, split: number,
                             once: (fn: string, name: string, x: unknown) => unknown): DriftPool {
  return {
    async histogram(samples, edges, options) {
      if (closed()) throw closedError();
      // samples as given (a plain array is read by each run: histogram() names every non-number of a plain array)
      edges = once("histogram", "edges", edges) as Vector;
      options = snapshot(options);
      if (typeof __KL_WORKER__ !== "undefined" && __KL_WORKER__ === null && here === undefined) {
        // the workerd build: its inline pool bins with the WebAssembly engine
        await import("../drift/provision.js");
        here = (await import("../drift/wasm.js")).wasmBinEngine;
      }
      if (pool === undefined) return histogram(samples, edges, options);
      return replay((r) => {
        const outer = context; // a pool call made while another's runs (an options getter): restored after
        context = { pool, r, split };
        try {
          return histogram(samples, edges, options);
        } finally {
          context = outer;
        }
      });
    },
  };
}
