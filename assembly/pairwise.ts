// Pairwise kernels (kl-wasm/pairwise): tiles of cells of rows of A against rows of B, both row-major
// with a padded row stride kp (a multiple of 4 elements; pads and pad rows hold zeros), driven by
// src/pairwise/wasm.ts, which stages the per-row transforms once per call:
//   pairDot64       Σ_k a_ik b_jk              (KL / cross-entropy: a = p, b = log clip(q, eps, 1))
//   pairMlogm64     Σ_k s log s, s = a + b    (Jensen–Shannon's one log per pair-element, a table log; its
//                   table written once per call by pairLogTable)
//   pairMlogm32     the same over float32 rows (f32x4 terms summed over blocks of 8 steps, then in f64)
//   pairSq64        Σ_k (a − b)², or Σ (a − b)²/2 term by term (half = 1: the twin's rounding)  (a = √p)
//   pairAbs64       Σ_k |a − b|                (total variation, a = p/2)
//   pairDirect      one cell with the discrete family's span kernels (assembly/core/span.ts), the fast
//                   mode then the exact one as src/core/wasm.ts runRows does: cells the cancellation guard
//                   refines, and rows with values the product / one-log forms cannot take.
// Every tile kernel computes ni × nj cells, ni a multiple of 4 (2 for the log kernels), nj of 2, from
// a (row i0 of A) and b (row j0 of B), into out[i * os + j] (float64).
export { heapBase } from "./core/heap";
import { rowsOf, twoSumErr, exactTotal, KIND_KL, KIND_CE, KIND_JS, MODE_F64, MODE_F64_EXACT, FLAG_TINY, FLAG_LOW } from "./core/span";
import { vc, madd64, madd32, K_HALF64, K_ONE64, K_INF64, logExact64 } from "./core/vecmath";

// @ts-ignore: decorator
@inline function hsum(v: v128): f64 {
  return f64x2.extract_lane(v, 0) + f64x2.extract_lane(v, 1);
}

/** Bytes of a row per block of the sums: each accumulator lane sums at most 64 terms, then the block's total is
 *  added into the cell (so a cell's sum errs by at most about (64 + cols / 128) u Σ |term|). */
const KBLOCK: usize = 1024;

/** Stores (first block) or adds a block's sum into a cell. */
// @ts-ignore: decorator
@inline function put(at: usize, v: v128, first: bool): void {
  store<f64>(at, first ? hsum(v) : load<f64>(at) + hsum(v));
}

/** Σ_k a_ik b_jk over 4 × 2 micro-tiles of f64x2 accumulators (8 accumulators, 6 loads a step). */
export function pairDot64(a: usize, b: usize, kp: i32, ni: i32, nj: i32, out: usize, os: i32): void {
  tiles64(a, b, kp, ni, nj, out, os, 3);
}

/** Σ (a − b)² (half = 0) or Σ (a − b)²/2 (half = 1), 4 × 2 micro-tiles. */
export function pairSq64(a: usize, b: usize, kp: i32, ni: i32, nj: i32, out: usize, os: i32, half: i32): void {
  if (half != 0) tiles64(a, b, kp, ni, nj, out, os, 1);
  else tiles64(a, b, kp, ni, nj, out, os, 0);
}

/** Σ |a − b|, 4 × 2 micro-tiles. */
export function pairAbs64(a: usize, b: usize, kp: i32, ni: i32, nj: i32, out: usize, os: i32): void {
  tiles64(a, b, kp, ni, nj, out, os, 2);
}

/** c + one pair-element's term: form 0 (a − b)², 1 (a − b)²/2, 2 |a − b|, 3 a b (fused where relaxed SIMD is on). */
// @ts-ignore: decorator
@inline function dterm(c: v128, x: v128, y: v128, form: i32): v128 {
  if (form == 3) return madd64(x, y, c);
  const d = f64x2.sub(x, y);
  if (form == 2) return f64x2.add(c, f64x2.abs(d));
  const s = f64x2.mul(d, d);
  return f64x2.add(c, form == 1 ? f64x2.mul(s, vc(K_HALF64)) : s);
}

