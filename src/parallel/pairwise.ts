// pairwise, pairwiseCondensed and nearest on the pool: kl-wasm/pairwise's functions (src/pairwise/api.ts) run here
// as they are, over an engine whose plan takes its cells from the workers (replay.ts). The checks, the
// normalisation of rows, the unit conversion, the mirrored and condensed orders and the nearest-row selection are
// the synchronous code's; the workers compute raw cells only, each for a block of rows of X (at multiples of the
// engine's 64-row tile) against every row of Y, with the tiles the synchronous call uses (a cell is computed by the
// same kernel call over the same tile: the same bits). X against itself with a symmetric metric: the upper
// triangle only (j ≥ the tile's first row), mirrored by the synchronous code, the rows split so that each worker
// has the same number of cells.
import type { PairwiseEngine, PairInput, PairPlan } from "../pairwise/api.js";
import { wasmPairwiseEngine } from "../pairwise/wasm.js";
import { type Pool, type Job, ship } from "./pool.js";
import type { Replay } from "./replay.js";
import type { Task } from "./tasks.js";

/** Calls of m · n · cols pair-elements below this run in one worker, whole (the main thread has no pairwise module:
 *  the entry's size), from it on in parts on every worker (bench/parallel.mjs --thresholds: two workers gave 1.07× at
 *  2^18, 1.78× at 2^20, on a shared machine). */
export const PAIRS_THRESHOLD = 1 << 19;

/** The engine's tile (src/pairwise/wasm.ts TILE_I = TILE_J = 64): parts start at its multiples. */
const TILE = 64;

export interface PairsPayload {
  input: PairInput;
  /** The part's first row in X (a multiple of TILE); input.x holds the part's rows. */
  i0: number;
  upper: boolean;
}

/** The worker's half: the raw cells of its rows against every row of Y (upper: from the tile's first row on). */
export const pairCellsTask: Task<PairsPayload, Float64Array> = ({ input, i0, upper }) => {
  const { m, n } = input, out = new Float64Array(m * n);
  const plan = wasmPairwiseEngine.plan(input);
  try {
    if (!upper) plan.cells(0, m, 0, n, out, 0, n);
    else for (let t = 0; t < m; t += TILE) plan.cells(t, Math.min(m, t + TILE), i0 + t, n, out, t * n + i0 + t, n);
  } finally {
    plan.release();
  }
  return { result: out, transfer: [out.buffer] };
};

interface Context { pool: Pool; r: Replay; fn: string; threshold: number }
let context: Context | undefined;

/** Runs `call` (a function of the pairwise api over parallelEngine) with its plan answered by the pool's workers. */
export function withPairs<T>(c: Context, call: () => T): T {
  const outer = context; // a pool call made while another's runs (an options getter): restored after
  context = c;
  try {
    return call();
  } finally {
    context = outer;
  }
}

/** The engine of the pool's pairwise api: the workers' cells (one worker below the threshold); outside withPairs (an
 *  inline pool) the WebAssembly engine here. */
export const parallelEngine: PairwiseEngine = {
  plan(input) {
    const c = context;
    if (c === undefined) return wasmPairwiseEngine.plan(input);
    const upper = c.fn !== "nearest" && input.x === input.y && input.kernel !== "kl" && input.kernel !== "crossEntropy";
    const K = input.m * input.n * input.cols < c.threshold ? 1 : c.pool.threads;
    const parts = c.r.next(() => dispatch(c.pool, input, upper, K));
    return replayed(input.n, parts);
  },
};

interface Parts { starts: number[]; cells: Float64Array[] }

/** A plan whose cells are the workers' (tile: TILE rows of every column, so the api's buffer stays small). */
function replayed(n: number, parts: Parts): PairPlan {
  return {
    tile: [TILE, n],
    cells(i0, i1, j0, j1, out, at, stride) {
      let k = 0;
      for (let i = i0; i < i1; i++) {
        while (k + 1 < parts.starts.length && parts.starts[k + 1] <= i) k++;
        const from = (i - parts.starts[k]) * n;
        out.set(parts.cells[k].subarray(from + j0, from + j1), at + (i - i0) * stride);
      }
    },
    release() {},
  };
}

/** Rows of X in parts at multiples of TILE, as many as workers, each with about the same number of cells. */
function split(m: number, n: number, K: number, upper: boolean): number[] {
  const tiles = Math.ceil(m / TILE), cost = (t: number) => (upper ? n - t * TILE : n) * (Math.min(m, (t + 1) * TILE) - t * TILE);
  let total = 0;
  for (let t = 0; t < tiles; t++) total += cost(t);
  const starts = [0];
  let sum = 0;
  for (let t = 0; t < tiles && starts.length < K; t++) {
    sum += cost(t);
    if (sum >= (total * starts.length) / K && t + 1 < tiles) starts.push((t + 1) * TILE);
  }
  return starts;
}

async function dispatch(pool: Pool, input: PairInput, upper: boolean, K: number): Promise<Parts> {
  const { m, n, cols, x, y } = input;
  const starts = split(m, n, Math.min(K, Math.ceil(m / TILE)), upper);
  const jobs: Job[] = starts.map((i0, k) => {
    const i1 = k + 1 < starts.length ? starts[k + 1] : m, transfer: Transferable[] = [];
    const part: PairInput = { ...input, m: i1 - i0, x: ship(x, i0 * cols, i1 * cols, transfer), y: ship(y, 0, n * cols, transfer) };
    return { task: "pairCells", payload: { input: part, i0, upper } satisfies PairsPayload, transfer };
  });
  return { starts, cells: await pool.run<Float64Array>(jobs) };
}
