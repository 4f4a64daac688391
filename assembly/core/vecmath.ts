// Vector natural logs (and exp, below) shared by every kernel family, on f64x2 and f32x4 lanes.
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

import { vc } from "./vconst";
export { vc };

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

// ---------------------------------------------------------------- vector constants
// Read from memory where used (vconst.ts says why); the ones the families share are exported.
export const K_ONE64 = memory.data<f64>([1.0, 1.0], 16);
export const K_TWO64 = memory.data<f64>([2.0, 2.0], 16);
export const K_HALF64 = memory.data<f64>([0.5, 0.5], 16);
export const K_INF64 = memory.data<f64>([Infinity, Infinity], 16);
export const K_NEG_INF64 = memory.data<f64>([-Infinity, -Infinity], 16);
export const K_MIN_NORMAL64 = memory.data<f64>([MIN_NORMAL_F64, MIN_NORMAL_F64], 16);
export const K_ONE32 = memory.data<f32>([1.0, 1.0, 1.0, 1.0], 16);
export const K_TWO32 = memory.data<f32>([2.0, 2.0, 2.0, 2.0], 16);
export const K_HALF32 = memory.data<f32>([0.5, 0.5, 0.5, 0.5], 16);
export const K_INF32 = memory.data<f32>([Infinity, Infinity, Infinity, Infinity], 16);
export const K_MIN_NORMAL32 = memory.data<f32>([MIN_NORMAL_F32, MIN_NORMAL_F32, MIN_NORMAL_F32, MIN_NORMAL_F32], 16);
/** 1 in each i64 lane (tinyAcc64), in each i32 lane (tinyAcc32). */
export const K_I64_1 = memory.data<i64>([1, 1], 16);
export const K_I32_1 = memory.data<i32>([1, 1, 1, 1], 16);
const K_LN2_HI_20 = memory.data<f64>([LN2_HI_20, LN2_HI_20], 16);
const K_LN2_LO_20 = memory.data<f64>([LN2_LO_20, LN2_LO_20], 16);
const K_LN2_F32_23 = memory.data<f32>([LN2_F32_23, LN2_F32_23, LN2_F32_23, LN2_F32_23], 16);
const K_R0 = memory.data<f64>([R0, R0], 16), K_R1 = memory.data<f64>([R1, R1], 16);
const K_R2 = memory.data<f64>([R2, R2], 16), K_R3 = memory.data<f64>([R3, R3], 16);
const K_R4 = memory.data<f64>([R4, R4], 16), K_R5 = memory.data<f64>([R5, R5], 16);
const K_R6 = memory.data<f64>([R6, R6], 16);
const K_L0 = memory.data<f64>([L0, L0], 16), K_L1 = memory.data<f64>([L1, L1], 16);
const K_L2 = memory.data<f64>([L2, L2], 16), K_L3 = memory.data<f64>([L3, L3], 16);
const K_L4 = memory.data<f64>([L4, L4], 16), K_L5 = memory.data<f64>([L5, L5], 16);
const K_L6 = memory.data<f64>([L6, L6], 16);
const K_S0 = memory.data<f32>([S0, S0, S0, S0], 16), K_S1 = memory.data<f32>([S1, S1, S1, S1], 16);
const K_S2 = memory.data<f32>([S2, S2, S2, S2], 16);
const K_T0 = memory.data<f32>([T0, T0, T0, T0], 16), K_T1 = memory.data<f32>([T1, T1, T1, T1], 16);
const K_T2 = memory.data<f32>([T2, T2, T2, T2], 16);
const K_SQRT_HALF_HI64 = memory.data<i64>([SQRT_HALF_HI64, SQRT_HALF_HI64], 16);
const K_SQRT_HALF_BITS32 = memory.data<i32>([SQRT_HALF_BITS32, SQRT_HALF_BITS32, SQRT_HALF_BITS32, SQRT_HALF_BITS32], 16);
const K_EXP_HI64 = memory.data<i64>([EXP_HI64, EXP_HI64], 16);
const K_MANT64 = memory.data<i64>([MANT64, MANT64], 16);
const K_ONE_BITS64 = memory.data<i64>([ONE64, ONE64], 16);
const K_HALF_HI64 = memory.data<i64>([HALF_HI64, HALF_HI64], 16);
const K_EXP32 = memory.data<i32>([EXP32, EXP32, EXP32, EXP32], 16);
const K_HALF_BITS32 = memory.data<i32>([HALF32, HALF32, HALF32, HALF32], 16);
const K_MANT32 = memory.data<i32>([MANT32, MANT32, MANT32, MANT32], 16);
const K_ONE_BITS32 = memory.data<i32>([ONE32, ONE32, ONE32, ONE32], 16);

