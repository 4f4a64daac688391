// k-NN (sample-based) estimators over an engine: the engine (src/knn/twin.ts, later WebAssembly) finds k-th
// neighbour distances and max-norm counts; this file checks the input, scales, and turns them into mutual
// information (KSG 1 and 2, mixed, per feature), conditional mutual information, entropy and KL divergence, by the
// formulas of docs/knn.md. Both entries build it once over their engine, so they share every check and formula.

import { mulberry32, checkSeed } from "../core/random.js";
import {
  type Vector, vector, nonNumberType, flag, checkOptions, logBaseOf, show,
} from "../core/validate.js";
import { Sum, total } from "../core/sum.js";
import { digammas, digammaTable, digammaLarge, toLabels, miOfCounts, type KsgOptions, type Labels, type MutualEngine } from "../mutual/api.js";
import { stdOrOne, referenceMutualEngine } from "../mutual/twin.js";

export type Norm = "chebyshev" | "euclidean";

/** n points of d coordinates, row-major, validated finite (and scaled, when the estimator scales). */
export interface Points {
  data: Float64Array;
  n: number;
  d: number;
}

export interface KnnEngine {
  /** For every point i: the distance to its k-th nearest OTHER point (1 <= k < n), and with `indices` the k nearest
   *  others' indices (nearest first; among equal distances the lower index first). Ties count by distance:
   *  duplicates of a point give distance 0. */
  neighbours(p: Points, k: number, norm: Norm, indices: boolean): { dist: Float64Array; idx?: Int32Array };
  /** For every point of q: the distance to its k-th nearest point of r (no exclusion; 1 <= k <= r.n). */
  crossNeighbours(q: Points, r: Points, k: number, norm: Norm): Float64Array;
  /** For every point i: #{j != i : dist∞(p_j, p_i) <= radius[i]} (max-norm; radius may be 0 or tiny). */
  countWithin(p: Points, radius: Float64Array): Int32Array;
}

/** Options of conditionalMutualInformation: neighbours, the three variables' columns, scaling, clipping, unit. */
export interface CmiOptions {
  /** Neighbours in the joint (x, y, z) space, 1 <= k < n. Default 3. */
  k?: number;
  /** Columns of x, y and z (each row-major, the same number of rows). Default 1 each. */
  xCols?: number;
  yCols?: number;
  zCols?: number;
  /** Divide every column by its population standard deviation first (1 when it is below 10 eps). Default true. */
  scale?: boolean;
  /** Clip a negative estimate to 0. Default true. */
  clip?: boolean;
  base?: number;
}
/** Options of entropyKNN. */
export interface KnnEntropyOptions {
  /** The k-th nearest neighbour's distance is used, 1 <= k < n. Default 3. */
  k?: number;
  /** Columns (dimensions) of each row. Default 1. */
  cols?: number;
  /** The norm of the distances (and of the ball whose volume enters). Default "chebyshev". */
  metric?: Norm;
  base?: number;
}
/** Options of klDivergenceKNN. */
export interface KnnDivergenceOptions {
  /** The k-th nearest neighbour's distance is used, 1 <= k < n (x) and k <= m (y). Default 1. */
  k?: number;
  /** Columns (dimensions) of each row of x and y. Default 1. */
  cols?: number;
  base?: number;
}
/** Options of mutualInformationMixed. */
export interface MixedOptions {
  /** Neighbours within each label (min(k, count − 1) for a label seen count times). Default 3. */
  k?: number;
  /** Columns of x. Default 1. */
  xCols?: number;
  /** Divide each column of x by its population standard deviation first. Default true. */
  scale?: boolean;
  /** Clip a negative estimate to 0. Default true. */
  clip?: boolean;
  base?: number;
}
/** Options of mutualInformationFeatures: scikit-learn's mutual_info_regression / mutual_info_classif arguments. */
export interface FeaturesOptions {
  /** Columns (features) of X. Default 1. */
  cols?: number;
  /** Which features are discrete: true (all), false or [] (none, the default), a boolean per feature, or feature indices. */
  discreteFeatures?: boolean | readonly boolean[] | readonly number[];
  /** y holds integer class labels (mutual_info_classif) instead of continuous values (mutual_info_regression). Default false. */
  discreteTarget?: boolean;
  /** Neighbours (scikit-learn's n_neighbors). Default 3. */
  k?: number;
  /** A seed (an integer in [0, 2^32)): add scikit-learn's jitter, 1e-10 · max(1, mean |x|) · N(0, 1), to every
   *  continuous column after scaling, reproducibly. Left out: no noise (deterministic without it). */
  noise?: number;
  base?: number;
}

