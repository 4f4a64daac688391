// Logits kernels (kl-wasm/logits): log-sum-exp, entropy, KL of two logit rows and
// cross-entropy sums, streamed one block of a row at a time, and the output passes
// (log-softmax / softmax, the KL and cross-entropy gradients) that run once a row's
// statistics are known. src/logits/wasm.ts drives them.
//
// Inputs are float64 (f32 = 0: f64x2 lanes, exp64 of core/vecmath.ts, within 1 ulp) or float32
// (f32 = 1: f32x4 lanes, a degree-6 polynomial for exp (poly32r), every term widened to float64 on its own
// before it is summed). A float32 exponent u = (x − M) invT is not rounded to float32 before the exponential:
// that alone errs by |u| 2^-24 relative (1.2e-6 at u = -20), more than the 1e-6 the float32 path
// promises. So the reduction u = n ln2 + r runs in float64 pairs (exp32w, and in the statistics
// kOf/rOf/poly32/scaleOf, which scale by 2^n in float64 so that terms down to e^-708 reach the sums),
// or, for log-sum-exp with a power-of-two 1/T (lseSteps32), in float32 with x − M's rounding error recovered
// exactly (TwoSum) and added to the reduced argument r.
// Measured (256 x 32000 float32, T = 2, one call): the blocked online max below costs the same as
// two passes (max, then sums) at every block size from 256 values to the whole row (36.0-36.6 ms for
// KL forward before the float64 reductions), so it is used where it helps: rows streamed in segments.
//
// Statistics: each row has a state of 8 float64 at st + 64 r, carried across calls so
// that a row longer than the scratch is streamed in segments (fresh = 0 continues it):
//   0 Ma  running max of a (the logits, not scaled; -Infinity while every value seen is masked)
//   1 Sa  Σ exp((a_j − Ma) invT)
//   2 Mb  running max of b (KL)
//   3 Sb  Σ exp((b_j − Mb) invT)
//   4 D   KL: Σ e_j (u_j − v_j), u = (a − Ma) invT, v = (b − Mb) invT, e = exp(u) (0 where e = 0)
//         entropy: Σ e_j u_j (0 where e = 0); cross-entropy: Σ w_j (x_j − Ma) (0 where w_j = 0)
//   5 W   cross-entropy: Σ w_j over the values seen
//   6 bad 1 once a value seen is one the api rejects (NaN, +Infinity, or x·invT overflowing: see `good`), else 0:
//         the api's check of the logits, fused into the max passes (the caller stops at a row with bad = 1 and
//         the api scans that part in JavaScript to name the value)
// The max is taken per block of `block` values (blocked online): the block's max is folded
// into M first (rescaling S and D when M grows), then the block's terms are summed against
// it, so every exponent is <= 0 and S >= 1 once a value is unmasked. block >= cols makes it
// the two-pass form (max of the row, then the sums).
// Shifts: exponents are formed as (x − M) invT, never x invT − M invT (which cancels for
// large logits); with M = -Infinity (a fully masked block so far) the shift is 0.
export { heapBase } from "./core/heap";
import { exp64, vc, madd64, nmadd64, madd32, nmadd32, K_ONE32, K_INF32, K_INF64, K_NEG_INF64 } from "./core/vecmath";

const K_LSE: i32 = 0;
const K_ENT: i32 = 1;
const K_KL: i32 = 2;
const K_CE: i32 = 3;

// ---------------------------------------------------------------- exp for exponents <= 0
// float32: Cephes' expf reduction (x = n ln2 + r, |r| <= ln2/2, ln2 in two parts C1 + C2) and a degree-6
// polynomial 1 + r + r² (Q2 + Q3 r + ... + Q6 r^4), minimax for the relative error on |r| <= ln2/2 (3.1e-9 with
// exact coefficients; 6.5e-8 evaluated in float32 by Horner, as Cephes' degree 7 gives: its sixth coefficient bought
// nothing once rounded to float32, and costs a multiply-add in every term; 6.6e-8 in the Estrin form poly32r uses),
// for x in [-87, 0] where the result is a
// float32; below -87 (e^-87 < 1.7e-38, the normal range's end) and -Infinity give 0 (or, scaled in float64,
// down to -708). The coefficients: assembly/logits/fit_exp32.py.
const LOG2E32: f32 = 1.44269504088896341;
const C1_32: f32 = 0.693359375;
const C2_32: f32 = -2.12194440e-4;
const Q2: f32 = 0.4999999403953552, Q3: f32 = 0.1666652113199234, Q4: f32 = 0.04166838899254799;
const Q5: f32 = 0.00836874544620514, Q6: f32 = 0.0013814539415761828;
const LOW32: f32 = -87.0;
const SHIFTER32: f32 = 12582912.0; // 1.5 2^23
const SHIFTER32_BITS: i32 = 0x4B400000;
const LOG2E64: f64 = 1.4426950408889634;
const LN2_64: f64 = 0.6931471805599453;
const SHIFTER64: f64 = 6755399441055744.0; // 1.5 2^52
const SHIFTER64_BITS: i64 = 0x4338000000000000;
const LOW64: f64 = -708.0;
// The loops' vector constants, read from memory (core/vconst.ts says why)
const K_LOG2E32 = memory.data<f32>([LOG2E32, LOG2E32, LOG2E32, LOG2E32], 16);
const K_C1_32 = memory.data<f32>([C1_32, C1_32, C1_32, C1_32], 16);
const K_C2_32 = memory.data<f32>([C2_32, C2_32, C2_32, C2_32], 16);
const K_Q2 = memory.data<f32>([Q2, Q2, Q2, Q2], 16), K_Q3 = memory.data<f32>([Q3, Q3, Q3, Q3], 16);
const K_Q4 = memory.data<f32>([Q4, Q4, Q4, Q4], 16), K_Q5 = memory.data<f32>([Q5, Q5, Q5, Q5], 16);
const K_Q6 = memory.data<f32>([Q6, Q6, Q6, Q6], 16);
const K_SHIFTER32 = memory.data<f32>([SHIFTER32, SHIFTER32, SHIFTER32, SHIFTER32], 16);
const K_BIAS32 = memory.data<i32>([127, 127, 127, 127], 16);
const K_BIAS32_SHIFTED = memory.data<i32>([127 - SHIFTER32_BITS, 127 - SHIFTER32_BITS, 127 - SHIFTER32_BITS, 127 - SHIFTER32_BITS], 16);
const K_LOW32_64 = memory.data<f64>([<f64>LOW32, <f64>LOW32], 16);
const K_LOG2E64 = memory.data<f64>([LOG2E64, LOG2E64], 16);
const K_LN2_64 = memory.data<f64>([LN2_64, LN2_64], 16);
const K_SHIFTER64 = memory.data<f64>([SHIFTER64, SHIFTER64], 16);
const K_BIAS64_SHIFTED = memory.data<i64>([1023 - SHIFTER64_BITS, 1023 - SHIFTER64_BITS], 16);
const K_LOW64 = memory.data<f64>([LOW64, LOW64], 16);

/** exp of four exponents u <= 0 given as float64 pairs (u0: lanes 0-1, u1: lanes 2-3), as float32 lanes:
 *  the reduction u = n ln2 + r in float64 (so the result has no error from rounding u to float32, which
 *  would be |u| 2^-24 relative), the polynomial in float32. 0 below -87 (and for -Infinity). The output
 *  passes use it: their entries are compared one by one, not summed. */
