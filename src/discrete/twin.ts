// The pure-TypeScript twins of the kernels: plain loops with Math.log and the
// kernels' blocked summation (terms summed plainly in blocks of BLOCK, the blocks'
// totals Neumaier-compensated), checking every value as they go. They define the
// semantics the WebAssembly path must reproduce, serve `kl-wasm/reference`, and
// run small inputs for the facade (below the crossover where calling into
// WebAssembly costs more than it saves).
//
// Errors, the same in both builds (src/core/validate.ts words them):
//   1. the first value that is not a finite number >= 0, by index over p and q
//      (p before q at the same index), whichever row it is in;
//   2. then the sums, in row order, p before q within a row: with normalize: true a
//      sum of 0 (one that overflows is normalised: normalRow); by default a sum that is
//      not 1 (sumTolerance).
// Engines only detect: throwFirstBad and the sum checks choose the message.
import { type Vector, type Parsed, throwFirstBad, checkSums, F64_TOLERANCE, F32_TOLERANCE } from "../core/validate.js";
import type { Engine, PlainCalls } from "./api.js";
import { Sum, total, MIN_NORMAL_F64 } from "../core/sum.js";

/**
 * A row-wise measure in nats: writes one value per row of `cols` elements into out.
 * With o.normalize === "check" it also writes each row's sum of p and of q into
 * sums[2r], sums[2r + 1] (the caller checks them), computed in the same pass.
 */
export type RowsFn = (fn: string, p: Vector, q: Vector | undefined, rows: number, cols: number, o: Parsed,
  out: Float64Array, sums?: Float64Array) => void;

/** log(x / y) for x, y > 0, also where x / y over- or underflows (y subnormal, x huge). */
export function logRatio(x: number, y: number): number {
  const r = x / y;
  return r < Infinity && r >= MIN_NORMAL_F64 ? Math.log(r) : Math.log(x) - Math.log(y);
}

/** log(2x / s) for 0 < x <= s < Infinity: 2 (x / s) is exact where x / s is normal. */
function log2Ratio(x: number, s: number): number {
  const r = x / s;
  return r >= MIN_NORMAL_F64 ? Math.log(2 * r) : Math.LN2 + Math.log(x) - Math.log(s);
}

export const bad = (v: number) => !(v >= 0 && v < Infinity);

/**
 * Terms per block: each block is summed plainly, then folded into a Neumaier-compensated
 * total, as the kernels do (assembly/core/span.ts), so the sum's error is at most about
 * (BLOCK - 1) u * sum |term| (u = 2^-53) for every n. A short vector (a small call: fewer
 * than SMALL = 32 elements, src/core/wasm.ts) is one block: one plain sum (plainDivergence).
 */
export const BLOCK = 32;

/**
 * normalize: true: every row's compensated sum of x, all rows before any is checked
 * (so a bad value anywhere is reported before a bad sum). Undefined otherwise.
 */
function sumsOf(fn: string, x: Vector, p: Vector, q: Vector | undefined, rows: number, cols: number): Float64Array {
  const s = new Float64Array(rows), acc = new Sum();
  for (let r = 0; r < rows; r++) {
    acc.reset();
    for (let i = r * cols, end = i + cols; i < end; i++) {
      const v = x[i];
      if (bad(v)) throwFirstBad(fn, p, q);
      acc.add(v);
    }
    s[r] = acc.value;
  }
  return s;
}

/** The normalising sums of p and q (normalize: true), checked in row order, p before q. */
export function normalizers(fn: string, p: Vector, q: Vector | undefined, rows: number, cols: number, o: Parsed) {
  if (o.normalize !== true) return { sp: undefined, sq: undefined };
  const sp = sumsOf(fn, p, p, q, rows, cols);
  const sq = q === undefined ? undefined : sumsOf(fn, q, p, q, rows, cols);
  checkSums(fn, sp, sq);
  return { sp, sq };
}