// ---------------------------------------------------------------- multiply-add
// madd: a b + c, nmadd: c − a b, on f64x2 (64) or f32x4 (32) lanes. Compiled with relaxed SIMD
// (asc --enable relaxed-simd: ASC_FEATURE_RELAXED_SIMD, the .relaxed.wasm modules), relaxed_madd /
// relaxed_nmadd, which an engine may fuse (one rounding: x64 with FMA3, arm64) or not (two roundings, as
// below); every bound holds both ways. The baseline modules compute a b, then ± c: the same bits as the
// expressions these replaced.
// @ts-ignore: decorator
@inline export function madd64(a: v128, b: v128, c: v128): v128 { return ASC_FEATURE_RELAXED_SIMD ? f64x2.relaxed_madd(a, b, c) : f64x2.add(f64x2.mul(a, b), c); }
// @ts-ignore: decorator
@inline export function nmadd64(a: v128, b: v128, c: v128): v128 { return ASC_FEATURE_RELAXED_SIMD ? f64x2.relaxed_nmadd(a, b, c) : f64x2.sub(c, f64x2.mul(a, b)); }
// @ts-ignore: decorator
@inline export function madd32(a: v128, b: v128, c: v128): v128 { return ASC_FEATURE_RELAXED_SIMD ? f32x4.relaxed_madd(a, b, c) : f32x4.add(f32x4.mul(a, b), c); }
// @ts-ignore: decorator
@inline export function nmadd32(a: v128, b: v128, c: v128): v128 { return ASC_FEATURE_RELAXED_SIMD ? f32x4.relaxed_nmadd(a, b, c) : f32x4.sub(c, f32x4.mul(a, b)); }

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
  const bm = safe ? v128.or(v128.and(b, vc(K_MANT64)), vc(K_ONE_BITS64)) : b;
  const kh = v128.and(i32x4.add(i32x4.sub(a, bm), vc(K_HALF_HI64)), vc(K_EXP_HI64));
  const ar = i32x4.sub(a, kh);
  const kt = safe ? i32x4.sub(kh, i32x4.sub(b, bm)) : kh;
  let k = f64x2.convert_low_i32x4_s(v128.shuffle<i32>(kt, kt, 1, 3, 1, 3)); // k 2^20
  if (useAdj) k = f64x2.add(k, kadj);
  const s = f64x2.div(f64x2.sub(ar, bm), f64x2.add(ar, bm));
  const t = f64x2.mul(s, s);
  const t2 = f64x2.mul(t, t);
  const t4 = f64x2.mul(t2, t2);
  const p01 = madd64(vc(K_R1), t, vc(K_R0));
  const p23 = madd64(vc(K_R3), t, vc(K_R2));
  const p45 = madd64(vc(K_R5), t, vc(K_R4));
  const q03 = madd64(p23, t2, p01);
  const q46 = madd64(vc(K_R6), t2, p45);
  const r = madd64(t4, q46, q03);
  // k ln2_hi + (2s + (s t R + k ln2_lo)); k ln2_hi is exact
  const tail = madd64(f64x2.mul(s, t), r, f64x2.mul(k, vc(K_LN2_LO_20)));
  return madd64(k, vc(K_LN2_HI_20), f64x2.add(f64x2.add(s, s), tail));
}

/** log(x) on two lanes for positive normal x, within 1 ulp (fdlibm's
 *  formulation: f = m - 1 is exact, log = k ln2 + f - (f^2/2 - s (f^2/2 + t R))).
 *  kadj is added to the exponent in units of 2^20 (exact path). */