// @ts-ignore: decorator
@inline function exp32w(u0: v128, u1: v128): v128 {
  const x0 = low32(u0), x1 = low32(u1);
  const k0 = kOfX(x0), k1 = kOfX(x1);
  return pow2Keep(poly32r(narrow(rOfX(x0, k0), rOfX(x1, k1))), k0, k1, u0, u1);
}
// exp32w's steps apart (for the output passes that take each across their chains): the clamp at -87, k (its low
// words hold n), r, and y 2^n with 0 below -87
// @ts-ignore: decorator
@inline function low32(u: v128): v128 { return f64x2.pmax(u, vc(K_LOW32_64)); }
// @ts-ignore: decorator
@inline function kOfX(x: v128): v128 { return madd64(x, vc(K_LOG2E64), vc(K_SHIFTER64)); }
// @ts-ignore: decorator
@inline function rOfX(x: v128, k: v128): v128 { return nmadd64(f64x2.sub(k, vc(K_SHIFTER64)), vc(K_LN2_64), x); }
// @ts-ignore: decorator
@inline function pow2Keep(y: v128, k0: v128, k1: v128, u0: v128, u1: v128): v128 {
  const pow2 = i32x4.shl(i32x4.add(v128.shuffle<i32>(k0, k1, 0, 2, 4, 6), vc(K_BIAS32)), 23);
  const keep = v128.shuffle<i32>(f64x2.ge(u0, vc(K_LOW32_64)), f64x2.ge(u1, vc(K_LOW32_64)), 0, 2, 4, 6);
  return v128.and(f32x4.mul(y, pow2), keep);
}
// The statistics' form of exp32w: the same float32 polynomial, scaled by 2^n in float64, so that terms
// down to e^-708 (not only e^-87) reach the float64 sums. Per float64 pair u: k = kOf(u), r = rOf(u, k);
// y = poly32r(rPair(u0, k0, u1, k1)); e = scaleOf(half of y, k, u).
// @ts-ignore: decorator
@inline function kOf(u: v128): v128 { return kOfX(f64x2.pmax(u, vc(K_LOW64))); }
// @ts-ignore: decorator
@inline function rOf(u: v128, k: v128): v128 { return rOfX(f64x2.pmax(u, vc(K_LOW64)), k); }
/** The reduced arguments of two float64 pairs (rOf) as four float32 lanes: u0's two, then u1's. */
// @ts-ignore: decorator
@inline function rPair(u0: v128, k0: v128, u1: v128, k1: v128): v128 { return narrow(rOf(u0, k0), rOf(u1, k1)); }
// @ts-ignore: decorator
@inline function poly32r(r: v128): v128 {
  // Estrin's form, (Q2 + Q3 r) + r² ((Q4 + Q5 r) + r² Q6), not Horner's: 3 dependent steps fewer. The statistics
  // loops are bound by their chains' latency (V8's optional instruction scheduler made them 10-16 % faster), and this
  // made KL's 8-9 % faster on Node 20-26 (2026-11-29); float32 error 6.6e-8 against Horner's 6.5e-8 (fit_exp32.py)
  const r2 = f32x4.mul(r, r);
  const lo = estLo(r), mid = estMid(r);
  return estY(estP(estHi(mid, r2), r2, lo), r2, r);
}
// poly32r's steps one by one: the statistics loops take each step across all their chains before the next (the
// logits module is built flat, so V8 keeps that order: scripts/build-wasm.mjs says why)
// @ts-ignore: decorator
@inline function estLo(r: v128): v128 { return madd32(vc(K_Q3), r, vc(K_Q2)); }
// @ts-ignore: decorator
@inline function estMid(r: v128): v128 { return madd32(vc(K_Q5), r, vc(K_Q4)); }
// @ts-ignore: decorator
@inline function estHi(mid: v128, r2: v128): v128 { return madd32(vc(K_Q6), r2, mid); }
// @ts-ignore: decorator
@inline function estP(hi: v128, r2: v128, lo: v128): v128 { return madd32(hi, r2, lo); }
// @ts-ignore: decorator
@inline function estY(p: v128, r2: v128, r: v128): v128 { return f32x4.add(madd32(p, r2, r), vc(K_ONE32)); }
/** half: the pair of y for u (promoted); 2^n from k's bits (bits(k) = bits(1.5 2^52) + n); 0 below -708. */
// @ts-ignore: decorator
@inline function scaleOf(half: v128, k: v128, u: v128, zeroBelow: bool): v128 {
  const p = i64x2.shl(i64x2.add(k, vc(K_BIAS64_SHIFTED)), 52);
  const e = f64x2.mul(half, p);
  // !zeroBelow: u below -708 (masked classes too) gives e^-708 < 3.4e-308 instead of 0, which no sum
  // s >= 1 can see (log-sum-exp and cross-entropy; their callers treat a fully masked row apart)
  return zeroBelow ? v128.and(e, f64x2.ge(u, vc(K_LOW64))) : e;
}
// @ts-ignore: decorator
@inline function lo64(a: v128): v128 { return f64x2.promote_low_f32x4(a); }
// @ts-ignore: decorator
@inline function hi64(a: v128): v128 { return f64x2.promote_low_f32x4(v128.shuffle<f32>(a, a, 2, 3, 2, 3)); }
/** (a − m) invT on the four float32 lanes of a, as two float64 pairs (exact difference); scaled false: invT is 1
 *  (cross-entropy), not multiplied (the same values; a splat of a constant 1 would be a v128.const in the loop). */
// @ts-ignore: decorator
@inline function arg0(a: v128, m: v128, it: v128, scaled: bool): v128 { return scaledBy(f64x2.sub(lo64(a), m), it, scaled); }
// @ts-ignore: decorator
@inline function arg1(a: v128, m: v128, it: v128, scaled: bool): v128 { return scaledBy(f64x2.sub(hi64(a), m), it, scaled); }
// @ts-ignore: decorator
@inline function scaledBy(d: v128, it: v128, scaled: bool): v128 { return scaled ? f64x2.mul(d, it) : d; }
// @ts-ignore: decorator
@inline function narrow(y0: v128, y1: v128): v128 {
  return v128.shuffle<f32>(f32x4.demote_f64x2_zero(y0), f32x4.demote_f64x2_zero(y1), 0, 1, 4, 5);
}

/** exp(u) for u <= 0 on two lanes; 0 below -708 (and for -Infinity). */
// @ts-ignore: decorator
@inline function expNeg64(u: v128): v128 {
  return v128.and(exp64(f64x2.pmax(u, vc(K_LOW64))), f64x2.ge(u, vc(K_LOW64)));
}

// ---------------------------------------------------------------- tails
// The last cols % step values of a row go through the same loop body once more from copies
// padded with -Infinity (masked: no mass, no term) and weight 0.
const TAIL_A: usize = memory.data(64, 16);
const TAIL_B: usize = memory.data(64, 16);
const TAIL_W: usize = memory.data(64, 16);
const TAIL_O: usize = memory.data(64, 16);

// @ts-ignore: decorator
@inline function fillTail(dst: usize, src: usize, rem: i32, f32: bool, pad: f64): void {
  for (let i = 0; i < 8; i++) {
    if (f32) store<f32>(dst + (<usize>i << 2), i < rem ? load<f32>(src + (<usize>i << 2)) : <f32>pad);
    else store<f64>(dst + (<usize>i << 3), i < rem ? load<f64>(src + (<usize>i << 3)) : pad);
  }
}

// ---------------------------------------------------------------- row state
let Ma: f64 = 0, Sa: f64 = 0, Mb: f64 = 0, Sb: f64 = 0, D: f64 = 0, W: f64 = 0, Bad: f64 = 0;

// ---------------------------------------------------------------- the api's check, in the max passes
// A logit the api rejects: NaN, +Infinity, or finite with x·invT = ±Infinity. x < +Infinity is false for the first
// two; the third needs float64 input and invT > 1 (`over`): a float32 value (< 2^128) times invT <= 1e6 (the
// largest the engine's kernels are given) stays finite, and so does any value times invT <= 1. The max passes fold
// good lanes into an all-ones mask g and set Bad once a lane fails.
/** All-ones lanes where v (float64) is not a logit the api takes: NaN, +Infinity, or v·invT = ±Infinity. */
// @ts-ignore: decorator
@inline function badLanes(v: v128, it: v128): v128 {
  const z = f64x2.mul(v, it), inf = vc(K_INF64), ninf = vc(K_NEG_INF64);
  return v128.not(v128.and(f64x2.lt(z, inf), v128.or(f64x2.gt(z, ninf), f64x2.eq(v, ninf))));
}
// @ts-ignore: decorator
@inline function good(g: v128, a: v128, f32: bool, it: v128, over: bool): v128 {
  if (f32) return v128.and(g, f32x4.lt(a, vc(K_INF32)));
  return over ? v128.andnot(g, badLanes(a, it)) : v128.and(g, f64x2.lt(a, vc(K_INF64)));
}
// @ts-ignore: decorator
@inline function goodScalar(v: f64, invT: f64): bool {
  const z = v * invT;
  return z < Infinity && (z > -Infinity || v == -Infinity);
}
/** The max of `steps` steps (8 float32 or 4 float64 values) from p (-Infinity for none); Bad = 1 if one of them
 *  is not a logit the api takes. */
