// The order-α kernels' fast mode (Rényi divergence and entropy, Tsallis entropy: KIND_POW, KIND_POWD, KIND_EPOW and
// KIND_EPOWD of assembly/core/span.ts, float64, MODE_F64), in two passes over each block of BLOCK elements:
//   1. read p (and q), fold the checks and sums span64 folds, and store t = b log(a p / c) of every element in T;
//   2. read p and t back and sum p expm1(t) (or p exp(t)) into two accumulators, as span64 does.
// The same operations on the same values in the same order as span64's one loop, so the same bits (and flags, and
// sums). Why: span64's one loop keeps the log's and the exp's constants and the checks' running values live at
// once, more than the 16 vector registers; V8 12+ (Turboshaft: Node 24, 26) spills and reloads them each
// iteration and lays the two pairs of lanes out one after the other, which made these kernels 1.05–1.25× Node 20's
// time. A pass holds half of them (no spill in the log pass). Each pass is a function of its own: inlined, its
// loop is nested four deep, and V8 11.3 (Node 20) unrolls a loop that small at that depth (twice), which spills
// more than the one loop did (1.2× slower); alone it is at depth 1, and not unrolled.
// The exact mode (subnormal a p, poles) is span64's (rowsOf), as are the other kinds.
import {
  rowsOf, tinyAcc64, sumReset, sumAddLanes, sumResult, pSumReset, pSumAddLanes, pSumResult, flagsOf64, BLOCK, MODE_F64,
  MODE_F64_EXACT, MODE_F32, FLAG_BAD, TINY64, K_EXPM1_MIN, K_EXP_MIN, K_EXP_MAX, KIND_POW, KIND_POWD, KIND_EPOW,
} from "../core/span";
import { logRatio64, exp64, expm164, vc, K_INF64 } from "../core/vecmath";

/** t of one block (BLOCK f64). */
const T: usize = memory.data(BLOCK << 3, 16);
/** The row's running values across blocks and passes: 0 q0 − q1 summed (a q that is not finite), 16 the minimum of
 *  p and q, 32 tinyAcc64's, 48 the sum of p, 64 of q, 80 the minimum of q under p > 0 (LOW). */
const S: usize = memory.data(96, 16);
/** The padded tail (rem < 4 elements of p, and of q, then 0 and 1 to 8). */
const TAIL_P: usize = memory.data(64, 16);
const TAIL_Q: usize = memory.data(64, 16);


/** Pass 1 over g groups of 4 (two inputs: q read and clipped to [lo, hi]; one: c = lo). */
// @ts-ignore: decorator
@inline function logPass(two: bool, p: usize, q: usize, g: i32, lo: v128, hi: v128, a: v128, b: v128): void {
  const zero = f64x2.splat(0.0), inf = vc(K_INF64);
  let qacc = v128.load(S), mn = v128.load(S, 16), tiny = v128.load(S, 32);
  let ps = v128.load(S, 48), qs = v128.load(S, 64), qlow = v128.load(S, 80);
  let pp = p, qp = q, tp = T;
  for (let j = 0; j < g; j++) {
    const p0 = v128.load(pp), p1 = v128.load(pp, 16);
    let c0 = lo, c1 = lo;
    ps = f64x2.add(ps, f64x2.add(p0, p1));
    if (two) {
      const q0 = v128.load(qp), q1 = v128.load(qp, 16);
      qs = f64x2.add(qs, f64x2.add(q0, q1));
      qacc = f64x2.add(qacc, f64x2.sub(q0, q1));
      qlow = f64x2.pmin(qlow, f64x2.pmin(v128.bitselect(q0, inf, f64x2.gt(p0, zero)),
                                         v128.bitselect(q1, inf, f64x2.gt(p1, zero))));
      mn = f64x2.pmin(mn, f64x2.pmin(f64x2.pmin(p0, q0), f64x2.pmin(p1, q1)));
      c0 = f64x2.pmin(f64x2.pmax(q0, lo), hi);
      c1 = f64x2.pmin(f64x2.pmax(q1, lo), hi);
      qp += 32;
    } else mn = f64x2.pmin(mn, f64x2.pmin(p0, p1));
    const ap0 = f64x2.mul(p0, a), ap1 = f64x2.mul(p1, a);
    tiny = tinyAcc64(tinyAcc64(tiny, ap0), ap1);
    // logRatioSafe64 without its + 0 (k + 0 is k)
    v128.store(tp, f64x2.mul(b, logRatio64(ap0, c0, zero, false, true)));
    v128.store(tp, f64x2.mul(b, logRatio64(ap1, c1, zero, false, true)), 16);
    pp += 32;
    tp += 32;
  }
  v128.store(S, qacc); v128.store(S, mn, 16); v128.store(S, tiny, 32);
  v128.store(S, ps, 48); v128.store(S, qs, 64); v128.store(S, qlow, 80);
}
function logPass2(p: usize, q: usize, g: i32, lo: v128, hi: v128, a: v128, b: v128): void { logPass(true, p, q, g, lo, hi, a, b); }
function logPass1(p: usize, g: i32, lo: v128, a: v128, b: v128): void { logPass(false, p, 0, g, lo, lo, a, b); }

