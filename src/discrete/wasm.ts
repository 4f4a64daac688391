// The discrete measures' WebAssembly engine: entropy, KL, cross-entropy and
// Jensen-Shannon over rows, through the span kernels (assembly/discrete.ts) that
// src/core/wasm.ts drives. Each function has the pure-TS twin's signature (twin.ts).
// Rows whose sums are too far from 1 for the kernels' scaling (outside 2^±960, or
// a clip bound eps·Σq that underflows) are computed by the twin, row by row.
//
// normalize: true never rescales the data. With sp = Σp, sq = Σq and ep, eq their
// binades (exact powers of two), each kernel adds e ln 2 to its logs exactly:
//   H(p/sp)           = -(Σ p log(p / sp)) / sp      (klRows with q = p clipped to [sp, sp]:
//                                                    a one-hot row gives log 1 = 0 exactly)
//   KL(p/sp || q/sq)  = (Σ p log(2^(eq-ep) p / clip(q, eps sq, sq))) / sp + log((sq 2^-eq) / (sp 2^-ep))
//   H(p/sp, q/sq)     = -(Σ p log(2^-eq clip(q, eps sq, sq))) / sp + log(sq 2^-eq)
//   JS                = the kernel scales p by 1/(2 sp) and q by 1/(2 sq) (M depends on both)
// leaving no large logarithm to cancel.
import type { RowsFn } from "./twin.js";
import type { Engine } from "./api.js";
import { entropyRowsRef, klRowsRef, crossEntropyRowsRef, jensenShannonRowsRef } from "./twin.js";
import { runRows, rowSums, normalizable, binade, unscale, PLAIN, MIN_NORMAL_F64, type KernelName } from "../core/wasm.js";
import { type Vector, type Parsed, throwFirstBad, checkSums } from "../core/validate.js";

/** Row r alone of a row-major matrix (inputs are typed arrays by now: vector()). */
export const row = (x: Vector, r: number, cols: number) => (x as Float64Array).subarray(r * cols, (r + 1) * cols);

/** Recomputes the rows marked in `twin` with the pure-TS twin (values and sums are already checked). */
export function twinRows(ref: RowsFn, fn: string, p: Vector, q: Vector | undefined, cols: number, o: Parsed,
                  out: Float64Array, twin: Uint8Array): void {
  const one = new Float64Array(1);
  for (let r = 0; r < twin.length; r++) {
    if (!twin[r]) continue;
    ref(fn, row(p, r, cols), q === undefined ? undefined : row(q, r, cols), 1, cols, o, one);
    out[r] = one[0];
  }
}

/** normalize: true: every row's sum of p (and q), values then sums checked in the shared order. */
export function sumsOf(fn: string, p: Vector, q: Vector | undefined, rows: number, cols: number, report: () => void) {
  const sp = rowSums(fn, p, rows, cols, report);
  const sq = q === undefined ? undefined : rowSums(fn, q, rows, cols, report);
  checkSums(fn, sp, sq);
  return { sp, sq };
}

const entropyRowsWasm: RowsFn = (fn, p, q, rows, cols, o, out, sums) => {
  const report = () => throwFirstBad(fn, p);
  if (o.normalize !== true) {
    runRows(fn, "entropyRows", p, undefined, rows, cols, PLAIN, out, report, sums);
    for (let r = 0; r < rows; r++) out[r] = 0 - out[r]; // 0 - x: no -0 for an all-zero row
    return;
  }
  const { sp } = sumsOf(fn, p, undefined, rows, cols, report);
  const params = new Float64Array(rows * 4), twin = new Uint8Array(rows);
  for (let r = 0; r < rows; r++) {
    twin[r] = normalizable(sp[r]) ? 0 : 1;
    const s = twin[r] ? 1 : sp[r];
    params.set([s, s, 0, 0], r * 4);
  }
  // float32 rows in float64: log(p / sp) of a near-one-hot row is near 0, where float32's
  // log would leave an absolute error of 1e-8 that the twin does not have
  runRows(fn, "klRows", p, p, rows, cols, { ...PLAIN, params, clips: true, wide: true }, out, report);
  for (let r = 0; r < rows; r++) out[r] = Math.max(0, -out[r] / sp[r]);
  twinRows(entropyRowsRef, fn, p, undefined, cols, o, out, twin);
};