/** Σ_k term(a_ik, b_jk) over 4 × 2 micro-tiles of f64x2 accumulators, summed in blocks of KBLOCK bytes a row
 *  (each block's total added into the cell). */
// @ts-ignore: decorator
@inline function tiles64(a: usize, b: usize, kp: i32, ni: i32, nj: i32, out: usize, os: i32, form: i32): void {
  const rb = <usize>kp << 3, kb = rb;
  for (let i = 0; i < ni; i += 4) {
    const a0 = a + <usize>i * rb;
    const o = out + ((<usize>i * <usize>os) << 3), or = <usize>os << 3;
    for (let j = 0; j < nj; j += 2) {
      const b0 = b + <usize>j * rb, b1 = b0 + rb;
      const oj = o + (<usize>j << 3);
      for (let k0: usize = 0; k0 < kb; k0 += KBLOCK) {
        const ke = k0 + KBLOCK < kb ? k0 + KBLOCK : kb, first = k0 == 0;
        let c00 = f64x2.splat(0.0), c01 = f64x2.splat(0.0), c10 = f64x2.splat(0.0), c11 = f64x2.splat(0.0);
        let c20 = f64x2.splat(0.0), c21 = f64x2.splat(0.0), c30 = f64x2.splat(0.0), c31 = f64x2.splat(0.0);
        // pointers stepped by the loop: with base + k, V8 11.3 (Node 20) recomputes the six rows' addresses at every
        // step, 36 instructions for 16 floating-point ones (measured 31 % slower there; later V8 the same either way)
        const pe = a0 + ke, db = b1 - b0;
        for (let p = a0 + k0, q = b0 + k0; p < pe; p += 16, q += 16) {
          const y0 = v128.load(q), y1 = v128.load(q + db);
          const x0 = v128.load(p), x1 = v128.load(p + rb);
          c00 = dterm(c00, x0, y0, form); c01 = dterm(c01, x0, y1, form);
          c10 = dterm(c10, x1, y0, form); c11 = dterm(c11, x1, y1, form);
          const x2 = v128.load(p + 2 * rb), x3 = v128.load(p + 3 * rb);
          c20 = dterm(c20, x2, y0, form); c21 = dterm(c21, x2, y1, form);
          c30 = dterm(c30, x3, y0, form); c31 = dterm(c31, x3, y1, form);
        }
        put(oj, c00, first); put(oj + 8, c01, first);
        put(oj + or, c10, first); put(oj + or + 8, c11, first);
        put(oj + 2 * or, c20, first); put(oj + 2 * or + 8, c21, first);
        put(oj + 3 * or, c30, first); put(oj + 3 * or + 8, c31, first);
      }
    }
  }
}

// log(x) for positive normal x through a table of N = 2048 (1/c, −log2(1/c) 2^20), c the centres of [1, 2) cut
// in N, written into the caller's memory by pairLogTable (32 KiB: more than this module's static region holds;
// staged once per call beside the rows by src/pairwise/wasm.ts): x = 2^k y, y in [1, 2), r = y (1/c) − 1
// (|r| <= 2.45e-4; the product's rounding is the only error of r), and in units of 2^20 / ln 2 (so that k needs no
// multiply: k 2^20 is the exponent field as an integer)
//   log x · 2^20 / ln 2 = k 2^20 + (−log2(1/c) 2^20) + r (A1 + r (A2 + r A3)),
// the cubic near-minimax on |r| <= 2.45e-4 (assembly/pairwise/fit_log64.py: truncation below 2.3e-16 absolute in
// nats, the 512-entry quartic Taylor it replaces had 1.8e-16), the block sums multiplied by ln 2 / 2^20 once.
// No division. Σ s log s errs by ~3e-16 Σ s plus u Σ s |log s|, within 1e-14 (S + C). x = 0 gives a finite value
// (0 · log = 0: no clamp needed). Two logs (a row of A against two rows of B) share the lane work on their high
// words: one shuffle gathers the four high words, whose exponents and table offsets are then computed at once.
const LOG_N = 2048;
/** Bytes of the table pairLogTable writes (src/pairwise/wasm.ts LOG_TABLE_BYTES). */
const LOG_TABLE_BYTES: i32 = LOG_N * 16;
const A1: f64 = 1512775.3951951857, A2: f64 = -756387.7144959237, A3: f64 = 504258.4785837266;
const LN2_20: f64 = 0.6931471805599453 / 1048576.0;