// @ts-ignore: decorator
@inline export function log64(x: v128, kadj: v128, useAdj: bool): v128 {
  // kh = k 2^20 in the high word (floor: the and of a two's complement value)
  const kh = v128.and(i32x4.sub(x, vc(K_SQRT_HALF_HI64)), vc(K_EXP_HI64));
  const m = i32x4.sub(x, kh);
  let k = f64x2.convert_low_i32x4_s(v128.shuffle<i32>(kh, kh, 1, 3, 1, 3)); // k 2^20
  if (useAdj) k = f64x2.add(k, kadj);
  const f = f64x2.sub(m, vc(K_ONE64));
  const s = f64x2.div(f, f64x2.add(f, vc(K_TWO64)));
  const t = f64x2.mul(s, s);
  const t2 = f64x2.mul(t, t);
  const t4 = f64x2.mul(t2, t2);
  const p01 = madd64(vc(K_L1), t, vc(K_L0));
  const p23 = madd64(vc(K_L3), t, vc(K_L2));
  const p45 = madd64(vc(K_L5), t, vc(K_L4));
  const q03 = madd64(p23, t2, p01);
  const q46 = madd64(vc(K_L6), t2, p45);
  const r = f64x2.mul(t, madd64(q46, t4, q03));
  const hfsq = f64x2.mul(vc(K_HALF64), f64x2.mul(f, f));
  const inner = madd64(s, f64x2.add(hfsq, r), f64x2.mul(k, vc(K_LN2_LO_20)));
  return f64x2.sub(f64x2.mul(k, vc(K_LN2_HI_20)), f64x2.sub(f64x2.sub(hfsq, inner), f));
}

// ---------------------------------------------------------------- f32x4 logs
/** log(a / b) on four float32 lanes; same contract as logRatio64 (!safe: b in
 *  [2^-125, 2^126)). */
// @ts-ignore: decorator
@inline export function logRatio32(a: v128, b: v128, safe: bool, shift: v128): v128 {
  const bm = safe ? v128.or(v128.and(b, vc(K_MANT32)), vc(K_ONE_BITS32)) : b;
  const kh = v128.and(i32x4.add(i32x4.sub(a, bm), vc(K_HALF_BITS32)), vc(K_EXP32));
  const ar = i32x4.sub(a, kh);
  const k = f32x4.add(f32x4.convert_i32x4_s(safe ? i32x4.sub(kh, i32x4.sub(b, bm)) : kh), shift); // k 2^23, exact
  const s = f32x4.div(f32x4.sub(ar, bm), f32x4.add(ar, bm));
  const t = f32x4.mul(s, s);
  const r = madd32(t, madd32(vc(K_S2), t, vc(K_S1)), vc(K_S0));
  const poly = madd32(f32x4.mul(s, t), r, f32x4.add(s, s));
  return madd32(k, vc(K_LN2_F32_23), poly);
}

/** log(x) on four float32 lanes for positive normal x. */
// @ts-ignore: decorator
@inline export function log32(x: v128, shift: v128): v128 {
  const kh = v128.and(i32x4.sub(x, vc(K_SQRT_HALF_BITS32)), vc(K_EXP32));
  const m = i32x4.sub(x, kh);
  const k = f32x4.add(f32x4.convert_i32x4_s(kh), shift); // k 2^23, exact
  const f = f32x4.sub(m, vc(K_ONE32));
  const s = f32x4.div(f, f32x4.add(f, vc(K_TWO32)));
  const t = f32x4.mul(s, s);
  const r = madd32(t, madd32(vc(K_T2), t, vc(K_T1)), vc(K_T0));
  const poly = madd32(f32x4.mul(s, t), r, f32x4.add(s, s));
  return madd32(k, vc(K_LN2_F32_23), poly);
}