/** KL or cross-entropy rows over a KIND_KL / KIND_CE kernel (the divergence module has its own KL export; wide:
 *  float32 input computed in float64, as that module does). */
export function divergence(kernel: KernelName, ref: RowsFn, cross: boolean, wide = false): RowsFn {
  return (fn, p, q, rows, cols, o, out, sums) => {
    const report = () => throwFirstBad(fn, p, q);
    if (o.normalize !== true) {
      runRows(fn, kernel, p, q, rows, cols, { lo: o.eps, hi: 1, a: 0, b: 0, clips: true, wide }, out, report, sums);
      if (cross) for (let r = 0; r < rows; r++) out[r] = 0 - out[r]; // no -0
      return;
    }
    const { sp, sq } = sumsOf(fn, p, q, rows, cols, report);
    const params = new Float64Array(rows * 4), twin = new Uint8Array(rows);
    for (let r = 0; r < rows; r++) {
      const lo = o.eps * sq![r];
      twin[r] = !normalizable(sp[r]) || !normalizable(sq![r]) || (o.eps > 0 && lo < MIN_NORMAL_F64) ? 1 : 0;
      if (twin[r]) params.set([1, 1, 0, 0], r * 4);
      else params.set([lo, sq![r], cross ? -binade(sq![r]) : binade(sq![r]) - binade(sp[r]), 0], r * 4);
    }
    runRows(fn, kernel, p, q, rows, cols, { lo: 0, hi: 1, a: 0, b: 0, params, clips: true, wide }, out, report);
    for (let r = 0; r < rows; r++) {
      const uq = unscale(sq![r], binade(sq![r])), up = unscale(sp[r], binade(sp[r]));
      out[r] = cross ? -out[r] / sp[r] + Math.log(uq) : out[r] / sp[r] + Math.log(uq / up);
    }
    twinRows(ref, fn, p, q, cols, o, out, twin);
  };
}

const klRowsWasm: RowsFn = divergence("klRows", klRowsRef, false);
const crossEntropyRowsWasm: RowsFn = divergence("crossEntropyRows", crossEntropyRowsRef, true);

/** Where 1 / sum would lose precision (or leave float32's range), a row runs the twin. */
export const inRange = (s: number) => s >= 1e-30 && s <= 1e30;

const jensenShannonRowsWasm: RowsFn = (fn, p, q, rows, cols, o, out, sums) => {
  // unequal weights: the twin's weighted terms (the kernel's scaled form would subtract O(1) constants again)
  if (o.weights !== undefined && (o.weights[0] !== 0.5 || o.weights[1] !== 0.5)) return jensenShannonRowsRef(fn, p, q, rows, cols, o, out, sums);
  const report = () => throwFirstBad(fn, p, q);
  let params: Float64Array | undefined, twin: Uint8Array | undefined;
  if (o.normalize === true) {
    const { sp, sq } = sumsOf(fn, p, q, rows, cols, report);
    params = new Float64Array(rows * 4);
    twin = new Uint8Array(rows);
    for (let r = 0; r < rows; r++) {
      twin[r] = inRange(sp[r]) && inRange(sq![r]) ? 0 : 1;
      params.set(twin[r] ? [0, 0, 0.5, 0.5] : [0, 0, 0.5 / sp[r], 0.5 / sq![r]], r * 4);
    }
  }
  // p and q scaled by 1/2 (and 1/sum): m scales alike, so each term comes out halved,
  // and a sum of terms near the top of the range does not overflow where its half does not
  runRows(fn, "jensenShannonRows", p, q, rows, cols, { lo: 0, hi: 0, a: 0.5, b: 0.5, params }, out, report, sums);
  if (twin !== undefined) twinRows(jensenShannonRowsRef, fn, p, q, cols, o, out, twin);
};

/** The WebAssembly engine of the discrete measures. */
export const wasmEngine: Engine = {
  entropy: entropyRowsWasm, kl: klRowsWasm, crossEntropy: crossEntropyRowsWasm, jensenShannon: jensenShannonRowsWasm,
};
