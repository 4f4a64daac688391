// The discrete measures on the pool (entropy, klDivergence, crossEntropy, jensenShannon(+Distance) and their
// …Rows): the main entry's functions run here as they are, with the row driver (src/core/wasm.ts runRows)
// answered by the workers (replay.ts). One driver call of at least ROWS_THRESHOLD elements is split:
//   - rows of at most CHUNK columns (or at least 2 rows a worker): at row boundaries, each worker running the
//     driver on its rows as the whole call would (each row's value depends on that row alone);
//   - fewer, longer rows: each row at multiples of CHUNK, each worker returning the raw value (and sums) of every
//     segment of CHUNK elements of its part (the driver over it viewed as rows of CHUNK columns, computes what the
//     whole call's long-row loop computes per segment), combined here in order with that loop's accumulator.
// Identity with one call holds but for the driver's choice of mode, made per call: a worker whose part reran in
// the exact mode (a positive subnormal, or eps 0 with a q under p > 0 raised by the clip), or found a bad value,
// answers "local", and the driver call runs here, whole (the same bits, and the same error, as the synchronous
// call); so does a call whose rows' clip bounds would make the parts choose their fast mode differently.
// Only inputs on a SharedArrayBuffer go to the workers: the kernels are bound by memory bandwidth, so copying an
// input costs about what computing on it does (measured: 0.34x the synchronous call at 10^7 with copies), and a
// driver call over other arrays (ordinary buffers, workspace views, plain arrays' copies) runs here.
import { driverHooks, runRows, CHUNK, type KernelArgs, type KernelName } from "../core/wasm.js";
import { Sum } from "../core/sum.js";
import type { Vector } from "../core/validate.js";
import { type Pool, type Job, ship, shared } from "./pool.js";
import type { Replay } from "./replay.js";
import type { Task } from "./tasks.js";

/** Driver calls (rows × cols elements) below this run here (bench/parallel.mjs --thresholds: two workers on shared
 *  memory break even between 2^18 and 2^19 elements; issue 17's idle measurement: about 3·10^5). */
export const ROWS_THRESHOLD = 1 << 18;

/** Smallest lower clips the driver's fast modes take (src/core/wasm.ts FAST_LO_F64, FAST_LO_F32). */
const FAST_LO_F64 = 4.450147717014403e-308, FAST_LO_F32 = 2.350988701644575e-38;

/** Per run, in RowsPayload.runs: at (index in p and q), rows, cols, lo, hi, a, b, params (index in
 *  RowsPayload.params of the run's first row, or -1: lo, hi, a, b are the run's). */
const RUN = 8;

export interface RowsPayload {
  fn: string; kernel: KernelName; p: Vector; q?: Vector;
  runs: Float64Array; params?: Float64Array;
  lo: number; hi: number; a: number; b: number; clips: boolean; wide: boolean;
  sums: boolean;
}
export type RowsResult = { local: true } | { local?: false; out: Float64Array; sums?: Float64Array };

const BAD = new Error("bad value");
const bad = () => { throw BAD; };

/** The worker's half: runs the driver over each run of the payload; "local" for a bad value or an exact rerun. */
export const rowsTask: Task<RowsPayload, RowsResult> = (x) => {
  const { fn, kernel, p, q, runs, params } = x;
  let total = 0;
  for (let i = 0; i < runs.length; i += RUN) total += runs[i + 1];
  const out = new Float64Array(total), sums = x.sums ? new Float64Array(2 * total) : undefined;
  const exact = driverHooks.exact;
  try {
    for (let i = 0, o = 0; i < runs.length; i += RUN) {
      const at = runs[i], rows = runs[i + 1], cols = runs[i + 2], pi = runs[i + 7], end = at + rows * cols;
      const args: KernelArgs = pi >= 0
        ? { lo: x.lo, hi: x.hi, a: x.a, b: x.b, params: params!.subarray(pi, pi + 4 * rows), clips: x.clips, wide: x.wide }
        : { lo: runs[i + 3], hi: runs[i + 4], a: runs[i + 5], b: runs[i + 6], clips: x.clips, wide: x.wide };
      runRows(fn, kernel, (p as Float64Array).subarray(at, end), q === undefined ? undefined : (q as Float64Array).subarray(at, end),
        rows, cols, args, out.subarray(o, o + rows), bad, sums?.subarray(2 * o, 2 * (o + rows)));
      o += rows;
    }
  } catch (e) {
    if (e === BAD) return { result: { local: true } };
    throw e;
  }
  if (driverHooks.exact !== exact) return { result: { local: true } };
  return { result: { out, sums }, transfer: sums === undefined ? [out.buffer] : [out.buffer, sums.buffer] };
};

/** runRows itself, on this thread (the hook set aside while it runs). */
function here(...a: Parameters<typeof runRows>): Float64Array {
  const hook = driverHooks.rows;
  driverHooks.rows = undefined;
  try {
    return runRows(...a);
  } finally {
    driverHooks.rows = hook;
  }
}

/**
 * Runs `call` (a synchronous function of the main entry) with the row driver answered by the pool's workers for
 * replay `r`: a driver call at least `threshold` elements long takes its answer from `r`, or throws Pending with
 * the work that computes it.
 */
