// Vector natural logs shared by every kernel family, on f64x2 and f32x4 lanes.
//
// Both logs reduce to s = (a - b) / (a + b), t = s*s and
//     log(a / b) = 2 atanh(s) = 2s + s t R(t),   R(t) = sum_{j>=1} 2 t^(j-1) / (2j+1),
// with R a near-minimax polynomial from scripts/fit_log.py. One division per
// lane, no tables, no data-dependent branches.
//
// The ratio log scales a by a power of two 2^-k chosen from the difference of
// the high words of a and b (an integer subtraction: the bits of a positive
// float are a piecewise-linear log2 of it), so that a' = a 2^-k and b are within
// a factor 2^0.5862 of each other. Then a' - b is exact (Sterbenz), |s| <= 0.2004
// and R needs only 8 terms (t <= 0.0402), where reducing a and b to mantissas
// in [1, 2) separately leaves |s| <= 1/3 and needs 10.

// ---------------------------------------------------------------- constants
// ln 2 split so that k * LN2_HI is exact for |k| < 2^21.
export const LN2_HI: f64 = 0.6931471803691238;
export const LN2_LO: f64 = 1.9082149292705877e-10;
export const MIN_NORMAL_F64: f64 = 2.2250738585072014e-308;
export const MIN_NORMAL_F32: f32 = 1.1754943508222875e-38;
// The exponent k reaches the logs as k 2^20 (f64) or k 2^23 (f32), straight from
// the high word; these fold the 2^-20 / 2^-23 into ln 2 (exact scalings).
const LN2_HI_20: f64 = LN2_HI / 1048576.0;
const LN2_LO_20: f64 = LN2_LO / 1048576.0;
const LN2_F32_23: f32 = <f32>(0.693147182464599609375 / 8388608.0);

// R(t) on [0, 0.0402] for the ratio log (|s| <= 0.2004).
const R0: f64 = 0.6666666666666694, R1: f64 = 0.39999999999328945, R2: f64 = 0.285714288382469;
const R3: f64 = 0.22222182512983996, R4: f64 = 0.18184624343126693, R5: f64 = 0.15283359957096818;
const R6: f64 = 0.1512160480384794;
// R(t) on [0, 0.0295] for the single log (m in [sqrt(1/2), sqrt(2))).
const L0: f64 = 0.666666666666667, L1: f64 = 0.39999999999899505, L2: f64 = 0.28571428625975487;
const L3: f64 = 0.2222221113479508, L4: f64 = 0.18182889125261723, L5: f64 = 0.15331721600556042;
const L6: f64 = 0.14616449685043406;
// float32 versions: ratio on [0, 0.0402], single log on [0, 0.0295].
const S0: f32 = 0.6666671633720398, S1: f32 = 0.39978840947151184, S2: f32 = 0.2996152639389038;
const T0: f32 = 0.6666668653488159, T1: f32 = 0.3998878002166748, T2: f32 = 0.29579949378967285;

// High word of sqrt(1/2) (f64), bits of sqrt(1/2) (f32): subtracting them splits
// x = 2^k m, m in [sqrt(1/2), sqrt(2)).
const SQRT_HALF_HI64: i64 = 0x3FE6A09E00000000;
const SQRT_HALF_BITS32: i32 = 0x3F3504F3;
// Exponent field of the high word (in i64 lanes), and half of its unit.
const EXP_HI64: i64 = 0xFFF0000000000000;
const MANT64: i64 = 0x000FFFFFFFFFFFFF;
const ONE64: i64 = 0x3FF0000000000000;
const HALF_HI64: i64 = 0x0008000000000000;
const EXP32: i32 = 0xFF800000;
const HALF32: i32 = 0x00400000;
const MANT32: i32 = 0x007FFFFF;
const ONE32: i32 = 0x3F800000;

// ---------------------------------------------------------------- f64x2 logs
/** log(a / b) on two lanes. a may be any finite non-negative (a = 0 or -0 gives a
 *  finite value, so a * log(a / b) is 0) that is not subnormal (callers check with
 *  tinyAcc64). b must be positive normal, and when !safe also in [2^-1021, 2^1022):
 *  a' = a 2^-k then stays normal without reducing b (a' + b <= 2.5013 b must not
 *  overflow, a' >= 2^-0.5862 b must not underflow); safe first reduces b to its
 *  mantissa (four more integer operations). kadj is added to the exponent difference in units of 2^20. */