/** What the last row function saw: its plain sums of p and q, and whether a value was
 *  not a finite number >= 0 (the row's value is then meaningless; callers throw). */
// (-0: the fields hold doubles from the start, so no shape change deoptimises code that reads them)
export const seen = { sp: -0, sq: -0, bad: false };

/** Records what a row function saw (seen) and returns its value. */
export function saw(sp: number, sq: number, bad: boolean, value: number): number {
  seen.sp = sp;
  seen.sq = sq;
  seen.bad = bad;
  return value;
}

/** 2^-128: rows whose sum overflows are normalised by the sum of the row times this. */
const DOWN = 2.938735877055719e-39;

/**
 * Row r of p and q with the sums that normalise them. A sum that overflowed (every value
 * finite, but together beyond the largest double) is redone on copies of the rows times
 * 2^-128: exact for every value above 2^-894, so the quotients p / sum are unchanged.
 */
export function normalRow(p: Vector, q: Vector | undefined, r: number, cols: number, sp: number, sq: number) {
  const start = r * cols, end = start + cols;
  if (sp < Infinity && sq < Infinity) return { p, q, start, end, a: sp, b: sq };
  const scaled = (x: Vector, s: number) => {
    if (s < Infinity) return { x: (x as Float64Array).slice(start, end) as Vector, s };
    const y = new Float64Array(cols), acc = new Sum();
    for (let i = 0; i < cols; i++) acc.add((y[i] = x[start + i] * DOWN));
    return { x: y as Vector, s: acc.value };
  };
  const P = scaled(p, sp), Q = q === undefined ? undefined : scaled(q, sq);
  return { p: P.x, q: Q?.x, start: 0, end: cols, a: P.s, b: Q === undefined ? 1 : Q.s };
}

/** -sum x log x over x = p / s > 0 for p[start, end). */
export function entropyRow(p: Vector, start: number, end: number, a: number): number {
  let plain = 0, fault = false, s = 0, c = 0; // blocked sum, inlined (the twin's hot loop)
  for (let i = start; i < end;) {
    let b = 0;
    for (const e = Math.min(end, i + BLOCK); i < e; i++) {
      const v = p[i];
      if (bad(v)) fault = true;
      plain += v;
      const x = v / a;
      if (x > 0) b += -x * Math.log(x);
    }
    const u = s + b;
    c += Math.abs(s) >= Math.abs(b) ? (s - u) + b : (b - u) + s;
    s = u;
  }
  return saw(plain, 0, fault, total(s, c));
}

/** log(x / y) (or log y for cross-entropy) of x = v / a, y = w / b where y underflowed: from v, w, a, b. */
function underflowed(v: number, w: number, a: number, b: number, cross: boolean): number {
  return cross ? Math.log(w) - Math.log(b) : logRatio(v, w) + logRatio(b, a);
}

/**
 * sum over x > 0 of x log(x / clip(y, eps, 1)), x = p / a, y = q / b (log clip(y) alone for
 * cross-entropy, negated); density: x = max(p, eps), y = max(q, eps), no upper clip.
 */
