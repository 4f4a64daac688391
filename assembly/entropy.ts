// Entropy family: out[r] = sum over row r of p log p (the facade negates).
import { rowsOf, KIND_ENT } from "./span";

/** Row sums of p log p over `rows` rows of `cols` elements at p; see span.ts for modes and flags. */
export function entropyRows(p: usize, q: usize, rows: i32, cols: i32, lo: f64, hi: f64, a: f64, b: f64,
                            mode: i32, params: usize, out: usize): i32 {
  return rowsOf(KIND_ENT, mode, p, q, rows, cols, lo, hi, a, b, params, out);
}
