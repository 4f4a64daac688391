// The one loop behind every kernel. Each family file (entropy.ts, divergence.ts,
// jensen.ts, sum.ts) exports pointer-and-length entry points that call span()
// or rows() with its KIND; the per-kind term is a few lines in term64/term32.
// What the loop guarantees for every kind:
//   - a single pass over the inputs; the value checks ride along in it;
//   - blocked summation (BLOCK elements per block, Neumaier across blocks);
//   - odd lengths: the last n % width elements go through the same loop body
//     once more from a padded copy, so there is no scalar twin of the math.
import {
  K_INF32, K_NEG_INF64, logRatioFast64, logRatioSafe64, logRatioExact64, logFast64, logExact64, logRatio32, log32, exp64, expm164,
  vc, madd64, madd32, K_ONE64, K_TWO64, K_HALF64, K_INF64, K_MIN_NORMAL64, K_HALF32, K_MIN_NORMAL32, K_I64_1, K_I32_1,
} from "./vecmath";

// Kinds of sum.
export const KIND_SUM: i32 = 0; // sum p (validated), for normalisation
export const KIND_ENT: i32 = 1; // sum p log p
export const KIND_KL: i32 = 2;  // sum p log(p / clip(q, lo, hi))
export const KIND_CE: i32 = 3;  // sum p log(clip(q, lo, hi))
export const KIND_JS: i32 = 4;  // sum p' log(p'/m) + q' log(q'/m), p' = a p, q' = b q, m = (p' + q') / 2
export const KIND_KLD: i32 = 5; // sum p' log(p' / max(q, lo)), p' = max(p, b), b = lo > 0: densities, both clipped below
// The divergence family (assembly/divergence.ts), float64 lanes only (float32 input is widened: wide mode).
// x = a p, y = b q, c = clip(q, lo, hi), l = log(a p / c); terms with p = 0 (and q = 0 where it says) are 0.
export const KIND_POW: i32 = 6;  // sum p expm1(b l): Σ x^α y^(1−α) − Σ x (b = α − 1), +Inf from l = +Inf (c = 0 < p)
export const KIND_POWD: i32 = 7; // sum p exp(b l): Σ x^α y^(1−α) itself; +Inf where b l leaves [-708, 709.7] (the caller reruns)
export const KIND_HEL: i32 = 8;  // sum ½ ((x − y) / (√x + √y))² = ½ Σ (√x − √y)², relatively accurate for x ≈ y
export const KIND_TV: i32 = 9;   // sum |x − y|
export const KIND_CHI: i32 = 10; // sum (x − y) ((x − y) / y), +Inf where y = 0 < x
export const KIND_JEF: i32 = 11; // sum (x − y) log(x / y), +Inf where exactly one of x, y is 0
export const KIND_BC: i32 = 12;  // sum √x √y
export const KIND_POW2: i32 = 13;  // KIND_POW for b = 1 (α = 2): sum p (a p − c) / c, one division, no exp or log
export const KIND_POWD2: i32 = 14; // KIND_POWD for b = 1: sum p (a p / c)
// One input (entropies: q is p, c = lo = hi the row's constant): the four kinds above without q (q = p is not read twice);
// their sums of p are blocked and compensated like the terms (the as-given Tsallis (W − T) / β takes W from them).
export const KIND_EPOW: i32 = 15;   // KIND_POW of p alone
export const KIND_EPOWD: i32 = 16;  // KIND_POWD of p alone
export const KIND_EPOW2: i32 = 17;  // KIND_POW2 of p alone
export const KIND_EPOWD2: i32 = 18; // sum p p (a / c): KIND_POWD2 of p alone, a / c taken once a row (no division)
// KIND_EPOWD for b = ±½ (the orders 1.5 and 0.5): p √p and √p, the block's sum times √(a / c) and √(c / a)
export const KIND_EROOT: i32 = 20;
export const KIND_EROOTN: i32 = 21;
// KIND_HEL with the sums of p and q within u W + ½ ulp (pairs of values rounded once, then added by TwoSum): Bhattacharyya
// takes the masses' distances from 1 from them.
export const KIND_HELM: i32 = 19;

// Modes: input precision, and fast or exact log.
export const MODE_F64: i32 = 0;       // f64 input, f64x2 fast log
export const MODE_F64_EXACT: i32 = 1; // f64 input, subnormals and poles handled
export const MODE_F32: i32 = 2;       // f32 input, f32x4 log, terms summed in f64

// @ts-ignore: decorator
@inline function twoInputs(kind: i32): bool { return kind >= KIND_KL && !(kind >= KIND_EPOW && kind <= KIND_EPOWD2) && !root(kind); }
// @ts-ignore: decorator
@inline function root(kind: i32): bool { return kind == KIND_EROOT || kind == KIND_EROOTN; }
// @ts-ignore: decorator
@inline function exactSums(kind: i32): bool { return kind == KIND_HELM; }
// @ts-ignore: decorator
@inline function blockSums(kind: i32): bool { return (kind >= KIND_EPOW && kind <= KIND_EPOWD2) || root(kind); }

