// The pure-TypeScript twins of the kernels: plain loops with Math.log and a
// Neumaier-compensated sum, checking every value as they go. They define the
// semantics the WebAssembly path must reproduce, serve `kl-wasm/reference`, and
// run small inputs for the facade (below the crossover where calling into
// WebAssembly costs more than it saves).
import { type Vector, type Parsed, badValue, checkSum } from "../core/validate.js";
import type { Engine } from "./api.js";
import { total } from "../core/sum.js";

/** A row-wise measure in nats: writes one value per row of `cols` elements into out. */
export type RowsFn = (fn: string, p: Vector, q: Vector | undefined, rows: number, cols: number, o: Parsed,
  out: Float64Array) => void;

/** log(x / y), also where x / y over- or underflows (y subnormal or 0, x huge). */
function logRatio(x: number, y: number): number {
  const r = x / y;
  return r < Infinity && r >= 2.2250738585072014e-308 ? Math.log(r) : Math.log(x) - Math.log(y);
}

function check(fn: string, name: string, x: Vector, i: number, v: number): void {
  if (typeof v !== "number" || !(v >= 0 && v < Infinity)) throw badValue(fn, name, x, i);
}

/** Compensated sum of row r, checking values; throws if it cannot normalise (0 or overflow). */
function rowSum(fn: string, name: string, x: Vector, r: number, rows: number, cols: number): number {
  let s = 0, c = 0;
  for (let i = r * cols, end = i + cols; i < end; i++) {
    const v = x[i];
    check(fn, name, x, i, v);
    const t = s + v;
    c += Math.abs(s) >= Math.abs(v) ? (s - t) + v : (v - t) + s;
    s = t;
  }
  s = total(s, c);
  checkSum(fn, name, s, r, rows);
  return s;
}

/** -sum p log p over p > 0. */
export const entropyRowsRef: RowsFn = (fn, p, _q, rows, cols, o, out) => {
  for (let r = 0; r < rows; r++) {
    const sp = o.normalize ? rowSum(fn, "p", p, r, rows, cols) : 1;
    let s = 0, c = 0;
    for (let i = r * cols, end = i + cols; i < end; i++) {
      const v = p[i];
      check(fn, "p", p, i, v);
      const x = v / sp;
      if (x > 0) {
        const t = -x * Math.log(x), u = s + t;
        c += Math.abs(s) >= Math.abs(t) ? (s - u) + t : (t - u) + s;
        s = u;
      }
    }
    out[r] = total(s, c);
  }
};

/** sum over p > 0 of p log(p / clip(q, eps, 1)) (log clip(q) alone for cross-entropy, negated);
 *  density: sum of p' log(p' / max(q, eps)) with p' = max(p, eps), no upper clip (o.eps is the floor). */
function divergence(cross: boolean, density = false): RowsFn {
  return (fn, p, q, rows, cols, o, out) => {
    const eps = o.eps;
    for (let r = 0; r < rows; r++) {
      const sp = o.normalize ? rowSum(fn, "p", p, r, rows, cols) : 1;
      const sq = o.normalize ? rowSum(fn, "q", q!, r, rows, cols) : 1;
      let s = 0, c = 0;
      for (let i = r * cols, end = i + cols; i < end; i++) {
        const v = p[i], w = q![i];
        check(fn, "p", p, i, v);
        check(fn, "q", q!, i, w);
        const x = density && v < eps ? eps : v / sp;
        if (x > 0) {
          const y = w / sq;
          const yc = y < eps ? eps : y > 1 && !density ? 1 : y;
          const t = cross ? -x * Math.log(yc) : x * logRatio(x, yc), u = s + t;
          c += Math.abs(s) >= Math.abs(t) ? (s - u) + t : (t - u) + s;
          s = u;
        }
      }
      out[r] = total(s, c);
    }
  };
}
export const klRowsRef: RowsFn = divergence(false);
export const crossEntropyRowsRef: RowsFn = divergence(true);
export const klDensityRowsRef: RowsFn = divergence(false, true);

/** (KL(p || m) + KL(q || m)) / 2 with m = (p + q) / 2. */
export const jensenShannonRowsRef: RowsFn = (fn, p, q, rows, cols, o, out) => {
  for (let r = 0; r < rows; r++) {
    const sp = o.normalize ? rowSum(fn, "p", p, r, rows, cols) : 1;
    const sq = o.normalize ? rowSum(fn, "q", q!, r, rows, cols) : 1;
    let s = 0, c = 0;
    for (let i = r * cols, end = i + cols; i < end; i++) {
      const v = p[i], w = q![i];
      check(fn, "p", p, i, v);
      check(fn, "q", q!, i, w);
      const x = v / sp, y = w / sq;
      // x / m as 2 x / (x + y): (x + y) / 2 would round to 0 for the smallest subnormals
      const sum = x + y;
      const rx = sum < Infinity ? 2 * (x / sum) : x / (x / 2 + y / 2);
      const ry = sum < Infinity ? 2 * (y / sum) : y / (x / 2 + y / 2);
      const t = (x > 0 ? x * Math.log(rx) : 0) + (y > 0 ? y * Math.log(ry) : 0), u = s + t;
      c += Math.abs(s) >= Math.abs(t) ? (s - u) + t : (t - u) + s;
      s = u;
    }
    out[r] = total(s, c) / 2;
  }
};

/** The pure-TS engine: kl-wasm/reference, and the facade's path for small inputs. */
export const referenceEngine: Engine = {
  entropy: entropyRowsRef, kl: klRowsRef, crossEntropy: crossEntropyRowsRef, jensenShannon: jensenShannonRowsRef,
};