// @ts-ignore: decorator
@inline function maxChecked(f32: bool, p: usize, steps: i32, invT: f64): f64 {
  let g = i32x4.splat(-1), m: f64;
  const it = f64x2.splat(invT), over = invT > 1;
  if (f32) {
    let m0 = f32x4.splat(-Infinity), m1 = f32x4.splat(-Infinity);
    for (let j = 0; j < steps; j++) {
      const a0 = v128.load(p + (<usize>j << 5)), a1 = v128.load(p + (<usize>j << 5), 16);
      m0 = f32x4.pmax(m0, a0); m1 = f32x4.pmax(m1, a1);
      g = good(good(g, a0, true, it, over), a1, true, it, over);
    }
    m0 = f32x4.pmax(m0, m1);
    m = <f64>Mathf.max(Mathf.max(f32x4.extract_lane(m0, 0), f32x4.extract_lane(m0, 1)),
                       Mathf.max(f32x4.extract_lane(m0, 2), f32x4.extract_lane(m0, 3)));
  } else {
    let m0 = f64x2.splat(-Infinity), m1 = f64x2.splat(-Infinity);
    for (let j = 0; j < steps; j++) {
      const a0 = v128.load(p + (<usize>j << 5)), a1 = v128.load(p + (<usize>j << 5), 16);
      m0 = f64x2.pmax(m0, a0); m1 = f64x2.pmax(m1, a1);
      g = good(good(g, a0, false, it, over), a1, false, it, over);
    }
    m0 = f64x2.pmax(m0, m1);
    m = Math.max(f64x2.extract_lane(m0, 0), f64x2.extract_lane(m0, 1));
  }
  if (!i32x4.all_true(g)) Bad = 1;
  return m;
}

// @ts-ignore: decorator
@inline function eff(m: f64): f64 { return m > -Infinity ? m : 0.0; }

/** Folds a block's maxima into the running ones, rescaling the sums (see the header). */
// @ts-ignore: decorator
@inline function fold(kind: i32, bma: f64, bmb: f64, invT: f64): void {
  let da: f64 = 0, db: f64 = 0, fa: f64 = 1;
  if (bma > Ma) {
    da = (eff(bma) - eff(Ma)) * invT;
    if (Sa > 0) fa = Math.exp(-da);
    Ma = bma;
  }
  if (kind == K_KL && bmb > Mb) {
    db = (eff(bmb) - eff(Mb)) * invT;
    if (Sb > 0) Sb *= Math.exp(-db);
    Mb = bmb;
  }
  // fa = 0 (the max grew by more than ~745 T): every term so far has the weight exp((x − M) invT) = 0 it has against
  // the row's max, so D is 0 (and not 0 × ∞ = NaN where a class the student masks had a weight before: D = +∞)
  if (kind == K_KL) { if (Sa > 0) D = fa == 0 ? 0 : fa * (D - (da - db) * Sa); }
  else if (kind == K_ENT) { if (Sa > 0) D = fa * (D - da * Sa); }
  else if (kind == K_CE) { if (W > 0) D -= da * W; } // invT = 1
  Sa *= fa;
}

/**
 * Σ exp((x − M) invT) over `steps` steps of 8 float32 logits from pa, as float64 lanes: log-sum-exp's float32
 * path, for invT a power of two and |M| invT < 2^24 (`unit`: invT = 1, its products left out). The exponent stays
 * in float32 lanes with its rounding error: s + err = x − M exactly (TwoSum), u = s invT and err invT exactly, and
 * err invT (|err invT| <= 2^-24 |u|) is added to the reduced argument r (|r| <= ln2/2, where it is kept to 2^-24 of
 * r): exp(u + err invT) with no error from rounding x − M. x is first clamped to F >= M − 87/invT (float32 rounded
 * up, and < M since |M| invT < 2^24 keeps M's ulp <= 1/invT), so that no -Infinity reaches TwoSum and u >= -87
 * (2^n stays a normal float32: n >= -126); terms below e^-87 are e^-87 (< 1.7e-38: no sum s >= 1 sees them).
 */
// @ts-ignore: decorator
@inline function lseSteps32(pa: usize, steps: i32, sa: f64, invT: f64, unit: bool): v128 {
  const m = f32x4.splat(<f32>sa), nm = f32x4.splat(<f32>-sa), it = f32x4.splat(<f32>invT), floor = f32x4.splat(floorOf(sa, invT));
  let acc = f64x2.splat(0);
  for (let j = 0; j < steps; j++) {
    const o = <usize>j << 5;
    const z0 = expShifted32(v128.load(pa + o), m, nm, it, floor, unit);
    const z1 = expShifted32(v128.load(pa + o, 16), m, nm, it, floor, unit);
    acc = f64x2.add(acc, f64x2.add(f64x2.add(lo64(z0), hi64(z0)), f64x2.add(lo64(z1), hi64(z1))));
  }
  return acc;
}
/** The clamp of lseSteps32: M − 87/invT rounded up to a float32. */
// @ts-ignore: decorator
@inline function floorOf(sa: f64, invT: f64): f32 {
  const f = <f32>(sa - 87.0 / invT);
  return <f64>f < sa - 87.0 / invT ? nextUp32(f) : f;
}
/** exp((x − M) invT) of four float32 logits, x clamped to floor first (lseSteps32 says how, and why exactly). */
// @ts-ignore: decorator
@inline function expShifted32(a: v128, m: v128, nm: v128, it: v128, floor: v128, unit: bool): v128 {
  const x = f32x4.pmax(a, floor);
  const s = f32x4.sub(x, m), bv = f32x4.sub(s, x);
  const er = f32x4.add(f32x4.sub(x, f32x4.sub(s, bv)), f32x4.sub(nm, bv));
  const u = unit ? s : f32x4.mul(s, it);
  const kd = madd32(u, vc(K_LOG2E32), vc(K_SHIFTER32));
  const n = f32x4.sub(kd, vc(K_SHIFTER32));
  // n C1 is exact (C1 has 9 bits); then the rounding error of x − M
  const r = f32x4.add(nmadd32(n, vc(K_C2_32), nmadd32(n, vc(K_C1_32), u)), unit ? er : f32x4.mul(er, it));
  return f32x4.mul(poly32r(r), i32x4.shl(i32x4.add(kd, vc(K_BIAS32_SHIFTED)), 23));
}
/** The next float32 above x (x finite). */
// @ts-ignore: decorator
@inline function nextUp32(x: f32): f32 {
  const b = reinterpret<i32>(x);
  return x == 0 ? reinterpret<f32>(1) : reinterpret<f32>(x > 0 ? b + 1 : b - 1);
}

