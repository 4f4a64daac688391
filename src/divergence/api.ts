// The divergence family's public functions, built once over an engine (wasm.ts or the twin): every argument
// check, option, row and error goes through the discrete family's row driver (measureRows), so the two builds
// and klDivergence share them.
import {
  type Vector, type EntropyOptions, type Parsed, parseMeasureOptions, checkOrder, vector, checkCols, findBad, badValue,
  checkWeightCount, checkSumIsOne, throwIfNaN,
} from "../core/validate.js";
import { Sum } from "../core/sum.js";
import { measureRows } from "../discrete/api.js";
import type { DivergenceEngine } from "./twin.js";
import type { RowsFn } from "../discrete/twin.js";

/** Options of the measures with no logarithm's base (Tsallis, Hellinger, total variation, chi-square). */
export interface NormalizeOptions {
  /** As for klDivergence: left out, every vector (row) must sum to 1 within √ε; `true` divides by the sums first;
   *  `false` computes as given. */
  normalize?: boolean;
}

/** Options of jensenShannonMany: EntropyOptions and the weights of the k distributions. */
export interface ManyOptions extends EntropyOptions {
  /** k finite numbers ≥ 0 summing to 1 within 1.5e-8 (used as given); default 1/k each. */
  weights?: readonly number[] | Float64Array;
}

export interface DivergenceApi {
  renyiEntropy(p: Vector, alpha: number, options?: EntropyOptions): number;
  renyiEntropyRows(p: Vector, alpha: number, cols: number, options?: EntropyOptions): Float64Array;
  renyiDivergence(p: Vector, q: Vector, alpha: number, options?: EntropyOptions): number;
  renyiDivergenceRows(p: Vector, q: Vector, alpha: number, cols: number, options?: EntropyOptions): Float64Array;
  tsallisEntropy(p: Vector, q: number, options?: NormalizeOptions): number;
  tsallisEntropyRows(p: Vector, q: number, cols: number, options?: NormalizeOptions): Float64Array;
  hellingerDistance(p: Vector, q: Vector, options?: NormalizeOptions): number;
  hellingerDistanceRows(p: Vector, q: Vector, cols: number, options?: NormalizeOptions): Float64Array;
  totalVariation(p: Vector, q: Vector, options?: NormalizeOptions): number;
  totalVariationRows(p: Vector, q: Vector, cols: number, options?: NormalizeOptions): Float64Array;
  chiSquareDivergence(p: Vector, q: Vector, options?: NormalizeOptions): number;
  chiSquareDivergenceRows(p: Vector, q: Vector, cols: number, options?: NormalizeOptions): Float64Array;
  jeffreysDivergence(p: Vector, q: Vector, options?: EntropyOptions): number;
  jeffreysDivergenceRows(p: Vector, q: Vector, cols: number, options?: EntropyOptions): Float64Array;
  bhattacharyyaDistance(p: Vector, q: Vector, options?: EntropyOptions): number;
  bhattacharyyaDistanceRows(p: Vector, q: Vector, cols: number, options?: EntropyOptions): Float64Array;
  jensenShannonMany(P: Vector, cols: number, options?: ManyOptions): number;
}

type Measure = Exclude<keyof DivergenceEngine, "jensenShannonMany">;
const BASE = ["base", "normalize"] as const, PLAIN = ["normalize"] as const;

/**
 * makeDivergenceApi(main, small?): every function over `main`; inputs with fewer than `small.below` elements in
 * total go to `small.engine` (the WebAssembly entry's small calls run the twin).
 */