// @ts-ignore: decorator
@inline export function logRatio64(a: v128, b: v128, kadj: v128, useAdj: bool, safe: bool): v128 {
  // kh = k 2^20 in the high word, k = round(hi(a)/2^20 - hi(b)/2^20) (i32 lanes: no borrow
  // from the low words, which are ignored); a' = a 2^-k. With safe, b' = mantissa of b
  // in [1, 2) and log(a / b) = log(a' / b') + (k - e_b) ln 2, (k - e_b) 2^20 = kh - (b - b').
  const bm = safe ? v128.or(v128.and(b, i64x2.splat(MANT64)), i64x2.splat(ONE64)) : b;
  const kh = v128.and(i32x4.add(i32x4.sub(a, bm), i64x2.splat(HALF_HI64)), i64x2.splat(EXP_HI64));
  const ar = i32x4.sub(a, kh);
  const kt = safe ? i32x4.sub(kh, i32x4.sub(b, bm)) : kh;
  let k = f64x2.convert_low_i32x4_s(v128.shuffle<i32>(kt, kt, 1, 3, 1, 3)); // k 2^20
  if (useAdj) k = f64x2.add(k, kadj);
  const s = f64x2.div(f64x2.sub(ar, bm), f64x2.add(ar, bm));
  const t = f64x2.mul(s, s);
  const t2 = f64x2.mul(t, t);
  const t4 = f64x2.mul(t2, t2);
  const p01 = f64x2.add(f64x2.splat(R0), f64x2.mul(f64x2.splat(R1), t));
  const p23 = f64x2.add(f64x2.splat(R2), f64x2.mul(f64x2.splat(R3), t));
  const p45 = f64x2.add(f64x2.splat(R4), f64x2.mul(f64x2.splat(R5), t));
  const q03 = f64x2.add(p01, f64x2.mul(p23, t2));
  const q46 = f64x2.add(p45, f64x2.mul(f64x2.splat(R6), t2));
  const r = f64x2.add(q03, f64x2.mul(t4, q46));
  // k ln2_hi + (2s + (s t R + k ln2_lo))
  const tail = f64x2.add(f64x2.mul(f64x2.mul(s, t), r), f64x2.mul(k, f64x2.splat(LN2_LO_20)));
  return f64x2.add(f64x2.mul(k, f64x2.splat(LN2_HI_20)), f64x2.add(f64x2.add(s, s), tail));
}

/** log(x) on two lanes for positive normal x, within 1 ulp (fdlibm's
 *  formulation: f = m - 1 is exact, log = k ln2 + f - (f^2/2 - s (f^2/2 + t R))).
 *  kadj is added to the exponent in units of 2^20 (exact path). */
// @ts-ignore: decorator
@inline export function log64(x: v128, kadj: v128, useAdj: bool): v128 {
  // kh = k 2^20 in the high word (floor: the and of a two's complement value)
  const kh = v128.and(i32x4.sub(x, i64x2.splat(SQRT_HALF_HI64)), i64x2.splat(EXP_HI64));
  const m = i32x4.sub(x, kh);
  let k = f64x2.convert_low_i32x4_s(v128.shuffle<i32>(kh, kh, 1, 3, 1, 3)); // k 2^20
  if (useAdj) k = f64x2.add(k, kadj);
  const f = f64x2.sub(m, f64x2.splat(1.0));
  const s = f64x2.div(f, f64x2.add(f, f64x2.splat(2.0)));
  const t = f64x2.mul(s, s);
  const t2 = f64x2.mul(t, t);
  const t4 = f64x2.mul(t2, t2);
  const p01 = f64x2.add(f64x2.splat(L0), f64x2.mul(f64x2.splat(L1), t));
  const p23 = f64x2.add(f64x2.splat(L2), f64x2.mul(f64x2.splat(L3), t));
  const p45 = f64x2.add(f64x2.splat(L4), f64x2.mul(f64x2.splat(L5), t));
  const q03 = f64x2.add(p01, f64x2.mul(p23, t2));
  const q46 = f64x2.add(p45, f64x2.mul(f64x2.splat(L6), t2));
  const r = f64x2.mul(t, f64x2.add(q03, f64x2.mul(q46, t4)));
  const hfsq = f64x2.mul(f64x2.splat(0.5), f64x2.mul(f, f));
  const inner = f64x2.add(f64x2.mul(s, f64x2.add(hfsq, r)), f64x2.mul(k, f64x2.splat(LN2_LO_20)));
  return f64x2.sub(f64x2.mul(k, f64x2.splat(LN2_HI_20)), f64x2.sub(f64x2.sub(hfsq, inner), f));
}

// ---------------------------------------------------------------- f32x4 logs
/** log(a / b) on four float32 lanes; same contract as logRatio64 (!safe: b in
 *  [2^-125, 2^126)). */