/** One block of `steps` steps (8 float32 or 4 float64 values) from pa (pb, pw). */
// @ts-ignore: decorator
@inline function block(kind: i32, f32: bool, pa: usize, pb: usize, pw: usize, steps: i32, invT: f64, weighted: bool,
                       pow2T: bool): void {
  const two = kind == K_KL;
  // the block's maxima, and the api's check of its values
  const bma = maxChecked(f32, pa, steps, invT), bmb = two ? maxChecked(f32, pb, steps, invT) : -Infinity;
  fold(kind, bma, bmb, invT);
  // every value so far masked: no mass, no term (KL's b side and the CE sum still run)
  if ((kind == K_LSE || kind == K_ENT) && Ma == -Infinity) return;
  const sa = eff(Ma), sb = eff(Mb);
  let accS = f64x2.splat(0), accT = f64x2.splat(0), accD = f64x2.splat(0), accW = f64x2.splat(0);
  if (f32 && kind == K_LSE && pow2T && Math.abs(sa) * invT < 16777216.0) {
    accS = invT == 1.0 ? lseSteps32(pa, steps, sa, invT, true) : lseSteps32(pa, steps, sa, invT, false);
  } else if (f32) {
    const ma64 = f64x2.splat(sa), mb64 = f64x2.splat(sb), it64 = f64x2.splat(invT), zero64 = f64x2.splat(0);
    // Exponents in float64 pairs (exp32w: no |u| 2^-24 error from rounding them to float32), every term widened on
    // its own (a float32 sum of a large and a small term would lose the small one, which log s near 0 needs). Each
    // step of the exp is taken across all the step's chains before the next (4 float64 pairs, KL's 8): these loops
    // are bound by the chains' latency, and V8 13.6 and later (Node 24+) run the WebAssembly's own order, which the
    // flat build keeps (scripts/build-wasm.mjs). Against one chain after another: KL 18 % faster on Node 24 and 26
    // (23 % in the relaxed build), Node 20 within 4 %.
    if (two) {
      for (let j = 0; j < steps; j++) {
        const o = <usize>j << 5;
        const a0 = v128.load(pa + o), a1 = v128.load(pa + o, 16), b0 = v128.load(pb + o), b1 = v128.load(pb + o, 16);
        const u00 = arg0(a0, ma64, it64, true), u01 = arg1(a0, ma64, it64, true);
        const v00 = arg0(b0, mb64, it64, true), v01 = arg1(b0, mb64, it64, true);
        const u10 = arg0(a1, ma64, it64, true), u11 = arg1(a1, ma64, it64, true);
        const v10 = arg0(b1, mb64, it64, true), v11 = arg1(b1, mb64, it64, true);
        const k00 = kOf(u00), k01 = kOf(u01), l00 = kOf(v00), l01 = kOf(v01);
        const k10 = kOf(u10), k11 = kOf(u11), l10 = kOf(v10), l11 = kOf(v11);
        const ry0 = rPair(u00, k00, u01, k01), rz0 = rPair(v00, l00, v01, l01);
        const ry1 = rPair(u10, k10, u11, k11), rz1 = rPair(v10, l10, v11, l11);
        const qy0 = f32x4.mul(ry0, ry0), qz0 = f32x4.mul(rz0, rz0), qy1 = f32x4.mul(ry1, ry1), qz1 = f32x4.mul(rz1, rz1);
        const ly0 = estLo(ry0), lz0 = estLo(rz0), ly1 = estLo(ry1), lz1 = estLo(rz1);
        const my0 = estMid(ry0), mz0 = estMid(rz0), my1 = estMid(ry1), mz1 = estMid(rz1);
        const hy0 = estHi(my0, qy0), hz0 = estHi(mz0, qz0), hy1 = estHi(my1, qy1), hz1 = estHi(mz1, qz1);
        const py0 = estP(hy0, qy0, ly0), pz0 = estP(hz0, qz0, lz0), py1 = estP(hy1, qy1, ly1), pz1 = estP(hz1, qz1, lz1);
        const y0 = estY(py0, qy0, ry0), z0 = estY(pz0, qz0, rz0), y1 = estY(py1, qy1, ry1), z1 = estY(pz1, qz1, rz1);
        const e00 = scaleOf(lo64(y0), k00, u00, true), e01 = scaleOf(hi64(y0), k01, u01, true);
        const f00 = scaleOf(lo64(z0), l00, v00, true), f01 = scaleOf(hi64(z0), l01, v01, true);
        const e10 = scaleOf(lo64(y1), k10, u10, true), e11 = scaleOf(hi64(y1), k11, u11, true);
        const f10 = scaleOf(lo64(z1), l10, v10, true), f11 = scaleOf(hi64(z1), l11, v11, true);
        const t00 = v128.and(f64x2.mul(e00, f64x2.sub(u00, v00)), f64x2.gt(e00, zero64));
        const t01 = v128.and(f64x2.mul(e01, f64x2.sub(u01, v01)), f64x2.gt(e01, zero64));
        const t10 = v128.and(f64x2.mul(e10, f64x2.sub(u10, v10)), f64x2.gt(e10, zero64));
        const t11 = v128.and(f64x2.mul(e11, f64x2.sub(u11, v11)), f64x2.gt(e11, zero64));
        accS = f64x2.add(accS, f64x2.add(f64x2.add(e00, e01), f64x2.add(e10, e11)));
        accT = f64x2.add(accT, f64x2.add(f64x2.add(f00, f01), f64x2.add(f10, f11)));
        accD = f64x2.add(accD, f64x2.add(f64x2.add(t00, t01), f64x2.add(t10, t11)));
      }
    } else {
      for (let j = 0; j < steps; j++) {
        const o = <usize>j << 5;
        const a0 = v128.load(pa + o), a1 = v128.load(pa + o, 16);
        if (kind == K_CE) {
          // the CE sum in float64: Σ w (x − M)
          const x0 = lo64(a0), x1 = hi64(a0), x2 = lo64(a1), x3 = hi64(a1);
          if (weighted) {
            const wo = <usize>j << 6;
            const w0 = v128.load(pw + wo), w1 = v128.load(pw + wo, 16), w2 = v128.load(pw + wo, 32), w3 = v128.load(pw + wo, 48);
            const t0 = v128.andnot(f64x2.mul(w0, f64x2.sub(x0, ma64)), f64x2.eq(w0, zero64));
            const t1 = v128.andnot(f64x2.mul(w1, f64x2.sub(x1, ma64)), f64x2.eq(w1, zero64));
            const t2 = v128.andnot(f64x2.mul(w2, f64x2.sub(x2, ma64)), f64x2.eq(w2, zero64));
            const t3 = v128.andnot(f64x2.mul(w3, f64x2.sub(x3, ma64)), f64x2.eq(w3, zero64));
            accD = f64x2.add(accD, f64x2.add(f64x2.add(t0, t1), f64x2.add(t2, t3)));
            accW = f64x2.add(accW, f64x2.add(f64x2.add(w0, w1), f64x2.add(w2, w3)));
          } else {
            accD = f64x2.add(accD, f64x2.sub(f64x2.add(f64x2.add(x0, x1), f64x2.add(x2, x3)), f64x2.splat(4 * sa)));
          }
        }
        const sc = kind != K_CE, zb = kind == K_ENT;
        const u00 = arg0(a0, ma64, it64, sc), u01 = arg1(a0, ma64, it64, sc);
        const u10 = arg0(a1, ma64, it64, sc), u11 = arg1(a1, ma64, it64, sc);
        const k00 = kOf(u00), k01 = kOf(u01), k10 = kOf(u10), k11 = kOf(u11);
        const r0 = rPair(u00, k00, u01, k01), r1 = rPair(u10, k10, u11, k11);
        const q0 = f32x4.mul(r0, r0), q1 = f32x4.mul(r1, r1);
        const lo0 = estLo(r0), lo1 = estLo(r1), mid0 = estMid(r0), mid1 = estMid(r1);
        const hi0 = estHi(mid0, q0), hi1 = estHi(mid1, q1);
        const p0 = estP(hi0, q0, lo0), p1 = estP(hi1, q1, lo1);
        const y0 = estY(p0, q0, r0), y1 = estY(p1, q1, r1);
        const e00 = scaleOf(lo64(y0), k00, u00, zb), e01 = scaleOf(hi64(y0), k01, u01, zb);
        const e10 = scaleOf(lo64(y1), k10, u10, zb), e11 = scaleOf(hi64(y1), k11, u11, zb);
        accS = f64x2.add(accS, f64x2.add(f64x2.add(e00, e01), f64x2.add(e10, e11)));
        if (kind == K_ENT) {
          const t00 = v128.and(f64x2.mul(e00, u00), f64x2.gt(e00, zero64)), t01 = v128.and(f64x2.mul(e01, u01), f64x2.gt(e01, zero64));
          const t10 = v128.and(f64x2.mul(e10, u10), f64x2.gt(e10, zero64)), t11 = v128.and(f64x2.mul(e11, u11), f64x2.gt(e11, zero64));
          accD = f64x2.add(accD, f64x2.add(f64x2.add(t00, t01), f64x2.add(t10, t11)));
        }
      }
    }
  } else {
    const ma = f64x2.splat(sa), mb = f64x2.splat(sb), it = f64x2.splat(invT), zero = f64x2.splat(0);
    for (let j = 0; j < steps; j++) {
      const o = <usize>j << 5;
      const a0 = v128.load(pa + o), a1 = v128.load(pa + o, 16);
      if (kind == K_CE) {
        if (weighted) {
          const w0 = v128.load(pw + o), w1 = v128.load(pw + o, 16);
          const t0 = v128.andnot(f64x2.mul(w0, f64x2.sub(a0, ma)), f64x2.eq(w0, zero));
          const t1 = v128.andnot(f64x2.mul(w1, f64x2.sub(a1, ma)), f64x2.eq(w1, zero));
          accD = f64x2.add(accD, f64x2.add(t0, t1));
          accW = f64x2.add(accW, f64x2.add(w0, w1));
        } else {
          accD = f64x2.add(accD, f64x2.add(f64x2.sub(a0, ma), f64x2.sub(a1, ma)));
        }
      }
      const u0 = scaledBy(f64x2.sub(a0, ma), it, kind != K_CE), u1 = scaledBy(f64x2.sub(a1, ma), it, kind != K_CE);
      const e0 = expNeg64(u0), e1 = expNeg64(u1);
      accS = f64x2.add(accS, f64x2.add(e0, e1));
      if (kind == K_ENT) {
        const t0 = v128.and(f64x2.mul(e0, u0), f64x2.gt(e0, zero));
        const t1 = v128.and(f64x2.mul(e1, u1), f64x2.gt(e1, zero));
        accD = f64x2.add(accD, f64x2.add(t0, t1));
      } else if (two) {
        const b0 = v128.load(pb + o), b1 = v128.load(pb + o, 16);
        const v0 = f64x2.mul(f64x2.sub(b0, mb), it), v1 = f64x2.mul(f64x2.sub(b1, mb), it);
        accT = f64x2.add(accT, f64x2.add(expNeg64(v0), expNeg64(v1)));
        const t0 = v128.and(f64x2.mul(e0, f64x2.sub(u0, v0)), f64x2.gt(e0, zero));
        const t1 = v128.and(f64x2.mul(e1, f64x2.sub(u1, v1)), f64x2.gt(e1, zero));
        accD = f64x2.add(accD, f64x2.add(t0, t1));
      }
    }
  }
  Sa += f64x2.extract_lane(accS, 0) + f64x2.extract_lane(accS, 1);
  if (two) Sb += f64x2.extract_lane(accT, 0) + f64x2.extract_lane(accT, 1);
  if (kind != K_LSE) D += f64x2.extract_lane(accD, 0) + f64x2.extract_lane(accD, 1);
  if (kind == K_CE) W += weighted ? f64x2.extract_lane(accW, 0) + f64x2.extract_lane(accW, 1) : <f64>(steps << (f32 ? 3 : 2));
}

