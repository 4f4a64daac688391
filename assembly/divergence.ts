// Divergence family: Kullback-Leibler and cross-entropy against q clipped to [lo, hi].
//   klRows:           out[r] = sum p log(p / clip(q, lo, hi))  over p > 0
//   crossEntropyRows: out[r] = sum p log(clip(q, lo, hi))      over p > 0 (the facade negates)
import { rowsOf, KIND_KL, KIND_CE } from "./span";

export function klRows(p: usize, q: usize, rows: i32, cols: i32, lo: f64, hi: f64, a: f64, b: f64,
                       mode: i32, params: usize, out: usize): i32 {
  return rowsOf(KIND_KL, mode, p, q, rows, cols, lo, hi, a, b, params, out);
}

export function crossEntropyRows(p: usize, q: usize, rows: i32, cols: i32, lo: f64, hi: f64, a: f64, b: f64,
                                 mode: i32, params: usize, out: usize): i32 {
  return rowsOf(KIND_CE, mode, p, q, rows, cols, lo, hi, a, b, params, out);
}