// ---------------------------------------------------------------- f64x2 exp
// exp(x) = 2^e 2^(j/128) exp(r): k = round(x 128 / ln 2) = 128 e + j, r = x - k ln2/128,
// |r| <= ln2/256. 2^(j/128) comes from a table of double-double pairs (hi, lo), so
// the table adds no rounding; exp(r) - 1 is the Taylor polynomial of degree 5 (the
// next term is below 5.4e-19). The result is hi + (lo + hi (exp(r) - 1)), scaled by
// 2^e through the exponent bits. No division, two table loads per vector.
// Constants: scripts/exp_table.py.
// ln2/128 = EXP_LN2_HI + EXP_LN2_LO; k * EXP_LN2_HI is exact for |k| < 2^18
const EXP_LN2_HI: f64 = 0.005415212347998022;
const EXP_LN2_LO: f64 = 1.2655086083325438e-13;
const EXP_INV_STEP: f64 = 184.6649652337873;
// 2^(j/128) as (hi, lo) pairs, j = 0..127
const EXP_TABLE: StaticArray<f64> = [
  1.0, 0.0, 1.0054299011128027, 9.499186535455032e-17,
  1.0108892860517005, -1.5234778603368577e-17, 1.016378314910953, -5.77217007319966e-17,
  1.0218971486541166, 5.109225028973444e-17, 1.0274459491187637, -4.9560741746453704e-17,
  1.0330248790212284, 7.600838874027088e-18, 1.0386341019613787, 5.996273788852511e-17,
  1.0442737824274138, 8.551889705537965e-17, 1.0499440858006872, 5.592937848127003e-17,
  1.0556451783605572, 1.759325738772092e-18, 1.061377227289262, -1.1973537085365658e-17,
  1.0671404006768237, -7.899853966841582e-17, 1.0729348675259756, -3.839668843358824e-18,
  1.0787607977571199, -6.656660436056593e-17, 1.0846183622133092, 3.166152845816346e-17,
  1.0905077326652577, -3.046782079812471e-17, 1.0964290818163769, -5.919933484449316e-17,
  1.102382583307841, 5.2660368715706944e-17, 1.1083684117236787, -8.786813845180527e-17,
  1.1143867425958924, 1.0410278456845571e-16, 1.1204377524096067, -6.201085906554179e-17,
  1.1265216186082418, 5.165856758795457e-17, 1.1326385195987192, 3.237356166738e-17,
  1.1387886347566916, 8.912812676025408e-17, 1.1449721444318042, 4.6412898921700107e-17,
  1.1511892299529827, 3.250710218863827e-17, 1.1574400736337511, -9.1238712311344e-17,
  1.1637248587775775, 3.8292048369240935e-17, 1.1700437696832502, -1.8477442017900047e-18,
  1.1763969916502812, 5.554203254218079e-17, 1.182784710984341, 1.542975430079076e-17,
  1.189207115002721, 3.982015231465646e-17, 1.1956643920398273, 4.6166036704814814e-17,
  1.202156731452703, 6.644981499252301e-17, 1.2086843236265816, -4.746725945228984e-17,
  1.215247359980469, -7.712630692681488e-17, 1.2218460329727576, -1.0611021211402691e-16,
  1.22848053610687, -1.89878163130253e-17, 1.2351510639369334, -1.0755244344307841e-16,
  1.241857812073484, 4.658027591836937e-17, 1.2486009771892048, -8.261810999021964e-17,
  1.255380757024691, -6.7113898212968784e-18, 1.2621973503942507, -3.0844648874738465e-17,
  1.2690509571917332, 2.667932131342186e-18, 1.275941778396392, 9.91543024421429e-17,
  1.2828700160787783, 1.713594918243561e-17, 1.2898358734066657, 8.949257530897592e-17,
  1.2968395546510096, 2.5382502794888315e-17, 1.3038812651919358, 8.647675598267871e-17,
  1.3109612115247644, -7.181536135519454e-17, 1.318079601266064, -5.4579558271491535e-17,
  1.3252366431597413, -2.8587312100388614e-17, 1.3324325470831615, -5.101586630916744e-17,
  1.339667524053303, 8.927282594831732e-17, 1.3469417862329458, 3.224065101254679e-17,
  1.3542555469368927, 7.70094837980299e-17, 1.3616090206382248, 1.533787661270668e-18,
  1.3690024229745905, 9.593797919118849e-17, 1.3764359707545302, -6.898588935871801e-17,
  1.383909881963832, -6.770511658794786e-17, 1.3914243757719262, -4.9061748652889893e-17,
  1.3989796725383112, -9.614213209051323e-17, 1.4065759938190154, 7.034914812136422e-18,
  1.4142135623730951, -9.667293313452913e-17, 1.4218926021691656, -1.6077828915890244e-17,
  1.42961333839197, -1.2031642489053655e-17, 1.4373759974489824, -4.2040340164675566e-17,
  1.4451808069770467, -3.0237581349939873e-17, 1.4530279958490526, -5.779948609396106e-17,
  1.460917794180647, -5.600377186075216e-17, 1.4688504333369818, 8.465882756533628e-17,
  1.4768261459394993, -3.483994556892796e-17, 1.4848451658727524, 1.0780086764407481e-16,
  1.4929077282912648, 1.4192920154284036e-17, 1.5010140696264256, -6.413767275790235e-17,
  1.5091644275934228, -1.016455327754295e-16, 1.5173590411982147, -4.308699472043341e-17,
  1.5255981507445384, -1.1024941712342561e-16, 1.533881997840956, 8.875226844438446e-17,
  1.5422108254079407, 7.949834809697621e-17, 1.550584877685, -1.4600706590689385e-17,
  1.559004400237837, 3.7812070533575275e-17, 1.567469639965553, -1.0352061768849722e-16,
  1.5759808451078865, -1.0136916471278304e-17, 1.5845382652524937, -1.9337717034585703e-17,
  1.593142151342267, -1.0094406542311964e-16, 1.6017927556826934, -6.054917453527784e-17,
  1.6104903319492543, 2.4707192569797888e-17, 1.6192351351948637, 2.0941334154229092e-17,
  1.6280274218573478, -6.712955084707084e-17, 1.6368674497669644, 7.698325071319876e-17,
  1.645755478153965, -1.0125679913674773e-16, 1.6546917676561943, 9.643294303196029e-17,
  1.6636765803267364, 5.8909926967131e-17, 1.6727101796415966, -5.476715964599563e-17,
  1.681792830507429, 8.199010020581497e-17, 1.6909247992693053, -9.66967147439488e-17,
  1.7001063537185235, -8.0237193703977e-18, 1.709337763100463, -9.868779456632931e-17,
  1.718619298122478, -1.851380418263111e-17, 1.7279512309618377, -1.0750981861204642e-16,
  1.7373338352737062, 3.164389299292957e-17, 1.746767386199169, -1.0752290483507515e-16,
  1.7562521603732995, 2.960140695448873e-17, 1.7657884359332727, 9.461315018083268e-17,
  1.7753764925265212, 6.429731796556572e-17, 1.785016611318935, 1.5330400121031314e-17,
  1.7947090750031072, 1.8227458427912087e-17, 1.804454167806624, -5.177222408793318e-17,
  1.8142521755003989, -9.969531538920349e-17, 1.8241033854070534, -1.0159627862277083e-16,
  1.8340080864093424, 3.283107224245627e-17, 1.843966568958626, -5.939742026949965e-17,
  1.8539791250833855, 9.761887490727594e-17, 1.864046048397789, 6.540912680620572e-17,
  1.8741676341103, -6.122763413004143e-17, 1.8843441790323345, -8.226593125533711e-17,
  1.8945759815869656, 3.4034035352165297e-17, 1.9048633418176741, 6.533857514718279e-17,
  1.9152065613971474, -1.0619946056195963e-16, 1.925605943636125, -9.914963769693741e-17,
  1.9360617934922943, 1.0332385960676326e-16, 1.9465744175792332, 6.811022349533877e-17,
  1.9571441241754002, 8.960767791036668e-17, 1.9677712232331759, -1.0314928011531132e-16,
  1.978456026387951, 4.0388753109278167e-17, 1.9891988469672663, 8.2051326383692e-18,
];

