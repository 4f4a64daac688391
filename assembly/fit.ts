// The fit module: KL between densities on a grid, both clipped below at a floor (the
// seed's forward_kl / reverse_kl body: klDensityRows, the span loop's KIND_KLD, with
// discrete.ts's signature), and the loss surfaces of Gaussian fits over a (mu, sigma) grid.
//
// Surfaces never call a pdf per cell: with z = (x - mu) / sigma,
//     log q = c - z^2 / 2,   c = -log sigma - log sqrt(2 pi),
// and q clipped below at the floor is log q clipped below at log(floor). So
//     forward cell = sum p log p - sum p max(log q, L)        (no transcendental)
//     reverse cell = sum exp(l) (l - log p),  l = max(log q, L)  (one exp)
// with p already clipped and log p given (the caller computes both once per
// surface), L = log(floor). The dx factor is applied by the caller.
import { rowsOf, KIND_KLD, BLOCK, sumReset, sumAddLanes, sumResult } from "./core/span";
import { exp64, logExact64, madd64, nmadd64 } from "./core/vecmath";

/** out[r] = sum max(p, b) log(max(p, b) / max(q, lo)); the caller passes b = lo = floor, hi = +inf. */
export function klDensityRows(p: usize, q: usize, rows: i32, cols: i32, lo: f64, hi: f64, a: f64, b: f64,
                              mode: i32, params: usize, out: usize, sums: usize): i32 {
  return rowsOf(KIND_KLD, mode, p, q, rows, cols, lo, hi, a, b, params, out, sums);
}

const LOG_SQRT_2PI: f64 = 0.9189385332046728;

/** log q clipped below at L, for x on two lanes: c - h^2, h = (x - mu) is. */
// @ts-ignore: decorator
@inline function logQ(x: v128, m: v128, is: v128, c: v128, L: v128): v128 {
  const h = f64x2.mul(f64x2.sub(x, m), is);
  return f64x2.pmax(nmadd64(h, h, c), L);
}

/** One cell of a surface; n is a multiple of 4 (the caller pads with zero terms:
 *  x = 1e300, p = 0, log p = L). Forward and reverse are separate functions with
 *  one body each: V8 has 16 vector registers, and the exp's constants must stay in them. */
/** sum p max(log q, L): the forward cell is sum p log p (the caller's constant) minus this. */
function forwardCell(x: usize, pc: usize, n: i32, mu: f64, sigma: f64, logSigma: f64, logFloor: f64): f64 {
  // h = (x - mu) sqrt(1/2) / sigma, so h^2 = z^2 / 2
  const m = f64x2.splat(mu), is = f64x2.splat(0.7071067811865476 / sigma);
  const c = f64x2.splat(-logSigma - LOG_SQRT_2PI), L = f64x2.splat(logFloor);
  sumReset();
  let i = 0;
  while (i < n) {
    const end = min(n, i + BLOCK);
    let acc0 = f64x2.splat(0.0), acc1 = f64x2.splat(0.0);
    for (; i < end; i += 4) {
      const off = <usize>i << 3;
      const l0 = logQ(v128.load(x + off), m, is, c, L), l1 = logQ(v128.load(x + off, 16), m, is, c, L);
      acc0 = madd64(v128.load(pc + off), l0, acc0);
      acc1 = madd64(v128.load(pc + off, 16), l1, acc1);
    }
    sumAddLanes(f64x2.add(acc0, acc1));
  }
  return sumResult();
}

// Reverse cells on a uniform grid (x_k = x_0 + k dx) need no exp per term: with
// d = dx sqrt(1/2) / sigma, four lanes k..k+3 step by four points, and
//     q_{k+4} = q_k G_k,   G_k = exp(l_{k+4} - l_k) = G_0 R_t,   R_t = exp(-32 d^2 t)
// at step t of a run. R depends on sigma alone: the surface computes its table once
// per sigma (exactly, with exps) and every cell of that column reuses it. Each run of
// RUN points starts from exact exps of q and G_0, then costs two multiplications
// per term. Every step adds at most three roundings to q (G_0 R_t, R_t, q G), so
// after m = RUN / 4 = 128 steps q is within ~384 u = 4.3e-14 (relative; a random
// walk in practice; measured on the seed's surface: 2e-14). A run starts from a normal q (l_0 >= -700): l is concave, so
// once q underflows on the way down it has passed below the floor for good; a run
// that would start lower, or whose G_0 is outside (e^-700, e^700) (padding
// included), takes an exp per term instead. log G_0 comes from differences of x,
// not of two large logs, so its error (which every step repeats) stays a few u. The clipped log itself is computed
// directly from x.
const RUN: i32 = 512;
const STEPS: i32 = RUN >> 2;
const RTAB: usize = memory.data(STEPS << 4, 16); // (R_t, R_t) pairs

/** R_t = exp(-32 d^2 t), t < STEPS, for this sigma. */
function fillRatios(d: f64): void {
  const a = -32.0 * d * d;
  for (let t = 0; t < STEPS; t += 2) {
    const r = exp64(f64x2.replace_lane(f64x2.splat(a * <f64>t), 1, a * <f64>(t + 1)));
    v128.store(RTAB + (<usize>t << 4), v128.shuffle<i64>(r, r, 0, 0));
    v128.store(RTAB + (<usize>(t + 1) << 4), v128.shuffle<i64>(r, r, 1, 1));
  }
}