export interface KnnApi {
  mutualInformationKSG(x: Vector, y: Vector, options?: KsgOptions): number;
  conditionalMutualInformation(x: Vector, y: Vector, z: Vector, options?: CmiOptions): number;
  entropyKNN(x: Vector, options?: KnnEntropyOptions): number;
  klDivergenceKNN(x: Vector, y: Vector, options?: KnnDivergenceOptions): number;
  mutualInformationMixed(x: Vector, labels: Labels, options?: MixedOptions): number;
  /** `part` (kl-wasm/parallel's workers; not with `noise`): the values of these features alone (indices, in this
   *  order), the whole call's. */
  mutualInformationFeatures(X: Vector, y: Vector | Labels, options?: FeaturesOptions, part?: readonly number[]): Float64Array;
}

/** x[i] as an error names it: `x[i]` for one column, `x[row, col]` for several. */
function at(name: string, i: number, cols: number): string {
  return cols === 1 ? `${name}[${i}]` : `${name}[${Math.floor(i / cols)}, ${i % cols}]`;
}

/** A column-count option: a positive integer (1 when left out). */
function colsOf(fn: string, name: string, v: unknown): number {
  if (v === undefined) return 1;
  if (typeof v !== "number" || !Number.isInteger(v) || v < 1) {
    throw new RangeError(`${fn}: ${name} must be a positive integer, got ${show(v)}`);
  }
  return v;
}

/** k: an integer >= 1 (`dflt` when left out). */
function kOf(fn: string, v: unknown, dflt: number): number {
  if (v === undefined) return dflt;
  if (typeof v !== "number" || !Number.isInteger(v) || v < 1) throw new RangeError(`${fn}: k must be an integer >= 1, got ${show(v)}`);
  return v;
}

/** The argument read once (vector()) and its row count: `cols` must divide its length. */
function shape(fn: string, name: string, x0: unknown, cols: number, colsName: string): { v: Vector; n: number } {
  const v = vector(fn, name, x0);
  if (v.length % cols !== 0) throw new RangeError(`${fn}: ${colsName} (${cols}) does not divide the length of ${name} (${v.length})`);
  return { v, n: v.length / cols };
}

/** The samples as Points: a Float64Array copy, every value checked finite in the same pass (named by row and
 *  column), each column divided by its population standard deviation when `scale` is set (stdOrOne, the
 *  scaling of the one-dimensional KSG, so its values are the same bits). */
function points(fn: string, name: string, v: Vector, cols: number, scale: boolean): Points {
  const len = v.length, data = new Float64Array(len);
  for (let i = 0; i < len; i++) {
    const e: unknown = v[i];
    if (typeof e !== "number" || !(e - e === 0)) {
      const type = nonNumberType(v, i);
      if (type !== undefined) throw new TypeError(`${fn}: ${at(name, i, cols)} is not a number (${type})`);
      throw new RangeError(`${fn}: ${at(name, i, cols)} is ${Number.isNaN(e) ? "NaN" : "infinite"}; values must be finite`);
    }
    data[i] = e;
  }
  const p = { data, n: len / cols, d: cols };
  if (scale) for (let c = 0; c < cols; c++) scaleColumn(p, c);
  return p;
}

/** Columns `which` of the samples of `cols` columns as one Float64Array each, every value checked finite (in row
 *  order, named by row and column, as points() does). */
