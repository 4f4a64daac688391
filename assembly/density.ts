// Density family: KL between densities on a grid, both clipped below at a floor
// (the seed's forward_kl / reverse_kl body), and the loss surfaces of Gaussian
// fits over a (mu, sigma) grid.
//
// Surfaces never call a pdf per cell: with z = (x - mu) / sigma,
//     log q = c - z^2 / 2,   c = -log sigma - log sqrt(2 pi),
// and q clipped below at the floor is log q clipped below at log(floor). So
//     forward cell = sum p (log p - max(log q, L))            (no transcendental)
//     reverse cell = sum exp(l) (l - log p),  l = max(log q, L)  (one exp)
// with p already clipped and log p given (the caller computes both once per
// surface), L = log(floor). The dx factor is applied by the caller.
import { rowsOf, KIND_KLD, BLOCK, sumReset, sumAddLanes, sumResult } from "./span";
import { exp64 } from "./vecmath";

/** out[r] = sum max(p, b) log(max(p, b) / max(q, lo)); the caller passes b = lo = floor, hi = +inf. */
export function klDensityRows(p: usize, q: usize, rows: i32, cols: i32, lo: f64, hi: f64, a: f64, b: f64,
                              mode: i32, params: usize, out: usize): i32 {
  return rowsOf(KIND_KLD, mode, p, q, rows, cols, lo, hi, a, b, params, out);
}

const LOG_SQRT_2PI: f64 = 0.9189385332046728;

/** One cell of a surface; n is a multiple of 4 (the caller pads with zero terms:
 *  x = 1e300, p = 0, log p = L). Forward and reverse are separate functions with
 *  one body each: V8 has 16 vector registers, and the exp's constants must stay in them. */
function forwardCell(x: usize, pc: usize, lp: usize, n: i32, mu: f64, sigma: f64, logFloor: f64): f64 {
  // h = (x - mu) sqrt(1/2) / sigma, so h^2 = z^2 / 2
  const m = f64x2.splat(mu), is = f64x2.splat(0.7071067811865476 / sigma);
  const c = f64x2.splat(-Math.log(sigma) - LOG_SQRT_2PI), L = f64x2.splat(logFloor);
  sumReset();
  let i = 0;
  while (i < n) {
    const end = min(n, i + BLOCK);
    let acc0 = f64x2.splat(0.0), acc1 = f64x2.splat(0.0);
    for (; i < end; i += 4) {
      const off = <usize>i << 3;
      const h0 = f64x2.mul(f64x2.sub(v128.load(x + off), m), is);
      const h1 = f64x2.mul(f64x2.sub(v128.load(x + off, 16), m), is);
      const l0 = f64x2.pmax(f64x2.sub(c, f64x2.mul(h0, h0)), L);
      const l1 = f64x2.pmax(f64x2.sub(c, f64x2.mul(h1, h1)), L);
      acc0 = f64x2.add(acc0, f64x2.mul(v128.load(pc + off), f64x2.sub(v128.load(lp + off), l0)));
      acc1 = f64x2.add(acc1, f64x2.mul(v128.load(pc + off, 16), f64x2.sub(v128.load(lp + off, 16), l1)));
    }
    sumAddLanes(f64x2.add(acc0, acc1));
  }
  return sumResult();
}

function reverseCell(x: usize, lp: usize, n: i32, mu: f64, sigma: f64, logFloor: f64): f64 {
  const m = f64x2.splat(mu), is = f64x2.splat(0.7071067811865476 / sigma);
  const c = f64x2.splat(-Math.log(sigma) - LOG_SQRT_2PI), L = f64x2.splat(logFloor);
  sumReset();
  let i = 0;
  while (i < n) {
    const end = min(n, i + BLOCK);
    let acc = f64x2.splat(0.0);
    for (; i < end; i += 2) {
      const off = <usize>i << 3;
      const h = f64x2.mul(f64x2.sub(v128.load(x + off), m), is);
      const l = f64x2.pmax(f64x2.sub(c, f64x2.mul(h, h)), L);
      acc = f64x2.add(acc, f64x2.mul(exp64(l), f64x2.sub(l, v128.load(lp + off))));
    }
    sumAddLanes(acc);
  }
  return sumResult();
}

/** out[i nSig + j] = the forward (reverse = 0) or reverse (1) cell for mus[i], sigmas[j]. */
export function gaussianSurface(x: usize, pc: usize, lp: usize, n: i32, mus: usize, nMu: i32,
                                sigmas: usize, nSig: i32, logFloor: f64, reverse: i32, out: usize): void {
  for (let i = 0; i < nMu; i++) {
    const mu = load<f64>(mus + (<usize>i << 3));
    for (let j = 0; j < nSig; j++) {
      const sigma = load<f64>(sigmas + (<usize>j << 3));
      const o = out + ((<usize>i * nSig + j) << 3);
      store<f64>(o, reverse ? reverseCell(x, lp, n, mu, sigma, logFloor) : forwardCell(x, pc, lp, n, mu, sigma, logFloor));
    }
  }
}

/** exp of n (even) values, lane by lane: the vector exp's accuracy test reads this. */
export function expArray(x: usize, n: i32, out: usize): void {
  for (let i = 0; i < n; i += 2) v128.store(out + (<usize>i << 3), exp64(v128.load(x + (<usize>i << 3))));
}