/** The statistics of `rows` rows (or one segment of a row: rows = 1, fresh = 0 continues its state). */
// @ts-ignore: decorator
@inline function statsRows(kind: i32, f32: bool, a: usize, b: usize, w: usize, rows: i32, cols: i32, invT: f64,
                           st: usize, fresh: bool, blockSteps: i32): void {
  const es: i32 = f32 ? 2 : 3, step: i32 = f32 ? 8 : 4;
  const weighted = w != 0;
  const body = cols & ~(step - 1), rem = cols & (step - 1);
  // invT a power of two in [2^-20, 2^20]: products by it are exact in float32
  const bits = reinterpret<u64>(invT);
  const pow2T = (bits & 0x000FFFFFFFFFFFFF) == 0 && invT >= 9.5367431640625e-7 && invT <= 1048576.0;
  for (let r = 0; r < rows; r++) {
    const s = st + (<usize>r << 6);
    if (fresh) { Ma = -Infinity; Sa = 0; Mb = -Infinity; Sb = 0; D = 0; W = 0; Bad = 0; }
    else {
      Ma = load<f64>(s); Sa = load<f64>(s, 8); Mb = load<f64>(s, 16); Sb = load<f64>(s, 24); D = load<f64>(s, 32); W = load<f64>(s, 40);
      Bad = load<f64>(s, 48);
    }
    const ra = a + ((<usize>r * <usize>cols) << es), rb = b + ((<usize>r * <usize>cols) << es);
    for (let j = 0; j < body; j += blockSteps * step) {
      const steps = min(blockSteps, (body - j) / step);
      block(kind, f32, ra + (<usize>j << es), rb + (<usize>j << es), w + (<usize>j << 3), steps, invT, weighted, pow2T);
    }
    if (rem > 0) {
      fillTail(TAIL_A, ra + (<usize>body << es), rem, f32, -Infinity);
      if (kind == K_KL) fillTail(TAIL_B, rb + (<usize>body << es), rem, f32, -Infinity);
      // cross-entropy: the pads take weight 0 (unweighted rows: weights 1 for the values)
      if (weighted) fillTail(TAIL_W, w + (<usize>body << 3), rem, false, 0.0);
      else if (kind == K_CE) for (let i = 0; i < 8; i++) store<f64>(TAIL_W + (<usize>i << 3), i < rem ? 1.0 : 0.0);
      block(kind, f32, TAIL_A, TAIL_B, TAIL_W, 1, invT, weighted || kind == K_CE, pow2T);
    }
    store<f64>(s, Ma); store<f64>(s, Sa, 8); store<f64>(s, Mb, 16); store<f64>(s, Sb, 24);
    store<f64>(s, D, 32); store<f64>(s, W, 40); store<f64>(s, Bad, 48);
  }
}

export function logitsLse(x: usize, rows: i32, cols: i32, f32: i32, invT: f64, st: usize, fresh: i32, blockSteps: i32): void {
  if (f32) statsRows(K_LSE, true, x, 0, 0, rows, cols, invT, st, fresh != 0, blockSteps);
  else statsRows(K_LSE, false, x, 0, 0, rows, cols, invT, st, fresh != 0, blockSteps);
}
export function logitsEntropy(x: usize, rows: i32, cols: i32, f32: i32, invT: f64, st: usize, fresh: i32, blockSteps: i32): void {
  if (f32) statsRows(K_ENT, true, x, 0, 0, rows, cols, invT, st, fresh != 0, blockSteps);
  else statsRows(K_ENT, false, x, 0, 0, rows, cols, invT, st, fresh != 0, blockSteps);
}
export function logitsKlStats(a: usize, b: usize, rows: i32, cols: i32, f32: i32, invT: f64, st: usize, fresh: i32, blockSteps: i32): void {
  if (f32) statsRows(K_KL, true, a, b, 0, rows, cols, invT, st, fresh != 0, blockSteps);
  else statsRows(K_KL, false, a, b, 0, rows, cols, invT, st, fresh != 0, blockSteps);
}
export function logitsCeStats(x: usize, w: usize, rows: i32, cols: i32, f32: i32, st: usize, fresh: i32, blockSteps: i32): void {
  if (f32) statsRows(K_CE, true, x, 0, w, rows, cols, 1.0, st, fresh != 0, blockSteps);
  else statsRows(K_CE, false, x, 0, w, rows, cols, 1.0, st, fresh != 0, blockSteps);
}

// ---------------------------------------------------------------- output passes
// Per-row parameters at st + 64 r (written by the caller from the statistics):
//   log-softmax  (M, log S):  y = (x − M) invT − log S
//   softmax      (M, 1 / S):  y = exp((x − M) invT) / S
//   KL forward   (Ma, Mb, ca, cb): grad = cb exp((b − Mb) invT) − ca exp((a − Ma) invT)
//   KL reverse   (Ma, Mb, k, cb):  grad = cb e_b ((v − u) + k), e_b = exp(v), 0 where e_b = 0;
//                a row with cb = 0 is zeros
//   CE           (M, A, B):  grad = A exp(x − M) − B w  (w = 1 without weights; the label's entry is the caller's)
// Output: float32 (out32 = 1) or float64, at the same index as the input.
const O_LOG: i32 = 0;
const O_EXP: i32 = 1;
const O_KLF: i32 = 2;
const O_KLR: i32 = 3;
const O_CE: i32 = 4;

// @ts-ignore: decorator
@inline function store32(out: usize, y0: v128, y1: v128, out32: bool): void {
  if (out32) { v128.store(out, y0); v128.store(out, y1, 16); }
  else {
    v128.store(out, f64x2.promote_low_f32x4(y0));
    v128.store(out, f64x2.promote_low_f32x4(v128.shuffle<f32>(y0, y0, 2, 3, 2, 3)), 16);
    v128.store(out, f64x2.promote_low_f32x4(y1), 32);
    v128.store(out, f64x2.promote_low_f32x4(v128.shuffle<f32>(y1, y1, 2, 3, 2, 3)), 48);
  }
}
// @ts-ignore: decorator
@inline function store64(out: usize, y0: v128, y1: v128, out32: bool): void {
  if (out32) v128.store(out, v128.shuffle<f32>(f32x4.demote_f64x2_zero(y0), f32x4.demote_f64x2_zero(y1), 0, 1, 4, 5));
  else { v128.store(out, y0); v128.store(out, y1, 16); }
}