function checkedColumns(fn: string, v: Vector, cols: number, n: number, which: readonly number[]): Float64Array[] {
  const out = which.map(() => new Float64Array(n));
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < which.length; c++) {
      const i = r * cols + which[c], e: unknown = v[i];
      if (typeof e !== "number" || !(e - e === 0)) {
        const type = nonNumberType(v, i);
        if (type !== undefined) throw new TypeError(`${fn}: ${at("X", i, cols)} is not a number (${type})`);
        throw new RangeError(`${fn}: ${at("X", i, cols)} is ${Number.isNaN(e) ? "NaN" : "infinite"}; values must be finite`);
      }
      out[c][r] = e;
    }
  }
  return out;
}

/** Column c of p divided by its population standard deviation (or by 1 when that is below 10 eps), in place. */
function scaleColumn(p: Points, c: number): void {
  const { data, n, d } = p, col = new Float64Array(n);
  for (let i = 0; i < n; i++) col[i] = data[i * d + c];
  const sd = stdOrOne(col);
  for (let i = 0; i < n; i++) data[i * d + c] /= sd;
}

/** The rows of several point sets side by side: the joint space. */
function joint(...parts: Points[]): Points {
  const n = parts[0].n;
  let d = 0;
  for (const p of parts) d += p.d;
  const data = new Float64Array(n * d);
  // part by part (its columns at offset `at` of each row)
  for (let j = 0, at = 0; j < parts.length; at += parts[j++].d) {
    const { data: src, d: w } = parts[j];
    for (let i = 0, o = at, s = 0; i < n; i++, o += d) for (let c = 0; c < w; c++) data[o + c] = src[s++];
  }
  return { data, n, d };
}

/** The rows `rows` of p. */
function subset(p: Points, rows: ArrayLike<number>): Points {
  const { d } = p, m = rows.length, data = new Float64Array(m * d), src = p.data;
  if (d === 1) for (let r = 0; r < m; r++) data[r] = src[rows[r]];
  else for (let r = 0, o = 0; r < m; r++) for (let c = 0, s = rows[r] * d; c < d; c++) data[o++] = src[s + c];
  return { data, n: m, d };
}

const bits = new Float64Array(1), word = new Uint32Array(bits.buffer);
/** The largest double below e > 0, or 0 for e <= 0 and NaN: mutual/twin.ts below() (numpy.nextafter(e, 0)) without
 *  its BigInt, so the same bits: the 64-bit pattern less one, the low word borrowing from the high (little-endian, as
 *  WebAssembly's hosts are). */
function below(e: number): number {
  if (!(e > 0)) return 0;
  bits[0] = e;
  if (word[0] === 0) { word[0] = 0xffffffff; word[1]--; } else word[0]--;
  return bits[0];
}

/** below(r) for every radius: nextafter(r, 0), so the engine's "<=" counts "< r" (scikit-learn's convention). */
function strictly(r: Float64Array): Float64Array {
  const out = new Float64Array(r.length);
  for (let i = 0; i < r.length; i++) out[i] = below(r[i]);
  return out;
}

/** Rows grouped by label, for Ross's estimator: the rows of each label (ascending) one after another in `order`,
 *  label g's from start[g] to start[g + 1], labels in order of first appearance; and psi for the kept rows (those
 *  whose label is seen more than once), computed once for all the features that share the labels. */
interface Groups { order: Int32Array; start: Int32Array; size: Int32Array; kept: number; psi?: (m: number) => number }

function groupsOf(labels: Int32Array): Groups {
  const n = labels.length, gid = new Int32Array(n), ids = new Map<number, number>(), sizes: number[] = [];
  for (let i = 0; i < n; i++) {
    const l = labels[i];
    let g = ids.get(l);
    if (g === undefined) { g = sizes.length; ids.set(l, g); sizes.push(0); }
    gid[i] = g; sizes[g]++;
  }
  const G = sizes.length, start = new Int32Array(G + 1), size = Int32Array.from(sizes), at = new Int32Array(G);
  let kept = 0;
  for (let g = 0; g < G; g++) { start[g + 1] = start[g] + size[g]; at[g] = start[g]; if (size[g] > 1) kept += size[g]; }
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[at[gid[i]]++] = i;
  return { order, start, size, kept };
}

function maxOf(top: number, ...counts: Int32Array[]): number {
  for (const c of counts) for (let i = 0; i < c.length; i++) if (c[i] > top) top = c[i];
  return top;
}

