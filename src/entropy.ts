// Entropy on WebAssembly: H(P) = -sum p log p over p > 0.
// normalize: H(p / s) = -(sum p log p) / s + log s, with s = sum p.
import type { RowsFn } from "./ref.js";
import { entropyRowsRef } from "./ref.js";
import { runRows, rowSums, preferReference, PLAIN } from "./wasm.js";
import { throwFirstBad } from "./validate.js";

export const entropyRowsWasm: RowsFn = (fn, p, q, rows, cols, o) => {
  if (preferReference(rows * cols, p)) return entropyRowsRef(fn, p, q, rows, cols, o);
  const report = () => throwFirstBad(fn, p);
  const s = o.normalize ? rowSums(fn, "p", p, rows, cols, report) : undefined;
  const out = runRows(fn, "entropyRows", p, undefined, rows, cols, PLAIN, report);
  for (let r = 0; r < rows; r++) out[r] = s === undefined ? -out[r] : -out[r] / s[r] + Math.log(s[r]);
  return out;
};