// ---------------------------------------------------------------- checks
// Every kernel folds what it needs to know about its inputs into accumulators,
// without branches, and returns it as flags:
//   BAD:  suspect input: a negative value (a running minimum of p and q), a NaN or
//         infinity in q where q is only clipped and logged (KL, cross-entropy: a running
//         sum of q0 - q1 turns non-finite), or a row whose sum is not finite, which
//         any NaN or infinity in a value that multiplies its term (p always; q for
//         Jensen-Shannon) makes it. The caller scans for the first bad value and
//         throws; if there is none, the non-finite sum is the answer (a pole, or an
//         overflow; a huge q0 - q1 sum at worst costs that scan).
//   TINY: a value the fast log cannot take: a positive subnormal, or (float32) one
//         so large that p * log(.) could overflow. The caller reruns the exact mode.
//   LOW:  (clipping kinds) some q below lo where p > 0, i.e. raised by the lower clip.
//         With eps = 0 the caller runs the fast mode with lo at the smallest normal
//         number the fast log takes, and reruns the exact mode only when LOW is set
//         (a pole, q = 0 < p, or a subnormal q), so eps = 0 costs what eps > 0 costs.
// None is the common case, and none costs a second pass when it is not set.
export const FLAG_BAD: i32 = 1;
export const FLAG_TINY: i32 = 2;
export const FLAG_LOW: i32 = 4;
let flags: i32 = 0;

// Each span also sums p and q as they are read (the default check that a row sums to
// 1, in the same pass): float64 in f64x2 lanes over the row, float32 in f32x4 lanes
// over a block (at most 64 values a lane) widened into f64x2. rowsOf stores them.
let sumP: f64 = 0.0;
let sumQ: f64 = 0.0;
// blockSums' compensated sum of p (Neumaier across blocks); divergence/order.ts sums p the same way
let sumPHi: f64 = 0.0;
let sumPLo: f64 = 0.0;
// @ts-ignore: decorator
@inline function sumPAdd(x: f64): void {
  const s = sumPHi, t = s + x;
  if (Math.abs(s) >= Math.abs(x)) sumPLo += (s - t) + x;
  else sumPLo += (x - t) + s;
  sumPHi = t;
}
// @ts-ignore: decorator
@inline export function pSumReset(): void { sumPHi = 0.0; sumPLo = 0.0; }
/** A block's sum of p, in two lanes, added to the row's. */
// @ts-ignore: decorator
@inline export function pSumAddLanes(ps: v128): void {
  sumPAdd(f64x2.extract_lane(ps, 0));
  sumPAdd(f64x2.extract_lane(ps, 1));
}
/** The row's compensated sum of p; an infinite one as it is. */
// @ts-ignore: decorator
@inline export function pSumResult(): f64 { return isFinite(sumPHi) ? sumPHi + sumPLo : sumPHi; }

// @ts-ignore: decorator
@inline function clips(kind: i32): bool { return kind == KIND_KL || kind == KIND_CE || kind == KIND_KLD || pow(kind); }
// @ts-ignore: decorator
@inline function pow(kind: i32): bool { return (kind >= KIND_POW && kind <= KIND_POWD) || (kind >= KIND_POW2 && kind <= KIND_EPOWD2); }
// @ts-ignore: decorator
@inline function powLog(kind: i32): bool { return kind == KIND_POW || kind == KIND_POWD || kind == KIND_EPOW || kind == KIND_EPOWD; }
// @ts-ignore: decorator
@inline function hel(kind: i32): bool { return kind == KIND_HEL || kind == KIND_HELM; }
// @ts-ignore: decorator
@inline function family(kind: i32): bool { return kind >= KIND_POW; }
// @ts-ignore: decorator
@inline function ratio(kind: i32): bool { return kind == KIND_KL || kind == KIND_KLD; }

/** Unsigned minimum over the high words of bits(x) - 1: below 0x00100000 iff some
 *  lane held a positive subnormal (0 maps to 0xFFFFFFFF, normals to >= 0x00100000). */
// @ts-ignore: decorator
@inline export function tinyAcc64(acc: v128, x: v128): v128 {
  return i32x4.min_u(acc, i64x2.sub(x, vc(K_I64_1)));
}
// @ts-ignore: decorator
@inline export function tinyAcc32(acc: v128, x: v128): v128 {
  return i32x4.min_u(acc, i32x4.sub(x, vc(K_I32_1)));
}

// Thresholds on the high word of bits(x) - 1 below which a lane needs the exact path.
export const TINY64: i32 = 0x00100000;    // x < 2^-1022
const TINY64_JS: i32 = 0x00200000; // x < 2^-1021, so that m = (p + q) / 2 stays normal
const TINY64_HEL: i32 = 0x28300000; // x < 2^-380: x y may leave the normal range (Hellinger's one-root form)
const BIG64_HEL: f64 = 2.462625387274655e114; // 2^380
const TINY32: i32 = 0x00800000;    // x < 2^-126
const TINY32_JS: i32 = 0x01000000;
// Float32 products p * log(.) stay finite below this; larger p take the exact path.
const BIG32: f32 = 1.329227995784916e36; // 2^120

// ---------------------------------------------------------------- summation
// Kernels add terms into a few vector accumulators for one block of at most
// BLOCK elements (so each lane sums at most BLOCK / lanes terms), then fold the
// block's total into a Neumaier-compensated scalar sum. The error is then
// bounded by about (BLOCK / lanes) u * sum|terms|, independent of n.
export const BLOCK: i32 = 256;

export let sumHi: f64 = 0.0;
export let sumLo: f64 = 0.0;

