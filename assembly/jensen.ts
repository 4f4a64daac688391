// Jensen-Shannon family: out[r] = sum p' log(p'/m) + q' log(q'/m), with p' = a p,
// q' = b q and m = (p' + q') / 2 (the facade halves it; a, b normalise rows).
import { rowsOf, KIND_JS } from "./span";

export function jensenShannonRows(p: usize, q: usize, rows: i32, cols: i32, lo: f64, hi: f64, a: f64, b: f64,
                                  mode: i32, params: usize, out: usize): i32 {
  return rowsOf(KIND_JS, mode, p, q, rows, cols, lo, hi, a, b, params, out);
}
