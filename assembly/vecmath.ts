// Vector natural logs shared by every kernel family, on f64x2 and f32x4 lanes.
//
// Both logs reduce to s = (a - b) / (a + b), t = s*s and
//     log(a / b) = 2 atanh(s) = 2s + s t R(t),   R(t) = sum_{j>=1} 2 t^(j-1) / (2j+1),
// with R a near-minimax polynomial from scripts/fit_log.py. One division per
// lane, no tables, no data-dependent branches.

// ---------------------------------------------------------------- constants
// ln 2 split so that k * LN2_HI is exact for |k| < 2^21.
export const LN2_HI: f64 = 0.6931471803691238;
export const LN2_LO: f64 = 1.9082149292705877e-10;
export const MIN_NORMAL_F64: f64 = 2.2250738585072014e-308;
export const MIN_NORMAL_F32: f32 = 1.1754943508222875e-38;

// R(t) on [0, 1/9] for the ratio log (a, b mantissas in [1, 2)).
const R0: f64 = 0.6666666666666666, R1: f64 = 0.40000000000014585, R2: f64 = 0.2857142856710876;
const R3: f64 = 0.22222222717427864, R4: f64 = 0.18181789436132859, R5: f64 = 0.15385570064958623;
const R6: f64 = 0.13314144209654935, R7: f64 = 0.12001072809590713, R8: f64 = 0.08800738486144674;
const R9: f64 = 0.1616404561194353;
// R(t) on [0, 0.0295] for the single log (m in [sqrt(1/2), sqrt(2))).
const L0: f64 = 0.666666666666667, L1: f64 = 0.39999999999899505, L2: f64 = 0.28571428625975487;
const L3: f64 = 0.2222221113479508, L4: f64 = 0.18182889125261723, L5: f64 = 0.15331721600556042;
const L6: f64 = 0.14616449685043406;
// float32 versions.
const S0: f32 = 0.6666666865348816, S1: f32 = 0.3999970555305481, S2: f32 = 0.285923570394516;
const S3: f32 = 0.2170657515525818, S4: f32 = 0.23224329948425293;
const T0: f32 = 0.6666668653488159, T1: f32 = 0.3998878002166748, T2: f32 = 0.29579949378967285;

// Bits of sqrt(1/2) (f64, f32): subtracting them splits x = 2^k m, m in [sqrt(1/2), sqrt(2)).
const SQRT_HALF_BITS64: i64 = 0x3FE6A09E667F3BCD;
const SQRT_HALF_BITS32: i32 = 0x3F3504F3;
// 1.5 * 2^52: adding a small integer to its bits and subtracting it as a double converts.
const MAGIC_BITS: i64 = 0x4338000000000000;
const MAGIC: f64 = 6755399441055744.0;

// ---------------------------------------------------------------- f64x2 logs
/** log(a / b) on two lanes. b must be a positive normal number; a may be any
 *  finite non-negative (a = 0 or -0 gives a finite value, so a * log(a / b) is 0).
 *  a must not be subnormal (callers check with tinyBits64). */
// @ts-ignore: decorator
@inline export function logRatio64(a: v128, b: v128, kadj: v128, useAdj: bool): v128 {
  const mant = i64x2.splat(0x000FFFFFFFFFFFFF);
  const one = i64x2.splat(0x3FF0000000000000);
  const expMagic = i64x2.splat(0x4330000000000000);
  const ma = v128.or(v128.and(a, mant), one);
  const mb = v128.or(v128.and(b, mant), one);
  // exponents as doubles: bits(2^52 + e) - 2^52 - (bits(2^52 + e') - 2^52) = e - e'
  const ea = v128.or(i64x2.shr_u(a, 52), expMagic);
  const eb = v128.or(i64x2.shr_u(b, 52), expMagic);
  let k = f64x2.sub(ea, eb);
  if (useAdj) k = f64x2.add(k, kadj);
  const s = f64x2.div(f64x2.sub(ma, mb), f64x2.add(ma, mb));
  const t = f64x2.mul(s, s);
  const t2 = f64x2.mul(t, t);
  const t4 = f64x2.mul(t2, t2);
  const p01 = f64x2.add(f64x2.splat(R0), f64x2.mul(f64x2.splat(R1), t));
  const p23 = f64x2.add(f64x2.splat(R2), f64x2.mul(f64x2.splat(R3), t));
  const p45 = f64x2.add(f64x2.splat(R4), f64x2.mul(f64x2.splat(R5), t));
  const p67 = f64x2.add(f64x2.splat(R6), f64x2.mul(f64x2.splat(R7), t));
  const p89 = f64x2.add(f64x2.splat(R8), f64x2.mul(f64x2.splat(R9), t));
  const q03 = f64x2.add(p01, f64x2.mul(p23, t2));
  const q47 = f64x2.add(p45, f64x2.mul(p67, t2));
  const r = f64x2.add(q03, f64x2.mul(t4, f64x2.add(q47, f64x2.mul(p89, t4))));
  // k ln2_hi + (2s + (s t R + k ln2_lo))
  const tail = f64x2.add(f64x2.mul(f64x2.mul(s, t), r), f64x2.mul(k, f64x2.splat(LN2_LO)));
  return f64x2.add(f64x2.mul(k, f64x2.splat(LN2_HI)), f64x2.add(f64x2.add(s, s), tail));
}