// @ts-ignore: decorator
@inline export function sumReset(): void { sumHi = 0.0; sumLo = 0.0; }

// @ts-ignore: decorator
@inline export function sumAdd(x: f64): void {
  const s = sumHi;
  const t = s + x;
  if (Math.abs(s) >= Math.abs(x)) sumLo += (s - t) + x;
  else sumLo += (x - t) + s;
  sumHi = t;
}

// @ts-ignore: decorator
@inline export function sumAddLanes(v: v128): void {
  sumAdd(f64x2.extract_lane(v, 0));
  sumAdd(f64x2.extract_lane(v, 1));
}

/** The compensated total; an infinite sum (a pole) is returned as it is, not NaN. */
// @ts-ignore: decorator
@inline export function sumResult(): f64 { return isFinite(sumHi) ? sumHi + sumLo : sumHi; }

/** f32x4 -> two f64x2 halves added together (exact conversion, one rounding in the add). */
// @ts-ignore: decorator
@inline export function widenAdd(v: v128): v128 {
  return f64x2.add(f64x2.promote_low_f32x4(v), f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 2, 3)));
}

// ---------------------------------------------------------------- flags
// @ts-ignore: decorator
@inline export function flagsOf64(qacc: v128, min: v128, tiny: v128, tinyLimit: u32, qlow: v128, lo: v128): i32 {
  let f = 0;
  if (v128.any_true(f64x2.lt(qlow, lo))) f |= FLAG_LOW;
  if (!v128.all_true<i64>(f64x2.eq(f64x2.sub(qacc, qacc), f64x2.splat(0.0)))) f |= FLAG_BAD; // not finite
  if (v128.any_true(f64x2.lt(min, f64x2.splat(0.0)))) f |= FLAG_BAD;
  // only the high word of each lane is meaningful
  if (<u32>i32x4.extract_lane(tiny, 1) < tinyLimit || <u32>i32x4.extract_lane(tiny, 3) < tinyLimit) f |= FLAG_TINY;
  return f;
}
// @ts-ignore: decorator
@inline function flagsOf32(qacc: v128, min: v128, tiny: v128, tinyLimit: u32, big: v128, qlow: v128, lo: v128): i32 {
  let f = 0;
  if (v128.any_true(f32x4.lt(qlow, lo))) f |= FLAG_LOW;
  if (!v128.all_true<i32>(f32x4.eq(f32x4.sub(qacc, qacc), f32x4.splat(0.0)))) f |= FLAG_BAD;
  if (v128.any_true(f32x4.lt(min, f32x4.splat(0.0)))) f |= FLAG_BAD;
  if (v128.any_true(i32x4.lt_u(tiny, i32x4.splat(tinyLimit)))) f |= FLAG_TINY;
  if (v128.any_true(f32x4.ge(big, f32x4.splat(BIG32)))) f |= FLAG_TINY;
  return f;
}

// ---------------------------------------------------------------- tails
const TAIL_A: usize = memory.data(64, 16);
const TAIL_B: usize = memory.data(64, 16);

/** Copies rem (< 8) elements from src to dst and pads the rest of 8 slots with pad. */
// @ts-ignore: decorator
@inline function fillTail(dst: usize, src: usize, rem: i32, f32in: bool, pad: f64): void {
  for (let i = 0; i < 8; i++) {
    if (f32in) store<f32>(dst + (<usize>i << 2), i < rem ? load<f32>(src + (<usize>i << 2)) : <f32>pad);
    else store<f64>(dst + (<usize>i << 3), i < rem ? load<f64>(src + (<usize>i << 3)) : pad);
  }
}
// @ts-ignore: decorator
@inline function padP(kind: i32): f64 { return 0.0; }
// @ts-ignore: decorator
// KLD: p and q pads are both clipped up to the same floor, a zero term
@inline function padQ(kind: i32): f64 { return kind == KIND_JS || kind == KIND_KLD || (family(kind) && !pow(kind)) ? 0.0 : 1.0; }

// ---------------------------------------------------------------- terms
// The terms' own vector constants (the shared ones are vecmath.ts's; vconst.ts says why they are in memory)
const K_2M256 = memory.data<f64>([8.636168555094445e-78, 8.636168555094445e-78], 16);
const K_2P256 = memory.data<f64>([1.157920892373162e77, 1.157920892373162e77], 16);
const K_QUARTER64 = memory.data<f64>([0.25, 0.25], 16);
export const K_EXP_MIN = memory.data<f64>([-708.0, -708.0], 16);
export const K_EXP_MAX = memory.data<f64>([709.7, 709.7], 16);
export const K_EXPM1_MIN = memory.data<f64>([-45.0, -45.0], 16);
/** acc + one f64x2 term (p l + acc fused where relaxed SIMD is on: madd64). For KIND_JS, p and q arrive already
 *  scaled by a and b; for the other kinds `shift` (e 2^20) adds e ln 2 to every log (see vecmath.ts).
 *  safe: the ratio log's b (clip(q) of KIND_KL, m of KIND_JS) may lie outside
 *  [2^-1021, 2^1022) (see logRatio64). */