// @ts-ignore: decorator
@inline function outSteps(kind: i32, f32: bool, pa: usize, pb: usize, pw: usize, po: usize, steps: i32, invT: f64,
                          p0: f64, p1: f64, p2: f64, p3: f64, out32: bool, weighted: bool): void {
  const os: i32 = out32 ? 2 : 3;
  if (f32) {
    // exponents in float64 (exp32w; cross-entropy's in float32 with TwoSum, expShifted32); log-softmax in float32
    // lanes (no cancellation: both parts are <= 0)
    const it = f32x4.splat(<f32>invT), zero = f32x4.splat(0);
    const c0 = f32x4.splat(<f32>p0), c1 = f32x4.splat(<f32>p1), c2 = f32x4.splat(<f32>p2), c3 = f32x4.splat(<f32>p3);
    const it64 = f64x2.splat(invT), m0 = f64x2.splat(p0), m1 = f64x2.splat(p1), k = f64x2.splat(p2);
    // cross-entropy (invT = 1) with |M| < 2^24: exp in float32 lanes as lseSteps32's (0 below its clamp: masked
    // classes and terms under e^-87, as exp32w's)
    const fast = kind == O_CE && Math.abs(p0) < 16777216.0;
    const mF = f32x4.splat(<f32>p0), nmF = f32x4.splat(<f32>-p0), floorF = f32x4.splat(floorOf(p0, 1.0));
    for (let j = 0; j < steps; j++) {
      const o = <usize>j << 5, oo = po + ((<usize>j << 3) << os);
      const a0 = v128.load(pa + o), a1 = v128.load(pa + o, 16);
      let y0: v128, y1: v128;
      if (kind == O_LOG) {
        y0 = f32x4.sub(f32x4.mul(f32x4.sub(a0, c0), it), c1);
        y1 = f32x4.sub(f32x4.mul(f32x4.sub(a1, c0), it), c1);
      } else if (kind == O_CE) {
        let e0: v128, e1: v128;
        if (fast) {
          e0 = v128.and(expShifted32(a0, mF, nmF, it, floorF, true), f32x4.ge(a0, floorF));
          e1 = v128.and(expShifted32(a1, mF, nmF, it, floorF, true), f32x4.ge(a1, floorF));
        } else {
          e0 = exp32w(arg0(a0, m0, it64, false), arg1(a0, m0, it64, false));
          e1 = exp32w(arg0(a1, m0, it64, false), arg1(a1, m0, it64, false));
        }
        if (weighted) {
          // w as float64 pairs: B w in float64, rounded to float32
          const wo = <usize>j << 6;
          const b = f64x2.splat(p2);
          y0 = f32x4.sub(f32x4.mul(c1, e0), narrow(f64x2.mul(b, v128.load(pw + wo)), f64x2.mul(b, v128.load(pw + wo, 16))));
          y1 = f32x4.sub(f32x4.mul(c1, e1), narrow(f64x2.mul(b, v128.load(pw + wo, 32)), f64x2.mul(b, v128.load(pw + wo, 48))));
        } else {
          y0 = f32x4.sub(f32x4.mul(c1, e0), c2);
          y1 = f32x4.sub(f32x4.mul(c1, e1), c2);
        }
      } else if (kind == O_EXP || kind == O_KLR) {
        // softmax: exp((a − M) invT); reverse KL's gradient: exp((b − M_b) invT) times (v − u) + k. exp32w's steps
        // taken across the four pairs
        const s0 = kind == O_EXP ? a0 : v128.load(pb + o), s1 = kind == O_EXP ? a1 : v128.load(pb + o, 16);
        const ms = kind == O_EXP ? m0 : m1;
        const v00 = arg0(s0, ms, it64, true), v01 = arg1(s0, ms, it64, true), v10 = arg0(s1, ms, it64, true), v11 = arg1(s1, ms, it64, true);
        const x00 = low32(v00), x01 = low32(v01), x10 = low32(v10), x11 = low32(v11);
        const k00 = kOfX(x00), k01 = kOfX(x01), k10 = kOfX(x10), k11 = kOfX(x11);
        const r0 = narrow(rOfX(x00, k00), rOfX(x01, k01)), r1 = narrow(rOfX(x10, k10), rOfX(x11, k11));
        const q0 = f32x4.mul(r0, r0), q1 = f32x4.mul(r1, r1);
        const lo0 = estLo(r0), lo1 = estLo(r1), mid0 = estMid(r0), mid1 = estMid(r1);
        const hi0 = estHi(mid0, q0), hi1 = estHi(mid1, q1);
        const p0 = estP(hi0, q0, lo0), p1 = estP(hi1, q1, lo1);
        const f0 = pow2Keep(estY(p0, q0, r0), k00, k01, v00, v01), f1 = pow2Keep(estY(p1, q1, r1), k10, k11, v10, v11);
        if (kind == O_EXP) {
          y0 = f32x4.mul(f0, c1);
          y1 = f32x4.mul(f1, c1);
        } else {
          const u00 = arg0(a0, m0, it64, true), u01 = arg1(a0, m0, it64, true), u10 = arg0(a1, m0, it64, true), u11 = arg1(a1, m0, it64, true);
          // (v − u) + k in float64 (it cancels when KL is large)
          const t0 = narrow(f64x2.add(f64x2.sub(v00, u00), k), f64x2.add(f64x2.sub(v01, u01), k));
          const t1 = narrow(f64x2.add(f64x2.sub(v10, u10), k), f64x2.add(f64x2.sub(v11, u11), k));
          y0 = v128.and(f32x4.mul(f32x4.mul(c3, f0), t0), f32x4.gt(f0, zero));
          y1 = v128.and(f32x4.mul(f32x4.mul(c3, f1), t1), f32x4.gt(f1, zero));
        }
      } else {
        // forward KL's gradient, c3 q − c2 p: exp32w's steps across the eight pairs (the student's, the teacher's)
        const b0 = v128.load(pb + o), b1 = v128.load(pb + o, 16);
        const u00 = arg0(a0, m0, it64, true), u01 = arg1(a0, m0, it64, true), u10 = arg0(a1, m0, it64, true), u11 = arg1(a1, m0, it64, true);
        const v00 = arg0(b0, m1, it64, true), v01 = arg1(b0, m1, it64, true), v10 = arg0(b1, m1, it64, true), v11 = arg1(b1, m1, it64, true);
        const x00 = low32(u00), x01 = low32(u01), x10 = low32(u10), x11 = low32(u11);
        const w00 = low32(v00), w01 = low32(v01), w10 = low32(v10), w11 = low32(v11);
        const k00 = kOfX(x00), k01 = kOfX(x01), k10 = kOfX(x10), k11 = kOfX(x11);
        const l00 = kOfX(w00), l01 = kOfX(w01), l10 = kOfX(w10), l11 = kOfX(w11);
        const ry0 = narrow(rOfX(x00, k00), rOfX(x01, k01)), ry1 = narrow(rOfX(x10, k10), rOfX(x11, k11));
        const rz0 = narrow(rOfX(w00, l00), rOfX(w01, l01)), rz1 = narrow(rOfX(w10, l10), rOfX(w11, l11));
        const qy0 = f32x4.mul(ry0, ry0), qz0 = f32x4.mul(rz0, rz0), qy1 = f32x4.mul(ry1, ry1), qz1 = f32x4.mul(rz1, rz1);
        const ly0 = estLo(ry0), lz0 = estLo(rz0), ly1 = estLo(ry1), lz1 = estLo(rz1);
        const my0 = estMid(ry0), mz0 = estMid(rz0), my1 = estMid(ry1), mz1 = estMid(rz1);
        const hy0 = estHi(my0, qy0), hz0 = estHi(mz0, qz0), hy1 = estHi(my1, qy1), hz1 = estHi(mz1, qz1);
        const py0 = estP(hy0, qy0, ly0), pz0 = estP(hz0, qz0, lz0), py1 = estP(hy1, qy1, ly1), pz1 = estP(hz1, qz1, lz1);
        const e0 = pow2Keep(estY(py0, qy0, ry0), k00, k01, u00, u01), e1 = pow2Keep(estY(py1, qy1, ry1), k10, k11, u10, u11);
        const f0 = pow2Keep(estY(pz0, qz0, rz0), l00, l01, v00, v01), f1 = pow2Keep(estY(pz1, qz1, rz1), l10, l11, v10, v11);
        y0 = f32x4.sub(f32x4.mul(c3, f0), f32x4.mul(c2, e0));
        y1 = f32x4.sub(f32x4.mul(c3, f1), f32x4.mul(c2, e1));
      }
      store32(oo, y0, y1, out32);
    }
  } else {
    const it = f64x2.splat(invT), zero = f64x2.splat(0);
    const c0 = f64x2.splat(p0), c1 = f64x2.splat(p1), c2 = f64x2.splat(p2), c3 = f64x2.splat(p3);
    for (let j = 0; j < steps; j++) {
      const o = <usize>j << 5, oo = po + ((<usize>j << 2) << os);
      const a0 = v128.load(pa + o), a1 = v128.load(pa + o, 16);
      let y0: v128, y1: v128;
      if (kind == O_LOG) {
        y0 = f64x2.sub(f64x2.mul(f64x2.sub(a0, c0), it), c1);
        y1 = f64x2.sub(f64x2.mul(f64x2.sub(a1, c0), it), c1);
      } else if (kind == O_EXP) {
        y0 = f64x2.mul(expNeg64(f64x2.mul(f64x2.sub(a0, c0), it)), c1);
        y1 = f64x2.mul(expNeg64(f64x2.mul(f64x2.sub(a1, c0), it)), c1);
      } else if (kind == O_CE) {
        const e0 = expNeg64(f64x2.sub(a0, c0)), e1 = expNeg64(f64x2.sub(a1, c0));
        const w0 = weighted ? f64x2.mul(c2, v128.load(pw + o)) : c2;
        const w1 = weighted ? f64x2.mul(c2, v128.load(pw + o, 16)) : c2;
        y0 = f64x2.sub(f64x2.mul(c1, e0), w0);
        y1 = f64x2.sub(f64x2.mul(c1, e1), w1);
      } else {
        const b0 = v128.load(pb + o), b1 = v128.load(pb + o, 16);
        const u0 = f64x2.mul(f64x2.sub(a0, c0), it), u1 = f64x2.mul(f64x2.sub(a1, c0), it);
        const v0 = f64x2.mul(f64x2.sub(b0, c1), it), v1 = f64x2.mul(f64x2.sub(b1, c1), it);
        const f0 = expNeg64(v0), f1 = expNeg64(v1);
        if (kind == O_KLF) {
          y0 = f64x2.sub(f64x2.mul(c3, f0), f64x2.mul(c2, expNeg64(u0)));
          y1 = f64x2.sub(f64x2.mul(c3, f1), f64x2.mul(c2, expNeg64(u1)));
        } else {
          y0 = v128.and(f64x2.mul(f64x2.mul(c3, f0), f64x2.add(f64x2.sub(v0, u0), c2)), f64x2.gt(f0, zero));
          y1 = v128.and(f64x2.mul(f64x2.mul(c3, f1), f64x2.add(f64x2.sub(v1, u1), c2)), f64x2.gt(f1, zero));
        }
      }
      store64(oo, y0, y1, out32);
    }
  }
}