/** A distance beyond the largest double (coordinates ~1e154 apart, Euclidean; ~1.8e308, max-norm): its log is not
 *  a number to add. Said by row, as the zero distances are. */
function overflow(fn: string, i: number): RangeError {
  return new RangeError(`${fn}: row ${i} of x: a neighbour distance overflows the range of doubles; rescale the data`);
}

/** log of the volume of the unit-radius ball in d dimensions: 2^d (max-norm), π^{d/2} / Γ(d/2 + 1) (Euclidean). */
export function logUnitBall(d: number, norm: Norm): number {
  if (norm === "chebyshev") return d * Math.LN2;
  // log Γ(d/2 + 1): m! for d = 2m; √π Π_{j=0..m} (j + 1/2) for d = 2m + 1
  const acc = new Sum();
  if (d % 2 === 0) for (let j = 2; j <= d / 2; j++) acc.add(Math.log(j));
  else { acc.add(0.5 * Math.log(Math.PI)); for (let j = 0; j <= (d - 1) / 2; j++) acc.add(Math.log(j + 0.5)); }
  return (d / 2) * Math.log(Math.PI) - acc.value;
}

/** The seeded standard normals of the `noise` option: mulberry32 uniforms through Box–Muller, both outputs used. */
function normals(seed: number): () => number {
  const uniform = mulberry32(seed);
  let spare = NaN;
  return () => {
    if (spare === spare) { const s = spare; spare = NaN; return s; }
    const r = Math.sqrt(-2 * Math.log(1 - uniform())), th = 2 * Math.PI * uniform();
    spare = r * Math.sin(th);
    return r * Math.cos(th);
  };
}

/** KSG 1 from its counts: ψ(k) + ψ(n) − ⟨ψ(n_x + 1) + ψ(n_y + 1)⟩, psi as the one-dimensional KSG takes it
 *  (mutual/api.ts), so xCols = yCols = 1 gives its bits. */
function ksg1(nx: Int32Array, ny: Int32Array, k: number, n: number): number {
  // digammas' table, read directly (every count + 1 is within it), and Sum's Neumaier steps inline: the same bits
  const top = maxOf(k, nx, ny) + 1, table = digammaTable(Math.max(top, Math.min(n, 64)));
  const psi = (m: number) => (m < table.length ? table[m] : digammaLarge(m));
  let s = -0, c = -0;
  for (let i = 0; i < n; i++) {
    const v = table[nx[i] + 1] + table[ny[i] + 1], u = s + v;
    c += Math.abs(s) >= Math.abs(v) ? (s - u) + v : (v - u) + s;
    s = u;
  }
  return psi(n) + psi(k) - total(s, c) / n;
}

/** A mutual engine's 1-D KSG of many features against one target: y (checked and scaled) prepared once (sorted); the
 *  function returned counts one feature x (checked, as long as y; scaled, or `scale` set: then scaled as stdOrOne and
 *  a division do, to the same bits) against it: the counts of ksg(fn, x, y, k, false) on the scaled x. Undefined
 *  where the engine would count point by point anyway (few rows, large k). */
export interface TargetKsg {
  ksgAgainst(y: Float64Array, k: number): ((x: Float64Array, scale: boolean) => { nx: Int32Array; ny: Int32Array }) | undefined;
}

/** The estimators over a k-NN engine. `mutual` (the entry's mutual-information engine), when given, counts the
 *  one-dimensional KSG of mutualInformationFeatures' continuous features against a continuous target: the same
 *  counts as this engine's (test/knn.test.ts), by the mutual family's dedicated 1-D KSG; and the contingency tables
 *  of discrete features against discrete targets (the same integers in either engine). */
