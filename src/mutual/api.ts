// Mutual information and its relatives: from joint tables (probabilities or
// counts), from two label arrays, and from continuous samples (KSG). Built once
// over an engine (WebAssembly in mutual-wasm.ts, pure TS in mutual-ref.ts), so both
// builds share every check and every formula.
//
// Tables. With t the table (rows = X, columns = Y), a_i its row sums, b_j its
// column sums and N its total, every measure is a KL sum against an outer product,
//     S(alpha, beta) = sum over t > 0 of t log(t / (alpha_i beta_j / N)),
//     I(X;Y) = S(a, b) / N,   H(Y|X) = -S(a, N) / N,   H(X|Y) = -S(N, b) / N,
//     H(X,Y) = -S(N, N) / N,
// so each term's log is of a ratio near 1 when the measure is small (no
// cancellation of large entropies), and counts are never divided by N first.
// A table's marginals and KL sum run in the engine (WebAssembly: vector logs and
// blocked sums), so the two builds agree on tables to rounding, not to the bit.
//
// Labels. The engine counts the contingency table (the O(n) part); its MI and
// entropies are then computed here, in plain TS, from the at most min(n, rows x cols)
// nonzero counts: the same integers and the same arithmetic in the same order in both
// builds, so mutualInformationLabels and normalizedMutualInformation give identical
// bits in WebAssembly and in the reference.
import {
  type Vector, vector, nonNumberType, flag, checkCols, checkSameLength, checkOptions, logBaseOf, show,
} from "../core/validate.js";
import { compensatedSum } from "../core/sum.js";
import { mulberry32, checkSeed } from "../core/random.js";
import { relabel } from "./twin.js";
import { type EstimatorOptions, estimatorOf, checkIntegers, entropyFromCounts } from "../discrete/estimators.js";
import type { KnnApi } from "../knn/api.js";
import { digammaAsymptotic } from "../core/digamma-series.js";

export interface MutualEngine {
  /** Row sums a, column sums b and total of table t (rows x cols); throws for bad values, naming `name`. */
  marginals(fn: string, name: string, t: Vector, rows: number, cols: number): { a: Float64Array; b: Float64Array };
  /** S = sum over t > 0 of t log(t / (alpha_i beta_j / total)), values already checked. */
  klOuter(fn: string, t: Vector, rows: number, cols: number, alpha: Float64Array, beta: Float64Array, total: number): number;
  /** The contingency table of two integer label arrays (rows: a's classes, columns: b's, in increasing label order). */
  contingency(fn: string, a: Int32Array, b: Int32Array): { counts: Float64Array; rows: number; cols: number };
  /** KSG counts: nx_i, ny_i (see assembly/mutual.ts) for x, y of equal length n and
   *  1 <= k < n: checks the samples are finite (checkFinite's errors), divides each by
   *  its standard deviation when `scale` is set, then counts. */
  ksg(fn: string, x: Vector, y: Vector, k: number, scale: boolean): { nx: Int32Array; ny: Int32Array };
}

