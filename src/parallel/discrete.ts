// The discrete measures on the pool (entropy, klDivergence, crossEntropy, jensenShannon(+Distance) and their
// …Rows): the main entry's functions run here as they are, with the row driver (src/core/wasm.ts runRows)
// answered by the workers (replay.ts). One driver call of at least ROWS_THRESHOLD elements is cut into runs, which
// the calling thread and the workers claim one at a time from a shared counter until none is left (whoever is free
// takes the next: nobody waits for a slower thread, and the calling thread computes instead of waiting), each
// writing its values (and sums) into shared memory:
//   - rows of at most CHUNK columns (or enough rows to balance): runs of whole rows, each computed by the driver as
//     the whole call would (each row's value depends on that row alone);
//   - fewer, longer rows: each row's segments of CHUNK elements (the driver over them viewed as rows of CHUNK
//     columns computes what the whole call's long-row loop computes per segment), combined here in order with that
//     loop's accumulator.
// Identity with one call holds but for the driver's choice of mode, made per call: a run that reran in the exact
// mode (a positive subnormal, or eps 0 with a q under p > 0 raised by the clip), or found a bad value, stops the
// others, and the driver call runs here, whole (the same bits, and the same error, as the synchronous call); so
// does a call whose rows' clip bounds would make the runs choose their fast mode differently.
// Only inputs on a SharedArrayBuffer go to the workers: the kernels are bound by memory bandwidth, so copying an
// input costs about what computing on it does (measured: 0.34x the synchronous call at 10^7 with copies), and a
// driver call over other arrays (ordinary buffers, workspace views, plain arrays' copies) runs here.
import { driverHooks, runRows, simdBuild, CHUNK, type KernelArgs, type KernelName } from "../core/wasm.js";
import { Sum } from "../core/sum.js";
import { type Job, type Pool, shared, stamped } from "./pool.js";
import type { Replay } from "./replay.js";
import type { Task } from "./tasks.js";

/** Driver calls (rows × cols elements) below this run here (bench/parallel.mjs --thresholds: two workers on shared
 *  memory break even between 2^18 and 2^19 elements; issue 17's idle measurement: about 3·10^5). */
export const ROWS_THRESHOLD = 1 << 18;

/** Smallest lower clips the driver's fast modes take (src/core/wasm.ts FAST_LO_F64, FAST_LO_F32). */
const FAST_LO_F64 = 4.450147717014403e-308, FAST_LO_F32 = 2.350988701644575e-38;

/** Per run, in RowsPayload.runs: at (index in p and q), rows, cols, lo, hi, a, b, params (index in
 *  RowsPayload.params of the run's first row, or -1: lo, hi, a, b are the run's), o (index of its first value in out). */
const RUN = 9;
/** Runs a thread takes on average: a run has at least 1/RUNS of the threshold's elements. */
const RUNS = 8;

/** A driver call as runs that the threads claim from ctl[0] (the next run) until none is left; ctl[1] set: a run found a
 *  bad value or reran in the exact mode (the call then runs on the calling thread, whole); ctl[2]: the runs finished
 *  (their values written); ctl[3]: the workers' jobs begun. out and sums (shared memory): each run's values, and its
 *  rows' sums of p and q. */
export interface RowsPayload {
  fn: string; kernel: KernelName; p: Float64Array; q?: Float64Array; runs: Float64Array; params?: Float64Array;
  clips: boolean; wide: boolean; ctl: Int32Array; out: Float64Array; sums?: Float64Array;
}

const BAD = new Error("bad value");
const bad = () => { throw BAD; };

/** Claims and computes runs of x with `driver` (runRows; local() on the calling thread) until none is left or one
 *  stopped them. */