export function makeKnnApi(engine: KnnEngine, mutual?: Pick<MutualEngine, "ksg" | "contingency"> & Partial<TargetKsg>): KnnApi {
  const tables = mutual ?? referenceMutualEngine;
  /** KSG (algorithm 1 or 2) on points already checked and scaled; the estimate before clipping, in nats. */
  function ksg(x: Points, y: Points, k: number, algorithm: 1 | 2): number {
    const n = x.n;
    if (algorithm === 1 && x.d === 1 && y.d === 1 && mutual !== undefined) {
      // already checked and scaled: the 1-D engine only counts
      const { nx, ny } = mutual.ksg("mutualInformationKSG", x.data, y.data, k, false);
      return ksg1(nx, ny, k, n);
    }
    const xy = joint(x, y);
    if (algorithm === 1) {
      const eps = strictly(engine.neighbours(xy, k, "chebyshev", false).dist);
      return ksg1(engine.countWithin(x, eps), engine.countWithin(y, eps), k, n);
    }
    const idx = engine.neighbours(xy, k, "chebyshev", true).idx!;
    const ex = new Float64Array(n), ey = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let mx = 0, my = 0;
      for (let j = 0; j < k; j++) {
        const o = idx[i * k + j];
        mx = Math.max(mx, chebyshev(x, i, o));
        my = Math.max(my, chebyshev(y, i, o));
      }
      ex[i] = mx; ey[i] = my;
    }
    const nx = engine.countWithin(x, ex), ny = engine.countWithin(y, ey);
    const psi = digammas(maxOf(k, nx, ny) + 1, n), acc = new Sum();
    for (let i = 0; i < n; i++) acc.add(psi(nx[i]) + psi(ny[i]));
    return psi(k) - 1 / k + psi(n) - acc.value / n;
  }

  /** Ross's estimator of points c against integer labels (scikit-learn's _compute_mi_cd), unclipped: the labels
   *  grouped by groupsOf (once per mutualInformationFeatures call). */
  function mixed(c: Points, labels: Int32Array | Groups, k: number): number {
    const gr = labels instanceof Int32Array ? groupsOf(labels) : labels;
    const { order, start, size } = gr, n = c.n, N = gr.kept;
    if (N === 0) return 0;
    // each row's radius, k and label count (count 0: a label seen once, the row left out)
    const radius = new Float64Array(n), kOfRow = new Int32Array(n), count = new Int32Array(n);
    for (let g = 0; g < size.length; g++) {
      const m = size[g];
      if (m < 2) continue;
      const kc = Math.min(k, m - 1), rows = order.subarray(start[g], start[g] + m);
      const r = engine.neighbours(subset(c, rows), kc, "chebyshev", false).dist;
      for (let t = 0; t < m; t++) { const i = rows[t]; radius[i] = below(r[t]); kOfRow[i] = kc; count[i] = m; }
    }
    // the kept points in their order (all of them, without a copy, when every label repeats)
    let kept = c, rad = radius, keep: Int32Array | undefined;
    if (N < n) {
      keep = new Int32Array(N);
      for (let i = 0, t = 0; i < n; i++) if (count[i] > 1) keep[t++] = i;
      kept = subset(c, keep); rad = new Float64Array(N);
      for (let t = 0; t < N; t++) rad[t] = radius[keep[t]];
    }
    const m = engine.countWithin(kept, rad);
    const psi = gr.psi ??= digammas(N + 1, N), sk = new Sum(), sc = new Sum(), sm = new Sum();
    for (let t = 0; t < N; t++) {
      const i = keep === undefined ? t : keep[t];
      sk.add(psi(kOfRow[i])); sc.add(psi(count[i])); sm.add(psi(m[t] + 1));
    }
    return psi(N) + sk.value / N - sc.value / N - sm.value / N;
  }

  function chebyshev(p: Points, i: number, j: number): number {
    const { data, d } = p;
    let m = 0;
    for (let c = 0; c < d; c++) m = Math.max(m, Math.abs(data[i * d + c] - data[j * d + c]));
    return m;
  }

  function needRows(fn: string, n: number, k: number, what = "samples"): void {
    if (n < k + 1) throw new RangeError(`${fn}: needs at least k + 1 = ${k + 1} ${what}, got ${n}`);
  }

  function sameRows(fn: string, a: string, na: number, b: string, nb: number): void {
    if (na !== nb) throw new RangeError(`${fn}: ${a} and ${b} must have the same number of rows, got ${na} and ${nb}`);
  }

  return {
    mutualInformationKSG(x0, y0, options) {
      const fn = "mutualInformationKSG";
      const o = checkOptions(fn, options, ["k", "xCols", "yCols", "algorithm", "scale", "clip", "base"]);
      const k = kOf(fn, o.k, 3), xCols = colsOf(fn, "xCols", o.xCols), yCols = colsOf(fn, "yCols", o.yCols);
      const algorithm = o.algorithm ?? 1;
      if (algorithm !== 1 && algorithm !== 2) throw new RangeError(`${fn}: algorithm must be 1 or 2, got ${show(algorithm)}`);
      const scale = flag(fn, "scale", o.scale) ?? true, clip = flag(fn, "clip", o.clip) ?? true;
      const logBase = logBaseOf(fn, o.base);
      const x = shape(fn, "x", x0, xCols, "xCols"), y = shape(fn, "y", y0, yCols, "yCols");
      sameRows(fn, "x", x.n, "y", y.n);
      needRows(fn, x.n, k);
      const mi = ksg(points(fn, "x", x.v, xCols, scale), points(fn, "y", y.v, yCols, scale), k, algorithm);
      return (clip ? Math.max(0, mi) : mi) / logBase;
    },

    conditionalMutualInformation(x0, y0, z0, options) {
      const fn = "conditionalMutualInformation";
      const o = checkOptions(fn, options, ["k", "xCols", "yCols", "zCols", "scale", "clip", "base"]);
      const k = kOf(fn, o.k, 3);
      const xCols = colsOf(fn, "xCols", o.xCols), yCols = colsOf(fn, "yCols", o.yCols), zCols = colsOf(fn, "zCols", o.zCols);
      const scale = flag(fn, "scale", o.scale) ?? true, clip = flag(fn, "clip", o.clip) ?? true;
      const logBase = logBaseOf(fn, o.base);
      const x = shape(fn, "x", x0, xCols, "xCols"), y = shape(fn, "y", y0, yCols, "yCols"), z = shape(fn, "z", z0, zCols, "zCols");
      sameRows(fn, "x", x.n, "y", y.n);
      sameRows(fn, "x", x.n, "z", z.n);
      const n = x.n;
      needRows(fn, n, k);
      const px = points(fn, "x", x.v, xCols, scale), py = points(fn, "y", y.v, yCols, scale), pz = points(fn, "z", z.v, zCols, scale);
      const eps = strictly(engine.neighbours(joint(px, py, pz), k, "chebyshev", false).dist);
      const nxz = engine.countWithin(joint(px, pz), eps), nyz = engine.countWithin(joint(py, pz), eps);
      const nz = engine.countWithin(pz, eps);
      const psi = digammas(maxOf(k, nxz, nyz, nz) + 1, n), acc = new Sum();
      for (let i = 0; i < n; i++) acc.add(psi(nxz[i] + 1) + psi(nyz[i] + 1) - psi(nz[i] + 1));
      const cmi = psi(k) - acc.value / n;
      return (clip ? Math.max(0, cmi) : cmi) / logBase;
    },

    entropyKNN(x0, options) {
      const fn = "entropyKNN";
      const o = checkOptions(fn, options, ["k", "cols", "metric", "base"]);
      const k = kOf(fn, o.k, 3), cols = colsOf(fn, "cols", o.cols);
      const metric = o.metric ?? "chebyshev";
      if (metric !== "chebyshev" && metric !== "euclidean") {
        throw new RangeError(`${fn}: metric must be "chebyshev" or "euclidean", got ${show(metric)}`);
      }
      const logBase = logBaseOf(fn, o.base);
      const x = shape(fn, "x", x0, cols, "cols");
      needRows(fn, x.n, k);
      const p = points(fn, "x", x.v, cols, false), n = p.n;
      const rho = engine.neighbours(p, k, metric, false).dist, acc = new Sum();
      for (let i = 0; i < n; i++) {
        if (!(rho[i] > 0)) {
          throw new RangeError(`${fn}: row ${i} of x has at least k = ${k} duplicates (its k-th nearest neighbour is at ` +
            "distance 0, so the estimate is -infinity); add noise or use a larger k");
        }
        if (rho[i] === Infinity) throw overflow(fn, i);
        acc.add(Math.log(rho[i]));
      }
      const psi = digammas(k, n);
      return (psi(n) - psi(k) + logUnitBall(cols, metric) + (cols * acc.value) / n) / logBase;
    },

    klDivergenceKNN(x0, y0, options) {
      const fn = "klDivergenceKNN";
      const o = checkOptions(fn, options, ["k", "cols", "base"]);
      const k = kOf(fn, o.k, 1), cols = colsOf(fn, "cols", o.cols);
      const logBase = logBaseOf(fn, o.base);
      const x = shape(fn, "x", x0, cols, "cols"), y = shape(fn, "y", y0, cols, "cols");
      needRows(fn, x.n, k, "rows of x");
      if (y.n < k) throw new RangeError(`${fn}: needs at least k = ${k} rows of y, got ${y.n}`);
      const px = points(fn, "x", x.v, cols, false), py = points(fn, "y", y.v, cols, false);
      const n = px.n, m = py.n;
      const rho = engine.neighbours(px, k, "euclidean", false).dist, nu = engine.crossNeighbours(px, py, k, "euclidean");
      const acc = new Sum();
      for (let i = 0; i < n; i++) {
        if (!(rho[i] > 0)) {
          throw new RangeError(`${fn}: row ${i} of x has at least k = ${k} duplicates in x (ρ = 0, so the estimate is ` +
            "+infinity or undefined); add noise or use a larger k");
        }
        if (!(nu[i] > 0)) {
          throw new RangeError(`${fn}: row ${i} of x has at least k = ${k} copies in y (ν = 0, so the estimate is ` +
            "-infinity); add noise or use a larger k");
        }
        if (rho[i] === Infinity || nu[i] === Infinity) throw overflow(fn, i);
        const r = nu[i] / rho[i];
        acc.add(r > 0 && r < Infinity ? Math.log(r) : Math.log(nu[i]) - Math.log(rho[i]));
      }
      return ((cols * acc.value) / n + Math.log(m / (n - 1))) / logBase;
    },

    mutualInformationMixed(x0, labels0, options) {
      const fn = "mutualInformationMixed";
      const o = checkOptions(fn, options, ["k", "xCols", "scale", "clip", "base"]);
      const k = kOf(fn, o.k, 3), xCols = colsOf(fn, "xCols", o.xCols);
      const scale = flag(fn, "scale", o.scale) ?? true, clip = flag(fn, "clip", o.clip) ?? true;
      const logBase = logBaseOf(fn, o.base);
      const x = shape(fn, "x", x0, xCols, "xCols");
      const labels = toLabels(fn, "labels", labels0);
      sameRows(fn, "x", x.n, "labels", labels.length);
      const mi = mixed(points(fn, "x", x.v, xCols, scale), labels, k);
      return (clip ? Math.max(0, mi) : mi) / logBase;
    },

    mutualInformationFeatures(X0, y0, options, part) {
      const fn = "mutualInformationFeatures";
      const o = checkOptions(fn, options, ["cols", "discreteFeatures", "discreteTarget", "k", "noise", "base"]);
      const cols = colsOf(fn, "cols", o.cols), k = kOf(fn, o.k, 3);
      const discreteTarget = flag(fn, "discreteTarget", o.discreteTarget) ?? false;
      const noise = o.noise;
      checkSeed(fn, "noise", noise);
      const logBase = logBaseOf(fn, o.base);
      const mask = discreteMask(fn, o.discreteFeatures, cols), which = part ?? Array.from(mask, (_, c) => c);
      const discrete = which.map((c) => mask[c]);
      const X = shape(fn, "X", X0, cols, "cols"), n = X.n;
      // the target: labels, or continuous values (checked, scaled, jittered below)
      let yLabels: Int32Array | undefined, yv: Vector | undefined;
      if (discreteTarget) yLabels = toLabels(fn, "y", y0);
      else yv = vector(fn, "y", y0);
      sameRows(fn, "X", n, "y", (yLabels ?? yv)!.length);
      needRows(fn, n, k);
      // every value checked by row and column (in row order, as points() does), into one array per feature;
      // continuous features scaled (discrete ones: each distinct value a class), the target once for all features
      const F = checkedColumns(fn, X.v, cols, n, which);
      const Y = yv === undefined ? undefined : points(fn, "y", yv, 1, true);
      // the continuous target prepared once for the continuous features, where the engine can (it reads Y when it
      // first counts, after the jitter); without jitter it also scales each continuous feature, to the same bits
      const against = Y === undefined ? undefined : mutual?.ksgAgainst?.(Y.data, k);
      const scaleLater = against !== undefined && noise === undefined;
      for (let c = 0; c < F.length; c++) {
        if (discrete[c] || scaleLater) continue;
        const col = F[c], sd = stdOrOne(col);
        for (let i = 0; i < n; i++) col[i] /= sd;
      }
      if (noise !== undefined) {
        const z = normals(noise), cont: Float64Array[] = [];
        for (let c = 0; c < F.length; c++) if (!discrete[c]) cont.push(F[c]);
        const amp = cont.map((col) => {
          let s = 0;
          for (let i = 0; i < n; i++) s += Math.abs(col[i]);
          return 1e-10 * Math.max(1, s / n);
        });
        for (let i = 0; i < n; i++) for (let t = 0; t < cont.length; t++) cont[t][i] += amp[t] * z();
        if (Y !== undefined) {
          let s = 0;
          for (let i = 0; i < n; i++) s += Math.abs(Y.data[i]);
          const a = 1e-10 * Math.max(1, s / n);
          for (let i = 0; i < n; i++) Y.data[i] += a * z();
        }
      }
      // the labels grouped once for every continuous feature
      const groups = yLabels === undefined ? undefined : groupsOf(yLabels);
      const out = new Float64Array(F.length);
      for (let c = 0; c < F.length; c++) {
        const col = F[c], f: Points = { data: col, n, d: 1 };
        let mi: number;
        if (!discrete[c] && against !== undefined) {
          const { nx, ny } = against(col, scaleLater);
          mi = ksg1(nx, ny, k, n);
        } else if (!discrete[c] && Y !== undefined) mi = ksg(f, Y, k, 1);
        else if (!discrete[c]) mi = mixed(f, groups!, k);
        else if (Y !== undefined) mi = mixed(Y, classes(col), k);
        else mi = miOfCounts(tables.contingency(fn, classes(col), yLabels!)).mi;
        out[c] = Math.max(0, mi) / logBase;
      }
      return out;
    },
  };
}