// @ts-ignore: decorator
@inline function outRows(kind: i32, f32: bool, a: usize, b: usize, w: usize, rows: i32, cols: i32, invT: f64,
                         st: usize, out: usize, out32: bool): void {
  const es: i32 = f32 ? 2 : 3, step: i32 = f32 ? 8 : 4, os: i32 = out32 ? 2 : 3;
  const weighted = w != 0;
  const body = cols & ~(step - 1), rem = cols & (step - 1);
  for (let r = 0; r < rows; r++) {
    const s = st + (<usize>r << 6);
    const p0 = load<f64>(s), p1 = load<f64>(s, 8), p2 = load<f64>(s, 16), p3 = load<f64>(s, 24);
    const off = <usize>r * <usize>cols;
    const ra = a + (off << es), rb = b + (off << es), ro = out + (off << os);
    if (kind == O_KLR && p3 == 0) {
      // no gradient: zeros
      if (out32) memory.fill(ro, 0, <usize>cols << 2); else memory.fill(ro, 0, <usize>cols << 3);
      continue;
    }
    outSteps(kind, f32, ra, rb, w, ro, body / step, invT, p0, p1, p2, p3, out32, weighted);
    if (rem > 0) {
      fillTail(TAIL_A, ra + (<usize>body << es), rem, f32, -Infinity);
      if (kind == O_KLF || kind == O_KLR) fillTail(TAIL_B, rb + (<usize>body << es), rem, f32, -Infinity);
      if (weighted) fillTail(TAIL_W, w + (<usize>body << 3), rem, false, 0.0);
      outSteps(kind, f32, TAIL_A, TAIL_B, TAIL_W, TAIL_O, 1, invT, p0, p1, p2, p3, out32, weighted);
      memory.copy(ro + (<usize>body << os), TAIL_O, <usize>rem << os);
    }
  }
}

export function logitsSoftmax(x: usize, rows: i32, cols: i32, f32: i32, invT: f64, st: usize, out: usize, out32: i32, exp: i32): void {
  if (exp) {
    if (f32) outRows(O_EXP, true, x, 0, 0, rows, cols, invT, st, out, out32 != 0);
    else outRows(O_EXP, false, x, 0, 0, rows, cols, invT, st, out, out32 != 0);
  } else {
    if (f32) outRows(O_LOG, true, x, 0, 0, rows, cols, invT, st, out, out32 != 0);
    else outRows(O_LOG, false, x, 0, 0, rows, cols, invT, st, out, out32 != 0);
  }
}
export function logitsKlGrad(a: usize, b: usize, rows: i32, cols: i32, f32: i32, invT: f64, st: usize, out: usize, out32: i32, reverse: i32): void {
  if (reverse) {
    if (f32) outRows(O_KLR, true, a, b, 0, rows, cols, invT, st, out, out32 != 0);
    else outRows(O_KLR, false, a, b, 0, rows, cols, invT, st, out, out32 != 0);
  } else {
    if (f32) outRows(O_KLF, true, a, b, 0, rows, cols, invT, st, out, out32 != 0);
    else outRows(O_KLF, false, a, b, 0, rows, cols, invT, st, out, out32 != 0);
  }
}
export function logitsCeGrad(x: usize, w: usize, rows: i32, cols: i32, f32: i32, st: usize, out: usize, out32: i32): void {
  if (f32) outRows(O_CE, true, x, 0, w, rows, cols, 1.0, st, out, out32 != 0);
  else outRows(O_CE, false, x, 0, w, rows, cols, 1.0, st, out, out32 != 0);
}

// ---------------------------------------------------------------- forward KL with its gradient
// Whole rows (cols <= the scratch): the statistics pass of logitsKlStats in its two-pass form (the row's
// maxima first), which also writes e_a = exp(u) over a and e_b = exp(v) over b (float32 input: the
// exponents reduced in float64, exp32w, as the output passes do); then logitsKlDiff forms the gradient
// cb e_b − ca e_a from them, with no exponential left to compute.

// @ts-ignore: decorator
/** The max of a row of body + rem values (body a multiple of the step), its values checked (into Bad). */
// @ts-ignore: decorator
@inline function rowMax(f32: bool, p: usize, body: i32, rem: i32, invT: f64): f64 {
  let m = maxChecked(f32, p, body / (f32 ? 8 : 4), invT);
  for (let j = body; j < body + rem; j++) {
    const v = f32 ? <f64>load<f32>(p + (<usize>j << 2)) : load<f64>(p + (<usize>j << 3));
    m = Math.max(m, v);
    if (!goodScalar(v, invT)) Bad = 1;
  }
  return m;
}