function claim(x: RowsPayload, driver: typeof runRows): void {
  const { fn, kernel, p, q, runs, params, ctl, out, sums } = x, exact = driverHooks.exact;
  try {
    for (let i = 0; Atomics.load(ctl, 1) === 0 && (i = Atomics.add(ctl, 0, 1) * RUN) < runs.length;) {
      const at = runs[i], rows = runs[i + 1], cols = runs[i + 2], pi = runs[i + 7], o = runs[i + 8], end = at + rows * cols;
      driver(fn, kernel, p.subarray(at, end), q?.subarray(at, end), rows, cols,
        { lo: runs[i + 3], hi: runs[i + 4], a: runs[i + 5], b: runs[i + 6], params: pi < 0 ? undefined : params!.subarray(pi, pi + 4 * rows), clips: x.clips, wide: x.wide },
        out.subarray(o, o + rows), bad, sums?.subarray(2 * o, 2 * (o + rows)));
      if (driverHooks.exact !== exact) throw BAD;
      Atomics.add(ctl, 2, 1);
    }
    return;
  } catch (e) {
    if (e !== BAD) throw e;
  }
  Atomics.store(ctl, 1, 1);
}

/** The worker's half: runs of the payload until none is left. */
export const rowsTask: Task<RowsPayload, number> = (x) => {
  Atomics.add(x.ctl, 3, 1);
  claim(x, runRows);
  return { result: 0 };
};

/** runRows itself, on this thread (the hook set aside while it runs). */
function local(...a: Parameters<typeof runRows>): Float64Array {
  const hook = driverHooks.rows;
  driverHooks.rows = undefined;
  try {
    return runRows(...a);
  } finally {
    driverHooks.rows = hook;
  }
}

/** How a pool splits driver calls: `threshold`, the elements below which one runs here (and a run has at least an
 *  eighth of them); `helpers`, the workers that take runs beside the calling thread (api.ts: one fewer than the cores,
 *  at most the pool's threads, at least one). */
export interface Split { threshold: number; helpers: number }

/**
 * Runs `call` (a synchronous function of the main entry) with the row driver answered by the pool for replay `r`: a
 * driver call at least `split.threshold` elements long takes its answer from `r`, or throws Pending with the work
 * that computes it (started now: the calling thread takes its runs before the first await).
 */