/** Options of the table measures: the unit, and whether the table must hold integer counts. */
export interface TableOptions {
  /** Logarithm base; nats by default. */
  base?: number;
  /** The table holds counts: every entry must be a non-negative integer. Default false. */
  counts?: boolean;
}
/** Options of mutualInformation: TableOptions and an entropy estimator for counts (docs/estimators.md). */
export interface MutualInformationOptions extends TableOptions, EstimatorOptions {}
/** Options of mutualInformationTest: how many permutations, the generator's seed, the unit. */
export interface PermutationTestOptions {
  /** Permutations of b, an integer >= 1. Default 1000. */
  permutations?: number;
  /** The seed of the shuffles (mulberry32), an integer in [0, 2^32). Default 0: the same p-value every call. */
  seed?: number;
  base?: number;
}
/** The result of mutualInformationTest: the observed MI and its permutation p-value. */
export interface PermutationTest {
  mi: number;
  pvalue: number;
}
/** Options of conditionalEntropy: TableOptions and which variable is conditioned on. */
export interface ConditionalOptions extends TableOptions {
  /** "x" (default): H(Y|X), conditioning on the rows; "y": H(X|Y), on the columns. */
  given?: "x" | "y";
}
/** Options of mutualInformationLabels: the unit. */
export interface LabelOptions {
  base?: number;
}
/** Options of normalizedMutualInformation: how the two entropies are averaged. */
export interface NmiOptions {
  /** How the two label entropies are averaged (scikit-learn's average_method). Default "arithmetic". */
  average?: "arithmetic" | "geometric" | "min" | "max";
}
/** Options of mutualInformationKSG: neighbours, dimensions, the algorithm, scaling, clipping and the unit. */
export interface KsgOptions {
  /** Neighbours, 1 <= k < n (k <= 64 in WebAssembly; larger k run the pure-TS twin). Default 3. */
  k?: number;
  /** Columns of x and of y (row-major samples, the same number of rows). Default 1 each. */
  xCols?: number;
  yCols?: number;
  /** Kraskov–Stögbauer–Grassberger algorithm 1 (the default) or 2. */
  algorithm?: 1 | 2;
  /** Divide x and y by their standard deviations first, as scikit-learn does. Default true. */
  scale?: boolean;
  /** Clip a negative estimate to 0, as scikit-learn does. Default true. */
  clip?: boolean;
  base?: number;
}

type Which = "mi" | "yGivenX" | "xGivenY" | "joint";
const PLUGIN = { kind: "plugin", prior: 0 } as const;

/** Integer labels as an Int32Array, order-preserving: Uint32Array by flipping the top
 *  bit, other integers beyond int32 by their rank among the distinct labels. */
export function toLabels(fn: string, name: string, x: unknown): Int32Array {
  if (x instanceof Int32Array) return x;
  if (x instanceof Uint32Array) return new Int32Array(x.map((v) => v ^ 0x80000000).buffer);
  // a plain array is read once, into a Float64Array (vector())
  const v = vector(fn, name, x);
  const out = new Int32Array(v.length);
  let wide = false;
  for (let i = 0; i < v.length; i++) {
    const e = v[i], type = nonNumberType(v, i);
    if (type !== undefined) throw new TypeError(`${fn}: ${name}[${i}] is not a number (${type})`);
    if (!Number.isInteger(e)) throw new RangeError(`${fn}: ${name}[${i}] is not an integer label (${e})`);
    if (e < -2147483648 || e > 2147483647) wide = true;
    out[i] = e;
  }
  return wide ? relabel(v).codes : out;
}

/** The marginals of a contingency table and its MI in nats (0 when either side has a
 *  single class, as scikit-learn), computed here and not in the engine, so that both
 *  builds give the same bits. The counts are integers and n < 2^53, so the marginals
 *  are exact in any order; the KL sum is the twin's klOuter on them: sequential over
 *  the cells, t log((t / a_i)(N / b_j)) (a ratio of integers in [1/N, N], so never
 *  under- or overflowing), Neumaier-compensated. */
export function miOfCounts(ct: { counts: Float64Array; rows: number; cols: number }): { mi: number; a: Float64Array; b: Float64Array; n: number } {
  const { counts, rows, cols } = ct;
  const a = new Float64Array(rows), b = new Float64Array(cols);
  let n = 0;
  for (let i = 0; i < rows; i++) {
    let ai = 0;
    for (let j = 0; j < cols; j++) { const v = counts[i * cols + j]; ai += v; b[j] += v; }
    a[i] = ai;
    n += ai;
  }
  if (rows === 1 || cols === 1) return { mi: 0, a, b, n };
  // N / b_j, the same double each time it is used
  const nb = b.map((v) => n / v);
  let s = 0, c = 0;
  for (let i = 0; i < rows; i++) {
    const ai = a[i], row = i * cols;
    for (let j = 0; j < cols; j++) {
      const v = counts[row + j];
      if (v > 0) {
        const term = v * Math.log((v / ai) * nb[j]), u = s + term;
        c += Math.abs(s) >= Math.abs(term) ? (s - u) + term : (term - u) + s;
        s = u;
      }
    }
  }
  // a rounding below 0 is clipped, as scikit-learn does
  return { mi: Math.max(0, (s + c) / n), a, b, n };
}

