// Pairwise kernels (kl-wasm/pairwise): tiles of cells of rows of A against rows of B, both row-major
// with a padded row stride kp (a multiple of 4 elements; pads and pad rows hold zeros), driven by
// src/pairwise/wasm.ts, which stages the per-row transforms once per call:
//   pairDot64       Σ_k a_ik b_jk              (KL / cross-entropy: a = p, b = log clip(q, eps, 1))
//   pairMlogm64/32  Σ_k m log m, m = (a + b)/2 (Jensen–Shannon's one log per pair-element; the f32 form
//                                               sums f32x4 terms over blocks of 8 steps, then in f64)
//   pairSq64        Σ_k (a − b)², or Σ (a − b)²/2 term by term (half = 1: the twin's rounding)  (a = √p)
//   pairAbs64       Σ_k |a − b|                (total variation, a = p/2)
//   pairDirect      one cell with the discrete family's span kernels (assembly/core/span.ts), the fast
//                   mode then the exact one as src/core/wasm.ts runRows does: cells the cancellation guard
//                   refines, and rows with values the product / one-log forms cannot take.
// Every tile kernel computes ni × nj cells, ni a multiple of 4 (2 for the log kernels), nj of 2, from
// a (row i0 of A) and b (row j0 of B), into out[i * os + j] (float64).
export { heapBase } from "./core/heap";
import { log64, log32, MIN_NORMAL_F64, MIN_NORMAL_F32 } from "./core/vecmath";
import { rowsOf, KIND_KL, KIND_CE, KIND_JS, MODE_F64, MODE_F64_EXACT, FLAG_TINY, FLAG_LOW } from "./core/span";

// @ts-ignore: decorator
@inline function hsum(v: v128): f64 {
  return f64x2.extract_lane(v, 0) + f64x2.extract_lane(v, 1);
}

/** Σ_k a_ik b_jk over 4 × 2 micro-tiles of f64x2 accumulators (8 accumulators, 6 loads a step). */
export function pairDot64(a: usize, b: usize, kp: i32, ni: i32, nj: i32, out: usize, os: i32): void {
  const rb = <usize>kp << 3, kb = <usize>kp << 3;
  for (let i = 0; i < ni; i += 4) {
    const a0 = a + <usize>i * rb, a1 = a0 + rb, a2 = a1 + rb, a3 = a2 + rb;
    const o = out + ((<usize>i * <usize>os) << 3), or = <usize>os << 3;
    for (let j = 0; j < nj; j += 2) {
      const b0 = b + <usize>j * rb, b1 = b0 + rb;
      let c00 = f64x2.splat(0.0), c01 = f64x2.splat(0.0), c10 = f64x2.splat(0.0), c11 = f64x2.splat(0.0);
      let c20 = f64x2.splat(0.0), c21 = f64x2.splat(0.0), c30 = f64x2.splat(0.0), c31 = f64x2.splat(0.0);
      for (let k: usize = 0; k < kb; k += 16) {
        const y0 = v128.load(b0 + k), y1 = v128.load(b1 + k);
        const x0 = v128.load(a0 + k), x1 = v128.load(a1 + k);
        c00 = f64x2.add(c00, f64x2.mul(x0, y0)); c01 = f64x2.add(c01, f64x2.mul(x0, y1));
        c10 = f64x2.add(c10, f64x2.mul(x1, y0)); c11 = f64x2.add(c11, f64x2.mul(x1, y1));
        const x2 = v128.load(a2 + k), x3 = v128.load(a3 + k);
        c20 = f64x2.add(c20, f64x2.mul(x2, y0)); c21 = f64x2.add(c21, f64x2.mul(x2, y1));
        c30 = f64x2.add(c30, f64x2.mul(x3, y0)); c31 = f64x2.add(c31, f64x2.mul(x3, y1));
      }
      const oj = o + (<usize>j << 3);
      store<f64>(oj, hsum(c00)); store<f64>(oj, hsum(c01), 8);
      store<f64>(oj + or, hsum(c10)); store<f64>(oj + or, hsum(c11), 8);
      store<f64>(oj + 2 * or, hsum(c20)); store<f64>(oj + 2 * or, hsum(c21), 8);
      store<f64>(oj + 3 * or, hsum(c30)); store<f64>(oj + 3 * or, hsum(c31), 8);
    }
  }
}

/** Σ (a − b)² (half = 0) or Σ (a − b)²/2 (half = 1), 4 × 2 micro-tiles. */
export function pairSq64(a: usize, b: usize, kp: i32, ni: i32, nj: i32, out: usize, os: i32, half: i32): void {
  if (half != 0) distance64(a, b, kp, ni, nj, out, os, 1);
  else distance64(a, b, kp, ni, nj, out, os, 0);
}

/** Σ |a − b|, 4 × 2 micro-tiles. */
export function pairAbs64(a: usize, b: usize, kp: i32, ni: i32, nj: i32, out: usize, os: i32): void {
  distance64(a, b, kp, ni, nj, out, os, 2);
}

