// KL divergence and cross-entropy on WebAssembly, q clipped to [eps, 1] where p > 0.
// normalize: with sp = sum p, sq = sum q, clip(q / sq, eps, 1) = clip(q, eps sq, sq) / sq,
// so the kernels never rescale the data. With ep, eq the sums' binades, the kernel
// adds (eq - ep) ln 2 (KL) or -eq ln 2 (cross-entropy) to each log exactly, and
//   KL(p/sp || q/sq) = (sum p log(2^(eq-ep) p / clip(q, eps sq, sq))) / sp + log((sq 2^-eq) / (sp 2^-ep))
//   H(p/sp, q/sq)    = -(sum p log(2^-eq clip(q, eps sq, sq))) / sp + log(sq 2^-eq)
// leaving no large logarithm to cancel. Where eps sq underflows the clip bound is no
// longer exact, and, like sums that are not normalizable(), the pure-TS twin runs instead.
import type { RowsFn } from "./ref.js";
import { klRowsRef, crossEntropyRowsRef } from "./ref.js";
import { runRows, rowSums, normalizable, binade, unscale, MIN_NORMAL_F64, type KernelName } from "./wasm.js";
import { throwFirstBad } from "./validate.js";

function divergence(kernel: KernelName, ref: RowsFn, cross: boolean): RowsFn {
  return (fn, p, q, rows, cols, o, out) => {
    const report = () => throwFirstBad(fn, p, q);
    if (!o.normalize) {
      runRows(fn, kernel, p, q, rows, cols, { lo: o.eps, hi: 1, a: 0, b: 0, clips: true }, out, report);
      if (cross) for (let r = 0; r < rows; r++) out[r] = 0 - out[r]; // no -0
      return;
    }
    const sp = rowSums(fn, "p", p, rows, cols, report);
    const sq = rowSums(fn, "q", q!, rows, cols, report);
    const params = new Float64Array(rows * 4);
    for (let r = 0; r < rows; r++) {
      const lo = o.eps * sq[r];
      if (!normalizable(sp[r]) || !normalizable(sq[r]) || (o.eps > 0 && lo < MIN_NORMAL_F64)) return ref(fn, p, q, rows, cols, o, out);
      params.set([lo, sq[r], cross ? -binade(sq[r]) : binade(sq[r]) - binade(sp[r]), 0], r * 4);
    }
    runRows(fn, kernel, p, q, rows, cols, { lo: 0, hi: 1, a: 0, b: 0, params, clips: true }, out, report);
    for (let r = 0; r < rows; r++) {
      const uq = unscale(sq[r], binade(sq[r])), up = unscale(sp[r], binade(sp[r]));
      out[r] = cross ? -out[r] / sp[r] + Math.log(uq) : out[r] / sp[r] + Math.log(uq / up);
    }
  };
}

export const klRowsWasm: RowsFn = divergence("klRows", klRowsRef, false);
export const crossEntropyRowsWasm: RowsFn = divergence("crossEntropyRows", crossEntropyRowsRef, true);

/** Densities on a grid, both clipped below at the floor o.eps (no upper clip, no normalize). */
export const klDensityRowsWasm: RowsFn = (fn, p, q, rows, cols, o, out) => {
  runRows(fn, "klDensityRows", p, q, rows, cols, { lo: o.eps, hi: Infinity, a: 0, b: o.eps, clips: true }, out,
    () => throwFirstBad(fn, p, q));
};