/** Writes the N entries (1/c, −log2(1/c) 2^20) of the float64 log's table at `at` (16-byte aligned). */
export function pairLogTable(at: usize): void {
  for (let i = 0; i < LOG_N; i++) {
    const invc = 1.0 / (1.0 + (<f64>i + 0.5) / <f64>LOG_N);
    store<f64>(at + (<usize>i << 4), invc);
    store<f64>(at + (<usize>i << 4), -Math.log2(invc) * 1048576.0, 8);
  }
}

// The kernel's vector constants, loaded from memory where used (core/vconst.ts says why: V8 12 and later
// rebuild a v128.const at every use in a loop, a load is one instruction).
const K64: usize = memory.data<f64>([
  -1.0, -1.0, 1.0, 1.0, reinterpret<f64>(0x000FFFFFFFFFFFFF), reinterpret<f64>(0x000FFFFFFFFFFFFF),
  A1, A1, A2, A2, A3, A3,
], 16);
// the high words' constants: the exponent bias and mask (k 2^20 = (hi − bias) & mask), the table offsets' mask
const HI32: usize = memory.data<i32>([
  0x3FF00000, 0x3FF00000, 0x3FF00000, 0x3FF00000, 0xFFF00000, 0xFFF00000, 0xFFF00000, 0xFFF00000,
  (LOG_N - 1) << 4, (LOG_N - 1) << 4, (LOG_N - 1) << 4, (LOG_N - 1) << 4,
], 16);
/** The table offset (times 16) of the high word's top mantissa bits: hi >> (20 − 11 − 4). */
const IX_SHIFT: i32 = 5;
// @ts-ignore: decorator
@inline function k64(i: usize): v128 {
  return vc(K64 + (i << 4));
}
// @ts-ignore: decorator
@inline function hi32(i: usize): v128 {
  return vc(HI32 + (i << 4));
}

/** c + s log s (the log in units of 2^20 / ln 2), s's table entries at t0, t1, and k 2^20 of its lanes (kd). */
// @ts-ignore: decorator
@inline function slogk(c: v128, s: v128, t0: usize, t1: usize, kd: v128): v128 {
  const e0 = v128.load(t0), e1 = v128.load(t1);
  const invc = v128.shuffle<i64>(e0, e1, 0, 2), lc = v128.shuffle<i64>(e0, e1, 1, 3);
  const y = v128.or(v128.and(s, k64(2)), k64(1));
  const r = madd64(y, invc, k64(0)); // y (1/c) − 1: exact where fused
  const p = f64x2.mul(r, madd64(r, madd64(r, k64(5), k64(4)), k64(3)));
  return madd64(s, f64x2.add(f64x2.add(kd, lc), p), c);
}

/** Σ s log s, s = a + b (Σ m log m = (Σ s log s − ln 2 Σ s) / 2 for m = s / 2), 4 × 2 micro-tiles of f64x2
 *  (8 accumulators: faster than 2 × 2 and 1 × 2, the log per pair-element dominates), then 2 × 2 for the
 *  last two rows when ni is 2 mod 4 (a, b >= 2^-1000 where positive and a + b finite: the caller checks);
 *  tab: the table pairLogTable wrote. */