// @ts-ignore: decorator
@inline function term64(kind: i32, acc: v128, p: v128, q: v128, lo: v128, hi: v128, shift: v128, exact: bool, safe: bool): v128 {
  const zero = f64x2.splat(0.0);
  if (kind == KIND_SUM) return f64x2.add(acc, p);
  if (kind == KIND_ENT) return madd64(p, exact ? logExact64(p, shift) : logFast64(p, shift), acc);
  if (kind == KIND_JS) {
    let ps = p, qs = q;
    if (exact) {
      // lanes where both are tiny: scale both up (log ratios do not change)
      const small = f64x2.lt(f64x2.pmax(p, q), vc(K_2M256)); // 2^-256
      const sc = v128.bitselect(vc(K_2P256), vc(K_ONE64), small); // 2^256
      ps = f64x2.mul(p, sc); qs = f64x2.mul(q, sc);
    }
    let m: v128;
    if (exact || safe) m = f64x2.add(f64x2.mul(ps, vc(K_HALF64)), f64x2.mul(qs, vc(K_HALF64)));
    // fast: m >= 2^1022 is beyond the fast ratio log; then 2 (p + q) overflows, m is
    // infinite, the term NaN, and rowsOf reruns the row with safe
    else m = f64x2.mul(f64x2.mul(f64x2.add(ps, qs), vc(K_TWO64)), vc(K_QUARTER64));
    // m = 0 (p = q = 0) must still give a finite log: the fast ratio log wants b normal
    if (!exact) m = f64x2.pmax(m, vc(K_MIN_NORMAL64));
    const lp = exact ? logRatioExact64(ps, m, zero) : safe ? logRatioSafe64(ps, m, zero) : logRatioFast64(ps, m, zero);
    const lq = exact ? logRatioExact64(qs, m, zero) : safe ? logRatioSafe64(qs, m, zero) : logRatioFast64(qs, m, zero);
    // not fused: p lp + q lq rounded alike on both sides, so that JS(P, Q) = JS(Q, P) exactly in both builds
    return f64x2.add(acc, f64x2.add(f64x2.mul(p, lp), f64x2.mul(q, lq)));
  }
  const c = f64x2.pmin(f64x2.pmax(q, lo), hi);
  const l = ratio(kind) ? (exact ? logRatioExact64(p, c, shift) : safe ? logRatioSafe64(p, c, shift) : logRatioFast64(p, c, shift))
    : (exact ? logExact64(c, shift) : logFast64(c, shift));
  if (!exact) return madd64(p, l, acc);
  // q clipped to 0 under p > 0 (only with eps = 0): the log is infinite
  const pole = v128.and(f64x2.eq(c, zero), f64x2.gt(p, zero));
  return f64x2.add(acc, v128.bitselect(vc(kind == KIND_KL ? K_INF64 : K_NEG_INF64), f64x2.mul(p, l), pole));
}

/** expm1 on two lanes: vecmath's for x in [-45, 709.7] (within a few ulps), −1 below (e^-45 < 2^-54: expm1 rounds
 *  to −1 there; the clamp keeps 2^e and its products normal: the terms of p = 0, whose log is about −745, would
 *  make subnormals, which x64 computes slowly), +Inf above. */
// @ts-ignore: decorator
@inline function expm1Clamped64(x: v128): v128 {
  const r = expm164(f64x2.pmin(f64x2.pmax(x, vc(K_EXPM1_MIN)), vc(K_EXP_MAX)));
  return v128.bitselect(vc(K_INF64), r, f64x2.gt(x, vc(K_EXP_MAX)));
}

