// The discrete module: the vector-sum kernels, every measure that is one pass of a
// per-element term over rows (assembly/core/span.ts runs the loop; each kernel names
// its KIND). kl-wasm/mutual uses sumRows and klRows too; fit.ts has klDensityRows. Every kernel has one signature:
//   (p, q, rows, cols, lo, hi, a, b, mode, params, out) -> flags
// p, q: byte offsets of row-major inputs (q unused by one-input kernels);
// lo, hi: clip bounds for q; a, b: for Jensen-Shannon the scale factors of p and q,
// for entropy, KL and cross-entropy a is an integer e that adds e ln 2 to every log
// (exactly, through the exponent: normalize uses it);
// mode: input precision and fast/exact log (span.ts); params: 0, or per-row
// (lo, hi, a, b) as 4 f64s a row; out: one f64 per row; sums: 0, or per row the sums of
// p and of q as read (2 f64s a row), for the check that rows sum to 1.
import { rowsOf, KIND_SUM, KIND_ENT, KIND_KL, KIND_CE, KIND_JS } from "./core/span";

/** out[r] = sum of row r, validated (float32 input summed in f64): normalize's sums. */
export function sumRows(p: usize, q: usize, rows: i32, cols: i32, lo: f64, hi: f64, a: f64, b: f64,
                        mode: i32, params: usize, out: usize, sums: usize): i32 {
  return rowsOf(KIND_SUM, mode, p, q, rows, cols, lo, hi, a, b, params, out, sums);
}

/** out[r] = sum p log p over row r (the facade negates). */
export function entropyRows(p: usize, q: usize, rows: i32, cols: i32, lo: f64, hi: f64, a: f64, b: f64,
                            mode: i32, params: usize, out: usize, sums: usize): i32 {
  return rowsOf(KIND_ENT, mode, p, q, rows, cols, lo, hi, a, b, params, out, sums);
}

/** out[r] = sum p log(p / clip(q, lo, hi)) over p > 0. */
export function klRows(p: usize, q: usize, rows: i32, cols: i32, lo: f64, hi: f64, a: f64, b: f64,
                       mode: i32, params: usize, out: usize, sums: usize): i32 {
  return rowsOf(KIND_KL, mode, p, q, rows, cols, lo, hi, a, b, params, out, sums);
}

/** out[r] = sum p log(clip(q, lo, hi)) over p > 0 (the facade negates). */
export function crossEntropyRows(p: usize, q: usize, rows: i32, cols: i32, lo: f64, hi: f64, a: f64, b: f64,
                                 mode: i32, params: usize, out: usize, sums: usize): i32 {
  return rowsOf(KIND_CE, mode, p, q, rows, cols, lo, hi, a, b, params, out, sums);
}

/** out[r] = sum p' log(p'/m) + q' log(q'/m), p' = a p, q' = b q, m = (p' + q') / 2 (a = b = 1/2 gives JS itself). */
export function jensenShannonRows(p: usize, q: usize, rows: i32, cols: i32, lo: f64, hi: f64, a: f64, b: f64,
                                  mode: i32, params: usize, out: usize, sums: usize): i32 {
  return rowsOf(KIND_JS, mode, p, q, rows, cols, lo, hi, a, b, params, out, sums);
}


export { heapBase } from "./core/heap";
