// Jensen-Shannon divergence on WebAssembly: (KL(P || M) + KL(Q || M)) / 2, M = (P + Q) / 2.
// normalize scales p and q by 1 / sum inside the kernel (M depends on both, so
// the sums do not factor out as they do for KL).
import type { RowsFn } from "./ref.js";
import { jensenShannonRowsRef } from "./ref.js";
import { runRows, rowSums, preferReference, PLAIN } from "./wasm.js";
import { throwFirstBad } from "./validate.js";

export const jensenShannonRowsWasm: RowsFn = (fn, p, q, rows, cols, o) => {
  if (preferReference(rows * cols, p, q)) return jensenShannonRowsRef(fn, p, q, rows, cols, o);
  const report = () => throwFirstBad(fn, p, q);
  let args = PLAIN;
  if (o.normalize) {
    const sp = rowSums(fn, "p", p, rows, cols, report);
    const sq = rowSums(fn, "q", q!, rows, cols, report);
    const params = new Float64Array(rows * 4);
    for (let r = 0; r < rows; r++) params.set([0, 0, 1 / sp[r], 1 / sq[r]], r * 4);
    args = { ...PLAIN, params };
  }
  const out = runRows(fn, "jensenShannonRows", p, q, rows, cols, args, report);
  for (let r = 0; r < rows; r++) out[r] /= 2;
  return out;
};