/** One f64x2 term of the divergence family (see the KIND_ constants); p, q raw, a, b the scales. */
// @ts-ignore: decorator
@inline function termFamily(kind: i32, p: v128, q: v128, lo: v128, hi: v128, a: v128, b: v128, exact: bool): v128 {
  const zero = f64x2.splat(0.0), inf = vc(K_INF64);
  // one input, b = 1: p p, the block's sum times a / c (span64; c > 0); b = ±½: p √p, √p (times √(a/c), √(c/a))
  if (kind == KIND_EPOWD2) return f64x2.mul(p, p);
  if (kind == KIND_EROOT) return f64x2.mul(p, f64x2.sqrt(p));
  if (kind == KIND_EROOTN) return f64x2.sqrt(p);
  if (kind == KIND_POW2 || kind == KIND_POWD2 || kind == KIND_EPOW2) {
    // b = 1: expm1(log(a p / c)) = (a p − c) / c (a p − c exact where a p ≈ c) and exp(log(a p / c)) = a p / c;
    // a pole c = 0 < p gives +Inf (the exact mode's c; the fast mode raised c and flagged it)
    const ap = f64x2.mul(p, a), c = f64x2.pmin(f64x2.pmax(q, lo), hi);
    const r = f64x2.div(kind == KIND_POWD2 ? ap : f64x2.sub(ap, c), c);
    return v128.bitselect(zero, f64x2.mul(p, r), f64x2.eq(p, zero));
  }
  if (pow(kind)) {
    // one input: c = lo = hi
    const ap = f64x2.mul(p, a), c = twoInputs(kind) ? f64x2.pmin(f64x2.pmax(q, lo), hi) : lo;
    let l = exact ? logRatioExact64(ap, c, zero) : logRatioSafe64(ap, c, zero);
    if (exact) l = v128.bitselect(inf, l, f64x2.eq(c, zero)); // a pole: c = 0 < p
    const t = f64x2.mul(b, l);
    let e: v128;
    if (kind == KIND_POW || kind == KIND_EPOW) e = expm1Clamped64(t);
    else {
      const tc = f64x2.pmin(f64x2.pmax(t, vc(K_EXP_MIN)), vc(K_EXP_MAX));
      // outside exp64's range (t moved by the clamp, or NaN): +Inf, for the caller to recompute the row (log-sum-exp)
      e = v128.bitselect(exp64(tc), inf, f64x2.eq(t, tc));
    }
    // p = 0: 0 (selected on p == 0, so that a NaN p stays NaN: NaN is caught by the row's sum)
    return v128.bitselect(zero, f64x2.mul(p, e), f64x2.eq(p, zero));
  }
  const x = f64x2.mul(p, a), y = f64x2.mul(q, b), d = f64x2.sub(x, y);
  if (kind == KIND_TV) return f64x2.abs(d);
  if (kind == KIND_BC) return f64x2.mul(f64x2.sqrt(x), f64x2.sqrt(y));
  if (hel(kind)) {
    if (exact) {
      const r = f64x2.add(f64x2.sqrt(x), f64x2.sqrt(y));
      const h = f64x2.div(d, r);
      return v128.bitselect(zero, f64x2.mul(f64x2.mul(h, h), vc(K_HALF64)), f64x2.eq(r, zero));
    }
    // ½ d (d / (√x + √y)²), (√x + √y)² = x + y + 2 √(x y): one square root, where x y neither under- nor
    // overflows (the loop flags max(x, y) outside [2^-480, 2^480) for the exact mode's form above)
    const g = f64x2.sqrt(f64x2.mul(x, y));
    const r = f64x2.add(f64x2.add(x, y), f64x2.add(g, g));
    return v128.bitselect(zero, f64x2.mul(f64x2.mul(d, f64x2.div(d, r)), vc(K_HALF64)), f64x2.eq(r, zero));
  }
  // the zero tests are equalities, so that a NaN in p or q never selects a finite value (its row's sum must not be finite)
  const pz = f64x2.eq(p, zero), qz = f64x2.eq(q, zero);
  if (kind == KIND_CHI) {
    // y = 0 < x: d / y = +Inf; x = y = 0: NaN, which the maximum with 0 makes 0 (a NaN or infinite p or q
    // is caught by the sums of p and q instead: span64)
    return f64x2.pmax(zero, f64x2.mul(d, f64x2.div(d, y)));
  }
  // KIND_JEF: both 0: 0; exactly one 0: +Inf
  const l = exact ? logRatioExact64(x, y, zero) : logRatioSafe64(x, y, zero);
  const none = v128.not(v128.or(pz, qz));
  return v128.bitselect(f64x2.mul(d, l), v128.bitselect(zero, inf, v128.and(pz, qz)), none);
}

/** One f32x4 term (fast float32 path), plus acc when withAcc (p l + acc fused where relaxed SIMD is on). */
// @ts-ignore: decorator
@inline function term32(kind: i32, acc: v128, withAcc: bool, p: v128, q: v128, lo: v128, hi: v128, shift: v128, safe: bool): v128 {
  let l: v128;
  if (kind == KIND_JS) {
    const m = f32x4.pmax(f32x4.add(f32x4.mul(p, vc(K_HALF32)), f32x4.mul(q, vc(K_HALF32))),
                         vc(K_MIN_NORMAL32)); // m = 0 where p = q = 0
    const zero = f32x4.splat(0.0);
    // not fused (symmetry: see the f64 term)
    const t = f32x4.add(f32x4.mul(p, logRatio32(p, m, false, zero)), f32x4.mul(q, logRatio32(q, m, false, zero)));
    return withAcc ? f32x4.add(acc, t) : t;
  }
  if (kind == KIND_ENT) l = log32(p, shift);
  else {
    const c = f32x4.pmin(f32x4.pmax(q, lo), hi);
    l = ratio(kind) ? logRatio32(p, c, safe, shift) : log32(c, shift);
  }
  return withAcc ? madd32(p, l, acc) : f32x4.mul(p, l);
}

// ---------------------------------------------------------------- spans
/** The rounding error of t = s + x (TwoSum: exact, no branch). */
// @ts-ignore: decorator
@inline export function twoSumErr(s: v128, x: v128, t: v128): v128 {
  const z = f64x2.sub(t, s);
  return f64x2.add(f64x2.sub(s, f64x2.sub(t, z)), f64x2.sub(x, z));
}
/** The lanes of a TwoSum-compensated sum (s, c) added up: s0 + s1 exactly, then the small parts. */
// @ts-ignore: decorator
@inline export function exactTotal(s: v128, c: v128): f64 {
  const s0 = f64x2.extract_lane(s, 0), s1 = f64x2.extract_lane(s, 1), t = s0 + s1, z = t - s0;
  return t + (((s0 - (t - z)) + (s1 - z)) + (f64x2.extract_lane(c, 0) + f64x2.extract_lane(c, 1)));
}

/** The f64x2 loop over float64 input (float32 input's exact mode is widened to
 *  float64 by the caller): 4 elements per iteration, two accumulators. */