/** One f64x2 term from p and t: p expm1(t) (minusOne) or p exp(t), as span.ts's termFamily. */
// @ts-ignore: decorator
@inline function term(minusOne: bool, p: v128, t: v128): v128 {
  const zero = f64x2.splat(0.0), inf = vc(K_INF64);
  let e: v128;
  if (minusOne) {
    // expm1 on [-45, 709.7], −1 below, +Inf above (span.ts's expm1Clamped64)
    e = v128.bitselect(inf, expm164(f64x2.pmin(f64x2.pmax(t, vc(K_EXPM1_MIN)), vc(K_EXP_MAX))), f64x2.gt(t, vc(K_EXP_MAX)));
  } else {
    const tc = f64x2.pmin(f64x2.pmax(t, vc(K_EXP_MIN)), vc(K_EXP_MAX));
    // outside exp64's range (t moved by the clamp, or NaN): +Inf, for the caller to recompute the row (log-sum-exp)
    e = v128.bitselect(exp64(tc), inf, f64x2.eq(t, tc));
  }
  // p = 0: 0 (selected on p == 0, so that a NaN p stays NaN: NaN is caught by the row's sum)
  return v128.bitselect(zero, f64x2.mul(p, e), f64x2.eq(p, zero));
}

/** Pass 2 over g groups of 4: the block's two accumulators (lanes 0–1 and 2–3 of each group), added. */
// @ts-ignore: decorator
@inline function expPass(minusOne: bool, p: usize, g: i32): v128 {
  let acc0 = f64x2.splat(0.0), acc1 = f64x2.splat(0.0);
  let pp = p, tp = T;
  for (let j = 0; j < g; j++) {
    acc0 = f64x2.add(acc0, term(minusOne, v128.load(pp), v128.load(tp)));
    acc1 = f64x2.add(acc1, term(minusOne, v128.load(pp, 16), v128.load(tp, 16)));
    pp += 32;
    tp += 32;
  }
  return f64x2.add(acc0, acc1);
}
function expm1Pass(p: usize, g: i32): v128 { return expPass(true, p, g); }
function directPass(p: usize, g: i32): v128 { return expPass(false, p, g); }

/** Copies rem (< 4) elements from src to dst and pads the rest of 8 slots with pad (span.ts's fillTail). */
// @ts-ignore: decorator
@inline function fillTail(dst: usize, src: usize, rem: i32, pad: f64): void {
  for (let i = 0; i < 8; i++) store<f64>(dst + (<usize>i << 3), i < rem ? load<f64>(src + (<usize>i << 3)) : pad);
}

