// The public functions, built once over an engine: the WebAssembly facade
// (index.ts) and the pure-TS reference (reference.ts) share every argument
// check, option, and the final unit conversion, so both behave identically.
import {
  type Vector, type EntropyOptions, type DivergenceOptions, type JensenShannonOptions, type Parsed,
  parseOptions, vector, checkSameLength, checkCols, checkSumIsOne, throwIfNaN,
} from "../core/validate.js";
import type { RowsFn } from "./twin.js";
import { type EstimatorOptions, hasEstimator, parseEstimatorOptions, checkCounts, entropyFromCounts } from "./estimators.js";

export interface Engine {
  entropy: RowsFn;
  kl: RowsFn;
  crossEntropy: RowsFn;
  jensenShannon: RowsFn;
}

export type Measure = keyof Engine;

export interface Api {
  /** Shannon entropy H(P) = -sum p log p over p > 0; from counts by an estimator (estimators.ts). */
  entropy(p: Vector, options?: EntropyOptions & EstimatorOptions): number;
  /** KL(P || Q) = sum over p > 0 of p log(p / clip(q, eps, 1)). */
  klDivergence(p: Vector, q: Vector, options?: DivergenceOptions): number;
  /** H(P, Q) = H(P) + KL(P || Q) = -sum over p > 0 of p log clip(q, eps, 1). */
  crossEntropy(p: Vector, q: Vector, options?: DivergenceOptions): number;
  /** JS(P, Q) = (KL(P || M) + KL(Q || M)) / 2 with M = (P + Q) / 2. */
  jensenShannon(p: Vector, q: Vector, options?: JensenShannonOptions): number;
  /** sqrt(JS(P, Q)): a metric (scipy.spatial.distance.jensenshannon). */
  jensenShannonDistance(p: Vector, q: Vector, options?: JensenShannonOptions): number;
  /** entropy of each row of a row-major matrix with `cols` columns. */
  entropyRows(p: Vector, cols: number, options?: EntropyOptions & EstimatorOptions): Float64Array;
  klDivergenceRows(p: Vector, q: Vector, cols: number, options?: DivergenceOptions): Float64Array;
  crossEntropyRows(p: Vector, q: Vector, cols: number, options?: DivergenceOptions): Float64Array;
  jensenShannonRows(p: Vector, q: Vector, cols: number, options?: JensenShannonOptions): Float64Array;
  jensenShannonDistanceRows(p: Vector, q: Vector, cols: number, options?: JensenShannonOptions): Float64Array;
}

/** Inputs with fewer than `below` elements in total go to `engine` instead of the main one. */
export interface SmallInputs<E = Engine> {
  engine: E;
  below: number;
  /** The small engine's one-vector calls without options (twin.ts plainCalls): NaN means "take the general path". */
  plain?: PlainCalls;
}

/** One call per measure on a short Float64Array or Float32Array (pair), no options. */
export interface PlainCalls {
  entropy(p: Float64Array | Float32Array): number;
  kl(p: Float64Array | Float32Array, q: Float64Array | Float32Array): number;
  crossEntropy(p: Float64Array | Float32Array, q: Float64Array | Float32Array): number;
  jensenShannon(p: Float64Array | Float32Array, q: Float64Array | Float32Array): number;
}

/**
 * Whether a call can take the small engine's plain call: no options, and p (and q) a
 * Float64Array or Float32Array of fewer than `below` elements (the same length). A plain
 * module-level function, so that an entry's wrapper can inline it: behind the api object's
 * methods the same check cost ~16 ns more per call once the calls had seen several array types.
 */
export function plainPair(p: unknown, q: unknown, o: unknown, below: number, two: boolean): p is Float64Array | Float32Array {
  if (o !== undefined || !(p instanceof Float64Array || p instanceof Float32Array)) return false;
  const n = p.length;
  return n > 0 && n < below && (!two || ((q instanceof Float64Array || q instanceof Float32Array) && q.length === n));
}

const one = new Float64Array(1), two = new Float64Array(2);

/**
 * The row driver of every measure over rows of p (and q): checks p (and q: two) and their lengths, and `cols`
 * (single: one vector, one row of all of it), runs `main` (or `small` below `below` elements in total), throws for a
 * NaN result, then checks the sums (the default normalize) in row order, p before q. Returns the rows' values in
 * nats (single: a reused one-element array, to be read at once). o is parsed first, by the caller.
 */
export function measureRows(fn: string, o: Parsed, main: RowsFn, small: RowsFn | undefined, below: number, twoInputs: boolean,
                            p0: unknown, q0: unknown, cols: unknown, single: boolean): Float64Array {
  const p = vector(fn, "p", p0);
  let q: Vector | undefined;
  if (twoInputs) {
    q = vector(fn, "q", q0);
    checkSameLength(fn, p, q);
  }
  const c = single ? p.length : (cols as number);
  const nRows = single ? 1 : checkCols(fn, p.length, cols);
  // a single value goes through a reused one-element array: no allocation per call
  const out = single ? one : new Float64Array(nRows);
  const engine = small !== undefined && nRows * c < below ? small : main;
  const sums = o.normalize === "check" ? (nRows === 1 ? two : new Float64Array(2 * nRows)) : undefined;
  engine(fn, p, q, nRows, c, o, out, sums);
  throwIfNaN(fn, out);
  if (sums !== undefined) {
    for (let r = 0; r < nRows; r++) {
      checkSumIsOne(fn, "p", p, sums[2 * r], r, nRows, c);
      if (q !== undefined) checkSumIsOne(fn, "q", q, sums[2 * r + 1], r, nRows, c);
    }
  }
  return out;
}