// @ts-ignore: decorator
@inline function span64(kind: i32, p: usize, q: usize, n: i32, loS: f64, hiS: f64, aS: f64, bS: f64,
                        exact: bool, safe: bool): f64 {
  const two = twoInputs(kind);
  const lo = f64x2.splat(loS), hi = f64x2.splat(hiS), a = f64x2.splat(aS), b = f64x2.splat(bS);
  const shift = f64x2.splat(kind == KIND_JS || family(kind) ? 0.0 : aS * 1048576.0);
  let qacc = f64x2.splat(0.0), mn = f64x2.splat(Infinity), tiny = i32x4.splat(-1);
  let ps = f64x2.splat(0.0), qs = f64x2.splat(0.0), qlow = f64x2.splat(Infinity);
  let pc = f64x2.splat(0.0), qc = f64x2.splat(0.0), big = f64x2.splat(0.0); // exactSums' parts; HEL's max(x, y)
  const zero = f64x2.splat(0.0), inf = vc(K_INF64);
  sumReset();
  if (blockSums(kind)) pSumReset();
  let pp = p, qp = q, left = n;
  while (true) {
    let groups = left >> 2;
    while (groups > 0) {
      const g = groups < (BLOCK >> 2) ? groups : (BLOCK >> 2);
      groups -= g;
      let acc0 = f64x2.splat(0.0), acc1 = f64x2.splat(0.0);
      for (let j = 0; j < g; j++) {
        let p0 = v128.load(pp), p1 = v128.load(pp, 16);
        let q0 = p0, q1 = p1;
        if (exactSums(kind)) {
          // p0 + p1 rounded (at most u (p0 + p1)), then added exactly
          const s01 = f64x2.add(p0, p1), t = f64x2.add(ps, s01);
          pc = f64x2.add(pc, twoSumErr(ps, s01, t));
          ps = t;
        } else if (kind != KIND_SUM) ps = f64x2.add(ps, f64x2.add(p0, p1));
        if (two) {
          q0 = v128.load(qp); q1 = v128.load(qp, 16);
          if (exactSums(kind)) {
            const s01 = f64x2.add(q0, q1), t = f64x2.add(qs, s01);
            qc = f64x2.add(qc, twoSumErr(qs, s01, t));
            qs = t;
          } else qs = f64x2.add(qs, f64x2.add(q0, q1));
          if (clips(kind)) {
            qacc = f64x2.add(qacc, f64x2.sub(q0, q1));
            qlow = f64x2.pmin(qlow, f64x2.pmin(v128.bitselect(q0, inf, f64x2.gt(p0, zero)),
                                               v128.bitselect(q1, inf, f64x2.gt(p1, zero))));
          }
          mn = f64x2.pmin(mn, f64x2.pmin(f64x2.pmin(p0, q0), f64x2.pmin(p1, q1)));
        } else {
          mn = f64x2.pmin(mn, f64x2.pmin(p0, p1));
        }
        if (kind == KIND_JS) {
          p0 = f64x2.mul(p0, a); p1 = f64x2.mul(p1, a); q0 = f64x2.mul(q0, b); q1 = f64x2.mul(q1, b);
        }
        if (kind == KIND_KLD) { p0 = f64x2.pmax(p0, b); p1 = f64x2.pmax(p1, b); }
        if (!exact) {
          if (kind == KIND_ENT || ratio(kind) || kind == KIND_JS) tiny = tinyAcc64(tinyAcc64(tiny, p0), p1);
          if (kind == KIND_JS) tiny = tinyAcc64(tinyAcc64(tiny, q0), q1);
          // the family's logs: a p (and b q, Jeffreys) must be normal or 0 for the fast ratio log
          if (powLog(kind) || kind == KIND_JEF) tiny = tinyAcc64(tinyAcc64(tiny, f64x2.mul(p0, a)), f64x2.mul(p1, a));
          if (kind == KIND_JEF) tiny = tinyAcc64(tinyAcc64(tiny, f64x2.mul(q0, b)), f64x2.mul(q1, b));
          // Hellinger's one-root form: max(p, q) in [2^-380, 2^380) (or 0), so max(x, y) in [2^-480, 2^480) for
          // a, b in [2^-100, 2^100] (1, or 1 / a sum in [1e-30, 1e30])
          if (hel(kind)) {
            const m0 = f64x2.pmax(p0, q0), m1 = f64x2.pmax(p1, q1);
            tiny = tinyAcc64(tinyAcc64(tiny, m0), m1);
            big = f64x2.pmax(big, f64x2.pmax(m0, m1));
          }
        }
        if (family(kind)) {
          acc0 = f64x2.add(acc0, termFamily(kind, p0, q0, lo, hi, a, b, exact));
          acc1 = f64x2.add(acc1, termFamily(kind, p1, q1, lo, hi, a, b, exact));
        } else {
          acc0 = term64(kind, acc0, p0, q0, lo, hi, shift, exact, safe);
          acc1 = term64(kind, acc1, p1, q1, lo, hi, shift, exact, safe);
        }
        pp += 32;
        if (two) qp += 32;
      }
      if (kind == KIND_EPOWD2) sumAddLanes(f64x2.mul(f64x2.add(acc0, acc1), f64x2.splat(aS / loS)));
      else if (kind == KIND_EROOT) sumAddLanes(f64x2.mul(f64x2.add(acc0, acc1), f64x2.splat(Math.sqrt(aS / loS))));
      else if (kind == KIND_EROOTN) sumAddLanes(f64x2.mul(f64x2.add(acc0, acc1), f64x2.splat(Math.sqrt(loS / aS))));
      else sumAddLanes(f64x2.add(acc0, acc1));
      if (blockSums(kind)) {
        pSumAddLanes(ps);
        ps = f64x2.splat(0.0);
      }
    }
    const rem = left & 3;
    if (rem == 0) break;
    fillTail(TAIL_A, pp, rem, false, padP(kind));
    if (two) fillTail(TAIL_B, qp, rem, false, padQ(kind));
    // the padded q slots are not the row's: take them out of its sum
    if (two) qs = f64x2.sub(qs, f64x2.splat(<f64>(4 - rem) * padQ(kind) * 0.5));
    pp = TAIL_A; qp = TAIL_B; left = 4;
  }
  flags |= flagsOf64(qacc, mn, tiny, kind == KIND_JS ? TINY64_JS : hel(kind) ? TINY64_HEL : TINY64, qlow, lo);
  if (hel(kind) && !exact && v128.any_true(f64x2.ge(big, f64x2.splat(BIG64_HEL)))) flags |= FLAG_TINY;
  const sp2 = f64x2.extract_lane(ps, 0) + f64x2.extract_lane(ps, 1), sq2 = f64x2.extract_lane(qs, 0) + f64x2.extract_lane(qs, 1);
  if (kind == KIND_CHI && !isFinite(sp2 + sq2)) flags |= FLAG_BAD;
  if (exactSums(kind)) {
    sumP = exactTotal(ps, pc);
    sumQ = exactTotal(qs, qc);
  } else if (blockSums(kind)) {
    sumP = pSumResult();
    sumQ = 0.0;
  } else {
    sumP = sp2;
    sumQ = sq2;
  }
  return sumResult();
}