export function pairMlogm64(a: usize, b: usize, kp: i32, ni: i32, nj: i32, out: usize, os: i32, tab: usize): void {
  const rb = <usize>kp << 3, or = <usize>os << 3;
  let i = 0;
  for (; i + 4 <= ni; i += 4) mlogm64Rows(a + <usize>i * rb, b, rb, nj, out + <usize>i * or, or, tab, 4);
  if (i < ni) mlogm64Rows(a + <usize>i * rb, b, rb, nj, out + <usize>i * or, or, tab, 2);
}

/** Stores (first block) or adds a block's sum, in units of 2^20 / ln 2, into a cell. */
// @ts-ignore: decorator
@inline function putLog(at: usize, v: v128, first: bool): void {
  const t = hsum(v) * LN2_20;
  store<f64>(at, first ? t : load<f64>(at) + t);
}

/** rows (4 or 2) rows from a0 against nj rows of b (nj even) into o (row stride or bytes). */
// @ts-ignore: decorator
@inline function mlogm64Rows(a0: usize, b: usize, rb: usize, nj: i32, o: usize, or: usize, tab: usize, rows: i32): void {
  const a1 = a0 + rb, a2 = a1 + rb, a3 = a2 + rb, kb = rb;
  for (let j = 0; j < nj; j += 2) {
    const b0 = b + <usize>j * rb, b1 = b0 + rb;
    const oj = o + (<usize>j << 3);
    for (let k0: usize = 0; k0 < kb; k0 += KBLOCK) {
      const ke = k0 + KBLOCK < kb ? k0 + KBLOCK : kb, first = k0 == 0;
      let c00 = f64x2.splat(0.0), c01 = f64x2.splat(0.0), c10 = f64x2.splat(0.0), c11 = f64x2.splat(0.0);
      let c20 = f64x2.splat(0.0), c21 = f64x2.splat(0.0), c30 = f64x2.splat(0.0), c31 = f64x2.splat(0.0);
      for (let k = k0; k < ke; k += 16) {
        const y0 = v128.load(b0 + k), y1 = v128.load(b1 + k);
        // (the pair of logs is written out for each row: AssemblyScript's inline functions return one value)
        let s0 = f64x2.add(v128.load(a0 + k), y0), s1 = f64x2.add(v128.load(a0 + k), y1);
        let h = v128.shuffle<i32>(s0, s1, 1, 3, 5, 7);
        let kh = v128.and(i32x4.sub(h, hi32(0)), hi32(1)), ix = v128.and(i32x4.shr_u(h, IX_SHIFT), hi32(2));
        let l0 = i64x2.extract_lane(ix, 0), l1 = i64x2.extract_lane(ix, 1);
        c00 = slogk(c00, s0, tab + <usize><u32>l0, tab + <usize>(l0 >>> 32), f64x2.convert_low_i32x4_s(kh));
        c01 = slogk(c01, s1, tab + <usize><u32>l1, tab + <usize>(l1 >>> 32), f64x2.convert_low_i32x4_s(v128.shuffle<i32>(kh, kh, 2, 3, 2, 3)));
        s0 = f64x2.add(v128.load(a1 + k), y0); s1 = f64x2.add(v128.load(a1 + k), y1);
        h = v128.shuffle<i32>(s0, s1, 1, 3, 5, 7);
        kh = v128.and(i32x4.sub(h, hi32(0)), hi32(1)); ix = v128.and(i32x4.shr_u(h, IX_SHIFT), hi32(2));
        l0 = i64x2.extract_lane(ix, 0); l1 = i64x2.extract_lane(ix, 1);
        c10 = slogk(c10, s0, tab + <usize><u32>l0, tab + <usize>(l0 >>> 32), f64x2.convert_low_i32x4_s(kh));
        c11 = slogk(c11, s1, tab + <usize><u32>l1, tab + <usize>(l1 >>> 32), f64x2.convert_low_i32x4_s(v128.shuffle<i32>(kh, kh, 2, 3, 2, 3)));
        if (rows == 4) {
          s0 = f64x2.add(v128.load(a2 + k), y0); s1 = f64x2.add(v128.load(a2 + k), y1);
          h = v128.shuffle<i32>(s0, s1, 1, 3, 5, 7);
          kh = v128.and(i32x4.sub(h, hi32(0)), hi32(1)); ix = v128.and(i32x4.shr_u(h, IX_SHIFT), hi32(2));
          l0 = i64x2.extract_lane(ix, 0); l1 = i64x2.extract_lane(ix, 1);
          c20 = slogk(c20, s0, tab + <usize><u32>l0, tab + <usize>(l0 >>> 32), f64x2.convert_low_i32x4_s(kh));
          c21 = slogk(c21, s1, tab + <usize><u32>l1, tab + <usize>(l1 >>> 32), f64x2.convert_low_i32x4_s(v128.shuffle<i32>(kh, kh, 2, 3, 2, 3)));
          s0 = f64x2.add(v128.load(a3 + k), y0); s1 = f64x2.add(v128.load(a3 + k), y1);
          h = v128.shuffle<i32>(s0, s1, 1, 3, 5, 7);
          kh = v128.and(i32x4.sub(h, hi32(0)), hi32(1)); ix = v128.and(i32x4.shr_u(h, IX_SHIFT), hi32(2));
          l0 = i64x2.extract_lane(ix, 0); l1 = i64x2.extract_lane(ix, 1);
          c30 = slogk(c30, s0, tab + <usize><u32>l0, tab + <usize>(l0 >>> 32), f64x2.convert_low_i32x4_s(kh));
          c31 = slogk(c31, s1, tab + <usize><u32>l1, tab + <usize>(l1 >>> 32), f64x2.convert_low_i32x4_s(v128.shuffle<i32>(kh, kh, 2, 3, 2, 3)));
        }
      }
      putLog(oj, c00, first); putLog(oj + 8, c01, first);
      putLog(oj + or, c10, first); putLog(oj + or + 8, c11, first);
      if (rows == 4) {
        putLog(oj + 2 * or, c20, first); putLog(oj + 2 * or + 8, c21, first);
        putLog(oj + 3 * or, c30, first); putLog(oj + 3 * or + 8, c31, first);
      }
    }
  }
}