export function withRows<T>(pool: Pool, r: Replay, split: Split, call: () => T): T {
  const outer = driverHooks.rows; // a pool call made while another's runs (an options getter): restored after
  driverHooks.rows = (fn, kernel, p, q, rows, cols, args, out, report, sums) => {
    if (rows * cols < split.threshold || !shared(p as Float64Array) || (q !== undefined && !shared(q as Float64Array)) || mixedClips(args, rows)) return local(fn, kernel, p, q, rows, cols, args, out, report, sums);
    const answer = r.next(() => dispatch(pool, split, fn, kernel, p as Float64Array, q as Float64Array | undefined, rows, cols, args, sums !== undefined));
    if (answer.local) return local(fn, kernel, p, q, rows, cols, args, out, report, sums);
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

/** Polls of ctl after the calling thread's last run (about 0.1-0.3 ms): a worker's last run, begun at most one run's
 *  time before, usually ends within that (both threads ended within 0.03 ms of each other in a traced call). */
const SPIN = 1 << 16;

/** Whether all `count` runs finished (ctl[2]), polled at most SPIN times; false at once if a run stopped them. */
function finished(ctl: Int32Array, count: number): boolean {
  for (let i = 0; i < SPIN; i++) {
    if (Atomics.load(ctl, 2) === count) return true;
    if (Atomics.load(ctl, 1) !== 0) return false;
  }
  return false;
}

type Combined = { local: true } | { local?: false; out: Float64Array; sums?: Float64Array };

/** Cuts one driver call into runs, computes them here and on `helpers` workers, and combines their values. */
async function dispatch(pool: Pool, { threshold, helpers }: Split, fn: string, kernel: KernelName, p: Float64Array, q: Float64Array | undefined,
                        rows: number, cols: number, args: KernelArgs, wantSums: boolean): Promise<Combined> {
  const params = args.params, runs: number[] = [], threads = helpers + 1;
  const size = Math.max(threshold, (rows * cols) / threads) / RUNS; // elements a run
  const byRows = cols <= CHUNK || rows >= RUNS * threads, S = byRows ? 1 : Math.ceil(cols / CHUNK);
  if (byRows) {
    // runs of whole rows (past the rows the driver stages at once, a multiple of them)
    const per = Math.max(1, Math.floor(CHUNK / cols)), n = Math.ceil(size / cols) > per ? Math.ceil(size / cols / per) * per : Math.ceil(size / cols);
    for (let r0 = 0; r0 < rows; r0 += n) runs.push(r0 * cols, Math.min(n, rows - r0), cols, args.lo, args.hi, args.a, args.b, params === undefined ? -1 : 4 * r0, r0);
  } else {
    // each row's segments of CHUNK elements: runs of n full segments, and the row's last, shorter one
    const full = Math.floor(cols / CHUNK), n = Math.max(1, Math.round(size / CHUNK));
    for (let r = 0; r < rows; r++) {
      const [lo, hi, a, b] = params === undefined ? [args.lo, args.hi, args.a, args.b] : params.subarray(4 * r, 4 * r + 4);
      for (let s = 0; s < full; s += n) runs.push(r * cols + s * CHUNK, Math.min(n, full - s), CHUNK, lo, hi, a, b, -1, r * S + s);
      if (full < S) runs.push(r * cols + full * CHUNK, 1, cols - full * CHUNK, lo, hi, a, b, -1, r * S + full);
    }
  }
  const values = rows * S, buffer = new SharedArrayBuffer(16 + 8 * (wantSums ? 3 : 1) * values);
  const x: RowsPayload = {
    fn, kernel, p, q, runs: Float64Array.from(runs), params, clips: !!args.clips, wide: !!args.wide, ctl: new Int32Array(buffer, 0, 4),
    out: new Float64Array(buffer, 16, values), sums: wantSums ? new Float64Array(buffer, 16 + 8 * values, 2 * values) : undefined,
  };
  // the calling thread takes runs too, after posting the workers' jobs; not if the build changed since the call began
  // (its kernels would not be the jobs'): then the workers take them all
  const here = stamped() === simdBuild(), count = runs.length / RUN;
  const jobs: Job[] = Array.from({ length: Math.max(here ? 0 : 1, Math.min(helpers, count - (here ? 1 : 0))) }, () => ({ task: "rows", payload: x }));
  const work = pool.run(jobs);
  if (here) {
    try {
      claim(x, local);
    } catch (e) {
      work.catch(() => {});
      throw e;
    }
    // every run finished and every job begun (its worker past its last run, about to reply): the values are in shared
    // memory, so the jobs are settled now, and their workers freed for the next call, not 0.1 ms on at their replies
    if (finished(x.ctl, count) && Atomics.load(x.ctl, 3) === jobs.length) for (const j of jobs) pool.release(j);
  }
  await work;
  if (x.ctl[1] !== 0) return { local: true };
  if (byRows) return { out: x.out, sums: x.sums };
  // long rows: each row's segment values combined in order, as the driver's long-row loop does
  const out = new Float64Array(rows), sums = wantSums ? new Float64Array(2 * rows) : undefined, acc = new Sum();
  for (let r = 0; r < rows; r++) {
    acc.reset();
    let sp = 0, sq = 0;
    for (let k = r * S; k < (r + 1) * S; k++) {
      acc.add(x.out[k]);
      if (sums !== undefined) { sp += x.sums![2 * k]; sq += x.sums![2 * k + 1]; }
    }
    out[r] = acc.value;
    if (sums !== undefined) { sums[2 * r] = sp; sums[2 * r + 1] = sq; }
  }
  return { out, sums };
}