function reverseCell(x: usize, lp: usize, n: i32, mu: f64, sigma: f64, logSigma: f64, logFloor: f64, floor: f64, uniform: bool, d: f64): f64 {
  const m = f64x2.splat(mu), is = f64x2.splat(0.7071067811865476 / sigma), d4 = f64x2.splat(4.0 * d);
  const c = f64x2.splat(-logSigma - LOG_SQRT_2PI), L = f64x2.splat(logFloor), F = f64x2.splat(floor);
  const low = f64x2.splat(-700.0), high = f64x2.splat(700.0);
  sumReset();
  let i = 0;
  while (i < n) {
    const end = min(n, i + RUN);
    let acc0 = f64x2.splat(0.0), acc1 = f64x2.splat(0.0);
    const base = x + (<usize>i << 3);
    let ok = uniform && end - i >= 8;
    let q0 = acc0, q1 = acc0, g0 = acc0, g1 = acc0;
    if (ok) {
      const h0 = f64x2.mul(f64x2.sub(v128.load(base), m), is), h1 = f64x2.mul(f64x2.sub(v128.load(base, 16), m), is);
      const l0 = f64x2.sub(c, f64x2.mul(h0, h0)), l1 = f64x2.sub(c, f64x2.mul(h1, h1));
      // log G_0 = l(h_0 + 4d) - l(h_0) = -4d (2 h_0 + 4d): the run follows the exact
      // grid from x_0 (never the rounding of one spacing, which every step would
      // repeat), and no two large logs cancel
      const d0 = f64x2.mul(f64x2.neg(d4), f64x2.add(f64x2.add(h0, h0), d4));
      const d1 = f64x2.mul(f64x2.neg(d4), f64x2.add(f64x2.add(h1, h1), d4));
      ok = v128.all_true<i64>(v128.and(f64x2.ge(l0, low), f64x2.ge(l1, low)))
        && v128.all_true<i64>(v128.and(v128.and(f64x2.lt(d0, high), f64x2.lt(d1, high)),
                                       v128.and(f64x2.gt(d0, low), f64x2.gt(d1, low))));
      if (ok) { q0 = exp64(l0); q1 = exp64(l1); g0 = exp64(d0); g1 = exp64(d1); }
    }
    if (ok) {
      let r = RTAB;
      for (; i < end; i += 4) {
        const off = <usize>i << 3;
        const l0 = logQ(v128.load(x + off), m, is, c, L), l1 = logQ(v128.load(x + off, 16), m, is, c, L);
        acc0 = madd64(f64x2.pmax(q0, F), f64x2.sub(l0, v128.load(lp + off)), acc0);
        acc1 = madd64(f64x2.pmax(q1, F), f64x2.sub(l1, v128.load(lp + off, 16)), acc1);
        const rt = v128.load(r);
        q0 = f64x2.mul(q0, f64x2.mul(g0, rt));
        q1 = f64x2.mul(q1, f64x2.mul(g1, rt));
        r += 16;
      }
    } else {
      for (; i < end; i += 2) {
        const off = <usize>i << 3;
        const l = logQ(v128.load(x + off), m, is, c, L);
        acc0 = madd64(exp64(l), f64x2.sub(l, v128.load(lp + off)), acc0);
      }
    }
    sumAddLanes(f64x2.add(acc0, acc1));
  }
  return sumResult();
}

/** out[i nSig + j] = the forward (reverse = 0) or reverse (1) cell for mus[i], sigmas[j].
 *  step: the grid's spacing when x is uniform (see reverseCell), else 0; dev: a bound on
 *  |x_k - (x_0 + k step)|; plp: sum p log p (compensated, by the caller), so a forward
 *  term is one multiply-add. */
export function gaussianSurface(x: usize, pc: usize, lp: usize, n: i32, mus: usize, nMu: i32,
                                sigmas: usize, nSig: i32, logFloor: f64, floor: f64, step: f64, dev: f64,
                                plp: f64, reverse: i32, out: usize): void {
  for (let j = 0; j < nSig; j++) {
    const sigma = load<f64>(sigmas + (<usize>j << 3));
    // the module's own vector log (within 1 ulp), not the standard library's table-driven one
    const logSigma = f64x2.extract_lane(logExact64(f64x2.splat(sigma), f64x2.splat(0.0)), 0);
    // the recurrence needs R_t = exp(-32 d^2 t) normal over a run (coarse grids
    // against narrow sigmas fail this and take an exp per term)
    const d = step * (0.7071067811865476 / sigma);
    // and x within dev of the exact grid must move log q by at most 2 |h| dev / (sqrt 2 sigma)
    // <= 1e-13 wherever q is above the floor (|h| <= hMax)
    const hMax = Math.sqrt(max(0.0, -logSigma - LOG_SQRT_2PI - logFloor)) + 1.0;
    const recur = reverse != 0 && step > 0.0 && 32.0 * d * d * <f64>(STEPS - 1) <= 700.0
      && 2.0 * hMax * dev * (0.7071067811865476 / sigma) <= 1e-13;
    if (recur) fillRatios(d);
    for (let i = 0; i < nMu; i++) {
      const mu = load<f64>(mus + (<usize>i << 3));
      const o = out + ((<usize>i * nSig + j) << 3);
      store<f64>(o, reverse ? reverseCell(x, lp, n, mu, sigma, logSigma, logFloor, floor, recur, d) : plp - forwardCell(x, pc, n, mu, sigma, logSigma, logFloor));
    }
  }
}

/** exp of n (even) values, lane by lane: the vector exp's accuracy test reads this. */
export function expArray(x: usize, n: i32, out: usize): void {
  for (let i = 0; i < n; i += 2) v128.store(out + (<usize>i << 3), exp64(v128.load(x + (<usize>i << 3))));
}

export { heapBase } from "./core/heap";