// @ts-ignore: decorator
@inline export function logRatio32(a: v128, b: v128, safe: bool, shift: v128): v128 {
  const bm = safe ? v128.or(v128.and(b, i32x4.splat(MANT32)), i32x4.splat(ONE32)) : b;
  const kh = v128.and(i32x4.add(i32x4.sub(a, bm), i32x4.splat(HALF32)), i32x4.splat(EXP32));
  const ar = i32x4.sub(a, kh);
  const k = f32x4.add(f32x4.convert_i32x4_s(safe ? i32x4.sub(kh, i32x4.sub(b, bm)) : kh), shift); // k 2^23, exact
  const s = f32x4.div(f32x4.sub(ar, bm), f32x4.add(ar, bm));
  const t = f32x4.mul(s, s);
  const r = f32x4.add(f32x4.splat(S0), f32x4.mul(t, f32x4.add(f32x4.splat(S1), f32x4.mul(f32x4.splat(S2), t))));
  const poly = f32x4.add(f32x4.add(s, s), f32x4.mul(f32x4.mul(s, t), r));
  return f32x4.add(f32x4.mul(k, f32x4.splat(LN2_F32_23)), poly);
}

/** log(x) on four float32 lanes for positive normal x. */
// @ts-ignore: decorator
@inline export function log32(x: v128, shift: v128): v128 {
  const kh = v128.and(i32x4.sub(x, i32x4.splat(SQRT_HALF_BITS32)), i32x4.splat(EXP32));
  const m = i32x4.sub(x, kh);
  const k = f32x4.add(f32x4.convert_i32x4_s(kh), shift); // k 2^23, exact
  const f = f32x4.sub(m, f32x4.splat(1.0));
  const s = f32x4.div(f, f32x4.add(f, f32x4.splat(2.0)));
  const t = f32x4.mul(s, s);
  const r = f32x4.add(f32x4.splat(T0), f32x4.mul(t, f32x4.add(f32x4.splat(T1), f32x4.mul(f32x4.splat(T2), t))));
  const poly = f32x4.add(f32x4.add(s, s), f32x4.mul(f32x4.mul(s, t), r));
  return f32x4.add(f32x4.mul(k, f32x4.splat(LN2_F32_23)), poly);
}

// ---------------------------------------------------------------- exact paths
// Positive subnormals (and q = 0 with eps = 0) are rare: the fast kernels flag
// them and the caller reruns the exact variant, which scales subnormal lanes by
// 2^64 (exactly) before the log and takes 64 ln 2 back out afterwards.
const TWO64: f64 = 18446744073709551616.0;
const MIN_SUBNORMAL_F64: f64 = 5e-324;

// @ts-ignore: decorator
@inline export function scaleTiny64(x: v128): v128 {
  const t = f64x2.lt(x, f64x2.splat(MIN_NORMAL_F64));
  return v128.bitselect(f64x2.mul(x, f64x2.splat(TWO64)), x, t);
}
/** -64 2^20 where x is below the normal range (it was scaled by 2^64), else 0. */
// @ts-ignore: decorator
@inline export function tinyExp64(x: v128): v128 {
  return v128.and(f64x2.lt(x, f64x2.splat(MIN_NORMAL_F64)), f64x2.splat(-64.0 * 1048576.0));
}
// Every wrapper takes `shift`: an integer e, as e 2^20 (f64 lanes) or e 2^23
// (f32 lanes), added exactly to the exponent, so it returns log(a / b) + e ln 2
// (log(x) + e ln 2). normalize uses it to take logs of x / sum without
// cancelling a large log(sum) afterwards; it is 0 otherwise.

/** log(a / b) for any finite a >= 0 and b >= 0, subnormals included; finite
 *  (and meaningless) for b = 0, so that a = b = 0 gives a * log(a / b) = 0. */
// @ts-ignore: decorator
@inline export function logRatioExact64(a: v128, b: v128, shift: v128): v128 {
  const bb = f64x2.pmax(b, f64x2.splat(MIN_SUBNORMAL_F64));
  const kadj = f64x2.add(f64x2.sub(tinyExp64(a), tinyExp64(bb)), shift);
  return logRatio64(scaleTiny64(a), scaleTiny64(bb), kadj, true, true);
}
/** log(x) for any x > 0, subnormals included. */
// @ts-ignore: decorator
@inline export function logExact64(x: v128, shift: v128): v128 {
  return log64(scaleTiny64(x), f64x2.add(tinyExp64(x), shift), true);
}
/** The fast forms, for normal inputs. */
// @ts-ignore: decorator
@inline export function logRatioFast64(a: v128, b: v128, shift: v128): v128 {
  return logRatio64(a, b, shift, true, false);
}
/** The fast form for any positive normal b. */
// @ts-ignore: decorator
@inline export function logRatioSafe64(a: v128, b: v128, shift: v128): v128 {
  return logRatio64(a, b, shift, true, true);
}
// @ts-ignore: decorator
@inline export function logFast64(x: v128, shift: v128): v128 {
  return log64(x, shift, true);
}