// @ts-ignore: decorator
@inline function slogs32(c: v128, x: v128, y: v128): v128 {
  const s = f32x4.add(x, y);
  return madd32(s, flog32(s), c);
}

// float32 log in units of 2^23 / ln 2 (LOG32_UNIT), as core/vecmath.ts log32 without its exponent shift: x = 2^e m,
// m in [√½, √2), s = (m − 1)/(m + 1), t = s², and
//   log x · 2^23 / ln 2 = e 2^23 + s (C1 + t (C3 + t C5)),
// where e 2^23 is the exponent field's offset as an integer, converted exactly (so the exponent needs no multiply:
// one fused operation adds it), C1 = 2^24 / ln 2 rounded to float32 and C3, C5 near-minimax with C1 fixed
// (scripts/fit_log32_pair.py: truncation 3.5e-8 absolute in nats with the float32 coefficients). Σ s log s errs by it
// times Σ s beside the float32 roundings, within 1e-6 (S + C); the block sums are multiplied by ln 2 / 2^23 once, in
// float64. x = 0 gives a finite value (m = 1, s = 0). The unit bounds the values: x |log x| 2^23 / ln 2 over a block
// of BLOCK32 steps stays below the float32 range for x up to 2^91 (src/pairwise/wasm.ts BIG32 = 2^90 per value).
const SQRT_HALF_BITS32: i32 = 0x3F3504F3;
const EXP32: i32 = 0xFF800000;
const C1: f32 = 24204406.0, C3: f32 = 8066571.5, C5: f32 = 4995712.5;
const K32: usize = memory.data<f32>([
  1.0, 1.0, 1.0, 1.0, C1, C1, C1, C1, C3, C3, C3, C3, C5, C5, C5, C5,
  reinterpret<f32>(SQRT_HALF_BITS32), reinterpret<f32>(SQRT_HALF_BITS32), reinterpret<f32>(SQRT_HALF_BITS32), reinterpret<f32>(SQRT_HALF_BITS32),
  reinterpret<f32>(EXP32), reinterpret<f32>(EXP32), reinterpret<f32>(EXP32), reinterpret<f32>(EXP32),
], 16);
/** ln 2 / 2^23: the kernel's sums back to nats (float64). */
const LOG32_UNIT: f64 = 0.6931471805599453 / 8388608.0;
// @ts-ignore: decorator
@inline function k32(i: usize): v128 {
  return vc(K32 + (i << 4));
}
// @ts-ignore: decorator
@inline function flog32(x: v128): v128 {
  const kh = v128.and(i32x4.sub(x, k32(4)), k32(5));
  const m = i32x4.sub(x, kh);
  // m − 1 is exact (Sterbenz), m + 1 one rounding: the same operands as (f)/(f + 2) with one constant fewer
  const s = f32x4.div(f32x4.sub(m, k32(0)), f32x4.add(m, k32(0)));
  const t = f32x4.mul(s, s);
  const r = madd32(t, madd32(t, k32(3), k32(2)), k32(1));
  return madd32(s, r, f32x4.convert_i32x4_s(kh)); // e 2^23 + s r: e 2^23 exact
}