export function divergenceRow(p: Vector, q: Vector, start: number, end: number, eps: number, a: number, b: number,
                       cross: boolean, density: boolean): number {
  let plainP = 0, plainQ = 0, fault = false, s = 0, c = 0;
  for (let i = start; i < end;) {
    let k = 0;
    for (const e = Math.min(end, i + BLOCK); i < e; i++) {
      const v = p[i], w = q[i];
      if (bad(v) || bad(w)) fault = true;
      plainP += v;
      plainQ += w;
      const x = density && v < eps ? eps : v / a;
      if (!(x > 0)) {
        // p > 0 whose quotient p / a underflowed: its support is p's (p / a > 0 exactly, as the kernels, which never
        // rescale p, see it): +Infinity against a q = 0 that eps 0 leaves unclipped, else a term below the sum's ulp
        if (v > 0 && w === 0 && eps === 0 && !density) k += Infinity;
        continue;
      }
      const y = w / b;
      const yc = y < eps ? eps : y > 1 && !density ? 1 : y;
      // log clip(q) (cross-entropy) or log(x / clip(q)); where q / sum q is not clipped but
      // underflowed (eps 0 or subnormal), from the exact quotients (out of line: rare)
      const l = yc >= MIN_NORMAL_F64 || w === 0 || b === 1 || yc !== y ? (cross ? Math.log(yc) : logRatio(x, yc))
        : underflowed(v, w, a, b, cross);
      k += cross ? -x * l : x * l;
    }
    const u = s + k;
    c += Math.abs(s) >= Math.abs(k) ? (s - u) + k : (k - u) + s;
    s = u;
  }
  return saw(plainP, plainQ, fault, total(s, c));
}

/**
 * (KL(x || m) + KL(y || m)) / 2, m = (x + y) / 2, x = p / a, y = q / b; each term halved
 * before it is summed (a sum of terms near the top of the range may overflow where its
 * half does not). With weights w = [π, 1 − π]: π KL(x || m) + (1 − π) KL(y || m), m = πx + (1 − π)y,
 * each term as π x log(x / m) (never the O(1) constants a scaled form would subtract again).
 */
function jensenShannonRow(p: Vector, q: Vector, start: number, end: number, a: number, b: number,
                          w?: Float64Array): number {
  const wp = w === undefined ? 0.5 : w[0], wq = w === undefined ? 0.5 : w[1];
  let plainP = 0, plainQ = 0, fault = false, s = 0, c = 0;
  for (let i = start; i < end;) {
    let k = 0;
    for (const e = Math.min(end, i + BLOCK); i < e; i++) {
      const v = p[i], w = q[i];
      if (bad(v) || bad(w)) fault = true;
      plainP += v;
      plainQ += w;
      const x = v / a, y = w / b;
      if (wp !== 0.5 || wq !== 0.5) {
        const m = wp * x + wq * y;
        k += (wp * x > 0 ? wp * x * logRatio(x, m) : 0) + (wq * y > 0 ? wq * y * logRatio(y, m) : 0);
        continue;
      }
      // log(x / m) as log(2x / (x + y)); where x + y overflows, m = x/2 + y/2
      const xy = x + y;
      let lx = 0, ly = 0;
      if (xy < Infinity) {
        if (x > 0) lx = log2Ratio(x, xy);
        if (y > 0) ly = log2Ratio(y, xy);
      } else {
        const m = x / 2 + y / 2;
        lx = logRatio(x, m);
        ly = logRatio(y, m);
      }
      k += (x > 0 ? (x * lx) / 2 : 0) + (y > 0 ? (y * ly) / 2 : 0);
    }
    const u = s + k;
    c += Math.abs(s) >= Math.abs(k) ? (s - u) + k : (k - u) + s;
    s = u;
  }
  return saw(plainP, plainQ, fault, total(s, c));
}

/**
 * ½ Σ (√x − √y)² (Hellinger: the squared distance) or ½ Σ |x − y| (total variation), x = p / a,
 * y = q / b: direct, term by term, so a small distance keeps its digits (the form 1 − Σ √(xy)
 * would cancel; √x − √y is taken as (x − y) / (√x + √y), relatively accurate where x ≈ y). Each term is halved before it is summed, as in jensenShannonRow.
 */
