// The pairwise functions, built once over an engine (WebAssembly: src/pairwise/wasm.ts; pure TS:
// twin.ts), which share every argument check, option and error, the normalisation of rows, the
// tiling of the matrix, the condensed order, the nearest-row selection and the unit conversion.
// An engine computes raw cells (nats, before base, clamp and root) of tiles of rows of X against
// rows of Y; everything else is here.
import {
  type Vector, vector, show, checkOptions, checkSumIsOne, logBaseOf, flag, nonNumberType,
} from "../core/validate.js";
import { Sum } from "../core/sum.js";
import { heapPush, heapReplaceTop, heapSort } from "../core/heap.js";

export type PairMetric = "klDivergence" | "crossEntropy" | "jensenShannon" | "jensenShannonDistance" | "hellinger"
  | "totalVariation";
/** The quantity an engine computes per cell (raw, in nats):
 *  kl = Σ_{p>0} p log(p / clip(q, eps, 1)); crossEntropy = −Σ_{p>0} p log clip(q, eps, 1);
 *  jensenShannon = ½ Σ_{p>0} p log(2p/(p+q)) + ½ Σ_{q>0} q log(2q/(p+q));
 *  hellinger = ½ Σ (√p − √q)²; totalVariation = ½ Σ |p − q|. */
export type PairKernel = "kl" | "crossEntropy" | "jensenShannon" | "hellinger" | "totalVariation";

export interface PairInput {
  kernel: PairKernel;
  /** m × cols, validated (finite, >= 0), normalised already with normalize: true. */
  x: Float64Array | Float32Array;
  /** n × cols; the same object as x when Y was null. */
  y: Float64Array | Float32Array;
  m: number; n: number; cols: number;
  /** The clip of q for kl and crossEntropy (0 allowed). */
  eps: number;
  /** x and y are both Float32Array: the float32 kernels may be used. */
  f32: boolean;
}

export interface PairPlan {
  /** Raw cells of rows [i0, i1) of x against rows [j0, j1) of y into out[at + (i − i0) stride + (j − j0)]. */
  cells(i0: number, i1: number, j0: number, j1: number, out: Float64Array, at: number, stride: number): void;
  /** Frees what plan() held (called once, also after an error). */
  release(): void;
  /** Preferred tile: rows of x, rows of y per cells() call. */
  readonly tile: readonly [number, number];
}

export interface PairwiseEngine {
  /** Per-row work, once per call. */
  plan(input: PairInput): PairPlan;
}

/** Options of every pairwise function. */
export interface PairwiseOptions {
  /** What each cell is: the one-pair function of that name (hellinger = √(½ Σ (√p − √q)²), totalVariation = ½ Σ |p − q|). */
  metric: PairMetric;
  /** klDivergence and crossEntropy: q clipped to [eps, 1] where p > 0. Default 1e-15; 0 gives +Infinity where q = 0 < p. */
  eps?: number;
  /** The logarithm's base for the log metrics (KL, cross-entropy, Jensen–Shannon): e (nats) by default. */
  base?: number;
  /** As the discrete functions: left out, every row must sum to 1 (within 1.5e-8; 3.5e-4 for float32); true divides
   *  each row by its sum; false computes as given. */
  normalize?: boolean;
}

export interface MatrixOptions extends PairwiseOptions {
  /** Where the matrix goes: a Float64Array or Float32Array of the result's length. */
  out?: Float64Array | Float32Array;
  /** Return a Float32Array (without `out`). */
  float32?: boolean;
}

/** Options that give a Float64Array: a Float64Array `out`, or neither `out` nor `float32: true`. */
export type Matrix64Options = MatrixOptions & ({ out: Float64Array } | { out?: undefined; float32?: false });
/** Options that give a Float32Array: a Float32Array `out`, or `float32: true` without `out`. */
export type Matrix32Options = MatrixOptions & ({ out: Float32Array } | { out?: undefined; float32: true });