/** psi(x) for x >= 64 (used there; valid from 10): src/core/special.ts's asymptotic series, the one digamma
 *  code of the library. Exported for its test. */
export { digammaAsymptotic as digammaLarge };

/** psi(m) for integers 1..n (psi(m) = H_{m-1} - gamma), compensated partial sums.
 *  Exported for its test. */
export function digammaTable(n: number): Float64Array {
  const psi = new Float64Array(n + 1);
  const gamma = 0.5772156649015329;
  let s = 0, c = 0;
  psi[1] = -gamma;
  for (let m = 2; m <= n; m++) {
    const t = 1 / (m - 1), u = s + t;
    c += s >= t ? (s - u) + t : (t - u) + s;
    s = u;
    psi[m] = (s - gamma) + c;
  }
  return psi;
}

/** psi(m) for integers m >= 1: from one digammaTable up to max(top, min(n, 64)), beyond it (n itself when the
 *  counts stay small) from the series. The KSG estimators (here and in src/knn/api.ts) take psi this way. */
export function digammas(top: number, n: number): (m: number) => number {
  const psi = digammaTable(Math.max(top, Math.min(n, 64)));
  return (m) => (m < psi.length ? psi[m] : digammaAsymptotic(m));
}

/** Integer labels: Int32Array (the fast path), Uint32Array, number[] or Float64Array of integers. */
export type Labels = Vector | Int32Array | Uint32Array;

export interface MutualApi {
  jointEntropy(pxy: Vector, cols: number, options?: TableOptions): number;
  conditionalEntropy(pxy: Vector, cols: number, options?: ConditionalOptions): number;
  mutualInformation(pxy: Vector, cols: number, options?: MutualInformationOptions): number;
  contingencyTable(a: Vector | Int32Array | Uint32Array, b: Vector | Int32Array | Uint32Array): { counts: Float64Array; rows: number; cols: number };
  mutualInformationLabels(a: Vector | Int32Array | Uint32Array, b: Vector | Int32Array | Uint32Array, options?: LabelOptions): number;
  normalizedMutualInformation(a: Vector | Int32Array | Uint32Array, b: Vector | Int32Array | Uint32Array, options?: NmiOptions): number;
  mutualInformationKSG(x: Vector, y: Vector, options?: KsgOptions): number;
  mutualInformationTest(a: Labels, b: Labels, options?: PermutationTestOptions): PermutationTest;
}

/** makeMutualApi's mutualInformationKSG hands several columns and algorithm 2 to the k-NN family's (src/knn/api.ts). */
export type KnnKsg = Pick<KnnApi, "mutualInformationKSG">;

