// KL divergence and cross-entropy on WebAssembly, q clipped to [eps, 1] where p > 0.
// normalize: with sp = sum p, sq = sum q, clip(q / sq, eps, 1) = clip(q, eps sq, sq) / sq, so
//   KL(p/sp || q/sq) = (sum p log(p / clip(q, eps sq, sq))) / sp + log(sq / sp)
//   H(p/sp, q/sq)    = -(sum p log clip(q, eps sq, sq)) / sp + log sq
// and the kernels never rescale the data.
import type { RowsFn } from "./ref.js";
import { klRowsRef, crossEntropyRowsRef } from "./ref.js";
import { runRows, rowSums, preferReference, type KernelName } from "./wasm.js";
import { throwFirstBad } from "./validate.js";

function divergence(kernel: KernelName, ref: RowsFn, cross: boolean): RowsFn {
  return (fn, p, q, rows, cols, o) => {
    if (preferReference(rows * cols, p, q)) return ref(fn, p, q, rows, cols, o);
    const report = () => throwFirstBad(fn, p, q);
    if (!o.normalize) {
      const out = runRows(fn, kernel, p, q, rows, cols, { lo: o.eps, hi: 1, a: 1, b: 1, clips: true }, report);
      if (cross) for (let r = 0; r < rows; r++) out[r] = -out[r];
      return out;
    }
    const sp = rowSums(fn, "p", p, rows, cols, report);
    const sq = rowSums(fn, "q", q!, rows, cols, report);
    const params = new Float64Array(rows * 4);
    for (let r = 0; r < rows; r++) params.set([o.eps * sq[r], sq[r], 1, 1], r * 4);
    const out = runRows(fn, kernel, p, q, rows, cols, { lo: 0, hi: 1, a: 1, b: 1, params, clips: true }, report);
    for (let r = 0; r < rows; r++) {
      out[r] = cross ? -out[r] / sp[r] + Math.log(sq[r]) : out[r] / sp[r] + Math.log(sq[r] / sp[r]);
    }
    return out;
  };
}

export const klRowsWasm: RowsFn = divergence("klRows", klRowsRef, false);
export const crossEntropyRowsWasm: RowsFn = divergence("crossEntropyRows", crossEntropyRowsRef, true);