/** One row of n elements: its sum (and its flags into `rowFlags`, its sums of p and q into sumP, sumQ). */
let rowFlags: i32 = 0;
let sumP: f64 = 0.0;
let sumQ: f64 = 0.0;
// @ts-ignore: decorator
@inline function row(kind: i32, p: usize, q: usize, n: i32, loS: f64, hiS: f64, aS: f64, bS: f64): f64 {
  const two = kind == KIND_POW || kind == KIND_POWD, minusOne = kind == KIND_POW || kind == KIND_EPOW;
  const lo = f64x2.splat(loS), hi = f64x2.splat(hiS), a = f64x2.splat(aS), b = f64x2.splat(bS);
  const zero = f64x2.splat(0.0), inf = vc(K_INF64);
  v128.store(S, zero); v128.store(S, inf, 16); v128.store(S, i32x4.splat(-1), 32);
  v128.store(S, zero, 48); v128.store(S, zero, 64); v128.store(S, inf, 80);
  sumReset();
  pSumReset(); // EPOW and EPOWD: the sum of p blocked and compensated, as span64's blockSums
  let pp = p, qp = q, left = n;
  while (true) {
    let groups = left >> 2;
    while (groups > 0) {
      const g = groups < (BLOCK >> 2) ? groups : (BLOCK >> 2);
      groups -= g;
      if (two) logPass2(pp, qp, g, lo, hi, a, b);
      else logPass1(pp, g, lo, a, b);
      sumAddLanes(minusOne ? expm1Pass(pp, g) : directPass(pp, g));
      if (!two) {
        // blocked sums of p (span64's blockSums)
        pSumAddLanes(v128.load(S, 48));
        v128.store(S, zero, 48);
      }
      pp += <usize>g << 5;
      if (two) qp += <usize>g << 5;
    }
    const rem = left & 3;
    if (rem == 0) break;
    fillTail(TAIL_P, pp, rem, 0.0);
    if (two) {
      fillTail(TAIL_Q, qp, rem, 1.0);
      // the padded q slots are not the row's: take them out of its sum
      v128.store(S, f64x2.sub(v128.load(S, 64), f64x2.splat(<f64>(4 - rem) * 0.5)), 64);
    }
    pp = TAIL_P; qp = TAIL_Q; left = 4;
  }
  const ps = v128.load(S, 48), qs = v128.load(S, 64);
  rowFlags = flagsOf64(v128.load(S), v128.load(S, 16), v128.load(S, 32), TINY64, v128.load(S, 80), lo);
  if (two) {
    sumP = f64x2.extract_lane(ps, 0) + f64x2.extract_lane(ps, 1);
    sumQ = f64x2.extract_lane(qs, 0) + f64x2.extract_lane(qs, 1);
  } else {
    sumP = pSumResult();
    sumQ = 0.0;
  }
  return sumResult();
}

/** rowsOf (span.ts) for the order-α kinds: the fast mode here, the exact mode there. */
// @ts-ignore: decorator
@inline export function orderRows(kind: i32, mode: i32, p: usize, q: usize, rows: i32, cols: i32, lo: f64, hi: f64, a: f64, b: f64,
                          params: usize, out: usize, sums: usize): i32 {
  // (the constant modes: rowsOf's other branches are left out; float32 input is widened, never here)
  if (mode == MODE_F64_EXACT) return rowsOf(kind, MODE_F64_EXACT, p, q, rows, cols, lo, hi, a, b, params, out, sums);
  if (mode != MODE_F64) return rowsOf(kind, MODE_F32, p, q, rows, cols, lo, hi, a, b, params, out, sums);
  let flags = 0;
  const rowBytes = <usize>cols << 3;
  for (let r = 0; r < rows; r++) {
    if (params != 0) {
      const pr = params + (<usize>r << 5);
      lo = load<f64>(pr); hi = load<f64>(pr, 8); a = load<f64>(pr, 16); b = load<f64>(pr, 24);
    }
    const off = <usize>r * rowBytes;
    const s = row(kind, p + off, q + off, cols, lo, hi, a, b);
    flags |= rowFlags;
    if (!isFinite(s)) flags |= FLAG_BAD;
    store<f64>(out + (<usize>r << 3), s);
    if (sums != 0) {
      store<f64>(sums + (<usize>r << 4), sumP);
      store<f64>(sums + (<usize>r << 4), sumQ, 8);
    }
  }
  return flags;
}
