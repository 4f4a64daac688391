// Validated row sums, for normalize: true. out[r] = sum of row r (float32 input summed in f64).
import { rowsOf, KIND_SUM } from "./span";

export function sumRows(p: usize, q: usize, rows: i32, cols: i32, lo: f64, hi: f64, a: f64, b: f64,
                        mode: i32, params: usize, out: usize): i32 {
  return rowsOf(KIND_SUM, mode, p, q, rows, cols, lo, hi, a, b, params, out);
}