/** f32x4 → the sum of its halves in f64x2 (exact conversions, one rounding). */
// @ts-ignore: decorator
@inline function widen(v: v128): v128 {
  return f64x2.add(f64x2.promote_low_f32x4(v), f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 2, 3)));
}

/** Steps of 4 float32 per f32x4 block sum before it is widened into the float64 sums. */
const BLOCK32: usize = 8;

/** Σ s log s, s = a + b, over float32 rows (kp a multiple of 4; a, b at most 2^90, smaller values down to subnormals tolerated: the
 *  caller checks), 4 × 2 micro-tiles (2 × 2 for the last two rows when ni is 2 mod 4); each f32x4 accumulator
 *  sums at most BLOCK32 steps, then widens into f64. */
export function pairMlogm32(a: usize, b: usize, kp: i32, ni: i32, nj: i32, out: usize, os: i32): void {
  const rb = <usize>kp << 2, or = <usize>os << 3;
  let i = 0;
  for (; i + 4 <= ni; i += 4) mlogm32Rows(a + <usize>i * rb, b, rb, nj, out + <usize>i * or, or, 4);
  if (i < ni) mlogm32Rows(a + <usize>i * rb, b, rb, nj, out + <usize>i * or, or, 2);
}

// @ts-ignore: decorator
@inline function mlogm32Rows(a0: usize, b: usize, rb: usize, nj: i32, o: usize, or: usize, rows: i32): void {
  const a1 = a0 + rb, a2 = a1 + rb, a3 = a2 + rb, kb = rb, blk = BLOCK32 << 4;
  for (let j = 0; j < nj; j += 2) {
    const b0 = b + <usize>j * rb, b1 = b0 + rb;
    let d00 = f64x2.splat(0.0), d01 = f64x2.splat(0.0), d10 = f64x2.splat(0.0), d11 = f64x2.splat(0.0);
    let d20 = f64x2.splat(0.0), d21 = f64x2.splat(0.0), d30 = f64x2.splat(0.0), d31 = f64x2.splat(0.0);
    for (let k0: usize = 0; k0 < kb; k0 += blk) {
      const ke = k0 + blk < kb ? k0 + blk : kb;
      let c00 = f32x4.splat(0.0), c01 = f32x4.splat(0.0), c10 = f32x4.splat(0.0), c11 = f32x4.splat(0.0);
      let c20 = f32x4.splat(0.0), c21 = f32x4.splat(0.0), c30 = f32x4.splat(0.0), c31 = f32x4.splat(0.0);
      for (let k = k0; k < ke; k += 16) {
        const x0 = v128.load(a0 + k), x1 = v128.load(a1 + k);
        const y0 = v128.load(b0 + k), y1 = v128.load(b1 + k);
        c00 = slogs32(c00, x0, y0); c01 = slogs32(c01, x0, y1);
        c10 = slogs32(c10, x1, y0); c11 = slogs32(c11, x1, y1);
        if (rows == 4) {
          const x2 = v128.load(a2 + k), x3 = v128.load(a3 + k);
          c20 = slogs32(c20, x2, y0); c21 = slogs32(c21, x2, y1);
          c30 = slogs32(c30, x3, y0); c31 = slogs32(c31, x3, y1);
        }
      }
      d00 = f64x2.add(d00, widen(c00)); d01 = f64x2.add(d01, widen(c01));
      d10 = f64x2.add(d10, widen(c10)); d11 = f64x2.add(d11, widen(c11));
      if (rows == 4) {
        d20 = f64x2.add(d20, widen(c20)); d21 = f64x2.add(d21, widen(c21));
        d30 = f64x2.add(d30, widen(c30)); d31 = f64x2.add(d31, widen(c31));
      }
    }
    const oj = o + (<usize>j << 3);
    const u = LOG32_UNIT;
    store<f64>(oj, hsum(d00) * u); store<f64>(oj, hsum(d01) * u, 8);
    store<f64>(oj + or, hsum(d10) * u); store<f64>(oj + or, hsum(d11) * u, 8);
    if (rows == 4) {
      store<f64>(oj + 2 * or, hsum(d20) * u); store<f64>(oj + 2 * or, hsum(d21) * u, 8);
      store<f64>(oj + 3 * or, hsum(d30) * u); store<f64>(oj + 3 * or, hsum(d31) * u, 8);
    }
  }
}