export interface NearestOptions extends PairwiseOptions {
  /** How many nearest rows (default 1): at most the rows of Y (of X minus one with Y = null). */
  k?: number;
}

export interface Nearest {
  /** m × k: row i's nearest rows of Y, nearest first (ties: the lower index first). */
  indices: Int32Array;
  /** m × k: their values, ascending. */
  values: Float64Array;
}

export interface PairwiseApi {
  pairwise(X: Vector, Y: Vector | null | undefined, cols: number, options: Matrix64Options): Float64Array;
  pairwise(X: Vector, Y: Vector | null | undefined, cols: number, options: Matrix32Options): Float32Array;
  pairwise(X: Vector, Y: Vector | null | undefined, cols: number, options: MatrixOptions): Float64Array | Float32Array;
  pairwiseCondensed(X: Vector, cols: number, options: Matrix64Options): Float64Array;
  pairwiseCondensed(X: Vector, cols: number, options: Matrix32Options): Float32Array;
  pairwiseCondensed(X: Vector, cols: number, options: MatrixOptions): Float64Array | Float32Array;
  nearest(X: Vector, Y: Vector | null | undefined, cols: number, options: NearestOptions): Nearest;
}

const METRICS: readonly PairMetric[] = ["klDivergence", "crossEntropy", "jensenShannon", "jensenShannonDistance",
  "hellinger", "totalVariation"];
const KERNEL: Record<PairMetric, PairKernel> = {
  klDivergence: "kl", crossEntropy: "crossEntropy", jensenShannon: "jensenShannon", jensenShannonDistance: "jensenShannon",
  hellinger: "hellinger", totalVariation: "totalVariation",
};
const SYMMETRIC = (m: PairMetric) => m !== "klDivergence" && m !== "crossEntropy";
const CLIPS = (m: PairMetric) => m === "klDivergence" || m === "crossEntropy";
const LOGS = (m: PairMetric) => m !== "hellinger" && m !== "totalVariation";

interface Parsed {
  metric: PairMetric; eps: number; logBase: number; normalize: "check" | boolean;
  out?: Float64Array | Float32Array; float32: boolean; k: number;
}

function parse(fn: string, options: unknown, known: readonly string[]): Parsed {
  if (options === undefined || options === null) throw new TypeError(`${fn}: options with a metric are required`);
  const o = checkOptions(fn, options as object, known) as Record<string, unknown>;
  const metric = o.metric as PairMetric;
  if (!METRICS.includes(metric)) {
    throw new TypeError(`${fn}: metric must be one of ${METRICS.map((m) => `"${m}"`).join(", ")}, got ${show(metric)}`);
  }
  if (o.eps !== undefined && !CLIPS(metric)) throw new TypeError(`${fn}: unknown option 'eps'`);
  if (o.base !== undefined && !LOGS(metric)) throw new TypeError(`${fn}: unknown option 'base'`);
  let eps = 1e-15;
  if (o.eps !== undefined) {
    eps = o.eps as number;
    if (typeof eps !== "number" || !(eps >= 0 && eps < 1)) throw new RangeError(`${fn}: eps must be a number in [0, 1), got ${show(eps)}`);
  }
  const normalize = flag(fn, "normalize", o.normalize);
  return {
    metric, eps, logBase: logBaseOf(fn, o.base), normalize: normalize === undefined ? "check" : normalize,
    out: o.out as Float64Array | Float32Array | undefined, float32: flag(fn, "float32", o.float32) ?? false,
    k: o.k === undefined ? 1 : (o.k as number),
  };
}

/** A validated row-major matrix: the array as the engines read it and its rows. */
interface Matrix { x: Float64Array | Float32Array; rows: number }

function matrix(fn: string, name: string, x0: unknown, cols: number): Matrix {
  const x = vector(fn, name, x0);
  if (x.length % cols !== 0) throw new RangeError(`${fn}: cols (${cols}) does not divide the length of ${name} (${x.length})`);
  return { x: ArrayBuffer.isView(x) && (x instanceof Float64Array || x instanceof Float32Array) ? x : Float64Array.from(x), rows: x.length / cols };
}