export function makeApi(main: Engine, small?: SmallInputs): Api {
  const takesEps = (m: Measure) => m === "kl" || m === "crossEntropy";

  /** single: one vector (one row of all of it; cols unused); otherwise rows of `cols` (checked). */
  function rows(fn: string, m: Measure, p0: unknown, q0: unknown, cols: unknown,
                options: DivergenceOptions | JensenShannonOptions | undefined, root: boolean, single = false): Float64Array {
    if (m === "entropy" && hasEstimator(options)) return estimated(fn, p0, cols, options!, single);
    const o: Parsed = parseOptions(fn, options, takesEps(m), m === "jensenShannon");
    const out = measureRows(fn, o, main[m], small?.engine[m], small?.below ?? 0, m !== "entropy", p0, q0, cols, single);
    // Jensen-Shannon is >= 0 term by term (the log-sum inequality), whatever the sums:
    // a rounding below 0 is 0 (and the distance's root never NaN)
    for (let r = 0; r < out.length; r++) {
      const v = (m === "jensenShannon" ? Math.max(0, out[r]) : out[r]) / o.logBase;
      out[r] = root ? Math.sqrt(Math.max(0, v)) : v;
    }
    return out;
  }

  /** entropy / entropyRows with an estimator: "plugin" is normalize: true on the engine; the others from
   *  integer counts, row by row, in estimators.ts (the same code and bits in both builds). */
  function estimated(fn: string, p0: unknown, cols: unknown, options: object, single: boolean): Float64Array {
    const { spec, logBase, rest } = parseEstimatorOptions(fn, options);
    // every estimator key undefined: the options without them
    if (spec === undefined) return rows(fn, "entropy", p0, undefined, cols, rest, false, single);
    if (spec.kind === "plugin") return rows(fn, "entropy", p0, undefined, cols, { base: rest.base, normalize: true }, false, single);
    const p = vector(fn, "p", p0);
    const c = single ? p.length : (cols as number);
    const nRows = single ? 1 : checkCols(fn, p.length, cols);
    checkCounts(fn, "p", p, true);
    const out = new Float64Array(nRows);
    for (let r = 0; r < nRows; r++) {
      out[r] = entropyFromCounts(fn, nRows > 1 ? `row ${r} of p` : "p", p, r * c, r * c + c, spec) / logBase;
    }
    return out;
  }

  /**
   * Short plain arrays without options take the small engine's plain call too (entries
   * send short typed arrays there themselves, through plainPair): read once into a
   * Float64Array here (vector(): the general path takes the copy if it is needed, so
   * nothing is read twice). NaN from a plain call: the general path, which computes the
   * same value again or throws the error.
   */
  const plain = small?.plain, below = small?.below ?? 0;
  const copy = (fn: string, name: string, x: unknown) =>
    (Array.isArray(x) && x.length > 0 && x.length < below ? vector(fn, name, x) : x) as Vector;
  const single = (fn: string, m: Measure, p: unknown, q: unknown, o: DivergenceOptions | undefined, root: boolean) =>
    rows(fn, m, p, q, undefined, o, root, true)[0];
  type Pair = Float64Array | Float32Array;

  return {
    entropy(p, o) {
      if (plain !== undefined && o === undefined && Array.isArray(p)) {
        p = copy("entropy", "p", p);
        if (plainPair(p, undefined, o, below, false)) { const v = plain.entropy(p); if (v === v) return v; }
      }
      return single("entropy", "entropy", p, undefined, o, false);
    },
    klDivergence(p, q, o) {
      if (plain !== undefined && o === undefined && Array.isArray(p)) {
        p = copy("klDivergence", "p", p); q = copy("klDivergence", "q", q);
        if (plainPair(p, q, o, below, true)) { const v = plain.kl(p, q as Pair); if (v === v) return v; }
      }
      return single("klDivergence", "kl", p, q, o, false);
    },
    crossEntropy(p, q, o) {
      if (plain !== undefined && o === undefined && Array.isArray(p)) {
        p = copy("crossEntropy", "p", p); q = copy("crossEntropy", "q", q);
        if (plainPair(p, q, o, below, true)) { const v = plain.crossEntropy(p, q as Pair); if (v === v) return v; }
      }
      return single("crossEntropy", "crossEntropy", p, q, o, false);
    },
    jensenShannon(p, q, o) {
      if (plain !== undefined && o === undefined && Array.isArray(p)) {
        p = copy("jensenShannon", "p", p); q = copy("jensenShannon", "q", q);
        if (plainPair(p, q, o, below, true)) { const v = plain.jensenShannon(p, q as Pair); if (v === v) return Math.max(0, v); }
      }
      return single("jensenShannon", "jensenShannon", p, q, o, false);
    },
    jensenShannonDistance(p, q, o) {
      if (plain !== undefined && o === undefined && Array.isArray(p)) {
        p = copy("jensenShannonDistance", "p", p); q = copy("jensenShannonDistance", "q", q);
        if (plainPair(p, q, o, below, true)) { const v = plain.jensenShannon(p, q as Pair); if (v === v) return Math.sqrt(Math.max(0, v)); }
      }
      return single("jensenShannonDistance", "jensenShannon", p, q, o, true);
    },
    entropyRows: (p, cols, o) => rows("entropyRows", "entropy", p, undefined, cols, o, false),
    klDivergenceRows: (p, q, cols, o) => rows("klDivergenceRows", "kl", p, q, cols, o, false),
    crossEntropyRows: (p, q, cols, o) => rows("crossEntropyRows", "crossEntropy", p, q, cols, o, false),
    jensenShannonRows: (p, q, cols, o) => rows("jensenShannonRows", "jensenShannon", p, q, cols, o, false),
    jensenShannonDistanceRows: (p, q, cols, o) => rows("jensenShannonDistanceRows", "jensenShannon", p, q, cols, o, true),
  };
}