/** The f32x4 loop: 8 elements per iteration, terms widened to f64 before summing. */
// @ts-ignore: decorator
@inline function span32(kind: i32, p: usize, q: usize, n: i32, loS: f64, hiS: f64, aS: f64, bS: f64, safe: bool): f64 {
  const two = twoInputs(kind);
  const lo = f32x4.splat(<f32>loS), hi = f32x4.splat(<f32>hiS);
  const a = f32x4.splat(<f32>aS), b = f32x4.splat(<f32>bS);
  const shift = f32x4.splat(kind == KIND_JS ? <f32>0.0 : <f32>(aS * 8388608.0));
  let qacc = f32x4.splat(0.0), mn = f32x4.splat(Infinity), tiny = i32x4.splat(-1), big = f32x4.splat(0.0);
  let ps = f64x2.splat(0.0), qs = f64x2.splat(0.0), qlow = f32x4.splat(Infinity);
  const zero = f32x4.splat(0.0), inf = vc(K_INF32);
  sumReset();
  let pp = p, qp = q, left = n;
  while (true) {
    let groups = left >> 3;
    while (groups > 0) {
      const g = groups < (BLOCK >> 3) ? groups : (BLOCK >> 3);
      groups -= g;
      let acc0 = f64x2.splat(0.0), bp = f32x4.splat(0.0), bq = f32x4.splat(0.0);
      for (let j = 0; j < g; j++) {
        let p0 = v128.load(pp), p1 = v128.load(pp, 16);
        let q0 = p0, q1 = p1;
        if (kind != KIND_SUM) bp = f32x4.add(bp, f32x4.add(p0, p1));
        if (two) {
          q0 = v128.load(qp); q1 = v128.load(qp, 16);
          bq = f32x4.add(bq, f32x4.add(q0, q1));
          if (clips(kind)) {
            qacc = f32x4.add(qacc, f32x4.sub(q0, q1));
            qlow = f32x4.pmin(qlow, f32x4.pmin(v128.bitselect(q0, inf, f32x4.gt(p0, zero)),
                                               v128.bitselect(q1, inf, f32x4.gt(p1, zero))));
          }
          mn = f32x4.pmin(mn, f32x4.pmin(f32x4.pmin(p0, q0), f32x4.pmin(p1, q1)));
        } else {
          mn = f32x4.pmin(mn, f32x4.pmin(p0, p1));
        }
        if (kind == KIND_JS) {
          p0 = f32x4.mul(p0, a); p1 = f32x4.mul(p1, a); q0 = f32x4.mul(q0, b); q1 = f32x4.mul(q1, b);
          tiny = tinyAcc32(tinyAcc32(tinyAcc32(tinyAcc32(tiny, p0), p1), q0), q1);
          big = f32x4.pmax(big, f32x4.pmax(f32x4.pmax(p0, p1), f32x4.pmax(q0, q1)));
        } else if (kind != KIND_SUM) {
          if (kind == KIND_KLD) { p0 = f32x4.pmax(p0, b); p1 = f32x4.pmax(p1, b); }
          tiny = tinyAcc32(tinyAcc32(tiny, p0), p1);
          big = f32x4.pmax(big, f32x4.pmax(p0, p1));
        }
        // the two term vectors are added in float32 (one rounding, u |t0 + t1|) before
        // widening: half the conversions; sums (KIND_SUM) are widened exactly first
        if (kind == KIND_SUM) acc0 = f64x2.add(acc0, f64x2.add(widenAdd(p0), widenAdd(p1)));
        else {
          const t0 = term32(kind, zero, false, p0, q0, lo, hi, shift, safe);
          acc0 = f64x2.add(acc0, widenAdd(term32(kind, t0, true, p1, q1, lo, hi, shift, safe)));
        }
        pp += 32;
        if (two) qp += 32;
      }
      sumAddLanes(acc0);
      ps = f64x2.add(ps, widenAdd(bp));
      if (two) qs = f64x2.add(qs, widenAdd(bq));
    }
    const rem = left & 7;
    if (rem == 0) break;
    fillTail(TAIL_A, pp, rem, true, padP(kind));
    if (two) fillTail(TAIL_B, qp, rem, true, padQ(kind));
    if (two) qs = f64x2.sub(qs, f64x2.splat(<f64>(8 - rem) * padQ(kind) * 0.5));
    pp = TAIL_A; qp = TAIL_B; left = 8;
  }
  flags |= flagsOf32(qacc, mn, tiny, kind == KIND_JS ? TINY32_JS : TINY32, big, qlow, lo);
  sumP = f64x2.extract_lane(ps, 0) + f64x2.extract_lane(ps, 1);
  sumQ = f64x2.extract_lane(qs, 0) + f64x2.extract_lane(qs, 1);
  return sumResult();
}