export function withRows<T>(pool: Pool, r: Replay, threshold: number, call: () => T): T {
  const outer = driverHooks.rows; // a pool call made while another's runs (an options getter): restored after
  driverHooks.rows = (fn, kernel, p, q, rows, cols, args, out, report, sums) => {
    if (rows * cols < threshold || !shared(p as Float64Array) || (q !== undefined && !shared(q as Float64Array)) || mixedClips(args, rows)) return here(fn, kernel, p, q, rows, cols, args, out, report, sums);
    const answer = r.next(() => dispatch(pool, fn, kernel, p, q, rows, cols, args, sums !== undefined));
    if (answer.local) return here(fn, kernel, p, q, rows, cols, args, out, report, sums);
    out.set(answer.out);
    if (sums !== undefined) sums.set(answer.sums!);
    return out;
  };
  try {
    return call();
  } finally {
    driverHooks.rows = outer;
  }
}

/** Rows whose lower clips the driver might raise beside rows it would not: its parts could choose different modes. */
function mixedClips(args: KernelArgs, rows: number): boolean {
  if (!args.clips || args.params === undefined) return false;
  let min = Infinity, max = -Infinity;
  for (let r = 0; r < rows; r++) {
    min = Math.min(min, args.params[4 * r]);
    max = Math.max(max, args.params[4 * r]);
  }
  return min < FAST_LO_F32 && max >= FAST_LO_F64;
}

type Combined = { local: true } | { local?: false; out: Float64Array; sums?: Float64Array };

/** Splits one driver call into jobs (one per worker), runs them and combines the answers. */
async function dispatch(pool: Pool, fn: string, kernel: KernelName, p: Vector, q: Vector | undefined, rows: number,
                        cols: number, args: KernelArgs, wantSums: boolean): Promise<Combined> {
  const T = pool.threads;
  const base = { fn, kernel, lo: args.lo, hi: args.hi, a: args.a, b: args.b, clips: !!args.clips, wide: !!args.wide, sums: wantSums };
  const params = args.params;
  type V = Float64Array;
  if (cols <= CHUNK || rows >= 2 * T) {
    // at row boundaries
    const K = Math.min(T, rows), jobs: Job[] = [], starts: number[] = [];
    for (let k = 0; k < K; k++) {
      const r0 = Math.floor((k * rows) / K), r1 = Math.floor(((k + 1) * rows) / K), transfer: Transferable[] = [];
      starts.push(r0);
      const payload: RowsPayload = {
        ...base, p: ship(p as V, r0 * cols, r1 * cols, transfer), q: q === undefined ? undefined : ship(q as V, r0 * cols, r1 * cols, transfer),
        runs: Float64Array.of(0, r1 - r0, cols, args.lo, args.hi, args.a, args.b, params === undefined ? -1 : 0),
        params: params?.slice(4 * r0, 4 * r1),
      };
      jobs.push({ task: "rows", payload, transfer });
    }
    const res = await pool.run<RowsResult>(jobs);
    if (res.some((x) => x.local)) return { local: true };
    const out = new Float64Array(rows), sums = wantSums ? new Float64Array(2 * rows) : undefined;
    res.forEach((x, k) => {
      if (x.local) return;
      out.set(x.out, starts[k]);
      if (sums !== undefined) sums.set(x.sums!, 2 * starts[k]);
    });
    return { out, sums };
  }
  // long rows: every row at the same multiples of CHUNK
  const S = Math.ceil(cols / CHUNK), K = Math.min(T, S), e: number[] = [];
  for (let k = 0; k <= K; k++) e.push(Math.min(cols, Math.floor((k * S) / K) * CHUNK));
  const jobs: Job[] = [];
  for (let k = 0; k < K; k++) {
    const len = e[k + 1] - e[k], runs: number[] = [], transfer: Transferable[] = [];
    for (let r = 0; r < rows; r++) {
      const at = r * cols + e[k], full = Math.floor(len / CHUNK), tail = len - full * CHUNK;
      const [lo, hi, a, b] = params === undefined ? [args.lo, args.hi, args.a, args.b] : params.subarray(4 * r, 4 * r + 4);
      if (full > 0) runs.push(at, full, CHUNK, lo, hi, a, b, -1);
      if (tail > 0) runs.push(at + full * CHUNK, 1, tail, lo, hi, a, b, -1);
    }
    const part = (x: V) => ship(x, 0, rows * cols, transfer);
    const payload: RowsPayload = { ...base, p: part(p as V), q: q === undefined ? undefined : part(q as V), runs: Float64Array.from(runs) };
    jobs.push({ task: "rows", payload, transfer });
  }
  const res = await pool.run<RowsResult>(jobs);
  if (res.some((x) => x.local)) return { local: true };
  const out = new Float64Array(rows), sums = wantSums ? new Float64Array(2 * rows) : undefined, acc = new Sum();
  const seg = new Int32Array(K);
  for (let r = 0; r < rows; r++) {
    acc.reset();
    let sp = 0, sq = 0;
    for (let k = 0; k < K; k++) {
      const x = res[k] as { out: Float64Array; sums?: Float64Array };
      for (let n = Math.ceil((e[k + 1] - e[k]) / CHUNK); n > 0; n--, seg[k]++) {
        acc.add(x.out[seg[k]]);
        if (sums !== undefined) { sp += x.sums![2 * seg[k]]; sq += x.sums![2 * seg[k] + 1]; }
      }
    }
    out[r] = acc.value;
    if (sums !== undefined) { sums[2 * r] = sp; sums[2 * r + 1] = sq; }
  }
  return { out, sums };
}