export function makeMutualApi(engine: MutualEngine, knn?: KnnKsg): MutualApi {
  function table(fn: string, which: Which, t0: unknown, cols: number, o: MutualInformationOptions & { given?: string }): number {
    // an estimator other than "plugin": H(X) + H(Y) − H(X,Y), each from the counts (estimators.ts)
    const spec = which === "mi" ? estimatorOf(fn, o) : undefined, corrected = spec !== undefined && spec.kind !== "plugin";
    const counts = flag(fn, "counts", o.counts) ?? corrected;
    if (corrected && !counts) throw new RangeError(`${fn}: counts: false cannot be combined with estimator "${spec.kind}"`);
    const logBase = logBaseOf(fn, o.base);
    const t1 = vector(fn, "pxy", t0);
    // float32 tables are computed in float64 (tables are small; marginals must be exact)
    let t = t1 instanceof Float32Array ? Float64Array.from(t1) : t1;
    const rows = checkCols(fn, t.length, cols);
    let { a, b } = engine.marginals(fn, "pxy", t, rows, cols);
    if (counts) checkIntegers(fn, "pxy", t);
    if (corrected) {
      // integer counts: the marginals are exact (below 2^53), the same in both builds
      return (entropyFromCounts(fn, "pxy", a, 0, rows, spec) + entropyFromCounts(fn, "pxy", b, 0, cols, spec)
        - entropyFromCounts(fn, "pxy", t, 0, t.length, spec)) / logBase;
    }
    let total = compensatedSum(a);
    if (!(total < Infinity)) {
      // every entry finite, but together beyond the largest double: the measures do not
      // change with the table's scale, so scale it down by 2^-128 (exactly) and sum again
      t = Float64Array.from(t as ArrayLike<number>, (v) => v * 2 ** -128);
      ({ a, b } = engine.marginals(fn, "pxy", t, rows, cols));
      total = compensatedSum(a);
    }
    if (!(total > 0)) throw new RangeError(`${fn}: cannot normalize: pxy sums to 0`);
    if (total < 2 ** -500 || total > 2 ** 500) {
      // a table of tiny (or huge) numbers: its terms t log(.) would lose their digits
      // below the normal range; scale it by a power of two (exactly) first
      const e = Math.round(Math.log2(total)), h = Math.trunc(e / 2);
      const sc = (v: number) => v * 2 ** -h * 2 ** (h - e);
      t = Float64Array.from(t as ArrayLike<number>, sc);
      a = a.map(sc); b = b.map(sc); total = sc(total);
    }
    const alpha = which === "mi" || which === "yGivenX" ? a : new Float64Array(rows).fill(total);
    const beta = which === "mi" || which === "xGivenY" ? b : new Float64Array(cols).fill(total);
    const s = engine.klOuter(fn, t, rows, cols, alpha, beta, total) / total;
    // each measure is >= 0; a rounding below 0 is clipped, as scikit-learn does for MI
    return Math.max(0, which === "mi" ? s : -s) / logBase;
  }

  /** Two label arrays as Int32Arrays, checked: non-empty, the same length. */
  function labelPair(fn: string, a: unknown, b: unknown): [Int32Array, Int32Array] {
    const la = toLabels(fn, "a", a), lb = toLabels(fn, "b", b);
    if (la.length === 0) throw new RangeError(`${fn}: a is empty`);
    checkSameLength(fn, la, lb, ["a", "b"]);
    return [la, lb];
  }
  const labels = (fn: string, a: unknown, b: unknown) => engine.contingency(fn, ...labelPair(fn, a, b));


  return {
    jointEntropy: (pxy, cols, options) =>
      table("jointEntropy", "joint", pxy, cols, checkOptions("jointEntropy", options, ["base", "counts"])),

    conditionalEntropy(pxy, cols, options) {
      const o = checkOptions("conditionalEntropy", options, ["base", "counts", "given"]);
      const given = o.given ?? "x";
      if (given !== "x" && given !== "y") throw new RangeError(`conditionalEntropy: given must be "x" or "y", got ${show(given)}`);
      return table("conditionalEntropy", given === "x" ? "yGivenX" : "xGivenY", pxy, cols, o);
    },

    mutualInformation: (pxy, cols, options) =>
      table("mutualInformation", "mi", pxy, cols, checkOptions("mutualInformation", options, ["base", "counts", "estimator", "a", "dirichlet"])),

    contingencyTable: (a, b) => labels("contingencyTable", a, b),

    mutualInformationLabels(a, b, options) {
      const fn = "mutualInformationLabels";
      const o = checkOptions(fn, options, ["base"]);
      const logBase = logBaseOf(fn, o.base);
      return miOfCounts(labels(fn, a, b)).mi / logBase;
    },

    normalizedMutualInformation(a, b, options) {
      const fn = "normalizedMutualInformation";
      const o = checkOptions(fn, options, ["average"]);
      const average = o.average ?? "arithmetic";
      if (!["arithmetic", "geometric", "min", "max"].includes(average)) {
        throw new RangeError(`${fn}: average must be "arithmetic", "geometric", "min" or "max", got ${show(average)}`);
      }
      const ct = labels(fn, a, b);
      // both labellings a single class: a perfect match (scikit-learn's special case)
      if (ct.rows === 1 && ct.cols === 1) return 1;
      const { mi, a: ra, b: cb, n } = miOfCounts(ct);
      if (mi === 0) return 0;
      const ha = entropyFromCounts(fn, "a", ra, 0, ra.length, PLUGIN), hb = entropyFromCounts(fn, "b", cb, 0, cb.length, PLUGIN);
      const norm = average === "arithmetic" ? (ha + hb) / 2 : average === "geometric" ? Math.sqrt(ha * hb)
        : average === "min" ? Math.min(ha, hb) : Math.max(ha, hb);
      // MI <= min(H(a), H(b)) <= norm: a ratio above 1 is rounding
      return Math.min(1, mi / norm);
    },

    mutualInformationTest(a, b, options) {
      const fn = "mutualInformationTest";
      const o = checkOptions(fn, options, ["permutations", "seed", "base"]);
      const permutations = o.permutations ?? 1000, seed = o.seed ?? 0;
      if (!Number.isSafeInteger(permutations) || (permutations as number) < 1) {
        throw new RangeError(`${fn}: permutations must be an integer >= 1, got ${show(permutations)}`);
      }
      checkSeed(fn, "seed", o.seed);
      const logBase = logBaseOf(fn, o.base), [la, lb] = labelPair(fn, a, b), mi = miOfCounts(engine.contingency(fn, la, lb)).mi;
      // b shuffled in place (a copy: Fisher–Yates from the last index down, each permutation
      // shuffling the previous one), its table counted by the engine, its MI by miOfCounts:
      // the same integers and bits in both builds. A tie within 1e-12 max(1, MI) counts as >=
      // (tables that are permutations of each other give MI equal up to rounding).
      const perm = Int32Array.from(lb), n = perm.length, u = mulberry32(seed), tol = 1e-12 * Math.max(1, mi);
      let hits = 0;
      for (let k = 0; k < permutations; k++) {
        for (let i = n - 1; i > 0; i--) {
          const j = Math.floor(u() * (i + 1)), v = perm[i];
          perm[i] = perm[j];
          perm[j] = v;
        }
        if (miOfCounts(engine.contingency(fn, la, perm)).mi >= mi - tol) hits++;
      }
      return { mi: mi / logBase, pvalue: (1 + hits) / (1 + permutations) };
    },

    mutualInformationKSG(x, y, options) {
      const fn = "mutualInformationKSG";
      const o = checkOptions(fn, options, ["k", "xCols", "yCols", "algorithm", "scale", "clip", "base"]);
      // several columns or algorithm 2: the k-NN family's estimator (src/knn/api.ts), given the options as read
      if ((o.xCols ?? 1) !== 1 || (o.yCols ?? 1) !== 1 || (o.algorithm ?? 1) !== 1) {
        if (knn === undefined) throw new RangeError(`${fn}: xCols, yCols and algorithm need the k-NN engine`);
        return knn.mutualInformationKSG(x, y, o);
      }
      const k = o.k ?? 3;
      const logBase = logBaseOf(fn, o.base);
      const scale = flag(fn, "scale", o.scale) ?? true, clip = flag(fn, "clip", o.clip) ?? true;
      x = vector(fn, "x", x);
      y = vector(fn, "y", y);
      checkSameLength(fn, x, y, ["x", "y"]);
      const n = x.length;
      if (typeof k !== "number" || !Number.isInteger(k) || k < 1) throw new RangeError(`${fn}: k must be an integer >= 1, got ${show(k)}`);
      if (n < k + 1) throw new RangeError(`${fn}: needs at least k + 1 = ${k + 1} samples, got ${n}`);
      const { nx, ny } = engine.ksg(fn, x, y, k, scale);
      // psi of the counts from a table as long as the largest count; psi(n) itself from
      // the series when n is beyond the table
      let top = k;
      for (let i = 0; i < n; i++) top = Math.max(top, nx[i], ny[i]);
      const psi = digammas(top + 1, n);
      let s = 0, c = 0;
      for (let i = 0; i < n; i++) {
        const t = psi(nx[i] + 1) + psi(ny[i] + 1), u = s + t;
        c += Math.abs(s) >= Math.abs(t) ? (s - u) + t : (t - u) + s;
        s = u;
      }
      const mi = psi(n) + psi(k) - (s + c) / n;
      return (clip ? Math.max(0, mi) : mi) / logBase;
    },
  };
}
