// The pure-TypeScript twins of the kernels: plain loops with Math.log and a
// Neumaier-compensated sum, checking every value as they go. They define the
// semantics the WebAssembly path must reproduce, serve `kl-wasm/reference`, and
// run small inputs for the facade (below the crossover where calling into
// WebAssembly costs more than it saves).
//
// Errors, the same in both builds (src/core/validate.ts words them):
//   1. the first value that is not a finite number >= 0, by index over p and q
//      (p before q at the same index), whichever row it is in;
//   2. then the sums, in row order, p before q within a row: with normalize: true a
//      sum of 0 or one that overflows; by default a sum that is not 1 (sumTolerance).
// Engines only detect: throwFirstBad and the sum checks choose the message.
import { type Vector, type Parsed, throwFirstBad, checkSums } from "../core/validate.js";
import type { Engine } from "./api.js";
import { Sum, MIN_NORMAL_F64 } from "../core/sum.js";

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

const bad = (v: number) => !(v >= 0 && v < Infinity);

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
function normalizers(fn: string, p: Vector, q: Vector | undefined, rows: number, cols: number, o: Parsed) {
  if (o.normalize !== true) return { sp: undefined, sq: undefined };
  const sp = sumsOf(fn, p, p, q, rows, cols);
  const sq = q === undefined ? undefined : sumsOf(fn, q, p, q, rows, cols);
  checkSums(fn, sp, sq);
  return { sp, sq };
}

/** -sum p log p over p > 0. */
export const entropyRowsRef: RowsFn = (fn, p, q, rows, cols, o, out, sums) => {
  const { sp } = normalizers(fn, p, undefined, rows, cols, o);
  const acc = new Sum();
  for (let r = 0; r < rows; r++) {
    const s = sp === undefined ? 1 : sp[r];
    let plain = 0;
    acc.reset();
    for (let i = r * cols, end = i + cols; i < end; i++) {
      const v = p[i];
      if (bad(v)) throwFirstBad(fn, p);
      plain += v;
      const x = v / s;
      if (x > 0) acc.add(-x * Math.log(x));
    }
    // a rounding below 0 is clipped only where the result is a true entropy
    out[r] = sp === undefined ? acc.value : Math.max(0, acc.value);
    if (sums !== undefined) sums[2 * r] = plain;
  }
};

/**
 * sum over p > 0 of p log(p / clip(q, eps, 1)) (log clip(q) alone for cross-entropy,
 * negated); density: sum of p' log(p' / max(q, eps)) with p' = max(p, eps), no upper
 * clip, never normalised (o.eps is the floor).
 */
function divergence(cross: boolean, density = false): RowsFn {
  return (fn, p, q, rows, cols, o, out, sums) => {
    const eps = o.eps;
    const { sp, sq } = normalizers(fn, p, q, rows, cols, o);
    const acc = new Sum();
    for (let r = 0; r < rows; r++) {
      const a = sp === undefined ? 1 : sp[r], b = sq === undefined ? 1 : sq[r];
      let plainP = 0, plainQ = 0;
      acc.reset();
      for (let i = r * cols, end = i + cols; i < end; i++) {
        const v = p[i], w = q![i];
        if (bad(v) || bad(w)) throwFirstBad(fn, p, q);
        plainP += v;
        plainQ += w;
        const x = density && v < eps ? eps : v / a;
        if (!(x > 0)) continue;
        const y = w / b;
        const yc = y < eps ? eps : y > 1 && !density ? 1 : y;
        let l: number; // log clip(q) (cross-entropy) or log(x / clip(q))
        if (yc >= MIN_NORMAL_F64 || w === 0 || b === 1) l = cross ? Math.log(yc) : logRatio(x, yc);
        // q / sum q underflowed below eps (eps 0 or subnormal): the logs of the exact quotients
        else l = cross ? Math.log(w) - Math.log(b) : logRatio(v, w) + logRatio(b, a);
        acc.add(cross ? -x * l : x * l);
      }
      out[r] = acc.value;
      if (sums !== undefined) {
        sums[2 * r] = plainP;
        sums[2 * r + 1] = plainQ;
      }
    }
  };
}
export const klRowsRef: RowsFn = divergence(false);
export const crossEntropyRowsRef: RowsFn = divergence(true);
export const klDensityRowsRef: RowsFn = divergence(false, true);

/**
 * (KL(p || m) + KL(q || m)) / 2 with m = (p + q) / 2, each term halved before it is
 * summed (a sum of terms near the top of the range may overflow where its half does not).
 */
export const jensenShannonRowsRef: RowsFn = (fn, p, q, rows, cols, o, out, sums) => {
  const { sp, sq } = normalizers(fn, p, q, rows, cols, o);
  const acc = new Sum();
  for (let r = 0; r < rows; r++) {
    const a = sp === undefined ? 1 : sp[r], b = sq === undefined ? 1 : sq[r];
    let plainP = 0, plainQ = 0;
    acc.reset();
    for (let i = r * cols, end = i + cols; i < end; i++) {
      const v = p[i], w = q![i];
      if (bad(v) || bad(w)) throwFirstBad(fn, p, q);
      plainP += v;
      plainQ += w;
      const x = v / a, y = w / b;
      // log(x / m) as log(2x / (x + y)); where x + y overflows, m = x/2 + y/2
      const s = x + y, m = x / 2 + y / 2;
      const lx = x > 0 ? (s < Infinity ? log2Ratio(x, s) : logRatio(x, m)) : 0;
      const ly = y > 0 ? (s < Infinity ? log2Ratio(y, s) : logRatio(y, m)) : 0;
      acc.add((x > 0 ? (x * lx) / 2 : 0) + (y > 0 ? (y * ly) / 2 : 0));
    }
    out[r] = acc.value;
    if (sums !== undefined) {
      sums[2 * r] = plainP;
      sums[2 * r + 1] = plainQ;
    }
  }
};

/** The pure-TS engine: kl-wasm/reference, and the facade's path for small inputs. */
export const referenceEngine: Engine = {
  entropy: entropyRowsRef, kl: klRowsRef, crossEntropy: crossEntropyRowsRef, jensenShannon: jensenShannonRowsRef,
};