export function makeDivergenceApi(main0: DivergenceEngine, small0?: { engine: DivergenceEngine; below: number }): DivergenceApi {
  const main = withMassCheck(main0), small = small0 && { ...small0, engine: withMassCheck(small0.engine) };
  /**
   * The rows of measure m in nats, then the unit (ln base) or Hellinger's root. The options are read first (once),
   * then the order α or q (name: which, checked; infinite: whether ∞ is allowed), then the arrays (measureRows).
   */
  function rows(fn: string, m: Measure, p: unknown, q: unknown, cols: unknown, options: object | undefined, single: boolean,
                order?: [name: string, value: unknown, infinite: boolean]): Float64Array {
    const base = m !== "tsallisEntropy" && m !== "hellinger" && m !== "totalVariation" && m !== "chiSquare";
    let o: Parsed = parseMeasureOptions(fn, options, base ? BASE : PLAIN);
    if (order !== undefined) o = { ...o, alpha: checkOrder(fn, order[0], order[1], order[2]) };
    const two = m !== "renyiEntropy" && m !== "tsallisEntropy";
    const out = measureRows(fn, o, main[m], small?.engine[m], small?.below ?? 0, two, p, q, cols, single);
    // every measure here is ≥ 0 for distributions: with normalize: true and the default check a rounding below 0
    // is 0 (as given, Rényi's values of incomplete distributions and −log Σ √(xy) may be < 0); + 0: a −0 is 0
    const floor = o.normalize === false ? -Infinity : 0;
    for (let r = 0; r < out.length; r++) {
      out[r] = m === "hellinger" ? Math.sqrt(Math.max(0, out[r])) : Math.max(floor, out[r] / o.logBase) + 0;
    }
    return out;
  }
  const one = (fn: string, m: Measure, p: unknown, q: unknown, o: object | undefined, order?: [string, unknown, boolean]) =>
    rows(fn, m, p, q, undefined, o, true, order)[0];
  const many = (fn: string, m: Measure, p: unknown, q: unknown, cols: unknown, o: object | undefined,
                order?: [string, unknown, boolean]) => rows(fn, m, p, q, cols, o, false, order);

  return {
    renyiEntropy: (p, alpha, o) => one("renyiEntropy", "renyiEntropy", p, undefined, o, ["alpha", alpha, true]),
    renyiEntropyRows: (p, alpha, cols, o) =>
      many("renyiEntropyRows", "renyiEntropy", p, undefined, cols, o, ["alpha", alpha, true]),
    renyiDivergence: (p, q, alpha, o) => one("renyiDivergence", "renyiDivergence", p, q, o, ["alpha", alpha, true]),
    renyiDivergenceRows: (p, q, alpha, cols, o) =>
      many("renyiDivergenceRows", "renyiDivergence", p, q, cols, o, ["alpha", alpha, true]),
    tsallisEntropy: (p, q, o) => one("tsallisEntropy", "tsallisEntropy", p, undefined, o, ["q", q, false]),
    tsallisEntropyRows: (p, q, cols, o) => many("tsallisEntropyRows", "tsallisEntropy", p, undefined, cols, o, ["q", q, false]),
    hellingerDistance: (p, q, o) => one("hellingerDistance", "hellinger", p, q, o),
    hellingerDistanceRows: (p, q, cols, o) => many("hellingerDistanceRows", "hellinger", p, q, cols, o),
    totalVariation: (p, q, o) => one("totalVariation", "totalVariation", p, q, o),
    totalVariationRows: (p, q, cols, o) => many("totalVariationRows", "totalVariation", p, q, cols, o),
    chiSquareDivergence: (p, q, o) => one("chiSquareDivergence", "chiSquare", p, q, o),
    chiSquareDivergenceRows: (p, q, cols, o) => many("chiSquareDivergenceRows", "chiSquare", p, q, cols, o),
    jeffreysDivergence: (p, q, o) => one("jeffreysDivergence", "jeffreys", p, q, o),
    jeffreysDivergenceRows: (p, q, cols, o) => many("jeffreysDivergenceRows", "jeffreys", p, q, cols, o),
    bhattacharyyaDistance: (p, q, o) => one("bhattacharyyaDistance", "bhattacharyya", p, q, o),
    bhattacharyyaDistanceRows: (p, q, cols, o) => many("bhattacharyyaDistanceRows", "bhattacharyya", p, q, cols, o),
    jensenShannonMany: (P, cols, options) => {
      const run = (...a: Parameters<DivergenceEngine["jensenShannonMany"]>) =>
        (small !== undefined && a[1] * a[2] < small.below ? small.engine : main).jensenShannonMany(...a);
      return jensenShannonMany(P, cols, options, run);
    },
  };
}

/**
 * The engine with its Rényi functions checked for a row of p that sums to 0 (the engines leave NaN there: Rényi's
 * values of p as given divide by W = Σp): as given a RangeError naming the row; with the default check 0 in its
 * place, so that the sum's check says "sums to 0, not 1". A NaN row before it that is not all zeros is left to
 * measureRows' overflow error.
 */
function withMassCheck(e: DivergenceEngine): DivergenceEngine {
  const checked = (f: RowsFn): RowsFn => (fn, p, q, rows, cols, o, out, sums) => {
    f(fn, p, q, rows, cols, o, out, sums);
    for (let r = 0; r < rows; r++) {
      if (out[r] === out[r]) continue;
      for (let i = r * cols; i < (r + 1) * cols; i++) if (p[i] !== 0) return;
      if (o.normalize !== false) out[r] = 0;
      else throw new RangeError(`${fn}: ${rows > 1 ? `row ${r} of p` : "p"} sums to 0 (as given, Rényi's measures divide by Σp)`);
    }
  };
  return { ...e, renyiEntropy: checked(e.renyiEntropy), renyiDivergence: checked(e.renyiDivergence) };
}

/** 2^-128: rows whose sum overflows are read times this (as the discrete twin's normalRow does). */
const DOWN = 2.938735877055719e-39;

/** Σ π_i KL(P_i‖M) over the k = length / cols rows of P: the checks and the rows' scales here, the sum by `run`. */
function jensenShannonMany(P0: unknown, cols: unknown, options: ManyOptions | undefined,
                           run: DivergenceEngine["jensenShannonMany"]): number {
  const fn = "jensenShannonMany";
  const o = parseMeasureOptions(fn, options, ["base", "normalize", "weights"], 0);
  const P = vector(fn, "P", P0);
  const k = checkCols(fn, P.length, cols), c = cols as number;
  if (o.weights !== undefined) checkWeightCount(fn, o.weights.length, k);
  const w = o.weights ?? new Float64Array(k).fill(1 / k);
  const bad = findBad(P);
  if (bad >= 0) throw badValue(fn, "P", P, bad);
  const f = new Float64Array(k).fill(1), s = new Float64Array(k).fill(1);
  const acc = new Sum();
  for (let i = 0; i < k; i++) {
    acc.reset();
    for (let j = i * c; j < (i + 1) * c; j++) acc.add(P[j]);
    const sum = acc.value;
    if (o.normalize === "check") checkSumIsOne(fn, "P", P, sum, i, k, c);
    else if (o.normalize === true) {
      if (!(sum > 0)) throw new RangeError(`${fn}: cannot normalize:${k > 1 ? ` row ${i} of P` : " P"} sums to 0`);
      s[i] = sum;
      if (sum === Infinity) {
        acc.reset();
        for (let j = i * c; j < (i + 1) * c; j++) acc.add(P[j] * DOWN);
        f[i] = DOWN;
        s[i] = acc.value;
      }
    }
  }
  const out = Float64Array.of(run(P, k, c, w, f, s));
  throwIfNaN(fn, out);
  return out[0] / o.logBase;
}
