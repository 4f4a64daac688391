// Entropy on WebAssembly: H(P) = -sum p log p over p > 0.
// normalize: with s = sum p and e its binade, the kernel takes logs of p 2^-e
// (an exact exponent shift), and H(p / s) = -(sum p log(p 2^-e)) / s + log(s 2^-e):
// no large log s is added and cancelled afterwards.
import type { RowsFn } from "./ref.js";
import { entropyRowsRef } from "./ref.js";
import { runRows, rowSums, normalizable, binade, unscale, PLAIN } from "./wasm.js";
import { throwFirstBad } from "./validate.js";

export const entropyRowsWasm: RowsFn = (fn, p, q, rows, cols, o, out) => {
  const report = () => throwFirstBad(fn, p);
  if (!o.normalize) {
    runRows(fn, "entropyRows", p, undefined, rows, cols, PLAIN, out, report);
    for (let r = 0; r < rows; r++) out[r] = 0 - out[r]; // 0 - x: no -0 for an all-zero row
    return;
  }
  const s = rowSums(fn, "p", p, rows, cols, report);
  if (!s.every(normalizable)) return entropyRowsRef(fn, p, q, rows, cols, o, out);
  const params = new Float64Array(rows * 4);
  for (let r = 0; r < rows; r++) params[r * 4 + 2] = -binade(s[r]);
  runRows(fn, "entropyRows", p, undefined, rows, cols, { ...PLAIN, params }, out, report);
  for (let r = 0; r < rows; r++) out[r] = -out[r] / s[r] + Math.log(unscale(s[r], binade(s[r])));
};