export function distanceRow(p: Vector, q: Vector, start: number, end: number, a: number, b: number, hellinger: boolean): number {
  let plainP = 0, plainQ = 0, fault = false, s = 0, c = 0;
  for (let i = start; i < end;) {
    let k = 0;
    for (const e = Math.min(end, i + BLOCK); i < e; i++) {
      const v = p[i], w = q[i];
      if (bad(v) || bad(w)) fault = true;
      plainP += v;
      plainQ += w;
      const x = v / a, y = w / b;
      if (hellinger) {
        // √x − √y as (x − y) / (√x + √y): x − y is exact where x ≈ y, so a small distance keeps its digits
        const r = Math.sqrt(x) + Math.sqrt(y), d = r > 0 ? (x - y) / r : 0;
        k += (d * d) / 2;
      } else k += Math.abs(x / 2 - y / 2);
    }
    const u = s + k;
    c += Math.abs(s) >= Math.abs(k) ? (s - u) + k : (k - u) + s;
    s = u;
  }
  return saw(plainP, plainQ, fault, total(s, c));
}

/** Runs a row function over every row: throws for a bad value, keeps the sums for the check. */
export function overRows(fn: string, p: Vector, q: Vector | undefined, rows: number, cols: number, out: Float64Array,
                  sums: Float64Array | undefined, row: (r: number, start: number, end: number) => number): void {
  for (let r = 0; r < rows; r++) {
    out[r] = row(r, r * cols, (r + 1) * cols);
    if (seen.bad) throwFirstBad(fn, p, q);
    if (sums !== undefined) {
      sums[2 * r] = seen.sp;
      sums[2 * r + 1] = seen.sq;
    }
  }
}

const normalisedEntropy = (n: ReturnType<typeof normalRow>) => Math.max(0, entropyRow(n.p, n.start, n.end, n.a));

/** -sum p log p over p > 0. */
export const entropyRowsRef: RowsFn = (fn, p, _q, rows, cols, o, out, sums) => {
  const { sp } = normalizers(fn, p, undefined, rows, cols, o);
  // a rounding below 0 is clipped only where the result is a true entropy
  overRows(fn, p, undefined, rows, cols, out, sums, (r, start, end) =>
    sp === undefined ? entropyRow(p, start, end, 1) : normalisedEntropy(normalRow(p, undefined, r, cols, sp[r], 1)));
};

function divergence(cross: boolean, density = false): RowsFn {
  return (fn, p, q, rows, cols, o, out, sums) => {
    const { sp, sq } = normalizers(fn, p, q, rows, cols, o);
    overRows(fn, p, q, rows, cols, out, sums, (r, start, end) => {
      if (sp === undefined) return divergenceRow(p, q!, start, end, o.eps, 1, 1, cross, density);
      const n = normalRow(p, q, r, cols, sp[r], sq![r]);
      return divergenceRow(n.p, n.q!, n.start, n.end, o.eps, n.a, n.b, cross, density);
    });
  };
}
export const klRowsRef: RowsFn = divergence(false);
export const crossEntropyRowsRef: RowsFn = divergence(true);
export const klDensityRowsRef: RowsFn = divergence(false, true);

/** A row function of x = p / a and y = q / b over [start, end) (q undefined for one input; a = b = 1 as given). */
export type PairRow = (p: Vector, q: Vector | undefined, start: number, end: number, a: number, b: number, o: Parsed) => number;

/** The RowsFn of a row function: rows normalised (normalize: true, overflowing sums included: normalRow), checked
 *  (bad values, then sums), one value per row. */
export function pairRows(row: PairRow, two = true): RowsFn {
  return (fn, p, q0, rows, cols, o, out, sums) => {
    const q = two ? q0 : undefined;
    const { sp, sq } = normalizers(fn, p, q, rows, cols, o);
    overRows(fn, p, q, rows, cols, out, sums, (r, start, end) => {
      if (sp === undefined) return row(p, q, start, end, 1, 1, o);
      const n = normalRow(p, q, r, cols, sp[r], sq === undefined ? 1 : sq[r]);
      return row(n.p, n.q, n.start, n.end, n.a, n.b, o);
    });
  };
}

export const jensenShannonRowsRef: RowsFn = /* @__PURE__ */ pairRows((p, q, start, end, a, b, o) =>
  jensenShannonRow(p, q!, start, end, a, b, o.weights));