// ---------------------------------------------------------------- per-row statistics
/** log x on lanes x >= 0, subnormals included (vecmath's logExact64, within 1 ulp), 0 where x = 0. */
// @ts-ignore: decorator
@inline function logOrZero64(x: v128): v128 {
  const pos = f64x2.gt(x, f64x2.splat(0.0));
  return v128.and(logExact64(v128.bitselect(x, vc(K_ONE64), pos), f64x2.splat(0.0)), pos);
}

/** For each of `rows` staged float64 rows at p (stride kp elements, zero pads), five float64 at out + 40 r:
 *  Σ p log p (TwoSum-compensated per lane, the lanes then added exactly: span.ts's twoSumErr and exactTotal; an
 *  infinite sum as it is), Σ p |log p|, Σ p, the least positive value (+Infinity when none) and the largest (0 when
 *  none), over the positive values: what src/pairwise/wasm.ts's rowStats computes in JS, for the log kernels' rows.
 *  Values must be finite and non-negative (the facade checks). */
export function pairRowStats(p: usize, rows: i32, kp: i32, out: usize): void {
  const rb = <usize>kp << 3;
  for (let r = 0; r < rows; r++) {
    const row = p + <usize>r * rb;
    let sh = f64x2.splat(0.0), ch = f64x2.splat(0.0), sa = f64x2.splat(0.0), sp = f64x2.splat(0.0);
    let mn = vc(K_INF64), mx = f64x2.splat(0.0);
    for (let k: usize = 0; k < rb; k += 16) {
      const v = v128.load(row + k), l = logOrZero64(v);
      const t = f64x2.mul(v, l), u = f64x2.add(sh, t);
      ch = f64x2.add(ch, twoSumErr(sh, t, u));
      sh = u;
      sa = madd64(v, f64x2.abs(l), sa);
      sp = f64x2.add(sp, v);
      mn = f64x2.min(mn, v128.bitselect(v, vc(K_INF64), f64x2.gt(v, f64x2.splat(0.0))));
      mx = f64x2.max(mx, v);
    }
    const h = f64x2.extract_lane(sh, 0) + f64x2.extract_lane(sh, 1);
    const o = out + <usize>r * 40;
    store<f64>(o, isFinite(h) ? exactTotal(sh, ch) : h);
    store<f64>(o, f64x2.extract_lane(sa, 0) + f64x2.extract_lane(sa, 1), 8);
    store<f64>(o, f64x2.extract_lane(sp, 0) + f64x2.extract_lane(sp, 1), 16);
    store<f64>(o, min(f64x2.extract_lane(mn, 0), f64x2.extract_lane(mn, 1)), 24);
    store<f64>(o, max(f64x2.extract_lane(mx, 0), f64x2.extract_lane(mx, 1)), 32);
  }
}