// @ts-ignore: decorator
@inline function dterm(x: v128, y: v128, form: i32): v128 {
  const d = f64x2.sub(x, y);
  if (form == 2) return f64x2.abs(d);
  const s = f64x2.mul(d, d);
  return form == 1 ? f64x2.mul(s, f64x2.splat(0.5)) : s;
}

// @ts-ignore: decorator
@inline function distance64(a: usize, b: usize, kp: i32, ni: i32, nj: i32, out: usize, os: i32, form: i32): void {
  const rb = <usize>kp << 3, kb = <usize>kp << 3;
  for (let i = 0; i < ni; i += 4) {
    const a0 = a + <usize>i * rb, a1 = a0 + rb, a2 = a1 + rb, a3 = a2 + rb;
    const o = out + ((<usize>i * <usize>os) << 3), or = <usize>os << 3;
    for (let j = 0; j < nj; j += 2) {
      const b0 = b + <usize>j * rb, b1 = b0 + rb;
      let c00 = f64x2.splat(0.0), c01 = f64x2.splat(0.0), c10 = f64x2.splat(0.0), c11 = f64x2.splat(0.0);
      let c20 = f64x2.splat(0.0), c21 = f64x2.splat(0.0), c30 = f64x2.splat(0.0), c31 = f64x2.splat(0.0);
      for (let k: usize = 0; k < kb; k += 16) {
        const y0 = v128.load(b0 + k), y1 = v128.load(b1 + k);
        const x0 = v128.load(a0 + k), x1 = v128.load(a1 + k);
        c00 = f64x2.add(c00, dterm(x0, y0, form)); c01 = f64x2.add(c01, dterm(x0, y1, form));
        c10 = f64x2.add(c10, dterm(x1, y0, form)); c11 = f64x2.add(c11, dterm(x1, y1, form));
        const x2 = v128.load(a2 + k), x3 = v128.load(a3 + k);
        c20 = f64x2.add(c20, dterm(x2, y0, form)); c21 = f64x2.add(c21, dterm(x2, y1, form));
        c30 = f64x2.add(c30, dterm(x3, y0, form)); c31 = f64x2.add(c31, dterm(x3, y1, form));
      }
      const oj = o + (<usize>j << 3);
      store<f64>(oj, hsum(c00)); store<f64>(oj, hsum(c01), 8);
      store<f64>(oj + or, hsum(c10)); store<f64>(oj + or, hsum(c11), 8);
      store<f64>(oj + 2 * or, hsum(c20)); store<f64>(oj + 2 * or, hsum(c21), 8);
      store<f64>(oj + 3 * or, hsum(c30)); store<f64>(oj + 3 * or, hsum(c31), 8);
    }
  }
}

// @ts-ignore: decorator
@inline function mlogm64(x: v128, y: v128): v128 {
  // m = (x + y) / 2; m = 0 (both 0) gives 0 · log(tiny) = 0
  const m = f64x2.mul(f64x2.add(x, y), f64x2.splat(0.5));
  const zero = f64x2.splat(0.0);
  return f64x2.mul(m, log64(f64x2.pmax(m, f64x2.splat(MIN_NORMAL_F64)), zero, false));
}

/** Σ m log m, m = (a + b)/2, 2 × 2 micro-tiles of f64x2 (a, b >= 2^-1000 where positive: the caller checks). */
export function pairMlogm64(a: usize, b: usize, kp: i32, ni: i32, nj: i32, out: usize, os: i32): void {
  const rb = <usize>kp << 3, kb = <usize>kp << 3;
  for (let i = 0; i < ni; i += 2) {
    const a0 = a + <usize>i * rb, a1 = a0 + rb;
    const o = out + ((<usize>i * <usize>os) << 3), or = <usize>os << 3;
    for (let j = 0; j < nj; j += 2) {
      const b0 = b + <usize>j * rb, b1 = b0 + rb;
      let c00 = f64x2.splat(0.0), c01 = f64x2.splat(0.0), c10 = f64x2.splat(0.0), c11 = f64x2.splat(0.0);
      for (let k: usize = 0; k < kb; k += 16) {
        const x0 = v128.load(a0 + k), x1 = v128.load(a1 + k);
        const y0 = v128.load(b0 + k), y1 = v128.load(b1 + k);
        c00 = f64x2.add(c00, mlogm64(x0, y0)); c01 = f64x2.add(c01, mlogm64(x0, y1));
        c10 = f64x2.add(c10, mlogm64(x1, y0)); c11 = f64x2.add(c11, mlogm64(x1, y1));
      }
      const oj = o + (<usize>j << 3);
      store<f64>(oj, hsum(c00)); store<f64>(oj, hsum(c01), 8);
      store<f64>(oj + or, hsum(c10)); store<f64>(oj + or, hsum(c11), 8);
    }
  }
}

// @ts-ignore: decorator
@inline function mlogm32(x: v128, y: v128): v128 {
  const m = f32x4.mul(f32x4.add(x, y), f32x4.splat(0.5));
  const zero = f32x4.splat(0.0);
  return f32x4.mul(m, log32(f32x4.pmax(m, f32x4.splat(MIN_NORMAL_F32)), zero));
}