/** log(x) on two lanes for positive normal x, within 1 ulp (fdlibm's
 *  formulation: f = m - 1 is exact, log = k ln2 + f - (f^2/2 - s (f^2/2 + t R))). */
// @ts-ignore: decorator
@inline export function log64(x: v128, kadj: v128, useAdj: bool): v128 {
  const tmp = i64x2.sub(x, i64x2.splat(SQRT_HALF_BITS64));
  const ki = i64x2.shr_s(tmp, 52);
  const m = i64x2.sub(x, i64x2.shl(ki, 52));
  let k = f64x2.sub(i64x2.add(ki, i64x2.splat(MAGIC_BITS)), f64x2.splat(MAGIC));
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
  const inner = f64x2.add(f64x2.mul(s, f64x2.add(hfsq, r)), f64x2.mul(k, f64x2.splat(LN2_LO)));
  return f64x2.sub(f64x2.mul(k, f64x2.splat(LN2_HI)), f64x2.sub(f64x2.sub(hfsq, inner), f));
}

// ---------------------------------------------------------------- f32x4 logs
/** log(a / b) on four float32 lanes; same contract as logRatio64. */
// @ts-ignore: decorator
@inline export function logRatio32(a: v128, b: v128): v128 {
  const mant = i32x4.splat(0x007FFFFF);
  const one = i32x4.splat(0x3F800000);
  const ma = v128.or(v128.and(a, mant), one);
  const mb = v128.or(v128.and(b, mant), one);
  const k = f32x4.convert_i32x4_s(i32x4.sub(i32x4.shr_u(a, 23), i32x4.shr_u(b, 23)));
  const s = f32x4.div(f32x4.sub(ma, mb), f32x4.add(ma, mb));
  const t = f32x4.mul(s, s);
  const t2 = f32x4.mul(t, t);
  const p01 = f32x4.add(f32x4.splat(S0), f32x4.mul(f32x4.splat(S1), t));
  const p23 = f32x4.add(f32x4.splat(S2), f32x4.mul(f32x4.splat(S3), t));
  const r = f32x4.add(p01, f32x4.mul(t2, f32x4.add(p23, f32x4.mul(f32x4.splat(S4), t2))));
  const poly = f32x4.add(f32x4.add(s, s), f32x4.mul(f32x4.mul(s, t), r));
  return f32x4.add(f32x4.mul(k, f32x4.splat(<f32>0.693147182464599609375)), poly);
}

/** log(x) on four float32 lanes for positive normal x. */
// @ts-ignore: decorator
@inline export function log32(x: v128): v128 {
  const tmp = i32x4.sub(x, i32x4.splat(SQRT_HALF_BITS32));
  const ki = i32x4.shr_s(tmp, 23);
  const m = i32x4.sub(x, i32x4.shl(ki, 23));
  const k = f32x4.convert_i32x4_s(ki);
  const f = f32x4.sub(m, f32x4.splat(1.0));
  const s = f32x4.div(f, f32x4.add(f, f32x4.splat(2.0)));
  const t = f32x4.mul(s, s);
  const r = f32x4.add(f32x4.splat(T0), f32x4.mul(t, f32x4.add(f32x4.splat(T1), f32x4.mul(f32x4.splat(T2), t))));
  const poly = f32x4.add(f32x4.add(s, s), f32x4.mul(f32x4.mul(s, t), r));
  return f32x4.add(f32x4.mul(k, f32x4.splat(<f32>0.693147182464599609375)), poly);
}

// ---------------------------------------------------------------- exact paths
// Positive subnormals (and q = 0 with eps = 0) are rare: the fast kernels flag
// them and the caller reruns the exact variant, which scales subnormal lanes by
// 2^64 (exactly) before the log and takes 64 ln 2 back out afterwards.
const TWO64: f64 = 18446744073709551616.0;

// @ts-ignore: decorator
@inline export function scaleTiny64(x: v128): v128 {
  const t = f64x2.lt(x, f64x2.splat(MIN_NORMAL_F64));
  return v128.bitselect(f64x2.mul(x, f64x2.splat(TWO64)), x, t);
}
/** -64 where x is below the normal range (it was scaled by 2^64), else 0. */
// @ts-ignore: decorator
@inline export function tinyExp64(x: v128): v128 {
  return v128.and(f64x2.lt(x, f64x2.splat(MIN_NORMAL_F64)), f64x2.splat(-64.0));
}
/** log(a / b) for any finite a >= 0 and b > 0, subnormals included. */
// @ts-ignore: decorator
@inline export function logRatioExact64(a: v128, b: v128): v128 {
  const kadj = f64x2.sub(tinyExp64(a), tinyExp64(b));
  return logRatio64(scaleTiny64(a), scaleTiny64(b), kadj, true);
}
/** log(x) for any x > 0, subnormals included. */
// @ts-ignore: decorator
@inline export function logExact64(x: v128): v128 {
  return log64(scaleTiny64(x), tinyExp64(x), true);
}
/** The fast forms, for normal inputs. */
// @ts-ignore: decorator
@inline export function logRatioFast64(a: v128, b: v128): v128 {
  return logRatio64(a, b, f64x2.splat(0.0), false);
}
// @ts-ignore: decorator
@inline export function logFast64(x: v128): v128 {
  return log64(x, f64x2.splat(0.0), false);
}