/** log clip(q, eps, 1) of `rows` staged float64 rows (cols values at stride kp elements, kp a multiple of 4) from q
 *  into b, 0 where the clipped value is 0 (eps = 0: the caller's poles), the pads [cols, kp) of b zero: the KL /
 *  cross-entropy GEMM's right operand, by logOrZero64. Replaces a Math.log and a function call a value in JS (18 ms
 *  of a 2000 × 2000 × 500 KL matrix's 260 on Node 24). */
export function pairLogClip(q: usize, b: usize, rows: i32, cols: i32, kp: i32, eps: f64): void {
  const rb = <usize>kp << 3, cb = <usize>cols << 3, e = f64x2.splat(eps);
  for (let r = 0; r < rows; r++) {
    const src = q + <usize>r * rb, dst = b + <usize>r * rb;
    // pairs up to the one holding the last value (an odd cols' pair reads a pad: overwritten below)
    for (let k: usize = 0; k < cb; k += 16) v128.store(dst + k, logOrZero64(f64x2.min(f64x2.max(v128.load(src + k), e), vc(K_ONE64))));
    for (let k = cb; k < rb; k += 8) store<f64>(dst + k, 0.0);
  }
}

// ---------------------------------------------------------------- direct cells
const CELL: usize = memory.data(16, 16);
/** The smallest lower clip the fast mode takes (src/core/wasm.ts FAST_LO_F64). */
const FAST_LO: f64 = 4.450147717014403e-308;
const PAIR_KL: i32 = 0;
const PAIR_CE: i32 = 1;
const PAIR_JS: i32 = 2;
const PAIR_JS_WHOLE: i32 = 3;

/** One raw cell of float64 rows p, q (cols values each) with the span kernels, as the discrete functions
 *  compute it: kind 0 KL (Σ p log(p / clip(q, eps, 1))), 1 cross-entropy (−Σ p log clip(q, eps, 1)),
 *  2 Jensen–Shannon (½ Σ p log(2p/(p+q)) + ½ Σ q log(2q/(p+q))) with p and q halved first (the discrete
 *  facade's scaling, for sums near the top of the range), 3 the same unhalved, the sum halved at the end
 *  (a subnormal value halved would round before it multiplies its log: the caller takes 3 where Σ p + Σ q
 *  cannot overflow). The fast mode first (a lower clip below what it takes raised to it), the exact mode where
 *  it flags values it cannot take. */
export function pairDirect(kind: i32, p: usize, q: usize, cols: i32, eps: f64): f64 {
  if (kind == PAIR_JS || kind == PAIR_JS_WHOLE) {
    const w = kind == PAIR_JS ? 0.5 : 1.0;
    const f = rowsOf(KIND_JS, MODE_F64, p, q, 1, cols, 0.0, 0.0, w, w, 0, CELL, 0);
    if (f & FLAG_TINY) rowsOf(KIND_JS, MODE_F64_EXACT, p, q, 1, cols, 0.0, 0.0, w, w, 0, CELL, 0);
    return kind == PAIR_JS ? load<f64>(CELL) : load<f64>(CELL) * 0.5;
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