/** ½ Σ (√p − √q)² (the squared Hellinger distance; the pairwise family takes its root). */
export const hellingerRowsRef: RowsFn = /* @__PURE__ */ pairRows((p, q, start, end, a, b) => distanceRow(p, q!, start, end, a, b, true));
/** ½ Σ |p − q|. */
export const totalVariationRowsRef: RowsFn = /* @__PURE__ */ pairRows((p, q, start, end, a, b) => distanceRow(p, q!, start, end, a, b, false));

export type Small = Float64Array | Float32Array;
export const HALF64 = F64_TOLERANCE / 2, HALF32 = F32_TOLERANCE / 2;
/** Whether x's plain sum s is well inside the default check's tolerance (half of it, float32 input at its own
 *  precision: nearer the edge the general path decides, with a compensated sum, as checkSumIsOne does). */
const sumOk = (s: number, x: Small) => Math.abs(s - 1) <= (x instanceof Float32Array ? HALF32 : HALF64);

/** The last row function's sums, checked as the default does: NaN for "take the general path". */
const checked = (v: number, p: Small, q: Small | undefined): number =>
  seen.bad || !sumOk(seen.sp, p) || (q !== undefined && !sumOk(seen.sq, q)) ? NaN : v;

/** plain.ts plainDivergence for any length (kl-wasm/reference's plain calls): blocks of BLOCK, compensated. The loop
 *  body is plainDivergence's, written out again: a shared term function cost both ~1-2 ns per element (measured). */
function plainBlocks(p: Small, q: Small, cross: boolean): number {
  let sp = 0, sq = 0, neg = false, s = 0, c = 0;
  for (let i = 0, n = p.length; i < n;) {
    let k = 0;
    for (const e = Math.min(n, i + BLOCK); i < e; i++) {
      const v = p[i], w = q[i];
      sp += v;
      sq += w;
      if (v > 0) {
        let yc: number;
        if (w < 1e-15) {
          yc = 1e-15;
          if (w < 0) neg = true;
        } else yc = w > 1 ? 1 : w;
        k += cross ? -v * Math.log(yc) : v * (v >= 2.2250738585072014e-308 ? Math.log(v / yc) : logRatio(v, yc));
      } else if (v < 0 || w < 0) neg = true;
    }
    const u = s + k;
    c += Math.abs(s) >= Math.abs(k) ? (s - u) + k : (k - u) + s;
    s = u;
  }
  return sumOk(sp, p) && sumOk(sq, q) && !neg ? total(s, c) : NaN;
}

/** The plain entropy and Jensen–Shannon calls (the facade's, plain.ts, and the reference's): the row functions. */
export const entropyPlain = (p: Small) => checked(entropyRow(p, 0, p.length, 1), p, undefined);
export const jensenShannonPlain = (p: Small, q: Small) => checked(jensenShannonRow(p, q, 0, p.length, 1, 1), p, q);

/**
 * The plain calls for any length (kl-wasm/reference, whose entries check the pair first: api.ts plainPair): the
 * blocked loop, the same bits as plain.ts's one block below BLOCK. The facade's plain calls (plain.ts), which never
 * see a long vector, are not compiled with it (measured: ~5 ns more per n = 3 call once both paths had run), and
 * each entry's bundle holds only the one it calls.
 */
export const plainCallsAnyLength: PlainCalls = {
  entropy: entropyPlain,
  kl: (p, q) => plainBlocks(p as Small, q as Small, false),
  crossEntropy: (p, q) => plainBlocks(p as Small, q as Small, true),
  jensenShannon: jensenShannonPlain,
};

/** The pure-TS engine: kl-wasm/reference, and the facade's path for small inputs. */
export const referenceEngine: Engine = {
  entropy: entropyRowsRef, kl: klRowsRef, crossEntropy: crossEntropyRowsRef, jensenShannon: jensenShannonRowsRef,
};
