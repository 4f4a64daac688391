// Jensen-Shannon divergence on WebAssembly: (KL(P || M) + KL(Q || M)) / 2, M = (P + Q) / 2.
// normalize scales p and q by 1 / sum inside the kernel (M depends on both, so
// the sums do not factor out as they do for KL). Sums outside [1e-30, 1e30], where
// 1 / sum would lose precision (or leave float32's range), run the pure-TS twin.
import type { RowsFn } from "./ref.js";
import { jensenShannonRowsRef } from "./ref.js";
import { runRows, rowSums } from "./wasm.js";
import { throwFirstBad } from "./validate.js";

const inRange = (s: number) => s >= 1e-30 && s <= 1e30;

export const jensenShannonRowsWasm: RowsFn = (fn, p, q, rows, cols, o, out) => {
  const report = () => throwFirstBad(fn, p, q);
  let params: Float64Array | undefined;
  if (o.normalize) {
    const sp = rowSums(fn, "p", p, rows, cols, report);
    const sq = rowSums(fn, "q", q!, rows, cols, report);
    params = new Float64Array(rows * 4);
    for (let r = 0; r < rows; r++) {
      if (!inRange(sp[r]) || !inRange(sq[r])) return jensenShannonRowsRef(fn, p, q, rows, cols, o, out);
      params.set([0, 0, 1 / sp[r], 1 / sq[r]], r * 4);
    }
  }
  runRows(fn, "jensenShannonRows", p, q, rows, cols, { lo: 0, hi: 0, a: 1, b: 1, params }, out, report);
  for (let r = 0; r < rows; r++) out[r] /= 2;
};
