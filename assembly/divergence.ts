// The divergence module (kl-wasm/divergences): the span kernels of the divergence family, one
// export per KIND of assembly/core/span.ts (the loop, checks, blocked summation and flags every
// discrete measure shares), with the discrete kernels' signature:
//   (p, q, rows, cols, lo, hi, a, b, mode, params, out, sums) -> flags
// x = a p, y = b q (a, b: 1 / the row sums when normalising, else 1); the Rényi/Tsallis kinds
// take b = α − 1, a = Σq / Σp (divergence) and clip q to [lo, hi] (lo = hi = Σp for entropies,
// whose q is p). Names are prefixed: every module's exports share one object.
// q = 0 (no q): the entropies' one-input kinds, which read p alone (q is p, c = lo = hi); the direct form's b = ±½
// (the scalar b: every row's) by square roots. The order-α kinds' fast mode is divergence/order.ts's (two passes over
// each block: a log pass, then an exp pass; the same bits as span.ts's one loop), their exact mode span.ts's.
import {
  rowsOf, KIND_KL, KIND_POW, KIND_POWD, KIND_POW2, KIND_POWD2, KIND_HEL, KIND_TV, KIND_CHI, KIND_JEF, KIND_BC,
  KIND_EPOW, KIND_EPOWD, KIND_EPOW2, KIND_EPOWD2, KIND_HELM, KIND_EROOT, KIND_EROOTN,
} from "./core/span";
import { orderRows } from "./divergence/order";

/** out[r] = Σ p log(p / clip(q, lo, hi)) over p > 0: the discrete module's klRows, for the Rényi order 1 (KL with
 *  hi = +Inf, and the entropy with q = p clipped to [Σp, Σp]) without the discrete module. */
export function divKlRows(p: usize, q: usize, rows: i32, cols: i32, lo: f64, hi: f64, a: f64, b: f64,
                          mode: i32, params: usize, out: usize, sums: usize): i32 {
  return rowsOf(KIND_KL, mode, p, q, rows, cols, lo, hi, a, b, params, out, sums);
}

/** out[r] = Σ p expm1(b log(a p / clip(q, lo, hi))) over p > 0. */
export function divPowRows(p: usize, q: usize, rows: i32, cols: i32, lo: f64, hi: f64, a: f64, b: f64,
                           mode: i32, params: usize, out: usize, sums: usize): i32 {
  if (q == 0) return orderRows(KIND_EPOW, mode, p, q, rows, cols, lo, hi, a, b, params, out, sums);
  return orderRows(KIND_POW, mode, p, q, rows, cols, lo, hi, a, b, params, out, sums);
}

/** out[r] = Σ p exp(b log(a p / clip(q, lo, hi))) over p > 0 (+Inf where an exponent leaves exp's range); one input
 *  with b = ±½: Σ p √(a p / c), Σ √(c p / a). */
export function divPowDirectRows(p: usize, q: usize, rows: i32, cols: i32, lo: f64, hi: f64, a: f64, b: f64,
                                 mode: i32, params: usize, out: usize, sums: usize): i32 {
  if (q == 0 && b == 0.5) return rowsOf(KIND_EROOT, mode, p, q, rows, cols, lo, hi, a, b, params, out, sums);
  if (q == 0 && b == -0.5) return rowsOf(KIND_EROOTN, mode, p, q, rows, cols, lo, hi, a, b, params, out, sums);
  if (q == 0) return orderRows(KIND_EPOWD, mode, p, q, rows, cols, lo, hi, a, b, params, out, sums);
  return orderRows(KIND_POWD, mode, p, q, rows, cols, lo, hi, a, b, params, out, sums);
}

/** divPowRows for b = 1 (the order 2): out[r] = Σ p (a p − c) / c, c = clip(q, lo, hi). */
export function divPow2Rows(p: usize, q: usize, rows: i32, cols: i32, lo: f64, hi: f64, a: f64, b: f64,
                            mode: i32, params: usize, out: usize, sums: usize): i32 {
  if (q == 0) return rowsOf(KIND_EPOW2, mode, p, q, rows, cols, lo, hi, a, b, params, out, sums);
  return rowsOf(KIND_POW2, mode, p, q, rows, cols, lo, hi, a, b, params, out, sums);
}

/** divPowDirectRows for b = 1: out[r] = Σ p (a p / c) (one input: Σ p p (a / c)). */
export function divPowDirect2Rows(p: usize, q: usize, rows: i32, cols: i32, lo: f64, hi: f64, a: f64, b: f64,
                                  mode: i32, params: usize, out: usize, sums: usize): i32 {
  if (q == 0) return rowsOf(KIND_EPOWD2, mode, p, q, rows, cols, lo, hi, a, b, params, out, sums);
  return rowsOf(KIND_POWD2, mode, p, q, rows, cols, lo, hi, a, b, params, out, sums);
}

/** out[r] = ½ Σ (√(a p) − √(b q))². lo ≠ 0 (scalar, no params): the sums of p and q within u W + ½ ulp (pairs
 *  rounded once, then added by TwoSum). */
export function divHellingerRows(p: usize, q: usize, rows: i32, cols: i32, lo: f64, hi: f64, a: f64, b: f64,
                                 mode: i32, params: usize, out: usize, sums: usize): i32 {
  if (lo != 0.0) return rowsOf(KIND_HELM, mode, p, q, rows, cols, lo, hi, a, b, params, out, sums);
  return rowsOf(KIND_HEL, mode, p, q, rows, cols, lo, hi, a, b, params, out, sums);
}

/** out[r] = Σ |a p − b q|. */
export function divTotalVariationRows(p: usize, q: usize, rows: i32, cols: i32, lo: f64, hi: f64, a: f64, b: f64,
                                      mode: i32, params: usize, out: usize, sums: usize): i32 {
  return rowsOf(KIND_TV, mode, p, q, rows, cols, lo, hi, a, b, params, out, sums);
}

/** out[r] = Σ (a p − b q)² / (b q). */
export function divChiSquareRows(p: usize, q: usize, rows: i32, cols: i32, lo: f64, hi: f64, a: f64, b: f64,
                                 mode: i32, params: usize, out: usize, sums: usize): i32 {
  return rowsOf(KIND_CHI, mode, p, q, rows, cols, lo, hi, a, b, params, out, sums);
}

/** out[r] = Σ (a p − b q) log(a p / (b q)). */
export function divJeffreysRows(p: usize, q: usize, rows: i32, cols: i32, lo: f64, hi: f64, a: f64, b: f64,
                                mode: i32, params: usize, out: usize, sums: usize): i32 {
  return rowsOf(KIND_JEF, mode, p, q, rows, cols, lo, hi, a, b, params, out, sums);
}

/** out[r] = Σ √(a p) √(b q). */
export function divBhattacharyyaRows(p: usize, q: usize, rows: i32, cols: i32, lo: f64, hi: f64, a: f64, b: f64,
                                     mode: i32, params: usize, out: usize, sums: usize): i32 {
  return rowsOf(KIND_BC, mode, p, q, rows, cols, lo, hi, a, b, params, out, sums);
}

// normalize's row sums, the discrete module's own kernel (one code): kl-wasm/divergences need not embed discrete.wasm
export { sumRows } from "./discrete";
export { heapBase } from "./core/heap";