/** Sums of `steps` steps against shifts sa, sb, writing e_a over pa and e_b over pb; adds into Sa, Sb, D. */
// @ts-ignore: decorator
@inline function klStoreSteps(f32: bool, pa: usize, pb: usize, steps: i32, invT: f64, sa: f64, sb: f64): void {
  let accS = f64x2.splat(0), accT = f64x2.splat(0), accD = f64x2.splat(0);
  if (f32) {
    const it = f64x2.splat(invT), ma = f64x2.splat(sa), mb = f64x2.splat(sb), zero = f64x2.splat(0);
    for (let j = 0; j < steps; j++) {
      const o = <usize>j << 5;
      const a0 = v128.load(pa + o), a1 = v128.load(pa + o, 16), b0 = v128.load(pb + o), b1 = v128.load(pb + o, 16);
      const u00 = arg0(a0, ma, it, true), u01 = arg1(a0, ma, it, true), u10 = arg0(a1, ma, it, true), u11 = arg1(a1, ma, it, true);
      const v00 = arg0(b0, mb, it, true), v01 = arg1(b0, mb, it, true), v10 = arg0(b1, mb, it, true), v11 = arg1(b1, mb, it, true);
      const e0 = exp32w(u00, u01), e1 = exp32w(u10, u11), f0 = exp32w(v00, v01), f1 = exp32w(v10, v11);
      v128.store(pa + o, e0); v128.store(pa + o, e1, 16);
      v128.store(pb + o, f0); v128.store(pb + o, f1, 16);
      // every term widened on its own (see block)
      const e00 = lo64(e0), e01 = hi64(e0), e10 = lo64(e1), e11 = hi64(e1);
      accS = f64x2.add(accS, f64x2.add(f64x2.add(e00, e01), f64x2.add(e10, e11)));
      accT = f64x2.add(accT, f64x2.add(f64x2.add(lo64(f0), hi64(f0)), f64x2.add(lo64(f1), hi64(f1))));
      const t00 = v128.and(f64x2.mul(e00, f64x2.sub(u00, v00)), f64x2.gt(e00, zero));
      const t01 = v128.and(f64x2.mul(e01, f64x2.sub(u01, v01)), f64x2.gt(e01, zero));
      const t10 = v128.and(f64x2.mul(e10, f64x2.sub(u10, v10)), f64x2.gt(e10, zero));
      const t11 = v128.and(f64x2.mul(e11, f64x2.sub(u11, v11)), f64x2.gt(e11, zero));
      accD = f64x2.add(accD, f64x2.add(f64x2.add(t00, t01), f64x2.add(t10, t11)));
    }
  } else {
    const it = f64x2.splat(invT), ma = f64x2.splat(sa), mb = f64x2.splat(sb), zero = f64x2.splat(0);
    for (let j = 0; j < steps; j++) {
      const o = <usize>j << 5;
      const a0 = v128.load(pa + o), a1 = v128.load(pa + o, 16), b0 = v128.load(pb + o), b1 = v128.load(pb + o, 16);
      const u0 = f64x2.mul(f64x2.sub(a0, ma), it), u1 = f64x2.mul(f64x2.sub(a1, ma), it);
      const v0 = f64x2.mul(f64x2.sub(b0, mb), it), v1 = f64x2.mul(f64x2.sub(b1, mb), it);
      const e0 = expNeg64(u0), e1 = expNeg64(u1), f0 = expNeg64(v0), f1 = expNeg64(v1);
      v128.store(pa + o, e0); v128.store(pa + o, e1, 16);
      v128.store(pb + o, f0); v128.store(pb + o, f1, 16);
      accS = f64x2.add(accS, f64x2.add(e0, e1));
      accT = f64x2.add(accT, f64x2.add(f0, f1));
      const t0 = v128.and(f64x2.mul(e0, f64x2.sub(u0, v0)), f64x2.gt(e0, zero));
      const t1 = v128.and(f64x2.mul(e1, f64x2.sub(u1, v1)), f64x2.gt(e1, zero));
      accD = f64x2.add(accD, f64x2.add(t0, t1));
    }
  }
  Sa += f64x2.extract_lane(accS, 0) + f64x2.extract_lane(accS, 1);
  Sb += f64x2.extract_lane(accT, 0) + f64x2.extract_lane(accT, 1);
  D += f64x2.extract_lane(accD, 0) + f64x2.extract_lane(accD, 1);
}

// @ts-ignore: decorator
@inline function klStore(f32: bool, a: usize, b: usize, rows: i32, cols: i32, invT: f64, st: usize): void {
  const es: i32 = f32 ? 2 : 3, step: i32 = f32 ? 8 : 4;
  const body = cols & ~(step - 1), rem = cols & (step - 1);
  for (let r = 0; r < rows; r++) {
    const s = st + (<usize>r << 6);
    const ra = a + ((<usize>r * <usize>cols) << es), rb = b + ((<usize>r * <usize>cols) << es);
    Bad = 0;
    Ma = rowMax(f32, ra, body, rem, invT); Mb = rowMax(f32, rb, body, rem, invT);
    Sa = 0; Sb = 0; D = 0;
    const sa = eff(Ma), sb = eff(Mb);
    klStoreSteps(f32, ra, rb, body / step, invT, sa, sb);
    if (rem > 0) {
      fillTail(TAIL_A, ra + (<usize>body << es), rem, f32, -Infinity);
      fillTail(TAIL_B, rb + (<usize>body << es), rem, f32, -Infinity);
      klStoreSteps(f32, TAIL_A, TAIL_B, 1, invT, sa, sb);
      memory.copy(ra + (<usize>body << es), TAIL_A, <usize>rem << es);
      memory.copy(rb + (<usize>body << es), TAIL_B, <usize>rem << es);
    }
    store<f64>(s, Ma); store<f64>(s, Sa, 8); store<f64>(s, Mb, 16); store<f64>(s, Sb, 24);
    store<f64>(s, D, 32); store<f64>(s, 0.0, 40); store<f64>(s, Bad, 48);
  }
}

/** Whole rows: the forward-KL statistics (as logitsKlStats), e_a written over a and e_b over b. */
export function logitsKlStore(a: usize, b: usize, rows: i32, cols: i32, f32: i32, invT: f64, st: usize): void {
  if (f32) klStore(true, a, b, rows, cols, invT, st);
  else klStore(false, a, b, rows, cols, invT, st);
}

// @ts-ignore: decorator
@inline function diffRows(f32: bool, ea: usize, eb: usize, rows: i32, cols: i32, st: usize, out: usize, out32: bool): void {
  const es: i32 = f32 ? 2 : 3, os: i32 = out32 ? 2 : 3;
  const n = <usize>rows * <usize>cols;
  for (let r = 0; r < rows; r++) {
    const s = st + (<usize>r << 6);
    const ca = load<f64>(s, 16), cb = load<f64>(s, 24);
    const off = <usize>r * <usize>cols;
    const pa = ea + (off << es), pb = eb + (off << es), po = out + (off << os);
    let j = 0;
    if (f32) {
      const a32 = f32x4.splat(<f32>ca), b32 = f32x4.splat(<f32>cb);
      for (; j + 8 <= cols; j += 8) {
        const o = <usize>j << 2;
        const y0 = f32x4.sub(f32x4.mul(b32, v128.load(pb + o)), f32x4.mul(a32, v128.load(pa + o)));
        const y1 = f32x4.sub(f32x4.mul(b32, v128.load(pb + o, 16)), f32x4.mul(a32, v128.load(pa + o, 16)));
        store32(po + ((<usize>j) << os), y0, y1, out32);
      }
      for (; j < cols; j++) {
        const y = <f32>cb * load<f32>(pb + (<usize>j << 2)) - <f32>ca * load<f32>(pa + (<usize>j << 2));
        if (out32) store<f32>(po + (<usize>j << 2), y); else store<f64>(po + (<usize>j << 3), <f64>y);
      }
    } else {
      const a64 = f64x2.splat(ca), b64 = f64x2.splat(cb);
      for (; j + 4 <= cols; j += 4) {
        const o = <usize>j << 3;
        const y0 = f64x2.sub(f64x2.mul(b64, v128.load(pb + o)), f64x2.mul(a64, v128.load(pa + o)));
        const y1 = f64x2.sub(f64x2.mul(b64, v128.load(pb + o, 16)), f64x2.mul(a64, v128.load(pa + o, 16)));
        store64(po + ((<usize>j) << os), y0, y1, out32);
      }
      for (; j < cols; j++) {
        const y = cb * load<f64>(pb + (<usize>j << 3)) - ca * load<f64>(pa + (<usize>j << 3));
        if (out32) store<f32>(po + (<usize>j << 2), <f32>y); else store<f64>(po + (<usize>j << 3), y);
      }
    }
  }
}

/** grad = cb e_b − ca e_a from logitsKlStore' e_a (at ea) and e_b (at eb); per row (_, _, ca, cb) at st + 64 r. */
export function logitsKlDiff(ea: usize, eb: usize, rows: i32, cols: i32, f32: i32, st: usize, out: usize, out32: i32): void {
  if (f32) diffRows(true, ea, eb, rows, cols, st, out, out32 != 0);
  else diffRows(false, ea, eb, rows, cols, st, out, out32 != 0);
}