// The rare safe variants live out of line, to keep the hot functions small.
function safeKL64(p: usize, q: usize, n: i32, lo: f64, hi: f64, shift: f64): f64 {
  return span64(KIND_KL, p, q, n, lo, hi, shift, 0.0, false, true);
}
function safeJS64(p: usize, q: usize, n: i32, a: f64, b: f64): f64 {
  return span64(KIND_JS, p, q, n, 0.0, 0.0, a, b, false, true);
}
function safeKL32(p: usize, q: usize, n: i32, lo: f64, hi: f64, shift: f64): f64 {
  return span32(KIND_KL, p, q, n, lo, hi, shift, 0.0, true);
}
function safeKLD64(p: usize, q: usize, n: i32, lo: f64, hi: f64, b: f64): f64 {
  return span64(KIND_KLD, p, q, n, lo, hi, 0.0, b, false, true);
}
function safeKLD32(p: usize, q: usize, n: i32, lo: f64, hi: f64, b: f64): f64 {
  return span32(KIND_KLD, p, q, n, lo, hi, 0.0, b, true);
}

// ---------------------------------------------------------------- rows
/** Runs span over `rows` rows of `cols` elements and stores each row's sum in
 *  out[r]. Per-row parameters (lo, hi, a, b as 4 f64s a row) come from params
 *  when it is not 0. Returns the flags seen over all rows. */
// @ts-ignore: decorator
@inline export function rowsOf(kind: i32, mode: i32, p: usize, q: usize, rows: i32, cols: i32,
                               lo: f64, hi: f64, a: f64, b: f64, params: usize, out: usize, sums: usize): i32 {
  flags = 0;
  const rowBytes = <usize>cols << (mode == MODE_F32 ? 2 : 3);
  for (let r = 0; r < rows; r++) {
    if (params != 0) {
      const pr = params + (<usize>r << 5);
      lo = load<f64>(pr); hi = load<f64>(pr, 8); a = load<f64>(pr, 16); b = load<f64>(pr, 24);
    }
    const off = <usize>r * rowBytes;
    let s: f64;
    if (mode == MODE_F64) {
      // The fast ratio log wants its b in [2^-1021, 2^1022). KL: rows whose clip bounds
      // allow more take the loop with the safe form. JS: b = m is at least 2^-1022 when
      // not 0 (TINY64_JS), and ratio 2 when it is below 2^-1021 (so a' = m); an m beyond
      // 2^1022 (p', q' near the top of the range) turns the row's sum to NaN, and a row
      // that is NaN without a flag reruns with the safe form. Same checks, same flags.
      // densities are never clipped above (hi = +inf): always the safe form
      if (kind == KIND_KLD) s = safeKLD64(p + off, q + off, cols, lo, hi, b);
      else if (family(kind)) s = span64(kind, p + off, q + off, cols, lo, hi, a, b, false, true);
      else if (kind == KIND_KL && !(lo >= 4.450147717014403e-308 && hi < 4.49423283715579e307))
        s = safeKL64(p + off, q + off, cols, lo, hi, a);
      else {
        const before = flags;
        flags = 0;
        s = span64(kind, p + off, q + off, cols, lo, hi, a, b, false, false);
        if (kind == KIND_JS && isNaN(s) && flags == 0) s = safeJS64(p + off, q + off, cols, a, b);
        flags |= before;
      }
    } else if (mode == MODE_F64_EXACT) s = span64(kind, p + off, q + off, cols, lo, hi, a, b, true, true);
    else if (family(kind)) s = NaN; // float32 input is widened (wide mode): never here
    else {
      // MODE_F32; the same for float32: clip(q) in [2^-125, 2^126)
      if (kind == KIND_KLD) s = safeKLD32(p + off, q + off, cols, lo, hi, b);
      else if (kind == KIND_KL && !(<f32>lo >= <f32>2.350988701644575e-38 && <f32>hi < <f32>8.507059173023462e37))
        s = safeKL32(p + off, q + off, cols, lo, hi, a);
      else s = span32(kind, p + off, q + off, cols, lo, hi, a, b, false);
    }
    if (!isFinite(s)) flags |= FLAG_BAD;
    store<f64>(out + (<usize>r << 3), s);
    if (sums != 0) {
      store<f64>(sums + (<usize>r << 4), sumP);
      store<f64>(sums + (<usize>r << 4), sumQ, 8);
    }
  }
  return flags;
}