/** f32x4 → the sum of its halves in f64x2 (exact conversions, one rounding). */
// @ts-ignore: decorator
@inline function widen(v: v128): v128 {
  return f64x2.add(f64x2.promote_low_f32x4(v), f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 2, 3)));
}

/** Steps of 4 float32 per f32x4 block sum before it is widened into the float64 sums. */
const BLOCK32: usize = 8;

/** Σ m log m over float32 rows (kp a multiple of 4; a, b in [2^-120, 2^100] where positive: the caller
 *  checks), 2 × 2 micro-tiles; each f32x4 accumulator sums at most BLOCK32 steps, then widens into f64. */
export function pairMlogm32(a: usize, b: usize, kp: i32, ni: i32, nj: i32, out: usize, os: i32): void {
  const rb = <usize>kp << 2, kb = <usize>kp << 2, blk = BLOCK32 << 4;
  for (let i = 0; i < ni; i += 2) {
    const a0 = a + <usize>i * rb, a1 = a0 + rb;
    const o = out + ((<usize>i * <usize>os) << 3), or = <usize>os << 3;
    for (let j = 0; j < nj; j += 2) {
      const b0 = b + <usize>j * rb, b1 = b0 + rb;
      let d00 = f64x2.splat(0.0), d01 = f64x2.splat(0.0), d10 = f64x2.splat(0.0), d11 = f64x2.splat(0.0);
      for (let k0: usize = 0; k0 < kb; k0 += blk) {
        const ke = k0 + blk < kb ? k0 + blk : kb;
        let c00 = f32x4.splat(0.0), c01 = f32x4.splat(0.0), c10 = f32x4.splat(0.0), c11 = f32x4.splat(0.0);
        for (let k = k0; k < ke; k += 16) {
          const x0 = v128.load(a0 + k), x1 = v128.load(a1 + k);
          const y0 = v128.load(b0 + k), y1 = v128.load(b1 + k);
          c00 = f32x4.add(c00, mlogm32(x0, y0)); c01 = f32x4.add(c01, mlogm32(x0, y1));
          c10 = f32x4.add(c10, mlogm32(x1, y0)); c11 = f32x4.add(c11, mlogm32(x1, y1));
        }
        d00 = f64x2.add(d00, widen(c00)); d01 = f64x2.add(d01, widen(c01));
        d10 = f64x2.add(d10, widen(c10)); d11 = f64x2.add(d11, widen(c11));
      }
      const oj = o + (<usize>j << 3);
      store<f64>(oj, hsum(d00)); store<f64>(oj, hsum(d01), 8);
      store<f64>(oj + or, hsum(d10)); store<f64>(oj + or, hsum(d11), 8);
    }
  }
}

// ---------------------------------------------------------------- direct cells
const CELL: usize = memory.data(16, 16);
/** The smallest lower clip the fast mode takes (src/core/wasm.ts FAST_LO_F64). */
const FAST_LO: f64 = 4.450147717014403e-308;
const PAIR_KL: i32 = 0;
const PAIR_CE: i32 = 1;
const PAIR_JS: i32 = 2;

/** One raw cell of float64 rows p, q (cols values each) with the span kernels, as the discrete functions
 *  compute it: kind 0 KL (Σ p log(p / clip(q, eps, 1))), 1 cross-entropy (−Σ p log clip(q, eps, 1)),
 *  2 Jensen–Shannon (½ Σ p log(2p/(p+q)) + ½ Σ q log(2q/(p+q))). The fast mode first (a lower clip
 *  below what it takes raised to it), the exact mode where it flags values it cannot take. */
export function pairDirect(kind: i32, p: usize, q: usize, cols: i32, eps: f64): f64 {
  if (kind == PAIR_JS) {
    const f = rowsOf(KIND_JS, MODE_F64, p, q, 1, cols, 0.0, 0.0, 0.5, 0.5, 0, CELL, 0);
    if (f & FLAG_TINY) rowsOf(KIND_JS, MODE_F64_EXACT, p, q, 1, cols, 0.0, 0.0, 0.5, 0.5, 0, CELL, 0);
    return load<f64>(CELL);
  }
  const raised = eps < FAST_LO, lo = raised ? FAST_LO : eps;
  if (kind == PAIR_KL) {
    const f = rowsOf(KIND_KL, MODE_F64, p, q, 1, cols, lo, 1.0, 0.0, 0.0, 0, CELL, 0);
    if ((f & FLAG_TINY) || (raised && (f & FLAG_LOW))) rowsOf(KIND_KL, MODE_F64_EXACT, p, q, 1, cols, eps, 1.0, 0.0, 0.0, 0, CELL, 0);
    return load<f64>(CELL);
  }
  const f = rowsOf(KIND_CE, MODE_F64, p, q, 1, cols, lo, 1.0, 0.0, 0.0, 0, CELL, 0);
  if ((f & FLAG_TINY) || (raised && (f & FLAG_LOW))) rowsOf(KIND_CE, MODE_F64_EXACT, p, q, 1, cols, eps, 1.0, 0.0, 0.0, 0, CELL, 0);
  return 0.0 - load<f64>(CELL);
}
