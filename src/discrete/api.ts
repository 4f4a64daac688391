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

/** One call per measure on a short Float64Array or Float32Array (pair), no options. kl and crossEntropy check
 *  the pair themselves (NaN for anything else), so that an entry calls them alone. */
export interface PlainCalls {
  entropy(p: Float64Array | Float32Array): number;
  kl(p: unknown, q: unknown): number;
  crossEntropy(p: unknown, q: unknown): number;
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
  const plain = small?.plain, below = small?.below ?? 0;
  /** A short plain array: read once into a Float64Array here (vector(); the rest of the call reads the copy). */
  const copy = (fn: string, name: string, x: unknown) =>
    (Array.isArray(x) && x.length > 0 && x.length < below ? vector(fn, name, x) : x) as Vector;
  type Pair = Float64Array | Float32Array;

  /**
   * Every call that an entry does not finish itself (entries finish a short typed array without options:
   * plainPair, or for KL and cross-entropy the plain call's own check), for every measure, one vector (single: one row of all of it; cols unused) or rows of `cols`:
   * 1. short typed arrays without options (kl-wasm/reference's entries leave them to this) and short plain
   *    arrays, read once (copy), take the small engine's plain call; a NaN
   *    from a plain call means "take the general path", which computes the same value again or throws;
   * 2. an estimator (entropy from counts: estimated);
   * 3. the options, then the row driver (measureRows);
   * 4. the unit (base) and, for Jensen–Shannon, the clamp at 0 (it is >= 0 term by term, the log-sum
   *    inequality: a rounding below 0 is 0, and the distance's root never NaN); root: its square root.
   * Returns the rows' values (single: a reused one-element array, to be read at once).
   *
   * One function on purpose, not a chain of small ones: V8 inlines no function of more than 460 bytes of
   * bytecode, and this one is larger, so an entry's optimised code stays its short plain path alone, which a
   * caller's loop can inline. Split into pieces, the whole general path was inlined into an entry once it had
   * seen large or plain arrays, and the entry no longer fitted a caller's inlining budget: the same n = 3 call
   * then ran at ~42 ns instead of ~29 ns in 2 of 6 processes (the other 4 at 29 ns: it depends on when the
   * compiler ran).
   */
  function general(fn: string, m: Measure, p0: unknown, q0: unknown, cols: unknown,
                   options: DivergenceOptions | JensenShannonOptions | undefined, root: boolean, single: boolean): Float64Array {
    const twoInputs = m !== "entropy";
    let out: Float64Array | undefined, logBase = 1;
    if (single && plain !== undefined && options === undefined) {
      p0 = copy(fn, "p", p0);
      if (twoInputs) q0 = copy(fn, "q", q0);
      if (plainPair(p0, q0, undefined, below, twoInputs)) {
        const p = p0, q = q0 as Pair;
        const v = m === "entropy" ? plain.entropy(p) : m === "kl" ? plain.kl(p, q) : m === "crossEntropy" ? plain.crossEntropy(p, q) : plain.jensenShannon(p, q);
        if (v === v) (out = one)[0] = v;
      }
    }
    if (out === undefined) {
      if (m === "entropy" && hasEstimator(options)) return estimated(fn, p0, cols, options!, single);
      const o: Parsed = parseOptions(fn, options, takesEps(m), m === "jensenShannon");
      logBase = o.logBase;
      out = measureRows(fn, o, main[m], small?.engine[m], below, twoInputs, p0, q0, cols, single);
    }
    for (let r = 0; r < out.length; r++) {
      const v = (m === "jensenShannon" ? Math.max(0, out[r]) : out[r]) / logBase;
      out[r] = root ? Math.sqrt(Math.max(0, v)) : v;
    }
    return out;
  }

  /** entropy / entropyRows with an estimator: "plugin" is normalize: true on the engine; the others from
   *  integer counts, row by row, in estimators.ts (the same code and bits in both builds). */
  function estimated(fn: string, p0: unknown, cols: unknown, options: object, single: boolean): Float64Array {
    const { spec, logBase, rest } = parseEstimatorOptions(fn, options);
    // every estimator key undefined: the options without them
    if (spec === undefined) return general(fn, "entropy", p0, undefined, cols, rest, false, single);
    if (spec.kind === "plugin") return general(fn, "entropy", p0, undefined, cols, { base: rest.base, normalize: true }, false, single);
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

  return {
    entropy: (p, o) => general("entropy", "entropy", p, undefined, undefined, o, false, true)[0],
    klDivergence: (p, q, o) => general("klDivergence", "kl", p, q, undefined, o, false, true)[0],
    crossEntropy: (p, q, o) => general("crossEntropy", "crossEntropy", p, q, undefined, o, false, true)[0],
    jensenShannon: (p, q, o) => general("jensenShannon", "jensenShannon", p, q, undefined, o, false, true)[0],
    jensenShannonDistance: (p, q, o) => general("jensenShannonDistance", "jensenShannon", p, q, undefined, o, true, true)[0],
    entropyRows: (p, cols, o) => general("entropyRows", "entropy", p, undefined, cols, o, false, false),
    klDivergenceRows: (p, q, cols, o) => general("klDivergenceRows", "kl", p, q, cols, o, false, false),
    crossEntropyRows: (p, q, cols, o) => general("crossEntropyRows", "crossEntropy", p, q, cols, o, false, false),
    jensenShannonRows: (p, q, cols, o) => general("jensenShannonRows", "jensenShannon", p, q, cols, o, false, false),
    jensenShannonDistanceRows: (p, q, cols, o) => general("jensenShannonDistanceRows", "jensenShannon", p, q, cols, o, true, false),
  };
}