/** The values of a discrete feature as classes: each distinct value its rank (0 and -0 one class), as
 *  scikit-learn's unique() does for any finite values. */
function classes(col: Float64Array): Int32Array {
  const distinct = Array.from(new Set(col)).sort((a, b) => a - b), rank = new Map(distinct.map((v, i) => [v, i]));
  return Int32Array.from(col, (v) => rank.get(v)!);
}

/** discreteFeatures as a mask: true / false for all, a boolean per feature, or feature indices. */
export function discreteMask(fn: string, v: unknown, cols: number): Uint8Array {
  const mask = new Uint8Array(cols);
  if (v === undefined || v === false) return mask;
  if (v === true) return mask.fill(1);
  if (!Array.isArray(v)) throw new TypeError(`${fn}: discreteFeatures must be true, false, an array of booleans or of feature indices, got ${show(v)}`);
  const list = Array.from(v as unknown[]);
  if (list.length > 0 && typeof list[0] === "boolean") {
    if (list.length !== cols) throw new RangeError(`${fn}: discreteFeatures has ${list.length} booleans for ${cols} features`);
    list.forEach((b, i) => {
      if (typeof b !== "boolean") throw new TypeError(`${fn}: discreteFeatures[${i}] must be a boolean like the others, got ${show(b)}`);
      mask[i] = b ? 1 : 0;
    });
    return mask;
  }
  list.forEach((j, i) => {
    if (typeof j !== "number" || !Number.isInteger(j) || j < 0 || j >= cols) {
      throw new RangeError(`${fn}: discreteFeatures[${i}] must be a feature index in [0, ${cols}), got ${show(j)}`);
    }
    mask[j] = 1;
  });
  return mask;
}