/** The error for x[i] named by row and column. */
function badCell(fn: string, name: string, x: Vector, i: number, cols: number): Error {
  const v = x[i], type = nonNumberType(x, i), at = `${name}[${Math.floor(i / cols)}, ${i % cols}]`;
  if (type !== undefined) return new TypeError(`${fn}: ${at} is not a number (${type})`);
  const what = Number.isNaN(v) ? "NaN" : v === Infinity || v === -Infinity ? "infinite" : "negative";
  return new RangeError(`${fn}: ${at} is ${what} (${v}); values must be finite and >= 0`);
}

/** 2^-128: rows whose sum overflows are normalised by their sum scaled by this (exact above 2^-894). */
const DOWN = 2.938735877055719e-39;

/**
 * Checks every value (one pass, the row sums in the same pass unless normalize is false) and applies `normalize`: the default checks each
 * row's sum, true returns a normalised copy (of the input's float type), false returns x as it is.
 */
function prepare(fn: string, name: string, M: Matrix, cols: number, normalize: "check" | boolean): Float64Array | Float32Array {
  const { x, rows } = M;
  if (normalize === false) {
    for (let i = 0; i < x.length; i++) {
      const v = x[i];
      if (!(v >= 0 && v < Infinity)) throw badCell(fn, name, x, i, cols);
    }
    return x;
  }
  const sums = new Float64Array(rows), acc = new Sum();
  for (let r = 0; r < rows; r++) {
    acc.reset();
    for (let i = r * cols, end = i + cols; i < end; i++) {
      const v = x[i];
      if (!(v >= 0 && v < Infinity)) throw badCell(fn, name, x, i, cols);
      acc.add(v);
    }
    sums[r] = acc.value;
  }
  if (normalize === "check") {
    for (let r = 0; r < rows; r++) checkSumIsOne(fn, name, x, sums[r], r, rows, cols);
    return x;
  }
  for (let r = 0; r < rows; r++) {
    if (!(sums[r] > 0)) throw new RangeError(`${fn}: cannot normalize: ${rows > 1 ? `row ${r} of ${name}` : name} sums to 0`);
  }
  const y = x instanceof Float32Array ? new Float32Array(x.length) : new Float64Array(x.length);
  for (let r = 0; r < rows; r++) {
    const start = r * cols, end = start + cols;
    let s = sums[r], scale = 1;
    if (s === Infinity) {
      acc.reset();
      for (let i = start; i < end; i++) acc.add(x[i] * DOWN);
      s = acc.value;
      scale = DOWN;
    }
    for (let i = start; i < end; i++) y[i] = (x[i] * scale) / s;
  }
  return y;
}

/**
 * A run of cells in their metric's unit (the base, the clamp at 0, the root): out[to + k] from buf[from + k],
 * k < count, or the overflow's RangeError for a NaN (the sum overflowed both ways). The metric is read once a run
 * (a conversion function called per cell, not inlined into the tiles' callbacks, cost 11 ns a cell: 44 ms of a
 * 2000 × 2000 matrix's call; this loop about 5 ns). Dividing by 1 (hellinger, total variation) is exact.
 */
function convertCells(fn: string, { unit, logBase }: { unit: PairMetric; logBase: number }, buf: Float64Array, from: number,
                      out: Float64Array | Float32Array, to: number, count: number): void {
  const root = unit === "jensenShannonDistance" || unit === "hellinger";
  const clamp = root || unit === "jensenShannon", d = unit === "hellinger" || unit === "totalVariation" ? 1 : logBase;
  for (let k = 0; k < count; k++) {
    const v = buf[from + k];
    if (v !== v) throw new RangeError(`${fn}: the sum overflows the range of doubles (terms of both signs reach infinity)`);
    const w = (clamp ? Math.max(0, v) : v) / d;
    out[to + k] = root ? Math.sqrt(w) : w;
  }
}