const EXP_SHIFTER: f64 = 6755399441055744.0; // 1.5 2^52
const K_EXP_INV_STEP = memory.data<f64>([EXP_INV_STEP, EXP_INV_STEP], 16);
const K_EXP_SHIFTER = memory.data<f64>([EXP_SHIFTER, EXP_SHIFTER], 16);
const K_EXP_LN2_HI = memory.data<f64>([EXP_LN2_HI, EXP_LN2_HI], 16);
const K_EXP_LN2_LO = memory.data<f64>([EXP_LN2_LO, EXP_LN2_LO], 16);
// the Taylor coefficients 1/3!, 1/4!, 1/5! (1/2! is K_HALF64)
const K_INV6 = memory.data<f64>([1.0 / 6.0, 1.0 / 6.0], 16);
const K_INV24 = memory.data<f64>([1.0 / 24.0, 1.0 / 24.0], 16);
const K_INV120 = memory.data<f64>([1.0 / 120.0, 1.0 / 120.0], 16);

/** exp(x) on two lanes, for x in [-708.39, 709.78] (normal results; callers clamp):
 *  within 1 ulp (test/exp.test.ts). */
// @ts-ignore: decorator
@inline export function exp64(x: v128): v128 { return expOrExpm164(x, false); }

/** exp(x) − 1 on two lanes, for x in [-708, 709.7] (callers clamp), from the same reduction: 2^e hi − 1 is exact
 *  for e = 0 and −1 (|x| < 1/4: Sterbenz), so the result is (2^e hi − 1) + 2^e (lo + hi (exp(r) − 1)) with no
 *  cancellation beyond a factor 2 (|2^(k/128) − 1| ≤ 2|x| where k ≠ 0): within a few ulps, and exp(r) − 1 itself
 *  for |x| < ln2/256 (k = 0). No polynomial besides exp's. */