function positiveCols(fn: string, cols: unknown): number {
  if (typeof cols !== "number" || !Number.isInteger(cols) || cols < 1) {
    throw new RangeError(`${fn}: cols must be a positive integer, got ${show(cols)}`);
  }
  return cols;
}

export interface SmallPairs {
  engine: PairwiseEngine;
  /** Calls with fewer than this many pair-elements (m · n · cols) run the small engine. */
  below: number;
}

export function makePairwiseApi(main: PairwiseEngine, small?: SmallPairs): PairwiseApi {
  /** Everything before the cells: arguments read once, checked, normalised; the plan. */
  function setup(fn: string, X0: unknown, Y0: unknown, cols0: unknown, options: unknown, known: readonly string[]) {
    const o = parse(fn, options, known);
    const cols = positiveCols(fn, cols0);
    const X = matrix(fn, "X", X0, cols);
    const same = Y0 === null || Y0 === undefined;
    const Y = same ? X : matrix(fn, "Y", Y0, cols);
    const x = prepare(fn, "X", X, cols, o.normalize);
    const y = same ? x : prepare(fn, "Y", Y, cols, o.normalize);
    const m = X.rows, n = Y.rows;
    const engine = small !== undefined && m * n * cols < small.below ? small.engine : main;
    const input: PairInput = {
      kernel: KERNEL[o.metric], x, y, m, n, cols, eps: o.eps, f32: x instanceof Float32Array && y instanceof Float32Array,
    };
    return { o, m, n, same, input, engine, unit: o.metric, logBase: o.logBase };
  }

  function output(fn: string, o: Parsed, length: number): Float64Array | Float32Array {
    if (o.out === undefined) return o.float32 ? new Float32Array(length) : new Float64Array(length);
    if (!(o.out instanceof Float64Array || o.out instanceof Float32Array)) {
      throw new TypeError(`${fn}: out must be a Float64Array or Float32Array`);
    }
    if (o.out.length !== length) throw new RangeError(`${fn}: out must have length ${length}, got ${o.out.length}`);
    return o.out;
  }

  /** out is written while X and Y are read: it must not share memory with them. */
  function disjoint(fn: string, out: Float64Array | Float32Array, ...xs: Array<Float64Array | Float32Array>): void {
    for (const x of xs) {
      if (out.buffer === x.buffer && out.byteOffset < x.byteOffset + x.byteLength && x.byteOffset < out.byteOffset + out.byteLength) {
        throw new RangeError(`${fn}: out overlaps an input`);
      }
    }
  }

  /** Runs `each(i0, i1, j0, j1, tile, stride)` over the tiles (upper ones only when `upper`), the plan freed after. */
  function tiles(s: ReturnType<typeof setup>, upper: boolean, direct: Float64Array | undefined,
                 each: (i0: number, i1: number, j0: number, j1: number, buf: Float64Array, at: number, stride: number) => void): void {
    const plan = s.engine.plan(s.input);
    try {
      const [tr, tc] = plan.tile;
      const buf = direct === undefined ? new Float64Array(tr * tc) : direct;
      for (let i0 = 0; i0 < s.m; i0 += tr) {
        const i1 = Math.min(s.m, i0 + tr);
        for (let j0 = upper ? i0 - (i0 % tc) : 0; j0 < s.n; j0 += tc) {
          const j1 = Math.min(s.n, j0 + tc);
          const at = direct === undefined ? 0 : i0 * s.n + j0, stride = direct === undefined ? j1 - j0 : s.n;
          plan.cells(i0, i1, j0, j1, buf, at, stride);
          each(i0, i1, j0, j1, buf, at, stride);
        }
      }
    } finally {
      plan.release();
    }
  }

  const MATRIX_KEYS = ["metric", "eps", "base", "normalize", "out", "float32"] as const;
  const NEAREST_KEYS = ["metric", "eps", "base", "normalize", "k"] as const;

  // one implementation for every MatrixOptions; PairwiseApi's overloads say which array each option gives
  return {
    pairwise(X: Vector, Y: Vector | null | undefined, cols: number, options: MatrixOptions): Float64Array | Float32Array {
      const fn = "pairwise";
      const s = setup(fn, X, Y, cols, options, MATRIX_KEYS);
      const { m, n } = s;
      const out = output(fn, s.o, m * n);
      disjoint(fn, out, s.input.x, s.input.y);
      const upper = s.same && SYMMETRIC(s.o.metric);
      const direct = out instanceof Float64Array ? out : undefined;
      tiles(s, upper, direct, (i0, i1, j0, j1, buf, at, stride) => {
        for (let i = i0; i < i1; i++) {
          const j = upper ? Math.max(j0, i) : j0;
          if (j < j1) convertCells(fn, s, buf, at + (i - i0) * stride + (j - j0), out, i * n + j, j1 - j);
        }
      });
      if (upper) {
        for (let i = 0; i < m; i++) for (let j = i + 1; j < m; j++) out[j * m + i] = out[i * m + j];
      }
      return out;
    },

    pairwiseCondensed(X: Vector, cols: number, options: MatrixOptions): Float64Array | Float32Array {
      const fn = "pairwiseCondensed";
      const s = setup(fn, X, null, cols, options, MATRIX_KEYS);
      if (!SYMMETRIC(s.o.metric)) {
        throw new RangeError(`${fn}: ${s.o.metric} is not symmetric; use pairwise(X, null, cols, …)`);
      }
      const m = s.m, out = output(fn, s.o, (m * (m - 1)) / 2);
      disjoint(fn, out, s.input.x);
      if (m < 2) return out;
      tiles(s, true, undefined, (i0, i1, j0, j1, buf, _at, stride) => {
        for (let i = i0; i < i1; i++) {
          // pdist's order: pair (i, j), i < j, at m i − i(i + 1)/2 + j − i − 1
          const base = m * i - (i * (i + 1)) / 2 - i - 1, j = Math.max(j0, i + 1);
          if (j < j1) convertCells(fn, s, buf, (i - i0) * stride + (j - j0), out, base + j, j1 - j);
        }
      });
      return out;
    },

    nearest(X: Vector, Y: Vector | null | undefined, cols: number, options: NearestOptions): Nearest {
      const fn = "nearest";
      const s = setup(fn, X, Y, cols, options, NEAREST_KEYS);
      const { m, n, same } = s;
      const most = same ? n - 1 : n, k = s.o.k;
      if (most === 0) throw new RangeError(`${fn}: X has one row, and Y = null leaves it no other row`);
      if (typeof k !== "number" || !Number.isInteger(k) || k < 1 || k > most) {
        throw new RangeError(`${fn}: k must be an integer in [1, ${most}], got ${show(k)}`);
      }
      // each row's k best so far in a max-heap under (value, index): O(log k) a kept candidate, then sorted
      const indices = new Int32Array(m * k), values = new Float64Array(m * k), filled = new Int32Array(m);
      tiles(s, false, undefined, (i0, i1, j0, j1, buf, _at, stride) => {
        for (let i = i0; i < i1; i++) {
          const base = i * k, row = (i - i0) * stride - j0;
          // in place in the tile's scratch; the diagonal, left out, is never checked
          if (same && i >= j0 && i < j1) buf[row + i] = 0;
          convertCells(fn, s, buf, row + j0, buf, row + j0, j1 - j0);
          for (let j = j0; j < j1; j++) {
            if (same && j === i) continue;
            const v = buf[row + j];
            // candidates arrive in ascending j, so one equal to the worst kept is never better than it
            const c = filled[i];
            if (c < k) {
              filled[i] = c + 1;
              heapPush(values, indices, base, c, v, j);
            } else if (v < values[base]) heapReplaceTop(values, indices, base, k, v, j);
          }
        }
      });
      for (let i = 0; i < m; i++) heapSort(values, indices, i * k, k);
      return { indices, values };
    },
  } as PairwiseApi;
}