// @ts-ignore: decorator
@inline export function expm164(x: v128): v128 { return expOrExpm164(x, true); }

// @ts-ignore: decorator
@inline function expOrExpm164(x: v128, minusOne: bool): v128 {
  // kd = x 128/ln2 + 1.5 2^52 rounds to an integer k held in the low bits of kd
  // (|k| < 2^18), so kd - 1.5 2^52 = k exactly, and k's bits need no conversion
  // (fused, kd is x 128/ln2 rounded once: r below is computed from whichever k it gives)
  const kd = madd64(x, vc(K_EXP_INV_STEP), vc(K_EXP_SHIFTER));
  const kf = f64x2.sub(kd, vc(K_EXP_SHIFTER));
  const r = nmadd64(kf, vc(K_EXP_LN2_LO), nmadd64(kf, vc(K_EXP_LN2_HI), x)); // k ln2_hi/128 exact
  const table = changetype<usize>(EXP_TABLE);
  const t0 = v128.load(table + (<usize>(i32x4.extract_lane(kd, 0) & 127) << 4));
  const t1 = v128.load(table + (<usize>(i32x4.extract_lane(kd, 2) & 127) << 4));
  const hi = v128.shuffle<i64>(t0, t1, 0, 2), lo = v128.shuffle<i64>(t0, t1, 1, 3);
  const r2 = f64x2.mul(r, r);
  const c = madd64(r2, madd64(r, vc(K_INV120), vc(K_INV24)), madd64(r, vc(K_INV6), vc(K_HALF64)));
  const em1 = madd64(r2, c, r);
  // (k >> 7) << 52: shifting kd's bits left by 45 drops the shifter's bits and j's
  const e = v128.and(i64x2.shl(kd, 45), vc(K_EXP_HI64));
  if (minusOne) {
    // 2^e (e in [-1022, 1023]: normal) from its exponent bits; 2^e hi is exact
    const scale = i64x2.add(e, vc(K_ONE_BITS64));
    return madd64(scale, madd64(hi, em1, lo), f64x2.sub(f64x2.mul(scale, hi), vc(K_ONE64)));
  }
  const y = f64x2.add(hi, madd64(hi, em1, lo));
  return i64x2.add(y, e);
}

// ---------------------------------------------------------------- exact paths
// Positive subnormals (and q = 0 with eps = 0) are rare: the fast kernels flag
// them and the caller reruns the exact variant, which scales subnormal lanes by
// 2^64 (exactly) before the log and takes 64 ln 2 back out afterwards.
const TWO64: f64 = 18446744073709551616.0;
const MIN_SUBNORMAL_F64: f64 = 5e-324;
const K_TWO64_SCALE = memory.data<f64>([TWO64, TWO64], 16);
const K_MIN_SUBNORMAL64 = memory.data<f64>([MIN_SUBNORMAL_F64, MIN_SUBNORMAL_F64], 16);
const K_TINY_EXP64 = memory.data<f64>([-64.0 * 1048576.0, -64.0 * 1048576.0], 16);

// @ts-ignore: decorator
@inline export function scaleTiny64(x: v128): v128 {
  const t = f64x2.lt(x, vc(K_MIN_NORMAL64));
  return v128.bitselect(f64x2.mul(x, vc(K_TWO64_SCALE)), x, t);
}
/** -64 2^20 where x is below the normal range (it was scaled by 2^64), else 0. */
// @ts-ignore: decorator
@inline export function tinyExp64(x: v128): v128 {
  return v128.and(f64x2.lt(x, vc(K_MIN_NORMAL64)), vc(K_TINY_EXP64));
}
// Every wrapper takes `shift`: an integer e, as e 2^20 (f64 lanes) or e 2^23
// (f32 lanes), added exactly to the exponent, so it returns log(a / b) + e ln 2
// (log(x) + e ln 2). normalize uses it to take logs of x / sum without
// cancelling a large log(sum) afterwards; it is 0 otherwise.

/** log(a / b) for any finite a >= 0 and b >= 0, subnormals included; finite
 *  (and meaningless) for b = 0, so that a = b = 0 gives a * log(a / b) = 0. */
// @ts-ignore: decorator
@inline export function logRatioExact64(a: v128, b: v128, shift: v128): v128 {
  const bb = f64x2.pmax(b, vc(K_MIN_SUBNORMAL64));
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
